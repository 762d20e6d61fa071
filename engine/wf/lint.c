/* lint.c — see lint.h. */
#include "lint.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "file.h"
#include "i18n.h"
#include "instmap.h"
#include "registry.h"
#include "workflow.h"

/*
 * What lint reads to recognise a domain's data file (IMI's module catalogue
 * and question sets take no more); a larger file goes to
 * wf_parse_file(), which refuses it in lint's usual words.
 */
#define MAX_CATALOGUE_BYTES (1024 * 1024)

/*
 * What a FILE turned out to be, counted for the closing line: 0 a definition, k + 1 data kind
 * k, the last one a mapping of states (instmap.h).
 */
#define LINT_KIND_MAX 16

static void
list_registry(void)
{
	const char *const *roles = registry_roles();
	const struct registry_party *p = registry_parties();
	const struct registry_condition *c = registry_conditions();
	const struct registry_action *a = registry_actions();
	const struct registry_selector *sel = registry_selectors();
	const struct registry_seen_by *v = registry_seen_by_rules();
	const struct registry_option_source *o = registry_option_sources();

	printf("roles:\n");
	for (size_t i = 0; roles[i] != NULL; i++)
		printf("  %s\n", roles[i]);
	printf("parties:\n");
	for (size_t i = 0; p[i].name != NULL; i++)
		printf("  %-16s %s\n", p[i].name, p[i].about);
	printf("conditions:\n");
	for (size_t i = 0; c[i].name != NULL; i++)
		printf("  %-16s %s\n", c[i].name, c[i].about);
	printf("actions:\n");
	for (size_t i = 0; a[i].name != NULL; i++)
		printf("  %-16s %s\n", a[i].name, a[i].about);
	printf("selectors:\n");
	for (size_t i = 0; sel[i].name != NULL; i++)
		printf("  %-16s %s\n", sel[i].name, sel[i].about);
	printf("seen-by:\n");
	for (size_t i = 0; v[i].name != NULL; i++)
		printf("  %-16s %s\n", v[i].name, v[i].about);
	printf("option sources:\n");
	for (size_t i = 0; o[i].name != NULL; i++)
		printf("  %-16s %s\n", o[i].name, o[i].about);
}

/*
 * Checks path when it is one of the domain's data files (*kind says which):
 * its number of findings (each one printed), or -1 when it is none (or
 * unreadable: then it is left to the definition's parser, which says so in
 * the words lint always used).
 */
static int
lint_by_root(const char *path, const char *datadir, int *kind)
{
	const struct registry_data_kind *k, *all = registry_data_kinds();
	struct arena *a;
	char *text;
	size_t len;
	int n = -1;

	if ((a = arena_new()) == NULL)
		return -1;
	if ((text = file_read(a, path, MAX_CATALOGUE_BYTES, &len)) != NULL &&
	    (k = registry_data_kind_of(text, len)) != NULL && k - all + 1 < LINT_KIND_MAX - 1) {
		*kind = (int)(k - all) + 1;
		/* Could not check (out of memory): a finding all the same, never "no findings". */
		if ((n = k->check(path, text, len, datadir)) < 0)
			n = 1;
	}
	arena_free(a);
	return n;
}

/*
 * A mapping of states for migrate-instances (instmap.h): its number of
 * findings, or -1 when path is none (or unreadable, left to the parser).
 */
static int
lint_instance_map(const char *path)
{
	struct arena *a;
	char *text;
	size_t len;
	int n = -1;

	if ((a = arena_new()) == NULL)
		return -1;
	if ((text = file_read(a, path, MAX_CATALOGUE_BYTES, &len)) != NULL && instmap_is(text, len))
		n = instmap_lint(path);
	arena_free(a);
	return n;
}

/* "2 definitions, 1 module catalogue: no findings": every kind met, in this order. */
static void
no_findings(const int *counts)
{
	const struct registry_data_kind *kinds = registry_data_kinds();
	const char *sep = "";

	for (int k = 0; k < LINT_KIND_MAX; k++)
		if (counts[k] > 0) {
			printf("%s%d %s%s", sep, counts[k], k == 0 ? "definition" :
			    k == LINT_KIND_MAX - 1 ? "instance map" : kinds[k - 1].name,
			    counts[k] == 1 ? "" : "s");
			sep = ", ";
		}
	printf(": no findings\n");
}

/*
 * The schemas are compiled in; the mail templates a <notify> names are files
 * of the datadir.  Without them (a build tree, no --datadir) that one check
 * is skipped, which a note says; it is not a finding.
 */
static void
note_templates(const char *datadir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/xslt/mail", datadir);
	if (access(path, X_OK) != 0)
		fprintf(stderr, "imiflow lint: note: mail templates not checked: no %s "
		    "(give --datadir, e.g. the source tree)\n", path);
}

int
lint_main(int argc, char **argv)
{
	struct config cfg;
	const char *list = NULL;
	const struct config_opt opts[] = {
		{ "list", 0, &list, "print the roles, parties, conditions, actions, selectors and seen-by rules definitions may name" },
		{ NULL, 0, NULL, NULL }
	};
	struct wf_def *def;
	int first, findings = 0, bad = 0, counts[LINT_KIND_MAX] = { 0 };

	switch (config_parse(&cfg, argc, argv, opts, "lint [options] FILE...",
	    "Checks workflow definitions: the schema (workflows/workflow.rng, compiled in),\n"
	    "then their meaning (one initial state, every state reachable, a way out of\n"
	    "every non-final state, known targets, roles, parties, conditions, actions,\n"
	    "mail templates (xslt/mail/ of the datadir; skipped with a note when it has\n"
	    "none) and timer events). A module catalogue among the FILEs\n"
	    "(workflows/modules.xml, root element <modules>) is checked against its schema\n"
	    "(workflows/modules.rng), then for codes declared twice, keywords listed twice\n"
	    "in one module and empty names or keywords. A question set among the FILEs\n"
	    "(workflows/questions/MODULE.xml, root element <questions>) is checked against\n"
	    "its schema (workflows/questions.rng), then for question, group and option\n"
	    "codes given twice, a label missing, empty or given twice in one of en, da, nl,\n"
	    "ro, options on anything but a choice, a choice without options, and a module\n"
	    "that is not a request module of workflows/modules.xml. A mapping of states\n"
	    "for migrate-instances (root element <instance-map>) is checked against its\n"
	    "schema (workflows/instance-map.rng), then for a state mapped twice; the rest\n"
	    "needs the deployed versions, which migrate-instances checks. Prints FILE:LINE:\n"
	    "message per finding and exits 1 when there is any.", &first)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	if (list != NULL) {
		list_registry();
		config_free();
		return 0;
	}
	if (first >= argc) {
		fprintf(stderr, "imiflow lint: name at least one FILE\n");
		config_free();
		return 2;
	}
	note_templates(cfg.datadir);
	xmlInitParser();
	for (int i = first; i < argc; i++) {
		int kind = 0;
		int n;
		if ((n = lint_instance_map(argv[i])) >= 0) {
			counts[LINT_KIND_MAX - 1]++;
			bad += n > 0;
			continue;
		}
		if ((n = lint_by_root(argv[i], cfg.datadir, &kind)) >= 0) {
			counts[kind]++;
			bad += n > 0;
			continue;
		}
		counts[0]++;
		if ((def = wf_parse_file(argv[i], cfg.datadir, NULL, NULL)) == NULL) {
			bad++;
			continue;
		}
		n = wf_link(def, cfg.datadir, NULL, NULL);
		findings += n;
		bad += n > 0;
		wf_free(def);
	}
	if (bad == 0)
		no_findings(counts);
	(void)findings;
	xmlCleanupParser();
	config_free();
	return bad > 0 ? 1 : 0;
}

/* Graphviz double-quoted string: escape quotes and backslashes, drop newlines. */
static void
dot_string(struct buf *out, const char *s)
{
	buf_puts(out, "\"");
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_append(out, "\\", 1);
		if (*s == '\n' || *s == '\r')
			continue;
		buf_append(out, s, 1);
	}
	buf_puts(out, "\"");
}

/* What a diagram calls a state or transition: its code, or its label in lang's words. */
static const char *
dot_word(const char *lang, const char *code, const char *label)
{
	if (lang == NULL || label == NULL || *label == '\0')
		return code;
	return i18n_get(lang, label);
}

void
wf_dot(const struct wf_def *def, const long long *counts, const char *lang, struct buf *out)
{
	buf_printf(out, "digraph ");
	dot_string(out, def->name);
	buf_puts(out, " {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n"
	    "  edge [fontname=\"sans-serif\", fontsize=10];\n");
	for (size_t s = 0; s < def->nstates; s++) {
		const struct wf_state *st = &def->states[s];
		char label[512];
		if (counts != NULL && counts[s] >= 0)
			snprintf(label, sizeof(label), "%s\\n(%lld)",
			    dot_word(lang, st->name, st->label), counts[s]);
		else
			snprintf(label, sizeof(label), "%s", dot_word(lang, st->name, st->label));
		buf_puts(out, "  ");
		dot_string(out, st->name);
		/* label may carry the \n escape we put there: write it raw but escaped quotes. */
		buf_puts(out, " [label=\"");
		for (const char *p = label; *p != '\0'; p++) {
			if (*p == '"')
				buf_append(out, "\\", 1);
			buf_append(out, p, 1);
		}
		buf_puts(out, "\"");
		if (st->initial)
			buf_puts(out, ", penwidth=2");
		if (st->final)
			buf_puts(out, ", peripheries=2");
		buf_puts(out, "];\n");
	}
	for (size_t s = 0; s < def->nstates; s++) {
		const struct wf_state *st = &def->states[s];
		for (size_t t = 0; t < st->ntransitions; t++) {
			const struct wf_transition *tr = &st->transitions[t];
			buf_puts(out, "  ");
			dot_string(out, st->name);
			buf_puts(out, " -> ");
			dot_string(out, tr->to_name);
			buf_puts(out, " [label=");
			dot_string(out, dot_word(lang, tr->event, tr->label));
			for (size_t i = 0; i < tr->nallows; i++)
				if (tr->allows[i].party != NULL && strcmp(tr->allows[i].party, "system") == 0)
					buf_puts(out, ", style=dashed");
			buf_puts(out, "];\n");
		}
	}
	buf_puts(out, "}\n");
}

int
dot_main(int argc, char **argv)
{
	struct config cfg;
	struct wf_def *def = NULL;
	struct buf out;
	int first, rc = 1;

	switch (config_parse(&cfg, argc, argv, NULL, "dot [options] FILE",
	    "Prints the workflow definition FILE as a Graphviz diagram: states as boxes\n"
	    "(initial bold, final double), transitions as arrows named by their events,\n"
	    "dashed when a timer fires them. Render it with: imiflow dot FILE | dot -Tsvg", &first)) {
	case CONFIG_HELP: return 0;
	case CONFIG_ERROR: return 2;
	case CONFIG_OK: break;
	}
	buf_init(&out);
	if (first != argc - 1) {
		fprintf(stderr, "imiflow dot: name exactly one FILE\n");
		rc = 2;
		goto out;
	}
	xmlInitParser();
	if ((def = wf_parse_file(argv[first], cfg.datadir, NULL, NULL)) == NULL ||
	    wf_link(def, cfg.datadir, NULL, NULL) > 0)
		goto out;
	wf_dot(def, NULL, NULL, &out);
	if (!buf_ok(&out))
		goto out;
	fwrite(out.data, 1, out.len, stdout);
	rc = 0;
out:
	buf_release(&out);
	wf_free(def);
	xmlCleanupParser();
	config_free();
	return rc;
}
