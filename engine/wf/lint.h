/*
 * lint.h — `imiflow lint FILE…` (schema and meaning, "file:line: message",
 * exit 1 on any finding) and `imiflow dot FILE` (a Graphviz diagram).
 */
#ifndef IMIFLOW_LINT_H
#define IMIFLOW_LINT_H

struct buf;
struct wf_def;

int lint_main(int argc, char **argv);
int dot_main(int argc, char **argv);

/*
 * Writes def as a Graphviz digraph: states as nodes (initial bold, final
 * double-bordered), transitions as edges labelled with their events.  counts
 * (NULL, or one per state in definition order, -1 for none) adds
 * "(N instances)" under each state's name.
 */
void wf_dot(const struct wf_def *def, const long long *counts, struct buf *out);

#endif
