/*
 * workflow.c — see workflow.h.  Parse: well-formedness and the RelaxNG schema
 * (structure), then a walk that copies the tree into plain structs, every
 * node with its line.  Link: names resolved and meaning checked, every
 * finding reported as "file:line: message" so an author can jump to it.
 */
#include "workflow.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "arena.h"
#include "findings.h"
#include "file.h"
#include "participant_roles.h"
#include "registry.h"
#include "xmlread.h"

#define WF_NS "urn:imiflow:workflow:1"
#define MAX_DEF_BYTES (1024 * 1024)

static const char *
attr(struct arena *a, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s;

	if (v == NULL)
		return NULL;
	s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

static int
attr_true(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	int t = v != NULL && xmlStrEqual(v, BAD_CAST "true");

	xmlFree(v);
	return t;
}

static int
is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

static size_t
count(xmlNodePtr parent, const char *name)
{
	size_t c = 0;

	for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
		if (is(n, name))
			c++;
	return c;
}

#define WF_PARTS_MAX 8
static const struct wf_part *parts[WF_PARTS_MAX];
static size_t nparts;

int
wf_part_add(const struct wf_part *part)
{
	for (size_t i = 0; i < nparts; i++)
		if (parts[i] == part)
			return 0;
	if (nparts == WF_PARTS_MAX)
		return -1;
	parts[nparts++] = part;
	return 0;
}

static const char *const input_types[WF_IN__MAX] = {
	"text", "textarea", "date", "choice", "authority", "user", "file", "countries", "authorities",
	"comment"
};

const char *
wf_input_type_name(enum wf_input_type t)
{
	return t < WF_IN__MAX ? input_types[t] : "?";
}

static int
build_input(struct arena *a, xmlNodePtr n, struct wf_input *in)
{
	const char *type = attr(a, n, "type"), *max = attr(a, n, "max");
	size_t k = 0;

	in->name = attr(a, n, "name");
	in->label = attr(a, n, "label");
	in->required = attr_true(n, "required");
	in->of_type = attr(a, n, "of-type");
	in->options_from = attr(a, n, "options-from");
	in->max = max ? strtol(max, NULL, 10) : 0;
	in->line = (int)xmlGetLineNo(n);
	for (int t = 0; t < WF_IN__MAX; t++)
		if (type != NULL && strcmp(type, input_types[t]) == 0)
			in->type = (enum wf_input_type)t;
	in->noptions = count(n, "option");
	if (in->noptions > 0 &&
	    (in->options = arena_calloc(a, in->noptions, sizeof(*in->options))) == NULL)
		return -1;
	for (xmlNodePtr o = n->children; o != NULL; o = o->next)
		if (is(o, "option")) {
			in->options[k].value = attr(a, o, "value");
			in->options[k].label = attr(a, o, "label");
			in->options[k].line = (int)xmlGetLineNo(o);
			k++;
		}
	return 0;
}

static int
split_links(struct arena *a, const char *links, struct wf_action *act)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0;

	if (links == NULL)
		return 0;
	if ((copy = arena_strdup(a, links)) == NULL ||
	    (act->links = arena_calloc(a, strlen(links) / 2 + 2, sizeof(*act->links))) == NULL)
		return -1;
	for (tok = strtok_r(copy, " \t\n", &save); tok != NULL; tok = strtok_r(NULL, " \t\n", &save))
		act->links[n++] = tok;
	act->nlinks = n;
	return 0;
}

static int
build_action(struct arena *a, xmlNodePtr n, struct wf_action *act)
{
	act->line = (int)xmlGetLineNo(n);
	if (is(n, "set")) {
		act->kind = WF_ACT_SET;
		act->field = attr(a, n, "field");
		act->value = attr(a, n, "value");
		act->input = attr(a, n, "input");
		act->now = attr_true(n, "now");
	} else if (is(n, "notify")) {
		act->kind = WF_ACT_NOTIFY;
		act->party = attr(a, n, "party");
		act->role = attr(a, n, "role");
		act->template = attr(a, n, "template");
		return split_links(a, attr(a, n, "links"), act);
	} else if (is(n, "start-timer")) {
		act->kind = WF_ACT_START_TIMER;
		act->timer = attr(a, n, "name");
		act->event = attr(a, n, "event");
		act->from = attr(a, n, "from");
		act->after_text = attr(a, n, "after");
	} else if (is(n, "cancel-timer")) {
		act->kind = WF_ACT_CANCEL_TIMER;
		act->timer = attr(a, n, "name");
	} else if (is(n, "add-participants") || is(n, "participant-state") ||
	    is(n, "remove-participants")) {
		act->kind = is(n, "add-participants") ? WF_ACT_ADD_PARTICIPANTS :
		    is(n, "remove-participants") ? WF_ACT_REMOVE_PARTICIPANTS : WF_ACT_PARTICIPANT_STATE;
		act->participant_role = attr(a, n, "role");
		act->select = attr(a, n, "select");
		act->values_field = attr(a, n, "field");
		act->values_input = attr(a, n, "input");
		act->to_state = attr(a, n, "to");
	} else {
		act->kind = WF_ACT_CALL;
		act->call = attr(a, n, "action");
	}
	return 0;
}

static int
is_action(xmlNodePtr n)
{
	return is(n, "set") || is(n, "notify") || is(n, "start-timer") || is(n, "cancel-timer") ||
	    is(n, "call") || is(n, "add-participants") || is(n, "participant-state") ||
	    is(n, "remove-participants");
}

static void
build_allow(struct arena *a, xmlNodePtr n, struct wf_allow *al)
{
	al->role = attr(a, n, "role");
	al->party = attr(a, n, "party");
	al->line = (int)xmlGetLineNo(n);
	al->in = attr(a, n, "in");
}

static int
build_transition(struct arena *a, xmlNodePtr n, struct wf_transition *t)
{
	size_t na = 0, nc = 0, nb = 0, ni = 0, nx = 0;

	t->event = attr(a, n, "event");
	t->to_name = attr(a, n, "to");
	t->label = attr(a, n, "label");
	t->confirm = attr(a, n, "confirm");
	t->line = (int)xmlGetLineNo(n);
	t->concurrent = attr_true(n, "concurrent");
	t->task = attr_true(n, "task");
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		na += is(c, "allow");
		nc += is(c, "if") || is(c, "unless");
		nb += is(c, "not-by");
		ni += is(c, "input");
		nx += is_action(c);
	}
	if ((na && (t->allows = arena_calloc(a, na, sizeof(*t->allows))) == NULL) ||
	    (nc && (t->conds = arena_calloc(a, nc, sizeof(*t->conds))) == NULL) ||
	    (nb && (t->not_by = arena_calloc(a, nb, sizeof(*t->not_by))) == NULL) ||
	    (ni && (t->inputs = arena_calloc(a, ni, sizeof(*t->inputs))) == NULL) ||
	    (nx && (t->actions = arena_calloc(a, nx, sizeof(*t->actions))) == NULL))
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (is(c, "allow")) {
			build_allow(a, c, &t->allows[t->nallows++]);
		} else if (is(c, "if") || is(c, "unless")) {
			struct wf_cond *co = &t->conds[t->nconds++];
			co->name = attr(a, c, "condition");
			co->field = attr(a, c, "field");
			co->equals = attr(a, c, "equals");
			co->negate = is(c, "unless");
			co->line = (int)xmlGetLineNo(c);
		} else if (is(c, "not-by")) {
			struct wf_not_by *b = &t->not_by[t->nnot_by++];
			b->event = attr(a, c, "event");
			b->line = (int)xmlGetLineNo(c);
		} else if (is(c, "input")) {
			if (build_input(a, c, &t->inputs[t->ninputs++]) == -1)
				return -1;
		} else if (is_action(c)) {
			if (build_action(a, c, &t->actions[t->nactions++]) == -1)
				return -1;
		}
	}
	for (size_t i = 0; i < nparts; i++)
		if (parts[i]->parse_transition != NULL && parts[i]->parse_transition(a, n, t) == -1)
			return -1;
	return 0;
}

static int
build(struct wf_def *def, xmlNodePtr root)
{
	struct arena *a = def->arena;
	size_t s = 0, nstart;

	def->name = attr(a, root, "name");
	def->module = attr(a, root, "module");
	if (def->module == NULL)
		def->module = "";
	def->label = attr(a, root, "label");
	def->seen_by = attr(a, root, "seen-by");
	def->line = (int)xmlGetLineNo(root);
	def->nstates = count(root, "state");
	if (def->nstates > 0 &&
	    (def->states = arena_calloc(a, def->nstates, sizeof(*def->states))) == NULL)
		return -1;
	def->start.event = "start";
	def->start.label = "Start";
	def->start.line = def->line;
	if ((nstart = count(root, "start")) > 0 &&
	    (def->start.allows = arena_calloc(a, nstart, sizeof(*def->start.allows))) == NULL)
		return -1;
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (is(n, "start")) {
			build_allow(a, n, &def->start.allows[def->start.nallows++]);
			continue;
		}
		if (is(n, "participants")) {
			if (participant_roles_parse(a, n, &def->roles, &def->nroles) == -1)
				return -1;
			continue;
		}
		if (is(n, "description")) {
			xmlChar *t = xmlNodeGetContent(n);
			def->description = t ? arena_strdup(a, (const char *)t) : NULL;
			xmlFree(t);
			continue;
		}
		if (!is(n, "state"))
			continue;
		struct wf_state *st = &def->states[s++];
		size_t k = 0;
		st->name = attr(a, n, "name");
		st->label = attr(a, n, "label");
		st->initial = attr_true(n, "initial");
		st->final = attr_true(n, "final");
		st->line = (int)xmlGetLineNo(n);
		st->ntransitions = count(n, "transition");
		if (st->ntransitions > 0 && (st->transitions =
		    arena_calloc(a, st->ntransitions, sizeof(*st->transitions))) == NULL)
			return -1;
		for (xmlNodePtr t = n->children; t != NULL; t = t->next)
			if (is(t, "transition") && build_transition(a, t, &st->transitions[k++]) == -1)
				return -1;
	}
	/* Registered parts (the case form): after the states, which they may complete. */
	for (size_t i = 0; i < nparts; i++)
		if (parts[i]->parse != NULL && parts[i]->parse(def, root) == -1)
			return -1;
	return 0;
}

struct wf_def *
wf_parse(const char *file, const char *xml, size_t len, const char *datadir, wf_report_fn fn,
    void *arg)
{
	struct findings r;
	struct wf_def *def = NULL;
	struct arena *a = NULL;
	xmlParserCtxtPtr pctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;

	findings_init(&r, file, fn, arg);
	if (len > MAX_DEF_BYTES || len > INT32_MAX) {
		findings_report(&r, 0, "larger than %d bytes", MAX_DEF_BYTES);
		return NULL;
	}
	if ((pctxt = xmlNewParserCtxt()) == NULL)
		return NULL;
	/*
	 * libxml2's own three-line message would come beside the finding: quiet on
	 * this context, its last error is the finding (as xmlread_document does).
	 */
	pctxt->sax->serror = xmlread_quiet;
	/* Definitions are trusted, but still: no network, no entities, no DTD. */
	doc = xmlCtxtReadMemory(pctxt, xml, (int)len, file, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (doc == NULL) {
		xmlErrorPtr e = xmlCtxtGetLastError(pctxt);
		char msg[512];
		xmlread_error_line(msg, sizeof(msg), e, "");
		findings_report(&r, e ? e->line : 0, "not well-formed XML: %s", msg);
		goto fail;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "workflow") || root->ns == NULL ||
	    !xmlStrEqual(root->ns->href, BAD_CAST WF_NS)) {
		findings_report(&r, root ? (int)xmlGetLineNo(root) : 1,
		    "schema: the root element must be <workflow xmlns=\"%s\">", WF_NS);
		goto fail;
	}
	if (findings_validate(&r, doc, datadir, "workflow.rng") == -1)
		goto fail;
	if ((a = arena_new()) == NULL || (def = arena_alloc(a, sizeof(*def))) == NULL)
		goto fail;
	def->arena = a;
	if ((def->file = arena_strdup(a, file)) == NULL || build(def, root) == -1)
		goto fail;
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pctxt);
	return def;
fail:
	if (r.count == 0)
		findings_report(&r, 0, "out of memory");
	arena_free(a);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pctxt);
	return NULL;
}

struct wf_def *
wf_parse_file(const char *path, const char *datadir, wf_report_fn fn, void *arg)
{
	struct findings r;
	struct wf_def *def = NULL;
	struct arena *a;
	char *text;
	size_t len;

	findings_init(&r, path, fn, arg);
	if ((a = arena_new()) == NULL)
		return NULL;
	if ((text = file_read(a, path, MAX_DEF_BYTES, &len)) != NULL)
		def = wf_parse(path, text, len, datadir, fn, arg);
	else if (errno == EFBIG)
		findings_report(&r, 0, "larger than %d bytes", MAX_DEF_BYTES);
	else
		findings_report(&r, 0, "cannot open");
	arena_free(a);
	return def;
}

void
wf_free(struct wf_def *def)
{
	if (def != NULL)
		arena_free(def->arena);
}

const struct wf_state *
wf_state(const struct wf_def *def, const char *name)
{
	for (size_t i = 0; name != NULL && i < def->nstates; i++)
		if (strcmp(def->states[i].name, name) == 0)
			return &def->states[i];
	return NULL;
}

const struct wf_transition *
wf_transition(const struct wf_state *s, const char *event)
{
	for (size_t i = 0; s != NULL && event != NULL && i < s->ntransitions; i++)
		if (strcmp(s->transitions[i].event, event) == 0)
			return &s->transitions[i];
	return NULL;
}

/* PnYnMnDTnHnMnS, each part optional but at least one; weeks (PnW) too. */
static int
named(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static int
free_text_input(const struct wf_transition *t, const char *name)
{
	for (size_t i = 0; i < t->ninputs; i++)
		if (strcmp(t->inputs[i].name, name) == 0)
			return t->inputs[i].type == WF_IN_TEXT || t->inputs[i].type == WF_IN_TEXTAREA ||
			    t->inputs[i].type == WF_IN_FILE;
	return 0;
}

size_t
wf_free_texts(const struct wf_def *def, const char **names, size_t max)
{
	size_t n = 0;

	for (size_t s = 0; s < def->nstates; s++)
		for (size_t k = 0; k < def->states[s].ntransitions; k++) {
			const struct wf_transition *t = &def->states[s].transitions[k];
			for (size_t i = 0; i < t->ninputs && n < max; i++)
				if (free_text_input(t, t->inputs[i].name) &&
				    !named(names, n, t->inputs[i].name))
					names[n++] = t->inputs[i].name;
			for (size_t i = 0; i < t->nactions && n < max; i++)
				if (t->actions[i].kind == WF_ACT_SET && t->actions[i].input != NULL &&
				    free_text_input(t, t->actions[i].input) &&
				    !named(names, n, t->actions[i].field))
					names[n++] = t->actions[i].field;
		}
	return n;
}

int
wf_duration_parse(const char *text, struct wf_duration *d)
{
	const char *p = text;
	int in_time = 0, any = 0;
	long v;
	char *end;

	memset(d, 0, sizeof(*d));
	if (p == NULL || *p++ != 'P')
		return -1;
	while (*p != '\0') {
		if (*p == 'T') {
			if (in_time)
				return -1;
			in_time = 1;
			p++;
			if (*p == '\0')
				return -1;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		v = strtol(p, &end, 10);
		if (v < 0 || v > 100000 || end == p)
			return -1;
		p = end;
		switch (*p) {
		case 'Y': if (in_time) return -1; d->years = (int)v; break;
		case 'M': if (in_time) d->minutes = (int)v; else d->months = (int)v; break;
		case 'W': if (in_time) return -1; d->days += (int)v * 7; break;
		case 'D': if (in_time) return -1; d->days += (int)v; break;
		case 'H': if (!in_time) return -1; d->hours = (int)v; break;
		case 'S': if (!in_time) return -1; d->seconds = (int)v; break;
		default: return -1;
		}
		p++;
		any = 1;
	}
	return any ? 0 : -1;
}

void
wf_duration_interval(const struct wf_duration *d, char *out, size_t outlen)
{
	snprintf(out, outlen, "%d years %d months %d days %d hours %d minutes %d seconds",
	    d->years, d->months, d->days, d->hours, d->minutes, d->seconds);
}

/* ---- link: meaning ---- */

static void
check_allows(struct findings *r, const struct wf_transition *tr)
{
	for (size_t i = 0; i < tr->nallows; i++) {
		const struct wf_allow *al = &tr->allows[i];
		if (al->role != NULL && !registry_role_exists(al->role))
			findings_report(r, al->line, "unknown role \"%s\"", al->role);
		if (al->party != NULL && !al->participant && registry_party(al->party) == NULL)
			findings_report(r, al->line, "unknown party \"%s\"", al->party);
	}
}

/* <start>: as <allow>, and only people start from the pages, never the worker. */
static void
check_starts(struct findings *r, const struct wf_def *def)
{
	const struct wf_transition *st = &def->start;

	check_allows(r, st);
	for (size_t i = 0; i < st->nallows; i++)
		if (st->allows[i].party != NULL && strcmp(st->allows[i].party, "system") == 0)
			findings_report(r, st->allows[i].line, "<start> names the party \"system\", "
			    "which never starts an instance from the pages");
}

static void
check_names(struct findings *r, const struct wf_def *def, const char *datadir)
{
	char path[4096];
	int templates;

	/* A datadir without xslt/mail (lint from a build tree) cannot say: lint notes it once. */
	snprintf(path, sizeof(path), "%s/xslt/mail", datadir);
	templates = access(path, X_OK) == 0;
	check_starts(r, def);
	for (size_t s = 0; s < def->nstates; s++) {
		const struct wf_state *st = &def->states[s];
		for (size_t t = 0; t < st->ntransitions; t++) {
			struct wf_transition *tr = &st->transitions[t];
			check_allows(r, tr);
			for (size_t i = 0; i < tr->nconds; i++)
				/* A field's name: the case form's check (caseform.c) knows the fields. */
				if (tr->conds[i].name != NULL && registry_condition(tr->conds[i].name) == NULL)
					findings_report(r, tr->conds[i].line, "unknown condition \"%s\"",
					    tr->conds[i].name);
			for (size_t i = 0; i < tr->nactions; i++) {
				struct wf_action *ac = &tr->actions[i];
				switch (ac->kind) {
				case WF_ACT_NOTIFY:
					if (ac->role != NULL && !registry_role_exists(ac->role))
						findings_report(r, ac->line, "unknown role \"%s\"", ac->role);
					if (!ac->participant && registry_party(ac->party) == NULL)
						findings_report(r, ac->line, "unknown party \"%s\"", ac->party);
					snprintf(path, sizeof(path), "%s/xslt/mail/%s.xsl", datadir,
					    ac->template);
					if (templates && access(path, R_OK) != 0)
						findings_report(r, ac->line, "unknown mail template \"%s\" "
						    "(no xslt/mail/%s.xsl)", ac->template, ac->template);
					break;
				case WF_ACT_CALL:
					if (registry_action(ac->call) == NULL)
						findings_report(r, ac->line, "unknown action \"%s\"", ac->call);
					break;
				case WF_ACT_START_TIMER:
					if (wf_duration_parse(ac->after_text, &ac->after) == -1)
						findings_report(r, ac->line, "bad duration \"%s\": expected ISO 8601 "
						    "such as P6M or P5D", ac->after_text);
					break;
				case WF_ACT_SET:
					if (ac->input != NULL) {
						size_t k;
						for (k = 0; k < tr->ninputs; k++)
							if (strcmp(tr->inputs[k].name, ac->input) == 0)
								break;
						if (k == tr->ninputs)
							findings_report(r, ac->line, "unknown input \"%s\"", ac->input);
					}
					break;
				default:
					break;
				}
			}
		}
	}
}

static int
allows_system(const struct wf_transition *t)
{
	for (size_t i = 0; i < t->nallows; i++)
		if (t->allows[i].party != NULL && strcmp(t->allows[i].party, "system") == 0)
			return 1;
	return 0;
}

void
wf_choice_lint(struct findings *r, const struct wf_input *in, const char *what)
{
	if (in->type != WF_IN_CHOICE) {
		if (in->options_from != NULL)
			findings_report(r, in->line, "%s \"%s\" is not a choice: only a choice takes "
			    "options-from", what, in->name);
		return;
	}
	if (in->noptions > 0 && in->options_from != NULL)
		findings_report(r, in->line, "choice %s \"%s\" has both <option>s and options-from: "
		    "give one of them", what, in->name);
	else if (in->noptions == 0 && in->options_from == NULL)
		findings_report(r, in->line, "choice %s \"%s\" has no options", what, in->name);
	else if (in->options_from != NULL && registry_option_source(in->options_from) == NULL)
		findings_report(r, in->line, "unknown option source \"%s\" (imiflow lint --list "
		    "names them)", in->options_from);
}

static void
check_transitions(struct findings *r, struct wf_def *def)
{
	for (size_t s = 0; s < def->nstates; s++) {
		struct wf_state *st = &def->states[s];
		if (st->final && st->ntransitions > 0)
			findings_report(r, st->line, "final state \"%s\" has transitions", st->name);
		if (!st->final && st->ntransitions == 0)
			findings_report(r, st->line, "state \"%s\" has no way out: add a transition or mark it final",
			    st->name);
		for (size_t t = 0; t < st->ntransitions; t++) {
			struct wf_transition *tr = &st->transitions[t];
			for (size_t u = 0; u < t; u++)
				if (strcmp(st->transitions[u].event, tr->event) == 0)
					findings_report(r, tr->line, "event \"%s\" appears twice in state \"%s\" "
					    "(also line %d)", tr->event, st->name, st->transitions[u].line);
			if ((tr->to = wf_state(def, tr->to_name)) == NULL)
				findings_report(r, tr->line, "transition \"%s\" goes to unknown state \"%s\"",
				    tr->event, tr->to_name);
			if (tr->nallows == 0)
				findings_report(r, tr->line, "transition \"%s\" has no <allow>: nobody could fire it",
				    tr->event);
			for (size_t i = 0; i < tr->ninputs; i++) {
				for (size_t k = 0; k < i; k++)
					if (strcmp(tr->inputs[k].name, tr->inputs[i].name) == 0)
						findings_report(r, tr->inputs[i].line, "input \"%s\" appears twice "
						    "(also line %d)", tr->inputs[i].name, tr->inputs[k].line);
				/* A form field's own line says it once (caseform.c). */
				if (tr->inputs[i].field == NULL)
					wf_choice_lint(r, &tr->inputs[i], "input");
			}
		}
	}
}

/* 1 when some transition of def fires event; "start" names every instance's creation. */
static int
def_has_event(const struct wf_def *def, const char *event)
{
	if (strcmp(event, "start") == 0)
		return 1;
	for (size_t s = 0; s < def->nstates; s++)
		if (wf_transition(&def->states[s], event) != NULL)
			return 1;
	return 0;
}

/* A <not-by> naming an event nobody can fire would hold for everyone: a typo, not a rule. */
static void
check_not_by(struct findings *r, const struct wf_def *def)
{
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t t = 0; t < def->states[s].ntransitions; t++) {
			const struct wf_transition *tr = &def->states[s].transitions[t];
			for (size_t i = 0; i < tr->nnot_by; i++)
				if (!def_has_event(def, tr->not_by[i].event))
					findings_report(r, tr->not_by[i].line, "not-by names event \"%s\", "
					    "which no transition of this workflow has", tr->not_by[i].event);
		}
}

/* Timers and links refer to events of the state the transition leads to. */
static void
check_targets(struct findings *r, const struct wf_def *def)
{
	for (size_t s = 0; s < def->nstates; s++) {
		const struct wf_state *st = &def->states[s];
		for (size_t t = 0; t < st->ntransitions; t++) {
			const struct wf_transition *tr = &st->transitions[t];
			if (tr->to == NULL)
				continue;
			for (size_t i = 0; i < tr->nactions; i++) {
				const struct wf_action *ac = &tr->actions[i];
				const struct wf_transition *ev;
				if (ac->kind == WF_ACT_START_TIMER) {
					if ((ev = wf_transition(tr->to, ac->event)) == NULL)
						findings_report(r, ac->line, "timer \"%s\" fires event \"%s\", which "
						    "state \"%s\" does not have", ac->timer, ac->event,
						    tr->to->name);
					else if (!allows_system(ev))
						findings_report(r, ac->line, "timer \"%s\" fires event \"%s\", which "
						    "does not allow party system", ac->timer, ac->event);
				}
				if (ac->kind != WF_ACT_NOTIFY)
					continue;
				for (size_t k = 0; k < ac->nlinks; k++) {
					if ((ev = wf_transition(tr->to, ac->links[k])) == NULL) {
						findings_report(r, ac->line, "link \"%s\" is not an event of "
						    "state \"%s\"", ac->links[k], tr->to->name);
						continue;
					}
					/* The link's page posts no inputs: such a link could never fire. */
					for (size_t n = 0; n < ev->ninputs; n++)
						if (ev->inputs[n].required)
							findings_report(r, ac->line, "link \"%s\" needs the input "
							    "\"%s\", which a mail link cannot give", ac->links[k],
							    ev->inputs[n].name);
				}
			}
		}
	}
}

/*
 * ---- participants (one-to-many exchanges, participant_roles.h) ----
 * Also marks the allows and notifies whose party is one of def's roles
 * (wf_allow.participant, wf_action.participant), so check_names, which runs
 * after this, knows them from unknown parties.
 */

static const struct wf_participant_role *
role_of(const struct wf_def *def, const char *name)
{
	return participant_role_find(def->roles, def->nroles, name);
}

static void
check_role_state(struct findings *r, const struct wf_def *def, const char *role, const char *state,
    int line)
{
	const struct wf_participant_role *pr = role_of(def, role);

	if (pr != NULL && state != NULL && !participant_role_has_state(pr, state))
		findings_report(r, line, "participant role \"%s\" has no state \"%s\"", role, state);
}

static void
check_participant_action(struct findings *r, const struct wf_def *def,
    const struct wf_transition *tr, struct wf_action *ac)
{
	size_t k;

	if (ac->kind == WF_ACT_NOTIFY)
		ac->participant = role_of(def, ac->party) != NULL;
	if (ac->kind != WF_ACT_ADD_PARTICIPANTS && ac->kind != WF_ACT_PARTICIPANT_STATE &&
	    ac->kind != WF_ACT_REMOVE_PARTICIPANTS)
		return;
	if (role_of(def, ac->participant_role) == NULL) {
		findings_report(r, ac->line, "unknown participant role \"%s\": declare it in "
		    "<participants>", ac->participant_role);
		return;
	}
	if (ac->kind == WF_ACT_PARTICIPANT_STATE) {
		check_role_state(r, def, ac->participant_role, ac->to_state, ac->line);
		return;
	}
	/* remove-participants names the authorities themselves: no selector. */
	if (ac->kind == WF_ACT_ADD_PARTICIPANTS && registry_selector(ac->select) == NULL)
		findings_report(r, ac->line, "unknown selector \"%s\"", ac->select);
	if (ac->kind == WF_ACT_REMOVE_PARTICIPANTS && ac->values_input == NULL &&
	    ac->values_field == NULL)
		findings_report(r, ac->line, "remove-participants needs input or field: the "
		    "authorities whose rows go");
	if (ac->values_input == NULL)
		return;
	for (k = 0; k < tr->ninputs; k++)
		if (strcmp(tr->inputs[k].name, ac->values_input) == 0)
			break;
	if (k == tr->ninputs)
		findings_report(r, ac->line, "unknown input \"%s\"", ac->values_input);
}

static void
check_participant_transition(struct findings *r, const struct wf_def *def,
    const struct wf_state *st, struct wf_transition *tr)
{
	/* Firing on the instance as it is makes sense only where the state stays what it was. */
	if (tr->concurrent && strcmp(tr->to_name, st->name) != 0)
		findings_report(r, tr->line, "transition \"%s\" is concurrent=\"true\" but goes to "
		    "\"%s\": only a transition to its own state may be", tr->event, tr->to_name);
	for (size_t i = 0; i < tr->nallows; i++) {
		struct wf_allow *al = &tr->allows[i];
		al->participant = role_of(def, al->party) != NULL;
		if (al->in != NULL && !al->participant)
			findings_report(r, al->line, "in=\"%s\" needs a participant role as the party",
			    al->in);
		else if (al->in != NULL)
			check_role_state(r, def, al->party, al->in, al->line);
	}
	for (size_t i = 0; i < tr->nactions; i++)
		check_participant_action(r, def, tr, &tr->actions[i]);
}

static void
check_participants(struct findings *r, struct wf_def *def)
{
	if (def->seen_by != NULL && registry_seen_by(def->seen_by) == NULL)
		findings_report(r, def->line, "seen-by names \"%s\", which no domain registers as a "
		    "rule of who sees an instance", def->seen_by);
	for (size_t i = 0; i < def->nroles; i++) {
		const struct wf_participant_role *pr = &def->roles[i];
		for (size_t k = 0; k < i; k++)
			if (strcmp(def->roles[k].name, pr->name) == 0)
				findings_report(r, pr->line, "participant role \"%s\" is declared twice "
				    "(also line %d)", pr->name, def->roles[k].line);
		/* As a party of its definition it would hide the registered one, or be hidden. */
		if (registry_party(pr->name) != NULL)
			findings_report(r, pr->line, "participant role \"%s\" has the name of a "
			    "registered party: choose another", pr->name);
	}
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t t = 0; t < def->states[s].ntransitions; t++)
			check_participant_transition(r, def, &def->states[s],
			    &def->states[s].transitions[t]);
}

static void
check_reachable(struct findings *r, const struct wf_def *def)
{
	unsigned char *seen;
	size_t *queue, head = 0, tail = 0;

	if (def->initial == NULL)
		return;
	seen = calloc(def->nstates, 1);
	queue = calloc(def->nstates, sizeof(*queue));
	if (seen == NULL || queue == NULL)
		goto out;
	queue[tail++] = (size_t)(def->initial - def->states);
	seen[queue[0]] = 1;
	while (head < tail) {
		const struct wf_state *st = &def->states[queue[head++]];
		for (size_t t = 0; t < st->ntransitions; t++) {
			const struct wf_state *to = st->transitions[t].to;
			size_t k;
			if (to == NULL)
				continue;
			k = (size_t)(to - def->states);
			if (!seen[k]) {
				seen[k] = 1;
				queue[tail++] = k;
			}
		}
	}
	for (size_t s = 0; s < def->nstates; s++)
		if (!seen[s] && wf_state(def, def->states[s].name) == &def->states[s])
			findings_report(r, def->states[s].line, "state \"%s\" is not reachable from the initial "
			    "state", def->states[s].name);
out:
	free(seen);
	free(queue);
}

int
wf_link(struct wf_def *def, const char *datadir, wf_report_fn fn, void *arg)
{
	struct findings r;
	int ninitial = 0;

	findings_init(&r, def->file, fn, arg);
	def->initial = NULL;
	for (size_t s = 0; s < def->nstates; s++) {
		const struct wf_state *st = &def->states[s];
		for (size_t u = 0; u < s; u++)
			if (strcmp(def->states[u].name, st->name) == 0)
				findings_report(&r, st->line, "state \"%s\" is declared twice (also line %d)",
				    st->name, def->states[u].line);
		if (!st->initial)
			continue;
		ninitial++;
		if (def->initial != NULL)
			findings_report(&r, st->line, "more than one initial state (also \"%s\", line %d)",
			    def->initial->name, def->initial->line);
		else
			def->initial = st;
	}
	if (def->initial == NULL)
		findings_report(&r, def->line, "no initial state: mark one state initial=\"true\"");
	/* First: it tells check_names which parties are the definition's participant roles. */
	check_participants(&r, def);
	check_names(&r, def, datadir);
	check_transitions(&r, def);
	check_targets(&r, def);
	check_not_by(&r, def);
	for (size_t i = 0; i < nparts; i++)
		if (parts[i]->check != NULL)
			parts[i]->check(&r, def);
	/* With two initial states "reachable" has no meaning; that finding stands alone. */
	if (ninitial == 1)
		check_reachable(&r, def);
	return r.count;
}
