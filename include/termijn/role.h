/* termijn: the roles a token acts in and a workflow names. */
#ifndef TERMIJN_ROLE_H
#define TERMIJN_ROLE_H

/*
 * The roles a token may have: all but system, which timers act as.  A feed
 * token only reads a calendar feed (GET /v1/calendar.ics); a metrics token
 * only GET /metrics, with the counts of cases of every team.
 */
#define ROLE_LIST_PEOPLE \
	"caseworker, youth_worker, enforcement, supervisor, reader, admin," \
	" feed, metrics"

/* role.c: whether termijn knows the role (role.c holds the list). */
int	 role_valid(const char *);
/*
 * Whether a token of the role works on cases: records events, may be
 * assigned one, is one of a team's people.  Not admin, reader, feed,
 * metrics, nor system.
 */
int	 role_works(const char *);

#endif /* TERMIJN_ROLE_H */
