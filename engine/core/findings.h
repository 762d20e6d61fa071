/*
 * findings.h — the "file:line: message" findings of checking authored XML
 * (workflow definitions, the module catalogue), and its validation against
 * a RelaxNG schema compiled into the binary.  A finding goes to the caller's function,
 * or to stderr.
 */
#ifndef IMIFLOW_FINDINGS_H
#define IMIFLOW_FINDINGS_H

#include <libxml/tree.h>

typedef void (*findings_fn)(void *arg, const char *file, int line, const char *msg);

struct findings {
	findings_fn fn;
	void *arg;
	const char *file;
	int count;
};

/* fn NULL prints "file:line: message" on stderr. */
void findings_init(struct findings *f, const char *file, findings_fn fn, void *arg);

void findings_report(struct findings *f, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints one finding on stderr (the default findings_fn). */
void findings_print(void *arg, const char *file, int line, const char *msg);
/* The same, and counts it in the int arg points to (for the checks that return a count). */
void findings_count(void *arg, const char *file, int line, const char *msg);

/*
 * Validates doc against the RelaxNG schema SCHEMA ("workflow.rng", a file
 * name of workflows/), the copy compiled into the binary (schema.h), so no
 * datadir is read for it; datadir is ignored (kept for the callers that pass
 * theirs on).  Each violation is a finding "schema: ..." at its line.  0
 * valid; -1 invalid, or no such schema (a finding too).
 */
/*
 * Keep each compiled schema for the life of the process (a single-threaded tool such as a
 * fuzz target: in the engine, libxml2's memory belongs to per-thread caches).
 */
void findings_keep_schemas(void);

int findings_validate(struct findings *f, xmlDocPtr doc, const char *datadir, const char *schema);

#endif
