/* termijn: tests of the checks and suggestions for names people type. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "termijn/name.h"
#include "termijn/util.h"

static const char *const workflows[] = {
	"beslistermijn", "last_onder_dwangsom", "stabilisatie", "zelfmelding",
};

static const char *const events[] = {
	"family_reported", "youth_worker_reported", "close", "decided",
	"request_completion", "completed", "extend",
};

/* The slips of a hurried hand: a letter dropped, added, changed, swapped. */
static void
test_closest_catches_slips(void **state)
{
	(void)state;
	assert_string_equal(name_closest("zelfmeldng", workflows,
	    nitems(workflows)), "zelfmelding");
	assert_string_equal(name_closest("zelfmeldingg", workflows,
	    nitems(workflows)), "zelfmelding");
	assert_string_equal(name_closest("zelfmedling", workflows,
	    nitems(workflows)), "zelfmelding");
	assert_string_equal(name_closest("Beslistermijn", workflows,
	    nitems(workflows)), "beslistermijn");
	assert_string_equal(name_closest("family_reportd", events,
	    nitems(events)), "family_reported");
	assert_string_equal(name_closest("closed", events, nitems(events)),
	    "close");
	assert_string_equal(name_closest("extnd", events, nitems(events)),
	    "extend");
	/* Two words the same distance away: the first listed wins. */
	assert_string_equal(name_closest("complete", events, nitems(events)),
	    "completed");
}

/* Nothing is suggested that a person would not recognise. */
static void
test_closest_suggests_nothing_far(void **state)
{
	(void)state;
	assert_null(name_closest("paspoort", workflows, nitems(workflows)));
	assert_null(name_closest("approve", events, nitems(events)));
	assert_null(name_closest("x", events, nitems(events)));
	assert_null(name_closest("", events, nitems(events)));
	assert_null(name_closest("close", NULL, 0));
	/* A short name allows one slip, not more. */
	assert_null(name_closest("cls", events, nitems(events)));
	assert_string_equal(name_closest("clse", events, nitems(events)),
	    "close");
}

/* A name as long as a name may be costs no more than its table. */
static void
test_closest_long_names(void **state)
{
	static const char *const longs[] = {
		"a_very_long_workflow_name_that_takes_all_of_its_sixty_four_char",
	};

	(void)state;
	assert_string_equal(name_closest(
	    "a_very_long_workflow_name_that_takes_all_of_its_sixty_four_cha",
	    longs, 1), longs[0]);
	assert_null(name_closest("a_very_long", longs, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closest_catches_slips),
		cmocka_unit_test(test_closest_suggests_nothing_far),
		cmocka_unit_test(test_closest_long_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
