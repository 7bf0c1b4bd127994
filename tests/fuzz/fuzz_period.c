/* termijn: libFuzzer target for the period and timestamp parsers. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/period.h"
#include "termijn/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fuzz_ready;

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
	fuzz_ready = 1;
}

/* What a parser accepts must read back the same after formatting. */
static void
fuzz_period(const char *s, int64_t anchor)
{
	struct period_spec	 ps;
	struct period		 back;
	struct due		 du;
	char			 err[256], buf[32];
	enum period_rule	 r;

	memset(&ps, 0, sizeof(ps));
	err[0] = '\0';
	if (period_parse(s, &ps.ps_period, err, sizeof(err)) == -1) {
		if (strncmp(err, "period \"", 8) != 0)
			abort();
		return;
	}
	if (ps.ps_period.p_count < 1 || ps.ps_period.p_count > PERIOD_MAX_COUNT)
		abort();
	period_format(&ps.ps_period, buf, sizeof(buf));
	if (period_parse(buf, &back, err, sizeof(err)) == -1 ||
	    back.p_count != ps.ps_period.p_count ||
	    back.p_unit != ps.ps_period.p_unit)
		abort();

	for (r = PR_PLAIN; r <= PR_BACKWARD; r++) {
		ps.ps_rule = r;
		ps.ps_courtesy = (int)r & 1;
		if (period_due(anchor, &ps, &du, err, sizeof(err)) == 0) {
			if (du.du_nwhy == 0)
				abort();
			if (du.du_day_granular != !period_is_hours(&ps.ps_period))
				abort();
		}
		due_free(&du);
	}
}

static void
fuzz_time(const char *s)
{
	char		buf[CAL_TIME_LEN], err[256];
	int64_t		ms, back;

	if (cal_parse_time_err(s, &ms, err, sizeof(err)) == -1) {
		if (cal_parse_time(s, &back) != -1)
			abort();
		return;
	}
	if (cal_parse_time(s, &back) == -1 || back != ms)
		abort();
	cal_format_time(ms, buf);
	if (cal_parse_time(buf, &back) == -1 || back != ms)
		abort();
}

static void
fuzz_date(const char *s)
{
	struct cal_date	cd;
	char		buf[CAL_DATE_LEN];

	if (cal_date_parse(s, &cd) == -1)
		return;
	cal_date_format(&cd, buf);
	if (strcmp(buf, s) != 0)
		abort();
	if (cal_weekday(&cd) < 1 || cal_weekday(&cd) > 7)
		abort();
	(void)cal_holiday(&cd);
	(void)cal_is_working_day(&cd, 1);
}

/*
 * The input is tried whole against every parser.  With a newline, the
 * first line is a period and the second an anchor timestamp, so that the
 * fuzzer can also reach period_due with anchors of its own.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *nl;
	int64_t	 anchor = INT64_C(1772665200000);	/* 2026-03-05 local */

	if (!fuzz_ready)
		fuzz_init();
	if (size > 256)
		return 0;
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	fuzz_time(s);
	fuzz_date(s);
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		fuzz_time(nl + 1);
		if (cal_parse_time(nl + 1, &anchor) == -1)
			anchor = INT64_C(1772665200000);
	}
	fuzz_period(s, anchor);
	free(s);
	return 0;
}
