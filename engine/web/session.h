/*
 * session.h — signed-in sessions.  The browser holds a random token in an
 * HttpOnly, SameSite cookie; the database holds its hash, the user, a CSRF
 * token, and the times that bound it: idle expiry (last seen) and absolute
 * expiry (created).  Times come from imi_now() so tests can move the clock.
 */
#ifndef IMIFLOW_SESSION_H
#define IMIFLOW_SESSION_H

#include "token.h"

struct arena;
struct db;

/*
 * The session cookie's name.  Over HTTPS (--cookie-secure) it carries the __Host- prefix:
 * the browser then keeps it only when it was set Secure, with Path=/ and no Domain, by
 * this very host, so no sibling subdomain or plain-HTTP answer can plant or shadow it
 * (ASVS 3.3.1, 3.3.3).  The local stack is plain HTTP on 127.0.0.1, where browsers refuse
 * a __Host- (Secure) cookie: it keeps the plain name.
 */
#define SESSION_COOKIE(secure) ((secure) ? "__Host-imiflow_session" : "imiflow_session")

struct session {
	long long id;
	long long user_id;
	long long authority_id;
	const char *username;
	const char *display_name;
	const char *lang;
	const char *csrf;
	const char *password_state;  /* temporary, valid, expired, blocked */
	int must_change;             /* temporary or expired password: only /password is open */
	int is_admin;                /* Administrator of its authority */
	int is_helpdesk;             /* its authority is the helpdesk */
	int is_access_manager;       /* an Administrator of an Access Manager (menus only; pages ask authz) */
	int has_cases;               /* a role in a module with cases (menus only; pages ask visibility) */
	const char *case_kinds;      /* their catalogue kinds, access granted, space-separated (menus) */
	int menus_loaded;            /* has_cases and case_kinds are read (session_menus) */
};

struct session_limits {
	int idle_minutes;
	int max_hours;
	int quick_ms;      /* > 0: give up after this long (db_timed_out), and do not touch */
	int menus;         /* read the menus' facts too (a page to show); else session_menus later */
};

/* 0 found (*out set), 1 no such live session, -1 error. */
int session_load(struct db *db, struct arena *a, const char *token,
    const struct session_limits *lim, struct session **out);
/*
 * has_cases and case_kinds of s, read now unless session_load read them: a
 * POST answered by a redirect never needs them (bench/README.md: they were
 * half of a transition's session check).  0 or -1.
 */
int session_menus(struct db *db, struct arena *a, struct session *s);
/* A new session for user_id; its token is written to token_out. 0 or -1. */
int session_create(struct db *db, struct arena *a, long long user_id,
    char token_out[TOKEN_LEN + 1]);
int session_end(struct db *db, struct arena *a, long long session_id);
/*
 * The user's live sessions (within lim's idle and absolute expiry), newest use first:
 * id, created and last seen ("YYYY-MM-DD HH24:MI").  NULL on error.
 */
struct pg_result *session_list(struct db *db, struct arena *a, long long user_id,
    const struct session_limits *lim);
/* Ends every session of the user but keep_id (after a password change or reset). */
int session_end_others(struct db *db, struct arena *a, long long user_id, long long keep_id);

#endif
