/* db_gate.c — see db_gate.h. */
#include "db_gate.h"

static long long
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static struct timespec
later(const struct timespec *t, int ms)
{
	struct timespec r = *t;

	r.tv_sec += ms / 1000;
	r.tv_nsec += (long)(ms % 1000) * 1000000;
	if (r.tv_nsec >= 1000000000) {
		r.tv_sec++;
		r.tv_nsec -= 1000000000;
	}
	return r;
}

/* Places for requests: all threads but the parked ones and one kept free; at least one. */
static int
places(const struct db_gate *g)
{
	int p = g->threads - g->parked - 1;

	return p < 1 ? 1 : p;
}

/* Call with the lock held after every change: "full since" counts from when it filled. */
static void
update(struct db_gate *g)
{
	int full = g->in >= places(g);

	if (full && !g->full)
		clock_gettime(CLOCK_MONOTONIC, &g->full_since);
	g->full = full;
}

int
db_gate_init(struct db_gate *g, int threads, int stuck_ms)
{
	pthread_condattr_t attr;
	int rc = -1;

	g->threads = threads;
	g->in = g->parked = g->full = 0;
	g->stuck_ms = stuck_ms;
	clock_gettime(CLOCK_MONOTONIC, &g->full_since);
	if (pthread_condattr_init(&attr) != 0)
		return -1;
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&g->changed, &attr) != 0)
		goto out;
	if (pthread_mutex_init(&g->lock, NULL) != 0) {
		pthread_cond_destroy(&g->changed);
		goto out;
	}
	rc = 0;
out:
	pthread_condattr_destroy(&attr);
	return rc;
}

void
db_gate_free(struct db_gate *g)
{
	pthread_cond_destroy(&g->changed);
	pthread_mutex_destroy(&g->lock);
}

int
db_gate_enter(struct db_gate *g)
{
	struct timespec until;
	int rc = -1;

	pthread_mutex_lock(&g->lock);
	while (g->full) {
		if (ms_since(&g->full_since) >= g->stuck_ms)
			goto out;
		until = later(&g->full_since, g->stuck_ms);
		(void)pthread_cond_timedwait(&g->changed, &g->lock, &until);
	}
	g->in++;
	update(g);
	rc = 0;
out:
	pthread_mutex_unlock(&g->lock);
	return rc;
}

void
db_gate_leave(struct db_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->in--;
	update(g);
	pthread_cond_broadcast(&g->changed);
	pthread_mutex_unlock(&g->lock);
}

void
db_gate_park(struct db_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->parked++;
	update(g);
	pthread_mutex_unlock(&g->lock);
}

void
db_gate_unpark(struct db_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->parked--;
	update(g);
	pthread_cond_broadcast(&g->changed);
	pthread_mutex_unlock(&g->lock);
}
