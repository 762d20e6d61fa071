/*
 * migrate.c — see migrate.h.  Migration files are trusted static SQL shipped
 * with the program, so they run as simple queries (several statements each);
 * nothing from a user ever reaches them.
 */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "file.h"
#include "log.h"

#define MAX_MIGRATIONS 1000
#define MAX_SQL_BYTES (4 * 1024 * 1024)
/* An arbitrary constant all imiflow migrators agree on. */
#define MIGRATE_LOCK "SELECT pg_advisory_lock(7290415)"
#define MIGRATE_UNLOCK "SELECT pg_advisory_unlock(7290415)"

static const struct db_query q_applied = { "migrate_applied",
	"SELECT 1 FROM schema_migrations WHERE name = $1", 1 };
static const struct db_query q_record = { "migrate_record",
	"INSERT INTO schema_migrations (name) VALUES ($1)", 1 };

/* NNN_name.sql: three or more digits, an underscore, a name, ".sql". */
static int
is_migration(const char *name)
{
	size_t n = strlen(name), d = 0;

	while (name[d] >= '0' && name[d] <= '9')
		d++;
	if (d < 3 || name[d] != '_' || n < d + 6 || strcmp(name + n - 4, ".sql") != 0)
		return 0;
	for (size_t i = d + 1; i < n - 4; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '_'))
			return 0;
	return 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
apply_one(struct db *db, struct arena *a, const char *sqldir, const char *name, int verbose)
{
	const char *params[1] = { name };
	PGresult *r;
	char *path, *sql;
	size_t len;

	if (db_begin(db) == -1)
		return -1;
	if ((r = db_exec(db, a, &q_applied, params)) == NULL)
		goto fail;
	if (PQntuples(r) > 0) {
		db_rollback(db);
		return 0;
	}
	if ((path = arena_printf(a, "%s/%s", sqldir, name)) == NULL)
		goto fail;
	if ((sql = file_read(a, path, MAX_SQL_BYTES, &len)) == NULL) {
		if (errno == EFBIG)
			log_error("%s: larger than %d bytes", path, MAX_SQL_BYTES);
		else
			log_error("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (db_command(db, sql) == -1) {
		log_error("migration %s failed; nothing of it was applied", name);
		goto fail;
	}
	if (db_exec(db, a, &q_record, params) == NULL || db_commit(db) == -1)
		goto fail;
	if (verbose)
		printf("applied %s\n", name);
	return 1;
fail:
	db_rollback(db);
	return -1;
}

int
migrate_apply(struct db *db, const char *sqldir, int verbose)
{
	struct arena *a = NULL;
	struct dirent *de;
	DIR *dir = NULL;
	char **names = NULL;
	size_t n = 0;
	int applied = 0, r, locked = 0, rc = -1;

	if ((a = arena_new()) == NULL)
		return -1;
	if ((dir = opendir(sqldir)) == NULL) {
		log_error("%s: %s", sqldir, strerror(errno));
		goto out;
	}
	if ((names = arena_calloc(a, MAX_MIGRATIONS, sizeof(*names))) == NULL)
		goto out;
	while ((de = readdir(dir)) != NULL) {
		if (!is_migration(de->d_name))
			continue;
		if (n == MAX_MIGRATIONS) {
			log_error("%s: more than %d migrations", sqldir, MAX_MIGRATIONS);
			goto out;
		}
		if ((names[n++] = arena_strdup(a, de->d_name)) == NULL)
			goto out;
	}
	qsort(names, n, sizeof(*names), cmp_names);

	if (db_command(db, MIGRATE_LOCK) == -1)
		goto out;
	locked = 1;
	if (db_command(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())") == -1)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((r = apply_one(db, a, sqldir, names[i], verbose)) == -1)
			goto out;
		applied += r;
	}
	rc = applied;
out:
	if (locked)
		(void)db_command(db, MIGRATE_UNLOCK);
	if (dir != NULL)
		closedir(dir);
	arena_free(a);
	return rc;
}

int
migrate_main(int argc, char **argv)
{
	struct config cfg;
	struct db *db = NULL;
	char path[4096];
	int n, rc = 1;

	switch (config_parse(&cfg, argc, argv, NULL, "migrate [options]",
	    "Applies the schema migrations in DATADIR/sql (NNN_name.sql) that the database\n"
	    "has not seen yet, in order, each in its own transaction. Running it again\n"
	    "changes nothing.", NULL)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/sql", cfg.datadir) >= sizeof(path))
		goto out;
	if ((db = db_open(cfg.db)) == NULL)
		goto out;
	if ((n = migrate_apply(db, path, 1)) == -1)
		goto out;
	printf("%d migration%s applied; the schema is up to date\n", n, n == 1 ? "" : "s");
	rc = 0;
out:
	db_close(db);
	config_free();
	return rc;
}
