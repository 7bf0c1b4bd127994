/* termijn: the engine's two transaction protocols: group commit and firing a batch. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/record.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "engine_private.h"

static enum store_status write_try(struct engine *, struct engine_write **,
		    size_t, int64_t);
static int	 write_one(struct engine *, struct engine_write *, int64_t,
		    int);
static enum store_status fire_try(struct engine *, int64_t, size_t,
		    struct fire_result *);
static void	 write_failed(struct engine_write *, enum store_status);
static int	 defer_begin(struct engine *);
static void	 defer_end(struct engine *, int);
static enum store_status set_aside(struct engine *, const struct rung_row *,
		    int64_t, struct engine_error *);

/*
 * How many times a batch that found the store busy is applied again,
 * whole, before it fails.  A busy store is another writer in the way:
 * SQLite has waited for its lock (SQ_BUSY_MS) before it says so, and
 * PostgreSQL's serialization failures mostly clear at the next try.  The
 * bound keeps a store that stays busy from holding the loop: the batch
 * then fails as any failed batch does, nothing of it kept, its writes
 * answered "try again".  Each retry is counted (es_busy_retries).
 */
#define BATCH_BUSY_RETRIES	3

/*
 * Group commit.  The writes that arrived in one turn of the caller's loop
 * share one transaction and one fsync; none is answered before COMMIT
 * returned, and if COMMIT fails, nothing of the batch is kept.
 *
 * A write refused by the engine (409, 404) must roll back alone.  Giving
 * every write a savepoint costs a copy of each page it touches, so the
 * batch is first applied without them; only when a write is refused is
 * the whole transaction rolled back and the batch applied again, each
 * write in a savepoint of its own.  Refusals are the exception, so most
 * batches pay nothing for them.
 *
 * A store busy with another writer loses the transaction (store.h); the
 * batch is then rolled back and applied again from the start, a few
 * times at most (BATCH_BUSY_RETRIES).  Each write's apply runs again then,
 * as it does after a refusal.
 *
 * A write with an Idempotency-Key that was answered before gets that
 * answer again and changes nothing; its answer is stored with it in the
 * same transaction, so that a retry after a crash finds it exactly when
 * the write itself was kept.
 */
enum store_status
engine_batch_write(struct engine *en, struct engine_write **ws, size_t n,
    int64_t now, struct write_result *wr)
{
	enum store_status	rc;
	size_t			i;
	int			tries, deferred;

	memset(wr, 0, sizeof(*wr));
	if (n == 0)
		return STORE_OK;
	deferred = defer_begin(en);
	for (tries = 0; (rc = write_try(en, ws, n, now)) == STORE_BUSY &&
	    tries < BATCH_BUSY_RETRIES; tries++) {
		en->en_busy_retries++;
		log_debug("%s: the store was busy; the batch of %zu again",
		    __func__, n);
	}
	defer_end(en, deferred);
	if (rc != STORE_OK) {
		for (i = 0; i < n; i++)
			write_failed(ws[i], rc);
		return rc;
	}
	/*
	 * Deferred (engine_defer_durable), the lines wait for the caller to
	 * say that the commit is on disk: syslog never tells of a transition
	 * that a crash could still take back.
	 */
	wr->wr_records = record_mark(en->en_record);
	wr->wr_deferred = deferred;
	if (!deferred)
		record_flush(en->en_record);
	/*
	 * What a destruction deleted leaves the WAL too (engine_retention.c);
	 * when a reader holds it back, the store goes on trying by itself.
	 */
	if (en->en_scrub)
		(void)store_scrub(en->en_store);
	en->en_scrub = 0;
	for (i = 0; i < n; i++)
		if ((ws[i]->ew_outcome == WRITE_APPLIED ||
		    ws[i]->ew_outcome == WRITE_REPLAYED) &&
		    ws[i]->ew_verdict == WRITE_DONE)
			wr->wr_applied++;
	return STORE_OK;
}

/*
 * One try of a group commit: STORE_OK when it committed; else it was
 * rolled back, nothing of it is recorded, and STORE_BUSY says that
 * another writer was in the way.
 */
static enum store_status
write_try(struct engine *en, struct engine_write **ws, size_t n,
    int64_t now)
{
	enum store_status	rc;
	size_t			i, base = record_mark(en->en_record);
	int			refused = 0;

	if ((rc = store_begin(en->en_store)) != STORE_OK)
		goto fail;
	for (i = 0; i < n && !refused; i++)
		refused = write_one(en, ws[i], now, 0) != 0;
	if (refused) {
		/* Again, each write in a savepoint of its own. */
		store_rollback(en->en_store);
		record_cut(en->en_record, base);
		if ((rc = store_begin(en->en_store)) != STORE_OK)
			goto fail;
		for (i = 0; i < n; i++)
			if (write_one(en, ws[i], now, 1) == -1) {
				if (store_lost(en->en_store) == STORE_BUSY)
					rc = STORE_BUSY;
				else
					rc = ws[i]->ew_verdict ==
					    WRITE_STORE_FAILED ? STORE_FAILED :
					    STORE_FULL;
				store_rollback(en->en_store);
				goto fail;
			}
	}
	if ((rc = store_commit(en->en_store)) != STORE_OK) {
		store_rollback(en->en_store);
		goto fail;
	}
	return STORE_OK;
fail:
	record_cut(en->en_record, base);
	en->en_scrub = 0;
	return rc;
}

/*
 * Apply one write.  Unguarded, a refusal returns 1: the caller rolls the
 * transaction back and applies the batch again, guarded.  Guarded, the
 * write runs in a savepoint that a refusal rolls back, and -1 means that
 * the savepoint could not be rolled back: the transaction is lost.
 */
static int
write_one(struct engine *en, struct engine_write *ew, int64_t now,
    int guarded)
{
	char			 reqhash[HASH_SHA256_HEX_LEN], *body;
	char			 lang[STORE_LANG_LEN];
	size_t			 mark;
	int			 status;
	enum store_status	 rc;

	ew->ew_outcome = WRITE_APPLIED;
	free(ew->ew_answer);
	ew->ew_answer = NULL;
	ew->ew_verdict = WRITE_DONE;
	ew->ew_code = 0;
	ew->ew_case = 0;
	ew->ew_clean = 0;
	if (ew->ew_idem_key != NULL) {
		rc = store_idem_get(en->en_store, ew->ew_token, ew->ew_idem_key,
		    reqhash, &status, &body, lang);
		if (rc == STORE_OK) {
			if (strcmp(reqhash, ew->ew_reqhash) != 0) {
				free(body);
				ew->ew_outcome = WRITE_KEY_REUSED;
			} else {
				ew->ew_outcome = WRITE_REPLAYED;
				ew->ew_code = status;
				ew->ew_answer = body;
				memcpy(ew->ew_lang, lang, sizeof(ew->ew_lang));
			}
			return 0;
		}
		/*
		 * Its answer was about a case the token no longer sees: not
		 * given again, and the key is not free for another request.
		 */
		if (rc == STORE_EXISTS) {
			ew->ew_outcome = WRITE_KEY_HIDDEN;
			return 0;
		}
		if (rc != STORE_NOTFOUND) {
			write_failed(ew, rc);
			return guarded ? 0 : 1;
		}
	}
	mark = record_mark(en->en_record);
	if (guarded && (rc = store_savepoint(en->en_store)) != STORE_OK) {
		write_failed(ew, rc);
		return 0;
	}
	ew->ew_apply(ew);
	if (ew->ew_verdict == WRITE_DONE && ew->ew_idem_key != NULL &&
	    (rc = store_idem_put(en->en_store, ew->ew_token, ew->ew_idem_key,
	    ew->ew_reqhash, ew->ew_code, ew->ew_answer, ew->ew_lang,
	    ew->ew_case, now)) != STORE_OK)
		write_failed(ew, rc);
	/* A refusal that wrote nothing needs no rollback (a read, mostly). */
	if (ew->ew_clean && ew->ew_outcome == WRITE_APPLIED &&
	    ew->ew_verdict != WRITE_DONE) {
		if (!guarded)
			return 0;
		return store_release(en->en_store) == STORE_OK ? 0 : -1;
	}
	if (!guarded)
		return ew->ew_verdict != WRITE_DONE ||
		    ew->ew_outcome != WRITE_APPLIED;
	if (ew->ew_verdict == WRITE_DONE && ew->ew_outcome == WRITE_APPLIED) {
		if ((rc = store_release(en->en_store)) == STORE_OK)
			return 0;
		write_failed(ew, rc);
	}
	record_cut(en->en_record, mark);
	return store_rollback_savepoint(en->en_store) == STORE_OK ? 0 : -1;
}

/*
 * The database could not keep a write: say which way it failed.  Busy
 * with another writer is, to the client, as full: try again later.
 */
static void
write_failed(struct engine_write *ew, enum store_status rc)
{
	int	full = rc == STORE_FULL || rc == STORE_BUSY;

	ew->ew_outcome = full ? WRITE_FULL : WRITE_FAILED;
	ew->ew_verdict = full ? WRITE_STORE_FULL : WRITE_STORE_FAILED;
	free(ew->ew_answer);
	ew->ew_answer = NULL;
}

/* One write in a batch of its own (engine_write_one). */
struct one_write {
	struct engine_write	 ow_write;	/* first */
	struct engine		*ow_engine;
	int			(*ow_apply)(struct engine *, void *,
				    struct engine_error *);
	void			*ow_arg;
	struct engine_error	*ow_ee;
};

static void
one_apply(struct engine_write *ew)
{
	struct one_write	*ow = (struct one_write *)ew;

	ew->ew_verdict = ow->ow_apply(ow->ow_engine, ow->ow_arg, ow->ow_ee) ==
	    -1 ? WRITE_REFUSED : WRITE_DONE;
}

/*
 * A write that is not a client's request: the first admin token, an
 * offline command of termijnctl.  It goes through the same protocol, so
 * that its effects and log lines are those of any other write.
 */
int
engine_write_one(struct engine *en, int (*apply)(struct engine *, void *,
    struct engine_error *), void *arg, int64_t now, struct engine_error *ee)
{
	struct one_write	 ow;
	struct engine_write	*ew = &ow.ow_write;
	struct write_result	 wr;
	enum store_status	 rc;

	memset(&ow, 0, sizeof(ow));
	memset(ee, 0, sizeof(*ee));
	ew->ew_apply = one_apply;
	ow.ow_engine = en;
	ow.ow_apply = apply;
	ow.ow_arg = arg;
	ow.ow_ee = ee;
	rc = engine_batch_write(en, &ew, 1, now, &wr);
	free(ew->ew_answer);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("writing"));
	return ew->ew_verdict == WRITE_DONE ? 0 : -1;
}

/*
 * Fire a batch of due rungs in one transaction.  A rung that cannot fire
 * for anything but the store (its workflow no longer describes it) fails
 * the batch: it is rolled back, the rung is set aside in a transaction of
 * its own, and the caller fires again at once, without it.  A busy store
 * is tried again at once, whole, as a group commit is; a store that fails
 * otherwise is left for the caller to try again a little later.
 */
enum store_status
engine_batch_fire(struct engine *en, int64_t now, size_t max,
    struct fire_result *fr)
{
	enum store_status	rc;
	int			tries, deferred;

	deferred = defer_begin(en);
	for (tries = 0; (rc = fire_try(en, now, max, fr)) == STORE_BUSY &&
	    tries < BATCH_BUSY_RETRIES; tries++) {
		en->en_busy_retries++;
		log_debug("%s: the store was busy; firing again", __func__);
	}
	defer_end(en, deferred);
	/* Deferred, as a group commit's: the lines wait for the flush. */
	fr->fr_records = record_mark(en->en_record);
	fr->fr_deferred = deferred && rc == STORE_OK;
	if (rc == STORE_OK && !deferred)
		record_flush(en->en_record);
	return rc;
}

/*
 * A batch's commit deferred (engine_defer_durable) for this batch alone:
 * every other commit flushes in its COMMIT.
 */
static int
defer_begin(struct engine *en)
{
	return en->en_deferred && store_defer_sync(en->en_store, 1) ==
	    STORE_OK;
}

static void
defer_end(struct engine *en, int deferred)
{
	if (deferred && store_defer_sync(en->en_store, 0) != STORE_OK)
		fatalx("the database's commits cannot be made to flush to"
		    " disk again: %s", store_errmsg(en->en_store));
}

/* One try of engine_batch_fire. */
static enum store_status
fire_try(struct engine *en, int64_t now, size_t max, struct fire_result *fr)
{
	struct engine_error	ee;
	struct rung_row		failed;
	enum store_status	rc, lost;
	size_t			base = record_mark(en->en_record);

	memset(fr, 0, sizeof(*fr));
	fr->fr_due_min = INT64_MAX;
	if ((rc = store_begin(en->en_store)) != STORE_OK)
		return rc;
	if (engine_fire_due(en, now, max, fr, &failed, &ee) == -1) {
		lost = store_lost(en->en_store);
		store_rollback(en->en_store);
		record_cut(en->en_record, base);
		memset(fr, 0, sizeof(*fr));
		fr->fr_due_min = INT64_MAX;
		if (engine_error_is_store(&ee)) {
			log_warnx("firing deadlines: %s", ee.ee_log);
			if (lost == STORE_BUSY)
				return STORE_BUSY;
			return ee.ee_status == ENGINE_EFULL ? STORE_FULL :
			    STORE_FAILED;
		}
		if ((rc = set_aside(en, &failed, now, &ee)) != STORE_OK) {
			log_warnx("firing deadlines: %s", ee.ee_log);
			return rc;
		}
		fr->fr_again = 1;
		return STORE_OK;
	}
	if ((rc = store_commit(en->en_store)) != STORE_OK) {
		store_rollback(en->en_store);
		record_cut(en->en_record, base);
		return rc;
	}
	fr->fr_committed_at = clock_now();
	return STORE_OK;
}

/* A rung that cannot fire is set aside in a transaction of its own. */
static enum store_status
set_aside(struct engine *en, const struct rung_row *r, int64_t now,
    struct engine_error *ee)
{
	enum store_status	rc;

	if ((rc = store_begin(en->en_store)) != STORE_OK)
		return rc;
	if (engine_set_aside(en, r, now, ee) == -1) {
		store_rollback(en->en_store);
		return ee->ee_status == ENGINE_EFULL ? STORE_FULL :
		    STORE_FAILED;
	}
	if ((rc = store_commit(en->en_store)) != STORE_OK)
		store_rollback(en->en_store);
	return rc;
}

/* Whether the store can: it sets up its flush the first time. */
enum store_status
engine_defer_durable(struct engine *en, int on)
{
	enum store_status	rc;

	if (on && (rc = store_defer_sync(en->en_store, 1)) != STORE_OK)
		return rc;
	if ((rc = store_defer_sync(en->en_store, 0)) == STORE_OK)
		en->en_deferred = on;
	return rc;
}

/* The batches before mark are on disk: their log lines go out. */
void
engine_durable(struct engine *en, size_t mark)
{
	record_flush_to(en->en_record, mark);
}
