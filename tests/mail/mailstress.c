/*
 * mailstress — send COUNT messages through mail_send() to a real SMTP server.
 *
 *	mailstress HOST PORT COUNT [THREADS [TO]]
 *
 * TO is the recipient (default sink@imiflow.test); MAILSTRESS_TIMEOUT in the
 * environment sets mail_server.timeout_sec (default 20); MAILSTRESS_BATCH=N
 * (default 1) sends N messages a session with mail_send_batch(), as the outbox
 * worker does (libesmtp issue #30: several messages in one session).
 *
 * Message i (0 <= i < COUNT) has Message-ID <mailstress.PID.i@imiflow.test>,
 * and the subject and body made by make_subject()/make_body() below;
 * tests/e2e/test_mail_delivery.py rebuilds the same texts to check what the
 * sink stored, so keep the two in step.  Every tenth message is plain ASCII
 * (7bit body, unencoded subject), the others UTF-8 (quoted-printable body,
 * RFC 2047 subject).  Every body has lines that start with '.'.
 *
 * Before sending, a few messages that must be refused without any network
 * traffic (header injection, bad UTF-8, reserved extra header) are checked.
 *
 * Prints one "FAIL i permanent=P err=..." line per failed message and a
 * summary "sent N failed F seconds S msgs/s R"; exits 0 when every message
 * was accepted, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"

#define FROM	"mailstress@imiflow.test"
#define TO	"sink@imiflow.test"

struct worker {
	pthread_t tid;
	const struct mail_server *srv;
	const char *to;
	long first, count, step;
	long sent, failed;
	int started;
};

#define BATCH_MAX 100
static long batch = 1;

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static int
plain(long i)
{
	return i % 10 == 0;
}

static void
make_subject(long i, char *out, size_t outlen)
{
	if (plain(i))
		snprintf(out, outlen, "mailstress %ld plain subject", i);
	else if (i % 3 == 0)
		snprintf(out, outlen, "Prøve %ld: ţară, Ærø, naïve — ✓ 日本語 … and a much "
		    "longer tail that needs several encoded-words ✓✓✓ end", i);
	else
		snprintf(out, outlen, "Prøve %ld: ţară, Ærø — ✓", i);
}

static void
make_body(long i, char *out, size_t outlen)
{
	snprintf(out, outlen,
	    "Hello %ld,\n"
	    ".this line starts with a dot\n"
	    ".\n"
	    "..two dots\n"
	    "%s\n"
	    "Link: http://127.0.0.1:8080/approve?token=abc%ld&x=1 and a long tail "
	    "0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 end\n"
	    "= equals at the start\n"
	    "trailing space and tab \t\n"
	    "%s\n"
	    "last line\n",
	    i, plain(i) ? "ASCII only line" : "Ünïcödé: Ærø ţară 日本語 ✓", i,
	    plain(i) ? "plain again" : "ţ€𝄞 a long UTF-8 line ţţţţţţţţţţţţţţţţţţţţţţţţţţţţ"
	    "ţţţţţţţţţţţţţţţţţţţţţţţţţţţţţţ 𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞 end");
}

struct slot {
	char subject[512], body[1024], msgid[128], extra[128];
	struct mail_msg m;
};

static void
fill(struct slot *sl, const struct worker *w, long i)
{
	make_subject(i, sl->subject, sizeof(sl->subject));
	make_body(i, sl->body, sizeof(sl->body));
	snprintf(sl->msgid, sizeof(sl->msgid), "<mailstress.%ld.%ld@imiflow.test>", (long)getpid(), i);
	snprintf(sl->extra, sizeof(sl->extra), "X-Mailstress: %ld\nSender: sender@imiflow.test\n", i);
	sl->m.from = FROM;
	sl->m.to = w->to;
	sl->m.message_id = sl->msgid;
	sl->m.subject = sl->subject;
	sl->m.body = sl->body;
	sl->m.extra_headers = sl->extra;
}

static void
report(struct worker *w, long i, int rc, int permanent, const char *err)
{
	if (rc == 0) {
		w->sent++;
		return;
	}
	w->failed++;
	pthread_mutex_lock(&out_lock);
	printf("FAIL %ld permanent=%d err=%s\n", i, permanent, err);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void *
run(void *arg)
{
	static __thread struct slot slots[BATCH_MAX];
	struct worker *w = arg;
	const struct mail_msg *mp[BATCH_MAX];
	struct mail_result res[BATCH_MAX];
	long idx[BATCH_MAX], i = w->first;
	size_t n;
	char err[256];
	int permanent, rc;

	while (i < w->count) {
		if (batch == 1) {
			fill(&slots[0], w, i);
			permanent = -1;
			rc = mail_send(w->srv, &slots[0].m, &permanent, err, sizeof(err));
			report(w, i, rc, permanent, err);
			i += w->step;
			continue;
		}
		for (n = 0; n < (size_t)batch && i < w->count; n++, i += w->step) {
			fill(&slots[n], w, i);
			mp[n] = &slots[n].m;
			idx[n] = i;
		}
		mail_send_batch(w->srv, mp, n, res);
		for (size_t k = 0; k < n; k++)
			report(w, idx[k], res[k].rc, res[k].permanent, res[k].err);
	}
	return NULL;
}

/* Must fail permanently before any connection (the server is never reached). */
static int
selfcheck(const struct mail_server *srv)
{
	static const struct {
		const char *name, *from, *to, *msgid, *subject, *body, *extra;
	} bad[] = {
		{ "CRLF in subject", FROM, TO, "<a@b>", "hi\r\nBcc: x@y", "b\n", NULL },
		{ "LF in to", FROM, TO "\nBcc: x@y", "<a@b>", "s", "b\n", NULL },
		{ "CR in from", FROM "\r", TO, "<a@b>", "s", "b\n", NULL },
		{ "LF in message-id", FROM, TO, "<a@b>\nX: y", "s", "b\n", NULL },
		{ "message-id without <>", FROM, TO, "a@b", "s", "b\n", NULL },
		{ "bad UTF-8 subject", FROM, TO, "<a@b>", "\xc3\x28", "b\n", NULL },
		{ "bad UTF-8 body", FROM, TO, "<a@b>", "s", "\xed\xa0\x80\n", NULL },
		{ "reserved extra header", FROM, TO, "<a@b>", "s", "b\n", "Subject: x\n" },
		{ "CR in extra header", FROM, TO, "<a@b>", "s", "b\n", "X-A: b\r\nX-C: d\n" },
		{ "folded extra header", FROM, TO, "<a@b>", "s", "b\n", "X-A: b\n c\n" },
	};
	struct mail_msg m;
	char err[256];
	size_t i;
	int permanent, bad_count = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.from = bad[i].from;
		m.to = bad[i].to;
		m.message_id = bad[i].msgid;
		m.subject = bad[i].subject;
		m.body = bad[i].body;
		m.extra_headers = bad[i].extra;
		permanent = -1;
		err[0] = '\0';
		if (mail_send(srv, &m, &permanent, err, sizeof(err)) != -1 || permanent != 1 ||
		    err[0] == '\0' || strpbrk(err, "\r\n") != NULL) {
			printf("SELFCHECK FAIL %s: permanent=%d err=%s\n", bad[i].name, permanent, err);
			bad_count++;
		}
	}
	printf("selfcheck %zu cases, %d failed\n", sizeof(bad) / sizeof(bad[0]), bad_count);
	return bad_count == 0 ? 0 : -1;
}

static long
number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	return v;
}

int
main(int argc, char *argv[])
{
	struct mail_server srv;
	struct worker *w = NULL;
	struct timespec t0, t1;
	const char *to = TO, *env;
	long count, threads = 1, t, sent = 0, failed = 0, timeout = 20;
	double secs;
	int status = 1, selfbad;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: mailstress HOST PORT COUNT [THREADS [TO]]\n");
		return 2;
	}
	if ((count = number(argv[3], 0, 1000000)) == -1 ||
	    (argc >= 5 && (threads = number(argv[4], 1, 64)) == -1) ||
	    ((env = getenv("MAILSTRESS_TIMEOUT")) != NULL &&
	    (timeout = number(env, 1, 3600)) == -1)) {
		fprintf(stderr, "mailstress: bad COUNT, THREADS or MAILSTRESS_TIMEOUT\n");
		return 2;
	}
	if ((env = getenv("MAILSTRESS_BATCH")) != NULL && (batch = number(env, 1, BATCH_MAX)) == -1) {
		fprintf(stderr, "mailstress: bad MAILSTRESS_BATCH\n");
		return 2;
	}
	if (argc == 6)
		to = argv[5];
	srv.host = argv[1];
	srv.port = argv[2];
	srv.timeout_sec = (int)timeout;

	selfbad = selfcheck(&srv) == -1;

	if ((w = calloc((size_t)threads, sizeof(*w))) == NULL) {
		perror("calloc");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t = 0; t < threads; t++) {
		w[t].srv = &srv;
		w[t].to = to;
		w[t].first = t;
		w[t].count = count;
		w[t].step = threads;
		if (pthread_create(&w[t].tid, NULL, run, &w[t]) != 0) {
			fprintf(stderr, "mailstress: pthread_create failed\n");
			break;
		}
		w[t].started = 1;
	}
	for (t = 0; t < threads; t++) {
		if (!w[t].started)
			continue;
		pthread_join(w[t].tid, NULL);
		sent += w[t].sent;
		failed += w[t].failed;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("sent %ld failed %ld threads %ld seconds %.3f msgs/s %.1f\n", sent, failed,
	    threads, secs, secs > 0 ? (double)sent / secs : 0.0);
	if (sent == count && failed == 0 && !selfbad)
		status = 0;
out:
	free(w);
	return status;
}
