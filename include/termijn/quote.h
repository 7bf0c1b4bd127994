/* termijn: what someone typed, echoed inside a message about it. */
#ifndef TERMIJN_QUOTE_H
#define TERMIJN_QUOTE_H

#include <stddef.h>

#define QUOTE_MAX	64		/* bytes of input echoed, at most */
#define QUOTE_LEN	(QUOTE_MAX + 4)	/* a buffer for them, "..." and NUL */

/*
 * quote.c: the first n bytes of s, at most QUOTE_MAX of them, each that is
 * not printable ASCII (a NUL too) as '?', and "..." after a cut when buf
 * has room for it (a QUOTE_LEN buffer has).  Returns buf.
 */
const char *quote_input(const char *s, size_t n, char *buf, size_t len);

#endif /* TERMIJN_QUOTE_H */
