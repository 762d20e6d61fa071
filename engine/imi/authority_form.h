/*
 * authority_form.h — the fields of an authority and of its first user, as
 * the register, self-register and edit forms send them: read from the
 * request, checked (required, lengths, country, type, e-mail, duplicates),
 * written to the database, and put back into a page model with their
 * errors so that a refused form comes back filled in.
 */
#ifndef IMIFLOW_AUTHORITY_FORM_H
#define IMIFLOW_AUTHORITY_FORM_H

#include <libxml/tree.h>

struct arena;
struct db;
struct http_req;

struct authority_fields {
	const char *official_name, *informal_title, *country, *address, *phone, *email, *website,
	    *authority_type;
};

struct first_user_fields {
	/* language "": the authority's country's (account.h) */
	const char *first_name, *last_name, *email, *language, *username;
};

#define FORM_MAX_ERRORS 24

struct form_errors {
	struct { const char *field, *rule; } e[FORM_MAX_ERRORS];
	size_t n;
	/* A duplicate's existing authority, to point at. */
	const char *dup_id, *dup_name, *dup_country;
};

void form_error(struct form_errors *errs, const char *field, const char *rule);

void authority_fields_read(const struct http_req *req, struct authority_fields *f);
void first_user_fields_read(const struct http_req *req, struct first_user_fields *u);

/* Adds the refusals to errs; exclude_id is the authority being edited (0: none).  0 or -1. */
int authority_fields_check(struct db *db, struct arena *a, const struct authority_fields *f,
    long long exclude_id, struct form_errors *errs);
/* exclude_user: the user being edited (0: a new one), whose own e-mail and username are free. */
int first_user_fields_check(struct db *db, struct arena *a, const struct first_user_fields *u,
    long long exclude_user, struct form_errors *errs);

/* Inserts the authority; returns its id or -1. */
long long authority_insert(struct db *db, struct arena *a, const struct authority_fields *f);

/*
 * Updates the authority with the fields that differ and records who changed
 * which in authority_updates.  *changed gets how many.  0 or -1.
 */
int authority_update(struct db *db, struct arena *a, long long authority_id,
    const struct authority_fields *f, long long user_id, long long user_authority_id,
    int *changed);

/* Records a line in the authority's history of updates (Management information). */
int authority_record(struct db *db, struct arena *a, long long authority_id, long long user_id,
    long long user_authority_id, const char *what, const char *fields_array);

/* <form name=..> with <field name value error/> children, and the duplicate if any. */
xmlNodePtr form_model(xmlNodePtr parent, const char *name, const struct form_errors *errs);
/* One <field name value error/> of a form that has more than these. */
void form_field(xmlNodePtr form, const char *name, const char *value,
    const struct form_errors *errs);
void authority_fields_model(xmlNodePtr form, const struct authority_fields *f,
    const struct form_errors *errs);
void first_user_fields_model(xmlNodePtr form, const struct first_user_fields *u,
    const struct form_errors *errs);

/* The countries, the authority types and the mail languages, as <choices> for the forms. */
int form_choices_model(struct db *db, struct arena *a, xmlNodePtr parent);

#endif
