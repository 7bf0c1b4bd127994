/* termijn: who may see and do what, the read log, and administration. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/name.h"
#include "termijn/period.h"
#include "termijn/role.h"
#include "termijn/store.h"
#include "termijn/text.h"
#include "termijn/token.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

static int	 engine_display_name(const char *, struct engine_error *);

/*
 * Who may do what.  A token has one role and one or more teams.  It sees
 * and acts on the cases its teams own and the cases its teams take part
 * in, and nothing else: any other case is "not found", for every verb,
 * exactly as a case that does not exist, so that nothing about it leaks.
 * The store filters by the token in the SQL itself (store_case_get_for,
 * cf_token), never after the fact.  Within a case the workflow says which
 * roles may record each event.  A reader only reads; an admin manages
 * teams, tokens and workflows and sees no case content at all.  Timers act
 * as the engine itself and are not actors here.
 */

/* Whether a comma-separated list holds a name. */
int
engine_list_has(const char *list, const char *name)
{
	size_t	n = strlen(name);
	const char *p;

	for (p = list; p != NULL && *p != '\0'; p = strchr(p, ',') ?
	    strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

int
engine_actor_in_team(const struct actor *who, const char *team)
{
	return engine_list_has(who->ac_teams, team);
}

/* An actor that may act on cases at all: not admin, not reader. */
int
engine_may_act(const struct actor *who, struct engine_error *ee)
{
	if (strcmp(who->ac_role, "admin") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role admin manages teams, tokens and workflows; it does"
		    " not act on cases"));
	if (strcmp(who->ac_role, "reader") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role reader may only read"));
	if (strcmp(who->ac_role, "feed") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role feed only reads a calendar feed"));
	if (strcmp(who->ac_role, "metrics") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role metrics only reads /metrics"));
	return 0;
}

/*
 * An actor that sees case content at all: not admin, not a feed or a
 * metrics token.
 */
int
engine_may_see(const struct actor *who, struct engine_error *ee)
{
	if (strcmp(who->ac_role, "admin") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role admin sees no case content; it manages teams, tokens"
		    " and workflows"));
	if (strcmp(who->ac_role, "feed") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role feed only reads a calendar feed"));
	if (strcmp(who->ac_role, "metrics") == 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("a token with"
		    " role metrics only reads /metrics"));
	return 0;
}

int
engine_case_read(struct engine *en, const struct actor *who, int64_t id,
    struct case_row *c, struct engine_error *ee)
{
	enum store_status	rc;

	if (engine_may_see(who, ee) == -1)
		return -1;
	rc = store_case_get_for(en->en_store, id, who->ac_token, c);
	if (rc == STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, N_("no case %lld"),
		    (long long)id);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("reading a case"));
	return 0;
}

int
engine_case_list(struct engine *en, const struct actor *who,
    const struct case_filter *f, store_case_cb *cb, void *arg,
    struct engine_error *ee)
{
	struct case_filter	mine = *f;
	enum store_status	rc;

	if (engine_may_see(who, ee) == -1)
		return -1;
	mine.cf_token = who->ac_token;
	if ((rc = store_case_list(en->en_store, &mine, cb, arg)) != STORE_OK)
		return engine_store_error(ee, rc, N_("listing cases"));
	return 0;
}

int
engine_case_history(struct engine *en, const struct case_row *c,
    int64_t after, int limit, store_transition_cb *cb, void *arg,
    struct engine_error *ee)
{
	enum store_status	rc;

	if ((rc = store_transitions_of_case(en->en_store, c->c_id, after, limit,
	    cb, arg)) != STORE_OK)
		return engine_store_error(ee, rc, N_("reading the history of"
		    " a case"));
	return 0;
}

int
engine_may_oversee(const struct actor *who, const struct case_row *c,
    struct engine_error *ee)
{
	if (strcmp(who->ac_role, "supervisor") != 0 ||
	    !engine_actor_in_team(who, c->c_team))
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only a"
		    " supervisor of team %s, which owns case %lld, may see who"
		    " read it or export it"), c->c_team, (long long)c->c_id);
	return 0;
}

/*
 * One row per read, in the caller's transaction: the read is answered
 * only if this row is committed with it.  Token names and ids, never
 * what was read.
 */
int
engine_read_log(struct engine *en, const struct actor *who, int64_t id,
    const char *what, int64_t now, struct engine_error *ee)
{
	struct read_row		rd;
	enum store_status	rc;

	memset(&rd, 0, sizeof(rd));
	rd.rd_case = id;
	rd.rd_at = now;
	snprintf(rd.rd_role, sizeof(rd.rd_role), "%s", who->ac_role);
	snprintf(rd.rd_what, sizeof(rd.rd_what), "%s", what);
	/* What the row keeps of the reader is kept whole, or not read. */
	if (engine_text("Read-Purpose", who->ac_purpose, PURPOSE_MAX,
	    ee) == -1)
		return -1;
	if (text_copy(rd.rd_token, sizeof(rd.rd_token), who->ac_name) == -1 ||
	    text_copy(rd.rd_teams, sizeof(rd.rd_teams), who->ac_teams) == -1 ||
	    text_copy(rd.rd_request, sizeof(rd.rd_request),
	    who->ac_request ? who->ac_request : "") == -1 ||
	    text_copy(rd.rd_purpose, sizeof(rd.rd_purpose),
	    who->ac_purpose ? who->ac_purpose : "") == -1)
		return engine_error(ee, ENGINE_EINVAL, N_("the reader's name,"
		    " teams or request id do not fit the read log"));
	if ((rc = store_read_insert(en->en_store, &rd)) != STORE_OK)
		return engine_store_error(ee, rc, N_("logging a read"));
	return 0;
}

int
engine_must_be_admin(const struct actor *who, struct engine_error *ee)
{
	if (strcmp(who->ac_role, "admin") != 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only a token"
		    " with role admin manages teams, tokens"
		    " and notifications"));
	return 0;
}

/* A team: a name of the same form as references, a title, maybe an organisation. */
int
engine_team_add(struct engine *en, const struct actor *who,
    const struct team_row *tm, int64_t now, struct engine_error *ee)
{
	struct team_row		t = *tm;
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	if (!name_valid(t.tm_name))
		return engine_error(ee, ENGINE_EINVAL, N_(N_("team must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit")));
	if (t.tm_title[0] == '\0')
		return engine_error(ee, ENGINE_EINVAL, N_("team %s needs a"
		    " title: what people call it"), t.tm_name);
	/* The row's buffers hold the limits: only UTF-8 is left to check. */
	if (engine_text("title", t.tm_title, TITLE_MAX, ee) == -1 ||
	    engine_text("organisation", t.tm_organisation, ORGANISATION_MAX,
	    ee) == -1)
		return -1;
	t.tm_created_at = now;
	if ((rc = store_team_insert(en->en_store, &t)) == STORE_EXISTS)
		return engine_error(ee, ENGINE_ECONFLICT, N_("team %s exists"
		    " already"), t.tm_name);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("adding a team"));
	record_note(en->en_record, "team added team=%s actor=%s", t.tm_name,
	    who->ac_name);
	return 0;
}

/*
 * Check a token's teams: each known, none twice; a token that acts on
 * cases needs at least one.  The list is rewritten sorted.
 */
int
engine_token_teams(struct engine *en, struct token_row *tk,
    struct engine_error *ee)
{
	struct team_row		 tm;
	char			*list, *team, *save, **names = NULL;
	size_t			 n = 0, i, len = 0;
	enum store_status	 rc;
	int			 ret = -1;

	list = xstrdup(tk->tk_teams);
	for (team = strtok_r(list, ",", &save); team != NULL;
	    team = strtok_r(NULL, ",", &save)) {
		if ((rc = store_team_get(en->en_store, team, &tm)) ==
		    STORE_NOTFOUND) {
			engine_error(ee, ENGINE_EINVAL, N_("no team \"%.64s\";"
			    " an administrator adds teams first"), team);
			goto done;
		}
		if (rc != STORE_OK) {
			engine_store_error(ee, rc, N_(N_("reading a team")));
			goto done;
		}
		for (i = 0; i < n; i++)
			if (strcmp(names[i], team) == 0)
				break;
		if (i < n) {
			engine_error(ee, ENGINE_EINVAL, N_("team %s is"
			    " named twice"), team);
			goto done;
		}
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = team;
	}
	/* Only admin and metrics tokens read no team's cases. */
	if (n == 0 && strcmp(tk->tk_role, "admin") != 0 &&
	    strcmp(tk->tk_role, "metrics") != 0) {
		engine_error(ee, ENGINE_EINVAL, N_("a token with role %s needs"
		    " at least one team"), tk->tk_role);
		goto done;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), engine_strcmp);
	tk->tk_teams[0] = '\0';
	for (i = 0; i < n; i++) {
		if (len + strlen(names[i]) + 2 > sizeof(tk->tk_teams)) {
			engine_error(ee, ENGINE_EINVAL, N_("too many teams"));
			goto done;
		}
		len += (size_t)snprintf(tk->tk_teams + len,
		    sizeof(tk->tk_teams) - len, "%s%s", i ? "," : "",
		    names[i]);
	}
	ret = 0;
done:
	free(names);
	free(list);
	return ret;
}

int
engine_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A token for a person: a name, one role, its teams, an expiry.  The
 * secret is made here and given back once; the store keeps its hash.
 */
int
engine_token_add(struct engine *en, const struct actor *who,
    struct token_row *tk, char *secret, size_t len, int64_t now,
    struct engine_error *ee)
{
	unsigned char		hash[HASH_SHA256_LEN];
	char			token[TOKEN_LEN];
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	if (!name_valid(tk->tk_name))
		return engine_error(ee, ENGINE_EINVAL, N_("name must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit"));
	if (!role_valid(tk->tk_role) || strcmp(tk->tk_role, "system") == 0)
		return engine_error(ee, ENGINE_EINVAL, N_("unknown role"
		    " \"%.64s\"; roles: %s"), tk->tk_role, ROLE_LIST_PEOPLE);
	if (tk->tk_expires_at != 0 && tk->tk_expires_at <= now)
		return engine_error(ee, ENGINE_EINVAL, N_("the token would"
		    " expire before it is made"));
	if (tk->tk_display_name[0] != '\0' && engine_display_name(
	    tk->tk_display_name, ee) == -1)
		return -1;
	if (engine_token_teams(en, tk, ee) == -1)
		return -1;
	if (len < TOKEN_LEN || token_generate(token, hash) == -1)
		return engine_error(ee, ENGINE_ESTORE, N_("cannot make"
		    " a token"));
	tk->tk_created_at = now;
	rc = store_token_insert(en->en_store, tk, hash);
	if (rc == STORE_EXISTS)
		return engine_error(ee, ENGINE_ECONFLICT, N_("a token named %s"
		    " exists already"), tk->tk_name);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("adding a token"));
	memcpy(secret, token, TOKEN_LEN);
	explicit_bzero(token, sizeof(token));
	record_note(en->en_record, "token added name=%s role=%s teams=%s"
	    " actor=%s", tk->tk_name, tk->tk_role, tk->tk_teams, who->ac_name);
	return 0;
}

int
engine_token_revoke(struct engine *en, const struct actor *who,
    const char *name, int64_t now, struct engine_error *ee)
{
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	if ((rc = store_token_revoke(en->en_store, name, now)) ==
	    STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, N_("no valid token"
		    " named \"%.64s\""), name);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("revoking a token"));
	record_note(en->en_record, "token revoked name=%s actor=%s", name,
	    who->ac_name);
	return 0;
}

/* A display name that may be stored; the refusal quotes nothing of it. */
static int
engine_display_name(const char *s, struct engine_error *ee)
{
	char	err[sizeof(ee->ee_msg)];

	if (text_check_name("display_name", s, DISPLAY_NAME_MAX, err,
	    sizeof(err)) == 0)
		return 0;
	return engine_error(ee, ENGINE_EINVAL, "%s", err);
}

/*
 * The log line says whose display name changed, never what it is: a
 * person's name is personal data.
 */
int
engine_token_display_name(struct engine *en, const struct actor *who,
    const char *name, const char *display, int64_t now,
    struct engine_error *ee)
{
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	if (display == NULL)
		display = "";
	if (display[0] != '\0' && engine_display_name(display, ee) == -1)
		return -1;
	if ((rc = store_token_set_display_name(en->en_store, name, display,
	    now)) == STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, N_("no valid token named"
		    " \"%.64s\""), name);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("changing a display name"));
	record_note(en->en_record, "token display name %s name=%s actor=%s",
	    display[0] != '\0' ? "set" : "removed", name, who->ac_name);
	return 0;
}

struct people_arg {
	store_token_cb	*pe_cb;
	void		*pe_arg;
};

static enum store_status
people_cb(const struct token_row *tk, void *arg)
{
	struct people_arg	*pe = arg;

	if (!role_works(tk->tk_role))
		return STORE_OK;
	return pe->pe_cb(tk, pe->pe_arg);
}

/*
 * Who works in a team, so that a case can be given to a colleague by
 * name.  Teams are no secret (every token lists them), and the people of
 * one's own team are one's colleagues; another team's people, and who
 * reads or only feeds a calendar, are not for a caseworker to list.
 */
int
engine_team_people(struct engine *en, const struct actor *who,
    const char *team, int64_t now, store_token_cb *cb, void *arg,
    struct engine_error *ee)
{
	struct people_arg	 pe = { cb, arg };
	struct team_row		 tm;
	enum store_status	 rc;

	if (!name_valid(team))
		return engine_error(ee, ENGINE_EINVAL, N_("team must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit"));
	if ((rc = store_team_get(en->en_store, team, &tm)) == STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, N_("no team \"%s\""),
		    team);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("reading a team"));
	if (strcmp(who->ac_role, "admin") != 0 &&
	    (!role_works(who->ac_role) || !engine_actor_in_team(who, team)))
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only the people of"
		    " team %s (a token of the team whose role works on cases)"
		    " and an admin see who works in it"), team);
	if ((rc = store_team_tokens(en->en_store, team, now, people_cb,
	    &pe)) != STORE_OK)
		return engine_store_error(ee, rc, N_("listing a team's people"));
	return 0;
}

/* When tokens were last used, all in one transaction of its own. */
int
engine_tokens_used(struct engine *en, const int64_t *tokens,
    const int64_t *at, size_t n)
{
	size_t	i;

	if (n == 0)
		return 0;
	if (store_begin(en->en_store) != STORE_OK)
		return -1;
	for (i = 0; i < n; i++)
		if (store_token_touch(en->en_store, tokens[i], at[i]) !=
		    STORE_OK) {
			store_rollback(en->en_store);
			return -1;
		}
	if (store_commit(en->en_store) != STORE_OK) {
		store_rollback(en->en_store);
		return -1;
	}
	return 0;
}

/*
 * A token's expiry as people say it.  A date is the last day it works: it
 * expires at the end of that day, local time.  A period counts from now,
 * on the calendar (a year is the same date next year).
 */
int
engine_token_expiry(const char *s, int64_t now, int64_t *out,
    struct engine_error *ee)
{
	struct period_spec	ps;
	struct cal_date		cd;
	char			err[256];
	int64_t			tod;

	if (s == NULL)
		s = TOKEN_EXPIRY_DEFAULT;
	if (strcmp(s, "never") == 0) {
		*out = 0;
		return 0;
	}
	if (cal_date_parse(s, &cd) == 0) {
		cal_date_add_days(&cd, 1);
		*out = cal_local_midnight(&cd);
	} else {
		memset(&ps, 0, sizeof(ps));
		if (period_parse(s, &ps.ps_period, err, sizeof(err)) == -1 ||
		    period_is_hours(&ps.ps_period))
			return engine_error(ee, ENGINE_EINVAL, N_("expires"
			    " \"%.64s\" is not a date (YYYY-MM-DD), a period"
			    " in days, weeks, months or years (P90D, 1 year)"
			    " or never"), s);
		cal_local_date(now, &cd);
		tod = now - cal_local_midnight(&cd);
		period_date_move(&cd, &ps, 1);
		*out = cal_local_midnight(&cd) + tod;
	}
	if (*out <= now)
		return engine_error(ee, ENGINE_EINVAL, N_("expires \"%.64s\" is"
		    " not in the future"), s);
	return 0;
}

/*
 * Sharing.  A case belongs to one team, which coordinates it unless it
 * hands that over; other teams take part in it, each on a legal basis
 * the workflow declares (bases:, share_bases:).  Adding a participant
 * passes information to another team, so it needs such a basis, recorded
 * with the transition; so does an event the workflow marks as sharing.
 * termijn records and enforces the bases; the municipality's privacy
 * officer decides them.
 */

/*
 * Whether basis is one of the n ids a step allows.  The refusal names the
 * allowed ids in its message and keeps the list in ee (ee_bases), so that
 * the answer can give each with its article: the articles of a few bases
 * would not fit in a message.  what says which step it is.
 */
int
engine_basis_check(const struct workflow *wf, char *const *ids, size_t n,
    const char *basis, const char *what, struct engine_error *ee)
{
	char			 list[512];
	size_t			 i, o = 0;

	for (i = 0; basis != NULL && i < n; i++)
		if (strcmp(ids[i], basis) == 0)
			return 0;
	list[0] = '\0';
	for (i = 0; i < n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
		    i ? ", " : "", ids[i]);
	if (n == 0)
		engine_error(ee, ENGINE_EBASIS, N_("%s shares information with"
		    " another team, and workflow %s declares no legal basis"
		    " for it"), what, wf->wf_name);
	else if (basis == NULL)
		engine_error(ee, ENGINE_EBASIS, N_("%s shares information with"
		    " another team: give \"basis\", one of: %s"), what, list);
	else
		engine_error(ee, ENGINE_EBASIS, N_("basis \"%.64s\" is not one"
		    " on which %s may share; use one of: %s"),
		    basis, what, list);
	ee->ee_workflow = wf;
	ee->ee_bases = ids;
	ee->ee_nbases = n;
	return -1;
}

int
engine_text(const char *field, const char *s, size_t max,
    struct engine_error *ee)
{
	char	err[sizeof(ee->ee_msg)];

	if (s == NULL || text_check(field, s, max, err, sizeof(err)) == 0)
		return 0;
	return engine_error(ee, ENGINE_EINVAL, "%s", err);
}

/*
 * A case the actor may change, with its workflow.  Once the actor is known
 * to see it, it is read again, held against other writers until the
 * commit (store_case_lock), and every check is made on that row.
 */
static int
case_to_change(struct engine *en, const struct actor *who, int64_t id,
    struct case_row *c, const struct workflow **wf, struct engine_error *ee)
{
	enum store_status	rc;

	if (engine_case_read(en, who, id, c, ee) == -1 ||
	    engine_may_act(who, ee) == -1)
		return -1;
	if ((rc = store_case_lock(en->en_store, id, c)) != STORE_OK)
		return engine_store_error(ee, rc == STORE_NOTFOUND ?
		    STORE_FAILED : rc, N_("reading a case"));
	if ((*wf = engine_case_workflow(en, c)) == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("case %lld: workflow"
		    " %s version %d is not loaded"),
		    (long long)id, c->c_workflow,
		    c->c_version);
	if (c->c_final)
		return engine_error(ee, ENGINE_ECONFLICT, N_("case %lld is"
		    " closed (state %s)"), (long long)id, c->c_state);
	return 0;
}

/* A team that exists, into tm; the refusal says so. */
int
engine_known_team(struct engine *en, const char *team, struct team_row *tm,
    struct engine_error *ee)
{
	enum store_status	rc;

	if (team == NULL || !name_valid(team))
		return engine_error(ee, ENGINE_EINVAL, N_(N_("team must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit")));
	if ((rc = store_team_get(en->en_store, team, tm)) == STORE_NOTFOUND)
		return engine_error(ee, ENGINE_EINVAL, N_(N_("no team \"%s\"")),
		    team);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_(N_("reading a team")));
	return 0;
}

struct org_arg {
	const char	*oa_name;
	int		 oa_found;
};

static enum store_status
org_cb(const struct team_row *tm, void *arg)
{
	struct org_arg	*oa = arg;

	if (strcmp(tm->tm_organisation, oa->oa_name) == 0)
		oa->oa_found = 1;
	return STORE_OK;
}

/* An organisation some team belongs to; the refusal says so. */
int
engine_known_organisation(struct engine *en, const char *org,
    struct engine_error *ee)
{
	struct org_arg		oa = { org, 0 };
	enum store_status	rc;

	if ((rc = store_teams_each(en->en_store, org_cb, &oa)) != STORE_OK)
		return engine_store_error(ee, rc, N_("reading teams"));
	if (!oa.oa_found)
		return engine_error(ee, ENGINE_EINVAL, N_("no team belongs to"
		    " organisation \"%.64s\"; give a team its organisation"
		    " when adding it (team add --organisation)"), org);
	return 0;
}

/* A sharing step of a case as a transition that does not move it. */
int
engine_share_move(struct engine *en, struct case_row *c,
    const struct workflow *wf, const char *actor, enum transition_cause cause,
    const char *team, const char *basis, const char *note, int64_t now,
    struct engine_error *ee)
{
	struct move	mv;

	memset(&mv, 0, sizeof(mv));
	mv.mv_cause = cause;
	mv.mv_actor = actor;
	mv.mv_detail = team;
	mv.mv_basis = basis;
	mv.mv_note = note;
	mv.mv_at = now;
	return engine_transition(en, c, wf, &mv, now, ee);
}

int
engine_case_share(struct engine *en, const struct actor *who, int64_t id,
    const struct share_input *in, int64_t now, struct engine_error *ee)
{
	const struct workflow	*wf;
	struct participant_row	 p;
	struct team_row		 tm;
	struct case_row		 c;
	enum store_status	 rc;

	if (case_to_change(en, who, id, &c, &wf, ee) == -1)
		return -1;
	if (!engine_actor_in_team(who, c.c_team))
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only team %s,"
		    " which owns case %lld, may let another team take part"
		    " in it"), c.c_team, (long long)id);
	if (engine_known_team(en, in->sh_team, &tm, ee) == -1 ||
	    engine_text("purpose", in->sh_purpose, PURPOSE_MAX, ee) == -1)
		return -1;
	if (strcmp(in->sh_team, c.c_team) == 0)
		return engine_error(ee, ENGINE_ECONFLICT, N_("team %s owns case"
		    " %lld"), c.c_team, (long long)id);
	/* share_bases, or every declared basis (the loader resolved it). */
	if (engine_basis_check(wf, wf->wf_share_bases, wf->wf_nshare_bases,
	    in->sh_basis, _("adding a participant"), ee) == -1)
		return -1;
	memset(&p, 0, sizeof(p));
	p.p_case = id;
	snprintf(p.p_team, sizeof(p.p_team), "%s", in->sh_team);
	snprintf(p.p_basis, sizeof(p.p_basis), "%s", in->sh_basis);
	if (text_copy(p.p_purpose, sizeof(p.p_purpose),
	    in->sh_purpose ? in->sh_purpose : "") == -1)
		return engine_error(ee, ENGINE_EINVAL, N_("purpose is longer"
		    " than %d bytes"), PURPOSE_MAX);
	p.p_since = now;
	snprintf(p.p_added_by, sizeof(p.p_added_by), "%s", who->ac_name);
	if ((rc = store_participant_add(en->en_store, &p)) == STORE_EXISTS)
		return engine_error(ee, ENGINE_ECONFLICT, N_("team %s takes"
		    " part in case %lld already"), in->sh_team, (long long)id);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("adding a participant"));
	return engine_share_move(en, &c, wf, who->ac_name, CAUSE_SHARE,
	    in->sh_team, in->sh_basis, in->sh_purpose, now, ee);
}

/* The owning team ends a participation, or the participant itself leaves. */
int
engine_case_unshare(struct engine *en, const struct actor *who, int64_t id,
    const char *team, const char *note, int64_t now, struct engine_error *ee)
{
	const struct workflow	*wf;
	struct case_row		 c;
	enum store_status	 rc;

	if (case_to_change(en, who, id, &c, &wf, ee) == -1 ||
	    engine_text("note", note, NOTE_MAX, ee) == -1)
		return -1;
	if (!engine_actor_in_team(who, c.c_team) &&
	    !engine_actor_in_team(who, team))
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only team %s,"
		    " which owns case %lld, or team %s itself may end its part"
		    " in it"), c.c_team, (long long)id, team);
	if (strcmp(c.c_coordinator, team) == 0)
		return engine_error(ee, ENGINE_ECONFLICT, N_("team %s"
		    " coordinates case %lld; hand that over first"),
		    team, (long long)id);
	if ((rc = store_participant_end(en->en_store, id, team, now)) ==
	    STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ECONFLICT, N_("team %s does not"
		    " take part in case %lld"), team, (long long)id);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("ending a participation"));
	return engine_share_move(en, &c, wf, who->ac_name, CAUSE_UNSHARE,
	    team, NULL, note, now, ee);
}

struct taking_part {
	const char	*tp_team;
	int		 tp_found;
};

static enum store_status
taking_part_cb(const struct participant_row *p, void *arg)
{
	struct taking_part	*tp = arg;

	if (strcmp(p->p_team, tp->tp_team) == 0)
		tp->tp_found = 1;
	return STORE_OK;
}

/*
 * The coordinating team is the contact point towards the family, so that
 * several officials do not each knock on the same door.  The owner or the
 * team that coordinates now hands it to the owner or a participant.
 */
int
engine_case_coordinate(struct engine *en, const struct actor *who,
    int64_t id, const char *team, const char *note, int64_t now,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct taking_part	 tp = { team, 0 };
	struct team_row		 tm;
	struct case_row		 c;
	enum store_status	 rc;

	if (case_to_change(en, who, id, &c, &wf, ee) == -1 ||
	    engine_text("note", note, NOTE_MAX, ee) == -1)
		return -1;
	if (!engine_actor_in_team(who, c.c_team) &&
	    !engine_actor_in_team(who, c.c_coordinator))
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("only team %s,"
		    " which owns case %lld, or team %s, which coordinates it,"
		    " may hand that over"), c.c_team, (long long)id,
		    c.c_coordinator);
	if (engine_known_team(en, team, &tm, ee) == -1)
		return -1;
	if (strcmp(team, c.c_coordinator) == 0)
		return engine_error(ee, ENGINE_ECONFLICT, N_("team %s"
		    " coordinates case %lld already"), team, (long long)id);
	if (strcmp(team, c.c_team) != 0) {
		if ((rc = store_participants_of_case(en->en_store, id, 1,
		    taking_part_cb, &tp)) != STORE_OK)
			return engine_store_error(ee, rc, N_("reading"
			    " participants"));
		if (!tp.tp_found)
			return engine_error(ee, ENGINE_ECONFLICT, N_("team %s"
			    " does not take part in case %lld; let it take"
			    " part first"), team, (long long)id);
	}
	snprintf(c.c_coordinator, sizeof(c.c_coordinator), "%s", team);
	return engine_share_move(en, &c, wf, who->ac_name, CAUSE_COORDINATE,
	    team, NULL, note, now, ee);
}

/*
 * Assignment: a person (a token's name) picks a case up, or another takes
 * it over, or it is let go (assignee NULL).  The person's teams must see
 * the case.  It is a transition of the case, whom it concerns the person.
 */
int
engine_case_assign(struct engine *en, const struct actor *who, int64_t id,
    const char *assignee, const char *note, int64_t now,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct token_row	 tk;
	struct case_row		 c, seen;
	enum store_status	 rc;

	if (case_to_change(en, who, id, &c, &wf, ee) == -1 ||
	    engine_text("note", note, NOTE_MAX, ee) == -1)
		return -1;
	memset(&tk, 0, sizeof(tk));
	if (assignee != NULL && assignee[0] == '\0')
		assignee = NULL;
	if (assignee == NULL && c.c_assignee[0] == '\0')
		return engine_error(ee, ENGINE_ECONFLICT, N_("case %lld is not"
		    " assigned to anyone"), (long long)id);
	/*
	 * A name nobody has and a token that cannot work on the case get the
	 * same answer, so that whoever may assign cannot list token names.
	 */
	if (assignee != NULL) {
		if (strcmp(assignee, c.c_assignee) == 0)
			return engine_error(ee, ENGINE_ECONFLICT, N_("case %lld"
			    " is assigned to %s already"),
			    (long long)id, assignee);
		rc = store_token_by_name(en->en_store, assignee, now, &tk);
		if (rc == STORE_OK)
			rc = store_case_get_for(en->en_store, id, tk.tk_id,
			    &seen);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK &&
		    !role_works(tk.tk_role)))
			return engine_error(ee, ENGINE_ECONFLICT, N_("nobody"
			    " named \"%.64s\" can work on case %lld: no valid"
			    " token of that name whose teams see the case and"
			    " whose role acts on cases"),
			    assignee, (long long)id);
		if (rc != STORE_OK)
			return engine_store_error(ee, rc, N_("reading whom to"
			    " assign a case to"));
	}
	snprintf(c.c_assignee, sizeof(c.c_assignee), "%s",
	    assignee != NULL ? assignee : "");
	return engine_share_move(en, &c, wf, who->ac_name, CAUSE_ASSIGN, assignee != NULL ?
	    assignee : "", NULL, note, now, ee);
}
