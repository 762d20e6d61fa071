/*
 * defs.h — deployed definitions for running engines.  A (name, version) is
 * immutable once deployed, so a definition is parsed and linked once per
 * process on first use and kept; a newly deployed version is simply a key
 * not seen before, which is how running engines pick it up without a restart.
 */
#ifndef IMIFLOW_DEFS_H
#define IMIFLOW_DEFS_H

struct arena;
struct db;
struct wf_def;

/* version 0: the newest.  NULL when unknown (or not loadable; logged). */
const struct wf_def *defs_get(struct db *db, struct arena *a, const char *datadir,
    const char *name, int version);
void defs_free(void);

#endif
