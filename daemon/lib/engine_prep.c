/* termijn: a batch of deadlines fired ahead of its moment, committed at it. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/record.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "engine_private.h"

/*
 * Many deadlines fall due at one moment (the law's periods end at
 * midnight), and firing them takes far longer than committing them.  So
 * the work is done before the moment, on a second connection of the same
 * database, in a transaction left open: every rung due by the moment is
 * fired as of the moment, in the order and with the effects it would have
 * then.  At the moment the transaction commits, and the last of them is
 * late by the commit alone.
 *
 * Until it commits, nobody sees it: readers read what was committed, and a
 * write that arrives meanwhile (the family reports a second before the
 * deadline) must come first.  It asks for the write lock, the store asks
 * the batch to give it up (store_on_wait), and the batch is rolled back
 * whole; the deadlines then fire at their moment as they would have
 * without it.
 */
struct engine_prep {
	struct engine	*ep_engine;
	struct store	*ep_store;	/* the second connection */
	struct record	*ep_record;	/* its log lines, until committed */
	int64_t		 ep_at;		/* the moment prepared for; 0: none */
	int		 ep_complete;	/* every rung due by then is in it */
	size_t		 ep_mark;	/* its log lines begin here */
	struct fire_result ep_fr;
};

struct engine_prep *
engine_prep_new(struct engine *en, struct store *st)
{
	struct engine_prep	*ep;

	ep = xcalloc(1, sizeof(*ep));
	ep->ep_engine = en;
	ep->ep_store = st;
	ep->ep_record = record_new(st);
	return ep;
}

void
engine_prep_free(struct engine_prep *ep)
{
	if (ep == NULL)
		return;
	engine_prep_abandon(ep);
	record_free(ep->ep_record);
	free(ep);
}

int64_t
engine_prep_at(const struct engine_prep *ep)
{
	return ep->ep_at;
}

int
engine_prep_complete(const struct engine_prep *ep)
{
	return ep->ep_at != 0 && ep->ep_complete;
}

/* Rungs fired in the batch, waiting for its moment. */
size_t
engine_prep_count(const struct engine_prep *ep)
{
	return ep->ep_at != 0 ? ep->ep_fr.fr_fired : 0;
}

/*
 * Fire up to max more rungs due by at, on the second connection, in the
 * transaction the first call began.  Returns 1 when every rung due by at
 * is in the batch, 0 when more are, -1 when the batch could not be
 * prepared (the lock is taken, a rung cannot fire, the store failed): then
 * nothing is left of it, and the rungs fire at their moment as usual.
 */
int
engine_prep_fire(struct engine_prep *ep, int64_t at, size_t max)
{
	struct engine		*en = ep->ep_engine;
	struct store		*st = en->en_store;
	struct record		*rc = en->en_record;
	struct fire_result	 fr;
	struct engine_error	 ee;
	struct rung_row		 failed;
	int			 rv;

	if (ep->ep_at != 0 && ep->ep_at != at)
		engine_prep_abandon(ep);
	if (ep->ep_at == 0) {
		if (store_begin(ep->ep_store) != STORE_OK) {
			store_rollback(ep->ep_store);
			return -1;
		}
		ep->ep_at = at;
		ep->ep_complete = 0;
		ep->ep_mark = record_mark(ep->ep_record);
		memset(&ep->ep_fr, 0, sizeof(ep->ep_fr));
		ep->ep_fr.fr_due_min = INT64_MAX;
	}
	if (ep->ep_complete)
		return 1;
	/* The engine works on the second connection for this call alone. */
	en->en_store = ep->ep_store;
	en->en_record = ep->ep_record;
	rv = engine_fire_due(en, at, max, &fr, &failed, &ee);
	en->en_store = st;
	en->en_record = rc;
	if (rv == -1) {
		engine_prep_abandon(ep);
		return -1;
	}
	ep->ep_fr.fr_fired += fr.fr_fired;
	if (fr.fr_due_min < ep->ep_fr.fr_due_min)
		ep->ep_fr.fr_due_min = fr.fr_due_min;
	/*
	 * A round that fired nothing found nothing due: a rung that a round
	 * claims either fires or was cancelled by one that fired before it.
	 */
	if (fr.fr_fired == 0)
		ep->ep_complete = 1;
	return ep->ep_complete;
}

/* At the moment: commit, then the log lines. */
enum store_status
engine_prep_commit(struct engine_prep *ep, struct fire_result *fr)
{
	enum store_status	rc;

	memset(fr, 0, sizeof(*fr));
	fr->fr_due_min = INT64_MAX;
	if (ep->ep_at == 0)
		return STORE_NOTFOUND;
	if ((rc = store_commit(ep->ep_store)) != STORE_OK) {
		engine_prep_abandon(ep);
		return rc;
	}
	*fr = ep->ep_fr;
	fr->fr_committed_at = clock_now();
	ep->ep_at = 0;
	record_flush(ep->ep_record);
	return STORE_OK;
}

void
engine_prep_abandon(struct engine_prep *ep)
{
	if (ep->ep_at == 0)
		return;
	store_rollback(ep->ep_store);
	record_cut(ep->ep_record, ep->ep_mark);
	ep->ep_at = 0;
	ep->ep_complete = 0;
}
