/*
 * termijn: the store's contract: a case's history and the audit chain
 * through it.  Transitions, notifications and what a correction restores;
 * the chain's head, its links of every kind in id order with the values
 * their hashes cover as stored; the facts of each case for the audit; and
 * retention, which destroys a case and leaves its links as gaps and a
 * tombstone (store_fixture.h says where the store is).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_fixture.h"

static void
test_transitions_and_notifications(void **state)
{
	struct fixture		*fx = *state;
	struct transition_row	 t;
	struct notification_row	 n;
	struct ids		 l;
	int64_t			 c, d, ids[5], head;
	int			 i;

	c = add_case(fx->st, "T", "t", "s");
	for (i = 0; i < 5; i++) {
		memset(&t, 0, sizeof(t));
		t.t_case = c;
		t.t_at = 1000 + i;
		t.t_recorded_at = 2000 + i;
		snprintf(t.t_from, sizeof(t.t_from), "%s", i ? "s" : "");
		snprintf(t.t_to, sizeof(t.t_to), "s");
		snprintf(t.t_cause, sizeof(t.t_cause), i ? "event" : "create");
		snprintf(t.t_actor, sizeof(t.t_actor), "worker");
		snprintf(t.t_note, sizeof(t.t_note), "%s", i == 2 ? "why" : "");
		assert_int_equal(store_chain_head(fx->st, &head, t.t_prev),
		    STORE_OK);
		t.t_id = head + 1;
		assert_int_equal(store_transition_insert(fx->st, &t), STORE_OK);
		ids[i] = t.t_id;
	}
	assert_int_equal(store_transition_last_at(fx->st, c, &head), STORE_OK);
	assert_int_equal(head, 1004);
	assert_int_equal(store_transition_last_at(fx->st, 999, &head),
	    STORE_NOTFOUND);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_transition_last(fx->st, c, &t), STORE_OK);
	assert_int_equal(t.t_id, ids[4]);
	assert_string_equal(t.t_cause, "event");
	assert_int_equal(t.t_at, 1004);
	assert_int_equal(store_transition_last(fx->st, 999, &t),
	    STORE_NOTFOUND);

	/* What a correction restores: one row per case, the latest kept. */
	{
		char	*data;
		int64_t	 tid;

		assert_int_equal(store_undo_get(fx->st, c, &tid, &data),
		    STORE_NOTFOUND);
		assert_int_equal(store_undo_put(fx->st, c, ids[3], "{\"a\":1}"),
		    STORE_OK);
		assert_int_equal(store_undo_put(fx->st, c, ids[4], "{\"b\":2}"),
		    STORE_OK);
		assert_int_equal(store_undo_get(fx->st, c, &tid, &data),
		    STORE_OK);
		assert_int_equal(tid, ids[4]);
		assert_string_equal(data, "{\"b\":2}");
		free(data);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(fx->st, c, 0, 2,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], ids[0]);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(fx->st, c, ids[1], 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], ids[2]);
	assert_int_equal(l.id[2], ids[4]);

	d = add_deadline(fx->st, c, "x", "s", 1000, 1);
	assert_int_equal(add_rung(fx->st, c, d, "due", 1, 1000, "s"), STORE_OK);
	{
		struct rung_row	r;

		assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
		    STORE_OK);
		memset(&n, 0, sizeof(n));
		n.n_case = c;
		n.n_rung = r.r_id;
		snprintf(n.n_role, sizeof(n.n_role), "supervisor");
		snprintf(n.n_deadline, sizeof(n.n_deadline), "x");
		snprintf(n.n_rung_name, sizeof(n.n_rung_name), "due");
		n.n_seq = 1;
		assert_int_equal(store_notification_insert(fx->st, &n),
		    STORE_OK);
		assert_true(n.n_id > 0);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_notifications_of_case(fx->st, c,
	    notification_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_notifications_of_case(fx->st, 999,
	    notification_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);
}

struct links {
	int64_t	id[16];
	int	gap[16];
	size_t	n;
};

static enum store_status
link_cb(const struct chain_link *cl, void *arg)
{
	struct links	*ls = arg;

	if (ls->n < 16) {
		ls->id[ls->n] = cl->cl_transition ? cl->cl_transition->t_id :
		    cl->cl_gap ? cl->cl_gap->g_id : cl->cl_mark ?
		    cl->cl_mark->mk_id : cl->cl_route->rt_link;
		ls->gap[ls->n++] = cl->cl_gap != NULL;
	}
	return STORE_OK;
}

/*
 * The chain: transitions by id, with the head the store keeps; a destroyed
 * case leaves its links as gaps, its tombstone, and nothing else.
 */
static void
test_chain_and_destruction(void **state)
{
	struct fixture		*fx = *state;
	struct tombstone_row	 ts;
	struct case_row		 c;
	struct links		 ls;
	struct ids		 l;
	unsigned char		 head[HASH_SHA256_LEN];
	int64_t			 a, b, id;

	assert_int_equal(store_chain_head(fx->st, &id, head), STORE_OK);
	assert_int_equal(id, 0);
	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "s");
	append(fx->st, a, "create");
	append(fx->st, b, "create");
	append(fx->st, a, "event");
	assert_int_equal(store_chain_head(fx->st, &id, head), STORE_OK);
	assert_int_equal(id, 3);
	assert_int_equal(head[0], 3);

	/* Closed before 5000, in workflow zelfmelding version 1. */
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	c.c_final = 1;
	c.c_state_since = 2000;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    5000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], a);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    2000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	memset(&ts, 0, sizeof(ts));
	ts.ts_case = a;
	snprintf(ts.ts_workflow, sizeof(ts.ts_workflow), "zelfmelding");
	ts.ts_version = 1;
	snprintf(ts.ts_team, sizeof(ts.ts_team), "t");
	ts.ts_closed_at = 2000;
	ts.ts_destroyed_at = 9000;
	snprintf(ts.ts_destroyed_by, sizeof(ts.ts_destroyed_by), "admin");
	assert_int_equal(store_undo_put(fx->st, a, 3, "{}"), STORE_OK);
	assert_int_equal(store_case_destroy(fx->st, &ts), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_NOTFOUND);
	{
		char	*data;

		/* Nothing of a destroyed case stays behind. */
		assert_int_equal(store_undo_get(fx->st, a, &id, &data),
		    STORE_NOTFOUND);
	}
	memset(&ts, 0, sizeof(ts));
	assert_int_equal(store_tombstone_get(fx->st, a, &ts), STORE_OK);
	assert_string_equal(ts.ts_destroyed_by, "admin");
	assert_int_equal(ts.ts_closed_at, 2000);
	assert_int_equal(store_tombstone_get(fx->st, b, &ts), STORE_NOTFOUND);
	assert_int_equal(store_case_destroy(fx->st, &ts), STORE_EXISTS);

	memset(&ls, 0, sizeof(ls));
	assert_int_equal(store_chain_walk(fx->st, link_cb, &ls), STORE_OK);
	assert_int_equal(ls.n, 3);
	assert_int_equal(ls.id[0], 1);
	assert_int_equal(ls.gap[0], 1);
	assert_int_equal(ls.id[1], 2);
	assert_int_equal(ls.gap[1], 0);
	assert_int_equal(ls.id[2], 3);
	assert_int_equal(ls.gap[2], 1);
	/* The next transition takes the id after the head, never a gap's. */
	assert_int_equal(append(fx->st, b, "event"), 4);
	assert_int_equal(store_scrub(fx->st), STORE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_transitions_and_notifications),
		FIXTURE_TEST(test_chain_and_destruction),
	};

	return cmocka_run_group_tests_name("store contract: chain", tests,
	    NULL, NULL);
}
