/*
 * page_send_email.h — Administration → Send e-mail (issue 15 §2): the recipient search
 * ("My authorities only", module, country, type), the choice of some or all results, a
 * preview of how many authorities and people it reaches, the message, and the list of sent
 * messages of one's authority with how many mails are queued and delivered.  Who may reach
 * whom and the sending itself: imi/send_email.h.
 */
#ifndef IMIFLOW_PAGE_SEND_EMAIL_H
#define IMIFLOW_PAGE_SEND_EMAIL_H

struct hctx;

int page_send_email_form(struct hctx *ctx); /* GET /admin/send-email */
int page_send_email(struct hctx *ctx);      /* POST /admin/send-email (action preview or send) */
int page_sent_emails(struct hctx *ctx);     /* GET /admin/sent-emails */
int page_sent_email(struct hctx *ctx);      /* GET /admin/sent-emails/ID */

#endif
