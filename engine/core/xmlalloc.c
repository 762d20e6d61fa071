/* xmlalloc.c — see xmlalloc.h. */
#include "xmlalloc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>

#if defined(__SANITIZE_ADDRESS__)
#define XMLALLOC_LIBC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XMLALLOC_LIBC 1
#endif
#endif

#ifndef XMLALLOC_LIBC

#define GRAIN 16                 /* the header's size, and malloc's alignment on x86-64 */
#define CLASSES 32               /* sizes up to CLASSES * GRAIN = 512 bytes are cached */
#define CAP 8192                 /* blocks kept per class and thread */
#define LARGE 0xffffu

/* Before every block; keeps the block aligned as malloc's own. */
union header {
	struct {
		uint16_t cls;    /* size class + 1, or LARGE */
	} h;
	max_align_t align;
};

struct freed {
	struct freed *next;
};

struct cache {
	struct freed *head[CLASSES];
	unsigned count[CLASSES];
};

static _Thread_local struct cache cache;

static void *
xa_malloc(size_t n)
{
	union header *h;
	size_t c = n == 0 ? 0 : (n - 1) / GRAIN;
	struct freed *f;

	if (c < CLASSES) {
		if ((f = cache.head[c]) != NULL) {
			cache.head[c] = f->next;
			cache.count[c]--;
			return f;
		}
		if ((h = malloc(sizeof(*h) + (c + 1) * GRAIN)) == NULL)
			return NULL;
		h->h.cls = (uint16_t)(c + 1);
		return h + 1;
	}
	if (n > SIZE_MAX - sizeof(*h) || (h = malloc(sizeof(*h) + n)) == NULL)
		return NULL;
	h->h.cls = LARGE;
	return h + 1;
}

static void
xa_free(void *p)
{
	union header *h;
	struct freed *f = p;
	size_t c;

	if (p == NULL)
		return;
	h = (union header *)p - 1;
	if (h->h.cls != LARGE) {
		c = h->h.cls - 1u;
		if (cache.count[c] < CAP) {
			f->next = cache.head[c];
			cache.head[c] = f;
			cache.count[c]++;
			return;
		}
	}
	free(h);
}

static void *
xa_realloc(void *p, size_t n)
{
	union header *h;
	size_t have;
	void *q;

	if (p == NULL)
		return xa_malloc(n);
	h = (union header *)p - 1;
	if (h->h.cls == LARGE) {
		if (n > SIZE_MAX - sizeof(*h) || (h = realloc(h, sizeof(*h) + n)) == NULL)
			return NULL;
		return h + 1;
	}
	have = (size_t)h->h.cls * GRAIN;
	if (n <= have && n > have - GRAIN)
		return p;
	if ((q = xa_malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, n < have ? n : have);
	xa_free(p);
	return q;
}

static char *
xa_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d;

	if ((d = xa_malloc(n)) != NULL)
		memcpy(d, s, n);
	return d;
}

int
xmlalloc_install(void)
{
	return xmlMemSetup(xa_free, xa_malloc, xa_realloc, xa_strdup) == 0 ? 0 : -1;
}

void
xmlalloc_thread_end(void)
{
	struct freed *f;

	for (size_t c = 0; c < CLASSES; c++) {
		while ((f = cache.head[c]) != NULL) {
			cache.head[c] = f->next;
			free((union header *)(void *)f - 1);
		}
		cache.count[c] = 0;
	}
}

#else

int
xmlalloc_install(void)
{
	return 0;
}

void
xmlalloc_thread_end(void)
{
}

#endif
