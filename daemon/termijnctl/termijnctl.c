/* termijn: termijnctl, the command-line client of termijnd. */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "termijn/backup.h"
#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/limits.h"
#include "termijn/name.h"
#include "termijn/paths.h"
#include "termijn/period.h"
#include "termijn/util.h"
#include "termijn/view.h"

#include "ctl.h"

#ifndef TERMIJN_VERSION
#define TERMIJN_VERSION "unknown"
#endif

#define CTL_DEFAULT_TIMEOUT	30	/* seconds */
#define CTL_MAX_TIMEOUT		3600

static int	cmd_case_create(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_show(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_list(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_event(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_transitions(struct ctl *, const struct ctl_cmd *,
		    int, char **);
static int	cmd_case_share(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_unshare(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_correct(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_coordinate(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_access(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_case_export(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_workflows(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_notifications(struct ctl *, const struct ctl_cmd *, int,
		    char **);
static int	cmd_notifications_retry(struct ctl *, const struct ctl_cmd *,
		    int, char **);
static int	cmd_health(struct ctl *, const struct ctl_cmd *, int, char **);
static int	cmd_check(struct ctl *, const struct ctl_cmd *, int, char **);
static int	cmd_due(struct ctl *, const struct ctl_cmd *, int, char **);
static int	cmd_backup(struct ctl *, const struct ctl_cmd *, int, char **);
static void	ctl_backup_check_cb(const char *, void *);
static void	ctl_backup_removed_cb(const char *, const char *, const char *,
		    void *);

static const char *optname(const char *, char *, size_t);
static int	print_case_reply(struct ctl *, int, json_t *);
static int	fetch_history(struct ctl *, int64_t, json_t **);
static int	read_note(const struct ctl_cmd *, const char *, char *,
		    size_t);
static int	api(struct ctl *, int, struct ctl_api **);
static int	body_text(json_t *, const char *, const char *);
static int	case_team_post(struct ctl *, const struct ctl_cmd *,
		    const char *, const char *, const char *,
		    const struct ctl_opt *, size_t);
static int	team_arg(const struct ctl_cmd *, const char *);
static void	json_item(const json_t *, size_t);

/* Synopses and help are translated where they are printed (ctl_usage.c). */
const struct ctl_cmd ctl_commands[] = {
	{ "case", "create", N_("--workflow W --reference R --team T "
	    "[--started-at TIME] [--duplicate] [--idempotency-key K]"),
	    N_("register a case; --duplicate when another open case for the "
	    "same reference is meant"), cmd_case_create, 0 },
	{ "case", "show", N_("ID"),
	    N_("show a case: its deadlines and why they fall there, their "
	    "ladders,\nnotifications, its history with the notes, the events "
	    "it accepts"), cmd_case_show, 0 },
	{ "case", "list", N_("[--state S] [--workflow W] [--team T] [--limit "
	    "N] [--cursor C] [--all]"),
	    N_("list cases in id order"), cmd_case_list, 1 },
	{ "case", "event", N_("ID EVENT [--note-file FILE | --note - | --note "
	    "TEXT] [--date DATE|TIMESTAMP] [--basis B] [--idempotency-key K]"),
	    N_("record an event on a case; --date is the date it happened, "
	    "--basis the legal basis\nof an event that shares.  The note (the "
	    "reason) is read from FILE, or from stdin\nwith --note -: use "
	    "these, since --note TEXT shows the note in the process list\nand "
	    "the shell's history"), cmd_case_event, 0 },
	{ "case", "transitions", N_("ID"),
	    N_("show a case's history, each note under its transition"),
	    cmd_case_transitions, 0 },
	{ "case", "correct", N_("ID --reason TEXT"),
	    N_("undo a case's last event or deadline passing, as a transition "
	    "of its own (a supervisor, or a role the workflow names)"),
	    cmd_case_correct, 0 },
	{ "case", "share", N_("ID --team T --basis B [--purpose TEXT]"),
	    N_("let another team take part in a case, on a legal basis the "
	    "workflow allows"), cmd_case_share, 0 },
	{ "case", "unshare", N_("ID --team T"),
	    N_("end a team's part in a case"), cmd_case_unshare, 0 },
	{ "case", "coordinate", N_("ID --team T [--note TEXT]"),
	    N_("hand a case's coordination to its own team or a team that "
	    "takes part"), cmd_case_coordinate, 0 },
	{ "case", "access", N_("ID [--limit N] [--cursor C] [--all]"),
	    N_("who read a case (a supervisor of its team)"),
	    cmd_case_access, 0 },
	{ "case", "export", N_("ID"),
	    N_("all termijn holds about a case, as JSON, for a request for "
	    "access (a supervisor of its team)"), cmd_case_export, 0 },
	{ "case", "assign", N_("ID NAME|--none [--note TEXT]"),
	    N_("a person (a token's name) picks a case up; --none lets it go"),
	    ctl_views_assign, 0 },
	{ "overdue", NULL, N_("[--team T] [--workflow W] [--state S] [--kind "
	    "K] [--assignee A] [--limit N] [--cursor C] [--all]"),
	    N_("deadlines that passed and what still waits on them, most "
	    "overdue first"), ctl_views_overdue, 1 },
	{ "at-risk", NULL, N_("[--within PERIOD] [--team T] [--workflow W] "
	    "[--state S] [--kind K] [--assignee A] [--limit N] [--cursor C] "
	    "[--all]"),
	    N_("deadlines due within a period (P5D), and the suspended ones"),
	    ctl_views_at_risk, 1 },
	{ "summary", NULL, N_("[--within PERIOD] [--team T] [--workflow W] "
	    "[--state S] [--kind K]"),
	    N_("counts per team, workflow, state and kind: overdue, at risk, "
	    "suspended, running"), ctl_views_summary, 1 },
	{ "queue", NULL, N_("[--team T] [--workflow W] [--state S] [--limit N] "
	    "[--cursor C] [--all]"),
	    N_("cases waiting in work queues, nobody's first, then the longest "
	    "waiting"), ctl_views_queue, 1 },
	{ "report", NULL, N_("--from DATE --to DATE [--by "
	    "team|workflow|kind|month] [--team T]"),
	    N_("management information: deadlines met and missed, delays, "
	    "throughput"), ctl_views_report, 1 },
	{ "workflows", NULL, "",
	    N_("list the workflows new cases get"), cmd_workflows, 0 },
	{ "health", NULL, "",
	    N_("ask whether termijnd is up"), cmd_health, 0 },
	{ "notifications", "retry", N_("ID"),
	    N_("send a dead notification again (admin)"),
	    cmd_notifications_retry, 0 },
	{ "notifications", NULL, N_("[--status pending|delivered|dead] "
	    "[--limit N] [--cursor C] [--all]"),
	    N_("list the webhooks' notifications, newest first (admin)"),
	    cmd_notifications, 0 },
	{ "token", "create", N_("--name NAME --role ROLE --team T ... "
	    "[--display-name TEXT] [--expires DATE|PERIOD|never] [--db PATH]"),
	    N_("make an API token, for the person --display-name names "
	    "(offline with --db)"), ctl_admin_token_create, 0 },
	{ "token", "list", N_("[--db PATH]"),
	    N_("list the tokens, never their secrets (offline with --db)"),
	    ctl_admin_list, 0 },
	{ "token", "rename", N_("NAME --display-name TEXT|--none [--db PATH]"),
	    N_("give a token's person the name people read (assignments, "
	    "history),\nor with --none none (offline with --db)"),
	    ctl_admin_token_rename, 0 },
	{ "token", "revoke", N_("NAME [--db PATH]"),
	    N_("revoke a token, from its very next request (offline with "
	    "--db)"),
	    ctl_admin_token_revoke, 0 },
	{ "team", "add",
	    N_("NAME --title TITLE [--organisation O] [--db PATH]"),
	    N_("make a team known (offline with --db)"),
	    ctl_admin_team_add, 0 },
	{ "team", "list", N_("[--db PATH]"),
	    N_("list the teams termijnd knows (offline with --db)"),
	    ctl_admin_list, 0 },
	{ "team", "people", N_("TEAM"),
	    N_("who works in a team, by name: whom its cases can be assigned "
	    "to\n(the team's own people and an admin)"), ctl_views_people, 1 },
	{ "team", "route", N_("FUNCTION --team T (--for TEAM | "
	    "--for-organisation ORG) [--db PATH]"),
	    N_("say which team fills a workflow's function (enforcement, ...) "
	    "for a team's cases (offline with --db)"), ctl_routes_set, 0 },
	{ "team", "unroute", N_("FUNCTION (--for TEAM | --for-organisation "
	    "ORG) [--db PATH]"),
	    N_("remove a route (offline with --db)"), ctl_routes_remove, 0 },
	{ "team", "routes", N_("[--log] [--db PATH]"),
	    N_("list which team fills each function, or with --log every "
	    "change (offline with --db)"), ctl_routes_list, 0 },
	{ "retention", "run", N_("[--dry-run] [--limit N]"),
	    N_("destroy the closed cases past their workflow's retention"),
	    ctl_admin_retention_run, 0 },
	{ "audit", "verify", N_("--db PATH [--head ID:HASH]"),
	    N_("check the audit chain of every transition (offline, while "
	    "termijnd runs)"), ctl_admin_audit_verify, 0 },
	{ "check", NULL, N_("[--workflows DIR] [--db PATH]"),
	    N_("validate workflow files, and with --db compare them with the "
	    "versions cases run on (offline)"), cmd_check, 0 },
	{ "due", NULL, N_("--from DATE|TIMESTAMP --period PERIOD --rule RULE "
	    "[--courtesy] [--json] [--decree-file PATH] [--closure DATE ...]"),
	    N_("compute a due date and explain it (offline)"), cmd_due, 0 },
	{ "backup", NULL, N_("--db PATH [--force] OUT"),
	    N_("copy the database while termijnd runs, and verify the copy "
	    "(offline)"), cmd_backup, 0 },
};
const size_t ctl_ncommands = nitems(ctl_commands);

/*
 * The global options, before the command or among its own options after
 * it ("termijnctl overdue --json"), where a command's own option of the
 * same name comes first.
 */
static const struct option globals[] = {
	{ "url", required_argument, NULL, 'u' },
	{ "token", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "csv", no_argument, NULL, 'C' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "purpose", required_argument, NULL, 'p' },
};

/* The struct ctl the command runs with, for ctl_args to set globals in. */
static struct ctl *current;

/* A global option: 0, or -1 with the usage error printed in *ret. */
static int
global_option(struct ctl *ctl, const struct ctl_cmd *cmd, int ch,
    const char *arg, int *ret)
{
	char	*end;
	long	 l;

	switch (ch) {
	case 'u':
		ctl->c_url = arg;
		break;
	case 't':
		ctl->c_token = arg;
		break;
	case 'j':
		ctl->c_json = 1;
		break;
	case 'C':
		ctl->c_csv = 1;
		break;
	case 'T':
		errno = 0;
		l = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || l < 1 ||
		    l > CTL_MAX_TIMEOUT) {
			*ret = ctl_usage_error(cmd, _("--timeout: %s: not a "
			    "number of seconds from 1 to %d"), arg,
			    CTL_MAX_TIMEOUT);
			return -1;
		}
		ctl->c_timeout = l;
		break;
	case 'p':
		if (!ctl_api_purpose_valid(arg)) {
			*ret = ctl_usage_error(cmd, _("--purpose: 1 to %d "
			    "printable ASCII characters (it travels in a "
			    "header)"), CTL_PURPOSE_MAX);
			return -1;
		}
		ctl->c_purpose = arg;
		break;
	default:
		fatalx("global option %d", ch);
	}
	return 0;
}

/* --json and --csv, and --csv only where the API answers CSV. */
static int
output_valid(const struct ctl *ctl, const struct ctl_cmd *cmd, int *ret)
{
	if (ctl->c_json && ctl->c_csv)
		*ret = ctl_usage_error(cmd, _("--json and --csv: choose one"));
	else if (ctl->c_csv && cmd != NULL && !cmd->cc_csv)
		*ret = ctl_usage_error(cmd, _("--csv: only the views (overdue,"
		    " at-risk, summary, queue, report), case list and team"
		    " people answer CSV"));
	else
		return 0;
	return -1;
}

int
main(int argc, char **argv)
{
	struct option		 opts[nitems(globals) + 3];
	struct ctl		 ctl;
	const struct ctl_cmd	*cmd;
	char			 opt[64];
	int			 ch, ret, words;
	size_t			 i;

	i18n_init_locale();
	memset(&ctl, 0, sizeof(ctl));
	if ((ctl.c_url = getenv("TERMIJN_URL")) == NULL || *ctl.c_url == '\0')
		ctl.c_url = CTL_DEFAULT_URL;
	if ((ctl.c_token = getenv("TERMIJN_TOKEN")) != NULL &&
	    *ctl.c_token == '\0')
		ctl.c_token = NULL;
	ctl.c_timeout = CTL_DEFAULT_TIMEOUT;

	/* Global options stop at the command: "+" turns off permutation. */
	for (i = 0; i < nitems(globals); i++)
		opts[i] = globals[i];
	opts[i++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[i++] = (struct option){ "version", no_argument, NULL, 'V' };
	opts[i] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'u':
		case 't':
		case 'j':
		case 'C':
		case 'T':
		case 'p':
			if (global_option(&ctl, NULL, ch, optarg, &ret) == -1)
				return ret;
			break;
		case 'h':
			ctl_usage(stdout);
			return ctl_finish_stdout(CTL_EXIT_OK);
		case 'V':
			printf("termijnctl %s\n", TERMIJN_VERSION);
			return ctl_finish_stdout(CTL_EXIT_OK);
		case ':':
			return ctl_usage_error(NULL, _("%s needs a value"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
		default:
			return ctl_usage_error(NULL, _("unknown option %s"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage_error(NULL, _("no command"));

	if (strcmp(argv[0], "help") == 0)
		return ctl_usage_help(argc - 1, argv + 1);
	/* "token --help": the usage of the token commands. */
	if (argc == 2 && ctl_usage_group_size(argv[0]) > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		ctl_usage_group(argv[0], stdout);
		return ctl_finish_stdout(CTL_EXIT_OK);
	}
	if ((cmd = ctl_cmd_find(argc, argv, &words)) == NULL)
		return ctl_usage_unknown(argc, argv, words);

	if (output_valid(&ctl, cmd, &ret) == -1)
		return ret;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ctl_warnx("%s", _("cannot initialise libcurl"));
		return CTL_EXIT_ERR;
	}
	/* The command sees its own word as argv[0], as getopt expects. */
	current = &ctl;
	ret = cmd->cc_exec(&ctl, cmd, argc - words + 1, argv + words - 1);
	ctl_api_free(ctl.c_api);
	curl_global_cleanup();
	return ctl_finish_stdout(ret);
}

/* A case the API answered: as a block, or the JSON with --json. */
static int
print_case_reply(struct ctl *ctl, int ret, json_t *reply)
{
	const json_t	*w;
	char		*text;
	size_t		 i;

	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		ctl_print_case(stdout, reply, NULL, ctl_print_width(stdout));
	/*
	 * What a registration dated in the past set off at once, and how a
	 * local time the clocks show twice was read.
	 */
	json_array_foreach(json_object_get(reply, "warnings"), i, w) {
		text = ctl_table_clean(json_string_value(json_object_get(w,
		    "detail")));
		ctl_warnx(_("warning: %s"), text);
		free(text);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* POST /v1/cases */
static int
cmd_case_create(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*workflow = NULL, *reference = NULL, *team = NULL;
	const char	*started = NULL, *key = NULL;
	int		 dup = 0;
	const struct ctl_opt opts[] = {
		{ "workflow", &workflow, NULL, NULL },
		{ "reference", &reference, NULL, NULL },
		{ "team", &team, NULL, NULL },
		{ "started-at", &started, NULL, NULL },
		{ "idempotency-key", &key, NULL, NULL },
		{ "duplicate", NULL, &dup, NULL },
	};
	json_t		*body, *reply = NULL;
	char		**pos;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		return ret;
	if (workflow == NULL || reference == NULL || team == NULL)
		return ctl_usage_error(cmd, _("--workflow, --reference and"
		    " --team are required"));
	/*
	 * Checked here as well as by termijnd so that a citizen service
	 * number never leaves this machine; it is not echoed either.
	 */
	if (!name_valid(reference))
		return ctl_usage_name(cmd, "--reference");
	if (name_looks_like_bsn(reference))
		return ctl_usage_error(cmd, _("--reference looks like a citizen"
		    " service number (BSN); use the municipality's own case"
		    " number"));
	if (!name_valid(team))
		return ctl_usage_name(cmd, "--team");

	body = json_object();
	json_object_set_new(body, "workflow", json_string(workflow));
	json_object_set_new(body, "reference", json_string(reference));
	json_object_set_new(body, "team", json_string(team));
	if (started != NULL)
		json_object_set_new(body, "started_at", json_string(started));
	if (dup)
		json_object_set_new(body, "duplicate", json_true());
	ret = ctl_call(ctl, "POST", "/v1/cases", body, key, 1, &reply);
	json_decref(body);
	return print_case_reply(ctl, ret, reply);
}

/*
 * GET /v1/cases/ID, and for people its history with the notes in it: what
 * happened and why is what one looks a case up for.  --json prints the
 * case alone, as the API gives it.
 */
static int
cmd_case_show(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char	**pos, path[64];
	json_t	 *reply = NULL, *history = NULL;
	int64_t	  id = 0;
	int	  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64, id);
	ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply);
	if (ret != CTL_EXIT_OK || ctl->c_json)
		return print_case_reply(ctl, ret, reply);
	if ((ret = fetch_history(ctl, id, &history)) != CTL_EXIT_OK) {
		json_decref(reply);
		return ret;
	}
	ctl_print_case(stdout, reply, history, ctl_print_width(stdout));
	json_decref(history);
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* One page of a list, or all of them (ctl.h, struct ctl_pager). */
int
ctl_list_pages(struct ctl *ctl, const struct ctl_pager *pg)
{
	struct ctl_table	*t[CTL_PARTS_MAX];
	const char *const	 one[] = { pg->pg_key, NULL };
	const char *const	*parts = pg->pg_parts ? pg->pg_parts : one;
	const json_t		*items, *it, *next;
	json_t			*reply = NULL, *head = NULL;
	const char		*q = pg->pg_query, *name;
	char			*cursor = NULL, *path = NULL, *e;
	char			*first = NULL, buf[32];
	size_t			 i, k, nparts, open = 0, n = 0;
	int			 ret, mine = 0;

	if (ctl->c_csv)
		return ctl_csv_pages(ctl, pg->pg_path, pg->pg_query,
		    pg->pg_cursor, pg->pg_all);
	for (nparts = 0; parts[nparts] != NULL; nparts++)
		if (nparts == CTL_PARTS_MAX)
			fatalx("%s: too many lists", pg->pg_path);
	memset(t, 0, sizeof(t));
	if (pg->pg_cursor != NULL)
		cursor = xstrdup(pg->pg_cursor);
	ret = CTL_EXIT_ERR;
	if (!ctl->c_json)
		for (k = 0; k < nparts; k++)
			t[k] = pg->pg_table();
	else if (pg->pg_all)
		printf("{\n  \"%s\": [", parts[0]);
	for (;;) {
		free(path);
		e = cursor != NULL ? ctl_api_escape(cursor) : NULL;
		xasprintf(&path, "%s%s%s%s%s%s", pg->pg_path,
		    *q != '\0' || e != NULL ? "?" : "", q,
		    *q != '\0' && e != NULL ? "&" : "",
		    e != NULL ? "cursor=" : "", e != NULL ? e : "");
		free(e);
		if ((ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply)) !=
		    CTL_EXIT_OK)
			goto fail;
		ret = CTL_EXIT_ERR;
		if (first == NULL) {
			first = xstrdup(ctl_api_request_id(ctl->c_api));
			head = json_incref(reply);
		}
		for (k = 0; k < nparts; k++)
			if (!json_is_array(json_object_get(reply, parts[k]))) {
				ctl_warnx(_("%s: the answer has no list"
				    " of %s"), ctl_api_url(ctl->c_api),
				    parts[k]);
				goto fail;
			}
		if (ctl->c_json && !pg->pg_all)
			ctl_print_json(stdout, reply);
		for (k = 0; k < nparts && !mine; k++) {
			items = json_object_get(reply, parts[k]);
			json_array_foreach(items, i, it) {
				if (mine)
					break;
				mine = pg->pg_self && (name = json_string_value(
				    json_object_get(it, "request"))) != NULL &&
				    strcmp(name, first) == 0;
				if (t[k] != NULL)
					pg->pg_add(t[k], it);
				else if (pg->pg_all) {
					for (; open < k; open++, n = 0)
						printf("%s  \"%s\": [", n > 0 ?
						    "\n  ],\n" : "],\n",
						    parts[open + 1]);
					json_item(it, n++);
				}
			}
		}

		next = json_object_get(reply, "next_cursor");
		name = ctl_print_value(next, buf, sizeof(buf));
		if (next == NULL || json_is_null(next) || *name == '\0' || mine) {
			free(cursor);
			cursor = NULL;
			break;
		}
		if (cursor != NULL && strcmp(cursor, name) == 0) {
			ctl_warnx(_("%s: the server sent the same cursor"
			    " twice"), ctl_api_url(ctl->c_api));
			goto fail;
		}
		free(cursor);
		cursor = xstrdup(name);
		json_decref(reply);
		reply = NULL;
		if (!pg->pg_all)
			break;
	}

	if (!ctl->c_json) {
		for (k = 0; k < nparts; k++) {
			if (pg->pg_heading == NULL)
				ctl_table_print(t[k], stdout);
			else {
				pg->pg_heading(stdout, k, head);
				if (ctl_table_rows(t[k]) == 0)
					printf("  %s\n", cursor != NULL ?
					    _("none on this page") : _("none"));
				else
					ctl_table_print_indented(t[k], stdout,
					    2);
			}
		}
	} else if (pg->pg_all) {
		for (; open + 1 < nparts; open++, n = 0)
			printf("%s  \"%s\": [", n > 0 ? "\n  ],\n" : "],\n",
			    parts[open + 1]);
		fputs(n > 0 ? "\n  ]" : "]", stdout);
		for (k = 0; pg->pg_keep != NULL && pg->pg_keep[k] != NULL;
		    k++) {
			e = json_dumps(json_object_get(head, pg->pg_keep[k]),
			    JSON_ENCODE_ANY);
			printf(",\n  \"%s\": %s", pg->pg_keep[k],
			    e != NULL ? e : "null");
			free(e);
		}
		fputs(",\n  \"next_cursor\": null\n}\n", stdout);
	}
	/* On stderr, so that the table stays a table. */
	if (cursor != NULL && !ctl->c_json)
		ctl_warnx(_("more %s follow: --all, or --cursor %s"),
		    _(pg->pg_what), cursor);
	ret = CTL_EXIT_OK;

fail:
	for (k = 0; k < nparts; k++)
		ctl_table_free(t[k]);
	json_decref(reply);
	json_decref(head);
	free(cursor);
	free(first);
	free(path);
	return ret;
}

/* An item of a list written whole (--json --all), as json_dumps indents. */
static void
json_item(const json_t *it, size_t n)
{
	char	*dump, *line;

	dump = json_dumps(it, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (dump == NULL)
		fatalx("cannot encode JSON");
	fputs(n > 0 ? ",\n" : "\n", stdout);
	for (line = strtok(dump, "\n"); line != NULL; line = strtok(NULL, "\n"))
		printf("%s    %s", line == dump ? "" : "\n", line);
	free(dump);
}

void
ctl_query_add(char **q, const char *name, const char *value)
{
	char	*e, *tmp;

	if (value == NULL)
		return;
	e = ctl_api_escape(value);
	tmp = *q;
	xasprintf(q, "%s%s%s=%s", tmp, *tmp != '\0' ? "&" : "", name, e);
	free(tmp);
	free(e);
}

/* A list command (ctl.h): its options, its query, then its pages. */
int
ctl_list_command(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, const struct ctl_pager *tmpl)
{
	struct ctl_opt	 opts[CTL_FILTERS_MAX + 3];
	const char	*values[CTL_FILTERS_MAX + 2], *at;
	struct ctl_pager pg = *tmpl;
	char		**pos, *q, *path = NULL;
	size_t		 i, n;
	int64_t		 id = 0;
	int		 all = 0, ret, nargs;

	memset(values, 0, sizeof(values));
	for (n = 0; pg.pg_filters != NULL && pg.pg_filters[n] != NULL; n++) {
		if (n == CTL_FILTERS_MAX)
			fatalx("%s: too many filters", pg.pg_path);
		opts[n] = (struct ctl_opt){ pg.pg_filters[n], &values[n],
		    NULL, NULL };
	}
	opts[n] = (struct ctl_opt){ "limit", &values[n], NULL, NULL };
	opts[n + 1] = (struct ctl_opt){ "cursor", &values[n + 1], NULL,
	    NULL };
	opts[n + 2] = (struct ctl_opt){ "all", NULL, &all, NULL };
	at = strstr(pg.pg_path, "{id}");
	nargs = at != NULL;
	if (ctl_args(cmd, argc, argv, opts, n + 3, nargs, &pos, &ret) == -1)
		return ret;
	if ((nargs && (ret = ctl_parse_id(cmd, pos[0], &id)) !=
	    CTL_EXIT_OK) || (ret = ctl_parse_count(cmd, "--limit", values[n],
	    pg.pg_max > 0 ? pg.pg_max : INT_MAX)) != CTL_EXIT_OK)
		return ret;
	/* The filters, as a query string shared by every page. */
	q = xstrdup("");
	for (i = 0; i < n; i++)
		ctl_query_add(&q, pg.pg_filters[i], values[i]);
	ctl_query_add(&q, "limit", values[n]);
	if (at != NULL) {
		xasprintf(&path, "%.*s%" PRId64 "%s", (int)(at - pg.pg_path),
		    pg.pg_path, id, at + strlen("{id}"));
		pg.pg_path = path;
	}
	pg.pg_query = q;
	pg.pg_cursor = values[n + 1];
	pg.pg_all = all;
	ret = ctl_list_pages(ctl, &pg);
	free(path);
	free(q);
	return ret;
}

/* GET /v1/cases, one page or --all. */
static int
cmd_case_list(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const filters[] = {
		"state", "workflow", "team", NULL
	};

	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/cases", .pg_key = "cases", .pg_what = N_("cases"),
	    .pg_filters = filters,
	    .pg_table = ctl_print_cases_new, .pg_add = ctl_print_cases_add });
}

/* POST /v1/cases/ID/events */
static int
cmd_case_event(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*note = NULL, *note_file = NULL, *date = NULL;
	const char	*basis = NULL, *key = NULL;
	const struct ctl_opt opts[] = {
		{ "note", &note, NULL, NULL },
		{ "note-file", &note_file, NULL, NULL },
		{ "date", &date, NULL, NULL },
		{ "basis", &basis, NULL, NULL },
		{ "idempotency-key", &key, NULL, NULL },
	};
	char		 path[64], **pos, text[NOTE_MAX + 3];
	json_t		*body, *reply = NULL;
	int64_t		 id = 0;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 2, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	if (note != NULL && note_file != NULL)
		return ctl_usage_error(cmd, _("give --note or --note-file, not"
		    " both"));
	/* "--note -" reads stdin, as "--note-file -" does. */
	if (note != NULL && strcmp(note, "-") == 0)
		note_file = "-";
	if (note_file != NULL) {
		if ((ret = read_note(cmd, note_file, text, sizeof(text))) !=
		    CTL_EXIT_OK)
			return ret;
		note = text;
	}
	if ((ret = ctl_api_text(cmd, note_file == NULL ? "--note" :
	    strcmp(note_file, "-") == 0 ? _("the note on stdin") :
	    _("the note in --note-file"), note, NOTE_MAX)) != CTL_EXIT_OK)
		return ret;

	/*
	 * The date is sent as typed, like --started-at: termijnd says what
	 * it accepts.  JSON strings are UTF-8; jansson refuses anything
	 * else, which would otherwise drop the member unsaid.
	 */
	body = json_object();
	json_object_set_new(body, "event", json_string(pos[1]));
	if (body_text(body, "note", note) == -1 ||
	    body_text(body, "date", date) == -1 ||
	    body_text(body, "basis", basis) == -1) {
		json_decref(body);
		return ctl_usage_error(cmd, _("--date and --basis must be UTF-8"
		    " text"));
	}
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/events", id);
	ret = ctl_call(ctl, "POST", path, body, key, 1, &reply);
	json_decref(body);
	return print_case_reply(ctl, ret, reply);
}

/*
 * A note from a file, or stdin for "-": so that it stays out of the
 * process list and the shell's history.  One line end at its end is not
 * part of it (as a shell's $(cat FILE) would have it).  More than NOTE_MAX
 * bytes, or a NUL, is a usage error.
 */
static int
read_note(const struct ctl_cmd *cmd, const char *file, char *buf, size_t len)
{
	FILE	*f = stdin;
	size_t	 n;
	int	 err;

	if (strcmp(file, "-") != 0 && (f = fopen(file, "rb")) == NULL)
		return ctl_usage_error(cmd, "--note-file %s: %s", file,
		    strerror(errno));
	n = fread(buf, 1, len - 1, f);
	err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (err)
		return ctl_usage_error(cmd, _("--note-file %s: cannot be read"),
		    file);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (strlen(buf) != n)
		return ctl_usage_error(cmd, _("the note in %s has a NUL byte"),
		    strcmp(file, "-") == 0 ? "stdin" : file);
	if (n > NOTE_MAX)
		return ctl_usage_error(cmd, _("the note in %s has more than %d"
		    " bytes; termijnd takes at most %d"),
		    strcmp(file, "-") == 0 ? "stdin" : file, NOTE_MAX, NOTE_MAX);
	return CTL_EXIT_OK;
}

/* GET /v1/cases/ID/transitions */
static int
cmd_case_transitions(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char		**pos;
	json_t		 *all = NULL, *reply;
	int64_t		  id = 0;
	int		  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	if ((ret = fetch_history(ctl, id, &all)) != CTL_EXIT_OK)
		return ret;
	reply = json_pack("{s:o, s:n}", "transitions", all, "next_cursor");
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		ctl_print_transitions(stdout,
		    json_object_get(reply, "transitions"), 0,
		    ctl_print_width(stdout));
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* A case's whole history: it comes in pages; follow next_cursor to its end. */
static int
fetch_history(struct ctl *ctl, int64_t id, json_t **out)
{
	char	 path[128];
	json_t	*reply = NULL, *all, *cursor;
	int	 ret, pages;

	all = json_array();
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/transitions", id);
	for (pages = 0; pages < 100000; pages++) {
		if ((ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply)) !=
		    CTL_EXIT_OK) {
			json_decref(all);
			return ret;
		}
		json_array_extend(all, json_object_get(reply, "transitions"));
		cursor = json_object_get(reply, "next_cursor");
		if (!json_is_string(cursor)) {
			json_decref(reply);
			break;
		}
		snprintf(path, sizeof(path), "/v1/cases/%" PRId64
		    "/transitions?cursor=%.32s", id, json_string_value(cursor));
		json_decref(reply);
	}
	*out = all;
	return CTL_EXIT_OK;
}

/*
 * A string member of a request's body, when given.  JSON strings are
 * UTF-8; jansson refuses anything else (-1), which would otherwise drop
 * the member unsaid.
 */
static int
body_text(json_t *body, const char *key, const char *value)
{
	if (value == NULL)
		return 0;
	return json_object_set_new(body, key, json_string(value));
}

/*
 * POST /v1/cases/ID/WHAT with a team and what goes with it: a team comes
 * to take part (participants) or to coordinate (coordinator).  The body's
 * members are the command's options, by name, those given.  The case as
 * it is now is printed.
 */
static int
case_team_post(struct ctl *ctl, const struct ctl_cmd *cmd, const char *id_arg,
    const char *what, const char *team, const struct ctl_opt *opts,
    size_t nopts)
{
	char		path[96];
	json_t		*body, *reply = NULL;
	int64_t		 id = 0;
	size_t		 i;
	int		 ret;

	if ((ret = ctl_parse_id(cmd, id_arg, &id)) != CTL_EXIT_OK ||
	    (ret = team_arg(cmd, team)) != CTL_EXIT_OK)
		return ret;
	body = json_object();
	for (i = 0; i < nopts; i++)
		if (body_text(body, opts[i].co_name, *opts[i].co_value) == -1) {
			json_decref(body);
			return ctl_usage_error(cmd, _("--%s must be UTF-8"
			    " text"), opts[i].co_name);
		}
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/%s", id, what);
	ret = ctl_call(ctl, "POST", path, body, NULL, 1, &reply);
	json_decref(body);
	return print_case_reply(ctl, ret, reply);
}

/* A team named to --team, checked by its form before anything is sent. */
static int
team_arg(const struct ctl_cmd *cmd, const char *team)
{
	if (team == NULL)
		return ctl_usage_error(cmd, _("--team is required"));
	if (!name_valid(team))
		return ctl_usage_name(cmd, "--team");
	return CTL_EXIT_OK;
}

/*
 * POST /v1/cases/ID/participants: another team takes part in the case on
 * a legal basis.  Without --basis termijnd's refusal (422) names the bases
 * the workflow allows, which is how to learn them.
 */
static int
cmd_case_share(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*team = NULL, *basis = NULL, *purpose = NULL;
	const struct ctl_opt opts[] = {
		{ "team", &team, NULL, NULL },
		{ "basis", &basis, NULL, NULL },
		{ "purpose", &purpose, NULL, NULL },
	};
	char		**pos;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_api_text(cmd, "--purpose", purpose, PURPOSE_MAX)) !=
	    CTL_EXIT_OK)
		return ret;
	return case_team_post(ctl, cmd, pos[0], "participants", team, opts,
	    nitems(opts));
}

/* DELETE /v1/cases/ID/participants/TEAM: the team takes part no more. */
static int
cmd_case_unshare(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*team = NULL;
	const struct ctl_opt opts[] = {
		{ "team", &team, NULL, NULL },
	};
	json_t		*reply = NULL;
	char		*path, *e, **pos;
	int64_t		 id = 0;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK ||
	    (ret = team_arg(cmd, team)) != CTL_EXIT_OK)
		return ret;
	e = ctl_api_escape(team);
	xasprintf(&path, "/v1/cases/%" PRId64 "/participants/%s", id, e);
	free(e);
	ret = ctl_call(ctl, "DELETE", path, NULL, NULL, 1, &reply);
	free(path);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		printf(_("team %s takes part in case %lld no more\n"), team,
		    (long long)id);
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * POST /v1/cases/ID/corrections: the case's last event or deadline passing
 * undone.  The case as it is now is printed.
 */
static int
cmd_case_correct(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*reason = NULL;
	const struct ctl_opt opts[] = {
		{ "reason", &reason, NULL, NULL },
	};
	json_t		*body, *reply = NULL;
	char		 path[96], **pos;
	int64_t		 id = 0;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	if (reason == NULL || reason[0] == '\0')
		return ctl_usage_error(cmd, _("--reason is required: say why"
		    " the transition was a mistake"));
	if ((ret = ctl_api_text(cmd, "--reason", reason, NOTE_MAX)) !=
	    CTL_EXIT_OK)
		return ret;
	body = json_object();
	if (body_text(body, "reason", reason) == -1) {
		json_decref(body);
		return ctl_usage_error(cmd, _("--%s must be UTF-8 text"),
		    "reason");
	}
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/corrections", id);
	ret = ctl_call(ctl, "POST", path, body, NULL, 1, &reply);
	json_decref(body);
	return print_case_reply(ctl, ret, reply);
}

/* POST /v1/cases/ID/coordinator: another team coordinates the case. */
static int
cmd_case_coordinate(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*team = NULL, *note = NULL;
	const struct ctl_opt opts[] = {
		{ "team", &team, NULL, NULL },
		{ "note", &note, NULL, NULL },
	};
	char		**pos;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_api_text(cmd, "--note", note, NOTE_MAX)) !=
	    CTL_EXIT_OK)
		return ret;
	return case_team_post(ctl, cmd, pos[0], "coordinator", team, opts,
	    nitems(opts));
}

/* GET /v1/cases/ID/access: who read the case, for its team's supervisor. */
static int
cmd_case_access(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/cases/{id}/access", .pg_key = "reads",
	    .pg_what = N_("reads"),
	    .pg_self = 1, .pg_table = ctl_print_reads_new,
	    .pg_add = ctl_print_reads_add });
}

/*
 * GET /v1/cases/ID/export: all termijn holds about the case, for a
 * citizen's request for access.  It is handed over as it is, so it is
 * JSON, pretty-printed, with or without --json.
 */
static int
cmd_case_export(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char		**pos, path[64];
	json_t		 *reply = NULL;
	int64_t		  id = 0;
	int		  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	/* JSON either way: asked for as --json asks (api()). */
	ctl->c_json = 1;
	snprintf(path, sizeof(path), "/v1/cases/%" PRId64 "/export", id);
	if ((ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply)) !=
	    CTL_EXIT_OK)
		return ret;
	ctl_print_json(stdout, reply);
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* GET /v1/workflows */
static int
cmd_workflows(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char	**pos;
	json_t	 *reply = NULL;
	int	  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 0, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_call(ctl, "GET", "/v1/workflows", NULL, NULL, 1,
	    &reply)) != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		ctl_print_workflows(stdout, json_object_get(reply, "workflows"));
		/* On stderr, so that the table stays a table. */
		ctl_print_refused(stderr, json_object_get(reply, "files"));
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * GET /v1/notifications: the outbox of webhooks, newest first (admin),
 * one page or --all.
 */
static int
cmd_notifications(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const filters[] = { "status", NULL };

	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/notifications", .pg_key = "notifications",
	    .pg_what = N_("notifications"),
	    .pg_filters = filters, .pg_table = ctl_print_notifications_new,
	    .pg_add = ctl_print_notifications_add });
}

/* POST /v1/notifications/ID/retry: a dead notification goes out again. */
static int
cmd_notifications_retry(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	struct ctl_table	*t;
	char			**pos, path[80];
	json_t			 *reply = NULL;
	int64_t			  id = 0;
	int			  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	snprintf(path, sizeof(path), "/v1/notifications/%" PRId64 "/retry",
	    id);
	if ((ret = ctl_call(ctl, "POST", path, NULL, NULL, 1, &reply)) !=
	    CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		t = ctl_print_notifications_new();
		ctl_print_notifications_add(t, reply);
		ctl_table_print(t, stdout);
		ctl_table_free(t);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* GET /healthz, the one request without a token. */
static int
cmd_health(struct ctl *ctl, const struct ctl_cmd *cmd, int argc, char **argv)
{
	char		**pos;
	const char	 *status;
	json_t		 *reply = NULL;
	int		  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 0, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_call(ctl, "GET", "/healthz", NULL, NULL, 0, &reply)) !=
	    CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		status = json_string_value(json_object_get(reply, "status"));
		printf("%s\n", status != NULL ? status : "ok");
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * Offline: what termijnd --check says about the workflows, on stdout like
 * it: "OK", or every error as file:line:column: message.  With --db, also
 * every file with other text for a version the database keeps, which cases
 * may run on; the database is only read, termijnd running or not.
 */
static int
cmd_check(struct ctl *ctl, const struct ctl_cmd *cmd, int argc, char **argv)
{
	char		*shipped = paths_data_file("workflows");
	const char	*dir = shipped, *db = NULL;
	const struct ctl_opt opts[] = {
		{ "workflows", &dir, NULL, NULL },
		{ "db", &db, NULL, NULL },
	};
	struct engine	*en = NULL;
	struct store	*st = NULL;
	struct errlist	 errs;
	char		**pos;
	size_t		 i;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1) {
		free(shipped);
		return ret;
	}
	if (db != NULL) {
		if ((ret = ctl_admin_offline_read(db, &st)) != CTL_EXIT_OK) {
			free(shipped);
			return ret;
		}
		en = engine_new(st, NULL);
	}

	ret = CTL_EXIT_OK;
	errlist_init(&errs);
	if (engine_check_workflows(en, dir, &errs) == -1 ||
	    errs.el_count > 0) {
		for (i = 0; i < errs.el_count; i++)
			printf("%s\n", errs.el_msgs[i]);
		if (errs.el_count == 0)
			printf(_("%s: the workflows could not be loaded\n"),
			    dir);
		ret = CTL_EXIT_ERR;
	} else
		printf("OK\n");
	engine_free(en);
	store_close(st);
	errlist_clear(&errs);
	free(shipped);
	return ret;
}

/*
 * Offline: the due date of a period, computed by the core's calendar as
 * GET /v1/calendar/due computes it, so that a caseworker can check a date
 * without a daemon or a token.  The date comes alone on the first line for
 * scripts; the explanation follows, indented, for people.
 */
static int
cmd_due(struct ctl *ctl, const struct ctl_cmd *cmd, int argc, char **argv)
{
	const char	*from = NULL, *period = NULL, *rule = NULL;
	const char	*decrees = NULL;
	int		 courtesy = 0, json = 0;
	struct ctl_list	 closures = { NULL, 0 };
	const struct ctl_opt opts[] = {
		{ "from", &from, NULL, NULL },
		{ "period", &period, NULL, NULL },
		{ "rule", &rule, NULL, NULL },
		{ "courtesy", NULL, &courtesy, NULL },
		{ "json", NULL, &json, NULL },
		{ "decree-file", &decrees, NULL, NULL },
		{ "closure", NULL, NULL, &closures },
	};
	struct period_spec	 ps;
	struct due		 du;
	struct errlist		 errs;
	struct cal_date		 cd;
	json_t			*o;
	char			 err[512], **pos, note[CAL_NOTE_LEN];
	int64_t			 anchor;
	size_t			 i;
	int			 ret;

	memset(&du, 0, sizeof(du));
	memset(&ps, 0, sizeof(ps));
	errlist_init(&errs);
	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		goto done;
	if (from == NULL || period == NULL || rule == NULL) {
		ret = ctl_usage_error(cmd, _("--from, --period and --rule are"
		    " required"));
		goto done;
	}

	/*
	 * The zone first: a date is read as the start of that day in local
	 * time.  A decree file named on the command line is an argument like
	 * any other; the shipped one missing is a broken installation.
	 */
	if (calendar_init("Europe/Amsterdam", decrees, &errs) == -1) {
		for (i = 0; i < errs.el_count; i++)
			fprintf(stderr, "termijnctl: due: %s\n",
			    errs.el_msgs[i]);
		if (errs.el_count == 0)
			ctl_warnx("due: %s", _("the calendar could not be set"
			    " up"));
		ret = decrees != NULL ? CTL_EXIT_USAGE : CTL_EXIT_ERR;
		goto done;
	}
	for (i = 0; i < closures.cl_count; i++) {
		if (cal_date_parse_err(closures.cl_values[i], &cd, err,
		    sizeof(err)) == -1) {
			ret = ctl_usage_error(cmd, "--closure: %s", err);
			goto done;
		}
		calendar_add_closure(&cd);
	}
	if (cal_parse_time_note(from, &anchor, note, sizeof(note), err,
	    sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "--from: %s", err);
		goto done;
	}
	if (period_parse(period, &ps.ps_period, err, sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "%s", err);
		goto done;
	}
	if (period_rule_parse(rule, &ps.ps_rule) == -1) {
		ret = ctl_usage_error(cmd, _("--rule: unknown rule \"%s\""
		    " (plain, atw, working_days, hours, backward)"), rule);
		goto done;
	}
	/* As the workflow loader says of a deadline's courtesy. */
	if (courtesy && ps.ps_rule != PR_PLAIN) {
		ret = ctl_usage_error(cmd, _("--courtesy only applies to the"
		    " plain rule, not to %s"), period_rule_name(ps.ps_rule));
		goto done;
	}
	if (courtesy && period_is_hours(&ps.ps_period)) {
		ret = ctl_usage_error(cmd, _("--courtesy does not apply to a"
		    " period in hours, which is elapsed time"));
		goto done;
	}
	ps.ps_courtesy = courtesy;
	if (period_due(anchor, &ps, &du, err, sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "%s", err);
		goto done;
	}

	o = view_due(&ps, &du);
	/* As termijnd answers: a local time the clocks show twice. */
	if (note[0] != '\0') {
		json_object_set_new(o, "warnings", json_pack("[{s:s, s:s, s:o,"
		    " s:s}]", "code", "ambiguous_time", "field", "from", "at",
		    view_time(anchor), "detail", note));
		ctl_warnx(_("warning: --from %s"), note);
	}
	if (ctl->c_json || json)
		ctl_print_json(stdout, o);
	else {
		printf("%s\n", json_string_value(json_object_get(o, "due")));
		for (i = 0; i < du.du_nwhy; i++)
			printf("  %s\n", du.du_why[i]);
		if (du.du_decree_missing)
			printf("%s\n", _("warning: a year this date needs has"
			    " no decree data yet (see above): a royal decree"
			    " may still equate a day to a holiday and move the"
			    " date"));
	}
	json_decref(o);
	ret = CTL_EXIT_OK;

done:
	due_free(&du);
	errlist_clear(&errs);
	free(closures.cl_values);
	return ret;
}

/*
 * Offline: a consistent, verified copy of the database, made beside termijnd
 * as it runs (backup.c).  A line for each copy an interrupted backup left
 * in OUT's directory that it removed, one per check the copy passed, then
 * where it is; nothing is left at OUT when any step fails.
 */
static int
cmd_backup(struct ctl *ctl, const struct ctl_cmd *cmd, int argc, char **argv)
{
	const char	*db = NULL;
	int		 force = 0;
	const struct ctl_opt opts[] = {
		{ "db", &db, NULL, NULL },
		{ "force", NULL, &force, NULL },
	};
	char		 err[1024], **pos;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if (db == NULL)
		return ctl_usage_error(cmd, _("--db is required"));
	if (!force && access(pos[0], F_OK) == 0)
		return ctl_usage_error(cmd, _("%s exists already (--force"
		    " replaces it)"), pos[0]);
	if (access(db, F_OK) == -1) {
		fprintf(stderr, "termijnctl: backup: %s: %s\n", db,
		    strerror(errno));
		return CTL_EXIT_ERR;
	}
	if (backup_make(db, pos[0], force, ctl_backup_check_cb,
	    ctl_backup_removed_cb, NULL, err, sizeof(err)) == -1) {
		ctl_warnx(_("backup: %s; no backup was made"), err);
		return CTL_EXIT_ERR;
	}
	printf(_("backup of %s written to %s\n"), db, pos[0]);
	return CTL_EXIT_OK;
}

static void
ctl_backup_check_cb(const char *name, void *arg)
{
	printf(_("check %s: ok\n"), name);
}

/* A copy an interrupted backup left, with every case in it: said so. */
static void
ctl_backup_removed_cb(const char *path, const char *sidecars,
    const char *error, void *arg)
{
	if (error != NULL)
		ctl_warnx(_("backup: cannot remove %s, the copy of a backup"
		    " that was interrupted: %s"), path, error);
	else if (*sidecars != '\0')
		printf(_("removed %s (and its %s), the copy of a backup that"
		    " was interrupted\n"), path, sidecars);
	else
		printf(_("removed %s, the copy of a backup that was"
		    " interrupted\n"), path);
}

/*
 * The command that argv names, and how many words name it; NULL when none
 * does, with *words 1 when the first word begins a two-word command.
 */
const struct ctl_cmd *
ctl_cmd_find(int argc, char **argv, int *words)
{
	size_t	i;

	*words = 0;
	for (i = 0; i < ctl_ncommands; i++) {
		if (strcmp(argv[0], ctl_commands[i].cc_name) != 0)
			continue;
		if (ctl_commands[i].cc_sub == NULL) {
			*words = 1;
			return &ctl_commands[i];
		}
		if (argc > 1 && strcmp(argv[1], ctl_commands[i].cc_sub) == 0) {
			*words = 2;
			return &ctl_commands[i];
		}
		*words = 1;
	}
	return NULL;
}

/*
 * A command's options, before or after its positional arguments, and
 * exactly npos of those.  Returns 0 to go on, or -1 with the exit status
 * in *ret: 0 after --help, 2 after a usage error (already printed).
 */
int
ctl_args(const struct ctl_cmd *cmd, int argc, char **argv,
    const struct ctl_opt *opts, size_t nopts, int npos, char ***pos,
    int *ret)
{
	struct option	*lo;
	char		 opt[64];
	size_t		 i, j;
	int		 ch;

	lo = xcalloc(nopts + nitems(globals) + 2, sizeof(*lo));
	for (i = 0; i < nopts; i++) {
		lo[i].name = opts[i].co_name;
		lo[i].has_arg = opts[i].co_value != NULL ||
		    opts[i].co_list != NULL ? required_argument : no_argument;
		lo[i].val = CTL_OPT_BASE + (int)i;
	}
	/* A global option, unless the command has one of that name. */
	for (j = 0; j < nitems(globals); j++) {
		for (ch = 0; ch < (int)nopts; ch++)
			if (strcmp(opts[ch].co_name, globals[j].name) == 0)
				break;
		if (ch == (int)nopts)
			lo[i++] = globals[j];
	}
	lo[i].name = "help";
	lo[i].val = 'h';

	/* 0 makes glibc start over on a new argument vector. */
	optind = 0;
	opterr = 0;
	*ret = CTL_EXIT_OK;
	while ((ch = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		if (ch == 'h') {
			ctl_usage_command(cmd, stdout);
			goto fail;
		} else if (ch == ':') {
			*ret = ctl_usage_error(cmd, _("%s needs a value"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
			goto fail;
		} else if (ch < CTL_OPT_BASE && ch != '?') {
			if (current == NULL || global_option(current, cmd, ch,
			    optarg, ret) == -1) {
				if (current == NULL)
					*ret = ctl_usage_error(cmd, _("%s: a"
					    " global option"), optname(argv[
					    optind - 1], opt, sizeof(opt)));
				goto fail;
			}
			continue;
		} else if (ch == '?' || ch >= CTL_OPT_BASE + (int)nopts) {
			*ret = ctl_usage_error(cmd, _("unknown option %s"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
			goto fail;
		}
		i = ch - CTL_OPT_BASE;
		if (opts[i].co_value != NULL)
			*opts[i].co_value = optarg;
		else if (opts[i].co_list != NULL) {
			opts[i].co_list->cl_values = xreallocarray(
			    opts[i].co_list->cl_values,
			    opts[i].co_list->cl_count + 1, sizeof(char *));
			opts[i].co_list->cl_values[opts[i].co_list->cl_count++] =
			    optarg;
		} else
			*opts[i].co_flag = 1;
	}
	if (current != NULL && output_valid(current, cmd, ret) == -1)
		goto fail;
	if (argc - optind < npos) {
		*ret = ctl_usage_error(cmd, "%s", P_("missing argument",
		    "missing arguments", npos - (argc - optind)));
		goto fail;
	}
	if (argc - optind > npos) {
		*ret = ctl_usage_error(cmd, _("unexpected argument %s"),
		    argv[optind + npos]);
		goto fail;
	}
	*pos = argv + optind;
	free(lo);
	return 0;

fail:
	free(lo);
	return -1;
}

/*
 * An option as typed, without a value glued on with '=': "--token=..." is
 * echoed as "--token", so that a token never reaches a message.
 */
static const char *
optname(const char *arg, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(arg, "="), arg);
	return buf;
}

/* A case id: a positive decimal number. */
int
ctl_parse_id(const struct ctl_cmd *cmd, const char *s, int64_t *id)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    (*s < '0' || *s > '9'))
		return ctl_usage_error(cmd, _("%s: not a case id"), s);
	*id = v;
	return CTL_EXIT_OK;
}

/*
 * A count given to an option: a whole number from 1 to max; NULL (not
 * given) is fine.  Returns the exit status.
 */
int
ctl_parse_count(const struct ctl_cmd *cmd, const char *opt, const char *s,
    long max)
{
	char	*end;
	long	 l;

	if (s == NULL)
		return CTL_EXIT_OK;
	errno = 0;
	l = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || l < 1 || l > max)
		return ctl_usage_error(cmd, _("%s: %s: not a whole number from"
		    " 1 to %ld"), opt, s, max);
	return CTL_EXIT_OK;
}

/*
 * The connection, made once; a missing token is said before anything is
 * sent.  termijnd answers in the language of this terminal's locale, but
 * where its answer is printed as it is (--json, --csv, case export) it is
 * asked for none: a script then gets the same bytes whoever runs it, in
 * the language termijnd is configured to speak.
 */
static int
api(struct ctl *ctl, int need_token, struct ctl_api **out)
{
	const char	*lang;
	char		 err[256];

	if (ctl->c_api == NULL) {
		if (need_token && ctl->c_token == NULL) {
			ctl_warnx("%s", _("no token: pass --token or set"
			    " TERMIJN_TOKEN (an administrator makes one with"
			    " termijnctl token create)"));
			return CTL_EXIT_USAGE;
		}
		lang = ctl->c_json || ctl->c_csv ? NULL : i18n_locale_lang();
		if ((ctl->c_api = ctl_api_new(ctl->c_url, need_token ?
		    ctl->c_token : NULL, ctl->c_purpose, lang,
		    ctl->c_timeout * 1000, err, sizeof(err))) == NULL) {
			fprintf(stderr, "termijnctl: %s\n", err);
			return CTL_EXIT_USAGE;
		}
	}
	*out = ctl->c_api;
	return CTL_EXIT_OK;
}

/*
 * One request whose success is a JSON object, returned in *reply for the
 * caller to print and release.  Any other answer is explained on stderr:
 * the problem's title and detail, or what kept the answer from arriving.
 */
int
ctl_call(struct ctl *ctl, const char *method, const char *path,
    const json_t *body, const char *idem_key, int need_token, json_t **reply)
{
	struct ctl_api		*ca;
	struct ctl_reply	 cr;
	const char		*p;
	int			 ret;

	*reply = NULL;
	if (idem_key != NULL) {
		for (p = idem_key; *p != '\0'; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				break;
		if (*idem_key == '\0' || *p != '\0' || p - idem_key > 128) {
			ctl_warnx("%s", _("--idempotency-key: 1 to 128"
			    " printable characters"));
			return CTL_EXIT_USAGE;
		}
	}
	if ((ret = api(ctl, need_token, &ca)) != CTL_EXIT_OK)
		return ret;
	if (ctl_api_request(ca, method, path, body, idem_key, &cr) == -1)
		return CTL_EXIT_ERR;
	if (cr.cr_status < 200 || cr.cr_status > 299) {
		ctl_problem_print(stderr, cr.cr_status, cr.cr_reason,
		    cr.cr_json);
		ctl_reply_clear(&cr);
		return CTL_EXIT_ERR;
	}
	if (!json_is_object(cr.cr_json)) {
		ctl_warnx(_("%s: %ld answer without a JSON object"),
		    ctl_api_url(ca), cr.cr_status);
		ctl_reply_clear(&cr);
		return CTL_EXIT_ERR;
	}
	*reply = cr.cr_json;
	return CTL_EXIT_OK;
}

/*
 * GET path as CSV into cr (ctl_api_csv); a refusal is explained on stderr
 * as ctl_call explains it.
 */
int
ctl_get_csv(struct ctl *ctl, const char *path, struct ctl_reply *cr)
{
	struct ctl_api	*ca;
	int		 ret;

	if ((ret = api(ctl, 1, &ca)) != CTL_EXIT_OK)
		return ret;
	if (ctl_api_csv(ca, path, cr) == -1)
		return CTL_EXIT_ERR;
	if (cr->cr_status < 200 || cr->cr_status > 299 ||
	    cr->cr_text == NULL) {
		if (cr->cr_status >= 200 && cr->cr_status <= 299)
			ctl_warnx(_("%s: %ld answer without CSV"),
			    ctl_api_url(ca), cr->cr_status);
		else
			ctl_problem_print(stderr, cr->cr_status,
			    cr->cr_reason, cr->cr_json);
		ctl_reply_clear(cr);
		return CTL_EXIT_ERR;
	}
	return CTL_EXIT_OK;
}

/* Output that could not be written is a failure, as in any filter. */
int
ctl_finish_stdout(int ret)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "termijnctl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERR;
	}
	return ret;
}

/* A message on stderr after the program's name, on a line of its own. */
void
ctl_warnx(const char *fmt, ...)
{
	va_list	ap;

	fputs("termijnctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
