/* test_config.c — defaults, config file, command line, in that order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char path[] = "/tmp/imiflow-test-config-XXXXXX";

static int
write_file(const char *text)
{
	int fd = mkstemp(path);
	FILE *f;

	if (fd == -1 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fputs(text, f);
	fclose(f);
	return 0;
}

static void
defaults_apply(void **state)
{
	struct config c;
	char *argv[] = { "serve", NULL };

	(void)state;
	assert_int_equal(config_parse(&c, 1, argv, NULL, "x", "x", NULL), CONFIG_OK);
	assert_string_equal(c.threads, "4");
	assert_string_equal(c.smtp, "127.0.0.1:25");
	assert_null(c.socket);
	assert_string_equal(c.upload_max, "10m");
	assert_string_equal(c.body_max, "20m");
	config_free();
}

static void
file_then_options(void **state)
{
	struct config c;
	const char *extra_value = NULL;
	const struct config_opt extra[] = { { "name", 1, &extra_value, "h" }, { NULL, 0, NULL, NULL } };
	int ind;

	(void)state;
	strcpy(path, "/tmp/imiflow-test-config-XXXXXX");
	assert_int_equal(write_file("# comment\n\nthreads = 8\nsmtp=mail:2525\n  db = dbname=x  \n"), 0);
	char *argv[] = { "serve", "-c", path, "--threads", "2", "--name", "v", "--no-worker", "op", NULL };
	assert_int_equal(config_parse(&c, 9, argv, extra, "x", "x", &ind), CONFIG_OK);
	assert_string_equal(c.threads, "2");        /* the command line wins */
	assert_string_equal(c.smtp, "mail:2525");
	assert_string_equal(c.db, "dbname=x");
	assert_string_equal(c.no_worker, "1");
	assert_string_equal(extra_value, "v");
	assert_int_equal(ind, 8);
	assert_string_equal(argv[ind], "op");
	config_free();
	unlink(path);
}

static void
bad_files_are_refused(void **state)
{
	struct config c;

	(void)state;
	strcpy(path, "/tmp/imiflow-test-config-XXXXXX");
	assert_int_equal(write_file("nonsense-key = 1\n"), 0);
	char *argv[] = { "serve", "-c", path, NULL };
	assert_int_equal(config_parse(&c, 3, argv, NULL, "x", "x", NULL), CONFIG_ERROR);
	unlink(path);
	strcpy(path, "/tmp/imiflow-test-config-XXXXXX");
	assert_int_equal(write_file("no equals sign\n"), 0);
	assert_int_equal(config_parse(&c, 3, argv, NULL, "x", "x", NULL), CONFIG_ERROR);
	unlink(path);
	char *missing[] = { "serve", "-c", "/nonexistent/imiflow.conf", NULL };
	assert_int_equal(config_parse(&c, 3, missing, NULL, "x", "x", NULL), CONFIG_ERROR);
	config_free();
}

/* The buffer entry point reads what a file would give, and refuses what a file would. */
static void
buffer_reads_like_a_file(void **state)
{
	struct config c;
	char *argv[] = { "serve", NULL };
	static const char text[] = "# c\n\n threads = 8 \r\nsmtp=mail:2525\ndb = dbname=x";
	char big[5000];

	(void)state;
	assert_int_equal(config_parse(&c, 1, argv, NULL, "x", "x", NULL), CONFIG_OK);
	assert_int_equal(config_read_buffer(&c, "mem", text, strlen(text)), 0);
	assert_string_equal(c.threads, "8");
	assert_string_equal(c.smtp, "mail:2525");
	assert_string_equal(c.db, "dbname=x");          /* the last line needs no line break */
	assert_string_equal(c.log_level, "info");       /* untouched keys keep their defaults */
	/* Only len bytes are read: the rest of the string is not there. */
	assert_int_equal(config_read_buffer(&c, "mem", "threads = 3junk", 11), 0);
	assert_string_equal(c.threads, "3");
	assert_int_equal(config_read_buffer(&c, "mem", "", 0), 0);
	assert_int_equal(config_read_buffer(&c, "mem", "threads 3\n", 10), -1);
	assert_int_equal(config_read_buffer(&c, "mem", "nokey = 1\n", 10), -1);
	assert_int_equal(config_read_buffer(&c, "mem", "smtp = a\rb\n", 11), -1);
	assert_int_equal(config_read_buffer(&c, "mem", "smtp = a\0b\n", 11), -1);
	memset(big, 'x', sizeof(big));
	memcpy(big, "db = ", 5);
	assert_int_equal(config_read_buffer(&c, "mem", big, sizeof(big)), -1);
	assert_int_equal(config_read_buffer(&c, "mem", big, 4095), 0);
	config_free();
}

static void
numbers(void **state)
{
	(void)state;
	assert_int_equal(config_number(NULL, 7, 1, 10), 7);
	assert_int_equal(config_number("", 7, 1, 10), 7);
	assert_int_equal(config_number("3", 7, 1, 10), 3);
	assert_int_equal(config_number("11", 7, 1, 10), -1);
	assert_int_equal(config_number("3x", 7, 1, 10), -1);
	assert_int_equal(config_number("99999999999999999999999", 7, 1, 10), -1);
}

/* Sizes as nginx's client_max_body_size writes them, so one value serves both. */
static void
sizes(void **state)
{
	char label[32];

	(void)state;
	assert_int_equal(config_size(NULL, 7, 1, 100), 7);
	assert_int_equal(config_size("", 7, 1, 100), 7);
	assert_int_equal(config_size("65536", 7, 1, 1 << 20), 65536);
	assert_int_equal(config_size("64k", 7, 1, 1 << 20), 65536);
	assert_int_equal(config_size("64K", 7, 1, 1 << 20), 65536);
	assert_int_equal(config_size("10m", 7, 1, 1LL << 30), 10 * 1024 * 1024);
	assert_int_equal(config_size("10M", 7, 1, 1LL << 30), 10 * 1024 * 1024);
	assert_int_equal(config_size("2m", 7, 1, 1 << 20), -1);
	assert_int_equal(config_size("0", 7, 1, 100), -1);
	assert_int_equal(config_size("-1", 7, 0, 100), -1);
	assert_int_equal(config_size("+1", 7, 0, 100), -1);
	assert_int_equal(config_size("10g", 7, 1, 1LL << 40), -1);
	assert_int_equal(config_size("10 m", 7, 1, 1LL << 30), -1);
	assert_int_equal(config_size("10mb", 7, 1, 1LL << 30), -1);
	assert_int_equal(config_size("99999999999999999999m", 7, 1, 1LL << 30), -1);
	assert_string_equal(config_size_label(10 * 1024 * 1024, label, sizeof(label)), "10 MiB");
	assert_string_equal(config_size_label(512 * 1024, label, sizeof(label)), "512 KiB");
	assert_string_equal(config_size_label(1000, label, sizeof(label)), "1000 bytes");
}

static void
unknown_option_is_an_error(void **state)
{
	struct config c;
	char *argv[] = { "serve", "--bogus", NULL };

	(void)state;
	assert_int_equal(config_parse(&c, 2, argv, NULL, "x", "x", NULL), CONFIG_ERROR);
	config_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_apply),
		cmocka_unit_test(file_then_options),
		cmocka_unit_test(bad_files_are_refused),
		cmocka_unit_test(buffer_reads_like_a_file),
		cmocka_unit_test(numbers),
		cmocka_unit_test(sizes),
		cmocka_unit_test(unknown_option_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
