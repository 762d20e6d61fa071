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
 * double-bordered), transitions as edges.  lang NULL names them by their codes
 * (`imiflow dot`, for authors); else by their labels in that language's
 * catalogue (the diagram page: issue 16, no internal code on a page).  counts
 * (NULL, or one per state in definition order, -1 for none) adds "(N)" under
 * each state.
 */
void wf_dot(const struct wf_def *def, const long long *counts, const char *lang,
    struct buf *out);

#endif
