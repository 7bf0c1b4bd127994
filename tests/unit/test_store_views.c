/*
 * termijn: the store's contract: the supervisor's views and the report.
 * Overdue, at risk and suspended deadlines, each in its order from a
 * cursor on, a page at a time; the counts of the summary; the work queue,
 * unassigned and oldest first; the report's deadlines and closed cases;
 * and in each only the cases the token may see (store_fixture.h says
 * where the store is).
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
 * A deadline of a case as the views see it: its period (one with a time
 * part counts in hours), kind and due moment, and how it runs: "a" active,
 * "r" running, "p" passed; one that does not run is suspended since 500
 * before its moment.
 */
static int64_t
add_dl(struct store *st, int64_t case_id, const char *period,
    const char *kind, int64_t due, const char *how)
{
	struct deadline_row	d;

	memset(&d, 0, sizeof(d));
	d.d_case = case_id;
	snprintf(d.d_name, sizeof(d.d_name), "d");
	snprintf(d.d_state, sizeof(d.d_state), "s");
	snprintf(d.d_period, sizeof(d.d_period), "%s", period);
	snprintf(d.d_rule, sizeof(d.d_rule), "plain");
	snprintf(d.d_kind, sizeof(d.d_kind), "%s", kind);
	d.d_anchor = 100;
	d.d_due = due;
	d.d_active = strchr(how, 'a') != NULL;
	d.d_running = strchr(how, 'r') != NULL;
	d.d_passed = strchr(how, 'p') != NULL;
	if (!d.d_running)
		d.d_suspended_since = due - 500;
	assert_int_equal(store_deadline_insert(st, &d), STORE_OK);
	return d.d_id;
}

/* A page of a view: its deadlines, and the cursor of the last. */
struct page {
	int64_t	pg_id[32];
	int	pg_n;
	int64_t	pg_due;
	int64_t	pg_since;
};

static enum store_status
page_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct page	*pg = arg;

	(void)c;
	assert_true(pg->pg_n < 32);
	pg->pg_id[pg->pg_n++] = d->d_id;
	pg->pg_due = d->d_due;
	pg->pg_since = d->d_suspended_since;
	return STORE_OK;
}

enum view {
	V_AT_RISK,
	V_SUSPENDED,
};

/*
 * Every row of a view, read a page of limit rows at a time from the
 * start, each page after the cursor of the one before.
 */
static void
all_pages(struct store *st, enum view v, struct view_filter *vf,
    const struct risk_window *rw, int limit, struct ids *all)
{
	struct page	pg;
	int		i, pages;

	memset(all, 0, sizeof(*all));
	vf->vf_after_due = INT64_MIN;
	vf->vf_after_id = 0;
	vf->vf_limit = limit;
	for (pages = 0; pages < 64; pages++) {
		memset(&pg, 0, sizeof(pg));
		if (v == V_AT_RISK)
			assert_int_equal(store_at_risk(st, vf, rw, page_cb,
			    &pg), STORE_OK);
		else
			assert_int_equal(store_suspended(st, vf, page_cb, &pg),
			    STORE_OK);
		assert_true(pg.pg_n <= limit);
		for (i = 0; i < pg.pg_n; i++)
			(void)ids_add(all, pg.pg_id[i]);
		if (pg.pg_n < limit)
			return;
		vf->vf_after_due = v == V_SUSPENDED ? pg.pg_since : pg.pg_due;
		vf->vf_after_id = pg.pg_id[pg.pg_n - 1];
	}
	fail_msg("a view that never ends");
}

/* Whether a walk gave exactly these ids, in this order. */
static void
assert_ids(const struct ids *l, const int64_t *want, size_t n)
{
	size_t	i;

	assert_int_equal(l->n, n);
	for (i = 0; i < n; i++)
		assert_int_equal(l->id[i], want[i]);
}

/*
 * At risk: running deadlines that have not passed and whose moment is
 * after now, an hour deadline's at or before rw_until, a day deadline's at
 * or before rw_until_day; by (due, deadline id), a page at a time; the
 * filters narrow it; a team that takes part in a case sees its deadlines.
 */
static void
test_at_risk(void **state)
{
	struct fixture		*fx = *state;
	struct view_filter	 vf;
	struct risk_window	 rw;
	struct participant_row	 p;
	struct case_row		 c;
	struct ids		 l;
	int64_t			 tok, a, z, in1, in2, tie, hours, zd;
	int64_t			 want[5];
	int			 limit;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "n", "supervisor", "noord", 1, 0);
	a = add_case(fx->st, "A", "noord", "s");
	z = add_case(fx->st, "Z", "zuid", "s");
	in1 = add_dl(fx->st, a, "P6W", "agreement", 3000, "ar");
	in2 = add_dl(fx->st, a, "P6W", "statutory", 6000, "ar");
	(void)add_dl(fx->st, a, "P6W", "agreement", 6001, "ar");
	(void)add_dl(fx->st, a, "P6W", "agreement", 1000, "ar");
	(void)add_dl(fx->st, a, "PT48H", "agreement", 5500, "ar");
	hours = add_dl(fx->st, a, "PT2H", "agreement", 4000, "ar");
	(void)add_dl(fx->st, a, "P6W", "agreement", 2000, "a");
	(void)add_dl(fx->st, a, "P6W", "agreement", 2000, "arp");
	(void)add_dl(fx->st, a, "P6W", "agreement", 2000, "r");
	tie = add_dl(fx->st, a, "P6W", "agreement", 3000, "ar");
	zd = add_dl(fx->st, z, "P6W", "agreement", 2500, "ar");
	rw.rw_now = 1000;
	rw.rw_until = 5000;
	rw.rw_until_day = 6000;

	want[0] = in1;
	want[1] = tie;
	want[2] = hours;
	want[3] = in2;
	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	for (limit = 1; limit <= 5; limit++) {
		all_pages(fx->st, V_AT_RISK, &vf, &rw, limit, &l);
		assert_ids(&l, want, 4);
	}
	vf.vf_kind = "statutory";
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 10, &l);
	assert_ids(&l, &in2, 1);
	vf.vf_kind = NULL;
	vf.vf_state = "other";
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 10, &l);
	assert_int_equal(l.n, 0);
	vf.vf_state = "s";
	vf.vf_workflow = "bijstand";
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 10, &l);
	assert_int_equal(l.n, 0);
	vf.vf_workflow = "zelfmelding";
	vf.vf_assignee = "w";
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 10, &l);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	snprintf(c.c_assignee, sizeof(c.c_assignee), "w");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 10, &l);
	assert_int_equal(l.n, 4);

	/* noord takes part in zuid's case: it sees its deadline too. */
	memset(&p, 0, sizeof(p));
	p.p_case = z;
	snprintf(p.p_team, sizeof(p.p_team), "noord");
	snprintf(p.p_basis, sizeof(p.p_basis), "consent");
	snprintf(p.p_added_by, sizeof(p.p_added_by), "z");
	p.p_since = 500;
	assert_int_equal(store_participant_add(fx->st, &p), STORE_OK);
	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 2, &l);
	want[0] = zd;
	want[1] = in1;
	want[2] = tie;
	want[3] = hours;
	want[4] = in2;
	assert_ids(&l, want, 5);
	vf.vf_team = "zuid";
	all_pages(fx->st, V_AT_RISK, &vf, &rw, 10, &l);
	assert_ids(&l, &zd, 1);
}

/*
 * Suspended: the active deadlines that do not run, by (since, deadline
 * id), a page at a time; another team's are not shown.
 */
static void
test_suspended(void **state)
{
	struct fixture		*fx = *state;
	struct view_filter	 vf;
	struct ids		 l;
	int64_t			 tok, a, z, want[3];
	int			 limit;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "n", "supervisor", "noord", 1, 0);
	a = add_case(fx->st, "A", "noord", "s");
	z = add_case(fx->st, "Z", "zuid", "s");
	want[1] = add_dl(fx->st, a, "P6W", "agreement", 2000, "a");
	want[0] = add_dl(fx->st, a, "P6W", "statutory", 1700, "a");
	want[2] = add_dl(fx->st, a, "P6W", "agreement", 2000, "a");
	(void)add_dl(fx->st, a, "P6W", "agreement", 1500, "");
	(void)add_dl(fx->st, a, "P6W", "agreement", 1500, "ar");
	(void)add_dl(fx->st, z, "P6W", "agreement", 1500, "a");

	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	for (limit = 1; limit <= 4; limit++) {
		all_pages(fx->st, V_SUSPENDED, &vf, NULL, limit, &l);
		assert_ids(&l, want, 3);
	}
	vf.vf_kind = "statutory";
	all_pages(fx->st, V_SUSPENDED, &vf, NULL, 10, &l);
	assert_ids(&l, want, 1);
	vf.vf_kind = NULL;
	vf.vf_team = "zuid";
	all_pages(fx->st, V_SUSPENDED, &vf, NULL, 10, &l);
	assert_int_equal(l.n, 0);
}

/* Move a case into a state since a moment, assigned to someone or "". */
static void
set_state(struct store *st, int64_t id, const char *state, int64_t since,
    const char *assignee, int final)
{
	struct case_row	c;

	assert_int_equal(store_case_get(st, id, &c), STORE_OK);
	snprintf(c.c_state, sizeof(c.c_state), "%s", state);
	snprintf(c.c_assignee, sizeof(c.c_assignee), "%s", assignee);
	c.c_state_since = since;
	c.c_final = final;
	assert_int_equal(store_case_update_state(st, &c), STORE_OK);
}

/* The rows of a summary, as "team/workflow/state/kind=o,r,s,n;". */
static enum store_status
summary_cb(const struct summary_row *sm, void *arg)
{
	char	*out = arg;
	size_t	 len = strlen(out);

	snprintf(out + len, 512 - len, "%s/%s/%s/%s=%lld,%lld,%lld,%lld;",
	    sm->sm_team, sm->sm_workflow, sm->sm_state, sm->sm_kind,
	    (long long)sm->sm_overdue, (long long)sm->sm_at_risk,
	    (long long)sm->sm_suspended, (long long)sm->sm_running);
	return STORE_OK;
}

/*
 * The summary counts the open cases' deadlines the token sees, per team,
 * workflow, state and kind, in that order: overdue as store_overdue
 * (the deadline a case escalated by or waits on), at risk as
 * store_at_risk, suspended, and running (at risk or not).
 */
static void
test_summary(void **state)
{
	struct fixture		*fx = *state;
	struct view_filter	 vf;
	struct risk_window	 rw;
	struct case_row		 c;
	char			 out[512];
	int64_t			 tok, a, b, w, d, z;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "n", "supervisor", "noord", 1, 0);
	a = add_case(fx->st, "A", "noord", "s");
	(void)add_dl(fx->st, a, "P6W", "agreement", 3000, "ar");
	(void)add_dl(fx->st, a, "P6W", "agreement", 9000, "ar");
	(void)add_dl(fx->st, a, "P6W", "agreement", 3000, "a");
	(void)add_dl(fx->st, a, "P6W", "agreement", 3000, "r");
	/* Escalated by a deadline that passed and stopped. */
	b = add_case(fx->st, "B", "noord", "s");
	d = add_dl(fx->st, b, "P6W", "statutory", 800, "rp");
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_OK);
	c.c_escalated_by = d;
	c.c_escalated_due = 800;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	/* Waiting on its state's deadline without "then". */
	w = add_case(fx->st, "W", "noord", "s");
	d = add_dl(fx->st, w, "P6W", "statutory", 900, "arp");
	assert_int_equal(store_case_get(fx->st, w, &c), STORE_OK);
	c.c_waiting_by = d;
	c.c_waiting_due = 900;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	/* A closed case and another team's count for nothing. */
	d = add_case(fx->st, "C", "noord", "closed");
	(void)add_dl(fx->st, d, "P6W", "agreement", 3000, "ar");
	set_state(fx->st, d, "closed", 2000, "", 1);
	z = add_case(fx->st, "Z", "zuid", "s");
	(void)add_dl(fx->st, z, "P6W", "agreement", 3000, "ar");
	rw.rw_now = 1000;
	rw.rw_until = 5000;
	rw.rw_until_day = 6000;

	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	out[0] = '\0';
	assert_int_equal(store_summary(fx->st, &vf, &rw, summary_cb, out),
	    STORE_OK);
	assert_string_equal(out, "noord/zelfmelding/s/agreement=0,1,1,2;"
	    "noord/zelfmelding/s/statutory=2,0,0,0;");
	vf.vf_kind = "statutory";
	out[0] = '\0';
	assert_int_equal(store_summary(fx->st, &vf, &rw, summary_cb, out),
	    STORE_OK);
	assert_string_equal(out, "noord/zelfmelding/s/statutory=2,0,0,0;");
	vf.vf_kind = NULL;
	vf.vf_team = "zuid";
	out[0] = '\0';
	assert_int_equal(store_summary(fx->st, &vf, &rw, summary_cb, out),
	    STORE_OK);
	assert_string_equal(out, "");
}

/*
 * The queue: the open cases in the queue states given (workflow, version,
 * state) that the token sees, unassigned first, then those in their state
 * longest, then by id; a page goes on after the cursor (assigned or not,
 * since, id) of the one before.
 */
static void
test_queue(void **state)
{
	static const struct queue_state qs[] = {
		{ "zelfmelding", 1, "intake" },
		{ "zelfmelding", 1, "review" },
	};
	struct view_filter	 vf;
	struct fixture		*fx = *state;
	struct case_row		 c, last;
	struct ids		 l;
	int64_t			 tok, q[4], want[4];
	int			 limit, pages;
	size_t			 i;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "n", "supervisor", "noord", 1, 0);
	for (i = 0; i < nitems(q); i++)
		q[i] = add_case(fx->st, "Q", "noord", "s");
	set_state(fx->st, q[0], "intake", 3000, "", 0);
	set_state(fx->st, q[1], "review", 1000, "w", 0);
	set_state(fx->st, q[2], "review", 2000, "", 0);
	set_state(fx->st, q[3], "intake", 2000, "", 0);
	set_state(fx->st, add_case(fx->st, "X", "noord", "s"), "other", 500,
	    "", 0);
	set_state(fx->st, add_case(fx->st, "X", "noord", "s"), "intake", 500,
	    "", 1);
	set_state(fx->st, add_case(fx->st, "X", "zuid", "s"), "intake", 500,
	    "", 0);
	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "zelfmelding");
	c.c_version = 2;
	snprintf(c.c_reference, sizeof(c.c_reference), "V2");
	snprintf(c.c_team, sizeof(c.c_team), "noord");
	snprintf(c.c_state, sizeof(c.c_state), "intake");
	c.c_state_since = 500;
	assert_int_equal(store_case_insert(fx->st, &c), STORE_OK);

	want[0] = q[2];
	want[1] = q[3];
	want[2] = q[0];
	want[3] = q[1];
	for (limit = 1; limit <= 5; limit++) {
		memset(&vf, 0, sizeof(vf));
		vf.vf_token = tok;
		vf.vf_limit = limit;
		vf.vf_after_due = INT64_MIN;
		memset(&l, 0, sizeof(l));
		for (pages = 0; pages < 10; pages++) {
			size_t	before = l.n;

			assert_int_equal(store_queue(fx->st, &vf, qs,
			    nitems(qs), case_cb, &l), STORE_OK);
			if (l.n - before < (size_t)limit)
				break;
			assert_int_equal(store_case_get(fx->st, l.id[l.n - 1],
			    &last), STORE_OK);
			vf.vf_after_flag = last.c_assignee[0] != '\0';
			vf.vf_after_due = last.c_state_since;
			vf.vf_after_id = last.c_id;
		}
		assert_ids(&l, want, 4);
	}
	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	vf.vf_limit = 10;
	vf.vf_after_due = INT64_MIN;
	vf.vf_assignee = "w";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_queue(fx->st, &vf, qs, nitems(qs), case_cb,
	    &l), STORE_OK);
	assert_ids(&l, &q[1], 1);
	vf.vf_assignee = NULL;
	vf.vf_state = "intake";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_queue(fx->st, &vf, qs, nitems(qs), case_cb,
	    &l), STORE_OK);
	assert_int_equal(l.n, 2);
	/* No queue states: no queue. */
	vf.vf_state = NULL;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_queue(fx->st, &vf, qs, 0, case_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 0);
}

/*
 * The report: the deadlines whose moment lies in (from, to], whether they
 * still run or not, and the cases closed in [from, to), of the cases the
 * token sees, each walked whole in id order, whatever vf_limit says.
 */
static void
test_report(void **state)
{
	struct fixture		*fx = *state;
	struct view_filter	 vf;
	struct ids		 l;
	int64_t			 tok, a, z, want[3], closed[2];

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "n", "supervisor", "noord", 1, 0);
	a = add_case(fx->st, "A", "noord", "s");
	z = add_case(fx->st, "Z", "zuid", "s");
	(void)add_dl(fx->st, a, "P6W", "agreement", 1000, "ar");
	want[0] = add_dl(fx->st, a, "P6W", "agreement", 2000, "ar");
	want[1] = add_dl(fx->st, a, "P6W", "statutory", 1001, "rp");
	want[2] = add_dl(fx->st, a, "P6W", "agreement", 1500, "");
	(void)add_dl(fx->st, a, "P6W", "agreement", 2001, "ar");
	(void)add_dl(fx->st, z, "P6W", "agreement", 1500, "ar");

	memset(&vf, 0, sizeof(vf));
	vf.vf_token = tok;
	vf.vf_limit = 1;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_report_deadlines(fx->st, &vf, 1000, 2000,
	    case_deadline_cb, &l), STORE_OK);
	assert_ids(&l, want, 3);
	vf.vf_kind = "statutory";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_report_deadlines(fx->st, &vf, 1000, 2000,
	    case_deadline_cb, &l), STORE_OK);
	assert_ids(&l, &want[1], 1);
	vf.vf_kind = NULL;

	closed[1] = add_case(fx->st, "C2", "noord", "s");
	closed[0] = add_case(fx->st, "C1", "noord", "s");
	set_state(fx->st, closed[1], "closed", 1000, "", 1);
	set_state(fx->st, closed[0], "closed", 1999, "", 1);
	set_state(fx->st, add_case(fx->st, "C3", "noord", "s"), "closed",
	    2000, "", 1);
	set_state(fx->st, add_case(fx->st, "C4", "noord", "s"), "closed", 999,
	    "", 1);
	set_state(fx->st, add_case(fx->st, "C5", "noord", "s"), "open", 1500,
	    "", 0);
	set_state(fx->st, add_case(fx->st, "C6", "zuid", "s"), "closed", 1500,
	    "", 1);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_report_closed(fx->st, &vf, 1000, 2000, case_cb,
	    &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], closed[1]);
	assert_int_equal(l.id[1], closed[0]);
	vf.vf_team = "zuid";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_report_closed(fx->st, &vf, 1000, 2000, case_cb,
	    &l), STORE_OK);
	assert_int_equal(l.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_overdue_order),
		FIXTURE_TEST(test_at_risk),
		FIXTURE_TEST(test_suspended),
		FIXTURE_TEST(test_summary),
		FIXTURE_TEST(test_queue),
		FIXTURE_TEST(test_report),
	};

	return cmocka_run_group_tests_name("store contract: views", tests,
	    NULL, NULL);
}
