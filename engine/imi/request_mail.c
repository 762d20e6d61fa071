/* request_mail.c — see request_mail.h. */
#include "request_mail.h"

#include "arena.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "model.h"

/*
 * No personal data in mail: the person concerned stays on the pages, and a
 * subject that retention hides (sql/016_retention_personal.sql) stays out.
 */
static const struct db_query q_request = { "request_mail_request",
	"SELECT r.id, CASE WHEN request_texts_hidden(r) THEN '' ELSE r.subject END, m.name,"
	"       a.official_name, a.country,"
	"       b.official_name, b.country, to_char(r.reply_date, 'YYYY-MM-DD'),"
	"       coalesce(to_char(r.agreed_date, 'YYYY-MM-DD'), '')"
	"  FROM requests r JOIN modules m ON m.code = r.module"
	"  JOIN authorities a ON a.id = r.requester_id JOIN authorities b ON b.id = r.responder_id"
	" WHERE r.instance_id = $1", 1 };
static const struct db_query q_questions = { "request_mail_questions",
	"SELECT rq.code, coalesce(q.labels->>$2, q.labels->>'en', rq.code)"
	"  FROM requests r JOIN request_questions rq ON rq.request_id = r.id"
	"  LEFT JOIN questions q ON q.module = r.module AND q.code = rq.code"
	" WHERE r.instance_id = $1 ORDER BY rq.position", 2 };

int
request_mail_model(struct wf_fire *f, const char *lang, xmlNodePtr mail)
{
	const char *params[2] = { arena_printf(f->a, "%lld", f->instance_id), lang };
	xmlNodePtr req, list, n;
	PGresult *r;

	if ((r = db_exec(f->db, f->a, &q_request, params)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;	/* a request being created: the generic mail says enough */
	req = model_add(mail, "request", NULL);
	model_attr(req, "id", db_value(r, 0, 0));
	model_add(req, "subject", db_value(r, 0, 1));
	model_add(req, "module", db_value(r, 0, 2));
	n = model_add(req, "requester", db_value(r, 0, 3));
	model_attr(n, "country", db_value(r, 0, 4));
	n = model_add(req, "responder", db_value(r, 0, 5));
	model_attr(n, "country", db_value(r, 0, 6));
	model_attr(req, "reply-date", db_value(r, 0, 7));
	model_attr(req, "agreed-date", db_value(r, 0, 8));
	/* The request page, rather than the generic instance page. */
	for (n = mail->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "url"))
			xmlNodeSetContent(n, BAD_CAST arena_printf(f->a, "%s/requests/%s",
			    f->cfg->base_url, db_value(r, 0, 0)));
	if ((r = db_exec(f->db, f->a, &q_questions, params)) == NULL)
		return -1;
	list = model_add(req, "questions", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "question", db_value(r, i, 1));
		model_attr(n, "code", db_value(r, i, 0));
	}
	return 0;
}
