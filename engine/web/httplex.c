/* httplex.c — see httplex.h. */
#include "httplex.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

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
	size_t i = 0;
	int32_t cp;

	while (i < len) {
		if ((cp = utf8_next(p, len, &i)) < 0)
			return 0;
		if (cp == '\t') {
			if (!(allow & HTTP_CTL_TAB))
				return 0;
		} else if (cp == '\r' || cp == '\n') {
			if (!(allow & HTTP_CTL_CRLF))
				return 0;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return 0;
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
