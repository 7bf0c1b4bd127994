/* termijn: the workflow model and its strict YAML loader. */

#include <sys/stat.h>

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

#include <yaml.h>

#include "termijn/period.h"
#include "termijn/token.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

/*
 * Loading happens in two passes.  The first reads libyaml's events into a
 * small tree of nodes that keeps every position, refusing what a workflow
 * never needs (anchors, aliases, tags, deep nesting, a second document).  The
 * second walks the tree against tables of known keys, builds the model and
 * checks the graph of states.  Two passes, rather than validating on the
 * event stream, because the checks that matter most (undefined and
 * unreachable states) need the whole file, and a tree lets every check run
 * and report instead of stopping at the first problem.  Messages are
 * collected with their positions and reported sorted, so that they read top
 * to bottom whichever check found them.
 */

#define WF_QUOTE_MAX	64	/* characters of input echoed in a message */
#define WF_QUOTE_LEN	(WF_QUOTE_MAX + 4)
#define WF_DESCRIBE_LEN	(WF_QUOTE_LEN + 32)
#define WF_YAML_TAG	"tag:yaml.org,2002:"	/* what "!!" stands for */

enum ynode_type {
	YN_SCALAR,
	YN_MAPPING,
	YN_SEQUENCE,
	YN_REFUSED,		/* an alias, or nested too deep: already reported */
};

struct ynode {
	enum ynode_type	  yn_type;
	char		 *yn_value;	/* scalars, NUL-terminated */
	size_t		  yn_len;
	int		  yn_plain;	/* an unquoted scalar */
	int		  yn_line;	/* 1-based */
	int		  yn_col;
	struct ynode	**yn_kids;	/* mappings: key, value, key, value */
	size_t		  yn_nkids;
	size_t		  yn_capkids;
};

/* The types a key's value can have; see wp_fields. */
enum wf_type {
	WT_STRING,
	WT_NAME,
	WT_INT,
	WT_BOOL,
	WT_MAPPING,
	WT_LIST,
};

/* One key a mapping of the language may hold. */
struct wf_key {
	const char	*wk_key;
	enum wf_type	 wk_type;
	int		 wk_required;
	const char	*wk_what;	/* WT_NAME: what it names, for messages */
	long long	 wk_min;	/* WT_INT */
	long long	 wk_max;
};

/* A key found in a mapping, after the type check. */
struct wf_field {
	const struct ynode	*fv_key;
	const struct ynode	*fv_val;	/* NULL: absent or wrong type */
	int			 fv_bad;	/* present, with the wrong type */
};

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

/* A reference to a state, checked once all states are known. */
struct wf_ref {
	const char		*rf_state;
	const struct ynode	*rf_at;
	char			*rf_what;
};

struct wf_parse {
	struct workflow		 *wp_wf;
	struct wf_msg		 *wp_msgs;
	size_t			  wp_nmsgs;
	size_t			  wp_capmsgs;
	struct wf_ref		 *wp_refs;
	size_t			  wp_nrefs;
	size_t			  wp_caprefs;
	const struct ynode	**wp_statekeys;	/* parallel to wf_states */
	int			  wp_graph;	/* states well formed enough */
	int			  wp_truncated;	/* over WF_MAX_STATES */
};

static struct workflow *wf_parse(const char *, const char *, const char *,
		    size_t, struct errlist *);
static struct ynode *wp_read(struct wf_parse *, const char *, size_t);
static void	wp_syntax(struct wf_parse *, const yaml_parser_t *,
		    const char *, size_t);
static int	wp_refuse(struct wf_parse *, const yaml_event_t *,
		    const unsigned char *, const unsigned char *);
static struct ynode *ynode_new(enum ynode_type, const yaml_mark_t *);
static void	ynode_add(struct ynode *, struct ynode *);
static void	ynode_free(struct ynode *);
static void	wp_workflow(struct wf_parse *, const struct ynode *,
		    const char *);
static void	wp_roles(struct wf_parse *, const struct ynode *);
static void	wp_states(struct wf_parse *, const struct ynode *,
		    const struct ynode *);
static void	wp_state(struct wf_parse *, struct wf_state *,
		    const struct ynode *, const struct ynode *);
static void	wp_deadline(struct wf_parse *, struct wf_state *,
		    const struct ynode *, const struct ynode *);
static void	wp_events(struct wf_parse *, struct wf_state *,
		    const struct ynode *);
static void	wp_graph(struct wf_parse *, const struct ynode *,
		    const struct ynode *);
static int	*wp_keys(struct wf_parse *, const struct ynode *);
static int	wp_keycmp(const void *, const void *);
static int	wp_fields(struct wf_parse *, const struct ynode *,
		    const struct ynode *, const struct wf_key *, size_t,
		    const char *, struct wf_field *);
static int	wp_type(struct wf_parse *, const struct wf_key *,
		    const struct ynode *);
static void	wp_ref(struct wf_parse *, const struct ynode *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
static void	wp_error(struct wf_parse *, const struct ynode *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
static void	wp_verror(struct wf_parse *, int, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));
static void	wp_errorat(struct wf_parse *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	wp_report(struct wf_parse *, const char *, struct errlist *);
static int	wp_msgcmp(const void *, const void *);
static void	wp_free(struct wf_parse *);
static int	wf_name_valid(const struct ynode *);
static int	wf_is_null(const struct ynode *);
static int	wf_is_bool(const struct ynode *, int *);
static int	wf_is_int(const struct ynode *, long long *);
static const char *wf_quote(const char *, size_t, char *);
static const char *wf_describe(const struct ynode *, char *);
static const char *wf_type_name(enum wf_type);
static char	*wf_allowed(const struct wf_key *, size_t);
static int	wf_find_state(const struct workflow *, const char *);

/* The language, one table per mapping.  Add keys here first. */
enum {
	K_WORKFLOW,
	K_VERSION,
	K_TITLE,
	K_ROLES,
	K_START,
	K_STATES,
};
static const struct wf_key wf_top_keys[] = {
	[K_WORKFLOW] =	{ "workflow", WT_NAME, 1, "workflow", 0, 0 },
	[K_VERSION] =	{ "version", WT_INT, 1, NULL, 1, 1000000 },
	[K_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0 },
	[K_ROLES] =	{ "roles", WT_LIST, 0, NULL, 0, 0 },
	[K_START] =	{ "start", WT_NAME, 1, "state", 0, 0 },
	[K_STATES] =	{ "states", WT_MAPPING, 1, NULL, 0, 0 },
};

enum {
	KS_TITLE,
	KS_FINAL,
	KS_DEADLINE,
	KS_EVENTS,
};
static const struct wf_key wf_state_keys[] = {
	[KS_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0 },
	[KS_FINAL] =	{ "final", WT_BOOL, 0, NULL, 0, 0 },
	[KS_DEADLINE] =	{ "deadline", WT_MAPPING, 0, NULL, 0, 0 },
	[KS_EVENTS] =	{ "events", WT_MAPPING, 0, NULL, 0, 0 },
};

enum {
	KD_NAME,
	KD_PERIOD,
	KD_RULE,
	KD_KIND,
	KD_COURTESY,
	KD_THEN,
};
static const struct wf_key wf_deadline_keys[] = {
	[KD_NAME] =	{ "name", WT_NAME, 0, "deadline", 0, 0 },
	[KD_PERIOD] =	{ "period", WT_STRING, 1, NULL, 0, 0 },
	[KD_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0 },
	[KD_KIND] =	{ "kind", WT_STRING, 0, NULL, 0, 0 },
	[KD_COURTESY] =	{ "courtesy", WT_BOOL, 0, NULL, 0, 0 },
	[KD_THEN] =	{ "then", WT_NAME, 1, "state", 0, 0 },
};

enum {
	KE_TO,
};
static const struct wf_key wf_event_keys[] = {
	[KE_TO] =	{ "to", WT_NAME, 1, "state", 0, 0 },
};

static const char *deadline_kinds[] = {
	[DK_AGREEMENT] =	"agreement",
	[DK_STATUTORY] =	"statutory",
	[DK_DECISION] =		"decision",
	[DK_SERVICE_NORM] =	"service_norm",
};

struct workflow *
workflow_parse(const char *name, const char *buf, size_t len,
    struct errlist *errs)
{
	return wf_parse(name, NULL, buf, len, errs);
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
	if ((wf = wf_parse(path, base, buf, len, errs)) != NULL)
		wf->wf_path = xstrdup(path);
	/* FALLTHROUGH */
fail:
	free(buf);
	close(fd);
	return wf;
}

void
workflow_free(struct workflow *wf)
{
	struct wf_state	*ws;
	size_t		 i, j;

	if (wf == NULL)
		return;
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		free(ws->ws_name);
		free(ws->ws_title);
		if (ws->ws_deadline != NULL) {
			free(ws->ws_deadline->wd_name);
			free(ws->ws_deadline->wd_then);
			free(ws->ws_deadline);
		}
		for (j = 0; j < ws->ws_nevents; j++) {
			free(ws->ws_events[j].we_name);
			free(ws->ws_events[j].we_to);
		}
		free(ws->ws_events);
	}
	for (i = 0; i < wf->wf_nroles; i++)
		free(wf->wf_roles[i]);
	free(wf->wf_roles);
	free(wf->wf_states);
	free(wf->wf_name);
	free(wf->wf_title);
	free(wf->wf_start);
	free(wf->wf_source);
	free(wf->wf_path);
	free(wf);
}

const struct wf_state *
workflow_state(const struct workflow *wf, const char *name)
{
	int	i;

	if (name == NULL || (i = wf_find_state(wf, name)) == -1)
		return NULL;
	return &wf->wf_states[i];
}

const struct wf_event *
wf_state_event(const struct wf_state *ws, const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < ws->ws_nevents; i++)
		if (strcmp(ws->ws_events[i].we_name, name) == 0)
			return &ws->ws_events[i];
	return NULL;
}

const char *
deadline_kind_name(enum deadline_kind kind)
{
	if ((size_t)kind >= nitems(deadline_kinds))
		return "unknown";
	return deadline_kinds[kind];
}

int
deadline_kind_parse(const char *s, enum deadline_kind *kind)
{
	size_t	i;

	if (s == NULL)
		return -1;
	for (i = 0; i < nitems(deadline_kinds); i++) {
		if (strcmp(s, deadline_kinds[i]) == 0) {
			*kind = (enum deadline_kind)i;
			return 0;
		}
	}
	return -1;
}

/*
 * name goes in front of every message; base, when not NULL, is the file's
 * base name, which must be the workflow's name and ".yaml".
 */
static struct workflow *
wf_parse(const char *name, const char *base, const char *buf, size_t len,
    struct errlist *errs)
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
	wp.wp_graph = 1;
	wp.wp_wf = wf = xcalloc(1, sizeof(*wf));
	wf->wf_source = xmalloc(len + 1);
	memcpy(wf->wf_source, buf, len);
	wf->wf_source[len] = '\0';
	wf->wf_sourcelen = len;
	sha256_hex(buf, len, wf->wf_digest);

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

/*
 * Builds the tree of one document.  Refusals (anchors, aliases, tags, depth)
 * are reported and reading goes on; a syntax error ends it, since libyaml
 * cannot resume after one.  Returns NULL when there is nothing to validate.
 */
static struct ynode *
wp_read(struct wf_parse *wp, const char *buf, size_t len)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	struct ynode	*stack[WF_MAX_DEPTH], *root = NULL, *n;
	size_t		 depth = 0, skip = 0;
	int		 ndocs = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		fatalx("%s: yaml_parser_initialize failed", __func__);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			wp_syntax(wp, &parser, buf, len);
			goto fail;
		}
		n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				wp_errorat(wp, ev.start_mark.line + 1,
				    ev.start_mark.column + 1, "more than one "
				    "document; a workflow file holds one");
				done = 1;
			}
			break;
		case YAML_ALIAS_EVENT:
			if (skip > 0)
				break;
			wp_refuse(wp, &ev, NULL, NULL);
			n = ynode_new(YN_REFUSED, &ev.start_mark);
			break;
		case YAML_SCALAR_EVENT:
			if (skip > 0)
				break;
			wp_refuse(wp, &ev, ev.data.scalar.anchor,
			    ev.data.scalar.tag);
			n = ynode_new(YN_SCALAR, &ev.start_mark);
			n->yn_len = ev.data.scalar.length;
			n->yn_value = xmalloc(n->yn_len + 1);
			memcpy(n->yn_value, ev.data.scalar.value, n->yn_len);
			n->yn_value[n->yn_len] = '\0';
			n->yn_plain =
			    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (skip > 0) {
				skip++;
				break;
			}
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				wp_refuse(wp, &ev, ev.data.sequence_start.anchor,
				    ev.data.sequence_start.tag);
			else
				wp_refuse(wp, &ev, ev.data.mapping_start.anchor,
				    ev.data.mapping_start.tag);
			if (depth == WF_MAX_DEPTH) {
				wp_errorat(wp, ev.start_mark.line + 1,
				    ev.start_mark.column + 1, "nesting deeper "
				    "than %d levels", WF_MAX_DEPTH);
				n = ynode_new(YN_REFUSED, &ev.start_mark);
				skip = 1;
				break;
			}
			n = ynode_new(ev.type == YAML_SEQUENCE_START_EVENT ?
			    YN_SEQUENCE : YN_MAPPING, &ev.start_mark);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (skip > 0)
				skip--;
			else if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		if (n != NULL) {
			if (depth > 0)
				ynode_add(stack[depth - 1], n);
			else if (root == NULL)
				root = n;
			else
				ynode_free(n);	/* cannot happen: one root */
			if (n->yn_type == YN_SEQUENCE ||
			    n->yn_type == YN_MAPPING)
				stack[depth++] = n;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (ndocs == 0 || (root != NULL && wf_is_null(root) &&
	    root->yn_len == 0)) {
		wp_errorat(wp, 1, 1, "empty file; a workflow file holds a "
		    "mapping with the keys workflow, version, start and states");
		ynode_free(root);
		return NULL;
	}
	return root;

fail:
	yaml_parser_delete(&parser);
	ynode_free(root);
	return NULL;
}

/* libyaml's own words, at its position. */
static void
wp_syntax(struct wf_parse *wp, const yaml_parser_t *parser, const char *buf,
    size_t len)
{
	const char	*problem;
	size_t		 i, end;
	int		 line = 1, col = 1;

	problem = parser->problem != NULL ? parser->problem : "unknown error";
	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		fatalx("%s: libyaml is out of memory", __func__);
	case YAML_READER_ERROR:
		/* Reader errors come with a byte offset only. */
		end = parser->problem_offset < len ? parser->problem_offset :
		    len;
		for (i = 0; i < end; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
				col++;
		}
		wp_errorat(wp, line, col, "syntax error: %s; a workflow file "
		    "must be UTF-8 text", problem);
		break;
	default:
		if (parser->context != NULL)
			wp_errorat(wp, parser->problem_mark.line + 1,
			    parser->problem_mark.column + 1,
			    "syntax error: %s (%s at line %zu, column %zu)",
			    problem, parser->context,
			    parser->context_mark.line + 1,
			    parser->context_mark.column + 1);
		else
			wp_errorat(wp, parser->problem_mark.line + 1,
			    parser->problem_mark.column + 1,
			    "syntax error: %s", problem);
		break;
	}
}

/*
 * Anchors and aliases let a small file expand into a huge tree (the
 * "billion laughs"), and tags change how a value is read; a workflow needs
 * none of them.  Returns the number of refusals.
 */
static int
wp_refuse(struct wf_parse *wp, const yaml_event_t *ev,
    const unsigned char *anchor, const unsigned char *tag)
{
	const char	*t;
	char		 q[WF_QUOTE_LEN];
	int		 line = ev->start_mark.line + 1;
	int		 col = ev->start_mark.column + 1;
	int		 n = 0;

	if (ev->type == YAML_ALIAS_EVENT) {
		anchor = ev->data.alias.anchor;
		wp_errorat(wp, line, col, "aliases are not allowed (*%s)",
		    wf_quote((const char *)anchor, strlen((const char *)anchor),
		    q));
		return 1;
	}
	if (anchor != NULL) {
		wp_errorat(wp, line, col, "anchors are not allowed (&%s)",
		    wf_quote((const char *)anchor, strlen((const char *)anchor),
		    q));
		n++;
	}
	if (tag != NULL) {
		/* Show "!!int" as written, not libyaml's expansion of it. */
		t = (const char *)tag;
		if (strncmp(t, WF_YAML_TAG, strlen(WF_YAML_TAG)) == 0)
			wp_errorat(wp, line, col, "tags are not allowed (!!%s)",
			    wf_quote(t + strlen(WF_YAML_TAG),
			    strlen(t + strlen(WF_YAML_TAG)), q));
		else
			wp_errorat(wp, line, col, "tags are not allowed (%s)",
			    wf_quote(t, strlen(t), q));
		n++;
	}
	return n;
}

static struct ynode *
ynode_new(enum ynode_type type, const yaml_mark_t *mark)
{
	struct ynode	*n;

	n = xcalloc(1, sizeof(*n));
	n->yn_type = type;
	n->yn_line = mark->line + 1;
	n->yn_col = mark->column + 1;
	return n;
}

static void
ynode_add(struct ynode *parent, struct ynode *kid)
{
	if (parent->yn_nkids == parent->yn_capkids) {
		parent->yn_capkids = parent->yn_capkids == 0 ? 8 :
		    parent->yn_capkids * 2;
		parent->yn_kids = xreallocarray(parent->yn_kids,
		    parent->yn_capkids, sizeof(*parent->yn_kids));
	}
	parent->yn_kids[parent->yn_nkids++] = kid;
}

static void
ynode_free(struct ynode *n)
{
	size_t	i;

	if (n == NULL)
		return;
	for (i = 0; i < n->yn_nkids; i++)
		ynode_free(n->yn_kids[i]);
	free(n->yn_kids);
	free(n->yn_value);
	free(n);
}

/* The top level; base is the file's base name, or NULL. */
static void
wp_workflow(struct wf_parse *wp, const struct ynode *root, const char *base)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_field		 f[nitems(wf_top_keys)];
	const struct ynode	*v;
	char			 d[WF_DESCRIBE_LEN], q[WF_QUOTE_LEN];
	long long		 version;
	size_t			 stem;

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
		wf->wf_title = xstrdup(v->yn_value);
	if ((v = f[K_ROLES].fv_val) != NULL)
		wp_roles(wp, v);
	if ((v = f[K_STATES].fv_val) != NULL)
		wp_states(wp, f[K_STATES].fv_key, v);
	else
		wp->wp_graph = 0;

	if ((v = f[K_START].fv_val) != NULL) {
		wf->wf_start = xstrdup(v->yn_value);
		if (wf->wf_nstates > 0 && !wp->wp_truncated &&
		    wf_find_state(wf, v->yn_value) == -1)
			wp_error(wp, v, "start state '%s' is not defined",
			    v->yn_value);
	}
	if (f[K_STATES].fv_val != NULL)
		wp_graph(wp, f[K_STATES].fv_key, f[K_START].fv_val);
}

/* Role names are those tokens carry; the list is reserved for permissions. */
static void
wp_roles(struct wf_parse *wp, const struct ynode *list)
{
	struct workflow		*wf = wp->wp_wf;
	const struct ynode	*r;
	char			 d[WF_DESCRIBE_LEN], q[WF_QUOTE_LEN];
	size_t			 i, j;

	if (list->yn_nkids == 0)
		return;
	wf->wf_roles = xcalloc(list->yn_nkids, sizeof(*wf->wf_roles));
	for (i = 0; i < list->yn_nkids; i++) {
		r = list->yn_kids[i];
		if (r->yn_type == YN_REFUSED)
			continue;
		if (r->yn_type != YN_SCALAR || wf_is_null(r)) {
			wp_error(wp, r, "a role must be a name, not %s",
			    wf_describe(r, d));
			continue;
		}
		if (!wf_name_valid(r)) {
			wp_error(wp, r, "bad role name '%s': a name is a "
			    "lowercase letter, then lowercase letters, digits "
			    "or underscores, at most %d in all",
			    wf_quote(r->yn_value, r->yn_len, q), WF_NAME_MAX);
			continue;
		}
		if (!role_valid(r->yn_value)) {
			wp_error(wp, r, "unknown role '%s'", r->yn_value);
			continue;
		}
		for (j = 0; j < wf->wf_nroles; j++)
			if (strcmp(wf->wf_roles[j], r->yn_value) == 0)
				break;
		if (j < wf->wf_nroles) {
			wp_error(wp, r, "role '%s' is listed twice",
			    r->yn_value);
			continue;
		}
		wf->wf_roles[wf->wf_nroles++] = xstrdup(r->yn_value);
	}
}

static void
wp_states(struct wf_parse *wp, const struct ynode *key,
    const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_state		*ws;
	const struct ynode	*k, *v;
	char			 q[WF_QUOTE_LEN];
	size_t			 i, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0) {
		wp_error(wp, map, "'states' must hold at least one state");
		wp->wp_graph = 0;
		return;
	}
	skip = wp_keys(wp, map);
	wf->wf_states = xcalloc(npairs < WF_MAX_STATES ? npairs :
	    WF_MAX_STATES, sizeof(*wf->wf_states));
	wp->wp_statekeys = xcalloc(npairs < WF_MAX_STATES ? npairs :
	    WF_MAX_STATES, sizeof(*wp->wp_statekeys));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_graph = 0;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (wf->wf_nstates == WF_MAX_STATES) {
			wp_error(wp, k, "more than %d states", WF_MAX_STATES);
			wp->wp_graph = 0;
			wp->wp_truncated = 1;
			break;
		}
		/*
		 * A state with a bad name is kept, so that references to it
		 * do not add "undefined state" to the message that matters.
		 */
		if (!wf_name_valid(k))
			wp_error(wp, k, "bad state name '%s': a name is a "
			    "lowercase letter, then lowercase letters, digits "
			    "or underscores, at most %d in all",
			    wf_quote(k->yn_value, k->yn_len, q), WF_NAME_MAX);
		ws = &wf->wf_states[wf->wf_nstates];
		wp->wp_statekeys[wf->wf_nstates] = k;
		wf->wf_nstates++;
		ws->ws_name = xstrdup(k->yn_value);
		ws->ws_line = k->yn_line;
		wp_state(wp, ws, k, v);
	}
	free(skip);
}

static void
wp_state(struct wf_parse *wp, struct wf_state *ws, const struct ynode *key,
    const struct ynode *map)
{
	struct wf_field	 f[nitems(wf_state_keys)];
	char		 ctx[WF_QUOTE_LEN + 16], q[WF_QUOTE_LEN];
	char		 d[WF_DESCRIBE_LEN];
	int		 final;

	if (map->yn_type == YN_REFUSED) {
		wp->wp_graph = 0;
		return;
	}
	if (map->yn_type != YN_MAPPING) {
		wp_error(wp, map, "state '%s' must be a mapping, not %s",
		    wf_quote(ws->ws_name, strlen(ws->ws_name), q),
		    wf_describe(map, d));
		wp->wp_graph = 0;
		return;
	}
	snprintf(ctx, sizeof(ctx), "in state '%s'",
	    wf_quote(ws->ws_name, strlen(ws->ws_name), q));
	wp_fields(wp, map, key, wf_state_keys, nitems(wf_state_keys), ctx, f);
	if (f[KS_FINAL].fv_bad || f[KS_DEADLINE].fv_bad ||
	    f[KS_EVENTS].fv_bad)
		wp->wp_graph = 0;

	if (f[KS_TITLE].fv_val != NULL)
		ws->ws_title = xstrdup(f[KS_TITLE].fv_val->yn_value);
	if (f[KS_FINAL].fv_val != NULL &&
	    wf_is_bool(f[KS_FINAL].fv_val, &final))
		ws->ws_final = final;
	if (f[KS_DEADLINE].fv_val != NULL)
		wp_deadline(wp, ws, f[KS_DEADLINE].fv_key,
		    f[KS_DEADLINE].fv_val);
	if (f[KS_EVENTS].fv_val != NULL)
		wp_events(wp, ws, f[KS_EVENTS].fv_val);

	if (ws->ws_final) {
		if (f[KS_DEADLINE].fv_key != NULL)
			wp_error(wp, f[KS_DEADLINE].fv_key, "final state '%s' "
			    "cannot have a deadline", q);
		if (f[KS_EVENTS].fv_val != NULL &&
		    f[KS_EVENTS].fv_val->yn_nkids > 0)
			wp_error(wp, f[KS_EVENTS].fv_key, "final state '%s' "
			    "cannot have events", q);
	} else if (f[KS_DEADLINE].fv_key == NULL && ws->ws_nevents == 0 &&
	    !f[KS_FINAL].fv_bad && !f[KS_EVENTS].fv_bad &&
	    (f[KS_EVENTS].fv_val == NULL ||
	    f[KS_EVENTS].fv_val->yn_nkids == 0))
		wp_error(wp, key, "state '%s' has no way out: it is not "
		    "final, and has no events and no deadline", q);
}

static void
wp_deadline(struct wf_parse *wp, struct wf_state *ws, const struct ynode *key,
    const struct ynode *map)
{
	struct wf_deadline	*wd;
	struct wf_field		 f[nitems(wf_deadline_keys)];
	const struct ynode	*v;
	char			 ctx[WF_QUOTE_LEN + 32], q[WF_QUOTE_LEN];
	char			 err[256];
	enum period_rule	 rule;
	int			 courtesy, period_ok = 0;

	wf_quote(ws->ws_name, strlen(ws->ws_name), q);
	snprintf(ctx, sizeof(ctx), "in the deadline of state '%s'", q);
	wp_fields(wp, map, key, wf_deadline_keys, nitems(wf_deadline_keys),
	    ctx, f);

	ws->ws_deadline = wd = xcalloc(1, sizeof(*wd));
	wd->wd_line = key->yn_line;
	wd->wd_spec.ps_rule = PR_PLAIN;
	wd->wd_kind = DK_AGREEMENT;

	if ((v = f[KD_NAME].fv_val) != NULL)
		wd->wd_name = xstrdup(v->yn_value);
	else
		wd->wd_name = xstrdup(ws->ws_name);

	if ((v = f[KD_PERIOD].fv_val) != NULL) {
		if (period_parse(v->yn_value, &wd->wd_spec.ps_period, err,
		    sizeof(err)) == -1)
			wp_error(wp, v, "%s", err);
		else
			period_ok = 1;
	}

	if ((v = f[KD_RULE].fv_val) != NULL) {
		if (period_rule_parse(v->yn_value, &rule) == -1)
			wp_error(wp, v, "unknown rule '%s'; allowed rules: "
			    "plain, atw, working_days, hours",
			    wf_quote(v->yn_value, v->yn_len, q));
		else if (rule == PR_BACKWARD)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "state's deadline: it counts forward from the "
			    "moment the case entered the state");
		else
			wd->wd_spec.ps_rule = rule;
	}

	/* period_due refuses these when the deadline starts: refuse them now. */
	if ((v = f[KD_RULE].fv_val) != NULL && period_ok &&
	    wd->wd_spec.ps_rule == PR_WORKING_DAYS &&
	    wd->wd_spec.ps_period.p_unit != PU_DAYS)
		wp_error(wp, v, "rule 'working_days' needs a period in days, "
		    "such as \"10 days\", not \"%s\"",
		    wf_quote(f[KD_PERIOD].fv_val->yn_value,
		    f[KD_PERIOD].fv_val->yn_len, q));
	if ((v = f[KD_RULE].fv_val) != NULL && period_ok &&
	    wd->wd_spec.ps_rule == PR_HOURS &&
	    !period_is_hours(&wd->wd_spec.ps_period))
		wp_error(wp, v, "rule 'hours' needs a period in hours, such as "
		    "\"48 hours\", not \"%s\"",
		    wf_quote(f[KD_PERIOD].fv_val->yn_value,
		    f[KD_PERIOD].fv_val->yn_len, q));

	if ((v = f[KD_KIND].fv_val) != NULL &&
	    deadline_kind_parse(v->yn_value, &wd->wd_kind) == -1)
		wp_error(wp, v, "unknown kind '%s'; allowed kinds: agreement, "
		    "statutory, decision, service_norm",
		    wf_quote(v->yn_value, v->yn_len, q));

	if ((v = f[KD_COURTESY].fv_val) != NULL && wf_is_bool(v, &courtesy)) {
		wd->wd_spec.ps_courtesy = courtesy;
		if (courtesy && f[KD_RULE].fv_val != NULL &&
		    wd->wd_spec.ps_rule != PR_PLAIN)
			wp_error(wp, f[KD_COURTESY].fv_key, "'courtesy' only "
			    "applies to the plain rule, not to '%s'",
			    period_rule_name(wd->wd_spec.ps_rule));
		else if (courtesy && period_ok &&
		    period_is_hours(&wd->wd_spec.ps_period))
			wp_error(wp, f[KD_COURTESY].fv_key, "'courtesy' does "
			    "not apply to a period in hours, which is elapsed "
			    "time");
	}

	if ((v = f[KD_THEN].fv_val) != NULL) {
		wd->wd_then = xstrdup(v->yn_value);
		wp_ref(wp, v, "the deadline of state '%s'",
		    wf_quote(ws->ws_name, strlen(ws->ws_name), q));
	} else
		wp->wp_graph = 0;
}

/* Each event is "name: state" or "name: { to: state }". */
static void
wp_events(struct wf_parse *wp, struct wf_state *ws, const struct ynode *map)
{
	struct wf_event		*we;
	struct wf_field		 f[nitems(wf_event_keys)];
	const struct ynode	*k, *v, *to;
	char			 ctx[2 * WF_QUOTE_LEN + 32];
	char			 d[WF_DESCRIBE_LEN];
	char			 q[WF_QUOTE_LEN], qs[WF_QUOTE_LEN];
	size_t			 i, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0)
		return;
	wf_quote(ws->ws_name, strlen(ws->ws_name), qs);
	skip = wp_keys(wp, map);
	ws->ws_events = xcalloc(npairs < WF_MAX_EVENTS ? npairs :
	    WF_MAX_EVENTS, sizeof(*ws->ws_events));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_graph = 0;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (ws->ws_nevents == WF_MAX_EVENTS) {
			wp_error(wp, k, "state '%s' has more than %d events",
			    qs, WF_MAX_EVENTS);
			wp->wp_graph = 0;
			break;
		}
		wf_quote(k->yn_value, k->yn_len, q);
		if (!wf_name_valid(k))
			wp_error(wp, k, "bad event name '%s': a name is a "
			    "lowercase letter, then lowercase letters, digits "
			    "or underscores, at most %d in all", q,
			    WF_NAME_MAX);
		we = &ws->ws_events[ws->ws_nevents++];
		we->we_name = xstrdup(k->yn_value);
		we->we_line = k->yn_line;

		to = NULL;
		if (v->yn_type == YN_SCALAR && !wf_is_null(v)) {
			if (wp_type(wp, &wf_event_keys[KE_TO], v) == 0)
				to = v;
		} else if (v->yn_type == YN_MAPPING) {
			snprintf(ctx, sizeof(ctx), "in event '%s' of state "
			    "'%s'", q, qs);
			wp_fields(wp, v, k, wf_event_keys,
			    nitems(wf_event_keys), ctx, f);
			to = f[KE_TO].fv_val;
		} else if (v->yn_type != YN_REFUSED)
			wp_error(wp, v, "event '%s' of state '%s' must name a "
			    "state, or be a mapping with 'to', not %s", q, qs,
			    wf_describe(v, d));
		if (to == NULL) {
			wp->wp_graph = 0;
			continue;
		}
		we->we_to = xstrdup(to->yn_value);
		wp_ref(wp, to, "event '%s' of state '%s'", q, qs);
	}
	free(skip);
}

/*
 * The checks that need every state: references, reachability from the
 * start, and whether a final state can be reached from each state.  The
 * last two run only when the states are well formed and every reference
 * is defined: a state whose events could not be read, or a misspelt
 * target, would make others look unreachable.
 */
static void
wp_graph(struct wf_parse *wp, const struct ynode *states,
    const struct ynode *start)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_state		*ws;
	struct wf_ref		*rf;
	int			 from, to, changed, undefined = 0;
	int			*seen = NULL, *fin = NULL, *queue = NULL;
	size_t			 i, j, head, tail, nfinal = 0;

	/* Past the limit, the states left out would all look undefined. */
	if (wp->wp_truncated)
		return;
	for (i = 0; i < wp->wp_nrefs; i++) {
		rf = &wp->wp_refs[i];
		if (wf_find_state(wf, rf->rf_state) == -1) {
			wp_error(wp, rf->rf_at, "%s leads to undefined state "
			    "'%s'", rf->rf_what, rf->rf_state);
			undefined = 1;
		}
	}
	/*
	 * A misspelt target makes the state it meant unreachable, and maybe
	 * its own state a dead end: the misspelling is the message to give.
	 */
	if (!wp->wp_graph || undefined || wf->wf_nstates == 0)
		return;

	seen = xcalloc(wf->wf_nstates, sizeof(*seen));
	fin = xcalloc(wf->wf_nstates, sizeof(*fin));
	queue = xcalloc(wf->wf_nstates, sizeof(*queue));

	/* Forward from the start, through events and deadlines. */
	if (start != NULL && (from = wf_find_state(wf, start->yn_value)) != -1) {
		head = tail = 0;
		seen[from] = 1;
		queue[tail++] = from;
		while (head < tail) {
			ws = &wf->wf_states[queue[head++]];
			for (j = 0; j <= ws->ws_nevents; j++) {
				if (j < ws->ws_nevents)
					to = wf_find_state(wf,
					    ws->ws_events[j].we_to);
				else if (ws->ws_deadline != NULL)
					to = wf_find_state(wf,
					    ws->ws_deadline->wd_then);
				else
					break;
				if (to != -1 && !seen[to]) {
					seen[to] = 1;
					queue[tail++] = to;
				}
			}
		}
		for (i = 0; i < wf->wf_nstates; i++)
			if (!seen[i])
				wp_error(wp, wp->wp_statekeys[i], "state '%s' "
				    "cannot be reached from the start state "
				    "'%s'", wf->wf_states[i].ws_name,
				    start->yn_value);
	}

	/* Backward from the final states, until nothing changes. */
	for (i = 0; i < wf->wf_nstates; i++)
		if ((fin[i] = wf->wf_states[i].ws_final))
			nfinal++;
	if (nfinal == 0) {
		wp_error(wp, states, "no final state; mark at least one state "
		    "with 'final: true'");
		goto done;
	}
	do {
		changed = 0;
		for (i = 0; i < wf->wf_nstates; i++) {
			ws = &wf->wf_states[i];
			for (j = 0; !fin[i] && j <= ws->ws_nevents; j++) {
				if (j < ws->ws_nevents)
					to = wf_find_state(wf,
					    ws->ws_events[j].we_to);
				else if (ws->ws_deadline != NULL)
					to = wf_find_state(wf,
					    ws->ws_deadline->wd_then);
				else
					break;
				if (to != -1 && fin[to])
					fin[i] = changed = 1;
			}
		}
	} while (changed);
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		/* A state with no way out has had its message. */
		if (fin[i] || (ws->ws_nevents == 0 && ws->ws_deadline == NULL))
			continue;
		wp_error(wp, wp->wp_statekeys[i], "no final state can be "
		    "reached from state '%s'", ws->ws_name);
	}

done:
	free(queue);
	free(fin);
	free(seen);
}

/*
 * Checks the keys of a mapping: each a string, none twice.  Returns an
 * array, one flag per pair, set for the pairs to skip.  Sorting finds the
 * duplicates in n log n, so that a file of many keys costs no more than its
 * size.
 */
static int *
wp_keys(struct wf_parse *wp, const struct ynode *map)
{
	struct wf_keyref	*order;
	const struct ynode	*k, *first;
	char			 d[WF_DESCRIBE_LEN], q[WF_QUOTE_LEN];
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
static int
wp_fields(struct wf_parse *wp, const struct ynode *map, const struct ynode *at,
    const struct wf_key *keys, size_t nkeys, const char *ctx,
    struct wf_field *f)
{
	const struct ynode	*k, *v;
	char			 q[WF_QUOTE_LEN], *allowed;
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
static int
wp_type(struct wf_parse *wp, const struct wf_key *key, const struct ynode *v)
{
	char		 q[WF_QUOTE_LEN], d[WF_DESCRIBE_LEN];
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
		if (v->yn_type != YN_SCALAR || wf_is_null(v))
			break;
		if (strlen(v->yn_value) != v->yn_len) {
			wp_error(wp, v, "'%s' must not hold a NUL character",
			    key->wk_key);
			return -1;
		}
		if (key->wk_type == WT_NAME && !wf_name_valid(v)) {
			wp_error(wp, v, "bad %s name '%s': a name is a "
			    "lowercase letter, then lowercase letters, digits "
			    "or underscores, at most %d in all", key->wk_what,
			    wf_quote(v->yn_value, v->yn_len, q), WF_NAME_MAX);
			return -1;
		}
		return 0;
	}
	wp_error(wp, v, "'%s' must be %s, not %s", key->wk_key,
	    wf_type_name(key->wk_type), wf_describe(v, d));
	return -1;
}

/* Remembers a state name to check once every state is known. */
static void
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
	rf->rf_state = at->yn_value;
	rf->rf_at = at;
	va_start(ap, fmt);
	xvasprintf(&rf->rf_what, fmt, ap);
	va_end(ap);
}

static void
wp_error(struct wf_parse *wp, const struct ynode *at, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	wp_verror(wp, at->yn_line, at->yn_col, fmt, ap);
	va_end(ap);
}

static void
wp_errorat(struct wf_parse *wp, int line, int col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	wp_verror(wp, line, col, fmt, ap);
	va_end(ap);
}

static void
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
	memset(wp, 0, sizeof(*wp));
}

/* [a-z][a-z0-9_]*, at most WF_NAME_MAX; ASCII only, whatever the locale. */
static int
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

static int
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
static int
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
static int
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
static const char *
wf_quote(const char *s, size_t n, char *buf)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		if (i == WF_QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	}
	buf[o] = '\0';
	return buf;
}

/* What a node is, for "must be X, not Y"; buf holds WF_DESCRIBE_LEN. */
static const char *
wf_describe(const struct ynode *n, char *buf)
{
	char	q[WF_QUOTE_LEN];

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
	}
	return "something else";
}

static char *
wf_allowed(const struct wf_key *keys, size_t nkeys)
{
	char	*s, *t;
	size_t	 i;

	s = xstrdup(keys[0].wk_key);
	for (i = 1; i < nkeys; i++) {
		xasprintf(&t, "%s, %s", s, keys[i].wk_key);
		free(s);
		s = t;
	}
	return s;
}

static int
wf_find_state(const struct workflow *wf, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < wf->wf_nstates; i++)
		if (strcmp(wf->wf_states[i].ws_name, name) == 0)
			return (int)i;
	return -1;
}
