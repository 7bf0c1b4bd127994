/* termijn: SHA-256, for tokens, request fingerprints and workflow digests. */

#include <stddef.h>
#include <string.h>

#include <openssl/evp.h>

#include "termijn/hash.h"
#include "termijn/util.h"

static int	hexval(char);

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
	unsigned char	h[HASH_SHA256_LEN];

	hash_sha256(buf, len, h);
	hash_hex(h, out);
}

/* A digest as 64 lowercase hex digits and NUL. */
void
hash_hex(const unsigned char h[HASH_SHA256_LEN], char out[HASH_SHA256_HEX_LEN])
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < HASH_SHA256_LEN; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[2 * HASH_SHA256_LEN] = '\0';
}

/* 64 hex digits back into a digest; -1 when they are not. */
int
hash_unhex(const char *s, unsigned char h[HASH_SHA256_LEN])
{
	size_t	i;
	int	hi, lo;

	if (strlen(s) != 2 * HASH_SHA256_LEN)
		return -1;
	for (i = 0; i < HASH_SHA256_LEN; i++) {
		if ((hi = hexval(s[2 * i])) == -1 ||
		    (lo = hexval(s[2 * i + 1])) == -1)
			return -1;
		h[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
