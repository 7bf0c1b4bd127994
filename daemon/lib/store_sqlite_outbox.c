/* termijn: the SQLite store: the webhook outbox. */

#include <stdio.h>



#include "store_sqlite_int.h"

static void
outbox_from_row(sqlite3_stmt *s, struct outbox_row *o)
{
	o->o_id = sqlite3_column_int64(s, 0);
	o->o_case = sqlite3_column_int64(s, 1);
	o->o_notification = sqlite3_column_int64(s, 2);
	sq_col_text(s, 3, o->o_type, sizeof(o->o_type));
	sq_col_text(s, 4, o->o_team, sizeof(o->o_team));
	sq_col_text(s, 5, o->o_role, sizeof(o->o_role));
	o->o_body = (const char *)sqlite3_column_text(s, 6);
	sq_col_text(s, 7, o->o_status, sizeof(o->o_status));
	o->o_attempts = sqlite3_column_int(s, 8);
	o->o_next_at = sqlite3_column_int64(s, 9);
	sq_col_text(s, 10, o->o_last_error, sizeof(o->o_last_error));
	o->o_created_at = sqlite3_column_int64(s, 11);
	o->o_delivered_at = sqlite3_column_int64(s, 12);
}

enum store_status
sq_outbox_insert(struct store *st, struct outbox_row *o)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_INSERT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, o->o_case);
	sqlite3_bind_int64(s, 2, o->o_notification);
	sqlite3_bind_text(s, 3, o->o_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, o->o_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, o->o_role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, o->o_body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, o->o_next_at);
	sqlite3_bind_int64(s, 8, o->o_created_at);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		o->o_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

static enum store_status
outbox_walk(struct sqlite_store *sq, sqlite3_stmt *s, const char *what,
    store_outbox_cb *cb, void *arg, int finalize)
{
	struct outbox_row	o;
	enum store_status	rc;
	int			stopped = 0;

	while ((rc = sq_row(sq, s, what)) == STORE_OK) {
		outbox_from_row(s, &o);
		if ((rc = cb(&o, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return finalize ? sq_walk_final(s, rc, stopped) :
	    sq_walk_end(s, rc, stopped);
}

enum store_status
sq_outbox_due(struct store *st, int64_t now, int max, store_outbox_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_DUE);

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, max);
	return outbox_walk(sq, s, "reading the outbox", cb, arg, 0);
}

enum store_status
sq_outbox_next(struct store *st, int64_t after, int64_t *at)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_NEXT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, after);
	if ((rc = sq_row(sq, s, "reading the outbox")) == STORE_OK)
		*at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_outbox_get(struct store *st, int64_t id, store_outbox_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_GET);
	struct outbox_row	 o;
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading the outbox")) == STORE_OK) {
		outbox_from_row(s, &o);
		rc = cb(&o, arg);
	}
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_outbox_update(struct store *st, const struct outbox_row *o)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_UPDATE);

	sqlite3_bind_text(s, 1, o->o_status, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, o->o_attempts);
	sqlite3_bind_int64(s, 3, o->o_next_at);
	sqlite3_bind_text(s, 4, o->o_last_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, o->o_delivered_at);
	sqlite3_bind_int64(s, 6, o->o_id);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

enum store_status
sq_outbox_of_case(struct store *st, int64_t id, store_outbox_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_OF_CASE);

	sqlite3_bind_int64(s, 1, id);
	return outbox_walk(sq, s, "reading the outbox", cb, arg, 0);
}

enum store_status
sq_outbox_list(struct store *st, const char *status, int64_t before,
    int limit, store_outbox_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 sql[512];
	enum store_status	 rc;

	snprintf(sql, sizeof(sql), "SELECT " OUTBOX_COLUMNS " FROM outbox"
	    " WHERE (?1 IS NULL OR status = ?1) AND (?2 = 0 OR id < ?2)"
	    " ORDER BY id DESC LIMIT ?3");
	if ((rc = sq_prepare(sq, sql, &s, "reading the outbox")) != STORE_OK)
		return rc;
	if (status != NULL)
		sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, before);
	sqlite3_bind_int(s, 3, limit);
	return outbox_walk(sq, s, "reading the outbox", cb, arg, 1);
}

enum store_status
sq_outbox_count(struct store *st, const char *status, int64_t *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if ((rc = sq_prepare(sq, "SELECT count(*) FROM outbox WHERE ?1 IS"
	    " NULL OR status = ?1", &s, "counting the outbox")) != STORE_OK)
		return rc;
	if (status != NULL)
		sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "counting the outbox")) == STORE_OK)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}
