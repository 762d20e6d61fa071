/*
 * page_health.h — GET /healthz: whether this engine can serve pages now, for a supervisor
 * (systemd, a load balancer, nginx's upstream checks) rather than for people.
 */
#ifndef IMIFLOW_PAGE_HEALTH_H
#define IMIFLOW_PAGE_HEALTH_H

struct hctx;

/* 200 "ok" when the database answers a query, else 503 with a Retry-After. */
int page_health(struct hctx *ctx);

#endif
