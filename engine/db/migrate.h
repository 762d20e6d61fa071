/*
 * migrate.h — applies DATADIR/sql/NNN_name.sql in name order, each inside its
 * own transaction and each exactly once (recorded in schema_migrations).
 * Concurrent runs serialise on an advisory lock.
 */
#ifndef IMIFLOW_MIGRATE_H
#define IMIFLOW_MIGRATE_H

struct db;

/* Returns the number of migrations applied now (0 when up to date), or -1. */
int migrate_apply(struct db *db, const char *sqldir, int verbose);

int migrate_main(int argc, char **argv);

#endif
