/* termijn: the answers: problem details, JSON, CSV and text, with their headers. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "termijn/csv.h"
#include "termijn/jsontext.h"
#include "termijn/view.h"
#include "termijn/workflow.h"
#include "termijn/utf8.h"

#include "openapi.h"
#include "termijnd.h"

#define RETRY_AFTER	"5"	/* seconds, with every 503 */

static void	 req_vfail(struct req *, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static const char *reason(int);

/* The reason phrase of each status termijnd gives, and a problem's title. */
static const struct {
	int		 code;
	const char	*reason;
} reasons[] = {
	{ 200, N_("OK") }, { 201, N_("Created") }, { 400, N_("Bad Request") },
	{ 401, N_("Unauthorized") }, { 403, N_("Forbidden") }, { 404, N_("Not Found") },
	{ 405, N_("Method Not Allowed") }, { 408, N_("Request Timeout") },
	{ 409, N_("Conflict") }, { 411, N_("Length Required") },
	{ 413, N_("Content Too Large") }, { 415, N_("Unsupported Media Type") },
	{ 417, N_("Expectation Failed") }, { 422, N_("Unprocessable Content") },
	{ 431, N_("Request Header Fields Too Large") },
	{ 500, N_("Internal Server Error") }, { 501, N_("Not Implemented") },
	{ 503, N_("Service Unavailable") }, { 505, N_("HTTP Version Not Supported") },
};

int
engine_status_http(int status)
{
	switch (status) {
	case ENGINE_OK:
		return 200;
	case ENGINE_EINVAL:
		return 400;
	case ENGINE_ENOTFOUND:
		return 404;
	case ENGINE_ECONFLICT:
		return 409;
	case ENGINE_EFORBIDDEN:
		return 403;
	case ENGINE_EBASIS:
		return 422;
	case ENGINE_EFULL:
		return 503;
	default:
		return 500;
	}
}

/*
 * Every error goes out through here, as application/problem+json, its
 * title and detail in the reader's language (the caller translated the
 * detail).  req_problem sets the answer without sending it (writes send
 * after commit).  A failure of termijnd's own (5xx) goes through
 * req_failf instead, which also logs it, in English.
 */
void
http_problem(struct req *rq, int status, const char *detail, json_t *extra)
{
	req_problem(rq, status, detail, extra);
	http_answer(rq);
}

void
req_problem(struct req *rq, int status, const char *detail, json_t *extra)
{
	json_t	*o;
	char	*text;

	text = xstrdup(detail);
	utf8_scrub(text);
	o = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank",
	    "title", _(reason(status)), "status", status, "detail", text);
	free(text);
	if (o == NULL)
		fatalx("json_pack failed for a problem document");
	if (extra != NULL) {
		json_object_update(o, extra);
		json_decref(extra);
	}
	req_json(rq, status, o);
}

void
http_problemf(struct req *rq, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	 detail[512];

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	http_problem(rq, status, detail, NULL);
}

/*
 * A failure of termijnd's own (5xx): the log says what failed in English,
 * for the operator, whoever asked; the answer says it in the reader's
 * language.  msgid is the English message, marked N_().
 */
void
req_failf(struct req *rq, int status, const char *msgid, ...)
{
	va_list	ap;

	va_start(ap, msgid);
	req_vfail(rq, status, msgid, ap);
	va_end(ap);
}

void
http_failf(struct req *rq, int status, const char *msgid, ...)
{
	va_list	ap;

	va_start(ap, msgid);
	req_vfail(rq, status, msgid, ap);
	va_end(ap);
	http_answer(rq);
}

static void
req_vfail(struct req *rq, int status, const char *msgid, va_list ap)
{
	va_list	aq;
	char	detail[512], line[512];

	va_copy(aq, ap);
	vsnprintf(line, sizeof(line), msgid, ap);
	vsnprintf(detail, sizeof(detail), _(msgid), aq);
	va_end(aq);
	log_warnx("%d: %s", status, line);
	req_problem(rq, status, detail, NULL);
}

void
http_json(struct req *rq, int status, json_t *o)
{
	req_json(rq, status, o);
	http_answer(rq);
}

void
req_json(struct req *rq, int status, json_t *o)
{
	rq->rq_status = status;
	free(rq->rq_answer);
	/*
	 * What json_dumps writes with JSON_COMPACT and 15 significant
	 * digits (a figure rounded to two decimals, the report's, reads
	 * 5.42, not the 5.4199999999999999 of jansson's 17), in a tenth of
	 * its time: jsontext.c.
	 */
	rq->rq_answer = json_text(o);
	json_decref(o);
	if (rq->rq_answer == NULL)
		fatalx("writing an answer's JSON failed");
}

/* Send rq_status and rq_answer, then forget the request. */
void
http_answer(struct req *rq)
{
	struct evkeyvalq	*out;
	struct evbuffer		*buf;
	char			 len[32];

	/*
	 * Nothing leaves before what was committed before it is on disk:
	 * the commit queue, above, may hold it (commit_hold).
	 */
	if (!rq->rq_released && rq->rq_d->d_hold != NULL &&
	    rq->rq_d->d_hold(rq))
		return;
	out = evhttp_request_get_output_headers(rq->rq_http);
	evhttp_add_header(out, "Content-Type", rq->rq_status >= 400 ?
	    "application/problem+json" : rq->rq_ctype ? rq->rq_ctype :
	    "application/json");
	evhttp_add_header(out, "Cache-Control", "no-store");
	http_version_header(rq);
	evhttp_add_header(out, "Content-Language", i18n_lang_name(rq->rq_lang));
	evhttp_add_header(out, "Vary", "Accept-Language");
	if (rq->rq_location != NULL)
		evhttp_add_header(out, "Location", rq->rq_location);
	if (rq->rq_status < 400 && rq->rq_link != NULL)
		evhttp_add_header(out, "Link", rq->rq_link);
	/* A calendar feed that left deadlines out says how many it holds. */
	if (rq->rq_status < 400 && rq->rq_capped > 0) {
		snprintf(len, sizeof(len), "%d", rq->rq_capped);
		evhttp_add_header(out, "Termijn-Feed-Capped", len);
	}
	if (rq->rq_status < 400 && rq->rq_filename != NULL) {
		char	disp[128];

		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    rq->rq_filename);
		evhttp_add_header(out, "Content-Disposition", disp);
	}
	if (rq->rq_reqid[0] != '\0')
		evhttp_add_header(out, "X-Request-Id", rq->rq_reqid);
	/* Unavailable for now (a full disk, the read log, a stop). */
	if (rq->rq_status == 503)
		evhttp_add_header(out, "Retry-After", RETRY_AFTER);
	if ((buf = evbuffer_new()) == NULL)
		fatalx("evbuffer_new failed");
	if (rq->rq_answer != NULL)
		evbuffer_add(buf, rq->rq_answer, strlen(rq->rq_answer));
	/* JSON ends its line; a text answer (CSV, a document) is as it is. */
	if (rq->rq_answer == NULL || rq->rq_ctype == NULL || rq->rq_status >= 400)
		evbuffer_add(buf, "\n", 1);
	rq->rq_d->d_metrics.m_requests[rq->rq_status >= 100 &&
	    rq->rq_status < 600 ? rq->rq_status / 100 - 1 : 5]++;
	/*
	 * HEAD: the headers GET would get, with the length of the body it
	 * would get, and no body (evhttp would send one, and leave out the
	 * length, so that a client reads the body as the next answer).
	 */
	if (rq->rq_head) {
		snprintf(len, sizeof(len), "%zu", evbuffer_get_length(buf));
		evhttp_add_header(out, "Content-Length", len);
		evbuffer_drain(buf, evbuffer_get_length(buf));
	}
	evhttp_send_reply(rq->rq_http, rq->rq_status, reason(rq->rq_status),
	    buf);
	evbuffer_free(buf);
	req_free(rq);
}

/*
 * Every answer names the API's full version (the NL API Design Rules,
 * API-57): the info.version of the OpenAPI document termijnd serves.
 */
void
http_version_header(struct req *rq)
{
	evhttp_add_header(evhttp_request_get_output_headers(rq->rq_http),
	    "API-Version", openapi_version);
}

/*
 * The language of the answer: what Accept-Language asks for, else the
 * configured one.  Messages are in it from here until the answer goes.
 */
void
req_language(struct req *rq)
{
	const char	*h;

	h = evhttp_find_header(evhttp_request_get_input_headers(rq->rq_http),
	    "Accept-Language");
	rq->rq_lang = i18n_negotiate(h, rq->rq_d->d_conf.cf_lang);
	/* Without its catalogue, Dutch would be English called Dutch. */
	if (rq->rq_lang == I18N_NL && !rq->rq_d->d_dutch)
		rq->rq_lang = I18N_EN;
	i18n_use(rq->rq_lang);
}

void
req_free(struct req *rq)
{
	if (rq == NULL)
		return;
	/* Outside a request (the scheduler, a log line): the configured. */
	i18n_use(rq->rq_d->d_conf.cf_lang);
	json_decref(rq->rq_body);
	free(rq->rq_idem_key);
	free(rq->rq_answer);
	free(rq->rq_location);
	free(rq->rq_link);
	free(rq);
}

/*
 * Whether the client asks for CSV (Accept: text/csv) rather than JSON:
 * whichever of the two its Accept header names first, skipping any it
 * refuses with q=0.
 */
int
req_wants_csv(struct req *rq)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(rq->rq_http);
	const char		*accept = evhttp_find_header(h, "Accept");
	char			*list, *range, *save, *param, *psave, *type;
	int			 csv = 0, refused;

	if (accept == NULL)
		return 0;
	list = xstrdup(accept);
	for (range = strtok_r(list, ",", &save); range != NULL;
	    range = strtok_r(NULL, ",", &save)) {
		type = strtok_r(range, ";", &psave);
		type += strspn(type, " \t");
		type[strcspn(type, " \t")] = '\0';
		refused = 0;
		while ((param = strtok_r(NULL, ";", &psave)) != NULL) {
			param += strspn(param, " \t");
			if (strncasecmp(param, "q=", 2) == 0 &&
			    strtod(param + 2, NULL) <= 0)
				refused = 1;
		}
		if (refused)
			continue;
		if (strcasecmp(type, "text/csv") == 0) {
			csv = 1;
			break;
		}
		if (strcasecmp(type, "application/json") == 0)
			break;
	}
	free(list);
	return csv;
}

/*
 * Answer a list as CSV (csv.c): a header row of the columns, then each of
 * items; filename is what a browser saves it as.
 */
void
req_csv(struct req *rq, const struct csv_column *cols, size_t ncols,
    const json_t *items, const char *filename)
{
	const json_t	*o;
	FILE		*fp;
	char		*text = NULL;
	size_t		 len = 0, i;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	csv_head(fp, cols, ncols);
	json_array_foreach(items, i, o)
		csv_row(fp, cols, ncols, o);
	if (fclose(fp) != 0)
		fatal("writing CSV");
	req_text(rq, 200, text, "text/csv; charset=utf-8", filename);
}

/* An answer that is not JSON: text is taken over. */
void
req_text(struct req *rq, int status, char *text, const char *ctype,
    const char *filename)
{
	rq->rq_status = status;
	free(rq->rq_answer);
	rq->rq_answer = text;
	rq->rq_ctype = ctype;
	rq->rq_filename = filename;
}

/*
 * The Link to a list's next page (RFC 8288), for answers without a body of
 * their own to hold next_cursor (CSV): the request's own path and query,
 * with the cursor given.
 */
void
req_next_link(struct req *rq, const char *cursor)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(rq->rq_http);
	const char		*path = evhttp_uri_get_path(uri);
	const char		*qs = evhttp_uri_get_query(uri);
	char			*q, *part, *save, *kept, *tmp;

	free(rq->rq_link);
	rq->rq_link = NULL;
	if (cursor == NULL)
		return;
	kept = xstrdup("");
	q = xstrdup(qs ? qs : "");
	for (part = strtok_r(q, "&", &save); part != NULL;
	    part = strtok_r(NULL, "&", &save)) {
		if (strncmp(part, "cursor=", 7) == 0)
			continue;
		xasprintf(&tmp, "%s%s&", kept, part);
		free(kept);
		kept = tmp;
	}
	xasprintf(&rq->rq_link, "<%s?%scursor=%s>; rel=\"next\"", path, kept,
	    cursor);
	free(kept);
	free(q);
}

static const char *
reason(int code)
{
	size_t	i;

	for (i = 0; i < nitems(reasons); i++)
		if (reasons[i].code == code)
			return reasons[i].reason;
	return N_("Error");
}

/*
 * No log, no read: a read whose row in the read log could not be written
 * is not answered, and is unavailable (503) whatever kept the row out, with
 * the same answer for a case, a list, a view and the calendar feed; full
 * says whether the disk was full, else the database failed.
 */
void
req_unlogged(struct req *rq, int full)
{
	if (full)
		req_failf(rq, 503, N_("the read log cannot be written (the disk"
		    " is full), and every read of a case is logged before it is"
		    " answered: nothing was read; try again later"));
	else
		req_failf(rq, 503, N_("the read log cannot be written (the"
		    " database failed; see termijnd's log), and every read of a"
		    " case is logged before it is answered: nothing was read;"
		    " try again later"));
}

void
engine_problem(struct req *rq, const struct engine_error *ee, int64_t id)
{
	const struct workflow	*wf;
	const struct wf_state	*ws;
	struct case_row		 c;
	json_t			*extra = NULL, *accepts;
	char			 detail[768], *path;
	size_t			 i, n;

	snprintf(detail, sizeof(detail), "%s", ee->ee_msg);
	/*
	 * The state accepts the event, once someone has the case: what it
	 * accepts would say nothing to the point.  The answer names the state
	 * and where to pick the case up.
	 */
	if (ee->ee_pickup) {
		xasprintf(&path, "/v1/cases/%lld/assign",
		    (long long)ee->ee_case);
		extra = json_pack("{s:s, s:s}", "state", ee->ee_state,
		    "assign", path);
		free(path);
	} else if ((ee->ee_status == ENGINE_ECONFLICT || ee->ee_accepts) &&
	    store_case_get(rq->rq_d->d_store, id, &c) == STORE_OK &&
	    (wf = engine_case_workflow(rq->rq_d->d_engine, &c)) != NULL &&
	    (ws = workflow_state(wf, c.c_state)) != NULL) {
		accepts = json_array();
		n = strlen(detail);
		for (i = 0; i < ws->ws_nevents; i++) {
			json_array_append_new(accepts,
			    json_string(ws->ws_events[i].we_name));
			n += snprintf(detail + n, n < sizeof(detail) ?
			    sizeof(detail) - n : 0, "%s%s", i ? ", " :
			    _("; it accepts: "), ws->ws_events[i].we_name);
		}
		if (ws->ws_nevents == 0 && n < sizeof(detail))
			snprintf(detail + n, sizeof(detail) - n, "%s",
			    _("; it accepts no events"));
		extra = json_pack("{s:s, s:o}", "state", c.c_state,
		    "accepts", accepts);
	}
	if (ee->ee_status == ENGINE_EBASIS && ee->ee_workflow != NULL)
		extra = json_pack("{s:o}", "bases", view_bases(ee->ee_workflow,
		    ee->ee_bases, ee->ee_nbases));
	/* The case a refusal names: the open one a registration repeats. */
	if (ee->ee_case != 0) {
		if (extra == NULL)
			extra = json_object();
		json_object_set_new(extra, "case", json_integer(ee->ee_case));
	}
	req_problem(rq, engine_status_http(ee->ee_status), detail, extra);
	/* A failure of termijnd's own is the operator's to see, in English. */
	if (rq->rq_status >= 500)
		log_warnx("%d: %s", rq->rq_status, ee->ee_log);
}
