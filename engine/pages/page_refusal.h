/*
 * page_refusal.h — a transition refused to the user, for the error page.
 * 403: the key error.workflow.forbidden with the engine's English detail as its
 * argument (kept for the log and the API), and the reason by kind and names,
 * which error.xsl puts into the reader's language (issue 16: no English
 * phrase inside a Danish sentence).  409: the state the instance is in now, by
 * its label, never the engine's English detail.
 */
#ifndef IMIFLOW_PAGE_REFUSAL_H
#define IMIFLOW_PAGE_REFUSAL_H

#include "handler.h"

struct wf_outcome;

/* Sets ctx's error key, argument and reason from out; returns 403. */
int page_refused(struct hctx *ctx, const struct wf_outcome *out);
/* Sets ctx's error key and argument for a WF_CONFLICT out; the caller answers 409. */
void page_changed_meanwhile(struct hctx *ctx, const struct wf_outcome *out);

#endif
