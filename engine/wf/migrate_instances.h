/*
 * migrate_instances.h — `imiflow migrate-instances`: moves the running
 * instances of one deployed version of a definition to another, state by
 * state as a mapping file says (instmap.h), in one transaction.
 */
#ifndef IMIFLOW_MIGRATE_INSTANCES_H
#define IMIFLOW_MIGRATE_INSTANCES_H

int migrate_instances_main(int argc, char **argv);

#endif
