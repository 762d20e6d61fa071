/* authority_form.c — see authority_form.h. */
#include "authority_form.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "http.h"
#include "model.h"
#include "textcheck.h"

static const char *const types[] = {
	"nimic", "coordinator-national", "coordinator-regional", "coordinator-federal-state",
	"coordinator-autonomous-community", "coordinator-area", "competent-authority",
	"solvit-centre", NULL
};
static const char *const languages[] = { "en", "da", "nl", "ro", NULL };

static const struct db_query q_country = { "form_country",
	"SELECT 1 FROM countries WHERE code = $1", 1 };
static const struct db_query q_countries = { "form_countries",
	"SELECT code, name FROM countries ORDER BY name", 0 };
/* The first existing authority a new one would duplicate, and how. */
static const struct db_query q_duplicate = { "form_duplicate",
	"SELECT id, official_name, country, 'duplicate-name' FROM authorities"
	" WHERE deleted_at IS NULL AND country = $2 AND lower(official_name) = lower($1) AND id <> $4"
	" UNION ALL"
	" SELECT id, official_name, country, 'duplicate-email' FROM authorities"
	" WHERE deleted_at IS NULL AND lower(email) = lower($3) AND id <> $4"
	" UNION ALL"
	" SELECT a.id, a.official_name, a.country, 'duplicate-email' FROM users u"
	"   JOIN authorities a ON a.id = u.authority_id"
	" WHERE u.deleted_at IS NULL AND lower(u.email) = lower($3) AND a.id <> $4"
	" LIMIT 1", 4 };
static const struct db_query q_user_email = { "form_user_email",
	"SELECT a.id, a.official_name, a.country FROM users u JOIN authorities a ON a.id = u.authority_id"
	" WHERE u.deleted_at IS NULL AND lower(u.email) = lower($1) AND u.id <> $2"
	" UNION ALL SELECT id, official_name, country FROM authorities"
	" WHERE deleted_at IS NULL AND lower(email) = lower($1) AND $2 = 0 LIMIT 1", 2 };
static const struct db_query q_username = { "form_username",
	"SELECT 1 FROM users WHERE lower(username) = lower($1) AND id <> $2", 2 };
static const struct db_query q_insert = { "form_authority_insert",
	"INSERT INTO authorities (official_name, informal_title, country, address, phone, email,"
	"   website, authority_type, is_nimic)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8 = 'nimic') RETURNING id", 8 };
static const struct db_query q_current = { "form_authority_current",
	"SELECT official_name, coalesce(informal_title, ''), country, coalesce(address, ''),"
	"       coalesce(phone, ''), coalesce(email, ''), coalesce(website, ''), authority_type"
	"  FROM authorities WHERE id = $1 FOR UPDATE", 1 };
static const struct db_query q_update = { "form_authority_update",
	"UPDATE authorities SET official_name = $2, informal_title = nullif($3, ''), country = $4,"
	"       address = nullif($5, ''), phone = nullif($6, ''), email = nullif($7, ''),"
	"       website = nullif($8, ''), authority_type = $9, is_nimic = ($9 = 'nimic')"
	" WHERE id = $1", 9 };
static const struct db_query q_record = { "form_authority_record",
	"INSERT INTO authority_updates (authority_id, user_id, actor_authority_id, what, fields)"
	" VALUES ($1, $2, $3, $4, coalesce($5::text[], '{}'))", 5 };

void
form_error(struct form_errors *errs, const char *field, const char *rule)
{
	if (errs->n < FORM_MAX_ERRORS) {
		errs->e[errs->n].field = field;
		errs->e[errs->n].rule = rule;
		errs->n++;
	}
}

static const char *
field(const struct http_req *req, const char *name)
{
	const char *v = http_form(req, name);

	return v != NULL ? v : "";
}

void
authority_fields_read(const struct http_req *req, struct authority_fields *f)
{
	f->official_name = field(req, "official_name");
	f->informal_title = field(req, "informal_title");
	f->country = field(req, "country");
	f->address = field(req, "address");
	f->phone = field(req, "phone");
	f->email = field(req, "email");
	f->website = field(req, "website");
	f->authority_type = field(req, "authority_type");
}

void
first_user_fields_read(const struct http_req *req, struct first_user_fields *u)
{
	u->first_name = field(req, "first_name");
	u->last_name = field(req, "last_name");
	u->email = field(req, "user_email");
	u->language = field(req, "language");
	u->username = field(req, "username");
}

static int
in_list(const char *const *list, const char *v)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

/* A required or optional one-line field, at most max characters (textcheck.h). */
static void
line(struct form_errors *errs, const char *name, const char *v, int required, size_t max)
{
	const char *rule;

	if (required && v[0] == '\0')
		form_error(errs, name, "required");
	else if ((rule = textcheck_line(v, max)) != NULL)
		form_error(errs, name, rule);
}

int
authority_fields_check(struct db *db, struct arena *a, const struct authority_fields *f,
    long long exclude_id, struct form_errors *errs)
{
	const char *params[4], *rule;
	PGresult *r;
	size_t before = errs->n;

	line(errs, "official_name", f->official_name, 1, 300);
	line(errs, "informal_title", f->informal_title, 0, 300);
	if ((rule = textcheck_text(f->address, 1000)) != NULL)
		form_error(errs, "address", rule);
	line(errs, "phone", f->phone, 0, 64);
	if ((rule = textcheck_website(f->website, 300)) != NULL)
		form_error(errs, "website", rule);
	if (f->email[0] == '\0')
		form_error(errs, "email", "required");
	else if (!account_valid_email(f->email))
		form_error(errs, "email", "email");
	if (!in_list(types, f->authority_type))
		form_error(errs, "authority_type", "choice");
	params[0] = f->country;
	if (strlen(f->country) != 2 || (r = db_exec(db, a, &q_country, params)) == NULL ||
	    PQntuples(r) != 1) {
		form_error(errs, "country", "choice");
		return 0;
	}
	if (errs->n > before)
		return 0;
	params[0] = f->official_name;
	params[1] = f->country;
	params[2] = f->email;
	params[3] = arena_printf(a, "%lld", exclude_id);
	if ((r = db_exec(db, a, &q_duplicate, params)) == NULL)
		return -1;
	if (PQntuples(r) > 0) {
		form_error(errs, strcmp(db_value(r, 0, 3), "duplicate-name") == 0 ? "official_name" :
		    "email", db_value(r, 0, 3));
		errs->dup_id = db_value(r, 0, 0);
		errs->dup_name = db_value(r, 0, 1);
		errs->dup_country = db_value(r, 0, 2);
	}
	return 0;
}

int
first_user_fields_check(struct db *db, struct arena *a, const struct first_user_fields *u,
    long long exclude_user, struct form_errors *errs)
{
	const char *params[2];
	PGresult *r;

	line(errs, "first_name", u->first_name, 1, 100);
	line(errs, "last_name", u->last_name, 1, 100);
	if (u->language[0] != '\0' && !in_list(languages, u->language))
		form_error(errs, "language", "choice");
	if (u->email[0] == '\0') {
		form_error(errs, "user_email", "required");
	} else if (!account_valid_email(u->email)) {
		form_error(errs, "user_email", "email");
	} else {
		params[0] = u->email;
		params[1] = arena_printf(a, "%lld", exclude_user);
		if ((r = db_exec(db, a, &q_user_email, params)) == NULL)
			return -1;
		if (PQntuples(r) > 0) {
			form_error(errs, "user_email", "duplicate-email");
			errs->dup_id = db_value(r, 0, 0);
			errs->dup_name = db_value(r, 0, 1);
			errs->dup_country = db_value(r, 0, 2);
		}
	}
	if (u->username[0] != '\0') {
		size_t n = strlen(u->username);
		if (n < 3 || n > 64 || strspn(u->username, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n) {
			form_error(errs, "username", "username");
		} else {
			params[0] = u->username;
			params[1] = arena_printf(a, "%lld", exclude_user);
			if ((r = db_exec(db, a, &q_username, params)) == NULL)
				return -1;
			if (PQntuples(r) > 0)
				form_error(errs, "username", "taken");
		}
	}
	return 0;
}

static const char *
or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

long long
authority_insert(struct db *db, struct arena *a, const struct authority_fields *f)
{
	const char *params[8] = { f->official_name, or_null(f->informal_title), f->country,
	    or_null(f->address), or_null(f->phone), or_null(f->email), or_null(f->website),
	    f->authority_type };
	PGresult *r;

	if ((r = db_exec(db, a, &q_insert, params)) == NULL)
		return -1;
	return db_int(r, 0, 0);
}

int
authority_record(struct db *db, struct arena *a, long long authority_id, long long user_id,
    long long user_authority_id, const char *what, const char *fields_array)
{
	const char *params[5];

	params[0] = arena_printf(a, "%lld", authority_id);
	params[1] = user_id > 0 ? arena_printf(a, "%lld", user_id) : NULL;
	params[2] = user_authority_id > 0 ? arena_printf(a, "%lld", user_authority_id) : NULL;
	params[3] = what;
	params[4] = fields_array;
	return db_exec(db, a, &q_record, params) == NULL ? -1 : 0;
}

int
authority_update(struct db *db, struct arena *a, long long authority_id,
    const struct authority_fields *f, long long user_id, long long user_authority_id,
    int *changed)
{
	const char *names[8] = { "official_name", "informal_title", "country", "address", "phone",
	    "email", "website", "authority_type" };
	const char *vals[8] = { f->official_name, f->informal_title, f->country, f->address,
	    f->phone, f->email, f->website, f->authority_type };
	const char *params[9];
	struct buf list;
	PGresult *r;
	int rc = -1;

	*changed = 0;
	buf_init(&list);
	params[0] = arena_printf(a, "%lld", authority_id);
	if ((r = db_exec(db, a, &q_current, params)) == NULL || PQntuples(r) != 1)
		goto out;
	buf_puts(&list, "{");
	for (int i = 0; i < 8; i++) {
		params[i + 1] = vals[i];
		if (strcmp(db_value(r, 0, i), vals[i]) != 0)
			buf_printf(&list, "%s%s", (*changed)++ ? "," : "", names[i]);
	}
	buf_puts(&list, "}");
	if (!buf_ok(&list))
		goto out;
	if (*changed == 0) {
		rc = 0;
		goto out;
	}
	if (db_exec(db, a, &q_update, params) == NULL ||
	    authority_record(db, a, authority_id, user_id, user_authority_id, "edited",
	    list.data) == -1)
		goto out;
	rc = 0;
out:
	buf_release(&list);
	return rc;
}

xmlNodePtr
form_model(xmlNodePtr parent, const char *name, const struct form_errors *errs)
{
	xmlNodePtr form = model_add(parent, "form", NULL), d;

	model_attr(form, "name", name);
	if (errs != NULL && errs->n > 0)
		model_attr(form, "refused", "true");
	if (errs != NULL && errs->dup_id != NULL) {
		d = model_add(form, "duplicate", errs->dup_name);
		model_attr(d, "id", errs->dup_id);
		model_attr(d, "country", errs->dup_country);
	}
	return form;
}

static void
one(xmlNodePtr form, const char *name, const char *value, const struct form_errors *errs)
{
	xmlNodePtr n = model_add(form, "field", NULL);

	model_attr(n, "name", name);
	model_attr(n, "value", value);
	for (size_t i = 0; errs != NULL && i < errs->n; i++)
		if (strcmp(errs->e[i].field, name) == 0) {
			model_attr(n, "error", errs->e[i].rule);
			break;
		}
}

void
form_field(xmlNodePtr form, const char *name, const char *value, const struct form_errors *errs)
{
	one(form, name, value, errs);
}

void
authority_fields_model(xmlNodePtr form, const struct authority_fields *f,
    const struct form_errors *errs)
{
	one(form, "official_name", f->official_name, errs);
	one(form, "informal_title", f->informal_title, errs);
	one(form, "country", f->country, errs);
	one(form, "address", f->address, errs);
	one(form, "phone", f->phone, errs);
	one(form, "email", f->email, errs);
	one(form, "website", f->website, errs);
	one(form, "authority_type", f->authority_type, errs);
}

void
first_user_fields_model(xmlNodePtr form, const struct first_user_fields *u,
    const struct form_errors *errs)
{
	one(form, "first_name", u->first_name, errs);
	one(form, "last_name", u->last_name, errs);
	one(form, "user_email", u->email, errs);
	one(form, "language", u->language, errs);
	one(form, "username", u->username, errs);
}

int
form_choices_model(struct db *db, struct arena *a, xmlNodePtr parent)
{
	xmlNodePtr c = model_add(parent, "choices", NULL), n;
	PGresult *r;

	if ((r = db_exec(db, a, &q_countries, NULL)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(c, "country", db_value(r, i, 1));
		model_attr(n, "code", db_value(r, i, 0));
	}
	for (size_t i = 0; types[i] != NULL; i++)
		model_attr(model_add(c, "type", NULL), "code", types[i]);
	for (size_t i = 0; languages[i] != NULL; i++)
		model_attr(model_add(c, "language", NULL), "code", languages[i]);
	return 0;
}
