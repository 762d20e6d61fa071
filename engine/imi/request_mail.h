/*
 * request_mail.h — what a mail about an information request says beyond the
 * generic workflow mail: the request itself (subject, module, the two
 * authorities, dates) and its questions with their labels in the recipient's
 * language, read inside the firing transaction.  Template "request-event".
 */
#ifndef IMIFLOW_REQUEST_MAIL_H
#define IMIFLOW_REQUEST_MAIL_H

#include <libxml/tree.h>

struct wf_fire;

/* Adds <request> to mail and points its <url> at the request page. 0 or -1. */
int request_mail_model(struct wf_fire *f, const char *lang, xmlNodePtr mail);

#endif
