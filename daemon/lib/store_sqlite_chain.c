/*
 * termijn: the SQLite store: the audit chain's head, and appending links
 * after it.  Under the files that write links (cases' transitions and
 * marks, the route log) and over the running of statements alone.
 *
 * A write transaction reads the head once, at its first link, and keeps
 * it in memory (sq_head_*) while it appends; the head's row is written
 * once, just before the COMMIT (sq_chain_store), instead of after every
 * link.  Within the transaction the head is this connection's alone
 * (BEGIN IMMEDIATE holds the whole database), so what is kept is the
 * head.  A savepoint stores the head first, so that ROLLBACK TO leaves the
 * row as it was at the savepoint, and the head is then read again;
 * a rollback, or the end of the transaction, forgets it (sq_chain_forget).
 * Readers outside the transaction see the row, which is only ever
 * committed together with the links it covers.
 */

#include <string.h>

#include "termijn/audit.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

static enum store_status chain_lock(struct sqlite_store *, int64_t *,
	    unsigned char *);

/* The head: in a write transaction the one it keeps, if it read it. */
enum store_status
sq_chain_head(struct store *st, int64_t *id, unsigned char *hash)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	if (sq->sq_txn == TXN_OPEN && sq->sq_head_known) {
		*id = sq->sq_head_id;
		memcpy(hash, sq->sq_head_hash, HASH_SHA256_LEN);
		return STORE_OK;
	}
	s = sq_stmt(sq, S_CHAIN_HEAD);
	if ((rc = sq_row(sq, s, "reading the chain's head")) == STORE_OK) {
		*id = sqlite3_column_int64(s, 0);
		sq_col_blob(s, 1, hash, HASH_SHA256_LEN);
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * Store a link with the statement that inserts it: the values its hash
 * covers (audit.h), the hash before it and its own; the head moves to it,
 * in memory until sq_chain_store.  Only after sq_chain_next.
 */
enum store_status
sq_chain_link(struct sqlite_store *sq, sqlite3_stmt *s,
    const struct chain_value *v, size_t n, int64_t id,
    const unsigned char *prev, const unsigned char *hash)
{
	enum store_status	rc;

	sq_bind_values(s, 1, v, n);
	sqlite3_bind_blob(s, (int)n + 1, prev, HASH_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, (int)n + 2, hash, HASH_SHA256_LEN, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	sq->sq_head_id = id;
	memcpy(sq->sq_head_hash, hash, HASH_SHA256_LEN);
	sq->sq_head_moved = 1;
	if (sq->sq_txn != TXN_NONE)
		return STORE_OK;
	/* Outside a transaction (the route log may be): each on its own. */
	rc = sq_chain_store(sq);
	sq_chain_forget(sq);
	return rc;
}

/* Write the head's row where links moved it: before COMMIT or SAVEPOINT. */
enum store_status
sq_chain_store(struct sqlite_store *sq)
{
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if (!sq->sq_head_moved)
		return STORE_OK;
	s = sq_stmt(sq, S_CHAIN_HEAD_SET);
	sqlite3_bind_int64(s, 1, sq->sq_head_id);
	sqlite3_bind_blob(s, 2, sq->sq_head_hash, HASH_SHA256_LEN,
	    SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		sq->sq_head_moved = 0;
	return rc;
}

/* The transaction ended or rolled back: the head is read again. */
void
sq_chain_forget(struct sqlite_store *sq)
{
	sq->sq_head_known = 0;
	sq->sq_head_moved = 0;
}

/* A transition after the head, sealed by the caller, as audit.h says. */
enum store_status
sq_chain_append(struct store *st, struct transition_row *t,
    store_seal_cb *seal, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct chain_value	 v[AUDIT_TRANSITION_NVALUES];
	enum store_status	 rc;

	if ((rc = chain_lock(sq, &t->t_id, t->t_prev)) != STORE_OK)
		return rc;
	seal(t, arg);
	audit_transition_values(t, v);
	return sq_chain_link(sq, sq_stmt(sq, S_TR_INSERT), v, nitems(v),
	    t->t_id, t->t_prev, t->t_hash);
}

/* A mark after the head, sealed by the caller, as audit.h says. */
enum store_status
sq_chain_append_mark(struct store *st, struct chain_mark_row *mk,
    store_seal_mark_cb *seal, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct chain_value	 v[AUDIT_MARK_NVALUES];
	enum store_status	 rc;

	if ((rc = chain_lock(sq, &mk->mk_id, mk->mk_prev)) != STORE_OK)
		return rc;
	seal(mk, arg);
	audit_mark_values(mk, v);
	return sq_chain_link(sq, sq_stmt(sq, S_CHAIN_MARK_INSERT), v,
	    nitems(v), mk->mk_id, mk->mk_prev, mk->mk_hash);
}

/*
 * The id and the hash before of a link appended now.  SQLite's write
 * transaction (BEGIN IMMEDIATE) holds the whole database, so the head read
 * here stays the head until the commit: that is the head's lock.  Outside
 * one there is no lock, and the link is refused.
 */
static enum store_status
chain_lock(struct sqlite_store *sq, int64_t *id, unsigned char *prev)
{
	if (sq->sq_txn == TXN_NONE) {
		log_warnx("%s: a link of the audit chain outside a write"
		    " transaction", __func__);
		return STORE_FAILED;
	}
	return sq_chain_next(sq, id, prev);
}

/*
 * The id and the hash before of the next link: in a write transaction from
 * the head it keeps; outside one (the route log's contract allows it) from
 * the head's row, each time.
 */
enum store_status
sq_chain_next(struct sqlite_store *sq, int64_t *id, unsigned char *prev)
{
	enum store_status	rc;

	if (!sq->sq_head_known) {
		if ((rc = sq_chain_head(&sq->sq_store, &sq->sq_head_id,
		    sq->sq_head_hash)) != STORE_OK)
			return rc;
		sq->sq_head_known = sq->sq_txn != TXN_NONE;
	}
	*id = sq->sq_head_id + 1;
	memcpy(prev, sq->sq_head_hash, HASH_SHA256_LEN);
	return STORE_OK;
}
