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
#include "termijn/token.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "bench_cases.h"

static void
fill(size_t i, struct case_input *in, char *ref, size_t reflen, char *team,
    size_t teamlen, void *arg)
{
	(void)arg;
	in->ci_workflow = "zelfmelding";
	snprintf(ref, reflen, "B-%zu", i);
	snprintf(team, teamlen, "team");
}

int
main(int argc, char *argv[])
{
	struct fire_result	 fr;
	struct errlist		 errs;
	struct registry		*reg;
	struct store		*st;
	struct engine		*en;
	struct actor		 who = { 1, "bench", "caseworker", "team", NULL,
				    NULL };
	char			 err[256], path[256], token[TOKEN_LEN];
	int64_t			 start, due, t0, t1, now;
	size_t			 cases, batch, total = 0, batches = 0;

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
	en = engine_new(st, reg);
	if (engine_pin_workflows(en, reg, 1, &errs) == -1)
		fatalx("pin: %s", errs.el_msgs[0]);
	cal_parse_time("2026-01-05T10:00:00+01:00", &start);
	cal_parse_time("2026-02-17T00:00:00+01:00", &due);

	t0 = clock_monotonic();
	bench_people(en, "team", token, sizeof(token));
	bench_register(en, &who, cases, 1000, start, fill, NULL, NULL);
	t1 = clock_monotonic();
	printf("registered %zu cases in %lld ms\n", cases, (long long)(t1 - t0));
	fflush(stdout);
	if (getenv("BENCH_PAUSE") != NULL)
		sleep(2);	/* room to attach a profiler to the firing alone */

	/*
	 * What fell due before the moment (reminders) fires first, untimed.
	 * The engine's syslog lines go to stderr: send them elsewhere
	 * (2>/dev/null) to leave their cost out.
	 */
	do
		if (engine_batch_fire(en, due - 1, batch, &fr) != STORE_OK)
			fatalx("fire failed");
	while (fr.fr_fired > 0 || fr.fr_again);

	now = due;
	t0 = clock_monotonic();
	for (;;) {
		if (engine_batch_fire(en, now, batch, &fr) != STORE_OK)
			fatalx("fire failed");
		if (fr.fr_fired == 0 && !fr.fr_again)
			break;
		total += fr.fr_fired;
		batches++;
	}
	t1 = clock_monotonic();
	printf("fired %zu deadlines in %zu batches of at most %zu: %lld ms"
	    " (%.1f us each), each batch one transaction\n", total, batches,
	    batch, (long long)(t1 - t0),
	    total ? (double)(t1 - t0) * 1000 / total : 0.0);
	engine_free(en);
	store_close(st);
	registry_free(reg);
	errlist_clear(&errs);
	return 0;
}
