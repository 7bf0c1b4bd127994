/*
 * termijn: termijnctl, the command-line client of termijnd: the command
 * table and main, which reads the global options and runs the command
 * argv names.  The commands live in files of their own below this one
 * (ctl_case.c, ctl_views.c, ctl_admin.c, ...), what they share below them
 * (ctl_args.c, ctl_call.c, ctl_list.c, ctl_usage.c, ctl_print.c, ...);
 * nothing below calls up: the usage reads this table as main hands it over
 * (ctl_cmd.c).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "termijn/util.h"

#include "ctl.h"

#ifndef TERMIJN_VERSION
#define TERMIJN_VERSION "unknown"
#endif

#define CTL_DEFAULT_TIMEOUT	30	/* seconds */

/* Synopses and help are translated where they are printed (ctl_usage.c). */
static const struct ctl_cmd commands[] = {
	{ "case", "create", N_("--workflow W --reference R --team T "
	    "[--started-at TIME] [--duplicate] [--idempotency-key K]"),
	    N_("register a case; --duplicate when another open case for the "
	    "same reference is meant"), ctl_case_create, 0 },
	{ "case", "show", N_("ID"),
	    N_("show a case: its deadlines and why they fall there, their "
	    "ladders,\nnotifications, its history with the notes, the events "
	    "it accepts"), ctl_case_show, 0 },
	{ "case", "list", N_("[--state S] [--workflow W] [--team T] [--limit "
	    "N] [--cursor C] [--all]"),
	    N_("list cases in id order"), ctl_case_list, 1 },
	{ "case", "event", N_("ID EVENT [--note-file FILE | --note - | --note "
	    "TEXT] [--date DATE|TIMESTAMP] [--basis B] [--idempotency-key K]"),
	    N_("record an event on a case; --date is the date it happened, "
	    "--basis the legal basis\nof an event that shares.  The note (the "
	    "reason) is read from FILE, or from stdin\nwith --note -: use "
	    "these, since --note TEXT shows the note in the process list\nand "
	    "the shell's history"), ctl_case_event, 0 },
	{ "case", "simulate", N_("ID [--event NAME@DATE[,basis=ID][,note=TEXT] "
	    "...]"),
	    N_("wat als: what would follow if these events happened to a "
	    "running case;\nnothing is recorded"), ctl_simulate_case, 0 },
	{ "case", "transitions", N_("ID"),
	    N_("show a case's history, each note under its transition"),
	    ctl_case_transitions, 0 },
	{ "case", "correct", N_("ID --reason TEXT"),
	    N_("undo a case's last event or deadline passing, as a transition "
	    "of its own (a supervisor, or a role the workflow names)"),
	    ctl_case_correct, 0 },
	{ "case", "share", N_("ID --team T --basis B [--purpose TEXT]"),
	    N_("let another team take part in a case, on a legal basis the "
	    "workflow allows"), ctl_case_share, 0 },
	{ "case", "unshare", N_("ID --team T"),
	    N_("end a team's part in a case"), ctl_case_unshare, 0 },
	{ "case", "coordinate", N_("ID --team T [--note TEXT]"),
	    N_("hand a case's coordination to its own team or a team that "
	    "takes part"), ctl_case_coordinate, 0 },
	{ "case", "access", N_("ID [--limit N] [--cursor C] [--all]"),
	    N_("who read a case (a supervisor of its team)"),
	    ctl_case_access, 0 },
	{ "case", "export", N_("ID"),
	    N_("all termijn holds about a case, as JSON, for a request for "
	    "access (a supervisor of its team)"), ctl_case_export, 0 },
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
	    N_("list the workflows new cases get"), ctl_server_workflows, 0 },
	{ "health", NULL, "",
	    N_("ask whether termijnd is up"), ctl_server_health, 0 },
	{ "notifications", "retry", N_("ID"),
	    N_("send a dead notification again (admin)"),
	    ctl_server_retry, 0 },
	{ "notifications", NULL, N_("[--status pending|delivered|dead] "
	    "[--limit N] [--cursor C] [--all]"),
	    N_("list the webhooks' notifications, newest first (admin)"),
	    ctl_server_notifications, 0 },
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
	    "versions cases run on (offline)"), ctl_offline_check, 0 },
	{ "due", NULL, N_("--from DATE|TIMESTAMP --period PERIOD --rule RULE "
	    "[--courtesy] [--json] [--decree-file PATH] [--closure DATE ...]"),
	    N_("compute a due date and explain it (offline)"), ctl_offline_due, 0 },
	{ "simulate", NULL, N_("--start DATE "
	    "[--event NAME@DATE[,basis=ID][,note=TEXT] ...] WORKFLOW|FILE"),
	    N_("what a workflow would do with a case: every state, deadline "
	    "and rung,\nfor a loaded workflow or offline for a file not "
	    "loaded yet"), ctl_simulate_run, 0 },
	{ "backup", NULL, N_("--db PATH [--force] OUT"),
	    N_("copy the database while termijnd runs, and verify the copy "
	    "(offline)"), ctl_offline_backup, 0 },
};

int
main(int argc, char **argv)
{
	struct ctl		 ctl;
	const struct ctl_cmd	*cmd;
	int			 ret, words;

	i18n_init_locale();
	ctl_cmd_init(commands, nitems(commands));
	memset(&ctl, 0, sizeof(ctl));
	if ((ctl.c_url = getenv("TERMIJN_URL")) == NULL || *ctl.c_url == '\0')
		ctl.c_url = CTL_DEFAULT_URL;
	if ((ctl.c_token = getenv("TERMIJN_TOKEN")) != NULL &&
	    *ctl.c_token == '\0')
		ctl.c_token = NULL;
	ctl.c_timeout = CTL_DEFAULT_TIMEOUT;

	switch (ctl_args_global(&ctl, argc, argv, &ret)) {
	case -1:
		return ret;
	case 'h':
		ctl_usage(stdout);
		return ctl_finish_stdout(CTL_EXIT_OK);
	case 'V':
		printf("termijnctl %s\n", TERMIJN_VERSION);
		return ctl_finish_stdout(CTL_EXIT_OK);
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

	if (ctl_args_output(&ctl, cmd, &ret) == -1)
		return ret;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ctl_warnx("%s", _("cannot initialise libcurl"));
		return CTL_EXIT_ERR;
	}
	/* The command sees its own word as argv[0], as getopt expects. */
	ctl_args_bind(&ctl);
	ret = cmd->cc_exec(&ctl, cmd, argc - words + 1, argv + words - 1);
	ctl_api_free(ctl.c_api);
	curl_global_cleanup();
	return ctl_finish_stdout(ret);
}
