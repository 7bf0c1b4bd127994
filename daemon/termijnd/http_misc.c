/* termijn: /healthz and /v1/workflows. */

#include <stdio.h>
#include <stdlib.h>

#include "termijn/registry.h"
#include "termijn/view.h"
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
			json_array_append_new(a, view_workflow(wf));
	}
	http_json(rq, 200, json_pack("{s:o}", "workflows", a));
}

/* Counters in the Prometheus text exposition format. */
void
http_metrics(struct req *rq)
{
	static const char	*classes[] = {
		"1xx", "2xx", "3xx", "4xx", "5xx", "other"
	};
	const struct metrics	*m = &rq->rq_d->d_metrics;
	struct engine_stats	 es;
	char			*text, *lines = NULL, *prev;
	size_t			 i;

	engine_stats(rq->rq_d->d_engine, &es);
	for (i = 0; i < nitems(classes); i++) {
		prev = lines;
		xasprintf(&lines, "%stermijn_http_responses_total{code=\"%s\"}"
		    " %llu\n", prev ? prev : "", classes[i],
		    (unsigned long long)m->m_requests[i]);
		free(prev);
	}
	xasprintf(&text,
	    "# HELP termijn_http_responses_total HTTP responses by status class.\n"
	    "# TYPE termijn_http_responses_total counter\n%s"
	    "# HELP termijn_commits_total Write transactions committed.\n"
	    "# TYPE termijn_commits_total counter\n"
	    "termijn_commits_total %llu\n"
	    "# HELP termijn_commit_failures_total Write transactions that failed.\n"
	    "# TYPE termijn_commit_failures_total counter\n"
	    "termijn_commit_failures_total %llu\n"
	    "# HELP termijn_writes_total API writes committed.\n"
	    "# TYPE termijn_writes_total counter\n"
	    "termijn_writes_total %llu\n"
	    "# HELP termijn_commit_batch_max Most API writes in one transaction.\n"
	    "# TYPE termijn_commit_batch_max gauge\n"
	    "termijn_commit_batch_max %llu\n"
	    "# HELP termijn_deadlines_fired_total Deadlines that passed and fired.\n"
	    "# TYPE termijn_deadlines_fired_total counter\n"
	    "termijn_deadlines_fired_total %llu\n"
	    "# HELP termijn_deadline_lateness_max_seconds Worst lateness of a"
	    " deadline fired on time (not catch-up).\n"
	    "# TYPE termijn_deadline_lateness_max_seconds gauge\n"
	    "termijn_deadline_lateness_max_seconds %.3f\n"
	    "# HELP termijn_history_clock_corrections_total Transitions dated at"
	    " the one before them because the clock had gone back.\n"
	    "# TYPE termijn_history_clock_corrections_total counter\n"
	    "termijn_history_clock_corrections_total %llu\n",
	    lines, (unsigned long long)m->m_commits,
	    (unsigned long long)m->m_commit_failures,
	    (unsigned long long)m->m_writes,
	    (unsigned long long)m->m_batch_max,
	    (unsigned long long)m->m_fired,
	    (double)m->m_lateness_max / 1000,
	    (unsigned long long)es.es_clock_corrections);
	free(lines);
	rq->rq_status = 200;
	rq->rq_answer = text;
	rq->rq_ctype = "text/plain; version=0.0.4";
	http_answer(rq);
}
