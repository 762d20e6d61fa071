/* page_request.c — see page_request.h. */
#include "page_request.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authority_form.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "handler.h"
#include "http.h"
#include "log.h"
#include "model.h"
#include "page_instance.h"
#include "request_actions.h"

#define TEXT_MAX 300
#define CONTEXT_MAX 10000
#define ANSWER_MAX 10000
#define MAX_QUESTIONS 200

/* The request modules in which the user is a Handler and its authority's access is active. */
static const struct db_query q_my_modules = { "request_my_modules",
	"SELECT m.code, m.name FROM modules m JOIN user_roles r ON r.module = m.code"
	" WHERE m.kind = 'request' AND r.user_id = $1 AND r.role = 'handler'"
	"   AND module_access_active($2, m.code) ORDER BY m.position, m.code", 2 };
/* Who can be asked: active authorities with an active access to the module, but oneself. */
static const struct db_query q_responders = { "request_responders",
	"SELECT a.id, a.official_name, a.country FROM authorities a"
	" WHERE a.id <> $2 AND module_access_active(a.id, $1)"
	" ORDER BY a.country, a.official_name LIMIT 1000", 2 };
static const struct db_query q_questions = { "request_questions",
	"SELECT q.code, coalesce(q.labels->>$2, q.labels->>'en'), q.type, q.group_code"
	"  FROM questions q WHERE q.module = $1 AND NOT q.retired ORDER BY q.position", 2 };
static const struct db_query q_question = { "request_question",
	"SELECT q.position FROM questions q WHERE q.module = $1 AND q.code = $2 AND NOT q.retired", 2 };
static const struct db_query q_insert = { "request_insert",
	"INSERT INTO requests (instance_id, module, requester_id, responder_id, subject, context,"
	"   person_name, person_birth_date, person_nationality, person_registration, reply_date)"
	" VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), nullif($8, '')::date,"
	"   nullif($9, ''), nullif($10, ''), $11::date) RETURNING id", 11 };
static const struct db_query q_add_question = { "request_add_question",
	"INSERT INTO request_questions (request_id, code, position) VALUES ($1, $2, $3)", 3 };
/* Who sees a request ($2 is the user): sql/015_need_to_know.sql, request_visible_to(). */
#define VISIBLE "EXISTS (SELECT FROM request_visible_to(r.instance_id, $2))"
/* Requests → Search: every criterion optional; plain substring matching, never a pattern. */
static const struct db_query q_list = { "request_list",
	"SELECT r.id, r.subject, r.module, i.state, a.official_name, b.official_name,"
	"       to_char(coalesce(r.agreed_date, r.reply_date), 'YYYY-MM-DD'),"
	"       CASE WHEN request_overdue(i.state, coalesce(r.agreed_date, r.reply_date))"
	"         THEN 'true' END,"
	"       count(*) OVER ()"
	"  FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
	"  JOIN authorities a ON a.id = r.requester_id JOIN authorities b ON b.id = r.responder_id"
	" WHERE $1::bigint IS NOT NULL AND i.state <> 'deleted' AND " VISIBLE
	"   AND ($3 = '' OR r.module = $3)"
	"   AND ($4 = '' OR strpos(lower(a.official_name || ' ' || b.official_name), lower($4)) > 0)"
	"   AND ($5 = '' OR i.state = $5)"
	"   AND ($6 = '' OR request_overdue(i.state, coalesce(r.agreed_date, r.reply_date)))"
	"   AND ($7 = '' OR r.created_at >= $7::date) AND ($8 = '' OR r.created_at < $8::date + 1)"
	"   AND ($9 = '' OR strpos(lower(r.subject || ' ' || r.context), lower($9)) > 0)"
	" ORDER BY CASE WHEN $10 = 'reply' THEN coalesce(r.agreed_date, r.reply_date) END,"
	"          CASE WHEN $10 = 'state' THEN i.state END, r.id DESC"
	" LIMIT 50 OFFSET $11::int * 50", 11 };
static const struct db_query q_request = { "request_one",
	"SELECT r.id, r.instance_id, r.module, m.name, i.state, r.subject, r.context,"
	"       r.requester_id, a.official_name, a.country, r.responder_id, b.official_name, b.country,"
	"       coalesce(r.person_name, ''), coalesce(to_char(r.person_birth_date, 'YYYY-MM-DD'), ''),"
	"       coalesce(r.person_nationality, ''), coalesce(r.person_registration, ''),"
	"       to_char(r.reply_date, 'YYYY-MM-DD'), coalesce(to_char(r.agreed_date, 'YYYY-MM-DD'), ''),"
	"       r.personal_data_blocked_at IS NOT NULL, r.personal_data_deleted_at IS NOT NULL,"
	"       coalesce(u.first_name || ' ' || u.last_name, ''), i.rev,"
	"       request_overdue(i.state, coalesce(r.agreed_date, r.reply_date))"
	"  FROM requests r JOIN wf_instances i ON i.id = r.instance_id JOIN modules m ON m.code = r.module"
	"  JOIN authorities a ON a.id = r.requester_id JOIN authorities b ON b.id = r.responder_id"
	"  LEFT JOIN users u ON u.id = r.allocated_user_id"
	" WHERE r.id = $1 AND " VISIBLE, 2 };
/*
 * The helpdesk's support view of a request it is no party to: its metadata;
 * the person's data only for a disclosure of blocked data (art. 14).
 */
static const struct db_query q_support = { "request_support",
	"SELECT r.id, r.module, m.name, i.state, a.official_name, a.country, b.official_name, b.country,"
	"       to_char(r.created_at, 'YYYY-MM-DD'), to_char(r.reply_date, 'YYYY-MM-DD'),"
	"       coalesce(to_char(r.agreed_date, 'YYYY-MM-DD'), ''),"
	"       coalesce(to_char(r.closed_at, 'YYYY-MM-DD'), ''),"
	"       r.personal_data_blocked_at IS NOT NULL, r.personal_data_deleted_at IS NOT NULL,"
	"       coalesce(r.person_name, ''), coalesce(to_char(r.person_birth_date, 'YYYY-MM-DD'), ''),"
	"       coalesce(r.person_nationality, ''), coalesce(r.person_registration, '')"
	"  FROM requests r JOIN wf_instances i ON i.id = r.instance_id JOIN modules m ON m.code = r.module"
	"  JOIN authorities a ON a.id = r.requester_id JOIN authorities b ON b.id = r.responder_id"
	" WHERE r.id = $1 AND EXISTS (SELECT FROM request_support_view(r.instance_id, $2))", 2 };
/* Whether the user sees a request (1st) or its support view (2nd); no row: no such request. */
static const struct db_query q_seen = { "request_seen",
	"SELECT " VISIBLE ", EXISTS (SELECT FROM request_support_view(r.instance_id, $2))"
	"  FROM requests r WHERE r.id = $1", 2 };
static const struct db_query q_request_questions = { "request_question_list",
	"SELECT rq.code, coalesce(q.labels->>$2, q.labels->>'en', rq.code), coalesce(q.type, 'text'),"
	"       coalesce(rq.answer, ''), coalesce(q.options::text, '[]')"
	"  FROM requests r JOIN request_questions rq ON rq.request_id = r.id"
	"  LEFT JOIN questions q ON q.module = r.module AND q.code = rq.code"
	" WHERE r.id = $1 ORDER BY rq.position", 2 };
/* May this user answer now: the request is accepted and the user is its responder's answerer. */
static const struct db_query q_may_answer = { "request_may_answer",
	"SELECT EXISTS (SELECT 1 FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
	"   JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module"
	"   JOIN users u ON u.id = $2 AND u.authority_id = r.responder_id"
	"   JOIN user_roles ur ON ur.user_id = u.id AND ur.module = r.module"
	"  WHERE r.id = $1 AND i.state = 'accepted'"
	"    AND (ur.role = 'allocator' OR (ur.role = 'handler'"
	"         AND (NOT ma.allocation OR r.allocated_user_id = u.id))))", 2 };
static const struct db_query q_answer = { "request_answer",
	"UPDATE request_questions SET answer = $3, answered_by = $4, answered_at = imi_now()"
	" WHERE request_id = $1 AND code = $2", 4 };
/* A helpdesk Administrator who recorded why may read blocked personal data (art. 14). */
static const struct db_query q_disclosed = { "request_disclosed",
	"SELECT EXISTS (SELECT 1 FROM request_disclosures WHERE request_id = $1 AND user_id = $2"
	"   AND at > imi_now() - interval '1 day')", 2 };
static const struct db_query q_disclose = { "request_disclose",
	"INSERT INTO request_disclosures (request_id, user_id, justification) VALUES ($1, $2, $3)", 3 };
/*
 * My tasks: the requests waiting for this user, and why.  The same rules as
 * the workflow's parties and roles, read in one query for the list.
 */
static const struct db_query q_tasks = { "request_tasks",
	"WITH me AS (SELECT u.id, u.authority_id FROM users u WHERE u.id = $1),"
	" roles AS (SELECT module, role FROM user_roles WHERE user_id = $1),"
	" t AS (SELECT r.id, r.instance_id, r.subject, r.module, i.state, r.requester_id, r.responder_id,"
	"              r.allocated_user_id, ma.allocation,"
	"              coalesce(r.agreed_date, r.reply_date) AS due"
	"         FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
	"         LEFT JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module)"
	" SELECT t.id, t.subject, t.state, to_char(t.due, 'YYYY-MM-DD'), task,"
	"        CASE WHEN request_overdue(t.state, t.due) THEN 'true' END FROM t, me,"
	"   LATERAL (SELECT 'approve' AS task WHERE t.state = 'awaiting-approval'"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'approver')"
	"              AND EXISTS (SELECT 1 FROM module_accesses ma JOIN access_coordinators c"
	"                   ON c.access_id = ma.id WHERE ma.authority_id = t.requester_id"
	"                  AND ma.module = t.module AND c.coordinator_id = me.authority_id)"
	"            UNION ALL SELECT 'approve' WHERE t.state = 'answer-awaiting-approval'"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'approver')"
	"              AND EXISTS (SELECT 1 FROM module_accesses ma JOIN access_coordinators c"
	"                   ON c.access_id = ma.id WHERE ma.authority_id = t.responder_id"
	"                  AND ma.module = t.module AND c.coordinator_id = me.authority_id)"
	"            UNION ALL SELECT 'accept' WHERE t.state = 'sent' AND t.responder_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module"
	"                          AND role IN ('handler', 'allocator'))"
	"            UNION ALL SELECT 'allocate' WHERE t.state = 'accepted' AND t.allocation"
	"              AND t.allocated_user_id IS NULL AND t.responder_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'allocator')"
	"            UNION ALL SELECT 'answer' WHERE t.state = 'accepted'"
	"              AND t.responder_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'handler')"
	"              AND (NOT coalesce(t.allocation, false) OR t.allocated_user_id = me.id)"
	"            UNION ALL SELECT 'inform' WHERE t.state = 'awaiting-information'"
	"              AND t.requester_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'handler')) k"
	" WHERE EXISTS (SELECT FROM request_visible_to(t.instance_id, $1))"
	" ORDER BY t.due, t.id LIMIT 500", 1 };
static const struct db_query q_related = { "request_related",
	"SELECT id, subject, 'parent' FROM requests WHERE id = (SELECT parent_id FROM requests"
	"   WHERE id = $1)"
	" UNION ALL SELECT id, subject, 'child' FROM requests WHERE parent_id = $1 ORDER BY 1", 1 };
/* The Log tab: every transition, who fired it from where, and its inputs in words. */
static const struct db_query q_log = { "request_log",
	"SELECT h.seq, to_char(h.at, 'YYYY-MM-DD HH24:MI'), h.event, coalesce(h.from_state, ''),"
	"       h.to_state, h.actor_kind, coalesce(u.first_name || ' ' || u.last_name, ''),"
	"       coalesce(a.official_name, ''),"
	"       coalesce((SELECT string_agg(e.key || ': ' || CASE"
	"           WHEN e.key = 'authority' THEN coalesce((SELECT x.official_name || ' (' || x.country"
	"             || ')' FROM authorities x WHERE x.id::text = e.value), e.value)"
	"           WHEN e.key = 'handler' THEN coalesce((SELECT y.first_name || ' ' || y.last_name"
	"             FROM users y WHERE y.id::text = e.value), e.value)"
	"           ELSE e.value END, '; ' ORDER BY e.key)"
	"         FROM jsonb_each_text(h.inputs) e WHERE e.value <> ''), '')"
	"  FROM wf_history h LEFT JOIN users u ON u.id = h.actor_user_id"
	"  LEFT JOIN authorities a ON a.id = h.actor_authority_id"
	" WHERE h.instance_id = $1 ORDER BY h.seq", 1 };
/* The Documents tab: what came with which transition. */
static const struct db_query q_docs = { "request_documents",
	"SELECT d.id, d.filename, d.size, coalesce(h.event, ''), to_char(d.created_at, 'YYYY-MM-DD HH24:MI')"
	"  FROM wf_documents d LEFT JOIN wf_history h ON h.instance_id = d.instance_id AND h.seq = d.seq"
	" WHERE d.instance_id = $1 ORDER BY d.id", 1 };
static const struct db_query q_option = { "request_option",
	"SELECT EXISTS (SELECT 1 FROM requests r JOIN questions q ON q.module = r.module"
	"   AND q.code = $2, jsonb_array_elements(q.options) o WHERE r.id = $1 AND o->>'value' = $3)", 3 };

static const char *
num(struct hctx *ctx, long long v)
{
	return arena_printf(ctx->a, "%lld", v);
}

static const char *
form(struct hctx *ctx, const char *name)
{
	const char *v = http_form(ctx->req, name);

	return v != NULL ? v : "";
}

static int
valid_date(const char *s)
{
	int y, m, d;
	char tail;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int
one_line(const char *s, size_t max)
{
	return strlen(s) <= max && http_valid_text(s, strlen(s)) && strchr(s, '\n') == NULL;
}

static const char *
criterion(struct hctx *ctx, const char *name, int is_date)
{
	const char *v = http_query(ctx->req, name);

	if (v == NULL || strlen(v) > 200 || !http_valid_text(v, strlen(v)) ||
	    (is_date && v[0] != '\0' && !valid_date(v)))
		return "";
	return v;
}

int
page_requests(struct hctx *ctx)
{
	static const char *const list_attrs[] = { "id", NULL, "module", "state", "requester",
	    "responder", "reply-date", "overdue" };
	static const char *const names[] = { "module", "party", "state", "overdue", "from", "to", "q",
	    "sort" };
	const char *params[11];
	const char *pg = http_query(ctx->req, "page");
	long page_no = pg != NULL && strspn(pg, "0123456789") == strlen(pg) && strlen(pg) < 6 ?
	    strtol(pg, NULL, 10) : 0;
	xmlNodePtr page, list, c;
	PGresult *r;

	params[0] = num(ctx, ctx->sess->user_id);
	params[1] = params[0];
	for (size_t i = 0; i < 8; i++)
		params[2 + i] = criterion(ctx, names[i], i == 4 || i == 5);
	params[10] = arena_printf(ctx->a, "%ld", page_no);
	if ((r = db_exec(ctx->db, ctx->a, &q_list, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "requests")) == NULL)
		return 500;
	c = model_add(page, "criteria", NULL);
	for (size_t i = 0; i < 8; i++)
		model_attr(c, names[i], params[2 + i]);
	model_attrf(c, "page", "%ld", page_no);
	list = model_add(page, "requests", NULL);
	model_attr(list, "total", PQntuples(r) > 0 ? db_value(r, 0, 8) : "0");
	page_rows(list, "request", r, 1, list_attrs, 8);
	return page_render(ctx, page);
}

static int
new_page(struct hctx *ctx, const char *module, const struct form_errors *errs)
{
	const char *params[2];
	static const char *const fields[] = { "responder", "subject", "context", "person_name",
	    "person_birth_date", "person_nationality", "person_registration", "reply_date", NULL };
	xmlNodePtr page, f, n;
	PGresult *r;
	int offered = 0;

	if ((page = page_model(ctx, "request-new")) == NULL)
		return 500;
	params[0] = num(ctx, ctx->sess->user_id);
	params[1] = num(ctx, ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_my_modules, params)) == NULL)
		return 500;
	n = model_add(page, "modules", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		xmlNodePtr m = model_add(n, "module", db_value(r, i, 1));
		model_attr(m, "code", db_value(r, i, 0));
		if (module != NULL && strcmp(module, db_value(r, i, 0)) == 0) {
			model_attr(m, "selected", "true");
			offered = 1;
		}
	}
	if (!offered)
		return page_render(ctx, page);
	f = form_model(page, "request", errs);
	model_attr(f, "module", module);
	for (size_t i = 0; fields[i] != NULL; i++) {
		n = model_add(f, "field", NULL);
		model_attr(n, "name", fields[i]);
		model_attr(n, "value", form(ctx, fields[i]));
		for (size_t e = 0; errs != NULL && e < errs->n; e++)
			if (strcmp(errs->e[e].field, fields[i]) == 0)
				model_attr(n, "error", errs->e[e].rule);
	}
	params[0] = module;
	params[1] = num(ctx, ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_responders, params)) == NULL)
		return 500;
	n = model_add(page, "responders", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		xmlNodePtr a = model_add(n, "authority", db_value(r, i, 1));
		model_attr(a, "id", db_value(r, i, 0));
		/* The form's select (common.xsl "field") posts and preselects a choice's @code. */
		model_attr(a, "code", db_value(r, i, 0));
		model_attr(a, "country", db_value(r, i, 2));
	}
	params[1] = ctx->lang;
	if ((r = db_exec(ctx->db, ctx->a, &q_questions, params)) == NULL)
		return 500;
	n = model_add(page, "questions", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		xmlNodePtr q = model_add(n, "question", db_value(r, i, 1));
		model_attr(q, "code", db_value(r, i, 0));
		model_attr(q, "type", db_value(r, i, 2));
		model_attr(q, "group", db_value(r, i, 3));
		for (size_t k = 0; k < ctx->req->nbody; k++)
			if (strcmp(ctx->req->body_fields[k].name, "question") == 0 &&
			    strcmp(ctx->req->body_fields[k].value, db_value(r, i, 0)) == 0)
				model_attr(q, "checked", "true");
	}
	if (form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_request_new_form(struct hctx *ctx)
{
	return new_page(ctx, http_query(ctx->req, "module"), NULL);
}

int
page_request_new(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	struct form_errors errs = { 0 };
	const char *module = form(ctx, "module"), *params[11], *codes[MAX_QUESTIONS];
	const char *responder = form(ctx, "responder"), *reply = form(ctx, "reply_date");
	const char *birth = form(ctx, "person_birth_date"), *nat = form(ctx, "person_nationality");
	size_t ncodes = 0;
	PGresult *r;
	long long iid, rid;
	int found = 0;

	params[0] = num(ctx, ctx->sess->user_id);
	params[1] = num(ctx, ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_my_modules, params)) == NULL)
		return 500;
	for (int i = 0; i < PQntuples(r); i++)
		found |= strcmp(module, db_value(r, i, 0)) == 0;
	if (!found) {
		ctx->error_detail = "error.request.not-handler";
		return 403;
	}
	params[0] = module;
	if ((r = db_exec(ctx->db, ctx->a, &q_responders, params)) == NULL)
		return 500;
	found = 0;
	for (int i = 0; i < PQntuples(r); i++)
		found |= strcmp(responder, db_value(r, i, 0)) == 0;
	if (!found)
		form_error(&errs, "responder", "choice");
	if (form(ctx, "subject")[0] == '\0')
		form_error(&errs, "subject", "required");
	else if (!one_line(form(ctx, "subject"), TEXT_MAX * 4))
		form_error(&errs, "subject", "too-long");
	if (strlen(form(ctx, "context")) > CONTEXT_MAX ||
	    !http_valid_text(form(ctx, "context"), strlen(form(ctx, "context"))))
		form_error(&errs, "context", "too-long");
	if (!one_line(form(ctx, "person_name"), TEXT_MAX * 4))
		form_error(&errs, "person_name", "too-long");
	if (!one_line(form(ctx, "person_registration"), 100))
		form_error(&errs, "person_registration", "too-long");
	if (birth[0] != '\0' && !valid_date(birth))
		form_error(&errs, "person_birth_date", "date");
	if (nat[0] != '\0' && strlen(nat) != 2)
		form_error(&errs, "person_nationality", "choice");
	if (!valid_date(reply))
		form_error(&errs, "reply_date", reply[0] ? "date" : "required");
	for (size_t k = 0; k < ctx->req->nbody; k++) {
		if (strcmp(ctx->req->body_fields[k].name, "question") != 0)
			continue;
		params[1] = ctx->req->body_fields[k].value;
		if (ncodes == MAX_QUESTIONS || (r = db_exec(ctx->db, ctx->a, &q_question, params)) == NULL ||
		    PQntuples(r) != 1)
			return 400;
		codes[ncodes++] = params[1];
	}
	if (ncodes == 0)
		form_error(&errs, "questions", "required");
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return new_page(ctx, module, &errs);
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	if ((iid = wf_start_tx(ctx->db, ctx->a, ctx->cfg, &me, "information-request",
	    ctx->sess->authority_id, module)) == -1)
		goto fail;
	params[0] = num(ctx, iid);
	params[1] = module;
	params[2] = num(ctx, ctx->sess->authority_id);
	params[3] = responder;
	params[4] = form(ctx, "subject");
	params[5] = form(ctx, "context");
	params[6] = form(ctx, "person_name");
	params[7] = birth;
	params[8] = nat;
	params[9] = form(ctx, "person_registration");
	params[10] = reply;
	if ((r = db_exec(ctx->db, ctx->a, &q_insert, params)) == NULL)
		goto fail;
	rid = db_int(r, 0, 0);
	for (size_t i = 0; i < ncodes; i++) {
		params[0] = num(ctx, rid);
		params[1] = codes[i];
		params[2] = num(ctx, (long long)i + 1);
		if (db_exec(ctx->db, ctx->a, &q_add_question, params) == NULL)
			goto fail;
	}
	if (request_remind_at(ctx->db, ctx->a, iid) == -1 || db_commit(ctx->db) == -1)
		goto fail;
	log_info("user %lld drafted request %lld (instance %lld) to authority %s", ctx->sess->user_id,
	    rid, iid, responder);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/requests/%lld", rid)) == -1 ? 500 : 0;
fail:
	db_rollback(ctx->db);
	return 500;
}

static const char *const tabs[] = { "request", "questions", "documents", "log", NULL };

/* The tab asked for (?tab=), else the first; "print" shows every tab without forms. */
static const char *
tab_of(struct hctx *ctx, const char *want)
{
	const char *v = want != NULL ? want : http_query(ctx->req, "tab");

	if (v != NULL && strcmp(v, "print") == 0)
		return v;
	for (size_t i = 0; v != NULL && tabs[i] != NULL; i++)
		if (strcmp(v, tabs[i]) == 0)
			return tabs[i];
	return tabs[0];
}

static int
add_log(struct hctx *ctx, xmlNodePtr req, const char *iid)
{
	static const char *const log_attrs[] = { "seq", "at", "event", "from", "to", "actor-kind",
	    "user", "authority" };
	const char *params[1] = { iid };
	xmlNodePtr list;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_log, params)) == NULL)
		return -1;
	list = model_add(req, "log", NULL);
	page_rows(list, "entry", r, 8, log_attrs, 8);
	return 0;
}

/* Documents are personal data too: hidden with them once blocked (blocked: 1). */
static int
add_documents(struct hctx *ctx, xmlNodePtr req, const char *iid, int blocked)
{
	static const char *const doc_attrs[] = { "id", NULL, "size", "event", "at" };
	const char *params[1] = { iid };
	xmlNodePtr list;
	PGresult *r;

	list = model_add(req, "documents", NULL);
	if (blocked) {
		model_attr(list, "blocked", "true");
		return 0;
	}
	if ((r = db_exec(ctx->db, ctx->a, &q_docs, params)) == NULL)
		return -1;
	page_rows(list, "document", r, 1, doc_attrs, 5);
	return 0;
}

/*
 * The helpdesk's support view (art. 9(6): it is no party to other
 * authorities' exchanges): module, authorities, dates and state, said to be
 * metadata only; no subject, free text, answer, document or log.  The one
 * exception stays: blocked personal data, disclosed to a helpdesk
 * Administrator after a recorded justification.  404 for anyone else.
 */
static int
support_page(struct hctx *ctx, long long id)
{
	static const char *const attrs[] = { "id", "module", "module-name", "state", "requester",
	    "requester-country", "responder", "responder-country", "created", "reply-date",
	    "agreed-date", "closed" };
	static const char *const person[] = { "name", "birth-date", "nationality", "registration" };
	const char *params[2] = { num(ctx, id), num(ctx, ctx->sess->user_id) };
	xmlNodePtr page, req, n;
	PGresult *r, *q;
	int disclosed = 0;

	if ((r = db_exec(ctx->db, ctx->a, &q_support, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1)
		return 404;
	if ((page = page_model(ctx, "request-support")) == NULL)
		return 500;
	req = model_add(page, "request", NULL);
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		model_attr(req, attrs[i], db_value(r, 0, (int)i));
	n = model_add(req, "person", NULL);
	if (!db_bool(r, 0, 12) && !db_bool(r, 0, 13))
		return page_render(ctx, page);
	if (!db_bool(r, 0, 13) && ctx->sess->is_admin) {
		if ((q = db_exec(ctx->db, ctx->a, &q_disclosed, params)) == NULL)
			return 500;
		if (!(disclosed = db_bool(q, 0, 0)))
			model_attr(n, "may-disclose", "true");
	}
	if (!disclosed) {
		model_attr(n, "blocked", "true");
		return page_render(ctx, page);
	}
	for (size_t i = 0; i < sizeof(person) / sizeof(person[0]); i++)
		model_attr(n, person[i], db_value(r, 0, 14 + (int)i));
	return page_render(ctx, page);
}

/*
 * The request page: one document with the tabs Request, Questions and
 * answers, Documents and Log (the open one chosen by ?tab= or by the form
 * that failed), or all of them read-only for printing (?tab=print).
 */
static int
request_page(struct hctx *ctx, long long id, const struct form_errors *errs, const char *tab)
{
	const char *params[2] = { num(ctx, id), num(ctx, ctx->sess->user_id) };
	xmlNodePtr page, req, list, n;
	PGresult *r, *q, *may;
	int blocked, print;

	if ((r = db_exec(ctx->db, ctx->a, &q_request, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1)
		return support_page(ctx, id);
	if ((page = page_model(ctx, "request")) == NULL)
		return 500;
	tab = tab_of(ctx, tab);
	print = strcmp(tab, "print") == 0;
	model_attr(page, "tab", tab);
	req = model_add(page, "request", NULL);
	model_attr(req, "id", db_value(r, 0, 0));
	model_attr(req, "instance", db_value(r, 0, 1));
	model_attr(req, "module", db_value(r, 0, 2));
	model_attr(req, "module-name", db_value(r, 0, 3));
	model_attr(req, "state", db_value(r, 0, 4));
	model_attr(req, "subject", db_value(r, 0, 5));
	model_add(req, "context", db_value(r, 0, 6));
	model_attr(req, "requester-id", db_value(r, 0, 7));
	model_attr(req, "requester", db_value(r, 0, 8));
	model_attr(req, "requester-country", db_value(r, 0, 9));
	model_attr(req, "responder-id", db_value(r, 0, 10));
	model_attr(req, "responder", db_value(r, 0, 11));
	model_attr(req, "responder-country", db_value(r, 0, 12));
	model_attr(req, "reply-date", db_value(r, 0, 17));
	model_attr(req, "agreed-date", db_value(r, 0, 18));
	model_attr(req, "allocated", db_value(r, 0, 21));
	if (db_bool(r, 0, 23))
		model_attr(req, "overdue", "true");
	/* Retention: blocked personal data is hidden from every user. */
	blocked = db_bool(r, 0, 19) || db_bool(r, 0, 20);
	n = model_add(req, "person", NULL);
	if (blocked && !db_bool(r, 0, 20) && ctx->sess->is_helpdesk && ctx->sess->is_admin) {
		if ((q = db_exec(ctx->db, ctx->a, &q_disclosed, params)) == NULL)
			return 500;
		blocked = !db_bool(q, 0, 0);
		if (blocked && !print)
			model_attr(n, "may-disclose", "true");
	}
	if (blocked) {
		model_attr(n, "blocked", "true");
	} else {
		model_attr(n, "name", db_value(r, 0, 13));
		model_attr(n, "birth-date", db_value(r, 0, 14));
		model_attr(n, "nationality", db_value(r, 0, 15));
		model_attr(n, "registration", db_value(r, 0, 16));
	}
	params[1] = ctx->lang;
	if ((q = db_exec(ctx->db, ctx->a, &q_request_questions, params)) == NULL)
		return 500;
	params[1] = num(ctx, ctx->sess->user_id);
	if ((may = db_exec(ctx->db, ctx->a, &q_may_answer, params)) == NULL)
		return 500;
	list = model_add(req, "questions", NULL);
	if (db_bool(may, 0, 0) && !print)
		model_attr(list, "may-answer", "true");
	for (int i = 0; i < PQntuples(q); i++) {
		xmlNodePtr one = model_add(list, "question", NULL);
		model_attr(one, "code", db_value(q, i, 0));
		model_attr(one, "label", db_value(q, i, 1));
		model_attr(one, "type", db_value(q, i, 2));
		model_add(one, "answer", db_value(q, i, 3));
		model_add(one, "options", db_value(q, i, 4));
		for (size_t e = 0; errs != NULL && e < errs->n; e++)
			if (strcmp(errs->e[e].field, db_value(q, i, 0)) == 0)
				model_attr(one, "error", errs->e[e].rule);
	}
	params[1] = NULL;
	if ((q = db_exec(ctx->db, ctx->a, &q_related, params)) == NULL)
		return 500;
	for (int i = 0; i < PQntuples(q); i++) {
		n = model_add(req, "related", db_value(q, i, 1));
		model_attr(n, "id", db_value(q, i, 0));
		model_attr(n, "relation", db_value(q, i, 2));
	}
	if (add_documents(ctx, req, db_value(r, 0, 1), blocked) == -1 ||
	    add_log(ctx, req, db_value(r, 0, 1)) == -1)
		return 500;
	if (!print && page_instance_actions(ctx, page, db_int(r, 0, 1), NULL,
	    arena_printf(ctx->a, "/requests/%lld", id)) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_request(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);

	/* A form refused for its inputs shows the tab it is on. */
	if (id < 0)
		return 404;
	return request_page(ctx, id, NULL, ctx->failed_event != NULL &&
	    strcmp(ctx->failed_event, "split") == 0 ? "questions" : NULL);
}

/* A document of a request, for whoever sees the request, unless personal data are blocked. */
int
page_request_document(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]), doc = page_parse_id(ctx->args[1]);
	const char *params[2];
	PGresult *r;

	if (id < 0 || doc < 0)
		return 404;
	params[0] = num(ctx, id);
	params[1] = num(ctx, ctx->sess->user_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_request, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1 || db_bool(r, 0, 19) || db_bool(r, 0, 20))
		return 404;
	return page_document_send(ctx, db_int(r, 0, 1), doc);
}

/* Checks one answer against its question's type; NULL when fine, else the rule broken. */
static const char *
answer_rule(struct hctx *ctx, long long id, const char *code, const char *type, const char *v)
{
	const char *params[3];
	PGresult *r;
	char *end;

	if (v[0] == '\0')
		return NULL;
	if (strlen(v) > ANSWER_MAX || !http_valid_text(v, strlen(v)))
		return "too-long";
	if (strcmp(type, "yesno") == 0)
		return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 ? NULL : "choice";
	if (strcmp(type, "date") == 0)
		return valid_date(v) ? NULL : "date";
	if (strcmp(type, "number") == 0) {
		(void)strtod(v, &end);
		return *end == '\0' && strlen(v) <= 30 ? NULL : "number";
	}
	if (strcmp(type, "choice") == 0) {
		params[0] = num(ctx, id);
		params[1] = code;
		params[2] = v;
		if ((r = db_exec(ctx->db, ctx->a, &q_option, params)) == NULL)
			return "error";
		return db_bool(r, 0, 0) ? NULL : "choice";
	}
	return NULL;
}

int
page_request_answers(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	struct form_errors errs = { 0 };
	const char *params[4];
	PGresult *r, *q;

	if (id < 0)
		return 404;
	params[0] = num(ctx, id);
	params[1] = num(ctx, ctx->sess->user_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_seen, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1 || !db_bool(r, 0, 0))
		return 404;
	if ((r = db_exec(ctx->db, ctx->a, &q_may_answer, params)) == NULL)
		return 500;
	if (!db_bool(r, 0, 0)) {
		ctx->error_detail = "error.request.not-answerer";
		return 403;
	}
	params[1] = ctx->lang;
	if ((q = db_exec(ctx->db, ctx->a, &q_request_questions, params)) == NULL)
		return 500;
	for (int i = 0; i < PQntuples(q); i++) {
		const char *v = http_form(ctx->req, arena_printf(ctx->a, "answer-%s", db_value(q, i, 0)));
		const char *rule = answer_rule(ctx, id, db_value(q, i, 0), db_value(q, i, 2), v ? v : "");
		if (rule != NULL && strcmp(rule, "error") == 0)
			return 500;
		if (rule != NULL)
			form_error(&errs, db_value(q, i, 0), rule);
	}
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return request_page(ctx, id, &errs, "questions");
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	for (int i = 0; i < PQntuples(q); i++) {
		const char *v = http_form(ctx->req, arena_printf(ctx->a, "answer-%s", db_value(q, i, 0)));
		if (v == NULL)
			continue;
		params[0] = num(ctx, id);
		params[1] = db_value(q, i, 0);
		params[2] = v;
		params[3] = num(ctx, ctx->sess->user_id);
		if (db_exec(ctx->db, ctx->a, &q_answer, params) == NULL) {
			db_rollback(ctx->db);
			return 500;
		}
	}
	if (db_commit(ctx->db) == -1)
		return 500;
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/requests/%lld?tab=questions", id)) ==
	    -1 ? 500 : 0;
}

int
page_request_disclose(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	const char *why = http_form(ctx->req, "justification"), *params[3];
	PGresult *r;

	if (id < 0)
		return 404;
	params[0] = num(ctx, id);
	params[1] = num(ctx, ctx->sess->user_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_seen, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1 || (!db_bool(r, 0, 0) && !db_bool(r, 0, 1)))
		return 404;
	if (!ctx->sess->is_helpdesk || !ctx->sess->is_admin) {
		ctx->error_detail = "error.request.disclose-forbidden";
		return 403;
	}
	if (why == NULL || strlen(why) < 10 || strlen(why) > 2000 || !http_valid_text(why, strlen(why)))
		return 400;
	params[2] = why;
	if (db_exec(ctx->db, ctx->a, &q_disclose, params) == NULL)
		return 500;
	log_info("user %lld read the blocked personal data of request %lld: %s", ctx->sess->user_id,
	    id, why);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/requests/%lld", id)) == -1 ? 500 : 0;
}

int
page_tasks(struct hctx *ctx)
{
	static const char *const task_attrs[] = { "request", NULL, "state", "due", "kind",
	    "overdue" };
	const char *params[1] = { num(ctx, ctx->sess->user_id) };
	xmlNodePtr page, list;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_tasks, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "tasks")) == NULL)
		return 500;
	list = model_add(page, "tasks", NULL);
	page_rows(list, "task", r, 1, task_attrs, 6);
	return page_render(ctx, page);
}
