/* termijn: termijnctl says its own flags where the API names its fields. */

#include <stdio.h>
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
 * words, and the API's JSON itself (--json), stay as they are.  The
 * words in capitals, which stand for what is typed (NAME), are the
 * reader's; the flags are typed as they are.
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
	{ "assignee", N_("NAME") },
	{ "event", N_("EVENT") },
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
	char		*out = NULL;
	size_t		 n, len;
	FILE		*fp;

	/* A translated word may be longer than the field it stands for. */
	if ((fp = open_memstream(&out, &len)) == NULL)
		fatal("open_memstream");
	while (*p != '\0') {
		/* "give \"x\": true" is the flag alone; "\"x\"" is the flag. */
		if (*p == '"' && (p == detail || p[-1] == ' ') &&
		    (flag = flag_at(p + 1, &n)) != NULL && p[1 + n] == '"') {
			fputs(_(flag), fp);
			p += n + 2;
			if (strncmp(p, ": true", 6) == 0)
				p += 6;
			continue;
		}
		/* First in the detail: "started_at: ...", "started_at \"...\"". */
		if (p == detail && (flag = flag_at(p, &n)) != NULL &&
		    (p[n] == ':' || (p[n] == ' ' && p[n + 1] == '"'))) {
			fputs(_(flag), fp);
			p += n;
			continue;
		}
		fputc(*p++, fp);
	}
	if (fclose(fp) != 0)
		fatal("open_memstream");
	return out;
}
