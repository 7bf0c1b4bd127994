/* termijn: where the shipped data and the state of an install are. */
#ifndef TERMIJN_PATHS_H
#define TERMIJN_PATHS_H

/*
 * The directory that holds the shipped data (workflows, decree days),
 * chosen once: $TERMIJN_DATADIR, else ../share/termijn beside the running
 * executable (an install under any prefix, or staged with DESTDIR), else
 * the build directory's share/termijn when the executable runs from its
 * build directory, else the directory the install prefix names.
 */
const char	*paths_data(void);
/* A file or directory in it, allocated: paths_data()/name. */
char		*paths_data_file(const char *name);
/* A file in the state directory (/var/lib/termijn when packaged), allocated. */
char		*paths_state_file(const char *name);

#endif /* TERMIJN_PATHS_H */
