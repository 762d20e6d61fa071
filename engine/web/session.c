/* session.c — see session.h. */
#include "session.h"

#include <stdio.h>

#include "arena.h"
#include "db.h"

/*
 * The menu's case entries (u: the user): a role in a module of a definition
 * with a form (sql/023); their catalogue kinds where the authority's access is
 * granted, a menu group per kind, asked once per module, not per role and
 * definition version.
 */
#define MENU_COLUMNS \
	"EXISTS (SELECT 1 FROM user_roles r JOIN case_definitions cd ON cd.module = r.module" \
	"        WHERE r.user_id = u.id AND r.module <> '')," \
	"coalesce((SELECT string_agg(DISTINCT m.kind, ' ' ORDER BY m.kind) FROM modules m" \
	"          WHERE m.code IN (SELECT r.module FROM user_roles r WHERE r.user_id = u.id)" \
	"            AND EXISTS (SELECT 1 FROM case_definitions cd WHERE cd.module = m.code)" \
	"            AND EXISTS (SELECT FROM module_access_granted(u.authority_id, m.code))), '')"
/* Business time once per request, not thrice: OFFSET 0 keeps the subquery from being inlined. */
#define LOAD_COLUMNS \
	"SELECT s.id, u.id, u.authority_id, u.username, u.first_name || ' ' || u.last_name," \
	"       u.language, s.csrf, u.password_state," \
	"       s.last_seen_at < c.now - interval '1 minute'," \
	"       EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id" \
	"               AND r.module = '' AND r.role = 'administrator')," \
	"       a.is_helpdesk, a.is_helpdesk OR a.is_nimic OR a.is_access_manager, "
#define LOAD_FROM \
	"  FROM (SELECT imi_now() OFFSET 0) c(now)," \
	"       sessions s JOIN users u ON u.id = s.user_id JOIN authorities a ON a.id = u.authority_id" \
	" WHERE s.token_hash = $1" \
	"   AND s.last_seen_at > c.now - make_interval(mins => $2::int)" \
	"   AND s.created_at > c.now - make_interval(hours => $3::int)" \
	"   AND u.deleted_at IS NULL"
static const struct db_query q_load = { "session_load",
	LOAD_COLUMNS MENU_COLUMNS LOAD_FROM, 3 };
/* The same without the menus' facts (NULL in their columns): a POST, say. */
static const struct db_query q_load_bare = { "session_load_bare",
	LOAD_COLUMNS "NULL, NULL" LOAD_FROM, 3 };
static const struct db_query q_menus = { "session_menus",
	"SELECT " MENU_COLUMNS " FROM users u WHERE u.id = $1", 1 };
/* Touched at most once a minute: a write per page view would cost more than the page. */
static const struct db_query q_touch = { "session_touch",
	"UPDATE sessions SET last_seen_at = imi_now() WHERE id = $1", 1 };
static const struct db_query q_create = { "session_create",
	"INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at)"
	" VALUES ($1, $2, $3, imi_now(), imi_now())", 3 };
static const struct db_query q_end = { "session_end",
	"DELETE FROM sessions WHERE id = $1", 1 };
static const struct db_query q_end_others = { "session_end_others",
	"DELETE FROM sessions WHERE user_id = $1 AND id <> $2", 2 };
static const struct db_query q_list = { "session_list",
	"SELECT id, to_char(created_at, 'YYYY-MM-DD HH24:MI'), to_char(last_seen_at, 'YYYY-MM-DD HH24:MI')"
	"  FROM sessions WHERE user_id = $1"
	"   AND last_seen_at > imi_now() - make_interval(mins => $2::int)"
	"   AND created_at > imi_now() - make_interval(hours => $3::int)"
	" ORDER BY last_seen_at DESC, id DESC", 3 };
/* Housekeeping piggybacks on logins: expired rows are useless and hold hashes. */
static const struct db_query q_prune = { "session_prune",
	"DELETE FROM sessions WHERE user_id = $1"
	"   AND (created_at < imi_now() - interval '2 days'"
	"        OR last_seen_at < imi_now() - interval '1 day')", 1 };

int
session_load(struct db *db, struct arena *a, const char *token, const struct session_limits *lim,
    struct session **out)
{
	char hash[TOKEN_HASH_LEN + 1], idle[16], max[16];
	const char *params[3] = { hash, idle, max };
	struct session *s;
	PGresult *r;

	if (!token_well_formed(token))
		return 1;
	token_hash(token, hash);
	snprintf(idle, sizeof(idle), "%d", lim->idle_minutes);
	snprintf(max, sizeof(max), "%d", lim->max_hours);
	if (lim->quick_ms > 0 && db_queue_limit(db, a, lim->quick_ms) == -1)
		return -1;
	if ((r = db_exec(db, a, lim->menus ? &q_load : &q_load_bare, params)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 1;
	if ((s = arena_alloc(a, sizeof(*s))) == NULL)
		return -1;
	s->id = db_int(r, 0, 0);
	s->user_id = db_int(r, 0, 1);
	s->authority_id = db_int(r, 0, 2);
	s->username = db_value(r, 0, 3);
	s->display_name = db_value(r, 0, 4);
	s->lang = db_value(r, 0, 5);
	s->csrf = db_value(r, 0, 6);
	s->password_state = db_value(r, 0, 7);
	s->must_change = s->password_state[0] == 't' || s->password_state[0] == 'e';
	s->is_admin = db_bool(r, 0, 9);
	s->is_helpdesk = db_bool(r, 0, 10);
	s->is_access_manager = s->is_admin && db_bool(r, 0, 11);
	s->has_cases = db_bool(r, 0, 12);
	s->case_kinds = db_value(r, 0, 13);
	s->menus_loaded = lim->menus;
	if (db_bool(r, 0, 8) && lim->quick_ms == 0) {
		params[0] = db_value(r, 0, 0);
		if (db_exec(db, a, &q_touch, params) == NULL)
			return -1;
	}
	*out = s;
	return 0;
}

int
session_menus(struct db *db, struct arena *a, struct session *s)
{
	char uid[24];
	const char *params[1] = { uid };
	PGresult *r;

	if (s->menus_loaded)
		return 0;
	snprintf(uid, sizeof(uid), "%lld", s->user_id);
	if ((r = db_exec(db, a, &q_menus, params)) == NULL || PQntuples(r) != 1)
		return -1;
	s->has_cases = db_bool(r, 0, 0);
	s->case_kinds = db_value(r, 0, 1);
	s->menus_loaded = 1;
	return 0;
}

int
session_create(struct db *db, struct arena *a, long long user_id, char token_out[TOKEN_LEN + 1])
{
	char hash[TOKEN_HASH_LEN + 1], csrf[TOKEN_LEN + 1], uid[24];
	const char *params[3] = { hash, uid, csrf };

	token_new(token_out);
	token_new(csrf);
	token_hash(token_out, hash);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	if (db_exec(db, a, &q_prune, (const char *const[]){ uid }) == NULL)
		return -1;
	return db_exec(db, a, &q_create, params) == NULL ? -1 : 0;
}

int
session_end(struct db *db, struct arena *a, long long session_id)
{
	char id[24];
	const char *params[1] = { id };

	snprintf(id, sizeof(id), "%lld", session_id);
	return db_exec(db, a, &q_end, params) == NULL ? -1 : 0;
}

int
session_end_others(struct db *db, struct arena *a, long long user_id, long long keep_id)
{
	char uid[24], kid[24];
	const char *params[2] = { uid, kid };

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(kid, sizeof(kid), "%lld", keep_id);
	return db_exec(db, a, &q_end_others, params) == NULL ? -1 : 0;
}

PGresult *
session_list(struct db *db, struct arena *a, long long user_id, const struct session_limits *lim)
{
	char uid[24], idle[16], max[16];
	const char *params[3] = { uid, idle, max };

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(idle, sizeof(idle), "%d", lim->idle_minutes);
	snprintf(max, sizeof(max), "%d", lim->max_hours);
	return db_exec(db, a, &q_list, params);
}
