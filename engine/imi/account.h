/*
 * account.h — user accounts as the IMI guides create them: a username
 * proposed from the name and free in the whole system, a temporary first
 * password that goes by mail, and a username that never does.  Everything
 * runs inside the caller's transaction, so an account and its mail exist
 * together or not at all.
 */
#ifndef IMIFLOW_ACCOUNT_H
#define IMIFLOW_ACCOUNT_H

struct arena;
struct config;
struct db;
struct wf_actor;

struct account_new {
	long long authority_id;
	const char *username;     /* NULL: proposed from the name */
	const char *email;
	const char *first, *last;
	const char *lang;         /* NULL or "": the authority's country's (sql/020) */
	int administrator;        /* gets the authority-wide Administrator role */
	int mail_password;        /* 1: mail the temporary password now; 0: later (account_send_password) */
	const struct wf_actor *by;  /* who creates it, for its password's history; NULL: the system */
	const char *address;      /* the client's address, for the security log; NULL: none */
};

enum account_taken { ACCOUNT_FREE, ACCOUNT_USERNAME_TAKEN, ACCOUNT_EMAIL_TAKEN };

/*
 * Creates the user.  Returns its id; 0 when the username or e-mail is taken
 * (*taken says which); -1 on error.  *username_out gets the username.
 */
long long account_create(struct db *db, struct arena *a, const struct config *cfg,
    const struct account_new *n, const char **username_out, enum account_taken *taken);

/* "Ana-Maria", "Popescu" -> "apopescu", or "apopescu2"... when taken; NULL on error. */
const char *account_propose_username(struct db *db, struct arena *a, const char *first,
    const char *last);

/* 1 when the e-mail address already belongs to a user, 0 if not, -1 on error. */
int account_email_taken(struct db *db, struct arena *a, const char *email);

/*
 * Gives the user a new temporary password and mails it; reason names the
 * mail's first line: "registered", "reset", "validated".  0 or -1.
 */
int account_send_password(struct db *db, struct arena *a, const struct config *cfg,
    long long user_id, const char *reason);

/* A plausible e-mail address (one @, no spaces or header characters, at most 254 bytes). */
int account_valid_email(const char *s);

#endif
