/* xmlread.c — see xmlread.h. */
#include "xmlread.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "arena.h"
#include "findings.h"

/* Errors we report ourselves (or leave to the caller): libxml2 is not to print them. */
void
xmlread_quiet(void *arg, xmlErrorPtr e)
{
	(void)arg;
	(void)e;
}

struct sniff {
	xmlParserCtxtPtr ctxt;
	const char *root;
	int found;
};

/* The first start tag is the root's: note its name, and read no further. */
static void
root_seen(void *arg, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
    int nnamespaces, const xmlChar **namespaces, int nattributes, int ndefaulted,
    const xmlChar **attributes)
{
	struct sniff *s = arg;

	(void)prefix;
	(void)uri;
	(void)nnamespaces;
	(void)namespaces;
	(void)nattributes;
	(void)ndefaulted;
	(void)attributes;
	s->found = xmlStrEqual(localname, BAD_CAST s->root);
	xmlStopParser(s->ctxt);
}

int
xmlread_root_is(const char *content, size_t len, const char *root)
{
	xmlSAXHandler sax;
	struct sniff s = { NULL, root, 0 };

	if (len > INT_MAX)
		return 0;
	/*
	 * SAX with one callback: no tree is built, and the answer comes at the
	 * root's start tag, so a file broken further down is still recognised (and
	 * gets its own findings).  Errors are the caller's to report.
	 */
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = root_seen;
	sax.serror = xmlread_quiet;
	if ((s.ctxt = xmlCreatePushParserCtxt(&sax, &s, NULL, 0, NULL)) == NULL)
		return 0;
	/* As careful as the real parse: no network, no entities, no DTD. */
	if (xmlCtxtUseOptions(s.ctxt, XML_PARSE_NONET) == 0)
		(void)xmlParseChunk(s.ctxt, content, (int)len, 1);
	xmlFreeParserCtxt(s.ctxt);
	return s.found;
}

/* libxml2's message without the line break it ends with: a finding is one line. */
void
xmlread_error_line(char *msg, size_t size, const xmlError *e, const char *otherwise)
{
	size_t n;

	snprintf(msg, size, "%s", e != NULL && e->message != NULL ? e->message : otherwise);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
}

int
xmlread_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

/* The schema made every attribute we read present, so NULL means out of memory. */
const char *
xmlread_attr(struct arena *a, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s;

	if (v == NULL)
		return NULL;
	s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

/*
 * The element's text with runs of white space made one space and none at
 * either end, as in running text: authors may wrap a long name or label over
 * lines, and a keyword is matched exactly later on (page_access.c).  NULL
 * when out of memory.
 */
const char *
xmlread_text(struct arena *a, xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *out = NULL, *o;
	int gap = 0;

	if (t == NULL)
		return n->children == NULL ? arena_strdup(a, "") : NULL;
	if ((out = arena_alloc(a, (size_t)xmlStrlen(t) + 1)) == NULL)
		goto out;
	o = out;
	for (const xmlChar *p = t; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			gap = o != out;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = 0;
		*o++ = (char)*p;
	}
	*o = '\0';
out:
	xmlFree(t);
	return out;
}

xmlDocPtr
xmlread_document(struct findings *f, const char *file, const char *content, size_t len,
    size_t max, const char *root, const char *ns, const char *datadir, const char *schema)
{
	xmlParserCtxtPtr pctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr top;
	char msg[512];

	if (len > max || len > INT_MAX) {
		findings_report(f, 0, "larger than %zu bytes", max);
		return NULL;
	}
	if ((pctxt = xmlNewParserCtxt()) == NULL)
		return NULL;
	/*
	 * libxml2 would print its own error (three lines) beside ours: on this
	 * context it keeps quiet, and its last error comes back below as one
	 * finding with the line, like every other.
	 */
	pctxt->sax->serror = xmlread_quiet;
	doc = xmlCtxtReadMemory(pctxt, content, (int)len, file, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (doc == NULL) {
		xmlErrorPtr e = xmlCtxtGetLastError(pctxt);
		xmlread_error_line(msg, sizeof(msg), e, "");
		findings_report(f, e ? e->line : 0, "not well-formed XML: %s", msg);
		goto out;
	}
	top = xmlDocGetRootElement(doc);
	if (top == NULL || !xmlStrEqual(top->name, BAD_CAST root) || top->ns == NULL ||
	    !xmlStrEqual(top->ns->href, BAD_CAST ns)) {
		findings_report(f, top ? (int)xmlGetLineNo(top) : 1,
		    "schema: the root element must be <%s xmlns=\"%s\">", root, ns);
		goto fail;
	}
	if (findings_validate(f, doc, datadir, schema) == -1)
		goto fail;
	goto out;
fail:
	xmlFreeDoc(doc);
	doc = NULL;
out:
	xmlFreeParserCtxt(pctxt);
	return doc;
}
