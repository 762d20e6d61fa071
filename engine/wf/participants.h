/*
 * participants.h — one-to-many exchanges as generic engine primitives
 * (workflows/README.md, "Participants"): a definition's <participants> roles,
 * each with its own small states; <add-participants> (a registered selector's
 * authorities, added in one INSERT ... SELECT) and <participant-state>; each
 * role as a party of its definition (<allow party="ROLE" in="STATE">,
 * <notify party="ROLE">); the input types countries and authorities.  The
 * rows are wf_participants (sql/021_participants.sql), one per recipient:
 * nothing on the instance row counts them.
 */
#ifndef IMIFLOW_PARTICIPANTS_H
#define IMIFLOW_PARTICIPANTS_H

#include <stddef.h>

struct _xmlNode;
struct arena;
struct buf;
struct db;
struct findings;
struct wf_action;
struct wf_actor;
struct wf_def;
struct wf_fire;
struct wf_input;
struct wf_inputs;

/*
 * The rows of a participant role, as (authority_id, user_id) for the engine's
 * party statements: $1 the instance, $6 the role, $7 a state or NULL (any).
 */
#define WF_PARTICIPANT_ROWS "SELECT p.authority_id, NULL::bigint FROM wf_participants p" \
	" WHERE p.instance_id = $1 AND p.role = $6 AND ($7::text IS NULL OR p.state = $7)"

/* Parse: the root's <participants> into def; 0 or -1 (out of memory). */
int wf_participants_parse(struct arena *a, struct _xmlNode *n, struct wf_def *def);
/* 1 when n is <add-participants> or <participant-state>. */
int wf_participants_is_action(struct _xmlNode *n);
/* Builds act from such an n; 0 or -1. */
int wf_participants_action(struct arena *a, struct _xmlNode *n, struct wf_action *act);

/*
 * Link: marks the allows and notifies whose party is one of def's roles
 * (wf_allow.participant, wf_action.participant) and reports what is wrong
 * with roles, seen-by, in=, selectors, concurrent="true".  Call before the
 * names are checked: a role is then no unknown party.
 */
void wf_participants_link(struct findings *r, struct wf_def *def);
const struct wf_participant_role *wf_participant_role(const struct wf_def *def, const char *name);

/* Runs an <add-participants> or <participant-state> of the transition firing; 0 or -1. */
int wf_participants_run(struct wf_fire *f, const struct wf_action *ac);

/*
 * A countries or authorities input: its values (every field of its name),
 * checked in one query.  0 with *json the values as a JSON array (NULL when
 * there are none) and *rule NULL, or *rule the rule broken; -1 on error.
 */
int wf_participants_input(struct db *db, struct arena *a, const struct wf_input *d,
    const struct wf_inputs *in, const char **json, const char **rule);

/*
 * Whether actor's authority (or the actor) holds party on the instance, whatever
 * their role: a registered party or one of def's participant roles.  1, 0, -1.
 */
int wf_party_holds(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_def *def, const char *party);

#endif
