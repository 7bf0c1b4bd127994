/* termijn: each connection, guarded before libevent reads from it. */

#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "termijn/clock.h"

#include "termijnd.h"

/*
 * libevent's evhttp gives a server no say between the socket and its own
 * parser: evhttp_set_timeout restarts with every byte, so a client that
 * sends a byte a second holds a connection for good; its body limit is
 * checked only after the body is buffered; and what its parser refuses it
 * answers with HTML, or not at all.  termijnd therefore stands between the
 * two, in the one place libevent 2.1 leaves open: it makes each
 * connection's bufferevent itself (evhttp_set_bevcb) and watches that
 * bufferevent's input buffer with a callback of its own, which runs inside
 * the socket read, before evhttp's read callback parses anything.
 *
 * What the callback does with the bytes that arrive:
 *  - a request's head (request line and header fields) is taken out of the
 *    buffer and held in cn_head until its empty line arrives, then checked
 *    by head_parse and only then put back for evhttp to read, whole;
 *  - its body, exactly Content-Length bytes (chunked bodies are refused),
 *    is left in the buffer for evhttp, so that evhttp never holds more
 *    than http.max_body of it;
 *  - a head that head_parse refuses, or that outgrows http.max_headers, is
 *    dropped, and evhttp is given a request of termijnd's own instead,
 *    "GET /.refused", which server.c answers with the refusal as
 *    problem+json and "Connection: close"; from then on what the client
 *    sends is dropped (so a client's own request for that path is never
 *    taken for the stand-in: it can only come before a refusal, and then
 *    there is none to answer with, and it is a 404).
 *
 * Every request has http.request_timeout from its first byte until the
 * last byte of its body has passed.  A head that is late is answered 408
 * the same way; a body that is late has its connection closed, as
 * evhttp's own timeout would.  The time a request waits while the one
 * before it on the connection is answered does not count.
 *
 * At most cs_cap connections are kept: http.max_connections, or fewer when
 * the open files limit would not leave room for the database and the
 * rest.  A connection over the cap closes another: the one idle longest,
 * else the one whose request has taken longest to arrive (a slow client),
 * never one whose answer is being made.  When none can go, termijnd stops
 * accepting until one closes, and the kernel's backlog holds the rest.
 *
 * After a refusal, the client may still be sending the body termijnd did
 * not want; closing with unread data makes the kernel send a reset, which
 * can destroy the answer before the client reads it.  So the socket stays
 * open (on a dup of its descriptor) for up to CONN_LINGER_MS after libevent
 * lets it go, reading and dropping what comes, as a web server's lingering
 * close does.
 *
 * Limits: the guard relies on libevent calling a bufferevent's input
 * callbacks synchronously inside its read (true without
 * BEV_OPT_DEFER_CALLBACKS, which evhttp does not use) and on evhttp passing
 * its evhttp_connection as the bufferevent's callback argument, which
 * every libevent 2.1 and 2.2 does.
 */

#define CONN_SPARE_FDS	32	/* open files kept for SQLite and the rest */
#define CONN_LINGER_MS	2000
#define CONN_REFUSED	"GET /.refused HTTP/1.1\r\nHost: termijnd\r\n\r\n"
#define CONN_LOG_MS	60000	/* at most one line about evictions a minute */

enum conn_state {
	CN_HEAD,	/* reading a head: held here until complete */
	CN_BODY,	/* passing its body on to evhttp */
	CN_DISCARD,	/* refused: what the client sends is dropped */
};

struct conn {
	struct termijnd		*cn_d;
	struct bufferevent	*cn_bev;
	struct evhttp_connection *cn_evcon;	/* NULL until set up */
	struct evbuffer_cb_entry *cn_cb;
	struct event		*cn_deadline;
	enum conn_state		 cn_state;
	char			*cn_head;	/* the head so far */
	size_t			 cn_headlen;
	size_t			 cn_scanned;	/* for head_length */
	int64_t			 cn_body;	/* body bytes still to pass on */
	int64_t			 cn_since;	/* monotonic ms of the request's
						   first byte; 0: none yet */
	int64_t			 cn_mark;	/* monotonic ms it was accepted or
						   last had a request pass */
	int			 cn_inflight;	/* requests being answered */
	int			 cn_busy;	/* changing the buffer itself */
	int			 cn_refused;	/* the status; 0: not refused */
	int			 cn_refused_head;	/* of a HEAD request */
	char			 cn_detail[256];
	TAILQ_ENTRY(conn)	 cn_entry;
	TAILQ_ENTRY(conn)	 cn_new;
	LIST_ENTRY(conn)	 cn_hash;
	int			 cn_queued;	/* on cs_new, awaiting set-up */
	int			 cn_setup;	/* evhttp's close callback set */
};

/* A socket held open after libevent closed it, to drop what comes. */
struct lingerer {
	struct termijnd		*lg_d;
	struct event		*lg_ev;
	int			 lg_fd;
	int64_t			 lg_until;	/* monotonic ms */
	LIST_ENTRY(lingerer)	 lg_entry;
};

static struct bufferevent *conn_bev_cb(struct event_base *, void *);
static void	 conn_setup_cb(evutil_socket_t, short, void *);
static void	 conn_resume_cb(evutil_socket_t, short, void *);
static void	 conn_close_cb(struct evhttp_connection *, void *);
static void	 conn_complete_cb(struct evhttp_request *, void *);
static void	 conn_input_cb(struct evbuffer *,
		    const struct evbuffer_cb_info *, void *);
static void	 conn_feed(struct conn *, struct evbuffer *, struct evbuffer *);
static int	 conn_feed_head(struct conn *, struct evbuffer *,
		    struct evbuffer *);
static void	 conn_refuse(struct conn *, struct evbuffer *, int, int,
		    const char *, ...) __attribute__((format(printf, 5, 6)));
static void	 conn_refused(struct conn *, struct evbuffer *, int, int,
		    const char *, const char *);
static void	 conn_done(struct conn *);
static void	 conn_deadline_cb(evutil_socket_t, short, void *);
static int	 conn_evict(struct termijnd *);
static void	 conn_release(struct conn *);
static void	 conn_room(struct termijnd *);
static void	 conn_pause(struct conns *);
static void	 conn_accept_error_cb(struct evconnlistener *, void *);
static void	 conn_nodelay(evutil_socket_t);
static void	 conn_emfile_cb(evutil_socket_t, short, void *);
static struct conn *conn_find(struct termijnd *, struct bufferevent *);
static size_t	 conn_hash(struct bufferevent *);
static void	 conn_linger(struct termijnd *, int);
static void	 conn_linger_cb(evutil_socket_t, short, void *);
static void	 conn_linger_end(struct lingerer *);
static size_t	 conn_open_fds(void);

/* The daemon, for libevent's accept error callback, which cannot carry it. */
static struct termijnd	*conn_daemon;

/*
 * Raise the soft limit on open files to the hard one, so that a host's
 * low default (1,024) does not cap connections where more were allowed.
 */
void
conn_nofile_raise(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit(RLIMIT_NOFILE)");
		return;
	}
	if (rl.rlim_cur == rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("raising the open files limit to %llu",
		    (unsigned long long)rl.rlim_max);
}

/*
 * Take over each new connection of d_http from listener, and size the cap
 * from http.max_connections and what the open files limit leaves once the
 * database is open.
 */
void
conn_init(struct termijnd *d, struct evconnlistener *listener)
{
	struct conns	*cs = &d->d_conns;
	struct rlimit	 rl;
	size_t		 i, reserve, room;

	TAILQ_INIT(&cs->cs_all);
	TAILQ_INIT(&cs->cs_new);
	for (i = 0; i < CONN_HASH; i++)
		LIST_INIT(&cs->cs_hash[i]);
	LIST_INIT(&cs->cs_lingering);
	cs->cs_listener = listener;
	conn_daemon = d;
	if ((cs->cs_setup_ev = event_new(d->d_base, -1, 0, conn_setup_cb,
	    d)) == NULL || (cs->cs_resume_ev = event_new(d->d_base, -1, 0,
	    conn_resume_cb, d)) == NULL || (cs->cs_emfile_ev =
	    evtimer_new(d->d_base, conn_emfile_cb, d)) == NULL ||
	    (cs->cs_scratch = evbuffer_new()) == NULL)
		fatalx("%s: out of memory", __func__);
	evconnlistener_set_error_cb(listener, conn_accept_error_cb);

	cs->cs_cap = d->d_conf.cf_max_connections;
	reserve = conn_open_fds() + CONN_SPARE_FDS;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		room = rl.rlim_cur > reserve ? rl.rlim_cur - reserve : 1;
		if (room < cs->cs_cap) {
			log_warnx("http.max_connections is %zu, but an open"
			    " files limit of %llu leaves room for %zu: taking"
			    " %zu", cs->cs_cap, (unsigned long long)rl.rlim_cur,
			    room, room);
			cs->cs_cap = room;
		}
	}
	evhttp_set_bevcb(d->d_http, conn_bev_cb, d);
	log_info("accepting up to %zu connection%s", cs->cs_cap,
	    plural(cs->cs_cap));
}

/* After evhttp_free: what evhttp did not close is dropped here. */
void
conn_free_all(struct termijnd *d)
{
	struct conns		*cs = &d->d_conns;
	struct conn		*cn;
	struct bufferevent	*bev;

	/* Only those not yet set up are left, and a reference holds each. */
	while ((cn = TAILQ_FIRST(&cs->cs_all)) != NULL) {
		bev = cn->cn_setup ? NULL : cn->cn_bev;
		conn_release(cn);
		if (bev != NULL)
			bufferevent_decref(bev);
	}
	while (!LIST_EMPTY(&cs->cs_lingering))
		conn_linger_end(LIST_FIRST(&cs->cs_lingering));
	if (cs->cs_setup_ev != NULL)
		event_free(cs->cs_setup_ev);
	if (cs->cs_resume_ev != NULL)
		event_free(cs->cs_resume_ev);
	if (cs->cs_emfile_ev != NULL)
		event_free(cs->cs_emfile_ev);
	if (cs->cs_scratch != NULL)
		evbuffer_free(cs->cs_scratch);
	cs->cs_setup_ev = cs->cs_resume_ev = cs->cs_emfile_ev = NULL;
	cs->cs_scratch = NULL;
}

/*
 * A request evhttp is giving to termijnd: it is being answered until its
 * answer is written.  Returns 1, with the status and detail to answer and
 * whether it was a HEAD request, when it is the stand-in for a refused one.
 */
int
conn_request(struct termijnd *d, struct evhttp_request *req, const char *path,
    int *status, const char **detail, int *head)
{
	struct evhttp_connection	*evcon;
	struct conn			*cn;

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (cn = conn_find(d, evhttp_connection_get_bufferevent(evcon))) ==
	    NULL)
		return 0;
	cn->cn_inflight++;
	evhttp_request_set_on_complete_cb(req, conn_complete_cb, cn);
	if (cn->cn_refused == 0 || strcmp(path, "/.refused") != 0)
		return 0;
	*status = cn->cn_refused;
	*detail = cn->cn_detail;
	*head = cn->cn_refused_head;
	return 1;
}

/*
 * evhttp asks for a new connection's bufferevent.  It sets the socket and
 * its own callbacks on it after this returns, so the rest of the set-up
 * (the close callback, which needs the evhttp_connection) waits for
 * conn_setup_cb, later in the same loop turn; a reference keeps the
 * bufferevent until then.
 */
static struct bufferevent *
conn_bev_cb(struct event_base *base, void *arg)
{
	struct termijnd	*d = arg;
	struct conns	*cs = &d->d_conns;
	struct conn	*cn;

	cn = xcalloc(1, sizeof(*cn));
	cn->cn_d = d;
	if ((cn->cn_bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL ||
	    (cn->cn_deadline = evtimer_new(base, conn_deadline_cb, cn)) ==
	    NULL || (cn->cn_cb = evbuffer_add_cb(bufferevent_get_input(
	    cn->cn_bev), conn_input_cb, cn)) == NULL)
		fatalx("%s: out of memory", __func__);
	bufferevent_incref(cn->cn_bev);
	cn->cn_mark = clock_monotonic();
	TAILQ_INSERT_TAIL(&cs->cs_all, cn, cn_entry);
	TAILQ_INSERT_TAIL(&cs->cs_new, cn, cn_new);
	cn->cn_queued = 1;
	LIST_INSERT_HEAD(&cs->cs_hash[conn_hash(cn->cn_bev)], cn, cn_hash);
	cs->cs_count++;
	event_active(cs->cs_setup_ev, EV_TIMEOUT, 1);
	/* Over the cap, each must first make room: one at a time. */
	if (cs->cs_count > cs->cs_cap)
		conn_pause(cs);
	return cn->cn_bev;
}

static void
conn_setup_cb(evutil_socket_t fd, short what, void *arg)
{
	struct termijnd		*d = arg;
	struct conns		*cs = &d->d_conns;
	struct conn		*cn;
	struct bufferevent	*bev;
	bufferevent_event_cb	 eventcb;
	void			*cbarg;

	while ((cn = TAILQ_FIRST(&cs->cs_new)) != NULL) {
		TAILQ_REMOVE(&cs->cs_new, cn, cn_new);
		cn->cn_queued = 0;
		bev = cn->cn_bev;
		/* bufferevent_free clears the callbacks evhttp set. */
		bufferevent_getcb(bev, NULL, NULL, &eventcb, &cbarg);
		if (eventcb == NULL)
			conn_release(cn);
		else {
			conn_nodelay(bufferevent_getfd(bev));
			cn->cn_evcon = cbarg;
			cn->cn_setup = 1;
			evhttp_connection_set_closecb(cn->cn_evcon,
			    conn_close_cb, cn);
		}
		bufferevent_decref(bev);
	}
	/* The one just accepted may take the cap's last place. */
	while (cs->cs_count > cs->cs_cap && conn_evict(d) == 0)
		;
	conn_room(d);
}

/*
 * Send each answer as soon as it is written.  libevent writes an answer in
 * pieces of at most 16 KiB; with Nagle's algorithm the kernel holds each
 * piece after the first until the client has acknowledged the one before,
 * and a client on a keep-alive connection delays its acknowledgement by
 * up to 40 ms.  So every answer over 16 KiB (a page of the overdue view,
 * a list of cases) took 40 ms more than it needed, whatever it cost to
 * make.  termijnd writes whole answers, never a trickle of small writes
 * that Nagle would gather, so nothing is lost by turning it off.
 */
static void
conn_nodelay(evutil_socket_t fd)
{
	int	one = 1;

	if (fd >= 0 && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == -1)
		log_debug("%s: setsockopt TCP_NODELAY: %s", __func__,
		    strerror(errno));
}

/*
 * Accept again once there is room (and not in the second after running
 * out of descriptors).  Run through the event queue, so that the
 * descriptors of connections just closed are free by then.
 */
static void
conn_room(struct termijnd *d)
{
	struct conns	*cs = &d->d_conns;

	if (cs->cs_paused && cs->cs_count <= cs->cs_cap && !cs->cs_emfile)
		event_active(cs->cs_resume_ev, EV_TIMEOUT, 1);
}

static void
conn_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct termijnd	*d = arg;
	struct conns	*cs = &d->d_conns;

	if (!cs->cs_paused || cs->cs_count > cs->cs_cap || cs->cs_emfile ||
	    d->d_http == NULL)
		return;
	cs->cs_paused = 0;
	evconnlistener_enable(cs->cs_listener);
}

static void
conn_pause(struct conns *cs)
{
	evconnlistener_disable(cs->cs_listener);
	cs->cs_paused = 1;
}

/*
 * accept failed, normally for want of descriptors: stop accepting for a
 * second rather than spin.
 */
static void
conn_accept_error_cb(struct evconnlistener *lev, void *arg)
{
	struct termijnd	*d = conn_daemon;
	struct conns	*cs = &d->d_conns;
	struct timeval	 tv = { 1, 0 };

	log_warn("accept");
	conn_pause(cs);
	cs->cs_emfile = 1;
	evtimer_add(cs->cs_emfile_ev, &tv);
}

static void
conn_emfile_cb(evutil_socket_t fd, short what, void *arg)
{
	struct termijnd	*d = arg;

	d->d_conns.cs_emfile = 0;
	conn_room(d);
}

/* evhttp closes the connection: it keeps no pointer to cn after this. */
static void
conn_close_cb(struct evhttp_connection *evcon, void *arg)
{
	struct conn	*cn = arg;
	struct termijnd	*d = cn->cn_d;

	if (cn->cn_refused)
		conn_linger(d, bufferevent_getfd(cn->cn_bev));
	conn_release(cn);
	conn_room(d);
}

/* The answer to a request has been written (or handed to the kernel). */
static void
conn_complete_cb(struct evhttp_request *req, void *arg)
{
	struct conn	*cn = arg;

	if (cn->cn_inflight > 0)
		cn->cn_inflight--;
	cn->cn_mark = clock_monotonic();
}

static void
conn_release(struct conn *cn)
{
	struct conns	*cs = &cn->cn_d->d_conns;

	evbuffer_remove_cb_entry(bufferevent_get_input(cn->cn_bev), cn->cn_cb);
	event_free(cn->cn_deadline);
	TAILQ_REMOVE(&cs->cs_all, cn, cn_entry);
	if (cn->cn_queued)
		TAILQ_REMOVE(&cs->cs_new, cn, cn_new);
	LIST_REMOVE(cn, cn_hash);
	cs->cs_count--;
	free(cn->cn_head);
	free(cn);
}

/*
 * Bytes were added to (or drained from) the input buffer.  New bytes are
 * the last n_added; what stood before them is what termijnd released
 * earlier and evhttp has not read yet, and stays where it is.
 */
static void
conn_input_cb(struct evbuffer *in, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn	*cn = arg;
	struct evbuffer	*fresh = cn->cn_d->d_conns.cs_scratch;
	size_t		 keep;

	if (cn->cn_busy || info->n_added == 0)
		return;
	cn->cn_busy = 1;
	keep = evbuffer_get_length(in) > info->n_added ?
	    evbuffer_get_length(in) - info->n_added : 0;
	evbuffer_add_buffer(fresh, in);
	if (keep > 0)
		evbuffer_remove_buffer(fresh, in, keep);
	conn_feed(cn, fresh, in);
	evbuffer_drain(fresh, evbuffer_get_length(fresh));
	cn->cn_busy = 0;
}

/* Take the bytes in fresh: hold a head, pass a body on, or drop them. */
static void
conn_feed(struct conn *cn, struct evbuffer *fresh, struct evbuffer *in)
{
	size_t	avail, n;

	while ((avail = evbuffer_get_length(fresh)) > 0) {
		switch (cn->cn_state) {
		case CN_DISCARD:
			evbuffer_drain(fresh, avail);
			return;
		case CN_BODY:
			n = (int64_t)avail < cn->cn_body ? avail :
			    (size_t)cn->cn_body;
			evbuffer_remove_buffer(fresh, in, n);
			if ((cn->cn_body -= n) == 0)
				conn_done(cn);
			break;
		case CN_HEAD:
			if (conn_feed_head(cn, fresh, in) == -1)
				return;
			break;
		}
	}
}

/*
 * Add fresh bytes to the head being held; once it is complete and accepted
 * give it to evhttp, and put what followed it back in front of fresh.
 * Returns -1 when the request was refused.
 */
static int
conn_feed_head(struct conn *cn, struct evbuffer *fresh, struct evbuffer *in)
{
	struct termijnd	*d = cn->cn_d;
	size_t		 max = d->d_conf.cf_max_headers, end;
	struct head	 hd;
	char		 err[256], line[256], c;
	enum i18n_lang	 lang;
	int		 status, n;

	if (cn->cn_since == 0) {
		struct timeval	tv = { d->d_conf.cf_request_timeout, 0 };

		cn->cn_since = clock_monotonic();
		evtimer_add(cn->cn_deadline, &tv);
	}
	/* Empty lines before a request line are ignored (RFC 9112 2.2). */
	while (cn->cn_headlen == 0 && evbuffer_copyout(fresh, &c, 1) == 1 &&
	    (c == '\r' || c == '\n'))
		evbuffer_drain(fresh, 1);
	if (evbuffer_get_length(fresh) == 0)
		return 0;
	if (cn->cn_head == NULL)
		cn->cn_head = xmalloc(max);
	if ((n = evbuffer_remove(fresh, cn->cn_head + cn->cn_headlen,
	    max - cn->cn_headlen)) > 0)
		cn->cn_headlen += n;
	if ((end = head_length(cn->cn_head, cn->cn_headlen,
	    &cn->cn_scanned)) == 0) {
		if (cn->cn_headlen < max)
			return 0;
		conn_refuse(cn, in, 431, 0, N_("the request's head has more"
		    " than %zu bytes (http.max_headers)"), max);
		return -1;
	}
	if (head_parse(cn->cn_head, end, d->d_conf.cf_max_body, &hd, &status,
	    err, sizeof(err)) == -1) {
		/* For the log, why in English: the head is parsed again. */
		lang = i18n_current();
		i18n_use(I18N_EN);
		(void)head_parse(cn->cn_head, end, d->d_conf.cf_max_body, &hd,
		    &status, line, sizeof(line));
		i18n_use(lang);
		conn_refused(cn, in, status, hd.hd_head, err, line);
		return -1;
	}
	evbuffer_add(in, cn->cn_head, end);
	if (cn->cn_headlen > end)
		evbuffer_prepend(fresh, cn->cn_head + end,
		    cn->cn_headlen - end);
	free(cn->cn_head);
	cn->cn_head = NULL;
	cn->cn_headlen = cn->cn_scanned = 0;
	if ((cn->cn_body = hd.hd_length) > 0)
		cn->cn_state = CN_BODY;
	else
		conn_done(cn);
	return 0;
}

/* The whole request has passed: the next one has its own deadline. */
static void
conn_done(struct conn *cn)
{
	evtimer_del(cn->cn_deadline);
	cn->cn_state = CN_HEAD;
	cn->cn_since = 0;
	cn->cn_mark = clock_monotonic();
}

/*
 * Refuse the request whose head is being held, saying why (msgid, an
 * English message marked N_()): in the configured language to the client,
 * whose Accept-Language was not read, and in English to the log.
 */
static void
conn_refuse(struct conn *cn, struct evbuffer *in, int status, int head,
    const char *msgid, ...)
{
	va_list	ap, aq;
	char	detail[sizeof(cn->cn_detail)], line[sizeof(cn->cn_detail)];

	va_start(ap, msgid);
	va_copy(aq, ap);
	vsnprintf(detail, sizeof(detail), _(msgid), ap);
	vsnprintf(line, sizeof(line), msgid, aq);
	va_end(aq);
	va_end(ap);
	conn_refused(cn, in, status, head, detail, line);
}

/*
 * Refuse it: evhttp gets the stand-in request instead, and what the client
 * sends from now on is dropped; detail is its answer, line the log's.  in
 * may be frozen (outside a read): it is thawed for the stand-in.
 */
static void
conn_refused(struct conn *cn, struct evbuffer *in, int status, int head,
    const char *detail, const char *line)
{
	snprintf(cn->cn_detail, sizeof(cn->cn_detail), "%s", detail);
	cn->cn_refused = status;
	cn->cn_refused_head = head;
	cn->cn_state = CN_DISCARD;
	free(cn->cn_head);
	cn->cn_head = NULL;
	cn->cn_headlen = cn->cn_scanned = 0;
	evtimer_del(cn->cn_deadline);
	evbuffer_unfreeze(in, 0);
	evbuffer_add(in, CONN_REFUSED, strlen(CONN_REFUSED));
	evbuffer_freeze(in, 0);
	log_debug("%s: %d %s", __func__, status, line);
}

/*
 * A request that has not arrived in time.  Its head is answered 408 (by
 * way of the stand-in request, read at once when evhttp is waiting for
 * one); a late body closes the connection.
 */
static void
conn_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn		*cn = arg;
	struct timeval		 tv = { 1, 0 };
	bufferevent_data_cb	 readcb;
	struct evbuffer		*in = bufferevent_get_input(cn->cn_bev);

	if (cn->cn_inflight > 0) {
		/* The answer before it is still being made: wait for it. */
		evtimer_add(cn->cn_deadline, &tv);
		return;
	}
	if (cn->cn_state != CN_HEAD) {
		log_debug("%s: closing a connection whose request took more"
		    " than %d seconds", __func__,
		    cn->cn_d->d_conf.cf_request_timeout);
		bufferevent_trigger_event(cn->cn_bev, BEV_EVENT_READING |
		    BEV_EVENT_TIMEOUT, 0);
		return;
	}
	cn->cn_busy = 1;
	conn_refuse(cn, in, 408, 0, N_("the request's head did not arrive"
	    " within %d seconds (http.request_timeout)"),
	    cn->cn_d->d_conf.cf_request_timeout);
	cn->cn_busy = 0;
	/* evhttp's read callback is NULL while it writes an answer. */
	bufferevent_getcb(cn->cn_bev, &readcb, NULL, NULL, NULL);
	if (readcb != NULL)
		bufferevent_trigger(cn->cn_bev, EV_READ, 0);
}

/*
 * Close one connection to make room: the one that has gone longest
 * without a request passing (since it was accepted or its last request
 * did), idle or sending slowly; never one being answered, or one just
 * accepted and not set up yet.  Returns -1 when none can go.
 */
static int
conn_evict(struct termijnd *d)
{
	struct conns	*cs = &d->d_conns;
	struct conn	*cn, *victim = NULL;
	int64_t		 now = clock_monotonic();

	TAILQ_FOREACH(cn, &cs->cs_all, cn_entry) {
		if (!cn->cn_setup || cn->cn_inflight > 0 ||
		    cn->cn_state == CN_DISCARD)
			continue;
		if (victim == NULL || cn->cn_mark < victim->cn_mark)
			victim = cn;
	}
	if (victim == NULL)
		return -1;
	cs->cs_evicted++;
	if (now - cs->cs_logged_at >= CONN_LOG_MS) {
		log_warnx("%llu connection%s closed to make room for new ones"
		    " (%zu at most: http.max_connections and the open files"
		    " limit)", (unsigned long long)(cs->cs_evicted -
		    cs->cs_evicted_logged), plural(cs->cs_evicted -
		    cs->cs_evicted_logged), cs->cs_cap);
		cs->cs_evicted_logged = cs->cs_evicted;
		cs->cs_logged_at = now;
	}
	/* evhttp closes it at once, without an answer; conn_close_cb runs. */
	bufferevent_trigger_event(victim->cn_bev, BEV_EVENT_READING |
	    BEV_EVENT_TIMEOUT, 0);
	return 0;
}

static struct conn *
conn_find(struct termijnd *d, struct bufferevent *bev)
{
	struct conn	*cn;

	LIST_FOREACH(cn, &d->d_conns.cs_hash[conn_hash(bev)], cn_hash)
		if (cn->cn_bev == bev)
			return cn;
	return NULL;
}

static size_t
conn_hash(struct bufferevent *bev)
{
	uintptr_t	p = (uintptr_t)bev;

	return (size_t)((p >> 4) ^ (p >> 12)) % CONN_HASH;
}

/*
 * Keep fd's socket open on a descriptor of its own for CONN_LINGER_MS,
 * dropping what the client still sends, so that closing does not reset
 * the connection before the client read its answer.  Skipped when there
 * is no room for another descriptor.
 */
static void
conn_linger(struct termijnd *d, int fd)
{
	struct conns	*cs = &d->d_conns;
	struct lingerer	*lg;
	struct timeval	 tv = { CONN_LINGER_MS / 1000,
			    (CONN_LINGER_MS % 1000) * 1000 };
	int		 dfd;

	if (fd < 0 || cs->cs_count >= cs->cs_cap ||
	    (dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return;
	/* evhttp shuts the socket's sending side: the client sees the end. */
	lg = xcalloc(1, sizeof(*lg));
	lg->lg_d = d;
	lg->lg_fd = dfd;
	lg->lg_until = clock_monotonic() + CONN_LINGER_MS;
	if ((lg->lg_ev = event_new(d->d_base, dfd, EV_READ, conn_linger_cb,
	    lg)) == NULL)
		fatalx("%s: out of memory", __func__);
	event_add(lg->lg_ev, &tv);
	LIST_INSERT_HEAD(&cs->cs_lingering, lg, lg_entry);
	cs->cs_count++;
}

static void
conn_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lingerer	*lg = arg;
	struct timeval	 tv;
	char		 buf[16384];
	ssize_t		 n;
	int64_t		 left;

	if (what & EV_TIMEOUT) {
		conn_linger_end(lg);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	left = lg->lg_until - clock_monotonic();
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR) ||
	    left <= 0) {
		conn_linger_end(lg);
		return;
	}
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	event_add(lg->lg_ev, &tv);
}

static void
conn_linger_end(struct lingerer *lg)
{
	struct termijnd	*d = lg->lg_d;

	event_free(lg->lg_ev);
	close(lg->lg_fd);
	LIST_REMOVE(lg, lg_entry);
	d->d_conns.cs_count--;
	free(lg);
	conn_room(d);
}

/* How many files the process has open; CONN_SPARE_FDS when unknown. */
static size_t
conn_open_fds(void)
{
	DIR		*dir;
	struct dirent	*de;
	size_t		 n = 0;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		return CONN_SPARE_FDS;
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}
