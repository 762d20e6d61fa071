/* page_login.c — see page_login.h. */
#include "page_login.h"

#include <string.h>

#include "arena.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "handler.h"
#include "log.h"
#include "model.h"
#include "password.h"
#include "security_log.h"
#include "session.h"
#include "token.h"

#define MAX_USERNAME 64

static struct cookie_opts
cookie(const struct hctx *ctx, int max_age, const char *same_site)
{
	struct cookie_opts o = { max_age, ctx->cfg->cookie_secure != NULL, 1, same_site };
	return o;
}

const char *
page_public_csrf(struct hctx *ctx)
{
	char fresh[TOKEN_LEN + 1];
	const char *token = http_cookie(ctx->req, LOGIN_COOKIE(ctx->cfg->cookie_secure != NULL));
	struct cookie_opts o = cookie(ctx, -1, "Strict");

	if (ctx->sess != NULL)
		return ctx->sess->csrf;
	if (token == NULL || !token_well_formed(token)) {
		token_new(fresh);
		if ((token = arena_strdup(ctx->a, fresh)) == NULL ||
		    resp_cookie(ctx->resp, LOGIN_COOKIE(ctx->cfg->cookie_secure != NULL), token, &o) == -1)
			return NULL;
	}
	return token;
}

/* The login form, with an optional error key (and its {1}) and the username typed so far. */
static int
login_page(struct hctx *ctx, const char *error, const char *arg, const char *username)
{
	const char *token = page_public_csrf(ctx);
	xmlNodePtr page, form;

	if (token == NULL)
		return 500;
	if ((page = page_model(ctx, "login")) == NULL)
		return 500;
	if (ctx->sess == NULL)
		model_add(page, "csrf", token);
	/* Where to go after signing in: a link from a mail, when deployments want a login first. */
	model_add(page, "next", page_local_path(http_query(ctx->req, "next")) ?
	    page_local_path(http_query(ctx->req, "next")) : page_local_path(http_form(ctx->req, "next")));
	form = model_add(page, "form", NULL);
	model_add(form, "username", username != NULL ? username : "");
	if (error != NULL) {
		xmlNodePtr e = model_add(form, "error", NULL);
		model_attr(e, "key", error);
		if (arg != NULL)
			model_attr(e, "arg", arg);
	}
	return page_render(ctx, page);
}

int
page_login_form(struct hctx *ctx)
{
	if (ctx->sess != NULL)
		return resp_redirect(ctx->resp, ctx->sess->must_change ? "/password" : "/") == -1
		    ? 500 : 0;
	return login_page(ctx, NULL, NULL, NULL);
}

int
page_login_submit(struct hctx *ctx)
{
	const char *username = http_form(ctx->req, "username");
	const char *password = http_form(ctx->req, "password");
	const char *wait;
	char token[TOKEN_LEN + 1];
	struct cookie_opts keep = cookie(ctx, -1, "Lax"), drop = cookie(ctx, 0, "Strict");
	struct auth_result res;

	if (username == NULL || password == NULL)
		return 400;
	if (strlen(username) > MAX_USERNAME || strlen(password) > PASSWORD_MAX || username[0] == '\0')
		return login_page(ctx, "login.login-failed", NULL, NULL);
	auth_login(ctx->db, ctx->a, ctx->cfg, username, password, ctx->req->remote_addr, &res);
	switch (res.status) {
	case AUTH_ERROR:
		return 500;
	case AUTH_THROTTLED:
		/* Says nothing of the username either: unknown ones wait alike. */
		log_info("login for \"%s\" from %s refused: %d s to wait", username,
		    ctx->req->remote_addr, res.wait_seconds);
		ctx->resp->status = 429;
		if ((wait = arena_printf(ctx->a, "%d", res.wait_seconds)) == NULL ||
		    resp_header(ctx->resp, "Retry-After", wait) == -1)
			return 500;
		return login_page(ctx, "login.throttled", wait, username);
	case AUTH_FAILED:
		/* The cause goes to the log only: the page is the same for all of them. */
		log_info("failed login for \"%s\" from %s (%s)", username, ctx->req->remote_addr,
		    res.why);
		return login_page(ctx, "login.login-failed", NULL, username);
	case AUTH_OK:
		break;
	}
	if (ctx->sess != NULL && session_end(ctx->db, ctx->a, ctx->sess->id) == -1)
		return 500;
	if (session_create(ctx->db, ctx->a, res.user_id, token) == -1)
		return 500;
	log_info("user %lld signed in from %s", res.user_id, ctx->req->remote_addr);
	/* Lax, not Strict: a link from a mail must arrive signed in. */
	if (resp_cookie(ctx->resp, SESSION_COOKIE(ctx->cfg->cookie_secure != NULL), token, &keep) == -1 ||
	    resp_cookie(ctx->resp, LOGIN_COOKIE(ctx->cfg->cookie_secure != NULL), "", &drop) == -1 ||
	    resp_redirect(ctx->resp, res.must_change ? "/password" :
	    page_local_path(http_form(ctx->req, "next")) ? page_local_path(http_form(ctx->req, "next")) :
	    "/") == -1)
		return 500;
	return 0;
}

int
page_logout(struct hctx *ctx)
{
	struct cookie_opts drop = cookie(ctx, 0, "Lax");
	struct seclog_event e = { SECLOG_LOGOUT, ctx->sess->user_id, ctx->sess->authority_id,
	    ctx->sess->user_id, ctx->req->remote_addr, NULL };

	/* The row travels with the session's end, in its implicit transaction. */
	if (security_log_queue(ctx->db, ctx->a, &e) == -1 ||
	    session_end(ctx->db, ctx->a, ctx->sess->id) == -1)
		return 500;
	/*
	 * The browser forgets what it kept of the session (ASVS 14.3.1): cached pages, cookies
	 * (the session's and the sign-in form's) and any storage.  Over plain HTTP browsers
	 * ignore the header; the cookie is dropped by name all the same.
	 */
	if (resp_cookie(ctx->resp, SESSION_COOKIE(ctx->cfg->cookie_secure != NULL), "", &drop) == -1 ||
	    resp_header(ctx->resp, "Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"") == -1 ||
	    resp_redirect(ctx->resp, "/login") == -1)
		return 500;
	return 0;
}

static int
password_page(struct hctx *ctx, int refused)
{
	xmlNodePtr page, form, rules;

	if ((page = page_model(ctx, "password")) == NULL)
		return 500;
	model_attr(page, "state", ctx->sess->password_state);
	rules = model_add(page, "rules", NULL);
	model_attrf(rules, "min", "%d", PASSWORD_MIN);
	model_attrf(rules, "history", "%d", PASSWORD_HISTORY);
	form = model_add(page, "form", NULL);
	for (int bit = 1; bit <= AUTH_REUSED; bit <<= 1)
		if (refused & bit)
			model_attr(model_add(form, "error", NULL), "rule", auth_refusal_name(bit));
	return page_render(ctx, page);
}

int
page_password_form(struct hctx *ctx)
{
	return password_page(ctx, 0);
}

int
page_password_submit(struct hctx *ctx)
{
	const char *current = http_form(ctx->req, "current");
	const char *newpw = http_form(ctx->req, "new");
	const char *confirm = http_form(ctx->req, "confirm");
	int refused = 0, rc;

	if (current == NULL || newpw == NULL || confirm == NULL)
		return 400;
	rc = auth_change_password(ctx->db, ctx->a, ctx->cfg, ctx->sess->user_id,
	    ctx->sess->authority_id, current, newpw, confirm, ctx->req->remote_addr, &refused);
	if (rc == -1)
		return 500;
	if (rc == 1) {
		ctx->resp->status = 422;
		return password_page(ctx, refused);
	}
	log_info("user %lld changed their password", ctx->sess->user_id);
	/* Whoever else held a session with the old password loses it. */
	if (session_end_others(ctx->db, ctx->a, ctx->sess->user_id, ctx->sess->id) == -1)
		return 500;
	return resp_redirect(ctx->resp, "/?notice=password-changed") == -1 ? 500 : 0;
}
