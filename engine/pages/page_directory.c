/* page_directory.c — see page_directory.h. */
#include "page_directory.h"

#include <string.h>

#include "arena.h"
#include "authority_form.h"
#include "authz.h"
#include "db.h"
#include "handler.h"
#include "http.h"
#include "model.h"

#define TEXT_MAX 200

/* Plain substring matching: what people type is never a pattern. */
static const struct db_query q_search = { "directory_search",
	"SELECT a.id, a.official_name, coalesce(a.informal_title, ''), a.country, a.authority_type"
	"  FROM authorities a JOIN wf_instances i ON i.id = a.instance_id AND i.state = 'active'"
	" WHERE a.deleted_at IS NULL"
	"   AND ($1 = '' OR strpos(lower(a.official_name), lower($1)) > 0)"
	"   AND ($2 = '' OR strpos(lower(coalesce(a.informal_title, '')), lower($2)) > 0)"
	"   AND ($3 = '' OR a.country = $3)"
	"   AND ($4 = '' OR EXISTS (SELECT FROM module_access_granted(a.id, $4)))"
	" ORDER BY a.country, a.official_name LIMIT 101", 4 };
static const struct db_query q_managed = { "directory_managed",
	"SELECT a.id, a.official_name, coalesce(a.informal_title, ''), a.country, a.authority_type,"
	"       coalesce(i.state, '')"
	"  FROM authorities a LEFT JOIN wf_instances i ON i.id = a.instance_id, authorities me"
	" WHERE me.id = $1 AND a.deleted_at IS NULL"
	"   AND CASE WHEN $2 THEN EXISTS (SELECT 1 FROM authority_managers m"
	"                                  WHERE m.authority_id = a.id AND m.manager_id = me.id)"
	"            ELSE me.is_helpdesk OR a.country = me.country END"
	"   AND ($3 = '' OR strpos(lower(a.official_name), lower($3)) > 0"
	"        OR strpos(lower(coalesce(a.informal_title, '')), lower($3)) > 0)"
	"   AND ($4 = '' OR i.state = $4)"
	" ORDER BY a.country, a.official_name LIMIT 201", 4 };
static const struct db_query q_modules = { "directory_modules",
	"SELECT code, name FROM modules ORDER BY position, code", 0 };

static const char *
criterion(struct hctx *ctx, const char *name)
{
	const char *v = http_query(ctx->req, name);

	if (v == NULL || strlen(v) > TEXT_MAX || !http_valid_text(v, strlen(v)))
		return "";
	return v;
}

static void
result(xmlNodePtr list, const PGresult *r, int i)
{
	xmlNodePtr n = model_add(list, "result", db_value(r, i, 1));

	model_attr(n, "id", db_value(r, i, 0));
	model_attr(n, "informal-title", db_value(r, i, 2));
	model_attr(n, "country", db_value(r, i, 3));
	model_attr(n, "type", db_value(r, i, 4));
	if (PQnfields(r) > 5)
		model_attr(n, "state", db_value(r, i, 5));
}

static int
results(struct hctx *ctx, xmlNodePtr page, const PGresult *r, int limit)
{
	xmlNodePtr list = model_add(page, "results", NULL), m;
	PGresult *mods;

	for (int i = 0; i < PQntuples(r) && i < limit; i++)
		result(list, r, i);
	if (PQntuples(r) > limit)
		model_attrf(list, "more-than", "%d", limit);
	if (form_choices_model(ctx->db, ctx->a, page) == -1 ||
	    (mods = db_exec(ctx->db, ctx->a, &q_modules, NULL)) == NULL)
		return 500;
	for (int i = 0; i < PQntuples(mods); i++) {
		m = model_add(page->last, "module", db_value(mods, i, 1));
		model_attr(m, "code", db_value(mods, i, 0));
	}
	return page_render(ctx, page);
}

int
page_authority_search(struct hctx *ctx)
{
	const char *params[4];
	xmlNodePtr page, c;
	PGresult *r;

	params[0] = criterion(ctx, "name");
	params[1] = criterion(ctx, "informal");
	params[2] = criterion(ctx, "country");
	params[3] = criterion(ctx, "module");
	if ((page = page_model(ctx, "authority-search")) == NULL)
		return 500;
	c = model_add(page, "criteria", NULL);
	model_attr(c, "name", params[0]);
	model_attr(c, "informal", params[1]);
	model_attr(c, "country", params[2]);
	model_attr(c, "module", params[3]);
	if ((r = db_exec(ctx->db, ctx->a, &q_search, params)) == NULL)
		return 500;
	return results(ctx, page, r, 100);
}

int
page_managed_authorities(struct hctx *ctx)
{
	const char *mine = http_query(ctx->req, "mine"), *params[4];
	xmlNodePtr page, c;
	PGresult *r;
	int m = authz_access_manager(ctx);

	if (m == -1)
		return 500;
	if (m == 0) {
		ctx->error_detail = "error.authority.manage-forbidden";
		return 403;
	}
	/* Seed 002: the search "is defaulted to the authorities for which the user's authority is
	 * identified as an 'Access Manager'". */
	mine = mine != NULL && strcmp(mine, "no") == 0 ? "no" : "yes";
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	params[1] = strcmp(mine, "yes") == 0 ? "true" : "false";
	params[2] = criterion(ctx, "name");
	params[3] = criterion(ctx, "state");
	if ((page = page_model(ctx, "managed")) == NULL)
		return 500;
	c = model_add(page, "criteria", NULL);
	model_attr(c, "mine", mine);
	model_attr(c, "name", params[2]);
	model_attr(c, "state", params[3]);
	if ((r = db_exec(ctx->db, ctx->a, &q_managed, params)) == NULL)
		return 500;
	return results(ctx, page, r, 200);
}
