/* termijn: SHA-256, for token hashes, request digests and workflow digests. */
#ifndef TERMIJN_HASH_H
#define TERMIJN_HASH_H

#include <stddef.h>

#define HASH_SHA256_LEN		32	/* bytes of a digest */
#define HASH_SHA256_HEX_LEN	65	/* its 64 hex digits and a NUL */

#endif /* TERMIJN_HASH_H */
