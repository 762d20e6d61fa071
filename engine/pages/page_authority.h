/*
 * page_authority.h — one authority: its page with the tabs Authority,
 * Classification, Modules and Management information (seed 001 §3.1, 002),
 * editing it, its Access Managers, and registering a new authority with its
 * first user (seed 001 §2.1).  Lifecycle buttons (validate, reject,
 * deactivate, reactivate) come from workflows/authority.xml.
 */
#ifndef IMIFLOW_PAGE_AUTHORITY_H
#define IMIFLOW_PAGE_AUTHORITY_H

#include <libxml/tree.h>

struct authority_fields;
struct first_user_fields;
struct hctx;
struct wf_actor;
struct wf_outcome;

int page_authority(struct hctx *ctx);               /* GET /authorities/{id}[/{tab}] */
int page_authority_edit_form(struct hctx *ctx);     /* GET /authorities/{id}/edit */
int page_authority_edit(struct hctx *ctx);          /* POST /authorities/{id}/edit */
int page_authority_add_manager(struct hctx *ctx);   /* POST /authorities/{id}/managers */
int page_authority_manager_role(struct hctx *ctx);  /* POST /authorities/{id}/access-manager */
int page_register_form(struct hctx *ctx);           /* GET /admin/authorities/new */
int page_register(struct hctx *ctx);                /* POST /admin/authorities/new */
int page_my_authority(struct hctx *ctx);            /* GET /admin/my-authority */

/* The authority page on tab; refused (or NULL) is a refused form to show on it. */
int authority_page(struct hctx *ctx, long long id, const char *tab, xmlNodePtr refused);

/*
 * Creates an authority with its first user (an Administrator; the temporary
 * password mailed now when mail_password, else at validation) and its
 * lifecycle instance, fired with event by actor (user_id 0: by its new first
 * user); manager_id (0: none) becomes its Access Manager.  Inside the caller's
 * transaction.  Returns the id, 0 when the guard refused (out says why), -1.
 */
long long authority_create(struct hctx *ctx, const struct authority_fields *f,
    const struct first_user_fields *u, int mail_password, const struct wf_actor *by,
    const char *event, long long manager_id, const char **username, long long *user_id,
    struct wf_outcome *out);

#endif
