/*
 * file.h — reading a whole trusted file (a migration, a definition) into an
 * arena, with a cap on its size.
 */
#ifndef IMIFLOW_FILE_H
#define IMIFLOW_FILE_H

#include <stddef.h>

struct arena;

/*
 * The file's bytes, NUL-terminated, from the arena; *len gets their count.
 * NULL with errno set on failure: EFBIG when the file holds more than max bytes.
 */
char *file_read(struct arena *a, const char *path, size_t max, size_t *len);

#endif
