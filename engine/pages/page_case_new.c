/* page_case_new.c — see page_case_new.h. */
#include "page_case_new.h"
#include "page_case_search.h"

#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "engine.h"
#include "handler.h"
#include "model.h"
#include "workflow.h"

/*
 * The newest version of every case definition, in the modules where the user
 * holds a role (or of no module), in the catalogue's order.
 */
static const struct db_query q_case_defs = { "case_new_definitions",
	"SELECT cd.name, cd.module, coalesce(m.name, cd.module)"
	"  FROM case_definitions cd LEFT JOIN modules m ON m.code = cd.module"
	" WHERE cd.version = (SELECT max(d.version) FROM wf_definitions d WHERE d.name = cd.name)"
	"   AND (cd.module = '' OR EXISTS (SELECT 1 FROM user_roles ur"
	"        WHERE ur.user_id = $1 AND ur.module = cd.module))"
	/* kind: the catalogue kinds asked (space-separated), e.g. "register" for the repositories */
	"   AND ($2 = '' OR m.kind = ANY (string_to_array($2, ' ')))"
	" ORDER BY coalesce(m.position, 0), cd.module, cd.name", 2 };

int
page_case_new(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	const char *params[2] = { arena_printf(ctx->a, "%lld", ctx->sess->user_id),
	    case_kind_criterion(ctx) };
	const char *last = NULL, *missing;
	xmlNodePtr page, list, mod = NULL, n;
	const struct wf_def *d;
	long long id;
	PGresult *r;

	if (params[0] == NULL || (r = db_exec(ctx->db, ctx->a, &q_case_defs, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "case-new")) == NULL)
		return 500;
	if (params[1][0] != '\0')
		model_attr(page, "kind", params[1]);
	list = model_add(page, "modules", NULL);
	/* The dry runs, all in one transaction that is rolled back (as /workflows' buttons). */
	if (db_begin(ctx->db) == -1)
		return 500;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((d = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, i, 0), 0)) == NULL ||
		    d->start.nallows == 0)
			continue;
		/* The same test as the start path's, on an instance that is never committed. */
		switch (wf_start_declared(ctx->db, ctx->a, ctx->cfg, &me, d->name, 1, &id, &missing)) {
		case WF_OK:
			break;
		case WF_FORBIDDEN:
		case WF_NOT_FOUND:
			continue;
		default:
			db_rollback(ctx->db);
			return 500;
		}
		if (mod == NULL || strcmp(last, db_value(r, i, 1)) != 0) {
			last = db_value(r, i, 1);
			mod = model_add(list, "module", NULL);
			model_attr(mod, "code", last);
			model_attr(mod, "name", db_value(r, i, 2));
		}
		n = model_add(mod, "definition", NULL);
		model_attr(n, "name", d->name);
		model_attr(n, "label", d->label);
		model_attr(n, "description", d->description);
	}
	db_rollback(ctx->db);
	return page_render(ctx, page);
}
