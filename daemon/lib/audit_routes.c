/* termijn: the audit: the routes against the route log's links. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "audit_private.h"

/*
 * Which team fills a function decides which team a join brings into a
 * case; the routes table is what the engine reads.  Every set and removal
 * is a line of the route log and a link of the chain (the link's hash
 * covers the line, audit_verify.c checks it), so the table must be what
 * the lines leave, replayed in order.  Routes are few (a function for
 * each owning team or organisation): they are held in an array.
 */

struct replayed {
	char	rp_function[STORE_NAME_LEN];
	char	rp_for_team[STORE_NAME_LEN];
	char	rp_for_org[256];
	char	rp_team[STORE_NAME_LEN];
	int64_t	rp_link;		/* the line that set or removed it */
	int	rp_set;			/* 0: removed */
	int	rp_seen;		/* the table has it */
};

struct routes {
	struct audit_run	*rs_run;
	struct replayed		*rs_routes;
	size_t			 rs_n;
	size_t			 rs_cap;
	int64_t			 rs_link;	/* the last line's link */
};

static enum store_status line_cb(const struct route_row *, void *);
static enum store_status table_cb(const struct route_row *, void *);
static struct replayed *find(struct routes *, const struct route_row *);
static void	 owner(const char *, const char *, char *, size_t);

enum store_status
audit_routes(struct store *st, struct audit_run *run)
{
	struct routes		 rs;
	struct replayed		*rp;
	enum store_status	 rc;
	char			 who[320];
	size_t			 i;

	memset(&rs, 0, sizeof(rs));
	rs.rs_run = run;
	if ((rc = store_routes_each(st, 1, line_cb, &rs)) == STORE_OK)
		rc = store_routes_each(st, 0, table_cb, &rs);
	for (i = 0; rc == STORE_OK && i < rs.rs_n; i++) {
		rp = &rs.rs_routes[i];
		if (!rp->rp_set || rp->rp_seen)
			continue;
		owner(rp->rp_for_team, rp->rp_for_org, who, sizeof(who));
		audit_find(run, 0, 0, "route %s for %s: the route log (link %"
		    PRId64 ") has team '%s' fill it, but the routes table has"
		    " no such route", rp->rp_function, who, rp->rp_link,
		    rp->rp_team);
	}
	free(rs.rs_routes);
	return rc;
}

/* A line of the route log, oldest first: what it leaves. */
static enum store_status
line_cb(const struct route_row *rt, void *arg)
{
	struct routes	*rs = arg;
	struct replayed	*rp;

	if (rt->rt_link == 0) {
		audit_find(rs->rs_run, 0, 0, "line %" PRId64 " of the route log"
		    " (%s %s) is not in the chain: it was inserted",
		    rt->rt_id, rt->rt_removed ? "removing" : "setting",
		    rt->rt_function);
		return STORE_OK;
	}
	if (rt->rt_link <= rs->rs_link)
		audit_find(rs->rs_run, 0, 0, "line %" PRId64 " of the route log"
		    " comes after link %" PRId64 " but is link %" PRId64 ": the"
		    " lines were reordered", rt->rt_id, rs->rs_link,
		    rt->rt_link);
	rs->rs_link = rt->rt_link;
	if ((rp = find(rs, rt)) == NULL) {
		if (rs->rs_n == rs->rs_cap) {
			rs->rs_cap = rs->rs_cap ? rs->rs_cap * 2 : 16;
			rs->rs_routes = xreallocarray(rs->rs_routes,
			    rs->rs_cap, sizeof(*rs->rs_routes));
		}
		rp = &rs->rs_routes[rs->rs_n++];
		memset(rp, 0, sizeof(*rp));
		snprintf(rp->rp_function, sizeof(rp->rp_function), "%s",
		    rt->rt_function);
		snprintf(rp->rp_for_team, sizeof(rp->rp_for_team), "%s",
		    rt->rt_for_team);
		snprintf(rp->rp_for_org, sizeof(rp->rp_for_org), "%s",
		    rt->rt_for_org);
	}
	snprintf(rp->rp_team, sizeof(rp->rp_team), "%s", rt->rt_team);
	rp->rp_link = rt->rt_link;
	rp->rp_set = !rt->rt_removed;
	return STORE_OK;
}

/* A route in the table: the log must leave it, with the same team. */
static enum store_status
table_cb(const struct route_row *rt, void *arg)
{
	struct routes	*rs = arg;
	struct replayed	*rp;
	char		 who[320];

	owner(rt->rt_for_team, rt->rt_for_org, who, sizeof(who));
	if ((rp = find(rs, rt)) == NULL || !rp->rp_set) {
		audit_find(rs->rs_run, 0, 0, "route %s for %s: the routes table"
		    " has team '%s' fill it, but the route log %s",
		    rt->rt_function, who, rt->rt_team, rp == NULL ?
		    "never set it" : "removed it");
		return STORE_OK;
	}
	rp->rp_seen = 1;
	if (strcmp(rp->rp_team, rt->rt_team) != 0)
		audit_find(rs->rs_run, 0, 0, "route %s for %s: the routes table"
		    " has team '%s' fill it, but the route log (link %" PRId64
		    ") has team '%s'", rt->rt_function, who, rt->rt_team,
		    rp->rp_link, rp->rp_team);
	return STORE_OK;
}

static struct replayed *
find(struct routes *rs, const struct route_row *rt)
{
	struct replayed	*rp;
	size_t		 i;

	for (i = 0; i < rs->rs_n; i++) {
		rp = &rs->rs_routes[i];
		if (strcmp(rp->rp_function, rt->rt_function) == 0 &&
		    strcmp(rp->rp_for_team, rt->rt_for_team) == 0 &&
		    strcmp(rp->rp_for_org, rt->rt_for_org) == 0)
			return rp;
	}
	return NULL;
}

/* For whom a route is: "team 'x'" or "organisation 'y'". */
static void
owner(const char *team, const char *org, char *buf, size_t len)
{
	if (team[0] != '\0')
		snprintf(buf, len, "team '%s'", team);
	else
		snprintf(buf, len, "organisation '%s'", org);
}
