/* termijn: the SQLite store: the supervisor's views and monitoring counts. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "termijn/util.h"

#include "store_sqlite_int.h"

/*
 * The monitoring scans run on a connection of their own (a thread's) and
 * would fill its page cache, 32 MiB, with pages nobody reads again: the
 * cache is cut to 1 MiB while they run.
 */
static int
sq_scan_begin(struct sqlite_store *sq)
{
	return sq_exec(sq, "PRAGMA cache_size = " SQ_SCAN_CACHE_SIZE);
}

static void
sq_scan_end(struct sqlite_store *sq)
{
	sq_exec(sq, "PRAGMA cache_size = " SQ_CACHE_SIZE);
}

/*
 * For GROUP BY SQLite would sort a million rows, in memory (temp_store):
 * with the page cache, a hundred MiB at a million cases.  The rows are
 * added up here instead, in a list as short as the number of states used.
 */
enum store_status
sq_case_counts(struct store *st, store_count_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct count {
		char	workflow[STORE_NAME_LEN];
		char	state[STORE_NAME_LEN];
		int64_t	n;
	}			*counts = NULL, *c;
	sqlite3_stmt		*s;
	enum store_status	 rc;
	const char		*wf, *state;
	size_t			 n = 0, i, last = 0;

	if (sq_scan_begin(sq) == -1)
		return STORE_FAILED;
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT workflow, state FROM cases",
	    -1, &s, NULL) != SQLITE_OK) {
		rc = sq_fail(sq, NULL, "counting cases");
		goto done;
	}
	while ((rc = sq_row(sq, s, "counting cases")) == STORE_OK) {
		wf = (const char *)sqlite3_column_text(s, 0);
		state = (const char *)sqlite3_column_text(s, 1);
		if (wf == NULL || state == NULL)
			continue;
		/* Rows come in id order: the last match is the likely one. */
		if (n > 0 && strcmp(counts[last].state, state) == 0 &&
		    strcmp(counts[last].workflow, wf) == 0) {
			counts[last].n++;
			continue;
		}
		for (i = 0; i < n; i++)
			if (strcmp(counts[i].state, state) == 0 &&
			    strcmp(counts[i].workflow, wf) == 0)
				break;
		if (i == n) {
			counts = xreallocarray(counts, n + 1, sizeof(*counts));
			c = &counts[n++];
			snprintf(c->workflow, sizeof(c->workflow), "%s", wf);
			snprintf(c->state, sizeof(c->state), "%s", state);
			c->n = 0;
		}
		counts[i].n++;
		last = i;
	}
	sqlite3_finalize(s);
	if (rc != STORE_NOTFOUND)
		goto done;
	rc = STORE_OK;
	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = cb(counts[i].workflow, counts[i].state, counts[i].n, arg);
done:
	free(counts);
	sq_scan_end(sq);
	return rc;
}

/* Pending rungs are read from their partial index alone. */
enum store_status
sq_rung_counts(struct store *st, int64_t now, int64_t *pending, int64_t *due)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if (sq_scan_begin(sq) == -1)
		return STORE_FAILED;
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT count(*), coalesce(sum(due"
	    " <= ?), 0) FROM rungs WHERE fired_at IS NULL", -1, &s, NULL) !=
	    SQLITE_OK) {
		rc = sq_fail(sq, NULL, "counting rungs");
		sq_scan_end(sq);
		return rc;
	}
	sqlite3_bind_int64(s, 1, now);
	if ((rc = sq_row(sq, s, "counting rungs")) == STORE_OK) {
		*pending = sqlite3_column_int64(s, 0);
		*due = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	sq_scan_end(sq);
	return rc;
}

/*
 * The supervisor's views are built per call from fixed fragments, like
 * the list of cases: the filters combine freely, values are always bound.
 * Parameters: ?1 the token, ?2 team, ?3 workflow, ?4 state, ?5 assignee,
 * ?6 kind (unused ones stay NULL and their fragment out), ?7 on for each
 * view's own.
 */
static void
view_where(const struct view_filter *vf, int with_kind, char *buf, size_t len)
{
	snprintf(buf, len, " AND " VISIBLE_TO("1") "%s%s%s%s%s",
	    vf->vf_team ? " AND cases.team = ?2" : "",
	    vf->vf_workflow ? " AND cases.workflow = ?3" : "",
	    vf->vf_state ? " AND cases.state = ?4" : "",
	    vf->vf_assignee ? " AND cases.assignee = ?5" : "",
	    with_kind && vf->vf_kind ? " AND deadlines.kind = ?6" : "");
}

static void
view_bind(sqlite3_stmt *s, const struct view_filter *vf)
{
	sqlite3_bind_int64(s, 1, vf->vf_token);
	if (vf->vf_team)
		sqlite3_bind_text(s, 2, vf->vf_team, -1, SQLITE_STATIC);
	if (vf->vf_workflow)
		sqlite3_bind_text(s, 3, vf->vf_workflow, -1, SQLITE_STATIC);
	if (vf->vf_state)
		sqlite3_bind_text(s, 4, vf->vf_state, -1, SQLITE_STATIC);
	if (vf->vf_assignee)
		sqlite3_bind_text(s, 5, vf->vf_assignee, -1, SQLITE_STATIC);
	if (vf->vf_kind)
		sqlite3_bind_text(s, 6, vf->vf_kind, -1, SQLITE_STATIC);
}

/* Walk a prepared view statement whose rows are a case, then a deadline. */
static enum store_status
view_walk(struct sqlite_store *sq, sqlite3_stmt *s, const char *what,
    store_case_deadline_cb *cb, void *arg)
{
	struct case_row		c;
	struct deadline_row	d;
	enum store_status	rc;
	int			stopped = 0;

	while ((rc = sq_row(sq, s, what)) == STORE_OK) {
		sq_case_from_row(s, &c);
		sq_deadline_from_cols(s, CASE_NCOLUMNS, &d);
		if ((rc = cb(&c, &d, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_final(s, rc, stopped);
}

/*
 * A view over the deadlines whose moment lies in (lo, hi]: the statement
 * head, the filters, then its tail (order, limit ?9), walked as a case and
 * a deadline per row.
 */
static enum store_status
view_between(struct sqlite_store *sq, const struct view_filter *vf,
    const char *head, const char *tail, int64_t lo, int64_t hi,
    const char *what, store_case_deadline_cb *cb, void *arg)
{
	sqlite3_stmt		*s;
	char			 where[1024], sql[8192];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS
	    " FROM deadlines JOIN cases ON cases.id = deadlines.case_id"
	    " WHERE deadlines.due > ?7 AND deadlines.due <= ?8 AND %s%s%s",
	    head, where, tail);
	if ((rc = sq_prepare(sq, sql, &s, what)) != STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, lo);
	sqlite3_bind_int64(s, 8, hi);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	return view_walk(sq, s, what, cb, arg);
}

/*
 * Overdue, as engine.h defines late (engine_late): two ordered parts,
 * merged by (moment, deadline id).  A case that escalated remembers the
 * deadline that brought it into its state; one whose state's deadline
 * without "then" passed remembers that one; each with its moment.  Both
 * are indexed by team and by moment and deadline (migration 5), the
 * view's own order, so that each part is an index walk that starts at the
 * cursor, and the merge stops at the end of the page: a page reads about
 * a page of rows, however many cases there are.  The
 * visibility check needs only the index's team, so that a token without a
 * team filter skips other teams' cases without reading them.
 */
enum store_status
sq_overdue(struct store *st, const struct view_filter *vf,
    store_case_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[8192];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql),
	    "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS ","
	    " cases.escalated_due AS k_due, cases.escalated_by AS k_id"
	    " FROM cases JOIN deadlines ON deadlines.id = cases.escalated_by"
	    " WHERE cases.escalated_by IS NOT NULL AND cases.final = 0%s AND"
	    " (cases.escalated_due, cases.escalated_by) > (?7, ?8)"
	    " UNION ALL SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS ","
	    " cases.waiting_due, cases.waiting_by"
	    " FROM cases JOIN deadlines ON deadlines.id = cases.waiting_by"
	    " WHERE cases.waiting_by IS NOT NULL AND cases.final = 0%s AND"
	    " (cases.waiting_due, cases.waiting_by) > (?7, ?8)"
	    " ORDER BY k_due, k_id LIMIT ?9", where, where);
	if ((rc = sq_prepare(sq, sql, &s, "finding what is overdue")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, vf->vf_after_due);
	sqlite3_bind_int64(s, 8, vf->vf_after_id);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	return view_walk(sq, s, "finding what is overdue", cb, arg);
}

/*
 * A deadline at risk in the window of ?7 (now), ?8 (the end of the last
 * day a day deadline may have) and ?10 (the last moment of an hour
 * deadline, a period with a time part: deadlines.hours): a day deadline's
 * due is the start of the day after its last day.  ?8 is never before
 * ?10, so that "due <= ?8" bounds the walk of the index on due.
 */
#define AT_RISK \
	"deadlines.active = 1 AND deadlines.running = 1 AND" \
	" deadlines.passed = 0 AND deadlines.due > ?7 AND deadlines.due <= ?8" \
	" AND (deadlines.hours = 0 OR deadlines.due <= ?10)"

enum store_status
sq_at_risk(struct store *st, const struct view_filter *vf,
    const struct risk_window *rw, store_case_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[8192];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS
	    " FROM deadlines JOIN cases ON cases.id = deadlines.case_id"
	    " WHERE " AT_RISK "%s AND (deadlines.due, deadlines.id) >"
	    " (?11, ?12) ORDER BY deadlines.due, deadlines.id LIMIT ?9",
	    where);
	if ((rc = sq_prepare(sq, sql, &s, "finding what is at risk")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, rw->rw_now);
	sqlite3_bind_int64(s, 8, rw->rw_until_day);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	sqlite3_bind_int64(s, 10, rw->rw_until);
	sqlite3_bind_int64(s, 11, vf->vf_after_due);
	sqlite3_bind_int64(s, 12, vf->vf_after_id);
	return view_walk(sq, s, "finding what is at risk", cb, arg);
}

enum store_status
sq_suspended(struct store *st, const struct view_filter *vf,
    store_case_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[8192];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS
	    " FROM deadlines JOIN cases ON cases.id = deadlines.case_id"
	    " WHERE deadlines.active = 1 AND deadlines.running = 0%s AND"
	    " (ifnull(deadlines.suspended_since, 0), deadlines.id) > (?7, ?8)"
	    " ORDER BY ifnull(deadlines.suspended_since, 0), deadlines.id"
	    " LIMIT ?9", where);
	if ((rc = sq_prepare(sq, sql, &s, "finding what is suspended")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, vf->vf_after_due);
	sqlite3_bind_int64(s, 8, vf->vf_after_id);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	return view_walk(sq, s, "finding what is suspended", cb, arg);
}

/*
 * Counts per team, workflow, state and kind of the open cases' active
 * deadlines, and of the cases that escalated (overdue by the deadline that
 * brought them into their state).  Overdue counts what sq_overdue lists:
 * the deadlines the open cases remember, as engine.h defines late.
 */
enum store_status
sq_summary(struct store *st, const struct view_filter *vf,
    const struct risk_window *rw, store_summary_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct summary_row	 sm;
	sqlite3_stmt		*s;
	char			 where[1024], sql[8192];
	enum store_status	 rc;
	int			 stopped = 0;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql),
	    "SELECT cases.team, cases.workflow, cases.state, deadlines.kind,"
	    " sum(deadlines.id = cases.escalated_by OR"
	    " deadlines.id = cases.waiting_by),"
	    " sum(" AT_RISK "),"
	    " sum(deadlines.active = 1 AND deadlines.running = 0),"
	    " sum(deadlines.active = 1 AND deadlines.running = 1 AND"
	    " deadlines.passed = 0)"
	    " FROM cases JOIN deadlines ON deadlines.case_id = cases.id"
	    " WHERE cases.final = 0 AND (deadlines.active = 1 OR"
	    " deadlines.id = cases.escalated_by)%s"
	    " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", where);
	if ((rc = sq_prepare(sq, sql, &s, "counting deadlines")) != STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, rw->rw_now);
	sqlite3_bind_int64(s, 8, rw->rw_until_day);
	sqlite3_bind_int64(s, 10, rw->rw_until);
	while ((rc = sq_row(sq, s, "counting deadlines")) == STORE_OK) {
		memset(&sm, 0, sizeof(sm));
		sq_col_text(s, 0, sm.sm_team, sizeof(sm.sm_team));
		sq_col_text(s, 1, sm.sm_workflow, sizeof(sm.sm_workflow));
		sq_col_text(s, 2, sm.sm_state, sizeof(sm.sm_state));
		sq_col_text(s, 3, sm.sm_kind, sizeof(sm.sm_kind));
		sm.sm_overdue = sqlite3_column_int64(s, 4);
		sm.sm_at_risk = sqlite3_column_int64(s, 5);
		sm.sm_suspended = sqlite3_column_int64(s, 6);
		sm.sm_running = sqlite3_column_int64(s, 7);
		if ((rc = cb(&sm, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_final(s, rc, stopped);
}

/*
 * The open cases in queue states: unassigned first, then the ones waiting
 * longest; the cursor is the last case's place in that order.  Without a
 * team it is a walk of the table: "+cases.final" keeps SQLite from
 * walking a partial index of open cases instead (cases_reference), whose
 * order sends it all over the table for the same rows.
 */
enum store_status
sq_queue(struct store *st, const struct view_filter *vf,
    const struct queue_state *qs, size_t n, store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], *sql, *states = NULL, *prev;
	enum store_status	 rc;
	size_t			 i;

	if (n == 0)
		return STORE_OK;
	for (i = 0; i < n; i++) {
		prev = states;
		xasprintf(&states, "%s%s(?%zu, ?%zu, ?%zu)", prev ? prev : "",
		    i ? ", " : "", 10 + 3 * i, 11 + 3 * i, 12 + 3 * i);
		free(prev);
	}
	view_where(vf, 0, where, sizeof(where));
	xasprintf(&sql, "SELECT " CASE_COLUMNS " FROM cases WHERE"
	    " +cases.final = 0 AND (cases.workflow, cases.version, cases.state)"
	    " IN (VALUES %s)%s AND (cases.assignee IS NOT NULL,"
	    " cases.state_since, cases.id) > (?7, ?8, ?9) ORDER BY"
	    " cases.assignee IS NOT NULL, cases.state_since, cases.id"
	    " LIMIT ?6", states, where);
	free(states);
	rc = sq_prepare(sq, sql, &s, "reading a queue");
	free(sql);
	if (rc != STORE_OK)
		return rc;
	view_bind(s, vf);
	/* ?6 is the limit here: a queue has no deadline kind. */
	sqlite3_bind_int(s, 6, vf->vf_limit);
	sqlite3_bind_int(s, 7, vf->vf_after_flag);
	sqlite3_bind_int64(s, 8, vf->vf_after_due);
	sqlite3_bind_int64(s, 9, vf->vf_after_id);
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(s, (int)(10 + 3 * i), qs[i].qs_workflow, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(s, (int)(11 + 3 * i), qs[i].qs_version);
		sqlite3_bind_text(s, (int)(12 + 3 * i), qs[i].qs_state, -1,
		    SQLITE_STATIC);
	}
	return sq_case_walk(sq, s, "reading a queue", cb, arg, 1);
}

/*
 * The report's rows: deadlines whose moment lies in (from, to] (a day
 * deadline's moment is the midnight after its last day, so that the last
 * day lies in [from, to)), and the cases closed in [from, to), of the cases
 * the token sees.  Walked whole: the engine adds them up.
 */
enum store_status
sq_report_deadlines(struct store *st, const struct view_filter *vf,
    int64_t from, int64_t to, store_case_deadline_cb *cb, void *arg)
{
	return view_between(SQ(st), vf, "1", " ORDER BY deadlines.id", from,
	    to, "reading deadlines for a report", cb, arg);
}

enum store_status
sq_report_closed(struct store *st, const struct view_filter *vf,
    int64_t from, int64_t to, store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[8192];
	enum store_status	 rc;

	view_where(vf, 0, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS " FROM cases"
	    " WHERE cases.final = 1 AND cases.state_since >= ?7 AND"
	    " cases.state_since < ?8%s ORDER BY cases.id", where);
	if ((rc = sq_prepare(sq, sql, &s, "reading closed cases")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, from);
	sqlite3_bind_int64(s, 8, to);
	return sq_case_walk(sq, s, "reading closed cases", cb, arg, 1);
}
