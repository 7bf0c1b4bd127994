/* termijn: verifying the audit chain link by link, then the tables by it. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/audit.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "audit_private.h"

static enum store_status link_cb(const struct chain_link *, void *);
static int	 link_content(struct audit_run *, const struct chain_link *,
		    int64_t, int64_t);
static int	 route_content(struct audit_run *, const struct chain_link *,
		    int64_t, int64_t);
static int	 not_as_written(const struct chain_value *,
		    const struct chain_value *, size_t, const char *const *,
		    char *, size_t);

static const char *const transition_columns[AUDIT_TRANSITION_NVALUES] = {
	AUDIT_TRANSITION_COLUMNS
};
static const char *const mark_columns[AUDIT_MARK_NVALUES] = {
	AUDIT_MARK_COLUMNS
};
static const char *const route_columns[AUDIT_ROUTE_NVALUES] = {
	AUDIT_ROUTE_COLUMNS
};

struct chain_check {
	struct audit_run	*cc_run;
	int64_t			 cc_from;	/* first link in encoding 2 */
	int64_t			 cc_last;	/* the id of the last link */
	unsigned char		 cc_hash[HASH_SHA256_LEN];
	int			 cc_broken;
	int64_t			 cc_want_id;	/* a head it must hold, or 0 */
	const unsigned char	*cc_want;
};

int
audit_verify(struct store *st, int64_t head_id, const unsigned char *head,
    struct audit_report *ar)
{
	return audit_verify_each(st, head_id, head, NULL, NULL, ar);
}

/*
 * Two passes in one read transaction, so that a termijnd writing meanwhile
 * cannot make them disagree.  The chain first: a wrong link stops it, and
 * then the tables are not judged by a chain that cannot be trusted.
 */
int
audit_verify_each(struct store *st, int64_t head_id,
    const unsigned char *head, audit_finding_cb *cb, void *arg,
    struct audit_report *ar)
{
	struct audit_run	 run = { ar, cb, arg };
	struct chain_check	 cc;
	unsigned char		 kept[HASH_SHA256_LEN];
	int64_t			 kept_id = 0;
	enum store_status	 rc;
	const char		*what = NULL;

	memset(ar, 0, sizeof(*ar));
	memset(&cc, 0, sizeof(cc));
	cc.cc_run = &run;
	cc.cc_want_id = head != NULL ? head_id : 0;
	cc.cc_want = head;
	memset(kept, 0, sizeof(kept));
	if ((rc = store_read_begin(st)) != STORE_OK) {
		what = "starting to read";
		goto fail;
	}
	if ((rc = store_chain_head(st, &kept_id, kept)) != STORE_OK &&
	    rc != STORE_NOTFOUND) {
		what = "reading the chain's head";
		goto fail;
	}
	if ((rc = store_chain_encoding(st, &cc.cc_from)) != STORE_OK) {
		what = "reading the chain's head";
		goto fail;
	}
	rc = store_chain_walk(st, link_cb, &cc);
	if (cc.cc_broken) {
		store_read_end(st);
		return 1;
	}
	if (rc != STORE_OK) {
		what = "reading the chain";
		goto fail;
	}
	ar->ar_head_id = cc.cc_last;
	memcpy(ar->ar_head, cc.cc_hash, HASH_SHA256_LEN);
	/* Rows past the head were added without it: the first is the one. */
	if (kept_id < cc.cc_last) {
		store_read_end(st);
		return audit_find(&run, kept_id + 1, 0, "the chain goes on to"
		    " link %" PRId64 ", but its head says %" PRId64 ": links"
		    " after %" PRId64 " were added, or the head was changed",
		    cc.cc_last, kept_id, kept_id);
	}
	if (kept_id != cc.cc_last ||
	    memcmp(kept, cc.cc_hash, HASH_SHA256_LEN) != 0) {
		store_read_end(st);
		return audit_find(&run, cc.cc_last + 1, 0, "the chain ends at"
		    " link %" PRId64 ", but its head says %" PRId64 ": links"
		    " after %" PRId64 " were removed, or the head was changed",
		    cc.cc_last, kept_id, cc.cc_last);
	}
	if (cc.cc_want_id > cc.cc_last) {
		store_read_end(st);
		return audit_find(&run, cc.cc_last + 1, 0, "the chain ends at"
		    " link %" PRId64 ", before the head %" PRId64 " it was"
		    " expected to hold", cc.cc_last, head_id);
	}
	if ((rc = audit_facts(st, &run)) != STORE_OK) {
		what = "reading the facts of cases";
		goto fail;
	}
	if ((rc = audit_routes(st, &run)) != STORE_OK) {
		what = "reading the routes";
		goto fail;
	}
	store_read_end(st);
	return ar->ar_findings > 0;
fail:
	snprintf(ar->ar_msg, sizeof(ar->ar_msg), "%s: %s", what,
	    store_errmsg(st));
	store_read_end(st);
	return -1;
}

/*
 * One link.  A transition's or a mark's hash must match its content and
 * the link before it; a gap (a transition destroyed with its case) is
 * taken as it is, but must still follow the link before it.  The first
 * wrong link stops the walk: what follows it cannot be judged.
 */
static enum store_status
link_cb(const struct chain_link *cl, void *arg)
{
	struct chain_check	*cc = arg;
	struct audit_run	*run = cc->cc_run;
	struct audit_report	*ar = run->au_report;
	const unsigned char	*prev, *hash;
	int64_t			 id, case_id;

	if (cl->cl_transition != NULL) {
		id = cl->cl_transition->t_id;
		case_id = cl->cl_transition->t_case;
		prev = cl->cl_transition->t_prev;
		hash = cl->cl_transition->t_hash;
	} else if (cl->cl_gap != NULL) {
		id = cl->cl_gap->g_id;
		case_id = cl->cl_gap->g_case;
		prev = cl->cl_gap->g_prev;
		hash = cl->cl_gap->g_hash;
	} else if (cl->cl_mark != NULL) {
		id = cl->cl_mark->mk_id;
		case_id = cl->cl_mark->mk_case;
		prev = cl->cl_mark->mk_prev;
		hash = cl->cl_mark->mk_hash;
	} else {
		id = cl->cl_route->rt_link;
		case_id = 0;
		prev = cl->cl_route->rt_prev;
		hash = cl->cl_route->rt_hash;
	}
	if (id == cc->cc_last) {
		cc->cc_broken = audit_find(run, id, case_id, "link %" PRId64
		    " is there twice: as a transition, a gap a destroyed case"
		    " left, or a mark", id);
		return STORE_NOTFOUND;
	}
	if (id != cc->cc_last + 1) {
		cc->cc_broken = audit_find(run, cc->cc_last + 1, 0, "transition"
		    " %" PRId64 " is missing: the chain goes from %" PRId64
		    " to %" PRId64, cc->cc_last + 1, cc->cc_last, id);
		return STORE_NOTFOUND;
	}
	if (cl->cl_gap != NULL)
		ar->ar_gaps++;
	else if ((cc->cc_broken = link_content(run, cl, id, cc->cc_from)))
		return STORE_NOTFOUND;
	if (cl->cl_mark != NULL || cl->cl_route != NULL)
		ar->ar_marks++;
	if (memcmp(prev, cc->cc_hash, HASH_SHA256_LEN) != 0) {
		cc->cc_broken = audit_find(run, id, case_id, "transition %"
		    PRId64 " of case %" PRId64 " does not follow link %" PRId64
		    ": a transition was inserted, removed, changed or moved"
		    " there", id, case_id, cc->cc_last);
		return STORE_NOTFOUND;
	}
	if (id == cc->cc_want_id &&
	    memcmp(hash, cc->cc_want, HASH_SHA256_LEN) != 0) {
		cc->cc_broken = audit_find(run, id, case_id, "transition %"
		    PRId64 " is not the one the expected head names: the chain"
		    " up to it was rewritten", id);
		return STORE_NOTFOUND;
	}
	memcpy(cc->cc_hash, hash, HASH_SHA256_LEN);
	cc->cc_last = id;
	ar->ar_links++;
	return STORE_OK;
}

/*
 * A transition's, a mark's or a route log line's content against its
 * hash, in the encoding of its place in the chain; and its columns as
 * stored against those termijn writes, which encoding 1 alone does not
 * cover (it cannot tell NULL from '', text from a blob, or see past a
 * NUL).  Marks and route log lines are links from encoding 2 on only.
 */
static int
link_content(struct audit_run *run, const struct chain_link *cl, int64_t id,
    int64_t from)
{
	const struct transition_row	*t = cl->cl_transition;
	const struct chain_mark_row	*mk = cl->cl_mark;
	struct chain_value		 v[AUDIT_TRANSITION_NVALUES];
	unsigned char			 h[HASH_SHA256_LEN];
	char				 why[256];
	int				 odd;

	if (t != NULL) {
		if (id >= from)
			audit_hash_values(AUDIT_DOMAIN_TRANSITION, t->t_prev,
			    cl->cl_values, cl->cl_nvalues, h);
		else
			audit_hash_v1(t->t_prev, t, h);
		audit_transition_values(t, v);
		odd = not_as_written(cl->cl_values, v, AUDIT_TRANSITION_NVALUES,
		    transition_columns, why, sizeof(why));
		if (memcmp(h, t->t_hash, HASH_SHA256_LEN) != 0 || odd)
			return audit_find(run, id, t->t_case, "transition %"
			    PRId64 " of case %" PRId64 " was changed: %s", id,
			    t->t_case, odd ? why : "its content does not match"
			    " its hash");
		return 0;
	}
	if (cl->cl_route != NULL)
		return route_content(run, cl, id, from);
	if (id < from)
		return audit_find(run, id, mk->mk_case, "mark %" PRId64 " (%s,"
		    " case %" PRId64 ") comes before link %" PRId64 ", where"
		    " marks begin: it was inserted, or the start of the"
		    " chain's encoding was changed", id, mk->mk_kind,
		    mk->mk_case, from);
	audit_hash_values(AUDIT_DOMAIN_MARK, mk->mk_prev, cl->cl_values,
	    cl->cl_nvalues, h);
	audit_mark_values(mk, v);
	odd = not_as_written(cl->cl_values, v, AUDIT_MARK_NVALUES,
	    mark_columns, why, sizeof(why));
	if (memcmp(h, mk->mk_hash, HASH_SHA256_LEN) != 0 || odd)
		return audit_find(run, id, mk->mk_case, "mark %" PRId64 " (%s,"
		    " case %" PRId64 ") was changed: %s", id, mk->mk_kind,
		    mk->mk_case, odd ? why : "its content does not match its"
		    " hash");
	return 0;
}

static int
route_content(struct audit_run *run, const struct chain_link *cl, int64_t id,
    int64_t from)
{
	const struct route_row	*rt = cl->cl_route;
	struct chain_value	 v[AUDIT_ROUTE_NVALUES];
	unsigned char		 h[HASH_SHA256_LEN];
	char			 why[256];
	int			 odd;

	if (id < from)
		return audit_find(run, id, 0, "line %" PRId64 " of the route log"
		    " (link %" PRId64 ") comes before link %" PRId64 ", where"
		    " the route log's links begin: it was inserted, or the"
		    " start of the chain's encoding was changed", rt->rt_id, id,
		    from);
	audit_hash_values(AUDIT_DOMAIN_ROUTE, rt->rt_prev, cl->cl_values,
	    cl->cl_nvalues, h);
	audit_route_values(rt, v);
	odd = not_as_written(cl->cl_values, v, AUDIT_ROUTE_NVALUES,
	    route_columns, why, sizeof(why));
	if (memcmp(h, rt->rt_hash, HASH_SHA256_LEN) != 0 || odd)
		return audit_find(run, id, 0, "line %" PRId64 " of the route log"
		    " (link %" PRId64 ") was changed: %s", rt->rt_id, id, odd ?
		    why : "its content does not match its hash");
	return 0;
}

/* The first column stored otherwise than termijn writes it, described. */
static int
not_as_written(const struct chain_value *stored,
    const struct chain_value *written, size_t n, const char *const *names,
    char *why, size_t len)
{
	char	s[96], w[96];
	size_t	i;
	int	private;

	for (i = 0; i < n; i++) {
		if (audit_value_equal(&stored[i], &written[i]))
			continue;
		/* A note never leaves the database but via the API. */
		private = strcmp(names[i], "note") == 0;
		audit_value_str(&stored[i], private, s, sizeof(s));
		audit_value_str(&written[i], private, w, sizeof(w));
		snprintf(why, len, "its %s holds %s where termijn writes %s",
		    names[i], s, w);
		return 1;
	}
	return 0;
}
