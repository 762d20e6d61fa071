/*
 * questions.c — see questions.h.  Parse: well-formedness and the RelaxNG
 * schema (structure), then a walk that copies the tree into plain structs,
 * every group, question, option and label with its line (the labels' own
 * checks happen there, where every label of an element is at hand), then
 * the checks of meaning.  Store: the file and one row per question in the
 * caller's transaction, labels and options as jsonb.
 */
#include "questions.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sodium.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "file.h"
#include "findings.h"
#include "xmlread.h"
#include "modules.h"

#define QUESTIONS_NS "urn:imiflow:questions:1"
#define MAX_SET_BYTES (1024 * 1024)
#define MAX_CATALOGUE_BYTES (1024 * 1024)

/* Two deployers of one module's set at once would replace the same rows. */
static const struct db_query q_lock = { "questions_lock",
	"SELECT pg_advisory_xact_lock(hashtext('imiflow-deploy-questions:' || $1))", 1 };
static const struct db_query q_module = { "questions_module",
	"SELECT kind FROM modules WHERE code = $1", 1 };
/* No row back: the stored content is this one already, and nothing else is written. */
static const struct db_query q_set = { "questions_set",
	"INSERT INTO question_sets AS s (module, content, sha256) VALUES ($1, $2, $3)"
	" ON CONFLICT (module) DO UPDATE SET content = EXCLUDED.content, sha256 = EXCLUDED.sha256,"
	"  deployed_at = now() WHERE s.sha256 IS DISTINCT FROM EXCLUDED.sha256"
	" RETURNING module", 3 };
/* Every question retires; those in the file come back with the file's text (sql/011). */
static const struct db_query q_clear = { "questions_clear",
	"UPDATE questions SET retired = true WHERE module = $1", 1 };
static const struct db_query q_insert = { "questions_insert",
	"INSERT INTO questions (module, code, group_code, position, type, labels, options, personal)"
	" VALUES ($1, $2, $3, $4::integer, $5, $6::jsonb, $7::jsonb, $8::boolean)"
	" ON CONFLICT (module, code) DO UPDATE SET group_code = EXCLUDED.group_code,"
	"  position = EXCLUDED.position, type = EXCLUDED.type, labels = EXCLUDED.labels,"
	"  options = EXCLUDED.options, personal = EXCLUDED.personal, retired = false", 8 };

/* Indexed by enum questions_lang: lang="…" in questions.rng, keys of the labels column. */
static const char *const langs[QUESTIONS_LANG__MAX] = { "en", "da", "nl", "ro" };

/* Indexed by enum questions_type: type="…" in questions.rng and the table's CHECK. */
static const char *const types[QUESTIONS_TYPE__MAX] = {
	"yesno", "text", "date", "number", "choice"
};

const char *
questions_lang_name(enum questions_lang l)
{
	return l < QUESTIONS_LANG__MAX ? langs[l] : "?";
}

const char *
questions_type_name(enum questions_type t)
{
	return t < QUESTIONS_TYPE__MAX ? types[t] : "?";
}

const char *
questions_label(const struct questions_labels *labels, const char *lang)
{
	for (int i = 0; lang != NULL && i < QUESTIONS_LANG__MAX; i++)
		if (strcmp(lang, langs[i]) == 0 && labels->text[i] != NULL && labels->text[i][0] != '\0')
			return labels->text[i];
	return labels->text[QUESTIONS_EN];
}

const struct questions_question *
questions_find(const struct questions_set *set, const char *code)
{
	for (size_t g = 0; g < set->ngroups; g++)
		for (size_t q = 0; q < set->groups[g].nquestions; q++)
			if (strcmp(set->groups[g].questions[q].code, code) == 0)
				return &set->groups[g].questions[q];
	return NULL;
}

int
questions_is_set(const char *content, size_t len)
{
	return xmlread_root_is(content, len, "questions");
}

static int
build_labels(struct findings *r, struct arena *a, xmlNodePtr n, struct questions_labels *l,
    const char *what, int line)
{
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		const char *lang, *t;
		int i, at;
		if (!xmlread_is(c, "label"))
			continue;
		at = (int)xmlGetLineNo(c);
		if ((lang = xmlread_attr(a, c, "lang")) == NULL || (t = xmlread_text(a, c)) == NULL)
			return -1;
		for (i = 0; i < QUESTIONS_LANG__MAX; i++)
			if (strcmp(lang, langs[i]) == 0)
				break;
		/* Only when questions.rng and langs[] disagree. */
		if (i == QUESTIONS_LANG__MAX) {
			findings_report(r, at, "%s has a label in unknown language \"%s\"", what, lang);
			continue;
		}
		if (l->text[i] != NULL) {
			findings_report(r, at, "%s has two labels in \"%s\" (also line %d)", what, lang,
			    l->line[i]);
			continue;
		}
		l->text[i] = t;
		l->line[i] = at;
		if (t[0] == '\0')
			findings_report(r, at, "%s has an empty label in \"%s\"", what, lang);
	}
	for (int i = 0; i < QUESTIONS_LANG__MAX; i++)
		if (l->text[i] == NULL)
			findings_report(r, line, "%s has no label in \"%s\"", what, langs[i]);
	return 0;
}

static int
build_question(struct findings *r, struct arena *a, xmlNodePtr n, struct questions_question *q)
{
	const char *type = xmlread_attr(a, n, "type"), *what, *personal;
	size_t k = 0;

	q->code = xmlread_attr(a, n, "code");
	q->line = (int)xmlGetLineNo(n);
	if (q->code == NULL || type == NULL)
		return -1;
	/* The schema allows only "true" and "false"; absent is false. */
	personal = xmlread_attr(a, n, "personal");
	q->personal = personal != NULL && strcmp(personal, "true") == 0;
	q->type = QUESTIONS_TYPE__MAX;
	for (int i = 0; i < QUESTIONS_TYPE__MAX; i++)
		if (strcmp(type, types[i]) == 0)
			q->type = (enum questions_type)i;
	if (q->type == QUESTIONS_TYPE__MAX)
		findings_report(r, q->line, "question \"%s\" has unknown type \"%s\"", q->code, type);
	if ((what = arena_printf(a, "question \"%s\"", q->code)) == NULL ||
	    build_labels(r, a, n, &q->labels, what, q->line) == -1)
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		q->noptions += xmlread_is(c, "option");
	if (q->noptions > 0 &&
	    (q->options = arena_calloc(a, q->noptions, sizeof(*q->options))) == NULL)
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		struct questions_option *o;
		/* Only for an option: q->options is NULL when there is none (NULL + 0 is UB). */
		if (!xmlread_is(c, "option"))
			continue;
		o = &q->options[k++];
		o->line = (int)xmlGetLineNo(c);
		if ((o->value = xmlread_attr(a, c, "value")) == NULL || (what = arena_printf(a,
		    "option \"%s\" of question \"%s\"", o->value, q->code)) == NULL ||
		    build_labels(r, a, c, &o->labels, what, o->line) == -1)
			return -1;
	}
	return 0;
}

static int
build_group(struct findings *r, struct questions_set *set, xmlNodePtr n, struct questions_group *g)
{
	struct arena *a = set->arena;
	const char *what;
	size_t k = 0;

	g->code = xmlread_attr(a, n, "code");
	g->line = (int)xmlGetLineNo(n);
	if (g->code == NULL || (what = arena_printf(a, "group \"%s\"", g->code)) == NULL ||
	    build_labels(r, a, n, &g->labels, what, g->line) == -1)
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		g->nquestions += xmlread_is(c, "question");
	if (g->nquestions > 0 &&
	    (g->questions = arena_calloc(a, g->nquestions, sizeof(*g->questions))) == NULL)
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		struct questions_question *q = &g->questions[k];
		if (!xmlread_is(c, "question"))
			continue;
		k++;
		q->group = g;
		q->position = ++set->nquestions;
		if (build_question(r, a, c, q) == -1)
			return -1;
	}
	return 0;
}

static int
build(struct findings *r, struct questions_set *set, xmlNodePtr root)
{
	size_t i = 0;

	set->line = (int)xmlGetLineNo(root);
	if ((set->module = xmlread_attr(set->arena, root, "module")) == NULL)
		return -1;
	for (xmlNodePtr n = root->children; n != NULL; n = n->next)
		set->ngroups += xmlread_is(n, "group");
	if (set->ngroups > 0 &&
	    (set->groups = arena_calloc(set->arena, set->ngroups, sizeof(*set->groups))) == NULL)
		return -1;
	for (xmlNodePtr n = root->children; n != NULL; n = n->next)
		if (xmlread_is(n, "group") && build_group(r, set, n, &set->groups[i++]) == -1)
			return -1;
	return 0;
}

/* The question declared first with q's code, when it is not q itself. */
static const struct questions_question *
earlier(const struct questions_set *set, const struct questions_question *q)
{
	const struct questions_question *first = questions_find(set, q->code);

	return first != q ? first : NULL;
}

/* Meaning the schema cannot express: uniqueness, and options exactly on choices. */
static void
check(struct findings *r, const struct questions_set *set)
{
	for (size_t i = 0; i < set->ngroups; i++) {
		const struct questions_group *g = &set->groups[i];
		for (size_t u = 0; u < i; u++)
			if (strcmp(set->groups[u].code, g->code) == 0) {
				findings_report(r, g->line, "group \"%s\" is declared twice (also line %d)",
				    g->code, set->groups[u].line);
				break;
			}
		for (size_t k = 0; k < g->nquestions; k++) {
			const struct questions_question *q = &g->questions[k], *first;
			if ((first = earlier(set, q)) != NULL)
				findings_report(r, q->line, "question \"%s\" is declared twice (also line %d)",
				    q->code, first->line);
			if (q->type == QUESTIONS_CHOICE && q->noptions == 0)
				findings_report(r, q->line, "question \"%s\" is a choice without options",
				    q->code);
			if (q->type != QUESTIONS_CHOICE && q->noptions > 0)
				findings_report(r, q->line, "question \"%s\" of type \"%s\" has options "
				    "(only a choice has)", q->code, questions_type_name(q->type));
			for (size_t o = 0; o < q->noptions; o++)
				for (size_t u = 0; u < o; u++)
					if (strcmp(q->options[u].value, q->options[o].value) == 0) {
						findings_report(r, q->options[o].line, "option \"%s\" appears twice "
						    "in question \"%s\" (also line %d)", q->options[o].value, q->code,
						    q->options[u].line);
						break;
					}
		}
	}
}

static void
count_quietly(void *arg, const char *file, int line, const char *msg)
{
	int *n = arg;

	(void)file;
	(void)line;
	(void)msg;
	(*n)++;
}

/*
 * The set's module must be a request module of datadir's catalogue, when
 * there is one to read (a datadir without it checks sets without it; deploy
 * still needs the module in the database).  -1 out of memory.
 */
static int
check_module(struct findings *r, const struct questions_set *set, const char *datadir)
{
	struct modules_catalogue *cat;
	const struct modules_module *m = NULL;
	struct arena *a;
	const char *path;
	char *text;
	size_t len;
	int n = 0, rc = -1;

	if ((a = arena_new()) == NULL)
		return -1;
	if ((path = arena_printf(a, "%s/workflows/modules.xml", datadir)) == NULL)
		goto out;
	if ((text = file_read(a, path, MAX_CATALOGUE_BYTES, &len)) == NULL) {
		rc = errno == ENOMEM ? -1 : 0;
		goto out;
	}
	if ((cat = modules_parse(path, text, len, datadir, count_quietly, &n)) == NULL) {
		if (n > 0)
			findings_report(r, set->line, "cannot check module \"%s\": the module catalogue "
			    "%s has findings (lint it)", set->module, path);
		rc = n > 0 ? 0 : -1;
		goto out;
	}
	for (size_t i = 0; i < cat->nmodules && m == NULL; i++)
		if (strcmp(cat->modules[i].code, set->module) == 0)
			m = &cat->modules[i];
	if (m == NULL)
		findings_report(r, set->line, "module \"%s\" is not in the module catalogue %s",
		    set->module, path);
	else if (strcmp(m->kind, "request") != 0)
		findings_report(r, set->line, "module \"%s\" is of kind \"%s\", not a request module",
		    set->module, m->kind);
	modules_free(cat);
	rc = 0;
out:
	arena_free(a);
	return rc;
}

struct questions_set *
questions_parse(const char *file, const char *content, size_t len, const char *datadir,
    questions_report_fn fn, void *arg)
{
	struct findings r;
	struct questions_set *set = NULL, *ok = NULL;
	struct arena *a = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;

	findings_init(&r, file, fn, arg);
	doc = xmlread_document(&r, file, content, len, MAX_SET_BYTES, "questions",
	    QUESTIONS_NS, datadir, "questions.rng");
	if (doc == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if ((a = arena_new()) == NULL || (set = arena_alloc(a, sizeof(*set))) == NULL)
		goto out;
	set->arena = a;
	if ((set->file = arena_strdup(a, file)) == NULL || build(&r, set, root) == -1)
		goto out;
	check(&r, set);
	if (check_module(&r, set, datadir) == -1)
		goto out;
	if (r.count == 0)
		ok = set;
out:
	if (ok == NULL) {
		/* Every failure above reported itself but running out of memory. */
		if (r.count == 0)
			findings_report(&r, 0, "out of memory");
		arena_free(a);
	}
	xmlFreeDoc(doc);
	return ok;
}

void
questions_free(struct questions_set *set)
{
	if (set != NULL)
		arena_free(set->arena);
}

int
questions_check(const char *path, const char *content, size_t len, const char *datadir)
{
	struct questions_set *set;
	int n = 0;

	set = questions_parse(path, content, len, datadir, findings_count, &n);
	questions_free(set);
	/* NULL without a finding cannot happen (parse reports running out of memory); be sure. */
	return set == NULL && n == 0 ? -1 : n;
}

/*
 * A JSON string: '"', '\' and control characters escaped, everything else
 * (UTF-8, which libxml2 made sure of) as it is.
 */
static void
json_string(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}

/* {"en":"…","da":"…",…} */
static void
json_labels(struct buf *b, const struct questions_labels *l)
{
	buf_puts(b, "{");
	for (int i = 0; i < QUESTIONS_LANG__MAX; i++) {
		buf_puts(b, i ? "," : "");
		json_string(b, langs[i]);
		buf_puts(b, ":");
		json_string(b, l->text[i]);
	}
	buf_puts(b, "}");
}

/* The question's labels and its options ([{"value":…,"labels":{…}}, …]) as two jsonb texts. */
static int
json_question(struct arena *a, const struct questions_question *q, const char **labels,
    const char **options)
{
	struct buf b;

	buf_init(&b);
	json_labels(&b, &q->labels);
	*labels = buf_ok(&b) ? arena_strdup(a, b.data) : NULL;
	buf_release(&b);
	buf_init(&b);
	buf_puts(&b, "[");
	for (size_t o = 0; o < q->noptions; o++) {
		buf_puts(&b, o ? ",{\"value\":" : "{\"value\":");
		json_string(&b, q->options[o].value);
		buf_puts(&b, ",\"labels\":");
		json_labels(&b, &q->options[o].labels);
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]");
	*options = buf_ok(&b) ? arena_strdup(a, b.data) : NULL;
	buf_release(&b);
	return *labels != NULL && *options != NULL ? 0 : -1;
}

int
questions_store(struct db *db, struct arena *a, const char *path, const char *content, size_t len,
    const char *datadir)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char sha[crypto_hash_sha256_BYTES * 2 + 1], position[24];
	const char *params[8];
	struct questions_set *set;
	PGresult *res;
	int rc = -1;

	if ((set = questions_parse(path, content, len, datadir, NULL, NULL)) == NULL)
		goto out;
	params[0] = set->module;
	if (db_exec(db, a, &q_lock, params) == NULL ||
	    (res = db_exec(db, a, &q_module, params)) == NULL)
		goto out;
	/* The catalogue checked above is the datadir's; the one in service is the table. */
	if (PQntuples(res) == 0 || strcmp(db_value(res, 0, 0), "request") != 0) {
		char msg[256];
		snprintf(msg, sizeof(msg), PQntuples(res) == 0 ? "module \"%s\" is not in the database "
		    "(deploy the module catalogue first)" : "module \"%s\" is not a request module in "
		    "the database", set->module);
		findings_print(NULL, path, set->line, msg);
		goto out;
	}
	crypto_hash_sha256(h, (const unsigned char *)content, len);
	sodium_bin2hex(sha, sizeof(sha), h, sizeof(h));
	params[1] = content;
	params[2] = sha;
	if ((res = db_exec(db, a, &q_set, params)) == NULL)
		goto out;
	if (PQntuples(res) == 0) {
		rc = 0;
		goto out;
	}
	/*
	 * The content changed: the module's questions become the file's.  One
	 * removed from the file stays, retired, so requests that asked it keep
	 * its label and type; new drafts no longer offer it.
	 */
	if (db_exec(db, a, &q_clear, params) == NULL)
		goto out;
	for (size_t g = 0; g < set->ngroups; g++)
		for (size_t k = 0; k < set->groups[g].nquestions; k++) {
			const struct questions_question *q = &set->groups[g].questions[k];
			const char *labels, *options;
			if (json_question(a, q, &labels, &options) == -1)
				goto out;
			snprintf(position, sizeof(position), "%zu", q->position);
			params[1] = q->code;
			params[2] = set->groups[g].code;
			params[3] = position;
			params[4] = questions_type_name(q->type);
			params[5] = labels;
			params[6] = options;
			params[7] = q->personal ? "true" : "false";
			if (db_exec(db, a, &q_insert, params) == NULL)
				goto out;
		}
	rc = (int)set->nquestions;
out:
	questions_free(set);
	return rc;
}
