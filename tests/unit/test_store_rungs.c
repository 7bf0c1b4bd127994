/*
 * termijn: the store's contract: the rungs, which are the scheduler's
 * queue and the ledger of what fired.  Its order (due, id), claims of at
 * most so many, the unique key that makes each occurrence fire once,
 * cancelling, handing over and forgetting (store_fixture.h says where the
 * store is).
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

/* The rung queue: by (due, id), pending only, up to now, at most max. */
static void
test_rung_queue_order(void **state)
{
	struct fixture	*fx = *state;
	struct rung_row	 r[8];
	int64_t		 c1, c2, d1, d2, due;
	size_t		 n;

	assert_int_equal(store_rung_next(fx->st, &due), STORE_NOTFOUND);
	c1 = add_case(fx->st, "Q1", "t", "s");
	c2 = add_case(fx->st, "Q2", "t", "s");
	d1 = add_deadline(fx->st, c1, "a", "s", 3000, 1);
	d2 = add_deadline(fx->st, c2, "b", "s", 2000, 1);
	assert_int_equal(add_rung(fx->st, c1, d1, "due", 1, 3000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c2, d2, "due", 1, 2000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c1, d1, "before_P1D", 1, 2000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c2, d2, "after_P2D", 1, 9000, "s"),
	    STORE_OK);

	assert_int_equal(store_rung_next(fx->st, &due), STORE_OK);
	assert_int_equal(due, 2000);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_rungs_claim(fx->st, 1999, r, nitems(r), &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_rungs_claim(fx->st, 3000, r, nitems(r), &n),
	    STORE_OK);
	assert_int_equal(n, 3);
	/* Equal moments go by id: the rung inserted first. */
	assert_int_equal(r[0].r_deadline, d2);
	assert_string_equal(r[0].r_name, "due");
	assert_int_equal(r[1].r_deadline, d1);
	assert_string_equal(r[1].r_name, "before_P1D");
	assert_int_equal(r[2].r_due, 3000);
	assert_int_equal(r[2].r_fired_at, 0);
	assert_int_equal(store_rungs_claim(fx->st, 9000, r, 2, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_commit(fx->st), STORE_OK);

	/* The earliest pending rung of one case. */
	assert_int_equal(store_rung_first_of_case(fx->st, c1, &r[0]), STORE_OK);
	assert_string_equal(r[0].r_name, "before_P1D");
	assert_int_equal(store_rung_first_of_case(fx->st, 999, &r[0]),
	    STORE_NOTFOUND);
}

/* The ledger: each occurrence is queued once and fires once. */
static void
test_ledger_uniqueness(void **state)
{
	struct fixture	*fx = *state;
	struct rung_row	 r, other;
	int64_t		 c, d, due;
	int		 seq, pending;

	c = add_case(fx->st, "L", "t", "s");
	d = add_deadline(fx->st, c, "weekly", "s", 1000, 1);
	assert_int_equal(store_rung_last_seq(fx->st, d, "forfeit", &seq,
	    &pending), STORE_OK);
	assert_int_equal(seq, 0);
	assert_int_equal(pending, 0);
	assert_int_equal(add_rung(fx->st, c, d, "forfeit", 1, 1000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d, "forfeit", 1, 1500, "s"),
	    STORE_EXISTS);
	assert_int_equal(add_rung(fx->st, c, d, "forfeit", 2, 2000, "s"),
	    STORE_OK);
	assert_int_equal(store_rung_last_seq(fx->st, d, "forfeit", &seq,
	    &pending), STORE_OK);
	assert_int_equal(seq, 2);
	assert_int_equal(pending, 2);

	assert_int_equal(store_rung_first_of_case(fx->st, c, &r), STORE_OK);
	assert_int_equal(r.r_seq, 1);
	assert_int_equal(r.r_due, 1000);
	/* A claim by the whole key: another id with the same key is not it. */
	other = r;
	other.r_id = r.r_id + 100;
	assert_int_equal(store_rung_mark_fired(fx->st, &other, 1100, 0, 0),
	    STORE_NOTFOUND);
	assert_int_equal(store_rung_mark_fired(fx->st, &r, 1100, 2, 1),
	    STORE_OK);
	assert_int_equal(store_rung_mark_fired(fx->st, &r, 1200, 0, 0),
	    STORE_NOTFOUND);
	/* Fired, the occurrence is still in the ledger. */
	assert_int_equal(add_rung(fx->st, c, d, "forfeit", 1, 1000, "s"),
	    STORE_EXISTS);
	assert_int_equal(store_rung_last_seq(fx->st, d, "forfeit", &seq,
	    &pending), STORE_OK);
	assert_int_equal(seq, 2);
	assert_int_equal(pending, 1);
	assert_int_equal(store_rung_next(fx->st, &due), STORE_OK);
	assert_int_equal(due, 2000);
	{
		struct ids	l;

		memset(&l, 0, sizeof(l));
		assert_int_equal(store_rungs_of_deadline(fx->st, d, rung_cb,
		    &l), STORE_OK);
		assert_int_equal(l.n, 2);
		assert_int_equal(l.id[0], r.r_id);
	}
	assert_int_equal(store_rung_first_of_case(fx->st, c, &r), STORE_OK);
	assert_int_equal(r.r_seq, 2);
	{
		struct rung_row	fired;

		memset(&fired, 0, sizeof(fired));
		assert_int_equal(store_begin(fx->st), STORE_OK);
		assert_int_equal(store_rungs_claim(fx->st, 5000, &fired, 1,
		    &(size_t){ 0 }), STORE_OK);
		assert_int_equal(fired.r_seq, 2);
		store_rollback(fx->st);
	}
}

/* Cancelling takes pending rungs only: of a deadline, a holder, a case. */
static void
test_rung_cancel_and_hand_over(void **state)
{
	struct fixture	*fx = *state;
	struct rung_row	 r;
	struct ids	 l;
	int64_t		 c, d1, d2;

	c = add_case(fx->st, "X", "t", "a");
	d1 = add_deadline(fx->st, c, "one", "a", 1000, 1);
	d2 = add_deadline(fx->st, c, "two", "b", 2000, 1);
	assert_int_equal(add_rung(fx->st, c, d1, "due", 1, 1000, "a"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d1, "after_P1D", 1, 1100, "a"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d2, "due", 1, 2000, "b"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d2, "before_P1D", 1, 1900, "b"),
	    STORE_OK);
	assert_int_equal(store_rung_first_of_case(fx->st, c, &r), STORE_OK);
	assert_int_equal(store_rung_mark_fired(fx->st, &r, 1000, 0, 0),
	    STORE_OK);

	/* d1's follow-up goes to state b; cancelling a's rungs leaves it. */
	assert_int_equal(store_rungs_hand_over(fx->st, d1, "b"), STORE_OK);
	assert_int_equal(store_rungs_cancel(fx->st, c, 0, "a"), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, d1, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 2);	/* the fired one and the follow-up */

	/* One deadline's pending rungs. */
	assert_int_equal(store_rungs_cancel(fx->st, c, d2, NULL), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, d2, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 0);

	/* The whole case: the fired rung stays in the ledger. */
	assert_int_equal(store_rungs_cancel(fx->st, c, 0, NULL), STORE_OK);
	assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
	    STORE_NOTFOUND);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, d1, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);

	/* A correction forgets the passing, and the moment is queued anew. */
	assert_int_equal(store_rung_forget(fx->st, d1, "due"), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, d1, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(add_rung(fx->st, c, d1, "due", 1, 1000, "a"),
	    STORE_OK);
	assert_int_equal(store_rung_first_of_case(fx->st, c, &r), STORE_OK);
	assert_int_equal(r.r_deadline, d1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_rung_queue_order),
		FIXTURE_TEST(test_ledger_uniqueness),
		FIXTURE_TEST(test_rung_cancel_and_hand_over),
	};

	return cmocka_run_group_tests_name("store contract: rungs", tests,
	    NULL, NULL);
}
