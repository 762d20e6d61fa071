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
struct multipart_file;
struct wf_outcome;
struct _xmlNode;

/* What a form brought: its fields and, when multipart, its files. */
struct wf_inputs {
	const struct http_field *fields;
	size_t nfields;
	const struct multipart_file *files;
	size_t nfiles;
};
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
	const struct wf_inputs *in;
	long long rev;            /* the instance's revision after this transition */
	const char *module;       /* the instance's module: its roles count for mail and links */
	struct wf_outcome *out;   /* where an action refusing an input says why (wf_refuse) */
};

/*
 * A step of firing that keeps part of the instance in tables of its own (the
 * case form, comments: caseform.h, comments.h), registered once at start
 * (wf_builtins_register()).  Steps run in the firing transaction after the
 * inputs passed their checks and before the history row is written, f->rev
 * being that row's seq; *hist is the row's inputs (a JSON object), which a
 * step may replace (from f->a).  0, 1 an input refused (wf_refuse), -1 error.
 */
typedef int (*wf_fire_step_fn)(struct wf_fire *f, const char **hist);
/* 0, or -1 when the table is full; adding the same step twice is a no-op. */
int wf_fire_step_add(wf_fire_step_fn fn);

/*
 * What a part keeps of the instance that every mail about it should carry
 * (the case form's summary fields and what changed: caseform.h), added once
 * per <notify> under holder (the children are copied into each recipient's
 * <mail>, so a broadcast to hundreds asks once).  Only what every recipient
 * may see belongs there.  0, or -1 on error.
 */
typedef int (*wf_mail_part_fn)(struct wf_fire *f, struct _xmlNode *holder);
/* 0, or -1 when the table is full; adding the same function twice is a no-op. */
int wf_mail_part_add(wf_mail_part_fn fn);

#define WF_LINK_DAYS 7        /* how long an approval link in a mail stays valid */

enum wf_result {
	WF_OK,
	WF_NOT_FOUND,   /* no such instance or definition, or not visible to the user: 404 */
	WF_CONFLICT,    /* changed meanwhile, or no such event in its state now: 409 */
	WF_FORBIDDEN,   /* the guard refuses this actor: 403, nothing written */
	WF_INVALID,     /* inputs refused: the form again with the errors */
	WF_ERROR        /* 500 */
};

#define WF_MAX_ERRORS 32

struct wf_field_error {
	const char *input;
	const char *rule;     /* required, too-long, date, choice, authority, user, file */
};

/*
 * Why a transition was refused, by kind and names, for a page to put into the
 * reader's words: detail says the same in English, for the log (issue 16).
 * ROLE_PARTY: name is the role, value the party (either NULL: any).
 * CONDITION: name is the condition.  FIELD: name is the field (negate: it
 * must be empty).  FIELD_EQUALS: name the field, value what it must hold
 * (negate: must not).  FOUR_EYES: name is the event someone else did.
 */
enum wf_reason_kind {
	WF_REASON_NONE, WF_REASON_NOBODY, WF_REASON_ROLE_PARTY, WF_REASON_CONDITION,
	WF_REASON_FIELD, WF_REASON_FIELD_EQUALS, WF_REASON_FOUR_EYES, WF_REASON_OTHER
};

struct wf_reason {
	enum wf_reason_kind kind;
	int negate;
	const char *name;
	const char *value;
};

/* The kind as the page model writes it: "role-party", "four-eyes", ...; NULL for none. */
const char *wf_reason_kind_name(enum wf_reason_kind kind);

struct wf_outcome {
	enum wf_result result;
	const char *detail;   /* what was missing or what changed, for the log (English) */
	struct wf_reason reason;  /* a refusal's detail in names, for the page */
	struct wf_field_error errors[WF_MAX_ERRORS];
	size_t nerrors;
	const char *state;    /* the state after firing */
	const char *state_label;  /* a conflict's current state in words (a catalogue key) */
};

/*
 * For an action in C that finds an input impossible (a forward to an
 * authority that cannot answer): records the rule broken for the input and
 * returns 1, which the action returns in turn.  The transition then writes
 * nothing and the form comes back with the error, as for a required field.
 * Actions return 0 when done, 1 when refused this way, -1 on error.
 */
int wf_refuse(struct wf_fire *f, const char *input, const char *rule);

/*
 * For an action in C asked to act on something that is not its instance's
 * own subject (an authority instance that is not the authority's lifecycle):
 * records what is missing and returns -1, which the action returns in turn.
 * The transition then writes nothing and answers as a refused guard (403).
 */
int wf_forbid(struct wf_fire *f, const char *missing);

/*
 * Starts an instance of the newest version of definition in its initial
 * state, belonging to authority_id, and writes its first history row, inside
 * the caller's transaction; module NULL takes the definition's.  Returns the
 * instance id, or -1.  For the domain's own pages and actions: it asks no
 * guard (see wf_start_declared).
 */
long long wf_start_tx(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, const char *definition, long long authority_id,
    const char *module);

/*
 * Starts an instance from the generic pages: only when the newest version of
 * definition declares a <start> that actor passes, asked of the new instance
 * (belonging to the actor's authority) in the transaction that would commit
 * it.  WF_OK with *id; WF_FORBIDDEN with *missing, and nothing written;
 * WF_NOT_FOUND; WF_ERROR.  dry_run: the same answer, and nothing written in
 * any case (whether a page offers the button); called inside the caller's
 * transaction, the would-be instance is left to the caller's rollback, so a
 * page asks for several definitions in one transaction (/workflows, /cases/new).
 */
enum wf_result wf_start_declared(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, const char *definition, int dry_run, long long *id,
    const char **missing);

/*
 * Fires event on the instance as actor: one transaction that locks the
 * instance, compares its revision with expected_rev (0: do not compare),
 * checks the guard and the inputs, runs the actions, writes the state, one
 * history row, mails and timers.  wf_fire is the pages' generic path: an
 * instance a user actor may not see (the domain's rule, registry_domain.seen_by) is WF_NOT_FOUND
 * before anything else.  wf_fire_tx does the same inside the caller's
 * transaction (the worker firing a timer, a domain page that decided who may
 * act), committing nothing, and leaves visibility to its caller.
 */
void wf_fire(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, long long instance_id, long long expected_rev,
    const char *event, const struct wf_inputs *in, struct wf_outcome *out);
void wf_fire_tx(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, long long instance_id, long long expected_rev,
    const char *event, const struct wf_inputs *in, struct wf_outcome *out);

/* 1 when actor passes t's guard (allows and conditions) on the instance, 0 if not, -1 on error. */
int wf_guard(struct db *db, struct arena *a, const struct wf_actor *actor, long long instance_id,
    const char *module, const struct wf_transition *t, const char **missing);

/* Fires the timers that are due, each once even with several workers; returns how many, or -1. */
int wf_fire_due_timers(struct db *db, const struct config *cfg);

#endif
