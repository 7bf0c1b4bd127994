/* termijn: bearer tokens, stored only as SHA-256 hashes. */

#include <string.h>
#include <sys/random.h>

#include "termijn/hash.h"
#include "termijn/token.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * 32 random bytes from the kernel, written as 43 base64url characters behind
 * "tmj_".  With 256 bits of entropy a plain SHA-256 suffices to store them.
 */
int
token_generate(char out[TOKEN_LEN], unsigned char hash[HASH_SHA256_LEN])
{
	unsigned char	 raw[33];
	size_t		 i, o = 0;

	if (getrandom(raw, 32, 0) != 32)
		return -1;
	raw[32] = 0;
	memcpy(out, "tmj_", 4);
	o = 4;
	for (i = 0; i < 32; i += 3) {
		unsigned int v = raw[i] << 16 | raw[i + 1] << 8 |
		    (i + 2 < 33 ? raw[i + 2] : 0);
		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		if (i + 1 < 32)
			out[o++] = b64url[(v >> 6) & 63];
		if (i + 2 < 32)
			out[o++] = b64url[v & 63];
	}
	out[o] = '\0';
	token_hash(out, hash);
	return 0;
}

void
token_hash(const char *token, unsigned char hash[HASH_SHA256_LEN])
{
	hash_sha256(token, strlen(token), hash);
}
