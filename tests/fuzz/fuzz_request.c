/*
 * termijn: libFuzzer target for what termijnd does with a request body.
 *
 * The input is the body of a POST.  It goes through termijnd's own
 * handlers for POST /v1/cases and POST /v1/cases/{id}/events, in process:
 * each gets a request made with evhttp_request_new that carries the body
 * and "Content-Type: application/json", so that req_body_object parses it
 * with json_loadb (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY), refuses
 * unknown fields, and the handler checks its fields (strings, dates and
 * timestamps through cal_parse_time).  A refused body is answered as termijnd
 * answers it (a problem document, its detail scrubbed to UTF-8); such a
 * request has no connection, so evhttp frees it, and termijnd frees its own
 * state.  An accepted body waits in the commit queue; it is taken out
 * there, and the engine's checks of the values a case takes (name_valid,
 * name_looks_like_bsn) are applied to it and to every string in the
 * body.  Nothing reaches the store.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/name.h"
#include "termijn/util.h"

#include "termijnd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct termijnd	fuzz_d;
static int		fuzz_ready;

static void
fuzz_init(void)
{
	struct errlist	errs;

	errlist_init(&errs);
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1) {
		fprintf(stderr, "%s\n", errs.el_count ? errs.el_msgs[0] : "?");
		abort();
	}
	errlist_clear(&errs);
	config_defaults(&fuzz_d.d_conf);
	if ((fuzz_d.d_base = event_base_new()) == NULL)
		abort();
	commit_init(&fuzz_d, NULL);
	fuzz_ready = 1;
}

/* The checks termijn applies to a string a client sent, on any string. */
static void
check_string(const char *s)
{
	int64_t	ms, back;

	/* [A-Za-z0-9][A-Za-z0-9._/-]{0,63}: it fits a store name. */
	if (name_valid(s) && strlen(s) > 64)
		abort();
	(void)name_looks_like_bsn(s);
	if (cal_parse_time(s, &ms) == 0 &&
	    (cal_parse_time(s, &back) != 0 || back != ms))
		abort();
}

static void
walk(json_t *v)
{
	const char	*key;
	json_t		*item;
	size_t		 i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, item) {
			check_string(key);
			walk(item);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
			walk(item);
		break;
	case JSON_STRING:
		check_string(json_string_value(v));
		break;
	default:
		break;
	}
}

/* A field the handler has accepted: a string when present, else absent or null. */
static const char *
field(json_t *body, const char *name, int required)
{
	json_t	*v = json_object_get(body, name);

	if (v == NULL || json_is_null(v)) {
		if (required)
			abort();
		return NULL;
	}
	if (!json_is_string(v))
		abort();
	return json_string_value(v);
}

/* A date field the handler has accepted must read as rq_when. */
static void
check_when(const struct req *rq, const char *name)
{
	const char	*s = field(rq->rq_body, name, 0);
	int64_t		 ms;

	if (s == NULL) {
		if (rq->rq_when != 0)
			abort();
		return;
	}
	if (cal_parse_time(s, &ms) != 0 || ms != rq->rq_when)
		abort();
}

static void
accepted(struct req *rq, const char *const *fields, int create)
{
	const char	*key, *ref, *team;
	json_t		*v;
	size_t		 i;

	if (rq->rq_body == NULL || !json_is_object(rq->rq_body) ||
	    rq->rq_status != 0 || rq->rq_answer != NULL)
		abort();
	json_object_foreach(rq->rq_body, key, v) {
		for (i = 0; fields[i] != NULL; i++)
			if (strcmp(key, fields[i]) == 0)
				break;
		if (fields[i] == NULL)
			abort();
	}
	if (create) {
		(void)field(rq->rq_body, "workflow", 1);
		ref = field(rq->rq_body, "reference", 1);
		team = field(rq->rq_body, "team", 1);
		check_when(rq, "started_at");
		/* engine_case_create's checks, in its order. */
		if (name_valid(ref))
			(void)name_looks_like_bsn(ref);
		(void)name_valid(team);
	} else {
		(void)field(rq->rq_body, "event", 1);
		(void)field(rq->rq_body, "note", 0);
		check_when(rq, "date");
	}
	walk(rq->rq_body);
}

static void
one(const uint8_t *data, size_t size, void (*handler)(struct req *),
    const char *const *fields, int create)
{
	struct evhttp_request	*http;
	struct req		*rq;
	uint64_t		 before[6];

	if ((http = evhttp_request_new(NULL, NULL)) == NULL)
		abort();
	if (evhttp_add_header(evhttp_request_get_input_headers(http),
	    "Content-Type", "application/json") == -1 ||
	    evbuffer_add(evhttp_request_get_input_buffer(http), data,
	    size) == -1)
		abort();
	rq = xcalloc(1, sizeof(*rq));
	rq->rq_http = http;
	rq->rq_d = &fuzz_d;
	rq->rq_id = 1;
	memcpy(before, fuzz_d.d_metrics.m_requests, sizeof(before));

	handler(rq);

	if (!TAILQ_EMPTY(&fuzz_d.d_pending)) {
		/* Accepted: it waits for the commit, unanswered. */
		if (TAILQ_FIRST(&fuzz_d.d_pending) != rq ||
		    TAILQ_NEXT(rq, rq_entry) != NULL ||
		    memcmp(before, fuzz_d.d_metrics.m_requests,
		    sizeof(before)) != 0)
			abort();
		TAILQ_REMOVE(&fuzz_d.d_pending, rq, rq_entry);
		accepted(rq, fields, create);
		evhttp_request_free(rq->rq_http);
		req_free(rq);
		return;
	}
	/* Refused: answered once, with a 4xx; rq and http are freed. */
	if (fuzz_d.d_metrics.m_requests[3] != before[3] + 1)
		abort();
	before[3]++;
	if (memcmp(before, fuzz_d.d_metrics.m_requests, sizeof(before)) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const create[] = {
		"workflow", "reference", "team", "started_at", NULL
	};
	static const char *const event[] = { "event", "note", "date", NULL };

	if (!fuzz_ready)
		fuzz_init();
	one(data, size, http_cases_create, create, 1);
	one(data, size, http_cases_event, event, 0);
	return 0;
}
