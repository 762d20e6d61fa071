/*
 * fuzz_acceptlang.c — libFuzzer target for the Accept-Language reader
 * (engine/web/acceptlang.c).
 *
 * Input: byte 0 chooses the offered languages, the rest is the header (a C
 * string: a NUL byte cuts it, in a buffer of exactly its size).  Checks what
 * acceptlang.h promises: the answer is NULL or one of the offered, NULL for an
 * empty header, the same when asked twice; a header that names no offered
 * language and has no "*" chooses none; ranges after the first
 * ACCEPTLANG_MAX_BYTES bytes are not read.
 */
#include <string.h>
#include <strings.h>

#include "acceptlang.h"
#include "fuzz.h"

static const char *const four[] = { "en", "da", "nl", "ro", NULL };
static const char *const one[] = { "en", NULL };
static const char *const none[] = { NULL };
static const char *const *const offers[] = { four, one, none, four };

static int
offered(const char *const *o, const char *l)
{
	for (; *o != NULL; o++)
		if (*o == l)
			return 1;
	return 0;
}

/* Could the header name one of o at all: a primary tag of it, or "*", anywhere? */
static int
mentions(const char *h, const char *const *o)
{
	const char *const *l;

	if (strchr(h, '*') != NULL)
		return 1;
	for (l = o; *l != NULL; l++)
		for (const char *p = h; *p != '\0'; p++)
			if (strncasecmp(p, *l, strlen(*l)) == 0)
				return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *o;
	const char *best, *again;
	char *h;

	if (size == 0)
		return 0;
	o = offers[data[0] & 3];
	if ((h = malloc(size)) == NULL)
		return 0;
	memcpy(h, data + 1, size - 1);
	h[size - 1] = '\0';

	best = acceptlang_best(h, o);
	CHECK(best == NULL || offered(o, best));
	CHECK(h[0] != '\0' || best == NULL);
	CHECK(o != none || best == NULL);
	if (!mentions(h, o))
		CHECK(best == NULL);
	again = acceptlang_best(h, o);
	CHECK(again == best);
	/* Only the first ACCEPTLANG_MAX_BYTES bytes are read (up to a ','). */
	if (strlen(h) > ACCEPTLANG_MAX_BYTES) {
		char *cut = strndup(h, ACCEPTLANG_MAX_BYTES);
		if (cut != NULL) {
			char *comma = strrchr(cut, ',');
			if (comma != NULL) {
				*comma = '\0';
				CHECK(acceptlang_best(cut, o) == best);
			} else
				CHECK(best == NULL);
			free(cut);
		}
	}
	CHECK(acceptlang_best(NULL, o) == NULL);
	free(h);
	return 0;
}
