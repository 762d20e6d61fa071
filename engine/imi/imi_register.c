/* imi_register.c — see imi_register.h. */
#include "imi_register.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "authority_actions.h"
#include "builtins.h"
#include "horizontal_modules.h"
#include "modules.h"
#include "password_actions.h"
#include "questions.h"
#include "registry.h"
#include "request_actions.h"
#include "request_mail.h"
#include "visibility.h"

static const char *const roles[] = {
	"administrator", "viewer", "handler", "approver", "allocator", NULL
};

static const struct registry_party parties[] = {
	{ "helpdesk", "SELECT a.id, NULL::bigint FROM authorities a WHERE a.is_helpdesk"
	  " AND $1::bigint IS NOT NULL", "the users of the helpdesk authority" },
	{ "access-manager",
	  "SELECT m.id, NULL::bigint FROM wf_instances i JOIN authorities s ON s.id = i.authority_id"
	  "  JOIN authorities m ON m.deleted_at IS NULL AND (m.is_helpdesk"
	  "       OR ((m.is_nimic OR m.is_access_manager) AND m.country = s.country))"
	  " WHERE i.id = $1",
	  "the Access Managers that may manage the instance's authority: the helpdesk, and the NIMICs"
	  " and Access Managers of its country" },
	{ "managing-authority",
	  "SELECT am.manager_id, NULL::bigint FROM wf_instances i"
	  "  JOIN authority_managers am ON am.authority_id = i.authority_id WHERE i.id = $1",
	  "the authorities listed as Access Managers of the instance's authority (\"my authorities\")" },
	{ "invited-authority",
	  "SELECT v.authority_id, NULL::bigint FROM invitations v"
	  " WHERE v.instance_id = $1 AND v.authority_id IS NOT NULL",
	  "the authority that registered through the invitation" },
	{ "account-holder",
	  "SELECT u.authority_id, u.id FROM users u WHERE u.password_instance_id = $1"
	  " AND u.deleted_at IS NULL",
	  "for a password: the user whose password it is" },
	{ "requester", "SELECT r.requester_id, NULL::bigint FROM requests r WHERE r.instance_id = $1",
	  "for a request: the requesting authority" },
	{ "responder", "SELECT r.responder_id, NULL::bigint FROM requests r WHERE r.instance_id = $1",
	  "for a request: the authority that is to answer it now" },
	{ "responder-unless-allocation",
	  "SELECT r.responder_id, NULL::bigint FROM requests r"
	  "  JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module"
	  " WHERE r.instance_id = $1 AND NOT ma.allocation",
	  "for a request: the responder, when its access has allocation off" },
	{ "responder-if-allocation",
	  "SELECT r.responder_id, NULL::bigint FROM requests r"
	  "  JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module"
	  " WHERE r.instance_id = $1 AND ma.allocation",
	  "for a request: the responder, when its access has allocation on" },
	{ "responder-answerer",
	  "SELECT r.responder_id, CASE WHEN ma.allocation THEN r.allocated_user_id END FROM requests r"
	  "  JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module"
	  " WHERE r.instance_id = $1 AND (NOT ma.allocation OR r.allocated_user_id IS NOT NULL)",
	  "for a request: the responder's users, or only the allocated Handler when allocation is on" },
	{ "requester-coordinator",
	  "SELECT c.coordinator_id, NULL::bigint FROM requests r"
	  "  JOIN module_accesses ma ON ma.authority_id = r.requester_id AND ma.module = r.module"
	  "  JOIN access_coordinators c ON c.access_id = ma.id WHERE r.instance_id = $1",
	  "for a request: the linked coordinators of the requester's access to the module" },
	{ "responder-coordinator",
	  "SELECT c.coordinator_id, NULL::bigint FROM requests r"
	  "  JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module"
	  "  JOIN access_coordinators c ON c.access_id = ma.id WHERE r.instance_id = $1",
	  "for a request: the linked coordinators of the responder's access to the module" },
	{ "own-coordinator",
	  "SELECT c.coordinator_id, NULL::bigint FROM wf_instances i"
	  "  JOIN module_accesses ma ON ma.authority_id = i.authority_id AND ma.module = i.module"
	  "  JOIN access_coordinators c ON c.access_id = ma.id WHERE i.id = $1"
	  " UNION SELECT ma.authority_id, NULL::bigint FROM wf_instances i"
	  "  JOIN module_accesses ma ON ma.authority_id = i.authority_id AND ma.module = i.module"
	  " WHERE i.id = $1 AND ma.role = 'coordinator'",
	  "the coordinators of the instance's authority in the instance's module: its linked"
	  " coordinators, or the authority itself when it is a Coordinator there" },
	{ "own-authority-with-access",
	  "SELECT i.authority_id, NULL::bigint FROM wf_instances i"
	  " WHERE i.id = $1 AND module_access_active(i.authority_id, i.module)",
	  "the instance's authority, while it is active and its access to the instance's module is"
	  " granted (not suspended): who may start a case of a module" },
	{ NULL, NULL, NULL }
};

static const struct registry_condition conditions[] = {
	{ "all-accesses-suspended",
	  "SELECT NOT EXISTS (SELECT 1 FROM wf_instances i JOIN module_accesses m"
	  "   ON m.authority_id = i.authority_id JOIN wf_instances mi ON mi.id = m.instance_id"
	  " WHERE i.id = $1 AND mi.state = 'granted') AND ($2::bigint IS NULL OR true)",
	  "no module access of the instance's authority is granted (all are suspended)" },
	{ "authority-active",
	  "SELECT coalesce(authority_state(i.authority_id) = 'active', false) FROM wf_instances i"
	  " WHERE i.id = $1 AND ($2::bigint IS NULL OR true)",
	  "the instance's authority is active (validated, not deactivated)" },
	{ "linked-coordinator-present",
	  "SELECT coalesce((SELECT ma.role = 'coordinator' OR NOT mo.needs_coordinator"
	  "    OR EXISTS (SELECT 1 FROM access_coordinators c WHERE c.access_id = ma.id)"
	  "  FROM module_accesses ma JOIN modules mo ON mo.code = ma.module"
	  " WHERE ma.instance_id = $1), false) AND ($2::bigint IS NULL OR true)",
	  "the module access is a coordinator's, or its module needs no linked coordinator, or it has one" },
	{ "no-linked-authorities",
	  "SELECT NOT EXISTS (SELECT 1 FROM module_accesses ma JOIN access_coordinators c"
	  "   ON c.coordinator_id = ma.authority_id JOIN module_accesses other ON other.id = c.access_id"
	  "  AND other.module = ma.module WHERE ma.instance_id = $1) AND ($2::bigint IS NULL OR true)",
	  "no authority has the module access's authority as its linked coordinator for that module" },
	{ "own-access-active",
	  "SELECT module_access_active(i.authority_id, i.module) FROM wf_instances i"
	  " WHERE i.id = $1 AND ($2::bigint IS NULL OR true)",
	  "the instance's authority is active and its access to the instance's module is granted, not"
	  " suspended: what exchanges check before anything new starts or arrives" },
	{ "own-authority-manages",
	  "SELECT is_access_manager(i.authority_id) FROM wf_instances i"
	  " WHERE i.id = $1 AND ($2::bigint IS NULL OR true)",
	  "the instance's authority is an Access Manager (a NIMIC, or named so by the helpdesk)" },
	{ "password-due",
	  "SELECT coalesce((SELECT u.password_changed_at <= imi_now() - interval '6 months'"
	  "  FROM users u WHERE u.password_instance_id = $1), false) AND ($2::bigint IS NULL OR true)",
	  "for a password: it was last changed six months ago or longer" },
	{ "password-reminder-due",
	  "SELECT coalesce((SELECT u.password_changed_at <= imi_now() - interval '5 months 15 days'"
	  "  FROM users u WHERE u.password_instance_id = $1), false) AND ($2::bigint IS NULL OR true)",
	  "for a password: it expires within 15 days" },
	{ "requester-access-active",
	  "SELECT coalesce((SELECT module_access_active(r.requester_id, r.module) FROM requests r"
	  "  WHERE r.instance_id = $1), false) AND ($2::bigint IS NULL OR true)",
	  "for a request: the requester is active and its access to the module granted" },
	{ "responder-access-active",
	  "SELECT coalesce((SELECT module_access_active(r.responder_id, r.module) FROM requests r"
	  "  WHERE r.instance_id = $1), false) AND ($2::bigint IS NULL OR true)",
	  "for a request: the responder is active and its access to the module granted" },
	{ "requester-approval-required", "SELECT coalesce((SELECT ma.approval_required FROM requests r JOIN module_accesses ma"
	  "   ON ma.authority_id = r.requester_id AND ma.module = r.module WHERE r.instance_id = $1),"
	  " false) AND ($2::bigint IS NULL OR true)",
	  "for a request: the requester's access says \"approval required\"" },
	{ "responder-approval-required", "SELECT coalesce((SELECT ma.approval_required FROM requests r JOIN module_accesses ma"
	  "   ON ma.authority_id = r.responder_id AND ma.module = r.module WHERE r.instance_id = $1),"
	  " false) AND ($2::bigint IS NULL OR true)",
	  "for a request: the responder's access says \"approval required\" (for replies)" },
	{ "responder-may-refuse", "SELECT coalesce((SELECT ma.right_to_refuse FROM requests r JOIN module_accesses ma"
	  "   ON ma.authority_id = r.responder_id AND ma.module = r.module WHERE r.instance_id = $1),"
	  " false) AND ($2::bigint IS NULL OR true)",
	  "for a request: the responder's access has the right to refuse" },
	{ "responder-allocation", "SELECT coalesce((SELECT ma.allocation FROM requests r JOIN module_accesses ma"
	  "   ON ma.authority_id = r.responder_id AND ma.module = r.module WHERE r.instance_id = $1),"
	  " false) AND ($2::bigint IS NULL OR true)",
	  "for a request: the responder's access has allocation on" },
	{ "request-answered",
	  "SELECT NOT EXISTS (SELECT 1 FROM requests r JOIN request_questions q ON q.request_id = r.id"
	  "  WHERE r.instance_id = $1 AND coalesce(q.answer, '') = '') AND ($2::bigint IS NULL OR true)",
	  "for a request: every question has an answer" },
	{ "actor-access-active",
	  "SELECT CASE WHEN $2::bigint IS NULL THEN true ELSE coalesce((SELECT"
	  "  module_access_active(u.authority_id, i.module) FROM wf_instances i, users u"
	  "  WHERE i.id = $1 AND u.id = $2::bigint), false) END",
	  "the acting user's authority is active and its access to the instance's module is granted,"
	  " not suspended (always, for the system)" },
	{ NULL, NULL, NULL }
};

static const struct registry_action actions[] = {
	{ "grant-module-roles", act_grant_module_roles,
	  "every Administrator of the access's authority gets all user roles of its module" },
	{ "send-first-password", act_send_first_password,
	  "users of the authority who never had a password get a temporary one by mail" },
	{ "notify-rejection", act_notify_rejection,
	  "mails the authority's users that its registration was rejected, with the \"reason\" input" },
	{ "sync-password-state", act_sync_password_state,
	  "for a password: users.password_state takes the instance's new state (signing in reads it)" },
	{ "reset-password", act_reset_password,
	  "for a password: a new temporary password by mail; the user's sessions end" },
	{ "mail-password-reminder", act_mail_password_reminder,
	  "for a password: mails its holder that it expires soon" },
	{ "mail-password-blocked", act_mail_password_blocked,
	  "for a password: mails its holder that it is blocked and whom to ask (the sign-in page"
	  " never says it)" },
	{ "accept-request", act_accept_request,
	  "for a request: the agreed reply date is the proposed one (which needs a \"reason\"), or"
	  " the one asked; \"remind-at\" in the data is two days before it" },
	{ "forward-request", act_forward_request,
	  "for a request: the \"authority\" input becomes the responder (active, with an active access;"
	  " else the form again)" },
	{ "allocate-request", act_allocate_request,
	  "for a request: the \"handler\" input (a Handler of the responder) is allocated" },
	{ "follow-up-request", act_follow_up_request,
	  "for a request: the \"reply-date\" input becomes the agreed reply date (and \"remind-at\")" },
	{ "split-request", act_split_request,
	  "for a request: the \"question\" fields move to a new linked request to the \"authority\""
	  " input, sent at once (\"split-off\" by the system); one question at least moves and stays" },
	{ "close-request", act_close_request, "for a request: records when it closed" },
	{ "edit-request", act_edit_request,
	  "for a draft request: its author's edit of its fields, questions and documents" },
	{ "block-personal-data", act_block_personal_data,
	  "for a request: hides the personal data from every user (retention, 6 months after closure)" },
	{ "delete-personal-data", act_delete_personal_data,
	  "for a request: deletes the personal data (retention, 3 years after closure)" },
	{ "remove-authority-data", act_remove_authority_data,
	  "deletes the authority's users and contact data; its anonymous history stays" },
	{ "grant-horizontal-modules", act_grant_horizontal_modules,
	  "the authority gets an access (role authority) to every module the catalogue marks"
	  " horizontal, unless it has one; refused unless the instance is the authority's own" },
	{ NULL, NULL, NULL }
};

static const struct registry_mail_model mail_models[] = {
	{ "request-event", request_mail_model },
	{ NULL, NULL }
};

static const char *
catalogue_what(struct arena *a, const char *path, const char *content, size_t len,
    const char *datadir)
{
	(void)a, (void)path, (void)content, (void)len, (void)datadir;
	/* One catalogue orders the whole modules table: two in one deploy would both claim it. */
	return "a module catalogue";
}

static int
catalogue_store(struct db *db, struct arena *a, const char *path, const char *content,
    size_t len, const char *datadir)
{
	int changed = modules_store(db, a, path, content, len, datadir);

	if (changed == -1)
		return -1;
	if (changed == 0)
		printf("%s: module catalogue unchanged\n", path);
	else
		printf("%s: module catalogue, %d module%s added or changed\n", path, changed,
		    changed == 1 ? "" : "s");
	return 0;
}

static const char *
questions_what(struct arena *a, const char *path, const char *content, size_t len,
    const char *datadir)
{
	struct questions_set *set = questions_parse(path, content, len, datadir, NULL, NULL);
	const char *what = NULL;

	/* Two sets of one module would each replace the other's questions. */
	if (set != NULL)
		what = arena_printf(a, "the question set of \"%s\"", set->module);
	questions_free(set);
	return what;
}

static int
questions_store_file(struct db *db, struct arena *a, const char *path, const char *content,
    size_t len, const char *datadir)
{
	struct questions_set *set = questions_parse(path, content, len, datadir, NULL, NULL);
	char module[128];
	int changed;

	if (set == NULL)
		return -1;
	snprintf(module, sizeof(module), "%s", set->module);
	questions_free(set);
	if ((changed = questions_store(db, a, path, content, len, datadir)) == -1)
		return -1;
	if (changed == 0)
		printf("%s: question set of \"%s\" unchanged\n", path, module);
	else
		printf("%s: question set of \"%s\", %d question%s stored\n", path, module, changed,
		    changed == 1 ? "" : "s");
	return 0;
}

static const struct registry_data_kind data_kinds[] = {
	{ "module catalogue", 0, modules_is_catalogue, modules_check, catalogue_what,
	  catalogue_store },
	/* After the definitions and the catalogue: question_sets refers to modules. */
	{ "question set", 1, questions_is_set, questions_check, questions_what,
	  questions_store_file },
	{ NULL, 0, NULL, NULL, NULL, NULL }
};

/*
 * The rules of who sees an instance a definition may name (seen-by); the
 * pages put the same texts into their statements (visibility.h).
 */
static const struct registry_seen_by seen_by[] = {
	{ "request", IMI_SEEN_BY_REQUEST,
	  "an information request: the users with a role in its module of the requester, once sent of"
	  " the responder, and of their linked coordinators; a draft is its author's" },
	{ "managed", IMI_SEEN_BY_MANAGED,
	  "an authority, module access or invitation: its own users, the helpdesk's, and those of the"
	  " NIMICs and Access Managers of its country" },
	{ "exchange", IMI_SEEN_BY_EXCHANGE,
	  "a one-to-many exchange: the users with a role in its module of the sender, of every"
	  " participant, and (once out of draft) of the sender's linked coordinators" },
	{ "published", IMI_SEEN_BY_PUBLISHED,
	  "an entry published to a module: while in the state active, every user with a role in its module whose"
	  " access is granted; in every state, the users with a role in the module of its authority"
	  " and of its participants (the managers), and the helpdesk's" },
	{ NULL, NULL, NULL }
};

/*
 * Who <add-participants> adds: $1 instance, $2 acting authority, $3 text[]
 * values, $4 module (engine/wf/registry.h); module_members() is
 * sql/021_participants.sql.
 */
static const struct registry_selector selectors[] = {
	{ "coordinators-in-countries",
	  "SELECT m.authority_id FROM module_members($4) m"
	  " WHERE m.access_role = 'coordinator' AND m.country = ANY($3::text[])"
	  "   AND ($1::bigint IS NULL OR true) AND ($2::bigint IS NULL OR true)",
	  "the active authorities of the countries given with a granted Coordinator access to the"
	  " module" },
	{ "authorities-of-own-country",
	  "SELECT m.authority_id FROM module_members($4) m JOIN authorities me ON me.id = $2::bigint"
	  " WHERE m.country = me.country AND m.authority_id::text = ANY($3::text[])"
	  "   AND ($1::bigint IS NULL OR true)",
	  "the authorities given that are active, of the acting authority's country, with a granted"
	  " access to the module" },
	{ "helpdesk",
	  "SELECT a.id FROM authorities a WHERE a.is_helpdesk AND a.deleted_at IS NULL"
	  "   AND ($1::bigint IS NULL OR true) AND ($2::bigint IS NULL OR true)"
	  "   AND ($3::text[] IS NULL OR true) AND ($4::text IS NULL OR true)",
	  "the helpdesk authority (the Commission's part in an exchange)" },
	{ "own-authority",
	  "SELECT i.authority_id FROM wf_instances i WHERE i.id = $1"
	  "   AND ($2::bigint IS NULL OR true) AND ($3::text[] IS NULL OR true)"
	  "   AND ($4::text IS NULL OR true)",
	  "the instance's authority (who creates a case manages it); takes no values" },
	{ "authorities-with-access",
	  "SELECT m.authority_id FROM module_members($4) m"
	  " WHERE m.authority_id::text = ANY($3::text[])"
	  "   AND ($1::bigint IS NULL OR true) AND ($2::bigint IS NULL OR true)",
	  "the authorities given (of any country) that are active with a granted access to the"
	  " module; others are left out silently" },
	{ NULL, NULL, NULL }
};

/*
 * The option sources a choice may name (options-from): $1 the instance's
 * module; rows (value, label, group).  module_keyword_options() is
 * sql/030_option_sources.sql.
 */
static const struct registry_option_source option_sources[] = {
	{ "module-keywords", "SELECT * FROM module_keyword_options($1::text)",
	  "the keywords of the request and register modules and of the instance's module (the"
	  " catalogue, workflows/modules.xml), grouped by legal area; value: the keyword as a slug"
	  " (\"Real estate agents\": real-estate-agents), label: its English wording" },
	{ NULL, NULL, NULL }
};

static const struct registry_domain imi = {
	.name = "imi",
	.roles = roles,
	.parties = parties,
	.conditions = conditions,
	.actions = actions,
	.mail_models = mail_models,
	.data_kinds = data_kinds,
	.selectors = selectors,
	.seen_by = seen_by,
	.option_sources = option_sources,
	.seen_by_default = IMI_VISIBLE_DEFAULT,
};

int
imi_register(void)
{
	if (wf_builtins_register() == -1)
		return -1;
	return registry_add(&imi);
}
