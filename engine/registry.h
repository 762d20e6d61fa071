/*
 * registry.h — what a workflow definition may name but XML cannot express:
 * roles, parties, conditions and actions.  Parties and conditions are SQL
 * over the instance (static text here, parameters bound at run time), so
 * they run inside the firing transaction; actions are C functions.
 * Adding one here makes it available to every definition; `imiflow lint`
 * rejects names that are not here.
 */
#ifndef IMIFLOW_REGISTRY_H
#define IMIFLOW_REGISTRY_H

struct wf_fire;
struct _xmlNode;

/*
 * A party: SQL selecting (authority_id, user_id) pairs that stand in this
 * relation to instance $1; user_id NULL means every user of that authority.
 * "system" has no SQL: only the worker acts as it.
 */
struct registry_party {
	const char *name;
	const char *sql;
	const char *about;
};

/* A condition: SQL returning one boolean for instance $1 and acting user $2 (NULL for system). */
struct registry_condition {
	const char *name;
	const char *sql;
	const char *about;
};

struct registry_action {
	const char *name;
	int (*fn)(struct wf_fire *f);
	const char *about;
};

/*
 * What a mail template needs beyond the generic mail model: a function adding
 * to <mail> for a recipient of language lang, inside the firing transaction.
 */
typedef int (*registry_mail_fn)(struct wf_fire *f, const char *lang, struct _xmlNode *mail);

/*
 * Who may see an instance: a boolean SQL expression over the instance's row
 * (alias i, of wf_instances) and the viewing user's id ($2), which every
 * page that shows an instance, and the pages' firing path, put into its own
 * statement (no round trip of its own).  A definition with a rule of its own
 * names a SQL function (instance, user) of the domain here, which returns a
 * row when that user may see it (inlined by PostgreSQL, see the SQL file);
 * every other definition follows REGISTRY_VISIBLE_DEFAULT.  Keyed by the definition's
 * name, not its version, so a changed rule holds for running instances too.
 * The functions: sql/015_need_to_know.sql.
 */
#define REGISTRY_VISIBLE_RULES \
	" WHEN 'information-request' THEN EXISTS (SELECT FROM request_visible_to(i.id, $2))" \
	" WHEN 'authority' THEN EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))" \
	" WHEN 'module-access' THEN EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))" \
	" WHEN 'invitation' THEN EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))"
/* The users of the instance's authority and of the helpdesk. */
#define REGISTRY_VISIBLE_DEFAULT "EXISTS (SELECT FROM instance_visible_to(i.id, $2))"
#define REGISTRY_VISIBLE \
	"(CASE i.definition" REGISTRY_VISIBLE_RULES " ELSE " REGISTRY_VISIBLE_DEFAULT " END)"

int registry_role_exists(const char *role);
/* The model function of a mail template, or NULL when the generic model is all it reads. */
registry_mail_fn registry_mail_model(const char *template_name);
const struct registry_party *registry_party(const char *name);
const struct registry_condition *registry_condition(const char *name);
const struct registry_action *registry_action(const char *name);

/* For `imiflow lint --list` and the authors' README. */
const char *const *registry_roles(void);
const struct registry_party *registry_parties(void);          /* NULL-name terminated */
const struct registry_condition *registry_conditions(void);
const struct registry_action *registry_actions(void);

#endif
