/*
 * page_case_search.h — finding cases: /cases, by module, definition, state,
 * country, creation dates and a text in the summary fields, newest first, 50
 * a page by keyset; only the cases the user may see.
 */
#ifndef IMIFLOW_PAGE_CASE_SEARCH_H
#define IMIFLOW_PAGE_CASE_SEARCH_H

struct hctx;

int page_case_search(struct hctx *ctx); /* GET /cases */
/* The ?kind= criterion of /cases and /cases/new (catalogue kinds, space-separated), or "". */
const char *case_kind_criterion(struct hctx *ctx);

#endif
