/*
 * termijn: termijnctl simulate, what a workflow would do with a case:
 * through termijnd (POST /v1/simulate) for a workflow it has loaded, or
 * offline for a workflow file that is not loaded yet, with the same core
 * (simulate.c) either way, so that both answer alike.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/simulate.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "ctl.h"

/* An --event as given: NAME@DATE[,basis=ID][,note=TEXT]. */
struct ctl_event {
	char		*ce_buf;	/* the argument, cut into the below */
	const char	*ce_name;
	const char	*ce_date;
	const char	*ce_basis;	/* or NULL */
	const char	*ce_note;	/* or NULL */
};

static int	 is_file(const char *);
static int	 read_events(const struct ctl_cmd *, const struct ctl_list *,
		    struct ctl_event **);
static void	 free_events(struct ctl_event *, size_t);
static void	 add_events(json_t *, const struct ctl_event *, size_t);
static int	 ask(struct ctl *, const char *, json_t *);
static int	 split_event(const struct ctl_cmd *, const char *,
		    struct ctl_event *);
static int	 offline(struct ctl *, const struct ctl_cmd *, const char *,
		    const char *, const struct ctl_event *, size_t);
static void	 print_timeline(FILE *, const json_t *);

/*
 * termijnctl simulate WORKFLOW --start DATE [--event NAME@DATE[,basis=ID]
 * [,note=TEXT] ...]: the
 * timeline, or with --json the answer as POST /v1/simulate gives it.
 * WORKFLOW is a loaded workflow's name, or a file (a path: with a '/', or
 * ending in .yaml or .yml), which is simulated offline.
 */
int
ctl_simulate_run(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*start = NULL;
	struct ctl_list	 evl = { NULL, 0 };
	const struct ctl_opt opts[] = {
		{ "start", &start, NULL, NULL },
		{ "event", NULL, NULL, &evl },
	};
	struct ctl_event *evs = NULL;
	char		**pos;
	json_t		*body = NULL;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		goto done;
	if (start == NULL) {
		ret = ctl_usage_error(cmd, _("--start is required"));
		goto done;
	}
	if ((ret = read_events(cmd, &evl, &evs)) != CTL_EXIT_OK)
		goto done;
	if (is_file(pos[0])) {
		ret = offline(ctl, cmd, pos[0], start, evs, evl.cl_count);
		goto done;
	}
	body = json_pack("{s:s, s:s, s:[]}", "workflow", pos[0], "start",
	    start, "events");
	add_events(body, evs, evl.cl_count);
	ret = ask(ctl, "/v1/simulate", body);
done:
	json_decref(body);
	free_events(evs, evl.cl_count);
	free(evl.cl_values);
	return ret;
}

/*
 * termijnctl case simulate ID [--event NAME@DATE[,basis=ID][,note=TEXT]
 * ...]: "wat als" for a running case, what would follow its last
 * transition (POST /v1/cases/{id}/simulate); nothing is recorded.
 */
int
ctl_simulate_case(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	struct ctl_list	 evl = { NULL, 0 };
	const struct ctl_opt opts[] = {
		{ "event", NULL, NULL, &evl },
	};
	struct ctl_event *evs = NULL;
	char		**pos, path[64];
	json_t		*body = NULL;
	int64_t		 id = 0;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		goto done;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK ||
	    (ret = read_events(cmd, &evl, &evs)) != CTL_EXIT_OK)
		goto done;
	body = json_pack("{s:[]}", "events");
	add_events(body, evs, evl.cl_count);
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/simulate", id);
	ret = ask(ctl, path, body);
done:
	json_decref(body);
	free_events(evs, evl.cl_count);
	free(evl.cl_values);
	return ret;
}

/* The --event arguments, each split; at most SIM_EVENTS_MAX of them. */
static int
read_events(const struct ctl_cmd *cmd, const struct ctl_list *evl,
    struct ctl_event **evs)
{
	size_t	i;
	int	ret;

	/* Never NULL, whatever is returned: free_events takes it. */
	*evs = xcalloc(evl->cl_count + 1, sizeof(**evs));
	if (evl->cl_count > SIM_EVENTS_MAX)
		return ctl_usage_error(cmd, _("too many events: %zu; a"
		    " simulation takes at most %d"), evl->cl_count,
		    SIM_EVENTS_MAX);
	for (i = 0; i < evl->cl_count; i++)
		if ((ret = split_event(cmd, evl->cl_values[i], &(*evs)[i])) !=
		    CTL_EXIT_OK)
			return ret;
	return CTL_EXIT_OK;
}

static void
free_events(struct ctl_event *evs, size_t n)
{
	size_t	i;

	if (evs == NULL)
		return;
	for (i = 0; i < n; i++)
		free(evs[i].ce_buf);
	free(evs);
}

/* The events into the body's "events", as the API takes them. */
static void
add_events(json_t *body, const struct ctl_event *evs, size_t n)
{
	json_t	*events = json_object_get(body, "events"), *e;
	size_t	 i;

	for (i = 0; i < n; i++) {
		e = json_pack("{s:s, s:s}", "event", evs[i].ce_name, "date",
		    evs[i].ce_date);
		if (evs[i].ce_basis != NULL)
			json_object_set_new(e, "basis",
			    json_string(evs[i].ce_basis));
		if (evs[i].ce_note != NULL)
			json_object_set_new(e, "note",
			    json_string(evs[i].ce_note));
		json_array_append_new(events, e);
	}
}

/* POST the body to path; print the timeline, or with --json the answer. */
static int
ask(struct ctl *ctl, const char *path, json_t *body)
{
	json_t	*reply = NULL;
	int	 ret;

	if ((ret = ctl_call(ctl, "POST", path, body, NULL, 1, &reply)) ==
	    CTL_EXIT_OK) {
		if (ctl->c_json)
			ctl_print_json(stdout, reply);
		else
			print_timeline(stdout, reply);
	}
	json_decref(reply);
	return ret;
}

/* A path rather than a name: names have no '/' and no .yaml. */
static int
is_file(const char *s)
{
	size_t	n = strlen(s);

	return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5,
	    ".yaml") == 0) || (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

/*
 * NAME@DATE[,basis=ID][,note=TEXT]: an event's name (no '@' in it), its
 * date or time (no ',' in it), then what a real event carries besides:
 * the legal basis of a sharing step (an id: no ',') and the note, which
 * runs to the end of the argument, so that it may hold any character and
 * comes last.  Cut in place, in a copy of the argument.
 */
static int
split_event(const struct ctl_cmd *cmd, const char *arg, struct ctl_event *ce)
{
	char	*p, *next, *eq;

	ce->ce_buf = xstrdup(arg);
	p = strchr(ce->ce_buf, '@');
	if (p == NULL || p == ce->ce_buf || p[1] == '\0' || p[1] == ',')
		return ctl_usage_error(cmd, _("--event %s: give it as"
		    " NAME@DATE[,basis=ID][,note=TEXT]"
		    " (decided@2026-03-10)"), arg);
	*p++ = '\0';
	ce->ce_name = ce->ce_buf;
	ce->ce_date = p;
	for (p = strchr(p, ','); p != NULL; p = next) {
		*p++ = '\0';
		if ((eq = strchr(p, '=')) == NULL)
			return ctl_usage_error(cmd, _("--event %s: \"%s\" is"
			    " not basis=ID or note=TEXT"), arg, p);
		*eq++ = '\0';
		next = NULL;
		if (strcmp(p, "note") == 0) {
			ce->ce_note = eq;
			if (*eq == '\0')
				return ctl_usage_error(cmd, _("--event %s: the"
				    " note is empty"), arg);
		} else if (strcmp(p, "basis") == 0 && ce->ce_basis == NULL) {
			next = strchr(eq, ',');
			ce->ce_basis = eq;
			if (*eq == '\0' || eq == next)
				return ctl_usage_error(cmd, _("--event %s: the"
				    " basis is empty"), arg);
		} else if (strcmp(p, "basis") == 0)
			return ctl_usage_error(cmd, _("--event %s: basis given"
			    " twice"), arg);
		else
			return ctl_usage_error(cmd, _("--event %s: unknown"
			    " \"%s\"; an event takes basis=ID and note=TEXT"),
			    arg, p);
	}
	return CTL_EXIT_OK;
}

/*
 * Offline: a workflow file no termijnd has loaded, checked as termijnd
 * --check does and then run by the same core as POST /v1/simulate.
 */
static int
offline(struct ctl *ctl, const struct ctl_cmd *cmd, const char *path,
    const char *start, const struct ctl_event *ces, size_t n)
{
	struct sim_event	*evs = NULL;
	struct sim_input	 in;
	struct engine_error	 ee;
	struct errlist		 errs;
	struct workflow		*wf = NULL;
	json_t			*o;
	char			 err[256], note[CAL_NOTE_LEN];
	size_t			 i;
	int			 ret = CTL_EXIT_ERR;

	errlist_init(&errs);
	memset(&in, 0, sizeof(in));
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1) {
		for (i = 0; i < errs.el_count; i++)
			ctl_warnx("simulate: %s", errs.el_msgs[i]);
		goto done;
	}
	if (cal_parse_time_note(start, &in.si_start, note, sizeof(note), err,
	    sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "--start: %s", err);
		goto done;
	}
	if (note[0] != '\0')
		ctl_warnx(_("warning: --start %s"), note);
	evs = xcalloc(n + 1, sizeof(*evs));
	for (i = 0; i < n; i++) {
		evs[i].se_name = ces[i].ce_name;
		evs[i].se_note = ces[i].ce_note;
		evs[i].se_basis = ces[i].ce_basis;
		if (cal_parse_time_note(ces[i].ce_date, &evs[i].se_at, note,
		    sizeof(note), err, sizeof(err)) == -1) {
			ret = ctl_usage_error(cmd, "--event %s@%s: %s",
			    ces[i].ce_name, ces[i].ce_date, err);
			goto done;
		}
		if (note[0] != '\0')
			ctl_warnx(_("warning: --event %s@%s: %s"),
			    ces[i].ce_name, ces[i].ce_date, note);
	}
	if (access(path, R_OK) == -1) {
		ctl_warnx("simulate: %s: %s", path, strerror(errno));
		goto done;
	}
	if ((wf = workflow_load_file(path, &errs)) == NULL) {
		for (i = 0; i < errs.el_count; i++)
			fprintf(stderr, "%s\n", errs.el_msgs[i]);
		goto done;
	}
	in.si_workflow = wf;
	in.si_events = evs;
	in.si_nevents = n;
	if ((o = simulate_run(&in, &ee)) == NULL) {
		ctl_warnx("simulate: %s", ee.ee_msg);
		goto done;
	}
	if (ctl->c_json)
		ctl_print_json(stdout, o);
	else
		print_timeline(stdout, o);
	json_decref(o);
	ret = CTL_EXIT_OK;
done:
	workflow_free(wf);
	free(evs);
	errlist_clear(&errs);
	return ret;
}

/*
 * For people: where the case ends and why there, its history (every
 * state it entered, by title), each deadline as case show prints it (its
 * date, explanation and ladder), and what the rungs told whom.
 */
static void
print_timeline(FILE *fp, const json_t *o)
{
	const json_t	*dl;
	const char	*ended, *row[2];
	char		*wf, *state, buf[32], why[160];
	struct ctl_table *t;
	size_t		 i;

	wf = ctl_title_named(o, "workflow");
	state = ctl_title_named(o, "state");
	ended = ctl_print_field(o, "ended", NULL, 0);
	t = ctl_table_new(2, NULL);
	row[0] = _("workflow:");
	row[1] = wf;
	ctl_table_add(t, row);
	row[0] = _("version:");
	row[1] = ctl_print_field(o, "version", buf, sizeof(buf));
	ctl_table_add(t, row);
	row[0] = _("start:");
	row[1] = ctl_print_field(o, "start", NULL, 0);
	ctl_table_add(t, row);
	row[0] = _("until:");
	row[1] = ctl_print_field(o, "until", NULL, 0);
	ctl_table_add(t, row);
	row[0] = _("ends in:");
	row[1] = state;
	ctl_table_add(t, row);
	row[0] = _("because:");
	if (strcmp(ended, "final") == 0)
		snprintf(why, sizeof(why), "%s", _("the case is final"));
	else if (strcmp(ended, "waiting") == 0)
		snprintf(why, sizeof(why), "%s", _("the case waits for an"
		    " event, and no deadline runs"));
	else if (strcmp(ended, "horizon") == 0)
		snprintf(why, sizeof(why), _("the simulation stopped %d years"
		    " after the last event, with a deadline still running"),
		    SIM_HORIZON_YEARS);
	else
		snprintf(why, sizeof(why), _("the simulation stopped after %d"
		    " moments at which deadlines fell due"), SIM_STEPS_MAX);
	row[1] = why;
	ctl_table_add(t, row);
	ctl_table_print(t, fp);
	ctl_table_free(t);
	free(wf);
	free(state);

	fprintf(fp, "\n%s\n", _("history:"));
	ctl_print_transitions(fp, json_object_get(o, "transitions"), 2,
	    ctl_print_width(fp));
	json_array_foreach(json_object_get(o, "deadlines"), i, dl) {
		fputc('\n', fp);
		ctl_print_deadline(fp, dl);
	}
	ctl_penalty_print(fp, o);
	/* Accepted, but started nothing: said, so that the casebook sees. */
	json_array_foreach(json_object_get(o, "not_recorded"), i, dl)
		fprintf(fp, _("\nevent %lld (%s at %s) recorded nothing: %s\n"),
		    (long long)json_integer_value(json_object_get(dl, "event")),
		    json_string_value(json_object_get(dl, "name")),
		    json_string_value(json_object_get(dl, "at")),
		    json_string_value(json_object_get(dl, "explanation")));
	fputc('\n', fp);
	ctl_notify_print(fp, json_object_get(o, "notifications"));
	if (strcmp(ended, "final") != 0) {
		fputc('\n', fp);
		ctl_title_accepts(fp, o);
	}
}
