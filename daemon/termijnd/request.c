/* termijn: a request's body and query string, checked; answers on refusal. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "termijn/quote.h"
#include "termijn/text.h"
#include "termijn/utf8.h"

#include "termijnd.h"

#define IDEM_KEY_MAX	128

static void	 body_refused(struct req *, const char *, size_t,
		    const json_error_t *);

/*
 * Read the body as a JSON object whose members are all in allowed (NULL
 * terminated).  Answers the request and returns -1 when it is not.
 */
int
req_body_object(struct req *rq, const char *const *allowed)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(rq->rq_http);
	struct evkeyvalq *h = evhttp_request_get_input_headers(rq->rq_http);
	const char	*ctype = evhttp_find_header(h, "Content-Type");
	const char	*key, *idem;
	size_t		 len = evbuffer_get_length(in), i, klen;
	json_error_t	 jerr;
	json_t		*value;
	char		*text, *hashed;

	if (len > rq->rq_d->d_conf.cf_max_body) {
		http_problemf(rq, 413, _("the body has %zu bytes; at most %zu"
		    " are allowed"), len, rq->rq_d->d_conf.cf_max_body);
		return -1;
	}
	klen = strlen("application/json");
	if (ctype == NULL || strncasecmp(ctype, "application/json", klen) != 0 ||
	    (ctype[klen] != '\0' && ctype[klen] != ';' && ctype[klen] != ' ')) {
		if (ctype != NULL)
			http_problemf(rq, 415, _("the body must be JSON, sent"
			    " with \"Content-Type: application/json\""
			    " (got \"%s\")"), ctype);
		else
			http_problemf(rq, 415, _("the body must be JSON, sent"
			    " with \"Content-Type: application/json\""));
		return -1;
	}
	if ((idem = evhttp_find_header(h, "Idempotency-Key")) != NULL) {
		klen = strlen(idem);
		for (i = 0; i < klen; i++)
			if (idem[i] < 0x21 || idem[i] > 0x7e)
				break;
		if (klen == 0 || klen > IDEM_KEY_MAX || i != klen) {
			http_problemf(rq, 400, _("Idempotency-Key must be 1 to"
			    " %d printable characters"), IDEM_KEY_MAX);
			return -1;
		}
		rq->rq_idem_key = xstrdup(idem);
	}
	text = xmalloc(len + 1);
	evbuffer_copyout(in, text, len);
	text[len] = '\0';
	if (rq->rq_idem_key != NULL) {
		xasprintf(&hashed, "%s %s\n%s",
		    http_method_name(evhttp_request_get_command(rq->rq_http)),
		    evhttp_request_get_uri(rq->rq_http), text);
		hash_sha256_hex(hashed, strlen(hashed), rq->rq_reqhash);
		free(hashed);
	}
	rq->rq_body = json_loadb(text, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &jerr);
	if (rq->rq_body == NULL) {
		/* The answer frees rq. */
		body_refused(rq, text, len, &jerr);
		free(text);
		return -1;
	}
	free(text);
	if (!json_is_object(rq->rq_body)) {
		http_problemf(rq, 400, _("the body must be a JSON object"));
		return -1;
	}
	json_object_foreach(rq->rq_body, key, value) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			http_problemf(rq, 400, _("unknown field \"%.64s\""),
			    key);
			return -1;
		}
	}
	return 0;
}

/*
 * A body jansson refused, answered.  Text that is not UTF-8 (a byte that
 * is no part of a character, an escape such as \ud800 that is none) is
 * named by the member whose value holds it, so that a client knows which
 * field to mend; anything else by where it went wrong.
 */
static void
body_refused(struct req *rq, const char *text, size_t len,
    const json_error_t *jerr)
{
	char	name[QUOTE_LEN];
	size_t	bad;

	if ((bad = utf8_span(text, len)) < len) {
		if (text_json_member(text, len, bad, name, sizeof(name)))
			http_problemf(rq, 400, _("field \"%s\" is not UTF-8"
			    " text: byte %zu of the body is no part of a"
			    " UTF-8 character"), name, bad + 1);
		else
			http_problemf(rq, 400, _("the body is not UTF-8 text:"
			    " byte %zu is no part of a UTF-8 character"),
			    bad + 1);
		return;
	}
	/* jansson decodes a string once it read its closing quote. */
	if (strstr(jerr->text, "invalid Unicode") != NULL &&
	    jerr->position > 0 && text_json_member(text, len,
	    (size_t)jerr->position - 1, name, sizeof(name))) {
		http_problemf(rq, 400, _("field \"%s\" is not UTF-8 text: %s"),
		    name, jerr->text);
		return;
	}
	http_problemf(rq, 400, _("malformed JSON at line %d, column %d: %s"),
	    jerr->line, jerr->column, jerr->text);
}

/* A string member of the body; missing is an error when required.  Answers on error. */
int
req_string(struct req *rq, const char *name, int required, const char **out)
{
	json_t	*v = json_object_get(rq->rq_body, name);

	if (out != NULL)
		*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_problemf(rq, 400, _("missing field \"%s\""), name);
		return -1;
	}
	if (!json_is_string(v)) {
		http_problemf(rq, 400, _("field \"%s\" must be a string"),
		    name);
		return -1;
	}
	if (out != NULL)
		*out = json_string_value(v);
	return 0;
}

/*
 * A string member of free text (limits.h): at most max bytes, never cut
 * to fit; missing is an error when required.  Answers on error.
 */
int
req_free_text(struct req *rq, const char *name, int required,
    size_t max)
{
	const char	*s;
	char		 err[256];

	if (req_string(rq, name, required, &s) == -1)
		return -1;
	if (s != NULL && text_check(name, s, max, err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		return -1;
	}
	return 0;
}

/* A true-or-false member of the body, false when missing.  Answers on error. */
int
req_bool(struct req *rq, const char *name, int *out)
{
	json_t	*v = json_object_get(rq->rq_body, name);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		http_problemf(rq, 400, _("field \"%s\" must be true or false"),
		    name);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/*
 * The query string, through the one parser every endpoint shares
 * (head_query): a parameter not in allowed, given twice, or with a control
 * character or spaces around its value is answered 400, naming it.
 */
int
req_query(struct req *rq, const char *const *allowed, struct evkeyvalq *q)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(rq->rq_http);
	char			 err[256];

	if (head_query(uri ? evhttp_uri_get_query(uri) : NULL, allowed, q,
	    err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		return -1;
	}
	return 0;
}

/* A parameter of q, answered 400 and -1 when it is required and missing. */
int
req_param(struct req *rq, struct evkeyvalq *q, const char *name,
    int required, const char **out)
{
	if ((*out = evhttp_find_header(q, name)) == NULL && required) {
		http_problemf(rq, 400, _("missing query parameter \"%s\""),
		    name);
		return -1;
	}
	return 0;
}

/*
 * The filters of a list or a view (team, workflow, state, kind), checked
 * against what termijnd knows (engine_filter_check): a value that names
 * nothing is answered 400, with the name most likely meant, before
 * anything is read.
 */
int
req_filters(struct req *rq, struct evkeyvalq *q)
{
	struct filter_names	fn;
	struct engine_error	ee;

	fn.fn_team = evhttp_find_header(q, "team");
	fn.fn_workflow = evhttp_find_header(q, "workflow");
	fn.fn_state = evhttp_find_header(q, "state");
	fn.fn_kind = evhttp_find_header(q, "kind");
	if (engine_filter_check(rq->rq_d->d_engine, &rq->rq_actor, &fn,
	    &ee) == -1) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		return -1;
	}
	return 0;
}

/*
 * limit (1 to LIST_MAX, default def) and cursor (the
 * next_cursor of the previous page) of a paged list.  Answers on error.
 */
int
page_params(struct req *rq, struct evkeyvalq *q, int def, int64_t *after,
    int *limit)
{
	const char	*v;
	char		*end;
	long long	 n;

	*limit = def;
	if (after != NULL)
		*after = 0;
	if ((v = evhttp_find_header(q, "limit")) != NULL) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0 || *end != '\0' || end == v || n < 1 ||
		    n > LIST_MAX) {
			http_problemf(rq, 400, _("limit must be a number from 1"
			    " to %d"), LIST_MAX);
			return -1;
		}
		*limit = (int)n;
	}
	/* A view's cursor is its own (after = NULL): checked where it is read. */
	if (after != NULL && (v = evhttp_find_header(q, "cursor")) != NULL) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0 || *end != '\0' || end == v || n < 0) {
			http_problemf(rq, 400, _("cursor \"%.32s\" is not one"
			    " this API gave"), v);
			return -1;
		}
		*after = n;
	}
	return 0;
}

/*
 * Tokens, the retention run and the outbox are the administrator's;
 * answers on refusal.
 */
int
admin_only(struct req *rq)
{
	if (strcmp(rq->rq_token.tk_role, "admin") == 0)
		return 0;
	http_problemf(rq, 403, _("only a token with role admin may do this"));
	return -1;
}

/* A method's name, for the log and for a request's hash. */
static const struct {
	enum evhttp_cmd_type	 mn_method;
	const char		*mn_name;
} method_names[] = {
	{ EVHTTP_REQ_GET, "GET" }, { EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_HEAD, "HEAD" }, { EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_DELETE, "DELETE" }, { EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" }, { EVHTTP_REQ_CONNECT, "CONNECT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
};

const char *
http_method_name(enum evhttp_cmd_type m)
{
	size_t	i;

	for (i = 0; i < nitems(method_names); i++)
		if (method_names[i].mn_method == m)
			return method_names[i].mn_name;
	return "OTHER";
}
