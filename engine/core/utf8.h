/*
 * utf8.h — decoding UTF-8 strictly (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF.  The one decoder behind every rule
 * about untrusted text (web/httplex.c for requests, core/textcheck.c for
 * fields), so they never disagree on what a character is.
 */
#ifndef IMIFLOW_UTF8_H
#define IMIFLOW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The code point of s[*i..len), *i moved past it; -1 for bad UTF-8 (*i unmoved). *i < len. */
int32_t utf8_next(const unsigned char *s, size_t len, size_t *i);

/* Characters (code points), not bytes, of valid UTF-8 s: "at most 300 characters" as people count. */
size_t utf8_chars(const char *s);

#endif
