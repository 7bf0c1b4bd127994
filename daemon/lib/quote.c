/* termijn: what someone typed, echoed inside a message about it. */

#include <ctype.h>
#include <string.h>

#include "termijn/quote.h"

/*
 * Input is echoed into messages that end up in JSON, logs and terminals:
 * short and printable ASCII, so that none of them can be broken or flooded
 * by what a client or a file sent.
 */
const char *
quote_input(const char *s, size_t n, char *buf, size_t len)
{
	size_t	i, o = 0;

	if (len == 0)
		return buf;
	for (i = 0; i < n && o + 1 < len; i++) {
		if (i == QUOTE_MAX) {
			if (o + 4 <= len) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		buf[o++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	}
	buf[o] = '\0';
	return buf;
}
