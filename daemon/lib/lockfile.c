/* termijn: a lock file that names its holder and dies with its process. */

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/lockfile.h"
#include "termijn/util.h"

static pid_t	lockfile_parse_pid(int);

/*
 * The lock is flock(2) on the whole file.  The kernel drops it when the
 * last descriptor of the open file goes, so whichever way the holder ends
 * (exit, crash, kill -9, power cut) the file blocks nobody afterwards: a
 * file left behind is simply taken again and its pid overwritten.  Not
 * fcntl(2) locks: a process loses those on a file as soon as it closes any
 * descriptor of that file, whereas a flock belongs to the one open file
 * description taken here.  The file is never removed: removing it would
 * let a process that opened the old file and one that creates a new one
 * both hold "the" lock.
 *
 * The pid in the file is for people and messages only; the lock itself is
 * the flock.
 */
int
lockfile_take(const char *path, pid_t *holder, char *err, size_t errlen)
{
	char	line[32];
	int	fd, len;

	*holder = -1;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		snprintf(err, errlen, "lock file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			*holder = lockfile_parse_pid(fd);
		else
			snprintf(err, errlen, "lock file %s: %s", path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	/*
	 * Ours now.  A pid that cannot be written (a full disk) does not
	 * weaken the lock: one refused only cannot name us.
	 */
	len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, line, len, 0) != len)
		log_warn("lock file %s: writing the process id", path);
	return fd;
}

void
lockfile_release(int fd)
{
	if (fd == -1)
		return;
	if (ftruncate(fd, 0) == -1)
		log_warn("emptying a lock file");
	close(fd);
}

pid_t
lockfile_read_pid(const char *path)
{
	pid_t	pid;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	pid = lockfile_parse_pid(fd);
	close(fd);
	return pid;
}

/* The pid an open lock or pid file holds; 0 when it holds none. */
static pid_t
lockfile_parse_pid(int fd)
{
	char	 buf[32], *end;
	ssize_t	 n;
	long	 v;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') ||
	    v <= 0 || v > INT_MAX)
		return 0;
	return (pid_t)v;
}
