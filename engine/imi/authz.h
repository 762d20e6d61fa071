/*
 * authz.h — who may do what to an authority (seed 000 §3.1, 001 §1-3, 002):
 * Administrators of an Access Manager manage the authorities of their country
 * (the helpdesk: of every country); an authority's own Administrators edit
 * its data and keywords.  Pages ask here before they show an action and
 * again before they take it; the workflow guards decide the transitions.
 */
#ifndef IMIFLOW_AUTHZ_H
#define IMIFLOW_AUTHZ_H

struct hctx;

struct authz_authority {
	long long id;
	int found;            /* exists and is not deleted (deleted ones: only the helpdesk sees them) */
	int is_own;           /* the signed-in user's authority */
	int may_manage;       /* Administrator of an Access Manager that may manage it */
	int may_edit;         /* may_manage, or one of its own Administrators */
	int may_view_private; /* may_edit, or any user of it: modules, management information */
	const char *state;    /* its lifecycle state: active, pending-validation, ... */
	const char *country;
	const char *name;
	long long instance_id;
	const char *rev;      /* its instance's revision, for forms */
};

/* 0 (out filled; found 0 when there is no such authority), or -1 on error. */
int authz_authority(struct hctx *ctx, long long authority_id, struct authz_authority *out);

/*
 * The authority named by a path segment, for a handler: 0 (z filled), or the
 * HTTP status to return (404 for a bad id or no such authority, 500).
 */
int authz_authority_arg(struct hctx *ctx, const char *arg, struct authz_authority *z);

/* 403 with the error page's message key set: "return authz_refuse(ctx, KEY);". */
int authz_refuse(struct hctx *ctx, const char *key);

/* 1 when the signed-in user is an Administrator of an Access Manager; 0 if not; -1 on error. */
int authz_access_manager(struct hctx *ctx);

#endif
