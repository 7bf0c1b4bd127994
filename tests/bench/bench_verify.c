/*
 * termijn: how long does audit verify take on a large database?
 *
 * Builds the database in-process with the core library: zelfmelding cases
 * registered long ago (60 to 120 days back), so that both their deadlines
 * passed at registration and each has three transitions (create and two
 * deadlines passing) and the rows the engine writes beside them; every
 * fourth case also lets a second team take part (a share, a participants
 * row), on the basis of criminal data.  Then opens it read-only, as
 * termijnctl audit verify does, and times audit_verify: the chain, link by
 * link, and the tables against it, case by case; then the two walks alone,
 * without hashing or comparing.  With -k the database is kept and reused.
 *
 * Prints figures; asserts nothing.
 *
 *	bench_verify [-c cases] [-r runs] [-d db] [-k]
 */

#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "termijn/audit.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/token.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "bench_cases.h"

#define TX_CASES	2000
#define OLD_DAYS	60
#define SHARE_EVERY	4

struct build_arg {
	size_t	ba_cases;
	int64_t	ba_now;
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
build_fill(size_t i, struct case_input *in, char *ref, size_t reflen,
    char *team, size_t teamlen, void *arg)
{
	struct build_arg	*ba = arg;

	in->ci_workflow = "zelfmelding";
	snprintf(ref, reflen, "V-%zu", i);
	snprintf(team, teamlen, "jeugd");
	in->ci_started_at = ba->ba_now - (int64_t)(OLD_DAYS * MS_PER_DAY *
	    (1 + (double)i / ba->ba_cases));
}

/* Every SHARE_EVERY-th case: the second team takes part, on consent. */
static void
build_shares(struct engine *en, const struct actor *who, size_t cases,
    int64_t now)
{
	struct share_input	 in;
	struct engine_error	 ee;
	size_t			 i;

	memset(&in, 0, sizeof(in));
	in.sh_team = "handhaving";
	in.sh_basis = "criminal_data";
	for (i = 0; i < cases; i += SHARE_EVERY) {
		if (i % TX_CASES == 0 &&
		    store_begin(engine_store(en)) != STORE_OK)
			fatalx("begin");
		if (engine_case_share(en, who, (int64_t)i + 1, &in, now,
		    &ee) == -1)
			fatalx("share case %zu: %s", i + 1, ee.ee_msg);
		if ((i + SHARE_EVERY) % TX_CASES == 0 || i + SHARE_EVERY >=
		    cases) {
			if (store_commit(engine_store(en)) != STORE_OK)
				fatalx("commit");
		}
	}
}

static void
build(const char *path, size_t cases)
{
	struct build_arg	 ba;
	struct errlist		 errs;
	struct registry		*reg;
	struct store		*st;
	struct engine		*en;
	struct actor		 who = { 1, "bench", "caseworker",
				    "jeugd,handhaving", NULL, NULL };
	char			 err[256], token[TOKEN_LEN], wal[1024];
	double			 t0;

	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	errlist_init(&errs);
	reg = registry_new();
	if (registry_load_dir(reg, TERMIJN_SOURCE_DIR "/workflows",
	    &errs) == -1)
		fatalx("workflows: %s", errs.el_msgs[0]);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	ba.ba_cases = cases;
	ba.ba_now = clock_now();
	en = engine_new(st, reg);
	if (engine_pin_workflows(en, reg, ba.ba_now, &errs) == -1)
		fatalx("pin: %s", errs.el_msgs[0]);
	bench_people(en, "jeugd,handhaving", token, sizeof(token));
	t0 = now_ms();
	bench_register(en, &who, cases, TX_CASES, ba.ba_now, build_fill, &ba,
	    NULL);
	build_shares(en, &who, cases, ba.ba_now);
	printf("built %zu cases in %.1f s\n", cases, (now_ms() - t0) / 1000);
	engine_free(en);
	store_close(st);
	registry_free(reg);
	errlist_clear(&errs);
}

static enum store_status
count_link_cb(const struct chain_link *cl, void *arg)
{
	(void)cl;
	(*(int64_t *)arg)++;
	return STORE_OK;
}

static enum store_status
count_fact_cb(const struct case_fact *fc, void *arg)
{
	(void)fc;
	(*(int64_t *)arg)++;
	return STORE_OK;
}

/* The reads alone, without hashing or comparing: where the time goes. */
static void
reads(const char *path)
{
	struct store	*st;
	char		 err[256];
	int64_t		 links = 0, facts = 0;
	double		 t0, t1, t2;

	if ((st = store_open_readonly(path, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	t0 = now_ms();
	if (store_chain_walk(st, count_link_cb, &links) != STORE_OK)
		fatalx("chain walk");
	t1 = now_ms();
	if (store_case_facts(st, count_fact_cb, &facts) != STORE_OK)
		fatalx("facts walk");
	t2 = now_ms();
	store_close(st);
	printf("reads alone: the chain (%lld links) %.0f ms, the facts of"
	    " cases (%lld rows) %.0f ms\n", (long long)links, t1 - t0,
	    (long long)facts, t2 - t1);
}

int
main(int argc, char *argv[])
{
	struct audit_report	 ar;
	struct store		*st;
	struct stat		 sb;
	const char		*path = "/tmp/termijn-bench-verify.db";
	char			 err[256];
	size_t			 cases = 34000;
	double			 t0, ms;
	int			 ch, i, runs = 3, keep = 0, rc;

	while ((ch = getopt(argc, argv, "c:d:kr:")) != -1) {
		switch (ch) {
		case 'c':
			cases = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			path = optarg;
			break;
		case 'k':
			keep = 1;
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench_verify [-c cases]"
			    " [-r runs] [-d db] [-k]\n");
			return 2;
		}
	}
	if (!keep || stat(path, &sb) == -1)
		build(path, cases);
	stat(path, &sb);
	printf("database: %s, %.1f MiB\n", path, sb.st_size / 1048576.0);
	for (i = 0; i < runs; i++) {
		if ((st = store_open_readonly(path, err, sizeof(err))) == NULL)
			fatalx("%s", err);
		t0 = now_ms();
		rc = audit_verify(st, 0, NULL, &ar);
		ms = now_ms() - t0;
		store_close(st);
		if (rc != 0)
			fatalx("verify: %s", ar.ar_msg);
		printf("run %d: %lld links (%lld transitions, %lld marks),"
		    " %lld cases: %.0f ms, %.1f us a link\n", i + 1,
		    (long long)ar.ar_links,
		    (long long)(ar.ar_links - ar.ar_marks),
		    (long long)ar.ar_marks, (long long)ar.ar_cases, ms,
		    ms * 1000 / (double)ar.ar_links);
	}
	reads(path);
	return 0;
}
