/*
 * termijn: libFuzzer target for head.c, what termijnd reads of a request
 * before libevent does.
 *
 * The input is tried as the bytes a client sends: head_length finds where
 * its head ends (fed whole, then again a byte at a time as a slow client
 * would, which must agree), and head_parse checks that head.  It is also
 * tried as a query string against head_query, whose every accepted value
 * must have no control character and no space at either end, under a name
 * that is allowed and given once.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "termijn/util.h"

#include "termijnd.h"

#define FUZZ_MAX_BODY	65536

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_head(const char *buf, size_t len)
{
	struct head	 hd;
	char		 err[256];
	size_t		 end, scanned = 0, i, again = 0;
	int		 status = 0;

	end = head_length(buf, len, &scanned);
	for (i = 1, scanned = 0; i <= len && again == 0; i++)
		again = head_length(buf, i, &scanned);
	if (again != end || end > len)
		abort();
	if (end == 0)
		return;
	err[0] = '\0';
	if (head_parse(buf, end, FUZZ_MAX_BODY, &hd, &status, err,
	    sizeof(err)) == 0) {
		if (hd.hd_length < 0 || hd.hd_length > FUZZ_MAX_BODY ||
		    (hd.hd_head && hd.hd_length != 0))
			abort();
		return;
	}
	if (status < 400 || status > 505 || err[0] == '\0')
		abort();
}

static void
fuzz_query(const char *s)
{
	static const char *const allowed[] = {
		"state", "workflow", "team", "limit", "cursor", "from", NULL
	};
	struct evkeyvalq	 q;
	struct evkeyval		*kv, *other;
	char			 err[256];
	size_t			 i, n;

	if (head_query(s, allowed, &q, err, sizeof(err)) == -1) {
		if (err[0] == '\0' || !TAILQ_EMPTY(&q))
			abort();
		return;
	}
	TAILQ_FOREACH(kv, &q, next) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(kv->key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			abort();
		n = strlen(kv->value);
		for (i = 0; i < n; i++)
			if ((unsigned char)kv->value[i] < 0x20 ||
			    kv->value[i] == 0x7f)
				abort();
		if (n > 0 && (kv->value[0] == ' ' || kv->value[n - 1] == ' '))
			abort();
		for (other = TAILQ_NEXT(kv, next); other != NULL;
		    other = TAILQ_NEXT(other, next))
			if (strcmp(other->key, kv->key) == 0)
				abort();
	}
	evhttp_clear_headers(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size > 8192)
		return 0;
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_head(s, size);
	fuzz_query(s);
	free(s);
	return 0;
}
