/* termijn: termijnctl says its own flags where the API names its fields. */

#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

#include "ctl.h"

/*
 * termijnd's refusals name the members of the JSON it was sent
 * ("started_at: no such date", "give \"duplicate\": true"); a person at the
 * command line typed flags.  So the refusal is printed with the flag that
 * sets each member, where the detail names one as a field: quoted, after
 * "give" or "field", or first, before a colon or a quoted value.  Other
 * words, and the API's JSON itself (--json), stay as they are.
 */
static const struct {
	const char	*field;
	const char	*flag;
} flags[] = {
	{ "started_at", "--started-at" },
	{ "duplicate", "--duplicate" },
	{ "reference", "--reference" },
	{ "workflow", "--workflow" },
	{ "team", "--team" },
	{ "note", "--note" },
	{ "basis", "--basis" },
	{ "date", "--date" },
	{ "purpose", "--purpose" },
	{ "reason", "--reason" },
	{ "expires", "--expires" },
	{ "role", "--role" },
	{ "name", "--name" },
	{ "title", "--title" },
	{ "organisation", "--organisation" },
	{ "for_team", "--for" },
	{ "for_organisation", "--for-organisation" },
	{ "assignee", "NAME" },
	{ "event", "EVENT" },
};

/* The flag of a field that begins at s and ends before a quote or colon. */
static const char *
flag_at(const char *s, size_t *len)
{
	size_t	i, n;

	for (i = 0; i < nitems(flags); i++) {
		n = strlen(flags[i].field);
		if (strncmp(s, flags[i].field, n) == 0 &&
		    (s[n] == '"' || s[n] == ':' || s[n] == ' ')) {
			*len = n;
			return flags[i].flag;
		}
	}
	return NULL;
}

char *
ctl_flag_words(const char *detail)
{
	const char	*p = detail, *flag;
	char		*out, *o;
	size_t		 n, cap;

	/* A flag is never more than twice as long as its field, plus quotes. */
	cap = strlen(detail) * 2 + 1;
	o = out = xmalloc(cap);
	while (*p != '\0') {
		/* "give \"x\": true" is the flag alone; "\"x\"" is the flag. */
		if (*p == '"' && (p == detail || p[-1] == ' ') &&
		    (flag = flag_at(p + 1, &n)) != NULL && p[1 + n] == '"') {
			o = stpcpy(o, flag);
			p += n + 2;
			if (strncmp(p, ": true", 6) == 0)
				p += 6;
			continue;
		}
		/* First in the detail: "started_at: ...", "started_at \"...\"". */
		if (p == detail && (flag = flag_at(p, &n)) != NULL &&
		    (p[n] == ':' || (p[n] == ' ' && p[n + 1] == '"'))) {
			o = stpcpy(o, flag);
			p += n;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}
