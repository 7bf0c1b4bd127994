/* termijn: the engine applies events and deadlines to cases. */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/period.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#define ENGINE_ACTOR	"termijnd"	/* the actor of deadline transitions */
#define NOTE_MAX	1024

static int	 engine_error(struct engine_error *, enum engine_status,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static int	 store_error(struct engine_error *, int, const char *);
static int	 enter_state(struct engine *, struct case_row *,
		    const struct workflow *, const char *, int64_t,
		    struct engine_error *);
static int	 transition(struct engine *, struct case_row *,
		    const struct workflow *, const char *, const char *,
		    const char *, const char *, const char *, int64_t, int64_t,
		    struct engine_error *);
static int	 fire(struct engine *, const struct deadline_row *, int64_t,
		    struct engine_error *);
static int	 settle(struct engine *, int64_t, int64_t, struct engine_error *);
static int	 first_due_cb(const struct deadline_row *, void *);
static int	 workflow_has_event(const struct workflow *, const char *);

void
engine_init(struct engine *en, struct store *st, struct registry *reg)
{
	memset(en, 0, sizeof(*en));
	en->en_store = st;
	en->en_registry = reg;
	en->en_settle_max = 64;
}

void
engine_free(struct engine *en)
{
	free(en->en_log);
	en->en_log = NULL;
	en->en_nlog = en->en_caplog = 0;
}

void
engine_set_registry(struct engine *en, struct registry *reg)
{
	en->en_registry = reg;
}

static int
engine_error(struct engine_error *ee, enum engine_status status,
    const char *fmt, ...)
{
	va_list	ap;

	ee->ee_status = status;
	va_start(ap, fmt);
	vsnprintf(ee->ee_msg, sizeof(ee->ee_msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Turn a store failure into an engine error; the store logged the detail. */
static int
store_error(struct engine_error *ee, int rc, const char *what)
{
	if (rc == -STORE_EFULL)
		return engine_error(ee, ENGINE_EFULL, "the database cannot take"
		    " writes (disk full) while %s; nothing was changed", what);
	return engine_error(ee, ENGINE_ESTORE, "the database failed while %s;"
	    " nothing was changed", what);
}

const struct workflow *
engine_case_workflow(struct engine *en, const struct case_row *c)
{
	return registry_get(en->en_registry, c->c_workflow, c->c_version);
}

/*
 * A case enters a state: the state's deadline, if any, starts to run from
 * the anchor (the moment the state was entered, or the moment the previous
 * deadline passed when catching up), so that a chain of missed deadlines
 * lands where it would have landed had termijnd been running.
 */
static int
enter_state(struct engine *en, struct case_row *c, const struct workflow *wf,
    const char *name, int64_t anchor, struct engine_error *ee)
{
	const struct wf_state		*ws;
	const struct wf_deadline	*wd;
	struct deadline_row		 d;
	struct due			 due;
	char				 err[256];
	int				 rc;

	if ((ws = workflow_state(wf, name)) == NULL)
		return engine_error(ee, ENGINE_ESTORE, "workflow %s version %d"
		    " has no state %s", wf->wf_name, wf->wf_version, name);
	c->c_final = ws->ws_final;
	if ((wd = ws->ws_deadline) == NULL)
		return 0;
	memset(&due, 0, sizeof(due));
	if (period_due(anchor, &wd->wd_spec, &due, err, sizeof(err)) == -1) {
		due_free(&due);
		return engine_error(ee, ENGINE_EINVAL, "deadline %s of state %s:"
		    " %s", wd->wd_name, name, err);
	}
	memset(&d, 0, sizeof(d));
	d.d_case = c->c_id;
	snprintf(d.d_name, sizeof(d.d_name), "%s", wd->wd_name);
	snprintf(d.d_state, sizeof(d.d_state), "%s", name);
	snprintf(d.d_then, sizeof(d.d_then), "%s", wd->wd_then);
	period_format(&wd->wd_spec.ps_period, d.d_period, sizeof(d.d_period));
	snprintf(d.d_rule, sizeof(d.d_rule), "%s",
	    period_rule_name(wd->wd_spec.ps_rule));
	snprintf(d.d_kind, sizeof(d.d_kind), "%s",
	    deadline_kind_name(wd->wd_kind));
	d.d_anchor = anchor;
	d.d_due = due.du_at;
	due_free(&due);
	if ((rc = store_deadline_insert(en->en_store, &d)) != 0)
		return store_error(ee, rc, "starting a deadline");
	return 0;
}

/* Record one transition of a case and move it into the new state. */
static int
transition(struct engine *en, struct case_row *c, const struct workflow *wf,
    const char *to, const char *cause, const char *event, const char *actor,
    const char *note, int64_t at, int64_t now, struct engine_error *ee)
{
	struct transition_row	*t;
	struct engine_logline	*l;
	int			 rc;

	t = xcalloc(1, sizeof(*t));
	t->t_case = c->c_id;
	t->t_at = at;
	t->t_recorded_at = now;
	snprintf(t->t_from, sizeof(t->t_from), "%s",
	    strcmp(cause, "create") == 0 ? "" : c->c_state);
	snprintf(t->t_to, sizeof(t->t_to), "%s", to);
	snprintf(t->t_cause, sizeof(t->t_cause), "%s", cause);
	snprintf(t->t_event, sizeof(t->t_event), "%s", event ? event : "");
	snprintf(t->t_actor, sizeof(t->t_actor), "%s", actor);
	snprintf(t->t_note, sizeof(t->t_note), "%s", note ? note : "");
	if (strcmp(cause, "create") != 0 &&
	    (rc = store_deadlines_stop(en->en_store, c->c_id)) != 0) {
		free(t);
		return store_error(ee, rc, "stopping deadlines");
	}
	if ((rc = store_transition_insert(en->en_store, t)) != 0) {
		free(t);
		return store_error(ee, rc, "recording a transition");
	}

	if (en->en_nlog == en->en_caplog) {
		en->en_caplog = en->en_caplog ? en->en_caplog * 2 : 64;
		en->en_log = xreallocarray(en->en_log, en->en_caplog,
		    sizeof(*en->en_log));
	}
	l = &en->en_log[en->en_nlog++];
	l->el_case = c->c_id;
	snprintf(l->el_workflow, sizeof(l->el_workflow), "%s", wf->wf_name);
	l->el_version = wf->wf_version;
	snprintf(l->el_from, sizeof(l->el_from), "%s", t->t_from);
	snprintf(l->el_to, sizeof(l->el_to), "%s", to);
	snprintf(l->el_cause, sizeof(l->el_cause), "%s", cause);
	snprintf(l->el_event, sizeof(l->el_event), "%s", t->t_event);
	snprintf(l->el_actor, sizeof(l->el_actor), "%s", actor);
	free(t);

	if (strcmp(cause, "create") != 0) {
		snprintf(c->c_state, sizeof(c->c_state), "%s", to);
		c->c_state_since = at;
		c->c_updated_at = now;
		if (enter_state(en, c, wf, to, at, ee) == -1)
			return -1;
		if ((rc = store_case_update_state(en->en_store, c)) != 0)
			return store_error(ee, rc, "updating a case");
	}
	return 0;
}

/* A deadline passed: the case moves on, as of the moment it passed. */
static int
fire(struct engine *en, const struct deadline_row *d, int64_t now,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct case_row		 c;
	int			 rc;

	if ((rc = store_case_get(en->en_store, d->d_case, &c)) != 0)
		return store_error(ee, rc < 0 ? rc : -1, "reading a case");
	if ((wf = engine_case_workflow(en, &c)) == NULL)
		return engine_error(ee, ENGINE_ESTORE, "case %lld: workflow %s"
		    " version %d is not loaded", (long long)c.c_id,
		    c.c_workflow, c.c_version);
	if (strcmp(c.c_state, d->d_state) != 0) {
		/* Cannot happen: leaving a state stops its deadlines. */
		log_warnx("case %lld: deadline %lld of state %s while in %s;"
		    " stopped", (long long)c.c_id, (long long)d->d_id,
		    d->d_state, c.c_state);
		if ((rc = store_deadlines_stop(en->en_store, c.c_id)) != 0)
			return store_error(ee, rc, "stopping deadlines");
		return 0;
	}
	return transition(en, &c, wf, d->d_then, "deadline", d->d_name,
	    ENGINE_ACTOR, NULL, d->d_due, now, ee);
}

/* Keep the first row: the rows come earliest first. */
static int
first_due_cb(const struct deadline_row *d, void *arg)
{
	struct deadline_row	*first = arg;

	if (first->d_id == 0)
		*first = *d;
	return 0;
}

/*
 * Fire the deadlines of one case that passed before now, in order, so that
 * an event or a registration sees the state the case is really in.  At most
 * en_settle_max transitions; the scheduler picks up the rest.
 */
static int
settle(struct engine *en, int64_t id, int64_t now, struct engine_error *ee)
{
	struct deadline_row	d;
	int			i, rc;

	for (i = 0; i < en->en_settle_max; i++) {
		d.d_id = 0;
		rc = store_deadlines_of_case(en->en_store, id, 1, first_due_cb,
		    &d);
		if (rc != 0)
			return store_error(ee, rc, "reading deadlines");
		if (d.d_id == 0 || d.d_due > now)
			return 0;
		if (fire(en, &d, now, ee) == -1)
			return -1;
	}
	return 0;
}

int
engine_case_create(struct engine *en, const struct case_input *in,
    const char *actor, int64_t now, int64_t *id, struct engine_error *ee)
{
	const struct workflow	*wf;
	struct case_row		 c;
	int64_t			 started;
	int			 rc;

	if ((wf = registry_current(en->en_registry, in->ci_workflow)) == NULL)
		return engine_error(ee, ENGINE_EINVAL, "unknown workflow \"%s\"",
		    in->ci_workflow);
	if (!name_valid(in->ci_reference))
		return engine_error(ee, ENGINE_EINVAL, "reference must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit");
	if (reference_looks_like_bsn(in->ci_reference))
		return engine_error(ee, ENGINE_EINVAL, "reference looks like a"
		    " citizen service number (BSN); use the municipality's own"
		    " case number");
	if (!name_valid(in->ci_team))
		return engine_error(ee, ENGINE_EINVAL, "team must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit");
	started = in->ci_started_at ? in->ci_started_at : now;
	if (started > now)
		return engine_error(ee, ENGINE_EINVAL, "started_at is in the"
		    " future; register an agreement when it has been made");

	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "%s", wf->wf_name);
	c.c_version = wf->wf_version;
	snprintf(c.c_reference, sizeof(c.c_reference), "%s", in->ci_reference);
	snprintf(c.c_team, sizeof(c.c_team), "%s", in->ci_team);
	snprintf(c.c_state, sizeof(c.c_state), "%s", wf->wf_start);
	c.c_started_at = started;
	c.c_state_since = started;
	c.c_created_at = now;
	c.c_updated_at = now;
	if ((rc = store_case_insert(en->en_store, &c)) != 0)
		return store_error(ee, rc, "registering a case");
	if (transition(en, &c, wf, wf->wf_start, "create", NULL, actor, NULL,
	    started, now, ee) == -1)
		return -1;
	if (enter_state(en, &c, wf, wf->wf_start, started, ee) == -1)
		return -1;
	if (c.c_final && (rc = store_case_update_state(en->en_store, &c)) != 0)
		return store_error(ee, rc, "updating a case");
	if (settle(en, c.c_id, now, ee) == -1)
		return -1;
	*id = c.c_id;
	return 0;
}

static int
workflow_has_event(const struct workflow *wf, const char *event)
{
	size_t	i;

	for (i = 0; i < wf->wf_nstates; i++)
		if (wf_state_event(&wf->wf_states[i], event) != NULL)
			return 1;
	return 0;
}

int
engine_case_event(struct engine *en, int64_t id, const char *event,
    const char *note, const char *actor, int64_t now, struct engine_error *ee)
{
	const struct workflow	*wf;
	const struct wf_state	*ws;
	const struct wf_event	*we;
	struct case_row		 c;
	int			 rc;

	if ((rc = store_case_get(en->en_store, id, &c)) == STORE_ENOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, "no case %lld",
		    (long long)id);
	if (rc != 0)
		return store_error(ee, rc, "reading a case");
	if ((wf = engine_case_workflow(en, &c)) == NULL)
		return engine_error(ee, ENGINE_ESTORE, "case %lld: workflow %s"
		    " version %d is not loaded", (long long)id, c.c_workflow,
		    c.c_version);
	if (!workflow_has_event(wf, event))
		return engine_error(ee, ENGINE_EINVAL, "workflow %s has no"
		    " event \"%s\"", wf->wf_name, event);
	if (note != NULL && strlen(note) > NOTE_MAX)
		return engine_error(ee, ENGINE_EINVAL, "note is longer than %d"
		    " bytes", NOTE_MAX);

	/* A deadline that passed before this event wins: settle first. */
	if (settle(en, id, now, ee) == -1)
		return -1;
	if ((rc = store_case_get(en->en_store, id, &c)) != 0)
		return store_error(ee, rc < 0 ? rc : -1, "reading a case");
	ws = workflow_state(wf, c.c_state);
	if (ws == NULL || (we = wf_state_event(ws, event)) == NULL) {
		snprintf(ee->ee_state, sizeof(ee->ee_state), "%s", c.c_state);
		return engine_error(ee, ENGINE_ECONFLICT, "case %lld is in state"
		    " %s, which does not accept event %s", (long long)id,
		    c.c_state, event);
	}
	return transition(en, &c, wf, we->we_to, "event", event, actor, note,
	    now, now, ee);
}

/*
 * Fire up to max deadlines that are due, earliest first.  Each firing may
 * start a deadline in the next state that is itself already due (after
 * downtime); it is found by the next call, so a backlog drains in order,
 * max at a time, each batch one transaction of the caller's.
 */
int
engine_fire_due(struct engine *en, int64_t now, size_t max, size_t *fired,
    struct engine_error *ee)
{
	struct deadline_row	*due, cur;
	size_t			 n, i;
	int			 rc;

	*fired = 0;
	en->en_fired_due_min = INT64_MAX;
	if (max == 0)
		return 0;
	due = xcalloc(max, sizeof(*due));
	if ((rc = store_deadlines_due(en->en_store, now, due, max, &n)) != 0) {
		free(due);
		return store_error(ee, rc, "finding due deadlines");
	}
	for (i = 0; i < n; i++) {
		/* An earlier firing in this batch may have stopped it. */
		if ((rc = store_deadline_get(en->en_store, due[i].d_id,
		    &cur)) < 0) {
			free(due);
			return store_error(ee, rc, "reading a deadline");
		}
		if (rc == STORE_ENOTFOUND || !cur.d_active)
			continue;
		if (fire(en, &cur, now, ee) == -1) {
			free(due);
			return -1;
		}
		if (cur.d_due < en->en_fired_due_min)
			en->en_fired_due_min = cur.d_due;
		(*fired)++;
	}
	free(due);
	return 0;
}

size_t
engine_log_mark(struct engine *en)
{
	return en->en_nlog;
}

void
engine_log_cut(struct engine *en, size_t mark)
{
	if (mark < en->en_nlog)
		en->en_nlog = mark;
}

/* One syslog line per committed transition: ids and names, never notes. */
void
engine_log_flush(struct engine *en)
{
	struct engine_logline	*l;
	size_t			 i;

	for (i = 0; i < en->en_nlog; i++) {
		l = &en->en_log[i];
		log_info("transition case=%lld workflow=%s version=%d from=%s"
		    " to=%s cause=%s event=%s actor=%s", (long long)l->el_case,
		    l->el_workflow, l->el_version,
		    l->el_from[0] ? l->el_from : "-", l->el_to, l->el_cause,
		    l->el_event[0] ? l->el_event : "-", l->el_actor);
	}
	en->en_nlog = 0;
}

int
engine_pin_workflows(struct engine *en, struct registry *reg, int64_t now,
    struct errlist *errs)
{
	const struct workflow	*wf;
	char			 digest[65];
	size_t			 i;
	int			 rc, bad = 0;

	if (store_begin(en->en_store) != 0) {
		errlist_add(errs, "database: %s", store_errmsg(en->en_store));
		return -1;
	}
	for (i = 0; i < registry_count(reg); i++) {
		wf = registry_at(reg, i);
		rc = store_workflow_digest(en->en_store, wf->wf_name,
		    wf->wf_version, digest);
		if (rc == 0 && strcmp(digest, wf->wf_digest) != 0) {
			errlist_add(errs, "%s: workflow %s version %d differs from"
			    " the version %d its cases were started on; raise its"
			    " version", wf->wf_path ? wf->wf_path : wf->wf_name,
			    wf->wf_name, wf->wf_version, wf->wf_version);
			bad = 1;
		} else if (rc == STORE_ENOTFOUND) {
			rc = store_workflow_put(en->en_store, wf->wf_name,
			    wf->wf_version, wf->wf_digest, wf->wf_source,
			    wf->wf_sourcelen, now);
		}
		if (rc < 0) {
			errlist_add(errs, "database: %s",
			    store_errmsg(en->en_store));
			bad = 1;
			break;
		}
	}
	if (bad) {
		store_rollback(en->en_store);
		return -1;
	}
	if (store_commit(en->en_store) != 0) {
		errlist_add(errs, "database: %s", store_errmsg(en->en_store));
		store_rollback(en->en_store);
		return -1;
	}
	return 0;
}

struct pinned_arg {
	struct registry	*pa_reg;
	struct errlist	*pa_errs;
	int		 pa_bad;
};

static int
load_pinned_cb(const char *name, int version, const char *source, size_t len,
    void *arg)
{
	struct pinned_arg	*pa = arg;
	struct workflow		*wf;
	char			 label[128];

	if (registry_get(pa->pa_reg, name, version) != NULL)
		return 0;
	snprintf(label, sizeof(label), "database:%s@%d", name, version);
	if ((wf = workflow_parse(label, source, len, pa->pa_errs)) == NULL) {
		pa->pa_bad = 1;
		return 0;
	}
	if (registry_add(pa->pa_reg, wf, pa->pa_errs) == -1)
		pa->pa_bad = 1;
	return 0;
}

int
engine_load_pinned(struct engine *en, struct registry *reg,
    struct errlist *errs)
{
	struct pinned_arg	pa = { reg, errs, 0 };

	if (store_workflows_each(en->en_store, load_pinned_cb, &pa) != 0) {
		errlist_add(errs, "database: %s", store_errmsg(en->en_store));
		return -1;
	}
	return pa.pa_bad ? -1 : 0;
}

/*
 * A citizen service number (BSN) has 9 digits (older ones 8, written with
 * a leading zero) and passes the eleven-test: 9*d1 + 8*d2 + ... + 2*d8 -
 * d9 is a multiple of 11 (and not 0).  termijn refuses references that are
 * such a number, written with or without separators, or that contain one as
 * a run of 9 digits.
 */
static int
eleven_test(const char *d)
{
	int	i, sum = 0;

	for (i = 0; i < 8; i++)
		sum += (9 - i) * (d[i] - '0');
	sum -= d[8] - '0';
	return sum != 0 && sum % 11 == 0;
}

int
reference_looks_like_bsn(const char *ref)
{
	char	 digits[65];
	size_t	 n = 0, run;
	const char *p;

	for (p = ref; *p != '\0' && n < sizeof(digits) - 1; p++) {
		if (isdigit((unsigned char)*p))
			digits[n++] = *p;
		else if (*p != '.' && *p != ' ' && *p != '-')
			break;
	}
	digits[n] = '\0';
	if (*p == '\0') {
		if (n == 9 && eleven_test(digits))
			return 1;
		if (n == 8) {
			char	padded[10] = "0";

			memcpy(padded + 1, digits, 9);
			if (eleven_test(padded))
				return 1;
		}
	}
	for (p = ref; *p != '\0'; p += run ? run : 1) {
		run = strspn(p, "0123456789");
		if (run == 9 && eleven_test(p))
			return 1;
	}
	return 0;
}

int
name_valid(const char *s)
{
	size_t	i;

	if (s == NULL || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= STORE_NAME_LEN - 1)
			return 0;
		if (!isalnum((unsigned char)s[i]) && strchr("._/-", s[i]) == NULL)
			return 0;
	}
	return 1;
}
