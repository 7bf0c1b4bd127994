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
 * (a proxy's HTML page, say), the status line has to do.  A refused event
 * also says which events the case does accept, so that the next attempt
 * can be the right one.
 */
void
ctl_problem_print(FILE *fp, long status, const char *reason,
    const json_t *problem)
{
	const char	*title, *detail, *state;
	const json_t	*acc;
	char		*list, *st;

	title = json_string_value(json_object_get(problem, "title"));
	if (title == NULL || *title == '\0')
		title = reason != NULL && *reason != '\0' ? reason :
		    status_title(status);
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
		fprintf(fp, "termijnctl: pick the case up first: termijnctl"
		    " case assign %" JSON_INTEGER_FORMAT " NAME (a token's"
		    " name), then try again\n", json_integer_value(
		    json_object_get(problem, "case")));
		return;
	}
	/* Once is enough: the detail may list them itself. */
	acc = json_object_get(problem, "accepts");
	if (!json_is_array(acc) || (detail != NULL &&
	    strstr(detail, "accepts:") != NULL))
		return;
	state = json_string_value(json_object_get(problem, "state"));
	list = ctl_print_joined(acc, ", ");
	if (state != NULL) {
		st = ctl_table_clean(state);
		fprintf(fp, "termijnctl: state %s accepts: %s\n", st,
		    *list != '\0' ? list : "no events");
		free(st);
	} else
		fprintf(fp, "termijnctl: accepted events: %s\n",
		    *list != '\0' ? list : "none");
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
		fprintf(fp, "termijnctl: basis %s: %s\n", id, article);
		free(id);
		free(article);
	}
}

/* Titles of the statuses termijnd answers with, for bodies that lack one. */
static const char *
status_title(long status)
{
	static const struct {
		long		 code;
		const char	*title;
	} titles[] = {
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 409, "Conflict" },
		{ 413, "Content Too Large" },
		{ 415, "Unsupported Media Type" },
		{ 422, "Unprocessable Content" },
		{ 429, "Too Many Requests" },
		{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	size_t	i;

	for (i = 0; i < nitems(titles); i++)
		if (titles[i].code == status)
			return titles[i].title;
	return "Error";
}
