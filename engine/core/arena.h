/*
 * arena.h — per-request memory.
 *
 * A request (or a command-line run) owns one arena; everything allocated from it,
 * and every foreign object registered with arena_defer(), is released together by
 * arena_free().  Allocation failures return NULL and must be checked.
 */
#ifndef IMIFLOW_ARENA_H
#define IMIFLOW_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

void *arena_alloc(struct arena *a, size_t n);          /* zeroed */
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Run fn(ptr) when the arena is freed, last registered first. */
int arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

#endif
