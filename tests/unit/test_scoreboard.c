/* test_scoreboard.c — the scoreboard's colours: the EU Single Market Scoreboard thresholds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "page_scoreboard.h"

static void
shares_green_from_80_yellow_from_60(void **state)
{
	(void)state;
	assert_string_equal(scoreboard_colour("accepted-in-time", "100.0"), "green");
	assert_string_equal(scoreboard_colour("accepted-in-time", "80.0"), "green");
	assert_string_equal(scoreboard_colour("accepted-in-time", "79.9"), "yellow");
	assert_string_equal(scoreboard_colour("answered-in-time", "60.0"), "yellow");
	assert_string_equal(scoreboard_colour("answered-in-time", "59.9"), "red");
	assert_string_equal(scoreboard_colour("answered-in-time", "0"), "red");
}

static void
days_green_below_16_yellow_to_25(void **state)
{
	(void)state;
	assert_string_equal(scoreboard_colour("days-to-answer", "15.9"), "green");
	assert_string_equal(scoreboard_colour("days-to-answer", "16.0"), "yellow");
	assert_string_equal(scoreboard_colour("days-to-answer", "25.0"), "yellow");
	assert_string_equal(scoreboard_colour("days-to-answer", "25.1"), "red");
}

static void
negative_ratings_green_below_5_red_from_15(void **state)
{
	(void)state;
	assert_string_equal(scoreboard_colour("negative-ratings", "4.9"), "green");
	assert_string_equal(scoreboard_colour("negative-ratings", "5.0"), "yellow");
	assert_string_equal(scoreboard_colour("negative-ratings", "14.9"), "yellow");
	assert_string_equal(scoreboard_colour("negative-ratings", "15.0"), "red");
}

static void
no_figure_no_colour(void **state)
{
	(void)state;
	assert_null(scoreboard_colour("days-to-answer", ""));
	assert_null(scoreboard_colour("negative-ratings", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shares_green_from_80_yellow_from_60),
		cmocka_unit_test(days_green_below_16_yellow_to_25),
		cmocka_unit_test(negative_ratings_green_below_5_red_from_15),
		cmocka_unit_test(no_figure_no_colour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
