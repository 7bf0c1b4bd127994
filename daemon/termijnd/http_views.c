/* termijn: what supervisors and enforcement look at: overdue, at risk, summary, queues. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/period.h"
#include "termijn/view.h"

#include "termijnd.h"

#define VIEW_DEFAULT	50
#define VIEW_MAX	500
#define WITHIN_DEFAULT	"P5D"
#define REPORT_DAYS_MAX	366	/* a report covers a year at most */

static int	 view_query(struct req *, const char *const *, int);
static void	 view_filter_of(struct req *, struct view_filter *);
static int	 read_logged(struct req *, int64_t, const char *);
static int64_t	 within_until(struct req *, int64_t);
static void	 apply_overdue(struct req *);
static void	 apply_at_risk(struct req *);
static void	 apply_summary(struct req *);
static void	 apply_queue(struct req *);
static int	 report_date(struct req *, struct evkeyvalq *, const char *,
		    struct cal_date *, int64_t *);

/*
 * The views read many cases, so they are done in the group commit like
 * the list of cases: each case shown is a read of it, logged once per
 * answer, and the answer goes out only with those rows committed.
 */
struct view_arg {
	struct req	*va_req;
	json_t		*va_items;
	int64_t		 va_now;
	int64_t		*va_seen;	/* cases logged for this answer */
	size_t		 va_nseen;
	int		 va_count;
	int		 va_failed;
	struct view_filter va_last;	/* the cursor of the last item */
};

static const char *const filters[] = {
	"team", "workflow", "state", "kind", "assignee", "limit", "cursor",
	NULL
};
static const char *const risk_filters[] = {
	"team", "workflow", "state", "kind", "assignee", "limit", "within",
	NULL
};

/*
 * The filters of a view, kept in rq_body for the write that runs later;
 * with_within: the view takes a period (at risk, summary).  Answers on error.
 */
static int
view_query(struct req *rq, const char *const *allowed, int with_within)
{
	struct evkeyvalq	 q;
	struct period		 p;
	const char		*v;
	char			 err[256];
	size_t			 i;
	int			 ret = -1;

	if (req_query(rq, allowed, &q) == -1)
		return -1;
	if (page_params(rq, &q, VIEW_DEFAULT, NULL, &rq->rq_limit) == -1)
		goto done;
	rq->rq_body = json_object();
	for (i = 0; allowed[i] != NULL; i++)
		if ((v = evhttp_find_header(&q, allowed[i])) != NULL)
			json_object_set_new(rq->rq_body, allowed[i],
			    json_string(v));
	if (with_within) {
		v = evhttp_find_header(&q, "within");
		if (period_parse(v ? v : WITHIN_DEFAULT, &p, err,
		    sizeof(err)) == -1 || p.p_count <= 0) {
			http_problemf(rq, 400, "within: %s", err);
			goto done;
		}
	}
	ret = 0;
done:
	evhttp_clear_headers(&q);
	return ret;
}

static const char *
filter_of(struct req *rq, const char *name)
{
	return json_string_value(json_object_get(rq->rq_body, name));
}

/* The view's filter and its cursor, as view_query kept them. */
static void
view_filter_of(struct req *rq, struct view_filter *vf)
{
	const char	*cursor = filter_of(rq, "cursor");
	long long	 flag, due, id;

	memset(vf, 0, sizeof(*vf));
	vf->vf_team = filter_of(rq, "team");
	vf->vf_workflow = filter_of(rq, "workflow");
	vf->vf_state = filter_of(rq, "state");
	vf->vf_kind = filter_of(rq, "kind");
	vf->vf_assignee = filter_of(rq, "assignee");
	vf->vf_limit = rq->rq_limit;
	vf->vf_after_flag = -1;
	vf->vf_after_due = INT64_MIN;
	if (cursor != NULL && sscanf(cursor, "%lld.%lld.%lld", &flag, &due,
	    &id) == 3) {
		vf->vf_after_flag = (int)flag;
		vf->vf_after_due = due;
		vf->vf_after_id = id;
	}
}

/* The cursor to go on from, when the page was full. */
static void
view_answer(struct req *rq, struct view_arg *va, const char *key)
{
	char	cursor[96];

	if (va->va_failed) {
		json_decref(va->va_items);
		req_problem(rq, 503, "the reads could not be logged; nothing"
		    " was read", NULL);
		return;
	}
	snprintf(cursor, sizeof(cursor), "%d.%" PRId64 ".%" PRId64,
	    va->va_last.vf_after_flag, va->va_last.vf_after_due,
	    va->va_last.vf_after_id);
	req_json(rq, 200, json_pack("{s:o, s:s?}", key, va->va_items,
	    "next_cursor", va->va_count == rq->rq_limit ? cursor : NULL));
}

/* Log a read of a case once per answer. */
static int
read_logged(struct req *rq, int64_t id, const char *what)
{
	struct view_arg		*va = rq->rq_view;
	struct engine_error	 ee;
	size_t			 i;

	for (i = 0; i < va->va_nseen; i++)
		if (va->va_seen[i] == id)
			return 0;
	if (engine_read_log(rq->rq_d->d_engine, &rq->rq_actor, id, what,
	    va->va_now, &ee) == -1)
		return -1;
	va->va_seen = xreallocarray(va->va_seen, va->va_nseen + 1,
	    sizeof(*va->va_seen));
	va->va_seen[va->va_nseen++] = id;
	return 0;
}

static int64_t
within_until(struct req *rq, int64_t now)
{
	struct period_spec	ps;
	struct cal_date		cd;
	const char		*v = filter_of(rq, "within");
	char			err[256];
	int64_t			tod;

	memset(&ps, 0, sizeof(ps));
	if (period_parse(v ? v : WITHIN_DEFAULT, &ps.ps_period, err,
	    sizeof(err)) == -1)
		return now;
	if (period_is_hours(&ps.ps_period))
		return now + (int64_t)ps.ps_period.p_count * 3600000;
	cal_local_date(now, &cd);
	tod = now - cal_local_midnight(&cd);
	period_date_move(&cd, &ps, 1);
	return cal_local_midnight(&cd) + tod;
}

static void
view_begin(struct req *rq, struct view_arg *va)
{
	memset(va, 0, sizeof(*va));
	va->va_req = rq;
	va->va_items = json_array();
	va->va_now = clock_now();
	rq->rq_view = va;
}

static void
view_end(struct req *rq, struct view_arg *va)
{
	free(va->va_seen);
	rq->rq_view = NULL;
}

static void
view_refused(struct req *rq, struct view_arg *va,
    const struct engine_error *ee)
{
	json_decref(va->va_items);
	rq->rq_clean = !va->va_failed && va->va_nseen == 0;
	engine_problem(rq, ee, 0);
}

/* GET /v1/overdue */
void
http_overdue(struct req *rq)
{
	if (view_query(rq, filters, 0) == -1)
		return;
	rq->rq_apply = apply_overdue;
	commit_enqueue(rq->rq_d, rq);
}

static enum store_status
overdue_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct view_arg	*va = arg;
	json_t		*o;

	if ((o = view_overdue(va->va_req->rq_d->d_engine, c, d,
	    va->va_now)) == NULL)
		return STORE_FAILED;
	if (read_logged(va->va_req, c->c_id, "overdue") == -1) {
		json_decref(o);
		va->va_failed = 1;
		return STORE_FAILED;
	}
	json_array_append_new(va->va_items, o);
	va->va_count++;
	va->va_last.vf_after_flag = 0;
	va->va_last.vf_after_due = d->d_due;
	va->va_last.vf_after_id = d->d_id;
	return STORE_OK;
}

static void
apply_overdue(struct req *rq)
{
	struct engine_error	ee;
	struct view_filter	vf;
	struct view_arg		va;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	if (engine_overdue(rq->rq_d->d_engine, &rq->rq_actor, &vf,
	    overdue_cb, &va, &ee) == -1)
		view_refused(rq, &va, &ee);
	else
		view_answer(rq, &va, "overdue");
	view_end(rq, &va);
}

/* GET /v1/at-risk?within=P5D */
void
http_at_risk(struct req *rq)
{
	if (view_query(rq, risk_filters, 1) == -1)
		return;
	rq->rq_apply = apply_at_risk;
	commit_enqueue(rq->rq_d, rq);
}

static enum store_status
risk_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct view_arg	*va = arg;

	if (read_logged(va->va_req, c->c_id, "at-risk") == -1) {
		va->va_failed = 1;
		return STORE_FAILED;
	}
	json_array_append_new(va->va_items, view_at_risk(c, d, va->va_now));
	va->va_count++;
	return STORE_OK;
}

static void
apply_at_risk(struct req *rq)
{
	struct engine_error	 ee;
	struct view_filter	 vf;
	struct view_arg		 va;
	json_t			*risk;
	int64_t			 until;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	until = within_until(rq, va.va_now);
	if (engine_at_risk(rq->rq_d->d_engine, &rq->rq_actor, &vf, va.va_now,
	    until, risk_cb, &va, &ee) == -1) {
		view_refused(rq, &va, &ee);
		goto done;
	}
	risk = va.va_items;
	va.va_items = json_array();
	if (engine_suspended(rq->rq_d->d_engine, &rq->rq_actor, &vf, risk_cb,
	    &va, &ee) == -1) {
		json_decref(risk);
		view_refused(rq, &va, &ee);
		goto done;
	}
	if (va.va_failed) {
		json_decref(risk);
		json_decref(va.va_items);
		req_problem(rq, 503, "the reads could not be logged; nothing"
		    " was read", NULL);
		goto done;
	}
	req_json(rq, 200, json_pack("{s:s, s:o, s:o}", "within",
	    filter_of(rq, "within") ? filter_of(rq, "within") : WITHIN_DEFAULT,
	    "at_risk", risk, "suspended", va.va_items));
done:
	view_end(rq, &va);
}

/* GET /v1/summary?within=P5D: counts, no case content, so no read log. */
void
http_summary(struct req *rq)
{
	static const char *const params[] = {
		"team", "workflow", "state", "kind", "within", NULL
	};

	if (view_query(rq, params, 1) == -1)
		return;
	rq->rq_apply = apply_summary;
	commit_enqueue(rq->rq_d, rq);
}

static enum store_status
summary_cb(const struct summary_row *sm, void *arg)
{
	struct view_arg	*va = arg;

	json_array_append_new(va->va_items, view_summary(sm));
	return STORE_OK;
}

static void
apply_summary(struct req *rq)
{
	struct engine_error	ee;
	struct view_filter	vf;
	struct view_arg		va;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	rq->rq_clean = 1;
	if (engine_summary(rq->rq_d->d_engine, &rq->rq_actor, &vf, va.va_now,
	    within_until(rq, va.va_now), summary_cb, &va, &ee) == -1)
		view_refused(rq, &va, &ee);
	else
		req_json(rq, 200, json_pack("{s:s, s:o}", "within",
		    filter_of(rq, "within") ? filter_of(rq, "within") :
		    WITHIN_DEFAULT, "summary", va.va_items));
	view_end(rq, &va);
}

/* GET /v1/queue: what escalated and nobody picked up yet first. */
void
http_queue(struct req *rq)
{
	static const char *const params[] = {
		"team", "workflow", "state", "limit", "cursor", NULL
	};

	if (view_query(rq, params, 0) == -1)
		return;
	rq->rq_apply = apply_queue;
	commit_enqueue(rq->rq_d, rq);
}

static enum store_status
queue_cb(const struct case_row *c, void *arg)
{
	struct view_arg	*va = arg;

	if (read_logged(va->va_req, c->c_id, "queue") == -1) {
		va->va_failed = 1;
		return STORE_FAILED;
	}
	json_array_append_new(va->va_items,
	    view_queue_item(va->va_req->rq_d->d_engine, c));
	va->va_count++;
	va->va_last.vf_after_flag = c->c_assignee[0] != '\0';
	va->va_last.vf_after_due = c->c_state_since;
	va->va_last.vf_after_id = c->c_id;
	return STORE_OK;
}

static void
apply_queue(struct req *rq)
{
	struct engine_error	ee;
	struct view_filter	vf;
	struct view_arg		va;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	if (engine_queue(rq->rq_d->d_engine, &rq->rq_actor, &vf, queue_cb,
	    &va, &ee) == -1)
		view_refused(rq, &va, &ee);
	else
		view_answer(rq, &va, "queue");
	view_end(rq, &va);
}

/* A date parameter of the report, as the start of that day; answers on error. */
static int
report_date(struct req *rq, struct evkeyvalq *q, const char *name,
    struct cal_date *cd, int64_t *ms)
{
	const char	*v = evhttp_find_header(q, name);

	if (v == NULL) {
		http_problemf(rq, 400, "missing query parameter \"%s\" (a date,"
		    " YYYY-MM-DD)", name);
		return -1;
	}
	if (cal_date_parse(v, cd) == -1) {
		http_problemf(rq, 400, "%s \"%.32s\" is not a date YYYY-MM-DD"
		    " that exists", name, v);
		return -1;
	}
	*ms = cal_local_midnight(cd);
	return 0;
}

/*
 * GET /v1/report?from=&to=&by=team|workflow|kind|month&team=: counts, no
 * case content, so no read log, and no write: answered from the read
 * transaction the request runs in.
 */
void
http_report(struct req *rq)
{
	static const char *const params[] = {
		"from", "to", "by", "team", NULL
	};
	struct evkeyvalq	 q;
	struct engine_error	 ee;
	struct report		 rp;
	struct cal_date		 from, to;
	enum report_by		 by = REPORT_BY_TEAM;
	const char		*v;
	int64_t			 lo, hi;

	if (req_query(rq, params, &q) == -1)
		return;
	if (report_date(rq, &q, "from", &from, &lo) == -1 ||
	    report_date(rq, &q, "to", &to, &hi) == -1)
		goto done;
	if (cal_date_to_days(&to) <= cal_date_to_days(&from) ||
	    cal_date_to_days(&to) - cal_date_to_days(&from) >
	    REPORT_DAYS_MAX) {
		http_problemf(rq, 400, "to must come after from, and at most %d"
		    " days after it (the period is [from, to))",
		    REPORT_DAYS_MAX);
		goto done;
	}
	if ((v = evhttp_find_header(&q, "by")) != NULL &&
	    engine_report_by(v, &by) == -1) {
		http_problemf(rq, 400, "by \"%.32s\": team, workflow, kind or"
		    " month", v);
		goto done;
	}
	if (engine_report(rq->rq_d->d_engine, &rq->rq_actor,
	    evhttp_find_header(&q, "team"), lo, hi, by, clock_now(), &rp,
	    &ee) == -1) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto done;
	}
	http_json(rq, 200, view_report(&rp, evhttp_find_header(&q, "from"),
	    evhttp_find_header(&q, "to"), engine_report_by_name(by)));
	engine_report_free(&rp);
done:
	evhttp_clear_headers(&q);
}
