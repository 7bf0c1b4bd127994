/* termijn: group commit of the writes that arrive in one loop turn. */

#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"

#include "termijnd.h"

static void	commit_cb(evutil_socket_t, short, void *);
static int	apply_one(struct termijnd *, struct req *, int);
static void	answer_forget(struct req *);
static void	answer_stored(struct req *, const char *, int, char *);

/*
 * Group commit.  A handler validates its request, then queues it here; the
 * first write of a loop turn activates commit_cb, which libevent runs after
 * the callbacks already active in that turn, so every write that arrived
 * meanwhile shares one transaction and one fsync.  Nothing is answered
 * before COMMIT returned; if COMMIT fails, every write of the batch is
 * answered 503 and nothing of it is kept.
 *
 * A write refused by the engine (409, 404) must roll back alone.  Giving
 * every write a savepoint costs a copy of each page it touches, so the
 * batch is first applied without them; only when a write is refused is
 * the whole transaction rolled back and the batch applied again, each
 * write in a savepoint of its own.  Refusals are the exception, so most
 * batches pay nothing for them.
 *
 * The batch is bounded by what one loop turn delivers (evhttp reads at most
 * one request per connection before answering it), so a burst cannot make
 * one transaction grow without limit.
 */
void
commit_init(struct termijnd *d)
{
	TAILQ_INIT(&d->d_pending);
	if ((d->d_commit_ev = event_new(d->d_base, -1, 0, commit_cb, d)) ==
	    NULL)
		fatalx("event_new failed");
}

void
commit_free(struct termijnd *d)
{
	commit_flush(d);
	if (d->d_commit_ev != NULL)
		event_free(d->d_commit_ev);
	d->d_commit_ev = NULL;
}

void
commit_enqueue(struct termijnd *d, struct req *rq)
{
	if (TAILQ_EMPTY(&d->d_pending))
		event_active(d->d_commit_ev, EV_TIMEOUT, 0);
	TAILQ_INSERT_TAIL(&d->d_pending, rq, rq_entry);
}

static void
commit_cb(evutil_socket_t fd, short ev, void *arg)
{
	commit_flush(arg);
}

/* A retry with a known Idempotency-Key gets the first answer again. */
static void
answer_stored(struct req *rq, const char *reqhash, int status, char *body)
{
	if (strcmp(reqhash, rq->rq_reqhash) != 0) {
		free(body);
		req_problem(rq, 422, "this Idempotency-Key was used before for"
		    " a different request", NULL);
		return;
	}
	rq->rq_status = status;
	free(rq->rq_answer);
	rq->rq_answer = body;
	/* A registration's retry gets its Location again. */
	if (status == 201) {
		json_t	*o = json_loads(body, 0, NULL);

		if (o != NULL && json_is_integer(json_object_get(o, "id"))) {
			free(rq->rq_location);
			xasprintf(&rq->rq_location, "/v1/cases/%lld", (long long)
			    json_integer_value(json_object_get(o, "id")));
		}
		json_decref(o);
	}
}

/*
 * Apply one write.  Guarded, it runs in a savepoint that a refusal rolls
 * back.  Unguarded, a refusal returns -1: the caller must roll back the
 * transaction and apply the batch again, guarded.  -2: the transaction is
 * gone (SQLite rolled it back, e.g. on a full disk); the batch fails.
 */
static int
apply_one(struct termijnd *d, struct req *rq, int guarded)
{
	struct engine	*en = &d->d_engine;
	char		 reqhash[HASH_SHA256_HEX_LEN], *body;
	size_t		 mark;
	int		 status, rc;

	if (rq->rq_idem_key != NULL) {
		rc = store_idem_get(d->d_store, rq->rq_token.tk_id,
		    rq->rq_idem_key, reqhash, &status, &body);
		if (rc == 0) {
			answer_stored(rq, reqhash, status, body);
			return 0;
		}
		if (rc < 0) {
			rq->rq_status = rc == -STORE_EFULL ? 503 : 500;
			return guarded ? 0 : -1;
		}
	}
	mark = engine_log_mark(en);
	if (guarded && (rc = store_savepoint(d->d_store)) != 0) {
		rq->rq_status = rc == -STORE_EFULL ? 503 : 500;
		return 0;
	}
	rq->rq_apply(rq);
	if (rq->rq_status < 400 && rq->rq_idem_key != NULL &&
	    (rc = store_idem_put(d->d_store, rq->rq_token.tk_id,
	    rq->rq_idem_key, rq->rq_reqhash, rq->rq_status, rq->rq_answer,
	    clock_now())) != 0)
		rq->rq_status = rc == -STORE_EFULL ? 503 : 500;
	/* SQLite rolls the whole transaction back on some errors. */
	if (!store_in_transaction(d->d_store))
		return -2;
	if (!guarded)
		return rq->rq_status >= 400 ? -1 : 0;
	if (rq->rq_status >= 400) {
		store_rollback_savepoint(d->d_store);
		engine_log_cut(en, mark);
	} else if ((rc = store_release(d->d_store)) != 0) {
		rq->rq_status = rc == -STORE_EFULL ? 503 : 500;
		store_rollback_savepoint(d->d_store);
		engine_log_cut(en, mark);
	}
	if (!store_in_transaction(d->d_store))
		return -2;
	return 0;
}

/* Forget an answer given in a transaction that was rolled back. */
static void
answer_forget(struct req *rq)
{
	rq->rq_status = 0;
	free(rq->rq_answer);
	rq->rq_answer = NULL;
	free(rq->rq_location);
	rq->rq_location = NULL;
	rq->rq_ctype = NULL;
}

void
commit_flush(struct termijnd *d)
{
	struct reqq	 batch;
	struct req	*rq;
	uint64_t	 n;
	int		 failed = 0, rc;

	if (TAILQ_EMPTY(&d->d_pending))
		return;
	TAILQ_INIT(&batch);
	TAILQ_CONCAT(&batch, &d->d_pending, rq_entry);

	if ((rc = store_begin(d->d_store)) != 0)
		failed = rc == -STORE_EFULL ? 503 : 500;
	else {
		TAILQ_FOREACH(rq, &batch, rq_entry)
			if ((rc = apply_one(d, rq, 0)) != 0)
				break;
		if (rq != NULL && rc == -1) {
			/* A write was refused: again, each in a savepoint. */
			store_rollback(d->d_store);
			engine_log_cut(&d->d_engine, 0);
			TAILQ_FOREACH(rq, &batch, rq_entry)
				answer_forget(rq);
			if ((rc = store_begin(d->d_store)) != 0)
				failed = rc == -STORE_EFULL ? 503 : 500;
			else
				TAILQ_FOREACH(rq, &batch, rq_entry)
					if ((rc = apply_one(d, rq, 1)) != 0)
						break;
		}
		if (rq != NULL && rc == -2) {
			/* The transaction is gone: nothing of the batch stays. */
			store_rollback(d->d_store);
			failed = rq->rq_status == 500 ? 500 : 503;
		}
		if (!failed && (rc = store_commit(d->d_store)) != 0) {
			store_rollback(d->d_store);
			failed = rc == -STORE_EFULL ? 503 : 500;
		}
	}
	if (failed) {
		engine_log_cut(&d->d_engine, 0);
		d->d_metrics.m_commit_failures++;
	} else {
		engine_log_flush(&d->d_engine);
		d->d_metrics.m_commits++;
		n = 0;
		TAILQ_FOREACH(rq, &batch, rq_entry)
			if (rq->rq_status < 400)
				n++;
		d->d_metrics.m_writes += n;
		if (n > d->d_metrics.m_batch_max)
			d->d_metrics.m_batch_max = n;
	}

	while ((rq = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, rq, rq_entry);
		if (failed)
			rq->rq_status = failed;
		if (rq->rq_status >= 500) {
			free(rq->rq_answer);
			rq->rq_answer = NULL;
			free(rq->rq_location);
			rq->rq_location = NULL;
		}
		if (!failed && rq->rq_answer != NULL)
			;	/* the answer the handler or the store gave */
		else if (rq->rq_status == 503)
			req_problem(rq, 503, "the database cannot take writes"
			    " now (is the disk full?); nothing was changed, try"
			    " again", NULL);
		else if (rq->rq_status == 500)
			req_problem(rq, 500, "the database failed; nothing was"
			    " changed, see the log", NULL);
		http_answer(rq);
	}
	if (!failed)
		scheduler_kick(d);
}
