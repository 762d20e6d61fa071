/* outbox.c — see outbox.h. */
#include "outbox.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "pgarray.h"
#include "render.h"

/*
 * One statement: the row, and the notification delivered at commit that wakes a worker
 * waiting on LISTEN (PostgreSQL folds a transaction's identical ones into one).
 */
static const struct db_query q_enqueue = { "outbox_enqueue",
	"WITH m AS (INSERT INTO outbox (recipient, subject, body, headers, template, instance_id)"
	" VALUES ($1, $2, $3, $4, $5, nullif($6, '')::bigint) RETURNING id)"
	" SELECT pg_notify('imiflow_outbox', '') FROM m", 6 };
/* A batch: one row per element of the arrays, one statement however many. */
static const struct db_query q_enqueue_batch = { "outbox_enqueue_batch",
	"WITH m AS (INSERT INTO outbox (recipient, subject, body, template, instance_id)"
	" SELECT x.r, x.s, x.b, x.t, nullif(x.i, '')::bigint"
	"  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) x(r, s, b, t, i)"
	" RETURNING id)"
	" SELECT pg_notify('imiflow_outbox', '') FROM (SELECT 1 FROM m LIMIT 1) x", 5 };

#define OUTBOX_RENDERED_MAX 8	/* languages kept by outbox_batch_add_named */

struct outbox_rendered {
	const char *lang, *subject, *body, *tpl, *instance;
};

struct outbox_batch {
	struct arena *a;
	const char **to, **subject, **body, **tpl, **instance;
	size_t n, cap;
	struct outbox_rendered rendered[OUTBOX_RENDERED_MAX];
	size_t nrendered;
};

/* The mail rendered in lang, with its template and instance ("" when none), in a. */
static int
render(struct arena *a, const char *lang, xmlNodePtr mail, char **subject, char **body,
    const char **tpl, const char **instance)
{
	xmlChar *t, *i;
	int rc = -1;

	t = xmlGetProp(mail, BAD_CAST "template");
	/* The instance it is about, for retention to find it (sql/016_retention_personal.sql). */
	i = xmlGetProp(mail, BAD_CAST "instance");
	if (render_mail(mail->doc, lang, a, subject, body) == -1) {
		log_error("mail template %s did not render", t ? (const char *)t : "?");
		goto out;
	}
	if ((*tpl = arena_strdup(a, t ? (const char *)t : "")) == NULL ||
	    (*instance = arena_strdup(a, i ? (const char *)i : "")) == NULL)
		goto out;
	rc = 0;
out:
	xmlFree(t);
	xmlFree(i);
	return rc;
}

int
outbox_enqueue(struct db *db, struct arena *a, const char *to, const char *lang, xmlNodePtr mail,
    const char *extra_headers)
{
	char *subject, *body;
	const char *params[6];

	if (render(a, lang, mail, &subject, &body, &params[4], &params[5]) == -1)
		return -1;
	params[0] = to;
	params[1] = subject;
	params[2] = body;
	params[3] = extra_headers;
	/*
	 * In a transaction the row needs no answer: it travels with the next statement or the
	 * COMMIT (db.h).  Outside one, nothing else may follow to send it.
	 */
	if (db_in_transaction(db) ? db_queue(db, a, &q_enqueue, params, NULL) == -1 :
	    db_exec(db, a, &q_enqueue, params) == NULL)
		return -1;
	return 0;
}

struct outbox_batch *
outbox_batch_new(struct arena *a, size_t cap)
{
	struct outbox_batch *b;

	if (cap == 0)
		cap = 1;
	if ((b = arena_calloc(a, 1, sizeof(*b))) == NULL ||
	    (b->to = arena_calloc(a, cap, sizeof(*b->to))) == NULL ||
	    (b->subject = arena_calloc(a, cap, sizeof(*b->subject))) == NULL ||
	    (b->body = arena_calloc(a, cap, sizeof(*b->body))) == NULL ||
	    (b->tpl = arena_calloc(a, cap, sizeof(*b->tpl))) == NULL ||
	    (b->instance = arena_calloc(a, cap, sizeof(*b->instance))) == NULL)
		return NULL;
	b->a = a;
	b->cap = cap;
	return b;
}

int
outbox_batch_add(struct outbox_batch *b, const char *to, const char *lang, xmlNodePtr mail)
{
	char *subject, *body;

	if (b->n == b->cap) {
		log_error("outbox batch full (%zu mails)", b->cap);
		return -1;
	}
	if (render(b->a, lang, mail, &subject, &body, &b->tpl[b->n], &b->instance[b->n]) == -1 ||
	    (b->to[b->n] = arena_strdup(b->a, to)) == NULL)
		return -1;
	b->subject[b->n] = subject;
	b->body[b->n] = body;
	b->n++;
	return 0;
}

int
outbox_batch_queue(struct db *db, struct outbox_batch *b)
{
	const char *params[5];

	if (b->n == 0)
		return 0;
	if ((params[0] = pg_text_array(b->a, b->to, b->n)) == NULL ||
	    (params[1] = pg_text_array(b->a, b->subject, b->n)) == NULL ||
	    (params[2] = pg_text_array(b->a, b->body, b->n)) == NULL ||
	    (params[3] = pg_text_array(b->a, b->tpl, b->n)) == NULL ||
	    (params[4] = pg_text_array(b->a, b->instance, b->n)) == NULL)
		return -1;
	if (db_in_transaction(db) ? db_queue(db, b->a, &q_enqueue_batch, params, NULL) == -1 :
	    db_exec(db, b->a, &q_enqueue_batch, params) == NULL)
		return -1;
	b->n = 0;
	return 0;
}

/* text with every occurrence of needle (not empty) replaced by with, in a; NULL out of memory. */
static char *
replace_all(struct arena *a, const char *text, const char *needle, const char *with)
{
	size_t nl = strlen(needle), wl = strlen(with), count = 0, len;
	const char *p, *q;
	char *out, *o;

	for (p = text; (q = strstr(p, needle)) != NULL; p = q + nl)
		count++;
	len = strlen(text) - count * nl + count * wl;
	if ((out = arena_alloc(a, len + 1)) == NULL)
		return NULL;
	for (o = out, p = text; (q = strstr(p, needle)) != NULL; p = q + nl) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, with, wl);
		o += wl;
	}
	strcpy(o, p);
	return out;
}

int
outbox_batch_add_named(struct outbox_batch *b, const char *to, const char *lang,
    xmlNodePtr mail, const char *placeholder, const char *name)
{
	struct outbox_rendered fresh, *r = NULL;
	char *subject, *body;

	if (b->n == b->cap) {
		log_error("outbox batch full (%zu mails)", b->cap);
		return -1;
	}
	for (size_t i = 0; i < b->nrendered && r == NULL; i++)
		if (strcmp(b->rendered[i].lang, lang) == 0)
			r = &b->rendered[i];
	if (r == NULL) {
		if (render(b->a, lang, mail, &subject, &body, &fresh.tpl, &fresh.instance) == -1 ||
		    (fresh.lang = arena_strdup(b->a, lang)) == NULL)
			return -1;
		fresh.subject = subject;
		fresh.body = body;
		r = &fresh;
		/* More languages than kept: the others are drawn each time, as outbox_batch_add does. */
		if (b->nrendered < OUTBOX_RENDERED_MAX) {
			b->rendered[b->nrendered] = fresh;
			r = &b->rendered[b->nrendered++];
		}
	}
	if (name == NULL)
		name = "";
	if ((b->subject[b->n] = replace_all(b->a, r->subject, placeholder, name)) == NULL ||
	    (b->body[b->n] = replace_all(b->a, r->body, placeholder, name)) == NULL ||
	    (b->to[b->n] = arena_strdup(b->a, to)) == NULL)
		return -1;
	b->tpl[b->n] = r->tpl;
	b->instance[b->n] = r->instance;
	b->n++;
	return 0;
}
