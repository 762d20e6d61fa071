/*
 * engine.h — the context of firing a transition, as the registry's actions
 * see it: the definition version the instance runs, the transition, the
 * instance and who acts.  Actions run inside the firing transaction.
 */
#ifndef IMIFLOW_ENGINE_H
#define IMIFLOW_ENGINE_H

#include <stddef.h>

struct arena;
struct config;
struct db;
struct http_field;
struct wf_def;
struct wf_state;
struct wf_transition;

enum wf_actor_kind {
	WF_ACTOR_USER,      /* through the pages */
	WF_ACTOR_MAIL,      /* through an approval link in a mail */
	WF_ACTOR_SYSTEM     /* the worker, firing a due timer */
};

struct wf_actor {
	enum wf_actor_kind kind;
	long long user_id;        /* 0 for the system */
	long long authority_id;   /* 0 for the system */
};

struct wf_fire {
	struct db *db;
	struct arena *a;
	const struct config *cfg;
	const struct wf_def *def;
	const struct wf_state *from, *to;
	const struct wf_transition *t;
	long long instance_id;
	const struct wf_actor *actor;
	const struct http_field *inputs;
	size_t ninputs;
};

#endif
