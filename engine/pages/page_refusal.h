/*
 * page_refusal.h — a transition refused to the user (403), for the error page:
 * the key error.workflow.forbidden with the engine's English detail as its
 * argument (kept for the log and the API), and the reason by kind and names,
 * which error.xsl puts into the reader's language (issue 16: no English
 * phrase inside a Danish sentence).
 */
#ifndef IMIFLOW_PAGE_REFUSAL_H
#define IMIFLOW_PAGE_REFUSAL_H

#include "handler.h"

struct wf_outcome;

/* Sets ctx's error key, argument and reason from out; returns 403. */
int page_refused(struct hctx *ctx, const struct wf_outcome *out);

#endif
