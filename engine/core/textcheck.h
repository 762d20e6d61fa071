/*
 * textcheck.h — the rules every text a person types must keep before it is
 * stored: one-line fields (names, subjects, phone numbers), free texts, file
 * names of uploads, websites.  Each check answers the name of the rule the
 * text breaks, which is also the suffix of the message a form shows at the
 * field (form.error.RULE, instance.error.RULE), or NULL when the text is
 * fine.  An empty text is fine: whether a field is required is the form's
 * business.
 *
 * The rules: "text" before any other, then the rule of the first character
 * that breaks one, then the others in this order:
 *   "text"     not valid UTF-8 (http.c already refuses it in requests)
 *   "one-line" a line break (LF or CR) in a one-line field or a file name
 *   "control"  a control character: C0 (tab too, except in free texts, which
 *              may hold tab, CR and LF), DEL, C1 (U+0080..U+009F)
 *   "bidi"     a bidirectional embedding, override or isolate (U+202A..U+202E,
 *              U+2066..U+2069): they make a name or a file name display as
 *              something else than it is ("invoice\u202Efdp.exe")
 *   "filename" "." or "..", or a path separator
 *   "website"  not an http:// or https:// address with a host
 *   "too-long" more than max characters (code points; max 0: no limit)
 */
#ifndef IMIFLOW_TEXTCHECK_H
#define IMIFLOW_TEXTCHECK_H

#include <stddef.h>

/* Longest file name kept for an upload, in bytes (what file systems allow). */
#define TEXTCHECK_FILENAME_MAX 255

/* A one-line field: a name, a subject, a phone number, a registration number. */
const char *textcheck_line(const char *s, size_t max);

/* A free text over several lines: tab, CR and LF allowed, bidi controls too. */
const char *textcheck_text(const char *s, size_t max);

/* The name of an uploaded file: one line, no bidi controls, no path. */
const char *textcheck_filename(const char *s);

/* A website: one line, http:// or https:// followed by a host. */
const char *textcheck_website(const char *s, size_t max);

#endif
