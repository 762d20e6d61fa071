/*
 * fuzz.h — what the libFuzzer targets share: CHECK, which aborts on a broken
 * promise (so a silent logic error is a finding too), and the data directory
 * the XML readers validate against (schemas, modules.xml).
 */
#ifndef IMIFLOW_FUZZ_H
#define IMIFLOW_FUZZ_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(e) do {							\
	if (!(e)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s\n",		\
		    __FILE__, __LINE__, #e);				\
		abort();						\
	}								\
} while (0)

/* $IMIFLOW_DATADIR (./check sets it to the source tree), else the one compiled in. */
static inline const char *
fuzz_datadir(void)
{
	const char *d = getenv("IMIFLOW_DATADIR");

#ifdef FUZZ_DATADIR
	if (d == NULL || *d == '\0')
		d = FUZZ_DATADIR;
#endif
	if (d == NULL || *d == '\0') {
		fprintf(stderr, "fuzz: set IMIFLOW_DATADIR to the source tree\n");
		abort();
	}
	return d;
}

#endif
