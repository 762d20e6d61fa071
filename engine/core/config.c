/*
 * config.c — defaults, config file and long options, in that order.
 */
#include "config.h"

#include "filetype.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IMIFLOW_DATADIR
#define IMIFLOW_DATADIR "/usr/local/share/imiflow"
#endif

#define MAX_OPTS 64
#define MAX_LINE 4096
#define MAX_FILE (1024 * 1024)

struct key {
	const char *name;
	size_t offset;
	int has_arg;
	const char *help;
};

#define K(n, f, a, h) { n, offsetof(struct config, f), a, h }
static const struct key keys[] = {
	K("db", db, 1, "libpq connection string (default: \"dbname=imiflow\")"),
	K("datadir", datadir, 1, "directory holding xslt/, sql/, workflows/ (default: " IMIFLOW_DATADIR ")"),
	K("smtp", smtp, 1, "SMTP server host:port for outgoing mail (default: 127.0.0.1:25)"),
	K("mail-from", mail_from, 1, "sender address of mail (default: imiflow@localhost)"),
	K("base-url", base_url, 1, "URL users reach imiflow at, for links in mail (default: http://127.0.0.1:8080)"),
	K("socket", socket, 1, "serve: FastCGI unix socket path"),
	K("listen", listen, 1, "serve: FastCGI on host:port instead of a socket (loopback only!)"),
	K("socket-mode", socket_mode, 1, "serve: octal mode of the unix socket (default: 0660)"),
	K("threads", threads, 1, "serve: request threads (default: 4)"),
	K("no-worker", no_worker, 0, "serve: do not run the mail and timer worker thread"),
	K("log-level", log_level, 1, "debug, info, warn or error (default: info)"),
	K("session-idle", session_idle, 1, "minutes of inactivity that end a session (default: 30)"),
	K("session-max", session_max, 1, "hours after which a session ends regardless (default: 12)"),
	K("db-statement-timeout", db_statement_timeout, 1, "serve, worker: milliseconds a statement may run before it is cancelled (the page answers 503); 0: no limit (default: 5000)"),
	K("db-lock-timeout", db_lock_timeout, 1, "serve, worker: milliseconds a statement may wait for a lock (the page answers 503); 0: no limit (default: 2000)"),
	K("login-throttle-user", login_throttle_user, 1, "failed sign-ins in a row for one username before each further attempt must wait (default: 3)"),
	K("login-throttle-address", login_throttle_address, 1, "failed sign-ins in a row from one client address before each further attempt must wait (default: 10)"),
	K("login-throttle-delay", login_throttle_delay, 1, "seconds of the first such wait, doubled with each further failure, at most 15 minutes (default: 2)"),
	K("mail-retry", mail_retry, 1, "seconds before the first retry of a failed mail, doubled each time (default: 30)"),
	K("smtp-starttls", smtp_starttls, 0, "serve, worker: require STARTTLS and verify the SMTP "
	    "server's certificate and name (needed when --smtp is not this machine)"),
	K("smtp-ca-file", smtp_ca_file, 1, "serve, worker: PEM file of the CAs that --smtp-starttls "
	    "trusts (default: the system's store)"),
	K("cookie-secure", cookie_secure, 0, "mark cookies Secure (set when served over TLS)"),
	K("links-login", links_login, 0, "approval links in mail go through the login page first"),
	K("upload-max", upload_max, 1, "serve: largest uploaded file, e.g. 10m or 512k (default: 10m)"),
	K("upload-types", upload_types, 1, "serve: the kinds of file taken, as extensions separated "
	    "by spaces or commas; each is checked against the file's first bytes (default: "
	    FILETYPE_DEFAULT ")"),
	K("body-max", body_max, 1, "serve: largest request body, files included; nginx's "
	    "client_max_body_size must be the same (default: 20m)"),
};
#undef K
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* Strings read from a config file; freed by config_free(). */
static char **owned;
static size_t nowned;

static const char **
field(struct config *c, const struct key *k)
{
	return (const char **)(void *)((char *)c + k->offset);
}

static const char *
keep(const char *s)
{
	char **n;
	char *p;

	if ((p = strdup(s)) == NULL)
		return NULL;
	if ((n = realloc(owned, (nowned + 1) * sizeof(*owned))) == NULL) {
		free(p);
		return NULL;
	}
	owned = n;
	owned[nowned++] = p;
	return p;
}

void
config_free(void)
{
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	owned = NULL;
	nowned = 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
config_read_buffer(struct config *c, const char *name, const char *text, size_t len)
{
	char line[MAX_LINE], *k, *v, *eq;
	const char *p = text, *end = text + len, *nl;
	int lineno = 0;
	size_t i, n;

	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		/* As fgets() into line[] did: the line break counts, and the last one may lack it. */
		if (n + (nl != NULL) > MAX_LINE - 1) {
			fprintf(stderr, "imiflow: %s:%d: line too long\n", name, lineno);
			return -1;
		}
		/* A NUL would end the line early for every string function below: refuse it. */
		if (memchr(p, '\0', n) != NULL) {
			fprintf(stderr, "imiflow: %s:%d: NUL byte in the line\n", name, lineno);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl != NULL ? nl + 1 : end;
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			fprintf(stderr, "imiflow: %s:%d: expected \"key = value\"\n", name, lineno);
			return -1;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		/* A CR or another control inside a value would reach a mail header (mail_from) or a URL. */
		for (const char *q = v; *q != '\0'; q++)
			if (((unsigned char)*q < 0x20 && *q != '\t') || *q == 0x7f) {
				fprintf(stderr, "imiflow: %s:%d: control character in the value of \"%s\"\n",
				    name, lineno, k);
				return -1;
			}
		for (i = 0; i < NKEYS; i++)
			if (strcmp(keys[i].name, k) == 0)
				break;
		if (i == NKEYS) {
			fprintf(stderr, "imiflow: %s:%d: unknown key \"%s\"\n", name, lineno, k);
			return -1;
		}
		if ((*field(c, &keys[i]) = keep(v)) == NULL) {
			fprintf(stderr, "imiflow: out of memory\n");
			return -1;
		}
	}
	return 0;
}

/* The whole file, then config_read_buffer(): one reader for files and buffers. */
static int
read_file(struct config *c, const char *path)
{
	char *text = NULL, *t;
	size_t len = 0, cap = 0, got;
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "imiflow: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MAX_FILE) {
				fprintf(stderr, "imiflow: %s: larger than %d bytes\n", path, MAX_FILE);
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			if ((t = realloc(text, cap)) == NULL) {
				fprintf(stderr, "imiflow: out of memory\n");
				goto out;
			}
			text = t;
		}
		if ((got = fread(text + len, 1, cap - len, f)) == 0)
			break;
		len += got;
	}
	if (ferror(f)) {
		fprintf(stderr, "imiflow: %s: %s\n", path, strerror(errno));
		goto out;
	}
	rc = config_read_buffer(c, path, text != NULL ? text : "", len);
out:
	free(text);
	fclose(f);
	return rc;
}

static void
defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->db = "dbname=imiflow";
	c->datadir = IMIFLOW_DATADIR;
	c->smtp = "127.0.0.1:25";
	c->mail_from = "imiflow@localhost";
	c->base_url = "http://127.0.0.1:8080";
	c->socket_mode = "0660";
	c->threads = "4";
	c->log_level = "info";
	c->session_idle = "30";
	c->session_max = "12";
	c->mail_retry = "30";
	c->upload_max = "10m";
	c->body_max = "20m";
}

static void
usage(const char *cmd, const struct config_opt *extra, const char *synopsis, const char *about)
{
	size_t i;

	printf("usage: imiflow %s\n\n%s\n\noptions:\n", synopsis, about);
	for (i = 0; extra != NULL && extra[i].name != NULL; i++)
		printf("  --%s%s\n      %s\n", extra[i].name, extra[i].has_arg ? " VALUE" : "",
		    extra[i].help);
	printf("  -c FILE, --config FILE\n      read \"key = value\" settings (keys as below, without --)\n");
	for (i = 0; i < NKEYS; i++)
		printf("  --%s%s\n      %s\n", keys[i].name, keys[i].has_arg ? " VALUE" : "", keys[i].help);
	printf("  -h, --help\n      show this help\n");
	(void)cmd;
}

enum config_result
config_parse(struct config *c, int argc, char **argv, const struct config_opt *extra,
    const char *synopsis, const char *about, int *optind_out)
{
	struct option opts[MAX_OPTS];
	size_t n = 0, nextra = 0, i;
	const char *file = NULL;
	int ch, idx;

	defaults(c);
	while (extra != NULL && extra[nextra].name != NULL)
		nextra++;
	if (NKEYS + nextra + 3 > MAX_OPTS)
		return CONFIG_ERROR;
	/* Codes: 1000+i for common keys, 2000+i for the subcommand's own. */
	for (i = 0; i < NKEYS; i++)
		opts[n++] = (struct option){ keys[i].name, keys[i].has_arg ? required_argument : no_argument,
		    NULL, 1000 + (int)i };
	for (i = 0; i < nextra; i++)
		opts[n++] = (struct option){ extra[i].name, extra[i].has_arg ? required_argument : no_argument,
		    NULL, 2000 + (int)i };
	opts[n++] = (struct option){ "config", required_argument, NULL, 'c' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };

	/* First pass finds -c so the file is read before options override it. */
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+c:h", opts, &idx)) != -1)
		if (ch == 'c')
			file = optarg;
	if (file != NULL && read_file(c, file) == -1)
		return CONFIG_ERROR;

	optind = 1;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "+c:h", opts, &idx)) != -1) {
		if (ch == 'c')
			continue;
		if (ch == 'h') {
			usage(argv[0], extra, synopsis, about);
			return CONFIG_HELP;
		}
		if (ch >= 1000 && ch < 1000 + (int)NKEYS) {
			*field(c, &keys[ch - 1000]) = keys[ch - 1000].has_arg ? optarg : "1";
			continue;
		}
		if (ch >= 2000 && ch < 2000 + (int)nextra) {
			*extra[ch - 2000].target = extra[ch - 2000].has_arg ? optarg : "1";
			continue;
		}
		fprintf(stderr, "imiflow %s: see \"imiflow %s --help\"\n", argv[0], argv[0]);
		return CONFIG_ERROR;
	}
	if (optind_out != NULL)
		*optind_out = optind;
	return CONFIG_OK;
}

long long
config_number(const char *value, long long def, long long min, long long max)
{
	char *end;
	long long v;

	if (value == NULL || *value == '\0')
		return def;
	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	return v;
}

long long
config_size(const char *value, long long def, long long min, long long max)
{
	char *end;
	long long v, unit = 1;

	if (value == NULL || *value == '\0')
		return def;
	if (*value < '0' || *value > '9')
		return -1;
	errno = 0;
	v = strtoll(value, &end, 10);
	if (*end == 'k' || *end == 'K')
		unit = 1024;
	else if (*end == 'm' || *end == 'M')
		unit = 1024 * 1024;
	if (unit > 1)
		end++;
	if (errno != 0 || *end != '\0' || v > max / unit || v * unit < min)
		return -1;
	return v * unit;
}

const char *
config_size_label(long long bytes, char *out, size_t n)
{
	if (bytes > 0 && bytes % (1024 * 1024) == 0)
		snprintf(out, n, "%lld MiB", bytes / (1024 * 1024));
	else if (bytes > 0 && bytes % 1024 == 0)
		snprintf(out, n, "%lld KiB", bytes / 1024);
	else
		snprintf(out, n, "%lld bytes", bytes);
	return out;
}

int
config_db_limits(const struct config *c, int *statement_ms, int *lock_ms)
{
	long long s = config_number(c->db_statement_timeout, 5000, 0, 24LL * 3600 * 1000);
	long long l = config_number(c->db_lock_timeout, 2000, 0, 24LL * 3600 * 1000);

	if (s < 0 || l < 0) {
		fprintf(stderr, "imiflow: --db-statement-timeout and --db-lock-timeout are milliseconds"
		    " (0: no limit)\n");
		return -1;
	}
	*statement_ms = (int)s;
	*lock_ms = (int)l;
	return 0;
}
