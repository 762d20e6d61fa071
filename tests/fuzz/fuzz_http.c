/*
 * fuzz_http.c — libFuzzer target for the request parser (engine/web/http.c).
 *
 * Input layout, so that seeds stay readable and writable by hand:
 *
 *	byte 0		flags: bit 0 selects tiny limits, which the fuzzer
 *			reaches far more often than the defaults
 *	then		up to NPARAM parameters, each ended by '\n', in the
 *			order of params[] below; an empty line means "absent"
 *			and a line cut by a NUL byte is what a C string of it is
 *	the rest	the request body
 *
 * An absent CONTENT_LENGTH is filled in with the body's true length: a
 * fuzzer seldom guesses a matching decimal number, and without it the body
 * parser would stay unreached.  Mismatches still come from explicit values.
 *
 * Besides crashes and sanitizer reports, the target checks what http.h
 * promises about a successful parse (valid text, limits, path shape) and
 * aborts when a promise is broken, so a silent logic error is a finding too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"
#include "request_form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(e) do {							\
	if (!(e)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s\n",		\
		    __FILE__, __LINE__, #e);				\
		abort();						\
	}								\
} while (0)

static const char *const params[] = {
	"REQUEST_METHOD",
	"DOCUMENT_URI",
	"QUERY_STRING",
	"CONTENT_TYPE",
	"CONTENT_LENGTH",
	"HTTP_COOKIE",
	"REQUEST_ID",
	"SCRIPT_NAME",
	"PATH_INFO",
	"HTTP_ACCEPT",
};
#define NPARAM (sizeof(params) / sizeof(params[0]))

static const struct http_limits tiny = {
	.max_body = 64,
	.max_fields = 4,
	.max_name = 8,
	.max_value = 16,
	.max_cookies = 3,
	.max_path = 32,
};

struct input {
	const char *value[NPARAM];
	char clen[32];
};

static const char *
param_get(const char *name, void *arg)
{
	struct input *in = arg;
	size_t i;

	for (i = 0; i < NPARAM; i++)
		if (strcmp(params[i], name) == 0)
			return in->value[i];
	return NULL;
}

static void
check_fields(const struct http_field *f, size_t n, size_t max,
    const struct http_limits *lim)
{
	size_t i, len;

	CHECK(n <= max);
	CHECK(n == 0 || f != NULL);
	for (i = 0; i < n; i++) {
		CHECK(f[i].name != NULL && f[i].value != NULL);
		len = strlen(f[i].name);
		CHECK(len > 0 && len <= lim->max_name);
		CHECK(http_valid_text(f[i].name, len));
		CHECK(strpbrk(f[i].name, "\t\r\n") == NULL);
		CHECK(strlen(f[i].value) == f[i].valuelen);
		CHECK(f[i].valuelen <= lim->max_value);
		CHECK(http_valid_text(f[i].value, f[i].valuelen));
		CHECK(http_field_get(f, n, f[i].name) != NULL);
	}
}

/* The request form's reader (imi/request_form.c) over the parsed body. */
static void
check_request_form(const struct http_req *req)
{
	struct request_fields rf;
	size_t i, nq = 0;

	request_fields_read(req->body_fields, req->nbody, &rf);
	CHECK(rf.responder != NULL && rf.subject != NULL && rf.context != NULL &&
	    rf.no_personal_texts != NULL && rf.person_name != NULL &&
	    rf.person_birth_date != NULL && rf.person_nationality != NULL &&
	    rf.person_registration != NULL && rf.reply_date != NULL);
	for (i = 0; i < req->nbody; i++)
		nq += strcmp(req->body_fields[i].name, "question") == 0;
	CHECK(rf.nquestions == (nq < REQUEST_MAX_QUESTIONS ? nq : REQUEST_MAX_QUESTIONS));
	CHECK(rf.too_many == (nq > REQUEST_MAX_QUESTIONS));
	for (i = 0; i < rf.nquestions; i++)
		CHECK(rf.questions[i] != NULL);
}

static void
check_req(const struct http_req *req, const struct http_limits *lim,
    size_t bodylen)
{
	const char *p = req->path;
	size_t len;

	CHECK(req->method_name[0] != '\0');
	CHECK(req->method != HTTP_GET || strcmp(req->method_name, "GET") == 0);
	CHECK(req->method != HTTP_POST ||
	    strcmp(req->method_name, "POST") == 0);
	len = strlen(p);
	CHECK(len >= 1 && len <= lim->max_path && p[0] == '/');
	CHECK(http_valid_text(p, len) && strpbrk(p, "\t\r\n") == NULL);
	CHECK(strstr(p, "//") == NULL && strstr(p, "/./") == NULL &&
	    strstr(p, "/../") == NULL);
	CHECK(!(len >= 2 && strcmp(p + len - 2, "/.") == 0));
	CHECK(!(len >= 3 && strcmp(p + len - 3, "/..") == 0));
	len = strlen(req->request_id);
	CHECK(len >= 1 && len <= 64);
	CHECK(strspn(req->request_id, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == len);
	CHECK(strcmp(req->https, "") == 0 || strcmp(req->https, "on") == 0);
	CHECK(http_valid_text(req->query, strlen(req->query)) &&
	    strpbrk(req->query, "\t\r\n") == NULL);
	CHECK(bodylen <= lim->max_body);
	CHECK(bodylen > 0 || req->nbody == 0);
	check_fields(req->query_fields, req->nquery, lim->max_fields, lim);
	check_fields(req->body_fields, req->nbody, lim->max_fields, lim);
	check_fields(req->cookies, req->ncookies, lim->max_cookies, lim);
	check_request_form(req);
}

/* Even a refused request must leave strings an error page can print. */
static void
check_refused(const struct http_req *req, const char *why)
{
	CHECK(why != NULL);
	CHECK(req->method_name != NULL && req->path != NULL &&
	    req->query != NULL && req->content_type != NULL &&
	    req->accept != NULL && req->remote_addr != NULL &&
	    req->host != NULL && req->https != NULL);
	CHECK(req->request_id != NULL && req->request_id[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct http_limits *lim;
	struct http_field *f;
	struct http_req req;
	struct input in;
	struct arena *a = NULL;
	const char *why;
	char *copy = NULL, *p, *end, *nl, *body = NULL;
	size_t i, n, bodylen;
	enum http_err rc;

	if (size == 0)
		return 0;
	lim = (data[0] & 1) ? &tiny : &http_default_limits;

	/* One NUL-terminated copy: parameters are cut out of it in place. */
	if ((copy = malloc(size)) == NULL)
		goto out;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	p = copy;
	end = copy + size - 1;
	memset(&in, 0, sizeof(in));
	for (i = 0; i < NPARAM && p < end; i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		in.value[i] = nl == p ? NULL : p;
		p = nl + 1;
	}
	/* The body in a buffer of its own, so reading past it is caught. */
	bodylen = p < end ? (size_t)(end - p) : 0;
	if (bodylen > 0) {
		if ((body = malloc(bodylen)) == NULL)
			goto out;
		memcpy(body, data + 1 + (size_t)(p - copy), bodylen);
	}
	if (in.value[4] == NULL) {
		snprintf(in.clen, sizeof(in.clen), "%zu", bodylen);
		in.value[4] = in.clen;
	}

	if ((a = arena_new()) == NULL)
		goto out;
	why = NULL;
	rc = http_req_parse(a, param_get, &in, body, bodylen, lim, &req, &why);
	if (rc == HTTP_OK)
		check_req(&req, lim, bodylen);
	else
		check_refused(&req, why);

	/* The whole input, unsplit, through the field parsers on their own. */
	memcpy(copy, data, size);
	if (http_parse_urlencoded(a, copy, size, lim, &f, &n) == HTTP_OK)
		check_fields(f, n, lim->max_fields, lim);
	copy[size - 1] = '\0';
	if (http_parse_cookies(a, copy, lim, &f, &n) == HTTP_OK)
		check_fields(f, n, lim->max_cookies, lim);
	(void)http_valid_text((const char *)data, size);
out:
	arena_free(a);
	free(body);
	free(copy);
	return 0;
}
