/*
 * db.c — see db.h.  A connection remembers which statements it has prepared;
 * after a reconnect the set starts empty and statements are prepared again.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"

struct db {
	PGconn *conn;
	char *conninfo;
	const struct db_query **prepared;
	size_t nprepared, cap;
	int in_tx;
	char sqlstate[6];
};

static void
notice_to_log(void *arg, const char *message)
{
	(void)arg;
	log_debug("postgres: %s", message);
}

static int
connect_now(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->nprepared = 0;
	db->in_tx = 0;
	db->conn = PQconnectdb(db->conninfo);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_error("cannot connect to PostgreSQL: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		return -1;
	}
	PQsetNoticeProcessor(db->conn, notice_to_log, NULL);
	return 0;
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

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->prepared);
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

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	/* Expected conflicts are the caller's to report; everything else is a bug or an outage. */
	if (state != NULL && (strcmp(state, "23505") == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "55P03") == 0))
		log_info("%s: %s", what, PQerrorMessage(db->conn));
	else
		log_error("%s: %s", what, PQerrorMessage(db->conn));
}

static int
prepare(struct db *db, const struct db_query *q)
{
	const struct db_query **n;
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
	if (db->nprepared == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 64;
		if ((n = realloc(db->prepared, cap * sizeof(*n))) == NULL)
			return 0;	/* prepared on the server; we will just prepare again */
		db->prepared = n;
		db->cap = cap;
	}
	db->prepared[db->nprepared++] = q;
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

PGresult *
db_exec_bin(struct db *db, struct arena *a, const struct db_query *q, const char *const *params,
    const int *lengths, const int *formats)
{
	PGresult *r;

	if (db_ensure(db) == -1)
		return NULL;
	r = run(db, q, params, lengths, formats);
	/* A dropped connection outside a transaction loses nothing: retry once. */
	if (r == NULL && !db->in_tx && PQstatus(db->conn) != CONNECTION_OK) {
		if (connect_now(db) == -1)
			return NULL;
		r = run(db, q, params, lengths, formats);
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
	if (db_ensure(db) == -1)
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
	if (db_command(db, "BEGIN") == -1)
		return -1;
	db->in_tx = 1;
	return 0;
}

int
db_commit(struct db *db)
{
	int rc = db_command(db, "COMMIT");

	db->in_tx = 0;
	return rc;
}

void
db_rollback(struct db *db)
{
	if (db->conn != NULL && PQtransactionStatus(db->conn) != PQTRANS_IDLE &&
	    PQstatus(db->conn) == CONNECTION_OK)
		(void)db_command(db, "ROLLBACK");
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
