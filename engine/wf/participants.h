/*
 * participants.h — asking whether someone holds a party of an instance,
 * whichever kind the party is: a registered one, or a participant role of
 * the instance's definition (participant_roles.h; its rows:
 * participant_rows.h).  For the pages and field visibility (<shown-to>).
 */
#ifndef IMIFLOW_PARTICIPANTS_H
#define IMIFLOW_PARTICIPANTS_H

struct arena;
struct db;
struct wf_actor;
struct wf_def;

/*
 * Whether actor's authority (or the actor) holds party on the instance,
 * whatever their role: 1, 0 (also for a name that is no party), -1 on error.
 */
int wf_party_holds(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_def *def, const char *party);

#endif
