/*
 * test_multipart.c — the multipart/form-data parser against browser-shaped,
 * odd and hostile bodies.  Each test owns a fresh arena (setup/teardown).
 * Bodies are parsed from a malloc'd buffer of exactly their length, so a
 * read past the end is caught by AddressSanitizer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"
#include "multipart.h"

#define CT	"multipart/form-data; boundary=XyZ"
#define CRLF	"\r\n"
#define FIELD(name, value)						\
	"--XyZ" CRLF "Content-Disposition: form-data; name=\"" name "\""	\
	CRLF CRLF value CRLF
#define FILE_(name, fname, type, data)					\
	"--XyZ" CRLF "Content-Disposition: form-data; name=\"" name "\"; "	\
	"filename=\"" fname "\"" CRLF "Content-Type: " type CRLF CRLF	\
	data CRLF
#define CLOSE	"--XyZ--" CRLF

/* What one parse produced. */
struct result {
	struct http_field *f;
	size_t nf;
	struct multipart_file *files;
	size_t nfiles;
	const char *why;
	char *copy;		/* the body, exactly len bytes */
};

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

static void
release(void *p)
{
	free(p);
}

static enum http_err
parse_lim(void **state, const char *ct, const char *body, size_t len,
    const struct multipart_limits *lim, struct result *r)
{
	enum http_err rc;

	memset(r, 0, sizeof(*r));
	r->copy = malloc(len == 0 ? 1 : len);
	assert_non_null(r->copy);
	assert_int_equal(arena_defer(*state, release, r->copy), 0);
	if (len > 0)
		memcpy(r->copy, body, len);
	rc = multipart_parse(*state, ct, body == NULL ? NULL : r->copy, len,
	    lim, &r->f, &r->nf, &r->files, &r->nfiles, &r->why);
	if (rc != HTTP_OK) {
		/* Refused: nothing handed out, and a reason for the log. */
		assert_non_null(r->why);
		assert_null(r->f);
		assert_int_equal(r->nf, 0);
		assert_null(r->files);
		assert_int_equal(r->nfiles, 0);
	}
	return rc;
}

/* A body given as a string literal (no NUL bytes in it). */
static enum http_err
parse(void **state, const char *body, struct result *r)
{
	return parse_lim(state, CT, body, strlen(body), NULL, r);
}

static void
assert_bad(void **state, const char *body, const char *why)
{
	struct result r;

	assert_int_equal(parse(state, body, &r), HTTP_EBAD);
	if (why != NULL && strstr(r.why, why) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", r.why, why);
}

static void
assert_file(const struct multipart_file *f, const char *field,
    const char *filename, const char *type, const void *data, size_t len)
{
	assert_string_equal(f->field, field);
	assert_string_equal(f->filename, filename);
	assert_string_equal(f->content_type, type);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, data, len);
}

/* ---- what browsers send ---- */

static void
test_normal_upload(void **state)
{
	/* As Firefox sends it, with a NUL and a raw 0xff in the file. */
	static const char body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"attachment\"; "
	    "filename=\"r\xc3\xa9sum\xc3\xa9.pdf\"\r\n"
	    "Content-Type: application/pdf\r\n"
	    "\r\n"
	    "%PDF-1.4\0\xff\n%%EOF\r\n"
	    "--XyZ--\r\n";
	struct result r;

	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, NULL,
	    &r), HTTP_OK);
	assert_int_equal(r.nf, 0);
	assert_int_equal(r.nfiles, 1);
	assert_file(&r.files[0], "attachment", "r\xc3\xa9sum\xc3\xa9.pdf",
	    "application/pdf", "%PDF-1.4\0\xff\n%%EOF", 16);
	/* No copy: the data lies in the body that was parsed. */
	assert_ptr_equal(r.files[0].data,
	    (unsigned char *)r.copy + (strstr(body, "%PDF") - body));
}

static void
test_several_files(void **state)
{
	struct result r;

	assert_int_equal(parse(state,
	    FILE_("a", "one.txt", "text/plain", "first")
	    FILE_("a", "two.txt", "text/plain", "second")
	    FILE_("b", "img.png", "image/png", "\x89PNG")
	    CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 3);
	assert_int_equal(r.nf, 0);
	assert_file(&r.files[0], "a", "one.txt", "text/plain", "first", 5);
	assert_file(&r.files[1], "a", "two.txt", "text/plain", "second", 6);
	assert_file(&r.files[2], "b", "img.png", "image/png", "\x89PNG", 4);
}

static void
test_field_and_file_mix(void **state)
{
	struct result r;

	assert_int_equal(parse(state,
	    FIELD("csrf", "tok3n")
	    FILE_("doc", "a.txt", "text/plain", "hello")
	    FIELD("comment", "line 1\r\nline 2\twith tab")
	    FIELD("empty", "")
	    CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nf, 3);
	assert_int_equal(r.nfiles, 1);
	assert_string_equal(r.f[0].name, "csrf");
	assert_string_equal(r.f[0].value, "tok3n");
	assert_int_equal(r.f[0].valuelen, 5);
	assert_string_equal(http_field_get(r.f, r.nf, "comment"),
	    "line 1\r\nline 2\twith tab");
	assert_string_equal(http_field_get(r.f, r.nf, "empty"), "");
	assert_int_equal(r.f[2].valuelen, 0);
	assert_file(&r.files[0], "doc", "a.txt", "text/plain", "hello", 5);
}

static void
test_empty_file_chosen_skipped(void **state)
{
	struct result r;

	/* A file input left empty: filename="" and no content. */
	assert_int_equal(parse(state,
	    FILE_("f", "", "application/octet-stream", "")
	    FIELD("x", "1")
	    CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 0);
	assert_int_equal(r.nf, 1);
	assert_string_equal(r.f[0].name, "x");
}

static void
test_empty_filename_with_content(void **state)
{
	assert_bad(state, FILE_("f", "", "text/plain", "data") CLOSE,
	    "empty file name");
}

static void
test_empty_file_with_name_kept(void **state)
{
	struct result r;

	/* A real, empty file: kept, with a valid pointer and no bytes. */
	assert_int_equal(parse(state,
	    FILE_("f", "empty.txt", "text/plain", "") CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_int_equal(r.files[0].len, 0);
	assert_non_null(r.files[0].data);
}

static void
test_file_default_content_type(void **state)
{
	struct result r;

	assert_int_equal(parse(state,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename=\"x.bin\"\r\n\r\nabc\r\n" CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_string_equal(r.files[0].content_type,
	    "application/octet-stream");
}

static void
test_file_content_type_normalised(void **state)
{
	struct result r;

	assert_int_equal(parse(state,
	    FILE_("f", "x.txt", "Text/Plain ; charset=\"UTF-8\"", "abc")
	    CLOSE, &r), HTTP_OK);
	assert_string_equal(r.files[0].content_type, "text/plain");
}

static void
test_bad_part_content_type(void **state)
{
	assert_bad(state, FILE_("f", "x", "text", "abc") CLOSE,
	    "Content-Type");
	assert_bad(state, FILE_("f", "x", "text/", "abc") CLOSE,
	    "Content-Type");
	assert_bad(state, FILE_("f", "x", "text/plain garbage", "abc") CLOSE,
	    "Content-Type");
	assert_bad(state, FILE_("f", "x", "text/plain; a", "abc") CLOSE,
	    "Content-Type");
	assert_bad(state, FILE_("f", "x", "text/plain; a=\"b", "abc") CLOSE,
	    "Content-Type");
}

/* ---- the boundary ---- */

static void
test_quoted_boundary(void **state)
{
	static const char body[] =
	    "--a b:c=d?\r\n"
	    "Content-Disposition: form-data; name=\"q\"\r\n\r\n"
	    "v\r\n"
	    "--a b:c=d?--\r\n";
	struct result r;

	/* Space, ':', '=' and '?' are bchars but not token characters. */
	assert_int_equal(parse_lim(state,
	    "multipart/form-data; boundary=\"a b:c=d?\"", body,
	    sizeof(body) - 1, NULL, &r), HTTP_OK);
	assert_int_equal(r.nf, 1);
	assert_string_equal(r.f[0].value, "v");
	/* Unquoted, the same value is not a token. */
	assert_int_equal(parse_lim(state,
	    "multipart/form-data; boundary=a b:c=d?", body, sizeof(body) - 1,
	    NULL, &r), HTTP_EBAD);
}

static void
test_boundary_parameter_forms(void **state)
{
	static const char body[] = FIELD("q", "v") CLOSE;
	static const char *const good[] = {
		"multipart/form-data; boundary=XyZ",
		"Multipart/Form-Data;BOUNDARY=XyZ",
		"multipart/form-data; charset=utf-8; boundary=XyZ",
		"multipart/form-data; boundary=\"XyZ\"",
		"multipart/form-data; boundary=\"X\\yZ\"",
		"multipart/form-data ; boundary=XyZ ;",
	};
	static const char *const bad[] = {
		"multipart/form-data",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=XyZ; boundary=XyZ",
		"multipart/form-data; boundary = XyZ",
		"multipart/form-data; boundary=\"XyZ",
		"multipart/form-data; boundary=Xy!Z",
		"multipart/form-data; boundary=\"XyZ \"",
		"multipart/mixed; boundary=XyZ",
		"text/plain; boundary=XyZ",
		"multipart/form-data boundary=XyZ",
		"",
	};
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (parse_lim(state, good[i], body, sizeof(body) - 1, NULL,
		    &r) != HTTP_OK)
			fail_msg("refused \"%s\": %s", good[i], r.why);
		assert_int_equal(r.nf, 1);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_lim(state, bad[i], body, sizeof(body) - 1, NULL,
		    &r) != HTTP_EBAD)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(parse_lim(state, NULL, body, sizeof(body) - 1, NULL,
	    &r), HTTP_EBAD);
}

static void
test_boundary_length(void **state)
{
	char ct[128], b[72], body[256];
	struct result r;
	size_t len;

	/* 70 characters is the most RFC 2046 allows. */
	memset(b, 'b', 71);
	b[70] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b);
	len = (size_t)snprintf(body, sizeof(body), "--%s\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--",
	    b, b);
	assert_true(len < sizeof(body));
	assert_int_equal(parse_lim(state, ct, body, len, NULL, &r), HTTP_OK);
	assert_int_equal(r.nf, 1);

	b[70] = 'b';
	b[71] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b);
	len = (size_t)snprintf(body, sizeof(body), "--%s\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--",
	    b, b);
	assert_true(len < sizeof(body));
	assert_int_equal(parse_lim(state, ct, body, len, NULL, &r), HTTP_EBAD);
	assert_non_null(strstr(r.why, "boundary"));
}

static void
test_is_form_data(void **state)
{
	(void)state;
	assert_true(multipart_is_form_data("multipart/form-data"));
	assert_true(multipart_is_form_data(" MULTIPART/form-data ; x=y"));
	assert_false(multipart_is_form_data("multipart/form-dataX"));
	assert_false(multipart_is_form_data("multipart/mixed"));
	assert_false(multipart_is_form_data("multipart/form-data x"));
	assert_false(multipart_is_form_data(""));
	assert_false(multipart_is_form_data(NULL));
}

/* ---- framing ---- */

static void
test_missing_closing_delimiter(void **state)
{
	assert_bad(state, FIELD("a", "1"), "closing delimiter");
	assert_bad(state, FIELD("a", "1") "--XyZ", "closing delimiter");
	assert_bad(state, FIELD("a", "1") "--XyZ  ", "closing delimiter");
	assert_bad(state, FIELD("a", "1") "--XyZ\r\n", "closing delimiter");
	/* Cut in the middle of a part. */
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\nhalf a val", "closing delimiter");
	/* The closing delimiter without the CRLF before it is data. */
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n1--XyZ--", "closing delimiter");
}

static void
test_no_delimiter_at_all(void **state)
{
	struct result r;

	assert_bad(state, "a=1&b=2", "no delimiter");
	assert_int_equal(parse_lim(state, CT, "", 0, NULL, &r), HTTP_EBAD);
	assert_int_equal(parse_lim(state, CT, NULL, 0, NULL, &r), HTTP_EBAD);
}

static void
test_zero_parts(void **state)
{
	struct result r;

	/* A form with nothing to submit. */
	assert_int_equal(parse(state, "--XyZ--\r\n", &r), HTTP_OK);
	assert_int_equal(r.nf, 0);
	assert_int_equal(r.nfiles, 0);
	assert_int_equal(parse(state, "--XyZ--", &r), HTTP_OK);
}

static void
test_preamble_and_epilogue(void **state)
{
	struct result r;

	assert_int_equal(parse(state,
	    "This is a preamble.\r\n-- XyZ is not a delimiter\r\n"
	    FIELD("a", "1") "--XyZ--\r\nAn epilogue\r\n--XyZ\r\njunk", &r),
	    HTTP_OK);
	assert_int_equal(r.nf, 1);
	assert_string_equal(r.f[0].value, "1");
	/* An empty preamble still needs its CRLF. */
	assert_int_equal(parse(state, "\r\n" FIELD("a", "1") CLOSE, &r),
	    HTTP_OK);
}

static void
test_transport_padding(void **state)
{
	struct result r;

	assert_int_equal(parse(state,
	    "--XyZ \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "1\r\n--XyZ-- \r\n", &r), HTTP_OK);
	assert_string_equal(r.f[0].value, "1");
}

static void
test_garbage_after_delimiter(void **state)
{
	assert_bad(state, "--XyZx\r\n" "Content-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n1\r\n" CLOSE, "delimiter followed");
	assert_bad(state, FIELD("a", "1") "--XyZ--x", "delimiter followed");
	assert_bad(state, FIELD("a", "1") "--XyZ-- x\r\n",
	    "delimiter followed");
	assert_bad(state, FIELD("a", "1") "--XyZ-\r\n", "delimiter followed");
}

static void
test_boundary_in_data(void **state)
{
	/* Strict: the delimiter inside content is not data but an error. */
	assert_bad(state, FIELD("a", "x\r\n--XyZx") CLOSE,
	    "delimiter followed");
	assert_bad(state, FILE_("f", "x", "text/plain", "x\r\n--XyZ-y") CLOSE,
	    "delimiter followed");
}

static void
test_boundary_near_miss_is_data(void **state)
{
	static const char data[] =
	    "x--XyZ\r\n"		/* no CRLF before it */
	    "\n--XyZ\r\n"		/* LF only */
	    "\r--XyZ\r\n"		/* CR only */
	    "\r\n-XyZ\r\n"		/* one dash */
	    "\r\n--XyY\r\n"		/* last character differs */
	    "\r\n--Xy\r\n"		/* a prefix of the boundary */
	    "\r\n--xyz\r\n"		/* boundaries are case-sensitive */
	    "\r\n--XyZ";		/* cut: the part's own delimiter follows */
	struct result r;

	assert_int_equal(parse(state,
	    FILE_("f", "near.txt", "text/plain", "x--XyZ\r\n\n--XyZ\r\n"
	    "\r--XyZ\r\n\r\n-XyZ\r\n\r\n--XyY\r\n\r\n--Xy\r\n\r\n--xyz\r\n")
	    CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_int_equal(r.files[0].len, sizeof(data) - 1 - 7);
	assert_memory_equal(r.files[0].data, data, sizeof(data) - 1 - 7);
}

static void
test_crlf_vs_lf(void **state)
{
	/* A body with bare LF line ends, as a careless client writes it. */
	assert_bad(state, "--XyZ\nContent-Disposition: form-data; "
	    "name=\"a\"\n\n1\n--XyZ--\n", NULL);
	/* One header line ended by a bare LF. */
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\nX-A: b\r\n\r\n1\r\n" CLOSE, "control character");
	/* A bare CR ending the headers. */
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\r\n1\r\n" CLOSE, "CRLF");
	/* Bare LF in content is just data. */
	{
		struct result r;

		assert_int_equal(parse(state, FIELD("a", "1\n2\n") CLOSE, &r),
		    HTTP_OK);
		assert_string_equal(r.f[0].value, "1\n2\n");
	}
}

/* ---- part headers ---- */

static void
test_headers_only_part(void **state)
{
	struct result r;

	/*
	 * The CRLF before a delimiter belongs to the delimiter, so here the
	 * header line has none: refused.
	 */
	assert_int_equal(parse(state, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\"\r\n--XyZ--", &r), HTTP_EBAD);
	/*
	 * Here the header line has its CRLF and the part ends: RFC 2046
	 * allows a part without the blank line and content.  Empty value.
	 */
	assert_int_equal(parse(state, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\"\r\n\r\n--XyZ--", &r), HTTP_OK);
	assert_int_equal(r.nf, 1);
	assert_string_equal(r.f[0].value, "");
}

#define CD_A	"Content-Disposition: form-data; name=\"a\"\r\n"

static void
test_header_too_long(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] = "--XyZ\r\n" CD_A "\r\n1\r\n" CLOSE;
	struct result r;

	/* The header lines with their CRLF count, the blank line does not. */
	lim.max_header_bytes = sizeof(CD_A) - 1;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	lim.max_header_bytes = sizeof(CD_A) - 2;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
	assert_non_null(strstr(r.why, "headers too long"));
}

static void
test_ignored_headers_count(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] =
	    "--XyZ\r\n" CD_A "X-Ignored: 1234567\r\n\r\n1\r\n" CLOSE;
	struct result r;

	/* Ignored, but they count. */
	lim.max_header_bytes = sizeof(CD_A) - 1 + 20;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	assert_int_equal(r.nf, 1);
	lim.max_header_bytes = sizeof(CD_A) - 1 + 19;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
}

static void
test_header_flood_default(void **state)
{
	static const char head[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n";
	struct result r;
	char *body;
	size_t len, i, n = 4096 / 8 + 1;

	/* Many short ignored lines: "X-a: b\r\n" is 8 bytes. */
	len = sizeof(head) - 1 + 8 * n + 2 + 1 + 2 + sizeof(CLOSE) - 1;
	body = arena_alloc(*state, len + 1);
	assert_non_null(body);
	memcpy(body, head, sizeof(head) - 1);
	for (i = 0; i < n; i++)
		memcpy(body + sizeof(head) - 1 + 8 * i, "X-a: b\r\n", 8);
	memcpy(body + sizeof(head) - 1 + 8 * n, "\r\n1\r\n" CLOSE,
	    5 + sizeof(CLOSE) - 1);
	assert_int_equal(parse_lim(state, CT, body, len, NULL, &r),
	    HTTP_ETOOBIG);
}

static void
test_header_syntax(void **state)
{
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n Folded: x\r\n\r\n1\r\n" CLOSE, "folded");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\nNo colon\r\n\r\n1\r\n" CLOSE, "malformed");
	assert_bad(state, "--XyZ\r\nContent-Disposition : form-data; "
	    "name=\"a\"\r\n\r\n1\r\n" CLOSE, "malformed");
	assert_bad(state, "--XyZ\r\n: x\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n1\r\n" CLOSE, "malformed");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\nX: \x01\r\n\r\n1\r\n" CLOSE, "control character");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\nX: \xc3\r\n\r\n1\r\n" CLOSE, "UTF-8");
	/* The headers must end before the part does. */
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n--XyZ--", "empty line");
}

static void
test_header_names_case_insensitive(void **state)
{
	struct result r;

	assert_int_equal(parse(state, "--XyZ\r\ncontent-disposition:form-data;"
	    "NAME=\"a\";FileName=\"f.txt\"\r\nCONTENT-TYPE:\ttext/plain  \r\n"
	    "\r\nx\r\n" CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_file(&r.files[0], "a", "f.txt", "text/plain", "x", 1);
}

static void
test_content_disposition(void **state)
{
	struct result r;

	assert_bad(state, "--XyZ\r\nX: y\r\n\r\n1\r\n" CLOSE,
	    "without Content-Disposition");
	assert_bad(state, "--XyZ\r\n\r\n1\r\n" CLOSE,
	    "without Content-Disposition");
	assert_bad(state, "--XyZ\r\nContent-Disposition: attachment; "
	    "name=\"a\"\r\n\r\n1\r\n" CLOSE, "not form-data");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data\r\n\r\n"
	    "1\r\n" CLOSE, "without a name");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "filename=\"x\"\r\n\r\n1\r\n" CLOSE, "without a name");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"\"\r\n\r\n1\r\n" CLOSE, "without a name");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"; name=\"b\"\r\n\r\n1\r\n" CLOSE, "twice");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"; filename=\"x\"; filename=\"y\"\r\n\r\n1\r\n" CLOSE,
	    "twice");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n"
	    "1\r\n" CLOSE, "twice");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"a\r\n\r\n1\r\n" CLOSE, "Content-Disposition");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name = \"a\"\r\n\r\n1\r\n" CLOSE, "Content-Disposition");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data "
	    "name=\"a\"\r\n\r\n1\r\n" CLOSE, "Content-Disposition");
	/* A token name, unknown parameters (filename* too) ignored. */
	assert_int_equal(parse(state, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=a; size=3; filename*=UTF-8''x\r\n\r\n1\r\n"
	    CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nf, 1);
	assert_string_equal(r.f[0].name, "a");
}

static void
test_quoted_string_escapes(void **state)
{
	struct result r;

	assert_int_equal(parse(state, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\\\"b\\\\c\"; filename=\"x\\\"y.txt\"\r\n\r\n"
	    "1\r\n" CLOSE, &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_string_equal(r.files[0].field, "a\"b\\c");
	assert_string_equal(r.files[0].filename, "x\"y.txt");
	/* Percent escapes (what browsers use for '"') are not decoded. */
	assert_int_equal(parse(state, FIELD("a%22b", "1") CLOSE, &r),
	    HTTP_OK);
	assert_string_equal(r.f[0].name, "a%22b");
}

static void
test_transfer_encoding(void **state)
{
	struct result r;

	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"x\"\r\nContent-Transfer-Encoding: base64"
	    "\r\n\r\naGVsbG8=\r\n" CLOSE, "Content-Transfer-Encoding");
	assert_bad(state, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"f\"\r\nContent-Transfer-Encoding: quoted-printable"
	    "\r\n\r\na=3D\r\n" CLOSE, "Content-Transfer-Encoding");
	assert_int_equal(parse(state, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\"; filename=\"x\"\r\n"
	    "Content-Transfer-Encoding: BINARY\r\n\r\nhello\r\n" CLOSE, &r),
	    HTTP_OK);
	assert_int_equal(r.files[0].len, 5);
}

/* ---- names, values and filenames ---- */

static void
test_bad_filename(void **state)
{
	static const char *const bad[] = {
		".", "..", "dir/..", "C:\\\\dir\\\\..", "dir/", "/",
		"a\tb", "a\001b", "a\x7f", "\xc2\x85", "\xff.txt",
		"\xc0\xae\xc0\xae", "\xed\xa0\x80",
	};
	char body[256];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "--XyZ\r\nContent-Disposition: "
		    "form-data; name=\"f\"; filename=\"%s\"\r\n\r\ndata\r\n"
		    CLOSE, bad[i]);
		if (parse(state, body, &r) != HTTP_EBAD)
			fail_msg("accepted filename \"%s\"", bad[i]);
	}
}

static void
test_filename_path_removed(void **state)
{
	static const struct {
		const char *sent, *kept;
	} t[] = {
		{ "../../etc/passwd", "passwd" },
		{ "/abs/path/x.txt", "x.txt" },
		{ "folder/sub/y.txt", "y.txt" },
		/* Old IE sent Windows paths; escaped here as RFC 7578 wants. */
		{ "C:\\\\Users\\\\ann\\\\cv.doc", "cv.doc" },
		{ "..\\\\..\\\\boot.ini", "boot.ini" },
		{ "...", "..." },
		{ ".hidden", ".hidden" },
		{ "a b (1).txt", "a b (1).txt" },
	};
	char body[256];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(body, sizeof(body), "--XyZ\r\nContent-Disposition: "
		    "form-data; name=\"f\"; filename=\"%s\"\r\n\r\ndata\r\n"
		    CLOSE, t[i].sent);
		assert_int_equal(parse(state, body, &r), HTTP_OK);
		assert_int_equal(r.nfiles, 1);
		assert_string_equal(r.files[0].filename, t[i].kept);
		assert_null(strpbrk(r.files[0].filename, "/\\"));
	}
}

static void
test_filename_too_long(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] =
	    FILE_("f", "dir/12345678", "text/plain", "x") CLOSE;
	struct result r;

	/* The limit applies to what is kept, not the path sent. */
	lim.max_filename = 8;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	lim.max_filename = 7;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
	assert_non_null(strstr(r.why, "file name too long"));
}

static void
test_invalid_utf8_in_field(void **state)
{
	static const char *const bad[] = {
		"\xff", "caf\xe9", "\xc3", "\xc0\xaf", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xc2\x85", "a\x01", "a\x1b[2J", "\x7f",
	};
	char body[256];
	struct result r;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), FIELD("a", "%s") CLOSE, bad[i]);
		if (parse(state, body, &r) != HTTP_EBAD)
			fail_msg("accepted value \"%s\"", bad[i]);
		assert_non_null(strstr(r.why, "field value"));
	}
	/* A NUL byte in a field value. */
	len = (size_t)snprintf(body, sizeof(body), FIELD("a", "x#y") CLOSE);
	*strchr(body, '#') = '\0';
	assert_int_equal(parse_lim(state, CT, body, len, NULL, &r), HTTP_EBAD);
	/* The same bytes in a file are fine. */
	assert_int_equal(parse(state, FILE_("f", "x", "text/plain",
	    "\xff\xc3\x01") CLOSE, &r), HTTP_OK);
	assert_int_equal(r.files[0].len, 3);
}

static void
test_bad_field_name(void **state)
{
	assert_bad(state, FIELD("a\tb", "1") CLOSE, "field name");
	assert_bad(state, FIELD("\xff", "1") CLOSE, NULL);
	assert_bad(state, FIELD("\xc2\x85", "1") CLOSE, NULL);
}

/* ---- limits ---- */

static void
test_default_limits(void **state)
{
	(void)state;
	assert_int_equal(multipart_default_limits.max_parts, 64);
	assert_int_equal(multipart_default_limits.max_name, 128);
	assert_int_equal(multipart_default_limits.max_filename, 255);
	assert_int_equal(multipart_default_limits.max_field_value, 64 * 1024);
	assert_int_equal(multipart_default_limits.max_file, 10 * 1024 * 1024);
	assert_int_equal(multipart_default_limits.max_total_files,
	    20 * 1024 * 1024);
	assert_int_equal(multipart_default_limits.max_header_bytes, 4096);
}

static void
test_too_many_parts(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] = FIELD("a", "1") FIELD("b", "2")
	    FILE_("f", "", "application/octet-stream", "") CLOSE;
	struct result r;

	lim.max_parts = 3;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	assert_int_equal(r.nf, 2);
	/* The skipped empty file input counts too. */
	lim.max_parts = 2;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
	assert_non_null(strstr(r.why, "too many parts"));
}

static void
test_too_many_parts_default(void **state)
{
	static const char part[] = FIELD("a", "1");
	struct result r;
	char *body;
	size_t plen = sizeof(part) - 1, len, i;

	/* 65 parts, and a bad 66th that is never looked at. */
	len = 66 * plen + sizeof(CLOSE) - 1;
	body = arena_alloc(*state, len + 1);
	assert_non_null(body);
	for (i = 0; i < 66; i++)
		memcpy(body + i * plen, part, plen);
	memcpy(body + 65 * plen, "--XyZ\r\nbad\r\n\r\n\r\n", 16);
	memcpy(body + 66 * plen, CLOSE, sizeof(CLOSE) - 1);
	assert_int_equal(parse_lim(state, CT, body, len, NULL, &r),
	    HTTP_ETOOBIG);
	/* 64 parts are fine. */
	memcpy(body + 64 * plen, CLOSE, sizeof(CLOSE) - 1);
	assert_int_equal(parse_lim(state, CT, body,
	    64 * plen + sizeof(CLOSE) - 1, NULL, &r), HTTP_OK);
	assert_int_equal(r.nf, 64);
}

static void
test_file_too_big(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] =
	    FILE_("f", "a", "text/plain", "12345") CLOSE;
	struct result r;

	lim.max_file = 5;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_false(r.files[0].too_big);
	/* One step over: listed with its name and size but no data, for the form to answer. */
	lim.max_file = 4;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	assert_int_equal(r.nfiles, 1);
	assert_true(r.files[0].too_big);
	assert_null(r.files[0].data);
	assert_int_equal(r.files[0].len, 5);
	assert_string_equal(r.files[0].filename, "a");
	assert_string_equal(r.files[0].field, "f");
}

static void
test_file_too_big_does_not_count_together(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] =
	    FILE_("f", "a", "text/plain", "123456")
	    FILE_("g", "b", "text/plain", "1234")
	    CLOSE;
	struct result r;

	lim.max_file = 5;
	lim.max_total_files = 4;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	assert_int_equal(r.nfiles, 2);
	assert_true(r.files[0].too_big);
	assert_false(r.files[1].too_big);
}

static void
test_files_too_big_together(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] =
	    FILE_("f", "a", "text/plain", "12345")
	    FILE_("f", "b", "text/plain", "1234")
	    CLOSE;
	struct result r;

	lim.max_file = 5;
	lim.max_total_files = 9;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	assert_int_equal(r.nfiles, 2);
	lim.max_total_files = 8;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
	assert_non_null(strstr(r.why, "together"));
}

static void
test_field_limits(void **state)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char body[] = FIELD("abcd", "12345678") CLOSE;
	struct result r;

	lim.max_name = 4;
	lim.max_field_value = 8;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_OK);
	lim.max_name = 3;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
	assert_non_null(strstr(r.why, "name too long"));
	lim.max_name = 4;
	lim.max_field_value = 7;
	assert_int_equal(parse_lim(state, CT, body, sizeof(body) - 1, &lim,
	    &r), HTTP_ETOOBIG);
	assert_non_null(strstr(r.why, "value too long"));
	/* The value limit is for fields; a file of that size is fine. */
	assert_int_equal(parse_lim(state, CT,
	    FILE_("abcd", "x", "text/plain", "12345678") CLOSE,
	    sizeof(FILE_("abcd", "x", "text/plain", "12345678") CLOSE) - 1,
	    &lim, &r), HTTP_OK);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_normal_upload),
		T(test_several_files),
		T(test_field_and_file_mix),
		T(test_empty_file_chosen_skipped),
		T(test_empty_filename_with_content),
		T(test_empty_file_with_name_kept),
		T(test_file_default_content_type),
		T(test_file_content_type_normalised),
		T(test_bad_part_content_type),
		T(test_quoted_boundary),
		T(test_boundary_parameter_forms),
		T(test_boundary_length),
		T(test_is_form_data),
		T(test_missing_closing_delimiter),
		T(test_no_delimiter_at_all),
		T(test_zero_parts),
		T(test_preamble_and_epilogue),
		T(test_transport_padding),
		T(test_garbage_after_delimiter),
		T(test_boundary_in_data),
		T(test_boundary_near_miss_is_data),
		T(test_crlf_vs_lf),
		T(test_headers_only_part),
		T(test_header_too_long),
		T(test_ignored_headers_count),
		T(test_header_flood_default),
		T(test_header_syntax),
		T(test_header_names_case_insensitive),
		T(test_content_disposition),
		T(test_quoted_string_escapes),
		T(test_transfer_encoding),
		T(test_bad_filename),
		T(test_filename_path_removed),
		T(test_filename_too_long),
		T(test_invalid_utf8_in_field),
		T(test_bad_field_name),
		T(test_default_limits),
		T(test_too_many_parts),
		T(test_too_many_parts_default),
		T(test_file_too_big),
		T(test_file_too_big_does_not_count_together),
		T(test_files_too_big_together),
		T(test_field_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
