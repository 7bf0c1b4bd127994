/*
 * termijn: the store's contract: operations.  Opening for reading only
 * beside the writer, opening as the serving process, backups, the check
 * of the store's own structures, the probe of whether a write would reach
 * the disk, and the upkeep a long-running process starts (store_fixture.h
 * says where the store is).  What only one backend does (SQLite's lock
 * file, its WAL, its schema versions) is in test_store_sqlite*.c.
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

/* How many cases a store holds. */
static int64_t
case_count(struct store *st)
{
	struct case_filter	f;
	struct ids		l;

	memset(&f, 0, sizeof(f));
	f.cf_limit = 64;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(st, &f, case_cb, &l), STORE_OK);
	return (int64_t)l.n;
}

/*
 * A store opened for reading only, beside the one that writes, reads what
 * was committed, also what was committed after it opened, and writes
 * nothing: a write fails and changes nothing.  Where no store was made,
 * opening one for reading is refused, and makes none.
 */
static void
test_open_readonly(void **state)
{
	struct fixture	*fx = *state;
	struct store	*ro;
	struct case_row	 c;
	char		 none[256], err[256];
	int64_t		 a, b;

	a = add_case(fx->st, "A", "t", "s");
	if ((ro = store_open_readonly(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open_readonly: %s", err);
	assert_int_equal(store_schema_version(ro),
	    store_schema_version(fx->st));
	assert_int_equal(store_case_get(ro, a, &c), STORE_OK);
	assert_string_equal(c.c_reference, "A");
	b = add_case(fx->st, "B", "t", "s");
	assert_int_equal(store_case_get(ro, b, &c), STORE_OK);
	assert_int_equal(store_read_begin(ro), STORE_OK);
	assert_int_equal(case_count(ro), 2);
	store_read_end(ro);

	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "zelfmelding");
	snprintf(c.c_reference, sizeof(c.c_reference), "RO");
	snprintf(c.c_team, sizeof(c.c_team), "t");
	snprintf(c.c_state, sizeof(c.c_state), "s");
	assert_int_not_equal(store_case_insert(ro, &c), STORE_OK);
	assert_non_null(store_errmsg(ro));
	store_close(ro);
	assert_int_equal(case_count(fx->st), 2);

	fixture_location(fx, "none", none, sizeof(none));
	err[0] = '\0';
	assert_null(store_open_readonly(none, err, sizeof(err)));
	assert_true(err[0] != '\0');
	assert_null(store_open_readonly(none, err, sizeof(err)));
}

/*
 * Whether a store is there yet, asked of its location: the one open is;
 * where none was made there is none (a first start makes it), and asking
 * makes none.
 */
static void
test_exists(void **state)
{
	struct fixture	*fx = *state;
	char		 none[256], err[256];

	assert_int_equal(store_exists(fx->location, err, sizeof(err)),
	    STORE_OK);
	fixture_location(fx, "none", none, sizeof(none));
	assert_int_equal(store_exists(none, err, sizeof(err)), STORE_NOTFOUND);
	assert_int_equal(store_exists(none, err, sizeof(err)), STORE_NOTFOUND);
}

/*
 * The serving process's store reads and writes as any; short-lived users
 * open the same store beside it with store_open and store_open_readonly,
 * and once it is closed a serving process may open it again.
 */
static void
test_open_serving(void **state)
{
	struct fixture	*fx = *state;
	struct store	*sv, *other;
	struct case_row	 c;
	char		 err[256];
	int64_t		 a;

	if ((sv = store_open_serving(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open_serving: %s", err);
	assert_int_equal(store_begin(sv), STORE_OK);
	a = add_case(sv, "A", "t", "s");
	assert_int_equal(store_commit(sv), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	if ((other = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open beside the serving one: %s", err);
	assert_int_equal(store_case_get(other, a, &c), STORE_OK);
	store_close(other);
	if ((other = store_open_readonly(fx->location, err, sizeof(err))) ==
	    NULL)
		fail_msg("store_open_readonly beside the serving one: %s", err);
	store_close(other);
	store_close(sv);
	if ((sv = store_open_serving(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open_serving again: %s", err);
	assert_int_equal(store_case_get(sv, a, &c), STORE_OK);
	store_close(sv);
}

/*
 * A backup is the store as it was when it was made: it opens as a store
 * of the same schema, with every row, its chain and its head, and passes
 * the check; what the store took afterwards is not in it.  A location no
 * backend takes is refused.
 */
static void
test_backup(void **state)
{
	struct fixture	*fx = *state;
	struct store	*bk;
	struct case_row	 c;
	struct token_row tk;
	unsigned char	 hash[HASH_SHA256_LEN], bhash[HASH_SHA256_LEN];
	char		 dest[256], err[256];
	int64_t		 a, later, head, bhead;

	add_team(fx->st, "noord");
	(void)add_token(fx->st, "n", "caseworker", "noord", 1, 0);
	a = add_case(fx->st, "A", "noord", "s");
	append(fx->st, a, "create");
	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	fixture_backup_dest(fx, dest, sizeof(dest));
	err[0] = '\0';
	assert_int_equal(store_backup(fx->location, dest, err, sizeof(err)),
	    STORE_OK);
	later = add_case(fx->st, "LATER", "noord", "s");

	if ((bk = store_open(dest, err, sizeof(err))) == NULL)
		fail_msg("store_open the backup: %s", err);
	assert_int_equal(store_schema_version(bk),
	    store_schema_version(fx->st));
	assert_int_equal(store_case_get(bk, a, &c), STORE_OK);
	assert_string_equal(c.c_reference, "A");
	assert_int_equal(store_case_get(bk, later, &c), STORE_NOTFOUND);
	assert_int_equal(store_token_by_name(bk, "n", 2000, &tk), STORE_OK);
	assert_string_equal(tk.tk_teams, "noord");
	assert_int_equal(store_chain_head(bk, &bhead, bhash), STORE_OK);
	assert_int_equal(bhead, head);
	assert_memory_equal(bhash, hash, sizeof(hash));
	assert_int_equal(store_check(bk, err, sizeof(err)), STORE_OK);
	store_close(bk);
	/* The store itself is as it was, and goes on. */
	assert_int_equal(store_case_get(fx->st, later, &c), STORE_OK);

	err[0] = '\0';
	assert_int_equal(store_backup("", dest, err, sizeof(err)),
	    STORE_FAILED);
	assert_true(err[0] != '\0');
}

/*
 * The check of a sound store says nothing; a write probe on a sound store
 * succeeds and leaves the store as it was, with no transaction open.
 */
static void
test_check_and_probe(void **state)
{
	struct fixture	*fx = *state;
	unsigned char	 hash[HASH_SHA256_LEN], again[HASH_SHA256_LEN];
	char		 err[256];
	int64_t		 a, head, id;

	snprintf(err, sizeof(err), "unset");
	assert_int_equal(store_check(fx->st, err, sizeof(err)), STORE_OK);
	assert_string_equal(err, "");
	add_team(fx->st, "noord");
	a = add_case(fx->st, "A", "noord", "s");
	(void)add_deadline(fx->st, a, "d", "s", 5000, 1);
	append(fx->st, a, "create");
	assert_int_equal(store_check(fx->st, err, sizeof(err)), STORE_OK);
	assert_string_equal(err, "");

	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	assert_int_equal(store_write_probe(fx->st), STORE_OK);
	assert_int_equal(store_write_probe(fx->st), STORE_OK);
	assert_int_equal(store_chain_head(fx->st, &id, again), STORE_OK);
	assert_int_equal(id, head);
	assert_memory_equal(again, hash, sizeof(hash));
	assert_int_equal(case_count(fx->st), 1);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	(void)add_case(fx->st, "B", "noord", "s");
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(case_count(fx->st), 2);
}

/*
 * The upkeep starts (a second start changes nothing) and stops (a second
 * stop too).  With no reader in the way a scrub after a destruction is
 * done at once, with the upkeep or without, and then none is pending.
 */
static void
test_upkeep_and_scrub(void **state)
{
	struct fixture		*fx = *state;
	struct upkeep_stats	 us;
	char			 err[256];
	int64_t			 a, b;

	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 0);
	assert_int_equal(us.us_scrub_retries, 0);
	assert_int_equal(us.us_scrub_given_up, 0);
	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "closed");
	assert_int_equal(store_upkeep_start(fx->st, 5, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_upkeep_start(fx->st, 5, err, sizeof(err)),
	    STORE_OK);
	destroy(fx->st, a);
	assert_int_equal(store_scrub(fx->st), STORE_OK);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 0);
	assert_int_equal(us.us_scrub_given_up, 0);
	store_upkeep_stop(fx->st);
	store_upkeep_stop(fx->st);

	destroy(fx->st, b);
	assert_int_equal(store_scrub(fx->st), STORE_OK);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 0);
	/* Nothing to scrub: done as well. */
	assert_int_equal(store_scrub(fx->st), STORE_OK);
}

/*
 * A read transaction is one consistent view: what another writer commits
 * meanwhile is not in it, and is read once it ends.
 */
static void
test_read_transaction(void **state)
{
	struct fixture	*fx = *state;
	struct store	*other;
	struct case_row	 c;
	char		 err[256];
	int64_t		 a, b;

	if ((other = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_read_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	assert_int_equal(store_begin(other), STORE_OK);
	b = add_case(other, "B", "t", "s");
	assert_int_equal(store_commit(other), STORE_OK);
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_NOTFOUND);
	assert_int_equal(case_count(fx->st), 1);
	store_read_end(fx->st);
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_OK);
	assert_string_equal(c.c_reference, "B");
	store_close(other);
}

/* What store_on_wait's callback does: give the other connection's lock up. */
struct yield {
	struct store	*y_holder;
	int		 y_called;
};

static void
yield_cb(void *arg)
{
	struct yield	*y = arg;

	y->y_called++;
	store_rollback(y->y_holder);
}

/*
 * A write that finds the lock held by another connection of the process
 * asks it to give the lock up (store_on_wait), and then goes ahead at once
 * with what that connection had not committed rolled back; with no one to
 * ask, the other connection's commit stands and this one's follows.
 */
static void
test_on_wait(void **state)
{
	struct fixture	*fx = *state;
	struct store	*other;
	struct yield	 y;
	struct case_row	 c;
	char		 err[256];
	int64_t		 a, b;

	if ((other = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	memset(&y, 0, sizeof(y));
	y.y_holder = other;
	store_on_wait(fx->st, yield_cb, &y);
	assert_int_equal(store_begin(other), STORE_OK);
	b = add_case(other, "prepared", "t", "s");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(y.y_called, 1);
	a = add_case(fx->st, "first", "t", "s");
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	/* The other's row went with its transaction. */
	assert_int_equal(case_count(fx->st), 1);
	(void)b;

	/* Nobody holds the lock: the callback is not called. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(y.y_called, 1);
	store_on_wait(fx->st, NULL, NULL);
	store_close(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_open_readonly),
		FIXTURE_TEST(test_exists),
		FIXTURE_TEST(test_open_serving),
		FIXTURE_TEST(test_read_transaction),
		FIXTURE_TEST(test_on_wait),
		FIXTURE_TEST(test_backup),
		FIXTURE_TEST(test_check_and_probe),
		FIXTURE_TEST(test_upkeep_and_scrub),
	};

	return cmocka_run_group_tests_name("store contract: operations",
	    tests, NULL, NULL);
}
