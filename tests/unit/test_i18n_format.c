/*
 * test_i18n_format.c — dates, numbers and plural forms as each of our
 * languages writes them (issue 16), with the real catalogues of xslt/i18n
 * ($IMIFLOW_DATADIR, as make check sets it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "i18n_format.h"

static int
setup(void **state)
{
	const char *top = getenv("IMIFLOW_DATADIR");
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/xslt/i18n", top ? top : ".");
	return i18n_load(dir);
}

static int
teardown(void **state)
{
	(void)state;
	i18n_free();
	return 0;
}

static void
date_is(const char *lang, const char *in, const char *want)
{
	struct buf out;

	buf_init(&out);
	if (want == NULL) {
		assert_int_equal(i18n_format_date(lang, in, &out), -1);
		assert_true(out.data == NULL || out.data[0] == '\0');
	} else {
		assert_int_equal(i18n_format_date(lang, in, &out), 0);
		assert_string_equal(out.data, want);
	}
	buf_release(&out);
}

static void
test_dates(void **state)
{
	(void)state;
	date_is("da", "2026-12-07", "7. december 2026");
	date_is("nl", "2026-12-07", "7 december 2026");
	date_is("ro", "2026-12-07", "7 decembrie 2026");
	date_is("en", "2026-12-07", "7 December 2026");
	date_is("ro", "2027-01-31", "31 ianuarie 2027");
	/* Times in 24 hours, seconds and zone dropped (PostgreSQL's timestamptz text). */
	date_is("da", "2026-12-07 14:05", "7. december 2026 kl. 14:05");
	date_is("nl", "2026-03-01 09:30:02.133408+00", "1 maart 2026 om 09:30");
	date_is("en", "2026-05-02T23:59", "2 May 2026, 23:59");
	/* Not a date: left to the caller, nothing written. */
	date_is("en", "", NULL);
	date_is("en", "7.12.2026", NULL);
	date_is("en", "2026-13-01", NULL);
	date_is("en", "2026-12-07x", NULL);
	date_is("en", "2026-12-07 25:00", NULL);
}

static void
test_plural_rules(void **state)
{
	static const long long ro_few[] = { 0, 2, 19, 101, 119 }, ro_other[] = { 20, 100, 120, 1000 };

	(void)state;
	for (const char *const *l = (const char *const[]){ "en", "da", "nl", NULL }; *l; l++) {
		assert_string_equal(i18n_plural_category(*l, 1), "one");
		assert_string_equal(i18n_plural_category(*l, 0), "other");
		assert_string_equal(i18n_plural_category(*l, 2), "other");
		assert_string_equal(i18n_plural_category(*l, 21), "other");
	}
	assert_string_equal(i18n_plural_category("ro", 1), "one");
	for (size_t i = 0; i < sizeof(ro_few) / sizeof(ro_few[0]); i++)
		assert_string_equal(i18n_plural_category("ro", ro_few[i]), "few");
	for (size_t i = 0; i < sizeof(ro_other) / sizeof(ro_other[0]); i++)
		assert_string_equal(i18n_plural_category("ro", ro_other[i]), "other");
}

static void
number_is(const char *lang, double x, int decimals, const char *want)
{
	struct buf out;

	buf_init(&out);
	i18n_format_number(lang, x, decimals, &out);
	assert_string_equal(out.data, want);
	buf_release(&out);
}

static void
test_numbers(void **state)
{
	(void)state;
	number_is("en", 33.333, 1, "33.3");
	number_is("da", 33.333, 1, "33,3");
	number_is("nl", 100, 1, "100,0");
	number_is("ro", 1234, 0, "1234");
	number_is("ro", 12345, 0, "12.345");
	number_is("en", 1234567.5, 1, "1,234,567.5");
	number_is("da", -12345, 0, "-12.345");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_plural_rules),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
