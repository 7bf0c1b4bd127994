/* termijn: termijnctl's own interfaces, grouped by the file that defines them. */
#ifndef TERMIJN_CTL_H
#define TERMIJN_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "termijn/i18n.h"
#include "termijn/store.h"

/* Exit statuses: the contract with scripts, documented in docs/termijnctl.md. */
#define CTL_EXIT_OK	0
#define CTL_EXIT_ERR	1	/* the server refused, or I/O failed */
#define CTL_EXIT_USAGE	2	/* the command line was wrong; nothing was sent */

#define CTL_DEFAULT_URL	"http://127.0.0.1:8470"

/*
 * What every command shares: the global options, its own options, the
 * connection (made when a command first needs it).
 */
struct ctl_api;
struct ctl_reply;
struct engine;
struct engine_error;
struct store;
struct actor;

struct ctl {
	const char	*c_url;
	const char	*c_token;
	const char	*c_purpose;	/* sent as Read-Purpose, or NULL */
	int		 c_json;
	int		 c_csv;		/* the API's CSV, as it is */
	long		 c_timeout;	/* seconds */
	struct ctl_api	*c_api;		/* made when a command first needs it */
};

/* The values of an option that may be given more than once, in order. */
struct ctl_list {
	const char	**cl_values;
	size_t		  cl_count;
};

/* A command's option: one with a value, a flag, or a repeatable one. */
struct ctl_opt {
	const char	 *co_name;
	const char	**co_value;	/* NULL: a flag or a list */
	int		 *co_flag;
	struct ctl_list	 *co_list;	/* set: repeatable, each with a value */
};

#define CTL_OPT_BASE	256	/* getopt values of options, past any char */

/*
 * A command returns the exit status itself rather than 0 or -1: scripts
 * tell a refusal or a failure (1) from a mistake on the command line (2).
 */
struct ctl_cmd {
	const char	*cc_name;
	const char	*cc_sub;	/* NULL: a one-word command */
	const char	*cc_args;	/* for usage */
	const char	*cc_help;
	int		(*cc_exec)(struct ctl *, const struct ctl_cmd *, int,
			    char **);
	int		 cc_csv;	/* --csv: the API answers this in CSV */
};

/*
 * termijnctl.c: the command table and main, on top of everything below.
 *
 * ctl_cmd.c: the command table, handed over by main (it names every
 * command's function, so only the top may hold it), and the command that
 * argv names with how many of its words name it (NULL when none does,
 * with *words 1 when the first word begins a two-word command).
 */
void	 ctl_cmd_init(const struct ctl_cmd *, size_t);
const struct ctl_cmd *ctl_cmd_table(size_t *);
const struct ctl_cmd *ctl_cmd_find(int, char **, int *);

/* ctl_case.c: the case commands. */
int	 ctl_case_create(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_show(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_list(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_event(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_transitions(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_case_share(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_unshare(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_correct(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_coordinate(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_case_access(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_case_export(struct ctl *, const struct ctl_cmd *, int, char **);

/* ctl_server.c: termijnd itself: health, workflows, notifications. */
int	 ctl_server_workflows(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_server_notifications(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_server_retry(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_server_health(struct ctl *, const struct ctl_cmd *, int, char **);

/* ctl_offline.c: the commands that need no termijnd: check, due, backup. */
int	 ctl_offline_check(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_offline_due(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_offline_backup(struct ctl *, const struct ctl_cmd *, int,
	    char **);
/*
 * ctl_simulate.c: what a workflow would do with a case: through termijnd
 * for a loaded one, offline for a file.
 */
int	 ctl_simulate_run(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_simulate_case(struct ctl *, const struct ctl_cmd *, int, char **);

/*
 * ctl_args.c: the command line.  The global options before the command:
 * 0 with optind at it, 'h' or 'V' for --help or --version, or -1 with
 * the exit status in *ret.  The struct ctl a command runs with, for its
 * global options among its own.  --json and --csv as the command allows.
 */
int	 ctl_args_global(struct ctl *, int, char **, int *);
void	 ctl_args_bind(struct ctl *);
int	 ctl_args_output(const struct ctl *, const struct ctl_cmd *, int *);
int	 ctl_args(const struct ctl_cmd *, int, char **, const struct ctl_opt *,
	    size_t, int, char ***, int *);
int	 ctl_parse_id(const struct ctl_cmd *, const char *, int64_t *);
int	 ctl_parse_count(const struct ctl_cmd *, const char *opt, const char *,
	    long max);

/*
 * ctl_call.c: one request over the connection, made once: a JSON object
 * into *reply, or GET path as CSV; a refusal explained on stderr.
 */
int	 ctl_call(struct ctl *, const char *, const char *, const json_t *,
	    const char *, int, json_t **);
int	 ctl_call_csv(struct ctl *, const char *, struct ctl_reply *);

/* ctl_warn.c: a message on stderr; stdout that could not be written. */
int	 ctl_finish_stdout(int);
void	 ctl_warnx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * ctl_list.c: a list the API gives in pages: GET path?query, its items
 * under key, and next_cursor to go on from.  One page, or with all every
 * page by following next_cursor.  With --json and all, one object with
 * every item, written as the pages arrive, so that a long list is never
 * held whole in memory; the table has to be, to align its columns, but
 * keeps only its cells.
 */
struct ctl_pager {
	const char	 *pg_path;
	const char	 *pg_query;	/* "state=x&limit=2", or "" */
	const char	 *pg_key;	/* "cases": the member of the items */
	const char	 *pg_what;	/* N_("cases"): what they are, said */
	/*
	 * A page of more than one list (at-risk: at_risk, then suspended):
	 * their keys, NULL-terminated, at most CTL_PARTS_MAX, in the order
	 * the pages give them (a list's items all come before the next
	 * list's, so that --json --all writes each list whole), in place of
	 * pg_key.  Each list is a table of its own,
	 * under the line pg_heading prints for it from the first page; with
	 * --json --all, the members pg_keep names come from the first page.
	 */
	const char *const *pg_parts;
	void		(*pg_heading)(FILE *, size_t, const json_t *);
	const char *const *pg_keep;
	const char	 *pg_cursor;	/* where to begin, or NULL */
	int		  pg_all;
	/*
	 * The list logs its own reading (who read a case): each page adds a
	 * row at its end, so it ends at the row of its first page, or with
	 * a page of one it would never end.
	 */
	int		  pg_self;
	struct ctl_table *(*pg_table)(void);
	void		(*pg_add)(struct ctl_table *, const json_t *);
	/*
	 * For ctl_list_command: the filters, each --NAME sent as NAME
	 * (NULL-terminated, at most CTL_FILTERS_MAX), and the largest
	 * --limit (0: no bound of the client's own).
	 */
	const char *const *pg_filters;
	long		  pg_max;
};
#define CTL_FILTERS_MAX	8
#define CTL_PARTS_MAX	4
int	 ctl_list_pages(struct ctl *, const struct ctl_pager *);
/*
 * A list command: the pager's filters, --limit, --cursor and --all; a
 * path with "{id}" in it takes one argument, the case id, there.
 */
int	 ctl_list_command(struct ctl *, const struct ctl_cmd *, int, char **,
	    const struct ctl_pager *);
/* name=value appended to a query string (allocated); NULL values are left out. */
void	 ctl_list_query_add(char **, const char *, const char *);

/*
 * ctl_usage.c: the usage of every command, of a group (case, token, ...),
 * or of one, and "help"; a word that names no command, said with the one
 * most likely meant; a usage error (exit status 2), with the usage.
 */
void	 ctl_usage(FILE *);
int	 ctl_usage_help(int, char **);
int	 ctl_usage_unknown(int, char **, int);
void	 ctl_usage_command(const struct ctl_cmd *, FILE *);
size_t	 ctl_usage_group_size(const char *);
void	 ctl_usage_group(const char *, FILE *);
int	 ctl_usage_error(const struct ctl_cmd *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The usage error of a name (--team, a token's NAME) not of its form. */
int	 ctl_usage_name(const struct ctl_cmd *, const char *what);

/* ctl_admin.c: the administrator's commands, over the API or offline. */
int	 ctl_admin_token_create(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_admin_token_revoke(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_admin_token_rename(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_admin_team_add(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_admin_list(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_admin_retention_run(struct ctl *, const struct ctl_cmd *, int,
	    char **);
int	 ctl_admin_audit_verify(struct ctl *, const struct ctl_cmd *, int,
	    char **);

/* ctl_routes.c: which team fills a function (team route, unroute, routes). */
int	 ctl_routes_set(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_routes_remove(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_routes_list(struct ctl *, const struct ctl_cmd *, int, char **);
void	 ctl_print_routes(FILE *, const json_t *);

/*
 * ctl_late.c: how late a deadline is ("12 days (6 working)", "passed
 * today"), from an item of GET /v1/overdue or a deadline of a case; and
 * the deadlines of a case that passed, for case show.
 */
const char *ctl_late_age(const json_t *, char *, size_t);
void	 ctl_late_passed(FILE *, const json_t *);

/* ctl_penalty.c: the penalty a case runs up, for case show. */
void	 ctl_penalty_print(FILE *, const json_t *);

/* ctl_views.c: the supervisor's views over many cases, and assignment. */
int	 ctl_views_overdue(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_views_at_risk(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_views_summary(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_views_queue(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_views_report(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_views_people(struct ctl *, const struct ctl_cmd *, int, char **);
int	 ctl_views_assign(struct ctl *, const struct ctl_cmd *, int, char **);

/*
 * ctl_api.c: one request at a time over one libcurl handle, so that paging
 * through a long list reuses its connection.
 */

struct ctl_reply {
	long	 cr_status;
	char	 cr_reason[64];		/* from the status line */
	int	 cr_problem;		/* application/problem+json */
	json_t	*cr_json;		/* the parsed body, or NULL */
	/* A CSV answer (ctl_api_csv): its bytes, and the next page's path. */
	char	*cr_text;
	size_t	 cr_len;
	char	*cr_next;
};

#define CTL_PURPOSE_MAX	PURPOSE_MAX	/* bytes of Read-Purpose, at most */

struct ctl_api	*ctl_api_new(const char *url, const char *token,
		    const char *purpose, const char *lang, long timeout_ms,
		    char *err, size_t errlen);
int	 ctl_api_purpose_valid(const char *);
/*
 * The free text of an option (--note, --purpose, ...), or NULL: UTF-8 of
 * at most max bytes (limits.h), as termijnd takes it, or a usage error
 * naming the option and the limit before anything is sent or written.
 * The exit status.
 */
int	 ctl_api_text(const struct ctl_cmd *, const char *opt, const char *,
	    size_t max);
void	 ctl_api_free(struct ctl_api *);
const char *ctl_api_url(const struct ctl_api *);
const char *ctl_api_request_id(const struct ctl_api *);
/* 0 with any answer from the server, -1 (message printed) without one. */
int	 ctl_api_request(struct ctl_api *, const char *method, const char *path,
	    const json_t *body, const char *idem_key, struct ctl_reply *);
int	 ctl_api_csv(struct ctl_api *, const char *, struct ctl_reply *);
void	 ctl_reply_clear(struct ctl_reply *);
char	*ctl_api_escape(const char *);

/*
 * ctl_db.c: the database offline.  Who writes there (the administrator
 * at the database itself); the database to read while termijnd may write
 * it (the exit status); one write on it through the engine, its refusal
 * printed; a list from GET path, or with a database from it, printed or
 * as JSON.
 */
extern const struct actor ctl_db_admin;
int	 ctl_db_read(const char *, struct store **);
int	 ctl_db_write(const char *, int (*)(struct engine *, void *,
	    struct engine_error *), void *);
int	 ctl_db_list(struct ctl *, const char *db, const char *path,
	    const char *key, enum store_status (*)(struct store *, json_t *),
	    void (*)(FILE *, const json_t *));

/* ctl_flags.c: a refusal's field names as the flags that set them. */
char	*ctl_flag_words(const char *);

/* ctl_csv.c: a view as the API's CSV, one page or every page. */
int	 ctl_csv_pages(struct ctl *, const char *, const char *,
	    const char *, int);

/* ctl_notify.c: a case's notifications, and what became of each. */
void	 ctl_notify_print(FILE *, const json_t *);

/*
 * ctl_title.c: a name as people read it: o's member key by its title
 * ("state" by "state_title"), what o is called ("title", else "name"),
 * and "Title (name)" where the name is typed next (allocated; key NULL:
 * o's own); the name where there is no title.  And the events a case
 * accepts, name and title, a line each.
 */
const char *ctl_title(const json_t *, const char *key);
const char *ctl_title_of(const json_t *);
char	*ctl_title_named(const json_t *, const char *key);
const char *ctl_person(const json_t *, const char *key);
char	*ctl_person_named(const json_t *, const char *key);
void	 ctl_title_accepts(FILE *, const json_t *);

/* ctl_table.c: aligned plain-text tables. */
struct ctl_table;

struct ctl_table *ctl_table_new(size_t ncols, const char *const *headers);
void	 ctl_table_add(struct ctl_table *, const char *const *cells);
void	 ctl_table_print(const struct ctl_table *, FILE *);
void	 ctl_table_print_indented(const struct ctl_table *, FILE *, size_t);
void	 ctl_table_trailer(struct ctl_table *, const char *);
size_t	 ctl_table_rows(const struct ctl_table *);
void	 ctl_table_free(struct ctl_table *);
char	*ctl_table_clean(const char *);
size_t	 ctl_table_width(const char *);

/*
 * ctl_print_case.c: a case, with its history (the transitions), notes
 * wrapped to width; a row of the case list; a case's history.
 */
void	 ctl_print_case(FILE *, const json_t *, const json_t *, size_t);
/* One deadline of a case: its block, explanation and ladder. */
void	 ctl_print_deadline(FILE *, const json_t *);
struct ctl_table *ctl_print_cases_new(void);
void	 ctl_print_cases_add(struct ctl_table *, const json_t *);
void	 ctl_print_transitions(FILE *, const json_t *, size_t indent,
	    size_t width);

/* ctl_print.c: how the API's objects are shown to people. */
#define CTL_PRINT_WIDTH	100	/* columns that explanations are wrapped to */

#define CTL_NOTE_WIDTH	72	/* columns notes wrap to off a terminal */

void	 ctl_print_json(FILE *, const json_t *);
size_t	 ctl_print_width(FILE *);
char	*ctl_print_safe(const char *);
char	*ctl_print_note(const char *, const char *, size_t, size_t);
struct ctl_table *ctl_print_notifications_new(void);
void	 ctl_print_notifications_add(struct ctl_table *, const json_t *);
void	 ctl_print_workflows(FILE *, json_t *);
void	 ctl_print_refused(FILE *, const json_t *);
void	 ctl_print_teams(FILE *, const json_t *);
void	 ctl_print_tokens(FILE *, const json_t *, int64_t now);
struct ctl_table *ctl_print_reads_new(void);
void	 ctl_print_reads_add(struct ctl_table *, const json_t *);
void	 ctl_print_destroyed(FILE *, const json_t *);
const char *ctl_print_value(const json_t *, char *, size_t);
const json_t *ctl_print_next_due(const json_t *, int *);
const char *ctl_print_span(int64_t, char *, size_t);
const char *ctl_print_time_left(int64_t, char *, size_t);
int64_t	 ctl_print_days_left(int64_t, const char *);
char	*ctl_print_deadline_state(const json_t *);
char	*ctl_print_deadline_due(const json_t *);
char	*ctl_print_rung_status(const json_t *);
void	 ctl_print_wrapped(FILE *, const char *, size_t, size_t);
/* The strings of an array, cleaned, sep between them; allocated. */
char	*ctl_print_joined(const json_t *, const char *sep);
/* A member as text; numbers need buf, and without one show as "?". */
const char *ctl_print_field(const json_t *, const char *, char *, size_t);
/* A deadline suspended: running is false. */
int	 ctl_print_suspended(const json_t *);
/* A table of the objects of a list, a column for each of n keys. */
void	 ctl_print_list(FILE *, const json_t *, const char *const *head,
	    const char *const *keys, size_t n, size_t indent);

/*
 * ctl_problem.c: "termijnctl: 409 Conflict: detail" for an error answer,
 * and what to do next where the answer says (the events a state accepts,
 * the legal bases a sharing step may use).
 */
void	 ctl_problem_print(FILE *, long status, const char *reason,
	    const json_t *);

#endif /* TERMIJN_CTL_H */
