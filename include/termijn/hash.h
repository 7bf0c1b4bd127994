/* termijn: SHA-256, for token hashes, request digests and workflow digests. */
#ifndef TERMIJN_HASH_H
#define TERMIJN_HASH_H

#include <stddef.h>

#define HASH_SHA256_LEN		32	/* bytes of a SHA-256 digest */
#define HASH_SHA256_HEX_LEN	65	/* its 64 hex digits and NUL */

/* hash.c: SHA-256 of a buffer, as bytes or as lowercase hex. */
void	 hash_sha256(const void *, size_t, unsigned char out[HASH_SHA256_LEN]);
void	 hash_sha256_hex(const void *, size_t, char out[HASH_SHA256_HEX_LEN]);
void	 hash_hex(const unsigned char[HASH_SHA256_LEN],
	    char out[HASH_SHA256_HEX_LEN]);
int	 hash_unhex(const char *, unsigned char out[HASH_SHA256_LEN]);

#endif /* TERMIJN_HASH_H */
