/*
 * fuzz_questions.c — libFuzzer target for the question set reader
 * (engine/imi/questions.c: workflows/questions/MODULE.xml, read by lint and
 * deploy; its labels and options become the request form).
 *
 * Input: the set's bytes.  Checks what questions.h promises: findings with a
 * message and a line; a set that parses has a module, every label in every
 * language, codes once each, positions 1, 2, … in order, options exactly on
 * choices and each value once, and questions_find() and questions_label()
 * answer from it.
 */
#include <string.h>

#include "findings.h"
#include "fuzz.h"
#include "questions.h"

static void
report(void *arg, const char *file, int line, const char *msg)
{
	CHECK(file != NULL && strcmp(file, "fuzz.xml") == 0);
	CHECK(line >= 0);
	CHECK(msg != NULL && msg[0] != '\0');
	++*(int *)arg;
}

static void
check_labels(const struct questions_labels *l)
{
	for (int i = 0; i < QUESTIONS_LANG__MAX; i++)
		CHECK(l->text[i] != NULL);
	CHECK(questions_label(l, NULL) == l->text[QUESTIONS_EN]);
	CHECK(questions_label(l, "xx") == l->text[QUESTIONS_EN]);
	CHECK(questions_label(l, "da") == l->text[QUESTIONS_DA]);
}

static void
check_set(const struct questions_set *set)
{
	const struct questions_group *g;
	const struct questions_question *q;
	size_t pos = 0;

	CHECK(set->module != NULL && set->module[0] != '\0');
	for (size_t i = 0; i < set->ngroups; i++) {
		g = &set->groups[i];
		CHECK(g->code != NULL);
		check_labels(&g->labels);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(set->groups[j].code, g->code) != 0);
		for (size_t k = 0; k < g->nquestions; k++) {
			q = &g->questions[k];
			CHECK(q->group == g);
			CHECK(q->position == ++pos);
			CHECK(q->type < QUESTIONS_TYPE__MAX && questions_type_name(q->type) != NULL);
			CHECK(questions_find(set, q->code) == q);
			check_labels(&q->labels);
			CHECK((q->type == QUESTIONS_CHOICE) == (q->noptions > 0));
			for (size_t o = 0; o < q->noptions; o++) {
				CHECK(q->options[o].value != NULL);
				check_labels(&q->options[o].labels);
				for (size_t p = 0; p < o; p++)
					CHECK(strcmp(q->options[p].value, q->options[o].value) != 0);
			}
		}
	}
	CHECK(pos == set->nquestions);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct questions_set *set;
	char *xml;
	int found = 0;
	static int kept;

	/* One thread here: the compiled schemas may stay (findings.h). */
	if (!kept) {
		findings_keep_schemas();
		kept = 1;
	}

	if ((xml = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(xml, data, size);
	(void)questions_is_set(xml, size);
	set = questions_parse("fuzz.xml", xml, size, fuzz_datadir(), report, &found);
	if (set == NULL)
		CHECK(found > 0);
	else {
		CHECK(found == 0);
		CHECK(questions_is_set(xml, size) == 1);
		check_set(set);
		questions_free(set);
	}
	free(xml);
	return 0;
}
