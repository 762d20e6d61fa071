/* login_throttle.c — see login_throttle.h. */
#include "login_throttle.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"

static const struct db_query q_wait = { "login_throttle_wait",
	"SELECT login_throttle_wait($1, $2)", 2 };
static const struct db_query q_failed = { "login_throttle_failed",
	"SELECT login_failed($1, $2, $3, $4::int, $5::int, $6::int, $7::float8)", 7 };
static const struct db_query q_forget = { "login_throttle_forget",
	"DELETE FROM login_throttle WHERE kind = 'username' AND key = lower($1)", 1 };

int
login_throttle_settings(const struct config *cfg, struct login_throttle *t)
{
	long long u = config_number(cfg->login_throttle_user, 3, 0, 1000000);
	long long ad = config_number(cfg->login_throttle_address, 10, 0, 1000000);
	long long d = config_number(cfg->login_throttle_delay, 2, 1, 900);

	if (u < 0 || ad < 0 || d < 0) {
		fprintf(stderr, "imiflow: --login-throttle-user and --login-throttle-address are counts"
		    " (0..1000000), --login-throttle-delay seconds (1..900)\n");
		return -1;
	}
	t->user_free = (int)u;
	t->address_free = (int)ad;
	t->delay_seconds = (int)d;
	return 0;
}

const char *
login_throttle_address(struct arena *a, const char *remote_addr)
{
	unsigned char in6[16];
	char out[INET6_ADDRSTRLEN];

	if (strchr(remote_addr, ':') == NULL || inet_pton(AF_INET6, remote_addr, in6) != 1)
		return arena_strdup(a, remote_addr);
	/* An IPv4 address in IPv6 clothing is one host; any other IPv6 host has its /64. */
	if (!(memcmp(in6, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0))
		memset(in6 + 8, 0, 8);
	if (inet_ntop(AF_INET6, in6, out, sizeof(out)) == NULL)
		return arena_strdup(a, remote_addr);
	return arena_strdup(a, out);
}

int
login_throttle_queue_wait(struct db *db, struct arena *a, const char *username,
    const char *address, struct pg_result **result)
{
	const char *params[2] = { username, address };

	return db_queue(db, a, &q_wait, params, result);
}

int
login_throttle_seconds(const struct pg_result *r)
{
	const char *v = r != NULL ? db_value(r, 0, 0) : NULL;
	double s;
	int n;

	if (v == NULL || sscanf(v, "%lf", &s) != 1 || !(s > 0))
		return 0;
	if (s > 900)
		return 900;
	n = (int)s;
	return s > n ? n + 1 : n;
}

int
login_throttle_failed(struct db *db, struct arena *a, const struct login_throttle *t,
    const char *username, const char *address, long long user_id, int block_after)
{
	char uid[24], block[16], ufree[16], afree[16], delay[16];
	const char *params[7] = { username, address, user_id != 0 ? uid : NULL, block, ufree,
	    afree, delay };
	PGresult *r;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(block, sizeof(block), "%d", block_after);
	snprintf(ufree, sizeof(ufree), "%d", t->user_free);
	snprintf(afree, sizeof(afree), "%d", t->address_free);
	snprintf(delay, sizeof(delay), "%d", t->delay_seconds);
	if ((r = db_exec(db, a, &q_failed, params)) == NULL || PQntuples(r) != 1)
		return -1;
	return db_bool(r, 0, 0);
}

int
login_throttle_queue_forget(struct db *db, struct arena *a, const char *username)
{
	const char *params[1] = { username };

	return db_queue(db, a, &q_forget, params, NULL);
}
