/* termijn: the engine's state, shared by engine.c and engine_batch.c only. */
#ifndef TERMIJN_ENGINE_PRIVATE_H
#define TERMIJN_ENGINE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/engine.h"
#include "termijn/i18n.h"

#include "termijn/record.h"

struct engine;
struct move;
struct workflow;
struct wf_deadline;
struct wf_rung;

#define ENGINE_ACTOR	"termijnd"	/* who timers act as, in the history */
#define RUNG_DUE	"due"		/* the rung of the deadline passing */

/*
 * What the core (engine.c) sets going in the files above it, which build
 * on it: engine_arrive, engine_webhooks, engine_undo_take,
 * engine_undo_passing and engine_undo_keep, below.  Set once in engine_new (engine_setup.c).
 */
struct engine_hooks {
	int	 (*eh_arrive)(struct engine *, struct case_row *,
		    const struct workflow *, const struct move *, int64_t at,
		    int64_t now, struct engine_error *);
	int	 (*eh_webhooks)(struct engine *, const struct case_row *,
		    const struct workflow *, const char *type,
		    const struct rung_input *, struct engine_error *);
	char	*(*eh_undo_take)(struct engine *, const struct case_row *,
		    int64_t passing, struct engine_error *);
	char	*(*eh_undo_passing)(struct engine *, const struct case_row *,
		    const struct deadline_row *);
	int	 (*eh_undo_keep)(struct engine *, int64_t case_id, char *,
		    struct engine_error *);
};

struct engine {
	struct store	*en_store;
	struct registry	*en_registry;
	const struct engine_hooks *en_above;	/* what the core calls up */
	struct record	*en_record;	/* every effect of a case goes here */
	int		 en_settle_max;	/* transitions per case per call */
	int64_t		 en_fire_slice;	/* ms a batch of firings may take */
	int		 en_decree_refuse; /* refuse client writes whose dates
					      need unknown decree data */
	int		 en_client;	/* inside a client's write */
	struct case_written *en_written; /* what the client's write wrote, for
					    its answer; or NULL */
	int64_t		 en_queued_min;	/* earliest rung queued while firing */
	uint64_t	 en_clock_corrections;	/* transitions dated later than
						   the clock said */
	uint64_t	 en_outbox_queued;	/* webhooks queued or retried */
	uint64_t	 en_unrouted;	/* joins no team filled (also in
					   transactions rolled back) */
	uint64_t	 en_joined;	/* teams brought in by a workflow */
	uint64_t	 en_busy_retries;	/* batches applied again, the
						   store having been busy */
	int64_t		 en_caused;	/* the last transition an event or a
					   deadline caused (what a correction
					   undoes), not the joins after it */
	int		 en_scrub;	/* a case was destroyed: scrub after
					   the commit */
	int		 en_deferred;	/* engine_defer_durable */
	struct hook {
		char	*hk_team;
		char	*hk_role;
	}		*en_hooks;	/* teams and roles with a webhook */
	size_t		 en_nhooks;
	char		*en_source;	/* CloudEvents "source" */
};

/*
 * What moves a case on, or keeps it in its state and records that something
 * happened (a suspension, an extension, a team taking part: to is NULL).
 */
struct move {
	enum transition_cause	 mv_cause;
	const char		*mv_to;		/* NULL: the case stays */
	const char		*mv_event;	/* the event, or the deadline passing */
	const char		*mv_actor;
	const char		*mv_note;	/* or NULL */
	const char		*mv_basis;	/* the legal basis of a sharing step */
	const char		*mv_detail;	/* whom it concerns: a team, a person */
	int64_t			 mv_deadline;	/* the deadline passing, or 0 */
	int64_t			 mv_at;		/* when it takes effect */
	int64_t			 mv_date;	/* a date the event carries, or 0 */
	const struct wf_event	*mv_model;	/* the event recorded, or NULL */
};

/* Record a transition of a case and all it sets going (engine.c). */
int	 engine_transition(struct engine *, struct case_row *,
	    const struct workflow *, const struct move *, int64_t now,
	    struct engine_error *);
/* A transition that records a sharing step and leaves the state (engine_access.c). */
int	 engine_share_move(struct engine *, struct case_row *,
	    const struct workflow *, const char *actor, enum transition_cause,
	    const char *team, const char *basis, const char *note, int64_t now,
	    struct engine_error *);
/*
 * engine_join.c: what entering a state (or recording an event) sets going
 * besides its deadline: the teams it brings in, the roles it tells.  In
 * the caller's transaction, before the case row is written.
 */
int	 engine_arrive(struct engine *, struct case_row *,
	    const struct workflow *, const struct move *, int64_t at,
	    int64_t now, struct engine_error *);

/*
 * engine_written.c: a deadline started and a rung queued (rc: how its
 * insert went), kept in en_written when a write keeps its rows.
 */
void	 engine_written_deadline(struct engine *,
	    const struct deadline_row *);
void	 engine_written_rung(struct engine *, const struct rung_row *,
	    enum store_status);

/* Extensions a deadline may have had, at most. */
#define MAX_EXTENSIONS	16

/*
 * engine.c, for engine_event.c: entering a state (at the moment entered;
 * its deadline anchored there, or at the date an event carries), and a deadline's due moment from its budget into
 * d->d_due, refused as configured when it needs decree data not known.
 */
int	 engine_enter_state(struct engine *, struct case_row *,
	    const struct workflow *, const char *state, int64_t entered,
	    int64_t event_date, struct engine_error *);
int	 engine_budget_due(struct engine *, const struct wf_deadline *,
	    struct deadline_row *, char *err, size_t errlen);

/* The moment a transition of a case takes effect: never before the last. */
int64_t	 engine_history_at(struct engine *, int64_t case_id, int64_t at,
	    struct engine_error *);
/* Queue the pending rungs of a running deadline, held by a state. */
int	 engine_schedule_rungs(struct engine *, const struct deadline_row *,
	    int fresh, const struct wf_deadline *, const char *holder,
	    struct engine_error *);
/* Fire what fell due for one case before now, in order. */
int	 engine_settle(struct engine *, int64_t case_id, int64_t now,
	    struct engine_error *);

/*
 * engine_correct.c: what a transition is about to change, kept so that a
 * correction can restore it (engine_undo_take gives it, engine_undo_passing
 * for a deadline passing that changes no other deadline; engine_undo_keep
 * stores it for the transition just recorded, and frees it).
 */
char	*engine_undo_take(struct engine *, const struct case_row *,
	    int64_t passing, struct engine_error *);
char	*engine_undo_passing(struct engine *, const struct case_row *,
	    const struct deadline_row *);
int	 engine_undo_keep(struct engine *, int64_t case_id, char *,
	    struct engine_error *);

/*
 * " (did you mean \"x\"?)", in the reader's language, when a candidate is
 * close to word, else "".
 */
void	 engine_did_you_mean(char *, size_t, const char *,
	    const char *const *, size_t);
/* A store's failure while doing what (English, N_()), which is translated. */
int	 engine_store_error(struct engine_error *, enum store_status,
	    const char *);

/*
 * engine_notify.c: a notification's webhooks, into the outbox; type is
 * the CloudEvents type.
 */
int	 engine_webhooks(struct engine *, const struct case_row *,
	    const struct workflow *, const char *type,
	    const struct rung_input *, struct engine_error *);

/* engine_access.c: who may see and do what. */
int	 engine_list_has(const char *, const char *);
int	 engine_actor_in_team(const struct actor *, const char *);
int	 engine_may_act(const struct actor *, struct engine_error *);
int	 engine_may_see(const struct actor *, struct engine_error *);
int	 engine_must_be_admin(const struct actor *, struct engine_error *);
int	 engine_token_teams(struct engine *, struct token_row *,
	    struct engine_error *);
int	 engine_known_team(struct engine *, const char *, struct team_row *,
	    struct engine_error *);
int	 engine_known_organisation(struct engine *, const char *,
	    struct engine_error *);
int	 engine_strcmp(const void *, const void *);
int	 engine_basis_check(const struct workflow *, char *const *, size_t,
	    const char *, const char *, struct engine_error *);
/*
 * Free text a client gives (a note, a purpose), or NULL: refused
 * (ENGINE_EINVAL, naming field and limit) unless it is UTF-8 of at most
 * max bytes (text_check).  Every engine function that stores free text
 * checks it here, whatever checked it before.
 */
int	 engine_text(const char *field, const char *, size_t max,
	    struct engine_error *);

/*
 * Fire up to max due rungs in the caller's transaction.  When one cannot
 * fire for anything but the store, -1 with that rung in *failed: the caller
 * rolls back, sets it aside (engine_set_aside, in a transaction of its
 * own) and fires again.
 */
int	 engine_fire_due(struct engine *, int64_t now, size_t max,
	    struct fire_result *, struct rung_row *failed,
	    struct engine_error *);
/* Mark a rung that cannot fire as skipped, so that it holds nothing up. */
int	 engine_set_aside(struct engine *, const struct rung_row *, int64_t now,
	    struct engine_error *);
int	 engine_error_is_store(const struct engine_error *);

#endif /* TERMIJN_ENGINE_PRIVATE_H */
