/*
 * textcheck.c — see textcheck.h.
 *
 * One walk over the code points decides every character rule, so a field is
 * refused for the first thing wrong in it, and each form says the same thing
 * about the same text.  The walk refuses what http.c refuses too (bad UTF-8,
 * C0 and C1 controls but tab, CR, LF), because not every text comes through
 * a request: bootstrap takes its names from the command line.
 */
#include "textcheck.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* What a text may hold besides printable characters. */
enum allow {
	ALLOW_NONE = 0,
	ALLOW_FREE = 1		/* tab, CR, LF and bidi controls: a free text */
};

static int
is_bidi(int32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The character rules, and the length in code points against max (0: none). */
static const char *
walk(const char *s, size_t max, enum allow allow)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n = 0;
	const char *broken = NULL;
	int32_t cp;

	while (i < len) {
		if ((cp = utf8_next(p, len, &i)) < 0)
			return "text";
		n++;
		if (broken != NULL)
			continue;
		if (cp == '\n' || cp == '\r') {
			if (!(allow & ALLOW_FREE))
				broken = "one-line";
		} else if (cp == '\t') {
			if (!(allow & ALLOW_FREE))
				broken = "control";
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			broken = "control";
		} else if (is_bidi(cp) && !(allow & ALLOW_FREE)) {
			broken = "bidi";
		}
	}
	if (broken != NULL)
		return broken;
	return max > 0 && n > max ? "too-long" : NULL;
}

const char *
textcheck_line(const char *s, size_t max)
{
	return walk(s, max, ALLOW_NONE);
}

const char *
textcheck_text(const char *s, size_t max)
{
	return walk(s, max, ALLOW_FREE);
}

const char *
textcheck_filename(const char *s)
{
	const char *rule;

	if ((rule = walk(s, 0, ALLOW_NONE)) != NULL)
		return rule;
	if (strlen(s) > TEXTCHECK_FILENAME_MAX)
		return "too-long";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strpbrk(s, "/\\") != NULL)
		return "filename";
	return NULL;
}

/* RFC 3986 leaves these out of a URI; a browser would escape them, a person types them by mistake. */
#define URL_EXCLUDED " \"<>\\^`{|}"

const char *
textcheck_website(const char *s, size_t max)
{
	const char *rule, *host, *end;
	size_t hostlen;

	if (s[0] == '\0')
		return NULL;
	if ((rule = walk(s, max, ALLOW_NONE)) != NULL)
		return rule;
	if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return "website";
	if (strpbrk(s, URL_EXCLUDED) != NULL)
		return "website";
	end = host + strcspn(host, "/?#");
	hostlen = (size_t)(end - host);
	/*
	 * A host and perhaps a port, nothing else: no "user@" that makes
	 * "https://good.example@evil.example" read as the wrong site.
	 */
	if (hostlen == 0 || host[0] == '.' || host[0] == ':')
		return "website";
	for (const char *h = host; h < end; h++) {
		unsigned char c = (unsigned char)*h;
		if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':' || c == '[' || c == ']'))
			return "website";
	}
	return NULL;
}
