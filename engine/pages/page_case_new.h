/*
 * page_case_new.h — starting a case: /cases/new lists, by module, every
 * definition with a <form> whose <start> the user passes, each with a button
 * that starts one through the generic start path (POST /workflows/NAME/start).
 */
#ifndef IMIFLOW_PAGE_CASE_NEW_H
#define IMIFLOW_PAGE_CASE_NEW_H

struct hctx;

int page_case_new(struct hctx *ctx); /* GET /cases/new */

#endif
