/* termijn: the SQLite store's statements, prepared once when it opens. */

#include "store_sqlite_int.h"

const char *const sq_stmt_sql[S__COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN DEFERRED",
	[S_DATA_VERSION] = "PRAGMA data_version",
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
	    VISIBLE_ONE("2"),
	[S_DL_INSERT] =
	    "INSERT INTO deadlines (case_id, name, state, then_state, period,"
	    " rule, kind, anchor, due, active, running, passed, scope,"
	    " suspended_since, suspended_days, suspended_ms, extensions, hours)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
	 * other process from claiming the same rungs: no SKIP LOCKED.  The
	 * rows come back in no particular order (sq_rungs_claim sorts them).
	 */
	[S_RG_CLAIM] =
	    "UPDATE rungs SET fired_at = ?1 WHERE id IN (SELECT id FROM rungs"
	    " WHERE fired_at IS NULL AND due <= ?1 ORDER BY due, id LIMIT ?2)"
	    " RETURNING " RUNG_COLUMNS,
	[S_RG_UNCLAIM] =
	    "UPDATE rungs SET fired_at = NULL WHERE id = ? AND deadline_id = ?"
	    " AND name = ? AND seq = ? AND fired_at = ? AND missed = 0 AND"
	    " skipped = 0",
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
	/* The hashed columns first, in audit.h's order, bound as it says. */
	[S_TR_INSERT] =
	    "INSERT INTO transitions (" TRANSITION_COLUMNS ") VALUES (?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* With the display names of the actor and of whom it assigns. */
	[S_TR_OF_CASE] =
	    "SELECT " TRANSITION_COLUMNS ", " DISPLAY_NAME_OF("actor") ","
	    " CASE cause WHEN 'assign' THEN " DISPLAY_NAME_OF("detail")
	    " ELSE '' END FROM transitions WHERE case_id = ? AND id > ?"
	    " ORDER BY id LIMIT ?",
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
	    "SELECT " TRANSITION_COLUMNS ", " TRANSITION_HASHED " FROM"
	    " transitions ORDER BY id",
	[S_CHAIN_GAPS] =
	    "SELECT " GAP_COLUMNS " FROM chain_gaps ORDER BY id",
	[S_CHAIN_MARKS] =
	    "SELECT " MARK_COLUMNS ", " MARK_HASHED " FROM chain_marks"
	    " ORDER BY id",
	[S_CHAIN_ROUTES] =
	    "SELECT " ROUTE_LINK_COLUMNS ", " ROUTE_LINK_HASHED " FROM"
	    " route_log WHERE link IS NOT NULL ORDER BY link",
	[S_CHAIN_MARK_INSERT] =
	    "INSERT INTO chain_marks (" MARK_COLUMNS ") VALUES (?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)",
	[S_CHAIN_ENCODING] = "SELECT encoding_from FROM chain_head",
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
	/* A link of the chain: the hashed columns as audit.h binds them. */
	[S_ROUTE_LOG] =
	    "INSERT INTO route_log (" ROUTE_LINK_HASHED ", prev_hash, hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_ROUTE_LOG_EACH] =
	    "SELECT id, function, coalesce(for_team, ''), coalesce(for_org,"
	    " ''), team, at, actor, action, coalesce(link, 0) FROM route_log"
	    " ORDER BY id",
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
	    "INSERT INTO tokens (name, role, hash, created_at, expires_at,"
	    " display_name) VALUES (?, ?, ?, ?, nullif(?, 0), nullif(?, ''))",
	[S_TOKEN_TEAM_INSERT] =
	    "INSERT INTO token_teams (token_id, team) VALUES (?, ?)",
	[S_TOKEN_LOOKUP] =
	    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE hash = ?",
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
	[S_TOKEN_DISPLAY_NAME] =
	    "UPDATE tokens SET display_name = nullif(?1, '') WHERE name = ?2"
	    " AND revoked_at IS NULL AND (expires_at IS NULL OR"
	    " expires_at > ?3)",
	[S_TEAM_TOKENS] =
	    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE id IN (SELECT token_id"
	    " FROM token_teams WHERE team = ?1) AND revoked_at IS NULL AND"
	    " (expires_at IS NULL OR expires_at > ?2) ORDER BY"
	    " coalesce(display_name, name) COLLATE NOCASE, name",
	[S_IDEM_GET] =
	    "SELECT request_hash, status, body, case_id IS NULL OR EXISTS"
	    " (SELECT 1 FROM cases WHERE cases.id = idempotency.case_id AND "
	    VISIBLE_ONE("1") "), coalesce(language, '') FROM idempotency"
	    " WHERE token_id = ?1 AND key = ?2",
	[S_IDEM_PUT] =
	    "INSERT INTO idempotency (token_id, key, request_hash, status, body,"
	    " language, case_id, created_at) VALUES (?, ?, ?, ?, ?, ?,"
	    " nullif(?, 0), ?)",
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
