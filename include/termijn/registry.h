/* termijn: the registry of every workflow version termijn knows. */
#ifndef TERMIJN_REGISTRY_H
#define TERMIJN_REGISTRY_H

#include <stddef.h>

struct errlist;
struct workflow;

/*
 * The newest version of each name serves new cases; older versions stay for
 * the cases pinned to them.  The registry owns its workflows.
 */
struct registry;

struct registry	*registry_new(void);
void	 registry_free(struct registry *);
/*
 * Adds; -1 (and an error) when name and version exist with other content.
 * Takes the workflow in every case: an identical copy, or a refused one, is
 * freed.
 */
int	 registry_add(struct registry *, struct workflow *, struct errlist *);
const struct workflow *registry_get(const struct registry *, const char *,
	    int version);
const struct workflow *registry_current(const struct registry *, const char *);
size_t	 registry_count(const struct registry *);
const struct workflow *registry_at(const struct registry *, size_t);
/*
 * Loads every *.yaml in dir, sorted; all errors reported; -1 if any, and
 * then the registry is left as it was.
 */
int	 registry_load_dir(struct registry *, const char *dir, struct errlist *);

#endif /* TERMIJN_REGISTRY_H */
