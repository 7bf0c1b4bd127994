/* termijn: a JSON value written as compact text, fast. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/jsontext.h"
#include "termijn/util.h"

/*
 * jansson holds every JSON value termijn makes, reads and writes; only
 * the writing of the text is done here.  json_dumps checks each string's
 * UTF-8 again, one character at a time, whenever it writes it (about 90
 * instructions a byte): for a registration's answer of 1.8 kB that was a
 * sixth of all the work termijnd did for it.  A string in a json_t is
 * valid UTF-8 already (jansson checked it when it was made, and termijn
 * makes none without that check), so it is copied here as it is, unless
 * it holds a byte that JSON escapes; that string, and every real number,
 * is still written by jansson itself, so that the text is the same as
 * json_dumps's byte for byte (test_jsontext.c compares them).
 *
 * The flags are those of every answer: JSON_COMPACT and 15 significant
 * digits for reals.  Object members come in the order they were set,
 * as json_dumps writes them since jansson 2.8.
 */

#define JT_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(15) | \
			    JSON_ENCODE_ANY)

struct jt_buf {
	char	*b_text;
	size_t	 b_len;
	size_t	 b_size;
};

static int	 jt_value(struct jt_buf *, json_t *, int);
static void	 jt_string(struct jt_buf *, const char *, size_t);
static void	 jt_integer(struct jt_buf *, json_int_t);
static int	 jt_jansson(struct jt_buf *, json_t *);

/* Bytes a JSON string cannot hold as they are: '"', '\\', controls. */
static const unsigned char jt_escaped[256] = {
	[0x00] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x10] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

char *
json_text(json_t *o)
{
	struct jt_buf	b;

	b.b_size = 1024;
	b.b_len = 0;
	b.b_text = xmalloc(b.b_size);
	if (o == NULL || (!json_is_object(o) && !json_is_array(o)) ||
	    jt_value(&b, o, 0) == -1) {
		free(b.b_text);
		return NULL;
	}
	b.b_text[b.b_len] = '\0';
	return b.b_text;
}

/* Room for n more bytes and the NUL. */
static void
jt_room(struct jt_buf *b, size_t n)
{
	if (b->b_len + n + 1 <= b->b_size)
		return;
	while (b->b_len + n + 1 > b->b_size)
		b->b_size *= 2;
	b->b_text = xreallocarray(b->b_text, b->b_size, 1);
}

static void
jt_add(struct jt_buf *b, const char *s, size_t n)
{
	jt_room(b, n);
	memcpy(b->b_text + b->b_len, s, n);
	b->b_len += n;
}

static void
jt_char(struct jt_buf *b, char c)
{
	jt_room(b, 1);
	b->b_text[b->b_len++] = c;
}

/* As jansson nests no deeper when it writes (JSON_PARSER_MAX_DEPTH). */
#define JT_MAX_DEPTH	2048

static int
jt_value(struct jt_buf *b, json_t *v, int depth)
{
	const char	*key;
	json_t		*m;
	size_t		 i, n;

	if (depth > JT_MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jt_char(b, '{');
		n = 0;
		json_object_foreach(v, key, m) {
			if (n++ > 0)
				jt_char(b, ',');
			jt_string(b, key, strlen(key));
			jt_char(b, ':');
			if (jt_value(b, m, depth + 1) == -1)
				return -1;
		}
		jt_char(b, '}');
		return 0;
	case JSON_ARRAY:
		jt_char(b, '[');
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				jt_char(b, ',');
			if (jt_value(b, json_array_get(v, i), depth + 1) == -1)
				return -1;
		}
		jt_char(b, ']');
		return 0;
	case JSON_STRING:
		jt_string(b, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
		jt_integer(b, json_integer_value(v));
		return 0;
	case JSON_TRUE:
		jt_add(b, "true", 4);
		return 0;
	case JSON_FALSE:
		jt_add(b, "false", 5);
		return 0;
	case JSON_NULL:
		jt_add(b, "null", 4);
		return 0;
	case JSON_REAL:
	default:
		return jt_jansson(b, v);
	}
}

/* A string: as it is, between quotes, unless a byte must be escaped. */
static void
jt_string(struct jt_buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;
	json_t			*j;

	for (i = 0; i < n; i++)
		if (jt_escaped[p[i]])
			break;
	if (i == n) {
		jt_room(b, n + 2);
		b->b_text[b->b_len++] = '"';
		memcpy(b->b_text + b->b_len, s, n);
		b->b_len += n;
		b->b_text[b->b_len++] = '"';
		return;
	}
	/* Escapes as jansson writes them ("\u001F", "\n"): by jansson. */
	if ((j = json_stringn_nocheck(s, n)) == NULL)
		fatalx("json_text: out of memory");
	if (jt_jansson(b, j) == -1)
		fatalx("json_text: jansson could not write a string");
	json_decref(j);
}

/* An integer in decimal, as "%lld" writes it (snprintf took 1,000 instructions). */
static void
jt_integer(struct jt_buf *b, json_int_t v)
{
	char		 num[24], *p = num + sizeof(num);
	uint64_t	 u;

	/* The magnitude, without negating INT64_MIN. */
	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	jt_add(b, p, (size_t)(num + sizeof(num) - p));
}

/* A value json_dumps writes, appended. */
static int
jt_jansson(struct jt_buf *b, json_t *v)
{
	char	*s;

	if ((s = json_dumps(v, JT_FLAGS)) == NULL)
		return -1;
	jt_add(b, s, strlen(s));
	free(s);
	return 0;
}
