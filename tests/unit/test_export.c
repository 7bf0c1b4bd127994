/* termijn: unit tests for the exports: CSV fields. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/csv.h"
#include "termijn/util.h"

#include "calendar_fixture.h"

/* What a writer wrote into a memory stream; the caller frees it. */
static char *
written(void (*fn)(FILE *, const void *), const void *arg)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	assert_non_null(fp = open_memstream(&text, &len));
	fn(fp, arg);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void
write_text(FILE *fp, const void *arg)
{
	csv_text(fp, arg);
}

static void
write_value(FILE *fp, const void *arg)
{
	csv_value(fp, arg);
}

/* Fields as RFC 4180 and a spreadsheet want them. */
static void
test_csv_fields(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "zegt \"nee\"", "\"zegt \"\"nee\"\"\"" },
		{ "twee\nregels", "\"twee\nregels\"" },
		{ "cr\r\nlf", "\"cr\r\nlf\"" },
		{ "Gemeente Ede, afdeling Inkomen", "\"Gemeente Ede, afdeling"
		    " Inkomen\"" },
		{ "één", "één" },
		/* What a spreadsheet would run as a formula is text. */
		{ "=1+1", "\"'=1+1\"" },
		{ "+31", "\"'+31\"" },
		{ "-x", "\"'-x\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "=\"x\"", "\"'=\"\"x\"\"\"" },
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		got = written(write_text, cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* JSON values as a spreadsheet reads them. */
static void
test_csv_values(void **state)
{
	static const struct {
		const char	*json;
		const char	*out;
	} cases[] = {
		{ "\"2026-02-17T00:00:00+01:00\"", "2026-02-17 00:00:00" },
		{ "\"2026-05-18T09:00:01.409+02:00\"", "2026-05-18 09:00:01" },
		{ "\"2026-05-18T07:00:01Z\"", "2026-05-18 07:00:01" },
		{ "\"2026-02-16\"", "2026-02-16" },
		{ "\"2026-02-17T00:00\"", "2026-02-17T00:00" },
		{ "\"P6W\"", "P6W" },
		{ "42", "42" },
		{ "-3600", "-3600" },
		{ "0.5", "0.50" },
		{ "33.5", "33.50" },
		{ "true", "true" },
		{ "false", "false" },
		{ "null", "" },
		{ "[{\"name\": \"due\"}, {\"name\": \"after_P2D\"}]",
		    "\"due after_P2D\"" },
		{ "[]", "\"\"" },
	};
	json_t	*v;
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_non_null(v = json_loads(cases[i].json, JSON_DECODE_ANY,
		    NULL));
		got = written(write_value, v);
		assert_string_equal(got, cases[i].out);
		free(got);
		json_decref(v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_csv_values),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
