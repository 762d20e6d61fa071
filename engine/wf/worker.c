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
#define IDLE_POLL_MS 1000

static const struct db_query q_claim = { "worker_claim",
	"SELECT id, recipient, subject, body, headers, message_id, attempts FROM outbox"
	" WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()"
	" ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", 0 };
static const struct db_query q_sent = { "worker_sent",
	"UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
	" WHERE id = $1", 1 };
static const struct db_query q_retry = { "worker_retry",
	"UPDATE outbox SET attempts = attempts + 1, last_error = $2,"
	"       next_attempt_at = now() + make_interval(secs => least($3::float8 * power(2, attempts),"
	"                                                       $4::float8)),"
	"       failed_at = CASE WHEN $5::bool OR attempts + 1 >= $6::int THEN now() END"
	" WHERE id = $1", 6 };

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

/* 1 sent or given up, 0 nothing due, -1 database trouble. */
static int
deliver_one(struct db *db, const struct delivery *d)
{
	struct arena *a;
	struct mail_msg m;
	char err[256], base[24], maxd[24], maxa[8];
	const char *params[6];
	PGresult *r;
	int permanent = 0, rc = -1;

	if ((a = arena_new()) == NULL)
		return -1;
	if (db_begin(db) == -1)
		goto out;
	if ((r = db_exec(db, a, &q_claim, NULL)) == NULL)
		goto out;
	if (PQntuples(r) == 0) {
		rc = 0;
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.from = d->from;
	m.to = db_value(r, 0, 1);
	m.subject = db_value(r, 0, 2);
	m.body = db_value(r, 0, 3);
	m.extra_headers = db_value(r, 0, 4);
	m.message_id = db_value(r, 0, 5);
	params[0] = db_value(r, 0, 0);
	/* The row stays locked while we talk SMTP: no other worker sends it meanwhile. */
	if (mail_send(&d->srv, &m, &permanent, err, sizeof(err)) == 0) {
		log_info("mail %s sent to %s", m.message_id, m.to);
		if (db_exec(db, a, &q_sent, params) == NULL)
			goto out;
	} else {
		log_warn("mail %s to %s not sent (attempt %s, %s): %s", m.message_id, m.to,
		    db_value(r, 0, 6), permanent ? "permanent" : "will retry", err);
		snprintf(base, sizeof(base), "%ld", d->retry_base);
		snprintf(maxd, sizeof(maxd), "%d", MAX_DELAY_SECONDS);
		snprintf(maxa, sizeof(maxa), "%d", MAX_ATTEMPTS);
		params[1] = err;
		params[2] = base;
		params[3] = maxd;
		params[4] = permanent ? "true" : "false";
		params[5] = maxa;
		if (db_exec(db, a, &q_retry, params) == NULL)
			goto out;
	}
	if (db_commit(db) == -1)
		goto out;
	rc = 1;
out:
	if (rc != 1)
		db_rollback(db);
	arena_free(a);
	return rc;
}

static int
listen_outbox(struct db *db)
{
	return db_command(db, "LISTEN imiflow_outbox");
}

/* Sleeps until a NOTIFY arrives, the timeout passes, or stop is set. */
static void
wait_for_work(struct db *db, volatile sig_atomic_t *stop)
{
	PGconn *c = db_conn(db);
	struct pollfd pfd;
	PGnotify *n;

	pfd.fd = PQsocket(c);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || *stop)
		return;
	if (poll(&pfd, 1, IDLE_POLL_MS) > 0 && PQconsumeInput(c) == 1)
		while ((n = PQnotifies(c)) != NULL)
			PQfreemem(n);
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
	int r = 0, listening = 0, statement_ms, lock_ms;

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
		}
		/* Drain what is due, then sleep until notified or a second passes. */
		while (!*stop && (r = deliver_one(db, &d)) == 1)
			;
		/* Due timers fire as the system actor, each once across all workers. */
		if (r == 0 && !*stop && wf_fire_due_timers(db, cfg) == -1)
			r = -1;
		if (r == -1) {
			/* A lost connection drops LISTEN too; start over. */
			listening = 0;
			sleep(1);
			continue;
		}
		wait_for_work(db, stop);
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
	while ((r = deliver_one(db, &d)) == 1)
		n++;
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
