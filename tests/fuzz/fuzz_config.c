/*
 * fuzz_config.c — libFuzzer target for the config file reader
 * (engine/core/config.c: `imiflow serve -c FILE`, "key = value" lines) and the
 * readers of its values (numbers, nginx sizes).
 *
 * Input: the file's content, written to a temporary file that
 * config_parse() reads as -c FILE.  Checks what config.h promises: a file
 * that is read gives every setting a string; a value from the file has no
 * white space around it and no line break; config_number() and config_size()
 * answer the default, -1, or a value inside their bounds; config_free()
 * frees what the file gave (LeakSanitizer says otherwise).
 */
#include <string.h>
#include <unistd.h>

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
	static char path[64];
	static int fd = -1;
	const char *const *f;
	struct config c;
	char *argv[4];
	size_t n, i;
	int st, lk;

	if (fd == -1) {
		snprintf(path, sizeof(path), "/tmp/fuzz_config.XXXXXX");
		CHECK((fd = mkstemp(path)) != -1);
		/* The name is not needed once open: /proc/self/fd reads it. */
		unlink(path);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);

	argv[0] = (char *)"serve";
	argv[1] = (char *)"-c";
	argv[2] = path;
	argv[3] = NULL;
	if (config_parse(&c, 3, argv, NULL, "serve", "fuzz", NULL) == CONFIG_OK) {
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
