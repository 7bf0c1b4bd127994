/* termijn: SQLite backend: running a statement, and a row's columns and bindings. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

#include "store_sqlite_int.h"

sqlite3_stmt *
sq_stmt(struct sqlite_store *sq, enum stmt_id id)
{
	sqlite3_stmt	*s = sq->sq_stmt[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/*
 * Log a failed statement and say what kind of failure it was.  If SQLite
 * rolled the write transaction back by itself, everything fails from now
 * until the caller's rollback (see enum sq_txn).
 */
enum store_status
sq_fail(struct sqlite_store *sq, sqlite3_stmt *s, const char *what)
{
	int			rc = sqlite3_extended_errcode(sq->sq_db);
	enum store_status	status;

	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		status = STORE_EXISTS;
	else if ((rc & 0xff) == SQLITE_FULL || rc == SQLITE_IOERR_WRITE ||
	    rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_SHMSIZE)
		status = STORE_FULL;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		status = STORE_BUSY;
	else
		status = STORE_FAILED;
	if (status == STORE_EXISTS)
		log_debug("sqlite: %s: %s", what, sqlite3_errmsg(sq->sq_db));
	else
		log_warnx("sqlite: %s: %s", what, sqlite3_errmsg(sq->sq_db));
	if (s != NULL)
		sqlite3_reset(s);
	if (sq->sq_txn == TXN_OPEN && sqlite3_get_autocommit(sq->sq_db)) {
		log_warnx("sqlite: the transaction was rolled back");
		sq->sq_txn = TXN_LOST;
		sq->sq_lost = status == STORE_EXISTS ? STORE_FAILED : status;
	} else if (sq->sq_txn == TXN_OPEN && status == STORE_BUSY) {
		/* The seam's contract: contention loses the transaction. */
		sq->sq_txn = TXN_LOST;
		sq->sq_lost = STORE_BUSY;
	}
	return status;
}

/*
 * Run a statement that returns no rows.  One that writes outside any
 * transaction commits by itself: with the synchronous setting asked for.
 */
enum store_status
sq_done(struct sqlite_store *sq, sqlite3_stmt *s)
{
	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	if (sq->sq_deferred != sq->sq_sync_normal &&
	    sqlite3_get_autocommit(sq->sq_db) && !sqlite3_stmt_readonly(s) &&
	    sq_sync_apply(sq) != STORE_OK)
		return STORE_FAILED;
	if (sqlite3_step(s) != SQLITE_DONE)
		return sq_fail(sq, s, sqlite3_sql(s));
	sqlite3_reset(s);
	return STORE_OK;
}

/*
 * Step to the next row: STORE_OK with a row to read, STORE_NOTFOUND after
 * the last, or the failure (the statement is reset then).  Every read goes
 * through here, a walk as
 *
 *	while ((rc = sq_row(sq, s, what)) == STORE_OK)
 *		read; call back; if it says stop, stopped = 1 and break
 *	return sq_walk_end(s, rc, stopped);
 */
enum store_status
sq_row(struct sqlite_store *sq, sqlite3_stmt *s, const char *what)
{
	int	rc;

	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_NOTFOUND;
	}
	return sq_fail(sq, s, what);
}

/*
 * The end of a walk: the end of the rows is success; a callback that
 * stopped it gives its own status, whatever it is.
 */
enum store_status
sq_walk_end(sqlite3_stmt *s, enum store_status rc, int stopped)
{
	sqlite3_reset(s);
	return !stopped && rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* The same for a statement prepared for this walk alone, finalized. */
enum store_status
sq_walk_final(sqlite3_stmt *s, enum store_status rc, int stopped)
{
	sqlite3_finalize(s);
	return !stopped && rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* After a write of one row: STORE_OK if it changed one, else absent. */
enum store_status
sq_changed(struct sqlite_store *sq, sqlite3_stmt *s, enum store_status absent)
{
	enum store_status	rc;

	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	return sqlite3_changes(sq->sq_db) == 1 ? STORE_OK : absent;
}

/* A text column into buf, cut to fit as snprintf would (without its cost). */
void
sq_col_text(sqlite3_stmt *s, int i, char *buf, size_t len)
{
	const char	*t = (const char *)sqlite3_column_text(s, i);
	size_t		 n;

	if (len == 0)
		return;
	n = t != NULL ? strnlen(t, len - 1) : 0;
	if (n > 0)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

/*
 * Columns i to i + n - 1 exactly as stored, for the audit chain: read only
 * for this, since reading a column as another type converts it.
 */
void
sq_col_values(sqlite3_stmt *s, int i, struct chain_value *v, size_t n)
{
	size_t	j;
	int	col;

	memset(v, 0, n * sizeof(*v));
	for (j = 0; j < n; j++) {
		col = i + (int)j;
		switch (sqlite3_column_type(s, col)) {
		case SQLITE_INTEGER:
			v[j].cv_type = CHAIN_INT;
			v[j].cv_int = sqlite3_column_int64(s, col);
			break;
		case SQLITE_FLOAT:
			v[j].cv_type = CHAIN_REAL;
			v[j].cv_real = sqlite3_column_double(s, col);
			break;
		case SQLITE_TEXT:
			v[j].cv_type = CHAIN_TEXT;
			v[j].cv_bytes = sqlite3_column_text(s, col);
			v[j].cv_len = (size_t)sqlite3_column_bytes(s, col);
			break;
		case SQLITE_BLOB:
			v[j].cv_type = CHAIN_BLOB;
			v[j].cv_bytes = sqlite3_column_blob(s, col);
			v[j].cv_len = (size_t)sqlite3_column_bytes(s, col);
			break;
		default:
			v[j].cv_type = CHAIN_NULL;
			break;
		}
	}
}

/* Bind values to parameters i on, as they are: what audit.h hashes. */
void
sq_bind_values(sqlite3_stmt *s, int i, const struct chain_value *v, size_t n)
{
	size_t	j;
	int	p;

	for (j = 0; j < n; j++) {
		p = i + (int)j;
		switch (v[j].cv_type) {
		case CHAIN_NULL:
			sqlite3_bind_null(s, p);
			break;
		case CHAIN_INT:
			sqlite3_bind_int64(s, p, v[j].cv_int);
			break;
		case CHAIN_REAL:
			sqlite3_bind_double(s, p, v[j].cv_real);
			break;
		case CHAIN_TEXT:
			sqlite3_bind_text(s, p, v[j].cv_bytes, (int)v[j].cv_len,
			    SQLITE_STATIC);
			break;
		case CHAIN_BLOB:
			sqlite3_bind_blob(s, p, v[j].cv_bytes, (int)v[j].cv_len,
			    SQLITE_STATIC);
			break;
		}
	}
}

/* A blob of a fixed size; zeros when the column holds another size. */
void
sq_col_blob(sqlite3_stmt *s, int i, unsigned char *buf, size_t len)
{
	const void	*b = sqlite3_column_blob(s, i);

	if (b != NULL && (size_t)sqlite3_column_bytes(s, i) == len)
		memcpy(buf, b, len);
	else
		memset(buf, 0, len);
}

/*
 * SQLite's synchronous setting as store_defer_sync last asked for it
 * (sq_deferred), set only when it differs from what SQLite has
 * (sq_sync_normal), and only between transactions, where SQLite allows
 * it: before each transaction begins and before a write that commits by
 * itself.  So a run of deferred batches sets it once, not twice a batch,
 * and every commit that is not deferred is still made with FULL.
 */
enum store_status
sq_sync_apply(struct sqlite_store *sq)
{
	if (sq->sq_deferred == sq->sq_sync_normal)
		return STORE_OK;
	if (sq_exec(sq, sq->sq_deferred ? "PRAGMA synchronous = NORMAL" :
	    "PRAGMA synchronous = FULL") == -1)
		return STORE_FAILED;
	sq->sq_sync_normal = sq->sq_deferred;
	return STORE_OK;
}

int
sq_exec(struct sqlite_store *sq, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(sq->sq_db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_warnx("sqlite: %s", msg ? msg : sqlite3_errmsg(sq->sq_db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

enum store_status
sq_prepare(struct sqlite_store *sq, const char *sql, sqlite3_stmt **s,
    const char *what)
{
	*s = NULL;
	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	if (sqlite3_prepare_v2(sq->sq_db, sql, -1, s, NULL) != SQLITE_OK)
		return sq_fail(sq, NULL, what);
	return STORE_OK;
}
