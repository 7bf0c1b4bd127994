/* termijn: termijnctl shows a name as people read it, by its title. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

/*
 * termijnd gives each name of a workflow its title beside it: "state" and
 * "state_title" in a case or a view's item, "name" and "title" in what the
 * name identifies.  Where a table showed a name, it shows the title, which
 * is what the people who read it call the thing; where the workflow gives
 * none (null, or a server from before titles), the name.  Where a person
 * types the name next (the case's state, the events it accepts), both are
 * shown: "Gezin meldt zelf (awaiting_self_report)".  --json prints the
 * answer as it came.
 */

static const char *title_or(const json_t *, const char *, const char *);

/* The title of o's member key ("state": "state_title"), or its value. */
const char *
ctl_title(const json_t *o, const char *key)
{
	char	tkey[64];

	snprintf(tkey, sizeof(tkey), "%s_title", key);
	return title_or(o, tkey, key);
}

/* What o is called: its "title", or its "name". */
const char *
ctl_title_of(const json_t *o)
{
	return title_or(o, "title", "name");
}

/*
 * "Title (name)" for o's member key, or with key NULL for what o is (its
 * "name" and "title"); the name alone when there is no title (or it says
 * the same).  Allocated.
 */
char *
ctl_title_named(const json_t *o, const char *key)
{
	const char	*name, *title;
	char		*s;

	name = ctl_print_value(json_object_get(o, key != NULL ? key :
	    "name"), NULL, 0);
	title = key != NULL ? ctl_title(o, key) : ctl_title_of(o);
	if (title == name || strcmp(title, name) == 0)
		return xstrdup(name);
	xasprintf(&s, "%s (%s)", title, name);
	return s;
}

/*
 * A person named by a token's name in o's member key ("assignee",
 * "actor"): termijnd sends beside it what people call the person
 * ("assignee_name"), the display name or else the name.  Tables show
 * that; where a person types the name next (case assign, case show's
 * assignee), both: "Medewerker Jeugd 1 (mw-noord-1)".
 */
const char *
ctl_person(const json_t *o, const char *key)
{
	char	nkey[64];

	snprintf(nkey, sizeof(nkey), "%s_name", key);
	return title_or(o, nkey, key);
}

/* "Display name (name)", or the name alone; allocated. */
char *
ctl_person_named(const json_t *o, const char *key)
{
	const char	*name, *display;
	char		*s;

	name = ctl_print_value(json_object_get(o, key), NULL, 0);
	display = ctl_person(o, key);
	if (display == name || strcmp(display, name) == 0)
		return xstrdup(name);
	xasprintf(&s, "%s (%s)", display, name);
	return s;
}

/*
 * The events a case's state accepts, one a line: the name to type
 * (termijnctl case event), and what it is called.
 */
void
ctl_title_accepts(FILE *fp, const json_t *c)
{
	const json_t	*acc, *v, *titles;
	const char	*title;
	char		*name, *s;
	size_t		 i, w, width = 0;

	acc = json_object_get(c, "accepts");
	if (json_array_size(acc) == 0) {
		fprintf(fp, "%s\n", json_is_true(json_object_get(c,
		    "final")) ? _("accepts no events (final state)") :
		    _("accepts no events"));
		return;
	}
	json_array_foreach(acc, i, v)
		if (json_is_string(v) &&
		    (w = ctl_table_width(json_string_value(v))) > width)
			width = w;
	titles = json_object_get(c, "event_titles");
	fprintf(fp, "%s\n", _("accepts:"));
	json_array_foreach(acc, i, v) {
		if (!json_is_string(v))
			continue;
		name = ctl_table_clean(json_string_value(v));
		title = json_string_value(json_object_get(titles, name));
		if (title == NULL || *title == '\0')
			fprintf(fp, "  %s\n", name);
		else {
			s = ctl_table_clean(title);
			fprintf(fp, "  %s%*s  %s\n", name,
			    (int)(width - ctl_table_width(name)), "", s);
			free(s);
		}
		free(name);
	}
}

/* A string member tkey that is not empty, else the member key. */
static const char *
title_or(const json_t *o, const char *tkey, const char *key)
{
	const char	*t = json_string_value(json_object_get(o, tkey));

	if (t != NULL && *t != '\0')
		return t;
	return ctl_print_value(json_object_get(o, key), NULL, 0);
}
