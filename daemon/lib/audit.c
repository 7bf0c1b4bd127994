/* termijn: the audit chain through every transition, and its verification. */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "termijn/audit.h"
#include "termijn/store.h"
#include "termijn/util.h"

static void	 put_field(EVP_MD_CTX *, const char *, size_t);
static void	 put_text(EVP_MD_CTX *, const char *);
static void	 put_int(EVP_MD_CTX *, int64_t);
static enum store_status verify_cb(const struct transition_row *,
		    const struct chain_gap_row *, void *);
static int	 report(struct audit_report *, int64_t, int64_t, const char *,
		    ...) __attribute__((format(printf, 4, 5)));

void
audit_hash(const unsigned char prev[HASH_SHA256_LEN],
    const struct transition_row *t, unsigned char out[HASH_SHA256_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned int	 n = HASH_SHA256_LEN;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, prev, HASH_SHA256_LEN) != 1)
		fatalx("SHA-256 failed");
	put_int(ctx, t->t_id);
	put_int(ctx, t->t_case);
	put_int(ctx, t->t_at);
	put_int(ctx, t->t_recorded_at);
	put_text(ctx, t->t_from);
	put_text(ctx, t->t_to);
	put_text(ctx, t->t_cause);
	put_text(ctx, t->t_event);
	put_text(ctx, t->t_actor);
	put_text(ctx, t->t_note);
	put_text(ctx, t->t_basis);
	put_text(ctx, t->t_detail);
	if (EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != HASH_SHA256_LEN)
		fatalx("SHA-256 failed");
	EVP_MD_CTX_free(ctx);
}

/* One field: its length, a colon, its bytes, a comma (a netstring). */
static void
put_field(EVP_MD_CTX *ctx, const char *s, size_t len)
{
	char	prefix[32];
	int	n;

	n = snprintf(prefix, sizeof(prefix), "%zu:", len);
	if (EVP_DigestUpdate(ctx, prefix, (size_t)n) != 1 ||
	    EVP_DigestUpdate(ctx, s, len) != 1 ||
	    EVP_DigestUpdate(ctx, ",", 1) != 1)
		fatalx("SHA-256 failed");
}

static void
put_text(EVP_MD_CTX *ctx, const char *s)
{
	put_field(ctx, s, strlen(s));
}

static void
put_int(EVP_MD_CTX *ctx, int64_t v)
{
	char	buf[32];
	int	n;

	n = snprintf(buf, sizeof(buf), "%" PRId64, v);
	put_field(ctx, buf, (size_t)n);
}

struct verify {
	struct audit_report	*vf_report;
	int64_t			 vf_last;	/* the id of the last link */
	unsigned char		 vf_hash[HASH_SHA256_LEN];
	int			 vf_broken;
	int64_t			 vf_want_id;	/* a head it must hold, or 0 */
	const unsigned char	*vf_want;
};

static int
report(struct audit_report *ar, int64_t id, int64_t case_id, const char *fmt,
    ...)
{
	va_list	ap;

	ar->ar_bad = id;
	ar->ar_bad_case = case_id;
	va_start(ap, fmt);
	vsnprintf(ar->ar_msg, sizeof(ar->ar_msg), fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * One link.  A transition's own hash must match its content and the link
 * before it; a gap (a transition destroyed with its case) is taken as it
 * is, but must still follow the link before it.  The first wrong link
 * stops the walk: what follows it cannot be judged.
 */
static enum store_status
verify_cb(const struct transition_row *t, const struct chain_gap_row *g,
    void *arg)
{
	struct verify		*vf = arg;
	struct audit_report	*ar = vf->vf_report;
	unsigned char		 h[HASH_SHA256_LEN];
	const unsigned char	*prev, *hash;
	int64_t			 id = t ? t->t_id : g->g_id;
	int64_t			 case_id = t ? t->t_case : g->g_case;

	prev = t ? t->t_prev : g->g_prev;
	hash = t ? t->t_hash : g->g_hash;
	if (id == vf->vf_last) {
		vf->vf_broken = report(ar, id, case_id, "transition %" PRId64
		    " is there twice: as a row and as the gap a destroyed case"
		    " left", id);
		return STORE_NOTFOUND;
	}
	if (id != vf->vf_last + 1) {
		vf->vf_broken = report(ar, vf->vf_last + 1, 0, "transition %"
		    PRId64 " is missing: the chain goes from %" PRId64 " to %"
		    PRId64, vf->vf_last + 1, vf->vf_last, id);
		return STORE_NOTFOUND;
	}
	if (t != NULL) {
		audit_hash(t->t_prev, t, h);
		if (memcmp(h, t->t_hash, HASH_SHA256_LEN) != 0) {
			vf->vf_broken = report(ar, id, case_id, "transition %"
			    PRId64 " of case %" PRId64 " was changed: its"
			    " content does not match its hash", id, case_id);
			return STORE_NOTFOUND;
		}
	} else
		ar->ar_gaps++;
	if (memcmp(prev, vf->vf_hash, HASH_SHA256_LEN) != 0) {
		vf->vf_broken = report(ar, id, case_id, "transition %" PRId64
		    " of case %" PRId64 " does not follow transition %" PRId64
		    ": a transition was inserted, removed, changed or moved"
		    " there", id, case_id, vf->vf_last);
		return STORE_NOTFOUND;
	}
	if (id == vf->vf_want_id &&
	    memcmp(hash, vf->vf_want, HASH_SHA256_LEN) != 0) {
		vf->vf_broken = report(ar, id, case_id, "transition %" PRId64
		    " is not the one the expected head names: the chain up to"
		    " it was rewritten", id);
		return STORE_NOTFOUND;
	}
	memcpy(vf->vf_hash, hash, HASH_SHA256_LEN);
	vf->vf_last = id;
	ar->ar_links++;
	return STORE_OK;
}

int
audit_verify(struct store *st, int64_t head_id, const unsigned char *head,
    struct audit_report *ar)
{
	struct verify		vf;
	unsigned char		kept[HASH_SHA256_LEN];
	int64_t			kept_id = 0;
	enum store_status	rc;

	memset(ar, 0, sizeof(*ar));
	memset(&vf, 0, sizeof(vf));
	vf.vf_report = ar;
	vf.vf_want_id = head != NULL ? head_id : 0;
	vf.vf_want = head;
	memset(kept, 0, sizeof(kept));
	if ((rc = store_chain_head(st, &kept_id, kept)) != STORE_OK &&
	    rc != STORE_NOTFOUND) {
		snprintf(ar->ar_msg, sizeof(ar->ar_msg), "reading the chain's"
		    " head: %s", store_errmsg(st));
		return -1;
	}
	rc = store_chain_walk(st, verify_cb, &vf);
	if (vf.vf_broken)
		return 1;
	if (rc != STORE_OK) {
		snprintf(ar->ar_msg, sizeof(ar->ar_msg), "reading the chain:"
		    " %s", store_errmsg(st));
		return -1;
	}
	ar->ar_head_id = vf.vf_last;
	memcpy(ar->ar_head, vf.vf_hash, HASH_SHA256_LEN);
	/* Rows past the head were added without it: the first is the one. */
	if (kept_id < vf.vf_last)
		return report(ar, kept_id + 1, 0, "the chain goes on to"
		    " transition %" PRId64 ", but its head says %" PRId64 ":"
		    " transitions after %" PRId64 " were added, or the head was"
		    " changed", vf.vf_last, kept_id, kept_id);
	if (kept_id != vf.vf_last ||
	    memcmp(kept, vf.vf_hash, HASH_SHA256_LEN) != 0)
		return report(ar, vf.vf_last + 1, 0, "the chain ends at"
		    " transition %" PRId64 ", but its head says %" PRId64 ":"
		    " transitions after %" PRId64 " were removed, or the head"
		    " was changed", vf.vf_last, kept_id, vf.vf_last);
	if (vf.vf_want_id > vf.vf_last)
		return report(ar, vf.vf_last + 1, 0, "the chain ends at"
		    " transition %" PRId64 ", before the head %" PRId64 " it"
		    " was expected to hold", vf.vf_last, head_id);
	return 0;
}
