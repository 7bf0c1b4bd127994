/*
 * termijn: "wat als" for a running case: the case as stored, copied into a
 * simulation's throw-away store, so that the simulation goes on from it.
 *
 * The copy is what the engine reads when it decides what happens next:
 * the case row (its state, since when, who has it, which deadline brought
 * it there), every deadline that still counts (running, suspended, or
 * passed without moving the case) with its budget as stored, and the
 * rungs of those deadlines, fired and pending, so that the ledger keeps
 * what fired from firing twice and a recurring rung goes on counting
 * (store_deadlines_of_case's STORE_DL_CURRENT: a passed deadline whose
 * follow-ups are still to fire counts).
 * The history itself is not copied: one transition at the moment of the
 * last one stands for it, so that nothing is recorded before it.  Left
 * out, as nothing that follows depends on them: notes, the read log,
 * participants (a team the simulation would bring in is shown as it is
 * for any simulation), notifications already sent.  The owning team and
 * the reference become the simulation's own: nothing that identifies the
 * case or its people reaches the copy.  Reading the case logs nothing:
 * the caller checked that its reader may see it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/i18n.h"
#include "termijn/record.h"
#include "termijn/simulate.h"
#include "termijn/store.h"
#include "termijn/util.h"

#define SEED_DEADLINES_MAX 64	/* deadlines that still count, at most */

struct seed {
	struct store	*sd_from;
	struct store	*sd_to;
	int64_t		 sd_case;		/* in sd_to */
	int64_t		 sd_old[SEED_DEADLINES_MAX];	/* ids in sd_from */
	int64_t		 sd_new[SEED_DEADLINES_MAX];	/* ids in sd_to */
	size_t		 sd_n;
	int64_t		 sd_deadline;		/* the one whose rungs go */
	enum store_status sd_rc;
};

static enum store_status seed_deadline_cb(const struct deadline_row *,
		    void *);
static enum store_status seed_rung_cb(const struct rung_row *, void *);
static int64_t	 seed_map(const struct seed *, int64_t);

int
simulate_seed(struct store *from, int64_t id, struct store *to,
    const char *team, int64_t *copy, int64_t *at, struct engine_error *ee)
{
	struct transition_input	 ti;
	struct case_row		 c;
	struct record		*rec;
	struct seed		 sd;
	enum store_status	 rc;
	const char		*what = "reading the case";
	int64_t			 last;

	if ((rc = store_case_get(from, id, &c)) != STORE_OK ||
	    (rc = store_transition_last_at(from, id, &last)) != STORE_OK)
		goto fail;
	if (c.c_final)
		return engine_error(ee, ENGINE_ECONFLICT, N_("case %lld is"
		    " closed, in final state %s: nothing follows"),
		    (long long)id, c.c_state);
	snprintf(c.c_team, sizeof(c.c_team), "%s", team);
	snprintf(c.c_reference, sizeof(c.c_reference), "%s", team);
	c.c_coordinator[0] = '\0';
	if (c.c_assignee[0] != '\0')
		snprintf(c.c_assignee, sizeof(c.c_assignee), "%s", team);
	what = "copying the case";
	if ((rc = store_case_insert(to, &c)) != STORE_OK)
		goto fail;
	memset(&sd, 0, sizeof(sd));
	sd.sd_from = from;
	sd.sd_to = to;
	sd.sd_case = c.c_id;
	sd.sd_rc = STORE_OK;
	what = "copying the case's deadlines";
	rc = store_deadlines_of_case(from, id, STORE_DL_CURRENT,
	    seed_deadline_cb, &sd);
	if (rc == STORE_OK)
		rc = sd.sd_rc;
	if (rc != STORE_OK)
		goto fail;
	c.c_escalated_by = seed_map(&sd, c.c_escalated_by);
	c.c_waiting_by = seed_map(&sd, c.c_waiting_by);
	what = "copying the case";
	if ((rc = store_case_update_state(to, &c)) != STORE_OK)
		goto fail;
	/* The history up to here, in one line: the case as it stands. */
	memset(&ti, 0, sizeof(ti));
	ti.ti_case = c.c_id;
	ti.ti_workflow = c.c_workflow;
	ti.ti_version = c.c_version;
	ti.ti_to = c.c_state;
	ti.ti_cause = CAUSE_CREATE;
	ti.ti_actor = team;
	ti.ti_at = last;
	ti.ti_recorded_at = last;
	rec = record_new(to);
	record_set_quiet(rec, 1);
	rc = record_transition(rec, &ti);
	record_free(rec);
	if (rc != STORE_OK)
		goto fail;
	*copy = c.c_id;
	*at = last;
	return 0;
fail:
	log_warnx("simulating case %lld: %s: %s", (long long)id, what,
	    store_status_name(rc));
	return engine_error(ee, ENGINE_ESTORE, N_("simulating: the case could"
	    " not be copied"));
}

/* A deadline that still counts, and its rungs. */
static enum store_status
seed_deadline_cb(const struct deadline_row *d, void *arg)
{
	struct seed		*sd = arg;
	struct deadline_row	 n = *d;
	enum store_status	 rc;

	if (sd->sd_n == SEED_DEADLINES_MAX) {
		log_warnx("simulating: a case with more than %d deadlines"
		    " that count", SEED_DEADLINES_MAX);
		sd->sd_rc = STORE_FAILED;
		return STORE_FAILED;
	}
	n.d_case = sd->sd_case;
	if ((rc = store_deadline_insert(sd->sd_to, &n)) != STORE_OK) {
		sd->sd_rc = rc;
		return rc;
	}
	sd->sd_old[sd->sd_n] = d->d_id;
	sd->sd_new[sd->sd_n++] = n.d_id;
	sd->sd_deadline = n.d_id;
	return store_rungs_of_deadline(sd->sd_from, d->d_id, seed_rung_cb, sd);
}

static enum store_status
seed_rung_cb(const struct rung_row *r, void *arg)
{
	struct seed	*sd = arg;
	struct rung_row	 n = *r;

	n.r_case = sd->sd_case;
	n.r_deadline = sd->sd_deadline;
	if ((sd->sd_rc = store_rung_insert(sd->sd_to, &n)) != STORE_OK)
		return sd->sd_rc;
	return STORE_OK;
}

/* A deadline's id in the copy; 0 for one left behind. */
static int64_t
seed_map(const struct seed *sd, int64_t old)
{
	size_t	i;

	for (i = 0; i < sd->sd_n; i++)
		if (sd->sd_old[i] == old)
			return sd->sd_new[i];
	return 0;
}
