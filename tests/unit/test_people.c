/*
 * termijn: people by name (issue 17).  A token carries a person's display
 * name, checked as one line of text; the store keeps it, reads it beside
 * an assignee and a history's actor, and lists the valid tokens of a
 * team; the engine lets a team's own people and an admin list those that
 * work on cases; and migration 10 takes a database of schema 9 (made by
 * the release before it, tests/fixtures/schema-9.db) forward losing
 * nothing.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "termijn/audit.h"
#include "termijn/engine.h"
#include "termijn/limits.h"
#include "termijn/store.h"
#include "termijn/text.h"
#include "termijn/util.h"

#include "db_fixture.h"

struct fixture {
	char		 path[64];
	struct store	*st;
	struct engine	*en;
};

/* The people of the tests: role-like names, never a real-looking one. */
static const struct actor admin = { 1, "beheer", "admin", "", NULL, NULL };
static const struct actor sup = {
	2, "sup-noord", "supervisor", "noord", NULL, NULL
};
static const struct actor colleague = {
	3, "mw-noord-1", "caseworker", "noord", NULL, NULL
};
static const struct actor reader = {
	4, "lezer-noord", "reader", "noord", NULL, NULL
};
static const struct actor stranger = {
	5, "mw-zuid-1", "caseworker", "zuid", NULL, NULL
};

static void
new_location(char *path, size_t len)
{
	int	fd;

	snprintf(path, len, "/tmp/termijn-people-XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp");
	close(fd);
	unlink(path);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	const char	*loc = getenv("TERMIJN_STORE_LOCATION");
	char		 err[256];

	if (loc != NULL)
		snprintf(fx->path, sizeof(fx->path), "%s", loc);
	else
		new_location(fx->path, sizeof(fx->path));
	if ((fx->st = store_open(fx->path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	fx->en = engine_new(fx->st, NULL);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	engine_free(fx->en);
	store_close(fx->st);
	if (getenv("TERMIJN_STORE_LOCATION") == NULL)
		unlink_db(fx->path);
	free(fx);
	return 0;
}

static void
add_team(struct store *st, const char *name)
{
	struct team_row	tm;

	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", name);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", name);
	assert_int_equal(store_team_insert(st, &tm), STORE_OK);
}

static int64_t
add_token(struct store *st, const char *name, const char *role,
    const char *teams, const char *display, int byte, int64_t expires)
{
	struct token_row	tk;
	unsigned char		h[HASH_SHA256_LEN];

	memset(&tk, 0, sizeof(tk));
	memset(h, byte, sizeof(h));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", name);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", role);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", teams);
	snprintf(tk.tk_display_name, sizeof(tk.tk_display_name), "%s",
	    display);
	tk.tk_created_at = 1000;
	tk.tk_expires_at = expires;
	assert_int_equal(store_token_insert(st, &tk, h), STORE_OK);
	return tk.tk_id;
}

/* The names a walk over tokens gave, "name=display" joined by commas. */
struct seen {
	char	s_list[512];
};

static enum store_status
seen_cb(const struct token_row *tk, void *arg)
{
	struct seen	*sn = arg;
	size_t		 n = strlen(sn->s_list);

	snprintf(sn->s_list + n, sizeof(sn->s_list) - n, "%s%s=%s",
	    n ? "," : "", tk->tk_name, tk->tk_display_name);
	return STORE_OK;
}

/*
 * A display name is one line of text a person reads: refused empty,
 * blank, with spaces at its ends, with a control character or a mark that
 * reorders text, not UTF-8, or over its limit; and the refusal names the
 * field but quotes nothing of the name.
 */
static void
test_name_checked(void **state)
{
	static const struct {
		const char	*in;
		const char	*said;	/* NULL: taken */
	} cases[] = {
		{ "Medewerker Jeugd 1", NULL },
		{ "Teamleider Handhaving \xc3\xa9\xc3\xa8n", NULL },
		{ "A", NULL },
		{ "", "must not be empty" },
		{ "   ", "must not be empty" },
		{ " Medewerker", "begin or end with a space" },
		{ "Medewerker ", "begin or end with a space" },
		{ "Mede\twerker", "control characters (U+0009 at byte 5)" },
		{ "Mede\nwerker", "control characters (U+000A" },
		{ "Mede\x7fwerker", "control characters (U+007F" },
		{ "Mede\xc2\x85werker", "control characters (U+0085" },
		{ "Mede\xe2\x80\xaewerker", "control characters (U+202E" },
		{ "Mede\xe2\x80\xa8werker", "control characters (U+2028" },
		{ "Mede\xffwerker", "not UTF-8 text: byte 5" },
	};
	char	err[256], big[DISPLAY_NAME_MAX + 2];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		err[0] = '\0';
		if (cases[i].said == NULL) {
			assert_int_equal(text_check_name("display_name",
			    cases[i].in, DISPLAY_NAME_MAX, err, sizeof(err)),
			    0);
			continue;
		}
		assert_int_equal(text_check_name("display_name", cases[i].in,
		    DISPLAY_NAME_MAX, err, sizeof(err)), -1);
		if (strstr(err, cases[i].said) == NULL ||
		    strstr(err, "display_name") == NULL)
			fail_msg("case %zu: %s", i, err);
		assert_null(strstr(err, "werker"));
	}
	/* Exactly its limit is kept; one byte more is refused. */
	memset(big, 'x', sizeof(big));
	big[DISPLAY_NAME_MAX] = '\0';
	assert_int_equal(text_check_name("display_name", big,
	    DISPLAY_NAME_MAX, err, sizeof(err)), 0);
	big[DISPLAY_NAME_MAX] = 'x';
	big[DISPLAY_NAME_MAX + 1] = '\0';
	assert_int_equal(text_check_name("display_name", big,
	    DISPLAY_NAME_MAX, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is 129 bytes long; it may be at most"
	    " 128"));
}

/* A link left unsealed: these tests read no hash. */
static void
seal_none_cb(struct transition_row *t, void *arg)
{
	(void)t;
	(void)arg;
}

/*
 * The store keeps a display name with a token, changes it on a valid
 * token only, and reads it beside an assignee and a history's actor.
 */
static void
test_store_keeps_names(void **state)
{
	struct fixture		*fx = *state;
	struct token_row	 tk;
	struct case_row		 c;
	struct transition_row	 t;
	struct seen		 sn;

	add_team(fx->st, "noord");
	add_token(fx->st, "mw-noord-1", "caseworker", "noord",
	    "Medewerker Jeugd 1", 1, 0);
	add_token(fx->st, "mw-noord-2", "caseworker", "noord", "", 2, 0);
	add_token(fx->st, "oud", "caseworker", "noord", "", 3, 500);
	assert_int_equal(store_token_by_name(fx->st, "mw-noord-1", 1000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "Medewerker Jeugd 1");
	assert_int_equal(store_token_by_name(fx->st, "mw-noord-2", 1000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "");

	/* Set, changed, taken away; never on an expired or unknown token. */
	assert_int_equal(store_token_set_display_name(fx->st, "mw-noord-2",
	    "Medewerker Jeugd 2", 1000), STORE_OK);
	assert_int_equal(store_token_set_display_name(fx->st, "oud",
	    "Oud-medewerker", 1000), STORE_NOTFOUND);
	assert_int_equal(store_token_set_display_name(fx->st, "niemand",
	    "Niemand", 1000), STORE_NOTFOUND);
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(store_tokens_each(fx->st, seen_cb, &sn), STORE_OK);
	assert_string_equal(sn.s_list, "mw-noord-1=Medewerker Jeugd 1,"
	    "mw-noord-2=Medewerker Jeugd 2,oud=");
	assert_int_equal(store_token_set_display_name(fx->st, "mw-noord-2", "",
	    1000), STORE_OK);
	assert_int_equal(store_token_by_name(fx->st, "mw-noord-2", 1000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "");

	/* A case assigned to the first: its row says whom, by name. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "zelfmelding");
	c.c_version = 1;
	snprintf(c.c_reference, sizeof(c.c_reference), "Z-1");
	snprintf(c.c_team, sizeof(c.c_team), "noord");
	snprintf(c.c_coordinator, sizeof(c.c_coordinator), "noord");
	snprintf(c.c_state, sizeof(c.c_state), "s");
	assert_int_equal(store_case_insert(fx->st, &c), STORE_OK);
	snprintf(c.c_assignee, sizeof(c.c_assignee), "mw-noord-1");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&t, 0, sizeof(t));
	t.t_case = c.c_id;
	snprintf(t.t_to, sizeof(t.t_to), "s");
	snprintf(t.t_cause, sizeof(t.t_cause), "assign");
	snprintf(t.t_actor, sizeof(t.t_actor), "mw-noord-2");
	snprintf(t.t_detail, sizeof(t.t_detail), "mw-noord-1");
	t.t_final = 0;
	assert_int_equal(store_chain_append(fx->st, &t, seal_none_cb, NULL),
	    STORE_OK);
	assert_int_equal(t.t_id, 1);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, c.c_id, &c), STORE_OK);
	assert_string_equal(c.c_assignee, "mw-noord-1");
	assert_string_equal(c.c_assignee_name, "Medewerker Jeugd 1");
}

static enum store_status
names_cb(const struct transition_row *t, void *arg)
{
	struct transition_row	*out = arg;

	*out = *t;
	return STORE_OK;
}

/* The history reads the names of the actor and of whom it assigns. */
static void
test_history_names(void **state)
{
	struct fixture		*fx = *state;
	struct transition_row	 t;
	struct case_row		 c;

	test_store_keeps_names(state);
	assert_int_equal(store_case_get(fx->st, 1, &c), STORE_OK);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_transitions_of_case(fx->st, c.c_id, 0, 10,
	    names_cb, &t), STORE_OK);
	assert_string_equal(t.t_actor, "mw-noord-2");
	assert_string_equal(t.t_actor_name, "");	/* taken away */
	assert_string_equal(t.t_detail_name, "Medewerker Jeugd 1");
	assert_int_equal(store_token_set_display_name(fx->st, "mw-noord-2",
	    "Medewerker Jeugd 2", 1000), STORE_OK);
	assert_int_equal(store_transitions_of_case(fx->st, c.c_id, 0, 10,
	    names_cb, &t), STORE_OK);
	assert_string_equal(t.t_actor_name, "Medewerker Jeugd 2");
}

/*
 * The people of a team: its valid tokens whose role works on cases, by
 * display name (the name where none is set); for the team's own people
 * and an admin, refused to a reader of the team and to another team.
 */
static void
test_team_people(void **state)
{
	struct fixture		*fx = *state;
	struct engine_error	 ee;
	struct seen		 sn;
	const struct actor	*may[] = { &admin, &sup, &colleague };
	size_t			 i;

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	add_token(fx->st, "sup-noord", "supervisor", "noord,zuid",
	    "Teamleider Jeugd", 1, 0);
	add_token(fx->st, "mw-noord-1", "caseworker", "noord",
	    "Medewerker Jeugd 1", 2, 0);
	add_token(fx->st, "jw-noord", "youth_worker", "noord", "", 3, 0);
	add_token(fx->st, "lezer-noord", "reader", "noord", "Lezer", 4, 0);
	add_token(fx->st, "oud", "caseworker", "noord", "Oud", 5, 1500);
	add_token(fx->st, "mw-zuid-1", "caseworker", "zuid", "Zuid 1", 6, 0);
	add_token(fx->st, "ingetrokken", "caseworker", "noord", "Weg", 7, 0);
	assert_int_equal(store_token_revoke(fx->st, "ingetrokken", 1200),
	    STORE_OK);

	for (i = 0; i < nitems(may); i++) {
		memset(&sn, 0, sizeof(sn));
		assert_int_equal(engine_team_people(fx->en, may[i], "noord",
		    2000, seen_cb, &sn, &ee), 0);
		assert_string_equal(sn.s_list, "jw-noord=,mw-noord-1="
		    "Medewerker Jeugd 1,sup-noord=Teamleider Jeugd");
	}
	/* Before it expired, the expired one was one of them. */
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(engine_team_people(fx->en, &admin, "noord", 1400,
	    seen_cb, &sn, &ee), 0);
	assert_non_null(strstr(sn.s_list, "oud=Oud"));

	assert_int_equal(engine_team_people(fx->en, &reader, "noord", 2000,
	    seen_cb, &sn, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EFORBIDDEN);
	assert_int_equal(engine_team_people(fx->en, &stranger, "noord", 2000,
	    seen_cb, &sn, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EFORBIDDEN);
	assert_non_null(strstr(ee.ee_msg, "only the people of team noord"));
	assert_int_equal(engine_team_people(fx->en, &admin, "west", 2000,
	    seen_cb, &sn, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ENOTFOUND);
	assert_string_equal(ee.ee_msg, "no team \"west\"");
}

/* Only an admin names a token's person, within the limits, and says whom. */
static void
test_engine_display_name(void **state)
{
	struct fixture		*fx = *state;
	struct engine_error	 ee;
	struct token_row	 tk;

	add_team(fx->st, "noord");
	add_token(fx->st, "mw-noord-1", "caseworker", "noord", "", 1, 0);
	assert_int_equal(engine_token_display_name(fx->en, &sup, "mw-noord-1",
	    "Medewerker Jeugd 1", 1000, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EFORBIDDEN);
	assert_int_equal(engine_token_display_name(fx->en, &admin,
	    "mw-noord-1", "Mede\x01werker", 1000, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_EINVAL);
	assert_non_null(strstr(ee.ee_msg, "display_name"));
	assert_int_equal(engine_token_display_name(fx->en, &admin, "niemand",
	    "Niemand", 1000, &ee), -1);
	assert_int_equal(ee.ee_status, ENGINE_ENOTFOUND);
	assert_int_equal(store_token_by_name(fx->st, "mw-noord-1", 1000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "");
	assert_int_equal(engine_token_display_name(fx->en, &admin,
	    "mw-noord-1", "Medewerker Jeugd 1", 1000, &ee), 0);
	assert_int_equal(store_token_by_name(fx->st, "mw-noord-1", 1000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "Medewerker Jeugd 1");
	assert_int_equal(engine_token_display_name(fx->en, &admin,
	    "mw-noord-1", NULL, 1000, &ee), 0);
	assert_int_equal(store_token_by_name(fx->st, "mw-noord-1", 1000, &tk),
	    STORE_OK);
	assert_string_equal(tk.tk_display_name, "");
}

/*
 * What a query gives on a database, every row and column as text, joined:
 * to compare a table before and after a migration.
 */
static char *
dump(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*out = xstrdup(""), *next;
	const unsigned char *v;
	int		 i, n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	n = sqlite3_column_count(s);
	while (sqlite3_step(s) == SQLITE_ROW)
		for (i = 0; i < n; i++) {
			v = sqlite3_column_text(s, i);
			xasprintf(&next, "%s%s%s", out, v ? (const char *)v :
			    "NULL", i + 1 < n ? "|" : "\n");
			free(out);
			out = next;
		}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

/*
 * Migration 10 (and 11 after it) from a database the release before made
 * (schema-9.db, tests/fixtures/README.md): every row of every table the
 * fixture has is there after it as before, byte for byte in the columns
 * it had, each token without a display name; the audit chain and the tables still agree; and a display name
 * can be given then.
 */
static void
test_migrate_from_schema_9(void **state)
{
	static const char *const tables[] = {
		"SELECT id, name, role, hash, created_at, expires_at,"
		" last_used_at, revoked_at FROM tokens ORDER BY id",
		"SELECT * FROM token_teams ORDER BY token_id, team",
		"SELECT * FROM teams ORDER BY name",
		"SELECT * FROM cases ORDER BY id",
		/* Without migration 13's column, which is new. */
		"SELECT id, case_id, name, state, then_state, period, rule,"
		" kind, anchor, due, active, running, passed, scope,"
		" suspended_since, suspended_days, suspended_ms, extensions"
		" FROM deadlines ORDER BY id",
		"SELECT * FROM rungs ORDER BY id",
		"SELECT * FROM transitions ORDER BY id",
		"SELECT * FROM chain_marks ORDER BY id",
		"SELECT * FROM chain_gaps ORDER BY id",
		"SELECT * FROM chain_head",
		"SELECT * FROM participants ORDER BY id",
		"SELECT * FROM reads ORDER BY id",
		"SELECT * FROM tombstones ORDER BY case_id",
		"SELECT token_id, key, request_hash, status, body, created_at,"
		" case_id FROM idempotency ORDER BY token_id, key",
		"SELECT * FROM notifications ORDER BY id",
		"SELECT * FROM undo ORDER BY case_id",
		"SELECT * FROM workflow_versions ORDER BY name, version",
		"SELECT * FROM routes ORDER BY id",
		"SELECT * FROM route_log ORDER BY id",
		"SELECT * FROM outbox ORDER BY id",
	};
	struct audit_report	 ar;
	struct token_row	 tk;
	struct store		*st;
	struct seen		 sn;
	char			 path[64], cmd[160], err[256];
	char			*before[nitems(tables)], *after, *v;
	size_t			 i;

	(void)state;
	if (getenv("TERMIJN_STORE_LOCATION") != NULL)
		skip();
	new_location(path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "cp fixtures/schema-9.db %s", path);
	if (system(cmd) != 0)
		fail_msg("%s", cmd);
	v = dump(path, "PRAGMA user_version");
	assert_string_equal(v, "9\n");
	free(v);
	for (i = 0; i < nitems(tables); i++)
		before[i] = dump(path, tables[i]);
	assert_non_null(strstr(before[0], "leiding-jeugd|supervisor"));
	assert_non_null(strstr(before[3], "handhaver"));	/* assigned */

	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("store_open schema-9.db: %s", err);
	assert_int_equal(store_schema_version(st), 14);
	store_close(st);
	for (i = 0; i < nitems(tables); i++) {
		after = dump(path, tables[i]);
		if (strcmp(before[i], after) != 0)
			fail_msg("%s changed:\n%s\nbecame\n%s", tables[i],
			    before[i], after);
		free(after);
		free(before[i]);
	}
	v = dump(path, "SELECT count(*), count(display_name) FROM tokens");
	assert_string_equal(v, "6|0\n");
	free(v);

	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_token_set_display_name(st, "handhaver",
	    "Handhaver 1", INT64_MAX / 2), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_token_by_name(st, "handhaver", INT64_MAX / 2,
	    &tk), STORE_OK);
	assert_string_equal(tk.tk_display_name, "Handhaver 1");
	assert_string_equal(tk.tk_role, "enforcement");
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(store_team_tokens(st, "handhaving", INT64_MAX / 2,
	    seen_cb, &sn), STORE_OK);
	assert_string_equal(sn.s_list, "handhaver=Handhaver 1");
	store_close(st);
	unlink_db(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_checked),
		cmocka_unit_test_setup_teardown(test_store_keeps_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_history_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_team_people, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_engine_display_name, setup,
		    teardown),
		cmocka_unit_test(test_migrate_from_schema_9),
	};

	return cmocka_run_group_tests_name("people", tests, NULL, NULL);
}
