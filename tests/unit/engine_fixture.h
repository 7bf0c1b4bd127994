/*
 * termijn: what the engine's tests share: the workflows they run cases
 * on, a fresh SQLite file with the registry and the engine over it
 * (setup, teardown), and the helpers that register a case, record an
 * event, fire what is due and read back what happened, through the
 * engine's group commit as termijnd makes its writes.  Each helper is
 * static; a test file uses some of them.
 *
 * Include it after cmocka.h.
 */
#ifndef TERMIJN_TEST_ENGINE_FIXTURE_H
#define TERMIJN_TEST_ENGINE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#include "db_fixture.h"

#ifndef FX_UNUSED
#define FX_UNUSED	__attribute__((unused))
#endif

struct fixture;
struct tr_list;

static int64_t	 at(const char *) FX_UNUSED;
static void	 add_workflow(struct registry *, const char *, const char *)
		    FX_UNUSED;
static void	 add_team(struct store *, const char *) FX_UNUSED;
static void	 add_worker(struct store *) FX_UNUSED;
static int	 setup(void **) FX_UNUSED;
static int	 teardown(void **) FX_UNUSED;
static const struct event_input *ev(const char *, const char *) FX_UNUSED;
static int64_t	 create_wf(struct fixture *, const char *, const char *,
		    int64_t, int64_t) FX_UNUSED;
static int64_t	 create(struct fixture *, const char *, int64_t, int64_t)
		    FX_UNUSED;
static enum engine_status event(struct fixture *, int64_t, const char *,
		    const char *, const char *, int64_t) FX_UNUSED;
static json_t	*show(struct fixture *, int64_t, int64_t) FX_UNUSED;
static const char *deadline_due(json_t *, size_t) FX_UNUSED;
static size_t	 notifications(json_t *) FX_UNUSED;
static size_t	 fire(struct fixture *, int64_t, size_t) FX_UNUSED;
static size_t	 fire_all(struct fixture *, int64_t) FX_UNUSED;
static const char *state_of(struct fixture *, int64_t) FX_UNUSED;
static void	 transitions(struct fixture *, int64_t, struct tr_list *)
		    FX_UNUSED;

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

/*
 * A period counted from the end of another (Awb 7:10 after 6:7): b counts
 * from the last day of a, which its passing carries as its date.
 */
static const char chained[] =
    "workflow: chained\n"
    "version: 1\n"
    "start: a\n"
    "states:\n"
    "  a:\n"
    "    deadline: { period: 6 weeks, anchor: started, then: b }\n"
    "  b:\n"
    "    deadline: { period: 6 weeks, rule: atw, anchor: event_date, then: c }\n"
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
	add_workflow(fx->reg, "chained", chained);
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
	struct case_input	in = { workflow, ref, "jeugd-noord", started, 0,
				    NULL };
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

#endif /* TERMIJN_TEST_ENGINE_FIXTURE_H */
