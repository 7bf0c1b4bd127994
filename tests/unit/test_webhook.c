/* termijn: unit tests for the webhook signature and the retry schedule. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/webhook.h"

/*
 * Signatures as a receiver computes them: the expected values come from
 * `openssl dgst -sha256 -hmac KEY` and Python's hmac module over
 * "<t>.<body>", not from this code.
 */
static void
test_sign(void **state)
{
	static const struct {
		const char	*key;
		int64_t		 t;
		const char	*body;
		const char	*sig;
	} cases[] = {
		{ "whsec-0123456789abcdef", 1767225600,
		    "{\"id\":\"termijn-1-handhaving-enforcement\"}",
		    "t=1767225600,v1=bf7d24aa0790e1e6bec012eafa7cb7b0ebfb8f050b5"
		    "561b6fe5b628e88d33b10" },
		{ "k", 0, "",
		    "t=0,v1=6b4a4b8b3c40f1e8f53a3d36682e5f99f7ad2ac1df1c93dfe33"
		    "6f329167641e7" },
		{ "Jefe", 1, "what do ya want for nothing?",
		    "t=1,v1=a9049465ce89cfb8e9aac62333abda66f80e3403f51f57f6bae"
		    "3c3a4485eca38" },
	};
	char	sig[WEBHOOK_SIGNATURE_LEN];
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		webhook_sign(cases[i].key, strlen(cases[i].key), cases[i].t,
		    cases[i].body, strlen(cases[i].body), sig);
		assert_string_equal(sig, cases[i].sig);
	}
}

/* The cap doubles from backoff up to backoff_max; the wait is within it. */
static void
test_backoff(void **state)
{
	static const struct webhook_policy wp = { 8, 1000, 30000 };
	static const int64_t caps[] = {
		1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
	};
	int	n;

	for (n = 1; n <= (int)nitems(caps); n++) {
		assert_int_equal(webhook_backoff(&wp, n, 0), 0);
		assert_int_equal(webhook_backoff(&wp, n, (uint64_t)caps[n - 1]),
		    caps[n - 1]);
		assert_int_equal(webhook_backoff(&wp, n,
		    (uint64_t)caps[n - 1] + 1), 0);
		assert_true(webhook_backoff(&wp, n, UINT64_MAX) <= caps[n - 1]);
	}
	/* Far past the cap, no overflow. */
	assert_true(webhook_backoff(&wp, 1000, UINT64_MAX) <= 30000);
}

static void
test_outcome(void **state)
{
	static const struct webhook_policy wp = { 3, 1000, 60000 };
	struct outbox_row	o;

	memset(&o, 0, sizeof(o));
	snprintf(o.o_status, sizeof(o.o_status), "pending");
	o.o_next_at = 100;

	/* Two failures: pending again, each later, the error kept. */
	webhook_outcome(&o, &wp, WEBHOOK_FAILED, "HTTP 500", 5000, 999);
	assert_string_equal(o.o_status, "pending");
	assert_int_equal(o.o_attempts, 1);
	assert_int_equal(o.o_next_at, 5999);
	assert_string_equal(o.o_last_error, "HTTP 500");
	webhook_outcome(&o, &wp, WEBHOOK_FAILED, "connection refused", 6000,
	    2000);
	assert_string_equal(o.o_status, "pending");
	assert_int_equal(o.o_attempts, 2);
	assert_int_equal(o.o_next_at, 8000);
	assert_string_equal(o.o_last_error, "connection refused");
	assert_int_equal(o.o_delivered_at, 0);

	/* The third is the last: dead. */
	webhook_outcome(&o, &wp, WEBHOOK_FAILED, "HTTP 503", 9000, 0);
	assert_string_equal(o.o_status, "dead");
	assert_int_equal(o.o_attempts, 3);
	assert_string_equal(o.o_last_error, "HTTP 503");

	/* Retried by an admin, then delivered: the old error stays. */
	snprintf(o.o_status, sizeof(o.o_status), "pending");
	o.o_attempts = 0;
	webhook_outcome(&o, &wp, WEBHOOK_DELIVERED, NULL, 20000, 0);
	assert_string_equal(o.o_status, "delivered");
	assert_int_equal(o.o_attempts, 1);
	assert_int_equal(o.o_delivered_at, 20000);
	assert_string_equal(o.o_last_error, "HTTP 503");

	/* Nowhere to send it: dead at once, without an attempt. */
	memset(&o, 0, sizeof(o));
	webhook_outcome(&o, &wp, WEBHOOK_UNDELIVERABLE, "no webhook", 1, 0);
	assert_string_equal(o.o_status, "dead");
	assert_int_equal(o.o_attempts, 0);
	assert_string_equal(o.o_last_error, "no webhook");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_outcome),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
