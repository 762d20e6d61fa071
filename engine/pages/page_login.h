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

/* As SESSION_COOKIE (session.h): the __Host- prefix when cookies are Secure. */
#define LOGIN_COOKIE(secure) ((secure) ? "__Host-imiflow_login" : "imiflow_login")

/*
 * The CSRF token of a form open to people not signed in (login, self-
 * registration): the session's when there is one, else the double-submit
 * cookie's, set now when missing.  NULL on error.
 */
const char *page_public_csrf(struct hctx *ctx);

int page_login_form(struct hctx *ctx);        /* GET /login */
int page_login_submit(struct hctx *ctx);      /* POST /login */
int page_logout(struct hctx *ctx);            /* POST /logout */
int page_password_form(struct hctx *ctx);     /* GET /password */
int page_password_submit(struct hctx *ctx);   /* POST /password */

#endif
