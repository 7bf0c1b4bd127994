/* termijn: the SQLite store: tokens, teams, routes, participants, reads. */

#include <stdlib.h>
#include <string.h>


#include "termijn/audit.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

static enum store_status route_log(struct sqlite_store *sq,
	    struct route_row *rt);

static void
token_from_row(sqlite3_stmt *s, struct token_row *tk)
{
	tk->tk_id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, tk->tk_name, sizeof(tk->tk_name));
	sq_col_text(s, 2, tk->tk_role, sizeof(tk->tk_role));
	tk->tk_created_at = sqlite3_column_int64(s, 3);
	tk->tk_expires_at = sqlite3_column_int64(s, 4);
	tk->tk_last_used_at = sqlite3_column_int64(s, 5);
	tk->tk_revoked_at = sqlite3_column_int64(s, 6);
	sq_col_text(s, 7, tk->tk_teams, sizeof(tk->tk_teams));
	sq_col_text(s, 8, tk->tk_display_name, sizeof(tk->tk_display_name));
}

/* The token and each of its teams, in the caller's transaction. */
enum store_status
sq_token_insert(struct store *st, struct token_row *tk,
    const unsigned char *hash)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_INSERT);
	enum store_status	 rc;
	char			*teams, *team, *save;

	sq_cache_forget(sq, CACHE_TOKENS);
	sqlite3_bind_text(s, 1, tk->tk_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, tk->tk_role, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, HASH_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, tk->tk_created_at);
	sqlite3_bind_int64(s, 5, tk->tk_expires_at);
	sqlite3_bind_text(s, 6, tk->tk_display_name, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	tk->tk_id = sqlite3_last_insert_rowid(sq->sq_db);
	teams = xstrdup(tk->tk_teams);
	for (team = strtok_r(teams, ",", &save); team != NULL && rc == STORE_OK;
	    team = strtok_r(NULL, ",", &save)) {
		s = sq_stmt(sq, S_TOKEN_TEAM_INSERT);
		sqlite3_bind_int64(s, 1, tk->tk_id);
		sqlite3_bind_text(s, 2, team, -1, SQLITE_STATIC);
		rc = sq_done(sq, s);
	}
	free(teams);
	return rc;
}

/*
 * From memory when it is kept and nobody else committed since
 * (store_sqlite_cache.c); in a write transaction always from the database.
 */
enum store_status
sq_token_lookup(struct store *st, const unsigned char *hash, int64_t now,
    struct token_row *tk)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	memset(tk, 0, sizeof(*tk));
	if (sq->sq_txn == TXN_NONE && (rc = sq_cache_check(sq)) != STORE_OK)
		return rc;
	if (sq->sq_txn != TXN_NONE || !sq_cache_token_get(sq, hash, tk)) {
		s = sq_stmt(sq, S_TOKEN_LOOKUP);
		sqlite3_bind_blob(s, 1, hash, HASH_SHA256_LEN, SQLITE_STATIC);
		if ((rc = sq_row(sq, s, "looking up a token")) == STORE_OK)
			token_from_row(s, tk);
		sqlite3_reset(s);
		if (rc != STORE_OK)
			return rc;
		sq_cache_token_put(sq, hash, tk);
	}
	/* Revoked or expired at now: not found, but the caller may say which. */
	if (tk->tk_revoked_at != 0 ||
	    (tk->tk_expires_at != 0 && tk->tk_expires_at <= now))
		return STORE_NOTFOUND;
	return STORE_OK;
}

enum store_status
sq_token_by_name(struct store *st, const char *name, int64_t now,
    struct token_row *tk)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_BY_NAME);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if ((rc = sq_row(sq, s, "looking up a token")) == STORE_OK)
		token_from_row(s, tk);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_token_revoke(struct store *st, const char *name, int64_t now)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_REVOKE);

	sq_cache_forget(sq, CACHE_TOKENS);
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

enum store_status
sq_token_touch(struct store *st, int64_t id, int64_t at)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_TOUCH);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_int64(s, 2, id);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		sq_cache_token_touch(sq, id, at);
	return rc;
}

enum store_status
sq_token_set_display_name(struct store *st, const char *name,
    const char *display, int64_t now)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_DISPLAY_NAME);

	sq_cache_forget(sq, CACHE_TOKENS);
	sqlite3_bind_text(s, 1, display, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

/* A walk over tokens with a statement bound already. */
static enum store_status
tokens_walk(struct sqlite_store *sq, sqlite3_stmt *s, store_token_cb *cb,
    void *arg)
{
	struct token_row	 tk;
	enum store_status	 rc;
	int			 stopped = 0;

	while ((rc = sq_row(sq, s, "reading tokens")) == STORE_OK) {
		token_from_row(s, &tk);
		if ((rc = cb(&tk, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_tokens_each(struct store *st, store_token_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);

	return tokens_walk(sq, sq_stmt(sq, S_TOKEN_EACH), cb, arg);
}

enum store_status
sq_team_tokens(struct store *st, const char *team, int64_t now,
    store_token_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TEAM_TOKENS);

	sqlite3_bind_text(s, 1, team, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	return tokens_walk(sq, s, cb, arg);
}

static void
team_from_row(sqlite3_stmt *s, struct team_row *tm)
{
	sq_col_text(s, 0, tm->tm_name, sizeof(tm->tm_name));
	sq_col_text(s, 1, tm->tm_title, sizeof(tm->tm_title));
	sq_col_text(s, 2, tm->tm_organisation, sizeof(tm->tm_organisation));
	tm->tm_created_at = sqlite3_column_int64(s, 3);
}

enum store_status
sq_team_insert(struct store *st, const struct team_row *tm)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TEAM_INSERT);

	sqlite3_bind_text(s, 1, tm->tm_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, tm->tm_title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, tm->tm_organisation, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, tm->tm_created_at);
	return sq_done(sq, s);
}

enum store_status
sq_team_get(struct store *st, const char *name, struct team_row *tm)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if (sq->sq_txn != TXN_LOST && sq_cache_team_get(sq, name, tm))
		return STORE_OK;
	s = sq_stmt(sq, S_TEAM_GET);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "reading a team")) == STORE_OK) {
		team_from_row(s, tm);
		sq_cache_team_put(sq, tm);
	}
	sqlite3_reset(s);
	return rc;
}

static void
route_from_row(sqlite3_stmt *s, struct route_row *rt)
{
	rt->rt_id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, rt->rt_function, sizeof(rt->rt_function));
	sq_col_text(s, 2, rt->rt_for_team, sizeof(rt->rt_for_team));
	sq_col_text(s, 3, rt->rt_for_org, sizeof(rt->rt_for_org));
	sq_col_text(s, 4, rt->rt_team, sizeof(rt->rt_team));
	rt->rt_at = sqlite3_column_int64(s, 5);
	sq_col_text(s, 6, rt->rt_actor, sizeof(rt->rt_actor));
	rt->rt_log = rt->rt_removed = 0;
}

/* A route and its line in the log, or STORE_EXISTS for its key. */
enum store_status
sq_route_set(struct store *st, struct route_row *rt)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_ROUTE_INSERT);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, rt->rt_function, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, rt->rt_for_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, rt->rt_for_org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, rt->rt_team, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, rt->rt_at);
	sqlite3_bind_text(s, 6, rt->rt_actor, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	rt->rt_id = sqlite3_last_insert_rowid(sq->sq_db);
	rt->rt_removed = 0;
	return route_log(sq, rt);
}

/*
 * A line of the route log, appended to the audit chain after its head, as
 * a transition is: which team a join brings in is in the chain too.
 */
static enum store_status
route_log(struct sqlite_store *sq, struct route_row *rt)
{
	struct chain_value	 v[AUDIT_ROUTE_NVALUES];
	enum store_status	 rc;

	if ((rc = sq_chain_next(sq, &rt->rt_link, rt->rt_prev)) != STORE_OK)
		return rc;
	audit_hash_route(rt->rt_prev, rt, rt->rt_hash);
	audit_route_values(rt, v);
	return sq_chain_link(sq, sq_stmt(sq, S_ROUTE_LOG), v, nitems(v),
	    rt->rt_link, rt->rt_prev, rt->rt_hash);
}

/*
 * Remove the route rt_id; rt is filled with what it was, and the log says
 * who removed it when (rt_at and rt_actor as given).
 */
enum store_status
sq_route_remove(struct store *st, struct route_row *rt)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_ROUTE_GET);
	struct route_row	 old;
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, rt->rt_id);
	if ((rc = sq_row(sq, s, "reading a route")) == STORE_OK)
		route_from_row(s, &old);
	sqlite3_reset(s);
	if (rc != STORE_OK)
		return rc;
	s = sq_stmt(sq, S_ROUTE_DELETE);
	sqlite3_bind_int64(s, 1, old.rt_id);
	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	old.rt_at = rt->rt_at;
	memcpy(old.rt_actor, rt->rt_actor, sizeof(old.rt_actor));
	*rt = old;
	rt->rt_removed = 1;
	return route_log(sq, rt);
}

enum store_status
sq_route_find(struct store *st, const char *function, const char *team,
    const char *org, struct route_row *rt)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_ROUTE_FIND);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, function, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, org, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "finding a route")) == STORE_OK)
		route_from_row(s, rt);
	sqlite3_reset(s);
	return rc;
}

/* The routes, or with log set every change of them, oldest first. */
enum store_status
sq_routes_each(struct store *st, int log, store_route_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	struct route_row	 rt;
	const unsigned char	*action;
	enum store_status	 rc;
	int			 stopped = 0;

	s = sq_stmt(sq, log ? S_ROUTE_LOG_EACH : S_ROUTE_EACH);
	while ((rc = sq_row(sq, s, "reading routes")) == STORE_OK) {
		route_from_row(s, &rt);
		rt.rt_log = log;
		if (log && (action = sqlite3_column_text(s, 7)) != NULL)
			rt.rt_removed = strcmp((const char *)action,
			    "removed") == 0;
		rt.rt_link = log ? sqlite3_column_int64(s, 8) : 0;
		if ((rc = cb(&rt, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_unrouted_cases(struct store *st, int64_t after, int limit, store_case_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNROUTED_CASES);

	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return sq_case_walk(sq, s, "reading unrouted cases", cb, arg, 0);
}

enum store_status
sq_unrouted_count(struct store *st, int64_t *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNROUTED_COUNT);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "counting unrouted cases")) == STORE_OK)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_teams_each(struct store *st, store_team_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TEAM_EACH);
	struct team_row		 tm;
	enum store_status	 rc;
	int			 stopped = 0;

	while ((rc = sq_row(sq, s, "reading teams")) == STORE_OK) {
		team_from_row(s, &tm);
		if ((rc = cb(&tm, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

void
sq_participant_from_row(sqlite3_stmt *s, struct participant_row *p)
{
	p->p_id = sqlite3_column_int64(s, 0);
	p->p_case = sqlite3_column_int64(s, 1);
	sq_col_text(s, 2, p->p_team, sizeof(p->p_team));
	sq_col_text(s, 3, p->p_basis, sizeof(p->p_basis));
	sq_col_text(s, 4, p->p_purpose, sizeof(p->p_purpose));
	p->p_since = sqlite3_column_int64(s, 5);
	p->p_until = sqlite3_column_int64(s, 6);
	sq_col_text(s, 7, p->p_added_by, sizeof(p->p_added_by));
}

enum store_status
sq_participant_add(struct store *st, struct participant_row *p)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_PT_ADD);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, p->p_case);
	sqlite3_bind_text(s, 2, p->p_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->p_basis, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, p->p_purpose, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, p->p_since);
	sqlite3_bind_text(s, 6, p->p_added_by, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		p->p_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

enum store_status
sq_participant_end(struct store *st, int64_t case_id, const char *team,
    int64_t until)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_PT_END);

	sqlite3_bind_int64(s, 1, until);
	sqlite3_bind_int64(s, 2, case_id);
	sqlite3_bind_text(s, 3, team, -1, SQLITE_STATIC);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

enum store_status
sq_participants_of_case(struct store *st, int64_t id, int current,
    store_participant_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	struct participant_row	 p;
	enum store_status	 rc;
	int			 stopped = 0;

	s = sq_stmt(sq, current ? S_PT_OF_CASE_CURRENT : S_PT_OF_CASE);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading participants")) == STORE_OK) {
		sq_participant_from_row(s, &p);
		if ((rc = cb(&p, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_read_insert(struct store *st, struct read_row *rd)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RD_INSERT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, rd->rd_case);
	sqlite3_bind_int64(s, 2, rd->rd_at);
	sqlite3_bind_text(s, 3, rd->rd_token, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, rd->rd_role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, rd->rd_teams, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, rd->rd_what, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, rd->rd_request, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, rd->rd_purpose, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		rd->rd_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

enum store_status
sq_reads_of_case(struct store *st, int64_t id, int64_t after, int limit,
    store_read_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RD_OF_CASE);
	struct read_row		 rd;
	enum store_status	 rc;
	int			 stopped = 0;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sq_row(sq, s, "reading the read log")) == STORE_OK) {
		rd.rd_id = sqlite3_column_int64(s, 0);
		rd.rd_case = sqlite3_column_int64(s, 1);
		rd.rd_at = sqlite3_column_int64(s, 2);
		sq_col_text(s, 3, rd.rd_token, sizeof(rd.rd_token));
		sq_col_text(s, 4, rd.rd_role, sizeof(rd.rd_role));
		sq_col_text(s, 5, rd.rd_teams, sizeof(rd.rd_teams));
		sq_col_text(s, 6, rd.rd_what, sizeof(rd.rd_what));
		sq_col_text(s, 7, rd.rd_request, sizeof(rd.rd_request));
		sq_col_text(s, 8, rd.rd_purpose, sizeof(rd.rd_purpose));
		if ((rc = cb(&rd, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

enum store_status
sq_token_count(struct store *st, int64_t *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_COUNT);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "counting tokens")) == STORE_OK)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_idem_get(struct store *st, int64_t token, const char *key, char *reqhash,
    int *status, char **body, char *lang)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_IDEM_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, token);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	*body = NULL;
	if ((rc = sq_row(sq, s, "reading an idempotency key")) == STORE_OK) {
		sq_col_text(s, 0, reqhash, HASH_SHA256_HEX_LEN);
		*status = sqlite3_column_int(s, 1);
		sq_col_text(s, 4, lang, STORE_LANG_LEN);
		if (sqlite3_column_int(s, 3) == 0)
			rc = STORE_EXISTS;
		else
			*body = xstrdup((const char *)sqlite3_column_text(s,
			    2));
	}
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_idem_put(struct store *st, int64_t token, const char *key,
    const char *reqhash, int status, const char *body, const char *lang,
    int64_t case_id, int64_t now)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_IDEM_PUT);

	sqlite3_bind_int64(s, 1, token);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, reqhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, status);
	sqlite3_bind_text(s, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, case_id);
	sqlite3_bind_int64(s, 8, now);
	return sq_done(sq, s);
}

enum store_status
sq_workflow_put(struct store *st, const char *name, int version,
    const char *digest, const char *source, size_t len, int64_t now)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_WF_PUT);

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	sqlite3_bind_text(s, 3, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, source, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	return sq_changed(sq, s, STORE_EXISTS);
}

enum store_status
sq_workflow_digest(struct store *st, const char *name, int version,
    char *digest)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_WF_DIGEST);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	if ((rc = sq_row(sq, s, "reading a workflow version")) == STORE_OK)
		sq_col_text(s, 0, digest, HASH_SHA256_HEX_LEN);
	sqlite3_reset(s);
	return rc;
}

enum store_status
sq_workflows_each(struct store *st, store_workflow_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_WF_EACH);
	enum store_status	 rc;
	int			 stopped = 0;

	while ((rc = sq_row(sq, s, "reading workflow versions")) == STORE_OK)
		if ((rc = cb((const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    (size_t)sqlite3_column_bytes(s, 2), arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	return sq_walk_end(s, rc, stopped);
}
