/* termijn: routes, which team fills a function: the administrator's endpoints. */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"
#include "termijn/util.h"
#include "termijn/view.h"

#include "termijnd.h"

static void	 apply_route_set(struct req *);
static void	 apply_route_remove(struct req *);
static void	 routes_list(struct req *, int);
static enum store_status route_cb(const struct route_row *, void *);

static enum store_status
route_cb(const struct route_row *rt, void *arg)
{
	json_array_append_new(arg, view_route(rt));
	return STORE_OK;
}

static void
routes_list(struct req *rq, int log)
{
	struct engine_error	 ee;
	json_t			*a = json_array();

	if (engine_routes(rq->rq_d->d_engine, &rq->rq_actor, log, route_cb, a,
	    &ee) == -1) {
		json_decref(a);
		/* Not a write: nothing else sends the refusal. */
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		return;
	}
	http_json(rq, 200, json_pack("{s:o}", log ? "log" : "routes", a));
}

/* GET /v1/routes: which team fills each function, for whom. */
void
http_routes_list(struct req *rq)
{
	routes_list(rq, 0);
}

/* GET /v1/routes/log: every route set and removed, by whom, when. */
void
http_routes_log(struct req *rq)
{
	routes_list(rq, 1);
}

/*
 * POST /v1/routes {"function", "for_team" | "for_organisation", "team"}:
 * the team fills the function for the cases of that team, or of every team
 * of that organisation.
 */
void
http_routes_add(struct req *rq)
{
	static const char *const fields[] = {
		"function", "for_team", "for_organisation", "team", NULL
	};

	if (admin_only(rq) == -1 || req_body_object(rq, fields) == -1 ||
	    req_string(rq, "function", 1, NULL) == -1 ||
	    req_string(rq, "for_team", 0, NULL) == -1 ||
	    req_free_text(rq, "for_organisation", 0, ORGANISATION_MAX) == -1 ||
	    req_string(rq, "team", 1, NULL) == -1)
		return;
	rq->rq_apply = apply_route_set;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_route_set(struct req *rq)
{
	static const struct {
		const char	*f_name;
		size_t		 f_off;
		size_t		 f_len;
	} fields[] = {
		{ "function", offsetof(struct route_row, rt_function),
		    sizeof(((struct route_row *)0)->rt_function) },
		{ "for_team", offsetof(struct route_row, rt_for_team),
		    sizeof(((struct route_row *)0)->rt_for_team) },
		{ "for_organisation", offsetof(struct route_row, rt_for_org),
		    sizeof(((struct route_row *)0)->rt_for_org) },
		{ "team", offsetof(struct route_row, rt_team),
		    sizeof(((struct route_row *)0)->rt_team) },
	};
	struct engine_error	 ee;
	struct route_row	 rt;
	const char		*v;
	char			 msg[128];
	size_t			 i, joined;
	json_t			*o;

	memset(&rt, 0, sizeof(rt));
	for (i = 0; i < nitems(fields); i++) {
		v = json_string_value(json_object_get(rq->rq_body,
		    fields[i].f_name));
		if (v == NULL)
			continue;
		if (strlen(v) >= fields[i].f_len) {
			snprintf(msg, sizeof(msg), _("field \"%s\" is longer"
			    " than %zu bytes"), fields[i].f_name,
			    fields[i].f_len - 1);
			req_problem(rq, 400, msg, NULL);
			rq->rq_clean = 1;
			return;
		}
		memcpy((char *)&rt + fields[i].f_off, v, strlen(v) + 1);
	}
	if (engine_route_set(rq->rq_d->d_engine, &rq->rq_actor, &rt,
	    clock_now(), &joined, &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	o = view_route(&rt);
	json_object_set_new(o, "joined", json_integer((json_int_t)joined));
	req_json(rq, 201, o);
	free(rq->rq_location);
	xasprintf(&rq->rq_location, "/v1/routes/%lld", (long long)rt.rt_id);
}

/* DELETE /v1/routes/{id} */
void
http_routes_remove(struct req *rq)
{
	if (admin_only(rq) == -1)
		return;
	rq->rq_apply = apply_route_remove;
	commit_enqueue(rq->rq_d, rq);
}

static void
apply_route_remove(struct req *rq)
{
	struct engine_error	ee;
	struct route_row	rt;

	memset(&rt, 0, sizeof(rt));
	rt.rt_id = rq->rq_id;
	if (engine_route_remove(rq->rq_d->d_engine, &rq->rq_actor, &rt,
	    clock_now(), &ee) == -1) {
		engine_problem(rq, &ee, 0);
		return;
	}
	req_json(rq, 200, view_route(&rt));
}
