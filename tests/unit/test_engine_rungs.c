/*
 * termijn: engine tests on a real SQLite file, with a clock the test
 * moves: the ladders of rungs, firing and catching up, suspension and
 * extension, and the webhooks the rungs send.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "termijn/webhook.h"

#include "engine_fixture.h"

/*
 * 8 weeks from Monday 2 March 2026 end on Monday 27 April, King's Day, so
 * on the 28th (Atw art. 1).  Reminders 1 week and 1 day before, the
 * deadline, a follow-up 2 working days after: each once, in order.
 */
static void
test_ladder_fires_each_rung_once_in_order(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o;
	int64_t		 id;

	id = create_wf(fx, "beslis", "A-2026-0001", 0,
	    at("2026-03-02T10:00:00+01:00"));
	o = show(fx, id, at("2026-03-02T10:00:00+01:00"));
	assert_string_equal(deadline_due(o, 0), "2026-04-28");
	json_decref(o);
	assert_int_equal(fire(fx, at("2026-04-21T23:59:59+02:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-04-22T00:00:00+02:00"), 100), 1);
	assert_int_equal(fire(fx, at("2026-04-22T00:00:00+02:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-04-28T00:00:00+02:00"), 100), 1);
	o = show(fx, id, at("2026-04-28T00:00:00+02:00"));
	assert_int_equal(notifications(o), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "notifications"), 0), "role")), "caseworker");
	json_decref(o);
	assert_string_equal(state_of(fx, id), "deciding");
	assert_int_equal(fire(fx, at("2026-04-29T00:00:00+02:00"), 100), 1);
	assert_string_equal(state_of(fx, id), "overdue");
	/* Thursday 30 April and Friday 1 May are the two working days. */
	assert_int_equal(fire(fx, at("2026-04-30T23:59:59+02:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-05-01T00:00:00+02:00"), 100), 1);
	assert_int_equal(fire(fx, at("2027-01-01T00:00:00+01:00"), 100), 0);
	o = show(fx, id, at("2026-05-01T00:00:00+02:00"));
	assert_int_equal(notifications(o), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "notifications"), 2), "role")), "supervisor");
	json_decref(o);
}

/* After downtime the missed rungs replay, in order, each once. */
static void
test_ladder_catch_up_replays_in_order(void **state)
{
	struct fixture	*fx = *state;
	struct tr_list	 l;
	json_t		*o, *n;
	int64_t		 id;

	id = create_wf(fx, "beslis", "A-2026-0002", 0,
	    at("2026-03-02T10:00:00+01:00"));
	assert_int_equal(fire(fx, at("2026-06-01T12:00:00+02:00"), 100), 4);
	assert_int_equal(fire(fx, at("2026-06-01T12:00:00+02:00"), 100), 0);
	assert_string_equal(state_of(fx, id), "overdue");
	o = show(fx, id, at("2026-06-01T12:00:00+02:00"));
	n = json_object_get(o, "notifications");
	assert_int_equal(json_array_size(n), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(n, 0), "at")), "2026-04-22T00:00:00+02:00");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(n, 1), "at")), "2026-04-28T00:00:00+02:00");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(n, 2), "at")), "2026-05-01T00:00:00+02:00");
	json_decref(o);
	transitions(fx, id, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.t[1].t_at, at("2026-04-29T00:00:00+02:00"));
}

/*
 * Suspended from 10 to 20 March (the application is completed on the
 * 20th, which counts as suspended): 10 days kept, so the raw end 27 April
 * moves to 7 May.  Reminders move along; the one that fired stays fired.
 */
static void
test_suspension_keeps_the_remaining_time(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o, *dl;
	int64_t		 id;

	id = create_wf(fx, "beslis", "A-2026-0003", 0,
	    at("2026-03-02T10:00:00+01:00"));
	assert_int_equal(event(fx, id, "request_completion", NULL,
	    "caseworker", at("2026-03-10T09:00:00+01:00")), ENGINE_EINVAL);
	assert_int_equal(event(fx, id, "request_completion", "form B missing",
	    "supervisor", at("2026-03-10T09:00:00+01:00")), ENGINE_EFORBIDDEN);
	assert_int_equal(event(fx, id, "request_completion", "form B missing",
	    "caseworker", at("2026-03-10T09:00:00+01:00")), ENGINE_OK);
	assert_int_equal(event(fx, id, "request_completion", "again",
	    "caseworker", at("2026-03-11T09:00:00+01:00")), ENGINE_ECONFLICT);
	o = show(fx, id, at("2026-03-12T09:00:00+01:00"));
	dl = json_array_get(json_object_get(o, "deadlines"), 0);
	assert_false(json_is_true(json_object_get(dl, "running")));
	assert_true(json_is_null(json_object_get(dl, "due")));
	json_decref(o);
	/* Nothing fires while it is suspended, whatever the clock says. */
	assert_int_equal(fire(fx, at("2026-05-01T00:00:00+02:00"), 100), 0);
	assert_string_equal(state_of(fx, id), "deciding");
	assert_int_equal(event(fx, id, "completed", NULL, "caseworker",
	    at("2026-03-20T14:00:00+01:00")), ENGINE_OK);
	o = show(fx, id, at("2026-03-20T14:00:00+01:00"));
	assert_string_equal(deadline_due(o, 0), "2026-05-07");
	dl = json_array_get(json_object_get(o, "deadlines"), 0);
	assert_true(json_is_true(json_object_get(dl, "running")));
	json_decref(o);
	assert_int_equal(fire(fx, at("2026-05-07T23:59:59+02:00"), 100), 2);
	assert_string_equal(state_of(fx, id), "deciding");
	assert_int_equal(fire(fx, at("2026-05-08T00:00:00+02:00"), 100), 1);
	assert_string_equal(state_of(fx, id), "overdue");
}

/* Extended once by 6 weeks, by a supervisor, with a reason; not twice. */
static void
test_extension_limits_hold(void **state)
{
	struct fixture	*fx = *state;
	struct tr_list	 l;
	json_t		*o;
	int64_t		 id;

	id = create_wf(fx, "beslis", "A-2026-0004", 0,
	    at("2026-03-02T10:00:00+01:00"));
	assert_int_equal(event(fx, id, "extend", "advice needed", "caseworker",
	    at("2026-04-01T09:00:00+02:00")), ENGINE_EFORBIDDEN);
	assert_int_equal(event(fx, id, "extend", NULL, "supervisor",
	    at("2026-04-01T09:00:00+02:00")), ENGINE_EINVAL);
	assert_int_equal(event(fx, id, "extend", "advice needed", "supervisor",
	    at("2026-04-01T09:00:00+02:00")), ENGINE_OK);
	assert_int_equal(event(fx, id, "extend", "more advice", "supervisor",
	    at("2026-04-02T09:00:00+02:00")), ENGINE_ECONFLICT);
	/* 27 April + 6 weeks = Monday 8 June, a working day. */
	o = show(fx, id, at("2026-04-02T09:00:00+02:00"));
	assert_string_equal(deadline_due(o, 0), "2026-06-08");
	json_decref(o);
	transitions(fx, id, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.t[1].t_event, "extend");
	assert_string_equal(l.t[1].t_from, "deciding");
	assert_string_equal(l.t[1].t_to, "deciding");
	assert_string_equal(l.t[1].t_note, "advice needed");
	assert_int_equal(fire(fx, at("2026-04-29T00:00:00+02:00"), 100), 0);
	assert_string_equal(state_of(fx, id), "deciding");
}

static size_t
deadline_count(struct fixture *fx, int64_t id, int64_t now, const char *name)
{
	json_t	*o = show(fx, id, now), *a, *d;
	size_t	 i, n = 0;

	a = json_object_get(o, "deadlines");
	json_array_foreach(a, i, d)
		if (strcmp(json_string_value(json_object_get(d, "name")),
		    name) == 0)
			n++;
	json_decref(o);
	return n;
}

/* Five weekly forfeitures, each with its payment period; replayed in order. */
static void
test_repeating_rung_replays_each_occurrence(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o;
	int64_t		 id;

	id = create_wf(fx, "penalty", "H-2026-0001", 0,
	    at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire(fx, at("2026-01-13T00:00:00+01:00"), 100), 2);
	assert_int_equal(deadline_count(fx, id,
	    at("2026-01-13T00:00:00+01:00"), "payment"), 1);
	/*
	 * Forfeitures 2 to 5 (20 January to 10 February), and the first
	 * payment period, from 13 January, which ended on 24 February.  Each
	 * occurrence queues the next, so they come in several batches.
	 */
	assert_int_equal(fire_all(fx, at("2026-03-01T00:00:00+01:00")), 5);
	o = show(fx, id, at("2026-03-01T00:00:00+01:00"));
	assert_int_equal(notifications(o), 5);
	json_decref(o);
	assert_int_equal(deadline_count(fx, id,
	    at("2026-03-01T00:00:00+01:00"), "payment"), 4);
	/* The other four payment periods end 3, 10, 17 and 24 March. */
	assert_int_equal(fire_all(fx, at("2027-01-01T00:00:00+01:00")), 4);
	assert_int_equal(deadline_count(fx, id,
	    at("2027-01-01T00:00:00+01:00"), "payment"), 0);
}

/* catch_up: latest fires the latest missed occurrence once, saying how many were missed. */
static void
test_repeating_rung_catch_up_latest(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o, *n;
	int64_t		 id;

	id = create_wf(fx, "penalty_latest", "H-2026-0002", 0,
	    at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire(fx, at("2026-02-04T12:00:00+01:00"), 100), 2);
	o = show(fx, id, at("2026-02-04T12:00:00+01:00"));
	n = json_object_get(o, "notifications");
	assert_int_equal(json_array_size(n), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(n,
	    0), "missed")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(n,
	    0), "seq")), 4);
	json_decref(o);
	assert_int_equal(deadline_count(fx, id,
	    at("2026-02-04T12:00:00+01:00"), "payment"), 1);
	/* The fifth occurrence, on 10 February, fires on its own. */
	assert_int_equal(fire(fx, at("2026-02-10T00:00:00+01:00"), 100), 1);
	o = show(fx, id, at("2026-02-10T00:00:00+01:00"));
	assert_int_equal(notifications(o), 2);
	json_decref(o);
}

/* A clock that jumps back fires nothing early and nothing twice. */
static void
test_clock_jumps(void **state)
{
	struct fixture	*fx = *state;
	int64_t		 id;

	id = create_wf(fx, "beslis", "A-2026-0005", 0,
	    at("2026-03-02T10:00:00+01:00"));
	assert_int_equal(fire(fx, at("2026-04-22T00:00:00+02:00"), 100), 1);
	assert_int_equal(fire(fx, at("2026-03-05T00:00:00+01:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-04-22T00:00:01+02:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-04-29T00:00:00+02:00"), 100), 2);
	assert_string_equal(state_of(fx, id), "overdue");
	assert_int_equal(fire(fx, at("2026-04-01T00:00:00+02:00"), 100), 0);
	assert_string_equal(state_of(fx, id), "overdue");
}

/* A rung that cannot fire is set aside; the others behind it still fire. */
static void
test_broken_rung_does_not_hold_up_others(void **state)
{
	struct fixture	*fx = *state;
	int64_t		 bad, good;

	bad = create_wf(fx, "broken", "X-1", 0, at("2026-01-05T10:00:00+01:00"));
	good = create(fx, "Z-2026-0100", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire(fx, at("2026-03-01T00:00:00+01:00"), 100), 1);
	assert_string_equal(state_of(fx, good), "youth_worker_reports");
	assert_string_equal(state_of(fx, bad), "a");
	assert_int_equal(fire(fx, at("2026-03-01T00:00:00+01:00"), 100), 1);
	assert_string_equal(state_of(fx, good), "enforcement");
	assert_int_equal(fire(fx, at("2026-03-02T00:00:00+01:00"), 100), 0);
	/* The case can still be moved on by hand. */
	assert_int_equal(event(fx, bad, "stop", NULL, "caseworker",
	    at("2026-03-02T09:00:00+01:00")), ENGINE_OK);
	assert_string_equal(state_of(fx, bad), "z");
}

/* A rung at the due moment fires although the deadline moves the case on. */
static void
test_rung_at_due_fires_with_the_move(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o;
	int64_t		 id;

	id = create_wf(fx, "atdue", "D-1", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire_all(fx, at("2026-01-07T00:00:00+01:00")), 2);
	assert_string_equal(state_of(fx, id), "b");
	o = show(fx, id, at("2026-01-07T00:00:00+01:00"));
	assert_int_equal(notifications(o), 1);
	json_decref(o);
}

/*
 * A state counted from "event_date" and entered by a deadline's passing
 * counts from that deadline's last day: 6 weeks from Friday 13 November
 * 2026 end on Friday 25 December; 6 more from the day after, on Friday 5
 * February 2027, on time and when caught up after downtime alike.
 */
static void
test_period_counted_from_the_end_of_another(void **state)
{
	struct fixture	*fx = *state;
	struct tr_list	 l;
	json_t		*o, *dls, *dl;
	int64_t		 id, late;
	size_t		 i;
	const char	*due = NULL;

	id = create_wf(fx, "chained", "C-1", at("2026-11-13T00:00:00+01:00"),
	    at("2026-11-13T10:00:00+01:00"));
	assert_int_equal(fire_all(fx, at("2026-12-26T00:00:01+01:00")), 1);
	assert_string_equal(state_of(fx, id), "b");
	o = show(fx, id, at("2026-12-26T00:00:01+01:00"));
	dls = json_object_get(o, "deadlines");
	for (i = 0; i < json_array_size(dls); i++) {
		dl = json_array_get(dls, i);
		if (strcmp(json_string_value(json_object_get(dl, "name")),
		    "b") == 0)
			due = json_string_value(json_object_get(dl, "due"));
	}
	assert_non_null(due);
	assert_string_equal(due, "2027-02-05");
	json_decref(o);
	/* Registered long after: both deadlines pass in the catch-up. */
	late = create_wf(fx, "chained", "C-2", at("2026-11-13T00:00:00+01:00"),
	    at("2027-02-06T00:00:01+01:00"));
	fire_all(fx, at("2027-02-06T00:00:01+01:00"));
	assert_string_equal(state_of(fx, id), "c");
	assert_string_equal(state_of(fx, late), "c");
	transitions(fx, late, &l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.t[1].t_at, at("2026-12-26T00:00:00+01:00"));
	assert_int_equal(l.t[2].t_at, at("2027-02-06T00:00:00+01:00"));
}

struct outbox_list {
	struct outbox_row	o[8];
	char			body[8][2048];
	size_t			n;
};

static enum store_status
outbox_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_list	*l = arg;

	if (l->n < 8) {
		l->o[l->n] = *o;
		snprintf(l->body[l->n], sizeof(l->body[0]), "%s", o->o_body);
		l->o[l->n].o_body = l->body[l->n];
		l->n++;
	}
	return STORE_OK;
}

/*
 * A rung that tells a role queues a webhook for each team that may see the
 * case and has one for that role; the CloudEvent carries ids, never the
 * reference; the outcome of attempts and an admin's retry go through the
 * engine.
 */
static void
test_webhooks_go_to_teams_that_see_the_case(void **state)
{
	static const struct webhook_target hooks[] = {
		{ "jeugd-noord", "supervisor" },
		{ "t", "supervisor" },		/* takes no part in the case */
		{ "jeugd-noord", "caseworker" },	/* not the role told */
	};
	static const struct actor admin = {
		9, "admin", "admin", "", NULL, NULL
	};
	static const struct webhook_policy wp = { 2, 1000, 60000 };
	struct fixture		*fx = *state;
	struct outbox_list	 l;
	struct engine_error	 ee;
	json_t			*ev;
	int64_t			 id, next, now = at("2026-01-07T00:00:00+01:00");

	engine_set_webhooks(fx->en, hooks, nitems(hooks), "/termijn/test");
	id = create_wf(fx, "atdue", "D-SECRET-REF", 0,
	    at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire_all(fx, now), 2);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_due(fx->st, now, 10, outbox_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.o[0].o_case, id);
	assert_string_equal(l.o[0].o_team, "jeugd-noord");
	assert_string_equal(l.o[0].o_role, "supervisor");
	assert_string_equal(l.o[0].o_status, "pending");
	assert_null(strstr(l.body[0], "D-SECRET-REF"));
	ev = json_loads(l.body[0], 0, NULL);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev,
	    "specversion")), "1.0");
	assert_string_equal(json_string_value(json_object_get(ev, "source")),
	    "/termijn/test");
	assert_string_equal(json_string_value(json_object_get(ev, "type")),
	    "nl.termijn.deadline.passed");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ev,
	    "data"), "case")), id);
	json_decref(ev);

	/* Nothing else is due; nothing later either. */
	assert_int_equal(store_outbox_next(fx->st, now, &next), STORE_NOTFOUND);

	/* A failed attempt: pending again, later. */
	webhook_outcome(&l.o[0], &wp, WEBHOOK_FAILED, "HTTP 500", now, 500);
	assert_int_equal(engine_outbox_update(fx->en, l.o, 1), STORE_OK);
	assert_int_equal(store_outbox_next(fx->st, now, &next), STORE_OK);
	assert_int_equal(next, now + 500);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_due(fx->st, now, 10, outbox_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 0);

	/* Only a dead row is retried, and only by an admin. */
	assert_int_equal(engine_outbox_retry(fx->en, &admin, 1, now, NULL,
	    NULL, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ECONFLICT);
	assert_int_equal(engine_outbox_retry(fx->en, &admin, 99, now, NULL,
	    NULL, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ENOTFOUND);

	/* The second failure is the last: dead. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_get(fx->st, 1, outbox_cb, &l), STORE_OK);
	webhook_outcome(&l.o[0], &wp, WEBHOOK_FAILED, "HTTP 503", now + 500, 0);
	assert_string_equal(l.o[0].o_status, "dead");
	assert_int_equal(engine_outbox_update(fx->en, l.o, 1), STORE_OK);
	assert_int_equal(store_outbox_next(fx->st, 0, &next), STORE_NOTFOUND);

	assert_int_equal(engine_outbox_retry(fx->en, &worker, 1, now, NULL,
	    NULL, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EFORBIDDEN);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(engine_outbox_retry(fx->en, &admin, 1, now + 9000,
	    NULL, NULL, &ee), 0);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_due(fx->st, now + 9000, 10, outbox_cb,
	    &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.o[0].o_attempts, 0);
	assert_string_equal(l.o[0].o_last_error, "HTTP 503");

	/* Delivered: no longer due, and counted. */
	webhook_outcome(&l.o[0], &wp, WEBHOOK_DELIVERED, NULL, now + 9100, 0);
	assert_int_equal(engine_outbox_update(fx->en, l.o, 1), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_list(fx->st, "delivered", 0, 10,
	    outbox_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.o[0].o_delivered_at, now + 9100);
	assert_int_equal(l.o[0].o_attempts, 1);
}

/*
 * One batch: a case closes and cancels its follow-up, which the batch had
 * already read; another case's new rung must not be mistaken for it.
 */
static void
test_cancelled_rung_in_a_batch_stays_cancelled(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o;
	int64_t		 one, two;

	one = create_wf(fx, "twoweeks", "T-1", at("2026-11-17T10:00:00+01:00"),
	    at("2026-11-17T10:00:00+01:00"));
	two = create_wf(fx, "shortlived", "T-2",
	    at("2026-11-16T10:00:00+01:00"), at("2026-11-17T10:00:00+01:00"));
	fire(fx, at("2026-11-26T12:00:00+01:00"), 100);
	assert_string_equal(state_of(fx, two), "closed");
	o = show(fx, two, at("2026-11-26T12:00:00+01:00"));
	assert_int_equal(notifications(o), 0);
	json_decref(o);
	/* b was entered on 25 November: its week ends on 2 December. */
	assert_string_equal(state_of(fx, one), "b");
	assert_int_equal(fire_all(fx, at("2026-12-02T23:59:59+01:00")), 0);
	assert_int_equal(fire_all(fx, at("2026-12-03T00:00:00+01:00")), 1);
	assert_string_equal(state_of(fx, one), "closed");
}

/* catch_up latest beside another rung: each occurrence fires once. */
static void
test_latest_fires_each_occurrence_once(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o, *n, *x;
	size_t		 i, rem = 0;
	int64_t		 id;

	id = create_wf(fx, "weekly", "W-1", 0, at("2026-11-12T10:00:00+01:00"));
	fire_all(fx, at("2026-12-05T12:00:00+01:00"));
	o = show(fx, id, at("2026-12-05T12:00:00+01:00"));
	n = json_object_get(o, "notifications");
	json_array_foreach(n, i, x) {
		if (strcmp(json_string_value(json_object_get(x, "rung")),
		    "rem") != 0)
			continue;
		rem++;
		assert_int_equal(json_integer_value(json_object_get(x, "seq")),
		    3);
		assert_int_equal(json_integer_value(json_object_get(x,
		    "missed")), 2);
	}
	assert_int_equal(rem, 1);
	assert_int_equal(json_array_size(n), 2);
	json_decref(o);
	assert_int_equal(fire_all(fx, at("2026-12-10T23:59:59+01:00")), 0);
	assert_int_equal(fire_all(fx, at("2026-12-11T00:00:00+01:00")), 1);
	o = show(fx, id, at("2026-12-11T00:00:00+01:00"));
	assert_int_equal(notifications(o), 3);
	json_decref(o);
}

/* A follow-up handed to a state is cancelled when that state's deadline moves on. */
static void
test_handed_follow_up_cancelled_by_the_next_deadline(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o;
	int64_t		 id;

	id = create_wf(fx, "handed", "H-1", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire_all(fx, at("2026-01-20T00:00:00+01:00")), 2);
	assert_string_equal(state_of(fx, id), "c");
	o = show(fx, id, at("2026-01-20T00:00:00+01:00"));
	assert_int_equal(notifications(o), 0);
	json_decref(o);
}

/* Leaving a state cancels what it still held; a final state stops all. */
static void
test_leaving_cancels_pending_rungs(void **state)
{
	struct fixture	*fx = *state;
	json_t		*o;
	int64_t		 id;

	id = create_wf(fx, "beslis", "A-2026-0006", 0,
	    at("2026-03-02T10:00:00+01:00"));
	assert_int_equal(event(fx, id, "decided", NULL, "caseworker",
	    at("2026-03-20T10:00:00+01:00")), ENGINE_OK);
	assert_int_equal(fire(fx, at("2027-01-01T00:00:00+01:00"), 100), 0);
	o = show(fx, id, at("2027-01-01T00:00:00+01:00"));
	assert_int_equal(notifications(o), 0);
	assert_int_equal(json_array_size(json_object_get(o, "deadlines")), 0);
	assert_true(json_is_true(json_object_get(o, "final")));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_ladder_fires_each_rung_once_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ladder_catch_up_replays_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_suspension_keeps_the_remaining_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extension_limits_hold,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_repeating_rung_replays_each_occurrence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_repeating_rung_catch_up_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_jumps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_leaving_cancels_pending_rungs, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_broken_rung_does_not_hold_up_others, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rung_at_due_fires_with_the_move, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_period_counted_from_the_end_of_another, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_webhooks_go_to_teams_that_see_the_case, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancelled_rung_in_a_batch_stays_cancelled, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_latest_fires_each_occurrence_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_handed_follow_up_cancelled_by_the_next_deadline, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
