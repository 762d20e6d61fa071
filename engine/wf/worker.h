/*
 * worker.h — background work shared through PostgreSQL queues: delivering the
 * mail outbox (and, with the workflow engine, firing due timers).  Any number
 * of workers may run, as threads of `serve` or as `imiflow worker` processes:
 * each row is claimed with FOR UPDATE SKIP LOCKED, so no two take the same.
 */
#ifndef IMIFLOW_WORKER_H
#define IMIFLOW_WORKER_H

#include <signal.h>

struct config;

/* Runs until *stop becomes non-zero. 0 on a clean stop, -1 if it could not start. */
int worker_run(const struct config *cfg, volatile sig_atomic_t *stop);

/* Delivers every due mail once and returns how many were sent, or -1 (for tests and `worker --once`). */
int worker_drain(const struct config *cfg);

/*
 * Checks the mail settings as the worker will use them (--smtp host:port, plain only to this
 * machine, --smtp-starttls and its CA file), so that serve refuses to start rather than run
 * without mail.  0, or -1 with the reason logged.
 */
int worker_check(const struct config *cfg);

int worker_main(int argc, char **argv);

#endif
