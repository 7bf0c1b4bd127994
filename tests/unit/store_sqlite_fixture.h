/* termijn: the set-up the SQLite store's own tests share. */
#ifndef TERMIJN_TEST_STORE_SQLITE_FIXTURE_H
#define TERMIJN_TEST_STORE_SQLITE_FIXTURE_H

#include "store_fixture.h"

/* A new SQLite file in a directory of its own, opened as a store. */
static int
sqlite_setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	char		 err[256];

	fixture_dir(fx->dir, sizeof(fx->dir));
	snprintf(fx->location, sizeof(fx->location), "%s/store.db", fx->dir);
	if ((fx->st = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open %s: %s", fx->location, err);
	*state = fx;
	return 0;
}

/*
 * Another store on the test's database: another writer to SQLite, as
 * termijnctl --db is.
 */
static struct store *
other_store(struct fixture *fx)
{
	struct store	*other;
	char		 err[256];

	if ((other = store_open(fx->location, err, sizeof(err))) == NULL)
		fail_msg("store_open: %s", err);
	return other;
}

#endif /* TERMIJN_TEST_STORE_SQLITE_FIXTURE_H */
