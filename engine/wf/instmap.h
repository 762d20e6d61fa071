/*
 * instmap.h — a mapping of states for moving running instances from one
 * deployed version of a definition to another (`imiflow migrate-instances`,
 * workflows/instance-map.rng): which state of the old version each
 * instance goes to in the new one.  Read and checked alone (the schema, no
 * state mapped twice) for lint; checked against the two versions by the
 * migration, every finding "file:line: message" like lint's.
 */
#ifndef IMIFLOW_INSTMAP_H
#define IMIFLOW_INSTMAP_H

#include <stddef.h>

#include "findings.h"

struct arena;
struct wf_def;

struct instmap_entry {
	const char *from, *to;
	int line;
};

struct instmap {
	const char *file, *workflow;
	int line;                       /* of <instance-map>, for what concerns the whole file */
	struct instmap_entry *maps;
	size_t nmaps;
};

/* 1 when content is a mapping (root element <instance-map>), else 0: lint's test. */
int instmap_is(const char *content, size_t len);

/*
 * Reads and checks the mapping at path alone: readable, well-formed, the
 * schema, no state mapped twice.  Each finding goes to f.  The mapping (in
 * a), or NULL when there was any finding.
 */
struct instmap *instmap_read(struct arena *a, struct findings *f, const char *path);

/*
 * Checks m against the deployed versions of its definition: its workflow
 * is name, every "from" a state of old, every "to" a state of new.  The
 * number of findings (each one in f).
 */
int instmap_check(struct findings *f, const struct instmap *m, const char *name,
    const struct wf_def *old, const struct wf_def *new);

/* The entry of the old state from, or NULL when it is not mapped. */
const struct instmap_entry *instmap_find(const struct instmap *m, const char *from);

/* lint: checks the file alone; its number of findings (printed "file:line: message"). */
int instmap_lint(const char *path);

#endif
