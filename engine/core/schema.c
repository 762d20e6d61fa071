/* schema.c — see schema.h. */
#include "schema.h"

#include <string.h>

const struct schema_blob *
schema_find(const char *name)
{
	for (const struct schema_blob *b = schema_blobs; b->name != NULL; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}
