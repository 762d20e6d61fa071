/* page_case_export.c — see page_case_export.h. */
#include "page_case_export.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "arena.h"
#include "buf.h"
#include "caseform.h"
#include "config.h"
#include "csv.h"
#include "db.h"
#include "defs.h"
#include "handler.h"
#include "http.h"
#include "option_source.h"
#include "visibility.h"
#include "workflow.h"

/*
 * The public cases of definition $1, oldest first, with their latest form
 * version; 10,000 is more than any repository holds (a bigger one would need
 * paging, not a longer answer).
 */
static const struct db_query q_cases = { "case_export_cases",
	"SELECT i.id, i.version, i.module, fv.version, to_char(fv.at AT TIME ZONE 'UTC',"
	"       'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	"  FROM wf_instances i JOIN wf_form_versions fv ON fv.instance_id = i.id"
	"   AND fv.version = (SELECT max(v.version) FROM wf_form_versions v WHERE v.instance_id = i.id)"
	" WHERE i.definition = $1 AND " IMI_PUBLISHED_PUBLIC
	" ORDER BY i.id LIMIT 10000", 1 };
/* Their values as text (several values, a countries field: joined by ", "). */
static const struct db_query q_values = { "case_export_values",
	"SELECT fv.instance_id, e.key, CASE jsonb_typeof(e.value) WHEN 'array' THEN"
	"         (SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(e.value) x)"
	"         ELSE e.value #>> '{}' END"
	"  FROM wf_form_versions fv, jsonb_each(fv.data) e"
	" WHERE fv.instance_id = ANY ($1::bigint[])"
	"   AND fv.version = (SELECT max(v.version) FROM wf_form_versions v"
	"                     WHERE v.instance_id = fv.instance_id)", 1 };

/* A field anyone may read: neither personal nor for some parties only, and not a document. */
static int
exportable(const struct wf_def *d, const char *name)
{
	const struct wf_caseform *cf = d != NULL ? d->caseform : NULL;

	for (size_t i = 0; cf != NULL && i < cf->nfields; i++)
		if (strcmp(cf->fields[i].in.name, name) == 0)
			return !cf->fields[i].personal && cf->fields[i].shown_to.nallows == 0 &&
			    cf->fields[i].in.type != WF_IN_FILE;
	return 0;
}

struct export {
	const struct wf_def *def;          /* the newest version: its fields are the columns */
	PGresult *cases, *values;
	const struct wf_def **defs;        /* each case's own version, which decides its fields */
};

static const char *
value_of(const struct export *x, int row, const char *field)
{
	const char *id = db_value(x->cases, row, 0);

	if (!exportable(x->defs[row], field))
		return "";
	for (int k = 0; k < PQntuples(x->values); k++)
		if (strcmp(db_value(x->values, k, 0), id) == 0 &&
		    strcmp(db_value(x->values, k, 1), field) == 0)
			return db_value(x->values, k, 2);
	return "";
}

/* 0, or an HTTP status: 404 for a definition that is not a case or has no public cases' rule. */
static int
load(struct hctx *ctx, struct export *x)
{
	const char *name = http_query(ctx->req, "definition"), *params[1];
	struct buf ids;
	int n;

	if (name == NULL || name[0] == '\0' || strlen(name) > 63)
		return 404;
	if ((x->def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, name, 0)) == NULL ||
	    x->def->caseform == NULL || x->def->seen_by == NULL ||
	    strcmp(x->def->seen_by, IMI_PUBLISHED_RULE) != 0)
		return 404;
	params[0] = name;
	if ((x->cases = db_exec(ctx->db, ctx->a, &q_cases, params)) == NULL)
		return 500;
	n = PQntuples(x->cases);
	if ((x->defs = arena_calloc(ctx->a, (size_t)n + 1, sizeof(*x->defs))) == NULL)
		return 500;
	buf_init(&ids);
	buf_puts(&ids, "{");
	for (int i = 0; i < n; i++) {
		x->defs[i] = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, name,
		    (int)db_int(x->cases, i, 1));
		buf_printf(&ids, "%s%s", i > 0 ? "," : "", db_value(x->cases, i, 0));
	}
	buf_puts(&ids, "}");
	params[0] = buf_ok(&ids) ? arena_strdup(ctx->a, ids.data) : NULL;
	buf_release(&ids);
	if (params[0] == NULL || (x->values = db_exec(ctx->db, ctx->a, &q_values, params)) == NULL)
		return 500;
	return 0;
}

static int
headers(struct hctx *ctx, const char *type, const char *ext, const char *name)
{
	ctx->resp->content_type = type;
	/* Public and read-only, but what it says changes with every edit. */
	if (resp_header(ctx->resp, "Content-Disposition",
	    arena_printf(ctx->a, "attachment; filename=\"%s.%s\"", name, ext)) == -1 ||
	    resp_header(ctx->resp, "Cache-Control", "no-cache") == -1)
		return 500;
	return 0;
}

int
page_case_export_csv(struct hctx *ctx)
{
	struct export x = { 0 };
	struct buf *b = &ctx->resp->body;
	const struct wf_caseform *cf;
	int rc;

	if ((rc = load(ctx, &x)) != 0)
		return rc;
	cf = x.def->caseform;
	buf_release(b);
	buf_init(b);
	csv_cell(b, "id", 0);
	csv_cell(b, "module", 0);
	csv_cell(b, "version", 0);
	csv_cell(b, "updated", 0);
	for (size_t f = 0; f < cf->nfields; f++)
		if (exportable(x.def, cf->fields[f].in.name))
			csv_cell(b, cf->fields[f].in.name, 0);
	/* Every row ends with an empty last cell: one rule for the end of the row. */
	csv_cell(b, "", 1);
	for (int i = 0; i < PQntuples(x.cases); i++) {
		for (int c = 0; c < 5; c++)
			if (c != 1)
				csv_cell(b, db_value(x.cases, i, c), 0);
		for (size_t f = 0; f < cf->nfields; f++)
			if (exportable(x.def, cf->fields[f].in.name))
				csv_cell(b, value_of(&x, i, cf->fields[f].in.name), 0);
		csv_cell(b, "", 1);
	}
	if (!buf_ok(b))
		return 500;
	return headers(ctx, "text/csv; charset=utf-8", "csv", x.def->name);
}

int
page_case_export_xml(struct hctx *ctx)
{
	struct export x = { 0 };
	const struct wf_caseform *cf;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, c, f;
	xmlChar *out = NULL;
	int rc, len = 0;

	if ((rc = load(ctx, &x)) != 0)
		return rc;
	cf = x.def->caseform;
	rc = 500;
	if ((doc = xmlNewDoc(BAD_CAST "1.0")) == NULL ||
	    (root = xmlNewDocNode(doc, NULL, BAD_CAST "cases", NULL)) == NULL)
		goto out;
	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, BAD_CAST "definition", BAD_CAST x.def->name);
	for (int i = 0; i < PQntuples(x.cases); i++) {
		if ((c = xmlNewChild(root, NULL, BAD_CAST "case", NULL)) == NULL)
			goto out;
		xmlNewProp(c, BAD_CAST "id", BAD_CAST db_value(x.cases, i, 0));
		xmlNewProp(c, BAD_CAST "module", BAD_CAST db_value(x.cases, i, 2));
		xmlNewProp(c, BAD_CAST "version", BAD_CAST db_value(x.cases, i, 3));
		xmlNewProp(c, BAD_CAST "updated", BAD_CAST db_value(x.cases, i, 4));
		for (size_t k = 0; k < cf->nfields; k++) {
			const char *name = cf->fields[k].in.name;
			if (!exportable(x.def, name))
				continue;
			/* xmlNewTextChild escapes the value; xmlNewChild would not. */
			if ((f = xmlNewTextChild(c, NULL, BAD_CAST "field",
			    BAD_CAST value_of(&x, i, name))) == NULL)
				goto out;
			xmlNewProp(f, BAD_CAST "name", BAD_CAST name);
			/*
			 * A choice exports its stable value, with its label (the English
			 * wording, a catalogue key) beside it in the XML; the CSV keeps values.
			 */
			if (cf->fields[k].in.type == WF_IN_CHOICE && value_of(&x, i, name)[0] != '\0') {
				const char *label;
				if (option_find(ctx->db, ctx->a, &cf->fields[k].in,
				    db_value(x.cases, i, 2), value_of(&x, i, name), &label) == -1)
					goto out;
				if (label != NULL)
					xmlNewProp(f, BAD_CAST "label", BAD_CAST label);
			}
		}
	}
	xmlDocDumpFormatMemoryEnc(doc, &out, &len, "UTF-8", 1);
	if (out == NULL)
		goto out;
	buf_release(&ctx->resp->body);
	buf_init(&ctx->resp->body);
	buf_append(&ctx->resp->body, out, (size_t)len);
	if (!buf_ok(&ctx->resp->body))
		goto out;
	rc = headers(ctx, "application/xml; charset=utf-8", "xml", x.def->name);
out:
	xmlFree(out);
	xmlFreeDoc(doc);
	return rc;
}
