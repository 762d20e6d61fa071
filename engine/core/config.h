/*
 * config.h — the settings every subcommand shares.  Sources, later ones win:
 * built-in defaults, a config file (-c FILE, "key = value" lines), then long
 * options on the command line (same keys).  Values live for the process.
 */
#ifndef IMIFLOW_CONFIG_H
#define IMIFLOW_CONFIG_H

#include <stddef.h>

struct config {
	const char *db;             /* libpq conninfo */
	const char *datadir;        /* holds xslt/, sql/, workflows/ */
	const char *smtp;           /* host:port */
	const char *mail_from;
	const char *base_url;       /* absolute URL the pages are reached at, for mail links */
	const char *socket;         /* FastCGI unix socket path */
	const char *listen;         /* or host:port */
	const char *socket_mode;    /* octal, for the unix socket */
	const char *threads;
	const char *no_worker;      /* "1": serve runs no mail/timer worker thread */
	const char *log_level;      /* debug, info, warn, error */
	const char *session_idle;   /* minutes */
	const char *session_max;    /* hours */
	/* Slow database and failed sign-ins (unset: the defaults of config_db_limits, login_throttle.h). */
	const char *db_statement_timeout;   /* milliseconds, 0: none */
	const char *db_lock_timeout;        /* milliseconds, 0: none */
	const char *login_throttle_user;    /* failures in a row for a username before waits start */
	const char *login_throttle_address; /* the same for a client address */
	const char *login_throttle_delay;   /* seconds: the first wait, doubled each further failure */
	const char *mail_retry;     /* seconds: first retry delay, doubled each attempt */
	const char *smtp_starttls;  /* "1": STARTTLS required, certificate verified (remote SMTP) */
	const char *smtp_ca_file;   /* PEM CA file for that check; unset: the system's store */
	const char *cookie_secure;  /* "1": Secure flag on cookies (behind TLS) */
	const char *links_login;    /* "1": approval links in mail work only signed in as their user */
	/* Sizes as nginx writes them ("10m", "512k", bytes); nginx's client_max_body_size is body_max. */
	const char *upload_max;     /* serve: one uploaded file */
	const char *body_max;       /* serve: a request body, files included */
	const char *upload_types;   /* serve: file-name extensions taken (core/filetype.h) */
};

/* A subcommand's own option: a string (has_arg 1) or a flag set to "1" (has_arg 0). */
struct config_opt {
	const char *name;
	int has_arg;
	const char **target;
	const char *help;
};

enum config_result { CONFIG_OK, CONFIG_HELP, CONFIG_ERROR };

/*
 * Parses argv (argv[0] is the subcommand name) into c and the subcommand's
 * extra options (a NULL-name terminated array, or NULL).  On CONFIG_HELP the
 * usage has been printed to stdout; on CONFIG_ERROR a message to stderr.
 * *optind_out gets the index of the first operand.
 */
enum config_result config_parse(struct config *c, int argc, char **argv,
    const struct config_opt *extra, const char *synopsis, const char *about,
    int *optind_out);

/*
 * Reads "key = value" lines (# comments, blank lines; keys as the long options)
 * from text[0..len), as -c FILE does with the file's content, over what c
 * holds already (config_parse() leaves defaults, file and options there).
 * name is for messages ("NAME:LINE: ...", on stderr).  Refused: a line over
 * 4095 bytes, a NUL byte, a line without '=', an unknown key, a control
 * character other than tab in a value.  0, or -1 (c may hold some lines'
 * values).  The strings live until config_free().
 */
int config_read_buffer(struct config *c, const char *name, const char *text, size_t len);

/* Parsed numeric helpers: return def when unset, -1 when malformed or out of [min,max]. */
long long config_number(const char *value, long long def, long long min, long long max);

/*
 * A size as nginx writes it: digits, then k or m (any case) for KiB or MiB;
 * def when unset, -1 when malformed or out of [min,max] bytes.
 */
long long config_size(const char *value, long long def, long long min, long long max);

/* bytes for people: "10 MiB", "512 KiB" or "1000 bytes", in out[n]. */
const char *config_size_label(long long bytes, char *out, size_t n);

/*
 * The per-connection limits of serve and worker (--db-statement-timeout, --db-lock-timeout),
 * in milliseconds, 0 for none.  0, or -1 with a message to stderr when malformed.
 */
int config_db_limits(const struct config *c, int *statement_ms, int *lock_ms);

void config_free(void);

#endif
