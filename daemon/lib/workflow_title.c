/* termijn: the titles people read for a workflow's names, and the roles that carry them. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/role.h"
#include "termijn/utf8.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

/*
 * Names (states, events, deadlines, rungs, roles, bases) are identifiers:
 * English, stable, what the systems that call termijn and the people who
 * type a command use.  A title is how a person reads the same name, in
 * Dutch: "Gezin meldt zelf" for awaiting_self_report.  Every name may have
 * one; a rung that has none is given one made from when it fires ("1 week
 * vooraf"), since its name (before_P1W) reads as a code.
 * A title is one line of text, shown in a table cell, a calendar's
 * summary and a terminal: not empty, at most WF_TITLE_MAX characters, no
 * control characters.  A version the database keeps loaded when it was
 * stored, and running cases depend on it, so there a title that breaks
 * these rules is kept as it is (wp_stored).
 */

/* A role of the top-level 'roles' in its long form. */
enum {
	KO_NAME,
	KO_TITLE,
};
static const struct wf_key wf_role_keys[] = {
	[KO_NAME] =	{ "name", WT_NAME, 1, "role", 0, 0, NULL },
	[KO_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
};

static const char *title_problem(const char *, char *, size_t);
static void	nl_period(const struct period *, enum period_rule, char *,
		    size_t);
static void	nl_every(const struct period *, char *, size_t);

/*
 * The title v of what (a phrase: "state 'x'", "the workflow"), checked,
 * into *titlep.  A title with a problem is kept too, so that a message
 * about another key does not come with "no title" as well.
 */
void
wp_title(struct wf_parse *wp, const struct ynode *v, const char *what,
    char **titlep)
{
	const char	*why;
	char		 buf[64];

	free(*titlep);
	*titlep = xstrdup(v->yn_value);
	if ((why = title_problem(v->yn_value, buf, sizeof(buf))) != NULL &&
	    !wp->wp_stored)
		wp_error(wp, v, "'title' of %s %s", what, why);
}

/*
 * The top-level 'roles': each a role name, or a mapping with the name and
 * the title people read for it ({ name: youth_worker, title:
 * jeugdhulpverlener }); the two forms mix.  A role is one termijn knows
 * (tokens carry it), listed once.
 */
void
wp_roles(struct wf_parse *wp, const struct ynode *list)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_field		 f[nitems(wf_role_keys)];
	const struct ynode	*r, *name;
	char			 d[WF_DESCRIBE_LEN], what[QUOTE_LEN + 16];
	size_t			 i, j, n = 0;

	if (list->yn_nkids == 0)
		return;
	wf->wf_roles = xcalloc(list->yn_nkids, sizeof(*wf->wf_roles));
	wf->wf_role_titles = xcalloc(list->yn_nkids,
	    sizeof(*wf->wf_role_titles));
	for (i = 0; i < list->yn_nkids; i++) {
		r = list->yn_kids[i];
		memset(f, 0, sizeof(f));
		if (r->yn_type == YN_REFUSED)
			continue;
		if (r->yn_type == YN_MAPPING) {
			wp_fields(wp, r, r, wf_role_keys, nitems(wf_role_keys),
			    "in a role of 'roles'", f);
			if ((name = f[KO_NAME].fv_val) == NULL)
				continue;	/* it has had its message */
		} else if (r->yn_type != YN_SCALAR || wf_is_null(r)) {
			wp_error(wp, r, "a role must be a name, or a mapping "
			    "with 'name' and 'title', not %s",
			    wf_describe(r, d));
			continue;
		} else if (!wf_name_valid(r)) {
			wp_bad_name(wp, r, "role name");
			continue;
		} else
			name = r;
		if (!role_valid(name->yn_value)) {
			wp_error(wp, name, "unknown role '%s'", name->yn_value);
			continue;
		}
		for (j = 0; j < n; j++)
			if (strcmp(wf->wf_roles[j], name->yn_value) == 0)
				break;
		if (j < n) {
			wp_error(wp, name, "role '%s' is listed twice",
			    name->yn_value);
			continue;
		}
		wf->wf_roles[n] = xstrdup(name->yn_value);
		if (f[KO_TITLE].fv_val != NULL) {
			snprintf(what, sizeof(what), "role '%s'",
			    name->yn_value);
			wp_title(wp, f[KO_TITLE].fv_val, what,
			    &wf->wf_role_titles[n]);
		}
		n++;
	}
	wf->wf_nroles = n;
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

/* A role an event allows: as wp_role. */
int
wp_event_role(struct wf_parse *wp, const struct ynode *r, const char *what)
{
	(void)what;
	return wp_role(wp, r);
}

/*
 * A rung's title when the workflow gives none, in Dutch, from when it
 * fires: "1 week vooraf", "bij het verstrijken", "2 werkdagen erna", and
 * for a repeating one ", daarna elke week, ten hoogste 20 keer".  Before
 * and after the deadline's passing (00:00 after its last day), as the
 * rung counts: a reminder a week before fires six days before the last
 * day, so "a week before the last day" would tell people a day too early.
 * Short, since it is read in a ladder's column beside the deadline it
 * belongs to.  Allocated.
 */
char *
wp_rung_title(const struct wf_rung *wr)
{
	char	 off[48], every[48], *s, *t;

	nl_period(&wr->wr_offset.ps_period, wr->wr_offset.ps_rule, off,
	    sizeof(off));
	switch (wr->wr_when) {
	case RW_BEFORE:
		xasprintf(&s, "%s vooraf", off);
		break;
	case RW_AFTER:
		xasprintf(&s, "%s erna", off);
		break;
	case RW_AT:
	default:
		s = xstrdup("bij het verstrijken");
		break;
	}
	if (wr->wr_every.p_count == 0)
		return s;
	nl_every(&wr->wr_every, every, sizeof(every));
	xasprintf(&t, "%s, daarna %s, ten hoogste %d keer", s, every,
	    wr->wr_max);
	free(s);
	return t;
}

/*
 * What is wrong with a title, as the end of a message, or NULL.  buf
 * holds a code point's name for the message.
 */
static const char *
title_problem(const char *s, char *buf, size_t len)
{
	const char	*p;
	uint32_t	 cp;
	size_t		 n, chars = 0;
	int		 blank = 1;

	for (p = s; *p != '\0'; p += n) {
		if ((n = utf8_decode(p, &cp)) == 0)
			return "must be UTF-8 text";
		if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
			return "must be one line (a folded '>-' block is one "
			    "line; '|' is not)";
		/*
		 * C0 (tabs too), DEL, C1 and the marks that reorder text on
		 * the screen: a title is shown in terminals and tables.
		 */
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			snprintf(buf, len, "must not hold control characters "
			    "(U+%04X)", (unsigned)cp);
			return buf;
		}
		if (cp != ' ')
			blank = 0;
		chars++;
	}
	if (blank)
		return "must not be empty";
	if (chars > WF_TITLE_MAX) {
		snprintf(buf, len, "is %zu characters long; at most %d",
		    chars, WF_TITLE_MAX);
		return buf;
	}
	return NULL;
}

/* "1 week", "2 werkdagen", "48 uur": an offset as a person says it. */
static void
nl_period(const struct period *p, enum period_rule rule, char *buf,
    size_t len)
{
	static const char *const units[][2] = {
		[PU_HOURS] =	{ "uur", "uur" },
		[PU_DAYS] =	{ "dag", "dagen" },
		[PU_WEEKS] =	{ "week", "weken" },
		[PU_MONTHS] =	{ "maand", "maanden" },
		[PU_YEARS] =	{ "jaar", "jaar" },
	};
	int	many = p->p_count != 1;

	if (p->p_unit == PU_DAYS && rule == PR_WORKING_DAYS)
		snprintf(buf, len, "%d %s", p->p_count, many ? "werkdagen" :
		    "werkdag");
	else if ((size_t)p->p_unit < nitems(units))
		snprintf(buf, len, "%d %s", p->p_count, units[p->p_unit][many]);
	else
		snprintf(buf, len, "%d", p->p_count);
}

/* "elke week", "elk uur", "elke 2 weken": the interval of a repeat. */
static void
nl_every(const struct period *p, char *buf, size_t len)
{
	static const char *const ones[] = {
		[PU_HOURS] =	"elk uur",
		[PU_DAYS] =	"elke dag",
		[PU_WEEKS] =	"elke week",
		[PU_MONTHS] =	"elke maand",
		[PU_YEARS] =	"elk jaar",
	};
	char	n[32];

	if (p->p_count == 1 && (size_t)p->p_unit < nitems(ones)) {
		snprintf(buf, len, "%s", ones[p->p_unit]);
		return;
	}
	nl_period(p, PR_PLAIN, n, sizeof(n));
	snprintf(buf, len, "elke %s", n);
}
