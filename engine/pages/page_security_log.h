/*
 * page_security_log.h — the security log (imi/security_log.h) for the helpdesk's
 * Administrators: newest first, 50 a page, filtered by kind and by a username (as the one
 * who acted or the one concerned).  Anyone else gets "page not found", as for every page
 * one may not see.
 */
#ifndef IMIFLOW_PAGE_SECURITY_LOG_H
#define IMIFLOW_PAGE_SECURITY_LOG_H

struct hctx;

int page_security_log(struct hctx *ctx);  /* GET /admin/security-log[?kind=K&user=U&page=N] */

#endif
