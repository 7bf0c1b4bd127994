/* termijn: the engine made and set up: its callbacks, settings, counters and workflows. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/record.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * The core (engine.c) records transitions and fires rungs; what that sets
 * going lives in the files above it, which build on the core: the teams a
 * state brings in (engine_join.c), the webhooks a rung writes
 * (engine_notify.c), what a correction would restore (engine_correct.c).
 * It reaches them through these, set once here, at the top of the engine,
 * so that no file of the engine calls one that calls it back.
 */
static const struct engine_hooks engine_hooks = {
	.eh_arrive = engine_arrive,
	.eh_webhooks = engine_webhooks,
	.eh_undo_take = engine_undo_take,
	.eh_undo_passing = engine_undo_passing,
	.eh_undo_keep = engine_undo_keep,
};

struct engine *
engine_new(struct store *st, struct registry *reg)
{
	struct engine	*en;

	en = xcalloc(1, sizeof(*en));
	en->en_store = st;
	en->en_registry = reg;
	en->en_above = &engine_hooks;
	en->en_record = record_new(st);
	en->en_settle_max = 10000;
	en->en_queued_min = INT64_MAX;
	return en;
}

void
engine_free(struct engine *en)
{
	if (en == NULL)
		return;
	engine_set_webhooks(en, NULL, 0, NULL);
	free(en->en_hooks);
	free(en->en_source);
	record_free(en->en_record);
	free(en);
}

void
engine_set_decree_refuse(struct engine *en, int refuse)
{
	en->en_decree_refuse = refuse;
}

void
engine_set_fire_slice(struct engine *en, int64_t ms)
{
	en->en_fire_slice = ms;
}

void
engine_stats(struct engine *en, struct engine_stats *es)
{
	memset(es, 0, sizeof(*es));
	es->es_clock_corrections = en->en_clock_corrections;
	es->es_outbox_queued = en->en_outbox_queued;
	es->es_unrouted = en->en_unrouted;
	es->es_joined = en->en_joined;
	es->es_busy_retries = en->en_busy_retries;
}

void
engine_set_registry(struct engine *en, struct registry *reg)
{
	en->en_registry = reg;
}

void
engine_set_quiet(struct engine *en, int quiet)
{
	record_set_quiet(en->en_record, quiet);
}

int
engine_pin_workflows(struct engine *en, struct registry *reg, int64_t now,
    struct errlist *errs)
{
	const struct workflow	*wf;
	char			 digest[HASH_SHA256_HEX_LEN];
	size_t			 i;
	enum store_status	 rc;
	int			 bad = 0;

	if (store_begin(en->en_store) != STORE_OK) {
		errlist_add(errs, "database: %s", store_errmsg(en->en_store));
		return -1;
	}
	for (i = 0; i < registry_count(reg); i++) {
		wf = registry_at(reg, i);
		rc = store_workflow_digest(en->en_store, wf->wf_name,
		    wf->wf_version, digest);
		if (rc == STORE_OK && strcmp(digest, wf->wf_digest) != 0) {
			errlist_add(errs, "%s: workflow %s version %d differs from"
			    " the version %d its cases were started on; raise its"
			    " version", wf->wf_path ? wf->wf_path : wf->wf_name,
			    wf->wf_name, wf->wf_version, wf->wf_version);
			bad = 1;
			continue;
		}
		if (rc == STORE_NOTFOUND)
			rc = store_workflow_put(en->en_store, wf->wf_name,
			    wf->wf_version, wf->wf_digest, wf->wf_source,
			    wf->wf_sourcelen, now);
		if (rc != STORE_OK) {
			errlist_add(errs, "database: %s",
			    store_errmsg(en->en_store));
			bad = 1;
			break;
		}
	}
	if (bad) {
		store_rollback(en->en_store);
		return -1;
	}
	if (store_commit(en->en_store) != STORE_OK) {
		errlist_add(errs, "database: %s", store_errmsg(en->en_store));
		store_rollback(en->en_store);
		return -1;
	}
	return 0;
}

struct pinned_arg {
	struct registry	*pa_reg;
	struct errlist	*pa_errs;
	int		 pa_bad;
};

static enum store_status
load_pinned_cb(const char *name, int version, const char *source, size_t len,
    void *arg)
{
	struct pinned_arg	*pa = arg;
	struct workflow		*wf;
	char			 label[128];

	if (registry_get(pa->pa_reg, name, version) != NULL)
		return STORE_OK;
	snprintf(label, sizeof(label), "database:%s@%d", name, version);
	if ((wf = workflow_parse_stored(label, source, len,
	    pa->pa_errs)) == NULL) {
		pa->pa_bad = 1;
		return STORE_OK;
	}
	wf->wf_stored = 1;
	if (registry_add(pa->pa_reg, wf, pa->pa_errs) == -1)
		pa->pa_bad = 1;
	return STORE_OK;
}

int
engine_load_pinned(struct engine *en, struct registry *reg,
    struct errlist *errs)
{
	struct pinned_arg	pa = { reg, errs, 0 };

	if (store_workflows_each(en->en_store, load_pinned_cb, &pa) !=
	    STORE_OK) {
		errlist_add(errs, "database: %s", store_errmsg(en->en_store));
		return -1;
	}
	return pa.pa_bad ? -1 : 0;
}

/*
 * First every version the database keeps, since cases may be pinned to any
 * of them, then the files, each on its own: a file that an administrator
 * changed without raising its version meets the stored text in the
 * registry and is refused, so the cases go on as they started and the
 * other files still load.
 */
struct registry *
engine_load_workflows(struct engine *en, const char *dir, int64_t now,
    struct wf_files *files, struct errlist *errs)
{
	struct registry	*reg = registry_new();

	memset(files, 0, sizeof(*files));
	if (engine_load_pinned(en, reg, errs) == -1)
		goto fail;
	(void)registry_load_files(reg, dir, files);
	if (engine_pin_workflows(en, reg, now, errs) == -1)
		goto fail;
	return reg;
fail:
	registry_files_clear(files);
	registry_free(reg);
	return NULL;
}

/* The stored versions go first here too, so that a mismatch is an error. */
int
engine_check_workflows(struct engine *en, const char *dir,
    struct errlist *errs)
{
	struct registry	*reg = registry_new();
	int		 rv = 0;

	if (en != NULL && engine_load_pinned(en, reg, errs) == -1)
		rv = -1;
	if (registry_load_dir(reg, dir, errs) == -1)
		rv = -1;
	registry_free(reg);
	return rv;
}
