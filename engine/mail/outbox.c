/* outbox.c — see outbox.h. */
#include "outbox.h"

#include "arena.h"
#include "db.h"
#include "log.h"
#include "render.h"

static const struct db_query q_enqueue = { "outbox_enqueue",
	"INSERT INTO outbox (recipient, subject, body, headers, template, instance_id)"
	" VALUES ($1, $2, $3, $4, $5, nullif($6, '')::bigint)", 6 };
/* Delivered at commit: a worker waiting on LISTEN wakes at once. */
static const struct db_query q_notify = { "outbox_notify",
	"SELECT pg_notify('imiflow_outbox', '')", 0 };

int
outbox_enqueue(struct db *db, struct arena *a, const char *to, const char *lang, xmlNodePtr mail,
    const char *extra_headers)
{
	char *subject, *body;
	xmlChar *tpl, *instance;
	const char *params[6];
	int rc = -1;

	tpl = xmlGetProp(mail, BAD_CAST "template");
	/* The instance it is about, for retention to find it (sql/016_retention_personal.sql). */
	instance = xmlGetProp(mail, BAD_CAST "instance");
	if (render_mail(mail->doc, lang, a, &subject, &body) == -1) {
		log_error("mail template %s did not render", tpl ? (const char *)tpl : "?");
		goto out;
	}
	params[0] = to;
	params[1] = subject;
	params[2] = body;
	params[3] = extra_headers;
	params[4] = tpl ? (const char *)tpl : "";
	params[5] = instance ? (const char *)instance : "";
	if (db_exec(db, a, &q_enqueue, params) == NULL || db_exec(db, a, &q_notify, NULL) == NULL)
		goto out;
	rc = 0;
out:
	xmlFree(tpl);
	xmlFree(instance);
	return rc;
}
