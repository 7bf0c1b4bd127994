/* termijn: how termijnctl shows the API's objects to people. */

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static const char	*field(const json_t *, const char *, char *, size_t);
static char		*joined(const json_t *);
static const char	*status_title(long);
static int		 digits(const char *, size_t, int *);

/*
 * Pretty-printed, keys in the order the server sent them, UTF-8 as is:
 * what scripts and jq read.
 */
void
ctl_print_json(FILE *fp, const json_t *j)
{
	char	*s;

	if ((s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY)) == NULL)
		fatalx("cannot encode JSON");
	fprintf(fp, "%s\n", s);
	free(s);
}

/*
 * One case: a key/value block, its running deadlines, and the events its
 * state accepts, which is what a caseworker looks for next.
 */
void
ctl_print_case(FILE *fp, const json_t *c)
{
	static const struct {
		const char	*key;
		const char	*label;
	} keys[] = {
		{ "id", "id:" }, { "workflow", "workflow:" },
		{ "version", "version:" }, { "reference", "reference:" },
		{ "team", "team:" }, { "state", "state:" }, { "final", "final:" },
		{ "started_at", "started at:" },
		{ "state_since", "state since:" },
		{ "created_at", "created at:" },
		{ "updated_at", "updated at:" },
	};
	static const char *const dlhead[] = {
		"NAME", "DUE", "OVERDUE FROM", "THEN",
	};
	struct ctl_table	*t;
	const json_t		*dls, *dl, *acc;
	const char		*row[4];
	char			 buf[64], due[96], *list;
	size_t			 i;

	t = ctl_table_new(2, NULL);
	for (i = 0; i < nitems(keys); i++) {
		row[0] = keys[i].label;
		row[1] = field(c, keys[i].key, buf, sizeof(buf));
		ctl_table_add(t, row);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);

	fputc('\n', fp);
	dls = json_object_get(c, "deadlines");
	if (json_array_size(dls) == 0)
		fputs("no running deadlines\n", fp);
	else {
		t = ctl_table_new(4, dlhead);
		json_array_foreach(dls, i, dl) {
			row[0] = field(dl, "name", NULL, 0);
			snprintf(due, sizeof(due), "%s%s",
			    field(dl, "due", buf, sizeof(buf)),
			    json_is_true(json_object_get(dl, "overdue")) ?
			    " (overdue)" : "");
			row[1] = due;
			row[2] = field(dl, "overdue_from", NULL, 0);
			row[3] = field(dl, "then", NULL, 0);
			ctl_table_add(t, row);
		}
		ctl_table_print(t, fp);
		ctl_table_free(t);
	}

	fputc('\n', fp);
	acc = json_object_get(c, "accepts");
	if (json_array_size(acc) == 0)
		fprintf(fp, "accepts no events%s\n",
		    json_is_true(json_object_get(c, "final")) ?
		    " (final state)" : "");
	else {
		list = joined(acc);
		fprintf(fp, "accepts: %s\n", list);
		free(list);
	}
}

struct ctl_table *
ctl_print_cases_new(void)
{
	static const char *const head[] = {
		"ID", "WORKFLOW", "VERSION", "REFERENCE", "TEAM", "STATE",
		"NEXT DUE",
	};

	return ctl_table_new(nitems(head), head);
}

/* One row of the case list; pages are added as they arrive. */
void
ctl_print_cases_add(struct ctl_table *t, const json_t *c)
{
	const json_t	*dl;
	const char	*row[7];
	char		 id[32], version[32], buf[64], due[96];

	row[0] = field(c, "id", id, sizeof(id));
	row[1] = field(c, "workflow", NULL, 0);
	row[2] = field(c, "version", version, sizeof(version));
	row[3] = field(c, "reference", NULL, 0);
	row[4] = field(c, "team", NULL, 0);
	row[5] = field(c, "state", NULL, 0);
	if ((dl = ctl_print_next_due(json_object_get(c, "deadlines"))) == NULL)
		row[6] = "-";
	else {
		snprintf(due, sizeof(due), "%s%s",
		    field(dl, "due", buf, sizeof(buf)),
		    json_is_true(json_object_get(dl, "overdue")) ?
		    " (overdue)" : "");
		row[6] = due;
	}
	ctl_table_add(t, row);
}

/* A case's history, oldest first as the server sends it. */
void
ctl_print_transitions(FILE *fp, const json_t *list)
{
	static const char *const head[] = {
		"AT", "FROM", "TO", "CAUSE", "EVENT", "ACTOR",
	};
	struct ctl_table	*t;
	const json_t		*tr;
	const char		*row[6];
	size_t			 i;

	t = ctl_table_new(nitems(head), head);
	json_array_foreach(list, i, tr) {
		row[0] = field(tr, "at", NULL, 0);
		row[1] = field(tr, "from", NULL, 0);
		row[2] = field(tr, "to", NULL, 0);
		row[3] = field(tr, "cause", NULL, 0);
		row[4] = field(tr, "event", NULL, 0);
		row[5] = field(tr, "actor", NULL, 0);
		ctl_table_add(t, row);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);
}

/*
 * The workflows new cases get.  States are listed by name, whether the
 * server sends them as names or as objects; the title goes last because
 * it holds spaces.
 */
void
ctl_print_workflows(FILE *fp, json_t *list)
{
	static const char *const head[] = {
		"NAME", "VERSION", "START", "STATES", "TITLE",
	};
	struct ctl_table	*t;
	json_t			*wf, *states, *st;
	const char		*row[5];
	char			 version[32], *names = NULL, *tmp;
	const char		*name;
	size_t			 i, j;

	t = ctl_table_new(nitems(head), head);
	json_array_foreach(list, i, wf) {
		names = NULL;
		states = json_object_get(wf, "states");
		if (json_is_object(states)) {
			json_object_foreach(states, name, st) {
				tmp = names;
				xasprintf(&names, "%s%s%s", tmp ? tmp : "",
				    tmp ? "," : "", name);
				free(tmp);
			}
		} else {
			json_array_foreach(states, j, st) {
				if (json_is_object(st))
					st = json_object_get(st, "name");
				if ((name = json_string_value(st)) == NULL)
					continue;
				tmp = names;
				xasprintf(&names, "%s%s%s", tmp ? tmp : "",
				    tmp ? "," : "", name);
				free(tmp);
			}
		}
		row[0] = field(wf, "name", NULL, 0);
		row[1] = field(wf, "version", version, sizeof(version));
		row[2] = field(wf, "start", NULL, 0);
		row[3] = names;
		row[4] = field(wf, "title", NULL, 0);
		ctl_table_add(t, row);
		free(names);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);
}

/*
 * "termijnctl: 409 Conflict: detail" from a problem+json body; without one
 * (a proxy's HTML page, say), the status line has to do.  A refused event
 * also says which events the case does accept, so that the next attempt
 * can be the right one.
 */
void
ctl_print_problem(FILE *fp, long status, const char *reason,
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
		list = ctl_table_clean(detail);
		fprintf(fp, ": %s", list);
		free(list);
	}
	fputc('\n', fp);

	if (status != 409)
		return;
	acc = json_object_get(problem, "accepts");
	if (!json_is_array(acc))
		return;
	state = json_string_value(json_object_get(problem, "state"));
	list = joined(acc);
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

/* A scalar as text: strings as they are, numbers, yes/no, "-" for null. */
const char *
ctl_print_value(const json_t *j, char *buf, size_t len)
{
	if (j == NULL)
		return "-";
	switch (json_typeof(j)) {
	case JSON_STRING:
		return json_string_value(j);
	case JSON_INTEGER:
		if (buf == NULL)
			return "?";
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(j));
		return buf;
	case JSON_REAL:
		if (buf == NULL)
			return "?";
		snprintf(buf, len, "%g", json_real_value(j));
		return buf;
	case JSON_TRUE:
		return "yes";
	case JSON_FALSE:
		return "no";
	default:
		return "-";
	}
}

/*
 * "YYYY-MM-DD" (the start of that day, UTC, which only serves to order
 * dates among themselves) or "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)",
 * as seconds since the epoch.  Instants are compared this way, not as
 * strings, because two offsets (+01:00 in winter, +02:00 in summer) do not
 * sort as text.
 */
int
ctl_print_instant(const char *s, int64_t *out)
{
	struct tm	 tm;
	int		 y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign;
	size_t		 len = strlen(s);
	const char	*p;
	time_t		 t;

	if (len < 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	p = s + 10;
	if (*p != '\0') {
		if ((*p != 'T' && *p != ' ') || strlen(p) < 9 ||
		    !digits(p + 1, 2, &h) || p[3] != ':' ||
		    !digits(p + 4, 2, &mi) || p[6] != ':' ||
		    !digits(p + 7, 2, &sec))
			return -1;
		p += 9;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			if (!digits(p + 1, 2, &oh) || p[3] != ':' ||
			    !digits(p + 4, 2, &om))
				return -1;
			oh *= sign;
			om *= sign;
			p += 6;
		} else
			return -1;
		if (*p != '\0' || h > 23 || mi > 59 || sec > 60)
			return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t - (int64_t)oh * 3600 - (int64_t)om * 60;
	return 0;
}

/*
 * The deadline that passes first, by overdue_from (or due when that is
 * missing); NULL when none runs.
 */
const json_t *
ctl_print_next_due(const json_t *dls)
{
	const json_t	*dl, *best = NULL;
	const char	*s;
	int64_t		 at, bestat = 0;
	size_t		 i;
	int		 timed = 0;

	json_array_foreach(dls, i, dl) {
		if ((s = json_string_value(json_object_get(dl,
		    "overdue_from"))) == NULL)
			s = json_string_value(json_object_get(dl, "due"));
		if (s == NULL || ctl_print_instant(s, &at) == -1) {
			if (best == NULL)
				best = dl;	/* better than nothing */
			continue;
		}
		if (!timed || at < bestat) {
			best = dl;
			bestat = at;
			timed = 1;
		}
	}
	return best;
}

/* A member as text; numbers need buf, and without one show as "?". */
static const char *
field(const json_t *obj, const char *key, char *buf, size_t len)
{
	return ctl_print_value(json_object_get(obj, key), buf, len);
}

/* The strings of an array, comma-separated, cleaned, allocated. */
static char *
joined(const json_t *arr)
{
	const json_t	*v;
	char		*out = xstrdup(""), *tmp, *s;
	size_t		 i;

	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			continue;
		s = ctl_table_clean(json_string_value(v));
		tmp = out;
		xasprintf(&out, "%s%s%s", tmp, *tmp != '\0' ? ", " : "", s);
		free(tmp);
		free(s);
	}
	return out;
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

/* n decimal digits at s, as a number. */
static int
digits(const char *s, size_t n, int *out)
{
	size_t	i;
	int	v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}
