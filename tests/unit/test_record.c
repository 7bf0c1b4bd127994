/* termijn: the log lines a transaction records, sent once it is on disk. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "termijn/record.h"
#include "termijn/util.h"

/* What the record sent to the log (stderr, kept in a file), then empty it. */
static char *
sent(FILE *fp)
{
	static char	 buf[4096];
	size_t		 n;

	fflush(stderr);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	if (ftruncate(fileno(fp), 0) == -1)
		fail_msg("ftruncate");
	rewind(fp);
	return buf;
}

/*
 * A group commit whose flush to disk comes later keeps its lines while
 * the next transaction records its own: marks count every line ever
 * recorded, so that each batch's lines go out when it is on disk, a
 * rollback takes back only its own, and a mark from before a flush cuts
 * nothing that was sent or kept.
 */
static void
test_marks_across_flushes(void **state)
{
	struct record	*rc;
	FILE		*fp;
	size_t		 m1, m2;

	(void)state;
	assert_non_null(fp = tmpfile());
	if (dup2(fileno(fp), STDERR_FILENO) == -1)
		fail_msg("dup2");
	log_init("test_record", 1, LOG_USER);
	rc = record_new(NULL);

	record_note(rc, "a");
	record_note(rc, "b");
	m1 = record_mark(rc);		/* the first batch committed */
	record_note(rc, "c");
	record_note(rc, "d");
	m2 = record_mark(rc);		/* the second */
	assert_string_equal(sent(fp), "");
	record_flush_to(rc, m1);	/* the first is on disk */
	assert_string_equal(sent(fp), "a\nb\n");

	record_note(rc, "e");		/* a third, rolled back */
	record_cut(rc, m2);
	record_flush_to(rc, m2);
	assert_string_equal(sent(fp), "c\nd\n");

	record_note(rc, "f");
	record_cut(rc, 0);		/* from before the flushes: cuts nothing */
	record_cut(rc, m1);
	record_flush_to(rc, m1);	/* already sent: nothing again */
	assert_string_equal(sent(fp), "");
	record_flush(rc);
	assert_string_equal(sent(fp), "f\n");
	assert_int_equal(record_mark(rc), m2 + 1);

	record_free(rc);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_across_flushes),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
