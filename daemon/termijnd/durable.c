/* termijn: group commits flushed to disk on a thread of their own. */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "termijnd.h"

/*
 * A group commit used to flush the write-ahead log in its COMMIT, and the
 * event loop waited for the disk: a millisecond or more in which no request
 * was read and no answer built.  Now the batch commits without the flush
 * (store_defer_sync), this thread flushes (store_sync), and the loop goes
 * on with the next batch meanwhile; the answers of a batch wait in
 * commit.c until a flush that began after its COMMIT returned.  One flush
 * covers every batch committed before it, so under load each flush makes
 * several batches durable at once.  Nothing is answered, logged or handed
 * to the notifier before it is on disk.
 *
 * The loop asks by numbering its commits (durable_ask); the thread flushes
 * up to the highest number asked and says how far it got through a pipe
 * that the loop watches, and the loop answers what that covers.
 */
static struct {
	struct termijnd	*du_d;
	void		(*du_synced)(struct termijnd *, uint64_t);
	pthread_t	 du_thread;
	pthread_mutex_t	 du_lock;	/* over what follows */
	pthread_cond_t	 du_cond;
	uint64_t	 du_asked;	/* the last commit numbered */
	uint64_t	 du_done;	/* on disk up to here */
	enum store_status du_status;	/* of the last flush */
	int		 du_stop;
	int		 du_running;
	int		 du_pipe[2];	/* thread -> loop */
	struct event	*du_ev;
} du = { .du_pipe = { -1, -1 } };

static void	*durable_main(void *);
static void	 durable_cb(evutil_socket_t, short, void *);

/* Returns -1 when the thread could not start: commits then flush inline. */
int
durable_start(struct termijnd *d, void (*synced)(struct termijnd *,
    uint64_t))
{
	if (pipe2(du.du_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("durable_start: pipe");
		return -1;
	}
	du.du_d = d;
	du.du_synced = synced;
	du.du_asked = du.du_done = 0;
	du.du_status = STORE_OK;
	du.du_stop = 0;
	if (pthread_mutex_init(&du.du_lock, NULL) != 0 ||
	    pthread_cond_init(&du.du_cond, NULL) != 0)
		fatalx("durable_start: pthread");
	if ((du.du_ev = event_new(d->d_base, du.du_pipe[0], EV_READ |
	    EV_PERSIST, durable_cb, d)) == NULL || event_add(du.du_ev, NULL) ==
	    -1)
		fatalx("durable_start: event_new failed");
	if (pthread_create(&du.du_thread, NULL, durable_main, d->d_store) !=
	    0) {
		log_warnx("durable_start: no thread to flush on; commits flush"
		    " in the event loop");
		event_free(du.du_ev);
		du.du_ev = NULL;
		close(du.du_pipe[0]);
		close(du.du_pipe[1]);
		du.du_pipe[0] = du.du_pipe[1] = -1;
		return -1;
	}
	du.du_running = 1;
	return 0;
}

/* A batch committed: its number, for the flush that will cover it. */
uint64_t
durable_ask(void)
{
	uint64_t	n;

	pthread_mutex_lock(&du.du_lock);
	n = ++du.du_asked;
	pthread_cond_signal(&du.du_cond);
	pthread_mutex_unlock(&du.du_lock);
	return n;
}

/*
 * Stop: every batch numbered is flushed and answered first, here, since
 * the loop no longer runs.
 */
void
durable_stop(void)
{
	uint64_t	done;

	if (!du.du_running)
		return;
	pthread_mutex_lock(&du.du_lock);
	du.du_stop = 1;
	pthread_cond_signal(&du.du_cond);
	pthread_mutex_unlock(&du.du_lock);
	pthread_join(du.du_thread, NULL);
	du.du_running = 0;
	done = du.du_done;
	if (du.du_status != STORE_OK)
		fatalx("flushing the write-ahead log to disk failed (%s): what"
		    " was not answered may not have been kept",
		    store_status_name(du.du_status));
	du.du_synced(du.du_d, done);
	event_free(du.du_ev);
	du.du_ev = NULL;
	close(du.du_pipe[0]);
	close(du.du_pipe[1]);
	du.du_pipe[0] = du.du_pipe[1] = -1;
	pthread_cond_destroy(&du.du_cond);
	pthread_mutex_destroy(&du.du_lock);
}

static void *
durable_main(void *arg)
{
	struct store		*st = arg;
	enum store_status	 rc;
	uint64_t		 target;
	ssize_t			 n;

	pthread_mutex_lock(&du.du_lock);
	for (;;) {
		while (!du.du_stop && du.du_asked == du.du_done)
			pthread_cond_wait(&du.du_cond, &du.du_lock);
		if (du.du_asked == du.du_done)
			break;		/* stopping, and nothing left */
		target = du.du_asked;
		pthread_mutex_unlock(&du.du_lock);
		rc = store_sync(st);
		pthread_mutex_lock(&du.du_lock);
		if (rc != STORE_OK) {
			du.du_status = rc;
			du.du_done = du.du_asked;	/* the loop stops */
		} else
			du.du_done = target;
		do
			n = write(du.du_pipe[1], "", 1);
		while (n == -1 && errno == EINTR);
		/* A full pipe already says that there is news. */
		if (rc != STORE_OK)
			break;
	}
	pthread_mutex_unlock(&du.du_lock);
	return NULL;
}

static void
durable_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct termijnd		*d = arg;
	char			 buf[64];
	uint64_t		 done;
	enum store_status	 status;

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&du.du_lock);
	done = du.du_done;
	status = du.du_status;
	pthread_mutex_unlock(&du.du_lock);
	/*
	 * The disk would not take the log: whether a batch that committed
	 * is kept is not known.  Stop rather than answer; after a restart
	 * the database says what it kept.
	 */
	if (status != STORE_OK)
		fatalx("flushing the write-ahead log to disk failed (%s): what"
		    " was not answered may not have been kept",
		    store_status_name(status));
	du.du_synced(d, done);
}
