/* termijn: telling systemd how termijnd is (sd_notify) and that it lives. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "termijnd.h"

static void	notify_watchdog_cb(evutil_socket_t, short, void *);

static struct event	*notify_watchdog_ev;

/*
 * Under systemd with Type=notify, NOTIFY_SOCKET names where to send state
 * changes; without it every call here does nothing.  With WatchdogSec set,
 * systemd expects WATCHDOG=1 at least every WATCHDOG_USEC and kills a
 * service that stays silent.  The ping is sent by a timer of the event
 * loop at half that interval, so that it stops exactly when the loop
 * stops turning: a callback stuck in a loop or a lock gets termijnd
 * restarted, while a slow but working loop does not.
 */
void
notify_init(struct termijnd *d)
{
	struct timeval	tv;
	uint64_t	usec;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	usec /= 2;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	if ((notify_watchdog_ev = event_new(d->d_base, -1, EV_PERSIST,
	    notify_watchdog_cb, d)) == NULL || event_add(notify_watchdog_ev,
	    &tv) == -1)
		fatalx("cannot arm the watchdog timer");
	log_info("systemd watchdog: a ping every %llu ms",
	    (unsigned long long)usec / 1000);
	sd_notify(0, "WATCHDOG=1");
}

void
notify_free(void)
{
	if (notify_watchdog_ev != NULL)
		event_free(notify_watchdog_ev);
	notify_watchdog_ev = NULL;
}

/* A state ("READY=1", "STOPPING=1", ...) with a STATUS line for people. */
void
notify_state(const char *state, const char *fmt, ...)
{
	va_list	 ap;
	char	*status;
	int	 rc;

	va_start(ap, fmt);
	xvasprintf(&status, fmt, ap);
	va_end(ap);
	if (state != NULL)
		rc = sd_notifyf(0, "%s\nSTATUS=%s", state, status);
	else
		rc = sd_notifyf(0, "STATUS=%s", status);
	if (rc < 0)
		log_debug("%s: sd_notify: %d", __func__, rc);
	free(status);
}

static void
notify_watchdog_cb(evutil_socket_t fd, short ev, void *arg)
{
	sd_notify(0, "WATCHDOG=1");
}
