/* termijn: the outbox of webhooks, for the administrator: listed and retried. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/clock.h"
#include "termijn/view.h"

#include "termijnd.h"

#define NOTIFICATIONS_DEFAULT	50	/* rows in a page */

static enum store_status outbox_cb(const struct outbox_row *, void *);
static void	 apply_retry(struct req *);
static enum store_status retried_cb(const struct outbox_row *, void *);

struct outbox_page {
	json_t	*op_items;
	int64_t	 op_last;
	int	 op_count;
};

static enum store_status
outbox_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_page	*op = arg;
	json_t			*v;

	if ((v = view_outbox(o)) == NULL)
		return STORE_FAILED;
	json_array_append_new(op->op_items, v);
	op->op_last = o->o_id;
	op->op_count++;
	return STORE_OK;
}

/*
 * GET /v1/notifications?status=&limit=&cursor=: the outbox, newest first.
 * Operational data: where each notification goes and how it fared, its
 * CloudEvent (ids, never notes or references); for role admin, who sees
 * no case content.
 */
void
http_notifications_list(struct req *rq)
{
	static const char *const params[] = {
		"status", "limit", "cursor", NULL
	};
	struct outbox_page	 op;
	struct evkeyvalq	 q;
	const char		*status;

	if (admin_only(rq) == -1 || req_query(rq, params, &q) == -1)
		return;
	if (page_params(rq, &q, NOTIFICATIONS_DEFAULT, &rq->rq_after,
	    &rq->rq_limit) == -1)
		goto done;
	if ((status = evhttp_find_header(&q, "status")) != NULL &&
	    strcmp(status, "pending") != 0 && strcmp(status, "delivered") !=
	    0 && strcmp(status, "dead") != 0) {
		http_problemf(rq, 400, _("status must be pending, delivered or"
		    " dead, not \"%.32s\""), status);
		goto done;
	}
	memset(&op, 0, sizeof(op));
	op.op_items = json_array();
	if (store_outbox_list(rq->rq_d->d_store, status, rq->rq_after,
	    rq->rq_limit, outbox_cb, &op) != STORE_OK) {
		json_decref(op.op_items);
		http_failf(rq, 500, N_("the database failed"
		    " listing notifications"));
		goto done;
	}
	http_json(rq, 200, view_page("notifications", op.op_items, op.op_last,
	    op.op_count == rq->rq_limit));
done:
	evhttp_clear_headers(&q);
}

/* POST /v1/notifications/{id}/retry: a dead one is pending again, now. */
void
http_notifications_retry(struct req *rq)
{
	if (admin_only(rq) == -1)
		return;
	rq->rq_apply = apply_retry;
	commit_enqueue(rq->rq_d, rq);
}

static enum store_status
retried_cb(const struct outbox_row *o, void *arg)
{
	struct req	*rq = arg;
	json_t		*v;

	if ((v = view_outbox(o)) == NULL)
		return STORE_FAILED;
	req_json(rq, 200, v);
	return STORE_OK;
}

static void
apply_retry(struct req *rq)
{
	struct engine_error	ee;

	if (engine_outbox_retry(rq->rq_d->d_engine, &rq->rq_actor, rq->rq_id,
	    clock_now(), retried_cb, rq, &ee) == -1) {
		rq->rq_clean = ee.ee_status != ENGINE_ESTORE &&
		    ee.ee_status != ENGINE_EFULL;
		engine_problem(rq, &ee, 0);
	}
}
