/* termijn: the SQLite store: the schema and its migrations. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "termijn/audit.h"
#include "termijn/clock.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

/*
 * Migrations, in order; the schema version is PRAGMA user_version, the
 * number of migrations applied.  Never edit one that has shipped: add one.
 * A migration is SQL, and after it, in the same transaction, code for what
 * SQL cannot do (computing the audit chain over the rows that exist).
 */
static int	 migrate_chain(struct sqlite_store *);
static int	 migrate_marks(struct sqlite_store *);
static int	 migrate_checks(struct sqlite_store *);

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

	/*
	 * 9: the audit chain vouches for who owns, sees and closes a case,
	 * in its canonical encoding (audit.h), from the link after the head
	 * there is now (chain_head.encoding_from).  A transition says
	 * whether the case is closed after it; a create, the workflow and
	 * version the case runs (its detail names the owning team).  Marks
	 * are links that are no transition: a case's destruction, and, once,
	 * here, the owner of every case there is (its create did not say),
	 * and the destruction of every case that has a tombstone.  Each line
	 * of the route log is a link too (the lines there are, here, in
	 * order).  Indexes let the audit walk each table case by case.
	 */
	{ "ALTER TABLE transitions ADD COLUMN workflow TEXT;"
	"ALTER TABLE transitions ADD COLUMN version INTEGER;"
	"ALTER TABLE transitions ADD COLUMN final INTEGER;"
	"ALTER TABLE chain_head ADD COLUMN encoding_from INTEGER NOT NULL"
	"  DEFAULT 1;"
	"UPDATE chain_head SET encoding_from = id + 1;"
	"CREATE TABLE chain_marks ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('owner', 'destroyed')),"
	"  case_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  team TEXT NOT NULL,"
	"  workflow TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  final INTEGER NOT NULL,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX chain_marks_case ON chain_marks (case_id, id);"
	"CREATE TRIGGER chain_marks_no_update BEFORE UPDATE ON chain_marks"
	"  BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;"
	"CREATE TRIGGER chain_marks_no_delete BEFORE DELETE ON chain_marks"
	"  BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;"
	"CREATE TRIGGER chain_gaps_no_update BEFORE UPDATE ON chain_gaps"
	"  BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;"
	"CREATE TRIGGER chain_gaps_no_delete BEFORE DELETE ON chain_gaps"
	"  BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;"
	"CREATE INDEX chain_gaps_case ON chain_gaps (case_id, id);"
	"CREATE INDEX participants_case ON participants (case_id, id);"
	"ALTER TABLE route_log ADD COLUMN link INTEGER;"
	"ALTER TABLE route_log ADD COLUMN prev_hash BLOB;"
	"ALTER TABLE route_log ADD COLUMN hash BLOB;"
	"CREATE UNIQUE INDEX route_log_link ON route_log (link)"
	"  WHERE link IS NOT NULL;"
	/* Back after the lines there are are linked (migrate_marks). */
	"DROP TRIGGER route_log_no_update;",
	migrate_marks },

	/*
	 * 10: a token's display name, the person's name as people read it
	 * (assignments, history, the people of a team); NULL when not set,
	 * as for every token before.  Personal data: never in a log.
	 */
	{ "ALTER TABLE tokens ADD COLUMN display_name TEXT;", NULL },

	/*
	 * 11: the language of an answer kept for a retry, which its replay
	 * names (Content-Language); NULL for one kept before answers had a
	 * language: English.
	 */
	{ "ALTER TABLE idempotency ADD COLUMN language TEXT;", NULL },

	/*
	 * 12: an index fewer to keep up when a case moves.  cases_open
	 * (team, state, state_since of open cases) served no search: the
	 * queue and the summary of every team walked all of it, as they now
	 * walk the table, and with a team they search cases_team.  Every
	 * change of state or of its moment rewrote it, a deadline passing
	 * included.
	 */
	{ "DROP INDEX IF EXISTS cases_open;", NULL },

	/*
	 * 13: whether a deadline's period counts in hours (a time part,
	 * "PT4H"), as a column, so that a search asks for it rather than
	 * looking into the period's text (which a server's SQL spells
	 * otherwise), and an index could serve it.
	 */
	{ "ALTER TABLE deadlines ADD COLUMN hours INTEGER NOT NULL DEFAULT 0;"
	"UPDATE deadlines SET hours = 1 WHERE instr(period, 'T') > 0;", NULL },

	/*
	 * 14: the same CHECK constraints, cheaper.  SQLite tests "x IN (a,
	 * b, c, ...)" by building a temporary b-tree of the list at every
	 * row written: for each transition (and each webhook's outbox row)
	 * that is more than the rest of its checks together.  The lists
	 * become chains of "=" (migrate_checks).
	 */
	{ "", migrate_checks },
};

/*
 * The constraints migration 14 rewrites, as migrations 3 and 5 wrote them
 * (their text in sqlite_schema), and as they read from then on.  A table
 * whose text does not hold the old one fails the migration.
 */
static const struct check_rewrite {
	const char	*cr_table;
	const char	*cr_old;
	const char	*cr_new;
} check_rewrites[] = {
	{ "transitions",
	  "CHECK (cause IN ('create', 'event', 'deadline',"
	  "    'share', 'unshare', 'coordinate', 'assign', 'correction'))",
	  "CHECK (cause = 'create' OR cause = 'event' OR cause = 'deadline'"
	  " OR cause = 'share' OR cause = 'unshare' OR cause = 'coordinate'"
	  " OR cause = 'assign' OR cause = 'correction')" },
	{ "outbox",
	  "CHECK (status IN ('pending', 'delivered', 'dead'))",
	  "CHECK (status = 'pending' OR status = 'delivered' OR"
	  " status = 'dead')" },
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


/* Read-only: the schema must be the one this termijn knows, no migration. */
int
sq_schema_check(struct sqlite_store *sq, char *err, size_t errlen)
{
	int	v;

	if (sq_user_version(sq, &v, err, errlen) == -1)
		return -1;
	if (v != (int)sq_schema_latest()) {
		snprintf(err, errlen, "%s: the database has schema version %d;"
		    " this termijn reads version %zu only (start termijnd of"
		    " this release on it first, or use the termijnctl of its"
		    " own release)", sq->sq_path, v, sq_schema_latest());
		return -1;
	}
	sq->sq_version = v;
	return 0;
}

/* The schema version; a database from a newer termijn is refused. */
int
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
	if (v > (int)sq_schema_latest()) {
		snprintf(err, errlen, "%s: made by a newer termijn (schema"
		    " version %d; this one knows versions up to %zu): run that"
		    " version, or restore a backup made by this one; the file"
		    " was not changed", sq->sq_path, v, sq_schema_latest());
		return -1;
	}
	*version = v;
	return 0;
}

/* Apply the migrations the database lacks, each in its own transaction. */
int
sq_migrate(struct sqlite_store *sq, char *err, size_t errlen)
{
	char	sql[64];
	int	v;

	if (sq_user_version(sq, &v, err, errlen) == -1)
		return -1;
	for (; v < (int)sq_schema_latest(); v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sq_exec(sq, "BEGIN IMMEDIATE") == -1)
			goto fail;
		if (sq_exec(sq, migrations[v].m_sql) == -1 ||
		    (migrations[v].m_after != NULL &&
		    migrations[v].m_after(sq) == -1) ||
		    sq_exec(sq, sql) == -1 || sq_exec(sq, "COMMIT") == -1) {
			/* Said before the rollback, which clears SQLite's. */
			snprintf(err, errlen, "migrating to schema version %d:"
			    " %s", v + 1, sqlite3_errcode(sq->sq_db) ==
			    SQLITE_OK ? "the schema is not as termijn made it"
			    " (the log says where)" : sqlite3_errmsg(sq->sq_db));
			sq_exec(sq, "ROLLBACK");
			return -1;
		}
		/* A database in memory is made, not migrated: nothing to tell. */
		if (strcmp(sq->sq_path, ":memory:") != 0)
			log_info("database migrated to schema version %d",
			    v + 1);
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
 * order, in encoding 1, as record.c linked every new one then; set the
 * chain's head; then make the table append-only again.  The columns are
 * those of its time, in the places sq_transition_from_row reads.
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
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT id, case_id, at,"
	    " recorded_at, from_state, to_state, cause, event, actor, note,"
	    " basis, detail, NULL, NULL, NULL, prev_hash, hash FROM"
	    " transitions ORDER BY id", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_db, "UPDATE transitions SET prev_hash"
	    " = ?, hash = ? WHERE id = ?", -1, &up, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_db, "INSERT INTO chain_head (one, id,"
	    " hash) VALUES (1, ?, ?)", -1, &head, NULL) != SQLITE_OK)
		goto done;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		sq_transition_from_row(rd, t);
		memcpy(t->t_prev, prev, HASH_SHA256_LEN);
		audit_hash_v1(prev, t, t->t_hash);
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

/*
 * Migration 9: a mark for each tombstone there is (its case was destroyed
 * before the chain marked destructions), then one for the owner of each
 * case there is, then the route log's lines in order, appended to the
 * chain in encoding 2.  From here on a create names the owner, retention
 * marks what it destroys, and the store links each new line of the log.
 */
static int
migrate_marks(struct sqlite_store *sq)
{
	static const char	*const reads[] = {
		"SELECT case_id, 'destroyed', destroyed_at, destroyed_by, team,"
		" workflow, version, 1 FROM tombstones ORDER BY case_id",
		/* Who acts is termijnd itself (engine_private.h's actor). */
		"SELECT id, 'owner', ?1, 'termijnd', team, workflow, version,"
		" final FROM cases ORDER BY id",
	};
	struct chain_mark_row	 mk;
	struct route_row	 rt;
	sqlite3_stmt		*rd = NULL, *ins = NULL, *head = NULL;
	struct chain_value	 v[AUDIT_MARK_NVALUES];
	unsigned char		 prev[HASH_SHA256_LEN];
	int64_t			 last;
	size_t			 i;
	int			 rc, ret = -1;

	if (sqlite3_prepare_v2(sq->sq_db, "SELECT id, hash FROM chain_head",
	    -1, &head, NULL) != SQLITE_OK || sqlite3_step(head) != SQLITE_ROW)
		goto done;
	last = sqlite3_column_int64(head, 0);
	sq_col_blob(head, 1, prev, sizeof(prev));
	sqlite3_finalize(head);
	head = NULL;
	if (sqlite3_prepare_v2(sq->sq_db, "INSERT INTO chain_marks ("
	    MARK_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &ins, NULL) != SQLITE_OK)
		goto done;
	for (i = 0; i < nitems(reads); i++) {
		if (sqlite3_prepare_v2(sq->sq_db, reads[i], -1, &rd, NULL) !=
		    SQLITE_OK)
			goto done;
		if (sqlite3_bind_parameter_count(rd) > 0)
			sqlite3_bind_int64(rd, 1, clock_now());
		while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
			memset(&mk, 0, sizeof(mk));
			mk.mk_id = ++last;
			mk.mk_case = sqlite3_column_int64(rd, 0);
			sq_col_text(rd, 1, mk.mk_kind, sizeof(mk.mk_kind));
			mk.mk_at = sqlite3_column_int64(rd, 2);
			sq_col_text(rd, 3, mk.mk_actor, sizeof(mk.mk_actor));
			sq_col_text(rd, 4, mk.mk_team, sizeof(mk.mk_team));
			sq_col_text(rd, 5, mk.mk_workflow,
			    sizeof(mk.mk_workflow));
			mk.mk_version = sqlite3_column_int(rd, 6);
			mk.mk_final = sqlite3_column_int(rd, 7);
			memcpy(mk.mk_prev, prev, sizeof(prev));
			audit_hash_mark(prev, &mk, mk.mk_hash);
			audit_mark_values(&mk, v);
			sq_bind_values(ins, 1, v, nitems(v));
			sqlite3_bind_blob(ins, AUDIT_MARK_NVALUES + 1,
			    mk.mk_prev, HASH_SHA256_LEN, SQLITE_STATIC);
			sqlite3_bind_blob(ins, AUDIT_MARK_NVALUES + 2,
			    mk.mk_hash, HASH_SHA256_LEN, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE)
				goto done;
			sqlite3_reset(ins);
			memcpy(prev, mk.mk_hash, sizeof(prev));
		}
		if (rc != SQLITE_DONE)
			goto done;
		sqlite3_finalize(rd);
		rd = NULL;
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT action, function,"
	    " coalesce(for_team, ''), coalesce(for_org, ''), team, at, actor,"
	    " id FROM route_log ORDER BY id", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_db, "UPDATE route_log SET link = ?,"
	    " prev_hash = ?, hash = ? WHERE id = ?", -1, &ins, NULL) !=
	    SQLITE_OK)
		goto done;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		memset(&rt, 0, sizeof(rt));
		rt.rt_link = ++last;
		rt.rt_removed = strcmp((const char *)sqlite3_column_text(rd,
		    0), "removed") == 0;
		sq_col_text(rd, 1, rt.rt_function, sizeof(rt.rt_function));
		sq_col_text(rd, 2, rt.rt_for_team, sizeof(rt.rt_for_team));
		sq_col_text(rd, 3, rt.rt_for_org, sizeof(rt.rt_for_org));
		sq_col_text(rd, 4, rt.rt_team, sizeof(rt.rt_team));
		rt.rt_at = sqlite3_column_int64(rd, 5);
		sq_col_text(rd, 6, rt.rt_actor, sizeof(rt.rt_actor));
		audit_hash_route(prev, &rt, rt.rt_hash);
		sqlite3_bind_int64(ins, 1, rt.rt_link);
		sqlite3_bind_blob(ins, 2, prev, HASH_SHA256_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 3, rt.rt_hash, HASH_SHA256_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, sqlite3_column_int64(rd, 7));
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto done;
		sqlite3_reset(ins);
		memcpy(prev, rt.rt_hash, sizeof(prev));
	}
	if (rc != SQLITE_DONE || sq_exec(sq, "CREATE TRIGGER"
	    " route_log_no_update BEFORE UPDATE ON route_log BEGIN SELECT"
	    " RAISE(ABORT, 'the route log is append-only'); END;") == -1)
		goto done;
	if (sqlite3_prepare_v2(sq->sq_db, "UPDATE chain_head SET id = ?,"
	    " hash = ?", -1, &head, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(head, 1, last);
	sqlite3_bind_blob(head, 2, prev, HASH_SHA256_LEN, SQLITE_STATIC);
	if (sqlite3_step(head) != SQLITE_DONE)
		goto done;
	ret = 0;
done:
	sqlite3_finalize(rd);
	sqlite3_finalize(ins);
	sqlite3_finalize(head);
	return ret;
}

/* The schema version this binary makes and runs on. */
size_t
sq_schema_latest(void)
{
	return nitems(migrations);
}

/* A rewrite's table, old text and new text, as ?1, ?2 and ?3 of s. */
static void
bind_rewrite(sqlite3_stmt *s, const struct check_rewrite *cr)
{
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, cr->cr_table, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, cr->cr_old, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, cr->cr_new, -1, SQLITE_STATIC);
}

/*
 * Migration 14: rewrite CHECK constraints in place, by the procedure
 * SQLite documents for changing a constraint that every row already
 * meets (ALTER TABLE, "other kinds of table schema changes"): the
 * table's text in sqlite_schema edited with writable_schema on, then
 * the schema version raised, so that every connection reads it again.
 * The rows are not touched: the new constraints say what the old did.
 */
static int
migrate_checks(struct sqlite_store *sq)
{
	sqlite3_stmt	*rd = NULL, *up = NULL, *ver = NULL;
	char		 sql[64];
	size_t		 i;
	int		 version, old, new, ret = -1;

	if (sq_exec(sq, "PRAGMA writable_schema = ON") == -1)
		return -1;
	if (sqlite3_prepare_v2(sq->sq_db, "SELECT instr(sql, ?2) > 0,"
	    " instr(sql, ?3) > 0 FROM sqlite_schema WHERE type = 'table' AND"
	    " name = ?1", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_db, "UPDATE sqlite_schema SET sql ="
	    " replace(sql, ?2, ?3) WHERE type = 'table' AND name = ?1", -1,
	    &up, NULL) != SQLITE_OK)
		goto done;
	for (i = 0; i < nitems(check_rewrites); i++) {
		bind_rewrite(rd, &check_rewrites[i]);
		bind_rewrite(up, &check_rewrites[i]);
		if (sqlite3_step(rd) != SQLITE_ROW)
			goto done;
		old = sqlite3_column_int(rd, 0);
		new = sqlite3_column_int(rd, 1);
		sqlite3_reset(rd);
		/* Rewritten already (a version set back by hand): done. */
		if (!old && new)
			continue;
		if (!old) {
			log_warnx("%s: table %s: a CHECK constraint is not as"
			    " termijn wrote it; the schema was changed by hand",
			    sq->sq_path, check_rewrites[i].cr_table);
			goto done;
		}
		if (sqlite3_step(up) != SQLITE_DONE)
			goto done;
	}
	if (sqlite3_prepare_v2(sq->sq_db, "PRAGMA schema_version", -1, &ver,
	    NULL) != SQLITE_OK || sqlite3_step(ver) != SQLITE_ROW)
		goto done;
	version = sqlite3_column_int(ver, 0);
	sqlite3_reset(ver);
	snprintf(sql, sizeof(sql), "PRAGMA schema_version = %d", version + 1);
	if (sq_exec(sq, sql) == -1)
		goto done;
	ret = 0;
done:
	sqlite3_finalize(rd);
	sqlite3_finalize(up);
	sqlite3_finalize(ver);
	if (sq_exec(sq, "PRAGMA writable_schema = RESET") == -1)
		ret = -1;
	/* The new text parses: the schema is read again, here. */
	if (ret == 0 && sq_exec(sq, "SELECT count(*) FROM sqlite_schema") ==
	    -1)
		ret = -1;
	return ret;
}
