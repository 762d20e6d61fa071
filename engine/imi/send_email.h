/*
 * send_email.h — Administration → Send e-mail (issue 15 §2; seeds 001 §3.1.3 and 002): who
 * may write to which authorities, and the sending itself.
 *
 * The Administrators of an Access Manager (NIMICs and the helpdesk included) write one
 * plain-text message to authorities.  "My authorities only" (the default) keeps the
 * recipients to the authorities their authority manages, as Managed authorities does; only a
 * NIMIC (its country) and the helpdesk (every country) may switch it off.  A chosen active
 * authority is written to at its contact address and at its Administrators' addresses, one
 * outbox row each, under the fixed subject "Message from your IMI Coordinator" with a header
 * naming the real sender, each in the recipient's language.  Every sending is recorded
 * (sql/025_sent_messages.sql) and queued by one set-based statement in the caller's
 * transaction, however many it reaches.
 */
#ifndef IMIFLOW_SEND_EMAIL_H
#define IMIFLOW_SEND_EMAIL_H

#include <stddef.h>

#include <libpq-fe.h>

struct arena;
struct db;

/* Longest message, in characters; a longer one is refused, never cut. */
#define SEND_EMAIL_TEXT_MAX 10000

/* The search: "" matches anything. */
struct send_email_criteria {
	int widen;              /* "My authorities only" switched off */
	const char *module;
	const char *country;
	const char *type;       /* authority_type */
};

/* Whom a sending goes to: every active authority the criteria find (all), or ids. */
struct send_email_choice {
	int all;
	const char *const *ids; /* decimal ids, checked by send_email_ids_reachable first */
	size_t n;
};

/* 1 when the authority may switch "My authorities only" off (a NIMIC, the helpdesk); 0; -1. */
int send_email_may_widen(struct db *db, struct arena *a, long long authority_id);

/*
 * The active authorities the criteria find for sender, by country and name: id, official
 * name, informal title, country, type.  At most limit + 1 rows, so the caller can say "more".
 * NULL on error.
 */
PGresult *send_email_search(struct db *db, struct arena *a, long long sender,
    const struct send_email_criteria *c, int limit);

/* How many authorities and addresses a sending would reach.  0 or -1. */
int send_email_reach(struct db *db, struct arena *a, long long sender,
    const struct send_email_criteria *c, const struct send_email_choice *ch,
    long long *authorities, long long *people);

/*
 * 1 when sender may write to every one of ids (whatever their state) with c->widen as
 * given; 0 when one is outside what it may reach (the page refuses with 403); -1 on error.
 */
int send_email_ids_reachable(struct db *db, struct arena *a, long long sender,
    const struct send_email_criteria *c, const struct send_email_choice *ch);

/*
 * Records the sending and queues its mails, inside the caller's transaction: the user
 * (user_id of authority sender) writes text (already checked: 1..SEND_EMAIL_TEXT_MAX
 * characters, LF line ends).  *id gets the record's id, *authorities and *queued how many it
 * reached.  0 or -1.
 */
int send_email_queue(struct db *db, struct arena *a, long long user_id, long long sender,
    const struct send_email_criteria *c, const struct send_email_choice *ch, const char *text,
    long long *id, long long *authorities, long long *queued);

#endif
