/*
 * termijn: how long the engine and the store take to fire many deadlines
 * that fall due at the same moment, without HTTP or syslog in the way.
 * Prints the time per batch and in all; asserts nothing.
 *
 *	bench_fire [cases [batch [db]]]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

int
main(int argc, char *argv[])
{
	struct engine_error	 ee;
	struct case_input	 in;
	struct errlist		 errs;
	struct registry		*reg;
	struct store		*st;
	struct engine		 en;
	char			 err[256], ref[32], path[256];
	int64_t			 id, start, due, t0, t1, now, tc;
	int64_t			 commit_ms = 0;
	size_t			 cases, batch, i, n, total = 0, batches = 0;

	cases = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	batch = argc > 2 ? strtoul(argv[2], NULL, 10) : 256;
	snprintf(path, sizeof(path), "%s", argc > 3 ? argv[3] :
	    "/tmp/termijn-bench-fire.db");
	unlink(path);
	errlist_init(&errs);
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1)
		fatalx("calendar: %s", errs.el_msgs[0]);
	reg = registry_new();
	if (registry_load_dir(reg, TERMIJN_SOURCE_DIR "/workflows", &errs) == -1)
		fatalx("workflows: %s", errs.el_msgs[0]);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	engine_init(&en, st, reg);
	if (engine_pin_workflows(&en, reg, 1, &errs) == -1)
		fatalx("pin: %s", errs.el_msgs[0]);
	cal_parse_time("2026-01-05T10:00:00+01:00", &start);
	cal_parse_time("2026-02-17T00:00:00+01:00", &due);

	t0 = clock_monotonic();
	store_begin(st);
	for (i = 0; i < cases; i++) {
		snprintf(ref, sizeof(ref), "B-%zu", i);
		in = (struct case_input){ "zelfmelding", ref, "team", 0 };
		if (engine_case_create(&en, &in, "bench", start, &id, &ee) == -1)
			fatalx("create: %s", ee.ee_msg);
		if (i % 1000 == 999) {
			store_commit(st);
			store_begin(st);
		}
	}
	store_commit(st);
	engine_log_cut(&en, 0);
	t1 = clock_monotonic();
	printf("registered %zu cases in %lld ms\n", cases, (long long)(t1 - t0));
	fflush(stdout);
	if (getenv("BENCH_PAUSE") != NULL)
		sleep(2);	/* room to attach a profiler to the firing alone */

	/* What fell due before the moment (reminders) fires first, untimed. */
	for (;;) {
		store_begin(st);
		if (engine_fire_due(&en, due - 1, batch, &n, &ee) == -1)
			fatalx("fire: %s", ee.ee_msg);
		store_commit(st);
		engine_log_cut(&en, 0);
		if (n == 0)
			break;
	}

	now = due;
	t0 = clock_monotonic();
	for (;;) {
		store_begin(st);
		if (engine_fire_due(&en, now, batch, &n, &ee) == -1)
			fatalx("fire: %s", ee.ee_msg);
		tc = clock_monotonic();
		if (store_commit(st) != 0)
			fatalx("commit: %s", store_errmsg(st));
		commit_ms += clock_monotonic() - tc;
		engine_log_cut(&en, 0);
		if (n == 0)
			break;
		total += n;
		batches++;
	}
	t1 = clock_monotonic();
	printf("fired %zu deadlines in %zu batches of at most %zu: %lld ms"
	    " (%.1f us each), of which %lld ms in %zu commits\n", total,
	    batches, batch, (long long)(t1 - t0),
	    total ? (double)(t1 - t0) * 1000 / total : 0.0,
	    (long long)commit_ms, batches + 1);
	engine_free(&en);
	store_close(st);
	registry_free(reg);
	errlist_clear(&errs);
	return 0;
}
