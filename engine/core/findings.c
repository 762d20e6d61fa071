/* findings.c — see findings.h. */
#include "findings.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/relaxng.h>

#include "schema.h"

void
findings_print(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

void
findings_count(void *arg, const char *file, int line, const char *msg)
{
	int *n = arg;

	findings_print(NULL, file, line, msg);
	(*n)++;
}

void
findings_init(struct findings *f, const char *file, findings_fn fn, void *arg)
{
	f->fn = fn != NULL ? fn : findings_print;
	f->arg = arg;
	f->file = file;
	f->count = 0;
}

void
findings_report(struct findings *f, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->fn(f->arg, f->file, line, msg);
	f->count++;
}

/* libxml2's structured errors carry the line: pass them on as schema findings. */
static void
schema_error(void *arg, xmlErrorPtr e)
{
	struct findings *f = arg;
	char msg[512];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "invalid");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* Some RelaxNG errors carry no line; the node they concern does. */
	findings_report(f, e->line > 0 ? e->line : e->node ? (int)xmlGetLineNo(e->node) : 0,
	    "schema: %s", msg);
}

/*
 * Compiled schemas, one per compiled-in blob, parsed on first use and kept for
 * the process: compiling a RelaxNG schema costs far more than validating a
 * definition against it (lint of many files, the engine's reloads, the fuzz
 * targets).  The lock covers the validation too: libxml2 does not promise that
 * one compiled schema may validate in two threads at once, and validation is
 * rare in serve (a deploy or a reload).
 */
static pthread_mutex_t compiled_lock = PTHREAD_MUTEX_INITIALIZER;
static int keep_schemas;

void
findings_keep_schemas(void)
{
	keep_schemas = 1;
}

static struct {
	const struct schema_blob *blob;
	xmlRelaxNGPtr rng;
} compiled[8];

static xmlRelaxNGPtr
compiled_schema(const struct schema_blob *b, int *kept)
{
	xmlRelaxNGParserCtxtPtr pctxt;
	xmlRelaxNGPtr rng = NULL;
	size_t i;

	/*
	 * Not kept across calls in the engine: libxml2's memory there comes from per-thread
	 * caches (xmlalloc.h) that end with their thread, and a schema compiled by one thread
	 * and used after it ended reads freed memory (test_toy_engine crashed so).  Only a
	 * process that asks findings_keep_schemas() (the fuzz targets: one thread) keeps them.
	 */
	*kept = 0;
	for (i = 0; keep_schemas && i < sizeof(compiled) / sizeof(compiled[0]) &&
	    compiled[i].blob != NULL; i++)
		if (compiled[i].blob == b) {
			*kept = 1;
			return compiled[i].rng;
		}
	if ((pctxt = xmlRelaxNGNewMemParserCtxt((const char *)b->text, (int)b->len)) == NULL)
		return NULL;
	rng = xmlRelaxNGParse(pctxt);
	xmlRelaxNGFreeParserCtxt(pctxt);
	if (keep_schemas && rng != NULL && i < sizeof(compiled) / sizeof(compiled[0])) {
		compiled[i].blob = b;
		compiled[i].rng = rng;
		*kept = 1;
	}
	return rng;
}

int
findings_validate(struct findings *f, xmlDocPtr doc, const char *datadir, const char *schema)
{
	const struct schema_blob *b;
	xmlRelaxNGPtr rng;
	xmlRelaxNGValidCtxtPtr vctxt = NULL;
	int rc = -1, kept = 1;

	(void)datadir;
	if ((b = schema_find(schema)) == NULL) {
		findings_report(f, 0, "no schema %s is compiled in", schema);
		return -1;
	}
	if (pthread_mutex_lock(&compiled_lock) != 0) {
		findings_report(f, 0, "the schema %s: lock failed", schema);
		return -1;
	}
	if ((rng = compiled_schema(b, &kept)) == NULL) {
		findings_report(f, 0, "the compiled-in schema %s does not load", schema);
		goto out;
	}
	if ((vctxt = xmlRelaxNGNewValidCtxt(rng)) == NULL)
		goto out;
	xmlRelaxNGSetValidStructuredErrors(vctxt, schema_error, f);
	rc = xmlRelaxNGValidateDoc(vctxt, doc) == 0 ? 0 : -1;
out:
	xmlRelaxNGFreeValidCtxt(vctxt);
	/* A schema that found no free slot in compiled[] (three exist, eight fit) is not kept. */
	if (!kept)
		xmlRelaxNGFree(rng);
	(void)pthread_mutex_unlock(&compiled_lock);
	return rc;
}
