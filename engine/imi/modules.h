/*
 * modules.h — the module catalogue (workflows/modules.xml): the modules
 * authorities can be given access to, with their kind, legal area, whether an
 * authority in them needs a linked coordinator, and their classification
 * keywords.
 *
 * Parsed like a definition: validated against datadir/workflows/modules.rng
 * (structure), then checked for meaning (a code declared twice, a keyword
 * listed twice in one module, an empty name or keyword), every finding
 * reported as "file:line: message".  `imiflow lint` checks a catalogue;
 * `imiflow deploy` checks it and upserts it into the modules table.
 * Format for authors: workflows/README.md.
 */
#ifndef IMIFLOW_MODULES_H
#define IMIFLOW_MODULES_H

#include <stddef.h>

struct arena;
struct db;

struct modules_keyword {
	const char *text;         /* white space collapsed, as in running text */
	int line;
};

struct modules_module {
	const char *code, *name, *legal_area;
	/*
	 * The kind of exchange (kind="…": modules.rng and the table's CHECK name
	 * them); data for the pages and checks, never a branch in C (a module is data).
	 */
	const char *kind;
	int needs_coordinator;    /* linked-coordinator="required" */
	int horizontal;           /* horizontal="true": every active authority has access */
	struct modules_keyword *keywords;
	size_t nkeywords;
	int line, name_line;
};

struct modules_catalogue {
	const char *file;         /* for messages */
	struct modules_module *modules;   /* in the file's order */
	size_t nmodules;
	struct arena *arena;      /* owns everything above */
};

/* Receives each finding; the default prints "file:line: message" to stderr. */
typedef void (*modules_report_fn)(void *arg, const char *file, int line, const char *msg);

/*
 * 1 when the document's root element is named modules (in any namespace, so
 * that a catalogue that lacks its xmlns is told so in the catalogue's terms),
 * 0 otherwise, also when it is not XML at all.  Reads no further than the
 * root's start tag and prints nothing.
 */
int modules_is_catalogue(const char *content, size_t len);

/*
 * Parses, validates and checks a catalogue held in memory (file names it in
 * messages).  NULL on any finding, each one reported.
 */
struct modules_catalogue *modules_parse(const char *file, const char *content, size_t len,
    const char *datadir, modules_report_fn report, void *arg);
void modules_free(struct modules_catalogue *cat);

/* As lint does: findings to stderr; their number (0 = usable), -1 out of memory. */
int modules_check(const char *path, const char *content, size_t len, const char *datadir);

/*
 * Adds or updates (by code) every module of the catalogue inside the caller's
 * transaction; modules absent from the file are kept, since accesses refer to
 * them.  Findings go to stderr as with modules_check().  The number of
 * modules added or changed (0: all were as the file says), or -1 (nothing
 * may be committed then).
 */
int modules_store(struct db *db, struct arena *a, const char *path, const char *content,
    size_t len, const char *datadir);

#endif
