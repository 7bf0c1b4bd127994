/* termijn: the workflow model and its strict YAML loader. */
#ifndef TERMIJN_WORKFLOW_H
#define TERMIJN_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/hash.h"
#include "termijn/period.h"

struct errlist;

#define WF_NAME_MAX		64	/* names: [a-z][a-z0-9_]* */
#define WF_MAX_FILE_SIZE	(256 * 1024)
#define WF_MAX_DEPTH		16
#define WF_MAX_STATES		256
#define WF_MAX_EVENTS		64	/* per state */
#define WF_MAX_RUNGS		32	/* per deadline */
#define WF_MAX_CASE_DEADLINES	64
#define WF_MAX_BASES		64
#define WF_MAX_JOINS		8	/* per state or event */
#define WF_TITLE_MAX		100	/* characters of a title */
#define WF_MAX_TIERS		8	/* per penalty */
#define WF_TIER_MAX_DAYS	10000
#define WF_TIER_MAX_CENTS	100000000	/* EUR 1,000,000.00 a day */

/* Whether a deadline has legal effect; queries and escalations tell them apart. */
enum deadline_kind {
	DK_AGREEMENT,
	DK_STATUTORY,
	DK_DECISION,
	DK_SERVICE_NORM,
};

/* When a rung fires, relative to its deadline's due moment. */
enum rung_when {
	RW_BEFORE,		/* a reminder */
	RW_AT,			/* at the due moment itself */
	RW_AFTER,		/* a follow-up */
};

/* After downtime: replay every missed occurrence in order, or the latest only. */
enum rung_catch_up {
	CU_REPLAY,
	CU_LATEST,
};

/*
 * A rung of an escalation ladder: a reminder before the deadline or a
 * follow-up after it.  It tells a role, and may start case deadlines (a
 * forfeited penalty starts its payment period).  A repeating rung fires
 * every wr_every after its first moment, wr_max times at most.
 */
struct wf_rung {
	char			*wr_name;	/* unique within its deadline */
	char			*wr_title;	/* as people read it: given, or
						   made in Dutch from when it
						   fires (workflow_title.c) */
	enum rung_when		 wr_when;
	struct period_spec	 wr_offset;	/* how long before or after;
						   unused for RW_AT */
	char			*wr_notify;	/* role told, or NULL */
	struct period		 wr_every;	/* p_count 0: fires once */
	int			 wr_max;	/* occurrences, >= 1 */
	enum rung_catch_up	 wr_catch_up;
	char			**wr_start;	/* case deadlines started each time */
	size_t			 wr_nstart;
	int			 wr_line;
};

/* What a deadline counts from. */
enum deadline_anchor {
	DA_STATE,		/* the moment its state was entered (default) */
	DA_EVENT_DATE,		/* the date carried by the event that entered it */
	DA_STARTED,		/* the case's started_at */
};

struct wf_deadline {
	char			*wd_name;	/* defaults to the state's name */
	char			*wd_title;	/* as people read it, or NULL;
						   the state's title when the
						   name is the state's */
	struct period_spec	 wd_spec;
	enum deadline_kind	 wd_kind;
	char			*wd_then;	/* state entered when it passes;
						   NULL: the case stays (only its
						   rungs fire); always NULL for
						   case deadlines */
	enum deadline_anchor	 wd_anchor;
	/* Suspension (Awb 4:15): whether the day it ends counts as suspended. */
	int			 wd_resume_day_suspended;
	struct wf_rung		*wd_rungs;
	size_t			 wd_nrungs;
	int			 wd_line;	/* 1-based, for messages */
};

/*
 * Another team brought into a case (a sharing step): the team that fills
 * wj_function for the case's owning team, as the administrator routed it
 * (engine_join.c), takes part on a legal basis, for a purpose, and may
 * become the coordinator.  Declared on a state (on entering it, for any
 * cause) or on an event (recording it).
 */
struct wf_join {
	char	*wj_function;	/* a name the administrator routes to a team */
	char	*wj_title;	/* what people call it, in Dutch, or NULL */
	char	*wj_basis;	/* an id of wf_bases; NULL: the basis the
				   sharing event was given */
	char	*wj_purpose;	/* why, in Dutch */
	int	 wj_coordinator;	/* the team coordinates the case */
	int	 wj_line;
};

/* What an event does. */
enum wf_action {
	WA_MOVE,		/* to another state: we_to */
	WA_SUSPEND,		/* suspend we_deadline; the case stays */
	WA_RESUME,		/* resume we_deadline */
	WA_EXTEND,		/* extend we_deadline by we_by */
};

struct wf_event {
	char		*we_name;
	char		*we_title;	/* as people read it, or NULL */
	char		*we_to;		/* WA_MOVE only */
	enum wf_action	 we_action;
	char		*we_deadline;	/* suspend, resume, extend */
	struct period	 we_by;		/* extend: by how long */
	int		 we_max;	/* extend: how often at most per case */
	int		 we_reason;	/* a reason (the note) is required */
	int		 we_date;	/* the event carries a date (required) */
	char		**we_roles;	/* roles allowed; none: any role */
	size_t		 we_nroles;
	/*
	 * A sharing step: it passes information to another team, so a request
	 * recording it names one of these bases (ids of wf_bases, each once).
	 * None: the event shares nothing.
	 */
	char		**we_shares;
	size_t		 we_nshares;
	struct wf_join	*we_joins;	/* teams the event brings in */
	size_t		 we_njoins;
	int		 we_line;
	int		 we_col;
};

/* One tier of a penalty: so many days at so much a day. */
struct wf_penalty_tier {
	int		 wt_days;	/* >= 1 */
	int64_t		 wt_cents;	/* per day, in euro cents, >= 1 */
	int		 wt_line;
};

/*
 * A penalty that accrues per calendar day while a case waits in a state
 * after the state's deadline passed, until the case leaves it (the
 * dwangsom bij niet tijdig beslissen, Awb 4:17): so much a day for the
 * days of the first tier, then the next, at most the days of all tiers
 * together.  The days are calendar days, never shifted (4:17 lid 1 rules
 * the Atw out).  The amount is fixed within wn_fix after the last day it
 * was due (Awb 4:18).  Nothing is stored while it runs: penalty.c derives
 * the amount from the deadline's due moment, the moment the case left the
 * state (or now) and these tiers.
 */
struct wf_penalty {
	char			*wn_title;	/* as people read it, or NULL */
	struct wf_penalty_tier	*wn_tiers;
	size_t			 wn_ntiers;
	int			 wn_max_days;	/* the days of all tiers */
	struct period_spec	 wn_fix;	/* p_count 0: not said */
	/*
	 * The deadline (of another state) that must have passed before the
	 * date an event entering the state carries: a notice of default
	 * received on or before the last day of the decision period starts
	 * nothing (Awb 4:17 lid 1), and the engine says so.  NULL: none.
	 */
	char			*wn_after;
	int			 wn_after_line;
	int			 wn_after_col;
	int			 wn_line;
};

struct wf_state {
	char			*ws_name;
	char			*ws_title;	/* as people read it, or NULL */
	int			 ws_final;
	struct wf_deadline	*ws_deadline;	/* NULL: none */
	struct wf_event		*ws_events;
	size_t			 ws_nevents;
	char			*ws_guidance;	/* the casebook's agreed way of
						   working here, or NULL */
	int			 ws_queue;	/* cases waiting here form a work
						   queue; never on a final state */
	struct wf_join		*ws_joins;	/* teams brought in on entering */
	size_t			 ws_njoins;
	char			**ws_notify;	/* roles told on entering */
	size_t			 ws_nnotify;
	struct wf_penalty	*ws_penalty;	/* accrues after the deadline
						   passed, or NULL */
	int			 ws_line;
};

/*
 * A legal basis (grondslag) on which the workflow may share information
 * with another team.  The municipality's privacy officer chooses them;
 * termijn records and enforces them, it does not judge them.
 */
struct wf_basis {
	char	*wb_id;			/* a name, unique in the workflow */
	char	*wb_title;		/* as people read it, or NULL */
	char	*wb_article;		/* what it rests on, e.g. "UAVG art.
					   31-33" */
	char	*wb_description;	/* one line, in Dutch */
	int	 wb_line;
};

struct workflow {
	/*
	 * Case deadlines: not tied to a state, started by rungs (a payment
	 * period per forfeited penalty), running until they pass.
	 */
	struct wf_deadline *wf_case_deadlines;
	size_t		 wf_ncase_deadlines;
	char		*wf_name;
	int		 wf_version;
	char		*wf_title;	/* as people read it, or NULL */
	char		*wf_start;
	struct wf_state	*wf_states;
	size_t		 wf_nstates;
	char		*wf_source;	/* the YAML text it was loaded from */
	size_t		 wf_sourcelen;
	char		 wf_digest[HASH_SHA256_HEX_LEN]; /* of the source */
	char		*wf_path;	/* file it came from, or NULL */
	int		 wf_stored;	/* read back from the store, where cases
					   may be pinned to it */
	char		**wf_roles;	/* the roles that take part */
	char		**wf_role_titles; /* parallel: each a title or NULL */
	size_t		 wf_nroles;
	struct wf_basis	*wf_bases;	/* in the order of the file */
	size_t		 wf_nbases;
	/*
	 * The bases on which another team may be added to a case as a
	 * participant, resolved when loading: the file's 'share_bases', or
	 * every declared basis when it has none.  Empty: no participant can
	 * be added (no bases, or 'share_bases: []').  Never "empty means all".
	 */
	char		**wf_share_bases;
	size_t		 wf_nshare_bases;
	/* How long a closed case is kept; p_count 0: kept forever. */
	struct period	 wf_retention;
	/* Roles that may correct a mistake, besides supervisor. */
	char		**wf_correct_roles;
	size_t		 wf_ncorrect_roles;
};

/*
 * Parse and validate one workflow.  name is used in messages
 * ("name:line:column: message").  Every error is added to errs; NULL is
 * returned when there was any.
 */
struct workflow *workflow_parse(const char *name, const char *buf, size_t len,
	    struct errlist *);
struct workflow *workflow_load_file(const char *path, struct errlist *);
/*
 * A version the database keeps, which cases may run on: as workflow_parse,
 * but what the language came to refuse in a title later is kept as
 * written, so that a stricter termijn never stops the cases of a version
 * that loaded when it was stored.
 */
struct workflow *workflow_parse_stored(const char *name, const char *buf,
	    size_t len, struct errlist *);
void	 workflow_free(struct workflow *);
void	 wf_penalty_free(struct wf_penalty *);

const struct wf_state *workflow_state(const struct workflow *, const char *);
const struct wf_event *wf_state_event(const struct wf_state *, const char *);
const struct wf_deadline *workflow_case_deadline(const struct workflow *,
	    const char *);
const struct wf_deadline *workflow_deadline(const struct workflow *,
	    const char *);
const struct wf_basis *workflow_basis(const struct workflow *, const char *);
const struct wf_rung *wf_deadline_rung(const struct wf_deadline *,
	    const char *);
/*
 * Titles, as people read the names (NULL when the workflow gives none):
 * of a role the workflow lists, and of a deadline's rung by its name,
 * which for the ledger's "due" (the deadline's own passing) is said here.
 */
const char *workflow_role_title(const struct workflow *, const char *);
const char *wf_rung_title(const struct wf_deadline *, const char *);
int	 wf_event_allows(const struct wf_event *, const char *role);
const char *wf_action_name(enum wf_action);
const char *deadline_anchor_name(enum deadline_anchor);
const char *deadline_kind_name(enum deadline_kind);
int	 deadline_kind_parse(const char *, enum deadline_kind *);

#endif /* TERMIJN_WORKFLOW_H */
