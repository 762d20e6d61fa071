/*
 * http.h — the request as the engine sees it, parsed from FastCGI parameters
 * and the request body.  Everything here is untrusted input: every parser has
 * limits, checks lengths, accepts only valid UTF-8 without control characters
 * (tab, CR and LF allowed in values), and fails the one request, never the
 * process.  All memory comes from the request's arena.
 */
#ifndef IMIFLOW_HTTP_H
#define IMIFLOW_HTTP_H

#include <stddef.h>

#include "httplex.h"

struct arena;
struct multipart_file;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER };


struct http_limits {
	size_t max_body;      /* bytes of request body */
	size_t max_fields;    /* fields per query string or body */
	size_t max_name;      /* bytes of a decoded field name */
	size_t max_value;     /* bytes of a decoded field value */
	size_t max_cookies;   /* cookies in the Cookie header */
	size_t max_path;      /* bytes of the path */
	size_t max_file;      /* bytes of one uploaded file (0: multipart's default) */
};

/* The limits serve uses unless configured otherwise. */
extern const struct http_limits http_default_limits;

struct http_req {
	enum http_method method;
	const char *method_name;   /* as received, e.g. "PUT" for HTTP_OTHER */
	const char *path;          /* decoded, starts with '/', no NUL, no "/../" */
	const char *query;         /* raw query string, "" if none */
	struct http_field *query_fields;  size_t nquery;
	struct http_field *body_fields;   size_t nbody;
	struct multipart_file *files;     size_t nfiles;  /* multipart only */
	const char *body;          /* as read, arena copy + NUL; "" if none */
	size_t bodylen;            /* bytes before the added NUL */
	struct http_field *cookies;       size_t ncookies;
	const char *content_type;  /* "" if none */
	const char *accept;        /* "" if none */
	const char *accept_language;  /* "" if none, too long or not valid text: a wish, never a 400 */
	const char *remote_addr;   /* "" if none */
	const char *request_id;    /* from nginx's $request_id when valid, else generated */
	const char *host;          /* HTTP_HOST, "" if none */
	const char *https;         /* "on" behind TLS, else "" */
};

/* Looks up a FastCGI parameter ("REQUEST_METHOD", "HTTP_COOKIE", ...); NULL if absent. */
typedef const char *(*http_param_fn)(const char *name, void *arg);

/*
 * Builds req from FastCGI parameters and an already read body of bodylen bytes
 * (the caller reads at most lim->max_body + 1 bytes, so it can tell "too big").
 * Parameters used: REQUEST_METHOD, DOCUMENT_URI (else SCRIPT_NAME+PATH_INFO),
 * QUERY_STRING, CONTENT_TYPE, CONTENT_LENGTH, HTTP_COOKIE, HTTP_ACCEPT,
 * HTTP_ACCEPT_LANGUAGE, REMOTE_ADDR, REQUEST_ID, HTTP_HOST, HTTPS.  req->body is a copy of the body
 * as read.  A non-empty body is parsed as fields when the content type is
 * application/x-www-form-urlencoded (parameters after ';' ignored), and as
 * fields and files when it is multipart/form-data (multipart.h): its fields
 * obey max_name, max_value and max_fields like urlencoded ones, max_fields also
 * caps the number of parts, a file over max_file is listed as too_big, all
 * files together may fill max_body, the other limits are
 * multipart_default_limits, and file data points into req->body.  Other bodies are left unparsed with
 * nbody = nfiles = 0.  A body or CONTENT_LENGTH over max_body is HTTP_EBODY.
 * On error, *errmsg (if not NULL) gets a short static English reason for the log.
 */
enum http_err http_req_parse(struct arena *a, http_param_fn param, void *arg,
    const char *body, size_t bodylen, const struct http_limits *lim,
    struct http_req *req, const char **errmsg);

/* application/x-www-form-urlencoded ('+' is space, %XX escapes; "a", "a=" and "a=b" all valid). */
enum http_err http_parse_urlencoded(struct arena *a, const char *s, size_t len,
    const struct http_limits *lim, struct http_field **out, size_t *nout);

/* A Cookie header: "a=b; c=d"; values may be quoted; no percent decoding. */
enum http_err http_parse_cookies(struct arena *a, const char *hdr,
    const struct http_limits *lim, struct http_field **out, size_t *nout);

/* First field named name, or NULL. */
const char *http_field_get(const struct http_field *f, size_t n, const char *name);

const char *http_query(const struct http_req *req, const char *name);
const char *http_form(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);

#endif
