/* termijn: unit tests for how input is echoed inside messages. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "termijn/quote.h"
#include "termijn/util.h"

#define X16	"xxxxxxxxxxxxxxxx"
#define X64	X16 X16 X16 X16

static void
test_quote_input(void **state)
{
	static const struct {
		const char	*in;
		size_t		 n;	/* (size_t)-1: all of it */
		size_t		 len;
		const char	*out;
	} cases[] = {
		{ "P6W", (size_t)-1, QUOTE_LEN, "P6W" },
		{ "a\tb\n\x1b\xc3\xb6", (size_t)-1, QUOTE_LEN, "a?b????" },
		{ "days and more", 4, QUOTE_LEN, "days" },
		{ X64, (size_t)-1, QUOTE_LEN, X64 },		/* no cut */
		{ X64 "y", (size_t)-1, QUOTE_LEN, X64 "..." },
		{ X64 "y", (size_t)-1, QUOTE_MAX + 1, X64 },	/* no room */
		{ "abcdef", (size_t)-1, 4, "abc" },
		{ "abcdef", (size_t)-1, 1, "" },
		{ "a\0b", 3, QUOTE_LEN, "a?b" },	/* a NUL it was given */
	};
	char	buf[QUOTE_LEN];
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		memset(buf, '#', sizeof(buf));
		assert_ptr_equal(quote_input(cases[i].in, cases[i].n ==
		    (size_t)-1 ? strlen(cases[i].in) : cases[i].n, buf,
		    cases[i].len), buf);
		assert_string_equal(buf, cases[i].out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
