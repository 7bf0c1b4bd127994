/* termijn: what a store backend provides; only store.c and backends include this. */
#ifndef TERMIJN_STORE_BACKEND_H
#define TERMIJN_STORE_BACKEND_H

#include "termijn/store.h"

/*
 * A backend's own store begins with this, so that store.c can find the
 * table of its functions; each function receives the store it opened.
 */
struct store {
	const struct store_backend	*st_backend;
};

/* How a store is opened: store_open, store_open_readonly, store_open_serving. */
enum store_open_mode {
	STORE_OPEN_WRITE,
	STORE_OPEN_READONLY,
	STORE_OPEN_SERVE
};

/* One entry per function of store.h, with the same meaning. */
struct store_backend {
	const char	 *sb_name;
	/* Whether a location is this backend's (a URI scheme, a path). */
	int		(*sb_claims)(const char *);
	struct store	*(*sb_open)(const char *, enum store_open_mode, char *,
			    size_t);
	void		(*sb_close)(struct store *);
	const char	*(*sb_errmsg)(struct store *);
	int		(*sb_schema_version)(struct store *);
	enum store_status (*sb_upkeep_start)(struct store *, double, char *,
			    size_t);
	void		(*sb_upkeep_stop)(struct store *);
	void		(*sb_upkeep_stats)(struct store *,
			    struct upkeep_stats *);
	enum store_status (*sb_begin)(struct store *);
	enum store_status (*sb_commit)(struct store *);
	void		(*sb_rollback)(struct store *);
	enum store_status (*sb_savepoint)(struct store *);
	enum store_status (*sb_release)(struct store *);
	enum store_status (*sb_rollback_savepoint)(struct store *);
	enum store_status (*sb_lost)(struct store *);
	void		(*sb_busy_wait)(struct store *, int);
	void		(*sb_on_wait)(struct store *, void (*)(void *),
			    void *);
	void		(*sb_on_queued)(struct store *,
			    void (*)(void *, int64_t), void *);
	enum store_status (*sb_defer_sync)(struct store *, int);
	enum store_status (*sb_sync)(struct store *);
	enum store_status (*sb_read_begin)(struct store *);
	void		(*sb_read_end)(struct store *);
	enum store_status (*sb_case_insert)(struct store *, struct case_row *);
	enum store_status (*sb_case_get)(struct store *, int64_t,
			    struct case_row *);
	enum store_status (*sb_case_lock)(struct store *, int64_t,
			    struct case_row *);
	enum store_status (*sb_case_open_find)(struct store *, const char *,
			    const char *, const char *, struct case_row *);
	enum store_status (*sb_case_get_for)(struct store *, int64_t, int64_t,
			    struct case_row *);
	enum store_status (*sb_case_update_state)(struct store *,
			    const struct case_row *);
	enum store_status (*sb_case_list)(struct store *,
			    const struct case_filter *, store_case_cb *,
			    void *);
	enum store_status (*sb_deadline_insert)(struct store *,
			    struct deadline_row *);
	enum store_status (*sb_deadline_update)(struct store *,
			    const struct deadline_row *);
	enum store_status (*sb_deadlines_of_case)(struct store *, int64_t,
			    enum store_deadline_set, store_deadline_cb *,
			    void *);
	enum store_status (*sb_deadlines_stop)(struct store *, int64_t,
			    const char *);
	enum store_status (*sb_deadline_get)(struct store *, int64_t,
			    struct deadline_row *);
	enum store_status (*sb_deadline_find)(struct store *, int64_t,
			    const char *, struct deadline_row *);
	enum store_status (*sb_rung_insert)(struct store *,
			    const struct rung_row *);
	enum store_status (*sb_rung_next)(struct store *, int64_t *);
	enum store_status (*sb_rungs_claim)(struct store *, int64_t,
			    struct rung_row *, size_t, size_t *);
	enum store_status (*sb_rungs_unclaim)(struct store *,
			    struct rung_row *, size_t);
	enum store_status (*sb_rung_first_of_case)(struct store *, int64_t,
			    struct rung_row *);
	enum store_status (*sb_rung_mark_fired)(struct store *,
			    const struct rung_row *, int64_t, int, int);
	enum store_status (*sb_rungs_cancel)(struct store *, int64_t, int64_t,
			    const char *);
	enum store_status (*sb_rung_forget)(struct store *, int64_t,
			    const char *);
	enum store_status (*sb_rungs_hand_over)(struct store *, int64_t,
			    const char *);
	enum store_status (*sb_rung_last_seq)(struct store *, int64_t,
			    const char *, int *, int *);
	enum store_status (*sb_rungs_of_deadline)(struct store *, int64_t,
			    store_rung_cb *, void *);
	enum store_status (*sb_notification_insert)(struct store *,
			    struct notification_row *);
	enum store_status (*sb_notifications_of_case)(struct store *, int64_t,
			    store_notification_cb *, void *);
	enum store_status (*sb_transition_last_at)(struct store *, int64_t,
			    int64_t *);
	enum store_status (*sb_transition_last)(struct store *, int64_t,
			    struct transition_row *);
	enum store_status (*sb_undo_put)(struct store *, int64_t, int64_t,
			    const char *);
	enum store_status (*sb_undo_get)(struct store *, int64_t, int64_t *,
			    char **);
	enum store_status (*sb_chain_head)(struct store *, int64_t *,
			    unsigned char *);
	enum store_status (*sb_chain_walk)(struct store *, store_chain_cb *,
			    void *);
	enum store_status (*sb_chain_encoding)(struct store *, int64_t *);
	enum store_status (*sb_chain_append)(struct store *,
			    struct transition_row *, store_seal_cb *, void *);
	enum store_status (*sb_chain_append_mark)(struct store *,
			    struct chain_mark_row *, store_seal_mark_cb *,
			    void *);
	enum store_status (*sb_case_facts)(struct store *, store_fact_cb *,
			    void *);
	enum store_status (*sb_transitions_of_case)(struct store *, int64_t,
			    int64_t, int, store_transition_cb *, void *);
	enum store_status (*sb_team_insert)(struct store *,
			    const struct team_row *);
	enum store_status (*sb_team_get)(struct store *, const char *,
			    struct team_row *);
	enum store_status (*sb_teams_each)(struct store *, store_team_cb *,
			    void *);
	enum store_status (*sb_route_set)(struct store *, struct route_row *);
	enum store_status (*sb_route_remove)(struct store *,
			    struct route_row *);
	enum store_status (*sb_route_find)(struct store *, const char *,
			    const char *, const char *, struct route_row *);
	enum store_status (*sb_routes_each)(struct store *, int,
			    store_route_cb *, void *);
	enum store_status (*sb_unrouted_count)(struct store *, int64_t *);
	enum store_status (*sb_unrouted_cases)(struct store *, int64_t, int,
			    store_case_cb *, void *);
	enum store_status (*sb_token_insert)(struct store *, struct token_row *,
			    const unsigned char *);
	enum store_status (*sb_token_lookup)(struct store *,
			    const unsigned char *, int64_t,
			    struct token_row *);
	enum store_status (*sb_token_by_name)(struct store *, const char *,
			    int64_t, struct token_row *);
	enum store_status (*sb_token_revoke)(struct store *, const char *,
			    int64_t);
	enum store_status (*sb_token_touch)(struct store *, int64_t, int64_t);
	enum store_status (*sb_token_set_display_name)(struct store *,
			    const char *, const char *, int64_t);
	enum store_status (*sb_team_tokens)(struct store *, const char *,
			    int64_t, store_token_cb *, void *);
	enum store_status (*sb_tokens_each)(struct store *, store_token_cb *,
			    void *);
	enum store_status (*sb_token_count)(struct store *, int64_t *);
	enum store_status (*sb_participant_add)(struct store *,
			    struct participant_row *);
	enum store_status (*sb_participant_end)(struct store *, int64_t,
			    const char *, int64_t);
	enum store_status (*sb_participants_of_case)(struct store *, int64_t,
			    int, store_participant_cb *, void *);
	enum store_status (*sb_overdue)(struct store *,
			    const struct view_filter *,
			    store_case_deadline_cb *, void *);
	enum store_status (*sb_at_risk)(struct store *,
			    const struct view_filter *,
			    const struct risk_window *,
			    store_case_deadline_cb *, void *);
	enum store_status (*sb_suspended)(struct store *,
			    const struct view_filter *,
			    store_case_deadline_cb *, void *);
	enum store_status (*sb_summary)(struct store *,
			    const struct view_filter *,
			    const struct risk_window *, store_summary_cb *,
			    void *);
	enum store_status (*sb_queue)(struct store *,
			    const struct view_filter *,
			    const struct queue_state *, size_t, store_case_cb *,
			    void *);
	enum store_status (*sb_report_deadlines)(struct store *,
			    const struct view_filter *, int64_t, int64_t,
			    store_case_deadline_cb *, void *);
	enum store_status (*sb_report_closed)(struct store *,
			    const struct view_filter *, int64_t, int64_t,
			    store_case_cb *, void *);
	enum store_status (*sb_outbox_insert)(struct store *,
			    struct outbox_row *);
	enum store_status (*sb_outbox_due)(struct store *, int64_t, int,
			    store_outbox_cb *, void *);
	enum store_status (*sb_outbox_next)(struct store *, int64_t,
			    int64_t *);
	enum store_status (*sb_outbox_get)(struct store *, int64_t,
			    store_outbox_cb *, void *);
	enum store_status (*sb_outbox_update)(struct store *,
			    const struct outbox_row *);
	enum store_status (*sb_outbox_list)(struct store *, const char *,
			    int64_t, int, store_outbox_cb *, void *);
	enum store_status (*sb_outbox_count)(struct store *, const char *,
			    int64_t *);
	enum store_status (*sb_outbox_of_case)(struct store *, int64_t,
			    store_outbox_cb *, void *);
	enum store_status (*sb_read_insert)(struct store *, struct read_row *);
	enum store_status (*sb_reads_of_case)(struct store *, int64_t, int64_t,
			    int, store_read_cb *, void *);
	enum store_status (*sb_cases_closed_before)(struct store *,
			    const char *, int, int64_t, int, store_case_cb *,
			    void *);
	enum store_status (*sb_case_destroy)(struct store *,
			    const struct tombstone_row *);
	enum store_status (*sb_tombstone_get)(struct store *, int64_t,
			    struct tombstone_row *);
	enum store_status (*sb_scrub)(struct store *);
	enum store_status (*sb_idem_get)(struct store *, int64_t, const char *,
			    char *, int *, char **, char *);
	enum store_status (*sb_idem_put)(struct store *, int64_t, const char *,
			    const char *, int, const char *, const char *,
			    int64_t, int64_t);
	enum store_status (*sb_workflow_put)(struct store *, const char *, int,
			    const char *, const char *, size_t, int64_t);
	enum store_status (*sb_workflow_digest)(struct store *, const char *,
			    int, char *);
	enum store_status (*sb_workflows_each)(struct store *,
			    store_workflow_cb *, void *);
	enum store_status (*sb_exists)(const char *, char *, size_t);
	enum store_status (*sb_backup)(const char *, const char *, char *,
			    size_t);
	enum store_status (*sb_check)(struct store *, char *, size_t);
	enum store_status (*sb_write_probe)(struct store *);
	enum store_status (*sb_case_counts)(struct store *, store_count_cb *,
			    void *);
	enum store_status (*sb_rung_counts)(struct store *, int64_t, int64_t *,
			    int64_t *);
};

/* store_sqlite.c: SQLite, the embedded default. */
extern const struct store_backend store_sqlite_backend;

#endif /* TERMIJN_STORE_BACKEND_H */
