/*
 * mail.c — one message, one SMTP session, with libesmtp 1.1.0 (Debian 12).
 *
 * What we checked in libesmtp 1.1.0's source (github libesmtp/libESMTP, tag
 * v1.1.0) and rely on here:
 *
 * - Dot-stuffing is libesmtp's job: protocol.c (rsp_data/cmd_data2) writes an
 *   extra '.' before every header and body line that starts with '.', and
 *   ends DATA with ".\r\n".  We must NOT stuff ourselves.
 * - Lines must end in CRLF: message-source.c's msg_gets() splits only at
 *   "\r\n", so a bare LF would hide the next line from dot-stuffing.  We build
 *   the whole text with CRLF.
 * - Headers are passed through headers.c: a header it knows (Date, From,
 *   Message-Id, To, Sender, ... matched case-insensitively) that is present
 *   is copied unchanged; one that is absent is generated (Date, From,
 *   Message-Id); a second copy of most known headers is silently dropped;
 *   Return-Path is stripped.  We supply every header ourselves, so libesmtp
 *   adds none, and we refuse extra headers that would collide with ours.
 * - smtp_set_timeout() takes MILLISECONDS (the doc comment says seconds, the
 *   code compares with 1000 ms minimums and hands the value to poll()), and
 *   without Timeout_OVERRIDE_RFC2822_MINIMUM it raises anything shorter to
 *   RFC 5321's minutes.  There is no timeout on connect(2).
 * - A timeout or dropped connection after the greeting still makes
 *   smtp_start_session() return 1: success is decided only from the
 *   recipient and message statuses.
 * - smtp_errno() is per thread (pthread key) in Debian's build, but never
 *   reset; we read it only right after a call that failed.
 *
 * Threads.  Everything libesmtp keeps is per session except: the errno key
 * (pthread_once), the SASL plugin list (mutex; unused here), the STARTTLS
 * password callback and SSL_CTX cache (unused here, see below), and
 * tokens.c's character table `atomchars`, which is filled lazily and WITHOUT
 * a lock the first time a multi-line EHLO reply is parsed.  So until one
 * session has got as far as MAIL FROM (the EHLO reply has been read and the
 * table, if this server needs it, is built), sessions run one at a time
 * (first_lock/warmed below); after that, in parallel.
 *
 * One session per message.  The design (DESIGN.md, "Known pitfalls") takes
 * one session per message because of libesmtp issue #30, "seg fault when
 * sending more than one email".  Reading 1.1.0's smtp-tls.c, that crash is a
 * use-after-free of the STARTTLS SSL_CTX: starttls_create_ctx() caches the
 * context in a function-static pointer shared by all sessions without taking
 * a reference, and smtp_destroy_session() SSL_CTX_free()s it, so the SECOND
 * session that negotiates STARTTLS uses freed memory (fixed upstream after
 * 1.1.0 by commit fafa010, "Don't bother trying to cache the SSL_CTX").
 * One session per message does not avoid that by itself; what does is that
 * libesmtp never creates its own context here: STARTTLS is disabled (the
 * session default) for a local MTA, and for a remote server (--smtp-starttls)
 * each session gets our own SSL_CTX, made once by mail_tls_init(), through
 * smtp_starttls_set_ctx(), which takes its own reference.  libesmtp 1.1.0
 * also lacks 1.1.1's STARTTLS plaintext-injection mitigation; a verified
 * certificate keeps the content private, and README.md "Mail" says why a
 * local MTA that relays with TLS remains the recommended set-up.  We still keep one
 * session per message: each outbox row succeeds or fails on its own, a
 * failure never leaves a half-used session behind, and there is no
 * long-lived libesmtp state at all.
 */
#include "mail.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <libesmtp.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "log.h"

#define ADDR_MAX	254		/* RFC 5321 path limit */
#define MSGID_MAX	250
#define SUBJECT_MAX	900		/* octets of UTF-8 before encoding */
#define EXTRA_MAX	8192
#define BODY_MAX	(16u * 1024 * 1024)
#define LINE_MAX_7BIT	998		/* RFC 5322 2.1.1 */
#define QP_LINE		76		/* RFC 2045 6.7 (5), '=' included */
#define EW_CHUNK	42		/* octets per encoded-word: "Subject: " + 10 + 56 + 2 = 77 */
#define TIMEOUT_DEFAULT	60
#define TIMEOUT_MAX	3600

static pthread_mutex_t first_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int warmed;

/* The message text handed to libesmtp; *ctx is left NULL (libesmtp free()s it). */
struct msg_src {
	const char *data;
	size_t len;
	int sent;
};

/* What the protocol monitor saw: did the server talk, and its last line. */
struct monitor {
	int heard;
	char last[200];
	char last_err[200];
};

struct sigpipe_guard {
	sigset_t old;
	int was_pending;
};

/* err gets a one-line reason; truncation at errlen is intended. */
static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	while (p > err && p[-1] == ' ')
		*--p = '\0';
}

/* ---- validation --------------------------------------------------------- */

static int
has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no NUL. */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned int cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * A bare addr-spec as used on the envelope and in From:/To:.  Deliberately
 * narrow: printable ASCII without the specials that would change the header's
 * meaning, one '@' with text on both sides.  No quoted local parts, no
 * SMTPUTF8 (libesmtp 1.1.0 has no SMTPUTF8 either).
 */
static int
addr_valid(const char *a)
{
	size_t n = strlen(a), i;
	const char *at;

	if (n == 0 || n > ADDR_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\"\\", c) != NULL)
			return 0;
	}
	at = strrchr(a, '@');
	return at != NULL && at != a && at[1] != '\0' && strchr(a, '@') == at;
}

/* msg-id = "<" id-left "@" id-right ">", printable ASCII, no spaces. */
static int
msgid_valid(const char *id)
{
	size_t n = strlen(id), i;
	const char *at;

	if (n < 5 || n > MSGID_MAX || id[0] != '<' || id[n - 1] != '>')
		return 0;
	for (i = 1; i < n - 1; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>')
			return 0;
	}
	at = memchr(id + 1, '@', n - 2);
	return at != NULL && at > id + 1 && at < id + n - 2 &&
	    memchr(at + 1, '@', (size_t)(id + n - 1 - (at + 1))) == NULL;
}

/* Headers we write ourselves; a caller's copy would collide (see top). */
static int
header_reserved(const char *name, size_t n)
{
	static const char *const names[] = {
		"Date", "From", "To", "Cc", "Bcc", "Subject", "Message-ID",
		"MIME-Version", "Return-Path", "Received",
	};
	size_t i;

	if (n >= 8 && strncasecmp(name, "Content-", 8) == 0)
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncasecmp(name, names[i], n) == 0)
			return 1;
	return 0;
}

/*
 * extra_headers: "Name: value" lines separated by LF, the last LF optional.
 * Name is RFC 5322 ftext, value printable ASCII or tab (encode non-ASCII
 * phrases before calling), no folding, no empty line.  0 ok, -1 bad (why set).
 */
static int
extra_valid(const char *h, const char **why)
{
	const char *line = h, *eol, *p;
	size_t n;

	if (strlen(h) > EXTRA_MAX) {
		*why = "extra headers too long";
		return -1;
	}
	if (strchr(h, '\r') != NULL) {
		*why = "header injection: CR in extra headers";
		return -1;
	}
	while (*line != '\0') {
		eol = strchr(line, '\n');
		n = eol != NULL ? (size_t)(eol - line) : strlen(line);
		if (n == 0 || n > LINE_MAX_7BIT) {
			*why = "extra headers: empty or overlong line";
			return -1;
		}
		for (p = line; p < line + n && *p != ':'; p++)
			if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f) {
				*why = "extra headers: bad header name";
				return -1;
			}
		if (p == line || p == line + n) {
			*why = "extra headers: line is not Name: value";
			return -1;
		}
		if (header_reserved(line, (size_t)(p - line))) {
			*why = "extra headers: header is set by mail_send";
			return -1;
		}
		for (p++; p < line + n; p++)
			if (((unsigned char)*p < 0x20 && *p != '\t') || (unsigned char)*p >= 0x7f) {
				*why = "extra headers: value is not printable ASCII";
				return -1;
			}
		line += n;
		if (*line == '\n')
			line++;
	}
	return 0;
}

/* 0 when m is sendable, else -1 with why (always a permanent failure). */
static int
msg_valid(const struct mail_msg *m, const char **why)
{
	size_t n;

	if (m->from == NULL || m->to == NULL || m->message_id == NULL ||
	    m->subject == NULL || m->body == NULL) {
		*why = "message lacks from, to, message_id, subject or body";
		return -1;
	}
	if (has_crlf(m->from) || has_crlf(m->to) || has_crlf(m->message_id) ||
	    has_crlf(m->subject)) {
		*why = "header injection: CR or LF in from, to, message_id or subject";
		return -1;
	}
	if (!addr_valid(m->from)) {
		*why = "invalid sender address";
		return -1;
	}
	if (!addr_valid(m->to)) {
		*why = "invalid recipient address";
		return -1;
	}
	if (!msgid_valid(m->message_id)) {
		*why = "invalid Message-ID";
		return -1;
	}
	n = strlen(m->subject);
	if (n > SUBJECT_MAX) {
		*why = "subject too long";
		return -1;
	}
	if (!utf8_valid((const unsigned char *)m->subject, n)) {
		*why = "subject is not valid UTF-8";
		return -1;
	}
	for (const char *p = m->subject; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
			*why = "control character in subject";
			return -1;
		}
	n = strlen(m->body);
	if (n > BODY_MAX) {
		*why = "body too large";
		return -1;
	}
	if (!utf8_valid((const unsigned char *)m->body, n)) {
		*why = "body is not valid UTF-8";
		return -1;
	}
	if (m->extra_headers != NULL && extra_valid(m->extra_headers, why) == -1)
		return -1;
	return 0;
}

/* host[:port] for smtp_set_server(), which splits at the FIRST ':'. */
static int
server_string(const struct mail_server *srv, char *out, size_t outlen, const char **why)
{
	const char *p;
	int r;

	if (srv == NULL || srv->host == NULL || srv->port == NULL ||
	    srv->host[0] == '\0' || srv->port[0] == '\0') {
		*why = "SMTP server host or port not set";
		return -1;
	}
	for (p = srv->host; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == ':') {
			*why = "SMTP host must be a name or IPv4 address (libesmtp cannot take IPv6 literals)";
			return -1;
		}
	for (p = srv->port; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || *p == '-')) {
			*why = "bad SMTP port";
			return -1;
		}
	r = snprintf(out, outlen, "%s:%s", srv->host, srv->port);
	if (r < 0 || (size_t)r >= outlen) {
		*why = "SMTP host name too long";
		return -1;
	}
	return 0;
}

/* ---- message text --------------------------------------------------------- */

static void
base64(struct buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = tab[s[i] >> 2];
		q[1] = tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		q[2] = tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		q[3] = tab[s[i + 2] & 63];
		buf_append(b, q, 4);
	}
	if (n - i == 1) {
		q[0] = tab[s[i] >> 2];
		q[1] = tab[(s[i] & 3) << 4];
		q[2] = q[3] = '=';
		buf_append(b, q, 4);
	} else if (n - i == 2) {
		q[0] = tab[s[i] >> 2];
		q[1] = tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		q[2] = tab[(s[i + 1] & 15) << 2];
		q[3] = '=';
		buf_append(b, q, 4);
	}
}

/*
 * Subject: as is when it is short printable ASCII that cannot be mistaken for
 * an encoded-word; otherwise RFC 2047 B encoded-words of whole UTF-8
 * characters (2047 section 5), each <= 75 characters, folded with CRLF SP.
 */
static void
put_subject(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i, take;
	int plain = n <= 78 - 9 && strstr(s, "=?") == NULL;

	for (i = 0; plain && i < n; i++)
		if (u[i] < 0x20 || u[i] > 0x7e)
			plain = 0;
	if (plain) {
		buf_printf(b, "Subject: %s\r\n", s);
		return;
	}
	buf_puts(b, "Subject:");
	for (i = 0; i < n; i += take) {
		take = n - i < EW_CHUNK ? n - i : EW_CHUNK;
		while (i + take < n && (u[i + take] & 0xc0) == 0x80)
			take--;		/* never split a character */
		buf_puts(b, i == 0 ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?");
		base64(b, u + i, take);
		buf_puts(b, "?=");
	}
	buf_puts(b, "\r\n");
}

/* RFC 5322 3.3 date-time in UTC, with English names whatever the locale. */
static int
put_date(struct buf *b)
{
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t now;

	if ((now = time(NULL)) == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 || tm.tm_mon > 11)
		return -1;
	buf_printf(b, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n", wday[tm.tm_wday],
	    tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/* 7bit is enough when the body is printable ASCII (plus tab) in short lines. */
static int
body_is_7bit(const char *s)
{
	size_t col = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n') {
			col = 0;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c > 0x7e || ++col > LINE_MAX_7BIT)
			return 0;
	}
	return 1;
}

static void
put_body_7bit(struct buf *b, const char *s)
{
	const char *eol;

	while (*s != '\0') {
		eol = strchr(s, '\n');
		buf_append(b, s, eol != NULL ? (size_t)(eol - s) : strlen(s));
		buf_puts(b, "\r\n");
		if (eol == NULL)
			break;
		s = eol + 1;
	}
}

/*
 * RFC 2045 6.7 quoted-printable: LF becomes a hard CRLF break; '=', bytes
 * outside 33..126, and a space or tab that ends a line are =XX; lines are
 * soft-broken with "=" CRLF to stay within 76 characters.
 */
static void
put_body_qp(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t col = 0, w;
	char enc[3];
	int lit;

	for (; *u != '\0'; u++) {
		if (*u == '\n') {
			buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		lit = (*u >= 33 && *u <= 126 && *u != '=') ||
		    ((*u == ' ' || *u == '\t') && u[1] != '\n' && u[1] != '\0');
		w = lit ? 1 : 3;
		if (col + w > QP_LINE - 1) {
			buf_puts(b, "=\r\n");
			col = 0;
		}
		if (lit)
			buf_append(b, u, 1);
		else {
			enc[0] = '=';
			enc[1] = hex[*u >> 4];
			enc[2] = hex[*u & 15];
			buf_append(b, enc, 3);
		}
		col += w;
	}
	if (col > 0)
		buf_puts(b, "\r\n");
}

/* The whole message, CRLF line endings, no dot-stuffing (libesmtp does it). */
static int
build_message(struct buf *b, const struct mail_msg *m)
{
	const char *line, *eol;
	int qp = !body_is_7bit(m->body);

	if (put_date(b) == -1)
		return -1;
	buf_printf(b, "From: %s\r\n", m->from);
	buf_printf(b, "To: %s\r\n", m->to);
	put_subject(b, m->subject);
	buf_printf(b, "Message-ID: %s\r\n", m->message_id);
	buf_puts(b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n");
	buf_printf(b, "Content-Transfer-Encoding: %s\r\n", qp ? "quoted-printable" : "7bit");
	for (line = m->extra_headers; line != NULL && *line != '\0'; line = eol + 1) {
		eol = strchr(line, '\n');
		buf_append(b, line, eol != NULL ? (size_t)(eol - line) : strlen(line));
		buf_puts(b, "\r\n");
		if (eol == NULL)
			break;
	}
	buf_puts(b, "\r\n");
	if (qp)
		put_body_qp(b, m->body);
	else
		put_body_7bit(b, m->body);
	if (!buf_ok(b) || b->len > INT_MAX)
		return -1;
	return 0;
}

/* ---- libesmtp callbacks ------------------------------------------------- */

static const char *
msg_source(void **ctx, int *len, void *arg)
{
	struct msg_src *src = arg;

	(void)ctx;
	if (len == NULL) {		/* rewind */
		src->sent = 0;
		return NULL;
	}
	if (src->sent) {
		*len = 0;
		return NULL;
	}
	src->sent = 1;
	*len = (int)src->len;		/* <= INT_MAX, checked in build_message */
	return src->data;
}

/*
 * Keeps the server's last reply line and its last 4xx/5xx line for the error
 * text (smtp_errno may be stale, and a refused greeting is followed by "221").
 */
static void
keep_line(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
monitor_cb(const char *data, int len, int writing, void *arg)
{
	struct monitor *mon = arg;
	const char *p = data, *end = data + (len > 0 ? len : 0), *eol;
	size_t n;

	if (writing != SMTP_CB_READING || len <= 0)
		return;
	mon->heard = 1;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((eol != NULL ? eol : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0) {
			keep_line(mon->last, sizeof(mon->last), p, n);
			if (p[0] == '4' || p[0] == '5')
				keep_line(mon->last_err, sizeof(mon->last_err), p, n);
		}
		p = eol != NULL ? eol + 1 : end;
	}
}

static const char *
monitor_said(const struct monitor *mon)
{
	return mon->last_err[0] != '\0' ? mon->last_err :
	    mon->last[0] != '\0' ? mon->last : "nothing";
}

/* ---- SIGPIPE -------------------------------------------------------------- */

/*
 * libesmtp write(2)s to the socket without MSG_NOSIGNAL.  A write to a peer
 * that hung up raises SIGPIPE in the writing thread, so block it here and eat
 * the one our session caused.
 */
static int
sigpipe_block(struct sigpipe_guard *g)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &set, &g->old) != 0)
		return -1;
	g->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
	return 0;
}

static void
sigpipe_restore(struct sigpipe_guard *g)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	if (!g->was_pending && sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE) == 1)
		while (sigtimedwait(&set, NULL, &zero) == -1 && errno == EINTR)
			;
	(void)pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* ---- the session ---------------------------------------------------------- */

static int
code_class(const smtp_status_t *st)
{
	return st != NULL ? st->code / 100 : 0;
}

static const char *
status_text(const smtp_status_t *st)
{
	return st != NULL && st->text != NULL ? st->text : "";
}

/*
 * Our own context for STARTTLS (see the top: libesmtp 1.1.0's cached one is used after
 * free by the second session).  libesmtp takes a reference per session
 * (smtp_starttls_set_ctx), so one context serves every session and thread.
 */
static SSL_CTX *tls_ctx;

int
mail_tls_init(const char *host, const char *ca_file, char *err, size_t errlen)
{
	SSL_CTX *ctx;
	char ebuf[160];

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	/*
	 * TLS 1.2 only, and knowingly: libesmtp 1.1.0 deadlocks on TLS 1.3.  After the
	 * handshake the server sends its session tickets as records of their own; when they
	 * arrive before libesmtp has written the EHLO that follows STARTTLS, its protocol loop
	 * (protocol.c) sees the socket readable, reads the response before it flushes the
	 * command, and waits for the reply to an EHLO it never sent until the timeout (strace
	 * of test_smtp_tls: two 250-byte records read, then a 30 s poll, then EHLO written).
	 * TLS 1.2 has no post-handshake records.  Not fixed upstream as of this writing.
	 */
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION))
		goto fail;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if ((ca_file != NULL && ca_file[0] != '\0' ?
	    SSL_CTX_load_verify_locations(ctx, ca_file, NULL) :
	    SSL_CTX_set_default_verify_paths(ctx)) != 1)
		goto fail;
	/* The certificate must name the server we were told to use, not just any trusted one. */
	X509_VERIFY_PARAM_set_hostflags(SSL_CTX_get0_param(ctx), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	/* An address must be in the certificate as an address (iPAddress), a name as a name. */
	if ((X509_VERIFY_PARAM_set1_ip_asc(SSL_CTX_get0_param(ctx), host) != 1 &&
	    X509_VERIFY_PARAM_set1_host(SSL_CTX_get0_param(ctx), host, 0) != 1))
		goto fail;
	if (tls_ctx != NULL)
		SSL_CTX_free(tls_ctx);
	tls_ctx = ctx;
	return 0;
fail:
	ERR_error_string_n(ERR_get_error(), ebuf, sizeof(ebuf));
	seterr(err, errlen, "TLS set-up failed%s%s: %s", ca_file ? " with " : "",
	    ca_file ? ca_file : "", ebuf);
	SSL_CTX_free(ctx);
	return -1;
}

int
mail_host_is_local(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0;
}

/* What one message of a session needs until the session is destroyed. */
struct pending {
	smtp_message_t message;
	smtp_recipient_t rcpt;
	struct msg_src src;
	struct buf text;
	int ready;               /* valid and added to the session */
};

/* The result of message i from its statuses, as mail_send() documents it. */
static void
classify(struct mail_result *res, smtp_message_t message, smtp_recipient_t rcpt,
    const struct monitor *mon, int started, int serr, const char *hostport)
{
	const smtp_status_t *rp = smtp_reverse_path_status(message),
	    *rs = smtp_recipient_status(rcpt), *ms = smtp_message_transfer_status(message);
	char ebuf[128], *err = res->err;
	size_t errlen = sizeof(res->err);

	res->rc = -1;
	res->permanent = 0;
	if (code_class(rs) == 5) {
		res->permanent = 1;
		seterr(err, errlen, "recipient refused: %d %s", rs->code, status_text(rs));
	} else if (code_class(rs) == 2 && code_class(ms) == 5) {
		res->permanent = 1;
		seterr(err, errlen, "message refused: %d %s", ms->code, status_text(ms));
	} else if (code_class(rs) == 2 && code_class(ms) == 2) {
		res->rc = 0;
		err[0] = '\0';
	} else if (!mon->heard && started) {
		seterr(err, errlen, "no greeting from %s (timeout or connection closed)",
		    hostport);
	} else if (!mon->heard) {
		seterr(err, errlen, "cannot connect to %s: %s", hostport,
		    serr != 0 && smtp_strerror(serr, ebuf, sizeof(ebuf)) != NULL ?
		    ebuf : "no reply");
	} else if (rp == NULL || rp->code == 0) {
		seterr(err, errlen, "SMTP session ended before MAIL FROM; server said: %s",
		    monitor_said(mon));
	} else if (code_class(rp) != 2) {
		seterr(err, errlen, "sender refused: %d %s", rp->code, status_text(rp));
	} else if (code_class(rs) == 4) {
		seterr(err, errlen, "recipient deferred: %d %s", rs->code, status_text(rs));
	} else if (code_class(ms) == 4) {
		seterr(err, errlen, "message deferred: %d %s", ms->code, status_text(ms));
	} else {
		seterr(err, errlen, "no final reply to the message (timeout or connection "
		    "lost); server last said: %s", monitor_said(mon));
	}
}

void
mail_send_batch(const struct mail_server *srv, const struct mail_msg *const *msgs, size_t n,
    struct mail_result *res)
{
	static const int which[] = { Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA,
	    Timeout_TRANSFER, Timeout_DATA2 };
	smtp_session_t session = NULL;
	struct pending *p = NULL;
	struct sigpipe_guard guard;
	struct monitor mon;
	const char *why = NULL;
	char hostport[300], ebuf[128], setup_err[256] = "";
	long ms_timeout;
	int locked = 0, guarded = 0, started = 0, serr = 0, ready = 0;
	size_t i;

	memset(&mon, 0, sizeof(mon));
	for (i = 0; i < n; i++) {
		res[i].rc = -1;
		res[i].permanent = 0;
		res[i].err[0] = '\0';
	}
	if (n == 0)
		return;
	if ((p = calloc(n, sizeof(*p))) == NULL) {
		seterr(setup_err, sizeof(setup_err), "out of memory");
		goto out;
	}
	if (server_string(srv, hostport, sizeof(hostport), &why) == -1) {
		seterr(setup_err, sizeof(setup_err), "%s", why);	/* configuration */
		goto out;
	}
	ms_timeout = 1000L * (srv->timeout_sec <= 0 ? TIMEOUT_DEFAULT :
	    srv->timeout_sec > TIMEOUT_MAX ? TIMEOUT_MAX : srv->timeout_sec);
	if ((session = smtp_create_session()) == NULL ||
	    !smtp_set_server(session, hostport) ||
	    !smtp_set_monitorcb(session, monitor_cb, &mon, 0)) {
		seterr(setup_err, sizeof(setup_err), "libesmtp set-up failed: %s",
		    smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf)) != NULL ? ebuf : "?");
		goto out;
	}
	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		if (smtp_set_timeout(session, which[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
		    ms_timeout) == 0) {
			seterr(setup_err, sizeof(setup_err), "libesmtp rejected the timeout");
			goto out;
		}
	/* A server without STARTTLS, or whose certificate does not verify, gets nothing. */
	if (srv->starttls && (tls_ctx == NULL || !smtp_starttls_set_ctx(session, tls_ctx) ||
	    !smtp_starttls_enable(session, Starttls_REQUIRED))) {
		seterr(setup_err, sizeof(setup_err), "STARTTLS set-up failed (mail_tls_init not called?)");
		goto out;
	}
	/* Each message on its own: an unusable one fails for good and the others go. */
	for (i = 0; i < n; i++) {
		buf_init(&p[i].text);
		why = NULL;
		if (msgs[i] == NULL || msg_valid(msgs[i], &why) == -1) {
			res[i].permanent = 1;
			seterr(res[i].err, sizeof(res[i].err), "%s", why != NULL ? why : "no message");
			continue;
		}
		if (build_message(&p[i].text, msgs[i]) == -1) {
			seterr(res[i].err, sizeof(res[i].err),
			    "cannot build message (out of memory or clock)");
			continue;
		}
		p[i].src.data = p[i].text.data;
		p[i].src.len = p[i].text.len;
		if ((p[i].message = smtp_add_message(session)) == NULL ||
		    !smtp_set_reverse_path(p[i].message, msgs[i]->from) ||
		    !smtp_set_messagecb(p[i].message, msg_source, &p[i].src) ||
		    (p[i].rcpt = smtp_add_recipient(p[i].message, msgs[i]->to)) == NULL) {
			seterr(setup_err, sizeof(setup_err), "libesmtp set-up failed: %s",
			    smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf)) != NULL ? ebuf : "?");
			goto out;
		}
		p[i].ready = 1;
		ready++;
	}
	if (ready == 0)
		goto out;

	/* Until one session has read an EHLO reply, one at a time (see top). */
	if (!atomic_load(&warmed)) {
		if (pthread_mutex_lock(&first_lock) != 0) {
			seterr(setup_err, sizeof(setup_err), "cannot lock");
			goto out;
		}
		locked = 1;
		if (atomic_load(&warmed)) {
			(void)pthread_mutex_unlock(&first_lock);
			locked = 0;
		}
	}
	if (sigpipe_block(&guard) == -1) {
		seterr(setup_err, sizeof(setup_err), "cannot block SIGPIPE");
		goto out;
	}
	guarded = 1;
	started = smtp_start_session(session);
	serr = started ? 0 : smtp_errno();
	for (i = 0; i < n; i++) {
		const smtp_status_t *rp;

		if (!p[i].ready)
			continue;
		rp = smtp_reverse_path_status(p[i].message);
		if (locked && rp != NULL && rp->code != 0)
			atomic_store(&warmed, 1);
		classify(&res[i], p[i].message, p[i].rcpt, &mon, started, serr, hostport);
		if (res[i].rc == 0)
			log_debug("sent %s to %s", msgs[i]->message_id, msgs[i]->to);
	}
out:
	if (guarded)
		sigpipe_restore(&guard);
	if (session != NULL && !smtp_destroy_session(session))
		log_warn("smtp_destroy_session failed");
	if (locked)
		(void)pthread_mutex_unlock(&first_lock);
	/* A failure of the session's set-up is every message's (not yet judged) failure. */
	for (i = 0; i < n; i++) {
		if (setup_err[0] != '\0' && res[i].rc != 0 && res[i].err[0] == '\0')
			seterr(res[i].err, sizeof(res[i].err), "%s", setup_err);
		if (p != NULL)
			buf_release(&p[i].text);
	}
	free(p);
}

int
mail_send(const struct mail_server *srv, const struct mail_msg *m, int *permanent,
    char *err, size_t errlen)
{
	struct mail_result res;

	mail_send_batch(srv, &m, 1, &res);
	if (err != NULL && errlen > 0)
		seterr(err, errlen, "%s", res.err);
	if (permanent != NULL)
		*permanent = res.rc == 0 ? 0 : res.permanent;
	return res.rc;
}
