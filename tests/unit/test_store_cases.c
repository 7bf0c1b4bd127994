/*
 * termijn: the store's contract, which every backend must keep: opening,
 * transactions, cases and their deadlines.  Each test opens a new, empty
 * store where store_fixture.h says (TERMIJN_TEST_STORE, default a new
 * SQLite file) and checks what the engine relies on: the status of every
 * function, what a rollback leaves, the "current deadlines" filter, cursor
 * paging.  The other parts of the contract are in test_store_*.c beside
 * it; test_store_sqlite*.c hold what is SQLite's alone.
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

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(store_status_name(STORE_OK), "ok");
	assert_string_equal(store_status_name(STORE_NOTFOUND), "not found");
	assert_string_equal(store_status_name(STORE_EXISTS), "exists");
	assert_string_equal(store_status_name(STORE_FULL), "full");
	assert_string_equal(store_status_name(STORE_BUSY), "busy");
	assert_string_equal(store_status_name(STORE_FAILED), "failed");
}

/*
 * A location no backend takes is refused, with a message, whichever way
 * it is opened; closing no store does nothing; after a refused write the
 * backend has a message about it.
 */
static void
test_open_refused_and_errmsg(void **state)
{
	struct fixture	*fx = *state;
	struct team_row	 tm;
	const char	*msg;
	char		 err[256];

	err[0] = '\0';
	assert_null(store_open("", err, sizeof(err)));
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_null(store_open_readonly("", err, sizeof(err)));
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_null(store_open_serving("", err, sizeof(err)));
	assert_true(err[0] != '\0');
	store_close(NULL);

	add_team(fx->st, "noord");
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "noord");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_EXISTS);
	msg = store_errmsg(fx->st);
	assert_non_null(msg);
	assert_true(msg[0] != '\0');
}

/* A rollback takes back the transaction; a savepoint only its own part. */
static void
test_transactions(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 a, b;

	assert_true(store_schema_version(fx->st) > 0);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "t", "s");
	store_rollback(fx->st);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_NOTFOUND);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "B", "t", "s");
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "C", "t", "s");
	assert_int_equal(store_release(fx->st), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	assert_string_equal(c.c_reference, "A");
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_OK);
	assert_string_equal(c.c_reference, "C");

	/* A read transaction sees what was committed. */
	assert_int_equal(store_read_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	store_read_end(fx->st);
}

/*
 * store_case_lock reads a case to change it, inside a write transaction
 * only: there it returns the row as store_case_get does, and
 * STORE_NOTFOUND for an unknown id without losing the transaction.  With
 * no write transaction open (none at all, a read transaction, one that
 * ended) it holds nothing, so it is refused as STORE_FAILED.
 */
static void
test_case_lock(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 got, locked;
	int64_t		 a;

	a = add_case(fx->st, "A", "t", "s");
	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_FAILED);
	assert_int_equal(store_read_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_FAILED);
	store_read_end(fx->st);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	memset(&got, 0, sizeof(got));
	memset(&locked, 0, sizeof(locked));
	assert_int_equal(store_case_get(fx->st, a, &got), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_OK);
	assert_memory_equal(&locked, &got, sizeof(got));
	assert_int_equal(store_case_lock(fx->st, a + 1000, &locked),
	    STORE_NOTFOUND);
	assert_int_equal(store_lost(fx->st), STORE_OK);
	snprintf(got.c_state, sizeof(got.c_state), "moved");
	assert_int_equal(store_case_update_state(fx->st, &got), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_OK);
	assert_string_equal(locked.c_state, "moved");
	assert_int_equal(store_commit(fx->st), STORE_OK);

	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_FAILED);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(store_case_lock(fx->st, a, &locked), STORE_FAILED);
}

/*
 * A rollback leaves nothing of what its transaction wrote, of any kind:
 * rows, the chain's head, the rung queue, a case's changed state; what was
 * committed before stays, and the store takes the next transaction.
 */
static void
test_rollback_leaves_nothing(void **state)
{
	struct fixture		*fx = *state;
	struct case_row		 c;
	struct team_row		 tm;
	struct token_row	 tk;
	struct deadline_row	 d;
	struct read_row		 rd;
	struct notification_row	 n;
	struct ids		 l;
	unsigned char		 hash[HASH_SHA256_LEN], again[HASH_SHA256_LEN];
	char			 digest[HASH_SHA256_HEX_LEN], *data;
	int64_t			 kept, gone, dl, tok, head, tid, due;

	add_team(fx->st, "noord");
	kept = add_case(fx->st, "K", "noord", "s");
	append(fx->st, kept, "create");
	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	assert_int_equal(head, 1);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	add_team(fx->st, "zuid");
	tok = add_token(fx->st, "z", "caseworker", "zuid", 2, 0);
	gone = add_case(fx->st, "G", "zuid", "s");
	dl = add_deadline(fx->st, gone, "d", "s", 500, 1);
	assert_int_equal(add_rung(fx->st, gone, dl, "due", 1, 500, "s"),
	    STORE_OK);
	append_in(fx->st, gone, "create");
	append_in(fx->st, kept, "event");
	(void)add_participant(fx->st, kept, "zuid", 2000);
	memset(&rd, 0, sizeof(rd));
	rd.rd_case = kept;
	rd.rd_at = 2000;
	snprintf(rd.rd_token, sizeof(rd.rd_token), "z");
	snprintf(rd.rd_role, sizeof(rd.rd_role), "caseworker");
	snprintf(rd.rd_teams, sizeof(rd.rd_teams), "zuid");
	snprintf(rd.rd_what, sizeof(rd.rd_what), "case");
	assert_int_equal(store_read_insert(fx->st, &rd), STORE_OK);
	memset(&n, 0, sizeof(n));
	n.n_case = kept;
	snprintf(n.n_role, sizeof(n.n_role), "supervisor");
	snprintf(n.n_deadline, sizeof(n.n_deadline), "d");
	snprintf(n.n_rung_name, sizeof(n.n_rung_name), "due");
	snprintf(n.n_entered, sizeof(n.n_entered), "s");
	assert_int_equal(store_notification_insert(fx->st, &n), STORE_OK);
	assert_int_equal(store_workflow_put(fx->st, "w", 1, "d1", "v1", 2, 1),
	    STORE_OK);
	assert_int_equal(store_idem_put(fx->st, tok, "k", "h", 201, "{}", "en", 0,
	    2000), STORE_OK);
	assert_int_equal(store_undo_put(fx->st, kept, 1, "{}"), STORE_OK);
	assert_int_equal(store_case_get(fx->st, kept, &c), STORE_OK);
	snprintf(c.c_state, sizeof(c.c_state), "moved");
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	/* Inside the transaction, it reads what it wrote. */
	assert_int_equal(store_case_get(fx->st, gone, &c), STORE_OK);
	assert_int_equal(store_rung_next(fx->st, &due), STORE_OK);
	store_rollback(fx->st);

	assert_int_equal(store_case_get(fx->st, gone, &c), STORE_NOTFOUND);
	assert_int_equal(store_deadline_get(fx->st, dl, &d), STORE_NOTFOUND);
	assert_int_equal(store_rung_next(fx->st, &due), STORE_NOTFOUND);
	assert_int_equal(store_chain_head(fx->st, &head, again), STORE_OK);
	assert_int_equal(head, 1);
	assert_memory_equal(again, hash, sizeof(hash));
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(fx->st, kept, 0, 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(store_team_get(fx->st, "zuid", &tm), STORE_NOTFOUND);
	assert_int_equal(store_token_by_name(fx->st, "z", 2000, &tk),
	    STORE_NOTFOUND);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_participants_of_case(fx->st, kept, 0,
	    participant_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_notifications_of_case(fx->st, kept,
	    notification_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_workflow_digest(fx->st, "w", 1, digest),
	    STORE_NOTFOUND);
	assert_int_equal(store_undo_get(fx->st, kept, &tid, &data),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get(fx->st, kept, &c), STORE_OK);
	assert_string_equal(c.c_state, "s");
	assert_int_equal(c.c_final, 0);

	/* And the next transaction commits as any other. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	gone = add_case(fx->st, "G", "noord", "s");
	assert_int_equal(append_in(fx->st, gone, "create"), 2);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, gone, &c), STORE_OK);
}

/*
 * A write refused inside a transaction (a key taken) rolls back to its
 * savepoint alone: the transaction goes on and commits what else it did.
 */
static void
test_refused_write_in_savepoint(void **state)
{
	struct fixture	*fx = *state;
	struct team_row	 tm;
	struct case_row	 c;
	int64_t		 a, b;

	add_team(fx->st, "noord");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	a = add_case(fx->st, "A", "noord", "s");
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	(void)add_case(fx->st, "half", "noord", "s");
	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "noord");
	assert_int_equal(store_team_insert(fx->st, &tm), STORE_EXISTS);
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	b = add_case(fx->st, "B", "noord", "s");
	assert_int_equal(store_release(fx->st), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	assert_int_equal(store_case_get(fx->st, b, &c), STORE_OK);
	assert_string_equal(c.c_reference, "B");
	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "half",
	    "noord", &c), STORE_NOTFOUND);
}

static void
test_cases(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 id;

	assert_int_equal(store_case_get(fx->st, 42, &c), STORE_NOTFOUND);
	id = add_case(fx->st, "Z-1", "jeugd-noord", "waiting");
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_workflow, "zelfmelding");
	assert_int_equal(c.c_version, 1);
	assert_string_equal(c.c_reference, "Z-1");
	assert_string_equal(c.c_team, "jeugd-noord");
	assert_string_equal(c.c_state, "waiting");
	assert_int_equal(c.c_final, 0);

	snprintf(c.c_state, sizeof(c.c_state), "closed");
	c.c_state_since = 2000;
	c.c_updated_at = 2001;
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_state, "closed");
	assert_int_equal(c.c_state_since, 2000);
	assert_int_equal(c.c_updated_at, 2001);
	assert_int_equal(c.c_final, 1);
	c.c_id = 999;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_NOTFOUND);
}

/*
 * A case changed after store_case_lock is written as the caller has it,
 * whatever the write before it and whatever a savepoint rolled back: a
 * backend that writes only what changed since the lock (SQLite) must
 * forget what it wrote in a savepoint rolled back, and must not take one
 * case's row for another's.
 */
static void
test_case_update_after_rollback(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c, b, got;
	int64_t		 id, other;

	assert_int_equal(store_begin(fx->st), STORE_OK);
	id = add_case(fx->st, "Z-1", "t", "s0");
	other = add_case(fx->st, "Z-2", "t", "s0");
	assert_int_equal(store_commit(fx->st), STORE_OK);

	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, id, &c), STORE_OK);
	snprintf(c.c_state, sizeof(c.c_state), "s1");
	c.c_escalated_by = 7;
	c.c_escalated_due = 7000;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_savepoint(fx->st), STORE_OK);
	snprintf(c.c_state, sizeof(c.c_state), "s2");
	c.c_escalated_by = c.c_escalated_due = 0;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_rollback_savepoint(fx->st), STORE_OK);
	/* The caller still has s2 without an escalation: that is written. */
	c.c_updated_at = 3000;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_case_get(fx->st, id, &got), STORE_OK);
	assert_string_equal(got.c_state, "s2");
	assert_int_equal(got.c_escalated_by, 0);
	/* Another case locked, then this one written: all of it. */
	assert_int_equal(store_case_lock(fx->st, other, &b), STORE_OK);
	snprintf(c.c_assignee, sizeof(c.c_assignee), "piet");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	snprintf(b.c_state, sizeof(b.c_state), "s9");
	assert_int_equal(store_case_update_state(fx->st, &b), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);

	assert_int_equal(store_case_get(fx->st, id, &got), STORE_OK);
	assert_string_equal(got.c_state, "s2");
	assert_int_equal(got.c_escalated_by, 0);
	assert_int_equal(got.c_escalated_due, 0);
	assert_int_equal(got.c_updated_at, 3000);
	assert_string_equal(got.c_assignee, "piet");
	assert_int_equal(store_case_get(fx->st, other, &got), STORE_OK);
	assert_string_equal(got.c_state, "s9");
	assert_string_equal(got.c_assignee, "");

	/* A transaction rolled back: its writes are forgotten too. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_lock(fx->st, id, &c), STORE_OK);
	snprintf(c.c_state, sizeof(c.c_state), "s3");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	store_rollback(fx->st);
	assert_int_equal(store_begin(fx->st), STORE_OK);
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_case_get(fx->st, id, &got), STORE_OK);
	assert_string_equal(got.c_state, "s3");
}

/*
 * A case row read back whole; the coordinator is the owning team until
 * another is set, an assignee "" until one is, and the deadlines a case
 * remembers (escalated by, waiting on) 0 until set.
 */
static void
test_case_round_trip(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 id;

	add_team(fx->st, "noord");
	add_team(fx->st, "regio");
	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "bijstand");
	c.c_version = 3;
	snprintf(c.c_reference, sizeof(c.c_reference), "B-1");
	snprintf(c.c_team, sizeof(c.c_team), "noord");
	snprintf(c.c_state, sizeof(c.c_state), "deciding");
	c.c_started_at = 1000;
	c.c_state_since = 1001;
	c.c_created_at = 1002;
	c.c_updated_at = 1003;
	assert_int_equal(store_case_insert(fx->st, &c), STORE_OK);
	id = c.c_id;
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_int_equal(c.c_id, id);
	assert_string_equal(c.c_workflow, "bijstand");
	assert_int_equal(c.c_version, 3);
	assert_string_equal(c.c_reference, "B-1");
	assert_string_equal(c.c_team, "noord");
	assert_string_equal(c.c_coordinator, "noord");
	assert_string_equal(c.c_state, "deciding");
	assert_int_equal(c.c_started_at, 1000);
	assert_int_equal(c.c_state_since, 1001);
	assert_int_equal(c.c_created_at, 1002);
	assert_int_equal(c.c_updated_at, 1003);
	assert_string_equal(c.c_assignee, "");
	assert_string_equal(c.c_assignee_name, "");
	assert_int_equal(c.c_escalated_by, 0);
	assert_int_equal(c.c_waiting_by, 0);
	assert_string_equal(c.c_unrouted, "");

	snprintf(c.c_coordinator, sizeof(c.c_coordinator), "regio");
	snprintf(c.c_assignee, sizeof(c.c_assignee), "worker");
	c.c_escalated_by = 7;
	c.c_escalated_due = 5000;
	c.c_waiting_by = 8;
	c.c_waiting_due = 6000;
	snprintf(c.c_unrouted, sizeof(c.c_unrouted), "enforcement");
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_coordinator, "regio");
	assert_string_equal(c.c_assignee, "worker");
	assert_int_equal(c.c_escalated_by, 7);
	assert_int_equal(c.c_escalated_due, 5000);
	assert_int_equal(c.c_waiting_by, 8);
	assert_int_equal(c.c_waiting_due, 6000);
	assert_string_equal(c.c_unrouted, "enforcement");
	/* The owning team never changes by an update. */
	assert_string_equal(c.c_team, "noord");

	/* "" and 0 take each back. */
	c.c_coordinator[0] = c.c_assignee[0] = c.c_unrouted[0] = '\0';
	c.c_escalated_by = c.c_escalated_due = 0;
	c.c_waiting_by = c.c_waiting_due = 0;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	assert_string_equal(c.c_coordinator, "noord");
	assert_string_equal(c.c_assignee, "");
	assert_int_equal(c.c_escalated_by, 0);
	assert_int_equal(c.c_waiting_due, 0);
	assert_string_equal(c.c_unrouted, "");
}

/*
 * The first open case of a workflow for a reference in a team: the
 * oldest (lowest id); a closed one is never found.
 */
static void
test_case_open_find(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	int64_t		 a, b, z;

	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "Z-1",
	    "noord", &c), STORE_NOTFOUND);
	a = add_case(fx->st, "Z-1", "noord", "s");
	b = add_case(fx->st, "Z-1", "noord", "s");
	z = add_case(fx->st, "Z-1", "zuid", "s");
	(void)add_case(fx->st, "Z-2", "noord", "s");

	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "Z-1",
	    "noord", &c), STORE_OK);
	assert_int_equal(c.c_id, a);
	assert_string_equal(c.c_reference, "Z-1");
	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "Z-1",
	    "zuid", &c), STORE_OK);
	assert_int_equal(c.c_id, z);
	assert_int_equal(store_case_open_find(fx->st, "bijstand", "Z-1",
	    "noord", &c), STORE_NOTFOUND);
	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "Z-3",
	    "noord", &c), STORE_NOTFOUND);

	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "Z-1",
	    "noord", &c), STORE_OK);
	assert_int_equal(c.c_id, b);
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	assert_int_equal(store_case_open_find(fx->st, "zelfmelding", "Z-1",
	    "noord", &c), STORE_NOTFOUND);
}

/* Filters combine; pages follow the id after the cursor; a walk can stop. */
static void
test_case_list_and_paging(void **state)
{
	struct fixture		*fx = *state;
	struct case_filter	 f;
	struct ids		 l;
	int64_t			 id[6];
	size_t			 i;

	id[0] = add_case(fx->st, "R0", "noord", "waiting");
	id[1] = add_case(fx->st, "R1", "zuid", "waiting");
	id[2] = add_case(fx->st, "R2", "noord", "closed");
	id[3] = add_case(fx->st, "R3", "noord", "waiting");
	id[4] = add_case(fx->st, "R4", "zuid", "closed");
	id[5] = add_case(fx->st, "R5", "noord", "waiting");

	memset(&f, 0, sizeof(f));
	f.cf_limit = 100;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(l.id[i], id[i]);

	f.cf_team = "noord";
	f.cf_state = "waiting";
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], id[0]);
	assert_int_equal(l.id[1], id[3]);
	assert_int_equal(l.id[2], id[5]);

	/* Pages of two: after the cursor, at most the limit. */
	f.cf_limit = 2;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	f.cf_after = l.id[1];
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], id[5]);
	f.cf_after = id[5];
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	f.cf_team = NULL;
	f.cf_state = NULL;
	f.cf_workflow = "no-such-workflow";
	f.cf_after = 0;
	f.cf_limit = 100;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	/* The callback's status ends the walk and is its result. */
	f.cf_workflow = NULL;
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	assert_int_equal(store_case_list(fx->st, &f, case_cb, &l),
	    STORE_NOTFOUND);
	assert_int_equal(l.n, 2);
}

static void
test_deadlines(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	int64_t			 c, d1, d2;

	c = add_case(fx->st, "D", "t", "deciding");
	assert_int_equal(store_deadline_get(fx->st, 77, &d), STORE_NOTFOUND);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_NOTFOUND);
	d1 = add_deadline(fx->st, c, "decision", "deciding", 5000, 1);
	assert_int_equal(store_deadline_get(fx->st, d1, &d), STORE_OK);
	assert_int_equal(d.d_case, c);
	assert_string_equal(d.d_name, "decision");
	assert_string_equal(d.d_state, "deciding");
	assert_string_equal(d.d_period, "P6W");
	assert_int_equal(d.d_due, 5000);
	assert_int_equal(d.d_running, 1);
	assert_int_equal(d.d_case_scope, 0);

	/* The budget survives a round trip, suspension and extensions too. */
	d.d_running = 0;
	d.d_suspended_since = 4000;
	d.d_suspended_days = 3;
	d.d_suspended_ms = 7;
	snprintf(d.d_extensions, sizeof(d.d_extensions), "P6W,P2W");
	d.d_due = 6000;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);
	memset(&d, 0, sizeof(d));
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(d.d_id, d1);
	assert_int_equal(d.d_running, 0);
	assert_int_equal(d.d_suspended_since, 4000);
	assert_int_equal(d.d_suspended_days, 3);
	assert_int_equal(d.d_suspended_ms, 7);
	assert_string_equal(d.d_extensions, "P6W,P2W");
	assert_int_equal(d.d_due, 6000);

	/* find takes the latest active one of that name. */
	d2 = add_deadline(fx->st, c, "decision", "deciding", 7000, 1);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(d.d_id, d2);

	/* Stopping a state's deadlines leaves no active one to find. */
	assert_int_equal(store_deadlines_stop(fx->st, c, "other"), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_OK);
	assert_int_equal(store_deadlines_stop(fx->st, c, "deciding"), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "decision", &d),
	    STORE_NOTFOUND);
	d.d_id = 999;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_NOTFOUND);
}

/*
 * Stopping the deadlines of a state stops the active ones it holds, not
 * the case's own (scope case), which only stopping every deadline of the
 * case does; a stopped deadline keeps its row.
 */
static void
test_deadlines_stop_scope(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	struct ids		 l;
	int64_t			 c, own, held, other;

	c = add_case(fx->st, "S", "t", "deciding");
	held = add_deadline(fx->st, c, "decision", "deciding", 5000, 1);
	memset(&d, 0, sizeof(d));
	d.d_case = c;
	snprintf(d.d_name, sizeof(d.d_name), "overall");
	snprintf(d.d_state, sizeof(d.d_state), "deciding");
	snprintf(d.d_then, sizeof(d.d_then), "closed");
	snprintf(d.d_period, sizeof(d.d_period), "PT48H");
	snprintf(d.d_rule, sizeof(d.d_rule), "hours");
	snprintf(d.d_kind, sizeof(d.d_kind), "statutory");
	d.d_anchor = 1000;
	d.d_due = 9000;
	d.d_active = d.d_running = d.d_case_scope = 1;
	assert_int_equal(store_deadline_insert(fx->st, &d), STORE_OK);
	own = d.d_id;
	other = add_deadline(fx->st, c, "reminder", "other", 6000, 1);

	memset(&d, 0, sizeof(d));
	assert_int_equal(store_deadline_get(fx->st, own, &d), STORE_OK);
	assert_int_equal(d.d_case_scope, 1);
	assert_string_equal(d.d_then, "closed");
	assert_string_equal(d.d_period, "PT48H");
	assert_string_equal(d.d_rule, "hours");
	assert_string_equal(d.d_kind, "statutory");
	assert_int_equal(d.d_anchor, 1000);
	assert_int_equal(d.d_passed, 0);

	assert_int_equal(store_deadlines_stop(fx->st, c, "deciding"),
	    STORE_OK);
	assert_int_equal(store_deadline_get(fx->st, held, &d), STORE_OK);
	assert_int_equal(d.d_active, 0);
	assert_int_equal(store_deadline_get(fx->st, own, &d), STORE_OK);
	assert_int_equal(d.d_active, 1);
	assert_int_equal(store_deadline_get(fx->st, other, &d), STORE_OK);
	assert_int_equal(d.d_active, 1);
	assert_int_equal(store_deadline_find(fx->st, c, "overall", &d),
	    STORE_OK);

	assert_int_equal(store_deadlines_stop(fx->st, c, NULL), STORE_OK);
	assert_int_equal(store_deadline_find(fx->st, c, "overall", &d),
	    STORE_NOTFOUND);
	assert_int_equal(store_deadline_find(fx->st, c, "reminder", &d),
	    STORE_NOTFOUND);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_ALL,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);
}

/*
 * The current deadlines of a case: active ones, and stopped ones that
 * still have a rung to fire, passed ones last, each group by due moment.
 * The passed ones: every deadline that passed, current or not, by due
 * moment.
 */
static void
test_current_deadlines(void **state)
{
	struct fixture		*fx = *state;
	struct deadline_row	 d;
	struct ids		 l;
	int64_t			 c, late, early, stopped, follow, passed;
	int64_t			 gone;

	c = add_case(fx->st, "C", "t", "s");
	late = add_deadline(fx->st, c, "late", "s", 9000, 1);
	early = add_deadline(fx->st, c, "early", "s", 3000, 1);
	stopped = add_deadline(fx->st, c, "stopped", "s", 1000, 0);
	follow = add_deadline(fx->st, c, "follow", "s", 2000, 0);
	assert_int_equal(add_rung(fx->st, c, follow, "after_P2D", 1, 2500, "t"),
	    STORE_OK);
	passed = add_deadline(fx->st, c, "passed", "s", 500, 1);
	assert_int_equal(store_deadline_get(fx->st, passed, &d), STORE_OK);
	d.d_passed = 1;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);
	/* Passed and moved the case on, its rungs all fired: history. */
	gone = add_deadline(fx->st, c, "gone", "s", 800, 0);
	assert_int_equal(store_deadline_get(fx->st, gone, &d), STORE_OK);
	d.d_passed = 1;
	assert_int_equal(store_deadline_update(fx->st, &d), STORE_OK);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], follow);
	assert_int_equal(l.id[1], early);
	assert_int_equal(l.id[2], late);
	assert_int_equal(l.id[3], passed);

	/* All of them, in id order. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_ALL,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.id[0], late);
	assert_int_equal(l.id[2], stopped);

	/* Those that passed, current or not, by the moment each passed. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_PASSED,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], passed);
	assert_int_equal(l.id[1], gone);

	/* Once the follow-up fired, the stopped deadline is not current. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_rungs_of_deadline(fx->st, follow, rung_cb, &l),
	    STORE_OK);
	assert_int_equal(l.n, 1);
	{
		struct rung_row	r;

		assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
		    STORE_OK);
		assert_int_equal(store_rung_mark_fired(fx->st, &r, 2600, 0, 0),
		    STORE_OK);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(fx->st, c, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
}

/* The counts a walk of store_case_counts gave, as "workflow/state=n;". */
struct counts {
	char	c_text[256];
	int	c_n;
};

static enum store_status
count_cb(const char *workflow, const char *state, int64_t n, void *arg)
{
	struct counts	*cs = arg;
	size_t		 len = strlen(cs->c_text);

	snprintf(cs->c_text + len, sizeof(cs->c_text) - len, "%s/%s=%lld;",
	    workflow, state, (long long)n);
	cs->c_n++;
	return STORE_OK;
}

/*
 * For monitoring: how many cases there are of each workflow and state,
 * closed ones too, one call per pair that has any, in no order promised.
 */
static void
test_case_counts(void **state)
{
	struct fixture	*fx = *state;
	struct case_row	 c;
	struct counts	 cs;
	int64_t		 id;

	memset(&cs, 0, sizeof(cs));
	assert_int_equal(store_case_counts(fx->st, count_cb, &cs), STORE_OK);
	assert_int_equal(cs.c_n, 0);
	(void)add_case(fx->st, "A", "noord", "waiting");
	(void)add_case(fx->st, "B", "zuid", "closed");
	(void)add_case(fx->st, "C", "zuid", "waiting");
	id = add_case(fx->st, "D", "noord", "waiting");
	assert_int_equal(store_case_get(fx->st, id, &c), STORE_OK);
	snprintf(c.c_state, sizeof(c.c_state), "closed");
	c.c_final = 1;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "bijstand");
	c.c_version = 1;
	snprintf(c.c_reference, sizeof(c.c_reference), "E");
	snprintf(c.c_team, sizeof(c.c_team), "noord");
	snprintf(c.c_state, sizeof(c.c_state), "waiting");
	assert_int_equal(store_case_insert(fx->st, &c), STORE_OK);

	memset(&cs, 0, sizeof(cs));
	assert_int_equal(store_case_counts(fx->st, count_cb, &cs), STORE_OK);
	assert_int_equal(cs.c_n, 3);
	assert_non_null(strstr(cs.c_text, "zelfmelding/waiting=2;"));
	assert_non_null(strstr(cs.c_text, "zelfmelding/closed=2;"));
	assert_non_null(strstr(cs.c_text, "bijstand/waiting=1;"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		FIXTURE_TEST(test_open_refused_and_errmsg),
		FIXTURE_TEST(test_transactions),
		FIXTURE_TEST(test_rollback_leaves_nothing),
		FIXTURE_TEST(test_refused_write_in_savepoint),
		FIXTURE_TEST(test_cases),
		FIXTURE_TEST(test_case_lock),
		FIXTURE_TEST(test_case_update_after_rollback),
		FIXTURE_TEST(test_case_round_trip),
		FIXTURE_TEST(test_case_open_find),
		FIXTURE_TEST(test_case_list_and_paging),
		FIXTURE_TEST(test_deadlines),
		FIXTURE_TEST(test_deadlines_stop_scope),
		FIXTURE_TEST(test_current_deadlines),
		FIXTURE_TEST(test_case_counts),
	};

	return cmocka_run_group_tests_name("store contract: cases", tests,
	    NULL, NULL);
}
