/* termijn: the notifier delivers the outbox's webhooks, on the event loop. */

#include <sys/queue.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "termijn/clock.h"
#include "termijn/webhook.h"

#include "termijnd.h"

#define RETRY_MS	1000		/* after the store failed */
#define RESPONSE_MAX	(64 * 1024)	/* bytes of an answer read, at most */
#define WARN_EVERY_MS	(60 * 1000)	/* a failing webhook, in the log */
#define DONE_MAX	4		/* outcomes waiting, per in_flight */
#define QUEUE_MAX	4		/* due rows read at once, per in_flight */
#define COMMIT_NOW	2		/* outcomes that commit at once, per in_flight */
#define COMMIT_DELAY_MS	50		/* the longest an outcome waits otherwise */

/*
 * The notifier.  A rung's notification writes outbox rows in the
 * transaction that fires it (engine_notify.c); the notifier sends each as
 * an HTTP POST of its CloudEvent, signed (webhook_sign), and tells the
 * engine how the attempt went (engine_outbox_update).
 *
 * Delivery never blocks the loop: libcurl's multi interface runs on it,
 * with libevent watching the sockets libcurl names (sock_cb) and keeping
 * the one timer it asks for (timer_cb); name lookups run in libcurl's
 * resolver threads.  At most in_flight rows are being tried at once.  Due
 * rows are read in batches (QUEUE_MAX times in_flight, one indexed query)
 * into a queue that the slots take from as they free (pump).
 *
 * At least once: a row is marked delivered only after a 2xx, by a
 * transaction that commits after the answer came.  A row taken is kept in
 * memory (nf_queue, nf_flight, then nf_done until its outcome committed)
 * and skipped when due rows are read again; after a crash nothing is in
 * memory, so every row not marked goes out again, with the same CloudEvent
 * id, which receivers deduplicate on.
 *
 * The outcomes share transactions: one commits COMMIT_DELAY_MS after the
 * first outcome that waits for it, or at once when COMMIT_NOW times
 * in_flight wait, so that a burst costs a few fsyncs a second rather than
 * one per delivery (each fsync holds the loop, and the API's requests with
 * it, for a few milliseconds), and an outcome is recorded within a blink.
 * A slot is free again as soon as its answer came, so the next deliveries
 * do not wait for the fsync; the outcomes waiting for theirs are bounded
 * (DONE_MAX times in_flight), so a store that cannot write stops the
 * notifier rather than letting it run ahead.  A notifier that is behind
 * holds the loop for no more than one bounded batch at a time.
 *
 * The next wake-up is the earliest next attempt the store knows of, capped
 * at the scheduler's re-check interval, because attempts are wall-clock
 * moments and the loop's timers run on the monotonic clock.
 */

struct delivery {
	TAILQ_ENTRY(delivery)	 dv_entry;
	struct outbox_row	 dv_row;	/* o_body points at dv_body */
	char			*dv_body;
	const struct webhook_conf *dv_hook;
	CURL			*dv_easy;
	struct curl_slist	*dv_headers;
	size_t			 dv_received;	/* bytes of the answer */
	int64_t			 dv_started;	/* monotonic ms */
	char			 dv_error[CURL_ERROR_SIZE];
};
TAILQ_HEAD(deliveryq, delivery);

static struct {
	struct termijnd		*nf_d;
	CURLM			*nf_multi;
	struct event		*nf_wake_ev;	/* the next attempt due */
	struct event		*nf_curl_ev;	/* libcurl's timer */
	struct event		*nf_commit_ev;	/* outcomes to commit */
	struct deliveryq	 nf_queue;	/* read, to be sent */
	struct deliveryq	 nf_flight;	/* being sent */
	struct deliveryq	 nf_done;	/* outcomes to commit */
	size_t			 nf_nqueue;
	size_t			 nf_nflight;
	size_t			 nf_ndone;
	struct webhook_policy	 nf_policy;
	uint64_t		 nf_seen;	/* webhooks the engine had queued at
						   the last look */
	int64_t			*nf_warned;	/* per webhook: last warning */
} nf;

static void	 pump(void);
static enum store_status due_cb(const struct outbox_row *, void *);
static int	 room(void);
static int	 busy(int64_t);
static void	 start(struct delivery *);
static int	 take(void);
static void	 finish(struct delivery *, CURLcode, long);
static void	 done(struct delivery *, enum webhook_result, const char *,
		    const char *);
static void	 check_multi(void);
static void	 wake_at(int64_t, int64_t);
static void	 after_ms(struct event *, int64_t);
static void	 wake_cb(evutil_socket_t, short, void *);
static enum store_status commit_done(void);
static void	 commit_cb(evutil_socket_t, short, void *);
static void	 curl_timeout_cb(evutil_socket_t, short, void *);
static void	 socket_cb(evutil_socket_t, short, void *);
static int	 sock_cb(CURL *, curl_socket_t, int, void *, void *);
static int	 timer_cb(CURLM *, long, void *);
static size_t	 sink_cb(char *, size_t, size_t, void *);
static void	 delivery_free(struct delivery *);
static uint64_t	 random64(void);
static size_t	 in_flight_cb(void);

void
notifier_init(struct termijnd *d)
{
	const struct config	*cf = &d->d_conf;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	memset(&nf, 0, sizeof(nf));
	nf.nf_d = d;
	d->d_metrics.m_hook_in_flight_cb = in_flight_cb;
	TAILQ_INIT(&nf.nf_queue);
	TAILQ_INIT(&nf.nf_flight);
	TAILQ_INIT(&nf.nf_done);
	nf.nf_policy.wp_attempts = cf->cf_hook_attempts;
	nf.nf_policy.wp_backoff = (int64_t)(cf->cf_hook_backoff * 1000);
	nf.nf_policy.wp_backoff_max = (int64_t)(cf->cf_hook_backoff_max *
	    1000);
	nf.nf_warned = xcalloc(cf->cf_nwebhooks + 1, sizeof(*nf.nf_warned));
	if ((nf.nf_multi = curl_multi_init()) == NULL ||
	    (nf.nf_wake_ev = evtimer_new(d->d_base, wake_cb, NULL)) == NULL ||
	    (nf.nf_curl_ev = evtimer_new(d->d_base, curl_timeout_cb,
	    NULL)) == NULL ||
	    (nf.nf_commit_ev = evtimer_new(d->d_base, commit_cb, NULL)) ==
	    NULL)
		fatalx("cannot start the notifier");
	curl_multi_setopt(nf.nf_multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(nf.nf_multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(nf.nf_multi, CURLMOPT_MAXCONNECTS,
	    (long)cf->cf_hook_in_flight);
	/* Rows left pending by the last run go out first. */
	after_ms(nf.nf_wake_ev, 0);
}

/*
 * At exit: what is in flight is abandoned (it stays pending and goes out
 * after the restart); outcomes that came in are committed first.
 */
void
notifier_free(void)
{
	struct delivery	*dv;

	if (nf.nf_d == NULL)
		return;
	while ((dv = TAILQ_FIRST(&nf.nf_queue)) != NULL) {
		TAILQ_REMOVE(&nf.nf_queue, dv, dv_entry);
		nf.nf_nqueue--;
		delivery_free(dv);
	}
	while ((dv = TAILQ_FIRST(&nf.nf_flight)) != NULL) {
		TAILQ_REMOVE(&nf.nf_flight, dv, dv_entry);
		nf.nf_nflight--;
		delivery_free(dv);
	}
	(void)commit_done();
	while ((dv = TAILQ_FIRST(&nf.nf_done)) != NULL) {
		TAILQ_REMOVE(&nf.nf_done, dv, dv_entry);
		nf.nf_ndone--;
		delivery_free(dv);
	}
	/* libcurl may still call timer_cb and sock_cb while it cleans up. */
	curl_multi_cleanup(nf.nf_multi);
	curl_global_cleanup();
	event_free(nf.nf_wake_ev);
	event_free(nf.nf_curl_ev);
	event_free(nf.nf_commit_ev);
	free(nf.nf_warned);
	memset(&nf, 0, sizeof(nf));
}

/* After a commit: look for rows as soon as the loop has polled, if any came. */
void
notifier_kick(struct termijnd *d)
{
	struct engine_stats	es;

	if (nf.nf_d == NULL || d->d_stopping)
		return;
	engine_stats(d->d_engine, &es);
	if (es.es_outbox_queued == nf.nf_seen)
		return;
	nf.nf_seen = es.es_outbox_queued;
	after_ms(nf.nf_wake_ev, 0);
}

/* For /metrics: the attempts being tried now. */
static size_t
in_flight_cb(void)
{
	return nf.nf_nflight;
}

static void
wake_cb(evutil_socket_t fd, short ev, void *arg)
{
	pump();
}

/*
 * Start as many rows as there are free slots, from the queue, reading the
 * next batch when it ran dry; then wait for a slot, or the next row due.
 */
static void
pump(void)
{
	struct termijnd		*d = nf.nf_d;
	size_t			 limit = (size_t)d->d_conf.cf_hook_in_flight;
	enum store_status	 rc;
	int64_t			 now, next;

	if (d->d_stopping)
		return;
	now = clock_now();
	if (take()) {
		/* A slot that frees pumps again; this is only a safety net. */
		wake_at(now, INT64_MAX);
		return;
	}
	/* Rows taken are due too: read past them. */
	/* Other systems hear only of what is on disk. */
	commit_durable_now(d);
	rc = store_outbox_due(d->d_store, now, (int)(QUEUE_MAX * limit +
	    nf.nf_nflight + nf.nf_ndone), due_cb, NULL);
	if (rc != STORE_OK) {
		log_warnx("notifier: reading the outbox: %s",
		    store_errmsg(d->d_store));
		after_ms(nf.nf_wake_ev, RETRY_MS);
		return;
	}
	if (take()) {
		wake_at(now, INT64_MAX);
		return;
	}
	/* Every due row is taken: wait for the next one after now. */
	rc = store_outbox_next(d->d_store, now, &next);
	wake_at(now, rc == STORE_OK ? next : INT64_MAX);
}

/* Start rows from the queue while there is room; 1 when rows are left. */
static int
take(void)
{
	struct delivery	*dv;

	while (room() && (dv = TAILQ_FIRST(&nf.nf_queue)) != NULL) {
		TAILQ_REMOVE(&nf.nf_queue, dv, dv_entry);
		nf.nf_nqueue--;
		start(dv);
	}
	return !TAILQ_EMPTY(&nf.nf_queue) || !room();
}

/* Whether another delivery may start now. */
static int
room(void)
{
	size_t	limit = (size_t)nf.nf_d->d_conf.cf_hook_in_flight;

	return nf.nf_nflight < limit && nf.nf_ndone < DONE_MAX * limit;
}

/* A due row that is not taken yet joins the queue (its body copied). */
static enum store_status
due_cb(const struct outbox_row *o, void *arg)
{
	struct delivery	*dv;

	if (nf.nf_nqueue >= QUEUE_MAX *
	    (size_t)nf.nf_d->d_conf.cf_hook_in_flight || busy(o->o_id))
		return STORE_OK;
	dv = xcalloc(1, sizeof(*dv));
	dv->dv_row = *o;
	dv->dv_body = xstrdup(o->o_body != NULL ? o->o_body : "");
	dv->dv_row.o_body = dv->dv_body;
	TAILQ_INSERT_TAIL(&nf.nf_queue, dv, dv_entry);
	nf.nf_nqueue++;
	return STORE_OK;
}

static int
busy(int64_t id)
{
	struct delivery	*dv;

	TAILQ_FOREACH(dv, &nf.nf_queue, dv_entry)
		if (dv->dv_row.o_id == id)
			return 1;
	TAILQ_FOREACH(dv, &nf.nf_flight, dv_entry)
		if (dv->dv_row.o_id == id)
			return 1;
	TAILQ_FOREACH(dv, &nf.nf_done, dv_entry)
		if (dv->dv_row.o_id == id)
			return 1;
	return 0;
}

/* POST the row's CloudEvent to its team's webhook for the role. */
static void
start(struct delivery *dv)
{
	const struct config	*cf = &nf.nf_d->d_conf;
	const struct outbox_row	*o = &dv->dv_row;
	char			 sig[WEBHOOK_SIGNATURE_LEN], h[160];
	char			 err[STORE_NAME_LEN * 2 + 64];
	int64_t			 t;
	size_t			 i;

	for (i = 0; i < cf->cf_nwebhooks; i++)
		if (strcmp(cf->cf_webhooks[i].wh_team, o->o_team) == 0 &&
		    strcmp(cf->cf_webhooks[i].wh_role, o->o_role) == 0)
			break;
	if (i == cf->cf_nwebhooks) {
		snprintf(err, sizeof(err), "no webhook configured for team %s"
		    " and role %s", o->o_team, o->o_role);
		done(dv, WEBHOOK_UNDELIVERABLE, err, NULL);
		return;
	}
	dv->dv_hook = &cf->cf_webhooks[i];

	/* The timestamp is the wall clock's, as the receiver's should be. */
	t = clock_now() / 1000;
	webhook_sign(dv->dv_hook->wh_secret, dv->dv_hook->wh_secret_len, t,
	    dv->dv_body, strlen(dv->dv_body), sig);
	dv->dv_headers = curl_slist_append(NULL,
	    "Content-Type: application/cloudevents+json");
	snprintf(h, sizeof(h), "Termijn-Timestamp: %" PRId64, t);
	dv->dv_headers = curl_slist_append(dv->dv_headers, h);
	snprintf(h, sizeof(h), "Termijn-Signature: %s", sig);
	dv->dv_headers = curl_slist_append(dv->dv_headers, h);
	/* No "Expect: 100-continue" round trip before the body. */
	dv->dv_headers = curl_slist_append(dv->dv_headers, "Expect:");
	if (dv->dv_headers == NULL || (dv->dv_easy = curl_easy_init()) == NULL)
		fatalx("cannot set up a webhook delivery");
	curl_easy_setopt(dv->dv_easy, CURLOPT_URL, dv->dv_hook->wh_url);
	curl_easy_setopt(dv->dv_easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(dv->dv_easy, CURLOPT_POST, 1L);
	curl_easy_setopt(dv->dv_easy, CURLOPT_POSTFIELDS, dv->dv_body);
	curl_easy_setopt(dv->dv_easy, CURLOPT_POSTFIELDSIZE,
	    (long)strlen(dv->dv_body));
	curl_easy_setopt(dv->dv_easy, CURLOPT_HTTPHEADER, dv->dv_headers);
	curl_easy_setopt(dv->dv_easy, CURLOPT_USERAGENT,
	    "termijnd/" TERMIJN_VERSION);
	curl_easy_setopt(dv->dv_easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(dv->dv_easy, CURLOPT_TIMEOUT_MS,
	    (long)(cf->cf_hook_timeout * 1000));
	curl_easy_setopt(dv->dv_easy, CURLOPT_WRITEFUNCTION, sink_cb);
	curl_easy_setopt(dv->dv_easy, CURLOPT_WRITEDATA, dv);
	curl_easy_setopt(dv->dv_easy, CURLOPT_ERRORBUFFER, dv->dv_error);
	curl_easy_setopt(dv->dv_easy, CURLOPT_PRIVATE, dv);
	dv->dv_started = clock_monotonic();
	TAILQ_INSERT_TAIL(&nf.nf_flight, dv, dv_entry);
	nf.nf_nflight++;
	if (curl_multi_add_handle(nf.nf_multi, dv->dv_easy) != CURLM_OK)
		fatalx("curl_multi_add_handle failed");
}

/* The answer is not kept; a long one is cut off (and then not waited for). */
static size_t
sink_cb(char *p, size_t size, size_t n, void *arg)
{
	struct delivery	*dv = arg;

	dv->dv_received += size * n;
	return dv->dv_received > RESPONSE_MAX ? 0 : size * n;
}

static void
check_multi(void)
{
	struct delivery	*dv;
	CURLMsg		*msg;
	char		*priv;
	long		 code;
	int		 left;

	while ((msg = curl_multi_info_read(nf.nf_multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		dv = (struct delivery *)(void *)priv;
		code = 0;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE,
		    &code);
		finish(dv, msg->data.result, code);
	}
}

/* An attempt ended: delivered on a 2xx, failed on anything else. */
static void
finish(struct delivery *dv, CURLcode res, long code)
{
	struct metrics	*m = &nf.nf_d->d_metrics;
	char		 err[sizeof(dv->dv_row.o_last_error)];
	char		 why[sizeof(dv->dv_error)];
	size_t		 i;

	TAILQ_REMOVE(&nf.nf_flight, dv, dv_entry);
	nf.nf_nflight--;
	hist_observe(&m->m_hook_duration,
	    (double)(clock_monotonic() - dv->dv_started) / 1000);
	curl_multi_remove_handle(nf.nf_multi, dv->dv_easy);
	curl_easy_cleanup(dv->dv_easy);
	dv->dv_easy = NULL;
	if ((res == CURLE_OK || (res == CURLE_WRITE_ERROR &&
	    dv->dv_received > RESPONSE_MAX)) && code >= 200 && code < 300) {
		done(dv, WEBHOOK_DELIVERED, NULL, NULL);
		return;
	}
	if (res == CURLE_OK) {
		snprintf(err, sizeof(err), "HTTP %ld", code);
		done(dv, WEBHOOK_FAILED, err, NULL);
		return;
	}
	/*
	 * The row keeps libcurl's name for the failure, which names no host:
	 * the case's readers see it (view_case), and where a team's webhook
	 * points is the administrator's to know.  libcurl's own message, which
	 * may name the host, goes to the log.
	 */
	snprintf(err, sizeof(err), "%s", curl_easy_strerror(res));
	snprintf(why, sizeof(why), "%s", dv->dv_error[0] != '\0' ?
	    dv->dv_error : err);
	/* Said by libcurl or the network: keep it printable. */
	for (i = 0; why[i] != '\0'; i++)
		if (why[i] < ' ' || why[i] >= 0x7f)
			why[i] = '?';
	done(dv, WEBHOOK_FAILED, err, why);
}

/*
 * The outcome, on the row; committed with the rest of this turn's.  err is
 * what the row keeps, why (NULL: err) what the log says.
 */
static void
done(struct delivery *dv, enum webhook_result res, const char *err,
    const char *why)
{
	const struct config	*cf = &nf.nf_d->d_conf;
	struct metrics		*m = &nf.nf_d->d_metrics;
	struct outbox_row	*o = &dv->dv_row;
	int64_t			 now = clock_monotonic();
	size_t			 w;

	webhook_outcome(o, &nf.nf_policy, res, err, clock_now(), random64());
	if (strcmp(o->o_status, "delivered") == 0) {
		m->m_hook_delivered++;
		log_debug("%s: outbox %lld to team %s role %s delivered,"
		    " attempt %d", __func__, (long long)o->o_id, o->o_team,
		    o->o_role, o->o_attempts);
	} else if (strcmp(o->o_status, "dead") == 0)
		m->m_hook_dead++;
	else
		m->m_hook_failed++;
	if (why == NULL)
		why = err;
	if (res == WEBHOOK_FAILED) {
		log_debug("%s: outbox %lld to team %s role %s, attempt %d:"
		    " %s", __func__, (long long)o->o_id, o->o_team, o->o_role,
		    o->o_attempts, why);
		w = (size_t)(dv->dv_hook - cf->cf_webhooks);
		if (strcmp(o->o_status, "pending") == 0 &&
		    (nf.nf_warned[w] == 0 ||
		    now - nf.nf_warned[w] >= WARN_EVERY_MS)) {
			nf.nf_warned[w] = now;
			log_warnx("webhook for team %s role %s failing: %s"
			    " (outbox %lld, attempt %d of %d; trying again)",
			    o->o_team, o->o_role, why, (long long)o->o_id,
			    o->o_attempts, nf.nf_policy.wp_attempts);
		}
	}
	TAILQ_INSERT_TAIL(&nf.nf_done, dv, dv_entry);
	nf.nf_ndone++;
	/*
	 * A slot is free: the next row may go while this outcome waits for
	 * its commit.  The ends of one turn share one pump.
	 */
	if (room())
		after_ms(nf.nf_wake_ev, 0);
	/* Commit soon, or at once when many wait (the store may be failing). */
	if (nf.nf_ndone >= COMMIT_NOW * (size_t)cf->cf_hook_in_flight)
		after_ms(nf.nf_commit_ev, 0);
	else if (!evtimer_pending(nf.nf_commit_ev, NULL))
		after_ms(nf.nf_commit_ev, COMMIT_DELAY_MS);
}

/*
 * The outcomes that came in, in one transaction; then the slots they held
 * are free.  When it fails they are kept, to be tried again.
 */
static enum store_status
commit_done(void)
{
	struct termijnd		*d = nf.nf_d;
	struct outbox_row	*rows;
	struct delivery		*dv;
	enum store_status	 rc;
	size_t			 n = 0;

	TAILQ_FOREACH(dv, &nf.nf_done, dv_entry)
		n++;
	if (n == 0)
		return STORE_OK;
	rows = xreallocarray(NULL, n, sizeof(*rows));
	n = 0;
	TAILQ_FOREACH(dv, &nf.nf_done, dv_entry)
		rows[n++] = dv->dv_row;
	rc = engine_outbox_update(d->d_engine, rows, n);
	free(rows);
	metrics_write_outcome(d, rc);
	if (rc != STORE_OK) {
		log_warnx("notifier: the outcome of %zu webhook attempts could"
		    " not be written; trying again", n);
		return rc;
	}
	while ((dv = TAILQ_FIRST(&nf.nf_done)) != NULL) {
		TAILQ_REMOVE(&nf.nf_done, dv, dv_entry);
		nf.nf_ndone--;
		delivery_free(dv);
	}
	return STORE_OK;
}

/* After the loop polled: this turn's outcomes, then the next rows. */
static void
commit_cb(evutil_socket_t fd, short ev, void *arg)
{
	if (commit_done() != STORE_OK)
		after_ms(nf.nf_commit_ev, RETRY_MS);
	else if (room())
		pump();
}

/* Wake for the attempt due at next, or at the re-check, whichever first. */
static void
wake_at(int64_t now, int64_t next)
{
	int64_t	delay, recheck;

	recheck = (int64_t)(nf.nf_d->d_conf.cf_recheck * 1000);
	if (recheck < 1)
		recheck = 1;
	delay = next == INT64_MAX ? recheck : next - now;
	if (delay < 1)
		delay = 1;
	if (delay > recheck)
		delay = recheck;
	after_ms(nf.nf_wake_ev, delay);
}

static void
after_ms(struct event *ev, int64_t ms)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(ev, &tv);
}

/*
 * libcurl names a socket and what to wait for on it; the event lives in
 * libcurl's slot for the socket (curl_multi_assign).
 */
static int
sock_cb(CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct event	*ev = sockp;
	short		 kind = EV_PERSIST;

	if (what == CURL_POLL_REMOVE) {
		if (ev != NULL)
			event_free(ev);
		curl_multi_assign(nf.nf_multi, fd, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (ev == NULL) {
		if ((ev = event_new(nf.nf_d->d_base, fd, kind, socket_cb,
		    NULL)) == NULL)
			fatalx("event_new failed");
		curl_multi_assign(nf.nf_multi, fd, ev);
	} else {
		event_del(ev);
		if (event_assign(ev, nf.nf_d->d_base, fd, kind, socket_cb,
		    NULL) == -1)
			fatalx("event_assign failed");
	}
	if (event_add(ev, NULL) == -1)
		fatalx("event_add failed");
	return 0;
}

static void
socket_cb(evutil_socket_t fd, short kind, void *arg)
{
	int	running, action = 0;

	if (kind & EV_READ)
		action |= CURL_CSELECT_IN;
	if (kind & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(nf.nf_multi, fd, action, &running);
	check_multi();
}

/* libcurl's one timer: -1 deletes it, any other value (also 0) sets it. */
static int
timer_cb(CURLM *multi, long ms, void *arg)
{
	if (ms < 0)
		evtimer_del(nf.nf_curl_ev);
	else
		after_ms(nf.nf_curl_ev, ms);
	return 0;
}

static void
curl_timeout_cb(evutil_socket_t fd, short kind, void *arg)
{
	int	running;

	curl_multi_socket_action(nf.nf_multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	check_multi();
}

static void
delivery_free(struct delivery *dv)
{
	if (dv->dv_easy != NULL) {
		curl_multi_remove_handle(nf.nf_multi, dv->dv_easy);
		curl_easy_cleanup(dv->dv_easy);
	}
	curl_slist_free_all(dv->dv_headers);
	free(dv->dv_body);
	free(dv);
}

static uint64_t
random64(void)
{
	return (uint64_t)arc4random() << 32 | arc4random();
}
