/* participant_roles.c — see participant_roles.h. */
#include "participant_roles.h"

#include <string.h>

#include <libxml/tree.h>

#include "arena.h"
#include "xmlread.h"

static size_t
count(xmlNodePtr parent, const char *name)
{
	size_t c = 0;

	for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
		c += xmlread_is(n, name);
	return c;
}

int
participant_roles_parse(struct arena *a, xmlNodePtr n, struct wf_participant_role **roles,
    size_t *nroles)
{
	size_t k = 0;

	if ((*nroles = count(n, "role")) == 0)
		return 0;
	if ((*roles = arena_calloc(a, *nroles, sizeof(**roles))) == NULL)
		return -1;
	for (xmlNodePtr r = n->children; r != NULL; r = r->next) {
		struct wf_participant_role *role;
		size_t s = 0;
		if (!xmlread_is(r, "role"))
			continue;
		role = &(*roles)[k++];
		role->name = xmlread_attr(a, r, "name");
		role->label = xmlread_attr(a, r, "label");
		role->line = (int)xmlGetLineNo(r);
		/* The schema asks for one state at least. */
		if ((role->nstates = count(r, "state")) > 0 &&
		    (role->states = arena_calloc(a, role->nstates, sizeof(*role->states))) == NULL)
			return -1;
		for (xmlNodePtr st = r->children; st != NULL; st = st->next) {
			if (!xmlread_is(st, "state"))
				continue;
			role->states[s].name = xmlread_attr(a, st, "name");
			role->states[s].label = xmlread_attr(a, st, "label");
			role->states[s].line = (int)xmlGetLineNo(st);
			s++;
		}
	}
	return 0;
}

const struct wf_participant_role *
participant_role_find(const struct wf_participant_role *roles, size_t nroles, const char *name)
{
	for (size_t i = 0; name != NULL && i < nroles; i++)
		if (strcmp(roles[i].name, name) == 0)
			return &roles[i];
	return NULL;
}

int
participant_role_has_state(const struct wf_participant_role *role, const char *state)
{
	for (size_t i = 0; state != NULL && i < role->nstates; i++)
		if (strcmp(role->states[i].name, state) == 0)
			return 1;
	return 0;
}
