/* termijn: what GET /metrics shows, and the thread that counts cases. */

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "termijn/clock.h"

#include "termijnd.h"

/* Bucket bounds, ascending; +Inf is implicit. */
static const double lateness_bounds[] = {
	0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
};
static const double batch_bounds[] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024,
};
static const double lag_bounds[] = {
	0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 10,
};
static const double hook_bounds[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
};

/* A count of a workflow's cases in one state. */
struct stats_count {
	char	sc_workflow[STORE_NAME_LEN];
	char	sc_state[STORE_NAME_LEN];
	int64_t	sc_n;
};

/* The counts as they are read. */
struct stats_acc {
	struct stats_count	*sa_counts;
	size_t			 sa_n;
};

/*
 * The counting thread's results.  Counting the cases of a million-case
 * database by workflow and state is a scan of a second or so (bench_scrape):
 * far too long for the event loop, and too costly for every scrape.  So a
 * thread of its own, with a connection of its own, counts in a read
 * transaction (which never blocks the writer) when a scrape finds the
 * counts old, and a scrape always answers at once with the last counts and
 * their age: with Prometheus scraping every 15 s, what it reads is one
 * interval old.  Old means older than a second, or than ten times the last
 * count took, so that counting never takes more than a tenth of the other
 * core however often termijnd is scraped; nobody scraping costs nothing.
 */
#define STATS_MIN_AGE_MS	1000
#define LAG_TICK_MS		500

static struct {
	pthread_t		 st_thread;
	pthread_mutex_t		 st_lock;
	pthread_cond_t		 st_cond;
	int			 st_running;
	int			 st_stop;
	int			 st_wanted;	/* a scrape asks for new counts */
	char			*st_db;
	/* The last counts, under st_lock. */
	struct stats_count	*st_counts;
	size_t			 st_ncounts;
	int64_t			 st_pending;
	int64_t			 st_due;
	int64_t			 st_outbox_pending;
	int64_t			 st_outbox_dead;
	int64_t			 st_unrouted;
	int64_t			 st_at;		/* monotonic ms; 0: none yet */
	int64_t			 st_took;	/* ms */
	uint64_t		 st_failures;
} stats;

static struct event	*lag_ev;
static int64_t		 lag_expected;

static void	*stats_thread(void *);
static int	 stats_count(struct store *);
static enum store_status stats_count_cb(const char *, const char *, int64_t,
		    void *);
static void	 lag_cb(evutil_socket_t, short, void *);
static void	 hist_init(struct histogram *, const double *, size_t);
static void	 hist_text(char **, const char *, const char *,
		    const struct histogram *);
static void	 append(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 label_value(char *, size_t, const char *);
static const char *load_outcome_name(enum load_outcome);

void
metrics_init(struct termijnd *d)
{
	struct timeval	tv = { LAG_TICK_MS / 1000, (LAG_TICK_MS % 1000) * 1000 };

	hist_init(&d->d_metrics.m_lateness, lateness_bounds,
	    nitems(lateness_bounds));
	hist_init(&d->d_metrics.m_batch, batch_bounds, nitems(batch_bounds));
	hist_init(&d->d_metrics.m_fire_batch, batch_bounds,
	    nitems(batch_bounds));
	hist_init(&d->d_metrics.m_lag, lag_bounds, nitems(lag_bounds));
	hist_init(&d->d_metrics.m_hook_duration, hook_bounds,
	    nitems(hook_bounds));
	d->d_metrics.m_write_ok = 1;

	if ((lag_ev = event_new(d->d_base, -1, EV_PERSIST, lag_cb, d)) ==
	    NULL || event_add(lag_ev, &tv) == -1)
		fatalx("cannot arm the loop lag timer");
	lag_expected = clock_monotonic() + LAG_TICK_MS;

	stats.st_db = xstrdup(d->d_conf.cf_db);
	if (pthread_mutex_init(&stats.st_lock, NULL) != 0 ||
	    pthread_cond_init(&stats.st_cond, NULL) != 0 ||
	    pthread_create(&stats.st_thread, NULL, stats_thread, NULL) != 0)
		fatalx("cannot start the counting thread");
	stats.st_running = 1;
}

void
metrics_free(void)
{
	if (lag_ev != NULL)
		event_free(lag_ev);
	lag_ev = NULL;
	if (!stats.st_running)
		return;
	pthread_mutex_lock(&stats.st_lock);
	stats.st_stop = 1;
	pthread_cond_signal(&stats.st_cond);
	pthread_mutex_unlock(&stats.st_lock);
	pthread_join(stats.st_thread, NULL);
	pthread_cond_destroy(&stats.st_cond);
	pthread_mutex_destroy(&stats.st_lock);
	free(stats.st_counts);
	free(stats.st_db);
	memset(&stats, 0, sizeof(stats));
}

void
hist_observe(struct histogram *h, double v)
{
	size_t	i;

	for (i = 0; i < h->h_nbounds; i++)
		if (v <= h->h_bounds[i])
			break;
	h->h_counts[i]++;
	h->h_sum += v;
	h->h_count++;
}

/*
 * A write transaction's outcome, for /readyz: a failure makes termijnd not
 * ready until a write succeeds again (or a probe does).
 */
void
metrics_write_outcome(struct termijnd *d, enum store_status rc)
{
	d->d_metrics.m_write_ok = rc == STORE_OK;
	d->d_metrics.m_write_status = rc;
	d->d_metrics.m_write_at = clock_now();
}

/*
 * The text exposition format (version 0.0.4), as Prometheus reads it;
 * cases: with the counts of cases (http_metrics says for whom).
 */
char *
metrics_text(struct termijnd *d, int cases)
{
	static const char	*classes[] = {
		"1xx", "2xx", "3xx", "4xx", "5xx", "other"
	};
	const struct metrics	*m = &d->d_metrics;
	struct engine_stats	 es;
	struct upkeep_stats	 us;
	char			*t = xstrdup(""), wf[2 * STORE_NAME_LEN];
	char			 st[2 * STORE_NAME_LEN];
	int64_t			 now = clock_monotonic();
	size_t			 i, qbytes;
	uint64_t		 qwaits;

	append(&t, "# HELP termijn_build_info The termijnd version.\n"
	    "# TYPE termijn_build_info gauge\n"
	    "termijn_build_info{version=\"%s\"} 1\n", TERMIJN_VERSION);
	append(&t, "# HELP termijn_start_time_seconds When termijnd started,"
	    " since the epoch.\n# TYPE termijn_start_time_seconds gauge\n"
	    "termijn_start_time_seconds %.3f\n", (double)d->d_started / 1000);
	append(&t, "# HELP termijn_http_responses_total HTTP responses by"
	    " status class.\n# TYPE termijn_http_responses_total counter\n");
	for (i = 0; i < nitems(classes); i++)
		append(&t, "termijn_http_responses_total{code=\"%s\"} %llu\n",
		    classes[i], (unsigned long long)m->m_requests[i]);
	append(&t, "# HELP termijn_commits_total Write transactions committed"
	    " for API writes.\n# TYPE termijn_commits_total counter\n"
	    "termijn_commits_total %llu\n"
	    "# HELP termijn_commit_failures_total Write transactions that"
	    " failed.\n# TYPE termijn_commit_failures_total counter\n"
	    "termijn_commit_failures_total %llu\n"
	    "# HELP termijn_writes_total API writes committed.\n"
	    "# TYPE termijn_writes_total counter\n"
	    "termijn_writes_total %llu\n"
	    "# HELP termijn_commit_batch_max Most API writes in one"
	    " transaction.\n# TYPE termijn_commit_batch_max gauge\n"
	    "termijn_commit_batch_max %llu\n",
	    (unsigned long long)m->m_commits,
	    (unsigned long long)m->m_commit_failures,
	    (unsigned long long)m->m_writes,
	    (unsigned long long)m->m_batch_max);
	hist_text(&t, "termijn_commit_batch_writes", "API writes per write"
	    " transaction (group commit).", &m->m_batch);
	append(&t, "# HELP termijn_commit_flushes_total Flushes to disk, on a"
	    " thread of their own, that made write transactions durable"
	    " before their answers went.\n"
	    "# TYPE termijn_commit_flushes_total counter\n"
	    "termijn_commit_flushes_total %llu\n"
	    "# HELP termijn_commit_flushed_total Write transactions those"
	    " flushes made durable.\n"
	    "# TYPE termijn_commit_flushed_total counter\n"
	    "termijn_commit_flushed_total %llu\n",
	    (unsigned long long)m->m_flushes,
	    (unsigned long long)m->m_flushed);
	append(&t, "# HELP termijn_deadlines_fired_total Rungs fired:"
	    " deadlines passing, reminders, follow-ups.\n"
	    "# TYPE termijn_deadlines_fired_total counter\n"
	    "termijn_deadlines_fired_total %llu\n",
	    (unsigned long long)m->m_fired);
	hist_text(&t, "termijn_fire_batch_rungs", "Rungs fired per"
	    " transaction.", &m->m_fire_batch);
	append(&t, "# HELP termijn_fire_prepared_total Batches of rungs"
	    " fired ahead of their moment: committed at it, or given up for"
	    " a write that came first.\n"
	    "# TYPE termijn_fire_prepared_total counter\n"
	    "termijn_fire_prepared_total{outcome=\"committed\"} %llu\n"
	    "termijn_fire_prepared_total{outcome=\"abandoned\"} %llu\n"
	    "# HELP termijn_fire_prepared_rungs Rungs fired ahead of their"
	    " moment, waiting for it to commit.\n"
	    "# TYPE termijn_fire_prepared_rungs gauge\n"
	    "termijn_fire_prepared_rungs %zu\n",
	    (unsigned long long)m->m_prep_committed,
	    (unsigned long long)m->m_prep_abandoned,
	    d->d_prep != NULL ? engine_prep_count(d->d_prep) : (size_t)0);
	hist_text(&t, "termijn_deadline_lateness_seconds", "How late rungs"
	    " that fell due while termijnd ran were committed (each counted"
	    " at the lateness of the earliest in its batch).", &m->m_lateness);
	append(&t, "# HELP termijn_deadline_lateness_max_seconds Worst"
	    " lateness of a deadline fired on time (not catch-up).\n"
	    "# TYPE termijn_deadline_lateness_max_seconds gauge\n"
	    "termijn_deadline_lateness_max_seconds %.3f\n"
	    "# HELP termijn_deadline_lateness_last_seconds Lateness of the"
	    " last batch of deadlines fired on time, when it committed.\n"
	    "# TYPE termijn_deadline_lateness_last_seconds gauge\n"
	    "termijn_deadline_lateness_last_seconds %.3f\n",
	    (double)m->m_lateness_max / 1000,
	    (double)m->m_lateness_last / 1000);
	engine_stats(d->d_engine, &es);
	append(&t, "# HELP termijn_history_clock_corrections_total Transitions"
	    " dated at the one before them because the clock had gone back.\n"
	    "# TYPE termijn_history_clock_corrections_total counter\n"
	    "termijn_history_clock_corrections_total %llu\n",
	    (unsigned long long)es.es_clock_corrections);
	append(&t, "# HELP termijn_joins_total Teams a workflow brought into a"
	    " case (counted also in batches rolled back).\n"
	    "# TYPE termijn_joins_total counter\n"
	    "termijn_joins_total %llu\n"
	    "# HELP termijn_joins_unrouted_total Joins that found no team for"
	    " their function: the case moved without one.\n"
	    "# TYPE termijn_joins_unrouted_total counter\n"
	    "termijn_joins_unrouted_total %llu\n",
	    (unsigned long long)es.es_joined,
	    (unsigned long long)es.es_unrouted);
	append(&t, "# HELP termijn_store_busy_retries_total Batches applied"
	    " again whole because another writer held the database.\n"
	    "# TYPE termijn_store_busy_retries_total counter\n"
	    "termijn_store_busy_retries_total %llu\n",
	    (unsigned long long)es.es_busy_retries);
	hist_text(&t, "termijn_loop_lag_seconds", "How late the event loop ran"
	    " a timer due every half second.", &m->m_lag);
	log_queue_stats(&qbytes, &qwaits);
	append(&t, "# HELP termijn_syslog_queue_bytes Log lines waiting for"
	    " syslog to take them, in bytes.\n"
	    "# TYPE termijn_syslog_queue_bytes gauge\n"
	    "termijn_syslog_queue_bytes %zu\n"
	    "# HELP termijn_syslog_waits_total Times termijnd waited for"
	    " syslog because the lines waiting for it had reached their"
	    " limit.\n# TYPE termijn_syslog_waits_total counter\n"
	    "termijn_syslog_waits_total %llu\n", qbytes,
	    (unsigned long long)qwaits);
	append(&t, "# HELP termijn_webhook_attempts_total Webhook deliveries"
	    " tried, by outcome: delivered (2xx), failed (to be tried again),"
	    " dead (failed for the last time, or nowhere to send it).\n"
	    "# TYPE termijn_webhook_attempts_total counter\n"
	    "termijn_webhook_attempts_total{outcome=\"delivered\"} %llu\n"
	    "termijn_webhook_attempts_total{outcome=\"failed\"} %llu\n"
	    "termijn_webhook_attempts_total{outcome=\"dead\"} %llu\n"
	    "# HELP termijn_webhooks_in_flight Webhook deliveries being tried"
	    " now.\n# TYPE termijn_webhooks_in_flight gauge\n"
	    "termijn_webhooks_in_flight %zu\n",
	    (unsigned long long)m->m_hook_delivered,
	    (unsigned long long)m->m_hook_failed,
	    (unsigned long long)m->m_hook_dead, m->m_hook_in_flight_cb != NULL ?
	    m->m_hook_in_flight_cb() : 0);
	hist_text(&t, "termijn_webhook_duration_seconds", "How long a webhook"
	    " delivery took, answered or not.", &m->m_hook_duration);
	store_upkeep_stats(d->d_store, &us);
	append(&t, "# HELP termijn_scrub_pending Whether bytes of destroyed"
	    " cases may still be in the database's files (1): a reader held an"
	    " older snapshot.\n# TYPE termijn_scrub_pending gauge\n"
	    "termijn_scrub_pending %d\n"
	    "# HELP termijn_scrub_retries_total Tries to remove the bytes of"
	    " destroyed cases that a reader's older snapshot held back.\n"
	    "# TYPE termijn_scrub_retries_total counter\n"
	    "termijn_scrub_retries_total %llu\n"
	    "# HELP termijn_scrub_given_up_total Removals of destroyed cases'"
	    " bytes given up after retention.scrub_timeout, until the next"
	    " retention run.\n# TYPE termijn_scrub_given_up_total counter\n"
	    "termijn_scrub_given_up_total %llu\n"
	    "# HELP termijn_wal_bytes The size of the database's write-ahead"
	    " log.\n# TYPE termijn_wal_bytes gauge\n"
	    "termijn_wal_bytes %lld\n"
	    "# HELP termijn_wal_truncations_total Write-ahead logs truncated"
	    " after a burst left them larger than the limit.\n"
	    "# TYPE termijn_wal_truncations_total counter\n"
	    "termijn_wal_truncations_total %llu\n", us.us_scrub_pending,
	    (unsigned long long)us.us_scrub_retries,
	    (unsigned long long)us.us_scrub_given_up,
	    (long long)us.us_log_bytes,
	    (unsigned long long)us.us_log_truncations);
	append(&t, "# HELP termijn_ready Whether the last write transaction"
	    " (or probe) succeeded.\n# TYPE termijn_ready gauge\n"
	    "termijn_ready %d\n", m->m_write_ok);
	append(&t, "# HELP termijn_workflow_files_refused Workflow files"
	    " refused at the last load, at start or on SIGHUP.\n"
	    "# TYPE termijn_workflow_files_refused gauge\n"
	    "termijn_workflow_files_refused %zu\n"
	    "# HELP termijn_workflow_reloads_total Reloads of the workflow"
	    " files on SIGHUP, by outcome.\n"
	    "# TYPE termijn_workflow_reloads_total counter\n",
	    d->d_files.wfs_refused);
	for (i = 0; i < LOAD_OUTCOMES; i++)
		append(&t, "termijn_workflow_reloads_total{outcome=\"%s\"}"
		    " %llu\n", load_outcome_name(i),
		    (unsigned long long)m->m_reloads[i]);

	pthread_mutex_lock(&stats.st_lock);
	if (stats.st_at == 0 || now - stats.st_at >
	    (stats.st_took * 10 > STATS_MIN_AGE_MS ? stats.st_took * 10 :
	    STATS_MIN_AGE_MS)) {
		stats.st_wanted = 1;
		pthread_cond_signal(&stats.st_cond);
	}
	append(&t, "# HELP termijn_count_failures_total Counts of cases and"
	    " rungs that failed.\n# TYPE termijn_count_failures_total counter\n"
	    "termijn_count_failures_total %llu\n",
	    (unsigned long long)stats.st_failures);
	if (stats.st_at != 0) {
		append(&t, "# HELP termijn_count_age_seconds How old the counts"
		    " of cases and rungs below are.\n"
		    "# TYPE termijn_count_age_seconds gauge\n"
		    "termijn_count_age_seconds %.3f\n"
		    "# HELP termijn_count_duration_seconds How long counting"
		    " them took, off the event loop.\n"
		    "# TYPE termijn_count_duration_seconds gauge\n"
		    "termijn_count_duration_seconds %.3f\n"
		    "# HELP termijn_rungs_pending Rungs waiting to fire.\n"
		    "# TYPE termijn_rungs_pending gauge\n"
		    "termijn_rungs_pending %lld\n"
		    "# HELP termijn_rungs_due Pending rungs whose moment has"
		    " come: the backlog.\n# TYPE termijn_rungs_due gauge\n"
		    "termijn_rungs_due %lld\n"
		    "# HELP termijn_outbox_pending Notifications waiting to be"
		    " delivered: the webhook backlog.\n"
		    "# TYPE termijn_outbox_pending gauge\n"
		    "termijn_outbox_pending %lld\n"
		    "# HELP termijn_outbox_dead Notifications given up on, until"
		    " an admin retries them.\n"
		    "# TYPE termijn_outbox_dead gauge\n"
		    "termijn_outbox_dead %lld\n",
		    (double)(now - stats.st_at) / 1000,
		    (double)stats.st_took / 1000, (long long)stats.st_pending,
		    (long long)stats.st_due, (long long)stats.st_outbox_pending,
		    (long long)stats.st_outbox_dead);
	}
	if (stats.st_at != 0 && cases) {
		append(&t, "# HELP termijn_cases_unrouted Open cases that should"
		    " have brought a team in and found none that fills the"
		    " function.\n# TYPE termijn_cases_unrouted gauge\n"
		    "termijn_cases_unrouted %lld\n"
		    "# HELP termijn_cases Cases by workflow and state.\n"
		    "# TYPE termijn_cases gauge\n", (long long)stats.st_unrouted);
		for (i = 0; i < stats.st_ncounts; i++) {
			label_value(wf, sizeof(wf), stats.st_counts[i].sc_workflow);
			label_value(st, sizeof(st), stats.st_counts[i].sc_state);
			append(&t, "termijn_cases{workflow=\"%s\",state=\"%s\"}"
			    " %lld\n", wf, st,
			    (long long)stats.st_counts[i].sc_n);
		}
	}
	pthread_mutex_unlock(&stats.st_lock);
	return t;
}

static void
hist_init(struct histogram *h, const double *bounds, size_t n)
{
	memset(h, 0, sizeof(*h));
	if (n >= nitems(h->h_counts))
		fatalx("%s: too many buckets", __func__);
	h->h_bounds = bounds;
	h->h_nbounds = n;
}

static void
hist_text(char **t, const char *name, const char *help,
    const struct histogram *h)
{
	uint64_t	cum = 0;
	size_t		i;

	append(t, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (i = 0; i < h->h_nbounds; i++) {
		cum += h->h_counts[i];
		append(t, "%s_bucket{le=\"%g\"} %llu\n", name, h->h_bounds[i],
		    (unsigned long long)cum);
	}
	append(t, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n",
	    name, (unsigned long long)h->h_count, name, h->h_sum, name,
	    (unsigned long long)h->h_count);
}

static void
append(char **t, const char *fmt, ...)
{
	va_list	 ap;
	char	*more, *both;

	va_start(ap, fmt);
	xvasprintf(&more, fmt, ap);
	va_end(ap);
	xasprintf(&both, "%s%s", *t, more);
	free(more);
	free(*t);
	*t = both;
}

/* Names are checked when loaded; escape anyway, as the format wants. */
static void
label_value(char *buf, size_t len, const char *s)
{
	size_t	o = 0;

	for (; *s != '\0' && o + 3 < len; s++) {
		if (*s == '\\' || *s == '"')
			buf[o++] = '\\';
		if (*s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
			continue;
		}
		buf[o++] = *s;
	}
	buf[o] = '\0';
}

/* Every half second: how late the loop got round to it. */
static void
lag_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct termijnd	*d = arg;
	int64_t		 now = clock_monotonic(), late;

	late = now - lag_expected;
	hist_observe(&d->d_metrics.m_lag, late > 0 ? (double)late / 1000 : 0);
	lag_expected = now + LAG_TICK_MS;
}

static void *
stats_thread(void *arg)
{
	struct store	*st = NULL;
	char		 err[512];

	pthread_mutex_lock(&stats.st_lock);
	while (!stats.st_stop) {
		if (!stats.st_wanted) {
			pthread_cond_wait(&stats.st_cond, &stats.st_lock);
			continue;
		}
		stats.st_wanted = 0;
		pthread_mutex_unlock(&stats.st_lock);
		if (st == NULL &&
		    (st = store_open_readonly(stats.st_db, err,
		    sizeof(err))) == NULL)
			log_warnx("counting cases: %s", err);
		if (st == NULL || stats_count(st) == -1) {
			pthread_mutex_lock(&stats.st_lock);
			stats.st_failures++;
			continue;
		}
		pthread_mutex_lock(&stats.st_lock);
	}
	pthread_mutex_unlock(&stats.st_lock);
	store_close(st);
	return NULL;
}

/* Count in one read transaction; publish the result under the lock. */
static int
stats_count(struct store *st)
{
	struct stats_acc	acc = { NULL, 0 };
	int64_t	start = clock_monotonic(), pending = 0, due = 0;
	int64_t	ob_pending = 0, ob_dead = 0, unrouted = 0;
	int	rc = -1;

	if (store_read_begin(st) != STORE_OK)
		return -1;
	if (store_rung_counts(st, clock_now(), &pending, &due) != STORE_OK ||
	    store_outbox_count(st, "pending", &ob_pending) != STORE_OK ||
	    store_outbox_count(st, "dead", &ob_dead) != STORE_OK ||
	    store_unrouted_count(st, &unrouted) != STORE_OK ||
	    store_case_counts(st, stats_count_cb, &acc) != STORE_OK) {
		free(acc.sa_counts);
		goto done;
	}
	pthread_mutex_lock(&stats.st_lock);
	free(stats.st_counts);
	stats.st_counts = acc.sa_counts;
	stats.st_ncounts = acc.sa_n;
	stats.st_pending = pending;
	stats.st_due = due;
	stats.st_outbox_pending = ob_pending;
	stats.st_outbox_dead = ob_dead;
	stats.st_unrouted = unrouted;
	stats.st_at = clock_monotonic();
	stats.st_took = stats.st_at - start;
	pthread_mutex_unlock(&stats.st_lock);
	rc = 0;
done:
	store_read_end(st);
	return rc;
}

static enum store_status
stats_count_cb(const char *workflow, const char *state, int64_t n, void *arg)
{
	struct stats_acc	*acc = arg;
	struct stats_count	*sc;

	acc->sa_counts = xreallocarray(acc->sa_counts, acc->sa_n + 1,
	    sizeof(*acc->sa_counts));
	sc = &acc->sa_counts[acc->sa_n++];
	snprintf(sc->sc_workflow, sizeof(sc->sc_workflow), "%s", workflow);
	snprintf(sc->sc_state, sizeof(sc->sc_state), "%s", state);
	sc->sc_n = n;
	return STORE_OK;
}

/* The label of a reload's outcome in termijn_workflow_reloads_total. */
static const char *
load_outcome_name(enum load_outcome outcome)
{
	static const char	*names[LOAD_OUTCOMES] = {
		"ok", "partial", "failed"
	};

	return names[outcome];
}
