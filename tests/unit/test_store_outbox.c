/*
 * termijn: the store's contract: the outbox of webhooks.  Rows written
 * with what causes them, taken out when due in (next attempt, id) order,
 * the next moment one is due, a row by id, the rows by status newest
 * first a page at a time, their counts, and how each notification of a
 * case fared, never with its CloudEvent (store_fixture.h says where the
 * store is).
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

/* An outbox row of a case for a team, due at 5000. */
static int64_t
add_outbox(struct store *st, int64_t case_id, int64_t notification,
    const char *team)
{
	struct outbox_row	o;

	memset(&o, 0, sizeof(o));
	o.o_case = case_id;
	o.o_notification = notification;
	snprintf(o.o_type, sizeof(o.o_type), "nl.termijn.deadline.passed");
	snprintf(o.o_team, sizeof(o.o_team), "%s", team);
	snprintf(o.o_role, sizeof(o.o_role), "enforcement");
	o.o_body = "{\"secret\":\"the event\"}";
	o.o_next_at = o.o_created_at = 5000;
	assert_int_equal(store_outbox_insert(st, &o), STORE_OK);
	assert_true(o.o_id > 0);
	return o.o_id;
}

/* The rows a walk of the outbox gave, copied. */
struct outbox_rows {
	struct outbox_row	o[8];
	size_t			n;
	int			bodies;		/* rows that came with one */
};

static enum store_status
outbox_rows_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_rows	*l = arg;

	l->bodies += o->o_body != NULL;
	if (l->n < nitems(l->o)) {
		l->o[l->n] = *o;
		l->o[l->n++].o_body = NULL;
	}
	return l->n == 3 ? STORE_NOTFOUND : STORE_OK;
}

/*
 * A case's outbox rows, by id, whatever their status, with how each
 * fared, never with the CloudEvent; another case's rows are not among
 * them, and a walk stops when its callback says so.
 */
static void
test_outbox_of_case(void **state)
{
	struct fixture		*fx = *state;
	struct outbox_rows	 l;
	struct outbox_row	 o;
	int64_t			 a, b, ids[4];

	a = add_case(fx->st, "A", "t", "s");
	b = add_case(fx->st, "B", "t", "s");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, a, outbox_rows_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 0);

	ids[0] = add_outbox(fx->st, a, 7, "handhaving");
	ids[1] = add_outbox(fx->st, b, 8, "handhaving");
	ids[2] = add_outbox(fx->st, a, 7, "jeugd-noord");
	ids[3] = add_outbox(fx->st, a, 0, "inkomen");
	/* One delivered, one failed once and waiting, one given up on. */
	memset(&o, 0, sizeof(o));
	o.o_id = ids[0];
	snprintf(o.o_status, sizeof(o.o_status), "delivered");
	o.o_attempts = 1;
	o.o_next_at = 5000;
	o.o_delivered_at = 6000;
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_OK);
	o.o_id = ids[2];
	snprintf(o.o_status, sizeof(o.o_status), "pending");
	o.o_attempts = 2;
	o.o_next_at = 9000;
	o.o_delivered_at = 0;
	snprintf(o.o_last_error, sizeof(o.o_last_error), "HTTP 500");
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_OK);
	o.o_id = ids[3];
	snprintf(o.o_status, sizeof(o.o_status), "dead");
	o.o_attempts = 15;
	snprintf(o.o_last_error, sizeof(o.o_last_error), "HTTP 503");
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_OK);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, a, outbox_rows_cb, &l),
	    STORE_NOTFOUND);		/* the callback stopped it at three */
	assert_int_equal(l.n, 3);
	assert_int_equal(l.bodies, 0);
	assert_int_equal(l.o[0].o_id, ids[0]);
	assert_int_equal(l.o[0].o_case, a);
	assert_int_equal(l.o[0].o_notification, 7);
	assert_string_equal(l.o[0].o_team, "handhaving");
	assert_string_equal(l.o[0].o_role, "enforcement");
	assert_string_equal(l.o[0].o_status, "delivered");
	assert_int_equal(l.o[0].o_attempts, 1);
	assert_int_equal(l.o[0].o_delivered_at, 6000);
	assert_string_equal(l.o[0].o_last_error, "");
	assert_int_equal(l.o[1].o_id, ids[2]);
	assert_string_equal(l.o[1].o_status, "pending");
	assert_int_equal(l.o[1].o_attempts, 2);
	assert_int_equal(l.o[1].o_next_at, 9000);
	assert_int_equal(l.o[1].o_delivered_at, 0);
	assert_string_equal(l.o[1].o_last_error, "HTTP 500");
	assert_int_equal(l.o[2].o_id, ids[3]);
	assert_int_equal(l.o[2].o_notification, 0);
	assert_string_equal(l.o[2].o_status, "dead");
	assert_int_equal(l.o[2].o_attempts, 15);
	assert_string_equal(l.o[2].o_last_error, "HTTP 503");

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, b, outbox_rows_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.o[0].o_id, ids[1]);
	assert_string_equal(l.o[0].o_status, "pending");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_outbox_of_case(fx->st, 999, outbox_rows_cb,
	    &l), STORE_OK);
	assert_int_equal(l.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_outbox_of_case),
	};

	return cmocka_run_group_tests_name("store contract: outbox", tests,
	    NULL, NULL);
}
