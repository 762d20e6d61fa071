/*
 * page.c — the common frame of every page model and its rendering
 * (declared in handler.h, since every handler uses them).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "handler.h"
#include "log.h"
#include "model.h"
#include "render.h"

xmlNodePtr
page_model(struct hctx *ctx, const char *name)
{
	xmlNodePtr page, user;

	if ((page = model_new(ctx->a, "page")) == NULL)
		return NULL;
	model_attr(page, "name", name);
	model_attr(page, "lang", ctx->lang);
	model_attr(page, "request-id", ctx->req->request_id);
	model_attr(page, "path", ctx->req->path);
	if (ctx->sess != NULL) {
		user = model_add(page, "user", NULL);
		model_attrf(user, "id", "%lld", ctx->sess->user_id);
		model_attr(user, "username", ctx->sess->username);
		model_attr(user, "name", ctx->sess->display_name);
		model_attrf(user, "authority", "%lld", ctx->sess->authority_id);
		model_attr(user, "must-change", ctx->sess->must_change ? "true" : "false");
		if (ctx->sess->is_admin)
			model_attr(user, "administrator", "true");
		if (ctx->sess->is_access_manager)
			model_attr(user, "access-manager", "true");
		if (ctx->sess->is_helpdesk)
			model_attr(user, "helpdesk", "true");
		/* A POST that shows a page (its form again, an error) reads them now. */
		if (session_menus(ctx->db, ctx->a, ctx->sess) == -1)
			log_warn("the menus' facts of user %lld could not be read; its case menus left out",
			    ctx->sess->user_id);
		if (ctx->sess->has_cases)
			model_attr(user, "cases", "true");
		if (ctx->sess->case_kinds != NULL && ctx->sess->case_kinds[0] != '\0')
			model_attr(user, "case-kinds", ctx->sess->case_kinds);
		model_add(page, "csrf", ctx->sess->csrf);
	}
	return page;
}

static int
wants_xml(const struct http_req *req)
{
	const char *f = http_query(req, "format");

	if (f != NULL)
		return strcmp(f, "xml") == 0;
	return strncmp(req->accept, "application/xml", 15) == 0;
}

int
page_render(struct hctx *ctx, xmlNodePtr page)
{
	struct http_resp *r = ctx->resp;

	if (page == NULL)
		return 500;
	buf_release(&r->body);
	buf_init(&r->body);
	if (wants_xml(ctx->req)) {
		r->content_type = "application/xml; charset=utf-8";
		if (render_xml(page->doc, &r->body) == -1)
			return 500;
	} else {
		r->content_type = "text/html; charset=utf-8";
		if (render_html(page->doc, ctx->lang, &r->body) == -1)
			return 500;
	}
	/* Pages carry personal data and CSRF tokens: never cache them anywhere. */
	if (resp_header(r, "Cache-Control", "no-store") == -1)
		return 500;
	return 0;
}

void
page_error(struct hctx *ctx, int status, const char *key)
{
	xmlNodePtr page, err, why;
	struct http_resp *r = ctx->resp;

	resp_reset(r);
	r->status = status;
	if ((page = page_model(ctx, "error")) != NULL) {
		err = model_add(page, "error", NULL);
		model_attrf(err, "status", "%d", status);
		model_attr(err, "key", key != NULL ? key : "");
		model_attr(err, "arg", ctx->error_arg);
		if (ctx->error_reason.kind != NULL && (why = model_add(err, "reason", NULL)) != NULL) {
			model_attr(why, "kind", ctx->error_reason.kind);
			model_attr(why, "name", ctx->error_reason.name);
			model_attr(why, "value", ctx->error_reason.value);
			if (ctx->error_reason.negate)
				model_attr(why, "negate", "true");
		}
		if (page_render(ctx, page) == 0) {
			r->status = status;
			return;
		}
	}
	/* Rendering the error itself failed: a plain page, never nothing. */
	resp_reset(r);
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
	buf_printf(&r->body, "%d %s (request %s)\n", status, resp_status_text(status),
	    ctx->req->request_id ? ctx->req->request_id : "-");
}

void
page_rows(xmlNodePtr parent, const char *name, const struct pg_result *r, int text,
    const char *const *attrs, int nattrs)
{
	xmlNodePtr n;

	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(parent, name, text >= 0 ? db_value(r, i, text) : NULL);
		for (int k = 0; k < nattrs && k < PQnfields(r); k++)
			if (attrs[k] != NULL && !PQgetisnull(r, i, k))
				model_attr(n, attrs[k], db_value(r, i, k));
	}
}

const char *
page_local_path(const char *s)
{
	if (s == NULL || s[0] != '/' || s[1] == '/' || strlen(s) > 200 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_?=&") != strlen(s))
		return NULL;
	return s;
}

long long
page_parse_id(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtoll(s, &end, 10);
	return v > 0 ? v : -1;
}
