/* refusal_log.c — see refusal_log.h. */
#include "refusal_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "security_log.h"
#include "session.h"

/*
 * One statement: the object check, the one-a-minute rule and the row.  Two refusals in the
 * same instant may both pass the rule (no lock): at most a row more, never a flood.
 */
static const struct db_query q_refusal = { "refusal_log",
	"INSERT INTO security_log (kind, actor_user_id, actor_authority_id, address, request_id,"
	"                          detail)"
	" SELECT $1, $2::bigint, nullif($3::bigint, 0), left($4, 64), left($5, 64), left($6, 500)"
	"  WHERE ($7 = '' OR refused_object_exists($7, $8::bigint))"
	"    AND NOT EXISTS (SELECT FROM security_log l WHERE l.kind = $1"
	"                       AND l.actor_user_id = $2::bigint"
	"                       AND l.at > now() - interval '1 minute')", 8 };

int
refusal_object(const char *path, char out[32], long long *id)
{
	const char *p = path, *e;
	size_t n;
	char *end;

	if (*p++ != '/')
		return 0;
	if (strncmp(p, "admin/", 6) == 0)
		p += 6;
	e = p + strcspn(p, "/?");
	n = (size_t)(e - p);
	if (n == 0 || n >= 32 || *e != '/')
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	for (p = e; *p == '/'; p = e) {
		p++;
		e = p + strcspn(p, "/?");
		if (e > p && e - p <= 18 && strspn(p, "0123456789") == (size_t)(e - p)) {
			*id = strtoll(p, &end, 10);
			return *id > 0;
		}
	}
	return 0;
}

int
refusal_log(struct db *db, struct arena *a, const struct session *sess, int status,
    const char *method, const char *path, const char *address)
{
	enum seclog_kind kind;
	const char *params[8], *rid = log_request_id();
	char collection[32] = "";
	long long id = 0;

	if (sess == NULL)
		return 0;
	if (status == 403)
		kind = SECLOG_FORBIDDEN;
	else if (status == 404 && refusal_object(path, collection, &id))
		kind = SECLOG_NEED_TO_KNOW;
	else
		return 0;
	params[0] = security_log_kind_name(kind);
	params[1] = arena_printf(a, "%lld", sess->user_id);
	params[2] = arena_printf(a, "%lld", sess->authority_id);
	params[3] = address;
	params[4] = rid != NULL && strcmp(rid, "-") != 0 ? rid : NULL;
	params[5] = arena_printf(a, "%d %s %s", status, method, path);
	params[6] = collection;
	params[7] = arena_printf(a, "%lld", id);
	if (params[1] == NULL || params[2] == NULL || params[5] == NULL || params[7] == NULL)
		return -1;
	return db_exec(db, a, &q_refusal, params) != NULL ? 0 : -1;
}
