/* termijn: a verified copy of the store, made while termijnd runs. */

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/audit.h"
#include "termijn/backup.h"
#include "termijn/store.h"
#include "termijn/util.h"

#define TMP_MARK	".tmp-"		/* OUT.tmp-XXXXXX, as mkstemp makes it */
#define TMP_X		6

static enum store_status backup_audit(struct store *, char *, size_t);
static int	backup_verify(const char *, backup_check_cb *, void *, char *,
		    size_t);
static int	backup_sync(const char *, int);
static void	backup_unlink(const char *);
static void	backup_arm(sigset_t *);
static void	backup_disarm(void);
static void	backup_signal_cb(int);
static void	backup_leftovers(const char *, backup_removed_cb *, void *);
static int	backup_leftover(int, const char *, char *, size_t, char *,
		    size_t);
static int	backup_tmp_name(const char *, size_t *);
static int	backup_ours(int, const char *, struct stat *);

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

/* What SQLite keeps beside a database, removed before the database. */
static const char *const sidecars[] = { "-wal", "-shm", "-journal" };

/* The signals that end a process unless caught. */
static const int backup_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
	SIGXCPU, SIGXFSZ,
};

/*
 * The copy's files, for the signal handler: the side files first, so that
 * a copy whose removal is cut short is still found by the next backup.
 */
static char		 bk_paths[nitems(sidecars) + 1][PATH_MAX + 16];
static volatile sig_atomic_t bk_armed;
static struct sigaction	 bk_old[nitems(backup_signals)];
static int		 bk_caught[nitems(backup_signals)];

/*
 * The copy is made under a temporary name beside out (the same file
 * system, so that the last step is a rename), checked, synced, and only
 * then given its name; the directory is synced after, so that a backup
 * reported made survives a power cut.
 *
 * The copy holds every case, so it must not outlive a backup that did not
 * finish.  One that fails is removed, and so is one whose backup a signal
 * ends (INT, TERM, HUP, a closed pipe ...): the handler removes its files
 * and ends the process as the signal would have.  Nothing runs at kill -9
 * or a power cut; so the copy is held with flock(2) while its backup runs
 * (the kernel lets go of it however the process ends), and every backup
 * first removes, in out's directory, each NAME.tmp-XXXXXX that is an
 * SQLite file of this user's (or empty) that no backup holds, with its
 * side files, and says so.
 */
int
backup_make(const char *location, const char *out, int replace,
    backup_check_cb *cb, backup_removed_cb *removed, void *arg, char *err,
    size_t errlen)
{
	sigset_t held;
	char	*tmp;
	size_t	 i;
	int	 fd, rc = -1;

	if (!replace && access(out, F_OK) == 0) {
		snprintf(err, errlen, "%s exists already", out);
		return -1;
	}
	backup_leftovers(out, removed, arg);
	xasprintf(&tmp, "%s" TMP_MARK "XXXXXX", out);
	if (strlen(tmp) + strlen("-journal") >= sizeof(bk_paths[0])) {
		snprintf(err, errlen, "%s: %s", out, strerror(ENAMETOOLONG));
		free(tmp);
		return -1;
	}
	/*
	 * The signals wait while the copy is made and its name noted: one
	 * that comes meanwhile finds the name when they are let through.
	 */
	backup_arm(&held);
	/* mkstemp makes it 0600: a backup holds what the database holds. */
	fd = mkstemp(tmp);
	if (fd != -1) {
		for (i = 0; i < nitems(sidecars); i++)
			snprintf(bk_paths[i], sizeof(bk_paths[i]), "%s%s", tmp,
			    sidecars[i]);
		snprintf(bk_paths[i], sizeof(bk_paths[i]), "%s", tmp);
		bk_armed = 1;
	}
	sigprocmask(SIG_SETMASK, &held, NULL);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		backup_disarm();
		free(tmp);
		return -1;
	}
	if (flock(fd, LOCK_EX) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
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
	backup_disarm();
	/* Last: SQLite has closed the copy, so no lock of its goes with it. */
	close(fd);
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
	char	*p;
	size_t	 i;

	for (i = 0; i < nitems(sidecars); i++) {
		xasprintf(&p, "%s%s", path, sidecars[i]);
		unlink(p);
		free(p);
	}
	unlink(path);
}

/*
 * Catch the signals that would end the process, unless they are ignored,
 * and hold them back until the caller sets the mask it had, in old.
 */
static void
backup_arm(sigset_t *old)
{
	struct sigaction	sa;
	size_t			i;

	bk_armed = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = backup_signal_cb;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < nitems(backup_signals); i++)
		sigaddset(&sa.sa_mask, backup_signals[i]);
	sigprocmask(SIG_BLOCK, &sa.sa_mask, old);
	for (i = 0; i < nitems(backup_signals); i++) {
		bk_caught[i] = 0;
		if (sigaction(backup_signals[i], NULL, &bk_old[i]) == -1 ||
		    bk_old[i].sa_handler == SIG_IGN)
			continue;
		bk_caught[i] = sigaction(backup_signals[i], &sa, NULL) == 0;
	}
}

static void
backup_disarm(void)
{
	size_t	i;

	bk_armed = 0;
	for (i = 0; i < nitems(backup_signals); i++)
		if (bk_caught[i])
			sigaction(backup_signals[i], &bk_old[i], NULL);
}

/* Remove the copy, then end as the signal would have (async-signal-safe). */
static void
backup_signal_cb(int sig)
{
	struct sigaction	sa;
	size_t			i;

	if (bk_armed)
		for (i = 0; i < nitems(bk_paths); i++)
			unlink(bk_paths[i]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	/* Delivered as soon as this handler returns and unblocks it. */
	raise(sig);
}

/*
 * The copies interrupted backups left in out's directory (see
 * backup_make): each, and side files whose database is gone.
 */
static void
backup_leftovers(const char *out, backup_removed_cb *cb, void *arg)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*copy = xstrdup(out), *dir, *path, side[32];
	char		 msg[NAME_MAX + 256], db[NAME_MAX + 1];
	size_t		 len;
	int		 dfd, done;

	dir = dirname(copy);
	if ((d = opendir(dir)) == NULL) {
		free(copy);
		return;		/* the backup itself will say why */
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (!backup_tmp_name(de->d_name, &len))
			continue;
		*side = '\0';
		if (len == strlen(de->d_name))
			done = backup_leftover(dfd, de->d_name, side,
			    sizeof(side), msg, sizeof(msg));
		else {
			/* A side file, whose database is gone. */
			snprintf(db, sizeof(db), "%.*s", (int)len, de->d_name);
			if (fstatat(dfd, db, &sb, AT_SYMLINK_NOFOLLOW) == 0 ||
			    errno != ENOENT ||
			    !backup_ours(dfd, de->d_name, &sb))
				continue;
			done = unlinkat(dfd, de->d_name, 0) == 0;
			if (!done)
				snprintf(msg, sizeof(msg), "%s",
				    strerror(errno));
		}
		if (done == -1)
			continue;	/* not a leftover, or in use */
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (cb != NULL)
			cb(path, side, done ? NULL : msg, arg);
		free(path);
	}
	closedir(d);
	free(copy);
}

/*
 * One copy, name in the directory dfd: removed with its side files (their
 * names in side) if it is one an interrupted backup left: 1.  0 when it
 * could not be removed, why in msg; -1 when it is no leftover, or a
 * running backup's.
 */
static int
backup_leftover(int dfd, const char *name, char *side, size_t sidelen,
    char *msg, size_t msglen)
{
	static const char	 magic[16] = "SQLite format 3";
	struct stat		 sb;
	char			 head[sizeof(magic)], p[NAME_MAX + 16];
	ssize_t			 n;
	size_t			 i;
	int			 fd, rc = -1;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != geteuid())
		goto done;
	n = read(fd, head, sizeof(head));
	if (n != 0 && (n != (ssize_t)sizeof(head) ||
	    memcmp(head, magic, sizeof(magic)) != 0))
		goto done;
	/* A running backup holds its copy. */
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		goto done;
	rc = 1;
	for (i = 0; i < nitems(sidecars); i++) {
		snprintf(p, sizeof(p), "%s%s", name, sidecars[i]);
		if (unlinkat(dfd, p, 0) == 0)
			snprintf(side + strlen(side), sidelen - strlen(side),
			    "%s%s", *side != '\0' ? ", " : "", sidecars[i]);
		else if (errno != ENOENT) {
			snprintf(msg, msglen, "%s: %s", p, strerror(errno));
			rc = 0;
		}
	}
	if (rc == 1 && unlinkat(dfd, name, 0) == -1) {
		snprintf(msg, msglen, "%s", strerror(errno));
		rc = 0;
	}
done:
	close(fd);
	return rc;
}

/*
 * Whether a name is NAME.tmp-XXXXXX, perhaps with a side file's ending;
 * len is then the length without it.
 */
static int
backup_tmp_name(const char *name, size_t *len)
{
	const char	*mark, *x;
	size_t		 i;

	for (mark = strstr(name, TMP_MARK); mark != NULL;
	    mark = strstr(mark + 1, TMP_MARK)) {
		if (mark == name)
			continue;
		x = mark + strlen(TMP_MARK);
		for (i = 0; i < TMP_X; i++)
			if (!((x[i] >= 'a' && x[i] <= 'z') ||
			    (x[i] >= 'A' && x[i] <= 'Z') ||
			    (x[i] >= '0' && x[i] <= '9')))
				break;
		if (i < TMP_X)
			continue;
		*len = (size_t)(x + TMP_X - name);
		if (x[TMP_X] == '\0')
			return 1;
		for (i = 0; i < nitems(sidecars); i++)
			if (strcmp(x + TMP_X, sidecars[i]) == 0)
				return 1;
	}
	return 0;
}

/* Whether a side file is a regular file of this user's. */
static int
backup_ours(int dfd, const char *name, struct stat *sb)
{
	return fstatat(dfd, name, sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb->st_mode) && sb->st_uid == geteuid();
}
