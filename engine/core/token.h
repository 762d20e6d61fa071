/*
 * token.h — random secrets (session, CSRF, mail-link and invitation tokens)
 * and their stored form.  A token is 32 random bytes as 43 base64url
 * characters; the database holds only its SHA-256 in hex, so a leaked table
 * opens no session.
 */
#ifndef IMIFLOW_TOKEN_H
#define IMIFLOW_TOKEN_H

#include <stddef.h>

#define TOKEN_LEN 43            /* characters, without the NUL */
#define TOKEN_HASH_LEN 64       /* hex characters, without the NUL */

int token_init(void);           /* sodium_init(); call once before threads start */
void token_new(char out[TOKEN_LEN + 1]);
void token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);
/* 1 if token has the shape of one of ours (length and alphabet), so junk never reaches SQL. */
int token_well_formed(const char *token);
/* Constant-time comparison of two NUL-terminated strings. */
int token_equal(const char *a, const char *b);

#endif
