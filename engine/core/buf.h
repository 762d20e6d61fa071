/*
 * buf.h — a growable byte buffer.  Like libpq's PQExpBuffer it turns "broken"
 * on allocation failure, every later append is a no-op, and the caller checks
 * buf_ok() once at the end instead of after every append.
 */
#ifndef IMIFLOW_BUF_H
#define IMIFLOW_BUF_H

#include <stddef.h>

struct buf {
	char *data;          /* always NUL-terminated when ok */
	size_t len, cap;
	int broken;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);        /* frees data; b may be reused after buf_init */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_ok(const struct buf *b);

#endif
