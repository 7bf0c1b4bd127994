/* termijn: the audit: what decides access and state, against the chain. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "audit_private.h"

/*
 * What decides who sees a case and where it stands is kept in tables the
 * engine reads (cases, participants, tombstones), and each fact of it is
 * also said by a link of the chain.  Replaying a case's links gives the
 * facts; the tables must hold exactly those:
 *
 * - owner, workflow, version: a create's detail, workflow and version, or
 *   for a case older than the chain's encoding 2, the "owner" mark the
 *   migration to it appended;
 * - state: the last transition's "to"; closed: its "final" (encoding 2),
 *   or the owner mark's when that came later;
 * - coordinator: the last "coordinate" (else the owner); assignee: the
 *   last "assign" (else nobody);
 * - participants: a row per "share", in order, with its team, basis,
 *   moment (recorded_at) and actor, ended (until) by the "unshare" of the
 *   team that follows it;
 * - destruction: a case whose transitions are gaps must be gone from every
 *   table, with a tombstone and, after its gaps, a "destroyed" mark whose
 *   facts the tombstone repeats; a tombstone needs that mark.
 *
 * The store hands each case's rows in one pass over each table in case
 * order (store_case_facts), so that only one case is held at a time.
 */

/* A team taking part, from a share until an unshare (0: still). */
struct episode {
	char	ep_team[STORE_NAME_LEN];
	char	ep_basis[STORE_NAME_LEN];
	char	ep_actor[STORE_NAME_LEN];
	int64_t	ep_since;
	int64_t	ep_until;
	int64_t	ep_share;		/* the transitions */
	int64_t	ep_unshare;
	int	ep_matched;		/* a participants row is its */
};

/* What the chain says of the case being read, and what was seen of it. */
struct facts {
	struct audit_run	*fs_run;
	int64_t			 fs_case;
	int64_t			 fs_first;	/* first transition, or 0 */
	int64_t			 fs_last;	/* its last transition */
	char			 fs_state[STORE_NAME_LEN];
	char			 fs_team[STORE_NAME_LEN];
	char			 fs_workflow[STORE_NAME_LEN];
	int			 fs_version;
	int64_t			 fs_owner_link;	/* what says so, or 0 */
	int			 fs_final;	/* -1: unknown */
	int64_t			 fs_final_link;
	char			 fs_coord[STORE_NAME_LEN];
	int64_t			 fs_coord_link;
	char			 fs_assignee[STORE_NAME_LEN];
	int64_t			 fs_assignee_link;
	struct episode		*fs_eps;
	size_t			 fs_neps;
	size_t			 fs_cap;
	int64_t			 fs_first_gap;
	int64_t			 fs_last_gap;
	struct chain_mark_row	 fs_destroyed;	/* mk_id 0: not destroyed */
	int			 fs_stone;
	struct tombstone_row	 fs_ts;
	int			 fs_row;
	int64_t			 fs_rows;	/* participants rows seen */
};

static enum store_status fact_cb(const struct case_fact *, void *);
static void	 replay(struct facts *, const struct transition_row *);
static void	 mark(struct facts *, const struct chain_mark_row *);
static void	 gap(struct facts *, const struct chain_gap_row *);
static void	 participant(struct facts *, const struct participant_row *,
		    const struct chain_value *);
static void	 case_row(struct facts *, const struct chain_value *);
static void	 case_end(struct facts *);
static void	 reset(struct facts *, int64_t);
static int	 differs(const struct chain_value *, const struct chain_value *,
		    char *, size_t);
static void	 want_text(struct chain_value *, const char *);
static void	 want_int(struct chain_value *, int64_t);
static void	 want_null(struct chain_value *);

enum store_status
audit_facts(struct store *st, struct audit_run *run)
{
	struct facts		fs;
	enum store_status	rc;

	memset(&fs, 0, sizeof(fs));
	fs.fs_run = run;
	reset(&fs, 0);
	rc = store_case_facts(st, fact_cb, &fs);
	free(fs.fs_eps);
	return rc;
}

static enum store_status
fact_cb(const struct case_fact *fc, void *arg)
{
	struct facts	*fs = arg;

	if (fc->fc_case != fs->fs_case)
		reset(fs, fc->fc_case);
	if (fc->fc_transition != NULL)
		replay(fs, fc->fc_transition);
	else if (fc->fc_gap != NULL)
		gap(fs, fc->fc_gap);
	else if (fc->fc_mark != NULL)
		mark(fs, fc->fc_mark);
	else if (fc->fc_participant != NULL)
		participant(fs, fc->fc_participant, fc->fc_values);
	else if (fc->fc_tombstone != NULL) {
		fs->fs_stone = 1;
		fs->fs_ts = *fc->fc_tombstone;
	} else if (fc->fc_row != NULL)
		case_row(fs, fc->fc_values);
	else {
		case_end(fs);
		fs->fs_run->au_report->ar_cases++;
		reset(fs, 0);
	}
	return STORE_OK;
}

static void
reset(struct facts *fs, int64_t id)
{
	struct audit_run	*run = fs->fs_run;
	struct episode		*eps = fs->fs_eps;
	size_t			 cap = fs->fs_cap;

	memset(fs, 0, sizeof(*fs));
	fs->fs_run = run;
	fs->fs_eps = eps;
	fs->fs_cap = cap;
	fs->fs_case = id;
	fs->fs_final = -1;
}

/* One transition of the case: what it says the case is now. */
static void
replay(struct facts *fs, const struct transition_row *t)
{
	struct episode	*ep;
	size_t		 i;

	if (fs->fs_first == 0)
		fs->fs_first = t->t_id;
	fs->fs_last = t->t_id;
	snprintf(fs->fs_state, sizeof(fs->fs_state), "%s", t->t_to);
	if (t->t_final >= 0) {
		fs->fs_final = t->t_final;
		fs->fs_final_link = t->t_id;
	}
	if (strcmp(t->t_cause, "create") == 0 && t->t_detail[0] != '\0') {
		snprintf(fs->fs_team, sizeof(fs->fs_team), "%s", t->t_detail);
		snprintf(fs->fs_workflow, sizeof(fs->fs_workflow), "%s",
		    t->t_workflow);
		fs->fs_version = t->t_version;
		fs->fs_owner_link = t->t_id;
	} else if (strcmp(t->t_cause, "coordinate") == 0) {
		snprintf(fs->fs_coord, sizeof(fs->fs_coord), "%s",
		    t->t_detail);
		fs->fs_coord_link = t->t_id;
	} else if (strcmp(t->t_cause, "assign") == 0) {
		snprintf(fs->fs_assignee, sizeof(fs->fs_assignee), "%s",
		    t->t_detail);
		fs->fs_assignee_link = t->t_id;
	} else if (strcmp(t->t_cause, "share") == 0) {
		if (fs->fs_neps == fs->fs_cap) {
			fs->fs_cap = fs->fs_cap ? fs->fs_cap * 2 : 8;
			fs->fs_eps = xreallocarray(fs->fs_eps, fs->fs_cap,
			    sizeof(*fs->fs_eps));
		}
		ep = &fs->fs_eps[fs->fs_neps++];
		memset(ep, 0, sizeof(*ep));
		snprintf(ep->ep_team, sizeof(ep->ep_team), "%s", t->t_detail);
		snprintf(ep->ep_basis, sizeof(ep->ep_basis), "%s", t->t_basis);
		snprintf(ep->ep_actor, sizeof(ep->ep_actor), "%s", t->t_actor);
		ep->ep_since = t->t_recorded_at;
		ep->ep_share = t->t_id;
	} else if (strcmp(t->t_cause, "unshare") == 0) {
		for (i = fs->fs_neps; i > 0; i--) {
			ep = &fs->fs_eps[i - 1];
			if (ep->ep_unshare == 0 &&
			    strcmp(ep->ep_team, t->t_detail) == 0)
				break;
		}
		if (i == 0)
			audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64
			    ": transition %" PRId64 " ends the part of team"
			    " '%s' in it, but no transition before let that"
			    " team take part", fs->fs_case, t->t_id,
			    t->t_detail);
		else {
			ep->ep_until = t->t_recorded_at;
			ep->ep_unshare = t->t_id;
		}
	}
}

static void
mark(struct facts *fs, const struct chain_mark_row *mk)
{
	if (strcmp(mk->mk_kind, "destroyed") == 0) {
		fs->fs_destroyed = *mk;
		return;
	}
	snprintf(fs->fs_team, sizeof(fs->fs_team), "%s", mk->mk_team);
	snprintf(fs->fs_workflow, sizeof(fs->fs_workflow), "%s",
	    mk->mk_workflow);
	fs->fs_version = mk->mk_version;
	fs->fs_owner_link = mk->mk_id;
	fs->fs_final = mk->mk_final;
	fs->fs_final_link = mk->mk_id;
}

static void
gap(struct facts *fs, const struct chain_gap_row *g)
{
	if (fs->fs_first_gap == 0)
		fs->fs_first_gap = g->g_id;
	fs->fs_last_gap = g->g_id;
	if (fs->fs_destroyed.mk_id != 0)
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64
		    ": transition %" PRId64 " is in the chain's gaps, but comes"
		    " after the mark of the case's destruction (link %" PRId64
		    ")", fs->fs_case, g->g_id, fs->fs_destroyed.mk_id);
}

/*
 * A participants row against the share that let its team take part: the
 * team's next share not yet matched (rows and shares of a team come in
 * the same order).
 */
static void
participant(struct facts *fs, const struct participant_row *p,
    const struct chain_value *v)
{
	static const char *const names[CASE_FACT_NPARTICIPANT] = {
		"team", "basis", "since", "until", "added_by"
	};
	struct chain_value	 want[CASE_FACT_NPARTICIPANT];
	struct episode		*ep = NULL;
	char			 why[128], said[128];
	size_t			 i;

	fs->fs_rows++;
	for (i = 0; i < fs->fs_neps && ep == NULL; i++)
		if (!fs->fs_eps[i].ep_matched &&
		    strcmp(fs->fs_eps[i].ep_team, p->p_team) == 0)
			ep = &fs->fs_eps[i];
	if (ep == NULL) {
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ":"
		    " participants row %" PRId64 " lets team '%s' take part on"
		    " basis '%s', but no transition of the chain lets it",
		    fs->fs_case, p->p_id, p->p_team, p->p_basis);
		return;
	}
	ep->ep_matched = 1;
	want_text(&want[0], ep->ep_team);
	want_text(&want[1], ep->ep_basis);
	want_int(&want[2], ep->ep_since);
	if (ep->ep_unshare != 0)
		want_int(&want[3], ep->ep_until);
	else
		want_null(&want[3]);
	want_text(&want[4], ep->ep_actor);
	for (i = 0; i < nitems(want); i++) {
		if (!differs(&v[i], &want[i], why, sizeof(why)))
			continue;
		audit_value_str(&want[i], 0, said, sizeof(said));
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ":"
		    " participants row %" PRId64 " (team '%s') has %s %s, but"
		    " the chain says %s%s (transition %" PRId64 ")",
		    fs->fs_case, p->p_id, p->p_team, names[i], why, said,
		    i == 3 && ep->ep_unshare == 0 ? ": it still takes part" :
		    "", i == 3 && ep->ep_unshare != 0 ? ep->ep_unshare :
		    ep->ep_share);
		return;
	}
}

/* The case's row against all its links said. */
static void
case_row(struct facts *fs, const struct chain_value *v)
{
	struct chain_value	 want;
	char			 why[256];

	fs->fs_row = 1;
	if (fs->fs_destroyed.mk_id != 0) {
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ": the"
		    " chain marks it destroyed (link %" PRId64 "), but its row"
		    " in cases is still there", fs->fs_case,
		    fs->fs_destroyed.mk_id);
		return;
	}
	if (fs->fs_first == 0) {
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 " has a"
		    " row in cases, but no transition in the chain: it was not"
		    " registered by termijn", fs->fs_case);
		return;
	}
	if (fs->fs_owner_link == 0)
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ": the"
		    " chain does not say which team owns it (no create that"
		    " names it, no owner mark)", fs->fs_case);
	else {
		want_text(&want, fs->fs_team);
		if (differs(&v[0], &want, why, sizeof(why)))
			audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64
			    ": its owning team (cases.team) is %s, but the"
			    " chain says '%s' (link %" PRId64 ")", fs->fs_case,
			    why, fs->fs_team, fs->fs_owner_link);
		want_text(&want, fs->fs_workflow);
		if (differs(&v[1], &want, why, sizeof(why)))
			audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64
			    ": its workflow (cases.workflow) is %s, but the"
			    " chain says '%s' (link %" PRId64 ")", fs->fs_case,
			    why, fs->fs_workflow, fs->fs_owner_link);
		want_int(&want, fs->fs_version);
		if (differs(&v[2], &want, why, sizeof(why)))
			audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64
			    ": its workflow version (cases.version) is %s, but"
			    " the chain says %d (link %" PRId64 ")",
			    fs->fs_case, why, fs->fs_version,
			    fs->fs_owner_link);
	}
	want_text(&want, fs->fs_state);
	if (differs(&v[3], &want, why, sizeof(why)))
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ": its"
		    " state (cases.state) is %s, but its last transition (%"
		    PRId64 ") leads to '%s'", fs->fs_case, why, fs->fs_last,
		    fs->fs_state);
	if (fs->fs_final < 0)
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ": the"
		    " chain does not say whether it is closed", fs->fs_case);
	else {
		want_int(&want, fs->fs_final);
		if (differs(&v[4], &want, why, sizeof(why)))
			audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64
			    ": cases.final is %s, but the chain has it %s"
			    " (link %" PRId64 ")", fs->fs_case, why,
			    fs->fs_final ? "closed" : "open",
			    fs->fs_final_link);
	}
	/* termijn keeps NULL for the owner coordinating, and for nobody. */
	if (fs->fs_coord_link == 0 || strcmp(fs->fs_coord, fs->fs_team) == 0)
		want_null(&want);
	else
		want_text(&want, fs->fs_coord);
	if (differs(&v[5], &want, why, sizeof(why)))
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ": its"
		    " coordinator (cases.coordinator) is %s, but in the chain"
		    " %s '%s' coordinates it (link %" PRId64 ")", fs->fs_case,
		    why, want.cv_type == CHAIN_NULL ? "its owner" : "team",
		    want.cv_type == CHAIN_NULL ? fs->fs_team : fs->fs_coord,
		    fs->fs_coord_link != 0 ? fs->fs_coord_link :
		    fs->fs_owner_link);
	if (fs->fs_assignee[0] == '\0')
		want_null(&want);
	else
		want_text(&want, fs->fs_assignee);
	if (differs(&v[6], &want, why, sizeof(why)))
		audit_find(fs->fs_run, 0, fs->fs_case, "case %" PRId64 ": it is"
		    " assigned (cases.assignee) to %s, but in the chain %s%s%s"
		    " (link %" PRId64 ")", fs->fs_case, why,
		    fs->fs_assignee[0] ? "to '" : "to nobody",
		    fs->fs_assignee, fs->fs_assignee[0] ? "'" : "",
		    fs->fs_assignee_link ? fs->fs_assignee_link :
		    fs->fs_first);
}

/* What can only be judged once every row of the case was seen. */
static void
case_end(struct facts *fs)
{
	const struct chain_mark_row	*mk = &fs->fs_destroyed;
	const struct tombstone_row	*ts = &fs->fs_ts;
	struct audit_run		*run = fs->fs_run;
	int64_t				 id = fs->fs_case;
	size_t				 i;

	/* Shares with no row: the team lost the part the chain gives it. */
	for (i = 0; fs->fs_row && mk->mk_id == 0 && i < fs->fs_neps; i++)
		if (!fs->fs_eps[i].ep_matched)
			audit_find(run, 0, id, "case %" PRId64 ": the chain"
			    " lets team '%s' take part on basis '%s'"
			    " (transition %" PRId64 "), but the participants"
			    " table has no row for it", id,
			    fs->fs_eps[i].ep_team, fs->fs_eps[i].ep_basis,
			    fs->fs_eps[i].ep_share);
	if (fs->fs_first_gap != 0) {
		if (fs->fs_row)
			audit_find(run, 0, id, "case %" PRId64
			    " is not destroyed (its row is in cases), but its"
			    " transition %" PRId64 " is in the chain's gaps, as"
			    " if destroyed with it", id, fs->fs_first_gap);
		else if (fs->fs_first != 0 && mk->mk_id == 0)
			audit_find(run, 0, id, "case %" PRId64
			    ": its transition %" PRId64 " is in the chain's"
			    " gaps, as if destroyed with it, but its"
			    " transition %" PRId64 " is still there", id,
			    fs->fs_first_gap, fs->fs_first);
		if (!fs->fs_stone)
			audit_find(run, 0, id, "case %" PRId64
			    ": its transitions from %" PRId64 " are in the"
			    " chain's gaps, but no tombstone stands for it",
			    id, fs->fs_first_gap);
		if (mk->mk_id == 0)
			audit_find(run, 0, id, "case %" PRId64
			    ": its transitions from %" PRId64 " are in the"
			    " chain's gaps, but the chain has no mark of its"
			    " destruction", id, fs->fs_first_gap);
	}
	/* With its row still there, case_row said so. */
	if (mk->mk_id != 0 && !fs->fs_row && fs->fs_first != 0)
		audit_find(run, 0, id, "case %" PRId64 ": the chain marks it"
		    " destroyed (link %" PRId64 "), but its transition %" PRId64
		    " is still there", id, mk->mk_id, fs->fs_first);
	else if (mk->mk_id != 0 && !fs->fs_row && fs->fs_rows > 0)
		audit_find(run, 0, id, "case %" PRId64 ": the chain marks it"
		    " destroyed (link %" PRId64 "), but its participants are"
		    " still there", id, mk->mk_id);
	if (mk->mk_id != 0 && !fs->fs_stone)
		audit_find(run, 0, id, "case %" PRId64 ": the chain marks it"
		    " destroyed (link %" PRId64 "), but its tombstone is gone",
		    id, mk->mk_id);
	else if (mk->mk_id != 0 && (strcmp(ts->ts_team, mk->mk_team) != 0 ||
	    strcmp(ts->ts_workflow, mk->mk_workflow) != 0 ||
	    ts->ts_version != mk->mk_version ||
	    ts->ts_destroyed_at != mk->mk_at ||
	    strcmp(ts->ts_destroyed_by, mk->mk_actor) != 0))
		audit_find(run, 0, id, "case %" PRId64 ": its tombstone says"
		    " team '%s', workflow '%s' version %d, destroyed at %"
		    PRId64 " by '%s'; the mark of its destruction (link %"
		    PRId64 ") says team '%s', workflow '%s' version %d, at %"
		    PRId64 " by '%s'", id, ts->ts_team, ts->ts_workflow,
		    ts->ts_version, ts->ts_destroyed_at, ts->ts_destroyed_by,
		    mk->mk_id, mk->mk_team, mk->mk_workflow, mk->mk_version,
		    mk->mk_at, mk->mk_actor);
	if (fs->fs_stone && mk->mk_id == 0 && fs->fs_first_gap == 0)
		audit_find(run, 0, id, "case %" PRId64 ": a tombstone stands"
		    " for it, but the chain has no mark of its destruction",
		    id);
	if (!fs->fs_row && mk->mk_id == 0 && fs->fs_first_gap == 0 &&
	    (fs->fs_first != 0 || fs->fs_rows > 0))
		audit_find(run, 0, id, "case %" PRId64 " has %s in"
		    " the chain, but no row in cases, no tombstone and no mark"
		    " of its destruction: it was deleted outside termijn", id,
		    fs->fs_first != 0 ? "transitions" : "participants and no"
		    " transitions");
}

/* Whether a stored value is not the one wanted; what it is, if so. */
static int
differs(const struct chain_value *stored, const struct chain_value *want,
    char *why, size_t len)
{
	if (audit_value_equal(stored, want))
		return 0;
	audit_value_str(stored, 0, why, len);
	return 1;
}

static void
want_text(struct chain_value *v, const char *s)
{
	memset(v, 0, sizeof(*v));
	v->cv_type = CHAIN_TEXT;
	v->cv_bytes = s;
	v->cv_len = strlen(s);
}

static void
want_int(struct chain_value *v, int64_t x)
{
	memset(v, 0, sizeof(*v));
	v->cv_type = CHAIN_INT;
	v->cv_int = x;
}

static void
want_null(struct chain_value *v)
{
	memset(v, 0, sizeof(*v));
	v->cv_type = CHAIN_NULL;
}
