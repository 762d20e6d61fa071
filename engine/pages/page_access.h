/*
 * page_access.h — the Modules tab of an authority: its module accesses with
 * role, keywords, settings and linked coordinators; granting a new one,
 * saving settings and changing the role (seed 001 §2.1.2, §3.1.2, §3.1.4;
 * 002).  Suspend and re-grant are the buttons of workflows/module-access.xml.
 */
#ifndef IMIFLOW_PAGE_ACCESS_H
#define IMIFLOW_PAGE_ACCESS_H

#include <libxml/tree.h>

struct authz_authority;
struct hctx;

/* Adds <accesses> (and, for who may grant, <grantable>) for the Modules tab. 0 or -1. */
int page_access_model(struct hctx *ctx, xmlNodePtr page, const struct authz_authority *z);

int page_access_grant(struct hctx *ctx);    /* POST /authorities/{id}/modules */
int page_access_update(struct hctx *ctx);   /* POST /authorities/{id}/modules/{module} */

#endif
