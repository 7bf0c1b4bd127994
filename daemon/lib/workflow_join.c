/* termijn: the language of teams brought into a case, and who is told. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/limits.h"
#include "termijn/quote.h"
#include "termijn/role.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

/*
 * Where another team joins a case.  A state's 'joins' bring a team in on
 * entering the state, whatever moved the case there (a deadline, an event,
 * a correction); an event's bring one in when the event is recorded.  Each
 * names a function (enforcement, a partner's housing fraud team), not a
 * team: which team fills a function for which owning team is the
 * administrator's choice, made once (engine_join.c).  A join shares
 * information, so it needs a legal basis the workflow declares: its own
 * 'basis', or, on an event that shares ('shares'), the basis the event is
 * given.  A state's 'notify' tells roles on entering it, as a rung does.
 */

enum {
	KJ_FUNCTION,
	KJ_TITLE,
	KJ_BASIS,
	KJ_PURPOSE,
	KJ_COORDINATOR,
};
static const struct wf_key wf_join_keys[] = {
	[KJ_FUNCTION] =	{ "function", WT_NAME, 1, "function", 0, 0, NULL },
	[KJ_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KJ_BASIS] =	{ "basis", WT_NAME, 0, "basis", 0, 0, NULL },
	[KJ_PURPOSE] =	{ "purpose", WT_STRING, 1, NULL, 0, 0, NULL },
	[KJ_COORDINATOR] = { "coordinator", WT_BOOL, 0, NULL, 0, 0, NULL },
};

static void	wp_join(struct wf_parse *, const struct ynode *, const char *,
		    const struct wf_event *, struct wf_join *);
static int	wp_notify_role(struct wf_parse *, const struct ynode *,
		    const char *);

void
wp_joins(struct wf_parse *wp, const struct ynode *key,
    const struct ynode *list, const char *ctx, const struct wf_event *ev,
    struct wf_join **joinsp, size_t *np)
{
	struct wf_join	*joins;
	char		 what[QUOTE_LEN + 128];
	size_t		 i, j, n = 0;

	if (list->yn_nkids == 0) {
		wp_error(wp, key, "'joins' %s must list at least one team to "
		    "bring in; leave it out when none joins", ctx);
		return;
	}
	if (list->yn_nkids > WF_MAX_JOINS) {
		wp_error(wp, key, "'joins' %s lists %zu; at most %d", ctx,
		    list->yn_nkids, WF_MAX_JOINS);
		return;
	}
	joins = xcalloc(list->yn_nkids, sizeof(*joins));
	for (i = 0; i < list->yn_nkids; i++) {
		snprintf(what, sizeof(what), "a join %s", ctx);
		wp_join(wp, list->yn_kids[i], what, ev, &joins[n]);
		if (joins[n].wj_function == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(joins[j].wj_function,
			    joins[n].wj_function) == 0)
				break;
		if (j < n) {
			wp_error(wp, list->yn_kids[i], "function '%s' joins "
			    "twice %s", joins[n].wj_function, ctx);
			free(joins[n].wj_function);
			free(joins[n].wj_title);
			free(joins[n].wj_basis);
			free(joins[n].wj_purpose);
			memset(&joins[n], 0, sizeof(joins[n]));
			continue;
		}
		n++;
	}
	*joinsp = joins;
	*np = n;
}

static void
wp_join(struct wf_parse *wp, const struct ynode *v, const char *what,
    const struct wf_event *ev, struct wf_join *wj)
{
	struct wf_field		 f[nitems(wf_join_keys)];
	const struct ynode	*x;
	char			 d[WF_DESCRIBE_LEN], in[QUOTE_LEN + 140];
	int			 b;

	if (v->yn_type == YN_REFUSED)
		return;
	if (v->yn_type != YN_MAPPING) {
		wp_error(wp, v, "%s must be a mapping with 'function', "
		    "'basis' and 'purpose', not %s", what, wf_describe(v, d));
		return;
	}
	snprintf(in, sizeof(in), "of %s", what);
	if (wp_fields(wp, v, v, wf_join_keys, nitems(wf_join_keys), in,
	    f) > 0 && f[KJ_FUNCTION].fv_val == NULL)
		return;
	if ((x = f[KJ_FUNCTION].fv_val) == NULL)
		return;
	wj->wj_function = xstrdup(x->yn_value);
	wj->wj_line = v->yn_line;
	if ((x = f[KJ_TITLE].fv_val) != NULL)
		wp_title(wp, x, what, &wj->wj_title);
	if ((x = f[KJ_PURPOSE].fv_val) != NULL) {
		if (x->yn_len == 0 || x->yn_len > PURPOSE_MAX ||
		    strlen(x->yn_value) != x->yn_len)
			wp_error(wp, x, "'purpose' %s must be 1 to %d bytes of "
			    "text", in, PURPOSE_MAX);
		else
			wj->wj_purpose = xstrdup(x->yn_value);
	}
	if ((x = f[KJ_COORDINATOR].fv_val) != NULL && wf_is_bool(x, &b))
		wj->wj_coordinator = b;
	if ((x = f[KJ_BASIS].fv_val) != NULL) {
		if (wp_declared_basis(wp, x, what) == 0)
			wj->wj_basis = xstrdup(x->yn_value);
	} else if (f[KJ_BASIS].fv_bad)
		;	/* it has had its message */
	else if (ev == NULL)
		wp_error(wp, v, "%s needs 'basis': the legal basis on which "
		    "the team takes part, one of 'bases'", what);
	else if (ev->we_nshares == 0)
		wp_error(wp, v, "%s needs 'basis': the event does not share "
		    "('shares'), so it is given none to take", what);
}

void
wp_state_notify(struct wf_parse *wp, const struct ynode *list,
    struct wf_state *ws)
{
	if (list->yn_nkids == 0) {
		wp_error(wp, list, "'notify' of state '%s' must list at least "
		    "one role; leave it out when nobody is told", ws->ws_name);
		return;
	}
	wp_names(wp, list, "role", "role name", wp_notify_role, NULL,
	    &ws->ws_notify, &ws->ws_nnotify);
}

static int
wp_notify_role(struct wf_parse *wp, const struct ynode *r, const char *what)
{
	(void)what;
	return wp_role(wp, r);
}
