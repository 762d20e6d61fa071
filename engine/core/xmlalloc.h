/*
 * xmlalloc.h — the allocator libxml2 and libxslt use in the engine.
 *
 * A page builds a model tree, transforms it into a result tree and serialises that: some
 * thousand small allocations, all freed again at the end of the request.  glibc's per-thread
 * cache holds only seven blocks of a size, so most of them went through its arenas (a third
 * of the engine's instructions for a 50-row page were malloc and free).  Here each thread
 * keeps freed small blocks in lists of its own, per size class, and hands them out again
 * without a lock.  Blocks above the largest class, and blocks beyond a list's cap, go to
 * malloc and free as before.
 *
 * xmlalloc_install() must run before libxml2 allocates anything (first thing in main), so
 * every block libxml2 frees was allocated here.  Builds with AddressSanitizer keep libc's
 * allocator, which then sees every libxml2 block.
 */
#ifndef IMIFLOW_XMLALLOC_H
#define IMIFLOW_XMLALLOC_H

/* 0, or -1 when libxml2 refused the functions (it then keeps its own). */
int xmlalloc_install(void);

/* Gives the calling thread's cached blocks back to malloc: last thing a thread does. */
void xmlalloc_thread_end(void);

#endif
