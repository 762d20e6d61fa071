/*
 * workflow.h — workflow definitions: parse → link → run.
 *
 * wf_parse() reads a definition (validated against workflows/workflow.rng)
 * into a tree whose every node remembers its line; wf_link() resolves names
 * and checks meaning (lint), reporting "file:line: message"; a linked
 * definition is immutable and shared read-only by every thread.
 * Vocabulary: workflows/README.md.
 */
#ifndef IMIFLOW_WORKFLOW_H
#define IMIFLOW_WORKFLOW_H

#include <stddef.h>

struct arena;

#define WF_NAME_MAX 63

/* countries, authorities: several values, repeated form fields of one name (participants.h). */
enum wf_input_type { WF_IN_TEXT, WF_IN_TEXTAREA, WF_IN_DATE, WF_IN_CHOICE, WF_IN_AUTHORITY,
	WF_IN_USER, WF_IN_FILE,
	WF_IN_COUNTRIES,          /* several country codes (participants, case forms) */
	WF_IN_AUTHORITIES,        /* several authority ids */
	WF_IN_COMMENT,            /* case comments (comments.h): a comment id of the instance */
	WF_IN__MAX };

struct wf_field;
struct wf_caseform;
struct wf_caseops;

enum wf_action_kind { WF_ACT_SET, WF_ACT_NOTIFY, WF_ACT_START_TIMER, WF_ACT_CANCEL_TIMER,
	WF_ACT_CALL, WF_ACT_ADD_PARTICIPANTS, WF_ACT_PARTICIPANT_STATE,
	WF_ACT_REMOVE_PARTICIPANTS, WF_ACT__MAX };

struct wf_option {
	const char *value, *label;
	int line;
};

struct wf_input {
	const char *name, *label;
	enum wf_input_type type;
	int required;
	long max;                 /* characters for text; 0 = the default limit */
	struct wf_option *options;
	size_t noptions;
	int line;
	/* options-from="NAME": a registered option source gives the options instead (option_source.h). */
	const char *options_from;
	/* Case forms and comments (caseform.h, comments.h). */
	const char *of_type;             /* comment: only comments of this type */
	const struct wf_field *field;    /* a <form> field under <edit-form/>: saved to the form */
	int unrecorded;                  /* kept by the case (form, comment), never in history */
};

struct wf_allow {
	const char *role;         /* NULL = any role */
	const char *party;        /* NULL = any party */
	int line;
	/* Participants: in="STATE" (NULL: any); set by wf_link: party names a <participants> role. */
	const char *in;
	int participant;
};

struct wf_cond {
	const char *name;         /* condition="…": a registered condition; NULL with field */
	/*
	 * field="F" [equals="V"]: the instance's data field F, else the latest case
	 * form version's, is not empty (holds V; one of its values for several).
	 */
	const char *field, *equals;
	int negate;               /* <unless> */
	int line;
};

/* <not-by event="E"/>: nobody who ever fired E on the instance may fire this (four eyes). */
struct wf_not_by {
	const char *event;        /* an event of the definition, or "start": who created it */
	int line;
};

/* An ISO 8601 duration, kept in PostgreSQL's interval terms. */
struct wf_duration {
	int years, months, days, hours, minutes, seconds;
};

struct wf_action {
	enum wf_action_kind kind;
	int line;
	/* set */
	const char *field, *value, *input;
	int now;
	/* notify */
	const char *party, *role, *template;
	const char **links;
	size_t nlinks;
	/* start-timer / cancel-timer */
	const char *timer, *event, *from;
	struct wf_duration after;
	const char *after_text;
	/* call */
	const char *call;
	/*
	 * add-participants (select, field or input), remove-participants (field or
	 * input) and participant-state (to) of a role
	 */
	const char *participant_role, *select, *values_field, *values_input, *to_state;
	/* set by wf_link: notify's party names a <participants> role */
	int participant;
};

struct wf_state;

struct wf_participant_role;    /* participant_roles.h */

struct wf_transition {
	const char *event, *to_name, *label, *confirm;
	const struct wf_state *to;          /* set by wf_link */
	struct wf_allow *allows;
	size_t nallows;
	struct wf_cond *conds;
	size_t nconds;
	struct wf_not_by *not_by;
	size_t nnot_by;
	struct wf_input *inputs;
	size_t ninputs;
	struct wf_action *actions;
	size_t nactions;
	const struct wf_caseops *caseops;   /* <edit-form/>, <add-comment/>…; NULL: none */
	int line;
	/* concurrent="true": no revision comparison (to its own state only); task="true": My tasks */
	int concurrent, task;
};

struct wf_state {
	const char *name, *label;
	int initial, final;
	struct wf_transition *transitions;
	size_t ntransitions;
	int line;
};

struct wf_def {
	const char *file;        /* for messages */
	const char *name, *module, *label, *description;
	int version;             /* 0 until deployed */
	/*
	 * Who may start an instance from the generic pages (<start>): a guard
	 * like a transition's, event "start", evaluated on the new instance.
	 * No allows (the default): nobody; the definition starts only through
	 * the domain's own pages and actions.
	 */
	struct wf_transition start;
	struct wf_state *states;
	size_t nstates;
	const struct wf_state *initial;
	/* seen-by="NAME": the registered rule of who sees its instances; NULL: the default */
	const char *seen_by;
	/* <participants>: the roles an authority may hold in an instance, each with its states */
	struct wf_participant_role *roles;
	size_t nroles;
	const struct wf_caseform *caseform;  /* <form>, <comments>, <report>; NULL: none */
	int line;
	struct arena *arena;     /* owns everything above */
};

/*
 * A part of the vocabulary read and checked by a file of its own (the case
 * form and comments: caseform.h), which this file cannot name without the two
 * depending on each other: each part registers its readers and its checker
 * once, before any definition is parsed (wf_builtins_register() does).
 * parse_transition reads a transition's element into t, parse the root once
 * the states are built; both 0, or -1.  check reports findings in r.
 */
struct findings;
struct _xmlNode;
struct wf_part {
	int (*parse_transition)(struct arena *a, struct _xmlNode *n, struct wf_transition *t);
	int (*parse)(struct wf_def *def, struct _xmlNode *root);
	void (*check)(struct findings *r, const struct wf_def *def);
};
/* 0, or -1 when the table is full; adding the same part twice is a no-op. */
int wf_part_add(const struct wf_part *part);

/* Receives each finding; the default prints "file:line: message" to stderr. */
typedef void (*wf_report_fn)(void *arg, const char *file, int line, const char *msg);

/*
 * Parses a definition from memory (file names it in messages), validating it
 * against the schema in datadir/workflows/workflow.rng.  NULL on any finding
 * (each one reported).
 */
struct wf_def *wf_parse(const char *file, const char *xml, size_t len, const char *datadir,
    wf_report_fn report, void *arg);
struct wf_def *wf_parse_file(const char *path, const char *datadir, wf_report_fn report, void *arg);

/* Resolves and checks meaning. Returns the number of findings (0 = usable). */
int wf_link(struct wf_def *def, const char *datadir, wf_report_fn report, void *arg);

void wf_free(struct wf_def *def);

const struct wf_state *wf_state(const struct wf_def *def, const char *name);
const struct wf_transition *wf_transition(const struct wf_state *s, const char *event);
const char *wf_input_type_name(enum wf_input_type t);

/*
 * lint: a choice has exactly one of <option>s and options-from, its source is
 * registered, and nothing but a choice names one; what is "field" or "input".
 */
void wf_choice_lint(struct findings *r, const struct wf_input *in, const char *what);

/*
 * The names of the inputs whose values people type or name (text, textarea,
 * the names of files) in any transition, and of the data fields <set> from
 * them: at most max into names, their number back.  Retention hides and
 * deletes these in an instance's history and data (personal data).
 * WF_FREE_TEXTS_MAX is room for every definition of ours many times over.
 */
#define WF_FREE_TEXTS_MAX 64
size_t wf_free_texts(const struct wf_def *def, const char **names, size_t max);

/* "P6M" → {months 6}; -1 if not an ISO 8601 duration we support. */
int wf_duration_parse(const char *text, struct wf_duration *d);
/* As a PostgreSQL interval literal ("6 months 5 days"), into out. */
void wf_duration_interval(const struct wf_duration *d, char *out, size_t outlen);

#endif
