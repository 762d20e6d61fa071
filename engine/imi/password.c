/* password.c — see password.h. */
#include "password.h"

#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "common_passwords.h"
#include "httplex.h"
#include "utf8.h"

#define OPSLIMIT 2
#define MEMLIMIT (19u * 1024u * 1024u)

const struct password_rule_name password_rule_names[] = {
	{ PW_LENGTH, "length" },
	{ PW_UPPER, "upper" },
	{ PW_LOWER, "lower" },
	{ PW_DIGIT, "digit" },
	{ PW_COMMON, "common" },
	{ PW_TOO_LONG, "too-long" },
	{ PW_INVALID, "invalid" },
	{ 0, NULL }
};

int
password_check(const char *pw)
{
	size_t len = strlen(pw);
	int r = 0, up = 0, lo = 0, dig = 0;

	if (len > PASSWORD_MAX)
		return PW_TOO_LONG;
	if (!http_valid_text(pw, len))
		return PW_INVALID;
	for (const char *p = pw; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		up |= c >= 'A' && c <= 'Z';
		lo |= c >= 'a' && c <= 'z';
		dig |= c >= '0' && c <= '9';
	}
	if (utf8_chars(pw) < PASSWORD_MIN)
		r |= PW_LENGTH;
	if (!up)
		r |= PW_UPPER;
	if (!lo)
		r |= PW_LOWER;
	if (!dig)
		r |= PW_DIGIT;
	if (r == 0 && common_password(pw))
		r |= PW_COMMON;
	return r;
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	size_t len = strlen(pw);

	if (len > PASSWORD_MAX)
		return -1;
	return crypto_pwhash_str_alg(out, pw, len, OPSLIMIT, MEMLIMIT,
	    crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int
password_verify(const char *hash, const char *pw)
{
	size_t len = strlen(pw);

	if (hash == NULL || len > PASSWORD_MAX)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

int
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, OPSLIMIT, MEMLIMIT) != 0;
}

void
password_temporary(char out[PASSWORD_TEMP_LEN + 1])
{
	/* No 0/O, 1/l/I: the user types it from a mail. */
	static const char upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char lower[] = "abcdefghijkmnopqrstuvwxyz";
	static const char digit[] = "23456789";
	static const char *const sets[] = { upper, lower, digit };
	size_t i;

	for (i = 0; i < PASSWORD_TEMP_LEN; i++) {
		/* The first three positions guarantee one of each class. */
		const char *set = sets[i < 3 ? i : randombytes_uniform(3)];
		out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	out[i] = '\0';
}

static char dummy[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	char secret[PASSWORD_TEMP_LEN + 1];

	password_temporary(secret);
	if (password_hash(secret, dummy) == -1)
		dummy[0] = '\0';
	sodium_memzero(secret, sizeof(secret));
}

const char *
password_dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy;
}
