/*
 * termijn: the top-level 'bases' of a workflow, the legal bases it may
 * share a case on, and the check of a basis that a list names.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/quote.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

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

static void	wp_basis_text(struct wf_parse *, const struct ynode *,
		    const char *, const char *, char **);

/*
 * The top-level 'bases': the legal bases the workflow may share on, each
 * an id with the article it rests on and a line that says it in Dutch.  A
 * basis with a bad id is kept, so that the lists naming it do not add
 * "not declared" to the message that matters.
 */
void
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
