/* termijn: SHA-256, for tokens, request fingerprints and workflow digests. */

#include <stddef.h>

#include <openssl/evp.h>

#include "termijn/hash.h"
#include "termijn/util.h"

/* OpenSSL fails here only when it is broken: an invariant, not input. */
void
hash_sha256(const void *buf, size_t len, unsigned char out[HASH_SHA256_LEN])
{
	unsigned int	n = HASH_SHA256_LEN;

	if (EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != HASH_SHA256_LEN)
		fatalx("SHA-256 failed");
}

void
hash_sha256_hex(const void *buf, size_t len, char out[HASH_SHA256_HEX_LEN])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 h[HASH_SHA256_LEN];
	size_t			 i;

	hash_sha256(buf, len, h);
	for (i = 0; i < HASH_SHA256_LEN; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[2 * HASH_SHA256_LEN] = '\0';
}
