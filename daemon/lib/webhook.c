/* termijn: webhooks: the signature a receiver checks, and when to try again. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "termijn/hash.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/webhook.h"

/* OpenSSL fails here only when it is broken: an invariant, not input. */
void
webhook_sign(const void *key, size_t keylen, int64_t t, const char *body,
    size_t bodylen, char out[WEBHOOK_SIGNATURE_LEN])
{
	unsigned char	 mac[HASH_SHA256_LEN];
	unsigned int	 maclen = sizeof(mac);
	char		 prefix[32], hex[HASH_SHA256_HEX_LEN], *msg;
	size_t		 plen;

	plen = (size_t)snprintf(prefix, sizeof(prefix), "%" PRId64 ".", t);
	msg = xmalloc(plen + bodylen + 1);
	memcpy(msg, prefix, plen);
	memcpy(msg + plen, body, bodylen);
	if (HMAC(EVP_sha256(), key, (int)keylen, (unsigned char *)msg,
	    plen + bodylen, mac, &maclen) == NULL || maclen != sizeof(mac))
		fatalx("HMAC-SHA256 failed");
	free(msg);
	hash_hex(mac, hex);
	snprintf(out, WEBHOOK_SIGNATURE_LEN, "t=%" PRId64 ",v1=%s", t, hex);
}

/*
 * Exponential backoff with full jitter (the wait drawn uniformly between
 * nothing and the exponential cap): a receiver that comes back after an
 * outage is not hit by every notification it missed at the same moment,
 * and the cap keeps a long outage from pushing the attempts days apart.
 */
int64_t
webhook_backoff(const struct webhook_policy *wp, int n, uint64_t rnd)
{
	int64_t	cap = wp->wp_backoff;
	int	i;

	for (i = 1; i < n && cap < wp->wp_backoff_max; i++)
		cap = cap > INT64_MAX / 2 ? INT64_MAX : cap * 2;
	if (cap > wp->wp_backoff_max)
		cap = wp->wp_backoff_max;
	if (cap <= 0)
		return 0;
	return (int64_t)(rnd % ((uint64_t)cap + 1));
}

void
webhook_outcome(struct outbox_row *o, const struct webhook_policy *wp,
    enum webhook_result res, const char *error, int64_t now, uint64_t rnd)
{
	switch (res) {
	case WEBHOOK_DELIVERED:
		o->o_attempts++;
		snprintf(o->o_status, sizeof(o->o_status), "delivered");
		o->o_delivered_at = now;
		return;
	case WEBHOOK_FAILED:
		o->o_attempts++;
		break;
	case WEBHOOK_UNDELIVERABLE:
		break;
	}
	snprintf(o->o_last_error, sizeof(o->o_last_error), "%s",
	    error != NULL ? error : "failed");
	if (res == WEBHOOK_UNDELIVERABLE || o->o_attempts >= wp->wp_attempts) {
		snprintf(o->o_status, sizeof(o->o_status), "dead");
		return;
	}
	snprintf(o->o_status, sizeof(o->o_status), "pending");
	o->o_next_at = now + webhook_backoff(wp, o->o_attempts, rnd);
}
