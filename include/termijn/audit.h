/* termijn: the audit chain through every transition, and its verification. */
#ifndef TERMIJN_AUDIT_H
#define TERMIJN_AUDIT_H

#include <stdint.h>

#include "termijn/hash.h"

struct store;
struct transition_row;

/*
 * The hash of a transition: SHA-256 over the hash of the link before it
 * (32 zero bytes for the first) and the row's content, each field written
 * as its length, a colon, its bytes and a comma, in this order: id, case,
 * at, recorded_at, from, to, cause, event, actor, note, basis, detail.
 * The id is in it, so a row cannot move; the previous hash is in it, so
 * none can be taken out or slipped in.
 */
void	 audit_hash(const unsigned char prev[HASH_SHA256_LEN],
	    const struct transition_row *, unsigned char out[HASH_SHA256_LEN]);

struct audit_report {
	int64_t	ar_links;		/* links checked */
	int64_t	ar_gaps;		/* of those, left by destroyed cases */
	int64_t	ar_head_id;		/* the last link */
	unsigned char ar_head[HASH_SHA256_LEN];
	int64_t	ar_bad;			/* the first transition that is wrong; 0: none */
	int64_t	ar_bad_case;
	char	ar_msg[256];		/* what is wrong with it */
};

/*
 * Walk the whole chain and check every link against its content and the
 * one before it, the ids without holes, and the head the store keeps.
 * With an expected head (from an earlier verification or a syslog line,
 * id 0 for none) the chain must still hold it.  0: intact; 1: broken (the
 * report names the first transition that is wrong and why); -1: the store
 * failed (message in the report).
 */
int	 audit_verify(struct store *, int64_t head_id,
	    const unsigned char *head, struct audit_report *);

#endif /* TERMIJN_AUDIT_H */
