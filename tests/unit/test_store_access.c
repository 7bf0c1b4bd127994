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

	assert_int_equal(store_idem_put(fx->st, zuid, "k", "h", 200, "{}", a,
	    2100), STORE_OK);
	assert_int_equal(store_idem_get(fx->st, zuid, "k", reqhash, &status,
	    &body), STORE_OK);
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
	    &body), STORE_EXISTS);
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
	int64_t			 tok;
	int			 status;

	add_team(fx->st, "noord");
	tok = add_token(fx->st, "worker", "caseworker", "noord", 1, 0);
	assert_int_equal(store_idem_get(fx->st, tok, "k1", reqhash,
	    &status, &body), STORE_NOTFOUND);
	assert_int_equal(store_idem_put(fx->st, tok, "k1", "abc", 201,
	    "{\"id\":1}", 0, 1000), STORE_OK);
	assert_int_equal(store_idem_put(fx->st, tok, "k1", "def", 200,
	    "{}", 0, 1001), STORE_EXISTS);
	assert_int_equal(store_idem_get(fx->st, tok, "k1", reqhash,
	    &status, &body), STORE_OK);
	assert_string_equal(reqhash, "abc");
	assert_int_equal(status, 201);
	assert_string_equal(body, "{\"id\":1}");
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_teams),
		FIXTURE_TEST(test_tokens),
		FIXTURE_TEST(test_visibility),
		FIXTURE_TEST(test_idempotency),
		FIXTURE_TEST(test_read_log),
		FIXTURE_TEST(test_workflow_versions),
	};

	return cmocka_run_group_tests_name("store contract: access", tests,
	    NULL, NULL);
}
