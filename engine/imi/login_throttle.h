/*
 * login_throttle.h — failed sign-ins slow down the next ones, per username and per client
 * address (sql/019_login_throttle.sql keeps the counts).  The first failures in a row are
 * free (--login-throttle-user, default 3; --login-throttle-address, default 10); after them
 * each attempt must wait --login-throttle-delay seconds (default 2), doubled with each further
 * failure, at most 15 minutes.  A username that does not exist is throttled exactly like one
 * that does, so the answer tells nothing; an attempt that must wait checks no password and
 * counts toward nothing, so five wrong passwords (which block one) take time, and a whole
 * authority's take a long time from one address.
 */
#ifndef IMIFLOW_LOGIN_THROTTLE_H
#define IMIFLOW_LOGIN_THROTTLE_H

struct arena;
struct config;
struct db;
struct pg_result;

struct login_throttle {
	int user_free;       /* failures in a row for a username that cost nothing */
	int address_free;    /* the same for a client address */
	int delay_seconds;   /* the first wait, doubled with each further failure */
};

/* The settings of cfg, or -1 with a message to stderr when malformed. */
int login_throttle_settings(const struct config *cfg, struct login_throttle *t);

/*
 * The key of a client address (nginx's REMOTE_ADDR, never a header the client sets): an IPv4
 * address as it is, an IPv6 one as its /64 (one host usually has a whole /64).  NULL only
 * out of memory.
 */
const char *login_throttle_address(struct arena *a, const char *remote_addr);

/*
 * Queues (db_queue) the question how long this username and address must still wait, to
 * travel with the sign-in's first lookup: *result gets one row, one column, seconds (0: no
 * wait).  0, or -1 out of memory.
 */
int login_throttle_queue_wait(struct db *db, struct arena *a, const char *username,
    const char *address, struct pg_result **result);

/* Seconds to wait, from the result of login_throttle_queue_wait, rounded up. */
int login_throttle_seconds(const struct pg_result *r);

/*
 * Records a failed sign-in inside the caller's transaction: both throttle counts, and, when
 * user_id is not 0, the user's run of wrong passwords, which blocks the password at the
 * block_after-th.  1 when this failure blocked it, 0 not, -1 error.
 */
int login_throttle_failed(struct db *db, struct arena *a, const struct login_throttle *t,
    const char *username, const char *address, long long user_id, int block_after);

/* Queues the end of a username's run of failures (a successful sign-in, a reset). 0 or -1. */
int login_throttle_queue_forget(struct db *db, struct arena *a, const char *username);

#endif
