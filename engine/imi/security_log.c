/* security_log.c — see security_log.h. */
#include "security_log.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"

/* Longer details are cut (at a character boundary) to the table's limit. */
#define DETAIL_MAX 500

static const char *const kind_names[SECLOG__MAX] = {
	[SECLOG_LOGIN] = "login",
	[SECLOG_LOGIN_FAILED] = "login-failed",
	[SECLOG_LOGIN_THROTTLED] = "login-throttled",
	[SECLOG_PASSWORD_BLOCKED] = "password-blocked",
	[SECLOG_PASSWORD_CHANGED] = "password-changed",
	[SECLOG_PASSWORD_RESET] = "password-reset",
	[SECLOG_LOGOUT] = "logout",
	[SECLOG_USER_ADDED] = "user-added",
	[SECLOG_USER_DELETED] = "user-deleted",
	[SECLOG_ROLES_CHANGED] = "roles-changed",
	[SECLOG_ACCESS_GRANTED] = "access-granted",
	[SECLOG_ACCESS_SUSPENDED] = "access-suspended",
	[SECLOG_DISCLOSURE] = "disclosure",
	[SECLOG_FORBIDDEN] = "forbidden",
	[SECLOG_NEED_TO_KNOW] = "need-to-know",
	[SECLOG_REAUTH_FAILED] = "reauth-failed",
	[SECLOG_SESSIONS_ENDED] = "sessions-ended",
};

#define INSERT_COLUMNS \
	"INSERT INTO security_log (kind, actor_user_id, actor_authority_id, subject_user_id," \
	"                          address, request_id, detail)"
static const struct db_query q_insert = { "security_log_insert",
	INSERT_COLUMNS
	" VALUES ($1, nullif($2::bigint, 0), nullif($3::bigint, 0), nullif($4::bigint, 0),"
	"         left($5, 64), left($6, 64), coalesce($7, ''))", 7 };
static const struct db_query q_roles = { "security_log_roles",
	"SELECT user_roles_text($1)", 1 };
static const struct db_query q_insert_roles = { "security_log_insert_roles",
	INSERT_COLUMNS
	" SELECT $1, nullif($2::bigint, 0), nullif($3::bigint, 0), nullif($4::bigint, 0),"
	"        left($5, 64), left($6, 64),"
	"        left(coalesce(nullif($7, ''), '-') || ' -> ' ||"
	"             coalesce(nullif(user_roles_text($4), ''), '-'), 500)"
	"  WHERE user_roles_text($4) IS DISTINCT FROM $7", 7 };

const char *
security_log_kind_name(enum seclog_kind kind)
{
	return (unsigned)kind < SECLOG__MAX ? kind_names[kind] : NULL;
}

enum seclog_kind
security_log_kind(const char *s)
{
	for (int k = 0; k < SECLOG__MAX; k++)
		if (s != NULL && strcmp(kind_names[k], s) == 0)
			return (enum seclog_kind)k;
	return SECLOG__MAX;
}

/* The detail cut to DETAIL_MAX bytes without splitting a UTF-8 character; NULL out of memory. */
static const char *
short_detail(struct arena *a, const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) <= DETAIL_MAX)
		return s != NULL ? s : "";
	n = DETAIL_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(a, s, n);
}

static int
queue(struct db *db, struct arena *a, const struct db_query *q, const struct seclog_event *e,
    const char *kind, const char *last)
{
	const char *params[7];
	const char *rid = log_request_id();

	params[0] = kind;
	params[1] = arena_printf(a, "%lld", e->actor_user);
	params[2] = arena_printf(a, "%lld", e->actor_authority);
	params[3] = arena_printf(a, "%lld", e->subject_user);
	params[4] = e->address;
	params[5] = rid != NULL && strcmp(rid, "-") != 0 ? rid : NULL;
	params[6] = last;
	if (params[0] == NULL || params[1] == NULL || params[2] == NULL || params[3] == NULL)
		return -1;
	return db_queue(db, a, q, params, NULL);
}

int
security_log_queue(struct db *db, struct arena *a, const struct seclog_event *e)
{
	const char *kind = security_log_kind_name(e->kind), *detail;

	if (kind == NULL || (detail = short_detail(a, e->detail)) == NULL)
		return -1;
	return queue(db, a, &q_insert, e, kind, detail);
}

const char *
security_log_roles(struct db *db, struct arena *a, long long user_id)
{
	const char *params[1] = { arena_printf(a, "%lld", user_id) };
	PGresult *r;

	if (params[0] == NULL || (r = db_exec(db, a, &q_roles, params)) == NULL ||
	    PQntuples(r) != 1)
		return NULL;
	return db_value(r, 0, 0) != NULL ? db_value(r, 0, 0) : "";
}

int
security_log_queue_roles(struct db *db, struct arena *a, const struct seclog_event *e,
    const char *before)
{
	return queue(db, a, &q_insert_roles, e, kind_names[SECLOG_ROLES_CHANGED],
	    before != NULL ? before : "");
}
