/*
 * page_case_export.h — the public, read-only export of published cases: the
 * cases of one definition whose rule of visibility makes them public
 * (IMI_PUBLISHED_PUBLIC: seen-by "published", in its state "active" — the
 * active entries of a repository), as CSV or XML, for anyone, without signing
 * in.  Only the fields that are neither personal nor shown to some parties
 * (<shown-to>), and never a document: what every user of the module may read
 * is what the public gets, less personal data.
 */
#ifndef IMIFLOW_PAGE_CASE_EXPORT_H
#define IMIFLOW_PAGE_CASE_EXPORT_H

struct hctx;

/* GET /cases/published.csv?definition=NAME and /cases/published.xml?definition=NAME */
int page_case_export_csv(struct hctx *ctx);
int page_case_export_xml(struct hctx *ctx);

#endif
