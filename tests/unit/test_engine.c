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
#include "termijn/hash.h"
#include "termijn/name.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/webhook.h"
#include "termijn/workflow.h"

#include "db_fixture.h"

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

static const char beslis[] =
    "workflow: beslis\n"
    "version: 1\n"
    "roles: [caseworker, supervisor, enforcement]\n"
    "start: deciding\n"
    "states:\n"
    "  deciding:\n"
    "    deadline:\n"
    "      name: decision\n"
    "      period: 8 weeks\n"
    "      rule: atw\n"
    "      kind: decision\n"
    "      then: overdue\n"
    "      rungs:\n"
    "        - { before: 1 week, notify: caseworker }\n"
    "        - { before: 1 day, notify: caseworker }\n"
    "        - { after: 2 days, rule: working_days, notify: supervisor }\n"
    "    events:\n"
    "      request_completion: { action: suspend, deadline: decision,"
    " roles: [caseworker], reason: true }\n"
    "      completed: { action: resume, deadline: decision }\n"
    "      extend: { action: extend, deadline: decision, by: 6 weeks,"
    " max: 1, roles: [supervisor], reason: true }\n"
    "      decided: decided\n"
    "  overdue:\n"
    "    events: { decided: decided }\n"
    "  decided:\n"
    "    final: true\n";

/* A penalty forfeiting each week, five times at most; each starts a payment period. */
static const char penalty[] =
    "workflow: penalty\n"
    "version: 1\n"
    "roles: [enforcement]\n"
    "start: running\n"
    "deadlines:\n"
    "  payment: { period: 6 weeks, rule: atw, kind: statutory }\n"
    "states:\n"
    "  running:\n"
    "    deadline:\n"
    "      name: forfeiture\n"
    "      period: 1 week\n"
    "      rungs:\n"
    "        - { name: forfeit, at: due, every: 1 week, max: 5,"
    " notify: enforcement, start: [payment], catch_up: CATCHUP }\n"
    "    events: { complied: closed }\n"
    "  closed:\n"
    "    final: true\n";

/* The second deadline cannot be computed: 10000 years run past year 9999. */
static const char broken[] =
    "workflow: broken\n"
    "version: 1\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline: { period: 1 day, then: b }\n"
    "    events: { stop: z }\n"
    "  b:\n"
    "    deadline: { period: 10000 years, then: z }\n"
    "    events: { stop: z }\n"
    "  z:\n"
    "    final: true\n";

/* A rung at the due moment of a deadline that moves the case on. */
static const char atdue[] =
    "workflow: atdue\n"
    "version: 1\n"
    "roles: [supervisor]\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline:\n"
    "      period: 1 day\n"
    "      then: b\n"
    "      rungs: [{ at: due, notify: supervisor }]\n"
    "  b:\n"
    "    events: { stop: z }\n"
    "  z:\n"
    "    final: true\n";

/* Closes when its week passes; a follow-up the closing must cancel. */
static const char shortlived[] =
    "workflow: shortlived\n"
    "version: 1\n"
    "roles: [supervisor]\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline:\n"
    "      period: 1 week\n"
    "      then: closed\n"
    "      rungs: [{ after: 1 day, notify: supervisor }]\n"
    "  closed:\n"
    "    final: true\n";

static const char twoweeks[] =
    "workflow: twoweeks\n"
    "version: 1\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline: { period: 1 week, then: b }\n"
    "  b:\n"
    "    deadline: { period: 1 week, then: closed }\n"
    "  closed:\n"
    "    final: true\n";

/* A repeating rung that catches up with its latest, after a reminder. */
static const char weekly[] =
    "workflow: weekly\n"
    "version: 1\n"
    "roles: [enforcement]\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline:\n"
    "      period: 1 week\n"
    "      rungs:\n"
    "        - { name: rem, at: due, every: 1 week, max: 5,"
    " catch_up: latest, notify: enforcement }\n"
    "        - { before: 1 day, notify: enforcement }\n"
    "    events: { stop: closed }\n"
    "  closed:\n"
    "    final: true\n";

/* A's follow-up goes along to B; B's own deadline moves on before it. */
static const char handed[] =
    "workflow: handed\n"
    "version: 1\n"
    "roles: [supervisor]\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline:\n"
    "      period: 1 day\n"
    "      then: b\n"
    "      rungs: [{ after: 5 days, notify: supervisor }]\n"
    "  b:\n"
    "    deadline: { period: 1 day, then: c }\n"
    "  c:\n"
    "    events: { stop: z }\n"
    "  z:\n"
    "    final: true\n";

struct fixture {
	char		 path[64];
	struct store	*st;
	struct registry	*reg;
	struct engine	*en;
};

/* Who records events in these tests, unless a test says otherwise. */
static const struct actor worker = {
	1, "worker", "caseworker", "jeugd-noord,t", NULL, NULL
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

/* Parse a workflow; "penalty_latest" is penalty with catch_up: latest. */
static void
add_workflow(struct registry *reg, const char *name, const char *text)
{
	struct errlist	 errs;
	struct workflow	*wf;
	char		*copy, *p, label[64];
	int		 latest = strcmp(name, "penalty_latest") == 0;

	errlist_init(&errs);
	if (latest) {
		p = strstr(text, "version:");
		xasprintf(&copy, "workflow: penalty_latest\n%s", p);
	} else
		copy = xstrdup(text);
	if ((p = strstr(copy, "CATCHUP")) != NULL)
		memcpy(p, latest ? "latest " : "replay ", 7);
	snprintf(label, sizeof(label), "%s.yaml", name);
	wf = workflow_parse(label, copy, strlen(copy), &errs);
	if (wf == NULL)
		fail_msg("%s: %s", name, errs.el_count ? errs.el_msgs[0] : "?");
	assert_int_equal(registry_add(reg, wf, &errs), 0);
	errlist_clear(&errs);
	free(copy);
}

static void
add_team(struct store *st, const char *name)
{
	struct team_row	tm;

	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", name);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", name);
	assert_int_equal(store_team_insert(st, &tm), STORE_OK);
}

/* The token the tests act with (worker), whose teams decide what it sees. */
static void
add_worker(struct store *st)
{
	struct token_row	tk;
	unsigned char		hash[HASH_SHA256_LEN];

	memset(&tk, 0, sizeof(tk));
	memset(hash, 7, sizeof(hash));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", worker.ac_name);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", worker.ac_role);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", worker.ac_teams);
	assert_int_equal(store_token_insert(st, &tk, hash), STORE_OK);
	assert_int_equal(tk.tk_id, worker.ac_token);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	struct errlist	 errs;
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
	add_workflow(fx->reg, "zelfmelding", zelfmelding);
	add_workflow(fx->reg, "beslis", beslis);
	add_workflow(fx->reg, "penalty", penalty);
	add_workflow(fx->reg, "penalty_latest", penalty);
	add_workflow(fx->reg, "broken", broken);
	add_workflow(fx->reg, "atdue", atdue);
	add_workflow(fx->reg, "shortlived", shortlived);
	add_workflow(fx->reg, "twoweeks", twoweeks);
	add_workflow(fx->reg, "weekly", weekly);
	add_workflow(fx->reg, "handed", handed);
	fx->en = engine_new(fx->st, fx->reg);
	add_team(fx->st, "jeugd-noord");
	add_team(fx->st, "t");
	add_worker(fx->st);
	assert_int_equal(engine_pin_workflows(fx->en, fx->reg,
	    at("2026-01-01T00:00:00+01:00"), &errs), 0);
	errlist_clear(&errs);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	engine_free(fx->en);
	store_close(fx->st);
	registry_free(fx->reg);
	unlink_db(fx->path);
	free(fx);
	return 0;
}

/* An event recorded by a caseworker, with a note. */
static const struct event_input *
ev(const char *name, const char *note)
{
	static struct event_input	in;

	memset(&in, 0, sizeof(in));
	in.ev_name = name;
	in.ev_note = note;
	return &in;
}

/*
 * One write through the engine's group commit, as termijnd makes it: a
 * registration (tw_case) or an event (tw_event), refused when the engine
 * refuses it (its engine_status in tw_ee).
 */
struct test_write {
	struct engine_write	 tw_write;	/* first */
	struct fixture		*tw_fx;
	const struct actor	*tw_who;
	const struct case_input	*tw_case;
	const struct event_input *tw_event;
	int64_t			 tw_id;
	int64_t			 tw_now;
	struct engine_error	 tw_ee;
};

static void
test_write_apply(struct engine_write *ew)
{
	struct test_write	*tw = (struct test_write *)ew;
	int			 rc;

	if (tw->tw_case != NULL)
		rc = engine_case_create(tw->tw_fx->en, tw->tw_who, tw->tw_case,
		    tw->tw_now, &tw->tw_id, &tw->tw_ee);
	else
		rc = engine_case_event(tw->tw_fx->en, tw->tw_who, tw->tw_id,
		    tw->tw_event, tw->tw_now, &tw->tw_ee);
	ew->ew_verdict = rc == 0 ? WRITE_DONE : WRITE_REFUSED;
}

/* Apply one write in a batch of its own; the engine's status. */
static enum engine_status
write_one(struct test_write *tw)
{
	struct engine_write	*ew = &tw->tw_write;
	struct write_result	 wr;

	ew->ew_apply = test_write_apply;
	assert_int_equal(engine_batch_write(tw->tw_fx->en, &ew, 1, tw->tw_now,
	    &wr), STORE_OK);
	assert_int_equal(ew->ew_outcome, WRITE_APPLIED);
	free(ew->ew_answer);
	return ew->ew_verdict == WRITE_DONE ? ENGINE_OK : tw->tw_ee.ee_status;
}

static int64_t
create_wf(struct fixture *fx, const char *workflow, const char *ref,
    int64_t started, int64_t now)
{
	struct case_input	in = { workflow, ref, "jeugd-noord", started, 0 };
	struct test_write	tw;

	memset(&tw, 0, sizeof(tw));
	tw.tw_fx = fx;
	tw.tw_who = &worker;
	tw.tw_case = &in;
	tw.tw_now = now;
	if (write_one(&tw) != ENGINE_OK)
		fail_msg("create: %s", tw.tw_ee.ee_msg);
	return tw.tw_id;
}

static int64_t
create(struct fixture *fx, const char *ref, int64_t started, int64_t now)
{
	return create_wf(fx, "zelfmelding", ref, started, now);
}

/* Record an event in its own transaction; the engine's status. */
static enum engine_status
event(struct fixture *fx, int64_t id, const char *name, const char *note,
    const char *role, int64_t now)
{
	struct event_input	in = { name, note, 0, NULL };
	struct actor		who = { 1, "worker", role, "jeugd-noord,t", NULL,
				    NULL };
	struct test_write	tw;

	memset(&tw, 0, sizeof(tw));
	tw.tw_fx = fx;
	tw.tw_who = &who;
	tw.tw_event = &in;
	tw.tw_id = id;
	tw.tw_now = now;
	return write_one(&tw);
}

/* The case as the API shows it. */
static json_t *
show(struct fixture *fx, int64_t id, int64_t now)
{
	struct case_row	c;
	json_t		*o;

	assert_int_equal(store_case_get(fx->st, id, &c), 0);
	o = view_case(fx->en, &c, now);
	assert_non_null(o);
	return o;
}

static const char *
deadline_due(json_t *o, size_t i)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "deadlines"), i), "due"));
}

static size_t
notifications(json_t *o)
{
	return json_array_size(json_object_get(o, "notifications"));
}

/* Fire one batch as the scheduler does: again when a rung was set aside. */
static size_t
fire(struct fixture *fx, int64_t now, size_t max)
{
	struct fire_result	fr;

	do
		assert_int_equal(engine_batch_fire(fx->en, now, max, &fr),
		    STORE_OK);
	while (fr.fr_again);
	return fr.fr_fired;
}

/* Fire batches until nothing more is due; the total. */
static size_t
fire_all(struct fixture *fx, int64_t now)
{
	size_t	n, total = 0;

	while ((n = fire(fx, now, 3)) > 0)
		total += n;
	return total;
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

static enum store_status
collect_cb(const struct transition_row *t, void *arg)
{
	struct tr_list	*l = arg;

	if (l->n < 16)
		l->t[l->n++] = *t;
	return STORE_OK;
}

static void
transitions(struct fixture *fx, int64_t id, struct tr_list *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(store_transitions_of_case(fx->st, id, 0, 100, collect_cb, l),
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
	o = view_case(fx->en, &c, now);
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
	assert_int_equal(engine_case_event(fx->en, &worker, id,
	    ev("family_reported", "reported at the desk"),
	    at("2026-02-01T09:00:00+01:00"), &ee), 0);
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
	assert_int_equal(engine_case_event(fx->en, &worker, id, ev("close", NULL),
	    at("2026-01-06T09:00:00+01:00"), &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ECONFLICT);
	assert_string_equal(ee.ee_state, "awaiting_self_report");
	assert_int_equal(engine_case_event(fx->en, &worker, id,
	    ev("no_such_event", NULL), at("2026-01-06T09:00:00+01:00"), &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EINVAL);
	assert_int_equal(engine_case_event(fx->en, &worker, 999, ev("close", NULL),
	    at("2026-01-06T09:00:00+01:00"), &ee), -1);
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
	assert_int_equal(engine_case_event(fx->en, &worker, id,
	    ev("family_reported", NULL), at("2026-02-17T08:00:00+01:00"), &ee), -1);
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

static enum store_status
count_cb(const struct case_row *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return STORE_OK;
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
	struct case_filter	 f = { NULL, NULL, NULL, 0, 0, 100 };
	int64_t			 id;
	size_t			 i;
	int			 n = 0;

	assert_int_equal(store_begin(fx->st), 0);
	for (i = 0; i < nitems(cases); i++) {
		in.ci_workflow = cases[i].workflow;
		in.ci_reference = cases[i].reference;
		in.ci_team = cases[i].team;
		in.ci_started_at = cases[i].started;
		assert_int_equal(engine_case_create(fx->en, &worker, &in,
		    at("2026-01-05T10:00:00+01:00"), &id, &ee), -1);
		assert_int_equal(ee.ee_status, ENGINE_EINVAL);
		if (strstr(ee.ee_msg, cases[i].fragment) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, ee.ee_msg,
			    cases[i].fragment);
	}
	assert_int_equal(store_commit(fx->st), 0);
	assert_int_equal(store_case_list(fx->st, &f, count_cb, &n), STORE_OK);
	assert_int_equal(n, 0);
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
		if (name_looks_like_bsn(cases[i].ref) != cases[i].bsn)
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
	assert_int_equal(engine_pin_workflows(fx->en, reg,
	    at("2026-01-02T00:00:00+01:00"), &errs), -1);
	assert_true(errs.el_count > 0);
	assert_non_null(strstr(errs.el_msgs[0], "raise its version"));
	registry_free(reg);
	errlist_clear(&errs);
	free(changed);
}


/*
 * A version stored before titles were checked, whose state's title is two
 * lines: its cases still run on it, so it loads from the database, and
 * its title is kept; the same text in a file is refused.
 */
static void
test_pinned_keeps_old_titles(void **state)
{
	static const char old[] = "workflow: old\nversion: 1\nstart: a\n"
	    "states:\n  a:\n    title: |\n      Twee\n      regels\n"
	    "    events: {b: b}\n  b: {final: true}\n";
	struct fixture		*fx = *state;
	struct registry		*reg = registry_new();
	struct errlist		 errs;
	char			 digest[HASH_SHA256_HEX_LEN];

	errlist_init(&errs);
	hash_sha256_hex(old, strlen(old), digest);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_workflow_put(fx->st, "old", 1, digest, old,
	    strlen(old), at("2026-01-02T00:00:00+01:00")), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(engine_load_pinned(fx->en, reg, &errs), 0);
	assert_int_equal(errs.el_count, 0);
	assert_string_equal(workflow_state(registry_get(reg, "old", 1),
	    "a")->ws_title, "Twee\nregels\n");
	assert_null(workflow_parse("old.yaml", old, strlen(old), &errs));
	assert_int_equal(errs.el_count, 1);
	registry_free(reg);
	errlist_clear(&errs);
}

/* A file in dir with text; the text's 6 weeks made weeks, if not 0. */
static void
put_file(const char *dir, const char *name, const char *text, char weeks)
{
	FILE	*f;
	char	 path[256], *copy = xstrdup(text), *p;

	if (weeks != 0 && (p = strstr(copy, "6 weeks")) != NULL)
		*p = weeks;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(copy, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	free(copy);
}

/*
 * termijnd's load, file by file: a file changed under a stored version and
 * a broken file are refused on their own, the cases keep the stored text,
 * a new file loads and is stored.  A check says the same, all or nothing.
 */
static void
test_load_workflows_file_by_file(void **state)
{
	static const char extra[] = "workflow: extra\nversion: 1\n"
	    "start: a\nstates: {a: {final: true}}\n";
	struct fixture		*fx = *state;
	struct wf_files		 files;
	struct errlist		 errs;
	struct registry		*reg;
	const struct workflow	*wf;
	char			 dir[] = "/tmp/termijn-wf-XXXXXX", path[256];
	char			 digest[HASH_SHA256_HEX_LEN];
	const char		*names[] = { "broken.yaml", "extra.yaml",
				    "zelfmelding.yaml" };
	size_t			 i, n;

	errlist_init(&errs);
	assert_non_null(mkdtemp(dir));
	put_file(dir, "zelfmelding.yaml", zelfmelding, '8');
	put_file(dir, "extra.yaml", extra, 0);
	put_file(dir, "broken.yaml", "workflow: broken\n", 0);

	reg = engine_load_workflows(fx->en, dir,
	    at("2026-02-01T00:00:00+01:00"), &files, &errs);
	assert_non_null(reg);
	assert_int_equal(errs.el_count, 0);
	assert_int_equal(files.wfs_count, 3);
	assert_int_equal(files.wfs_refused, 2);
	assert_non_null(files.wfs_files[0].wff_reason);
	assert_null(files.wfs_files[1].wff_reason);
	assert_string_equal(files.wfs_files[2].wff_reason, "workflow "
	    "zelfmelding version 1 differs from the text the database keeps "
	    "for that version, which cases may run on; raise version to 2");
	wf = registry_current(reg, "zelfmelding");
	assert_non_null(wf);
	assert_int_equal(wf->wf_version, 1);
	assert_string_equal(wf->wf_source, zelfmelding);
	/* Every stored version is there, the files' or not. */
	assert_non_null(registry_current(reg, "beslis"));
	assert_non_null(registry_current(reg, "extra"));
	assert_int_equal(store_workflow_digest(fx->st, "extra", 1, digest),
	    STORE_OK);
	registry_files_clear(&files);
	registry_free(reg);

	/* A check: every problem, the database's only with an engine. */
	assert_int_equal(engine_check_workflows(NULL, dir, &errs), -1);
	n = errs.el_count;
	assert_true(n > 0);
	for (i = 0; i < n; i++)
		assert_null(strstr(errs.el_msgs[i], "raise version"));
	errlist_clear(&errs);
	assert_int_equal(engine_check_workflows(fx->en, dir, &errs), -1);
	assert_int_equal(errs.el_count, n + 1);
	assert_non_null(strstr(errs.el_msgs[n], "zelfmelding.yaml: workflow "
	    "zelfmelding version 1 differs"));
	assert_non_null(strstr(errs.el_msgs[n], "raise version to 2"));
	errlist_clear(&errs);
	snprintf(path, sizeof(path), "%s/broken.yaml", dir);
	unlink(path);
	assert_int_equal(engine_check_workflows(NULL, dir, &errs), 0);
	assert_int_equal(engine_check_workflows(fx->en, dir, &errs), -1);
	errlist_clear(&errs);
	put_file(dir, "zelfmelding.yaml", "workflow: zelfmelding\nversion: 2"
	    "\nstart: a\nstates: {a: {final: true}}\n", 0);
	assert_int_equal(engine_check_workflows(fx->en, dir, &errs), 0);
	assert_int_equal(errs.el_count, 0);

	for (i = 0; i < nitems(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

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
		cmocka_unit_test_setup_teardown(
		    test_load_workflows_file_by_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pinned_keeps_old_titles, setup, teardown),
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
