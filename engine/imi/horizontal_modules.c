/* horizontal_modules.c — see horizontal_modules.h. */
#include "horizontal_modules.h"

#include "arena.h"
#include "db.h"
#include "engine.h"
#include "log.h"

#define ACCESS_WORKFLOW "module-access"
#define ACCESS_EVENT "grant-automatically"

/* The authority whose own lifecycle instance $1 is, with the horizontal modules it lacks. */
static const struct db_query q_missing = { "horizontal_missing",
	"SELECT a.id, m.code FROM wf_instances i JOIN authorities a ON a.id = i.authority_id"
	"  AND a.instance_id = i.id"
	"  JOIN modules m ON m.horizontal"
	" WHERE i.id = $1 AND NOT EXISTS (SELECT 1 FROM module_accesses ma"
	"                                  WHERE ma.authority_id = a.id AND ma.module = m.code)"
	" ORDER BY m.position, m.code", 1 };
static const struct db_query q_own = { "horizontal_own",
	"SELECT EXISTS (SELECT 1 FROM wf_instances i JOIN authorities a ON a.id = i.authority_id"
	"               WHERE i.id = $1 AND a.instance_id = i.id)", 1 };
static const struct db_query q_insert = { "horizontal_insert",
	"INSERT INTO module_accesses (authority_id, module, role, instance_id)"
	" VALUES ($1, $2, 'authority', $3)", 3 };

int
act_grant_horizontal_modules(struct wf_fire *f)
{
	struct wf_actor system = { WF_ACTOR_SYSTEM, 0, 0 };
	const char *params[3] = { arena_printf(f->a, "%lld", f->instance_id), NULL, NULL };
	struct wf_outcome out;
	PGresult *r, *m;
	long long iid;

	if (params[0] == NULL || (r = db_exec(f->db, f->a, &q_own, params)) == NULL)
		return -1;
	if (!db_bool(r, 0, 0))
		return wf_forbid(f, "the authority's own lifecycle instance (this one is not)");
	if ((m = db_exec(f->db, f->a, &q_missing, params)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(m); i++) {
		if ((iid = wf_start_tx(f->db, f->a, f->cfg, &system, ACCESS_WORKFLOW, db_int(m, i, 0),
		    db_value(m, i, 1))) == -1)
			return -1;
		params[0] = db_value(m, i, 0);
		params[1] = db_value(m, i, 1);
		params[2] = arena_printf(f->a, "%lld", iid);
		if (params[2] == NULL || db_exec(f->db, f->a, &q_insert, params) == NULL)
			return -1;
		wf_fire_tx(f->db, f->a, f->cfg, &system, iid, 0, ACCESS_EVENT, NULL, &out);
		if (out.result != WF_OK) {
			log_warn("authority instance %lld: %s of %s refused: %s", f->instance_id,
			    ACCESS_EVENT, db_value(m, i, 1), out.detail ? out.detail : "");
			return -1;
		}
		log_info("authority %s: horizontal module %s granted", db_value(m, i, 0),
		    db_value(m, i, 1));
	}
	return 0;
}
