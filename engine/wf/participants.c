/* participants.c — see participants.h. */
#include "participants.h"

#include <string.h>

#include "engine.h"
#include "participant_roles.h"
#include "registry.h"
#include "workflow.h"

/* The guard of a transition with one <allow party=…/>: the engine's own statements answer. */
int
wf_party_holds(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_def *def, const char *party)
{
	struct wf_allow al;
	struct wf_transition t;
	const char *missing;

	memset(&al, 0, sizeof(al));
	memset(&t, 0, sizeof(t));
	al.party = party;
	al.participant = participant_role_find(def->roles, def->nroles, party) != NULL;
	if (!al.participant && registry_party(party) == NULL)
		return 0;
	t.event = "party";
	t.allows = &al;
	t.nallows = 1;
	return wf_guard(db, a, actor, iid, module, &t, &missing);
}
