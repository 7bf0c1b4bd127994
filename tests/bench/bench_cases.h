/*
 * termijn: what the in-process benchmarks share: registering many cases
 * through the engine's group commit, as termijnd does, without HTTP.
 */
#ifndef TERMIJN_BENCH_CASES_H
#define TERMIJN_BENCH_CASES_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/engine.h"
#include "termijn/util.h"

/* Fills in case i: its workflow, reference, team and start. */
typedef void bench_case_fn(size_t, struct case_input *, char *, size_t,
	    char *, size_t, void *);

struct bench_write {
	struct engine_write	 bw_write;	/* first */
	struct engine		*bw_engine;
	const struct actor	*bw_actor;
	struct case_input	 bw_in;
	char			 bw_ref[32];
	char			 bw_team[32];
	int64_t			 bw_now;
};

static void
bench_apply(struct engine_write *ew)
{
	struct bench_write		*bw = (struct bench_write *)ew;
	struct engine_error		 ee;
	int64_t				 id;

	if (engine_case_create(bw->bw_engine, bw->bw_actor, &bw->bw_in, bw->bw_now,
	    &id, &ee) == -1)
		fatalx("create: %s", ee.ee_msg);
	ew->ew_code = 201;
}

/* The admin a benchmark acts as when it sets things up. */
static const struct actor bench_admin = {
	0, "bench", "admin", "", NULL, NULL
};

struct bench_team {
	const char	*bt_name;
};

static int
bench_team_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	struct bench_team	*bt = arg;
	struct team_row		 tm;

	memset(&tm, 0, sizeof(tm));
	snprintf(tm.tm_name, sizeof(tm.tm_name), "%s", bt->bt_name);
	snprintf(tm.tm_title, sizeof(tm.tm_title), "Team %s", bt->bt_name);
	return engine_team_add(en, &bench_admin, &tm, 1, ee);
}

/*
 * The teams in a comma-separated list, and a caseworker's token in all of
 * them, made as an administrator would: its secret in token (TOKEN_LEN).
 */
static void
bench_people(struct engine *en, const char *teams, char *token, size_t len)
{
	struct engine_error	 ee;
	struct bench_team	 bt;
	struct token_row	 tk;
	char			*list, *team, *save;

	list = xstrdup(teams);
	for (team = strtok_r(list, ",", &save); team != NULL;
	    team = strtok_r(NULL, ",", &save)) {
		bt.bt_name = team;
		if (engine_write_one(en, bench_team_apply, &bt, 1, &ee) == -1)
			fatalx("team %s: %s", team, ee.ee_msg);
	}
	free(list);
	memset(&tk, 0, sizeof(tk));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "bench");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "caseworker");
	if (strlen(teams) >= sizeof(tk.tk_teams))
		fatalx("too many teams for one token");
	memcpy(tk.tk_teams, teams, strlen(teams) + 1);
	if (store_begin(engine_store(en)) != STORE_OK ||
	    engine_token_add(en, &bench_admin, &tk, token, len, 1, &ee) == -1 ||
	    store_commit(engine_store(en)) != STORE_OK)
		fatalx("token: %s", ee.ee_msg);
}

/*
 * Register n cases, per_batch to a transaction.  The syslog lines the
 * engine writes for them go nowhere: stderr is closed meanwhile.
 */
static void
bench_register(struct engine *en, const struct actor *who, size_t n,
    size_t per_batch, int64_t now, bench_case_fn *fill, void *arg,
    void (*progress)(size_t))
{
	struct bench_write	*bws;
	struct engine_write	**ws;
	struct write_result	 wr;
	size_t			 i, j, k;
	int			 saved, null;

	bws = xcalloc(per_batch, sizeof(*bws));
	ws = xcalloc(per_batch, sizeof(*ws));
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if ((null = open("/dev/null", O_WRONLY)) == -1 || saved == -1)
		fatal("/dev/null");
	dup2(null, STDERR_FILENO);
	close(null);
	for (i = 0; i < n; i += k) {
		for (k = 0; k < per_batch && i + k < n; k++) {
			memset(&bws[k], 0, sizeof(bws[k]));
			bws[k].bw_write.ew_apply = bench_apply;
			bws[k].bw_engine = en;
			bws[k].bw_actor = who;
			bws[k].bw_now = now;
			fill(i + k, &bws[k].bw_in, bws[k].bw_ref,
			    sizeof(bws[k].bw_ref), bws[k].bw_team,
			    sizeof(bws[k].bw_team), arg);
			bws[k].bw_in.ci_reference = bws[k].bw_ref;
			bws[k].bw_in.ci_team = bws[k].bw_team;
			ws[k] = &bws[k].bw_write;
		}
		if (engine_batch_write(en, ws, k, now, &wr) != STORE_OK)
			fatalx("registering cases failed");
		for (j = 0; j < k; j++)
			free(bws[j].bw_write.ew_answer);
		if (progress != NULL)
			progress(i + k);
	}
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	free(ws);
	free(bws);
}

#endif /* TERMIJN_BENCH_CASES_H */
