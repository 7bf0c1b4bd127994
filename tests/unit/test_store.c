/*
 * termijn: the store's contract, which every backend must keep.  Each test
 * opens a new, empty store at TERMIJN_STORE_LOCATION (a location as
 * store_open takes it; default a new SQLite file) and checks what the
 * engine relies on: the status of every function, the order of the rung
 * queue, the "current deadlines" filter, cursor paging, the ledger's
 * unique key.  The migration tests open databases made by earlier termijn
 * (tests/fixtures) and run for the SQLite backend only.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "termijn/audit.h"
#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "db_fixture.h"

struct fixture {
	char		 path[64];
	struct store	*st;
};

/* A new file's path, or the location the environment names. */
static void
new_location(char *path, size_t len)
{
	int	fd;

	snprintf(path, len, "/tmp/termijn-store-XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp");
	close(fd);
	unlink(path);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	const char	*loc = getenv("TERMIJN_STORE_LOCATION");
	char		 err[256];

	if (loc != NULL)
		snprintf(fx->path, sizeof(fx->path), "%s", loc);
	else
		new_location(fx->path, sizeof(fx->path));
	if ((fx->st = store_open(fx->path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	store_close(fx->st);
	if (getenv("TERMIJN_STORE_LOCATION") == NULL)
		unlink_db(fx->path);
	free(fx);
	return 0;
}

static int64_t
add_case(struct store *st, const char *ref, const char *team,
    const char *state)
{
	struct case_row	c;

	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "zelfmelding");
	c.c_version = 1;
	snprintf(c.c_reference, sizeof(c.c_reference), "%s", ref);
	snprintf(c.c_team, sizeof(c.c_team), "%s", team);
	snprintf(c.c_state, sizeof(c.c_state), "%s", state);
	c.c_started_at = c.c_state_since = c.c_created_at = c.c_updated_at =
	    1000;
	assert_int_equal(store_case_insert(st, &c), STORE_OK);
	assert_true(c.c_id > 0);
	return c.c_id;
}

static int64_t
add_deadline(struct store *st, int64_t case_id, const char *name,
    const char *state, int64_t due, int active)
{
	struct deadline_row	d;

	memset(&d, 0, sizeof(d));
	d.d_case = case_id;
	snprintf(d.d_name, sizeof(d.d_name), "%s", name);
	snprintf(d.d_state, sizeof(d.d_state), "%s", state);
	snprintf(d.d_period, sizeof(d.d_period), "P6W");
	snprintf(d.d_rule, sizeof(d.d_rule), "plain");
	snprintf(d.d_kind, sizeof(d.d_kind), "agreement");
	d.d_anchor = 1000;
	d.d_due = due;
	d.d_active = active;
	d.d_running = 1;
	assert_int_equal(store_deadline_insert(st, &d), STORE_OK);
	assert_true(d.d_id > 0);
	return d.d_id;
}

static enum store_status
add_rung(struct store *st, int64_t case_id, int64_t deadline, const char *name,
    int seq, int64_t due, const char *holder)
{
	struct rung_row	r;

	memset(&r, 0, sizeof(r));
	r.r_case = case_id;
	r.r_deadline = deadline;
	snprintf(r.r_name, sizeof(r.r_name), "%s", name);
	r.r_seq = seq;
	r.r_due = due;
	snprintf(r.r_holder, sizeof(r.r_holder), "%s", holder);
	return store_rung_insert(st, &r);
}

/* A walk's rows, collected: ids of cases, deadlines or rungs. */
struct ids {
	int64_t	id[64];
	size_t	n;
	size_t	stop_after;	/* 0: never */
};

static enum store_status
ids_add(struct ids *l, int64_t id)
{
	if (l->n < nitems(l->id))
		l->id[l->n++] = id;
	if (l->stop_after != 0 && l->n == l->stop_after)
		return STORE_NOTFOUND;	/* any status but OK stops a walk */
	return STORE_OK;
}

static enum store_status
case_cb(const struct case_row *c, void *arg)
{
	return ids_add(arg, c->c_id);
}

static enum store_status
deadline_cb(const struct deadline_row *d, void *arg)
{
	return ids_add(arg, d->d_id);
}

static enum store_status
rung_cb(const struct rung_row *r, void *arg)
{
	return ids_add(arg, r->r_id);
}

static enum store_status
transition_cb(const struct transition_row *t, void *arg)
{
	return ids_add(arg, t->t_id);
}

static enum store_status
notification_cb(const struct notification_row *n, void *arg)
{
	return ids_add(arg, n->n_id);
}

static enum store_status
participant_cb(const struct participant_row *p, void *arg)
{
	return ids_add(arg, p->p_id);
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(store_status_name(STORE_OK), "ok");
	assert_string_equal(store_status_name(STORE_NOTFOUND), "not found");
	assert_string_equal(store_status_name(STORE_EXISTS), "exists");
	assert_string_equal(store_status_name(STORE_FULL), "full");
	assert_string_equal(store_status_name(STORE_BUSY), "busy");
	assert_string_equal(store_status_name(STORE_FAILED), "failed");
}

/* A rollback takes back the transaction; a savepoint only its own part. */
static void
test_transactions(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 a, b;

	assert_true(store_schema_version(fx->st) > 0);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "t", "s");
	store_rollback(fx->st);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_NOTFOUND);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "B", "t", "s");
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "C", "t", "s");
	assert_int_equal(store_release(fx->st), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	assert_string_equal(c.c_reference, "A");
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_OK);
	assert_string_equal(c.c_reference, "C");

	/* A read transaction sees what was committed. */
	assert_int_equal(store_read_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	store_read_end(fx->st);
}

static void
test_cases(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 id;

	assert_int_equal(store_case_get(fx->st, 42, &c), STORE_NOTFOUND);
	id = add_case(fx->st, "Z-1", "jeugd-noord", "waiting");
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_workflow, "zelfmelding");
	assert_int_equal(c.c_version, 1);
	assert_string_equal(c.c_reference, "Z-1");
	assert_string_equal(c.c_team, "jeugd-noord");
	assert_string_equal(c.c_state, "waiting");
	assert_int_equal(c.c_final, 0);

	snprintf(c.c_state, sizeof(c.c_state), "closed");
	c.c_state_since = 2000;
	c.c_updated_at = 2001;
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_state, "closed");
	assert_int_equal(c.c_state_since, 2000);
	assert_int_equal(c.c_updated_at, 2001);
	assert_int_equal(c.c_final, 1);
	c.c_id = 999;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_NOTFOUND);
}

/* Filters combine; pages follow the id after the cursor; a walk can stop. */
static void
test_case_list_and_paging(void **state)
{
	struct fixture		*fx = *state;
	struct case_filter	 f;
	struct ids		 l;
	int64_t			 id[6];
	size_t			 i;

	id[0] = add_case(fx->st, "R0", "noord", "waiting");
	id[1] = add_case(fx->st, "R1", "zuid", "waiting");
	id[2] = add_case(fx->st, "R2", "noord", "closed");
	id[3] = add_case(fx->st, "R3", "noord", "waiting");
	id[4] = add_case(fx->st, "R4", "zuid", "closed");
	id[5] = add_case(fx->st, "R5", "noord", "waiting");

	memset(&f, 0, sizeof(f));
	f.cf_limit = 100;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(l.id[i], id[i]);

	f.cf_team = "noord";
	f.cf_state = "waiting";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], id[0]);
	assert_int_equal(l.id[1], id[3]);
	assert_int_equal(l.id[2], id[5]);

	/* Pages of two: after the cursor, at most the limit. */
	f.cf_limit = 2;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	f.cf_after = l.id[1];
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], id[5]);
	f.cf_after = id[5];
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	f.cf_team = NULL;
	f.cf_state = NULL;
	f.cf_workflow = "no-such-workflow";
	f.cf_after = 0;
	f.cf_limit = 100;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	/* The callback's status ends the walk and is its result. */
	f.cf_workflow = NULL;
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l),
	    STORE_NOTFOUND);
	assert_int_equal(l.n, 2);
}

static void
test_deadlines(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	int64_t			 c, d1, d2;

	c = add_case(fx->st, "D", "t", "deciding");
	assert_int_equal(store_deadline_get(fx->st, 77, &d), STORE_NOTFOUND);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_NOTFOUND);
	d1 = add_deadline(fx->st, c, "decision", "deciding", 5000, 1);
	assert_int_equal(store_deadline_get(fx->st, d1, &d), STORE_OK);
	assert_int_equal(d.d_case, c);
	assert_string_equal(d.d_name, "decision");
	assert_string_equal(d.d_state, "deciding");
	assert_string_equal(d.d_period, "P6W");
	assert_int_equal(d.d_due, 5000);
	assert_int_equal(d.d_running, 1);
	assert_int_equal(d.d_case_scope, 0);

	/* The budget survives a round trip, suspension and extensions too. */
	d.d_running = 0;
	d.d_suspended_since = 4000;
	d.d_suspended_days = 3;
	d.d_suspended_ms = 7;
	snprintf(d.d_extensions, sizeof(d.d_extensions), "P6W,P2W");
	d.d_due = 6000;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);
	memset(&d, 0, sizeof(d));
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(d.d_id, d1);
	assert_int_equal(d.d_running, 0);
	assert_int_equal(d.d_suspended_since, 4000);
	assert_int_equal(d.d_suspended_days, 3);
	assert_int_equal(d.d_suspended_ms, 7);
	assert_string_equal(d.d_extensions, "P6W,P2W");
	assert_int_equal(d.d_due, 6000);

	/* find takes the latest active one of that name. */
	d2 = add_deadline(fx->st, c, "decision", "deciding", 7000, 1);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(d.d_id, d2);

	/* Stopping a state's deadlines leaves no active one to find. */
	assert_int_equal(store_deadlines_stop(fx->st, c, "other"), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(store_deadlines_stop(fx->st, c, "deciding"), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_NOTFOUND);
	d.d_id = 999;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_NOTFOUND);
}

/*
 * The current deadlines of a case: active ones, and stopped ones that
 * still have a rung to fire, passed ones last, each group by due moment.
 * The passed ones: every deadline that passed, current or not, by due
 * moment.
 */
static void
test_current_deadlines(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	struct ids		 l;
	int64_t			 c, late, early, stopped, follow, passed;
	int64_t			 gone;

	c = add_case(fx->st, "C", "t", "s");
	late = add_deadline(fx->st, c, "late", "s", 9000, 1);
	early = add_deadline(fx->st, c, "early", "s", 3000, 1);
	stopped = add_deadline(fx->st, c, "stopped", "s", 1000, 0);
	follow = add_deadline(fx->st, c, "follow", "s", 2000, 0);
	assert_int_equal(add_rung(fx->st, c, follow, "after_P2D", 1, 2500, "t"),
	    STORE_OK);
	passed = add_deadline(fx->st, c, "passed", "s", 500, 1);
	assert_int_equal(store_deadline_get(fx->st, passed, &d), STORE_OK);
	d.d_passed = 1;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);
	/* Passed and moved the case on, its rungs all fired: history. */
	gone = add_deadline(fx->st, c, "gone", "s", 800, 0);
	assert_int_equal(store_deadline_get(fx->st, gone, &d), STORE_OK);
	d.d_passed = 1;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], follow);
	assert_int_equal(l.id[1], early);
	assert_int_equal(l.id[2], late);
	assert_int_equal(l.id[3], passed);

	/* All of them, in id order. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_ALL,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.id[0], late);
	assert_int_equal(l.id[2], stopped);

	/* Those that passed, current or not, by the moment each passed. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_PASSED,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], passed);
	assert_int_equal(l.id[1], gone);

	/* Once the follow-up fired, the stopped deadline is not current. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, follow, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	{
		struct rung_row	r;

		assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
		    STORE_OK);
		assert_int_equal(store_rung_mark_fired(fx->st, &r, 2600, 0, 0),
		    STORE_OK);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
}

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

/* An outbox row of a case for a team, due at 5000. */
static int64_t
add_outbox(struct store *st, int64_t case_id, int64_t notification,
    const char *team)
{
	struct outbox_row	o;

	memset(&o, 0, sizeof(o));
	o.o_case = case_id;
	o.o_notification = notification;
	snprintf(o.o_type, sizeof(o.o_type), "nl.termijn.deadline.passed");
	snprintf(o.o_team, sizeof(o.o_team), "%s", team);
	snprintf(o.o_role, sizeof(o.o_role), "enforcement");
	o.o_body = "{\"secret\":\"the event\"}";
	o.o_next_at = o.o_created_at = 5000;
	assert_int_equal(store_outbox_insert(st, &o), STORE_OK);
	assert_true(o.o_id > 0);
	return o.o_id;
}

/* The rows a walk of the outbox gave, copied. */
struct outbox_rows {
	struct outbox_row	o[8];
	size_t			n;
	int			bodies;		/* rows that came with one */
};

static enum store_status
outbox_rows_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_rows	*l = arg;

	l->bodies += o->o_body != NULL;
	if (l->n < nitems(l->o)) {
		l->o[l->n] = *o;
		l->o[l->n++].o_body = NULL;
	}
	return l->n == 3 ? STORE_NOTFOUND : STORE_OK;
}

/*
 * A case's outbox rows, by id, whatever their status, with how each
 * fared, never with the CloudEvent; another case's rows are not among
 * them, and a walk stops when its callback says so.
 */
static void
test_outbox_of_case(void **state)
{
	struct fixture		*fx = *state;
	struct outbox_rows	 l;
	struct outbox_row	 o;
	int64_t			 a, b, ids[4];

	a = add_case(fx->st, "A", "t", "s");
	b = add_case(fx->st, "B", "t", "s");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, a, outbox_rows_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 0);

	ids[0] = add_outbox(fx->st, a, 7, "handhaving");
	ids[1] = add_outbox(fx->st, b, 8, "handhaving");
	ids[2] = add_outbox(fx->st, a, 7, "jeugd-noord");
	ids[3] = add_outbox(fx->st, a, 0, "inkomen");
	/* One delivered, one failed once and waiting, one given up on. */
	memset(&o, 0, sizeof(o));
	o.o_id = ids[0];
	snprintf(o.o_status, sizeof(o.o_status), "delivered");
	o.o_attempts = 1;
	o.o_next_at = 5000;
	o.o_delivered_at = 6000;
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_OK);
	o.o_id = ids[2];
	snprintf(o.o_status, sizeof(o.o_status), "pending");
	o.o_attempts = 2;
	o.o_next_at = 9000;
	o.o_delivered_at = 0;
	snprintf(o.o_last_error, sizeof(o.o_last_error), "HTTP 500");
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_OK);
	o.o_id = ids[3];
	snprintf(o.o_status, sizeof(o.o_status), "dead");
	o.o_attempts = 15;
	snprintf(o.o_last_error, sizeof(o.o_last_error), "HTTP 503");
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_OK);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, a, outbox_rows_cb, &l),
	    STORE_NOTFOUND);		/* the callback stopped it at three */
	assert_int_equal(l.n, 3);
	assert_int_equal(l.bodies, 0);
	assert_int_equal(l.o[0].o_id, ids[0]);
	assert_int_equal(l.o[0].o_case, a);
	assert_int_equal(l.o[0].o_notification, 7);
	assert_string_equal(l.o[0].o_team, "handhaving");
	assert_string_equal(l.o[0].o_role, "enforcement");
	assert_string_equal(l.o[0].o_status, "delivered");
	assert_int_equal(l.o[0].o_attempts, 1);
	assert_int_equal(l.o[0].o_delivered_at, 6000);
	assert_string_equal(l.o[0].o_last_error, "");
	assert_int_equal(l.o[1].o_id, ids[2]);
	assert_string_equal(l.o[1].o_status, "pending");
	assert_int_equal(l.o[1].o_attempts, 2);
	assert_int_equal(l.o[1].o_next_at, 9000);
	assert_int_equal(l.o[1].o_delivered_at, 0);
	assert_string_equal(l.o[1].o_last_error, "HTTP 500");
	assert_int_equal(l.o[2].o_id, ids[3]);
	assert_int_equal(l.o[2].o_notification, 0);
	assert_string_equal(l.o[2].o_status, "dead");
	assert_int_equal(l.o[2].o_attempts, 15);
	assert_string_equal(l.o[2].o_last_error, "HTTP 503");

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, b, outbox_rows_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.o[0].o_id, ids[1]);
	assert_string_equal(l.o[0].o_status, "pending");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, 999, outbox_rows_cb,
	    &l), STORE_OK);
	assert_int_equal(l.n, 0);
}

static void
add_team(struct store *st, const char *name)
{
	struct team_row	tm;

	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", name);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", name);
	tm.tm_created_at = 1000;
	assert_int_equal(store_team_insert(st, &tm), STORE_OK);
}

/* A token in teams, with a hash made of one repeated byte. */
static int64_t
add_token(struct store *st, const char *name, const char *role,
    const char *teams, int byte, int64_t expires)
{
	struct token_row	tk;
	unsigned char		h[HASH_SHA256_LEN];

	memset(&tk, 0, sizeof(tk));
	memset(h, byte, sizeof(h));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", name);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", role);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", teams);
	tk.tk_created_at = 1000;
	tk.tk_expires_at = expires;
	assert_int_equal(store_token_insert(st, &tk, h), STORE_OK);
	return tk.tk_id;
}

static enum store_status
count_team_cb(const struct team_row *tm, void *arg)
{
	(void)tm;
	(*(int *)arg)++;
	return STORE_OK;
}

static enum store_status
token_list_cb(const struct token_row *tk, void *arg)
{
	struct token_row	*out = arg;

	if (strcmp(tk->tk_name, "worker") == 0)
		*out = *tk;
	return STORE_OK;
}

static void
test_teams(void **state)
{
	struct fixture	*fx = *state;
	struct team_row	 tm;
	int		 n = 0;

	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_NOTFOUND);
	add_team(fx->st, "noord");
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "noord");
	snprintf(tm.tm_title, sizeof(tm.tm_title), "again");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_EXISTS);
	snprintf(tm.tm_name, sizeof(tm.tm_name), "zuid");
	snprintf(tm.tm_organisation, sizeof(tm.tm_organisation), "Gemeente");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_OK);
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(store_team_get(fx->st, "zuid", &tm), STORE_OK);
	assert_string_equal(tm.tm_title, "again");
	assert_string_equal(tm.tm_organisation, "Gemeente");
	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_OK);
	assert_string_equal(tm.tm_organisation, "");
	assert_int_equal(store_teams_each(fx->st, count_team_cb, &n), STORE_OK);
	assert_int_equal(n, 2);
}

/* A token with its teams; revoked or expired, it is not found. */
static void
test_tokens(void **state)
{
	struct fixture		*fx = *state;
	unsigned char		 h1[HASH_SHA256_LEN], h9[HASH_SHA256_LEN];
	struct token_row	 tk;
	int64_t			 n, id;

	memset(h1, 1, sizeof(h1));
	memset(h9, 9, sizeof(h9));
	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	assert_int_equal(store_token_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_lookup(fx->st, h1, 1000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id, 0);		/* unknown */
	id = add_token(fx->st, "worker", "caseworker", "zuid,noord", 1, 5000);
	memset(&tk, 0, sizeof(tk));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "worker");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "reader");
	assert_int_equal(store_token_insert(fx->st, &tk, h9), STORE_EXISTS);
	assert_int_equal(store_token_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_token_lookup(fx->st, h1, 4999, &tk), STORE_OK);
	assert_int_equal(tk.tk_id, id);
	assert_string_equal(tk.tk_name, "worker");
	assert_string_equal(tk.tk_role, "caseworker");
	assert_string_equal(tk.tk_teams, "noord,zuid");
	assert_int_equal(tk.tk_expires_at, 5000);
	/* Expired at its moment; found, so that its holder hears why. */
	assert_int_equal(store_token_lookup(fx->st, h1, 5000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id, id);
	assert_int_equal(tk.tk_expires_at, 5000);
	/* Last use only moves forward; list shows it, and revocation. */
	assert_int_equal(store_token_touch(fx->st, id, 3000), STORE_OK);
	assert_int_equal(store_token_touch(fx->st, id, 2000), STORE_OK);
	assert_int_equal(store_token_revoke(fx->st, "worker", 4000), STORE_OK);
	assert_int_equal(store_token_revoke(fx->st, "worker", 4001),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_revoke(fx->st, "nobody", 4001),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_lookup(fx->st, h1, 4500, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_revoked_at, 4000);
	memset(&tk, 0, sizeof(tk));
	assert_int_equal(store_tokens_each(fx->st, token_list_cb, &tk),
	    STORE_OK);
	assert_int_equal(tk.tk_last_used_at, 3000);
	assert_int_equal(tk.tk_revoked_at, 4000);
	assert_string_equal(tk.tk_teams, "noord,zuid");
}

/*
 * What a token may see: the cases its teams own, and those they take part
 * in while they do; in a get, a list and an idempotent answer alike.
 */
static void
test_visibility(void **state)
{
	struct fixture		*fx = *state;
	struct participant_row	 p;
	struct case_filter	 f;
	struct case_row		 c;
	struct ids		 l;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 noord, zuid, both, a, b;
	int			 status;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	noord = add_token(fx->st, "n", "caseworker", "noord", 1, 0);
	zuid = add_token(fx->st, "z", "caseworker", "zuid", 2, 0);
	both = add_token(fx->st, "b", "supervisor", "noord,zuid", 3, 0);
	a = add_case(fx->st, "A", "noord", "s");
	b = add_case(fx->st, "B", "zuid", "s");

	assert_int_equal(store_case_get_for(fx->st, a, noord, &c), STORE_OK);
	assert_string_equal(c.c_coordinator, "noord");
	assert_int_equal(store_case_get_for(fx->st, a, zuid, &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get_for(fx->st, b, both, &c), STORE_OK);
	assert_int_equal(store_case_get_for(fx->st, 999, both, &c),
	    STORE_NOTFOUND);

	memset(&f, 0, sizeof(f));
	f.cf_limit = 100;
	f.cf_token = zuid;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], b);

	/* zuid takes part in A: it sees A, until that ends. */
	memset(&p, 0, sizeof(p));
	p.p_case = a;
	snprintf(p.p_team, sizeof(p.p_team), "zuid");
	snprintf(p.p_basis, sizeof(p.p_basis), "consent");
	snprintf(p.p_added_by, sizeof(p.p_added_by), "n");
	p.p_since = 2000;
	assert_int_equal(store_participant_add(fx->st, &p), STORE_OK);
	assert_int_equal(store_participant_add(fx->st, &p), STORE_EXISTS);
	assert_int_equal(store_case_get_for(fx->st, a, zuid, &c), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);

	assert_int_equal(store_idem_put(fx->st, zuid, "k", "h", 200, "{}", "en",
	    a, 2100), STORE_OK);
	assert_int_equal(store_idem_get(fx->st, zuid, "k", reqhash, &status,
	    &body, lang), STORE_OK);
	free(body);
	body = NULL;

	assert_int_equal(store_participant_end(fx->st, a, "zuid", 3000),
	    STORE_OK);
	assert_int_equal(store_participant_end(fx->st, a, "zuid", 3001),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get_for(fx->st, a, zuid, &c),
	    STORE_NOTFOUND);
	/* Its stored answer about A is no longer given to it; the key stays used. */
	assert_int_equal(store_idem_get(fx->st, zuid, "k", reqhash, &status,
	    &body, lang), STORE_EXISTS);
	assert_null(body);
	assert_string_equal(reqhash, "h");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);

	/* Taking part again is a new participation; the old one stays. */
	p.p_since = 4000;
	assert_int_equal(store_participant_add(fx->st, &p), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, a, 0,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, a, 1,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
}

static void
test_idempotency(void **state)
{
	struct fixture		*fx = *state;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 tok;
	int			 status;

	add_team(fx->st, "noord");
	tok = add_token(fx->st, "worker", "caseworker", "noord", 1, 0);
	assert_int_equal(store_idem_get(fx->st, tok, "k1", reqhash,
	    &status, &body, lang), STORE_NOTFOUND);
	assert_int_equal(store_idem_put(fx->st, tok, "k1", "abc", 201,
	    "{\"id\":1}", "nl", 0, 1000), STORE_OK);
	assert_int_equal(store_idem_put(fx->st, tok, "k1", "def", 200,
	    "{}", "en", 0, 1001), STORE_EXISTS);
	assert_int_equal(store_idem_get(fx->st, tok, "k1", reqhash,
	    &status, &body, lang), STORE_OK);
	assert_string_equal(reqhash, "abc");
	assert_int_equal(status, 201);
	assert_string_equal(body, "{\"id\":1}");
	/* The language the answer was given in, for its replay. */
	assert_string_equal(lang, "nl");
	free(body);
}

static enum store_status
read_row_cb(const struct read_row *rd, void *arg)
{
	return ids_add(arg, rd->rd_id);
}

static void
test_read_log(void **state)
{
	struct fixture	*fx = *state;
	struct read_row	 rd;
	struct ids	 l;
	int64_t		 c;
	int		 i;

	c = add_case(fx->st, "R", "t", "s");
	for (i = 0; i < 3; i++) {
		memset(&rd, 0, sizeof(rd));
		rd.rd_case = c;
		rd.rd_at = 1000 + i;
		snprintf(rd.rd_token, sizeof(rd.rd_token), "worker");
		snprintf(rd.rd_role, sizeof(rd.rd_role), "caseworker");
		snprintf(rd.rd_teams, sizeof(rd.rd_teams), "t");
		snprintf(rd.rd_what, sizeof(rd.rd_what), "case");
		assert_int_equal(store_read_insert(fx->st, &rd), STORE_OK);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_reads_of_case(fx->st, c, 0, 2, read_row_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_reads_of_case(fx->st, c, rd.rd_id - 1, 10,
	    read_row_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
}

/* A transition appended with its link; the chain's head follows it. */
static int64_t
append(struct store *st, int64_t case_id, const char *cause)
{
	struct transition_row	t;
	int64_t			head;

	memset(&t, 0, sizeof(t));
	assert_int_equal(store_chain_head(st, &head, t.t_prev), STORE_OK);
	t.t_id = head + 1;
	t.t_case = case_id;
	t.t_at = t.t_recorded_at = 1000 + head;
	snprintf(t.t_to, sizeof(t.t_to), "s");
	snprintf(t.t_cause, sizeof(t.t_cause), "%s", cause);
	snprintf(t.t_actor, sizeof(t.t_actor), "worker");
	memset(t.t_hash, (int)t.t_id, sizeof(t.t_hash));
	assert_int_equal(store_transition_insert(st, &t), STORE_OK);
	return t.t_id;
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

/* Destroy a case, as retention does: a tombstone, nothing else. */
static void
destroy(struct store *st, int64_t id)
{
	struct tombstone_row	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_case = id;
	snprintf(ts.ts_workflow, sizeof(ts.ts_workflow), "zelfmelding");
	ts.ts_version = 1;
	snprintf(ts.ts_team, sizeof(ts.ts_team), "t");
	ts.ts_destroyed_at = 9000;
	snprintf(ts.ts_destroyed_by, sizeof(ts.ts_destroyed_by), "admin");
	assert_int_equal(store_case_destroy(st, &ts), STORE_OK);
}

/* Poll the upkeep until its scrub is pending or not, given up n times. */
static void
wait_scrub(struct store *st, int pending, uint64_t given_up,
    struct upkeep_stats *us)
{
	int	i;

	for (i = 0; i < 1000; i++) {
		store_upkeep_stats(st, us);
		if (us->us_scrub_pending == pending &&
		    us->us_scrub_given_up == given_up)
			return;
		usleep(10000);
	}
	fail_msg("after 10 s the scrub is %s pending, given up %llu times",
	    us->us_scrub_pending ? "still" : "not",
	    (unsigned long long)us->us_scrub_given_up);
}

/*
 * A scrub that a reader holds back (SQLite: a read transaction begun
 * before the destruction): STORE_BUSY and pending, tried again by the
 * upkeep until the reader ends, and the WAL emptied then; given up after
 * the upkeep's timeout, and pending until asked again.
 */
static void
test_scrub_held_back(void **state)
{
	struct fixture		*fx = *state;
	struct upkeep_stats	 us;
	sqlite3			*rd;
	char			 err[256];
	int64_t			 a, b;

	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "closed");
	assert_int_equal(sqlite3_open_v2(fx->path, &rd, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);

	/* Held back for longer than the timeout: given up, still pending. */
	assert_int_equal(store_upkeep_start(fx->st, 0.3, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM cases",
	    NULL, NULL, NULL), SQLITE_OK);
	destroy(fx->st, a);
	assert_int_equal(store_scrub(fx->st), STORE_BUSY);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 1);
	assert_true(us.us_scrub_retries >= 1);
	assert_true(us.us_log_bytes > 0);
	wait_scrub(fx->st, 1, 1, &us);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	usleep(200000);
	wait_scrub(fx->st, 1, 1, &us);
	/* Asked again with no reader in the way: done at once. */
	assert_int_equal(store_scrub(fx->st), STORE_OK);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 0);
	assert_int_equal(us.us_log_bytes, 0);
	store_upkeep_stop(fx->st);

	/* Held back for a moment: done by the upkeep once the reader ends. */
	assert_int_equal(store_upkeep_start(fx->st, 60, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM cases",
	    NULL, NULL, NULL), SQLITE_OK);
	destroy(fx->st, b);
	assert_int_equal(store_scrub(fx->st), STORE_BUSY);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	wait_scrub(fx->st, 0, 1, &us);
	assert_true(us.us_scrub_retries >= 2);
	assert_int_equal(us.us_log_bytes, 0);
	sqlite3_close(rd);
}

struct wf_seen {
	char	names[4][32];
	int	versions[4];
	size_t	n;
};

static enum store_status
workflow_cb(const char *name, int version, const char *source, size_t len,
    void *arg)
{
	struct wf_seen	*ws = arg;

	(void)source;
	(void)len;
	if (ws->n < 4) {
		snprintf(ws->names[ws->n], sizeof(ws->names[0]), "%s", name);
		ws->versions[ws->n++] = version;
	}
	return STORE_OK;
}

/* A name and version keeps the source it was first stored with. */
static void
test_workflow_versions(void **state)
{
	struct fixture	*fx = *state;
	struct wf_seen	 ws;
	char		 digest[HASH_SHA256_HEX_LEN];

	assert_int_equal(store_workflow_digest(fx->st, "w", 1, digest),
	    STORE_NOTFOUND);
	assert_int_equal(store_workflow_put(fx->st, "w", 2, "d2", "v2", 2, 1),
	    STORE_OK);
	assert_int_equal(store_workflow_put(fx->st, "w", 1, "d1", "v1", 2, 1),
	    STORE_OK);
	assert_int_equal(store_workflow_put(fx->st, "w", 1, "dx", "vx", 2, 2),
	    STORE_EXISTS);
	assert_int_equal(store_workflow_digest(fx->st, "w", 1, digest),
	    STORE_OK);
	assert_string_equal(digest, "d1");
	memset(&ws, 0, sizeof(ws));
	assert_int_equal(store_workflows_each(fx->st, workflow_cb, &ws),
	    STORE_OK);
	assert_int_equal(ws.n, 2);
	assert_int_equal(ws.versions[0], 1);
	assert_int_equal(ws.versions[1], 2);
}

/* A copy of a fixture (tests/fixtures), migrated by store_open. */
static struct store *
open_fixture(const char *fixture, char *path, size_t len)
{
	char		 cmd[512], err[256];
	struct store	*st;

	new_location(path, len);
	snprintf(cmd, sizeof(cmd), "cp fixtures/%s %s", fixture, path);
	if (system(cmd) != 0)
		fail_msg("%s", cmd);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("store_open %s: %s", fixture, err);
	return st;
}

/* What both fixtures hold (tests/fixtures/README.md), read back migrated. */
static void
check_fixture(struct store *st, int version_of_fresh, const char *first_rung)
{
	static const char *states[] = {
		"awaiting_self_report", "enforcement", "closed", "enforcement"
	};
	struct case_row		 c;
	struct team_row		 tm;
	struct audit_report	 ar;
	struct ids		 l;
	struct rung_row		 r;
	struct wf_seen		 ws;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 n, due;
	int			 status;
	size_t			 i;

	assert_int_equal(store_schema_version(st), version_of_fresh);
	for (i = 0; i < nitems(states); i++) {
		assert_int_equal(store_case_get(st, (int64_t)i + 1, &c),
		    STORE_OK);
		assert_string_equal(c.c_state, states[i]);
	}
	assert_int_equal(c.c_final, 0);
	assert_int_equal(store_case_get(st, 3, &c), STORE_OK);
	assert_int_equal(c.c_final, 1);

	/* The running deadline of case 1 is current and has its rung. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(st, 1, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(store_rung_first_of_case(st, 1, &r), STORE_OK);
	assert_string_equal(r.r_name, first_rung);
	assert_int_equal(r.r_fired_at, 0);
	assert_int_equal(store_rung_next(st, &due), STORE_OK);

	/* Case 2: created, then two deadlines passed. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(st, 2, 0, 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	/* Case 3: created, reported, closed; closed cases have no current deadline. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(st, 3, 0, 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(st, 3, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	assert_int_equal(store_token_count(st, &n), STORE_OK);
	assert_int_equal(n, 1);
	/*
	 * The registration kept its answer for the admin token that made it;
	 * an admin sees no case content now, so it is not given again (the
	 * key stays used).
	 */
	assert_int_equal(store_idem_get(st, 1, "fixture-1", reqhash, &status,
	    &body, lang), STORE_EXISTS);
	assert_null(body);
	/* The teams of the cases became known teams. */
	assert_int_equal(store_team_get(st, "jeugd-noord", &tm), STORE_OK);
	assert_int_equal(store_team_get(st, "jeugd-zuid", &tm), STORE_OK);
	/* The history is linked into an intact audit chain. */
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_true(ar.ar_links >= 9);
	memset(&ws, 0, sizeof(ws));
	assert_int_equal(store_workflows_each(st, workflow_cb, &ws), STORE_OK);
	assert_true(ws.n >= 2);
	/* And the migrated store takes new rows. */
	assert_int_equal(store_begin(st), STORE_OK);
	(void)add_case(st, "Z-NEW", "t", "s");
	assert_int_equal(store_commit(st), STORE_OK);
}

static void
test_migrate_schema(const char *fixture, const char *first_rung)
{
	struct store	*fresh, *st;
	char		 path[64], fpath[64], err[256];
	int		 version;

	new_location(fpath, sizeof(fpath));
	if ((fresh = store_open(fpath, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	version = store_schema_version(fresh);
	store_close(fresh);
	unlink_db(fpath);

	st = open_fixture(fixture, path, sizeof(path));
	check_fixture(st, version, first_rung);
	store_close(st);
	/* Opened again, there is nothing left to migrate. */
	st = open_fixture(fixture, fpath, sizeof(fpath));
	store_close(st);
	unlink_db(fpath);
	unlink_db(path);
}

static void
test_migrate_from_schema_1(void **state)
{
	(void)state;
	/* Migration 2 queued the passing of each running deadline. */
	test_migrate_schema("schema-1.db", "due");
}

static void
test_migrate_from_schema_2(void **state)
{
	(void)state;
	/* zelfmelding's reminder a week before its deadline. */
	test_migrate_schema("schema-2.db", "before_P1W");
}

/* What an overdue walk saw: (case, deadline) pairs, and the last cursor. */
struct seen_overdue {
	int64_t	so_case[32];
	int64_t	so_deadline[32];
	int	so_n;
	int64_t	so_due;
};

static enum store_status
overdue_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct seen_overdue	*so = arg;

	assert_true(so->so_n < 32);
	so->so_case[so->so_n] = c->c_id;
	so->so_deadline[so->so_n++] = d->d_id;
	so->so_due = d->d_due;
	return STORE_OK;
}

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

/*
 * The fixtures made from schema 3 on (tests/fixtures/README.md): moments
 * in ms, the deadlines' due moments at the end of a day in Amsterdam.
 */
#define FX_NOW		INT64_C(1772445600000)	/* 2026-03-02 10:00 UTC */
#define FX_LATER	INT64_C(1773223200000)	/* 2026-03-11 10:00 UTC */
#define FX_DUE_Z1	INT64_C(1776117600000)	/* 6 weeks on: 13 April */
#define FX_DUE_Z2	INT64_C(1771282800000)	/* from 5 January: 16 Feb */
#define FX_DUE_Z2_YOUTH	INT64_C(1771974000000)	/* 5 working days: 24 Feb */
#define FX_DUE_B1	INT64_C(1774306800000)	/* 8 weeks from 26 Jan */
#define FX_DUE_H2	INT64_C(1773097200000)	/* 5 working days: 9 March */
#define FX_DUE_H2_COMPLY INT64_C(1770073200000)	/* 4 weeks from 5 Jan */

static const struct {
	const char	*ref;
	const char	*team;
	const char	*state;
} access_cases[] = {
	{ "Z-2026-0001", "jeugd-noord", "awaiting_self_report" },
	{ "Z-2026-0002", "jeugd-noord", "enforcement" },
	{ "Z-2026-0003", "jeugd-zuid", "closed" },
	{ "S-2026-0001", "jeugd-noord", "enforcement" },
	{ "B-2026-0001", "inkomen", "deciding" },
	{ "H-2026-0001", "handhaving", "deciding" },
	{ "H-2026-0002", "handhaving", "reinspection" },
	{ "Z-2026-0004", "jeugd-zuid", "enforcement" },
	{ "Z-2026-0005", "jeugd-noord", "awaiting_self_report" }, /* 5 on */
};

/* Rows of one case, read back whole. */
struct fx_rows {
	struct deadline_row	d[8];
	struct transition_row	t[8];
	struct rung_row		r[8];
	struct participant_row	p[4];
	struct read_row		rd[4];
	size_t			nd, nt, nr, np, nrd;
};

static enum store_status
fx_deadline_cb(const struct deadline_row *d, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nd < nitems(x->d));
	x->d[x->nd++] = *d;
	return STORE_OK;
}

static enum store_status
fx_transition_cb(const struct transition_row *t, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nt < nitems(x->t));
	x->t[x->nt++] = *t;
	return STORE_OK;
}

static enum store_status
fx_rung_cb(const struct rung_row *r, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nr < nitems(x->r));
	x->r[x->nr++] = *r;
	return STORE_OK;
}

static enum store_status
fx_participant_cb(const struct participant_row *p, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->np < nitems(x->p));
	x->p[x->np++] = *p;
	return STORE_OK;
}

static enum store_status
fx_read_cb(const struct read_row *rd, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nrd < nitems(x->rd));
	x->rd[x->nrd++] = *rd;
	return STORE_OK;
}

/* Every deadline, transition, participant and read of a case. */
static struct fx_rows *
fx_read(struct store *st, int64_t id)
{
	struct fx_rows	*x = xcalloc(1, sizeof(*x));

	assert_int_equal(store_deadlines_of_case(st, id, STORE_DL_ALL,
	    fx_deadline_cb, x), STORE_OK);
	assert_int_equal(store_transitions_of_case(st, id, 0, 100,
	    fx_transition_cb, x), STORE_OK);
	assert_int_equal(store_participants_of_case(st, id, 0,
	    fx_participant_cb, x), STORE_OK);
	assert_int_equal(store_reads_of_case(st, id, 0, 100, fx_read_cb, x),
	    STORE_OK);
	return x;
}

/* A deadline of the case by name, with its rungs in x->r. */
static const struct deadline_row *
fx_deadline(struct store *st, struct fx_rows *x, const char *name)
{
	size_t	i;

	for (i = 0; i < x->nd; i++)
		if (strcmp(x->d[i].d_name, name) == 0) {
			x->nr = 0;
			assert_int_equal(store_rungs_of_deadline(st,
			    x->d[i].d_id, fx_rung_cb, x), STORE_OK);
			return &x->d[i];
		}
	fail_msg("no deadline %s", name);
	return NULL;
}

/* Transition i: its cause, the state it led to, its note. */
static void
fx_transition(const struct fx_rows *x, size_t i, const char *cause,
    const char *to, const char *note)
{
	assert_true(i < x->nt);
	assert_string_equal(x->t[i].t_cause, cause);
	assert_string_equal(x->t[i].t_to, to);
	assert_string_equal(x->t[i].t_note, note);
}

/* The (case, deadline) pairs a token sees overdue, in the view's order. */
static void
fx_overdue(struct store *st, int64_t token, struct seen_overdue *so)
{
	struct view_filter	vf;

	memset(&vf, 0, sizeof(vf));
	vf.vf_token = token;
	vf.vf_after_due = INT64_MIN;
	vf.vf_limit = 20;
	memset(so, 0, sizeof(*so));
	assert_int_equal(store_overdue(st, &vf, overdue_cb, so), STORE_OK);
}

/* What a fixture made from schema 3 on holds, read back migrated. */
static void
check_access_fixture(struct store *st, int schema)
{
	struct case_row			 c;
	struct token_row		 youth, enforcer, caseworker, boss;
	struct team_row			 tm;
	struct audit_report		 ar;
	struct rung_row			 r;
	struct seen_overdue		 so;
	struct wf_seen			 ws;
	struct fx_rows			*x;
	const struct deadline_row	*d, *d2;
	char				 reqhash[HASH_SHA256_HEX_LEN];
	char				 lang[STORE_LANG_LEN];
	char				*body = NULL, *data = NULL;
	char				 corrected[24];
	int64_t				 n, tid, waits, links = 0;
	int				 status;
	size_t				 i, ncases;

	/* Every case, with its team and state; one closed. */
	ncases = schema >= 5 ? nitems(access_cases) : nitems(access_cases) - 1;
	for (i = 0; i < ncases; i++) {
		assert_int_equal(store_case_get(st, (int64_t)i + 1, &c),
		    STORE_OK);
		assert_string_equal(c.c_reference, access_cases[i].ref);
		assert_string_equal(c.c_team, access_cases[i].team);
		assert_string_equal(c.c_state, access_cases[i].state);
		assert_int_equal(c.c_final, i == 2);
		assert_int_equal(c.c_waiting_by != 0, i == 6);
		x = fx_read(st, c.c_id);
		links += (int64_t)x->nt;
		free(x);
	}
	assert_int_equal(store_case_get(st, (int64_t)ncases + 1, &c),
	    STORE_NOTFOUND);

	/* Teams and the people's tokens, which see their teams' cases. */
	for (i = 0; i < nitems(access_cases); i++)
		assert_int_equal(store_team_get(st, access_cases[i].team, &tm),
		    STORE_OK);
	assert_int_equal(store_token_count(st, &n), STORE_OK);
	assert_int_equal(n, 5);
	assert_int_equal(store_token_by_name(st, "jeugdhulp", FX_LATER,
	    &youth), STORE_OK);
	assert_string_equal(youth.tk_role, "youth_worker");
	assert_string_equal(youth.tk_teams, "jeugd-noord,jeugd-zuid");
	assert_int_equal(youth.tk_expires_at, 0);
	assert_int_equal(store_token_by_name(st, "handhaver", FX_LATER,
	    &enforcer), STORE_OK);
	assert_string_equal(enforcer.tk_role, "enforcement");
	assert_int_equal(store_token_by_name(st, "consulent", FX_LATER,
	    &caseworker), STORE_OK);
	assert_int_equal(store_token_by_name(st, "leiding-jeugd", FX_LATER,
	    &boss), STORE_OK);
	assert_string_equal(boss.tk_role, "supervisor");
	memset(&ws, 0, sizeof(ws));
	assert_int_equal(store_workflows_each(st, workflow_cb, &ws), STORE_OK);
	assert_int_equal(ws.n, 4);
	assert_int_equal(store_case_get_for(st, 1, youth.tk_id, &c), STORE_OK);
	assert_int_equal(store_case_get_for(st, 1, enforcer.tk_id, &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get_for(st, 5, caseworker.tk_id, &c),
	    STORE_OK);
	assert_int_equal(store_case_get_for(st, 5, youth.tk_id, &c),
	    STORE_NOTFOUND);
	/* The registration keeps its answer for the token that made it. */
	assert_int_equal(store_idem_get(st, youth.tk_id, "fixture-1", reqhash,
	    &status, &body, lang), STORE_OK);
	assert_int_equal(status, 201);
	assert_non_null(strstr(body, "Z-2026-0001"));
	/* Kept before answers had a language: English, said as "". */
	assert_string_equal(lang, "");
	free(body);

	/* Case 1: its deadline runs, due as registered; its reminder waits. */
	x = fx_read(st, 1);
	d = fx_deadline(st, x, "awaiting_self_report");
	assert_int_equal(d->d_due, FX_DUE_Z1);
	assert_true(d->d_active && d->d_running && !d->d_passed);
	assert_int_equal(x->nr, 2);
	assert_int_equal(store_rung_first_of_case(st, 1, &r), STORE_OK);
	assert_string_equal(r.r_name, "before_P1W");
	assert_int_equal(r.r_fired_at, 0);
	free(x);

	/*
	 * Case 2: both deadlines passed, every rung of the second fired, and
	 * it escalated by it.  Enforcement takes part on a legal basis, read
	 * it, and (schema 4 on) was given it.
	 */
	x = fx_read(st, 2);
	d = fx_deadline(st, x, "awaiting_self_report");
	assert_int_equal(d->d_due, FX_DUE_Z2);
	assert_true(d->d_passed && !d->d_active);
	d2 = fx_deadline(st, x, "youth_worker_reports");
	assert_int_equal(d2->d_due, FX_DUE_Z2_YOUTH);
	assert_true(d2->d_passed);
	assert_int_equal(x->nr, 3);
	for (i = 0; i < x->nr; i++)
		assert_true(x->r[i].r_fired_at >= FX_NOW);
	assert_int_equal(store_case_get(st, 2, &c), STORE_OK);
	assert_int_equal(c.c_escalated_by, d2->d_id);
	assert_int_equal(c.c_escalated_due, FX_DUE_Z2_YOUTH);
	assert_int_equal(c.c_waiting_by, 0);
	assert_int_equal(x->nt, schema >= 4 ? 5 : 4);
	fx_transition(x, 0, "create", "awaiting_self_report", "");
	fx_transition(x, 1, "deadline", "youth_worker_reports", "");
	fx_transition(x, 2, "deadline", "enforcement", "");
	fx_transition(x, 3, "share", "enforcement", "cannabis cultivation");
	assert_string_equal(x->t[3].t_basis, "criminal_data");
	assert_string_equal(x->t[3].t_detail, "handhaving");
	assert_int_equal(x->np, 1);
	assert_string_equal(x->p[0].p_team, "handhaving");
	assert_string_equal(x->p[0].p_basis, "criminal_data");
	assert_int_equal(x->p[0].p_until, 0);
	assert_int_equal(x->nrd, 1);
	assert_string_equal(x->rd[0].rd_token, "handhaver");
	assert_string_equal(x->rd[0].rd_what, "case");
	assert_int_equal(store_case_get_for(st, 2, enforcer.tk_id, &c),
	    STORE_OK);
	if (schema >= 4) {
		fx_transition(x, 4, "assign", "enforcement",
		    "enforcement picks it up");
		assert_string_equal(x->t[4].t_detail, "handhaver");
		assert_string_equal(c.c_assignee, "handhaver");
	}
	free(x);

	/* Case 3: reported with a note, then closed; nothing runs. */
	x = fx_read(st, 3);
	assert_int_equal(x->nt, 3);
	fx_transition(x, 1, "event", "self_reported", "reported at the desk");
	fx_transition(x, 2, "event", "closed", "");
	for (i = 0; i < x->nd; i++)
		assert_int_equal(x->d[i].d_active, 0);
	free(x);

	/* Case 4: stabilisatie escalated by its deadline. */
	x = fx_read(st, 4);
	d = fx_deadline(st, x, "stabilising");
	assert_int_equal(store_case_get(st, 4, &c), STORE_OK);
	assert_int_equal(c.c_escalated_by, d->d_id);
	assert_int_equal(c.c_escalated_due, d->d_due);
	free(x);

	/* Case 5: the decision period is suspended, with its reason. */
	x = fx_read(st, 5);
	d = fx_deadline(st, x, "decision");
	assert_int_equal(d->d_due, FX_DUE_B1);
	assert_true(d->d_active && !d->d_running);
	assert_true(d->d_suspended_since >= FX_NOW);
	assert_int_equal(x->nt, 2);
	fx_transition(x, 1, "event", "deciding", "payslips missing");
	free(x);

	/*
	 * Case 7: the compliance period passed into re-inspection, whose
	 * deadline (no "then") passed while termijnd was down: the case waits
	 * on it, and its rungs fired when termijnd started again.  Migration 4
	 * finds an escalation only where the case entered its state at the
	 * deadline's moment; this one entered it later, when the decision was
	 * recorded, so only termijn of schema 4 on remembers it.
	 */
	x = fx_read(st, 7);
	d = fx_deadline(st, x, "reinspection");
	assert_int_equal(d->d_due, FX_DUE_H2);
	assert_true(d->d_active && d->d_passed);
	assert_int_equal(x->nr, 2);
	for (i = 0; i < x->nr; i++)
		assert_true(x->r[i].r_fired_at >= FX_LATER);
	assert_int_equal(store_case_get(st, 7, &c), STORE_OK);
	assert_int_equal(c.c_waiting_by, d->d_id);
	assert_int_equal(c.c_waiting_due, FX_DUE_H2);
	waits = d->d_id;
	d = fx_deadline(st, x, "begunstigingstermijn");
	assert_int_equal(d->d_due, FX_DUE_H2_COMPLY);
	assert_int_equal(c.c_escalated_by, schema >= 4 ? d->d_id : 0);
	free(x);
	/*
	 * Enforcement's overdue view, by moment: case 6 escalated by its view
	 * period, case 7 by its compliance period (as remembered), case 2,
	 * in which enforcement takes part, and case 7 waiting.
	 */
	fx_overdue(st, enforcer.tk_id, &so);
	assert_int_equal(so.so_n, schema >= 4 ? 4 : 3);
	assert_int_equal(so.so_case[0], 6);
	if (schema >= 4)
		assert_int_equal(so.so_case[1], 7);
	assert_int_equal(so.so_case[so.so_n - 2], 2);
	assert_int_equal(so.so_case[so.so_n - 1], 7);
	assert_int_equal(so.so_deadline[so.so_n - 1], waits);

	/* Case 8: the youth worker reported on a legal basis. */
	x = fx_read(st, 8);
	assert_int_equal(x->nt, 3);
	fx_transition(x, 2, "event", "enforcement",
	    "with the family's consent");
	assert_string_equal(x->t[2].t_basis, "consent");
	assert_int_equal(store_case_get(st, 8, &c), STORE_OK);
	assert_int_equal(c.c_escalated_by, 0);
	free(x);

	/* Case 9 (schema 5 on): an event recorded by mistake, corrected. */
	if (schema >= 5) {
		x = fx_read(st, 9);
		assert_int_equal(x->nt, 3);
		fx_transition(x, 1, "event", "self_reported",
		    "reported by phone");
		fx_transition(x, 2, "correction", "awaiting_self_report",
		    "the family of another case reported");
		snprintf(corrected, sizeof(corrected), "%lld",
		    (long long)x->t[1].t_id);
		assert_string_equal(x->t[2].t_detail, corrected);
		assert_string_equal(x->t[2].t_actor, "leiding-jeugd");
		d = fx_deadline(st, x, "awaiting_self_report");
		assert_true(d->d_active && d->d_running && !d->d_passed);
		free(x);
		/* What the last event of case 8 changed can be undone. */
		assert_int_equal(store_undo_get(st, 8, &tid, &data), STORE_OK);
		assert_non_null(strstr(data, "youth_worker_reports"));
		free(data);
	}

	/* The overdue view: a supervisor sees the escalated cases. */
	fx_overdue(st, boss.tk_id, &so);
	assert_int_equal(so.so_n, 2);
	assert_int_equal(so.so_case[0], 4);
	assert_int_equal(so.so_case[1], 2);

	/*
	 * The history is one intact audit chain, and the tables agree with
	 * it; after the transitions, a mark of the owner of each case.
	 */
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(ar.ar_marks, (int64_t)ncases);
	assert_int_equal(ar.ar_links, links + (int64_t)ncases);
	assert_int_equal(ar.ar_gaps, 0);
	assert_int_equal(ar.ar_cases, (int64_t)ncases);
	/* And the migrated store takes new rows. */
	assert_int_equal(store_begin(st), STORE_OK);
	(void)add_case(st, "Z-NEW", "jeugd-noord", "s");
	assert_int_equal(store_commit(st), STORE_OK);
}

/* The schema version this build migrates to. */
#define SCHEMA_NOW	10

/* A database's PRAGMA user_version, read by SQLite itself. */
static int
user_version(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
test_migrate_access_schema(int schema)
{
	struct store	*st;
	char		 fixture[32], path[64], err[256];

	snprintf(fixture, sizeof(fixture), "schema-%d.db", schema);
	st = open_fixture(fixture, path, sizeof(path));
	assert_int_equal(store_schema_version(st), SCHEMA_NOW);
	check_access_fixture(st, schema);
	store_close(st);
	assert_int_equal(user_version(path), SCHEMA_NOW);
	/* Opened again, there is nothing left to migrate. */
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_schema_version(st), SCHEMA_NOW);
	store_close(st);
	unlink_db(path);
}

static void
test_migrate_from_schema_3(void **state)
{
	(void)state;
	test_migrate_access_schema(3);
}

static void
test_migrate_from_schema_4(void **state)
{
	(void)state;
	test_migrate_access_schema(4);
}

static void
test_migrate_from_schema_5(void **state)
{
	(void)state;
	test_migrate_access_schema(5);
}

static void
test_migrate_from_schema_6(void **state)
{
	(void)state;
	test_migrate_access_schema(6);
}

/*
 * Migration 7 from a database as schema 6 left it: a case whose state's
 * deadline without "then" passed is found waiting on it.  The database is
 * made by this build and taken back to schema 6's shape, with beside the
 * waiting case one whose deadline still runs, which is not found waiting.
 * (schema-6.db holds a waiting case made by schema 6's own termijn, which
 * had to be started again after that deadline passed.)
 */
static void
test_migrate_waiting_from_schema_6(void **state)
{
	struct store	*st;
	struct case_row	 c;
	sqlite3		*db;
	char		 path[64], err[256];
	int64_t		 waits, runs, dl, dl2;

	(void)state;
	new_location(path, sizeof(path));
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_begin(st), STORE_OK);
	waits = add_case(st, "W", "t", "s");
	dl = add_deadline(st, waits, "d", "s", 5000, 1);
	runs = add_case(st, "R", "t", "s");
	dl2 = add_deadline(st, runs, "d", "s", 6000, 1);
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "UPDATE deadlines SET passed = 1 WHERE due = 5000;"
	    "DROP INDEX cases_escalated; DROP INDEX cases_escalated_all;"
	    "DROP INDEX cases_waiting; DROP INDEX cases_waiting_all;"
	    "DROP INDEX deadlines_moment; DROP INDEX cases_closed_at;"
	    "ALTER TABLE cases DROP COLUMN waiting_by;"
	    "ALTER TABLE cases DROP COLUMN waiting_due;"
	    /* Schema 10's own, so that it applies again. */
	    "ALTER TABLE idempotency DROP COLUMN language;"
	    /* Schema 9's own, so that it applies again. */
	    "DROP TABLE chain_marks; DROP INDEX chain_gaps_case;"
	    "DROP INDEX participants_case;"
	    "DROP TRIGGER chain_gaps_no_update;"
	    "DROP TRIGGER chain_gaps_no_delete;"
	    "ALTER TABLE transitions DROP COLUMN workflow;"
	    "ALTER TABLE transitions DROP COLUMN version;"
	    "ALTER TABLE transitions DROP COLUMN final;"
	    "ALTER TABLE chain_head DROP COLUMN encoding_from;"
	    "DROP INDEX route_log_link;"
	    /* Schema 8's own, so that it applies again. */
	    "DROP TABLE routes; DROP TABLE route_log;"
	    "DROP INDEX cases_unrouted;"
	    "ALTER TABLE cases DROP COLUMN unrouted;"
	    "CREATE INDEX cases_escalated ON cases (team, escalated_due, id)"
	    "  WHERE escalated_by IS NOT NULL;"
	    "CREATE INDEX deadlines_waiting ON deadlines (due, id)"
	    "  WHERE passed = 1 AND active = 1 AND then_state = '';"
	    "PRAGMA user_version = 6", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_case_get(st, waits, &c), STORE_OK);
	assert_int_equal(c.c_waiting_by, dl);
	assert_int_equal(c.c_waiting_due, 5000);
	assert_int_equal(store_case_get(st, runs, &c), STORE_OK);
	assert_int_equal(c.c_waiting_by, 0);
	(void)dl2;
	store_close(st);
	unlink_db(path);
}

/*
 * Migration 9 from a database as schema 8 left it: the route log's lines
 * there are become links of the chain, in order, and the routes must be
 * what they leave.  The database is made by this build and taken back to
 * schema 8's shape (schema-8.db has no route).
 */
static void
test_migrate_routes_from_schema_8(void **state)
{
	struct audit_report	 ar;
	struct route_row	 rt;
	struct store		*st;
	sqlite3			*db;
	char			 path[64], err[256];

	(void)state;
	new_location(path, sizeof(path));
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_begin(st), STORE_OK);
	add_team(st, "handhaving");
	add_team(st, "regio");
	memset(&rt, 0, sizeof(rt));
	snprintf(rt.rt_function, sizeof(rt.rt_function), "enforcement");
	snprintf(rt.rt_for_team, sizeof(rt.rt_for_team), "handhaving");
	snprintf(rt.rt_team, sizeof(rt.rt_team), "regio");
	snprintf(rt.rt_actor, sizeof(rt.rt_actor), "admin");
	rt.rt_at = 1000;
	assert_int_equal(store_route_set(st, &rt), STORE_OK);
	assert_int_equal(store_route_remove(st, &rt), STORE_OK);
	rt.rt_at = 2000;
	assert_int_equal(store_route_set(st, &rt), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(ar.ar_marks, 3);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "ALTER TABLE idempotency DROP COLUMN language;"
	    "DROP TABLE chain_marks; DROP INDEX chain_gaps_case;"
	    "DROP INDEX participants_case;"
	    "DROP TRIGGER chain_gaps_no_update;"
	    "DROP TRIGGER chain_gaps_no_delete;"
	    "ALTER TABLE transitions DROP COLUMN workflow;"
	    "ALTER TABLE transitions DROP COLUMN version;"
	    "ALTER TABLE transitions DROP COLUMN final;"
	    "ALTER TABLE chain_head DROP COLUMN encoding_from;"
	    "DROP INDEX route_log_link;"
	    "ALTER TABLE route_log DROP COLUMN link;"
	    "ALTER TABLE route_log DROP COLUMN prev_hash;"
	    "ALTER TABLE route_log DROP COLUMN hash;"
	    "UPDATE chain_head SET id = 0, hash = zeroblob(32);"
	    "PRAGMA user_version = 8", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	/* Migrated: three lines, three links, and the route agrees. */
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(ar.ar_links, 3);
	assert_int_equal(ar.ar_marks, 3);
	store_close(st);
	/* The log is append-only again, and a route changed is found. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE route_log SET team ="
	    " 'handhaving'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE routes SET team ="
	    " 'handhaving'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 1);
	assert_non_null(strstr(ar.ar_msg, "route enforcement for team"
	    " 'handhaving': the routes table has team 'handhaving' fill it,"
	    " but the route log (link 3) has team 'regio'"));
	store_close(st);
	unlink_db(path);
}

/* A database from a newer termijn is refused, and left as it was. */
static void
test_newer_schema_refused(void **state)
{
	sqlite3		*db;
	struct store	*st;
	char		 path[64], err[256];
	int		 v = 0;

	(void)state;
	st = open_fixture("schema-2.db", path, sizeof(path));
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "schema version 99"));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt	*s;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version",
		    -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	assert_int_equal(v, 99);
	unlink_db(path);
}

int
main(void)
{
	const struct CMUnitTest contract[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test_setup_teardown(test_transactions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_list_and_paging,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_current_deadlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rung_queue_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ledger_uniqueness, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rung_cancel_and_hand_over,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_transitions_and_notifications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_of_case, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_teams, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visibility, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_idempotency, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_and_destruction,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_workflow_versions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overdue_order, setup,
		    teardown),
	};
	/* The fixtures are SQLite files: for the SQLite backend only. */
	const struct CMUnitTest sqlite[] = {
		cmocka_unit_test(test_migrate_from_schema_1),
		cmocka_unit_test(test_migrate_from_schema_2),
		cmocka_unit_test(test_migrate_from_schema_3),
		cmocka_unit_test(test_migrate_from_schema_4),
		cmocka_unit_test(test_migrate_from_schema_5),
		cmocka_unit_test(test_migrate_from_schema_6),
		cmocka_unit_test(test_migrate_waiting_from_schema_6),
		cmocka_unit_test(test_migrate_routes_from_schema_8),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test_setup_teardown(test_scrub_held_back, setup,
		    teardown),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store contract", contract, NULL,
	    NULL);
	if (getenv("TERMIJN_STORE_LOCATION") == NULL)
		failed += cmocka_run_group_tests_name("sqlite migrations",
		    sqlite, NULL, NULL);
	return failed != 0;
}
