/* worker.c — see worker.h. */
#include "worker.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "engine.h"
#include "log.h"
#include "mail.h"
#include "notify.h"
#include "render.h"
#include "token.h"
#include <libxml/parser.h>

#define MAX_ATTEMPTS 15          /* with doubling delays: days of retrying */
#define MAX_DELAY_SECONDS 3600
/*
 * Mails claimed and sent in one SMTP session (the LIMIT of q_claim): one connection and EHLO
 * for all, 5 replies a mail instead of 8 and a connect.  1 would be one session a mail again.
 */
#define MAIL_BATCH 32
#define RETRY_MS 1000           /* after a round that failed or could claim nothing due */
#define MAX_SLEEP_MS 300000      /* a safety net only: NOTIFY wakes the worker (sql/029) */

static const struct db_query q_claim = { "worker_claim",
	"SELECT id, recipient, subject, body, headers, message_id, attempts FROM outbox"
	" WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()"
	" ORDER BY next_attempt_at, id LIMIT 32 FOR UPDATE SKIP LOCKED", 0 };
static const struct db_query q_sent = { "worker_sent",
	"UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
	" WHERE id = $1", 1 };
static const struct db_query q_retry = { "worker_retry",
	"UPDATE outbox SET attempts = attempts + 1, last_error = $2,"
	"       next_attempt_at = now() + make_interval(secs => least($3::float8 * power(2, attempts),"
	"                                                       $4::float8)),"
	"       failed_at = CASE WHEN $5::bool OR attempts + 1 >= $6::int THEN now() END"
	" WHERE id = $1", 6 };

/*
 * How long until the next timer is due (business time) or the next mail may be tried: the
 * worker sleeps that long unless a NOTIFY (a mail queued, a timer written, the clock moved)
 * wakes it first.  NULL when nothing waits.  Both by their partial indexes.
 */
static const struct db_query q_next = { "worker_next",
	"SELECT ceil(1000 * extract(epoch FROM least("
	"  (SELECT min(due_at) FROM wf_timers WHERE fired_at IS NULL AND cancelled_at IS NULL"
	"     AND due_at IS NOT NULL)"
	"    - imi_now(),"
	"  (SELECT min(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL)"
	"    - now())))::bigint", 0 };

struct delivery {
	struct mail_server srv;
	char host[256];
	char port[8];
	const char *from;
	long retry_base;
};

static int
setup(const struct config *cfg, struct delivery *d)
{
	const char *colon = strrchr(cfg->smtp, ':');
	size_t hl;

	memset(d, 0, sizeof(*d));
	if (colon == NULL || (hl = (size_t)(colon - cfg->smtp)) == 0 || hl >= sizeof(d->host) ||
	    strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof(d->port) ||
	    config_number(colon + 1, 25, 1, 65535) < 0) {
		log_error("smtp: expected host:port, got \"%s\"", cfg->smtp);
		return -1;
	}
	memcpy(d->host, cfg->smtp, hl);
	snprintf(d->port, sizeof(d->port), "%s", colon + 1);
	d->srv.host = d->host;
	d->srv.port = d->port;
	d->srv.timeout_sec = 30;
	/*
	 * Mail carries temporary passwords and approval links: over the network only inside
	 * TLS with a verified certificate (ASVS 12.3.2); plain SMTP only to this machine's MTA.
	 */
	if (cfg->smtp_starttls != NULL) {
		char err[256];
		if (mail_tls_init(d->host, cfg->smtp_ca_file, err, sizeof(err)) == -1) {
			log_error("smtp: %s", err);
			return -1;
		}
		d->srv.starttls = 1;
	} else if (!mail_host_is_local(d->host)) {
		log_error("smtp: %s is not this machine: give --smtp-starttls (the server's "
		    "certificate is then verified) or deliver to a local MTA", d->host);
		return -1;
	}
	d->from = cfg->mail_from;
	if ((d->retry_base = (long)config_number(cfg->mail_retry, 30, 1, 86400)) < 0) {
		log_error("mail-retry: expected seconds, got \"%s\"", cfg->mail_retry);
		return -1;
	}
	return 0;
}

/*
 * Claims up to MAIL_BATCH due mails and sends them in one SMTP session: the number sent or
 * given up (each row marked sent, or its retry scheduled), 0 nothing due, -1 database trouble.
 */
static int
deliver_batch(struct db *db, const struct delivery *d)
{
	struct arena *a;
	struct mail_msg m[MAIL_BATCH];
	const struct mail_msg *mp[MAIL_BATCH];
	struct mail_result res[MAIL_BATCH];
	char base[24], maxd[24], maxa[8];
	const char *params[6];
	PGresult *r;
	int rc = -1, n;

	if ((a = arena_new()) == NULL)
		return -1;
	if (db_begin(db) == -1)
		goto out;
	if ((r = db_exec(db, a, &q_claim, NULL)) == NULL)
		goto out;
	if ((n = PQntuples(r)) == 0) {
		rc = 0;
		goto out;
	}
	if (n > MAIL_BATCH)
		n = MAIL_BATCH;
	for (int i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].from = d->from;
		m[i].to = db_value(r, i, 1);
		m[i].subject = db_value(r, i, 2);
		m[i].body = db_value(r, i, 3);
		m[i].extra_headers = db_value(r, i, 4);
		m[i].message_id = db_value(r, i, 5);
		mp[i] = &m[i];
	}
	/* The rows stay locked while we talk SMTP: no other worker sends them meanwhile. */
	mail_send_batch(&d->srv, mp, (size_t)n, res);
	snprintf(base, sizeof(base), "%ld", d->retry_base);
	snprintf(maxd, sizeof(maxd), "%d", MAX_DELAY_SECONDS);
	snprintf(maxa, sizeof(maxa), "%d", MAX_ATTEMPTS);
	for (int i = 0; i < n; i++) {
		params[0] = db_value(r, i, 0);
		if (res[i].rc == 0) {
			log_info("mail %s sent to %s", m[i].message_id, m[i].to);
			if (db_queue(db, a, &q_sent, params, NULL) == -1)
				goto out;
			continue;
		}
		log_warn("mail %s to %s not sent (attempt %s, %s): %s", m[i].message_id, m[i].to,
		    db_value(r, i, 6), res[i].permanent ? "permanent" : "will retry", res[i].err);
		params[1] = res[i].err;
		params[2] = base;
		params[3] = maxd;
		params[4] = res[i].permanent ? "true" : "false";
		params[5] = maxa;
		if (db_queue(db, a, &q_retry, params, NULL) == -1)
			goto out;
	}
	/* Every row's outcome and the COMMIT in one round trip. */
	if (db_commit(db) == -1)
		goto out;
	rc = n;
out:
	if (rc < 1)
		db_rollback(db);
	arena_free(a);
	return rc;
}

static int
listen_outbox(struct db *db)
{
	return db_command(db, "LISTEN imiflow_outbox; LISTEN imiflow_timers");
}

/*
 * Milliseconds until the next work is due (0: now), capped; -1 on database trouble.
 * progress: the round just done fired or sent something.  What is due but could not be
 * claimed (a row someone holds, a failure) is tried again after RETRY_MS, not at once.
 */
static int
next_wait(struct db *db, int progress)
{
	struct arena *a;
	PGresult *r;
	long long ms;
	int rc = -1;

	if ((a = arena_new()) == NULL)
		return -1;
	if ((r = db_exec(db, a, &q_next, NULL)) == NULL)
		goto out;
	ms = db_value(r, 0, 0) == NULL ? MAX_SLEEP_MS : db_int(r, 0, 0);
	if (ms <= 0)
		ms = progress ? 0 : RETRY_MS;
	rc = ms > MAX_SLEEP_MS ? MAX_SLEEP_MS : (int)ms;
out:
	arena_free(a);
	return rc;
}

/* Sleeps until a NOTIFY arrives, ms pass, or stop is set. */
static void
wait_for_work(struct db *db, volatile sig_atomic_t *stop, int ms)
{
	PGconn *c = db_conn(db);
	struct pollfd pfd;
	PGnotify *n;
	int woken = 0;

	pfd.fd = PQsocket(c);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || *stop)
		return;
	/* A NOTIFY may have come with the answers of the round just done. */
	if (PQconsumeInput(c) == 1)
		while ((n = PQnotifies(c)) != NULL) {
			PQfreemem(n);
			woken = 1;
		}
	if (woken || ms == 0)
		return;
	/* In slices of a second at most, so stop is noticed (a thread of serve gets no signal). */
	while (ms > 0 && !*stop) {
		int slice = ms > 1000 ? 1000 : ms, p = poll(&pfd, 1, slice);

		if (p > 0) {
			if (PQconsumeInput(c) == 1)
				while ((n = PQnotifies(c)) != NULL)
					PQfreemem(n);
			return;
		}
		if (p < 0 && errno != EINTR)
			return;
		ms -= slice;
	}
}

/*
 * The worker's connection has the limits of the request threads: a locked outbox or timer
 * table makes a round fail after the lock timeout (logged), and the loop tries again a second
 * later, rather than hanging for as long as the lock is held.
 */
static struct db *
open_limited(const struct config *cfg)
{
	int statement_ms, lock_ms;

	if (config_db_limits(cfg, &statement_ms, &lock_ms) == -1)
		return NULL;
	return db_open_limited(cfg->db, statement_ms, lock_ms);
}

int
worker_run(const struct config *cfg, volatile sig_atomic_t *stop)
{
	struct delivery d;
	struct db *db = NULL;
	int r = 0, listening = 0, statement_ms, lock_ms, sent, fired, ms;
	unsigned long listened_on = 0;

	/* Malformed limits stop the worker at once, not in a loop of failed connections. */
	log_set_request_id("worker");
	if (setup(cfg, &d) == -1 || config_db_limits(cfg, &statement_ms, &lock_ms) == -1)
		return -1;
	while (!*stop) {
		if (db == NULL && (db = open_limited(cfg)) == NULL) {
			sleep(1);
			continue;
		}
		if (!listening) {
			if (db_ensure(db) == -1 || listen_outbox(db) == -1) {
				sleep(1);
				continue;
			}
			listening = 1;
			listened_on = db_connections(db);
		}
		/* Drain what is due, then sleep until the next is due or a NOTIFY. */
		sent = fired = ms = 0;
		while (!*stop && (r = deliver_batch(db, &d)) > 0)
			sent += r;
		/* Due timers fire as the system actor, each once across all workers. */
		if (r == 0 && !*stop && (fired = wf_fire_due_timers(db, cfg)) == -1)
			r = -1;
		if (r == 0 && (ms = next_wait(db, sent + fired > 0)) == -1)
			r = -1;
		if (r == -1) {
			/* A lost connection drops LISTEN too; start over. */
			listening = 0;
			sleep(1);
			continue;
		}
		/*
		 * A statement that met a lost connection reconnected by itself (db_exec): the new
		 * session has no LISTEN, and waiting on it would sleep through every NOTIFY.
		 */
		if (db_connections(db) != listened_on) {
			listening = 0;
			continue;
		}
		wait_for_work(db, stop, ms);
		if (PQstatus(db_conn(db)) != CONNECTION_OK)
			listening = 0;
	}
	db_close(db);
	return 0;
}

int
worker_check(const struct config *cfg)
{
	struct delivery d;

	return setup(cfg, &d);
}

int
worker_drain(const struct config *cfg)
{
	struct delivery d;
	struct db *db;
	int r, n = 0;

	if (setup(cfg, &d) == -1 || (db = open_limited(cfg)) == NULL)
		return -1;
	while ((r = deliver_batch(db, &d)) > 0)
		n += r;
	if (r == 0 && wf_fire_due_timers(db, cfg) == -1)
		r = -1;
	db_close(db);
	return r == -1 ? -1 : n;
}

static volatile sig_atomic_t worker_stop;

static void
on_signal(int sig)
{
	(void)sig;
	worker_stop = 1;
}

int
worker_main(int argc, char **argv)
{
	struct config cfg;
	struct sigaction sa;
	const char *once = NULL;
	const struct config_opt opts[] = {
		{ "once", 0, &once, "deliver what is due now, then exit" },
		{ NULL, 0, NULL, NULL }
	};
	int rc = 1, n;

	switch (config_parse(&cfg, argc, argv, opts, "worker [options]",
	    "Delivers the mail outbox to the SMTP server (retrying with doubling delays\n"
	    "while it is unreachable) and fires due workflow timers, until SIGTERM or\n"
	    "SIGINT. Any number of workers may run at once; each mail and each timer is\n"
	    "claimed by exactly one.", NULL)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	xmlInitParser();
	/* Timers fire transitions whose notifications are rendered here. */
	if (token_init() == -1 || render_init(cfg.datadir) == -1)
		goto out;
	if (once != NULL) {
		if ((n = worker_drain(&cfg)) >= 0) {
			printf("%d mail%s delivered\n", n, n == 1 ? "" : "s");
			rc = 0;
		}
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	log_info("worker started; delivering to %s", cfg.smtp);
	if (notify_send("READY=1") == -1)
		log_warn("cannot tell systemd that the worker is ready ($NOTIFY_SOCKET)");
	rc = worker_run(&cfg, &worker_stop) == 0 ? 0 : 1;
	log_info("worker stopped");
out:
	defs_free();
	render_free();
	config_free();
	return rc;
}
