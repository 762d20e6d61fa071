/*
 * fuzz_config.c — libFuzzer target for the config file reader
 * (engine/core/config.c: `imiflow serve -c FILE`, "key = value" lines) and the
 * readers of its values (numbers, nginx sizes).
 *
 * Input: the file's content, read by config_read_buffer() (what -c FILE
 * does with the file's bytes; no file is written per input), over the
 * defaults config_parse() sets.  Checks what config.h promises: a file
 * that is read gives every setting a string; a value from the file has no
 * white space around it and no line break; config_number() and config_size()
 * answer the default, -1, or a value inside their bounds; config_free()
 * frees what the file gave (LeakSanitizer says otherwise).
 */
#include <string.h>

#include "config.h"
#include "fuzz.h"

static const char *const *
fields(const struct config *c, size_t *n)
{
	*n = sizeof(*c) / sizeof(const char *);
	return (const char *const *)(const void *)c;
}

static void
check_value(const char *v)
{
	long long n;
	char label[64];

	CHECK(strpbrk(v, "\r\n") == NULL);
	if (v[0] != '\0') {
		CHECK(v[0] != ' ' && v[0] != '\t');
		CHECK(v[strlen(v) - 1] != ' ' && v[strlen(v) - 1] != '\t');
	}
	n = config_number(v, 7, 0, 1000);
	CHECK(n == -1 || (n >= 0 && n <= 1000));
	CHECK(v[0] != '\0' || n == 7);
	n = config_size(v, 7, 1, 20LL * 1024 * 1024);
	CHECK(n == -1 || (n >= 1 && n <= 20LL * 1024 * 1024));
	CHECK(v[0] != '\0' || n == 7);
	if (n > 0) {
		config_size_label(n, label, sizeof(label));
		CHECK(strlen(label) > 0 && strlen(label) < sizeof(label) - 1);
	}
	n = config_size(v, 0, 0, 0x7fffffffffffffffLL);
	CHECK(n >= -1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *f;
	struct config c;
	char *argv[2];
	size_t n, i;
	int st, lk;

	argv[0] = (char *)"serve";
	argv[1] = NULL;
	CHECK(config_parse(&c, 1, argv, NULL, "serve", "fuzz", NULL) == CONFIG_OK);
	if (config_read_buffer(&c, "fuzz", (const char *)data, size) == 0) {
		f = fields(&c, &n);
		for (i = 0; i < n; i++)
			if (f[i] != NULL)
				check_value(f[i]);
		CHECK(c.db != NULL && c.datadir != NULL && c.threads != NULL);
		st = lk = -2;
		if (config_db_limits(&c, &st, &lk) == 0)
			CHECK(st >= 0 && lk >= 0);
	}
	config_free();

	/* The whole input as one value, too. */
	{
		char *v = malloc(size + 1);
		if (v != NULL) {
			memcpy(v, data, size);
			v[size] = '\0';
			n = (size_t)config_number(v, 7, -5, 5);
			CHECK((long long)n >= -5 && (long long)n <= 7);
			n = (size_t)config_size(v, 7, 0, 1LL << 40);
			CHECK((long long)n >= -1 && (long long)n <= 1LL << 40);
			free(v);
		}
	}
	return 0;
}
