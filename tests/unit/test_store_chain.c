/*
 * termijn: the store's contract: a case's history and the audit chain
 * through it.  Transitions, notifications and what a correction restores;
 * the chain's head, its links of every kind in id order with the values
 * their hashes cover as stored; the facts of each case for the audit; and
 * retention, which destroys a case and leaves its links as gaps and a
 * tombstone (store_fixture.h says where the store is).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_fixture.h"

static void
test_transitions_and_notifications(void **state)
{
	struct fixture		*fx = *state;
	struct transition_row	 t;
	struct notification_row	 n;
	struct ids		 l;
	int64_t			 c, d, ids[5], head;
	int			 i;

	c = add_case(fx->st, "T", "t", "s");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	for (i = 0; i < 5; i++) {
		memset(&t, 0, sizeof(t));
		t.t_case = c;
		t.t_at = 1000 + i;
		t.t_recorded_at = 2000 + i;
		snprintf(t.t_from, sizeof(t.t_from), "%s", i ? "s" : "");
		snprintf(t.t_to, sizeof(t.t_to), "s");
		snprintf(t.t_cause, sizeof(t.t_cause), i ? "event" : "create");
		snprintf(t.t_actor, sizeof(t.t_actor), "worker");
		snprintf(t.t_note, sizeof(t.t_note), "%s", i == 2 ? "why" : "");
		ids[i] = link_in(fx->st, &t);
	}
	assert_int_equal(store_commit(fx->st), STORE_OK);
	assert_int_equal(store_transition_last_at(fx->st, c, &head), STORE_OK);
	assert_int_equal(head, 1004);
	assert_int_equal(store_transition_last_at(fx->st, 999, &head),
	    STORE_NOTFOUND);
	memset(&t, 0, sizeof(t));
	assert_int_equal(store_transition_last(fx->st, c, &t), STORE_OK);
	assert_int_equal(t.t_id, ids[4]);
	assert_string_equal(t.t_cause, "event");
	assert_int_equal(t.t_at, 1004);
	assert_int_equal(store_transition_last(fx->st, 999, &t),
	    STORE_NOTFOUND);

	/* What a correction restores: one row per case, the latest kept. */
	{
		char	*data;
		int64_t	 tid;

		assert_int_equal(store_undo_get(fx->st, c, &tid, &data),
		    STORE_NOTFOUND);
		assert_int_equal(store_undo_put(fx->st, c, ids[3], "{\"a\":1}"),
		    STORE_OK);
		assert_int_equal(store_undo_put(fx->st, c, ids[4], "{\"b\":2}"),
		    STORE_OK);
		assert_int_equal(store_undo_get(fx->st, c, &tid, &data),
		    STORE_OK);
		assert_int_equal(tid, ids[4]);
		assert_string_equal(data, "{\"b\":2}");
		free(data);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(fx->st, c, 0, 2,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], ids[0]);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(fx->st, c, ids[1], 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], ids[2]);
	assert_int_equal(l.id[2], ids[4]);

	d = add_deadline(fx->st, c, "x", "s", 1000, 1);
	assert_int_equal(add_rung(fx->st, c, d, "due", 1, 1000, "s"), STORE_OK);
	{
		struct rung_row	r;

		assert_int_equal(store_rung_first_of_case(fx->st, c, &r),
		    STORE_OK);
		memset(&n, 0, sizeof(n));
		n.n_case = c;
		n.n_rung = r.r_id;
		snprintf(n.n_role, sizeof(n.n_role), "supervisor");
		snprintf(n.n_deadline, sizeof(n.n_deadline), "x");
		snprintf(n.n_rung_name, sizeof(n.n_rung_name), "due");
		n.n_seq = 1;
		assert_int_equal(store_notification_insert(fx->st, &n),
		    STORE_OK);
		assert_true(n.n_id > 0);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_notifications_of_case(fx->st, c,
	    notification_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_notifications_of_case(fx->st, 999,
	    notification_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);
}

/* A transition read, copied. */
static enum store_status
copy_transition_cb(const struct transition_row *t, void *arg)
{
	*(struct transition_row *)arg = *t;
	return STORE_OK;
}

/* The values of the first two links, as the walk gives them. */
static enum store_status
values_cb(const struct chain_link *cl, void *arg)
{
	struct chain_value	*out = arg;
	size_t			 i;

	assert_non_null(cl->cl_transition);
	assert_int_equal(cl->cl_nvalues, AUDIT_TRANSITION_NVALUES);
	i = (size_t)cl->cl_transition->t_id - 1;
	assert_true(i < 2);
	/* Only the types and integers: the bytes live during the call. */
	memcpy(&out[i * AUDIT_TRANSITION_NVALUES], cl->cl_values,
	    AUDIT_TRANSITION_NVALUES * sizeof(*cl->cl_values));
	return STORE_OK;
}

/*
 * A transition read back whole, by both ways of reading it; the links
 * the chain walk gives carry the values its hash covers exactly as
 * audit.h says termijn writes them, a "final" left out (-1) as NULL.
 */
static void
test_transition_round_trip(void **state)
{
	struct fixture		*fx = *state;
	struct transition_row	 t, back, last;
	struct chain_value	 want[AUDIT_TRANSITION_NVALUES];
	struct chain_value	 got[2 * AUDIT_TRANSITION_NVALUES];
	int64_t			 c;
	size_t			 i;

	c = add_case(fx->st, "T", "t", "s");
	assert_int_equal(store_begin(fx->st), STORE_OK);
	memset(&t, 0, sizeof(t));
	t.t_case = c;
	t.t_at = 1500;
	t.t_recorded_at = 1600;
	snprintf(t.t_to, sizeof(t.t_to), "waiting");
	snprintf(t.t_cause, sizeof(t.t_cause), "create");
	snprintf(t.t_actor, sizeof(t.t_actor), "worker");
	snprintf(t.t_detail, sizeof(t.t_detail), "t");
	snprintf(t.t_workflow, sizeof(t.t_workflow), "zelfmelding");
	t.t_version = 2;
	t.t_final = 0;
	assert_int_equal(link_in(fx->st, &t), 1);
	memset(&back, 0, sizeof(back));
	assert_int_equal(store_transition_last(fx->st, c, &back), STORE_OK);
	assert_int_equal(back.t_id, 1);
	assert_int_equal(back.t_at, 1500);
	assert_int_equal(back.t_recorded_at, 1600);
	assert_string_equal(back.t_from, "");
	assert_string_equal(back.t_to, "waiting");
	assert_string_equal(back.t_cause, "create");
	assert_string_equal(back.t_event, "");
	assert_string_equal(back.t_detail, "t");
	assert_string_equal(back.t_workflow, "zelfmelding");
	assert_int_equal(back.t_version, 2);
	assert_int_equal(back.t_final, 0);
	assert_memory_equal(back.t_prev, t.t_prev, sizeof(t.t_prev));
	assert_memory_equal(back.t_hash, t.t_hash, sizeof(t.t_hash));

	memset(&t, 0, sizeof(t));
	t.t_case = c;
	t.t_at = t.t_recorded_at = 1700;
	snprintf(t.t_from, sizeof(t.t_from), "waiting");
	snprintf(t.t_to, sizeof(t.t_to), "shared");
	snprintf(t.t_cause, sizeof(t.t_cause), "share");
	snprintf(t.t_event, sizeof(t.t_event), "report");
	snprintf(t.t_actor, sizeof(t.t_actor), "worker");
	snprintf(t.t_note, sizeof(t.t_note), "with consent");
	snprintf(t.t_basis, sizeof(t.t_basis), "consent");
	snprintf(t.t_detail, sizeof(t.t_detail), "handhaving");
	t.t_final = -1;
	assert_int_equal(link_in(fx->st, &t), 2);
	assert_memory_equal(t.t_prev, back.t_hash, sizeof(t.t_prev));
	assert_int_equal(store_commit(fx->st), STORE_OK);
	memset(&back, 0, sizeof(back));
	assert_int_equal(store_transitions_of_case(fx->st, c, 1, 10,
	    copy_transition_cb, &back), STORE_OK);
	assert_int_equal(back.t_id, 2);
	assert_int_equal(store_transition_last(fx->st, c, &last), STORE_OK);
	assert_int_equal(last.t_id, 2);
	assert_string_equal(last.t_note, "with consent");
	assert_int_equal(last.t_final, -1);
	assert_string_equal(back.t_from, "waiting");
	assert_string_equal(back.t_event, "report");
	assert_string_equal(back.t_note, "with consent");
	assert_string_equal(back.t_basis, "consent");
	assert_string_equal(back.t_detail, "handhaving");
	assert_string_equal(back.t_workflow, "");
	assert_int_equal(back.t_version, 0);
	assert_int_equal(back.t_final, -1);

	memset(got, 0, sizeof(got));
	assert_int_equal(store_chain_walk(fx->st, values_cb, got), STORE_OK);
	audit_transition_values(&t, want);
	for (i = 0; i < AUDIT_TRANSITION_NVALUES; i++) {
		assert_int_equal(got[AUDIT_TRANSITION_NVALUES + i].cv_type,
		    want[i].cv_type);
		if (want[i].cv_type == CHAIN_INT)
			assert_int_equal(got[AUDIT_TRANSITION_NVALUES +
			    i].cv_int, want[i].cv_int);
		else
			assert_int_equal(got[AUDIT_TRANSITION_NVALUES +
			    i].cv_len, want[i].cv_len);
	}
	/* The first one's version and final are integers, as written. */
	assert_int_equal(got[13].cv_type, CHAIN_INT);
	assert_int_equal(got[13].cv_int, 2);
	assert_int_equal(got[14].cv_type, CHAIN_INT);
	assert_int_equal(got[14].cv_int, 0);
}

struct links {
	int64_t	id[16];
	int	gap[16];
	size_t	n;
};

static enum store_status
link_cb(const struct chain_link *cl, void *arg)
{
	struct links	*ls = arg;

	if (ls->n < 16) {
		ls->id[ls->n] = cl->cl_transition ? cl->cl_transition->t_id :
		    cl->cl_gap ? cl->cl_gap->g_id : cl->cl_mark ?
		    cl->cl_mark->mk_id : cl->cl_route->rt_link;
		ls->gap[ls->n++] = cl->cl_gap != NULL;
	}
	return STORE_OK;
}

/*
 * The chain: transitions by id, with the head the store keeps; a destroyed
 * case leaves its links as gaps, its tombstone, and nothing else.
 */
static void
test_chain_and_destruction(void **state)
{
	struct fixture		*fx = *state;
	struct tombstone_row	 ts;
	struct case_row		 c;
	struct links		 ls;
	struct ids		 l;
	unsigned char		 head[HASH_SHA256_LEN];
	int64_t			 a, b, id;

	assert_int_equal(store_chain_head(fx->st, &id, head), STORE_OK);
	assert_int_equal(id, 0);
	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "s");
	append(fx->st, a, "create");
	append(fx->st, b, "create");
	append(fx->st, a, "event");
	assert_int_equal(store_chain_head(fx->st, &id, head), STORE_OK);
	assert_int_equal(id, 3);
	assert_int_equal(head[0], 3);

	/* Closed before 5000, in workflow zelfmelding version 1. */
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_OK);
	c.c_final = 1;
	c.c_state_since = 2000;
	assert_int_equal(store_case_update_state(fx->st, &c), STORE_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    5000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], a);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    2000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	memset(&ts, 0, sizeof(ts));
	ts.ts_case = a;
	snprintf(ts.ts_workflow, sizeof(ts.ts_workflow), "zelfmelding");
	ts.ts_version = 1;
	snprintf(ts.ts_team, sizeof(ts.ts_team), "t");
	ts.ts_closed_at = 2000;
	ts.ts_destroyed_at = 9000;
	snprintf(ts.ts_destroyed_by, sizeof(ts.ts_destroyed_by), "admin");
	assert_int_equal(store_undo_put(fx->st, a, 3, "{}"), STORE_OK);
	assert_int_equal(store_case_destroy(fx->st, &ts), STORE_OK);
	assert_int_equal(store_case_get(fx->st, a, &c), STORE_NOTFOUND);
	{
		char	*data;

		/* Nothing of a destroyed case stays behind. */
		assert_int_equal(store_undo_get(fx->st, a, &id, &data),
		    STORE_NOTFOUND);
	}
	memset(&ts, 0, sizeof(ts));
	assert_int_equal(store_tombstone_get(fx->st, a, &ts), STORE_OK);
	assert_string_equal(ts.ts_destroyed_by, "admin");
	assert_int_equal(ts.ts_closed_at, 2000);
	assert_int_equal(store_tombstone_get(fx->st, b, &ts), STORE_NOTFOUND);
	assert_int_equal(store_case_destroy(fx->st, &ts), STORE_EXISTS);

	memset(&ls, 0, sizeof(ls));
	assert_int_equal(store_chain_walk(fx->st, link_cb, &ls), STORE_OK);
	assert_int_equal(ls.n, 3);
	assert_int_equal(ls.id[0], 1);
	assert_int_equal(ls.gap[0], 1);
	assert_int_equal(ls.id[1], 2);
	assert_int_equal(ls.gap[1], 0);
	assert_int_equal(ls.id[2], 3);
	assert_int_equal(ls.gap[2], 1);
	/* The next transition takes the id after the head, never a gap's. */
	assert_int_equal(append(fx->st, b, "event"), 4);
	assert_int_equal(store_scrub(fx->st), STORE_OK);
}

/* A mark's stand-in hash: every byte 0x40 + its id. */
static void
seal_mark_cb(struct chain_mark_row *mk, void *arg)
{
	(void)arg;
	memset(mk->mk_hash, 0x40 + (int)mk->mk_id, sizeof(mk->mk_hash));
}

/* A mark of a case at 7000 + the head, in a transaction of its own. */
static int64_t
add_mark(struct store *st, const char *kind, int64_t case_id, int final)
{
	struct chain_mark_row	mk;
	unsigned char		hash[HASH_SHA256_LEN];
	int64_t			head;

	memset(&mk, 0, sizeof(mk));
	assert_int_equal(store_chain_head(st, &head, hash), STORE_OK);
	snprintf(mk.mk_kind, sizeof(mk.mk_kind), "%s", kind);
	mk.mk_case = case_id;
	mk.mk_at = 7000 + head;
	snprintf(mk.mk_actor, sizeof(mk.mk_actor), "termijnd");
	snprintf(mk.mk_team, sizeof(mk.mk_team), "noord");
	snprintf(mk.mk_workflow, sizeof(mk.mk_workflow), "zelfmelding");
	mk.mk_version = 1;
	mk.mk_final = final;
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_chain_append_mark(st, &mk, seal_mark_cb, NULL),
	    STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	return mk.mk_id;
}

/* What a walk of the chain saw: one letter per link, and a mark's row. */
struct walk {
	char			w_kinds[16];
	int64_t			w_ids[16];
	size_t			w_n;
	struct chain_mark_row	w_mark;
	struct route_row	w_route;
	int			w_values_ok;
};

/* Whether values as stored have the types and integers of those written. */
static int
values_match(const struct chain_value *got, const struct chain_value *want,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (got[i].cv_type != want[i].cv_type)
			return 0;
		if (want[i].cv_type == CHAIN_INT &&
		    got[i].cv_int != want[i].cv_int)
			return 0;
		if ((want[i].cv_type == CHAIN_TEXT ||
		    want[i].cv_type == CHAIN_BLOB) &&
		    (got[i].cv_len != want[i].cv_len ||
		    memcmp(got[i].cv_bytes, want[i].cv_bytes, want[i].cv_len)))
			return 0;
	}
	return 1;
}

static enum store_status
walk_cb(const struct chain_link *cl, void *arg)
{
	struct walk		*w = arg;
	struct chain_value	 v[AUDIT_TRANSITION_NVALUES];
	int64_t			 id;
	char			 kind;

	if (cl->cl_transition != NULL) {
		kind = 'T';
		id = cl->cl_transition->t_id;
	} else if (cl->cl_gap != NULL) {
		kind = 'G';
		id = cl->cl_gap->g_id;
		assert_int_equal(cl->cl_nvalues, 0);
	} else if (cl->cl_mark != NULL) {
		kind = 'M';
		id = cl->cl_mark->mk_id;
		w->w_mark = *cl->cl_mark;
		assert_int_equal(cl->cl_nvalues, AUDIT_MARK_NVALUES);
		audit_mark_values(cl->cl_mark, v);
		w->w_values_ok += values_match(cl->cl_values, v,
		    AUDIT_MARK_NVALUES);
	} else {
		assert_non_null(cl->cl_route);
		kind = 'R';
		id = cl->cl_route->rt_link;
		w->w_route = *cl->cl_route;
		assert_int_equal(cl->cl_nvalues, AUDIT_ROUTE_NVALUES);
		audit_route_values(cl->cl_route, v);
		w->w_values_ok += values_match(cl->cl_values, v,
		    AUDIT_ROUTE_NVALUES);
	}
	if (w->w_n < sizeof(w->w_kinds) - 1) {
		w->w_ids[w->w_n] = id;
		w->w_kinds[w->w_n++] = kind;
	}
	return STORE_OK;
}

/*
 * Every kind of link shares one chain in id order: transitions, marks
 * (kept when their case is destroyed), gaps, and the route log's lines,
 * which the store links itself after the head; each mark and line comes
 * with the values its hash covers, as written.  A new store's chain is in
 * the canonical encoding from its first link.
 */
static void
test_chain_links(void **state)
{
	struct fixture		*fx = *state;
	struct route_row	 rt;
	struct walk		 w;
	unsigned char		 hash[HASH_SHA256_LEN];
	int64_t			 a, b, head, from;

	assert_int_equal(store_chain_encoding(fx->st, &from), STORE_OK);
	assert_int_equal(from, 1);
	add_team(fx->st, "noord");
	add_team(fx->st, "handhaving");
	a = add_case(fx->st, "A", "noord", "s");
	b = add_case(fx->st, "B", "noord", "s");
	append(fx->st, a, "create");			/* 1 */
	assert_int_equal(add_mark(fx->st, "owner", b, 0), 2);
	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	assert_int_equal(head, 2);
	assert_int_equal(hash[0], 0x42);
	append(fx->st, b, "create");			/* 3 */
	memset(&rt, 0, sizeof(rt));
	snprintf(rt.rt_function, sizeof(rt.rt_function), "enforcement");
	snprintf(rt.rt_for_team, sizeof(rt.rt_for_team), "noord");
	snprintf(rt.rt_team, sizeof(rt.rt_team), "handhaving");
	snprintf(rt.rt_actor, sizeof(rt.rt_actor), "admin");
	rt.rt_at = 4000;
	assert_int_equal(store_route_set(fx->st, &rt), STORE_OK);
	assert_int_equal(rt.rt_link, 4);
	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	assert_int_equal(head, 4);
	assert_memory_equal(hash, rt.rt_hash, sizeof(hash));
	/* The next transition is linked after the route's line. */
	assert_int_equal(append(fx->st, a, "event"), 5);
	destroy(fx->st, b);
	assert_int_equal(add_mark(fx->st, "destroyed", b, 1), 6);

	memset(&w, 0, sizeof(w));
	assert_int_equal(store_chain_walk(fx->st, walk_cb, &w), STORE_OK);
	assert_string_equal(w.w_kinds, "TMGRTM");
	assert_int_equal(w.w_ids[0], 1);
	assert_int_equal(w.w_ids[1], 2);
	assert_int_equal(w.w_ids[2], 3);
	assert_int_equal(w.w_ids[3], 4);
	assert_int_equal(w.w_ids[4], 5);
	assert_int_equal(w.w_ids[5], 6);
	assert_int_equal(w.w_values_ok, 3);
	assert_string_equal(w.w_mark.mk_kind, "destroyed");
	assert_int_equal(w.w_mark.mk_case, b);
	assert_int_equal(w.w_mark.mk_at, 7005);
	assert_string_equal(w.w_mark.mk_actor, "termijnd");
	assert_string_equal(w.w_mark.mk_team, "noord");
	assert_string_equal(w.w_mark.mk_workflow, "zelfmelding");
	assert_int_equal(w.w_mark.mk_version, 1);
	assert_int_equal(w.w_mark.mk_final, 1);
	assert_int_equal(w.w_mark.mk_prev[0], 5);
	assert_int_equal(w.w_mark.mk_hash[0], 0x46);
	assert_string_equal(w.w_route.rt_function, "enforcement");
	assert_string_equal(w.w_route.rt_for_team, "noord");
	assert_string_equal(w.w_route.rt_team, "handhaving");
	assert_int_equal(w.w_route.rt_at, 4000);
	assert_int_equal(w.w_route.rt_removed, 0);
	assert_memory_equal(w.w_route.rt_hash, rt.rt_hash, HASH_SHA256_LEN);
	assert_int_equal(w.w_route.rt_prev[0], 3);
	assert_int_equal(store_chain_encoding(fx->st, &from), STORE_OK);
	assert_int_equal(from, 1);
}

/* What the seals of appended links saw: each link's id and hash before. */
struct sealed {
	int64_t		sd_id[8];
	unsigned char	sd_prev[8][HASH_SHA256_LEN];
	size_t		sd_n;
};

/* Note what a seal saw; the hash is 0x10 + the id in every byte. */
static void
sealed_add(struct sealed *sd, int64_t id, const unsigned char *prev,
    unsigned char *hash)
{
	assert_true(sd->sd_n < nitems(sd->sd_id));
	sd->sd_id[sd->sd_n] = id;
	memcpy(sd->sd_prev[sd->sd_n++], prev, HASH_SHA256_LEN);
	memset(hash, 0x10 + (int)id, HASH_SHA256_LEN);
}

static void
seen_transition_cb(struct transition_row *t, void *arg)
{
	sealed_add(arg, t->t_id, t->t_prev, t->t_hash);
}

static void
seen_mark_cb(struct chain_mark_row *mk, void *arg)
{
	sealed_add(arg, mk->mk_id, mk->mk_prev, mk->mk_hash);
}

/* A transition and a mark of a case, to append. */
static void
link_rows(int64_t case_id, struct transition_row *t,
    struct chain_mark_row *mk)
{
	memset(t, 0, sizeof(*t));
	t->t_case = case_id;
	t->t_at = t->t_recorded_at = 3000;
	snprintf(t->t_to, sizeof(t->t_to), "s");
	snprintf(t->t_cause, sizeof(t->t_cause), "event");
	snprintf(t->t_actor, sizeof(t->t_actor), "worker");
	memset(mk, 0, sizeof(*mk));
	snprintf(mk->mk_kind, sizeof(mk->mk_kind), "owner");
	mk->mk_case = case_id;
	mk->mk_at = 3000;
	snprintf(mk->mk_actor, sizeof(mk->mk_actor), "termijnd");
	snprintf(mk->mk_team, sizeof(mk->mk_team), "noord");
	snprintf(mk->mk_workflow, sizeof(mk->mk_workflow), "zelfmelding");
	mk->mk_version = 1;
}

/*
 * Appends in one write transaction chain one after the other, whatever
 * their kind: each takes the id after the head's and the head's hash as
 * its hash before, the seal sees both before the link is stored, and the
 * head moves to each link as it is stored.
 */
static void
test_append_in_one_transaction(void **state)
{
	struct fixture		*fx = *state;
	struct transition_row	 t;
	struct chain_mark_row	 mk;
	struct sealed		 sd;
	struct walk		 w;
	unsigned char		 hash[HASH_SHA256_LEN];
	unsigned char		 want[HASH_SHA256_LEN];
	int64_t			 a, head;
	size_t			 i;

	add_team(fx->st, "noord");
	a = add_case(fx->st, "A", "noord", "s");
	assert_int_equal(append(fx->st, a, "create"), 1);
	memset(&sd, 0, sizeof(sd));
	assert_int_equal(store_begin(fx->st), STORE_OK);
	link_rows(a, &t, &mk);
	assert_int_equal(store_chain_append(fx->st, &t, seen_transition_cb,
	    &sd), STORE_OK);
	assert_int_equal(t.t_id, 2);
	assert_int_equal(store_chain_append_mark(fx->st, &mk, seen_mark_cb,
	    &sd), STORE_OK);
	assert_int_equal(mk.mk_id, 3);
	assert_memory_equal(mk.mk_prev, t.t_hash, HASH_SHA256_LEN);
	memcpy(want, mk.mk_hash, sizeof(want));
	link_rows(a, &t, &mk);
	assert_int_equal(store_chain_append(fx->st, &t, seen_transition_cb,
	    &sd), STORE_OK);
	assert_int_equal(t.t_id, 4);
	assert_memory_equal(t.t_prev, want, HASH_SHA256_LEN);
	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	assert_int_equal(head, 4);
	assert_memory_equal(hash, t.t_hash, HASH_SHA256_LEN);
	assert_int_equal(store_commit(fx->st), STORE_OK);

	/* The seals saw ids 2, 3, 4, each after the link before (seal_id_cb). */
	assert_int_equal(sd.sd_n, 3);
	for (i = 0; i < sd.sd_n; i++) {
		assert_int_equal(sd.sd_id[i], (int64_t)i + 2);
		memset(want, i == 0 ? 1 : 0x10 + (int)i + 1, sizeof(want));
		assert_memory_equal(sd.sd_prev[i], want, sizeof(want));
	}
	/* As stored: a mark between two transitions, the hashes sealed. */
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_chain_walk(fx->st, walk_cb, &w), STORE_OK);
	assert_string_equal(w.w_kinds, "TTMT");
	assert_int_equal(w.w_mark.mk_id, 3);
	assert_int_equal(w.w_mark.mk_prev[0], 0x12);
	assert_int_equal(w.w_mark.mk_hash[0], 0x13);
	assert_int_equal(w.w_values_ok, 1);
	assert_int_equal(store_transition_last(fx->st, a, &t), STORE_OK);
	assert_int_equal(t.t_id, 4);
	assert_int_equal(t.t_prev[0], 0x13);
	assert_int_equal(t.t_hash[0], 0x14);
}

/*
 * Outside a write transaction there is no lock on the head: an append is
 * refused (STORE_FAILED) before its seal is called, and the chain stays
 * as it was.
 */
static void
test_append_outside_transaction(void **state)
{
	struct fixture		*fx = *state;
	struct transition_row	 t;
	struct chain_mark_row	 mk;
	struct sealed		 sd;
	struct links		 ls;
	unsigned char		 hash[HASH_SHA256_LEN];
	int64_t			 a, head;

	add_team(fx->st, "noord");
	a = add_case(fx->st, "A", "noord", "s");
	assert_int_equal(append(fx->st, a, "create"), 1);
	memset(&sd, 0, sizeof(sd));
	link_rows(a, &t, &mk);
	assert_int_equal(store_chain_append(fx->st, &t, seen_transition_cb,
	    &sd), STORE_FAILED);
	assert_int_equal(store_chain_append_mark(fx->st, &mk, seen_mark_cb,
	    &sd), STORE_FAILED);
	assert_int_equal(sd.sd_n, 0);
	assert_int_equal(store_chain_head(fx->st, &head, hash), STORE_OK);
	assert_int_equal(head, 1);
	assert_int_equal(hash[0], 1);
	memset(&ls, 0, sizeof(ls));
	assert_int_equal(store_chain_walk(fx->st, link_cb, &ls), STORE_OK);
	assert_int_equal(ls.n, 1);
	/* And a transaction after it appends as before. */
	assert_int_equal(append(fx->st, a, "event"), 2);
}

/* The facts a walk gave, as "case:kind[id] ..." and the values seen. */
struct facts {
	char	f_text[512];
	size_t	f_n;
	size_t	f_stop_after;		/* 0: never */
	char	f_row_team[STORE_NAME_LEN];
	int64_t	f_row_version;
	char	f_participant_team[STORE_NAME_LEN];
	int64_t	f_participant_since;
};

static enum store_status
fact_cb(const struct case_fact *fc, void *arg)
{
	struct facts	*f = arg;
	size_t		 len = strlen(f->f_text);
	char		 kind[8];
	int64_t		 id = 0;

	if (fc->fc_transition != NULL) {
		snprintf(kind, sizeof(kind), "T");
		id = fc->fc_transition->t_id;
	} else if (fc->fc_gap != NULL) {
		snprintf(kind, sizeof(kind), "G");
		id = fc->fc_gap->g_id;
	} else if (fc->fc_mark != NULL) {
		snprintf(kind, sizeof(kind), "M");
		id = fc->fc_mark->mk_id;
	} else if (fc->fc_participant != NULL) {
		snprintf(kind, sizeof(kind), "P");
		assert_int_equal(fc->fc_nvalues, CASE_FACT_NPARTICIPANT);
		snprintf(f->f_participant_team,
		    sizeof(f->f_participant_team), "%.*s",
		    (int)fc->fc_values[0].cv_len,
		    (const char *)fc->fc_values[0].cv_bytes);
		f->f_participant_since = fc->fc_values[2].cv_int;
	} else if (fc->fc_tombstone != NULL) {
		snprintf(kind, sizeof(kind), "S");
		assert_int_equal(fc->fc_tombstone->ts_case, fc->fc_case);
	} else if (fc->fc_row != NULL) {
		snprintf(kind, sizeof(kind), "C");
		assert_int_equal(fc->fc_row->c_id, fc->fc_case);
		assert_int_equal(fc->fc_nvalues, CASE_FACT_NROW);
		snprintf(f->f_row_team, sizeof(f->f_row_team), "%.*s",
		    (int)fc->fc_values[0].cv_len,
		    (const char *)fc->fc_values[0].cv_bytes);
		f->f_row_version = fc->fc_values[2].cv_int;
	} else
		snprintf(kind, sizeof(kind), "E");
	if (id != 0)
		snprintf(kind + 1, sizeof(kind) - 1, "%lld", (long long)id);
	snprintf(f->f_text + len, sizeof(f->f_text) - len, "%s%lld:%s",
	    len ? " " : "", (long long)fc->fc_case, kind);
	f->f_n++;
	if (f->f_stop_after != 0 && f->f_n == f->f_stop_after)
		return STORE_FULL;
	return STORE_OK;
}

/*
 * The facts of each case, for the audit: cases in id order, and of each
 * its links (transitions, gaps, marks) by id, its participants by id, its
 * tombstone, its row, then the end; a route's line is no case's fact.
 */
static void
test_case_facts(void **state)
{
	struct fixture		*fx = *state;
	struct route_row	 rt;
	struct facts		 f;
	int64_t			 a, b, c;

	memset(&f, 0, sizeof(f));
	assert_int_equal(store_case_facts(fx->st, fact_cb, &f), STORE_OK);
	assert_int_equal(f.f_n, 0);

	add_team(fx->st, "noord");
	add_team(fx->st, "zuid");
	a = add_case(fx->st, "A", "noord", "s");	/* 1 */
	b = add_case(fx->st, "B", "zuid", "s");		/* 2 */
	c = add_case(fx->st, "C", "noord", "closed");	/* 3 */
	assert_int_equal(a, 1);
	assert_int_equal(c, 3);
	append(fx->st, b, "create");			/* link 1 */
	append(fx->st, a, "create");			/* 2 */
	append(fx->st, c, "create");			/* 3 */
	(void)add_mark(fx->st, "owner", a, 0);		/* 4 */
	memset(&rt, 0, sizeof(rt));
	snprintf(rt.rt_function, sizeof(rt.rt_function), "enforcement");
	snprintf(rt.rt_for_org, sizeof(rt.rt_for_org), "Gemeente");
	snprintf(rt.rt_team, sizeof(rt.rt_team), "zuid");
	snprintf(rt.rt_actor, sizeof(rt.rt_actor), "admin");
	assert_int_equal(store_route_set(fx->st, &rt), STORE_OK);	/* 5 */
	append(fx->st, a, "event");			/* 6 */
	(void)add_participant(fx->st, a, "zuid", 2500);
	destroy(fx->st, c);
	(void)add_mark(fx->st, "destroyed", c, 1);	/* 7 */

	memset(&f, 0, sizeof(f));
	assert_int_equal(store_case_facts(fx->st, fact_cb, &f), STORE_OK);
	assert_string_equal(f.f_text, "1:T2 1:M4 1:T6 1:P 1:C 1:E"
	    " 2:T1 2:C 2:E 3:G3 3:M7 3:S 3:E");
	assert_string_equal(f.f_row_team, "zuid");	/* case 2's, last */
	assert_int_equal(f.f_row_version, 1);
	assert_string_equal(f.f_participant_team, "zuid");
	assert_int_equal(f.f_participant_since, 2500);

	/* The callback's status ends the walk and is its result. */
	memset(&f, 0, sizeof(f));
	f.f_stop_after = 3;
	assert_int_equal(store_case_facts(fx->st, fact_cb, &f), STORE_FULL);
	assert_string_equal(f.f_text, "1:T2 1:M4 1:T6");
}

/* A case of a workflow and version, closed at a moment. */
static int64_t
add_closed(struct store *st, const char *workflow, int version, int64_t at)
{
	struct case_row	c;

	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "%s", workflow);
	c.c_version = version;
	snprintf(c.c_reference, sizeof(c.c_reference), "R");
	snprintf(c.c_team, sizeof(c.c_team), "t");
	snprintf(c.c_state, sizeof(c.c_state), "closed");
	c.c_final = 1;
	c.c_started_at = c.c_created_at = c.c_updated_at = 500;
	c.c_state_since = at;
	assert_int_equal(store_case_insert(st, &c), STORE_OK);
	return c.c_id;
}

/*
 * Retention finds the closed cases of one workflow version that closed
 * before a moment, those closed longest ago first (then by id), at most
 * limit; open cases and other workflows and versions are not among them.
 */
static void
test_retention_order(void **state)
{
	struct fixture	*fx = *state;
	struct ids	 l;
	int64_t		 a, b, d, v2;

	a = add_closed(fx->st, "zelfmelding", 1, 3000);
	b = add_closed(fx->st, "zelfmelding", 1, 2000);
	d = add_closed(fx->st, "zelfmelding", 1, 2000);
	(void)add_case(fx->st, "open", "t", "s");
	v2 = add_closed(fx->st, "zelfmelding", 2, 1000);
	(void)add_closed(fx->st, "bijstand", 1, 1000);

	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    5000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], b);
	assert_int_equal(l.id[1], d);
	assert_int_equal(l.id[2], a);
	/* Before the moment, not at it; at most the limit. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    3000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 1,
	    5000, 1, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], b);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_cases_closed_before(fx->st, "zelfmelding", 2,
	    5000, 10, case_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], v2);
}

/* An outbox row of a case, due at 5000. */
static void
add_outbox_row(struct store *st, int64_t case_id)
{
	struct outbox_row	o;

	memset(&o, 0, sizeof(o));
	o.o_case = case_id;
	snprintf(o.o_type, sizeof(o.o_type), "nl.termijn.deadline.passed");
	snprintf(o.o_team, sizeof(o.o_team), "handhaving");
	snprintf(o.o_role, sizeof(o.o_role), "enforcement");
	o.o_body = "{}";
	o.o_next_at = o.o_created_at = 5000;
	assert_int_equal(store_outbox_insert(st, &o), STORE_OK);
}

static enum store_status
read_cb(const struct read_row *rd, void *arg)
{
	return ids_add(arg, rd->rd_id);
}

static enum store_status
outbox_cb(const struct outbox_row *o, void *arg)
{
	return ids_add(arg, o->o_id);
}

/*
 * A destruction deletes every row about the case, of every kind, and
 * leaves another case as it was; destroying a case that is not there is
 * STORE_NOTFOUND, and its transaction, rolled back, leaves no tombstone.
 */
static void
test_destroy_takes_everything(void **state)
{
	struct fixture		*fx = *state;
	struct tombstone_row	 ts;
	struct notification_row	 nt;
	struct read_row		 rd;
	struct ids		 l;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 a, b, tok, dl, pending, due, n;
	int64_t			 cases[2];
	int			 status;
	size_t			 i;

	add_team(fx->st, "t");
	tok = add_token(fx->st, "w", "caseworker", "t", 1, 0);
	a = add_case(fx->st, "A", "t", "closed");
	b = add_case(fx->st, "B", "t", "s");
	cases[0] = a;
	cases[1] = b;
	for (i = 0; i < nitems(cases); i++) {
		append(fx->st, cases[i], "create");
		dl = add_deadline(fx->st, cases[i], "d", "s", 5000, 1);
		assert_int_equal(add_rung(fx->st, cases[i], dl, "due", 1, 5000,
		    "s"), STORE_OK);
		memset(&nt, 0, sizeof(nt));
		nt.n_case = cases[i];
		snprintf(nt.n_role, sizeof(nt.n_role), "supervisor");
		snprintf(nt.n_deadline, sizeof(nt.n_deadline), "d");
		snprintf(nt.n_rung_name, sizeof(nt.n_rung_name), "due");
		snprintf(nt.n_entered, sizeof(nt.n_entered), "s");
		assert_int_equal(store_notification_insert(fx->st, &nt),
		    STORE_OK);
		add_outbox_row(fx->st, cases[i]);
		memset(&rd, 0, sizeof(rd));
		rd.rd_case = cases[i];
		snprintf(rd.rd_token, sizeof(rd.rd_token), "w");
		snprintf(rd.rd_role, sizeof(rd.rd_role), "caseworker");
		snprintf(rd.rd_teams, sizeof(rd.rd_teams), "t");
		snprintf(rd.rd_what, sizeof(rd.rd_what), "case");
		assert_int_equal(store_read_insert(fx->st, &rd), STORE_OK);
		(void)add_participant(fx->st, cases[i], "t", 2000);
		assert_int_equal(store_idem_put(fx->st, tok, i ? "kb" : "ka",
		    "h", 201, "{}", "en", cases[i], 2000), STORE_OK);
		assert_int_equal(store_undo_put(fx->st, cases[i], 1, "{}"),
		    STORE_OK);
	}

	assert_int_equal(store_begin(fx->st), STORE_OK);
	destroy(fx->st, a);
	assert_int_equal(store_commit(fx->st), STORE_OK);
	for (i = 0; i < nitems(cases); i++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(store_deadlines_of_case(fx->st, cases[i],
		    STORE_DL_ALL, deadline_cb, &l), STORE_OK);
		assert_int_equal(store_notifications_of_case(fx->st, cases[i],
		    notification_cb, &l), STORE_OK);
		assert_int_equal(store_participants_of_case(fx->st, cases[i], 0,
		    participant_cb, &l), STORE_OK);
		assert_int_equal(store_transitions_of_case(fx->st, cases[i], 0,
		    100, transition_cb, &l), STORE_OK);
		assert_int_equal(l.n, i == 0 ? 0 : 4);
		assert_int_equal(store_idem_get(fx->st, tok, i ? "kb" : "ka",
		    reqhash, &status, &body, lang), i == 0 ? STORE_NOTFOUND :
		    STORE_OK);
		free(body);
		body = NULL;
	}
	assert_int_equal(store_rung_counts(fx->st, 0, &pending, &due),
	    STORE_OK);
	assert_int_equal(pending, 1);
	assert_int_equal(store_outbox_count(fx->st, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);
	for (i = 0; i < nitems(cases); i++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(store_reads_of_case(fx->st, cases[i], 0, 10,
		    read_cb, &l), STORE_OK);
		assert_int_equal(store_outbox_of_case(fx->st, cases[i],
		    outbox_cb, &l), STORE_OK);
		assert_int_equal(l.n, i == 0 ? 0 : 2);
	}

	/* No such case: refused, and rolled back, nothing is left of it. */
	assert_int_equal(store_begin(fx->st), STORE_OK);
	memset(&ts, 0, sizeof(ts));
	ts.ts_case = 999;
	snprintf(ts.ts_workflow, sizeof(ts.ts_workflow), "zelfmelding");
	ts.ts_version = 1;
	snprintf(ts.ts_team, sizeof(ts.ts_team), "t");
	snprintf(ts.ts_destroyed_by, sizeof(ts.ts_destroyed_by), "admin");
	assert_int_equal(store_case_destroy(fx->st, &ts), STORE_NOTFOUND);
	store_rollback(fx->st);
	assert_int_equal(store_tombstone_get(fx->st, 999, &ts), STORE_NOTFOUND);
	assert_int_equal(store_tombstone_get(fx->st, a, &ts), STORE_OK);
	assert_int_equal(store_tombstone_get(fx->st, b, &ts), STORE_NOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_transitions_and_notifications),
		FIXTURE_TEST(test_transition_round_trip),
		FIXTURE_TEST(test_append_in_one_transaction),
		FIXTURE_TEST(test_append_outside_transaction),
		FIXTURE_TEST(test_chain_and_destruction),
		FIXTURE_TEST(test_chain_links),
		FIXTURE_TEST(test_case_facts),
		FIXTURE_TEST(test_retention_order),
		FIXTURE_TEST(test_destroy_takes_everything),
	};

	return cmocka_run_group_tests_name("store contract: chain", tests,
	    NULL, NULL);
}
