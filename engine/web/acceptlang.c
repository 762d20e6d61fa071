/* acceptlang.c — see acceptlang.h. */
#include "acceptlang.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

/* Offered languages beyond this many are not considered (we have four). */
#define MAX_OFFERED	16

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static size_t
skip_ows(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* 1*8 letters (or letters and digits) from s[*i]: their count, 0 if none or too many. */
static size_t
subtag(const char *s, size_t *i, size_t n, int digits)
{
	size_t start = *i;

	while (*i < n && (is_alpha((unsigned char)s[*i]) || (digits && is_digit((unsigned char)s[*i]))))
		(*i)++;
	return *i - start <= 8 ? *i - start : 0;
}

/*
 * A qvalue (RFC 9110 §12.4.2) at s[*i] in thousandths: "0", "0.5", "1.000";
 * -1 when malformed ("1.5", "0.1234", ".5").
 */
static int
qvalue(const char *s, size_t *i, size_t n)
{
	int q, scale = 100, digits = 0;

	if (*i >= n || (s[*i] != '0' && s[*i] != '1'))
		return -1;
	q = s[(*i)++] == '1' ? 1000 : 0;
	if (*i < n && s[*i] == '.') {
		for ((*i)++; *i < n && is_digit((unsigned char)s[*i]); (*i)++, scale /= 10) {
			if (++digits > 3 || (q == 1000 && s[*i] != '0'))
				return -1;
			q += (s[*i] - '0') * scale;
		}
	}
	return q;
}

/*
 * One element "range [; q=qvalue]" from s[*i] up to the next ',' (consumed).
 * Returns 1 with the range's primary subtag in *tag, *taglen (*taglen 0 for "*")
 * and its weight in *q, or 0 for an empty or malformed element.
 */
static int
element(const char *s, size_t *i, size_t n, const char **tag, size_t *taglen, int *q)
{
	size_t j = skip_ows(s, *i, n);
	int ok = 1;

	*q = 1000;
	*tag = s + j;
	*taglen = 0;
	if (j < n && s[j] == '*') {
		j++;
	} else if ((*taglen = subtag(s, &j, n, 0)) == 0) {
		ok = 0;
	} else {
		while (ok && j < n && s[j] == '-') {
			j++;
			ok = subtag(s, &j, n, 1) > 0;
		}
	}
	j = skip_ows(s, j, n);
	if (ok && j < n && s[j] == ';') {
		j = skip_ows(s, j + 1, n);
		if (j + 1 < n && (s[j] == 'q' || s[j] == 'Q') && s[j + 1] == '=') {
			j += 2;
			ok = (*q = qvalue(s, &j, n)) >= 0;
			j = skip_ows(s, j, n);
		} else {
			ok = 0;     /* a parameter other than q: not a language range we understand */
		}
	}
	if (j < n && s[j] != ',')
		ok = 0;
	while (j < n && s[j] != ',')
		j++;
	*i = j < n ? j + 1 : j;
	return ok;
}

const char *
acceptlang_best(const char *hdr, const char *const *offered)
{
	int weight[MAX_OFFERED], pos[MAX_OFFERED], star_q = -1, star_pos = 0, q;
	size_t n, i = 0, noffered = 0, taglen;
	const char *tag, *best = NULL;
	int best_w = 0, best_pos = 0;

	if (hdr == NULL || offered == NULL)
		return NULL;
	while (noffered < MAX_OFFERED && offered[noffered] != NULL) {
		weight[noffered] = -1;
		pos[noffered++] = 0;
	}
	/* A longer header is read up to its last ',' in the limit: a cut range is no range. */
	if ((n = strnlen(hdr, ACCEPTLANG_MAX_BYTES + 1)) > ACCEPTLANG_MAX_BYTES)
		for (n = ACCEPTLANG_MAX_BYTES; n > 0 && hdr[n - 1] != ','; n--)
			;
	for (int e = 0; i < n && e < ACCEPTLANG_MAX_RANGES; e++) {
		if (!element(hdr, &i, n, &tag, &taglen, &q))
			continue;
		if (taglen == 0) {
			if (q > star_q) {
				star_q = q;
				star_pos = e;
			}
			continue;
		}
		for (size_t k = 0; k < noffered; k++)
			if (strlen(offered[k]) == taglen && strncasecmp(offered[k], tag, taglen) == 0 &&
			    q > weight[k]) {
				weight[k] = q;
				pos[k] = e;
			}
	}
	for (size_t k = 0; k < noffered; k++) {
		int w = weight[k] >= 0 ? weight[k] : star_q;
		int p = weight[k] >= 0 ? pos[k] : star_pos;

		if (w > 0 && (best == NULL || w > best_w || (w == best_w && p < best_pos))) {
			best = offered[k];
			best_w = w;
			best_pos = p;
		}
	}
	return best;
}

const char *
acceptlang_page(const char *hdr)
{
	const char *offered[MAX_OFFERED + 1], *best;
	const char *const *langs = i18n_langs();
	size_t n = 0;

	/* English first: "*" and equal weights fall to it, as does everything else. */
	if (i18n_has_lang("en"))
		offered[n++] = "en";
	for (size_t i = 0; langs != NULL && langs[i] != NULL && n < MAX_OFFERED; i++)
		if (strcmp(langs[i], "en") != 0)
			offered[n++] = langs[i];
	offered[n] = NULL;
	best = acceptlang_best(hdr, offered);
	return best != NULL ? best : "en";
}
