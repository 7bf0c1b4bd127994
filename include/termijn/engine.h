/* termijn: the engine applies events and deadlines to cases. */
#ifndef TERMIJN_ENGINE_H
#define TERMIJN_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/store.h"

struct due;
struct errlist;
struct registry;
struct wf_deadline;
struct workflow;

enum engine_status {
	ENGINE_OK = 0,
	ENGINE_EINVAL,		/* bad input: 400 */
	ENGINE_ENOTFOUND,	/* no such case: 404 */
	ENGINE_ECONFLICT,	/* event not accepted in this state: 409 */
	ENGINE_EFORBIDDEN,	/* the token's role may not do this: 403 */
	ENGINE_EFULL,		/* storage full: 503 */
	ENGINE_ESTORE,		/* storage failed: 500 */
	ENGINE_EMODEL,		/* the workflow does not describe what is stored: 500 */
};

struct engine_error {
	enum engine_status	 ee_status;
	char			 ee_msg[256];
	char			 ee_state[STORE_NAME_LEN];	/* for conflicts */
	struct rung_row		 ee_rung;	/* engine_fire_due: the rung that failed */
};

/*
 * A line for syslog about a transition or a rung, kept until the caller
 * knows whether the transaction committed.  Ids and names only.
 */
struct engine_logline {
	char	el_text[384];
};

struct engine {
	struct store		*en_store;
	struct registry		*en_registry;
	struct engine_logline	*en_log;
	size_t			 en_nlog;
	size_t			 en_caplog;
	int			 en_settle_max;	/* transitions per case per call */
	int64_t			 en_fired_due_min; /* earliest due of the last
						      engine_fire_due */
	int			 en_decree_refuse; /* refuse client writes whose
						      dates need unknown decree
						      data */
	int			 en_client;	/* inside a client's write */
	int64_t			 en_queued_min;	/* earliest rung queued in this
						   engine_fire_due */
};

struct case_input {
	const char	*ci_workflow;
	const char	*ci_reference;
	const char	*ci_team;
	int64_t		 ci_started_at;		/* 0: now */
};

void	 engine_init(struct engine *, struct store *, struct registry *);
void	 engine_free(struct engine *);
void	 engine_set_registry(struct engine *, struct registry *);

/*
 * The following run inside a write transaction that the caller opened
 * (store_begin), so that several writes share one commit.
 */
int	 engine_case_create(struct engine *, const struct case_input *,
	    const char *actor, int64_t now, int64_t *id, struct engine_error *);
/* An event as a client records it: who, with what note and date. */
struct event_input {
	const char	*ev_name;
	const char	*ev_note;	/* or NULL */
	int64_t		 ev_date;	/* a date the event carries, or 0 */
	const char	*ev_actor;	/* the token's name */
	const char	*ev_role;	/* the token's role */
};

int	 engine_case_event(struct engine *, int64_t id,
	    const struct event_input *, int64_t now, struct engine_error *);
/* Fire up to max rungs (deadlines passing, reminders, follow-ups) due at or before now, in order. */
int	 engine_fire_due(struct engine *, int64_t now, size_t max,
	    size_t *fired, struct engine_error *);

/*
 * When engine_fire_due fails for anything but the store (ee_status is not
 * ENGINE_ESTORE or ENGINE_EFULL), roll back and set ee_rung aside in a
 * transaction of its own, then fire again.
 */
int	 engine_set_aside(struct engine *, const struct rung_row *, int64_t now,
	    struct engine_error *);
int	 engine_error_is_store(const struct engine_error *);

/* Log lines: mark before a savepoint, cut back on its rollback. */
size_t	 engine_log_mark(struct engine *);
void	 engine_log_cut(struct engine *, size_t);
/* After commit: hand each line to the logger, then forget them. */
void	 engine_log_flush(struct engine *);

const struct workflow *engine_case_workflow(struct engine *,
	    const struct case_row *);
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

#endif /* TERMIJN_ENGINE_H */
