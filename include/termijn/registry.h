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

/* What became of one workflow file: loaded, or refused and why. */
struct wf_file {
	char	*wff_path;
	char	*wff_name;	/* NULL: not known (the file has errors) */
	int	 wff_version;	/* 0: not known */
	char	*wff_reason;	/* NULL: loaded */
};

/* The files of one load, in name order. */
struct wf_files {
	struct wf_file	*wfs_files;
	size_t		 wfs_count;
	size_t		 wfs_refused;
};

/*
 * Loads every *.yaml in dir, sorted, each file on its own: one with errors,
 * or with other text for a name and version the registry holds, is refused
 * and the others are added.  files says which and why; -1 when the
 * directory itself cannot be read or holds no workflow (then files has one
 * refused entry, for dir).
 */
int	 registry_load_files(struct registry *, const char *dir,
	    struct wf_files *);
void	 registry_files_clear(struct wf_files *);

#endif /* TERMIJN_REGISTRY_H */
