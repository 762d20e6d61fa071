/*
 * mail.h — delivery of one message to an SMTP server (libesmtp).
 *
 * The outbox worker calls mail_send_batch() with the rows it claimed: one SMTP
 * session carrying each message to its one recipient; nothing is kept between
 * calls, so any number of threads may call it at once.
 *
 * The message is built here: Date, From, To, Subject (RFC 2047 when not
 * plain ASCII), Message-ID, MIME-Version, Content-Type text/plain UTF-8 and a
 * 7bit (plain ASCII body) or quoted-printable body, CRLF line endings.
 *
 * Plain SMTP to a local MTA by default.  To a remote server, STARTTLS is required and the
 * server's certificate verified (chain and host name) with our own SSL_CTX (mail_tls_init;
 * see mail.c for why libesmtp 1.1.0's own TLS set-up must not be used).  AUTH is never used.
 */
#ifndef IMIFLOW_MAIL_H
#define IMIFLOW_MAIL_H

#include <stddef.h>

struct mail_server {
	const char *host;        /* name or IPv4 address; no IPv6 literal (libesmtp splits at ':') */
	const char *port;        /* number or service name */
	int timeout_sec;         /* per SMTP step; <= 0: 60; the TCP connect itself has no timeout */
	int starttls;            /* 1: STARTTLS required, certificate verified (mail_tls_init first) */
};

/*
 * The TLS context of every later session with starttls set: TLS 1.2 (not 1.3: mail.c says
 * why), the peer's certificate verified against ca_file (PEM; NULL: the system's store) and
 * its name against host.  Once, before threads send.  0, or -1 with the reason in err.
 */
int mail_tls_init(const char *host, const char *ca_file, char *err, size_t errlen);

/* 1 when host is this machine (localhost, 127.0.0.0/8, ::1): plain SMTP is allowed there. */
int mail_host_is_local(const char *host);

struct mail_msg {
	const char *from;        /* envelope + From: address */
	const char *to;          /* one recipient address */
	const char *message_id;  /* full "<...>" value, stable across retries */
	const char *subject;     /* UTF-8; encode as RFC 2047 when not plain ASCII */
	const char *body;        /* UTF-8 text/plain body, LF line endings */
	const char *extra_headers; /* NULL or "Name: value\n..." lines (e.g. "Sender: ..."), validated: no CR, each line Name: value */
};

/*
 * 0 on success: the server accepted the message for the recipient (2xx after
 * DATA).  -1 with a short reason in err (for the outbox's last_error and the
 * log; never holds CR or LF) and *permanent set to 1 when the server refused
 * for good (5xx on the recipient or the message) or the message itself is
 * unusable (header injection, invalid UTF-8, too large), so the caller stops
 * retrying; 0 for transient failures (connection refused, name lookup, 4xx,
 * timeout, dropped connection, 5xx on the greeting/EHLO/MAIL FROM, which are
 * server or configuration trouble, not this message's).
 *
 * SIGPIPE: blocked in the calling thread for the duration of the session and
 * a SIGPIPE raised by it is consumed, so a peer that hangs up never kills the
 * process, whatever the process's own disposition.
 */
int mail_send(const struct mail_server *srv, const struct mail_msg *m, int *permanent,
    char *err, size_t errlen);

/* The outcome of one message of a batch: rc, permanent and err as mail_send() gives them. */
struct mail_result {
	int rc;
	int permanent;
	char err[256];
};

/*
 * n messages in ONE SMTP session (one connection, one EHLO, then MAIL/RCPT/DATA per message):
 * res[i] is message i's outcome, judged on its own (an invalid message fails for good and
 * the others go; a session that cannot start fails them all, transiently).  mail_send() is
 * this with n = 1.  libesmtp issue #30 (a crash with more than one message a session) is the
 * STARTTLS context cache, never used here (mail.c); tests/mail/mailstress --batch sends
 * hundreds this way under ASan.
 */
void mail_send_batch(const struct mail_server *srv, const struct mail_msg *const *msgs, size_t n,
    struct mail_result *res);

#endif
