/*
 * auth.h — signing in and changing a password: the credential rules of the
 * IMI guides, independent of HTTP.
 *
 * A failed sign-in looks the same whatever its cause — unknown username, wrong
 * password, blocked password: same answer, same work (an unknown name is
 * checked against a dummy hash, and every failure is recorded the same way).
 * Five wrong passwords in a row block the password until an administrator
 * resets it; its holder learns it by mail.  Failures slow down the next
 * attempts per username and per address (login_throttle.h).  A temporary
 * password, or one older than six months, must be changed first.
 */
#ifndef IMIFLOW_AUTH_H
#define IMIFLOW_AUTH_H

struct arena;
struct config;
struct db;

enum auth_status { AUTH_OK, AUTH_FAILED, AUTH_THROTTLED, AUTH_ERROR };

struct auth_result {
	enum auth_status status;
	long long user_id;         /* AUTH_OK; also a failure's, for nobody but the log */
	int must_change;
	int wait_seconds;          /* AUTH_THROTTLED: until the next attempt is allowed */
	const char *why;           /* a failure's cause, for the log only */
};

/*
 * remote_addr is the client's address as nginx saw it (REMOTE_ADDR).  The fifth wrong
 * password in a row also fires "block" on the password (workflows/password.xml).
 */
void auth_login(struct db *db, struct arena *a, const struct config *cfg, const char *username,
    const char *password, const char *remote_addr, struct auth_result *res);

/* Refusal bits of auth_change_password beyond password_check()'s (password.h). */
enum auth_refusal {
	AUTH_MISMATCH = 1 << 8,    /* confirmation differs */
	AUTH_CURRENT = 1 << 9,     /* current password wrong */
	AUTH_REUSED = 1 << 10      /* one of the last PASSWORD_HISTORY passwords */
};

/* 0 changed, 1 refused (*refused holds the rule bits), -1 error. */
/*
 * A change also fires "change" on the password, as its holder, and writes the security log
 * (security_log.h), in the same transaction.
 */
int auth_change_password(struct db *db, struct arena *a, const struct config *cfg,
    long long user_id, long long authority_id, const char *current, const char *newpw,
    const char *confirm, const char *remote_addr, int *refused);

/*
 * Sets a new temporary password for a user inside the caller's transaction
 * (bootstrap, registration, reset) and writes the hash to the history.
 * The clear password goes to out for the mail, and nowhere else.
 */
int auth_set_temporary(struct db *db, struct arena *a, long long user_id, char *out, unsigned outlen);

/*
 * Asks the signed-in user's own password again before a sensitive change of an account
 * (ASVS 7.5.1: a user's e-mail address, where temporary passwords go).  1 when password is
 * user_id's current one, 0 when not (or over PASSWORD_MAX bytes), -1 on a database error.
 */
int auth_check_password(struct db *db, struct arena *a, long long user_id, const char *password);

/* Names of the refusal bits for pages: "length", …, "mismatch", "current", "reused". */
const char *auth_refusal_name(int bit);

#endif
