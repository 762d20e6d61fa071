/*
 * page_directory.h — finding authorities: Authorities → Search (active
 * authorities of every country, by name, informal title, country and module)
 * and Administration → Managed authorities ("My authorities only": Yes, the
 * authorities this user's authority manages; No, every authority of its
 * country, or of every country for the helpdesk).  Seed 001 §3, 002.
 */
#ifndef IMIFLOW_PAGE_DIRECTORY_H
#define IMIFLOW_PAGE_DIRECTORY_H

struct hctx;

int page_authority_search(struct hctx *ctx);    /* GET /authorities */
int page_managed_authorities(struct hctx *ctx); /* GET /admin/authorities */

#endif
