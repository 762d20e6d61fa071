/* page_request.c — see page_request.h. */
#include "page_request.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authority_form.h"
#include "config.h"
#include "date.h"
#include "db.h"
#include "defs.h"
#include "engine.h"
#include "handler.h"
#include "http.h"
#include "log.h"
#include "model.h"
#include "page_case_tasks.h"
#include "page_instance.h"
#include "page_labels.h"
#include "page_refusal.h"
#include "pgarray.h"
#include "request_actions.h"
#include "request_form.h"
#include "security_log.h"
#include "workflow.h"
#include "textcheck.h"
#include "visibility.h"

#define ANSWER_MAX 10000

/* The request modules in which the user is a Handler and its authority's access is active. */
static const struct db_query q_my_modules = { "request_my_modules",
	"SELECT m.code, m.name FROM modules m JOIN user_roles r ON r.module = m.code"
	" WHERE m.kind = 'request' AND r.user_id = $1 AND r.role = 'handler'"
	"   AND EXISTS (SELECT FROM module_access_granted($2, m.code)) ORDER BY m.position, m.code", 2 };
/*
 * Who can be asked: active authorities with an active access to the module, but oneself;
 * per row through module_access_granted(), which PostgreSQL inlines (sql/033).
 */
static const struct db_query q_responders = { "request_responders",
	"SELECT a.id, a.official_name, a.country FROM authorities a"
	" WHERE a.id <> $2 AND EXISTS (SELECT FROM module_access_granted(a.id, $1))"
	" ORDER BY a.country, a.official_name LIMIT 1000", 2 };
static const struct db_query q_questions = { "request_questions",
	"SELECT q.code, coalesce(q.labels->>$2, q.labels->>'en'), q.type, q.group_code"
	"  FROM questions q WHERE q.module = $1 AND NOT q.retired ORDER BY q.position", 2 };
/* The questions of a draft being edited. */
static const struct db_query q_chosen = { "request_chosen",
	"SELECT rq.code FROM requests r JOIN request_questions rq ON rq.request_id = r.id"
	" WHERE r.id = $1 ORDER BY rq.position", 1 };
/* Who sees a request ($2 is the user): sql/015_need_to_know.sql, request_visible_to(). */
#define VISIBLE IMI_REQUEST_VISIBLE("r.instance_id")
/*
 * Requests → Search: every criterion optional; plain substring matching, never
 * a pattern.  A subject and context hidden by retention are neither shown nor
 * searched (sql/016_retention_personal.sql).
 */
#define LIST_SELECT \
	"SELECT r.id, CASE WHEN NOT request_texts_hidden(r) THEN r.subject END, r.module, i.state," \
	"       a.official_name, b.official_name," \
	"       to_char(coalesce(r.agreed_date, r.reply_date), 'YYYY-MM-DD')," \
	"       CASE WHEN request_overdue(i.state, coalesce(r.agreed_date, r.reply_date))" \
	"         THEN 'true' END," \
	"       CASE WHEN request_texts_hidden(r) THEN 'true' END" \
	"  FROM requests r JOIN wf_instances i ON i.id = r.instance_id" \
	"  JOIN authorities a ON a.id = r.requester_id JOIN authorities b ON b.id = r.responder_id" \
	" WHERE $1::bigint IS NOT NULL AND i.state <> 'deleted' AND " VISIBLE \
	"   AND ($3 = '' OR r.module = $3)" \
	"   AND ($4 = '' OR strpos(lower(a.official_name || ' ' || b.official_name), lower($4)) > 0)" \
	"   AND ($5 = '' OR i.state = $5)" \
	"   AND ($6 = '' OR request_overdue(i.state, coalesce(r.agreed_date, r.reply_date)))" \
	"   AND ($7 = '' OR r.created_at >= $7::date) AND ($8 = '' OR r.created_at < $8::date + 1)" \
	"   AND ($9 = '' OR (NOT request_texts_hidden(r)" \
	"        AND strpos(lower(r.subject || ' ' || r.context), lower($9)) > 0))"
/*
 * One statement per order, each paged by keyset ($10: the last row's id, 0 for the first page;
 * $11 its sort key) rather than OFFSET, and 51 rows to tell whether a next page exists: the
 * newest first walks the primary key backwards and stops after 51 visible rows, whatever the
 * number of requests (bench/all: the list with 1 M requests against 10 k).  No count of all
 * rows: that alone read every visible request.  The other orders sort what the criteria select.
 */
static const struct db_query q_list = { "request_list",
	LIST_SELECT
	"   AND ($10::bigint = 0 OR r.id < $10) AND $11::text IS NOT NULL"
	" ORDER BY r.id DESC LIMIT 51", 11 };
static const struct db_query q_list_reply = { "request_list_reply",
	LIST_SELECT
	"   AND ($10::bigint = 0 OR to_char(coalesce(r.agreed_date, r.reply_date), 'YYYY-MM-DD') > $11"
	"        OR (to_char(coalesce(r.agreed_date, r.reply_date), 'YYYY-MM-DD') = $11 AND r.id < $10))"
	" ORDER BY coalesce(r.agreed_date, r.reply_date), r.id DESC LIMIT 51", 11 };
static const struct db_query q_list_state = { "request_list_state",
	LIST_SELECT
	"   AND ($10::bigint = 0 OR i.state > $11 OR (i.state = $11 AND r.id < $10))"
	" ORDER BY i.state, r.id DESC LIMIT 51", 11 };
static const struct db_query q_request = { "request_one",
	"SELECT r.id, r.instance_id, r.module, m.name, i.state, r.subject, r.context,"
	"       r.requester_id, a.official_name, a.country, r.responder_id, b.official_name, b.country,"
	"       coalesce(r.person_name, ''), coalesce(to_char(r.person_birth_date, 'YYYY-MM-DD'), ''),"
	"       coalesce(r.person_nationality, ''), coalesce(r.person_registration, ''),"
	"       to_char(r.reply_date, 'YYYY-MM-DD'), coalesce(to_char(r.agreed_date, 'YYYY-MM-DD'), ''),"
	"       r.personal_data_blocked_at IS NOT NULL, r.personal_data_deleted_at IS NOT NULL,"
	"       coalesce(u.first_name || ' ' || u.last_name, ''), i.rev,"
	"       request_overdue(i.state, coalesce(r.agreed_date, r.reply_date)),"
	"       r.no_personal_texts, i.definition, i.version"
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
	"       coalesce(rq.answer, ''), coalesce(q.options::text, '[]'), coalesce(q.personal, true)"
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
 * My tasks: the requests waiting for this user, on either side, and why.  One
 * arm per state of workflows/information-request.xml where the user, by role
 * and party, has a transition that moves the request on (timers, edits and
 * forwards that leave it with the same side are not tasks):
 *   approve   awaiting-approval / answer-awaiting-approval: Approver of a linked
 *             coordinator of the requester / responder
 *   send      draft: its author, a Handler of the requester (send or submit)
 *   accept    sent: the responder's Handler or Allocator
 *   allocate  accepted, allocation on, nobody allocated: the responder's Allocator
 *   answer    accepted: the responder's answerer
 *   inform    awaiting-information: the requester's Handler
 *   close     answered: the requester's Handler (close or follow up)
 *   refusal   refused: the requester's Handler (accept the refusal or refer)
 *   referral  referred: Approver of a linked coordinator of either side
 * Viewers act on nothing, so have none; request_visible_to keeps need to know.
 */
static const struct db_query q_tasks = { "request_tasks",
	"WITH me AS (SELECT u.id, u.authority_id FROM users u WHERE u.id = $1),"
	" roles AS (SELECT module, role FROM user_roles WHERE user_id = $1),"
	/*
	 * The requests that may hold a task, found by index (requester, responder,
	 * the accesses the user's authority coordinates) in the states of the tasks
	 * below: a superset of what the LATERAL keeps, so that My tasks reads the
	 * open requests of the user's side, not every request (bench/README.md).
	 */
	" coord AS (SELECT ma.authority_id, ma.module FROM module_accesses ma"
	"            JOIN access_coordinators c ON c.access_id = ma.id"
	"           WHERE c.coordinator_id = $2::bigint),"
	" cand AS (SELECT r.id FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
	"           WHERE r.requester_id = $2::bigint"
	"             AND i.state IN ('awaiting-information', 'draft', 'answered', 'refused')"
	"          UNION SELECT r.id FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
	"           WHERE r.responder_id = $2::bigint AND i.state IN ('sent', 'accepted')"
	"          UNION SELECT r.id FROM coord JOIN requests r ON r.requester_id = coord.authority_id"
	"             AND r.module = coord.module JOIN wf_instances i ON i.id = r.instance_id"
	"           WHERE i.state IN ('awaiting-approval', 'referred')"
	"          UNION SELECT r.id FROM coord JOIN requests r ON r.responder_id = coord.authority_id"
	"             AND r.module = coord.module JOIN wf_instances i ON i.id = r.instance_id"
	"           WHERE i.state IN ('answer-awaiting-approval', 'referred')),"
	" t AS (SELECT r.id, r.instance_id, CASE WHEN NOT request_texts_hidden(r) THEN r.subject END AS subject,"
	"              r.module, i.state, r.requester_id, r.responder_id,"
	"              r.allocated_user_id, ma.allocation, i.created_by,"
	"              coalesce(r.agreed_date, r.reply_date) AS due"
	"         FROM cand JOIN requests r ON r.id = cand.id JOIN wf_instances i ON i.id = r.instance_id"
	"         LEFT JOIN module_accesses ma ON ma.authority_id = r.responder_id AND ma.module = r.module)"
	" SELECT t.id, t.subject, t.state, to_char(t.due, 'YYYY-MM-DD'), task,"
	"        CASE WHEN request_overdue(t.state, t.due) THEN 'true' END,"
	"        CASE WHEN t.subject IS NULL THEN 'true' END FROM t, me,"
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
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'handler')"
	"            UNION ALL SELECT 'send' WHERE t.state = 'draft' AND t.created_by = me.id"
	"              AND t.requester_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'handler')"
	"            UNION ALL SELECT 'close' WHERE t.state = 'answered'"
	"              AND t.requester_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'handler')"
	"            UNION ALL SELECT 'refusal' WHERE t.state = 'refused'"
	"              AND t.requester_id = me.authority_id"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'handler')"
	"            UNION ALL SELECT 'referral' WHERE t.state = 'referred'"
	"              AND EXISTS (SELECT 1 FROM roles WHERE module = t.module AND role = 'approver')"
	"              AND EXISTS (SELECT 1 FROM module_accesses ma JOIN access_coordinators c"
	"                   ON c.access_id = ma.id WHERE ma.module = t.module"
	"                  AND ma.authority_id IN (t.requester_id, t.responder_id)"
	"                  AND c.coordinator_id = me.authority_id)) k"
	" WHERE EXISTS (SELECT FROM request_visible_to(t.instance_id, $1))"
	" ORDER BY t.due, t.id LIMIT 500", 2 };
/* Each one's subject unless retention hides it. */
static const struct db_query q_related = { "request_related",
	"SELECT r.id, CASE WHEN NOT request_texts_hidden(r) THEN r.subject END, x.relation,"
	"       CASE WHEN request_texts_hidden(r) THEN 'true' END"
	"  FROM (SELECT parent_id AS id, 'parent' AS relation FROM requests WHERE id = $1"
	"        UNION ALL SELECT id, 'child' FROM requests WHERE parent_id = $1) x"
	"  JOIN requests r ON r.id = x.id ORDER BY 1", 1 };
/*
 * The Log tab: every transition, who fired it from where, and its inputs in
 * words but those named in $2 (free texts hidden by retention); and every
 * reading of blocked personal data, who, when and why (art. 14), in order.
 */
static const struct db_query q_log = { "request_log",
	"SELECT * FROM ("
	"SELECT h.seq::text, to_char(h.at, 'YYYY-MM-DD HH24:MI'), h.event, coalesce(h.from_state, ''),"
	"       h.to_state, h.actor_kind, coalesce(u.first_name || ' ' || u.last_name, ''),"
	"       coalesce(a.official_name, ''),"
	"       coalesce((SELECT string_agg(e.key || chr(31) || CASE"
	"           WHEN e.key = 'authority' THEN coalesce((SELECT x.official_name || ' (' || x.country"
	"             || ')' FROM authorities x WHERE x.id::text = e.value), e.value)"
	"           WHEN e.key = 'handler' THEN coalesce((SELECT y.first_name || ' ' || y.last_name"
	"             FROM users y WHERE y.id::text = e.value), e.value)"
	"           ELSE e.value END, chr(30) ORDER BY e.key)"
	"         FROM jsonb_each_text(h.inputs) e WHERE e.value <> ''"
	"          AND NOT e.key = ANY ($2::text[])), ''), h.at, h.seq"
	"  FROM wf_history h LEFT JOIN users u ON u.id = h.actor_user_id"
	"  LEFT JOIN authorities a ON a.id = h.actor_authority_id"
	" WHERE h.instance_id = $1"
	" UNION ALL"
	" SELECT '', to_char(d.at, 'YYYY-MM-DD HH24:MI'), 'disclose', '', '', 'user',"
	"       u.first_name || ' ' || u.last_name, a.official_name, d.justification, d.at, NULL"
	"  FROM request_disclosures d JOIN requests r ON r.id = d.request_id"
	"  JOIN users u ON u.id = d.user_id JOIN authorities a ON a.id = u.authority_id"
	" WHERE r.instance_id = $1) l ORDER BY 10, 11 NULLS LAST", 2 };
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
criterion(struct hctx *ctx, const char *name, int is_date)
{
	const char *v = http_query(ctx->req, name);

	if (v == NULL || strlen(v) > 200 || !http_valid_text(v, strlen(v)) ||
	    (is_date && v[0] != '\0' && !date_valid(v)))
		return "";
	return v;
}


static const struct db_query q_request_modules = { "request_search_modules",
	"SELECT code, name FROM modules WHERE kind = 'request' ORDER BY position, code", 0 };

/*
 * The search form's choices in words (issue 16): the request modules by name
 * and the states of the newest information-request definition by label.
 */
static int
search_choices(struct hctx *ctx, xmlNodePtr c)
{
	const struct wf_def *def;
	xmlNodePtr list, n;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_request_modules, NULL)) == NULL)
		return -1;
	list = model_add(c, "modules", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "module", db_value(r, i, 1));
		model_attr(n, "code", db_value(r, i, 0));
	}
	if ((def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, "information-request", 0)) == NULL)
		return 0;
	list = model_add(c, "states", NULL);
	for (size_t i = 0; i < def->nstates; i++) {
		n = model_add(list, "state", NULL);
		model_attr(n, "name", def->states[i].name);
		model_attr(n, "label", def->states[i].label);
	}
	return 0;
}

int
page_requests(struct hctx *ctx)
{
	static const char *const list_attrs[] = { "id", NULL, "module", "state", "requester",
	    "responder", "reply-date", "overdue", "texts-hidden" };
	static const char *const names[] = { "module", "party", "state", "overdue", "from", "to", "q",
	    "sort" };
	const struct db_query *q = &q_list;
	const char *params[11], *after = http_query(ctx->req, "after");
	xmlNodePtr page, list, c, last;
	PGresult *r;
	int n, more;

	params[0] = num(ctx, ctx->sess->user_id);
	params[1] = params[0];
	for (size_t i = 0; i < 7; i++)
		params[2 + i] = criterion(ctx, names[i], i == 4 || i == 5);
	params[9] = after != NULL && after[0] != '\0' && strspn(after, "0123456789") == strlen(after) &&
	    strlen(after) < 19 ? after : "0";
	params[10] = criterion(ctx, "key", 0);
	if (strcmp(criterion(ctx, "sort", 0), "reply") == 0)
		q = &q_list_reply;
	else if (strcmp(criterion(ctx, "sort", 0), "state") == 0)
		q = &q_list_state;
	if ((r = db_exec(ctx->db, ctx->a, q, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "requests")) == NULL)
		return 500;
	c = model_add(page, "criteria", NULL);
	for (size_t i = 0; i < 7; i++)
		model_attr(c, names[i], params[2 + i]);
	model_attr(c, "sort", q == &q_list_reply ? "reply" : q == &q_list_state ? "state" : "");
	if (search_choices(ctx, c) == -1)
		return 500;
	list = model_add(page, "requests", NULL);
	n = PQntuples(r);
	more = n > 50;
	if (more) {
		n = 50;
		/* Where the next page starts: the last row shown and its sort key. */
		model_attr(list, "next", db_value(r, n - 1, 0));
		model_attr(list, "next-key", q == &q_list_reply ? db_value(r, n - 1, 6) :
		    q == &q_list_state ? db_value(r, n - 1, 3) : "");
		model_attr(list, "total", "50+");
	} else
		model_attrf(list, "total", "%d", n);
	if (params[9][0] != '0')
		model_attr(list, "after", params[9]);
	page_rows(list, "request", r, 1, list_attrs, 9);
	if (more && (last = xmlGetLastChild(list)) != NULL) {
		/* The 51st row only told that there is more. */
		xmlUnlinkNode(last);
		xmlFreeNode(last);
	}
	return page_render(ctx, page);
}

/*
 * What the new request's form and the draft's edit page share: the fields
 * with their errors, the authorities that may answer, and the module's
 * questions, those of chosen checked.
 */
static int
draft_form(struct hctx *ctx, xmlNodePtr page, const char *module, const struct request_fields *rf,
    const struct form_errors *errs)
{
	const char *params[2];
	xmlNodePtr f, n;
	PGresult *r;

	f = form_model(page, "request", errs);
	model_attr(f, "module", module);
	request_fields_model(f, rf, errs);
	params[0] = module;
	params[1] = num(ctx, ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_responders, params)) == NULL)
		return -1;
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
		return -1;
	n = model_add(page, "questions", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		xmlNodePtr q = model_add(n, "question", db_value(r, i, 1));
		model_attr(q, "code", db_value(r, i, 0));
		model_attr(q, "type", db_value(r, i, 2));
		model_attr(q, "group", db_value(r, i, 3));
		for (size_t k = 0; k < rf->nquestions; k++)
			if (strcmp(rf->questions[k], db_value(r, i, 0)) == 0)
				model_attr(q, "checked", "true");
	}
	return form_choices_model(ctx->db, ctx->a, page);
}

static int
new_page(struct hctx *ctx, const char *module, const struct form_errors *errs)
{
	const char *params[2];
	struct request_fields rf;
	xmlNodePtr page, n;
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
	/* A refused form comes back as it was sent. */
	request_fields_read(ctx->req->body_fields, ctx->req->nbody, &rf);
	if (draft_form(ctx, page, module, &rf, errs) == -1)
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
	struct request_fields rf;
	const char *module = http_form(ctx->req, "module"), *params[2];
	PGresult *r;
	long long iid, rid;
	int found = 0, rc;

	if (module == NULL)
		module = "";
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
	request_fields_read(ctx->req->body_fields, ctx->req->nbody, &rf);
	if ((rc = request_fields_check(ctx->db, ctx->a, module, ctx->sess->authority_id, &rf,
	    &errs)) != 0)
		return rc == 1 ? 400 : 500;
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return new_page(ctx, module, &errs);
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	if ((iid = wf_start_tx(ctx->db, ctx->a, ctx->cfg, &me, "information-request",
	    ctx->sess->authority_id, module)) == -1 ||
	    (rid = request_fields_insert(ctx->db, ctx->a, iid, module, ctx->sess->authority_id,
	    &rf)) == -1 ||
	    request_remind_at(ctx->db, ctx->a, iid) == -1 || db_commit(ctx->db) == -1) {
		db_rollback(ctx->db);
		return 500;
	}
	log_info("user %lld drafted request %lld (instance %lld) to authority %s", ctx->sess->user_id,
	    rid, iid, rf.responder);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/requests/%lld", rid)) == -1 ? 500 : 0;
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

/*
 * The free texts of the definition the instance runs (wf_free_texts), as a
 * text[] literal, when retention hides them; else the empty array.
 */
static const char *
hidden_texts(struct hctx *ctx, PGresult *r, int hidden)
{
	const struct wf_def *def;
	const char *names[WF_FREE_TEXTS_MAX];

	if (!hidden)
		return "{}";
	if ((def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, 0, 25),
	    (int)db_int(r, 0, 26))) == NULL)
		return NULL;
	return pg_text_array(ctx->a, names, wf_free_texts(def, names, WF_FREE_TEXTS_MAX));
}

/*
 * The Log tab: each row with its event's and states' labels and its inputs in
 * words (page_labels.h); a disclosure's justification is the row's text.
 */
static int
add_log(struct hctx *ctx, xmlNodePtr req, const char *iid, const char *hidden,
    const struct wf_def *def)
{
	static const char *const log_attrs[] = { "seq", "at", "event", "from", "to", "actor-kind",
	    "user", "authority" };
	const char *params[2] = { iid, hidden };
	xmlNodePtr list, n;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_log, params)) == NULL)
		return -1;
	list = model_add(req, "log", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		int disclose = strcmp(db_value(r, i, 2), "disclose") == 0;

		n = model_add(list, "entry", disclose ? db_value(r, i, 8) : NULL);
		for (int k = 0; k < 8; k++)
			if (!PQgetisnull(r, i, k))
				model_attr(n, log_attrs[k], db_value(r, i, k));
		if (!disclose) {
			page_label_row(n, def, db_value(r, i, 2), db_value(r, i, 3), db_value(r, i, 4));
			page_label_inputs(n, def, db_value(r, i, 2), db_value(r, i, 8));
		}
	}
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
	const struct wf_def *def;
	const char *texts;
	int blocked, print, texts_hidden;

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
	/* The subject and context go with them unless the author ticked that they name nobody. */
	texts_hidden = blocked && !db_bool(r, 0, 24);
	if (texts_hidden) {
		model_attr(req, "subject", "");
		model_attr(req, "texts-hidden", "true");
	} else {
		model_attr(req, "subject", db_value(r, 0, 5));
		model_add(req, "context", db_value(r, 0, 6));
	}
	if (db_bool(r, 0, 24))
		model_attr(req, "no-personal-texts", "true");
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
		/* An answer that is personal data (personal="true" in the question set) goes with them. */
		if (blocked && db_bool(q, i, 5))
			model_attr(one, "hidden", "true");
		else
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
		if (db_bool(q, i, 3))
			model_attr(n, "texts-hidden", "true");
	}
	if ((texts = hidden_texts(ctx, r, blocked)) == NULL ||
	    (def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, 0, 25),
	    (int)db_int(r, 0, 26))) == NULL ||
	    add_documents(ctx, req, db_value(r, 0, 1), blocked) == -1 ||
	    add_log(ctx, req, db_value(r, 0, 1), texts, def) == -1)
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

/*
 * Whether this user may edit the request of row r now: the transition "edit"
 * of the definition version it runs, from its state, and its guard (in
 * information-request.xml: a draft, by its author, a Handler).  1, 0, or -1.
 */
static int
may_edit(struct hctx *ctx, PGresult *r)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	const struct wf_def *def;
	const struct wf_transition *t;
	const char *missing = NULL;

	if ((def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, 0, 25),
	    (int)db_int(r, 0, 26))) == NULL)
		return -1;
	if ((t = wf_transition(wf_state(def, db_value(r, 0, 4)), "edit")) == NULL)
		return 0;
	return wf_guard(ctx->db, ctx->a, &me, db_int(r, 0, 1), db_value(r, 0, 2), t, &missing);
}

/*
 * The draft's edit page: its fields as stored, or as sent with the errors of
 * failed; the module's questions with the chosen ones checked; its documents,
 * each with a box to remove it, and a file to add.
 */
static int
edit_page(struct hctx *ctx, long long id, const struct wf_outcome *failed)
{
	static const char *const doc_attrs[] = { "id", NULL, "size", "event", "at" };
	const char *params[2] = { num(ctx, id), num(ctx, ctx->sess->user_id) };
	struct form_errors errs = { 0 };
	struct request_fields rf;
	xmlNodePtr page, req, list, n;
	PGresult *r, *q;
	int g;

	if ((r = db_exec(ctx->db, ctx->a, &q_request, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1)
		return 404;
	if ((g = may_edit(ctx, r)) == -1)
		return 500;
	if (g == 0) {
		ctx->error_detail = "error.request.not-editable";
		return 403;
	}
	if ((page = page_model(ctx, "request-edit")) == NULL)
		return 500;
	req = model_add(page, "request", NULL);
	model_attr(req, "id", db_value(r, 0, 0));
	model_attr(req, "instance", db_value(r, 0, 1));
	model_attr(req, "rev", db_value(r, 0, 22));
	model_attr(req, "module-name", db_value(r, 0, 3));
	model_attr(req, "state", db_value(r, 0, 4));
	model_attr(req, "subject", db_value(r, 0, 5));
	if (failed != NULL) {
		request_fields_read(ctx->req->body_fields, ctx->req->nbody, &rf);
		for (size_t e = 0; e < failed->nerrors; e++)
			form_error(&errs, failed->errors[e].input, failed->errors[e].rule);
	} else {
		memset(&rf, 0, sizeof(rf));
		rf.responder = db_value(r, 0, 10);
		rf.subject = db_value(r, 0, 5);
		rf.context = db_value(r, 0, 6);
		rf.no_personal_texts = db_bool(r, 0, 24) ? "1" : "";
		rf.person_name = db_value(r, 0, 13);
		rf.person_birth_date = db_value(r, 0, 14);
		rf.person_nationality = db_value(r, 0, 15);
		rf.person_registration = db_value(r, 0, 16);
		rf.reply_date = db_value(r, 0, 17);
		if ((q = db_exec(ctx->db, ctx->a, &q_chosen, params)) == NULL)
			return 500;
		for (int i = 0; i < PQntuples(q) && i < REQUEST_MAX_QUESTIONS; i++)
			rf.questions[rf.nquestions++] = db_value(q, i, 0);
	}
	if (draft_form(ctx, page, db_value(r, 0, 2), &rf, failed ? &errs : NULL) == -1)
		return 500;
	params[0] = db_value(r, 0, 1);
	if ((q = db_exec(ctx->db, ctx->a, &q_docs, params)) == NULL)
		return 500;
	list = model_add(req, "documents", NULL);
	page_rows(list, "document", q, 1, doc_attrs, 5);
	for (n = list->children; failed != NULL && n != NULL; n = n->next) {
		xmlChar *doc = xmlGetProp(n, BAD_CAST "id");
		for (size_t k = 0; doc != NULL && k < ctx->req->nbody; k++)
			if (strcmp(ctx->req->body_fields[k].name, "remove-document") == 0 &&
			    strcmp(ctx->req->body_fields[k].value, (const char *)doc) == 0)
				model_attr(n, "remove", "true");
		xmlFree(doc);
	}
	return page_render(ctx, page);
}

int
page_request_edit_form(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);

	return id < 0 ? 404 : edit_page(ctx, id, NULL);
}

/*
 * POST of the edit page: fires "edit" on the request's instance at the
 * revision the form was drawn from (the action edit-request checks and writes
 * the fields), so a change meanwhile is the "changed meanwhile" page and a
 * refused field the form again, as sent.
 */
int
page_request_edit(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	struct wf_inputs in = { ctx->req->body_fields, ctx->req->nbody, ctx->req->files,
	    ctx->req->nfiles };
	long long id = page_parse_id(ctx->args[0]), rev;
	const char *params[2];
	struct wf_outcome out;
	PGresult *r;

	/* One that this user may not see is not there, whatever else the POST says. */
	if (id < 0)
		return 404;
	params[0] = num(ctx, id);
	params[1] = num(ctx, ctx->sess->user_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_request, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1)
		return 404;
	if ((rev = page_parse_id(http_form(ctx->req, "rev"))) < 0)
		return 400;
	wf_fire(ctx->db, ctx->a, ctx->cfg, &me, db_int(r, 0, 1), rev, "edit", &in, &out);
	switch (out.result) {
	case WF_OK:
		log_info("user %lld edited the draft request %lld", ctx->sess->user_id, id);
		return resp_redirect(ctx->resp, arena_printf(ctx->a, "/requests/%lld", id)) == -1 ?
		    500 : 0;
	case WF_NOT_FOUND:
		return 404;
	case WF_CONFLICT:
		log_info("request %lld: edit refused as changed meanwhile: %s", id,
		    out.detail ? out.detail : "");
		page_changed_meanwhile(ctx, &out);
		return 409;
	case WF_FORBIDDEN:
		log_info("request %lld: edit refused to user %lld: needs %s", id, ctx->sess->user_id,
		    out.detail ? out.detail : "");
		ctx->error_detail = "error.request.not-editable";
		return 403;
	case WF_INVALID:
		ctx->resp->status = 422;
		return edit_page(ctx, id, &out);
	default:
		return 500;
	}
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
	const char *params[3], *rule;
	PGresult *r;
	char *end;

	if (v[0] == '\0')
		return NULL;
	if ((rule = textcheck_text(v, ANSWER_MAX)) != NULL)
		return rule;
	if (strcmp(type, "yesno") == 0)
		return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 ? NULL : "choice";
	if (strcmp(type, "date") == 0)
		return date_valid(v) ? NULL : "date";
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
	struct seclog_event ev;
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
	ev = (struct seclog_event){ SECLOG_DISCLOSURE, ctx->sess->user_id, ctx->sess->authority_id,
	    0, ctx->req->remote_addr, arena_printf(ctx->a, "request %lld: %s", id, why) };
	/* The reading and its security log row commit together, or neither does. */
	if (db_begin(ctx->db) == -1)
		return 500;
	if (db_exec(ctx->db, ctx->a, &q_disclose, params) == NULL ||
	    security_log_queue(ctx->db, ctx->a, &ev) == -1 || db_commit(ctx->db) == -1) {
		db_rollback(ctx->db);
		return 500;
	}
	log_info("user %lld read the blocked personal data of request %lld: %s", ctx->sess->user_id,
	    id, why);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/requests/%lld", id)) == -1 ? 500 : 0;
}

int
page_tasks(struct hctx *ctx)
{
	static const char *const task_attrs[] = { "request", NULL, "state", "due", "kind",
	    "overdue", "texts-hidden" };
	/* The authority as a value, not a subquery: the planner then sees whose requests. */
	const char *params[2] = { num(ctx, ctx->sess->user_id), num(ctx, ctx->sess->authority_id) };
	xmlNodePtr page, list;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_tasks, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "tasks")) == NULL)
		return 500;
	list = model_add(page, "tasks", NULL);
	page_rows(list, "task", r, 1, task_attrs, 7);
	if (page_case_tasks(ctx, page) == -1)
		return 500;
	return page_render(ctx, page);
}
