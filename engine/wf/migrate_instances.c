/*
 * migrate_instances.c — see migrate_instances.h.  Everything happens in one
 * transaction that first locks every instance of the old version, so no
 * transition slips in between the count and the move, and a dry run sees
 * exactly what the real run would do (it rolls back instead of committing).
 *
 * Per instance: the new version and state, the revision bumped (an open form
 * or a mail link issued before is then "changed meanwhile"), one history row
 * (event "migrate", actor system), its data untouched.  Timers: a live timer
 * of the state left is kept (moved to the new state, its due time unchanged)
 * when the new state has a transition for its event, else cancelled.  None is
 * (re)started: timers start with transitions, a state declares none on entry.
 */
#include "migrate_instances.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "defs.h"
#include "findings.h"
#include "instmap.h"
#include "pgarray.h"
#include "workflow.h"

/* The instances of the old version by state, every one locked until the end. */
static const struct db_query q_lock = { "mi_lock",
	"SELECT state, count(*) FROM (SELECT state FROM wf_instances"
	" WHERE definition = $1 AND version = $2::int FOR UPDATE) s GROUP BY state ORDER BY state", 2 };
/* Live timers of the state left ($3) by name, and whether the new state's events ($4) keep them. */
static const struct db_query q_timers = { "mi_timers",
	"SELECT t.name, t.event = ANY($4::text[]), count(*) FROM wf_timers t"
	" JOIN wf_instances i ON i.id = t.instance_id"
	" WHERE i.definition = $1 AND i.version = $2::int AND i.state = $3 AND t.state = $3"
	" AND t.fired_at IS NULL AND t.cancelled_at IS NULL GROUP BY 1, 2 ORDER BY 2, 1", 4 };
static const struct db_query q_cancel = { "mi_cancel",
	"UPDATE wf_timers t SET cancelled_at = now() FROM wf_instances i"
	" WHERE i.id = t.instance_id AND i.definition = $1 AND i.version = $2::int AND i.state = $3"
	" AND t.state = $3 AND t.fired_at IS NULL AND t.cancelled_at IS NULL"
	" AND NOT t.event = ANY($4::text[])", 4 };
static const struct db_query q_keep = { "mi_keep",
	"UPDATE wf_timers t SET state = $5 FROM wf_instances i"
	" WHERE i.id = t.instance_id AND i.definition = $1 AND i.version = $2::int AND i.state = $3"
	" AND t.state = $3 AND t.fired_at IS NULL AND t.cancelled_at IS NULL"
	" AND t.event = ANY($4::text[])", 5 };
/* The history row's seq is the new revision, as a transition's (engine.c). */
static const struct db_query q_move = { "mi_move",
	"WITH u AS (UPDATE wf_instances SET version = $4::int, state = $5, rev = rev + 1,"
	"           seen_by = $6, updated_at = now()"
	"           WHERE definition = $1 AND version = $2::int AND state = $3 RETURNING id, rev),"
	" h AS (INSERT INTO wf_history (instance_id, seq, event, from_state, to_state, actor_kind,"
	"       inputs, at) SELECT id, rev, 'migrate', $3, $5, 'system',"
	"       jsonb_build_object('from-version', $2::int, 'to-version', $4::int), imi_now() FROM u)"
	" SELECT count(*) FROM u", 6 };

/* The events of the new state's transitions, as a text[] literal: the timers they keep. */
static const char *
events_of(struct arena *a, const struct wf_state *st)
{
	const char **v;

	if ((v = arena_calloc(a, st->ntransitions + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < st->ntransitions; i++)
		v[i] = st->transitions[i].event;
	return pg_text_array(a, v, st->ntransitions);
}

/* "reminder (3), deadline (1)" of one kind (kept or cancelled), or "none". */
static void
print_timers(const PGresult *r, int kept)
{
	const char *sep = "";

	for (int i = 0; i < PQntuples(r); i++)
		if (db_bool(r, i, 1) == kept) {
			printf("%s%s (%lld)", sep, db_value(r, i, 0), db_int(r, i, 2));
			sep = ", ";
		}
	if (*sep == '\0')
		printf("none");
}

/* The populated states of the old version that the mapping leaves out: findings. */
static int
check_populated(struct findings *f, const struct instmap *m, const PGresult *states,
    const char *name, int old)
{
	int n = 0;

	for (int i = 0; i < PQntuples(states); i++)
		if (instmap_find(m, db_value(states, i, 0)) == NULL) {
			findings_report(f, m->line, "state \"%s\" holds %lld instance%s of %s version %d "
			    "and is not mapped", db_value(states, i, 0), db_int(states, i, 1),
			    db_int(states, i, 1) == 1 ? "" : "s", name, old);
			n++;
		}
	return n;
}

static long long
count_in(const PGresult *states, const char *state)
{
	for (int i = 0; i < PQntuples(states); i++)
		if (strcmp(db_value(states, i, 0), state) == 0)
			return db_int(states, i, 1);
	return 0;
}

/*
 * Moves (or, dry, only reports) the instances of every mapped state.  The
 * number of instances, or -1.
 */
static long long
move_all(struct db *db, struct arena *a, const struct instmap *m, const PGresult *states,
    const char *name, const char *old, const char *new, const struct wf_def *newdef, int dry)
{
	long long total = 0;

	for (size_t i = 0; i < m->nmaps; i++) {
		const struct instmap_entry *e = &m->maps[i];
		const char *events = events_of(a, wf_state(newdef, e->to));
		const char *p[6] = { name, old, e->from, events, e->to,
		    newdef->seen_by != NULL ? newdef->seen_by : "" };
		const char *pm[6] = { name, old, e->from, new, e->to, p[5] };
		PGresult *t, *r;
		if (events == NULL || (t = db_exec(db, a, &q_timers, p)) == NULL)
			return -1;
		printf("  %s -> %s: %lld instance%s; timers cancelled: ", e->from, e->to,
		    count_in(states, e->from), count_in(states, e->from) == 1 ? "" : "s");
		print_timers(t, 0);
		printf("; kept: ");
		print_timers(t, 1);
		printf("; restarted: none\n");
		total += count_in(states, e->from);
		if (dry)
			continue;
		if (db_exec(db, a, &q_cancel, p) == NULL || db_exec(db, a, &q_keep, p) == NULL ||
		    (r = db_exec(db, a, &q_move, pm)) == NULL)
			return -1;
		if (db_int(r, 0, 0) != count_in(states, e->from)) {
			fprintf(stderr, "imiflow migrate-instances: %s: moved %lld, counted %lld\n",
			    e->from, db_int(r, 0, 0), count_in(states, e->from));
			return -1;
		}
	}
	return total;
}

/* "NAME:VERSION" into name (of at most WF_NAME_MAX) and version; -1 when malformed. */
static int
split_from(const char *arg, char *name, size_t size, int *version)
{
	const char *colon = arg ? strrchr(arg, ':') : NULL;
	long long v;

	if (colon == NULL || colon == arg || (size_t)(colon - arg) >= size)
		return -1;
	if ((v = config_number(colon + 1, -1, 1, 1000000000)) < 1)
		return -1;
	memcpy(name, arg, (size_t)(colon - arg));
	name[colon - arg] = '\0';
	*version = (int)v;
	return 0;
}

int
migrate_instances_main(int argc, char **argv)
{
	struct config cfg;
	const char *from = NULL, *to = NULL, *mapfile = NULL, *dry = NULL;
	const struct config_opt opts[] = {
		{ "from", 1, &from, "NAME:VERSION: the definition and the version its instances leave" },
		{ "to", 1, &to, "VERSION: the deployed version of NAME they go to" },
		{ "map", 1, &mapfile, "FILE: the mapping of states (workflows/instance-map.rng)" },
		{ "dry-run", 0, &dry, "print what would move and which timers would be cancelled; change nothing" },
		{ NULL, 0, NULL, NULL }
	};
	char name[WF_NAME_MAX + 1], oldv[16], newv[16];
	const struct wf_def *olddef, *newdef;
	struct arena *a = NULL;
	struct db *db = NULL;
	struct instmap *m;
	struct findings f;
	PGresult *states;
	long long moved;
	const char *pl[2] = { name, oldv };
	int first, old, new, rc = 1;

	switch (config_parse(&cfg, argc, argv, opts,
	    "migrate-instances --from NAME:OLD --to NEW --map FILE [--dry-run] [options]",
	    "Moves every running instance of version OLD of the definition NAME to the\n"
	    "deployed version NEW, each from its state to the state FILE maps it to, in\n"
	    "one transaction. FILE is checked first, with FILE:LINE: messages: the schema\n"
	    "(workflows/instance-map.rng, compiled in), a state mapped twice, a \"from\"\n"
	    "that is no state of OLD, a \"to\" that is no state of NEW, and a state of OLD\n"
	    "that holds instances but is not mapped. Each instance keeps its data, gets a\n"
	    "history row (event \"migrate\", actor system) and a new revision. A live timer\n"
	    "of the state left is kept (same due time) when the new state has a transition\n"
	    "for its event, else cancelled; none is restarted. --dry-run prints, per state,\n"
	    "how many instances would move and which timers would be cancelled or kept, and\n"
	    "changes nothing. Exit status 0 done, 1 refused or failed (nothing changed),\n"
	    "2 usage.", &first)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	if (first != argc || split_from(from, name, sizeof(name), &old) == -1 ||
	    (new = (int)config_number(to, -1, 1, 1000000000)) < 1 || mapfile == NULL) {
		fprintf(stderr, "imiflow migrate-instances: give --from NAME:OLD --to NEW --map FILE "
		    "(see --help)\n");
		rc = 2;
		goto out;
	}
	if (new == old) {
		fprintf(stderr, "imiflow migrate-instances: --to names the version they run already\n");
		rc = 2;
		goto out;
	}
	snprintf(oldv, sizeof(oldv), "%d", old);
	snprintf(newv, sizeof(newv), "%d", new);
	xmlInitParser();
	findings_init(&f, mapfile, NULL, NULL);
	if ((a = arena_new()) == NULL || (m = instmap_read(a, &f, mapfile)) == NULL)
		goto out;
	if ((db = db_open(cfg.db)) == NULL)
		goto out;
	if ((olddef = defs_get(db, a, cfg.datadir, name, old)) == NULL ||
	    (newdef = defs_get(db, a, cfg.datadir, name, new)) == NULL) {
		fprintf(stderr, "imiflow migrate-instances: %s version %d is not deployed (or not "
		    "loadable)\n", name, olddef == NULL ? old : new);
		goto out;
	}
	if (instmap_check(&f, m, name, olddef, newdef) > 0)
		goto out;
	if (db_begin(db) == -1)
		goto out;
	if ((states = db_exec(db, a, &q_lock, pl)) == NULL)
		goto rollback;
	if (check_populated(&f, m, states, name, old) > 0)
		goto rollback;
	printf("%s version %d -> %d%s:\n", name, old, new, dry ? " (dry run: nothing changed)" : "");
	if ((moved = move_all(db, a, m, states, name, oldv, newv, newdef, dry != NULL)) < 0)
		goto rollback;
	if (dry) {
		db_rollback(db);
		printf("%lld instance%s would move\n", moved, moved == 1 ? "" : "s");
		rc = 0;
		goto out;
	}
	if (db_commit(db) == -1)
		goto out;
	printf("%lld instance%s moved\n", moved, moved == 1 ? "" : "s");
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	if (rc == 1)
		fprintf(stderr, "imiflow migrate-instances: nothing changed\n");
	db_close(db);
	arena_free(a);
	defs_free();
	xmlCleanupParser();
	config_free();
	return rc;
}
