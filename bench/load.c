/*
 * load.c — the load generator of bench/: a few keep-alive HTTP/1.1 connections to
 * 127.0.0.1, one thread each, as cheap as a client can be, so that the figures measure the
 * server and not the client (a Python client on the same two cores took a third of them).
 * pgbench's client is C too; both sides of a comparison then share the cores alike.
 *
 *     load PORT SECONDS get PATH COOKIE CONNECTIONS
 *         GET PATH over and over (COOKIE "-" for none); a request counts when it is a 200.
 *     load PORT SECONDS fire SPECFILE
 *         one connection per line "INSTANCE REV COOKIE CSRF" of SPECFILE: fires "hit" and
 *         "return" in turn on the instance (the bench/pingpong.xml workflow) with the
 *         revision it expects; a transition counts when it is a 303.
 *
 * Prints one line "ok=N errors=E seconds=S p50=MS p99=MS": the latencies (ms) are the 50th and
 * 99th percentiles over every request that counted, from sending it to its whole answer read
 * (10 µs buckets to 100 ms, 1 ms buckets to 10 s).  A connection stops at its first unexpected
 * answer (and counts an error): a wrong revision would only produce 409s from then on.
 * Built by the bench scripts with cc; not part of the engine.
 */
#define _GNU_SOURCE	/* memmem */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 256
#define BUF_SIZE 65536
#define FINE 10000     /* 10 µs buckets: 0 to 100 ms */
#define COARSE 9900    /* 1 ms buckets: 100 ms to 10 s */

enum mode { MODE_GET, MODE_FIRE };

struct conn {
	pthread_t thread;
	enum mode mode;
	int port;
	double deadline;
	const char *path;        /* get */
	char cookie[256];
	char csrf[128];          /* fire */
	long long instance, rev; /* fire */
	long long ok, errors;
	int fd;
	unsigned hist[FINE + COARSE + 1];
	char buf[BUF_SIZE];
	size_t len;              /* bytes in buf not yet consumed */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
record(struct conn *c, double seconds)
{
	double us = seconds * 1e6;
	size_t b;

	if (us < FINE * 10.0)
		b = (size_t)(us / 10.0);
	else if (us < 1e7)
		b = FINE + (size_t)((us - FINE * 10.0) / 1000.0);
	else
		b = FINE + COARSE;
	if (b > FINE + COARSE)
		b = FINE + COARSE;
	c->hist[b]++;
}

/* The upper edge (ms) of the bucket holding the q-quantile of the counts. */
static double
quantile(const unsigned long long *h, unsigned long long total, double q)
{
	unsigned long long want = (unsigned long long)(q * (double)total), seen = 0;

	for (size_t b = 0; b <= FINE + COARSE; b++) {
		seen += h[b];
		if (seen > want || (seen == total && total > 0))
			return b < FINE ? (double)(b + 1) * 0.01 : 100.0 + (double)(b - FINE + 1);
	}
	return 0;
}

static int
open_conn(struct conn *c)
{
	struct sockaddr_in sa;
	int one = 1;

	if (c->fd >= 0)
		close(c->fd);
	c->len = 0;
	if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)c->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Small requests answered one at a time: Nagle would only add delay. */
	if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1 ||
	    connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static int
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads more into c->buf; 0, or -1 on error or a closed connection. */
static int
fill(struct conn *c)
{
	ssize_t r;

	if (c->len == sizeof(c->buf))
		return -1;
	do
		r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	while (r == -1 && errno == EINTR);
	if (r <= 0)
		return -1;
	c->len += (size_t)r;
	return 0;
}

static void
consume(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* The value of header name (lower case, with the colon) in the header block, or NULL. */
static const char *
header(const char *head, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(head, "\r\n"); p != NULL; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, n) == 0) {
			p += 2 + n;
			while (*p == ' ')
				p++;
			return p;
		}
	}
	return NULL;
}

/*
 * Reads one response; returns its status, or -1.  *close_after tells whether the server
 * ends the connection after it.  The body is read (Content-Length or chunked) and dropped.
 */
static int
read_response(struct conn *c, int *close_after)
{
	char *end, head[8192];
	const char *v;
	size_t hlen;
	long long body;
	int status;

	while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) == NULL)
		if (fill(c) == -1)
			return -1;
	hlen = (size_t)(end - c->buf) + 4;
	if (hlen >= sizeof(head))
		return -1;
	memcpy(head, c->buf, hlen);
	head[hlen] = '\0';
	consume(c, hlen);
	if (sscanf(head, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	v = header(head, "connection:");
	*close_after = v != NULL && strncasecmp(v, "close", 5) == 0;
	if ((v = header(head, "content-length:")) != NULL) {
		body = strtoll(v, NULL, 10);
		while ((long long)c->len < body)
			if (fill(c) == -1)
				return -1;
		consume(c, (size_t)body);
		return status;
	}
	if ((v = header(head, "transfer-encoding:")) == NULL || strncasecmp(v, "chunked", 7) != 0)
		return -1;	/* a body up to the close: not from nginx to HTTP/1.1 */
	for (;;) {
		while ((end = memmem(c->buf, c->len, "\r\n", 2)) == NULL)
			if (fill(c) == -1)
				return -1;
		body = strtoll(c->buf, NULL, 16);
		consume(c, (size_t)(end - c->buf) + 2);
		while ((long long)c->len < body + 2)
			if (fill(c) == -1)
				return -1;
		consume(c, (size_t)body + 2);
		if (body == 0)
			return status;
	}
}

static void *
run(void *arg)
{
	static const char *const events[] = { "hit", "return" };
	struct conn *c = arg;
	char req[2048], form[512];
	int n, m, status, close_after;
	double t;

	if (open_conn(c) == -1) {
		c->errors++;
		return NULL;
	}
	while (now() < c->deadline) {
		if (c->mode == MODE_GET) {
			n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			    "%s%s%s\r\n", c->path, c->cookie[0] ? "Cookie: " : "", c->cookie,
			    c->cookie[0] ? "\r\n" : "");
		} else {
			m = snprintf(form, sizeof(form), "csrf=%s&rev=%lld&note=n%lld", c->csrf, c->rev,
			    c->ok);
			if (m < 0 || (size_t)m >= sizeof(form))
				break;
			n = snprintf(req, sizeof(req), "POST /instances/%lld/fire/%s HTTP/1.1\r\n"
			    "Host: 127.0.0.1\r\nCookie: %s\r\n"
			    "Content-Type: application/x-www-form-urlencoded\r\n"
			    "Content-Length: %d\r\n\r\n%s", c->instance, events[c->ok % 2], c->cookie, m,
			    form);
		}
		if (n < 0 || (size_t)n >= sizeof(req))
			break;
		t = now();
		if (send_all(c->fd, req, (size_t)n) == -1 ||
		    (status = read_response(c, &close_after)) == -1) {
			c->errors++;
			break;
		}
		if (status != (c->mode == MODE_GET ? 200 : 303)) {
			fprintf(stderr, "load: unexpected status %d\n", status);
			c->errors++;
			break;
		}
		record(c, now() - t);
		c->ok++;
		c->rev++;
		if (close_after && open_conn(c) == -1) {
			c->errors++;
			break;
		}
	}
	if (c->fd >= 0)
		close(c->fd);
	return NULL;
}

static int
usage(void)
{
	fprintf(stderr, "usage: load PORT SECONDS get PATH COOKIE CONNECTIONS\n"
	    "       load PORT SECONDS fire SPECFILE\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static struct conn conns[MAX_CONNS];
	static unsigned long long hist[FINE + COARSE + 1];
	long long ok = 0, errors = 0;
	size_t nconns = 0;
	double t0, seconds;
	FILE *spec;
	int port;

	if (argc < 5)
		return usage();
	port = atoi(argv[1]);
	seconds = atof(argv[2]);
	if (port <= 0 || port > 65535 || seconds <= 0)
		return usage();
	if (strcmp(argv[3], "get") == 0 && argc == 7) {
		nconns = (size_t)atoi(argv[6]);
		if (nconns < 1 || nconns > MAX_CONNS)
			return usage();
		for (size_t i = 0; i < nconns; i++) {
			conns[i].mode = MODE_GET;
			conns[i].path = argv[4];
			if (strcmp(argv[5], "-") != 0)
				snprintf(conns[i].cookie, sizeof(conns[i].cookie), "%s", argv[5]);
		}
	} else if (strcmp(argv[3], "fire") == 0 && argc == 5) {
		if ((spec = fopen(argv[4], "r")) == NULL) {
			perror(argv[4]);
			return 1;
		}
		while (nconns < MAX_CONNS && fscanf(spec, "%lld %lld %255s %127s", &conns[nconns].instance,
		    &conns[nconns].rev, conns[nconns].cookie, conns[nconns].csrf) == 4)
			conns[nconns++].mode = MODE_FIRE;
		fclose(spec);
		if (nconns == 0)
			return usage();
	} else
		return usage();
	t0 = now();
	for (size_t i = 0; i < nconns; i++) {
		conns[i].port = port;
		conns[i].deadline = t0 + seconds;
		conns[i].fd = -1;
		if (pthread_create(&conns[i].thread, NULL, run, &conns[i]) != 0) {
			fprintf(stderr, "load: cannot start a thread\n");
			return 1;
		}
	}
	for (size_t i = 0; i < nconns; i++) {
		pthread_join(conns[i].thread, NULL);
		ok += conns[i].ok;
		errors += conns[i].errors;
		for (size_t b = 0; b <= FINE + COARSE; b++)
			hist[b] += conns[i].hist[b];
	}
	seconds = now() - t0;
	printf("ok=%lld errors=%lld seconds=%.3f p50=%.2f p99=%.2f\n", ok, errors, seconds,
	    quantile(hist, (unsigned long long)ok, 0.50), quantile(hist, (unsigned long long)ok, 0.99));
	return 0;
}
