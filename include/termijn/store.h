/* termijn: the store, one interface in front of a choice of backends. */
#ifndef TERMIJN_STORE_H
#define TERMIJN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/hash.h"
#include "termijn/limits.h"

#define STORE_NAME_LEN	65	/* names, references, teams: at most 64 bytes */
#define STORE_LANG_LEN	8	/* a language tag: "nl", "en" */
#define TOKEN_TEAMS_LEN	512	/* a token's teams, comma-separated */

/*
 * What every store function returns.  The backend logs the detail of a
 * failure (SQLite's own message); callers decide what a person is told.
 */
enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such row; a rung that is no longer pending */
	STORE_EXISTS,		/* a row with that key is there already */
	STORE_FULL,		/* the disk or the database is full: try later */
	STORE_BUSY,		/* another writer held the database too long */
	STORE_FAILED,		/* anything else */
};

struct store;

struct case_row {
	int64_t	c_id;
	char	c_workflow[STORE_NAME_LEN];
	int	c_version;
	char	c_reference[STORE_NAME_LEN];
	char	c_team[STORE_NAME_LEN];		/* the team that owns it */
	char	c_coordinator[STORE_NAME_LEN];	/* the team that coordinates it */
	char	c_state[STORE_NAME_LEN];
	int64_t	c_started_at;
	int64_t	c_state_since;
	int64_t	c_created_at;
	int64_t	c_updated_at;
	int	c_final;
	char	c_assignee[STORE_NAME_LEN];	/* who picked it up, or "" */
	char	c_assignee_name[DISPLAY_NAME_MAX + 1];	/* that token's
					   display name; "" when it has none
					   (read only, never written) */
	int64_t	c_escalated_by;		/* the deadline whose passing brought it
					   into its state, or 0 */
	int64_t	c_escalated_due;	/* that deadline's moment */
	int64_t	c_waiting_by;		/* its state's deadline without "then"
					   that passed while it waits, or 0 */
	int64_t	c_waiting_due;		/* that deadline's moment */
	char	c_unrouted[128];	/* functions that should have joined
					   and no team fills, comma-separated;
					   "" when none */
};

/*
 * A deadline is a budget: anchor, period and rule, the days (or, for hours,
 * the time) it was suspended, its extensions, whether it runs and since
 * when it is suspended.  d_due is derived from these and kept so that the
 * scheduler's rungs can be placed; its explanation is derived when read.
 */
struct deadline_row {
	int64_t	d_id;
	int64_t	d_case;
	char	d_name[STORE_NAME_LEN];
	char	d_state[STORE_NAME_LEN];	/* state it belongs to; "" for case deadlines */
	char	d_then[STORE_NAME_LEN];		/* state it leads to, or "" */
	char	d_period[24];			/* ISO 8601, e.g. P6W */
	char	d_rule[16];
	char	d_kind[16];
	int64_t	d_anchor;
	int64_t	d_due;
	int	d_active;			/* running, suspended, or passed without then */
	int	d_running;
	int	d_passed;
	int	d_case_scope;
	int64_t	d_suspended_since;		/* when d_running is 0 */
	int	d_suspended_days;
	int64_t	d_suspended_ms;
	char	d_extensions[256];		/* "P6W,P2W" */
};

/*
 * A rung occurrence: the deadline's own passing ("due"), a reminder before
 * it, or a follow-up after it.  The unique key (deadline, name, seq) is the
 * ledger that makes each fire once; r_holder is the state whose leaving
 * cancels it while it is pending ("" for case deadlines).
 */
struct rung_row {
	int64_t	r_id;
	int64_t	r_case;
	int64_t	r_deadline;
	char	r_name[STORE_NAME_LEN];
	int	r_seq;
	int64_t	r_due;
	int64_t	r_fired_at;			/* 0: pending */
	int	r_missed;			/* occurrences skipped (catch_up latest) */
	int	r_skipped;			/* this occurrence was skipped */
	char	r_holder[STORE_NAME_LEN];
};

struct notification_row {
	int64_t	n_id;
	int64_t	n_case;
	int64_t	n_rung;
	char	n_role[STORE_NAME_LEN];
	char	n_deadline[STORE_NAME_LEN];
	char	n_rung_name[STORE_NAME_LEN];
	int	n_seq;
	int	n_missed;
	int64_t	n_at;				/* the rung's moment */
	int64_t	n_created_at;
	char	n_entered[STORE_NAME_LEN];	/* told on entering this state
						   (n_rung 0), or "" */
};

/*
 * A transition: one row of a case's history, and one link of the audit
 * chain that runs through every transition of every case in id order.
 * t_hash is SHA-256 over t_prev (the hash of the row before) and the
 * row's content (audit.c says exactly how), so that a changed, removed,
 * inserted or reordered row breaks the chain.
 */
struct transition_row {
	int64_t	t_id;
	int64_t	t_case;
	int64_t	t_at;			/* effective moment */
	int64_t	t_recorded_at;		/* when it was committed */
	char	t_from[STORE_NAME_LEN];	/* "" when the case was created */
	char	t_to[STORE_NAME_LEN];
	char	t_cause[16];		/* "create", "event", "deadline", ... */
	char	t_event[STORE_NAME_LEN];	/* event or deadline name */
	char	t_actor[STORE_NAME_LEN];
	char	t_note[NOTE_MAX + 1];	/* never leaves the database but via the API */
	char	t_basis[STORE_NAME_LEN];	/* the legal basis of a sharing step */
	char	t_detail[STORE_NAME_LEN];	/* whom it concerns: a team, a person */
	char	t_workflow[STORE_NAME_LEN];	/* create: its workflow, */
	int	t_version;			/* and version; else "", 0 */
	int	t_final;		/* the case is closed after it (1) or
					   not (0); -1 in rows written before
					   the chain recorded it (audit.h) */
	/*
	 * Read by store_transitions_of_case only, not in the chain: the
	 * display names of the token the actor names and, of an "assign",
	 * of the one the detail names; "" when none is set.
	 */
	char	t_actor_name[DISPLAY_NAME_MAX + 1];
	char	t_detail_name[DISPLAY_NAME_MAX + 1];
	unsigned char t_prev[HASH_SHA256_LEN];
	unsigned char t_hash[HASH_SHA256_LEN];
};

/*
 * What the supervisor's views (overdue, at risk, queue) filter on; NULL or
 * 0 leaves a filter out.  vf_token (always given) limits them to the cases
 * the token may see.
 */
struct view_filter {
	int64_t		 vf_token;
	const char	*vf_team;
	const char	*vf_workflow;
	const char	*vf_state;
	const char	*vf_kind;
	const char	*vf_assignee;
	int		 vf_after_flag;	/* cursor: (due, id) after this; a */
	int64_t		 vf_after_due;	/* queue's (assigned, since, id); */
	int64_t		 vf_after_id;	/* suspended: (since, id) */
	int		 vf_limit;
};

/*
 * What "at risk within a period" covers (engine_risk_window): running
 * deadlines not passed by rw_now, an hour deadline when its moment is at
 * or before rw_until, a day deadline when its last day ends at or before
 * rw_until_day (its moment is the start of the next day).
 */
struct risk_window {
	int64_t	rw_now;
	int64_t	rw_until;
	int64_t	rw_until_day;
};

/* A state whose cases form a work queue (the workflow's queue: true). */
struct queue_state {
	const char	*qs_workflow;
	int		 qs_version;
	const char	*qs_state;
};

/* Counts of one team, workflow, state and deadline kind (GET /v1/summary). */
struct summary_row {
	char	sm_team[STORE_NAME_LEN];
	char	sm_workflow[STORE_NAME_LEN];
	char	sm_state[STORE_NAME_LEN];
	char	sm_kind[16];
	int64_t	sm_overdue;
	int64_t	sm_at_risk;
	int64_t	sm_suspended;
	int64_t	sm_running;
};

/* A webhook waiting to go out: a CloudEvent for one team's role. */
struct outbox_row {
	int64_t	o_id;
	int64_t	o_case;
	int64_t	o_notification;
	char	o_type[64];
	char	o_team[STORE_NAME_LEN];
	char	o_role[STORE_NAME_LEN];
	const char *o_body;		/* the CloudEvent, JSON; valid in the
					   callback only */
	char	o_status[16];		/* pending, delivered, dead */
	int	o_attempts;
	int64_t	o_next_at;
	char	o_last_error[256];
	int64_t	o_created_at;
	int64_t	o_delivered_at;
};

/* A link of the audit chain whose transition was destroyed with its case. */
struct chain_gap_row {
	int64_t	g_id;			/* the transition's id */
	int64_t	g_case;
	unsigned char g_prev[HASH_SHA256_LEN];
	unsigned char g_hash[HASH_SHA256_LEN];
};

/*
 * A link of the audit chain that is no transition of a case's history: a
 * case's destruction ("destroyed", its tombstone's facts), or what the
 * chain did not yet hold when it began to vouch for who owns a case
 * ("owner": the owning team, workflow and version of a case that existed
 * then).  Kept when the case is destroyed; no personal data.
 */
struct chain_mark_row {
	int64_t	mk_id;
	char	mk_kind[16];		/* "owner", "destroyed" */
	int64_t	mk_case;
	int64_t	mk_at;
	char	mk_actor[STORE_NAME_LEN];
	char	mk_team[STORE_NAME_LEN];
	char	mk_workflow[STORE_NAME_LEN];
	int	mk_version;
	int	mk_final;
	unsigned char mk_prev[HASH_SHA256_LEN];
	unsigned char mk_hash[HASH_SHA256_LEN];
};

/*
 * A value exactly as the store holds it, for the audit chain's canonical
 * encoding (audit.h): its type, and its integer or its bytes (all of
 * them, NULs included).  Valid only during the callback that gets it.
 */
enum chain_type {
	CHAIN_NULL,
	CHAIN_INT,
	CHAIN_REAL,
	CHAIN_TEXT,
	CHAIN_BLOB,
};

struct chain_value {
	enum chain_type	 cv_type;
	int64_t		 cv_int;	/* CHAIN_INT */
	double		 cv_real;	/* CHAIN_REAL */
	const void	*cv_bytes;	/* CHAIN_TEXT, CHAIN_BLOB */
	size_t		 cv_len;
};

/*
 * One link of the audit chain, for store_chain_walk: a transition, the gap
 * a destroyed one left, a mark, or a change of a route (a line of the
 * route log).  cl_values are the columns the link's hash covers, as
 * stored, in the order audit.h gives (AUDIT_TRANSITION_NVALUES,
 * AUDIT_MARK_NVALUES, AUDIT_ROUTE_NVALUES; none for a gap).
 */
struct chain_link {
	const struct transition_row	*cl_transition;
	const struct chain_gap_row	*cl_gap;
	const struct chain_mark_row	*cl_mark;
	const struct route_row		*cl_route;
	const struct chain_value	*cl_values;
	size_t				 cl_nvalues;
};

/*
 * One row about a case, for store_case_facts: exactly one pointer is set,
 * or none at the end of the case.  fc_values hold a case row's columns
 * team, workflow, version, state, final, coordinator and assignee, and a
 * participant's team, basis, since, until and added_by, as stored.
 */
struct case_fact {
	int64_t				 fc_case;
	const struct transition_row	*fc_transition;
	const struct chain_gap_row	*fc_gap;
	const struct chain_mark_row	*fc_mark;
	const struct participant_row	*fc_participant;
	const struct tombstone_row	*fc_tombstone;
	const struct case_row		*fc_row;
	const struct chain_value	*fc_values;
	size_t				 fc_nvalues;
};
#define CASE_FACT_NROW		7	/* fc_values of a case row */
#define CASE_FACT_NPARTICIPANT	5	/* fc_values of a participant */

/* A team that owns cases or takes part in them. */
struct team_row {
	char	tm_name[STORE_NAME_LEN];
	char	tm_title[TITLE_MAX + 1];
	char	tm_organisation[ORGANISATION_MAX + 1];	/* "" when not given */
	int64_t	tm_created_at;
};

/*
 * Which team fills a function (enforcement, housing fraud) for the cases
 * of an owning team, or of every team of an organisation (exactly one of
 * rt_for_team and rt_for_org is set).
 */
struct route_row {
	int64_t	rt_id;
	char	rt_function[STORE_NAME_LEN];
	char	rt_for_team[STORE_NAME_LEN];	/* "" when for an organisation */
	char	rt_for_org[ORGANISATION_MAX + 1];	/* "" when for a team */
	char	rt_team[STORE_NAME_LEN];	/* the team that fills it */
	int64_t	rt_at;				/* set (or, in the log, changed) */
	char	rt_actor[STORE_NAME_LEN];	/* by whom */
	int	rt_log;				/* a line of the route log */
	int	rt_removed;			/* ... of a removal */
	int64_t	rt_link;			/* ... its link of the audit
						   chain, or 0 */
	unsigned char rt_prev[HASH_SHA256_LEN];
	unsigned char rt_hash[HASH_SHA256_LEN];
};

/* Another team taking part in a case, on a legal basis, since a moment. */
struct participant_row {
	int64_t	p_id;
	int64_t	p_case;
	char	p_team[STORE_NAME_LEN];
	char	p_basis[STORE_NAME_LEN];
	char	p_purpose[PURPOSE_MAX + 1];	/* "" when not given */
	int64_t	p_since;
	int64_t	p_until;		/* 0: it still takes part */
	char	p_added_by[STORE_NAME_LEN];
};

/* Who read a case, and why: one row per read. */
struct read_row {
	int64_t	rd_id;
	int64_t	rd_case;
	int64_t	rd_at;
	char	rd_token[STORE_NAME_LEN];	/* the token's name */
	char	rd_role[STORE_NAME_LEN];
	char	rd_teams[TOKEN_TEAMS_LEN];	/* the token's, with commas */
	char	rd_what[16];			/* case, history, participants, ... */
	char	rd_request[64];			/* the request id, or "" */
	char	rd_purpose[PURPOSE_MAX + 1];	/* the client's, or "" */
};

/* What is left of a case destroyed when its retention period ended. */
struct tombstone_row {
	int64_t	ts_case;
	char	ts_workflow[STORE_NAME_LEN];
	int	ts_version;
	char	ts_team[STORE_NAME_LEN];
	int64_t	ts_started_at;
	int64_t	ts_closed_at;
	int64_t	ts_destroyed_at;
	char	ts_destroyed_by[STORE_NAME_LEN];
};

struct case_filter {
	const char	*cf_state;
	const char	*cf_workflow;
	const char	*cf_team;
	int64_t		 cf_token;	/* only cases this token may see; 0: all */
	int64_t		 cf_after;	/* cursor: ids greater than this */
	int		 cf_limit;
};

struct token_row {
	int64_t	tk_id;
	char	tk_name[STORE_NAME_LEN];
	char	tk_role[STORE_NAME_LEN];
	int64_t	tk_created_at;
	int64_t	tk_expires_at;		/* 0: never */
	int64_t	tk_last_used_at;	/* 0: never used */
	int64_t	tk_revoked_at;		/* 0: valid */
	char	tk_teams[TOKEN_TEAMS_LEN];	/* comma-separated */
	char	tk_display_name[DISPLAY_NAME_MAX + 1];	/* the person's name
					   as people read it; "" when not set */
};

/*
 * Walks call back once per row, in the order each function names; a
 * callback that returns anything but STORE_OK stops the walk, and the walk
 * returns what it returned.
 */
typedef enum store_status store_case_cb(const struct case_row *, void *);
typedef enum store_status store_deadline_cb(const struct deadline_row *,
	    void *);
typedef enum store_status store_rung_cb(const struct rung_row *, void *);
typedef enum store_status store_notification_cb(
	    const struct notification_row *, void *);
typedef enum store_status store_transition_cb(const struct transition_row *,
	    void *);
typedef enum store_status store_workflow_cb(const char *name, int version,
	    const char *source, size_t len, void *);
typedef enum store_status store_team_cb(const struct team_row *, void *);
typedef enum store_status store_route_cb(const struct route_row *, void *);
typedef enum store_status store_token_cb(const struct token_row *, void *);
typedef enum store_status store_participant_cb(const struct participant_row *,
	    void *);
typedef enum store_status store_read_cb(const struct read_row *, void *);
/* A deadline with its case, for the views over many cases. */
typedef enum store_status store_case_deadline_cb(const struct case_row *,
	    const struct deadline_row *, void *);
typedef enum store_status store_summary_cb(const struct summary_row *,
	    void *);
/* An outbox row; its body lives only during the call. */
typedef enum store_status store_outbox_cb(const struct outbox_row *, void *);
/* A link of the audit chain. */
typedef enum store_status store_chain_cb(const struct chain_link *, void *);
typedef enum store_status store_fact_cb(const struct case_fact *, void *);
typedef enum store_status store_count_cb(const char *workflow,
	    const char *state, int64_t n, void *);

/*
 * Open (creating and migrating if needed) the store a location names: a
 * SQLite database file, the embedded default.  NULL with a message when it
 * cannot be used, for example when it was made by a newer termijn.
 */
struct store	*store_open(const char *location, char *err, size_t errlen);
/*
 * Open for reading only, while termijnd may run on it (audit verify): no
 * migration, nothing written (a write through it fails); it reads what
 * the writer committed, also after it opened.  Refused unless the schema
 * is the one this termijn knows, and where no store was made.
 */
struct store	*store_open_readonly(const char *location, char *err,
		    size_t errlen);
/*
 * Open as store_open does, for the long-running process that serves the
 * store (termijnd).  A backend that one such process serves at a time
 * (SQLite, whose writers tell each other nothing) refuses while another
 * holds the store, naming it, and holds the store until it is closed or
 * the process ends, however it ends.  A backend made for several instances
 * (PostgreSQL) takes no such hold.  Short-lived users (termijnctl offline,
 * backups, checks) open with store_open or store_open_readonly and never
 * wait for it or take it.
 */
struct store	*store_open_serving(const char *location, char *err,
		    size_t errlen);
void	 store_close(struct store *);
/* The backend's message about its last failure, for people. */
const char *store_errmsg(struct store *);
const char *store_status_name(enum store_status);
int	 store_schema_version(struct store *);
/*
 * Upkeep a long-running process wants and a short one does not (SQLite:
 * copying the WAL back into the database on a thread of its own, and
 * truncating it after a burst).  A scrub (store_scrub) that a reader holds
 * back is tried again by the upkeep for up to scrub_timeout seconds.
 * Starting it while it runs, or stopping it while it does not, does
 * nothing.
 */
enum store_status store_upkeep_start(struct store *, double scrub_timeout,
	    char *, size_t);
void	 store_upkeep_stop(struct store *);

/* What the upkeep did, for monitoring. */
struct upkeep_stats {
	int		us_scrub_pending;	/* destroyed bytes may be left */
	uint64_t	us_scrub_retries;	/* tries a reader held back */
	uint64_t	us_scrub_given_up;	/* scrubs given up on */
	int64_t		us_log_bytes;		/* the write-ahead log's size */
	uint64_t	us_log_truncations;	/* logs cut back after a burst */
};
void	 store_upkeep_stats(struct store *, struct upkeep_stats *);

/*
 * A write transaction, with savepoints inside: a refused write rolls back
 * to its savepoint alone.  What every backend guarantees:
 *
 * - Isolation: what a write transaction read stays true until its commit,
 *   whatever other writers do meanwhile (SQLite: one writer at a time,
 *   BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE).  Nothing of it is seen,
 *   and nothing of it is kept, unless store_commit returned STORE_OK.
 * - Contention is STORE_BUSY: when another writer is in the way (SQLite:
 *   the lock still held after the busy wait; PostgreSQL: a serialization
 *   failure or a deadlock), store_begin, any call inside the transaction
 *   or store_commit returns STORE_BUSY.  The transaction is lost then:
 *   every call until store_rollback returns STORE_BUSY again, store_lost
 *   says so, and the engine rolls back and applies its batch again, a few
 *   times at most (engine_batch.c).  Any other failure is not retried.
 * - When the backend loses the transaction itself (SQLite rolls back on a
 *   full disk), every call fails likewise until the rollback.
 * - A link of the audit chain is appended after the chain's head under a
 *   lock on it held until the transaction ends (store_chain_append; a
 *   route's line, store_route_set): two writers never take the same id.
 */
enum store_status store_begin(struct store *);
enum store_status store_commit(struct store *);
void	 store_rollback(struct store *);
enum store_status store_savepoint(struct store *);
enum store_status store_release(struct store *);
enum store_status store_rollback_savepoint(struct store *);
/*
 * STORE_OK while the write transaction can go on (or none is open); else
 * the status of the failure that lost it, until store_rollback.
 */
enum store_status store_lost(struct store *);
/*
 * How long a write waits for another writer before it is STORE_BUSY, in
 * ms; a backend that does not wait itself ignores it.  SQLite's default is
 * SQ_BUSY_MS; tests shorten it.
 */
void	 store_busy_wait(struct store *, int ms);
/*
 * When a write of this store must wait for the write lock because another
 * connection of the same process holds it (a batch of deadlines prepared
 * ahead of its moment, engine_prep.c), fn is called first, so that the
 * holder can give the lock up; the write then takes it at once.  A lock
 * held by another process is waited for as before.
 */
void	 store_on_wait(struct store *, void (*fn)(void *), void *);
/*
 * Rungs another writer queued.  The scheduler arms its timer for the
 * rungs it knows of (store_rung_next); a rung that another writer queued
 * must wake it too.  A backend that has other writers (PostgreSQL: LISTEN
 * on a channel that every rung insert NOTIFYs, delivered between
 * transactions) calls fn with the rung's moment when another writer
 * queued a rung due at due, from the caller's own thread and never
 * inside one of its transactions.  SQLite has no other writer (one
 * serving process holds <db>.lock), so it keeps fn and never calls it.
 * fn NULL clears the registration.
 */
void	 store_on_queued(struct store *, void (*fn)(void *, int64_t due),
	    void *);
/*
 * Commits whose durability the caller waits for itself (group commit with
 * the flush on a thread of its own).  While deferred, a COMMIT returns
 * once its changes are written, before they are on disk; store_sync then
 * makes every commit before it durable, and may run on another thread
 * while this one goes on using the store (it only flushes).  A caller
 * answers nobody about a deferred commit before a store_sync that began
 * after it returned.  Not deferred (the default), a COMMIT returns when
 * its changes are on disk, and so are those of every commit before it.
 */
enum store_status store_defer_sync(struct store *, int);
enum store_status store_sync(struct store *);
/* A read transaction: one consistent view for several reads. */
enum store_status store_read_begin(struct store *);
void	 store_read_end(struct store *);

enum store_status store_case_insert(struct store *, struct case_row *);
enum store_status store_case_get(struct store *, int64_t, struct case_row *);
/*
 * Read a case in order to change it: inside a write transaction, reads it
 * as store_case_get does and holds it against other writers until the
 * transaction ends, so that a second writer of the same case waits for
 * this one instead of failing at its commit (PostgreSQL: SELECT ... FOR
 * UPDATE).  SQLite's write transaction holds the whole database already
 * (BEGIN IMMEDIATE), so there it is store_case_get.  Outside a write
 * transaction (none open, or only a read transaction) it holds nothing
 * and is refused: STORE_FAILED, logged, the row left unread.
 */
enum store_status store_case_lock(struct store *, int64_t, struct case_row *);
/* The oldest (lowest id) open case of a workflow for a reference in a team. */
enum store_status store_case_open_find(struct store *, const char *workflow,
	    const char *reference, const char *team, struct case_row *);
/*
 * A case only if this token may see it: its teams own the case or take
 * part in it.  STORE_NOTFOUND otherwise, as for a case that does not exist.
 */
enum store_status store_case_get_for(struct store *, int64_t, int64_t token,
	    struct case_row *);
enum store_status store_case_update_state(struct store *,
	    const struct case_row *);
/* The matching cases in id order, at most cf_limit, that cf_token may see. */
enum store_status store_case_list(struct store *, const struct case_filter *,
	    store_case_cb *, void *);

enum store_status store_deadline_insert(struct store *, struct deadline_row *);
enum store_status store_deadline_update(struct store *,
	    const struct deadline_row *);
/* Which deadlines of a case store_deadlines_of_case walks, in what order. */
enum store_deadline_set {
	STORE_DL_ALL,		/* every one, in id order */
	STORE_DL_CURRENT,	/* those that run, are suspended, passed
				   without moving the case, or still have rungs
				   to fire (a passed deadline's follow-ups),
				   passed ones last, by due moment */
	STORE_DL_PASSED,	/* those that passed, whatever followed, by
				   due moment (the moment each passed) */
};
enum store_status store_deadlines_of_case(struct store *, int64_t,
	    enum store_deadline_set, store_deadline_cb *, void *);
/*
 * Stop the active deadlines a state holds, not the case's own (scope case);
 * NULL: every deadline of the case.
 */
enum store_status store_deadlines_stop(struct store *, int64_t case_id,
	    const char *state);
enum store_status store_deadline_get(struct store *, int64_t,
	    struct deadline_row *);
/* The latest active deadline of a case with this name. */
enum store_status store_deadline_find(struct store *, int64_t case_id,
	    const char *, struct deadline_row *);

/*
 * Rungs: the scheduler's queue and the ledger of what fired.  A rung
 * occurrence is queued once (STORE_EXISTS the second time, fired or not)
 * and marked fired once (STORE_NOTFOUND when it is no longer pending).
 */
enum store_status store_rung_insert(struct store *, const struct rung_row *);
/* The moment of the earliest pending rung; STORE_NOTFOUND when none. */
enum store_status store_rung_next(struct store *, int64_t *due);
/*
 * Claim up to max pending rungs due at or before now, by (due, id), for
 * the open write transaction to fire, and mark them fired at now (no
 * occurrence missed, none skipped), in one statement: they come back with
 * r_fired_at now.  Another process claiming at the same time gets other
 * rungs (PostgreSQL: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP
 * LOCKED) RETURNING; SQLite has one writer).  A rollback leaves them
 * pending; store_rungs_unclaim gives back those the transaction does not
 * fire after all.
 */
enum store_status store_rungs_claim(struct store *, int64_t now,
	    struct rung_row *, size_t max, size_t *n);
/*
 * Make claimed rungs pending again, in the transaction that claimed them;
 * each one's r_fired_at becomes 0.  A rung no longer claimed is left.
 */
enum store_status store_rungs_unclaim(struct store *, struct rung_row *,
	    size_t n);
/* The earliest pending rung of one case, by (due, id). */
enum store_status store_rung_first_of_case(struct store *, int64_t,
	    struct rung_row *);
/* Record in the ledger that a pending rung fired (or was skipped). */
enum store_status store_rung_mark_fired(struct store *,
	    const struct rung_row *, int64_t at, int missed, int skipped);
/* Cancel pending rungs: of one deadline, else held by a state, else all of a case. */
enum store_status store_rungs_cancel(struct store *, int64_t case_id,
	    int64_t deadline, const char *holder);
/*
 * Forget that a rung of a deadline fired (never one that sent a
 * notification), so that it can be queued again: for a correction that
 * puts a deadline's budget back after it passed.
 */
enum store_status store_rung_forget(struct store *, int64_t deadline,
	    const char *name);
/* Pending rungs of a deadline pass to another holder (its "then" state). */
enum store_status store_rungs_hand_over(struct store *, int64_t deadline,
	    const char *holder);
/* The highest occurrence recorded of a rung (0: none), and how many are pending. */
enum store_status store_rung_last_seq(struct store *, int64_t deadline,
	    const char *, int *seq, int *pending);
/* The rungs of a deadline by (due, id), fired or not. */
enum store_status store_rungs_of_deadline(struct store *, int64_t,
	    store_rung_cb *, void *);

enum store_status store_notification_insert(struct store *,
	    struct notification_row *);
/* A case's notifications by id. */
enum store_status store_notifications_of_case(struct store *, int64_t,
	    store_notification_cb *, void *);

/* When the last transition of a case took effect; STORE_NOTFOUND: none yet. */
enum store_status store_transition_last_at(struct store *, int64_t case_id,
	    int64_t *at);
/* The last transition of a case; STORE_NOTFOUND: none yet. */
enum store_status store_transition_last(struct store *, int64_t case_id,
	    struct transition_row *);
/*
 * What a correction of a case restores: one row per case, for its last
 * transition that an event or a deadline caused (replaced by the next).
 * store_undo_get gives the data in memory the caller frees.
 */
enum store_status store_undo_put(struct store *, int64_t case_id,
	    int64_t transition_id, const char *data);
enum store_status store_undo_get(struct store *, int64_t case_id,
	    int64_t *transition_id, char **data);
/*
 * The last link of the audit chain (id 0 and zeros while it is empty): a
 * transition, a mark or a line of the route log, whichever came last.
 * For reading (the audit, monitoring); a writer appends through
 * store_chain_append, which takes the head under its lock.
 */
enum store_status store_chain_head(struct store *, int64_t *id,
	    unsigned char *hash);
/*
 * Every link in id order: transitions, gaps where cases were destroyed,
 * marks, and the route log's lines.
 */
enum store_status store_chain_walk(struct store *, store_chain_cb *, void *);
/*
 * The first link hashed with the chain's canonical encoding (audit.h); the
 * links before it were written by a termijn that hashed them otherwise.
 * 1 for a store this termijn made.
 */
enum store_status store_chain_encoding(struct store *, int64_t *from);
/*
 * Append a link to the audit chain, inside a write transaction: the
 * backend locks the chain's head until the transaction ends (SQLite: its
 * write transaction holds the whole database; PostgreSQL: a row lock on
 * the one-row head table), gives the link the head's id + 1 (t_id,
 * mk_id) and the head's hash as the hash of the link before it (t_prev,
 * mk_prev), calls seal, which fills in the link's hash (t_hash, mk_hash:
 * the core owns the hash function, audit.h), stores the link, and the head
 * moves to it.  The next append of the transaction chains after it.
 * (SQLite keeps the head in memory through the transaction and stores it
 * with the COMMIT: other connections see it move with its links.)
 * Outside a write transaction the link is refused, STORE_FAILED, and seal
 * is not called: a head read without its lock could be another writer's
 * too.
 */
typedef void store_seal_cb(struct transition_row *, void *);
typedef void store_seal_mark_cb(struct chain_mark_row *, void *);
enum store_status store_chain_append(struct store *, struct transition_row *,
	    store_seal_cb *, void *);
enum store_status store_chain_append_mark(struct store *,
	    struct chain_mark_row *, store_seal_mark_cb *, void *);
/*
 * For the audit: every case the chain or a table names, in id order, and
 * for each, in this order: its transitions, gaps and marks by id, its
 * participants by id, its tombstone, its case row, then the end (a fact
 * with no row).  One pass over each table, whatever their size.
 */
enum store_status store_case_facts(struct store *, store_fact_cb *, void *);
/* Up to limit transitions of a case with ids after the cursor, in order. */
enum store_status store_transitions_of_case(struct store *, int64_t,
	    int64_t after, int limit, store_transition_cb *, void *);

/*
 * Teams: every case and every token names known ones.  STORE_EXISTS when
 * the name is taken.
 */
enum store_status store_team_insert(struct store *, const struct team_row *);
enum store_status store_team_get(struct store *, const char *,
	    struct team_row *);
/* Every team by name. */
enum store_status store_teams_each(struct store *, store_team_cb *, void *);
/*
 * Routes: which team fills a function for an owning team or organisation.
 * Setting one that exists for the same function and owner is STORE_EXISTS
 * (and logs nothing); removing one (by rt_id, filling rt with what it was)
 * that does not, STORE_NOTFOUND.  Every set and removal also writes a line
 * of the append-only route log, in the same transaction, and appends it to
 * the audit chain (audit.h).  store_route_find prefers the owning team's
 * own route to its organisation's (org "" for a team without one).
 */
enum store_status store_route_set(struct store *, struct route_row *);
enum store_status store_route_remove(struct store *, struct route_row *);
enum store_status store_route_find(struct store *, const char *function,
	    const char *team, const char *org, struct route_row *);
/*
 * The routes by function, then owning team, then organisation; with log
 * set, the log, oldest first, each line with its link (rt_link).
 */
enum store_status store_routes_each(struct store *, int log,
	    store_route_cb *, void *);
/* How many open cases wait for a team to fill a function. */
enum store_status store_unrouted_count(struct store *, int64_t *);
/* Up to limit of them with ids after after, in id order. */
enum store_status store_unrouted_cases(struct store *, int64_t after,
	    int limit, store_case_cb *, void *);

/*
 * Tokens, by the SHA-256 of their text, with their teams (tk_teams, which
 * must be known teams: an unknown one fails the insert, and the caller
 * rolls back, since the token may be written by then).  STORE_EXISTS when
 * the name is taken.
 */
enum store_status store_token_insert(struct store *, struct token_row *,
	    const unsigned char *hash);
/*
 * A token that is neither revoked nor expired at now, with its teams.
 * STORE_NOTFOUND for one that is: tk then holds it (tk_id is not 0), so
 * that its holder can be told which; for an unknown one tk_id is 0.  A
 * backend may answer from memory, but as the database is at the call:
 * what another process committed before it (a revocation) counts.
 */
enum store_status store_token_lookup(struct store *, const unsigned char *hash,
	    int64_t now, struct token_row *);
/* A valid token by name (not revoked, not expired at now), with its teams. */
enum store_status store_token_by_name(struct store *, const char *,
	    int64_t now, struct token_row *);
/*
 * Set the display name of a valid token (not revoked, not expired at
 * now) by name, "" to have none; STORE_NOTFOUND when there is none.
 */
enum store_status store_token_set_display_name(struct store *, const char *,
	    const char *, int64_t now);
/*
 * The valid tokens (not revoked, not expired at now) that have a team, by
 * display name (the name where none is set) ignoring ASCII case, then name.
 */
enum store_status store_team_tokens(struct store *, const char *team,
	    int64_t now, store_token_cb *, void *);
/* Revoke a valid token by name; STORE_NOTFOUND when there is none. */
enum store_status store_token_revoke(struct store *, const char *,
	    int64_t now);
/* When a token was last used, kept at most a minute late. */
enum store_status store_token_touch(struct store *, int64_t id, int64_t at);
/* Every token by name, revoked and expired ones too; never its hash. */
enum store_status store_tokens_each(struct store *, store_token_cb *, void *);
enum store_status store_token_count(struct store *, int64_t *);

/*
 * Participants: a team takes part in a case from a moment until it is
 * ended.  Adding one that takes part already is STORE_EXISTS; ending one
 * that does not is STORE_NOTFOUND.
 */
enum store_status store_participant_add(struct store *,
	    struct participant_row *);
enum store_status store_participant_end(struct store *, int64_t case_id,
	    const char *team, int64_t until);
/* The participants of a case by id; with current set, only those taking part. */
enum store_status store_participants_of_case(struct store *, int64_t,
	    int current, store_participant_cb *, void *);

/*
 * The supervisor's views.  Overdue: deadlines whose moment passed and whose
 * case still waits on them (it is in the state the deadline led to and got
 * there by it, or a deadline without one passed in the state it is in), by
 * (due, deadline id).  At risk: running deadlines in a risk window, by
 * (due, deadline id).  Suspended: deadlines that do not run now, by (since,
 * deadline id).  Each starts after the filter's cursor.  Queue:
 * open cases in the given queue states, unassigned first, oldest first.
 */
enum store_status store_overdue(struct store *, const struct view_filter *,
	    store_case_deadline_cb *, void *);
enum store_status store_at_risk(struct store *, const struct view_filter *,
	    const struct risk_window *, store_case_deadline_cb *, void *);
enum store_status store_suspended(struct store *, const struct view_filter *,
	    store_case_deadline_cb *, void *);
/*
 * Summary: per team, workflow, state and deadline kind, in that order, of
 * the open cases the token sees: how many deadlines are overdue (as
 * store_overdue has them), at risk (as store_at_risk), suspended, and
 * running (at risk or not); the cursor and limit play no part.
 */
enum store_status store_summary(struct store *, const struct view_filter *,
	    const struct risk_window *, store_summary_cb *, void *);
enum store_status store_queue(struct store *, const struct view_filter *,
	    const struct queue_state *, size_t, store_case_cb *, void *);
/*
 * Management information: the deadlines whose moment lies in (from, to]
 * (a day deadline's last day in [from, to)), whether they still run or
 * not, and the cases closed in [from, to), of the cases vf_token sees;
 * walked whole (cursor and limit play no part), in id order.
 */
enum store_status store_report_deadlines(struct store *,
	    const struct view_filter *, int64_t from, int64_t to,
	    store_case_deadline_cb *, void *);
enum store_status store_report_closed(struct store *,
	    const struct view_filter *, int64_t from, int64_t to,
	    store_case_cb *, void *);

/*
 * The outbox: webhooks written with the notification that causes them, in
 * the same transaction; taken out by the notifier when due.
 */
enum store_status store_outbox_insert(struct store *, struct outbox_row *);
/* Pending rows due at or before now, by (next_at, id), at most max. */
enum store_status store_outbox_due(struct store *, int64_t now, int max,
	    store_outbox_cb *, void *);
/*
 * The earliest next attempt of a pending row later than after (the rows
 * due by then are being tried); STORE_NOTFOUND when none.
 */
enum store_status store_outbox_next(struct store *, int64_t after,
	    int64_t *);
/* One row, by id; STORE_NOTFOUND when there is none. */
enum store_status store_outbox_get(struct store *, int64_t,
	    store_outbox_cb *, void *);
/* After an attempt: delivered, dead, or pending again at next_at. */
enum store_status store_outbox_update(struct store *,
	    const struct outbox_row *);
/*
 * Up to limit rows with a status (NULL: all), newest (highest id) first,
 * with ids before an id (0: from the newest).
 */
enum store_status store_outbox_list(struct store *, const char *status,
	    int64_t before, int limit, store_outbox_cb *, void *);
enum store_status store_outbox_count(struct store *, const char *status,
	    int64_t *);
/*
 * The rows of one case by id, whatever their status, without their bodies
 * (o_body is NULL): what became of each notification of the case.
 */
enum store_status store_outbox_of_case(struct store *, int64_t,
	    store_outbox_cb *, void *);

/* The read log: who read a case, when, and why. */
enum store_status store_read_insert(struct store *, struct read_row *);
enum store_status store_reads_of_case(struct store *, int64_t, int64_t after,
	    int limit, store_read_cb *, void *);

/*
 * Retention: the closed cases of a workflow version whose final state was
 * entered before a moment, those that closed longest ago first (then by
 * id), at most limit; and the destruction of one, which deletes every row
 * about it, keeps the links of its transitions in the chain as gaps (its
 * marks stay), and leaves the tombstone.  Destroying one that has a
 * tombstone is STORE_EXISTS; one that is not there, STORE_NOTFOUND, and
 * the caller rolls back (the tombstone is written first).
 */
enum store_status store_cases_closed_before(struct store *, const char *,
	    int, int64_t before, int limit, store_case_cb *, void *);
enum store_status store_case_destroy(struct store *,
	    const struct tombstone_row *);
enum store_status store_tombstone_get(struct store *, int64_t,
	    struct tombstone_row *);
/*
 * After destruction has committed: make sure that the bytes of what was
 * destroyed are gone from every file the store keeps (SQLite: the WAL
 * copied back into the database and truncated).  STORE_OK when they are;
 * STORE_BUSY while a reader holds a snapshot older than the destruction,
 * which keeps the old bytes in place: the upkeep, if started, goes on
 * trying until the reader ends or its scrub_timeout passes, and
 * store_upkeep_stats says which.  The wait for the first try is bounded
 * (SQLite: a second), so a caller on an event loop is never held long.
 */
enum store_status store_scrub(struct store *);

/*
 * Idempotency: the first answer to (token, key), the language it is in
 * (lang, STORE_LANG_LEN; "" for one kept before answers had a language,
 * which was English), and the request it answered.  An answer about a
 * case (case_id not 0) is given again only while the token may still see
 * that case; once it may not, the key stays used: STORE_EXISTS, with the
 * request's digest and no body.  STORE_NOTFOUND when the token never used
 * the key.
 */
enum store_status store_idem_get(struct store *, int64_t token,
	    const char *key, char *reqhash, int *status, char **body,
	    char *lang);
enum store_status store_idem_put(struct store *, int64_t token,
	    const char *key, const char *reqhash, int status, const char *body,
	    const char *lang, int64_t case_id, int64_t now);

/*
 * Workflow versions that cases are pinned to, with their source: put
 * keeps the first source of a name and version (STORE_EXISTS after);
 * each walks them by name, then version.
 */
enum store_status store_workflow_put(struct store *, const char *name,
	    int version, const char *digest, const char *source, size_t len,
	    int64_t now);
enum store_status store_workflow_digest(struct store *, const char *name,
	    int version, char *digest);
enum store_status store_workflows_each(struct store *, store_workflow_cb *,
	    void *);

/*
 * Whether there is a database at a location yet: STORE_OK, STORE_NOTFOUND
 * (none yet: a first start will make it), or STORE_FAILED with the reason
 * in err (it cannot be read).  Nothing is opened or made.
 */
enum store_status store_exists(const char *location, char *err,
	    size_t errlen);
/*
 * Operations.  store_backup copies the store a location names to dest, a
 * new empty file, as it was at one moment, while another process goes on
 * writing to it (SQLite: the online backup API, in one step); the source is
 * never written, and one of another schema version than this build's is
 * refused.  store_check checks the store's own structures (SQLite: PRAGMA
 * integrity_check and foreign_key_check): STORE_OK with err "" when they
 * are sound, else STORE_FAILED with err saying what is wrong.
 */
enum store_status store_backup(const char *location, const char *dest,
	    char *err, size_t errlen);
enum store_status store_check(struct store *, char *err, size_t errlen);
/*
 * Whether a write would reach the disk now (a write transaction of one
 * page, with room for a real write beside it); STORE_FULL when not.  Not
 * inside a transaction; it changes nothing anybody reads.
 */
enum store_status store_write_probe(struct store *);
/*
 * For monitoring: how many cases there are of each workflow and state,
 * closed ones too, one call per pair, in no order promised (a scan: not
 * for a loop that answers requests); and how many rungs are pending, and
 * of those how many are due at or before now.
 */
enum store_status store_case_counts(struct store *, store_count_cb *, void *);
enum store_status store_rung_counts(struct store *, int64_t now,
	    int64_t *pending, int64_t *due);

#endif /* TERMIJN_STORE_H */
