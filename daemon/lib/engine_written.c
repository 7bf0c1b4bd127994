/*
 * termijn: what one registration wrote of its case (struct case_written),
 * and the store's walks of a case's deadlines and rungs over it, so that
 * the answer to a write is rendered from the rows the write just wrote,
 * by the same code that renders them read from the store.
 *
 * The walks give what store_deadlines_of_case and store_rungs_of_deadline
 * give (store.h names the sets and their order): the store numbers rows in
 * the order they are inserted, so the order written stands in for the id.
 * They are only right over a complete record (cw_complete), which the
 * engine grants only when it wrote every row of the case in this write.
 */

#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/util.h"

#include "engine_private.h"

static int	 written_in(const struct case_written *,
		    const struct deadline_row *, enum store_deadline_set);
static int	 written_cmp(const struct deadline_row *,
		    const struct deadline_row *, enum store_deadline_set);

void
engine_written_free(struct case_written *w)
{
	free(w->cw_deadlines);
	free(w->cw_rungs);
	memset(w, 0, sizeof(*w));
}

void
engine_written_deadline(struct engine *en, const struct deadline_row *d)
{
	struct case_written	*w = en->en_written;

	if (w == NULL)
		return;
	w->cw_deadlines = xreallocarray(w->cw_deadlines, w->cw_ndeadlines + 1,
	    sizeof(*w->cw_deadlines));
	w->cw_deadlines[w->cw_ndeadlines++] = *d;
}

/* A rung the ledger had already is a row the record never saw written. */
void
engine_written_rung(struct engine *en, const struct rung_row *r,
    enum store_status rc)
{
	struct case_written	*w = en->en_written;

	if (w == NULL)
		return;
	if (rc != STORE_OK) {
		w->cw_unsure = 1;
		return;
	}
	w->cw_rungs = xreallocarray(w->cw_rungs, w->cw_nrungs + 1,
	    sizeof(*w->cw_rungs));
	w->cw_rungs[w->cw_nrungs++] = *r;
}

enum store_status
engine_written_deadlines(const struct case_written *w,
    enum store_deadline_set set, store_deadline_cb *cb, void *arg)
{
	const struct deadline_row	**v;
	const struct deadline_row	 *t;
	enum store_status		  rc = STORE_OK;
	size_t				  i, j, n = 0;

	v = xcalloc(w->cw_ndeadlines + 1, sizeof(*v));
	for (i = 0; i < w->cw_ndeadlines; i++)
		if (written_in(w, &w->cw_deadlines[i], set))
			v[n++] = &w->cw_deadlines[i];
	/* Insertion sort: stable, rows that tie stay in the order written. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && written_cmp(v[j - 1], v[j], set) > 0;
		    j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = cb(v[i], arg);
	free(v);
	return rc;
}

enum store_status
engine_written_rungs(const struct case_written *w, int64_t deadline,
    store_rung_cb *cb, void *arg)
{
	const struct rung_row	**v, *t;
	enum store_status	  rc = STORE_OK;
	size_t			  i, j, n = 0;

	v = xcalloc(w->cw_nrungs + 1, sizeof(*v));
	for (i = 0; i < w->cw_nrungs; i++)
		if (w->cw_rungs[i].r_deadline == deadline)
			v[n++] = &w->cw_rungs[i];
	/* By due moment, then as written (the id). */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1]->r_due > v[j]->r_due; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = cb(v[i], arg);
	free(v);
	return rc;
}

/*
 * Whether a deadline is in a set: STORE_DL_CURRENT holds those still
 * active and those with a rung yet to fire.
 */
static int
written_in(const struct case_written *w, const struct deadline_row *d,
    enum store_deadline_set set)
{
	size_t	i;

	switch (set) {
	case STORE_DL_PASSED:
		return d->d_passed;
	case STORE_DL_CURRENT:
		if (d->d_active)
			return 1;
		for (i = 0; i < w->cw_nrungs; i++)
			if (w->cw_rungs[i].r_deadline == d->d_id &&
			    w->cw_rungs[i].r_fired_at == 0)
				return 1;
		return 0;
	default:
		return 1;
	}
}

/* The order of a set, before the id: see store.h. */
static int
written_cmp(const struct deadline_row *a, const struct deadline_row *b,
    enum store_deadline_set set)
{
	if (set == STORE_DL_CURRENT && a->d_passed != b->d_passed)
		return a->d_passed - b->d_passed;
	if (set != STORE_DL_ALL && a->d_due != b->d_due)
		return a->d_due < b->d_due ? -1 : 1;
	return 0;
}
