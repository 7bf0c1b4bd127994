/* termijn: one small logging API, to syslog and, in the foreground, stderr. */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <paths.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "termijn/logq.h"
#include "termijn/util.h"

/*
 * What the syslog thread may hold before a writer waits for it: some
 * 50,000 transition lines, a catch-up's worth, and a sixteenth of what
 * termijnd may take for a million cases.
 */
#define LOG_QUEUE_MAX	(8 * 1024 * 1024)

static int	log_foreground = 1;	/* before log_init: stderr only */
static int	log_syslog;
static int	log_verbose;
static int	log_socket_ok;		/* /dev/log was there at the last look */
static int64_t	log_socket_seen;	/* monotonic ms of the last look */
static const char *log_ident = "termijnd";
static int	log_facility = LOG_DAEMON;
static int	log_many_fd = -1;	/* our own socket to syslog */
static struct logq *log_q;		/* the syslog thread's; NULL: none */
/* Over the sending: log_many_fd and log_socket's look. */
static pthread_mutex_t log_send_lock = PTHREAD_MUTEX_INITIALIZER;

static int	log_socket(void);
static void	log_syslog_lines(int, const char *const *, size_t);
static void	log_sink(int, time_t, const char *const *, size_t, void *);
static size_t	log_send_many(int, time_t, const char *const *, size_t);
static int	log_many_connect(void);

static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

void
log_init(const char *ident, int foreground, int facility)
{
	log_foreground = foreground;
	log_syslog = 1;
	log_ident = ident;
	log_facility = facility;
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
	tzset();
	if (log_q != NULL)
		return;
	if ((log_q = logq_new(LOG_QUEUE_MAX, log_sink, NULL)) == NULL) {
		log_warnx("cannot start the syslog thread: lines are sent"
		    " as they come");
		return;
	}
	/* exit(3), fatal() and main's return: every line sent first. */
	atexit(log_flush);
}

/*
 * Wait until syslog has taken every line logged so far: at exit, so that
 * what a stop or a fatal error leaves queued is not lost.  It waits as
 * long as syslog's reader takes, as sending from the loop did before.
 */
void
log_flush(void)
{
	if (log_q != NULL)
		logq_drain(log_q);
}

/* The bytes of lines waiting for syslog, and the waits for room. */
void
log_queue_stats(size_t *bytes, uint64_t *waits)
{
	*bytes = 0;
	*waits = 0;
	if (log_q != NULL)
		logq_stats(log_q, bytes, waits);
}

/*
 * Whether syslog has a socket to send to.  Without one (a machine or
 * container with no syslog daemon), glibc tries to connect again for every
 * line and drops it: three system calls a transition for nothing.  So
 * termijnd looks for /dev/log at most once a second and skips syslog(3)
 * while it is missing; the lines would have been lost all the same.
 */
static int
log_socket(void)
{
	struct timespec	ts;
	int64_t		now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (log_socket_seen == 0 || now - log_socket_seen >= 1000) {
		log_socket_ok = access(_PATH_LOG, W_OK) == 0;
		log_socket_seen = now;
	}
	return log_socket_ok;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

/* "daemon", "local0" .. "local7", "user": the syslog facility, or -1. */
int
log_facility_parse(const char *s)
{
	static const struct {
		const char	*name;
		int		 value;
	} facilities[] = {
		{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};
	size_t	i;

	for (i = 0; i < nitems(facilities); i++)
		if (strcasecmp(s, facilities[i].name) == 0)
			return facilities[i].value;
	return -1;
}

static void
log_vwrite(int pri, const char *suffix, const char *fmt, va_list ap)
{
	char		 msg[2048], line[sizeof(msg) + 258];
	const char	*one = line;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(line, sizeof(line), "%s%s%s", msg, suffix ? ": " : "",
	    suffix ? suffix : "");
	log_syslog_lines(pri, &one, 1);
	if (log_foreground) {
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
	}
}

/*
 * Lines to syslog, in the order they were logged: handed to the syslog
 * thread (logq.c says why), or sent here when it cannot take them (no
 * thread, no memory), after what it holds.
 */
static void
log_syslog_lines(int pri, const char *const *lines, size_t n)
{
	time_t	now = time(NULL);

	if (!log_syslog || n == 0)
		return;
	if (log_q != NULL) {
		if (logq_put(log_q, pri, now, lines, n) == 0)
			return;
		logq_drain(log_q);
	}
	log_sink(pri, now, lines, n, NULL);
}

/*
 * The syslog thread's sink: what log_send_many cannot send (no syslogd
 * there to connect to, an error) goes through syslog(3) line by line.
 */
static void
log_sink(int pri, time_t when, const char *const *lines, size_t n,
    void *arg)
{
	size_t	i, sent;

	(void)arg;
	pthread_mutex_lock(&log_send_lock);
	if (log_socket()) {
		sent = log_send_many(pri, when, lines, n);
		for (i = sent; i < n; i++)
			syslog(pri, "%s", lines[i]);
	}
	pthread_mutex_unlock(&log_send_lock);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	 err[256];
	int	 saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, strerror_r(saved, err, sizeof(err)), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

/*
 * Lines that go out together, each its own syslog message: the lines a
 * batch of transitions kept until its commit was on disk.  syslog(3) costs
 * a getpid, a clock and time zone look-up and a sendto for every line, and
 * stderr a write: for a batch of hundreds that is more than the lines
 * say.  Here the batch is copied to the syslog thread at once, which makes
 * the header once and sends the messages in one sendmmsg(2) on a socket of
 * our own, in the format syslog(3) uses (what syslogd and journald parse);
 * stderr gets one write.
 */
void
log_info_many(const char *const *lines, size_t n)
{
	char	 buf[16384];
	size_t	 i, len, used = 0;

	if (n == 0)
		return;
	log_syslog_lines(LOG_INFO, lines, n);
	if (!log_foreground)
		return;
	for (i = 0; i < n; i++) {
		len = strlen(lines[i]);
		if (used + len + 1 > sizeof(buf)) {
			fwrite(buf, 1, used, stderr);
			used = 0;
		}
		if (len + 1 > sizeof(buf)) {
			fprintf(stderr, "%s\n", lines[i]);
			continue;
		}
		memcpy(buf + used, lines[i], len);
		used += len;
		buf[used++] = '\n';
	}
	fwrite(buf, 1, used, stderr);
	fflush(stderr);
}

/* Connect log_many_fd to syslogd's socket; -1 when there is none. */
static int
log_many_connect(void)
{
	struct sockaddr_un	sun;

	if (log_many_fd != -1)
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", _PATH_LOG);
	if ((log_many_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (connect(log_many_fd, (struct sockaddr *)&sun, sizeof(sun)) ==
	    -1) {
		close(log_many_fd);
		log_many_fd = -1;
		return -1;
	}
	return 0;
}

/*
 * Send lines as syslog(3) would with LOG_PID: "<pri>Mmm dd hh:mm:ss
 * ident[pid]: line", the time (when they were logged, not sent) local, the
 * month in English whatever the locale.  How many went out; the caller
 * sends the rest another way.
 */
static size_t
log_send_many(int pri, time_t now, const char *const *lines, size_t n)
{
	static const char	 months[12][4] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct mmsghdr		 msgs[64];
	struct iovec		 iov[64][2];
	struct tm		 tm;
	char			 head[128];
	size_t			 done = 0, k, i;
	int			 m, retried = 0, saved = errno;

	if (localtime_r(&now, &tm) == NULL)
		return 0;
	snprintf(head, sizeof(head), "<%d>%s %2d %02d:%02d:%02d %s[%d]: ",
	    pri | log_facility, months[tm.tm_mon % 12], tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, log_ident, (int)getpid());
	while (done < n) {
		if (log_many_connect() == -1)
			break;
		k = n - done < nitems(msgs) ? n - done : nitems(msgs);
		memset(msgs, 0, sizeof(msgs[0]) * k);
		for (i = 0; i < k; i++) {
			iov[i][0].iov_base = head;
			iov[i][0].iov_len = strlen(head);
			iov[i][1].iov_base = (void *)(uintptr_t)lines[done + i];
			iov[i][1].iov_len = strlen(lines[done + i]);
			msgs[i].msg_hdr.msg_iov = iov[i];
			msgs[i].msg_hdr.msg_iovlen = 2;
		}
		if ((m = sendmmsg(log_many_fd, msgs, (unsigned int)k, 0)) > 0) {
			done += (size_t)m;
			continue;
		}
		if (m == -1 && errno == EINTR)
			continue;
		/* syslogd went away or restarted: connect again, once. */
		close(log_many_fd);
		log_many_fd = -1;
		if (retried++)
			break;
	}
	errno = saved;
	return done;
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	 err[256];
	int	 saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, strerror_r(saved, err, sizeof(err)), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
