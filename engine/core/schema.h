/*
 * schema.h — the RelaxNG schemas of workflows/ (workflow.rng, modules.rng,
 * questions.rng), compiled into the binary at build time, so the checkers
 * need no datadir for them: `imiflow lint` works from a build tree or from
 * anywhere.  The C that reads a document and the schema that admits it are
 * then always of the same version.  schema_blobs.c is generated from the
 * .rng files by make (build-aux/embed-schemas.sh); never edit it.
 */
#ifndef IMIFLOW_SCHEMA_H
#define IMIFLOW_SCHEMA_H

#include <stddef.h>

struct schema_blob {
	const char *name;                /* the file name in workflows/, e.g. "workflow.rng" */
	const unsigned char *text;       /* its bytes, NUL-terminated */
	size_t len;                      /* without the NUL */
};

/* Every compiled-in schema, ended by one whose name is NULL (schema_blobs.c). */
extern const struct schema_blob schema_blobs[];

/* The compiled-in schema of that file name, or NULL. */
const struct schema_blob *schema_find(const char *name);

#endif
