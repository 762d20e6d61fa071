/*
 * test_toy_engine.c — the workflow engine with no IMI code linked in (only
 * libwf.a): a toy domain registers its own role, party, condition and action,
 * deploys tests/toy/kettle.xml and fires its transitions on a real database.
 *
 * Needs a migrated database: IMIFLOW_TEST_DB (a libpq conninfo), which
 * tests/e2e/test_toy_engine.py provides on a private cluster; IMIFLOW_DATADIR
 * for workflow.rng and the toy definitions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <libxml/parser.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "deploy.h"
#include "engine.h"
#include "registry.h"
#include "builtins.h"
#include "workflow.h"

static const char *conninfo;
static const char *datadir;
static struct config cfg;
static struct db *db;
static long long owner_auth, owner, other_auth, other;

/* The toy domain: a kettle that someone owns, boils and pours. */
static const char *const toy_roles[] = { "brewer", NULL };

static const struct registry_party toy_parties[] = {
	{ "kettle-owner", "SELECT u.authority_id, u.id FROM wf_instances i"
	  " JOIN users u ON u.id = i.created_by WHERE i.id = $1",
	  "the user who put the kettle on" },
	{ NULL, NULL, NULL }
};

static const struct registry_condition toy_conditions[] = {
	{ "boiled", "SELECT coalesce((i.data->>'boils')::int, 0) >= 1 FROM wf_instances i"
	  " WHERE i.id = $1 AND ($2::bigint IS NULL OR true)", "the kettle has boiled once" },
	{ NULL, NULL, NULL }
};

static int
act_count_boil(struct wf_fire *f)
{
	static const struct db_query q = { "toy_count_boil",
		"UPDATE wf_instances SET data = jsonb_set(data, '{boils}',"
		" to_jsonb(coalesce((data->>'boils')::int, 0) + 1)) WHERE id = $1", 1 };
	const char *params[1] = { arena_printf(f->a, "%lld", f->instance_id) };

	return db_exec(f->db, f->a, &q, params) == NULL ? -1 : 0;
}

static const struct registry_action toy_actions[] = {
	{ "count-boil", act_count_boil, "counts the boils in the instance's data" },
	{ NULL, NULL, NULL }
};

static const struct registry_domain toy = {
	.name = "toy",
	.roles = toy_roles,
	.parties = toy_parties,
	.conditions = toy_conditions,
	.actions = toy_actions,
};

/* One value of a query with no parameters, or NULL; the caller frees nothing (static copy). */
static const char *
one(const char *sql)
{
	static char value[256];
	PGresult *r = PQexec(db_conn(db), sql);

	value[0] = '\0';
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		fprintf(stderr, "# %s: %s\n", sql, PQresultErrorMessage(r));
		PQclear(r);
		return NULL;
	}
	snprintf(value, sizeof(value), "%s", PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
	PQclear(r);
	return value;
}

static long long
one_int(const char *fmt, ...)
{
	char sql[512];
	const char *v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = one(sql);
	return v == NULL ? -1 : atoll(v);
}

static void
toy_registry_holds_toy_names_only(void **state)
{
	(void)state;
	assert_non_null(registry_party("kettle-owner"));
	assert_non_null(registry_party("own-authority"));      /* a built-in */
	assert_non_null(registry_action("count-boil"));
	assert_true(registry_role_exists("brewer"));
	/* Nothing of IMI is linked in, so nothing of it is registered. */
	assert_null(registry_party("requester"));
	assert_null(registry_condition("own-access-active"));
	assert_false(registry_role_exists("approver"));
	/* Registering the same names again is refused, the same domain again is a no-op. */
	assert_int_equal(registry_add(&toy), 0);
}

static void
lint_refuses_a_name_the_toy_does_not_register(void **state)
{
	char path[4096];
	struct wf_def *def;
	int findings;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/toy/kettle-imi.xml", datadir);
	def = wf_parse_file(path, datadir, NULL, NULL);
	assert_non_null(def);
	findings = wf_link(def, datadir, NULL, NULL);
	wf_free(def);
	assert_int_equal(findings, 1);
}

static void
deploy_and_fire(void **state)
{
	char path[4096];
	char *argv[6];
	struct arena *a;
	struct wf_actor me = { WF_ACTOR_USER, owner, owner_auth };
	struct wf_actor stranger = { WF_ACTOR_USER, other, other_auth };
	struct wf_outcome out;
	const char *missing = NULL;
	long long iid = 0, rev;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/toy/kettle.xml", datadir);
	argv[0] = "deploy";
	argv[1] = "--db";
	argv[2] = (char *)conninfo;
	argv[3] = "--datadir";
	argv[4] = (char *)datadir;
	argv[5] = path;
	assert_int_equal(deploy_main(6, argv), 0);

	assert_non_null(a = arena_new());
	/* The kettle declares who may start one: a brewer, for their own authority. */
	assert_int_equal(wf_start_declared(db, a, &cfg, &me, "toy-kettle", 0, &iid, &missing), WF_OK);
	assert_true(iid > 0);
	assert_int_equal(one_int("SELECT authority_id FROM wf_instances WHERE id = %lld", iid), owner_auth);
	assert_int_equal(one_int("SELECT count(*) FROM wf_history WHERE instance_id = %lld", iid), 1);

	/* The toy's condition holds only after a boil: pouring a cold kettle is no event of "cold". */
	wf_fire(db, a, &cfg, &me, iid, 0, "pour", NULL, &out);
	assert_int_equal(out.result, WF_CONFLICT);

	wf_fire(db, a, &cfg, &me, iid, 0, "heat", NULL, &out);
	assert_int_equal(out.result, WF_OK);
	assert_string_equal(out.state, "hot");
	/* The toy's action ran inside the transition. */
	assert_int_equal(one_int("SELECT (data->>'boils')::int FROM wf_instances WHERE id = %lld", iid), 1);

	/* The toy's party: a brewer of another authority is no owner; nothing is written. */
	rev = one_int("SELECT rev FROM wf_instances WHERE id = %lld", iid);
	wf_fire(db, a, &cfg, &stranger, iid, 0, "pour", NULL, &out);
	assert_int_equal(out.result, WF_FORBIDDEN);
	assert_int_equal(one_int("SELECT rev FROM wf_instances WHERE id = %lld", iid), rev);

	wf_fire(db, a, &cfg, &me, iid, rev, "pour", NULL, &out);
	assert_int_equal(out.result, WF_OK);
	assert_string_equal(out.state, "cold");
	assert_int_equal(one_int("SELECT count(*) FROM wf_history WHERE instance_id = %lld", iid), 3);
	/* A form of the old revision is stale. */
	wf_fire(db, a, &cfg, &me, iid, rev, "heat", NULL, &out);
	assert_int_equal(out.result, WF_CONFLICT);
	arena_free(a);
}

static int
setup(void **state)
{
	char *argv[5] = { "toy", "--db", (char *)conninfo, "--datadir", (char *)datadir };
	int first;

	(void)state;
	if (config_parse(&cfg, 5, argv, NULL, "toy", "", &first) != CONFIG_OK)
		return -1;
	if ((db = db_open(conninfo)) == NULL)
		return -1;
	/*
	 * The roles a domain's users may hold are the domain's: IMI's schema lists
	 * its five in a CHECK, which this throw-away database lifts for the toy.
	 */
	if (db_command(db, "ALTER TABLE user_roles DROP CONSTRAINT IF EXISTS user_roles_role_check") == -1)
		return -1;
	owner_auth = one_int("INSERT INTO authorities (official_name, country) VALUES ('Tea room', 'BE')"
	    " RETURNING id");
	other_auth = one_int("INSERT INTO authorities (official_name, country) VALUES ('Coffee bar', 'NL')"
	    " RETURNING id");
	owner = one_int("INSERT INTO users (authority_id, username, email, first_name, last_name)"
	    " VALUES (%lld, 'teapot', 'tea@example.invalid', 'Tea', 'Pot') RETURNING id", owner_auth);
	other = one_int("INSERT INTO users (authority_id, username, email, first_name, last_name)"
	    " VALUES (%lld, 'barista', 'bar@example.invalid', 'Bar', 'Ista') RETURNING id", other_auth);
	if (owner_auth < 0 || other_auth < 0 || owner < 0 || other < 0)
		return -1;
	if (one_int("WITH i AS (INSERT INTO user_roles (user_id, role) VALUES (%lld, 'brewer'),"
	    " (%lld, 'brewer') RETURNING 1) SELECT count(*) FROM i", owner, other) != 2)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	db_close(db);
	config_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(toy_registry_holds_toy_names_only),
		cmocka_unit_test(lint_refuses_a_name_the_toy_does_not_register),
		cmocka_unit_test(deploy_and_fire),
	};
	int rc;

	if ((conninfo = getenv("IMIFLOW_TEST_DB")) == NULL ||
	    (datadir = getenv("IMIFLOW_DATADIR")) == NULL) {
		fprintf(stderr, "test_toy_engine: set IMIFLOW_TEST_DB and IMIFLOW_DATADIR "
		    "(tests/e2e/test_toy_engine.py does)\n");
		return 2;
	}
	if (wf_builtins_register() == -1 || registry_add(&toy) == -1)
		return 1;
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, setup, teardown);
	xmlCleanupParser();
	return rc;
}
