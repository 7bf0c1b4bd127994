/* termijn: termijnctl's supervisor's commands: overdue, at risk, summary, queue, report, a team's people, assign. */

#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/name.h"
#include "termijn/util.h"

#include "ctl.h"

/*
 * The views over many cases, as tables to read at a terminal, or as the
 * API's JSON with --json.  States and deadlines are shown by their titles
 * (the names, which the filters take, are in --json).  Filters are options named as the API's query
 * parameters; a paged view (overdue, at risk, queue) gives one page, or
 * every page with --all, as case list does.  What a cell holds comes from
 * the API as it is, but for the ages and the time left, said in days and
 * hours.
 */

static struct ctl_table *overdue_table(void);
static void	 overdue_add(struct ctl_table *, const json_t *);
static void	 at_risk_heading(FILE *, size_t, const json_t *);
static struct ctl_table *at_risk_table(void);
static void	 at_risk_add(struct ctl_table *, const json_t *);
static struct ctl_table *queue_table(void);
static void	 queue_add(struct ctl_table *, const json_t *);
static const char *field(const json_t *, const char *, char *, size_t);
static const char *due_of(const json_t *, char *, size_t);
static void	 deadline_columns(const json_t *, const char **, char *, size_t);
static const char *days(const json_t *, const char *, char *, size_t);
static const char *share(const json_t *, const char *, char *, size_t);

/* The filters of a view, as a query string (allocated). */
static char *
filters(const char *const names[][2], size_t n)
{
	char	*q = xstrdup("");
	size_t	 i;

	for (i = 0; i < n; i++)
		ctl_list_query_add(&q, names[i][0], names[i][1]);
	return q;
}

/* GET /v1/overdue: most overdue first, one page or --all. */
int
ctl_views_overdue(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const filters[] = {
		"team", "workflow", "state", "kind", "assignee", NULL
	};

	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/overdue", .pg_key = "overdue",
	    /* TRANSLATORS: in "more overdue follow": deadlines overdue. */
	    .pg_what = N_("overdue"),
	    .pg_filters = filters, .pg_max = 500, .pg_table = overdue_table,
	    .pg_add = overdue_add });
}

static struct ctl_table *
overdue_table(void)
{
	static const char *const head[] = {
		N_("CASE"), N_("REFERENCE"), N_("TEAM"), N_("WORKFLOW"),
		N_("STATE"), N_("DEADLINE"), N_("DUE"), N_("OVERDUE"),
		N_("ASSIGNEE"),
	};

	return ctl_table_new(nitems(head), head);
}

/* The columns every deadline's row begins with: CASE to DEADLINE. */
static void
deadline_columns(const json_t *o, const char **row, char *id, size_t len)
{
	row[0] = field(o, "case", id, len);
	row[1] = field(o, "reference", NULL, 0);
	row[2] = field(o, "team", NULL, 0);
	row[3] = field(o, "workflow", NULL, 0);
	row[4] = ctl_title(o, "state");
	row[5] = ctl_title(o, "deadline");
}

/*
 * Overdue by "12 days (6 working)", "passed today", or in days and hours
 * for a period in hours (ctl_late_age).  The state shows where it
 * escalated to; the kind and the rest are in --json.
 */
static void
overdue_add(struct ctl_table *t, const json_t *o)
{
	const char	*row[9];
	char		 id[32], age[96], due[32];

	deadline_columns(o, row, id, sizeof(id));
	row[6] = due_of(o, due, sizeof(due));
	row[7] = ctl_late_age(o, age, sizeof(age));
	row[8] = ctl_person(o, "assignee");
	ctl_table_add(t, row);
}

/*
 * A deadline's due: its last day, or for a period in hours its moment to
 * the minute, "2026-05-18 09:00" (local time, as the server gave it).
 */
static const char *
due_of(const json_t *o, char *buf, size_t len)
{
	const char	*s = field(o, "due", NULL, 0);

	if (strlen(s) < 16 || s[10] != 'T')
		return s;
	snprintf(buf, len, "%.10s %.5s", s, s + 11);
	return buf;
}

/*
 * GET /v1/at-risk: what falls due within the period (--within, P5D by
 * default), soonest first, then what is suspended with the time it keeps:
 * two lists, paged as one (--cursor, --all), each its own table.
 */
int
ctl_views_at_risk(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const filters[] = {
		"within", "team", "workflow", "state", "kind", "assignee", NULL
	};
	static const char *const parts[] = { "at_risk", "suspended", NULL };
	static const char *const keep[] = { "within", NULL };

	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/at-risk", .pg_key = "deadlines",
	    .pg_what = N_("deadlines"), .pg_parts = parts,
	    .pg_heading = at_risk_heading, .pg_keep = keep,
	    .pg_filters = filters, .pg_max = 500, .pg_table = at_risk_table,
	    .pg_add = at_risk_add });
}

static void
at_risk_heading(FILE *fp, size_t part, const json_t *first)
{
	if (part == 0)
		fprintf(fp, _("due within %s:\n"), field(first, "within", NULL,
		    0));
	else
		fprintf(fp, "\n%s\n", _("suspended:"));
}

static struct ctl_table *
at_risk_table(void)
{
	static const char *const head[] = {
		N_("CASE"), N_("REFERENCE"), N_("TEAM"), N_("WORKFLOW"),
		N_("STATE"), N_("DEADLINE"), N_("DUE"), N_("TIME LEFT"),
		N_("ASSIGNEE"),
	};

	return ctl_table_new(nitems(head), head);
}

/* A deadline at risk with the time it has, or a suspended one. */
static void
at_risk_add(struct ctl_table *t, const json_t *o)
{
	const json_t	*since = json_object_get(o, "suspended_since");
	const char	*row[9];
	char		 id[32], left[96], span[64], due[32];

	deadline_columns(o, row, id, sizeof(id));
	ctl_print_span(json_integer_value(json_object_get(o,
	    "time_left_seconds")), span, sizeof(span));
	if (!json_is_string(since)) {
		row[6] = due_of(o, due, sizeof(due));
		snprintf(left, sizeof(left), "%s", span);
	} else {
		/* No due date while suspended: since when. */
		row[6] = "-";
		snprintf(left, sizeof(left), _("%s kept, since %.10s"), span,
		    json_string_value(since));
	}
	row[7] = left;
	row[8] = ctl_person(o, "assignee");
	ctl_table_add(t, row);
}

/* GET /v1/summary: counts per team, workflow, state and deadline kind. */
int
ctl_views_summary(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const head[] = {
		N_("TEAM"), N_("WORKFLOW"), N_("STATE"), N_("KIND"),
		N_("OVERDUE"), N_("AT RISK"), N_("SUSPENDED"), N_("RUNNING"),
	};
	static const char *const counts[] = {
		"overdue", "at_risk", "suspended", "running",
	};
	const char	*within = NULL, *team = NULL, *workflow = NULL;
	const char	*state = NULL, *kind = NULL;
	const struct ctl_opt opts[] = {
		{ "within", &within, NULL, NULL },
		{ "team", &team, NULL, NULL },
		{ "workflow", &workflow, NULL, NULL },
		{ "state", &state, NULL, NULL },
		{ "kind", &kind, NULL, NULL },
	};
	struct ctl_table *t;
	const json_t	*o;
	const char	*row[8];
	char		**pos, *q, *path, num[4][32];
	json_t		*reply = NULL;
	size_t		 i, j;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) ==
	    -1)
		return ret;
	q = filters((const char *const [][2]){ { "within", within },
	    { "team", team }, { "workflow", workflow }, { "state", state },
	    { "kind", kind } }, 5);
	if (ctl->c_csv) {
		ret = ctl_csv_pages(ctl, "/v1/summary", q, NULL, 0);
		free(q);
		return ret;
	}
	xasprintf(&path, "/v1/summary%s%s", *q ? "?" : "", q);
	ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply);
	free(path);
	free(q);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		t = ctl_table_new(nitems(head), head);
		json_array_foreach(json_object_get(reply, "summary"), i, o) {
			row[0] = field(o, "team", NULL, 0);
			row[1] = field(o, "workflow", NULL, 0);
			row[2] = ctl_title(o, "state");
			row[3] = field(o, "kind", NULL, 0);
			for (j = 0; j < nitems(counts); j++)
				row[4 + j] = field(o, counts[j], num[j],
				    sizeof(num[j]));
			ctl_table_add(t, row);
		}
		ctl_table_print(t, stdout);
		printf(_("at risk: due within %s\n"), field(reply, "within",
		    NULL, 0));
		ctl_table_free(t);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* GET /v1/queue: what nobody picked up first, then the longest waiting. */
int
ctl_views_queue(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const filters[] = {
		"team", "workflow", "state", NULL
	};

	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/queue", .pg_key = "queue",
	    /* TRANSLATORS: in "more queue follow": cases in work queues. */
	    .pg_what = N_("queue"), .pg_filters = filters,
	    .pg_max = 500, .pg_table = queue_table, .pg_add = queue_add });
}

static struct ctl_table *
queue_table(void)
{
	static const char *const head[] = {
		N_("CASE"), N_("REFERENCE"), N_("TEAM"), N_("WORKFLOW"),
		N_("STATE"), N_("WAITING SINCE"), N_("ASSIGNEE"),
	};

	return ctl_table_new(nitems(head), head);
}

static void
queue_add(struct ctl_table *t, const json_t *o)
{
	const json_t	*un = json_object_get(o, "unrouted");
	const char	*row[7];
	char		 id[32], state[160];

	row[0] = field(o, "case", id, sizeof(id));
	row[1] = field(o, "reference", NULL, 0);
	row[2] = field(o, "team", NULL, 0);
	row[3] = field(o, "workflow", NULL, 0);
	row[4] = ctl_title(o, "state");
	/* A case nobody else was brought into says so where it waits. */
	if (json_array_size(un) > 0) {
		snprintf(state, sizeof(state), _("%s (no team for %s)"), row[4],
		    json_string_value(json_array_get(un, 0)));
		row[4] = state;
	}
	row[5] = field(o, json_object_get(o, "since") ? "since" :
	    "state_since", NULL, 0);
	row[6] = ctl_person(o, "assignee");
	ctl_table_add(t, row);
}

/* GET /v1/report: management information for a period [from, to). */
int
ctl_views_report(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const head[] = {
		"KEY", N_("DEADLINES"), N_("MET"), N_("MISSED"),
		N_("DELAY MEDIAN"), N_("DELAY P90"), N_("SUSPENDED"),
		N_("EXTENDED"), N_("CLOSED"), N_("THROUGHPUT MEDIAN"),
		N_("MET SHARE"), N_("STATUTORY MET"),
	};
	/* The first column, named after the grouping. */
	static const struct {
		const char	*by;
		const char	*head;
	} keys[] = {
		{ "team", N_("TEAM") }, { "workflow", N_("WORKFLOW") },
		{ "kind", N_("KIND") }, { "month", N_("MONTH") },
	};
	const char	*from = NULL, *to = NULL, *by = NULL, *team = NULL;
	const struct ctl_opt opts[] = {
		{ "from", &from, NULL, NULL },
		{ "to", &to, NULL, NULL },
		{ "by", &by, NULL, NULL },
		{ "team", &team, NULL, NULL },
	};
	const char	*heads[nitems(head)], *row[nitems(head)];
	struct ctl_table *t;
	struct cal_date	 cd;
	const json_t	*o;
	char		**pos, *q, *path, *key, num[6][32], d[5][32];
	json_t		*reply = NULL;
	size_t		 i;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) ==
	    -1)
		return ret;
	if (from == NULL || to == NULL)
		return ctl_usage_error(cmd, _("--from and --to are required"));
	if (cal_date_parse(from, &cd) == -1 || cal_date_parse(to, &cd) == -1)
		return ctl_usage_error(cmd, _("--from and --to are dates"
		    " YYYY-MM-DD that exist"));
	if (by != NULL && strcmp(by, "team") != 0 &&
	    strcmp(by, "workflow") != 0 && strcmp(by, "kind") != 0 &&
	    strcmp(by, "month") != 0)
		return ctl_usage_error(cmd, _("--by: team, workflow, kind or"
		    " month"));
	q = filters((const char *const [][2]){ { "from", from }, { "to", to },
	    { "by", by }, { "team", team } }, 4);
	if (ctl->c_csv) {
		ret = ctl_csv_pages(ctl, "/v1/report", q, NULL, 0);
		free(q);
		return ret;
	}
	xasprintf(&path, "/v1/report?%s", q);
	ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply);
	free(path);
	free(q);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json) {
		ctl_print_json(stdout, reply);
		json_decref(reply);
		return CTL_EXIT_OK;
	}
	/*
	 * The first column is named after the grouping: TEAM, MONTH, ...;
	 * one this termijnctl does not know, by the word in capitals.
	 */
	memcpy(heads, head, sizeof(heads));
	key = xstrdup(field(reply, "by", NULL, 0));
	for (i = 0; i < nitems(keys); i++)
		if (strcmp(key, keys[i].by) == 0)
			break;
	if (i < nitems(keys)) {
		free(key);
		key = xstrdup(keys[i].head);
	} else
		for (i = 0; key[i] != '\0'; i++)
			key[i] = (char)(key[i] >= 'a' && key[i] <= 'z' ?
			    key[i] - 32 : key[i]);
	heads[0] = key;
	t = ctl_table_new(nitems(head), heads);
	json_array_foreach(json_object_get(reply, "rows"), i, o) {
		row[0] = field(o, "key", NULL, 0);
		row[1] = field(o, "deadlines", num[0], sizeof(num[0]));
		row[2] = field(o, "met", num[1], sizeof(num[1]));
		row[3] = field(o, "missed", num[2], sizeof(num[2]));
		row[4] = days(o, "delay_median_days", d[0], sizeof(d[0]));
		row[5] = days(o, "delay_p90_days", d[1], sizeof(d[1]));
		row[6] = field(o, "suspended", num[3], sizeof(num[3]));
		row[7] = field(o, "extended", num[4], sizeof(num[4]));
		row[8] = field(o, "closed", num[5], sizeof(num[5]));
		row[9] = days(o, "throughput_median_days", d[2], sizeof(d[2]));
		row[10] = share(o, "met_share", d[3], sizeof(d[3]));
		row[11] = share(o, "statutory_met_share", d[4], sizeof(d[4]));
		ctl_table_add(t, row);
	}
	printf(_("deadlines due from %s up to %s, by %s\n"), field(reply,
	    "from", NULL, 0), field(reply, "to", NULL, 0), field(reply, "by",
	    NULL, 0));
	if (ctl_table_rows(t) == 0)
		printf("%s\n", _("none"));
	else
		ctl_table_print(t, stdout);
	ctl_table_free(t);
	/* What late decisions cost: said only where there were any. */
	o = json_object_get(reply, "totals");
	if (json_integer_value(json_object_get(o, "penalties")) > 0)
		printf(_("penalties for late decisions: %lld, EUR %s so far\n"),
		    (long long)json_integer_value(json_object_get(o,
		    "penalties")), json_string_value(json_object_get(o,
		    "penalty_amount")));
	free(key);
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * GET /v1/teams/TEAM/people: who works in a team, by name (the token's
 * name where no display name is set), and the name of each one's token,
 * which case assign takes.  For the team's own people and an admin.
 */
int
ctl_views_people(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const head[] = {
		N_("NAME"), N_("TOKEN"), N_("ROLE"),
	};
	struct ctl_table *t;
	const json_t	*o;
	const char	*row[nitems(head)];
	char		**pos, *e, *path;
	json_t		*reply = NULL;
	size_t		 i;
	int		 ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 1, &pos, &ret) == -1)
		return ret;
	if (!name_valid(pos[0]))
		return ctl_usage_name(cmd, _("TEAM"));
	e = ctl_api_escape(pos[0]);
	xasprintf(&path, "/v1/teams/%s/people", e);
	free(e);
	if (ctl->c_csv)
		ret = ctl_csv_pages(ctl, path, "", NULL, 0);
	else
		ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply);
	free(path);
	if (ret != CTL_EXIT_OK || ctl->c_csv)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		t = ctl_table_new(nitems(head), head);
		json_array_foreach(json_object_get(reply, "people"), i, o) {
			row[0] = json_is_string(json_object_get(o,
			    "display_name")) ? field(o, "display_name", NULL,
			    0) : field(o, "name", NULL, 0);
			row[1] = field(o, "name", NULL, 0);
			row[2] = field(o, "role", NULL, 0);
			ctl_table_add(t, row);
		}
		if (json_array_size(json_object_get(reply, "people")) == 0)
			printf(_("nobody works in team %s\n"), pos[0]);
		else
			ctl_table_print(t, stdout);
		ctl_table_free(t);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * POST /v1/cases/ID/assign: a person (a token's name) picks the case up,
 * or with --none nobody has it any more.  Prints the case.
 */
int
ctl_views_assign(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*note = NULL;
	int		 none = 0, i, npos = 2;
	const struct ctl_opt opts[] = {
		{ "none", NULL, &none, NULL },
		{ "note", &note, NULL, NULL },
	};
	char		**pos, path[64];
	json_t		*body, *reply = NULL;
	int64_t		 id = 0;
	int		 ret;

	/* ID NAME, or ID --none: the flag decides how many words follow. */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--none") == 0)
			npos = 1;
	if (ctl_args(cmd, argc, argv, opts, nitems(opts), npos, &pos, &ret) ==
	    -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK ||
	    (ret = ctl_api_text(cmd, "--note", note, NOTE_MAX)) !=
	    CTL_EXIT_OK)
		return ret;
	body = json_pack("{s:o}", "assignee", none ? json_null() :
	    json_string(pos[1]));
	if (body == NULL || (note != NULL && json_object_set_new(body, "note",
	    json_string(note)) == -1)) {
		json_decref(body);
		return ctl_usage_error(cmd, _("NAME must be UTF-8 text"));
	}
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/assign", id);
	ret = ctl_call(ctl, "POST", path, body, NULL, 1, &reply);
	json_decref(body);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		ctl_print_case(stdout, reply, NULL, ctl_print_width(stdout));
	json_decref(reply);
	return CTL_EXIT_OK;
}

static const char *
field(const json_t *o, const char *key, char *buf, size_t len)
{
	return ctl_print_value(json_object_get(o, key), buf, len);
}

/* A number of days from the report, "4.5 days"; "-" when there is none. */
static const char *
days(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t	*v = json_object_get(o, key);

	if (!json_is_number(v))
		return "-";
	snprintf(buf, len, _("%.2f days"), json_number_value(v));
	return buf;
}

/* A share as a percentage, "60%"; "-" when there is none. */
static const char *
share(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t	*v = json_object_get(o, key);

	if (!json_is_number(v))
		return "-";
	snprintf(buf, len, "%.0f%%", json_number_value(v) * 100);
	return buf;
}
