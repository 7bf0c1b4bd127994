/*
 * termijn: what the store's tests share.  The contract suite
 * (test_store_*.c but test_store_sqlite*.c) runs against any backend: each
 * test opens a new, empty store through store.h alone, at the location
 * fixture_location gives, and writes its rows with the helpers below.
 *
 * TERMIJN_TEST_STORE names the backend to run against: a location as
 * store_open takes it, in which "XXXXXX" is replaced by a name new for
 * each store (for a database server: a new database or schema each time;
 * whoever sets it drops them afterwards).  Unset, each test gets a new
 * directory with a SQLite file in it, removed with whatever the backend
 * put beside it when the test ends.
 *
 * Include it after cmocka.h.
 */
#ifndef TERMIJN_TEST_STORE_FIXTURE_H
#define TERMIJN_TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"

#define FIXTURE_ENV	"TERMIJN_TEST_STORE"

struct fixture {
	char		 dir[64];	/* the default's directory, or "" */
	char		 location[256];
	struct store	*st;
};

/* A new directory of its own for one test's files. */
static inline void
fixture_dir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/termijn-store-XXXXXX");
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp");
}

/* Remove such a directory and every file in it. */
static inline void
fixture_dir_remove(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX];

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * A location where no store is yet: from TERMIJN_TEST_STORE, or a file
 * called name in the test's directory.
 */
static inline void
fixture_location(struct fixture *fx, const char *name, char *loc, size_t len)
{
	static unsigned int	 n;
	const char		*tmpl = getenv(FIXTURE_ENV), *x;
	char			 unique[64];

	if (tmpl == NULL) {
		if (fx->dir[0] == '\0')
			fixture_dir(fx->dir, sizeof(fx->dir));
		snprintf(loc, len, "%s/%s", fx->dir, name);
		return;
	}
	if ((x = strstr(tmpl, "XXXXXX")) == NULL)
		fail_msg("%s must hold XXXXXX, so that each test gets a new"
		    " store", FIXTURE_ENV);
	snprintf(unique, sizeof(unique), "%lld_%ld_%u", (long long)time(NULL),
	    (long)getpid(), ++n);
	if ((size_t)snprintf(loc, len, "%.*s%s%s", (int)(x - tmpl), tmpl,
	    unique, x + 6) >= len)
		fail_msg("%s is too long", FIXTURE_ENV);
}

/*
 * Where store_backup may copy a store to: another new location, made "a
 * new empty file" (store.h) where it is a path.
 */
static inline void
fixture_backup_dest(struct fixture *fx, char *loc, size_t len)
{
	int	fd;

	fixture_location(fx, "backup", loc, len);
	if (loc[0] != '/')
		return;
	if ((fd = open(loc, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		fail_msg("%s: cannot create it", loc);
	close(fd);
}

/* A new, empty store for one test of the contract. */
static inline int
fixture_setup(void **state)
{
	struct fixture	*fx;
	const char	*tmpl = getenv(FIXTURE_ENV);
	char		 err[256];

	if (tmpl != NULL && strstr(tmpl, "XXXXXX") == NULL)
		fail_msg("%s must hold XXXXXX, so that each test gets a new"
		    " store", FIXTURE_ENV);
	fx = xcalloc(1, sizeof(*fx));
	fixture_location(fx, "store", fx->location, sizeof(fx->location));
	if ((fx->st = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open %s: %s", fx->location, err);
	*state = fx;
	return 0;
}

static inline int
fixture_teardown(void **state)
{
	struct fixture	*fx = *state;

	store_close(fx->st);
	fixture_dir_remove(fx->dir);
	free(fx);
	return 0;
}

/* A test of the contract, on a new store of its own. */
#define FIXTURE_TEST(t) \
	cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)

static inline int64_t
add_case(struct store *st, const char *ref, const char *team,
    const char *state)
{
	struct case_row	c;

	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "zelfmelding");
	c.c_version = 1;
	snprintf(c.c_reference, sizeof(c.c_reference), "%s", ref);
	snprintf(c.c_team, sizeof(c.c_team), "%s", team);
	snprintf(c.c_state, sizeof(c.c_state), "%s", state);
	c.c_started_at = c.c_state_since = c.c_created_at = c.c_updated_at =
	    1000;
	assert_int_equal(store_case_insert(st, &c), STORE_OK);
	assert_true(c.c_id > 0);
	return c.c_id;
}

static inline int64_t
add_deadline(struct store *st, int64_t case_id, const char *name,
    const char *state, int64_t due, int active)
{
	struct deadline_row	d;

	memset(&d, 0, sizeof(d));
	d.d_case = case_id;
	snprintf(d.d_name, sizeof(d.d_name), "%s", name);
	snprintf(d.d_state, sizeof(d.d_state), "%s", state);
	snprintf(d.d_period, sizeof(d.d_period), "P6W");
	snprintf(d.d_rule, sizeof(d.d_rule), "plain");
	snprintf(d.d_kind, sizeof(d.d_kind), "agreement");
	d.d_anchor = 1000;
	d.d_due = due;
	d.d_active = active;
	d.d_running = 1;
	assert_int_equal(store_deadline_insert(st, &d), STORE_OK);
	assert_true(d.d_id > 0);
	return d.d_id;
}

static inline enum store_status
add_rung(struct store *st, int64_t case_id, int64_t deadline, const char *name,
    int seq, int64_t due, const char *holder)
{
	struct rung_row	r;

	memset(&r, 0, sizeof(r));
	r.r_case = case_id;
	r.r_deadline = deadline;
	snprintf(r.r_name, sizeof(r.r_name), "%s", name);
	r.r_seq = seq;
	r.r_due = due;
	snprintf(r.r_holder, sizeof(r.r_holder), "%s", holder);
	return store_rung_insert(st, &r);
}

static inline void
add_team(struct store *st, const char *name)
{
	struct team_row	tm;

	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", name);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", name);
	tm.tm_created_at = 1000;
	assert_int_equal(store_team_insert(st, &tm), STORE_OK);
}

/* A token in teams, with a hash made of one repeated byte. */
static inline int64_t
add_token(struct store *st, const char *name, const char *role,
    const char *teams, int byte, int64_t expires)
{
	struct token_row	tk;
	unsigned char		h[HASH_SHA256_LEN];

	memset(&tk, 0, sizeof(tk));
	memset(h, byte, sizeof(h));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "%s", name);
	snprintf(tk.tk_role, sizeof(tk.tk_role), "%s", role);
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", teams);
	tk.tk_created_at = 1000;
	tk.tk_expires_at = expires;
	assert_int_equal(store_token_insert(st, &tk, h), STORE_OK);
	return tk.tk_id;
}

/* A participation of a team in a case, since a moment. */
static inline int64_t
add_participant(struct store *st, int64_t case_id, const char *team,
    int64_t since)
{
	struct participant_row	p;

	memset(&p, 0, sizeof(p));
	p.p_case = case_id;
	snprintf(p.p_team, sizeof(p.p_team), "%s", team);
	snprintf(p.p_basis, sizeof(p.p_basis), "consent");
	snprintf(p.p_added_by, sizeof(p.p_added_by), "n");
	p.p_since = since;
	assert_int_equal(store_participant_add(st, &p), STORE_OK);
	return p.p_id;
}

/*
 * A seal standing in for audit.h's hash: every byte of a link's hash is
 * its id, so that a test reads which link another came after.
 */
static inline void
seal_id_cb(struct transition_row *t, void *arg)
{
	(void)arg;
	memset(t->t_hash, (int)t->t_id, sizeof(t->t_hash));
}

/* A transition appended in the caller's write transaction; its id. */
static inline int64_t
link_in(struct store *st, struct transition_row *t)
{
	assert_int_equal(store_chain_append(st, t, seal_id_cb, NULL),
	    STORE_OK);
	return t->t_id;
}

/* A transition of a case, in the caller's write transaction, at 999 + id. */
static inline int64_t
append_in(struct store *st, int64_t case_id, const char *cause)
{
	struct transition_row	t;
	unsigned char		hash[HASH_SHA256_LEN];
	int64_t			head;

	memset(&t, 0, sizeof(t));
	assert_int_equal(store_chain_head(st, &head, hash), STORE_OK);
	t.t_case = case_id;
	t.t_at = t.t_recorded_at = 1000 + head;
	snprintf(t.t_to, sizeof(t.t_to), "s");
	snprintf(t.t_cause, sizeof(t.t_cause), "%s", cause);
	snprintf(t.t_actor, sizeof(t.t_actor), "worker");
	return link_in(st, &t);
}

/* The same in a write transaction of its own. */
static inline int64_t
append(struct store *st, int64_t case_id, const char *cause)
{
	int64_t	id;

	assert_int_equal(store_begin(st), STORE_OK);
	id = append_in(st, case_id, cause);
	assert_int_equal(store_commit(st), STORE_OK);
	return id;
}

/* Destroy a case, as retention does: a tombstone, nothing else. */
static inline void
destroy(struct store *st, int64_t id)
{
	struct tombstone_row	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_case = id;
	snprintf(ts.ts_workflow, sizeof(ts.ts_workflow), "zelfmelding");
	ts.ts_version = 1;
	snprintf(ts.ts_team, sizeof(ts.ts_team), "t");
	ts.ts_destroyed_at = 9000;
	snprintf(ts.ts_destroyed_by, sizeof(ts.ts_destroyed_by), "admin");
	assert_int_equal(store_case_destroy(st, &ts), STORE_OK);
}

/* A walk's rows, collected: ids of cases, deadlines or rungs. */
struct ids {
	int64_t	id[64];
	size_t	n;
	size_t	stop_after;	/* 0: never */
};

static inline enum store_status
ids_add(struct ids *l, int64_t id)
{
	if (l->n < nitems(l->id))
		l->id[l->n++] = id;
	if (l->stop_after != 0 && l->n == l->stop_after)
		return STORE_NOTFOUND;	/* any status but OK stops a walk */
	return STORE_OK;
}

static inline enum store_status
case_cb(const struct case_row *c, void *arg)
{
	return ids_add(arg, c->c_id);
}

static inline enum store_status
deadline_cb(const struct deadline_row *d, void *arg)
{
	return ids_add(arg, d->d_id);
}

static inline enum store_status
rung_cb(const struct rung_row *r, void *arg)
{
	return ids_add(arg, r->r_id);
}

static inline enum store_status
transition_cb(const struct transition_row *t, void *arg)
{
	return ids_add(arg, t->t_id);
}

static inline enum store_status
notification_cb(const struct notification_row *n, void *arg)
{
	return ids_add(arg, n->n_id);
}

static inline enum store_status
participant_cb(const struct participant_row *p, void *arg)
{
	return ids_add(arg, p->p_id);
}

/* The deadline of each (case, deadline) pair a view gives. */
static inline enum store_status
case_deadline_cb(const struct case_row *c, const struct deadline_row *d,
    void *arg)
{
	(void)c;
	return ids_add(arg, d->d_id);
}

struct wf_seen {
	char	names[4][32];
	int	versions[4];
	char	sources[4][32];
	size_t	n;
};

static inline enum store_status
workflow_cb(const char *name, int version, const char *source, size_t len,
    void *arg)
{
	struct wf_seen	*ws = arg;

	if (ws->n < 4) {
		snprintf(ws->names[ws->n], sizeof(ws->names[0]), "%s", name);
		snprintf(ws->sources[ws->n], sizeof(ws->sources[0]), "%.*s",
		    (int)len, source);
		ws->versions[ws->n++] = version;
	}
	return STORE_OK;
}

/* What an overdue walk saw: (case, deadline) pairs, and the last cursor. */
struct seen_overdue {
	int64_t	so_case[32];
	int64_t	so_deadline[32];
	int	so_n;
	int64_t	so_due;
};

static inline enum store_status
overdue_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct seen_overdue	*so = arg;

	assert_true(so->so_n < 32);
	so->so_case[so->so_n] = c->c_id;
	so->so_deadline[so->so_n++] = d->d_id;
	so->so_due = d->d_due;
	return STORE_OK;
}

#endif /* TERMIJN_TEST_STORE_FIXTURE_H */
