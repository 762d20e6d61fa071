/* account.c — see account.h. */
#include "account.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "model.h"
#include "outbox.h"
#include "password.h"
#include "password_life.h"
#include "security_log.h"

#define USERNAME_BASE_MAX 24

static const struct db_query q_like = { "account_like",
	"SELECT lower(username) FROM users WHERE lower(username) LIKE $1 || '%'", 1 };
static const struct db_query q_username = { "account_username",
	"SELECT 1 FROM users WHERE lower(username) = lower($1)", 1 };
static const struct db_query q_email = { "account_email",
	"SELECT 1 FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL", 1 };
static const struct db_query q_insert = { "account_insert",
	"INSERT INTO users (authority_id, username, email, first_name, last_name, language)"
	" VALUES ($1, $2, $3, $4, $5, coalesce(nullif($6, ''), authority_language($1)))"
	" RETURNING id", 6 };
static const struct db_query q_admin = { "account_admin",
	"INSERT INTO user_roles (user_id, module, role) VALUES ($1, '', 'administrator')", 1 };
static const struct db_query q_user = { "account_user",
	"SELECT u.email, u.language, u.first_name || ' ' || u.last_name, a.official_name"
	"  FROM users u JOIN authorities a ON a.id = u.authority_id"
	" WHERE u.id = $1 AND u.deleted_at IS NULL", 1 };

int
account_valid_email(const char *s)
{
	const char *at;

	if (s == NULL || strlen(s) < 3 || strlen(s) > 254)
		return 0;
	if ((at = strchr(s, '@')) == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || strchr("<>,;\"()[]\\", *p) != NULL)
			return 0;
	return 1;
}

const char *
account_propose_username(struct db *db, struct arena *a, const char *first, const char *last)
{
	char base[USERNAME_BASE_MAX + 1], cand[USERNAME_BASE_MAX + 12];
	const char *params[1];
	PGresult *r;
	size_t n = 0;

	if (first != NULL && isalpha((unsigned char)first[0]))
		base[n++] = (char)tolower((unsigned char)first[0]);
	for (const char *p = last ? last : ""; *p != '\0' && n < USERNAME_BASE_MAX; p++)
		if (isalnum((unsigned char)*p) && !(*p & 0x80))
			base[n++] = (char)tolower((unsigned char)*p);
	base[n] = '\0';
	if (n < 3)
		snprintf(base, sizeof(base), "user");
	params[0] = base;
	if ((r = db_exec(db, a, &q_like, params)) == NULL)
		return NULL;
	/* The first of base, base2, base3, ... that nobody has. */
	for (int k = 1; k < 100000; k++) {
		int taken = 0;
		if (k == 1)
			snprintf(cand, sizeof(cand), "%s", base);
		else
			snprintf(cand, sizeof(cand), "%s%d", base, k);
		for (int i = 0; i < PQntuples(r) && !taken; i++)
			taken = strcmp(db_value(r, i, 0), cand) == 0;
		if (!taken)
			return arena_strdup(a, cand);
	}
	return NULL;
}

int
account_email_taken(struct db *db, struct arena *a, const char *email)
{
	const char *params[1] = { email };
	PGresult *r;

	if ((r = db_exec(db, a, &q_email, params)) == NULL)
		return -1;
	return PQntuples(r) > 0;
}

long long
account_create(struct db *db, struct arena *a, const struct config *cfg,
    const struct account_new *n, const char **username_out, enum account_taken *taken)
{
	const char *params[6], *username = n->username;
	struct seclog_event added;
	PGresult *r;
	long long id;
	int t;

	*taken = ACCOUNT_FREE;
	if ((t = account_email_taken(db, a, n->email)) != 0) {
		if (t == 1)
			*taken = ACCOUNT_EMAIL_TAKEN;
		return t == 1 ? 0 : -1;
	}
	if (username == NULL &&
	    (username = account_propose_username(db, a, n->first, n->last)) == NULL)
		return -1;
	params[0] = username;
	if ((r = db_exec(db, a, &q_username, params)) == NULL)
		return -1;
	if (PQntuples(r) > 0) {
		*taken = ACCOUNT_USERNAME_TAKEN;
		return 0;
	}
	params[0] = arena_printf(a, "%lld", n->authority_id);
	params[1] = username;
	params[2] = n->email;
	params[3] = n->first;
	params[4] = n->last;
	params[5] = n->lang ? n->lang : "";
	if ((r = db_exec(db, a, &q_insert, params)) == NULL)
		return -1;
	id = db_int(r, 0, 0);
	params[0] = db_value(r, 0, 0);
	if (n->administrator && db_exec(db, a, &q_admin, params) == NULL)
		return -1;
	if (password_life_start(db, a, cfg, n->by, id, n->authority_id) == -1)
		return -1;
	if (n->mail_password && account_send_password(db, a, cfg, id, "registered") == -1)
		return -1;
	added = (struct seclog_event){ SECLOG_USER_ADDED, n->by ? n->by->user_id : 0,
	    n->by ? n->by->authority_id : 0, id, n->address,
	    arena_printf(a, "%s, authority %lld%s", username, n->authority_id,
	    n->administrator ? ", administrator" : "") };
	if (security_log_queue(db, a, &added) == -1)
		return -1;
	*username_out = username;
	return id;
}

int
account_send_password(struct db *db, struct arena *a, const struct config *cfg,
    long long user_id, const char *reason)
{
	char password[PASSWORD_TEMP_LEN + 1];
	const char *params[1];
	xmlNodePtr mail;
	PGresult *r;
	int rc = -1;

	params[0] = arena_printf(a, "%lld", user_id);
	if ((r = db_exec(db, a, &q_user, params)) == NULL || PQntuples(r) != 1)
		return -1;
	if (auth_set_temporary(db, a, user_id, password, sizeof(password)) == -1)
		goto out;
	if ((mail = model_new(a, "mail")) == NULL)
		goto out;
	model_attr(mail, "template", "temporary-password");
	model_attr(mail, "reason", reason);
	model_add(mail, "name", db_value(r, 0, 2));
	model_add(mail, "authority", db_value(r, 0, 3));
	model_add(mail, "password", password);
	model_add(mail, "url", cfg->base_url);
	rc = outbox_enqueue(db, a, db_value(r, 0, 0), db_value(r, 0, 1), mail, NULL);
out:
	sodium_memzero(password, sizeof(password));
	return rc;
}
