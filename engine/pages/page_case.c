/* page_case.c — see page_case.h. */
#include "page_case.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "engine.h"
#include "handler.h"
#include "log.h"
#include "model.h"
#include "page_case_def.h"
#include "page_instance.h"
#include "pgarray.h"
#include "visibility.h"
#include "workflow.h"

#define PAGE_ROWS 50
/* The print view shows everything at once, up to this many comments and log rows. */
#define REPORT_ROWS 5000
#define MAX_TYPES 32
#define MAX_FIELDS 128

static const struct db_query q_case = { "case_one",
	"SELECT i.definition, i.version, i.state, i.rev, i.module, coalesce(m.name, i.module),"
	"       coalesce(a.official_name, ''), coalesce(a.country, ''),"
	"       to_char(i.created_at, 'YYYY-MM-DD HH24:MI'), " IMI_VISIBLE
	"  FROM wf_instances i LEFT JOIN authorities a ON a.id = i.authority_id"
	"  LEFT JOIN modules m ON m.code = i.module WHERE i.id = $1", 2 };
/* The recipients, by country: since is when their row last changed state. */
static const struct db_query q_recipients = { "case_recipients",
	"SELECT p.country, p.role, p.state,"
	"       to_char(coalesce(p.changed_at, p.added_at), 'YYYY-MM-DD HH24:MI'),"
	"       a.official_name, coalesce(b.official_name, ''), p.authority_id"
	"  FROM wf_participants p JOIN authorities a ON a.id = p.authority_id"
	"  LEFT JOIN authorities b ON b.id = p.added_by"
	" WHERE p.instance_id = $1 ORDER BY p.country, p.role, a.official_name LIMIT 5000", 1 };
/*
 * Comments of the types $3, a page by keyset: before $4 (newest first, then
 * reversed) or after $5.  A withdrawn comment keeps its reason for everyone
 * who sees the case; its text only for the users of its author's authority
 * and of the coordinators linked to that authority in the case's module (who
 * answer for it).  An erased one shows no text to anyone.
 */
static const struct db_query q_comments = { "case_comments",
	"SELECT c.id, c.type, c.answers, to_char(c.at, 'YYYY-MM-DD HH24:MI'),"
	"       coalesce(u.first_name || ' ' || u.last_name, ''), coalesce(a.official_name, ''),"
	"       coalesce(a.country, ''),"
	"       CASE WHEN c.erased_at IS NULL AND (c.withdrawn_seq IS NULL OR EXISTS ("
	"         SELECT 1 FROM users me WHERE me.id = $2 AND (me.authority_id = c.by_authority"
	"           OR EXISTS (SELECT 1 FROM module_accesses ma JOIN access_coordinators ac"
	"                        ON ac.access_id = ma.id WHERE ma.authority_id = c.by_authority"
	"                       AND ma.module = i.module AND ac.coordinator_id = me.authority_id))))"
	"         THEN c.body END,"
	"       CASE WHEN c.withdrawn_seq IS NOT NULL THEN 'true' END,"
	"       CASE WHEN c.withdrawn_seq IS NOT NULL THEN c.withdrawn_reason END,"
	"       CASE WHEN c.erased_at IS NOT NULL THEN 'true' END, c.seq"
	"  FROM wf_comments c JOIN wf_instances i ON i.id = c.instance_id"
	"  LEFT JOIN users u ON u.id = c.by_user LEFT JOIN authorities a ON a.id = c.by_authority"
	" WHERE c.instance_id = $1 AND c.type = ANY ($3::text[])"
	"   AND ($4::bigint = 0 OR c.id < $4) AND ($5::bigint = 0 OR c.id > $5)"
	" ORDER BY CASE WHEN $5::bigint > 0 THEN c.id ELSE -c.id END LIMIT $6::int", 6 };
/* Documents, but those of form fields hidden from this user ($2) and blocked ones. */
static const struct db_query q_documents = { "case_documents",
	"SELECT d.id, d.filename, d.size, d.input, coalesce(h.event, ''),"
	"       to_char(d.created_at, 'YYYY-MM-DD HH24:MI'), d.seq"
	"  FROM wf_documents d LEFT JOIN wf_history h ON h.instance_id = d.instance_id AND h.seq = d.seq"
	" WHERE d.instance_id = $1 AND NOT personal_data_hidden($1) AND NOT d.input = ANY ($2::text[])"
	" ORDER BY d.id LIMIT 1000", 2 };
static const struct db_query q_document_input = { "case_document_input",
	"SELECT input FROM wf_documents WHERE instance_id = $1 AND id = $2", 2 };
/*
 * The Log: who fired what when, a page by keyset like the comments.  No
 * inputs: a case's history row names form versions and changed fields, and
 * a field's value is for those who may see the field (the Case tab).
 */
static const struct db_query q_log = { "case_log",
	"SELECT h.seq, h.event, coalesce(h.from_state, ''), h.to_state, h.actor_kind,"
	"       coalesce(u.first_name || ' ' || u.last_name, ''), coalesce(a.official_name, ''),"
	"       to_char(h.at, 'YYYY-MM-DD HH24:MI')"
	"  FROM wf_history h LEFT JOIN users u ON u.id = h.actor_user_id"
	"  LEFT JOIN authorities a ON a.id = h.actor_authority_id"
	" WHERE h.instance_id = $1 AND ($2::int = 0 OR h.seq < $2) AND ($3::int = 0 OR h.seq > $3)"
	" ORDER BY CASE WHEN $3::int > 0 THEN h.seq ELSE -h.seq END LIMIT $4::int", 4 };

static const char *const tab_names[] = { "case", "recipients", "comments", "closure",
	"documents", "log" };

/* What one case page needs of its instance, read once. */
struct case_ref {
	long long id;
	PGresult *row;               /* q_case */
	const struct wf_def *def;
	int shape;
	const char *module;
	struct case_ctype types[MAX_TYPES];
	size_t ntypes;
	int has_comments, has_closure;
};

static const char *
num(struct hctx *ctx, long long v)
{
	return arena_printf(ctx->a, "%lld", v);
}

/* Reads the case; 0, 404 (none, or not for this user), 500. ref->shape 0: no case. */
static int
case_read(struct hctx *ctx, long long id, struct case_ref *ref)
{
	const char *params[2] = { num(ctx, id), num(ctx, ctx->sess->user_id) };

	memset(ref, 0, sizeof(*ref));
	ref->id = id;
	if (params[0] == NULL || params[1] == NULL ||
	    (ref->row = db_exec(ctx->db, ctx->a, &q_case, params)) == NULL)
		return 500;
	if (PQntuples(ref->row) != 1 || !db_bool(ref->row, 0, 9))
		return 404;
	if ((ref->def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(ref->row, 0, 0),
	    (int)db_int(ref->row, 0, 1))) == NULL)
		return 500;
	ref->module = db_value(ref->row, 0, 4);
	ref->shape = case_def_shape(ref->def);
	ref->ntypes = case_def_comment_types(ref->def, ref->types, MAX_TYPES);
	for (size_t i = 0; i < ref->ntypes; i++) {
		if (ref->types[i].tab == NULL)
			ref->has_comments = 1;
		else if (strcmp(ref->types[i].tab, "closure") == 0)
			ref->has_closure = 1;
	}
	return 0;
}

static int
tab_shown(const struct case_ref *ref, const char *tab)
{
	if (strcmp(tab, "case") == 0)
		return (ref->shape & CASE_FORM) != 0;
	if (strcmp(tab, "recipients") == 0)
		return (ref->shape & CASE_PARTICIPANTS) != 0;
	if (strcmp(tab, "comments") == 0)
		return ref->has_comments;
	if (strcmp(tab, "closure") == 0)
		return ref->has_closure;
	return 1;
}

/*
 * The open tab: ?tab=, or for a refused transition form the tab its "next"
 * named (the POST's own query has none); else the first one shown.
 */
static const char *
tab_of(struct hctx *ctx, const struct case_ref *ref)
{
	const char *want = http_query(ctx->req, "tab"), *next, *p;

	if (want == NULL && ctx->failed_event != NULL &&
	    (next = http_form(ctx->req, "next")) != NULL && (p = strstr(next, "tab=")) != NULL)
		want = arena_strndup(ctx->a, p + 4, strcspn(p + 4, "&"));
	for (size_t i = 0; want != NULL && i < sizeof(tab_names) / sizeof(tab_names[0]); i++)
		if (strcmp(want, tab_names[i]) == 0 && tab_shown(ref, tab_names[i]))
			return tab_names[i];
	for (size_t i = 0; i < sizeof(tab_names) / sizeof(tab_names[0]); i++)
		if (tab_shown(ref, tab_names[i]))
			return tab_names[i];
	return "log";
}

/* A strictly positive number from the query, or 0. */
static long long
query_id(struct hctx *ctx, const char *name)
{
	long long v = page_parse_id(http_query(ctx->req, name));

	return v > 0 ? v : 0;
}

/* The label of an event: the first transition of that name in any state. */
static const char *
event_label(const struct wf_def *def, const char *event)
{
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t t = 0; t < def->states[s].ntransitions; t++)
			if (strcmp(def->states[s].transitions[t].event, event) == 0)
				return def->states[s].transitions[t].label;
	return NULL;
}

static const char *
state_label(const struct wf_def *def, const char *state)
{
	const struct wf_state *st = wf_state(def, state);

	return st != NULL ? st->label : NULL;
}

/* The form fields this user may not see (<shown-to>), as a text[] literal; NULL on error. */
static const char *
hidden_fields(struct hctx *ctx, const struct case_ref *ref)
{
	const char *hidden[MAX_FIELDS];
	int n;

	if ((n = case_hidden_fields(ctx, ref->def, ref->id, ref->module, hidden, MAX_FIELDS)) < 0)
		return NULL;
	return pg_text_array(ctx->a, hidden, (size_t)n);
}

/* The header every case page and the print view share. */
static xmlNodePtr
case_header(struct hctx *ctx, xmlNodePtr page, const struct case_ref *ref)
{
	PGresult *r = ref->row;
	const struct wf_state *st = wf_state(ref->def, db_value(r, 0, 2));
	xmlNodePtr c = model_add(page, "instance", NULL);

	model_attrf(c, "id", "%lld", ref->id);
	model_attr(c, "definition", ref->def->name);
	model_attrf(c, "version", "%d", ref->def->version);
	model_attr(c, "label", ref->def->label);
	model_attr(c, "state", db_value(r, 0, 2));
	model_attr(c, "state-label", st != NULL ? st->label : NULL);
	if (st != NULL && st->final)
		model_attr(c, "final", "true");
	model_attr(c, "rev", db_value(r, 0, 3));
	model_attr(c, "module", ref->module);
	model_attr(c, "module-name", db_value(r, 0, 5));
	model_attr(c, "authority", db_value(r, 0, 6));
	model_attr(c, "country", db_value(r, 0, 7));
	model_attr(c, "created", db_value(r, 0, 8));
	case_def_roles_model(ref->def, c);
	for (size_t i = 0; i < ref->ntypes; i++) {
		xmlNodePtr t = model_add(c, "comment-type", NULL);
		model_attr(t, "name", ref->types[i].name);
		model_attr(t, "label", ref->types[i].label);
		model_attr(t, "tab", ref->types[i].tab);
		model_attr(t, "answers", ref->types[i].answers);
	}
	(void)ctx;
	return c;
}

static int
add_recipients(struct hctx *ctx, xmlNodePtr parent, const struct case_ref *ref)
{
	const char *params[1] = { num(ctx, ref->id) };
	xmlNodePtr list, country = NULL, n;
	const char *last = NULL;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_recipients, params)) == NULL)
		return -1;
	list = model_add(parent, "recipients", NULL);
	model_attrf(list, "count", "%d", PQntuples(r));
	for (int i = 0; i < PQntuples(r); i++) {
		if (last == NULL || strcmp(last, db_value(r, i, 0)) != 0) {
			last = db_value(r, i, 0);
			country = model_add(list, "country", NULL);
			model_attr(country, "code", last);
		}
		n = model_add(country, "recipient", db_value(r, i, 4));
		model_attr(n, "role", db_value(r, i, 1));
		model_attr(n, "state", db_value(r, i, 2));
		model_attr(n, "since", db_value(r, i, 3));
		model_attr(n, "added-by", db_value(r, i, 5));
		model_attr(n, "authority-id", db_value(r, i, 6));
	}
	return 0;
}

/*
 * Rows r of a keyset page (key in column 0), limit rows at most, shown oldest
 * first: descending unless after was asked.  Marks on list where the older
 * and newer pages begin, when there are any.
 */
static void
page_links(xmlNodePtr list, PGresult *r, int limit, long long before, long long after,
    int *first, int *last, int *step)
{
	int n = PQntuples(r) < limit ? PQntuples(r) : limit, more = PQntuples(r) > limit;

	if (after > 0) {
		*first = 0, *last = n - 1, *step = 1;
	} else {
		*first = n - 1, *last = 0, *step = -1;
	}
	if (n == 0) {
		*first = 0, *last = -1, *step = 1;
		return;
	}
	if ((after > 0) || more)
		model_attr(list, "older", db_value(r, *first, 0));
	if (before > 0 || (after > 0 && more))
		model_attr(list, "newer", db_value(r, *last, 0));
}

static void
comment_row(xmlNodePtr list, PGresult *r, int i)
{
	xmlNodePtr n = model_add(list, "comment", NULL);

	model_attr(n, "id", db_value(r, i, 0));
	model_attr(n, "type", db_value(r, i, 1));
	model_attr(n, "answers", db_value(r, i, 2));
	model_attr(n, "at", db_value(r, i, 3));
	model_attr(n, "by", db_value(r, i, 4));
	model_attr(n, "authority", db_value(r, i, 5));
	model_attr(n, "country", db_value(r, i, 6));
	model_attr(n, "withdrawn", db_value(r, i, 8));
	model_attr(n, "erased", db_value(r, i, 10));
	model_attr(n, "seq", db_value(r, i, 11));
	if (db_value(r, i, 9) != NULL)
		model_add(n, "reason", db_value(r, i, 9));
	if (db_value(r, i, 7) != NULL)
		model_add(n, "body", db_value(r, i, 7));
}

/* The comments of the Comments tab (closure 0) or the Closure tab (1), a page or all. */
static int
add_comments(struct hctx *ctx, xmlNodePtr parent, const struct case_ref *ref, int closure,
    int all)
{
	const char *names[MAX_TYPES], *params[6];
	long long before = all ? 0 : query_id(ctx, "before"), after = all ? 0 : query_id(ctx, "after");
	int limit = all || closure ? REPORT_ROWS : PAGE_ROWS, first, last, step;
	size_t n = 0;
	xmlNodePtr list;
	PGresult *r;

	for (size_t i = 0; i < ref->ntypes; i++)
		if (closure ? ref->types[i].tab != NULL && strcmp(ref->types[i].tab, "closure") == 0 :
		    ref->types[i].tab == NULL)
			names[n++] = ref->types[i].name;
	if (closure)
		before = after = 0;
	params[0] = num(ctx, ref->id);
	params[1] = num(ctx, ctx->sess->user_id);
	params[2] = pg_text_array(ctx->a, names, n);
	params[3] = num(ctx, before);
	params[4] = num(ctx, after);
	params[5] = arena_printf(ctx->a, "%d", limit + 1);
	if (params[2] == NULL || (r = db_exec(ctx->db, ctx->a, &q_comments, params)) == NULL)
		return -1;
	list = model_add(parent, closure ? "closure" : "comments", NULL);
	page_links(list, r, limit, before, after, &first, &last, &step);
	for (int i = first; step > 0 ? i <= last : i >= last; i += step)
		comment_row(list, r, i);
	return 0;
}

static int
add_documents(struct hctx *ctx, xmlNodePtr parent, const struct case_ref *ref)
{
	const char *params[2] = { num(ctx, ref->id), hidden_fields(ctx, ref) };
	xmlNodePtr list, n;
	PGresult *r;

	if (params[1] == NULL || (r = db_exec(ctx->db, ctx->a, &q_documents, params)) == NULL)
		return -1;
	list = model_add(parent, "documents", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "document", db_value(r, i, 1));
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "size", db_value(r, i, 2));
		model_attr(n, "input", db_value(r, i, 3));
		model_attr(n, "field-label", case_def_field_label(ref->def, db_value(r, i, 3)));
		model_attr(n, "event", db_value(r, i, 4));
		model_attr(n, "event-label", event_label(ref->def, db_value(r, i, 4)));
		model_attr(n, "at", db_value(r, i, 5));
		model_attr(n, "seq", db_value(r, i, 6));
	}
	return 0;
}

static int
add_log(struct hctx *ctx, xmlNodePtr parent, const struct case_ref *ref, int all)
{
	long long before = all ? 0 : query_id(ctx, "before"), after = all ? 0 : query_id(ctx, "after");
	int limit = all ? REPORT_ROWS : PAGE_ROWS, first, last, step;
	const char *params[4] = { num(ctx, ref->id), num(ctx, before), num(ctx, after),
	    arena_printf(ctx->a, "%d", limit + 1) };
	xmlNodePtr list, n;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_log, params)) == NULL)
		return -1;
	list = model_add(parent, "log", NULL);
	page_links(list, r, limit, before, after, &first, &last, &step);
	for (int i = first; step > 0 ? i <= last : i >= last; i += step) {
		n = model_add(list, "entry", NULL);
		model_attr(n, "seq", db_value(r, i, 0));
		model_attr(n, "event", db_value(r, i, 1));
		model_attr(n, "event-label", event_label(ref->def, db_value(r, i, 1)));
		model_attr(n, "from", db_value(r, i, 2));
		model_attr(n, "from-label", state_label(ref->def, db_value(r, i, 2)));
		model_attr(n, "to", db_value(r, i, 3));
		model_attr(n, "to-label", state_label(ref->def, db_value(r, i, 3)));
		model_attr(n, "actor-kind", db_value(r, i, 4));
		model_attr(n, "actor", db_value(r, i, 5));
		model_attr(n, "authority", db_value(r, i, 6));
		model_attr(n, "at", db_value(r, i, 7));
	}
	return 0;
}

/* 1 when the signed-in user may start a copy: the definition's <start>, asked dry. */
static int
may_copy(struct hctx *ctx, const struct case_ref *ref)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	const char *missing;
	long long id;

	if (!(ref->shape & CASE_FORM) || ref->def->start.nallows == 0)
		return 0;
	switch (wf_start_declared(ctx->db, ctx->a, ctx->cfg, &me, ref->def->name, 1, &id, &missing)) {
	case WF_OK:
		return 1;
	case WF_FORBIDDEN:
	case WF_NOT_FOUND:
		return 0;
	default:
		return -1;
	}
}

static int
case_page(struct hctx *ctx, const struct case_ref *ref)
{
	const char *tab = tab_of(ctx, ref), *v = http_query(ctx->req, "version");
	int version = 0, g, rc = 0;
	xmlNodePtr page, c, tabs;

	if (v != NULL && page_parse_id(v) > 0 && page_parse_id(v) < 100000)
		version = (int)page_parse_id(v);
	if ((page = page_model(ctx, "case")) == NULL)
		return 500;
	model_attr(page, "tab", tab);
	c = case_header(ctx, page, ref);
	if ((g = may_copy(ctx, ref)) == -1)
		return 500;
	if (g)
		model_attr(c, "may-copy", "true");
	if (ref->shape & CASE_REPORT) {
		if ((g = case_report_open(ctx, ref->def, ref->id)) == -1)
			return 500;
		if (g)
			model_attr(c, "report", "open");
	}
	tabs = model_add(page, "tabs", NULL);
	for (size_t i = 0; i < sizeof(tab_names) / sizeof(tab_names[0]); i++)
		if (tab_shown(ref, tab_names[i]))
			model_attr(model_add(tabs, "tab", NULL), "name", tab_names[i]);
	/* The tab's content sits under the page, where the generic page has its form. */
	if (strcmp(tab, "case") == 0) {
		if ((rc = case_form_model(ctx, ref->def, ref->id, ref->module, version, page)) == 0)
			return 404;          /* no such version */
		rc = rc == 1 ? 0 : -1;
	}
	else if (strcmp(tab, "recipients") == 0)
		rc = add_recipients(ctx, page, ref);
	else if (strcmp(tab, "comments") == 0)
		rc = add_comments(ctx, page, ref, 0, 0);
	else if (strcmp(tab, "closure") == 0)
		rc = add_comments(ctx, page, ref, 1, 0);
	else if (strcmp(tab, "documents") == 0)
		rc = add_documents(ctx, page, ref);
	else
		rc = add_log(ctx, page, ref, 0);
	if (rc == -1)
		return 500;
	/* The transition forms as the generic page draws them, returning to this tab. */
	if (page_instance_actions(ctx, page, ref->id, NULL,
	    arena_printf(ctx->a, "/instances/%lld?tab=%s", ref->id, tab)) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_case(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	struct case_ref ref;
	int rc;

	if (id < 0)
		return 404;
	if ((rc = case_read(ctx, id, &ref)) != 0)
		return rc;
	return ref.shape == 0 ? page_instance(ctx) : case_page(ctx, &ref);
}

int
page_case_report(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	struct case_ref ref;
	xmlNodePtr page, all;
	int rc;

	if (id < 0)
		return 404;
	if ((rc = case_read(ctx, id, &ref)) != 0)
		return rc;
	if (!(ref.shape & CASE_REPORT))
		return 404;
	if ((rc = case_report_open(ctx, ref.def, id)) == -1)
		return 500;
	if (rc == 0) {
		ctx->error_detail = "error.case.report-closed";
		return 410;
	}
	if ((page = page_model(ctx, "case-report")) == NULL)
		return 500;
	case_header(ctx, page, &ref);
	all = model_add(page, "report", NULL);
	if (((ref.shape & CASE_FORM) &&
	    case_form_model(ctx, ref.def, id, ref.module, 0, all) != 1) ||
	    ((ref.shape & CASE_PARTICIPANTS) && add_recipients(ctx, all, &ref) == -1) ||
	    (ref.has_comments && add_comments(ctx, all, &ref, 0, 1) == -1) ||
	    (ref.has_closure && add_comments(ctx, all, &ref, 1, 1) == -1) ||
	    add_documents(ctx, all, &ref) == -1 || add_log(ctx, all, &ref, 1) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_case_document(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]), doc = page_parse_id(ctx->args[1]);
	const char *params[2], *hidden, *input;
	struct case_ref ref;
	PGresult *r;
	int rc;

	if (id < 0 || doc < 0)
		return 404;
	if ((rc = case_read(ctx, id, &ref)) != 0)
		return rc;
	/* A document of a form field this user may not see is not there for them. */
	if (ref.shape != 0) {
		params[0] = num(ctx, id);
		params[1] = num(ctx, doc);
		if ((hidden = hidden_fields(ctx, &ref)) == NULL ||
		    (r = db_exec(ctx->db, ctx->a, &q_document_input, params)) == NULL)
			return 500;
		if (PQntuples(r) != 1)
			return 404;
		/* Every element of the literal is quoted, and names hold no quote. */
		input = arena_printf(ctx->a, "\"%s\"", db_value(r, 0, 0));
		if (input == NULL)
			return 500;
		if (strstr(hidden, input) != NULL)
			return 404;
	}
	return page_document_send(ctx, id, doc);
}
