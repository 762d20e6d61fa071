/* registry.c — see registry.h. */
#include "registry.h"

#include <stddef.h>
#include <string.h>

#include "authority_actions.h"
#include "engine.h"
#include "log.h"
#include "password_life.h"
#include "request_actions.h"
#include "request_mail.h"
#include "workflow.h"

static const char *const roles[] = {
	"administrator", "viewer", "handler", "approver", "allocator", NULL
};

static const struct registry_party parties[] = {
	{ "any", "SELECT a.id, NULL::bigint FROM authorities a WHERE $1::bigint IS NOT NULL",
	  "every signed-in user" },
	{ "own-authority", "SELECT i.authority_id, NULL::bigint FROM wf_instances i WHERE i.id = $1",
	  "the users of the authority the instance belongs to" },
	{ "creator", "SELECT u.authority_id, u.id FROM wf_instances i JOIN users u ON u.id = i.created_by"
	  " WHERE i.id = $1", "the user who started the instance" },
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
	{ "system", NULL, "the worker, firing a due timer" },
	{ NULL, NULL, NULL }
};

static const struct registry_condition conditions[] = {
	{ "always", "SELECT $1::bigint IS NOT NULL OR $2::bigint IS NULL", "always holds" },
	{ "never", "SELECT false AND ($1::bigint IS NULL OR $2::bigint IS NULL)", "never holds" },
	{ "has-comment", "SELECT coalesce(i.data->>'comment', '') <> '' FROM wf_instances i"
	  " WHERE i.id = $1 AND ($2::bigint IS NULL OR true)",
	  "the instance's data holds a non-empty \"comment\"" },
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
	{ NULL, NULL, NULL }
};

static int
act_log(struct wf_fire *f)
{
	log_info("instance %lld: %s -> %s by %s", f->instance_id, f->from->name, f->to->name,
	    f->actor->kind == WF_ACTOR_SYSTEM ? "system" : "a user");
	return 0;
}

static const struct registry_action actions[] = {
	{ "log", act_log, "writes a line to the engine's log" },
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
	{ "block-personal-data", act_block_personal_data,
	  "for a request: hides the personal data from every user (retention, 6 months after closure)" },
	{ "delete-personal-data", act_delete_personal_data,
	  "for a request: deletes the personal data (retention, 3 years after closure)" },
	{ "remove-authority-data", act_remove_authority_data,
	  "deletes the authority's users and contact data; its anonymous history stays" },
	{ NULL, NULL, NULL }
};

int
registry_role_exists(const char *role)
{
	for (size_t i = 0; roles[i] != NULL; i++)
		if (strcmp(roles[i], role) == 0)
			return 1;
	return 0;
}

const struct registry_party *
registry_party(const char *name)
{
	for (size_t i = 0; parties[i].name != NULL; i++)
		if (strcmp(parties[i].name, name) == 0)
			return &parties[i];
	return NULL;
}

const struct registry_condition *
registry_condition(const char *name)
{
	for (size_t i = 0; conditions[i].name != NULL; i++)
		if (strcmp(conditions[i].name, name) == 0)
			return &conditions[i];
	return NULL;
}

const struct registry_action *
registry_action(const char *name)
{
	for (size_t i = 0; actions[i].name != NULL; i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}

static const struct {
	const char *template_name;
	registry_mail_fn fn;
} mail_models[] = {
	{ "request-event", request_mail_model },
};

registry_mail_fn
registry_mail_model(const char *template_name)
{
	for (size_t i = 0; i < sizeof(mail_models) / sizeof(mail_models[0]); i++)
		if (strcmp(mail_models[i].template_name, template_name) == 0)
			return mail_models[i].fn;
	return NULL;
}

const char *const *registry_roles(void) { return roles; }
const struct registry_party *registry_parties(void) { return parties; }
const struct registry_condition *registry_conditions(void) { return conditions; }
const struct registry_action *registry_actions(void) { return actions; }
