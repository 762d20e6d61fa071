/*
 * security_log.h — the security log (sql/024_security_log.sql): one row per sign-in, failed
 * sign-in, throttled attempt, blocked password, password change and reset, sign-out, user
 * added or deleted, change of a user's roles, module access granted or suspended, and reading
 * of blocked personal data.  Each is written in the transaction of the event it records (a
 * queued statement: it travels with the event's next round trip), with who acted, whose
 * access it concerns, from where and in which request (the log's request id).  Never a
 * password, a token, or a typed username that names nobody.
 */
#ifndef IMIFLOW_SECURITY_LOG_H
#define IMIFLOW_SECURITY_LOG_H

struct arena;
struct db;

enum seclog_kind {
	SECLOG_LOGIN,
	SECLOG_LOGIN_FAILED,
	SECLOG_LOGIN_THROTTLED,
	SECLOG_PASSWORD_BLOCKED,
	SECLOG_PASSWORD_CHANGED,
	SECLOG_PASSWORD_RESET,
	SECLOG_LOGOUT,
	SECLOG_USER_ADDED,
	SECLOG_USER_DELETED,
	SECLOG_ROLES_CHANGED,
	SECLOG_ACCESS_GRANTED,
	SECLOG_ACCESS_SUSPENDED,
	SECLOG_DISCLOSURE,
	/* sql/028_security_hardening.sql */
	SECLOG_FORBIDDEN,          /* a 403: the page or action is not the user's (refusal_log.h) */
	SECLOG_NEED_TO_KNOW,       /* a 404 for an object that exists but is not the user's to see */
	SECLOG_REAUTH_FAILED,      /* a wrong password typed again before an e-mail change */
	SECLOG_SESSIONS_ENDED,     /* "sign out everywhere else" on My profile */
	SECLOG__MAX
};

struct seclog_event {
	enum seclog_kind kind;
	long long actor_user;       /* 0: nobody signed in, or the system */
	long long actor_authority;  /* 0: none */
	long long subject_user;     /* whose access it concerns; 0: none (e.g. an unknown name) */
	const char *address;        /* the client's address as nginx saw it; NULL: none */
	const char *detail;         /* short, factual; NULL: none */
};

/* The kind's name in the table ("login-failed"), or NULL out of range. */
const char *security_log_kind_name(enum seclog_kind kind);

/* The kind whose name is s, or SECLOG__MAX. */
enum seclog_kind security_log_kind(const char *s);

/*
 * Queues the row (db_queue) to go with the caller's next statement: inside a transaction it
 * commits or rolls back with it; outside one it runs in the next statement's implicit
 * transaction.  0, or -1 out of memory.
 */
int security_log_queue(struct db *db, struct arena *a, const struct seclog_event *e);

/* A user's roles as one line (user_roles_text()), to compare before and after. NULL on error. */
const char *security_log_roles(struct db *db, struct arena *a, long long user_id);

/*
 * Queues a roles-changed row when the user's roles now differ from before (the line
 * security_log_roles gave earlier in the transaction), its detail "before -> after".
 * e->kind is ignored.  0, or -1 out of memory.
 */
int security_log_queue_roles(struct db *db, struct arena *a, const struct seclog_event *e,
    const char *before);

#endif
