/* termijn: simulations run on a thread of their own, off the event loop. */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/i18n.h"
#include "termijn/simulate.h"
#include "termijn/workflow.h"

#include "termijnd.h"

/*
 * A simulation is bounded (SIM_EVENTS_MAX events, SIM_STEPS_MAX moments,
 * SIM_HORIZON_YEARS), but within its bounds it is no small piece of work:
 * a workflow that goes round until the 1,000th moment took 110 to 260 ms
 * in a release build on the development machine, and a simple one about
 * 25 ms, mostly the schema of its throw-away store.  In the event loop
 * that would hold every other request, and the scheduler, for as long.
 * So the loop checks the request, makes the job its own (a copy of the
 * workflow's source; the events point into the request's body, which
 * nobody touches while the request waits), and this thread runs it; the
 * thread says through a pipe that a job is done, and the loop answers.
 *
 * The thread shares nothing that changes with the loop: the simulation
 * has a store of its own, a running case is read through a read-only
 * connection of the job's own (a case the loop has found its reader may
 * see), the workflow is the job's copy (a reload swaps the registry, not
 * the copy), the calendar is set once at start, and the language of its
 * messages is the thread's own (i18n.c).  One thread, one job at a time:
 * a second simulation waits for the first rather than taking a second
 * core from the daemon.  Where no thread can be had, jobs run in the loop
 * as they did before.
 */
static struct {
	pthread_t	 sw_thread;
	pthread_mutex_t	 sw_lock;	/* over the queues and sw_stop */
	pthread_cond_t	 sw_cond;
	TAILQ_HEAD(, sim_job) sw_todo;
	TAILQ_HEAD(, sim_job) sw_done;
	int		 sw_stop;
	int		 sw_running;
	int		 sw_pipe[2];	/* thread -> loop */
	struct event	*sw_ev;
} sw = { .sw_pipe = { -1, -1 } };

static void	*simwork_main(void *);
static void	 simwork_cb(evutil_socket_t, short, void *);
static void	 simwork_run(struct sim_job *);

/* Returns -1 when the thread could not start: simulations run in the loop. */
int
simwork_start(struct termijnd *d)
{
	TAILQ_INIT(&sw.sw_todo);
	TAILQ_INIT(&sw.sw_done);
	if (pipe2(sw.sw_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("simwork_start: pipe");
		return -1;
	}
	sw.sw_stop = 0;
	if (pthread_mutex_init(&sw.sw_lock, NULL) != 0 ||
	    pthread_cond_init(&sw.sw_cond, NULL) != 0)
		fatalx("simwork_start: pthread");
	if ((sw.sw_ev = event_new(d->d_base, sw.sw_pipe[0], EV_READ |
	    EV_PERSIST, simwork_cb, d)) == NULL || event_add(sw.sw_ev, NULL) ==
	    -1)
		fatalx("simwork_start: event_new failed");
	if (pthread_create(&sw.sw_thread, NULL, simwork_main, NULL) != 0) {
		log_warnx("simwork_start: no thread to simulate on;"
		    " simulations run in the event loop");
		event_free(sw.sw_ev);
		sw.sw_ev = NULL;
		close(sw.sw_pipe[0]);
		close(sw.sw_pipe[1]);
		sw.sw_pipe[0] = sw.sw_pipe[1] = -1;
		return -1;
	}
	sw.sw_running = 1;
	return 0;
}

/* Run the job, on the thread or else here; its sj_done answers. */
void
simwork_submit(struct sim_job *job)
{
	if (!sw.sw_running) {
		simwork_run(job);
		job->sj_done(job);
		return;
	}
	pthread_mutex_lock(&sw.sw_lock);
	TAILQ_INSERT_TAIL(&sw.sw_todo, job, sj_entry);
	pthread_cond_signal(&sw.sw_cond);
	pthread_mutex_unlock(&sw.sw_lock);
}

/*
 * Stop: the job running is finished, those waiting are dropped with their
 * requests (termijnd is going away; their clients see the connection
 * close), and nothing is answered any more.
 */
void
simwork_stop(void)
{
	struct sim_job	*job;

	if (!sw.sw_running)
		return;
	pthread_mutex_lock(&sw.sw_lock);
	sw.sw_stop = 1;
	pthread_cond_signal(&sw.sw_cond);
	pthread_mutex_unlock(&sw.sw_lock);
	pthread_join(sw.sw_thread, NULL);
	sw.sw_running = 0;
	while ((job = TAILQ_FIRST(&sw.sw_todo)) != NULL) {
		TAILQ_REMOVE(&sw.sw_todo, job, sj_entry);
		simwork_free(job);
	}
	while ((job = TAILQ_FIRST(&sw.sw_done)) != NULL) {
		TAILQ_REMOVE(&sw.sw_done, job, sj_entry);
		simwork_free(job);
	}
	event_free(sw.sw_ev);
	sw.sw_ev = NULL;
	close(sw.sw_pipe[0]);
	close(sw.sw_pipe[1]);
	sw.sw_pipe[0] = sw.sw_pipe[1] = -1;
	pthread_cond_destroy(&sw.sw_cond);
	pthread_mutex_destroy(&sw.sw_lock);
}

/* What a job holds of its own; not its request. */
void
simwork_free(struct sim_job *job)
{
	if (job == NULL)
		return;
	workflow_free(job->sj_workflow);
	free(job->sj_db);
	json_decref(job->sj_answer);
	json_decref(job->sj_warnings);
	free(job);
}

static void *
simwork_main(void *arg)
{
	struct sim_job	*job;
	ssize_t		 n;

	(void)arg;
	pthread_mutex_lock(&sw.sw_lock);
	for (;;) {
		while (!sw.sw_stop && TAILQ_EMPTY(&sw.sw_todo))
			pthread_cond_wait(&sw.sw_cond, &sw.sw_lock);
		if (sw.sw_stop)
			break;
		job = TAILQ_FIRST(&sw.sw_todo);
		TAILQ_REMOVE(&sw.sw_todo, job, sj_entry);
		pthread_mutex_unlock(&sw.sw_lock);
		simwork_run(job);
		pthread_mutex_lock(&sw.sw_lock);
		TAILQ_INSERT_TAIL(&sw.sw_done, job, sj_entry);
		do
			n = write(sw.sw_pipe[1], "", 1);
		while (n == -1 && errno == EINTR);
		/* A full pipe already says that there is news. */
	}
	pthread_mutex_unlock(&sw.sw_lock);
	return NULL;
}

/* The simulation itself, in the language its reader asked for. */
static void
simwork_run(struct sim_job *job)
{
	struct store	*st = NULL;
	enum i18n_lang	 lang = i18n_current();
	char		 err[256];

	i18n_use(job->sj_lang);
	job->sj_in.si_workflow = job->sj_workflow;
	job->sj_in.si_events = job->sj_events;
	if (job->sj_db != NULL) {
		if ((st = store_open_readonly(job->sj_db, err,
		    sizeof(err))) == NULL) {
			log_warnx("simulating case %lld: %s",
			    (long long)job->sj_in.si_case, err);
			engine_error(&job->sj_ee, ENGINE_ESTORE, N_("simulating:"
			    " the case could not be copied"));
			i18n_use(lang);
			return;
		}
		job->sj_in.si_store = st;
		/* The case as one snapshot shows it. */
		store_read_begin(st);
	}
	job->sj_answer = simulate_run(&job->sj_in, &job->sj_ee);
	if (st != NULL) {
		store_read_end(st);
		store_close(st);
	}
	job->sj_in.si_store = NULL;
	i18n_use(lang);
}

/* Jobs done: each answered on the loop, where requests are answered. */
static void
simwork_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct sim_job	*job;
	char		 buf[64];

	(void)ev;
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	for (;;) {
		pthread_mutex_lock(&sw.sw_lock);
		if ((job = TAILQ_FIRST(&sw.sw_done)) != NULL)
			TAILQ_REMOVE(&sw.sw_done, job, sj_entry);
		pthread_mutex_unlock(&sw.sw_lock);
		if (job == NULL)
			break;
		job->sj_done(job);
	}
}
