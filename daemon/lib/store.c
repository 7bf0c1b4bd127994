/* termijn: the store, SQLite behind a narrow interface. */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "termijn/store.h"
#include "termijn/util.h"

/*
 * Every statement termijn runs is prepared once, when the store opens, and
 * reset after each use.  The table below names them; the enum indexes it.
 */
enum stmt_id {
	S_BEGIN,
	S_BEGIN_READ,
	S_COMMIT,
	S_ROLLBACK,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_CASE_INSERT,
	S_CASE_GET,
	S_CASE_UPDATE,
	S_DL_INSERT,
	S_DL_UPDATE,
	S_DL_OF_CASE,
	S_DL_OF_CASE_ACTIVE,
	S_DL_STOP,
	S_DL_STOP_STATE,
	S_DL_GET,
	S_DL_FIND,
	S_RG_INSERT,
	S_RG_NEXT,
	S_RG_DUE,
	S_RG_FIRST_OF_CASE,
	S_RG_FIRE,
	S_RG_CANCEL_CASE,
	S_RG_CANCEL_DEADLINE,
	S_RG_CANCEL_HOLDER,
	S_RG_HAND_OVER,
	S_RG_LAST_SEQ,
	S_RG_OF_DEADLINE,
	S_NT_INSERT,
	S_NT_OF_CASE,
	S_TR_INSERT,
	S_TR_OF_CASE,
	S_TOKEN_INSERT,
	S_TOKEN_LOOKUP,
	S_TOKEN_COUNT,
	S_IDEM_GET,
	S_IDEM_PUT,
	S_WF_PUT,
	S_WF_DIGEST,
	S_WF_EACH,
	S__COUNT
};

static const char *stmt_sql[S__COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN DEFERRED",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT w",
	[S_RELEASE] = "RELEASE w",
	[S_ROLLBACK_TO] = "ROLLBACK TO w",
	[S_CASE_INSERT] =
	    "INSERT INTO cases (workflow, version, reference, team, state,"
	    " started_at, state_since, created_at, updated_at, final)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_CASE_GET] =
	    "SELECT id, workflow, version, reference, team, state, started_at,"
	    " state_since, created_at, updated_at, final FROM cases WHERE id = ?",
	[S_CASE_UPDATE] =
	    "UPDATE cases SET state = ?, state_since = ?, updated_at = ?,"
	    " final = ? WHERE id = ?",
	[S_DL_INSERT] =
	    "INSERT INTO deadlines (case_id, name, state, then_state, period,"
	    " rule, kind, anchor, due, active, running, passed, scope,"
	    " suspended_since, suspended_days, suspended_ms, extensions)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_DL_UPDATE] =
	    "UPDATE deadlines SET due = ?, active = ?, running = ?, passed = ?,"
	    " suspended_since = ?, suspended_days = ?, suspended_ms = ?,"
	    " extensions = ? WHERE id = ?",
	[S_DL_OF_CASE] =
	    "SELECT id, case_id, name, state, then_state, period, rule, kind,"
	    " anchor, due, active, running, passed, scope, suspended_since,"
	    " suspended_days, suspended_ms, extensions FROM deadlines WHERE case_id = ? ORDER BY id",
	[S_DL_OF_CASE_ACTIVE] =
	    "SELECT id, case_id, name, state, then_state, period, rule, kind,"
	    " anchor, due, active, running, passed, scope, suspended_since,"
	    " suspended_days, suspended_ms, extensions FROM deadlines WHERE"
	    " case_id = ? AND (active = 1 OR EXISTS (SELECT 1 FROM rungs WHERE"
	    " rungs.deadline_id = deadlines.id AND fired_at IS NULL))"
	    " ORDER BY passed, due, id",
	[S_DL_STOP] =
	    "UPDATE deadlines SET active = 0 WHERE case_id = ? AND active = 1",
	[S_DL_STOP_STATE] =
	    "UPDATE deadlines SET active = 0 WHERE case_id = ? AND active = 1"
	    " AND scope = 'state' AND state = ?",
	[S_DL_GET] =
	    "SELECT id, case_id, name, state, then_state, period, rule, kind,"
	    " anchor, due, active, running, passed, scope, suspended_since,"
	    " suspended_days, suspended_ms, extensions FROM deadlines WHERE id = ?",
	[S_DL_FIND] =
	    "SELECT id, case_id, name, state, then_state, period, rule, kind,"
	    " anchor, due, active, running, passed, scope, suspended_since,"
	    " suspended_days, suspended_ms, extensions FROM deadlines WHERE case_id = ? AND name = ? AND"
	    " active = 1 ORDER BY id DESC LIMIT 1",
	[S_RG_INSERT] =
	    "INSERT OR IGNORE INTO rungs (case_id, deadline_id, name, seq, due,"
	    " fired_at, missed, skipped, holder) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?)",
	[S_RG_NEXT] =
	    "SELECT due FROM rungs WHERE fired_at IS NULL ORDER BY due LIMIT 1",
	[S_RG_DUE] =
	    "SELECT id, case_id, deadline_id, name, seq, due, fired_at, missed,"
	    " skipped, holder FROM rungs WHERE fired_at IS NULL AND due <= ?"
	    " ORDER BY due, id LIMIT ?",
	[S_RG_FIRST_OF_CASE] =
	    "SELECT id, case_id, deadline_id, name, seq, due, fired_at, missed,"
	    " skipped, holder FROM rungs WHERE deadline_id IN (SELECT id FROM"
	    " deadlines WHERE case_id = ?) AND fired_at IS NULL ORDER BY due,"
	    " id LIMIT 1",
	[S_RG_FIRE] =
	    /*
	     * The whole key, not only the id: SQLite may give the id of a
	     * cancelled rung to a new one while a batch still holds it.
	     */
	    "UPDATE rungs SET fired_at = ?, missed = ?, skipped = ? WHERE"
	    " id = ? AND deadline_id = ? AND name = ? AND seq = ? AND"
	    " fired_at IS NULL",
	[S_RG_CANCEL_CASE] =
	    "DELETE FROM rungs WHERE deadline_id IN (SELECT id FROM deadlines"
	    " WHERE case_id = ?) AND fired_at IS NULL",
	[S_RG_CANCEL_DEADLINE] =
	    "DELETE FROM rungs WHERE deadline_id = ? AND fired_at IS NULL",
	[S_RG_CANCEL_HOLDER] =
	    "DELETE FROM rungs WHERE deadline_id IN (SELECT id FROM deadlines"
	    " WHERE case_id = ?) AND holder = ? AND fired_at IS NULL",
	[S_RG_HAND_OVER] =
	    "UPDATE rungs SET holder = ? WHERE deadline_id = ? AND"
	    " fired_at IS NULL",
	[S_RG_LAST_SEQ] =
	    "SELECT coalesce(max(seq), 0), coalesce(sum(fired_at IS NULL), 0)"
	    " FROM rungs WHERE deadline_id = ? AND name = ?",
	[S_RG_OF_DEADLINE] =
	    "SELECT id, case_id, deadline_id, name, seq, due, fired_at, missed,"
	    " skipped, holder FROM rungs WHERE deadline_id = ? ORDER BY due, id",
	[S_NT_INSERT] =
	    "INSERT INTO notifications (case_id, rung_id, role, deadline, rung,"
	    " seq, missed, at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_NT_OF_CASE] =
	    "SELECT id, case_id, rung_id, role, deadline, rung, seq, missed, at,"
	    " created_at FROM notifications WHERE case_id = ? ORDER BY id",
	[S_TR_INSERT] =
	    "INSERT INTO transitions (case_id, at, recorded_at, from_state,"
	    " to_state, cause, event, actor, note) VALUES (?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?)",
	[S_TR_OF_CASE] =
	    "SELECT id, case_id, at, recorded_at, from_state, to_state, cause,"
	    " event, actor, note FROM transitions WHERE case_id = ? AND id > ?"
	    " ORDER BY id LIMIT ?",
	[S_TOKEN_INSERT] =
	    "INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?,"
	    " ?)",
	[S_TOKEN_LOOKUP] =
	    "SELECT id, name, role FROM tokens WHERE hash = ? AND"
	    " revoked_at IS NULL",
	[S_TOKEN_COUNT] = "SELECT count(*) FROM tokens",
	[S_IDEM_GET] =
	    "SELECT request_hash, status, body FROM idempotency WHERE"
	    " token_id = ? AND key = ?",
	[S_IDEM_PUT] =
	    "INSERT INTO idempotency (token_id, key, request_hash, status, body,"
	    " created_at) VALUES (?, ?, ?, ?, ?, ?)",
	[S_WF_PUT] =
	    "INSERT OR IGNORE INTO workflow_versions (name, version, digest,"
	    " source, first_used) VALUES (?, ?, ?, ?, ?)",
	[S_WF_DIGEST] =
	    "SELECT digest FROM workflow_versions WHERE name = ? AND"
	    " version = ?",
	[S_WF_EACH] =
	    "SELECT name, version, source FROM workflow_versions ORDER BY name,"
	    " version",
};

/*
 * Migrations, in order; the schema version is PRAGMA user_version, the
 * number of migrations applied.  Never edit one that has shipped: add one.
 */
static const char *migrations[] = {
	/* 1: cases, deadlines, transitions, tokens, idempotency, workflows. */
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  workflow TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  reference TEXT NOT NULL,"
	"  team TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  state_since INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  final INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX cases_team_state ON cases (team, state, id);"
	"CREATE INDEX cases_state ON cases (state, id);"
	"CREATE INDEX cases_workflow ON cases (workflow, id);"
	"CREATE TABLE deadlines ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  name TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  then_state TEXT NOT NULL,"
	"  period TEXT NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  anchor INTEGER NOT NULL,"
	"  due INTEGER NOT NULL,"
	"  active INTEGER NOT NULL);"
	"CREATE INDEX deadlines_case ON deadlines (case_id, active);"
	"CREATE INDEX deadlines_due ON deadlines (due, id) WHERE active = 1;"
	"CREATE TABLE transitions ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  at INTEGER NOT NULL,"
	"  recorded_at INTEGER NOT NULL,"
	"  from_state TEXT,"
	"  to_state TEXT NOT NULL,"
	"  cause TEXT NOT NULL CHECK (cause IN ('create', 'event', 'deadline')),"
	"  event TEXT,"
	"  actor TEXT NOT NULL,"
	"  note TEXT);"
	"CREATE INDEX transitions_case ON transitions (case_id, id);"
	"CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;"
	"CREATE TRIGGER transitions_no_delete BEFORE DELETE ON transitions"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;"
	"CREATE TABLE tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER);"
	"CREATE TABLE idempotency ("
	"  token_id INTEGER NOT NULL REFERENCES tokens (id),"
	"  key TEXT NOT NULL,"
	"  request_hash TEXT NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (token_id, key));"
	"CREATE TABLE workflow_versions ("
	"  name TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  digest TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  first_used INTEGER NOT NULL,"
	"  PRIMARY KEY (name, version));",

	/*
	 * 2: deadlines as budgets; rungs (the scheduler's queue and the
	 * ledger of what fired, one row per occurrence); notifications.
	 */
	"ALTER TABLE deadlines ADD COLUMN running INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE deadlines ADD COLUMN passed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deadlines ADD COLUMN scope TEXT NOT NULL DEFAULT 'state';"
	"ALTER TABLE deadlines ADD COLUMN suspended_since INTEGER;"
	"ALTER TABLE deadlines ADD COLUMN suspended_days INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE deadlines ADD COLUMN suspended_ms INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE deadlines ADD COLUMN extensions TEXT NOT NULL DEFAULT '';"
	"DROP INDEX deadlines_due;"
	/* Flipping "active" should not move index entries: a case has few. */
	"DROP INDEX deadlines_case;"
	"CREATE INDEX deadlines_case ON deadlines (case_id);"
	"CREATE TABLE rungs ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  deadline_id INTEGER NOT NULL REFERENCES deadlines (id),"
	"  name TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  due INTEGER NOT NULL,"
	"  fired_at INTEGER,"
	"  missed INTEGER NOT NULL DEFAULT 0,"
	"  skipped INTEGER NOT NULL DEFAULT 0,"
	"  holder TEXT NOT NULL,"
	"  UNIQUE (deadline_id, name, seq));"
	"CREATE INDEX rungs_pending ON rungs (due, id) WHERE fired_at IS NULL;"

	"INSERT INTO rungs (case_id, deadline_id, name, seq, due, holder)"
	"  SELECT case_id, id, 'due', 1, due, state FROM deadlines"
	"  WHERE active = 1;"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  rung_id INTEGER NOT NULL REFERENCES rungs (id),"
	"  role TEXT NOT NULL,"
	"  deadline TEXT NOT NULL,"
	"  rung TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  missed INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX notifications_case ON notifications (case_id, id);"
	/* Deleting a cancelled rung checks this foreign key. */
	"CREATE INDEX notifications_rung ON notifications (rung_id);",
};

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
#define STORE_AUTOCHECKPOINT	"16384"

struct store {
	sqlite3		*st_db;
	sqlite3_stmt	*st_stmt[S__COUNT];
	int		 st_version;
	/* The checkpointer thread, when started. */
	sqlite3		*st_ck_db;
	pthread_t	 st_ck_thread;
	pthread_mutex_t	 st_ck_lock;
	pthread_cond_t	 st_ck_cond;
	int		 st_ck_stop;
	int		 st_ck_ms;
	int		 st_ck_running;
};

static int	store_exec(struct store *, const char *);
static int	store_migrate(struct store *, char *, size_t);
static sqlite3_stmt *stmt(struct store *, enum stmt_id);
static int	step_done(struct store *, sqlite3_stmt *);
static int	store_fail(struct store *, sqlite3_stmt *, const char *);
static void	col_text(sqlite3_stmt *, int, char *, size_t);
static void	case_from_row(sqlite3_stmt *, struct case_row *);
static void	deadline_from_row(sqlite3_stmt *, struct deadline_row *);
static void	rung_from_row(sqlite3_stmt *, struct rung_row *);
static void	bind_budget(sqlite3_stmt *, int, const struct deadline_row *);
static int	deadline_one(struct store *, sqlite3_stmt *,
		    struct deadline_row *);

struct store *
store_open(const char *path, char *err, size_t errlen)
{
	struct store	*st;
	size_t		 i;
	int		 rc;

	st = xcalloc(1, sizeof(*st));
	rc = sqlite3_open_v2(path, &st->st_db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, st->st_db ?
		    sqlite3_errmsg(st->st_db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->st_db, 1);
	sqlite3_busy_timeout(st->st_db, 5000);
	/*
	 * WAL with synchronous=FULL: a commit is on disk when COMMIT returns,
	 * and readers never block the writer.
	 */
	if (store_exec(st, "PRAGMA journal_mode = WAL") == -1 ||
	    store_exec(st, "PRAGMA synchronous = FULL") == -1 ||
	    store_exec(st, "PRAGMA cache_size = -32768") == -1 ||
	    store_exec(st, "PRAGMA temp_store = MEMORY") == -1 ||
	    store_exec(st, "PRAGMA wal_autocheckpoint = " STORE_AUTOCHECKPOINT)
	    == -1 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") == -1 ||
	    store_exec(st, "PRAGMA trusted_schema = OFF") == -1) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(st->st_db));
		goto fail;
	}
	if (store_migrate(st, err, errlen) == -1)
		goto fail;
	for (i = 0; i < S__COUNT; i++) {
		rc = sqlite3_prepare_v3(st->st_db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->st_stmt[i], NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: preparing \"%s\": %s", path,
			    stmt_sql[i], sqlite3_errmsg(st->st_db));
			goto fail;
		}
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	store_checkpointer_stop(st);
	for (i = 0; i < S__COUNT; i++)
		sqlite3_finalize(st->st_stmt[i]);
	if (st->st_db != NULL && sqlite3_close(st->st_db) != SQLITE_OK)
		log_warnx("closing the database: %s", sqlite3_errmsg(st->st_db));
	free(st);
}

const char *
store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->st_db);
}

static void *
checkpointer(void *arg)
{
	struct store	*st = arg;
	struct timespec	 ts;
	int		 log, done, rc;

	pthread_mutex_lock(&st->st_ck_lock);
	while (!st->st_ck_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += st->st_ck_ms / 1000;
		ts.tv_nsec += (long)(st->st_ck_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&st->st_ck_cond, &st->st_ck_lock, &ts);
		if (st->st_ck_stop)
			break;
		pthread_mutex_unlock(&st->st_ck_lock);
		rc = sqlite3_wal_checkpoint_v2(st->st_ck_db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_warnx("sqlite: checkpointing the WAL: %s",
			    sqlite3_errmsg(st->st_ck_db));
		pthread_mutex_lock(&st->st_ck_lock);
	}
	pthread_mutex_unlock(&st->st_ck_lock);
	return NULL;
}

/* Checkpoint the WAL every ms milliseconds, on a thread of its own. */
int
store_checkpointer_start(struct store *st, const char *path, int ms,
    char *err, size_t errlen)
{
	if (sqlite3_open_v2(path, &st->st_ck_db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, st->st_ck_db ?
		    sqlite3_errmsg(st->st_ck_db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->st_ck_db, 1000);
	if (sqlite3_exec(st->st_ck_db, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    sqlite3_errmsg(st->st_ck_db));
		goto fail;
	}
	st->st_ck_ms = ms;
	st->st_ck_stop = 0;
	if (pthread_mutex_init(&st->st_ck_lock, NULL) != 0 ||
	    pthread_cond_init(&st->st_ck_cond, NULL) != 0 ||
	    pthread_create(&st->st_ck_thread, NULL, checkpointer, st) != 0) {
		snprintf(err, errlen, "cannot start the checkpointer thread");
		goto fail;
	}
	st->st_ck_running = 1;
	return 0;
fail:
	sqlite3_close(st->st_ck_db);
	st->st_ck_db = NULL;
	return -1;
}

void
store_checkpointer_stop(struct store *st)
{
	if (!st->st_ck_running)
		return;
	pthread_mutex_lock(&st->st_ck_lock);
	st->st_ck_stop = 1;
	pthread_cond_signal(&st->st_ck_cond);
	pthread_mutex_unlock(&st->st_ck_lock);
	pthread_join(st->st_ck_thread, NULL);
	pthread_cond_destroy(&st->st_ck_cond);
	pthread_mutex_destroy(&st->st_ck_lock);
	sqlite3_close(st->st_ck_db);
	st->st_ck_db = NULL;
	st->st_ck_running = 0;
}

int
store_schema_version(struct store *st)
{
	return st->st_version;
}

static int
store_exec(struct store *st, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(st->st_db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_warnx("sqlite: %s", msg ? msg : sqlite3_errmsg(st->st_db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Apply the migrations the database lacks, each in its own transaction. */
static int
store_migrate(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	char		 sql[64];
	int		 v;

	if (sqlite3_prepare_v2(st->st_db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		snprintf(err, errlen, "reading the schema version: %s",
		    sqlite3_errmsg(st->st_db));
		sqlite3_finalize(s);
		return -1;
	}
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v > (int)nitems(migrations)) {
		snprintf(err, errlen, "the database has schema version %d; this"
		    " termijn knows versions up to %zu", v, nitems(migrations));
		return -1;
	}
	for (; v < (int)nitems(migrations); v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_exec(st, "BEGIN IMMEDIATE") == -1)
			goto fail;
		if (store_exec(st, migrations[v]) == -1 ||
		    store_exec(st, sql) == -1 || store_exec(st, "COMMIT") == -1) {
			store_exec(st, "ROLLBACK");
			goto fail;
		}
		log_info("database migrated to schema version %d", v + 1);
	}
	st->st_version = v;
	return 0;
fail:
	snprintf(err, errlen, "migrating to schema version %d: %s", v + 1,
	    sqlite3_errmsg(st->st_db));
	return -1;
}

static sqlite3_stmt *
stmt(struct store *st, enum stmt_id id)
{
	sqlite3_stmt	*s = st->st_stmt[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Log a failed statement and map "full" errors to STORE_EFULL. */
static int
store_fail(struct store *st, sqlite3_stmt *s, const char *what)
{
	int	rc = sqlite3_extended_errcode(st->st_db);

	log_warnx("sqlite: %s: %s", what, sqlite3_errmsg(st->st_db));
	if (s != NULL)
		sqlite3_reset(s);
	if ((rc & 0xff) == SQLITE_FULL || rc == SQLITE_IOERR_WRITE ||
	    rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_SHMSIZE)
		return -STORE_EFULL;
	return -1;
}

static int
step_done(struct store *st, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_fail(st, s, sqlite3_sql(s));
	sqlite3_reset(s);
	return 0;
}

static void
col_text(sqlite3_stmt *s, int i, char *buf, size_t len)
{
	const unsigned char	*t = sqlite3_column_text(s, i);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

int
store_begin(struct store *st)
{
	return step_done(st, stmt(st, S_BEGIN));
}

int
store_commit(struct store *st)
{
	return step_done(st, stmt(st, S_COMMIT));
}

void
store_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->st_db))
		return;		/* SQLite already rolled back */
	step_done(st, stmt(st, S_ROLLBACK));
}

/* Whether a transaction is open (SQLite rolls one back on some errors). */
int
store_in_transaction(struct store *st)
{
	return !sqlite3_get_autocommit(st->st_db);
}

int
store_read_begin(struct store *st)
{
	return step_done(st, stmt(st, S_BEGIN_READ));
}

void
store_read_end(struct store *st)
{
	if (!sqlite3_get_autocommit(st->st_db))
		step_done(st, stmt(st, S_COMMIT));
}

int
store_savepoint(struct store *st)
{
	return step_done(st, stmt(st, S_SAVEPOINT));
}

int
store_release(struct store *st)
{
	return step_done(st, stmt(st, S_RELEASE));
}

void
store_rollback_savepoint(struct store *st)
{
	if (step_done(st, stmt(st, S_ROLLBACK_TO)) == 0)
		step_done(st, stmt(st, S_RELEASE));
}

static void
case_from_row(sqlite3_stmt *s, struct case_row *c)
{
	c->c_id = sqlite3_column_int64(s, 0);
	col_text(s, 1, c->c_workflow, sizeof(c->c_workflow));
	c->c_version = sqlite3_column_int(s, 2);
	col_text(s, 3, c->c_reference, sizeof(c->c_reference));
	col_text(s, 4, c->c_team, sizeof(c->c_team));
	col_text(s, 5, c->c_state, sizeof(c->c_state));
	c->c_started_at = sqlite3_column_int64(s, 6);
	c->c_state_since = sqlite3_column_int64(s, 7);
	c->c_created_at = sqlite3_column_int64(s, 8);
	c->c_updated_at = sqlite3_column_int64(s, 9);
	c->c_final = sqlite3_column_int(s, 10);
}

int
store_case_insert(struct store *st, struct case_row *c)
{
	sqlite3_stmt	*s = stmt(st, S_CASE_INSERT);
	int		 rc;

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
	if ((rc = step_done(st, s)) != 0)
		return rc;
	c->c_id = sqlite3_last_insert_rowid(st->st_db);
	return 0;
}

int
store_case_get(struct store *st, int64_t id, struct case_row *c)
{
	sqlite3_stmt	*s = stmt(st, S_CASE_GET);
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "reading a case");
	case_from_row(s, c);
	sqlite3_reset(s);
	return 0;
}

int
store_case_update_state(struct store *st, const struct case_row *c)
{
	sqlite3_stmt	*s = stmt(st, S_CASE_UPDATE);

	sqlite3_bind_text(s, 1, c->c_state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, c->c_state_since);
	sqlite3_bind_int64(s, 3, c->c_updated_at);
	sqlite3_bind_int(s, 4, c->c_final);
	sqlite3_bind_int64(s, 5, c->c_id);
	return step_done(st, s);
}

/*
 * The filters combine freely, so this one statement is built per call
 * from fixed fragments; values are always bound, never pasted.
 */
int
store_case_list(struct store *st, const struct case_filter *f,
    int (*cb)(const struct case_row *, void *), void *arg)
{
	sqlite3_stmt	*s = NULL;
	char		 sql[512];
	int		 n = 0, i = 1, rc;

	snprintf(sql, sizeof(sql),
	    "SELECT id, workflow, version, reference, team, state, started_at,"
	    " state_since, created_at, updated_at, final FROM cases"
	    " WHERE id > ?%s%s%s ORDER BY id LIMIT ?",
	    f->cf_state ? " AND state = ?" : "",
	    f->cf_workflow ? " AND workflow = ?" : "",
	    f->cf_team ? " AND team = ?" : "");
	if (sqlite3_prepare_v2(st->st_db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, NULL, "listing cases");
	sqlite3_bind_int64(s, i++, f->cf_after);
	if (f->cf_state)
		sqlite3_bind_text(s, i++, f->cf_state, -1, SQLITE_STATIC);
	if (f->cf_workflow)
		sqlite3_bind_text(s, i++, f->cf_workflow, -1, SQLITE_STATIC);
	if (f->cf_team)
		sqlite3_bind_text(s, i++, f->cf_team, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, i, f->cf_limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct case_row	c;

		case_from_row(s, &c);
		n++;
		if (cb(&c, arg) == -1) {
			n = -1;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		n = store_fail(st, NULL, "listing cases");
	sqlite3_finalize(s);
	return n;
}

static void
deadline_from_row(sqlite3_stmt *s, struct deadline_row *d)
{
	d->d_id = sqlite3_column_int64(s, 0);
	d->d_case = sqlite3_column_int64(s, 1);
	col_text(s, 2, d->d_name, sizeof(d->d_name));
	col_text(s, 3, d->d_state, sizeof(d->d_state));
	col_text(s, 4, d->d_then, sizeof(d->d_then));
	col_text(s, 5, d->d_period, sizeof(d->d_period));
	col_text(s, 6, d->d_rule, sizeof(d->d_rule));
	col_text(s, 7, d->d_kind, sizeof(d->d_kind));
	d->d_anchor = sqlite3_column_int64(s, 8);
	d->d_due = sqlite3_column_int64(s, 9);
	d->d_active = sqlite3_column_int(s, 10);
	d->d_running = sqlite3_column_int(s, 11);
	d->d_passed = sqlite3_column_int(s, 12);
	d->d_case_scope = strcmp((const char *)sqlite3_column_text(s, 13),
	    "case") == 0;
	d->d_suspended_since = sqlite3_column_int64(s, 14);
	d->d_suspended_days = sqlite3_column_int(s, 15);
	d->d_suspended_ms = sqlite3_column_int64(s, 16);
	col_text(s, 17, d->d_extensions, sizeof(d->d_extensions));
}

static void
rung_from_row(sqlite3_stmt *s, struct rung_row *r)
{
	r->r_id = sqlite3_column_int64(s, 0);
	r->r_case = sqlite3_column_int64(s, 1);
	r->r_deadline = sqlite3_column_int64(s, 2);
	col_text(s, 3, r->r_name, sizeof(r->r_name));
	r->r_seq = sqlite3_column_int(s, 4);
	r->r_due = sqlite3_column_int64(s, 5);
	r->r_fired_at = sqlite3_column_int64(s, 6);
	r->r_missed = sqlite3_column_int(s, 7);
	r->r_skipped = sqlite3_column_int(s, 8);
	col_text(s, 9, r->r_holder, sizeof(r->r_holder));
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

int
store_deadline_insert(struct store *st, struct deadline_row *d)
{
	sqlite3_stmt	*s = stmt(st, S_DL_INSERT);
	int		 rc;

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
	if ((rc = step_done(st, s)) != 0)
		return rc;
	d->d_id = sqlite3_last_insert_rowid(st->st_db);
	return 0;
}

int
store_deadline_update(struct store *st, const struct deadline_row *d)
{
	sqlite3_stmt	*s = stmt(st, S_DL_UPDATE);

	sqlite3_bind_int64(s, 1, d->d_due);
	sqlite3_bind_int(s, 2, d->d_active);
	sqlite3_bind_int(s, 3, d->d_running);
	sqlite3_bind_int(s, 4, d->d_passed);
	bind_budget(s, 5, d);
	sqlite3_bind_int64(s, 9, d->d_id);
	return step_done(st, s);
}

int
store_deadlines_of_case(struct store *st, int64_t id, int active_only,
    int (*cb)(const struct deadline_row *, void *), void *arg)
{
	sqlite3_stmt		*s;
	struct deadline_row	*d;
	int			 rc, ret = 0;

	d = xmalloc(sizeof(*d));
	s = stmt(st, active_only ? S_DL_OF_CASE_ACTIVE : S_DL_OF_CASE);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		deadline_from_row(s, d);
		if (cb(d, arg) == -1) {
			ret = -1;
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(st, s, "reading deadlines");
	sqlite3_reset(s);
	free(d);
	return ret;
}

int
store_deadlines_stop(struct store *st, int64_t id, const char *state)
{
	sqlite3_stmt	*s = stmt(st, state ? S_DL_STOP_STATE : S_DL_STOP);

	sqlite3_bind_int64(s, 1, id);
	if (state != NULL)
		sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	return step_done(st, s);
}

static int
deadline_one(struct store *st, sqlite3_stmt *s, struct deadline_row *d)
{
	int	rc = sqlite3_step(s);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "reading a deadline");
	deadline_from_row(s, d);
	sqlite3_reset(s);
	return 0;
}

int
store_deadline_get(struct store *st, int64_t id, struct deadline_row *d)
{
	sqlite3_stmt	*s = stmt(st, S_DL_GET);

	sqlite3_bind_int64(s, 1, id);
	return deadline_one(st, s, d);
}

int
store_deadline_find(struct store *st, int64_t id, const char *name,
    struct deadline_row *d)
{
	sqlite3_stmt	*s = stmt(st, S_DL_FIND);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return deadline_one(st, s, d);
}

int
store_rung_insert(struct store *st, const struct rung_row *r)
{
	sqlite3_stmt	*s = stmt(st, S_RG_INSERT);
	int		 rc;

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
	if ((rc = step_done(st, s)) != 0)
		return rc;
	return sqlite3_changes(st->st_db) == 1 ? 0 : STORE_ENOTFOUND;
}

int
store_rung_next(struct store *st, int64_t *due)
{
	sqlite3_stmt	*s = stmt(st, S_RG_NEXT);
	int		 rc;

	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "finding the next rung");
	*due = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
store_rungs_due(struct store *st, int64_t now, struct rung_row *out,
    size_t max, size_t *n)
{
	sqlite3_stmt	*s = stmt(st, S_RG_DUE);
	int		 rc = SQLITE_DONE;

	*n = 0;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		rung_from_row(s, &out[(*n)++]);
	if (*n < max && rc != SQLITE_DONE)
		return store_fail(st, s, "finding due rungs");
	sqlite3_reset(s);
	return 0;
}

int
store_rung_first_of_case(struct store *st, int64_t id, struct rung_row *r)
{
	sqlite3_stmt	*s = stmt(st, S_RG_FIRST_OF_CASE);
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "reading rungs");
	rung_from_row(s, r);
	sqlite3_reset(s);
	return 0;
}

int
store_rung_fire(struct store *st, const struct rung_row *r, int64_t at,
    int missed, int skipped)
{
	sqlite3_stmt	*s = stmt(st, S_RG_FIRE);
	int		 rc;

	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_int(s, 2, missed);
	sqlite3_bind_int(s, 3, skipped);
	sqlite3_bind_int64(s, 4, r->r_id);
	sqlite3_bind_int64(s, 5, r->r_deadline);
	sqlite3_bind_text(s, 6, r->r_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, r->r_seq);
	if ((rc = step_done(st, s)) != 0)
		return rc;
	return sqlite3_changes(st->st_db) == 1 ? 0 : STORE_ENOTFOUND;
}

/* Cancel pending rungs: of a case, of one deadline, or held by a state. */
int
store_rungs_cancel(struct store *st, int64_t id, int64_t deadline,
    const char *holder)
{
	sqlite3_stmt	*s;

	if (deadline != 0) {
		s = stmt(st, S_RG_CANCEL_DEADLINE);
		sqlite3_bind_int64(s, 1, deadline);
	} else if (holder != NULL) {
		s = stmt(st, S_RG_CANCEL_HOLDER);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, holder, -1, SQLITE_STATIC);
	} else {
		s = stmt(st, S_RG_CANCEL_CASE);
		sqlite3_bind_int64(s, 1, id);
	}
	return step_done(st, s);
}

int
store_rungs_hand_over(struct store *st, int64_t deadline, const char *holder)
{
	sqlite3_stmt	*s = stmt(st, S_RG_HAND_OVER);

	sqlite3_bind_text(s, 1, holder, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, deadline);
	return step_done(st, s);
}

int
store_rung_last_seq(struct store *st, int64_t deadline, const char *name,
    int *seq, int *pending)
{
	sqlite3_stmt	*s = stmt(st, S_RG_LAST_SEQ);

	sqlite3_bind_int64(s, 1, deadline);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		return store_fail(st, s, "reading rungs");
	*seq = sqlite3_column_int(s, 0);
	*pending = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	return 0;
}

int
store_rungs_of_deadline(struct store *st, int64_t id,
    int (*cb)(const struct rung_row *, void *), void *arg)
{
	sqlite3_stmt	*s = stmt(st, S_RG_OF_DEADLINE);
	struct rung_row	 r;
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rung_from_row(s, &r);
		if (cb(&r, arg) == -1) {
			sqlite3_reset(s);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, s, "reading rungs");
	sqlite3_reset(s);
	return 0;
}

int
store_notification_insert(struct store *st, struct notification_row *n)
{
	sqlite3_stmt	*s = stmt(st, S_NT_INSERT);
	int		 rc;

	sqlite3_bind_int64(s, 1, n->n_case);
	sqlite3_bind_int64(s, 2, n->n_rung);
	sqlite3_bind_text(s, 3, n->n_role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, n->n_deadline, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, n->n_rung_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, n->n_seq);
	sqlite3_bind_int(s, 7, n->n_missed);
	sqlite3_bind_int64(s, 8, n->n_at);
	sqlite3_bind_int64(s, 9, n->n_created_at);
	if ((rc = step_done(st, s)) != 0)
		return rc;
	n->n_id = sqlite3_last_insert_rowid(st->st_db);
	return 0;
}

int
store_notifications_of_case(struct store *st, int64_t id,
    int (*cb)(const struct notification_row *, void *), void *arg)
{
	sqlite3_stmt		*s = stmt(st, S_NT_OF_CASE);
	struct notification_row	 n;
	int			 rc;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n.n_id = sqlite3_column_int64(s, 0);
		n.n_case = sqlite3_column_int64(s, 1);
		n.n_rung = sqlite3_column_int64(s, 2);
		col_text(s, 3, n.n_role, sizeof(n.n_role));
		col_text(s, 4, n.n_deadline, sizeof(n.n_deadline));
		col_text(s, 5, n.n_rung_name, sizeof(n.n_rung_name));
		n.n_seq = sqlite3_column_int(s, 6);
		n.n_missed = sqlite3_column_int(s, 7);
		n.n_at = sqlite3_column_int64(s, 8);
		n.n_created_at = sqlite3_column_int64(s, 9);
		if (cb(&n, arg) == -1) {
			sqlite3_reset(s);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, s, "reading notifications");
	sqlite3_reset(s);
	return 0;
}

int
store_transition_insert(struct store *st, struct transition_row *t)
{
	sqlite3_stmt	*s = stmt(st, S_TR_INSERT);
	int		 rc;

	sqlite3_bind_int64(s, 1, t->t_case);
	sqlite3_bind_int64(s, 2, t->t_at);
	sqlite3_bind_int64(s, 3, t->t_recorded_at);
	if (t->t_from[0] != '\0')
		sqlite3_bind_text(s, 4, t->t_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, t->t_to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, t->t_cause, -1, SQLITE_STATIC);
	if (t->t_event[0] != '\0')
		sqlite3_bind_text(s, 7, t->t_event, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, t->t_actor, -1, SQLITE_STATIC);
	if (t->t_note[0] != '\0')
		sqlite3_bind_text(s, 9, t->t_note, -1, SQLITE_STATIC);
	if ((rc = step_done(st, s)) != 0)
		return rc;
	t->t_id = sqlite3_last_insert_rowid(st->st_db);
	return 0;
}

int
store_transitions_of_case(struct store *st, int64_t id, int64_t after,
    int limit, int (*cb)(const struct transition_row *, void *), void *arg)
{
	sqlite3_stmt		*s = stmt(st, S_TR_OF_CASE);
	struct transition_row	*t;
	int			 rc, ret = 0;

	t = xmalloc(sizeof(*t));
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t->t_id = sqlite3_column_int64(s, 0);
		t->t_case = sqlite3_column_int64(s, 1);
		t->t_at = sqlite3_column_int64(s, 2);
		t->t_recorded_at = sqlite3_column_int64(s, 3);
		col_text(s, 4, t->t_from, sizeof(t->t_from));
		col_text(s, 5, t->t_to, sizeof(t->t_to));
		col_text(s, 6, t->t_cause, sizeof(t->t_cause));
		col_text(s, 7, t->t_event, sizeof(t->t_event));
		col_text(s, 8, t->t_actor, sizeof(t->t_actor));
		col_text(s, 9, t->t_note, sizeof(t->t_note));
		if (cb(t, arg) == -1) {
			ret = -1;
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(st, s, "reading transitions");
	sqlite3_reset(s);
	free(t);
	return ret;
}

int
store_token_insert(struct store *st, const char *name, const char *role,
    const unsigned char hash[32], int64_t now)
{
	sqlite3_stmt	*s = stmt(st, S_TOKEN_INSERT);

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	return step_done(st, s);
}

int
store_token_lookup(struct store *st, const unsigned char hash[32],
    struct token_row *tk)
{
	sqlite3_stmt	*s = stmt(st, S_TOKEN_LOOKUP);
	int		 rc;

	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "looking up a token");
	tk->tk_id = sqlite3_column_int64(s, 0);
	col_text(s, 1, tk->tk_name, sizeof(tk->tk_name));
	col_text(s, 2, tk->tk_role, sizeof(tk->tk_role));
	sqlite3_reset(s);
	return 0;
}

int
store_token_count(struct store *st, int64_t *n)
{
	sqlite3_stmt	*s = stmt(st, S_TOKEN_COUNT);

	if (sqlite3_step(s) != SQLITE_ROW)
		return store_fail(st, s, "counting tokens");
	*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
store_idem_get(struct store *st, int64_t token, const char *key,
    char reqhash[65], int *status, char **body)
{
	sqlite3_stmt	*s = stmt(st, S_IDEM_GET);
	int		 rc;

	sqlite3_bind_int64(s, 1, token);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "reading an idempotency key");
	col_text(s, 0, reqhash, 65);
	*status = sqlite3_column_int(s, 1);
	*body = xstrdup((const char *)sqlite3_column_text(s, 2));
	sqlite3_reset(s);
	return 0;
}

int
store_idem_put(struct store *st, int64_t token, const char *key,
    const char *reqhash, int status, const char *body, int64_t now)
{
	sqlite3_stmt	*s = stmt(st, S_IDEM_PUT);

	sqlite3_bind_int64(s, 1, token);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, reqhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, status);
	sqlite3_bind_text(s, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, now);
	return step_done(st, s);
}

int
store_workflow_put(struct store *st, const char *name, int version,
    const char *digest, const char *source, size_t len, int64_t now)
{
	sqlite3_stmt	*s = stmt(st, S_WF_PUT);

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	sqlite3_bind_text(s, 3, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, source, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	return step_done(st, s);
}

int
store_workflow_digest(struct store *st, const char *name, int version,
    char digest[65])
{
	sqlite3_stmt	*s = stmt(st, S_WF_DIGEST);
	int		 rc;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s, "reading a workflow version");
	col_text(s, 0, digest, 65);
	sqlite3_reset(s);
	return 0;
}

int
store_workflows_each(struct store *st,
    int (*cb)(const char *, int, const char *, size_t, void *), void *arg)
{
	sqlite3_stmt	*s = stmt(st, S_WF_EACH);
	int		 rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cb((const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    (size_t)sqlite3_column_bytes(s, 2), arg) == -1) {
			sqlite3_reset(s);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, s, "reading workflow versions");
	sqlite3_reset(s);
	return 0;
}
