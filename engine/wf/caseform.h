/*
 * caseform.h — the form of a case: an instance whose definition declares a
 * <form>.  Its values live in versions (sql/022_case_forms.sql), never in the
 * instance's data or history; each field may be shown to some parties only
 * (<shown-to party>), and every reader here gets only the fields its actor may
 * see.  Also the definition's <comments> types and <report> window, parsed
 * with the form (comments.h acts on the types).  Vocabulary:
 * workflows/README.md, "Case forms and comments".
 */
#ifndef IMIFLOW_CASEFORM_H
#define IMIFLOW_CASEFORM_H

#include <stddef.h>

#include <libxml/tree.h>

#include "engine.h"
#include "workflow.h"

struct findings;

struct wf_field {
	struct wf_input in;       /* name, label, type, required, max, options: checked as an input */
	int personal;             /* erased by <erase-data personal-only="true"/> */
	int summary;              /* shown in lists, search results and mails */
	/* <shown-to party>s as the allows of a guard (role NULL); none: everyone who sees the case. */
	struct wf_transition shown_to;
	int line;
};

struct wf_comment_type {
	const char *name, *label, *answers, *tab;
	int line;
};

struct wf_caseform {
	struct wf_field *fields;
	size_t nfields;
	int form_line;            /* 0: no <form> */
	struct wf_comment_type *types;
	size_t ntypes;
	/* <report until from>: the print view is open until the time in `from` plus until. */
	const char *report_until, *report_from;
	struct wf_duration until;
	int report_line;          /* 0: no <report> */
	/*
	 * The role names of <participants>, which are parties of this definition
	 * too (a <shown-to> may name them).  Read here so the form's parties can be
	 * checked before the participants' own code reads them.
	 */
	const char **roles;
	size_t nroles;
};

/* What a transition does to the case (all optional). */
struct wf_caseops {
	int edit_form, seal_form, erase_data, erase_personal_only;
	const char *comment_type, *comment_text, *comment_answers;   /* <add-comment> */
	const char *withdraw_input, *withdraw_reason;                /* <withdraw-comment> */
	int edit_line, erase_line, add_line, withdraw_line;
};

/*
 * Registers the case form with the definitions (wf_part_add: a transition's
 * case actions into t->caseops; def->caseform from the root's <form>,
 * <comments>, <report> and <participants>' role names, every <edit-form/>
 * transition's inputs grown by the form's fields, the inputs its case keeps
 * (comment text, reason) marked unrecorded; and lint's checks of all that)
 * and with firing (wf_fire_step_add: <edit-form/> saves the fields the actor
 * may see, a required one left empty refusing the form; <seal-form/> seals;
 * <erase-data/> erases; the history row records the version saved and its
 * changed fields, never values).  Once, before any definition is parsed.
 */
int caseform_register(void);

/* The table of parties a <shown-to> or an <allow> of def may name: registered, or a participant role. */
int caseform_party_known(const struct wf_def *def, const char *party);


/*
 * visible[i] for def's field i: 1 when actor may see it on instance iid
 * (no <shown-to>, or holds one of its parties), else 0.  0, or -1.
 */
int caseform_visible_fields(struct db *db, struct arena *a, const struct wf_actor *actor,
    const struct wf_def *def, long long iid, const char *module, int *visible);

/*
 * <form version= versions= sealed= at= [erased=]><field name= type= label=
 * [personal=] [summary=] [changed=]>value</field>…</form> under parent, for
 * version (0: the latest), with only the fields actor may see; a field
 * without a value is there, empty; a countries field holds one <value> per
 * country.  The caller has checked that actor may see the instance.
 * 1 added, 0 no such version (versions= still says how many there are), -1.
 */
int caseform_model(struct db *db, struct arena *a, const struct wf_actor *actor,
    const struct wf_def *def, long long iid, const char *module, int version,
    xmlNodePtr parent);

/*
 * Copy of a case into a new draft: a new instance of the newest version of
 * iid's definition for actor, only when actor may see iid and passes the
 * <start>, with version 1 (not sealed) of its form holding the latest
 * version's fields that actor may see, but files, and that the newest
 * definition still has.  One transaction.  WF_OK with *new_id; WF_NOT_FOUND
 * (not visible, or no form); WF_FORBIDDEN (*missing); WF_ERROR.
 */
enum wf_result wf_copy_case(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, long long iid, long long *new_id, const char **missing);

/*
 * Whether the print view of a case is open: def has a <report> and now is
 * before `from` (the instance's data field, else the latest form version's)
 * plus `until`, or `from` holds no time yet.  1, 0, or -1.
 */
int caseform_report_open(struct db *db, struct arena *a, const struct wf_def *def, long long iid);

#endif
