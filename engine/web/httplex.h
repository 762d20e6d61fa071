/*
 * httplex.h — the lexical ground that the HTTP request parser (http.c) and
 * the multipart body parser (multipart.c) share: their error codes, a parsed
 * field, and the character rules for untrusted text and tokens.  Below both,
 * so neither borrows from the other.
 */
#ifndef IMIFLOW_HTTPLEX_H
#define IMIFLOW_HTTPLEX_H

#include <stddef.h>

enum http_err {
	HTTP_OK = 0,
	HTTP_EBAD,        /* malformed: 400 */
	HTTP_ETOOBIG,     /* a limit other than max_body was exceeded: 400 */
	HTTP_EBODY,       /* body or CONTENT_LENGTH over max_body: 413 */
	HTTP_ENOMEM       /* 500 */
};

struct http_field {
	const char *name;     /* NUL-terminated, decoded */
	const char *value;    /* NUL-terminated, decoded; never NULL */
	size_t valuelen;
};

/* Control characters http_text_ok() may let through. */
#define HTTP_CTL_TAB	0x01
#define HTTP_CTL_CRLF	0x02

/*
 * 1 if s[0..len) is well-formed UTF-8 without control characters (C1 ones
 * included) but those named in allow (HTTP_CTL_*).
 */
int http_text_ok(const char *s, size_t len, int allow);

/* 1 if c may appear in an HTTP token (RFC 9110 tchar): method names, cookie and parameter names. */
int http_is_tchar(unsigned char c);

/* 1 if s[0..len) is valid UTF-8 with no control characters other than tab, CR, LF. */
int http_valid_text(const char *s, size_t len);

#endif
