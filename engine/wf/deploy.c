/* deploy.c — see deploy.h. */
#include "deploy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <sodium.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "file.h"
#include "registry.h"
#include "workflow.h"

#define MAX_FILES 256
#define MAX_BYTES (1024 * 1024)

/* Serialises deployers of one name, so two never pick the same version. */
static const struct db_query q_lock = { "deploy_lock",
	"SELECT pg_advisory_xact_lock(hashtext('imiflow-deploy:' || $1))", 1 };
static const struct db_query q_newest = { "deploy_newest",
	"SELECT version, sha256 FROM wf_definitions WHERE name = $1 ORDER BY version DESC LIMIT 1", 1 };
static const struct db_query q_insert = { "deploy_insert",
	"INSERT INTO wf_definitions (name, version, content, sha256) VALUES ($1, $2, $3, $4)", 4 };

struct item {
	const char *path;
	char *content;
	size_t len;
	const char *name;
	const struct registry_data_kind *kind;  /* a domain's data file, not a definition */
	const char *what;         /* its kind's words for it: two items must not share them */
	char sha[crypto_hash_sha256_BYTES * 2 + 1];
};

/* Checks every file; 0 when all are usable. */
static int
check_all(struct arena *a, const struct config *cfg, struct item *items, int n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	struct wf_def *def;
	int bad = 0;

	for (int i = 0; i < n; i++) {
		if ((items[i].content = file_read(a, items[i].path, MAX_BYTES, &items[i].len)) == NULL) {
			fprintf(stderr, "%s:0: cannot read (or larger than %d bytes)\n", items[i].path,
			    MAX_BYTES);
			bad++;
			continue;
		}
		if ((items[i].kind = registry_data_kind_of(items[i].content, items[i].len)) != NULL) {
			const struct registry_data_kind *k = items[i].kind;
			if (k->check(items[i].path, items[i].content, items[i].len, cfg->datadir) != 0 ||
			    (items[i].what = k->what(a, items[i].path, items[i].content, items[i].len,
			    cfg->datadir)) == NULL) {
				bad++;
				continue;
			}
			for (int k2 = 0; k2 < i; k2++)
				if (items[k2].what != NULL && strcmp(items[k2].what, items[i].what) == 0) {
					fprintf(stderr, "%s:0: is %s as %s is too\n", items[i].path,
					    items[i].what, items[k2].path);
					bad++;
				}
			continue;
		}
		def = wf_parse(items[i].path, items[i].content, items[i].len, cfg->datadir, NULL, NULL);
		if (def == NULL || wf_link(def, cfg->datadir, NULL, NULL) > 0) {
			bad++;
			wf_free(def);
			continue;
		}
		items[i].name = arena_strdup(a, def->name);
		wf_free(def);
		for (int k = 0; k < i; k++)
			if (items[k].name != NULL && items[i].name != NULL &&
			    strcmp(items[k].name, items[i].name) == 0) {
				fprintf(stderr, "%s:0: defines \"%s\" as %s does too\n", items[i].path,
				    items[i].name, items[k].path);
				bad++;
			}
		crypto_hash_sha256(h, (const unsigned char *)items[i].content, items[i].len);
		sodium_bin2hex(items[i].sha, sizeof(items[i].sha), h, sizeof(h));
	}
	return bad;
}

/* The data files of one side of the definitions (after: 0 before them, 1 after). */
static int
store_data(struct db *db, struct arena *a, const char *datadir, struct item *items, int n,
    int after)
{
	for (int i = 0; i < n; i++)
		if (items[i].kind != NULL && items[i].kind->after_definitions == after &&
		    items[i].kind->store(db, a, items[i].path, items[i].content, items[i].len,
		    datadir) == -1)
			return -1;
	return 0;
}

static int
store_all(struct db *db, struct arena *a, const char *datadir, struct item *items, int n)
{
	char version[24];
	PGresult *r;

	if (db_begin(db) == -1 || store_data(db, a, datadir, items, n, 0) == -1)
		goto fail;
	for (int i = 0; i < n; i++) {
		const char *p1[1] = { items[i].name };
		long long newest = 0;
		if (items[i].kind != NULL)
			continue;
		if (db_exec(db, a, &q_lock, p1) == NULL || (r = db_exec(db, a, &q_newest, p1)) == NULL)
			goto fail;
		if (PQntuples(r) == 1) {
			newest = db_int(r, 0, 0);
			if (strcmp(db_value(r, 0, 1), items[i].sha) == 0) {
				printf("%s: unchanged (version %lld)\n", items[i].name, newest);
				continue;
			}
		}
		snprintf(version, sizeof(version), "%lld", newest + 1);
		const char *p4[4] = { items[i].name, version, items[i].content, items[i].sha };
		if (db_exec(db, a, &q_insert, p4) == NULL)
			goto fail;
		printf("%s: version %s deployed\n", items[i].name, version);
	}
	if (store_data(db, a, datadir, items, n, 1) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
deploy_main(int argc, char **argv)
{
	struct config cfg;
	struct arena *a = NULL;
	struct db *db = NULL;
	struct item *items;
	int first, n, rc = 1;

	switch (config_parse(&cfg, argc, argv, NULL, "deploy [options] FILE...",
	    "Checks workflow definitions as lint does, then stores them in the database in\n"
	    "one transaction (all or nothing). A definition whose content is unchanged keeps\n"
	    "its version; a changed one becomes the next version. Running instances keep\n"
	    "the version they started with; new instances take the newest. A module\n"
	    "catalogue among the FILEs (root element <modules>, workflows/modules.xml) is\n"
	    "checked as lint does and stored in the same transaction: each module added or\n"
	    "updated by its code, none removed. Question sets among the FILEs (root element\n"
	    "<questions>, workflows/questions/MODULE.xml) are checked as lint does and\n"
	    "stored in the same transaction, after the catalogue: a set whose content\n"
	    "changed replaces its module's questions; an unchanged one changes nothing.", &first)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	n = argc - first;
	if (n < 1 || n > MAX_FILES) {
		fprintf(stderr, "imiflow deploy: name 1 to %d FILEs\n", MAX_FILES);
		rc = 2;
		goto out;
	}
	xmlInitParser();
	if (sodium_init() < 0 || (a = arena_new()) == NULL ||
	    (items = arena_calloc(a, (size_t)n, sizeof(*items))) == NULL)
		goto out;
	for (int i = 0; i < n; i++)
		items[i].path = argv[first + i];
	if (check_all(a, &cfg, items, n) > 0) {
		fprintf(stderr, "imiflow deploy: nothing deployed\n");
		goto out;
	}
	if ((db = db_open(cfg.db)) == NULL || store_all(db, a, cfg.datadir, items, n) == -1) {
		fprintf(stderr, "imiflow deploy: nothing deployed\n");
		goto out;
	}
	rc = 0;
out:
	db_close(db);
	arena_free(a);
	xmlCleanupParser();
	config_free();
	return rc;
}
