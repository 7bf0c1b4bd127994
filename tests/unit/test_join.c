/* termijn: teams brought into a case by routes: the engine's rules, on a real SQLite file. */

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
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "db_fixture.h"

/*
 * 'unsafe' brings enforcement in on the reporting code, 'report' on the
 * basis the request names; entering 'enforcement' by any other way brings
 * it in on the state's own basis, and the housing partner as coordinator.
 */
static const char escalate[] =
    "workflow: escalate\n"
    "version: 1\n"
    "roles: [youth_worker, enforcement, supervisor]\n"
    "start: helping\n"
    "bases:\n"
    "  task: { article: Opiumwet art. 13b, description: Handhaving. }\n"
    "  reporting_code: { article: Meldcode, description: Meldcode. }\n"
    "  consent: { article: Jeugdwet, description: Toestemming. }\n"
    "states:\n"
    "  helping:\n"
    "    events:\n"
    "      unsafe:\n"
    "        to: enforcement\n"
    "        joins: [{ function: enforcement, basis: reporting_code,"
    " purpose: Onveilig. }]\n"
    "      report:\n"
    "        to: enforcement\n"
    "        shares: [consent, reporting_code]\n"
    "        joins: [{ function: enforcement, purpose: Gemeld. }]\n"
    "      stabilised: enforcement\n"
    "  enforcement:\n"
    "    joins:\n"
    "      - { function: enforcement, title: handhaving, basis: task,"
    " purpose: Handhaving begint. }\n"
    "      - { function: housing_fraud, basis: task, purpose: Woonfraude.,"
    " coordinator: true }\n"
    "    notify: [enforcement]\n"
    "    events: { close: closed }\n"
    "  closed:\n"
    "    final: true\n";

struct fixture {
	char		 path[64];
	struct store	*st;
	struct registry	*reg;
	struct engine	*en;
};

static const struct actor admin = { 0, "admin", "admin", "", NULL, NULL };
static const struct actor worker = {
	1, "worker", "youth_worker", "west-jeugd,oost-jeugd,regio", NULL, NULL
};

#define NOW	((int64_t)1772000000000)

static void
add_team(struct store *st, const char *name, const char *org)
{
	struct team_row	tm;

	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", name);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", name);
	snprintf(tm.tm_organisation, sizeof(tm.tm_organisation), "%s", org);
	assert_int_equal(store_team_insert(st, &tm), STORE_OK);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	struct token_row tk;
	unsigned char	 hash[HASH_SHA256_LEN];
	struct errlist	 errs;
	struct workflow	*wf;
	char		 err[256];
	int		 fd;

	errlist_init(&errs);
	assert_int_equal(calendar_init("Europe/Amsterdam", NULL, &errs), 0);
	snprintf(fx->path, sizeof(fx->path), "/tmp/termijn-join-XXXXXX");
	assert_true((fd = mkstemp(fx->path)) != -1);
	close(fd);
	if ((fx->st = store_open(fx->path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	fx->reg = registry_new();
	wf = workflow_parse("escalate.yaml", escalate, strlen(escalate), &errs);
	if (wf == NULL)
		fail_msg("%s", errs.el_msgs[0]);
	assert_int_equal(registry_add(fx->reg, wf, &errs), 0);
	fx->en = engine_new(fx->st, fx->reg);
	add_team(fx->st, "west-jeugd", "Gemeente West");
	add_team(fx->st, "oost-jeugd", "Gemeente Oost");
	add_team(fx->st, "regio", "");
	add_team(fx->st, "oost-handhaving", "Gemeente Oost");
	add_team(fx->st, "corporatie", "");
	memset(&tk, 0, sizeof(tk));
	memset(hash, 7, sizeof(hash));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", worker.ac_name);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", worker.ac_role);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", worker.ac_teams);
	assert_int_equal(store_token_insert(fx->st, &tk, hash), STORE_OK);
	assert_int_equal(engine_pin_workflows(fx->en, fx->reg, NOW, &errs), 0);
	errlist_clear(&errs);
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

/* One write of the tests, in a transaction of its own. */
struct op {
	const struct actor	*op_who;
	const char		*op_team;	/* a case's, or a route's owner */
	const char		*op_org;	/* a route's organisation */
	const char		*op_function;
	const char		*op_event;
	const char		*op_basis;
	int64_t			 op_id;
	size_t			 op_joined;
};

static int
create_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct op		*op = arg;
	struct case_input	 in = { "escalate", "R-1", op->op_team, 0, 1,
				     NULL };

	return engine_case_create(en, op->op_who, &in, NOW, &op->op_id, ee);
}

static int
event_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct op		*op = arg;
	struct event_input	 in = { op->op_event, NULL, 0, op->op_basis };

	return engine_case_event(en, op->op_who, op->op_id, &in, NOW, ee);
}

static int
route_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct op		*op = arg;
	struct route_row	 rt;

	memset(&rt, 0, sizeof(rt));
	snprintf(rt.rt_function, sizeof(rt.rt_function), "%s",
	    op->op_function);
	snprintf(rt.rt_for_team, sizeof(rt.rt_for_team), "%s",
	    op->op_team != NULL ? op->op_team : "");
	snprintf(rt.rt_for_org, sizeof(rt.rt_for_org), "%s",
	    op->op_org != NULL ? op->op_org : "");
	snprintf(rt.rt_team, sizeof(rt.rt_team), "%s", op->op_basis);
	return engine_route_set(en, op->op_who, &rt, NOW, &op->op_joined, ee);
}

/* A route: function for a team (or an organisation) goes to team. */
static enum engine_status
route(struct fixture *fx, const struct actor *who, const char *function,
    const char *owner, const char *org, const char *team, size_t *joined)
{
	struct op		op = { who, owner, org, function, NULL, team, 0, 0 };
	struct engine_error	ee;

	if (engine_write_one(fx->en, route_apply, &op, NOW, &ee) == -1)
		return ee.ee_status;
	if (joined != NULL)
		*joined = op.op_joined;
	return ENGINE_OK;
}

/* A case of team, moved on by event (with basis); its row. */
static struct case_row
escalated(struct fixture *fx, const char *team, const char *event,
    const char *basis)
{
	struct op		op = { &worker, team, NULL, NULL, event, basis,
				    0, 0 };
	struct engine_error	ee;
	struct case_row		c;

	if (engine_write_one(fx->en, create_apply, &op, NOW, &ee) == -1 ||
	    engine_write_one(fx->en, event_apply, &op, NOW, &ee) == -1)
		fail_msg("%s", ee.ee_msg);
	assert_int_equal(store_case_get(fx->st, op.op_id, &c), STORE_OK);
	return c;
}

/* "team:basis" of each team taking part, comma-separated, in order. */
static enum store_status
part_cb(const struct participant_row *p, void *arg)
{
	char	*s = arg;
	size_t	 len = strlen(s);

	snprintf(s + len, 256 - len, "%s%s:%s", len ? "," : "", p->p_team,
	    p->p_basis);
	return STORE_OK;
}

static const char *
taking_part(struct fixture *fx, int64_t id)
{
	static char	s[256];

	s[0] = '\0';
	assert_int_equal(store_participants_of_case(fx->st, id, 1, part_cb, s),
	    STORE_OK);
	return s;
}

/*
 * A team's own route comes before its organisation's; a function the
 * owning team fills itself brings nobody in; the coordinator moves.
 */
static void
test_routes_choose_the_team(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;

	assert_int_equal(route(fx, &admin, "enforcement", NULL,
	    "Gemeente West", "regio", NULL), ENGINE_OK);
	assert_int_equal(route(fx, &admin, "enforcement", NULL,
	    "Gemeente Oost", "regio", NULL), ENGINE_OK);
	assert_int_equal(route(fx, &admin, "enforcement", "oost-jeugd", NULL,
	    "oost-handhaving", NULL), ENGINE_OK);
	assert_int_equal(route(fx, &admin, "housing_fraud", NULL,
	    "Gemeente West", "corporatie", NULL), ENGINE_OK);
	assert_int_equal(route(fx, &admin, "housing_fraud", "regio", NULL,
	    "corporatie", NULL), ENGINE_OK);

	c = escalated(fx, "west-jeugd", "stabilised", NULL);
	assert_string_equal(taking_part(fx, c.c_id), "regio:task,corporatie:task");
	assert_string_equal(c.c_coordinator, "corporatie");
	assert_string_equal(c.c_unrouted, "");

	/* Oost's youth team has its own enforcement; housing is unrouted. */
	c = escalated(fx, "oost-jeugd", "stabilised", NULL);
	assert_string_equal(taking_part(fx, c.c_id), "oost-handhaving:task");
	assert_string_equal(c.c_unrouted, "housing_fraud");
	assert_string_equal(c.c_coordinator, "oost-jeugd");

	/* regio owns this one and fills enforcement for nobody: unrouted. */
	c = escalated(fx, "regio", "stabilised", NULL);
	assert_string_equal(taking_part(fx, c.c_id), "corporatie:task");
	assert_string_equal(c.c_unrouted, "enforcement");
}

/*
 * An event's join takes the basis the request named, or its own; the
 * state's join of the same function is not applied again.
 */
static void
test_an_events_join_comes_first(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;

	assert_int_equal(route(fx, &admin, "enforcement", "west-jeugd", NULL,
	    "regio", NULL), ENGINE_OK);
	c = escalated(fx, "west-jeugd", "report", "consent");
	assert_string_equal(taking_part(fx, c.c_id), "regio:consent");
	c = escalated(fx, "west-jeugd", "unsafe", NULL);
	assert_string_equal(taking_part(fx, c.c_id), "regio:reporting_code");
	assert_string_equal(c.c_unrouted, "housing_fraud");
}

/* A route added later brings its team into the cases that wait for it. */
static void
test_a_route_added_later_joins_the_waiting_cases(void **state)
{
	struct fixture		*fx = *state;
	struct engine_stats	 es;
	struct case_row		 a, b, c;
	size_t			 joined = 99;
	int64_t			 n;

	a = escalated(fx, "west-jeugd", "stabilised", NULL);
	b = escalated(fx, "oost-jeugd", "stabilised", NULL);
	assert_string_equal(a.c_unrouted, "enforcement,housing_fraud");
	assert_int_equal(store_unrouted_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 2);
	engine_stats(fx->en, &es);
	assert_int_equal(es.es_unrouted, 4);

	assert_int_equal(route(fx, &admin, "enforcement", NULL,
	    "Gemeente West", "regio", &joined), ENGINE_OK);
	assert_int_equal(joined, 1);
	assert_int_equal(store_case_get(fx->st, a.c_id, &c), STORE_OK);
	assert_string_equal(c.c_unrouted, "housing_fraud");
	assert_string_equal(taking_part(fx, a.c_id), "regio:task");
	assert_string_equal(taking_part(fx, b.c_id), "");
	assert_int_equal(store_case_get(fx->st, b.c_id, &c), STORE_OK);
	assert_string_equal(c.c_unrouted, "enforcement,housing_fraud");
	assert_int_equal(store_unrouted_count(fx->st, &n), STORE_OK);
	assert_int_equal(n, 2);
}

/* Only an admin routes, and only what names something known, once. */
static void
test_route_refusals(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(route(fx, &worker, "enforcement", "west-jeugd", NULL,
	    "regio", NULL), ENGINE_EFORBIDDEN);
	assert_int_equal(route(fx, &admin, "Enforcement", "west-jeugd", NULL,
	    "regio", NULL), ENGINE_EINVAL);
	assert_int_equal(route(fx, &admin, "enforcement", "west-jeugd",
	    "Gemeente West", "regio", NULL), ENGINE_EINVAL);
	assert_int_equal(route(fx, &admin, "enforcement", NULL, NULL, "regio",
	    NULL), ENGINE_EINVAL);
	assert_int_equal(route(fx, &admin, "enforcement", "west-jeugd", NULL,
	    "nobody", NULL), ENGINE_EINVAL);
	assert_int_equal(route(fx, &admin, "enforcement", NULL,
	    "Gemeente Nergens", "regio", NULL), ENGINE_EINVAL);
	assert_int_equal(route(fx, &admin, "enforcement", "regio", NULL,
	    "regio", NULL), ENGINE_EINVAL);
	assert_int_equal(route(fx, &admin, "enforcement", "west-jeugd", NULL,
	    "regio", NULL), ENGINE_OK);
	assert_int_equal(route(fx, &admin, "enforcement", "west-jeugd", NULL,
	    "corporatie", NULL), ENGINE_ECONFLICT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_routes_choose_the_team,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_events_join_comes_first,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_a_route_added_later_joins_the_waiting_cases, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_route_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
