/*
 * test_textcheck.c — the input rules every form applies: one-line fields,
 * free texts, file names and websites, with the rule each breaks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "textcheck.h"
#include "utf8.h"

#define RLO	"\xe2\x80\xae"	/* U+202E RIGHT-TO-LEFT OVERRIDE */
#define LRE	"\xe2\x80\xaa"	/* U+202A, first of the embeddings and overrides */
#define LRI	"\xe2\x81\xa6"	/* U+2066 LEFT-TO-RIGHT ISOLATE */
#define PDI	"\xe2\x81\xa9"	/* U+2069 POP DIRECTIONAL ISOLATE, the last isolate */
#define LRM	"\xe2\x80\x8e"	/* U+200E LEFT-TO-RIGHT MARK: no override, allowed */
#define NEL	"\xc2\x85"	/* U+0085, a C1 control */

static void
rule_is(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static void
test_line_accepts_names(void **state)
{
	(void)state;
	rule_is(textcheck_line("", 10), NULL);
	rule_is(textcheck_line("Mette Larsen", 100), NULL);
	rule_is(textcheck_line("Ministerul Educației", 100), NULL);
	rule_is(textcheck_line("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 100), NULL);  /* Hebrew */
	rule_is(textcheck_line("a" LRM "b", 100), NULL);
	rule_is(textcheck_line("+45 33 92 33 00", 0), NULL);
}

static void
test_line_refuses_a_newline_with_its_own_rule(void **state)
{
	(void)state;
	rule_is(textcheck_line("Jan\nJansen", 100), "one-line");
	rule_is(textcheck_line("Jan\r\nJansen", 100), "one-line");
	rule_is(textcheck_line("Jan\rJansen", 100), "one-line");
	/* Even when it is also too long: the newline is what to fix. */
	rule_is(textcheck_line("aaaa\naaaa", 3), "one-line");
}

static void
test_line_refuses_controls(void **state)
{
	(void)state;
	rule_is(textcheck_line("a\tb", 10), "control");
	rule_is(textcheck_line("a\x01" "b", 10), "control");
	rule_is(textcheck_line("a\x7f" "b", 10), "control");
	rule_is(textcheck_line("a" NEL "b", 10), "control");
}

static void
test_line_refuses_bidi_overrides(void **state)
{
	(void)state;
	rule_is(textcheck_line("Jan " RLO "nesnaJ", 100), "bidi");
	rule_is(textcheck_line(LRE "x", 100), "bidi");
	rule_is(textcheck_line("\xe2\x80\xab" "x", 100), "bidi");	/* U+202B */
	rule_is(textcheck_line("\xe2\x80\xac" "x", 100), "bidi");	/* U+202C */
	rule_is(textcheck_line("\xe2\x80\xad" "x", 100), "bidi");	/* U+202D */
	rule_is(textcheck_line(LRI "x" PDI, 100), "bidi");
	rule_is(textcheck_line("\xe2\x81\xa7" "x", 100), "bidi");	/* U+2067 */
	rule_is(textcheck_line("\xe2\x81\xa8" "x", 100), "bidi");	/* U+2068 */
	/* Their neighbours are ordinary characters. */
	rule_is(textcheck_line("\xe2\x80\xa9", 100), NULL);		/* U+2029 */
	rule_is(textcheck_line("\xe2\x80\xaf", 100), NULL);		/* U+202F */
	rule_is(textcheck_line("\xe2\x81\xa5", 100), NULL);		/* U+2065 */
	rule_is(textcheck_line("\xe2\x81\xaa", 100), NULL);		/* U+206A */
}

static void
test_line_counts_characters_not_bytes(void **state)
{
	(void)state;
	rule_is(textcheck_line("ééé", 3), NULL);
	rule_is(textcheck_line("éééé", 3), "too-long");
	rule_is(textcheck_line("abcd", 0), NULL);
	assert_int_equal(utf8_chars("Educației"), 9);
	assert_int_equal(utf8_chars(""), 0);
}

static void
test_bad_utf8(void **state)
{
	(void)state;
	rule_is(textcheck_line("\xc3", 10), "text");
	rule_is(textcheck_line("\xc0\xaf", 10), "text");		/* overlong '/' */
	rule_is(textcheck_line("\xed\xa0\x80", 10), "text");		/* surrogate */
	rule_is(textcheck_line("\xf4\x90\x80\x80", 10), "text");	/* > U+10FFFF */
	rule_is(textcheck_text("ok\n\xff", 10), "text");
	/* Bad UTF-8 anywhere wins over a rule broken before it. */
	rule_is(textcheck_line("a\nb\xff", 10), "text");
}

static void
test_text_allows_lines_and_tabs(void **state)
{
	(void)state;
	rule_is(textcheck_text("Dear colleague,\r\n\tthe diploma.\n", 100), NULL);
	rule_is(textcheck_text("quoted " RLO "text", 100), NULL);
	rule_is(textcheck_text("a\x01", 100), "control");
	rule_is(textcheck_text("a" NEL, 100), "control");
	rule_is(textcheck_text("abcd", 3), "too-long");
}

static void
test_filename(void **state)
{
	char longname[TEXTCHECK_FILENAME_MAX + 2];

	(void)state;
	rule_is(textcheck_filename("diploma.pdf"), NULL);
	rule_is(textcheck_filename("Diplomă 2001 (copie).pdf"), NULL);
	rule_is(textcheck_filename("invoice" RLO "fdp.exe"), "bidi");
	rule_is(textcheck_filename("a" LRI "b"), "bidi");
	rule_is(textcheck_filename("a\nb.pdf"), "one-line");
	rule_is(textcheck_filename("a\tb.pdf"), "control");
	rule_is(textcheck_filename("."), "filename");
	rule_is(textcheck_filename(".."), "filename");
	rule_is(textcheck_filename("a/b"), "filename");
	rule_is(textcheck_filename("a\\b"), "filename");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	rule_is(textcheck_filename(longname), "too-long");
	longname[TEXTCHECK_FILENAME_MAX] = '\0';
	rule_is(textcheck_filename(longname), NULL);
}

static void
test_website(void **state)
{
	(void)state;
	rule_is(textcheck_website("", 300), NULL);
	rule_is(textcheck_website("https://www.sst.dk", 300), NULL);
	rule_is(textcheck_website("http://example.org/path?q=1#top", 300), NULL);
	rule_is(textcheck_website("HTTPS://EXAMPLE.ORG", 300), NULL);
	rule_is(textcheck_website("https://[2001:db8::1]:8443/", 300), NULL);
	rule_is(textcheck_website("https://bücher.example/", 300), NULL);
	rule_is(textcheck_website("javascript:alert(1)", 300), "website");
	rule_is(textcheck_website("JavaScript://%0aalert(1)", 300), "website");
	rule_is(textcheck_website("data:text/html,x", 300), "website");
	rule_is(textcheck_website("ftp://example.org", 300), "website");
	rule_is(textcheck_website("www.example.org", 300), "website");
	rule_is(textcheck_website("//example.org", 300), "website");
	rule_is(textcheck_website("https://", 300), "website");
	rule_is(textcheck_website("https:///path", 300), "website");
	rule_is(textcheck_website("https://good.example@evil.example/", 300), "website");
	rule_is(textcheck_website("https://exa mple.org", 300), "website");
	rule_is(textcheck_website("https://example.org/<script>", 300), "website");
	rule_is(textcheck_website("https://example.org\n", 300), "one-line");
	rule_is(textcheck_website("https://example.org/" RLO, 300), "bidi");
	rule_is(textcheck_website("https://example.org/abcdef", 20), "too-long");
}

#define T(f) cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_line_accepts_names),
		T(test_line_refuses_a_newline_with_its_own_rule),
		T(test_line_refuses_controls),
		T(test_line_refuses_bidi_overrides),
		T(test_line_counts_characters_not_bytes),
		T(test_bad_utf8),
		T(test_text_allows_lines_and_tabs),
		T(test_filename),
		T(test_website),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
