/* termijn: the engine's group commit: what it reads of a write, and a busy store. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/engine.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "db_fixture.h"

#define NOW	INT64_C(1767225600000)	/* 2026-01-01T00:00:00Z */

struct fixture {
	char		 path[64];
	struct store	*st;
	struct registry	*reg;
	struct engine	*en;
};

/*
 * A write that adds a team and says what became of it: its verdict and
 * the code the caller keeps with its answer, set apart so that a test
 * can tell which of the two the engine reads.
 */
struct team_write {
	struct engine_write	 tw_write;	/* first */
	struct fixture		*tw_fx;
	const char		*tw_team;
	enum write_verdict	 tw_verdict;
	int			 tw_code;
	int			 tw_applied;	/* times ew_apply ran */
};

static void
team_apply(struct engine_write *ew)
{
	struct team_write	*tw = (struct team_write *)ew;
	struct team_row		 tm;

	tw->tw_applied++;
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", tw->tw_team);
	if (store_team_insert(tw->tw_fx->st, &tm) != STORE_OK) {
		ew->ew_verdict = WRITE_STORE_FAILED;
		return;
	}
	ew->ew_verdict = tw->tw_verdict;
	ew->ew_code = tw->tw_code;
	free(ew->ew_answer);
	ew->ew_answer = xstrdup("{}");
}

static void
team_write(struct team_write *tw, struct fixture *fx, const char *team,
    enum write_verdict verdict, int code, const char *key)
{
	memset(tw, 0, sizeof(*tw));
	tw->tw_write.ew_apply = team_apply;
	tw->tw_write.ew_token = 1;
	tw->tw_write.ew_idem_key = key;
	tw->tw_write.ew_reqhash = "digest";
	tw->tw_fx = fx;
	tw->tw_team = team;
	tw->tw_verdict = verdict;
	tw->tw_code = code;
}

static int
team_exists(struct fixture *fx, const char *team)
{
	struct team_row	tm;

	return store_team_get(fx->st, team, &tm) == STORE_OK;
}

static int
setup(void **state)
{
	struct fixture		*fx = xcalloc(1, sizeof(*fx));
	struct team_row		 tm;
	struct token_row	 tk;
	unsigned char		 hash[HASH_SHA256_LEN];
	char			 err[256];
	int			 fd;

	snprintf(fx->path, sizeof(fx->path), "/tmp/termijn-batch-XXXXXX");
	fd = mkstemp(fx->path);
	assert_true(fd != -1);
	close(fd);
	if ((fx->st = store_open(fx->path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	fx->reg = registry_new();
	fx->en = engine_new(fx->st, fx->reg);
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "t");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_OK);
	memset(&tk, 0, sizeof(tk));
	memset(hash, 7, sizeof(hash));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "worker");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "caseworker");
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "t");
	assert_int_equal(store_token_insert(fx->st, &tk, hash), STORE_OK);
	assert_int_equal(tk.tk_id, 1);
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

/*
 * The engine reads a write's verdict, never its code: a write applied
 * with a code that would be a refusal in HTTP is kept, its code stored
 * with its key as it was and given back in a retry; a write refused with
 * a code that would be a success in HTTP is rolled back alone.
 */
static void
test_verdict_not_code(void **state)
{
	struct fixture		*fx = *state;
	struct team_write	 kept, refused, retry;
	struct engine_write	*ws[2];
	struct write_result	 wr;

	team_write(&kept, fx, "kept", WRITE_DONE, 409, "key-1");
	team_write(&refused, fx, "refused", WRITE_REFUSED, 201, NULL);
	ws[0] = &kept.tw_write;
	ws[1] = &refused.tw_write;
	assert_int_equal(engine_batch_write(fx->en, ws, 2, NOW, &wr),
	    STORE_OK);
	assert_int_equal(wr.wr_applied, 1);
	assert_int_equal(kept.tw_write.ew_outcome, WRITE_APPLIED);
	assert_int_equal(refused.tw_write.ew_outcome, WRITE_APPLIED);
	assert_true(team_exists(fx, "kept"));
	assert_false(team_exists(fx, "refused"));
	free(kept.tw_write.ew_answer);
	free(refused.tw_write.ew_answer);

	/* The same key again: the first answer, its code as it was. */
	team_write(&retry, fx, "other", WRITE_DONE, 200, "key-1");
	ws[0] = &retry.tw_write;
	assert_int_equal(engine_batch_write(fx->en, ws, 1, NOW, &wr),
	    STORE_OK);
	assert_int_equal(retry.tw_write.ew_outcome, WRITE_REPLAYED);
	assert_int_equal(retry.tw_write.ew_code, 409);
	assert_string_equal(retry.tw_write.ew_answer, "{}");
	assert_int_equal(retry.tw_applied, 0);
	assert_int_equal(wr.wr_applied, 1);
	assert_false(team_exists(fx, "other"));
	free(retry.tw_write.ew_answer);
}

/* The batch's engine, another writer holding the database (BEGIN). */
static struct store *
hold_lock(struct fixture *fx)
{
	struct store	*other;
	char		 err[256];

	if ((other = store_open(fx->path, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_begin(other), STORE_OK);
	store_busy_wait(fx->st, 0);
	return other;
}

static uint64_t
busy_retries(struct fixture *fx)
{
	struct engine_stats	es;

	engine_stats(fx->en, &es);
	return es.es_busy_retries;
}

/*
 * A store that stays busy: the batch is tried whole again three times,
 * each counted, and then fails as a busy store (the client is told to
 * try again: WRITE_FULL), nothing of it kept.  Firing likewise.
 */
static void
test_busy_gives_up(void **state)
{
	struct fixture		*fx = *state;
	struct team_write	 tw;
	struct engine_write	*ew = &tw.tw_write;
	struct write_result	 wr;
	struct fire_result	 fr;
	struct store		*other;

	other = hold_lock(fx);
	assert_int_equal(busy_retries(fx), 0);
	team_write(&tw, fx, "blocked", WRITE_DONE, 201, "key-2");
	assert_int_equal(engine_batch_write(fx->en, &ew, 1, NOW, &wr),
	    STORE_BUSY);
	assert_int_equal(busy_retries(fx), 3);
	assert_int_equal(wr.wr_applied, 0);
	assert_int_equal(ew->ew_outcome, WRITE_FULL);
	assert_int_equal(ew->ew_verdict, WRITE_STORE_FULL);
	assert_null(ew->ew_answer);

	assert_int_equal(engine_batch_fire(fx->en, NOW, 10, &fr), STORE_BUSY);
	assert_int_equal(busy_retries(fx), 6);
	assert_int_equal(fr.fr_fired, 0);

	store_rollback(other);
	store_close(other);
	assert_false(team_exists(fx, "blocked"));
	assert_int_equal(busy_retries(fx), 6);
}

/* The other writer, rolled back at the second wait for its lock. */
struct release {
	struct store	*rl_other;
	int		 rl_waits;
};

static void
release_cb(void *arg)
{
	struct release	*rl = arg;

	if (++rl->rl_waits == 2)
		store_rollback(rl->rl_other);
}

/*
 * A store busy at the first try and free at the second: the batch is
 * applied again, once, counted, and kept.
 */
static void
test_busy_then_free(void **state)
{
	struct fixture		*fx = *state;
	struct team_write	 tw;
	struct engine_write	*ew = &tw.tw_write;
	struct write_result	 wr;
	struct release		 rl;

	memset(&rl, 0, sizeof(rl));
	rl.rl_other = hold_lock(fx);
	store_on_wait(fx->st, release_cb, &rl);
	team_write(&tw, fx, "later", WRITE_DONE, 201, NULL);
	assert_int_equal(engine_batch_write(fx->en, &ew, 1, NOW, &wr),
	    STORE_OK);
	assert_int_equal(rl.rl_waits, 2);
	assert_int_equal(busy_retries(fx), 1);
	assert_int_equal(wr.wr_applied, 1);
	assert_int_equal(ew->ew_outcome, WRITE_APPLIED);
	assert_int_equal(tw.tw_applied, 1);
	free(ew->ew_answer);
	store_on_wait(fx->st, NULL, NULL);
	store_close(rl.rl_other);
	assert_true(team_exists(fx, "later"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verdict_not_code, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_busy_gives_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_busy_then_free, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
