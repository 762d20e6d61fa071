/*
 * bare.c — the reference of bench/pages.py: DESIGN.md's "bare page", a 50-row page made the
 * way imiflow makes one, minus everything a product page adds (the session, the definitions,
 * the engine's routing and models): a FastCGI program with libfcgi, one libpq connection per
 * thread with one prepared statement fetching the 50 newest instances, a libxml2 tree of
 * them, a stylesheet compiled once with libxslt (bench/bare.xsl: the same frame and list as
 * the /workflows page, labels written out), serialised and written.
 *
 *     bare SOCKET CONNINFO STYLESHEET THREADS
 *
 * Threads accept in turn under a mutex and wait on the connections nginx keeps outside it,
 * as `imiflow serve` does (nginx/imiflow.conf.in keeps fewer than THREADS).  Stops on
 * SIGTERM or SIGINT once nginx has closed the connections it keeps (stop nginx first).  Built by bench/pages.py with cc; not part of the engine.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libpq-fe.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#define MAX_THREADS 64

static const char *conninfo;
static xsltStylesheetPtr style;
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;
static int listen_fd = -1;
static volatile sig_atomic_t stopping;

static const char q_rows[] =
	"SELECT i.id, i.definition, i.version, i.state, i.updated_at FROM wf_instances i"
	" ORDER BY i.id DESC LIMIT 50";

static int
page(PGconn *db, FCGX_Request *rq)
{
	static const char *cols[] = { "id", "definition", "version", "state", "updated" };
	PGresult *r;
	xmlDocPtr model = NULL, res = NULL;
	xmlNodePtr root, list, n;
	xmlChar *text = NULL;
	int len = 0, rc = -1;

	r = PQexecPrepared(db, "rows", 0, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto out;
	if ((model = xmlNewDoc(BAD_CAST "1.0")) == NULL ||
	    (root = xmlNewDocNode(model, NULL, BAD_CAST "page", NULL)) == NULL)
		goto out;
	xmlDocSetRootElement(model, root);
	if ((list = xmlNewChild(root, NULL, BAD_CAST "instances", NULL)) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((n = xmlNewChild(list, NULL, BAD_CAST "instance", NULL)) == NULL)
			goto out;
		for (int c = 0; c < 5; c++)
			if (xmlNewProp(n, BAD_CAST cols[c], BAD_CAST PQgetvalue(r, i, c)) == NULL)
				goto out;
	}
	if ((res = xsltApplyStylesheet(style, model, NULL)) == NULL ||
	    xsltSaveResultToString(&text, &len, res, style) != 0 || len < 0)
		goto out;
	FCGX_FPrintF(rq->out, "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\nContent-Length: %d\r\n\r\n", len);
	FCGX_PutStr((const char *)text, len, rq->out);
	rc = 0;
out:
	xmlFree(text);
	xmlFreeDoc(res);
	xmlFreeDoc(model);
	PQclear(r);
	return rc;
}

static void *
serve(void *arg)
{
	FCGX_Request rq;
	PGconn *db;
	PGresult *r;
	int rc;

	(void)arg;
	db = PQconnectdb(conninfo);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "bare: %s", PQerrorMessage(db));
		goto out;
	}
	r = PQprepare(db, "rows", q_rows, 0, NULL);
	rc = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!rc || FCGX_InitRequest(&rq, listen_fd, 0) != 0) {
		fprintf(stderr, "bare: cannot prepare: %s", PQerrorMessage(db));
		goto out;
	}
	while (!stopping) {
		/* A connection nginx keeps is this thread's: wait on it outside the lock. */
		if (rq.ipcFd >= 0) {
			rc = FCGX_Accept_r(&rq);
		} else {
			pthread_mutex_lock(&accept_lock);
			rc = stopping ? -1 : FCGX_Accept_r(&rq);
			pthread_mutex_unlock(&accept_lock);
		}
		if (rc < 0)
			break;
		if (page(db, &rq) == -1)
			FCGX_PutS("Status: 500 Internal Server Error\r\n"
			    "Content-Type: text/plain\r\n\r\nfailed\n", rq.out);
		FCGX_Finish_r(&rq);
	}
	FCGX_Free(&rq, 1);
out:
	PQfinish(db);
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t threads[MAX_THREADS];
	sigset_t sigs;
	int n, started = 0, sig;

	if (argc != 5 || (n = atoi(argv[4])) < 1 || n > MAX_THREADS) {
		fprintf(stderr, "usage: bare SOCKET CONNINFO STYLESHEET THREADS\n");
		return 2;
	}
	conninfo = argv[2];
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	xmlInitParser();
	if ((style = xsltParseStylesheetFile(BAD_CAST argv[3])) == NULL) {
		fprintf(stderr, "bare: %s does not compile\n", argv[3]);
		return 1;
	}
	unlink(argv[1]);
	if (FCGX_Init() != 0 || (listen_fd = FCGX_OpenSocket(argv[1], 128)) < 0 ||
	    chmod(argv[1], 0660) == -1) {
		fprintf(stderr, "bare: cannot listen on %s\n", argv[1]);
		return 1;
	}
	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, serve, NULL) != 0)
			break;
	while (sigwait(&sigs, &sig) != 0)
		;
	stopping = 1;
	FCGX_ShutdownPending();
	shutdown(listen_fd, SHUT_RDWR);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	close(listen_fd);
	unlink(argv[1]);
	xsltFreeStylesheet(style);
	xsltCleanupGlobals();
	xmlCleanupParser();
	return started == n ? 0 : 1;
}
