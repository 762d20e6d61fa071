/*
 * router.h — maps method and path to a handler and enforces, before any
 * handler runs, what every page needs: a session where one is required, a
 * changed password where the current one is temporary or expired, and a
 * valid CSRF token on every POST.
 */
#ifndef IMIFLOW_ROUTER_H
#define IMIFLOW_ROUTER_H

struct arena;
struct hctx;

/*
 * path as a log may show it: the segment a route marks secret (the token of
 * a mail link or an invitation) replaced by "..."; path itself when nothing is
 * secret.
 */
const char *router_log_path(struct arena *a, const char *path);

/* Fills ctx->resp for ctx->req; never fails to produce a response. */
void router_dispatch(struct hctx *ctx);

/*
 * 1 when ctx->req goes to a page that needs the database; 0 for those that need none (the
 * login form, error pages for unknown addresses), which at most look up the session quickly.
 */
int router_needs_db(struct hctx *ctx);

/*
 * Runs the GET handler of path (a local path, its query ignored) for ctx:
 * a POST refused for its inputs shows the page it came from again, with the
 * errors (ctx->failed).  Returns what the handler returns, 404 for no page.
 */
int router_show(struct hctx *ctx, const char *path);

#endif
