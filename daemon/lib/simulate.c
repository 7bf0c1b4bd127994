/*
 * termijn: "what if": the timeline a workflow would give a case, from the
 * real engine on a throw-away store, shown by the real views.
 *
 * There is one truth about dates: the engine's, over the calendar's period
 * arithmetic.  So a simulation is no second implementation of it but a run:
 * a new in-memory store with the same schema, the workflow parsed anew from
 * its source into a registry of its own, an engine over both, and a case
 * registered at the start.  The clock is moved as the scheduler would move
 * it: to the earliest pending rung, where engine_batch_fire fires what is
 * due at that moment (a reminder, a deadline passing, a follow-up), and to
 * each event, which is recorded as a client records it once the rungs due
 * by then have fired (an event at the very moment a deadline passes comes
 * after it, as engine_case_event settles first).  The answer is read back
 * through view_transitions, view_case_deadline and view_case, so that it says
 * what a real case says, in the same words.
 *
 * Limits: a simulation ends when the case is final, when nothing is
 * pending and no event is left (the case waits for someone), after
 * SIM_STEPS_MAX moments at which rungs fired (a workflow that goes round
 * and round), or SIM_HORIZON_YEARS after the start or the last event.
 * Who records an event is a person of the role the event allows first (any
 * role that works on cases when it names none); a reason the event needs
 * is the note given or a stand-in, a basis the one given or the first the
 * event allows; a case that waits in a queue is picked up by that person
 * before an event closes it.  Nothing is logged: the engine is quiet, as
 * these cases are nobody's.  An event the engine accepts but records
 * nothing of (a notice of default received before the decision period
 * ended) is listed with the engine's explanation.  A penalty (the dwangsom
 * bij niet tijdig beslissen) is shown as it stands when the simulation
 * ends, or, when the case then waits with its penalty running, as it
 * would stand at its cap: what waiting would cost.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/i18n.h"
#include "termijn/registry.h"
#include "termijn/simulate.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#define SIM_NAME	"simulation"	/* its team, token and reference */
#define SIM_ROLE	"caseworker"	/* who registers, unless told */
#define SIM_BATCH	500		/* rungs fired per transaction */

/* How a simulation ended. */
enum sim_end {
	SIM_FINAL,		/* the case reached a final state */
	SIM_WAITING,		/* nothing pending: it waits for an event */
	SIM_HORIZON,		/* SIM_HORIZON_YEARS passed */
	SIM_STEPS,		/* SIM_STEPS_MAX moments fired */
};

static const char *const sim_end_names[] = {
	"final", "waiting", "horizon", "steps",
};

struct sim {
	struct store		*sm_store;
	struct registry		*sm_registry;
	struct engine		*sm_engine;
	const struct workflow	*sm_workflow;	/* the registry's copy */
	int64_t			 sm_case;
	int			 sm_seeded;	/* a running case's copy */
	int64_t			 sm_start;	/* si_start, or the copy's last
						   transition */
	int64_t			 sm_now;	/* the clock */
	size_t			 sm_steps;
	enum sim_end		 sm_end;
	struct actor		 sm_actor;
	json_t			*sm_unrecorded;	/* events that started
						   nothing, and why */
};

/* What one write of the simulation does (engine_write_one). */
struct sim_write {
	struct sim		*sw_sim;
	const struct sim_event	*sw_event;	/* NULL: register the case */
	const struct sim_input	*sw_in;
	struct event_input	 sw_input;
	int			 sw_assign;	/* pick the case up first */
};

static int	 sim_open(struct sim *, const struct workflow *,
		    struct engine_error *);
static void	 sim_close(struct sim *);
static int	 sim_order(const struct sim_input *, int64_t,
		    struct engine_error *);
static int	 sim_fire_until(struct sim *, int64_t, struct engine_error *);
static int	 sim_ended(struct sim *, struct engine_error *);
static int	 sim_event(struct sim *, const struct sim_event *, size_t,
		    struct engine_error *);
static int	 sim_write_cb(struct engine *, void *, struct engine_error *);
static json_t	*sim_answer(struct sim *, const struct sim_input *);
static int	 sim_seed_cb(struct engine *, void *, struct engine_error *);
static json_t	*sim_penalty(struct sim *, const struct case_row *);
static enum store_status sim_deadline_cb(const struct deadline_row *, void *);

json_t *
simulate_run(const struct sim_input *in, struct engine_error *ee)
{
	struct sim		 sim;
	struct sim_write	 sw;
	json_t			*o = NULL;
	int64_t			 last;
	size_t			 i;

	memset(ee, 0, sizeof(*ee));
	if (in->si_store == NULL && sim_order(in, in->si_start, ee) == -1)
		return NULL;
	if (sim_open(&sim, in->si_workflow, ee) == -1)
		return NULL;
	memset(&sw, 0, sizeof(sw));
	sw.sw_sim = &sim;
	sw.sw_in = in;
	sim.sm_now = sim.sm_start = in->si_start;
	sim.sm_unrecorded = json_array();
	if (engine_write_one(sim.sm_engine, in->si_store != NULL ?
	    sim_seed_cb : sim_write_cb, &sw, in->si_start, ee) == -1)
		goto done;
	if (in->si_store != NULL) {
		/* From the case's last transition on. */
		sim.sm_now = sim.sm_start;
		if (sim_order(in, sim.sm_start, ee) == -1)
			goto done;
	}
	last = sim.sm_start;
	for (i = 0; i < in->si_nevents; i++) {
		if (sim_event(&sim, &in->si_events[i], i, ee) == -1)
			goto done;
		last = in->si_events[i].se_at;
	}
	if (sim.sm_end != SIM_STEPS && sim_fire_until(&sim, last +
	    SIM_HORIZON_YEARS * 366 * MS_PER_DAY, ee) == -1)
		goto done;
	if (sim_ended(&sim, ee) == -1)
		goto done;
	if ((o = sim_answer(&sim, in)) == NULL)
		engine_error(ee, ENGINE_ESTORE, N_("simulating: the timeline"
		    " could not be read back"));
done:
	json_decref(sim.sm_unrecorded);
	sim_close(&sim);
	return o;
}

/*
 * The events come in date order, none before the start nor more than
 * SIM_HORIZON_YEARS after it, and not too many: checked before anything
 * runs, so that the answer names them all by their place.
 */
static int
sim_order(const struct sim_input *in, int64_t start, struct engine_error *ee)
{
	char	a[CAL_TIME_LEN], b[CAL_TIME_LEN];
	size_t	i;

	if (in->si_nevents > SIM_EVENTS_MAX)
		return engine_error(ee, ENGINE_EINVAL, N_("too many events: %zu;"
		    " a simulation takes at most %d"), in->si_nevents,
		    SIM_EVENTS_MAX);
	for (i = 0; i < in->si_nevents; i++) {
		if (in->si_events[i].se_at < start) {
			cal_format_time(in->si_events[i].se_at, a);
			cal_format_time(start, b);
			if (in->si_store != NULL)
				return engine_error(ee, ENGINE_EINVAL, N_("event"
				    " %zu (%s at %s) is before the case's last"
				    " transition, %s: what follows can only come"
				    " after it"), i + 1,
				    in->si_events[i].se_name, a, b);
			return engine_error(ee, ENGINE_EINVAL, N_("event %zu (%s"
			    " at %s) is before the start, %s"), i + 1,
			    in->si_events[i].se_name, a, b);
		}
		if (in->si_events[i].se_at - start >
		    SIM_HORIZON_YEARS * 366 * MS_PER_DAY) {
			cal_format_time(in->si_events[i].se_at, a);
			cal_format_time(start, b);
			return engine_error(ee, ENGINE_EINVAL, N_("event %zu (%s"
			    " at %s) is more than %d years after %s; a"
			    " simulation looks at most %d years ahead"), i + 1,
			    in->si_events[i].se_name, a, SIM_HORIZON_YEARS, b,
			    SIM_HORIZON_YEARS);
		}
		if (i > 0 && in->si_events[i].se_at <
		    in->si_events[i - 1].se_at) {
			cal_format_time(in->si_events[i].se_at, a);
			cal_format_time(in->si_events[i - 1].se_at, b);
			return engine_error(ee, ENGINE_EINVAL, N_("event %zu (%s"
			    " at %s) comes before event %zu (%s at %s): give the"
			    " events in date order"), i + 1,
			    in->si_events[i].se_name, a, i,
			    in->si_events[i - 1].se_name, b);
		}
	}
	return 0;
}

/* The throw-away store, with the workflow, a team and its person. */
static int
sim_open(struct sim *sim, const struct workflow *wf, struct engine_error *ee)
{
	struct errlist		 errs;
	struct workflow		*copy;
	struct team_row		 tm;
	struct token_row	 tk;
	unsigned char		 hash[HASH_SHA256_LEN];
	char			 err[256];

	memset(sim, 0, sizeof(*sim));
	sim->sm_end = SIM_WAITING;
	errlist_init(&errs);
	if ((sim->sm_store = store_open(":memory:", err, sizeof(err))) ==
	    NULL) {
		log_warnx("simulating: %s", err);
		return engine_error(ee, ENGINE_ESTORE, N_("simulating: no store"
		    " to run on"));
	}
	sim->sm_registry = registry_new();
	copy = workflow_parse_stored(wf->wf_name, wf->wf_source,
	    wf->wf_sourcelen, &errs);
	if (copy == NULL || registry_add(sim->sm_registry, copy, &errs) ==
	    -1) {
		engine_error(ee, ENGINE_EINVAL, N_("workflow %s: %s"),
		    wf->wf_name, errs.el_count > 0 ? errs.el_msgs[0] : "?");
		goto fail;
	}
	sim->sm_workflow = registry_current(sim->sm_registry, wf->wf_name);
	sim->sm_engine = engine_new(sim->sm_store, sim->sm_registry);
	engine_set_quiet(sim->sm_engine, 1);
	if (engine_pin_workflows(sim->sm_engine, sim->sm_registry,
	    clock_now(), &errs) == -1) {
		engine_error(ee, ENGINE_ESTORE, N_("simulating: %s"),
		    errs.el_count > 0 ? errs.el_msgs[0] : "?");
		goto fail;
	}
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", SIM_NAME);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "%s", SIM_NAME);
	memset(&tk, 0, sizeof(tk));
	memset(hash, 0, sizeof(hash));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", SIM_NAME);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", SIM_ROLE);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", SIM_NAME);
	if (store_team_insert(sim->sm_store, &tm) != STORE_OK ||
	    store_token_insert(sim->sm_store, &tk, hash) != STORE_OK) {
		engine_error(ee, ENGINE_ESTORE, N_("simulating: no store to"
		    " run on"));
		goto fail;
	}
	sim->sm_actor.ac_token = tk.tk_id;
	sim->sm_actor.ac_name = SIM_NAME;
	sim->sm_actor.ac_role = SIM_ROLE;
	sim->sm_actor.ac_teams = SIM_NAME;
	errlist_clear(&errs);
	return 0;
fail:
	errlist_clear(&errs);
	sim_close(sim);
	return -1;
}

static void
sim_close(struct sim *sim)
{
	engine_free(sim->sm_engine);
	sim->sm_engine = NULL;
	if (sim->sm_store != NULL)
		store_close(sim->sm_store);
	sim->sm_store = NULL;
	registry_free(sim->sm_registry);
	sim->sm_registry = NULL;
}

/*
 * Move the clock to each pending rung due by until, in order, and fire
 * what is due there, as the scheduler does; stop at the case's final
 * state or after SIM_STEPS_MAX moments.
 */
static int
sim_fire_until(struct sim *sim, int64_t until, struct engine_error *ee)
{
	struct fire_result	 fr;
	enum store_status	 rc;
	int64_t			 due;

	for (;;) {
		if ((rc = store_rung_next(sim->sm_store, &due)) ==
		    STORE_NOTFOUND)
			break;
		if (rc != STORE_OK)
			return engine_error(ee, ENGINE_ESTORE, N_("simulating:"
			    " reading the rungs failed"));
		if (due > until)
			return 0;
		if (sim->sm_steps++ >= SIM_STEPS_MAX) {
			sim->sm_end = SIM_STEPS;
			return 0;
		}
		if (due > sim->sm_now)
			sim->sm_now = due;
		memset(&fr, 0, sizeof(fr));
		if (engine_batch_fire(sim->sm_engine, sim->sm_now, SIM_BATCH,
		    &fr) != STORE_OK)
			return engine_error(ee, ENGINE_ESTORE, N_("simulating:"
			    " firing the rungs failed"));
		if (fr.fr_fired == 0 && !fr.fr_again && !fr.fr_cut)
			break;
	}
	return 0;
}

/*
 * Why the simulation stopped: the case is final, it went round too often,
 * something was still pending at the horizon, or it waits for an event.
 */
static int
sim_ended(struct sim *sim, struct engine_error *ee)
{
	struct case_row		c;
	enum store_status	rc;
	int64_t			due;

	if (engine_case_read(sim->sm_engine, &sim->sm_actor, sim->sm_case, &c,
	    ee) == -1)
		return -1;
	if (c.c_final)
		sim->sm_end = SIM_FINAL;
	else if (sim->sm_end != SIM_STEPS) {
		rc = store_rung_next(sim->sm_store, &due);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return engine_error(ee, ENGINE_ESTORE, N_("simulating:"
			    " reading the rungs failed"));
		sim->sm_end = rc == STORE_OK ? SIM_HORIZON : SIM_WAITING;
	}
	return 0;
}

/*
 * Record the n-th event (from 0) at its moment, after what fell due
 * before it; refused, with where the case was then, when its state does
 * not take it.
 */
static int
sim_event(struct sim *sim, const struct sim_event *se, size_t n,
    struct engine_error *ee)
{
	const struct wf_state	*ws, *to;
	const struct wf_event	*we;
	struct sim_write	 sw;
	struct case_row		 c;
	enum engine_status	 status;
	char			 when[CAL_TIME_LEN], list[256];
	char			 why[sizeof(ee->ee_msg)];
	size_t			 i, o;

	if (sim_fire_until(sim, se->se_at, ee) == -1)
		return -1;
	cal_format_time(se->se_at, when);
	if (sim->sm_end == SIM_STEPS)
		return engine_error(ee, ENGINE_EINVAL, N_("event %zu (%s at %s)"
		    " comes after %d moments at which deadlines fell due; a"
		    " simulation stops there"), n + 1, se->se_name, when,
		    SIM_STEPS_MAX);
	if (engine_case_read(sim->sm_engine, &sim->sm_actor, sim->sm_case,
	    &c, ee) == -1)
		return -1;
	sim->sm_now = se->se_at > sim->sm_now ? se->se_at : sim->sm_now;
	ws = workflow_state(sim->sm_workflow, c.c_state);
	if (ws == NULL || (we = wf_state_event(ws, se->se_name)) == NULL) {
		list[0] = '\0';
		for (i = 0, o = 0; ws != NULL && i < ws->ws_nevents &&
		    o < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o,
			    "%s%s", i ? ", " : "", ws->ws_events[i].we_name);
		if (ws != NULL && ws->ws_final)
			return engine_error(ee, ENGINE_EINVAL, N_("event %zu"
			    " (%s at %s): the case is closed then, in final"
			    " state %s"), n + 1, se->se_name, when, c.c_state);
		return engine_error(ee, ENGINE_EINVAL, N_("event %zu (%s at"
		    " %s): the case is then in state %s, which does not accept"
		    " it; it accepts: %s"), n + 1, se->se_name, when,
		    c.c_state, list[0] ? list : "-");
	}
	memset(&sw, 0, sizeof(sw));
	sw.sw_sim = sim;
	sw.sw_event = se;
	sw.sw_input.ev_name = se->se_name;
	sw.sw_input.ev_note = se->se_note;
	if (we->we_reason && (se->se_note == NULL || se->se_note[0] == '\0'))
		sw.sw_input.ev_note = SIM_NAME;
	sw.sw_input.ev_basis = se->se_basis;
	if (se->se_basis == NULL && we->we_nshares > 0)
		sw.sw_input.ev_basis = we->we_shares[0];
	if (we->we_date)
		sw.sw_input.ev_date = se->se_at;
	/* What escalated reaches a person before it is closed. */
	sw.sw_assign = ws->ws_queue && c.c_assignee[0] == '\0' &&
	    we->we_to != NULL && (to = workflow_state(sim->sm_workflow,
	    we->we_to)) != NULL && to->ws_final;
	sim->sm_actor.ac_role = we->we_nroles > 0 ? we->we_roles[0] :
	    SIM_ROLE;
	if (engine_write_one(sim->sm_engine, sim_write_cb, &sw, sim->sm_now,
	    ee) == -1) {
		sim->sm_actor.ac_role = SIM_ROLE;
		/* The engine's reason, and which event it was. */
		status = ee->ee_status;
		snprintf(why, sizeof(why), "%s", ee->ee_msg);
		memset(ee, 0, sizeof(*ee));
		return engine_error(ee, status == ENGINE_ECONFLICT ||
		    status == ENGINE_EFORBIDDEN || status == ENGINE_EBASIS ?
		    ENGINE_EINVAL : status, N_("event %zu (%s at %s): %s"),
		    n + 1, se->se_name, when, why);
	}
	sim->sm_actor.ac_role = SIM_ROLE;
	if (ee->ee_said[0] != '\0')
		json_array_append_new(sim->sm_unrecorded, json_pack("{s:I, s:s,"
		    " s:o, s:s}", "event", (json_int_t)(n + 1), "name",
		    se->se_name, "at", view_time(se->se_at), "explanation",
		    ee->ee_said));
	return 0;
}

/* A running case as it stands, in a transaction of its own. */
static int
sim_seed_cb(struct engine *en, void *arg, struct engine_error *ee)
{
	struct sim_write	*sw = arg;
	const struct sim_input	*in = sw->sw_in;

	(void)en;
	sw->sw_sim->sm_seeded = 1;
	return simulate_seed(in->si_store, in->si_case, sw->sw_sim->sm_store,
	    SIM_NAME, &sw->sw_sim->sm_case, &sw->sw_sim->sm_start, ee);
}

/* A registration or an event, in a transaction of its own. */
static int
sim_write_cb(struct engine *en, void *arg, struct engine_error *ee)
{
	struct sim_write	*sw = arg;
	struct sim		*sim = sw->sw_sim;
	struct case_input	 ci;

	if (sw->sw_event == NULL) {
		memset(&ci, 0, sizeof(ci));
		ci.ci_workflow = sim->sm_workflow->wf_name;
		ci.ci_reference = SIM_NAME;
		ci.ci_team = SIM_NAME;
		ci.ci_started_at = sim->sm_now;
		return engine_case_create(en, &sim->sm_actor, &ci, sim->sm_now,
		    &sim->sm_case, ee);
	}
	if (sw->sw_assign && engine_case_assign(en, &sim->sm_actor,
	    sim->sm_case, SIM_NAME, NULL, sim->sm_now, ee) == -1)
		return -1;
	return engine_case_event(en, &sim->sm_actor, sim->sm_case,
	    &sw->sw_input, sim->sm_now, ee);
}

struct sim_deadlines {
	struct sim	*sd_sim;
	const struct case_row *sd_case;
	json_t		*sd_array;
};

/* Every deadline the case had, as the views show it. */
static enum store_status
sim_deadline_cb(const struct deadline_row *d, void *arg)
{
	struct sim_deadlines	*sd = arg;
	json_t			*o;

	if ((o = view_case_deadline(sd->sd_sim->sm_engine, sd->sd_case, d,
	    sd->sd_sim->sm_now)) == NULL)
		return STORE_FAILED;
	/* Time left at the simulation's end says nothing of the deadline. */
	json_object_del(o, "time_left_seconds");
	/* Stopped: its state was left before it passed. */
	json_object_set_new(o, "stopped", json_boolean(!d->d_active &&
	    !d->d_passed));
	json_array_append_new(sd->sd_array, o);
	return STORE_OK;
}

/*
 * The timeline: the transitions (every state entered, with its title),
 * every deadline (due date, explanation, ladder), every notification
 * (rung, moment, role), and where the case ended; the simulation's own
 * traces (recording times, deliveries) left out.
 */
static json_t *
sim_answer(struct sim *sim, const struct sim_input *in)
{
	const struct workflow	*wf = sim->sm_workflow;
	struct sim_deadlines	 sd;
	struct engine_error	 ee;
	struct case_row		 c;
	json_t			*o, *page, *trs, *t, *view, *notes, *n;
	json_int_t		 after = 0;
	size_t			 i;

	if (engine_case_read(sim->sm_engine, &sim->sm_actor, sim->sm_case, &c,
	    &ee) == -1)
		return NULL;
	trs = json_array();
	for (;;) {
		if ((page = view_transitions(sim->sm_engine, &c, after,
		    VIEW_PAGE_MAX, &ee)) == NULL) {
			json_decref(trs);
			return NULL;
		}
		json_array_foreach(json_object_get(page, "transitions"), i,
		    t) {
			/* A running case's copy: what stands for its past. */
			if (sim->sm_seeded && after == 0 && i == 0)
				continue;
			json_object_del(t, "recorded_at");
			json_array_append(trs, t);
		}
		n = json_object_get(page, "next_cursor");
		after = json_is_string(n) ? strtoll(json_string_value(n),
		    NULL, 10) : 0;
		json_decref(page);
		if (after == 0)
			break;
	}
	memset(&sd, 0, sizeof(sd));
	sd.sd_sim = sim;
	sd.sd_case = &c;
	sd.sd_array = json_array();
	if (store_deadlines_of_case(sim->sm_store, c.c_id, STORE_DL_ALL,
	    sim_deadline_cb, &sd) != STORE_OK ||
	    (view = view_case(sim->sm_engine, &c, sim->sm_now)) == NULL) {
		json_decref(trs);
		json_decref(sd.sd_array);
		return NULL;
	}
	notes = json_incref(json_object_get(view, "notifications"));
	json_array_foreach(notes, i, n) {
		json_object_del(n, "created_at");
		json_object_del(n, "deliveries");
		json_object_del(n, "not_sent");
	}
	o = json_pack("{s:s, s:o, s:i, s:o, s:I, s:o, s:s, s:O, s:O, s:O,"
	    " s:O, s:O, s:o, s:o, s:o}",
	    "workflow", wf->wf_name,
	    "workflow_title", view_title(wf->wf_title),
	    "version", wf->wf_version,
	    "start", view_time(sim->sm_start),
	    "events", (json_int_t)in->si_nevents,
	    "until", view_time(sim->sm_now),
	    "ended", sim_end_names[sim->sm_end],
	    "state", json_object_get(view, "state"),
	    "state_title", json_object_get(view, "state_title"),
	    "final", json_object_get(view, "final"),
	    "accepts", json_object_get(view, "accepts"),
	    "event_titles", json_object_get(view, "event_titles"),
	    "transitions", trs,
	    "deadlines", sd.sd_array,
	    "notifications", notes);
	json_decref(view);
	json_object_set(o, "not_recorded", sim->sm_unrecorded);
	if ((view = sim_penalty(sim, &c)) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "penalty", view);
	return o;
}

/*
 * The penalty at the simulation's end; when the case waits with it
 * running, at its cap, as nothing comes to stop it ("at" says when).
 */
static json_t *
sim_penalty(struct sim *sim, const struct case_row *c)
{
	struct case_penalty	 cp;
	struct cal_date		 after;
	int64_t			 at = sim->sm_now;
	json_t			*p;

	switch (engine_case_penalty(sim->sm_engine, c, at, &cp)) {
	case -1:
		return NULL;
	case 0:
		return json_null();
	}
	if (cp.cp_tally.pt_running && sim->sm_end == SIM_WAITING) {
		after = cp.cp_tally.pt_last_possible;
		cal_date_add_days(&after, 1);
		at = cal_local_midnight(&after);
	}
	if ((p = view_penalty(sim->sm_engine, c, at)) != NULL &&
	    json_is_object(p))
		json_object_set_new(p, "at", view_time(at));
	return p;
}
