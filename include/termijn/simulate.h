/* termijn: what a workflow would do with a case, before it does it. */
#ifndef TERMIJN_SIMULATE_H
#define TERMIJN_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct engine_error;
struct store;
struct workflow;

#define SIM_EVENTS_MAX	100	/* events in one simulation, at most */
#define SIM_STEPS_MAX	1000	/* moments at which rungs fire, at most */
#define SIM_HORIZON_YEARS 10	/* after the last event, it stops */

/* An event as the simulation is to record it, at a moment. */
struct sim_event {
	const char	*se_name;
	int64_t		 se_at;		/* when it happens */
	const char	*se_note;	/* the reason, or NULL */
	const char	*se_basis;	/* the legal basis of a sharing event,
					   or NULL: the first the event allows */
};

struct sim_input {
	const struct workflow	*si_workflow;	/* parsed anew from its source */
	int64_t			 si_start;	/* the case's registration */
	const struct sim_event	*si_events;	/* in date order */
	size_t			 si_nevents;
	/*
	 * "Wat als" for a running case: the case si_case of si_store, which
	 * its reader may see, goes on from where it stands (simulate_seed.c);
	 * si_workflow is the version it is pinned to, si_start is not read,
	 * and the timeline starts at its last transition.  NULL: a new case
	 * at si_start.
	 */
	struct store		*si_store;
	int64_t			 si_case;
};

/*
 * Run the workflow as termijnd would: a case registered at si_start on a
 * throw-away store of its own, the clock moved from rung to rung and to
 * each event, until the case is final, waits for an event that does not
 * come, or SIM_HORIZON_YEARS after the last event.  The timeline as the
 * views show a case: its transitions, every deadline with its explanation
 * and ladder, every notification; NULL with ee (ENGINE_EINVAL for bad
 * input: an event out of order, one the case's state does not accept
 * then).  For a running case the timeline is what follows its last
 * transition.  Nothing of it is kept, and nothing is logged.  The calendar
 * must be initialised.
 */
json_t	*simulate_run(const struct sim_input *, struct engine_error *);

/* simulate_seed.c: a running case copied into a simulation's store. */
int	 simulate_seed(struct store *from, int64_t id, struct store *to,
	    const char *team, int64_t *copy, int64_t *at, struct engine_error *);

#endif /* TERMIJN_SIMULATE_H */
