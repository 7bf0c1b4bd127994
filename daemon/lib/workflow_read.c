/*
 * termijn: the first pass of the workflow loader: libyaml's events read
 * into a tree of nodes that keeps every position, refusing what a workflow
 * never needs (anchors, aliases, tags, deep nesting, a second document).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "termijn/util.h"

#include "workflow_parse.h"

#define WF_YAML_TAG	"tag:yaml.org,2002:"	/* what "!!" stands for */

static void	wp_syntax(struct wf_parse *, const yaml_parser_t *,
		    const char *, size_t);
static int	wp_refuse(struct wf_parse *, const yaml_event_t *,
		    const unsigned char *, const unsigned char *);
static struct ynode *ynode_new(enum ynode_type, const yaml_mark_t *);
static void	ynode_add(struct ynode *, struct ynode *);
static void	wp_errorat(struct wf_parse *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/*
 * Builds the tree of one document.  Refusals (anchors, aliases, tags, depth)
 * are reported and reading goes on; a syntax error ends it, since libyaml
 * cannot resume after one.  Returns NULL when there is nothing to validate.
 */
struct ynode *
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

void
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

static void
wp_errorat(struct wf_parse *wp, int line, int col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	wp_verror(wp, line, col, fmt, ap);
	va_end(ap);
}
