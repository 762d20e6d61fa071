/*
 * outbox.h — the transactional outbox.  A mail is rendered and written to the
 * outbox table inside the transaction that causes it, so it exists if and only
 * if that transaction commits; the worker delivers it afterwards (worker.h).
 */
#ifndef IMIFLOW_OUTBOX_H
#define IMIFLOW_OUTBOX_H

#include <libxml/tree.h>

struct arena;
struct db;

/*
 * Renders the mail model (root <mail template="NAME">, see xslt/mail.xsl) in
 * lang and queues it for to.  extra_headers: NULL or "Name: value\n" lines.
 * The root's instance="ID" (the engine's mails) is kept with it, so that
 * retention can scrub the mails of a request.
 * Must run inside the caller's transaction.  0 or -1.
 */
int outbox_enqueue(struct db *db, struct arena *a, const char *to, const char *lang,
    xmlNodePtr mail, const char *extra_headers);

#endif
