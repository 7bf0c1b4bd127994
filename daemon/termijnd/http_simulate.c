/* termijn: POST /v1/simulate, what a loaded workflow would do with a case. */

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

#include "termijnd.h"

static int	 sim_time(struct req *, const char *, const char *, int64_t *,
		    json_t *);
static int	 sim_events(struct req *, json_t *, struct sim_event *,
		    size_t *, json_t *);

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
	const struct workflow	*wf;
	const char		*name, *start;
	json_t			*events, *warnings, *o;

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
		goto done;
	events = json_object_get(rq->rq_body, "events");
	if (events != NULL && !json_is_null(events) &&
	    !json_is_array(events)) {
		http_problemf(rq, 400, _("field \"%s\" must be an array"),
		    "events");
		goto done;
	}
	if (json_array_size(events) > SIM_EVENTS_MAX) {
		http_problemf(rq, 400, _("too many events: %zu; a simulation"
		    " takes at most %d"), json_array_size(events),
		    SIM_EVENTS_MAX);
		goto done;
	}
	if (sim_events(rq, events, evs, &in.si_nevents, warnings) == -1)
		goto done;
	in.si_events = evs;
	if ((wf = registry_current(rq->rq_d->d_registry, name)) == NULL) {
		engine_unknown_workflow(rq->rq_d->d_engine, name, &ee);
		/* Not a write: nothing else sends the refusal. */
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto done;
	}
	in.si_workflow = wf;
	if ((o = simulate_run(&in, &ee)) == NULL) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto done;
	}
	if (json_array_size(warnings) > 0)
		json_object_set(o, "warnings", warnings);
	http_json(rq, 200, o);
done:
	json_decref(warnings);
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
