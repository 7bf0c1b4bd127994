/*
 * termijn: the SQLite store: tokens and teams kept in memory, checked
 * against the database's data version.  Over the running of statements
 * alone; the files that read and write tokens and teams use it.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

#include "store_sqlite_int.h"

/*
 * Every request names its bearer token and every registration its team,
 * and reading either from SQLite costs a statement (the token's in a read
 * transaction of its own) for a row that almost never changes.  So the
 * rows last read are kept here, in two direct-mapped tables of fixed size:
 * a token by the first bytes of its hash (a SHA-256, so spread evenly), a
 * team by a hash of its name; a row that lands on a taken slot replaces
 * what was there.  Memory is bounded (SQ_TOKEN_SLOTS and SQ_TEAM_SLOTS
 * rows, about 1 MiB in all, taken at the first look-up), whatever the
 * size of the tables.  Only rows that exist are kept: an unknown token is
 * read from the database every time, so that nobody fills the table by
 * guessing.
 *
 * A kept row is only as good as the database it came from:
 *  - Another connection's commits (termijnctl on the database file, the
 *    batch prepared ahead on termijnd's second connection) change what
 *    PRAGMA data_version answers on this one, so sq_cache_check, run at
 *    each token look-up outside a transaction and at each write
 *    transaction's start, forgets everything when it changed.  A token
 *    revoked offline is therefore refused at the next request.
 *  - This connection's own commits do not change its data version: every
 *    write to tokens (created, revoked, renamed, their teams) forgets the
 *    tokens at once (sq_cache_forget), and a rollback, whole or to a
 *    savepoint, forgets everything, so that nothing read inside a
 *    transaction that did not commit outlives it.
 *  - Teams are only ever added, never changed, so a team kept stays true.
 * Whether a token has expired is decided at each use against the clock
 * (sq_token_lookup), never kept.  A token is only kept when read outside
 * a write transaction, where what SQLite returns is committed.
 */
#define SQ_TOKEN_SLOTS	1024
#define SQ_TEAM_SLOTS	256

struct sq_token_slot {
	int			ts_used;
	unsigned char		ts_hash[HASH_SHA256_LEN];
	struct token_row	ts_row;
};

struct sq_team_slot {
	int			ms_used;
	struct team_row		ms_row;
};

static size_t	team_slot(const char *);

/* Forget what changed: CACHE_TOKENS, CACHE_TEAMS or both. */
void
sq_cache_forget(struct sqlite_store *sq, int what)
{
	size_t	i;

	if ((what & CACHE_TOKENS) && sq->sq_token_cache != NULL &&
	    sq->sq_token_kept != 0) {
		for (i = 0; i < SQ_TOKEN_SLOTS; i++)
			sq->sq_token_cache[i].ts_used = 0;
		sq->sq_token_kept = 0;
	}
	if ((what & CACHE_TEAMS) && sq->sq_team_cache != NULL &&
	    sq->sq_team_kept != 0) {
		for (i = 0; i < SQ_TEAM_SLOTS; i++)
			sq->sq_team_cache[i].ms_used = 0;
		sq->sq_team_kept = 0;
	}
}

/*
 * Forget everything when another connection committed since the last
 * check.  In a write transaction this reads the data version of the
 * transaction's own snapshot, which is the newest.
 */
enum store_status
sq_cache_check(struct sqlite_store *sq)
{
	sqlite3_stmt		*s = sq_stmt(sq, S_DATA_VERSION);
	enum store_status	 rc;
	int64_t			 v;

	if ((rc = sq_row(sq, s, "reading the data version")) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_FAILED : rc;
	v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (v != sq->sq_data_version) {
		sq_cache_forget(sq, CACHE_TOKENS | CACHE_TEAMS);
		sq->sq_data_version = v;
	}
	return STORE_OK;
}

/* The token kept for a hash: 1 and its row, or 0. */
int
sq_cache_token_get(struct sqlite_store *sq, const unsigned char *hash,
    struct token_row *tk)
{
	struct sq_token_slot	*ts;

	if (sq->sq_token_cache == NULL)
		return 0;
	ts = &sq->sq_token_cache[(hash[0] | hash[1] << 8) % SQ_TOKEN_SLOTS];
	if (!ts->ts_used || memcmp(ts->ts_hash, hash, HASH_SHA256_LEN) != 0)
		return 0;
	*tk = ts->ts_row;
	return 1;
}

/* Keep a token read outside a write transaction. */
void
sq_cache_token_put(struct sqlite_store *sq, const unsigned char *hash,
    const struct token_row *tk)
{
	struct sq_token_slot	*ts;

	if (sq->sq_txn != TXN_NONE)
		return;
	if (sq->sq_token_cache == NULL)
		sq->sq_token_cache = xcalloc(SQ_TOKEN_SLOTS,
		    sizeof(*sq->sq_token_cache));
	ts = &sq->sq_token_cache[(hash[0] | hash[1] << 8) % SQ_TOKEN_SLOTS];
	if (!ts->ts_used)
		sq->sq_token_kept++;
	ts->ts_used = 1;
	memcpy(ts->ts_hash, hash, HASH_SHA256_LEN);
	ts->ts_row = *tk;
}

/* When a token kept was last used, as store_token_touch wrote it. */
void
sq_cache_token_touch(struct sqlite_store *sq, int64_t id, int64_t at)
{
	size_t	i;

	if (sq->sq_token_cache == NULL || sq->sq_token_kept == 0)
		return;
	for (i = 0; i < SQ_TOKEN_SLOTS; i++)
		if (sq->sq_token_cache[i].ts_used &&
		    sq->sq_token_cache[i].ts_row.tk_id == id) {
			if (sq->sq_token_cache[i].ts_row.tk_last_used_at < at)
				sq->sq_token_cache[i].ts_row.tk_last_used_at =
				    at;
			return;
		}
}

/* The team kept by that name: 1 and its row, or 0. */
int
sq_cache_team_get(struct sqlite_store *sq, const char *name,
    struct team_row *tm)
{
	struct sq_team_slot	*ms;

	if (sq->sq_team_cache == NULL)
		return 0;
	ms = &sq->sq_team_cache[team_slot(name)];
	if (!ms->ms_used || strcmp(ms->ms_row.tm_name, name) != 0)
		return 0;
	*tm = ms->ms_row;
	return 1;
}

/*
 * Keep a team.  In a write transaction too: only this connection writes
 * there, a team is never changed, and a rollback forgets it.
 */
void
sq_cache_team_put(struct sqlite_store *sq, const struct team_row *tm)
{
	struct sq_team_slot	*ms;

	if (sq->sq_team_cache == NULL)
		sq->sq_team_cache = xcalloc(SQ_TEAM_SLOTS,
		    sizeof(*sq->sq_team_cache));
	ms = &sq->sq_team_cache[team_slot(tm->tm_name)];
	if (!ms->ms_used)
		sq->sq_team_kept++;
	ms->ms_used = 1;
	ms->ms_row = *tm;
}

void
sq_cache_free(struct sqlite_store *sq)
{
	free(sq->sq_token_cache);
	sq->sq_token_cache = NULL;
	free(sq->sq_team_cache);
	sq->sq_team_cache = NULL;
	sq->sq_token_kept = sq->sq_team_kept = 0;
}

/* FNV-1a of a team's name. */
static size_t
team_slot(const char *name)
{
	uint32_t	h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h % SQ_TEAM_SLOTS;
}
