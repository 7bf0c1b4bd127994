/*
 * termijn: where a case's penalty stands (the dwangsom bij niet tijdig
 * beslissen, Awb 4:17-4:18), and whether a dated event is too early to
 * start one.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/i18n.h"
#include "termijn/penalty.h"
#include "termijn/store.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/* The latest deadline of a state (or with a name), as the walk finds it. */
struct find_arg {
	const char		*fa_state;	/* or NULL */
	const char		*fa_name;	/* or NULL */
	struct deadline_row	 fa_row;
	int			 fa_found;
};

/*
 * When the case last left a state it had entered; or that a correction
 * undid its last entry (a notice of default recorded by mistake).
 */
struct leave_arg {
	const char	*la_state;
	int		 la_in;
	int64_t		 la_left;	/* 0: not left */
	int		 la_undone;
};

static enum store_status find_cb(const struct deadline_row *, void *);
static enum store_status leave_cb(const struct transition_row *, void *);

/*
 * The penalty of a case: of the state it is in, or of the last state with
 * a penalty it waited in.  The amount is derived, never stored: the first
 * day from the state's deadline (its due moment, 00:00 after its last
 * day), the end from the moment the case left the state, or now while it
 * is still there.  A correction that brings the case back into the state
 * makes it run again; one that undoes the entry into the state (the notice
 * recorded by mistake) leaves no penalty; a destroyed case leaves no
 * counter behind.
 * Returns 1 and fills cp when the case has or had one, 0 when not, -1 on
 * a store failure.
 */
int
engine_case_penalty(struct engine *en, const struct case_row *c, int64_t now,
    struct case_penalty *cp)
{
	const struct workflow	*wf;
	const struct wf_state	*ws = NULL;
	struct find_arg		 fa, best;
	struct leave_arg	 la;
	int64_t			 until;
	int			 stopped;
	size_t			 i;

	memset(cp, 0, sizeof(*cp));
	if ((wf = engine_case_workflow(en, c)) == NULL)
		return 0;
	memset(&best, 0, sizeof(best));
	for (i = 0; i < wf->wf_nstates; i++) {
		if (wf->wf_states[i].ws_penalty == NULL ||
		    wf->wf_states[i].ws_deadline == NULL)
			continue;
		memset(&fa, 0, sizeof(fa));
		fa.fa_state = wf->wf_states[i].ws_name;
		fa.fa_name = wf->wf_states[i].ws_deadline->wd_name;
		if (store_deadlines_of_case(en->en_store, c->c_id, STORE_DL_ALL,
		    find_cb, &fa) != STORE_OK)
			return -1;
		if (fa.fa_found && (!best.fa_found ||
		    fa.fa_row.d_id > best.fa_row.d_id)) {
			best = fa;
			ws = &wf->wf_states[i];
		}
	}
	if (ws == NULL)
		return 0;

	stopped = c->c_final || strcmp(c->c_state, ws->ws_name) != 0;
	until = now;
	if (stopped) {
		memset(&la, 0, sizeof(la));
		la.la_state = ws->ws_name;
		if (store_transitions_of_case(en->en_store, c->c_id, 0,
		    INT32_MAX, leave_cb, &la) != STORE_OK)
			return -1;
		/* Undone: the stay never counted, so neither does a penalty. */
		if (la.la_undone)
			return 0;
		until = la.la_left != 0 ? la.la_left : c->c_state_since;
	}
	cp->cp_state = ws;
	cp->cp_penalty = ws->ws_penalty;
	cp->cp_first_at = best.fa_row.d_due;
	if (penalty_tally(ws->ws_penalty, best.fa_row.d_due, until, stopped,
	    &cp->cp_tally, cp->cp_err, sizeof(cp->cp_err)) == -1)
		cp->cp_tally.pt_has_fix = 0;
	return 1;
}

/*
 * Whether an event dated date that enters state to (whose penalty counts
 * from a date after the deadline wn_after) comes too early: received on or
 * before that deadline's last day, or while it has not passed.  Returns 1
 * and says why in buf (in the reader's language), 0 when it may start the
 * penalty, -1 on a store failure.
 */
int
engine_penalty_premature(struct engine *en, const struct case_row *c,
    const struct wf_state *to, int64_t date, char *buf, size_t len)
{
	const struct wf_penalty	*wn = to->ws_penalty;
	struct find_arg		 fa;
	struct cal_date		 day, last;
	char			 got[CAL_DATE_LEN], end[CAL_DATE_LEN];

	if (wn == NULL || wn->wn_after == NULL)
		return 0;
	memset(&fa, 0, sizeof(fa));
	fa.fa_name = wn->wn_after;
	if (store_deadlines_of_case(en->en_store, c->c_id, STORE_DL_ALL,
	    find_cb, &fa) != STORE_OK)
		return -1;
	cal_local_date(date, &day);
	cal_date_format(&day, got);
	if (!fa.fa_found || !fa.fa_row.d_passed) {
		snprintf(buf, len, _("received on %s, while deadline %s has not"
		    " passed: it starts nothing (Awb 4:17 lid 1); nothing was"
		    " recorded. Record it again when one is received after the"
		    " last day of that deadline."), got, wn->wn_after);
		return 1;
	}
	/* Overdue from 00:00 after the last day: the day before is the last. */
	cal_local_date(fa.fa_row.d_due, &last);
	cal_date_add_days(&last, -1);
	if (cal_date_cmp(&day, &last) > 0)
		return 0;
	cal_date_format(&last, end);
	snprintf(buf, len, _("received on %s, on or before %s, the last day of"
	    " deadline %s: it starts nothing (Awb 4:17 lid 1); nothing was"
	    " recorded. Record it again when one is received after that"
	    " day."), got, end, wn->wn_after);
	return 1;
}

static enum store_status
find_cb(const struct deadline_row *d, void *arg)
{
	struct find_arg	*fa = arg;

	if (d->d_case_scope)
		return STORE_OK;
	if (fa->fa_state != NULL && strcmp(d->d_state, fa->fa_state) != 0)
		return STORE_OK;
	if (fa->fa_name != NULL && strcmp(d->d_name, fa->fa_name) != 0)
		return STORE_OK;
	if (!fa->fa_found || d->d_id > fa->fa_row.d_id) {
		fa->fa_row = *d;
		fa->fa_found = 1;
	}
	return STORE_OK;
}

static enum store_status
leave_cb(const struct transition_row *t, void *arg)
{
	struct leave_arg	*la = arg;
	int			 from, to;

	from = strcmp(t->t_from, la->la_state) == 0;
	to = strcmp(t->t_to, la->la_state) == 0;
	if (to && !from) {
		la->la_in = 1;
		la->la_undone = 0;
	} else if (la->la_in && from && !to) {
		la->la_in = 0;
		la->la_left = t->t_at;
		la->la_undone = strcmp(t->t_cause, "correction") == 0;
	}
	return STORE_OK;
}
