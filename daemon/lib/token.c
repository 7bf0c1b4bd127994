/* termijn: bearer tokens, stored only as SHA-256 hashes. */

#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include "termijn/token.h"
#include "termijn/util.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
sha256(const void *buf, size_t len, unsigned char out[32])
{
	unsigned int	n = 32;

	if (EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		fatalx("SHA-256 failed");
}

/*
 * 32 random bytes from the kernel, written as 43 base64url characters behind
 * "tmj_".  With 256 bits of entropy a plain SHA-256 suffices to store them.
 */
int
token_generate(char out[TOKEN_LEN], unsigned char hash[32])
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
token_hash(const char *token, unsigned char hash[32])
{
	sha256(token, strlen(token), hash);
}

void
sha256_hex(const void *buf, size_t len, char out[65])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 h[32];
	size_t			 i;

	sha256(buf, len, h);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

/* The roles termijn knows; issue-specific permissions hang off these. */
int
role_valid(const char *role)
{
	static const char *roles[] = {
		"admin", "caseworker", "youth_worker", "enforcement",
		"supervisor", "system", "reader",
	};
	size_t	i;

	for (i = 0; i < nitems(roles); i++)
		if (strcmp(role, roles[i]) == 0)
			return 1;
	return 0;
}
