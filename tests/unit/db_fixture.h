/* termijn: what the tests on a real SQLite file share. */
#ifndef TERMIJN_TEST_DB_FIXTURE_H
#define TERMIJN_TEST_DB_FIXTURE_H

#include <stdio.h>
#include <unistd.h>

/* Remove a database and the files SQLite keeps beside it. */
static void
unlink_db(const char *path)
{
	char	side[80];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

#endif /* TERMIJN_TEST_DB_FIXTURE_H */
