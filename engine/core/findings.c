/* findings.c — see findings.h. */
#include "findings.h"

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

int
findings_validate(struct findings *f, xmlDocPtr doc, const char *datadir, const char *schema)
{
	const struct schema_blob *b;
	xmlRelaxNGParserCtxtPtr pctxt = NULL;
	xmlRelaxNGPtr rng = NULL;
	xmlRelaxNGValidCtxtPtr vctxt = NULL;
	int rc = -1;

	(void)datadir;
	if ((b = schema_find(schema)) == NULL) {
		findings_report(f, 0, "no schema %s is compiled in", schema);
		return -1;
	}
	if ((pctxt = xmlRelaxNGNewMemParserCtxt((const char *)b->text, (int)b->len)) == NULL ||
	    (rng = xmlRelaxNGParse(pctxt)) == NULL) {
		findings_report(f, 0, "the compiled-in schema %s does not load", schema);
		goto out;
	}
	if ((vctxt = xmlRelaxNGNewValidCtxt(rng)) == NULL)
		goto out;
	xmlRelaxNGSetValidStructuredErrors(vctxt, schema_error, f);
	rc = xmlRelaxNGValidateDoc(vctxt, doc) == 0 ? 0 : -1;
out:
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlRelaxNGFree(rng);
	xmlRelaxNGFreeParserCtxt(pctxt);
	return rc;
}
