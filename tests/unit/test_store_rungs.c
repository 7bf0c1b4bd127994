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
	/* Claimed is marked fired, in the same statement. */
	assert_int_equal(r[2].r_fired_at, 3000);
	assert_int_equal(store_rung_next(fx->st, &due), STORE_OK);
	assert_int_equal(due, 9000);
	assert_int_equal(store_rungs_claim(fx->st, 9000, &r[3], 1, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[3].r_name, "after_P2D");
	/* Given back, the rungs not fired are pending again, in order. */
	assert_int_equal(store_rungs_unclaim(fx->st, &r[1], 3), STORE_OK);
	assert_int_equal(r[1].r_fired_at, 0);
	assert_int_equal(store_rungs_claim(fx->st, 9000, &r[1], 3, &n),
	    STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(r[1].r_name, "before_P1D");
	assert_int_equal(r[2].r_due, 3000);
	assert_int_equal(r[3].r_due, 9000);
	assert_int_equal(r[3].r_fired_at, 9000);
	store_rollback(fx->st);

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

/* The rungs of a deadline, copied. */
struct rungs {
	struct rung_row	r[8];
	size_t		n;
};

static enum store_status
rungs_cb(const struct rung_row *r, void *arg)
{
	struct rungs	*rs = arg;

	if (rs->n < nitems(rs->r))
		rs->r[rs->n++] = *r;
	return STORE_OK;
}

/*
 * The ledger keeps how a rung fired (when, occurrences missed, skipped)
 * and its holder; a fired rung whose notification was sent is never
 * forgotten, so that it cannot fire a second time; a claim marks what the
 * queue would give fired, and a rollback or store_rungs_unclaim gives it
 * back.
 */
static void
test_ledger_keeps_what_fired(void **state)
{
	struct fixture		*fx = *state;
	struct notification_row	 n;
	struct rung_row		 r, claimed[4];
	struct rungs		 rs;
	int64_t			 c, d;
	size_t			 nc;

	c = add_case(fx->st, "F", "t", "s");
	d = add_deadline(fx->st, c, "weekly", "s", 1000, 1);
	assert_int_equal(add_rung(fx->st, c, d, "due", 1, 1000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d, "after_P1W", 1, 2000, "s"),
	    STORE_OK);

	/* Claimed and rolled back: still pending, nothing fired. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_rungs_claim(fx->st, 5000, claimed,
	    nitems(claimed), &nc), STORE_OK);
	assert_int_equal(nc, 2);
	store_rollback(fx->st);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_rungs_claim(fx->st, 5000, claimed,
	    nitems(claimed), &nc), STORE_OK);
	assert_int_equal(nc, 2);
	/* Marked by the claim: no second mark. */
	assert_int_equal(store_rung_mark_fired(fx->st, &claimed[0], 1100, 3,
	    1), STORE_NOTFOUND);
	assert_int_equal(store_rungs_unclaim(fx->st, claimed, nc), STORE_OK);
	assert_int_equal(store_rung_mark_fired(fx->st, &claimed[0], 1100, 3,
	    1), STORE_OK);
	assert_int_equal(store_rung_mark_fired(fx->st, &claimed[1], 2100, 0,
	    0), STORE_OK);
	memset(&n, 0, sizeof(n));
	n.n_case = c;
	n.n_rung = claimed[1].r_id;
	snprintf(n.n_role, sizeof(n.n_role), "supervisor");
	snprintf(n.n_deadline, sizeof(n.n_deadline), "weekly");
	snprintf(n.n_rung_name, sizeof(n.n_rung_name), "after_P1W");
	n.n_seq = 1;
	assert_int_equal(store_notification_insert(fx->st, &n), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);

	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_rungs_of_deadline(fx->st, d, rungs_cb, &rs),
	    STORE_OK);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0].r_name, "due");
	assert_int_equal(rs.r[0].r_case, c);
	assert_int_equal(rs.r[0].r_fired_at, 1100);
	assert_int_equal(rs.r[0].r_missed, 3);
	assert_int_equal(rs.r[0].r_skipped, 1);
	assert_string_equal(rs.r[0].r_holder, "s");
	assert_int_equal(rs.r[1].r_fired_at, 2100);
	assert_int_equal(rs.r[1].r_skipped, 0);
	assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
	    STORE_NOTFOUND);

	/* Forgetting takes the silent one; the notified one stays fired. */
	assert_int_equal(store_rung_forget(fx->st, d, "due"), STORE_OK);
	assert_int_equal(store_rung_forget(fx->st, d, "after_P1W"), STORE_OK);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_rungs_of_deadline(fx->st, d, rungs_cb, &rs),
	    STORE_OK);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].r_name, "after_P1W");
	assert_int_equal(add_rung(fx->st, c, d, "after_P1W", 1, 2000, "s"),
	    STORE_EXISTS);
	assert_int_equal(add_rung(fx->st, c, d, "due", 1, 1000, "s"),
	    STORE_OK);

	/* Forgetting a pending rung does nothing: only what fired goes. */
	assert_int_equal(store_rung_forget(fx->st, d, "due"), STORE_OK);
	assert_int_equal(store_rung_first_of_case(fx->st, c, &r), STORE_OK);
	assert_string_equal(r.r_name, "due");
	assert_int_equal(r.r_fired_at, 0);
}

/*
 * A rung queued as fired already (a catch-up that skips it) is in the
 * ledger, not in the queue; claiming none (max 0) claims none.
 */
static void
test_rung_queued_fired(void **state)
{
	struct fixture	*fx = *state;
	struct rung_row	 r;
	struct ids	 l;
	int64_t		 c, d, due;
	size_t		 n = 99;

	c = add_case(fx->st, "Q", "t", "s");
	d = add_deadline(fx->st, c, "d", "s", 1000, 1);
	memset(&r, 0, sizeof(r));
	r.r_case = c;
	r.r_deadline = d;
	snprintf(r.r_name, sizeof(r.r_name), "forfeit");
	r.r_seq = 3;
	r.r_due = 1000;
	r.r_fired_at = 1500;
	r.r_missed = 2;
	r.r_skipped = 1;
	snprintf(r.r_holder, sizeof(r.r_holder), "s");
	assert_int_equal(store_rung_insert(fx->st, &r), STORE_OK);
	assert_int_equal(store_rung_insert(fx->st, &r), STORE_EXISTS);
	assert_int_equal(store_rung_next(fx->st, &due), STORE_NOTFOUND);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, d, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(add_rung(fx->st, c, d, "due", 1, 900, "s"),
	    STORE_OK);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_rungs_claim(fx->st, 5000, &r, 0, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_rungs_claim(fx->st, 5000, &r, 1, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r.r_name, "due");
	store_rollback(fx->st);
}

/*
 * For monitoring: the pending rungs, and of those the ones due at or
 * before now; a fired rung is in neither.
 */
static void
test_rung_counts(void **state)
{
	struct fixture	*fx = *state;
	struct rung_row	 r;
	int64_t		 c, d, pending, due;

	assert_int_equal(store_rung_counts(fx->st, 5000, &pending, &due),
	    STORE_OK);
	assert_int_equal(pending, 0);
	assert_int_equal(due, 0);
	c = add_case(fx->st, "M", "t", "s");
	d = add_deadline(fx->st, c, "d", "s", 3000, 1);
	assert_int_equal(add_rung(fx->st, c, d, "before_P1D", 1, 2000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d, "due", 1, 3000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(fx->st, c, d, "after_P1D", 1, 4000, "s"),
	    STORE_OK);
	assert_int_equal(store_rung_counts(fx->st, 3000, &pending, &due),
	    STORE_OK);
	assert_int_equal(pending, 3);
	assert_int_equal(due, 2);
	assert_int_equal(store_rung_counts(fx->st, 1999, &pending, &due),
	    STORE_OK);
	assert_int_equal(pending, 3);
	assert_int_equal(due, 0);

	assert_int_equal(store_rung_first_of_case(fx->st, c, &r), STORE_OK);
	assert_int_equal(store_rung_mark_fired(fx->st, &r, 2000, 0, 0),
	    STORE_OK);
	assert_int_equal(store_rung_counts(fx->st, 3000, &pending, &due),
	    STORE_OK);
	assert_int_equal(pending, 2);
	assert_int_equal(due, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_rung_queue_order),
		FIXTURE_TEST(test_ledger_uniqueness),
		FIXTURE_TEST(test_rung_cancel_and_hand_over),
		FIXTURE_TEST(test_ledger_keeps_what_fired),
		FIXTURE_TEST(test_rung_queued_fired),
		FIXTURE_TEST(test_rung_counts),
	};

	return cmocka_run_group_tests_name("store contract: rungs", tests,
	    NULL, NULL);
}
