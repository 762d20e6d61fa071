/* password.c — see password.h. */
#include "password.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

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

/*
 * Well-known passwords that pass the composition rules; the lists attackers
 * try first (breach corpora, keyboard walks, season+year) are full of them.
 * Compared case-insensitively.
 */
static const char *const common[] = {
	"Password1", "Password12", "Password123", "Password1234", "Passw0rd", "P4ssw0rd",
	"Welcome1", "Welcome12", "Welcome123", "Qwerty123", "Qwerty1234", "Qwertyuiop1",
	"Abcdefg1", "Abcd1234", "Abc12345", "Abc123456", "Aa123456", "Aa12345678",
	"Letmein1", "Letmein123", "Admin123", "Admin1234", "Administrator1", "Changeme1",
	"Changeme123", "Iloveyou1", "Sunshine1", "Football1", "Monkey123", "Dragon123",
	"Master123", "Michael1", "Superman1", "Trustno1", "Baseball1", "Princess1",
	"Starwars1", "Summer2024", "Summer2025", "Summer2026", "Winter2024", "Winter2025",
	"Winter2026", "Spring2025", "Spring2026", "Autumn2025", "Autumn2026", "January2026",
	"Europe2026", "Europa2026", "Brussels1", "Imiflow1", "Imiflow123", "Test1234",
	"Testing123", "Temp1234", "Secret123", "Zaq12wsx", "1qaz2WSX", "1Qaz2wsx",
	"Q1w2e3r4", "Q1w2e3r4t5", "Asdf1234", "Zxcvbnm1", "Hello123", "Computer1",
	NULL
};

static int
is_common(const char *pw)
{
	for (size_t i = 0; common[i] != NULL; i++)
		if (strcasecmp(common[i], pw) == 0)
			return 1;
	return 0;
}

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
	if (r == 0 && is_common(pw))
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
