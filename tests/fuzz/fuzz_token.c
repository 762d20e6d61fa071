/*
 * fuzz_token.c — libFuzzer target for the mail-link and invitation token path:
 * what a request's path gives the link and self-registration pages
 * (GET/POST /links/{token}, /register/{token}), their shape check and hash
 * (engine/core/token.c), and the router's log form of such a path, which
 * must never show the secret (engine/pages/router.c router_log_path).
 *
 * Input: the path's secret segment and what follows it (a C string: a NUL
 * byte cuts it).  Checks: token_well_formed() is exactly "43 base64url
 * characters"; the hash is 64 lower-case hex digits, the same twice and
 * different for another token; token_equal() agrees with strcmp(); the logged
 * path of /links/INPUT and /register/INPUT holds "..." where the secret was.
 */
#include <string.h>

#include "arena.h"
#include "fuzz.h"
#include "router.h"
#include "token.h"

static int
reference_well_formed(const char *s)
{
	if (strlen(s) != TOKEN_LEN)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
	    TOKEN_LEN;
}

static void
check_hash(const char *s)
{
	char h[TOKEN_HASH_LEN + 1], again[TOKEN_HASH_LEN + 1];

	memset(h, 'x', sizeof(h));
	token_hash(s, h);
	CHECK(strlen(h) == TOKEN_HASH_LEN);
	CHECK(strspn(h, "0123456789abcdef") == TOKEN_HASH_LEN);
	token_hash(s, again);
	CHECK(strcmp(h, again) == 0);
}

static void
check_logged(struct arena *a, const char *prefix, const char *rest)
{
	const char *path, *logged, *after;
	size_t seg;

	if ((path = arena_printf(a, "%s%s", prefix, rest)) == NULL)
		return;
	logged = router_log_path(a, path);
	CHECK(logged != NULL);
	seg = strcspn(rest, "/");
	if (seg == 0) {
		/* No secret: nothing to hide, but never more than the path. */
		CHECK(strlen(logged) <= strlen(path) + 3);
		return;
	}
	after = rest + seg;
	CHECK(strncmp(logged, prefix, strlen(prefix)) == 0);
	CHECK(strncmp(logged + strlen(prefix), "...", 3) == 0);
	CHECK(strcmp(logged + strlen(prefix) + 3, after) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char *s, other[TOKEN_LEN + 1];
	char h1[TOKEN_HASH_LEN + 1], h2[TOKEN_HASH_LEN + 1];
	struct arena *a;

	if (!ready) {
		CHECK(token_init() == 0);
		token_new(other);
		CHECK(token_well_formed(other));
		ready = 1;
	}
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	CHECK(token_well_formed(s) == reference_well_formed(s));
	check_hash(s);
	CHECK(token_equal(s, s));
	/* Each prefix of s against s: equal exactly when it is all of it. */
	for (size_t i = 0; i <= strlen(s) && i < 64; i++) {
		char *p = strndup(s, i);
		if (p == NULL)
			break;
		CHECK(token_equal(p, s) == (strcmp(p, s) == 0));
		CHECK(token_equal(s, p) == (strcmp(p, s) == 0));
		free(p);
	}
	if (strcmp(s, "x") != 0) {
		token_hash(s, h1);
		token_hash("x", h2);
		CHECK(strcmp(h1, h2) != 0);
	}

	if ((a = arena_new()) != NULL) {
		check_logged(a, "/links/", s);
		check_logged(a, "/register/", s);
		arena_free(a);
	}
	free(s);
	return 0;
}
