/* termijn: the strict YAML loader of workflows. */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "termijn/hash.h"
#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/role.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

/*
 * Loading happens in two passes.  The first (workflow_read.c) reads
 * libyaml's events into a small tree of nodes that keeps every position,
 * refusing what a workflow never needs (anchors, aliases, tags, deep
 * nesting, a second document).  The second walks the tree against tables
 * of known keys (here the top level; the states in workflow_states.c),
 * builds the model and checks the graph of states.  Two passes, rather than validating on the
 * event stream, because the checks that matter most (undefined and
 * unreachable states) need the whole file, and a tree lets every check run
 * and report instead of stopping at the first problem.  Messages are
 * collected with their positions and reported sorted, so that they read top
 * to bottom whichever check found them.  The checks of the graph are in
 * workflow_check.c.
 */

/* A message waiting to be reported. */
struct wf_msg {
	int	 pm_line;
	int	 pm_col;
	size_t	 pm_seq;
	char	*pm_text;
};

/* A key of a mapping, for finding duplicates. */
struct wf_keyref {
	const struct ynode	*kr_key;
	size_t			 kr_pair;
};

static struct workflow *wf_parse(const char *, const char *, const char *,
		    size_t, int, struct errlist *);
static void	wp_workflow(struct wf_parse *, const struct ynode *,
		    const char *);
static void	wp_bases(struct wf_parse *, const struct ynode *);
static void	wp_basis_text(struct wf_parse *, const struct ynode *,
		    const char *, const char *, char **);
static void	wp_retention(struct wf_parse *, const struct ynode *);
static int	wp_keycmp(const void *, const void *);
static void	wp_report(struct wf_parse *, const char *, struct errlist *);
static int	wp_msgcmp(const void *, const void *);
static void	wp_free(struct wf_parse *);
static const char *wf_type_name(enum wf_type);
static char	*wf_allowed(const struct wf_key *, size_t);
static void	wf_list_add(char **, const char *);

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

/* A legal basis, under 'bases'. */
enum {
	KB_TITLE,
	KB_ARTICLE,
	KB_DESCRIPTION,
};
static const struct wf_key wf_basis_keys[] = {
	[KB_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KB_ARTICLE] =	{ "article", WT_STRING, 1, NULL, 0, 0, NULL },
	[KB_DESCRIPTION] = { "description", WT_STRING, 1, NULL, 0, 0, NULL },
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

/* Every message of a load comes here, the graph checks' too. */
void
workflow_yaml_verror(struct wf_parse *wp, int line, int col, const char *fmt,
    va_list ap)
{
	struct wf_msg	*pm;

	if (wp->wp_nmsgs == wp->wp_capmsgs) {
		wp->wp_capmsgs = wp->wp_capmsgs == 0 ? 8 : wp->wp_capmsgs * 2;
		wp->wp_msgs = xreallocarray(wp->wp_msgs, wp->wp_capmsgs,
		    sizeof(*wp->wp_msgs));
	}
	pm = &wp->wp_msgs[wp->wp_nmsgs];
	pm->pm_line = line;
	pm->pm_col = col;
	pm->pm_seq = wp->wp_nmsgs++;
	xvasprintf(&pm->pm_text, fmt, ap);
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
 * A list of names, each once: roles, bases.  An item that is not a name,
 * that check refuses (it says why) or that comes again is reported and
 * left out.  noun calls an item in messages ("role"), kind its name ("role
 * name"); what is passed on to check.
 */
void
wp_names(struct wf_parse *wp, const struct ynode *list, const char *noun,
    const char *kind, int (*check)(struct wf_parse *, const struct ynode *,
    const char *), const char *what, char ***namesp, size_t *np)
{
	const struct ynode	*r;
	char			 d[WF_DESCRIBE_LEN];
	char			**names;
	size_t			 i, j, n = 0;

	if (list->yn_nkids == 0)
		return;
	names = xcalloc(list->yn_nkids, sizeof(*names));
	for (i = 0; i < list->yn_nkids; i++) {
		r = list->yn_kids[i];
		if (r->yn_type == YN_REFUSED)
			continue;
		if (r->yn_type != YN_SCALAR || wf_is_null(r)) {
			wp_error(wp, r, "a %s must be a name, not %s", noun,
			    wf_describe(r, d));
			continue;
		}
		if (!wf_name_valid(r)) {
			wp_bad_name(wp, r, kind);
			continue;
		}
		if (check(wp, r, what) == -1)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(names[j], r->yn_value) == 0)
				break;
		if (j < n) {
			wp_error(wp, r, "%s '%s' is listed twice", noun,
			    r->yn_value);
			continue;
		}
		names[n++] = xstrdup(r->yn_value);
	}
	*namesp = names;
	*np = n;
}

/* A role an event allows: as wp_role. */
int
wp_event_role(struct wf_parse *wp, const struct ynode *r, const char *what)
{
	(void)what;
	return wp_role(wp, r);
}

/*
 * A role that a rung notifies or an event allows, already a valid name:
 * one termijn knows, and one the workflow lists when it lists its roles.
 */
int
wp_role(struct wf_parse *wp, const struct ynode *r)
{
	struct workflow	*wf = wp->wp_wf;
	char		*list;
	size_t		 i;

	if (!role_valid(r->yn_value)) {
		wp_error(wp, r, "unknown role '%s'", r->yn_value);
		return -1;
	}
	if (!wp->wp_roles_declared)
		return 0;
	for (i = 0; i < wf->wf_nroles; i++)
		if (strcmp(wf->wf_roles[i], r->yn_value) == 0)
			return 0;
	if (wf->wf_nroles == 0) {
		wp_error(wp, r, "role '%s' is not among the workflow's roles: "
		    "'roles' lists none", r->yn_value);
		return -1;
	}
	list = NULL;
	for (i = 0; i < wf->wf_nroles; i++)
		wf_list_add(&list, wf->wf_roles[i]);
	wp_error(wp, r, "role '%s' is not among the workflow's roles (%s)",
	    r->yn_value, list);
	free(list);
	return -1;
}

/*
 * The top-level 'bases': the legal bases the workflow may share on, each
 * an id with the article it rests on and a line that says it in Dutch.  A
 * basis with a bad id is kept, so that the lists naming it do not add
 * "not declared" to the message that matters.
 */
static void
wp_bases(struct wf_parse *wp, const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_basis		*wb;
	struct wf_field		 f[nitems(wf_basis_keys)];
	const struct ynode	*k, *v;
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	char			 ctx[QUOTE_LEN + 16];
	size_t			 i, n, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0) {
		wp_error(wp, map, "'bases' must declare at least one basis; "
		    "leave it out when the workflow shares nothing");
		return;
	}
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_BASES ? npairs : WF_MAX_BASES;
	wf->wf_bases = xcalloc(n, sizeof(*wf->wf_bases));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_basesbad = 1;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (wf->wf_nbases == WF_MAX_BASES) {
			wp_error(wp, k, "more than %d bases", WF_MAX_BASES);
			wp->wp_basesbad = 1;
			break;
		}
		wf_quote(k->yn_value, k->yn_len, q);
		if (!wf_name_valid(k))
			wp_bad_name(wp, k, "basis id");
		wb = &wf->wf_bases[wf->wf_nbases++];
		wb->wb_id = xstrdup(k->yn_value);
		wb->wb_line = k->yn_line;
		if (v->yn_type == YN_REFUSED)
			continue;
		if (v->yn_type != YN_MAPPING) {
			wp_error(wp, v, "basis '%s' must be a mapping with "
			    "'article' and 'description', not %s", q,
			    wf_describe(v, d));
			continue;
		}
		snprintf(ctx, sizeof(ctx), "in basis '%s'", q);
		wp_fields(wp, v, k, wf_basis_keys, nitems(wf_basis_keys), ctx,
		    f);
		if (f[KB_TITLE].fv_val != NULL) {
			snprintf(ctx, sizeof(ctx), "basis '%s'", q);
			wp_title(wp, f[KB_TITLE].fv_val, ctx, &wb->wb_title);
		}
		wp_basis_text(wp, f[KB_ARTICLE].fv_val, "article", q,
		    &wb->wb_article);
		wp_basis_text(wp, f[KB_DESCRIPTION].fv_val, "description", q,
		    &wb->wb_description);
	}
	free(skip);
}

/*
 * The article or the description of basis q, when it could be read: one
 * line of text, as lists and the history show it.
 */
static void
wp_basis_text(struct wf_parse *wp, const struct ynode *v, const char *key,
    const char *q, char **textp)
{
	if (v == NULL)
		return;
	*textp = xstrdup(v->yn_value);
	if (strspn(v->yn_value, " \t") == v->yn_len)
		wp_error(wp, v, "'%s' of basis '%s' must not be empty", key, q);
	else if (strchr(v->yn_value, '\n') != NULL)
		wp_error(wp, v, "'%s' of basis '%s' must be one line", key, q);
}

/*
 * A basis that 'bases' declares, in an event's 'shares' or the top-level
 * 'share_bases' (what).  Not said when 'bases' could not be read whole.
 */
int
wp_declared_basis(struct wf_parse *wp, const struct ynode *b,
    const char *what)
{
	struct workflow	*wf = wp->wp_wf;
	char		*declared = NULL;
	size_t		 i;

	if (workflow_basis(wf, b->yn_value) != NULL)
		return 0;
	if (wp->wp_basesbad)
		return -1;	/* 'bases' has had its message */
	if (wf->wf_nbases == 0) {
		wp_error(wp, b, "%s names basis '%s', which is not declared: "
		    "the workflow has no 'bases'", what, b->yn_value);
		return -1;
	}
	for (i = 0; i < wf->wf_nbases; i++)
		wf_list_add(&declared, wf->wf_bases[i].wb_id);
	wp_error(wp, b, "%s names basis '%s', which is not declared under "
	    "'bases' (declared: %s)", what, b->yn_value, declared);
	free(declared);
	return -1;
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


/*
 * Checks the keys of a mapping: each a string, none twice.  Returns an
 * array, one flag per pair, set for the pairs to skip.  Sorting finds the
 * duplicates in n log n, so that a file of many keys costs no more than its
 * size.
 */
int *
wp_keys(struct wf_parse *wp, const struct ynode *map)
{
	struct wf_keyref	*order;
	const struct ynode	*k, *first;
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	size_t			 i, n = 0, npairs = map->yn_nkids / 2;
	int			*skip;

	skip = xcalloc(npairs + 1, sizeof(*skip));
	if (npairs == 0)
		return skip;
	order = xcalloc(npairs, sizeof(*order));
	for (i = 0; i < npairs; i++) {
		k = map->yn_kids[2 * i];
		if (k->yn_type == YN_SCALAR) {
			order[n].kr_key = k;
			order[n++].kr_pair = i;
			continue;
		}
		skip[i] = 1;
		if (k->yn_type != YN_REFUSED)
			wp_error(wp, k, "a key must be a string, not %s",
			    wf_describe(k, d));
	}
	qsort(order, n, sizeof(*order), wp_keycmp);
	for (i = 1; i < n; i++) {
		first = order[i - 1].kr_key;
		/* The earliest of a run of equal keys stays. */
		while (i < n && wp_keycmp(&order[i], &order[i - 1]) == 0) {
			k = order[i].kr_key;
			skip[order[i].kr_pair] = 1;
			wp_error(wp, k, "duplicate key '%s' (first at line %d, "
			    "column %d)", wf_quote(k->yn_value, k->yn_len, q),
			    first->yn_line, first->yn_col);
			i++;
		}
	}
	free(order);
	return skip;
}

/* Orders keys by their bytes; equal keys by their place in the file. */
static int
wp_keycmp(const void *a, const void *b)
{
	const struct wf_keyref	*ka = a, *kb = b;
	size_t			 n;
	int			 c;

	n = ka->kr_key->yn_len < kb->kr_key->yn_len ? ka->kr_key->yn_len :
	    kb->kr_key->yn_len;
	if ((c = memcmp(ka->kr_key->yn_value, kb->kr_key->yn_value, n)) != 0)
		return c;
	if (ka->kr_key->yn_len != kb->kr_key->yn_len)
		return ka->kr_key->yn_len < kb->kr_key->yn_len ? -1 : 1;
	return 0;
}

/*
 * Matches a mapping against a table of known keys: unknown keys, missing
 * required ones (reported at "at") and values of the wrong type are errors.
 * Fills one field per table entry.  Returns the number of errors.
 */
int
wp_fields(struct wf_parse *wp, const struct ynode *map, const struct ynode *at,
    const struct wf_key *keys, size_t nkeys, const char *ctx,
    struct wf_field *f)
{
	const struct ynode	*k, *v;
	char			 q[QUOTE_LEN], *allowed;
	size_t			 i, j, nerr = wp->wp_nmsgs;
	int			*skip;

	memset(f, 0, nkeys * sizeof(*f));
	skip = wp_keys(wp, map);
	for (i = 0; i < map->yn_nkids / 2; i++) {
		if (skip[i])
			continue;
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		for (j = 0; j < nkeys; j++)
			if (strlen(k->yn_value) == k->yn_len &&
			    strcmp(k->yn_value, keys[j].wk_key) == 0)
				break;
		if (j == nkeys) {
			allowed = wf_allowed(keys, nkeys);
			wp_error(wp, k, "unknown key '%s' %s; allowed keys: %s",
			    wf_quote(k->yn_value, k->yn_len, q), ctx, allowed);
			free(allowed);
			continue;
		}
		f[j].fv_key = k;
		if (keys[j].wk_refused != NULL) {
			wp_error(wp, k, "'%s' is not allowed %s: %s",
			    keys[j].wk_key, ctx, keys[j].wk_refused);
			f[j].fv_bad = 1;
			continue;
		}
		if (v->yn_type == YN_REFUSED || wp_type(wp, &keys[j], v) == -1)
			f[j].fv_bad = 1;
		else
			f[j].fv_val = v;
	}
	for (j = 0; j < nkeys; j++)
		if (keys[j].wk_required && f[j].fv_key == NULL)
			wp_error(wp, at, "missing required key '%s' %s",
			    keys[j].wk_key, ctx);
	free(skip);
	return wp->wp_nmsgs - nerr;
}

/* Whether a value has the type its key wants; -1 and a message if not. */
int
wp_type(struct wf_parse *wp, const struct wf_key *key, const struct ynode *v)
{
	char		 q[QUOTE_LEN], d[WF_DESCRIBE_LEN], what[64];
	long long	 ll;
	int		 b;

	switch (key->wk_type) {
	case WT_MAPPING:
		if (v->yn_type == YN_MAPPING)
			return 0;
		break;
	case WT_LIST:
		if (v->yn_type == YN_SEQUENCE)
			return 0;
		break;
	case WT_BOOL:
		if (wf_is_bool(v, &b))
			return 0;
		break;
	case WT_INT:
		if (!wf_is_int(v, &ll))
			break;
		if (ll < key->wk_min || ll > key->wk_max) {
			wp_error(wp, v, "'%s' must be between %lld and %lld, "
			    "not %s", key->wk_key, key->wk_min, key->wk_max,
			    wf_quote(v->yn_value, v->yn_len, q));
			return -1;
		}
		return 0;
	case WT_STRING:
	case WT_NAME:
	case WT_PERIOD:
		if (v->yn_type != YN_SCALAR || wf_is_null(v))
			break;
		if (strlen(v->yn_value) != v->yn_len) {
			wp_error(wp, v, "'%s' must not hold a NUL character",
			    key->wk_key);
			return -1;
		}
		if (key->wk_type == WT_NAME && !wf_name_valid(v)) {
			snprintf(what, sizeof(what), "%s name", key->wk_what);
			wp_bad_name(wp, v, what);
			return -1;
		}
		return 0;
	}
	wp_error(wp, v, "'%s' must be %s, not %s", key->wk_key,
	    wf_type_name(key->wk_type), wf_describe(v, d));
	return -1;
}

/* Remembers a state name to check once every state is known. */
struct wf_ref *
wp_ref(struct wf_parse *wp, const struct ynode *at, const char *fmt, ...)
{
	struct wf_ref	*rf;
	va_list		 ap;

	if (wp->wp_nrefs == wp->wp_caprefs) {
		wp->wp_caprefs = wp->wp_caprefs == 0 ? 16 : wp->wp_caprefs * 2;
		wp->wp_refs = xreallocarray(wp->wp_refs, wp->wp_caprefs,
		    sizeof(*wp->wp_refs));
	}
	rf = &wp->wp_refs[wp->wp_nrefs++];
	memset(rf, 0, sizeof(*rf));
	rf->rf_state = at->yn_value;
	rf->rf_at = at;
	va_start(ap, fmt);
	xvasprintf(&rf->rf_what, fmt, ap);
	va_end(ap);
	return rf;
}

void
wp_error(struct wf_parse *wp, const struct ynode *at, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	workflow_yaml_verror(wp, at->yn_line, at->yn_col, fmt, ap);
	va_end(ap);
}

/* A name that is not [a-z][a-z0-9_]*; what says what it names. */
void
wp_bad_name(struct wf_parse *wp, const struct ynode *n, const char *what)
{
	char	q[QUOTE_LEN];

	wp_error(wp, n, "bad %s '%s': a name is a lowercase letter, then "
	    "lowercase letters, digits or underscores, at most %d in all",
	    what, wf_quote(n->yn_value, n->yn_len, q), WF_NAME_MAX);
}

/* Messages in the order of the file, then in the order they were found. */
static void
wp_report(struct wf_parse *wp, const char *name, struct errlist *errs)
{
	size_t	i;

	if (wp->wp_nmsgs == 0)
		return;
	qsort(wp->wp_msgs, wp->wp_nmsgs, sizeof(*wp->wp_msgs), wp_msgcmp);
	for (i = 0; i < wp->wp_nmsgs; i++)
		errlist_add(errs, "%s:%d:%d: %s", name, wp->wp_msgs[i].pm_line,
		    wp->wp_msgs[i].pm_col, wp->wp_msgs[i].pm_text);
}

static int
wp_msgcmp(const void *a, const void *b)
{
	const struct wf_msg	*ma = a, *mb = b;

	if (ma->pm_line != mb->pm_line)
		return ma->pm_line < mb->pm_line ? -1 : 1;
	if (ma->pm_col != mb->pm_col)
		return ma->pm_col < mb->pm_col ? -1 : 1;
	return ma->pm_seq < mb->pm_seq ? -1 : ma->pm_seq > mb->pm_seq;
}

static void
wp_free(struct wf_parse *wp)
{
	size_t	i;

	for (i = 0; i < wp->wp_nmsgs; i++)
		free(wp->wp_msgs[i].pm_text);
	free(wp->wp_msgs);
	for (i = 0; i < wp->wp_nrefs; i++)
		free(wp->wp_refs[i].rf_what);
	free(wp->wp_refs);
	free(wp->wp_statekeys);
	free(wp->wp_anchors);
	free(wp->wp_cdkeys);
	free(wp->wp_cdstarted);
	memset(wp, 0, sizeof(*wp));
}

/* [a-z][a-z0-9_]*, at most WF_NAME_MAX; ASCII only, whatever the locale. */
int
wf_name_valid(const struct ynode *n)
{
	size_t	i;
	char	c;

	if (n->yn_type != YN_SCALAR || n->yn_len == 0 ||
	    n->yn_len > WF_NAME_MAX)
		return 0;
	for (i = 0; i < n->yn_len; i++) {
		c = n->yn_value[i];
		if (c >= 'a' && c <= 'z')
			continue;
		if (i > 0 && ((c >= '0' && c <= '9') || c == '_'))
			continue;
		return 0;
	}
	return 1;
}

int
wf_is_null(const struct ynode *n)
{
	static const char *nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t	i;

	if (n->yn_type != YN_SCALAR || !n->yn_plain)
		return 0;
	for (i = 0; i < nitems(nulls); i++)
		if (strcmp(n->yn_value, nulls[i]) == 0)
			return 1;
	return 0;
}

/* Only true and false: YAML 1.1's yes, no, on and off surprise people. */
int
wf_is_bool(const struct ynode *n, int *b)
{
	static const char *trues[] = { "true", "True", "TRUE" };
	static const char *falses[] = { "false", "False", "FALSE" };
	size_t	i;

	if (n->yn_type != YN_SCALAR || !n->yn_plain)
		return 0;
	for (i = 0; i < nitems(trues); i++) {
		if (strcmp(n->yn_value, trues[i]) == 0) {
			*b = 1;
			return 1;
		}
		if (strcmp(n->yn_value, falses[i]) == 0) {
			*b = 0;
			return 1;
		}
	}
	return 0;
}

/* An unquoted decimal integer, clamped to the range of long long. */
int
wf_is_int(const struct ynode *n, long long *v)
{
	const char	*s;

	if (n->yn_type != YN_SCALAR || !n->yn_plain || n->yn_len == 0)
		return 0;
	s = n->yn_value;
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s != '\0')
		return 0;
	*v = strtoll(n->yn_value, NULL, 10);
	return 1;
}

/*
 * Input echoed into messages ends up in logs, terminals and JSON: keep it
 * short and printable ASCII so that neither can be broken by a file.
 */
/* What a node is, for "must be X, not Y"; buf holds WF_DESCRIBE_LEN. */
const char *
wf_describe(const struct ynode *n, char *buf)
{
	char	q[QUOTE_LEN];

	switch (n->yn_type) {
	case YN_MAPPING:
		return "a mapping";
	case YN_SEQUENCE:
		return "a list";
	case YN_REFUSED:
		return "an alias";
	case YN_SCALAR:
		break;
	}
	if (n->yn_plain && n->yn_len == 0)
		return "empty";
	wf_quote(n->yn_value, n->yn_len, q);
	if (n->yn_plain)
		snprintf(buf, WF_DESCRIBE_LEN, "'%s'", q);
	else
		snprintf(buf, WF_DESCRIBE_LEN, "the quoted string \"%s\"", q);
	return buf;
}

static const char *
wf_type_name(enum wf_type type)
{
	switch (type) {
	case WT_STRING:
		return "a string";
	case WT_NAME:
		return "a name";
	case WT_INT:
		return "an integer";
	case WT_BOOL:
		return "true or false";
	case WT_MAPPING:
		return "a mapping";
	case WT_LIST:
		return "a list";
	case WT_PERIOD:
		return "a period such as \"10 years\" or \"P10Y\"";
	}
	return "something else";
}

/* The keys allowed in a mapping, for messages; refused ones are left out. */
static char *
wf_allowed(const struct wf_key *keys, size_t nkeys)
{
	char	*s = NULL;
	size_t	 i;

	for (i = 0; i < nkeys; i++)
		if (keys[i].wk_refused == NULL)
			wf_list_add(&s, keys[i].wk_key);
	return s != NULL ? s : xstrdup("none");
}

/* Adds a name to a list for a message, "a, b, c"; *list starts NULL. */
static void
wf_list_add(char **list, const char *name)
{
	char	*t;

	if (*list == NULL) {
		*list = xstrdup(name);
		return;
	}
	xasprintf(&t, "%s, %s", *list, name);
	free(*list);
	*list = t;
}
