/*
 * db.c — see db.h.  A connection remembers which statements it has prepared;
 * after a reconnect the set starts empty and statements are prepared again.
 * A statement not prepared yet is prepared in the same round trip as its
 * first execution, a pipeline's Parse before its Bind.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"

/* A statement waiting for the next round trip (db_queue). */
struct queued {
	const struct db_query *q;
	const char **params;       /* copies, in a */
	struct arena *a;
	PGresult **result;         /* where its result goes, or NULL */
};

struct db {
	PGconn *conn;
	char *conninfo;
	const struct db_query **prepared;
	size_t nprepared, cap;
	int in_tx;                 /* between db_begin and db_commit or db_rollback */
	int begin_pending;         /* in_tx, and BEGIN not sent yet */
	struct queued *queue;
	size_t nqueue, qcap;
	char sqlstate[6];
	int statement_ms, lock_ms;  /* set on every connection; 0: PostgreSQL's default */
	unsigned long connections;  /* made so far: what a session's LISTEN knows it by */
};

/* One message of a pipeline: a prepared statement, or a command without parameters. */
struct unit {
	const struct db_query *q;  /* NULL: sql */
	const char *sql;
	const char *const *params;
	const int *lengths, *formats;
	int prepare;               /* q goes with its Parse */
	PGresult *prep, *result;
};

static void
notice_to_log(void *arg, const char *message)
{
	(void)arg;
	log_debug("postgres: %s", message);
}

static const struct db_query q_limit = { "db_limit",
	"SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $1, true)", 1 };

/* Session-wide settings for the connection's life: jit, and the limits when there are any. */
static int
session_settings(struct db *db)
{
	char st[16], lk[16];
	const char *params[2] = { st, lk };
	PGresult *r;
	int rc = 0;

	/*
	 * JIT off, always: our statements are short.  A cost estimate over
	 * jit_above_cost (a visibility subplan over a large table) made PostgreSQL
	 * spend 1.5-2 s compiling a statement that then ran in milliseconds
	 * (bench/README.md, "My tasks").  In the same round trip as the limits.
	 */
	if (db->statement_ms == 0 && db->lock_ms == 0)
		r = PQexec(db->conn, "SELECT set_config('jit', 'off', false)");
	else {
		snprintf(st, sizeof(st), "%dms", db->statement_ms);
		snprintf(lk, sizeof(lk), "%dms", db->lock_ms);
		r = PQexecParams(db->conn, "SELECT set_config('jit', 'off', false),"
		    " set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)",
		    2, NULL, params, NULL, NULL, 0);
	}
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		log_error("cannot set jit, statement_timeout and lock_timeout: %s",
		    r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn));
		rc = -1;
	}
	PQclear(r);
	return rc;
}

static int
connect_now(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->nprepared = 0;
	db->in_tx = 0;
	db->begin_pending = 0;
	db->nqueue = 0;
	db->conn = PQconnectdb(db->conninfo);
	db->connections++;
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_error("cannot connect to PostgreSQL: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		return -1;
	}
	PQsetNoticeProcessor(db->conn, notice_to_log, NULL);
	return session_settings(db);
}

struct db *
db_open(const char *conninfo)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL || connect_now(db) == -1) {
		db_close(db);
		return NULL;
	}
	return db;
}

struct db *
db_open_limited(const char *conninfo, int statement_ms, int lock_ms)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->statement_ms = statement_ms;
	db->lock_ms = lock_ms;
	if ((db->conninfo = strdup(conninfo)) == NULL || connect_now(db) == -1) {
		db_close(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->prepared);
	free(db->queue);
	free(db->conninfo);
	free(db);
}

PGconn *
db_conn(struct db *db)
{
	return db->conn;
}

int
db_ensure(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	log_warn("PostgreSQL connection lost; reconnecting");
	return connect_now(db);
}

const char *
db_sqlstate(struct db *db)
{
	return db->sqlstate;
}

int
db_timed_out(struct db *db)
{
	return strcmp(db->sqlstate, "57014") == 0 || strcmp(db->sqlstate, "55P03") == 0;
}

int
db_queue_limit(struct db *db, struct arena *a, int ms)
{
	char v[16];
	const char *params[1] = { v };

	snprintf(v, sizeof(v), "%dms", ms);
	return db_queue(db, a, &q_limit, params, NULL);
}

static int
is_prepared(struct db *db, const struct db_query *q)
{
	for (size_t i = 0; i < db->nprepared; i++)
		if (db->prepared[i] == q)
			return 1;
	return 0;
}

static void
note_error(struct db *db, const PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) :
	    PQerrorMessage(db->conn);

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	/*
	 * Expected conflicts, and a guard's refusal (IM403, sql/010_transition_speed.sql),
	 * are the caller's to report; everything else is a bug or an outage.
	 */
	if (state != NULL && (strcmp(state, "23505") == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "IM403") == 0))
		log_info("%s: %s", what, msg);
	/* A slow or locked database: the page says so (503); the operator should know too. */
	else if (state != NULL && (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0))
		log_warn("%s: timed out: %s", what, msg);
	else
		log_error("%s: %s", what, msg);
}

static void
remember_prepared(struct db *db, const struct db_query *q)
{
	const struct db_query **n;

	if (db->nprepared == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 64;
		if ((n = realloc(db->prepared, cap * sizeof(*n))) == NULL)
			return;	/* prepared on the server; we will just prepare again */
		db->prepared = n;
		db->cap = cap;
	}
	db->prepared[db->nprepared++] = q;
}

static int
prepare(struct db *db, const struct db_query *q)
{
	PGresult *r;

	if (is_prepared(db, q))
		return 0;
	r = PQprepare(db->conn, q->name, q->sql, q->nparams, NULL);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		note_error(db, r, q->name);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	remember_prepared(db, q);
	return 0;
}

static PGresult *
run(struct db *db, const struct db_query *q, const char *const *params, const int *lengths,
    const int *formats)
{
	PGresult *r;
	ExecStatusType st;

	db->sqlstate[0] = '\0';
	if (prepare(db, q) == -1)
		return NULL;
	r = PQexecPrepared(db->conn, q->name, q->nparams, params, lengths, formats, 0);
	st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return r;
	note_error(db, r, q->name);
	PQclear(r);
	return NULL;
}

/*
 * The next answer of a pipeline and the NULL that ends it; NULL when the
 * connection broke (libpq then has an error result or nothing at all).
 */
static PGresult *
next_result(PGconn *c)
{
	PGresult *r, *extra;

	if ((r = PQgetResult(c)) == NULL)
		return NULL;
	if ((extra = PQgetResult(c)) != NULL) {
		PQclear(extra);
		PQclear(r);
		return NULL;
	}
	return r;
}

static int
unit_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

static void
clear_units(struct unit *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		PQclear(u[i].prep);
		PQclear(u[i].result);
		u[i].prep = u[i].result = NULL;
	}
}

/*
 * Sends the units as one pipeline and reads every answer: one round trip for
 * all of them.  0 when every unit succeeded, each result in its unit for the
 * caller to free; -1 otherwise (the first failure noted, all results freed).
 * After a failure inside BEGIN ... the transaction is aborted: roll back.
 */
static int
pipeline(struct db *db, struct unit *u, size_t n)
{
	PGconn *c = db->conn;
	PGresult *r = NULL;
	size_t i, k, sent;
	int rc = 0;

	db->sqlstate[0] = '\0';
	for (i = 0; i < n; i++) {
		u[i].prep = u[i].result = NULL;
		u[i].prepare = u[i].q != NULL && !is_prepared(db, u[i].q);
		/* Twice in one pipeline: the first occurrence's Parse serves both. */
		for (k = 0; k < i && u[i].prepare; k++)
			if (u[k].q == u[i].q)
				u[i].prepare = 0;
	}
	if (PQenterPipelineMode(c) != 1) {
		note_error(db, NULL, "pipeline");
		return -1;
	}
	for (sent = 0; sent < n; sent++) {
		if (u[sent].prepare && PQsendPrepare(c, u[sent].q->name, u[sent].q->sql,
		    u[sent].q->nparams, NULL) != 1)
			break;
		if (u[sent].q != NULL ? PQsendQueryPrepared(c, u[sent].q->name, u[sent].q->nparams,
		    u[sent].params, u[sent].lengths, u[sent].formats, 0) != 1 :
		    PQsendQueryParams(c, u[sent].sql, 0, NULL, NULL, NULL, NULL, 0) != 1)
			break;
	}
	if (sent < n || PQpipelineSync(c) != 1)
		goto broken;
	for (i = 0; i < n; i++) {
		if (u[i].prepare && (u[i].prep = next_result(c)) == NULL)
			goto broken;
		if ((u[i].result = next_result(c)) == NULL)
			goto broken;
	}
	if ((r = PQgetResult(c)) == NULL || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		goto broken;
	PQclear(r);
	r = NULL;
	if (PQexitPipelineMode(c) != 1)
		goto broken;
	for (i = 0; i < n; i++) {
		if (u[i].prepare && PQresultStatus(u[i].prep) == PGRES_COMMAND_OK)
			remember_prepared(db, u[i].q);
		if (rc == 0 && u[i].prepare && PQresultStatus(u[i].prep) != PGRES_COMMAND_OK) {
			note_error(db, u[i].prep, u[i].q->name);
			rc = -1;
		}
		/* After the first failure the rest is only "aborted": nothing more to say. */
		if (rc == 0 && !unit_ok(u[i].result)) {
			note_error(db, u[i].result, u[i].q ? u[i].q->name : u[i].sql);
			rc = -1;
		}
	}
	if (rc == -1)
		clear_units(u, n);
	return rc;
broken:
	note_error(db, r, "pipeline");
	PQclear(r);
	clear_units(u, n);
	/*
	 * A lost connection is the usual reason, and the next round trip deals
	 * with it.  A live connection whose answers did not add up is of no use
	 * either: start afresh.
	 */
	if (PQstatus(c) == CONNECTION_OK) {
		log_warn("PostgreSQL answers out of step with a pipeline; reconnecting");
		(void)connect_now(db);
	}
	return -1;
}

/*
 * Sends a BEGIN not sent yet, the queue and the nlast units of last in one
 * round trip; the results of last stay in last for the caller to free.  The
 * queue is emptied either way.  0 or -1.
 */
static int
flush_with(struct db *db, struct unit *last, size_t nlast)
{
	size_t nq = db->nqueue, first = db->begin_pending ? 1 : 0, i;
	struct unit *u;
	PGresult *r;
	int rc = -1;

	db->nqueue = 0;
	db->begin_pending = 0;
	if ((u = calloc(first + nq + nlast, sizeof(*u))) == NULL) {
		log_error("out of memory for a pipeline");
		return -1;
	}
	if (first)
		u[0].sql = "BEGIN";
	for (i = 0; i < nq; i++) {
		u[first + i].q = db->queue[i].q;
		u[first + i].params = (const char *const *)db->queue[i].params;
	}
	memcpy(u + first + nq, last, nlast * sizeof(*u));
	if (pipeline(db, u, first + nq + nlast) == -1)
		goto out;
	rc = 0;
	if (first)
		PQclear(u[0].result);
	for (i = 0; i < nq; i++) {
		r = u[first + i].result;
		if (db->queue[i].result == NULL)
			PQclear(r);
		else if (arena_defer(db->queue[i].a, (void (*)(void *))PQclear, r) == -1) {
			PQclear(r);
			rc = -1;
		} else
			*db->queue[i].result = r;
	}
	memcpy(last, u + first + nq, nlast * sizeof(*u));
out:
	free(u);
	return rc;
}

int
db_queue(struct db *db, struct arena *a, const struct db_query *q, const char *const *params,
    PGresult **result)
{
	struct queued *n;
	const char **copy = NULL;

	if (result != NULL)
		*result = NULL;
	if (q->nparams > 0 && (copy = arena_calloc(a, (size_t)q->nparams, sizeof(*copy))) == NULL)
		return -1;
	for (int i = 0; i < q->nparams; i++)
		if (params[i] != NULL && (copy[i] = arena_strdup(a, params[i])) == NULL)
			return -1;
	if (db->nqueue == db->qcap) {
		size_t cap = db->qcap ? db->qcap * 2 : 16;
		if ((n = realloc(db->queue, cap * sizeof(*n))) == NULL)
			return -1;
		db->queue = n;
		db->qcap = cap;
	}
	db->queue[db->nqueue++] = (struct queued){ q, copy, a, result };
	return 0;
}

/*
 * Makes sure the connection is up before a round trip.  A lost connection is
 * re-established, except under a transaction that had sent something: that
 * transaction is gone, and going on would run its rest outside of it.  A
 * transaction whose BEGIN was still to be sent lost nothing: it goes on, its
 * queue included, on the new connection.
 */
static int
ready(struct db *db)
{
	int pending = db->begin_pending;
	size_t nq = db->nqueue;

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->in_tx && !pending) {
		log_error("PostgreSQL connection lost inside a transaction");
		return -1;
	}
	if (db_ensure(db) == -1)
		return -1;
	db->in_tx = db->begin_pending = pending;
	db->nqueue = nq;
	return 0;
}

int
db_flush(struct db *db)
{
	/* A BEGIN alone waits for the statement it can travel with. */
	if (db->nqueue == 0)
		return 0;
	if (ready(db) == -1)
		return -1;
	return flush_with(db, NULL, 0);
}

static PGresult *
exec_once(struct db *db, struct unit *u)
{
	if (ready(db) == -1)
		return NULL;
	if (db->begin_pending || db->nqueue > 0)
		return flush_with(db, u, 1) == 0 ? u->result : NULL;
	return run(db, u->q, u->params, u->lengths, u->formats);
}

PGresult *
db_exec_bin(struct db *db, struct arena *a, const struct db_query *q, const char *const *params,
    const int *lengths, const int *formats)
{
	struct unit u = { q, NULL, params, lengths, formats, 0, NULL, NULL };
	/* Nothing of the transaction (if any) reached the server yet: a retry loses nothing. */
	int in_tx = db->in_tx, retry = db->nqueue == 0 && (!db->in_tx || db->begin_pending);
	PGresult *r;

	r = exec_once(db, &u);
	if (r == NULL && retry && db->conn != NULL && PQstatus(db->conn) != CONNECTION_OK) {
		db->in_tx = db->begin_pending = in_tx;
		r = exec_once(db, &u);
	}
	if (r != NULL && a != NULL && arena_defer(a, (void (*)(void *))PQclear, r) == -1) {
		PQclear(r);
		return NULL;
	}
	return r;
}

PGresult *
db_exec(struct db *db, struct arena *a, const struct db_query *q, const char *const *params)
{
	return db_exec_bin(db, a, q, params, NULL, NULL);
}

int
db_command(struct db *db, const char *sql)
{
	PGresult *r;
	int rc = -1;

	db->sqlstate[0] = '\0';
	if (ready(db) == -1)
		return -1;
	/* Simple-protocol text may hold several statements and cannot join a pipeline. */
	if ((db->begin_pending || db->nqueue > 0) && flush_with(db, NULL, 0) == -1)
		return -1;
	r = PQexec(db->conn, sql);
	if (r != NULL && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK))
		rc = 0;
	else
		note_error(db, r, "command");
	PQclear(r);
	return rc;
}

int
db_begin(struct db *db)
{
	db->in_tx = 1;
	db->begin_pending = 1;
	db->nqueue = 0;
	return 0;
}

int
db_commit(struct db *db)
{
	struct unit u = { NULL, "COMMIT", NULL, NULL, NULL, 0, NULL, NULL };
	int rc = -1;

	if (db->begin_pending && db->nqueue == 0) {
		/* Nothing was sent: nothing to commit. */
		rc = 0;
		goto out;
	}
	if (ready(db) == -1 || flush_with(db, &u, 1) == -1)
		goto out;
	/* COMMIT of a transaction a failure aborted earlier answers ROLLBACK: not committed. */
	if (strcmp(PQcmdStatus(u.result), "COMMIT") != 0) {
		log_error("COMMIT refused (%s): an earlier statement failed", PQcmdStatus(u.result));
		goto out;
	}
	rc = 0;
out:
	PQclear(u.result);
	if (rc == -1)
		db_rollback(db);
	db->in_tx = 0;
	db->begin_pending = 0;
	db->nqueue = 0;
	return rc;
}

void
db_rollback(struct db *db)
{
	char state[sizeof(db->sqlstate)];

	db->begin_pending = 0;
	db->nqueue = 0;
	/* The failure that led here stays the one db_sqlstate reports. */
	memcpy(state, db->sqlstate, sizeof(state));
	if (db->conn != NULL && PQtransactionStatus(db->conn) != PQTRANS_IDLE &&
	    PQstatus(db->conn) == CONNECTION_OK)
		(void)db_command(db, "ROLLBACK");
	memcpy(db->sqlstate, state, sizeof(state));
	db->in_tx = 0;
}

int
db_in_transaction(struct db *db)
{
	return db->in_tx;
}

const char *
db_value(const PGresult *r, int row, int col)
{
	if (row >= PQntuples(r) || col >= PQnfields(r) || PQgetisnull(r, row, col))
		return NULL;
	return PQgetvalue(r, row, col);
}

long long
db_int(const PGresult *r, int row, int col)
{
	const char *v = db_value(r, row, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

int
db_bool(const PGresult *r, int row, int col)
{
	const char *v = db_value(r, row, col);

	return v != NULL && v[0] == 't';
}

unsigned long
db_connections(const struct db *db)
{
	return db->connections;
}
