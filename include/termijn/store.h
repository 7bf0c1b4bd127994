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

struct deadline_row {
	int64_t	d_id;
	int64_t	d_case;
	char	d_name[STORE_NAME_LEN];
	char	d_state[STORE_NAME_LEN];	/* state it belongs to */
	char	d_then[STORE_NAME_LEN];		/* state it leads to */
	char	d_period[24];			/* ISO 8601, e.g. P6W */
	char	d_rule[16];
	char	d_kind[16];
	int64_t	d_anchor;
	int64_t	d_due;				/* derived from the budget */
	int	d_active;
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

/* Write transactions: BEGIN IMMEDIATE ... COMMIT, savepoints inside. */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
void	 store_rollback(struct store *);
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
int	 store_deadlines_of_case(struct store *, int64_t, int active_only,
	    int (*cb)(const struct deadline_row *, void *), void *);
int	 store_deadlines_stop(struct store *, int64_t case_id);
int	 store_deadline_get(struct store *, int64_t, struct deadline_row *);
/* Earliest due active deadline; STORE_ENOTFOUND when none. */
int	 store_deadline_next(struct store *, int64_t *due);
/* Up to max active deadlines due at or before now, earliest first. */
int	 store_deadlines_due(struct store *, int64_t now, struct deadline_row *,
	    size_t max, size_t *n);

int	 store_transition_insert(struct store *, struct transition_row *);
int	 store_transitions_of_case(struct store *, int64_t,
	    int (*cb)(const struct transition_row *, void *), void *);

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
