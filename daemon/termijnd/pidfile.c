/* termijn: the pid file, for running termijnd without systemd. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/lockfile.h"

#include "termijnd.h"

static int	pidfile_is_termijnd(pid_t);
static void	pidfile_remove(void);

static char	*pidfile_path;		/* the pid file written, for exit */

/*
 * Write our process id to path, refusing when the file names another
 * termijnd that is alive.  A file left by one that died (kill -9, a crash,
 * a power cut) names a process that is gone or is something else by now,
 * and is replaced.  The file is written beside its final name and renamed
 * over it, so that a reader never sees it half written.  It is removed at
 * exit, whichever way termijnd exits but a signal that kills it.
 */
int
pidfile_write(const char *path, char *err, size_t errlen)
{
	char	*tmp;
	char	 line[32];
	pid_t	 pid;
	int	 fd, len;

	if ((pid = lockfile_read_pid(path)) > 0 && pid != getpid() &&
	    pidfile_is_termijnd(pid)) {
		snprintf(err, errlen, "termijnd already runs as process %ld"
		    " (pid file %s)", (long)pid, path);
		return -1;
	}
	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, errlen, "pid file %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (fchmod(fd, 0644) == -1 || write(fd, line, len) != len ||
	    close(fd) == -1 || rename(tmp, path) == -1) {
		snprintf(err, errlen, "pid file %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	if (pidfile_path == NULL)
		atexit(pidfile_remove);
	free(pidfile_path);
	pidfile_path = xstrdup(path);
	return 0;
}

/* Remove the pid file if it is still ours. */
static void
pidfile_remove(void)
{
	if (lockfile_read_pid(pidfile_path) == getpid() &&
	    unlink(pidfile_path) == -1)
		log_warn("removing the pid file %s", pidfile_path);
}

/* Whether a process is alive and is a termijnd (not a reused id). */
static int
pidfile_is_termijnd(pid_t pid)
{
	char	 path[64], comm[32];
	ssize_t	 n;
	int	 fd;

	if (kill(pid, 0) == -1 && errno != EPERM)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 1;	/* alive, and we cannot tell: assume it is */
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, "termijnd") == 0;
}
