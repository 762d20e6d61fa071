/* response.c — see response.h. */
#include "response.h"

#include <stdio.h>
#include <string.h>

void
resp_init(struct http_resp *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	buf_init(&r->headers);
	buf_init(&r->body);
}

void
resp_release(struct http_resp *r)
{
	buf_release(&r->headers);
	buf_release(&r->body);
}

void
resp_reset(struct http_resp *r)
{
	resp_release(r);
	resp_init(r);
}

static int
header_safe(const char *s, int is_name)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n' || (unsigned char)*s < 0x20)
			return 0;
		if (is_name && (*s == ':' || *s == ' '))
			return 0;
	}
	return 1;
}

int
resp_header(struct http_resp *r, const char *name, const char *value)
{
	if (!header_safe(name, 1) || !header_safe(value, 0))
		return -1;
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
	return buf_ok(&r->headers) ? 0 : -1;
}

int
resp_redirect(struct http_resp *r, const char *location)
{
	/* Only local paths: a redirect target never comes from elsewhere. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		return -1;
	r->status = 303;
	return resp_header(r, "Location", location);
}

static int
cookie_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == ';' || *s == ',' || *s == '"' ||
		    *s == '\\' || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

int
resp_cookie(struct http_resp *r, const char *name, const char *value, const struct cookie_opts *o)
{
	char line[512];
	int n;

	if (!cookie_safe(name) || !cookie_safe(value))
		return -1;
	n = snprintf(line, sizeof(line), "%s=%s; Path=/%s%s; SameSite=%s", name, value,
	    o->http_only ? "; HttpOnly" : "", o->secure ? "; Secure" : "",
	    o->same_site != NULL ? o->same_site : "Lax");
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	if (o->max_age >= 0) {
		size_t len = (size_t)n;
		n = snprintf(line + len, sizeof(line) - len, "; Max-Age=%d", o->max_age);
		if (n < 0 || (size_t)n >= sizeof(line) - len)
			return -1;
	}
	return resp_header(r, "Set-Cookie", line);
}

const char *
resp_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}
