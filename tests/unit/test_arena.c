/* test_arena.c — the per-request arena and the growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "buf.h"

static int cleanups[3], order, next_order;

static void
note(void *p)
{
	*(int *)p = ++next_order;
}

static void
allocations_are_zeroed_aligned_and_distinct(void **state)
{
	struct arena *a = arena_new();
	char *p, *q;

	(void)state;
	assert_non_null(a);
	p = arena_alloc(a, 10);
	q = arena_alloc(a, 10);
	assert_non_null(p);
	assert_non_null(q);
	assert_true(p != q);
	assert_int_equal((uintptr_t)p % 16, 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(p[i], 0);
	arena_free(a);
}

static void
large_and_many_allocations(void **state)
{
	struct arena *a = arena_new();
	char *big;

	(void)state;
	big = arena_alloc(a, 1 << 20);
	assert_non_null(big);
	memset(big, 'x', 1 << 20);
	for (int i = 0; i < 10000; i++)
		assert_non_null(arena_alloc(a, 37));
	assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
	assert_null(arena_alloc(a, SIZE_MAX));
	arena_free(a);
}

static void
strings(void **state)
{
	struct arena *a = arena_new();

	(void)state;
	assert_string_equal(arena_strdup(a, "abc"), "abc");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(a, "%d-%s", 42, "x"), "42-x");
	assert_null(arena_strdup(a, NULL));
	arena_free(a);
}

static void
cleanups_run_last_first(void **state)
{
	struct arena *a = arena_new();

	(void)state;
	(void)order;
	next_order = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(arena_defer(a, note, &cleanups[i]), 0);
	arena_free(a);
	assert_int_equal(cleanups[2], 1);
	assert_int_equal(cleanups[1], 2);
	assert_int_equal(cleanups[0], 3);
	arena_free(NULL);
}

static void
buf_grows_and_formats(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%04d", i);
	assert_true(buf_ok(&b));
	assert_int_equal(b.len, 4000);
	assert_int_equal(strncmp(b.data + 3996, "0999", 4), 0);
	assert_int_equal(b.data[b.len], '\0');
	buf_append(&b, "", 0);
	assert_int_equal(b.len, 4000);
	buf_release(&b);
	assert_null(b.data);
}

static void
broken_buf_stays_broken(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "x");
	buf_append(&b, "y", SIZE_MAX - 1);
	assert_false(buf_ok(&b));
	buf_puts(&b, "z");
	assert_false(buf_ok(&b));
	assert_int_equal(b.len, 1);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocations_are_zeroed_aligned_and_distinct),
		cmocka_unit_test(large_and_many_allocations),
		cmocka_unit_test(strings),
		cmocka_unit_test(cleanups_run_last_first),
		cmocka_unit_test(buf_grows_and_formats),
		cmocka_unit_test(broken_buf_stays_broken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
