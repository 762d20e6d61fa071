/* roles.c — see roles.h. */
#include "roles.h"

#include "arena.h"
#include "db.h"
#include "model.h"

static const struct db_query q_lock = { "roles_lock_authority",
	"SELECT 1 FROM authorities WHERE id = $1 FOR UPDATE", 1 };
static const struct db_query q_give = { "roles_give_administrators",
	"SELECT give_administrators_role($1, $2, $3)", 3 };
static const struct db_query q_violations = { "roles_violations",
	"SELECT rule, module FROM role_violations($1)", 1 };

int
roles_lock(struct db *db, struct arena *a, long long authority_id)
{
	const char *params[1] = { arena_printf(a, "%lld", authority_id) };

	return db_exec(db, a, &q_lock, params) == NULL ? -1 : 0;
}

int
roles_give_administrators(struct db *db, struct arena *a, long long authority_id,
    const char *module, const char *role)
{
	const char *params[3] = { arena_printf(a, "%lld", authority_id), module, role };

	return db_exec(db, a, &q_give, params) == NULL ? -1 : 0;
}

int
roles_check(struct db *db, struct arena *a, long long authority_id, xmlNodePtr *out)
{
	const char *params[1] = { arena_printf(a, "%lld", authority_id) };
	xmlNodePtr scratch, list, n;
	PGresult *r;

	*out = NULL;
	if ((r = db_exec(db, a, &q_violations, params)) == NULL)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	if ((scratch = model_new(a, "scratch")) == NULL)
		return -1;
	if ((list = model_add(scratch, "violations", NULL)) == NULL)
		return -1;
	xmlUnlinkNode(list);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "violation", NULL);
		model_attr(n, "rule", db_value(r, i, 0));
		model_attr(n, "module", db_value(r, i, 1));
	}
	*out = list;
	return PQntuples(r);
}
