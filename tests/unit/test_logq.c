/* termijn: log lines handed to a thread, sent in order, none dropped. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "termijn/logq.h"
#include "termijn/util.h"

/*
 * A reader of the lines, as syslogd is: it keeps what it was sent and,
 * while its gate is shut, stands still with a batch in hand.
 */
static struct {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 shut;
	int		 entered;	/* batches it has begun to take */
	char		 got[64][32];	/* "pri when line" */
	size_t		 ngot;
	struct logq	*self;		/* to put from inside the sink */
	int		 self_put;
} rd = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, {{0}},
    0, NULL, 0 };

static void
reader(int pri, time_t when, const char *const *lines, size_t n, void *arg)
{
	const char	*again = "again";
	size_t		 i;

	assert_ptr_equal(arg, &rd);
	pthread_mutex_lock(&rd.lock);
	rd.entered++;
	pthread_cond_broadcast(&rd.cond);
	while (rd.shut)
		pthread_cond_wait(&rd.cond, &rd.lock);
	for (i = 0; i < n && rd.ngot < nitems(rd.got); i++)
		snprintf(rd.got[rd.ngot++], sizeof(rd.got[0]), "%d %lld %s",
		    pri, (long long)when, lines[i]);
	pthread_mutex_unlock(&rd.lock);
	if (rd.self != NULL)
		rd.self_put = logq_put(rd.self, pri, when, &again, 1);
}

static void
reader_reset(int shut)
{
	pthread_mutex_lock(&rd.lock);
	rd.shut = shut;
	rd.entered = 0;
	rd.ngot = 0;
	rd.self = NULL;
	rd.self_put = 0;
	pthread_mutex_unlock(&rd.lock);
}

static void
reader_open(void)
{
	pthread_mutex_lock(&rd.lock);
	rd.shut = 0;
	pthread_cond_broadcast(&rd.cond);
	pthread_mutex_unlock(&rd.lock);
}

/* Until the reader has begun to take n batches. */
static void
reader_entered(int n)
{
	pthread_mutex_lock(&rd.lock);
	while (rd.entered < n)
		pthread_cond_wait(&rd.cond, &rd.lock);
	pthread_mutex_unlock(&rd.lock);
}

static void
assert_got(const char *const *want, size_t n)
{
	size_t	i;

	pthread_mutex_lock(&rd.lock);
	assert_int_equal(rd.ngot, n);
	for (i = 0; i < n; i++)
		assert_string_equal(rd.got[i], want[i]);
	pthread_mutex_unlock(&rd.lock);
}

/* Batches in the order put, each with its priority and its moment. */
static void
test_order(void **state)
{
	static const char *const a[] = { "a1", "a2" }, *const b[] = { "b1" };
	static const char *const c[] = { "c1", "c2", "c3" };
	static const char *const want[] = {
		"6 100 a1", "6 100 a2", "4 101 b1", "6 102 c1", "6 102 c2",
		"6 102 c3",
	};
	struct logq	*q;
	size_t		 bytes;
	uint64_t	 waits;

	(void)state;
	reader_reset(0);
	assert_non_null(q = logq_new(1 << 20, reader, &rd));
	assert_int_equal(logq_put(q, LOG_INFO, 100, a, 2), 0);
	assert_int_equal(logq_put(q, LOG_WARNING, 101, b, 1), 0);
	assert_int_equal(logq_put(q, LOG_INFO, 102, c, 3), 0);
	assert_int_equal(logq_put(q, LOG_INFO, 103, c, 0), 0);	/* nothing */
	logq_drain(q);
	assert_got(want, nitems(want));
	logq_stats(q, &bytes, &waits);
	assert_int_equal(bytes, 0);
	assert_int_equal(waits, 0);
	logq_free(q);
}

struct putter {
	struct logq	*q;
	const char	*line;
	int		 rc;
};

static void *
put_one(void *arg)
{
	struct putter	*p = arg;

	p->rc = logq_put(p->q, LOG_INFO, 7, &p->line, 1);
	return NULL;
}

/*
 * A reader that stands still: the queue takes lines up to its limit, then
 * a putter waits (counted as it begins) instead of a line being dropped,
 * and goes on when the reader does.  A batch larger than the limit goes
 * when the queue is empty.
 */
static void
test_back_pressure(void **state)
{
	static const char *const one[] = { "line1" }, *const two[] = { "line2" };
	static const char *const big[] = {
		"a line among many", "a line among many", "a line among many",
	};
	static const char *const want[] = {
		"6 7 line1", "6 7 line2", "6 7 line3", "6 8 a line among many",
		"6 8 a line among many", "6 8 a line among many",
	};
	struct logq	*q;
	struct putter	 p = { NULL, "line3", -2 };
	pthread_t	 t;
	size_t		 bytes, held;
	uint64_t	 waits;

	(void)state;
	/* What a line of five letters takes in the queue. */
	reader_reset(1);
	assert_non_null(q = logq_new(1 << 20, reader, &rd));
	assert_int_equal(logq_put(q, LOG_INFO, 7, one, 1), 0);
	reader_entered(1);
	logq_stats(q, &held, &waits);
	reader_open();
	logq_free(q);

	/* Room for two such lines, in hand and queued, not for a third. */
	reader_reset(1);
	assert_non_null(q = logq_new(2 * held + held / 2, reader, &rd));
	assert_int_equal(logq_put(q, LOG_INFO, 7, one, 1), 0);
	reader_entered(1);		/* "line1" in the reader's hand */
	assert_int_equal(logq_put(q, LOG_INFO, 7, two, 1), 0);
	p.q = q;
	assert_int_equal(pthread_create(&t, NULL, put_one, &p), 0);
	do {
		sched_yield();
		logq_stats(q, &bytes, &waits);
	} while (waits == 0);
	assert_int_equal(waits, 1);
	assert_int_equal(bytes, 2 * held);
	assert_int_equal(p.rc, -2);	/* still waiting */
	reader_open();
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p.rc, 0);

	/* Larger than the limit: it waits for an empty queue, then goes. */
	logq_drain(q);
	assert_int_equal(logq_put(q, LOG_INFO, 8, big, nitems(big)), 0);
	logq_drain(q);
	assert_got(want, nitems(want));
	logq_stats(q, &bytes, &waits);
	assert_int_equal(bytes, 0);
	assert_int_equal(waits, 1);
	logq_free(q);
}

/*
 * The queue's own thread cannot put (it would wait for itself): -1, for
 * the caller to send the line itself.  Freeing the queue sends what it
 * holds first.
 */
static void
test_own_thread_and_free(void **state)
{
	static const char *const lines[] = { "x", "y" };
	static const char *const want[] = { "6 9 x", "6 9 y", "6 9 x", "6 9 y" };
	struct logq	*q;

	(void)state;
	reader_reset(0);
	assert_non_null(q = logq_new(1 << 20, reader, &rd));
	rd.self = q;
	assert_int_equal(logq_put(q, LOG_INFO, 9, lines, 2), 0);
	logq_drain(q);
	assert_int_equal(rd.self_put, -1);
	rd.self = NULL;
	assert_int_equal(logq_put(q, LOG_INFO, 9, lines, 2), 0);
	logq_free(q);
	assert_got(want, nitems(want));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_back_pressure),
		cmocka_unit_test(test_own_thread_and_free),
	};

	return cmocka_run_group_tests_name("logq", tests, NULL, NULL);
}
