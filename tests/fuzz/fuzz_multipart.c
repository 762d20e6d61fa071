/*
 * fuzz_multipart.c — libFuzzer target for the multipart/form-data parser
 * (engine/web/multipart.c).
 *
 * Input layout, so that seeds stay readable and writable by hand:
 *
 *	byte 0		flags: bit 0 selects tiny limits, which the fuzzer
 *			reaches far more often than the defaults
 *	then		the Content-Type value, ended by '\n' (a NUL byte
 *			cuts it, as it would a C string)
 *	the rest	the body, in a buffer of exactly its size, so that
 *			reading past it is caught
 *
 * Besides crashes and sanitizer reports, the target checks what
 * multipart.h promises about a successful parse (limits, valid text,
 * filenames without paths, file data inside the body and in body order,
 * files over max_file named without data)
 * and aborts when a promise is broken, so a silent logic error is a
 * finding too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"
#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(e) do {							\
	if (!(e)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s\n",		\
		    __FILE__, __LINE__, #e);				\
		abort();						\
	}								\
} while (0)

static const struct multipart_limits tiny = {
	.max_parts = 4,
	.max_name = 8,
	.max_filename = 12,
	.max_field_value = 16,
	.max_file = 32,
	.max_total_files = 48,
	.max_header_bytes = 96,
};

/* A name or filename: valid UTF-8 without any control character. */
static void
check_plain(const char *s, size_t max)
{
	size_t len;

	CHECK(s != NULL);
	len = strlen(s);
	CHECK(len >= 1 && len <= max);
	CHECK(http_valid_text(s, len));
	CHECK(strpbrk(s, "\t\r\n") == NULL);
}

static void
check_type(const char *t)
{
	size_t n;

	CHECK(t != NULL);
	n = strcspn(t, "/");
	CHECK(n > 0 && t[n] == '/' && t[n + 1] != '\0');
	CHECK(strchr(t + n + 1, '/') == NULL);
	CHECK(strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789"
	    "!#$%&'*+-.^_`|~/") == strlen(t));
}

static void
check_ok(const struct multipart_limits *lim, const char *ct,
    const char *body, size_t len, const struct http_field *f, size_t nf,
    const struct multipart_file *fl, size_t nfl)
{
	const unsigned char *prev_end = (const unsigned char *)body;
	size_t i, total = 0;

	CHECK(multipart_is_form_data(ct));
	CHECK(nf <= lim->max_parts && nfl <= lim->max_parts);
	CHECK(nf + nfl <= lim->max_parts);
	CHECK(nf == 0 || f != NULL);
	CHECK(nfl == 0 || fl != NULL);
	for (i = 0; i < nf; i++) {
		check_plain(f[i].name, lim->max_name);
		CHECK(f[i].value != NULL);
		CHECK(strlen(f[i].value) == f[i].valuelen);
		CHECK(f[i].valuelen <= lim->max_field_value);
		CHECK(http_valid_text(f[i].value, f[i].valuelen));
		/* A copy, never a pointer into the body. */
		CHECK((uintptr_t)f[i].value < (uintptr_t)body ||
		    (uintptr_t)f[i].value >= (uintptr_t)body + len);
	}
	for (i = 0; i < nfl; i++) {
		check_plain(fl[i].field, lim->max_name);
		check_plain(fl[i].filename, lim->max_filename);
		CHECK(strpbrk(fl[i].filename, "/\\") == NULL);
		CHECK(strcmp(fl[i].filename, ".") != 0 &&
		    strcmp(fl[i].filename, "..") != 0);
		check_type(fl[i].content_type);
		/* Too big: named with its size for the form, its bytes not handed out. */
		if (fl[i].too_big) {
			CHECK(fl[i].len > lim->max_file);
			CHECK(fl[i].data == NULL);
			CHECK(fl[i].len <= len);
			continue;
		}
		CHECK(fl[i].len <= lim->max_file);
		total += fl[i].len;
		CHECK(total <= lim->max_total_files);
		/* Inside the body, after the previous file. */
		CHECK(fl[i].data != NULL);
		CHECK(fl[i].data >= prev_end);
		CHECK(fl[i].len <= len - (size_t)(fl[i].data -
		    (const unsigned char *)body));
		prev_end = fl[i].data + fl[i].len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct multipart_limits *lim;
	struct http_field *f = (struct http_field *)1;
	struct multipart_file *fl = (struct multipart_file *)1;
	struct arena *a = NULL;
	const uint8_t *nl;
	const char *why;
	char *ct = NULL, *body = NULL;
	size_t ctlen, len, nf = 99, nfl = 99;
	enum http_err rc;

	if (size == 0)
		return 0;
	lim = (data[0] & 1) ? &tiny : &multipart_default_limits;
	data++;
	size--;

	nl = memchr(data, '\n', size);
	ctlen = nl == NULL ? size : (size_t)(nl - data);
	if ((ct = malloc(ctlen + 1)) == NULL)
		goto out;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	len = nl == NULL ? 0 : size - ctlen - 1;
	if (len > 0) {
		if ((body = malloc(len)) == NULL)
			goto out;
		memcpy(body, nl + 1, len);
	}

	if ((a = arena_new()) == NULL)
		goto out;
	why = NULL;
	rc = multipart_parse(a, ct, body, len, lim, &f, &nf, &fl, &nfl, &why);
	if (rc == HTTP_OK)
		check_ok(lim, ct, body, len, f, nf, fl, nfl);
	else {
		CHECK(rc == HTTP_EBAD || rc == HTTP_ETOOBIG ||
		    rc == HTTP_ENOMEM);
		CHECK(why != NULL);
		CHECK(f == NULL && nf == 0 && fl == NULL && nfl == 0);
	}
out:
	arena_free(a);
	free(body);
	free(ct);
	return 0;
}
