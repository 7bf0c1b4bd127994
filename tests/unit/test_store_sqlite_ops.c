/*
 * termijn: the SQLite backend's own: what it keeps beside the database
 * and how it guards the file.  The scrub that takes destroyed rows out of
 * the WAL and waits for readers, the lock that keeps a second termijnd
 * off a database, one writer at a time (a locked case among them), the refusal to read or back up a database of another
 * schema version, and the check that finds broken rows.  Whatever
 * TERMIJN_TEST_STORE says, these run on a SQLite file of their own.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "termijn/clock.h"
#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_sqlite_fixture.h"

/* A copy of a fixture (tests/fixtures) in the test's directory. */
static void
copy_fixture(const struct fixture *fx, const char *fixture, char *path,
    size_t len)
{
	char	cmd[512];

	snprintf(path, len, "%s/%s", fx->dir, fixture);
	snprintf(cmd, sizeof(cmd), "cp fixtures/%s %s", fixture, path);
	if (system(cmd) != 0)
		fail_msg("%s", cmd);
}

/* A database's PRAGMA user_version, read by SQLite itself. */
static int
user_version(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Poll the upkeep until its scrub is pending or not, given up n times. */
static void
wait_scrub(struct store *st, int pending, uint64_t given_up,
    struct upkeep_stats *us)
{
	int	i;

	for (i = 0; i < 1000; i++) {
		store_upkeep_stats(st, us);
		if (us->us_scrub_pending == pending &&
		    us->us_scrub_given_up == given_up)
			return;
		usleep(10000);
	}
	fail_msg("after 10 s the scrub is %s pending, given up %llu times",
	    us->us_scrub_pending ? "still" : "not",
	    (unsigned long long)us->us_scrub_given_up);
}

/*
 * A scrub that a reader holds back (SQLite: a read transaction begun
 * before the destruction): STORE_BUSY and pending, tried again by the
 * upkeep until the reader ends, and the WAL emptied then; given up after
 * the upkeep's timeout, and pending until asked again.
 */
static void
test_scrub_held_back(void **state)
{
	struct fixture		*fx = *state;
	struct upkeep_stats	 us;
	sqlite3			*rd;
	char			 err[256];
	int64_t			 a, b;

	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "closed");
	assert_int_equal(sqlite3_open_v2(fx->location, &rd,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);

	/* Held back for longer than the timeout: given up, still pending. */
	assert_int_equal(store_upkeep_start(fx->st, 0.3, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM cases",
	    NULL, NULL, NULL), SQLITE_OK);
	destroy(fx->st, a);
	assert_int_equal(store_scrub(fx->st), STORE_BUSY);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 1);
	assert_true(us.us_scrub_retries >= 1);
	assert_true(us.us_log_bytes > 0);
	wait_scrub(fx->st, 1, 1, &us);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	usleep(200000);
	wait_scrub(fx->st, 1, 1, &us);
	/* Asked again with no reader in the way: done at once. */
	assert_int_equal(store_scrub(fx->st), STORE_OK);
	store_upkeep_stats(fx->st, &us);
	assert_int_equal(us.us_scrub_pending, 0);
	assert_int_equal(us.us_log_bytes, 0);
	store_upkeep_stop(fx->st);

	/* Held back for a moment: done by the upkeep once the reader ends. */
	assert_int_equal(store_upkeep_start(fx->st, 60, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM cases",
	    NULL, NULL, NULL), SQLITE_OK);
	destroy(fx->st, b);
	assert_int_equal(store_scrub(fx->st), STORE_BUSY);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	wait_scrub(fx->st, 0, 1, &us);
	assert_true(us.us_scrub_retries >= 2);
	assert_int_equal(us.us_log_bytes, 0);
	sqlite3_close(rd);
}

/*
 * One termijnd per SQLite database: while a serving store holds it,
 * another serving open is refused, naming the process; a plain open is
 * not; once the first is closed, the next may serve.
 */
static void
test_serving_held(void **state)
{
	struct fixture	*fx = *state;
	struct store	*sv, *again;
	char		 err[256], pid[32];

	if ((sv = store_open_serving(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open_serving: %s", err);
	err[0] = '\0';
	assert_null(store_open_serving(fx->location, err, sizeof(err)));
	snprintf(pid, sizeof(pid), "(pid %ld)", (long)getpid());
	assert_non_null(strstr(err, pid));
	assert_non_null(strstr(err, "one termijnd per SQLite database"));
	if ((again = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	store_close(again);
	store_close(sv);
	if ((sv = store_open_serving(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open_serving after the first closed: %s", err);
	store_close(sv);
}

/*
 * The serving open makes the database's directory, one level, as termijnd
 * needs on a first start; a plain open (termijnctl --db) makes none.  A
 * directory that cannot be made (below a regular file) refuses the
 * serving open, naming the database and the reason.
 */
static void
test_serving_makes_directory(void **state)
{
	struct fixture	*fx = *state;
	struct store	*sv;
	struct stat	 sb;
	char		 dir[128], path[256], want[384], err[384];
	FILE		*f;

	snprintf(dir, sizeof(dir), "%s/var", fx->dir);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	assert_null(store_open(path, err, sizeof(err)));
	assert_int_equal(stat(dir, &sb), -1);
	if ((sv = store_open_serving(path, err, sizeof(err))) == NULL)
		fail_msg("store_open_serving: %s", err);
	assert_int_equal(stat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	store_close(sv);
	fixture_dir_remove(dir);

	snprintf(dir, sizeof(dir), "%s/file", fx->dir);
	if ((f = fopen(dir, "w")) == NULL)
		fail_msg("%s: cannot create it", dir);
	fclose(f);
	snprintf(path, sizeof(path), "%s/var/store.db", dir);
	err[0] = '\0';
	assert_null(store_open_serving(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "creating the directory of %s: %s", path,
	    strerror(ENOTDIR));
	assert_string_equal(err, want);
	/* Below a file there is no database, and not for want of one. */
	assert_int_equal(store_exists(path, err, sizeof(err)), STORE_FAILED);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOTDIR));
	assert_string_equal(err, want);
}

/*
 * One writer at a time: a second store's write transaction waits for the
 * first (five seconds, SQ_BUSY_MS) and is then refused as STORE_BUSY, and
 * goes once the first is over.  The store that was refused can still
 * read meanwhile.
 */
static void
test_second_writer_busy(void **state)
{
	struct fixture	*fx = *state;
	struct store	*other;
	struct case_row	 c;
	int64_t		 a;

	other = other_store(fx);
	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	(void)add_case(fx->st, "B", "t", "s");
	assert_int_equal(store_begin(other), STORE_BUSY);
	assert_int_equal(store_case_get(other, a, &c), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_begin(other), STORE_OK);
	(void)add_case(other, "C", "t", "s");
	assert_int_equal(store_commit(other), STORE_OK);
	store_close(other);
}

/*
 * store_busy_wait shortens the wait for another writer: a second store
 * told to wait 0 ms is STORE_BUSY at once, not after SQ_BUSY_MS.  A
 * refused BEGIN opened no transaction, so nothing is lost; neither is
 * the holder's.
 */
static void
test_busy_wait_shortened(void **state)
{
	struct fixture	*fx = *state;
	struct store	*other;
	int64_t		 start;

	other = other_store(fx);
	store_busy_wait(other, 0);
	assert_int_equal(store_lost(fx->st), STORE_OK);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	start = clock_monotonic();
	assert_int_equal(store_begin(other), STORE_BUSY);
	assert_true(clock_monotonic() - start < 1000);
	assert_int_equal(store_lost(other), STORE_OK);
	assert_int_equal(store_lost(fx->st), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(store_begin(other), STORE_OK);
	assert_int_equal(store_commit(other), STORE_OK);
	store_close(other);
}

/*
 * A case locked in one store's write transaction is held against another
 * store's writes until that transaction ends: SQLite holds the whole
 * database from BEGIN IMMEDIATE, so the other's write transaction is
 * refused as STORE_BUSY (at once, told to wait 0 ms), though it may still
 * read.  After the commit it goes, and locks the case as the first left it.
 */
static void
test_case_lock_holds_other_writers(void **state)
{
	struct fixture	*fx = *state;
	struct store	*other;
	struct case_row	 c;
	int64_t		 a;

	other = other_store(fx);
	store_busy_wait(other, 0);
	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, a, &c), STORE_OK);
	assert_int_equal(store_begin(other), STORE_BUSY);
	assert_int_equal(store_case_get(other, a, &c), STORE_OK);
	assert_string_equal(c.c_state, "s");
	snprintf(c.c_state, sizeof(c.c_state), "moved");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_begin(other), STORE_BUSY);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_begin(other), STORE_OK);
	assert_int_equal(store_case_lock(other, a, &c), STORE_OK);
	assert_string_equal(c.c_state, "moved");
	assert_int_equal(store_commit(other), STORE_OK);
	store_close(other);
}

static void
queued_cb(void *arg, int64_t due)
{
	int	*calls = arg;

	(void)due;
	(*calls)++;
}

/*
 * SQLite has no other writer to tell of (one serving process per
 * database): it takes a store_on_queued registration and its clearing,
 * and calls it for no write, neither its own nor another connection's.
 */
static void
test_on_queued_never_called(void **state)
{
	struct fixture	*fx = *state;
	struct store	*other;
	int		 calls = 0;

	other = other_store(fx);
	store_on_queued(fx->st, queued_cb, &calls);
	(void)add_case(other, "A", "t", "s");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	(void)add_case(fx->st, "B", "t", "s");
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(calls, 0);
	store_on_queued(fx->st, NULL, NULL);
	(void)add_case(other, "C", "t", "s");
	assert_int_equal(calls, 0);
	store_close(other);
}

/*
 * A database of an older schema is neither read for reading only nor
 * backed up, and is left as it was; so is one of a newer schema.
 */
static void
test_other_schema_refused(void **state)
{
	struct fixture	*fx = *state;
	sqlite3		*db;
	char		 path[256], dest[256], err[512];

	copy_fixture(fx, "schema-2.db", path, sizeof(path));
	err[0] = '\0';
	assert_null(store_open_readonly(path, err, sizeof(err)));
	assert_non_null(strstr(err, "schema version 2"));
	fixture_backup_dest(fx, dest, sizeof(dest));
	err[0] = '\0';
	assert_int_equal(store_backup(path, dest, err, sizeof(err)),
	    STORE_FAILED);
	assert_non_null(strstr(err, "schema version 2"));
	assert_int_equal(user_version(path), 2);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	err[0] = '\0';
	assert_null(store_open_readonly(path, err, sizeof(err)));
	assert_non_null(strstr(err, "schema version 99"));
	err[0] = '\0';
	assert_int_equal(store_backup(path, dest, err, sizeof(err)),
	    STORE_FAILED);
	assert_non_null(strstr(err, "schema version 99"));
	assert_int_equal(user_version(path), 99);
}

/*
 * The check reads the whole file: a row whose case is not there (written
 * past the foreign keys) is found and named.
 */
static void
test_check_finds_broken_rows(void **state)
{
	struct fixture	*fx = *state;
	sqlite3		*db;
	char		 err[512];
	int64_t		 a;

	a = add_case(fx->st, "A", "t", "s");
	(void)add_deadline(fx->st, a, "d", "s", 5000, 1);
	assert_int_equal(store_check(fx->st, err, sizeof(err)), STORE_OK);
	assert_int_equal(sqlite3_open(fx->location, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = OFF;"
	    "UPDATE deadlines SET case_id = 999", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_check(fx->st, err, sizeof(err)), STORE_FAILED);
	assert_non_null(strstr(err, "foreign_key_check"));
	assert_non_null(strstr(err, "deadlines"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scrub_held_back,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_serving_held,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_serving_makes_directory,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_second_writer_busy,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_busy_wait_shortened,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_case_lock_holds_other_writers, sqlite_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_on_queued_never_called,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_other_schema_refused,
		    sqlite_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_finds_broken_rows,
		    sqlite_setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("sqlite files", tests, NULL,
	    NULL);
}
