/* serve.c — see serve.h. */
#include "serve.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libxml/parser.h>

#include "acceptlang.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "filetype.h"
#include "db_gate.h"
#include "defs.h"
#include "handler.h"
#include "log.h"
#include "login_throttle.h"
#include "notify.h"
#include "render.h"
#include "router.h"
#include "token.h"
#include "worker.h"
#include "xmlalloc.h"

#define MAX_THREADS 256

/*
 * nginx keeps FastCGI connections open between requests (fastcgi_keep_conn, upstream
 * keepalive).  A thread waits on its kept connection for that connection's next request,
 * outside the accept lock, so the other threads go on accepting.  nginx keeps at most
 * "keepalive" idle connections per worker and closes the others as soon as their request is
 * answered, so at most worker_processes x keepalive threads wait on idle connections; that
 * must stay below --threads (nginx/README.md).  The engine cannot close a kept connection
 * safely itself: nginx may be sending a POST on it that instant, and answers 502 then.
 * held_fd names the kept connections, so that stop can wake the threads waiting on them.
 */
struct server {
	const struct config *cfg;
	int listen_fd;
	pthread_mutex_t accept_lock;
	pthread_mutex_t held_lock;
	int held_fd[MAX_THREADS];
	volatile sig_atomic_t stop;
	struct http_limits limits;
	int statement_ms, lock_ms;   /* every request thread's connection */
	struct db_gate gate;         /* one thread stays free for pages that need no database */
};

/*
 * How long every place of the gate may stay taken, none returned, before the database counts
 * as stuck: far above an ordinary page, well below the lock timeout.
 */
#define GATE_STUCK_MS 1000

static const char *
fcgi_param(const char *name, void *arg)
{
	return FCGX_GetParam(name, ((FCGX_Request *)arg)->envp);
}

/* Reads at most max + 1 bytes so the parser can tell "too big" from "exactly max". */
static char *
read_body(struct arena *a, FCGX_Request *rq, size_t max, size_t *len)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", rq->envp);
	long long want = config_number(cl, 0, 0, (long long)max + 1);
	char *body;
	int n;

	*len = 0;
	if (want < 0)	/* malformed or larger than allowed: the parser reports which */
		want = 0;
	if ((body = arena_alloc(a, (size_t)want + 1)) == NULL)
		return NULL;
	while (*len < (size_t)want) {
		n = FCGX_GetStr(body + *len, (int)((size_t)want - *len), rq->in);
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	return body;
}

/* libfcgi's own printf knows few formats: we format with the C library and only Put. */
static void
write_response(FCGX_Request *rq, const struct http_resp *r, int head)
{
	char top[256];
	int n;

	n = snprintf(top, sizeof(top), "Status: %d %s\r\nContent-Type: %s\r\n", r->status,
	    resp_status_text(r->status), r->content_type);
	if (n > 0 && (size_t)n < sizeof(top))
		FCGX_PutStr(top, n, rq->out);
	if (r->headers.len > 0)
		FCGX_PutStr(r->headers.data, (int)r->headers.len, rq->out);
	n = snprintf(top, sizeof(top), "Content-Length: %zu\r\n\r\n", r->body.len);
	if (n > 0 && (size_t)n < sizeof(top))
		FCGX_PutStr(top, n, rq->out);
	if (!head && r->body.len > 0)
		FCGX_PutStr(r->body.data, (int)r->body.len, rq->out);
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 1 when the gate refused the request (the database is stuck), else 0. */
static int
handle(struct server *s, struct db *db, FCGX_Request *rq)
{
	struct timespec t0;
	struct arena *a;
	struct http_req req;
	struct http_resp resp;
	struct hctx ctx;
	const char *errmsg = NULL;
	char *body, limit[32];
	size_t len;
	enum http_err e;
	int gated = 0, refused = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp_init(&resp);
	memset(&req, 0, sizeof(req));
	memset(&ctx, 0, sizeof(ctx));
	if ((a = arena_new()) == NULL) {
		resp.status = 500;
		resp.content_type = "text/plain; charset=utf-8";
		buf_puts(&resp.body, "500 Internal Server Error\n");
		goto write;
	}
	ctx.a = a;
	ctx.db = db;
	ctx.cfg = s->cfg;
	ctx.req = &req;
	ctx.resp = &resp;
	ctx.lang = "en";
	body = read_body(a, rq, s->limits.max_body, &len);
	e = body == NULL ? HTTP_ENOMEM :
	    http_req_parse(a, fcgi_param, rq, body, len, &s->limits, &req, &errmsg);
	log_set_request_id(req.request_id);
	if (e != HTTP_OK) {
		/* The request is unusable as a whole: answer from a clean, known state. */
		const char *rid = req.request_id;
		memset(&req, 0, sizeof(req));
		req.request_id = rid;
		req.path = "/";
		req.query = req.content_type = req.accept = req.accept_language = req.remote_addr = req.body = "";
		log_warn("bad request: %s", errmsg ? errmsg : "malformed");
		if (e == HTTP_EBODY)
			ctx.error_arg = config_size_label((long long)s->limits.max_body, limit,
			    sizeof(limit));
		page_error(&ctx, e == HTTP_EBODY ? 413 : e == HTTP_ENOMEM ? 500 : 400,
		    e == HTTP_EBODY ? "error.too-big" : "error.malformed");
		goto write;
	}
	/* Until a session says otherwise (router.c), the browser's language. */
	ctx.lang = acceptlang_page(req.accept_language);
	if (router_needs_db(&ctx)) {
		if (db_gate_enter(&s->gate) == -1) {
			log_warn("%s: every other thread waits for the database; answered 503", req.path);
			page_error(&ctx, 503, "error.db-timeout");
			(void)resp_header(&resp, "Retry-After", "5");
			refused = 1;
			goto write;
		}
		gated = 1;
	}
	router_dispatch(&ctx);
	if (gated)
		db_gate_leave(&s->gate);
	if (db_in_transaction(db)) {
		log_error("handler for %s left a transaction open; rolled back",
		    router_log_path(a, req.path));
		db_rollback(db);
	}
	if (!buf_ok(&resp.body) || !buf_ok(&resp.headers))
		page_error(&ctx, 500, NULL);
write:
	write_response(rq, &resp, req.method == HTTP_HEAD);
	log_info("%s %s %d %.1fms", req.method_name ? req.method_name : "-",
	    req.path && a ? router_log_path(a, req.path) : "-", resp.status, elapsed_ms(&t0));
	log_set_request_id(NULL);
	resp_release(&resp);
	arena_free(a);
	return refused;
}

/*
 * The next request: on the kept connection when there is one (no lock: it is this
 * thread's), else from a new connection, accepted under the lock.  libfcgi accepts a new
 * connection itself when nginx closes a kept one; accept is thread-safe, so that is fine.
 */
static int
next_request(struct server *s, FCGX_Request *rq, int slot)
{
	int rc;

	if (rq->ipcFd < 0) {
		pthread_mutex_lock(&s->accept_lock);
		rc = s->stop ? -1 : FCGX_Accept_r(rq);
		pthread_mutex_unlock(&s->accept_lock);
		return rc;
	}
	pthread_mutex_lock(&s->held_lock);
	s->held_fd[slot] = rq->ipcFd;
	pthread_mutex_unlock(&s->held_lock);
	db_gate_park(&s->gate);
	rc = s->stop ? -1 : FCGX_Accept_r(rq);
	db_gate_unpark(&s->gate);
	pthread_mutex_lock(&s->held_lock);
	s->held_fd[slot] = -1;
	pthread_mutex_unlock(&s->held_lock);
	return rc;
}

/* While stopping, connections are closed after their request, not kept. */
static void
finish_request(struct server *s, FCGX_Request *rq)
{
	if (s->stop)
		rq->keepConnection = 0;
	FCGX_Finish_r(rq);
}

static void *
request_thread(void *arg)
{
	struct server *s = arg;
	FCGX_Request rq;
	struct db *db = NULL;
	int rc, slot;

	pthread_mutex_lock(&s->held_lock);
	for (slot = 0; slot < MAX_THREADS - 1 && s->held_fd[slot] != -2; slot++)
		;
	s->held_fd[slot] = -1;
	pthread_mutex_unlock(&s->held_lock);
	if (FCGX_InitRequest(&rq, s->listen_fd, 0) != 0) {
		log_error("FCGX_InitRequest failed");
		return NULL;
	}
	while (!s->stop) {
		if (db == NULL && (db = db_open_limited(s->cfg->db, s->statement_ms, s->lock_ms)) == NULL) {
			sleep(1);
			continue;
		}
		if ((rc = next_request(s, &rq, slot)) < 0)
			break;
		/* A connection lost while idle is re-established before it is needed. */
		if (db_ensure(db) == -1) {
			log_error("no database; answering 503");
			FCGX_PutS("Status: 503 Service Unavailable\r\n"
			    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
			    "The service is temporarily unavailable. Please try again shortly.\n", rq.out);
		} else if (handle(s, db, &rq) == 1) {
			/*
			 * The database is stuck and this thread is the one kept free: parked on
			 * this kept connection it would accept nothing, so the connection goes
			 * and the thread back to accepting.
			 */
			rq.keepConnection = 0;
		}
		finish_request(s, &rq);
	}
	FCGX_Free(&rq, 1);
	db_close(db);
	xmlalloc_thread_end();
	return NULL;
}

static void *
worker_thread(void *arg)
{
	struct server *s = arg;

	if (worker_run(s->cfg, &s->stop) == -1)
		log_error("the worker thread could not start; mail will wait in the outbox");
	xmlalloc_thread_end();
	return NULL;
}

/*
 * The body limit must leave room for a file over the upload limit: such a
 * file reaches a handler, which shows the form again with the error at its
 * field; only a body over body_max is refused whole (413), by nginx first.
 */
static int
serve_limits(const struct config *cfg, struct http_limits *lim)
{
	long long file, body;
	char unknown[64];

	*lim = http_default_limits;
	file = config_size(cfg->upload_max, (long long)lim->max_file, 1, 1LL << 30);
	body = config_size(cfg->body_max, (long long)lim->max_body, 1024, 1LL << 30);
	if (file < 0 || body < 0) {
		fprintf(stderr, "imiflow serve: --upload-max and --body-max are sizes such as 10m, "
		    "512k or 65536, at most 1024m\n");
		return -1;
	}
	if (body <= file) {
		fprintf(stderr, "imiflow serve: --body-max (%s) must be larger than --upload-max "
		    "(%s), so that a file too large gets the form again\n", cfg->body_max,
		    cfg->upload_max);
		return -1;
	}
	lim->max_file = (size_t)file;
	lim->max_body = (size_t)body;
	if (filetype_configure(cfg->upload_types, unknown) == -1) {
		fprintf(stderr, "imiflow serve: --upload-types: \"%s\" is no kind of file imiflow "
		    "checks; known: %s\n", unknown, FILETYPE_DEFAULT);
		return -1;
	}
	return 0;
}

static int
open_listener(const struct config *cfg)
{
	struct stat st;
	long long mode;
	int fd;

	if (cfg->listen != NULL) {
		if ((fd = FCGX_OpenSocket(cfg->listen, 128)) < 0)
			log_error("cannot listen on %s", cfg->listen);
		return fd;
	}
	if (cfg->socket == NULL) {
		fprintf(stderr, "imiflow serve: give --socket PATH or --listen HOST:PORT\n");
		return -1;
	}
	/* A stale socket from a killed run would make bind fail; anything else we leave alone. */
	if (lstat(cfg->socket, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(cfg->socket);
	if ((fd = FCGX_OpenSocket(cfg->socket, 128)) < 0) {
		log_error("cannot listen on %s: %s", cfg->socket, strerror(errno));
		return -1;
	}
	mode = strtoll(cfg->socket_mode, NULL, 8);
	if (mode <= 0 || mode > 0777 || chmod(cfg->socket, (mode_t)mode) == -1) {
		log_error("%s: cannot set mode %s", cfg->socket, cfg->socket_mode);
		close(fd);
		return -1;
	}
	return fd;
}

int
serve_main(int argc, char **argv)
{
	struct server s;
	struct config cfg;
	struct login_throttle throttle;   /* checked here; read again at each sign-in */
	pthread_t threads[MAX_THREADS], worker;
	sigset_t sigs;
	long long nthreads;
	int sig, started = 0, have_worker = 0, gate_ready = 0, rc = 1;

	memset(&s, 0, sizeof(s));
	s.listen_fd = -1;
	switch (config_parse(&cfg, argc, argv, NULL, "serve [options]",
	    "Runs the FastCGI server behind nginx: --socket PATH (a unix socket, mode\n"
	    "--socket-mode) or --listen HOST:PORT, with --threads request threads and,\n"
	    "unless --no-worker, a thread delivering mail. SIGTERM or SIGINT stops it after\n"
	    "the requests in flight are answered.", NULL)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	s.cfg = &cfg;
	if (serve_limits(&cfg, &s.limits) == -1)
		goto out;
	if (cfg.no_worker == NULL && worker_check(&cfg) == -1)
		goto out;
	if ((nthreads = config_number(cfg.threads, 4, 1, MAX_THREADS)) < 0) {
		fprintf(stderr, "imiflow serve: --threads must be 1..%d\n", MAX_THREADS);
		goto out;
	}
	if (config_db_limits(&cfg, &s.statement_ms, &s.lock_ms) == -1 ||
	    login_throttle_settings(&cfg, &throttle) == -1)
		goto out;
	if (strcmp(cfg.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(cfg.log_level, "warn") == 0)
		log_set_level(LOG_WARN);
	else if (strcmp(cfg.log_level, "error") == 0)
		log_set_level(LOG_ERROR);

	/* Signals go to the main thread only, which waits for them below. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	xmlInitParser();
	if (token_init() == -1 || render_init(cfg.datadir) == -1) {
		log_error("cannot start: stylesheets or catalogs in %s/xslt did not load", cfg.datadir);
		goto out;
	}
	if (FCGX_Init() != 0 || (s.listen_fd = open_listener(&cfg)) < 0)
		goto out;
	pthread_mutex_init(&s.accept_lock, NULL);
	pthread_mutex_init(&s.held_lock, NULL);
	if (db_gate_init(&s.gate, (int)nthreads, GATE_STUCK_MS) == -1) {
		log_error("cannot set up the request threads' gate");
		goto out;
	}
	gate_ready = 1;
	for (int i = 0; i < MAX_THREADS; i++)
		s.held_fd[i] = -2;	/* a free slot */
	for (started = 0; started < nthreads; started++)
		if (pthread_create(&threads[started], NULL, request_thread, &s) != 0) {
			log_error("cannot start request thread %d", started);
			break;
		}
	if (cfg.no_worker == NULL && pthread_create(&worker, NULL, worker_thread, &s) == 0)
		have_worker = 1;
	log_info("serving on %s with %d threads%s", cfg.listen ? cfg.listen : cfg.socket, started,
	    have_worker ? " and a worker" : "");
	/* systemd (Type=notify): the socket accepts now. */
	if (started > 0 && notify_send("READY=1") == -1)
		log_warn("cannot tell systemd that the engine is ready ($NOTIFY_SOCKET)");

	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP)
			continue;	/* reserved for reloading definitions */
		break;
	}
	log_info("signal %d: finishing requests in flight", sig);
	if (notify_send("STOPPING=1") == -1)
		log_warn("cannot tell systemd that the engine is stopping");
	s.stop = 1;
	FCGX_ShutdownPending();
	/* Wakes the thread blocked in accept(); the others see stop when they get the lock. */
	shutdown(s.listen_fd, SHUT_RDWR);
	/* And those waiting on a kept connection: nginx may keep it open for a minute. */
	pthread_mutex_lock(&s.held_lock);
	for (int i = 0; i < MAX_THREADS; i++)
		if (s.held_fd[i] >= 0)
			shutdown(s.held_fd[i], SHUT_RDWR);
	pthread_mutex_unlock(&s.held_lock);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (have_worker)
		pthread_join(worker, NULL);
	pthread_mutex_destroy(&s.accept_lock);
	pthread_mutex_destroy(&s.held_lock);
	rc = started > 0 ? 0 : 1;
out:
	if (gate_ready)
		db_gate_free(&s.gate);
	if (s.listen_fd >= 0) {
		close(s.listen_fd);
		if (cfg.socket != NULL && cfg.listen == NULL)
			unlink(cfg.socket);
	}
	defs_free();
	render_free();
	xmlCleanupParser();
	config_free();
	log_info("stopped");
	return rc;
}
