/* termijn: a lock file that names its holder and dies with its process. */
#ifndef TERMIJN_LOCKFILE_H
#define TERMIJN_LOCKFILE_H

#include <sys/types.h>

#include <stddef.h>

/*
 * lockfile.c: hold the file at path, created if need be (mode 0600), for
 * as long as this process lives or until lockfile_release, and write the
 * process id in it.  Its descriptor, or -1: with *holder the pid of the
 * process that holds it (0 when that one has not written its pid yet), or,
 * when the file cannot be used at all, *holder -1 and err filled.
 */
int	 lockfile_take(const char *path, pid_t *holder, char *err,
	    size_t errlen);
/* Empty the file (it names nobody now) and let it go. */
void	 lockfile_release(int fd);
/* The process id a file holds ("1234\n"); 0 when there is none or no file. */
pid_t	 lockfile_read_pid(const char *path);

#endif /* TERMIJN_LOCKFILE_H */
