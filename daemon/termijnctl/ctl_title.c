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
 * "Title (name)" for o's member key, or the name alone when there is no
 * title (or it says the same).  Allocated.
 */
char *
ctl_title_named(const json_t *o, const char *key)
{
	const char	*name, *title;
	char		*s;

	name = ctl_print_value(json_object_get(o, key), NULL, 0);
	title = ctl_title(o, key);
	if (title == name || strcmp(title, name) == 0)
		return xstrdup(name);
	xasprintf(&s, "%s (%s)", title, name);
	return s;
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
