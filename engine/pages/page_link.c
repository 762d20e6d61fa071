/* page_link.c — see page_link.h. */
#include "page_link.h"

#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "engine.h"
#include "handler.h"
#include "log.h"
#include "model.h"
#include "page_login.h"
#include "token.h"
#include "workflow.h"

static const struct db_query q_find = { "link_find",
	"SELECT l.user_id, u.authority_id, l.instance_id, l.event, l.state, l.rev,"
	"       l.used_at IS NOT NULL, l.expires_at <= imi_now(), i.state, i.rev, i.definition,"
	"       i.version, i.module, u.deleted_at IS NOT NULL, l.id,"
	/* the number its users know: a request's, else the instance's (issue 16) */
	"       coalesce((SELECT r.id FROM requests r WHERE r.instance_id = i.id), i.id)"
	"  FROM wf_links l JOIN users u ON u.id = l.user_id JOIN wf_instances i ON i.id = l.instance_id"
	" WHERE l.token_hash = $1", 1 };
/*
 * Consumed in the firing transaction: it commits with the transition or not at
 * all, and only by its recipient or by nobody signed in ($2 the session's
 * user, NULL without one), whatever was examined before.
 */
static const struct db_query q_use = { "link_use",
	"UPDATE wf_links SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL"
	" AND expires_at > imi_now() AND ($2::bigint IS NULL OR user_id = $2) RETURNING id", 2 };

struct link {
	struct wf_actor actor;
	long long id, instance_id, rev, number;
	const char *event, *state, *status;
	const struct wf_def *def;
	const struct wf_transition *t;
};

/*
 * Fills l and says what the link can do now: ready, used, expired, moved,
 * role-lost, invalid; other-user whenever someone else is signed in, so a
 * session never acts, nor learns anything, through another person's link.
 */
static int
examine(struct hctx *ctx, const char *token, struct link *l)
{
	char hash[TOKEN_HASH_LEN + 1];
	const char *params[1] = { hash }, *missing;
	PGresult *r;
	int g;

	memset(l, 0, sizeof(*l));
	l->status = "invalid";
	if (!token_well_formed(token))
		return 0;
	token_hash(token, hash);
	if ((r = db_exec(ctx->db, ctx->a, &q_find, params)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	l->actor = (struct wf_actor){ WF_ACTOR_MAIL, db_int(r, 0, 0), db_int(r, 0, 1) };
	l->id = db_int(r, 0, 14);
	if (ctx->sess != NULL && ctx->sess->user_id != l->actor.user_id) {
		l->status = "other-user";
		return 0;
	}
	l->instance_id = db_int(r, 0, 2);
	l->number = db_int(r, 0, 15);
	l->event = db_value(r, 0, 3);
	l->state = db_value(r, 0, 8);
	l->rev = db_int(r, 0, 5);
	if ((l->def = defs_get(ctx->db, ctx->a, ctx->cfg->datadir, db_value(r, 0, 10),
	    (int)db_int(r, 0, 11))) == NULL)
		return -1;
	l->t = wf_transition(wf_state(l->def, db_value(r, 0, 4)), l->event);
	if (db_bool(r, 0, 6))
		l->status = "used";
	else if (db_bool(r, 0, 7))
		l->status = "expired";
	else if (strcmp(db_value(r, 0, 4), db_value(r, 0, 8)) != 0 || db_int(r, 0, 9) != l->rev ||
	    l->t == NULL)
		l->status = "moved";
	else if (db_bool(r, 0, 13))
		l->status = "role-lost";
	else {
		if ((g = wf_guard(ctx->db, ctx->a, &l->actor, l->instance_id, db_value(r, 0, 12), l->t,
		    &missing)) == -1)
			return -1;
		l->status = g ? "ready" : "role-lost";
	}
	return 0;
}

static int
link_page(struct hctx *ctx, const char *token, const struct link *l, const char *outcome)
{
	/* Signed out, the form is protected like the login form (double-submit cookie). */
	const char *csrf = page_public_csrf(ctx);
	const char *status = outcome != NULL ? outcome : l->status;
	xmlNodePtr page, n;

	if (csrf == NULL || (page = page_model(ctx, "link")) == NULL)
		return 500;
	if (ctx->sess == NULL)
		model_add(page, "csrf", csrf);
	n = model_add(page, "link", NULL);
	model_attr(n, "status", status);
	if (strcmp(status, "ready") == 0)
		model_attr(n, "token", token);
	if (l->def != NULL) {
		model_attr(n, "workflow", l->def->label ? l->def->label : l->def->name);
		model_attrf(n, "instance", "%lld", l->instance_id);
		model_attrf(n, "number", "%lld", l->number);
		model_attr(n, "state", l->state);
		if (wf_state(l->def, l->state) != NULL)
			model_attr(n, "state-label", wf_state(l->def, l->state)->label);
		model_attr(n, "event", l->event);
		model_attr(n, "label", l->t && l->t->label ? l->t->label : l->event);
	}
	if (strcmp(status, "invalid") == 0)
		ctx->resp->status = 404;
	else if (strcmp(status, "other-user") == 0)
		ctx->resp->status = 403;
	else if (outcome == NULL && strcmp(status, "ready") != 0)
		ctx->resp->status = 409;
	return page_render(ctx, page);
}

/* With links-login set, a usable link opened signed out goes through the login page. */
static int
needs_login(const struct hctx *ctx, const struct link *l)
{
	return ctx->cfg->links_login != NULL && strcmp(l->status, "ready") == 0 && ctx->sess == NULL;
}

static int
login_first(struct hctx *ctx)
{
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/login?next=/links/%s",
	    ctx->args[0])) == -1 ? 500 : 0;
}

/* Logs the link by its id: its token is a secret and never reaches a log. */
static void
log_refused(const struct hctx *ctx, const struct link *l)
{
	if (strcmp(l->status, "other-user") == 0)
		log_warn("mail link %lld of user %lld opened while user %lld is signed in: refused",
		    l->id, l->actor.user_id, ctx->sess->user_id);
}

int
page_link(struct hctx *ctx)
{
	struct link l;

	if (examine(ctx, ctx->args[0], &l) == -1)
		return 500;
	log_refused(ctx, &l);
	return needs_login(ctx, &l) ? login_first(ctx) : link_page(ctx, ctx->args[0], &l, NULL);
}

int
page_link_fire(struct hctx *ctx)
{
	char hash[TOKEN_HASH_LEN + 1];
	const char *params[2] = { hash, NULL };
	struct wf_outcome out;
	struct link l;
	PGresult *r;

	if (examine(ctx, ctx->args[0], &l) == -1)
		return 500;
	log_refused(ctx, &l);
	if (strcmp(l.status, "ready") != 0)
		return link_page(ctx, ctx->args[0], &l, NULL);
	if (needs_login(ctx, &l))
		return login_first(ctx);
	token_hash(ctx->args[0], hash);
	if (ctx->sess != NULL)
		params[1] = arena_printf(ctx->a, "%lld", ctx->sess->user_id);
	if (db_begin(ctx->db) == -1 || (r = db_exec(ctx->db, ctx->a, &q_use, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1) {
		/* Used or expired between the look and now. */
		db_rollback(ctx->db);
		if (examine(ctx, ctx->args[0], &l) == -1)
			return 500;
		return link_page(ctx, ctx->args[0], &l, NULL);
	}
	wf_fire_tx(ctx->db, ctx->a, ctx->cfg, &l.actor, l.instance_id, l.rev, l.event, NULL, &out);
	if (out.result != WF_OK) {
		db_rollback(ctx->db);
		if (out.result == WF_ERROR)
			return 500;
		/* Examined as ready a moment ago: anything but a refused guard means it moved on. */
		return link_page(ctx, ctx->args[0], &l,
		    out.result == WF_FORBIDDEN ? "role-lost" : "moved");
	}
	if (db_commit(ctx->db) == -1)
		return link_page(ctx, ctx->args[0], &l, "moved");
	log_info("mail link %lld: user %lld fired %s on instance %lld", l.id, l.actor.user_id,
	    l.event, l.instance_id);
	l.state = out.state;
	return link_page(ctx, ctx->args[0], &l, "done");
}
