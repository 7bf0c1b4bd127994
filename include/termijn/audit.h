/* termijn: the audit chain through every transition, and its verification. */
#ifndef TERMIJN_AUDIT_H
#define TERMIJN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/hash.h"

struct store;
struct transition_row;
struct chain_mark_row;
struct chain_value;
struct route_row;

/*
 * The chain runs through every link in id order: each transition of every
 * case, marks (a case's destruction; the owning team of a case that
 * existed when the chain began to hold owners), and every change of a
 * route (which team a join brings in).  A link's hash is SHA-256
 * over the hash of the link before it (32 zero bytes for the first) and
 * its content.  The id is in it, so a link cannot move; the previous hash
 * is in it, so none can be taken out or slipped in.
 *
 * Encoding 2, the canonical one, hashes each column exactly as stored:
 * first a domain, "termijn transition 2" or "termijn mark 2" with its NUL,
 * then the previous hash, then per column a type byte and its value: 'N'
 * for NULL (nothing follows), 'I' and 8 bytes of a big-endian two's
 * complement integer, 'R' and the 8 bytes of a big-endian IEEE 754 double,
 * 'T' for text and 'B' for a blob, each with an 8-byte big-endian length
 * and every byte, NULs included.  So NULL and '', text and blob, and bytes
 * after a NUL each hash differently.  A transition's columns are
 * AUDIT_TRANSITION_COLUMNS, a mark's AUDIT_MARK_COLUMNS, a line of the
 * route log's ("termijn route 2") AUDIT_ROUTE_COLUMNS, in that order.
 *
 * Encoding 1 hashed a transition of a termijn before schema version 9: the
 * previous hash, then the fields id, case, at, recorded_at, from, to,
 * cause, event, actor, note, basis and detail as netstrings ("length:bytes,"
 * of the decimal number or the text, NULL as empty).  The links before the
 * one store_chain_encoding names keep it; they are checked with it, and
 * besides must be stored exactly as termijn writes them (text, no NUL,
 * NULL for an empty optional field), which encoding 1 alone cannot tell.
 */
#define AUDIT_TRANSITION_NVALUES	15
#define AUDIT_TRANSITION_COLUMNS \
	"id", "case_id", "at", "recorded_at", "from_state", "to_state", \
	"cause", "event", "actor", "note", "basis", "detail", "workflow", \
	"version", "final"
#define AUDIT_MARK_NVALUES		9
#define AUDIT_MARK_COLUMNS \
	"id", "kind", "case_id", "at", "actor", "team", "workflow", \
	"version", "final"
#define AUDIT_ROUTE_NVALUES		8
#define AUDIT_ROUTE_COLUMNS \
	"link", "action", "function", "for_team", "for_org", "team", "at", \
	"actor"

/*
 * A transition's and a mark's columns as termijn writes them: what the
 * store binds, and what encoding 2 hashes.  Text points into the row.
 */
void	 audit_transition_values(const struct transition_row *,
	    struct chain_value *);		/* AUDIT_TRANSITION_NVALUES */
void	 audit_mark_values(const struct chain_mark_row *,
	    struct chain_value *);		/* AUDIT_MARK_NVALUES */
void	 audit_route_values(const struct route_row *,
	    struct chain_value *);		/* AUDIT_ROUTE_NVALUES */
/* Encoding 2 over a row as termijn writes it, or over values as stored. */
void	 audit_hash(const unsigned char prev[HASH_SHA256_LEN],
	    const struct transition_row *, unsigned char out[HASH_SHA256_LEN]);
void	 audit_hash_mark(const unsigned char prev[HASH_SHA256_LEN],
	    const struct chain_mark_row *, unsigned char out[HASH_SHA256_LEN]);
void	 audit_hash_route(const unsigned char prev[HASH_SHA256_LEN],
	    const struct route_row *, unsigned char out[HASH_SHA256_LEN]);
void	 audit_hash_values(const char *domain,
	    const unsigned char prev[HASH_SHA256_LEN],
	    const struct chain_value *, size_t,
	    unsigned char out[HASH_SHA256_LEN]);
#define AUDIT_DOMAIN_TRANSITION	"termijn transition 2"
#define AUDIT_DOMAIN_MARK	"termijn mark 2"
#define AUDIT_DOMAIN_ROUTE	"termijn route 2"
/* Encoding 1: only for the links written before encoding 2. */
void	 audit_hash_v1(const unsigned char prev[HASH_SHA256_LEN],
	    const struct transition_row *, unsigned char out[HASH_SHA256_LEN]);
/* Whether two values are the same type and value, byte for byte. */
int	 audit_value_equal(const struct chain_value *,
	    const struct chain_value *);
/*
 * A value for a person: 'text', NULL, a number, "a blob of N bytes"; with
 * private set (a note), never the text itself, only its length.
 */
void	 audit_value_str(const struct chain_value *, int private, char *,
	    size_t);

struct audit_report {
	int64_t	ar_links;		/* links checked */
	int64_t	ar_gaps;		/* of those, left by destroyed cases */
	int64_t	ar_marks;		/* of those, marks and route changes */
	int64_t	ar_cases;		/* cases whose rows were checked */
	int64_t	ar_head_id;		/* the last link */
	unsigned char ar_head[HASH_SHA256_LEN];
	int64_t	ar_findings;		/* what is wrong, counted */
	int64_t	ar_bad;			/* the first link that is wrong; 0:
					   none, or a case's tables are */
	int64_t	ar_bad_case;
	char	ar_msg[512];		/* the first finding */
};

/* One thing that is wrong: about a link, about a case, or both. */
struct audit_finding {
	int64_t		 af_link;	/* 0: about a case's tables */
	int64_t		 af_case;	/* 0: about no one case */
	const char	*af_msg;	/* the case, and what disagrees */
};
typedef void audit_finding_cb(const struct audit_finding *, void *);

/*
 * Check the whole chain, then the tables against it.  The chain: every
 * link against its content and the one before it, the ids without holes,
 * the head the store keeps, and with an expected head (from an earlier
 * verification or a syslog line, id 0 for none) that the chain still holds
 * it; the first wrong link stops this, as what follows it cannot be judged.
 * The tables: for every case, what decides who sees it and where it stands
 * (its owning team, workflow and version, state, whether it is closed, the
 * team that coordinates it, to whom it is assigned, the teams that take
 * part and on what basis, from when to when) must be what its transitions
 * say; a case in the chain's gaps must be gone, with its tombstone and the
 * mark of its destruction; a tombstone must have that mark.  The routes
 * must be what the route log's lines, each a link, leave.
 *
 * 0: intact; 1: something is wrong (the report names the first finding,
 * cb gets each); -1: the store failed (message in the report).
 */
int	 audit_verify(struct store *, int64_t head_id,
	    const unsigned char *head, struct audit_report *);
int	 audit_verify_each(struct store *, int64_t head_id,
	    const unsigned char *head, audit_finding_cb *, void *,
	    struct audit_report *);

#endif /* TERMIJN_AUDIT_H */
