/* termijn: the scheduler fires deadlines when they pass. */

#include <stdlib.h>

#include "termijn/clock.h"

#include "termijnd.h"

static void	sched_cb(evutil_socket_t, short, void *);

static void	sched_arm(struct termijnd *);
static void	sched_retry(struct termijnd *);
static void	sched_soon(struct termijnd *, int64_t);

/*
 * One libevent timer, armed for the earliest due deadline, which the store
 * reads from an index (never a scan).  libevent timers run on the monotonic
 * clock while deadlines are wall-clock instants, so the timer never waits
 * longer than the re-check interval (30 s by default): a wall clock that
 * jumps forward fires what became due at the next check; one that jumps
 * back fires nothing early, because a deadline fires only when the wall
 * clock has reached it, and nothing twice, because firing a deadline stops
 * it in the same transaction as the transition.
 *
 * Due rungs fire at most cf_batch per transaction.  When a batch was full,
 * more may be due: the timer is armed again with no delay rather than
 * looping here, so the API's requests are read and answered between
 * batches and a backlog after downtime drains in order without stalling
 * them.
 */
void
scheduler_init(struct termijnd *d)
{
	if ((d->d_sched_ev = evtimer_new(d->d_base, sched_cb, d)) == NULL)
		fatalx("evtimer_new failed");
	event_active(d->d_sched_ev, EV_TIMEOUT, 0);
}

void
scheduler_free(struct termijnd *d)
{
	if (d->d_sched_ev != NULL)
		event_free(d->d_sched_ev);
	d->d_sched_ev = NULL;

}

/* A write may have started a deadline earlier than the one armed for. */
void
scheduler_kick(struct termijnd *d)
{
	int64_t	due;

	if (d->d_sched_ev == NULL || d->d_stopping)
		return;
	if (store_rung_next(d->d_store, &due) != STORE_OK)
		return;
	if (!d->d_sched_armed || due < d->d_sched_at)
		sched_arm(d);
}

static void
sched_arm(struct termijnd *d)
{
	struct timeval	tv;
	int64_t		due, now, delay, recheck;

	recheck = (int64_t)(d->d_conf.cf_recheck * 1000);
	if (recheck < 1)
		recheck = 1;
	now = clock_now();
	if (store_rung_next(d->d_store, &due) == STORE_OK) {
		delay = due - now;
		if (delay < 1)
			delay = 1;	/* the clocks may disagree by a hair */
		if (delay > recheck)
			delay = recheck;
	} else
		delay = recheck;	/* nothing due, or the store failed */
	d->d_sched_at = now + delay;
	d->d_sched_armed = 1;
	tv.tv_sec = delay / 1000;
	tv.tv_usec = (delay % 1000) * 1000;
	evtimer_add(d->d_sched_ev, &tv);
}

/*
 * Fire the next batch after the loop has polled its sockets.  A timer with
 * no delay does that; event_active() would not: libevent runs an event
 * activated from its own callback again in the same pass, so a backlog
 * would drain before any request was read.
 */
static void
sched_soon(struct termijnd *d, int64_t now)
{
	struct timeval	tv = { 0, 0 };

	d->d_sched_armed = 1;
	d->d_sched_at = now;
	evtimer_add(d->d_sched_ev, &tv);
}

/* The store failed: try again in a second rather than spin. */
static void
sched_retry(struct termijnd *d)
{
	struct timeval	tv = { 1, 0 };

	d->d_sched_at = clock_now() + 1000;
	d->d_sched_armed = 1;
	evtimer_add(d->d_sched_ev, &tv);
}

static void
sched_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct termijnd		*d = arg;
	struct fire_result	 fr;
	enum store_status	 rc;
	int64_t			 now, late;
	size_t			 i;

	d->d_sched_armed = 0;
	if (d->d_stopping)
		return;
	/* Writes queued in this turn go first; their deadlines count too. */
	commit_flush(d);
	now = clock_now();
	/* Only the log hears what firing says (a rung set aside): English. */
	i18n_use(I18N_EN);
	rc = engine_batch_fire(d->d_engine, now, d->d_conf.cf_batch, &fr);
	i18n_use(d->d_conf.cf_lang);
	if (rc != STORE_OK) {
		metrics_write_outcome(d, rc);
		sched_retry(d);
		return;
	}
	if (fr.fr_again) {
		/* The batch again, without the rung that could not fire. */
		sched_soon(d, now);
		return;
	}
	if (fr.fr_fired > 0) {
		log_debug("%s: fired %zu deadlines", __func__, fr.fr_fired);
		d->d_metrics.m_fired += fr.fr_fired;
		d->d_metrics.m_fire_batches++;
		hist_observe(&d->d_metrics.m_fire_batch, (double)fr.fr_fired);
		/* A batch that wrote something says the disk takes writes. */
		metrics_write_outcome(d, STORE_OK);
		notifier_kick(d);
		/*
		 * Lateness of deadlines that fell due while termijnd ran.  The
		 * engine tells the earliest due moment of a batch, so each
		 * rung counts at that lateness: an upper bound for the rest.
		 */
		if (fr.fr_due_min >= d->d_started) {
			late = clock_now() - fr.fr_due_min;
			d->d_metrics.m_lateness_last = late;
			if (late > d->d_metrics.m_lateness_max)
				d->d_metrics.m_lateness_max = late;
			for (i = 0; i < fr.fr_fired; i++)
				hist_observe(&d->d_metrics.m_lateness,
				    late > 0 ? (double)late / 1000 : 0);
		}
	}
	if (fr.fr_fired == d->d_conf.cf_batch)
		sched_soon(d, now);
	else
		sched_arm(d);
}
