/*
 * termijn: what the workflow loader's files build on: the messages of a
 * load (collected at their positions, reported sorted), the references to
 * states checked once all are known, mappings checked against tables of
 * keys, lists of names, and the scalars of the tree read as names,
 * integers, booleans and nulls.  Every other workflow_*.c file uses it; it
 * uses none of them.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/quote.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

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

static int	wp_keycmp(const void *, const void *);
static int	wp_msgcmp(const void *, const void *);
static const char *wf_type_name(enum wf_type);
static char	*wf_allowed(const struct wf_key *, size_t);

/* Every message of a load comes here, the graph checks' too. */
void
wp_verror(struct wf_parse *wp, int line, int col, const char *fmt,
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
	wp_verror(wp, at->yn_line, at->yn_col, fmt, ap);
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
void
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

void
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
void
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
