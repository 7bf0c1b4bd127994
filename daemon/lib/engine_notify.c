/* termijn: notifications that go out: webhooks, into the outbox. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/engine.h"
#include "termijn/record.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * A rung that tells a role writes a notification row (record_rung) and,
 * in the same transaction, an outbox row for each team that may see the
 * case (its owner and the teams that take part in it) and has a webhook
 * for that role.  A team that may not see the case hears nothing of it.
 * termijnd's notifier delivers the rows once the transaction committed:
 * at least once, with an id the receiver deduplicates on, because the row
 * is there before the delivery and marked delivered only after it.
 */

void
engine_set_webhooks(struct engine *en, const struct webhook_target *wt,
    size_t n, const char *source)
{
	size_t	i;

	for (i = 0; i < en->en_nhooks; i++) {
		free(en->en_hooks[i].hk_team);
		free(en->en_hooks[i].hk_role);
	}
	free(en->en_hooks);
	free(en->en_source);
	en->en_hooks = xcalloc(n ? n : 1, sizeof(*en->en_hooks));
	for (i = 0; i < n; i++) {
		en->en_hooks[i].hk_team = xstrdup(wt[i].wt_team);
		en->en_hooks[i].hk_role = xstrdup(wt[i].wt_role);
	}
	en->en_nhooks = n;
	en->en_source = xstrdup(source != NULL ? source : "/termijn");
}

struct hook_teams {
	char		**ht_teams;
	size_t		  ht_n;
	size_t		  ht_cap;
};

static void
teams_add(struct hook_teams *ht, const char *team)
{
	if (ht->ht_n == ht->ht_cap) {
		ht->ht_cap = ht->ht_cap ? 2 * ht->ht_cap : 4;
		ht->ht_teams = xreallocarray(ht->ht_teams, ht->ht_cap,
		    sizeof(*ht->ht_teams));
	}
	ht->ht_teams[ht->ht_n++] = xstrdup(team);
}

static enum store_status
participant_cb(const struct participant_row *p, void *arg)
{
	teams_add(arg, p->p_team);
	return STORE_OK;
}

int
engine_webhooks(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const char *type,
    const struct rung_input *ri, struct engine_error *ee)
{
	struct hook_teams	 ht;
	struct outbox_row	 o;
	enum store_status	 rc;
	json_t			*ev;
	char			*body;
	char			 id[128];
	size_t			 i, j;
	int			 ret = 0;

	if (en->en_nhooks == 0)
		return 0;
	memset(&ht, 0, sizeof(ht));
	teams_add(&ht, c->c_team);
	if ((rc = store_participants_of_case(en->en_store, c->c_id, 1,
	    participant_cb, &ht)) != STORE_OK) {
		ret = engine_store_error(ee, rc, N_("reading participants"));
		goto done;
	}
	for (i = 0; i < en->en_nhooks && ret == 0; i++) {
		if (strcmp(en->en_hooks[i].hk_role, ri->ri_notify) != 0)
			continue;
		for (j = 0; j < ht.ht_n; j++)
			if (strcmp(ht.ht_teams[j], en->en_hooks[i].hk_team) ==
			    0)
				break;
		if (j == ht.ht_n)
			continue;
		/* The id is the same on every attempt: receivers dedupe on it. */
		snprintf(id, sizeof(id), "termijn-%lld-%s-%s",
		    (long long)ri->ri_notification, ht.ht_teams[j],
		    ri->ri_notify);
		ev = view_cloudevent(id, en->en_source, type, c, wf,
		    ri, ht.ht_teams[j]);
		memset(&o, 0, sizeof(o));
		o.o_case = c->c_id;
		o.o_notification = ri->ri_notification;
		snprintf(o.o_type, sizeof(o.o_type), "%s", type);
		snprintf(o.o_team, sizeof(o.o_team), "%s", ht.ht_teams[j]);
		snprintf(o.o_role, sizeof(o.o_role), "%s", ri->ri_notify);
		body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(ev);
		if (body == NULL)
			fatalx("json_dumps failed");
		o.o_body = body;
		o.o_next_at = ri->ri_recorded_at;
		o.o_created_at = ri->ri_recorded_at;
		rc = record_outbox(en->en_record, &o);
		free(body);
		en->en_outbox_queued++;
		if (rc != STORE_OK)
			ret = engine_store_error(ee, rc, N_("queueing a"
			    " webhook"));
	}
done:
	for (j = 0; j < ht.ht_n; j++)
		free(ht.ht_teams[j]);
	free(ht.ht_teams);
	return ret;
}

/*
 * The outcome of attempts to deliver (webhook_outcome filled each row), in
 * one transaction of their own: the notifier hands over the attempts that
 * finished in one loop turn, so that a burst of deliveries costs one fsync
 * per turn rather than one per delivery.  A row that is gone meanwhile (its
 * case was destroyed) is passed over.  A row is delivered only when this
 * committed: after a crash before it, the row goes out again, with the same
 * CloudEvent id.
 */
enum store_status
engine_outbox_update(struct engine *en, const struct outbox_row *rows,
    size_t n)
{
	const struct outbox_row	*o;
	enum store_status	 rc;
	size_t			 i, base;

	if (n == 0)
		return STORE_OK;
	base = record_mark(en->en_record);
	if ((rc = store_begin(en->en_store)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		o = &rows[i];
		rc = store_outbox_update(en->en_store, o);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			goto fail;
		/*
		 * A delivery is in the outbox (delivered_at), not in syslog: a
		 * burst would double the lines of its rungs.  One given up on
		 * needs a person, so it is logged.
		 */
		if (strcmp(o->o_status, "dead") == 0)
			record_note(en->en_record, "webhook dead case=%lld"
			    " outbox=%lld team=%s role=%s attempts=%d error=\"%s\"",
			    (long long)o->o_case, (long long)o->o_id, o->o_team,
			    o->o_role, o->o_attempts, o->o_last_error);
	}
	if ((rc = store_commit(en->en_store)) != STORE_OK)
		goto fail;
	record_flush(en->en_record);
	return STORE_OK;
fail:
	store_rollback(en->en_store);
	record_cut(en->en_record, base);
	return rc;
}

struct retry_arg {
	struct outbox_row	ra_row;
	char			*ra_body;
};

static enum store_status
retry_get_cb(const struct outbox_row *o, void *arg)
{
	struct retry_arg	*ra = arg;

	ra->ra_row = *o;
	ra->ra_body = xstrdup(o->o_body != NULL ? o->o_body : "");
	ra->ra_row.o_body = ra->ra_body;
	return STORE_OK;
}

int
engine_outbox_retry(struct engine *en, const struct actor *who, int64_t id,
    int64_t now, store_outbox_cb *cb, void *arg, struct engine_error *ee)
{
	struct retry_arg	ra;
	enum store_status	rc;
	int			ret = -1;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	memset(&ra, 0, sizeof(ra));
	if ((rc = store_outbox_get(en->en_store, id, retry_get_cb, &ra)) ==
	    STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, N_("no notification"
		    " %lld"), (long long)id);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("reading the outbox"));
	if (strcmp(ra.ra_row.o_status, "dead") != 0) {
		engine_error(ee, ENGINE_ECONFLICT, N_("notification %lld is %s;"
		    " only a dead one is retried"), (long long)id,
		    ra.ra_row.o_status);
		snprintf(ee->ee_state, sizeof(ee->ee_state), "%s",
		    ra.ra_row.o_status);
		goto done;
	}
	snprintf(ra.ra_row.o_status, sizeof(ra.ra_row.o_status), "pending");
	ra.ra_row.o_attempts = 0;
	ra.ra_row.o_next_at = now;
	if ((rc = store_outbox_update(en->en_store, &ra.ra_row)) != STORE_OK) {
		engine_store_error(ee, rc, N_("retrying a notification"));
		goto done;
	}
	en->en_outbox_queued++;
	record_note(en->en_record, "webhook retry case=%lld outbox=%lld team=%s"
	    " role=%s actor=%s", (long long)ra.ra_row.o_case, (long long)id,
	    ra.ra_row.o_team, ra.ra_row.o_role, who->ac_name);
	if (cb != NULL && (rc = cb(&ra.ra_row, arg)) != STORE_OK) {
		engine_store_error(ee, rc, N_("answering"));
		goto done;
	}
	ret = 0;
done:
	free(ra.ra_body);
	return ret;
}
