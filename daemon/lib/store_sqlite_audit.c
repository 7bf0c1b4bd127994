/* termijn: the SQLite store: the audit chain, destruction and tombstones. */

#include <stdlib.h>


#include "termijn/util.h"

#include "store_sqlite_int.h"

static void gap_from_row(sqlite3_stmt *s, struct chain_gap_row *g);

enum store_status
sq_chain_head(struct store *st, int64_t *id, unsigned char *hash)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CHAIN_HEAD);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "reading the chain's head")) == STORE_OK) {
		*id = sqlite3_column_int64(s, 0);
		sq_col_blob(s, 1, hash, HASH_SHA256_LEN);
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The chain in id order: the transitions and the gaps destroyed cases
 * left, two ordered walks merged, so that no sort of the whole table is
 * needed however long the history grows.
 */
enum store_status
sq_chain_walk(struct store *st, store_chain_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*ts = sq_stmt(sq, S_CHAIN_TRANSITIONS);
	sqlite3_stmt		*gs = sq_stmt(sq, S_CHAIN_GAPS);
	struct transition_row	*t;
	struct chain_gap_row	 g;
	enum store_status	 trc, grc, rc = STORE_OK;

	t = xcalloc(1, sizeof(*t));
	if ((trc = sq_row(sq, ts, "reading the chain")) == STORE_OK)
		sq_transition_from_row(ts, t);
	if ((grc = sq_row(sq, gs, "reading the chain")) == STORE_OK)
		gap_from_row(gs, &g);
	while (rc == STORE_OK && (trc == STORE_OK || grc == STORE_OK)) {
		if (grc != STORE_OK || (trc == STORE_OK && t->t_id <= g.g_id)) {
			if ((rc = cb(t, NULL, arg)) != STORE_OK)
				break;
			if ((trc = sq_row(sq, ts, "reading the chain")) ==
			    STORE_OK)
				sq_transition_from_row(ts, t);
		} else {
			if ((rc = cb(NULL, &g, arg)) != STORE_OK)
				break;
			if ((grc = sq_row(sq, gs, "reading the chain")) ==
			    STORE_OK)
				gap_from_row(gs, &g);
		}
	}
	sqlite3_reset(ts);
	sqlite3_reset(gs);
	free(t);
	if (rc != STORE_OK)
		return rc;
	if (trc != STORE_NOTFOUND && trc != STORE_OK)
		return trc;
	return grc != STORE_NOTFOUND && grc != STORE_OK ? grc : STORE_OK;
}

static void
gap_from_row(sqlite3_stmt *s, struct chain_gap_row *g)
{
	g->g_id = sqlite3_column_int64(s, 0);
	g->g_case = sqlite3_column_int64(s, 1);
	sq_col_blob(s, 2, g->g_prev, sizeof(g->g_prev));
	sq_col_blob(s, 3, g->g_hash, sizeof(g->g_hash));
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
	if ((rc = sq_row(sq, s, "reading a tombstone")) == STORE_OK) {
		ts->ts_case = sqlite3_column_int64(s, 0);
		sq_col_text(s, 1, ts->ts_workflow, sizeof(ts->ts_workflow));
		ts->ts_version = sqlite3_column_int(s, 2);
		sq_col_text(s, 3, ts->ts_team, sizeof(ts->ts_team));
		ts->ts_started_at = sqlite3_column_int64(s, 4);
		ts->ts_closed_at = sqlite3_column_int64(s, 5);
		ts->ts_destroyed_at = sqlite3_column_int64(s, 6);
		sq_col_text(s, 7, ts->ts_destroyed_by,
		    sizeof(ts->ts_destroyed_by));
	}
	sqlite3_reset(s);
	return rc;
}
