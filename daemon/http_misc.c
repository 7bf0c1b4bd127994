/* termijn: /healthz and /v1/workflows. */

#include "termijn/json.h"
#include "termijn/workflow.h"

#include "termijnd.h"

void
http_healthz(struct req *rq)
{
	http_json(rq, 200, json_pack("{s:s}", "status", "ok"));
}

/* The newest version of each workflow: the one new cases get. */
void
http_workflows(struct req *rq)
{
	const struct workflow	*wf;
	json_t			*a = json_array();
	size_t			 i;

	for (i = 0; i < registry_count(rq->rq_d->d_registry); i++) {
		wf = registry_at(rq->rq_d->d_registry, i);
		if (registry_current(rq->rq_d->d_registry, wf->wf_name) == wf)
			json_array_append_new(a, json_workflow(wf));
	}
	http_json(rq, 200, json_pack("{s:o}", "workflows", a));
}
