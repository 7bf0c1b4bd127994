/*
 * termijn: the strict YAML loader of workflows: its entry points, and the
 * top level of a file.  It sits on top of the loader's other files.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "termijn/hash.h"
#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

/*
 * Loading happens in two passes.  The first (workflow_read.c) reads
 * libyaml's events into a small tree of nodes that keeps every position,
 * refusing what a workflow never needs (anchors, aliases, tags, deep
 * nesting, a second document).  The second walks the tree against tables
 * of known keys (here the top level; the states in workflow_states.c,
 * the legal bases in workflow_bases.c, titles and roles in
 * workflow_title.c), builds the model and checks the graph of states.  Two
 * passes, rather than validating on the event stream, because the checks
 * that matter most (undefined and unreachable states) need the whole file,
 * and a tree lets every check run and report instead of stopping at the
 * first problem.  Messages are collected with their positions and reported
 * sorted, so that they read top to bottom whichever check found them
 * (workflow_node.c, with the helpers every pass reads the tree with).  The
 * checks of the graph are in workflow_check.c.
 */

static struct workflow *wf_parse(const char *, const char *, const char *,
		    size_t, int, struct errlist *);
static void	wp_workflow(struct wf_parse *, const struct ynode *,
		    const char *);
static void	wp_retention(struct wf_parse *, const struct ynode *);

/*
 * The language, one table per mapping.  Add keys here first.  A key whose
 * wk_refused is set is known but not allowed in that mapping: it is not
 * listed among the allowed keys, and using it says why.
 */
enum {
	K_WORKFLOW,
	K_VERSION,
	K_TITLE,
	K_ROLES,
	K_START,
	K_BASES,
	K_SHARE_BASES,
	K_RETENTION,
	K_CORRECTIONS,
	K_DEADLINES,
	K_STATES,
};
static const struct wf_key wf_top_keys[] = {
	[K_WORKFLOW] =	{ "workflow", WT_NAME, 1, "workflow", 0, 0, NULL },
	[K_VERSION] =	{ "version", WT_INT, 1, NULL, 1, 1000000, NULL },
	[K_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[K_ROLES] =	{ "roles", WT_LIST, 0, NULL, 0, 0, NULL },
	[K_START] =	{ "start", WT_NAME, 1, "state", 0, 0, NULL },
	[K_BASES] =	{ "bases", WT_MAPPING, 0, NULL, 0, 0, NULL },
	[K_SHARE_BASES] = { "share_bases", WT_LIST, 0, NULL, 0, 0, NULL },
	[K_RETENTION] =	{ "retention", WT_PERIOD, 0, NULL, 0, 0, NULL },
	[K_CORRECTIONS] = { "corrections", WT_LIST, 0, NULL, 0, 0, NULL },
	[K_DEADLINES] =	{ "deadlines", WT_MAPPING, 0, NULL, 0, 0, NULL },
	[K_STATES] =	{ "states", WT_MAPPING, 1, NULL, 0, 0, NULL },
};

struct workflow *
workflow_parse(const char *name, const char *buf, size_t len,
    struct errlist *errs)
{
	return wf_parse(name, NULL, buf, len, 0, errs);
}

struct workflow *
workflow_parse_stored(const char *name, const char *buf, size_t len,
    struct errlist *errs)
{
	return wf_parse(name, NULL, buf, len, 1, errs);
}

/*
 * Reads at most one byte more than the limit, so that a file that grows
 * after the size check is still refused without reading all of it.
 */
struct workflow *
workflow_load_file(const char *path, struct errlist *errs)
{
	struct workflow	*wf = NULL;
	struct stat	 st;
	const char	*base;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errlist_add(errs, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		errlist_add(errs, "%s: cannot stat: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errlist_add(errs, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_size > WF_MAX_FILE_SIZE) {
		errlist_add(errs, "%s: file is too large (%lld bytes; the limit "
		    "is %d)", path, (long long)st.st_size, WF_MAX_FILE_SIZE);
		goto fail;
	}
	buf = xmalloc(WF_MAX_FILE_SIZE + 1);
	while (len < WF_MAX_FILE_SIZE + 1) {
		n = read(fd, buf + len, WF_MAX_FILE_SIZE + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			errlist_add(errs, "%s: cannot read: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	if ((base = strrchr(path, '/')) != NULL)
		base++;
	else
		base = path;
	if ((wf = wf_parse(path, base, buf, len, 0, errs)) != NULL)
		wf->wf_path = xstrdup(path);
	/* FALLTHROUGH */
fail:
	free(buf);
	close(fd);
	return wf;
}

/*
 * name goes in front of every message; base, when not NULL, is the file's
 * base name, which must be the workflow's name and ".yaml"; stored: the
 * text is a version the database keeps (workflow_parse_stored).
 */
static struct workflow *
wf_parse(const char *name, const char *base, const char *buf, size_t len,
    int stored, struct errlist *errs)
{
	struct wf_parse	 wp;
	struct workflow	*wf;
	struct ynode	*root = NULL;

	if (len > WF_MAX_FILE_SIZE) {
		errlist_add(errs, "%s: file is too large (%zu bytes; the limit "
		    "is %d)", name, len, WF_MAX_FILE_SIZE);
		return NULL;
	}
	memset(&wp, 0, sizeof(wp));
	wp.wp_stored = stored;
	wp.wp_graph = 1;
	wp.wp_starts_ok = 1;
	wp.wp_wf = wf = xcalloc(1, sizeof(*wf));
	wf->wf_source = xmalloc(len + 1);
	memcpy(wf->wf_source, buf, len);
	wf->wf_source[len] = '\0';
	wf->wf_sourcelen = len;
	hash_sha256_hex(buf, len, wf->wf_digest);

	if ((root = wp_read(&wp, buf, len)) != NULL)
		wp_workflow(&wp, root, base);
	ynode_free(root);
	if (wp.wp_nmsgs != 0)
		goto fail;
	wp_free(&wp);
	return wf;

fail:
	wp_report(&wp, name, errs);
	wp_free(&wp);
	workflow_free(wf);
	return NULL;
}

/* The top level; base is the file's base name, or NULL. */
static void
wp_workflow(struct wf_parse *wp, const struct ynode *root, const char *base)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_field		 f[nitems(wf_top_keys)];
	const struct ynode	*v;
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	long long		 version;
	size_t			 i, stem;

	if (root->yn_type == YN_REFUSED)
		return;
	if (root->yn_type != YN_MAPPING) {
		wp_error(wp, root, "a workflow must be a mapping, not %s",
		    wf_describe(root, d));
		return;
	}
	wp_fields(wp, root, root, wf_top_keys, nitems(wf_top_keys),
	    "at the top level", f);

	if ((v = f[K_WORKFLOW].fv_val) != NULL) {
		wf->wf_name = xstrdup(v->yn_value);
		stem = base == NULL ? 0 : strlen(base);
		if (stem > 5 && strcmp(base + stem - 5, ".yaml") == 0)
			stem -= 5;
		if (base != NULL && (stem != v->yn_len ||
		    strncmp(base, v->yn_value, stem) != 0))
			wp_error(wp, v, "workflow '%s' must be in a file named "
			    "%s.yaml, not '%s'", v->yn_value, v->yn_value,
			    wf_quote(base, strlen(base), q));
	}
	if ((v = f[K_VERSION].fv_val) != NULL && wf_is_int(v, &version))
		wf->wf_version = (int)version;
	if ((v = f[K_TITLE].fv_val) != NULL)
		wp_title(wp, v, "the workflow", &wf->wf_title);
	/* Roles, bases and case deadlines first: states refer to them. */
	if ((v = f[K_ROLES].fv_val) != NULL) {
		wp->wp_roles_declared = 1;
		wp_roles(wp, v);
	}
	if ((v = f[K_BASES].fv_val) != NULL)
		wp_bases(wp, v);
	else if (f[K_BASES].fv_bad)
		wp->wp_basesbad = 1;
	/* Without 'share_bases', every declared basis adds a participant. */
	if ((v = f[K_SHARE_BASES].fv_val) != NULL)
		wp_names(wp, v, "basis", "basis id", wp_declared_basis,
		    "'share_bases'", &wf->wf_share_bases,
		    &wf->wf_nshare_bases);
	else if (f[K_SHARE_BASES].fv_key == NULL && wf->wf_nbases > 0) {
		wf->wf_share_bases = xcalloc(wf->wf_nbases,
		    sizeof(*wf->wf_share_bases));
		for (i = 0; i < wf->wf_nbases; i++)
			wf->wf_share_bases[i] = xstrdup(wf->wf_bases[i].wb_id);
		wf->wf_nshare_bases = wf->wf_nbases;
	}
	if ((v = f[K_RETENTION].fv_val) != NULL)
		wp_retention(wp, v);
	/* Who may correct a mistake besides a supervisor. */
	if ((v = f[K_CORRECTIONS].fv_val) != NULL && v->yn_nkids == 0)
		wp_error(wp, v, "'corrections' must list at least one role; "
		    "leave it out to let supervisors alone correct");
	else if (v != NULL)
		wp_names(wp, v, "role", "role name", wp_event_role, NULL,
		    &wf->wf_correct_roles, &wf->wf_ncorrect_roles);
	if ((v = f[K_DEADLINES].fv_val) != NULL)
		wp_case_deadlines(wp, v);
	else if (f[K_DEADLINES].fv_bad)
		wp->wp_cdbad = 1;
	if ((v = f[K_STATES].fv_val) != NULL)
		wp_states(wp, f[K_STATES].fv_key, v);
	else
		wp->wp_graph = wp->wp_starts_ok = 0;

	if ((v = f[K_START].fv_val) != NULL) {
		wf->wf_start = xstrdup(v->yn_value);
		if (wf->wf_nstates > 0 && !wp->wp_truncated &&
		    workflow_state_index(wf, v->yn_value) == -1)
			wp_error(wp, v, "start state '%s' is not defined",
			    v->yn_value);
	}
	workflow_check(wp, f[K_STATES].fv_val != NULL ? f[K_STATES].fv_key :
	    NULL, f[K_START].fv_val);
}

/*
 * The top-level 'retention': how long a closed case is kept, on the
 * calendar.  Hours would be a deadline's precision for what is measured in
 * years, and a rule (the Atw, working days) has no meaning for it.
 */
static void
wp_retention(struct wf_parse *wp, const struct ynode *v)
{
	static const char takes[] = "whole days, weeks, months or years, such "
	    "as \"10 years\" or \"P10Y\"";
	struct period		 p;
	enum period_rule	 rule;
	char			 err[256], q[QUOTE_LEN], word[16];
	size_t			 i, n = v->yn_len;

	if (period_parse(v->yn_value, &p, err, sizeof(err)) == 0) {
		if (period_is_hours(&p))
			wp_error(wp, v, "'retention' cannot be in hours "
			    "(\"%s\"): it takes %s",
			    wf_quote(v->yn_value, v->yn_len, q), takes);
		else
			wp->wp_wf->wf_retention = p;
		return;
	}
	/* "10 years atw": a period, then the name of a rule. */
	while (n > 0 && isspace((unsigned char)v->yn_value[n - 1]))
		n--;
	for (i = n; i > 0 && !isspace((unsigned char)v->yn_value[i - 1]); i--)
		;
	if (i > 0 && n - i < sizeof(word)) {
		memcpy(word, v->yn_value + i, n - i);
		word[n - i] = '\0';
		if (period_rule_parse(word, &rule) == 0) {
			wp_error(wp, v, "'retention' takes no rule (\"%s\"): "
			    "only a period counted on the calendar, in %s",
			    word, takes);
			return;
		}
	}
	wp_error(wp, v, "%s; 'retention' takes %s", err, takes);
}
