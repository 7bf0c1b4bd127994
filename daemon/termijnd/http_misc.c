/*
 * termijn: /healthz, /readyz, /metrics, /v1/me, /v1/workflows and
 * /v1/openapi.json.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "termijn/clock.h"
#include "termijn/registry.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#include "openapi.h"
#include "termijnd.h"

void
http_healthz(struct req *rq)
{
	http_json(rq, 200, json_pack("{s:s}", "status", "ok"));
}

/*
 * Who the token is (name, role, teams, when it expires): what a client
 * such as the dashboard needs to act as that person.  No case content.
 */
void
http_me(struct req *rq)
{
	http_json(rq, 200, view_token(&rq->rq_token));
}

/*
 * The newest version of each workflow: the one new cases get.  And what
 * the last load made of each file, so that an administrator sees a refused
 * one and why without reading the log.
 */
void
http_workflows(struct req *rq)
{
	const struct workflow	*wf;
	const struct wf_file	*f;
	struct termijnd		*d = rq->rq_d;
	json_t			*a = json_array(), *files = json_array();
	size_t			 i;

	for (i = 0; i < registry_count(d->d_registry); i++) {
		wf = registry_at(d->d_registry, i);
		if (registry_current(d->d_registry, wf->wf_name) == wf)
			json_array_append_new(a, view_workflow(wf));
	}
	for (i = 0; i < d->d_files.wfs_count; i++) {
		f = &d->d_files.wfs_files[i];
		json_array_append_new(files, json_pack("{s:s, s:s?, s:o, s:s,"
		    " s:s?}", "path", f->wff_path, "workflow", f->wff_name,
		    "version", f->wff_version > 0 ?
		    json_integer(f->wff_version) : json_null(),
		    "status", f->wff_reason != NULL ? "refused" : "loaded",
		    "reason", f->wff_reason));
	}
	http_json(rq, 200, json_pack("{s:o, s:o, s:o}", "workflows", a,
	    "files", files, "reloaded_at", view_time(d->d_loaded_at)));
}

/*
 * Counters, histograms and counts in the Prometheus text format.  The
 * counts of cases by workflow and state sum up the work of every team, so
 * only a token that sees no team's cases in particular gets them: role
 * metrics (for Prometheus) or admin.  Any other token gets termijnd's own
 * figures without them.
 */
void
http_metrics(struct req *rq)
{
	const char	*role = rq->rq_actor.ac_role;

	rq->rq_status = 200;
	rq->rq_answer = metrics_text(rq->rq_d, strcmp(role, "metrics") == 0 ||
	    strcmp(role, "admin") == 0);
	rq->rq_ctype = "text/plain; version=0.0.4";
	http_answer(rq);
}

/*
 * Readiness: whether termijnd can write.  The last write transaction says
 * so for free; after one failed, a probe (a write of one page) is tried,
 * at most once a second, so that readiness comes back when the disk has
 * room again even if no write arrives to show it.
 */
void
http_readyz(struct req *rq)
{
	struct termijnd		*d = rq->rq_d;
	struct metrics		*m = &d->d_metrics;
	enum store_status	 rc;
	int64_t			 now = clock_monotonic();

	if (!m->m_write_ok && now - m->m_probe_at >= 1000) {
		m->m_probe_at = now;
		/* A write of its own, outside the read the route opened. */
		store_read_end(d->d_store);
		rc = store_write_probe(d->d_store);
		store_read_begin(d->d_store);
		metrics_write_outcome(d, rc);
	}
	if (m->m_write_ok) {
		http_json(rq, 200, json_pack("{s:s}", "status", "ready"));
		return;
	}
	if (m->m_write_status == STORE_FULL)
		http_failf(rq, 503, N_("termijnd cannot write: the last write"
		    " transaction failed (%s: is the disk full?); writes are"
		    " refused until one succeeds"),
		    store_status_name(m->m_write_status));
	else
		http_failf(rq, 503, N_("termijnd cannot write: the last write"
		    " transaction failed (%s); writes are refused until one"
		    " succeeds"), store_status_name(m->m_write_status));
}

/*
 * The API's OpenAPI document (docs/openapi.json, embedded at build time),
 * without a token, as the NL API Design Rules ask (API-51), and readable
 * from any origin, so that a developer portal or a validator in a browser
 * can fetch it.  Only this document is: the API itself sends no CORS
 * headers.
 */
void
http_openapi(struct req *rq)
{
	char	*text;

	text = xmalloc(openapi_size + 1);
	memcpy(text, openapi_document, openapi_size + 1);
	evhttp_add_header(evhttp_request_get_output_headers(rq->rq_http),
	    "Access-Control-Allow-Origin", "*");
	req_text(rq, 200, text, "application/json", NULL);
	http_answer(rq);
}
