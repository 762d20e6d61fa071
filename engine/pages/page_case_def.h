/*
 * page_case_def.h — what the case pages read of a definition and ask of the
 * case-form primitives (wf/caseform.h, wf/participants.h), in one place: the
 * declarations a case has (<form>, <participants>, <comments>, <report>),
 * their labels for the page model, the form as the signed-in user may see it
 * and whether its print view is still open.
 */
#ifndef IMIFLOW_PAGE_CASE_DEF_H
#define IMIFLOW_PAGE_CASE_DEF_H

#include <stddef.h>

#include <libxml/tree.h>

struct hctx;
struct wf_def;

enum case_shape {
	CASE_FORM = 1 << 0,
	CASE_PARTICIPANTS = 1 << 1,
	CASE_COMMENTS = 1 << 2,
	CASE_REPORT = 1 << 3
};

/* A <comments><type>: tab NULL is the Comments tab; answers the type it answers, or NULL. */
struct case_ctype {
	const char *name, *label, *tab, *answers;
};

/* The CASE_* declarations def has; 0: no case, the generic instance page shows it. */
int case_def_shape(const struct wf_def *def);

/* The definition's comment types, at most max into out; their number. */
size_t case_def_comment_types(const struct wf_def *def, struct case_ctype *out, size_t max);

/*
 * Adds <field name label definition><option value label [group]/>…</field> to
 * parent for each summary field of def that is a choice: what a search may
 * filter on in words (a summary field has no <shown-to>, so anyone who sees
 * the case sees it); a field with options-from has its source's options for
 * module.  0 or -1.
 */
int case_def_summary_choices(struct hctx *ctx, const struct wf_def *def, const char *module,
    xmlNodePtr parent);

/* The label of form field name, or NULL when there is none. */
const char *case_def_field_label(const struct wf_def *def, const char *name);

/*
 * The names of the form's fields the signed-in user may not see on case iid
 * (<shown-to>), at most max into out; their number, or -1.
 */
int case_hidden_fields(struct hctx *ctx, const struct wf_def *def, long long iid,
    const char *module, const char **out, size_t max);

/*
 * Adds <roles><role name label><state name label/>…</role>…</roles> (the
 * declared participant roles) to parent, for the pages' labels.
 */
void case_def_roles_model(const struct wf_def *def, xmlNodePtr parent);

/*
 * Adds the case's form, version (0: the latest), with only the fields the
 * signed-in user may see (caseform_model()).  1, 0 (no such version), or -1.
 */
int case_form_model(struct hctx *ctx, const struct wf_def *def, long long iid,
    const char *module, int version, xmlNodePtr parent);

/* Whether the print view is open (caseform_report_open()): 1, 0, or -1. */
int case_report_open(struct hctx *ctx, const struct wf_def *def, long long iid);

#endif
