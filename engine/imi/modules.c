/*
 * modules.c — see modules.h.  Parse: well-formedness and the RelaxNG schema
 * (structure), then a walk that copies the tree into plain structs, every
 * module and keyword with its line, then the checks of meaning.  Store: one
 * upsert per module in the caller's transaction.
 */
#include "modules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "arena.h"
#include "findings.h"
#include "xmlread.h"
#include "pgarray.h"
#include "buf.h"
#include "db.h"

#define MODULES_NS "urn:imiflow:modules:1"
#define MAX_CATALOGUE_BYTES (1024 * 1024)

/* Two deployers of a catalogue at once would upsert the same rows in their own orders. */
static const struct db_query q_lock = { "modules_lock",
	"SELECT pg_advisory_xact_lock(hashtext('imiflow-deploy-modules'))", 0 };
/*
 * Rows that would not change are left alone (no dead tuple, and RETURNING
 * tells the deployer what changed).
 */
static const struct db_query q_upsert = { "modules_upsert",
	"INSERT INTO modules AS m (code, name, kind, legal_area, needs_coordinator, keywords, position,"
	"  horizontal)"
	" VALUES ($1, $2, $3, $4, $5::boolean, $6::text[], $7::integer, $8::boolean)"
	" ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
	"  legal_area = EXCLUDED.legal_area, needs_coordinator = EXCLUDED.needs_coordinator,"
	"  keywords = EXCLUDED.keywords, position = EXCLUDED.position,"
	"  horizontal = EXCLUDED.horizontal"
	" WHERE (m.name, m.kind, m.legal_area, m.needs_coordinator, m.keywords, m.position,"
	"  m.horizontal)"
	"  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.legal_area,"
	"  EXCLUDED.needs_coordinator, EXCLUDED.keywords, EXCLUDED.position, EXCLUDED.horizontal)"
	" RETURNING code", 8 };

int
modules_is_catalogue(const char *content, size_t len)
{
	return xmlread_root_is(content, len, "modules");
}

static int
build_module(struct arena *a, xmlNodePtr n, struct modules_module *m)
{
	const char *kind = xmlread_attr(a, n, "kind"), *coordinator = xmlread_attr(a, n, "linked-coordinator");
	const char *horizontal = xmlread_attr(a, n, "horizontal");
	size_t k = 0;

	m->code = xmlread_attr(a, n, "code");
	m->legal_area = xmlread_attr(a, n, "legal-area");
	m->line = (int)xmlGetLineNo(n);
	if (m->code == NULL || m->legal_area == NULL || kind == NULL || coordinator == NULL)
		return -1;
	m->needs_coordinator = strcmp(coordinator, "required") == 0;
	m->horizontal = horizontal != NULL && strcmp(horizontal, "true") == 0;
	/* modules.rng names the kinds; the table's CHECK holds them once more. */
	m->kind = kind;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		m->nkeywords += xmlread_is(c, "keyword");
	if (m->nkeywords > 0 &&
	    (m->keywords = arena_calloc(a, m->nkeywords, sizeof(*m->keywords))) == NULL)
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (xmlread_is(c, "name")) {
			m->name_line = (int)xmlGetLineNo(c);
			if ((m->name = xmlread_text(a, c)) == NULL)
				return -1;
		} else if (xmlread_is(c, "keyword")) {
			m->keywords[k].line = (int)xmlGetLineNo(c);
			if ((m->keywords[k++].text = xmlread_text(a, c)) == NULL)
				return -1;
		}
	}
	return 0;
}

static int
build(struct modules_catalogue *cat, xmlNodePtr root)
{
	size_t i = 0;

	for (xmlNodePtr n = root->children; n != NULL; n = n->next)
		cat->nmodules += xmlread_is(n, "module");
	if (cat->nmodules > 0 &&
	    (cat->modules = arena_calloc(cat->arena, cat->nmodules, sizeof(*cat->modules))) == NULL)
		return -1;
	for (xmlNodePtr n = root->children; n != NULL; n = n->next)
		if (xmlread_is(n, "module") && build_module(cat->arena, n, &cat->modules[i++]) == -1)
			return -1;
	return 0;
}

/* Meaning the schema cannot express: uniqueness, and no empty texts. */
static void
check(struct findings *r, const struct modules_catalogue *cat)
{
	for (size_t i = 0; i < cat->nmodules; i++) {
		const struct modules_module *m = &cat->modules[i];
		for (size_t u = 0; u < i; u++)
			if (strcmp(cat->modules[u].code, m->code) == 0) {
				findings_report(r, m->line, "module \"%s\" is declared twice (also line %d)",
				    m->code, cat->modules[u].line);
				break;
			}
		if (m->name[0] == '\0')
			findings_report(r, m->name_line, "module \"%s\" has an empty name", m->code);
		/* Granted by the system with the role authority: nobody would pick its coordinator. */
		if (m->horizontal && m->needs_coordinator)
			findings_report(r, m->line, "module \"%s\" is horizontal, so it cannot need a "
			    "linked coordinator (linked-coordinator=\"none\")", m->code);
		for (size_t k = 0; k < m->nkeywords; k++) {
			const struct modules_keyword *kw = &m->keywords[k];
			if (kw->text[0] == '\0') {
				findings_report(r, kw->line, "module \"%s\" has an empty keyword", m->code);
				continue;
			}
			for (size_t u = 0; u < k; u++)
				if (strcmp(m->keywords[u].text, kw->text) == 0) {
					findings_report(r, kw->line, "keyword \"%s\" appears twice in module \"%s\" "
					    "(also line %d)", kw->text, m->code, m->keywords[u].line);
					break;
				}
		}
	}
}

struct modules_catalogue *
modules_parse(const char *file, const char *content, size_t len, const char *datadir,
    modules_report_fn fn, void *arg)
{
	struct findings r;
	struct modules_catalogue *cat = NULL, *ok = NULL;
	struct arena *a = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;

	findings_init(&r, file, fn, arg);
	doc = xmlread_document(&r, file, content, len, MAX_CATALOGUE_BYTES, "modules",
	    MODULES_NS, datadir, "modules.rng");
	if (doc == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if ((a = arena_new()) == NULL || (cat = arena_alloc(a, sizeof(*cat))) == NULL)
		goto out;
	cat->arena = a;
	if ((cat->file = arena_strdup(a, file)) == NULL || build(cat, root) == -1)
		goto out;
	check(&r, cat);
	if (r.count == 0)
		ok = cat;
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
modules_free(struct modules_catalogue *cat)
{
	if (cat != NULL)
		arena_free(cat->arena);
}

int
modules_check(const char *path, const char *content, size_t len, const char *datadir)
{
	struct modules_catalogue *cat;
	int n = 0;

	cat = modules_parse(path, content, len, datadir, findings_count, &n);
	modules_free(cat);
	/* NULL without a finding cannot happen (parse reports running out of memory); be sure. */
	return cat == NULL && n == 0 ? -1 : n;
}

/* The keywords as a text[] literal for one parameter. */
static const char *
text_array(struct arena *a, const struct modules_keyword *v, size_t n)
{
	const char **texts;

	if ((texts = arena_calloc(a, n + 1, sizeof(*texts))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		texts[i] = v[i].text;
	return pg_text_array(a, texts, n);
}

int
modules_store(struct db *db, struct arena *a, const char *path, const char *content, size_t len,
    const char *datadir)
{
	struct modules_catalogue *cat;
	char position[24];
	PGresult *res;
	int changed = 0, rc = -1;

	if ((cat = modules_parse(path, content, len, datadir, NULL, NULL)) == NULL)
		goto out;
	if (db_exec(db, a, &q_lock, NULL) == NULL)
		goto out;
	for (size_t i = 0; i < cat->nmodules; i++) {
		const struct modules_module *m = &cat->modules[i];
		const char *keywords = text_array(a, m->keywords, m->nkeywords);
		if (keywords == NULL)
			goto out;
		/* position: the order of the file, which pages list modules in. */
		snprintf(position, sizeof(position), "%zu", i + 1);
		const char *params[8] = { m->code, m->name, m->kind, m->legal_area,
			m->needs_coordinator ? "true" : "false", keywords, position,
			m->horizontal ? "true" : "false" };
		if ((res = db_exec(db, a, &q_upsert, params)) == NULL)
			goto out;
		changed += PQntuples(res);
	}
	rc = changed;
out:
	modules_free(cat);
	return rc;
}
