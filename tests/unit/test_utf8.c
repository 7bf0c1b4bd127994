/* termijn: unit tests for the UTF-8 checks on what is stored and answered. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "termijn/utf8.h"
#include "termijn/util.h"

/* Each byte that does not start a well-formed sequence becomes '?'. */
static void
test_scrub(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "", "" },
		{ "plain \t\x1b", "plain \t\x1b" },		/* as is */
		{ "co\xc3\xb6rdinatie", "co\xc3\xb6rdinatie" },
		{ "\xe2\x82\xac", "\xe2\x82\xac" },		/* U+20AC */
		{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },	/* U+10FFFF */
		{ "\xf4\x90\x80\x80", "????" },			/* too big */
		{ "\xf5\x80\x80\x80", "????" },
		{ "\xc3", "?" },				/* cut short */
		{ "ab\xe2\x82", "ab??" },
		{ "\xc0\xaf", "??" },				/* overlong */
		{ "\xe0\x80\xaf", "???" },
		{ "\xf0\x80\x80\xaf", "????" },
		{ "\xed\xa0\x80", "???" },			/* surrogate */
		{ "\xed\x9f\xbf", "\xed\x9f\xbf" },		/* U+D7FF */
		{ "\x80x\xbf", "?x?" },				/* stray */
		{ "\xff\xfe", "??" },
		{ "\xc3\xc3\xb6", "?\xc3\xb6" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < nitems(cases); i++) {
		s = xstrdup(cases[i].in);
		utf8_scrub(s);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void
test_decode(void **state)
{
	uint32_t	cp;

	assert_int_equal(utf8_decode("A", &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(utf8_decode("\xc3\xb6", &cp), 2);
	assert_int_equal(cp, 0xf6);
	assert_int_equal(utf8_decode("\xe2\x82\xac!", &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("", &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x82", &cp), 0);
}

/* How far s is UTF-8: a NUL is a character, a cut sequence is not. */
static void
test_span(void **state)
{
	static const struct {
		const char	*in;
		size_t		 len;
		size_t		 span;
	} cases[] = {
		{ "", 0, 0 },
		{ "plain", 5, 5 },
		{ "co\xc3\xb6rdinatie", 12, 12 },
		{ "\xf0\x9f\x98\x80!", 5, 5 },		/* U+1F600 */
		{ "a\0b", 3, 3 },			/* a NUL inside */
		{ "ab\xc3", 3, 2 },			/* cut at the end */
		{ "ab\xe2\x82\xac", 4, 2 },		/* len cuts the euro */
		{ "\xff", 1, 0 },
		{ "ok\xed\xa0\x80ok", 7, 2 },		/* a surrogate */
		{ "ok\xc0\xafok", 6, 2 },		/* overlong */
		{ "\xf4\x90\x80\x80", 4, 0 },		/* past U+10FFFF */
	};
	char	buf[16];
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		/* What follows len is a NUL, as utf8_span asks. */
		memset(buf, 0, sizeof(buf));
		memcpy(buf, cases[i].in, cases[i].len);
		if (utf8_span(buf, cases[i].len) != cases[i].span)
			fail_msg("case %zu: span %zu, not %zu", i,
			    utf8_span(buf, cases[i].len), cases[i].span);
	}
}

/* What utf8_scrub marks with '?' is U+FFFD; the rest is kept. */
static void
test_replace(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "", "" },
		{ "afgr\xc3\xa9\xc3\xa9n", "afgr\xc3\xa9\xc3\xa9n" },
		{ "afgr\xc3", "afgr\xef\xbf\xbd" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xff\xe2\x82\xac\xfe",
		    "\xef\xbf\xbd\xe2\x82\xac\xef\xbf\xbd" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < nitems(cases); i++) {
		s = utf8_replace(cases[i].in);
		assert_string_equal(s, cases[i].out);
		assert_int_equal(utf8_span(s, strlen(s)), strlen(s));
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
