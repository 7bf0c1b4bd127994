/* termijn: every effect of a case, written in the caller's transaction. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/record.h"
#include "termijn/text.h"
#include "termijn/util.h"

/* A line for syslog, kept until the transaction's fate is known. */
struct record_line {
	char	rl_text[384];
};

struct record {
	struct store		*rc_store;
	struct record_line	*rc_lines;
	size_t			 rc_nlines;
	size_t			 rc_cap;
	size_t			 rc_base;	/* lines flushed before rc_lines[0] */
	int64_t			 rc_last;	/* the last transition's id */
	int			 rc_quiet;	/* lines are dropped, not logged */
};

static void	 record_vline(struct record *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
static void	 seal_transition_cb(struct transition_row *, void *);
static void	 seal_mark_cb(struct chain_mark_row *, void *);

struct record *
record_new(struct store *st)
{
	struct record	*rc;

	rc = xcalloc(1, sizeof(*rc));
	rc->rc_store = st;
	return rc;
}

/*
 * A record whose cases are nobody's (a simulation on a throw-away store)
 * logs nothing: syslog tells of real cases only.
 */
void
record_set_quiet(struct record *rc, int quiet)
{
	rc->rc_quiet = quiet;
}

void
record_free(struct record *rc)
{
	if (rc == NULL)
		return;
	free(rc->rc_lines);
	free(rc);
}

const char *
record_cause_name(enum transition_cause cause)
{
	switch (cause) {
	case CAUSE_CREATE:
		return "create";
	case CAUSE_EVENT:
		return "event";
	case CAUSE_DEADLINE:
		return "deadline";
	case CAUSE_SHARE:
		return "share";
	case CAUSE_UNSHARE:
		return "unshare";
	case CAUSE_COORDINATE:
		return "coordinate";
	case CAUSE_ASSIGN:
		return "assign";
	case CAUSE_CORRECTION:
		break;
	}
	return "correction";
}

/*
 * A transition joins the history of its case and the audit chain: the
 * store appends it after the chain's head, which it locks, with the id
 * after the head's and the head's hash as the hash of the link before it,
 * so that the chain runs through every transition of every case in the
 * order they were recorded; the hash is ours to compute (audit.c).
 */
enum store_status
record_transition(struct record *rc, const struct transition_input *ti)
{
	struct transition_row	*t;
	enum store_status	 status;
	const char		*label;

	t = xcalloc(1, sizeof(*t));
	t->t_case = ti->ti_case;
	t->t_at = ti->ti_at;
	t->t_recorded_at = ti->ti_recorded_at;
	snprintf(t->t_from, sizeof(t->t_from), "%s",
	    ti->ti_from ? ti->ti_from : "");
	snprintf(t->t_to, sizeof(t->t_to), "%s", ti->ti_to);
	snprintf(t->t_cause, sizeof(t->t_cause), "%s",
	    record_cause_name(ti->ti_cause));
	snprintf(t->t_event, sizeof(t->t_event), "%s",
	    ti->ti_event ? ti->ti_event : "");
	snprintf(t->t_actor, sizeof(t->t_actor), "%s", ti->ti_actor);
	/*
	 * The engine checked the note against its limit; should a caller
	 * not have, the transition is refused rather than its note cut.
	 */
	if (text_copy(t->t_note, sizeof(t->t_note), ti->ti_note ?
	    ti->ti_note : "") == -1 || text_copy(t->t_basis,
	    sizeof(t->t_basis), ti->ti_basis ? ti->ti_basis : "") == -1 ||
	    text_copy(t->t_detail, sizeof(t->t_detail), ti->ti_detail ?
	    ti->ti_detail : "") == -1) {
		log_warnx("%s: case %lld: a transition's note, basis or detail"
		    " is too long to record", __func__, (long long)ti->ti_case);
		free(t);
		return STORE_FAILED;
	}
	/* What the case runs, said once; whether it is closed, every time. */
	if (ti->ti_cause == CAUSE_CREATE) {
		snprintf(t->t_workflow, sizeof(t->t_workflow), "%s",
		    ti->ti_workflow);
		t->t_version = ti->ti_version;
	}
	t->t_final = ti->ti_final != 0;
	if ((status = store_chain_append(rc->rc_store, t, seal_transition_cb,
	    NULL)) != STORE_OK) {
		free(t);
		return status;
	}
	rc->rc_last = t->t_id;
	/* Whom the detail concerns: a person, the transition corrected, a team. */
	if (ti->ti_cause == CAUSE_ASSIGN)
		label = " assignee=";
	else if (ti->ti_cause == CAUSE_CORRECTION)
		label = " corrects=";
	else
		label = " team=";
	record_note(rc, "transition case=%lld workflow=%s version=%d"
	    " from=%s to=%s cause=%s event=%s actor=%s%s%s%s%s",
	    (long long)ti->ti_case, ti->ti_workflow, ti->ti_version,
	    t->t_from[0] ? t->t_from : "-", t->t_to, t->t_cause,
	    t->t_event[0] ? t->t_event : "-", t->t_actor,
	    t->t_detail[0] ? label : "", t->t_detail,
	    t->t_basis[0] ? " basis=" : "", t->t_basis);
	free(t);
	return status;
}

/*
 * A destruction joins the chain as a mark after the case's last link, so
 * that a case can only leave the tables with a link that says so.
 */
enum store_status
record_destroyed(struct record *rc, const struct tombstone_row *ts)
{
	struct chain_mark_row	mk;
	enum store_status	status;

	memset(&mk, 0, sizeof(mk));
	snprintf(mk.mk_kind, sizeof(mk.mk_kind), "destroyed");
	mk.mk_case = ts->ts_case;
	mk.mk_at = ts->ts_destroyed_at;
	snprintf(mk.mk_actor, sizeof(mk.mk_actor), "%s", ts->ts_destroyed_by);
	snprintf(mk.mk_team, sizeof(mk.mk_team), "%s", ts->ts_team);
	snprintf(mk.mk_workflow, sizeof(mk.mk_workflow), "%s",
	    ts->ts_workflow);
	mk.mk_version = ts->ts_version;
	mk.mk_final = 1;
	if ((status = store_chain_append_mark(rc->rc_store, &mk, seal_mark_cb,
	    NULL)) != STORE_OK)
		return status;
	record_note(rc, "destroyed case=%lld workflow=%s version=%d actor=%s",
	    (long long)ts->ts_case, ts->ts_workflow, ts->ts_version,
	    ts->ts_destroyed_by);
	return STORE_OK;
}

/* A link's hash, once the store gave it its id and the hash before it. */
static void
seal_transition_cb(struct transition_row *t, void *arg)
{
	audit_hash(t->t_prev, t, t->t_hash);
}

static void
seal_mark_cb(struct chain_mark_row *mk, void *arg)
{
	audit_hash_mark(mk->mk_prev, mk, mk->mk_hash);
}

int64_t
record_last_transition(const struct record *rc)
{
	return rc->rc_last;
}

enum store_status
record_rung(struct record *rc, struct rung_input *ri)
{
	struct notification_row	n;
	enum store_status	status;

	record_note(rc, "rung case=%lld workflow=%s deadline=%s rung=%s seq=%d"
	    " notify=%s missed=%d", (long long)ri->ri_case, ri->ri_workflow,
	    ri->ri_deadline, ri->ri_rung, ri->ri_seq,
	    ri->ri_notify ? ri->ri_notify : "-", ri->ri_missed);
	if (ri->ri_notify == NULL)
		return STORE_OK;
	memset(&n, 0, sizeof(n));
	n.n_case = ri->ri_case;
	n.n_rung = ri->ri_rung_id;
	snprintf(n.n_role, sizeof(n.n_role), "%s", ri->ri_notify);
	snprintf(n.n_deadline, sizeof(n.n_deadline), "%s", ri->ri_deadline);
	snprintf(n.n_rung_name, sizeof(n.n_rung_name), "%s", ri->ri_rung);
	n.n_seq = ri->ri_seq;
	n.n_missed = ri->ri_missed;
	n.n_at = ri->ri_at;
	n.n_created_at = ri->ri_recorded_at;
	if ((status = store_notification_insert(rc->rc_store, &n)) == STORE_OK)
		ri->ri_notification = n.n_id;
	return status;
}

enum store_status
record_outbox(struct record *rc, struct outbox_row *o)
{
	enum store_status	status;

	if ((status = store_outbox_insert(rc->rc_store, o)) == STORE_OK)
		record_note(rc, "webhook queued case=%lld outbox=%lld type=%s"
		    " team=%s role=%s", (long long)o->o_case,
		    (long long)o->o_id, o->o_type, o->o_team, o->o_role);
	return status;
}

void
record_note(struct record *rc, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	record_vline(rc, fmt, ap);
	va_end(ap);
}

static void
record_vline(struct record *rc, const char *fmt, va_list ap)
{
	if (rc->rc_nlines == rc->rc_cap) {
		rc->rc_cap = rc->rc_cap ? rc->rc_cap * 2 : 64;
		rc->rc_lines = xreallocarray(rc->rc_lines, rc->rc_cap,
		    sizeof(*rc->rc_lines));
	}
	vsnprintf(rc->rc_lines[rc->rc_nlines++].rl_text,
	    sizeof(rc->rc_lines[0].rl_text), fmt, ap);
}

/*
 * Marks count every line the record ever held, so that a mark taken
 * before lines were flushed still says where a transaction's lines begin:
 * a deferred commit's lines wait for its flush (record_flush_to) while the
 * next transaction adds its own.
 */
size_t
record_mark(struct record *rc)
{
	return rc->rc_base + rc->rc_nlines;
}

/* Forget the lines from mark on: a transaction or savepoint rolled back. */
void
record_cut(struct record *rc, size_t mark)
{
	if (mark >= rc->rc_base && mark - rc->rc_base < rc->rc_nlines)
		rc->rc_nlines = mark - rc->rc_base;
}

/* One syslog line per committed transition or rung: ids, never notes. */
void
record_flush(struct record *rc)
{
	record_flush_to(rc, record_mark(rc));
}

/* The lines before mark, whose transactions are on disk. */
void
record_flush_to(struct record *rc, size_t mark)
{
	const char	**lines;
	size_t		  i, n;

	if (mark <= rc->rc_base)
		return;
	n = mark - rc->rc_base;
	if (n > rc->rc_nlines)
		n = rc->rc_nlines;
	if (!rc->rc_quiet && n > 0) {
		lines = xreallocarray(NULL, n, sizeof(*lines));
		for (i = 0; i < n; i++)
			lines[i] = rc->rc_lines[i].rl_text;
		log_info_many(lines, n);
		free(lines);
	}
	memmove(rc->rc_lines, rc->rc_lines + n, (rc->rc_nlines - n) *
	    sizeof(*rc->rc_lines));
	rc->rc_nlines -= n;
	rc->rc_base += n;
}
