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

/* Set how an outbox row fared: its status, attempts and next attempt. */
static void
fare(struct store *st, int64_t id, const char *status, int attempts,
    int64_t next_at)
{
	struct outbox_row	o;

	memset(&o, 0, sizeof(o));
	o.o_id = id;
	snprintf(o.o_status, sizeof(o.o_status), "%s", status);
	o.o_attempts = attempts;
	o.o_next_at = next_at;
	if (strcmp(status, "delivered") == 0)
		o.o_delivered_at = next_at;
	assert_int_equal(store_outbox_update(st, &o), STORE_OK);
}

/* Every row a walk gave, with its body copied while it lives. */
struct outbox_all {
	int64_t	oa_id[16];
	char	oa_body[16][64];
	size_t	oa_n;
};

static enum store_status
outbox_all_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_all	*oa = arg;

	if (oa->oa_n < nitems(oa->oa_id)) {
		oa->oa_id[oa->oa_n] = o->o_id;
		snprintf(oa->oa_body[oa->oa_n], sizeof(oa->oa_body[0]), "%s",
		    o->o_body != NULL ? o->o_body : "(none)");
		oa->oa_n++;
	}
	return STORE_OK;
}

/* A walk of the outbox gave exactly these rows, in this order. */
static void
assert_rows(const struct outbox_all *oa, const int64_t *want, size_t n)
{
	size_t	i;

	assert_int_equal(oa->oa_n, n);
	for (i = 0; i < n; i++)
		assert_int_equal(oa->oa_id[i], want[i]);
}

/*
 * The notifier's queue: pending rows due at or before now, by (next
 * attempt, id), at most max, each with its CloudEvent; the next attempt
 * after a moment; a row retried later leaves the queue until then, and
 * delivered and dead ones leave it for good.
 */
static void
test_outbox_due(void **state)
{
	struct fixture		*fx = *state;
	struct outbox_all	 oa;
	int64_t			 o[6], want[3], next;
	size_t			 i;

	assert_int_equal(store_outbox_next(fx->st, 0, &next), STORE_NOTFOUND);
	for (i = 0; i < nitems(o); i++)
		o[i] = add_outbox(fx->st, 1, 0, "handhaving");
	fare(fx->st, o[0], "pending", 0, 3000);
	fare(fx->st, o[1], "pending", 0, 1000);
	fare(fx->st, o[2], "pending", 0, 3000);
	fare(fx->st, o[3], "pending", 0, 9000);
	fare(fx->st, o[4], "delivered", 1, 500);
	fare(fx->st, o[5], "dead", 15, 500);

	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_due(fx->st, 3000, 10, outbox_all_cb,
	    &oa), STORE_OK);
	want[0] = o[1];
	want[1] = o[0];
	want[2] = o[2];
	assert_rows(&oa, want, 3);
	assert_string_equal(oa.oa_body[0], "{\"secret\":\"the event\"}");
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_due(fx->st, 3000, 2, outbox_all_cb,
	    &oa), STORE_OK);
	assert_rows(&oa, want, 2);
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_due(fx->st, 999, 10, outbox_all_cb,
	    &oa), STORE_OK);
	assert_int_equal(oa.oa_n, 0);

	assert_int_equal(store_outbox_next(fx->st, 0, &next), STORE_OK);
	assert_int_equal(next, 1000);
	assert_int_equal(store_outbox_next(fx->st, 1000, &next), STORE_OK);
	assert_int_equal(next, 3000);
	assert_int_equal(store_outbox_next(fx->st, 3000, &next), STORE_OK);
	assert_int_equal(next, 9000);
	assert_int_equal(store_outbox_next(fx->st, 9000, &next),
	    STORE_NOTFOUND);

	/* Tried and failed: pending again, later. */
	fare(fx->st, o[1], "pending", 1, 4000);
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_due(fx->st, 3000, 10, outbox_all_cb,
	    &oa), STORE_OK);
	assert_rows(&oa, &want[1], 2);
	assert_int_equal(store_outbox_next(fx->st, 3000, &next), STORE_OK);
	assert_int_equal(next, 4000);
}

/* The whole row a walk gives, copied, its body too; the walk stops. */
struct outbox_one {
	struct outbox_row	oo_row;
	char			oo_body[64];
};

static enum store_status
outbox_one_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_one	*oo = arg;

	oo->oo_row = *o;
	oo->oo_row.o_body = NULL;
	snprintf(oo->oo_body, sizeof(oo->oo_body), "%s", o->o_body);
	return STORE_FULL;
}

/*
 * One row by id, whole, with its CloudEvent; STORE_NOTFOUND for one that
 * is not there, and an update of one that is not there is the same.
 */
static void
test_outbox_get(void **state)
{
	struct fixture		*fx = *state;
	struct outbox_one	 oo;
	struct outbox_row	 o;
	int64_t			 id;

	memset(&oo, 0, sizeof(oo));
	assert_int_equal(store_outbox_get(fx->st, 1, outbox_one_cb, &oo),
	    STORE_NOTFOUND);
	id = add_outbox(fx->st, 42, 7, "handhaving");
	assert_int_equal(store_outbox_get(fx->st, id, outbox_one_cb, &oo),
	    STORE_FULL);
	assert_int_equal(oo.oo_row.o_id, id);
	assert_int_equal(oo.oo_row.o_case, 42);
	assert_int_equal(oo.oo_row.o_notification, 7);
	assert_string_equal(oo.oo_row.o_type, "nl.termijn.deadline.passed");
	assert_string_equal(oo.oo_row.o_team, "handhaving");
	assert_string_equal(oo.oo_row.o_role, "enforcement");
	assert_string_equal(oo.oo_body, "{\"secret\":\"the event\"}");
	assert_string_equal(oo.oo_row.o_status, "pending");
	assert_int_equal(oo.oo_row.o_attempts, 0);
	assert_int_equal(oo.oo_row.o_next_at, 5000);
	assert_string_equal(oo.oo_row.o_last_error, "");
	assert_int_equal(oo.oo_row.o_created_at, 5000);
	assert_int_equal(oo.oo_row.o_delivered_at, 0);
	assert_int_equal(store_outbox_get(fx->st, id + 1, outbox_one_cb, &oo),
	    STORE_NOTFOUND);

	memset(&o, 0, sizeof(o));
	o.o_id = id + 1;
	snprintf(o.o_status, sizeof(o.o_status), "delivered");
	assert_int_equal(store_outbox_update(fx->st, &o), STORE_NOTFOUND);
}

/*
 * The rows with a status (or all), newest first, a page before an id at a
 * time, and how many there are of each status.
 */
static void
test_outbox_list_and_count(void **state)
{
	struct fixture		*fx = *state;
	struct outbox_all	 oa;
	int64_t			 o[5], want[5], n;
	size_t			 i;

	assert_int_equal(store_outbox_count(fx->st, NULL, &n), STORE_OK);
	assert_int_equal(n, 0);
	for (i = 0; i < nitems(o); i++)
		o[i] = add_outbox(fx->st, 1, 0, "handhaving");
	fare(fx->st, o[1], "delivered", 1, 6000);
	fare(fx->st, o[3], "dead", 15, 6000);

	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_list(fx->st, NULL, 0, 10, outbox_all_cb,
	    &oa), STORE_OK);
	for (i = 0; i < nitems(o); i++)
		want[i] = o[nitems(o) - 1 - i];
	assert_rows(&oa, want, 5);
	assert_string_equal(oa.oa_body[0], "{\"secret\":\"the event\"}");
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_list(fx->st, NULL, o[3], 2,
	    outbox_all_cb, &oa), STORE_OK);
	want[0] = o[2];
	want[1] = o[1];
	assert_rows(&oa, want, 2);
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_list(fx->st, "pending", 0, 10,
	    outbox_all_cb, &oa), STORE_OK);
	want[0] = o[4];
	want[1] = o[2];
	want[2] = o[0];
	assert_rows(&oa, want, 3);
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_list(fx->st, "pending", o[2], 10,
	    outbox_all_cb, &oa), STORE_OK);
	assert_rows(&oa, &o[0], 1);
	memset(&oa, 0, sizeof(oa));
	assert_int_equal(store_outbox_list(fx->st, "dead", 0, 10,
	    outbox_all_cb, &oa), STORE_OK);
	assert_rows(&oa, &o[3], 1);

	assert_int_equal(store_outbox_count(fx->st, NULL, &n), STORE_OK);
	assert_int_equal(n, 5);
	assert_int_equal(store_outbox_count(fx->st, "pending", &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_outbox_count(fx->st, "delivered", &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_outbox_count(fx->st, "dead", &n), STORE_OK);
	assert_int_equal(n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_outbox_of_case),
		FIXTURE_TEST(test_outbox_due),
		FIXTURE_TEST(test_outbox_get),
		FIXTURE_TEST(test_outbox_list_and_count),
	};

	return cmocka_run_group_tests_name("store contract: outbox", tests,
	    NULL, NULL);
}
