/*
 * pgarray.h — a PostgreSQL text[] literal built from strings, to pass as one
 * parameter ($n::text[]): every element quoted, '"' and '\' escaped, so no
 * value can change the array's shape.
 */
#ifndef IMIFLOW_PGARRAY_H
#define IMIFLOW_PGARRAY_H

#include <stddef.h>

struct arena;

/* "{"a","b\"c"}" in the arena; NULL on allocation failure. */
const char *pg_text_array(struct arena *a, const char *const *v, size_t n);

#endif
