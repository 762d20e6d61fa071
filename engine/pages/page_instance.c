/* page_instance.c — see page_instance.h. */
#include "page_instance.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "filetype.h"
#include "buf.h"
#include "caseform.h"
#include "comments.h"
#include "defs.h"
#include "diagram.h"
#include "engine.h"
#include "handler.h"
#include "lint.h"
#include "log.h"
#include "model.h"
#include "option_source.h"
#include "page_labels.h"
#include "visibility.h"
#include "workflow.h"
#include "page_refusal.h"

/*
 * Each definition's instances counted up to 1,001 through the index on
 * definition: the page says "1000+" beyond, so its cost stays flat as
 * instances grow (counting them all read every instance: bench/README.md).
 */
#define COUNT_CAP 1000
static const struct db_query q_definitions = { "page_definitions",
	"SELECT d.name, d.version, c.n"
	"  FROM (SELECT name, max(version) AS version FROM wf_definitions GROUP BY name) d"
	"  CROSS JOIN LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM wf_instances i"
	"        WHERE i.definition = d.name LIMIT 1001) x) c"
	" ORDER BY d.name", 0 };
/*
 * The 50 newest instances of the user's own authority, or every one the
 * helpdesk may see, each rule asked (visibility.h).  Parts, each walked
 * newest first by an index and stopped at 50 visible rows, whose union holds
 * the 50 newest of the whole (bench/README.md, "/workflows"): the own
 * authority's (wf_instances_authority_id); for the helpdesk also the others
 * but requests (wf_instances_not_request), and the requests of others it is a
 * party to as responder or coordinator (request_visible_to's other cases).
 * Two statements, not one with a flag: with a flag PostgreSQL planned the
 * statement again on every execution (a generic plan cannot leave a part out).
 * Every part asks the whole rule (ROW_VISIBLE), so a rule added to
 * visibility.h is asked here too.
 */
#define ROW_VISIBLE "(CASE i.seen_by" IMI_VISIBLE_RULES " ELSE true END)"
#define OWN_INSTANCES \
	" (SELECT i.id FROM wf_instances i WHERE i.authority_id = $1 AND " ROW_VISIBLE \
	"   ORDER BY i.id DESC LIMIT 50)"
#define INSTANCE_ROWS(parts) \
	"SELECT i.id, i.definition, i.version, i.state, i.updated_at FROM (" parts ") c" \
	" JOIN wf_instances i ON i.id = c.id ORDER BY i.id DESC LIMIT 50"
static const struct db_query q_instances = { "page_instances",
	INSTANCE_ROWS(OWN_INSTANCES), 2 };
static const struct db_query q_instances_helpdesk = { "page_instances_helpdesk",
	INSTANCE_ROWS(OWN_INSTANCES
	" UNION ALL"
	" (SELECT i.id FROM wf_instances i WHERE i.authority_id IS DISTINCT FROM $1"
	"     AND i.seen_by IS DISTINCT FROM 'request' AND " ROW_VISIBLE
	"   ORDER BY i.id DESC LIMIT 50)"
	" UNION ALL"
	" (SELECT i.id FROM wf_instances i WHERE i.id IN ("
	"       SELECT r.instance_id FROM requests r WHERE r.responder_id = $1"
	"       UNION SELECT r.instance_id FROM module_accesses ma"
	"         JOIN access_coordinators c ON c.access_id = ma.id AND c.coordinator_id = $1"
	"         JOIN requests r ON r.module = ma.module"
	"          AND ma.authority_id IN (r.requester_id, r.responder_id))"
	"     AND i.authority_id IS DISTINCT FROM $1 AND i.seen_by = 'request'"
	"     AND " IMI_SEEN_BY_REQUEST
	"   ORDER BY i.id DESC LIMIT 50)"), 2 };
static const struct db_query q_instance = { "page_instance",
	"SELECT i.definition, i.version, i.state, i.rev, i.module, i.authority_id, a.official_name,"
	"       i.created_at, " IMI_VISIBLE ","
	"       personal_data_hidden(i.id)"
	"  FROM wf_instances i LEFT JOIN authorities a ON a.id = i.authority_id WHERE i.id = $1", 2 };
/*
 * Retention (sql/016_retention_personal.sql): an instance whose personal data
 * are blocked or deleted shows no data, inputs or documents here; its own
 * page (/requests/ID) shows what of them is not personal.
 */
static const struct db_query q_data = { "page_instance_data",
	"SELECT key, value FROM wf_instances i, jsonb_each_text(i.data) WHERE i.id = $1"
	"   AND NOT personal_data_hidden(i.id) ORDER BY key", 1 };
static const struct db_query q_history = { "page_instance_history",
	"SELECT h.seq, h.event, h.from_state, h.to_state, h.actor_kind,"
	"       coalesce(u.first_name || ' ' || u.last_name, ''), coalesce(a.official_name, ''),"
	"       to_char(h.at, 'YYYY-MM-DD HH24:MI'), CASE WHEN x.hidden THEN '{}' ELSE h.inputs::text END"
	"  FROM (SELECT personal_data_hidden($1) AS hidden) x, wf_history h"
	"  LEFT JOIN users u ON u.id = h.actor_user_id"
	"  LEFT JOIN authorities a ON a.id = h.actor_authority_id"
	" WHERE h.instance_id = $1 ORDER BY h.seq", 1 };
static const struct db_query q_documents = { "page_instance_documents",
	"SELECT id, filename, content_type, size, seq, input FROM wf_documents"
	" WHERE instance_id = $1 AND NOT personal_data_hidden($1) ORDER BY id", 1 };
/* A document, for whoever may see its instance ($2, the user). */
static const struct db_query q_document = { "page_instance_document",
	"SELECT d.filename, d.content_type, encode(d.content, 'hex') FROM wf_documents d"
	" JOIN wf_instances i ON i.id = d.instance_id WHERE d.instance_id = $1 AND d.id = $3"
	"   AND " IMI_VISIBLE
	/* A request's documents are blocked with its personal data (retention). */
	"   AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.instance_id = i.id"
	"                    AND r.personal_data_blocked_at IS NOT NULL)", 3 };
static const struct db_query q_authorities = { "page_authority_choices",
	"SELECT id, official_name, country FROM authorities ORDER BY country, official_name LIMIT 500", 0 };
/* A user input offers the users of one's own authority (allocating to one of its Handlers). */
static const struct db_query q_users = { "page_user_choices",
	"SELECT id, first_name || ' ' || last_name, username FROM users"
	" WHERE authority_id = $1 AND deleted_at IS NULL ORDER BY last_name, first_name LIMIT 500", 1 };
/* A countries field offers every country (a case form's recipients, say). */
static const struct db_query q_country_choices = { "page_country_choices",
	"SELECT code, name FROM countries ORDER BY name", 0 };
static const struct db_query q_counts = { "page_state_counts",
	"SELECT state, count(*) FROM wf_instances WHERE definition = $1 GROUP BY state", 1 };

static struct wf_actor
actor_of(const struct hctx *ctx)
{
	struct wf_actor a = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	return a;
}

int
page_workflows(struct hctx *ctx)
{
	struct wf_actor actor = actor_of(ctx);
	xmlNodePtr page, defs, list, n;
	const char *params[2], *missing;
	PGresult *r, *ri;
	long long id;

	if ((page = page_model(ctx, "workflows")) == NULL)
		return 500;
	/* Both lists in one round trip. */
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	params[1] = arena_printf(ctx->a, "%lld", ctx->sess->user_id);
	if (params[0] == NULL || params[1] == NULL ||
	    db_queue(ctx->db, ctx->a, &q_definitions, NULL, &r) == -1 ||
	    (ri = db_exec(ctx->db, ctx->a, ctx->sess->is_helpdesk ? &q_instances_helpdesk :
	    &q_instances, params)) == NULL)
		return 500;
	defs = model_add(page, "definitions", NULL);
	/* The start buttons' dry runs, all in one transaction that is rolled back. */
	if (db_begin(ctx->db) == -1)
		return 500;
	for (int i = 0; i < PQntuples(r); i++) {
		const struct wf_def *d = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, i, 0),
		    (int)db_int(r, i, 1));
		n = model_add(defs, "definition", NULL);
		model_attr(n, "name", db_value(r, i, 0));
		model_attr(n, "version", db_value(r, i, 1));
		if (db_int(r, i, 2) > COUNT_CAP) {
			model_attrf(n, "instances", "%d", COUNT_CAP);
			model_attr(n, "more", "true");
		} else
			model_attr(n, "instances", db_value(r, i, 2));
		if (d == NULL)
			continue;
		model_attr(n, "label", d->label);
		/* Only a definition that declares a <start> this user passes offers the button. */
		if (d->start.nallows > 0) {
			switch (wf_start_declared(ctx->db, ctx->a, ctx->cfg, &actor, d->name, 1, &id,
			    &missing)) {
			case WF_OK:
				model_attr(n, "may-start", "true");
				break;
			case WF_FORBIDDEN:
			case WF_NOT_FOUND:
				break;
			default:
				db_rollback(ctx->db);
				return 500;
			}
		}
	}
	db_rollback(ctx->db);
	r = ri;
	list = model_add(page, "instances", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "instance", NULL);
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "definition", db_value(r, i, 1));
		model_attr(n, "version", db_value(r, i, 2));
		model_attr(n, "state", db_value(r, i, 3));
		model_attr(n, "updated", db_value(r, i, 4));
		{
			const struct wf_def *d = defs_get(ctx->db, ctx->a, ctx->cfg->datadir,
			    db_value(r, i, 1), (int)db_int(r, i, 2));

			if (d != NULL) {
				model_attr(n, "label", d->label);
				model_attr(n, "state-label", page_state_label(d, db_value(r, i, 3)));
			}
		}
	}
	return page_render(ctx, page);
}

int
page_workflow_start(struct hctx *ctx)
{
	struct wf_actor actor = actor_of(ctx);
	const char *missing;
	long long id;

	/* The definition decides (<start>); none declared: nobody starts it here. */
	switch (wf_start_declared(ctx->db, ctx->a, ctx->cfg, &actor, ctx->args[0], 0, &id, &missing)) {
	case WF_OK:
		break;
	case WF_NOT_FOUND:
		return 404;
	case WF_FORBIDDEN:
		log_info("user %lld may not start %s: needs %s", ctx->sess->user_id, ctx->args[0],
		    missing ? missing : "?");
		ctx->error_detail = "error.workflow.start-forbidden";
		return 403;
	default:
		return 500;
	}
	log_info("user %lld started %s instance %lld", ctx->sess->user_id, ctx->args[0], id);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/instances/%lld", id)) == -1 ? 500 : 0;
}

/* Options from rows (id, name, detail): "name (detail)". */
static void
add_options(struct hctx *ctx, xmlNodePtr in, PGresult *r)
{
	for (int k = 0; k < PQntuples(r); k++) {
		xmlNodePtr o = model_add(in, "option", NULL);
		model_attr(o, "value", db_value(r, k, 0));
		model_attr(o, "label", arena_printf(ctx->a, "%s (%s)", db_value(r, k, 1),
		    db_value(r, k, 2)));
	}
}

/* The largest file an upload may have, as the form states it ("10 MiB"). */
static const char *
upload_max(struct hctx *ctx)
{
	char label[32];
	long long max = config_size(ctx->cfg->upload_max, 10 * 1024 * 1024, 1, 1LL << 30);

	return max < 0 ? NULL : arena_strdup(ctx->a, config_size_label(max, label, sizeof(label)));
}

/* The <field> of the case form model named name, or NULL (none, or not for this user's eyes). */
static xmlNodePtr
form_field(xmlNodePtr form, const char *name)
{
	for (xmlNodePtr f = form ? form->children : NULL; f != NULL; f = f->next) {
		xmlChar *v = xmlGetProp(f, BAD_CAST "name");
		int same = v != NULL && xmlStrEqual(v, BAD_CAST name);
		xmlFree(v);
		if (same)
			return f;
	}
	return NULL;
}

/*
 * A field of the case form as an input of an <edit-form/> transition, filled
 * with the latest version's values: value= (a file: current=), or one
 * <value> per country.
 */
static void
prefill(struct hctx *ctx, xmlNodePtr in, xmlNodePtr field, const struct wf_input *d)
{
	xmlChar *text;

	if (d->type == WF_IN_COUNTRIES) {
		for (xmlNodePtr v = field->children; v != NULL; v = v->next)
			if (v->type == XML_ELEMENT_NODE) {
				text = xmlNodeGetContent(v);
				model_add(in, "value", (const char *)text);
				xmlFree(text);
			}
		return;
	}
	text = xmlNodeGetContent(field);
	if (text != NULL && text[0] != '\0')
		model_attr(in, d->type == WF_IN_FILE ? "current" : "value",
		    arena_strdup(ctx->a, (const char *)text));
	xmlFree(text);
}

/*
 * The latest version of the case form as the actor may see it, in a model of
 * its own (for the edit forms); NULL when the definition has none or on error
 * (*failed set).
 */
static xmlNodePtr
latest_form(struct hctx *ctx, const struct wf_def *def, long long id, const char *module,
    int *failed)
{
	struct wf_actor actor = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	xmlNodePtr scratch;

	*failed = 0;
	if (def->caseform == NULL || def->caseform->form_line == 0)
		return NULL;
	if ((scratch = model_new(ctx->a, "scratch")) == NULL ||
	    caseform_model(ctx->db, ctx->a, &actor, def, id, module, 0, scratch) == -1) {
		*failed = 1;
		return NULL;
	}
	return scratch->children;
}

static void
add_transition(struct hctx *ctx, xmlNodePtr list, const struct wf_transition *t,
    const struct wf_outcome *errors, const char *failed_event, xmlNodePtr form, long long iid,
    const char *module)
{
	xmlNodePtr n, in, field = NULL;
	PGresult *r = NULL, *u = NULL, *c = NULL;
	const char *params[1] = { arena_printf(ctx->a, "%lld", ctx->sess->authority_id) };

	n = model_add(list, "transition", NULL);
	model_attr(n, "event", t->event);
	model_attr(n, "label", t->label);
	model_attr(n, "to", t->to->name);
	model_attr(n, "confirm", t->confirm);
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct wf_input *d = &t->inputs[i];
		/* A form field this user may not see is not on their form either (caseform.h). */
		if (d->field != NULL && (field = form_field(form, d->name)) == NULL)
			continue;
		in = model_add(n, "input", NULL);
		model_attr(in, "name", d->name);
		model_attr(in, "type", wf_input_type_name(d->type));
		model_attr(in, "label", d->label);
		if (d->required)
			model_attr(in, "required", "true");
		if (d->max > 0)
			model_attrf(in, "max", "%ld", d->max);
		if (d->type == WF_IN_FILE) {
			model_attr(in, "max-size", upload_max(ctx));
			model_attr(in, "file-types", filetype_list());
		}
		/* A source that fails leaves the choice empty: the page still shows. */
		if (d->type == WF_IN_CHOICE)
			(void)option_add_all(ctx->db, ctx->a, d, module, in);
		if (d->type == WF_IN_AUTHORITY &&
		    (r != NULL || (r = db_exec(ctx->db, ctx->a, &q_authorities, NULL)) != NULL))
			add_options(ctx, in, r);
		if (d->type == WF_IN_USER &&
		    (u != NULL || (u = db_exec(ctx->db, ctx->a, &q_users, params)) != NULL))
			add_options(ctx, in, u);
		if (d->type == WF_IN_COUNTRIES &&
		    (c != NULL || (c = db_exec(ctx->db, ctx->a, &q_country_choices, NULL)) != NULL))
			for (int k = 0; k < PQntuples(c); k++) {
				xmlNodePtr o = model_add(in, "option", NULL);
				model_attr(o, "value", db_value(c, k, 0));
				model_attr(o, "label", db_value(c, k, 1));
			}
		if (d->type == WF_IN_COMMENT)
			(void)comments_options(ctx->db, ctx->a, iid, d->of_type, in);
		if (d->field != NULL && (failed_event == NULL || strcmp(failed_event, t->event) != 0))
			prefill(ctx, in, field, d);
		if (failed_event != NULL && strcmp(failed_event, t->event) == 0) {
			model_attr(in, "value", http_form(ctx->req, d->name));
			for (size_t e = 0; e < errors->nerrors; e++)
				if (strcmp(errors->errors[e].input, d->name) == 0)
					model_attr(in, "error", errors->errors[e].rule);
		}
	}
}

/*
 * <failed event><error input rule/>…</failed>: every error of a refused form,
 * also for fields that are no declared input (an action's own, such as the
 * questions of a split), so the page can say what went wrong.
 */
static void
add_failed(xmlNodePtr list, const char *event, const struct wf_outcome *out)
{
	xmlNodePtr f, n;

	if (event == NULL || out == NULL)
		return;
	f = model_add(list, "failed", NULL);
	model_attr(f, "event", event);
	for (size_t e = 0; e < out->nerrors; e++) {
		n = model_add(f, "error", NULL);
		model_attr(n, "input", out->errors[e].input);
		model_attr(n, "rule", out->errors[e].rule);
	}
}

static int
listed(const char *const *events, const char *event)
{
	if (events == NULL)
		return 1;
	for (size_t i = 0; events[i] != NULL; i++)
		if (strcmp(events[i], event) == 0)
			return 1;
	return 0;
}

int
page_instance_actions(struct hctx *ctx, xmlNodePtr parent, long long id,
    const char *const *events, const char *next)
{
	struct wf_actor actor = actor_of(ctx);
	const struct wf_def *def;
	const struct wf_state *st;
	const char *params[2], *missing;
	xmlNodePtr list, form;
	PGresult *r;
	int g, failed;

	params[0] = arena_printf(ctx->a, "%lld", id);
	params[1] = arena_printf(ctx->a, "%lld", ctx->sess->user_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_instance, params)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	if ((def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, 0, 0),
	    (int)db_int(r, 0, 1))) == NULL)
		return -1;
	st = wf_state(def, db_value(r, 0, 2));
	if ((form = latest_form(ctx, def, id, db_value(r, 0, 4), &failed)) == NULL && failed)
		return -1;
	list = model_add(parent, "transitions", NULL);
	model_attrf(list, "instance", "%lld", id);
	model_attr(list, "rev", db_value(r, 0, 3));
	model_attr(list, "state", db_value(r, 0, 2));
	model_attr(list, "state-label", st ? st->label : NULL);
	model_attr(list, "next", next);
	add_failed(list, ctx->failed_event, ctx->failed);
	for (size_t i = 0; st != NULL && i < st->ntransitions; i++) {
		if (!listed(events, st->transitions[i].event))
			continue;
		if ((g = wf_guard(ctx->db, ctx->a, &actor, id, db_value(r, 0, 4), &st->transitions[i],
		    &missing)) == -1)
			return -1;
		if (g == 1)
			add_transition(ctx, list, &st->transitions[i], ctx->failed, ctx->failed_event,
			    form, id, db_value(r, 0, 4));
	}
	return 0;
}

/* The instance page; failed_event and errors re-show a refused form. */
static int
instance_page(struct hctx *ctx, long long id, const char *failed_event, const struct wf_outcome *errors)
{
	struct wf_actor actor = actor_of(ctx);
	const struct wf_def *def;
	const struct wf_state *st;
	xmlNodePtr page, inst, data, hist, list, n, form;
	const char *params[2], *missing, *module, *vparam = http_query(ctx->req, "version");
	PGresult *r, *d, *dh, *dd;
	long long version = vparam != NULL ? page_parse_id(vparam) : 0;
	int g, failed;

	params[0] = arena_printf(ctx->a, "%lld", id);
	params[1] = arena_printf(ctx->a, "%lld", ctx->sess->user_id);
	/* All four reads in one round trip; a refused reader never sees what the last three
	 * brought, they are dropped with the arena. */
	if (params[0] == NULL || params[1] == NULL ||
	    db_queue(ctx->db, ctx->a, &q_instance, params, &r) == -1 ||
	    db_queue(ctx->db, ctx->a, &q_data, params, &d) == -1 ||
	    db_queue(ctx->db, ctx->a, &q_history, params, &dh) == -1 ||
	    (dd = db_exec(ctx->db, ctx->a, &q_documents, params)) == NULL)
		return 500;
	/* Who sees it is its definition's rule (registry.h): a page that is not there otherwise. */
	if (PQntuples(r) != 1 || !db_bool(r, 0, 8))
		return 404;
	if ((def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, 0, 0),
	    (int)db_int(r, 0, 1))) == NULL)
		return 500;
	st = wf_state(def, db_value(r, 0, 2));
	module = db_value(r, 0, 4);
	if ((page = page_model(ctx, "instance")) == NULL)
		return 500;
	inst = model_add(page, "instance", NULL);
	model_attrf(inst, "id", "%lld", id);
	model_attr(inst, "definition", def->name);
	model_attrf(inst, "version", "%d", def->version);
	model_attr(inst, "label", def->label);
	model_attr(inst, "state", st ? st->name : db_value(r, 0, 2));
	model_attr(inst, "state-label", st ? st->label : NULL);
	if (st != NULL && st->final)
		model_attr(inst, "final", "true");
	model_attr(inst, "rev", db_value(r, 0, 3));
	model_attr(inst, "authority", db_value(r, 0, 6));
	model_attr(inst, "created", db_value(r, 0, 7));
	if (db_bool(r, 0, 9))
		model_attr(inst, "personal-data-hidden", "true");
	data = model_add(page, "data", NULL);
	for (int i = 0; i < PQntuples(d); i++) {
		n = model_add(data, "field", db_value(d, i, 1));
		model_attr(n, "name", db_value(d, i, 0));
		page_label_field(n, def, db_value(d, i, 0), db_value(d, i, 1));
	}
	/* A case: its form (?version=N, else the latest) and its comments (caseform.h, comments.h). */
	if ((form = latest_form(ctx, def, id, module, &failed)) == NULL && failed)
		return 500;
	if (form != NULL) {
		if (version < 0 || version > 1000000)
			return 404;
		if (version == 0)
			xmlAddChild(page, xmlDocCopyNode(form, page->doc, 1));
		else if ((g = caseform_model(ctx->db, ctx->a, &actor, def, id, module, (int)version,
		    page)) != 1)
			return g == 0 ? 404 : 500;
	}
	if (def->caseform != NULL && def->caseform->ntypes > 0 &&
	    comments_list(ctx->db, ctx->a, id, 0, 50, 0, page) == -1)
		return 500;
	/* Comment types in words (issue 16), as the case page gives them. */
	for (size_t i = 0; def->caseform != NULL && i < def->caseform->ntypes; i++) {
		n = model_add(inst, "comment-type", NULL);
		model_attr(n, "name", def->caseform->types[i].name);
		model_attr(n, "label", def->caseform->types[i].label);
	}
	d = dh;
	hist = model_add(page, "history", NULL);
	for (int i = 0; i < PQntuples(d); i++) {
		n = model_add(hist, "entry", NULL);
		model_attr(n, "seq", db_value(d, i, 0));
		model_attr(n, "event", db_value(d, i, 1));
		model_attr(n, "from", db_value(d, i, 2));
		model_attr(n, "to", db_value(d, i, 3));
		page_label_row(n, def, db_value(d, i, 1), db_value(d, i, 2), db_value(d, i, 3));
		model_attr(n, "actor-kind", db_value(d, i, 4));
		model_attr(n, "actor", db_value(d, i, 5));
		model_attr(n, "authority", db_value(d, i, 6));
		model_attr(n, "at", db_value(d, i, 7));
		model_add(n, "inputs", db_value(d, i, 8));
	}
	d = dd;
	n = model_add(page, "documents", NULL);
	for (int i = 0; i < PQntuples(d); i++) {
		xmlNodePtr doc = model_add(n, "document", db_value(d, i, 1));
		model_attr(doc, "id", db_value(d, i, 0));
		model_attr(doc, "type", db_value(d, i, 2));
		model_attr(doc, "size", db_value(d, i, 3));
		model_attr(doc, "seq", db_value(d, i, 4));
		model_attr(doc, "input", db_value(d, i, 5));
	}
	list = model_add(page, "transitions", NULL);
	add_failed(list, failed_event, errors);
	for (size_t i = 0; st != NULL && i < st->ntransitions; i++) {
		if ((g = wf_guard(ctx->db, ctx->a, &actor, id, module, &st->transitions[i], &missing)) == -1)
			return 500;
		if (g == 1)
			add_transition(ctx, list, &st->transitions[i], errors, failed_event, form, id,
			    module);
	}
	return page_render(ctx, page);
}

int
page_instance(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);

	return id < 0 ? 404 : instance_page(ctx, id, NULL, NULL);
}

int
page_instance_fire(struct hctx *ctx)
{
	struct wf_actor actor = actor_of(ctx);
	struct wf_outcome out;
	long long id = page_parse_id(ctx->args[0]), rev = page_parse_id(http_form(ctx->req, "rev"));
	struct wf_inputs in = { ctx->req->body_fields, ctx->req->nbody, ctx->req->files,
	    ctx->req->nfiles };
	int rc;

	if (id < 0)
		return 404;
	if (rev < 0)
		return 400;

	wf_fire(ctx->db, ctx->a, ctx->cfg, &actor, id, rev, ctx->args[1], &in, &out);
	switch (out.result) {
	case WF_OK:
		log_info("user %lld fired %s on instance %lld: now %s", ctx->sess->user_id, ctx->args[1],
		    id, out.state);
		return resp_redirect(ctx->resp, page_local_path(http_form(ctx->req, "next")) ?
		    page_local_path(http_form(ctx->req, "next")) :
		    arena_printf(ctx->a, "/instances/%lld", id)) == -1 ? 500 : 0;
	case WF_NOT_FOUND:
		log_info("instance %lld: %s refused to user %lld: no such instance for this user", id,
		    ctx->args[1], ctx->sess->user_id);
		return 404;
	case WF_CONFLICT:
		log_info("instance %lld: %s refused as changed meanwhile: %s", id, ctx->args[1],
		    out.detail ? out.detail : "");
		page_changed_meanwhile(ctx, &out);
		return 409;
	case WF_FORBIDDEN:
		log_info("instance %lld: %s refused to user %lld: needs %s", id, ctx->args[1],
		    ctx->sess->user_id, out.detail ? out.detail : "");
		return page_refused(ctx, &out);
	case WF_INVALID:
		ctx->resp->status = 422;
		ctx->failed_event = ctx->args[1];
		ctx->failed = &out;
		/* The page the form came from, again with the errors; else this one. */
		if (page_local_path(http_form(ctx->req, "next")) != NULL &&
		    (rc = ctx->show(ctx, page_local_path(http_form(ctx->req, "next")))) != 404)
			return rc;
		return instance_page(ctx, id, ctx->failed_event, &out);
	default:
		return 500;
	}
}

int
page_instance_copy(struct hctx *ctx)
{
	struct wf_actor actor = actor_of(ctx);
	long long id = page_parse_id(ctx->args[0]), copy;
	const char *missing;

	if (id < 0)
		return 404;
	switch (wf_copy_case(ctx->db, ctx->a, ctx->cfg, &actor, id, &copy, &missing)) {
	case WF_OK:
		break;
	case WF_NOT_FOUND:
		return 404;
	case WF_FORBIDDEN:
		log_info("user %lld may not copy instance %lld: needs %s", ctx->sess->user_id, id,
		    missing ? missing : "?");
		ctx->error_detail = "error.workflow.start-forbidden";
		return 403;
	default:
		return 500;
	}
	log_info("user %lld copied instance %lld into %lld", ctx->sess->user_id, id, copy);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/instances/%lld", copy)) == -1 ? 500 : 0;
}

int
page_workflow_diagram(struct hctx *ctx)
{
	const struct wf_def *def;
	const char *params[1] = { ctx->args[0] };
	xmlNodePtr page, d, n;
	long long *counts;
	struct buf dot;
	PGresult *r;
	int rc = 500;

	if ((def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, ctx->args[0], 0)) == NULL)
		return 404;
	if ((r = db_exec(ctx->db, ctx->a, &q_counts, params)) == NULL ||
	    (counts = arena_calloc(ctx->a, def->nstates, sizeof(*counts))) == NULL)
		return 500;
	if ((page = page_model(ctx, "diagram")) == NULL)
		return 500;
	d = model_add(page, "diagram", NULL);
	model_attr(d, "name", def->name);
	model_attr(d, "label", def->label);
	model_attrf(d, "version", "%d", def->version);
	/* Instances of every version count: a state a new version dropped shows none. */
	for (size_t s = 0; s < def->nstates; s++) {
		for (int i = 0; i < PQntuples(r); i++)
			if (strcmp(db_value(r, i, 0), def->states[s].name) == 0)
				counts[s] = db_int(r, i, 1);
		n = model_add(d, "state", NULL);
		model_attr(n, "name", def->states[s].name);
		model_attr(n, "label", def->states[s].label);
		model_attrf(n, "instances", "%lld", counts[s]);
	}
	buf_init(&dot);
	wf_dot(def, counts, ctx->lang, &dot);
	if (buf_ok(&dot) && diagram_svg(&dot, model_add(d, "svg", NULL)) == 0)
		rc = page_render(ctx, page);
	buf_release(&dot);
	return rc;
}

/* Sends the document of row r (document_row: found only for a user who may see it). */
static int
send_document(struct hctx *ctx, PGresult *r)
{
	const char *name = db_value(r, 0, 0), *hex = db_value(r, 0, 2);
	unsigned char *bytes;
	size_t n = 0;
	struct buf enc;
	int rc = 500;

	if ((bytes = arena_alloc(ctx->a, strlen(hex) / 2 + 1)) == NULL ||
	    sodium_hex2bin(bytes, strlen(hex) / 2 + 1, hex, strlen(hex), NULL, &n, NULL) != 0)
		return 500;
	/* RFC 5987: every byte but a few safe ones percent-encoded, so no name breaks the header. */
	buf_init(&enc);
	buf_puts(&enc, "attachment; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '-' || *p == '_')
			buf_append(&enc, p, 1);
		else
			buf_printf(&enc, "%%%02X", *p);
	}
	ctx->resp->content_type = "application/octet-stream";
	/* Always a download, never rendered by the browser in our origin. */
	if (buf_ok(&enc) && resp_header(ctx->resp, "Content-Disposition", enc.data) == 0 &&
	    resp_header(ctx->resp, "Cache-Control", "no-store") == 0) {
		buf_append(&ctx->resp->body, bytes, n);
		rc = buf_ok(&ctx->resp->body) ? 0 : 500;
	}
	buf_release(&enc);
	return rc;
}

static PGresult *
document_row(struct hctx *ctx, long long iid, long long doc)
{
	const char *params[3] = { arena_printf(ctx->a, "%lld", iid),
	    arena_printf(ctx->a, "%lld", ctx->sess->user_id), arena_printf(ctx->a, "%lld", doc) };

	return db_exec(ctx->db, ctx->a, &q_document, params);
}

int
page_document_send(struct hctx *ctx, long long iid, long long doc)
{
	PGresult *r;

	if ((r = document_row(ctx, iid, doc)) == NULL)
		return 500;
	return PQntuples(r) != 1 ? 404 : send_document(ctx, r);
}

int
page_instance_document(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]), doc = page_parse_id(ctx->args[1]);

	return id < 0 || doc < 0 ? 404 : page_document_send(ctx, id, doc);
}
