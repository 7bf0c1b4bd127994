/* termijn: the SQLite store: cases, deadlines, rungs, transitions. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

#include "store_sqlite_int.h"

void
sq_case_from_row(sqlite3_stmt *s, struct case_row *c)
{
	c->c_id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, c->c_workflow, sizeof(c->c_workflow));
	c->c_version = sqlite3_column_int(s, 2);
	sq_col_text(s, 3, c->c_reference, sizeof(c->c_reference));
	sq_col_text(s, 4, c->c_team, sizeof(c->c_team));
	sq_col_text(s, 5, c->c_state, sizeof(c->c_state));
	c->c_started_at = sqlite3_column_int64(s, 6);
	c->c_state_since = sqlite3_column_int64(s, 7);
	c->c_created_at = sqlite3_column_int64(s, 8);
	c->c_updated_at = sqlite3_column_int64(s, 9);
	c->c_final = sqlite3_column_int(s, 10);
	sq_col_text(s, 11, c->c_coordinator, sizeof(c->c_coordinator));
	sq_col_text(s, 12, c->c_assignee, sizeof(c->c_assignee));
	c->c_escalated_by = sqlite3_column_int64(s, 13);
	c->c_escalated_due = sqlite3_column_int64(s, 14);
	c->c_waiting_by = sqlite3_column_int64(s, 15);
	c->c_waiting_due = sqlite3_column_int64(s, 16);
	sq_col_text(s, 17, c->c_unrouted, sizeof(c->c_unrouted));
	sq_col_text(s, 18, c->c_assignee_name, sizeof(c->c_assignee_name));
}

/*
 * Walk a statement whose rows are cases: one prepared for this walk alone
 * is finalized at its end, a kept one reset.
 */
enum store_status
sq_case_walk(struct sqlite_store *sq, sqlite3_stmt *s, const char *what,
    store_case_cb *cb, void *arg, int finalize)
{
	struct case_row		c;
	enum store_status	rc;
	int			stopped = 0;

	while ((rc = sq_row(sq, s, what)) == STORE_OK) {
		sq_case_from_row(s, &c);
		if ((rc = cb(&c, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return finalize ? sq_walk_final(s, rc, stopped) :
	    sq_walk_end(s, rc, stopped);
}

enum store_status
sq_case_insert(struct store *st, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_INSERT);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, c->c_workflow, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, c->c_version);
	sqlite3_bind_text(s, 3, c->c_reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, c->c_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, c->c_state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, c->c_started_at);
	sqlite3_bind_int64(s, 7, c->c_state_since);
	sqlite3_bind_int64(s, 8, c->c_created_at);
	sqlite3_bind_int64(s, 9, c->c_updated_at);
	sqlite3_bind_int(s, 10, c->c_final);
	sqlite3_bind_text(s, 11, c->c_coordinator, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		c->c_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

enum store_status
sq_case_get(struct store *st, int64_t id, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a case")) == STORE_OK)
		sq_case_from_row(s, c);
	sqlite3_reset(s);
	return rc;
}

/*
 * BEGIN IMMEDIATE took the write lock on the whole database: the case is
 * held already, and the read is a plain one.  Outside a write transaction
 * a caller would hold nothing it thinks it holds, so it is refused.  The
 * row read is kept for store_case_update_state.
 */
enum store_status
sq_case_lock(struct store *st, int64_t id, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	if (sq->sq_txn == TXN_NONE) {
		log_warnx("sqlite: locking case %lld outside a write"
		    " transaction", (long long)id);
		return STORE_FAILED;
	}
	if ((rc = sq_case_get(st, id, c)) == STORE_OK)
		sq->sq_held = *c;
	else
		sq->sq_held.c_id = 0;
	return rc;
}

enum store_status
sq_case_open_find(struct store *st, const char *workflow,
    const char *reference, const char *team, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_OPEN_FIND);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, workflow, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "finding an open case")) == STORE_OK)
		sq_case_from_row(s, c);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_case_get_for(struct store *st, int64_t id, int64_t token,
    struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_GET_FOR);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, token);
	if ((rc = sq_row(sq, s, "reading a case")) == STORE_OK)
		sq_case_from_row(s, c);
	sqlite3_reset(s);
	return rc;
}

/*
 * The columns of a case that change, each with its own parameter, in
 * the order of enum case_col's bits.
 */
static const char *const case_update_sets[] = {
	"state = ?3", "state_since = ?4", "final = ?5",
	"coordinator = nullif(?6, team)", "assignee = nullif(?7, '')",
	"escalated_by = nullif(?8, 0)", "escalated_due = nullif(?9, 0)",
	"waiting_by = nullif(?10, 0)", "waiting_due = nullif(?11, 0)",
	"unrouted = nullif(?12, '')",
};
#define CASE_COLS_ALL	((1u << nitems(case_update_sets)) - 1)

/* Which columns of the held row c changes (all, without a held row). */
static unsigned int
case_changes(const struct sqlite_store *sq, const struct case_row *c)
{
	const struct case_row	*h = &sq->sq_held;
	unsigned int		 m = 0;

	if (h->c_id != c->c_id || sq->sq_txn != TXN_OPEN)
		return CASE_COLS_ALL;
	m |= strcmp(h->c_state, c->c_state) != 0 ? 1u << 0 : 0;
	m |= h->c_state_since != c->c_state_since ? 1u << 1 : 0;
	m |= h->c_final != c->c_final ? 1u << 2 : 0;
	m |= strcmp(h->c_coordinator, c->c_coordinator) != 0 ? 1u << 3 : 0;
	m |= strcmp(h->c_assignee, c->c_assignee) != 0 ? 1u << 4 : 0;
	m |= h->c_escalated_by != c->c_escalated_by ? 1u << 5 : 0;
	m |= h->c_escalated_due != c->c_escalated_due ? 1u << 6 : 0;
	m |= h->c_waiting_by != c->c_waiting_by ? 1u << 7 : 0;
	m |= h->c_waiting_due != c->c_waiting_due ? 1u << 8 : 0;
	m |= strcmp(h->c_unrouted, c->c_unrouted) != 0 ? 1u << 9 : 0;
	return m;
}

/* The prepared UPDATE for a mask of columns, made on first use. */
static sqlite3_stmt *
case_update_stmt(struct sqlite_store *sq, unsigned int mask)
{
	struct sq_case_update	*cu;
	char			 sql[1024];
	size_t			 i, n;

	for (i = 0; i < SQ_CASE_UPDATES; i++)
		if (sq->sq_cu[i].cu_stmt != NULL && sq->sq_cu[i].cu_mask ==
		    mask)
			return sq->sq_cu[i].cu_stmt;
	n = (size_t)snprintf(sql, sizeof(sql), "UPDATE cases SET"
	    " updated_at = ?1");
	for (i = 0; i < nitems(case_update_sets); i++)
		if (mask & (1u << i))
			n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", %s",
			    case_update_sets[i]);
	snprintf(sql + n, sizeof(sql) - n, " WHERE id = ?2");
	cu = &sq->sq_cu[sq->sq_cu_next++ % SQ_CASE_UPDATES];
	sqlite3_finalize(cu->cu_stmt);
	cu->cu_stmt = NULL;
	if (sqlite3_prepare_v3(sq->sq_db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &cu->cu_stmt, NULL) != SQLITE_OK) {
		log_warnx("sqlite: preparing a case's update: %s",
		    sqlite3_errmsg(sq->sq_db));
		return NULL;
	}
	cu->cu_mask = mask;
	return cu->cu_stmt;
}

/*
 * Write the columns of a case that changed since it was locked (or last
 * written) in this transaction, all of them when it was not: SQLite keeps
 * up every index on a column an UPDATE sets, whether its value changed or
 * not, and a deadline passing changes a few of the case's columns, not
 * the team, the reference or whether it is closed.
 */
enum store_status
sq_case_update_state(struct store *st, const struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if ((s = case_update_stmt(sq, case_changes(sq, c))) == NULL)
		return sq_fail(sq, NULL, "updating a case");
	sqlite3_bind_int64(s, 1, c->c_updated_at);
	sqlite3_bind_int64(s, 2, c->c_id);
	sqlite3_bind_text(s, 3, c->c_state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, c->c_state_since);
	sqlite3_bind_int(s, 5, c->c_final);
	sqlite3_bind_text(s, 6, c->c_coordinator[0] ? c->c_coordinator :
	    c->c_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, c->c_assignee, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, c->c_escalated_by);
	sqlite3_bind_int64(s, 9, c->c_escalated_due);
	sqlite3_bind_int64(s, 10, c->c_waiting_by);
	sqlite3_bind_int64(s, 11, c->c_waiting_due);
	sqlite3_bind_text(s, 12, c->c_unrouted, -1, SQLITE_STATIC);
	rc = sq_changed(sq, s, STORE_NOTFOUND);
	if (rc == STORE_OK && sq->sq_txn == TXN_OPEN)
		sq->sq_held = *c;
	else
		sq->sq_held.c_id = 0;
	return rc;
}

/*
 * The filters combine freely, so this one statement is built per call
 * from fixed fragments; values are always bound, never pasted.
 */
enum store_status
sq_case_list(struct store *st, const struct case_filter *f,
    store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = NULL;
	char			 sql[2048];

	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS " FROM cases"
	    " WHERE id > ?1%s%s%s%s ORDER BY id LIMIT ?2",
	    f->cf_token ? " AND " VISIBLE_TO("3") : "",
	    f->cf_state ? " AND state = ?4" : "",
	    f->cf_workflow ? " AND workflow = ?5" : "",
	    f->cf_team ? " AND team = ?6" : "");
	if (sqlite3_prepare_v2(sq->sq_db, sql, -1, &s, NULL) != SQLITE_OK)
		return sq_fail(sq, NULL, "listing cases");
	sqlite3_bind_int64(s, 1, f->cf_after);
	sqlite3_bind_int(s, 2, f->cf_limit);
	sqlite3_bind_int64(s, 3, f->cf_token);
	if (f->cf_state)
		sqlite3_bind_text(s, 4, f->cf_state, -1, SQLITE_STATIC);
	if (f->cf_workflow)
		sqlite3_bind_text(s, 5, f->cf_workflow, -1, SQLITE_STATIC);
	if (f->cf_team)
		sqlite3_bind_text(s, 6, f->cf_team, -1, SQLITE_STATIC);
	return sq_case_walk(sq, s, "listing cases", cb, arg, 1);
}

static void
deadline_from_row(sqlite3_stmt *s, struct deadline_row *d)
{
	sq_deadline_from_cols(s, 0, d);
}

/* A deadline read from columns i and on (after a case's, in a join). */
void
sq_deadline_from_cols(sqlite3_stmt *s, int i, struct deadline_row *d)
{
	d->d_id = sqlite3_column_int64(s, i + 0);
	d->d_case = sqlite3_column_int64(s, i + 1);
	sq_col_text(s, i + 2, d->d_name, sizeof(d->d_name));
	sq_col_text(s, i + 3, d->d_state, sizeof(d->d_state));
	sq_col_text(s, i + 4, d->d_then, sizeof(d->d_then));
	sq_col_text(s, i + 5, d->d_period, sizeof(d->d_period));
	sq_col_text(s, i + 6, d->d_rule, sizeof(d->d_rule));
	sq_col_text(s, i + 7, d->d_kind, sizeof(d->d_kind));
	d->d_anchor = sqlite3_column_int64(s, i + 8);
	d->d_due = sqlite3_column_int64(s, i + 9);
	d->d_active = sqlite3_column_int(s, i + 10);
	d->d_running = sqlite3_column_int(s, i + 11);
	d->d_passed = sqlite3_column_int(s, i + 12);
	d->d_case_scope = strcmp((const char *)sqlite3_column_text(s, i + 13),
	    "case") == 0;
	d->d_suspended_since = sqlite3_column_int64(s, i + 14);
	d->d_suspended_days = sqlite3_column_int(s, i + 15);
	d->d_suspended_ms = sqlite3_column_int64(s, i + 16);
	sq_col_text(s, i + 17, d->d_extensions, sizeof(d->d_extensions));
}

static void
bind_budget(sqlite3_stmt *s, int i, const struct deadline_row *d)
{
	if (d->d_running)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, d->d_suspended_since);
	sqlite3_bind_int(s, i + 1, d->d_suspended_days);
	sqlite3_bind_int64(s, i + 2, d->d_suspended_ms);
	sqlite3_bind_text(s, i + 3, d->d_extensions, -1, SQLITE_STATIC);
}

enum store_status
sq_deadline_insert(struct store *st, struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_INSERT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, d->d_case);
	sqlite3_bind_text(s, 2, d->d_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, d->d_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, d->d_then, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, d->d_period, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, d->d_rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, d->d_kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, d->d_anchor);
	sqlite3_bind_int64(s, 9, d->d_due);
	sqlite3_bind_int(s, 10, d->d_active);
	sqlite3_bind_int(s, 11, d->d_running);
	sqlite3_bind_int(s, 12, d->d_passed);
	sqlite3_bind_text(s, 13, d->d_case_scope ? "case" : "state", -1,
	    SQLITE_STATIC);
	bind_budget(s, 14, d);
	/* A period with a time part ("PT4H") counts in hours, not days. */
	sqlite3_bind_int(s, 18, strchr(d->d_period, 'T') != NULL);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		d->d_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

enum store_status
sq_deadline_update(struct store *st, const struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_UPDATE);

	sqlite3_bind_int64(s, 1, d->d_due);
	sqlite3_bind_int(s, 2, d->d_active);
	sqlite3_bind_int(s, 3, d->d_running);
	sqlite3_bind_int(s, 4, d->d_passed);
	bind_budget(s, 5, d);
	sqlite3_bind_int64(s, 9, d->d_id);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

enum store_status
sq_deadlines_of_case(struct store *st, int64_t id,
    enum store_deadline_set set, store_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	struct deadline_row	*d;
	enum store_status	 rc;
	int			 stopped = 0;

	d = xmalloc(sizeof(*d));
	s = sq_stmt(sq, set == STORE_DL_CURRENT ? S_DL_OF_CASE_ACTIVE :
	    set == STORE_DL_PASSED ? S_DL_OF_CASE_PASSED : S_DL_OF_CASE);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading deadlines")) == STORE_OK) {
		deadline_from_row(s, d);
		if ((rc = cb(d, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	free(d);
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_deadlines_stop(struct store *st, int64_t id, const char *state)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;

	s = sq_stmt(sq, state ? S_DL_STOP_STATE : S_DL_STOP);
	sqlite3_bind_int64(s, 1, id);
	if (state != NULL)
		sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

enum store_status
sq_deadline_get(struct store *st, int64_t id, struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a deadline")) == STORE_OK)
		deadline_from_row(s, d);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_deadline_find(struct store *st, int64_t id, const char *name,
    struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_FIND);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "reading a deadline")) == STORE_OK)
		deadline_from_row(s, d);
	sqlite3_reset(s);
	return rc;
}

static void
rung_from_row(sqlite3_stmt *s, struct rung_row *r)
{
	r->r_id = sqlite3_column_int64(s, 0);
	r->r_case = sqlite3_column_int64(s, 1);
	r->r_deadline = sqlite3_column_int64(s, 2);
	sq_col_text(s, 3, r->r_name, sizeof(r->r_name));
	r->r_seq = sqlite3_column_int(s, 4);
	r->r_due = sqlite3_column_int64(s, 5);
	r->r_fired_at = sqlite3_column_int64(s, 6);
	r->r_missed = sqlite3_column_int(s, 7);
	r->r_skipped = sqlite3_column_int(s, 8);
	sq_col_text(s, 9, r->r_holder, sizeof(r->r_holder));
}

enum store_status
sq_rung_insert(struct store *st, const struct rung_row *r)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_INSERT);

	sqlite3_bind_int64(s, 1, r->r_case);
	sqlite3_bind_int64(s, 2, r->r_deadline);
	sqlite3_bind_text(s, 3, r->r_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, r->r_seq);
	sqlite3_bind_int64(s, 5, r->r_due);
	if (r->r_fired_at != 0)
		sqlite3_bind_int64(s, 6, r->r_fired_at);
	sqlite3_bind_int(s, 7, r->r_missed);
	sqlite3_bind_int(s, 8, r->r_skipped);
	sqlite3_bind_text(s, 9, r->r_holder, -1, SQLITE_STATIC);
	return sq_changed(sq, s, STORE_EXISTS);
}

enum store_status
sq_rung_next(struct store *st, int64_t *due)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_NEXT);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "finding the next rung")) == STORE_OK)
		*due = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

static int
rung_order_cmp(const void *a, const void *b)
{
	const struct rung_row	*x = a, *y = b;

	if (x->r_due != y->r_due)
		return x->r_due < y->r_due ? -1 : 1;
	return x->r_id < y->r_id ? -1 : x->r_id > y->r_id;
}

enum store_status
sq_rungs_claim(struct store *st, int64_t now, struct rung_row *out,
    size_t max, size_t *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_CLAIM);
	enum store_status	 rc = STORE_NOTFOUND;

	*n = 0;
	if (max == 0)
		return STORE_OK;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	/* The LIMIT keeps the rows to max; the walk ends at SQLITE_DONE. */
	while ((rc = sq_row(sq, s, "claiming due rungs")) == STORE_OK)
		if (*n < max)
			rung_from_row(s, &out[(*n)++]);
	if ((rc = sq_walk_end(s, rc, 0)) != STORE_OK) {
		*n = 0;
		return rc;
	}
	qsort(out, *n, sizeof(*out), rung_order_cmp);
	return STORE_OK;
}

enum store_status
sq_rungs_unclaim(struct store *st, struct rung_row *r, size_t n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_UNCLAIM);
	enum store_status	 rc;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (r[i].r_fired_at == 0)
			continue;
		sqlite3_bind_int64(s, 1, r[i].r_id);
		sqlite3_bind_int64(s, 2, r[i].r_deadline);
		sqlite3_bind_text(s, 3, r[i].r_name, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, r[i].r_seq);
		sqlite3_bind_int64(s, 5, r[i].r_fired_at);
		if ((rc = sq_done(sq, s)) != STORE_OK)
			return rc;
		r[i].r_fired_at = 0;
	}
	return STORE_OK;
}

enum store_status
sq_rung_first_of_case(struct store *st, int64_t id, struct rung_row *r)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_FIRST_OF_CASE);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading rungs")) == STORE_OK)
		rung_from_row(s, r);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_rung_mark_fired(struct store *st, const struct rung_row *r, int64_t at,
    int missed, int skipped)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_MARK_FIRED);

	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_int(s, 2, missed);
	sqlite3_bind_int(s, 3, skipped);
	sqlite3_bind_int64(s, 4, r->r_id);
	sqlite3_bind_int64(s, 5, r->r_deadline);
	sqlite3_bind_text(s, 6, r->r_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, r->r_seq);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

enum store_status
sq_rungs_cancel(struct store *st, int64_t id, int64_t deadline,
    const char *holder)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;

	if (deadline != 0) {
		s = sq_stmt(sq, S_RG_CANCEL_DEADLINE);
		sqlite3_bind_int64(s, 1, deadline);
	} else if (holder != NULL) {
		s = sq_stmt(sq, S_RG_CANCEL_HOLDER);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, holder, -1, SQLITE_STATIC);
	} else {
		s = sq_stmt(sq, S_RG_CANCEL_CASE);
		sqlite3_bind_int64(s, 1, id);
	}
	return sq_done(sq, s);
}

enum store_status
sq_rungs_hand_over(struct store *st, int64_t deadline, const char *holder)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_HAND_OVER);

	sqlite3_bind_text(s, 1, holder, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, deadline);
	return sq_done(sq, s);
}

enum store_status
sq_rung_forget(struct store *st, int64_t deadline, const char *name)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_FORGET);

	sqlite3_bind_int64(s, 1, deadline);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

enum store_status
sq_rung_last_seq(struct store *st, int64_t deadline, const char *name,
    int *seq, int *pending)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_LAST_SEQ);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, deadline);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	/* An aggregate: always one row. */
	if ((rc = sq_row(sq, s, "reading rungs")) == STORE_OK) {
		*seq = sqlite3_column_int(s, 0);
		*pending = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_rungs_of_deadline(struct store *st, int64_t id, store_rung_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_OF_DEADLINE);
	struct rung_row		 r;
	enum store_status	 rc;
	int			 stopped = 0;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading rungs")) == STORE_OK) {
		rung_from_row(s, &r);
		if ((rc = cb(&r, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_notification_insert(struct store *st, struct notification_row *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_NT_INSERT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, n->n_case);
	sqlite3_bind_int64(s, 2, n->n_rung);
	sqlite3_bind_text(s, 3, n->n_role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, n->n_deadline, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, n->n_rung_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, n->n_seq);
	sqlite3_bind_int(s, 7, n->n_missed);
	sqlite3_bind_int64(s, 8, n->n_at);
	sqlite3_bind_int64(s, 9, n->n_created_at);
	sqlite3_bind_text(s, 10, n->n_entered, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		n->n_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

static void
notification_from_row(sqlite3_stmt *s, struct notification_row *n)
{
	n->n_id = sqlite3_column_int64(s, 0);
	n->n_case = sqlite3_column_int64(s, 1);
	n->n_rung = sqlite3_column_int64(s, 2);
	sq_col_text(s, 3, n->n_role, sizeof(n->n_role));
	sq_col_text(s, 4, n->n_deadline, sizeof(n->n_deadline));
	sq_col_text(s, 5, n->n_rung_name, sizeof(n->n_rung_name));
	n->n_seq = sqlite3_column_int(s, 6);
	n->n_missed = sqlite3_column_int(s, 7);
	n->n_at = sqlite3_column_int64(s, 8);
	n->n_created_at = sqlite3_column_int64(s, 9);
	sq_col_text(s, 10, n->n_entered, sizeof(n->n_entered));
}

enum store_status
sq_notifications_of_case(struct store *st, int64_t id,
    store_notification_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_NT_OF_CASE);
	struct notification_row	 n;
	enum store_status	 rc;
	int			 stopped = 0;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading notifications")) == STORE_OK) {
		notification_from_row(s, &n);
		if ((rc = cb(&n, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

void
sq_transition_from_row(sqlite3_stmt *s, struct transition_row *t)
{
	t->t_id = sqlite3_column_int64(s, 0);
	t->t_case = sqlite3_column_int64(s, 1);
	t->t_at = sqlite3_column_int64(s, 2);
	t->t_recorded_at = sqlite3_column_int64(s, 3);
	sq_col_text(s, 4, t->t_from, sizeof(t->t_from));
	sq_col_text(s, 5, t->t_to, sizeof(t->t_to));
	sq_col_text(s, 6, t->t_cause, sizeof(t->t_cause));
	sq_col_text(s, 7, t->t_event, sizeof(t->t_event));
	sq_col_text(s, 8, t->t_actor, sizeof(t->t_actor));
	sq_col_text(s, 9, t->t_note, sizeof(t->t_note));
	sq_col_text(s, 10, t->t_basis, sizeof(t->t_basis));
	sq_col_text(s, 11, t->t_detail, sizeof(t->t_detail));
	sq_col_text(s, 12, t->t_workflow, sizeof(t->t_workflow));
	t->t_version = sqlite3_column_int(s, 13);
	t->t_final = sqlite3_column_type(s, 14) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(s, 14);
	sq_col_blob(s, 15, t->t_prev, sizeof(t->t_prev));
	sq_col_blob(s, 16, t->t_hash, sizeof(t->t_hash));
}

enum store_status
sq_transitions_of_case(struct store *st, int64_t id, int64_t after,
    int limit, store_transition_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_OF_CASE);
	struct transition_row	*t;
	enum store_status	 rc;
	int			 stopped = 0;

	t = xmalloc(sizeof(*t));
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sq_row(sq, s, "reading transitions")) == STORE_OK) {
		sq_transition_from_row(s, t);
		sq_col_text(s, TRANSITION_NCOLUMNS, t->t_actor_name,
		    sizeof(t->t_actor_name));
		sq_col_text(s, TRANSITION_NCOLUMNS + 1, t->t_detail_name,
		    sizeof(t->t_detail_name));
		if ((rc = cb(t, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	free(t);
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_transition_last_at(struct store *st, int64_t id, int64_t *at)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_LAST_AT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a case's history")) == STORE_OK)
		*at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_transition_last(struct store *st, int64_t id, struct transition_row *t)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_LAST);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a case's history")) == STORE_OK)
		sq_transition_from_row(s, t);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_undo_put(struct store *st, int64_t id, int64_t transition,
    const char *data)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNDO_PUT);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, transition);
	sqlite3_bind_text(s, 3, data, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

enum store_status
sq_undo_get(struct store *st, int64_t id, int64_t *transition, char **data)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNDO_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading what a correction restores")) ==
	    STORE_OK) {
		*transition = sqlite3_column_int64(s, 0);
		*data = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return rc;
}
