/* termijn: json_text writes what json_dumps writes, byte for byte. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "termijn/jsontext.h"
#include "termijn/util.h"

#define FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(15))

static void
same(json_t *o)
{
	char	*want, *got;

	want = json_dumps(o, FLAGS);
	got = json_text(o);
	assert_non_null(want);
	assert_non_null(got);
	if (strcmp(want, got) != 0)
		fail_msg("json_dumps wrote\n%s\njson_text wrote\n%s", want, got);
	free(want);
	free(got);
}

/* An answer as termijnd writes one: every kind of value, order kept. */
static void
test_answer(void **state)
{
	json_t	*o;

	(void)state;
	o = json_pack("{s:I, s:s, s:b, s:n, s:[], s:{}, s:f, s:f, s:f, s:[s, s],"
	    " s:{s:I, s:s}}", "id", (json_int_t)42, "title", "Gezin meldt zelf",
	    "final", 0, "assignee", "deadlines", "participants", "ratio", 5.42,
	    "whole", 3.0, "tiny", 1e-20, "accepts", "family_reported", "x",
	    "inner", "min", (json_int_t)INT64_MIN, "z", "");
	assert_non_null(o);
	json_object_set_new(o, "true", json_true());
	json_object_set_new(o, "max", json_integer(INT64_MAX));
	json_object_set_new(o, "zero", json_integer(0));
	json_object_set_new(o, "minus_one", json_integer(-1));
	json_object_set_new(o, "big", json_real(1.5e300));
	json_object_set_new(o, "negative", json_real(-0.1));
	same(o);
	json_decref(o);
}

/* Strings that JSON escapes, and text beyond ASCII. */
static void
test_strings(void **state)
{
	static const char *const strings[] = {
		"", "plain", "quote \" inside", "back\\slash", "tab\there",
		"line\nbreak\r\n", "\x01\x1f\x7f", "slash / stays",
		"bijzondere bijstand \xc3\xa9\xc3\xa8", "\xe2\x80\xa8 line sep",
		"emoji \xf0\x9f\x98\x80", "\b\f",
	};
	json_t	*o, *a;
	size_t	 i;

	(void)state;
	o = json_object();
	a = json_array();
	for (i = 0; i < nitems(strings); i++) {
		json_array_append_new(a, json_string(strings[i]));
		/* As keys too. */
		json_object_set_new(o, strings[i], json_integer((json_int_t)i));
	}
	json_object_set_new(o, "all", a);
	/* A NUL inside a string (json_stringn). */
	json_object_set_new(o, "nul", json_stringn("a\0b", 3));
	same(o);
	json_decref(o);
}

/* Many trees of random shape and content. */
static json_t *
random_value(unsigned *seed, int depth)
{
	static const char *const words[] = {
		"a", "termijn", "\"", "\\", "\n", "\xc3\xab", "\x02", "",
		"2027-01-19T00:00:00+01:00",
	};
	json_t	*v;
	int	 n, i;
	char	 key[32];

	switch (depth > 4 ? rand_r(seed) % 6 : rand_r(seed) % 8) {
	case 0:
		return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 1:
		return json_real((double)rand_r(seed) / 7.0 - 1000.0);
	case 2:
		return json_string(words[rand_r(seed) % nitems(words)]);
	case 3:
		return rand_r(seed) % 2 ? json_true() : json_false();
	case 4:
		return json_null();
	case 5:
		return json_integer((json_int_t)rand_r(seed) << 31);
	case 6:
		v = json_array();
		n = rand_r(seed) % 5;
		for (i = 0; i < n; i++)
			json_array_append_new(v, random_value(seed, depth + 1));
		return v;
	default:
		v = json_object();
		n = rand_r(seed) % 5;
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "%s%d",
			    words[rand_r(seed) % nitems(words)], i);
			json_object_set_new(v, key, random_value(seed,
			    depth + 1));
		}
		return v;
	}
}

static void
test_random(void **state)
{
	unsigned	 seed = 18;
	json_t		*o;
	int		 i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		o = json_array();
		json_array_append_new(o, random_value(&seed, 0));
		same(o);
		json_decref(o);
	}
}

/* Only an object or an array is an answer. */
static void
test_not_a_document(void **state)
{
	json_t	*s = json_string("x");

	(void)state;
	assert_null(json_text(NULL));
	assert_null(json_text(s));
	json_decref(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_not_a_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
