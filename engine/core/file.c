/* file.c — see file.h. */
#include "file.h"

#include <errno.h>
#include <stdio.h>

#include "arena.h"

char *
file_read(struct arena *a, const char *path, size_t max, size_t *len)
{
	FILE *f;
	char *p = NULL;
	size_t n;
	int saved = 0;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	/* Read one byte past the cap: that is how a file too large shows itself. */
	if ((p = arena_alloc(a, max + 2)) == NULL) {
		saved = ENOMEM;
		goto out;
	}
	while (*len <= max && (n = fread(p + *len, 1, max + 1 - *len, f)) > 0)
		*len += n;
	if (ferror(f))
		saved = EIO;
	else if (*len > max)
		saved = EFBIG;
	else
		p[*len] = '\0';
out:
	fclose(f);
	if (saved != 0) {
		errno = saved;
		return NULL;
	}
	return p;
}
