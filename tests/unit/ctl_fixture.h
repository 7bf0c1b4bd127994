/*
 * termijn: what termijnctl's unit tests share: its printing helpers,
 * compiled in, and a capture of what a print function wrote.  Each helper
 * is static; a test file uses some of them.
 *
 * Include it after cmocka.h.
 */
#ifndef TERMIJN_TEST_CTL_FIXTURE_H
#define TERMIJN_TEST_CTL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/*
 * The test target links only the core library, and these helpers belong to
 * termijnctl, so their sources are compiled in here.  They do no network
 * I/O: ctl_api.c, which does, stays out.
 */
#include "../../daemon/termijnctl/ctl_late.c"
#include "../../daemon/termijnctl/ctl_penalty.c"
#include "../../daemon/termijnctl/ctl_flags.c"
#include "../../daemon/termijnctl/ctl_notify.c"
#include "../../daemon/termijnctl/ctl_print.c"
#include "../../daemon/termijnctl/ctl_print_case.c"
#include "../../daemon/termijnctl/ctl_problem.c"
#include "../../daemon/termijnctl/ctl_table.c"
#include "../../daemon/termijnctl/ctl_title.c"

#ifndef FX_UNUSED
#define FX_UNUSED	__attribute__((unused))
#endif

struct capture;

static void	 capture_start(struct capture *) FX_UNUSED;
static const char *capture_end(struct capture *) FX_UNUSED;
static json_t	*parse(const char *) FX_UNUSED;

/* What a print function wrote, as one allocated string. */
struct capture {
	char	*buf;
	size_t	 len;
	FILE	*fp;
};

static void
capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	if ((c->fp = open_memstream(&c->buf, &c->len)) == NULL)
		fail_msg("open_memstream");
}

static const char *
capture_end(struct capture *c)
{
	fclose(c->fp);
	return c->buf;
}

static json_t *
parse(const char *s)
{
	json_error_t	 e;
	json_t		*j;

	if ((j = json_loads(s, 0, &e)) == NULL)
		fail_msg("bad JSON in test: %s", e.text);
	return j;
}

#endif /* TERMIJN_TEST_CTL_FIXTURE_H */
