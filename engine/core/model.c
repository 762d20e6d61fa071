/* model.c — see model.h. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>

#include "arena.h"

static void
free_doc(void *doc)
{
	xmlFreeDoc(doc);
}

xmlNodePtr
model_new(struct arena *a, const char *name)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	if ((doc = xmlNewDoc(BAD_CAST "1.0")) == NULL)
		return NULL;
	if (arena_defer(a, free_doc, doc) == -1) {
		xmlFreeDoc(doc);
		return NULL;
	}
	if ((root = xmlNewDocNode(doc, NULL, BAD_CAST name, NULL)) == NULL)
		return NULL;
	xmlDocSetRootElement(doc, root);
	return root;
}

xmlNodePtr
model_add(xmlNodePtr parent, const char *name, const char *text)
{
	if (parent == NULL)
		return NULL;
	return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
}

xmlNodePtr
model_addf(xmlNodePtr parent, const char *name, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(text))
		return NULL;
	return model_add(parent, name, text);
}

void
model_attr(xmlNodePtr node, const char *name, const char *value)
{
	if (node != NULL && value != NULL)
		xmlSetProp(node, BAD_CAST name, BAD_CAST value);
}

void
model_attrf(xmlNodePtr node, const char *name, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(text))
		model_attr(node, name, text);
}
