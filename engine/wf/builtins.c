/* builtins.c — see builtins.h. */
#include "builtins.h"

#include <stddef.h>

#include "caseform.h"
#include "comments.h"
#include "engine.h"
#include "log.h"
#include "registry.h"
#include "workflow.h"

static const struct registry_party parties[] = {
	{ "any", "SELECT a.id, NULL::bigint FROM authorities a WHERE $1::bigint IS NOT NULL",
	  "every signed-in user" },
	{ "own-authority", "SELECT i.authority_id, NULL::bigint FROM wf_instances i WHERE i.id = $1",
	  "the users of the authority the instance belongs to" },
	{ "creator", "SELECT u.authority_id, u.id FROM wf_instances i JOIN users u ON u.id = i.created_by"
	  " WHERE i.id = $1", "the user who started the instance" },
	{ "system", NULL, "the worker, firing a due timer" },
	/* One-to-many exchanges: the rows of wf_participants (participants.h). */
	{ "participant", "SELECT DISTINCT p.authority_id, NULL::bigint FROM wf_participants p"
	  " WHERE p.instance_id = $1", "the authorities participating in the instance, in any role" },
	{ "new-participants",
	  "SELECT DISTINCT p.authority_id, NULL::bigint FROM wf_participants p"
	  "  JOIN wf_instances i ON i.id = p.instance_id WHERE p.instance_id = $1 AND p.added_seq = i.rev",
	  "the participants the transition firing now added (for <notify>)" },
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

static const struct registry_domain builtins = {
	.name = "workflow",
	.parties = parties,
	.conditions = conditions,
	.actions = actions,
};

int
wf_builtins_register(void)
{
	/* The case form and comments are vocabulary and firing steps any workflow may use. */
	if (caseform_register() == -1 || comments_register() == -1)
		return -1;
	return registry_add(&builtins);
}
