/*
 * xmlread.h — reading authored XML (the module catalogue, question sets):
 * recognising a file by its root element without building a tree, and the
 * small readers of elements, attributes and text that their parsers share.
 */
#ifndef IMIFLOW_XMLREAD_H
#define IMIFLOW_XMLREAD_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

struct arena;
struct findings;

/* 1 when the document's root element is named root (any namespace), 0 if not. */
int xmlread_root_is(const char *content, size_t len, const char *root);

/* A structured error handler that prints nothing: the caller reports. */
void xmlread_quiet(void *arg, xmlErrorPtr e);

/* libxml2's message without its trailing line break (otherwise when there is none). */
void xmlread_error_line(char *msg, size_t size, const xmlError *e, const char *otherwise);

/* 1 when n is the element name. */
int xmlread_is(xmlNodePtr n, const char *name);

/* The attribute's value in the arena; NULL when absent or out of memory. */
const char *xmlread_attr(struct arena *a, xmlNodePtr n, const char *name);

/* The element's text with white space folded to single spaces and trimmed; NULL: no memory. */
const char *xmlread_text(struct arena *a, xmlNodePtr n);

/*
 * Parses an authored document (at most max bytes; no network, no entities,
 * no DTD; libxml2's own messages silenced) whose root must be <root
 * xmlns="ns">, and validates it against the compiled-in SCHEMA.  Every
 * refusal is a finding in f.  The document (free with xmlFreeDoc), or NULL.
 */
xmlDocPtr xmlread_document(struct findings *f, const char *file, const char *content,
    size_t len, size_t max, const char *root, const char *ns, const char *datadir,
    const char *schema);

#endif
