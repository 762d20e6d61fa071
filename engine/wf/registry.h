/*
 * registry.h — what a workflow definition may name but XML cannot express:
 * roles, parties, conditions, actions, mail models, selectors of participants
 * and rules of who sees an instance, and the data files a domain deploys
 * beside its definitions.
 *
 * The engine knows none of them by itself beyond a few generic ones
 * (wf/builtins.c).  A domain registers its vocabulary once at start, before
 * any thread runs, as an nginx module or a PostgreSQL extension does: IMI's is
 * imi_register() (imi/imi_register.c); the engine's own tests register a toy
 * domain.  Everything registered is read-only afterwards.  `imiflow lint`
 * rejects names that nobody registered.
 *
 * Parties and conditions are SQL over the instance (static text, parameters
 * bound at run time), so they run inside the firing transaction; actions and
 * mail models are C functions.
 */
#ifndef IMIFLOW_REGISTRY_H
#define IMIFLOW_REGISTRY_H

#include <stddef.h>

struct arena;
struct db;
struct wf_fire;
struct _xmlNode;

/*
 * A party: SQL selecting (authority_id, user_id) pairs that stand in this
 * relation to instance $1; user_id NULL means every user of that authority.
 * A party without SQL ("system") is held by no user: only the worker acts as it.
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

struct registry_mail_model {
	const char *template_name;
	registry_mail_fn fn;
};

/*
 * A kind of data file a domain deploys beside its definitions (IMI: the
 * module catalogue, question sets).  lint and deploy recognise it by its
 * content; deploy checks it, then stores it in the definitions' transaction.
 */
struct registry_data_kind {
	const char *name;              /* "module catalogue": lint's and deploy's words */
	int after_definitions;         /* stored after the definitions rather than before */
	int (*is)(const char *content, size_t len);
	/* Prints FILE:LINE: findings; their number, or -1 when it could not check. */
	int (*check)(const char *path, const char *content, size_t len, const char *datadir);
	/*
	 * What this file is, in words two files of one deploy must not share
	 * ("a module catalogue", "the question set of \"pq-requests\""): from the
	 * arena, or NULL when it cannot tell (its findings printed).
	 */
	const char *(*what)(struct arena *a, const char *path, const char *content, size_t len,
	    const char *datadir);
	/* Stores it and prints one line of what changed; 0, or -1 on error. */
	int (*store)(struct db *db, struct arena *a, const char *path, const char *content,
	    size_t len, const char *datadir);
};

/*
 * A named rule of who may see an instance: a boolean SQL expression over the
 * instance's row (alias i, of wf_instances) and the viewing user's id ($2).
 * A definition names one with seen-by="NAME"; its instances keep it for life
 * (wf_instances.seen_by).  The firing path puts every rule into its own lock
 * statement as CASE i.seen_by WHEN NAME THEN SQL ... ELSE the default END, so
 * a user who may not see an instance learns nothing of it (404) before any
 * guard is asked.
 */
struct registry_seen_by {
	const char *name;
	const char *sql;
	const char *about;
};

/*
 * A selector of authorities for <add-participants>: SQL returning one column
 * of authority ids, with $1 the instance, $2 the acting authority (NULL: the
 * system), $3 a text[] of values (a field's or an input's; NULL when neither),
 * $4 the instance's module.  It runs inside the INSERT that adds them.
 */
struct registry_selector {
	const char *name;
	const char *sql;
	const char *about;
};

/*
 * A source of options for a choice (options-from="NAME" on a form field or an
 * input): SQL with $1 the instance's module returning rows (value, label,
 * group) in the order a page lists them.  value is what is stored (rows whose
 * value does not match an <option>'s value, [A-Za-z0-9][A-Za-z0-9._-]{0,63},
 * are never offered), label a
 * catalogue key or text, group the heading the option sits under ('' or NULL:
 * none).  A value may be saved only when the source returns it (option_source.h).
 */
struct registry_option_source {
	const char *name;
	const char *sql;
	const char *about;
};

/*
 * One registration: each table ends with an entry whose first member is NULL
 * (roles: a NULL pointer); any table may be NULL.
 */
struct registry_domain {
	const char *name;
	const char *const *roles;
	const struct registry_party *parties;
	const struct registry_condition *conditions;
	const struct registry_action *actions;
	const struct registry_mail_model *mail_models;
	const struct registry_data_kind *data_kinds;
	const struct registry_selector *selectors;
	/* Named rules of who may see an instance, and the rule of instances that name none. */
	const struct registry_seen_by *seen_by;
	const struct registry_option_source *option_sources;
	/*
	 * The same over i and $2 for seen_by '' (a definition without seen-by).
	 * NULL: every signed-in user may.  One domain at most sets it.
	 */
	const char *seen_by_default;
};

/*
 * Adds a domain's vocabulary (the tables are kept, not copied: static ones).
 * 0, or -1 (logged) when a name is taken already or the registry is full.
 * Call before any thread starts; registering the same domain twice is a no-op.
 */
int registry_add(const struct registry_domain *d);

int registry_role_exists(const char *role);
/* The model function of a mail template, or NULL when the generic model is all it reads. */
registry_mail_fn registry_mail_model(const char *template_name);
const struct registry_party *registry_party(const char *name);
const struct registry_condition *registry_condition(const char *name);
const struct registry_action *registry_action(const char *name);
/* The data kind content is, or NULL. */
const struct registry_data_kind *registry_data_kind_of(const char *content, size_t len);
const struct registry_selector *registry_selector(const char *name);
const struct registry_seen_by *registry_seen_by(const char *name);
const struct registry_option_source *registry_option_source(const char *name);
/* The rule of instances whose definition names none (always true when none was registered). */
const char *registry_seen_by_default(void);
/*
 * Appends to b the one boolean expression of who may see an instance (alias i
 * of wf_instances, the user $2): CASE i.seen_by over the registered rules,
 * ELSE the default.  For the firing path's lock and any page's own SQL.
 */
struct buf;
void registry_visible_case(struct buf *b);

/*
 * Everything registered, in registration order, each list ending as the
 * tables do: for `imiflow lint --list`, and for the engine, which prepares
 * one statement per party and condition by its index in these lists.
 */
const char *const *registry_roles(void);
const struct registry_party *registry_parties(void);
const struct registry_condition *registry_conditions(void);
const struct registry_action *registry_actions(void);
const struct registry_data_kind *registry_data_kinds(void);
const struct registry_selector *registry_selectors(void);
const struct registry_seen_by *registry_seen_by_rules(void);
const struct registry_option_source *registry_option_sources(void);

#endif
