/*
 * model.h — building the XML page model a handler hands to the renderer.
 * Text always goes in through libxml2's escaping setters: user data can never
 * become markup.  The document is freed with the arena.
 */
#ifndef IMIFLOW_MODEL_H
#define IMIFLOW_MODEL_H

#include <libxml/tree.h>

struct arena;

/* A new document whose root is <NAME>; NULL on allocation failure. */
xmlNodePtr model_new(struct arena *a, const char *name);

/* <name>text</name> under parent; text may be NULL for an empty element. */
xmlNodePtr model_add(xmlNodePtr parent, const char *name, const char *text);
xmlNodePtr model_addf(xmlNodePtr parent, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets an attribute; NULL value leaves it unset. */
void model_attr(xmlNodePtr node, const char *name, const char *value);
void model_attrf(xmlNodePtr node, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
