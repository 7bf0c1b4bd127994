/* termijn: the checks over a workflow's whole graph of states. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

static void	wp_graph(struct wf_parse *, const struct ynode *,
		    const struct ynode *);
static void	wp_anchors(struct wf_parse *, const struct ynode *);
static void	wp_started(struct wf_parse *);
static int	wf_way_out(const struct wf_state *);

/*
 * In the order the loader always ran them: messages found at one position
 * are reported in the order they were found.
 */
void
workflow_check(struct wf_parse *wp, const struct ynode *states,
    const struct ynode *start)
{
	if (states != NULL) {
		wp_graph(wp, states, start);
		wp_anchors(wp, start);
	}
	wp_started(wp);
}

/*
 * The checks that need every state: references, reachability from the
 * start, and whether a final state can be reached from each state.  The
 * last two run only when the states are well formed and every reference
 * is defined: a state whose events could not be read, or a misspelt
 * target, would make others look unreachable.
 */
static void
wp_graph(struct wf_parse *wp, const struct ynode *states,
    const struct ynode *start)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_state		*ws;
	struct wf_ref		*rf;
	int			 from, to, changed, undefined = 0;
	int			*seen = NULL, *fin = NULL, *queue = NULL;
	size_t			 i, j, head, tail, nfinal = 0;

	/* Past the limit, the states left out would all look undefined. */
	if (wp->wp_truncated)
		return;
	for (i = 0; i < wp->wp_nrefs; i++) {
		rf = &wp->wp_refs[i];
		if (workflow_state_index(wf, rf->rf_state) == -1) {
			wp_error(wp, rf->rf_at, "%s leads to undefined state "
			    "'%s'", rf->rf_what, rf->rf_state);
			undefined = 1;
		}
	}
	/*
	 * A misspelt target makes the state it meant unreachable, and maybe
	 * its own state a dead end: the misspelling is the message to give.
	 */
	if (!wp->wp_graph || undefined || wf->wf_nstates == 0)
		return;

	seen = xcalloc(wf->wf_nstates, sizeof(*seen));
	fin = xcalloc(wf->wf_nstates, sizeof(*fin));
	queue = xcalloc(wf->wf_nstates, sizeof(*queue));

	/* Forward from the start, through moves and deadlines' 'then'. */
	if (start != NULL &&
	    (from = workflow_state_index(wf, start->yn_value)) != -1) {
		head = tail = 0;
		seen[from] = 1;
		queue[tail++] = from;
		while (head < tail) {
			ws = &wf->wf_states[queue[head++]];
			for (j = 0; j <= ws->ws_nevents; j++) {
				if (j < ws->ws_nevents)
					to = workflow_state_index(wf,
					    ws->ws_events[j].we_to);
				else if (ws->ws_deadline != NULL)
					to = workflow_state_index(wf,
					    ws->ws_deadline->wd_then);
				else
					break;
				if (to != -1 && !seen[to]) {
					seen[to] = 1;
					queue[tail++] = to;
				}
			}
		}
		for (i = 0; i < wf->wf_nstates; i++)
			if (!seen[i])
				wp_error(wp, wp->wp_statekeys[i], "state '%s' "
				    "cannot be reached from the start state "
				    "'%s'", wf->wf_states[i].ws_name,
				    start->yn_value);
	}

	/* Backward from the final states, until nothing changes. */
	for (i = 0; i < wf->wf_nstates; i++)
		if ((fin[i] = wf->wf_states[i].ws_final))
			nfinal++;
	if (nfinal == 0) {
		wp_error(wp, states, "no final state; mark at least one state "
		    "with 'final: true'");
		goto done;
	}
	do {
		changed = 0;
		for (i = 0; i < wf->wf_nstates; i++) {
			ws = &wf->wf_states[i];
			for (j = 0; !fin[i] && j <= ws->ws_nevents; j++) {
				if (j < ws->ws_nevents)
					to = workflow_state_index(wf,
					    ws->ws_events[j].we_to);
				else if (ws->ws_deadline != NULL)
					to = workflow_state_index(wf,
					    ws->ws_deadline->wd_then);
				else
					break;
				if (to != -1 && fin[to])
					fin[i] = changed = 1;
			}
		}
	} while (changed);
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		/* A state with no way out has had its message. */
		if (fin[i] || !wf_way_out(ws))
			continue;
		wp_error(wp, wp->wp_statekeys[i], "no final state can be "
		    "reached from state '%s'", ws->ws_name);
	}

done:
	free(queue);
	free(fin);
	free(seen);
}

/*
 * A deadline counted from the date an event carries needs a date on every
 * way into its state: each move that enters it carries one (a deadline's
 * 'then' carries the deadline's last day), and it is not the state a case
 * starts in.
 */
static void
wp_anchors(struct wf_parse *wp, const struct ynode *start)
{
	struct workflow		*wf = wp->wp_wf;
	const struct wf_state	*ws;
	const struct wf_ref	*rf;
	size_t			 i;
	int			 to;

	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		if (ws->ws_deadline == NULL ||
		    ws->ws_deadline->wd_anchor != DA_EVENT_DATE)
			continue;
		if (start != NULL && strcmp(start->yn_value, ws->ws_name) == 0)
			wp_error(wp, wp->wp_anchors[i], "anchor 'event_date' "
			    "cannot be used in the start state '%s': a new case "
			    "enters it without an event; use 'started'",
			    ws->ws_name);
	}
	for (i = 0; i < wp->wp_nrefs; i++) {
		rf = &wp->wp_refs[i];
		/* A deadline that passes carries its last day. */
		if (rf->rf_dated || !rf->rf_event ||
		    (to = workflow_state_index(wf, rf->rf_state)) == -1)
			continue;
		ws = &wf->wf_states[to];
		if (ws->ws_deadline == NULL ||
		    ws->ws_deadline->wd_anchor != DA_EVENT_DATE)
			continue;
		wp_error(wp, rf->rf_at, "%s leads to state '%s', whose "
		    "deadline counts from the date the event carries: "
		    "give the event 'date: true'", rf->rf_what, ws->ws_name);
	}
}

/*
 * A case deadline no rung starts would never run.  Not said when a rung or
 * its 'start' could not be read, or named something undefined: that may
 * have been the one meant to start it.
 */
static void
wp_started(struct wf_parse *wp)
{
	struct workflow	*wf = wp->wp_wf;
	size_t		 i;

	if (!wp->wp_starts_ok)
		return;
	for (i = 0; i < wf->wf_ncase_deadlines; i++)
		if (!wp->wp_cdstarted[i])
			wp_error(wp, wp->wp_cdkeys[i], "case deadline '%s' is "
			    "never started: no rung lists it under 'start'",
			    wf->wf_case_deadlines[i].wd_name);
}

/* Whether a move or a deadline's 'then' leads out of a state. */
static int
wf_way_out(const struct wf_state *ws)
{
	size_t	i;

	for (i = 0; i < ws->ws_nevents; i++)
		if (ws->ws_events[i].we_to != NULL)
			return 1;
	return ws->ws_deadline != NULL && ws->ws_deadline->wd_then != NULL;
}
