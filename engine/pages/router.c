/* router.c — see router.h. */
#include "router.h"

#include <string.h>

#include "acceptlang.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "page_access.h"
#include "page_authority.h"
#include "page_case.h"
#include "page_case_export.h"
#include "page_case_new.h"
#include "page_case_search.h"
#include "page_directory.h"
#include "page_health.h"
#include "page_home.h"
#include "page_invitation.h"
#include "page_instance.h"
#include "page_link.h"
#include "page_login.h"
#include "page_request.h"
#include "page_scoreboard.h"
#include "page_security_log.h"
#include "page_send_email.h"
#include "page_user.h"
#include "refusal_log.h"
#include "token.h"

enum route_flags {
	R_PUBLIC = 1 << 0,        /* no session needed */
	R_WHILE_MUST_CHANGE = 1 << 1, /* open while the password must be changed */
	R_SECRET = 1 << 2,        /* its "{}" is a secret from a mail: never logged */
	R_NO_DB = 1 << 3          /* needs no database: the session is only looked up quickly */
};

/*
 * How long a page that needs no database (the login form, an error page) waits for the
 * session lookup before it is drawn as for nobody signed in: a locked or slow table must not
 * hold up the pages that do not read it.
 */
#define QUICK_SESSION_MS 200

struct route {
	enum http_method method;
	const char *pattern;      /* "{}" matches one path segment */
	handler_fn fn;
	int flags;
};

static const struct route routes[] = {
	{ HTTP_GET, "/", page_home, 0 },
	{ HTTP_GET, "/healthz", page_health, R_PUBLIC },
	{ HTTP_GET, "/login", page_login_form, R_PUBLIC | R_NO_DB },
	{ HTTP_POST, "/login", page_login_submit, R_PUBLIC },
	{ HTTP_POST, "/logout", page_logout, R_WHILE_MUST_CHANGE },
	{ HTTP_GET, "/password", page_password_form, R_WHILE_MUST_CHANGE },
	{ HTTP_POST, "/password", page_password_submit, R_WHILE_MUST_CHANGE },
	{ HTTP_GET, "/workflows", page_workflows, 0 },
	{ HTTP_GET, "/links/{}", page_link, R_PUBLIC | R_SECRET },
	{ HTTP_POST, "/links/{}", page_link_fire, R_PUBLIC | R_SECRET },
	{ HTTP_GET, "/workflows/{}", page_workflow_diagram, 0 },
	{ HTTP_POST, "/workflows/{}/start", page_workflow_start, 0 },
	{ HTTP_GET, "/instances/{}", page_case, 0 },
	{ HTTP_GET, "/instances/{}/documents/{}", page_case_document, 0 },
	{ HTTP_GET, "/instances/{}/report", page_case_report, 0 },
	{ HTTP_POST, "/instances/{}/fire/{}", page_instance_fire, 0 },
	{ HTTP_POST, "/instances/{}/copy", page_instance_copy, 0 },
	{ HTTP_GET, "/authorities", page_authority_search, 0 },
	{ HTTP_GET, "/authorities/{}", page_authority, 0 },
	{ HTTP_GET, "/authorities/{}/edit", page_authority_edit_form, 0 },
	{ HTTP_POST, "/authorities/{}/edit", page_authority_edit, 0 },
	{ HTTP_POST, "/authorities/{}/managers", page_authority_add_manager, 0 },
	{ HTTP_POST, "/authorities/{}/access-manager", page_authority_manager_role, 0 },
	{ HTTP_POST, "/authorities/{}/modules", page_access_grant, 0 },
	{ HTTP_POST, "/authorities/{}/modules/{}", page_access_update, 0 },
	{ HTTP_GET, "/authorities/{}/users.csv", page_users_csv, 0 },
	{ HTTP_GET, "/authorities/{}/users/new", page_user_new_form, 0 },
	{ HTTP_POST, "/authorities/{}/users/new", page_user_new, 0 },
	{ HTTP_GET, "/authorities/{}/{}", page_authority, 0 },
	{ HTTP_GET, "/users/{}", page_user_form, 0 },
	{ HTTP_POST, "/users/{}", page_user_save, 0 },
	{ HTTP_POST, "/users/{}/reset", page_user_reset, 0 },
	{ HTTP_POST, "/users/{}/delete", page_user_delete, 0 },
	{ HTTP_GET, "/requests", page_requests, 0 },
	{ HTTP_GET, "/requests/new", page_request_new_form, 0 },
	{ HTTP_POST, "/requests/new", page_request_new, 0 },
	{ HTTP_GET, "/requests/{}", page_request, 0 },
	{ HTTP_GET, "/requests/{}/edit", page_request_edit_form, 0 },
	{ HTTP_POST, "/requests/{}/edit", page_request_edit, 0 },
	{ HTTP_POST, "/requests/{}/answers", page_request_answers, 0 },
	{ HTTP_POST, "/requests/{}/disclose", page_request_disclose, 0 },
	{ HTTP_GET, "/requests/{}/documents/{}", page_request_document, 0 },
	{ HTTP_GET, "/cases", page_case_search, 0 },
	{ HTTP_GET, "/cases/published.csv", page_case_export_csv, R_PUBLIC },
	{ HTTP_GET, "/cases/published.xml", page_case_export_xml, R_PUBLIC },
	{ HTTP_GET, "/cases/new", page_case_new, 0 },
	{ HTTP_GET, "/scoreboard", page_scoreboard, 0 },
	{ HTTP_GET, "/profile", page_profile, 0 },
	{ HTTP_POST, "/profile", page_profile_save, 0 },
	{ HTTP_POST, "/profile/sessions", page_profile_end_sessions, 0 },
	{ HTTP_GET, "/admin/authorities", page_managed_authorities, 0 },
	{ HTTP_GET, "/admin/authorities/new", page_register_form, 0 },
	{ HTTP_POST, "/admin/authorities/new", page_register, 0 },
	{ HTTP_GET, "/admin/my-authority", page_my_authority, 0 },
	{ HTTP_GET, "/admin/invitations", page_invitations, 0 },
	{ HTTP_GET, "/admin/security-log", page_security_log, 0 },
	{ HTTP_POST, "/admin/invitations", page_invite, 0 },
	{ HTTP_GET, "/admin/send-email", page_send_email_form, 0 },
	{ HTTP_POST, "/admin/send-email", page_send_email, 0 },
	{ HTTP_GET, "/admin/sent-emails", page_sent_emails, 0 },
	{ HTTP_GET, "/admin/sent-emails/{}", page_sent_email, 0 },
	{ HTTP_GET, "/register/{}", page_self_register_form, R_PUBLIC | R_SECRET },
	{ HTTP_POST, "/register/{}", page_self_register, R_PUBLIC | R_SECRET },
	{ HTTP_GET, "/tasks", page_tasks, 0 },
	{ HTTP_GET, "/tasks/validations", page_pending_validations, 0 },
};

/* 1 if path matches pattern, capturing "{}" segments into args. */
static int
match(struct arena *a, const char *pattern, const char *path, const char **args)
{
	size_t n = 0;
	const char *end;

	while (*pattern != '\0' && *path != '\0') {
		if (pattern[0] == '{' && pattern[1] == '}') {
			if ((end = strchr(path, '/')) == NULL)
				end = path + strlen(path);
			if (end == path || n == HANDLER_MAX_ARGS)
				return 0;
			if ((args[n++] = arena_strndup(a, path, (size_t)(end - path))) == NULL)
				return 0;
			pattern += 2;
			path = end;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

static const struct route *
find(struct hctx *ctx, enum http_method m, const char *path, int *path_known)
{
	const char *args[HANDLER_MAX_ARGS];

	*path_known = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		memset(args, 0, sizeof(args));
		if (!match(ctx->a, routes[i].pattern, path, args))
			continue;
		*path_known = 1;
		if (routes[i].method == m) {
			memcpy(ctx->args, args, sizeof(args));
			return &routes[i];
		}
	}
	return NULL;
}

const char *
router_log_path(struct arena *a, const char *path)
{
	const char *brace, *rest, *masked;
	size_t n;

	for (size_t i = 0; path != NULL && i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!(routes[i].flags & R_SECRET) || (brace = strstr(routes[i].pattern, "{}")) == NULL)
			continue;
		/* By the literal prefix, so a path that matches no route is masked too. */
		n = (size_t)(brace - routes[i].pattern);
		if (strncmp(path, routes[i].pattern, n) != 0 || path[n] == '\0')
			continue;
		if ((rest = strchr(path + n, '/')) == NULL)
			rest = "";
		masked = arena_printf(a, "%.*s...%s", (int)n, path, rest);
		return masked != NULL ? masked : "...";
	}
	return path;
}

static int
csrf_ok(struct hctx *ctx)
{
	const char *sent = http_form(ctx->req, "csrf");
	const char *expected;

	if (sent == NULL)
		return 0;
	if (ctx->sess != NULL)
		expected = ctx->sess->csrf;
	else
		expected = http_cookie(ctx->req, LOGIN_COOKIE(ctx->cfg->cookie_secure != NULL));
	return expected != NULL && token_well_formed(expected) && token_equal(sent, expected);
}

static int
load_session(struct hctx *ctx, int quick)
{
	struct session_limits lim;
	const char *token = http_cookie(ctx->req, SESSION_COOKIE(ctx->cfg->cookie_secure != NULL));

	if (token == NULL)
		return 0;
	lim.idle_minutes = (int)config_number(ctx->cfg->session_idle, 30, 1, 60 * 24 * 30);
	lim.max_hours = (int)config_number(ctx->cfg->session_max, 12, 1, 24 * 365);
	lim.quick_ms = quick ? QUICK_SESSION_MS : 0;
	/* A page to show reads the menus' facts with the session; a POST only if it shows one. */
	lim.menus = ctx->req->method == HTTP_GET || ctx->req->method == HTTP_HEAD;
	if (lim.idle_minutes < 0 || lim.max_hours < 0)
		return -1;
	if (session_load(ctx->db, ctx->a, token, &lim, &ctx->sess) != -1)
		return 0;
	if (quick && db_timed_out(ctx->db)) {
		log_warn("%s: session lookup timed out; answered as for nobody signed in",
		    ctx->req->path);
		ctx->sess = NULL;
		return 0;
	}
	return -1;
}

/*
 * The error page for a failed handler.  A statement or lock timeout is no bug: the database
 * is busy or a table locked, and the page says to try again (503) rather than "error" (500).
 */
static void
fail(struct hctx *ctx, int status, const char *key)
{
	if (status == 500 && db_timed_out(ctx->db)) {
		page_error(ctx, 503, "error.db-timeout");
		if (resp_header(ctx->resp, "Retry-After", "5") == -1)
			log_warn("no Retry-After header (out of memory)");
		return;
	}
	page_error(ctx, status, key);
}

void
router_dispatch(struct hctx *ctx)
{
	const struct route *rt;
	int known, status;

	ctx->lang = acceptlang_page(ctx->req->accept_language);
	ctx->show = router_show;
	rt = find(ctx, ctx->req->method == HTTP_HEAD ? HTTP_GET : ctx->req->method,
	    ctx->req->path, &known);
	if (load_session(ctx, rt == NULL || (rt->flags & R_NO_DB)) == -1) {
		fail(ctx, 500, NULL);
		return;
	}
	/*
	 * A signed-in user reads their own language (profile), whatever the browser asks;
	 * one without a catalogue reads English, and the page says so in its lang.
	 */
	if (ctx->sess != NULL)
		ctx->lang = i18n_has_lang(ctx->sess->lang) ? ctx->sess->lang : "en";
	else if (resp_header(ctx->resp, "Vary", "Accept-Language") == -1)
		log_warn("no Vary header (out of memory)");
	if (rt == NULL) {
		page_error(ctx, known ? 405 : 404, NULL);
		return;
	}
	if (ctx->req->method == HTTP_POST && !csrf_ok(ctx)) {
		log_warn("POST %s refused: missing or wrong CSRF token",
		    router_log_path(ctx->a, ctx->req->path));
		page_error(ctx, 403, "error.csrf");
		return;
	}
	if (!(rt->flags & R_PUBLIC) && ctx->sess == NULL) {
		if (resp_redirect(ctx->resp, "/login") == -1)
			page_error(ctx, 500, NULL);
		return;
	}
	if (ctx->sess != NULL && ctx->sess->must_change && !(rt->flags & R_WHILE_MUST_CHANGE) &&
	    !(rt->flags & R_PUBLIC)) {
		if (resp_redirect(ctx->resp, "/password") == -1)
			page_error(ctx, 500, NULL);
		return;
	}
	if ((status = rt->fn(ctx)) != 0) {
		if (db_in_transaction(ctx->db))
			db_rollback(ctx->db);
		/* Refused authorisation goes to the security log; the refusal stands if it cannot. */
		if ((status == 403 || status == 404) &&
		    refusal_log(ctx->db, ctx->a, ctx->sess, status, ctx->req->method_name,
		    router_log_path(ctx->a, ctx->req->path), ctx->req->remote_addr) == -1)
			log_warn("refusal not in the security log");
		fail(ctx, status, ctx->error_detail);
	}
}

int
router_needs_db(struct hctx *ctx)
{
	const struct route *rt;
	int known;

	rt = find(ctx, ctx->req->method == HTTP_HEAD ? HTTP_GET : ctx->req->method, ctx->req->path,
	    &known);
	return rt != NULL && !(rt->flags & R_NO_DB);
}

int
router_show(struct hctx *ctx, const char *path)
{
	const struct route *rt;
	const char *q;
	int known;

	if ((q = strchr(path, '?')) != NULL &&
	    (path = arena_strndup(ctx->a, path, (size_t)(q - path))) == NULL)
		return 500;
	if ((rt = find(ctx, HTTP_GET, path, &known)) == NULL || (rt->flags & R_PUBLIC))
		return 404;
	return rt->fn(ctx);
}
