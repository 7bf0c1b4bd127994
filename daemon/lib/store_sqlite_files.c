/* termijn: the SQLite backend's files: their directory and who may read them. */

#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

#include "store_sqlite_int.h"

static void	sq_files_mode_check(const char *);
static int	sq_files_make_dir(const char *, char *, size_t);

/*
 * Before the serving process opens a database: its directory is made if
 * it is not there (one level, as a package's /var/lib/termijn), and a
 * database that others may read is warned about.  A location in a
 * database server has neither, so this is the SQLite backend's business,
 * not termijnd's.  What is created gets the process's umask (termijnd
 * sets 077).  -1 with err set when the directory cannot be made.
 */
int
sq_files_prepare(const char *path, char *err, size_t errlen)
{
	sq_files_mode_check(path);
	return sq_files_make_dir(path, err, errlen);
}

/*
 * An existing database (or WAL or SHM) that others may read was made
 * before termijnd set its umask, or changed since: say so, and how to fix
 * it.  SQLite gives a new WAL and SHM the database's own mode.
 */
static void
sq_files_mode_check(const char *db)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	struct stat	 st;
	char		*path;
	size_t		 i;

	for (i = 0; i < nitems(suffixes); i++) {
		xasprintf(&path, "%s%s", db, suffixes[i]);
		if (stat(path, &st) == 0 && (st.st_mode & 077) != 0)
			log_warnx("%s is readable or writable by others than its"
			    " owner (mode %04o): it holds notes about families;"
			    " chmod 600 %s", path, (unsigned)st.st_mode & 07777,
			    path);
		free(path);
	}
}

static int
sq_files_make_dir(const char *path, char *err, size_t errlen)
{
	char	*copy = xstrdup(path), *dir = dirname(copy);
	int	 rc = 0;

	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "creating the directory of %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	free(copy);
	return rc;
}
