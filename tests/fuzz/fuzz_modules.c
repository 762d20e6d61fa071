/*
 * fuzz_modules.c — libFuzzer target for the module catalogue reader
 * (engine/imi/modules.c: workflows/modules.xml, read by lint and deploy).
 *
 * Input: the catalogue's bytes.  Checks what modules.h promises: findings
 * with a message and a line; a catalogue that parses has no code twice, no
 * empty name or keyword, no keyword twice in a module, a kind named.
 */
#include <string.h>

#include "findings.h"
#include "fuzz.h"
#include "modules.h"

static void
report(void *arg, const char *file, int line, const char *msg)
{
	CHECK(file != NULL && strcmp(file, "fuzz.xml") == 0);
	CHECK(line >= 0);
	CHECK(msg != NULL && msg[0] != '\0');
	++*(int *)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct modules_module *m;
	struct modules_catalogue *cat;
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
	(void)modules_is_catalogue(xml, size);
	cat = modules_parse("fuzz.xml", xml, size, fuzz_datadir(), report, &found);
	if (cat == NULL)
		CHECK(found > 0);
	else {
		CHECK(found == 0);
		CHECK(modules_is_catalogue(xml, size) == 1);
		for (size_t i = 0; i < cat->nmodules; i++) {
			m = &cat->modules[i];
			CHECK(m->code != NULL && m->code[0] != '\0');
			CHECK(m->name != NULL && m->name[0] != '\0');
			CHECK(m->kind != NULL && m->kind[0] != '\0');
			for (size_t j = 0; j < i; j++)
				CHECK(strcmp(cat->modules[j].code, m->code) != 0);
			for (size_t k = 0; k < m->nkeywords; k++) {
				CHECK(m->keywords[k].text != NULL && m->keywords[k].text[0] != '\0');
				for (size_t j = 0; j < k; j++)
					CHECK(strcmp(m->keywords[j].text, m->keywords[k].text) != 0);
			}
		}
		modules_free(cat);
	}
	free(xml);
	return 0;
}
