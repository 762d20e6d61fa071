/*
 * questions.h — question sets (workflows/questions/MODULE.xml): the
 * pre-translated questions an information request of one request module may
 * ask, in groups, each question with a code, an answer type, whether its
 * answers are personal data (personal="true": retention blocks and deletes
 * them with the person concerned) and its label in every language of the
 * product (en, da, nl, ro); a choice also lists its options, labelled in
 * every language too.
 *
 * Parsed like the module catalogue (modules.h): validated against
 * datadir/workflows/questions.rng (structure), then checked for meaning (a
 * question or group code declared twice, a label missing or given twice in a
 * language, a choice without options or options on another type, an option
 * value listed twice in one question, and, when datadir/workflows/modules.xml
 * is readable, a module that is not a request module of that catalogue),
 * every finding reported as "file:line: message".  `imiflow lint` checks a
 * set; `imiflow deploy` checks it and stores it in question_sets and
 * questions (sql/007_questions.sql).  Format for authors: workflows/README.md.
 */
#ifndef IMIFLOW_QUESTIONS_H
#define IMIFLOW_QUESTIONS_H

#include <stddef.h>

struct arena;
struct db;

/* The languages every label is given in; their codes are the lang="…" of questions.rng. */
enum questions_lang { QUESTIONS_EN, QUESTIONS_DA, QUESTIONS_NL, QUESTIONS_RO,
	QUESTIONS_LANG__MAX };

/* The answer types; their names are the type="…" of questions.rng and the table's CHECK. */
enum questions_type { QUESTIONS_YESNO, QUESTIONS_TEXT, QUESTIONS_DATE, QUESTIONS_NUMBER,
	QUESTIONS_CHOICE, QUESTIONS_TYPE__MAX };

/*
 * An element's labels by enum questions_lang: white space collapsed as in
 * running text; NULL where the file gives none (only in a set that was
 * refused).  line: the label's line, 0 where there is none.
 */
struct questions_labels {
	const char *text[QUESTIONS_LANG__MAX];
	int line[QUESTIONS_LANG__MAX];
};

struct questions_option {
	const char *value;
	struct questions_labels labels;
	int line;
};

struct questions_group;

struct questions_question {
	const char *code;
	enum questions_type type;
	const struct questions_group *group;
	struct questions_labels labels;
	struct questions_option *options;   /* a choice's, in the file's order */
	size_t noptions;
	size_t position;          /* 1, 2, … over the whole file, in its order */
	int personal;             /* personal="true": its answers are personal data (retention) */
	int line;
};

struct questions_group {
	const char *code;
	struct questions_labels labels;
	struct questions_question *questions;
	size_t nquestions;
	int line;
};

struct questions_set {
	const char *file;         /* for messages */
	const char *module;       /* the request module the set belongs to */
	int line;                 /* of the root, where module="…" is */
	struct questions_group *groups;
	size_t ngroups;
	size_t nquestions;        /* over every group */
	struct arena *arena;      /* owns everything above */
};

/* Receives each finding; the default prints "file:line: message" to stderr. */
typedef void (*questions_report_fn)(void *arg, const char *file, int line, const char *msg);

/*
 * 1 when the document's root element is named questions (in any namespace,
 * so that a set that lacks its xmlns is told so in the set's terms), 0
 * otherwise, also when it is not XML at all.  Reads no further than the
 * root's start tag and prints nothing.
 */
int questions_is_set(const char *content, size_t len);

/*
 * Parses, validates and checks a question set held in memory (file names it
 * in messages).  NULL on any finding, each one reported.
 */
struct questions_set *questions_parse(const char *file, const char *content, size_t len,
    const char *datadir, questions_report_fn report, void *arg);
void questions_free(struct questions_set *set);

const char *questions_lang_name(enum questions_lang l);
const char *questions_type_name(enum questions_type t);

/*
 * The label in lang (a code such as "da"); the English one when lang is NULL,
 * unknown, or has none.  Works for groups, questions and options alike.
 */
const char *questions_label(const struct questions_labels *labels, const char *lang);

/* The question of that code in any group, or NULL. */
const struct questions_question *questions_find(const struct questions_set *set,
    const char *code);

/* As lint does: findings to stderr; their number (0 = usable), -1 out of memory. */
int questions_check(const char *path, const char *content, size_t len, const char *datadir);

/*
 * Stores the set inside the caller's transaction: its file in question_sets
 * and its questions in questions, replacing that module's questions when the
 * content changed.  The module must be a request module in the modules table
 * (deploy the catalogue first).  Findings go to stderr as with
 * questions_check().  The number of questions stored (0: the content was
 * unchanged, nothing written), or -1 (nothing may be committed then).
 */
int questions_store(struct db *db, struct arena *a, const char *path, const char *content,
    size_t len, const char *datadir);

#endif
