/* request_form.c — see request_form.h. */
#include "request_form.h"

#include <string.h>

#include "arena.h"
#include "authority_form.h"
#include "date.h"
#include "db.h"
#include "http.h"
#include "model.h"
#include "textcheck.h"

/* In characters, as the CHECKs of sql/008_requests.sql count them. */
#define SUBJECT_MAX 300
#define CONTEXT_MAX 10000
#define NAME_MAX_CHARS 300
#define REGISTRATION_MAX 100

/* Who can be asked: active authorities with an active access to the module, but oneself. */
static const struct db_query q_responder = { "request_form_responder",
	"SELECT EXISTS (SELECT 1 FROM authorities a WHERE a.id::text = $3 AND a.id <> $2"
	"   AND module_access_active(a.id, $1))", 3 };
static const struct db_query q_country = { "request_form_country",
	"SELECT EXISTS (SELECT 1 FROM countries WHERE code = $1)", 1 };
static const struct db_query q_question = { "request_form_question",
	"SELECT EXISTS (SELECT 1 FROM questions q WHERE q.module = $1 AND q.code = $2"
	"   AND NOT q.retired)", 2 };
static const struct db_query q_insert = { "request_form_insert",
	"INSERT INTO requests (instance_id, module, requester_id, responder_id, subject, context,"
	"   person_name, person_birth_date, person_nationality, person_registration, reply_date,"
	"   no_personal_texts)"
	" VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), nullif($8, '')::date,"
	"   nullif($9, ''), nullif($10, ''), $11::date, $12 <> '') RETURNING id", 12 };
static const struct db_query q_update = { "request_form_update",
	"UPDATE requests SET responder_id = $2, subject = $3, context = $4,"
	"       person_name = nullif($5, ''), person_birth_date = nullif($6, '')::date,"
	"       person_nationality = nullif($7, ''), person_registration = nullif($8, ''),"
	"       reply_date = $9::date, no_personal_texts = $10 <> ''"
	" WHERE instance_id = $1 RETURNING id", 10 };
/* A draft has no answers yet: its questions are replaced by the ones chosen. */
static const struct db_query q_clear = { "request_form_clear",
	"DELETE FROM request_questions WHERE request_id = $1", 1 };
static const struct db_query q_add_question = { "request_form_add_question",
	"INSERT INTO request_questions (request_id, code, position) VALUES ($1, $2, $3)", 3 };

static const char *
get(const struct http_field *f, size_t n, const char *name)
{
	const char *v = http_field_get(f, n, name);

	return v != NULL ? v : "";
}

void
request_fields_read(const struct http_field *f, size_t n, struct request_fields *rf)
{
	memset(rf, 0, sizeof(*rf));
	rf->responder = get(f, n, "responder");
	rf->subject = get(f, n, "subject");
	rf->context = get(f, n, "context");
	rf->no_personal_texts = get(f, n, "no_personal_texts");
	rf->person_name = get(f, n, "person_name");
	rf->person_birth_date = get(f, n, "person_birth_date");
	rf->person_nationality = get(f, n, "person_nationality");
	rf->person_registration = get(f, n, "person_registration");
	rf->reply_date = get(f, n, "reply_date");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].name, "question") != 0)
			continue;
		if (rf->nquestions == REQUEST_MAX_QUESTIONS)
			rf->too_many = 1;
		else
			rf->questions[rf->nquestions++] = f[i].value;
	}
}

static int
exists(struct db *db, struct arena *a, const struct db_query *q, const char **params)
{
	PGresult *r;

	if ((r = db_exec(db, a, q, params)) == NULL)
		return -1;
	return db_bool(r, 0, 0);
}

int
request_fields_check(struct db *db, struct arena *a, const char *module, long long authority_id,
    const struct request_fields *rf, struct form_errors *errs)
{
	const char *params[3], *rule;
	int e;

	params[0] = module;
	params[1] = arena_printf(a, "%lld", authority_id);
	params[2] = rf->responder;
	if ((e = exists(db, a, &q_responder, params)) == -1)
		return -1;
	if (!e)
		form_error(errs, "responder", "choice");
	if (rf->subject[0] == '\0')
		form_error(errs, "subject", "required");
	else if ((rule = textcheck_line(rf->subject, SUBJECT_MAX)) != NULL)
		form_error(errs, "subject", rule);
	if ((rule = textcheck_text(rf->context, CONTEXT_MAX)) != NULL)
		form_error(errs, "context", rule);
	if ((rule = textcheck_line(rf->person_name, NAME_MAX_CHARS)) != NULL)
		form_error(errs, "person_name", rule);
	if ((rule = textcheck_line(rf->person_registration, REGISTRATION_MAX)) != NULL)
		form_error(errs, "person_registration", rule);
	/* Every date before SQL: 2027-02-30 is the form again, never a 500. */
	if (rf->person_birth_date[0] != '\0' && !date_valid(rf->person_birth_date))
		form_error(errs, "person_birth_date", "date");
	if (!date_valid(rf->reply_date))
		form_error(errs, "reply_date", rf->reply_date[0] ? "date" : "required");
	if (rf->person_nationality[0] != '\0') {
		params[0] = rf->person_nationality;
		if (strlen(rf->person_nationality) != 2 ||
		    (e = exists(db, a, &q_country, params)) == 0)
			form_error(errs, "person_nationality", "choice");
		else if (e == -1)
			return -1;
	}
	if (rf->nquestions == 0)
		form_error(errs, "questions", "required");
	if (rf->too_many)
		return 1;
	params[0] = module;
	for (size_t i = 0; i < rf->nquestions; i++) {
		params[1] = rf->questions[i];
		if ((e = exists(db, a, &q_question, params)) != 1)
			return e == -1 ? -1 : 1;
	}
	return 0;
}

static int
add_questions(struct db *db, struct arena *a, const char *rid, const struct request_fields *rf)
{
	const char *params[3];

	params[0] = rid;
	for (size_t i = 0; i < rf->nquestions; i++) {
		params[1] = rf->questions[i];
		params[2] = arena_printf(a, "%zu", i + 1);
		if (db_exec(db, a, &q_add_question, params) == NULL)
			return -1;
	}
	return 0;
}

long long
request_fields_insert(struct db *db, struct arena *a, long long instance_id, const char *module,
    long long authority_id, const struct request_fields *rf)
{
	const char *params[12];
	PGresult *r;

	params[0] = arena_printf(a, "%lld", instance_id);
	params[1] = module;
	params[2] = arena_printf(a, "%lld", authority_id);
	params[3] = rf->responder;
	params[4] = rf->subject;
	params[5] = rf->context;
	params[6] = rf->person_name;
	params[7] = rf->person_birth_date;
	params[8] = rf->person_nationality;
	params[9] = rf->person_registration;
	params[10] = rf->reply_date;
	params[11] = rf->no_personal_texts;
	if ((r = db_exec(db, a, &q_insert, params)) == NULL ||
	    add_questions(db, a, db_value(r, 0, 0), rf) == -1)
		return -1;
	return db_int(r, 0, 0);
}

int
request_fields_update(struct db *db, struct arena *a, long long instance_id,
    const struct request_fields *rf)
{
	const char *params[10];
	PGresult *r;

	params[0] = arena_printf(a, "%lld", instance_id);
	params[1] = rf->responder;
	params[2] = rf->subject;
	params[3] = rf->context;
	params[4] = rf->person_name;
	params[5] = rf->person_birth_date;
	params[6] = rf->person_nationality;
	params[7] = rf->person_registration;
	params[8] = rf->reply_date;
	params[9] = rf->no_personal_texts;
	if ((r = db_exec(db, a, &q_update, params)) == NULL || PQntuples(r) != 1)
		return -1;
	params[0] = db_value(r, 0, 0);
	if (db_exec(db, a, &q_clear, params) == NULL)
		return -1;
	return add_questions(db, a, params[0], rf);
}

void
request_fields_model(xmlNodePtr form, const struct request_fields *rf,
    const struct form_errors *errs)
{
	const char *const names[] = { "responder", "subject", "context", "no_personal_texts",
	    "person_name", "person_birth_date", "person_nationality", "person_registration",
	    "reply_date", "questions", "document" };
	const char *const values[] = { rf->responder, rf->subject, rf->context,
	    rf->no_personal_texts, rf->person_name, rf->person_birth_date, rf->person_nationality,
	    rf->person_registration, rf->reply_date, "", "" };
	xmlNodePtr n;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = model_add(form, "field", NULL);
		model_attr(n, "name", names[i]);
		model_attr(n, "value", values[i]);
		for (size_t e = 0; errs != NULL && e < errs->n; e++)
			if (strcmp(errs->e[e].field, names[i]) == 0) {
				model_attr(n, "error", errs->e[e].rule);
				break;
			}
	}
}
