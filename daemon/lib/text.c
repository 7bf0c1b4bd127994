/* termijn: the free text a person writes, checked against its limit. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "termijn/quote.h"
#include "termijn/text.h"
#include "termijn/utf8.h"

/*
 * Free text is refused, never cut: a note cut at a byte count loses its
 * end without a word, and a cut inside a character leaves text that is
 * not UTF-8, which a JSON answer cannot carry at all, so that the whole
 * note vanished from the history and the export a citizen asked for.
 */
int
text_check(const char *field, const char *s, size_t max, char *err,
    size_t errlen)
{
	size_t	len = strlen(s), good;

	if ((good = utf8_span(s, len)) != len) {
		snprintf(err, errlen, "%s is not UTF-8 text: byte %zu is no"
		    " part of a UTF-8 character", field, good + 1);
		return -1;
	}
	if (len > max) {
		snprintf(err, errlen, "%s is %zu bytes long; it may be at most"
		    " %zu bytes of UTF-8 (in which an accented letter takes 2)",
		    field, len, max);
		return -1;
	}
	return 0;
}

/*
 * A name is shown in tables, terminals and the dashboard's lists, each on
 * a line: what would break a line or reorder the text around it is
 * refused, as in a workflow's titles (workflow_title.c), and so are
 * spaces at its ends, which would make two names that look alike differ.
 */
int
text_check_name(const char *field, const char *s, size_t max, char *err,
    size_t errlen)
{
	const char	*p;
	uint32_t	 cp;
	size_t		 n, len = strlen(s);

	if (text_check(field, s, max, err, errlen) == -1)
		return -1;
	if (len == 0 || strspn(s, " ") == len) {
		snprintf(err, errlen, "%s must not be empty", field);
		return -1;
	}
	if (s[0] == ' ' || s[len - 1] == ' ') {
		snprintf(err, errlen, "%s must not begin or end with a space",
		    field);
		return -1;
	}
	for (p = s; *p != '\0'; p += n) {
		n = utf8_decode(p, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
		    cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			snprintf(err, errlen, "%s must be one line without"
			    " control characters (U+%04X at byte %zu)", field,
			    (unsigned)cp, (size_t)(p - s) + 1);
			return -1;
		}
	}
	return 0;
}

int
text_copy(char *dst, size_t size, const char *s)
{
	size_t	len = strlen(s);

	if (size == 0)
		return -1;
	if (len >= size) {
		dst[0] = '\0';
		return -1;
	}
	memcpy(dst, s, len + 1);
	return 0;
}

/*
 * A lexical walk, not a parse: jansson has refused the text already, so
 * only strings, nesting and the colons and commas of the top level count.
 * A string at the top level before its colon is a member's name; every
 * string after it, nested or not, belongs to that member's value.
 */
int
text_json_member(const char *text, size_t len, size_t pos, char *name,
    size_t namelen)
{
	size_t	i, start = 0, kstart = 0, klen = 0;
	int	in = 0, esc = 0, depth = 0, value = 0;

	for (i = 0; i < len && i < pos; i++) {
		if (in) {
			if (esc)
				esc = 0;
			else if (text[i] == '\\')
				esc = 1;
			else if (text[i] == '"') {
				in = 0;
				if (depth == 1 && !value) {
					kstart = start;
					klen = i - start;
				}
			}
			continue;
		}
		switch (text[i]) {
		case '"':
			in = 1;
			start = i + 1;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			break;
		case ':':
			if (depth == 1)
				value = 1;
			break;
		case ',':
			if (depth == 1)
				value = 0;
			break;
		}
	}
	if (!in || !value || depth < 1)
		return 0;
	quote_input(text + kstart, klen, name, namelen);
	return 1;
}
