/* termijn: the cmocka set-up the calendar and period tests share. */
#ifndef TERMIJN_TEST_CALENDAR_FIXTURE_H
#define TERMIJN_TEST_CALENDAR_FIXTURE_H

#include <stdio.h>

#include "termijn/calendar.h"
#include "termijn/util.h"

/* Europe/Amsterdam with the shipped decree days and no closure days. */
static int
setup(void **state)
{
	struct errlist	errs;

	(void)state;
	errlist_init(&errs);
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1) {
		if (errs.el_count > 0)
			fprintf(stderr, "%s\n", errs.el_msgs[0]);
		errlist_clear(&errs);
		return -1;
	}
	calendar_clear_closures();
	errlist_clear(&errs);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	calendar_clear_closures();
	return 0;
}

#endif /* TERMIJN_TEST_CALENDAR_FIXTURE_H */
