/* page_case_tasks.c — see page_case_tasks.h. */
#include "page_case_tasks.h"

#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "engine.h"
#include "handler.h"
#include "model.h"
#include "visibility.h"
#include "workflow.h"

/* Cases asked of the engine's guard at most; the newest first. */
#define CANDIDATES 100

/*
 * The candidates, by SQL: cases the user ($2) sees, in a state with a task
 * transition (case_tasks, read from the definitions at deploy) whose <allow>
 * names a role the user holds in the case's module (or none).  Parties and
 * conditions are the guard's: asked per candidate, as firing would.
 */
static const struct db_query q_candidates = { "case_task_candidates",
	/*
	 * The instances in a task's state first, each task's looked up in the
	 * index on (state, definition, version) (sql/032; OFFSET 0 keeps the
	 * lookup per task: joined, the planner walked every instance by
	 * definition); materialised, so that the visibility rule is asked of
	 * those only (it was asked of every instance: bench/README.md, "My tasks").
	 */
	"WITH c AS MATERIALIZED ("
	"  SELECT i.id, array_to_string(array_agg(DISTINCT t.event), ' ') AS events"
	"    FROM case_tasks t"
	"    CROSS JOIN LATERAL (SELECT i.id, i.module FROM wf_instances i WHERE i.state = t.state"
	"                          AND i.definition = t.name AND i.version = t.version OFFSET 0) i"
	"   WHERE t.role = '' OR EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = $2"
	"         AND ur.module = i.module AND ur.role = t.role)"
	"   GROUP BY i.id)"
	"SELECT i.id, i.definition, i.version, i.state, i.module, coalesce(m.name, i.module),"
	"       to_char(i.updated_at, 'YYYY-MM-DD'), c.events"
	"  FROM c JOIN wf_instances i ON i.id = c.id"
	"  LEFT JOIN modules m ON m.code = i.module"
	" WHERE " IMI_VISIBLE
	" ORDER BY i.id DESC LIMIT $1::int", 2 };

int
page_case_tasks(struct hctx *ctx, xmlNodePtr page)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	const char *params[2] = { arena_printf(ctx->a, "%d", CANDIDATES),
	    arena_printf(ctx->a, "%lld", ctx->sess->user_id) };
	const struct wf_transition *t;
	const struct wf_state *st;
	const struct wf_def *d;
	const char *missing;
	xmlNodePtr list, n;
	char *events, *ev, *save;
	PGresult *r;
	int g;

	if (params[0] == NULL || params[1] == NULL ||
	    (r = db_exec(ctx->db, ctx->a, &q_candidates, params)) == NULL)
		return -1;
	list = model_add(page, "case-tasks", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		if ((d = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, i, 1),
		    (int)db_int(r, i, 2))) == NULL || (st = wf_state(d, db_value(r, i, 3))) == NULL)
			continue;
		if ((events = arena_strdup(ctx->a, db_value(r, i, 7))) == NULL)
			return -1;
		for (ev = strtok_r(events, " ", &save); ev != NULL; ev = strtok_r(NULL, " ", &save)) {
			if ((t = wf_transition(st, ev)) == NULL)
				continue;
			if ((g = wf_guard(ctx->db, ctx->a, &me, db_int(r, i, 0), db_value(r, i, 4), t,
			    &missing)) == -1)
				return -1;
			if (g == 0)
				continue;
			n = model_add(list, "case-task", NULL);
			model_attr(n, "id", db_value(r, i, 0));
			model_attr(n, "definition", d->name);
			model_attr(n, "label", d->label);
			model_attr(n, "state", st->name);
			model_attr(n, "state-label", st->label);
			model_attr(n, "module-name", db_value(r, i, 5));
			model_attr(n, "updated", db_value(r, i, 6));
			model_attr(n, "event", t->event);
			model_attr(n, "event-label", t->label);
		}
	}
	return 0;
}
