/* termijn: the SQLite store: the WAL's upkeep: checkpoints, truncation, scrubbing. */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "termijn/clock.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

static void	*sq_checkpointer(void *);
static void	 sq_tick(struct sqlite_store *, int *);
static void	 sq_scrub_tried(struct sqlite_store *, int, uint64_t, int64_t);
static int	 sq_truncate(sqlite3 *, int);
static int64_t	 sq_wal_bytes(const struct sqlite_store *);
static void	 sq_deadline(struct timespec *, int64_t);

/*
 * The WAL's upkeep, on a thread of its own with a connection of its own
 * (see SQ_AUTOCHECKPOINT for why not on the event loop).
 *
 * Every second a passive checkpoint copies what it can of the WAL back
 * into the database; it never waits for a reader or the writer.  SQLite
 * starts writing the WAL from its beginning again once all of it was
 * copied, but never makes the file smaller by itself: a burst (a catch-up,
 * a reader holding an old snapshot under load) left it at tens of
 * megabytes for good.  So the thread truncates a WAL larger than
 * SQ_WAL_LIMIT, once all of it is copied back, when the writes of now need
 * far less of it: none were added for a whole second (and nobody starts
 * it again), or since the writer started it again they fill under a
 * quarter of it.  Not under full load, when a second's writes fill most
 * of a WAL of tens of megabytes: cut back every second, it would grow
 * again every second, and a WAL that grows costs the file system a
 * metadata write with each commit's fsync.  There journal_size_limit
 * only keeps SQLite from leaving it larger than SQ_WAL_MAX (a reader held
 * it back past the automatic checkpoint's bound) when it starts again.
 *
 * A scrub (after a destruction has committed, store_scrub) is a TRUNCATE
 * checkpoint: every frame copied back, whereupon the secure_delete zeroes
 * are in the database file, and the WAL cut to nothing, whereupon no old
 * version of a destroyed row is in any file.  It cannot finish while a
 * reader holds a snapshot older than the destruction (a backup, an
 * offline termijnctl, the counting thread of /metrics): that reader may
 * still need the old pages, in the WAL and in the database file alike.
 * So the thread tries again, first after SQ_SCRUB_FIRST_MS and then twice
 * as long each time up to SQ_SCRUB_MAX_MS, which is how long after the
 * last such reader ends the bytes are gone at most; and it gives up when
 * the caller's scrub_timeout has passed (a reader that never ends must
 * not be polled for ever), logs so, and leaves the scrub pending for the
 * next one to ask (the next retention run or sweep).
 *
 * No try waits for anybody: with a busy timeout the TRUNCATE would hold
 * the write lock while it waited for readers, and the event loop's writer
 * would wait behind it.  The writer waits only while frames are copied;
 * and only those the last passive checkpoint left, a second's worth.
 */
enum store_status
sq_upkeep_start(struct store *st, double scrub_timeout, char *err,
    size_t errlen)
{
	struct sqlite_store	*sq = SQ(st);
	sqlite3_stmt		*s = NULL;
	int			 lock = 0, wake = 0, tried = 0;

	if (sq->sq_ck_running)
		return STORE_OK;
	sq->sq_ck_timeout = (int64_t)(scrub_timeout * 1000);
	xasprintf(&sq->sq_wal_path, "%s-wal", sq->sq_path);
	if (sqlite3_open_v2(sq->sq_path, &sq->sq_ck_db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", sq->sq_path, sq->sq_ck_db ?
		    sqlite3_errmsg(sq->sq_ck_db) : "out of memory");
		goto fail;
	}
	if (sqlite3_exec(sq->sq_ck_db, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_exec(sq->sq_ck_db, "PRAGMA journal_size_limit = "
	    SQ_WAL_MAX_TEXT, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq->sq_ck_db, "PRAGMA page_size", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		snprintf(err, errlen, "%s: %s", sq->sq_path,
		    sqlite3_errmsg(sq->sq_ck_db));
		goto fail;
	}
	sq->sq_ck_page = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	sq->sq_ck_stop = 0;
	if (pthread_mutex_init(&sq->sq_ck_lock, NULL) != 0)
		goto nothread;
	lock = 1;
	if (pthread_cond_init(&sq->sq_ck_cond, NULL) != 0)
		goto nothread;
	wake = 1;
	if (pthread_cond_init(&sq->sq_sc_cond, NULL) != 0)
		goto nothread;
	tried = 1;
	if (pthread_create(&sq->sq_ck_thread, NULL, sq_checkpointer, sq) != 0)
		goto nothread;
	sq->sq_ck_running = 1;
	return STORE_OK;
nothread:
	snprintf(err, errlen, "cannot start the checkpointer thread");
fail:
	sqlite3_finalize(s);
	if (tried)
		pthread_cond_destroy(&sq->sq_sc_cond);
	if (wake)
		pthread_cond_destroy(&sq->sq_ck_cond);
	if (lock)
		pthread_mutex_destroy(&sq->sq_ck_lock);
	sqlite3_close(sq->sq_ck_db);
	sq->sq_ck_db = NULL;
	free(sq->sq_wal_path);
	sq->sq_wal_path = NULL;
	return STORE_FAILED;
}

void
sq_upkeep_stop(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);

	if (!sq->sq_ck_running)
		return;
	pthread_mutex_lock(&sq->sq_ck_lock);
	sq->sq_ck_stop = 1;
	pthread_cond_signal(&sq->sq_ck_cond);
	pthread_mutex_unlock(&sq->sq_ck_lock);
	pthread_join(sq->sq_ck_thread, NULL);
	pthread_cond_destroy(&sq->sq_sc_cond);
	pthread_cond_destroy(&sq->sq_ck_cond);
	pthread_mutex_destroy(&sq->sq_ck_lock);
	sqlite3_close(sq->sq_ck_db);
	sq->sq_ck_db = NULL;
	free(sq->sq_wal_path);
	sq->sq_wal_path = NULL;
	sq->sq_ck_running = 0;
}

void
sq_upkeep_stats(struct store *st, struct upkeep_stats *us)
{
	struct sqlite_store	*sq = SQ(st);

	memset(us, 0, sizeof(*us));
	if (sq->sq_ck_running)
		pthread_mutex_lock(&sq->sq_ck_lock);
	us->us_scrub_pending = sq->sq_sc_pending;
	us->us_scrub_retries = sq->sq_sc_retries;
	us->us_scrub_given_up = sq->sq_sc_given_up;
	us->us_log_truncations = sq->sq_wal_truncations;
	if (sq->sq_ck_running)
		pthread_mutex_unlock(&sq->sq_ck_lock);
	us->us_log_bytes = sq_wal_bytes(sq);
}

/*
 * Ask for a scrub and wait for the thread's first try of it, at most
 * SQ_SCRUB_WAIT_MS: STORE_OK when the bytes are gone.  Without the upkeep
 * (termijnctl, tests) it is tried once, here.
 */
enum store_status
sq_scrub(struct store *st)
{
	struct sqlite_store	*sq = SQ(st);
	struct timespec		 ts;
	enum store_status	 rc;
	uint64_t		 asked;
	int			 done;

	if (!sq->sq_ck_running) {
		done = sq_truncate(sq->sq_db, SQ_BUSY_MS);
		sq->sq_sc_pending = !done;
		return done ? STORE_OK : STORE_BUSY;
	}
	pthread_mutex_lock(&sq->sq_ck_lock);
	/* One still being tried goes on, as it was: this one joins it. */
	if (!sq->sq_sc_trying) {
		sq->sq_sc_since = clock_monotonic();
		sq->sq_sc_delay = SQ_SCRUB_FIRST_MS;
		sq->sq_sc_busy = 0;
	}
	asked = ++sq->sq_sc_asked;
	sq->sq_sc_pending = 1;
	sq->sq_sc_trying = 1;
	pthread_cond_signal(&sq->sq_ck_cond);
	sq_deadline(&ts, SQ_SCRUB_WAIT_MS);
	while (sq->sq_sc_tried < asked)
		if (pthread_cond_timedwait(&sq->sq_sc_cond, &sq->sq_ck_lock,
		    &ts) == ETIMEDOUT)
			break;
	rc = sq->sq_sc_pending ? STORE_BUSY : STORE_OK;
	pthread_mutex_unlock(&sq->sq_ck_lock);
	return rc;
}

static void *
sq_checkpointer(void *arg)
{
	struct sqlite_store	*sq = arg;
	struct timespec		 ts;
	int64_t			 now, tick, wake;
	uint64_t		 asked;
	int			 frames = -1, scrub, done;

	tick = clock_monotonic() + SQ_CHECKPOINT_MS;
	pthread_mutex_lock(&sq->sq_ck_lock);
	while (!sq->sq_ck_stop) {
		now = clock_monotonic();
		scrub = sq->sq_sc_trying && (sq->sq_sc_tried < sq->sq_sc_asked ||
		    now >= sq->sq_sc_next);
		if (!scrub && now < tick) {
			wake = tick;
			if (sq->sq_sc_trying && sq->sq_sc_next < wake)
				wake = sq->sq_sc_next;
			sq_deadline(&ts, wake - now);
			pthread_cond_timedwait(&sq->sq_ck_cond, &sq->sq_ck_lock,
			    &ts);
			continue;
		}
		asked = sq->sq_sc_asked;
		pthread_mutex_unlock(&sq->sq_ck_lock);
		if (scrub)
			done = sq_truncate(sq->sq_ck_db, 0);
		else {
			sq_tick(sq, &frames);
			tick = clock_monotonic() + SQ_CHECKPOINT_MS;
		}
		pthread_mutex_lock(&sq->sq_ck_lock);
		if (scrub)
			sq_scrub_tried(sq, done, asked, clock_monotonic());
	}
	pthread_mutex_unlock(&sq->sq_ck_lock);
	return NULL;
}

/*
 * The second's checkpoint, and the WAL truncated if it is far larger than
 * now needed (see above).  frames: the frames it held at the last tick.
 */
static void
sq_tick(struct sqlite_store *sq, int *frames)
{
	int64_t	bytes, used;
	int	log, done, rc, idle;

	rc = sqlite3_wal_checkpoint_v2(sq->sq_ck_db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	if (rc != SQLITE_OK) {
		if (rc != SQLITE_BUSY)
			log_warnx("sqlite: checkpointing the WAL: %s",
			    sqlite3_errmsg(sq->sq_ck_db));
		return;
	}
	idle = log == *frames;
	*frames = log;
	/* A WAL's header is 32 bytes, each frame's 24. */
	used = 32 + (int64_t)log * (sq->sq_ck_page + 24);
	if (log != done || (bytes = sq_wal_bytes(sq)) <= SQ_WAL_LIMIT ||
	    (!idle && used >= bytes / 4))
		return;
	if (sq_truncate(sq->sq_ck_db, 0)) {
		*frames = 0;
		pthread_mutex_lock(&sq->sq_ck_lock);
		sq->sq_wal_truncations++;
		pthread_mutex_unlock(&sq->sq_ck_lock);
	}
}

/*
 * A scrub was tried (done: with success), for the scrubs asked up to
 * asked; under sq_ck_lock.  Wakes the one who asked.
 */
static void
sq_scrub_tried(struct sqlite_store *sq, int done, uint64_t asked, int64_t now)
{
	int64_t	took = now - sq->sq_sc_since;

	if (asked > sq->sq_sc_tried)
		sq->sq_sc_tried = asked;
	if (done) {
		/* Unless a destruction committed after the try began. */
		if (asked == sq->sq_sc_asked) {
			sq->sq_sc_pending = 0;
			sq->sq_sc_trying = 0;
			if (sq->sq_sc_busy)
				log_info("scrub: the bytes of destroyed cases"
				    " are gone from the database's files, %.1f"
				    " s after they were destroyed (a reader held"
				    " an older snapshot until then)",
				    (double)took / 1000);
			sq->sq_sc_busy = 0;
		}
	} else {
		if (!sq->sq_sc_busy)
			log_info("scrub: a reader holds a snapshot older than the"
			    " destruction of cases, so their bytes stay in the"
			    " database's files until it ends; trying again for"
			    " up to %.1f s", (double)sq->sq_ck_timeout / 1000);
		sq->sq_sc_retries++;
		sq->sq_sc_busy = 1;
		if (took >= sq->sq_ck_timeout) {
			sq->sq_sc_trying = 0;
			sq->sq_sc_given_up++;
			log_warnx("scrub: gave up removing the bytes of destroyed"
			    " cases from the database's files after %.1f s: a"
			    " reader still holds an older snapshot (a backup,"
			    " an offline termijnctl?); the next retention run"
			    " tries again", (double)took / 1000);
		} else {
			sq->sq_sc_next = now + sq->sq_sc_delay;
			sq->sq_sc_delay *= 2;
			if (sq->sq_sc_delay > SQ_SCRUB_MAX_MS)
				sq->sq_sc_delay = SQ_SCRUB_MAX_MS;
		}
	}
	pthread_cond_broadcast(&sq->sq_sc_cond);
}

/*
 * A TRUNCATE checkpoint that waits for nobody (see above): 1 when all of
 * the WAL was copied back and the file truncated, 0 when a reader or the
 * writer was in the way or it failed (logged).  busy_ms is the busy
 * timeout the connection gets back after.
 */
static int
sq_truncate(sqlite3 *db, int busy_ms)
{
	int	log, done, rc;

	sqlite3_busy_timeout(db, 0);
	rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    &log, &done);
	sqlite3_busy_timeout(db, busy_ms);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_warnx("sqlite: truncating the WAL: %s", sqlite3_errmsg(db));
	return rc == SQLITE_OK;
}

/* The size of the WAL file: 0 when there is none. */
static int64_t
sq_wal_bytes(const struct sqlite_store *sq)
{
	struct stat	 sb;
	char		*path;
	int64_t		 n = 0;

	if (sq->sq_wal_path != NULL) {
		if (stat(sq->sq_wal_path, &sb) == 0)
			n = (int64_t)sb.st_size;
		return n;
	}
	xasprintf(&path, "%s-wal", sq->sq_path);
	if (stat(path, &sb) == 0)
		n = (int64_t)sb.st_size;
	free(path);
	return n;
}

/*
 * The moment ms from now, for pthread_cond_timedwait: on the wall clock,
 * the condition variables' default, since libfaketime (which the tests
 * move the wall clock with) cannot wait on a monotonic one.  Every wait is
 * measured afresh from now, so a clock that jumps stretches one wait at
 * most, and the durations themselves come from clock_monotonic.
 */
static void
sq_deadline(struct timespec *ts, int64_t ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}
