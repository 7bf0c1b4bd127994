/*
 * termijn: the store's contract: every walk.  A walk calls back once per
 * row, and a callback that returns anything but STORE_OK stops it there:
 * the walk returns what the callback returned (store.h).  Each walk of
 * store.h is asked here over a store with at least two rows for it, with
 * a callback that stops at the first (store_fixture.h says where the store
 * is).
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

/* How often a callback was called; it stops the walk each time. */
struct stop {
	int	s_calls;
};

static enum store_status
stop(void *arg)
{
	((struct stop *)arg)->s_calls++;
	return STORE_FULL;
}

static enum store_status
stop_case_cb(const struct case_row *c, void *arg)
{
	(void)c;
	return stop(arg);
}

static enum store_status
stop_deadline_cb(const struct deadline_row *d, void *arg)
{
	(void)d;
	return stop(arg);
}

static enum store_status
stop_rung_cb(const struct rung_row *r, void *arg)
{
	(void)r;
	return stop(arg);
}

static enum store_status
stop_notification_cb(const struct notification_row *n, void *arg)
{
	(void)n;
	return stop(arg);
}

static enum store_status
stop_transition_cb(const struct transition_row *t, void *arg)
{
	(void)t;
	return stop(arg);
}

static enum store_status
stop_workflow_cb(const char *name, int version, const char *source,
    size_t len, void *arg)
{
	(void)name;
	(void)version;
	(void)source;
	(void)len;
	return stop(arg);
}

static enum store_status
stop_team_cb(const struct team_row *tm, void *arg)
{
	(void)tm;
	return stop(arg);
}

static enum store_status
stop_route_cb(const struct route_row *rt, void *arg)
{
	(void)rt;
	return stop(arg);
}

static enum store_status
stop_token_cb(const struct token_row *tk, void *arg)
{
	(void)tk;
	return stop(arg);
}

static enum store_status
stop_participant_cb(const struct participant_row *p, void *arg)
{
	(void)p;
	return stop(arg);
}

static enum store_status
stop_read_cb(const struct read_row *rd, void *arg)
{
	(void)rd;
	return stop(arg);
}

static enum store_status
stop_case_deadline_cb(const struct case_row *c, const struct deadline_row *d,
    void *arg)
{
	(void)c;
	(void)d;
	return stop(arg);
}

static enum store_status
stop_summary_cb(const struct summary_row *sm, void *arg)
{
	(void)sm;
	return stop(arg);
}

static enum store_status
stop_outbox_cb(const struct outbox_row *o, void *arg)
{
	(void)o;
	return stop(arg);
}

static enum store_status
stop_chain_cb(const struct chain_link *cl, void *arg)
{
	(void)cl;
	return stop(arg);
}

static enum store_status
stop_fact_cb(const struct case_fact *fc, void *arg)
{
	(void)fc;
	return stop(arg);
}

static enum store_status
stop_count_cb(const char *workflow, const char *state, int64_t n, void *arg)
{
	(void)workflow;
	(void)state;
	(void)n;
	return stop(arg);
}

/* A walk that the callback stops at its first row: its status is the walk's. */
#define STOPS(call) do {						\
	memset(&sp, 0, sizeof(sp));					\
	assert_int_equal((call), STORE_FULL);				\
	assert_int_equal(sp.s_calls, 1);				\
} while (0)

/* Two of everything, about cases A and B of team noord, C and D closed. */
static void
two_of_everything(struct store *st, int64_t *tok, int64_t *a, int64_t *dl)
{
	struct notification_row	 n;
	struct outbox_row	 o;
	struct read_row		 rd;
	struct route_row	 rt;
	struct case_row		 c;
	int64_t			 id[4], d;
	size_t			 i;

	add_team(st, "noord");
	add_team(st, "zuid");
	*tok = add_token(st, "n", "supervisor", "noord", 1, 0);
	(void)add_token(st, "m", "caseworker", "noord", 2, 0);
	for (i = 0; i < nitems(id); i++) {
		id[i] = add_case(st, "R", "noord", i < 2 ? "s" : "closed");
		d = add_deadline(st, id[i], "d", "s", 3000, 1);
		assert_int_equal(store_case_get(st, id[i], &c), STORE_OK);
		c.c_final = i >= 2;
		c.c_state_since = 1500;
		if (i < 2) {
			c.c_escalated_by = d;
			c.c_escalated_due = 3000;
			snprintf(c.c_unrouted, sizeof(c.c_unrouted), "f");
		}
		assert_int_equal(store_case_update_state(st, &c), STORE_OK);
	}
	*a = id[0];
	*dl = add_deadline(st, *a, "e", "s", 4000, 1);
	(void)add_deadline(st, *a, "p", "s", 3500, 1);
	/* Two suspended, of another kind than the running ones. */
	for (i = 0; i < 2; i++) {
		struct deadline_row	sd;

		memset(&sd, 0, sizeof(sd));
		sd.d_case = *a;
		snprintf(sd.d_name, sizeof(sd.d_name), "s%zu", i);
		snprintf(sd.d_state, sizeof(sd.d_state), "s");
		snprintf(sd.d_period, sizeof(sd.d_period), "P1W");
		snprintf(sd.d_rule, sizeof(sd.d_rule), "plain");
		snprintf(sd.d_kind, sizeof(sd.d_kind), "statutory");
		sd.d_due = 3200;
		sd.d_active = 1;
		sd.d_suspended_since = 1200;
		assert_int_equal(store_deadline_insert(st, &sd), STORE_OK);
	}
	assert_int_equal(add_rung(st, *a, *dl, "due", 1, 4000, "s"),
	    STORE_OK);
	assert_int_equal(add_rung(st, *a, *dl, "before_P1D", 1, 3900, "s"),
	    STORE_OK);
	for (i = 0; i < 2; i++) {
		append(st, *a, i ? "event" : "create");
		memset(&n, 0, sizeof(n));
		n.n_case = *a;
		snprintf(n.n_role, sizeof(n.n_role), "supervisor");
		snprintf(n.n_deadline, sizeof(n.n_deadline), "d");
		snprintf(n.n_rung_name, sizeof(n.n_rung_name), "due");
		snprintf(n.n_entered, sizeof(n.n_entered), "s");
		assert_int_equal(store_notification_insert(st, &n), STORE_OK);
		memset(&o, 0, sizeof(o));
		o.o_case = *a;
		snprintf(o.o_type, sizeof(o.o_type), "nl.termijn.test");
		snprintf(o.o_team, sizeof(o.o_team), "noord");
		snprintf(o.o_role, sizeof(o.o_role), "supervisor");
		o.o_body = "{}";
		o.o_next_at = o.o_created_at = 1000;
		assert_int_equal(store_outbox_insert(st, &o), STORE_OK);
		memset(&rd, 0, sizeof(rd));
		rd.rd_case = *a;
		snprintf(rd.rd_token, sizeof(rd.rd_token), "n");
		snprintf(rd.rd_role, sizeof(rd.rd_role), "supervisor");
		snprintf(rd.rd_teams, sizeof(rd.rd_teams), "noord");
		snprintf(rd.rd_what, sizeof(rd.rd_what), "case");
		assert_int_equal(store_read_insert(st, &rd), STORE_OK);
		memset(&rt, 0, sizeof(rt));
		snprintf(rt.rt_function, sizeof(rt.rt_function), "f%zu", i);
		snprintf(rt.rt_for_team, sizeof(rt.rt_for_team), "noord");
		snprintf(rt.rt_team, sizeof(rt.rt_team), "zuid");
		snprintf(rt.rt_actor, sizeof(rt.rt_actor), "admin");
		assert_int_equal(store_route_set(st, &rt), STORE_OK);
		assert_int_equal(store_workflow_put(st, "zelfmelding",
		    (int)i + 1, "d", "s", 1, 1000), STORE_OK);
	}
	(void)add_participant(st, *a, "zuid", 2000);
	add_team(st, "handhaving");
	(void)add_participant(st, *a, "handhaving", 2000);
}

static void
test_every_walk_stops(void **state)
{
	static const struct queue_state qs[] = {
		{ "zelfmelding", 1, "s" },
	};
	struct fixture		*fx = *state;
	struct view_filter	 vf;
	struct risk_window	 rw;
	struct case_filter	 cf;
	struct stop		 sp;
	int64_t			 tok, a, dl;

	two_of_everything(fx->st, &tok, &a, &dl);
	memset(&cf, 0, sizeof(cf));
	cf.cf_limit = 10;
	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	vf.vf_after_due = INT64_MIN;
	vf.vf_limit = 10;
	rw.rw_now = 1000;
	rw.rw_until = rw.rw_until_day = 5000;

	STOPS(store_case_list(fx->st, &cf, stop_case_cb, &sp));
	STOPS(store_deadlines_of_case(fx->st, a, STORE_DL_ALL,
	    stop_deadline_cb, &sp));
	STOPS(store_deadlines_of_case(fx->st, a, STORE_DL_CURRENT,
	    stop_deadline_cb, &sp));
	STOPS(store_rungs_of_deadline(fx->st, dl, stop_rung_cb, &sp));
	STOPS(store_notifications_of_case(fx->st, a, stop_notification_cb,
	    &sp));
	STOPS(store_transitions_of_case(fx->st, a, 0, 10, stop_transition_cb,
	    &sp));
	STOPS(store_chain_walk(fx->st, stop_chain_cb, &sp));
	STOPS(store_case_facts(fx->st, stop_fact_cb, &sp));
	STOPS(store_teams_each(fx->st, stop_team_cb, &sp));
	STOPS(store_routes_each(fx->st, 0, stop_route_cb, &sp));
	STOPS(store_routes_each(fx->st, 1, stop_route_cb, &sp));
	STOPS(store_unrouted_cases(fx->st, 0, 10, stop_case_cb, &sp));
	STOPS(store_team_tokens(fx->st, "noord", 2000, stop_token_cb, &sp));
	STOPS(store_tokens_each(fx->st, stop_token_cb, &sp));
	STOPS(store_participants_of_case(fx->st, a, 0, stop_participant_cb,
	    &sp));
	STOPS(store_overdue(fx->st, &vf, stop_case_deadline_cb, &sp));
	STOPS(store_at_risk(fx->st, &vf, &rw, stop_case_deadline_cb, &sp));
	STOPS(store_suspended(fx->st, &vf, stop_case_deadline_cb, &sp));
	STOPS(store_summary(fx->st, &vf, &rw, stop_summary_cb, &sp));
	STOPS(store_queue(fx->st, &vf, qs, nitems(qs), stop_case_cb, &sp));
	STOPS(store_report_deadlines(fx->st, &vf, 0, 5000,
	    stop_case_deadline_cb, &sp));
	STOPS(store_report_closed(fx->st, &vf, 0, 5000, stop_case_cb, &sp));
	STOPS(store_outbox_due(fx->st, 5000, 10, stop_outbox_cb, &sp));
	STOPS(store_outbox_list(fx->st, NULL, 0, 10, stop_outbox_cb, &sp));
	STOPS(store_outbox_of_case(fx->st, a, stop_outbox_cb, &sp));
	STOPS(store_reads_of_case(fx->st, a, 0, 10, stop_read_cb, &sp));
	STOPS(store_cases_closed_before(fx->st, "zelfmelding", 1, 5000, 10,
	    stop_case_cb, &sp));
	STOPS(store_workflows_each(fx->st, stop_workflow_cb, &sp));
	STOPS(store_case_counts(fx->st, stop_count_cb, &sp));
	/* And a walk stopped leaves the store as it was: it walks again. */
	STOPS(store_case_list(fx->st, &cf, stop_case_cb, &sp));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_every_walk_stops),
	};

	return cmocka_run_group_tests_name("store contract: walks", tests,
	    NULL, NULL);
}
