/* termijn: the writes of one loop turn, handed to the engine's group commit. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"

#include "termijnd.h"

/* A batch committed, its answers waiting for the flush (durable.c). */
struct waiting {
	TAILQ_ENTRY(waiting)	 wt_entry;
	uint64_t		 wt_seq;	/* its number for durable_ask */
	size_t			 wt_records;	/* its log lines end here */
	struct reqq		 wt_reqs;
	struct reqq		 wt_after;	/* answers held behind it */
};
static TAILQ_HEAD(waitingq, waiting) waiting =
    TAILQ_HEAD_INITIALIZER(waiting);

static void	commit_cb(evutil_socket_t, short, void *);
static void	synced(struct termijnd *, uint64_t);
static struct waiting *wait_flush(size_t);
static int	commit_hold(struct req *);
static void	apply_cb(struct engine_write *);
static void	answer(struct req *, int);
static void	answer_stored(struct req *);
static void	key_hidden(struct req *);
static enum write_verdict write_verdict(int);

/*
 * A handler validates its request, then queues it here; the first write of
 * a loop turn activates commit_cb, which libevent runs after the callbacks
 * already active in that turn, so every write that arrived meanwhile goes
 * to the engine's group commit (engine_batch_write) as one batch, in one
 * transaction with one fsync.  Nothing is answered before it committed.
 *
 * The batch is bounded by what one loop turn delivers (evhttp reads at most
 * one request per connection before answering it), so a burst cannot make
 * one transaction grow without limit.
 *
 * The flush to disk is not the loop's to wait for: a batch commits without
 * it, and its answers wait here until durable.c's thread has flushed past
 * it (synced), while the loop reads and commits the next batches.  Where
 * that cannot be set up, each COMMIT flushes as before.
 */
void
commit_init(struct termijnd *d, void (*committed)(struct termijnd *))
{
	TAILQ_INIT(&d->d_pending);
	d->d_committed = committed;
	d->d_hold = commit_hold;
	if ((d->d_commit_ev = event_new(d->d_base, -1, 0, commit_cb, d)) ==
	    NULL)
		fatalx("event_new failed");
	if (engine_defer_durable(d->d_engine, 1) != STORE_OK)
		log_warnx("commits flush to disk in the event loop: the"
		    " database cannot defer it");
	else if (durable_start(d, synced) == -1)
		(void)engine_defer_durable(d->d_engine, 0);
}

/*
 * Stopping: what is queued commits, every batch is flushed and answered
 * here and now, and what follows (the last chores) flushes itself.
 */
void
commit_stop(struct termijnd *d)
{
	commit_flush(d);
	durable_stop();
	(void)engine_defer_durable(d->d_engine, 0);
}

void
commit_free(struct termijnd *d)
{
	commit_stop(d);
	if (d->d_commit_ev != NULL)
		event_free(d->d_commit_ev);
	d->d_commit_ev = NULL;
}

void
commit_enqueue(struct termijnd *d, struct req *rq)
{
	struct engine_write	*ew = &rq->rq_write;

	memset(ew, 0, sizeof(*ew));
	ew->ew_token = rq->rq_token.tk_id;
	ew->ew_idem_key = rq->rq_idem_key;
	ew->ew_reqhash = rq->rq_reqhash;
	ew->ew_apply = apply_cb;
	snprintf(ew->ew_lang, sizeof(ew->ew_lang), "%s",
	    i18n_lang_name(rq->rq_lang));
	if (TAILQ_EMPTY(&d->d_pending))
		event_active(d->d_commit_ev, EV_TIMEOUT, 0);
	TAILQ_INSERT_TAIL(&d->d_pending, rq, rq_entry);
}

static void
commit_cb(evutil_socket_t fd, short ev, void *arg)
{
	commit_flush(arg);
}

/* The engine applies a write: the handler's apply, its answer kept. */
static void
apply_cb(struct engine_write *ew)
{
	struct req	*rq = (struct req *)((char *)ew -
			    offsetof(struct req, rq_write));

	/* A write may be applied twice; the first answer is forgotten. */
	free(rq->rq_answer);
	rq->rq_answer = NULL;
	free(rq->rq_location);
	rq->rq_location = NULL;
	rq->rq_ctype = NULL;
	rq->rq_filename = NULL;
	free(rq->rq_link);
	rq->rq_link = NULL;
	rq->rq_status = 0;
	rq->rq_clean = 0;
	rq->rq_case = 0;
	rq->rq_capped = 0;
	i18n_use(rq->rq_lang);
	rq->rq_apply(rq);
	ew->ew_code = rq->rq_status;
	ew->ew_verdict = write_verdict(rq->rq_status);
	ew->ew_clean = rq->rq_clean;
	ew->ew_case = rq->rq_case;
	free(ew->ew_answer);
	ew->ew_answer = rq->rq_answer ? xstrdup(rq->rq_answer) : NULL;
}

/*
 * What the engine is told of a write's answer: the engine knows no HTTP.
 * 500 is the store failing under a handler, 503 the store being full;
 * any other status of 400 and above is a refusal.
 */
static enum write_verdict
write_verdict(int status)
{
	if (status < 400)
		return WRITE_DONE;
	if (status == 500)
		return WRITE_STORE_FAILED;
	if (status == 503)
		return WRITE_STORE_FULL;
	return WRITE_REFUSED;
}

int
commit_flush(struct termijnd *d)
{
	struct engine_write	**ws;
	struct write_result	  wr;
	struct reqq		  batch;
	struct req		 *rq;
	struct waiting		 *w;
	size_t			  n = 0;
	enum store_status	  rc;

	if (TAILQ_EMPTY(&d->d_pending))
		return 0;
	TAILQ_INIT(&batch);
	TAILQ_CONCAT(&batch, &d->d_pending, rq_entry);
	TAILQ_FOREACH(rq, &batch, rq_entry)
		n++;
	ws = xreallocarray(NULL, n, sizeof(*ws));
	n = 0;
	TAILQ_FOREACH(rq, &batch, rq_entry)
		ws[n++] = &rq->rq_write;

	rc = engine_batch_write(d->d_engine, ws, n, clock_now(), &wr);
	free(ws);
	if (rc == STORE_OK) {
		d->d_metrics.m_commits++;
		d->d_metrics.m_writes += wr.wr_applied;
		if (wr.wr_applied > d->d_metrics.m_batch_max)
			d->d_metrics.m_batch_max = wr.wr_applied;
		hist_observe(&d->d_metrics.m_batch, (double)wr.wr_applied);
	} else
		d->d_metrics.m_commit_failures++;
	metrics_write_outcome(d, rc);
	if (rc == STORE_OK && wr.wr_deferred) {
		w = wait_flush(wr.wr_records);
		TAILQ_CONCAT(&w->wt_reqs, &batch, rq_entry);
		return 1;
	}
	while ((rq = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, rq, rq_entry);
		rq->rq_released = 1;
		answer(rq, rc == STORE_OK);
	}
	if (rc == STORE_OK && d->d_committed != NULL)
		d->d_committed(d);
	return rc == STORE_OK;
}

/* A batch committed without its flush: it waits for durable.c's. */
static struct waiting *
wait_flush(size_t records)
{
	struct waiting	*w;

	w = xcalloc(1, sizeof(*w));
	w->wt_records = records;
	TAILQ_INIT(&w->wt_reqs);
	TAILQ_INIT(&w->wt_after);
	w->wt_seq = durable_ask();
	TAILQ_INSERT_TAIL(&waiting, w, wt_entry);
	return w;
}

/*
 * The scheduler's batch of firings committed without its flush: its log
 * lines wait for it, as a group commit's do.  (The notifier flushes before
 * it reads what the batch queued.)
 */
void
commit_fired_later(struct termijnd *d, size_t records)
{
	(void)d;
	(void)wait_flush(records);
}

/*
 * The batches numbered up to done are on disk: their log lines go out,
 * their writes are answered, the notifier and the scheduler hear of them.
 */
static void
synced(struct termijnd *d, uint64_t done)
{
	struct waiting	*w;
	struct req	*rq;
	int		 n = 0;

	while ((w = TAILQ_FIRST(&waiting)) != NULL && w->wt_seq <= done) {
		TAILQ_REMOVE(&waiting, w, wt_entry);
		engine_durable(d->d_engine, w->wt_records);
		if (!TAILQ_EMPTY(&w->wt_reqs))
			n++;		/* an API batch, not the scheduler's */
		while ((rq = TAILQ_FIRST(&w->wt_reqs)) != NULL) {
			TAILQ_REMOVE(&w->wt_reqs, rq, rq_entry);
			rq->rq_released = 1;
			answer(rq, 1);
		}
		while ((rq = TAILQ_FIRST(&w->wt_after)) != NULL) {
			TAILQ_REMOVE(&w->wt_after, rq, rq_entry);
			rq->rq_released = 1;
			http_answer(rq);
		}
		free(w);
	}
	if (n > 0) {
		d->d_metrics.m_flushes++;
		d->d_metrics.m_flushed += n;
	}
	if (n > 0 && d->d_committed != NULL)
		d->d_committed(d);
}

/*
 * An answer made outside the commit queue (a list of teams, the outbox)
 * may show what a batch committed that is not on disk yet: it waits for
 * the last such batch.  Returns 1 when it was held.  answer.c asks through
 * d_hold, since it is below this file.
 */
static int
commit_hold(struct req *rq)
{
	struct waiting	*w;

	if ((w = TAILQ_LAST(&waiting, waitingq)) == NULL)
		return 0;
	TAILQ_INSERT_TAIL(&w->wt_after, rq, rq_entry);
	return 1;
}

/*
 * The notifier is about to hand what it reads to other systems, which
 * must never hear of a change a crash could take back: what is committed
 * goes to disk now, in the loop, and its answers go too.
 */
void
commit_durable_now(struct termijnd *d)
{
	struct waiting		*w;
	enum store_status	 rc;

	if ((w = TAILQ_LAST(&waiting, waitingq)) == NULL)
		return;
	if ((rc = store_sync(d->d_store)) != STORE_OK)
		fatalx("flushing the write-ahead log to disk failed (%s): what"
		    " was not answered may not have been kept",
		    store_status_name(rc));
	synced(d, w->wt_seq);
}

/* Answer a write as the batch left it. */
static void
answer(struct req *rq, int committed)
{
	struct engine_write	*ew = &rq->rq_write;

	i18n_use(rq->rq_lang);
	switch (ew->ew_outcome) {
	case WRITE_REPLAYED:
		answer_stored(rq);
		break;
	case WRITE_KEY_REUSED:
		req_problem(rq, 422, _("this Idempotency-Key was used before"
		    " for a different request"), NULL);
		break;
	case WRITE_KEY_HIDDEN:
		key_hidden(rq);
		break;
	case WRITE_APPLIED:
		/* The answer the handler gave, if it gave one. */
		if (committed && (rq->rq_status < 500 || rq->rq_answer != NULL))
			break;
		/* FALLTHROUGH */
	case WRITE_FULL:
	case WRITE_FAILED:
		/* A read's row in the read log was not kept: nothing was read. */
		if (ew->ew_outcome != WRITE_APPLIED && (rq->rq_head ||
		    evhttp_request_get_command(rq->rq_http) == EVHTTP_REQ_GET))
			req_unlogged(rq, ew->ew_outcome == WRITE_FULL);
		else if (ew->ew_verdict == WRITE_STORE_FAILED ||
		    ew->ew_outcome == WRITE_FAILED)
			req_failf(rq, 500, N_("the database failed; nothing was"
			    " changed, see the log"));
		else
			req_failf(rq, 503, N_("the database cannot take writes"
			    " now (is the disk full?); nothing was changed,"
			    " try again"));
		free(rq->rq_location);
		rq->rq_location = NULL;
		break;
	}
	free(ew->ew_answer);
	ew->ew_answer = NULL;
	if (committed && rq->rq_committed != NULL && rq->rq_status < 400 &&
	    rq->rq_answer != NULL && (ew->ew_outcome == WRITE_APPLIED ||
	    ew->ew_outcome == WRITE_REPLAYED))
		rq->rq_committed(rq);
	http_answer(rq);
}

/*
 * A retry with a known Idempotency-Key gets the first answer again, in the
 * language it was given in, whatever this one asks for.
 */
static void
answer_stored(struct req *rq)
{
	struct engine_write	*ew = &rq->rq_write;
	json_t			*o;
	int			 lang;

	rq->rq_lang = (lang = i18n_parse(ew->ew_lang)) != -1 ? lang : I18N_EN;
	i18n_use(rq->rq_lang);
	rq->rq_status = ew->ew_code;
	free(rq->rq_answer);
	rq->rq_answer = ew->ew_answer;
	ew->ew_answer = NULL;
	free(rq->rq_location);
	rq->rq_location = NULL;
	/* A registration's retry gets its Location again. */
	if (rq->rq_status == 201 && rq->rq_answer != NULL &&
	    (o = json_loads(rq->rq_answer, 0, NULL)) != NULL) {
		if (json_is_integer(json_object_get(o, "id")))
			xasprintf(&rq->rq_location, "/v1/cases/%lld", (long long)
			    json_integer_value(json_object_get(o, "id")));
		json_decref(o);
	}
}

/*
 * A key whose first answer was about a case the token no longer sees (a
 * team's part in it ended): that answer is not given again, and the key
 * stays used, so no other request may take it over.  The log says why
 * without the key, which the client chose and may hold anything.
 */
static void
key_hidden(struct req *rq)
{
	char	detail[512];

	snprintf(detail, sizeof(detail), _("Idempotency-Key \"%s\" was used"
	    " before by this token, for a request about a case it no longer"
	    " sees: that answer is not given again, and the key is used; send"
	    " a new request with a new key"), rq->rq_idem_key);
	req_problem(rq, 422, detail, NULL);
	log_info("request %s: token %s sent an Idempotency-Key it used before"
	    " for a case it no longer sees; refused (422)", rq->rq_reqid,
	    rq->rq_actor.ac_name);
}
