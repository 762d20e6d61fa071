/* bootstrap.c — see bootstrap.h. */
#include "bootstrap.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "account.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "i18n.h"
#include "log.h"
#include "render.h"
#include "textcheck.h"
#include "token.h"

struct args {
	const char *authority, *country, *email, *first, *last, *username, *lang;
};

static const struct db_query q_any = { "bootstrap_any",
	"SELECT 1 FROM authorities LIMIT 1 FOR UPDATE", 0 };
static const struct db_query q_authority = { "bootstrap_authority",
	"INSERT INTO authorities (official_name, country, email, is_helpdesk, is_nimic,"
	"   authority_type, is_access_manager)"
	" VALUES ($1, upper($2), $3, true, true, 'nimic', true) RETURNING id", 3 };
static const struct db_query q_instance = { "bootstrap_instance",
	"UPDATE authorities SET instance_id = $2 WHERE id = $1", 2 };
static const struct db_query q_deployed = { "bootstrap_deployed",
	"SELECT 1 FROM wf_definitions WHERE name = 'authority'", 0 };

static int
check_args(const struct args *g)
{
	const char *const required[][2] = { { "authority", g->authority }, { "country", g->country },
	    { "email", g->email }, { "first-name", g->first }, { "last-name", g->last } };

	const char *rule;

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (required[i][1] == NULL || required[i][1][0] == '\0') {
			fprintf(stderr, "imiflow bootstrap: --%s is required\n", required[i][0]);
			return -1;
		}
		/* The forms' rules for names (textcheck.h), the same 300 and 100 characters. */
		if ((rule = textcheck_line(required[i][1], i == 0 ? 300 : 100)) != NULL) {
			fprintf(stderr, "imiflow bootstrap: --%s: refused (%s): one line of at most "
			    "%d characters, no control or text-direction characters\n", required[i][0],
			    rule, i == 0 ? 300 : 100);
			return -1;
		}
	}
	if (strchr(g->email, '@') == NULL || strpbrk(g->email, " \r\n<>,;") != NULL) {
		fprintf(stderr, "imiflow bootstrap: --email is not an e-mail address\n");
		return -1;
	}
	return 0;
}

static int
run(const struct config *cfg, struct db *db, struct arena *a, const struct args *g)
{
	const char *params[6];
	const char *username = NULL;
	struct account_new n;
	enum account_taken taken;
	struct wf_actor actor;
	struct wf_outcome fired;
	PGresult *r;
	long long uid, iid;
	int rc = -1;

	if (db_begin(db) == -1 || db_command(db, "LOCK TABLE authorities IN EXCLUSIVE MODE") == -1)
		goto out;
	if ((r = db_exec(db, a, &q_deployed, NULL)) == NULL)
		goto out;
	if (PQntuples(r) == 0) {
		fprintf(stderr, "imiflow bootstrap: the workflow \"authority\" is not deployed: run "
		    "`imiflow deploy workflows/*.xml` first\n");
		goto out;
	}
	if ((r = db_exec(db, a, &q_any, NULL)) == NULL)
		goto out;
	if (PQntuples(r) > 0) {
		fprintf(stderr, "imiflow bootstrap: already bootstrapped: the database has authorities\n");
		rc = 1;
		goto out;
	}
	params[0] = g->authority;
	params[1] = g->country;
	params[2] = g->email;
	if ((r = db_exec(db, a, &q_authority, params)) == NULL) {
		if (strcmp(db_sqlstate(db), "23503") == 0)
			fprintf(stderr, "imiflow bootstrap: unknown country \"%s\" (EU/EEA code)\n",
			    g->country);
		goto out;
	}
	n = (struct account_new){ db_int(r, 0, 0), g->username, g->email, g->first, g->last, g->lang,
	    1, 1, NULL, NULL };
	if ((uid = account_create(db, a, cfg, &n, &username, &taken)) <= 0) {
		if (uid == 0)
			fprintf(stderr, "imiflow bootstrap: --username is not valid\n");
		goto out;
	}
	/* Its lifecycle starts like any other authority's: registered, by its own first user. */
	actor = (struct wf_actor){ WF_ACTOR_USER, uid, n.authority_id };
	if ((iid = wf_start_tx(db, a, cfg, &actor, "authority", n.authority_id, "")) == -1)
		goto out;
	/* Before firing, as the pages do: register's actions act on the authority's own instance. */
	params[0] = arena_printf(a, "%lld", n.authority_id);
	params[1] = arena_printf(a, "%lld", iid);
	if (db_exec(db, a, &q_instance, params) == NULL)
		goto out;
	wf_fire_tx(db, a, cfg, &actor, iid, 0, "register", NULL, &fired);
	if (fired.result != WF_OK) {
		fprintf(stderr, "imiflow bootstrap: registering the authority failed: %s\n",
		    fired.detail ? fired.detail : "see the log");
		goto out;
	}
	if (db_commit(db) == -1)
		goto out;
	printf("authority: %s (%s), helpdesk and NIMIC\n", g->authority, g->country);
	printf("username: %s\n", username);
	printf("The temporary password was mailed to %s; the username is not mailed: pass it on yourself.\n",
	    g->email);
	return 0;
out:
	db_rollback(db);
	return rc;
}

int
bootstrap_main(int argc, char **argv)
{
	struct config cfg;
	struct args g = { 0 };
	struct db *db = NULL;
	struct arena *a = NULL;
	const struct config_opt opts[] = {
		{ "authority", 1, &g.authority, "official name of the first authority" },
		{ "country", 1, &g.country, "its country, an EU/EEA code such as BE" },
		{ "email", 1, &g.email, "e-mail address of its first user (gets the temporary password)" },
		{ "first-name", 1, &g.first, "first user's first name" },
		{ "last-name", 1, &g.last, "first user's last name" },
		{ "username", 1, &g.username, "first user's username (default: proposed from the name)" },
		{ "language", 1, &g.lang, "first user's language for pages and mail: en, da, nl or ro "
		    "(default: the country's, else en)" },
		{ NULL, 0, NULL, NULL }
	};
	int rc = 1;

	switch (config_parse(&cfg, argc, argv, opts, "bootstrap --authority NAME --country CC "
	    "--email ADDR --first-name F --last-name L [options]",
	    "Creates the first authority (the helpdesk, also NIMIC of its country) and its\n"
	    "first user, an Administrator. The temporary password is mailed (through the\n"
	    "outbox); the username is printed here only. Refuses to run twice.", NULL)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	if (check_args(&g) == -1) {
		rc = 2;
		goto out;
	}
	xmlInitParser();
	if (token_init() == -1 || render_init(cfg.datadir) == -1)
		goto out;
	if (g.lang != NULL && !i18n_has_lang(g.lang)) {
		fprintf(stderr, "imiflow bootstrap: --language: no catalogue for \"%s\"\n", g.lang);
		rc = 2;
		goto out;
	}
	if ((db = db_open(cfg.db)) == NULL || (a = arena_new()) == NULL)
		goto out;
	rc = run(&cfg, db, a, &g) == 0 ? 0 : 1;
out:
	arena_free(a);
	db_close(db);
	render_free();
	config_free();
	return rc;
}
