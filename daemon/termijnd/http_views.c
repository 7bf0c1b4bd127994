/* termijn: what supervisors and enforcement look at: overdue, at risk, summary, queues. */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/csv.h"
#include "termijn/ical.h"
#include "termijn/period.h"
#include "termijn/view.h"

#include "termijnd.h"

#define VIEW_DEFAULT	50
#define VIEW_MAX	500
#define WITHIN_DEFAULT	"P5D"
#define REPORT_DAYS_MAX	366	/* a report covers a year at most */
#define FEED_MAX	500	/* events in a calendar feed, the soonest */

struct view_arg;

/*
 * The text of a calendar feed as it is written (feed_stream): a buffer
 * that doubles, by realloc.  open_memstream grows its buffer by a new
 * allocation that it copies into and clears, each time: for a feed of a
 * few hundred KiB, a new mapping whose every page faults in, several times
 * over, which cost most of a feed's time (bench_feed.py).
 */
struct feed_text {
	char	*ft_buf;
	size_t	 ft_len;
	size_t	 ft_size;
};
#define FEED_TEXT_FIRST	(64 * 1024)

static int	 view_query(struct req *, const char *const *, int);
static int	 cursor_parse(const char *, struct view_filter *);
static void	 view_filter_of(struct req *, struct view_filter *);
static void	 view_cursor(const struct view_arg *, char *, size_t);
static int	 read_logged(struct req *, int64_t, const char *);
static void	 within_window(struct req *, int64_t, struct risk_window *);
static void	 apply_overdue(struct req *);
static void	 apply_at_risk(struct req *);
static void	 apply_summary(struct req *);
static void	 apply_queue(struct req *);
static int	 report_date(struct req *, struct evkeyvalq *, const char *,
		    struct cal_date *, int64_t *);
static void	 view_csv(struct req *, json_t *, const struct csv_column *,
		    size_t, const char *);
static json_t	*at_risk_rows(json_t *, json_t *);
static void	 apply_feed(struct req *);
static FILE	*feed_stream(struct feed_text *);
static ssize_t	 feed_write(void *, const char *, size_t);

/*
 * The views read many cases, so they are done in the group commit like
 * the list of cases: each case shown is a read of it, logged once per
 * answer, and the answer goes out only with those rows committed.
 */
struct view_arg {
	struct req	*va_req;
	json_t		*va_items;
	FILE		*va_fp;		/* the calendar feed, being written */
	int64_t		 va_now;
	int64_t		*va_seen;	/* cases logged for this answer */
	size_t		 va_nseen;
	int		 va_count;
	int		 va_failed;	/* the read log: 1 failed, 2 full */
	int		 va_capped;	/* the feed: more than FEED_MAX */
	struct view_filter va_last;	/* the cursor of the last item */
};

/*
 * The penalty a listed case runs up (Awb 4:17), last so that the columns
 * before it keep their places: the days so far and their amount in cents;
 * empty where the case has none.
 */
#define PENALTY_CSV \
	{ "penalty_days", "penalty.days" }, \
	{ "penalty_cents", "penalty.amount_cents" }

/*
 * The columns of each view as CSV (Accept: text/csv): the members of its
 * items, named as in the JSON.  The titles and names people read come
 * last, so that a sheet that reads the identifiers by their place reads
 * them still.
 */
static const struct csv_column overdue_csv[] = {
	{ "case", "case" }, { "reference", "reference" }, { "team", "team" },
	{ "workflow", "workflow" }, { "version", "version" },
	{ "state", "state" }, { "assignee", "assignee" },
	{ "deadline", "deadline" }, { "kind", "kind" }, { "rule", "rule" },
	{ "period", "period" }, { "due", "due" },
	{ "overdue_from", "overdue_from" },
	{ "overdue_days", "overdue_days" },
	{ "overdue_working_days", "overdue_working_days" },
	{ "escalated_to", "escalated_to" }, { "rungs_fired", "rungs" },
	{ "state_title", "state_title" },
	{ "deadline_title", "deadline_title" },
	{ "assignee_name", "assignee_name" },
	PENALTY_CSV,
};
static const struct csv_column at_risk_csv[] = {
	{ "list", "list" }, { "case", "case" }, { "reference", "reference" },
	{ "team", "team" }, { "workflow", "workflow" },
	{ "version", "version" }, { "state", "state" },
	{ "assignee", "assignee" }, { "deadline", "deadline" },
	{ "kind", "kind" }, { "rule", "rule" }, { "period", "period" },
	{ "due", "due" }, { "overdue_from", "overdue_from" },
	{ "time_left_seconds", "time_left_seconds" },
	{ "suspended_since", "suspended_since" },
	{ "state_title", "state_title" },
	{ "deadline_title", "deadline_title" },
	{ "assignee_name", "assignee_name" },
	PENALTY_CSV,
};
static const struct csv_column summary_csv[] = {
	{ "team", "team" }, { "workflow", "workflow" }, { "state", "state" },
	{ "kind", "kind" }, { "overdue", "overdue" }, { "at_risk", "at_risk" },
	{ "suspended", "suspended" }, { "running", "running" },
	{ "state_title", "state_title" },
};
static const struct csv_column queue_csv[] = {
	{ "case", "case" }, { "reference", "reference" }, { "team", "team" },
	{ "workflow", "workflow" }, { "version", "version" },
	{ "state", "state" }, { "since", "since" },
	{ "assignee", "assignee" }, { "guidance", "guidance" },
	{ "state_title", "state_title" }, { "assignee_name", "assignee_name" },
	PENALTY_CSV,
};
/* The first column is named after what the rows are grouped by. */
static struct csv_column report_csv[] = {
	{ "key", "key" }, { "deadlines", "deadlines" }, { "met", "met" },
	{ "missed", "missed" }, { "delay_median_days", "delay_median_days" },
	{ "delay_p90_days", "delay_p90_days" }, { "suspended", "suspended" },
	{ "extended", "extended" }, { "closed", "closed" },
	{ "throughput_median_days", "throughput_median_days" },
	{ "met_share", "met_share" },
	{ "statutory_met_share", "statutory_met_share" },
	{ "penalties", "penalties" }, { "penalty_cents", "penalty_cents" },
};

static const char *const filters[] = {
	"team", "workflow", "state", "kind", "assignee", "limit", "cursor",
	NULL
};
static const char *const risk_filters[] = {
	"team", "workflow", "state", "kind", "assignee", "limit", "cursor",
	"within", NULL
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
	struct view_filter	 vf;
	const char		*v;
	char			 err[256];
	size_t			 i;
	int			 ret = -1;

	if (req_query(rq, allowed, &q) == -1)
		return -1;
	rq->rq_csv = req_wants_csv(rq);
	if (page_params(rq, &q, VIEW_DEFAULT, NULL, &rq->rq_limit) == -1 ||
	    req_filters(rq, &q) == -1)
		goto done;
	/*
	 * A kind nobody has would find nothing (req_filters refused it with
	 * the other filters), and a cursor that is not one this API gave
	 * would start again at the first page, where a client following
	 * cursors goes round for ever: refused too.
	 */
	if ((v = evhttp_find_header(&q, "cursor")) != NULL &&
	    cursor_parse(v, &vf) == -1) {
		http_problemf(rq, 400, _("cursor \"%.32s\" is not one this"
		    " API gave"), v);
		goto done;
	}
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

/*
 * A view's cursor, as view_answer writes it: "FLAG.DUE.ID", the last
 * item's place in the view's order (FLAG 0 or 1, the others whole
 * numbers, DUE negative only before 1970).  -1 when it is not one.
 */
static int
cursor_parse(const char *s, struct view_filter *vf)
{
	long long	 n[3];
	const char	*p = s;
	char		*end;
	size_t		 i;

	for (i = 0; i < nitems(n); i++) {
		if (!isdigit((unsigned char)*p) && !(i == 1 && *p == '-'))
			return -1;
		errno = 0;
		n[i] = strtoll(p, &end, 10);
		if (errno != 0 || end == p ||
		    *end != (i + 1 < nitems(n) ? '.' : '\0'))
			return -1;
		p = end + 1;
	}
	if (n[0] < 0 || n[0] > 1 || n[2] < 0)
		return -1;
	vf->vf_after_flag = (int)n[0];
	vf->vf_after_due = n[1];
	vf->vf_after_id = n[2];
	return 0;
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

	memset(vf, 0, sizeof(*vf));
	vf->vf_team = filter_of(rq, "team");
	vf->vf_workflow = filter_of(rq, "workflow");
	vf->vf_state = filter_of(rq, "state");
	vf->vf_kind = filter_of(rq, "kind");
	vf->vf_assignee = filter_of(rq, "assignee");
	vf->vf_limit = rq->rq_limit;
	vf->vf_after_flag = -1;
	vf->vf_after_due = INT64_MIN;
	/* view_query refused any other. */
	if (cursor != NULL)
		(void)cursor_parse(cursor, vf);
}

/* The cursor of the last item shown, as cursor_parse reads it. */
static void
view_cursor(const struct view_arg *va, char *buf, size_t len)
{
	snprintf(buf, len, "%d.%" PRId64 ".%" PRId64,
	    va->va_last.vf_after_flag, va->va_last.vf_after_due,
	    va->va_last.vf_after_id);
}

/*
 * A page of a view, with the cursor to go on from when the page was full:
 * as JSON, or as CSV with the next page in a Link header.
 */
static void
view_answer(struct req *rq, struct view_arg *va, const char *key,
    const struct csv_column *cols, size_t ncols, const char *file)
{
	char	cursor[96];
	int	full = va->va_count == rq->rq_limit;

	if (va->va_failed) {
		json_decref(va->va_items);
		req_unlogged(rq, va->va_failed == 2);
		return;
	}
	view_cursor(va, cursor, sizeof(cursor));
	if (rq->rq_csv) {
		view_csv(rq, va->va_items, cols, ncols, file);
		req_next_link(rq, full ? cursor : NULL);
		return;
	}
	req_json(rq, 200, json_pack("{s:o, s:s?}", key, va->va_items,
	    "next_cursor", full ? cursor : NULL));
}

/* Items as CSV, taken over; file (a literal) is what a browser saves. */
static void
view_csv(struct req *rq, json_t *items, const struct csv_column *cols,
    size_t ncols, const char *file)
{
	req_csv(rq, cols, ncols, items, file);
	json_decref(items);
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
	    va->va_now, &ee) == -1) {
		va->va_failed = ee.ee_status == ENGINE_EFULL ? 2 : 1;
		return -1;
	}
	va->va_seen = xreallocarray(va->va_seen, va->va_nseen + 1,
	    sizeof(*va->va_seen));
	va->va_seen[va->va_nseen++] = id;
	return 0;
}

/* What within= (checked by view_query) covers from now (engine.h). */
static void
within_window(struct req *rq, int64_t now, struct risk_window *rw)
{
	struct period	 p = { 0, PU_DAYS };
	const char	*v = filter_of(rq, "within");
	char		 err[256];

	if (period_parse(v ? v : WITHIN_DEFAULT, &p, err, sizeof(err)) == -1)
		p.p_count = 0;
	engine_risk_window(&p, now, rw);
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

/* A view the engine refused, or whose reads could not be logged. */
static void
view_refused(struct req *rq, struct view_arg *va,
    const struct engine_error *ee)
{
	json_decref(va->va_items);
	rq->rq_clean = !va->va_failed && va->va_nseen == 0;
	if (va->va_failed)
		req_unlogged(rq, va->va_failed == 2);
	else
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
		view_answer(rq, &va, "overdue", overdue_csv,
		    nitems(overdue_csv), "overdue.csv");
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
	json_t		*o;

	if (read_logged(va->va_req, c->c_id, "at-risk") == -1 ||
	    (o = view_at_risk(va->va_req->rq_d->d_engine, c, d,
	    va->va_now)) == NULL)
		return STORE_FAILED;
	json_array_append_new(va->va_items, o);
	va->va_count++;
	va->va_last.vf_after_flag = !d->d_running;
	va->va_last.vf_after_due = d->d_running ? d->d_due :
	    d->d_suspended_since;
	va->va_last.vf_after_id = d->d_id;
	return STORE_OK;
}

/* Both lists of /v1/at-risk in one table, each row saying which. */
static json_t *
at_risk_rows(json_t *risk, json_t *suspended)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(risk, i, o)
		json_object_set_new(o, "list", json_string("at_risk"));
	json_array_foreach(suspended, i, o)
		json_object_set_new(o, "list", json_string("suspended"));
	json_array_extend(risk, suspended);
	json_decref(suspended);
	return risk;
}

/*
 * The two lists of /v1/at-risk are paged as one: what is at risk, by due,
 * then what is suspended, by since, limit items in all.  The cursor's flag
 * says which list it is in (0 at risk, 1 suspended), so that a page goes
 * on where the last one stopped and starts the suspended ones once the
 * deadlines at risk are all shown.  Each page keeps both members, one of
 * them empty when the page holds none of it.
 */
static void
apply_at_risk(struct req *rq)
{
	struct engine_error	 ee;
	struct view_filter	 vf;
	struct view_arg		 va;
	struct risk_window	 rw;
	json_t			*risk;
	char			 cursor[96];
	int			 full;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	within_window(rq, va.va_now, &rw);
	if (vf.vf_after_flag != 1 && engine_at_risk(rq->rq_d->d_engine,
	    &rq->rq_actor, &vf, &rw, risk_cb, &va, &ee) == -1) {
		view_refused(rq, &va, &ee);
		goto done;
	}
	risk = va.va_items;
	va.va_items = json_array();
	if (va.va_count < rq->rq_limit) {
		if (vf.vf_after_flag != 1) {
			vf.vf_after_due = INT64_MIN;
			vf.vf_after_id = 0;
		}
		vf.vf_limit = rq->rq_limit - va.va_count;
		if (engine_suspended(rq->rq_d->d_engine, &rq->rq_actor, &vf,
		    risk_cb, &va, &ee) == -1) {
			json_decref(risk);
			view_refused(rq, &va, &ee);
			goto done;
		}
	}
	if (va.va_failed) {
		json_decref(risk);
		json_decref(va.va_items);
		req_unlogged(rq, va.va_failed == 2);
		goto done;
	}
	full = va.va_count == rq->rq_limit;
	view_cursor(&va, cursor, sizeof(cursor));
	if (rq->rq_csv) {
		view_csv(rq, at_risk_rows(risk, va.va_items), at_risk_csv,
		    nitems(at_risk_csv), "at-risk.csv");
		req_next_link(rq, full ? cursor : NULL);
		goto done;
	}
	req_json(rq, 200, json_pack("{s:s, s:o, s:o, s:s?}", "within",
	    filter_of(rq, "within") ? filter_of(rq, "within") : WITHIN_DEFAULT,
	    "at_risk", risk, "suspended", va.va_items, "next_cursor",
	    full ? cursor : NULL));
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

	json_array_append_new(va->va_items,
	    view_summary(va->va_req->rq_d->d_engine, sm));
	return STORE_OK;
}

static void
apply_summary(struct req *rq)
{
	struct engine_error	ee;
	struct view_filter	vf;
	struct view_arg		va;
	struct risk_window	rw;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	within_window(rq, va.va_now, &rw);
	rq->rq_clean = 1;
	if (engine_summary(rq->rq_d->d_engine, &rq->rq_actor, &vf, &rw,
	    summary_cb, &va, &ee) == -1)
		view_refused(rq, &va, &ee);
	else if (rq->rq_csv)
		view_csv(rq, va.va_items, summary_csv, nitems(summary_csv),
		    "summary.csv");
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
	json_t		*o;

	if (read_logged(va->va_req, c->c_id, "queue") == -1 ||
	    (o = view_queue_item(va->va_req->rq_d->d_engine, c)) == NULL)
		return STORE_FAILED;
	json_array_append_new(va->va_items, o);
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
		view_answer(rq, &va, "queue", queue_csv, nitems(queue_csv),
		    "queue.csv");
	view_end(rq, &va);
}

/* A date parameter of the report, as the start of that day; answers on error. */
static int
report_date(struct req *rq, struct evkeyvalq *q, const char *name,
    struct cal_date *cd, int64_t *ms)
{
	const char	*v = evhttp_find_header(q, name);

	if (v == NULL) {
		http_problemf(rq, 400, _("missing query parameter \"%s\" (a"
		    " date, YYYY-MM-DD)"), name);
		return -1;
	}
	if (cal_date_parse(v, cd) == -1) {
		http_problemf(rq, 400, _("%s \"%.32s\" is not a date YYYY-MM-DD"
		    " that exists"), name, v);
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
	json_t			*o;
	int64_t			 lo, hi;

	if (req_query(rq, params, &q) == -1)
		return;
	if (report_date(rq, &q, "from", &from, &lo) == -1 ||
	    report_date(rq, &q, "to", &to, &hi) == -1)
		goto done;
	if (cal_date_to_days(&to) <= cal_date_to_days(&from) ||
	    cal_date_to_days(&to) - cal_date_to_days(&from) >
	    REPORT_DAYS_MAX) {
		http_problemf(rq, 400, _("to must come after from, and at most"
		    " %d days after it (the period is [from, to))"),
		    REPORT_DAYS_MAX);
		goto done;
	}
	if (req_filters(rq, &q) == -1)
		goto done;
	rq->rq_csv = req_wants_csv(rq);
	if ((v = evhttp_find_header(&q, "by")) != NULL &&
	    engine_report_by(v, &by) == -1) {
		http_problemf(rq, 400, _("by \"%.32s\": team, workflow, kind"
		    " or month"), v);
		goto done;
	}
	if (engine_report(rq->rq_d->d_engine, &rq->rq_actor,
	    evhttp_find_header(&q, "team"), lo, hi, by, clock_now(), &rp,
	    &ee) == -1) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto done;
	}
	o = view_report(&rp, evhttp_find_header(&q, "from"),
	    evhttp_find_header(&q, "to"), engine_report_by_name(by));
	engine_report_free(&rp);
	if (rq->rq_csv) {
		report_csv[0].cc_header = engine_report_by_name(by);
		req_csv(rq, report_csv, nitems(report_csv),
		    json_object_get(o, "rows"), "report.csv");
		json_decref(o);
		http_answer(rq);
	} else
		http_json(rq, 200, o);
done:
	evhttp_clear_headers(&q);
}

/*
 * GET /v1/calendar.ics?team=&assignee=: the late and the running deadlines
 * of the cases the token sees as an iCalendar feed (ical.c), the late ones
 * marked, soonest first, in a window of dates (engine_feed), FEED_MAX at
 * most.  A calendar program fetches it by its URL alone, so a feed token
 * may come as ?token= (server.c).  Each case shown is a read, logged as
 * "feed", in the group commit like every view.
 *
 * The cap keeps one feed well under 50 ms of the event loop (each event
 * is a read to log and a VEVENT to write: bench_feed.py).  A feed that
 * reaches it says so, in its Termijn-Feed-Capped header and in the
 * calendar's description, which calendar programs show: a deadline left
 * out must not pass for one that is not there.
 */
void
http_feed(struct req *rq)
{
	static const char *const params[] = {
		"team", "assignee", "token", NULL
	};
	struct evkeyvalq	 q;
	const char		*v;
	size_t			 i;

	if (req_query(rq, params, &q) == -1)
		return;
	if (req_filters(rq, &q) == -1) {
		evhttp_clear_headers(&q);
		return;
	}
	rq->rq_body = json_object();
	for (i = 0; i < 2; i++)
		if ((v = evhttp_find_header(&q, params[i])) != NULL)
			json_object_set_new(rq->rq_body, params[i],
			    json_string(v));
	evhttp_clear_headers(&q);
	rq->rq_apply = apply_feed;
	commit_enqueue(rq->rq_d, rq);
}

static enum store_status
feed_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct view_arg	*va = arg;

	/* The one past the cap is asked for only to know there are more. */
	if (va->va_count == FEED_MAX) {
		va->va_capped = 1;
		return STORE_OK;
	}
	if (read_logged(va->va_req, c->c_id, "feed") == -1)
		return STORE_FAILED;
	ical_deadline(va->va_fp, va->va_req->rq_d->d_source, c, d,
	    engine_case_workflow(va->va_req->rq_d->d_engine, c),
	    engine_late(c, d));
	va->va_count++;
	return STORE_OK;
}

/*
 * What a calendar program calls the feed: the title of the team it is of
 * (the team= asked for, else each of the token's teams), and the person
 * when assignee= narrows it: "Jeugdteam Noord, sup-a".  A team without a
 * title of its own goes by its name.
 */
static char *
feed_name(struct req *rq, const char *team, const char *who)
{
	struct team_row	 tm;
	char		*teams, *p, *t, *name = xstrdup(""), *next;

	p = teams = xstrdup(team != NULL ? team : rq->rq_token.tk_teams);
	while ((t = strsep(&p, ",")) != NULL) {
		if (*t == '\0')
			continue;
		if (store_team_get(rq->rq_d->d_store, t, &tm) != STORE_OK ||
		    tm.tm_title[0] == '\0')
			snprintf(tm.tm_title, sizeof(tm.tm_title), "%s", t);
		xasprintf(&next, "%s%s%s", name, *name ? ", " : "",
		    tm.tm_title);
		free(name);
		name = next;
	}
	free(teams);
	xasprintf(&next, "%s%s%s", *name ? name : "termijn", who ? ", " : "",
	    who ? who : "");
	free(name);
	return next;
}

static void
apply_feed(struct req *rq)
{
	struct engine_error	 ee;
	struct view_filter	 vf;
	struct view_arg		 va;
	const char		*team = filter_of(rq, "team");
	const char		*who = filter_of(rq, "assignee");
	struct feed_text	 ft;
	char			*head = NULL, *name, *note;
	size_t			 hlen = 0;
	FILE			*fp;

	view_begin(rq, &va);
	view_filter_of(rq, &vf);
	vf.vf_limit = FEED_MAX + 1;
	/*
	 * The events first, then the calendar's head, which says whether the
	 * feed is capped, is put before them.
	 */
	va.va_fp = feed_stream(&ft);
	if (engine_feed(rq->rq_d->d_engine, &rq->rq_actor, &vf, va.va_now,
	    feed_cb, &va, &ee) == -1) {
		fclose(va.va_fp);
		free(ft.ft_buf);
		view_refused(rq, &va, &ee);
		goto done;
	}
	ical_end(va.va_fp);
	if (fclose(va.va_fp) != 0)
		fatal("writing a calendar feed");
	json_decref(va.va_items);
	if (va.va_failed) {
		free(ft.ft_buf);
		req_unlogged(rq, va.va_failed == 2);
		goto done;
	}
	if ((fp = open_memstream(&head, &hlen)) == NULL)
		fatal("open_memstream");
	name = feed_name(rq, team, who);
	ical_begin(fp, name);
	free(name);
	if (va.va_capped) {
		xasprintf(&note, _("Only the first %d deadlines are in this"
		    " feed: the late ones of the last %d days, then the running"
		    " ones, soonest first. Narrow it with team= or assignee= to"
		    " see all of yours; the overdue and at-risk views list"
		    " every one."), FEED_MAX, FEED_PAST_DAYS);
		ical_note(fp, note);
		free(note);
	}
	if (fclose(fp) != 0)
		fatal("writing a calendar feed");
	ft.ft_buf = xreallocarray(ft.ft_buf, hlen + ft.ft_len + 1, 1);
	memmove(ft.ft_buf + hlen, ft.ft_buf, ft.ft_len + 1);
	memcpy(ft.ft_buf, head, hlen);
	free(head);
	req_text(rq, 200, ft.ft_buf, "text/calendar; charset=utf-8",
	    "termijn.ics");
	rq->rq_capped = va.va_capped ? FEED_MAX : 0;
done:
	view_end(rq, &va);
}

/* A stream into ft, which holds a string once the stream is closed. */
static FILE *
feed_stream(struct feed_text *ft)
{
	static const cookie_io_functions_t	 io = { NULL, feed_write, NULL,
						    NULL };
	FILE					*fp;

	ft->ft_size = FEED_TEXT_FIRST;
	ft->ft_buf = xmalloc(ft->ft_size);
	ft->ft_buf[0] = '\0';
	ft->ft_len = 0;
	if ((fp = fopencookie(ft, "w", io)) == NULL)
		fatal("fopencookie");
	return fp;
}

static ssize_t
feed_write(void *arg, const char *buf, size_t n)
{
	struct feed_text	*ft = arg;

	while (ft->ft_len + n + 1 > ft->ft_size) {
		ft->ft_size *= 2;
		ft->ft_buf = xreallocarray(ft->ft_buf, ft->ft_size, 1);
	}
	memcpy(ft->ft_buf + ft->ft_len, buf, n);
	ft->ft_len += n;
	ft->ft_buf[ft->ft_len] = '\0';
	return (ssize_t)n;
}
