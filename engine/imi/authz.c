/* authz.c — see authz.h. */
#include "authz.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "handler.h"

static const struct db_query q_authority = { "authz_authority",
	"SELECT a.country, coalesce(i.state, ''), a.instance_id, coalesce(i.rev, 0),"
	"       me.is_helpdesk OR ((me.is_nimic OR me.is_access_manager) AND me.country = a.country),"
	"       a.deleted_at IS NOT NULL, a.official_name"
	"  FROM authorities a LEFT JOIN wf_instances i ON i.id = a.instance_id,"
	"       authorities me WHERE a.id = $1 AND me.id = $2", 2 };
static const struct db_query q_manager = { "authz_manager",
	"SELECT is_access_manager($1)", 1 };

int
authz_authority(struct hctx *ctx, long long authority_id, struct authz_authority *out)
{
	const char *params[2];
	PGresult *r;

	memset(out, 0, sizeof(*out));
	out->id = authority_id;
	params[0] = arena_printf(ctx->a, "%lld", authority_id);
	params[1] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_authority, params)) == NULL)
		return -1;
	if (PQntuples(r) != 1 || (db_bool(r, 0, 5) && !ctx->sess->is_helpdesk))
		return 0;
	out->found = 1;
	out->country = db_value(r, 0, 0);
	out->state = db_value(r, 0, 1);
	out->instance_id = db_int(r, 0, 2);
	out->rev = db_value(r, 0, 3);
	out->name = db_value(r, 0, 6);
	out->is_own = authority_id == ctx->sess->authority_id;
	out->may_manage = ctx->sess->is_admin && db_bool(r, 0, 4) && !db_bool(r, 0, 5);
	out->may_edit = out->may_manage || (out->is_own && ctx->sess->is_admin);
	out->may_view_private = out->may_edit || out->is_own;
	return 0;
}

int
authz_access_manager(struct hctx *ctx)
{
	const char *params[1];
	PGresult *r;

	if (!ctx->sess->is_admin)
		return 0;
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_manager, params)) == NULL)
		return -1;
	return db_bool(r, 0, 0);
}

int
authz_authority_arg(struct hctx *ctx, const char *arg, struct authz_authority *z)
{
	long long id = page_parse_id(arg);

	if (id < 0)
		return 404;
	if (authz_authority(ctx, id, z) == -1)
		return 500;
	return z->found ? 0 : 404;
}

int
authz_refuse(struct hctx *ctx, const char *key)
{
	ctx->error_detail = key;
	return 403;
}
