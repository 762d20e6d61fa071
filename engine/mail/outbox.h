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

/*
 * Many mails in one statement (a broadcast's: a row each, one INSERT): a batch
 * for at most cap mails, in a; outbox_batch_add renders one as outbox_enqueue
 * does (no extra headers); outbox_batch_queue writes those added so far, under
 * the same rule as outbox_enqueue, and empties the batch.  NULL, or 0 / -1.
 */
struct outbox_batch;
struct outbox_batch *outbox_batch_new(struct arena *a, size_t cap);
int outbox_batch_add(struct outbox_batch *b, const char *to, const char *lang, xmlNodePtr mail);
int outbox_batch_queue(struct db *db, struct outbox_batch *b);
/*
 * For mails that differ only by the recipient's name (no link, no model of
 * its own): mail, whose name is placeholder, is rendered once per language
 * and kept in the batch; each recipient gets that text with name in the
 * placeholder's place.  placeholder must be unguessable (a fresh token), so
 * that no value in the mail can hold it.  0 or -1.
 */
int outbox_batch_add_named(struct outbox_batch *b, const char *to, const char *lang,
    xmlNodePtr mail, const char *placeholder, const char *name);

#endif
