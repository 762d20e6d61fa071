/* csv.c — CSV cells (RFC 4180), never a formula when a spreadsheet opens them. */
#include "csv.h"
#include <string.h>
#include "buf.h"

void
csv_cell(struct buf *b, const char *s, int last)
{
	buf_puts(b, "\"");
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		buf_puts(b, "'");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_puts(b, "\"");
		buf_append(b, s, 1);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}
