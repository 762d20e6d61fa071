/*
 * test_http.c — the request parser against well-formed, odd and hostile input.
 * Each test owns a fresh arena (setup/teardown), so a failing assertion does
 * not leak into the next test or hide a leak from the sanitizer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"
#include "multipart.h"

/* FastCGI parameters as a NULL-terminated list of name, value pairs. */
static const char *
param_get(const char *name, void *arg)
{
	const char *const *kv = arg;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static int
setup(void **state)
{
	*state = arena_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* Limits small enough to hit with hand-written input. */
static const struct http_limits tiny = {
	.max_body = 64,
	.max_fields = 3,
	.max_name = 4,
	.max_value = 8,
	.max_cookies = 3,
	.max_path = 16,
};

static enum http_err
form(void **state, const char *s, struct http_field **f, size_t *n)
{
	return http_parse_urlencoded(*state, s, strlen(s), NULL, f, n);
}

/* s must parse as one field whose value is want. */
static void
assert_one_value(void **state, const char *s, const char *want,
    size_t wantlen)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, s, &f, &n), HTTP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].valuelen, wantlen);
	assert_memory_equal(f[0].value, want, wantlen + 1);
}

static void
assert_form_bad(void **state, const char *s)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, s, &f, &n), HTTP_EBAD);
}

static char *
repeat(void **state, char c, size_t n)
{
	char *s;

	s = arena_alloc(*state, n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- application/x-www-form-urlencoded ---- */

static void
test_form_two_fields(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, "a=1&bb=22", &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].name, "a");
	assert_string_equal(f[0].value, "1");
	assert_int_equal(f[0].valuelen, 1);
	assert_string_equal(f[1].name, "bb");
	assert_string_equal(f[1].value, "22");
	assert_int_equal(f[1].valuelen, 2);
}

static void
test_form_plus_is_space(void **state)
{
	assert_one_value(state, "q=hello+big+world", "hello big world", 15);
}

static void
test_form_percent_escapes(void **state)
{
	/* %2B and %26 must come out as data, not as space and separator. */
	assert_one_value(state, "q=%41b%2B%26%3D%25", "Ab+&=%", 6);
}

static void
test_form_percent_lowercase_hex(void **state)
{
	assert_one_value(state, "q=%c3%a9t%C3%A9", "\xc3\xa9t\xc3\xa9", 5);
}

static void
test_form_multibyte_utf8(void **state)
{
	/* 2, 3 and 4 byte sequences: e-acute, euro sign, U+1F600. */
	assert_one_value(state, "q=%C3%A9%E2%82%AC%F0%9F%98%80",
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);
}

static void
test_form_raw_utf8(void **state)
{
	assert_one_value(state, "q=caf\xc3\xa9", "caf\xc3\xa9", 5);
}

static void
test_form_encoded_name(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, "%61+b=1", &f, &n), HTTP_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].name, "a b");
}

static void
test_form_empty_value(void **state)
{
	assert_one_value(state, "a=", "", 0);
}

static void
test_form_name_without_equals(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, "flag&b=2", &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].name, "flag");
	assert_non_null(f[0].value);
	assert_string_equal(f[0].value, "");
	assert_int_equal(f[0].valuelen, 0);
	assert_string_equal(http_field_get(f, n, "b"), "2");
}

static void
test_form_value_keeps_later_equals(void **state)
{
	assert_one_value(state, "a=b=c==", "b=c==", 5);
}

static void
test_form_empty_segments_skipped(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, "&&a=1&&&b=2&", &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].name, "a");
	assert_string_equal(f[1].name, "b");
}

static void
test_form_empty_input(void **state)
{
	struct http_field *f = (struct http_field *)1;
	size_t n = 99;

	assert_int_equal(http_parse_urlencoded(*state, "", 0, NULL, &f, &n),
	    HTTP_OK);
	assert_int_equal(n, 0);
	assert_null(http_field_get(f, n, "a"));
}

static void
test_form_only_separators(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, "&&&", &f, &n), HTTP_OK);
	assert_int_equal(n, 0);
}

static void
test_form_empty_name_rejected(void **state)
{
	assert_form_bad(state, "=x");
	assert_form_bad(state, "a=1&=");
}

static void
test_form_first_duplicate_wins(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(form(state, "a=1&a=2", &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(http_field_get(f, n, "a"), "1");
	assert_null(http_field_get(f, n, "A"));
	assert_null(http_field_get(f, n, NULL));
}

static void
test_form_bad_escape_non_hex(void **state)
{
	assert_form_bad(state, "a=%G1");
	assert_form_bad(state, "a=%1G");
	assert_form_bad(state, "%zz=1");
}

static void
test_form_bad_escape_trailing_percent(void **state)
{
	assert_form_bad(state, "a=%");
	assert_form_bad(state, "a%=1");
}

static void
test_form_bad_escape_one_digit(void **state)
{
	assert_form_bad(state, "a=%0");
	assert_form_bad(state, "a=%0&b=1");
}

static void
test_form_bad_escape_double_percent(void **state)
{
	assert_form_bad(state, "a=%%41");
}

static void
test_form_escape_not_at_end_of_length(void **state)
{
	struct http_field *f;
	size_t n;

	/* The parser stops at len: "%4" then NUL is truncated, not "%41". */
	assert_int_equal(http_parse_urlencoded(*state, "a=%41", 4, NULL, &f,
	    &n), HTTP_EBAD);
}

static void
test_form_nul_escape_in_value(void **state)
{
	assert_form_bad(state, "a=x%00y");
}

static void
test_form_nul_escape_in_name(void **state)
{
	assert_form_bad(state, "a%00b=1");
}

static void
test_form_raw_nul_byte(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(http_parse_urlencoded(*state, "a=x\0y", 5, NULL, &f,
	    &n), HTTP_EBAD);
}

static void
test_form_control_chars_in_value(void **state)
{
	assert_form_bad(state, "a=%01");
	assert_form_bad(state, "a=%1B[2J");
	assert_form_bad(state, "a=%7F");
	assert_form_bad(state, "a=%0B");
	assert_form_bad(state, "a=%0C");
}

static void
test_form_c1_controls_rejected(void **state)
{
	assert_form_bad(state, "a=%C2%80");
	assert_form_bad(state, "a=%C2%9B");
	assert_form_bad(state, "a=%C2%9F");
	/* U+00A0 is the first code point after C1 and is fine. */
	assert_one_value(state, "a=%C2%A0", "\xc2\xa0", 2);
}

static void
test_form_tab_cr_lf_allowed_in_value(void **state)
{
	assert_one_value(state, "a=x%09y%0D%0Az", "x\ty\r\nz", 6);
}

static void
test_form_whitespace_controls_rejected_in_name(void **state)
{
	assert_form_bad(state, "a%09b=1");
	assert_form_bad(state, "a%0D=1");
	assert_form_bad(state, "a%0A=1");
}

static void
test_form_overlong_utf8(void **state)
{
	assert_form_bad(state, "a=%C0%AF");              /* '/' in 2 bytes */
	assert_form_bad(state, "a=%C1%BF");
	assert_form_bad(state, "a=%E0%80%AF");           /* '/' in 3 bytes */
	assert_form_bad(state, "a=%E0%9F%BF");           /* U+07FF in 3 */
	assert_form_bad(state, "a=%F0%80%80%AF");        /* '/' in 4 bytes */
	assert_form_bad(state, "a=%F0%8F%BF%BF");        /* U+FFFF in 4 */
	assert_form_bad(state, "a=%C0%80");              /* "modified" NUL */
}

static void
test_form_surrogates(void **state)
{
	assert_form_bad(state, "a=%ED%A0%80");           /* U+D800 */
	assert_form_bad(state, "a=%ED%BF%BF");           /* U+DFFF */
	assert_form_bad(state, "a=%ED%A0%BD%ED%B8%80");  /* CESU-8 pair */
	/* U+D7FF and U+E000 surround the surrogates and are fine. */
	assert_one_value(state, "a=%ED%9F%BF", "\xed\x9f\xbf", 3);
	assert_one_value(state, "a=%EE%80%80", "\xee\x80\x80", 3);
}

static void
test_form_truncated_utf8(void **state)
{
	assert_form_bad(state, "a=%E2%82");
	assert_form_bad(state, "a=%F0%9F%98");
	assert_form_bad(state, "a=%C3");
	assert_form_bad(state, "a=%E2%82x");
	/* A truncated sequence in the middle, not just at the end. */
	assert_form_bad(state, "a=%C3b");
}

static void
test_form_stray_continuation(void **state)
{
	assert_form_bad(state, "a=%80");
	assert_form_bad(state, "a=x%BFy");
}

static void
test_form_beyond_unicode(void **state)
{
	assert_form_bad(state, "a=%F4%90%80%80");        /* U+110000 */
	assert_form_bad(state, "a=%F5%80%80%80");
	assert_form_bad(state, "a=%FE");
	assert_form_bad(state, "a=%FF");
	/* U+10FFFF is the last code point and is fine. */
	assert_one_value(state, "a=%F4%8F%BF%BF", "\xf4\x8f\xbf\xbf", 4);
}

static void
test_form_raw_invalid_utf8(void **state)
{
	assert_form_bad(state, "a=\xff");
	assert_form_bad(state, "\xc3=1");
}

static void
test_form_too_many_fields(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(http_parse_urlencoded(*state, "a&b&c", 5, &tiny, &f,
	    &n), HTTP_OK);
	assert_int_equal(n, 3);
	assert_int_equal(http_parse_urlencoded(*state, "a&b&c&d", 7, &tiny, &f,
	    &n), HTTP_ETOOBIG);
	assert_int_equal(n, 0);
}

static void
test_form_too_many_fields_default(void **state)
{
	struct http_field *f;
	char *s;
	size_t n, i;

	/* 256 "a&" pairs: exactly the default limit; one more is refused. */
	s = repeat(state, 'a', 2 * 257);
	for (i = 1; i < 2 * 257; i += 2)
		s[i] = '&';
	assert_int_equal(http_parse_urlencoded(*state, s, 2 * 256, NULL, &f,
	    &n), HTTP_OK);
	assert_int_equal(n, 256);
	assert_int_equal(http_parse_urlencoded(*state, s, 2 * 257, NULL, &f,
	    &n), HTTP_ETOOBIG);
}

static void
test_form_name_too_long(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(http_parse_urlencoded(*state, "abcd=1", 6, &tiny, &f,
	    &n), HTTP_OK);
	assert_int_equal(http_parse_urlencoded(*state, "abcde=1", 7, &tiny, &f,
	    &n), HTTP_ETOOBIG);
}

static void
test_form_name_limit_counts_decoded_bytes(void **state)
{
	struct http_field *f;
	size_t n;

	/* 12 bytes on the wire, 4 decoded: within max_name = 4. */
	assert_int_equal(http_parse_urlencoded(*state, "%61%62%63%64=1", 14,
	    &tiny, &f, &n), HTTP_OK);
	assert_string_equal(f[0].name, "abcd");
}

static void
test_form_value_too_long(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(http_parse_urlencoded(*state, "a=12345678", 10, &tiny,
	    &f, &n), HTTP_OK);
	assert_int_equal(http_parse_urlencoded(*state, "a=123456789", 11,
	    &tiny, &f, &n), HTTP_ETOOBIG);
}

static void
test_form_value_too_long_default(void **state)
{
	struct http_field *f;
	char *s;
	size_t n;

	s = repeat(state, 'x', 2 + 64 * 1024 + 1);
	s[0] = 'v';
	s[1] = '=';
	assert_int_equal(http_parse_urlencoded(*state, s, 2 + 64 * 1024, NULL,
	    &f, &n), HTTP_OK);
	assert_int_equal(f[0].valuelen, 64 * 1024);
	assert_int_equal(strlen(f[0].value), 64 * 1024);
	assert_int_equal(http_parse_urlencoded(*state, s, 2 + 64 * 1024 + 1,
	    NULL, &f, &n), HTTP_ETOOBIG);
}

static void
test_default_limits(void **state)
{
	(void)state;
	assert_int_equal(http_default_limits.max_body, 20 * 1024 * 1024);
	assert_int_equal(http_default_limits.max_file, 10 * 1024 * 1024);
	assert_int_equal(http_default_limits.max_fields, 256);
	assert_int_equal(http_default_limits.max_name, 128);
	assert_int_equal(http_default_limits.max_value, 64 * 1024);
	assert_int_equal(http_default_limits.max_cookies, 50);
	assert_int_equal(http_default_limits.max_path, 2048);
}

/* ---- http_valid_text ---- */

static void
test_valid_text(void **state)
{
	(void)state;
	assert_true(http_valid_text("", 0));
	assert_true(http_valid_text(NULL, 0));
	assert_true(http_valid_text("plain ASCII ~!", 14));
	assert_true(http_valid_text("a\tb\r\nc", 6));
	assert_true(http_valid_text("\xef\xbb\xbf", 3));        /* BOM: valid */
	assert_false(http_valid_text("a\0b", 3));
	assert_false(http_valid_text("\x7f", 1));
	assert_false(http_valid_text("\x1f", 1));
	assert_false(http_valid_text("\xc2\x85", 2));           /* NEL, C1 */
	assert_false(http_valid_text("\xe2\x82\xac", 2));       /* cut by len */
}

/* ---- cookies ---- */

static enum http_err
cookie(void **state, const char *hdr, const struct http_limits *lim,
    struct http_field **f, size_t *n)
{
	return http_parse_cookies(*state, hdr, lim, f, n);
}

static void
test_cookie_two(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=b; c=d", NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].name, "a");
	assert_string_equal(f[0].value, "b");
	assert_int_equal(f[0].valuelen, 1);
	assert_string_equal(f[1].name, "c");
	assert_string_equal(f[1].value, "d");
}

static void
test_cookie_without_space(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=b;c=d", NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(http_field_get(f, n, "c"), "d");
}

static void
test_cookie_spaces_trimmed(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "  a = b ;\tc=d\t ", NULL, &f, &n),
	    HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].name, "a");
	assert_string_equal(f[0].value, "b");
	assert_string_equal(f[1].name, "c");
	assert_string_equal(f[1].value, "d");
}

static void
test_cookie_quoted_value(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=\"b c\"; e=\"\"", NULL, &f, &n),
	    HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].value, "b c");
	assert_int_equal(f[0].valuelen, 3);
	assert_string_equal(f[1].value, "");
	assert_int_equal(f[1].valuelen, 0);
}

static void
test_cookie_unbalanced_quote_kept(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=\"b; c=\"", NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].value, "\"b");
	assert_string_equal(f[1].value, "\"");
}

static void
test_cookie_empty_value(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=; b=1", NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].value, "");
}

static void
test_cookie_value_keeps_equals(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "t=YWJj==", NULL, &f, &n), HTTP_OK);
	assert_string_equal(f[0].value, "YWJj==");
}

static void
test_cookie_not_percent_decoded(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=%41+b", NULL, &f, &n), HTTP_OK);
	assert_string_equal(f[0].value, "%41+b");
}

static void
test_cookie_pair_without_equals_skipped(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=1; nameless; c=3", NULL, &f, &n),
	    HTTP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].name, "a");
	assert_string_equal(f[1].name, "c");
}

static void
test_cookie_non_token_name_skipped(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a b=1; {x}=2; =3; ok=4", NULL, &f, &n),
	    HTTP_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].name, "ok");
	assert_string_equal(f[0].value, "4");
}

static void
test_cookie_empty_segments(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, ";; a=b ;;", NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cookie(state, "", NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cookie(state, NULL, NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 0);
}

static void
test_cookie_first_duplicate_wins(void **state)
{
	struct http_field *f;
	size_t n;

	/* Browsers send the cookie with the longest path first. */
	assert_int_equal(cookie(state, "s=inner; s=outer", NULL, &f, &n),
	    HTTP_OK);
	assert_string_equal(http_field_get(f, n, "s"), "inner");
}

static void
test_cookie_too_many(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=1; b=2; c=3", &tiny, &f, &n),
	    HTTP_OK);
	assert_int_equal(n, 3);
	assert_int_equal(cookie(state, "a=1; b=2; c=3; d=4", &tiny, &f, &n),
	    HTTP_ETOOBIG);
}

static void
test_cookie_skipped_pairs_count_towards_limit(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=1; x; y; z", &tiny, &f, &n),
	    HTTP_ETOOBIG);
}

static void
test_cookie_too_many_default(void **state)
{
	struct http_field *f;
	char *s;
	size_t n, i;

	/* "a=1;" fifty times, then once more. */
	s = repeat(state, 'a', 4 * 51);
	for (i = 0; i < 51; i++)
		memcpy(s + 4 * i, "a=1;", 4);
	s[4 * 50] = '\0';
	assert_int_equal(cookie(state, s, NULL, &f, &n), HTTP_OK);
	assert_int_equal(n, 50);
	s[4 * 50] = 'a';
	assert_int_equal(cookie(state, s, NULL, &f, &n), HTTP_ETOOBIG);
}

static void
test_cookie_name_too_long(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "abcd=1", &tiny, &f, &n), HTTP_OK);
	assert_int_equal(cookie(state, "abcde=1", &tiny, &f, &n),
	    HTTP_ETOOBIG);
}

static void
test_cookie_value_too_long(void **state)
{
	struct http_field *f;
	size_t n;

	/* The quotes are not part of the value's length. */
	assert_int_equal(cookie(state, "a=\"12345678\"", &tiny, &f, &n),
	    HTTP_OK);
	assert_int_equal(cookie(state, "a=123456789", &tiny, &f, &n),
	    HTTP_ETOOBIG);
}

static void
test_cookie_control_chars_rejected(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=b\x01", NULL, &f, &n), HTTP_EBAD);
	assert_int_equal(cookie(state, "a=b\r\nX-Evil: 1", NULL, &f, &n),
	    HTTP_EBAD);
	assert_int_equal(cookie(state, "a=\x7f", NULL, &f, &n), HTTP_EBAD);
}

static void
test_cookie_invalid_utf8_rejected(void **state)
{
	struct http_field *f;
	size_t n;

	assert_int_equal(cookie(state, "a=\xc0\xaf", NULL, &f, &n), HTTP_EBAD);
	assert_int_equal(cookie(state, "a=\xe9t\xe9", NULL, &f, &n),
	    HTTP_EBAD);
}

/* ---- http_req_parse ---- */

static enum http_err
parse(void **state, const char *const *kv, const char *body,
    const struct http_limits *lim, struct http_req *req, const char **why)
{
	*why = NULL;
	return http_req_parse(*state, param_get, (void *)(uintptr_t)kv, body,
	    body == NULL ? 0 : strlen(body), lim, req, why);
}

static void
test_req_get_with_query(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/search",
		"QUERY_STRING", "q=a+b&page=2&format=xml",
		"HTTP_ACCEPT", "text/html",
		"REMOTE_ADDR", "127.0.0.1",
		"HTTP_HOST", "example.org",
		"CONTENT_LENGTH", "",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_null(why);
	assert_int_equal(req.method, HTTP_GET);
	assert_string_equal(req.method_name, "GET");
	assert_string_equal(req.path, "/search");
	assert_string_equal(req.query, "q=a+b&page=2&format=xml");
	assert_int_equal(req.nquery, 3);
	assert_string_equal(http_query(&req, "q"), "a b");
	assert_string_equal(http_query(&req, "page"), "2");
	assert_string_equal(http_query(&req, "format"), "xml");
	assert_null(http_query(&req, "missing"));
	assert_int_equal(req.nbody, 0);
	assert_int_equal(req.ncookies, 0);
	assert_string_equal(req.accept, "text/html");
	assert_string_equal(req.remote_addr, "127.0.0.1");
	assert_string_equal(req.host, "example.org");
}

static void
test_req_absent_params_are_empty(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.path, "/");
	assert_string_equal(req.query, "");
	assert_string_equal(req.content_type, "");
	assert_string_equal(req.accept, "");
	assert_string_equal(req.remote_addr, "");
	assert_string_equal(req.host, "");
	assert_string_equal(req.https, "");
	assert_int_equal(req.nquery, 0);
}

static void
test_req_methods(void **state)
{
	static const struct {
		const char *name;
		enum http_method m;
	} t[] = {
		{ "GET", HTTP_GET },
		{ "HEAD", HTTP_HEAD },
		{ "POST", HTTP_POST },
		{ "PUT", HTTP_OTHER },
		{ "DELETE", HTTP_OTHER },
		{ "get", HTTP_OTHER },
		{ "M-SEARCH", HTTP_OTHER },
	};
	const char *kv[] = {
		"REQUEST_METHOD", NULL,
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		kv[1] = t[i].name;
		assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
		    HTTP_OK);
		assert_int_equal(req.method, t[i].m);
		assert_string_equal(req.method_name, t[i].name);
		assert_ptr_not_equal(req.method_name, t[i].name);
	}
}

static void
test_req_missing_method(void **state)
{
	const char *kv[] = {
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_non_null(why);
	assert_non_null(strstr(why, "REQUEST_METHOD"));
}

static void
test_req_bad_method(void **state)
{
	const char *bad[] = { "", "GE T", "GET\r\n", "G(T", "\xc3\xa9",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
	const char *kv[] = {
		"REQUEST_METHOD", NULL,
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kv[1] = bad[i];
		assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
		    HTTP_EBAD);
		assert_non_null(why);
	}
}

static void
test_req_error_keeps_strings_valid(void **state)
{
	const char *kv[] = {
		"REQUEST_ID", "abc123",
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;

	/* An error page is rendered from req: nothing may be NULL. */
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_string_equal(req.request_id, "abc123");
	assert_string_equal(req.method_name, "");
	assert_string_equal(req.path, "");
	assert_string_equal(req.query, "");
	assert_string_equal(req.content_type, "");
	assert_string_equal(req.https, "");
}

static void
test_req_post_form_body(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/login",
		"CONTENT_TYPE", "application/x-www-form-urlencoded",
		"CONTENT_LENGTH", "46",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv,
	    "username=ann&password=p%40ss+word&csrf=abc%3D%3D", NULL, &req,
	    &why), HTTP_EBAD);  /* 48 bytes, not 46 */
	kv[7] = "48";
	assert_int_equal(parse(state, kv,
	    "username=ann&password=p%40ss+word&csrf=abc%3D%3D", NULL, &req,
	    &why), HTTP_OK);
	assert_int_equal(req.method, HTTP_POST);
	assert_int_equal(req.nbody, 3);
	assert_string_equal(http_form(&req, "username"), "ann");
	assert_string_equal(http_form(&req, "password"), "p@ss word");
	assert_string_equal(http_form(&req, "csrf"), "abc==");
	assert_null(http_query(&req, "username"));
}

static void
test_req_form_type_with_parameters(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", " Application/X-WWW-Form-URLEncoded ; charset=UTF-8",
		"CONTENT_LENGTH", "3",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, "a=1", NULL, &req, &why), HTTP_OK);
	assert_int_equal(req.nbody, 1);
	assert_string_equal(http_form(&req, "a"), "1");
}

static void
test_req_other_body_not_parsed(void **state)
{
	const char *types[] = { "text/plain", "multipart/mixed; boundary=x",
	    "multipart/form-dataX; boundary=x",
	    "application/x-www-form-urlencodedX", "" };
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", NULL,
		"CONTENT_LENGTH", "5",
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		kv[5] = types[i];
		/* "%zz&=" would be refused if it were parsed. */
		assert_int_equal(parse(state, kv, "%zz&=", NULL, &req, &why),
		    HTTP_OK);
		assert_int_equal(req.nbody, 0);
		assert_int_equal(req.nfiles, 0);
		assert_string_equal(req.content_type, types[i]);
		/* Unparsed, but still there for the handler. */
		assert_int_equal(req.bodylen, 5);
		assert_string_equal(req.body, "%zz&=");
	}
}

static void
test_req_bad_body_is_refused(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", "application/x-www-form-urlencoded",
		"CONTENT_LENGTH", "5",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, "a=%G1", NULL, &req, &why),
	    HTTP_EBAD);
	assert_non_null(why);
	assert_non_null(strstr(why, "body"));
	assert_non_null(strstr(why, "escape"));
}

static enum http_err
parse_len(void **state, const char *const *kv, const char *body,
    size_t len, const struct http_limits *lim, struct http_req *req,
    const char **why)
{
	*why = NULL;
	return http_req_parse(*state, param_get, (void *)(uintptr_t)kv, body,
	    len, lim, req, why);
}

static void
test_req_body_is_copied(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", "application/octet-stream",
		"CONTENT_LENGTH", "4",
		NULL
	};
	char body[] = { 'a', '\0', (char)0xff, 'b', 'X' };
	struct http_req req;
	const char *why;

	/* Raw bytes, a NUL among them; the copy has a NUL added after. */
	assert_int_equal(parse_len(state, kv, body, 4, NULL, &req, &why),
	    HTTP_OK);
	assert_int_equal(req.bodylen, 4);
	assert_ptr_not_equal(req.body, body);
	assert_memory_equal(req.body, "a\0\xff" "b", 5);
	/* The caller may reuse its buffer: the request keeps its own. */
	memset(body, 0, sizeof(body));
	assert_memory_equal(req.body, "a\0\xff" "b", 5);
}

static void
test_req_no_body_is_empty(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_non_null(req.body);
	assert_string_equal(req.body, "");
	assert_int_equal(req.bodylen, 0);
	assert_null(req.files);
	assert_int_equal(req.nfiles, 0);
	/* A refused request leaves it empty too. */
	kv[1] = "G T";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_string_equal(req.body, "");
	assert_int_equal(req.bodylen, 0);
}

#define MP_TYPE	"multipart/form-data; boundary=XyZ"
#define MP_PART(name) "--XyZ\r\nContent-Disposition: form-data; name=\"" \
	name "\"\r\n\r\n"

static void
test_req_multipart_upload(void **state)
{
	static const char body[] =
	    MP_PART("csrf") "tok\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"doc\"; "
	    "filename=\"report.pdf\"\r\n"
	    "Content-Type: application/pdf\r\n\r\n"
	    "%PDF\0\xff\r\n"
	    "--XyZ--\r\n";
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/upload",
		"CONTENT_TYPE", MP_TYPE,
		"CONTENT_LENGTH", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	char cl[32];

	snprintf(cl, sizeof(cl), "%zu", sizeof(body) - 1);
	kv[7] = cl;
	assert_int_equal(parse_len(state, kv, body, sizeof(body) - 1, NULL,
	    &req, &why), HTTP_OK);
	assert_int_equal(req.nbody, 1);
	assert_string_equal(http_form(&req, "csrf"), "tok");
	assert_int_equal(req.nfiles, 1);
	assert_string_equal(req.files[0].field, "doc");
	assert_string_equal(req.files[0].filename, "report.pdf");
	assert_string_equal(req.files[0].content_type, "application/pdf");
	assert_int_equal(req.files[0].len, 6);
	assert_memory_equal(req.files[0].data, "%PDF\0\xff", 6);
	/* Not copied: the data lies inside the request's copy of the body. */
	assert_true((const char *)req.files[0].data > req.body);
	assert_true((const char *)req.files[0].data + req.files[0].len <
	    req.body + req.bodylen);
}

static void
test_req_multipart_bad(void **state)
{
	static const char body[] = MP_PART("a") "1\r\n--XyZ\r\n";
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", MP_TYPE,
		"CONTENT_LENGTH", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	char cl[32];

	snprintf(cl, sizeof(cl), "%zu", sizeof(body) - 1);
	kv[7] = cl;
	assert_int_equal(parse(state, kv, body, NULL, &req, &why), HTTP_EBAD);
	assert_non_null(strstr(why, "multipart"));
	assert_non_null(strstr(why, "closing delimiter"));
	/* No boundary parameter at all. */
	kv[5] = "multipart/form-data";
	assert_int_equal(parse(state, kv, body, NULL, &req, &why), HTTP_EBAD);
	assert_non_null(strstr(why, "boundary"));
}

static void
test_req_multipart_empty_body(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", MP_TYPE,
		NULL
	};
	struct http_req req;
	const char *why;

	/* Like an empty urlencoded body: nothing to parse, no fields. */
	assert_int_equal(parse(state, kv, "", NULL, &req, &why), HTTP_OK);
	assert_int_equal(req.nbody, 0);
	assert_int_equal(req.nfiles, 0);
}

static void
test_req_multipart_obeys_field_limits(void **state)
{
	static const char four[] = MP_PART("a") "1\r\n" MP_PART("b") "2\r\n"
	    MP_PART("c") "3\r\n" MP_PART("d") "4\r\n--XyZ--";
	static const char longname[] = MP_PART("abcde") "1\r\n--XyZ--";
	/* 34 bytes, one more than the content type needs. */
	static const char longvalue[] = MP_PART("a")
	    "0123456789012345678901234567890123\r\n--XyZ--";
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", MP_TYPE,
		"CONTENT_LENGTH", NULL,
		NULL
	};
	struct http_limits lim = tiny;
	struct http_req req;
	const char *why;
	char cl[32];

	lim.max_body = 512;
	lim.max_value = 33;     /* room for the content type, just */
	kv[7] = cl;
	snprintf(cl, sizeof(cl), "%zu", sizeof(four) - 1);
	assert_int_equal(parse(state, kv, four, &lim, &req, &why),
	    HTTP_ETOOBIG);
	assert_non_null(strstr(why, "too many parts"));
	snprintf(cl, sizeof(cl), "%zu", sizeof(longname) - 1);
	assert_int_equal(parse(state, kv, longname, &lim, &req, &why),
	    HTTP_ETOOBIG);
	assert_non_null(strstr(why, "name too long"));
	snprintf(cl, sizeof(cl), "%zu", sizeof(longvalue) - 1);
	assert_int_equal(parse(state, kv, longvalue, &lim, &req, &why),
	    HTTP_ETOOBIG);
	assert_non_null(strstr(why, "value too long"));
}

static void
test_req_multipart_file_too_big_is_not_ebody(void **state)
{
	static const char head[] = "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"big.bin\"\r\n\r\n";
	static const char tail[] = "\r\n--XyZ--";
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_TYPE", MP_TYPE,
		"CONTENT_LENGTH", NULL,
		NULL
	};
	struct http_limits lim = http_default_limits;
	struct http_req req;
	const char *why;
	size_t flen, len;
	char cl[32], *body;

	/*
	 * The body fits max_body, one file does not fit max_file: that is
	 * the form's business (its field says so), not the body's (413).
	 */
	lim.max_file = 1000;
	flen = lim.max_file + 1;
	len = sizeof(head) - 1 + flen + sizeof(tail) - 1;
	lim.max_body = len;
	body = repeat(state, 'x', len);
	memcpy(body, head, sizeof(head) - 1);
	memcpy(body + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	snprintf(cl, sizeof(cl), "%zu", len);
	kv[7] = cl;
	assert_int_equal(parse_len(state, kv, body, len, &lim, &req, &why),
	    HTTP_OK);
	assert_int_equal(req.nfiles, 1);
	assert_true(req.files[0].too_big);
	assert_int_equal(req.files[0].len, flen);
	lim.max_file = flen;
	assert_int_equal(parse_len(state, kv, body, len, &lim, &req, &why),
	    HTTP_OK);
	assert_false(req.files[0].too_big);
	lim.max_body = len - 1;
	assert_int_equal(parse_len(state, kv, body, len, &lim, &req, &why),
	    HTTP_EBODY);
}

static void
test_req_nul_in_query(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"QUERY_STRING", "next=/admin%00.html",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_non_null(strstr(why, "query string"));
}

static void
test_req_raw_query_must_be_text(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"QUERY_STRING", "a=%C3\xa9",
		NULL
	};
	struct http_req req;
	const char *why;

	/* Decodes to valid UTF-8, but the raw string handed out is not. */
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_string_equal(req.query, "");
	kv[5] = "a=\xc3\xa9";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(http_query(&req, "a"), "\xc3\xa9");
	kv[5] = "a=x\ty";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
}

static void
test_req_query_too_many_fields(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"QUERY_STRING", "a&b&c&d",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, &tiny, &req, &why),
	    HTTP_ETOOBIG);
	assert_non_null(strstr(why, "too many"));
}

static void
test_req_body_fields_limit_separate_from_query(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"QUERY_STRING", "a&b&c",
		"CONTENT_TYPE", "application/x-www-form-urlencoded",
		"CONTENT_LENGTH", "5",
		NULL
	};
	struct http_limits lim = tiny;
	struct http_req req;
	const char *why;

	lim.max_value = 64;     /* room for the content type */
	assert_int_equal(parse(state, kv, "d&e&f", &lim, &req, &why),
	    HTTP_OK);
	assert_int_equal(req.nquery, 3);
	assert_int_equal(req.nbody, 3);
}

static void
test_req_content_length_mismatch(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_LENGTH", "4",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, "abc", NULL, &req, &why), HTTP_EBAD);
	assert_non_null(strstr(why, "CONTENT_LENGTH"));
	assert_int_equal(parse(state, kv, "abcde", NULL, &req, &why),
	    HTTP_EBAD);
	assert_int_equal(parse(state, kv, "abcd", NULL, &req, &why), HTTP_OK);
}

static void
test_req_body_without_content_length(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, "a=1", NULL, &req, &why), HTTP_EBAD);
	assert_int_equal(parse(state, kv, "", NULL, &req, &why), HTTP_OK);
}

static void
test_req_content_length_garbage(void **state)
{
	const char *bad[] = { "3a", " 3", "3 ", "+3", "-3", "0x3", "3.0",
	    "3\t", "\xd9\xa3" /* ARABIC-INDIC DIGIT THREE */ };
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_LENGTH", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kv[5] = bad[i];
		assert_int_equal(parse(state, kv, "abc", NULL, &req, &why),
		    HTTP_EBAD);
		assert_non_null(strstr(why, "CONTENT_LENGTH"));
	}
}

static void
test_req_content_length_leading_zeros(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_LENGTH", "003",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, "abc", NULL, &req, &why), HTTP_OK);
}

static void
test_req_body_too_big(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_LENGTH", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	char *body, cl[32];

	/* The caller read max_body + 1 bytes to tell "too big". */
	body = repeat(state, 'x', 65);
	snprintf(cl, sizeof(cl), "%d", 65);
	kv[5] = cl;
	assert_int_equal(parse(state, kv, body, &tiny, &req, &why),
	    HTTP_EBODY);
	assert_non_null(strstr(why, "body"));
	body[64] = '\0';
	snprintf(cl, sizeof(cl), "%d", 64);
	assert_int_equal(parse(state, kv, body, &tiny, &req, &why), HTTP_OK);
}

static void
test_req_body_too_big_default(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_LENGTH", "20971521",
		NULL
	};
	struct http_req req;
	const char *why;
	char *body;

	body = repeat(state, 'x', 20 * 1024 * 1024 + 1);
	assert_int_equal(parse(state, kv, body, NULL, &req, &why),
	    HTTP_EBODY);
}

static void
test_req_content_length_too_big_without_body(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "POST",
		"DOCUMENT_URI", "/",
		"CONTENT_LENGTH", "99999999999999999999999999999999",
		NULL
	};
	struct http_req req;
	const char *why;

	/* A caller may refuse to read a body announced as too big. */
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
	    HTTP_EBODY);
	kv[5] = "20971521";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
	    HTTP_EBODY);
}

static void
test_req_path_traversal(void **state)
{
	const char *bad[] = { "/a/../b", "/..", "/a/..", "/../etc/passwd",
	    "/a//b", "//", "/./a", "/a/.", "/.", "/a/./b" };
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kv[3] = bad[i];
		assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
		    HTTP_EBAD);
		assert_non_null(strstr(why, "path"));
	}
}

static void
test_req_path_lookalikes_accepted(void **state)
{
	const char *good[] = { "/", "/a/", "/a/..b", "/a/b..", "/.well-known/x",
	    "/...", "/a.b/c", "/a%2e%2e/b", "/caf\xc3\xa9" };
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		kv[3] = good[i];
		assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
		    HTTP_OK);
		/* Not decoded a second time: "%2e" stays literal. */
		assert_string_equal(req.path, good[i]);
	}
}

static void
test_req_path_must_be_absolute(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "a/b",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	kv[3] = "";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
}

static void
test_req_path_control_chars(void **state)
{
	const char *bad[] = { "/a\tb", "/a\nb", "/a\rb", "/a\x1b", "/\x7f",
	    "/\xc2\x85", "/\xc0\xaf", "/\xff" };
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kv[3] = bad[i];
		assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
		    HTTP_EBAD);
	}
}

static void
test_req_path_too_long(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	char *p;

	p = repeat(state, 'a', 2049);
	p[0] = '/';
	kv[3] = p;
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
	    HTTP_ETOOBIG);
	p[2048] = '\0';
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_int_equal(strlen(req.path), 2048);
}

static void
test_req_path_from_script_name(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"SCRIPT_NAME", "/app",
		"PATH_INFO", "/users/7",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.path, "/app/users/7");
	/* The joined path is checked like any other. */
	kv[5] = "/../etc";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	/* Both parts together must fit max_path. */
	kv[3] = "/1234567";
	kv[5] = "/12345678";
	assert_int_equal(parse(state, kv, NULL, &tiny, &req, &why),
	    HTTP_ETOOBIG);
}

static void
test_req_missing_path(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_non_null(strstr(why, "DOCUMENT_URI"));
}

static void
test_req_cookies(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"HTTP_COOKIE", "imiflow_session=\"abc\"; theme=dark; junk",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_int_equal(req.ncookies, 2);
	assert_string_equal(http_cookie(&req, "imiflow_session"), "abc");
	assert_string_equal(http_cookie(&req, "theme"), "dark");
	assert_null(http_cookie(&req, "junk"));
}

static void
test_req_too_many_cookies(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"HTTP_COOKIE", "a=1; b=2; c=3; d=4",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, &tiny, &req, &why),
	    HTTP_ETOOBIG);
	assert_non_null(strstr(why, "cookies"));
}

static void
test_req_header_control_chars(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"HTTP_ACCEPT", "text/html\r\nX: y",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	assert_non_null(strstr(why, "HTTP_ACCEPT"));
	kv[4] = "HTTP_HOST";
	kv[5] = "ex\x01.org";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
	kv[4] = "CONTENT_TYPE";
	kv[5] = "text/\xff";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_EBAD);
}

static void
test_req_header_too_long(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"HTTP_HOST", "123456789",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, &tiny, &req, &why),
	    HTTP_ETOOBIG);
}

static void
test_req_https(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"HTTPS", "on",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.https, "on");
	kv[5] = "";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.https, "");
	kv[5] = "yes";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.https, "");
}

static int
is_hex16(const char *s)
{
	size_t i;

	if (strlen(s) != 16)
		return 0;
	for (i = 0; i < 16; i++)
		if (strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
	return 1;
}

static void
test_req_id_accepted(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"REQUEST_ID", "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		NULL
	};
	struct http_req req;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.request_id,
	    "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
	kv[5] = "A";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.request_id, "A");
	kv[5] = "abc-DEF-123";
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.request_id, "abc-DEF-123");
}

static void
test_req_id_64_chars_accepted(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"REQUEST_ID", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	char *id;

	id = repeat(state, 'z', 65);
	id[64] = '\0';
	kv[5] = id;
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_string_equal(req.request_id, id);
	id[64] = 'z';
	assert_int_equal(parse(state, kv, NULL, NULL, &req, &why), HTTP_OK);
	assert_true(is_hex16(req.request_id));
}

static void
test_req_id_replaced(void **state)
{
	const char *bad[] = { "", "a_b", "a b", "id\nfake log line", "a.b",
	    "\xc3\xa9", "abc;" };
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		"REQUEST_ID", NULL,
		NULL
	};
	struct http_req req;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kv[5] = bad[i];
		assert_int_equal(parse(state, kv, NULL, NULL, &req, &why),
		    HTTP_OK);
		assert_true(is_hex16(req.request_id));
	}
}

static void
test_req_id_generated_when_absent(void **state)
{
	const char *kv[] = {
		"REQUEST_METHOD", "GET",
		"DOCUMENT_URI", "/",
		NULL
	};
	struct http_req r1, r2;
	const char *why;

	assert_int_equal(parse(state, kv, NULL, NULL, &r1, &why), HTTP_OK);
	assert_int_equal(parse(state, kv, NULL, NULL, &r2, &why), HTTP_OK);
	assert_true(is_hex16(r1.request_id));
	assert_true(is_hex16(r2.request_id));
	assert_string_not_equal(r1.request_id, r2.request_id);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_form_two_fields),
		T(test_form_plus_is_space),
		T(test_form_percent_escapes),
		T(test_form_percent_lowercase_hex),
		T(test_form_multibyte_utf8),
		T(test_form_raw_utf8),
		T(test_form_encoded_name),
		T(test_form_empty_value),
		T(test_form_name_without_equals),
		T(test_form_value_keeps_later_equals),
		T(test_form_empty_segments_skipped),
		T(test_form_empty_input),
		T(test_form_only_separators),
		T(test_form_empty_name_rejected),
		T(test_form_first_duplicate_wins),
		T(test_form_bad_escape_non_hex),
		T(test_form_bad_escape_trailing_percent),
		T(test_form_bad_escape_one_digit),
		T(test_form_bad_escape_double_percent),
		T(test_form_escape_not_at_end_of_length),
		T(test_form_nul_escape_in_value),
		T(test_form_nul_escape_in_name),
		T(test_form_raw_nul_byte),
		T(test_form_control_chars_in_value),
		T(test_form_c1_controls_rejected),
		T(test_form_tab_cr_lf_allowed_in_value),
		T(test_form_whitespace_controls_rejected_in_name),
		T(test_form_overlong_utf8),
		T(test_form_surrogates),
		T(test_form_truncated_utf8),
		T(test_form_stray_continuation),
		T(test_form_beyond_unicode),
		T(test_form_raw_invalid_utf8),
		T(test_form_too_many_fields),
		T(test_form_too_many_fields_default),
		T(test_form_name_too_long),
		T(test_form_name_limit_counts_decoded_bytes),
		T(test_form_value_too_long),
		T(test_form_value_too_long_default),
		T(test_default_limits),
		T(test_valid_text),
		T(test_cookie_two),
		T(test_cookie_without_space),
		T(test_cookie_spaces_trimmed),
		T(test_cookie_quoted_value),
		T(test_cookie_unbalanced_quote_kept),
		T(test_cookie_empty_value),
		T(test_cookie_value_keeps_equals),
		T(test_cookie_not_percent_decoded),
		T(test_cookie_pair_without_equals_skipped),
		T(test_cookie_non_token_name_skipped),
		T(test_cookie_empty_segments),
		T(test_cookie_first_duplicate_wins),
		T(test_cookie_too_many),
		T(test_cookie_skipped_pairs_count_towards_limit),
		T(test_cookie_too_many_default),
		T(test_cookie_name_too_long),
		T(test_cookie_value_too_long),
		T(test_cookie_control_chars_rejected),
		T(test_cookie_invalid_utf8_rejected),
		T(test_req_get_with_query),
		T(test_req_absent_params_are_empty),
		T(test_req_methods),
		T(test_req_missing_method),
		T(test_req_bad_method),
		T(test_req_error_keeps_strings_valid),
		T(test_req_post_form_body),
		T(test_req_form_type_with_parameters),
		T(test_req_other_body_not_parsed),
		T(test_req_bad_body_is_refused),
		T(test_req_body_is_copied),
		T(test_req_no_body_is_empty),
		T(test_req_multipart_upload),
		T(test_req_multipart_bad),
		T(test_req_multipart_empty_body),
		T(test_req_multipart_obeys_field_limits),
		T(test_req_multipart_file_too_big_is_not_ebody),
		T(test_req_nul_in_query),
		T(test_req_raw_query_must_be_text),
		T(test_req_query_too_many_fields),
		T(test_req_body_fields_limit_separate_from_query),
		T(test_req_content_length_mismatch),
		T(test_req_body_without_content_length),
		T(test_req_content_length_garbage),
		T(test_req_content_length_leading_zeros),
		T(test_req_body_too_big),
		T(test_req_body_too_big_default),
		T(test_req_content_length_too_big_without_body),
		T(test_req_path_traversal),
		T(test_req_path_lookalikes_accepted),
		T(test_req_path_must_be_absolute),
		T(test_req_path_control_chars),
		T(test_req_path_too_long),
		T(test_req_path_from_script_name),
		T(test_req_missing_path),
		T(test_req_cookies),
		T(test_req_too_many_cookies),
		T(test_req_header_control_chars),
		T(test_req_header_too_long),
		T(test_req_https),
		T(test_req_id_accepted),
		T(test_req_id_64_chars_accepted),
		T(test_req_id_replaced),
		T(test_req_id_generated_when_absent),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
