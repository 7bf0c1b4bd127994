/*
 * termijn: the store's contract: who may do and see what.  Teams, tokens
 * and their display names, what a token may see (its teams' cases and
 * those they take part in), participants, idempotent answers, the read
 * log, the routes that say which team fills a function and the cases that
 * wait for one, and the workflow versions cases are pinned to
 * (store_fixture.h says where the store is).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_fixture.h"

static enum store_status
count_team_cb(const struct team_row *tm, void *arg)
{
	(void)tm;
	(*(int *)arg)++;
	return STORE_OK;
}

static enum store_status
token_list_cb(const struct token_row *tk, void *arg)
{
	struct token_row	*out = arg;

	if (strcmp(tk->tk_name, "worker") == 0)
		*out = *tk;
	return STORE_OK;
}

static void
test_teams(void **state)
{
	struct fixture	*fx = *state;
	struct team_row	 tm;
	int		 n = 0;

	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_NOTFOUND);
	add_team(fx->st, "noord");
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "noord");
	snprintf(tm.tm_title, sizeof(tm.tm_title), "again");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_EXISTS);
	snprintf(tm.tm_name, sizeof(tm.tm_name), "zuid");
	snprintf(tm.tm_organisation, sizeof(tm.tm_organisation), "Gemeente");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_OK);
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(store_team_get(fx->st, "zuid", &tm), STORE_OK);
	assert_string_equal(tm.tm_title, "again");
	assert_string_equal(tm.tm_organisation, "Gemeente");
	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_OK);
	assert_string_equal(tm.tm_organisation, "");
	assert_int_equal(store_teams_each(fx->st, count_team_cb, &n), STORE_OK);
	assert_int_equal(n, 2);
}

/* A token with its teams; revoked or expired, it is not found. */
static void
test_tokens(void **state)
{
	struct fixture		*fx = *state;
	unsigned char		 h1[HASH_SHA256_LEN], h9[HASH_SHA256_LEN];
	struct token_row	 tk;
	int64_t			 n, id;

	memset(h1, 1, sizeof(h1));
	memset(h9, 9, sizeof(h9));
	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	assert_int_equal(store_token_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_lookup(fx->st, h1, 1000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id, 0);		/* unknown */
	id = add_token(fx->st, "worker", "caseworker", "zuid,noord", 1, 5000);
	memset(&tk, 0, sizeof(tk));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "worker");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "reader");
	assert_int_equal(store_token_insert(fx->st, &tk, h9), STORE_EXISTS);
	assert_int_equal(store_token_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_token_lookup(fx->st, h1, 4999, &tk), STORE_OK);
	assert_int_equal(tk.tk_id, id);
	assert_string_equal(tk.tk_name, "worker");
	assert_string_equal(tk.tk_role, "caseworker");
	assert_string_equal(tk.tk_teams, "noord,zuid");
	assert_int_equal(tk.tk_expires_at, 5000);
	/* Expired at its moment; found, so that its holder hears why. */
	assert_int_equal(store_token_lookup(fx->st, h1, 5000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id, id);
	assert_int_equal(tk.tk_expires_at, 5000);
	/* Last use only moves forward; list shows it, and revocation. */
	assert_int_equal(store_token_touch(fx->st, id, 3000), STORE_OK);
	assert_int_equal(store_token_touch(fx->st, id, 2000), STORE_OK);
	assert_int_equal(store_token_revoke(fx->st, "worker", 4000), STORE_OK);
	assert_int_equal(store_token_revoke(fx->st, "worker", 4001),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_revoke(fx->st, "nobody", 4001),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_lookup(fx->st, h1, 4500, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_revoked_at, 4000);
	memset(&tk, 0, sizeof(tk));
	assert_int_equal(store_tokens_each(fx->st, token_list_cb, &tk),
	    STORE_OK);
	assert_int_equal(tk.tk_last_used_at, 3000);
	assert_int_equal(tk.tk_revoked_at, 4000);
	assert_string_equal(tk.tk_teams, "noord,zuid");
}


/*
 * What a token may see: the cases its teams own, and those they take part
 * in while they do; in a get, a list and an idempotent answer alike.
 */
static void
test_visibility(void **state)
{
	struct fixture		*fx = *state;
	struct participant_row	 p;
	struct case_filter	 f;
	struct case_row		 c;
	struct ids		 l;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 noord, zuid, both, a, b;
	int			 status;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	noord = add_token(fx->st, "n", "caseworker", "noord", 1, 0);
	zuid = add_token(fx->st, "z", "caseworker", "zuid", 2, 0);
	both = add_token(fx->st, "b", "supervisor", "noord,zuid", 3, 0);
	a = add_case(fx->st, "A", "noord", "s");
	b = add_case(fx->st, "B", "zuid", "s");

	assert_int_equal(store_case_get_for(fx->st, a, noord, &c), STORE_OK);
	assert_string_equal(c.c_coordinator, "noord");
	assert_int_equal(store_case_get_for(fx->st, a, zuid, &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get_for(fx->st, b, both, &c), STORE_OK);
	assert_int_equal(store_case_get_for(fx->st, 999, both, &c),
	    STORE_NOTFOUND);

	memset(&f, 0, sizeof(f));
	f.cf_limit = 100;
	f.cf_token = zuid;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], b);

	/* zuid takes part in A: it sees A, until that ends. */
	memset(&p, 0, sizeof(p));
	p.p_case = a;
	snprintf(p.p_team, sizeof(p.p_team), "zuid");
	snprintf(p.p_basis, sizeof(p.p_basis), "consent");
	snprintf(p.p_added_by, sizeof(p.p_added_by), "n");
	p.p_since = 2000;
	assert_int_equal(store_participant_add(fx->st, &p), STORE_OK);
	assert_int_equal(store_participant_add(fx->st, &p), STORE_EXISTS);
	assert_int_equal(store_case_get_for(fx->st, a, zuid, &c), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);

	assert_int_equal(store_idem_put(fx->st, zuid, "k", "h", 200, "{}", "en",
	    a, 2100), STORE_OK);
	assert_int_equal(store_idem_get(fx->st, zuid, "k", reqhash, &status,
	    &body, lang), STORE_OK);
	free(body);
	body = NULL;

	assert_int_equal(store_participant_end(fx->st, a, "zuid", 3000),
	    STORE_OK);
	assert_int_equal(store_participant_end(fx->st, a, "zuid", 3001),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get_for(fx->st, a, zuid, &c),
	    STORE_NOTFOUND);
	/* Its stored answer about A is no longer given to it; the key stays used. */
	assert_int_equal(store_idem_get(fx->st, zuid, "k", reqhash, &status,
	    &body, lang), STORE_EXISTS);
	assert_null(body);
	assert_string_equal(reqhash, "h");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);

	/* Taking part again is a new participation; the old one stays. */
	p.p_since = 4000;
	assert_int_equal(store_participant_add(fx->st, &p), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, a, 0,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, a, 1,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
}

static void
test_idempotency(void **state)
{
	struct fixture		*fx = *state;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 tok;
	int			 status;

	add_team(fx->st, "noord");
	tok = add_token(fx->st, "worker", "caseworker", "noord", 1, 0);
	assert_int_equal(store_idem_get(fx->st, tok, "k1", reqhash,
	    &status, &body, lang), STORE_NOTFOUND);
	assert_int_equal(store_idem_put(fx->st, tok, "k1", "abc", 201,
	    "{\"id\":1}", "nl", 0, 1000), STORE_OK);
	assert_int_equal(store_idem_put(fx->st, tok, "k1", "def", 200,
	    "{}", "en", 0, 1001), STORE_EXISTS);
	assert_int_equal(store_idem_get(fx->st, tok, "k1", reqhash,
	    &status, &body, lang), STORE_OK);
	assert_string_equal(reqhash, "abc");
	assert_int_equal(status, 201);
	assert_string_equal(body, "{\"id\":1}");
	/* The language the answer was given in, for its replay. */
	assert_string_equal(lang, "nl");
	free(body);
}

static enum store_status
read_row_cb(const struct read_row *rd, void *arg)
{
	return ids_add(arg, rd->rd_id);
}

static void
test_read_log(void **state)
{
	struct fixture	*fx = *state;
	struct read_row	 rd;
	struct ids	 l;
	int64_t		 c;
	int		 i;

	c = add_case(fx->st, "R", "t", "s");
	for (i = 0; i < 3; i++) {
		memset(&rd, 0, sizeof(rd));
		rd.rd_case = c;
		rd.rd_at = 1000 + i;
		snprintf(rd.rd_token, sizeof(rd.rd_token), "worker");
		snprintf(rd.rd_role, sizeof(rd.rd_role), "caseworker");
		snprintf(rd.rd_teams, sizeof(rd.rd_teams), "t");
		snprintf(rd.rd_what, sizeof(rd.rd_what), "case");
		assert_int_equal(store_read_insert(fx->st, &rd), STORE_OK);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_reads_of_case(fx->st, c, 0, 2, read_row_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_reads_of_case(fx->st, c, rd.rd_id - 1, 10,
	    read_row_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
}


/* A name and version keeps the source it was first stored with. */
static void
test_workflow_versions(void **state)
{
	struct fixture	*fx = *state;
	struct wf_seen	 ws;
	char		 digest[HASH_SHA256_HEX_LEN];

	assert_int_equal(store_workflow_digest(fx->st, "w", 1, digest),
	    STORE_NOTFOUND);
	assert_int_equal(store_workflow_put(fx->st, "w", 2, "d2", "v2", 2, 1),
	    STORE_OK);
	assert_int_equal(store_workflow_put(fx->st, "w", 1, "d1", "v1", 2, 1),
	    STORE_OK);
	assert_int_equal(store_workflow_put(fx->st, "w", 1, "dx", "vx", 2, 2),
	    STORE_EXISTS);
	assert_int_equal(store_workflow_digest(fx->st, "w", 1, digest),
	    STORE_OK);
	assert_string_equal(digest, "d1");
	memset(&ws, 0, sizeof(ws));
	assert_int_equal(store_workflows_each(fx->st, workflow_cb, &ws),
	    STORE_OK);
	assert_int_equal(ws.n, 2);
	assert_int_equal(ws.versions[0], 1);
	assert_int_equal(ws.versions[1], 2);
}

/* The names a walk of teams or tokens gave, as "a,b,c". */
struct names {
	char	nm_text[1024];
	int	nm_n;
};

static void
names_add(struct names *nm, const char *name)
{
	size_t	len = strlen(nm->nm_text);

	snprintf(nm->nm_text + len, sizeof(nm->nm_text) - len, "%s%s",
	    len ? "," : "", name);
	nm->nm_n++;
}

static enum store_status
team_name_cb(const struct team_row *tm, void *arg)
{
	names_add(arg, tm->tm_name);
	return STORE_OK;
}

static enum store_status
token_name_cb(const struct token_row *tk, void *arg)
{
	names_add(arg, tk->tk_name);
	return STORE_OK;
}

/* Teams by name, each read back whole. */
static void
test_teams_in_order(void **state)
{
	struct fixture	*fx = *state;
	struct team_row	 tm;
	struct names	 nm;

	add_team(fx->st, "zuid");
	add_team(fx->st, "handhaving");
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "noord");
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Jeugd Noord");
	snprintf(tm.tm_organisation, sizeof(tm.tm_organisation), "Gemeente");
	tm.tm_created_at = 4242;
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_OK);
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_teams_each(fx->st, team_name_cb, &nm),
	    STORE_OK);
	assert_string_equal(nm.nm_text, "handhaving,noord,zuid");
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_OK);
	assert_string_equal(tm.tm_name, "noord");
	assert_string_equal(tm.tm_title, "Jeugd Noord");
	assert_string_equal(tm.tm_organisation, "Gemeente");
	assert_int_equal(tm.tm_created_at, 4242);
}

/*
 * A valid token by name, with its teams (by name) and display name; not
 * a revoked one, an expired one (from its moment on) or an unknown one.
 * A token's teams must be known: one that is not is refused, and the
 * transaction, rolled back, leaves no token.
 */
static void
test_token_by_name(void **state)
{
	struct fixture		*fx = *state;
	struct token_row	 tk;
	unsigned char		 h[HASH_SHA256_LEN];
	struct names		 nm;
	int64_t			 id, n;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	memset(&tk, 0, sizeof(tk));
	memset(h, 7, sizeof(h));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "mw-1");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "caseworker");
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "zuid,noord");
	snprintf(tk.tk_display_name, sizeof(tk.tk_display_name), "Mw. Een");
	tk.tk_created_at = 1000;
	tk.tk_expires_at = 5000;
	assert_int_equal(store_token_insert(fx->st, &tk, h), STORE_OK);
	id = tk.tk_id;
	assert_true(id > 0);
	(void)add_token(fx->st, "gone", "reader", "noord", 8, 0);
	assert_int_equal(store_token_revoke(fx->st, "gone", 2000), STORE_OK);

	memset(&tk, 0, sizeof(tk));
	assert_int_equal(store_token_by_name(fx->st, "mw-1", 4999, &tk),
	    STORE_OK);
	assert_int_equal(tk.tk_id, id);
	assert_string_equal(tk.tk_role, "caseworker");
	assert_string_equal(tk.tk_teams, "noord,zuid");
	assert_string_equal(tk.tk_display_name, "Mw. Een");
	assert_int_equal(tk.tk_created_at, 1000);
	assert_int_equal(tk.tk_expires_at, 5000);
	assert_int_equal(tk.tk_revoked_at, 0);
	assert_int_equal(store_token_by_name(fx->st, "mw-1", 5000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_by_name(fx->st, "gone", 2500, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(store_token_by_name(fx->st, "nobody", 2500, &tk),
	    STORE_NOTFOUND);
	/* Listed, revoked and expired ones too, by name. */
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_tokens_each(fx->st, token_name_cb, &nm),
	    STORE_OK);
	assert_string_equal(nm.nm_text, "gone,mw-1");

	assert_int_equal(store_begin(fx->st), STORE_OK);
	memset(&tk, 0, sizeof(tk));
	memset(h, 9, sizeof(h));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "stray");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "caseworker");
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "noord,nowhere");
	assert_int_not_equal(store_token_insert(fx->st, &tk, h), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(store_token_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_token_lookup(fx->st, h, 2000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id, 0);
}

/* A transition of a case by an actor, about a detail, appended. */
static void
append_by(struct store *st, int64_t case_id, const char *cause,
    const char *actor, const char *detail)
{
	struct transition_row	t;

	memset(&t, 0, sizeof(t));
	t.t_case = case_id;
	t.t_at = t.t_recorded_at = 2000;
	snprintf(t.t_to, sizeof(t.t_to), "s");
	snprintf(t.t_cause, sizeof(t.t_cause), "%s", cause);
	snprintf(t.t_actor, sizeof(t.t_actor), "%s", actor);
	snprintf(t.t_detail, sizeof(t.t_detail), "%s", detail);
	assert_int_equal(store_begin(st), STORE_OK);
	(void)link_in(st, &t);
	assert_int_equal(store_commit(st), STORE_OK);
}

/* The display names a case's history gave, as "actor/detail;". */
static enum store_status
history_names_cb(const struct transition_row *t, void *arg)
{
	struct names	*nm = arg;
	char		 pair[2 * (DISPLAY_NAME_MAX + 1) + 2];

	snprintf(pair, sizeof(pair), "%s/%s", t->t_actor_name,
	    t->t_detail_name);
	names_add(nm, pair);
	return STORE_OK;
}

/*
 * A valid token's display name is set by its name, "" for none; a
 * revoked, expired or unknown token's is not (STORE_NOTFOUND).  It is
 * read wherever the token is named: the token itself, a case's assignee,
 * the actor of a case's history and whom an assignment names.
 */
static void
test_token_display_names(void **state)
{
	struct fixture		*fx = *state;
	struct token_row	 tk;
	struct case_row		 c;
	struct names		 nm;
	int64_t			 id;

	add_team(fx->st, "noord");
	(void)add_token(fx->st, "sup", "supervisor", "noord", 1, 0);
	(void)add_token(fx->st, "mw-1", "caseworker", "noord", 2, 0);
	(void)add_token(fx->st, "old", "caseworker", "noord", 3, 3000);
	(void)add_token(fx->st, "gone", "caseworker", "noord", 4, 0);
	assert_int_equal(store_token_revoke(fx->st, "gone", 1500), STORE_OK);

	assert_int_equal(store_token_set_display_name(fx->st, "sup",
	    "Mw. Leiding", 2000), STORE_OK);
	assert_int_equal(store_token_set_display_name(fx->st, "mw-1",
	    "Dhr. Een", 2000), STORE_OK);
	assert_int_equal(store_token_set_display_name(fx->st, "old", "Oud",
	    3000), STORE_NOTFOUND);
	assert_int_equal(store_token_set_display_name(fx->st, "gone", "Weg",
	    2000), STORE_NOTFOUND);
	assert_int_equal(store_token_set_display_name(fx->st, "nobody", "X",
	    2000), STORE_NOTFOUND);
	/* Still valid before its moment. */
	assert_int_equal(store_token_set_display_name(fx->st, "old", "Oud",
	    2999), STORE_OK);
	assert_int_equal(store_token_by_name(fx->st, "sup", 2000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "Mw. Leiding");

	id = add_case(fx->st, "A", "noord", "s");
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	snprintf(c.c_assignee, sizeof(c.c_assignee), "mw-1");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_assignee_name, "Dhr. Een");
	append_by(fx->st, id, "create", "mw-1", "noord");
	append_by(fx->st, id, "assign", "sup", "mw-1");
	append_by(fx->st, id, "event", "nobody", "mw-1");
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_transitions_of_case(fx->st, id, 0, 10,
	    history_names_cb, &nm), STORE_OK);
	assert_string_equal(nm.nm_text, "Dhr. Een/,Mw. Leiding/Dhr. Een,/");

	/* "" takes it back: the name is read where it was. */
	assert_int_equal(store_token_set_display_name(fx->st, "mw-1", "",
	    2000), STORE_OK);
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_assignee_name, "");
	assert_int_equal(store_token_by_name(fx->st, "mw-1", 2000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "");
}

/*
 * The valid tokens that have a team, by display name (the name where none
 * is set) ignoring case, then by name; a token of several teams is among
 * the tokens of each.
 */
static void
test_team_tokens(void **state)
{
	struct fixture	*fx = *state;
	struct names	 nm;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	(void)add_token(fx->st, "zz", "caseworker", "noord", 1, 0);
	(void)add_token(fx->st, "bb", "caseworker", "noord,zuid", 2, 0);
	(void)add_token(fx->st, "aa", "caseworker", "noord", 3, 0);
	(void)add_token(fx->st, "cc", "caseworker", "noord", 4, 0);
	(void)add_token(fx->st, "expired", "caseworker", "noord", 5, 2000);
	(void)add_token(fx->st, "revoked", "caseworker", "noord", 6, 0);
	(void)add_token(fx->st, "south", "caseworker", "zuid", 7, 0);
	assert_int_equal(store_token_revoke(fx->st, "revoked", 1500),
	    STORE_OK);
	/* zz reads as "Anna", aa as "anna": a tie broken by name. */
	assert_int_equal(store_token_set_display_name(fx->st, "zz", "Anna",
	    1500), STORE_OK);
	assert_int_equal(store_token_set_display_name(fx->st, "aa", "anna",
	    1500), STORE_OK);
	assert_int_equal(store_token_set_display_name(fx->st, "cc", "Bob",
	    1500), STORE_OK);

	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_team_tokens(fx->st, "noord", 2000,
	    token_name_cb, &nm), STORE_OK);
	assert_string_equal(nm.nm_text, "aa,zz,bb,cc");
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_team_tokens(fx->st, "noord", 1999,
	    token_name_cb, &nm), STORE_OK);
	assert_string_equal(nm.nm_text, "aa,zz,bb,cc,expired");
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_team_tokens(fx->st, "zuid", 2000,
	    token_name_cb, &nm), STORE_OK);
	assert_string_equal(nm.nm_text, "bb,south");
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_team_tokens(fx->st, "nowhere", 2000,
	    token_name_cb, &nm), STORE_OK);
	assert_int_equal(nm.nm_n, 0);
}

/* The first participant of a walk, copied; the walk stops there. */
static enum store_status
participant_copy_cb(const struct participant_row *p, void *arg)
{
	*(struct participant_row *)arg = *p;
	return STORE_FULL;
}

/*
 * A participant read back whole, in id order; ending one sets when it
 * ended and leaves it among the case's participants.
 */
static void
test_participants(void **state)
{
	struct fixture		*fx = *state;
	struct participant_row	 p;
	struct ids		 l;
	int64_t			 a, b, first, second;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	add_team(fx->st, "handhaving");
	a = add_case(fx->st, "A", "noord", "s");
	b = add_case(fx->st, "B", "noord", "s");
	memset(&p, 0, sizeof(p));
	p.p_case = a;
	snprintf(p.p_team, sizeof(p.p_team), "handhaving");
	snprintf(p.p_basis, sizeof(p.p_basis), "criminal_data");
	snprintf(p.p_purpose, sizeof(p.p_purpose), "enforcement");
	snprintf(p.p_added_by, sizeof(p.p_added_by), "sup");
	p.p_since = 2000;
	assert_int_equal(store_participant_add(fx->st, &p), STORE_OK);
	first = p.p_id;
	second = add_participant(fx->st, a, "zuid", 2100);
	(void)add_participant(fx->st, b, "zuid", 2200);
	assert_true(first < second);
	/* The same team may take part in another case at the same time. */
	assert_int_equal(store_participant_end(fx->st, b, "handhaving", 3000),
	    STORE_NOTFOUND);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, a, 1,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], first);
	assert_int_equal(l.id[1], second);
	assert_int_equal(store_participant_end(fx->st, a, "handhaving", 3000),
	    STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, a, 1,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], second);
	memset(&l, 0, sizeof(l));
	l.stop_after = 1;
	assert_int_equal(store_participants_of_case(fx->st, a, 0,
	    participant_cb, &l), STORE_NOTFOUND);
	assert_int_equal(l.id[0], first);
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_participants_of_case(fx->st, a, 0,
	    participant_copy_cb, &p), STORE_FULL);
	assert_int_equal(p.p_id, first);
	assert_int_equal(p.p_case, a);
	assert_string_equal(p.p_team, "handhaving");
	assert_string_equal(p.p_basis, "criminal_data");
	assert_string_equal(p.p_purpose, "enforcement");
	assert_string_equal(p.p_added_by, "sup");
	assert_int_equal(p.p_since, 2000);
	assert_int_equal(p.p_until, 3000);
}

/* A route for a function, for an owning team or an organisation. */
static enum store_status
set_route(struct store *st, const char *function, const char *team,
    const char *org, const char *fills, int64_t at, struct route_row *rt)
{
	memset(rt, 0, sizeof(*rt));
	snprintf(rt->rt_function, sizeof(rt->rt_function), "%s", function);
	snprintf(rt->rt_for_team, sizeof(rt->rt_for_team), "%s", team);
	snprintf(rt->rt_for_org, sizeof(rt->rt_for_org), "%s", org);
	snprintf(rt->rt_team, sizeof(rt->rt_team), "%s", fills);
	snprintf(rt->rt_actor, sizeof(rt->rt_actor), "admin");
	rt->rt_at = at;
	return store_route_set(st, rt);
}

/* The routes a walk gave, as "function:for_team|for_org>team", or the log. */
static enum store_status
route_cb(const struct route_row *rt, void *arg)
{
	char	line[512];

	snprintf(line, sizeof(line), "%s%s:%s|%s>%s@%lld%s",
	    rt->rt_log ? (rt->rt_removed ? "-" : "+") : "", rt->rt_function,
	    rt->rt_for_team, rt->rt_for_org, rt->rt_team, (long long)rt->rt_at,
	    rt->rt_log && rt->rt_link == 0 ? " unlinked" : "");
	names_add(arg, line);
	return STORE_OK;
}

/*
 * Routes: one per function and owner (STORE_EXISTS for a second, which
 * leaves no line in the log); an owning team's own route goes before its
 * organisation's; a removal by id gives what the route was, and one that
 * is not there is STORE_NOTFOUND.  Every set and removal is a line of the
 * log, oldest first, each a link of the chain.
 */
static void
test_routes(void **state)
{
	struct fixture		*fx = *state;
	struct route_row	 rt, own;
	struct names		 nm;
	int64_t			 id;

	add_team(fx->st, "noord");
	add_team(fx->st, "handhaving");
	add_team(fx->st, "regio");
	assert_int_equal(store_route_find(fx->st, "enforcement", "noord",
	    "Gemeente", &rt), STORE_NOTFOUND);
	assert_int_equal(set_route(fx->st, "enforcement", "", "Gemeente",
	    "regio", 1000, &rt), STORE_OK);
	assert_true(rt.rt_id > 0);
	assert_int_equal(set_route(fx->st, "enforcement", "noord", "",
	    "handhaving", 1100, &own), STORE_OK);
	assert_int_equal(set_route(fx->st, "housing_fraud", "noord", "",
	    "regio", 1200, &rt), STORE_OK);
	assert_int_equal(set_route(fx->st, "enforcement", "noord", "",
	    "regio", 1300, &rt), STORE_EXISTS);

	/* The team's own route first; the organisation's for its others. */
	assert_int_equal(store_route_find(fx->st, "enforcement", "noord",
	    "Gemeente", &rt), STORE_OK);
	assert_int_equal(rt.rt_id, own.rt_id);
	assert_string_equal(rt.rt_team, "handhaving");
	assert_string_equal(rt.rt_for_team, "noord");
	assert_string_equal(rt.rt_for_org, "");
	assert_int_equal(rt.rt_at, 1100);
	assert_string_equal(rt.rt_actor, "admin");
	assert_int_equal(store_route_find(fx->st, "enforcement", "zuid",
	    "Gemeente", &rt), STORE_OK);
	assert_string_equal(rt.rt_team, "regio");
	assert_string_equal(rt.rt_for_org, "Gemeente");
	/* A team of no organisation has no organisation's route. */
	assert_int_equal(store_route_find(fx->st, "enforcement", "zuid", "",
	    &rt), STORE_NOTFOUND);
	assert_int_equal(store_route_find(fx->st, "housing_fraud", "zuid",
	    "Gemeente", &rt), STORE_NOTFOUND);

	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_routes_each(fx->st, 0, route_cb, &nm),
	    STORE_OK);
	assert_string_equal(nm.nm_text, "enforcement:|Gemeente>regio@1000,"
	    "enforcement:noord|>handhaving@1100,"
	    "housing_fraud:noord|>regio@1200");

	/* Removed: the route was what the removal gives back. */
	id = own.rt_id;
	memset(&rt, 0, sizeof(rt));
	rt.rt_id = id;
	rt.rt_at = 2000;
	snprintf(rt.rt_actor, sizeof(rt.rt_actor), "admin2");
	assert_int_equal(store_route_remove(fx->st, &rt), STORE_OK);
	assert_int_equal(rt.rt_removed, 1);
	assert_string_equal(rt.rt_function, "enforcement");
	assert_string_equal(rt.rt_for_team, "noord");
	assert_string_equal(rt.rt_team, "handhaving");
	assert_int_equal(rt.rt_at, 2000);
	assert_string_equal(rt.rt_actor, "admin2");
	assert_true(rt.rt_link > 0);
	assert_int_equal(store_route_remove(fx->st, &rt), STORE_NOTFOUND);
	assert_int_equal(store_route_find(fx->st, "enforcement", "noord",
	    "Gemeente", &rt), STORE_OK);
	assert_string_equal(rt.rt_team, "regio");
	/* Set again once removed. */
	assert_int_equal(set_route(fx->st, "enforcement", "noord", "",
	    "regio", 3000, &rt), STORE_OK);

	memset(&nm, 0, sizeof(nm));
	assert_int_equal(store_routes_each(fx->st, 1, route_cb, &nm),
	    STORE_OK);
	assert_string_equal(nm.nm_text, "+enforcement:|Gemeente>regio@1000,"
	    "+enforcement:noord|>handhaving@1100,"
	    "+housing_fraud:noord|>regio@1200,"
	    "-enforcement:noord|>handhaving@2000,"
	    "+enforcement:noord|>regio@3000");
}

/*
 * The open cases that wait for a team to fill a function (c_unrouted
 * set): how many, and pages of them in id order after a cursor.
 */
static void
test_unrouted(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	struct ids	 l;
	int64_t		 id[5], n;
	size_t		 i;

	assert_int_equal(store_unrouted_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 0);
	for (i = 0; i < nitems(id); i++) {
		id[i] = add_case(fx->st, "U", "t", "s");
		if (i == 1)
			continue;
		assert_int_equal(store_case_get(fx->st, id[i], &c), STORE_OK);
		snprintf(c.c_unrouted, sizeof(c.c_unrouted), "enforcement");
		c.c_final = i == 3;
		assert_int_equal(store_case_update_state(fx->st, &c),
		    STORE_OK);
	}
	assert_int_equal(store_unrouted_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 3);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_unrouted_cases(fx->st, 0, 2, case_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], id[0]);
	assert_int_equal(l.id[1], id[2]);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_unrouted_cases(fx->st, id[2], 2, case_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], id[4]);

	/* Routed after all: no longer waiting. */
	assert_int_equal(store_case_get(fx->st, id[0], &c), STORE_OK);
	c.c_unrouted[0] = '\0';
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_unrouted_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 2);
	memset(&l, 0, sizeof(l));
	l.stop_after = 1;
	assert_int_equal(store_unrouted_cases(fx->st, 0, 10, case_cb, &l),
	    STORE_NOTFOUND);
	assert_int_equal(l.id[0], id[2]);
}

/* The rows a walk of the read log gave, copied. */
struct reads {
	struct read_row	r[4];
	size_t		n;
};

static enum store_status
reads_cb(const struct read_row *rd, void *arg)
{
	struct reads	*rs = arg;

	if (rs->n < nitems(rs->r))
		rs->r[rs->n++] = *rd;
	return STORE_OK;
}

/*
 * A read read back whole, among its case's only; idempotent answers are
 * each token's own: another token's key is not found.
 */
static void
test_reads_and_keys(void **state)
{
	struct fixture	*fx = *state;
	struct read_row	 rd;
	struct reads	 rs;
	char		 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char		 lang[STORE_LANG_LEN];
	int64_t		 a, b, one, two;
	int		 status;

	a = add_case(fx->st, "A", "t", "s");
	b = add_case(fx->st, "B", "t", "s");
	memset(&rd, 0, sizeof(rd));
	rd.rd_case = b;
	rd.rd_at = 900;
	snprintf(rd.rd_token, sizeof(rd.rd_token), "other");
	snprintf(rd.rd_role, sizeof(rd.rd_role), "reader");
	snprintf(rd.rd_teams, sizeof(rd.rd_teams), "t");
	snprintf(rd.rd_what, sizeof(rd.rd_what), "history");
	assert_int_equal(store_read_insert(fx->st, &rd), STORE_OK);
	memset(&rd, 0, sizeof(rd));
	rd.rd_case = a;
	rd.rd_at = 1000;
	snprintf(rd.rd_token, sizeof(rd.rd_token), "worker");
	snprintf(rd.rd_role, sizeof(rd.rd_role), "caseworker");
	snprintf(rd.rd_teams, sizeof(rd.rd_teams), "noord,zuid");
	snprintf(rd.rd_what, sizeof(rd.rd_what), "participants");
	snprintf(rd.rd_request, sizeof(rd.rd_request), "req-1");
	snprintf(rd.rd_purpose, sizeof(rd.rd_purpose), "a hearing");
	assert_int_equal(store_read_insert(fx->st, &rd), STORE_OK);
	assert_true(rd.rd_id > 0);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_reads_of_case(fx->st, a, 0, 10, reads_cb, &rs),
	    STORE_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].rd_id, rd.rd_id);
	assert_int_equal(rs.r[0].rd_case, a);
	assert_int_equal(rs.r[0].rd_at, 1000);
	assert_string_equal(rs.r[0].rd_token, "worker");
	assert_string_equal(rs.r[0].rd_role, "caseworker");
	assert_string_equal(rs.r[0].rd_teams, "noord,zuid");
	assert_string_equal(rs.r[0].rd_what, "participants");
	assert_string_equal(rs.r[0].rd_request, "req-1");
	assert_string_equal(rs.r[0].rd_purpose, "a hearing");

	add_team(fx->st, "t");
	one = add_token(fx->st, "one", "caseworker", "t", 1, 0);
	two = add_token(fx->st, "two", "caseworker", "t", 2, 0);
	assert_int_equal(store_idem_put(fx->st, one, "k", "h1", 201,
	    "{\"id\":1}", "en", a, 1000), STORE_OK);
	assert_int_equal(store_idem_get(fx->st, two, "k", reqhash, &status,
	    &body, lang), STORE_NOTFOUND);
	assert_null(body);
	assert_int_equal(store_idem_put(fx->st, two, "k", "h2", 201,
	    "{\"id\":2}", "en", b, 1000), STORE_OK);
	assert_int_equal(store_idem_get(fx->st, one, "k", reqhash, &status,
	    &body, lang), STORE_OK);
	assert_string_equal(reqhash, "h1");
	assert_int_equal(status, 201);
	assert_string_equal(body, "{\"id\":1}");
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_teams),
		FIXTURE_TEST(test_teams_in_order),
		FIXTURE_TEST(test_tokens),
		FIXTURE_TEST(test_token_by_name),
		FIXTURE_TEST(test_token_display_names),
		FIXTURE_TEST(test_team_tokens),
		FIXTURE_TEST(test_visibility),
		FIXTURE_TEST(test_participants),
		FIXTURE_TEST(test_idempotency),
		FIXTURE_TEST(test_read_log),
		FIXTURE_TEST(test_reads_and_keys),
		FIXTURE_TEST(test_routes),
		FIXTURE_TEST(test_unrouted),
		FIXTURE_TEST(test_workflow_versions),
	};

	return cmocka_run_group_tests_name("store contract: access", tests,
	    NULL, NULL);
}
