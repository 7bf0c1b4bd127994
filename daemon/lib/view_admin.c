/* termijn: what leaves termijn and what an administrator sees: webhooks' events, the outbox, routes, teams, tokens. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/record.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

static json_t	*view_display_name(const struct token_row *);

/*
 * None of these shows what a case holds: a webhook's event carries ids,
 * and the administrator's lists carry names, states and moments, never a
 * note or a reference.
 */

/*
 * A webhook's body: a CloudEvents 1.0 event (the envelope Dutch government
 * notification services use) with ids, the rung and the deadline and a
 * link, never a note or a reference.
 */
json_t *
view_cloudevent(const char *id, const char *source, const char *type,
    const struct case_row *c, const struct workflow *wf,
    const struct rung_input *ri, const char *team)
{
	char	subject[64], link[64];

	snprintf(subject, sizeof(subject), "cases/%lld", (long long)c->c_id);
	snprintf(link, sizeof(link), "/v1/cases/%lld", (long long)c->c_id);
	/* Told on entering a state: no deadline, no rung. */
	if (ri->ri_deadline == NULL)
		return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:{s:I,"
		    " s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s}}}",
		    "specversion", "1.0", "id", id, "source", source, "type",
		    type, "time", view_time(ri->ri_recorded_at),
		    "datacontenttype", "application/json", "subject", subject,
		    "data", "case", (json_int_t)c->c_id, "workflow",
		    wf->wf_name, "version", wf->wf_version, "owner", c->c_team,
		    "team", team, "state", c->c_state, "entered", c->c_state,
		    "role", ri->ri_notify, "at", view_time(ri->ri_at), "links",
		    "case", link);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:{s:I, s:s,"
	    " s:i, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:o, s:{s:s}}}",
	    "specversion", "1.0", "id", id, "source", source, "type", type,
	    "time", view_time(ri->ri_recorded_at), "datacontenttype",
	    "application/json", "subject", subject, "data",
	    "case", (json_int_t)c->c_id, "workflow", wf->wf_name,
	    "version", wf->wf_version, "owner", c->c_team, "team", team,
	    "state", c->c_state, "deadline", ri->ri_deadline,
	    "seq", ri->ri_seq, "missed", ri->ri_missed, "rung", ri->ri_rung,
	    "role", ri->ri_notify, "at", view_time(ri->ri_at),
	    "links", "case", link);
}

/*
 * An outbox row as an administrator sees it: where it goes, how it fared,
 * and the CloudEvent it carries (ids, never notes or references).
 */
json_t *
view_outbox(const struct outbox_row *o)
{
	json_t	*ev, *id;

	ev = o->o_body != NULL ? json_loads(o->o_body, 0, NULL) : NULL;
	id = json_object_get(ev, "id");
	return json_pack("{s:I, s:o, s:I, s:o, s:s, s:s, s:s, s:s, s:i, s:o,"
	    " s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)o->o_id,
	    "event_id", json_is_string(id) ? json_copy(id) : json_null(),
	    "case", (json_int_t)o->o_case,
	    "notification", o->o_notification ?
	    json_integer(o->o_notification) : json_null(),
	    "type", o->o_type, "team", o->o_team, "role", o->o_role,
	    "status", o->o_status, "attempts", o->o_attempts,
	    "next_at", strcmp(o->o_status, "pending") == 0 ?
	    view_time(o->o_next_at) : json_null(),
	    "last_error", o->o_last_error[0] != '\0' ?
	    json_string(o->o_last_error) : json_null(),
	    "created_at", view_time(o->o_created_at),
	    "delivered_at", o->o_delivered_at ? view_time(o->o_delivered_at) :
	    json_null(),
	    "event", ev != NULL ? ev : json_null());
}

/* A route as the API shows it: which team fills a function, for whom. */
json_t *
view_route(const struct route_row *rt)
{
	json_t	*o;

	o = json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)rt->rt_id,
	    "function", rt->rt_function, "team", rt->rt_team, "at",
	    view_time(rt->rt_at), "by", rt->rt_actor);
	if (rt->rt_for_team[0] != '\0')
		json_object_set_new(o, "for_team",
		    json_string(rt->rt_for_team));
	else
		json_object_set_new(o, "for_organisation",
		    view_text(rt->rt_for_org));
	if (rt->rt_log)
		json_object_set_new(o, "change", json_string(rt->rt_removed ?
		    "removed" : "set"));
	return o;
}

/* A team as the API shows it. */
json_t *
view_team(const struct team_row *tm)
{
	json_t	*o;

	o = json_pack("{s:s, s:o, s:o}", "name", tm->tm_name, "title",
	    view_text(tm->tm_title), "created_at",
	    view_time(tm->tm_created_at));
	if (tm->tm_organisation[0] != '\0')
		json_object_set_new(o, "organisation",
		    view_text(tm->tm_organisation));
	return o;
}

/* A token as the API shows it: never its secret, nor its hash. */
json_t *
view_token(const struct token_row *tk)
{
	json_t	*o, *teams;
	char	*list, *team, *save;

	teams = json_array();
	list = xstrdup(tk->tk_teams);
	for (team = strtok_r(list, ",", &save); team != NULL;
	    team = strtok_r(NULL, ",", &save))
		json_array_append_new(teams, json_string(team));
	free(list);
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "name",
	    tk->tk_name, "role", tk->tk_role, "teams", teams, "created_at",
	    view_time(tk->tk_created_at), "expires_at", tk->tk_expires_at ?
	    view_time(tk->tk_expires_at) : json_null(), "last_used_at",
	    tk->tk_last_used_at ? view_time(tk->tk_last_used_at) :
	    json_null(), "revoked_at", tk->tk_revoked_at ?
	    view_time(tk->tk_revoked_at) : json_null());
	json_object_set_new(o, "display_name", view_display_name(tk));
	return o;
}

/* A token's display name, or null when it has none. */
static json_t *
view_display_name(const struct token_row *tk)
{
	return tk->tk_display_name[0] != '\0' ?
	    view_text(tk->tk_display_name) : json_null();
}

/* One of a team's people: who to assign a case to, by name. */
json_t *
view_person(const struct token_row *tk)
{
	return json_pack("{s:s, s:o, s:s}", "name", tk->tk_name,
	    "display_name", view_display_name(tk), "role", tk->tk_role);
}
