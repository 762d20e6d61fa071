/*
 * password.h — the IMI password policy and argon2id hashing.
 *
 * Policy (IMI guide "Managing access", 3.2.1): at least 8 characters, an
 * upper-case letter, a lower-case letter, a digit, none of the last 5
 * passwords; on top of it we refuse well-known passwords and cap the length
 * (hashing cost must not be an attacker's lever).
 */
#ifndef IMIFLOW_PASSWORD_H
#define IMIFLOW_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024              /* bytes */
#define PASSWORD_HASH_MAX 128          /* crypto_pwhash_STRBYTES */
#define PASSWORD_HISTORY 5             /* "the last 5 passwords cannot be used" */
#define PASSWORD_MAX_FAILURES 5        /* wrong passwords in a row before the password is blocked */
#define PASSWORD_TEMP_LEN 14

/* Bits of password_check()'s result, one per rule broken. */
enum password_rule {
	PW_LENGTH = 1 << 0,
	PW_UPPER = 1 << 1,
	PW_LOWER = 1 << 2,
	PW_DIGIT = 1 << 3,
	PW_COMMON = 1 << 4,
	PW_TOO_LONG = 1 << 5,
	PW_INVALID = 1 << 6        /* not UTF-8 text */
};

/* Rule names as used in pages and catalogs ("length", "upper", ...), NULL-terminated. */
struct password_rule_name { int bit; const char *name; };
extern const struct password_rule_name password_rule_names[];

/* 0 when pw satisfies the composition rules, else the OR of the broken rules. */
int password_check(const char *pw);

/* argon2id with at least the OWASP figures (19 MiB, 2 passes). 0 or -1. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 1 match, 0 no match or malformed hash. */
int password_verify(const char *hash, const char *pw);
int password_needs_rehash(const char *hash);
/* A temporary password that satisfies the policy, from an unambiguous alphabet. */
void password_temporary(char out[PASSWORD_TEMP_LEN + 1]);
/* A valid hash of a random secret, verified against when the username is unknown so timing tells nothing. */
const char *password_dummy_hash(void);

#endif
