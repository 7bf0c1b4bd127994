/* termijn: unit tests for head.c, a request's head and query as termijnd reads them. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "termijn/util.h"

#include "termijnd.h"

#define MAX_BODY	65536
#define AUTH		"Authorization: Bearer tmj_x\r\n"

/* (head, status: 0 when accepted, words the detail must hold) */
static const struct {
	const char	*hc_head;
	int		 hc_status;
	const char	*hc_words;
	int64_t		 hc_length;
} head_cases[] = {
	{ "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 0, NULL, 0 },
	{ "GET /healthz HTTP/1.0\r\n\r\n", 0, NULL, 0 },
	{ "GET /healthz HTTP/1.1\nHost: x\n\n", 0, NULL, 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n",
	    0, NULL, 12 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\ncontent-length:  7 \r\n\r\n",
	    0, NULL, 7 },
	{ "GET /v1/cases?state=a%20b&limit=2 HTTP/1.1\r\nHost: x\r\n\r\n",
	    0, NULL, 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n"
	    "Content-Length: 65536\r\n\r\n", 0, NULL, 65536 },
	{ "GET / HTTP/1.1\r\nHost: x\r\nX-Note: caf\xc3\xa9\r\n\r\n", 0, NULL,
	    0 },

	/* Framing: one Content-Length of digits, never chunked. */
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
	    "Content-Length: 80\r\n\r\n", 400, "more than once", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
	    "Content-Length: 2\r\n\r\n", 400, "more than once", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 99999999999999999999999\r\n\r\n", 400,
	    "not a number of bytes", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
	    400, "not a number", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n",
	    400, "not a number", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n",
	    400, "not a number", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n\r\n",
	    413, "at most 65536", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n", 411, "Content-Length", 0 },
	{ "POST /v1/cases HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 3\r\n\r\n", 400, "together", 0 },
	{ "HEAD /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", 400,
	    "no body", 0 },

	/* Authorization: one, and no byte a token cannot hold. */
	{ "GET /v1/cases HTTP/1.1\r\nHost: x\r\n" AUTH AUTH "\r\n", 401,
	    "more than one Authorization", 0 },
	{ "GET /v1/cases HTTP/1.1\r\nHost: x\r\nX-A: a\x01" "b\r\n\r\n", 400,
	    "\"X-A\" has a control character", 0 },

	/* Host: exactly one in HTTP/1.1. */
	{ "GET /healthz HTTP/1.1\r\n\r\n", 400, "needs a Host", 0 },
	{ "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
	    "more than one Host", 0 },

	/* The request line. */
	{ "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501, "\"BREW\"", 0 },
	{ "get /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 501, "\"get\"", 0 },
	{ "GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line", 0 },
	{ "GET /healthz HTTP/1.1 \r\nHost: x\r\n\r\n", 400, "request line", 0 },
	{ "GET /healthz\r\nHost: x\r\n\r\n", 400, "request line", 0 },
	{ "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP/2.0", 0 },
	{ "GET /healthz HTTPS/1.1\r\nHost: x\r\n\r\n", 400, "request line", 0 },
	{ "GET http://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
	    "starts with '/'", 0 },
	{ "GET /a\"b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "percent-encoded", 0 },
	{ "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "hex digits", 0 },
	{ "GET /a%2 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "hex digits", 0 },
	{ "GET /./healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "\"..\" segment",
	    0 },
	{ "GET /v1/../healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "segment", 0 },
	{ "GET /v1/%2E%2e/healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "segment",
	    0 },
	{ "GET /v1/.. HTTP/1.1\r\nHost: x\r\n\r\n", 400, "segment", 0 },
	{ "GET /v1/..?a=b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "segment", 0 },
	{ "GET /v1/tokens/a.b HTTP/1.1\r\nHost: x\r\n\r\n", 0, NULL, 0 },
	{ "GET /v1/.well HTTP/1.1\r\nHost: x\r\n\r\n", 0, NULL, 0 },
	{ "GET /v1/... HTTP/1.1\r\nHost: x\r\n\r\n", 0, NULL, 0 },
	{ "GET /v1/cases?x=/../ HTTP/1.1\r\nHost: x\r\n\r\n", 0, NULL, 0 },

	/* Header lines. */
	{ "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400, "folding",
	    0 },
	{ "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "\"Host\" and its colon",
	    0 },
	{ "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400,
	    "without a colon", 0 },
	{ "GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n", 400,
	    "header name", 0 },
	{ "GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n", 400, "carriage return",
	    0 },
	{ "GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", 417,
	    "100-continue", 0 },
};

static void
test_head_parse(void **state)
{
	struct head	hd;
	char		err[256];
	size_t		i, len, scanned;
	int		status, rc;

	for (i = 0; i < nitems(head_cases); i++) {
		len = strlen(head_cases[i].hc_head);
		scanned = 0;
		if (head_length(head_cases[i].hc_head, len, &scanned) != len)
			fail_msg("case %zu: head_length does not see the end of"
			    " the head", i);
		status = 0;
		err[0] = '\0';
		rc = head_parse(head_cases[i].hc_head, len, MAX_BODY, &hd,
		    &status, err, sizeof(err));
		if (head_cases[i].hc_status == 0) {
			if (rc != 0)
				fail_msg("case %zu refused: %d %s", i, status,
				    err);
			assert_int_equal(hd.hd_length,
			    head_cases[i].hc_length);
			continue;
		}
		if (rc != -1 || status != head_cases[i].hc_status)
			fail_msg("case %zu: expected %d, got %d (%s)", i,
			    head_cases[i].hc_status, rc == 0 ? 0 : status,
			    err);
		if (strstr(err, head_cases[i].hc_words) == NULL)
			fail_msg("case %zu: \"%s\" does not hold \"%s\"", i,
			    err, head_cases[i].hc_words);
	}
}

/* libevent would keep the token up to the NUL and authenticate it. */
static void
test_head_nul_in_token(void **state)
{
	static const char	 h[] = "GET /v1/cases HTTP/1.1\r\nHost: x\r\n"
	    "Authorization: Bearer tmj_x\0junk\r\n\r\n";
	struct head		 hd;
	char			 err[256];
	size_t			 scanned = 0;
	int			 status = 0;

	assert_int_equal(head_length(h, sizeof(h) - 1, &scanned),
	    sizeof(h) - 1);
	assert_int_equal(head_parse(h, sizeof(h) - 1, MAX_BODY, &hd, &status,
	    err, sizeof(err)), -1);
	assert_int_equal(status, 401);
	assert_string_equal(err, "the Authorization header has a control"
	    " character");
}

static void
test_head_length(void **state)
{
	const char	*h = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
	size_t		 scanned = 0, i;

	/* Byte by byte, as a slow client sends it. */
	for (i = 1; i < 27; i++)
		assert_int_equal(head_length(h, i, &scanned), 0);
	assert_int_equal(head_length(h, 27, &scanned), 27);
	scanned = 0;
	assert_int_equal(head_length(h, strlen(h), &scanned), 27);
	scanned = 0;
	assert_int_equal(head_length("GET / HTTP/1.0\n\nx", 17, &scanned), 16);
}

static const char *const allowed[] = { "state", "limit", "from", NULL };

static const struct {
	const char	*qc_query;
	const char	*qc_error;	/* NULL: accepted */
} query_cases[] = {
	{ NULL, NULL },
	{ "", NULL },
	{ "state=open", NULL },
	{ "state=a%20b&limit=2", NULL },
	{ "from=2026-03-27T12:00:00%2B01:00", NULL },
	{ "from=2026-03-27T12:00:00+01:00", NULL },	/* a space inside */
	{ "state=", NULL },
	{ "state", NULL },
	{ "state=a&state=b", "query parameter \"state\" is given more than once" },
	{ "limit=1&limit=1", "query parameter \"limit\" is given more than once" },
	{ "lim%69t=1&limit=2", "query parameter \"limit\" is given more than once" },
	{ "colour=red", "unknown query parameter \"colour\"" },
	{ "state=a%00b", "query parameter \"state\" has a control character" },
	{ "state=a%0ab", "query parameter \"state\" has a control character" },
	{ "state%00=a", "unknown query parameter \"state?\"" },
	{ "state=co%C3%B6rdinatie", NULL },
	{ "state=%E2%82%AC", NULL },
	{ "state=a%ffb", "query parameter \"state\" is not UTF-8 text" },
	{ "state=a%C3", "query parameter \"state\" is not UTF-8 text" },
	{ "state=%ED%A0%80", "query parameter \"state\" is not UTF-8 text" },
	{ "state=+open", "query parameter \"state\" has spaces around its value" },
	{ "state=open%20", "query parameter \"state\" has spaces around its value" },
	{ "state=%zz", "query parameter \"state\" has a '%' not followed by two hex digits" },
	{ "state=%2", "query parameter \"state\" has a '%' not followed by two hex digits" },
	{ "=open", "a parameter without a name" },
	{ "state=a&&limit=1", "a parameter without a name" },
};

static void
test_head_query(void **state)
{
	struct evkeyvalq	q;
	char			err[256];
	size_t			i;
	int			rc;

	for (i = 0; i < nitems(query_cases); i++) {
		err[0] = '\0';
		rc = head_query(query_cases[i].qc_query, allowed, &q, err,
		    sizeof(err));
		if (query_cases[i].qc_error == NULL) {
			if (rc != 0)
				fail_msg("\"%s\" refused: %s",
				    query_cases[i].qc_query, err);
			evhttp_clear_headers(&q);
			continue;
		}
		if (rc != -1)
			fail_msg("\"%s\" accepted", query_cases[i].qc_query);
		if (strstr(err, query_cases[i].qc_error) == NULL)
			fail_msg("\"%s\": \"%s\" does not hold \"%s\"",
			    query_cases[i].qc_query, err,
			    query_cases[i].qc_error);
		assert_true(TAILQ_EMPTY(&q));
	}

	assert_int_equal(head_query("state=a%20b&limit=2", allowed, &q, err,
	    sizeof(err)), 0);
	assert_string_equal(evhttp_find_header(&q, "state"), "a b");
	assert_string_equal(evhttp_find_header(&q, "limit"), "2");
	evhttp_clear_headers(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_parse),
		cmocka_unit_test(test_head_nul_in_token),
		cmocka_unit_test(test_head_length),
		cmocka_unit_test(test_head_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
