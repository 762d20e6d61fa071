/*
 * acceptlang.h — the language a browser asks for, from its Accept-Language
 * header (RFC 9110 §12.5.4), among the languages we have.  The header is
 * untrusted input: only its first ACCEPTLANG_MAX_BYTES bytes (up to the last
 * ',' in them when the header is longer) and ACCEPTLANG_MAX_RANGES ranges are
 * read, a malformed range is skipped (not the whole header), and nothing is
 * allocated.
 *
 * A range matches an offered language by its primary subtag, case-insensitively
 * ("da-DK" and "DA" both match "da"); a language's weight is the highest q of
 * the ranges that name it, or the q of "*" when none does; q=0 refuses it.
 * The heaviest wins; on equal weight the one named first in the header, and
 * those reached only through "*" in the order of offered.
 */
#ifndef IMIFLOW_ACCEPTLANG_H
#define IMIFLOW_ACCEPTLANG_H

#define ACCEPTLANG_MAX_BYTES	1024
#define ACCEPTLANG_MAX_RANGES	32

/*
 * The element of offered (NULL-terminated, lower-case primary tags such as
 * "en") that hdr prefers, or NULL when hdr is NULL or empty, names none of
 * them and has no "*", or refuses them all.
 */
const char *acceptlang_best(const char *hdr, const char *const *offered);

/*
 * The language of a page for nobody signed in: the best of the loaded
 * catalogues (i18n.h) for hdr, English first among equals, else "en".
 */
const char *acceptlang_page(const char *hdr);

#endif
