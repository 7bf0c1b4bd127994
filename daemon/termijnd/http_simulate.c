/*
 * termijn: POST /v1/simulate, what a loaded workflow would do with a case;
 * POST /v1/cases/{id}/simulate, what would follow for a running one.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/limits.h"
#include "termijn/role.h"
#include "termijn/simulate.h"
#include "termijn/text.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#include "termijnd.h"

static int	 sim_time(struct req *, const char *, const char *, int64_t *,
		    json_t *);
static int	 sim_events(struct req *, json_t *, struct sim_event *,
		    size_t *, json_t *);
static int	 sim_body_events(struct req *, struct sim_event *, size_t *,
		    json_t *);
static struct sim_job *sim_job(struct req *, const struct workflow *);
static void	 sim_done(struct sim_job *);

/*
 * POST /v1/simulate {"workflow", "start", "events": [{"event", "date",
 * "note", "basis"}]}: the timeline a case would have (simulate.c), on a
 * store of its own.  Nothing of termijnd's database is read or written,
 * so nothing is logged in the read log either; the answer depends only on
 * the body, the loaded workflow and the calendar.  For the roles that
 * register cases.
 */
void
http_simulate(struct req *rq)
{
	static const char *const fields[] = {
		"workflow", "start", "events", NULL
	};
	struct sim_event	 evs[SIM_EVENTS_MAX];
	struct sim_input	 in;
	struct engine_error	 ee;
	struct sim_job		*job;
	const struct workflow	*wf;
	const char		*name, *start;
	json_t			*warnings;

	if (!role_works(rq->rq_actor.ac_role)) {
		http_problemf(rq, 403, _("role %s may not simulate; the roles"
		    " that register cases may"), rq->rq_actor.ac_role);
		return;
	}
	if (req_body_object(rq, fields) == -1)
		return;
	memset(&in, 0, sizeof(in));
	warnings = json_array();
	if (req_string(rq, "workflow", 1, &name) == -1 ||
	    req_string(rq, "start", 1, &start) == -1 ||
	    sim_time(rq, "start", start, &in.si_start, warnings) == -1)
		goto fail;
	if (sim_body_events(rq, evs, &in.si_nevents, warnings) == -1)
		goto fail;
	if ((wf = registry_current(rq->rq_d->d_registry, name)) == NULL) {
		engine_unknown_workflow(rq->rq_d->d_engine, name, &ee);
		/* Not a write: nothing else sends the refusal. */
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto fail;
	}
	job = sim_job(rq, wf);
	job->sj_in.si_start = in.si_start;
	job->sj_in.si_nevents = in.si_nevents;
	memcpy(job->sj_events, evs, in.si_nevents * sizeof(evs[0]));
	job->sj_warnings = warnings;
	simwork_submit(job);
	return;
fail:
	json_decref(warnings);
}

/*
 * POST /v1/cases/{id}/simulate {"events": [{"event", "date", "note",
 * "basis"}]}: "wat als" for a running case, the timeline that would follow
 * its last transition if these events happened, from the case as stored
 * (simulate_seed.c).  Whoever may read the case may ask, and one who may
 * not gets the answer a read gets (404).  Nothing is written: no
 * transition, no read in the read log (the case page that asks logged its
 * read already), and the answer names neither the case's reference nor
 * its people.  It reads one snapshot of the database, as a GET does.
 */
void
http_cases_simulate(struct req *rq)
{
	static const char *const fields[] = { "events", NULL };
	struct sim_event	 evs[SIM_EVENTS_MAX];
	struct engine_error	 ee;
	struct case_row		 c;
	struct sim_job		*job;
	const struct workflow	*wf;
	struct store		*st = rq->rq_d->d_store;
	json_t			*warnings;
	size_t			 n;

	if (req_body_object(rq, fields) == -1)
		return;
	warnings = json_array();
	if (sim_body_events(rq, evs, &n, warnings) == -1)
		goto fail;
	store_read_begin(st);
	if (engine_case_read(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id, &c,
	    &ee) == -1) {
		store_read_end(st);
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto fail;
	}
	store_read_end(st);
	if ((wf = engine_case_workflow(rq->rq_d->d_engine, &c)) == NULL) {
		http_failf(rq, 500, N_("case %lld: workflow %s version %d is"
		    " not loaded"), (long long)c.c_id, c.c_workflow,
		    c.c_version);
		goto fail;
	}
	job = sim_job(rq, wf);
	job->sj_in.si_case = c.c_id;
	job->sj_in.si_nevents = n;
	memcpy(job->sj_events, evs, n * sizeof(evs[0]));
	job->sj_db = xstrdup(rq->rq_d->d_conf.cf_db);
	job->sj_warnings = warnings;
	simwork_submit(job);
	return;
fail:
	json_decref(warnings);
}

/* The body's "events", checked; answers on error. */
static int
sim_body_events(struct req *rq, struct sim_event *evs, size_t *n,
    json_t *warnings)
{
	json_t	*events;

	events = json_object_get(rq->rq_body, "events");
	if (events != NULL && !json_is_null(events) &&
	    !json_is_array(events)) {
		http_problemf(rq, 400, _("field \"%s\" must be an array"),
		    "events");
		return -1;
	}
	if (json_array_size(events) > SIM_EVENTS_MAX) {
		http_problemf(rq, 400, _("too many events: %zu; a simulation"
		    " takes at most %d"), json_array_size(events),
		    SIM_EVENTS_MAX);
		return -1;
	}
	return sim_events(rq, events, evs, n, warnings);
}

/*
 * A job for simwork.c: the workflow's name and source copied (simulate.c
 * parses it anew, and a reload may free the registry's meanwhile), the
 * events still pointing into the request's body, which waits with it.
 */
static struct sim_job *
sim_job(struct req *rq, const struct workflow *wf)
{
	struct sim_job	*job;
	struct workflow	*copy;

	copy = xcalloc(1, sizeof(*copy));
	copy->wf_name = xstrdup(wf->wf_name);
	copy->wf_source = xmalloc(wf->wf_sourcelen + 1);
	memcpy(copy->wf_source, wf->wf_source, wf->wf_sourcelen);
	copy->wf_source[wf->wf_sourcelen] = '\0';
	copy->wf_sourcelen = wf->wf_sourcelen;
	job = xcalloc(1, sizeof(*job));
	job->sj_rq = rq;
	job->sj_workflow = copy;
	job->sj_lang = rq->rq_lang;
	job->sj_done = sim_done;
	return job;
}

/* Back on the loop: the timeline, or why there is none. */
static void
sim_done(struct sim_job *job)
{
	struct req	*rq = job->sj_rq;
	json_t		*o = job->sj_answer;

	i18n_use(rq->rq_lang);
	if (o == NULL) {
		engine_problem(rq, &job->sj_ee, 0);
		http_answer(rq);
		simwork_free(job);
		return;
	}
	if (job->sj_in.si_case != 0)
		json_object_set_new(o, "case", json_integer(job->sj_in.si_case));
	if (json_array_size(job->sj_warnings) > 0)
		json_object_set(o, "warnings", job->sj_warnings);
	job->sj_answer = NULL;
	simwork_free(job);
	http_json(rq, 200, o);
}

/*
 * A time as termijnd takes one everywhere (cal_parse_time_note): a date is
 * the start of that day; a local time the clocks show twice is the first,
 * with a warning.  Answers on error.
 */
static int
sim_time(struct req *rq, const char *field, const char *s, int64_t *ms,
    json_t *warnings)
{
	char	err[256], note[CAL_NOTE_LEN];

	if (cal_parse_time_note(s, ms, note, sizeof(note), err,
	    sizeof(err)) == -1) {
		if (strstr(err, "no such time") != NULL)
			http_problemf(rq, 400, "%s: %s", field, err);
		else
			http_problemf(rq, 400, _("%s: %s (a date YYYY-MM-DD, or"
			    " a time YYYY-MM-DDTHH:MM[:SS] with an offset such"
			    " as +01:00, or without one for local time)"), field,
			    err);
		return -1;
	}
	if (*ms < MS_PER_DAY) {
		http_problemf(rq, 400, _("%s \"%.64s\" is before 1970-01-02,"
		    " the first day termijn takes for it"), field, s);
		return -1;
	}
	if (note[0] != '\0')
		json_array_append_new(warnings, json_pack("{s:s, s:s, s:o,"
		    " s:s}", "code", "ambiguous_time", "field", field, "at",
		    view_time(*ms), "detail", note));
	return 0;
}

/* The events of the body, each checked as POST /v1/cases/{id}/events does. */
static int
sim_events(struct req *rq, json_t *events, struct sim_event *evs, size_t *n,
    json_t *warnings)
{
	static const char *const fields[] = {
		"event", "date", "note", "basis", NULL
	};
	json_t		*e, *v;
	const char	*key;
	char		 field[48], err[256];
	size_t		 i, k;

	*n = 0;
	json_array_foreach(events, i, e) {
		memset(&evs[i], 0, sizeof(evs[i]));
		if (!json_is_object(e)) {
			http_problemf(rq, 400, _("events[%zu] must be an object"
			    " {\"event\", \"date\"}"), i);
			return -1;
		}
		json_object_foreach(e, key, v) {
			for (k = 0; fields[k] != NULL; k++)
				if (strcmp(key, fields[k]) == 0)
					break;
			if (fields[k] == NULL) {
				http_problemf(rq, 400, _("unknown field"
				    " \"events[%zu].%.64s\""), i, key);
				return -1;
			}
			if (!json_is_string(v)) {
				http_problemf(rq, 400, _("field \"events[%zu].%s\""
				    " must be a string"), i, key);
				return -1;
			}
		}
		if ((evs[i].se_name = json_string_value(json_object_get(e,
		    "event"))) == NULL) {
			http_problemf(rq, 400, _("missing field"
			    " \"events[%zu].event\""), i);
			return -1;
		}
		if ((v = json_object_get(e, "date")) == NULL) {
			http_problemf(rq, 400, _("missing field"
			    " \"events[%zu].date\""), i);
			return -1;
		}
		snprintf(field, sizeof(field), "events[%zu].date", i);
		if (sim_time(rq, field, json_string_value(v), &evs[i].se_at,
		    warnings) == -1)
			return -1;
		evs[i].se_note = json_string_value(json_object_get(e, "note"));
		snprintf(field, sizeof(field), "events[%zu].note", i);
		if (evs[i].se_note != NULL && text_check(field,
		    evs[i].se_note, NOTE_MAX, err, sizeof(err)) == -1) {
			http_problemf(rq, 400, "%s", err);
			return -1;
		}
		evs[i].se_basis = json_string_value(json_object_get(e,
		    "basis"));
		(*n)++;
	}
	return 0;
}
