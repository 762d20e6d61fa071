/* httplex.c — see httplex.h. */
#include "httplex.h"

#include <stdint.h>
#include <string.h>

/*
 * 1 if s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) without control characters.  C1
 * controls (U+0080..U+009F) count as control characters too: no keyboard
 * produces them and some terminals and log viewers still obey them.  Only the
 * controls named in allow pass.
 */
int
http_text_ok(const char *s, size_t len, int allow)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	uint32_t cp;
	size_t i, n;
	unsigned char c;

	while (p < end) {
		c = *p;
		if (c < 0x80) {
			if (c == '\t') {
				if (!(allow & HTTP_CTL_TAB))
					return 0;
			} else if (c == '\r' || c == '\n') {
				if (!(allow & HTTP_CTL_CRLF))
					return 0;
			} else if (c < 0x20 || c == 0x7f)
				return 0;
			p++;
			continue;
		}
		/* 0x80..0xc1 cannot lead: continuations and overlong 2-byte forms. */
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		if ((size_t)(end - p) <= n)
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000))
			return 0;
		if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		if (cp <= 0x9f)
			return 0;
		p += n + 1;
	}
	return 1;
}

int
http_valid_text(const char *s, size_t len)
{
	if (s == NULL)
		return len == 0;
	return http_text_ok(s, len, HTTP_CTL_TAB | HTTP_CTL_CRLF);
}

/* RFC 9110 tchar. */
int
http_is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}
