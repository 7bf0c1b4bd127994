/* termijn: retention: closed cases destroyed when their time is up. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/period.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * Each workflow says how long a closed case is kept (retention: P10Y).
 * When that time has passed since the case entered its final state, the
 * case is destroyed for real: the case, its deadlines, rungs,
 * notifications, participants, read log, stored answers and history.
 * What remains is a tombstone without personal data (id, workflow,
 * dates, who destroyed it) and, in the audit chain, the links of its
 * transitions, so that the chain still verifies across the gap, and a
 * mark of the destruction after them, so that no case leaves the tables
 * without a link that says so.  Deleted
 * bytes are overwritten (secure_delete) and, after the commit, taken out
 * of the WAL (store_scrub, in engine_batch_write); while a reader holds an
 * older snapshot they cannot be, and the store goes on trying by itself
 * (engine_scrubbed says whether it has succeeded).
 *
 * A run is bounded (max cases), so that the daily sweep takes small bites
 * between the API's requests; a case whose workflow version is no longer
 * loaded is left alone, since its retention cannot be known.
 */

struct expired {
	struct case_row	*ex_cases;
	size_t		 ex_n;
	size_t		 ex_max;
};

static enum store_status
expired_cb(const struct case_row *c, void *arg)
{
	struct expired	*ex = arg;

	if (ex->ex_n == ex->ex_max)
		return STORE_NOTFOUND;	/* enough for this run */
	ex->ex_cases[ex->ex_n++] = *c;
	return STORE_OK;
}

/* The moment before which a case closed is past a retention period. */
static int64_t
retention_cutoff(const struct period *retention, int64_t now)
{
	struct period_spec	ps;
	struct cal_date		cd;

	memset(&ps, 0, sizeof(ps));
	ps.ps_period = *retention;
	cal_local_date(now, &cd);
	period_date_move(&cd, &ps, -1);
	return cal_local_midnight(&cd);
}

/* Whether a case is closed, and past its workflow's retention. */
static int
expired(struct engine *en, const struct case_row *c, int64_t now)
{
	const struct workflow	*wf;

	if (!c->c_final || (wf = engine_case_workflow(en, c)) == NULL ||
	    wf->wf_retention.p_count == 0)
		return 0;
	return c->c_state_since < retention_cutoff(&wf->wf_retention, now);
}

int
engine_retention_run(struct engine *en, const struct actor *who, int64_t now,
    size_t max, int dry_run, store_case_cb *cb, void *arg,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct tombstone_row	 ts;
	struct expired		 ex;
	enum store_status	 rc;
	size_t			 i, j;
	int			 done = 0;

	if (who != NULL && strcmp(who->ac_role, "admin") != 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only a token"
		    " with role admin runs retention"));
	memset(&ex, 0, sizeof(ex));
	ex.ex_max = max;
	ex.ex_cases = xcalloc(max ? max : 1, sizeof(*ex.ex_cases));
	for (i = 0; i < registry_count(en->en_registry) && ex.ex_n < max;
	    i++) {
		wf = registry_at(en->en_registry, i);
		if (wf->wf_retention.p_count == 0)
			continue;
		rc = store_cases_closed_before(en->en_store, wf->wf_name,
		    wf->wf_version, retention_cutoff(&wf->wf_retention, now),
		    (int)(max - ex.ex_n), expired_cb, &ex);
		if (rc != STORE_OK && rc != STORE_NOTFOUND) {
			free(ex.ex_cases);
			return engine_store_error(ee, rc, N_("finding cases"
			    " past their retention"));
		}
	}
	for (j = 0; j < ex.ex_n; j++) {
		struct case_row	*c = &ex.ex_cases[j];

		if (!dry_run) {
			/*
			 * Found by a walk that locked nothing: held now, and
			 * judged again on the row as it is, so that another
			 * writer's change (or its destruction of the case)
			 * in the meantime is not overruled.
			 */
			if ((rc = store_case_lock(en->en_store, c->c_id, c)) ==
			    STORE_NOTFOUND || (rc == STORE_OK && !expired(en,
			    c, now)))
				continue;
			if (rc != STORE_OK) {
				free(ex.ex_cases);
				return engine_store_error(ee, rc,
				    N_("reading a case past its retention"));
			}
			memset(&ts, 0, sizeof(ts));
			ts.ts_case = c->c_id;
			snprintf(ts.ts_workflow, sizeof(ts.ts_workflow), "%s",
			    c->c_workflow);
			ts.ts_version = c->c_version;
			snprintf(ts.ts_team, sizeof(ts.ts_team), "%s",
			    c->c_team);
			ts.ts_started_at = c->c_started_at;
			ts.ts_closed_at = c->c_state_since;
			ts.ts_destroyed_at = now;
			snprintf(ts.ts_destroyed_by, sizeof(ts.ts_destroyed_by),
			    "%s", who != NULL ? who->ac_name : ENGINE_ACTOR);
			if ((rc = store_case_destroy(en->en_store, &ts)) !=
			    STORE_OK || (rc = record_destroyed(en->en_record,
			    &ts)) != STORE_OK) {
				free(ex.ex_cases);
				return engine_store_error(ee, rc,
				    N_("destroying a case"));
			}
			en->en_scrub = 1;
		}
		if (cb != NULL && cb(c, arg) != STORE_OK)
			break;
		done++;
	}
	free(ex.ex_cases);
	/* A scrub an earlier run could not finish is asked for again. */
	if (!dry_run && !engine_scrubbed(en))
		en->en_scrub = 1;
	return done;
}

int
engine_scrubbed(struct engine *en)
{
	struct upkeep_stats	us;

	store_upkeep_stats(en->en_store, &us);
	return !us.us_scrub_pending;
}
