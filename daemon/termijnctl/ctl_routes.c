/* termijn: which team fills a function: team route, team unroute, team routes. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"

#include "ctl.h"

/*
 * A workflow brings a team into a case by function (enforcement, housing
 * fraud); the administrator says once which team fills each function for
 * an owning team (--for) or for every team of an organisation
 * (--for-organisation).  Over the API (/v1/routes) or offline on the
 * database (--db), as the other administration commands.
 */

struct route_op {
	struct route_row	ro_row;
	int			ro_found;
	size_t			ro_joined;
};

static int	 route_key(const struct ctl_cmd *, const char *, const char *,
		    const char *, struct route_row *);
static int	 set_apply(struct engine *, void *, struct engine_error *);
static int	 remove_apply(struct engine *, void *, struct engine_error *);
static enum store_status find_cb(const struct route_row *, void *);
static enum store_status list_cb(const struct route_row *, void *);
static enum store_status routes_each(struct store *, json_t *);
static enum store_status routes_log_each(struct store *, json_t *);
static int	 route_id(struct ctl *, const char *, struct route_row *);

/*
 * team route FUNCTION --team T (--for OWNER | --for-organisation ORG)
 * [--db PATH]
 */
int
ctl_routes_set(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL, *team = NULL, *owner = NULL;
	const char		*org = NULL;
	const struct ctl_opt	 opts[] = {
		{ "team", &team, NULL, NULL },
		{ "for", &owner, NULL, NULL },
		{ "for-organisation", &org, NULL, NULL },
		{ "db", &db, NULL, NULL },
	};
	struct route_op		 ro;
	json_t			*body, *reply = NULL, *list;
	json_int_t		 joined;
	char			**pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if (team == NULL || *team == '\0')
		return ctl_usage_error(cmd, _("--team is required: the team"
		    " that fills the function"));
	memset(&ro, 0, sizeof(ro));
	if ((ret = route_key(cmd, pos[0], owner, org, &ro.ro_row)) !=
	    CTL_EXIT_OK)
		return ret;
	if (strlen(team) >= sizeof(ro.ro_row.rt_team))
		return ctl_usage_error(cmd, _("--team: at most %zu bytes"),
		    sizeof(ro.ro_row.rt_team) - 1);
	snprintf(ro.ro_row.rt_team, sizeof(ro.ro_row.rt_team), "%s", team);
	if (db == NULL) {
		body = json_pack("{s:s, s:s}", "function", pos[0], "team",
		    team);
		json_object_set_new(body, owner != NULL ? "for_team" :
		    "for_organisation", json_string(owner != NULL ? owner :
		    org));
		ret = ctl_call(ctl, "POST", "/v1/routes", body, NULL, 1,
		    &reply);
		json_decref(body);
	} else if ((ret = ctl_db_write(db, set_apply,
	    &ro)) == CTL_EXIT_OK) {
		reply = view_route(&ro.ro_row);
		json_object_set_new(reply, "joined",
		    json_integer((json_int_t)ro.ro_joined));
	}
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		list = json_pack("[O]", reply);
		ctl_print_routes(stdout, list);
		json_decref(list);
		joined = json_integer_value(json_object_get(reply, "joined"));
		/*
		 * TRANSLATORS: the English says "case(s)" either way; a
		 * translation chooses by the count.
		 */
		if (joined > 0)
			printf(P_("%s now takes part in %lld case(s) that"
			    " waited for a team for %s\n", "%s now takes part"
			    " in %lld case(s) that waited for a team for %s\n",
			    joined), team, (long long)joined, pos[0]);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* team unroute FUNCTION (--for OWNER | --for-organisation ORG) [--db PATH] */
int
ctl_routes_remove(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL, *owner = NULL, *org = NULL;
	const struct ctl_opt	 opts[] = {
		{ "for", &owner, NULL, NULL },
		{ "for-organisation", &org, NULL, NULL },
		{ "db", &db, NULL, NULL },
	};
	struct route_op		 ro;
	json_t			*reply = NULL;
	char			*path, **pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	memset(&ro, 0, sizeof(ro));
	if ((ret = route_key(cmd, pos[0], owner, org, &ro.ro_row)) !=
	    CTL_EXIT_OK)
		return ret;
	if (db == NULL) {
		if ((ret = route_id(ctl, NULL, &ro.ro_row)) != CTL_EXIT_OK)
			return ret;
		xasprintf(&path, "/v1/routes/%lld",
		    (long long)ro.ro_row.rt_id);
		ret = ctl_call(ctl, "DELETE", path, NULL, NULL, 1, &reply);
		free(path);
	} else {
		if ((ret = route_id(ctl, db, &ro.ro_row)) != CTL_EXIT_OK)
			return ret;
		if ((ret = ctl_db_write(db, remove_apply,
		    &ro)) == CTL_EXIT_OK)
			reply = view_route(&ro.ro_row);
	}
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		printf(_("route %lld removed: %s for %s no longer goes to"
		    " %s\n"), (long long)ro.ro_row.rt_id, ro.ro_row.rt_function,
		    owner != NULL ? owner : org, json_string_value(
		    json_object_get(reply, "team")));
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* team routes [--log] [--db PATH] */
int
ctl_routes_list(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL;
	int			 log = 0;
	const struct ctl_opt	 opts[] = {
		{ "log", NULL, &log, NULL },
		{ "db", &db, NULL, NULL },
	};
	char			**pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		return ret;
	if (log)
		return ctl_db_list(ctl, db, "/v1/routes/log", "log",
		    routes_log_each, ctl_print_routes);
	return ctl_db_list(ctl, db, "/v1/routes", "routes", routes_each,
	    ctl_print_routes);
}

/* Routes, or the log of them, as the API lists them. */
void
ctl_print_routes(FILE *fp, const json_t *list)
{
	static const char *const head[] = {
		N_("ID"), N_("FUNCTION"), N_("FOR"), N_("TEAM"), N_("SINCE"),
		N_("BY"),
	};
	static const char *const head_log[] = {
		N_("ID"), N_("FUNCTION"), N_("FOR"), N_("TEAM"), N_("AT"),
		N_("BY"), N_("CHANGE"),
	};
	struct ctl_table	*t;
	const json_t		*o, *owner;
	const char		*row[7];
	char			 id[24], at[64], forwhom[320];
	size_t			 i;
	int			 log;

	log = json_object_get(json_array_get(list, 0), "change") != NULL;
	t = ctl_table_new(log ? nitems(head_log) : nitems(head),
	    log ? head_log : head);
	json_array_foreach(list, i, o) {
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(
		    json_object_get(o, "id")));
		if ((owner = json_object_get(o, "for_team")) != NULL)
			snprintf(forwhom, sizeof(forwhom), _("team %s"),
			    json_string_value(owner));
		else
			snprintf(forwhom, sizeof(forwhom), _("organisation %s"),
			    json_string_value(json_object_get(o,
			    "for_organisation")));
		row[0] = id;
		row[1] = json_string_value(json_object_get(o, "function"));
		row[2] = forwhom;
		row[3] = json_string_value(json_object_get(o, "team"));
		row[4] = ctl_print_value(json_object_get(o, "at"), at,
		    sizeof(at));
		row[5] = json_string_value(json_object_get(o, "by"));
		row[6] = json_string_value(json_object_get(o, "change"));
		ctl_table_add(t, row);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);
}

/* The key of a route: a function, and whom it serves (one of the two). */
static int
route_key(const struct ctl_cmd *cmd, const char *function, const char *owner,
    const char *org, struct route_row *rt)
{
	if ((owner == NULL) == (org == NULL))
		return ctl_usage_error(cmd, "%s", _("give --for TEAM (the team"
		    " whose cases it serves) or --for-organisation ORG, one of"
		    " the two"));
	if (strlen(function) >= sizeof(rt->rt_function) ||
	    (owner != NULL && strlen(owner) >= sizeof(rt->rt_for_team)))
		return ctl_usage_error(cmd, "%s", _("FUNCTION and --for: at"
		    " most 64 bytes"));
	if (ctl_api_text(cmd, "--for-organisation", org, ORGANISATION_MAX) !=
	    CTL_EXIT_OK)
		return CTL_EXIT_USAGE;
	snprintf(rt->rt_function, sizeof(rt->rt_function), "%s", function);
	if (owner != NULL)
		snprintf(rt->rt_for_team, sizeof(rt->rt_for_team), "%s", owner);
	else
		snprintf(rt->rt_for_org, sizeof(rt->rt_for_org), "%s", org);
	return CTL_EXIT_OK;
}

static int
set_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct route_op	*ro = arg;

	return engine_route_set(en, &ctl_db_admin, &ro->ro_row, clock_now(),
	    &ro->ro_joined, ee);
}

static int
remove_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct route_op	*ro = arg;

	return engine_route_remove(en, &ctl_db_admin, &ro->ro_row,
	    clock_now(), ee);
}

static enum store_status
list_cb(const struct route_row *rt, void *arg)
{
	json_array_append_new(arg, view_route(rt));
	return STORE_OK;
}

static enum store_status
routes_each(struct store *st, json_t *list)
{
	return store_routes_each(st, 0, list_cb, list);
}

static enum store_status
routes_log_each(struct store *st, json_t *list)
{
	return store_routes_each(st, 1, list_cb, list);
}

static enum store_status
find_cb(const struct route_row *rt, void *arg)
{
	struct route_op	*ro = arg;

	if (strcmp(rt->rt_function, ro->ro_row.rt_function) == 0 &&
	    strcmp(rt->rt_for_team, ro->ro_row.rt_for_team) == 0 &&
	    strcmp(rt->rt_for_org, ro->ro_row.rt_for_org) == 0) {
		ro->ro_row.rt_id = rt->rt_id;
		ro->ro_found = 1;
	}
	return STORE_OK;
}

/* The id of the route of rt's key, from the API or the database. */
static int
route_id(struct ctl *ctl, const char *db, struct route_row *rt)
{
	struct route_op		 ro;
	struct store		*st;
	enum store_status	 rc;
	json_t			*reply = NULL, *o;
	size_t			 i;
	int			 ret;

	memset(&ro, 0, sizeof(ro));
	ro.ro_row = *rt;
	if (db == NULL) {
		if ((ret = ctl_call(ctl, "GET", "/v1/routes", NULL, NULL, 1,
		    &reply)) != CTL_EXIT_OK)
			return ret;
	} else {
		if ((ret = ctl_db_read(db, &st)) != CTL_EXIT_OK)
			return ret;
		reply = json_pack("{s:[]}", "routes");
		rc = routes_each(st, json_object_get(reply, "routes"));
		store_close(st);
		if (rc != STORE_OK) {
			ctl_warnx(_("%s: the database failed listing %s (%s)"),
			    db, "routes", store_status_name(rc));
			json_decref(reply);
			return CTL_EXIT_ERR;
		}
	}
	json_array_foreach(json_object_get(reply, "routes"), i, o) {
		struct route_row	r;

		memset(&r, 0, sizeof(r));
		r.rt_id = json_integer_value(json_object_get(o, "id"));
		snprintf(r.rt_function, sizeof(r.rt_function), "%s",
		    json_string_value(json_object_get(o, "function")));
		snprintf(r.rt_for_team, sizeof(r.rt_for_team), "%s",
		    json_object_get(o, "for_team") ? json_string_value(
		    json_object_get(o, "for_team")) : "");
		snprintf(r.rt_for_org, sizeof(r.rt_for_org), "%s",
		    json_object_get(o, "for_organisation") ? json_string_value(
		    json_object_get(o, "for_organisation")) : "");
		find_cb(&r, &ro);
	}
	json_decref(reply);
	if (!ro.ro_found) {
		if (rt->rt_for_team[0] != '\0')
			ctl_warnx(_("no route of %s for team %s; `team routes`"
			    " lists them"), rt->rt_function, rt->rt_for_team);
		else
			ctl_warnx(_("no route of %s for organisation %s; `team"
			    " routes` lists them"), rt->rt_function,
			    rt->rt_for_org);
		return CTL_EXIT_ERR;
	}
	rt->rt_id = ro.ro_row.rt_id;
	return CTL_EXIT_OK;
}
