/*
 * response.h — what a handler answers, held in memory until the handler is
 * done, so a failure half-way never leaves a partial page on the wire.
 */
#ifndef IMIFLOW_RESPONSE_H
#define IMIFLOW_RESPONSE_H

#include "buf.h"

struct http_resp {
	int status;
	const char *content_type;
	struct buf headers;     /* "Name: value\r\n" lines */
	struct buf body;
};

void resp_init(struct http_resp *r);
void resp_release(struct http_resp *r);
/* Resets status, headers and body: used when an error page replaces a half-built one. */
void resp_reset(struct http_resp *r);

/* -1 if name or value would break the header block (CR, LF, ':' in name). */
int resp_header(struct http_resp *r, const char *name, const char *value);
int resp_redirect(struct http_resp *r, const char *location);   /* 303 See Other */

struct cookie_opts {
	int max_age;       /* seconds; -1 = session cookie, 0 = delete */
	int secure;
	int http_only;
	const char *same_site;  /* "Lax" or "Strict" */
};
int resp_cookie(struct http_resp *r, const char *name, const char *value, const struct cookie_opts *o);

const char *resp_status_text(int status);

#endif
