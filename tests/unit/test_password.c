/* test_password.c — the IMI password rules and argon2id hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "common_passwords.h"
#include "password.h"
#include "token.h"

static void
accepts_a_good_password(void **state)
{
	(void)state;
	assert_int_equal(password_check("Tulip7garden"), 0);
	assert_int_equal(password_check("Zz9zzzzz"), 0);          /* exactly 8 */
}

static void
each_rule_refuses(void **state)
{
	(void)state;
	assert_int_equal(password_check("Ab1defg"), PW_LENGTH);   /* 7 characters */
	assert_int_equal(password_check("tulip7garden"), PW_UPPER);
	assert_int_equal(password_check("TULIP7GARDEN"), PW_LOWER);
	assert_int_equal(password_check("Tulipgarden"), PW_DIGIT);
	assert_int_equal(password_check("abc"), PW_LENGTH | PW_UPPER | PW_DIGIT);
	assert_int_equal(password_check(""), PW_LENGTH | PW_UPPER | PW_LOWER | PW_DIGIT);
}

static void
length_counts_characters_not_bytes(void **state)
{
	(void)state;
	/* 7 characters, 9 bytes: still too short. */
	assert_int_equal(password_check("Ab1défg") & PW_LENGTH, PW_LENGTH);
	assert_int_equal(password_check("Ab1défgh"), 0);
}

static void
refuses_common_passwords_case_insensitively(void **state)
{
	(void)state;
	assert_int_equal(password_check("Password1"), PW_COMMON);
	assert_int_equal(password_check("pASSWORD1"), PW_COMMON);
	assert_int_equal(password_check("Welcome123"), PW_COMMON);
}

/* ASVS 5.0 6.2.4: at least the top 3,000 passwords the policy would accept. */
static void
refuses_listed_words_decorated_and_disguised(void **state)
{
	(void)state;
	assert_true(common_password_count() >= 3000);
	/* listed as they are (Openwall's list: "trustno1", "1qaz2wsx", "blink182") */
	assert_int_equal(password_check("Trustno1x"), 0);
	assert_int_equal(password_check("1QAZ2wsx"), PW_COMMON);
	assert_int_equal(password_check("Blink182"), PW_COMMON);
	/* a listed word with digits and signs around it */
	assert_int_equal(password_check("Monkey2026!"), PW_COMMON);
	assert_int_equal(password_check("Sunshine123"), PW_COMMON);
	assert_int_equal(password_check("2026Dragon"), PW_COMMON);
	assert_int_equal(password_check("!!Football99"), PW_COMMON);
	assert_int_equal(password_check("Imiflow2026"), PW_COMMON);
	/* with look-alikes inside */
	assert_int_equal(password_check("P4ssw0rd2026"), PW_COMMON);
	assert_int_equal(password_check("M0nkey12345"), PW_COMMON);
	/* not a listed word: passes */
	assert_int_equal(password_check("Chosen7password"), 0);
	assert_int_equal(password_check("Tulip7Harbour"), 0);
	assert_int_equal(password_check("Demo2026imi"), 0);
	assert_int_equal(password_check("Zq8vLm2pRt"), 0);
	/* a stem too short to be a word */
	assert_int_equal(common_password("Abc12345678"), 0);
	/* longer than anything listed */
	assert_int_equal(common_password("Password1Password1Password1Password1Password1Password1Pa"
	    "ssword1x"), 0);
}

static void
refuses_oversized_and_invalid(void **state)
{
	char big[PASSWORD_MAX + 2];

	(void)state;
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(password_check(big), PW_TOO_LONG);
	assert_int_equal(password_check("Abcdefg1\x01"), PW_INVALID);
	assert_int_equal(password_check("Abcdefg1\xff"), PW_INVALID);
}

static void
hash_verifies_and_is_argon2id(void **state)
{
	char h[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash("Tulip7garden", h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(strstr(h, "m=19456") != NULL);
	assert_true(password_verify(h, "Tulip7garden"));
	assert_false(password_verify(h, "Tulip7Garden"));
	assert_false(password_verify("not a hash", "Tulip7garden"));
	assert_false(password_verify(NULL, "x"));
	assert_false(password_needs_rehash(h));
}

static void
temporary_passwords_satisfy_the_policy(void **state)
{
	char pw[PASSWORD_TEMP_LEN + 1], prev[PASSWORD_TEMP_LEN + 1] = "";

	(void)state;
	for (int i = 0; i < 500; i++) {
		password_temporary(pw);
		assert_int_equal(strlen(pw), PASSWORD_TEMP_LEN);
		assert_int_equal(password_check(pw), 0);
		assert_null(strpbrk(pw, "0O1lI"));
		assert_string_not_equal(pw, prev);
		memcpy(prev, pw, sizeof(pw));
	}
}

static void
dummy_hash_is_a_real_hash(void **state)
{
	(void)state;
	assert_true(strncmp(password_dummy_hash(), "$argon2id$", 10) == 0);
	assert_false(password_verify(password_dummy_hash(), ""));
}

static void
refusal_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(auth_refusal_name(PW_LENGTH), "length");
	assert_string_equal(auth_refusal_name(PW_UPPER), "upper");
	assert_string_equal(auth_refusal_name(PW_LOWER), "lower");
	assert_string_equal(auth_refusal_name(PW_DIGIT), "digit");
	assert_string_equal(auth_refusal_name(PW_COMMON), "common");
	assert_string_equal(auth_refusal_name(AUTH_MISMATCH), "mismatch");
	assert_string_equal(auth_refusal_name(AUTH_CURRENT), "current");
	assert_string_equal(auth_refusal_name(AUTH_REUSED), "reused");
}

static void
tokens_are_random_and_well_formed(void **state)
{
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1], h[TOKEN_HASH_LEN + 1];

	(void)state;
	token_new(a);
	token_new(b);
	assert_true(token_well_formed(a));
	assert_string_not_equal(a, b);
	assert_false(token_equal(a, b));
	assert_true(token_equal(a, a));
	token_hash(a, h);
	assert_int_equal(strlen(h), TOKEN_HASH_LEN);
	assert_false(token_well_formed("short"));
	assert_false(token_well_formed("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"));
	assert_false(token_well_formed(NULL));
}

static int
setup(void **state)
{
	(void)state;
	return token_init();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_a_good_password),
		cmocka_unit_test(each_rule_refuses),
		cmocka_unit_test(length_counts_characters_not_bytes),
		cmocka_unit_test(refuses_common_passwords_case_insensitively),
		cmocka_unit_test(refuses_listed_words_decorated_and_disguised),
		cmocka_unit_test(refuses_oversized_and_invalid),
		cmocka_unit_test(hash_verifies_and_is_argon2id),
		cmocka_unit_test(temporary_passwords_satisfy_the_policy),
		cmocka_unit_test(dummy_hash_is_a_real_hash),
		cmocka_unit_test(refusal_names_are_stable),
		cmocka_unit_test(tokens_are_random_and_well_formed),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
