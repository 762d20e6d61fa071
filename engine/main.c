/*
 * main.c — `imiflow SUBCOMMAND [options]`: one binary, one entry per subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "bootstrap.h"
#include "deploy.h"
#include "imi_register.h"
#include "lint.h"
#include "migrate.h"
#include "migrate_instances.h"
#include "serve.h"
#include "worker.h"
#include "xmlalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

struct subcommand {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "serve", serve_main, "run the FastCGI server (and the worker thread) behind nginx" },
	{ "worker", worker_main, "deliver the mail outbox as a separate process" },
	{ "migrate", migrate_main, "apply the schema migrations in DATADIR/sql" },
	{ "bootstrap", bootstrap_main, "create the first authority and its first user" },
	{ "lint", lint_main, "check workflow definitions (schema and meaning)" },
	{ "deploy", deploy_main, "store workflow definitions as new versions" },
	{ "migrate-instances", migrate_instances_main, "move running instances to a new version of their definition" },
	{ "dot", dot_main, "print a workflow definition as a Graphviz diagram" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: imiflow SUBCOMMAND [options]\n\nsubcommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-17s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(f, "\n\"imiflow SUBCOMMAND --help\" describes each one's options.\n");
}

int
main(int argc, char **argv)
{
	int rc;

	/* Before libxml2 allocates anything: it must free only what xmlalloc gave it. */
	if (xmlalloc_install() == -1) {
		fprintf(stderr, "imiflow: libxml2 refused the allocator\n");
		return 1;
	}
	/* The domain's vocabulary, before any subcommand reads a definition or starts a thread. */
	if (imi_register() == -1) {
		fprintf(stderr, "imiflow: the registry refused IMI's names (see the log)\n");
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("imiflow %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0) {
			rc = subcommands[i].fn(argc - 1, argv + 1);
			xmlalloc_thread_end();	/* so a leak checker sees no block lost */
			return rc;
		}
	fprintf(stderr, "imiflow: unknown subcommand \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
