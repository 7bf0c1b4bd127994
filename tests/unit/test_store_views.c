/*
 * termijn: the store's contract: the supervisor's views and the report.
 * Overdue, at risk and suspended deadlines, each in its order from a
 * cursor on, a page at a time; the counts of the summary; the work queue,
 * unassigned and oldest first; the report's deadlines and closed cases;
 * and in each only the cases the token may see (store_fixture.h says
 * where the store is).
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

/* A case in state s that waits on a deadline: escalated by it, or not. */
static int64_t
add_waiting(struct store *st, const char *ref, const char *team, int64_t due,
    int escalated, int64_t *deadline)
{
	struct case_row	c;
	int64_t		id;

	id = add_case(st, ref, team, "s");
	*deadline = add_deadline(st, id, "d", escalated ? "before" : "s", due,
	    !escalated);
	assert_int_equal(store_case_get(st, id, &c), STORE_OK);
	if (escalated) {
		c.c_escalated_by = *deadline;
		c.c_escalated_due = due;
	} else {
		c.c_waiting_by = *deadline;
		c.c_waiting_due = due;
	}
	assert_int_equal(store_case_update_state(st, &c), STORE_OK);
	return id;
}

/*
 * Overdue: escalated cases and cases waiting on a deadline without "then"
 * come merged by (moment, deadline), ties apart, and a cursor goes on from
 * the last one shown whatever the page size.
 */
static void
test_overdue_order(void **state)
{
	struct fixture		*fx = *state;
	struct view_filter	 vf;
	struct seen_overdue	 so;
	struct case_row		 c;
	int64_t			 tok, want[6], dl[6], other;
	int			 limit, i, n;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "n", "supervisor", "noord", 1, 0);
	/* Registered out of order: the view orders by moment, then deadline. */
	want[3] = add_waiting(fx->st, "W3", "noord", 5000, 0, &dl[3]);
	want[0] = add_waiting(fx->st, "W0", "noord", 3000, 1, &dl[0]);
	want[1] = add_waiting(fx->st, "W1", "noord", 4000, 0, &dl[1]);
	want[2] = add_waiting(fx->st, "W2", "noord", 4000, 1, &dl[2]);
	other = add_waiting(fx->st, "X", "zuid", 4000, 1, &dl[5]);
	want[4] = add_waiting(fx->st, "W4", "noord", 5000, 1, &dl[4]);
	/* A closed case waits on nothing. */
	assert_int_equal(store_case_get(fx->st, want[4], &c), STORE_OK);
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	/* The tie at 4000 is kept apart by deadline: W1's is older. */
	assert_true(dl[1] < dl[2]);

	for (limit = 1; limit <= 5; limit++) {
		memset(&vf, 0, sizeof(vf));
		vf.vf_token = tok;
		vf.vf_after_due = INT64_MIN;
		vf.vf_limit = limit;
		for (n = 0;;) {
			memset(&so, 0, sizeof(so));
			assert_int_equal(store_overdue(fx->st, &vf, overdue_cb,
			    &so), STORE_OK);
			for (i = 0; i < so.so_n; i++, n++) {
				assert_true(n < 4);
				assert_int_equal(so.so_case[i], want[n]);
				assert_int_equal(so.so_deadline[i], dl[n]);
			}
			if (so.so_n < limit)
				break;
			vf.vf_after_due = so.so_due;
			vf.vf_after_id = so.so_deadline[so.so_n - 1];
		}
		assert_int_equal(n, 4);
	}
	/* Filters narrow it; another team's case never shows. */
	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	vf.vf_after_due = INT64_MIN;
	vf.vf_limit = 10;
	vf.vf_team = "zuid";
	memset(&so, 0, sizeof(so));
	assert_int_equal(store_overdue(fx->st, &vf, overdue_cb, &so), STORE_OK);
	assert_int_equal(so.so_n, 0);
	(void)other;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_overdue_order),
	};

	return cmocka_run_group_tests_name("store contract: views", tests,
	    NULL, NULL);
}
