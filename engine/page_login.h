/*
 * page_login.h — signing in and out, and changing one's password.
 *
 * Before a session exists the login form is protected against cross-site
 * posting with a double-submit token: a random value in the imiflow_login
 * cookie (SameSite=Strict) that the form must repeat.
 */
#ifndef IMIFLOW_PAGE_LOGIN_H
#define IMIFLOW_PAGE_LOGIN_H

struct hctx;

#define LOGIN_COOKIE "imiflow_login"

int page_login_form(struct hctx *ctx);        /* GET /login */
int page_login_submit(struct hctx *ctx);      /* POST /login */
int page_logout(struct hctx *ctx);            /* POST /logout */
int page_password_form(struct hctx *ctx);     /* GET /password */
int page_password_submit(struct hctx *ctx);   /* POST /password */

#endif
