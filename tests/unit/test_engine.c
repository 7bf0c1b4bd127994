/*
 * termijn: engine tests on a real SQLite file, with a clock the test
 * moves: a case's deadlines counted and passing, its events, what is
 * refused, the versions of its workflow.  The ladders are in
 * test_engine_rungs.c; what both share in engine_fixture.h.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "termijn/name.h"

#include "engine_fixture.h"

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

/*
 * Every write that changes a case reads it with store_case_lock, which
 * holds nothing outside a write transaction and is refused there: called
 * outside one, each of them fails as a store failure and changes nothing,
 * and so does a deadline that passed and would fire first (engine.c's
 * fire, reached through the event's settling).
 */
enum lock_op { LK_EVENT, LK_LATE_EVENT, LK_SHARE, LK_UNSHARE, LK_COORDINATE,
	LK_ASSIGN, LK_CORRECT };

static void
test_case_writes_need_a_transaction(void **state)
{
	static const enum lock_op ops[] = { LK_EVENT, LK_LATE_EVENT, LK_SHARE,
	    LK_UNSHARE, LK_COORDINATE, LK_ASSIGN, LK_CORRECT };
	static const struct actor supervisor = {
		1, "worker", "supervisor", "jeugd-noord,t", NULL, NULL
	};
	struct fixture		*fx = *state;
	struct share_input	 sh = { "t", "consent", NULL };
	struct engine_error	 ee;
	struct tr_list		 l;
	int64_t			 id, now = at("2026-01-06T09:00:00+01:00");
	int64_t			 late = at("2026-02-18T09:00:00+01:00");
	size_t			 i;
	int			 rc = 0;

	id = create(fx, "Z-2026-0009", 0, at("2026-01-05T10:00:00+01:00"));
	for (i = 0; i < nitems(ops); i++) {
		memset(&ee, 0, sizeof(ee));
		switch (ops[i]) {
		case LK_EVENT:
			rc = engine_case_event(fx->en, &worker, id,
			    ev("family_reported", NULL), now, &ee);
			break;
		case LK_LATE_EVENT:
			rc = engine_case_event(fx->en, &worker, id,
			    ev("youth_worker_reported", NULL), late, &ee);
			break;
		case LK_SHARE:
			rc = engine_case_share(fx->en, &worker, id, &sh, now,
			    &ee);
			break;
		case LK_UNSHARE:
			rc = engine_case_unshare(fx->en, &worker, id, "t",
			    NULL, now, &ee);
			break;
		case LK_COORDINATE:
			rc = engine_case_coordinate(fx->en, &worker, id, "t",
			    NULL, now, &ee);
			break;
		case LK_ASSIGN:
			rc = engine_case_assign(fx->en, &worker, id, "worker",
			    NULL, now, &ee);
			break;
		case LK_CORRECT:
			rc = engine_case_correct(fx->en, &supervisor, id,
			    "a mistake", now, &ee);
			break;
		}
		if (rc != -1 || ee.ee_status != ENGINE_ESTORE)
			fail_msg("op %zu: %d, status %d: %s", i, rc,
			    (int)ee.ee_status, ee.ee_msg);
		assert_string_equal(state_of(fx, id), "awaiting_self_report");
		transitions(fx, id, &l);
		assert_int_equal(l.n, 1);
	}
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
	memset(&in, 0, sizeof(in));
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
 * The answer to a registration, rendered from the rows it wrote, is the
 * case as it reads back after the commit, for every workflow here; one
 * dated in the past keeps no complete record and is read back instead.
 */
static void
test_answer_from_what_was_written(void **state)
{
	static const char *const names[] = {
		"zelfmelding", "beslis", "penalty", "atdue", "shortlived",
		"twoweeks", "weekly", "handed",
	};
	struct fixture		*fx = *state;
	struct case_written	 w;
	struct case_input	 in;
	struct test_write	 tw;
	json_t			*kept, *read;
	char			 ref[32], *a, *b;
	int64_t			 now = at("2026-01-05T10:00:00+01:00");
	size_t			 i, complete = 0;

	for (i = 0; i < nitems(names) * 2; i++) {
		memset(&w, 0, sizeof(w));
		memset(&in, 0, sizeof(in));
		snprintf(ref, sizeof(ref), "W-%zu", i);
		in.ci_workflow = names[i % nitems(names)];
		in.ci_reference = ref;
		in.ci_team = "jeugd-noord";
		/* The second round dated back: its rungs may fire at once. */
		in.ci_started_at = i < nitems(names) ? 0 :
		    at("2025-11-03T09:00:00+01:00");
		in.ci_written = &w;
		memset(&tw, 0, sizeof(tw));
		tw.tw_fx = fx;
		tw.tw_who = &worker;
		tw.tw_case = &in;
		tw.tw_now = now;
		if (write_one(&tw) != ENGINE_OK)
			fail_msg("create %s: %s", in.ci_workflow,
			    tw.tw_ee.ee_msg);
		if (in.ci_started_at != 0)
			assert_false(w.cw_complete);
		if (w.cw_complete) {
			complete++;
			assert_int_equal(w.cw_case.c_id, tw.tw_id);
			kept = view_case_written(fx->en, &w, now);
			assert_non_null(kept);
			read = show(fx, tw.tw_id, now);
			a = json_dumps(kept, JSON_SORT_KEYS);
			b = json_dumps(read, JSON_SORT_KEYS);
			assert_string_equal(a, b);
			/* Byte for byte, in the order the API writes it. */
			free(a);
			free(b);
			a = json_dumps(kept, 0);
			b = json_dumps(read, 0);
			assert_string_equal(a, b);
			free(a);
			free(b);
			json_decref(kept);
			json_decref(read);
		}
		engine_written_free(&w);
	}
	assert_true(complete >= nitems(names) - 2);
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
		cmocka_unit_test_setup_teardown(
		    test_case_writes_need_a_transaction, setup, teardown),
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
		    test_answer_from_what_was_written, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
