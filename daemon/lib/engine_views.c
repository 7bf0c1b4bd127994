/* termijn: the supervisor's views over many cases, for an actor. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * Every view shows only what the actor may see: the cases of its teams and
 * those its teams take part in, filtered in the SQL by its token.  Overdue
 * and at risk are derived when read, from the deadlines' moments and what
 * brought each case into its state, never stored.
 */

static int
viewer(const struct actor *who, struct view_filter *vf,
    struct engine_error *ee)
{
	if (engine_may_see(who, ee) == -1)
		return -1;
	vf->vf_token = who->ac_token;
	return 0;
}

static int
view_status(enum store_status rc, const char *what, struct engine_error *ee)
{
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, what);
	return 0;
}

int
engine_overdue(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_deadline_cb *cb, void *arg,
    struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_overdue(en->en_store, vf, cb, arg),
	    "finding what is overdue", ee);
}

int
engine_at_risk(struct engine *en, const struct actor *who,
    struct view_filter *vf, int64_t now, int64_t until,
    store_case_deadline_cb *cb, void *arg, struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_at_risk(en->en_store, vf, now, until, cb,
	    arg), "finding what is at risk", ee);
}

int
engine_suspended(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_deadline_cb *cb, void *arg,
    struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_suspended(en->en_store, vf, cb, arg),
	    "finding what is suspended", ee);
}

int
engine_summary(struct engine *en, const struct actor *who,
    struct view_filter *vf, int64_t now, int64_t until, store_summary_cb *cb,
    void *arg, struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_summary(en->en_store, vf, now, until, cb,
	    arg), "counting deadlines", ee);
}

/*
 * The calendar feed: the running deadlines of the cases the actor sees,
 * soonest first.  A feed token (role feed) reads this and nothing else;
 * a person's token may read it too.
 */
int
engine_feed(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_deadline_cb *cb, void *arg,
    struct engine_error *ee)
{
	if (strcmp(who->ac_role, "feed") != 0 &&
	    engine_may_see(who, ee) == -1)
		return -1;
	vf->vf_token = who->ac_token;
	return view_status(store_at_risk(en->en_store, vf, INT64_MIN,
	    INT64_MAX, cb, arg), "reading deadlines for a calendar feed", ee);
}

/* The queue states of every workflow version loaded (queue: true). */
int
engine_queue(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_cb *cb, void *arg,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct queue_state	*qs = NULL;
	size_t			 i, j, n = 0;
	int			 ret;

	if (viewer(who, vf, ee) == -1)
		return -1;
	for (i = 0; i < registry_count(en->en_registry); i++) {
		wf = registry_at(en->en_registry, i);
		for (j = 0; j < wf->wf_nstates; j++) {
			if (!wf->wf_states[j].ws_queue)
				continue;
			qs = xreallocarray(qs, n + 1, sizeof(*qs));
			qs[n].qs_workflow = wf->wf_name;
			qs[n].qs_version = wf->wf_version;
			qs[n++].qs_state = wf->wf_states[j].ws_name;
		}
	}
	ret = view_status(store_queue(en->en_store, vf, qs, n, cb, arg),
	    "reading a queue", ee);
	free(qs);
	return ret;
}

const struct wf_state *
engine_case_state(struct engine *en, const struct case_row *c)
{
	const struct workflow	*wf;

	if ((wf = engine_case_workflow(en, c)) == NULL)
		return NULL;
	return workflow_state(wf, c->c_state);
}
