/* termijn: termijnctl explains a refusal of termijnd's. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static void		 print_bases(FILE *, const json_t *);
static const char	*status_title(long);

/*
 * "termijnctl: 409 Conflict: detail" from a problem+json body; without one
 * (a proxy's HTML page, say), the status line has to do: in English its
 * reason phrase, else the title termijnctl knows for the status in the
 * reader's language.  A refused event also says which events the case
 * does accept, so that the next attempt can be the right one.
 */
void
ctl_problem_print(FILE *fp, long status, const char *reason,
    const json_t *problem)
{
	const char	*title, *detail, *state, *known;
	const json_t	*acc;
	char		*list, *st;

	title = json_string_value(json_object_get(problem, "title"));
	known = status_title(status);
	if (title == NULL || *title == '\0') {
		if (reason != NULL && *reason != '\0' &&
		    (i18n_is_source() || known == NULL))
			title = reason;
		else
			title = known != NULL ? _(known) : _("Error");
	}
	detail = json_string_value(json_object_get(problem, "detail"));

	list = ctl_table_clean(title);
	fprintf(fp, "termijnctl: %ld %s", status, list);
	free(list);
	if (detail != NULL && *detail != '\0') {
		st = ctl_flag_words(detail);
		list = ctl_table_clean(st);
		free(st);
		fprintf(fp, ": %s", list);
		free(list);
	}
	fputc('\n', fp);

	if (status == 422) {
		print_bases(fp, json_object_get(problem, "bases"));
		return;
	}
	if (status != 409)
		return;
	/* The state takes the event once someone has picked the case up. */
	if (json_is_string(json_object_get(problem, "assign"))) {
		fputs("termijnctl: ", fp);
		fprintf(fp, _("pick the case up first: termijnctl case assign"
		    " %lld NAME (a token's name), then try again\n"),
		    (long long)json_integer_value(json_object_get(problem,
		    "case")));
		return;
	}
	/*
	 * Once is enough: the detail may list them itself, in English after
	 * "accepts:", in any language as the list it is.
	 */
	acc = json_object_get(problem, "accepts");
	if (!json_is_array(acc))
		return;
	list = ctl_print_joined(acc, ", ");
	if (detail != NULL && (strstr(detail, "accepts:") != NULL ||
	    (*list != '\0' && strstr(detail, list) != NULL))) {
		free(list);
		return;
	}
	state = json_string_value(json_object_get(problem, "state"));
	fputs("termijnctl: ", fp);
	if (state != NULL) {
		st = ctl_table_clean(state);
		fprintf(fp, _("state %s accepts: %s\n"), st,
		    *list != '\0' ? list : _("no events"));
		free(st);
	} else
		fprintf(fp, _("accepted events: %s\n"),
		    *list != '\0' ? list : _("none"));
	free(list);
}

/*
 * The legal bases a refused sharing step may use, one a line with the
 * article it rests on, so that the next attempt can name one.
 */
static void
print_bases(FILE *fp, const json_t *bases)
{
	const json_t	*b;
	char		*id, *article;
	size_t		 i;

	json_array_foreach(bases, i, b) {
		id = ctl_table_clean(ctl_print_value(json_object_get(b, "id"),
		    NULL, 0));
		article = ctl_table_clean(ctl_print_value(json_object_get(b,
		    "article"), NULL, 0));
		fputs("termijnctl: ", fp);
		fprintf(fp, _("basis %s: %s\n"), id, article);
		free(id);
		free(article);
	}
}

/*
 * Titles of the statuses termijnd answers with, for bodies that lack one;
 * NULL for another status.
 */
static const char *
status_title(long status)
{
	static const struct {
		long		 code;
		const char	*title;
	} titles[] = {
		{ 400, N_("Bad Request") }, { 401, N_("Unauthorized") },
		{ 403, N_("Forbidden") }, { 404, N_("Not Found") },
		{ 405, N_("Method Not Allowed") }, { 409, N_("Conflict") },
		{ 413, N_("Content Too Large") },
		{ 415, N_("Unsupported Media Type") },
		{ 422, N_("Unprocessable Content") },
		{ 429, N_("Too Many Requests") },
		{ 500, N_("Internal Server Error") },
		{ 502, N_("Bad Gateway") },
		{ 503, N_("Service Unavailable") },
		{ 504, N_("Gateway Timeout") },
	};
	size_t	i;

	for (i = 0; i < nitems(titles); i++)
		if (titles[i].code == status)
			return titles[i].title;
	return NULL;
}
