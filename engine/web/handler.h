/*
 * handler.h — what a page handler gets: the request, its arena, a database
 * connection, the session (NULL when nobody is signed in) and the response
 * to fill.  A handler returns 0 when it filled the response, or an HTTP
 * status (400, 403, 404, 409, 500) for the router to render as an error page.
 */
#ifndef IMIFLOW_HANDLER_H
#define IMIFLOW_HANDLER_H

#include <libxml/tree.h>

#include "http.h"
#include "response.h"
#include "session.h"

struct arena;
struct config;
struct db;
struct wf_outcome;
struct pg_result;

#define HANDLER_MAX_ARGS 4

struct hctx {
	struct arena *a;
	struct db *db;
	const struct config *cfg;
	const struct http_req *req;
	struct http_resp *resp;
	struct session *sess;
	const char *lang;
	const char *args[HANDLER_MAX_ARGS];  /* path segments matched by "{}" in the route */
	const char *error_detail;            /* message key for the error page, optional */
	const char *error_arg;               /* its {1}: what was missing or what changed */
	/* A refusal in names (pages/page_refusal.c), for the error page to say in words. */
	struct {
		const char *kind, *name, *value;
		int negate;
	} error_reason;
	/* A transition's form refused for its inputs, shown again by the page it came from. */
	const char *failed_event;
	const struct wf_outcome *failed;
	/*
	 * Runs the GET handler of a local path for this request (the router's,
	 * set before any handler runs): a POST refused for its inputs shows the
	 * page it came from again, with the errors.  What that handler returns,
	 * 404 for no page.  A pointer, so pages need not include the router,
	 * which includes them all.
	 */
	int (*show)(struct hctx *ctx, const char *path);
	xmlNodePtr refused;                  /* a refused form's model, for the page show() draws */
};

typedef int (*handler_fn)(struct hctx *ctx);

/*
 * A new page model <page name="NAME" lang=".." request-id=".."> with the
 * signed-in user and the CSRF token already in it.  NULL on allocation failure.
 */
xmlNodePtr page_model(struct hctx *ctx, const char *name);

/* Renders the model as HTML, or as XML for ?format=xml / Accept: application/xml. 0 or 500. */
int page_render(struct hctx *ctx, xmlNodePtr page);

/*
 * One <name> per row of r under parent: its text from column text (-1: none)
 * and an attribute per column k named attrs[k] (NULL: that column is no
 * attribute; the list ends with the result's columns).  A NULL value makes
 * no attribute, so a flag column reads CASE WHEN … THEN 'true' END.
 */
void page_rows(xmlNodePtr parent, const char *name, const struct pg_result *r, int text,
    const char *const *attrs, int nattrs);

/* A strictly positive decimal id (a path segment), or -1. */
long long page_parse_id(const char *s);

/* s when it is a path of this site to return to ("/...", never "//host"), else NULL. */
const char *page_local_path(const char *s);

/* Renders an error page for status with an optional message key; always fills the response. */
void page_error(struct hctx *ctx, int status, const char *key);

#endif
