/*
 * db.h — PostgreSQL through libpq: one connection per thread, statements
 * prepared once per connection on first use, reconnection after a loss.
 * Only parameterised statements: data never becomes part of SQL text.
 *
 * Round trips are the cost that matters on a busy machine, so a transaction
 * sends its BEGIN with its first statement, and statements whose answer is
 * not needed at once can be queued (db_queue) to travel with the next one
 * that is (db_exec, db_flush, db_commit): one round trip for all of them,
 * through libpq's pipeline mode.
 */
#ifndef IMIFLOW_DB_H
#define IMIFLOW_DB_H

#include <libpq-fe.h>

struct arena;

/*
 * A statement, declared once (static const) beside the code that uses it.
 * name is the prepared statement's name and must be unique in the program.
 */
struct db_query {
	const char *name;
	const char *sql;
	int nparams;
};

struct db;

struct db *db_open(const char *conninfo);   /* NULL (logged) when it cannot connect */
/*
 * Like db_open, with limits PostgreSQL enforces on every statement of the connection, set
 * again after each reconnection: statement_timeout and lock_timeout in milliseconds (0: no
 * limit).  For the connections of serve and worker: a slow or locked table then costs a
 * request a few seconds and a 503, not a thread for as long as the lock is held.
 */
struct db *db_open_limited(const char *conninfo, int statement_ms, int lock_ms);
void db_close(struct db *db);
PGconn *db_conn(struct db *db);

/*
 * How many connections db has made (its first, and every reconnect): what
 * belongs to a session (LISTEN, SET) is gone when this changed.
 */
unsigned long db_connections(const struct db *db);

/* Makes sure the connection is up; reconnects when it was lost. 0 or -1. */
int db_ensure(struct db *db);

/*
 * Runs q with its parameters (NULL entries are SQL NULL).  Returns a result
 * whose status is TUPLES_OK or COMMAND_OK, or NULL on failure (logged; see
 * db_sqlstate()).  The result is freed with the arena.  A lost connection
 * outside a transaction is re-established and the statement retried once.
 */
PGresult *db_exec(struct db *db, struct arena *a, const struct db_query *q,
    const char *const *params);

/* Like db_exec for a statement whose parameters include binary ones. */
PGresult *db_exec_bin(struct db *db, struct arena *a, const struct db_query *q,
    const char *const *params, const int *lengths, const int *formats);

/*
 * Queues q with its parameters (copied into a) to be sent with the next
 * statement that must be answered: db_exec, db_flush, db_commit or
 * db_command.  Statements run in the order they were queued or executed.
 * When result is not NULL, *result is set to q's result (freed with a) by
 * that flush when it succeeds; any failure of a queued statement is that
 * call's failure.  Outside a transaction the queue and the statement that
 * sends it run as one implicit transaction.  0, or -1 out of memory.
 */
int db_queue(struct db *db, struct arena *a, const struct db_query *q,
    const char *const *params, PGresult **result);
/* Sends what is queued (with a BEGIN not sent yet) and waits for the answers. 0 or -1. */
int db_flush(struct db *db);

/* Static SQL with no parameters (transaction control, LISTEN, migrations). -1 on error. */
int db_command(struct db *db, const char *sql);

/*
 * A transaction.  db_begin sends nothing: BEGIN goes with the transaction's
 * first statement.  db_commit sends what is queued and COMMIT in one round
 * trip; -1 when anything failed, and then nothing was committed (a failed
 * queued statement names itself through db_sqlstate, like a failed db_exec).
 */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);           /* safe to call when not in a transaction */
int db_in_transaction(struct db *db);

/* SQLSTATE of the last failure ("" if none): "40001" serialization, "23505" unique, ... */
const char *db_sqlstate(struct db *db);

/* The last failure was a timeout: statement_timeout (57014) or lock_timeout (55P03). */
int db_timed_out(struct db *db);

/*
 * Queues (db_queue) tighter limits, ms for both timeouts, for the rest of the transaction the
 * next statement runs in: outside a transaction, that statement's own.  For lookups that may
 * give up rather than wait.  0, or -1 out of memory.
 */
int db_queue_limit(struct db *db, struct arena *a, int ms);

/* Convenience readers of a result cell. */
const char *db_value(const PGresult *r, int row, int col);   /* NULL for SQL NULL */
long long db_int(const PGresult *r, int row, int col);       /* 0 for NULL */
int db_bool(const PGresult *r, int row, int col);            /* 't' -> 1 */

#endif
