/* termijn: termijnctl's case commands: register, show, list, record an event, share, correct. */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/limits.h"
#include "termijn/name.h"
#include "termijn/util.h"

#include "ctl.h"

static int	print_case_reply(struct ctl *, int, json_t *);
static int	fetch_history(struct ctl *, int64_t, json_t **);
static int	read_note(const struct ctl_cmd *, const char *, char *,
		    size_t);
static int	body_text(json_t *, const char *, const char *);
static int	case_team_post(struct ctl *, const struct ctl_cmd *,
		    const char *, const char *, const char *,
		    const struct ctl_opt *, size_t);
static int	team_arg(const struct ctl_cmd *, const char *);

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
	/* Accepted, but nothing recorded (a premature notice of default). */
	if (json_is_false(json_object_get(reply, "recorded"))) {
		text = ctl_table_clean(json_string_value(json_object_get(reply,
		    "explanation")));
		ctl_warnx(_("nothing recorded: %s"), text);
		free(text);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* POST /v1/cases */
int
ctl_case_create(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_show(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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

/* GET /v1/cases, one page or --all. */
int
ctl_case_list(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_event(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
	int	 err, own = strcmp(file, "-") != 0;

	if (own && (f = fopen(file, "rb")) == NULL)
		return ctl_usage_error(cmd, "--note-file %s: %s", file,
		    strerror(errno));
	n = fread(buf, 1, len - 1, f);
	err = ferror(f);
	if (own)
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
int
ctl_case_transitions(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_share(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_unshare(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_correct(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_coordinate(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_access(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
int
ctl_case_export(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
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
