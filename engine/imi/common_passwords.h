/*
 * common_passwords.h — passwords attackers try first: some 3,000 well-known passwords and
 * words (Openwall's public-domain list; see common_passwords.c), compared case-insensitively,
 * also with digits or signs around the word ("Monkey2026!") and with the usual look-alikes
 * inside it ("P4ssw0rd1").  ASVS 5.0 6.2.4 asks for at least the top 3,000 passwords that
 * the policy would accept; a word with a capital letter and a digit added is what such
 * lists are full of.
 */
#ifndef IMIFLOW_COMMON_PASSWORDS_H
#define IMIFLOW_COMMON_PASSWORDS_H

#include <stddef.h>

#define COMMON_PASSWORD_MAX 64     /* bytes; a longer password is nobody's common one */

/* 1 when pw is, or is built from, a well-known password; else 0. */
int common_password(const char *pw);

/* How many entries the list has (for tests). */
size_t common_password_count(void);

#endif
