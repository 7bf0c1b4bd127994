/* termijn: webhooks: the signature a receiver checks, and when to try again. */
#ifndef TERMIJN_WEBHOOK_H
#define TERMIJN_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

struct outbox_row;

/* "t=<seconds>,v1=<64 hex digits>" and NUL fit in this. */
#define WEBHOOK_SIGNATURE_LEN	96

/*
 * The Termijn-Signature header of a body sent at t (seconds since the
 * epoch): "t=<t>,v1=<hex>", where hex is HMAC-SHA256 with the team's
 * secret over "<t>.<body>".  The timestamp is signed with the body, so a
 * receiver that refuses old timestamps cannot be fed an old request again.
 */
void	 webhook_sign(const void *key, size_t keylen, int64_t t,
	    const char *body, size_t bodylen, char out[WEBHOOK_SIGNATURE_LEN]);

/* How often, and how far apart, a notification is tried. */
struct webhook_policy {
	int	 wp_attempts;		/* then it is dead */
	int64_t	 wp_backoff;		/* ms: the first wait at most */
	int64_t	 wp_backoff_max;	/* ms: no wait longer */
};

/*
 * The wait before the next attempt after n failed ones, "full jitter":
 * uniform in [0, min(max, backoff * 2^(n-1))], drawn from rnd.
 */
int64_t	 webhook_backoff(const struct webhook_policy *, int n, uint64_t rnd);

enum webhook_result {
	WEBHOOK_DELIVERED,	/* the receiver answered 2xx */
	WEBHOOK_FAILED,		/* anything else: try again, or dead */
	WEBHOOK_UNDELIVERABLE,	/* nowhere to send it: dead, no attempt */
};

/*
 * An attempt's outcome, on the row the notifier took: attempts, status
 * (delivered, pending with its next attempt, or dead), last_error,
 * delivered_at.  The last error stays with a row that went through later.
 */
void	 webhook_outcome(struct outbox_row *, const struct webhook_policy *,
	    enum webhook_result, const char *error, int64_t now, uint64_t rnd);

#endif /* TERMIJN_WEBHOOK_H */
