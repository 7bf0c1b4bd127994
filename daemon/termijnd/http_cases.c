/* termijn: the /v1/cases handlers. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/csv.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#include "termijnd.h"

#define LIST_DEFAULT	50

static int	 time_field(struct req *, const char *);
static json_t	*when_warning(struct req *);
static json_t	*unrouted_warning(const struct case_row *);
static void	 apply_create(struct req *);
static void	 apply_event(struct req *);
static void	 answer_case(struct req *, int64_t, int);
static json_t	*dated_case(struct req *, int64_t, int64_t,
		    enum view_write, const struct case_written *);
static json_t	*case_json(struct req *, int64_t, struct case_row *,
		    const struct case_written *);
static int	 read_case(struct req *, const char *, struct case_row *);
static void	 apply_read_case(struct req *);
static void	 apply_read_history(struct req *);
static void	 apply_read_participants(struct req *);
static void	 apply_read_access(struct req *);
static void	 apply_export(struct req *);
static void	 apply_share(struct req *);
static void	 apply_unshare(struct req *);
static void	 apply_coordinate(struct req *);
static void	 apply_assign(struct req *);
static void	 apply_correct(struct req *);
static void	 read_answer(struct req *, json_t *);
static void	 apply_list(struct req *);
static enum store_status list_cb(const struct case_row *, void *);
static void	 list_csv(struct req *, json_t *, int64_t, int);


/*
 * An optional date or timestamp member, parsed into rq_when (0 when
 * absent), and how a local time in it was read into rq_when_note.
 * Answers on error.
 */
static int
time_field(struct req *rq, const char *name)
{
	const char	*s;
	char		 err[256];

	rq->rq_when = 0;
	rq->rq_when_note[0] = '\0';
	rq->rq_when_field = name;
	if (req_string(rq, name, 0, &s) == -1)
		return -1;
	if (s != NULL && cal_parse_time_note(s, &rq->rq_when,
	    rq->rq_when_note, sizeof(rq->rq_when_note), err,
	    sizeof(err)) == -1) {
		/* A time the clocks skip needs no lesson in the format. */
		if (strstr(err, "no such time") != NULL)
			http_problemf(rq, 400, "%s: %s", name, err);
		else
			http_problemf(rq, 400, _("%s: %s (a date YYYY-MM-DD, or"
			    " a time YYYY-MM-DDTHH:MM[:SS] with an offset such"
			    " as +01:00, or without one for local time)"), name,
			    err);
		return -1;
	}
	/* The engine takes 0 for "not given": the first day is left out. */
	if (s != NULL && rq->rq_when < MS_PER_DAY) {
		http_problemf(rq, 400, _("%s \"%.64s\" is before 1970-01-02,"
		    " the first day termijn takes for it"), name, s);
		return -1;
	}
	return 0;
}

/* The answer for a case, read back inside the transaction. */
static void
answer_case(struct req *rq, int64_t id, int status)
{
	struct case_row	 c;
	json_t		*o, *w, *n;

	if ((o = case_json(rq, id, &c, NULL)) == NULL)
		return;
	w = json_array();
	if ((n = when_warning(rq)) != NULL)
		json_array_append_new(w, n);
	if ((n = unrouted_warning(&c)) != NULL)
		json_array_append_new(w, n);
	if (json_array_size(w) > 0)
		json_object_set_new(o, "warnings", w);
	else
		json_decref(w);
	req_json(rq, status, o);
}

/*
 * The answer to a write that may be dated in the past (a registration's
 * started_at, an event's date), read back inside the transaction: when it
 * is dated, "warnings" says what it set off at once although its moment
 * had gone (the write's moment is now), after how a local time was read,
 * so that nobody takes a notification dated in the past for news.  From
 * the rows the write kept (kept) when they are all of the case, else read
 * back.  NULL (and rq_status) on failure.
 */
static json_t *
dated_case(struct req *rq, int64_t id, int64_t now, enum view_write what,
    const struct case_written *kept)
{
	struct case_row	 c;
	json_t		*o, *w, *n;

	if ((o = case_json(rq, id, &c, kept)) == NULL)
		return NULL;
	w = NULL;
	if (rq->rq_when != 0) {
		if ((w = view_late_warnings(rq->rq_d->d_engine, &c, now,
		    what)) == NULL) {
			json_decref(o);
			rq->rq_status = 500;
			return NULL;
		}
		if ((n = when_warning(rq)) != NULL)
			json_array_insert_new(w, 0, n);
	}
	/* Whether dated or not: nobody else heard of it. */
	if ((n = unrouted_warning(&c)) != NULL) {
		if (w == NULL)
			w = json_array();
		json_array_append_new(w, n);
	}
	if (w != NULL)
		json_object_set_new(o, "warnings", w);
	return o;
}

/*
 * A time given without an offset that the clocks show twice: the answer
 * says which was taken, so that nobody is an hour out without knowing.
 */
static json_t *
when_warning(struct req *rq)
{
	if (rq->rq_when_note[0] == '\0')
		return NULL;
	return json_pack("{s:s, s:s, s:o, s:s}", "code", "ambiguous_time",
	    "field", rq->rq_when_field, "at", view_time(rq->rq_when),
	    "detail", rq->rq_when_note);
}

/*
 * A case that should have brought a team in and found none that fills the
 * function: it moved all the same, and the answer says who must act.
 */
static json_t *
unrouted_warning(const struct case_row *c)
{
	char	detail[1024];

	if (c->c_unrouted[0] == '\0')
		return NULL;
	snprintf(detail, sizeof(detail), _("no team fills %s for team %s (or"
	    " its organisation), so nobody was brought into case %lld in state"
	    " %s; once an administrator routes it (termijnctl team route %s"
	    " --for %s --team TEAM), that team joins the case"), c->c_unrouted,
	    c->c_team, (long long)c->c_id, c->c_state,
	    strchr(c->c_unrouted, ',') ? "FUNCTION" : c->c_unrouted,
	    c->c_team);
	return json_pack("{s:s, s:o, s:s}", "code", "unrouted", "functions",
	    view_unrouted(c), "detail", detail);
}

/*
 * The case as the caller may see it now, into c: rendered from the rows
 * its write just wrote when they are all of it (kept, complete), else read
 * back.  NULL (and rq_status) on failure.
 */
static json_t *
case_json(struct req *rq, int64_t id, struct case_row *c,
    const struct case_written *kept)
{
	struct termijnd		*d = rq->rq_d;
	struct engine_error	 ee;
	json_t			*o;

	if (kept != NULL && kept->cw_complete) {
		*c = kept->cw_case;
		o = view_case_written(d->d_engine, kept, clock_now());
	} else if (engine_case_read(d->d_engine, &rq->rq_actor, id, c,
	    &ee) == -1) {
		rq->rq_status = engine_status_http(ee.ee_status) == 503 ? 503 :
		    500;
		return NULL;
	} else
		o = view_case(d->d_engine, c, clock_now());
	if (o == NULL) {
		rq->rq_status = 500;
		return NULL;
	}
	rq->rq_case = id;
	return o;
}

/*
 * Reads of a case are done in the group commit, like writes: the case is
 * read and the read logged in one transaction, and the answer goes out
 * only once that row is committed ("no log, no read").  A read refused
 * (404, 403) wrote nothing, so it does not make the batch roll back.
 */
static int
read_case(struct req *rq, const char *what, struct case_row *c)
{
	struct engine		*en = rq->rq_d->d_engine;
	struct engine_error	 ee;

	if (engine_case_read(en, &rq->rq_actor, rq->rq_id, c, &ee) == -1) {
		rq->rq_clean = 1;
		engine_problem(rq, &ee, 0);
		return -1;
	}
	if (engine_read_log(en, &rq->rq_actor, c->c_id, what, clock_now(),
	    &ee) == -1) {
		req_unlogged(rq, ee.ee_status == ENGINE_EFULL);
		return -1;
	}
	return 0;
}

/* An answer built from what was read; NULL: the database failed. */
static void
read_answer(struct req *rq, json_t *o)
{
	if (o == NULL)
		req_failf(rq, 500, N_("the database failed reading the case;"
		    " see the log"));
	else
		req_json(rq, 200, o);
}

/* POST /v1/cases: validated here, applied in the shared transaction. */
void
http_cases_create(struct req *rq)
{
	static const char *const fields[] = {
		"workflow", "reference", "team", "started_at", "duplicate", NULL
	};
	const char	*s;
	int		 dup;

	if (req_body_object(rq, fields) == -1)
		return;
	if (req_string(rq, "workflow", 1, &s) == -1 ||
	    req_string(rq, "reference", 1, &s) == -1 ||
	    req_string(rq, "team", 1, &s) == -1 ||
	    req_bool(rq, "duplicate", &dup) == -1 ||
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
	struct case_written	 kept;
	json_t			*o;
	int64_t			 id, now = clock_now();

	memset(&in, 0, sizeof(in));
	memset(&kept, 0, sizeof(kept));
	in.ci_workflow = json_string_value(json_object_get(rq->rq_body,
	    "workflow"));
	in.ci_reference = json_string_value(json_object_get(rq->rq_body,
	    "reference"));
	in.ci_team = json_string_value(json_object_get(rq->rq_body, "team"));
	in.ci_started_at = rq->rq_when;
	in.ci_duplicate = json_is_true(json_object_get(rq->rq_body,
	    "duplicate"));
	/*
	 * The answer is rendered from the rows the write wrote, not read
	 * back inside the writer; a dated registration's warnings read what
	 * fired, so it reads the case back as well.
	 */
	if (rq->rq_when == 0)
		in.ci_written = &kept;
	if (engine_case_create(rq->rq_d->d_engine, &rq->rq_actor, &in, now,
	    &id, &ee) == -1) {
		engine_written_free(&kept);
		engine_problem(rq, &ee, 0);
		return;
	}
	o = dated_case(rq, id, now, VIEW_REGISTRATION, &kept);
	engine_written_free(&kept);
	if (o == NULL)
		return;
	req_json(rq, 201, o);
	free(rq->rq_location);
	xasprintf(&rq->rq_location, "/v1/cases/%lld", (long long)id);
}

/* POST /v1/cases/{id}/events */
void
http_cases_event(struct req *rq)
{
	static const char *const fields[] = {
		"event", "note", "date", "basis", NULL
	};
	const char	*s;

	if (req_body_object(rq, fields) == -1)
		return;
	if (req_string(rq, "event", 1, &s) == -1 ||
	    req_free_text(rq, "note", 0, NOTE_MAX) == -1 ||
	    req_string(rq, "basis", 0, &s) == -1 ||
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
	json_t			*o;
	int64_t			 now = clock_now();

	memset(&in, 0, sizeof(in));
	in.ev_name = json_string_value(json_object_get(rq->rq_body, "event"));
	in.ev_note = json_string_value(json_object_get(rq->rq_body, "note"));
	in.ev_date = rq->rq_when;
	in.ev_basis = json_string_value(json_object_get(rq->rq_body, "basis"));
	if (engine_case_event(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    &in, now, &ee) == -1) {
		engine_problem(rq, &ee, rq->rq_id);
		return;
	}
	if ((o = dated_case(rq, rq->rq_id, now, VIEW_EVENT, NULL)) == NULL)
		return;
	/* Accepted and explained, but nothing changed (engine.h). */
	if (ee.ee_said[0] != '\0') {
		json_object_set_new(o, "recorded", json_false());
		json_object_set_new(o, "explanation", json_string(ee.ee_said));
	}
	req_json(rq, 200, o);
}

/* GET /v1/cases/{id} */
void
http_cases_get(struct req *rq)
{
	rq->rq_apply = apply_read_case;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_read_case(struct req *rq)
{
	struct case_row	c;

	if (read_case(rq, "case", &c) == 0)
		read_answer(rq, view_case(rq->rq_d->d_engine, &c,
		    clock_now()));
}

/* GET /v1/cases/{id}/transitions?limit=&cursor= */
void
http_cases_transitions(struct req *rq)
{
	static const char *const params[] = { "limit", "cursor", NULL };
	struct evkeyvalq	 q;

	if (req_query(rq, params, &q) == -1)
		return;
	if (page_params(rq, &q, LIST_MAX, &rq->rq_after, &rq->rq_limit) == 0) {
		rq->rq_apply = apply_read_history;
		commit_enqueue(rq->rq_d, rq);
	}
	evhttp_clear_headers(&q);
}

static void
apply_read_history(struct req *rq)
{
	struct engine_error	ee;
	struct case_row		c;
	json_t			*o;

	if (read_case(rq, "history", &c) == -1)
		return;
	if ((o = view_transitions(rq->rq_d->d_engine, &c, rq->rq_after,
	    rq->rq_limit, &ee)) == NULL)
		engine_problem(rq, &ee, 0);
	else
		req_json(rq, 200, o);
}

/* GET /v1/cases/{id}/participants */
void
http_cases_participants(struct req *rq)
{
	rq->rq_apply = apply_read_participants;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_read_participants(struct req *rq)
{
	struct case_row	c;

	if (read_case(rq, "participants", &c) == 0)
		read_answer(rq, view_participants(rq->rq_d->d_engine, &c));
}

/* GET /v1/cases/{id}/access?limit=&cursor=: who read the case. */
void
http_cases_access(struct req *rq)
{
	static const char *const params[] = { "limit", "cursor", NULL };
	struct evkeyvalq	 q;

	if (req_query(rq, params, &q) == -1)
		return;
	if (page_params(rq, &q, LIST_MAX, &rq->rq_after, &rq->rq_limit) == 0) {
		rq->rq_apply = apply_read_access;
		commit_enqueue(rq->rq_d, rq);
	}
	evhttp_clear_headers(&q);
}

static void
apply_read_access(struct req *rq)
{
	struct engine_error	ee;
	struct case_row		c;

	if (engine_case_read(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id, &c,
	    &ee) == -1 || engine_may_oversee(&rq->rq_actor, &c, &ee) == -1) {
		rq->rq_clean = 1;
		engine_problem(rq, &ee, 0);
		return;
	}
	if (read_case(rq, "access", &c) == 0)
		read_answer(rq, view_reads(rq->rq_d->d_engine, &c,
		    rq->rq_after, rq->rq_limit));
}

/* GET /v1/cases/{id}/export: all termijn holds about it, for a citizen. */
void
http_cases_export(struct req *rq)
{
	rq->rq_apply = apply_export;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_export(struct req *rq)
{
	struct engine_error	ee;
	struct case_row		c;
	json_t			*o;

	if (engine_case_read(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id, &c,
	    &ee) == -1 || engine_may_oversee(&rq->rq_actor, &c, &ee) == -1) {
		rq->rq_clean = 1;
		engine_problem(rq, &ee, 0);
		return;
	}
	if (read_case(rq, "export", &c) == -1)
		return;
	if ((o = view_export(rq->rq_d->d_engine, &c, clock_now(), &ee)) ==
	    NULL)
		engine_problem(rq, &ee, 0);
	else
		req_json(rq, 200, o);
}

/* POST /v1/cases/{id}/participants: another team takes part, on a basis. */
void
http_cases_share(struct req *rq)
{
	static const char *const fields[] = {
		"team", "basis", "purpose", NULL
	};
	const char	*s;

	if (req_body_object(rq, fields) == -1)
		return;
	if (req_string(rq, "team", 1, &s) == -1 ||
	    req_string(rq, "basis", 0, &s) == -1 ||
	    req_free_text(rq, "purpose", 0, PURPOSE_MAX) == -1)
		return;
	rq->rq_apply = apply_share;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_share(struct req *rq)
{
	struct engine_error	ee;
	struct share_input	in;

	memset(&in, 0, sizeof(in));
	in.sh_team = json_string_value(json_object_get(rq->rq_body, "team"));
	in.sh_basis = json_string_value(json_object_get(rq->rq_body, "basis"));
	in.sh_purpose = json_string_value(json_object_get(rq->rq_body,
	    "purpose"));
	if (engine_case_share(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    &in, clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	answer_case(rq, rq->rq_id, 201);
}

/*
 * DELETE /v1/cases/{id}/participants/{team}.  The answer names the case
 * and the team only: a team that ended its own part sees the case no more.
 */
void
http_cases_unshare(struct req *rq)
{
	rq->rq_apply = apply_unshare;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_unshare(struct req *rq)
{
	struct engine_error	ee;

	if (engine_case_unshare(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    rq->rq_name, NULL, clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	rq->rq_case = rq->rq_id;
	req_json(rq, 200, json_pack("{s:I, s:s, s:b}", "case",
	    (json_int_t)rq->rq_id, "team", rq->rq_name, "takes_part", 0));
}

/* POST /v1/cases/{id}/assign {"assignee": NAME or null, "note"} */
void
http_cases_assign(struct req *rq)
{
	static const char *const fields[] = { "assignee", "note", NULL };
	const char	*s;
	json_t		*v;

	if (req_body_object(rq, fields) == -1)
		return;
	v = json_object_get(rq->rq_body, "assignee");
	if (v == NULL) {
		http_problemf(rq, 400, _("missing field \"assignee\" (a token's"
		    " name, or null to let the case go)"));
		return;
	}
	if (!json_is_null(v) && req_string(rq, "assignee", 1, &s) == -1)
		return;
	if (req_free_text(rq, "note", 0, NOTE_MAX) == -1)
		return;
	rq->rq_apply = apply_assign;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_assign(struct req *rq)
{
	struct engine_error	ee;

	if (engine_case_assign(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    json_string_value(json_object_get(rq->rq_body, "assignee")),
	    json_string_value(json_object_get(rq->rq_body, "note")),
	    clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, rq->rq_id);
		return;
	}
	answer_case(rq, rq->rq_id, 200);
}

/*
 * POST /v1/cases/{id}/corrections {"reason"}: undo the last transition
 * an event or a deadline caused, as a transition of its own.
 */
void
http_cases_correct(struct req *rq)
{
	static const char *const fields[] = { "reason", NULL };

	if (req_body_object(rq, fields) == -1)
		return;
	if (req_free_text(rq, "reason", 1, NOTE_MAX) == -1)
		return;
	rq->rq_apply = apply_correct;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_correct(struct req *rq)
{
	struct engine_error	ee;

	if (engine_case_correct(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    json_string_value(json_object_get(rq->rq_body, "reason")),
	    clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, rq->rq_id);
		return;
	}
	answer_case(rq, rq->rq_id, 200);
}

/* POST /v1/cases/{id}/coordinator: another team coordinates the case. */
void
http_cases_coordinate(struct req *rq)
{
	static const char *const fields[] = { "team", "note", NULL };
	const char	*s;

	if (req_body_object(rq, fields) == -1)
		return;
	if (req_string(rq, "team", 1, &s) == -1 ||
	    req_free_text(rq, "note", 0, NOTE_MAX) == -1)
		return;
	rq->rq_apply = apply_coordinate;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_coordinate(struct req *rq)
{
	struct engine_error	ee;

	if (engine_case_coordinate(rq->rq_d->d_engine, &rq->rq_actor,
	    rq->rq_id, json_string_value(json_object_get(rq->rq_body, "team")),
	    json_string_value(json_object_get(rq->rq_body, "note")),
	    clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	answer_case(rq, rq->rq_id, 200);
}

struct list_arg {
	struct req	*la_req;
	json_t		*la_cases;
	int64_t		 la_last;
	int64_t		 la_now;
	int		 la_count;
	int		 la_failed;	/* 1: the view, 2: the read log, 3: full */
};

/* Each case listed is read, and logged as such. */
static enum store_status
list_cb(const struct case_row *c, void *arg)
{
	struct list_arg		*la = arg;
	struct req		*rq = la->la_req;
	struct engine_error	 ee;
	json_t			*o;

	if ((o = view_case(rq->rq_d->d_engine, c, la->la_now)) == NULL) {
		la->la_failed = 1;
		return STORE_FAILED;
	}
	if (engine_read_log(rq->rq_d->d_engine, &rq->rq_actor, c->c_id, "list",
	    la->la_now, &ee) == -1) {
		json_decref(o);
		la->la_failed = ee.ee_status == ENGINE_EFULL ? 3 : 2;
		return STORE_FAILED;
	}
	json_array_append_new(la->la_cases, o);
	la->la_last = c->c_id;
	la->la_count++;
	return STORE_OK;
}

/*
 * GET /v1/cases?state=&workflow=&team=&limit=&cursor=: the cases the token
 * may see, each read logged, so a list too is done in the group commit.
 */
void
http_cases_list(struct req *rq)
{
	static const char *const params[] = {
		"state", "workflow", "team", "limit", "cursor", NULL
	};
	struct evkeyvalq	 q;
	const char		*v;
	size_t			 i;

	if (req_query(rq, params, &q) == -1)
		return;
	rq->rq_csv = req_wants_csv(rq);
	for (i = 0; i < 3; i++) {
		if ((v = evhttp_find_header(&q, params[i])) != NULL &&
		    *v == '\0') {
			http_problemf(rq, 400, _("query parameter \"%s\" is"
			    " empty; leave it out to list every %s"), params[i],
			    params[i]);
			goto done;
		}
	}
	if (page_params(rq, &q, LIST_DEFAULT, &rq->rq_after,
	    &rq->rq_limit) == -1 || req_filters(rq, &q) == -1)
		goto done;
	/* The filters outlive the query string: keep them in the body. */
	rq->rq_body = json_object();
	for (i = 0; i < 3; i++)
		if ((v = evhttp_find_header(&q, params[i])) != NULL)
			json_object_set_new(rq->rq_body, params[i],
			    json_string(v));
	rq->rq_apply = apply_list;
	commit_enqueue(rq->rq_d, rq);
done:
	evhttp_clear_headers(&q);
}

static void
apply_list(struct req *rq)
{
	struct case_filter	 f;
	struct list_arg		 la;
	struct engine_error	 ee;

	memset(&f, 0, sizeof(f));
	f.cf_state = json_string_value(json_object_get(rq->rq_body, "state"));
	f.cf_workflow = json_string_value(json_object_get(rq->rq_body,
	    "workflow"));
	f.cf_team = json_string_value(json_object_get(rq->rq_body, "team"));
	f.cf_after = rq->rq_after;
	f.cf_limit = rq->rq_limit;
	memset(&la, 0, sizeof(la));
	la.la_req = rq;
	la.la_cases = json_array();
	la.la_now = clock_now();
	if (engine_case_list(rq->rq_d->d_engine, &rq->rq_actor, &f, list_cb,
	    &la, &ee) == -1) {
		json_decref(la.la_cases);
		if (la.la_failed == 0)
			rq->rq_clean = ee.ee_status == ENGINE_EFORBIDDEN;
		if (la.la_failed >= 2)
			req_unlogged(rq, la.la_failed == 3);
		else
			engine_problem(rq, &ee, 0);
		return;
	}
	if (rq->rq_csv) {
		list_csv(rq, la.la_cases, la.la_last, la.la_count ==
		    f.cf_limit);
		return;
	}
	req_json(rq, 200, view_page("cases", la.la_cases, la.la_last,
	    la.la_count == f.cf_limit));
}

/*
 * The list as CSV: a row per case, with the last day and the moment of
 * its running deadline that passes first; the next page in a Link header.
 */
static void
list_csv(struct req *rq, json_t *cases, int64_t last, int full)
{
	static const struct csv_column cols[] = {
		{ "id", "id" }, { "workflow", "workflow" },
		{ "version", "version" }, { "reference", "reference" },
		{ "team", "team" }, { "coordinator", "coordinator" },
		{ "state", "state" }, { "final", "final" },
		{ "assignee", "assignee" }, { "started_at", "started_at" },
		{ "state_since", "state_since" },
		{ "updated_at", "updated_at" }, { "next_due", "next_due" },
		{ "next_overdue_from", "next_overdue_from" },
		{ "state_title", "state_title" },
		{ "assignee_name", "assignee_name" },
	};
	const json_t	*dl, *next;
	json_t		*c;
	char		 cursor[32];
	int64_t		 at, first;
	size_t		 i, j;

	json_array_foreach(cases, i, c) {
		next = NULL;
		first = INT64_MAX;
		json_array_foreach(json_object_get(c, "deadlines"), j, dl) {
			if (!json_is_true(json_object_get(dl, "running")) ||
			    cal_parse_time(json_string_value(json_object_get(dl,
			    "overdue_from")), &at) == -1 || at >= first)
				continue;
			first = at;
			next = dl;
		}
		json_object_set(c, "next_due", next ? json_object_get(next,
		    "due") : json_null());
		json_object_set(c, "next_overdue_from", next ?
		    json_object_get(next, "overdue_from") : json_null());
	}
	req_csv(rq, cols, nitems(cols), cases, "cases.csv");
	json_decref(cases);
	snprintf(cursor, sizeof(cursor), "%lld", (long long)last);
	req_next_link(rq, full ? cursor : NULL);
}
