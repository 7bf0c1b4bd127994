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

#include <yaml.h>

#include "termijn/hash.h"
#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/role.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

/* What a workflow file says, echoed in a message about it (quote.c). */
#define wf_quote(s, n, q)	quote_input((s), (n), (q), QUOTE_LEN)

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
 * to bottom whichever check found them.  The checks of the graph are in
 * workflow_check.c.
 */

#define WF_YAML_TAG	"tag:yaml.org,2002:"	/* what "!!" stands for */

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
static int	wp_event_role(struct wf_parse *, const struct ynode *,
		    const char *);
static void	wp_bases(struct wf_parse *, const struct ynode *);
static void	wp_basis_text(struct wf_parse *, const struct ynode *,
		    const char *, const char *, char **);
static void	wp_retention(struct wf_parse *, const struct ynode *);
static void	wp_case_deadlines(struct wf_parse *, const struct ynode *);
static void	wp_states(struct wf_parse *, const struct ynode *,
		    const struct ynode *);
static void	wp_state(struct wf_parse *, struct wf_state *,
		    const struct ynode *, const struct ynode *);
static int	wp_deadline(struct wf_parse *, struct wf_state *,
		    struct wf_deadline *, const struct ynode *,
		    const struct ynode *);
static void	wp_rungs(struct wf_parse *, struct wf_deadline *,
		    const char *, int, const struct ynode *,
		    const struct ynode *);
static void	wp_rung(struct wf_parse *, struct wf_rung *, const char *,
		    size_t, int, const struct ynode *, const struct ynode *,
		    const struct ynode **);
static void	wp_rung_start(struct wf_parse *, struct wf_rung *,
		    const char *, const struct ynode *);
static void	wp_events(struct wf_parse *, struct wf_state *, int,
		    const struct ynode *);
static int	wp_event(struct wf_parse *, struct wf_state *,
		    struct wf_event *, int, const struct ynode *,
		    const struct ynode *);
static int	*wp_keys(struct wf_parse *, const struct ynode *);
static int	wp_keycmp(const void *, const void *);
static int	wp_type(struct wf_parse *, const struct wf_key *,
		    const struct ynode *);
static struct wf_ref *wp_ref(struct wf_parse *, const struct ynode *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static void	wp_errorat(struct wf_parse *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	wp_report(struct wf_parse *, const char *, struct errlist *);
static int	wp_msgcmp(const void *, const void *);
static void	wp_free(struct wf_parse *);
static int	wf_is_int(const struct ynode *, long long *);
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

enum {
	KS_TITLE,
	KS_GUIDANCE,
	KS_FINAL,
	KS_QUEUE,
	KS_DEADLINE,
	KS_EVENTS,
	KS_JOINS,
	KS_NOTIFY,
};
static const struct wf_key wf_state_keys[] = {
	[KS_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KS_GUIDANCE] =	{ "guidance", WT_STRING, 0, NULL, 0, 0, NULL },
	[KS_FINAL] =	{ "final", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KS_QUEUE] =	{ "queue", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KS_DEADLINE] =	{ "deadline", WT_MAPPING, 0, NULL, 0, 0, NULL },
	[KS_EVENTS] =	{ "events", WT_MAPPING, 0, NULL, 0, 0, NULL },
	[KS_JOINS] =	{ "joins", WT_LIST, 0, NULL, 0, 0, NULL },
	[KS_NOTIFY] =	{ "notify", WT_LIST, 0, NULL, 0, 0, NULL },
};

enum {
	KD_NAME,
	KD_TITLE,
	KD_PERIOD,
	KD_RULE,
	KD_KIND,
	KD_COURTESY,
	KD_ANCHOR,
	KD_RESUME_DAY,
	KD_THEN,
	KD_RUNGS,
};
static const struct wf_key wf_deadline_keys[] = {
	[KD_NAME] =	{ "name", WT_NAME, 0, "deadline", 0, 0, NULL },
	[KD_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_PERIOD] =	{ "period", WT_STRING, 1, NULL, 0, 0, NULL },
	[KD_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_KIND] =	{ "kind", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_COURTESY] =	{ "courtesy", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KD_ANCHOR] =	{ "anchor", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_RESUME_DAY] = { "resume_day_suspended", WT_BOOL, 0, NULL, 0, 0,
			    NULL },
	[KD_THEN] =	{ "then", WT_NAME, 0, "state", 0, 0, NULL },
	[KD_RUNGS] =	{ "rungs", WT_LIST, 0, NULL, 0, 0, NULL },
};

/* A case deadline: the keys of a state's deadline, less those of a state. */
static const struct wf_key wf_case_deadline_keys[] = {
	[KD_NAME] =	{ "name", WT_NAME, 0, "deadline", 0, 0,
			  "a case deadline is named by its key under "
			  "'deadlines'" },
	[KD_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_PERIOD] =	{ "period", WT_STRING, 1, NULL, 0, 0, NULL },
	[KD_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_KIND] =	{ "kind", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_COURTESY] =	{ "courtesy", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KD_ANCHOR] =	{ "anchor", WT_STRING, 0, NULL, 0, 0,
			  "a case deadline counts from the moment the rung "
			  "that starts it fires" },
	[KD_RESUME_DAY] = { "resume_day_suspended", WT_BOOL, 0, NULL, 0, 0,
			  "only a state's deadline can be suspended" },
	[KD_THEN] =	{ "then", WT_NAME, 0, "state", 0, 0,
			  "a case deadline belongs to no state, so when it "
			  "passes only its rungs fire" },
	[KD_RUNGS] =	{ "rungs", WT_LIST, 0, NULL, 0, 0, NULL },
};

enum {
	KR_NAME,
	KR_TITLE,
	KR_BEFORE,
	KR_AFTER,
	KR_AT,
	KR_RULE,
	KR_NOTIFY,
	KR_EVERY,
	KR_MAX,
	KR_CATCH_UP,
	KR_START,
};
static const struct wf_key wf_rung_keys[] = {
	[KR_NAME] =	{ "name", WT_NAME, 0, "rung", 0, 0, NULL },
	[KR_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_BEFORE] =	{ "before", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AFTER] =	{ "after", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AT] =	{ "at", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_NOTIFY] =	{ "notify", WT_NAME, 0, "role", 0, 0, NULL },
	[KR_EVERY] =	{ "every", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_MAX] =	{ "max", WT_INT, 0, NULL, 1, 1000, NULL },
	[KR_CATCH_UP] =	{ "catch_up", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_START] =	{ "start", WT_LIST, 0, NULL, 0, 0, NULL },
};

/*
 * A rung of a case deadline starts no case deadlines, so that a chain of
 * them cannot grow without end.
 */
static const struct wf_key wf_case_rung_keys[] = {
	[KR_NAME] =	{ "name", WT_NAME, 0, "rung", 0, 0, NULL },
	[KR_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_BEFORE] =	{ "before", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AFTER] =	{ "after", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AT] =	{ "at", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_NOTIFY] =	{ "notify", WT_NAME, 0, "role", 0, 0, NULL },
	[KR_EVERY] =	{ "every", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_MAX] =	{ "max", WT_INT, 0, NULL, 1, 1000, NULL },
	[KR_CATCH_UP] =	{ "catch_up", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_START] =	{ "start", WT_LIST, 0, NULL, 0, 0,
			  "only the rungs of a state's deadline start case "
			  "deadlines" },
};

enum {
	KE_TITLE,
	KE_TO,
	KE_ACTION,
	KE_DEADLINE,
	KE_BY,
	KE_MAX,
	KE_ROLES,
	KE_REASON,
	KE_DATE,
	KE_SHARES,
	KE_JOINS,
};
static const struct wf_key wf_event_keys[] = {
	[KE_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KE_TO] =	{ "to", WT_NAME, 0, "state", 0, 0, NULL },
	[KE_ACTION] =	{ "action", WT_STRING, 0, NULL, 0, 0, NULL },
	[KE_DEADLINE] =	{ "deadline", WT_NAME, 0, "deadline", 0, 0, NULL },
	[KE_BY] =	{ "by", WT_STRING, 0, NULL, 0, 0, NULL },
	[KE_MAX] =	{ "max", WT_INT, 0, NULL, 1, 16, NULL },
	[KE_ROLES] =	{ "roles", WT_LIST, 0, NULL, 0, 0, NULL },
	[KE_REASON] =	{ "reason", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KE_DATE] =	{ "date", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KE_SHARES] =	{ "shares", WT_LIST, 0, NULL, 0, 0, NULL },
	[KE_JOINS] =	{ "joins", WT_LIST, 0, NULL, 0, 0, NULL },
};

/* wp_deadline and wp_rung read both tables of a pair with the same indices. */
_Static_assert(nitems(wf_case_deadline_keys) == nitems(wf_deadline_keys),
    "a case deadline's keys pair with a state deadline's");
_Static_assert(nitems(wf_case_rung_keys) == nitems(wf_rung_keys),
    "a case deadline's rung keys pair with a state deadline's");

/* What an event does, as the verb its messages use. */
static const char *wf_action_verbs[] = {
	[WA_MOVE] =	"moves",
	[WA_SUSPEND] =	"suspends",
	[WA_RESUME] =	"resumes",
	[WA_EXTEND] =	"extends",
};

/* The keys of an event that go with some actions only; the rest go with all. */
#define WA_BIT(a)	(1u << (a))
#define WA_BUDGET	(WA_BIT(WA_SUSPEND) | WA_BIT(WA_RESUME) | \
			    WA_BIT(WA_EXTEND))
static const struct {
	int		 ak_key;	/* KE_* */
	unsigned	 ak_allowed;	/* WA_BIT of the actions it goes with */
	unsigned	 ak_required;	/* ... and of those that need it */
	const char	*ak_why;	/* when it does not go */
} wf_action_keys[] = {
	{ KE_TO, WA_BIT(WA_MOVE), WA_BIT(WA_MOVE),
	    "only 'move' leads to another state" },
	{ KE_DEADLINE, WA_BUDGET, WA_BUDGET,
	    "only suspend, resume and extend act on a deadline" },
	{ KE_BY, WA_BIT(WA_EXTEND), WA_BIT(WA_EXTEND),
	    "only 'extend' adds time" },
	{ KE_MAX, WA_BIT(WA_EXTEND), 0,
	    "only 'extend' is limited to a number of times" },
	{ KE_JOINS, WA_BIT(WA_MOVE), 0,
	    "only an event that moves the case brings a team in" },
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
	char		 q[QUOTE_LEN];
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
static int
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

/* The top-level 'deadlines': case deadlines, named like states. */
static void
wp_case_deadlines(struct wf_parse *wp, const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_deadline	*wd;
	const struct ynode	*k, *v;
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	size_t			 i, n, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0)
		return;
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_CASE_DEADLINES ? npairs : WF_MAX_CASE_DEADLINES;
	wf->wf_case_deadlines = xcalloc(n, sizeof(*wf->wf_case_deadlines));
	wp->wp_cdkeys = xcalloc(n, sizeof(*wp->wp_cdkeys));
	wp->wp_cdstarted = xcalloc(n, sizeof(*wp->wp_cdstarted));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_cdbad = 1;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (wf->wf_ncase_deadlines == WF_MAX_CASE_DEADLINES) {
			wp_error(wp, k, "more than %d case deadlines",
			    WF_MAX_CASE_DEADLINES);
			wp->wp_cdbad = 1;
			wp->wp_starts_ok = 0;
			break;
		}
		wf_quote(k->yn_value, k->yn_len, q);
		if (!wf_name_valid(k))
			wp_bad_name(wp, k, "case deadline name");
		wd = &wf->wf_case_deadlines[wf->wf_ncase_deadlines];
		wp->wp_cdkeys[wf->wf_ncase_deadlines] = k;
		wf->wf_ncase_deadlines++;
		wd->wd_name = xstrdup(k->yn_value);
		wd->wd_line = k->yn_line;
		if (v->yn_type == YN_REFUSED)
			continue;
		if (v->yn_type != YN_MAPPING) {
			wp_error(wp, v, "case deadline '%s' must be a mapping, "
			    "not %s", q, wf_describe(v, d));
			continue;
		}
		wp_deadline(wp, NULL, wd, k, v);
	}
	free(skip);
}

static void
wp_states(struct wf_parse *wp, const struct ynode *key,
    const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_state		*ws;
	const struct ynode	*k, *v;
	size_t			 i, n, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0) {
		wp_error(wp, map, "'states' must hold at least one state");
		wp->wp_graph = 0;
		return;
	}
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_STATES ? npairs : WF_MAX_STATES;
	wf->wf_states = xcalloc(n, sizeof(*wf->wf_states));
	wp->wp_statekeys = xcalloc(n, sizeof(*wp->wp_statekeys));
	wp->wp_anchors = xcalloc(n, sizeof(*wp->wp_anchors));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_graph = wp->wp_starts_ok = 0;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (wf->wf_nstates == WF_MAX_STATES) {
			wp_error(wp, k, "more than %d states", WF_MAX_STATES);
			wp->wp_graph = wp->wp_starts_ok = 0;
			wp->wp_truncated = 1;
			break;
		}
		/*
		 * A state with a bad name is kept, so that references to it
		 * do not add "undefined state" to the message that matters.
		 */
		if (!wf_name_valid(k))
			wp_bad_name(wp, k, "state name");
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
	char		 ctx[QUOTE_LEN + 16], q[QUOTE_LEN];
	char		 d[WF_DESCRIBE_LEN];
	size_t		 i;
	int		 final, queue, then = 0;

	if (map->yn_type == YN_REFUSED) {
		wp->wp_graph = wp->wp_starts_ok = 0;
		return;
	}
	if (map->yn_type != YN_MAPPING) {
		wp_error(wp, map, "state '%s' must be a mapping, not %s",
		    wf_quote(ws->ws_name, strlen(ws->ws_name), q),
		    wf_describe(map, d));
		wp->wp_graph = wp->wp_starts_ok = 0;
		return;
	}
	snprintf(ctx, sizeof(ctx), "in state '%s'",
	    wf_quote(ws->ws_name, strlen(ws->ws_name), q));
	wp_fields(wp, map, key, wf_state_keys, nitems(wf_state_keys), ctx, f);
	if (f[KS_FINAL].fv_bad || f[KS_DEADLINE].fv_bad ||
	    f[KS_EVENTS].fv_bad)
		wp->wp_graph = 0;
	if (f[KS_DEADLINE].fv_bad)
		wp->wp_starts_ok = 0;

	if (f[KS_TITLE].fv_val != NULL)
		wp_title(wp, f[KS_TITLE].fv_val, ctx + strlen("in "),
		    &ws->ws_title);
	if (f[KS_GUIDANCE].fv_val != NULL)
		ws->ws_guidance = xstrdup(f[KS_GUIDANCE].fv_val->yn_value);
	if (f[KS_FINAL].fv_val != NULL &&
	    wf_is_bool(f[KS_FINAL].fv_val, &final))
		ws->ws_final = final;
	if (f[KS_QUEUE].fv_val != NULL &&
	    wf_is_bool(f[KS_QUEUE].fv_val, &queue))
		ws->ws_queue = queue;
	/* The deadline first: events act on it. */
	if (f[KS_DEADLINE].fv_val != NULL) {
		ws->ws_deadline = xcalloc(1, sizeof(*ws->ws_deadline));
		then = wp_deadline(wp, ws, ws->ws_deadline,
		    f[KS_DEADLINE].fv_key, f[KS_DEADLINE].fv_val);
	}
	if (f[KS_EVENTS].fv_val != NULL)
		wp_events(wp, ws, f[KS_DEADLINE].fv_bad, f[KS_EVENTS].fv_val);
	if (f[KS_JOINS].fv_val != NULL)
		wp_joins(wp, f[KS_JOINS].fv_key, f[KS_JOINS].fv_val, ctx, NULL,
		    &ws->ws_joins, &ws->ws_njoins);
	if (f[KS_NOTIFY].fv_val != NULL)
		wp_state_notify(wp, f[KS_NOTIFY].fv_val, ws);

	if (ws->ws_final) {
		if (f[KS_DEADLINE].fv_key != NULL)
			wp_error(wp, f[KS_DEADLINE].fv_key, "final state '%s' "
			    "cannot have a deadline", q);
		if (f[KS_EVENTS].fv_val != NULL &&
		    f[KS_EVENTS].fv_val->yn_nkids > 0)
			wp_error(wp, f[KS_EVENTS].fv_key, "final state '%s' "
			    "cannot have events", q);
		if (ws->ws_queue)
			wp_error(wp, f[KS_QUEUE].fv_key, "final state '%s' "
			    "cannot be a queue: no case waits in it for anyone",
			    q);
		if (f[KS_JOINS].fv_key != NULL)
			wp_error(wp, f[KS_JOINS].fv_key, "final state '%s' "
			    "cannot bring a team in: the case is closed", q);
		return;
	}
	/*
	 * Only a move or a deadline with 'then' leads out.  What could not be
	 * read has had its message, and might have been one: an event whose
	 * action is unknown, or whose target is missing, counts as a move.
	 */
	if (then || f[KS_FINAL].fv_bad || f[KS_EVENTS].fv_bad ||
	    f[KS_DEADLINE].fv_bad)
		return;
	for (i = 0; i < ws->ws_nevents; i++)
		if (ws->ws_events[i].we_action == WA_MOVE)
			return;
	if (f[KS_DEADLINE].fv_key == NULL && (f[KS_EVENTS].fv_val == NULL ||
	    f[KS_EVENTS].fv_val->yn_nkids == 0))
		wp_error(wp, key, "state '%s' has no way out: it is not "
		    "final, and has no events and no deadline", q);
	else
		wp_error(wp, key, "state '%s' has no way out: it is not "
		    "final, and neither an event that moves the case nor a "
		    "deadline with 'then' leads out of it", q);
}

/*
 * A state's deadline (ws not NULL), or a case deadline (ws NULL; its name
 * is set).  Both have a period, a rule, a kind and rungs; only a state's
 * has 'then', an anchor, and can be suspended.  Returns whether 'then' is
 * given, even with a value that could not be read.
 */
static int
wp_deadline(struct wf_parse *wp, struct wf_state *ws, struct wf_deadline *wd,
    const struct ynode *key, const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	const struct wf_deadline *cd;
	struct wf_field		 f[nitems(wf_deadline_keys)];
	const struct ynode	*v, *at;
	char			 what[QUOTE_LEN + 32], ctx[QUOTE_LEN + 40];
	char			 q[QUOTE_LEN], err[256];
	enum period_rule	 rule;
	int			 courtesy, resume_day, period_ok = 0;

	if (ws != NULL)
		snprintf(what, sizeof(what), "the deadline of state '%s'",
		    wf_quote(ws->ws_name, strlen(ws->ws_name), q));
	else
		snprintf(what, sizeof(what), "case deadline '%s'",
		    wf_quote(wd->wd_name, strlen(wd->wd_name), q));
	snprintf(ctx, sizeof(ctx), "in %s", what);
	wp_fields(wp, map, key, ws != NULL ? wf_deadline_keys :
	    wf_case_deadline_keys, nitems(wf_deadline_keys), ctx, f);

	wd->wd_line = key->yn_line;
	wd->wd_spec.ps_rule = PR_PLAIN;
	wd->wd_kind = DK_AGREEMENT;
	wd->wd_anchor = DA_STATE;
	wd->wd_resume_day_suspended = 1;

	if (ws != NULL) {
		at = key;
		if ((v = f[KD_NAME].fv_val) != NULL) {
			wd->wd_name = xstrdup(v->yn_value);
			at = v;
		} else
			wd->wd_name = xstrdup(ws->ws_name);
		/* Rungs, transitions and queries tell deadlines by name. */
		if ((cd = workflow_case_deadline(wf, wd->wd_name)) != NULL)
			wp_error(wp, at, "deadline name '%s' of state '%s' is "
			    "also the name of a case deadline (line %d); give "
			    "the state's deadline another 'name'", wd->wd_name,
			    q, cd->wd_line);
	}
	/* Named after its state, it is called as the state is. */
	if ((v = f[KD_TITLE].fv_val) != NULL)
		wp_title(wp, v, what, &wd->wd_title);
	else if (ws != NULL && f[KD_NAME].fv_key == NULL &&
	    ws->ws_title != NULL)
		wd->wd_title = xstrdup(ws->ws_title);

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
		else if (rule == PR_BACKWARD && ws != NULL)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "state's deadline: it counts forward from the "
			    "moment the case entered the state");
		else if (rule == PR_BACKWARD)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "case deadline: it counts forward from the moment "
			    "a rung starts it");
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

	/* Whether the start state may use it is known once start is. */
	if ((v = f[KD_ANCHOR].fv_val) != NULL) {
		if (workflow_anchor_parse(v->yn_value, &wd->wd_anchor) == -1)
			wp_error(wp, v, "unknown anchor '%s'; allowed anchors: "
			    "state, event_date, started",
			    wf_quote(v->yn_value, v->yn_len, q));
		else
			wp->wp_anchors[ws - wf->wf_states] = v;
	}

	if ((v = f[KD_RESUME_DAY].fv_val) != NULL &&
	    wf_is_bool(v, &resume_day))
		wd->wd_resume_day_suspended = resume_day;

	if ((v = f[KD_THEN].fv_val) != NULL) {
		wd->wd_then = xstrdup(v->yn_value);
		wp_ref(wp, v, "%s", what);
	} else if (f[KD_THEN].fv_bad)
		wp->wp_graph = 0;

	if ((v = f[KD_RUNGS].fv_val) != NULL)
		wp_rungs(wp, wd, what, ws == NULL, v,
		    period_ok ? f[KD_PERIOD].fv_val : NULL);
	else if (f[KD_RUNGS].fv_bad)
		wp->wp_starts_ok = 0;
	return ws != NULL && f[KD_THEN].fv_key != NULL;
}

/*
 * The rungs of a deadline.  period is the deadline's period when it could
 * be read, for the checks of offsets in hours.  A rung that is not a
 * mapping keeps its place (and its number in messages) without a name.
 */
static void
wp_rungs(struct wf_parse *wp, struct wf_deadline *wd, const char *what,
    int is_case, const struct ynode *list, const struct ynode *period)
{
	struct wf_rung		*wr, *other;
	const struct ynode	*v, *at, **names;
	char			 d[WF_DESCRIBE_LEN];
	size_t			 i, j, n = list->yn_nkids;

	if (n == 0)
		return;
	if (n > WF_MAX_RUNGS) {
		wp_error(wp, list->yn_kids[WF_MAX_RUNGS], "%s has more than %d "
		    "rungs", what, WF_MAX_RUNGS);
		wp->wp_starts_ok = 0;
		n = WF_MAX_RUNGS;
	}
	wd->wd_rungs = xcalloc(n, sizeof(*wd->wd_rungs));
	names = xcalloc(n, sizeof(*names));
	for (i = 0; i < n; i++) {
		v = list->yn_kids[i];
		wr = &wd->wd_rungs[wd->wd_nrungs++];
		wr->wr_line = v->yn_line;
		if (v->yn_type == YN_MAPPING) {
			wp_rung(wp, wr, what, i + 1, is_case, v, period,
			    &names[i]);
			continue;
		}
		wp->wp_starts_ok = 0;
		if (v->yn_type != YN_REFUSED)
			wp_error(wp, v, "rung %zu of %s must be a mapping, not "
			    "%s", i + 1, what, wf_describe(v, d));
	}

	/* The ledger tells rungs apart by name. */
	for (i = 1; i < wd->wd_nrungs; i++) {
		wr = &wd->wd_rungs[i];
		for (j = 0; wr->wr_name != NULL && j < i; j++) {
			other = &wd->wd_rungs[j];
			if (other->wr_name == NULL ||
			    strcmp(other->wr_name, wr->wr_name) != 0)
				continue;
			at = names[i] != NULL ? names[i] : list->yn_kids[i];
			if (names[i] != NULL)
				wp_error(wp, at, "rung %zu of %s is named '%s', "
				    "as is rung %zu (line %d); rung names must "
				    "differ within a deadline", i + 1, what,
				    wr->wr_name, j + 1, other->wr_line);
			else
				wp_error(wp, at, "rung %zu of %s is named '%s' "
				    "by default, as is rung %zu (line %d); give "
				    "one of them a 'name'", i + 1, what,
				    wr->wr_name, j + 1, other->wr_line);
			break;
		}
	}
	free(names);
}

/*
 * One rung, number num of its deadline (what).  *namep is set to the node
 * of an explicit name.  period is the deadline's period, or NULL.
 */
static void
wp_rung(struct wf_parse *wp, struct wf_rung *wr, const char *what,
    size_t num, int is_case, const struct ynode *map,
    const struct ynode *period, const struct ynode **namep)
{
	static const struct {
		int		rk_key;
		enum rung_when	rk_when;
	} whens[] = {
		{ KR_BEFORE, RW_BEFORE },
		{ KR_AFTER, RW_AFTER },
		{ KR_AT, RW_AT },
	};
	static const char rules[] = "allowed rules for a rung: plain, "
	    "working_days, hours";
	struct wf_field		 f[nitems(wf_rung_keys)];
	const struct ynode	*v, *k, *when = NULL, *offset = NULL;
	struct period		 dp;
	char			 rung[QUOTE_LEN + 64], ctx[QUOTE_LEN + 72];
	char			 q[QUOTE_LEN], qp[QUOTE_LEN], err[256];
	char			 iso[24];
	enum period_rule	 rule;
	long long		 max;
	size_t			 i;
	int			 dhours = -1;

	snprintf(rung, sizeof(rung), "rung %zu of %s", num, what);
	snprintf(ctx, sizeof(ctx), "in %s", rung);
	wp_fields(wp, map, map, is_case ? wf_case_rung_keys : wf_rung_keys,
	    nitems(wf_rung_keys), ctx, f);
	wr->wr_offset.ps_rule = PR_PLAIN;
	wr->wr_max = 1;
	wr->wr_catch_up = CU_REPLAY;
	/* Whether the deadline's period is in hours, when it is known. */
	if (period != NULL && period_parse(period->yn_value, &dp, err,
	    sizeof(err)) == 0) {
		dhours = period_is_hours(&dp);
		wf_quote(period->yn_value, period->yn_len, qp);
	}

	/* Exactly one of before, after and at; the first in the file counts. */
	for (i = 0; i < nitems(whens); i++) {
		if ((k = f[whens[i].rk_key].fv_key) == NULL)
			continue;
		if (when == NULL || k->yn_line < when->yn_line ||
		    (k->yn_line == when->yn_line && k->yn_col < when->yn_col)) {
			when = k;
			wr->wr_when = whens[i].rk_when;
		}
	}
	for (i = 0; when != NULL && i < nitems(whens); i++) {
		if ((k = f[whens[i].rk_key].fv_key) != NULL && k != when)
			wp_error(wp, k, "%s has both '%s' and '%s'; a rung has "
			    "exactly one of before, after or at", rung,
			    when->yn_value, k->yn_value);
	}
	if (when == NULL)
		wp_error(wp, map, "%s needs one of 'before', 'after' or 'at'",
		    rung);

	if (when != NULL && wr->wr_when == RW_AT) {
		if ((v = f[KR_AT].fv_val) != NULL &&
		    strcmp(v->yn_value, "due") != 0)
			wp_error(wp, v, "'at' can only be 'due', not '%s'",
			    wf_quote(v->yn_value, v->yn_len, q));
		else if (v != NULL)
			wr->wr_name = xstrdup("at_due");
	} else if (when != NULL) {
		v = f[wr->wr_when == RW_BEFORE ? KR_BEFORE : KR_AFTER].fv_val;
		if (v != NULL && period_parse(v->yn_value,
		    &wr->wr_offset.ps_period, err, sizeof(err)) == -1)
			wp_error(wp, v, "%s", err);
		else if (v != NULL) {
			offset = v;
			period_format(&wr->wr_offset.ps_period, iso,
			    sizeof(iso));
			xasprintf(&wr->wr_name, "%s_%s", wr->wr_when ==
			    RW_BEFORE ? "before" : "after", iso);
		}
		/* A deadline in days passes at midnight: count in days. */
		if (offset != NULL && dhours == 0 &&
		    period_is_hours(&wr->wr_offset.ps_period))
			wp_error(wp, v, "an offset in hours needs a deadline "
			    "in hours, and this deadline's period is \"%s\"",
			    qp);
	}

	/* The rule counts the offset; the Atw is for statutory periods. */
	if ((v = f[KR_RULE].fv_val) != NULL) {
		if (when != NULL && wr->wr_when == RW_AT)
			wp_error(wp, f[KR_RULE].fv_key, "'rule' counts the "
			    "offset of a rung, and a rung at 'due' has none");
		else if (period_rule_parse(v->yn_value, &rule) == -1)
			wp_error(wp, v, "unknown rule '%s'; %s",
			    wf_quote(v->yn_value, v->yn_len, q), rules);
		else if (rule == PR_ATW)
			wp_error(wp, v, "rule 'atw' cannot be used for a rung: "
			    "the Algemene termijnenwet extends statutory "
			    "periods, not the time before or after them; %s",
			    rules);
		else if (rule == PR_BACKWARD)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "rung: 'before' already counts back from the due "
			    "moment; %s", rules);
		else
			wr->wr_offset.ps_rule = rule;
		if (offset != NULL)
			wf_quote(offset->yn_value, offset->yn_len, q);
		if (offset != NULL && wr->wr_offset.ps_rule ==
		    PR_WORKING_DAYS && wr->wr_offset.ps_period.p_unit != PU_DAYS)
			wp_error(wp, v, "rule 'working_days' needs an offset in "
			    "days, such as \"2 days\", not \"%s\"", q);
		if (offset != NULL && wr->wr_offset.ps_rule == PR_HOURS &&
		    !period_is_hours(&wr->wr_offset.ps_period))
			wp_error(wp, v, "rule 'hours' needs an offset in hours, "
			    "such as \"4 hours\", not \"%s\"", q);
	}

	/* "due" is the name of the deadline's own passing in the ledger. */
	if ((v = f[KR_NAME].fv_val) != NULL) {
		*namep = v;
		free(wr->wr_name);
		wr->wr_name = xstrdup(v->yn_value);
		if (strcmp(v->yn_value, "due") == 0)
			wp_error(wp, v, "rung name 'due' is reserved for the "
			    "deadline's own passing; choose another");
	}

	if ((v = f[KR_NOTIFY].fv_val) != NULL && wp_role(wp, v) == 0)
		wr->wr_notify = xstrdup(v->yn_value);

	/* Repeating: every with a max of at least 2, or neither. */
	if ((v = f[KR_EVERY].fv_val) != NULL) {
		if (period_parse(v->yn_value, &wr->wr_every, err,
		    sizeof(err)) == -1) {
			wp_error(wp, v, "%s", err);
			memset(&wr->wr_every, 0, sizeof(wr->wr_every));
		} else if (dhours == 0 && period_is_hours(&wr->wr_every))
			wp_error(wp, v, "'every' in hours needs a deadline in "
			    "hours, and this deadline's period is \"%s\"",
			    qp);
	}
	if ((v = f[KR_MAX].fv_val) != NULL && wf_is_int(v, &max))
		wr->wr_max = (int)max;
	if (f[KR_EVERY].fv_key != NULL && f[KR_MAX].fv_key == NULL)
		wp_error(wp, f[KR_EVERY].fv_key, "'every' needs 'max', how "
		    "often the rung fires at most (2 to 1000)");
	else if (f[KR_EVERY].fv_key != NULL && v != NULL && wr->wr_max < 2)
		wp_error(wp, v, "'max' must be at least 2 for a rung with "
		    "'every'; a rung that fires once needs no 'every'");
	else if (f[KR_EVERY].fv_key == NULL && f[KR_MAX].fv_key != NULL)
		wp_error(wp, f[KR_MAX].fv_key, "'max' needs 'every', the time "
		    "between occurrences; a rung without 'every' fires once");

	if ((v = f[KR_CATCH_UP].fv_val) != NULL) {
		if (workflow_catch_up_parse(v->yn_value,
		    &wr->wr_catch_up) == -1)
			wp_error(wp, v, "unknown catch_up '%s'; allowed values: "
			    "replay, latest", wf_quote(v->yn_value, v->yn_len, q));
		else if (wr->wr_catch_up == CU_LATEST &&
		    f[KR_EVERY].fv_key == NULL)
			wp_error(wp, v, "'catch_up: latest' needs 'every': a "
			    "rung that fires once has one occurrence to catch "
			    "up");
	}

	if ((v = f[KR_START].fv_val) != NULL)
		wp_rung_start(wp, wr, rung, v);
	else if (f[KR_START].fv_bad)
		wp->wp_starts_ok = 0;

	/* Read once every key is: the title says when it fires. */
	if ((v = f[KR_TITLE].fv_val) != NULL)
		wp_title(wp, v, rung, &wr->wr_title);
	else if (when != NULL)
		wr->wr_title = wp_rung_title(wr);
}

/* The case deadlines a rung starts: defined ones, each once. */
static void
wp_rung_start(struct wf_parse *wp, struct wf_rung *wr, const char *rung,
    const struct ynode *list)
{
	struct workflow		*wf = wp->wp_wf;
	const struct ynode	*s;
	const struct wf_deadline *cd;
	char			 d[WF_DESCRIBE_LEN];
	size_t			 i, j;

	if (list->yn_nkids == 0)
		return;
	wr->wr_start = xcalloc(list->yn_nkids, sizeof(*wr->wr_start));
	for (i = 0; i < list->yn_nkids; i++) {
		s = list->yn_kids[i];
		if (s->yn_type == YN_REFUSED) {
			wp->wp_starts_ok = 0;
			continue;
		}
		if (s->yn_type != YN_SCALAR || wf_is_null(s)) {
			wp_error(wp, s, "a case deadline to start must be a "
			    "name, not %s", wf_describe(s, d));
			wp->wp_starts_ok = 0;
			continue;
		}
		if (!wf_name_valid(s)) {
			wp_bad_name(wp, s, "case deadline name");
			wp->wp_starts_ok = 0;
			continue;
		}
		for (j = 0; j < wr->wr_nstart; j++)
			if (strcmp(wr->wr_start[j], s->yn_value) == 0)
				break;
		if (j < wr->wr_nstart) {
			wp_error(wp, s, "%s starts '%s' twice", rung,
			    s->yn_value);
			continue;
		}
		wr->wr_start[wr->wr_nstart++] = xstrdup(s->yn_value);
		if ((cd = workflow_case_deadline(wf, s->yn_value)) != NULL)
			wp->wp_cdstarted[cd - wf->wf_case_deadlines] = 1;
		else {
			wp->wp_starts_ok = 0;
			/* 'deadlines' that could not be read says why. */
			if (!wp->wp_cdbad)
				wp_error(wp, s, "%s starts '%s', which is not a "
				    "case deadline; define it under "
				    "'deadlines'", rung, s->yn_value);
		}
	}
}

/* Each event is "name: state", or a mapping of what it does. */
static void
wp_events(struct wf_parse *wp, struct wf_state *ws, int deadline_bad,
    const struct ynode *map)
{
	struct wf_event		*we, *other;
	const struct ynode	*k, *v, **keys;
	char			 q[QUOTE_LEN], qs[QUOTE_LEN];
	size_t			 i, j, n, npairs = map->yn_nkids / 2;
	int			*skip, events_ok = 1;

	if (npairs == 0)
		return;
	wf_quote(ws->ws_name, strlen(ws->ws_name), qs);
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_EVENTS ? npairs : WF_MAX_EVENTS;
	ws->ws_events = xcalloc(n, sizeof(*ws->ws_events));
	keys = xcalloc(n, sizeof(*keys));
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
			wp_bad_name(wp, k, "event name");
		keys[ws->ws_nevents] = k;
		we = &ws->ws_events[ws->ws_nevents++];
		we->we_name = xstrdup(k->yn_value);
		we->we_line = k->yn_line;
		if (wp_event(wp, ws, we, deadline_bad, k, v) == -1)
			events_ok = 0;
	}

	/*
	 * A suspended deadline waits for its resumption: a state that can
	 * suspend its deadline must be able to resume it.  One message per
	 * state, at the first event that suspends.
	 */
	for (i = 0; events_ok && ws->ws_deadline != NULL &&
	    i < ws->ws_nevents; i++) {
		we = &ws->ws_events[i];
		if (we->we_action != WA_SUSPEND || we->we_deadline == NULL ||
		    strcmp(we->we_deadline, ws->ws_deadline->wd_name) != 0)
			continue;
		for (j = 0; j < ws->ws_nevents; j++) {
			other = &ws->ws_events[j];
			if (other->we_action == WA_RESUME &&
			    other->we_deadline != NULL &&
			    strcmp(other->we_deadline, we->we_deadline) == 0)
				break;
		}
		if (j == ws->ws_nevents)
			wp_error(wp, keys[i], "state '%s' suspends deadline '%s' "
			    "with event '%s', but has no event that resumes it",
			    qs, we->we_deadline, q);
		break;
	}
	free(keys);
	free(skip);
}

/*
 * One event, at key k with value v: a state's name (a move) or a mapping.
 * Returns -1 when what the event does could not be read.
 */
static int
wp_event(struct wf_parse *wp, struct wf_state *ws, struct wf_event *we,
    int deadline_bad, const struct ynode *k, const struct ynode *v)
{
	struct workflow		*wf = wp->wp_wf;
	const struct wf_deadline *wd = ws->ws_deadline;
	struct wf_field		 f[nitems(wf_event_keys)];
	const struct ynode	*to = NULL, *x;
	struct wf_ref		*rf;
	char			 what[2 * QUOTE_LEN + 32];
	char			 ctx[2 * QUOTE_LEN + 40];
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	char			 qs[QUOTE_LEN], err[256];
	char			 shares[sizeof(ctx) + 16];
	const char		*why, *verb;
	long long		 ll;
	size_t			 i;
	int			 b, dated = 0;

	wf_quote(ws->ws_name, strlen(ws->ws_name), qs);
	snprintf(what, sizeof(what), "event '%s' of state '%s'",
	    wf_quote(k->yn_value, k->yn_len, q), qs);
	snprintf(ctx, sizeof(ctx), "in %s", what);
	we->we_action = WA_MOVE;
	we->we_max = 1;

	if (v->yn_type == YN_SCALAR && !wf_is_null(v)) {
		if (wp_type(wp, &wf_event_keys[KE_TO], v) == 0)
			to = v;
	} else if (v->yn_type == YN_MAPPING) {
		wp_fields(wp, v, k, wf_event_keys, nitems(wf_event_keys), ctx,
		    f);
		if ((x = f[KE_TITLE].fv_val) != NULL)
			wp_title(wp, x, what, &we->we_title);
		if ((x = f[KE_ACTION].fv_val) != NULL) {
			if (workflow_action_parse(x->yn_value,
			    &we->we_action) == -1) {
				wp_error(wp, x, "unknown action '%s'; allowed "
				    "actions: move, suspend, resume, extend",
				    wf_quote(x->yn_value, x->yn_len, q));
				wp->wp_graph = 0;
				return -1;
			}
		} else if (f[KE_ACTION].fv_bad) {
			wp->wp_graph = 0;
			return -1;
		}
		for (i = 0; i < nitems(wf_action_keys); i++) {
			x = f[wf_action_keys[i].ak_key].fv_key;
			if (x != NULL && !(wf_action_keys[i].ak_allowed &
			    WA_BIT(we->we_action)))
				wp_error(wp, x, "'%s' does not go with action "
				    "'%s' %s: %s", x->yn_value,
				    wf_action_name(we->we_action), ctx,
				    wf_action_keys[i].ak_why);
			else if (x == NULL && (wf_action_keys[i].ak_required &
			    WA_BIT(we->we_action)))
				wp_error(wp, k, "missing required key '%s' %s",
				    wf_event_keys[wf_action_keys[i].ak_key].
				    wk_key, ctx);
		}
		if (we->we_action == WA_MOVE)
			to = f[KE_TO].fv_val;

		/* Only the state's own deadline, which runs while it is in it. */
		verb = wf_action_verbs[we->we_action];
		if (we->we_action != WA_MOVE &&
		    (x = f[KE_DEADLINE].fv_val) != NULL) {
			we->we_deadline = xstrdup(x->yn_value);
			why = workflow_case_deadline(wf, x->yn_value) == NULL ?
			    "" : "; a case deadline cannot be suspended, "
			    "resumed or extended";
			if (wd == NULL && !deadline_bad)
				wp_error(wp, x, "%s %s deadline '%s', but state "
				    "'%s' has no deadline%s", what, verb,
				    x->yn_value, qs, why);
			else if (wd != NULL &&
			    strcmp(x->yn_value, wd->wd_name) != 0)
				wp_error(wp, x, "%s %s deadline '%s', but the "
				    "deadline of state '%s' is '%s'%s", what,
				    verb, x->yn_value, qs, wd->wd_name, why);
		}

		/* An extension is counted like the deadline it extends. */
		if (we->we_action == WA_EXTEND &&
		    (x = f[KE_BY].fv_val) != NULL) {
			wf_quote(x->yn_value, x->yn_len, q);
			if (period_parse(x->yn_value, &we->we_by, err,
			    sizeof(err)) == -1)
				wp_error(wp, x, "%s", err);
			else if (wd == NULL || wd->wd_spec.ps_period.p_count == 0)
				;	/* nothing to compare with */
			else if (period_is_hours(&wd->wd_spec.ps_period) &&
			    !period_is_hours(&we->we_by))
				wp_error(wp, x, "the deadline of state '%s' is in "
				    "hours, so 'by' must be in hours too, not "
				    "\"%s\"", qs, q);
			else if (!period_is_hours(&wd->wd_spec.ps_period) &&
			    period_is_hours(&we->we_by))
				wp_error(wp, x, "the deadline of state '%s' is "
				    "counted in whole days, so 'by' cannot be in "
				    "hours (\"%s\")", qs, q);
			else if (wd->wd_spec.ps_rule == PR_WORKING_DAYS &&
			    we->we_by.p_unit != PU_DAYS)
				wp_error(wp, x, "the deadline of state '%s' counts "
				    "working days, so 'by' must be in days, such "
				    "as \"10 days\", not \"%s\"", qs, q);
		}
		if (we->we_action == WA_EXTEND &&
		    (x = f[KE_MAX].fv_val) != NULL && wf_is_int(x, &ll))
			we->we_max = (int)ll;

		/* An empty list would read as "nobody" but mean "everybody". */
		if ((x = f[KE_ROLES].fv_val) != NULL && x->yn_nkids == 0)
			wp_error(wp, x, "'roles' must list at least one role; "
			    "leave it out to let every role send the event");
		else if (x != NULL)
			wp_names(wp, x, "role", "role name", wp_event_role,
			    NULL, &we->we_roles, &we->we_nroles);
		if ((x = f[KE_REASON].fv_val) != NULL && wf_is_bool(x, &b))
			we->we_reason = b;
		if ((x = f[KE_DATE].fv_val) != NULL && wf_is_bool(x, &b))
			we->we_date = b;
		/* A sharing step that names no basis could never be recorded. */
		snprintf(shares, sizeof(shares), "'shares' %s", ctx);
		if ((x = f[KE_SHARES].fv_val) != NULL && x->yn_nkids == 0)
			wp_error(wp, x, "%s must list at least one basis; leave "
			    "it out when the event shares nothing", shares);
		else if (x != NULL)
			wp_names(wp, x, "basis", "basis id",
			    wp_declared_basis, shares, &we->we_shares,
			    &we->we_nshares);
		if ((x = f[KE_JOINS].fv_val) != NULL)
			wp_joins(wp, f[KE_JOINS].fv_key, x, ctx, we,
			    &we->we_joins, &we->we_njoins);
		/* A 'date' that could not be read has had its message. */
		dated = we->we_date || f[KE_DATE].fv_bad;
	} else {
		if (v->yn_type != YN_REFUSED)
			wp_error(wp, v, "%s must name a state, or be a mapping, "
			    "not %s", what, wf_describe(v, d));
		wp->wp_graph = 0;
		return -1;
	}

	if (we->we_action != WA_MOVE)
		return 0;
	if (to == NULL) {
		wp->wp_graph = 0;
		return 0;
	}
	we->we_to = xstrdup(to->yn_value);
	rf = wp_ref(wp, to, "%s", what);
	rf->rf_event = 1;
	rf->rf_dated = dated;
	return 0;
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
static int
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
static struct wf_ref *
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

static void
wp_errorat(struct wf_parse *wp, int line, int col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	workflow_yaml_verror(wp, line, col, fmt, ap);
	va_end(ap);
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
