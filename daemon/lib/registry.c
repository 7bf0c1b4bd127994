/* termijn: the registry of every workflow version termijn knows. */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/registry.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

/*
 * A sorted array (name, then version): a municipality has tens of
 * workflows with a few versions each, so a binary search over one block of
 * pointers beats any tree, and the order is the one registry_at promises.
 */
struct registry {
	struct workflow	**rg_wfs;
	size_t		  rg_count;
	size_t		  rg_cap;
};

static size_t	registry_find(const struct registry *, const char *, int,
		    int *);
static int	registry_check(const struct registry *,
		    const struct workflow *, struct errlist *);
static int	registry_namecmp(const void *, const void *);
static int	registry_scan(const char *, char ***, size_t *,
		    struct errlist *);
static struct wf_file *registry_files_add(struct wf_files *, char *);
static void	registry_refuse(struct wf_files *, struct wf_file *,
		    struct errlist *);

struct registry *
registry_new(void)
{
	return xcalloc(1, sizeof(struct registry));
}

void
registry_free(struct registry *rg)
{
	size_t	i;

	if (rg == NULL)
		return;
	for (i = 0; i < rg->rg_count; i++)
		workflow_free(rg->rg_wfs[i]);
	free(rg->rg_wfs);
	free(rg);
}

int
registry_add(struct registry *rg, struct workflow *wf, struct errlist *errs)
{
	size_t	at;
	int	found;

	at = registry_find(rg, wf->wf_name, wf->wf_version, &found);
	if (found) {
		if (registry_check(rg, wf, errs) == -1) {
			workflow_free(wf);
			return -1;
		}
		/* The same text again, say from a reload: nothing changes. */
		workflow_free(wf);
		return 0;
	}
	if (rg->rg_count == rg->rg_cap) {
		rg->rg_cap = rg->rg_cap == 0 ? 8 : rg->rg_cap * 2;
		rg->rg_wfs = xreallocarray(rg->rg_wfs, rg->rg_cap,
		    sizeof(*rg->rg_wfs));
	}
	memmove(&rg->rg_wfs[at + 1], &rg->rg_wfs[at],
	    (rg->rg_count - at) * sizeof(*rg->rg_wfs));
	rg->rg_wfs[at] = wf;
	rg->rg_count++;
	return 0;
}

const struct workflow *
registry_get(const struct registry *rg, const char *name, int version)
{
	size_t	at;
	int	found;

	if (name == NULL)
		return NULL;
	at = registry_find(rg, name, version, &found);
	return found ? rg->rg_wfs[at] : NULL;
}

/* The highest version sorts last among its name: look just before INT_MAX. */
const struct workflow *
registry_current(const struct registry *rg, const char *name)
{
	size_t	at;
	int	found;

	if (name == NULL)
		return NULL;
	at = registry_find(rg, name, INT_MAX, &found);
	if (found)
		return rg->rg_wfs[at];
	if (at == 0 || strcmp(rg->rg_wfs[at - 1]->wf_name, name) != 0)
		return NULL;
	return rg->rg_wfs[at - 1];
}

size_t
registry_count(const struct registry *rg)
{
	return rg->rg_count;
}

const struct workflow *
registry_at(const struct registry *rg, size_t i)
{
	if (i >= rg->rg_count)
		return NULL;
	return rg->rg_wfs[i];
}

/*
 * All or nothing: every file is parsed and checked, also against what the
 * registry already holds, before any is added, so that a reload with one
 * bad file keeps the old set whole.  The files are read in name order, so
 * that messages come out the same on every run.
 */
int
registry_load_dir(struct registry *rg, const char *dir, struct errlist *errs)
{
	struct workflow	**wfs = NULL, *wf;
	char		**names = NULL, *path;
	size_t		  n = 0, nwfs = 0, i, nerr;
	int		  rv = -1;

	nerr = errs != NULL ? errs->el_count : 0;
	if (registry_scan(dir, &names, &n, errs) == -1)
		return -1;
	wfs = xcalloc(n, sizeof(*wfs));
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		if ((wf = workflow_load_file(path, errs)) != NULL &&
		    registry_check(rg, wf, errs) == 0)
			wfs[nwfs++] = wf;
		else
			workflow_free(wf);
		free(path);
	}
	/* Without an error list, count failures by what was loaded. */
	if ((errs != NULL && errs->el_count != nerr) || nwfs != n)
		goto fail;

	for (i = 0; i < nwfs; i++) {
		if (registry_add(rg, wfs[i], errs) == -1)
			fatalx("%s: workflow %s changed while loading",
			    __func__, wfs[i]->wf_name);
		wfs[i] = NULL;
	}
	rv = 0;

fail:
	for (i = 0; i < nwfs; i++)
		workflow_free(wfs[i]);
	free(wfs);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rv;
}

/*
 * File by file, for a daemon that must go on running: a file that an
 * administrator got wrong is refused on its own, while the other files load
 * and every version the registry already holds (termijnd puts the ones the
 * database keeps there first) stays in use.
 */
int
registry_load_files(struct registry *rg, const char *dir,
    struct wf_files *files)
{
	struct errlist	  errs;
	struct workflow	 *wf;
	struct wf_file	 *f;
	char		**names = NULL, *path;
	size_t		  n = 0, i;
	int		  rv = 0;

	memset(files, 0, sizeof(*files));
	errlist_init(&errs);
	if (registry_scan(dir, &names, &n, &errs) == -1) {
		f = registry_files_add(files, xstrdup(dir));
		registry_refuse(files, f, &errs);
		rv = -1;
	}
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		f = registry_files_add(files, path);
		if ((wf = workflow_load_file(path, &errs)) != NULL) {
			f->wff_name = xstrdup(wf->wf_name);
			f->wff_version = wf->wf_version;
			(void)registry_add(rg, wf, &errs);
		}
		if (errs.el_count > 0)
			registry_refuse(files, f, &errs);
		free(names[i]);
	}
	free(names);
	return rv;
}

void
registry_files_clear(struct wf_files *files)
{
	size_t	i;

	for (i = 0; i < files->wfs_count; i++) {
		free(files->wfs_files[i].wff_path);
		free(files->wfs_files[i].wff_name);
		free(files->wfs_files[i].wff_reason);
	}
	free(files->wfs_files);
	memset(files, 0, sizeof(*files));
}

/* The *.yaml files of dir, sorted: -1, with a message, when there is none. */
static int
registry_scan(const char *dir, char ***namesp, size_t *np,
    struct errlist *errs)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL;
	size_t		  n = 0, cap = 0, len;

	if ((d = opendir(dir)) == NULL) {
		errlist_add(errs, "%s: cannot open the workflow directory: %s",
		    dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		/* Hidden files are editors' and tools' business. */
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n == 0) {
		errlist_add(errs, "%s: no workflows (*.yaml files) in this "
		    "directory", dir);
		return -1;
	}
	qsort(names, n, sizeof(*names), registry_namecmp);
	*namesp = names;
	*np = n;
	return 0;
}

/* A new entry for path, which it takes. */
static struct wf_file *
registry_files_add(struct wf_files *files, char *path)
{
	struct wf_file	*f;

	files->wfs_files = xreallocarray(files->wfs_files,
	    files->wfs_count + 1, sizeof(*files->wfs_files));
	f = &files->wfs_files[files->wfs_count++];
	memset(f, 0, sizeof(*f));
	f->wff_path = path;
	return f;
}

/*
 * The reason a file was refused: its messages, one line, without the path
 * they start with, since the entry names it.  Empties errs.
 */
static void
registry_refuse(struct wf_files *files, struct wf_file *f,
    struct errlist *errs)
{
	const char	*msg;
	char		*reason = NULL, *both;
	size_t		 i, plen = strlen(f->wff_path);

	for (i = 0; i < errs->el_count; i++) {
		msg = errs->el_msgs[i];
		if (strncmp(msg, f->wff_path, plen) == 0 && msg[plen] == ':')
			msg += plen + (msg[plen + 1] == ' ' ? 2 : 1);
		if (reason == NULL)
			reason = xstrdup(msg);
		else {
			xasprintf(&both, "%s; %s", reason, msg);
			free(reason);
			reason = both;
		}
	}
	f->wff_reason = reason;
	files->wfs_refused++;
	errlist_clear(errs);
}

/*
 * Where (name, version) is or would go; *found says which.  Binary search
 * over the sorted array.
 */
static size_t
registry_find(const struct registry *rg, const char *name, int version,
    int *found)
{
	const struct workflow	*wf;
	size_t			 lo = 0, hi = rg->rg_count, mid;
	int			 c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		wf = rg->rg_wfs[mid];
		if ((c = strcmp(wf->wf_name, name)) == 0)
			c = wf->wf_version < version ? -1 :
			    wf->wf_version > version;
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A version is fixed once known: cases are pinned to it, so other text under
 * the same name and version would change running cases behind their backs.
 */
static int
registry_check(const struct registry *rg, const struct workflow *wf,
    struct errlist *errs)
{
	const struct workflow	*old;
	const char		*path;
	int			 next;

	if ((old = registry_get(rg, wf->wf_name, wf->wf_version)) == NULL ||
	    strcmp(old->wf_digest, wf->wf_digest) == 0)
		return 0;
	/* The fix names a free number: one past the newest known. */
	next = registry_current(rg, wf->wf_name)->wf_version + 1;
	path = wf->wf_path != NULL ? wf->wf_path : wf->wf_name;
	if (old->wf_stored)
		errlist_add(errs, "%s: workflow %s version %d differs from the "
		    "text the database keeps for that version, which cases may "
		    "run on; raise version to %d", path, wf->wf_name,
		    wf->wf_version, next);
	else
		errlist_add(errs, "%s: workflow %s version %d is already known "
		    "with different content%s%s; to change a workflow, raise "
		    "version to %d", path, wf->wf_name, wf->wf_version,
		    old->wf_path != NULL ? " from " : "",
		    old->wf_path != NULL ? old->wf_path : "", next);
	return -1;
}

static int
registry_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
