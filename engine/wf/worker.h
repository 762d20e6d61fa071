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

int worker_main(int argc, char **argv);

#endif
