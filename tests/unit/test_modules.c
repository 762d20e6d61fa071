/* test_modules.c — the module catalogue: the shipped workflows/modules.xml, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "collect.h"
#include "arena.h"
#include "file.h"
#include "modules.h"

static const char *datadir;

static struct modules_catalogue *
parse(const char *xml, struct collected *f)
{
	memset(f, 0, sizeof(*f));
	return modules_parse("mem", xml, strlen(xml), datadir, collect, f);
}

/* Line 1 is the declaration, line 2 the root: a module's first line is 3. */
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<modules xmlns=\"urn:imiflow:modules:1\">\n"

static void
shipped_catalogue_loads(void **state)
{
	static const struct { const char *code; const char *kind; int coordinator; } want[] = {
		{ "pq-requests", "request", 1 },
		{ "services-requests", "request", 1 },
		{ "posting-requests", "request", 1 },
		{ "train-driver-requests", "request", 1 },
		{ "services-notifications", "notification", 1 },
		{ "pq-architects-notifications", "notification", 1 },
		{ "pq-health-notifications", "notification", 1 },
		{ "services-alerts", "alert", 1 },
		{ "pq-alerts", "alert", 1 },
		{ "cash-in-transit", "register", 0 },
		{ "registers", "register", 0 },
	};
	static const char *const professions[] = { "Architects", "Doctors", "Nurses", "Pharmacists",
		"Dentists", "Veterinary surgeons", "Midwives", "Engineers" };
	char path[4096];
	struct collected f = { 0 };
	struct modules_catalogue *cat;
	struct arena *a;
	const struct modules_module *pq;
	char *text;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/workflows/modules.xml", datadir);
	assert_non_null(a = arena_new());
	assert_non_null(text = file_read(a, path, 1024 * 1024, &len));
	assert_true(modules_is_catalogue(text, len));
	cat = modules_parse(path, text, len, datadir, collect, &f);
	assert_int_equal(f.n, 0);
	assert_non_null(cat);
	assert_int_equal(cat->nmodules, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < cat->nmodules; i++) {
		const struct modules_module *m = &cat->modules[i];
		assert_string_equal(m->code, want[i].code);
		assert_string_equal(m->kind, want[i].kind);
		assert_int_equal(m->needs_coordinator, want[i].coordinator);
		assert_true(m->name[0] != '\0');
		assert_true(m->legal_area[0] != '\0');
		assert_true(m->line > 2);
		if (i > 0)
			assert_true(m->line > cat->modules[i - 1].line);
	}
	pq = &cat->modules[0];
	assert_string_equal(pq->name, "Professional qualifications – information requests");
	assert_string_equal(pq->legal_area, "Professional qualifications");
	assert_true(pq->nkeywords >= 8);
	for (size_t p = 0; p < sizeof(professions) / sizeof(professions[0]); p++) {
		size_t k;
		for (k = 0; k < pq->nkeywords; k++)
			if (strcmp(pq->keywords[k].text, professions[p]) == 0)
				break;
		assert_true(k < pq->nkeywords);
		assert_true(pq->keywords[k].line > pq->line);
	}
	/* cash-in-transit has no keywords; registers, last, has (issue 15). */
	assert_int_equal(cat->modules[cat->nmodules - 2].nkeywords, 0);
	assert_string_equal(cat->modules[cat->nmodules - 2].kind, "register");
	assert_true(cat->modules[cat->nmodules - 1].nkeywords > 0);
	/* Registers alone is horizontal. */
	for (size_t i = 0; i < cat->nmodules; i++)
		assert_int_equal(cat->modules[i].horizontal, strcmp(cat->modules[i].code, "registers") == 0);
	assert_int_equal(modules_check(path, text, len, datadir), 0);
	modules_free(cat);
	arena_free(a);
}

static void
recognised_by_root(void **state)
{
	static const char wf[] = "<workflow xmlns=\"urn:imiflow:workflow:1\" name=\"x\" label=\"X\"/>";
	static const char bare[] = "<!-- no namespace -->\n<modules><module/></modules>";
	static const char cat[] = HEAD "</modules>\n";
	static const char broken[] = "<modules xmlns=\"urn:imiflow:modules:1\">\n<module code=\"a\"\n";

	(void)state;
	assert_true(modules_is_catalogue(cat, strlen(cat)));
	assert_true(modules_is_catalogue(bare, strlen(bare)));
	assert_false(modules_is_catalogue(wf, strlen(wf)));
	/* Broken after the root's start tag: still a catalogue, to be told what is wrong as one. */
	assert_true(modules_is_catalogue(broken, strlen(broken)));
	assert_false(modules_is_catalogue("<workflow", 9));
	assert_false(modules_is_catalogue("<!-- <modules> -->", 18));
	assert_false(modules_is_catalogue("", 0));
	assert_false(modules_is_catalogue("not xml", 7));
}

static void
duplicate_code_refused_at_second(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <module code=\"a\" kind=\"request\" legal-area=\"A\" linked-coordinator=\"required\">\n"
	    "    <name>A</name>\n"
	    "  </module>\n"
	    "  <module code=\"b\" kind=\"alert\" legal-area=\"B\" linked-coordinator=\"required\">\n"
	    "    <name>B</name>\n"
	    "  </module>\n"
	    "  <module code=\"a\" kind=\"register\" legal-area=\"A\" linked-coordinator=\"none\">\n"
	    "    <name>A again</name>\n"
	    "  </module>\n"
	    "</modules>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 9);
	assert_string_equal(f.msg[0], "module \"a\" is declared twice (also line 3)");
}

static void
horizontal_needs_no_coordinator(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <module code=\"a\" kind=\"register\" legal-area=\"A\" linked-coordinator=\"required\""
	    " horizontal=\"true\">\n"
	    "    <name>A</name>\n"
	    "  </module>\n"
	    "</modules>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 3);
	assert_string_equal(f.msg[0], "module \"a\" is horizontal, so it cannot need a linked "
	    "coordinator (linked-coordinator=\"none\")");
}

static void
duplicate_keyword_refused_at_second(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <module code=\"pq\" kind=\"request\" legal-area=\"PQ\" linked-coordinator=\"required\">\n"
	    "    <name>PQ</name>\n"
	    "    <keyword>Doctors</keyword>\n"
	    "    <keyword>Nurses</keyword>\n"
	    "    <keyword>\n      Doctors\n    </keyword>\n"
	    "  </module>\n"
	    "</modules>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 7);
	assert_string_equal(f.msg[0], "keyword \"Doctors\" appears twice in module \"pq\" (also line 5)");
}

static void
empty_name_and_keyword_refused(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <module code=\"x\" kind=\"notification\" legal-area=\"X\" linked-coordinator=\"required\">\n"
	    "    <name> </name>\n"
	    "    <keyword/>\n"
	    "  </module>\n"
	    "</modules>\n", &f));
	assert_int_equal(f.n, 2);
	assert_int_equal(f.line[0], 4);
	assert_string_equal(f.msg[0], "module \"x\" has an empty name");
	assert_int_equal(f.line[1], 5);
	assert_string_equal(f.msg[1], "module \"x\" has an empty keyword");
}

static void
bad_kind_refused_by_the_schema(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <module code=\"a\" kind=\"request\" legal-area=\"A\" linked-coordinator=\"required\">\n"
	    "    <name>A</name>\n"
	    "  </module>\n"
	    "  <module code=\"b\" kind=\"repository\" legal-area=\"B\" linked-coordinator=\"none\">\n"
	    "    <name>B</name>\n"
	    "  </module>\n"
	    "</modules>\n", &f));
	assert_true(f.n >= 1);
	assert_int_equal(f.line[0], 6);
	assert_non_null(strstr(f.msg[0], "schema: "));
}

static void
wrapped_text_is_collapsed(void **state)
{
	struct collected f;
	struct modules_catalogue *cat;

	(void)state;
	cat = parse(HEAD
	    "  <module code=\"a\" kind=\"register\" legal-area=\"A\" linked-coordinator=\"none\">\n"
	    "    <name>\n      Cash-in-transit –\n\tregister  of licences\n    </name>\n"
	    "    <keyword>Say \"yes\" \\ no</keyword>\n"
	    "  </module>\n"
	    "</modules>\n", &f);
	assert_int_equal(f.n, 0);
	assert_non_null(cat);
	assert_string_equal(cat->modules[0].name, "Cash-in-transit – register of licences");
	assert_string_equal(cat->modules[0].keywords[0].text, "Say \"yes\" \\ no");
	assert_false(cat->modules[0].needs_coordinator);
	modules_free(cat);
}

static void
other_documents_refused(void **state)
{
	struct collected f;
	static const char no_ns[] = "<modules>\n  <module/>\n</modules>\n";
	static const char no_module[] = HEAD "</modules>\n";

	(void)state;
	assert_null(parse(no_ns, &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 1);
	assert_string_equal(f.msg[0],
	    "schema: the root element must be <modules xmlns=\"urn:imiflow:modules:1\">");
	assert_null(parse("<modules", &f));
	assert_int_equal(f.n, 1);
	assert_non_null(strstr(f.msg[0], "not well-formed XML"));
	assert_null(parse(no_module, &f));
	assert_true(f.n >= 1);
	assert_non_null(strstr(f.msg[0], "schema: "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_catalogue_loads),
		cmocka_unit_test(recognised_by_root),
		cmocka_unit_test(duplicate_code_refused_at_second),
		cmocka_unit_test(horizontal_needs_no_coordinator),
		cmocka_unit_test(duplicate_keyword_refused_at_second),
		cmocka_unit_test(empty_name_and_keyword_refused),
		cmocka_unit_test(bad_kind_refused_by_the_schema),
		cmocka_unit_test(wrapped_text_is_collapsed),
		cmocka_unit_test(other_documents_refused),
	};
	int rc;

	if ((datadir = getenv("IMIFLOW_DATADIR")) == NULL)
		datadir = ".";
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
