/*
 * fuzz_textcheck.c — libFuzzer target for the rules on typed text
 * (engine/core/textcheck.c) and typed dates (engine/core/date.c).
 *
 * Input: byte 0 is the limit in characters (0: none), the rest the text (a C
 * string: a NUL byte cuts it).  Each answer is compared with a reference
 * written here from textcheck.h alone, with a UTF-8 decoder of its own
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), and
 * date_valid() with a calendar of its own.
 */
#include <string.h>
#include <strings.h>

#include "date.h"
#include "fuzz.h"
#include "textcheck.h"

/* The next code point of s[0..n), or -1 when the bytes are not UTF-8. */
static long
decode(const unsigned char *s, size_t n, size_t *len)
{
	long cp, min;
	size_t k, i;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] >= 0xc0 && s[0] < 0xe0) {
		k = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		k = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] < 0xf8) {
		k = 4; cp = s[0] & 0x07; min = 0x10000;
	} else
		return -1;
	if (n < k)
		return -1;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = k;
	return cp;
}

/* textcheck.h's rules for a line (free 0) or a free text (free 1). */
static const char *
reference(const char *s, size_t max, int free)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len, chars = 0;
	const char *broken = NULL;
	long cp;

	while (i < n) {
		if ((cp = decode(p + i, n - i, &len)) < 0)
			return "text";
		i += len;
		chars++;
		if (broken != NULL)
			continue;
		if (cp == '\n' || cp == '\r')
			broken = free ? NULL : "one-line";
		else if (cp == '\t')
			broken = free ? NULL : "control";
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			broken = "control";
		else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			broken = free ? NULL : "bidi";
	}
	if (broken != NULL)
		return broken;
	return max > 0 && chars > max ? "too-long" : NULL;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
reference_date(const char *s)
{
	int y, m, d, leap, mdays;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	mdays = m == 2 ? 28 + leap : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
	return d <= mdays;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line, *text, *rule, *host;
	size_t max;
	char *s;

	if (size == 0)
		return 0;
	max = data[0];
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	line = textcheck_line(s, max);
	text = textcheck_text(s, max);
	CHECK(same(line, reference(s, max, 0)));
	CHECK(same(text, reference(s, max, 1)));
	/* A good line is a good free text. */
	CHECK(line != NULL || text == NULL);

	rule = textcheck_filename(s);
	if (rule == NULL) {
		CHECK(textcheck_line(s, 0) == NULL);
		CHECK(strlen(s) <= TEXTCHECK_FILENAME_MAX);
		CHECK(strpbrk(s, "/\\") == NULL);
		CHECK(strcmp(s, ".") != 0 && strcmp(s, "..") != 0);
	} else
		CHECK(strcmp(rule, "filename") == 0 || strcmp(rule, "too-long") == 0 ||
		    same(rule, reference(s, 0, 0)));

	rule = textcheck_website(s, max);
	if (rule == NULL && s[0] != '\0') {
		CHECK(line == NULL);
		CHECK(strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
		CHECK(strpbrk(s, " \"<>\\^`{|}") == NULL);
		host = strstr(s, "://") + 3;
		CHECK(host[0] != '\0' && strchr("/?#.:", host[0]) == NULL);
		/* No "user@" before the host. */
		CHECK(memchr(host, '@', strcspn(host, "/?#")) == NULL);
	} else if (rule != NULL)
		CHECK(strcmp(rule, "website") == 0 || same(rule, line));

	CHECK(date_valid(s) == reference_date(s));
	free(s);
	return 0;
}
