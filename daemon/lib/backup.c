/* termijn: a verified copy of the store, made while termijnd runs. */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/audit.h"
#include "termijn/backup.h"
#include "termijn/store.h"
#include "termijn/util.h"

static enum store_status backup_audit(struct store *, char *, size_t);
static int	backup_verify(const char *, backup_check_cb *, void *, char *,
		    size_t);
static int	backup_sync(const char *, int);
static void	backup_unlink(const char *);

/*
 * What a copy must pass before it is called a backup, in order; each runs
 * on the copy, opened as a store.  A check added here is run by every
 * backup from then on.
 */
static const struct backup_check {
	const char	*bk_name;
	enum store_status (*bk_run)(struct store *, char *, size_t);
} backup_checks[] = {
	{ "integrity", store_check },
	{ "audit chain", backup_audit },
};

/*
 * The copy is made under a temporary name beside out (the same file
 * system, so that the last step is a rename), checked, synced, and only
 * then given its name; the directory is synced after, so that a backup
 * reported made survives a power cut.
 */
int
backup_make(const char *location, const char *out, int replace,
    backup_check_cb *cb, void *arg, char *err, size_t errlen)
{
	char	*tmp;
	int	 fd, rc = -1;

	if (!replace && access(out, F_OK) == 0) {
		snprintf(err, errlen, "%s exists already", out);
		return -1;
	}
	xasprintf(&tmp, "%s.tmp-XXXXXX", out);
	/* mkstemp makes it 0600: a backup holds what the database holds. */
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (store_backup(location, tmp, err, errlen) != STORE_OK ||
	    backup_verify(tmp, cb, arg, err, errlen) == -1)
		goto fail;
	if (backup_sync(tmp, 0) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (replace ? rename(tmp, out) == -1 :
	    (link(tmp, out) == -1 || unlink(tmp) == -1)) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		goto fail;
	}
	if (backup_sync(out, 1) == -1) {
		snprintf(err, errlen, "syncing the directory of %s: %s", out,
		    strerror(errno));
		goto done;	/* it is there; whether it lasts is unknown */
	}
	rc = 0;
	goto done;
fail:
	backup_unlink(tmp);
done:
	free(tmp);
	return rc;
}

/* Every transition's link in the audit chain, and the head the store keeps. */
static enum store_status
backup_audit(struct store *st, char *err, size_t errlen)
{
	struct audit_report	ar;

	switch (audit_verify(st, 0, NULL, &ar)) {
	case 0:
		return STORE_OK;
	case 1:
		if (ar.ar_bad != 0)
			snprintf(err, errlen, "transition %lld (case %lld): %s",
			    (long long)ar.ar_bad, (long long)ar.ar_bad_case,
			    ar.ar_msg);
		else
			snprintf(err, errlen, "%s%s", ar.ar_msg,
			    ar.ar_findings > 1 ? " (and more: termijnctl audit"
			    " verify tells each)" : "");
		break;
	default:
		snprintf(err, errlen, "%s", ar.ar_msg);
		break;
	}
	return STORE_FAILED;
}

/* Open the copy as a store and run every check on it. */
static int
backup_verify(const char *path, backup_check_cb *cb, void *arg, char *err,
    size_t errlen)
{
	struct store	*st;
	char		 msg[512];
	size_t		 i;
	int		 rc = 0;

	if ((st = store_open(path, err, errlen)) == NULL)
		return -1;
	for (i = 0; i < nitems(backup_checks); i++) {
		if (backup_checks[i].bk_run(st, msg, sizeof(msg)) != STORE_OK) {
			snprintf(err, errlen, "the copy failed the %s check: %s",
			    backup_checks[i].bk_name, *msg != '\0' ? msg :
			    store_errmsg(st));
			rc = -1;
			break;
		}
		if (cb != NULL)
			cb(backup_checks[i].bk_name, arg);
	}
	store_close(st);
	return rc;
}

/* fsync a file, or with dir set the directory it is in. */
static int
backup_sync(const char *path, int dir)
{
	char	*copy = xstrdup(path);
	int	 fd, rc = -1;

	fd = open(dir ? dirname(copy) : path, O_RDONLY | O_CLOEXEC |
	    (dir ? O_DIRECTORY : 0));
	if (fd != -1) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/* A copy that is no backup, with whatever SQLite left beside it. */
static void
backup_unlink(const char *path)
{
	static const char	*const sidecars[] = { "", "-wal", "-shm",
				    "-journal" };
	char			*p;
	size_t			 i;

	for (i = 0; i < nitems(sidecars); i++) {
		xasprintf(&p, "%s%s", path, sidecars[i]);
		unlink(p);
		free(p);
	}
}
