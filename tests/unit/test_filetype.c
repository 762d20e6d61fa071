/* test_filetype.c — the upload allowlist: extension and first bytes must agree (core/filetype.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "filetype.h"

#define OK(name, bytes) filetype_allowed(name, (const unsigned char *)(bytes), sizeof(bytes) - 1)

static void
default_list(void **state)
{
	char unknown[64];

	(void)state;
	assert_int_equal(filetype_configure(NULL, unknown), 0);
	assert_true(OK("diploma.pdf", "%PDF-1.4 x"));
	assert_true(OK("DIPLOMA.PDF", "%PDF-1.7"));
	assert_true(OK("scan.png", "\x89PNG\r\n\x1a\nrest"));
	assert_true(OK("photo.JPG", "\xff\xd8\xff\xe0"));
	assert_true(OK("a.gif", "GIF89a..."));
	assert_true(OK("a.tif", "II*\0..."));
	assert_true(OK("letter.docx", "PK\x03\x04..."));
	assert_true(OK("letter.doc", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1..."));
	assert_true(OK("notes.txt", "Plain text, naïve, tab\there\r\n"));
	assert_true(OK("list.csv", "a;b\n1;2\n"));
	assert_true(OK("letter.rtf", "{\\rtf1 ..."));
	/* A name and a content that disagree. */
	assert_false(OK("diploma.pdf", "MZ\x90\0 an executable"));
	assert_false(OK("scan.png", "%PDF-1.4"));
	assert_false(OK("notes.txt", "binary\0zero"));
	assert_false(OK("notes.txt", "bad utf-8 \xc3\x28"));
	assert_false(OK("notes.txt", "escape \x1b[31m"));
	assert_false(OK("diploma.pdf", ""));
	/* Types no list can let in: SVG, HTML, scripts, executables, no extension. */
	assert_false(OK("drawing.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
	assert_false(OK("page.html", "<html>"));
	assert_false(OK("page.htm", "<html>"));
	assert_false(OK("tool.exe", "MZ"));
	assert_false(OK("script.js", "alert(1)"));
	assert_false(OK("README", "text"));
	assert_false(OK("trailing.", "text"));
	assert_false(OK("diploma.pdf.svg", "%PDF-1.4"));
	/* The type's own Content-Type, whatever the browser sent. */
	assert_string_equal(filetype_content_type("a.PDF"), "application/pdf");
	assert_string_equal(filetype_content_type("a.txt"), "text/plain; charset=utf-8");
	assert_null(filetype_content_type("a.svg"));
}

static void
configured_list(void **state)
{
	char unknown[64] = "";

	(void)state;
	assert_int_equal(filetype_configure("pdf, PNG", unknown), 0);
	assert_string_equal(filetype_list(), "pdf, PNG");
	assert_true(OK("a.pdf", "%PDF-"));
	assert_true(OK("a.png", "\x89PNG\r\n\x1a\n"));
	assert_false(OK("a.txt", "text"));
	assert_false(OK("a.docx", "PK\x03\x04"));
	/* An unknown name refuses the whole list and changes nothing. */
	assert_int_equal(filetype_configure("pdf svg", unknown), -1);
	assert_string_equal(unknown, "svg");
	assert_int_equal(filetype_configure("pdf exe", unknown), -1);
	assert_string_equal(unknown, "exe");
	assert_true(OK("a.png", "\x89PNG\r\n\x1a\n"));
	assert_int_equal(filetype_configure("", unknown), 0);
	assert_true(OK("a.txt", "text"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_list),
		cmocka_unit_test(configured_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
