/*
 * collect.h — the findings of a parse or lint, kept for a unit test to
 * assert on (the first 16 lines and messages, and how many there were).
 */
#ifndef IMIFLOW_TEST_COLLECT_H
#define IMIFLOW_TEST_COLLECT_H

struct collected {
	int n;
	int line[16];
	char msg[16][256];
};

/* A findings_fn: arg is a struct collected (zeroed by the caller). */
void collect(void *arg, const char *file, int line, const char *msg);

#endif
