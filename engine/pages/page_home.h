/* page_home.h — the start page after signing in: who you are and the menus. */
#ifndef IMIFLOW_PAGE_HOME_H
#define IMIFLOW_PAGE_HOME_H

struct hctx;

int page_home(struct hctx *ctx);      /* GET / */

#endif
