/* termijn: termijnctl's administrator's commands: tokens, teams, retention, the audit chain. */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "termijn/audit.h"
#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/name.h"
#include "termijn/role.h"
#include "termijn/store.h"
#include "termijn/text.h"
#include "termijn/token.h"
#include "termijn/util.h"
#include "termijn/view.h"

#include "ctl.h"

/*
 * Most of these commands work two ways.  Over the API, with an admin
 * token, like every other command.  Or offline, on the database (--db),
 * for an administrator who holds no token yet (the first tokens of an
 * installation) or cannot reach termijnd; termijnd may run meanwhile.
 * Offline reads open the database read-only and never migrate it; offline
 * writes go through the engine, one transaction each (engine_write_one),
 * with the effects and log lines of the same write over the API.  The
 * database must exist: termijnd creates and migrates it when it first
 * starts, and a token made in an empty file would work nowhere.  Offline,
 * --json prints what the API would answer.
 */

#define RETENTION_MAX	1000	/* cases a run takes at most, as termijnd says */

/* What token create hands to the engine's write, and what it prints. */
struct token_create {
	struct token_row	 tc_row;
	const char		*tc_expires;
	char			 tc_token[TOKEN_LEN];
};

struct token_revoke {
	const char	*tr_name;
	int64_t		 tr_at;
};

/* What token rename hands to the engine's write. */
struct token_rename {
	const char	*tn_name;
	const char	*tn_display;	/* "" for none */
	struct token_row tn_row;	/* the token after it */
};

static int	 token_create_api(struct ctl *, const char *, const char *,
		    const struct ctl_list *, const char *, const char *);
static int	 token_create_apply(struct engine *, void *,
		    struct engine_error *);
static int	 token_print(const char *, const struct token_create *);
static int	 token_revoke_apply(struct engine *, void *,
		    struct engine_error *);
static int	 token_rename_apply(struct engine *, void *,
		    struct engine_error *);
static int	 display_name_arg(const struct ctl_cmd *, const char *);
static int	 team_add_apply(struct engine *, void *, struct engine_error *);
static enum store_status tokens_each(struct store *, json_t *);
static enum store_status token_cb(const struct token_row *, void *);
static enum store_status teams_each(struct store *, json_t *);
static enum store_status team_cb(const struct team_row *, void *);
static void	 print_tokens(FILE *, const json_t *);

/*
 * token create: over the API (POST /v1/tokens) or offline (--db).  Either
 * way the token is printed alone on stdout, once: termijn keeps only its
 * hash.
 */
int
ctl_admin_token_create(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL, *name = NULL, *role = NULL;
	const char		*expires = NULL, *display = NULL;
	struct ctl_list		 teams = { NULL, 0 };
	const struct ctl_opt	 opts[] = {
		{ "db", &db, NULL, NULL },
		{ "name", &name, NULL, NULL },
		{ "role", &role, NULL, NULL },
		{ "team", NULL, NULL, &teams },
		{ "expires", &expires, NULL, NULL },
		{ "display-name", &display, NULL, NULL },
	};
	struct token_create	 tc;
	char			 **pos;
	size_t			 i, len = 0;
	int			 ret;

	memset(&tc, 0, sizeof(tc));
	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		goto done;
	if (name == NULL || role == NULL) {
		ret = ctl_usage_error(cmd, _("--name and --role are required"));
		goto done;
	}
	if (!name_valid(name)) {
		ret = ctl_usage_name(cmd, "--name");
		goto done;
	}
	if (display != NULL && (ret = display_name_arg(cmd, display)) !=
	    CTL_EXIT_OK) {
		goto done;
	}
	if (!role_valid(role) || strcmp(role, "system") == 0) {
		ret = ctl_usage_error(cmd, _("--role: unknown role %s (%s)"),
		    role, ROLE_LIST_PEOPLE);
		goto done;
	}
	if (teams.cl_count == 0 && strcmp(role, "admin") != 0 &&
	    strcmp(role, "metrics") != 0) {
		ret = ctl_usage_error(cmd, _("--team: a token with role %s"
		    " needs at least one team"), role);
		goto done;
	}
	snprintf(tc.tc_row.tk_name, sizeof(tc.tc_row.tk_name), "%s", name);
	snprintf(tc.tc_row.tk_role, sizeof(tc.tc_row.tk_role), "%s", role);
	for (i = 0; i < teams.cl_count; i++) {
		if (!name_valid(teams.cl_values[i]) ||
		    len + strlen(teams.cl_values[i]) + 2 >
		    sizeof(tc.tc_row.tk_teams)) {
			ret = ctl_usage_error(cmd, _("--team: \"%.64s\" is not"
			    " a team name"), teams.cl_values[i]);
			goto done;
		}
		len += (size_t)snprintf(tc.tc_row.tk_teams + len,
		    sizeof(tc.tc_row.tk_teams) - len, "%s%s", i ? "," : "",
		    teams.cl_values[i]);
	}
	if (display != NULL)
		snprintf(tc.tc_row.tk_display_name,
		    sizeof(tc.tc_row.tk_display_name), "%s", display);
	tc.tc_expires = expires;
	if (db == NULL)
		ret = token_create_api(ctl, name, role, &teams, expires,
		    display);
	else if ((ret = ctl_db_write(db, token_create_apply,
	    &tc)) == CTL_EXIT_OK)
		ret = token_print(db, &tc);
done:
	explicit_bzero(&tc, sizeof(tc));
	free(teams.cl_values);
	return ret;
}

/*
 * POST /v1/tokens.  The answer holds the token, which is printed alone;
 * with --json the whole answer, which holds it too.
 */
static int
token_create_api(struct ctl *ctl, const char *name, const char *role,
    const struct ctl_list *teams, const char *expires, const char *display)
{
	json_t		*body, *list, *reply = NULL;
	const char	*token;
	size_t		 i;
	int		 ret;

	list = json_array();
	for (i = 0; i < teams->cl_count; i++)
		json_array_append_new(list, json_string(teams->cl_values[i]));
	body = json_pack("{s:s, s:s, s:o}", "name", name, "role", role,
	    "teams", list);
	if (expires != NULL)
		json_object_set_new(body, "expires", json_string(expires));
	if (display != NULL)
		json_object_set_new(body, "display_name", json_string(display));
	ret = ctl_call(ctl, "POST", "/v1/tokens", body, NULL, 1, &reply);
	json_decref(body);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else if ((token = json_string_value(json_object_get(reply,
	    "token"))) != NULL)
		printf("%s\n", token);
	else {
		ctl_warnx(_("%s: the answer holds no token"), ctl->c_url);
		ret = CTL_EXIT_ERR;
	}
	json_decref(reply);
	return ret;
}

static int
token_create_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct token_create	*tc = arg;
	int64_t			 now = clock_now();

	if (engine_token_expiry(tc->tc_expires, now, &tc->tc_row.tk_expires_at,
	    ee) == -1 ||
	    engine_token_add(en, &ctl_db_admin, &tc->tc_row, tc->tc_token,
	    sizeof(tc->tc_token), now, ee) == -1)
		return -1;
	return 0;
}

/*
 * The token goes to stdout alone once its write committed: nothing is
 * printed that is not stored (a full disk refuses the commit).  Should
 * stdout fail then, a token exists that nobody has seen: it works nowhere
 * until someone has it, and the message says how to revoke it.
 */
static int
token_print(const char *db, const struct token_create *tc)
{
	if (printf("%s\n", tc->tc_token) < 0 || fflush(stdout) == EOF) {
		ctl_warnx(_("stdout: %s; token %s was made but not shown:"
		    " revoke it (termijnctl token revoke --db %s %s) and make"
		    " another"), strerror(errno), tc->tc_row.tk_name, db,
		    tc->tc_row.tk_name);
		return CTL_EXIT_ERR;
	}
	return CTL_EXIT_OK;
}

/*
 * token list and team list: GET /v1/tokens or /v1/teams, or the
 * database's; never a token itself.
 */
int
ctl_admin_list(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL;
	const struct ctl_opt	 opts[] = {
		{ "db", &db, NULL, NULL },
	};
	char			**pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		return ret;
	if (strcmp(cmd->cc_name, "token") == 0)
		return ctl_db_list(ctl, db, "/v1/tokens", "tokens",
		    tokens_each, print_tokens);
	return ctl_db_list(ctl, db, "/v1/teams", "teams", teams_each,
	    ctl_print_teams);
}

static enum store_status
tokens_each(struct store *st, json_t *list)
{
	return store_tokens_each(st, token_cb, list);
}

static enum store_status
token_cb(const struct token_row *tk, void *arg)
{
	json_array_append_new(arg, view_token(tk));
	return STORE_OK;
}

static enum store_status
teams_each(struct store *st, json_t *list)
{
	return store_teams_each(st, team_cb, list);
}

static enum store_status
team_cb(const struct team_row *tm, void *arg)
{
	json_array_append_new(arg, view_team(tm));
	return STORE_OK;
}

/* Tokens as of now, by this machine's clock. */
static void
print_tokens(FILE *fp, const json_t *list)
{
	ctl_print_tokens(fp, list, clock_now());
}

/*
 * token revoke NAME: DELETE /v1/tokens/NAME, or offline on the database.
 * termijnd looks a token up on every request, so either way it fails from
 * the very next one.
 */
int
ctl_admin_token_revoke(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL;
	const struct ctl_opt	 opts[] = {
		{ "db", &db, NULL, NULL },
	};
	struct token_revoke	 tr;
	json_t			*reply = NULL;
	char			*path, *e, **pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if (!name_valid(pos[0]))
		return ctl_usage_name(cmd, _("NAME"));
	if (db == NULL) {
		e = ctl_api_escape(pos[0]);
		xasprintf(&path, "/v1/tokens/%s", e);
		free(e);
		ret = ctl_call(ctl, "DELETE", path, NULL, NULL, 1, &reply);
		free(path);
	} else {
		tr.tr_name = pos[0];
		tr.tr_at = clock_now();
		if ((ret = ctl_db_write(db, token_revoke_apply,
		    &tr)) == CTL_EXIT_OK)
			reply = json_pack("{s:s, s:o}", "name", pos[0],
			    "revoked_at", view_time(tr.tr_at));
	}
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		printf(_("token %s revoked at %s\n"), pos[0],
		    ctl_print_value(json_object_get(reply, "revoked_at"), NULL,
		    0));
	json_decref(reply);
	return CTL_EXIT_OK;
}

static int
token_revoke_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct token_revoke	*tr = arg;

	return engine_token_revoke(en, &ctl_db_admin, tr->tr_name, tr->tr_at,
	    ee);
}

/*
 * token rename NAME --display-name TEXT | --none: PATCH /v1/tokens/NAME,
 * or offline on the database.  The token's name, which people and
 * scripts type, stays; what changes is the name people read.  Prints the
 * token as token list shows it.
 */
int
ctl_admin_token_rename(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL, *display = NULL;
	int			 none = 0;
	const struct ctl_opt	 opts[] = {
		{ "db", &db, NULL, NULL },
		{ "display-name", &display, NULL, NULL },
		{ "none", NULL, &none, NULL },
	};
	struct token_rename	 tn;
	json_t			*body, *reply = NULL, *list;
	char			*path, *e, **pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if (!name_valid(pos[0]))
		return ctl_usage_name(cmd, _("NAME"));
	if ((display == NULL) == !none)
		return ctl_usage_error(cmd, "%s", _("give --display-name TEXT,"
		    " or --none to take the display name away"));
	if (display != NULL && (ret = display_name_arg(cmd, display)) !=
	    CTL_EXIT_OK)
		return ret;
	if (db == NULL) {
		body = json_pack("{s:o}", "display_name", display != NULL ?
		    json_string(display) : json_null());
		e = ctl_api_escape(pos[0]);
		xasprintf(&path, "/v1/tokens/%s", e);
		free(e);
		ret = ctl_call(ctl, "PATCH", path, body, NULL, 1, &reply);
		free(path);
		json_decref(body);
	} else {
		memset(&tn, 0, sizeof(tn));
		tn.tn_name = pos[0];
		tn.tn_display = display != NULL ? display : "";
		if ((ret = ctl_db_write(db, token_rename_apply,
		    &tn)) == CTL_EXIT_OK)
			reply = view_token(&tn.tn_row);
	}
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		list = json_pack("[O]", reply);
		ctl_print_tokens(stdout, list, clock_now());
		json_decref(list);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

static int
token_rename_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct token_rename	*tn = arg;
	int64_t			 now = clock_now();

	if (engine_token_display_name(en, &ctl_db_admin, tn->tn_name,
	    tn->tn_display, now, ee) == -1)
		return -1;
	if (store_token_by_name(engine_store(en), tn->tn_name, now,
	    &tn->tn_row) != STORE_OK) {
		snprintf(ee->ee_msg, sizeof(ee->ee_msg), _("the database failed"
		    " reading token %s"), tn->tn_name);
		ee->ee_status = ENGINE_ESTORE;
		return -1;
	}
	return 0;
}

/*
 * team add NAME --title T [--organisation O]: POST /v1/teams, or offline.
 * Prints the team as team list shows it.
 */
int
ctl_admin_team_add(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL, *title = NULL, *org = NULL;
	const struct ctl_opt	 opts[] = {
		{ "title", &title, NULL, NULL },
		{ "organisation", &org, NULL, NULL },
		{ "db", &db, NULL, NULL },
	};
	struct team_row		 tm;
	json_t			*body, *reply = NULL, *list;
	char			 **pos;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if (!name_valid(pos[0]))
		return ctl_usage_name(cmd, _("NAME"));
	if (title == NULL || *title == '\0')
		return ctl_usage_error(cmd, _("--title is required: what people"
		    " call the team"));
	if ((ret = ctl_api_text(cmd, "--title", title, TITLE_MAX)) !=
	    CTL_EXIT_OK || (ret = ctl_api_text(cmd, "--organisation", org,
	    ORGANISATION_MAX)) != CTL_EXIT_OK)
		return ret;
	if (db == NULL) {
		body = json_pack("{s:s, s:s}", "name", pos[0], "title", title);
		if (org != NULL)
			json_object_set_new(body, "organisation",
			    json_string(org));
		ret = ctl_call(ctl, "POST", "/v1/teams", body, NULL, 1, &reply);
		json_decref(body);
	} else {
		memset(&tm, 0, sizeof(tm));
		snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", pos[0]);
		snprintf(tm.tm_title, sizeof(tm.tm_title), "%s", title);
		if (org != NULL)
			snprintf(tm.tm_organisation,
			    sizeof(tm.tm_organisation), "%s", org);
		tm.tm_created_at = clock_now();
		if ((ret = ctl_db_write(db, team_add_apply,
		    &tm)) == CTL_EXIT_OK)
			reply = view_team(&tm);
	}
	if (ret != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		list = json_pack("[O]", reply);
		ctl_print_teams(stdout, list);
		json_decref(list);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

static int
team_add_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	const struct team_row	*tm = arg;

	return engine_team_add(en, &ctl_db_admin, tm, tm->tm_created_at, ee);
}

/*
 * retention run: POST /v1/retention, over the API only: it destroys cases
 * for real, and termijnd scrubs their bytes from its files as it does.
 * Prints what was destroyed, or with --dry-run what would be; and after a
 * run that destroyed something, whether the bytes of destroyed cases are
 * gone from the database's files: a reader holding an older snapshot keeps
 * them there until it ends, and every run says so until they are.
 */
int
ctl_admin_retention_run(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*limit = NULL;
	int			 dry = 0;
	const struct ctl_opt	 opts[] = {
		{ "dry-run", NULL, &dry, NULL },
		{ "limit", &limit, NULL, NULL },
	};
	const json_t		*cases, *scrubbed;
	json_t			*reply = NULL;
	char			 path[96], **pos;
	size_t			 n;
	int			 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_count(cmd, "--limit", limit, RETENTION_MAX)) !=
	    CTL_EXIT_OK)
		return ret;
	snprintf(path, sizeof(path), "/v1/retention?dryRun=%s%s%s",
	    dry ? "true" : "false", limit != NULL ? "&limit=" : "",
	    limit != NULL ? limit : "");
	if ((ret = ctl_call(ctl, "POST", path, NULL, NULL, 1, &reply)) !=
	    CTL_EXIT_OK)
		return ret;
	if (ctl->c_json) {
		ctl_print_json(stdout, reply);
		json_decref(reply);
		return CTL_EXIT_OK;
	}
	cases = json_object_get(reply, dry ? "would_destroy" : "destroyed");
	n = json_array_size(cases);
	if (dry)
		printf(P_("dry run: %zu case past its retention would be"
		    " destroyed; nothing was changed\n", "dry run: %zu cases"
		    " past their retention would be destroyed; nothing was"
		    " changed\n", n), n);
	else
		printf(P_("destroyed %zu case past its retention\n",
		    "destroyed %zu cases past their retention\n", n), n);
	if (n > 0)
		ctl_print_destroyed(stdout, cases);
	/*
	 * After a run that destroyed something, or while what an earlier one
	 * destroyed is still in the files.
	 */
	scrubbed = json_object_get(reply, "scrubbed");
	if (!dry && n > 0 && json_is_true(scrubbed))
		printf("%s\n", _("the bytes of destroyed cases are gone from"
		    " the database's files"));
	else if (!dry && json_is_false(scrubbed))
		printf("%s\n", _("the bytes of destroyed cases are still in"
		    " the database's files: a reader holds an older snapshot"
		    " (a backup, an offline termijnctl); termijnd removes them"
		    " once it ends"));
	/* On stderr, so that the table stays a table. */
	if (json_is_true(json_object_get(reply, "more")) && dry)
		ctl_warnx("%s", _("more cases are past their retention: run"
		    " again (without --dry-run, each run takes the next)"));
	else if (json_is_true(json_object_get(reply, "more")))
		ctl_warnx("%s", _("more cases are past their retention: run"
		    " again"));
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* How many findings audit verify prints; it counts the rest. */
#define AUDIT_FINDINGS_SHOWN	100

/* One finding of audit verify, a line: about a link, or a case's tables. */
static void
audit_finding(const struct audit_finding *af, void *arg)
{
	int64_t	*n = arg;

	if ((*n)++ >= AUDIT_FINDINGS_SHOWN)
		return;
	if (af->af_link == 0)
		printf("BROKEN: %s\n", af->af_msg);
	else if (af->af_case != 0)
		/* TRANSLATORS: BROKEN stays: scripts look for it. */
		printf(_("BROKEN at transition %lld (case %lld): %s\n"),
		    (long long)af->af_link, (long long)af->af_case,
		    af->af_msg);
	else
		/* TRANSLATORS: BROKEN stays: scripts look for it. */
		printf(_("BROKEN at transition %lld: %s\n"),
		    (long long)af->af_link, af->af_msg);
}

/*
 * Offline: walk the audit chain of a database, termijnd running or not,
 * and check the tables against it.  Intact: "OK", the number of links,
 * cases and the head (keep it: a later --head checks that the chain still
 * holds it).  Broken: each finding on a line (the first link that is
 * wrong, or every case whose tables disagree with the chain), exit 1.
 */
int
ctl_admin_audit_verify(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char		*db = NULL, *head = NULL;
	const struct ctl_opt	 opts[] = {
		{ "db", &db, NULL, NULL },
		{ "head", &head, NULL, NULL },
	};
	struct audit_report	 ar;
	struct store		*st;
	unsigned char		 want[HASH_SHA256_LEN];
	char			 hex[HASH_SHA256_HEX_LEN], **pos, *end;
	char			 nlinks[64], nmarks[64], ncases[128];
	long long		 want_id = 0;
	int64_t			 shown = 0, links;
	int			 ret, rc;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		return ret;
	if (db == NULL)
		return ctl_usage_error(cmd, _("--db is required"));
	if (head != NULL) {
		want_id = strtoll(head, &end, 10);
		if (end == head || *end != ':' || want_id < 1 ||
		    hash_unhex(end + 1, want) == -1)
			return ctl_usage_error(cmd, "%s", _("--head: ID:HASH,"
			    " as a syslog line \"audit head id=ID hash=HASH\" or"
			    " an earlier verify gives it"));
	}
	if ((ret = ctl_db_read(db, &st)) != CTL_EXIT_OK)
		return ret;
	rc = audit_verify_each(st, want_id, head != NULL ? want : NULL,
	    audit_finding, &shown, &ar);
	store_close(st);
	if (rc == -1) {
		fprintf(stderr, "termijnctl: %s: %s\n", db, ar.ar_msg);
		return CTL_EXIT_ERR;
	}
	if (rc == 1) {
		if (ar.ar_findings > AUDIT_FINDINGS_SHOWN)
			/* TRANSLATORS: BROKEN stays: scripts look for it. */
			printf(_("BROKEN: and %lld more\n"), (long long)
			    (ar.ar_findings - AUDIT_FINDINGS_SHOWN));
		return ctl_finish_stdout(CTL_EXIT_ERR);
	}
	hash_hex(ar.ar_head, hex);
	links = ar.ar_links - ar.ar_marks;
	snprintf(nlinks, sizeof(nlinks), P_("%lld transition",
	    "%lld transitions", links), (long long)links);
	snprintf(nmarks, sizeof(nmarks), P_("%lld mark", "%lld marks",
	    ar.ar_marks), (long long)ar.ar_marks);
	snprintf(ncases, sizeof(ncases), P_("%lld case agrees with the chain",
	    "%lld cases agree with the chain", ar.ar_cases),
	    (long long)ar.ar_cases);
	/*
	 * TRANSLATORS: OK stays: scripts look for it.  "OK: 12 transitions,
	 * 2 of them destroyed with their case; 1 mark; 4 cases agree with
	 * the chain; head 12:HASH".
	 */
	printf(_("OK: %s, %lld of them destroyed with their case; %s; %s;"
	    " head %lld:%s\n"), nlinks, (long long)ar.ar_gaps, nmarks, ncases,
	    (long long)ar.ar_head_id, hex);
	return ctl_finish_stdout(CTL_EXIT_OK);
}

/*
 * A person's name as people read it, checked as termijnd checks it
 * before anything is sent or written; the refusal quotes nothing of it.
 */
static int
display_name_arg(const struct ctl_cmd *cmd, const char *display)
{
	char	err[256];

	if (text_check_name("--display-name", display, DISPLAY_NAME_MAX, err,
	    sizeof(err)) == 0)
		return CTL_EXIT_OK;
	return ctl_usage_error(cmd, "%s", err);
}
