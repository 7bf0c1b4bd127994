/*
 * termijn: the SQLite backend's own: its migrations.  Each test copies a
 * database made by an earlier termijn (tests/fixtures, README.md there
 * says what each holds), or makes one with this build and takes it back to
 * an earlier schema's shape, opens it with store_open, which migrates it,
 * and reads back what it held; a database from a newer termijn is refused
 * and left as it was.  Whatever TERMIJN_TEST_STORE says, these run on
 * SQLite files: the store's contract, for every backend, is in the other
 * test_store_*.c.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "termijn/audit.h"
#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "store_sqlite_int.h"

#include "db_fixture.h"
#include "store_fixture.h"

/* A new file's path. */
static void
new_location(char *path, size_t len)
{
	int	fd;

	snprintf(path, len, "/tmp/termijn-store-XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp");
	close(fd);
	unlink(path);
}

/* A copy of a fixture (tests/fixtures), migrated by store_open. */
static struct store *
open_fixture(const char *fixture, char *path, size_t len)
{
	char		 cmd[512], err[256];
	struct store	*st;

	new_location(path, len);
	snprintf(cmd, sizeof(cmd), "cp fixtures/%s %s", fixture, path);
	if (system(cmd) != 0)
		fail_msg("%s", cmd);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("store_open %s: %s", fixture, err);
	return st;
}

/* What both fixtures hold (tests/fixtures/README.md), read back migrated. */
static void
check_fixture(struct store *st, int version_of_fresh, const char *first_rung)
{
	static const char *states[] = {
		"awaiting_self_report", "enforcement", "closed", "enforcement"
	};
	struct case_row		 c;
	struct team_row		 tm;
	struct audit_report	 ar;
	struct ids		 l;
	struct rung_row		 r;
	struct wf_seen		 ws;
	char			 reqhash[HASH_SHA256_HEX_LEN], *body = NULL;
	char			 lang[STORE_LANG_LEN];
	int64_t			 n, due;
	int			 status;
	size_t			 i;

	assert_int_equal(store_schema_version(st), version_of_fresh);
	for (i = 0; i < nitems(states); i++) {
		assert_int_equal(store_case_get(st, (int64_t)i + 1, &c),
		    STORE_OK);
		assert_string_equal(c.c_state, states[i]);
	}
	assert_int_equal(c.c_final, 0);
	assert_int_equal(store_case_get(st, 3, &c), STORE_OK);
	assert_int_equal(c.c_final, 1);

	/* The running deadline of case 1 is current and has its rung. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(st, 1, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(store_rung_first_of_case(st, 1, &r), STORE_OK);
	assert_string_equal(r.r_name, first_rung);
	assert_int_equal(r.r_fired_at, 0);
	assert_int_equal(store_rung_next(st, &due), STORE_OK);

	/* Case 2: created, then two deadlines passed. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(st, 2, 0, 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	/* Case 3: created, reported, closed; closed cases have no current deadline. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_transitions_of_case(st, 3, 0, 100,
	    transition_cb, &l), STORE_OK);
	assert_int_equal(l.n, 3);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_deadlines_of_case(st, 3, STORE_DL_CURRENT,
	    deadline_cb, &l), STORE_OK);
	assert_int_equal(l.n, 0);

	assert_int_equal(store_token_count(st, &n), STORE_OK);
	assert_int_equal(n, 1);
	/*
	 * The registration kept its answer for the admin token that made it;
	 * an admin sees no case content now, so it is not given again (the
	 * key stays used).
	 */
	assert_int_equal(store_idem_get(st, 1, "fixture-1", reqhash, &status,
	    &body, lang), STORE_EXISTS);
	assert_null(body);
	/* The teams of the cases became known teams. */
	assert_int_equal(store_team_get(st, "jeugd-noord", &tm), STORE_OK);
	assert_int_equal(store_team_get(st, "jeugd-zuid", &tm), STORE_OK);
	/* The history is linked into an intact audit chain. */
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_true(ar.ar_links >= 9);
	memset(&ws, 0, sizeof(ws));
	assert_int_equal(store_workflows_each(st, workflow_cb, &ws), STORE_OK);
	assert_true(ws.n >= 2);
	/* And the migrated store takes new rows. */
	assert_int_equal(store_begin(st), STORE_OK);
	(void)add_case(st, "Z-NEW", "t", "s");
	assert_int_equal(store_commit(st), STORE_OK);
}

static void
test_migrate_schema(const char *fixture, const char *first_rung)
{
	struct store	*fresh, *st;
	char		 path[64], fpath[64], err[256];
	int		 version;

	new_location(fpath, sizeof(fpath));
	if ((fresh = store_open(fpath, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	version = store_schema_version(fresh);
	store_close(fresh);
	unlink_db(fpath);

	st = open_fixture(fixture, path, sizeof(path));
	check_fixture(st, version, first_rung);
	store_close(st);
	/* Opened again, there is nothing left to migrate. */
	st = open_fixture(fixture, fpath, sizeof(fpath));
	store_close(st);
	unlink_db(fpath);
	unlink_db(path);
}

static void
test_migrate_from_schema_1(void **state)
{
	(void)state;
	/* Migration 2 queued the passing of each running deadline. */
	test_migrate_schema("schema-1.db", "due");
}

static void
test_migrate_from_schema_2(void **state)
{
	(void)state;
	/* zelfmelding's reminder a week before its deadline. */
	test_migrate_schema("schema-2.db", "before_P1W");
}

/*
 * The fixtures made from schema 3 on (tests/fixtures/README.md): moments
 * in ms, the deadlines' due moments at the end of a day in Amsterdam.
 */
#define FX_NOW		INT64_C(1772445600000)	/* 2026-03-02 10:00 UTC */
#define FX_LATER	INT64_C(1773223200000)	/* 2026-03-11 10:00 UTC */
#define FX_DUE_Z1	INT64_C(1776117600000)	/* 6 weeks on: 13 April */
#define FX_DUE_Z2	INT64_C(1771282800000)	/* from 5 January: 16 Feb */
#define FX_DUE_Z2_YOUTH	INT64_C(1771974000000)	/* 5 working days: 24 Feb */
#define FX_DUE_B1	INT64_C(1774306800000)	/* 8 weeks from 26 Jan */
#define FX_DUE_H2	INT64_C(1773097200000)	/* 5 working days: 9 March */
#define FX_DUE_H2_COMPLY INT64_C(1770073200000)	/* 4 weeks from 5 Jan */

static const struct {
	const char	*ref;
	const char	*team;
	const char	*state;
} access_cases[] = {
	{ "Z-2026-0001", "jeugd-noord", "awaiting_self_report" },
	{ "Z-2026-0002", "jeugd-noord", "enforcement" },
	{ "Z-2026-0003", "jeugd-zuid", "closed" },
	{ "S-2026-0001", "jeugd-noord", "enforcement" },
	{ "B-2026-0001", "inkomen", "deciding" },
	{ "H-2026-0001", "handhaving", "deciding" },
	{ "H-2026-0002", "handhaving", "reinspection" },
	{ "Z-2026-0004", "jeugd-zuid", "enforcement" },
	{ "Z-2026-0005", "jeugd-noord", "awaiting_self_report" }, /* 5 on */
};

/* Rows of one case, read back whole. */
struct fx_rows {
	struct deadline_row	d[8];
	struct transition_row	t[8];
	struct rung_row		r[8];
	struct participant_row	p[4];
	struct read_row		rd[4];
	size_t			nd, nt, nr, np, nrd;
};

static enum store_status
fx_deadline_cb(const struct deadline_row *d, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nd < nitems(x->d));
	x->d[x->nd++] = *d;
	return STORE_OK;
}

static enum store_status
fx_transition_cb(const struct transition_row *t, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nt < nitems(x->t));
	x->t[x->nt++] = *t;
	return STORE_OK;
}

static enum store_status
fx_rung_cb(const struct rung_row *r, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nr < nitems(x->r));
	x->r[x->nr++] = *r;
	return STORE_OK;
}

static enum store_status
fx_participant_cb(const struct participant_row *p, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->np < nitems(x->p));
	x->p[x->np++] = *p;
	return STORE_OK;
}

static enum store_status
fx_read_cb(const struct read_row *rd, void *arg)
{
	struct fx_rows	*x = arg;

	assert_true(x->nrd < nitems(x->rd));
	x->rd[x->nrd++] = *rd;
	return STORE_OK;
}

/* Every deadline, transition, participant and read of a case. */
static struct fx_rows *
fx_read(struct store *st, int64_t id)
{
	struct fx_rows	*x = xcalloc(1, sizeof(*x));

	assert_int_equal(store_deadlines_of_case(st, id, STORE_DL_ALL,
	    fx_deadline_cb, x), STORE_OK);
	assert_int_equal(store_transitions_of_case(st, id, 0, 100,
	    fx_transition_cb, x), STORE_OK);
	assert_int_equal(store_participants_of_case(st, id, 0,
	    fx_participant_cb, x), STORE_OK);
	assert_int_equal(store_reads_of_case(st, id, 0, 100, fx_read_cb, x),
	    STORE_OK);
	return x;
}

/* A deadline of the case by name, with its rungs in x->r. */
static const struct deadline_row *
fx_deadline(struct store *st, struct fx_rows *x, const char *name)
{
	size_t	i;

	for (i = 0; i < x->nd; i++)
		if (strcmp(x->d[i].d_name, name) == 0) {
			x->nr = 0;
			assert_int_equal(store_rungs_of_deadline(st,
			    x->d[i].d_id, fx_rung_cb, x), STORE_OK);
			return &x->d[i];
		}
	fail_msg("no deadline %s", name);
	return NULL;
}

/* Transition i: its cause, the state it led to, its note. */
static void
fx_transition(const struct fx_rows *x, size_t i, const char *cause,
    const char *to, const char *note)
{
	assert_true(i < x->nt);
	assert_string_equal(x->t[i].t_cause, cause);
	assert_string_equal(x->t[i].t_to, to);
	assert_string_equal(x->t[i].t_note, note);
}

/* The (case, deadline) pairs a token sees overdue, in the view's order. */
static void
fx_overdue(struct store *st, int64_t token, struct seen_overdue *so)
{
	struct view_filter	vf;

	memset(&vf, 0, sizeof(vf));
	vf.vf_token = token;
	vf.vf_after_due = INT64_MIN;
	vf.vf_limit = 20;
	memset(so, 0, sizeof(*so));
	assert_int_equal(store_overdue(st, &vf, overdue_cb, so), STORE_OK);
}

/* What a fixture made from schema 3 on holds, read back migrated. */
static void
check_access_fixture(struct store *st, int schema)
{
	struct case_row			 c;
	struct token_row		 youth, enforcer, caseworker, boss;
	struct team_row			 tm;
	struct audit_report		 ar;
	struct rung_row			 r;
	struct seen_overdue		 so;
	struct wf_seen			 ws;
	struct fx_rows			*x;
	const struct deadline_row	*d, *d2;
	char				 reqhash[HASH_SHA256_HEX_LEN];
	char				 lang[STORE_LANG_LEN];
	char				*body = NULL, *data = NULL;
	char				 corrected[24];
	int64_t				 n, tid, waits, links = 0;
	int				 status;
	size_t				 i, ncases;

	/* Every case, with its team and state; one closed. */
	ncases = schema >= 5 ? nitems(access_cases) : nitems(access_cases) - 1;
	for (i = 0; i < ncases; i++) {
		assert_int_equal(store_case_get(st, (int64_t)i + 1, &c),
		    STORE_OK);
		assert_string_equal(c.c_reference, access_cases[i].ref);
		assert_string_equal(c.c_team, access_cases[i].team);
		assert_string_equal(c.c_state, access_cases[i].state);
		assert_int_equal(c.c_final, i == 2);
		assert_int_equal(c.c_waiting_by != 0, i == 6);
		x = fx_read(st, c.c_id);
		links += (int64_t)x->nt;
		free(x);
	}
	assert_int_equal(store_case_get(st, (int64_t)ncases + 1, &c),
	    STORE_NOTFOUND);

	/* Teams and the people's tokens, which see their teams' cases. */
	for (i = 0; i < nitems(access_cases); i++)
		assert_int_equal(store_team_get(st, access_cases[i].team, &tm),
		    STORE_OK);
	assert_int_equal(store_token_count(st, &n), STORE_OK);
	assert_int_equal(n, 5);
	assert_int_equal(store_token_by_name(st, "jeugdhulp", FX_LATER,
	    &youth), STORE_OK);
	assert_string_equal(youth.tk_role, "youth_worker");
	assert_string_equal(youth.tk_teams, "jeugd-noord,jeugd-zuid");
	assert_int_equal(youth.tk_expires_at, 0);
	assert_int_equal(store_token_by_name(st, "handhaver", FX_LATER,
	    &enforcer), STORE_OK);
	assert_string_equal(enforcer.tk_role, "enforcement");
	assert_int_equal(store_token_by_name(st, "consulent", FX_LATER,
	    &caseworker), STORE_OK);
	assert_int_equal(store_token_by_name(st, "leiding-jeugd", FX_LATER,
	    &boss), STORE_OK);
	assert_string_equal(boss.tk_role, "supervisor");
	memset(&ws, 0, sizeof(ws));
	assert_int_equal(store_workflows_each(st, workflow_cb, &ws), STORE_OK);
	assert_int_equal(ws.n, 4);
	assert_int_equal(store_case_get_for(st, 1, youth.tk_id, &c), STORE_OK);
	assert_int_equal(store_case_get_for(st, 1, enforcer.tk_id, &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_case_get_for(st, 5, caseworker.tk_id, &c),
	    STORE_OK);
	assert_int_equal(store_case_get_for(st, 5, youth.tk_id, &c),
	    STORE_NOTFOUND);
	/* The registration keeps its answer for the token that made it. */
	assert_int_equal(store_idem_get(st, youth.tk_id, "fixture-1", reqhash,
	    &status, &body, lang), STORE_OK);
	assert_int_equal(status, 201);
	assert_non_null(strstr(body, "Z-2026-0001"));
	/* Kept before answers had a language: English, said as "". */
	assert_string_equal(lang, "");
	free(body);

	/* Case 1: its deadline runs, due as registered; its reminder waits. */
	x = fx_read(st, 1);
	d = fx_deadline(st, x, "awaiting_self_report");
	assert_int_equal(d->d_due, FX_DUE_Z1);
	assert_true(d->d_active && d->d_running && !d->d_passed);
	assert_int_equal(x->nr, 2);
	assert_int_equal(store_rung_first_of_case(st, 1, &r), STORE_OK);
	assert_string_equal(r.r_name, "before_P1W");
	assert_int_equal(r.r_fired_at, 0);
	free(x);

	/*
	 * Case 2: both deadlines passed, every rung of the second fired, and
	 * it escalated by it.  Enforcement takes part on a legal basis, read
	 * it, and (schema 4 on) was given it.
	 */
	x = fx_read(st, 2);
	d = fx_deadline(st, x, "awaiting_self_report");
	assert_int_equal(d->d_due, FX_DUE_Z2);
	assert_true(d->d_passed && !d->d_active);
	d2 = fx_deadline(st, x, "youth_worker_reports");
	assert_int_equal(d2->d_due, FX_DUE_Z2_YOUTH);
	assert_true(d2->d_passed);
	assert_int_equal(x->nr, 3);
	for (i = 0; i < x->nr; i++)
		assert_true(x->r[i].r_fired_at >= FX_NOW);
	assert_int_equal(store_case_get(st, 2, &c), STORE_OK);
	assert_int_equal(c.c_escalated_by, d2->d_id);
	assert_int_equal(c.c_escalated_due, FX_DUE_Z2_YOUTH);
	assert_int_equal(c.c_waiting_by, 0);
	assert_int_equal(x->nt, schema >= 4 ? 5 : 4);
	fx_transition(x, 0, "create", "awaiting_self_report", "");
	fx_transition(x, 1, "deadline", "youth_worker_reports", "");
	fx_transition(x, 2, "deadline", "enforcement", "");
	fx_transition(x, 3, "share", "enforcement", "cannabis cultivation");
	assert_string_equal(x->t[3].t_basis, "criminal_data");
	assert_string_equal(x->t[3].t_detail, "handhaving");
	assert_int_equal(x->np, 1);
	assert_string_equal(x->p[0].p_team, "handhaving");
	assert_string_equal(x->p[0].p_basis, "criminal_data");
	assert_int_equal(x->p[0].p_until, 0);
	assert_int_equal(x->nrd, 1);
	assert_string_equal(x->rd[0].rd_token, "handhaver");
	assert_string_equal(x->rd[0].rd_what, "case");
	assert_int_equal(store_case_get_for(st, 2, enforcer.tk_id, &c),
	    STORE_OK);
	if (schema >= 4) {
		fx_transition(x, 4, "assign", "enforcement",
		    "enforcement picks it up");
		assert_string_equal(x->t[4].t_detail, "handhaver");
		assert_string_equal(c.c_assignee, "handhaver");
	}
	free(x);

	/* Case 3: reported with a note, then closed; nothing runs. */
	x = fx_read(st, 3);
	assert_int_equal(x->nt, 3);
	fx_transition(x, 1, "event", "self_reported", "reported at the desk");
	fx_transition(x, 2, "event", "closed", "");
	for (i = 0; i < x->nd; i++)
		assert_int_equal(x->d[i].d_active, 0);
	free(x);

	/* Case 4: stabilisatie escalated by its deadline. */
	x = fx_read(st, 4);
	d = fx_deadline(st, x, "stabilising");
	assert_int_equal(store_case_get(st, 4, &c), STORE_OK);
	assert_int_equal(c.c_escalated_by, d->d_id);
	assert_int_equal(c.c_escalated_due, d->d_due);
	free(x);

	/* Case 5: the decision period is suspended, with its reason. */
	x = fx_read(st, 5);
	d = fx_deadline(st, x, "decision");
	assert_int_equal(d->d_due, FX_DUE_B1);
	assert_true(d->d_active && !d->d_running);
	assert_true(d->d_suspended_since >= FX_NOW);
	assert_int_equal(x->nt, 2);
	fx_transition(x, 1, "event", "deciding", "payslips missing");
	free(x);

	/*
	 * Case 7: the compliance period passed into re-inspection, whose
	 * deadline (no "then") passed while termijnd was down: the case waits
	 * on it, and its rungs fired when termijnd started again.  Migration 4
	 * finds an escalation only where the case entered its state at the
	 * deadline's moment; this one entered it later, when the decision was
	 * recorded, so only termijn of schema 4 on remembers it.
	 */
	x = fx_read(st, 7);
	d = fx_deadline(st, x, "reinspection");
	assert_int_equal(d->d_due, FX_DUE_H2);
	assert_true(d->d_active && d->d_passed);
	assert_int_equal(x->nr, 2);
	for (i = 0; i < x->nr; i++)
		assert_true(x->r[i].r_fired_at >= FX_LATER);
	assert_int_equal(store_case_get(st, 7, &c), STORE_OK);
	assert_int_equal(c.c_waiting_by, d->d_id);
	assert_int_equal(c.c_waiting_due, FX_DUE_H2);
	waits = d->d_id;
	d = fx_deadline(st, x, "begunstigingstermijn");
	assert_int_equal(d->d_due, FX_DUE_H2_COMPLY);
	assert_int_equal(c.c_escalated_by, schema >= 4 ? d->d_id : 0);
	free(x);
	/*
	 * Enforcement's overdue view, by moment: case 6 escalated by its view
	 * period, case 7 by its compliance period (as remembered), case 2,
	 * in which enforcement takes part, and case 7 waiting.
	 */
	fx_overdue(st, enforcer.tk_id, &so);
	assert_int_equal(so.so_n, schema >= 4 ? 4 : 3);
	assert_int_equal(so.so_case[0], 6);
	if (schema >= 4)
		assert_int_equal(so.so_case[1], 7);
	assert_int_equal(so.so_case[so.so_n - 2], 2);
	assert_int_equal(so.so_case[so.so_n - 1], 7);
	assert_int_equal(so.so_deadline[so.so_n - 1], waits);

	/* Case 8: the youth worker reported on a legal basis. */
	x = fx_read(st, 8);
	assert_int_equal(x->nt, 3);
	fx_transition(x, 2, "event", "enforcement",
	    "with the family's consent");
	assert_string_equal(x->t[2].t_basis, "consent");
	assert_int_equal(store_case_get(st, 8, &c), STORE_OK);
	assert_int_equal(c.c_escalated_by, 0);
	free(x);

	/* Case 9 (schema 5 on): an event recorded by mistake, corrected. */
	if (schema >= 5) {
		x = fx_read(st, 9);
		assert_int_equal(x->nt, 3);
		fx_transition(x, 1, "event", "self_reported",
		    "reported by phone");
		fx_transition(x, 2, "correction", "awaiting_self_report",
		    "the family of another case reported");
		snprintf(corrected, sizeof(corrected), "%lld",
		    (long long)x->t[1].t_id);
		assert_string_equal(x->t[2].t_detail, corrected);
		assert_string_equal(x->t[2].t_actor, "leiding-jeugd");
		d = fx_deadline(st, x, "awaiting_self_report");
		assert_true(d->d_active && d->d_running && !d->d_passed);
		free(x);
		/* What the last event of case 8 changed can be undone. */
		assert_int_equal(store_undo_get(st, 8, &tid, &data), STORE_OK);
		assert_non_null(strstr(data, "youth_worker_reports"));
		free(data);
	}

	/* The overdue view: a supervisor sees the escalated cases. */
	fx_overdue(st, boss.tk_id, &so);
	assert_int_equal(so.so_n, 2);
	assert_int_equal(so.so_case[0], 4);
	assert_int_equal(so.so_case[1], 2);

	/*
	 * The history is one intact audit chain, and the tables agree with
	 * it; after the transitions, a mark of the owner of each case.
	 */
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(ar.ar_marks, (int64_t)ncases);
	assert_int_equal(ar.ar_links, links + (int64_t)ncases);
	assert_int_equal(ar.ar_gaps, 0);
	assert_int_equal(ar.ar_cases, (int64_t)ncases);
	/* And the migrated store takes new rows. */
	assert_int_equal(store_begin(st), STORE_OK);
	(void)add_case(st, "Z-NEW", "jeugd-noord", "s");
	assert_int_equal(store_commit(st), STORE_OK);
}

/* The schema version this build migrates to. */
#define SCHEMA_NOW	14

/* A database's PRAGMA user_version, read by SQLite itself. */
static int
user_version(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
test_migrate_access_schema(int schema)
{
	struct store	*st;
	char		 fixture[32], path[64], err[256];

	snprintf(fixture, sizeof(fixture), "schema-%d.db", schema);
	st = open_fixture(fixture, path, sizeof(path));
	assert_int_equal(store_schema_version(st), SCHEMA_NOW);
	check_access_fixture(st, schema);
	store_close(st);
	assert_int_equal(user_version(path), SCHEMA_NOW);
	/* Opened again, there is nothing left to migrate. */
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_schema_version(st), SCHEMA_NOW);
	store_close(st);
	unlink_db(path);
}

static void
test_migrate_from_schema_3(void **state)
{
	(void)state;
	test_migrate_access_schema(3);
}

static void
test_migrate_from_schema_4(void **state)
{
	(void)state;
	test_migrate_access_schema(4);
}

static void
test_migrate_from_schema_5(void **state)
{
	(void)state;
	test_migrate_access_schema(5);
}

static void
test_migrate_from_schema_6(void **state)
{
	(void)state;
	test_migrate_access_schema(6);
}

/*
 * Migration 7 from a database as schema 6 left it: a case whose state's
 * deadline without "then" passed is found waiting on it.  The database is
 * made by this build and taken back to schema 6's shape, with beside the
 * waiting case one whose deadline still runs, which is not found waiting.
 * (schema-6.db holds a waiting case made by schema 6's own termijn, which
 * had to be started again after that deadline passed.)
 */
static void
test_migrate_waiting_from_schema_6(void **state)
{
	struct store	*st;
	struct case_row	 c;
	sqlite3		*db;
	char		 path[64], err[256];
	int64_t		 waits, runs, dl, dl2;

	(void)state;
	new_location(path, sizeof(path));
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_begin(st), STORE_OK);
	waits = add_case(st, "W", "t", "s");
	dl = add_deadline(st, waits, "d", "s", 5000, 1);
	runs = add_case(st, "R", "t", "s");
	dl2 = add_deadline(st, runs, "d", "s", 6000, 1);
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "UPDATE deadlines SET passed = 1 WHERE due = 5000;"
	    "DROP INDEX cases_escalated; DROP INDEX cases_escalated_all;"
	    "DROP INDEX cases_waiting; DROP INDEX cases_waiting_all;"
	    "DROP INDEX deadlines_moment; DROP INDEX cases_closed_at;"
	    "ALTER TABLE cases DROP COLUMN waiting_by;"
	    "ALTER TABLE cases DROP COLUMN waiting_due;"
	    /* Schema 10's own and 9's, so that they apply again. */
	    "ALTER TABLE idempotency DROP COLUMN language;"
	    "ALTER TABLE tokens DROP COLUMN display_name;"
	    "DROP TABLE chain_marks; DROP INDEX chain_gaps_case;"
	    "DROP INDEX participants_case;"
	    "DROP TRIGGER chain_gaps_no_update;"
	    "DROP TRIGGER chain_gaps_no_delete;"
	    "ALTER TABLE transitions DROP COLUMN workflow;"
	    "ALTER TABLE transitions DROP COLUMN version;"
	    "ALTER TABLE transitions DROP COLUMN final;"
	    "ALTER TABLE chain_head DROP COLUMN encoding_from;"
	    "DROP INDEX route_log_link;"
	    /* Schema 8's own, so that it applies again. */
	    "DROP TABLE routes; DROP TABLE route_log;"
	    "DROP INDEX cases_unrouted;"
	    "ALTER TABLE cases DROP COLUMN unrouted;"
	    "CREATE INDEX cases_escalated ON cases (team, escalated_due, id)"
	    "  WHERE escalated_by IS NOT NULL;"
	    "CREATE INDEX deadlines_waiting ON deadlines (due, id)"
	    "  WHERE passed = 1 AND active = 1 AND then_state = '';"
	    "ALTER TABLE deadlines DROP COLUMN hours;"
	    "PRAGMA user_version = 6", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_case_get(st, waits, &c), STORE_OK);
	assert_int_equal(c.c_waiting_by, dl);
	assert_int_equal(c.c_waiting_due, 5000);
	assert_int_equal(store_case_get(st, runs, &c), STORE_OK);
	assert_int_equal(c.c_waiting_by, 0);
	(void)dl2;
	store_close(st);
	unlink_db(path);
}

/*
 * Migration 9 from a database as schema 8 left it: the route log's lines
 * there are become links of the chain, in order, and the routes must be
 * what they leave.  The database is made by this build and taken back to
 * schema 8's shape (schema-8.db has no route).
 */
static void
test_migrate_routes_from_schema_8(void **state)
{
	struct audit_report	 ar;
	struct route_row	 rt;
	struct store		*st;
	sqlite3			*db;
	char			 path[64], err[256];

	(void)state;
	new_location(path, sizeof(path));
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_begin(st), STORE_OK);
	add_team(st, "handhaving");
	add_team(st, "regio");
	memset(&rt, 0, sizeof(rt));
	snprintf(rt.rt_function, sizeof(rt.rt_function), "enforcement");
	snprintf(rt.rt_for_team, sizeof(rt.rt_for_team), "handhaving");
	snprintf(rt.rt_team, sizeof(rt.rt_team), "regio");
	snprintf(rt.rt_actor, sizeof(rt.rt_actor), "admin");
	rt.rt_at = 1000;
	assert_int_equal(store_route_set(st, &rt), STORE_OK);
	assert_int_equal(store_route_remove(st, &rt), STORE_OK);
	rt.rt_at = 2000;
	assert_int_equal(store_route_set(st, &rt), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(ar.ar_marks, 3);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "ALTER TABLE idempotency DROP COLUMN language;"
	    "ALTER TABLE tokens DROP COLUMN display_name;"
	    "DROP TABLE chain_marks; DROP INDEX chain_gaps_case;"
	    "DROP INDEX participants_case;"
	    "DROP TRIGGER chain_gaps_no_update;"
	    "DROP TRIGGER chain_gaps_no_delete;"
	    "ALTER TABLE transitions DROP COLUMN workflow;"
	    "ALTER TABLE transitions DROP COLUMN version;"
	    "ALTER TABLE transitions DROP COLUMN final;"
	    "ALTER TABLE chain_head DROP COLUMN encoding_from;"
	    "DROP INDEX route_log_link;"
	    "ALTER TABLE route_log DROP COLUMN link;"
	    "ALTER TABLE route_log DROP COLUMN prev_hash;"
	    "ALTER TABLE route_log DROP COLUMN hash;"
	    "UPDATE chain_head SET id = 0, hash = zeroblob(32);"
	    "ALTER TABLE deadlines DROP COLUMN hours;"
	    "PRAGMA user_version = 8", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	/* Migrated: three lines, three links, and the route agrees. */
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 0);
	assert_int_equal(ar.ar_links, 3);
	assert_int_equal(ar.ar_marks, 3);
	store_close(st);
	/* The log is append-only again, and a route changed is found. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE route_log SET team ="
	    " 'handhaving'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE routes SET team ="
	    " 'handhaving'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_verify(st, 0, NULL, &ar), 1);
	assert_non_null(strstr(ar.ar_msg, "route enforcement for team"
	    " 'handhaving': the routes table has team 'handhaving' fill it,"
	    " but the route log (link 3) has team 'regio'"));
	store_close(st);
	unlink_db(path);
}

/*
 * Migration 13 from a database as schema 12 left it: each deadline says
 * whether its period counts in hours, from its text; a deadline stored
 * since says so itself.
 */
static void
test_migrate_period_hours(void **state)
{
	struct store	*st;
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 path[64], err[256];
	int64_t		 id;

	(void)state;
	new_location(path, sizeof(path));
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_begin(st), STORE_OK);
	id = add_case(st, "H-1", "jeugd-noord", "s");
	(void)add_deadline(st, id, "days", "s", 5000, 1);
	(void)add_deadline(st, id, "hours", "s", 6000, 1);
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "UPDATE deadlines SET period = 'PT48H' WHERE name = 'hours';"
	    "ALTER TABLE deadlines DROP COLUMN hours;"
	    "PRAGMA user_version = 12", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_schema_version(st), SCHEMA_NOW);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(name ||"
	    " '=' || hours, ',') FROM (SELECT name, hours FROM deadlines"
	    " ORDER BY name)", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	    "days=0,hours=1");
	sqlite3_finalize(s);
	sqlite3_close(db);
	unlink_db(path);
}

/* Whether the program SQLite compiles for sql builds a temporary b-tree. */
static int
builds_ephemeral(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*s;
	char		*q;
	int		 found = 0;

	q = sqlite3_mprintf("EXPLAIN %s", sql);
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(s, 1),
		    "OpenEphemeral") == 0)
			found = 1;
	sqlite3_finalize(s);
	sqlite3_free(q);
	return found;
}

/*
 * Migration 14, on a database made by an older termijn and on a new one:
 * writing a transition or an outbox row builds no temporary b-tree for
 * its CHECK, and the constraints still refuse what they refused.
 */
static void
test_migrate_checks(void **state)
{
	static const char *const inserts[] = {
		"INSERT INTO transitions (case_id, at, recorded_at, to_state,"
		" cause, actor, prev_hash, hash) VALUES (1, 1, 1, 's', '%s',"
		" 'a', zeroblob(32), zeroblob(32))",
		"INSERT INTO outbox (case_id, type, team, role, body, status,"
		" next_at, created_at) VALUES (1, 't', 't', 'r', '{}', '%s', 1,"
		" 1)",
	};
	static const char *const good[] = { "correction", "dead" };
	struct store	*st;
	sqlite3		*db;
	char		 path[64], err[256], *sql;
	size_t		 i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		if (k == 0)
			st = open_fixture("schema-9.db", path, sizeof(path));
		else {
			new_location(path, sizeof(path));
			if ((st = store_open(path, err, sizeof(err))) == NULL)
				fail_msg("%s", err);
			assert_int_equal(store_begin(st), STORE_OK);
			(void)add_case(st, "C-1", "jeugd-noord", "s");
			assert_int_equal(store_commit(st), STORE_OK);
		}
		assert_int_equal(store_schema_version(st), SCHEMA_NOW);
		store_close(st);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		for (i = 0; i < nitems(inserts); i++) {
			sql = sqlite3_mprintf(inserts[i], good[i]);
			if (builds_ephemeral(db, sql))
				fail_msg("%s builds a temporary b-tree", sql);
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				fail_msg("%s: %s", sql, sqlite3_errmsg(db));
			sqlite3_free(sql);
			sql = sqlite3_mprintf(inserts[i], "bogus");
			assert_int_equal(sqlite3_exec(db, sql, NULL, NULL,
			    NULL), SQLITE_CONSTRAINT);
			assert_int_equal(sqlite3_extended_errcode(db),
			    SQLITE_CONSTRAINT_CHECK);
			sqlite3_free(sql);
		}
		sqlite3_close(db);
		unlink_db(path);
	}
}

/*
 * No statement the store prepares builds a temporary b-tree for each
 * run, except where one pays: a key list that then walks an index (the
 * claim of due rungs, a case's rungs through its deadlines), and reads
 * that are neither per request nor per rung.  A CHECK with an IN list
 * did it for every transition; a team looked up with IN (SELECT ...) for
 * every read of a case.
 */
static void
test_statements_build_no_temporary_tables(void **state)
{
	static const enum stmt_id allowed[] = {
		S_RG_CLAIM, S_RG_FIRST_OF_CASE, S_RG_CANCEL_CASE,
		S_RG_CANCEL_HOLDER, S_RG_FORGET, S_ROUTE_FIND, S_TEAM_TOKENS,
		S_OUTBOX_DUE, S_OUTBOX_NEXT,
	};
	struct store	*st;
	sqlite3		*db;
	char		 path[64], err[256];
	size_t		 i, k;
	int		 ok;

	(void)state;
	new_location(path, sizeof(path));
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < S__COUNT; i++) {
		for (ok = 0, k = 0; k < nitems(allowed); k++)
			ok |= allowed[k] == (enum stmt_id)i;
		if (ok || sq_stmt_sql[i] == NULL)
			continue;
		if (builds_ephemeral(db, sq_stmt_sql[i]))
			fail_msg("statement %zu builds a temporary b-tree: %s",
			    i, sq_stmt_sql[i]);
	}
	sqlite3_close(db);
	unlink_db(path);
}

/* The plan SQLite makes for sql: its lines, joined by "; ". */
static void
query_plan(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt	*s;
	char		*q;
	size_t		 n = 0;

	out[0] = '\0';
	if ((q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql)) == NULL)
		fail_msg("out of memory");
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_free(q);
	while (sqlite3_step(s) == SQLITE_ROW && n < len)
		n += (size_t)snprintf(out + n, len - n, "%s; ",
		    (const char *)sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
}

/*
 * Migration 12 drops cases_open, which a case's every move kept up and no
 * search used; the searches of a case list by team, of one team's overdue
 * page, and of a registration's duplicate still find their rows in an
 * index, and the queue of every team walks the table, not a partial index
 * in an order that sends it all over the table.
 */
static void
test_migrate_drops_cases_open(void **state)
{
	static const struct {
		const char	*sql, *plan;
	} plans[] = {
		{ "SELECT * FROM cases WHERE id > 0 AND team = 't' ORDER BY id"
		    " LIMIT 50", "USING INDEX cases_team (team=? AND id>?)" },
		{ "SELECT * FROM cases WHERE id > 0 AND state = 's' AND"
		    " team = 't' ORDER BY id LIMIT 50",
		    "USING INDEX cases_team_state (team=? AND state=? AND id>?)" },
		{ "SELECT * FROM cases WHERE escalated_by IS NOT NULL AND"
		    " final = 0 AND team = 't' AND (escalated_due, escalated_by)"
		    " > (0, 0) ORDER BY escalated_due, escalated_by LIMIT 50",
		    "USING INDEX cases_escalated (team=? AND" },
		{ "SELECT * FROM cases WHERE waiting_by IS NOT NULL AND"
		    " final = 0 AND team = 't' AND (waiting_due, waiting_by)"
		    " > (0, 0) ORDER BY waiting_due, waiting_by LIMIT 50",
		    "USING INDEX cases_waiting (team=? AND" },
		{ "SELECT * FROM cases WHERE escalated_by IS NOT NULL AND"
		    " final = 0 AND (escalated_due, escalated_by) > (0, 0)"
		    " ORDER BY escalated_due, escalated_by LIMIT 50",
		    "USING INDEX cases_escalated_all (" },
		{ "SELECT * FROM cases WHERE reference = 'r' AND team = 't' AND"
		    " workflow = 'w' AND final = 0", "USING INDEX cases_reference"
		    " (reference=? AND team=? AND workflow=?)" },
		{ "SELECT * FROM cases WHERE +cases.final = 0 AND"
		    " (cases.workflow, cases.version, cases.state) IN (VALUES"
		    " ('w', 1, 's')) ORDER BY cases.assignee IS NOT NULL,"
		    " cases.state_since, cases.id LIMIT 50", "!cases_reference" },
	};
	struct store	*st;
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 path[64], plan[1024];
	size_t		 i;

	(void)state;
	st = open_fixture("schema-9.db", path, sizeof(path));
	assert_int_equal(store_schema_version(st), SCHEMA_NOW);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM"
	    " sqlite_master WHERE type = 'index' AND name = 'cases_open'", -1,
	    &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	for (i = 0; i < nitems(plans); i++) {
		query_plan(db, plans[i].sql, plan, sizeof(plan));
		/* "!index": not that index. */
		if (plans[i].plan[0] == '!' ? strstr(plan, plans[i].plan + 1) !=
		    NULL : strstr(plan, plans[i].plan) == NULL)
			fail_msg("%s: planned as %s", plans[i].sql, plan);
	}
	sqlite3_close(db);
	unlink_db(path);
}

/* A database from a newer termijn is refused, and left as it was. */
static void
test_newer_schema_refused(void **state)
{
	sqlite3		*db;
	struct store	*st;
	char		 path[64], err[256];
	int		 v = 0;

	(void)state;
	st = open_fixture("schema-2.db", path, sizeof(path));
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "schema version 99"));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt	*s;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version",
		    -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	assert_int_equal(v, 99);
	unlink_db(path);
}

int
main(void)
{
	/* The fixtures are SQLite files: for the SQLite backend only. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_from_schema_1),
		cmocka_unit_test(test_migrate_from_schema_2),
		cmocka_unit_test(test_migrate_from_schema_3),
		cmocka_unit_test(test_migrate_from_schema_4),
		cmocka_unit_test(test_migrate_from_schema_5),
		cmocka_unit_test(test_migrate_from_schema_6),
		cmocka_unit_test(test_migrate_waiting_from_schema_6),
		cmocka_unit_test(test_migrate_routes_from_schema_8),
		cmocka_unit_test(test_migrate_drops_cases_open),
		cmocka_unit_test(test_migrate_period_hours),
		cmocka_unit_test(test_migrate_checks),
		cmocka_unit_test(test_statements_build_no_temporary_tables),
		cmocka_unit_test(test_newer_schema_refused),
	};

	return cmocka_run_group_tests_name("sqlite migrations", tests, NULL,
	    NULL);
}
