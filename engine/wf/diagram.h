/*
 * diagram.h — a definition drawn as SVG by Graphviz (`dot -Tsvg`, run as a
 * child process with the diagram on its stdin), returned as an XML node to
 * put into a page model.  The input is our own dot text, never user data.
 */
#ifndef IMIFLOW_DIAGRAM_H
#define IMIFLOW_DIAGRAM_H

#include <libxml/tree.h>

struct buf;

/* Parses dot's SVG for dot_text and copies its root under parent. 0 or -1 (logged). */
int diagram_svg(const struct buf *dot_text, xmlNodePtr parent);

#endif
