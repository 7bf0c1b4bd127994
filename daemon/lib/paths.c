/* termijn: where the shipped data and the state of an install are. */

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/paths.h"
#include "termijn/util.h"

/* The build passes these; the defaults serve builds that do not (fuzzing). */
#ifndef TERMIJN_INSTALL_DATADIR
#define TERMIJN_INSTALL_DATADIR	"/usr/local/share/termijn"
#endif
#ifndef TERMIJN_STATEDIR
#define TERMIJN_STATEDIR	"/usr/local/var/lib/termijn"
#endif
#ifndef TERMIJN_BUILD_DIR
#define TERMIJN_BUILD_DIR	""
#endif
#ifndef TERMIJN_BUILD_DATADIR
#define TERMIJN_BUILD_DATADIR	""
#endif

static char	*paths_data_found;

static char	*paths_beside_exe(void);
static int	 paths_is_dir(const char *);

/*
 * An installed program finds its data through where it is installed, not
 * through where it was built: the path compiled in is only the last resort,
 * so that a package staged with DESTDIR, or a tree moved to another prefix,
 * works as it lies.  A program run from its build directory (the tests,
 * contrib/run.sh) reads the build's share/termijn instead, which the build
 * links to the source tree's files; an installed copy never does, even
 * while that tree is still there.
 */
const char *
paths_data(void)
{
	const char	*env;
	char		*p;

	if (paths_data_found != NULL)
		return paths_data_found;
	if ((env = getenv("TERMIJN_DATADIR")) != NULL && *env != '\0')
		paths_data_found = xstrdup(env);
	else if ((p = paths_beside_exe()) != NULL)
		paths_data_found = p;
	else
		paths_data_found = xstrdup(TERMIJN_INSTALL_DATADIR);
	return paths_data_found;
}

char *
paths_data_file(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", paths_data(), name);
	return p;
}

/*
 * The state directory is the one the install prefix names, wherever the
 * program lies: a database is not part of a relocatable tree.
 */
char *
paths_state_file(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", TERMIJN_STATEDIR, name);
	return p;
}

/* bin/../share/termijn, or the build's own for a program in its build dir. */
static char *
paths_beside_exe(void)
{
	char		 exe[PATH_MAX], build[PATH_MAX], *slash, *p;
	ssize_t		 n;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	if ((slash = strrchr(exe, '/')) != NULL) {
		/* bin/.. or sbin/..: the prefix. */
		*slash = '\0';
		xasprintf(&p, "%s/share/termijn", exe);
		if (paths_is_dir(p))
			return p;
		free(p);
		*slash = '/';
	}
	if (*TERMIJN_BUILD_DIR != '\0' &&
	    realpath(TERMIJN_BUILD_DIR, build) != NULL &&
	    strcmp(build, exe) == 0 && paths_is_dir(TERMIJN_BUILD_DATADIR))
		return xstrdup(TERMIJN_BUILD_DATADIR);
	return NULL;
}

static int
paths_is_dir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}
