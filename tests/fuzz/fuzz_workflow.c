/*
 * fuzz_workflow.c — libFuzzer target for the workflow definition reader
 * (engine/wf/workflow.c: wf_parse, then wf_link, which is `imiflow lint`).
 * Definitions are trusted input, but authors make mistakes: whatever the file,
 * lint reports findings and never crashes.
 *
 * Input: the definition's bytes; its ISO 8601 durations go through
 * wf_duration_parse() too.  Checks: every finding has a message, the file's
 * name and a line not below 0; a parse that fails reported why; a definition
 * linked without findings has exactly one initial state, every transition
 * leads to a state of the definition, states and events have names within
 * WF_NAME_MAX.  The IMI domain is registered first, as `imiflow lint` does.
 */
#include <string.h>

#include "findings.h"
#include "fuzz.h"
#include "imi_register.h"
#include "workflow.h"

static void
report(void *arg, const char *file, int line, const char *msg)
{
	CHECK(file != NULL && strcmp(file, "fuzz.xml") == 0);
	CHECK(line >= 0);
	CHECK(msg != NULL && msg[0] != '\0');
	++*(int *)arg;
}

static void
check_linked(const struct wf_def *def)
{
	const struct wf_state *s;
	const struct wf_transition *t;
	const char *names[WF_FREE_TEXTS_MAX];
	size_t i, j, k, initial = 0;

	CHECK(def->nstates > 0 && def->initial != NULL);
	CHECK(def->name != NULL && strlen(def->name) <= WF_NAME_MAX);
	for (i = 0; i < def->nstates; i++) {
		s = &def->states[i];
		CHECK(s->name != NULL && strlen(s->name) <= WF_NAME_MAX);
		CHECK(wf_state(def, s->name) == s);
		initial += s->initial != 0;
		for (j = 0; j < s->ntransitions; j++) {
			t = &s->transitions[j];
			CHECK(t->event != NULL && strlen(t->event) <= WF_NAME_MAX);
			CHECK(wf_transition(s, t->event) == t);
			CHECK(t->to >= def->states && t->to < def->states + def->nstates);
			for (k = 0; k < t->ninputs; k++)
				CHECK(t->inputs[k].type < WF_IN__MAX &&
				    wf_input_type_name(t->inputs[k].type) != NULL);
			for (k = 0; k < t->nactions; k++)
				CHECK(t->actions[k].kind < WF_ACT__MAX);
		}
	}
	CHECK(initial == 1 && def->initial->initial);
	CHECK(wf_free_texts(def, names, WF_FREE_TEXTS_MAX) <= WF_FREE_TEXTS_MAX);
}

static void
durations(const uint8_t *data, size_t size)
{
	struct wf_duration d;
	char text[64], out[256];
	size_t i, j;

	/* Each "P..." of the input, up to a quote, a '<' or white space. */
	for (i = 0; i < size; i++) {
		if (data[i] != 'P')
			continue;
		for (j = 0; i + j < size && j < sizeof(text) - 1 &&
		    strchr("\"'< \t\r\n", data[i + j]) == NULL && data[i + j] != '\0'; j++)
			text[j] = (char)data[i + j];
		text[j] = '\0';
		if (wf_duration_parse(text, &d) == 0) {
			CHECK(d.years >= 0 && d.months >= 0 && d.days >= 0 && d.hours >= 0 &&
			    d.minutes >= 0 && d.seconds >= 0);
			wf_duration_interval(&d, out, sizeof(out));
			CHECK(strlen(out) < sizeof(out) - 1);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct wf_def *def;
	const char *datadir = fuzz_datadir();
	char *xml;
	int found = 0, n;
	static int kept;

	/* One thread here: the compiled schemas may stay (findings.h). */
	if (!kept) {
		findings_keep_schemas();
		kept = 1;
	}

	if (!ready) {
		CHECK(imi_register() == 0);
		ready = 1;
	}
	if ((xml = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(xml, data, size);
	def = wf_parse("fuzz.xml", xml, size, datadir, report, &found);
	if (def == NULL)
		CHECK(found > 0);
	else {
		CHECK(found == 0);
		n = wf_link(def, datadir, report, &found);
		CHECK(n == found && n >= 0);
		if (n == 0)
			check_linked(def);
		wf_free(def);
	}
	durations(data, size);
	free(xml);
	return 0;
}
