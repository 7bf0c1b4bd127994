/*
 * termijn: what the SQLite backend keeps in memory, and that it is never
 * older than the database: tokens and teams (store_sqlite_cache.c) against
 * another connection's commits and this one's own writes and rollbacks,
 * and the audit chain's head kept through a write transaction
 * (store_sqlite_chain.c).  On a SQLite file of their own, with a second
 * connection on it as another process would have.
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

#include "store_sqlite_fixture.h"

static void
hash_of(int byte, unsigned char *h)
{
	memset(h, byte, HASH_SHA256_LEN);
}

/* A token revoked by another connection is refused at the next look-up. */
static void
test_token_revoked_elsewhere(void **state)
{
	struct fixture		*fx = *state;
	struct store		*other = other_store(fx);
	unsigned char		 h[HASH_SHA256_LEN];
	struct token_row	 tk;
	int			 i;

	hash_of(3, h);
	add_team(fx->st, "noord");
	(void)add_token(fx->st, "worker", "caseworker", "noord", 3, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(store_token_lookup(fx->st, h, 2000, &tk),
		    STORE_OK);
	assert_int_equal(store_token_revoke(other, "worker", 2500), STORE_OK);
	assert_int_equal(store_token_lookup(fx->st, h, 3000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_revoked_at, 2500);
	/* Made there, known here at once. */
	(void)add_token(other, "late", "reader", "noord", 4, 0);
	hash_of(4, h);
	assert_int_equal(store_token_lookup(fx->st, h, 3000, &tk), STORE_OK);
	assert_string_equal(tk.tk_name, "late");
	store_close(other);
}

/*
 * This connection's own writes: revoked, renamed, made and rolled back;
 * expiry decided by the moment asked about, not the one it was read at.
 */
static void
test_token_own_writes(void **state)
{
	struct fixture		*fx = *state;
	unsigned char		 h[HASH_SHA256_LEN], h7[HASH_SHA256_LEN];
	struct token_row	 tk;

	hash_of(5, h);
	hash_of(7, h7);
	add_team(fx->st, "noord");
	(void)add_token(fx->st, "worker", "caseworker", "noord", 5, 4000);
	assert_int_equal(store_token_lookup(fx->st, h, 2000, &tk), STORE_OK);
	assert_string_equal(tk.tk_display_name, "");
	assert_int_equal(store_token_set_display_name(fx->st, "worker",
	    "Anna de Vries", 2000), STORE_OK);
	assert_int_equal(store_token_lookup(fx->st, h, 2000, &tk), STORE_OK);
	assert_string_equal(tk.tk_display_name, "Anna de Vries");
	/* Expired at its moment, though read before it. */
	assert_int_equal(store_token_lookup(fx->st, h, 3999, &tk), STORE_OK);
	assert_int_equal(store_token_lookup(fx->st, h, 4000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id != 0, 1);
	/* Last use, as it was written. */
	assert_int_equal(store_token_touch(fx->st, tk.tk_id, 3000), STORE_OK);
	assert_int_equal(store_token_lookup(fx->st, h, 3500, &tk), STORE_OK);
	assert_int_equal(tk.tk_last_used_at, 3000);
	assert_int_equal(store_token_revoke(fx->st, "worker", 3600), STORE_OK);
	assert_int_equal(store_token_lookup(fx->st, h, 3700, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_revoked_at, 3600);

	/* Made, used and rolled back: never a token. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	(void)add_token(fx->st, "ghost", "admin", "noord", 7, 0);
	assert_int_equal(store_token_lookup(fx->st, h7, 2000, &tk), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(store_token_lookup(fx->st, h7, 2000, &tk),
	    STORE_NOTFOUND);
	assert_int_equal(tk.tk_id, 0);
}

/* A team added in a transaction that rolled back is not there. */
static void
test_team_rolled_back(void **state)
{
	struct fixture		*fx = *state;
	struct store		*other = other_store(fx);
	struct team_row		 tm;

	add_team(fx->st, "noord");
	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_OK);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	add_team(fx->st, "zuid");
	assert_int_equal(store_team_get(fx->st, "zuid", &tm), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(store_team_get(fx->st, "zuid", &tm), STORE_NOTFOUND);
	assert_int_equal(store_team_get(fx->st, "noord", &tm), STORE_OK);
	assert_string_equal(tm.tm_title, "Team noord");
	/* And in a savepoint. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	add_team(fx->st, "west");
	assert_int_equal(store_team_get(fx->st, "west", &tm), STORE_OK);
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	assert_int_equal(store_team_get(fx->st, "west", &tm), STORE_NOTFOUND);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	/* Added by another connection: known here. */
	add_team(other, "oost");
	assert_int_equal(store_team_get(fx->st, "oost", &tm), STORE_OK);
	store_close(other);
}

/* The head as another connection reads it: the committed one. */
static int64_t
head_elsewhere(struct fixture *fx, unsigned char *hash)
{
	struct store	*other = other_store(fx);
	int64_t		 id;

	assert_int_equal(store_chain_head(other, &id, hash), STORE_OK);
	store_close(other);
	return id;
}

/*
 * Many links in one transaction follow each other; the head's row moves
 * with the commit; a rollback, whole or to a savepoint, takes the links
 * after it and the head back with it.
 */
static void
test_chain_head_in_a_transaction(void **state)
{
	struct fixture	*fx = *state;
	unsigned char	 hash[HASH_SHA256_LEN];
	int64_t		 a, id, i;

	a = add_case(fx->st, "R-1", "t", "s");
	assert_int_equal(append(fx->st, a, "create"), 1);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	for (i = 2; i <= 50; i++)
		assert_int_equal(append_in(fx->st, a, "event"), i);
	assert_int_equal(store_chain_head(fx->st, &id, hash), STORE_OK);
	assert_int_equal(id, 50);
	assert_int_equal(hash[0], 50);
	/* Not committed: another connection sees the head before it. */
	assert_int_equal(head_elsewhere(fx, hash), 1);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(head_elsewhere(fx, hash), 50);
	assert_int_equal(hash[0], 50);

	/* Rolled back whole. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(append_in(fx->st, a, "event"), 51);
	assert_int_equal(append_in(fx->st, a, "event"), 52);
	store_rollback(fx->st);
	assert_int_equal(store_chain_head(fx->st, &id, hash), STORE_OK);
	assert_int_equal(id, 50);
	assert_int_equal(append(fx->st, a, "event"), 51);

	/* To a savepoint, after links before it and in it. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(append_in(fx->st, a, "event"), 52);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	assert_int_equal(append_in(fx->st, a, "event"), 53);
	assert_int_equal(append_in(fx->st, a, "event"), 54);
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	assert_int_equal(store_chain_head(fx->st, &id, hash), STORE_OK);
	assert_int_equal(id, 52);
	assert_int_equal(hash[0], 52);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	assert_int_equal(append_in(fx->st, a, "event"), 53);
	assert_int_equal(store_release(fx->st), STORE_OK);
	assert_int_equal(append_in(fx->st, a, "event"), 54);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(head_elsewhere(fx, hash), 54);
	assert_int_equal(hash[0], 54);
	/* Another connection appends; this one follows it. */
	{
		struct store	*other = other_store(fx);

		assert_int_equal(append(other, a, "event"), 55);
		store_close(other);
	}
	assert_int_equal(append(fx->st, a, "event"), 56);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_revoked_elsewhere,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_token_own_writes,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_team_rolled_back,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_chain_head_in_a_transaction, sqlite_setup,
		    fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
