/* termijn: the SQLite store: the audit chain, its facts, destruction. */

#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

static void gap_from_row(sqlite3_stmt *s, struct chain_gap_row *g);
static void route_link_from_row(sqlite3_stmt *s, struct route_row *rt);

/*
 * Ordered walks merged by their keys: the chain in id order from four
 * tables, the facts of each case from six.  Each stream is one statement
 * stepping through an index in its key's order, so that however long the
 * history grows, nothing is sorted and little is held.
 */
struct stream {
	sqlite3_stmt		*sm_stmt;
	enum store_status	 sm_rc;		/* STORE_OK: at a row */
	int			 sm_case_col;	/* -1: by id alone */
	int64_t			 sm_case;
	int64_t			 sm_id;
	int			 sm_own;	/* prepared for this walk */
};

static void
stream_next(struct sqlite_store *sq, struct stream *sm, const char *what)
{
	sm->sm_rc = sq_row(sq, sm->sm_stmt, what);
	if (sm->sm_rc != STORE_OK)
		return;
	sm->sm_id = sqlite3_column_int64(sm->sm_stmt, 0);
	sm->sm_case = sm->sm_case_col < 0 ? 0 :
	    sqlite3_column_int64(sm->sm_stmt, sm->sm_case_col);
}

/* Whether a stream is at a row that comes before another's (or any). */
static int
stream_before(const struct stream *a, const struct stream *b)
{
	if (a->sm_rc != STORE_OK)
		return 0;
	if (b == NULL || b->sm_rc != STORE_OK)
		return 1;
	if (a->sm_case != b->sm_case)
		return a->sm_case < b->sm_case;
	return a->sm_id < b->sm_id;
}

/* The first failure among the streams, or STORE_OK when all ended. */
static enum store_status
streams_end(struct stream *sm, size_t n)
{
	enum store_status	rc = STORE_OK;
	size_t			i;

	for (i = 0; i < n; i++) {
		if (sm[i].sm_rc != STORE_OK && sm[i].sm_rc != STORE_NOTFOUND &&
		    rc == STORE_OK)
			rc = sm[i].sm_rc;
		if (sm[i].sm_own)
			sqlite3_finalize(sm[i].sm_stmt);
		else if (sm[i].sm_stmt != NULL)
			sqlite3_reset(sm[i].sm_stmt);
	}
	return rc;
}

/*
 * The chain in id order: the transitions, the gaps destroyed cases left,
 * the marks and the route log's lines, with the values each link's hash
 * covers as stored.
 */
enum store_status
sq_chain_walk(struct store *st, store_chain_cb *cb, void *arg)
{
	static const char	 what[] = "reading the chain";
	struct sqlite_store	*sq = SQ(st);
	struct stream		 sm[4];
	struct stream		*t = &sm[0], *g = &sm[1], *m = &sm[2];
	struct stream		*r = &sm[3], *next;
	struct transition_row	*tr;
	struct chain_gap_row	 gap;
	struct chain_mark_row	 mk;
	struct route_row	 rt;
	struct chain_value	 v[AUDIT_TRANSITION_NVALUES];
	struct chain_link	 cl;
	enum store_status	 rc = STORE_OK;
	size_t			 i;

	memset(sm, 0, sizeof(sm));
	t->sm_stmt = sq_stmt(sq, S_CHAIN_TRANSITIONS);
	g->sm_stmt = sq_stmt(sq, S_CHAIN_GAPS);
	m->sm_stmt = sq_stmt(sq, S_CHAIN_MARKS);
	r->sm_stmt = sq_stmt(sq, S_CHAIN_ROUTES);
	for (i = 0; i < nitems(sm); i++) {
		sm[i].sm_case_col = -1;
		stream_next(sq, &sm[i], what);
	}
	tr = xcalloc(1, sizeof(*tr));
	for (;;) {
		next = stream_before(t, g) ? t : g;
		if (stream_before(m, next))
			next = m;
		if (stream_before(r, next))
			next = r;
		if (next->sm_rc != STORE_OK)
			break;
		memset(&cl, 0, sizeof(cl));
		if (next == t) {
			sq_transition_from_row(t->sm_stmt, tr);
			sq_col_values(t->sm_stmt, TRANSITION_NCOLUMNS, v,
			    AUDIT_TRANSITION_NVALUES);
			cl.cl_transition = tr;
			cl.cl_values = v;
			cl.cl_nvalues = AUDIT_TRANSITION_NVALUES;
		} else if (next == g) {
			gap_from_row(g->sm_stmt, &gap);
			cl.cl_gap = &gap;
		} else if (next == m) {
			sq_mark_from_row(m->sm_stmt, &mk);
			sq_col_values(m->sm_stmt, MARK_NCOLUMNS, v,
			    AUDIT_MARK_NVALUES);
			cl.cl_mark = &mk;
			cl.cl_values = v;
			cl.cl_nvalues = AUDIT_MARK_NVALUES;
		} else {
			route_link_from_row(r->sm_stmt, &rt);
			sq_col_values(r->sm_stmt, ROUTE_LINK_NCOLUMNS, v,
			    AUDIT_ROUTE_NVALUES);
			cl.cl_route = &rt;
			cl.cl_values = v;
			cl.cl_nvalues = AUDIT_ROUTE_NVALUES;
		}
		if ((rc = cb(&cl, arg)) != STORE_OK)
			break;
		stream_next(sq, next, what);
	}
	free(tr);
	if (rc != STORE_OK) {
		(void)streams_end(sm, nitems(sm));
		return rc;
	}
	return streams_end(sm, nitems(sm));
}

static void
gap_from_row(sqlite3_stmt *s, struct chain_gap_row *g)
{
	g->g_id = sqlite3_column_int64(s, 0);
	g->g_case = sqlite3_column_int64(s, 1);
	sq_col_blob(s, 2, g->g_prev, sizeof(g->g_prev));
	sq_col_blob(s, 3, g->g_hash, sizeof(g->g_hash));
}

/* A line of the route log as a link (ROUTE_LINK_COLUMNS). */
static void
route_link_from_row(sqlite3_stmt *s, struct route_row *rt)
{
	const unsigned char	*action;

	memset(rt, 0, sizeof(*rt));
	rt->rt_link = sqlite3_column_int64(s, 0);
	action = sqlite3_column_text(s, 1);
	rt->rt_removed = action != NULL && strcmp((const char *)action,
	    "removed") == 0;
	sq_col_text(s, 2, rt->rt_function, sizeof(rt->rt_function));
	sq_col_text(s, 3, rt->rt_for_team, sizeof(rt->rt_for_team));
	sq_col_text(s, 4, rt->rt_for_org, sizeof(rt->rt_for_org));
	sq_col_text(s, 5, rt->rt_team, sizeof(rt->rt_team));
	rt->rt_at = sqlite3_column_int64(s, 6);
	sq_col_text(s, 7, rt->rt_actor, sizeof(rt->rt_actor));
	sq_col_blob(s, 8, rt->rt_prev, sizeof(rt->rt_prev));
	sq_col_blob(s, 9, rt->rt_hash, sizeof(rt->rt_hash));
	rt->rt_id = sqlite3_column_int64(s, 10);
	rt->rt_log = 1;
}

void
sq_mark_from_row(sqlite3_stmt *s, struct chain_mark_row *mk)
{
	mk->mk_id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, mk->mk_kind, sizeof(mk->mk_kind));
	mk->mk_case = sqlite3_column_int64(s, 2);
	mk->mk_at = sqlite3_column_int64(s, 3);
	sq_col_text(s, 4, mk->mk_actor, sizeof(mk->mk_actor));
	sq_col_text(s, 5, mk->mk_team, sizeof(mk->mk_team));
	sq_col_text(s, 6, mk->mk_workflow, sizeof(mk->mk_workflow));
	mk->mk_version = sqlite3_column_int(s, 7);
	mk->mk_final = sqlite3_column_int(s, 8);
	sq_col_blob(s, 9, mk->mk_prev, sizeof(mk->mk_prev));
	sq_col_blob(s, 10, mk->mk_hash, sizeof(mk->mk_hash));
}

enum store_status
sq_chain_encoding(struct store *st, int64_t *from)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CHAIN_ENCODING);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "reading the chain's head")) == STORE_OK)
		*from = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

/*
 * The facts of each case, for the audit: six walks in case order merged.
 * A case's links (transitions, gaps, marks) come in id order, then its
 * participants, its tombstone, its row, and an empty fact at its end.
 * Prepared here, not when the store opens: a verification is rare.
 */
enum {
	F_TRANSITIONS,
	F_GAPS,
	F_MARKS,
	F_PARTICIPANTS,
	F_TOMBSTONES,
	F_CASES,
	F__COUNT
};

static const struct {
	const char	*fq_sql;
	int		 fq_case_col;
} fact_queries[F__COUNT] = {
	[F_TRANSITIONS] = { "SELECT " TRANSITION_COLUMNS " FROM transitions"
	    " ORDER BY case_id, id", 1 },
	[F_GAPS] = { "SELECT " GAP_COLUMNS " FROM chain_gaps ORDER BY case_id,"
	    " id", 1 },
	[F_MARKS] = { "SELECT " MARK_COLUMNS " FROM chain_marks ORDER BY"
	    " case_id, id", 2 },
	[F_PARTICIPANTS] = { "SELECT " PARTICIPANT_COLUMNS ", team, basis,"
	    " since, until, added_by FROM participants ORDER BY case_id, id",
	    1 },
	[F_TOMBSTONES] = { "SELECT " TOMBSTONE_COLUMNS " FROM tombstones"
	    " ORDER BY case_id", 0 },
	[F_CASES] = { "SELECT " CASE_COLUMNS ", team, workflow, version,"
	    " state, final, coordinator, assignee FROM cases ORDER BY id", 0 },
};

/* The facts of one case from one stream, handed to the callback. */
static enum store_status
fact_emit(struct sqlite_store *sq, struct stream *sm, int which,
    struct transition_row *t, store_fact_cb *cb, void *arg)
{
	struct case_fact	 fc_, *fc = &fc_;
	struct chain_gap_row	 g;
	struct chain_mark_row	 mk;
	struct participant_row	 p;
	struct tombstone_row	 ts;
	struct case_row		 c;
	struct chain_value	 v[CASE_FACT_NROW];
	enum store_status	 rc;

	memset(fc, 0, sizeof(*fc));
	fc->fc_case = sm->sm_case;
	switch (which) {
	case F_TRANSITIONS:
		sq_transition_from_row(sm->sm_stmt, t);
		fc->fc_transition = t;
		break;
	case F_GAPS:
		gap_from_row(sm->sm_stmt, &g);
		fc->fc_gap = &g;
		break;
	case F_MARKS:
		sq_mark_from_row(sm->sm_stmt, &mk);
		fc->fc_mark = &mk;
		break;
	case F_PARTICIPANTS:
		sq_participant_from_row(sm->sm_stmt, &p);
		sq_col_values(sm->sm_stmt, PARTICIPANT_NCOLUMNS, v,
		    CASE_FACT_NPARTICIPANT);
		fc->fc_participant = &p;
		fc->fc_values = v;
		fc->fc_nvalues = CASE_FACT_NPARTICIPANT;
		break;
	case F_TOMBSTONES:
		sq_tombstone_from_row(sm->sm_stmt, &ts);
		fc->fc_tombstone = &ts;
		break;
	default:
		sq_case_from_row(sm->sm_stmt, &c);
		sq_col_values(sm->sm_stmt, CASE_NCOLUMNS, v, CASE_FACT_NROW);
		fc->fc_row = &c;
		fc->fc_values = v;
		fc->fc_nvalues = CASE_FACT_NROW;
		break;
	}
	rc = cb(fc, arg);
	if (rc == STORE_OK)
		stream_next(sq, sm, "reading the facts of cases");
	return rc;
}

enum store_status
sq_case_facts(struct store *st, store_fact_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct stream		 sm[F__COUNT], *first;
	struct transition_row	*t;
	struct case_fact	 fc;
	enum store_status	 rc = STORE_OK;
	int64_t			 id;
	int			 i;

	memset(sm, 0, sizeof(sm));
	t = xmalloc(sizeof(*t));
	for (i = 0; i < F__COUNT; i++) {
		sm[i].sm_own = 1;
		sm[i].sm_case_col = fact_queries[i].fq_case_col;
		if ((rc = sq_prepare(sq, fact_queries[i].fq_sql,
		    &sm[i].sm_stmt, "reading the facts of cases")) != STORE_OK)
			break;
		stream_next(sq, &sm[i], "reading the facts of cases");
	}
	while (rc == STORE_OK) {
		/* The next case any stream is at. */
		for (i = 0, first = NULL; i < F__COUNT; i++)
			if (sm[i].sm_rc == STORE_OK && (first == NULL ||
			    sm[i].sm_case < first->sm_case))
				first = &sm[i];
		if (first == NULL)
			break;
		id = first->sm_case;
		/* Its links in id order. */
		for (;;) {
			first = NULL;
			for (i = F_TRANSITIONS; i <= F_MARKS; i++)
				if (sm[i].sm_rc == STORE_OK &&
				    sm[i].sm_case == id &&
				    stream_before(&sm[i], first))
					first = &sm[i];
			if (first == NULL)
				break;
			if ((rc = fact_emit(sq, first, (int)(first - sm), t,
			    cb, arg)) != STORE_OK)
				break;
		}
		for (i = F_PARTICIPANTS; i < F__COUNT && rc == STORE_OK; i++)
			while (rc == STORE_OK && sm[i].sm_rc == STORE_OK &&
			    sm[i].sm_case == id)
				rc = fact_emit(sq, &sm[i], i, t, cb, arg);
		if (rc != STORE_OK)
			break;
		memset(&fc, 0, sizeof(fc));
		fc.fc_case = id;
		rc = cb(&fc, arg);
	}
	free(t);
	if (rc != STORE_OK) {
		(void)streams_end(sm, nitems(sm));
		return rc;
	}
	return streams_end(sm, nitems(sm));
}

enum store_status
sq_cases_closed_before(struct store *st, const char *workflow, int version,
    int64_t before, int limit, store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CLOSED_BEFORE);

	sqlite3_bind_text(s, 1, workflow, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	sqlite3_bind_int64(s, 3, before);
	sqlite3_bind_int(s, 4, limit);
	return sq_case_walk(sq, s, "finding closed cases", cb, arg, 0);
}

/*
 * Destroy a case: its tombstone first (the trigger lets its transitions
 * go only then), the links of its transitions into the chain's gaps, then
 * every row about it.  secure_delete (set when the store opens) overwrites
 * what is deleted; store_scrub takes it out of the WAL (_wal.c).
 */
enum store_status
sq_case_destroy(struct store *st, const struct tombstone_row *ts)
{
	static const enum stmt_id deletes[] = {
		S_DESTROY_GAPS, S_DESTROY_NOTIFICATIONS, S_DESTROY_RUNGS,
		S_DESTROY_DEADLINES, S_DESTROY_PARTICIPANTS, S_DESTROY_READS,
		S_DESTROY_IDEMPOTENCY, S_DESTROY_OUTBOX, S_DESTROY_UNDO,
		S_DESTROY_TRANSITIONS,
	};
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DESTROY_TOMBSTONE);
	enum store_status	 rc;
	size_t			 i;

	sqlite3_bind_int64(s, 1, ts->ts_case);
	sqlite3_bind_text(s, 2, ts->ts_workflow, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, ts->ts_version);
	sqlite3_bind_text(s, 4, ts->ts_team, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, ts->ts_started_at);
	sqlite3_bind_int64(s, 6, ts->ts_closed_at);
	sqlite3_bind_int64(s, 7, ts->ts_destroyed_at);
	sqlite3_bind_text(s, 8, ts->ts_destroyed_by, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	for (i = 0; i < nitems(deletes); i++) {
		s = sq_stmt(sq, deletes[i]);
		sqlite3_bind_int64(s, 1, ts->ts_case);
		if ((rc = sq_done(sq, s)) != STORE_OK)
			return rc;
	}
	s = sq_stmt(sq, S_DESTROY_CASE);
	sqlite3_bind_int64(s, 1, ts->ts_case);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

enum store_status
sq_tombstone_get(struct store *st, int64_t id, struct tombstone_row *ts)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOMBSTONE_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a tombstone")) == STORE_OK)
		sq_tombstone_from_row(s, ts);
	sqlite3_reset(s);
	return rc;
}

void
sq_tombstone_from_row(sqlite3_stmt *s, struct tombstone_row *ts)
{
	ts->ts_case = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, ts->ts_workflow, sizeof(ts->ts_workflow));
	ts->ts_version = sqlite3_column_int(s, 2);
	sq_col_text(s, 3, ts->ts_team, sizeof(ts->ts_team));
	ts->ts_started_at = sqlite3_column_int64(s, 4);
	ts->ts_closed_at = sqlite3_column_int64(s, 5);
	ts->ts_destroyed_at = sqlite3_column_int64(s, 6);
	sq_col_text(s, 7, ts->ts_destroyed_by, sizeof(ts->ts_destroyed_by));
}
