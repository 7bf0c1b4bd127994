/* termijn: teams, tokens and retention: the administrator's endpoints. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/clock.h"
#include "termijn/csv.h"
#include "termijn/text.h"
#include "termijn/token.h"
#include "termijn/view.h"

#include "termijnd.h"

#define RETENTION_DEFAULT	100	/* cases destroyed per request */
#define RETENTION_MAX		1000

static void	 apply_team_add(struct req *);
static void	 apply_token_add(struct req *);
static void	 apply_token_revoke(struct req *);
static void	 apply_token_update(struct req *);
static int	 display_name_field(struct req *, int);
static void	 apply_retention(struct req *);
static void	 retention_committed(struct req *);
static enum store_status team_cb(const struct team_row *, void *);
static enum store_status token_cb(const struct token_row *, void *);
static enum store_status person_cb(const struct token_row *, void *);
static enum store_status retention_cb(const struct case_row *, void *);

static enum store_status
team_cb(const struct team_row *tm, void *arg)
{
	json_array_append_new(arg, view_team(tm));
	return STORE_OK;
}

/* GET /v1/teams: every token may know which teams there are. */
void
http_teams_list(struct req *rq)
{
	json_t	*a = json_array();

	if (store_teams_each(rq->rq_d->d_store, team_cb, a) != STORE_OK) {
		json_decref(a);
		http_failf(rq, 500, N_("the database failed listing teams"));
		return;
	}
	http_json(rq, 200, json_pack("{s:o}", "teams", a));
}

static enum store_status
person_cb(const struct token_row *tk, void *arg)
{
	json_array_append_new(arg, view_person(tk));
	return STORE_OK;
}

/*
 * GET /v1/teams/{team}/people: who works in the team, by name, to assign
 * a case to; for the team's own people and an admin (engine_team_people).
 */
void
http_teams_people(struct req *rq)
{
	static const struct csv_column cols[] = {
		{ "name", "name" }, { "display_name", "display_name" },
		{ "role", "role" },
	};
	static const char *const params[] = { NULL };
	struct engine_error	 ee;
	struct evkeyvalq	 q;
	json_t			*a;

	if (req_query(rq, params, &q) == -1)
		return;
	evhttp_clear_headers(&q);
	a = json_array();
	if (engine_team_people(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_name,
	    clock_now(), person_cb, a, &ee) == -1) {
		json_decref(a);
		/* Not a write: nothing else sends the refusal. */
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		return;
	}
	if (req_wants_csv(rq)) {
		req_csv(rq, cols, nitems(cols), a, "people.csv");
		json_decref(a);
		http_answer(rq);
		return;
	}
	http_json(rq, 200, json_pack("{s:s, s:o}", "team", rq->rq_name,
	    "people", a));
}

/* POST /v1/teams {"name", "title", "organisation"} */
void
http_teams_add(struct req *rq)
{
	static const char *const fields[] = {
		"name", "title", "organisation", NULL
	};

	if (admin_only(rq) == -1 || req_body_object(rq, fields) == -1 ||
	    req_string(rq, "name", 1, NULL) == -1 ||
	    req_free_text(rq, "title", 1, TITLE_MAX) == -1 ||
	    req_free_text(rq, "organisation", 0, ORGANISATION_MAX) == -1)
		return;
	rq->rq_apply = apply_team_add;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_team_add(struct req *rq)
{
	struct engine_error	 ee;
	struct team_row		 tm;
	const char		*org;

	/* The handler checked title and organisation against their limits. */
	memset(&tm, 0, sizeof(tm));
	org = json_string_value(json_object_get(rq->rq_body, "organisation"));
	if (text_copy(tm.tm_name, sizeof(tm.tm_name), json_string_value(
	    json_object_get(rq->rq_body, "name"))) == -1 ||
	    text_copy(tm.tm_title, sizeof(tm.tm_title), json_string_value(
	    json_object_get(rq->rq_body, "title"))) == -1 ||
	    text_copy(tm.tm_organisation, sizeof(tm.tm_organisation),
	    org != NULL ? org : "") == -1) {
		req_problem(rq, 400, _("name must be 1 to 64 characters from"
		    " A-Z a-z 0-9 . _ / -, starting with a letter or digit"),
		    NULL);
		rq->rq_clean = 1;
		return;
	}
	/* One moment: the answer shows what was stored. */
	tm.tm_created_at = clock_now();
	if (engine_team_add(rq->rq_d->d_engine, &rq->rq_actor, &tm,
	    tm.tm_created_at, &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	req_json(rq, 201, view_team(&tm));
}

static enum store_status
token_cb(const struct token_row *tk, void *arg)
{
	json_array_append_new(arg, view_token(tk));
	return STORE_OK;
}

/*
 * GET /v1/tokens: every token, never its secret.  When each was last used
 * is written once a minute (chores.c), so it shows at most that late.
 */
void
http_tokens_list(struct req *rq)
{
	json_t	*a;

	if (admin_only(rq) == -1)
		return;
	a = json_array();
	if (store_tokens_each(rq->rq_d->d_store, token_cb, a) != STORE_OK) {
		json_decref(a);
		http_failf(rq, 500, N_("the database failed listing tokens"));
		return;
	}
	http_json(rq, 200, json_pack("{s:o}", "tokens", a));
}

/*
 * POST /v1/tokens {"name", "role", "teams": [...], "expires"}.  The answer
 * holds the token's secret, which termijn does not keep: so it cannot be
 * given again, and an Idempotency-Key is refused here.
 */
void
http_tokens_add(struct req *rq)
{
	static const char *const fields[] = {
		"name", "role", "teams", "expires", "display_name", NULL
	};
	json_t	*teams, *t;
	size_t	 i;

	if (admin_only(rq) == -1 || req_body_object(rq, fields) == -1 ||
	    req_string(rq, "name", 1, NULL) == -1 ||
	    req_string(rq, "role", 1, NULL) == -1 ||
	    req_string(rq, "expires", 0, NULL) == -1 ||
	    display_name_field(rq, 0) == -1)
		return;
	if (rq->rq_idem_key != NULL) {
		http_problemf(rq, 400, _("a new token's answer holds its"
		    " secret, which termijn does not keep: send it without"
		    " an Idempotency-Key"));
		return;
	}
	teams = json_object_get(rq->rq_body, "teams");
	if (teams != NULL && !json_is_array(teams)) {
		http_problemf(rq, 400, _("field \"teams\" must be a list of"
		    " team names"));
		return;
	}
	json_array_foreach(teams, i, t)
		if (!json_is_string(t)) {
			http_problemf(rq, 400, _("field \"teams\" must be a"
			    " list of team names"));
			return;
		}
	rq->rq_apply = apply_token_add;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_token_add(struct req *rq)
{
	struct engine_error	 ee;
	struct token_row	 tk;
	char			 secret[TOKEN_LEN];
	json_t			*teams, *t, *o;
	const char		*v;
	size_t			 i, len = 0;
	int64_t			 now = clock_now();

	memset(&tk, 0, sizeof(tk));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s",
	    json_string_value(json_object_get(rq->rq_body, "name")));
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s",
	    json_string_value(json_object_get(rq->rq_body, "role")));
	/* The handler checked it against its limit. */
	if ((v = json_string_value(json_object_get(rq->rq_body,
	    "display_name"))) != NULL)
		text_copy(tk.tk_display_name, sizeof(tk.tk_display_name), v);
	teams = json_object_get(rq->rq_body, "teams");
	json_array_foreach(teams, i, t) {
		if (len + json_string_length(t) + 2 > sizeof(tk.tk_teams) ||
		    strchr(json_string_value(t), ',') != NULL) {
			req_problem(rq, 400, _("too many teams, or a team name"
			    " with a comma in it"), NULL);
			rq->rq_clean = 1;
			return;
		}
		len += (size_t)snprintf(tk.tk_teams + len, sizeof(tk.tk_teams) -
		    len, "%s%s", i ? "," : "", json_string_value(t));
	}
	if (engine_token_expiry(json_string_value(json_object_get(rq->rq_body,
	    "expires")), now, &tk.tk_expires_at, &ee) == -1 ||
	    engine_token_add(rq->rq_d->d_engine, &rq->rq_actor, &tk, secret,
	    sizeof(secret), now, &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	o = view_token(&tk);
	json_object_set_new(o, "token", json_string(secret));
	explicit_bzero(secret, sizeof(secret));
	req_json(rq, 201, o);
}

/* DELETE /v1/tokens/{name}: revoked for the very next request. */
void
http_tokens_revoke(struct req *rq)
{
	if (admin_only(rq) == -1)
		return;
	rq->rq_apply = apply_token_revoke;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_token_revoke(struct req *rq)
{
	struct engine_error	ee;
	int64_t			now = clock_now();

	if (engine_token_revoke(rq->rq_d->d_engine, &rq->rq_actor,
	    rq->rq_name, now, &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	req_json(rq, 200, json_pack("{s:s, s:o}", "name", rq->rq_name,
	    "revoked_at", view_time(now)));
}

/*
 * "display_name": a person's name on one line (text_check_name), or with
 * nullable null too.  Checked before the write, so that nothing changes
 * when it is refused; the answer quotes nothing of it.  Answers on error.
 */
static int
display_name_field(struct req *rq, int nullable)
{
	json_t	*v = json_object_get(rq->rq_body, "display_name");
	char	 err[256];

	if (v == NULL || (nullable && json_is_null(v)))
		return 0;
	if (!json_is_string(v)) {
		if (nullable)
			http_problemf(rq, 400, _("field \"display_name\" must"
			    " be a string or null"));
		else
			http_problemf(rq, 400, _("field \"display_name\" must"
			    " be a string"));
		return -1;
	}
	if (text_check_name("display_name", json_string_value(v),
	    DISPLAY_NAME_MAX, err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		return -1;
	}
	return 0;
}

/*
 * PATCH /v1/tokens/{name} {"display_name": TEXT or null}: the person's
 * name as people read it, set or taken away.  The answer is the token.
 */
void
http_tokens_update(struct req *rq)
{
	static const char *const fields[] = { "display_name", NULL };

	if (admin_only(rq) == -1 || req_body_object(rq, fields) == -1)
		return;
	if (json_object_get(rq->rq_body, "display_name") == NULL) {
		http_problemf(rq, 400, _("missing field \"display_name\" (a"
		    " person's name, or null to have none)"));
		return;
	}
	if (display_name_field(rq, 1) == -1)
		return;
	rq->rq_apply = apply_token_update;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_token_update(struct req *rq)
{
	struct engine_error	 ee;
	struct token_row	 tk;
	enum store_status	 rc;
	int64_t			 now = clock_now();

	if (engine_token_display_name(rq->rq_d->d_engine, &rq->rq_actor,
	    rq->rq_name, json_string_value(json_object_get(rq->rq_body,
	    "display_name")), now, &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	if ((rc = store_token_by_name(rq->rq_d->d_store, rq->rq_name, now,
	    &tk)) != STORE_OK) {
		req_failf(rq, 500, N_("the database failed reading the"
		    " token"));
		return;
	}
	req_json(rq, 200, view_token(&tk));
}

/*
 * POST /v1/retention?dryRun=&limit=: destroy what is past its retention,
 * and say whether the bytes of destroyed cases are gone ("scrubbed").
 * dryRun was first spelled dry_run, which scripts may still send; query
 * keys are lowerCamelCase now (NL API Design Rules), and only dryRun is
 * documented.  Both at once is a 400, as a parameter given twice is.
 */
void
http_retention(struct req *rq)
{
	static const char *const params[] = {
		"dryRun", "dry_run", "limit", NULL
	};
	struct evkeyvalq	 q;
	const char		*v, *old;
	char			*end;
	long			 n;

	if (admin_only(rq) == -1 || req_query(rq, params, &q) == -1)
		return;
	rq->rq_when = 0;
	rq->rq_limit = RETENTION_DEFAULT;
	v = evhttp_find_header(&q, "dryRun");
	if ((old = evhttp_find_header(&q, "dry_run")) != NULL && v != NULL) {
		http_problemf(rq, 400, _("query parameter \"dryRun\" is given"
		    " twice (dry_run is its old spelling)"));
		goto done;
	}
	if (v == NULL)
		v = old;
	if (v != NULL) {
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
			http_problemf(rq, 400,
			    _("dryRun must be true or false"));
			goto done;
		}
		rq->rq_when = strcmp(v, "true") == 0;
	}
	if ((v = evhttp_find_header(&q, "limit")) != NULL) {
		n = strtol(v, &end, 10);
		if (*end != '\0' || end == v || n < 1 || n > RETENTION_MAX) {
			http_problemf(rq, 400, _("limit must be a number from 1"
			    " to %d"), RETENTION_MAX);
			goto done;
		}
		rq->rq_limit = (int)n;
	}
	rq->rq_apply = apply_retention;
	rq->rq_committed = retention_committed;
	commit_enqueue(rq->rq_d, rq);
done:
	evhttp_clear_headers(&q);
}

static enum store_status
retention_cb(const struct case_row *c, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:i, s:s, s:o}",
	    "id", (json_int_t)c->c_id, "workflow", c->c_workflow, "version",
	    c->c_version, "team", c->c_team, "closed_at",
	    view_time(c->c_state_since)));
	return STORE_OK;
}

static void
apply_retention(struct req *rq)
{
	struct engine_error	 ee;
	json_t			*a = json_array();
	int			 n;

	if ((n = engine_retention_run(rq->rq_d->d_engine, &rq->rq_actor,
	    clock_now(), (size_t)rq->rq_limit, rq->rq_when != 0, retention_cb,
	    a, &ee)) == -1) {
		json_decref(a);
		engine_problem(rq, &ee, 0);
		return;
	}
	req_json(rq, 200, json_pack("{s:b, s:o, s:b}", "dry_run",
	    rq->rq_when != 0, rq->rq_when ? "would_destroy" : "destroyed", a,
	    "more", n == rq->rq_limit));
}

/*
 * Once the destruction committed and the store tried to scrub it: whether
 * the bytes of destroyed cases are gone from the database's files.
 */
static void
retention_committed(struct req *rq)
{
	json_t	*o;

	if ((o = json_loads(rq->rq_answer, 0, NULL)) == NULL)
		fatalx("%s: the answer is not JSON", __func__);
	json_object_set_new(o, "scrubbed",
	    json_boolean(engine_scrubbed(rq->rq_d->d_engine)));
	req_json(rq, rq->rq_status, o);
}
