/*
 * engine.c — starting instances and firing transitions (see engine.h).
 * The definition version an instance runs is the law: its guard, inputs and
 * actions decide; parties and conditions are the registry's SQL, run inside
 * the same transaction so the answer cannot change before the commit.
 */
#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "date.h"
#include "filetype.h"
#include "db.h"
#include "defs.h"
#include "http.h"
#include "log.h"
#include "model.h"
#include "multipart.h"
#include "option_source.h"
#include "outbox.h"
#include "pgarray.h"
#include "participant_roles.h"
#include "participant_rows.h"
#include "registry.h"
#include "textcheck.h"
#include "token.h"
#include "workflow.h"

#define TEXT_MAX 500
#define TEXTAREA_MAX 10000
#define WF_SQLSTATE_REFUSED "IM403"	/* wf_guard_refused(), sql/010_transition_speed.sql */

static const struct db_query q_lock = { "engine_lock",
	"SELECT definition, version, state, rev, module FROM wf_instances"
	" WHERE id = $1 FOR UPDATE", 1 };
/*
 * The same for a user firing from the pages, with whether that user may see
 * it at all: the rule the instance runs (i.seen_by) among the registered ones
 * (visible_case()), built with the party and condition queries.
 */
#define LOCK_VISIBLE "SELECT i.definition, i.version, i.state, i.rev, i.module, %s" \
	"  FROM wf_instances i WHERE i.id = $1 FOR UPDATE"
static struct db_query q_lock_visible = { "engine_lock_visible", NULL, 2 };
static const struct db_query q_role = { "engine_role",
	"SELECT EXISTS (SELECT 1 FROM user_roles WHERE user_id = $1 AND role = $2"
	" AND module = CASE WHEN $2 = 'administrator' THEN '' ELSE $3 END)", 3 };
static const struct db_query q_role_assert = { "engine_role_assert",
	"SELECT CASE WHEN EXISTS (SELECT 1 FROM user_roles WHERE user_id = $1 AND role = $2"
	" AND module = CASE WHEN $2 = 'administrator' THEN '' ELSE $3 END) THEN true"
	" ELSE wf_guard_refused() END", 3 };
/*
 * A transition's writes in one statement: the new state, the timers of the
 * state left (none when it stays), the history row with the new revision.
 */
static const struct db_query q_write = { "engine_write",
	"WITH u AS (UPDATE wf_instances SET state = $2, rev = rev + 1, data = data || $3::jsonb,"
	"           updated_at = now() WHERE id = $1 RETURNING rev),"
	" l AS (UPDATE wf_timers SET cancelled_at = now() WHERE instance_id = $1 AND state = $4"
	"       AND $4 <> $2 AND fired_at IS NULL AND cancelled_at IS NULL)"
	" INSERT INTO wf_history (instance_id, seq, event, from_state, to_state, actor_kind,"
	" actor_user_id, actor_authority_id, inputs, at)"
	" SELECT $1, u.rev, $5, $4, $2, $6, $7, $8, $9::jsonb, imi_now() FROM u", 9 };
/*
 * The same when <set now="true"/> fields ($10, a JSON array of names) take the
 * time of firing, the very value the history row gets.  A separate statement
 * so the common transition does not pay for business time twice.
 */
static const struct db_query q_write_now = { "engine_write_now",
	"WITH n AS MATERIALIZED (SELECT imi_now() AS now),"
	" u AS (UPDATE wf_instances SET state = $2, rev = rev + 1, data = data || $3::jsonb"
	"       || coalesce((SELECT jsonb_object_agg(f, n.now::text) FROM n,"
	"                    jsonb_array_elements_text($10::jsonb) f), '{}'),"
	"       updated_at = now() WHERE id = $1 RETURNING rev),"
	" l AS (UPDATE wf_timers SET cancelled_at = now() WHERE instance_id = $1 AND state = $4"
	"       AND $4 <> $2 AND fired_at IS NULL AND cancelled_at IS NULL)"
	" INSERT INTO wf_history (instance_id, seq, event, from_state, to_state, actor_kind,"
	" actor_user_id, actor_authority_id, inputs, at)"
	" SELECT $1, u.rev, $5, $4, $2, $6, $7, $8, $9::jsonb, n.now FROM u, n", 10 };
static const struct db_query q_history = { "engine_history",
	"INSERT INTO wf_history (instance_id, seq, event, from_state, to_state, actor_kind,"
	" actor_user_id, actor_authority_id, inputs, at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, imi_now())", 9 };
static const struct db_query q_cancel = { "engine_cancel",
	"UPDATE wf_timers SET cancelled_at = now() WHERE instance_id = $1 AND name = $2"
	" AND fired_at IS NULL AND cancelled_at IS NULL", 2 };
static const struct db_query q_timer = { "engine_timer",
	"INSERT INTO wf_timers (instance_id, name, event, state, due_at)"
	" SELECT $1, $2, $3, $4, coalesce((SELECT CASE WHEN v ~ '^\\d{4}-\\d{2}-\\d{2}'"
	"        THEN v::timestamptz END FROM (SELECT coalesce(i.data->>$6,"
	/* a case: else the latest version of its form (caseform.h) */
	"        (SELECT f.data->>$6 FROM wf_form_versions f WHERE f.instance_id = i.id"
	"          ORDER BY f.version DESC LIMIT 1)) AS v) x), imi_now()) + $5::interval"
	" FROM wf_instances i WHERE i.id = $1", 6 };
static const struct db_query q_start = { "engine_start",
	"INSERT INTO wf_instances (definition, version, state, module, authority_id, created_by,"
	" seen_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", 7 };
static const struct db_query q_authority = { "engine_authority",
	"SELECT 1 FROM authorities WHERE id = $1", 1 };
static const struct db_query q_user = { "engine_user",
	"SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL", 1 };
static const struct db_query q_link = { "engine_link",
	"INSERT INTO wf_links (token_hash, user_id, instance_id, event, state, rev, expires_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, imi_now() + make_interval(days => $7::int))", 7 };
static const struct db_query q_document = { "engine_document",
	"INSERT INTO wf_documents (instance_id, seq, input, filename, content_type, size, content)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7)", 7 };
/*
 * The instance is locked with its timer, and a timer whose instance someone holds is
 * skipped (left to a later round): a transition locks the instance first and its timers
 * second (it cancels or restarts them), so a worker holding the timer while it waited for
 * the instance deadlocked with it (tests/e2e/test_chaos.py).  Claimed TIMER_BATCH at a time,
 * each fired under a savepoint of the batch's one transaction (wf_fire_due_timers).  The
 * timers are chosen alone, in the order of their index (sql/034), and their instances joined
 * after: joined first, the planner hashed every due timer with every instance and sorted them
 * for each batch whenever its statistics still said few were due (33 ms a batch of 64 with
 * 10,000 due, auto_explain); and imi_now() once a batch, not once a row.
 */
#define TIMER_BATCH 64
static const struct db_query q_due = { "engine_due",
	"SELECT t.id, t.instance_id, t.event, t.state = i.state,"
	"       i.definition, i.version, i.state, i.rev, i.module"
	" FROM (SELECT id, instance_id, event, state, due_at FROM wf_timers"
	"       WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= (SELECT imi_now())"
	"       ORDER BY due_at, id LIMIT 64 FOR UPDATE SKIP LOCKED) t"
	" JOIN wf_instances i ON i.id = t.instance_id"
	" ORDER BY t.due_at, t.id FOR UPDATE OF i SKIP LOCKED", 0 };
static const struct db_query q_savepoint = { "engine_savepoint", "SAVEPOINT timer", 0 };
static const struct db_query q_release = { "engine_release", "RELEASE SAVEPOINT timer", 0 };
/*
 * <if field="F" equals="V"/>: the instance's data field $2, else the latest
 * case form version's, is not empty ($3 NULL), or holds $3 (a field of several
 * values: one of them).  Always a boolean, never NULL.
 */
static const struct db_query q_field_cond = { "engine_field_cond",
	"SELECT coalesce(CASE WHEN $3::text IS NULL"
	"  THEN coalesce(v #>> '{}', '') <> '' AND v <> '[]'::jsonb"
	"  WHEN jsonb_typeof(v) = 'array' THEN v ? $3::text ELSE v #>> '{}' = $3::text END, false)"
	"  FROM (SELECT coalesce(i.data->$2::text, (SELECT f.data->$2::text FROM wf_form_versions f"
	"          WHERE f.instance_id = i.id ORDER BY f.version DESC LIMIT 1)) AS v"
	"          FROM wf_instances i WHERE i.id = $1) x", 3 };
/* <not-by>: 1 when user $3 never fired event $2 on instance $1. */
static const struct db_query q_not_by = { "engine_not_by",
	"SELECT NOT EXISTS (SELECT 1 FROM wf_history WHERE instance_id = $1 AND event = $2"
	" AND actor_user_id = $3)", 3 };
/*
 * Still live: an earlier timer of the batch may have cancelled it (never twice).  Written
 * with coalesce so the generic plan takes the primary key: "fired_at IS NULL AND cancelled_at
 * IS NULL" is the predicate of the partial indexes (wf_timers_instance), and a plan scanning
 * one of them for the id cost 0.86 ms a timer with 3,000 due (log_min_duration_statement).
 */
static const struct db_query q_fired = { "engine_fired",
	"UPDATE wf_timers SET fired_at = now() WHERE id = $1"
	" AND coalesce(fired_at, cancelled_at) IS NULL", 1 };

/*
 * Per party: does the user $3 of authority $2 have the role $4 (NULL: any)
 * in module $5 and hold the party on instance $1 (check: two booleans;
 * assert: true, or SQLSTATE IM403); and who holds it with role $2 (recipients).
 */
struct party_queries {
	struct db_query check, assert, recipients;
	char cname[64], aname[64], rname[64];
	char *csql, *asql, *rsql;
};
struct cond_query {
	struct db_query q;
	char name[64];
};

#define ROLE_HELD "($4::text IS NULL OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = $3" \
	" AND r.role = $4 AND r.module = CASE WHEN $4 = 'administrator' THEN '' ELSE $5 END))"
#define PARTY_HELD(src) "EXISTS (SELECT 1 FROM (" src ") p(authority_id, user_id)" \
	" WHERE p.authority_id = $2 AND (p.user_id IS NULL OR p.user_id = $3))"
#define RECIPIENTS(src) "SELECT DISTINCT u.id, u.email, u.language, u.first_name || ' ' || u.last_name" \
	" FROM users u JOIN (" src ") p(authority_id, user_id) ON p.authority_id = u.authority_id" \
	" AND (p.user_id IS NULL OR p.user_id = u.id) WHERE u.deleted_at IS NULL" \
	" AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = $2" \
	" AND r.module = CASE WHEN $2 = 'administrator' THEN '' ELSE $3 END)"

/*
 * A party that is a participant role of the definition: the same questions,
 * one statement for every role of every definition, the role $6 and the
 * participant state $7 (NULL: any) as parameters (participants.h).
 */
static const struct db_query q_participant_check = { "engine_participant_check",
	"SELECT " ROLE_HELD ", " PARTY_HELD(WF_PARTICIPANT_ROWS), 7 };
static const struct db_query q_participant_assert = { "engine_participant_assert",
	"SELECT CASE WHEN " ROLE_HELD " AND " PARTY_HELD(WF_PARTICIPANT_ROWS) " THEN true"
	" ELSE wf_guard_refused() END", 7 };
/* $4 the participant role: every state ($7 of WF_PARTICIPANT_ROWS renumbered as $5). */
static const struct db_query q_participant_recipients = { "engine_participant_recipients",
	RECIPIENTS("SELECT p.authority_id, NULL::bigint FROM wf_participants p"
	" WHERE p.instance_id = $1 AND p.role = $4"), 4 };

static struct party_queries *pq;
static struct cond_query *cq;
static size_t npq, ncq;
static pthread_once_t queries_once = PTHREAD_ONCE_INIT;

static void
build_queries(void)
{
	const struct registry_party *p = registry_parties();
	const struct registry_condition *c = registry_conditions();
	struct buf b, cs;

	while (p[npq].name != NULL)
		npq++;
	while (c[ncq].name != NULL)
		ncq++;
	if ((pq = calloc(npq, sizeof(*pq))) == NULL || (cq = calloc(ncq, sizeof(*cq))) == NULL) {
		npq = ncq = 0;
		return;
	}
	for (size_t i = 0; i < npq; i++) {
		if (p[i].sql == NULL)
			continue;
		buf_init(&b);
		buf_printf(&b, "SELECT " ROLE_HELD ", " PARTY_HELD("%s"), p[i].sql);
		pq[i].csql = b.data;
		buf_init(&b);
		buf_printf(&b, "SELECT CASE WHEN " ROLE_HELD " AND " PARTY_HELD("%s") " THEN true"
		    " ELSE wf_guard_refused() END", p[i].sql);
		pq[i].asql = b.data;
		buf_init(&b);
		buf_printf(&b, RECIPIENTS("%s"), p[i].sql);
		pq[i].rsql = b.data;
		snprintf(pq[i].cname, sizeof(pq[i].cname), "party_check_%zu", i);
		snprintf(pq[i].aname, sizeof(pq[i].aname), "party_assert_%zu", i);
		snprintf(pq[i].rname, sizeof(pq[i].rname), "party_recipients_%zu", i);
		pq[i].check = (struct db_query){ pq[i].cname, pq[i].csql, 5 };
		pq[i].assert = (struct db_query){ pq[i].aname, pq[i].asql, 5 };
		pq[i].recipients = (struct db_query){ pq[i].rname, pq[i].rsql, 3 };
	}
	for (size_t i = 0; i < ncq; i++) {
		snprintf(cq[i].name, sizeof(cq[i].name), "condition_%zu", i);
		cq[i].q = (struct db_query){ cq[i].name, c[i].sql, 2 };
	}
	buf_init(&cs);
	registry_visible_case(&cs);
	if (buf_ok(&cs)) {
		buf_init(&b);
		buf_printf(&b, LOCK_VISIBLE, cs.data);
		q_lock_visible.sql = buf_ok(&b) ? b.data : NULL;
	}
	buf_release(&cs);
}

static const struct db_query *
lock_query(int visible)
{
	pthread_once(&queries_once, build_queries);
	if (visible && q_lock_visible.sql == NULL)
		return NULL;
	return visible ? &q_lock_visible : &q_lock;
}

static const struct party_queries *
party_queries(const char *name)
{
	const struct registry_party *p = registry_party(name);

	pthread_once(&queries_once, build_queries);
	if (p == NULL || p->sql == NULL || (size_t)(p - registry_parties()) >= npq)
		return NULL;
	return &pq[p - registry_parties()];
}

static const struct db_query *
condition_query(const char *name)
{
	const struct registry_condition *c = registry_condition(name);

	pthread_once(&queries_once, build_queries);
	if (c == NULL || (size_t)(c - registry_conditions()) >= ncq)
		return NULL;
	return &cq[c - registry_conditions()].q;
}

static char *
num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

/* The one statement that answers an <allow> for a user, with its parameters. */
struct allow_ask {
	const struct db_query *q;  /* NULL: decided without the database */
	const char *params[7];
	int party;                 /* q is a party's: role and party, two booleans */
	PGresult *r;
};

/*
 * What al asks of the database for actor; assert picks the statement that
 * raises IM403 instead of answering false.  0, or -1 when al's party has no
 * statement (the linter makes sure that cannot happen).
 */
static int
allow_ask(struct arena *a, const struct wf_actor *actor, long long iid, const char *module,
    const struct wf_allow *al, int assert, struct allow_ask *ask)
{
	const struct party_queries *q;

	memset(ask, 0, sizeof(*ask));
	if (actor->kind == WF_ACTOR_SYSTEM || (al->party != NULL && strcmp(al->party, "system") == 0))
		return 0;
	if (al->party != NULL && al->participant) {
		ask->q = assert ? &q_participant_assert : &q_participant_check;
		ask->params[5] = al->party;
		ask->params[6] = al->in;
	} else if (al->party != NULL) {
		if ((q = party_queries(al->party)) == NULL)
			return -1;
		ask->q = assert ? &q->assert : &q->check;
	}
	if (al->party != NULL) {
		ask->party = 1;
		ask->params[0] = num(a, iid);
		ask->params[1] = num(a, actor->authority_id);
		ask->params[2] = num(a, actor->user_id);
		ask->params[3] = al->role;
		ask->params[4] = module;
	} else if (al->role != NULL) {
		ask->q = assert ? &q_role_assert : &q_role;
		ask->params[0] = num(a, actor->user_id);
		ask->params[1] = al->role;
		ask->params[2] = module;
	}
	return 0;
}

/* 1 holds, 0 not, from the answer to allow_ask's statement. */
static int
allow_holds(const struct wf_actor *actor, const struct wf_allow *al, const struct allow_ask *ask)
{
	if (actor->kind == WF_ACTOR_SYSTEM)
		return al->party != NULL && strcmp(al->party, "system") == 0;
	if (al->party != NULL && strcmp(al->party, "system") == 0)
		return 0;
	if (ask->q == NULL)
		return 1;
	return db_bool(ask->r, 0, 0) && (!ask->party || db_bool(ask->r, 0, 1));
}

/* What the log says the actor lacks when no <allow> of t holds; why, the same in names. */
static const char *
allows_missing(struct arena *a, const struct wf_transition *t, struct wf_reason *why)
{
	const struct wf_allow *al = t->nallows > 0 ? &t->allows[0] : NULL;

	*why = al == NULL ? (struct wf_reason){ WF_REASON_NOBODY, 0, NULL, NULL } :
	    (struct wf_reason){ WF_REASON_ROLE_PARTY, 0, al->role, al->party };
	return al == NULL ? "nobody may do this" :
	    arena_printf(a, "the role \"%s\" for \"%s\"", al->role ? al->role : "any",
	    al->party ? al->party : "any");
}

/*
 * Every question the guard may need (each allow's role and party, each
 * condition) goes to the database in one round trip; they only read.  The
 * answers are then weighed in the definition's order, so the outcome and what
 * is reported missing are those of asking one question after the other.
 */
static int
guard(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_transition *t, const char **missing, struct wf_reason *why)
{
	struct allow_ask *asks = NULL;
	PGresult **conds = NULL, **not_by = NULL;
	const struct db_query *q;
	const char *params[3];
	int ok = 0, queued = 0;

	*missing = NULL;
	if ((t->nallows > 0 && (asks = arena_calloc(a, t->nallows, sizeof(*asks))) == NULL) ||
	    (t->nconds > 0 && (conds = arena_calloc(a, t->nconds, sizeof(*conds))) == NULL) ||
	    (t->nnot_by > 0 && (not_by = arena_calloc(a, t->nnot_by, sizeof(*not_by))) == NULL))
		return -1;
	for (size_t i = 0; i < t->nallows; i++) {
		if (allow_ask(a, actor, iid, module, &t->allows[i], 0, &asks[i]) == -1)
			return -1;
		if (asks[i].q == NULL)
			continue;
		if (db_queue(db, a, asks[i].q, asks[i].params, &asks[i].r) == -1)
			return -1;
		queued = 1;
	}
	for (size_t i = 0; i < t->nconds; i++) {
		params[0] = num(a, iid);
		if (t->conds[i].name == NULL) {
			q = &q_field_cond;
			params[1] = t->conds[i].field;
			params[2] = t->conds[i].equals;
		} else {
			if ((q = condition_query(t->conds[i].name)) == NULL)
				return -1;
			params[1] = actor->kind == WF_ACTOR_SYSTEM ? NULL : num(a, actor->user_id);
		}
		if (db_queue(db, a, q, params, &conds[i]) == -1)
			return -1;
		queued = 1;
	}
	/* The system is nobody: four eyes bind people. */
	for (size_t i = 0; i < t->nnot_by && actor->kind != WF_ACTOR_SYSTEM; i++) {
		params[0] = num(a, iid);
		params[1] = t->not_by[i].event;
		params[2] = num(a, actor->user_id);
		if (db_queue(db, a, &q_not_by, params, &not_by[i]) == -1)
			return -1;
		queued = 1;
	}
	if (queued && db_flush(db) == -1)
		return -1;
	for (size_t i = 0; i < t->nallows && !ok; i++)
		ok = allow_holds(actor, &t->allows[i], &asks[i]);
	if (!ok) {
		*missing = allows_missing(a, t, why);
		return 0;
	}
	for (size_t i = 0; i < t->nconds; i++) {
		const struct wf_cond *c = &t->conds[i];
		if (db_bool(conds[i], 0, 0) != c->negate)
			continue;
		*why = (struct wf_reason){ c->name != NULL ? WF_REASON_CONDITION :
		    c->equals != NULL ? WF_REASON_FIELD_EQUALS : WF_REASON_FIELD, c->negate,
		    c->name != NULL ? c->name : c->field, c->equals };
		if (c->name != NULL)
			*missing = arena_printf(a, "the condition \"%s\" %s", c->name,
			    c->negate ? "holds" : "does not hold");
		else if (c->equals != NULL)
			*missing = arena_printf(a, "the field \"%s\" %s \"%s\"", c->field,
			    c->negate ? "holding" : "to hold", c->equals);
		else
			*missing = arena_printf(a, "the field \"%s\" %s", c->field,
			    c->negate ? "empty" : "filled in");
		return 0;
	}
	for (size_t i = 0; i < t->nnot_by && actor->kind != WF_ACTOR_SYSTEM; i++) {
		if (!db_bool(not_by[i], 0, 0)) {
			*why = (struct wf_reason){ WF_REASON_FOUR_EYES, 0, t->not_by[i].event, NULL };
			*missing = arena_printf(a, "a user other than the one who did \"%s\" "
			    "(four eyes)", t->not_by[i].event);
			return 0;
		}
	}
	return 1;
}

int
wf_guard(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_transition *t, const char **missing)
{
	struct wf_reason why;

	return guard(db, a, actor, iid, module, t, missing, &why);
}

const char *
wf_reason_kind_name(enum wf_reason_kind kind)
{
	switch (kind) {
	case WF_REASON_NOBODY: return "nobody";
	case WF_REASON_ROLE_PARTY: return "role-party";
	case WF_REASON_CONDITION: return "condition";
	case WF_REASON_FIELD: return "field";
	case WF_REASON_FIELD_EQUALS: return "field-equals";
	case WF_REASON_FOUR_EYES: return "four-eyes";
	case WF_REASON_OTHER: return "other";
	case WF_REASON_NONE: break;
	}
	return NULL;
}

static void
json_string(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_append(b, s, 1);
	}
	buf_puts(b, "\"");
}

static int
exists_id(struct db *db, struct arena *a, const struct db_query *q, const char *v)
{
	const char *params[1] = { v };
	PGresult *r;

	if (v[0] == '\0' || strspn(v, "0123456789") != strlen(v) || strlen(v) > 18)
		return 0;
	if ((r = db_exec(db, a, q, params)) == NULL)
		return -1;
	return PQntuples(r) == 1;
}

static void
field_error(struct wf_outcome *out, const char *input, const char *rule)
{
	if (out->nerrors < WF_MAX_ERRORS)
		out->errors[out->nerrors++] = (struct wf_field_error){ input, rule };
}

/* Checks the declared inputs; the JSON of their values goes to hist. 0 ok, 1 refused, -1 error. */
static const struct multipart_file *
find_file(const struct wf_inputs *in, const char *name)
{
	for (size_t i = 0; in != NULL && i < in->nfiles; i++)
		if (strcmp(in->files[i].field, name) == 0)
			return &in->files[i];
	return NULL;
}

static int
check_inputs(struct db *db, struct arena *a, const struct wf_transition *t, const char *module,
    const struct wf_inputs *in, struct buf *hist, struct wf_outcome *out)
{
	const struct multipart_file *file;
	const char *rule, *json;
	int e;

	buf_puts(hist, "{");
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct wf_input *d = &t->inputs[i];
		const char *v = in ? http_field_get(in->fields, in->nfields, d->name) : NULL;

		/* Several values: history keeps them as a JSON array. */
		if (d->type == WF_IN_COUNTRIES || d->type == WF_IN_AUTHORITIES) {
			size_t n = 0;
			const char **vs = in ? participant_values(a, in->fields, in->nfields, d->name, &n) :
			    NULL;
			if (participant_rows_input(db, a, d->type == WF_IN_COUNTRIES, vs, n, &json,
			    &rule) == -1)
				return -1;
			/* A form field the actor may not see is not theirs to fill: caseform.c asks. */
			if (rule != NULL || (json == NULL && d->required && d->field == NULL))
				field_error(out, d->name, rule != NULL ? rule : "required");
			if (rule != NULL || json == NULL || d->unrecorded)
				continue;
			if (hist->len > 1)
				buf_puts(hist, ",");
			json_string(hist, d->name);
			buf_printf(hist, ":%s", json);
			continue;
		}

		if (d->type == WF_IN_FILE) {
			/* A file arrives as a multipart part; history keeps its name. */
			v = (file = find_file(in, d->name)) != NULL ? file->filename : NULL;
			if (file != NULL && file->too_big)
				field_error(out, d->name, "file-too-big");
			else if (file != NULL && d->max > 0 && file->len > (size_t)d->max)
				field_error(out, d->name, "too-long");
			else if (file != NULL && (rule = textcheck_filename(file->filename)) != NULL)
				field_error(out, d->name, rule);
			/* Name and content must agree on a type of the allowlist (core/filetype.h). */
			else if (file != NULL && !filetype_allowed(file->filename, file->data, file->len))
				field_error(out, d->name, "file-type");
		}
		long max = d->max > 0 ? d->max : d->type == WF_IN_TEXTAREA ? TEXTAREA_MAX : TEXT_MAX;

		if (v == NULL)
			v = "";
		if (v[0] == '\0') {
			/* A form field the actor may not see is not theirs to fill: caseform.c asks. */
			if (d->required && d->field == NULL)
				field_error(out, d->name, "required");
			continue;
		}
		switch (d->type) {
		case WF_IN_TEXT:
			if ((rule = textcheck_line(v, (size_t)max)) != NULL)
				field_error(out, d->name, rule);
			break;
		case WF_IN_TEXTAREA:
			if ((rule = textcheck_text(v, (size_t)max)) != NULL)
				field_error(out, d->name, rule);
			break;
		case WF_IN_DATE:
			if (!date_valid(v))
				field_error(out, d->name, "date");
			break;
		case WF_IN_CHOICE:
			if ((e = option_find(db, a, d, module, v, NULL)) == -1)
				return -1;
			if (!e)
				field_error(out, d->name, "choice");
			break;
		case WF_IN_AUTHORITY:
		case WF_IN_USER:
			if ((e = exists_id(db, a, d->type == WF_IN_USER ? &q_user : &q_authority, v)) == -1)
				return -1;
			if (!e)
				field_error(out, d->name, d->type == WF_IN_USER ? "user" : "authority");
			break;
		default:
			break;
		}
		if (d->unrecorded)
			continue;
		if (hist->len > 1)
			buf_puts(hist, ",");
		json_string(hist, d->name);
		buf_puts(hist, ":");
		json_string(hist, v);
	}
	buf_puts(hist, "}");
	return out->nerrors > 0 ? 1 : 0;
}

static const struct db_query q_user_authority = { "engine_user_authority",
	"SELECT authority_id FROM users WHERE id = $1", 1 };

/*
 * One link per event this recipient may fire in the new state: a random token
 * in the mail, only its hash in the database, bound to user, instance, event,
 * state and revision.
 */
static int
add_links(struct wf_fire *f, const struct wf_action *ac, struct wf_actor *who, xmlNodePtr mail)
{
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	const char *params[7], *missing;
	const struct wf_transition *t;
	xmlNodePtr n;
	PGresult *r;
	int g;

	params[0] = num(f->a, who->user_id);
	if ((r = db_exec(f->db, f->a, &q_user_authority, params)) == NULL || PQntuples(r) != 1)
		return -1;
	who->authority_id = db_int(r, 0, 0);
	for (size_t k = 0; k < ac->nlinks; k++) {
		if ((t = wf_transition(f->to, ac->links[k])) == NULL)
			continue;
		if ((g = wf_guard(f->db, f->a, who, f->instance_id, f->module, t, &missing)) == -1)
			return -1;
		if (g == 0)
			continue;
		token_new(token);
		token_hash(token, hash);
		params[0] = hash;
		params[1] = num(f->a, who->user_id);
		params[2] = num(f->a, f->instance_id);
		params[3] = t->event;
		params[4] = f->to->name;
		params[5] = num(f->a, f->rev);
		params[6] = num(f->a, WF_LINK_DAYS);
		if (db_queue(f->db, f->a, &q_link, params, NULL) == -1)
			return -1;
		n = model_add(mail, "link", arena_printf(f->a, "%s/links/%s", f->cfg->base_url, token));
		model_attr(n, "event", t->event);
		model_attr(n, "label", t->label ? t->label : t->event);
	}
	return 0;
}

#define WF_MAIL_PARTS_MAX 8
static wf_mail_part_fn mail_parts[WF_MAIL_PARTS_MAX];
static size_t nmail_parts;

int
wf_mail_part_add(wf_mail_part_fn fn)
{
	for (size_t i = 0; i < nmail_parts; i++)
		if (mail_parts[i] == fn)
			return 0;
	if (nmail_parts == WF_MAIL_PARTS_MAX)
		return -1;
	mail_parts[nmail_parts++] = fn;
	return 0;
}

/* What the registered parts add to every mail of this <notify>, under one node; NULL on error. */
static xmlNodePtr
mail_parts_model(struct wf_fire *f)
{
	xmlNodePtr holder = model_new(f->a, "parts");

	for (size_t i = 0; holder != NULL && i < nmail_parts; i++)
		if (mail_parts[i](f, holder) == -1)
			return NULL;
	return holder;
}

/* The generic mail model for a recipient named name, with what the parts add. */
static xmlNodePtr
mail_model(struct wf_fire *f, const struct wf_action *ac, const char *name, xmlNodePtr parts)
{
	xmlNodePtr mail, copy;

	if ((mail = model_new(f->a, "mail")) == NULL)
		return NULL;
	model_attr(mail, "template", ac->template);
	model_add(mail, "name", name);
	model_add(mail, "workflow", f->def->label ? f->def->label : f->def->name);
	model_add(mail, "event", f->t->label ? f->t->label : f->t->event);
	model_add(mail, "state", f->to->label ? f->to->label : f->to->name);
	model_attrf(mail, "instance", "%lld", f->instance_id);
	model_add(mail, "url", arena_printf(f->a, "%s/instances/%lld", f->cfg->base_url,
	    f->instance_id));
	for (xmlNodePtr c = parts->children; c != NULL; c = c->next)
		if ((copy = xmlDocCopyNode(c, mail->doc, 1)) == NULL || xmlAddChild(mail, copy) == NULL)
			return NULL;
	return mail;
}

static int
notify(struct wf_fire *f, const struct wf_action *ac)
{
	const struct party_queries *q = ac->participant ? NULL : party_queries(ac->party);
	registry_mail_fn model = registry_mail_model(ac->template);
	const char *params[4], *placeholder = NULL;
	char token[TOKEN_LEN + 1];
	struct outbox_batch *batch;
	xmlNodePtr parts, mail, shared = NULL;
	PGresult *r;

	if (q == NULL && !ac->participant)
		return -1;
	params[0] = num(f->a, f->instance_id);
	params[1] = ac->role;
	params[2] = f->module;
	params[3] = ac->party;
	if ((r = db_exec(f->db, f->a, q != NULL ? &q->recipients : &q_participant_recipients,
	    params)) == NULL)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	if ((parts = mail_parts_model(f)) == NULL)
		return -1;
	/* A broadcast's mails are one INSERT, not one statement per recipient (outbox.h). */
	if ((batch = outbox_batch_new(f->a, (size_t)PQntuples(r))) == NULL)
		return -1;
	/*
	 * Mails that differ only by the recipient's name (no links of their own, no model of
	 * the domain's) are drawn once per language, the name put in afterwards: a broadcast
	 * to hundreds renders a few.  The placeholder is a fresh token between two private-use
	 * characters, so no value in the mail can hold it.
	 */
	if (ac->nlinks == 0 && model == NULL) {
		token_new(token);
		if ((placeholder = arena_printf(f->a, "\xee\x80\x80%s\xee\x80\x80", token)) == NULL ||
		    (shared = mail_model(f, ac, placeholder, parts)) == NULL)
			return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct wf_actor who = { WF_ACTOR_MAIL, db_int(r, i, 0), 0 };
		if (shared != NULL) {
			if (outbox_batch_add_named(batch, db_value(r, i, 1), db_value(r, i, 2), shared,
			    placeholder, db_value(r, i, 3)) == -1)
				return -1;
			continue;
		}
		if ((mail = mail_model(f, ac, db_value(r, i, 3), parts)) == NULL)
			return -1;
		if (ac->nlinks > 0 && add_links(f, ac, &who, mail) == -1)
			return -1;
		if (model != NULL && model(f, db_value(r, i, 2), mail) == -1)
			return -1;
		if (outbox_batch_add(batch, db_value(r, i, 1), db_value(r, i, 2), mail) == -1)
			return -1;
	}
	return outbox_batch_queue(f->db, batch);
}

/*
 * <add-participants>: the selector's authorities in the role's first state;
 * its values from the input (every field of its name) or the data field as
 * the sets left it.  <participant-state>: the acting authority's row (the
 * system holds none).
 */
static int
run_participants(struct wf_fire *f, const struct wf_action *ac)
{
	const struct wf_participant_role *pr = participant_role_find(f->def->roles, f->def->nroles,
	    ac->participant_role);
	long long by = f->actor->kind == WF_ACTOR_SYSTEM ? 0 : f->actor->authority_id;
	const char *values = NULL, **v;
	size_t n = 0;

	if (pr == NULL || pr->nstates == 0)
		return -1;
	if (ac->kind == WF_ACT_PARTICIPANT_STATE)
		return by == 0 ? 0 : participant_rows_state(f->db, f->a, f->instance_id, by, pr->name,
		    ac->to_state, f->rev);
	if (ac->values_input != NULL && f->in != NULL &&
	    (v = participant_values(f->a, f->in->fields, f->in->nfields, ac->values_input, &n)) != NULL &&
	    (values = pg_text_array(f->a, v, n)) == NULL)
		return -1;
	if (ac->values_field != NULL &&
	    participant_rows_field(f->db, f->a, f->instance_id, ac->values_field, &values) == -1)
		return -1;
	if (ac->kind == WF_ACT_REMOVE_PARTICIPANTS)
		return participant_rows_remove(f->db, f->a, f->instance_id, pr->name, values);
	return participant_rows_add(f->db, f->a, f->instance_id, by, f->rev, f->module, pr->name,
	    pr->states[0].name, ac->select, values);
}

/*
 * The actions of one kind, in the order written.  A set is applied with the
 * state (see wf_fire_tx), so it has no phase here.
 */
static int
run_kind(struct wf_fire *f, enum wf_action_kind kind)
{
	char interval[128];
	int rc;

	for (size_t i = 0; i < f->t->nactions; i++) {
		const struct wf_action *ac = &f->t->actions[i];
		const char *params[6];

		if (ac->kind != kind)
			continue;
		switch (ac->kind) {
		case WF_ACT_NOTIFY:
			if (notify(f, ac) == -1)
				return -1;
			break;
		case WF_ACT_START_TIMER:
			wf_duration_interval(&ac->after, interval, sizeof(interval));
			params[0] = num(f->a, f->instance_id);
			params[1] = ac->timer;
			params[2] = ac->event;
			params[3] = f->to->name;
			params[4] = interval;
			params[5] = ac->from ? ac->from : "";
			if (db_queue(f->db, f->a, &q_timer, params, NULL) == -1)
				return -1;
			break;
		case WF_ACT_CANCEL_TIMER:
			params[0] = num(f->a, f->instance_id);
			params[1] = ac->timer;
			if (db_queue(f->db, f->a, &q_cancel, params, NULL) == -1)
				return -1;
			break;
		case WF_ACT_ADD_PARTICIPANTS:
		case WF_ACT_REMOVE_PARTICIPANTS:
		case WF_ACT_PARTICIPANT_STATE:
			if (run_participants(f, ac) == -1)
				return -1;
			break;
		case WF_ACT_CALL:
			/* 1: an input refused (wf_refuse); nothing after it runs. */
			if ((rc = registry_action(ac->call)->fn(f)) != 0)
				return rc;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
wf_refuse(struct wf_fire *f, const char *input, const char *rule)
{
	field_error(f->out, input, rule);
	return 1;
}

int
wf_forbid(struct wf_fire *f, const char *missing)
{
	/* fire() keeps the result an action leaves when it returns -1. */
	f->out->result = WF_FORBIDDEN;
	f->out->detail = missing;
	/* Free English from a domain action: the page says only that it is not allowed. */
	f->out->reason = (struct wf_reason){ WF_REASON_OTHER, 0, NULL, NULL };
	log_warn("instance %lld: %s refused: needs %s", f->instance_id, f->t->event, missing);
	return -1;
}

/*
 * Calls first: they may change who a party is (a forward changes the
 * responder) or the data a timer reads; then timers cancelled before timers
 * started, so a transition restarts a timer by naming it in both; mails last,
 * so they describe the instance as the transition leaves it.
 */
static int
run_actions(struct wf_fire *f)
{
	static const enum wf_action_kind phases[] = { WF_ACT_ADD_PARTICIPANTS,
	    WF_ACT_REMOVE_PARTICIPANTS, WF_ACT_PARTICIPANT_STATE, WF_ACT_CALL, WF_ACT_CANCEL_TIMER, WF_ACT_START_TIMER,
	    WF_ACT_NOTIFY };

	int rc;

	for (size_t p = 0; p < sizeof(phases) / sizeof(phases[0]); p++)
		if ((rc = run_kind(f, phases[p])) != 0)
			return rc;
	return 0;
}

/* 1 when a <set> after action i of t sets the same field. */
static int
set_again(const struct wf_transition *t, size_t i)
{
	for (size_t k = i + 1; k < t->nactions; k++)
		if (t->actions[k].kind == WF_ACT_SET &&
		    strcmp(t->actions[k].field, t->actions[i].field) == 0)
			return 1;
	return 0;
}

/*
 * The <set>s of t: values as a JSON object in b, the names of the fields that
 * take the time of firing as a JSON array in nows (the database adds those
 * after b, so of two sets of one field the later still wins).  Returns how
 * many names nows holds.
 */
static size_t
build_sets(const struct wf_transition *t, const struct wf_inputs *in, struct buf *b,
    struct buf *nows)
{
	size_t n = 0;
	int first = 1;

	buf_puts(b, "{");
	buf_puts(nows, "[");
	for (size_t i = 0; i < t->nactions; i++) {
		const struct wf_action *ac = &t->actions[i];
		const char *v;
		if (ac->kind != WF_ACT_SET)
			continue;
		if (ac->now) {
			if (set_again(t, i))
				continue;
			if (n++ > 0)
				buf_puts(nows, ",");
			json_string(nows, ac->field);
			continue;
		}
		v = ac->input ? (in ? http_field_get(in->fields, in->nfields, ac->input) : NULL)
		    : ac->value;
		if (!first)
			buf_puts(b, ",");
		first = 0;
		json_string(b, ac->field);
		buf_puts(b, ":");
		json_string(b, v != NULL ? v : "");
	}
	buf_puts(b, "}");
	buf_puts(nows, "]");
	return n;
}

static int
store_documents(struct db *db, struct arena *a, long long iid, long long seq,
    const struct wf_transition *t, const struct wf_inputs *in)
{
	const struct multipart_file *file;
	const char *params[7];
	int lengths[7] = { 0 }, formats[7] = { 0 };

	for (size_t i = 0; i < t->ninputs; i++) {
		/* check_inputs refused a file too big; none is ever stored without its bytes. */
		if (t->inputs[i].type != WF_IN_FILE || (file = find_file(in, t->inputs[i].name)) == NULL ||
		    file->too_big)
			continue;
		params[0] = num(a, iid);
		params[1] = num(a, seq);
		params[2] = t->inputs[i].name;
		params[3] = file->filename;
		/* The type's own, not what the browser claimed (check_inputs took only known types). */
		params[4] = filetype_content_type(file->filename) != NULL ?
		    filetype_content_type(file->filename) : file->content_type;
		params[5] = num(a, (long long)file->len);
		params[6] = (const char *)file->data;
		lengths[6] = (int)file->len;
		formats[6] = 1;	/* binary: the bytes as uploaded */
		if (db_exec_bin(db, a, &q_document, params, lengths, formats) == NULL)
			return -1;
	}
	return 0;
}

#define WF_STEPS_MAX 8
static wf_fire_step_fn steps[WF_STEPS_MAX];
static size_t nsteps;

int
wf_fire_step_add(wf_fire_step_fn fn)
{
	for (size_t i = 0; i < nsteps; i++)
		if (steps[i] == fn)
			return 0;
	if (nsteps == WF_STEPS_MAX)
		return -1;
	steps[nsteps++] = fn;
	return 0;
}

/* The registered steps, in order, each given the history row's inputs the last one left. */
static int
run_steps(struct wf_fire *f, struct buf *hist)
{
	const char *json = hist->data, *was;
	int rc;

	for (size_t i = 0; i < nsteps; i++)
		if ((rc = steps[i](f, &json)) != 0)
			return rc;
	if (json != hist->data) {
		was = json;
		buf_release(hist);
		buf_init(hist);
		buf_puts(hist, was);
		if (!buf_ok(hist))
			return -1;
	}
	return 0;
}

/*
 * A guard whose verdict comes with the COMMIT (see deferrable): what the page
 * says then, and the state the instance stays in.
 */
struct later {
	int deferred;
	const char *missing;
	struct wf_reason why;
	const char *from;
};

/*
 * Whether t's guard may travel with the writes and the COMMIT, one round trip
 * instead of two: a single <allow>, no condition, no <not-by>: one statement decides
 * and what the page reports missing does not depend on which part failed;
 * and nothing between the guard and the COMMIT that needs an answer from the
 * database (mails, documents, actions in C), so the refusal surfaces at the
 * COMMIT and nowhere else.  The system actor's guard needs no database at all.
 */
static int
deferrable(const struct wf_actor *actor, const struct wf_transition *t)
{
	if (actor->kind == WF_ACTOR_SYSTEM || t->nallows != 1 || t->nconds != 0 || t->nnot_by != 0)
		return 0;
	if (t->caseops != NULL)
		return 0;
	for (size_t i = 0; i < t->ninputs; i++)
		if (t->inputs[i].type == WF_IN_FILE || t->inputs[i].type == WF_IN_COMMENT)
			return 0;
	for (size_t i = 0; i < t->nactions; i++)
		if (t->actions[i].kind != WF_ACT_SET && t->actions[i].kind != WF_ACT_START_TIMER &&
		    t->actions[i].kind != WF_ACT_CANCEL_TIMER)
			return 0;
	return 1;
}

/*
 * wf_fire_tx, and for wf_fire (later not NULL) the same with the guard's
 * verdict left to the COMMIT when deferrable: its statement raises IM403
 * before the writes queued after it, and the transaction writes nothing.
 */
/*
 * The instance as q_lock reads it (definition, version, state, rev, module), already locked by
 * the caller: the due timers' claim reads and locks it with the timer (no round trip more).
 */
struct prelocked {
	const PGresult *r;
	int row, col;
};

static void
fire(struct db *db, struct arena *a, const struct config *cfg, const struct wf_actor *actor,
    long long iid, long long expected_rev, const char *event, const struct wf_inputs *in,
    struct wf_outcome *out, struct later *later, const struct prelocked *pre)
{
	struct wf_fire f;
	struct buf hist, sets, nows;
	struct allow_ask ask;
	const struct wf_def *def;
	const struct wf_state *from;
	const struct wf_transition *t;
	const char *params[10], *missing = NULL, *module;
	const struct db_query *q;
	PGresult *r;
	long long rev;
	size_t nnows;
	int g, inputs = -1, visible;

	memset(out, 0, sizeof(*out));
	out->result = WF_ERROR;
	buf_init(&hist);
	buf_init(&sets);
	buf_init(&nows);
	params[0] = num(a, iid);
	params[1] = num(a, actor->user_id);
	/* From the pages, an instance the user may not see is not there: no state, no role named. */
	visible = later != NULL && actor->kind == WF_ACTOR_USER;
	if (pre != NULL) {
		rev = db_int(pre->r, pre->row, pre->col + 3);
		module = db_value(pre->r, pre->row, pre->col + 4);
		def = defs_get(db, a, cfg->datadir, db_value(pre->r, pre->row, pre->col),
		    (int)db_int(pre->r, pre->row, pre->col + 1));
		if (def == NULL)
			goto out;
		from = wf_state(def, db_value(pre->r, pre->row, pre->col + 2));
	} else {
		if ((q = lock_query(visible)) == NULL || (r = db_exec(db, a, q, params)) == NULL)
			goto out;
		if (PQntuples(r) != 1 || (visible && !db_bool(r, 0, 5))) {
			out->result = WF_NOT_FOUND;
			goto out;
		}
		rev = db_int(r, 0, 3);
		module = db_value(r, 0, 4);
		def = defs_get(db, a, cfg->datadir, db_value(r, 0, 0), (int)db_int(r, 0, 1));
		if (def == NULL)
			goto out;
		from = wf_state(def, db_value(r, 0, 2));
	}
	out->state = from ? from->name : NULL;
	out->state_label = from ? (from->label ? from->label : from->name) : NULL;
	t = wf_transition(from, event);
	/* concurrent="true": the instance as it is now, whatever the form was rendered at. */
	if (expected_rev != 0 && rev != expected_rev && (t == NULL || !t->concurrent)) {
		out->result = WF_CONFLICT;
		out->detail = arena_printf(a, "it is now in the state \"%s\"", out->state);
		goto out;
	}
	if (t == NULL) {
		out->result = WF_CONFLICT;
		out->detail = arena_printf(a, "\"%s\" is not possible in the state \"%s\"", event,
		    out->state);
		goto out;
	}
	if (later != NULL && deferrable(actor, t)) {
		/* Inputs are checked first; refused ones need the verdict now (403 before 422). */
		if ((inputs = check_inputs(db, a, t, module, in, &hist, out)) == -1)
			goto out;
		if (inputs == 0) {
			if (allow_ask(a, actor, iid, module, &t->allows[0], 1, &ask) == -1)
				goto out;
			if (ask.q != NULL && db_queue(db, a, ask.q, ask.params, NULL) == -1)
				goto out;
			later->deferred = ask.q != NULL;
			later->missing = allows_missing(a, t, &later->why);
			later->from = from->name;
		}
	}
	if (later == NULL || !later->deferred) {
		if ((g = guard(db, a, actor, iid, module, t, &missing, &out->reason)) == -1)
			goto out;
		if (g == 0) {
			out->nerrors = 0;
			out->result = WF_FORBIDDEN;
			out->detail = missing;
			goto out;
		}
	}
	if (inputs == -1 && (inputs = check_inputs(db, a, t, module, in, &hist, out)) == -1)
		goto out;
	if (inputs == 1) {
		out->result = WF_INVALID;
		goto out;
	}
	nnows = build_sets(t, in, &sets, &nows);
	if (!buf_ok(&hist) || !buf_ok(&sets) || !buf_ok(&nows))
		goto out;
	/*
	 * The writes need no answer: they are queued to travel with whatever asks
	 * the database next, at the latest the COMMIT, in one round trip.  The row
	 * is locked, so the revision they write is the one read plus one.
	 */
	rev++;
	f = (struct wf_fire){ db, a, cfg, def, from, t->to, t, iid, actor, in, rev, module, out };
	if ((g = run_steps(&f, &hist)) != 0) {
		if (g == 1)
			out->result = WF_INVALID;
		goto out;
	}
	params[1] = t->to->name;
	params[2] = sets.data;
	params[3] = from->name;
	params[4] = event;
	params[5] = actor->kind == WF_ACTOR_SYSTEM ? "system" : actor->kind == WF_ACTOR_MAIL ? "mail" : "user";
	params[6] = actor->kind == WF_ACTOR_SYSTEM ? NULL : num(a, actor->user_id);
	params[7] = actor->kind == WF_ACTOR_SYSTEM ? NULL : num(a, actor->authority_id);
	params[8] = hist.data;
	params[9] = nows.data;
	if (db_queue(db, a, nnows > 0 ? &q_write_now : &q_write, params, NULL) == -1 ||
	    store_documents(db, a, iid, rev, t, in) == -1)
		goto out;
	if ((g = run_actions(&f)) != 0) {
		if (g == 1)
			out->result = WF_INVALID;
		goto out;
	}
	out->state = t->to->name;
	out->result = WF_OK;
out:
	buf_release(&hist);
	buf_release(&sets);
	buf_release(&nows);
}

void
wf_fire_tx(struct db *db, struct arena *a, const struct config *cfg, const struct wf_actor *actor,
    long long iid, long long expected_rev, const char *event, const struct wf_inputs *in,
    struct wf_outcome *out)
{
	/* The caller's transaction goes on after this: the verdict is needed now. */
	fire(db, a, cfg, actor, iid, expected_rev, event, in, out, NULL, NULL);
}

void
wf_fire(struct db *db, struct arena *a, const struct config *cfg, const struct wf_actor *actor,
    long long iid, long long expected_rev, const char *event, const struct wf_inputs *in,
    struct wf_outcome *out)
{
	struct later later = { 0, NULL, { WF_REASON_NONE, 0, NULL, NULL }, NULL };
	const char *st;

	if (db_begin(db) == -1) {
		memset(out, 0, sizeof(*out));
		out->result = WF_ERROR;
		return;
	}
	fire(db, a, cfg, actor, iid, expected_rev, event, in, out, &later, NULL);
	if (out->result != WF_OK) {
		db_rollback(db);
		return;
	}
	if (db_commit(db) == 0)
		return;
	/*
	 * The writes travel with the COMMIT, and may the guard's verdict: a refusal
	 * wrote nothing; a serialisation failure or a history row taken means
	 * someone else won; anything else is an error.
	 */
	st = db_sqlstate(db);
	if (later.deferred && strcmp(st, WF_SQLSTATE_REFUSED) == 0) {
		out->result = WF_FORBIDDEN;
		out->detail = later.missing;
		out->reason = later.why;
		out->state = later.from;
	} else if (strncmp(st, "40", 2) == 0 || strcmp(st, "23505") == 0) {
		out->result = WF_CONFLICT;
		out->detail = "someone else changed it at the same moment";
	} else
		out->result = WF_ERROR;
}

long long
wf_start_tx(struct db *db, struct arena *a, const struct config *cfg, const struct wf_actor *actor,
    const char *definition, long long authority_id, const char *module)
{
	const struct wf_def *def;
	const char *params[9];
	PGresult *r;

	if ((def = defs_get(db, a, cfg->datadir, definition, 0)) == NULL)
		return -1;
	params[0] = def->name;
	params[1] = num(a, def->version);
	params[2] = def->initial->name;
	params[3] = module != NULL ? module : def->module;
	params[4] = num(a, authority_id);
	params[5] = actor->kind == WF_ACTOR_SYSTEM ? NULL : num(a, actor->user_id);
	/* Kept for life, as the version: the rule of who sees it (registry_domain.seen_by). */
	params[6] = def->seen_by != NULL ? def->seen_by : "";
	if ((r = db_exec(db, a, &q_start, params)) == NULL)
		return -1;
	params[0] = db_value(r, 0, 0);
	params[1] = "1";
	params[2] = "start";
	params[3] = NULL;
	params[4] = def->initial->name;
	params[5] = actor->kind == WF_ACTOR_SYSTEM ? "system" : "user";
	params[6] = actor->kind == WF_ACTOR_SYSTEM ? NULL : num(a, actor->user_id);
	params[7] = actor->kind == WF_ACTOR_SYSTEM ? NULL : num(a, actor->authority_id);
	params[8] = "{}";
	/* Goes with the caller's next statement or COMMIT. */
	if (db_queue(db, a, &q_history, params, NULL) == -1)
		return -1;
	return db_int(r, 0, 0);
}

enum wf_result
wf_start_declared(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, const char *definition, int dry_run, long long *id,
    const char **missing)
{
	const struct wf_def *def;
	enum wf_result res = WF_ERROR;
	long long iid;
	int g, own_tx;

	*id = 0;
	*missing = NULL;
	if ((def = defs_get(db, a, cfg->datadir, definition, 0)) == NULL)
		return WF_NOT_FOUND;
	/* Nobody, and nothing to ask the database. */
	if (def->start.nallows == 0 || actor->kind != WF_ACTOR_USER) {
		*missing = "a <start> in the definition";
		return WF_FORBIDDEN;
	}
	/*
	 * Parties are relations to an instance, so the guard is asked of the
	 * instance itself, started in the transaction it would commit with; a
	 * refusal (or a dry run) rolls it all back.  A dry run inside the caller's
	 * transaction leaves that to the caller (nine start buttons of /workflows:
	 * one transaction, two round trips each instead of three).
	 */
	own_tx = !(dry_run && db_in_transaction(db));
	if (own_tx && db_begin(db) == -1)
		return WF_ERROR;
	if ((iid = wf_start_tx(db, a, cfg, actor, definition, actor->authority_id, NULL)) == -1 ||
	    (g = wf_guard(db, a, actor, iid, def->module, &def->start, missing)) == -1)
		goto out;
	if (g == 0) {
		res = WF_FORBIDDEN;
		goto out;
	}
	if (dry_run) {
		res = WF_OK;
		goto out;
	}
	if (db_commit(db) == -1)
		return WF_ERROR;
	*id = iid;
	return WF_OK;
out:
	if (own_tx)
		db_rollback(db);
	return res;
}

/*
 * One timer of a claimed batch, under the savepoint "timer": 1 fired (or refused: marked fired
 * all the same, retrying cannot help), 0 failed (rolled back to the savepoint, left due for a
 * later round), -1 the transaction is lost.  The instance comes locked and read with the
 * claim, so a timer costs no round trip of its own: its writes are queued and travel with the
 * next timer's or the COMMIT.  careful: flushed before returning, so a failure is surely this
 * timer's and never takes the others with it (after a batch whose COMMIT failed).
 */
static int
fire_claimed(struct db *db, struct arena *a, const struct config *cfg, PGresult *r, int row,
    int careful)
{
	struct wf_actor system = { WF_ACTOR_SYSTEM, 0, 0 };
	struct prelocked pre = { r, row, 4 };
	struct wf_outcome out;
	const char *params[1];

	params[0] = db_value(r, row, 0);
	if (db_queue(db, a, &q_savepoint, NULL, NULL) == -1 ||
	    db_queue(db, a, &q_fired, params, NULL) == -1)
		return -1;
	memset(&out, 0, sizeof(out));
	out.result = WF_OK;
	if (db_bool(r, row, 3))
		fire(db, a, cfg, &system, db_int(r, row, 1), 0, db_value(r, row, 2), NULL, &out,
		    NULL, &pre);
	if (out.result == WF_OK || out.result == WF_ERROR) {
		if (out.result == WF_OK && db_queue(db, a, &q_release, NULL, NULL) == 0 &&
		    (!careful || db_flush(db) == 0))
			return 1;
		log_warn("timer %s on instance %s: event %s failed; left for a later round",
		    params[0], db_value(r, row, 1), db_value(r, row, 2));
		return db_command(db, "ROLLBACK TO SAVEPOINT timer") == 0 ? 0 : -1;
	}
	log_warn("timer %s on instance %s: event %s refused: %s", params[0],
	    db_value(r, row, 1), db_value(r, row, 2), out.detail ? out.detail : "");
	if (db_command(db, "ROLLBACK TO SAVEPOINT timer") == -1 ||
	    db_exec(db, a, &q_fired, params) == NULL)
		return -1;
	return 1;
}

int
wf_fire_due_timers(struct db *db, const struct config *cfg)
{
	struct arena *a;
	PGresult *r;
	long long seen[TIMER_BATCH];
	int n = 0, rows, fired, f, k, dup, careful = 0;

	for (;;) {
		if ((a = arena_new()) == NULL)
			return -1;
		if (db_begin(db) == -1 || (r = db_exec(db, a, &q_due, NULL)) == NULL)
			goto fail;
		rows = PQntuples(r);
		fired = 0;
		for (int i = 0; i < rows && i < TIMER_BATCH; i++) {
			/*
			 * One timer per instance a batch: the first one's transition may cancel
			 * the others, and changes the state the claim read (they are claimed
			 * again by the next batch).
			 */
			seen[i] = db_int(r, i, 1);
			for (k = 0, dup = 0; k < i && !dup; k++)
				dup = seen[k] == seen[i];
			if (dup)
				continue;
			if ((f = fire_claimed(db, a, cfg, r, i, careful)) == -1)
				goto fail;
			fired += f;
		}
		if (rows == 0) {
			db_rollback(db);
			arena_free(a);
			return n;
		}
		if (db_commit(db) == -1) {
			/*
			 * A queued write failed and took the batch with it: the same batch again,
			 * each timer flushed on its own, so only the failing one stays due.
			 */
			arena_free(a);
			if (careful)
				return -1;
			log_warn("a batch of %d timers failed; firing them one by one", rows);
			careful = 1;
			continue;
		}
		arena_free(a);
		n += fired;
		/* Nothing more due, or only what failed just now: a later round retries it. */
		if ((rows < TIMER_BATCH && fired == rows) || fired == 0)
			return n;
	}
fail:
	db_rollback(db);
	arena_free(a);
	return -1;
}
