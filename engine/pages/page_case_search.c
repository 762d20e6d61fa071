/* page_case_search.c — see page_case_search.h. */
#include "page_case_search.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "caseform.h"
#include "config.h"
#include "date.h"
#include "db.h"
#include "defs.h"
#include "handler.h"
#include "http.h"
#include "model.h"
#include "option_source.h"
#include "page_case_def.h"
#include "visibility.h"
#include "workflow.h"

#define PAGE_ROWS 50

/* The latest form version of case i, as a join condition on fv. */
#define LATEST_VERSION \
	"fv.version = (SELECT max(v.version) FROM wf_form_versions v WHERE v.instance_id = i.id)"

/*
 * Cases the user ($2) sees, newest first, 50 a page by keyset (ids below $1).
 * Only in the modules where the user holds a role, and only as the case's
 * own rule of visibility allows (IMI_VISIBLE, by the instance's seen-by).
 * Every criterion optional; country: the sending authority's or any
 * recipient's; the text is looked for, as a plain substring, in the summary
 * fields of the latest version only (never a field with <shown-to>: lint).
 */
static const struct db_query q_search = { "case_search",
	"SELECT i.id, i.definition, i.version, i.state, i.module, coalesce(m.name, i.module),"
	"       coalesce(a.official_name, ''), coalesce(a.country, ''),"
	"       to_char(i.created_at, 'YYYY-MM-DD')"
	"  FROM wf_instances i JOIN case_definitions cd ON cd.name = i.definition AND cd.version = i.version"
	"  LEFT JOIN modules m ON m.code = i.module LEFT JOIN authorities a ON a.id = i.authority_id"
	" WHERE ($1::bigint = 0 OR i.id < $1)"
	"   AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = $2 AND ur.module = i.module)"
	"   AND " IMI_VISIBLE
	"   AND ($3 = '' OR i.module = $3) AND ($4 = '' OR i.definition = $4)"
	"   AND ($5 = '' OR i.state = $5)"
	"   AND ($6 = '' OR a.country = $6 OR EXISTS (SELECT 1 FROM wf_participants p"
	"        WHERE p.instance_id = i.id AND p.country = $6))"
	"   AND ($7 = '' OR i.created_at >= $7::date) AND ($8 = '' OR i.created_at < $8::date + 1)"
	"   AND ($9 = '' OR EXISTS (SELECT 1 FROM wf_form_versions fv, jsonb_each_text(fv.data) e"
	"        WHERE fv.instance_id = i.id AND " LATEST_VERSION
	"          AND e.key = ANY (cd.summary) AND strpos(lower(e.value), lower($9)) > 0))"
	"   AND ($11 = '' OR m.kind = ANY (string_to_array($11, ' ')))"
	/* Every chosen value of a summary field ($12, {"field": "value"}) holds in the latest version. */
	"   AND ($12::jsonb = '{}' OR EXISTS (SELECT 1 FROM wf_form_versions fv"
	"        WHERE fv.instance_id = i.id AND " LATEST_VERSION
	"          AND NOT EXISTS (SELECT 1 FROM jsonb_each_text($12::jsonb) w"
	"                WHERE NOT (w.key = ANY (cd.summary) AND (fv.data->w.key = to_jsonb(w.value)"
	"                           OR coalesce(fv.data->w.key ? w.value, false))))))"
	" ORDER BY i.id DESC LIMIT $10::int", 12 };
/* The summary fields of the cases listed ($1, already checked), as text (several: joined). */
static const struct db_query q_summary = { "case_search_summary",
	"SELECT i.id, e.key, CASE jsonb_typeof(e.value) WHEN 'array' THEN"
	"         (SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(e.value) x)"
	"         ELSE e.value #>> '{}' END"
	"  FROM wf_instances i JOIN case_definitions cd ON cd.name = i.definition AND cd.version = i.version"
	"  JOIN wf_form_versions fv ON fv.instance_id = i.id AND " LATEST_VERSION ","
	"       jsonb_each(fv.data) e"
	" WHERE i.id = ANY ($1::bigint[]) AND e.key = ANY (cd.summary)"
	" ORDER BY i.id, array_position(cd.summary, e.key)", 1 };
/* What the criteria offer: the modules with cases where the user has a role, their definitions. */
static const struct db_query q_choices = { "case_search_choices",
	"SELECT DISTINCT cd.module, coalesce(m.name, cd.module), coalesce(m.position, 0), cd.name"
	"  FROM case_definitions cd JOIN user_roles ur ON ur.module = cd.module AND ur.user_id = $1"
	"  LEFT JOIN modules m ON m.code = cd.module"
	" WHERE $2 = '' OR m.kind = ANY (string_to_array($2, ' ')) ORDER BY 3, 1, 4", 2 };
static const struct db_query q_countries = { "case_search_countries",
	"SELECT DISTINCT country FROM authorities ORDER BY 1", 0 };

static const char *
criterion(struct hctx *ctx, const char *name, int is_date)
{
	const char *v = http_query(ctx->req, name);

	if (v == NULL || strlen(v) > 200 || !http_valid_text(v, strlen(v)) ||
	    (is_date && v[0] != '\0' && !date_valid(v)))
		return "";
	return v;
}

#define FILTERS_MAX 8	/* summary fields filtered on at once */

/*
 * The summary-field criteria: query fields "f-NAME=VALUE" (a field's name, an
 * option's value; others are ignored), as a JSON object for the query and
 * as <filter name value/> in c.  Both kinds of word are [a-z0-9._-] only, so
 * they need no escaping in JSON.
 */
static const char *
filters(struct hctx *ctx, xmlNodePtr c)
{
	const struct http_req *req = ctx->req;
	struct buf b;
	const char *out;
	size_t n = 0;

	buf_init(&b);
	buf_puts(&b, "{");
	for (size_t i = 0; i < req->nquery && n < FILTERS_MAX; i++) {
		const char *name = req->query_fields[i].name, *v = req->query_fields[i].value;
		size_t nl, vl;
		if (strncmp(name, "f-", 2) != 0)
			continue;
		name += 2;
		nl = strlen(name);
		vl = strlen(v);
		if (nl == 0 || nl > 63 || name[0] < 'a' || name[0] > 'z' ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != nl || vl == 0 || vl > 64 ||
		    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != vl)
			continue;
		buf_printf(&b, "%s\"%s\":\"%s\"", n++ > 0 ? "," : "", name, v);
		xmlNodePtr f = model_add(c, "filter", NULL);
		model_attr(f, "name", name);
		model_attr(f, "value", v);
	}
	buf_puts(&b, "}");
	out = buf_ok(&b) ? arena_strdup(ctx->a, b.data) : NULL;
	buf_release(&b);
	return out;
}

/* The criteria's choices: modules, definitions (label from the newest version), states. */
/*
 * kind: the catalogue kinds the page is narrowed to (space-separated: "register" for
 * Repositories & directories), or "" for every kind; well-formed names only.
 */
const char *
case_kind_criterion(struct hctx *ctx)
{
	const char *v = http_query(ctx->req, "kind");
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0 || n > 100 ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789- ") != n)
		return "";
	return v;
}

static int
add_choices(struct hctx *ctx, xmlNodePtr c, const char *kind)
{
	const char *params[2] = { arena_printf(ctx->a, "%lld", ctx->sess->user_id), kind };
	const char *last = NULL;
	xmlNodePtr mods, defs, states, fields, n;
	const struct wf_def *d;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_choices, params)) == NULL)
		return -1;
	mods = model_add(c, "modules", NULL);
	defs = model_add(c, "definitions", NULL);
	states = model_add(c, "states", NULL);
	fields = model_add(c, "fields", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		if (last == NULL || strcmp(last, db_value(r, i, 0)) != 0) {
			last = db_value(r, i, 0);
			model_attr(model_add(mods, "module", db_value(r, i, 1)), "code", last);
		}
		if ((d = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, i, 3), 0)) == NULL)
			continue;
		n = model_add(defs, "definition", NULL);
		model_attr(n, "name", d->name);
		model_attr(n, "label", d->label);
		model_attr(n, "module", last);
		if (case_def_summary_choices(ctx, d, last, fields) == -1)
			return -1;
		for (size_t s = 0; s < d->nstates; s++) {
			n = model_add(states, "state", NULL);
			model_attr(n, "name", d->states[s].name);
			model_attr(n, "label", d->states[s].label);
			model_attr(n, "definition", d->name);
		}
	}
	if ((r = db_exec(ctx->db, ctx->a, &q_countries, NULL)) == NULL)
		return -1;
	n = model_add(c, "countries", NULL);
	for (int i = 0; i < PQntuples(r); i++)
		model_add(n, "country", db_value(r, i, 0));
	return 0;
}

/* Each listed case's summary fields, labelled by its definition. */

/*
 * A choice's option label on a summary value (issue 16: values in words, not codes): its own
 * <option>s or, for options-from (a register's "area" from module-keywords), the source's
 * label, which pages translate as a catalogue key like any label.  0, or -1 (database).
 */
static int
summary_value_label(struct hctx *ctx, xmlNodePtr f, const struct wf_def *d, const char *module,
    const char *name, const char *value)
{
	const struct wf_caseform *cf = d != NULL ? d->caseform : NULL;
	const char *label;

	for (size_t i = 0; cf != NULL && i < cf->nfields; i++) {
		if (strcmp(cf->fields[i].in.name, name) != 0)
			continue;
		if (option_find(ctx->db, ctx->a, &cf->fields[i].in, module, value, &label) == -1)
			return -1;
		if (label != NULL)
			model_attr(f, "value-label", label);
		return 0;
	}
	return 0;
}

static int
add_summaries(struct hctx *ctx, xmlNodePtr list, PGresult *r, int n,
    const struct wf_def *const *defs)
{
	struct buf ids;
	const char *params[1];
	PGresult *s;
	xmlNodePtr c, f;
	int rc = -1;

	if (n == 0)
		return 0;
	buf_init(&ids);
	buf_puts(&ids, "{");
	for (int i = 0; i < n; i++)
		buf_printf(&ids, "%s%s", i > 0 ? "," : "", db_value(r, i, 0));
	buf_puts(&ids, "}");
	if (!buf_ok(&ids) || (params[0] = arena_strdup(ctx->a, ids.data)) == NULL ||
	    (s = db_exec(ctx->db, ctx->a, &q_summary, params)) == NULL)
		goto out;
	for (c = list->children; c != NULL; c = c->next) {
		xmlChar *id = xmlGetProp(c, BAD_CAST "id");
		xmlChar *pos = xmlGetProp(c, BAD_CAST "row");
		xmlChar *module = xmlGetProp(c, BAD_CAST "module");
		const struct wf_def *d = pos != NULL ? defs[atoi((const char *)pos)] : NULL;
		int failed = 0;

		for (int k = 0; id != NULL && !failed && k < PQntuples(s); k++) {
			if (strcmp(db_value(s, k, 0), (const char *)id) != 0)
				continue;
			f = model_add(c, "summary", db_value(s, k, 2));
			model_attr(f, "name", db_value(s, k, 1));
			model_attr(f, "label", d != NULL ? case_def_field_label(d, db_value(s, k, 1)) : NULL);
			failed = summary_value_label(ctx, f, d, (const char *)module, db_value(s, k, 1),
			    db_value(s, k, 2)) == -1;
		}
		xmlFree(id);
		xmlFree(pos);
		xmlFree(module);
		if (failed)
			goto out;
	}
	rc = 0;
out:
	buf_release(&ids);
	return rc;
}

int
page_case_search(struct hctx *ctx)
{
	static const char *const names[] = { "module", "definition", "state", "country", "from", "to",
	    "q" };
	const char *params[12];
	const struct wf_def *defs[PAGE_ROWS];
	long long before = page_parse_id(http_query(ctx->req, "before"));
	xmlNodePtr page, list, c, n;
	const struct wf_state *st;
	PGresult *r;
	int shown;

	params[0] = arena_printf(ctx->a, "%lld", before > 0 ? before : 0);
	params[1] = arena_printf(ctx->a, "%lld", ctx->sess->user_id);
	for (size_t i = 0; i < 7; i++)
		params[2 + i] = criterion(ctx, names[i], i == 4 || i == 5);
	params[9] = arena_printf(ctx->a, "%d", PAGE_ROWS + 1);
	params[10] = case_kind_criterion(ctx);
	if ((page = page_model(ctx, "cases")) == NULL)
		return 500;
	c = model_add(page, "criteria", NULL);
	if ((params[11] = filters(ctx, c)) == NULL ||
	    (r = db_exec(ctx->db, ctx->a, &q_search, params)) == NULL)
		return 500;
	for (size_t i = 0; i < 7; i++)
		model_attr(c, names[i], params[2 + i]);
	if (before > 0)
		model_attrf(c, "before", "%lld", before);
	if (params[10][0] != '\0')
		model_attr(c, "kind", params[10]);
	if (add_choices(ctx, c, params[10]) == -1)
		return 500;
	list = model_add(page, "cases", NULL);
	shown = PQntuples(r) < PAGE_ROWS ? PQntuples(r) : PAGE_ROWS;
	/* Keyset: the next page is the cases below the last one shown. */
	if (PQntuples(r) > PAGE_ROWS)
		model_attr(list, "next", db_value(r, shown - 1, 0));
	for (int i = 0; i < shown; i++) {
		defs[i] = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, i, 1),
		    (int)db_int(r, i, 2));
		st = defs[i] != NULL ? wf_state(defs[i], db_value(r, i, 3)) : NULL;
		n = model_add(list, "case", NULL);
		model_attr(n, "id", db_value(r, i, 0));
		model_attrf(n, "row", "%d", i);
		model_attr(n, "definition", db_value(r, i, 1));
		model_attr(n, "label", defs[i] != NULL ? defs[i]->label : NULL);
		model_attr(n, "state", db_value(r, i, 3));
		model_attr(n, "state-label", st != NULL ? st->label : NULL);
		model_attr(n, "module", db_value(r, i, 4));
		model_attr(n, "module-name", db_value(r, i, 5));
		model_attr(n, "authority", db_value(r, i, 6));
		model_attr(n, "country", db_value(r, i, 7));
		model_attr(n, "created", db_value(r, i, 8));
	}
	if (add_summaries(ctx, list, r, shown, defs) == -1)
		return 500;
	return page_render(ctx, page);
}
