/* termijn: UTF-8 as RFC 3629 has it, for text that came from outside. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "termijn/utf8.h"
#include "termijn/util.h"

#define UTF8_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

size_t
utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;
	uint32_t		 c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return p[0] != '\0';
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * A message may quote what a client sent, cut at a byte count: what is not
 * UTF-8 (a cut character, a stray byte) becomes '?', byte by byte, so that
 * the text can be written as JSON at all and the rest of it still reads.
 */
void
utf8_scrub(char *s)
{
	uint32_t	cp;
	size_t		n;

	while (*s != '\0') {
		if ((n = utf8_decode(s, &cp)) == 0) {
			*s++ = '?';
			continue;
		}
		s += n;
	}
}

size_t
utf8_span(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		i = 0, n;

	while (i < len) {
		if (s[i] == '\0')
			n = 1;
		else if ((n = utf8_decode(s + i, &cp)) == 0 || n > len - i)
			break;
		i += n;
	}
	return i;
}

char *
utf8_replace(const char *s)
{
	uint32_t	 cp;
	size_t		 n, i = 0, o = 0, bad = 0;
	char		*out;

	for (i = 0; s[i] != '\0'; i += n)
		if ((n = utf8_decode(s + i, &cp)) == 0) {
			n = 1;
			bad++;
		}
	/* Each bad byte grows from 1 to 3 bytes. */
	out = xmalloc(i + 2 * bad + 1);
	for (i = 0; s[i] != '\0'; i += n) {
		if ((n = utf8_decode(s + i, &cp)) == 0) {
			n = 1;
			memcpy(out + o, UTF8_REPLACEMENT, 3);
			o += 3;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}
