/* termijn: the in-memory workflow model: lookups and the names of its enums. */

#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

static int	wf_lookup(const char *const *, size_t, const char *);
static void	wf_deadline_clear(struct wf_deadline *);
static void	wf_names_free(char **, size_t);

/* The names a workflow file gives the values of the model's enums. */
static const char *wf_actions[] = {
	[WA_MOVE] =	"move",
	[WA_SUSPEND] =	"suspend",
	[WA_RESUME] =	"resume",
	[WA_EXTEND] =	"extend",
};

static const char *deadline_anchors[] = {
	[DA_STATE] =		"state",
	[DA_EVENT_DATE] =	"event_date",
	[DA_STARTED] =		"started",
};

static const char *rung_catch_ups[] = {
	[CU_REPLAY] =	"replay",
	[CU_LATEST] =	"latest",
};

static const char *deadline_kinds[] = {
	[DK_AGREEMENT] =	"agreement",
	[DK_STATUTORY] =	"statutory",
	[DK_DECISION] =		"decision",
	[DK_SERVICE_NORM] =	"service_norm",
};

static void
wf_joins_free(struct wf_join *joins, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(joins[i].wj_function);
		free(joins[i].wj_title);
		free(joins[i].wj_basis);
		free(joins[i].wj_purpose);
	}
	free(joins);
}

void
workflow_free(struct workflow *wf)
{
	struct wf_state	*ws;
	struct wf_event	*we;
	size_t		 i, j;

	if (wf == NULL)
		return;
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		free(ws->ws_name);
		free(ws->ws_title);
		if (ws->ws_deadline != NULL) {
			wf_deadline_clear(ws->ws_deadline);
			free(ws->ws_deadline);
		}
		for (j = 0; j < ws->ws_nevents; j++) {
			we = &ws->ws_events[j];
			free(we->we_name);
			free(we->we_title);
			free(we->we_to);
			free(we->we_deadline);
			wf_names_free(we->we_roles, we->we_nroles);
			wf_names_free(we->we_shares, we->we_nshares);
			wf_joins_free(we->we_joins, we->we_njoins);
		}
		free(ws->ws_events);
		free(ws->ws_guidance);
		wf_joins_free(ws->ws_joins, ws->ws_njoins);
		wf_names_free(ws->ws_notify, ws->ws_nnotify);
		wf_penalty_free(ws->ws_penalty);
	}
	for (i = 0; i < wf->wf_ncase_deadlines; i++)
		wf_deadline_clear(&wf->wf_case_deadlines[i]);
	free(wf->wf_case_deadlines);
	wf_names_free(wf->wf_roles, wf->wf_nroles);
	wf_names_free(wf->wf_role_titles, wf->wf_nroles);
	for (i = 0; i < wf->wf_nbases; i++) {
		free(wf->wf_bases[i].wb_id);
		free(wf->wf_bases[i].wb_title);
		free(wf->wf_bases[i].wb_article);
		free(wf->wf_bases[i].wb_description);
	}
	free(wf->wf_bases);
	wf_names_free(wf->wf_share_bases, wf->wf_nshare_bases);
	wf_names_free(wf->wf_correct_roles, wf->wf_ncorrect_roles);
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

	if (name == NULL || (i = workflow_state_index(wf, name)) == -1)
		return NULL;
	return &wf->wf_states[i];
}

/* The index of a state in wf_states, or -1. */
int
workflow_state_index(const struct workflow *wf, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < wf->wf_nstates; i++)
		if (strcmp(wf->wf_states[i].ws_name, name) == 0)
			return (int)i;
	return -1;
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

const struct wf_deadline *
workflow_case_deadline(const struct workflow *wf, const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < wf->wf_ncase_deadlines; i++)
		if (strcmp(wf->wf_case_deadlines[i].wd_name, name) == 0)
			return &wf->wf_case_deadlines[i];
	return NULL;
}

/*
 * A deadline by name where only the name is known (a notification keeps
 * no state): a case deadline, or the first state's deadline so named.
 */
const struct wf_deadline *
workflow_deadline(const struct workflow *wf, const char *name)
{
	const struct wf_deadline	*wd;
	size_t				 i;

	if (name == NULL)
		return NULL;
	if ((wd = workflow_case_deadline(wf, name)) != NULL)
		return wd;
	for (i = 0; i < wf->wf_nstates; i++)
		if ((wd = wf->wf_states[i].ws_deadline) != NULL &&
		    strcmp(wd->wd_name, name) == 0)
			return wd;
	return NULL;
}

const struct wf_basis *
workflow_basis(const struct workflow *wf, const char *id)
{
	size_t	i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < wf->wf_nbases; i++)
		if (strcmp(wf->wf_bases[i].wb_id, id) == 0)
			return &wf->wf_bases[i];
	return NULL;
}

const struct wf_rung *
wf_deadline_rung(const struct wf_deadline *wd, const char *name)
{
	size_t	i;

	if (wd == NULL || name == NULL)
		return NULL;
	for (i = 0; i < wd->wd_nrungs; i++)
		if (wd->wd_rungs[i].wr_name != NULL &&
		    strcmp(wd->wd_rungs[i].wr_name, name) == 0)
			return &wd->wd_rungs[i];
	return NULL;
}

const char *
workflow_role_title(const struct workflow *wf, const char *role)
{
	size_t	i;

	if (wf == NULL || role == NULL || wf->wf_role_titles == NULL)
		return NULL;
	for (i = 0; i < wf->wf_nroles; i++)
		if (strcmp(wf->wf_roles[i], role) == 0)
			return wf->wf_role_titles[i];
	return NULL;
}

/*
 * The ledger records a deadline's own passing as the rung "due", which no
 * workflow declares (the name is refused for a rung): its title is said
 * here, beside the rungs' own.
 */
const char *
wf_rung_title(const struct wf_deadline *wd, const char *name)
{
	const struct wf_rung	*wr;

	if (name != NULL && strcmp(name, "due") == 0)
		return "de termijn verstrijkt";
	if ((wr = wf_deadline_rung(wd, name)) == NULL)
		return NULL;
	return wr->wr_title;
}

/*
 * An event that names no roles is open to every role; "admin" may send
 * every event, so that an administrator can repair a case.
 */
int
wf_event_allows(const struct wf_event *we, const char *role)
{
	size_t	i;

	if (we->we_nroles == 0)
		return 1;
	if (role == NULL)
		return 0;
	if (strcmp(role, "admin") == 0)
		return 1;
	for (i = 0; i < we->we_nroles; i++)
		if (strcmp(we->we_roles[i], role) == 0)
			return 1;
	return 0;
}

const char *
wf_action_name(enum wf_action action)
{
	if ((size_t)action >= nitems(wf_actions))
		return "unknown";
	return wf_actions[action];
}

int
workflow_action_parse(const char *s, enum wf_action *action)
{
	int	i;

	if ((i = wf_lookup(wf_actions, nitems(wf_actions), s)) == -1)
		return -1;
	*action = (enum wf_action)i;
	return 0;
}

const char *
deadline_anchor_name(enum deadline_anchor anchor)
{
	if ((size_t)anchor >= nitems(deadline_anchors))
		return "unknown";
	return deadline_anchors[anchor];
}

int
workflow_anchor_parse(const char *s, enum deadline_anchor *anchor)
{
	int	i;

	if ((i = wf_lookup(deadline_anchors, nitems(deadline_anchors),
	    s)) == -1)
		return -1;
	*anchor = (enum deadline_anchor)i;
	return 0;
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
	int	i;

	if ((i = wf_lookup(deadline_kinds, nitems(deadline_kinds), s)) == -1)
		return -1;
	*kind = (enum deadline_kind)i;
	return 0;
}

int
workflow_catch_up_parse(const char *s, enum rung_catch_up *catch_up)
{
	int	i;

	if ((i = wf_lookup(rung_catch_ups, nitems(rung_catch_ups), s)) == -1)
		return -1;
	*catch_up = (enum rung_catch_up)i;
	return 0;
}

/* The index of s in a table of names, or -1. */
static int
wf_lookup(const char *const *names, size_t n, const char *s)
{
	size_t	i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/* Frees a list of names and the names in it. */
static void
wf_names_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Frees what a deadline holds, not the deadline itself. */
static void
wf_deadline_clear(struct wf_deadline *wd)
{
	struct wf_rung	*wr;
	size_t		 i;

	free(wd->wd_name);
	free(wd->wd_title);
	free(wd->wd_then);
	for (i = 0; i < wd->wd_nrungs; i++) {
		wr = &wd->wd_rungs[i];
		free(wr->wr_name);
		free(wr->wr_title);
		free(wr->wr_notify);
		wf_names_free(wr->wr_start, wr->wr_nstart);
	}
	free(wd->wd_rungs);
}
