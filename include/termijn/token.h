/* termijn: bearer tokens, stored only as SHA-256 hashes. */
#ifndef TERMIJN_TOKEN_H
#define TERMIJN_TOKEN_H

#include <stddef.h>

#define TOKEN_LEN	48	/* "tmj_" and 43 base64url characters, NUL */

/* A new random token and its hash. */
int	 token_generate(char out[TOKEN_LEN], unsigned char hash[32]);
void	 token_hash(const char *, unsigned char hash[32]);
/* SHA-256 of a buffer as 64 hex digits and NUL. */
void	 sha256_hex(const void *, size_t, char out[65]);
int	 role_valid(const char *);

#endif /* TERMIJN_TOKEN_H */
