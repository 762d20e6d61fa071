/* test_questions.c — question sets: the two shipped in workflows/questions/, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "collect.h"
#include "arena.h"
#include "file.h"
#include "questions.h"

static const char *datadir;

static struct questions_set *
parse_in(const char *dir, const char *xml, struct collected *f)
{
	memset(f, 0, sizeof(*f));
	return questions_parse("mem", xml, strlen(xml), dir, collect, f);
}

static struct questions_set *
parse(const char *xml, struct collected *f)
{
	return parse_in(datadir, xml, f);
}

/* Line 1 is the declaration, line 2 the root: a group's first line is 3. */
#define ROOT(module) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<questions xmlns=\"urn:imiflow:questions:1\" module=\"" module "\">\n"
#define HEAD ROOT("pq-requests")
/* Every label on one line, so that line numbers stay easy to count. */
#define LABELS(t) "<label lang=\"en\">" t "</label><label lang=\"da\">" t " (da)</label>" \
	"<label lang=\"nl\">" t " (nl)</label><label lang=\"ro\">" t " (ro)</label>\n"

static void
shipped_set_loads(const char *module, const char *const *choices)
{
	static const char *const langs[] = { "en", "da", "nl", "ro" };
	char path[4096];
	struct collected f = { 0 };
	struct questions_set *set;
	struct arena *a;
	char *text;
	size_t len, position = 0;

	snprintf(path, sizeof(path), "%s/workflows/questions/%s.xml", datadir, module);
	assert_non_null(a = arena_new());
	assert_non_null(text = file_read(a, path, 1024 * 1024, &len));
	assert_true(questions_is_set(text, len));
	set = questions_parse(path, text, len, datadir, collect, &f);
	assert_int_equal(f.n, 0);
	assert_non_null(set);
	assert_string_equal(set->module, module);
	assert_true(set->ngroups >= 2 && set->ngroups <= 4);
	assert_true(set->nquestions >= 12);
	for (size_t g = 0; g < set->ngroups; g++) {
		const struct questions_group *grp = &set->groups[g];
		for (int l = 0; l < QUESTIONS_LANG__MAX; l++) {
			assert_string_equal(questions_lang_name((enum questions_lang)l), langs[l]);
			assert_true(grp->labels.text[l][0] != '\0');
			assert_true(grp->labels.line[l] > grp->line);
		}
		for (size_t k = 0; k < grp->nquestions; k++) {
			const struct questions_question *q = &grp->questions[k];
			assert_int_equal(q->position, ++position);
			assert_ptr_equal(q->group, grp);
			assert_ptr_equal(questions_find(set, q->code), q);
			for (int l = 0; l < QUESTIONS_LANG__MAX; l++) {
				assert_true(q->labels.text[l][0] != '\0');
				/* A real translation, not the English copied. */
				if (l != QUESTIONS_EN)
					assert_string_not_equal(q->labels.text[l], q->labels.text[QUESTIONS_EN]);
				assert_string_equal(questions_label(&q->labels, langs[l]), q->labels.text[l]);
			}
			assert_int_equal(q->type == QUESTIONS_CHOICE, q->noptions > 0);
			for (size_t o = 0; o < q->noptions; o++)
				for (int l = 0; l < QUESTIONS_LANG__MAX; l++)
					assert_true(q->options[o].labels.text[l][0] != '\0');
		}
	}
	assert_int_equal(position, set->nquestions);
	for (size_t c = 0; choices[c] != NULL; c++) {
		const struct questions_question *q = questions_find(set, choices[c]);
		assert_non_null(q);
		assert_int_equal(q->type, QUESTIONS_CHOICE);
		assert_true(q->noptions >= 3);
	}
	assert_null(questions_find(set, "no-such-question"));
	assert_int_equal(questions_check(path, text, len, datadir), 0);
	questions_free(set);
	arena_free(a);
}

static void
shipped_pq_requests_load(void **state)
{
	static const char *const choices[] = { "scope-of-practice", "current-status", NULL };

	(void)state;
	shipped_set_loads("pq-requests", choices);
}

/* personal="true" is read; absent is false. */
static void
personal_marks_are_read(void **state)
{
	char path[4096];
	struct collected f = { 0 };
	struct questions_set *set;
	struct arena *a;
	char *text;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/workflows/questions/pq-requests.xml", datadir);
	assert_non_null(a = arena_new());
	assert_non_null(text = file_read(a, path, 1024 * 1024, &len));
	assert_non_null(set = questions_parse(path, text, len, datadir, collect, &f));
	assert_true(questions_find(set, "registration-number")->personal);
	assert_true(questions_find(set, "sanction-details")->personal);
	assert_false(questions_find(set, "holds-diploma")->personal);
	assert_false(questions_find(set, "legally-established")->personal);
	questions_free(set);
	arena_free(a);
}

static void
shipped_services_requests_load(void **state)
{
	static const char *const choices[] = { "legal-form", NULL };

	(void)state;
	shipped_set_loads("services-requests", choices);
}

static void
labels_and_types_are_read(void **state)
{
	struct collected f;
	struct questions_set *set;
	const struct questions_question *q;
	struct questions_labels only_en = { { "Yes", NULL, "", NULL }, { 3, 0, 0, 0 } };

	(void)state;
	set = parse(HEAD
	    "  <group code=\"g\">\n"
	    "    " LABELS("Group")
	    "    <question code=\"scope\" type=\"choice\">\n"
	    "      <label lang=\"en\">What is the\n        scope?</label>\n"
	    "      <label lang=\"ro\">Care este domeniul?</label>\n"
	    "      <label lang=\"nl\">Wat is de reikwijdte?</label>\n"
	    "      <label lang=\"da\">Hvad er omfanget?</label>\n"
	    "      <option value=\"full\">" LABELS("Full") "      </option>\n"
	    "      <option value=\"say-\">" LABELS("Say \"yes\" \\ no") "      </option>\n"
	    "    </question>\n"
	    "    <question code=\"when\" type=\"date\">" LABELS("When?") "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f);
	assert_int_equal(f.n, 0);
	assert_non_null(set);
	assert_int_equal(set->line, 2);
	assert_non_null(q = questions_find(set, "scope"));
	assert_int_equal(q->line, 5);
	assert_string_equal(questions_type_name(q->type), "choice");
	/* Labels may come in any order and be wrapped over lines. */
	assert_string_equal(q->labels.text[QUESTIONS_EN], "What is the scope?");
	assert_int_equal(q->labels.line[QUESTIONS_EN], 6);
	assert_int_equal(q->labels.line[QUESTIONS_DA], 10);
	assert_string_equal(questions_label(&q->labels, "da"), "Hvad er omfanget?");
	assert_string_equal(questions_label(&q->labels, "nl"), "Wat is de reikwijdte?");
	/* Unknown or no language: English. */
	assert_string_equal(questions_label(&q->labels, "fr"), "What is the scope?");
	assert_string_equal(questions_label(&q->labels, NULL), "What is the scope?");
	assert_int_equal(q->noptions, 2);
	assert_string_equal(q->options[1].value, "say-");
	assert_string_equal(questions_label(&q->options[1].labels, "ro"), "Say \"yes\" \\ no (ro)");
	assert_int_equal(q->options[0].line, 11);
	assert_int_equal(questions_find(set, "when")->position, 2);
	assert_int_equal(questions_find(set, "when")->type, QUESTIONS_DATE);
	/* A language without a label, or with an empty one, falls back to English. */
	assert_string_equal(questions_label(&only_en, "da"), "Yes");
	assert_string_equal(questions_label(&only_en, "nl"), "Yes");
	questions_free(set);
}

static void
recognised_by_root(void **state)
{
	static const char wf[] = "<workflow xmlns=\"urn:imiflow:workflow:1\" name=\"x\" label=\"X\"/>";
	static const char cat[] = "<modules xmlns=\"urn:imiflow:modules:1\"/>";
	static const char bare[] = "<!-- no namespace -->\n<questions><group/></questions>";
	static const char set[] = HEAD "</questions>\n";
	static const char broken[] = HEAD "<group code=\"a\"\n";

	(void)state;
	assert_true(questions_is_set(set, strlen(set)));
	assert_true(questions_is_set(bare, strlen(bare)));
	assert_true(questions_is_set(broken, strlen(broken)));
	assert_false(questions_is_set(wf, strlen(wf)));
	assert_false(questions_is_set(cat, strlen(cat)));
	assert_false(questions_is_set("<!-- <questions> -->", 20));
	assert_false(questions_is_set("", 0));
	assert_false(questions_is_set("not xml", 7));
}

static void
duplicate_question_code_refused_at_second(void **state)
{
	struct collected f;

	(void)state;
	/* In another group too: codes are unique in the file. */
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"q1\" type=\"yesno\">" LABELS("Q1") "    </question>\n"
	    "    <question code=\"q2\" type=\"text\">" LABELS("Q2") "    </question>\n"
	    "  </group>\n"
	    "  <group code=\"b\">" LABELS("B")
	    "    <question code=\"q1\" type=\"number\">" LABELS("Q1 again") "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 10);
	assert_string_equal(f.msg[0], "question \"q1\" is declared twice (also line 4)");
}

static void
duplicate_group_code_refused_at_second(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"q1\" type=\"yesno\">" LABELS("Q1") "    </question>\n"
	    "  </group>\n"
	    "  <group code=\"a\">" LABELS("A again")
	    "    <question code=\"q2\" type=\"yesno\">" LABELS("Q2") "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 7);
	assert_string_equal(f.msg[0], "group \"a\" is declared twice (also line 3)");
}

static void
missing_label_refused_at_its_element(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">\n"
	    "    <label lang=\"en\">A</label><label lang=\"da\">A</label><label lang=\"ro\">A</label>\n"
	    "    <question code=\"q\" type=\"choice\">\n"
	    "      <label lang=\"en\">Q</label><label lang=\"da\">Q</label><label lang=\"nl\">Q</label>\n"
	    "      <option value=\"x\">" LABELS("X") "      </option>\n"
	    "      <option value=\"y\">\n"
	    "        <label lang=\"nl\">Y</label><label lang=\"da\">Y</label><label lang=\"ro\">Y</label>\n"
	    "      </option>\n"
	    "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 3);
	assert_int_equal(f.line[0], 3);
	assert_string_equal(f.msg[0], "group \"a\" has no label in \"nl\"");
	assert_int_equal(f.line[1], 5);
	assert_string_equal(f.msg[1], "question \"q\" has no label in \"ro\"");
	assert_int_equal(f.line[2], 9);
	assert_string_equal(f.msg[2], "option \"y\" of question \"q\" has no label in \"en\"");
}

static void
label_twice_refused_at_second(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"q\" type=\"yesno\">\n"
	    "      " LABELS("Q")
	    "      <label lang=\"da\">Q igen</label>\n"
	    "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 6);
	assert_string_equal(f.msg[0], "question \"q\" has two labels in \"da\" (also line 5)");
}

static void
empty_label_refused(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"q\" type=\"yesno\">\n"
	    "      <label lang=\"en\">Q</label><label lang=\"da\">Q</label><label lang=\"nl\">Q</label>\n"
	    "      <label lang=\"ro\">\n      </label>\n"
	    "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 6);
	assert_string_equal(f.msg[0], "question \"q\" has an empty label in \"ro\"");
}

static void
options_only_on_choices(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"kind\" type=\"choice\">" LABELS("Kind?") "    </question>\n"
	    "    <question code=\"ok\" type=\"yesno\">" LABELS("OK?")
	    "      <option value=\"maybe\">" LABELS("Maybe") "      </option>\n"
	    "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 2);
	assert_int_equal(f.line[0], 4);
	assert_string_equal(f.msg[0], "question \"kind\" is a choice without options");
	assert_int_equal(f.line[1], 6);
	assert_string_equal(f.msg[1], "question \"ok\" of type \"yesno\" has options (only a choice has)");
}

static void
duplicate_option_refused_at_second(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"form\" type=\"choice\">" LABELS("Form?")
	    "      <option value=\"sole\">" LABELS("Sole") "      </option>\n"
	    "      <option value=\"other\">" LABELS("Other") "      </option>\n"
	    "      <option value=\"sole\">" LABELS("Sole again") "      </option>\n"
	    "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 9);
	assert_string_equal(f.msg[0], "option \"sole\" appears twice in question \"form\" (also line 5)");
}

#define ONE_GROUP \
	"  <group code=\"a\">" LABELS("A") \
	"    <question code=\"q\" type=\"text\">" LABELS("Q") "    </question>\n" \
	"  </group>\n" \
	"</questions>\n"

static void
module_must_be_a_request_module(void **state)
{
	char dir[] = "/tmp/test_questions.XXXXXX", path[4096], rng[4096], *cwd;
	struct collected f;
	struct questions_set *set;

	(void)state;
	assert_null(parse(ROOT("services-alerts") ONE_GROUP, &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 2);
	assert_string_equal(f.msg[0], "module \"services-alerts\" is of kind \"alert\", not a request module");
	assert_null(parse(ROOT("no-such-module") ONE_GROUP, &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 2);
	assert_non_null(strstr(f.msg[0], "module \"no-such-module\" is not in the module catalogue "));
	/* A datadir without a catalogue: the module is the database's to check at deploy. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/workflows", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_non_null(cwd = realpath(datadir, NULL));
	snprintf(rng, sizeof(rng), "%s/workflows/questions.rng", cwd);
	snprintf(path, sizeof(path), "%s/workflows/questions.rng", dir);
	assert_int_equal(symlink(rng, path), 0);
	set = parse_in(dir, ROOT("no-such-module") ONE_GROUP, &f);
	assert_int_equal(f.n, 0);
	assert_non_null(set);
	questions_free(set);
	/* A catalogue with findings: said so, rather than trusted. */
	snprintf(path, sizeof(path), "%s/workflows/modules.xml", dir);
	{
		FILE *fp = fopen(path, "w");
		assert_non_null(fp);
		fputs("<modules xmlns=\"urn:imiflow:modules:1\">\n", fp);
		fclose(fp);
	}
	assert_null(parse_in(dir, ROOT("pq-requests") ONE_GROUP, &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 2);
	assert_non_null(strstr(f.msg[0], "cannot check module \"pq-requests\": the module catalogue "));
	unlink(path);
	snprintf(path, sizeof(path), "%s/workflows/questions.rng", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/workflows", dir);
	rmdir(path);
	rmdir(dir);
	free(cwd);
}

static void
schema_refuses_structure(void **state)
{
	struct collected f;

	(void)state;
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"q\" type=\"boolean\">" LABELS("Q") "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_true(f.n >= 1);
	assert_int_equal(f.line[0], 4);
	assert_non_null(strstr(f.msg[0], "schema: "));
	assert_null(parse(HEAD
	    "  <group code=\"a\">" LABELS("A")
	    "    <question code=\"q\" type=\"text\">" LABELS("Q")
	    "      <label lang=\"fr\">Q</label>\n"
	    "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_true(f.n >= 1);
	assert_non_null(strstr(f.msg[0], "schema: "));
	assert_null(parse(HEAD
	    "  <group code=\"A\">" LABELS("A")
	    "    <question code=\"q\" type=\"text\">" LABELS("Q") "    </question>\n"
	    "  </group>\n"
	    "</questions>\n", &f));
	assert_true(f.n >= 1);
	assert_non_null(strstr(f.msg[0], "schema: "));
}

static void
other_documents_refused(void **state)
{
	struct collected f;
	static const char no_ns[] = "<questions module=\"pq-requests\">\n  <group/>\n</questions>\n";
	static const char no_group[] = HEAD "</questions>\n";

	(void)state;
	assert_null(parse(no_ns, &f));
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 1);
	assert_string_equal(f.msg[0],
	    "schema: the root element must be <questions xmlns=\"urn:imiflow:questions:1\">");
	assert_null(parse("<questions", &f));
	assert_int_equal(f.n, 1);
	assert_non_null(strstr(f.msg[0], "not well-formed XML"));
	assert_null(parse(no_group, &f));
	assert_true(f.n >= 1);
	assert_non_null(strstr(f.msg[0], "schema: "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_pq_requests_load),
		cmocka_unit_test(shipped_services_requests_load),
		cmocka_unit_test(personal_marks_are_read),
		cmocka_unit_test(labels_and_types_are_read),
		cmocka_unit_test(recognised_by_root),
		cmocka_unit_test(duplicate_question_code_refused_at_second),
		cmocka_unit_test(duplicate_group_code_refused_at_second),
		cmocka_unit_test(missing_label_refused_at_its_element),
		cmocka_unit_test(label_twice_refused_at_second),
		cmocka_unit_test(empty_label_refused),
		cmocka_unit_test(options_only_on_choices),
		cmocka_unit_test(duplicate_option_refused_at_second),
		cmocka_unit_test(module_must_be_a_request_module),
		cmocka_unit_test(schema_refuses_structure),
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
