/* participant_rows.c — see participant_rows.h. */
#include "participant_rows.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "httplex.h"
#include "pgarray.h"
#include "registry.h"

/* More values than any exchange has countries or a country authorities: refused, not cut. */
#define VALUES_MAX 1000

/* Per selector: the one INSERT ... SELECT that adds its authorities. */
struct add_query {
	struct db_query q;
	char name[64];
	char *sql;
};

static struct add_query *aq;
static size_t naq;
static pthread_once_t add_once = PTHREAD_ONCE_INIT;

/*
 * $1 instance, $2 acting authority, $3 values, $4 module (the selector's,
 * registry.h), $5 role, $6 its first state, $7 the history seq.  An authority
 * in the role already keeps its row as it is: repeating a broadcast adds
 * nobody twice, and two coordinators adding at once each add their own.
 */
#define ADD_SQL "INSERT INTO wf_participants (instance_id, authority_id, country, role, state," \
	" added_seq, added_by)" \
	" SELECT $1, a.id, a.country, $5, $6, $7, $2 FROM (SELECT DISTINCT s.id FROM (%s) s(id)) s" \
	" JOIN authorities a ON a.id = s.id" \
	" WHERE ($3::text[] IS NULL OR true) AND ($4::text IS NULL OR true)" \
	" ON CONFLICT DO NOTHING"

static void
build_add(void)
{
	const struct registry_selector *s = registry_selectors();
	struct buf b;

	while (s[naq].name != NULL)
		naq++;
	if (naq == 0 || (aq = calloc(naq, sizeof(*aq))) == NULL) {
		naq = 0;
		return;
	}
	for (size_t i = 0; i < naq; i++) {
		buf_init(&b);
		buf_printf(&b, ADD_SQL, s[i].sql);
		aq[i].sql = buf_ok(&b) ? b.data : NULL;
		snprintf(aq[i].name, sizeof(aq[i].name), "participants_add_%zu", i);
		aq[i].q = (struct db_query){ aq[i].name, aq[i].sql, 7 };
	}
}

static const struct db_query *
add_query(const char *selector)
{
	const struct registry_selector *s = registry_selector(selector);

	pthread_once(&add_once, build_add);
	if (s == NULL || (size_t)(s - registry_selectors()) >= naq ||
	    aq[s - registry_selectors()].sql == NULL)
		return NULL;
	return &aq[s - registry_selectors()].q;
}

/*
 * A JSON array's elements, or a string alone, as a text[] literal: the
 * instance's data field, else the latest case form version's (a broadcast to
 * the countries the form names).
 */
static const struct db_query q_field_values = { "participants_field_values",
	"SELECT CASE jsonb_typeof(v) WHEN 'array' THEN"
	"  ARRAY(SELECT jsonb_array_elements_text(v))::text"
	"  WHEN 'string' THEN ARRAY[v #>> '{}']::text END"
	"  FROM (SELECT coalesce(i.data->$2, (SELECT f.data->$2 FROM wf_form_versions f"
	"          WHERE f.instance_id = i.id ORDER BY f.version DESC LIMIT 1)) AS v"
	"          FROM wf_instances i WHERE i.id = $1) x", 2 };
static const struct db_query q_state = { "participants_state",
	"UPDATE wf_participants SET state = $4, changed_seq = $5, changed_at = now()"
	" WHERE instance_id = $1 AND role = $3 AND authority_id = $2", 5 };
static const struct db_query q_remove = { "participants_remove",
	"DELETE FROM wf_participants WHERE instance_id = $1 AND role = $2"
	" AND authority_id::text = ANY($3::text[])", 3 };
static const struct db_query q_countries = { "participants_countries",
	"SELECT count(*) FROM unnest($1::text[]) c WHERE EXISTS (SELECT 1 FROM countries k"
	" WHERE k.code = c)", 1 };
static const struct db_query q_authorities = { "participants_authorities",
	"SELECT count(*) FROM authorities WHERE id = ANY($1::bigint[])", 1 };

const char **
participant_values(struct arena *a, const struct http_field *fields, size_t nfields,
    const char *name, size_t *n)
{
	const char **v;
	size_t k = 0;

	*n = 0;
	for (size_t i = 0; i < nfields; i++)
		k += strcmp(fields[i].name, name) == 0 && fields[i].value[0] != '\0';
	if (k == 0 || (v = arena_calloc(a, k, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < nfields; i++)
		if (strcmp(fields[i].name, name) == 0 && fields[i].value[0] != '\0')
			v[(*n)++] = fields[i].value;
	return v;
}

int
participant_rows_add(struct db *db, struct arena *a, long long iid, long long authority,
    long long seq, const char *module, const char *role, const char *state, const char *selector,
    const char *values)
{
	const struct db_query *q = add_query(selector);
	const char *params[7];

	if (q == NULL)
		return -1;
	params[0] = arena_printf(a, "%lld", iid);
	params[1] = authority == 0 ? NULL : arena_printf(a, "%lld", authority);
	params[2] = values;
	params[3] = module;
	params[4] = role;
	params[5] = state;
	params[6] = arena_printf(a, "%lld", seq);
	/* Needs no answer: it goes with the next statement or the COMMIT. */
	return db_queue(db, a, q, params, NULL);
}

int
participant_rows_remove(struct db *db, struct arena *a, long long iid, const char *role,
    const char *values)
{
	const char *params[3] = { arena_printf(a, "%lld", iid), role, values };

	if (values == NULL)
		return 0;
	return db_queue(db, a, &q_remove, params, NULL);
}

int
participant_rows_field(struct db *db, struct arena *a, long long iid, const char *field,
    const char **values)
{
	const char *params[2] = { arena_printf(a, "%lld", iid), field };
	PGresult *r;

	*values = NULL;
	if ((r = db_exec(db, a, &q_field_values, params)) == NULL)
		return -1;
	if (PQntuples(r) == 1)
		*values = db_value(r, 0, 0);
	return 0;
}

int
participant_rows_state(struct db *db, struct arena *a, long long iid, long long authority,
    const char *role, const char *state, long long seq)
{
	const char *params[5];

	params[0] = arena_printf(a, "%lld", iid);
	params[1] = arena_printf(a, "%lld", authority);
	params[2] = role;
	params[3] = state;
	params[4] = arena_printf(a, "%lld", seq);
	return db_queue(db, a, &q_state, params, NULL);
}

static int
well_formed(int countries, const char *v)
{
	size_t len = strlen(v);

	if (countries)
		return len == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z';
	return len > 0 && len <= 18 && strspn(v, "0123456789") == len;
}

int
participant_rows_input(struct db *db, struct arena *a, int countries, const char **v, size_t n,
    const char **json, const char **rule)
{
	const char *params[1], *what = countries ? "countries" : "authorities";
	struct buf b;
	PGresult *r;
	size_t k = 0;
	int rc = -1;

	*json = NULL;
	*rule = NULL;
	if (n == 0)
		return 0;
	if (n > VALUES_MAX) {
		*rule = "too-long";
		return 0;
	}
	/* Well-formed, each once (a form may offer one box twice). */
	for (size_t i = 0; i < n; i++) {
		size_t j;
		if (!well_formed(countries, v[i])) {
			*rule = what;
			return 0;
		}
		for (j = 0; j < k && strcmp(v[j], v[i]) != 0; j++)
			;
		if (j == k)
			v[k++] = v[i];
	}
	if ((params[0] = pg_text_array(a, v, k)) == NULL ||
	    (r = db_exec(db, a, countries ? &q_countries : &q_authorities, params)) == NULL)
		return -1;
	if (db_int(r, 0, 0) != (long long)k) {
		*rule = what;
		return 0;
	}
	/* Checked above: digits or capitals, nothing to escape. */
	buf_init(&b);
	buf_puts(&b, "[");
	for (size_t i = 0; i < k; i++)
		buf_printf(&b, "%s\"%s\"", i > 0 ? "," : "", v[i]);
	buf_puts(&b, "]");
	if (buf_ok(&b) && (*json = arena_strdup(a, b.data)) != NULL)
		rc = 0;
	buf_release(&b);
	return rc;
}
