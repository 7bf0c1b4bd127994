/* termijn: bearer tokens, stored only as SHA-256 hashes. */
#ifndef TERMIJN_TOKEN_H
#define TERMIJN_TOKEN_H

#include <stddef.h>

#include "termijn/hash.h"

#define TOKEN_LEN	48	/* "tmj_" and 43 base64url characters, NUL */

/* A new random token and its hash. */
int	 token_generate(char out[TOKEN_LEN],
	    unsigned char hash[HASH_SHA256_LEN]);
void	 token_hash(const char *, unsigned char hash[HASH_SHA256_LEN]);

#endif /* TERMIJN_TOKEN_H */
