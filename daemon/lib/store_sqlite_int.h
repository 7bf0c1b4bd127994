/* termijn: the SQLite store backend's parts, shared by its files only. */

#ifndef TERMIJN_STORE_SQLITE_INT_H
#define TERMIJN_STORE_SQLITE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "termijn/hash.h"
#include "termijn/store.h"

#include "store_backend.h"

/* The columns each kind of row is read with, in the order its decoder reads. */
#define CASE_COLUMNS \
	"cases.id, cases.workflow, cases.version, cases.reference, cases.team," \
	" cases.state, cases.started_at, cases.state_since, cases.created_at," \
	" cases.updated_at, cases.final, coalesce(cases.coordinator," \
	" cases.team), coalesce(cases.assignee, ''), coalesce(" \
	"cases.escalated_by, 0), coalesce(cases.escalated_due, 0)," \
	" coalesce(cases.waiting_by, 0), coalesce(cases.waiting_due, 0)," \
	" coalesce(cases.unrouted, ''), " DISPLAY_NAME_OF("cases.assignee")
#define CASE_NCOLUMNS	19
/* The display name of the token a column of names names, or ''. */
#define DISPLAY_NAME_OF(col) \
	"coalesce((SELECT display_name FROM tokens WHERE tokens.name = " col \
	"), '')"
#define OUTBOX_COLUMNS_WITH(body) \
	"id, case_id, coalesce(notification_id, 0), type, team, role, " body \
	", status, attempts, next_at, coalesce(last_error, ''), created_at," \
	" coalesce(delivered_at, 0)"
#define OUTBOX_COLUMNS	OUTBOX_COLUMNS_WITH("body")
#define DEADLINE_COLUMNS \
	"deadlines.id, deadlines.case_id, deadlines.name, deadlines.state," \
	" deadlines.then_state, deadlines.period, deadlines.rule," \
	" deadlines.kind, deadlines.anchor, deadlines.due, deadlines.active," \
	" deadlines.running, deadlines.passed, deadlines.scope," \
	" deadlines.suspended_since, deadlines.suspended_days," \
	" deadlines.suspended_ms, deadlines.extensions"
#define RUNG_COLUMNS \
	"id, case_id, deadline_id, name, seq, due, fired_at, missed," \
	" skipped, holder"
#define NOTIFICATION_COLUMNS \
	"id, case_id, coalesce(rung_id, 0), role, deadline, rung, seq," \
	" missed, at, created_at, coalesce(entered, '')"
#define ROUTE_COLUMNS \
	"id, function, coalesce(for_team, ''), coalesce(for_org, ''), team," \
	" at, actor"
/*
 * A transition's columns that the chain hashes, in audit.h's order, then
 * its links.  The audit reads the hashed ones a second time after these,
 * as stored: a column read as text is no longer what was stored.
 */
#define TRANSITION_HASHED \
	"id, case_id, at, recorded_at, from_state, to_state, cause, event," \
	" actor, note, basis, detail, workflow, version, final"
#define TRANSITION_COLUMNS	TRANSITION_HASHED ", prev_hash, hash"
#define TRANSITION_NCOLUMNS	17
#define MARK_HASHED \
	"id, kind, case_id, at, actor, team, workflow, version, final"
#define MARK_COLUMNS		MARK_HASHED ", prev_hash, hash"
#define MARK_NCOLUMNS		11
#define GAP_COLUMNS		"id, case_id, prev_hash, hash"
#define ROUTE_LINK_HASHED \
	"link, action, function, for_team, for_org, team, at, actor"
#define ROUTE_LINK_COLUMNS	ROUTE_LINK_HASHED ", prev_hash, hash, id"
#define ROUTE_LINK_NCOLUMNS	11
#define TOKEN_COLUMNS \
	"id, name, role, created_at, coalesce(expires_at, 0)," \
	" coalesce(last_used_at, 0), coalesce(revoked_at, 0), (SELECT" \
	" coalesce(group_concat(team, ','), '') FROM (SELECT team FROM" \
	" token_teams WHERE token_id = tokens.id ORDER BY team))," \
	" coalesce(display_name, '')"
#define PARTICIPANT_COLUMNS \
	"id, case_id, team, basis, coalesce(purpose, ''), since," \
	" coalesce(until, 0), added_by"
#define PARTICIPANT_NCOLUMNS	8
#define READ_COLUMNS \
	"id, case_id, at, token, role, teams, what, coalesce(request, '')," \
	" coalesce(purpose, '')"
#define TOMBSTONE_COLUMNS \
	"case_id, workflow, version, team, started_at, closed_at," \
	" destroyed_at, destroyed_by"

/*
 * Whether token ?N may see a case (in a query over cases): one of its
 * teams owns the case or takes part in it.  Every read for a person is
 * filtered here, in the SQL itself, never after the fact.
 */
#define VISIBLE_TO(n) \
	"(cases.team IN (SELECT team FROM token_teams WHERE token_id = ?" n \
	") OR EXISTS (SELECT 1 FROM participants p JOIN token_teams tt ON" \
	" tt.team = p.team WHERE p.case_id = cases.id AND p.until IS NULL" \
	" AND tt.token_id = ?" n "))"

/*
 * The same for one case, found by its id: a team looked up in token_teams'
 * key, where VISIBLE_TO's "IN (SELECT ...)" would build a temporary table
 * of the token's teams each time (it pays for a list, which it lets walk
 * the teams' index; not for one row).
 */
#define VISIBLE_ONE(n) \
	"(EXISTS (SELECT 1 FROM token_teams WHERE token_id = ?" n \
	" AND team = cases.team) OR EXISTS (SELECT 1 FROM participants p" \
	" JOIN token_teams tt ON tt.team = p.team WHERE p.case_id =" \
	" cases.id AND p.until IS NULL AND tt.token_id = ?" n "))"

/*
 * Every statement termijn runs is prepared once, when the store opens, and
 * reset after each use.  The table below names them; the enum indexes it.
 */
enum stmt_id {
	S_BEGIN,
	S_BEGIN_READ,
	S_DATA_VERSION,
	S_COMMIT,
	S_ROLLBACK,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_CASE_INSERT,
	S_CASE_GET,
	S_CASE_OPEN_FIND,
	S_CASE_GET_FOR,
	S_DL_INSERT,
	S_DL_UPDATE,
	S_DL_OF_CASE,
	S_DL_OF_CASE_ACTIVE,
	S_DL_OF_CASE_PASSED,
	S_DL_STOP,
	S_DL_STOP_STATE,
	S_DL_GET,
	S_DL_FIND,
	S_RG_INSERT,
	S_RG_NEXT,
	S_RG_CLAIM,
	S_RG_UNCLAIM,
	S_RG_FIRST_OF_CASE,
	S_RG_MARK_FIRED,
	S_RG_CANCEL_CASE,
	S_RG_CANCEL_DEADLINE,
	S_RG_CANCEL_HOLDER,
	S_RG_HAND_OVER,
	S_RG_FORGET,
	S_RG_LAST_SEQ,
	S_RG_OF_DEADLINE,
	S_NT_INSERT,
	S_NT_OF_CASE,
	S_TR_INSERT,
	S_TR_OF_CASE,
	S_TR_LAST_AT,
	S_TR_LAST,
	S_UNDO_PUT,
	S_UNDO_GET,
	S_CHAIN_HEAD,
	S_CHAIN_HEAD_SET,
	S_CHAIN_TRANSITIONS,
	S_CHAIN_GAPS,
	S_CHAIN_MARKS,
	S_CHAIN_ROUTES,
	S_CHAIN_MARK_INSERT,
	S_CHAIN_ENCODING,
	S_ROUTE_INSERT,
	S_ROUTE_DELETE,
	S_ROUTE_GET,
	S_ROUTE_FIND,
	S_ROUTE_EACH,
	S_ROUTE_LOG,
	S_ROUTE_LOG_EACH,
	S_UNROUTED_COUNT,
	S_UNROUTED_CASES,
	S_TEAM_INSERT,
	S_TEAM_GET,
	S_TEAM_EACH,
	S_TOKEN_INSERT,
	S_TOKEN_TEAM_INSERT,
	S_TOKEN_LOOKUP,
	S_TOKEN_BY_NAME,
	S_TOKEN_REVOKE,
	S_TOKEN_TOUCH,
	S_TOKEN_EACH,
	S_TOKEN_COUNT,
	S_TOKEN_DISPLAY_NAME,
	S_TEAM_TOKENS,
	S_PT_ADD,
	S_PT_END,
	S_PT_OF_CASE,
	S_PT_OF_CASE_CURRENT,
	S_RD_INSERT,
	S_RD_OF_CASE,
	S_CLOSED_BEFORE,
	S_DESTROY_TOMBSTONE,
	S_DESTROY_GAPS,
	S_DESTROY_NOTIFICATIONS,
	S_DESTROY_RUNGS,
	S_DESTROY_DEADLINES,
	S_DESTROY_PARTICIPANTS,
	S_DESTROY_READS,
	S_DESTROY_IDEMPOTENCY,
	S_DESTROY_TRANSITIONS,
	S_DESTROY_CASE,
	S_TOMBSTONE_GET,
	S_DESTROY_OUTBOX,
	S_DESTROY_UNDO,
	S_OUTBOX_INSERT,
	S_OUTBOX_DUE,
	S_OUTBOX_NEXT,
	S_OUTBOX_GET,
	S_OUTBOX_UPDATE,
	S_OUTBOX_OF_CASE,
	S_IDEM_GET,
	S_IDEM_PUT,
	S_WF_PUT,
	S_WF_DIGEST,
	S_WF_EACH,
	S__COUNT
};


extern const char *const sq_stmt_sql[S__COUNT];

/*
 * Checkpoints copy the WAL back into the database file.  SQLite runs one
 * inside a commit every 1000 pages by default, which puts a stall of tens
 * of milliseconds into a burst of writes, just when deadlines fire; run on
 * the event loop at a quiet moment, one after a large catch-up still
 * stalls every request for a hundred milliseconds.  So termijnd runs them
 * on a thread of their own, with a connection of its own: a passive
 * checkpoint never blocks the writer or the readers, and the copy and its
 * fsync use the core the event loop does not.  The automatic checkpoint
 * stays only as a bound on the WAL's size, at about 64 MiB.
 */
#define SQ_AUTOCHECKPOINT	"16384"
#define SQ_CACHE_SIZE		"-32768"	/* KiB of page cache */
/* Room the write probe wants free: a group commit of a few registrations. */
#define SQ_PROBE_ROOM		(1024ULL * 1024)
#define SQ_SCAN_CACHE_SIZE	"-1024"		/* while a monitoring scan runs */
#define SQ_CHECKPOINT_MS	1000
#define SQ_BUSY_MS		5000		/* the writer waits for a lock */
#define SQ_BUSY_STEP_MS		2		/* between two tries of it */

/*
 * How large the WAL stays (store_sqlite_wal.c): at most SQ_WAL_LIMIT once
 * a burst is over, at most SQ_WAL_MAX (journal_size_limit: the autocheck-
 * point's bound) under a load that needs it.
 */
#define SQ_WAL_LIMIT		INT64_C(16777216)
#define SQ_WAL_MAX_TEXT		"67108864"

/*
 * A scrub a reader holds back is tried again after 100 ms, then twice as
 * long each time up to 5 s; the first try is waited for at most 1 s.
 */
#define SQ_SCRUB_FIRST_MS	100
#define SQ_SCRUB_MAX_MS		5000
#define SQ_SCRUB_WAIT_MS	1000

/*
 * Where the store's write transaction is.  SQLite rolls a transaction back
 * by itself on some errors (a full disk, an I/O error); the statements
 * after it would then each commit on their own, outside any transaction.
 * So once that happened every call fails, with the status of the failure
 * that caused it, until the caller rolls back.
 */
enum sq_txn {
	TXN_NONE,
	TXN_OPEN,
	TXN_LOST,
};

/* Statements that update a case's changed columns only, by their mask. */
#define SQ_CASE_UPDATES	8
struct sq_case_update {
	unsigned int	 cu_mask;
	sqlite3_stmt	*cu_stmt;
};

struct sqlite_store {
	struct store	 sq_store;	/* first: the seam's part */
	sqlite3		*sq_db;
	char		*sq_path;
	int		 sq_lock_fd;	/* the held <db>.lock, or -1 */
	sqlite3_stmt	*sq_stmt[S__COUNT];
	int		 sq_version;
	enum sq_txn	 sq_txn;
	int		 sq_busy_ms;	/* store_busy_wait */
	int		 sq_wal_fd;	/* store_sync's, or -1 */
	int		 sq_deferred;	/* store_defer_sync: asked for */
	int		 sq_sync_normal;	/* what SQLite has (sq_sync_apply) */
	void		(*sq_on_wait)(void *);	/* store_on_wait */
	void		*sq_on_wait_arg;
	/* store_on_queued: kept, never called (no other writer). */
	void		(*sq_on_queued)(void *, int64_t);
	void		*sq_on_queued_arg;
	enum store_status sq_lost;	/* why the transaction was lost */
	/* Tokens and teams kept in memory (store_sqlite_cache.c). */
	struct sq_token_slot *sq_token_cache;	/* or NULL */
	struct sq_team_slot *sq_team_cache;	/* or NULL */
	size_t		 sq_token_kept;
	size_t		 sq_team_kept;
	int64_t		 sq_data_version;	/* as last checked */
	/*
	 * The audit chain's head in a write transaction, read at its first
	 * link and stored at its commit (store_sqlite_chain.c).
	 */
	int		 sq_head_known;
	int		 sq_head_moved;	/* not stored yet */
	int64_t		 sq_head_id;
	unsigned char	 sq_head_hash[HASH_SHA256_LEN];
	/*
	 * The case as the open write transaction holds it: as store_case_lock
	 * read it or store_case_update_state last wrote it (c_id 0: none).
	 */
	struct case_row	 sq_held;
	struct sq_case_update sq_cu[SQ_CASE_UPDATES];
	size_t		 sq_cu_next;	/* the slot taken next */
	/* The checkpointer thread, when started (store_sqlite_wal.c). */
	sqlite3		*sq_ck_db;
	char		*sq_wal_path;
	pthread_t	 sq_ck_thread;
	pthread_mutex_t	 sq_ck_lock;	/* over what follows */
	pthread_cond_t	 sq_ck_cond;	/* wakes the thread */
	int		 sq_ck_stop;
	int		 sq_ck_running;
	int64_t		 sq_ck_timeout;	/* ms a scrub is tried for */
	int		 sq_ck_page;	/* the database's page size */
	uint64_t	 sq_wal_truncations;
	/* Scrubs: asked for by store_scrub, tried by the thread. */
	pthread_cond_t	 sq_sc_cond;	/* a scrub was tried */
	int		 sq_sc_pending;	/* destroyed bytes may be left */
	int		 sq_sc_trying;	/* and the thread tries again */
	int		 sq_sc_busy;	/* a reader held this one back */
	uint64_t	 sq_sc_asked;	/* scrubs asked for */
	uint64_t	 sq_sc_tried;	/* the last of them tried */
	int64_t		 sq_sc_since;	/* monotonic ms: asked at */
	int64_t		 sq_sc_next;	/* the next try */
	int64_t		 sq_sc_delay;	/* the wait after the next */
	uint64_t	 sq_sc_retries;	/* tries held back */
	uint64_t	 sq_sc_given_up;
};

#define SQ(st)	((struct sqlite_store *)(st))

/*
 * Statements, their results and their errors, and a row's columns
 * (store_sqlite_row.c, under every other file of the backend).
 */
int sq_exec(struct sqlite_store *sq, const char *sql);
enum store_status sq_prepare(struct sqlite_store *sq, const char *sql,
	    sqlite3_stmt **s, const char *what);
sqlite3_stmt *sq_stmt(struct sqlite_store *sq, enum stmt_id id);
enum store_status sq_fail(struct sqlite_store *sq, sqlite3_stmt *s,
	    const char *what);
enum store_status sq_done(struct sqlite_store *sq, sqlite3_stmt *s);
enum store_status sq_sync_apply(struct sqlite_store *sq);
enum store_status sq_row(struct sqlite_store *sq, sqlite3_stmt *s,
	    const char *what);
enum store_status sq_walk_end(sqlite3_stmt *s, enum store_status rc,
	    int stopped);
enum store_status sq_walk_final(sqlite3_stmt *s, enum store_status rc,
	    int stopped);
enum store_status sq_changed(struct sqlite_store *sq, sqlite3_stmt *s,
	    enum store_status absent);
void sq_col_text(sqlite3_stmt *s, int i, char *buf, size_t len);
void sq_col_blob(sqlite3_stmt *s, int i, unsigned char *buf, size_t len);
void sq_col_values(sqlite3_stmt *s, int i, struct chain_value *v, size_t n);
void sq_bind_values(sqlite3_stmt *s, int i, const struct chain_value *v,
	    size_t n);

/*
 * Tokens and teams kept in memory (store_sqlite_cache.c, over the running
 * of statements; under the files that read and write them).
 */
#define CACHE_TOKENS	0x1
#define CACHE_TEAMS	0x2
enum store_status sq_cache_check(struct sqlite_store *sq);
void sq_cache_forget(struct sqlite_store *sq, int what);
int sq_cache_token_get(struct sqlite_store *sq, const unsigned char *hash,
	    struct token_row *tk);
void sq_cache_token_put(struct sqlite_store *sq, const unsigned char *hash,
	    const struct token_row *tk);
void sq_cache_token_touch(struct sqlite_store *sq, int64_t id, int64_t at);
int sq_cache_team_get(struct sqlite_store *sq, const char *name,
	    struct team_row *tm);
void sq_cache_team_put(struct sqlite_store *sq, const struct team_row *tm);
void sq_cache_free(struct sqlite_store *sq);

/* The database's directory and mode, for the serving process (_files.c). */
int sq_files_prepare(const char *path, char *err, size_t errlen);

/* The WAL's upkeep and scrubbing (store_sqlite_wal.c). */
enum store_status sq_upkeep_start(struct store *st, double scrub_timeout,
	    char *err, size_t errlen);
void sq_upkeep_stop(struct store *st);
void sq_upkeep_stats(struct store *st, struct upkeep_stats *us);
enum store_status sq_scrub(struct store *st);

/* The schema (store_sqlite_schema.c). */
int sq_schema_check(struct sqlite_store *sq, char *err, size_t errlen);
int sq_user_version(struct sqlite_store *sq, int *version, char *err,
	    size_t errlen);
int sq_migrate(struct sqlite_store *sq, char *err, size_t errlen);
size_t sq_schema_latest(void);

/* Cases, deadlines, rungs, notifications, transitions (_cases.c). */
void sq_case_from_row(sqlite3_stmt *s, struct case_row *c);
enum store_status sq_case_walk(struct sqlite_store *sq, sqlite3_stmt *s,
	    const char *what, store_case_cb *cb, void *arg, int finalize);
enum store_status sq_case_insert(struct store *st, struct case_row *c);
enum store_status sq_case_get(struct store *st, int64_t id, struct case_row *c);
enum store_status sq_case_lock(struct store *st, int64_t id, struct case_row *c);
enum store_status sq_case_open_find(struct store *st, const char *workflow,
	    const char *reference, const char *team, struct case_row *c);
enum store_status sq_case_get_for(struct store *st, int64_t id, int64_t token,
	    struct case_row *c);
enum store_status sq_case_update_state(struct store *st,
	    const struct case_row *c);
enum store_status sq_case_list(struct store *st, const struct case_filter *f,
	    store_case_cb *cb, void *arg);
void sq_deadline_from_cols(sqlite3_stmt *s, int i, struct deadline_row *d);
enum store_status sq_deadline_insert(struct store *st, struct deadline_row *d);
enum store_status sq_deadline_update(struct store *st,
	    const struct deadline_row *d);
enum store_status sq_deadlines_of_case(struct store *st, int64_t id,
	    enum store_deadline_set set, store_deadline_cb *cb, void *arg);
enum store_status sq_deadlines_stop(struct store *st, int64_t id,
	    const char *state);
enum store_status sq_deadline_get(struct store *st, int64_t id,
	    struct deadline_row *d);
enum store_status sq_deadline_find(struct store *st, int64_t id,
	    const char *name, struct deadline_row *d);
enum store_status sq_rung_insert(struct store *st, const struct rung_row *r);
enum store_status sq_rung_next(struct store *st, int64_t *due);
enum store_status sq_rungs_claim(struct store *st, int64_t now,
	    struct rung_row *out, size_t max, size_t *n);
enum store_status sq_rungs_unclaim(struct store *st, struct rung_row *r,
	    size_t n);
enum store_status sq_rung_first_of_case(struct store *st, int64_t id,
	    struct rung_row *r);
enum store_status sq_rung_mark_fired(struct store *st, const struct rung_row *r,
	    int64_t at, int missed, int skipped);
enum store_status sq_rungs_cancel(struct store *st, int64_t id,
	    int64_t deadline, const char *holder);
enum store_status sq_rungs_hand_over(struct store *st, int64_t deadline,
	    const char *holder);
enum store_status sq_rung_forget(struct store *st, int64_t deadline,
	    const char *name);
enum store_status sq_rung_last_seq(struct store *st, int64_t deadline,
	    const char *name, int *seq, int *pending);
enum store_status sq_rungs_of_deadline(struct store *st, int64_t id,
	    store_rung_cb *cb, void *arg);
enum store_status sq_notification_insert(struct store *st,
	    struct notification_row *n);
enum store_status sq_notifications_of_case(struct store *st, int64_t id,
	    store_notification_cb *cb, void *arg);
void sq_transition_from_row(sqlite3_stmt *s, struct transition_row *t);
enum store_status sq_transitions_of_case(struct store *st, int64_t id,
	    int64_t after, int limit, store_transition_cb *cb, void *arg);
enum store_status sq_transition_last_at(struct store *st, int64_t id,
	    int64_t *at);
enum store_status sq_transition_last(struct store *st, int64_t id,
	    struct transition_row *t);
enum store_status sq_undo_put(struct store *st, int64_t id, int64_t transition,
	    const char *data);
enum store_status sq_undo_get(struct store *st, int64_t id, int64_t *transition,
	    char **data);

/* Tokens, teams, routes, participants, reads, keys (_access.c). */
enum store_status sq_token_insert(struct store *st, struct token_row *tk,
	    const unsigned char *hash);
enum store_status sq_token_lookup(struct store *st, const unsigned char *hash,
	    int64_t now, struct token_row *tk);
enum store_status sq_token_by_name(struct store *st, const char *name,
	    int64_t now, struct token_row *tk);
enum store_status sq_token_revoke(struct store *st, const char *name,
	    int64_t now);
enum store_status sq_token_touch(struct store *st, int64_t id, int64_t at);
enum store_status sq_token_set_display_name(struct store *, const char *,
    const char *, int64_t);
enum store_status sq_team_tokens(struct store *, const char *, int64_t,
    store_token_cb *, void *);
enum store_status sq_tokens_each(struct store *st, store_token_cb *cb,
	    void *arg);
enum store_status sq_team_insert(struct store *st, const struct team_row *tm);
enum store_status sq_team_get(struct store *st, const char *name,
	    struct team_row *tm);
enum store_status sq_route_set(struct store *st, struct route_row *rt);
enum store_status sq_route_remove(struct store *st, struct route_row *rt);
enum store_status sq_route_find(struct store *st, const char *function,
	    const char *team, const char *org, struct route_row *rt);
enum store_status sq_routes_each(struct store *st, int log, store_route_cb *cb,
	    void *arg);
enum store_status sq_unrouted_cases(struct store *st, int64_t after, int limit,
	    store_case_cb *cb, void *arg);
enum store_status sq_unrouted_count(struct store *st, int64_t *n);
enum store_status sq_teams_each(struct store *st, store_team_cb *cb, void *arg);
enum store_status sq_participant_add(struct store *st,
	    struct participant_row *p);
enum store_status sq_participant_end(struct store *st, int64_t case_id,
	    const char *team, int64_t until);
enum store_status sq_participants_of_case(struct store *st, int64_t id,
	    int current, store_participant_cb *cb, void *arg);
void sq_participant_from_row(sqlite3_stmt *s, struct participant_row *p);
enum store_status sq_read_insert(struct store *st, struct read_row *rd);
enum store_status sq_reads_of_case(struct store *st, int64_t id, int64_t after,
	    int limit, store_read_cb *cb, void *arg);
enum store_status sq_token_count(struct store *st, int64_t *n);
enum store_status sq_idem_get(struct store *st, int64_t token, const char *key,
	    char *reqhash, int *status, char **body, char *lang);
enum store_status sq_idem_put(struct store *st, int64_t token, const char *key,
	    const char *reqhash, int status, const char *body, const char *lang,
	    int64_t case_id, int64_t now);
enum store_status sq_workflow_put(struct store *st, const char *name,
	    int version, const char *digest, const char *source, size_t len,
	    int64_t now);
enum store_status sq_workflow_digest(struct store *st, const char *name,
	    int version, char *digest);
enum store_status sq_workflows_each(struct store *st, store_workflow_cb *cb,
	    void *arg);

/*
 * The chain's head and appending after it (store_sqlite_chain.c, under
 * the files that write links).
 */
enum store_status sq_chain_head(struct store *st, int64_t *id,
	    unsigned char *hash);
enum store_status sq_chain_append(struct store *st, struct transition_row *t,
	    store_seal_cb *seal, void *arg);
enum store_status sq_chain_append_mark(struct store *st,
	    struct chain_mark_row *mk, store_seal_mark_cb *seal, void *arg);
enum store_status sq_chain_next(struct sqlite_store *sq, int64_t *id,
	    unsigned char *prev);
enum store_status sq_chain_store(struct sqlite_store *sq);
void sq_chain_forget(struct sqlite_store *sq);
enum store_status sq_chain_link(struct sqlite_store *sq, sqlite3_stmt *s,
	    const struct chain_value *v, size_t n, int64_t id,
	    const unsigned char *prev, const unsigned char *hash);

/* The chain and destruction (store_sqlite_audit.c). */
enum store_status sq_chain_walk(struct store *st, store_chain_cb *cb,
	    void *arg);
enum store_status sq_chain_encoding(struct store *st, int64_t *from);
void sq_mark_from_row(sqlite3_stmt *s, struct chain_mark_row *mk);
enum store_status sq_case_facts(struct store *st, store_fact_cb *cb,
	    void *arg);
enum store_status sq_cases_closed_before(struct store *st, const char *workflow,
	    int version, int64_t before, int limit, store_case_cb *cb,
	    void *arg);
enum store_status sq_case_destroy(struct store *st,
	    const struct tombstone_row *ts);
enum store_status sq_tombstone_get(struct store *st, int64_t id,
	    struct tombstone_row *ts);
void sq_tombstone_from_row(sqlite3_stmt *s, struct tombstone_row *ts);

/* Views and counts (store_sqlite_views.c). */
enum store_status sq_case_counts(struct store *st, store_count_cb *cb,
	    void *arg);
enum store_status sq_rung_counts(struct store *st, int64_t now,
	    int64_t *pending, int64_t *due);
enum store_status sq_overdue(struct store *st, const struct view_filter *vf,
	    store_case_deadline_cb *cb, void *arg);
enum store_status sq_at_risk(struct store *st, const struct view_filter *vf,
	    const struct risk_window *rw, store_case_deadline_cb *cb,
	    void *arg);
enum store_status sq_suspended(struct store *st, const struct view_filter *vf,
	    store_case_deadline_cb *cb, void *arg);
enum store_status sq_summary(struct store *st, const struct view_filter *vf,
	    const struct risk_window *rw, store_summary_cb *cb, void *arg);
enum store_status sq_queue(struct store *st, const struct view_filter *vf,
	    const struct queue_state *qs, size_t n, store_case_cb *cb,
	    void *arg);
enum store_status sq_report_deadlines(struct store *st,
	    const struct view_filter *vf, int64_t from, int64_t to,
	    store_case_deadline_cb *cb, void *arg);
enum store_status sq_report_closed(struct store *st,
	    const struct view_filter *vf, int64_t from, int64_t to,
	    store_case_cb *cb, void *arg);

/* The outbox (store_sqlite_outbox.c). */
enum store_status sq_outbox_insert(struct store *st, struct outbox_row *o);
enum store_status sq_outbox_due(struct store *st, int64_t now, int max,
	    store_outbox_cb *cb, void *arg);
enum store_status sq_outbox_next(struct store *st, int64_t after, int64_t *at);
enum store_status sq_outbox_get(struct store *st, int64_t id,
	    store_outbox_cb *cb, void *arg);
enum store_status sq_outbox_update(struct store *st,
	    const struct outbox_row *o);
enum store_status sq_outbox_of_case(struct store *st, int64_t id,
	    store_outbox_cb *cb, void *arg);
enum store_status sq_outbox_list(struct store *st, const char *status,
	    int64_t before, int limit, store_outbox_cb *cb, void *arg);
enum store_status sq_outbox_count(struct store *st, const char *status,
	    int64_t *n);

#endif
