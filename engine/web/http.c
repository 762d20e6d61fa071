/*
 * http.c — the request as the engine sees it, parsed from FastCGI parameters
 * and the request body.
 *
 * Every byte here comes from the network, so the parsers are strict: a bad
 * percent escape, invalid UTF-8 or a control character fails the request with
 * HTTP_EBAD instead of being repaired.  A repaired value is a value nobody
 * sent, and two parsers that repair differently (nginx, us, a browser) are
 * where filter bypasses come from.  Limits are checked before anything is
 * copied, and every string handed out is a NUL-terminated copy in the arena,
 * so nothing outlives the request or points into the FastCGI buffers.
 */
#include "http.h"
#include "arena.h"
#include "multipart.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* README "Limits on untrusted input"; serve takes body and file from --body-max, --upload-max. */
const struct http_limits http_default_limits = {
	.max_body = 20 * 1024 * 1024,
	.max_fields = 256,
	.max_name = 128,
	.max_value = 64 * 1024,
	.max_cookies = 50,
	.max_path = 2048,
	.max_file = 10 * 1024 * 1024,
};

/* Longer than any registered method; a longer one is noise, not a method. */
#define METHOD_MAX	32
/* nginx's $request_id is 32 hex digits; leave room for other front ends. */
#define REQID_MAX	64
#define REQID_CHARS	\
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-"
/* 64 random bits: unique enough to follow one request through the logs. */
#define REQID_RANDOM	8

#define FORM_TYPE	"application/x-www-form-urlencoded"

/*
 * Why a field list was refused.  The parser reports a reason code, not a
 * string, so http_req_parse() can say where (query string or body) without
 * building a message at run time: errmsg must be static.
 */
enum reason {
	R_ESCAPE,
	R_NONAME,
	R_NAMETEXT,
	R_VALUETEXT,
	R_FIELDS,
	R_NAMELONG,
	R_VALUELONG,
	R_NOMEM,
	R__MAX
};

#define REASONS(where) {						\
	[R_ESCAPE] = where ": bad percent escape",			\
	[R_NONAME] = where ": field without a name",			\
	[R_NAMETEXT] = where ": field name is not valid UTF-8 "		\
	    "or has a control character",				\
	[R_VALUETEXT] = where ": field value is not valid UTF-8 "	\
	    "or has a control character",				\
	[R_FIELDS] = where ": too many fields",				\
	[R_NAMELONG] = where ": field name too long",			\
	[R_VALUELONG] = where ": field value too long",			\
	[R_NOMEM] = "out of memory",					\
}

static const char *const query_reasons[R__MAX] = REASONS("query string");
static const char *const body_reasons[R__MAX] = REASONS("body");

static int
token_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!http_is_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes s[0..len) ('+' is space, %XX a byte) into a NUL-terminated arena
 * string.  Decoding never makes text longer, so len + 1 bytes always do.
 * A '%' not followed by two hex digits is an error rather than a literal '%':
 * browsers always escape '%', so a bare one is a broken or crafted request.
 */
static enum http_err
pct_decode(struct arena *a, const char *s, size_t len, char **out,
    size_t *outlen)
{
	char *d;
	size_t i, j;
	int hi, lo;

	if (len == SIZE_MAX || (d = arena_alloc(a, len + 1)) == NULL)
		return HTTP_ENOMEM;
	for (i = j = 0; i < len; i++) {
		if (s[i] == '+')
			d[j++] = ' ';
		else if (s[i] == '%') {
			if (len - i < 3 ||
			    (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return HTTP_EBAD;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			d[j++] = s[i];
	}
	d[j] = '\0';
	*out = d;
	*outlen = j;
	return HTTP_OK;
}

/* Length of the segment at s[0..len) up to sep, or len. */
static size_t
seglen(const char *s, size_t len, char sep)
{
	const char *e;

	e = memchr(s, sep, len);
	return e == NULL ? len : (size_t)(e - s);
}

static enum http_err
urlencoded(struct arena *a, const char *s, size_t len,
    const struct http_limits *lim, struct http_field **out, size_t *nout,
    enum reason *why)
{
	struct http_field *f;
	const char *seg;
	char *name, *value;
	size_t n, k, off, sl, nl, namelen, valuelen;
	enum http_err rc;

	*out = NULL;
	*nout = 0;
	if (len == 0)
		return HTTP_OK;

	/*
	 * Count first, so too many fields fail before anything is copied.
	 * Empty segments ("a=1&&b=2", a trailing '&') are skipped: they carry
	 * nothing and hand-written links produce them.
	 */
	for (n = 0, off = 0; off < len; off += sl + 1) {
		sl = seglen(s + off, len - off, '&');
		if (sl > 0)
			n++;
	}
	if (n > lim->max_fields) {
		*why = R_FIELDS;
		return HTTP_ETOOBIG;
	}
	if ((f = arena_calloc(a, n, sizeof(*f))) == NULL) {
		*why = R_NOMEM;
		return HTTP_ENOMEM;
	}

	for (k = 0, off = 0; off < len; off += sl + 1) {
		seg = s + off;
		sl = seglen(seg, len - off, '&');
		if (sl == 0)
			continue;
		/* "a" and "a=" both mean a present, empty value. */
		nl = seglen(seg, sl, '=');
		if ((rc = pct_decode(a, seg, nl, &name, &namelen)) != HTTP_OK)
			goto fail;
		if (nl < sl)
			rc = pct_decode(a, seg + nl + 1, sl - nl - 1, &value,
			    &valuelen);
		else
			rc = pct_decode(a, seg + sl, 0, &value, &valuelen);
		if (rc != HTTP_OK)
			goto fail;
		/* Browsers never submit unnamed inputs, so "=x" is not a form. */
		if (namelen == 0) {
			*why = R_NONAME;
			return HTTP_EBAD;
		}
		if (namelen > lim->max_name) {
			*why = R_NAMELONG;
			return HTTP_ETOOBIG;
		}
		if (valuelen > lim->max_value) {
			*why = R_VALUELONG;
			return HTTP_ETOOBIG;
		}
		if (!http_text_ok(name, namelen, 0)) {
			*why = R_NAMETEXT;
			return HTTP_EBAD;
		}
		if (!http_text_ok(value, valuelen, HTTP_CTL_TAB | HTTP_CTL_CRLF)) {
			*why = R_VALUETEXT;
			return HTTP_EBAD;
		}
		f[k].name = name;
		f[k].value = value;
		f[k].valuelen = valuelen;
		k++;
	}
	*out = f;
	*nout = k;
	return HTTP_OK;
fail:
	*why = rc == HTTP_ENOMEM ? R_NOMEM : R_ESCAPE;
	return rc;
}

enum http_err
http_parse_urlencoded(struct arena *a, const char *s, size_t len,
    const struct http_limits *lim, struct http_field **out, size_t *nout)
{
	enum reason why;

	if (lim == NULL)
		lim = &http_default_limits;
	if (s == NULL && len > 0) {
		*out = NULL;
		*nout = 0;
		return HTTP_EBAD;
	}
	return urlencoded(a, s, len, lim, out, nout, &why);
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows s[0..*len) to drop spaces and tabs at both ends. */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && is_ows(s[0])) {
		s++;
		(*len)--;
	}
	while (*len > 0 && is_ows(s[*len - 1]))
		(*len)--;
	return s;
}

/*
 * Cookies are the one input that other software may write for us: a sibling
 * application on a parent domain, a browser extension, a script that called
 * document.cookie = "x" (a nameless cookie, sent as a bare "x").  So pairs
 * that cannot be ours (no '=', a name that is not a token) are skipped
 * silently: refusing the request would lock the user out of every page until
 * that foreign cookie expires, and nothing of ours is lost by ignoring it.
 * Bytes that no browser sends (control characters, invalid UTF-8) and
 * exceeded limits still fail the request.  Skipped pairs count towards
 * max_cookies so a header of ten thousand ";x" pairs is still refused.
 */
static enum http_err
cookies(struct arena *a, const char *hdr, const struct http_limits *lim,
    struct http_field **out, size_t *nout, const char **why)
{
	struct http_field *f;
	const char *seg, *name, *value;
	size_t len, n, k, off, sl, namelen, valuelen;

	*out = NULL;
	*nout = 0;
	if (hdr == NULL || *hdr == '\0')
		return HTTP_OK;
	len = strlen(hdr);
	if (!http_text_ok(hdr, len, HTTP_CTL_TAB)) {
		*why = "cookie header is not valid UTF-8 or has a control "
		    "character";
		return HTTP_EBAD;
	}

	for (n = 0, off = 0; off < len; off += sl + 1) {
		sl = seglen(hdr + off, len - off, ';');
		seg = hdr + off;
		namelen = sl;
		(void)trim(seg, &namelen);
		if (namelen > 0)
			n++;
	}
	if (n > lim->max_cookies) {
		*why = "too many cookies";
		return HTTP_ETOOBIG;
	}
	if ((f = arena_calloc(a, n, sizeof(*f))) == NULL) {
		*why = "out of memory";
		return HTTP_ENOMEM;
	}

	for (k = 0, off = 0; off < len; off += sl + 1) {
		sl = seglen(hdr + off, len - off, ';');
		seg = hdr + off;
		namelen = seglen(seg, sl, '=');
		if (namelen == sl)
			continue;
		value = seg + namelen + 1;
		valuelen = sl - namelen - 1;
		name = trim(seg, &namelen);
		value = trim(value, &valuelen);
		if (namelen > lim->max_name) {
			*why = "cookie name too long";
			return HTTP_ETOOBIG;
		}
		if (!token_ok(name, namelen))
			continue;
		/* RFC 6265 allows the value in one pair of double quotes. */
		if (valuelen >= 2 && value[0] == '"' &&
		    value[valuelen - 1] == '"') {
			value++;
			valuelen -= 2;
		}
		if (valuelen > lim->max_value) {
			*why = "cookie value too long";
			return HTTP_ETOOBIG;
		}
		f[k].name = arena_strndup(a, name, namelen);
		f[k].value = arena_strndup(a, value, valuelen);
		if (f[k].name == NULL || f[k].value == NULL) {
			*why = "out of memory";
			return HTTP_ENOMEM;
		}
		f[k].valuelen = valuelen;
		k++;
	}
	*out = f;
	*nout = k;
	return HTTP_OK;
}

enum http_err
http_parse_cookies(struct arena *a, const char *hdr,
    const struct http_limits *lim, struct http_field **out, size_t *nout)
{
	const char *why;

	if (lim == NULL)
		lim = &http_default_limits;
	return cookies(a, hdr, lim, out, nout, &why);
}

const char *
http_field_get(const struct http_field *f, size_t n, const char *name)
{
	size_t i;

	if (f == NULL || name == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].value;
	return NULL;
}

const char *
http_query(const struct http_req *req, const char *name)
{
	return http_field_get(req->query_fields, req->nquery, name);
}

const char *
http_form(const struct http_req *req, const char *name)
{
	return http_field_get(req->body_fields, req->nbody, name);
}

const char *
http_cookie(const struct http_req *req, const char *name)
{
	return http_field_get(req->cookies, req->ncookies, name);
}

/*
 * Takes the front end's id when it looks like one, so the engine's log lines
 * match nginx's access log; anything else (absent, too long, odd characters
 * that could forge log lines) is replaced by a fresh random id.
 */
static enum http_err
request_id(struct arena *a, const char *v, struct http_req *req,
    const char **why)
{
	unsigned char rnd[REQID_RANDOM];
	char *id;
	size_t len;

	if (v != NULL) {
		len = strnlen(v, REQID_MAX + 1);
		if (len >= 1 && len <= REQID_MAX &&
		    strspn(v, REQID_CHARS) == len) {
			if ((id = arena_strndup(a, v, len)) == NULL)
				goto nomem;
			req->request_id = id;
			return HTTP_OK;
		}
	}
	/*
	 * sodium_init() is idempotent and thread-safe; calling it here means
	 * the parser never depends on its caller having done so.
	 */
	if (sodium_init() < 0) {
		*why = "libsodium cannot be initialised";
		return HTTP_ENOMEM;
	}
	randombytes_buf(rnd, sizeof(rnd));
	if ((id = arena_alloc(a, 2 * sizeof(rnd) + 1)) == NULL)
		goto nomem;
	sodium_bin2hex(id, 2 * sizeof(rnd) + 1, rnd, sizeof(rnd));
	req->request_id = id;
	return HTTP_OK;
nomem:
	*why = "out of memory";
	return HTTP_ENOMEM;
}

static enum http_err
method(struct arena *a, const char *v, struct http_req *req,
    const char **why)
{
	size_t len;

	if (v == NULL) {
		*why = "missing REQUEST_METHOD";
		return HTTP_EBAD;
	}
	len = strnlen(v, METHOD_MAX + 1);
	if (len > METHOD_MAX || !token_ok(v, len)) {
		*why = "bad request method";
		return HTTP_EBAD;
	}
	if ((req->method_name = arena_strndup(a, v, len)) == NULL) {
		*why = "out of memory";
		return HTTP_ENOMEM;
	}
	/* Methods are case-sensitive (RFC 9110 9.1): "get" is not GET. */
	if (strcmp(v, "GET") == 0)
		req->method = HTTP_GET;
	else if (strcmp(v, "HEAD") == 0)
		req->method = HTTP_HEAD;
	else if (strcmp(v, "POST") == 0)
		req->method = HTTP_POST;
	else
		req->method = HTTP_OTHER;
	return HTTP_OK;
}

/*
 * DOCUMENT_URI is already percent-decoded and normalised by nginx, so it is
 * not decoded again: a second decoding would turn a literal "%2e%2e" (sent
 * as "%252e%252e") into "..".  Instead we check that the normalisation
 * happened, in case the front end changes or is misconfigured: an absolute
 * path, no empty segments, no "." or ".." segments, no control characters.
 */
static enum http_err
path(struct arena *a, http_param_fn param, void *arg,
    const struct http_limits *lim, struct http_req *req, const char **why)
{
	const char *doc, *sn, *pi;
	char *p;
	size_t len, snlen, pilen, i;

	if ((doc = param("DOCUMENT_URI", arg)) != NULL) {
		if ((len = strnlen(doc, lim->max_path + 1)) > lim->max_path)
			goto toolong;
		p = arena_strndup(a, doc, len);
	} else {
		sn = param("SCRIPT_NAME", arg);
		pi = param("PATH_INFO", arg);
		if (sn == NULL && pi == NULL) {
			*why = "missing DOCUMENT_URI";
			return HTTP_EBAD;
		}
		snlen = sn == NULL ? 0 : strnlen(sn, lim->max_path + 1);
		pilen = pi == NULL ? 0 : strnlen(pi, lim->max_path + 1);
		if (snlen > lim->max_path || pilen > lim->max_path - snlen)
			goto toolong;
		len = snlen + pilen;
		if ((p = arena_alloc(a, len + 1)) != NULL) {
			memcpy(p, sn == NULL ? "" : sn, snlen);
			memcpy(p + snlen, pi == NULL ? "" : pi, pilen);
			p[len] = '\0';
		}
	}
	if (p == NULL) {
		*why = "out of memory";
		return HTTP_ENOMEM;
	}

	if (len == 0 || p[0] != '/') {
		*why = "path does not start with '/'";
		return HTTP_EBAD;
	}
	if (!http_text_ok(p, len, 0)) {
		*why = "path is not valid UTF-8 or has a control character";
		return HTTP_EBAD;
	}
	/* Look at each segment after each '/'. */
	for (i = 0; i < len; i++) {
		if (p[i] != '/')
			continue;
		if (p[i + 1] == '/') {
			*why = "path has an empty segment";
			return HTTP_EBAD;
		}
		if (p[i + 1] == '.' && (p[i + 2] == '/' || p[i + 2] == '\0' ||
		    (p[i + 2] == '.' && (p[i + 3] == '/' || p[i + 3] == '\0')))) {
			*why = "path has a dot segment";
			return HTTP_EBAD;
		}
	}
	req->path = p;
	return HTTP_OK;
toolong:
	*why = "path too long";
	return HTTP_ETOOBIG;
}

/*
 * A request header passed through as text.  Only tab is allowed among the
 * controls: these strings end up in log lines, where CR or LF would forge one.
 */
static enum http_err
header(struct arena *a, const char *v, const struct http_limits *lim,
    const char **dst, const char **why, const char *bad, const char *big)
{
	size_t len;

	if (v == NULL) {
		*dst = "";
		return HTTP_OK;
	}
	if ((len = strnlen(v, lim->max_value + 1)) > lim->max_value) {
		*why = big;
		return HTTP_ETOOBIG;
	}
	if (!http_text_ok(v, len, HTTP_CTL_TAB)) {
		*why = bad;
		return HTTP_EBAD;
	}
	if ((*dst = arena_strndup(a, v, len)) == NULL) {
		*why = "out of memory";
		return HTTP_ENOMEM;
	}
	return HTTP_OK;
}

#define HEADER(a, param, arg, lim, dst, why, name)			\
	header((a), (param)(name, (arg)), (lim), (dst), (why),		\
	    name " is not valid UTF-8 or has a control character",	\
	    name " too long")

/*
 * A clean decimal number: digits only, no sign, no spaces.  Absent or empty
 * means 0 (nginx passes an empty CONTENT_LENGTH when there is no body).
 * Values beyond SIZE_MAX saturate: they are clean, merely too big.
 */
static int
content_length(const char *s, size_t *out)
{
	size_t v = 0;
	unsigned int d;

	*out = 0;
	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned int)(*s - '0');
		if (v > (SIZE_MAX - d) / 10)
			v = SIZE_MAX;
		else
			v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* The media type before any ';' parameters, compared case-insensitively. */
static int
is_form(const char *ct)
{
	size_t len;

	len = strcspn(ct, ";");
	ct = trim(ct, &len);
	return len == sizeof(FORM_TYPE) - 1 &&
	    strncasecmp(ct, FORM_TYPE, len) == 0;
}

enum http_err
http_req_parse(struct arena *a, http_param_fn param, void *arg,
    const char *body, size_t bodylen, const struct http_limits *lim,
    struct http_req *req, const char **errmsg)
{
	struct multipart_limits ml;
	const char *why = NULL, *v, *https;
	char *copy;
	enum http_err rc;
	enum reason r = R_NOMEM;
	size_t clen;

	/* Every string is valid even after an error, for the error page. */
	memset(req, 0, sizeof(*req));
	req->method = HTTP_OTHER;
	req->method_name = req->path = req->query = "";
	req->content_type = req->accept = req->accept_language = req->remote_addr = "";
	req->request_id = req->host = req->https = req->body = "";
	if (lim == NULL)
		lim = &http_default_limits;

	/* The id first, so even a refused request is logged with it. */
	if ((rc = request_id(a, param("REQUEST_ID", arg), req, &why)) != HTTP_OK)
		goto out;
	if ((rc = method(a, param("REQUEST_METHOD", arg), req, &why)) !=
	    HTTP_OK)
		goto out;
	if ((rc = path(a, param, arg, lim, req, &why)) != HTTP_OK)
		goto out;

	/* Size before content: a huge body is a 413 whatever else is wrong. */
	if (content_length(param("CONTENT_LENGTH", arg), &clen) == -1) {
		why = "CONTENT_LENGTH is not a decimal number";
		rc = HTTP_EBAD;
		goto out;
	}
	if (clen > lim->max_body || bodylen > lim->max_body) {
		why = "body too big";
		rc = HTTP_EBODY;
		goto out;
	}
	if (clen != bodylen || (body == NULL && bodylen > 0)) {
		why = "body length differs from CONTENT_LENGTH";
		rc = HTTP_EBAD;
		goto out;
	}
	/*
	 * Our own copy, NUL-terminated: the caller's buffer may be reused,
	 * and uploaded files point into this one instead of being copied.
	 */
	if (bodylen > 0) {
		if ((copy = arena_strndup(a, body, bodylen)) == NULL) {
			why = "out of memory";
			rc = HTTP_ENOMEM;
			goto out;
		}
		req->body = copy;
		req->bodylen = bodylen;
	}

	if ((v = param("QUERY_STRING", arg)) != NULL && *v != '\0') {
		/*
		 * The raw string is handed out too, and valid fields do not
		 * make it valid text: "%C3" followed by a raw 0xA9 decodes
		 * to a fine "\xc3\xa9" but is not UTF-8 as it stands.
		 */
		if (!http_text_ok(v, strlen(v), 0)) {
			why = "query string is not valid UTF-8 or has a "
			    "control character";
			rc = HTTP_EBAD;
			goto out;
		}
		rc = urlencoded(a, v, strlen(v), lim, &req->query_fields,
		    &req->nquery, &r);
		if (rc != HTTP_OK) {
			why = query_reasons[r];
			goto out;
		}
		if ((req->query = arena_strdup(a, v)) == NULL) {
			why = "out of memory";
			rc = HTTP_ENOMEM;
			goto out;
		}
	}

	if ((rc = HEADER(a, param, arg, lim, &req->content_type, &why,
	    "CONTENT_TYPE")) != HTTP_OK ||
	    (rc = HEADER(a, param, arg, lim, &req->accept, &why,
	    "HTTP_ACCEPT")) != HTTP_OK ||
	    (rc = HEADER(a, param, arg, lim, &req->remote_addr, &why,
	    "REMOTE_ADDR")) != HTTP_OK ||
	    (rc = HEADER(a, param, arg, lim, &req->host, &why,
	    "HTTP_HOST")) != HTTP_OK)
		goto out;
	/*
	 * Only a preference for the language of pages (acceptlang.h): one the
	 * header rules refuse is dropped, and the page comes in English.
	 */
	if ((rc = header(a, param("HTTP_ACCEPT_LANGUAGE", arg), lim, &req->accept_language,
	    &why, "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_LANGUAGE")) == HTTP_ENOMEM)
		goto out;
	why = NULL;
	/* nginx sets HTTPS to "on" or leaves it empty; anything else is not TLS. */
	if ((https = param("HTTPS", arg)) != NULL && strcmp(https, "on") == 0)
		req->https = "on";

	if ((rc = cookies(a, param("HTTP_COOKIE", arg), lim, &req->cookies,
	    &req->ncookies, &why)) != HTTP_OK)
		goto out;

	if (bodylen > 0 && is_form(req->content_type)) {
		rc = urlencoded(a, req->body, req->bodylen, lim,
		    &req->body_fields, &req->nbody, &r);
		if (rc != HTTP_OK) {
			why = body_reasons[r];
			goto out;
		}
	} else if (bodylen > 0 && multipart_is_form_data(req->content_type)) {
		/* Its fields keep the promises urlencoded fields keep. */
		ml = multipart_default_limits;
		ml.max_name = lim->max_name;
		ml.max_field_value = lim->max_value;
		if (lim->max_file > 0)
			ml.max_file = lim->max_file;
		ml.max_total_files = lim->max_body;
		if (ml.max_parts > lim->max_fields)
			ml.max_parts = lim->max_fields;
		rc = multipart_parse(a, req->content_type, req->body,
		    req->bodylen, &ml, &req->body_fields, &req->nbody,
		    &req->files, &req->nfiles, &why);
		if (rc != HTTP_OK)
			goto out;
	}
	rc = HTTP_OK;
out:
	if (rc != HTTP_OK && errmsg != NULL)
		*errmsg = why;
	return rc;
}
