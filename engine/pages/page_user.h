/*
 * page_user.h — an authority's users and their roles (seed 000 §3, 001
 * §3.2, 004): the Users tab with its CSV export, adding a user (a proposed
 * username the administrator may replace; the temporary password by mail,
 * the username on screen only), editing data and roles per module (all of a
 * module, or all of the authority, in one click), resetting a password,
 * deleting a user — always keeping the role invariants (roles.h) — and
 * every user's own profile.
 */
#ifndef IMIFLOW_PAGE_USER_H
#define IMIFLOW_PAGE_USER_H

#include <libxml/tree.h>

struct authz_authority;
struct hctx;

/* Adds <users> for the Users tab (for those who may manage them).  0 or -1. */
int page_user_list_model(struct hctx *ctx, xmlNodePtr page, const struct authz_authority *z);

int page_users_csv(struct hctx *ctx);       /* GET /authorities/{id}/users.csv */
int page_user_new_form(struct hctx *ctx);   /* GET /authorities/{id}/users/new */
int page_user_new(struct hctx *ctx);        /* POST /authorities/{id}/users/new */
int page_user_form(struct hctx *ctx);       /* GET /users/{id} */
int page_user_save(struct hctx *ctx);       /* POST /users/{id} */
int page_user_reset(struct hctx *ctx);      /* POST /users/{id}/reset */
int page_user_delete(struct hctx *ctx);     /* POST /users/{id}/delete */
int page_profile(struct hctx *ctx);         /* GET /profile */
int page_profile_save(struct hctx *ctx);    /* POST /profile */
int page_profile_end_sessions(struct hctx *ctx);  /* POST /profile/sessions: sign out elsewhere */

#endif
