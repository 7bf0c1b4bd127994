/* termijn: log lines handed to a thread of their own, sent in order. */

#include <sys/queue.h>

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/logq.h"

/*
 * Why a thread: syslogd (or journald, or whatever reads /dev/log) takes a
 * datagram when it gets round to it, and a sender whose datagrams it has
 * not taken blocks.  termijnd logs every committed transition, a catch-up
 * hundreds per batch: sent from the event loop, a slow reader held every
 * request up until it had read them.  So the loop copies a batch in (one
 * allocation, one lock, one signal) and goes on; this thread sends it, as
 * slowly as the reader wants.  Lines are never dropped here: past max
 * bytes the putter waits (and it is counted), as it waited for the socket
 * before.  The bound keeps a reader that has stopped from growing
 * termijnd's memory without end.  Nothing in this file logs: log.c is
 * above it.
 */
struct logq_batch {
	STAILQ_ENTRY(logq_batch) lb_entry;
	int			 lb_pri;
	time_t			 lb_when;
	size_t			 lb_n;
	size_t			 lb_bytes;	/* what it counts for in q_bytes */
	const char		*lb_lines[];	/* then the text they point to */
};

struct logq {
	pthread_mutex_t		 q_lock;
	pthread_cond_t		 q_work;	/* the thread: batches, or stop */
	pthread_cond_t		 q_room;	/* putters and drainers: less */
	STAILQ_HEAD(, logq_batch) q_batches;
	size_t			 q_bytes;	/* queued and being sent */
	size_t			 q_max;
	uint64_t		 q_waits;
	int			 q_stop;
	pthread_t		 q_thread;
	logq_sink_fn		 q_sink;
	void			*q_arg;
};

static void	*logq_thread(void *);
static int	 logq_own(struct logq *);

struct logq *
logq_new(size_t max, logq_sink_fn sink, void *arg)
{
	struct logq	*q;
	sigset_t	 all, old;
	int		 rc;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->q_max = max;
	q->q_sink = sink;
	q->q_arg = arg;
	STAILQ_INIT(&q->q_batches);
	if (pthread_mutex_init(&q->q_lock, NULL) != 0)
		goto fail_lock;
	if (pthread_cond_init(&q->q_work, NULL) != 0)
		goto fail_work;
	if (pthread_cond_init(&q->q_room, NULL) != 0)
		goto fail_room;
	/* Signals are the loop's (libevent's): the thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->q_thread, NULL, logq_thread, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		goto fail_thread;
	return q;

fail_thread:
	pthread_cond_destroy(&q->q_room);
fail_room:
	pthread_cond_destroy(&q->q_work);
fail_work:
	pthread_mutex_destroy(&q->q_lock);
fail_lock:
	free(q);
	return NULL;
}

int
logq_put(struct logq *q, int pri, time_t when, const char *const *lines,
    size_t n)
{
	struct logq_batch	*b;
	size_t			 i, len, bytes, text = 0;
	char			*p;

	if (n == 0)
		return 0;
	if (logq_own(q) || n > (SIZE_MAX - sizeof(*b)) / sizeof(*lines))
		return -1;
	bytes = sizeof(*b) + n * sizeof(*lines);
	for (i = 0; i < n; i++) {
		len = strlen(lines[i]) + 1;
		if (len > SIZE_MAX - bytes - text)
			return -1;
		text += len;
	}
	bytes += text;
	if ((b = malloc(bytes)) == NULL)
		return -1;
	b->lb_pri = pri;
	b->lb_when = when;
	b->lb_n = n;
	b->lb_bytes = bytes;
	p = (char *)&b->lb_lines[n];
	for (i = 0; i < n; i++) {
		len = strlen(lines[i]) + 1;
		memcpy(p, lines[i], len);
		b->lb_lines[i] = p;
		p += len;
	}

	pthread_mutex_lock(&q->q_lock);
	/* Counted as it begins: a wait that lasts shows while it lasts. */
	if (q->q_bytes > 0 && q->q_bytes + bytes > q->q_max)
		q->q_waits++;
	while (q->q_bytes > 0 && q->q_bytes + bytes > q->q_max)
		pthread_cond_wait(&q->q_room, &q->q_lock);
	q->q_bytes += bytes;
	STAILQ_INSERT_TAIL(&q->q_batches, b, lb_entry);
	pthread_cond_signal(&q->q_work);
	pthread_mutex_unlock(&q->q_lock);
	return 0;
}

void
logq_drain(struct logq *q)
{
	if (logq_own(q))
		return;
	pthread_mutex_lock(&q->q_lock);
	while (q->q_bytes > 0)
		pthread_cond_wait(&q->q_room, &q->q_lock);
	pthread_mutex_unlock(&q->q_lock);
}

void
logq_free(struct logq *q)
{
	if (q == NULL)
		return;
	/* The thread stops only with the queue empty: this drains it. */
	pthread_mutex_lock(&q->q_lock);
	q->q_stop = 1;
	pthread_cond_signal(&q->q_work);
	pthread_mutex_unlock(&q->q_lock);
	pthread_join(q->q_thread, NULL);
	pthread_cond_destroy(&q->q_room);
	pthread_cond_destroy(&q->q_work);
	pthread_mutex_destroy(&q->q_lock);
	free(q);
}

void
logq_stats(struct logq *q, size_t *bytes, uint64_t *waits)
{
	pthread_mutex_lock(&q->q_lock);
	*bytes = q->q_bytes;
	*waits = q->q_waits;
	pthread_mutex_unlock(&q->q_lock);
}

/*
 * Take every batch queued at once, send them one by one without the lock,
 * and make room after each, so that a putter waits for one batch, not for
 * all that were in hand.
 */
static void *
logq_thread(void *arg)
{
	struct logq		*q = arg;
	struct logq_batch	*b;
	STAILQ_HEAD(, logq_batch) taken;

	pthread_mutex_lock(&q->q_lock);
	for (;;) {
		while (STAILQ_EMPTY(&q->q_batches) && !q->q_stop)
			pthread_cond_wait(&q->q_work, &q->q_lock);
		if (STAILQ_EMPTY(&q->q_batches))
			break;
		STAILQ_INIT(&taken);
		STAILQ_CONCAT(&taken, &q->q_batches);
		pthread_mutex_unlock(&q->q_lock);
		while ((b = STAILQ_FIRST(&taken)) != NULL) {
			STAILQ_REMOVE_HEAD(&taken, lb_entry);
			q->q_sink(b->lb_pri, b->lb_when, b->lb_lines, b->lb_n,
			    q->q_arg);
			pthread_mutex_lock(&q->q_lock);
			q->q_bytes -= b->lb_bytes;
			pthread_cond_broadcast(&q->q_room);
			pthread_mutex_unlock(&q->q_lock);
			free(b);
		}
		pthread_mutex_lock(&q->q_lock);
	}
	pthread_mutex_unlock(&q->q_lock);
	return NULL;
}

/* Whether the caller is the queue's own thread (a sink that logs). */
static int
logq_own(struct logq *q)
{
	return pthread_equal(pthread_self(), q->q_thread);
}
