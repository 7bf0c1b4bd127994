/* termijn: every effect of a case, written in the caller's transaction. */
#ifndef TERMIJN_RECORD_H
#define TERMIJN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/store.h"

/*
 * What the engine does to a case leaves its traces here, and only here:
 * the transition rows of its history, linked into the audit chain (each
 * carries the hash of the one before, audit.c), the notifications its
 * rungs send, and one syslog line each.  The rows go into the store in the caller's
 * transaction; the lines wait until the caller knows that transaction
 * committed, so that syslog never tells of something that did not happen.
 * Lines carry ids, names and states, never a note.
 */
enum transition_cause {
	CAUSE_CREATE,		/* the case was registered */
	CAUSE_EVENT,		/* a person recorded an event */
	CAUSE_DEADLINE,		/* a deadline passed */
	CAUSE_SHARE,		/* another team takes part, on a legal basis */
	CAUSE_UNSHARE,		/* a team no longer takes part */
	CAUSE_COORDINATE,	/* another team coordinates the case */
	CAUSE_ASSIGN,		/* a person picks the case up, or lets go */
	CAUSE_CORRECTION,	/* a mistaken event or deadline passing undone */
};

struct transition_input {
	int64_t			 ti_case;
	const char		*ti_workflow;
	int			 ti_version;
	const char		*ti_from;	/* NULL when the case is created */
	const char		*ti_to;
	enum transition_cause	 ti_cause;
	const char		*ti_event;	/* the event or the deadline, or NULL */
	const char		*ti_actor;
	const char		*ti_note;	/* or NULL */
	const char		*ti_basis;	/* the legal basis it shares on, or NULL */
	const char		*ti_detail;	/* whom it concerns (a team), or NULL */
	int			 ti_final;	/* closed after it */
	int64_t			 ti_at;		/* when it took effect */
	int64_t			 ti_recorded_at;	/* now */
};

/* A rung that fired: a reminder, the deadline itself, a follow-up. */
struct rung_input {
	int64_t		 ri_case;
	const char	*ri_workflow;
	const char	*ri_deadline;
	const char	*ri_rung;
	int64_t		 ri_rung_id;
	int		 ri_seq;
	const char	*ri_notify;	/* the role told, or NULL */
	int		 ri_missed;	/* occurrences it caught up for */
	int64_t		 ri_at;		/* its moment */
	int64_t		 ri_recorded_at;
	int64_t		 ri_notification;	/* out: the notification's id */
};

struct record;

struct record	*record_new(struct store *);
void	 record_free(struct record *);
/* Drop the lines instead of logging them (a simulation's throw-away cases). */
void	 record_set_quiet(struct record *, int);
const char *record_cause_name(enum transition_cause);

enum store_status record_transition(struct record *,
	    const struct transition_input *);
/*
 * A case destroyed at the end of its retention: the mark of it in the
 * chain, with its tombstone's facts (no personal data), and its line.
 */
enum store_status record_destroyed(struct record *,
	    const struct tombstone_row *);
/* The id of the transition record_transition recorded last. */
int64_t	 record_last_transition(const struct record *);
/* A rung's notification, if it tells a role, and its line. */
enum store_status record_rung(struct record *, struct rung_input *);
/*
 * A webhook to go out for a notification: the outbox row, in the same
 * transaction (the notifier delivers it when it is committed).
 */
enum store_status record_outbox(struct record *, struct outbox_row *);
/* Another line about a case: a deadline that passed, a date that may move. */
void	 record_note(struct record *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Lines: mark before a transaction or savepoint, cut back on its rollback. */
size_t	 record_mark(struct record *);
void	 record_cut(struct record *, size_t);
/* After commit: hand each line to syslog, then forget them. */
void	 record_flush(struct record *);
/* The same for the lines before a mark (a commit made durable later). */
void	 record_flush_to(struct record *, size_t);

#endif /* TERMIJN_RECORD_H */
