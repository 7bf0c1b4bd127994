/* termijn: the engine applies events and deadlines to cases, in transactions of its own. */
#ifndef TERMIJN_ENGINE_H
#define TERMIJN_ENGINE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "termijn/penalty.h"
#include "termijn/store.h"

struct due;
struct errlist;
struct period;
struct registry;
struct wf_deadline;
struct wf_files;
struct wf_penalty;
struct wf_state;
struct workflow;

enum engine_status {
	ENGINE_OK = 0,
	ENGINE_EINVAL,		/* bad input: 400 */
	ENGINE_ENOTFOUND,	/* no such case: 404 */
	ENGINE_ECONFLICT,	/* event not accepted in this state: 409 */
	ENGINE_EFORBIDDEN,	/* the token's role may not do this: 403 */
	ENGINE_EBASIS,		/* a sharing step without an allowed legal basis: 422 */
	ENGINE_EFULL,		/* storage full: 503 */
	ENGINE_ESTORE,		/* storage failed: 500 */
	ENGINE_EMODEL,		/* the workflow does not describe what is stored: 500 */
};

/*
 * Why the engine refused or failed: ee_msg in the reader's language (the
 * messages' language when it was filled, i18n.h), for the answer; ee_log
 * the same in English, for the log, which does not depend on who asked.
 */
struct engine_error {
	enum engine_status	 ee_status;
	char			 ee_msg[384];
	char			 ee_log[384];
	char			 ee_state[STORE_NAME_LEN];	/* for conflicts */
	int64_t			 ee_case;	/* a case the refusal names, or 0 */
	int			 ee_accepts;	/* show what the case's state accepts */
	int			 ee_pickup;	/* ECONFLICT: accepted once
						   someone has the case */
	/* ENGINE_EBASIS: the bases the step allows, ids of ee_workflow's */
	const struct workflow	*ee_workflow;
	char *const		*ee_bases;
	size_t			 ee_nbases;
	/*
	 * Not a refusal: what a request that succeeded without changing
	 * anything should say (a notice of default received too early starts
	 * nothing), in the reader's language; "" when nothing.
	 */
	char			 ee_said[384];
};

/*
 * Say why something failed: -1, always.  The message is English, marked
 * N_(), and translated here for ee_msg; ee_log keeps it in English.  What
 * fills its conversions is names and numbers, which no language changes
 * (or, in a refusal, a hint in the reader's language: only a failure's
 * ee_log is logged).
 */
int	 engine_error(struct engine_error *, enum engine_status, const char *,
	    ...) __attribute__((format(printf, 3, 4)));
int	 engine_verror(struct engine_error *, enum engine_status, const char *,
	    va_list) __attribute__((format(printf, 3, 0)));

/*
 * Who asks: a token, its role and its teams.  What it may see and do
 * follows from these (engine.c, "Who may do what"); timers act as the
 * engine itself, as role system.
 */
struct actor {
	int64_t		 ac_token;	/* the token's id */
	const char	*ac_name;
	const char	*ac_role;
	const char	*ac_teams;	/* comma-separated */
	const char	*ac_request;	/* the request's id, for the read log */
	const char	*ac_purpose;	/* why it reads, as the client says; or NULL */
};

struct case_written;

struct case_input {
	const char	*ci_workflow;
	const char	*ci_reference;
	const char	*ci_team;
	int64_t		 ci_started_at;		/* 0: now */
	int		 ci_duplicate;		/* another open case is intended */
	struct case_written *ci_written;	/* what the write wrote, for its
						   answer; or NULL */
};

/*
 * engine_written.c: what one registration wrote of its case, kept so that
 * its answer is rendered from memory (view_case_written) instead of read
 * back inside the writer.  engine_case_create fills the one its input
 * names; cw_complete says the rows are all there is to the case: the case
 * as the store reads it back, every deadline it has, every rung of them,
 * and neither notifications nor participants.  Where the engine cannot be
 * sure of that (a case dated in the past, which may have fired at once; a
 * state that brings teams in or tells roles; anything the record did not
 * see written), cw_complete is 0 and the answer reads the case as before.
 */
struct case_written {
	struct case_row		 cw_case;
	struct deadline_row	*cw_deadlines;	/* as written */
	size_t			 cw_ndeadlines;
	struct rung_row		*cw_rungs;	/* as written */
	size_t			 cw_nrungs;
	int			 cw_unsure;	/* a row not kept */
	int			 cw_complete;
};
/* Forget what a record held, ready for another write. */
void	 engine_written_free(struct case_written *);
/*
 * The walks of store_deadlines_of_case and store_rungs_of_deadline (the
 * same rows, in the same order, store.h) over a complete record.
 */
enum store_status engine_written_deadlines(const struct case_written *,
	    enum store_deadline_set, store_deadline_cb *, void *);
enum store_status engine_written_rungs(const struct case_written *,
	    int64_t deadline, store_rung_cb *, void *);

/* An event as a client records it, with what note, date and legal basis. */
struct event_input {
	const char	*ev_name;
	const char	*ev_note;	/* or NULL */
	int64_t		 ev_date;	/* a date the event carries, or 0 */
	const char	*ev_basis;	/* for an event that shares; or NULL */
};

/* Another team to take part in a case, on a legal basis. */
struct share_input {
	const char	*sh_team;
	const char	*sh_basis;
	const char	*sh_purpose;	/* or NULL */
};

struct engine;

struct engine	*engine_new(struct store *, struct registry *);
void	 engine_free(struct engine *);
void	 engine_set_registry(struct engine *, struct registry *);
/* Refuse a client's write whose dates need decree data not known yet. */
void	 engine_set_decree_refuse(struct engine *, int);
/* Milliseconds a batch of firings may take before it commits; 0: no limit. */
void	 engine_set_fire_slice(struct engine *, int64_t);
struct store	*engine_store(struct engine *);
/*
 * Log no transition and no rung: for an engine over a throw-away store
 * (simulate.c), whose cases are nobody's and must not read as real ones.
 */
void	 engine_set_quiet(struct engine *, int);

/*
 * The teams and roles that have a webhook (termijnd's configuration): a
 * notification to a role writes an outbox row for each such team that may
 * see the case.  source is the CloudEvents source of them all.
 */
struct webhook_target {
	const char	*wt_team;
	const char	*wt_role;
};
void	 engine_set_webhooks(struct engine *, const struct webhook_target *,
	    size_t, const char *source);
/*
 * The outcome of attempts to deliver webhooks (rows as webhook_outcome
 * left them), in a transaction of its own; STORE_OK when it committed.
 */
enum store_status engine_outbox_update(struct engine *,
	    const struct outbox_row *, size_t);

/* What the engine counts, for /metrics. */
struct engine_stats {
	uint64_t	es_clock_corrections;	/* transitions given the moment of
						   the one before, the clock having
						   gone back */
	uint64_t	es_outbox_queued;	/* webhooks queued or retried (also
						   in transactions rolled back) */
	uint64_t	es_unrouted;	/* joins that found no team for their
					   function (likewise) */
	uint64_t	es_joined;	/* teams a workflow brought into a case */
	uint64_t	es_busy_retries;	/* batches (writes, firings)
						   applied again whole because
						   the store was busy */
};
void	 engine_stats(struct engine *, struct engine_stats *);

/*
 * A client's write, applied by engine_batch_write inside a transaction it
 * shares with the other writes of its batch.  ew_apply records what the
 * write does (engine_case_create, engine_case_event) and says what became
 * of it in ew_verdict: applied, or refused (which changes nothing).  It
 * also sets its answer: ew_answer (the body) and ew_code (the caller's
 * code for it; termijnd's HTTP status), which the batch keeps with the
 * Idempotency-Key and gives back in a retry without reading either.
 * ew_apply may run twice: when another write of the batch is refused, the
 * batch is applied again; and when the store was busy, the whole batch is.
 */
enum write_outcome {
	WRITE_APPLIED,		/* committed, or refused by ew_apply */
	WRITE_REPLAYED,		/* the answer stored for its key, in ew_answer */
	WRITE_KEY_REUSED,	/* its key was used for another request */
	WRITE_KEY_HIDDEN,	/* its key answered about a case out of sight */
	WRITE_FULL,		/* the database could not take it now: full,
				   or busy with another writer (503) */
	WRITE_FAILED,		/* the database failed: 500 */
};

/* What ew_apply made of a write. */
enum write_verdict {
	WRITE_DONE,		/* applied: kept when the batch commits */
	WRITE_REFUSED,		/* refused: rolled back, the batch goes on */
	WRITE_STORE_FAILED,	/* refused, the store having failed under it */
	WRITE_STORE_FULL,	/* refused, the store being full */
};

struct engine_write {
	int64_t		 ew_token;	/* whose Idempotency-Key it is */
	const char	*ew_idem_key;	/* or NULL */
	const char	*ew_reqhash;	/* digest of the request the key goes with */
	void		(*ew_apply)(struct engine_write *);
	enum write_verdict ew_verdict;
	int		 ew_code;	/* the caller's, kept with the answer */
	char		*ew_answer;	/* owned by the caller after the batch */
	/* The language ew_answer is in: the caller's, or a replay's ("": en). */
	char		 ew_lang[STORE_LANG_LEN];
	int64_t		 ew_case;	/* the case the answer shows, or 0 */
	int		 ew_clean;	/* refused before it wrote anything */
	enum write_outcome ew_outcome;
};

struct write_result {
	size_t		 wr_applied;	/* writes answered with success */
	size_t		 wr_records;	/* deferred: engine_durable's mark */
	int		 wr_deferred;	/* committed, not yet on disk */
};

/*
 * Group commit: apply n writes in one transaction and commit it.  STORE_OK
 * when the transaction committed (refused writes changed nothing); else
 * nothing of the batch was kept, and every write says WRITE_FULL or
 * WRITE_FAILED.  A store busy with another writer is tried again, a few
 * times, before the batch fails so (STORE_BUSY, WRITE_FULL).  Log lines go
 * out only after the commit.
 */
enum store_status engine_batch_write(struct engine *, struct engine_write **,
	    size_t, int64_t now, struct write_result *);

/*
 * One write in a transaction of its own, through the same protocol: for
 * start-up and offline commands.  apply returns -1 with ee to refuse.
 */
int	 engine_write_one(struct engine *, int (*)(struct engine *, void *,
	    struct engine_error *), void *, int64_t now, struct engine_error *);

struct fire_result {
	size_t		 fr_fired;	/* rungs fired */
	int64_t		 fr_due_min;	/* the earliest due moment among them */
	int		 fr_again;	/* a rung was set aside: fire again now */
	int		 fr_cut;	/* stopped before the due rungs ran out
					   (max, time, order): fire again now */
	int64_t		 fr_committed_at; /* the wall clock when COMMIT returned,
					    before the log lines were sent */
	int		 fr_deferred;	/* committed, not yet on disk: */
	size_t		 fr_records;	/* engine_durable's mark */
};

/*
 * Fire up to max rungs (deadlines passing, reminders, follow-ups) due at or
 * before now, in order, in one transaction.  STORE_OK when it committed;
 * otherwise nothing fired and the caller tries again later.  A busy store
 * is tried again at once, as in engine_batch_write.
 */
enum store_status engine_batch_fire(struct engine *, int64_t now, size_t max,
	    struct fire_result *);

/*
 * A batch fired ahead of its moment on a second connection to the same
 * database, committed at the moment (engine_prep.c).  engine_prep_fire
 * fires up to max more rungs due by at: 1 when all are in, 0 when more
 * are, -1 when the batch was given up.  engine_prep_abandon rolls it back
 * (a write needs the lock); engine_prep_commit commits it and tells what
 * fired.
 */
struct engine_prep;

/*
 * Group commit with its flush to disk on another thread: while deferred,
 * engine_batch_write and engine_batch_fire return when the batch
 * committed, before it is on disk (store_defer_sync), and keep its log
 * lines; once store_sync returned after it, engine_durable(wr_records or
 * fr_records) sends them.  Until then the caller answers nobody about the
 * batch, and tells no other system of it.
 */
enum store_status engine_defer_durable(struct engine *, int);
void	 engine_durable(struct engine *, size_t);

struct engine_prep *engine_prep_new(struct engine *, struct store *);
void	 engine_prep_free(struct engine_prep *);
int	 engine_prep_fire(struct engine_prep *, int64_t at, size_t max);
enum store_status engine_prep_commit(struct engine_prep *,
	    struct fire_result *);
void	 engine_prep_abandon(struct engine_prep *);
int64_t	 engine_prep_at(const struct engine_prep *);
int	 engine_prep_complete(const struct engine_prep *);
size_t	 engine_prep_count(const struct engine_prep *);

/*
 * The following run inside a write transaction that engine_batch_write
 * opened, from ew_apply.
 */
int	 engine_case_create(struct engine *, const struct actor *,
	    const struct case_input *, int64_t now, int64_t *id,
	    struct engine_error *);
int	 engine_case_event(struct engine *, const struct actor *, int64_t id,
	    const struct event_input *, int64_t now, struct engine_error *);
/*
 * Sharing: another team takes part in a case from now on, on a basis the
 * workflow allows; a team stops taking part; the team that coordinates
 * the case changes.  Each is a transition of the case.
 */
int	 engine_case_share(struct engine *, const struct actor *, int64_t id,
	    const struct share_input *, int64_t now, struct engine_error *);
int	 engine_case_unshare(struct engine *, const struct actor *, int64_t id,
	    const char *team, const char *note, int64_t now,
	    struct engine_error *);
int	 engine_case_coordinate(struct engine *, const struct actor *,
	    int64_t id, const char *team, const char *note, int64_t now,
	    struct engine_error *);

/*
 * Correct the last transition of a case that an event or a deadline
 * passing caused: restore the state and the deadlines as they were before
 * it, as a transition of its own with the reason (engine_correct.c).  For
 * supervisors and the roles the workflow names under "corrections".
 */
int	 engine_case_correct(struct engine *, const struct actor *, int64_t id,
	    const char *reason, int64_t now, struct engine_error *);

/*
 * An admin sends a dead notification again: pending from now, its attempts
 * counted from nought.  cb hears of the row as it is then.
 */
int	 engine_outbox_retry(struct engine *, const struct actor *, int64_t id,
	    int64_t now, store_outbox_cb *, void *, struct engine_error *);

/* A person (a token's name) picks the case up; NULL lets it go. */
int	 engine_case_assign(struct engine *, const struct actor *, int64_t id,
	    const char *assignee, const char *note, int64_t now,
	    struct engine_error *);

/*
 * The names a list of cases or a view is narrowed by (NULL: not given),
 * checked before it is read: a value that names nothing (a team that is
 * not known, a workflow that is not loaded, a state no such workflow has,
 * a kind that is no deadline kind) is a typo, refused (ENGINE_EINVAL)
 * with the name most likely meant, rather than answered with an empty
 * list.  A known team the actor is not in passes: what it may see of
 * that team's cases is the list's own business.
 */
struct filter_names {
	const char	*fn_team;
	const char	*fn_workflow;
	const char	*fn_state;
	const char	*fn_kind;
};
int	 engine_filter_check(struct engine *, const struct actor *,
	    const struct filter_names *, struct engine_error *);
/*
 * The newest version of a workflow, the one new cases get: for rows that
 * count the cases of every version (the summary), which name its states
 * with its titles.  NULL when none is known.
 */
const struct workflow *engine_workflow(struct engine *, const char *);
/*
 * Refuse a workflow no file and no case knows (ENGINE_EINVAL): -1, with
 * the ones there are and the one most likely meant.
 */
int	 engine_unknown_workflow(struct engine *, const char *,
	    struct engine_error *);

/*
 * Late (overdue): the one definition that GET /v1/overdue, /v1/summary,
 * the case (GET /v1/cases/{id}), their CSV and the calendar feed share.
 * A deadline is late when it passed and its case still waits on it: its
 * passing moved the case to its "then" state and the case is still there
 * (nobody has moved it on since), or it has no "then" and the case is
 * still in its state (or a correction put the case back there).  Not
 * late: a deadline that passed after which the case moved on, a case
 * deadline that passed (it has no state to wait in: only its rungs fire),
 * and one whose moment came but whose passing the scheduler has not
 * recorded yet (milliseconds, or the catch-up after downtime).  The store
 * finds the late ones of many cases by what each case remembers
 * (c_escalated_by, c_waiting_by); this says the same of one deadline.
 */
int	 engine_late(const struct case_row *, const struct deadline_row *);
/*
 * How late a late deadline is at now: since its moment, in seconds, in
 * calendar days and in working days (for a period in hours, -1), each
 * day counted once it passed in full, from the local date of the moment
 * to today's: a deadline that passed today is 0 days late, which people
 * read as "passed today".
 */
struct lateness {
	int64_t	lt_seconds;
	int64_t	lt_days;
	int64_t	lt_working_days;
};
void	 engine_lateness(const struct deadline_row *, int64_t now,
	    struct lateness *);

/*
 * The supervisor's views over many cases, for an actor (its teams' cases
 * and those they take part in; admin sees none): what is overdue, at risk
 * (in a risk window), suspended, counted, and waiting in queues.
 */
int	 engine_overdue(struct engine *, const struct actor *,
	    struct view_filter *, store_case_deadline_cb *, void *,
	    struct engine_error *);
int	 engine_at_risk(struct engine *, const struct actor *,
	    struct view_filter *, const struct risk_window *,
	    store_case_deadline_cb *, void *, struct engine_error *);
int	 engine_suspended(struct engine *, const struct actor *,
	    struct view_filter *, store_case_deadline_cb *, void *,
	    struct engine_error *);
int	 engine_summary(struct engine *, const struct actor *,
	    struct view_filter *, const struct risk_window *,
	    store_summary_cb *, void *, struct engine_error *);
/*
 * What is at risk within a period from now: a day deadline whose last day
 * is at most the period after today, an hour deadline whose moment is at
 * most the period after now.
 */
void	 engine_risk_window(const struct period *, int64_t now,
	    struct risk_window *);
int	 engine_queue(struct engine *, const struct actor *,
	    struct view_filter *, store_case_cb *, void *,
	    struct engine_error *);
/*
 * The calendar feed: the late deadlines of the cases the actor sees (as
 * engine_overdue finds them) that passed in the last FEED_PAST_DAYS days,
 * longest passed first, then the running ones due within FEED_AHEAD of
 * now, soonest first, at most vf_limit in all; for role feed, which reads
 * nothing else, and for any role that sees cases.  engine_late tells the
 * callback which is which.
 */
#define FEED_PAST_DAYS	30
#define FEED_AHEAD	"P1Y"
int	 engine_feed(struct engine *, const struct actor *,
	    struct view_filter *, int64_t now, store_case_deadline_cb *,
	    void *, struct engine_error *);
/*
 * Management information (GET /v1/report), derived from the history of
 * the cases the actor sees: per group, the deadlines whose last day (or
 * moment, for hours) fell in [from, to), how many were met and missed,
 * the delay of the missed ones, how many were suspended or extended, and
 * the cases closed in [from, to) with their throughput time.  Shares and
 * durations are -1 where there is nothing to compute them from; rr_closed
 * is -1 by kind (a case has deadlines of several kinds).
 */
enum report_by {
	REPORT_BY_TEAM,
	REPORT_BY_WORKFLOW,
	REPORT_BY_KIND,
	REPORT_BY_MONTH,
};

struct report_row {
	char	 rr_key[STORE_NAME_LEN];	/* team, workflow, kind, YYYY-MM */
	int64_t	 rr_deadlines;
	int64_t	 rr_met;
	int64_t	 rr_missed;
	double	 rr_delay_median;	/* days */
	double	 rr_delay_p90;
	int64_t	 rr_suspended;
	int64_t	 rr_extended;
	int64_t	 rr_closed;
	double	 rr_throughput_median;	/* days */
	double	 rr_met_share;		/* 0 .. 1 */
	double	 rr_statutory_met_share;	/* statutory and decision kinds */
	int64_t	 rr_penalties;		/* penalties that began (a state's
					   penalty whose deadline fell) */
	int64_t	 rr_penalty_cents;	/* what they ran up, so far */
};

/* The whole period, over every row: what a report leads with. */
struct report_total {
	int64_t	 rt_deadlines;
	int64_t	 rt_met;
	int64_t	 rt_missed;
	int64_t	 rt_statutory;		/* of kinds statutory and decision */
	int64_t	 rt_statutory_met;
	int64_t	 rt_penalties;
	int64_t	 rt_penalty_cents;
};

struct report {
	struct report_row	*rp_rows;	/* by key */
	size_t			 rp_nrows;
	struct report_total	 rp_total;
};

int	 engine_report_by(const char *, enum report_by *);
const char *engine_report_by_name(enum report_by);
int	 engine_report(struct engine *, const struct actor *, const char *team,
	    int64_t from, int64_t to, enum report_by, int64_t now,
	    struct report *, struct engine_error *);
void	 engine_report_free(struct report *);

/* The state a case is in, as its workflow describes it; or NULL. */
const struct wf_state *engine_case_state(struct engine *,
	    const struct case_row *);

/*
 * Administration, for role admin: teams and tokens.  A token's secret is
 * made here and returned once; only its hash is stored.
 */
int	 engine_team_add(struct engine *, const struct actor *,
	    const struct team_row *, int64_t now, struct engine_error *);
int	 engine_token_add(struct engine *, const struct actor *,
	    struct token_row *, char *secret, size_t, int64_t now,
	    struct engine_error *);
int	 engine_token_revoke(struct engine *, const struct actor *,
	    const char *name, int64_t now, struct engine_error *);
/*
 * A token's display name, the person's name as people read it: set on a
 * valid token by name, or taken away with "" (admin).
 */
int	 engine_token_display_name(struct engine *, const struct actor *,
	    const char *name, const char *display, int64_t now,
	    struct engine_error *);
/*
 * The people of a team: its valid tokens whose role works on cases (who
 * may be assigned one), by display name.  For an admin, and for the
 * team's own people (a token of the team whose role works on cases);
 * ENGINE_ENOTFOUND for a team that does not exist.
 */
int	 engine_team_people(struct engine *, const struct actor *,
	    const char *team, int64_t now, store_token_cb *, void *,
	    struct engine_error *);
/*
 * Routes (engine_join.c): which team fills a function of the workflows
 * (enforcement, housing fraud) for an owning team or organisation, so
 * that a case that escalates joins it.  Set, removed (by rt_id; rt is
 * filled with what it was) and listed by role admin; every change is
 * logged, and listed with log set.  A route set brings its team into
 * the open cases that wait, marked unrouted, for it: *joined says how
 * many.
 */
int	 engine_route_set(struct engine *, const struct actor *,
	    struct route_row *, int64_t now, size_t *joined,
	    struct engine_error *);
int	 engine_route_remove(struct engine *, const struct actor *,
	    struct route_row *, int64_t now, struct engine_error *);
int	 engine_routes(struct engine *, const struct actor *, int log,
	    store_route_cb *, void *, struct engine_error *);
/* Note when tokens were last used; runs its own transaction. */
int	 engine_tokens_used(struct engine *, const int64_t *tokens,
	    const int64_t *at, size_t);
/*
 * When a token made now expires: a date (the end of that day), a period
 * from now (P90D, "1 year"), or "never" (0); NULL: the default, a year.
 */
#define TOKEN_EXPIRY_DEFAULT	"P1Y"
int	 engine_token_expiry(const char *, int64_t now, int64_t *,
	    struct engine_error *);

/*
 * Retention: destroy up to max closed cases whose retention period has
 * ended (the workflow's "retention"), each leaving a tombstone; with
 * dry_run set, only say which.  cb hears of each.  Returns the number
 * destroyed (or that would be), or -1.
 */
int	 engine_retention_run(struct engine *, const struct actor *, int64_t now,
	    size_t max, int dry_run, store_case_cb *, void *,
	    struct engine_error *);
/*
 * Whether the bytes of every case destroyed are gone from the store's
 * files (1), or may still be there (0): a reader held a snapshot older
 * than the destruction, and the store tries again until it ends or its
 * scrub_timeout passes (store_scrub).  A run that is not a dry run asks
 * again for what an earlier one could not finish.
 */
int	 engine_scrubbed(struct engine *);

/*
 * Reads of a case, for an actor: every read of a case by a person goes
 * through here.  ENGINE_ENOTFOUND when there is no such case or the actor
 * may not see it (the same answer, so that nothing leaks), ENGINE_EFORBIDDEN
 * for a token that sees no case content (admin).
 */
int	 engine_case_read(struct engine *, const struct actor *, int64_t id,
	    struct case_row *, struct engine_error *);
/*
 * The read log: that the actor read (what) of a case, written in the
 * caller's transaction, so that a read is answered only when its row is
 * kept ("no log, no read").
 */
int	 engine_read_log(struct engine *, const struct actor *, int64_t id,
	    const char *what, int64_t now, struct engine_error *);
/*
 * Whether the actor may see who read the case and export it: a supervisor
 * of the team that owns it.
 */
int	 engine_may_oversee(const struct actor *, const struct case_row *,
	    struct engine_error *);
/* The cases the actor may see that match a filter, in id order. */
int	 engine_case_list(struct engine *, const struct actor *,
	    const struct case_filter *, store_case_cb *, void *,
	    struct engine_error *);
/* Up to limit transitions of a case the actor read, after a cursor. */
int	 engine_case_history(struct engine *, const struct case_row *,
	    int64_t after, int limit, store_transition_cb *, void *,
	    struct engine_error *);

const struct workflow *engine_case_workflow(struct engine *,
	    const struct case_row *);

/*
 * engine_penalty.c: where a case's penalty stands, derived when read (1:
 * it has or had one; 0: none; -1: the store failed); and whether an event
 * dated date that enters state to comes too early to start its penalty
 * (1, with why in buf).
 */
struct case_penalty {
	const struct wf_state	*cp_state;
	const struct wf_penalty	*cp_penalty;
	int64_t			 cp_first_at;	/* the first day begins */
	struct penalty_tally	 cp_tally;
	char			 cp_err[128];	/* the fixing date failed */
};
int	 engine_case_penalty(struct engine *, const struct case_row *,
	    int64_t now, struct case_penalty *);
int	 engine_penalty_premature(struct engine *, const struct case_row *,
	    const struct wf_state *to, int64_t date, char *buf, size_t len);
/*
 * The due moment of a stored deadline, derived from its budget, with its
 * explanation; NULL model when the workflow no longer describes it.
 */
const struct wf_deadline *engine_deadline_model(const struct workflow *,
	    const struct deadline_row *);
int	 engine_deadline_due(const struct wf_deadline *,
	    const struct deadline_row *, struct due *, char *, size_t);
/*
 * Record every workflow version of the registry in the store, so that cases
 * stay pinned to it across restarts; -1 with errors when a name and version
 * already in the store has other content.  Runs its own transaction.
 */
int	 engine_pin_workflows(struct engine *, struct registry *, int64_t now,
	    struct errlist *);
/* Load the pinned versions the registry lacks from the store. */
int	 engine_load_pinned(struct engine *, struct registry *,
	    struct errlist *);
/*
 * The workflows to run on: every version the store keeps, and each file
 * of dir that agrees with them; a file that has errors, or other text for a
 * version the store keeps, is refused on its own (files says which and
 * why, "raise version to N").  The versions new in the files are stored.
 * NULL, with errs, when the store could not be read or written.
 */
struct registry *engine_load_workflows(struct engine *, const char *dir,
	    int64_t now, struct wf_files *, struct errlist *);
/*
 * A check of the files of dir, all or nothing as registry_load_dir, and
 * with an engine (not NULL) also against the versions its store keeps,
 * which it only reads: -1 with every error.
 */
int	 engine_check_workflows(struct engine *, const char *dir,
	    struct errlist *);

#endif /* TERMIJN_ENGINE_H */
