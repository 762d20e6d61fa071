/*
 * page_invitation.h — inviting authorities to self-register (seed 001 §2.2):
 * an Access Manager mails a single-use, expiring link (workflows/
 * invitation.xml); the invited authority enters its data and first user
 * (workflows/authority.xml: pending validation); the inviting authority's
 * Administrators are told by mail and validate it from My tasks → Pending
 * validations.  The first user's password is mailed on validation.
 */
#ifndef IMIFLOW_PAGE_INVITATION_H
#define IMIFLOW_PAGE_INVITATION_H

struct hctx;

#define INVITATION_DAYS 30

int page_invitations(struct hctx *ctx);          /* GET /admin/invitations */
int page_invite(struct hctx *ctx);               /* POST /admin/invitations */
int page_self_register_form(struct hctx *ctx);   /* GET /register/{token}, public */
int page_self_register(struct hctx *ctx);        /* POST /register/{token}, public */
int page_pending_validations(struct hctx *ctx);  /* GET /tasks/validations */

#endif
