/*
 * test_acceptlang.c — the browser's language among ours: the weights and
 * order of Accept-Language, and what a hostile or broken header gets (the
 * ranges it spells right, or nothing; never a crash or a long scan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "acceptlang.h"

static const char *const ours[] = { "en", "da", "nl", "ro", NULL };

static void
best_is(const char *hdr, const char *want)
{
	const char *got = acceptlang_best(hdr, ours);

	if (want == NULL) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static void
test_order_and_weights(void **state)
{
	(void)state;
	best_is("da-DK,da;q=0.9,en;q=0.5", "da");
	best_is("nl;q=0.2, ro;q=0.8", "ro");
	best_is("nl", "nl");
	best_is("en-GB,en-US;q=0.9,en;q=0.8", "en");
	best_is("fr-FR,fr;q=0.9,nl;q=0.3,en;q=0.2", "nl");
	/* Equal weights: the first named. */
	best_is("ro, da", "ro");
	best_is("da;q=0.5, ro;q=0.5", "da");
	/* A language's weight is its heaviest range. */
	best_is("da-DK;q=0.1, nl;q=0.5, da;q=0.9", "da");
	best_is("q-test, nl;q=1.000", "nl");
}

static void
test_case_and_spacing(void **state)
{
	(void)state;
	best_is("DA-dk", "da");
	best_is("  RO ;  Q=0.7 ,\tnl;q=0.6 ", "ro");
	best_is("nl;q=1., ro;q=0.", "nl");
}

static void
test_star_and_refusals(void **state)
{
	(void)state;
	best_is("*", "en");
	best_is("fr, *;q=0.1", "en");
	best_is("*;q=0.5, ro;q=0.6", "ro");
	best_is("en;q=0, *;q=0.5", "da");
	best_is("da;q=0", NULL);
	best_is("en;q=0, da;q=0, nl;q=0, ro;q=0, *", NULL);
	best_is("*;q=0", NULL);
}

static void
test_unknown_and_empty(void **state)
{
	(void)state;
	best_is(NULL, NULL);
	best_is("", NULL);
	best_is(",,, ,", NULL);
	best_is("fr-FR, de;q=0.8, sv", NULL);
	/* A prefix is no match: "dan" is not "da", "e" is not "en". */
	best_is("dan, e", NULL);
	assert_null(acceptlang_best("da", NULL));
}

static void
test_malformed_ranges_are_skipped(void **state)
{
	(void)state;
	/* Each bad element is skipped, the good ones still count. */
	best_is("da;q=2, ro;q=0.3", "ro");
	best_is("da;q=1.5, nl;q=0.2", "nl");
	best_is("da;q=0.1234, nl;q=0.2", "nl");
	best_is("da;q=.5, nl;q=0.2", "nl");
	best_is("da;q=-1, nl;q=0.2", "nl");
	best_is("da;level=1, nl;q=0.2", "nl");
	best_is("da;q, nl;q=0.2", "nl");
	best_is("da;q=0.5x, nl;q=0.2", "nl");
	best_is("da dk, nl;q=0.2", "nl");
	best_is("abcdefghi, nl;q=0.2", "nl");       /* a subtag of 9 letters */
	best_is("da-abcdefghi, nl;q=0.2", "nl");
	best_is("da-, nl;q=0.2", "nl");
	best_is("1da, nl;q=0.2", "nl");
	best_is("da\xc3\xa6, nl;q=0.2", "nl");
	best_is(";q=1, ro;q=0.1", "ro");
	best_is("da-DK-x-private1, nl;q=0.2", "da");
}

static void
test_limits(void **state)
{
	char hdr[ACCEPTLANG_MAX_BYTES * 2];
	size_t n = 0;

	(void)state;
	/* A language after ACCEPTLANG_MAX_RANGES ranges is not read. */
	for (int i = 0; i < ACCEPTLANG_MAX_RANGES; i++)
		n += (size_t)snprintf(hdr + n, sizeof(hdr) - n, "fr;q=0.9, ");
	snprintf(hdr + n, sizeof(hdr) - n, "da");
	best_is(hdr, NULL);
	/* Nor one beyond ACCEPTLANG_MAX_BYTES bytes, however few the ranges. */
	memset(hdr, ' ', sizeof(hdr));
	memcpy(hdr + ACCEPTLANG_MAX_BYTES, "da", 3);
	best_is(hdr, NULL);
	memcpy(hdr + ACCEPTLANG_MAX_BYTES - 3, "da", 3);
	best_is(hdr, "da");
	/* A range cut by the byte limit is dropped, not read as a shorter one. */
	memset(hdr, ' ', sizeof(hdr));
	memcpy(hdr + ACCEPTLANG_MAX_BYTES - 2, "ro-RO", 6);
	best_is(hdr, NULL);
	memcpy(hdr, "nl;q=0.1,", 9);
	memcpy(hdr + ACCEPTLANG_MAX_BYTES - 7, "ro;q=0.55", 10);
	best_is(hdr, "nl");
}

#define T(f) cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_order_and_weights),
		T(test_case_and_spacing),
		T(test_star_and_refusals),
		T(test_unknown_and_empty),
		T(test_malformed_ranges_are_skipped),
		T(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
