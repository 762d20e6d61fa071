/* test_workflow.c — loading and linting definitions (parse → link), durations, free texts, dates. */
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
#include "date.h"
#include "imi_register.h"
#include "workflow.h"

static const char *datadir;

static struct wf_def *
load(const char *rel, struct collected *f)
{
	char path[4096];
	struct wf_def *def;

	snprintf(path, sizeof(path), "%s/tests/workflows/%s", datadir, rel);
	memset(f, 0, sizeof(*f));
	if ((def = wf_parse_file(path, datadir, collect, f)) != NULL)
		wf_link(def, datadir, collect, f);
	return def;
}

static void
toy_loads_with_every_part(void **state)
{
	struct collected f;
	struct wf_def *def = load("good/toy.xml", &f);
	const struct wf_state *draft, *sub;
	const struct wf_transition *t;

	(void)state;
	assert_non_null(def);
	assert_int_equal(f.n, 0);
	assert_string_equal(def->name, "toy");
	assert_string_equal(def->module, "");
	draft = wf_state(def, "draft");
	sub = wf_state(def, "submitted");
	assert_ptr_equal(def->initial, draft);
	assert_true(wf_state(def, "approved")->final);
	t = wf_transition(draft, "submit");
	assert_non_null(t);
	assert_ptr_equal(t->to, sub);
	assert_int_equal(t->nallows, 1);
	assert_string_equal(t->allows[0].role, "administrator");
	assert_string_equal(t->allows[0].party, "own-authority");
	assert_int_equal(t->ninputs, 4);
	assert_int_equal(t->inputs[0].type, WF_IN_TEXT);
	assert_true(t->inputs[0].required);
	assert_int_equal(t->inputs[0].max, 200);
	assert_int_equal(t->inputs[2].type, WF_IN_CHOICE);
	assert_int_equal(t->inputs[2].noptions, 2);
	assert_string_equal(t->inputs[2].options[1].value, "urgent");
	assert_true(t->line > 0);
	/* notify with links, two timers */
	int notify = 0, timers = 0;
	for (size_t i = 0; i < t->nactions; i++) {
		if (t->actions[i].kind == WF_ACT_NOTIFY) {
			notify++;
			assert_int_equal(t->actions[i].nlinks, 2);
			assert_string_equal(t->actions[i].links[1], "reject");
		}
		if (t->actions[i].kind == WF_ACT_START_TIMER) {
			timers++;
			if (strcmp(t->actions[i].timer, "reminder") == 0)
				assert_int_equal(t->actions[i].after.hours, 1);
		}
	}
	assert_int_equal(notify, 1);
	assert_int_equal(timers, 2);
	t = wf_transition(sub, "approve");
	assert_int_equal(t->nconds, 1);
	assert_true(t->conds[0].negate);
	assert_null(wf_transition(sub, "nonexistent"));
	wf_free(def);
}

static void
lint_reports_line_and_message(void **state)
{
	struct collected f;
	struct wf_def *def = load("bad/06-unknown-target.xml", &f);

	(void)state;
	assert_non_null(def);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.line[0], 8);
	assert_non_null(strstr(f.msg[0], "goes to unknown state \"escalated\""));
	wf_free(def);
	def = load("bad/03-unreachable-state.xml", &f);
	assert_int_equal(f.n, 1);
	assert_non_null(strstr(f.msg[0], "is not reachable"));
	wf_free(def);
}

static void
schema_errors_stop_parsing(void **state)
{
	struct collected f;

	(void)state;
	assert_null(load("bad/26-schema-unknown-element.xml", &f));
	assert_true(f.n >= 1);
	assert_non_null(strstr(f.msg[0], "schema: "));
	assert_null(wf_parse("mem", "<workflow", 9, datadir, collect, &f));
	assert_null(wf_parse("mem", "<x/>", 4, datadir, collect, &f));
}

static void
durations(void **state)
{
	struct wf_duration d;
	char s[128];

	(void)state;
	assert_int_equal(wf_duration_parse("P6M", &d), 0);
	assert_int_equal(d.months, 6);
	assert_int_equal(wf_duration_parse("P1Y2M3DT4H5M6S", &d), 0);
	assert_int_equal(d.years, 1);
	assert_int_equal(d.months, 2);
	assert_int_equal(d.days, 3);
	assert_int_equal(d.hours, 4);
	assert_int_equal(d.minutes, 5);
	assert_int_equal(d.seconds, 6);
	assert_int_equal(wf_duration_parse("P2W", &d), 0);
	assert_int_equal(d.days, 14);
	assert_int_equal(wf_duration_parse("PT30M", &d), 0);
	assert_int_equal(d.minutes, 30);
	wf_duration_interval(&d, s, sizeof(s));
	assert_string_equal(s, "0 years 0 months 0 days 0 hours 30 minutes 0 seconds");
	const char *bad[] = { "", "P", "PT", "6M", "P1H", "PT1D", "P-1D", "P1.5D", "P1DT", "P1M1", "P9999999D", NULL };
	for (int i = 0; bad[i] != NULL; i++)
		assert_int_equal(wf_duration_parse(bad[i], &d), -1);
	assert_int_equal(wf_duration_parse(NULL, &d), -1);
}

static int
listed(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* What people type or name, and the data set from it: what retention hides and deletes. */
static void
free_texts_of_the_request_workflow(void **state)
{
	static const char *const typed[] = { "comment", "reason", "question", "information",
	    "remarks", "document", "refusal-reason", "information-asked", "information-provided",
	    "follow-up", "date-reason", "coordinator-comment", "answer-remarks", "referral-reason",
	    NULL };
	static const char *const not_typed[] = { "proposed-date", "reply-date", "authority",
	    "handler", "timeliness", "effort", "sent-at", "closed-at", NULL };
	const char *names[WF_FREE_TEXTS_MAX];
	struct collected f = { 0 };
	struct wf_def *def;
	char path[4096];
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/workflows/information-request.xml", datadir);
	assert_non_null(def = wf_parse_file(path, datadir, collect, &f));
	n = wf_free_texts(def, names, WF_FREE_TEXTS_MAX);
	for (size_t i = 0; typed[i] != NULL; i++)
		assert_true(listed(names, n, typed[i]));
	for (size_t i = 0; not_typed[i] != NULL; i++)
		assert_false(listed(names, n, not_typed[i]));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(listed(names, i, names[i]), 0);	/* each once */
	/* No room: no more than asked for. */
	assert_int_equal(wf_free_texts(def, names, 2), 2);
	wf_free(def);
}

/* Only days that exist: PostgreSQL refuses the others with an error (a 500). */
static void
dates(void **state)
{
	const char *good[] = { "2027-02-28", "2028-02-29", "2000-02-29", "1900-01-01", "2999-12-31",
	    "2027-04-30", NULL };
	const char *bad[] = { "2027-02-30", "2027-02-29", "1900-02-29", "2027-04-31", "2027-13-01",
	    "2027-00-10", "2027-01-00", "2027-1-010", "2027- 2-28", "+027-02-28", "2027-02-2",
	    "2027-02-288", "20270228", "1899-12-31", "3000-01-01", "", "2027-02-28 ", NULL };

	(void)state;
	for (int i = 0; good[i] != NULL; i++)
		assert_true(date_valid(good[i]));
	for (int i = 0; bad[i] != NULL; i++)
		assert_false(date_valid(bad[i]));
	assert_false(date_valid(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(toy_loads_with_every_part),
		cmocka_unit_test(lint_reports_line_and_message),
		cmocka_unit_test(schema_errors_stop_parsing),
		cmocka_unit_test(durations),
		cmocka_unit_test(free_texts_of_the_request_workflow),
		cmocka_unit_test(dates),
	};
	int rc;

	if ((datadir = getenv("IMIFLOW_DATADIR")) == NULL)
		datadir = ".";
	/* tests/workflows/ names IMI's roles and parties, as the product's definitions do. */
	if (imi_register() == -1)
		return 1;
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
