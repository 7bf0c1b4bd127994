/* termijn: the store, SQLite behind a narrow interface. */
#ifndef TERMIJN_STORE_H
#define TERMIJN_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_NAME_LEN	65	/* names, references, teams: at most 64 bytes */
/*
 * Functions return 0 on success, STORE_ENOTFOUND (positive) when a row does
 * not exist, -STORE_EFULL when the disk or database is full (answer 503),
 * and -1 on any other failure (logged with sqlite3_errmsg).
 */
#define STORE_ENOTFOUND	1
#define STORE_EFULL	2

struct store;

struct case_row {
	int64_t	c_id;
	char	c_workflow[STORE_NAME_LEN];
	int	c_version;
	char	c_reference[STORE_NAME_LEN];
	char	c_team[STORE_NAME_LEN];
	char	c_state[STORE_NAME_LEN];
	int64_t	c_started_at;
	int64_t	c_state_since;
	int64_t	c_created_at;
	int64_t	c_updated_at;
	int	c_final;
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
};

struct transition_row {
	int64_t	t_id;
	int64_t	t_case;
	int64_t	t_at;			/* effective moment */
	int64_t	t_recorded_at;		/* when it was committed */
	char	t_from[STORE_NAME_LEN];	/* "" when the case was created */
	char	t_to[STORE_NAME_LEN];
	char	t_cause[16];		/* "create", "event", "deadline" */
	char	t_event[STORE_NAME_LEN];	/* event or deadline name */
	char	t_actor[STORE_NAME_LEN];
	char	t_note[1025];		/* never leaves the database but via the API */
};

struct case_filter {
	const char	*cf_state;
	const char	*cf_workflow;
	const char	*cf_team;
	int64_t		 cf_after;	/* cursor: ids greater than this */
	int		 cf_limit;
};

struct token_row {
	int64_t	tk_id;
	char	tk_name[STORE_NAME_LEN];
	char	tk_role[STORE_NAME_LEN];
};

/* Open (creating if needed) and migrate; NULL with a message on failure. */
struct store	*store_open(const char *path, char *err, size_t errlen);
void	 store_close(struct store *);
const char *store_errmsg(struct store *);
int	 store_schema_version(struct store *);
/* Checkpoint the WAL every ms milliseconds on a thread of its own. */
int	 store_checkpointer_start(struct store *, const char *path, int ms,
	    char *err, size_t errlen);
void	 store_checkpointer_stop(struct store *);

/* Write transactions: BEGIN IMMEDIATE ... COMMIT, savepoints inside. */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
void	 store_rollback(struct store *);
int	 store_in_transaction(struct store *);
/* A read transaction: one snapshot, one read lock, for several reads. */
int	 store_read_begin(struct store *);
void	 store_read_end(struct store *);
int	 store_savepoint(struct store *);
int	 store_release(struct store *);
void	 store_rollback_savepoint(struct store *);

int	 store_case_insert(struct store *, struct case_row *);
int	 store_case_get(struct store *, int64_t, struct case_row *);
int	 store_case_update_state(struct store *, const struct case_row *);
/* Calls cb for each matching case in id order; returns the count or -1. */
int	 store_case_list(struct store *, const struct case_filter *,
	    int (*cb)(const struct case_row *, void *), void *);

int	 store_deadline_insert(struct store *, struct deadline_row *);
int	 store_deadline_update(struct store *, const struct deadline_row *);
/*
 * The deadlines of a case; with current set, those that run, are
 * suspended, passed without moving the case, or still have rungs to fire
 * (a passed deadline's follow-ups).
 */
int	 store_deadlines_of_case(struct store *, int64_t, int current,
	    int (*cb)(const struct deadline_row *, void *), void *);
/* Stop the deadlines of a state (NULL: every deadline of the case). */
int	 store_deadlines_stop(struct store *, int64_t case_id, const char *state);
int	 store_deadline_get(struct store *, int64_t, struct deadline_row *);
/* The active deadline of a case with this name; STORE_ENOTFOUND if none. */
int	 store_deadline_find(struct store *, int64_t case_id, const char *,
	    struct deadline_row *);

/* Rungs: the scheduler's queue and the ledger of what fired. */
/* Queue a rung occurrence; STORE_ENOTFOUND when it was there already. */
int	 store_rung_insert(struct store *, const struct rung_row *);
/* Earliest pending rung; STORE_ENOTFOUND when none. */
int	 store_rung_next(struct store *, int64_t *due);
/* Up to max pending rungs due at or before now, earliest first. */
int	 store_rungs_due(struct store *, int64_t now, struct rung_row *,
	    size_t max, size_t *n);
/* The earliest pending rung of one case. */
int	 store_rung_first_of_case(struct store *, int64_t, struct rung_row *);
/* Claim a pending rung; STORE_ENOTFOUND when it already fired. */
int	 store_rung_fire(struct store *, const struct rung_row *, int64_t at,
	    int missed, int skipped);
int	 store_rungs_cancel(struct store *, int64_t case_id, int64_t deadline,
	    const char *holder);
int	 store_rungs_hand_over(struct store *, int64_t deadline, const char *);
/* Highest occurrence recorded for a rung of a deadline (0: none), and how many are pending. */
int	 store_rung_last_seq(struct store *, int64_t deadline, const char *,
	    int *, int *);
int	 store_rungs_of_deadline(struct store *, int64_t,
	    int (*cb)(const struct rung_row *, void *), void *);
int	 store_notification_insert(struct store *, struct notification_row *);
int	 store_notifications_of_case(struct store *, int64_t,
	    int (*cb)(const struct notification_row *, void *), void *);

int	 store_transition_insert(struct store *, struct transition_row *);
/* Up to limit transitions of a case with ids after the cursor, in order. */
int	 store_transitions_of_case(struct store *, int64_t, int64_t after,
	    int limit, int (*cb)(const struct transition_row *, void *), void *);

int	 store_token_insert(struct store *, const char *name, const char *role,
	    const unsigned char hash[32], int64_t now);
int	 store_token_lookup(struct store *, const unsigned char hash[32],
	    struct token_row *);
int	 store_token_count(struct store *, int64_t *);

/* Idempotency: the first answer to (token, key), and the request it answered. */
int	 store_idem_get(struct store *, int64_t token, const char *key,
	    char reqhash[65], int *status, char **body);
int	 store_idem_put(struct store *, int64_t token, const char *key,
	    const char *reqhash, int status, const char *body, int64_t now);

/* Workflow versions that cases are pinned to, with their source. */
int	 store_workflow_put(struct store *, const char *name, int version,
	    const char *digest, const char *source, size_t len, int64_t now);
int	 store_workflow_digest(struct store *, const char *name, int version,
	    char digest[65]);
int	 store_workflows_each(struct store *,
	    int (*cb)(const char *name, int version, const char *source,
	    size_t len, void *), void *);

#endif /* TERMIJN_STORE_H */
