/*
 * caseform.c — see caseform.h.  The values of a form are built and compared in
 * SQL (jsonb), so no field value passes through C but to be bound as a
 * parameter or placed in a page model for an actor who may see it.
 */
#include "caseform.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "findings.h"
#include "http.h"
#include "model.h"
#include "multipart.h"
#include "option_source.h"
#include "pgarray.h"
#include "participants.h"
#include "registry.h"
#include "xmlread.h"

/*
 * Saves an edit: the latest version when not sealed, else a new one.  Its
 * `changed` compares with the latest sealed version (none: nothing changed,
 * it is the first), so a draft of a modification overwritten twice still
 * names what differs from what was broadcast.  $2/$3: the posted (name,
 * value) pairs, $4 the names holding several values (countries), $5 the
 * names the edit replaces (the fields the actor may see; a file only when a
 * new one came); the rest keeps the latest version's values.  Returns hist
 * ($9) with the version and its changed fields added.
 */
static const struct db_query q_save = { "caseform_save",
	"WITH l AS (SELECT version, data, sealed FROM wf_form_versions WHERE instance_id = $1"
	"           ORDER BY version DESC LIMIT 1),"
	" b AS (SELECT data FROM wf_form_versions WHERE instance_id = $1 AND sealed"
	"       ORDER BY version DESC LIMIT 1),"
	" p AS (SELECT k, CASE WHEN k = ANY($4::text[]) THEN jsonb_agg(v ORDER BY o)"
	"                 ELSE to_jsonb((array_agg(v ORDER BY o))[1]) END AS v"
	"       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(k, v, o) GROUP BY k),"
	" n AS (SELECT (coalesce((SELECT data FROM l), '{}'::jsonb) - $5::text[])"
	"              || coalesce((SELECT jsonb_object_agg(k, v) FROM p), '{}'::jsonb) AS data),"
	" c AS (SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM b) THEN '{}'::text[]"
	"              ELSE coalesce((SELECT array_agg(k ORDER BY k) FROM"
	"                   (SELECT jsonb_object_keys(data) FROM b"
	"                    UNION SELECT jsonb_object_keys(data) FROM n) ks(k)"
	"                   WHERE (SELECT data FROM b) -> k IS DISTINCT FROM (SELECT data FROM n) -> k),"
	"                   '{}') END AS changed),"
	" up AS (UPDATE wf_form_versions f SET data = n.data, changed = c.changed, seq = $6,"
	"        by_user = $7, by_authority = $8, at = imi_now() FROM l, n, c"
	"        WHERE f.instance_id = $1 AND f.version = l.version AND NOT l.sealed"
	"        RETURNING f.version, f.changed),"
	" ins AS (INSERT INTO wf_form_versions (instance_id, version, data, changed, seq, by_user,"
	"         by_authority, at)"
	"         SELECT $1, coalesce((SELECT version FROM l), 0) + 1, n.data, c.changed, $6, $7, $8,"
	"                imi_now() FROM n, c WHERE NOT EXISTS (SELECT 1 FROM l WHERE NOT l.sealed)"
	"         RETURNING version, changed),"
	" s AS (SELECT * FROM up UNION ALL SELECT * FROM ins)"
	" SELECT ($9::jsonb || jsonb_build_object('form-version', s.version,"
	"        'changed', to_jsonb(s.changed)))::text FROM s", 9 };
static const struct db_query q_seal = { "caseform_seal",
	"UPDATE wf_form_versions SET sealed = true WHERE instance_id = $1"
	"   AND version = (SELECT max(version) FROM wf_form_versions WHERE instance_id = $1)", 1 };
/*
 * $2: the personal fields (ignored when $4, all); $3: the file inputs whose
 * documents are not personal (a field marked personal="false").  Comment
 * bodies and withdrawal reasons are free text, which is personal data
 * (workflows/README.md): erased either way.
 */
static const struct db_query q_erase = { "caseform_erase",
	"WITH f AS (UPDATE wf_form_versions SET data = CASE WHEN $4::bool THEN '{}'::jsonb"
	"           ELSE data - $2::text[] END, erased_at = imi_now() WHERE instance_id = $1),"
	" c AS (UPDATE wf_comments SET body = NULL, withdrawn_reason = NULL, erased_at = imi_now()"
	"       WHERE instance_id = $1)"
	" UPDATE wf_documents SET content = ''::bytea, size = 0, filename = 'erased'"
	" WHERE instance_id = $1 AND ($4::bool OR NOT input = ANY($3::text[]))", 4 };
static const struct db_query q_version = { "caseform_version",
	"SELECT v.version, v.sealed, to_char(v.at, 'YYYY-MM-DD HH24:MI'), v.erased_at IS NOT NULL,"
	"       array_to_string(v.changed, ' '), n.versions"
	"  FROM (SELECT count(*) AS versions, max(version) AS latest FROM wf_form_versions"
	"         WHERE instance_id = $1) n"
	"  LEFT JOIN wf_form_versions v ON v.instance_id = $1"
	"       AND v.version = CASE WHEN $2::int = 0 THEN n.latest ELSE $2::int END", 2 };
/* One row per value: a field of several values (countries) gives one per element, in order. */
static const struct db_query q_values = { "caseform_values",
	"SELECT d.key, x.v FROM wf_form_versions f, jsonb_each(f.data) d,"
	"  LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(d.value) = 'array' THEN d.value"
	"          ELSE jsonb_build_array(d.value) END) WITH ORDINALITY AS x(v, o)"
	" WHERE f.instance_id = $1 AND f.version = $2 ORDER BY d.key, x.o", 2 };
/* A time in the instance's data field $2, else in the latest form version's. */
#define CASE_TIME \
	"(SELECT CASE WHEN v ~ '^\\d{4}-\\d{2}-\\d{2}' THEN v::timestamptz END FROM" \
	" (SELECT coalesce(i.data->>$2, (SELECT f.data->>$2 FROM wf_form_versions f" \
	"   WHERE f.instance_id = i.id ORDER BY f.version DESC LIMIT 1)) AS v) x)"
static const struct db_query q_report = { "caseform_report",
	"SELECT coalesce(imi_now() < " CASE_TIME " + $3::interval, true)"
	"  FROM wf_instances i WHERE i.id = $1", 3 };
#define COPY_SOURCE "SELECT i.definition, i.version, i.module, %s FROM wf_instances i WHERE i.id = $1"
static struct db_query q_copy_source = { "caseform_copy_source", NULL, 2 };
static const struct db_query q_copy = { "caseform_copy",
	"INSERT INTO wf_form_versions (instance_id, version, data, seq, by_user, by_authority, at)"
	" SELECT $1, 1, coalesce((SELECT jsonb_object_agg(d.key, d.value) FROM jsonb_each(f.data) d"
	"                          WHERE d.key = ANY($3::text[])), '{}'), 1, $4, $5, imi_now()"
	"   FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT data FROM wf_form_versions"
	"        WHERE instance_id = $2 ORDER BY version DESC LIMIT 1) f ON true", 5 };

static pthread_once_t copy_once = PTHREAD_ONCE_INIT;

static void
build_copy_source(void)
{
	struct buf b;

	struct buf v;

	buf_init(&v);
	registry_visible_case(&v);
	buf_init(&b);
	if (buf_ok(&v))
		buf_printf(&b, COPY_SOURCE, v.data);
	buf_release(&v);
	q_copy_source.sql = buf_ok(&b) ? b.data : NULL;
}

/* ---- parsing ---- */

static int
attr_is(xmlNodePtr n, const char *name, const char *value)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	int t = v != NULL && xmlStrEqual(v, BAD_CAST value);

	xmlFree(v);
	return t;
}

static int
has_attr(xmlNodePtr n, const char *name)
{
	return xmlHasProp(n, BAD_CAST name) != NULL;
}

static size_t
children(xmlNodePtr parent, const char *name)
{
	size_t c = 0;

	for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
		c += xmlread_is(n, name);
	return c;
}

static int
parse_transition(struct arena *a, xmlNodePtr n, struct wf_transition *t)
{
	struct wf_caseops *ops = NULL;

	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (!xmlread_is(c, "edit-form") && !xmlread_is(c, "seal-form") &&
		    !xmlread_is(c, "erase-data") && !xmlread_is(c, "add-comment") &&
		    !xmlread_is(c, "withdraw-comment"))
			continue;
		if (ops == NULL && (ops = arena_alloc(a, sizeof(*ops))) == NULL)
			return -1;
		if (xmlread_is(c, "edit-form")) {
			ops->edit_form = 1;
			ops->edit_line = (int)xmlGetLineNo(c);
		} else if (xmlread_is(c, "seal-form")) {
			ops->seal_form = 1;
			ops->edit_line = ops->edit_line ? ops->edit_line : (int)xmlGetLineNo(c);
		} else if (xmlread_is(c, "erase-data")) {
			ops->erase_data = 1;
			ops->erase_personal_only = attr_is(c, "personal-only", "true");
			ops->erase_line = (int)xmlGetLineNo(c);
		} else if (xmlread_is(c, "add-comment")) {
			ops->comment_type = xmlread_attr(a, c, "type");
			ops->comment_text = xmlread_attr(a, c, "text");
			ops->comment_answers = xmlread_attr(a, c, "answers");
			ops->add_line = (int)xmlGetLineNo(c);
		} else {
			ops->withdraw_input = xmlread_attr(a, c, "input");
			ops->withdraw_reason = xmlread_attr(a, c, "reason");
			ops->withdraw_line = (int)xmlGetLineNo(c);
		}
	}
	t->caseops = ops;
	return 0;
}

static int
parse_field(struct arena *a, xmlNodePtr n, struct wf_field *f)
{
	const char *type = xmlread_attr(a, n, "type"), *max = xmlread_attr(a, n, "max");
	size_t k = 0, s = 0;

	f->line = f->in.line = (int)xmlGetLineNo(n);
	f->in.name = xmlread_attr(a, n, "name");
	f->in.label = xmlread_attr(a, n, "label");
	f->in.required = attr_is(n, "required", "true");
	f->in.max = max ? strtol(max, NULL, 10) : 0;
	f->in.options_from = xmlread_attr(a, n, "options-from");
	for (int t = 0; t < WF_IN__MAX; t++)
		if (type != NULL && strcmp(type, wf_input_type_name((enum wf_input_type)t)) == 0)
			f->in.type = (enum wf_input_type)t;
	f->in.unrecorded = 1;
	/* Free text and documents are personal unless said otherwise, as inputs are. */
	f->personal = has_attr(n, "personal") ? attr_is(n, "personal", "true") :
	    f->in.type == WF_IN_TEXT || f->in.type == WF_IN_TEXTAREA || f->in.type == WF_IN_FILE;
	f->summary = attr_is(n, "summary", "true");
	f->in.noptions = children(n, "option");
	f->shown_to.nallows = children(n, "shown-to");
	f->shown_to.event = "shown-to";
	f->shown_to.label = f->in.name;
	f->shown_to.line = f->line;
	if ((f->in.noptions > 0 &&
	    (f->in.options = arena_calloc(a, f->in.noptions, sizeof(*f->in.options))) == NULL) ||
	    (f->shown_to.nallows > 0 && (f->shown_to.allows =
	    arena_calloc(a, f->shown_to.nallows, sizeof(*f->shown_to.allows))) == NULL))
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (xmlread_is(c, "option")) {
			f->in.options[k].value = xmlread_attr(a, c, "value");
			f->in.options[k].label = xmlread_attr(a, c, "label");
			f->in.options[k++].line = (int)xmlGetLineNo(c);
		} else if (xmlread_is(c, "shown-to")) {
			f->shown_to.allows[s].party = xmlread_attr(a, c, "party");
			f->shown_to.allows[s++].line = (int)xmlGetLineNo(c);
		}
	}
	return 0;
}

static int
parse_root(struct arena *a, xmlNodePtr root, struct wf_caseform *cf)
{
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (xmlread_is(n, "form")) {
			size_t k = 0;
			cf->form_line = (int)xmlGetLineNo(n);
			cf->nfields = children(n, "field");
			if (cf->nfields > 0 &&
			    (cf->fields = arena_calloc(a, cf->nfields, sizeof(*cf->fields))) == NULL)
				return -1;
			for (xmlNodePtr c = n->children; c != NULL; c = c->next)
				if (xmlread_is(c, "field") && parse_field(a, c, &cf->fields[k++]) == -1)
					return -1;
		} else if (xmlread_is(n, "comments")) {
			size_t k = 0;
			cf->ntypes = children(n, "type");
			if (cf->ntypes > 0 &&
			    (cf->types = arena_calloc(a, cf->ntypes, sizeof(*cf->types))) == NULL)
				return -1;
			for (xmlNodePtr c = n->children; c != NULL; c = c->next)
				if (xmlread_is(c, "type")) {
					struct wf_comment_type *ty = &cf->types[k++];
					ty->name = xmlread_attr(a, c, "name");
					ty->label = xmlread_attr(a, c, "label");
					ty->answers = xmlread_attr(a, c, "answers");
					ty->tab = xmlread_attr(a, c, "tab");
					ty->line = (int)xmlGetLineNo(c);
				}
		} else if (xmlread_is(n, "report")) {
			cf->report_line = (int)xmlGetLineNo(n);
			cf->report_until = xmlread_attr(a, n, "until");
			cf->report_from = xmlread_attr(a, n, "from");
			/* A bad duration is lint's finding (caseform_check); until stays zero. */
			if (wf_duration_parse(cf->report_until, &cf->until) == -1)
				memset(&cf->until, 0, sizeof(cf->until));
		} else if (xmlread_is(n, "participants")) {
			size_t k = 0;
			cf->nroles = children(n, "role");
			if (cf->nroles > 0 &&
			    (cf->roles = arena_calloc(a, cf->nroles, sizeof(*cf->roles))) == NULL)
				return -1;
			for (xmlNodePtr c = n->children; c != NULL; c = c->next)
				if (xmlread_is(c, "role"))
					cf->roles[k++] = xmlread_attr(a, c, "name");
		}
	}
	return 0;
}

/* The input named name of t, or NULL. */
static struct wf_input *
input_of(const struct wf_transition *t, const char *name)
{
	for (size_t i = 0; name != NULL && i < t->ninputs; i++)
		if (strcmp(t->inputs[i].name, name) == 0)
			return &t->inputs[i];
	return NULL;
}

/* An <edit-form/> transition takes the form's fields first, then its own inputs. */
static int
grow_inputs(struct arena *a, const struct wf_caseform *cf, struct wf_transition *t)
{
	struct wf_input *in;

	if (cf->nfields == 0)
		return 0;
	if ((in = arena_calloc(a, cf->nfields + t->ninputs, sizeof(*in))) == NULL)
		return -1;
	for (size_t i = 0; i < cf->nfields; i++) {
		in[i] = cf->fields[i].in;
		in[i].field = &cf->fields[i];
	}
	if (t->ninputs > 0)
		memcpy(in + cf->nfields, t->inputs, t->ninputs * sizeof(*in));
	t->inputs = in;
	t->ninputs += cf->nfields;
	return 0;
}

static int
parse(struct wf_def *def, xmlNodePtr root)
{
	struct wf_caseform *cf;
	struct wf_input *in;
	int any = 0;

	for (xmlNodePtr n = root->children; n != NULL; n = n->next)
		any |= xmlread_is(n, "form") || xmlread_is(n, "comments") || xmlread_is(n, "report") ||
		    xmlread_is(n, "participants");
	if (!any)
		return 0;
	if ((cf = arena_alloc(def->arena, sizeof(*cf))) == NULL ||
	    parse_root(def->arena, root, cf) == -1)
		return -1;
	def->caseform = cf;
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t k = 0; k < def->states[s].ntransitions; k++) {
			struct wf_transition *t = &def->states[s].transitions[k];
			const struct wf_caseops *ops = t->caseops;
			if (ops == NULL)
				continue;
			if (ops->edit_form && grow_inputs(def->arena, cf, t) == -1)
				return -1;
			/* The comment's text and a withdrawal's reason are the comment's, not history's. */
			if ((in = input_of(t, ops->comment_text)) != NULL)
				in->unrecorded = 1;
			if ((in = input_of(t, ops->withdraw_reason)) != NULL)
				in->unrecorded = 1;
		}
	return 0;
}

/* ---- lint ---- */

int
caseform_party_known(const struct wf_def *def, const char *party)
{
	const struct wf_caseform *cf = def->caseform;

	if (registry_party(party) != NULL)
		return 1;
	for (size_t i = 0; cf != NULL && i < cf->nroles; i++)
		if (cf->roles[i] != NULL && strcmp(cf->roles[i], party) == 0)
			return 1;
	return 0;
}

static const struct wf_comment_type *
comment_type(const struct wf_caseform *cf, const char *name)
{
	for (size_t i = 0; cf != NULL && name != NULL && i < cf->ntypes; i++)
		if (strcmp(cf->types[i].name, name) == 0)
			return &cf->types[i];
	return NULL;
}

static void
check_fields(struct findings *r, const struct wf_def *def)
{
	const struct wf_caseform *cf = def->caseform;

	for (size_t i = 0; i < cf->nfields; i++) {
		const struct wf_field *f = &cf->fields[i];
		for (size_t k = 0; k < i; k++)
			if (strcmp(cf->fields[k].in.name, f->in.name) == 0)
				findings_report(r, f->line, "field \"%s\" appears twice (also line %d)",
				    f->in.name, cf->fields[k].line);
		if (f->in.type != WF_IN_CHOICE && f->in.noptions > 0)
			findings_report(r, f->in.options[0].line, "field \"%s\" is not a choice: only a "
			    "choice field has options", f->in.name);
		wf_choice_lint(r, &f->in, "field");
		if (f->summary && f->shown_to.nallows > 0)
			findings_report(r, f->shown_to.allows[0].line, "summary field \"%s\" has "
			    "<shown-to>: summaries go to lists and mails for everyone who sees the case",
			    f->in.name);
		for (size_t k = 0; k < f->shown_to.nallows; k++)
			if (!caseform_party_known(def, f->shown_to.allows[k].party))
				findings_report(r, f->shown_to.allows[k].line, "unknown party \"%s\"",
				    f->shown_to.allows[k].party);
	}
	for (size_t i = 0; i < cf->ntypes; i++)
		if (cf->types[i].answers != NULL && comment_type(cf, cf->types[i].answers) == NULL)
			findings_report(r, cf->types[i].line, "unknown comment type \"%s\"",
			    cf->types[i].answers);
	if (cf->report_line > 0) {
		struct wf_duration d;
		if (wf_duration_parse(cf->report_until, &d) == -1)
			findings_report(r, cf->report_line, "bad duration \"%s\": expected ISO 8601 such "
			    "as P6M or P5D", cf->report_until);
	}
}

/* An input the case action names: present, and when kind is a comment id, of type comment. */
static void
check_named_input(struct findings *r, int line, const struct wf_transition *t, const char *name,
    int comment_id)
{
	const struct wf_input *in = input_of(t, name);

	if (name == NULL)
		return;
	if (in == NULL || (comment_id && in->type != WF_IN_COMMENT))
		findings_report(r, line, "unknown input \"%s\"%s", name,
		    comment_id ? ": a comment input of this transition" : "");
}

static void
check_transition(struct findings *r, const struct wf_def *def, const struct wf_transition *t)
{
	const struct wf_caseform *cf = def->caseform;
	const struct wf_caseops *ops = t->caseops;

	for (size_t i = 0; i < t->ninputs; i++)
		if (t->inputs[i].of_type != NULL && comment_type(cf, t->inputs[i].of_type) == NULL)
			findings_report(r, t->inputs[i].line, "unknown comment type \"%s\"",
			    t->inputs[i].of_type);
	if (ops == NULL)
		return;
	if ((ops->edit_form || ops->seal_form) && (cf == NULL || cf->form_line == 0))
		findings_report(r, ops->edit_line, "transition \"%s\" edits or seals the case form, "
		    "but the definition has no <form>", t->event);
	if (ops->erase_data && (cf == NULL || cf->form_line == 0))
		findings_report(r, ops->erase_line, "transition \"%s\" erases the case form, "
		    "but the definition has no <form>", t->event);
	if (ops->add_line > 0) {
		if (comment_type(cf, ops->comment_type) == NULL)
			findings_report(r, ops->add_line, "unknown comment type \"%s\"", ops->comment_type);
		check_named_input(r, ops->add_line, t, ops->comment_text, 0);
		check_named_input(r, ops->add_line, t, ops->comment_answers, 1);
	}
	if (ops->withdraw_line > 0) {
		check_named_input(r, ops->withdraw_line, t, ops->withdraw_input, 1);
		check_named_input(r, ops->withdraw_line, t, ops->withdraw_reason, 0);
	}
}

static const struct wf_field *field_named(const struct wf_caseform *cf, const char *name);

/* Whether some <set field="name"> of the definition writes the data field name. */
static int
set_somewhere(const struct wf_def *def, const char *name)
{
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t k = 0; k < def->states[s].ntransitions; k++) {
			const struct wf_transition *t = &def->states[s].transitions[k];
			for (size_t i = 0; i < t->nactions; i++)
				if (t->actions[i].kind == WF_ACT_SET && strcmp(t->actions[i].field, name) == 0)
					return 1;
		}
	return 0;
}

/*
 * <if field="F"/>: F is a field of the <form> or a data field some <set>
 * writes (here, where the fields are known): a misspelt one would never hold.
 */
static void
check_field_conds(struct findings *r, const struct wf_def *def, const struct wf_transition *t)
{
	const struct wf_caseform *cf = def->caseform;

	for (size_t i = 0; i < t->nconds; i++) {
		const char *name = t->conds[i].field;
		if (name == NULL || set_somewhere(def, name))
			continue;
		if (cf != NULL && cf->form_line > 0 && field_named(cf, name) != NULL)
			continue;
		findings_report(r, t->conds[i].line, "field \"%s\" is neither a field of the <form> "
		    "nor set by any <set>", name);
	}
}

static void
check(struct findings *r, const struct wf_def *def)
{
	if (def->caseform != NULL)
		check_fields(r, def);
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t k = 0; k < def->states[s].ntransitions; k++) {
			check_transition(r, def, &def->states[s].transitions[k]);
			check_field_conds(r, def, &def->states[s].transitions[k]);
		}
}

/* ---- firing ---- */

/*
 * Whether actor holds one of the parties a field is shown to: the one place
 * that asks, as a guard of <allow party> without role, so any party the
 * guard knows counts (registered ones, and participant roles once the guard
 * knows them); to ask wf_party_holds() per party instead, change this alone.
 */
static int
holds_shown_to(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_def *def, const struct wf_field *f)
{
	int g;

	/* Registered parties and the definition's participant roles alike; one is enough. */
	for (size_t k = 0; k < f->shown_to.nallows; k++) {
		g = wf_party_holds(db, a, actor, iid, module, def, f->shown_to.allows[k].party);
		if (g != 0)
			return g;
	}
	return 0;
}

int
caseform_visible_fields(struct db *db, struct arena *a, const struct wf_actor *actor,
    const struct wf_def *def, long long iid, const char *module, int *visible)
{
	const struct wf_caseform *cf = def->caseform;
	int g;

	for (size_t i = 0; cf != NULL && i < cf->nfields; i++) {
		/* The worker acts for the case as a whole (a timer, an erasure): it sees all. */
		if (cf->fields[i].shown_to.nallows == 0 || actor->kind == WF_ACTOR_SYSTEM) {
			visible[i] = 1;
			continue;
		}
		if ((g = holds_shown_to(db, a, actor, iid, module, def, &cf->fields[i])) == -1)
			return -1;
		visible[i] = g;
	}
	return 0;
}

static const struct multipart_file *
file_of(const struct wf_inputs *in, const char *name)
{
	for (size_t i = 0; in != NULL && i < in->nfiles; i++)
		if (strcmp(in->files[i].field, name) == 0 && !in->files[i].too_big)
			return &in->files[i];
	return NULL;
}

/* The arrays of the save: every posted value of the fields actor may see. */
struct save {
	const char **keys, **vals, **multi, **replaced;
	size_t nkv, nmulti, nreplaced;
};

static int
collect(struct arena *a, const struct wf_caseform *cf, const int *visible,
    const struct wf_inputs *in, struct save *s, struct wf_outcome *out)
{
	size_t room = cf->nfields + (in ? in->nfields : 0);
	int refused = 0;

	if ((s->keys = arena_calloc(a, room + 1, sizeof(char *))) == NULL ||
	    (s->vals = arena_calloc(a, room + 1, sizeof(char *))) == NULL ||
	    (s->multi = arena_calloc(a, cf->nfields + 1, sizeof(char *))) == NULL ||
	    (s->replaced = arena_calloc(a, cf->nfields + 1, sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < cf->nfields; i++) {
		const struct wf_input *d = &cf->fields[i].in;
		const struct multipart_file *file;
		size_t before = s->nkv;
		if (!visible[i])
			continue;
		if (d->type == WF_IN_FILE) {
			/* No new file: the one the case has stays. */
			if ((file = file_of(in, d->name)) != NULL) {
				s->replaced[s->nreplaced++] = d->name;
				s->keys[s->nkv] = d->name;
				s->vals[s->nkv++] = file->filename;
			}
			continue;
		}
		s->replaced[s->nreplaced++] = d->name;
		if (d->type == WF_IN_COUNTRIES)
			s->multi[s->nmulti++] = d->name;
		for (size_t k = 0; in != NULL && k < in->nfields; k++)
			if (strcmp(in->fields[k].name, d->name) == 0 && in->fields[k].value[0] != '\0' &&
			    (d->type == WF_IN_COUNTRIES || s->nkv == before)) {
				s->keys[s->nkv] = d->name;
				s->vals[s->nkv++] = in->fields[k].value;
			}
		if (d->required && s->nkv == before) {
			if (out->nerrors < WF_MAX_ERRORS)
				out->errors[out->nerrors++] = (struct wf_field_error){ d->name, "required" };
			refused = 1;
		}
	}
	return refused;
}

static int
save(struct db *db, struct arena *a, const struct wf_def *def, long long iid,
    const struct wf_actor *actor, const char *module, long long seq, const struct wf_inputs *in,
    const char **hist, struct wf_outcome *out)
{
	const struct wf_caseform *cf = def->caseform;
	struct save s = { 0 };
	const char *params[9];
	int *visible, rc;
	PGresult *r;

	if ((visible = arena_calloc(a, cf->nfields + 1, sizeof(*visible))) == NULL ||
	    caseform_visible_fields(db, a, actor, def, iid, module, visible) == -1 ||
	    (rc = collect(a, cf, visible, in, &s, out)) == -1)
		return -1;
	if (rc == 1)
		return 1;
	params[0] = arena_printf(a, "%lld", iid);
	params[1] = pg_text_array(a, s.keys, s.nkv);
	params[2] = pg_text_array(a, s.vals, s.nkv);
	params[3] = pg_text_array(a, s.multi, s.nmulti);
	params[4] = pg_text_array(a, s.replaced, s.nreplaced);
	params[5] = arena_printf(a, "%lld", seq);
	params[6] = actor->kind == WF_ACTOR_SYSTEM ? NULL : arena_printf(a, "%lld", actor->user_id);
	params[7] = actor->kind == WF_ACTOR_SYSTEM ? NULL :
	    arena_printf(a, "%lld", actor->authority_id);
	params[8] = *hist;
	for (size_t i = 0; i < 6; i++)
		if (params[i] == NULL)
			return -1;
	if ((r = db_exec(db, a, &q_save, params)) == NULL || PQntuples(r) != 1)
		return -1;
	*hist = db_value(r, 0, 0);
	return 0;
}

static int
erase(struct db *db, struct arena *a, const struct wf_def *def, long long iid, int personal_only)
{
	const struct wf_caseform *cf = def->caseform;
	const char **personal, **kept, *params[4];
	size_t np = 0, nk = 0;

	if ((personal = arena_calloc(a, cf->nfields + 1, sizeof(char *))) == NULL ||
	    (kept = arena_calloc(a, cf->nfields + 1, sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < cf->nfields; i++) {
		if (cf->fields[i].personal)
			personal[np++] = cf->fields[i].in.name;
		else if (cf->fields[i].in.type == WF_IN_FILE)
			kept[nk++] = cf->fields[i].in.name;
	}
	params[0] = arena_printf(a, "%lld", iid);
	params[1] = pg_text_array(a, personal, np);
	params[2] = pg_text_array(a, kept, nk);
	params[3] = personal_only ? "false" : "true";
	if (params[0] == NULL || params[1] == NULL || params[2] == NULL)
		return -1;
	return db_exec(db, a, &q_erase, params) == NULL ? -1 : 0;
}

static int
fire_step(struct wf_fire *f, const char **hist)
{
	const struct wf_caseops *ops = f->t->caseops;
	const struct wf_caseform *cf = f->def->caseform;
	const char *params[1];
	int rc;

	if (ops == NULL || cf == NULL || cf->form_line == 0)
		return 0;
	if (ops->edit_form && (rc = save(f->db, f->a, f->def, f->instance_id, f->actor, f->module,
	    f->rev, f->in, hist, f->out)) != 0)
		return rc;
	params[0] = arena_printf(f->a, "%lld", f->instance_id);
	if (ops->seal_form && (params[0] == NULL || db_exec(f->db, f->a, &q_seal, params) == NULL))
		return -1;
	if (ops->erase_data && erase(f->db, f->a, f->def, f->instance_id,
	    ops->erase_personal_only) == -1)
		return -1;
	return 0;
}

static const struct wf_part part = { parse_transition, parse, check };

static int mail_part(struct wf_fire *f, xmlNodePtr holder);

int
caseform_register(void)
{
	return wf_part_add(&part) == -1 || wf_fire_step_add(fire_step) == -1 ||
	    wf_mail_part_add(mail_part) == -1 ? -1 : 0;
}

/* ---- reading ---- */

static const struct wf_field *
field_named(const struct wf_caseform *cf, const char *name)
{
	for (size_t i = 0; i < cf->nfields; i++)
		if (strcmp(cf->fields[i].in.name, name) == 0)
			return &cf->fields[i];
	return NULL;
}

static int
listed(const char *words, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = words; p != NULL && (p = strstr(p, name)) != NULL; p += n)
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The value into fn, with a choice's label in words (value-label) when it is still an option. */
static int
add_value(struct db *db, struct arena *a, const char *module, xmlNodePtr fn,
    const struct wf_field *f, const char *v)
{
	const char *label;

	if (f->in.type == WF_IN_COUNTRIES) {
		model_add(fn, "value", v);
		return 0;
	}
	xmlNodeAddContent(fn, BAD_CAST v);
	if (f->in.type != WF_IN_CHOICE)
		return 0;
	if (option_find(db, a, &f->in, module, v, &label) == -1)
		return -1;
	if (label != NULL)
		model_attr(fn, "value-label", label);
	return 0;
}

int
caseform_model(struct db *db, struct arena *a, const struct wf_actor *actor,
    const struct wf_def *def, long long iid, const char *module, int version, xmlNodePtr parent)
{
	const struct wf_caseform *cf = def->caseform;
	const char *params[2];
	xmlNodePtr form, *nodes;
	PGresult *r, *v;
	int *visible;

	if (cf == NULL || cf->form_line == 0)
		return 0;
	params[0] = arena_printf(a, "%lld", iid);
	params[1] = arena_printf(a, "%d", version);
	if (params[0] == NULL || params[1] == NULL ||
	    (r = db_exec(db, a, &q_version, params)) == NULL || PQntuples(r) != 1)
		return -1;
	form = model_add(parent, "form", NULL);
	model_attr(form, "versions", db_value(r, 0, 5));
	/* A case not saved yet has its (empty) fields all the same: the form to fill. */
	if (db_value(r, 0, 0) == NULL && (version != 0 || db_int(r, 0, 5) != 0))
		return 0;
	if (db_value(r, 0, 0) != NULL) {
		model_attr(form, "version", db_value(r, 0, 0));
		model_attr(form, "sealed", db_bool(r, 0, 1) ? "true" : "false");
		model_attr(form, "at", db_value(r, 0, 2));
		if (db_bool(r, 0, 3))
			model_attr(form, "erased", "true");
	}
	params[1] = db_value(r, 0, 0) != NULL ? db_value(r, 0, 0) : "0";
	if ((visible = arena_calloc(a, cf->nfields + 1, sizeof(*visible))) == NULL ||
	    (nodes = arena_calloc(a, cf->nfields + 1, sizeof(*nodes))) == NULL ||
	    caseform_visible_fields(db, a, actor, def, iid, module, visible) == -1 ||
	    (v = db_exec(db, a, &q_values, params)) == NULL)
		return -1;
	for (size_t i = 0; i < cf->nfields; i++) {
		const struct wf_field *f = &cf->fields[i];
		if (!visible[i])
			continue;
		nodes[i] = model_add(form, "field", NULL);
		model_attr(nodes[i], "name", f->in.name);
		model_attr(nodes[i], "type", wf_input_type_name(f->in.type));
		model_attr(nodes[i], "label", f->in.label);
		if (f->personal)
			model_attr(nodes[i], "personal", "true");
		if (f->summary)
			model_attr(nodes[i], "summary", "true");
		if (listed(db_value(r, 0, 4), f->in.name))
			model_attr(nodes[i], "changed", "true");
	}
	/* Values only ever go into the node of a field the actor may see. */
	for (int k = 0; k < PQntuples(v); k++) {
		const struct wf_field *f = field_named(cf, db_value(v, k, 0));
		if (f != NULL && nodes[f - cf->fields] != NULL &&
		    add_value(db, a, module, nodes[f - cf->fields], f, db_value(v, k, 1)) == -1)
			return -1;
	}
	return 1;
}

/*
 * For every mail about a case (wf_mail_part_add): the latest version's
 * number, its summary fields with their values (lint holds that no summary
 * field has a <shown-to>), and, after a modification, which of the fields
 * everyone may see changed — names, never values.  One <form> for all
 * recipients of a <notify>, so it holds nothing any of them may not see.
 */
static int
mail_part(struct wf_fire *f, xmlNodePtr holder)
{
	const struct wf_caseform *cf = f->def->caseform;
	const char *params[2];
	xmlNodePtr form, *nodes;
	PGresult *r, *v;

	if (cf == NULL || cf->form_line == 0)
		return 0;
	params[0] = arena_printf(f->a, "%lld", f->instance_id);
	params[1] = "0";
	if (params[0] == NULL || (r = db_exec(f->db, f->a, &q_version, params)) == NULL ||
	    PQntuples(r) != 1)
		return -1;
	if (db_value(r, 0, 0) == NULL)
		return 0;
	params[1] = db_value(r, 0, 0);
	if ((nodes = arena_calloc(f->a, cf->nfields + 1, sizeof(*nodes))) == NULL ||
	    (v = db_exec(f->db, f->a, &q_values, params)) == NULL)
		return -1;
	form = model_add(holder, "form", NULL);
	model_attr(form, "version", db_value(r, 0, 0));
	for (size_t i = 0; i < cf->nfields; i++) {
		const struct wf_field *fd = &cf->fields[i];
		int changed = listed(db_value(r, 0, 4), fd->in.name);
		if (fd->shown_to.nallows > 0 || (!fd->summary && !changed))
			continue;
		nodes[i] = model_add(form, "field", NULL);
		model_attr(nodes[i], "name", fd->in.name);
		model_attr(nodes[i], "type", wf_input_type_name(fd->in.type));
		model_attr(nodes[i], "label", fd->in.label);
		if (fd->summary)
			model_attr(nodes[i], "summary", "true");
		if (changed)
			model_attr(nodes[i], "changed", "true");
	}
	for (int k = 0; k < PQntuples(v); k++) {
		const struct wf_field *fd = field_named(cf, db_value(v, k, 0));
		if (fd != NULL && fd->summary && nodes[fd - cf->fields] != NULL &&
		    add_value(f->db, f->a, f->module, nodes[fd - cf->fields], fd, db_value(v, k, 1)) == -1)
			return -1;
	}
	return 0;
}

/* ---- copy and report ---- */

enum wf_result
wf_copy_case(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, long long iid, long long *new_id, const char **missing)
{
	const struct wf_def *src, *def;
	const char *params[5], **names;
	size_t nnames = 0;
	int *visible, g;
	long long id;
	PGresult *r;

	*new_id = 0;
	*missing = NULL;
	pthread_once(&copy_once, build_copy_source);
	params[0] = arena_printf(a, "%lld", iid);
	params[1] = arena_printf(a, "%lld", actor->user_id);
	if (q_copy_source.sql == NULL || params[0] == NULL || params[1] == NULL ||
	    (r = db_exec(db, a, &q_copy_source, params)) == NULL)
		return WF_ERROR;
	if (actor->kind != WF_ACTOR_USER || PQntuples(r) != 1 || !db_bool(r, 0, 3))
		return WF_NOT_FOUND;
	if ((src = defs_get(db, a, cfg->datadir, db_value(r, 0, 0), (int)db_int(r, 0, 1))) == NULL ||
	    (def = defs_get(db, a, cfg->datadir, src->name, 0)) == NULL)
		return WF_ERROR;
	if (src->caseform == NULL || src->caseform->form_line == 0 || def->caseform == NULL ||
	    def->caseform->form_line == 0)
		return WF_NOT_FOUND;
	if (def->start.nallows == 0) {
		*missing = "a <start> in the definition";
		return WF_FORBIDDEN;
	}
	if ((visible = arena_calloc(a, src->caseform->nfields + 1, sizeof(*visible))) == NULL ||
	    (names = arena_calloc(a, src->caseform->nfields + 1, sizeof(*names))) == NULL ||
	    caseform_visible_fields(db, a, actor, src, iid, db_value(r, 0, 2), visible) == -1)
		return WF_ERROR;
	for (size_t i = 0; i < src->caseform->nfields; i++) {
		const struct wf_field *f = &src->caseform->fields[i], *to;
		if (visible[i] && f->in.type != WF_IN_FILE &&
		    (to = field_named(def->caseform, f->in.name)) != NULL && to->in.type == f->in.type)
			names[nnames++] = f->in.name;
	}
	/* Started, guarded and filled in one transaction: a refusal leaves nothing. */
	if (db_begin(db) == -1)
		return WF_ERROR;
	if ((id = wf_start_tx(db, a, cfg, actor, def->name, actor->authority_id, NULL)) == -1 ||
	    (g = wf_guard(db, a, actor, id, def->module, &def->start, missing)) == -1)
		goto fail;
	if (g == 0) {
		db_rollback(db);
		return WF_FORBIDDEN;
	}
	params[0] = arena_printf(a, "%lld", id);
	params[1] = arena_printf(a, "%lld", iid);
	params[2] = pg_text_array(a, names, nnames);
	params[3] = arena_printf(a, "%lld", actor->user_id);
	params[4] = arena_printf(a, "%lld", actor->authority_id);
	if (params[0] == NULL || params[1] == NULL || params[2] == NULL || params[3] == NULL ||
	    params[4] == NULL || db_exec(db, a, &q_copy, params) == NULL || db_commit(db) == -1)
		goto fail;
	*new_id = id;
	return WF_OK;
fail:
	db_rollback(db);
	return WF_ERROR;
}

int
caseform_report_open(struct db *db, struct arena *a, const struct wf_def *def, long long iid)
{
	const struct wf_caseform *cf = def->caseform;
	char interval[128];
	const char *params[3];
	PGresult *r;

	if (cf == NULL || cf->report_line == 0)
		return 0;
	wf_duration_interval(&cf->until, interval, sizeof(interval));
	params[0] = arena_printf(a, "%lld", iid);
	params[1] = cf->report_from;
	params[2] = interval;
	if (params[0] == NULL || (r = db_exec(db, a, &q_report, params)) == NULL)
		return -1;
	return PQntuples(r) == 1 && db_bool(r, 0, 0);
}
