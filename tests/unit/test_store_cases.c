/*
 * termijn: the store's contract, which every backend must keep: opening,
 * transactions, cases and their deadlines.  Each test opens a new, empty
 * store where store_fixture.h says (TERMIJN_TEST_STORE, default a new
 * SQLite file) and checks what the engine relies on: the status of every
 * function, what a rollback leaves, the "current deadlines" filter, cursor
 * paging.  The other parts of the contract are in test_store_*.c beside
 * it; test_store_sqlite*.c hold what is SQLite's alone.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_fixture.h"

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(store_status_name(STORE_OK), "ok");
	assert_string_equal(store_status_name(STORE_NOTFOUND), "not found");
	assert_string_equal(store_status_name(STORE_EXISTS), "exists");
	assert_string_equal(store_status_name(STORE_FULL), "full");
	assert_string_equal(store_status_name(STORE_BUSY), "busy");
	assert_string_equal(store_status_name(STORE_FAILED), "failed");
}

/* A rollback takes back the transaction; a savepoint only its own part. */
static void
test_transactions(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 a, b;

	assert_true(store_schema_version(fx->st) > 0);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "t", "s");
	store_rollback(fx->st);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_NOTFOUND);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "B", "t", "s");
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "C", "t", "s");
	assert_int_equal(store_release(fx->st), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	assert_string_equal(c.c_reference, "A");
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_OK);
	assert_string_equal(c.c_reference, "C");

	/* A read transaction sees what was committed. */
	assert_int_equal(store_read_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	store_read_end(fx->st);
}

static void
test_cases(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 id;

	assert_int_equal(store_case_get(fx->st, 42, &c), STORE_NOTFOUND);
	id = add_case(fx->st, "Z-1", "jeugd-noord", "waiting");
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_workflow, "zelfmelding");
	assert_int_equal(c.c_version, 1);
	assert_string_equal(c.c_reference, "Z-1");
	assert_string_equal(c.c_team, "jeugd-noord");
	assert_string_equal(c.c_state, "waiting");
	assert_int_equal(c.c_final, 0);

	snprintf(c.c_state, sizeof(c.c_state), "closed");
	c.c_state_since = 2000;
	c.c_updated_at = 2001;
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_state, "closed");
	assert_int_equal(c.c_state_since, 2000);
	assert_int_equal(c.c_updated_at, 2001);
	assert_int_equal(c.c_final, 1);
	c.c_id = 999;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_NOTFOUND);
}

/* Filters combine; pages follow the id after the cursor; a walk can stop. */
static void
test_case_list_and_paging(void **state)
{
	struct fixture		*fx = *state;
	struct case_filter	 f;
	struct ids		 l;
	int64_t			 id[6];
	size_t			 i;

	id[0] = add_case(fx->st, "R0", "noord", "waiting");
	id[1] = add_case(fx->st, "R1", "zuid", "waiting");
	id[2] = add_case(fx->st, "R2", "noord", "closed");
	id[3] = add_case(fx->st, "R3", "noord", "waiting");
	id[4] = add_case(fx->st, "R4", "zuid", "closed");
	id[5] = add_case(fx->st, "R5", "noord", "waiting");

	memset(&f, 0, sizeof(f));
	f.cf_limit = 100;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(l.id[i], id[i]);

	f.cf_team = "noord";
	f.cf_state = "waiting";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], id[0]);
	assert_int_equal(l.id[1], id[3]);
	assert_int_equal(l.id[2], id[5]);

	/* Pages of two: after the cursor, at most the limit. */
	f.cf_limit = 2;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	f.cf_after = l.id[1];
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], id[5]);
	f.cf_after = id[5];
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	f.cf_team = NULL;
	f.cf_state = NULL;
	f.cf_workflow = "no-such-workflow";
	f.cf_after = 0;
	f.cf_limit = 100;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	/* The callback's status ends the walk and is its result. */
	f.cf_workflow = NULL;
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l),
	    STORE_NOTFOUND);
	assert_int_equal(l.n, 2);
}

static void
test_deadlines(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	int64_t			 c, d1, d2;

	c = add_case(fx->st, "D", "t", "deciding");
	assert_int_equal(store_deadline_get(fx->st, 77, &d), STORE_NOTFOUND);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_NOTFOUND);
	d1 = add_deadline(fx->st, c, "decision", "deciding", 5000, 1);
	assert_int_equal(store_deadline_get(fx->st, d1, &d), STORE_OK);
	assert_int_equal(d.d_case, c);
	assert_string_equal(d.d_name, "decision");
	assert_string_equal(d.d_state, "deciding");
	assert_string_equal(d.d_period, "P6W");
	assert_int_equal(d.d_due, 5000);
	assert_int_equal(d.d_running, 1);
	assert_int_equal(d.d_case_scope, 0);

	/* The budget survives a round trip, suspension and extensions too. */
	d.d_running = 0;
	d.d_suspended_since = 4000;
	d.d_suspended_days = 3;
	d.d_suspended_ms = 7;
	snprintf(d.d_extensions, sizeof(d.d_extensions), "P6W,P2W");
	d.d_due = 6000;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);
	memset(&d, 0, sizeof(d));
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(d.d_id, d1);
	assert_int_equal(d.d_running, 0);
	assert_int_equal(d.d_suspended_since, 4000);
	assert_int_equal(d.d_suspended_days, 3);
	assert_int_equal(d.d_suspended_ms, 7);
	assert_string_equal(d.d_extensions, "P6W,P2W");
	assert_int_equal(d.d_due, 6000);

	/* find takes the latest active one of that name. */
	d2 = add_deadline(fx->st, c, "decision", "deciding", 7000, 1);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(d.d_id, d2);

	/* Stopping a state's deadlines leaves no active one to find. */
	assert_int_equal(store_deadlines_stop(fx->st, c, "other"), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(store_deadlines_stop(fx->st, c, "deciding"), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_NOTFOUND);
	d.d_id = 999;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_NOTFOUND);
}

/*
 * The current deadlines of a case: active ones, and stopped ones that
 * still have a rung to fire, passed ones last, each group by due moment.
 * The passed ones: every deadline that passed, current or not, by due
 * moment.
 */
static void
test_current_deadlines(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	struct ids		 l;
	int64_t			 c, late, early, stopped, follow, passed;
	int64_t			 gone;

	c = add_case(fx->st, "C", "t", "s");
	late = add_deadline(fx->st, c, "late", "s", 9000, 1);
	early = add_deadline(fx->st, c, "early", "s", 3000, 1);
	stopped = add_deadline(fx->st, c, "stopped", "s", 1000, 0);
	follow = add_deadline(fx->st, c, "follow", "s", 2000, 0);
	assert_int_equal(add_rung(fx->st, c, follow, "after_P2D", 1, 2500, "t"),
	    STORE_OK);
	passed = add_deadline(fx->st, c, "passed", "s", 500, 1);
	assert_int_equal(store_deadline_get(fx->st, passed, &d), STORE_OK);
	d.d_passed = 1;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);
	/* Passed and moved the case on, its rungs all fired: history. */
	gone = add_deadline(fx->st, c, "gone", "s", 800, 0);
	assert_int_equal(store_deadline_get(fx->st, gone, &d), STORE_OK);
	d.d_passed = 1;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], follow);
	assert_int_equal(l.id[1], early);
	assert_int_equal(l.id[2], late);
	assert_int_equal(l.id[3], passed);

	/* All of them, in id order. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_ALL,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.id[0], late);
	assert_int_equal(l.id[2], stopped);

	/* Those that passed, current or not, by the moment each passed. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_PASSED,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], passed);
	assert_int_equal(l.id[1], gone);

	/* Once the follow-up fired, the stopped deadline is not current. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, follow, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	{
		struct rung_row	r;

		assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
		    STORE_OK);
		assert_int_equal(store_rung_mark_fired(fx->st, &r, 2600, 0, 0),
		    STORE_OK);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		FIXTURE_TEST(test_transactions),
		FIXTURE_TEST(test_cases),
		FIXTURE_TEST(test_case_list_and_paging),
		FIXTURE_TEST(test_deadlines),
		FIXTURE_TEST(test_current_deadlines),
	};

	return cmocka_run_group_tests_name("store contract: cases", tests,
	    NULL, NULL);
}
