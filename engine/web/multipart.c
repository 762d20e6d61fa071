/*
 * multipart.c — multipart/form-data bodies (RFC 7578, framing per RFC 2046).
 *
 * The body is walked twice.  The first walk only finds the delimiters: it
 * checks the framing (a closing delimiter, nothing but padding and CRLF after
 * each delimiter) and counts the parts, so a body of ten thousand tiny parts
 * is refused before anything is allocated for them.  The second walk parses
 * each part's headers and hands out its content.
 *
 * As in http.c, nothing is repaired.  In particular a delimiter followed by
 * anything but "--", padding or CRLF is an error rather than data: RFC 2046
 * forbids the delimiter inside a part, browsers pick boundaries that never
 * occur in the content, and a parser that reads "\r\n--BOUNDARYx" as data
 * disagrees with one that ends the part there.  File contents stay where
 * they are in the body; only names, filenames, content types and the (small)
 * plain field values are copied, NUL-terminated, into the arena.
 */
#include "multipart.h"
#include "arena.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

const struct multipart_limits multipart_default_limits = {
	.max_parts = 64,
	.max_name = 128,
	.max_filename = 255,
	.max_field_value = 64 * 1024,
	.max_file = 10 * 1024 * 1024,
	.max_total_files = 20 * 1024 * 1024,
	.max_header_bytes = 4 * 1024,
};

#define MEDIA_TYPE	"multipart/form-data"
#define BOUNDARY_MAX	70		/* RFC 2046 5.1.1 */
#define DEFAULT_TYPE	"application/octet-stream"
#define NOT_FOUND	SIZE_MAX

/* What walking the body needs: the body and "\r\n--" boundary. */
struct walk {
	const char *s;
	size_t len;
	const char *delim;
	size_t dlen;
	size_t pos;		/* where the next part starts */
	int closed;		/* the closing delimiter was seen */
};

/* A parameter as written: value is a token or a quoted-string with quotes. */
struct param {
	const char *name;
	size_t namelen;
	const char *value;
	size_t valuelen;
};

/* What one part's headers said. */
struct part {
	int have_disp, have_type, have_cte;
	char *name;
	size_t namelen;
	char *filename;		/* NULL without a filename parameter */
	size_t filenamelen;
	char *type;		/* NULL without Content-Type */
};

/* The state of one multipart_parse() call. */
struct ctx {
	struct arena *a;
	const struct multipart_limits *lim;
	const char *why;
	size_t total;		/* bytes of files so far */
};

/* RFC 2046 bchars. */
static int
is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* HTAB, SP, VCHAR and obs-text: what a quoted-string may hold. */
static int
is_qchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static size_t
skip_ows(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t
skip_token(const char *s, size_t len, size_t i)
{
	while (i < len && http_is_tchar((unsigned char)s[i]))
		i++;
	return i;
}

/* 1 if s[0..len) is valid UTF-8 text without any control character. */
static int
plain_text(const char *s, size_t len)
{
	return http_valid_text(s, len) && memchr(s, '\t', len) == NULL &&
	    memchr(s, '\r', len) == NULL && memchr(s, '\n', len) == NULL;
}

static int
equals(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && strncasecmp(s, lit, len) == 0;
}

/*
 * The next "; name=value" of a parameter list at s[*off..len), RFC 9110
 * 5.6.6: OWS around ';', empty parameters allowed, none around '=', the
 * value a token or a quoted-string.  Returns 1 with *p set, 0 at the end,
 * -1 on bad syntax.
 */
static int
next_param(const char *s, size_t len, size_t *off, struct param *p)
{
	size_t i = *off, start;

	for (;;) {
		i = skip_ows(s, len, i);
		if (i == len)
			return 0;
		if (s[i] != ';')
			return -1;
		i = skip_ows(s, len, i + 1);
		if (i == len || s[i] != ';')
			break;
	}
	if (i == len) {
		*off = i;
		return 0;
	}
	start = i;
	i = skip_token(s, len, i);
	if (i == start || i == len || s[i] != '=')
		return -1;
	p->name = s + start;
	p->namelen = i - start;
	start = ++i;
	if (i < len && s[i] == '"') {
		for (i++; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\' && ++i == len)
				return -1;
			if (!is_qchar((unsigned char)s[i]))
				return -1;
		}
		if (i == len)
			return -1;
		i++;
	} else {
		i = skip_token(s, len, i);
		if (i == start)
			return -1;
	}
	p->value = s + start;
	p->valuelen = i - start;
	*off = i;
	return 1;
}

/* The value of p, unquoted and unescaped, as a NUL-terminated arena copy. */
static char *
param_value(struct arena *a, const struct param *p, size_t *outlen)
{
	char *d;
	size_t i, n;

	if (p->value[0] != '"') {
		*outlen = p->valuelen;
		return arena_strndup(a, p->value, p->valuelen);
	}
	/* next_param() checked the syntax: quotes at both ends. */
	if ((d = arena_alloc(a, p->valuelen - 1)) == NULL)
		return NULL;
	for (i = 1, n = 0; i < p->valuelen - 1; i++) {
		if (p->value[i] == '\\')
			i++;
		d[n++] = p->value[i];
	}
	d[n] = '\0';
	*outlen = n;
	return d;
}

/*
 * "type/subtype" at s[*off..len), both tokens; *off ends after it.  Returns
 * the length of the media type, or 0 if there is none.
 */
static size_t
media_type(const char *s, size_t len, size_t *off)
{
	size_t i, start;

	start = i = skip_ows(s, len, *off);
	if ((i = skip_token(s, len, i)) == start || i == len || s[i] != '/')
		return 0;
	if (skip_token(s, len, i + 1) == i + 1)
		return 0;
	i = skip_token(s, len, i + 1);
	*off = i;
	return i - start;
}

int
multipart_is_form_data(const char *ct)
{
	size_t off = 0, len, n;

	if (ct == NULL)
		return 0;
	len = strcspn(ct, ";");
	n = media_type(ct, len, &off);
	return n > 0 && skip_ows(ct, len, off) == len &&
	    equals(ct + off - n, n, MEDIA_TYPE);
}

/* The delimiter "\r\n--" boundary, from the request's content type. */
static enum http_err
delimiter(struct ctx *c, const char *ct, struct walk *w)
{
	struct param p;
	size_t len, off = 0, n, blen = 0, i;
	char *b = NULL, *d;
	int r;

	if (ct == NULL)
		goto notform;
	len = strlen(ct);
	n = media_type(ct, len, &off);
	if (n == 0 || !equals(ct + off - n, n, MEDIA_TYPE))
		goto notform;
	while ((r = next_param(ct, len, &off, &p)) == 1) {
		if (!equals(p.name, p.namelen, "boundary"))
			continue;
		if (b != NULL) {
			c->why = "multipart body: boundary parameter given twice";
			return HTTP_EBAD;
		}
		if ((b = param_value(c->a, &p, &blen)) == NULL)
			goto nomem;
	}
	if (r == -1) {
		c->why = "multipart body: bad content type parameters";
		return HTTP_EBAD;
	}
	if (b == NULL) {
		c->why = "multipart body: no boundary parameter";
		return HTTP_EBAD;
	}
	if (blen == 0 || blen > BOUNDARY_MAX || b[blen - 1] == ' ')
		goto badboundary;
	for (i = 0; i < blen; i++)
		if (!is_bchar((unsigned char)b[i]))
			goto badboundary;
	if ((d = arena_alloc(c->a, blen + 5)) == NULL)
		goto nomem;
	memcpy(d, "\r\n--", 4);
	memcpy(d + 4, b, blen);
	w->delim = d;
	w->dlen = blen + 4;
	return HTTP_OK;
notform:
	c->why = "multipart body: content type is not multipart/form-data";
	return HTTP_EBAD;
badboundary:
	c->why = "multipart body: boundary is not 1 to 70 allowed characters";
	return HTTP_EBAD;
nomem:
	c->why = "out of memory";
	return HTTP_ENOMEM;
}

/*
 * Offset of the next delimiter at or after from, or NOT_FOUND.  The
 * delimiter has its only '\r' in front, so candidate matches never overlap
 * and the search stays linear in the body's length.
 */
static size_t
find_delim(const struct walk *w, size_t from)
{
	const char *p;
	size_t i = from;

	while (i <= w->len && w->len - i >= w->dlen) {
		p = memchr(w->s + i, '\r', w->len - i - w->dlen + 1);
		if (p == NULL)
			break;
		i = (size_t)(p - w->s);
		if (memcmp(p, w->delim, w->dlen) == 0)
			return i;
		i++;
	}
	return NOT_FOUND;
}

/*
 * What follows a delimiter ending at q: "--" closes the body (then only
 * padding, and CRLF before any epilogue); padding and CRLF open a part.
 */
static int
after_delim(struct ctx *c, struct walk *w, size_t q)
{
	const char *s = w->s;
	size_t len = w->len;

	if (len - q >= 2 && s[q] == '-' && s[q + 1] == '-') {
		q = skip_ows(s, len, q + 2);
		if (q == len || (len - q >= 2 && s[q] == '\r' &&
		    s[q + 1] == '\n')) {
			w->closed = 1;
			return 0;
		}
	} else {
		q = skip_ows(s, len, q);
		if (len - q >= 2 && s[q] == '\r' && s[q + 1] == '\n') {
			w->pos = q + 2;
			return 0;
		}
		if (q == len) {
			c->why = "multipart body: no closing delimiter";
			return -1;
		}
	}
	c->why = "multipart body: delimiter followed by other than CRLF";
	return -1;
}

/* The first delimiter: at the very start (without CRLF) or after a preamble. */
static int
walk_start(struct ctx *c, struct walk *w)
{
	size_t d;

	w->pos = 0;
	w->closed = 0;
	if (w->len >= w->dlen - 2 &&
	    memcmp(w->s, w->delim + 2, w->dlen - 2) == 0)
		return after_delim(c, w, w->dlen - 2);
	if ((d = find_delim(w, 0)) == NOT_FOUND) {
		c->why = "multipart body: no delimiter";
		return -1;
	}
	return after_delim(c, w, d + w->dlen);
}

/* The next part as [*start, *end): 1, or 0 after the last, or -1. */
static int
walk_next(struct ctx *c, struct walk *w, size_t *start, size_t *end)
{
	size_t d;

	if (w->closed)
		return 0;
	if ((d = find_delim(w, w->pos)) == NOT_FOUND) {
		c->why = "multipart body: no closing delimiter";
		return -1;
	}
	*start = w->pos;
	*end = d;
	return after_delim(c, w, d + w->dlen) == -1 ? -1 : 1;
}

/* Content-Disposition: form-data; name="..."[; filename="..."] */
static enum http_err
disposition(struct ctx *c, const char *v, size_t len, struct part *pt)
{
	struct param p;
	size_t off;
	int r;

	off = skip_token(v, len, 0);
	if (!equals(v, off, "form-data")) {
		c->why = "multipart body: part disposition is not form-data";
		return HTTP_EBAD;
	}
	while ((r = next_param(v, len, &off, &p)) == 1) {
		if (equals(p.name, p.namelen, "name")) {
			if (pt->name != NULL)
				goto twice;
			if ((pt->name = param_value(c->a, &p,
			    &pt->namelen)) == NULL)
				goto nomem;
		} else if (equals(p.name, p.namelen, "filename")) {
			if (pt->filename != NULL)
				goto twice;
			if ((pt->filename = param_value(c->a, &p,
			    &pt->filenamelen)) == NULL)
				goto nomem;
		}
	}
	if (r == -1) {
		c->why = "multipart body: bad Content-Disposition parameters";
		return HTTP_EBAD;
	}
	if (pt->name == NULL) {
		c->why = "multipart body: part without a name";
		return HTTP_EBAD;
	}
	return HTTP_OK;
twice:
	c->why = "multipart body: Content-Disposition parameter given twice";
	return HTTP_EBAD;
nomem:
	c->why = "out of memory";
	return HTTP_ENOMEM;
}

/* Content-Type: type/subtype[; parameters], kept lowercased without them. */
static enum http_err
content_type(struct ctx *c, const char *v, size_t len, struct part *pt)
{
	struct param p;
	size_t off = 0, n, i;
	int r;

	if ((n = media_type(v, len, &off)) == 0)
		goto bad;
	while ((r = next_param(v, len, &off, &p)) == 1)
		continue;
	if (r == -1)
		goto bad;
	if ((pt->type = arena_strndup(c->a, v, n)) == NULL) {
		c->why = "out of memory";
		return HTTP_ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (pt->type[i] >= 'A' && pt->type[i] <= 'Z')
			pt->type[i] = (char)(pt->type[i] - 'A' + 'a');
	return HTTP_OK;
bad:
	c->why = "multipart body: bad part Content-Type";
	return HTTP_EBAD;
}

/* One header line s[0..len), without its CRLF. */
static enum http_err
header(struct ctx *c, const char *s, size_t len, struct part *pt)
{
	const char *v;
	size_t n, vlen;

	if (s[0] == ' ' || s[0] == '\t') {
		c->why = "multipart body: folded part header line";
		return HTTP_EBAD;
	}
	if (!http_valid_text(s, len) || memchr(s, '\n', len) != NULL) {
		c->why = "multipart body: part header is not valid UTF-8 or "
		    "has a control character";
		return HTTP_EBAD;
	}
	n = skip_token(s, len, 0);
	if (n == 0 || n == len || s[n] != ':') {
		c->why = "multipart body: malformed part header line";
		return HTTP_EBAD;
	}
	/* Trailing OWS too: each parser then sees exactly the value. */
	v = s + skip_ows(s, len, n + 1);
	vlen = (size_t)(s + len - v);
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;

	if (equals(s, n, "Content-Disposition")) {
		if (pt->have_disp)
			goto twice;
		pt->have_disp = 1;
		return disposition(c, v, vlen, pt);
	}
	if (equals(s, n, "Content-Type")) {
		if (pt->have_type)
			goto twice;
		pt->have_type = 1;
		return content_type(c, v, vlen, pt);
	}
	if (equals(s, n, "Content-Transfer-Encoding")) {
		/* RFC 7578 4.7: deprecated, and we decode none. */
		if (pt->have_cte)
			goto twice;
		pt->have_cte = 1;
		if (!equals(v, vlen, "binary") && !equals(v, vlen, "8bit") &&
		    !equals(v, vlen, "7bit")) {
			c->why = "multipart body: part has a "
			    "Content-Transfer-Encoding";
			return HTTP_EBAD;
		}
	}
	return HTTP_OK;
twice:
	c->why = "multipart body: part header given twice";
	return HTTP_EBAD;
}

/*
 * The header lines of the part s[start..end); *content is where its content
 * begins.  A part may end right after its last header line (RFC 2046 lets
 * the blank line go with an empty content).  Scans at most max_header_bytes
 * plus the blank line, however long the part.
 */
static enum http_err
headers(struct ctx *c, const char *s, size_t start, size_t end,
    struct part *pt, size_t *content)
{
	const char *p;
	size_t i = start, used = 0, room, win, e;
	enum http_err rc;

	for (;;) {
		if (i == end) {
			*content = end;
			return HTTP_OK;
		}
		/*
		 * Look for the CR only where it may be: a line with its CRLF
		 * must fit in room, so its CR lies in the first room - 1
		 * bytes; the blank line's CR (at i) is always allowed.
		 */
		room = c->lim->max_header_bytes - used;
		win = room < 2 ? 1 : room - 1;
		if (win > end - i)
			win = end - i;
		if ((p = memchr(s + i, '\r', win)) == NULL) {
			if (win == end - i) {
				c->why = "multipart body: part headers not "
				    "ended by an empty line";
				return HTTP_EBAD;
			}
			goto toolong;
		}
		e = (size_t)(p - s);
		if (e + 1 == end || s[e + 1] != '\n') {
			c->why = "multipart body: part header line not ended "
			    "by CRLF";
			return HTTP_EBAD;
		}
		if (e == i) {
			*content = e + 2;
			return HTTP_OK;
		}
		used += e - i + 2;	/* <= max_header_bytes, by the window */
		if ((rc = header(c, s + i, e - i, pt)) != HTTP_OK)
			return rc;
		i = e + 2;
	}
toolong:
	c->why = "multipart body: part headers too long";
	return HTTP_ETOOBIG;
}

/* Checks and shortens the filename to its last path component. */
static enum http_err
filename(struct ctx *c, struct part *pt)
{
	char *f = pt->filename;
	size_t i, len = pt->filenamelen;

	for (i = len; i > 0; i--)
		if (f[i - 1] == '/' || f[i - 1] == '\\')
			break;
	f += i;
	len -= i;
	if (len == 0) {
		c->why = "multipart body: empty file name";
		return HTTP_EBAD;
	}
	if (len > c->lim->max_filename) {
		c->why = "multipart body: file name too long";
		return HTTP_ETOOBIG;
	}
	if (!plain_text(f, len) || strcmp(f, ".") == 0 ||
	    strcmp(f, "..") == 0) {
		c->why = "multipart body: file name is not valid UTF-8, has "
		    "a control character or is a dot name";
		return HTTP_EBAD;
	}
	pt->filename = f;
	pt->filenamelen = len;
	return HTTP_OK;
}

static enum http_err
part(struct ctx *c, const char *s, size_t start, size_t end,
    struct http_field *fields, size_t *nfields,
    struct multipart_file *files, size_t *nfiles)
{
	struct part pt;
	struct http_field *fd;
	struct multipart_file *fl;
	size_t content, len;
	enum http_err rc;

	memset(&pt, 0, sizeof(pt));
	if ((rc = headers(c, s, start, end, &pt, &content)) != HTTP_OK)
		return rc;
	if (!pt.have_disp) {
		c->why = "multipart body: part without Content-Disposition";
		return HTTP_EBAD;
	}
	if (pt.namelen == 0) {
		c->why = "multipart body: part without a name";
		return HTTP_EBAD;
	}
	if (pt.namelen > c->lim->max_name) {
		c->why = "multipart body: field name too long";
		return HTTP_ETOOBIG;
	}
	if (!plain_text(pt.name, pt.namelen)) {
		c->why = "multipart body: field name is not valid UTF-8 or "
		    "has a control character";
		return HTTP_EBAD;
	}
	len = end - content;

	if (pt.filename == NULL) {
		if (len > c->lim->max_field_value) {
			c->why = "multipart body: field value too long";
			return HTTP_ETOOBIG;
		}
		if (!http_valid_text(s + content, len)) {
			c->why = "multipart body: field value is not valid "
			    "UTF-8 or has a control character";
			return HTTP_EBAD;
		}
		fd = &fields[(*nfields)++];
		fd->name = pt.name;
		fd->valuelen = len;
		if ((fd->value = arena_strndup(c->a, s + content, len)) ==
		    NULL) {
			c->why = "out of memory";
			return HTTP_ENOMEM;
		}
		return HTTP_OK;
	}

	/* What a browser sends for a file input left empty. */
	if (pt.filenamelen == 0 && len == 0)
		return HTTP_OK;
	if ((rc = filename(c, &pt)) != HTTP_OK)
		return rc;
	fl = &files[*nfiles];
	fl->field = pt.name;
	fl->filename = pt.filename;
	fl->content_type = pt.type != NULL ? pt.type : DEFAULT_TYPE;
	fl->len = len;
	if (len > c->lim->max_file) {
		fl->too_big = 1;
		(*nfiles)++;
		return HTTP_OK;
	}
	/* c->total never exceeds the limit, so this cannot wrap. */
	if (len > c->lim->max_total_files - c->total) {
		c->why = "multipart body: files too big together";
		return HTTP_ETOOBIG;
	}
	c->total += len;
	fl->data = (const unsigned char *)s + content;
	(*nfiles)++;
	return HTTP_OK;
}

enum http_err
multipart_parse(struct arena *a, const char *content_type,
    const char *body, size_t len, const struct multipart_limits *lim,
    struct http_field **fields, size_t *nfields,
    struct multipart_file **files, size_t *nfiles, const char **errmsg)
{
	struct ctx c;
	struct walk w;
	struct http_field *fd = NULL;
	struct multipart_file *fl = NULL;
	size_t n, nfd = 0, nfl = 0, start, end;
	enum http_err rc;
	int r;

	*fields = NULL;
	*nfields = 0;
	*files = NULL;
	*nfiles = 0;
	memset(&c, 0, sizeof(c));
	memset(&w, 0, sizeof(w));
	c.a = a;
	c.lim = lim != NULL ? lim : &multipart_default_limits;
	if (body == NULL && len > 0) {
		c.why = "multipart body: no body";
		rc = HTTP_EBAD;
		goto out;
	}
	w.s = body;
	w.len = len;
	if ((rc = delimiter(&c, content_type, &w)) != HTTP_OK)
		goto out;

	/* First walk: framing and the number of parts. */
	rc = HTTP_EBAD;
	if (walk_start(&c, &w) == -1)
		goto out;
	for (n = 0; (r = walk_next(&c, &w, &start, &end)) == 1; n++)
		if (n == c.lim->max_parts) {
			c.why = "multipart body: too many parts";
			rc = HTTP_ETOOBIG;
			goto out;
		}
	if (r == -1)
		goto out;
	if (n > 0 && ((fd = arena_calloc(a, n, sizeof(*fd))) == NULL ||
	    (fl = arena_calloc(a, n, sizeof(*fl))) == NULL)) {
		c.why = "out of memory";
		rc = HTTP_ENOMEM;
		goto out;
	}

	/* Second walk: the framing is known good, now the parts. */
	(void)walk_start(&c, &w);
	while (walk_next(&c, &w, &start, &end) == 1)
		if ((rc = part(&c, body, start, end, fd, &nfd, fl, &nfl)) !=
		    HTTP_OK)
			goto out;
	*fields = fd;
	*nfields = nfd;
	*files = fl;
	*nfiles = nfl;
	rc = HTTP_OK;
out:
	if (rc != HTTP_OK && errmsg != NULL)
		*errmsg = c.why;
	return rc;
}
