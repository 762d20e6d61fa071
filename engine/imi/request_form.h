/*
 * request_form.h — the fields of an information request's draft, as the form
 * of a new request and the draft's edit (its page and the action
 * edit-request) send them: the responder, the subject and context, the tick
 * that these name nobody (retention then keeps them), the person concerned,
 * the reply date and the chosen questions.  Read from a form's fields,
 * checked before any SQL sees them (dates that exist, lengths, one line, a
 * responder that may answer, questions of the module's set), written, and
 * put back into a page model with their errors.
 */
#ifndef IMIFLOW_REQUEST_FORM_H
#define IMIFLOW_REQUEST_FORM_H

#include <stddef.h>

#include <libxml/tree.h>

struct arena;
struct db;
struct form_errors;
struct http_field;

#define REQUEST_MAX_QUESTIONS 200

struct request_fields {
	const char *responder, *subject, *context, *no_personal_texts, *person_name,
	    *person_birth_date, *person_nationality, *person_registration, *reply_date;
	const char *questions[REQUEST_MAX_QUESTIONS];   /* codes, in the form's order */
	size_t nquestions;
	int too_many;
};

/* Never NULL: an absent field reads "". */
void request_fields_read(const struct http_field *f, size_t n, struct request_fields *rf);

/*
 * Adds the refusals to errs (field names as the form's): module is the
 * request's, authority_id the requester (which cannot be its responder).
 * 0; 1 when a question is none the module offers (or too many: no form we
 * drew sends that); -1 on error.
 */
int request_fields_check(struct db *db, struct arena *a, const char *module,
    long long authority_id, const struct request_fields *rf, struct form_errors *errs);

/* A new request of instance_id with its questions; its id, or -1. */
long long request_fields_insert(struct db *db, struct arena *a, long long instance_id,
    const char *module, long long authority_id, const struct request_fields *rf);

/* The draft of instance_id takes the fields and exactly the questions chosen.  0 or -1. */
int request_fields_update(struct db *db, struct arena *a, long long instance_id,
    const struct request_fields *rf);

/* <field name value [error]> under form for each field, as common.xsl's "field" reads them. */
void request_fields_model(xmlNodePtr form, const struct request_fields *rf,
    const struct form_errors *errs);

#endif
