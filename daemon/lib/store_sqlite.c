/* termijn: the SQLite store, the default: opening, transactions, backup. */

#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "termijn/lockfile.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

static int sq_hold(struct sqlite_store *sq, char *err, size_t errlen);
static void sq_close(struct store *st);
static int sq_busy(void *, int);

/* Any location is a path to a SQLite file: this backend is asked last. */
static int
sq_claims(const char *location)
{
	return location[0] != '\0';
}

/* A database file there, readable: a path's business, not the core's. */
static enum store_status
sq_exists(const char *path, char *err, size_t errlen)
{
	if (access(path, R_OK) == 0)
		return STORE_OK;
	if (errno == ENOENT)
		return STORE_NOTFOUND;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return STORE_FAILED;
}

/*
 * SQLite as this program uses it: every connection owned by one thread at
 * a time (NOMUTEX), so no statistics of memory kept under a global mutex
 * on every allocation.  Before the library initialises, once.
 */
static void
sq_configure(void)
{
	static int	done;

	if (done++)
		return;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static struct store *
sq_open(const char *path, enum store_open_mode mode, char *err,
    size_t errlen)
{
	struct sqlite_store	*sq;
	size_t			 i;
	int			 rc;

	/* Only the process that serves it makes its directory. */
	if (mode == STORE_OPEN_SERVE && sq_files_prepare(path, err, errlen) ==
	    -1)
		return NULL;
	sq_configure();
	sq = xcalloc(1, sizeof(*sq));
	sq->sq_store.st_backend = &store_sqlite_backend;
	sq->sq_path = xstrdup(path);
	sq->sq_lock_fd = -1;
	sq->sq_wal_fd = -1;
	sq->sq_busy_ms = SQ_BUSY_MS;
	rc = sqlite3_open_v2(path, &sq->sq_db, (mode == STORE_OPEN_READONLY ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sq->sq_db ?
		    sqlite3_errmsg(sq->sq_db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(sq->sq_db, 1);
	sqlite3_busy_handler(sq->sq_db, sq_busy, sq);
	/* A newer database is refused before anything, even WAL, is written. */
	if (sq_user_version(sq, &sq->sq_version, err, errlen) == -1)
		goto fail;
	/* Held before anything is written: a refused one migrates nothing. */
	if (mode == STORE_OPEN_SERVE && sq_hold(sq, err, errlen) == -1)
		goto fail;
	/*
	 * WAL with synchronous=FULL: a commit is on disk when COMMIT returns,
	 * and readers never block the writer.  A reader only checks that it
	 * knows the schema; it never migrates a database under termijnd.
	 */
	if (mode == STORE_OPEN_READONLY) {
		if (sq_schema_check(sq, err, errlen) == -1)
			goto fail;
	} else {
		if (sq_exec(sq, "PRAGMA journal_mode = WAL") == -1 ||
		    sq_exec(sq, "PRAGMA synchronous = FULL") == -1 ||
		    sq_exec(sq, "PRAGMA cache_size = " SQ_CACHE_SIZE) == -1 ||
		    sq_exec(sq, "PRAGMA temp_store = MEMORY") == -1 ||
		    sq_exec(sq, "PRAGMA wal_autocheckpoint = "
		    SQ_AUTOCHECKPOINT) == -1 ||
		    sq_exec(sq, "PRAGMA journal_size_limit = "
		    SQ_WAL_MAX_TEXT) == -1 ||
		    sq_exec(sq, "PRAGMA foreign_keys = ON") == -1 ||
		    sq_exec(sq, "PRAGMA trusted_schema = OFF") == -1 ||
		    sq_exec(sq, "PRAGMA secure_delete = ON") == -1) {
			snprintf(err, errlen, "%s: %s", path,
			    sqlite3_errmsg(sq->sq_db));
			goto fail;
		}
		if (sq_migrate(sq, err, errlen) == -1)
			goto fail;
	}
	for (i = 0; i < S__COUNT; i++) {
		rc = sqlite3_prepare_v3(sq->sq_db, sq_stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &sq->sq_stmt[i], NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: preparing \"%s\": %s", path,
			    sq_stmt_sql[i], sqlite3_errmsg(sq->sq_db));
			goto fail;
		}
	}
	return &sq->sq_store;
fail:
	sq_close(&sq->sq_store);
	return NULL;
}

/*
 * One termijnd per SQLite database.  SQLite tells a process nothing of what
 * another one wrote, so two daemons on one file would each arm timers only
 * for the rungs they queued themselves and fight over the write lock (the
 * store's seam promises that a backend tells the scheduler of rungs another
 * writer queued; SQLite keeps it by having no other writer).  So the
 * serving process holds <db>.lock, beside the database, with its pid in it
 * (lockfile.c).  The file is found through the database's real path, so a
 * symbolic link to the database leads to the same lock.  Not a lock on the
 * database file itself: SQLite's own locks there are fcntl locks, which a
 * process loses whenever it closes any descriptor of the file.  Processes
 * that open the database for a moment (termijnctl --db, termijnd --check,
 * backups) take no part in this.
 */
static int
sq_hold(struct sqlite_store *sq, char *err, size_t errlen)
{
	char	 real[PATH_MAX], *lock;
	pid_t	 holder;

	xasprintf(&lock, "%s.lock", realpath(sq->sq_path, real) != NULL ?
	    real : sq->sq_path);
	sq->sq_lock_fd = lockfile_take(lock, &holder, err, errlen);
	if (sq->sq_lock_fd == -1 && holder > 0)
		snprintf(err, errlen, "database %s is in use by termijnd (pid"
		    " %ld); one termijnd per SQLite database", sq->sq_path,
		    (long)holder);
	else if (sq->sq_lock_fd == -1 && holder == 0)
		snprintf(err, errlen, "database %s is in use by another"
		    " termijnd (its pid is not in %s yet); one termijnd per"
		    " SQLite database", sq->sq_path, lock);
	free(lock);
	return sq->sq_lock_fd == -1 ? -1 : 0;
}

static void
sq_close(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	size_t			 i;

	sq_upkeep_stop(st);
	sq_cache_free(sq);
	for (i = 0; i < S__COUNT; i++)
		sqlite3_finalize(sq->sq_stmt[i]);
	for (i = 0; i < SQ_CASE_UPDATES; i++)
		sqlite3_finalize(sq->sq_cu[i].cu_stmt);
	if (sq->sq_db != NULL && sqlite3_close(sq->sq_db) != SQLITE_OK)
		log_warnx("closing the database: %s", sqlite3_errmsg(sq->sq_db));
	if (sq->sq_wal_fd != -1)
		close(sq->sq_wal_fd);
	/* Last: the next termijnd may start once the database is closed. */
	lockfile_release(sq->sq_lock_fd);
	free(sq->sq_path);
	free(sq);
}

static const char *
sq_errmsg(struct store *st)
{
	return sqlite3_errmsg(SQ(st)->sq_db);
}

static int
sq_schema_version(struct store *st)
{
	return SQ(st)->sq_version;
}

static enum store_status
sq_begin(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	sq_chain_forget(sq);
	if ((rc = sq_sync_apply(sq)) != STORE_OK)
		return rc;
	sq->sq_held.c_id = 0;
	if ((rc = sq_done(sq, sq_stmt(sq, S_BEGIN))) == STORE_OK)
		sq->sq_txn = TXN_OPEN;
	return rc;
}

/* The chain's head is stored with the commit (store_sqlite_chain.c). */
static enum store_status
sq_commit(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	if ((rc = sq_chain_store(sq)) != STORE_OK)
		return rc;
	sq->sq_held.c_id = 0;
	if ((rc = sq_done(sq, sq_stmt(sq, S_COMMIT))) == STORE_OK) {
		sq->sq_txn = TXN_NONE;
		sq_chain_forget(sq);
	}
	return rc;
}

/*
 * Nothing read or kept in memory in a transaction that did not commit
 * outlives it: the chain's head, the tokens and teams kept.
 */
static void
sq_rollback(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	sq_chain_forget(sq);
	sq_cache_forget(sq, CACHE_TOKENS | CACHE_TEAMS);
	sq->sq_txn = TXN_NONE;
	sq->sq_held.c_id = 0;
	if (sqlite3_get_autocommit(sq->sq_db))
		return;		/* SQLite rolled back already */
	sq_done(sq, sq_stmt(sq, S_ROLLBACK));
}

/*
 * SQLite's busy_timeout, with one step before it: a connection of this
 * process that holds the lock (store_on_wait) is asked to give it up, and
 * the lock is tried again at once.  Then the wait of busy_timeout: a
 * short sleep between tries, up to sq_busy_ms (SQ_BUSY_MS unless
 * store_busy_wait said otherwise) in all.
 */
static int
sq_busy(void *arg, int tries)
{
	struct sqlite_store	*sq = arg;

	if (tries == 0 && sq->sq_on_wait != NULL) {
		sq->sq_on_wait(sq->sq_on_wait_arg);
		return 1;
	}
	if (tries * SQ_BUSY_STEP_MS >= sq->sq_busy_ms)
		return 0;
	sqlite3_sleep(SQ_BUSY_STEP_MS);
	return 1;
}

static enum store_status
sq_txn_lost(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	return sq->sq_txn == TXN_LOST ? sq->sq_lost : STORE_OK;
}

static void
sq_busy_wait(struct store *st, int ms)
{
	SQ(st)->sq_busy_ms = ms < 0 ? 0 : ms;
}

static void
sq_on_wait(struct store *st, void (*fn)(void *), void *arg)
{
	struct sqlite_store	*sq = SQ(st);

	sq->sq_on_wait = fn;
	sq->sq_on_wait_arg = arg;
}

/*
 * Another writer's rungs: SQLite has none (sq_hold), so the callback is
 * kept only to honour the seam and never called.
 */
static void
sq_on_queued(struct store *st, void (*fn)(void *, int64_t), void *arg)
{
	struct sqlite_store	*sq = SQ(st);

	sq->sq_on_queued = fn;
	sq->sq_on_queued_arg = arg;
}

/*
 * Deferred durability in WAL mode: synchronous=NORMAL writes a commit's
 * frames to the write-ahead log without flushing it, and store_sync
 * flushes the log with fdatasync(2) on a descriptor of its own, which
 * covers every frame written before it: what synchronous=FULL does at
 * each COMMIT, done once for several and off the writer's thread.  The
 * log keeps its inode while the database is open (a checkpoint truncates
 * it in place), so the descriptor stays the log's.  The setting itself is
 * changed only when the next transaction begins (sq_sync_apply), so that
 * deferred batches one after the other do not switch it back and forth.
 */
static enum store_status
sq_defer_sync(struct store *st, int on)
{
	struct sqlite_store	*sq = SQ(st);
	char			*wal;

	if (on == sq->sq_deferred)
		return STORE_OK;
	if (on && sq->sq_wal_fd == -1) {
		xasprintf(&wal, "%s-wal", sq->sq_path);
		sq->sq_wal_fd = open(wal, O_RDONLY | O_CLOEXEC);
		free(wal);
		if (sq->sq_wal_fd == -1)
			return STORE_FAILED;
	}
	sq->sq_deferred = on;
	return STORE_OK;
}

static enum store_status
sq_sync(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	if (sq->sq_wal_fd == -1)
		return STORE_OK;	/* never deferred: nothing to flush */
	if (fdatasync(sq->sq_wal_fd) == -1)
		return errno == ENOSPC || errno == EDQUOT ? STORE_FULL :
		    STORE_FAILED;
	return STORE_OK;
}

static enum store_status
sq_read_begin(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	/* It may write (the read log): then it commits as any other. */
	if ((rc = sq_sync_apply(sq)) != STORE_OK)
		return rc;
	return sq_done(sq, sq_stmt(sq, S_BEGIN_READ));
}

static void
sq_read_end(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	if (!sqlite3_get_autocommit(sq->sq_db))
		sq_done(sq, sq_stmt(sq, S_COMMIT));
}

/* The head's row as the savepoint will keep it (store_sqlite_chain.c). */
static enum store_status
sq_savepoint(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	if ((rc = sq_chain_store(sq)) != STORE_OK)
		return rc;
	return sq_done(sq, sq_stmt(sq, S_SAVEPOINT));
}

static enum store_status
sq_release(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	return sq_done(sq, sq_stmt(sq, S_RELEASE));
}

static enum store_status
sq_rollback_savepoint(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	sq_chain_forget(sq);
	sq_cache_forget(sq, CACHE_TOKENS | CACHE_TEAMS);
	sq->sq_held.c_id = 0;	/* it may be as it was before */
	if ((rc = sq_done(sq, sq_stmt(sq, S_ROLLBACK_TO))) != STORE_OK)
		return rc;
	return sq_done(sq, sq_stmt(sq, S_RELEASE));
}

/*
 * A backup with the online backup API in one step: the whole copy is read
 * inside one read transaction of the source, so that it is the database as
 * of one commit, and in WAL mode that transaction never blocks termijnd's
 * writer (it only holds checkpoints back while it lasts).  Copying a few
 * pages a step instead would start over whenever another process commits
 * meanwhile, which under a steady load may be never.
 */
static enum store_status
sq_backup(const char *path, const char *dest, char *err, size_t errlen)
{
	sqlite3		*src = NULL, *dst = NULL;
	sqlite3_backup	*b;
	sqlite3_stmt	*s = NULL;
	enum store_status status = STORE_FAILED;
	int		 rc = SQLITE_BUSY, v, tries;

	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, src != NULL ?
		    sqlite3_errmsg(src) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_prepare_v2(src, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(src));
		goto done;
	}
	/* Its checks open the copy as this build's schema. */
	if ((v = sqlite3_column_int(s, 0)) != (int)sq_schema_latest()) {
		snprintf(err, errlen, "%s has schema version %d, and this"
		    " termijn reads version %zu: back it up with the termijn"
		    " that runs on it%s", path, v, sq_schema_latest(),
		    v < (int)sq_schema_latest() ? ", or start this termijnd on"
		    " it first, which migrates it" : "");
		goto done;
	}
	if (sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dest, dst != NULL ?
		    sqlite3_errmsg(dst) : "out of memory");
		goto done;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		snprintf(err, errlen, "%s: %s", dest, sqlite3_errmsg(dst));
		goto done;
	}
	for (tries = 0; tries < 100; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(100);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "copying %s to %s: %s", path, dest,
		    sqlite3_errmsg(dst));
		if ((sqlite3_extended_errcode(dst) & 0xff) == SQLITE_FULL)
			status = STORE_FULL;
		goto done;
	}
	status = STORE_OK;
done:
	sqlite3_finalize(s);
	sqlite3_close(src);
	sqlite3_close(dst);
	return status;
}

/* PRAGMA integrity_check and foreign_key_check: "ok", and no rows. */
static enum store_status
sq_check(struct store *st, char *err, size_t errlen)
{
	struct sqlite_store	*sq = SQ(st);
	static const char	*checks[] = {
		"PRAGMA integrity_check(20)", "PRAGMA foreign_key_check",
	};
	sqlite3_stmt		*s;
	const char		*what;
	size_t			 i, len;
	int			 rc, bad = 0;

	*err = '\0';
	for (i = 0; i < nitems(checks); i++) {
		if (sqlite3_prepare_v2(sq->sq_db, checks[i], -1, &s, NULL) !=
		    SQLITE_OK)
			return sq_fail(sq, NULL, checks[i]);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			what = (const char *)sqlite3_column_text(s, 0);
			if (i == 0 && what != NULL && strcmp(what, "ok") == 0)
				continue;
			bad = 1;
			len = strlen(err);
			snprintf(err + len, errlen - len, "%s%s: %s",
			    len > 0 ? "; " : "", checks[i] + 7,
			    what != NULL ? what : "?");
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return sq_fail(sq, NULL, checks[i]);
	}
	return bad ? STORE_FAILED : STORE_OK;
}

/*
 * Whether a write would succeed now, for readiness after one failed.  A
 * write of one page alone says too little: a write that failed on a full
 * disk leaves the WAL file longer by what it got, so a page fits where the
 * next registration (a dozen pages, and as many again when the checkpoint
 * copies them into the database) does not.  So the file system must have
 * SQ_PROBE_ROOM free for this process first; then rewriting the schema
 * version in place dirties one page and syncs it.
 */
static enum store_status
sq_write_probe(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	struct statvfs		 vfs;
	enum store_status	 rc;
	char			 sql[64];

	if (statvfs(sq->sq_path, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < SQ_PROBE_ROOM)
		return STORE_FULL;
	if ((rc = sq_begin(st)) != STORE_OK)
		return rc;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", sq->sq_version);
	if (sqlite3_exec(sq->sq_db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		rc = sq_fail(sq, NULL, "probing a write");
		sq_rollback(st);
		return rc;
	}
	if ((rc = sq_commit(st)) != STORE_OK)
		sq_rollback(st);
	return rc;
}

const struct store_backend store_sqlite_backend = {
	.sb_name = "sqlite",
	.sb_claims = sq_claims,
	.sb_open = sq_open,
	.sb_close = sq_close,
	.sb_errmsg = sq_errmsg,
	.sb_schema_version = sq_schema_version,
	.sb_upkeep_start = sq_upkeep_start,
	.sb_upkeep_stop = sq_upkeep_stop,
	.sb_upkeep_stats = sq_upkeep_stats,
	.sb_begin = sq_begin,
	.sb_commit = sq_commit,
	.sb_rollback = sq_rollback,
	.sb_savepoint = sq_savepoint,
	.sb_release = sq_release,
	.sb_rollback_savepoint = sq_rollback_savepoint,
	.sb_lost = sq_txn_lost,
	.sb_busy_wait = sq_busy_wait,
	.sb_on_wait = sq_on_wait,
	.sb_on_queued = sq_on_queued,
	.sb_defer_sync = sq_defer_sync,
	.sb_sync = sq_sync,
	.sb_read_begin = sq_read_begin,
	.sb_read_end = sq_read_end,
	.sb_case_insert = sq_case_insert,
	.sb_case_get = sq_case_get,
	.sb_case_lock = sq_case_lock,
	.sb_case_open_find = sq_case_open_find,
	.sb_case_get_for = sq_case_get_for,
	.sb_case_update_state = sq_case_update_state,
	.sb_case_list = sq_case_list,
	.sb_deadline_insert = sq_deadline_insert,
	.sb_deadline_update = sq_deadline_update,
	.sb_deadlines_of_case = sq_deadlines_of_case,
	.sb_deadlines_stop = sq_deadlines_stop,
	.sb_deadline_get = sq_deadline_get,
	.sb_deadline_find = sq_deadline_find,
	.sb_rung_insert = sq_rung_insert,
	.sb_rung_next = sq_rung_next,
	.sb_rungs_claim = sq_rungs_claim,
	.sb_rungs_unclaim = sq_rungs_unclaim,
	.sb_rung_first_of_case = sq_rung_first_of_case,
	.sb_rung_mark_fired = sq_rung_mark_fired,
	.sb_rungs_cancel = sq_rungs_cancel,
	.sb_rung_forget = sq_rung_forget,
	.sb_rungs_hand_over = sq_rungs_hand_over,
	.sb_rung_last_seq = sq_rung_last_seq,
	.sb_rungs_of_deadline = sq_rungs_of_deadline,
	.sb_notification_insert = sq_notification_insert,
	.sb_notifications_of_case = sq_notifications_of_case,
	.sb_transition_last_at = sq_transition_last_at,
	.sb_transition_last = sq_transition_last,
	.sb_undo_put = sq_undo_put,
	.sb_undo_get = sq_undo_get,
	.sb_chain_head = sq_chain_head,
	.sb_chain_walk = sq_chain_walk,
	.sb_chain_encoding = sq_chain_encoding,
	.sb_chain_append = sq_chain_append,
	.sb_chain_append_mark = sq_chain_append_mark,
	.sb_case_facts = sq_case_facts,
	.sb_transitions_of_case = sq_transitions_of_case,
	.sb_team_insert = sq_team_insert,
	.sb_team_get = sq_team_get,
	.sb_teams_each = sq_teams_each,
	.sb_route_set = sq_route_set,
	.sb_route_remove = sq_route_remove,
	.sb_route_find = sq_route_find,
	.sb_routes_each = sq_routes_each,
	.sb_unrouted_count = sq_unrouted_count,
	.sb_unrouted_cases = sq_unrouted_cases,
	.sb_token_insert = sq_token_insert,
	.sb_token_lookup = sq_token_lookup,
	.sb_token_by_name = sq_token_by_name,
	.sb_token_revoke = sq_token_revoke,
	.sb_token_touch = sq_token_touch,
	.sb_token_set_display_name = sq_token_set_display_name,
	.sb_team_tokens = sq_team_tokens,
	.sb_tokens_each = sq_tokens_each,
	.sb_token_count = sq_token_count,
	.sb_participant_add = sq_participant_add,
	.sb_participant_end = sq_participant_end,
	.sb_participants_of_case = sq_participants_of_case,
	.sb_overdue = sq_overdue,
	.sb_at_risk = sq_at_risk,
	.sb_suspended = sq_suspended,
	.sb_summary = sq_summary,
	.sb_queue = sq_queue,
	.sb_report_deadlines = sq_report_deadlines,
	.sb_report_closed = sq_report_closed,
	.sb_outbox_insert = sq_outbox_insert,
	.sb_outbox_due = sq_outbox_due,
	.sb_outbox_next = sq_outbox_next,
	.sb_outbox_get = sq_outbox_get,
	.sb_outbox_update = sq_outbox_update,
	.sb_outbox_list = sq_outbox_list,
	.sb_outbox_of_case = sq_outbox_of_case,
	.sb_outbox_count = sq_outbox_count,
	.sb_read_insert = sq_read_insert,
	.sb_reads_of_case = sq_reads_of_case,
	.sb_cases_closed_before = sq_cases_closed_before,
	.sb_case_destroy = sq_case_destroy,
	.sb_tombstone_get = sq_tombstone_get,
	.sb_scrub = sq_scrub,
	.sb_idem_get = sq_idem_get,
	.sb_idem_put = sq_idem_put,
	.sb_workflow_put = sq_workflow_put,
	.sb_workflow_digest = sq_workflow_digest,
	.sb_workflows_each = sq_workflows_each,
	.sb_exists = sq_exists,
	.sb_backup = sq_backup,
	.sb_check = sq_check,
	.sb_write_probe = sq_write_probe,
	.sb_case_counts = sq_case_counts,
	.sb_rung_counts = sq_rung_counts,
};
