/*
 * filetype.h — which uploaded files are taken (ASVS 5.0 5.2.2, 1.3.4): an allowlist of types
 * by file-name extension, each checked against the file's first bytes (its magic), so a file
 * is taken only when its name and its content agree on a type of the list.  The list is the
 * serve option upload-types (README.md "Errors and input checks"); SVG, HTML, scripts and
 * executables are no type this module knows, so no list can let them in.  An accepted file
 * is stored with the type's own Content-Type, not the one the browser sent, and is only ever
 * downloaded as an attachment (pages/page_instance.c).
 */
#ifndef IMIFLOW_FILETYPE_H
#define IMIFLOW_FILETYPE_H

#include <stddef.h>

/* The default list: PDF, images, office documents (OOXML, OpenDocument, legacy), text, mail. */
#define FILETYPE_DEFAULT "pdf png jpg jpeg gif tif tiff txt csv rtf doc docx xls xlsx ppt pptx " \
	"odt ods odp msg eml"

/*
 * Sets the process's list from extensions separated by spaces or commas (any case), before
 * threads start; NULL or "" is FILETYPE_DEFAULT.  0, or -1 when one is not a type this module
 * knows (nothing changed; the name in unknown[64]).
 */
int filetype_configure(const char *list, char unknown[64]);

/*
 * 1 when filename's extension is on the list and data[0..len) begins as that type does (text
 * types: valid UTF-8 without NUL or other controls than tab, CR, LF, FF); 0 if not.
 */
int filetype_allowed(const char *filename, const unsigned char *data, size_t len);

/* The Content-Type of filename's type ("application/pdf"), or NULL when it is none known. */
const char *filetype_content_type(const char *filename);

/* The list in force, as configured (for the page that says what is taken). */
const char *filetype_list(void);

#endif
