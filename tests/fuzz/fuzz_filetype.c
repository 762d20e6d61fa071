/*
 * fuzz_filetype.c — libFuzzer target for the upload allowlist (engine/core/filetype.c):
 * a file's name and first bytes, as an upload brings them, and the list of the serve option
 * upload-types.
 *
 * Input: byte 0 picks the file name's extension from names[] (and, with its high bit, the
 * list: the default or a short one); the rest is the file's content.  A second reading takes
 * the content up to the first NUL byte as the whole file name.  Checks what filetype.h
 * promises: a file taken has an extension of the list, a Content-Type, a content that begins
 * with its type's magic (text: valid UTF-8 without NUL); SVG, HTML, scripts, executables and
 * a name without an extension are never taken; the answer is stable.
 */
#include <string.h>
#include <strings.h>

#include "filetype.h"
#include "fuzz.h"

static const char *const names[] = {
	"a.pdf", "a.PNG", "a.jpg", "a.jpeg", "a.gif", "a.tif", "a.tiff", "a.txt", "a.csv",
	"a.eml", "a.rtf", "a.docx", "a.xlsx", "a.pptx", "a.odt", "a.ods", "a.odp", "a.doc",
	"a.xls", "a.ppt", "a.msg", "a.svg", "a.html", "a.htm", "a.js", "a.exe", "a", "a.",
	"a.pdf.svg", "a.svg.pdf", ".pdf", "a.PdF",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static int
never(const char *name)
{
	static const char *const bad[] = { "svg", "html", "htm", "js", "exe" };
	const char *dot = strrchr(name, '.');

	if (dot == NULL || dot[1] == '\0')
		return 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcasecmp(dot + 1, bad[i]) == 0)
			return 1;
	return 0;
}

static void
check(const char *name, const unsigned char *d, size_t n, int short_list)
{
	int ok = filetype_allowed(name, d, n);
	const char *ext = strrchr(name, '.');

	CHECK(ok == filetype_allowed(name, d, n));
	if (!ok)
		return;
	CHECK(!never(name));
	CHECK(filetype_content_type(name) != NULL);
	if (short_list)
		CHECK(strcasecmp(ext, ".pdf") == 0 || strcasecmp(ext, ".txt") == 0);
	if (strcasecmp(ext, ".pdf") == 0)
		CHECK(n >= 5 && memcmp(d, "%PDF-", 5) == 0);
	if (strcasecmp(ext, ".txt") == 0 || strcasecmp(ext, ".csv") == 0)
		CHECK(memchr(d, '\0', n) == NULL);
	if (strcasecmp(ext, ".docx") == 0)
		CHECK(n >= 4 && memcmp(d, "PK\x03\x04", 4) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char unknown[64], name[256];
	int short_list;
	size_t n;

	if (size == 0)
		return 0;
	short_list = (data[0] & 0x80) != 0;
	CHECK(filetype_configure(short_list ? "pdf,txt" : NULL, unknown) == 0);
	check(names[(data[0] & 0x7f) % NNAMES], data + 1, size - 1, short_list);
	/* The content's first line as the file name, the rest as the file. */
	for (n = 0; n + 1 < size && n < sizeof(name) - 1 && data[n + 1] != '\0' &&
	    data[n + 1] != '\n'; n++)
		name[n] = (char)data[n + 1];
	name[n] = '\0';
	check(name, data + 1 + n, size - 1 - n, short_list);
	/* The list itself, as an operator types it. */
	if (size > 1 && size < 200) {
		char list[200];
		memcpy(list, data + 1, size - 1);
		list[size - 1] = '\0';
		if (filetype_configure(list, unknown) == 0)
			CHECK(strcmp(filetype_list(), list[0] ? list : FILETYPE_DEFAULT) == 0 ||
			    list[strspn(list, " ,\t")] == '\0');
		else
			CHECK(unknown[0] != '\0');
	}
	return 0;
}
