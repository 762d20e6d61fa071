/*
 * log.h — one line per event on stderr, each carrying the request id of the
 * thread that logs it ("-" outside a request), so a request can be followed
 * from nginx's access log through the engine.
 */
#ifndef IMIFLOW_LOG_H
#define IMIFLOW_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };

void log_set_level(enum log_level min);
void log_set_request_id(const char *id);      /* copied; NULL clears */
const char *log_request_id(void);
void log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(...) log_msg(LOG_DEBUG, __func__, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __func__, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __func__, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __func__, __VA_ARGS__)

#endif
