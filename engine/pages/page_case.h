/*
 * page_case.h — the page of a case (an instance of a definition with a
 * <form>, <participants> or <comments>): /instances/ID with the tabs Case
 * (the form, any version), Recipients, Comments, Closure, Documents and Log;
 * its print view (copying one is page_instance_copy()).  An instance of any other definition is the
 * generic instance page (page_instance.h), unchanged.
 */
#ifndef IMIFLOW_PAGE_CASE_H
#define IMIFLOW_PAGE_CASE_H

struct hctx;

int page_case(struct hctx *ctx);          /* GET /instances/{id}: the case's tabs, or the generic page */
int page_case_report(struct hctx *ctx);   /* GET /instances/{id}/report: every tab, for printing */
int page_case_document(struct hctx *ctx); /* GET /instances/{id}/documents/{doc}: but hidden fields' */

#endif
