/*
 * termijn: the SQLite backend's own: what it keeps beside the database.
 * The scrub that takes destroyed rows out of the WAL waits for the
 * readers that hold them back.  Whatever TERMIJN_TEST_STORE says, these
 * run on a SQLite file of their own.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_fixture.h"

/* A new SQLite file in a directory of its own, opened as a store. */
static int
sqlite_setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	char		 err[256];

	fixture_dir(fx->dir, sizeof(fx->dir));
	snprintf(fx->location, sizeof(fx->location), "%s/store.db", fx->dir);
	if ((fx->st = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open %s: %s", fx->location, err);
	*state = fx;
	return 0;
}

/* Poll the upkeep until its scrub is pending or not, given up n times. */
static void
wait_scrub(struct store *st, int pending, uint64_t given_up,
    struct upkeep_stats *us)
{
	int	i;

	for (i = 0; i < 1000; i++) {
		store_upkeep_stats(st, us);
		if (us->us_scrub_pending == pending &&
		    us->us_scrub_given_up == given_up)
			return;
		usleep(10000);
	}
	fail_msg("after 10 s the scrub is %s pending, given up %llu times",
	    us->us_scrub_pending ? "still" : "not",
	    (unsigned long long)us->us_scrub_given_up);
}

/*
 * A scrub that a reader holds back (SQLite: a read transaction begun
 * before the destruction): STORE_BUSY and pending, tried again by the
 * upkeep until the reader ends, and the WAL emptied then; given up after
 * the upkeep's timeout, and pending until asked again.
 */
static void
test_scrub_held_back(void **state)
{
	struct fixture		*fx = *state;
	struct upkeep_stats	 us;
	sqlite3			*rd;
	char			 err[256];
	int64_t			 a, b;

	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "closed");
	assert_int_equal(sqlite3_open_v2(fx->location, &rd,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);

	/* Held back for longer than the timeout: given up, still pending. */
	assert_int_equal(store_upkeep_start(fx->st, 0.3, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM cases",
	    NULL, NULL, NULL), SQLITE_OK);
	destroy(fx->st, a);
	assert_int_equal(store_scrub(fx->st), STORE_BUSY);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 1);
	assert_true(us.us_scrub_retries >= 1);
	assert_true(us.us_log_bytes > 0);
	wait_scrub(fx->st, 1, 1, &us);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	usleep(200000);
	wait_scrub(fx->st, 1, 1, &us);
	/* Asked again with no reader in the way: done at once. */
	assert_int_equal(store_scrub(fx->st), STORE_OK);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 0);
	assert_int_equal(us.us_log_bytes, 0);
	store_upkeep_stop(fx->st);

	/* Held back for a moment: done by the upkeep once the reader ends. */
	assert_int_equal(store_upkeep_start(fx->st, 60, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM cases",
	    NULL, NULL, NULL), SQLITE_OK);
	destroy(fx->st, b);
	assert_int_equal(store_scrub(fx->st), STORE_BUSY);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	wait_scrub(fx->st, 0, 1, &us);
	assert_true(us.us_scrub_retries >= 2);
	assert_int_equal(us.us_log_bytes, 0);
	sqlite3_close(rd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scrub_held_back,
		    sqlite_setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("sqlite files", tests, NULL,
	    NULL);
}
