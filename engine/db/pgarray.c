/* pgarray.c — see pgarray.h. */
#include "pgarray.h"

#include "arena.h"
#include "buf.h"

const char *
pg_text_array(struct arena *a, const char *const *v, size_t n)
{
	struct buf b;
	const char *out;

	buf_init(&b);
	buf_puts(&b, "{");
	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, i ? ",\"" : "\"");
		for (const char *p = v[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_puts(&b, "\\");
			buf_append(&b, p, 1);
		}
		buf_puts(&b, "\"");
	}
	buf_puts(&b, "}");
	out = buf_ok(&b) ? arena_strdup(a, b.data) : NULL;
	buf_release(&b);
	return out;
}
