/* termijn: log lines handed to a thread of their own, sent in order. */
#ifndef TERMIJN_LOGQ_H
#define TERMIJN_LOGQ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct logq;

/*
 * What the thread does with a batch: send it (the lines as they were put,
 * their priority and the moment they were put).  It may block as long as
 * its reader takes; it must not put lines into the queue that calls it.
 */
typedef void	(*logq_sink_fn)(int, time_t, const char *const *, size_t,
		    void *);

/*
 * logq.c: a FIFO of batches of lines, at most max bytes of them (their
 * text and their bookkeeping), which a thread of its own hands to sink in
 * the order they were put.  NULL when the thread cannot be started.
 */
struct logq	*logq_new(size_t max, logq_sink_fn sink, void *arg);
/*
 * Copy n lines into the queue and wake the thread.  Waits while the queue
 * holds max bytes (a batch larger than max waits for an empty queue): the
 * caller is held up rather than a line lost.  -1 when the lines could not
 * be queued (no memory, or the caller is the queue's own thread): the
 * caller sends them itself, after logq_drain.
 */
int		 logq_put(struct logq *, int pri, time_t when,
		    const char *const *lines, size_t n);
/* Wait until every line put so far has been through the sink. */
void		 logq_drain(struct logq *);
/* Drain, stop the thread and free the queue. */
void		 logq_free(struct logq *);
/* The bytes queued or being sent, and how many puts had to wait. */
void		 logq_stats(struct logq *, size_t *bytes, uint64_t *waits);

#endif /* TERMIJN_LOGQ_H */
