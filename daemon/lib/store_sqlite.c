/* termijn: the SQLite store backend, the embedded default. */

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "termijn/audit.h"
#include "termijn/hash.h"
#include "termijn/lockfile.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_backend.h"

/* The columns each kind of row is read with, in the order its decoder reads. */
#define CASE_COLUMNS \
	"cases.id, cases.workflow, cases.version, cases.reference, cases.team," \
	" cases.state, cases.started_at, cases.state_since, cases.created_at," \
	" cases.updated_at, cases.final, coalesce(cases.coordinator," \
	" cases.team), coalesce(cases.assignee, ''), coalesce(" \
	"cases.escalated_by, 0), coalesce(cases.escalated_due, 0)," \
	" coalesce(cases.waiting_by, 0), coalesce(cases.waiting_due, 0)," \
	" coalesce(cases.unrouted, '')"
#define CASE_NCOLUMNS	18
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
#define TRANSITION_COLUMNS \
	"id, case_id, at, recorded_at, from_state, to_state, cause, event," \
	" actor, note, basis, detail, prev_hash, hash"
#define TOKEN_COLUMNS \
	"id, name, role, created_at, coalesce(expires_at, 0)," \
	" coalesce(last_used_at, 0), coalesce(revoked_at, 0), (SELECT" \
	" coalesce(group_concat(team, ','), '') FROM (SELECT team FROM" \
	" token_teams WHERE token_id = tokens.id ORDER BY team))"
#define PARTICIPANT_COLUMNS \
	"id, case_id, team, basis, coalesce(purpose, ''), since," \
	" coalesce(until, 0), added_by"
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
	S_CASE_OPEN_FIND,
	S_CASE_GET_FOR,
	S_CASE_UPDATE,
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
	    " started_at, state_since, created_at, updated_at, final,"
	    " coordinator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''))",
	[S_CASE_GET] = "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?",
	[S_CASE_OPEN_FIND] =
	    "SELECT " CASE_COLUMNS " FROM cases WHERE reference = ? AND"
	    " team = ? AND workflow = ? AND final = 0 ORDER BY id LIMIT 1",
	[S_CASE_GET_FOR] =
	    "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1 AND "
	    VISIBLE_TO("2"),
	[S_CASE_UPDATE] =
	    "UPDATE cases SET state = ?, state_since = ?, updated_at = ?,"
	    " final = ?, coordinator = nullif(?, team), assignee = nullif(?,"
	    " ''), escalated_by = nullif(?, 0), escalated_due = nullif(?, 0),"
	    " waiting_by = nullif(?, 0), waiting_due = nullif(?, 0),"
	    " unrouted = nullif(?, '') WHERE id = ?",
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
	    "SELECT " DEADLINE_COLUMNS " FROM deadlines WHERE case_id = ?"
	    " ORDER BY id",
	[S_DL_OF_CASE_ACTIVE] =
	    "SELECT " DEADLINE_COLUMNS " FROM deadlines WHERE case_id = ? AND"
	    " (active = 1 OR EXISTS (SELECT 1 FROM rungs WHERE"
	    " rungs.deadline_id = deadlines.id AND fired_at IS NULL))"
	    " ORDER BY passed, due, id",
	[S_DL_OF_CASE_PASSED] =
	    "SELECT " DEADLINE_COLUMNS " FROM deadlines WHERE case_id = ? AND"
	    " passed = 1 ORDER BY due, id",
	[S_DL_STOP] =
	    "UPDATE deadlines SET active = 0 WHERE case_id = ? AND active = 1",
	[S_DL_STOP_STATE] =
	    "UPDATE deadlines SET active = 0 WHERE case_id = ? AND active = 1"
	    " AND scope = 'state' AND state = ?",
	[S_DL_GET] = "SELECT " DEADLINE_COLUMNS " FROM deadlines WHERE id = ?",
	[S_DL_FIND] =
	    "SELECT " DEADLINE_COLUMNS " FROM deadlines WHERE case_id = ? AND"
	    " name = ? AND active = 1 ORDER BY id DESC LIMIT 1",
	[S_RG_INSERT] =
	    "INSERT OR IGNORE INTO rungs (case_id, deadline_id, name, seq, due,"
	    " fired_at, missed, skipped, holder) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?)",
	[S_RG_NEXT] =
	    "SELECT due FROM rungs WHERE fired_at IS NULL ORDER BY due LIMIT 1",
	/*
	 * SQLite has one writer, whose BEGIN IMMEDIATE already keeps every
	 * other process from claiming the same rungs: a plain read suffices.
	 */
	[S_RG_CLAIM] =
	    "SELECT " RUNG_COLUMNS " FROM rungs WHERE fired_at IS NULL AND"
	    " due <= ? ORDER BY due, id LIMIT ?",
	[S_RG_FIRST_OF_CASE] =
	    "SELECT " RUNG_COLUMNS " FROM rungs WHERE deadline_id IN (SELECT id"
	    " FROM deadlines WHERE case_id = ?) AND fired_at IS NULL ORDER BY"
	    " due, id LIMIT 1",
	[S_RG_MARK_FIRED] =
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
	[S_RG_FORGET] =
	    "DELETE FROM rungs WHERE deadline_id = ? AND name = ? AND"
	    " fired_at IS NOT NULL AND id NOT IN (SELECT rung_id FROM"
	    " notifications WHERE rung_id IS NOT NULL)",
	[S_RG_LAST_SEQ] =
	    "SELECT coalesce(max(seq), 0), coalesce(sum(fired_at IS NULL), 0)"
	    " FROM rungs WHERE deadline_id = ? AND name = ?",
	[S_RG_OF_DEADLINE] =
	    "SELECT " RUNG_COLUMNS " FROM rungs WHERE deadline_id = ?"
	    " ORDER BY due, id",
	[S_NT_INSERT] =
	    "INSERT INTO notifications (case_id, rung_id, role, deadline, rung,"
	    " seq, missed, at, created_at, entered) VALUES (?, nullif(?, 0),"
	    " ?, ?, ?, ?, ?, ?, ?, nullif(?, ''))",
	[S_NT_OF_CASE] =
	    "SELECT " NOTIFICATION_COLUMNS " FROM notifications WHERE"
	    " case_id = ? ORDER BY id",
	[S_TR_INSERT] =
	    "INSERT INTO transitions (id, case_id, at, recorded_at, from_state,"
	    " to_state, cause, event, actor, note, basis, detail, prev_hash,"
	    " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_TR_OF_CASE] =
	    "SELECT " TRANSITION_COLUMNS " FROM transitions WHERE case_id = ?"
	    " AND id > ? ORDER BY id LIMIT ?",
	[S_TR_LAST_AT] =
	    "SELECT at FROM transitions WHERE case_id = ? ORDER BY id DESC"
	    " LIMIT 1",
	[S_TR_LAST] =
	    "SELECT " TRANSITION_COLUMNS " FROM transitions WHERE case_id = ?"
	    " ORDER BY id DESC LIMIT 1",
	[S_UNDO_PUT] =
	    "INSERT OR REPLACE INTO undo (case_id, transition_id, data)"
	    " VALUES (?, ?, ?)",
	[S_UNDO_GET] =
	    "SELECT transition_id, data FROM undo WHERE case_id = ?",
	[S_CHAIN_HEAD] = "SELECT id, hash FROM chain_head",
	[S_CHAIN_HEAD_SET] =
	    "INSERT INTO chain_head (one, id, hash) VALUES (1, ?, ?)"
	    " ON CONFLICT (one) DO UPDATE SET id = excluded.id,"
	    " hash = excluded.hash",
	[S_CHAIN_TRANSITIONS] =
	    "SELECT " TRANSITION_COLUMNS " FROM transitions ORDER BY id",
	[S_CHAIN_GAPS] =
	    "SELECT id, case_id, prev_hash, hash FROM chain_gaps ORDER BY id",
	[S_ROUTE_INSERT] =
	    "INSERT INTO routes (function, for_team, for_org, team, at, actor)"
	    " VALUES (?, nullif(?, ''), nullif(?, ''), ?, ?, ?)",
	[S_ROUTE_DELETE] = "DELETE FROM routes WHERE id = ?",
	[S_ROUTE_GET] = "SELECT " ROUTE_COLUMNS " FROM routes WHERE id = ?",
	/* The owning team's own route first, then its organisation's. */
	[S_ROUTE_FIND] =
	    "SELECT " ROUTE_COLUMNS " FROM routes WHERE function = ?1 AND"
	    " (for_team = ?2 OR (?3 <> '' AND for_org = ?3))"
	    " ORDER BY for_team IS NULL LIMIT 1",
	[S_ROUTE_EACH] =
	    "SELECT " ROUTE_COLUMNS " FROM routes ORDER BY function,"
	    " coalesce(for_team, ''), coalesce(for_org, '')",
	[S_ROUTE_LOG] =
	    "INSERT INTO route_log (action, function, for_team, for_org, team,"
	    " at, actor) VALUES (?, ?, nullif(?, ''), nullif(?, ''), ?, ?, ?)",
	[S_ROUTE_LOG_EACH] =
	    "SELECT id, function, coalesce(for_team, ''), coalesce(for_org,"
	    " ''), team, at, actor, action FROM route_log ORDER BY id",
	[S_UNROUTED_CASES] =
	    "SELECT " CASE_COLUMNS " FROM cases WHERE unrouted IS NOT NULL AND"
	    " final = 0 AND id > ?1 ORDER BY id LIMIT ?2",
	[S_UNROUTED_COUNT] =
	    "SELECT count(*) FROM cases WHERE unrouted IS NOT NULL AND"
	    " final = 0",
	[S_TEAM_INSERT] =
	    "INSERT INTO teams (name, title, organisation, created_at)"
	    " VALUES (?, ?, nullif(?, ''), ?)",
	[S_TEAM_GET] =
	    "SELECT name, title, coalesce(organisation, ''), created_at FROM"
	    " teams WHERE name = ?",
	[S_TEAM_EACH] =
	    "SELECT name, title, coalesce(organisation, ''), created_at FROM"
	    " teams ORDER BY name",
	[S_TOKEN_INSERT] =
	    "INSERT INTO tokens (name, role, hash, created_at, expires_at)"
	    " VALUES (?, ?, ?, ?, nullif(?, 0))",
	[S_TOKEN_TEAM_INSERT] =
	    "INSERT INTO token_teams (token_id, team) VALUES (?, ?)",
	[S_TOKEN_LOOKUP] =
	    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE hash = ? AND"
	    " revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
	[S_TOKEN_BY_NAME] =
	    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE name = ? AND"
	    " revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
	[S_TOKEN_REVOKE] =
	    "UPDATE tokens SET revoked_at = ? WHERE name = ? AND"
	    " revoked_at IS NULL",
	[S_TOKEN_TOUCH] =
	    "UPDATE tokens SET last_used_at = ?1 WHERE id = ?2 AND"
	    " (last_used_at IS NULL OR last_used_at < ?1)",
	[S_TOKEN_EACH] = "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY name",
	[S_PT_ADD] =
	    "INSERT INTO participants (case_id, team, basis, purpose, since,"
	    " added_by) VALUES (?, ?, ?, nullif(?, ''), ?, ?)",
	[S_PT_END] =
	    "UPDATE participants SET until = ? WHERE case_id = ? AND team = ?"
	    " AND until IS NULL",
	[S_PT_OF_CASE] =
	    "SELECT " PARTICIPANT_COLUMNS " FROM participants WHERE"
	    " case_id = ? ORDER BY id",
	[S_PT_OF_CASE_CURRENT] =
	    "SELECT " PARTICIPANT_COLUMNS " FROM participants WHERE"
	    " case_id = ? AND until IS NULL ORDER BY id",
	[S_RD_INSERT] =
	    "INSERT INTO reads (case_id, at, token, role, teams, what, request,"
	    " purpose) VALUES (?, ?, ?, ?, ?, ?, nullif(?, ''), nullif(?, ''))",
	[S_RD_OF_CASE] =
	    "SELECT " READ_COLUMNS " FROM reads WHERE case_id = ? AND id > ?"
	    " ORDER BY id LIMIT ?",
	[S_CLOSED_BEFORE] =
	    "SELECT " CASE_COLUMNS " FROM cases WHERE workflow = ? AND"
	    " version = ? AND final = 1 AND state_since < ? ORDER BY"
	    " state_since, id LIMIT ?",
	[S_DESTROY_TOMBSTONE] =
	    "INSERT INTO tombstones (case_id, workflow, version, team,"
	    " started_at, closed_at, destroyed_at, destroyed_by) VALUES (?, ?,"
	    " ?, ?, ?, ?, ?, ?)",
	[S_DESTROY_GAPS] =
	    "INSERT INTO chain_gaps (id, case_id, prev_hash, hash) SELECT id,"
	    " case_id, prev_hash, hash FROM transitions WHERE case_id = ?",
	[S_DESTROY_NOTIFICATIONS] = "DELETE FROM notifications WHERE case_id = ?",
	[S_DESTROY_RUNGS] = "DELETE FROM rungs WHERE case_id = ?",
	[S_DESTROY_DEADLINES] = "DELETE FROM deadlines WHERE case_id = ?",
	[S_DESTROY_PARTICIPANTS] = "DELETE FROM participants WHERE case_id = ?",
	[S_DESTROY_READS] = "DELETE FROM reads WHERE case_id = ?",
	[S_DESTROY_IDEMPOTENCY] = "DELETE FROM idempotency WHERE case_id = ?",
	[S_DESTROY_TRANSITIONS] = "DELETE FROM transitions WHERE case_id = ?",
	[S_DESTROY_CASE] = "DELETE FROM cases WHERE id = ?",
	[S_DESTROY_OUTBOX] = "DELETE FROM outbox WHERE case_id = ?",
	[S_DESTROY_UNDO] = "DELETE FROM undo WHERE case_id = ?",
	[S_OUTBOX_INSERT] =
	    "INSERT INTO outbox (case_id, notification_id, type, team, role,"
	    " body, next_at, created_at) VALUES (?, nullif(?, 0), ?, ?, ?, ?,"
	    " ?, ?)",
	[S_OUTBOX_DUE] =
	    "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE status = 'pending'"
	    " AND next_at <= ? ORDER BY next_at, id LIMIT ?",
	[S_OUTBOX_NEXT] =
	    "SELECT next_at FROM outbox WHERE status = 'pending' AND next_at > ?"
	    " ORDER BY next_at LIMIT 1",
	[S_OUTBOX_GET] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?",
	[S_OUTBOX_UPDATE] =
	    "UPDATE outbox SET status = ?, attempts = ?, next_at = ?,"
	    " last_error = nullif(?, ''), delivered_at = nullif(?, 0)"
	    " WHERE id = ?",
	/* How a case's notifications fared: never the CloudEvents. */
	[S_OUTBOX_OF_CASE] =
	    "SELECT " OUTBOX_COLUMNS_WITH("NULL") " FROM outbox WHERE"
	    " case_id = ? ORDER BY id",
	[S_TOMBSTONE_GET] =
	    "SELECT " TOMBSTONE_COLUMNS " FROM tombstones WHERE case_id = ?",
	[S_TOKEN_COUNT] = "SELECT count(*) FROM tokens",
	[S_IDEM_GET] =
	    "SELECT request_hash, status, body FROM idempotency WHERE"
	    " token_id = ?1 AND key = ?2 AND (case_id IS NULL OR EXISTS"
	    " (SELECT 1 FROM cases WHERE cases.id = idempotency.case_id AND "
	    VISIBLE_TO("1") "))",
	[S_IDEM_PUT] =
	    "INSERT INTO idempotency (token_id, key, request_hash, status, body,"
	    " case_id, created_at) VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?)",
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

struct sqlite_store;

/*
 * Migrations, in order; the schema version is PRAGMA user_version, the
 * number of migrations applied.  Never edit one that has shipped: add one.
 * A migration is SQL, and after it, in the same transaction, code for what
 * SQL cannot do (computing the audit chain over the rows that exist).
 */
static int	 migrate_chain(struct sqlite_store *);

static const struct migration {
	const char	*m_sql;
	int		(*m_after)(struct sqlite_store *);
} migrations[] = {
	/* 1: cases, deadlines, transitions, tokens, idempotency, workflows. */
	{ "CREATE TABLE cases ("
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
	"  PRIMARY KEY (name, version));", NULL },

	/*
	 * 2: deadlines as budgets; rungs (the scheduler's queue and the
	 * ledger of what fired, one row per occurrence); notifications.
	 */
	{ "ALTER TABLE deadlines ADD COLUMN running INTEGER NOT NULL DEFAULT 1;"
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
	"CREATE INDEX notifications_rung ON notifications (rung_id);", NULL },

	/*
	 * 3: access and accountability.  Teams are known, and the teams of
	 * existing cases become known teams; tokens have teams (existing
	 * tokens but admin get every team there is, so that they keep
	 * working), an expiry and a last use.  Other teams take part in a
	 * case on a legal basis; one team coordinates it.  Transitions are
	 * rebuilt with a legal basis, whom they concern, and the audit chain
	 * (computed over the existing rows after this SQL); a case destroyed
	 * at the end of its retention leaves a tombstone and, in the chain,
	 * gaps.  Every read of a case is logged.
	 */
	{ "CREATE TABLE teams ("
	"  name TEXT PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  organisation TEXT,"
	"  created_at INTEGER NOT NULL);"
	"INSERT INTO teams (name, title, created_at)"
	"  SELECT team, team, min(created_at) FROM cases GROUP BY team;"
	"ALTER TABLE tokens ADD COLUMN expires_at INTEGER;"
	"ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;"
	"CREATE TABLE token_teams ("
	"  token_id INTEGER NOT NULL REFERENCES tokens (id),"
	"  team TEXT NOT NULL REFERENCES teams (name),"
	"  PRIMARY KEY (token_id, team));"
	"INSERT INTO token_teams (token_id, team)"
	"  SELECT tokens.id, teams.name FROM tokens, teams"
	"  WHERE tokens.role <> 'admin';"
	"ALTER TABLE cases ADD COLUMN coordinator TEXT REFERENCES teams (name);"
	"CREATE INDEX cases_team ON cases (team, id);"
	"CREATE INDEX cases_closed ON cases (workflow, version, state_since)"
	"  WHERE final = 1;"
	"CREATE TABLE participants ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  team TEXT NOT NULL REFERENCES teams (name),"
	"  basis TEXT NOT NULL,"
	"  purpose TEXT,"
	"  since INTEGER NOT NULL,"
	"  until INTEGER,"
	"  added_by TEXT NOT NULL);"
	"CREATE UNIQUE INDEX participants_active ON participants"
	"  (case_id, team) WHERE until IS NULL;"
	"CREATE INDEX participants_team ON participants (team, case_id)"
	"  WHERE until IS NULL;"
	"ALTER TABLE idempotency ADD COLUMN case_id INTEGER;"
	"UPDATE idempotency SET case_id = json_extract(body, '$.id')"
	"  WHERE json_valid(body) AND json_type(body, '$.id') = 'integer';"
	"CREATE INDEX idempotency_case ON idempotency (case_id)"
	"  WHERE case_id IS NOT NULL;"
	"CREATE TABLE reads ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  token TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  teams TEXT NOT NULL,"
	"  what TEXT NOT NULL,"
	"  request TEXT,"
	"  purpose TEXT);"
	"CREATE INDEX reads_case ON reads (case_id, id);"
	"CREATE TABLE tombstones ("
	"  case_id INTEGER PRIMARY KEY,"
	"  workflow TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  team TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  closed_at INTEGER NOT NULL,"
	"  destroyed_at INTEGER NOT NULL,"
	"  destroyed_by TEXT NOT NULL);"
	"DROP TRIGGER transitions_no_update;"
	"DROP TRIGGER transitions_no_delete;"
	"ALTER TABLE transitions RENAME TO transitions_2;"
	"CREATE TABLE transitions ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  at INTEGER NOT NULL,"
	"  recorded_at INTEGER NOT NULL,"
	"  from_state TEXT,"
	"  to_state TEXT NOT NULL,"
	"  cause TEXT NOT NULL CHECK (cause IN ('create', 'event', 'deadline',"
	"    'share', 'unshare', 'coordinate', 'assign', 'correction')),"
	"  event TEXT,"
	"  actor TEXT NOT NULL,"
	"  note TEXT,"
	"  basis TEXT,"
	"  detail TEXT,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"INSERT INTO transitions (id, case_id, at, recorded_at, from_state,"
	"  to_state, cause, event, actor, note, prev_hash, hash)"
	"  SELECT id, case_id, at, recorded_at, from_state, to_state, cause,"
	"  event, actor, note, zeroblob(32), zeroblob(32) FROM transitions_2;"
	"DROP TABLE transitions_2;"
	"CREATE INDEX transitions_case ON transitions (case_id, id);"
	"CREATE TABLE chain_gaps ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE TABLE chain_head ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  id INTEGER NOT NULL,"
	"  hash BLOB NOT NULL);", migrate_chain },

	/*
	 * 4: what supervisors and enforcement see and hear.  A case may be
	 * assigned to a person; it remembers the deadline whose passing
	 * brought it into its state (so that the overdue view derives what
	 * still waits on a deadline without a scan); indexes for the views;
	 * the outbox of webhooks, written with the notification that causes
	 * them.  Cases that escalated before this version are found from
	 * their history.
	 */
	{ "ALTER TABLE cases ADD COLUMN assignee TEXT;"
	"ALTER TABLE cases ADD COLUMN escalated_by INTEGER;"
	"ALTER TABLE cases ADD COLUMN escalated_due INTEGER;"
	"UPDATE cases SET escalated_by = (SELECT d.id FROM deadlines d"
	"  WHERE d.case_id = cases.id AND d.passed = 1 AND"
	"  d.then_state = cases.state AND d.due = cases.state_since"
	"  ORDER BY d.id DESC LIMIT 1) WHERE final = 0;"
	"UPDATE cases SET escalated_due = (SELECT due FROM deadlines d"
	"  WHERE d.id = cases.escalated_by) WHERE escalated_by IS NOT NULL;"
	"CREATE INDEX cases_escalated ON cases (team, escalated_due, id)"
	"  WHERE escalated_by IS NOT NULL;"
	"CREATE INDEX cases_open ON cases (team, state, state_since)"
	"  WHERE final = 0;"
	"CREATE INDEX deadlines_waiting ON deadlines (due, id)"
	"  WHERE passed = 1 AND active = 1 AND then_state = '';"
	"CREATE INDEX deadlines_running ON deadlines (due, id)"
	"  WHERE active = 1 AND running = 1 AND passed = 0;"
	"CREATE INDEX deadlines_suspended ON deadlines (case_id)"
	"  WHERE active = 1 AND running = 0;"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL,"
	"  notification_id INTEGER,"
	"  type TEXT NOT NULL,"
	"  team TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'delivered', 'dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  delivered_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox (next_at, id) WHERE status = 'pending';"
	"CREATE INDEX outbox_status ON outbox (status, id);"
	"CREATE INDEX outbox_case ON outbox (case_id);", NULL },

	/*
	 * 5: what it takes to correct a case.  For each case, the state and
	 * the deadlines' budgets as they were before its last transition
	 * that an event or a deadline caused (JSON, engine_correct.c); a
	 * correction restores them and records a transition of its own.
	 */
	{ "CREATE TABLE undo ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases (id),"
	"  transition_id INTEGER NOT NULL,"
	"  data TEXT NOT NULL);", NULL },

	/*
	 * 6: a registration finds the open case it would repeat (the same
	 * reference, team and workflow) in the index, not by a scan.
	 */
	{ "CREATE INDEX cases_reference ON cases (reference, team, workflow)"
	"  WHERE final = 0;", NULL },

	/*
	 * 7: the overdue view as index walks that stop at the page's end,
	 * and the report's indexes.
	 * A case also remembers its state's deadline without "then" that
	 * passed while it waits in that state (found here from the
	 * deadlines for cases that have one).  What a case waits on is
	 * indexed by team and by moment, then deadline: the view's own
	 * order, so that the first page of one team, or of every team a
	 * token sees, reads about a page of rows whatever the number of
	 * cases.  The indexes they replace sorted every escalated case of a
	 * team before the first row, and walked then-less deadlines of every
	 * team.
	 */
	{ "ALTER TABLE cases ADD COLUMN waiting_by INTEGER;"
	"ALTER TABLE cases ADD COLUMN waiting_due INTEGER;"
	"UPDATE cases SET waiting_by = (SELECT d.id FROM deadlines d"
	"  WHERE d.case_id = cases.id AND d.passed = 1 AND d.active = 1 AND"
	"  d.then_state = '' AND d.scope = 'state' AND d.state = cases.state"
	"  ORDER BY d.id DESC LIMIT 1) WHERE final = 0;"
	"UPDATE cases SET waiting_due = (SELECT due FROM deadlines d"
	"  WHERE d.id = cases.waiting_by) WHERE waiting_by IS NOT NULL;"
	"DROP INDEX cases_escalated;"
	"DROP INDEX deadlines_waiting;"
	"CREATE INDEX cases_escalated ON cases (team, escalated_due,"
	"  escalated_by) WHERE escalated_by IS NOT NULL AND final = 0;"
	"CREATE INDEX cases_escalated_all ON cases (escalated_due,"
	"  escalated_by, team) WHERE escalated_by IS NOT NULL AND final = 0;"
	"CREATE INDEX cases_waiting ON cases (team, waiting_due, waiting_by)"
	"  WHERE waiting_by IS NOT NULL AND final = 0;"
	"CREATE INDEX cases_waiting_all ON cases (waiting_due, waiting_by,"
	"  team) WHERE waiting_by IS NOT NULL AND final = 0;"
	/* The report: deadlines by moment, closed cases by when. */
	"CREATE INDEX deadlines_moment ON deadlines (due);"
	"CREATE INDEX cases_closed_at ON cases (state_since) WHERE final = 1;",
	NULL },

	/*
	 * 8: escalation reaches a team.  Which team fills a function
	 * (enforcement, a partner's housing fraud team) for an owning team,
	 * or for every team of an organisation, and every change of that,
	 * append-only.  A case remembers the functions no team filled when
	 * it should have joined.  A notification may come from entering a
	 * state rather than from a rung: its rung is then NULL, and it names
	 * the state entered.
	 */
	{ "CREATE TABLE routes ("
	"  id INTEGER PRIMARY KEY,"
	"  function TEXT NOT NULL,"
	"  for_team TEXT,"
	"  for_org TEXT,"
	"  team TEXT NOT NULL REFERENCES teams (name),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  CHECK ((for_team IS NULL) <> (for_org IS NULL)));"
	"CREATE UNIQUE INDEX routes_key ON routes (function,"
	"  coalesce(for_team, ''), coalesce(for_org, ''));"
	"CREATE TABLE route_log ("
	"  id INTEGER PRIMARY KEY,"
	"  action TEXT NOT NULL CHECK (action IN ('set', 'removed')),"
	"  function TEXT NOT NULL,"
	"  for_team TEXT,"
	"  for_org TEXT,"
	"  team TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL);"
	"CREATE TRIGGER route_log_no_update BEFORE UPDATE ON route_log"
	"  BEGIN SELECT RAISE(ABORT, 'the route log is append-only'); END;"
	"CREATE TRIGGER route_log_no_delete BEFORE DELETE ON route_log"
	"  BEGIN SELECT RAISE(ABORT, 'the route log is append-only'); END;"
	"ALTER TABLE cases ADD COLUMN unrouted TEXT;"
	"CREATE INDEX cases_unrouted ON cases (team)"
	"  WHERE unrouted IS NOT NULL AND final = 0;"
	"ALTER TABLE notifications RENAME TO notifications_7;"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases (id),"
	"  rung_id INTEGER REFERENCES rungs (id),"
	"  role TEXT NOT NULL,"
	"  deadline TEXT NOT NULL,"
	"  rung TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  missed INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  entered TEXT);"
	"INSERT INTO notifications (id, case_id, rung_id, role, deadline, rung,"
	"  seq, missed, at, created_at) SELECT id, case_id, rung_id, role,"
	"  deadline, rung, seq, missed, at, created_at FROM notifications_7;"
	"DROP TABLE notifications_7;"
	"CREATE INDEX notifications_case ON notifications (case_id, id);"
	"CREATE INDEX notifications_rung ON notifications (rung_id);", NULL },
};

/*
 * After migration 3's SQL: the audit chain over the transitions there are,
 * in id order, then the triggers that keep them append-only.  A
 * transition is deleted only with its case, when its tombstone is there.
 */
static const char chain_triggers[] =
	"CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;"
	"CREATE TRIGGER transitions_no_delete BEFORE DELETE ON transitions"
	"  WHEN NOT EXISTS (SELECT 1 FROM tombstones"
	"  WHERE tombstones.case_id = OLD.case_id)"
	"  BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;";

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
#define SQ_SCAN_CACHE_SIZE	"-1024"		/* while a monitoring scan runs */
#define SQ_CHECKPOINT_MS	1000

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

struct sqlite_store {
	struct store	 sq_store;	/* first: the seam's part */
	sqlite3		*sq_db;
	char		*sq_path;
	int		 sq_lock_fd;	/* the held <db>.lock, or -1 */
	sqlite3_stmt	*sq_stmt[S__COUNT];
	int		 sq_version;
	enum sq_txn	 sq_txn;
	enum store_status sq_lost;	/* why the transaction was lost */
	/* The checkpointer thread, when started. */
	sqlite3		*sq_ck_db;
	pthread_t	 sq_ck_thread;
	pthread_mutex_t	 sq_ck_lock;
	pthread_cond_t	 sq_ck_cond;
	int		 sq_ck_stop;
	int		 sq_ck_running;
};

static int	 sq_claims(const char *);
static struct store *sq_open(const char *, enum store_open_mode, char *,
		    size_t);
static int	 sq_hold(struct sqlite_store *, char *, size_t);
static void	 sq_close(struct store *);
static void	 sq_upkeep_stop(struct store *);
static int	 sq_exec(struct sqlite_store *, const char *);
static int	 sq_user_version(struct sqlite_store *, int *, char *, size_t);
static int	 sq_migrate(struct sqlite_store *, char *, size_t);
static int	 sq_schema_check(struct sqlite_store *, char *, size_t);
static void	*sq_checkpointer(void *);
static sqlite3_stmt *sq_stmt(struct sqlite_store *, enum stmt_id);
static enum store_status sq_fail(struct sqlite_store *, sqlite3_stmt *,
		    const char *);
static enum store_status sq_done(struct sqlite_store *, sqlite3_stmt *);
static enum store_status sq_row(struct sqlite_store *, sqlite3_stmt *,
		    const char *);
static enum store_status sq_walk_end(sqlite3_stmt *, enum store_status, int);
static enum store_status sq_changed(struct sqlite_store *, sqlite3_stmt *,
		    enum store_status);
static void	 col_text(sqlite3_stmt *, int, char *, size_t);
static void	 col_blob(sqlite3_stmt *, int, unsigned char *, size_t);
static void	 bind_optional(sqlite3_stmt *, int, const char *);
static void	 gap_from_row(sqlite3_stmt *, struct chain_gap_row *);
static void	 outbox_from_row(sqlite3_stmt *, struct outbox_row *);
static void	 case_from_row(sqlite3_stmt *, struct case_row *);
static enum store_status route_log(struct sqlite_store *, const char *,
		    const struct route_row *);
static void	 deadline_from_row(sqlite3_stmt *, struct deadline_row *);
static void	 deadline_from_cols(sqlite3_stmt *, int, struct deadline_row *);
static void	 rung_from_row(sqlite3_stmt *, struct rung_row *);
static void	 notification_from_row(sqlite3_stmt *,
		    struct notification_row *);
static void	 transition_from_row(sqlite3_stmt *, struct transition_row *);
static void	 bind_budget(sqlite3_stmt *, int, const struct deadline_row *);

#define SQ(st)	((struct sqlite_store *)(st))

/* Any location is a path to a SQLite file: this backend is asked last. */
static int
sq_claims(const char *location)
{
	return location[0] != '\0';
}

static struct store *
sq_open(const char *path, enum store_open_mode mode, char *err,
    size_t errlen)
{
	struct sqlite_store	*sq;
	size_t			 i;
	int			 rc;

	sq = xcalloc(1, sizeof(*sq));
	sq->sq_store.st_backend = &store_sqlite_backend;
	sq->sq_path = xstrdup(path);
	sq->sq_lock_fd = -1;
	rc = sqlite3_open_v2(path, &sq->sq_db, (mode == STORE_OPEN_READONLY ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sq->sq_db ?
		    sqlite3_errmsg(sq->sq_db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(sq->sq_db, 1);
	sqlite3_busy_timeout(sq->sq_db, 5000);
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
		rc = sqlite3_prepare_v3(sq->sq_db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &sq->sq_stmt[i], NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: preparing \"%s\": %s", path,
			    stmt_sql[i], sqlite3_errmsg(sq->sq_db));
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
	for (i = 0; i < S__COUNT; i++)
		sqlite3_finalize(sq->sq_stmt[i]);
	if (sq->sq_db != NULL && sqlite3_close(sq->sq_db) != SQLITE_OK)
		log_warnx("closing the database: %s", sqlite3_errmsg(sq->sq_db));
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

static void *
sq_checkpointer(void *arg)
{
	struct sqlite_store	*sq = arg;
	struct timespec		 ts;
	int			 log, done, rc;

	pthread_mutex_lock(&sq->sq_ck_lock);
	while (!sq->sq_ck_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += SQ_CHECKPOINT_MS / 1000;
		ts.tv_nsec += (long)(SQ_CHECKPOINT_MS % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&sq->sq_ck_cond, &sq->sq_ck_lock, &ts);
		if (sq->sq_ck_stop)
			break;
		pthread_mutex_unlock(&sq->sq_ck_lock);
		rc = sqlite3_wal_checkpoint_v2(sq->sq_ck_db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_warnx("sqlite: checkpointing the WAL: %s",
			    sqlite3_errmsg(sq->sq_ck_db));
		pthread_mutex_lock(&sq->sq_ck_lock);
	}
	pthread_mutex_unlock(&sq->sq_ck_lock);
	return NULL;
}

/* Checkpoint the WAL every second, on a thread of its own. */
static enum store_status
sq_upkeep_start(struct store *st, char *err, size_t errlen)
{
	struct sqlite_store	*sq = SQ(st);

	if (sq->sq_ck_running)
		return STORE_OK;
	if (sqlite3_open_v2(sq->sq_path, &sq->sq_ck_db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", sq->sq_path, sq->sq_ck_db ?
		    sqlite3_errmsg(sq->sq_ck_db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(sq->sq_ck_db, 1000);
	if (sqlite3_exec(sq->sq_ck_db, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", sq->sq_path,
		    sqlite3_errmsg(sq->sq_ck_db));
		goto fail;
	}
	sq->sq_ck_stop = 0;
	if (pthread_mutex_init(&sq->sq_ck_lock, NULL) != 0 ||
	    pthread_cond_init(&sq->sq_ck_cond, NULL) != 0 ||
	    pthread_create(&sq->sq_ck_thread, NULL, sq_checkpointer, sq) != 0) {
		snprintf(err, errlen, "cannot start the checkpointer thread");
		goto fail;
	}
	sq->sq_ck_running = 1;
	return STORE_OK;
fail:
	sqlite3_close(sq->sq_ck_db);
	sq->sq_ck_db = NULL;
	return STORE_FAILED;
}

static void
sq_upkeep_stop(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	if (!sq->sq_ck_running)
		return;
	pthread_mutex_lock(&sq->sq_ck_lock);
	sq->sq_ck_stop = 1;
	pthread_cond_signal(&sq->sq_ck_cond);
	pthread_mutex_unlock(&sq->sq_ck_lock);
	pthread_join(sq->sq_ck_thread, NULL);
	pthread_cond_destroy(&sq->sq_ck_cond);
	pthread_mutex_destroy(&sq->sq_ck_lock);
	sqlite3_close(sq->sq_ck_db);
	sq->sq_ck_db = NULL;
	sq->sq_ck_running = 0;
}

static int
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

/* Read-only: the schema must be the one this termijn knows, no migration. */
static int
sq_schema_check(struct sqlite_store *sq, char *err, size_t errlen)
{
	int	v;

	if (sq_user_version(sq, &v, err, errlen) == -1)
		return -1;
	if (v != (int)nitems(migrations)) {
		snprintf(err, errlen, "%s: the database has schema version %d;"
		    " this termijn reads version %zu only (start termijnd of"
		    " this release on it first, or use the termijnctl of its"
		    " own release)", sq->sq_path, v, nitems(migrations));
		return -1;
	}
	sq->sq_version = v;
	return 0;
}

/* The schema version; a database from a newer termijn is refused. */
static int
sq_user_version(struct sqlite_store *sq, int *version, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	int		 v;

	if (sqlite3_prepare_v2(sq->sq_db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		snprintf(err, errlen, "%s: reading the schema version: %s",
		    sq->sq_path, sqlite3_errmsg(sq->sq_db));
		sqlite3_finalize(s);
		return -1;
	}
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v > (int)nitems(migrations)) {
		snprintf(err, errlen, "%s: made by a newer termijn (schema"
		    " version %d; this one knows versions up to %zu): run that"
		    " version, or restore a backup made by this one; the file"
		    " was not changed", sq->sq_path, v, nitems(migrations));
		return -1;
	}
	*version = v;
	return 0;
}

/* Apply the migrations the database lacks, each in its own transaction. */
static int
sq_migrate(struct sqlite_store *sq, char *err, size_t errlen)
{
	char	sql[64];
	int	v;

	if (sq_user_version(sq, &v, err, errlen) == -1)
		return -1;
	for (; v < (int)nitems(migrations); v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sq_exec(sq, "BEGIN IMMEDIATE") == -1)
			goto fail;
		if (sq_exec(sq, migrations[v].m_sql) == -1 ||
		    (migrations[v].m_after != NULL &&
		    migrations[v].m_after(sq) == -1) ||
		    sq_exec(sq, sql) == -1 || sq_exec(sq, "COMMIT") == -1) {
			/* Said before the rollback, which clears SQLite's. */
			snprintf(err, errlen, "migrating to schema version %d:"
			    " %s", v + 1, sqlite3_errmsg(sq->sq_db));
			sq_exec(sq, "ROLLBACK");
			return -1;
		}
		log_info("database migrated to schema version %d", v + 1);
	}
	sq->sq_version = v;
	return 0;
fail:
	snprintf(err, errlen, "migrating to schema version %d: %s", v + 1,
	    sqlite3_errmsg(sq->sq_db));
	return -1;
}

/*
 * Migration 3: link the transitions there are into the audit chain, in id
 * order, as record.c links every new one; set the chain's head; then make
 * the table append-only again.
 */
static int
migrate_chain(struct sqlite_store *sq)
{
	struct transition_row	*t;
	sqlite3_stmt		*rd = NULL, *up = NULL, *head = NULL;
	unsigned char		 prev[HASH_SHA256_LEN];
	int64_t			 last = 0;
	int			 rc, ret = -1;

	t = xcalloc(1, sizeof(*t));
	memset(prev, 0, sizeof(prev));
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT " TRANSITION_COLUMNS
	    " FROM transitions ORDER BY id", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_db, "UPDATE transitions SET prev_hash"
	    " = ?, hash = ? WHERE id = ?", -1, &up, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_db, "INSERT INTO chain_head (one, id,"
	    " hash) VALUES (1, ?, ?)", -1, &head, NULL) != SQLITE_OK)
		goto done;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		transition_from_row(rd, t);
		memcpy(t->t_prev, prev, HASH_SHA256_LEN);
		audit_hash(prev, t, t->t_hash);
		sqlite3_bind_blob(up, 1, t->t_prev, HASH_SHA256_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_blob(up, 2, t->t_hash, HASH_SHA256_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_int64(up, 3, t->t_id);
		if (sqlite3_step(up) != SQLITE_DONE)
			goto done;
		sqlite3_reset(up);
		memcpy(prev, t->t_hash, HASH_SHA256_LEN);
		last = t->t_id;
	}
	if (rc != SQLITE_DONE)
		goto done;
	sqlite3_bind_int64(head, 1, last);
	sqlite3_bind_blob(head, 2, prev, HASH_SHA256_LEN, SQLITE_STATIC);
	if (sqlite3_step(head) != SQLITE_DONE || sq_exec(sq,
	    chain_triggers) == -1)
		goto done;
	ret = 0;
done:
	sqlite3_finalize(rd);
	sqlite3_finalize(up);
	sqlite3_finalize(head);
	free(t);
	return ret;
}

static sqlite3_stmt *
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
static enum store_status
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
	}
	return status;
}

/* Run a statement that returns no rows. */
static enum store_status
sq_done(struct sqlite_store *sq, sqlite3_stmt *s)
{
	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
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
static enum store_status
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
static enum store_status
sq_walk_end(sqlite3_stmt *s, enum store_status rc, int stopped)
{
	sqlite3_reset(s);
	return !stopped && rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* The same for a statement prepared for this walk alone, finalized. */
static enum store_status
sq_walk_final(sqlite3_stmt *s, enum store_status rc, int stopped)
{
	sqlite3_finalize(s);
	return !stopped && rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* After a write of one row: STORE_OK if it changed one, else absent. */
static enum store_status
sq_changed(struct sqlite_store *sq, sqlite3_stmt *s, enum store_status absent)
{
	enum store_status	rc;

	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	return sqlite3_changes(sq->sq_db) == 1 ? STORE_OK : absent;
}

static void
col_text(sqlite3_stmt *s, int i, char *buf, size_t len)
{
	const unsigned char	*t = sqlite3_column_text(s, i);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

/* A blob of a fixed size; zeros when the column holds another size. */
static void
col_blob(sqlite3_stmt *s, int i, unsigned char *buf, size_t len)
{
	const void	*b = sqlite3_column_blob(s, i);

	if (b != NULL && (size_t)sqlite3_column_bytes(s, i) == len)
		memcpy(buf, b, len);
	else
		memset(buf, 0, len);
}

static enum store_status
sq_begin(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	if ((rc = sq_done(sq, sq_stmt(sq, S_BEGIN))) == STORE_OK)
		sq->sq_txn = TXN_OPEN;
	return rc;
}

static enum store_status
sq_commit(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;

	if ((rc = sq_done(sq, sq_stmt(sq, S_COMMIT))) == STORE_OK)
		sq->sq_txn = TXN_NONE;
	return rc;
}

static void
sq_rollback(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	sq->sq_txn = TXN_NONE;
	if (sqlite3_get_autocommit(sq->sq_db))
		return;		/* SQLite rolled back already */
	sq_done(sq, sq_stmt(sq, S_ROLLBACK));
}

static enum store_status
sq_read_begin(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	return sq_done(sq, sq_stmt(sq, S_BEGIN_READ));
}

static void
sq_read_end(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	if (!sqlite3_get_autocommit(sq->sq_db))
		sq_done(sq, sq_stmt(sq, S_COMMIT));
}

static enum store_status
sq_savepoint(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

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

	if ((rc = sq_done(sq, sq_stmt(sq, S_ROLLBACK_TO))) != STORE_OK)
		return rc;
	return sq_done(sq, sq_stmt(sq, S_RELEASE));
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
	col_text(s, 11, c->c_coordinator, sizeof(c->c_coordinator));
	col_text(s, 12, c->c_assignee, sizeof(c->c_assignee));
	c->c_escalated_by = sqlite3_column_int64(s, 13);
	c->c_escalated_due = sqlite3_column_int64(s, 14);
	c->c_waiting_by = sqlite3_column_int64(s, 15);
	c->c_waiting_due = sqlite3_column_int64(s, 16);
	col_text(s, 17, c->c_unrouted, sizeof(c->c_unrouted));
}

/*
 * Walk a statement whose rows are cases: one prepared for this walk alone
 * is finalized at its end, a kept one reset.
 */
static enum store_status
case_walk(struct sqlite_store *sq, sqlite3_stmt *s, const char *what,
    store_case_cb *cb, void *arg, int finalize)
{
	struct case_row		c;
	enum store_status	rc;
	int			stopped = 0;

	while ((rc = sq_row(sq, s, what)) == STORE_OK) {
		case_from_row(s, &c);
		if ((rc = cb(&c, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return finalize ? sq_walk_final(s, rc, stopped) :
	    sq_walk_end(s, rc, stopped);
}

static enum store_status
sq_case_insert(struct store *st, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_INSERT);
	enum store_status	 rc;

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
	sqlite3_bind_text(s, 11, c->c_coordinator, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		c->c_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

static enum store_status
sq_case_get(struct store *st, int64_t id, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a case")) == STORE_OK)
		case_from_row(s, c);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_case_open_find(struct store *st, const char *workflow,
    const char *reference, const char *team, struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_OPEN_FIND);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, workflow, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "finding an open case")) == STORE_OK)
		case_from_row(s, c);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_case_get_for(struct store *st, int64_t id, int64_t token,
    struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_GET_FOR);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, token);
	if ((rc = sq_row(sq, s, "reading a case")) == STORE_OK)
		case_from_row(s, c);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_case_update_state(struct store *st, const struct case_row *c)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CASE_UPDATE);

	sqlite3_bind_text(s, 1, c->c_state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, c->c_state_since);
	sqlite3_bind_int64(s, 3, c->c_updated_at);
	sqlite3_bind_int(s, 4, c->c_final);
	sqlite3_bind_text(s, 5, c->c_coordinator[0] ? c->c_coordinator :
	    c->c_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, c->c_assignee, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, c->c_escalated_by);
	sqlite3_bind_int64(s, 8, c->c_escalated_due);
	sqlite3_bind_int64(s, 9, c->c_waiting_by);
	sqlite3_bind_int64(s, 10, c->c_waiting_due);
	sqlite3_bind_text(s, 11, c->c_unrouted, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 12, c->c_id);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

/*
 * The filters combine freely, so this one statement is built per call
 * from fixed fragments; values are always bound, never pasted.
 */
static enum store_status
sq_case_list(struct store *st, const struct case_filter *f,
    store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = NULL;
	char			 sql[1024];

	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS " FROM cases"
	    " WHERE id > ?1%s%s%s%s ORDER BY id LIMIT ?2",
	    f->cf_token ? " AND " VISIBLE_TO("3") : "",
	    f->cf_state ? " AND state = ?4" : "",
	    f->cf_workflow ? " AND workflow = ?5" : "",
	    f->cf_team ? " AND team = ?6" : "");
	if (sqlite3_prepare_v2(sq->sq_db, sql, -1, &s, NULL) != SQLITE_OK)
		return sq_fail(sq, NULL, "listing cases");
	sqlite3_bind_int64(s, 1, f->cf_after);
	sqlite3_bind_int(s, 2, f->cf_limit);
	sqlite3_bind_int64(s, 3, f->cf_token);
	if (f->cf_state)
		sqlite3_bind_text(s, 4, f->cf_state, -1, SQLITE_STATIC);
	if (f->cf_workflow)
		sqlite3_bind_text(s, 5, f->cf_workflow, -1, SQLITE_STATIC);
	if (f->cf_team)
		sqlite3_bind_text(s, 6, f->cf_team, -1, SQLITE_STATIC);
	return case_walk(sq, s, "listing cases", cb, arg, 1);
}

static void
deadline_from_row(sqlite3_stmt *s, struct deadline_row *d)
{
	deadline_from_cols(s, 0, d);
}

/* A deadline read from columns i and on (after a case's, in a join). */
static void
deadline_from_cols(sqlite3_stmt *s, int i, struct deadline_row *d)
{
	d->d_id = sqlite3_column_int64(s, i + 0);
	d->d_case = sqlite3_column_int64(s, i + 1);
	col_text(s, i + 2, d->d_name, sizeof(d->d_name));
	col_text(s, i + 3, d->d_state, sizeof(d->d_state));
	col_text(s, i + 4, d->d_then, sizeof(d->d_then));
	col_text(s, i + 5, d->d_period, sizeof(d->d_period));
	col_text(s, i + 6, d->d_rule, sizeof(d->d_rule));
	col_text(s, i + 7, d->d_kind, sizeof(d->d_kind));
	d->d_anchor = sqlite3_column_int64(s, i + 8);
	d->d_due = sqlite3_column_int64(s, i + 9);
	d->d_active = sqlite3_column_int(s, i + 10);
	d->d_running = sqlite3_column_int(s, i + 11);
	d->d_passed = sqlite3_column_int(s, i + 12);
	d->d_case_scope = strcmp((const char *)sqlite3_column_text(s, i + 13),
	    "case") == 0;
	d->d_suspended_since = sqlite3_column_int64(s, i + 14);
	d->d_suspended_days = sqlite3_column_int(s, i + 15);
	d->d_suspended_ms = sqlite3_column_int64(s, i + 16);
	col_text(s, i + 17, d->d_extensions, sizeof(d->d_extensions));
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

static enum store_status
sq_deadline_insert(struct store *st, struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_INSERT);
	enum store_status	 rc;

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
	if ((rc = sq_done(sq, s)) == STORE_OK)
		d->d_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

static enum store_status
sq_deadline_update(struct store *st, const struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_UPDATE);

	sqlite3_bind_int64(s, 1, d->d_due);
	sqlite3_bind_int(s, 2, d->d_active);
	sqlite3_bind_int(s, 3, d->d_running);
	sqlite3_bind_int(s, 4, d->d_passed);
	bind_budget(s, 5, d);
	sqlite3_bind_int64(s, 9, d->d_id);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

static enum store_status
sq_deadlines_of_case(struct store *st, int64_t id,
    enum store_deadline_set set, store_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	struct deadline_row	*d;
	enum store_status	 rc;
	int			 stopped = 0;

	d = xmalloc(sizeof(*d));
	s = sq_stmt(sq, set == STORE_DL_CURRENT ? S_DL_OF_CASE_ACTIVE :
	    set == STORE_DL_PASSED ? S_DL_OF_CASE_PASSED : S_DL_OF_CASE);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading deadlines")) == STORE_OK) {
		deadline_from_row(s, d);
		if ((rc = cb(d, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	free(d);
	return sq_walk_end(s, rc, stopped);
}

static enum store_status
sq_deadlines_stop(struct store *st, int64_t id, const char *state)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;

	s = sq_stmt(sq, state ? S_DL_STOP_STATE : S_DL_STOP);
	sqlite3_bind_int64(s, 1, id);
	if (state != NULL)
		sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

static enum store_status
sq_deadline_get(struct store *st, int64_t id, struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a deadline")) == STORE_OK)
		deadline_from_row(s, d);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_deadline_find(struct store *st, int64_t id, const char *name,
    struct deadline_row *d)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_DL_FIND);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "reading a deadline")) == STORE_OK)
		deadline_from_row(s, d);
	sqlite3_reset(s);
	return rc;
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

static enum store_status
sq_rung_insert(struct store *st, const struct rung_row *r)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_INSERT);

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
	return sq_changed(sq, s, STORE_EXISTS);
}

static enum store_status
sq_rung_next(struct store *st, int64_t *due)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_NEXT);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "finding the next rung")) == STORE_OK)
		*due = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_rungs_claim(struct store *st, int64_t now, struct rung_row *out,
    size_t max, size_t *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_CLAIM);
	enum store_status	 rc = STORE_NOTFOUND;

	*n = 0;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	while (*n < max && (rc = sq_row(sq, s, "claiming due rungs")) ==
	    STORE_OK)
		rung_from_row(s, &out[(*n)++]);
	return sq_walk_end(s, rc, 0);
}

static enum store_status
sq_rung_first_of_case(struct store *st, int64_t id, struct rung_row *r)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_FIRST_OF_CASE);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading rungs")) == STORE_OK)
		rung_from_row(s, r);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_rung_mark_fired(struct store *st, const struct rung_row *r, int64_t at,
    int missed, int skipped)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_MARK_FIRED);

	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_int(s, 2, missed);
	sqlite3_bind_int(s, 3, skipped);
	sqlite3_bind_int64(s, 4, r->r_id);
	sqlite3_bind_int64(s, 5, r->r_deadline);
	sqlite3_bind_text(s, 6, r->r_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, r->r_seq);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

static enum store_status
sq_rungs_cancel(struct store *st, int64_t id, int64_t deadline,
    const char *holder)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;

	if (deadline != 0) {
		s = sq_stmt(sq, S_RG_CANCEL_DEADLINE);
		sqlite3_bind_int64(s, 1, deadline);
	} else if (holder != NULL) {
		s = sq_stmt(sq, S_RG_CANCEL_HOLDER);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, holder, -1, SQLITE_STATIC);
	} else {
		s = sq_stmt(sq, S_RG_CANCEL_CASE);
		sqlite3_bind_int64(s, 1, id);
	}
	return sq_done(sq, s);
}

static enum store_status
sq_rungs_hand_over(struct store *st, int64_t deadline, const char *holder)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_HAND_OVER);

	sqlite3_bind_text(s, 1, holder, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, deadline);
	return sq_done(sq, s);
}

static enum store_status
sq_rung_forget(struct store *st, int64_t deadline, const char *name)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_FORGET);

	sqlite3_bind_int64(s, 1, deadline);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

static enum store_status
sq_rung_last_seq(struct store *st, int64_t deadline, const char *name,
    int *seq, int *pending)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_LAST_SEQ);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, deadline);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	/* An aggregate: always one row. */
	if ((rc = sq_row(sq, s, "reading rungs")) == STORE_OK) {
		*seq = sqlite3_column_int(s, 0);
		*pending = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_rungs_of_deadline(struct store *st, int64_t id, store_rung_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_RG_OF_DEADLINE);
	struct rung_row		 r;
	enum store_status	 rc;
	int			 stopped = 0;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading rungs")) == STORE_OK) {
		rung_from_row(s, &r);
		if ((rc = cb(&r, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

static enum store_status
sq_notification_insert(struct store *st, struct notification_row *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_NT_INSERT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, n->n_case);
	sqlite3_bind_int64(s, 2, n->n_rung);
	sqlite3_bind_text(s, 3, n->n_role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, n->n_deadline, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, n->n_rung_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, n->n_seq);
	sqlite3_bind_int(s, 7, n->n_missed);
	sqlite3_bind_int64(s, 8, n->n_at);
	sqlite3_bind_int64(s, 9, n->n_created_at);
	sqlite3_bind_text(s, 10, n->n_entered, -1, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) == STORE_OK)
		n->n_id = sqlite3_last_insert_rowid(sq->sq_db);
	return rc;
}

static void
notification_from_row(sqlite3_stmt *s, struct notification_row *n)
{
	n->n_id = sqlite3_column_int64(s, 0);
	n->n_case = sqlite3_column_int64(s, 1);
	n->n_rung = sqlite3_column_int64(s, 2);
	col_text(s, 3, n->n_role, sizeof(n->n_role));
	col_text(s, 4, n->n_deadline, sizeof(n->n_deadline));
	col_text(s, 5, n->n_rung_name, sizeof(n->n_rung_name));
	n->n_seq = sqlite3_column_int(s, 6);
	n->n_missed = sqlite3_column_int(s, 7);
	n->n_at = sqlite3_column_int64(s, 8);
	n->n_created_at = sqlite3_column_int64(s, 9);
	col_text(s, 10, n->n_entered, sizeof(n->n_entered));
}

static enum store_status
sq_notifications_of_case(struct store *st, int64_t id,
    store_notification_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_NT_OF_CASE);
	struct notification_row	 n;
	enum store_status	 rc;
	int			 stopped = 0;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sq_row(sq, s, "reading notifications")) == STORE_OK) {
		notification_from_row(s, &n);
		if ((rc = cb(&n, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

/* Text that may be empty: NULL in the database when it is. */
static void
bind_optional(sqlite3_stmt *s, int i, const char *text)
{
	if (text[0] != '\0')
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

static enum store_status
sq_transition_insert(struct store *st, struct transition_row *t)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_INSERT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, t->t_id);
	sqlite3_bind_int64(s, 2, t->t_case);
	sqlite3_bind_int64(s, 3, t->t_at);
	sqlite3_bind_int64(s, 4, t->t_recorded_at);
	bind_optional(s, 5, t->t_from);
	sqlite3_bind_text(s, 6, t->t_to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, t->t_cause, -1, SQLITE_STATIC);
	bind_optional(s, 8, t->t_event);
	sqlite3_bind_text(s, 9, t->t_actor, -1, SQLITE_STATIC);
	bind_optional(s, 10, t->t_note);
	bind_optional(s, 11, t->t_basis);
	bind_optional(s, 12, t->t_detail);
	sqlite3_bind_blob(s, 13, t->t_prev, HASH_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 14, t->t_hash, HASH_SHA256_LEN, SQLITE_STATIC);
	if ((rc = sq_done(sq, s)) != STORE_OK)
		return rc;
	s = sq_stmt(sq, S_CHAIN_HEAD_SET);
	sqlite3_bind_int64(s, 1, t->t_id);
	sqlite3_bind_blob(s, 2, t->t_hash, HASH_SHA256_LEN, SQLITE_STATIC);
	return sq_done(sq, s);
}

static void
transition_from_row(sqlite3_stmt *s, struct transition_row *t)
{
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
	col_text(s, 10, t->t_basis, sizeof(t->t_basis));
	col_text(s, 11, t->t_detail, sizeof(t->t_detail));
	col_blob(s, 12, t->t_prev, sizeof(t->t_prev));
	col_blob(s, 13, t->t_hash, sizeof(t->t_hash));
}

static enum store_status
sq_transitions_of_case(struct store *st, int64_t id, int64_t after,
    int limit, store_transition_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_OF_CASE);
	struct transition_row	*t;
	enum store_status	 rc;
	int			 stopped = 0;

	t = xmalloc(sizeof(*t));
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sq_row(sq, s, "reading transitions")) == STORE_OK) {
		transition_from_row(s, t);
		if ((rc = cb(t, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	free(t);
	return sq_walk_end(s, rc, stopped);
}

static void
token_from_row(sqlite3_stmt *s, struct token_row *tk)
{
	tk->tk_id = sqlite3_column_int64(s, 0);
	col_text(s, 1, tk->tk_name, sizeof(tk->tk_name));
	col_text(s, 2, tk->tk_role, sizeof(tk->tk_role));
	tk->tk_created_at = sqlite3_column_int64(s, 3);
	tk->tk_expires_at = sqlite3_column_int64(s, 4);
	tk->tk_last_used_at = sqlite3_column_int64(s, 5);
	tk->tk_revoked_at = sqlite3_column_int64(s, 6);
	col_text(s, 7, tk->tk_teams, sizeof(tk->tk_teams));
}

/* The token and each of its teams, in the caller's transaction. */
static enum store_status
sq_token_insert(struct store *st, struct token_row *tk,
    const unsigned char *hash)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_INSERT);
	enum store_status	 rc;
	char			*teams, *team, *save;

	sqlite3_bind_text(s, 1, tk->tk_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, tk->tk_role, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, HASH_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, tk->tk_created_at);
	sqlite3_bind_int64(s, 5, tk->tk_expires_at);
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

static enum store_status
sq_token_lookup(struct store *st, const unsigned char *hash, int64_t now,
    struct token_row *tk)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_LOOKUP);
	enum store_status	 rc;

	sqlite3_bind_blob(s, 1, hash, HASH_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if ((rc = sq_row(sq, s, "looking up a token")) == STORE_OK)
		token_from_row(s, tk);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
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

static enum store_status
sq_token_revoke(struct store *st, const char *name, int64_t now)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_REVOKE);

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return sq_changed(sq, s, STORE_NOTFOUND);
}

static enum store_status
sq_token_touch(struct store *st, int64_t id, int64_t at)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_TOUCH);

	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_int64(s, 2, id);
	return sq_done(sq, s);
}

static enum store_status
sq_tokens_each(struct store *st, store_token_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOKEN_EACH);
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

static void
team_from_row(sqlite3_stmt *s, struct team_row *tm)
{
	col_text(s, 0, tm->tm_name, sizeof(tm->tm_name));
	col_text(s, 1, tm->tm_title, sizeof(tm->tm_title));
	col_text(s, 2, tm->tm_organisation, sizeof(tm->tm_organisation));
	tm->tm_created_at = sqlite3_column_int64(s, 3);
}

static enum store_status
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

static enum store_status
sq_team_get(struct store *st, const char *name, struct team_row *tm)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TEAM_GET);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "reading a team")) == STORE_OK)
		team_from_row(s, tm);
	sqlite3_reset(s);
	return rc;
}

static void
route_from_row(sqlite3_stmt *s, struct route_row *rt)
{
	rt->rt_id = sqlite3_column_int64(s, 0);
	col_text(s, 1, rt->rt_function, sizeof(rt->rt_function));
	col_text(s, 2, rt->rt_for_team, sizeof(rt->rt_for_team));
	col_text(s, 3, rt->rt_for_org, sizeof(rt->rt_for_org));
	col_text(s, 4, rt->rt_team, sizeof(rt->rt_team));
	rt->rt_at = sqlite3_column_int64(s, 5);
	col_text(s, 6, rt->rt_actor, sizeof(rt->rt_actor));
	rt->rt_log = rt->rt_removed = 0;
}

/* A route and its line in the log, or STORE_EXISTS for its key. */
static enum store_status
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
	return route_log(sq, "set", rt);
}

static enum store_status
route_log(struct sqlite_store *sq, const char *action,
    const struct route_row *rt)
{
	sqlite3_stmt	*s = sq_stmt(sq, S_ROUTE_LOG);

	sqlite3_bind_text(s, 1, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, rt->rt_function, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, rt->rt_for_team, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, rt->rt_for_org, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, rt->rt_team, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, rt->rt_at);
	sqlite3_bind_text(s, 7, rt->rt_actor, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

/*
 * Remove the route rt_id; rt is filled with what it was, and the log says
 * who removed it when (rt_at and rt_actor as given).
 */
static enum store_status
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
	return route_log(sq, "removed", rt);
}

static enum store_status
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
static enum store_status
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
		if ((rc = cb(&rt, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

static enum store_status
sq_unrouted_cases(struct store *st, int64_t after, int limit, store_case_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNROUTED_CASES);

	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return case_walk(sq, s, "reading unrouted cases", cb, arg, 0);
}

static enum store_status
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

static enum store_status
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

static void
participant_from_row(sqlite3_stmt *s, struct participant_row *p)
{
	p->p_id = sqlite3_column_int64(s, 0);
	p->p_case = sqlite3_column_int64(s, 1);
	col_text(s, 2, p->p_team, sizeof(p->p_team));
	col_text(s, 3, p->p_basis, sizeof(p->p_basis));
	col_text(s, 4, p->p_purpose, sizeof(p->p_purpose));
	p->p_since = sqlite3_column_int64(s, 5);
	p->p_until = sqlite3_column_int64(s, 6);
	col_text(s, 7, p->p_added_by, sizeof(p->p_added_by));
}

static enum store_status
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

static enum store_status
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

static enum store_status
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
		participant_from_row(s, &p);
		if ((rc = cb(&p, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

static enum store_status
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

static enum store_status
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
		col_text(s, 3, rd.rd_token, sizeof(rd.rd_token));
		col_text(s, 4, rd.rd_role, sizeof(rd.rd_role));
		col_text(s, 5, rd.rd_teams, sizeof(rd.rd_teams));
		col_text(s, 6, rd.rd_what, sizeof(rd.rd_what));
		col_text(s, 7, rd.rd_request, sizeof(rd.rd_request));
		col_text(s, 8, rd.rd_purpose, sizeof(rd.rd_purpose));
		if ((rc = cb(&rd, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_end(s, rc, stopped);
}

static enum store_status
sq_transition_last_at(struct store *st, int64_t id, int64_t *at)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_LAST_AT);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a case's history")) == STORE_OK)
		*at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_transition_last(struct store *st, int64_t id, struct transition_row *t)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TR_LAST);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a case's history")) == STORE_OK)
		transition_from_row(s, t);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_undo_put(struct store *st, int64_t id, int64_t transition,
    const char *data)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNDO_PUT);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, transition);
	sqlite3_bind_text(s, 3, data, -1, SQLITE_STATIC);
	return sq_done(sq, s);
}

static enum store_status
sq_undo_get(struct store *st, int64_t id, int64_t *transition, char **data)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_UNDO_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading what a correction restores")) ==
	    STORE_OK) {
		*transition = sqlite3_column_int64(s, 0);
		*data = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_chain_head(struct store *st, int64_t *id, unsigned char *hash)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CHAIN_HEAD);
	enum store_status	 rc;

	if ((rc = sq_row(sq, s, "reading the chain's head")) == STORE_OK) {
		*id = sqlite3_column_int64(s, 0);
		col_blob(s, 1, hash, HASH_SHA256_LEN);
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The chain in id order: the transitions and the gaps destroyed cases
 * left, two ordered walks merged, so that no sort of the whole table is
 * needed however long the history grows.
 */
static enum store_status
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
		transition_from_row(ts, t);
	if ((grc = sq_row(sq, gs, "reading the chain")) == STORE_OK)
		gap_from_row(gs, &g);
	while (rc == STORE_OK && (trc == STORE_OK || grc == STORE_OK)) {
		if (grc != STORE_OK || (trc == STORE_OK && t->t_id <= g.g_id)) {
			if ((rc = cb(t, NULL, arg)) != STORE_OK)
				break;
			if ((trc = sq_row(sq, ts, "reading the chain")) ==
			    STORE_OK)
				transition_from_row(ts, t);
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
	col_blob(s, 2, g->g_prev, sizeof(g->g_prev));
	col_blob(s, 3, g->g_hash, sizeof(g->g_hash));
}

static enum store_status
sq_cases_closed_before(struct store *st, const char *workflow, int version,
    int64_t before, int limit, store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_CLOSED_BEFORE);

	sqlite3_bind_text(s, 1, workflow, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	sqlite3_bind_int64(s, 3, before);
	sqlite3_bind_int(s, 4, limit);
	return case_walk(sq, s, "finding closed cases", cb, arg, 0);
}

/*
 * Destroy a case: its tombstone first (the trigger lets its transitions
 * go only then), the links of its transitions into the chain's gaps, then
 * every row about it.  secure_delete (set when the store opens) overwrites
 * what is deleted; store_scrub takes it out of the WAL.
 */
static enum store_status
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

static enum store_status
sq_tombstone_get(struct store *st, int64_t id, struct tombstone_row *ts)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_TOMBSTONE_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_row(sq, s, "reading a tombstone")) == STORE_OK) {
		ts->ts_case = sqlite3_column_int64(s, 0);
		col_text(s, 1, ts->ts_workflow, sizeof(ts->ts_workflow));
		ts->ts_version = sqlite3_column_int(s, 2);
		col_text(s, 3, ts->ts_team, sizeof(ts->ts_team));
		ts->ts_started_at = sqlite3_column_int64(s, 4);
		ts->ts_closed_at = sqlite3_column_int64(s, 5);
		ts->ts_destroyed_at = sqlite3_column_int64(s, 6);
		col_text(s, 7, ts->ts_destroyed_by,
		    sizeof(ts->ts_destroyed_by));
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * secure_delete zeroes what was deleted in the database file, but earlier
 * versions of those pages may still sit in the WAL: copy it back and
 * truncate it.  Busy when a reader still holds an old snapshot: try later.
 */
static enum store_status
sq_scrub(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	int			 log, done, rc;

	rc = sqlite3_wal_checkpoint_v2(sq->sq_db, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
	if (rc == SQLITE_BUSY)
		return STORE_BUSY;
	if (rc != SQLITE_OK)
		return sq_fail(sq, NULL, "truncating the WAL");
	return STORE_OK;
}


static enum store_status
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

static enum store_status
sq_idem_get(struct store *st, int64_t token, const char *key, char *reqhash,
    int *status, char **body)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_IDEM_GET);
	enum store_status	 rc;

	sqlite3_bind_int64(s, 1, token);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "reading an idempotency key")) == STORE_OK) {
		col_text(s, 0, reqhash, HASH_SHA256_HEX_LEN);
		*status = sqlite3_column_int(s, 1);
		*body = xstrdup((const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_reset(s);
	return rc;
}

static enum store_status
sq_idem_put(struct store *st, int64_t token, const char *key,
    const char *reqhash, int status, const char *body, int64_t case_id,
    int64_t now)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_IDEM_PUT);

	sqlite3_bind_int64(s, 1, token);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, reqhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, status);
	sqlite3_bind_text(s, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, case_id);
	sqlite3_bind_int64(s, 7, now);
	return sq_done(sq, s);
}

static enum store_status
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

static enum store_status
sq_workflow_digest(struct store *st, const char *name, int version,
    char *digest)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_WF_DIGEST);
	enum store_status	 rc;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	if ((rc = sq_row(sq, s, "reading a workflow version")) == STORE_OK)
		col_text(s, 0, digest, HASH_SHA256_HEX_LEN);
	sqlite3_reset(s);
	return rc;
}

static enum store_status
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
	if ((v = sqlite3_column_int(s, 0)) != (int)nitems(migrations)) {
		snprintf(err, errlen, "%s has schema version %d, and this"
		    " termijn reads version %zu: back it up with the termijn"
		    " that runs on it%s", path, v, nitems(migrations),
		    v < (int)nitems(migrations) ? ", or start this termijnd on"
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

/* Rewriting the schema version in place dirties one page and syncs it. */
static enum store_status
sq_write_probe(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	enum store_status	 rc;
	char			 sql[64];

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

/*
 * The monitoring scans run on a connection of their own (a thread's) and
 * would fill its page cache, 32 MiB, with pages nobody reads again: the
 * cache is cut to 1 MiB while they run.
 */
static int
sq_scan_begin(struct sqlite_store *sq)
{
	return sq_exec(sq, "PRAGMA cache_size = " SQ_SCAN_CACHE_SIZE);
}

static void
sq_scan_end(struct sqlite_store *sq)
{
	sq_exec(sq, "PRAGMA cache_size = " SQ_CACHE_SIZE);
}

/*
 * For GROUP BY SQLite would sort a million rows, in memory (temp_store):
 * with the page cache, a hundred MiB at a million cases.  The rows are
 * added up here instead, in a list as short as the number of states used.
 */
static enum store_status
sq_case_counts(struct store *st, store_count_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct count {
		char	workflow[STORE_NAME_LEN];
		char	state[STORE_NAME_LEN];
		int64_t	n;
	}			*counts = NULL, *c;
	sqlite3_stmt		*s;
	enum store_status	 rc;
	const char		*wf, *state;
	size_t			 n = 0, i, last = 0;

	if (sq_scan_begin(sq) == -1)
		return STORE_FAILED;
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT workflow, state FROM cases",
	    -1, &s, NULL) != SQLITE_OK) {
		rc = sq_fail(sq, NULL, "counting cases");
		goto done;
	}
	while ((rc = sq_row(sq, s, "counting cases")) == STORE_OK) {
		wf = (const char *)sqlite3_column_text(s, 0);
		state = (const char *)sqlite3_column_text(s, 1);
		if (wf == NULL || state == NULL)
			continue;
		/* Rows come in id order: the last match is the likely one. */
		if (n > 0 && strcmp(counts[last].state, state) == 0 &&
		    strcmp(counts[last].workflow, wf) == 0) {
			counts[last].n++;
			continue;
		}
		for (i = 0; i < n; i++)
			if (strcmp(counts[i].state, state) == 0 &&
			    strcmp(counts[i].workflow, wf) == 0)
				break;
		if (i == n) {
			counts = xreallocarray(counts, n + 1, sizeof(*counts));
			c = &counts[n++];
			snprintf(c->workflow, sizeof(c->workflow), "%s", wf);
			snprintf(c->state, sizeof(c->state), "%s", state);
			c->n = 0;
		}
		counts[i].n++;
		last = i;
	}
	sqlite3_finalize(s);
	if (rc != STORE_NOTFOUND)
		goto done;
	rc = STORE_OK;
	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = cb(counts[i].workflow, counts[i].state, counts[i].n, arg);
done:
	free(counts);
	sq_scan_end(sq);
	return rc;
}

/* Pending rungs are read from their partial index alone. */
static enum store_status
sq_rung_counts(struct store *st, int64_t now, int64_t *pending, int64_t *due)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if (sq_scan_begin(sq) == -1)
		return STORE_FAILED;
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT count(*), coalesce(sum(due"
	    " <= ?), 0) FROM rungs WHERE fired_at IS NULL", -1, &s, NULL) !=
	    SQLITE_OK) {
		rc = sq_fail(sq, NULL, "counting rungs");
		sq_scan_end(sq);
		return rc;
	}
	sqlite3_bind_int64(s, 1, now);
	if ((rc = sq_row(sq, s, "counting rungs")) == STORE_OK) {
		*pending = sqlite3_column_int64(s, 0);
		*due = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	sq_scan_end(sq);
	return rc;
}

/*
 * The supervisor's views are built per call from fixed fragments, like
 * the list of cases: the filters combine freely, values are always bound.
 * Parameters: ?1 the token, ?2 team, ?3 workflow, ?4 state, ?5 assignee,
 * ?6 kind (unused ones stay NULL and their fragment out), ?7 on for each
 * view's own.
 */
static void
view_where(const struct view_filter *vf, int with_kind, char *buf, size_t len)
{
	snprintf(buf, len, " AND " VISIBLE_TO("1") "%s%s%s%s%s",
	    vf->vf_team ? " AND cases.team = ?2" : "",
	    vf->vf_workflow ? " AND cases.workflow = ?3" : "",
	    vf->vf_state ? " AND cases.state = ?4" : "",
	    vf->vf_assignee ? " AND cases.assignee = ?5" : "",
	    with_kind && vf->vf_kind ? " AND deadlines.kind = ?6" : "");
}

static void
view_bind(sqlite3_stmt *s, const struct view_filter *vf)
{
	sqlite3_bind_int64(s, 1, vf->vf_token);
	if (vf->vf_team)
		sqlite3_bind_text(s, 2, vf->vf_team, -1, SQLITE_STATIC);
	if (vf->vf_workflow)
		sqlite3_bind_text(s, 3, vf->vf_workflow, -1, SQLITE_STATIC);
	if (vf->vf_state)
		sqlite3_bind_text(s, 4, vf->vf_state, -1, SQLITE_STATIC);
	if (vf->vf_assignee)
		sqlite3_bind_text(s, 5, vf->vf_assignee, -1, SQLITE_STATIC);
	if (vf->vf_kind)
		sqlite3_bind_text(s, 6, vf->vf_kind, -1, SQLITE_STATIC);
}

/* Walk a prepared view statement whose rows are a case, then a deadline. */
static enum store_status
view_walk(struct sqlite_store *sq, sqlite3_stmt *s, const char *what,
    store_case_deadline_cb *cb, void *arg)
{
	struct case_row		c;
	struct deadline_row	d;
	enum store_status	rc;
	int			stopped = 0;

	while ((rc = sq_row(sq, s, what)) == STORE_OK) {
		case_from_row(s, &c);
		deadline_from_cols(s, CASE_NCOLUMNS, &d);
		if ((rc = cb(&c, &d, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_final(s, rc, stopped);
}

static enum store_status
view_prepare(struct sqlite_store *sq, const char *sql, sqlite3_stmt **s,
    const char *what)
{
	*s = NULL;
	if (sq->sq_txn == TXN_LOST)
		return sq->sq_lost;
	if (sqlite3_prepare_v2(sq->sq_db, sql, -1, s, NULL) != SQLITE_OK)
		return sq_fail(sq, NULL, what);
	return STORE_OK;
}

/*
 * A view over the deadlines whose moment lies in (lo, hi]: the statement
 * head, the filters, then its tail (order, limit ?9), walked as a case and
 * a deadline per row.
 */
static enum store_status
view_between(struct sqlite_store *sq, const struct view_filter *vf,
    const char *head, const char *tail, int64_t lo, int64_t hi,
    const char *what, store_case_deadline_cb *cb, void *arg)
{
	sqlite3_stmt		*s;
	char			 where[1024], sql[4096];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS
	    " FROM deadlines JOIN cases ON cases.id = deadlines.case_id"
	    " WHERE deadlines.due > ?7 AND deadlines.due <= ?8 AND %s%s%s",
	    head, where, tail);
	if ((rc = view_prepare(sq, sql, &s, what)) != STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, lo);
	sqlite3_bind_int64(s, 8, hi);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	return view_walk(sq, s, what, cb, arg);
}

/*
 * Overdue, as engine.h defines late (engine_late): two ordered parts,
 * merged by (moment, deadline id).  A case that escalated remembers the
 * deadline that brought it into its state; one whose state's deadline
 * without "then" passed remembers that one; each with its moment.  Both
 * are indexed by team and by moment and deadline (migration 5), the
 * view's own order, so that each part is an index walk that starts at the
 * cursor, and the merge stops at the end of the page: a page reads about
 * a page of rows, however many cases there are.  The
 * visibility check needs only the index's team, so that a token without a
 * team filter skips other teams' cases without reading them.
 */
static enum store_status
sq_overdue(struct store *st, const struct view_filter *vf,
    store_case_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[4096];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql),
	    "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS ","
	    " cases.escalated_due AS k_due, cases.escalated_by AS k_id"
	    " FROM cases JOIN deadlines ON deadlines.id = cases.escalated_by"
	    " WHERE cases.escalated_by IS NOT NULL AND cases.final = 0%s AND"
	    " (cases.escalated_due, cases.escalated_by) > (?7, ?8)"
	    " UNION ALL SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS ","
	    " cases.waiting_due, cases.waiting_by"
	    " FROM cases JOIN deadlines ON deadlines.id = cases.waiting_by"
	    " WHERE cases.waiting_by IS NOT NULL AND cases.final = 0%s AND"
	    " (cases.waiting_due, cases.waiting_by) > (?7, ?8)"
	    " ORDER BY k_due, k_id LIMIT ?9", where, where);
	if ((rc = view_prepare(sq, sql, &s, "finding what is overdue")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, vf->vf_after_due);
	sqlite3_bind_int64(s, 8, vf->vf_after_id);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	return view_walk(sq, s, "finding what is overdue", cb, arg);
}

/*
 * A deadline at risk in the window of ?7 (now), ?8 (the end of the last
 * day a day deadline may have) and ?10 (the last moment of an hour
 * deadline, a period with a time part): a day deadline's due is the start
 * of the day after its last day.  ?8 is never before ?10, so that "due <=
 * ?8" bounds the walk of the index on due.
 */
#define AT_RISK \
	"deadlines.active = 1 AND deadlines.running = 1 AND" \
	" deadlines.passed = 0 AND deadlines.due > ?7 AND deadlines.due <= ?8" \
	" AND (instr(deadlines.period, 'T') = 0 OR deadlines.due <= ?10)"

static enum store_status
sq_at_risk(struct store *st, const struct view_filter *vf,
    const struct risk_window *rw, store_case_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[4096];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS
	    " FROM deadlines JOIN cases ON cases.id = deadlines.case_id"
	    " WHERE " AT_RISK "%s AND (deadlines.due, deadlines.id) >"
	    " (?11, ?12) ORDER BY deadlines.due, deadlines.id LIMIT ?9",
	    where);
	if ((rc = view_prepare(sq, sql, &s, "finding what is at risk")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, rw->rw_now);
	sqlite3_bind_int64(s, 8, rw->rw_until_day);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	sqlite3_bind_int64(s, 10, rw->rw_until);
	sqlite3_bind_int64(s, 11, vf->vf_after_due);
	sqlite3_bind_int64(s, 12, vf->vf_after_id);
	return view_walk(sq, s, "finding what is at risk", cb, arg);
}

static enum store_status
sq_suspended(struct store *st, const struct view_filter *vf,
    store_case_deadline_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[4096];
	enum store_status	 rc;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS ", " DEADLINE_COLUMNS
	    " FROM deadlines JOIN cases ON cases.id = deadlines.case_id"
	    " WHERE deadlines.active = 1 AND deadlines.running = 0%s AND"
	    " (ifnull(deadlines.suspended_since, 0), deadlines.id) > (?7, ?8)"
	    " ORDER BY ifnull(deadlines.suspended_since, 0), deadlines.id"
	    " LIMIT ?9", where);
	if ((rc = view_prepare(sq, sql, &s, "finding what is suspended")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, vf->vf_after_due);
	sqlite3_bind_int64(s, 8, vf->vf_after_id);
	sqlite3_bind_int(s, 9, vf->vf_limit);
	return view_walk(sq, s, "finding what is suspended", cb, arg);
}

/*
 * Counts per team, workflow, state and kind of the open cases' active
 * deadlines, and of the cases that escalated (overdue by the deadline that
 * brought them into their state).  Overdue counts what sq_overdue lists:
 * the deadlines the open cases remember, as engine.h defines late.
 */
static enum store_status
sq_summary(struct store *st, const struct view_filter *vf,
    const struct risk_window *rw, store_summary_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	struct summary_row	 sm;
	sqlite3_stmt		*s;
	char			 where[1024], sql[4096];
	enum store_status	 rc;
	int			 stopped = 0;

	view_where(vf, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql),
	    "SELECT cases.team, cases.workflow, cases.state, deadlines.kind,"
	    " sum(deadlines.id = cases.escalated_by OR"
	    " deadlines.id = cases.waiting_by),"
	    " sum(" AT_RISK "),"
	    " sum(deadlines.active = 1 AND deadlines.running = 0),"
	    " sum(deadlines.active = 1 AND deadlines.running = 1 AND"
	    " deadlines.passed = 0)"
	    " FROM cases JOIN deadlines ON deadlines.case_id = cases.id"
	    " WHERE cases.final = 0 AND (deadlines.active = 1 OR"
	    " deadlines.id = cases.escalated_by)%s"
	    " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", where);
	if ((rc = view_prepare(sq, sql, &s, "counting deadlines")) != STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, rw->rw_now);
	sqlite3_bind_int64(s, 8, rw->rw_until_day);
	sqlite3_bind_int64(s, 10, rw->rw_until);
	while ((rc = sq_row(sq, s, "counting deadlines")) == STORE_OK) {
		memset(&sm, 0, sizeof(sm));
		col_text(s, 0, sm.sm_team, sizeof(sm.sm_team));
		col_text(s, 1, sm.sm_workflow, sizeof(sm.sm_workflow));
		col_text(s, 2, sm.sm_state, sizeof(sm.sm_state));
		col_text(s, 3, sm.sm_kind, sizeof(sm.sm_kind));
		sm.sm_overdue = sqlite3_column_int64(s, 4);
		sm.sm_at_risk = sqlite3_column_int64(s, 5);
		sm.sm_suspended = sqlite3_column_int64(s, 6);
		sm.sm_running = sqlite3_column_int64(s, 7);
		if ((rc = cb(&sm, arg)) != STORE_OK) {
			stopped = 1;
			break;
		}
	}
	return sq_walk_final(s, rc, stopped);
}

/*
 * The open cases in queue states: unassigned first, then the ones waiting
 * longest; the cursor is the last case's place in that order.
 */
static enum store_status
sq_queue(struct store *st, const struct view_filter *vf,
    const struct queue_state *qs, size_t n, store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], *sql, *states = NULL, *prev;
	enum store_status	 rc;
	size_t			 i;

	if (n == 0)
		return STORE_OK;
	for (i = 0; i < n; i++) {
		prev = states;
		xasprintf(&states, "%s%s(?%zu, ?%zu, ?%zu)", prev ? prev : "",
		    i ? ", " : "", 10 + 3 * i, 11 + 3 * i, 12 + 3 * i);
		free(prev);
	}
	view_where(vf, 0, where, sizeof(where));
	xasprintf(&sql, "SELECT " CASE_COLUMNS " FROM cases WHERE"
	    " cases.final = 0 AND (cases.workflow, cases.version, cases.state)"
	    " IN (VALUES %s)%s AND (cases.assignee IS NOT NULL,"
	    " cases.state_since, cases.id) > (?7, ?8, ?9) ORDER BY"
	    " cases.assignee IS NOT NULL, cases.state_since, cases.id"
	    " LIMIT ?6", states, where);
	free(states);
	rc = view_prepare(sq, sql, &s, "reading a queue");
	free(sql);
	if (rc != STORE_OK)
		return rc;
	view_bind(s, vf);
	/* ?6 is the limit here: a queue has no deadline kind. */
	sqlite3_bind_int(s, 6, vf->vf_limit);
	sqlite3_bind_int(s, 7, vf->vf_after_flag);
	sqlite3_bind_int64(s, 8, vf->vf_after_due);
	sqlite3_bind_int64(s, 9, vf->vf_after_id);
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(s, (int)(10 + 3 * i), qs[i].qs_workflow, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(s, (int)(11 + 3 * i), qs[i].qs_version);
		sqlite3_bind_text(s, (int)(12 + 3 * i), qs[i].qs_state, -1,
		    SQLITE_STATIC);
	}
	return case_walk(sq, s, "reading a queue", cb, arg, 1);
}

/*
 * The report's rows: deadlines whose moment lies in (from, to] (a day
 * deadline's moment is the midnight after its last day, so that the last
 * day lies in [from, to)), and the cases closed in [from, to), of the cases
 * the token sees.  Walked whole: the engine adds them up.
 */
static enum store_status
sq_report_deadlines(struct store *st, const struct view_filter *vf,
    int64_t from, int64_t to, store_case_deadline_cb *cb, void *arg)
{
	return view_between(SQ(st), vf, "1", " ORDER BY deadlines.id", from,
	    to, "reading deadlines for a report", cb, arg);
}

static enum store_status
sq_report_closed(struct store *st, const struct view_filter *vf,
    int64_t from, int64_t to, store_case_cb *cb, void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	char			 where[1024], sql[4096];
	enum store_status	 rc;

	view_where(vf, 0, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLUMNS " FROM cases"
	    " WHERE cases.final = 1 AND cases.state_since >= ?7 AND"
	    " cases.state_since < ?8%s ORDER BY cases.id", where);
	if ((rc = view_prepare(sq, sql, &s, "reading closed cases")) !=
	    STORE_OK)
		return rc;
	view_bind(s, vf);
	sqlite3_bind_int64(s, 7, from);
	sqlite3_bind_int64(s, 8, to);
	return case_walk(sq, s, "reading closed cases", cb, arg, 1);
}

static void
outbox_from_row(sqlite3_stmt *s, struct outbox_row *o)
{
	o->o_id = sqlite3_column_int64(s, 0);
	o->o_case = sqlite3_column_int64(s, 1);
	o->o_notification = sqlite3_column_int64(s, 2);
	col_text(s, 3, o->o_type, sizeof(o->o_type));
	col_text(s, 4, o->o_team, sizeof(o->o_team));
	col_text(s, 5, o->o_role, sizeof(o->o_role));
	o->o_body = (const char *)sqlite3_column_text(s, 6);
	col_text(s, 7, o->o_status, sizeof(o->o_status));
	o->o_attempts = sqlite3_column_int(s, 8);
	o->o_next_at = sqlite3_column_int64(s, 9);
	col_text(s, 10, o->o_last_error, sizeof(o->o_last_error));
	o->o_created_at = sqlite3_column_int64(s, 11);
	o->o_delivered_at = sqlite3_column_int64(s, 12);
}

static enum store_status
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

static enum store_status
sq_outbox_due(struct store *st, int64_t now, int max, store_outbox_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_DUE);

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, max);
	return outbox_walk(sq, s, "reading the outbox", cb, arg, 0);
}

static enum store_status
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

static enum store_status
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

static enum store_status
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

static enum store_status
sq_outbox_of_case(struct store *st, int64_t id, store_outbox_cb *cb,
    void *arg)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = sq_stmt(sq, S_OUTBOX_OF_CASE);

	sqlite3_bind_int64(s, 1, id);
	return outbox_walk(sq, s, "reading the outbox", cb, arg, 0);
}

static enum store_status
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
	if ((rc = view_prepare(sq, sql, &s, "reading the outbox")) != STORE_OK)
		return rc;
	if (status != NULL)
		sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, before);
	sqlite3_bind_int(s, 3, limit);
	return outbox_walk(sq, s, "reading the outbox", cb, arg, 1);
}

static enum store_status
sq_outbox_count(struct store *st, const char *status, int64_t *n)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s;
	enum store_status	 rc;

	if ((rc = view_prepare(sq, "SELECT count(*) FROM outbox WHERE ?1 IS"
	    " NULL OR status = ?1", &s, "counting the outbox")) != STORE_OK)
		return rc;
	if (status != NULL)
		sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	if ((rc = sq_row(sq, s, "counting the outbox")) == STORE_OK)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
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
	.sb_begin = sq_begin,
	.sb_commit = sq_commit,
	.sb_rollback = sq_rollback,
	.sb_savepoint = sq_savepoint,
	.sb_release = sq_release,
	.sb_rollback_savepoint = sq_rollback_savepoint,
	.sb_read_begin = sq_read_begin,
	.sb_read_end = sq_read_end,
	.sb_case_insert = sq_case_insert,
	.sb_case_get = sq_case_get,
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
	.sb_rung_first_of_case = sq_rung_first_of_case,
	.sb_rung_mark_fired = sq_rung_mark_fired,
	.sb_rungs_cancel = sq_rungs_cancel,
	.sb_rung_forget = sq_rung_forget,
	.sb_rungs_hand_over = sq_rungs_hand_over,
	.sb_rung_last_seq = sq_rung_last_seq,
	.sb_rungs_of_deadline = sq_rungs_of_deadline,
	.sb_notification_insert = sq_notification_insert,
	.sb_notifications_of_case = sq_notifications_of_case,
	.sb_transition_insert = sq_transition_insert,
	.sb_transition_last_at = sq_transition_last_at,
	.sb_transition_last = sq_transition_last,
	.sb_undo_put = sq_undo_put,
	.sb_undo_get = sq_undo_get,
	.sb_chain_head = sq_chain_head,
	.sb_chain_walk = sq_chain_walk,
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
	.sb_backup = sq_backup,
	.sb_check = sq_check,
	.sb_write_probe = sq_write_probe,
	.sb_case_counts = sq_case_counts,
	.sb_rung_counts = sq_rung_counts,
};
