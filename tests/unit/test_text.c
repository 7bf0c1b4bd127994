/* termijn: free text is refused, never cut: the check, the engine's guard. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/text.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "db_fixture.h"

#define E_ACUTE	"\xc3\xa9"		/* 2 bytes */
#define EURO	"\xe2\x82\xac"		/* 3 bytes */

/* s of n bytes: c repeated, ASCII 'x' to fill; to be freed. */
static char *
filled(const char *c, size_t n)
{
	char	*s = xmalloc(n + 1);
	size_t	 o = 0, len = strlen(c);

	while (o + len <= n) {
		memcpy(s + o, c, len);
		o += len;
	}
	memset(s + o, 'x', n - o);
	s[n] = '\0';
	return s;
}

/* Up to the limit in whole characters; past it, or not UTF-8, refused. */
static void
test_check(void **state)
{
	static const struct {
		const char	*c;	/* repeated to n bytes */
		size_t		 n;
		size_t		 max;
		const char	*err;	/* NULL: accepted; else in the error */
	} cases[] = {
		{ "a", 0, 10, NULL },
		{ "a", 10, 10, NULL },
		{ E_ACUTE, 10, 10, NULL },
		{ EURO, 9, 9, NULL },
		{ "a", 11, 10, "note is 11 bytes long; it may be at most 10" },
		{ E_ACUTE, 12, 10, "note is 12 bytes long; it may be at most"
		    " 10" },
		{ EURO, 1024, 1024, NULL },
		{ "\xff", 1, 10, "note is not UTF-8 text: byte 1 " },
		{ "a\xc3", 4, 10, "note is not UTF-8 text: byte 2 " },
		{ "\xed\xa0\x80", 3, 10, "not UTF-8" },	/* a surrogate */
	};
	char	 err[256];
	char	*s;
	size_t	 i;
	int	 rc;

	for (i = 0; i < nitems(cases); i++) {
		s = filled(cases[i].c, cases[i].n);
		err[0] = '\0';
		rc = text_check("note", s, cases[i].max, err, sizeof(err));
		if (cases[i].err == NULL && rc != 0)
			fail_msg("case %zu refused: %s", i, err);
		if (cases[i].err != NULL && (rc != -1 ||
		    strstr(err, cases[i].err) == NULL))
			fail_msg("case %zu: \"%s\" does not hold \"%s\"", i,
			    err, cases[i].err);
		free(s);
	}
}

/* Whole, or not at all. */
static void
test_copy(void **state)
{
	char	buf[4];

	assert_int_equal(text_copy(buf, sizeof(buf), "abc"), 0);
	assert_string_equal(buf, "abc");
	assert_int_equal(text_copy(buf, sizeof(buf), ""), 0);
	assert_string_equal(buf, "");
	memcpy(buf, "zzz", 4);
	assert_int_equal(text_copy(buf, sizeof(buf), "abcd"), -1);
	assert_string_equal(buf, "");
	assert_int_equal(text_copy(buf, sizeof(buf), "a" E_ACUTE "b"), -1);
	assert_int_equal(text_copy(buf, 0, "a"), -1);
}

/* The member whose string value holds a byte of a JSON object's text. */
static void
test_json_member(void **state)
{
	static const struct {
		const char	*text;
		const char	*at;	/* the byte: the first of these */
		const char	*name;	/* NULL: in no member's value */
	} cases[] = {
		{ "{\"note\": \"caf\xff\"}", "\xff", "note" },
		{ "{\"event\": \"x\", \"note\": \"a\xff\"}", "\xff", "note" },
		{ "{\"a\": \"b,c:d\", \"note\": \"\\\"\xff\"}", "\xff",
		    "note" },
		{ "{\"teams\": [\"a\", \"b\xff\"]}", "\xff", "teams" },
		{ "{\"o\": {\"k\": \"v\xff\"}}", "\xff", "o" },
		{ "{\"n\xff\": \"v\"}", "\xff", NULL },		/* a name */
		{ "{\"n\": 1\xff}", "\xff", NULL },		/* no string */
		{ "\"top\xff\"", "\xff", NULL },		/* no object */
		{ "{\"note\": \"x\\ud800\"}", "\\ud800", "note" },
	};
	char	 name[64];
	size_t	 i, pos;
	int	 found;

	for (i = 0; i < nitems(cases); i++) {
		pos = (size_t)(strstr(cases[i].text, cases[i].at) -
		    cases[i].text);
		name[0] = '\0';
		found = text_json_member(cases[i].text, strlen(cases[i].text),
		    pos, name, sizeof(name));
		if (cases[i].name == NULL) {
			if (found)
				fail_msg("case %zu: member \"%s\"", i, name);
			continue;
		}
		if (!found)
			fail_msg("case %zu: no member", i);
		assert_string_equal(name, cases[i].name);
	}
}

/*
 * The engine, whoever calls it (termijnd, termijnctl on the database),
 * refuses free text over its limit or not UTF-8, and writes nothing.
 */
static const char shared[] =
    "workflow: shared\n"
    "version: 1\n"
    "roles: [youth_worker]\n"
    "start: open\n"
    "bases:\n"
    "  consent: { article: Jeugdwet, description: Toestemming. }\n"
    "states:\n"
    "  open:\n"
    "    events: { close: closed }\n"
    "  closed:\n"
    "    final: true\n";

static const struct actor admin = { 0, "admin", "admin", "", NULL, NULL };
static const struct actor worker = {
	1, "worker", "youth_worker", "jeugd,handhaving", NULL, NULL
};

#define NOW	((int64_t)1772000000000)

struct fixture {
	char		 path[64];
	struct store	*st;
	struct registry	*reg;
	struct engine	*en;
	int64_t		 id;
};

/* One write with free text: which, and the text. */
struct op {
	int		 op_what;
	const char	*op_text;
	int64_t		 op_id;
};

enum { OP_CREATE, OP_EVENT, OP_SHARE, OP_COORDINATE, OP_ASSIGN, OP_UNSHARE,
	OP_TEAM, OP_ORG, OP_ROUTE, OP_READ };

static int
apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct op		*op = arg;
	struct case_input	 ci = { "shared", "R-1", "jeugd", 0, 1, NULL };
	struct event_input	 ev = { "close", op->op_text, 0, NULL };
	struct share_input	 sh = { "handhaving", "consent", op->op_text };
	struct actor		 reader = worker;
	struct team_row		 tm;
	struct route_row	 rt;
	size_t			 joined;

	switch (op->op_what) {
	case OP_CREATE:
		return engine_case_create(en, &worker, &ci, NOW, &op->op_id,
		    ee);
	case OP_EVENT:
		return engine_case_event(en, &worker, op->op_id, &ev, NOW, ee);
	case OP_SHARE:
		return engine_case_share(en, &worker, op->op_id, &sh, NOW, ee);
	case OP_COORDINATE:
		return engine_case_coordinate(en, &worker, op->op_id,
		    "handhaving", op->op_text, NOW, ee);
	case OP_ASSIGN:
		return engine_case_assign(en, &worker, op->op_id, "worker",
		    op->op_text, NOW, ee);
	case OP_UNSHARE:
		return engine_case_unshare(en, &worker, op->op_id, "handhaving",
		    op->op_text, NOW, ee);
	case OP_TEAM:
	case OP_ORG:
		memset(&tm, 0, sizeof(tm));
		snprintf(tm.tm_name, sizeof(tm.tm_name), "nieuw");
		snprintf(tm.tm_title, sizeof(tm.tm_title), "%s",
		    op->op_what == OP_TEAM ? op->op_text : "Nieuw");
		if (op->op_what == OP_ORG)
			snprintf(tm.tm_organisation,
			    sizeof(tm.tm_organisation), "%s", op->op_text);
		return engine_team_add(en, &admin, &tm, NOW, ee);
	case OP_ROUTE:
		memset(&rt, 0, sizeof(rt));
		snprintf(rt.rt_function, sizeof(rt.rt_function), "enforcement");
		snprintf(rt.rt_for_org, sizeof(rt.rt_for_org), "%s",
		    op->op_text);
		snprintf(rt.rt_team, sizeof(rt.rt_team), "handhaving");
		return engine_route_set(en, &admin, &rt, NOW, &joined, ee);
	case OP_READ:
		reader.ac_purpose = op->op_text;
		return engine_read_log(en, &reader, op->op_id, "case", NOW, ee);
	}
	return -1;
}

static enum engine_status
one_write(struct fixture *fx, int what, const char *text, char *msg,
    size_t len)
{
	struct op		op = { what, text, fx->id };
	struct engine_error	ee;

	if (engine_write_one(fx->en, apply, &op, NOW, &ee) == -1) {
		snprintf(msg, len, "%s", ee.ee_msg);
		return ee.ee_status;
	}
	if (what == OP_CREATE)
		fx->id = op.op_id;
	return ENGINE_OK;
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	struct token_row tk;
	struct team_row	 tm;
	unsigned char	 hash[HASH_SHA256_LEN];
	struct errlist	 errs;
	struct workflow	*wf;
	char		 err[384];
	const char	*teams[] = { "jeugd", "handhaving" };
	size_t		 i;
	int		 fd;

	errlist_init(&errs);
	assert_int_equal(calendar_init("Europe/Amsterdam", NULL, &errs), 0);
	snprintf(fx->path, sizeof(fx->path), "/tmp/termijn-text-XXXXXX");
	assert_true((fd = mkstemp(fx->path)) != -1);
	close(fd);
	if ((fx->st = store_open(fx->path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	fx->reg = registry_new();
	if ((wf = workflow_parse("shared.yaml", shared, strlen(shared),
	    &errs)) == NULL)
		fail_msg("%s", errs.el_msgs[0]);
	assert_int_equal(registry_add(fx->reg, wf, &errs), 0);
	fx->en = engine_new(fx->st, fx->reg);
	for (i = 0; i < nitems(teams); i++) {
		memset(&tm, 0, sizeof(tm));
		snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", teams[i]);
		snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", teams[i]);
		snprintf(tm.tm_organisation, sizeof(tm.tm_organisation),
		    "Gemeente");
		assert_int_equal(store_team_insert(fx->st, &tm), STORE_OK);
	}
	memset(&tk, 0, sizeof(tk));
	memset(hash, 7, sizeof(hash));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", worker.ac_name);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", worker.ac_role);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", worker.ac_teams);
	assert_int_equal(store_token_insert(fx->st, &tk, hash), STORE_OK);
	assert_int_equal(engine_pin_workflows(fx->en, fx->reg, NOW, &errs), 0);
	errlist_clear(&errs);
	assert_int_equal(one_write(fx, OP_CREATE, NULL, err, sizeof(err)),
	    ENGINE_OK);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	engine_free(fx->en);
	store_close(fx->st);
	registry_free(fx->reg);
	unlink_db(fx->path);
	free(fx);
	return 0;
}

static enum store_status
count_cb(const struct transition_row *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	return STORE_OK;
}

static int
transitions(struct fixture *fx)
{
	int	n = 0;

	assert_int_equal(store_transitions_of_case(fx->st, fx->id, 0, 500,
	    count_cb, &n), STORE_OK);
	return n;
}

static void
test_engine_refuses(void **state)
{
	struct fixture	*fx = *state;
	static const struct {
		int		 what;
		const char	*c;	/* repeated to n bytes */
		size_t		 n;
		const char	*err;
	} cases[] = {
		{ OP_EVENT, "a", NOTE_MAX + 1, "note is 1025 bytes long" },
		{ OP_EVENT, "\xc3", 1, "note is not UTF-8" },
		{ OP_SHARE, E_ACUTE, PURPOSE_MAX + 1, "purpose is 256 bytes" },
		{ OP_SHARE, "\xff", 1, "purpose is not UTF-8" },
		{ OP_COORDINATE, EURO, NOTE_MAX + 2, "note is 1026 bytes" },
		{ OP_ASSIGN, "a", NOTE_MAX + 1, "note is 1025 bytes" },
		{ OP_ASSIGN, "\xe2\x82", 2, "note is not UTF-8" },
		{ OP_UNSHARE, "a", NOTE_MAX + 1, "note is 1025 bytes" },
		{ OP_TEAM, "\xff", 1, "title is not UTF-8" },
		{ OP_ORG, "\xc3", 1, "organisation is not UTF-8" },
		{ OP_ROUTE, "\xc3", 1, "for_organisation is not UTF-8" },
		{ OP_READ, "a", PURPOSE_MAX + 1, "Read-Purpose is 256 bytes" },
		{ OP_READ, "\xff", 1, "Read-Purpose is not UTF-8" },
	};
	struct team_row	 tm;
	char		 msg[384], *s;
	size_t		 i;
	int		 n;

	/* handhaving takes part, so that coordinate and unshare could go. */
	assert_int_equal(one_write(fx, OP_SHARE, "afstemming", msg,
	    sizeof(msg)), ENGINE_OK);
	n = transitions(fx);
	for (i = 0; i < nitems(cases); i++) {
		s = filled(cases[i].c, cases[i].n);
		msg[0] = '\0';
		if (one_write(fx, cases[i].what, s, msg, sizeof(msg)) !=
		    ENGINE_EINVAL || strstr(msg, cases[i].err) == NULL)
			fail_msg("case %zu: \"%s\" does not hold \"%s\"", i,
			    msg, cases[i].err);
		free(s);
	}
	assert_int_equal(transitions(fx), n);
	assert_int_equal(store_team_get(fx->st, "nieuw", &tm), STORE_NOTFOUND);

	/* At the limit, in two-byte characters, it goes through. */
	s = filled(E_ACUTE, NOTE_MAX);
	assert_int_equal(one_write(fx, OP_COORDINATE, s, msg, sizeof(msg)),
	    ENGINE_OK);
	free(s);
	assert_int_equal(transitions(fx), n + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_json_member),
		cmocka_unit_test_setup_teardown(test_engine_refuses, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
