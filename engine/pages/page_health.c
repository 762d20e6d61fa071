/* page_health.c — see page_health.h. */
#include "page_health.h"

#include "buf.h"
#include "db.h"
#include "handler.h"
#include "log.h"

static const struct db_query q_alive = { "health_alive", "SELECT 1", 0 };

int
page_health(struct hctx *ctx)
{
	int ok;

	/*
	 * The thread's connection was checked before the request (db_ensure), but a database
	 * that went away since answers only to a query: ask one, the cheapest.
	 */
	ok = db_exec(ctx->db, ctx->a, &q_alive, NULL) != NULL;
	ctx->resp->content_type = "text/plain; charset=utf-8";
	if (resp_header(ctx->resp, "Cache-Control", "no-store") == -1)
		return 500;
	if (!ok) {
		log_warn("healthz: the database does not answer");
		ctx->resp->status = 503;
		if (resp_header(ctx->resp, "Retry-After", "5") == -1)
			return 500;
		buf_puts(&ctx->resp->body, "unavailable: the database does not answer\n");
		return 0;
	}
	ctx->resp->status = 200;
	buf_puts(&ctx->resp->body, "ok\n");
	return 0;
}
