/* termijn: the store's seam: choose a backend, and pass each call to it. */

#include <stdio.h>
#include <string.h>

#include "termijn/store.h"
#include "termijn/util.h"

#include "store_backend.h"

/*
 * The backends termijn is built with, asked in order whether a location is
 * theirs; SQLite takes any path, so it comes last.  (smtpd's queue_backend.c
 * chooses its queue the same way.)
 */
static const struct store_backend *const backends[] = {
	&store_sqlite_backend,
};

static const struct store_backend *
store_backend_of(const char *location, char *err, size_t errlen)
{
	size_t	i;

	for (i = 0; i < nitems(backends); i++)
		if (backends[i]->sb_claims(location))
			return backends[i];
	snprintf(err, errlen, "%s: no store backend takes this location",
	    location);
	return NULL;
}

static struct store *
open_backend(const char *location, enum store_open_mode mode, char *err,
    size_t errlen)
{
	const struct store_backend	*sb;

	if ((sb = store_backend_of(location, err, errlen)) == NULL)
		return NULL;
	return sb->sb_open(location, mode, err, errlen);
}

struct store *
store_open(const char *location, char *err, size_t errlen)
{
	return open_backend(location, STORE_OPEN_WRITE, err, errlen);
}

struct store *
store_open_readonly(const char *location, char *err, size_t errlen)
{
	return open_backend(location, STORE_OPEN_READONLY, err, errlen);
}

struct store *
store_open_serving(const char *location, char *err, size_t errlen)
{
	return open_backend(location, STORE_OPEN_SERVE, err, errlen);
}

enum store_status
store_exists(const char *location, char *err, size_t errlen)
{
	const struct store_backend	*sb;

	if ((sb = store_backend_of(location, err, errlen)) == NULL)
		return STORE_FAILED;
	return sb->sb_exists(location, err, errlen);
}

enum store_status
store_backup(const char *location, const char *dest, char *err,
    size_t errlen)
{
	const struct store_backend	*sb;

	if ((sb = store_backend_of(location, err, errlen)) == NULL)
		return STORE_FAILED;
	return sb->sb_backup(location, dest, err, errlen);
}

void
store_close(struct store *st)
{
	if (st != NULL)
		st->st_backend->sb_close(st);
}

const char *
store_status_name(enum store_status status)
{
	switch (status) {
	case STORE_OK:
		return "ok";
	case STORE_NOTFOUND:
		return "not found";
	case STORE_EXISTS:
		return "exists";
	case STORE_FULL:
		return "full";
	case STORE_BUSY:
		return "busy";
	case STORE_FAILED:
		break;
	}
	return "failed";
}

const char *
store_errmsg(struct store *st)
{
	return st->st_backend->sb_errmsg(st);
}

int
store_schema_version(struct store *st)
{
	return st->st_backend->sb_schema_version(st);
}

enum store_status
store_upkeep_start(struct store *st, double scrub_timeout, char *err,
    size_t errlen)
{
	return st->st_backend->sb_upkeep_start(st, scrub_timeout, err, errlen);
}

void
store_upkeep_stop(struct store *st)
{
	st->st_backend->sb_upkeep_stop(st);
}

void
store_upkeep_stats(struct store *st, struct upkeep_stats *us)
{
	st->st_backend->sb_upkeep_stats(st, us);
}

enum store_status
store_begin(struct store *st)
{
	return st->st_backend->sb_begin(st);
}

enum store_status
store_commit(struct store *st)
{
	return st->st_backend->sb_commit(st);
}

void
store_rollback(struct store *st)
{
	st->st_backend->sb_rollback(st);
}

enum store_status
store_savepoint(struct store *st)
{
	return st->st_backend->sb_savepoint(st);
}

enum store_status
store_release(struct store *st)
{
	return st->st_backend->sb_release(st);
}

enum store_status
store_rollback_savepoint(struct store *st)
{
	return st->st_backend->sb_rollback_savepoint(st);
}

enum store_status
store_lost(struct store *st)
{
	return st->st_backend->sb_lost(st);
}

void
store_busy_wait(struct store *st, int ms)
{
	st->st_backend->sb_busy_wait(st, ms);
}

void
store_on_wait(struct store *st, void (*fn)(void *), void *arg)
{
	st->st_backend->sb_on_wait(st, fn, arg);
}

void
store_on_queued(struct store *st, void (*fn)(void *, int64_t), void *arg)
{
	st->st_backend->sb_on_queued(st, fn, arg);
}

enum store_status
store_defer_sync(struct store *st, int on)
{
	return st->st_backend->sb_defer_sync(st, on);
}

enum store_status
store_sync(struct store *st)
{
	return st->st_backend->sb_sync(st);
}

enum store_status
store_read_begin(struct store *st)
{
	return st->st_backend->sb_read_begin(st);
}

void
store_read_end(struct store *st)
{
	st->st_backend->sb_read_end(st);
}

enum store_status
store_case_insert(struct store *st, struct case_row *c)
{
	return st->st_backend->sb_case_insert(st, c);
}

enum store_status
store_case_get(struct store *st, int64_t id, struct case_row *c)
{
	return st->st_backend->sb_case_get(st, id, c);
}

enum store_status
store_case_lock(struct store *st, int64_t id, struct case_row *c)
{
	return st->st_backend->sb_case_lock(st, id, c);
}

enum store_status
store_case_open_find(struct store *st, const char *workflow,
    const char *reference, const char *team, struct case_row *c)
{
	return st->st_backend->sb_case_open_find(st, workflow, reference, team,
	    c);
}

enum store_status
store_case_get_for(struct store *st, int64_t id, int64_t token,
    struct case_row *c)
{
	return st->st_backend->sb_case_get_for(st, id, token, c);
}

enum store_status
store_case_update_state(struct store *st, const struct case_row *c)
{
	return st->st_backend->sb_case_update_state(st, c);
}

enum store_status
store_case_list(struct store *st, const struct case_filter *f,
    store_case_cb *cb, void *arg)
{
	return st->st_backend->sb_case_list(st, f, cb, arg);
}

enum store_status
store_deadline_insert(struct store *st, struct deadline_row *d)
{
	return st->st_backend->sb_deadline_insert(st, d);
}

enum store_status
store_deadline_update(struct store *st, const struct deadline_row *d)
{
	return st->st_backend->sb_deadline_update(st, d);
}

enum store_status
store_deadlines_of_case(struct store *st, int64_t id,
    enum store_deadline_set set, store_deadline_cb *cb, void *arg)
{
	return st->st_backend->sb_deadlines_of_case(st, id, set, cb, arg);
}

enum store_status
store_deadlines_stop(struct store *st, int64_t case_id, const char *state)
{
	return st->st_backend->sb_deadlines_stop(st, case_id, state);
}

enum store_status
store_deadline_get(struct store *st, int64_t id, struct deadline_row *d)
{
	return st->st_backend->sb_deadline_get(st, id, d);
}

enum store_status
store_deadline_find(struct store *st, int64_t case_id, const char *name,
    struct deadline_row *d)
{
	return st->st_backend->sb_deadline_find(st, case_id, name, d);
}

enum store_status
store_rung_insert(struct store *st, const struct rung_row *r)
{
	return st->st_backend->sb_rung_insert(st, r);
}

enum store_status
store_rung_next(struct store *st, int64_t *due)
{
	return st->st_backend->sb_rung_next(st, due);
}

enum store_status
store_rungs_claim(struct store *st, int64_t now, struct rung_row *r,
    size_t max, size_t *n)
{
	return st->st_backend->sb_rungs_claim(st, now, r, max, n);
}

enum store_status
store_rungs_unclaim(struct store *st, struct rung_row *r, size_t n)
{
	return st->st_backend->sb_rungs_unclaim(st, r, n);
}

enum store_status
store_rung_first_of_case(struct store *st, int64_t id, struct rung_row *r)
{
	return st->st_backend->sb_rung_first_of_case(st, id, r);
}

enum store_status
store_rung_mark_fired(struct store *st, const struct rung_row *r, int64_t at,
    int missed, int skipped)
{
	return st->st_backend->sb_rung_mark_fired(st, r, at, missed,
	    skipped);
}

enum store_status
store_rungs_cancel(struct store *st, int64_t case_id, int64_t deadline,
    const char *holder)
{
	return st->st_backend->sb_rungs_cancel(st, case_id, deadline,
	    holder);
}

enum store_status
store_rung_forget(struct store *st, int64_t deadline, const char *name)
{
	return st->st_backend->sb_rung_forget(st, deadline, name);
}

enum store_status
store_rungs_hand_over(struct store *st, int64_t deadline, const char *holder)
{
	return st->st_backend->sb_rungs_hand_over(st, deadline, holder);
}

enum store_status
store_rung_last_seq(struct store *st, int64_t deadline, const char *name,
    int *seq, int *pending)
{
	return st->st_backend->sb_rung_last_seq(st, deadline, name, seq,
	    pending);
}

enum store_status
store_rungs_of_deadline(struct store *st, int64_t id, store_rung_cb *cb,
    void *arg)
{
	return st->st_backend->sb_rungs_of_deadline(st, id, cb, arg);
}

enum store_status
store_notification_insert(struct store *st, struct notification_row *n)
{
	return st->st_backend->sb_notification_insert(st, n);
}

enum store_status
store_notifications_of_case(struct store *st, int64_t id,
    store_notification_cb *cb, void *arg)
{
	return st->st_backend->sb_notifications_of_case(st, id, cb, arg);
}

enum store_status
store_transition_last_at(struct store *st, int64_t case_id, int64_t *at)
{
	return st->st_backend->sb_transition_last_at(st, case_id, at);
}

enum store_status
store_transition_last(struct store *st, int64_t case_id,
    struct transition_row *t)
{
	return st->st_backend->sb_transition_last(st, case_id, t);
}

enum store_status
store_undo_put(struct store *st, int64_t case_id, int64_t transition_id,
    const char *data)
{
	return st->st_backend->sb_undo_put(st, case_id, transition_id, data);
}

enum store_status
store_undo_get(struct store *st, int64_t case_id, int64_t *transition_id,
    char **data)
{
	return st->st_backend->sb_undo_get(st, case_id, transition_id, data);
}

enum store_status
store_chain_head(struct store *st, int64_t *id, unsigned char *hash)
{
	return st->st_backend->sb_chain_head(st, id, hash);
}

enum store_status
store_chain_walk(struct store *st, store_chain_cb *cb, void *arg)
{
	return st->st_backend->sb_chain_walk(st, cb, arg);
}

enum store_status
store_chain_encoding(struct store *st, int64_t *from)
{
	return st->st_backend->sb_chain_encoding(st, from);
}

enum store_status
store_chain_append(struct store *st, struct transition_row *t,
    store_seal_cb *seal, void *arg)
{
	return st->st_backend->sb_chain_append(st, t, seal, arg);
}

enum store_status
store_chain_append_mark(struct store *st, struct chain_mark_row *mk,
    store_seal_mark_cb *seal, void *arg)
{
	return st->st_backend->sb_chain_append_mark(st, mk, seal, arg);
}

enum store_status
store_case_facts(struct store *st, store_fact_cb *cb, void *arg)
{
	return st->st_backend->sb_case_facts(st, cb, arg);
}

enum store_status
store_transitions_of_case(struct store *st, int64_t id, int64_t after,
    int limit, store_transition_cb *cb, void *arg)
{
	return st->st_backend->sb_transitions_of_case(st, id, after, limit, cb,
	    arg);
}

enum store_status
store_team_insert(struct store *st, const struct team_row *tm)
{
	return st->st_backend->sb_team_insert(st, tm);
}

enum store_status
store_team_get(struct store *st, const char *name, struct team_row *tm)
{
	return st->st_backend->sb_team_get(st, name, tm);
}

enum store_status
store_teams_each(struct store *st, store_team_cb *cb, void *arg)
{
	return st->st_backend->sb_teams_each(st, cb, arg);
}

enum store_status
store_route_set(struct store *st, struct route_row *rt)
{
	return st->st_backend->sb_route_set(st, rt);
}

enum store_status
store_route_remove(struct store *st, struct route_row *rt)
{
	return st->st_backend->sb_route_remove(st, rt);
}

enum store_status
store_route_find(struct store *st, const char *function, const char *team,
    const char *org, struct route_row *rt)
{
	return st->st_backend->sb_route_find(st, function, team, org, rt);
}

enum store_status
store_routes_each(struct store *st, int log, store_route_cb *cb, void *arg)
{
	return st->st_backend->sb_routes_each(st, log, cb, arg);
}

enum store_status
store_unrouted_count(struct store *st, int64_t *n)
{
	return st->st_backend->sb_unrouted_count(st, n);
}

enum store_status
store_unrouted_cases(struct store *st, int64_t after, int limit,
    store_case_cb *cb, void *arg)
{
	return st->st_backend->sb_unrouted_cases(st, after, limit, cb, arg);
}

enum store_status
store_token_insert(struct store *st, struct token_row *tk,
    const unsigned char *hash)
{
	return st->st_backend->sb_token_insert(st, tk, hash);
}

enum store_status
store_token_lookup(struct store *st, const unsigned char *hash, int64_t now,
    struct token_row *tk)
{
	return st->st_backend->sb_token_lookup(st, hash, now, tk);
}

enum store_status
store_token_by_name(struct store *st, const char *name, int64_t now,
    struct token_row *tk)
{
	return st->st_backend->sb_token_by_name(st, name, now, tk);
}

enum store_status
store_token_revoke(struct store *st, const char *name, int64_t now)
{
	return st->st_backend->sb_token_revoke(st, name, now);
}

enum store_status
store_token_touch(struct store *st, int64_t id, int64_t at)
{
	return st->st_backend->sb_token_touch(st, id, at);
}

enum store_status
store_token_set_display_name(struct store *st, const char *name,
    const char *display, int64_t now)
{
	return st->st_backend->sb_token_set_display_name(st, name, display,
	    now);
}

enum store_status
store_team_tokens(struct store *st, const char *team, int64_t now,
    store_token_cb *cb, void *arg)
{
	return st->st_backend->sb_team_tokens(st, team, now, cb, arg);
}

enum store_status
store_tokens_each(struct store *st, store_token_cb *cb, void *arg)
{
	return st->st_backend->sb_tokens_each(st, cb, arg);
}

enum store_status
store_token_count(struct store *st, int64_t *out)
{
	return st->st_backend->sb_token_count(st, out);
}

enum store_status
store_participant_add(struct store *st, struct participant_row *p)
{
	return st->st_backend->sb_participant_add(st, p);
}

enum store_status
store_participant_end(struct store *st, int64_t case_id, const char *team,
    int64_t until)
{
	return st->st_backend->sb_participant_end(st, case_id, team, until);
}

enum store_status
store_participants_of_case(struct store *st, int64_t id, int current,
    store_participant_cb *cb, void *arg)
{
	return st->st_backend->sb_participants_of_case(st, id, current, cb,
	    arg);
}

enum store_status
store_overdue(struct store *st, const struct view_filter *vf,
    store_case_deadline_cb *cb, void *arg)
{
	return st->st_backend->sb_overdue(st, vf, cb, arg);
}

enum store_status
store_at_risk(struct store *st, const struct view_filter *vf,
    const struct risk_window *rw, store_case_deadline_cb *cb, void *arg)
{
	return st->st_backend->sb_at_risk(st, vf, rw, cb, arg);
}

enum store_status
store_suspended(struct store *st, const struct view_filter *vf,
    store_case_deadline_cb *cb, void *arg)
{
	return st->st_backend->sb_suspended(st, vf, cb, arg);
}

enum store_status
store_summary(struct store *st, const struct view_filter *vf,
    const struct risk_window *rw, store_summary_cb *cb, void *arg)
{
	return st->st_backend->sb_summary(st, vf, rw, cb, arg);
}

enum store_status
store_queue(struct store *st, const struct view_filter *vf,
    const struct queue_state *qs, size_t errlen, store_case_cb *cb, void *arg)
{
	return st->st_backend->sb_queue(st, vf, qs, errlen, cb, arg);
}

enum store_status
store_report_deadlines(struct store *st, const struct view_filter *vf,
    int64_t from, int64_t to, store_case_deadline_cb *cb, void *arg)
{
	return st->st_backend->sb_report_deadlines(st, vf, from, to, cb, arg);
}

enum store_status
store_report_closed(struct store *st, const struct view_filter *vf,
    int64_t from, int64_t to, store_case_cb *cb, void *arg)
{
	return st->st_backend->sb_report_closed(st, vf, from, to, cb, arg);
}

enum store_status
store_outbox_insert(struct store *st, struct outbox_row *o)
{
	return st->st_backend->sb_outbox_insert(st, o);
}

enum store_status
store_outbox_due(struct store *st, int64_t now, int max, store_outbox_cb *cb,
    void *arg)
{
	return st->st_backend->sb_outbox_due(st, now, max, cb, arg);
}

enum store_status
store_outbox_next(struct store *st, int64_t after, int64_t *out)
{
	return st->st_backend->sb_outbox_next(st, after, out);
}

enum store_status
store_outbox_get(struct store *st, int64_t id, store_outbox_cb *cb, void *arg)
{
	return st->st_backend->sb_outbox_get(st, id, cb, arg);
}

enum store_status
store_outbox_update(struct store *st, const struct outbox_row *o)
{
	return st->st_backend->sb_outbox_update(st, o);
}

enum store_status
store_outbox_list(struct store *st, const char *status, int64_t before,
    int limit, store_outbox_cb *cb, void *arg)
{
	return st->st_backend->sb_outbox_list(st, status, before, limit, cb,
	    arg);
}

enum store_status
store_outbox_count(struct store *st, const char *status, int64_t *out)
{
	return st->st_backend->sb_outbox_count(st, status, out);
}

enum store_status
store_outbox_of_case(struct store *st, int64_t id, store_outbox_cb *cb,
    void *arg)
{
	return st->st_backend->sb_outbox_of_case(st, id, cb, arg);
}

enum store_status
store_read_insert(struct store *st, struct read_row *rd)
{
	return st->st_backend->sb_read_insert(st, rd);
}

enum store_status
store_reads_of_case(struct store *st, int64_t id, int64_t after, int limit,
    store_read_cb *cb, void *arg)
{
	return st->st_backend->sb_reads_of_case(st, id, after, limit, cb,
	    arg);
}

enum store_status
store_cases_closed_before(struct store *st, const char *name, int flag,
    int64_t before, int limit, store_case_cb *cb, void *arg)
{
	return st->st_backend->sb_cases_closed_before(st, name, flag, before,
	    limit, cb, arg);
}

enum store_status
store_case_destroy(struct store *st, const struct tombstone_row *ts)
{
	return st->st_backend->sb_case_destroy(st, ts);
}

enum store_status
store_tombstone_get(struct store *st, int64_t id, struct tombstone_row *ts)
{
	return st->st_backend->sb_tombstone_get(st, id, ts);
}

enum store_status
store_scrub(struct store *st)
{
	return st->st_backend->sb_scrub(st);
}

enum store_status
store_idem_get(struct store *st, int64_t token, const char *key, char *reqhash,
    int *status, char **body, char *lang)
{
	return st->st_backend->sb_idem_get(st, token, key, reqhash, status,
	    body, lang);
}

enum store_status
store_idem_put(struct store *st, int64_t token, const char *key,
    const char *reqhash, int status, const char *body, const char *lang,
    int64_t case_id, int64_t now)
{
	return st->st_backend->sb_idem_put(st, token, key, reqhash, status,
	    body, lang, case_id, now);
}

enum store_status
store_workflow_put(struct store *st, const char *name, int version,
    const char *digest, const char *source, size_t len, int64_t now)
{
	return st->st_backend->sb_workflow_put(st, name, version, digest,
	    source, len, now);
}

enum store_status
store_workflow_digest(struct store *st, const char *name, int version,
    char *digest)
{
	return st->st_backend->sb_workflow_digest(st, name, version, digest);
}

enum store_status
store_workflows_each(struct store *st, store_workflow_cb *cb, void *arg)
{
	return st->st_backend->sb_workflows_each(st, cb, arg);
}

enum store_status
store_check(struct store *st, char *err, size_t errlen)
{
	return st->st_backend->sb_check(st, err, errlen);
}

enum store_status
store_write_probe(struct store *st)
{
	return st->st_backend->sb_write_probe(st);
}

enum store_status
store_case_counts(struct store *st, store_count_cb *cb, void *arg)
{
	return st->st_backend->sb_case_counts(st, cb, arg);
}

enum store_status
store_rung_counts(struct store *st, int64_t now, int64_t *pending,
    int64_t *due)
{
	return st->st_backend->sb_rung_counts(st, now, pending, due);
}
