/* termijn: engine tests on a real SQLite file, with a clock the test moves. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/json.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

static const char zelfmelding[] =
    "workflow: zelfmelding\n"
    "version: 1\n"
    "start: awaiting_self_report\n"
    "states:\n"
    "  awaiting_self_report:\n"
    "    deadline: { period: 6 weeks, then: youth_worker_reports }\n"
    "    events: { family_reported: self_reported }\n"
    "  youth_worker_reports:\n"
    "    deadline: { period: 1 week, then: enforcement }\n"
    "    events: { youth_worker_reported: enforcement }\n"
    "  self_reported:\n"
    "    events: { close: closed }\n"
    "  enforcement:\n"
    "    events: { close: closed }\n"
    "  closed:\n"
    "    final: true\n";

struct fixture {
	char		 path[64];
	struct store	*st;
	struct registry	*reg;
	struct engine	 en;
};

/* Local time in Europe/Amsterdam, as people say it. */
static int64_t
at(const char *s)
{
	int64_t	ms;

	if (cal_parse_time(s, &ms) == -1)
		fail_msg("bad time in test: %s", s);
	return ms;
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	struct errlist	 errs;
	struct workflow	*wf;
	char		 err[256];
	int		 fd;

	errlist_init(&errs);
	assert_int_equal(calendar_init("Europe/Amsterdam", NULL, &errs), 0);
	snprintf(fx->path, sizeof(fx->path), "/tmp/termijn-engine-XXXXXX");
	fd = mkstemp(fx->path);
	assert_true(fd != -1);
	close(fd);
	fx->st = store_open(fx->path, err, sizeof(err));
	if (fx->st == NULL)
		fail_msg("store_open: %s", err);
	fx->reg = registry_new();
	wf = workflow_parse("zelfmelding.yaml", zelfmelding,
	    sizeof(zelfmelding) - 1, &errs);
	if (wf == NULL)
		fail_msg("workflow: %s", errs.el_count ? errs.el_msgs[0] : "?");
	assert_int_equal(registry_add(fx->reg, wf, &errs), 0);
	engine_init(&fx->en, fx->st, fx->reg);
	assert_int_equal(engine_pin_workflows(&fx->en, fx->reg,
	    at("2026-01-01T00:00:00+01:00"), &errs), 0);
	errlist_clear(&errs);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 side[80];

	engine_free(&fx->en);
	store_close(fx->st);
	registry_free(fx->reg);
	unlink(fx->path);
	snprintf(side, sizeof(side), "%s-wal", fx->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", fx->path);
	unlink(side);
	free(fx);
	return 0;
}

static int64_t
create(struct fixture *fx, const char *ref, int64_t started, int64_t now)
{
	struct case_input	in = { "zelfmelding", ref, "jeugd-noord", started };
	struct engine_error	ee;
	int64_t			id = 0;

	assert_int_equal(store_begin(fx->st), 0);
	if (engine_case_create(&fx->en, &in, "worker", now, &id, &ee) == -1)
		fail_msg("create: %s", ee.ee_msg);
	assert_int_equal(store_commit(fx->st), 0);
	engine_log_flush(&fx->en);
	return id;
}

static size_t
fire(struct fixture *fx, int64_t now, size_t max)
{
	struct engine_error	ee;
	size_t			n;

	assert_int_equal(store_begin(fx->st), 0);
	if (engine_fire_due(&fx->en, now, max, &n, &ee) == -1)
		fail_msg("fire: %s", ee.ee_msg);
	assert_int_equal(store_commit(fx->st), 0);
	engine_log_flush(&fx->en);
	return n;
}

static const char *
state_of(struct fixture *fx, int64_t id)
{
	static struct case_row	c;

	assert_int_equal(store_case_get(fx->st, id, &c), 0);
	return c.c_state;
}

struct tr_list {
	struct transition_row	t[16];
	size_t			n;
};

static int
collect_cb(const struct transition_row *t, void *arg)
{
	struct tr_list	*l = arg;

	if (l->n < 16)
		l->t[l->n++] = *t;
	return 0;
}

static void
transitions(struct fixture *fx, int64_t id, struct tr_list *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(store_transitions_of_case(fx->st, id, collect_cb, l),
	    0);
}

/* Six weeks from Monday 5 January end on Monday 16 February, overdue from the 17th. */
static void
test_deadline_counts_from_the_day_after(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	json_t		*o, *dl;
	int64_t		 id, now = at("2026-01-05T10:00:00+01:00");

	id = create(fx, "Z-2026-0001", 0, now);
	assert_int_equal(store_case_get(fx->st, id, &c), 0);
	o = json_case(&fx->en, &c, now);
	assert_non_null(o);
	dl = json_array_get(json_object_get(o, "deadlines"), 0);
	assert_non_null(dl);
	assert_string_equal(json_string_value(json_object_get(dl, "due")),
	    "2026-02-16");
	assert_string_equal(json_string_value(json_object_get(dl,
	    "overdue_from")), "2026-02-17T00:00:00+01:00");
	assert_string_equal(json_string_value(json_object_get(dl, "then")),
	    "youth_worker_reports");
	assert_false(json_is_true(json_object_get(dl, "overdue")));
	json_decref(o);
}

/* The family does not report; the youth worker does not either. */
static void
test_deadlines_escalate_in_order(void **state)
{
	struct fixture	*fx = *state;
	struct tr_list	 l;
	int64_t		 id;

	id = create(fx, "Z-2026-0002", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire(fx, at("2026-02-16T23:59:59+01:00"), 100), 0);
	assert_string_equal(state_of(fx, id), "awaiting_self_report");
	assert_int_equal(fire(fx, at("2026-02-17T00:00:00+01:00"), 100), 1);
	assert_string_equal(state_of(fx, id), "youth_worker_reports");
	/* Fired once: the same moment again fires nothing. */
	assert_int_equal(fire(fx, at("2026-02-17T00:00:00+01:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-02-24T23:59:00+01:00"), 100), 0);
	assert_int_equal(fire(fx, at("2026-02-25T00:00:00+01:00"), 100), 1);
	assert_string_equal(state_of(fx, id), "enforcement");

	transitions(fx, id, &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.t[0].t_cause, "create");
	assert_string_equal(l.t[0].t_from, "");
	assert_string_equal(l.t[1].t_cause, "deadline");
	assert_string_equal(l.t[1].t_from, "awaiting_self_report");
	assert_string_equal(l.t[1].t_to, "youth_worker_reports");
	assert_string_equal(l.t[1].t_actor, "termijnd");
	assert_int_equal(l.t[1].t_at, at("2026-02-17T00:00:00+01:00"));
	assert_string_equal(l.t[2].t_to, "enforcement");
	assert_int_equal(l.t[2].t_at, at("2026-02-25T00:00:00+01:00"));
}

/* Downtime: both deadlines passed; they fire in order, as of when they passed. */
static void
test_catch_up_fires_each_in_order(void **state)
{
	struct fixture	*fx = *state;
	struct tr_list	 l;
	int64_t		 id, late = at("2026-03-20T12:00:00+01:00");

	id = create(fx, "Z-2026-0003", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(fire(fx, late, 100), 1);
	assert_int_equal(fire(fx, late, 100), 1);
	assert_int_equal(fire(fx, late, 100), 0);
	assert_string_equal(state_of(fx, id), "enforcement");
	transitions(fx, id, &l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.t[1].t_at, at("2026-02-17T00:00:00+01:00"));
	assert_int_equal(l.t[1].t_recorded_at, late);
	assert_int_equal(l.t[2].t_at, at("2026-02-25T00:00:00+01:00"));
}

/* A batch never fires more than it may; the rest waits for the next batch. */
static void
test_batches_are_bounded(void **state)
{
	struct fixture	*fx = *state;
	char		 ref[32];
	int		 i;

	for (i = 0; i < 10; i++) {
		snprintf(ref, sizeof(ref), "Z-2026-B%02d", i);
		create(fx, ref, 0, at("2026-01-05T10:00:00+01:00"));
	}
	assert_int_equal(fire(fx, at("2026-02-17T00:00:01+01:00"), 4), 4);
	assert_int_equal(fire(fx, at("2026-02-17T00:00:01+01:00"), 4), 4);
	assert_int_equal(fire(fx, at("2026-02-17T00:00:01+01:00"), 4), 2);
	assert_int_equal(fire(fx, at("2026-02-17T00:00:01+01:00"), 4), 0);
}

static void
test_event_in_time_stops_the_deadline(void **state)
{
	struct fixture		*fx = *state;
	struct engine_error	 ee;
	int64_t			 id;

	id = create(fx, "Z-2026-0004", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(store_begin(fx->st), 0);
	assert_int_equal(engine_case_event(&fx->en, id, "family_reported",
	    "reported at the desk", "worker", at("2026-02-01T09:00:00+01:00"),
	    &ee), 0);
	assert_int_equal(store_commit(fx->st), 0);
	assert_string_equal(state_of(fx, id), "self_reported");
	assert_int_equal(fire(fx, at("2026-04-01T00:00:00+02:00"), 100), 0);
	assert_string_equal(state_of(fx, id), "self_reported");
}

/* A refused event changes nothing and names the state. */
static void
test_event_refused(void **state)
{
	struct fixture		*fx = *state;
	struct engine_error	 ee;
	struct tr_list		 l;
	int64_t			 id;

	id = create(fx, "Z-2026-0005", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(store_begin(fx->st), 0);
	assert_int_equal(engine_case_event(&fx->en, id, "close", NULL,
	    "worker", at("2026-01-06T09:00:00+01:00"), &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ECONFLICT);
	assert_string_equal(ee.ee_state, "awaiting_self_report");
	assert_int_equal(engine_case_event(&fx->en, id, "no_such_event", NULL,
	    "worker", at("2026-01-06T09:00:00+01:00"), &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EINVAL);
	assert_int_equal(engine_case_event(&fx->en, 999, "close", NULL,
	    "worker", at("2026-01-06T09:00:00+01:00"), &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ENOTFOUND);
	assert_int_equal(store_commit(fx->st), 0);
	transitions(fx, id, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(state_of(fx, id), "awaiting_self_report");
}

/* An event after a deadline passed (not yet fired) meets the state it led to. */
static void
test_deadline_that_passed_wins_over_a_late_event(void **state)
{
	struct fixture		*fx = *state;
	struct engine_error	 ee;
	int64_t			 id;

	id = create(fx, "Z-2026-0006", 0, at("2026-01-05T10:00:00+01:00"));
	assert_int_equal(store_begin(fx->st), 0);
	assert_int_equal(engine_case_event(&fx->en, id, "family_reported",
	    NULL, "worker", at("2026-02-17T08:00:00+01:00"), &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ECONFLICT);
	assert_string_equal(ee.ee_state, "youth_worker_reports");
	assert_int_equal(store_commit(fx->st), 0);
	assert_string_equal(state_of(fx, id), "youth_worker_reports");
}

/* An agreement made 8 weeks ago: both deadlines passed before registration. */
static void
test_started_in_the_past(void **state)
{
	struct fixture	*fx = *state;
	struct tr_list	 l;
	int64_t		 id;

	id = create(fx, "Z-2026-0007", at("2026-01-05T10:00:00+01:00"),
	    at("2026-03-02T10:00:00+01:00"));
	assert_string_equal(state_of(fx, id), "enforcement");
	transitions(fx, id, &l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.t[0].t_at, at("2026-01-05T10:00:00+01:00"));
	assert_string_equal(l.t[1].t_to, "youth_worker_reports");
	assert_string_equal(l.t[2].t_to, "enforcement");
	assert_int_equal(fire(fx, at("2026-03-02T10:00:00+01:00"), 100), 0);
}

static int
count_cb(const struct case_row *c, void *arg)
{
	(void)c;
	(void)arg;
	return 0;
}

static void
test_create_refuses_bad_input(void **state)
{
	static const struct {
		const char	*workflow, *reference, *team;
		int64_t		 started;
		const char	*fragment;
	} cases[] = {
		{ "nope", "Z-1", "t", 0, "unknown workflow" },
		{ "zelfmelding", "", "t", 0, "reference must be" },
		{ "zelfmelding", "Z 1", "t", 0, "reference must be" },
		{ "zelfmelding", "111222333", "t", 0, "citizen service number" },
		{ "zelfmelding", "1112.22.333", "t", 0, "citizen service" },
		{ "zelfmelding", "Z-111222333", "t", 0, "citizen service" },
		{ "zelfmelding", "Z-1", "", 0, "team must be" },
		{ "zelfmelding", "Z-1", "t", INT64_C(1) << 50, "future" },
	};
	struct fixture		*fx = *state;
	struct engine_error	 ee;
	struct case_input	 in;
	struct case_filter	 f = { NULL, NULL, NULL, 0, 100 };
	int64_t			 id;
	size_t			 i;

	assert_int_equal(store_begin(fx->st), 0);
	for (i = 0; i < nitems(cases); i++) {
		in.ci_workflow = cases[i].workflow;
		in.ci_reference = cases[i].reference;
		in.ci_team = cases[i].team;
		in.ci_started_at = cases[i].started;
		assert_int_equal(engine_case_create(&fx->en, &in, "w",
		    at("2026-01-05T10:00:00+01:00"), &id, &ee), -1);
		assert_int_equal(ee.ee_status, ENGINE_EINVAL);
		if (strstr(ee.ee_msg, cases[i].fragment) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, ee.ee_msg,
			    cases[i].fragment);
	}
	assert_int_equal(store_commit(fx->st), 0);
	assert_int_equal(store_case_list(fx->st, &f, count_cb, NULL), 0);
}

static void
test_bsn_eleven_test(void **state)
{
	static const struct {
		const char	*ref;
		int		 bsn;
	} cases[] = {
		{ "111222333", 1 },	/* 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-3 = 66 */
		{ "111222334", 0 },
		{ "123456782", 1 },
		{ "123456789", 0 },
		{ "12345678", 0 },
		{ "1234.56.782", 1 },
		{ "1234 56 782", 1 },
		{ "Z-2026-000123", 0 },
		{ "zaak/123456782/a", 1 },
		{ "zaak/1234567820/a", 0 },	/* a run of 10 digits */
		{ "000000000", 0 },
		{ "Z-2026-0042", 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		if (reference_looks_like_bsn(cases[i].ref) != cases[i].bsn)
			fail_msg("%s: expected %d", cases[i].ref, cases[i].bsn);
}

/* A workflow version whose text changed under the same number is refused. */
static void
test_pinned_version_must_not_change(void **state)
{
	struct fixture	*fx = *state;
	struct registry	*reg = registry_new();
	struct workflow	*wf;
	struct errlist	 errs;
	char		*changed;

	errlist_init(&errs);
	xasprintf(&changed, "%s", zelfmelding);
	changed[strstr(changed, "6 weeks") - changed] = '8';
	wf = workflow_parse("zelfmelding.yaml", changed, strlen(changed),
	    &errs);
	assert_non_null(wf);
	assert_int_equal(registry_add(reg, wf, &errs), 0);
	assert_int_equal(engine_pin_workflows(&fx->en, reg,
	    at("2026-01-02T00:00:00+01:00"), &errs), -1);
	assert_true(errs.el_count > 0);
	assert_non_null(strstr(errs.el_msgs[0], "raise its version"));
	registry_free(reg);
	errlist_clear(&errs);
	free(changed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_deadline_counts_from_the_day_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines_escalate_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_catch_up_fires_each_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches_are_bounded,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_event_in_time_stops_the_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_deadline_that_passed_wins_over_a_late_event, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_started_in_the_past, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_bad_input,
		    setup, teardown),
		cmocka_unit_test(test_bsn_eleven_test),
		cmocka_unit_test_setup_teardown(
		    test_pinned_version_must_not_change, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
