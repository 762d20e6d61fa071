/* registry.c — see registry.h. */
#include "registry.h"

#include <stddef.h>
#include <string.h>

#include "engine.h"
#include "log.h"
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
	{ "system", NULL, "the worker, firing a due timer" },
	{ NULL, NULL, NULL }
};

static const struct registry_condition conditions[] = {
	{ "always", "SELECT $1::bigint IS NOT NULL OR $2::bigint IS NULL", "always holds" },
	{ "never", "SELECT false AND ($1::bigint IS NULL OR $2::bigint IS NULL)", "never holds" },
	{ "has-comment", "SELECT coalesce(i.data->>'comment', '') <> '' FROM wf_instances i"
	  " WHERE i.id = $1 AND ($2::bigint IS NULL OR true)",
	  "the instance's data holds a non-empty \"comment\"" },
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

const char *const *registry_roles(void) { return roles; }
const struct registry_party *registry_parties(void) { return parties; }
const struct registry_condition *registry_conditions(void) { return conditions; }
const struct registry_action *registry_actions(void) { return actions; }
