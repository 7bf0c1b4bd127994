/* termijn: the scheduler fires deadlines when they pass. */

#include <stdlib.h>

#include "termijn/clock.h"

#include "termijnd.h"

static void	sched_cb(evutil_socket_t, short, void *);

static void	sched_arm(struct termijnd *);
static void	sched_at(struct termijnd *, int64_t, int64_t);
static void	sched_retry(struct termijnd *);
static void	sched_soon(struct termijnd *, int64_t);
static int64_t	sched_wake(const struct termijnd *, int64_t);
static void	fired(struct termijnd *, const struct fire_result *);
static int	prep_open(struct termijnd *);
static void	prep_yield(void *);
static void	prep_step(struct termijnd *, int64_t);

/* Another writer queued a rung: re-arm if it is due before the timer. */
static void
sched_queued_cb(void *arg, int64_t due)
{
	struct termijnd	*d = arg;

	log_debug("%s: another writer queued a rung due at %lld", __func__,
	    (long long)due);
	scheduler_kick(d);
}

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
 * Due rungs fire at most cf_batch per transaction, and for at most
 * cf_batch_time (10 ms): a request that arrives meanwhile waits for the
 * rest of one batch, not for a catch-up of thousands.  When a batch was
 * cut short, more may be due: the timer is armed again with no delay rather than
 * looping here, so the API's requests are read and answered between
 * batches and a backlog after downtime drains in order without stalling
 * them.
 *
 * What falls due at one moment is prepared ahead of it (cf_ahead seconds,
 * engine_prep.c): fired as of the moment on a second connection, cf_batch
 * at a time between the loop's other work, and committed when the wall
 * clock reaches the moment, never before.  A write that needs the lock
 * meanwhile comes first and the preparation is given up (prep_yield); the
 * moment's rungs then fire at it as they would have without.
 */
void
scheduler_init(struct termijnd *d)
{
	if ((d->d_sched_ev = evtimer_new(d->d_base, sched_cb, d)) == NULL)
		fatalx("evtimer_new failed");
	d->d_prep_on = d->d_conf.cf_ahead > 0;
	/* Rungs another writer queued wake the timer too (store.h). */
	store_on_queued(d->d_store, sched_queued_cb, d);
	event_active(d->d_sched_ev, EV_TIMEOUT, 0);
}

void
scheduler_free(struct termijnd *d)
{
	if (d->d_sched_ev != NULL)
		event_free(d->d_sched_ev);
	d->d_sched_ev = NULL;
	if (d->d_prep != NULL) {
		store_on_wait(d->d_store, NULL, NULL);
		engine_prep_free(d->d_prep);
		store_close(d->d_prep_store);
	}
	d->d_prep = NULL;
	d->d_prep_store = NULL;
}

/* A write may have started a deadline earlier than the one armed for. */
void
scheduler_kick(struct termijnd *d)
{
	int64_t	due;

	if (d->d_sched_ev == NULL || d->d_stopping)
		return;
	/* A batch prepared ahead runs on its own timer. */
	if (d->d_prep != NULL && engine_prep_at(d->d_prep) != 0)
		return;
	if (store_rung_next(d->d_store, &due) != STORE_OK)
		return;
	if (!d->d_sched_armed || sched_wake(d, due) < d->d_sched_at)
		sched_arm(d);
}

/*
 * The second connection, opened when a batch is first prepared: a termijnd
 * with nothing due never opens it, and its start is not slowed by it.
 */
static int
prep_open(struct termijnd *d)
{
	char	err[256];

	if (d->d_prep != NULL)
		return 0;
	if ((d->d_prep_store = store_open(d->d_conf.cf_db, err,
	    sizeof(err))) == NULL) {
		log_warnx("deadlines are not prepared ahead of their moment:"
		    " %s", err);
		d->d_prep_on = 0;
		return -1;
	}
	d->d_prep = engine_prep_new(d->d_engine, d->d_prep_store);
	store_on_wait(d->d_store, prep_yield, d);
	return 0;
}

/* When to wake for a rung due then: ahead of it, to prepare its batch. */
static int64_t
sched_wake(const struct termijnd *d, int64_t due)
{
	if (!d->d_prep_on || due == d->d_prep_skip)
		return due;
	return due - (int64_t)(d->d_conf.cf_ahead * 1000);
}

static void
sched_arm(struct termijnd *d)
{
	int64_t		due, now, delay, recheck;

	recheck = (int64_t)(d->d_conf.cf_recheck * 1000);
	if (recheck < 1)
		recheck = 1;
	now = clock_now();
	if (store_rung_next(d->d_store, &due) == STORE_OK) {
		delay = sched_wake(d, due) - now;
		if (delay < 1)
			delay = 1;	/* the clocks may disagree by a hair */
		if (delay > recheck)
			delay = recheck;
	} else
		delay = recheck;	/* nothing due, or the store failed */
	sched_at(d, now, delay);
}

static void
sched_at(struct termijnd *d, int64_t now, int64_t delay)
{
	struct timeval	tv;

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
	int64_t			 now, due;

	d->d_sched_armed = 0;
	if (d->d_stopping)
		return;
	if (d->d_prep != NULL && (due = engine_prep_at(d->d_prep)) != 0) {
		prep_step(d, due);
		return;
	}
	/* Writes queued in this turn go first; their deadlines count too. */
	commit_flush(d);
	now = clock_now();
	if (d->d_prep_on && store_rung_next(d->d_store, &due) == STORE_OK &&
	    due > now && now >= sched_wake(d, due) && prep_open(d) == 0) {
		prep_step(d, due);
		return;
	}
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
	if (fr.fr_deferred && fr.fr_fired > 0)
		commit_fired_later(d, fr.fr_records);
	fired(d, &fr);
	if (fr.fr_cut)
		sched_soon(d, now);
	else
		sched_arm(d);
}

/* What a committed batch fired: counted, and the notifier told. */
static void
fired(struct termijnd *d, const struct fire_result *fr)
{
	int64_t	late;
	size_t	i;

	if (fr->fr_fired == 0)
		return;
	log_debug("%s: fired %zu deadlines", __func__, fr->fr_fired);
	d->d_metrics.m_fired += fr->fr_fired;
	d->d_metrics.m_fire_batches++;
	hist_observe(&d->d_metrics.m_fire_batch, (double)fr->fr_fired);
	/* A batch that wrote something says the disk takes writes. */
	metrics_write_outcome(d, STORE_OK);
	notifier_kick(d);
	/*
	 * Lateness of deadlines that fell due while termijnd ran.  The engine
	 * tells the earliest due moment of a batch, so each rung counts at
	 * that lateness: an upper bound for the rest.
	 */
	if (fr->fr_due_min >= d->d_started) {
		late = fr->fr_committed_at - fr->fr_due_min;
		d->d_metrics.m_lateness_last = late;
		if (late > d->d_metrics.m_lateness_max)
			d->d_metrics.m_lateness_max = late;
		for (i = 0; i < fr->fr_fired; i++)
			hist_observe(&d->d_metrics.m_lateness,
			    late > 0 ? (double)late / 1000 : 0);
	}
}

/*
 * One step of the batch prepared for the moment at: the next cf_batch
 * rungs while the moment is ahead, then the wait for it, then the commit.
 * The commit waits for the wall clock, so that nothing is kept as fired
 * before it was due; what was not prepared in time fires after it.
 */
static void
prep_step(struct termijnd *d, int64_t at)
{
	struct fire_result	fr;
	enum store_status	rc;
	int64_t			now = clock_now(), delay;
	int			rv;

	if (now < at && !engine_prep_complete(d->d_prep)) {
		i18n_use(I18N_EN);
		rv = engine_prep_fire(d->d_prep, at, d->d_conf.cf_batch);
		i18n_use(d->d_conf.cf_lang);
		if (rv == -1) {
			d->d_prep_skip = at;
			d->d_metrics.m_prep_abandoned++;
			sched_arm(d);
			return;
		}
		if (rv == 0) {
			sched_soon(d, now);
			return;
		}
		now = clock_now();
	}
	if (now < at) {
		/* The wall clock may jump: look again at the re-check. */
		delay = (int64_t)(d->d_conf.cf_recheck * 1000);
		sched_at(d, now, at - now < delay ? at - now : delay > 0 ?
		    delay : 1);
		return;
	}
	rc = engine_prep_commit(d->d_prep, &fr);
	if (rc != STORE_OK) {
		log_warnx("committing the deadlines prepared for their moment:"
		    " %s; they fire now", store_status_name(rc));
		d->d_prep_skip = at;
		d->d_metrics.m_prep_abandoned++;
		sched_soon(d, now);
		return;
	}
	d->d_metrics.m_prep_committed++;
	fired(d, &fr);
	/* What was not prepared in time, and what follows. */
	sched_soon(d, now);
}

/*
 * A write needs the lock the prepared batch holds: it comes first.  The
 * batch is rolled back whole, and the moment's rungs fire at it.
 */
static void
prep_yield(void *arg)
{
	struct termijnd	*d = arg;
	int64_t		 at;

	if ((at = engine_prep_at(d->d_prep)) == 0)
		return;
	engine_prep_abandon(d->d_prep);
	d->d_prep_skip = at;
	d->d_metrics.m_prep_abandoned++;
	log_debug("%s: a write came first; the deadlines due at %lld fire"
	    " at their moment", __func__, (long long)at);
}
