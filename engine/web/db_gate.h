/*
 * db_gate.h — keeps a request thread free for the pages that need no database.
 *
 * Request threads block in libpq while a table is locked or a statement is slow, and a waiting
 * thread accepts nothing; nor does one parked on a connection nginx keeps open (serve.c).  With
 * every thread waiting or parked, even the login form would wait for the database.  So requests
 * that need the database pass the gate, which lets in at most as many as leaves one thread, not
 * parked, outside (at least one gets in: with too few threads there is nothing to keep free).
 * When the gate has been full for stuck_ms the database is taken to be stuck, and a request is
 * refused at once (the caller answers 503) rather than waiting; before that it waits for a
 * place.  Under ordinary load places come free within milliseconds and nobody is refused.
 */
#ifndef IMIFLOW_DB_GATE_H
#define IMIFLOW_DB_GATE_H

#include <pthread.h>
#include <time.h>

struct db_gate {
	pthread_mutex_t lock;
	pthread_cond_t changed;     /* a request left, or a thread stopped being parked */
	int threads;
	int in;                     /* requests inside */
	int parked;                 /* threads waiting on a kept connection */
	int stuck_ms;
	int full;
	struct timespec full_since; /* CLOCK_MONOTONIC */
};

/* A gate for threads request threads.  0 or -1. */
int db_gate_init(struct db_gate *g, int threads, int stuck_ms);
void db_gate_free(struct db_gate *g);

/* 0 entered (call db_gate_leave after the request), -1 refused: the database is stuck. */
int db_gate_enter(struct db_gate *g);
void db_gate_leave(struct db_gate *g);

/* Around a thread's wait for the next request on a connection nginx keeps. */
void db_gate_park(struct db_gate *g);
void db_gate_unpark(struct db_gate *g);

#endif
