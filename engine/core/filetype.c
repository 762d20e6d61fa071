/* filetype.c — see filetype.h. */
#include "filetype.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

enum magic { M_PDF, M_PNG, M_JPEG, M_GIF, M_TIFF, M_ZIP, M_CFB, M_RTF, M_TEXT };

static const struct type {
	const char *ext;
	const char *mime;
	enum magic magic;
} types[] = {
	{ "pdf", "application/pdf", M_PDF },
	{ "png", "image/png", M_PNG },
	{ "jpg", "image/jpeg", M_JPEG },
	{ "jpeg", "image/jpeg", M_JPEG },
	{ "gif", "image/gif", M_GIF },
	{ "tif", "image/tiff", M_TIFF },
	{ "tiff", "image/tiff", M_TIFF },
	{ "txt", "text/plain; charset=utf-8", M_TEXT },
	{ "csv", "text/csv; charset=utf-8", M_TEXT },
	{ "eml", "message/rfc822", M_TEXT },
	{ "rtf", "application/rtf", M_RTF },
	/* Office Open XML and OpenDocument are ZIP containers; the legacy formats and Outlook's
	 * .msg are Compound File Binary. */
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", M_ZIP },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", M_ZIP },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", M_ZIP },
	{ "odt", "application/vnd.oasis.opendocument.text", M_ZIP },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet", M_ZIP },
	{ "odp", "application/vnd.oasis.opendocument.presentation", M_ZIP },
	{ "doc", "application/msword", M_CFB },
	{ "xls", "application/vnd.ms-excel", M_CFB },
	{ "ppt", "application/vnd.ms-powerpoint", M_CFB },
	{ "msg", "application/vnd.ms-outlook", M_CFB },
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/* Which of types[] the list allows; all of FILETYPE_DEFAULT until configured. */
static unsigned char allowed[NTYPES];
static int configured;
static char list_text[512];

static const struct type *
type_of(const char *filename)
{
	const char *dot = filename != NULL ? strrchr(filename, '.') : NULL;

	if (dot == NULL || dot[1] == '\0')
		return NULL;
	for (size_t i = 0; i < NTYPES; i++)
		if (strcasecmp(types[i].ext, dot + 1) == 0)
			return &types[i];
	return NULL;
}

int
filetype_configure(const char *list, char unknown[64])
{
	unsigned char want[NTYPES] = { 0 };
	const char *p, *e;
	size_t n, i;

	if (list == NULL || list[0] == '\0')
		list = FILETYPE_DEFAULT;
	for (p = list; *p != '\0'; p = e) {
		p += strspn(p, " ,\t");
		e = p + strcspn(p, " ,\t");
		if ((n = (size_t)(e - p)) == 0)
			continue;
		for (i = 0; i < NTYPES; i++)
			if (strlen(types[i].ext) == n && strncasecmp(types[i].ext, p, n) == 0)
				break;
		if (i == NTYPES) {
			snprintf(unknown, 64, "%.*s", (int)(n < 63 ? n : 63), p);
			return -1;
		}
		want[i] = 1;
	}
	memcpy(allowed, want, sizeof(allowed));
	snprintf(list_text, sizeof(list_text), "%s", list);
	configured = 1;
	return 0;
}

static int
is_text(const unsigned char *d, size_t len)
{
	size_t i = 0;
	int32_t c;

	while (i < len) {
		if ((c = utf8_next(d, len, &i)) < 0)
			return 0;
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f') || c == 0x7f)
			return 0;
	}
	return 1;
}

static int
begins(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

static int
content_is(enum magic m, const unsigned char *d, size_t len)
{
	switch (m) {
	case M_PDF:
		return begins(d, len, "%PDF-", 5);
	case M_PNG:
		return begins(d, len, "\x89PNG\r\n\x1a\n", 8);
	case M_JPEG:
		return begins(d, len, "\xff\xd8\xff", 3);
	case M_GIF:
		return begins(d, len, "GIF87a", 6) || begins(d, len, "GIF89a", 6);
	case M_TIFF:
		return begins(d, len, "II*\0", 4) || begins(d, len, "MM\0*", 4);
	case M_ZIP:
		return begins(d, len, "PK\x03\x04", 4);
	case M_CFB:
		return begins(d, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	case M_RTF:
		return begins(d, len, "{\\rtf", 5);
	case M_TEXT:
		return is_text(d, len);
	}
	return 0;
}

int
filetype_allowed(const char *filename, const unsigned char *data, size_t len)
{
	const struct type *t = type_of(filename);
	char unknown[64];

	if (!configured && filetype_configure(NULL, unknown) == -1)
		return 0;
	if (t == NULL || !allowed[t - types])
		return 0;
	return content_is(t->magic, data != NULL ? data : (const unsigned char *)"", data ? len : 0);
}

const char *
filetype_content_type(const char *filename)
{
	const struct type *t = type_of(filename);

	return t != NULL ? t->mime : NULL;
}

const char *
filetype_list(void)
{
	return configured ? list_text : FILETYPE_DEFAULT;
}
