/*
 * page_link.h — approval links in mail.  GET never acts (mail scanners fetch
 * links): it shows what the link would do, or why it no longer can.  The POST
 * from that page consumes the token and fires the transition in the
 * recipient's name in one transaction, recorded as done from a mail link.
 * A link never acts, nor shows its case, while someone else is signed in: it
 * belongs to the one person it was mailed to.  Logs name a link by its id,
 * never by its token.
 */
#ifndef IMIFLOW_PAGE_LINK_H
#define IMIFLOW_PAGE_LINK_H

struct hctx;

int page_link(struct hctx *ctx);          /* GET /links/{token} */
int page_link_fire(struct hctx *ctx);     /* POST /links/{token} */

#endif
