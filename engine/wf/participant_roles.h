/*
 * participant_roles.h — a definition's <participants>: the roles an authority
 * may hold in an instance of a one-to-many exchange, each with its own small
 * states (rows are added in the first).  Parsed with the definition
 * (workflow.c) and kept in struct wf_def; each role is also a party of its
 * definition.  Vocabulary: workflows/README.md, "Participants".
 */
#ifndef IMIFLOW_PARTICIPANT_ROLES_H
#define IMIFLOW_PARTICIPANT_ROLES_H

#include <stddef.h>

struct _xmlNode;
struct arena;

struct wf_participant_state {
	const char *name, *label;
	int line;
};

struct wf_participant_role {
	const char *name, *label;
	struct wf_participant_state *states;
	size_t nstates;
	int line;
};

/* The roles of a <participants> element into *roles; 0 or -1 (out of memory). */
int participant_roles_parse(struct arena *a, struct _xmlNode *n, struct wf_participant_role **roles,
    size_t *nroles);
/* The role of that name among roles, or NULL. */
const struct wf_participant_role *participant_role_find(const struct wf_participant_role *roles,
    size_t nroles, const char *name);
/* 1 when the role declares the state. */
int participant_role_has_state(const struct wf_participant_role *role, const char *state);

#endif
