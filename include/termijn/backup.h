/* termijn: a verified copy of the store, made while termijnd runs. */
#ifndef TERMIJN_BACKUP_H
#define TERMIJN_BACKUP_H

#include <stddef.h>

/* Told of each check as it passes: its name. */
typedef void	backup_check_cb(const char *name, void *);
/*
 * Told of each copy an interrupted backup left that is removed: its path,
 * the side files removed with it ("-wal, -shm", or ""), and NULL, or the
 * error that kept it from being removed.
 */
typedef void	backup_removed_cb(const char *path, const char *sidecars,
		    const char *error, void *);

/*
 * Copy the store at location to out, consistent as of one moment, and run
 * every check on the copy before it takes the name out: a copy that fails
 * one is removed, never left to be mistaken for a backup, and so is one
 * whose backup a signal ends.  A copy that a backup killed outright (kill
 * -9, a power cut) left in out's directory is removed first.  out must
 * not exist unless replace is set; it is replaced atomically.  Returns 0,
 * or -1 with a message in err.
 */
int	 backup_make(const char *location, const char *out, int replace,
	    backup_check_cb *, backup_removed_cb *, void *, char *err,
	    size_t errlen);

#endif /* TERMIJN_BACKUP_H */
