/* auth.c — see auth.h. */
#include "auth.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "login_throttle.h"
#include "engine.h"
#include "password.h"
#include "password_life.h"
#include "security_log.h"

static const struct db_query q_find = { "auth_find",
	"SELECT id, password_hash, password_state,"
	"       password_changed_at < imi_now() - interval '6 months', authority_id"
	"  FROM users WHERE lower(username) = lower($1) AND deleted_at IS NULL", 1 };
static const struct db_query q_succeeded = { "auth_succeeded",
	"UPDATE users SET failed_logins = 0, last_login_at = imi_now(),"
	"       password_state = CASE WHEN $2::bool AND password_state = 'valid' THEN 'expired'"
	"                             ELSE password_state END,"
	"       password_hash = COALESCE($3, password_hash)"
	" WHERE id = $1 RETURNING password_state", 3 };
static const struct db_query q_lock = { "auth_lock",
	"SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE", 1 };
static const struct db_query q_hash = { "auth_hash",
	"SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL", 1 };
static const struct db_query q_history = { "auth_history",
	"SELECT hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2::int", 2 };
static const struct db_query q_set = { "auth_set",
	"UPDATE users SET password_hash = $2, password_state = $3, password_changed_at = imi_now(),"
	"       failed_logins = 0 WHERE id = $1", 3 };
static const struct db_query q_remember = { "auth_remember",
	"INSERT INTO password_history (user_id, hash) VALUES ($1, $2)", 2 };

/* A failure, whatever its cause, does the same work and gets the same answer. */
static void
login_failed(struct db *db, struct arena *a, const struct config *cfg,
    const struct login_throttle *t, const char *username, const char *address,
    const char *remote_addr, struct auth_result *res)
{
	struct wf_actor system = { WF_ACTOR_SYSTEM, 0, 0 };
	/* The name typed goes nowhere when it names nobody: it may be a password. */
	struct seclog_event e = { SECLOG_LOGIN_FAILED, 0, 0, res->user_id, remote_addr, res->why };
	int blocked;

	if (db_begin(db) == -1 || security_log_queue(db, a, &e) == -1 ||
	    (blocked = login_throttle_failed(db, a, t, username, address,
	    res->user_id, PASSWORD_MAX_FAILURES)) == -1)
		goto out;
	/* The holder learns of the block by the mail the workflow sends, never from the page. */
	if (blocked) {
		log_info("user %lld: password blocked after %d failures", res->user_id,
		    PASSWORD_MAX_FAILURES);
		e.kind = SECLOG_PASSWORD_BLOCKED;
		e.detail = arena_printf(a, "%d wrong passwords in a row", PASSWORD_MAX_FAILURES);
		if (security_log_queue(db, a, &e) == -1 ||
		    password_life_fire(db, a, cfg, &system, res->user_id, "block") == -1)
			goto out;
	}
	if (db_commit(db) == -1)
		goto out;
	res->status = AUTH_FAILED;
	return;
out:
	db_rollback(db);
	res->status = AUTH_ERROR;
}

void
auth_login(struct db *db, struct arena *a, const struct config *cfg, const char *username,
    const char *password, const char *remote_addr, struct auth_result *res)
{
	struct login_throttle t;
	char rehash[PASSWORD_HASH_MAX];
	const char *params[3];
	const char *hash, *address;
	PGresult *r, *wait = NULL;
	struct seclog_event ok_event;
	int ok;

	memset(res, 0, sizeof(*res));
	res->status = AUTH_ERROR;
	if (login_throttle_settings(cfg, &t) == -1 ||
	    (address = login_throttle_address(a, remote_addr)) == NULL)
		return;
	params[0] = username;
	if (login_throttle_queue_wait(db, a, username, address, &wait) == -1 ||
	    (r = db_exec(db, a, &q_find, params)) == NULL)
		return;
	/* Checked before any password, for names that exist and names that do not alike. */
	if ((res->wait_seconds = login_throttle_seconds(wait)) > 0) {
		struct seclog_event e = { SECLOG_LOGIN_THROTTLED, 0, 0,
		    PQntuples(r) == 1 ? db_int(r, 0, 0) : 0, remote_addr, NULL };

		if ((e.detail = arena_printf(a, "%d s to wait", res->wait_seconds)) == NULL ||
		    security_log_queue(db, a, &e) == -1 || db_flush(db) == -1)
			return;
		res->status = AUTH_THROTTLED;
		res->why = "too many failures";
		return;
	}
	if (PQntuples(r) != 1) {
		(void)password_verify(password_dummy_hash(), password);
		res->why = "unknown username";
		login_failed(db, a, cfg, &t, username, address, remote_addr, res);
		return;
	}
	res->user_id = db_int(r, 0, 0);
	hash = db_value(r, 0, 1);
	ok = password_verify(hash, password);
	if (!ok || strcmp(db_value(r, 0, 2), "blocked") == 0) {
		res->why = ok ? "password blocked" : "wrong password";
		login_failed(db, a, cfg, &t, username, address, remote_addr, res);
		return;
	}
	params[0] = db_value(r, 0, 0);
	params[1] = db_bool(r, 0, 3) ? "true" : "false";
	params[2] = NULL;
	if (password_needs_rehash(hash) && password_hash(password, rehash) == 0)
		params[2] = rehash;
	ok_event = (struct seclog_event){ SECLOG_LOGIN, res->user_id, db_int(r, 0, 4),
	    res->user_id, remote_addr, NULL };
	/* The row, the end of the run and the sign-in travel as one implicit transaction. */
	if (security_log_queue(db, a, &ok_event) == -1 ||
	    login_throttle_queue_forget(db, a, username) == -1 ||
	    (r = db_exec(db, a, &q_succeeded, params)) == NULL || PQntuples(r) != 1)
		return;
	res->must_change = strcmp(db_value(r, 0, 0), "temporary") == 0 ||
	    strcmp(db_value(r, 0, 0), "expired") == 0;
	res->status = AUTH_OK;
}

static int
set_password(struct db *db, struct arena *a, const char *uid, const char *clear, const char *state)
{
	char hash[PASSWORD_HASH_MAX];
	const char *params[3] = { uid, hash, state };

	if (password_hash(clear, hash) == -1) {
		log_error("argon2id hashing failed (out of memory?)");
		return -1;
	}
	if (db_exec(db, a, &q_set, params) == NULL ||
	    db_exec(db, a, &q_remember, (const char *const[]){ uid, hash }) == NULL)
		return -1;
	return 0;
}

int
auth_check_password(struct db *db, struct arena *a, long long user_id, const char *password)
{
	char uid[24];
	const char *params[1] = { uid };
	PGresult *r;

	if (strlen(password) > PASSWORD_MAX)
		return 0;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	if ((r = db_exec(db, a, &q_hash, params)) == NULL)
		return -1;
	return PQntuples(r) == 1 && db_value(r, 0, 0) != NULL &&
	    password_verify(db_value(r, 0, 0), password);
}

int
auth_change_password(struct db *db, struct arena *a, const struct config *cfg,
    long long user_id, long long authority_id, const char *current, const char *newpw,
    const char *confirm, const char *remote_addr, int *refused)
{
	struct wf_actor holder = { WF_ACTOR_USER, user_id, authority_id };
	struct seclog_event e = { SECLOG_PASSWORD_CHANGED, user_id, authority_id, user_id,
	    remote_addr, NULL };
	char uid[24], n[8];
	const char *params[2] = { uid, n };
	PGresult *r;
	int rc = -1;

	*refused = password_check(newpw);
	if (strcmp(newpw, confirm) != 0)
		*refused |= AUTH_MISMATCH;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(n, sizeof(n), "%d", PASSWORD_HISTORY);
	if (db_begin(db) == -1)
		return -1;
	if ((r = db_exec(db, a, &q_lock, params)) == NULL)
		goto out;
	if (PQntuples(r) != 1 || !password_verify(db_value(r, 0, 0), current))
		*refused |= AUTH_CURRENT;
	/* Comparing with old hashes costs one argon2id run each: only when all else passed. */
	if (*refused == 0) {
		if ((r = db_exec(db, a, &q_history, params)) == NULL)
			goto out;
		for (int i = 0; i < PQntuples(r); i++)
			if (password_verify(db_value(r, i, 0), newpw)) {
				*refused |= AUTH_REUSED;
				break;
			}
	}
	if (*refused != 0) {
		rc = 1;
		goto out;
	}
	if (set_password(db, a, uid, newpw, "valid") == -1 || security_log_queue(db, a, &e) == -1 ||
	    password_life_fire(db, a, cfg, &holder, user_id, "change") == -1 || db_commit(db) == -1)
		goto out;
	return 0;
out:
	db_rollback(db);
	return rc;
}

int
auth_set_temporary(struct db *db, struct arena *a, long long user_id, char *out, unsigned outlen)
{
	char uid[24], pw[PASSWORD_TEMP_LEN + 1];
	int rc;

	if (outlen < sizeof(pw))
		return -1;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	password_temporary(pw);
	rc = set_password(db, a, uid, pw, "temporary");
	if (rc == 0)
		memcpy(out, pw, sizeof(pw));
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

const char *
auth_refusal_name(int bit)
{
	switch (bit) {
	case AUTH_MISMATCH: return "mismatch";
	case AUTH_CURRENT: return "current";
	case AUTH_REUSED: return "reused";
	default:
		for (int i = 0; password_rule_names[i].name != NULL; i++)
			if (password_rule_names[i].bit == bit)
				return password_rule_names[i].name;
		return "invalid";
	}
}
