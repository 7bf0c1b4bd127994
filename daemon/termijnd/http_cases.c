/* termijn: the /v1/cases handlers. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#include "termijnd.h"

#define LIST_DEFAULT	50
#define LIST_MAX	500

static int	 string_field(struct req *, const char *, int, const char **);
static int	 time_field(struct req *, const char *);
static int	 req_may_write(struct req *);
static void	 apply_create(struct req *);
static void	 apply_event(struct req *);
static void	 answer_case(struct req *, int64_t, int);
static void	 engine_problem(struct req *, const struct engine_error *,
		    int64_t);
static enum store_status list_cb(const struct case_row *, void *);
static int	 page_params(struct req *, struct evkeyvalq *, int, int64_t *,
		    int *);

/* A string member; missing is an error when required.  Answers on error. */
static int
string_field(struct req *rq, const char *name, int required, const char **out)
{
	json_t	*v = json_object_get(rq->rq_body, name);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_problemf(rq, 400, "missing field \"%s\"", name);
		return -1;
	}
	if (!json_is_string(v)) {
		http_problemf(rq, 400, "field \"%s\" must be a string", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/*
 * An optional date or timestamp member, parsed into rq_when (0 when
 * absent).  Answers on error.
 */
static int
time_field(struct req *rq, const char *name)
{
	const char	*s;

	rq->rq_when = 0;
	if (string_field(rq, name, 0, &s) == -1)
		return -1;
	if (s != NULL && cal_parse_time(s, &rq->rq_when) == -1) {
		http_problemf(rq, 400, "%s \"%.64s\" is not a valid date"
		    " (YYYY-MM-DD) or timestamp with offset"
		    " (YYYY-MM-DDTHH:MM:SS+01:00)", name, s);
		return -1;
	}
	/* Nothing termijn follows began before 1970; 0 means "not given". */
	if (s != NULL && rq->rq_when < MS_PER_DAY) {
		http_problemf(rq, 400, "%s \"%.64s\" is before 1970", name, s);
		return -1;
	}
	return 0;
}

/* A reader's token reads; it does not register or record. */
static int
req_may_write(struct req *rq)
{
	if (strcmp(rq->rq_token.tk_role, "reader") != 0)
		return 0;
	http_problemf(rq, 403, "a token with role reader may only read");
	return -1;
}

/* The answer for a case, read back inside the transaction. */
static void
answer_case(struct req *rq, int64_t id, int status)
{
	struct termijnd		*d = rq->rq_d;
	struct engine_error	 ee;
	struct case_row		 c;
	json_t			*o;

	if (engine_case_read(d->d_engine, &rq->rq_actor, id, &c, &ee) == -1) {
		rq->rq_status = engine_status_http(ee.ee_status) == 503 ? 503 :
		    500;
		return;
	}
	if ((o = view_case(d->d_engine, &c, clock_now())) == NULL) {
		rq->rq_status = 500;
		return;
	}
	req_json(rq, status, o);
}

static void
engine_problem(struct req *rq, const struct engine_error *ee, int64_t id)
{
	const struct workflow	*wf;
	const struct wf_state	*ws;
	struct case_row		 c;
	json_t			*extra = NULL, *accepts;
	char			 detail[512];
	size_t			 i, n;

	snprintf(detail, sizeof(detail), "%s", ee->ee_msg);
	if (ee->ee_status == ENGINE_ECONFLICT &&
	    store_case_get(rq->rq_d->d_store, id, &c) == STORE_OK &&
	    (wf = engine_case_workflow(rq->rq_d->d_engine, &c)) != NULL &&
	    (ws = workflow_state(wf, c.c_state)) != NULL) {
		accepts = json_array();
		n = strlen(detail);
		for (i = 0; i < ws->ws_nevents; i++) {
			json_array_append_new(accepts,
			    json_string(ws->ws_events[i].we_name));
			n += snprintf(detail + n, n < sizeof(detail) ?
			    sizeof(detail) - n : 0, "%s%s", i ? ", " :
			    "; it accepts: ", ws->ws_events[i].we_name);
		}
		if (ws->ws_nevents == 0 && n < sizeof(detail))
			snprintf(detail + n, sizeof(detail) - n,
			    "; it accepts no events");
		extra = json_pack("{s:s, s:o}", "state", c.c_state,
		    "accepts", accepts);
	}
	req_problem(rq, engine_status_http(ee->ee_status), detail, extra);
}

/* POST /v1/cases: validated here, applied in the shared transaction. */
void
http_cases_create(struct req *rq)
{
	static const char *const fields[] = {
		"workflow", "reference", "team", "started_at", NULL
	};
	const char	*s;

	if (req_may_write(rq) == -1 || req_body_object(rq, fields) == -1)
		return;
	if (string_field(rq, "workflow", 1, &s) == -1 ||
	    string_field(rq, "reference", 1, &s) == -1 ||
	    string_field(rq, "team", 1, &s) == -1 ||
	    time_field(rq, "started_at") == -1)
		return;
	rq->rq_apply = apply_create;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_create(struct req *rq)
{
	struct engine_error	 ee;
	struct case_input	 in;
	int64_t			 id;

	memset(&in, 0, sizeof(in));
	in.ci_workflow = json_string_value(json_object_get(rq->rq_body,
	    "workflow"));
	in.ci_reference = json_string_value(json_object_get(rq->rq_body,
	    "reference"));
	in.ci_team = json_string_value(json_object_get(rq->rq_body, "team"));
	in.ci_started_at = rq->rq_when;
	if (engine_case_create(rq->rq_d->d_engine, &rq->rq_actor, &in,
	    clock_now(), &id, &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	answer_case(rq, id, 201);
	free(rq->rq_location);
	xasprintf(&rq->rq_location, "/v1/cases/%lld", (long long)id);
}

/* POST /v1/cases/{id}/events */
void
http_cases_event(struct req *rq)
{
	static const char *const fields[] = { "event", "note", "date", NULL };
	const char	*s;

	if (req_may_write(rq) == -1 || req_body_object(rq, fields) == -1)
		return;
	if (string_field(rq, "event", 1, &s) == -1 ||
	    string_field(rq, "note", 0, &s) == -1 ||
	    time_field(rq, "date") == -1)
		return;
	rq->rq_apply = apply_event;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_event(struct req *rq)
{
	struct engine_error	 ee;
	struct event_input	 in;

	memset(&in, 0, sizeof(in));
	in.ev_name = json_string_value(json_object_get(rq->rq_body, "event"));
	in.ev_note = json_string_value(json_object_get(rq->rq_body, "note"));
	in.ev_date = rq->rq_when;
	if (engine_case_event(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    &in, clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, rq->rq_id);
		return;
	}
	answer_case(rq, rq->rq_id, 200);
}

/* GET /v1/cases/{id} */
void
http_cases_get(struct req *rq)
{
	struct engine_error	 ee;
	struct case_row		 c;
	json_t			*o;

	if (engine_case_read(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id, &c,
	    &ee) == -1) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		return;
	}
	if ((o = view_case(rq->rq_d->d_engine, &c, clock_now())) == NULL) {
		http_problemf(rq, 500, "the database failed reading case %lld",
		    (long long)rq->rq_id);
		return;
	}
	http_json(rq, 200, o);
}

/* GET /v1/cases/{id}/transitions?limit=&cursor= */
void
http_cases_transitions(struct req *rq)
{
	static const char *const params[] = { "limit", "cursor", NULL };
	struct engine_error	 ee;
	struct evkeyvalq	 q;
	struct case_row		 c;
	json_t			*o;
	int64_t			 after;
	int			 limit;

	if (req_query(rq, params, &q) == -1)
		return;
	if (page_params(rq, &q, LIST_MAX, &after, &limit) == -1)
		goto done;
	if (engine_case_read(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id, &c,
	    &ee) == -1) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto done;
	}
	if ((o = view_transitions(rq->rq_d->d_engine, &c, after, limit,
	    &ee)) == NULL) {
		http_problemf(rq, 500, "the database failed reading case %lld",
		    (long long)rq->rq_id);
		goto done;
	}
	http_json(rq, 200, o);
done:
	evhttp_clear_headers(&q);
}

/*
 * limit (1 to LIST_MAX, default def) and cursor (the
 * next_cursor of the previous page) of a paged list.  Answers on error.
 */
static int
page_params(struct req *rq, struct evkeyvalq *q, int def, int64_t *after,
    int *limit)
{
	const char	*v;
	char		*end;
	long long	 n;

	*limit = def;
	*after = 0;
	if ((v = evhttp_find_header(q, "limit")) != NULL) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0 || *end != '\0' || end == v || n < 1 ||
		    n > LIST_MAX) {
			http_problemf(rq, 400, "limit must be a number from 1 to"
			    " %d", LIST_MAX);
			return -1;
		}
		*limit = (int)n;
	}
	if ((v = evhttp_find_header(q, "cursor")) != NULL) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0 || *end != '\0' || end == v || n < 0) {
			http_problemf(rq, 400, "cursor \"%.32s\" is not one this"
			    " API gave", v);
			return -1;
		}
		*after = n;
	}
	return 0;
}

struct list_arg {
	struct engine	*la_engine;
	json_t		*la_cases;
	int64_t		 la_last;
	int64_t		 la_now;
	int		 la_count;
};

static enum store_status
list_cb(const struct case_row *c, void *arg)
{
	struct list_arg	*la = arg;
	json_t		*o;

	if ((o = view_case(la->la_engine, c, la->la_now)) == NULL)
		return STORE_FAILED;
	json_array_append_new(la->la_cases, o);
	la->la_last = c->c_id;
	la->la_count++;
	return STORE_OK;
}

/* GET /v1/cases?state=&workflow=&team=&limit=&cursor= */
void
http_cases_list(struct req *rq)
{
	static const char *const params[] = {
		"state", "workflow", "team", "limit", "cursor", NULL
	};
	struct evkeyvalq	 q;
	struct case_filter	 f;
	struct list_arg		 la;
	struct engine_error	 ee;

	if (req_query(rq, params, &q) == -1)
		return;
	memset(&f, 0, sizeof(f));
	f.cf_state = evhttp_find_header(&q, "state");
	f.cf_workflow = evhttp_find_header(&q, "workflow");
	f.cf_team = evhttp_find_header(&q, "team");
	if (page_params(rq, &q, LIST_DEFAULT, &f.cf_after, &f.cf_limit) == -1)
		goto done;
	memset(&la, 0, sizeof(la));
	la.la_engine = rq->rq_d->d_engine;
	la.la_cases = json_array();
	la.la_now = clock_now();
	if (engine_case_list(rq->rq_d->d_engine, &rq->rq_actor, &f, list_cb,
	    &la, &ee) == -1) {
		json_decref(la.la_cases);
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		goto done;
	}
	http_json(rq, 200, view_page("cases", la.la_cases, la.la_last,
	    la.la_count == f.cf_limit));
done:
	evhttp_clear_headers(&q);
}
