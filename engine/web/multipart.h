/*
 * multipart.h — multipart/form-data request bodies (RFC 7578, framing from
 * RFC 2046), the encoding browsers use for file uploads.  Untrusted input:
 * parsed strictly, with limits, and a bad body fails the one request.
 */
#ifndef IMIFLOW_MULTIPART_H
#define IMIFLOW_MULTIPART_H

#include <stddef.h>

#include "httplex.h"

struct arena;

struct multipart_limits {
	size_t max_parts;        /* parts, skipped ones included */
	size_t max_name;         /* bytes of a field name */
	size_t max_filename;     /* bytes of a file name, path removed */
	size_t max_field_value;  /* bytes of a plain field's value */
	size_t max_file;         /* bytes of one file */
	size_t max_total_files;  /* bytes of all files together */
	size_t max_header_bytes; /* bytes of one part's header lines */
};

/* 64 parts, 128, 255, 64 KiB, 10 MiB, 20 MiB, 4 KiB. */
extern const struct multipart_limits multipart_default_limits;

struct multipart_file {
	const char *field;        /* the form field's name */
	const char *filename;     /* last path component, never empty */
	const char *content_type; /* "type/subtype" lowercased, parameters
				     dropped; application/octet-stream if none */
	const unsigned char *data;/* points into body: no copy, no NUL added;
				     NULL when too_big */
	size_t len;               /* bytes as sent, also when too_big */
	int too_big;              /* over max_file: named, not kept, so that the
				     form can say so at its field */
};

/*
 * Parses body[0..len) per the boundary parameter of content_type, which must
 * be multipart/form-data.  Plain fields go to *fields (NUL-terminated copies,
 * checked like urlencoded ones: a non-empty name without controls, a value of
 * valid UTF-8 without controls but tab, CR and LF), files (parts with a
 * filename parameter) to *files, both in body order.  A part with an empty
 * filename and no content is a file input left empty and is skipped.  A file
 * over max_file is listed with too_big set and no data (and does not count
 * towards max_total_files): one file too large is the person's mistake in one
 * field, which the form answers, not a broken request.
 *
 * Strict: CRLF line ends, the closing delimiter required, a delimiter that is
 * followed by anything but padding and CRLF (or "--") is an error rather than
 * data, Content-Disposition "form-data" with a name, no folded header lines,
 * no Content-Transfer-Encoding other than 7bit, 8bit or binary (nothing is
 * decoded).  Names and filenames are taken as sent, without percent-decoding.
 *
 * lim NULL means multipart_default_limits.  Returns HTTP_EBAD for a
 * malformed body, HTTP_ETOOBIG for an exceeded limit (files too big
 * together included, one file over max_file not: see above; the request
 * body as a whole is http.c's business), HTTP_ENOMEM; on error the outputs
 * are empty and *errmsg (if not NULL) gets a short static English reason
 * for the log.
 */
enum http_err multipart_parse(struct arena *a, const char *content_type,
    const char *body, size_t len, const struct multipart_limits *lim,
    struct http_field **fields, size_t *nfields,
    struct multipart_file **files, size_t *nfiles, const char **errmsg);

/* 1 if content_type's media type is multipart/form-data (any parameters). */
int multipart_is_form_data(const char *content_type);

#endif
