/* termijn: one small logging API, to syslog and, in the foreground, stderr. */

#include <errno.h>
#include <paths.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "termijn/util.h"

static int	log_foreground = 1;	/* before log_init: stderr only */
static int	log_syslog;
static int	log_verbose;
static int	log_socket_ok;		/* /dev/log was there at the last look */
static int64_t	log_socket_seen;	/* monotonic ms of the last look */

static int	log_socket(void);

static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

void
log_init(const char *ident, int foreground, int facility)
{
	log_foreground = foreground;
	log_syslog = 1;
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
	tzset();
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
	char	 msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog && log_socket())
		syslog(pri, "%s%s%s", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
	if (log_foreground) {
		fprintf(stderr, "%s%s%s\n", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
		fflush(stderr);
	}
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
