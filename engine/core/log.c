/*
 * log.c — timestamped, request-tagged log lines.  A whole line is formatted
 * first and written with one write(2) so threads never interleave halves.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
/* Request ids up to 64 characters are accepted (http.c); room to spare. */
static _Thread_local char request_id[72];

static const char *const level_names[LOG__MAX] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level min)
{
	min_level = min;
}

void
log_set_request_id(const char *id)
{
	if (id == NULL)
		request_id[0] = '\0';
	else
		snprintf(request_id, sizeof(request_id), "%s", id);
}

const char *
log_request_id(void)
{
	return request_id[0] != '\0' ? request_id : "-";
}

void
log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;
	int r;

	if (lvl < min_level || lvl >= LOG__MAX)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	r = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s [%s] %s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, level_names[lvl], log_request_id(), func);
	n = r < 0 ? 0 : (size_t)r;
	if (n < sizeof(line)) {
		va_start(ap, fmt);
		r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;	/* truncated, but still one line */
	/* Keep the log one event per line whatever the message holds. */
	for (size_t i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}
