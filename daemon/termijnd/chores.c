/* termijn: what termijnd does now and then, between requests. */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/clock.h"
#include "termijn/hash.h"

#include "termijnd.h"

#define TOUCH_INTERVAL	60		/* seconds between notes of token use */
#define RETENTION_FIRST	60		/* seconds after start: the first sweep */

static void	 touch_cb(evutil_socket_t, short, void *);
static void	 anchor_cb(evutil_socket_t, short, void *);
static void	 retention_cb(evutil_socket_t, short, void *);
static void	 after(struct event *, double);
static void	 anchor(struct termijnd *, const char *);

/*
 * Three chores, each a timer of the one event loop:
 * - when tokens were last used is written once a minute (server.c keeps
 *   it meanwhile), not once a request;
 * - the head of the audit chain goes to syslog at start, every hour and at
 *   exit: a copy outside the database that `termijnctl audit verify
 *   --head` can hold the chain to, so that a chain rewritten from the
 *   start is found too;
 * - the retention sweep destroys closed cases past their retention, in
 *   transactions of retention.batch cases, the next bite as soon as the
 *   loop has looked at its sockets, so that a large first sweep does not
 *   keep requests waiting.
 */
void
chores_init(struct termijnd *d)
{
	if ((d->d_touch_ev = event_new(d->d_base, -1, EV_PERSIST, touch_cb,
	    d)) == NULL ||
	    (d->d_anchor_ev = event_new(d->d_base, -1, EV_PERSIST, anchor_cb,
	    d)) == NULL ||
	    (d->d_retention_ev = evtimer_new(d->d_base, retention_cb, d)) ==
	    NULL)
		fatalx("event_new failed");
	after(d->d_touch_ev, TOUCH_INTERVAL);
	after(d->d_anchor_ev, d->d_conf.cf_anchor_interval);
	after(d->d_retention_ev, RETENTION_FIRST);
	anchor(d, "start");
}

void
chores_free(struct termijnd *d)
{
	struct event	**evs[] = {
		&d->d_touch_ev, &d->d_anchor_ev, &d->d_retention_ev
	};
	size_t		  i;

	if (d->d_touch_ev != NULL) {
		server_touch_flush(d);
		anchor(d, "stop");
	}
	for (i = 0; i < nitems(evs); i++) {
		if (*evs[i] != NULL)
			event_free(*evs[i]);
		*evs[i] = NULL;
	}
}

static void
after(struct event *ev, double secs)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	evtimer_add(ev, &tv);
}

static void
touch_cb(evutil_socket_t fd, short ev, void *arg)
{
	server_touch_flush(arg);
}

/* One line with the chain's head: its last transition and that one's hash. */
static void
anchor(struct termijnd *d, const char *when)
{
	unsigned char	hash[HASH_SHA256_LEN];
	char		hex[HASH_SHA256_HEX_LEN];
	int64_t		id = 0;

	if (store_chain_head(d->d_store, &id, hash) != STORE_OK)
		return;
	hash_hex(hash, hex);
	log_info("audit head id=%" PRId64 " hash=%s at=%s", id, hex, when);
}

static void
anchor_cb(evutil_socket_t fd, short ev, void *arg)
{
	anchor(arg, "interval");
}

struct sweep {
	struct termijnd	*sw_d;
	int		 sw_done;
};

static int
sweep_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct sweep	*sw = arg;

	sw->sw_done = engine_retention_run(en, NULL, clock_now(),
	    sw->sw_d->d_conf.cf_retention_batch, 0, NULL, NULL, ee);
	return sw->sw_done == -1 ? -1 : 0;
}

static void
retention_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct termijnd		*d = arg;
	struct engine_error	 ee;
	struct sweep		 sw = { d, 0 };

	if (d->d_stopping)
		return;
	if (engine_write_one(d->d_engine, sweep_apply, &sw, clock_now(),
	    &ee) == -1) {
		log_warnx("retention: %s; trying again in an hour", ee.ee_log);
		after(d->d_retention_ev, 3600);
		return;
	}
	if (sw.sw_done > 0)
		log_info("retention: destroyed %d closed case%s", sw.sw_done,
		    plural(sw.sw_done));
	/* A full bite: more may be due; go on after the loop's next look. */
	if ((size_t)sw.sw_done == d->d_conf.cf_retention_batch)
		after(d->d_retention_ev, 0);
	else
		after(d->d_retention_ev, d->d_conf.cf_retention_interval);
}
