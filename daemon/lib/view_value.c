/* termijn: the values every view is made of: times, free text, a due moment, a page. */

#include <stdio.h>
#include <stdlib.h>

#include "termijn/calendar.h"
#include "termijn/period.h"
#include "termijn/utf8.h"
#include "termijn/view.h"

/*
 * Nothing here reads a case or asks the engine: view.c, view_admin.c and
 * view_workflow.c build on these.
 */

/* An instant as ISO 8601 local time with its offset. */
json_t *
view_time(int64_t ms)
{
	char	buf[CAL_TIME_LEN];

	cal_format_time(ms, buf);
	return json_string(buf);
}

/*
 * Text that is not UTF-8 would be dropped from the answer by jansson,
 * with the member that holds it: explanations quoting a decree file an
 * administrator wrote, and notes and purposes stored cut inside a
 * character before termijn refused to cut them.  Such text is shown,
 * with U+FFFD where a byte is no part of a character, rather than lost.
 */
json_t *
view_text(const char *s)
{
	json_t	*j;
	char	*copy;

	if ((j = json_string(s)) != NULL)
		return j;
	copy = utf8_replace(s);
	j = json_string(copy);
	free(copy);
	return j;
}

/*
 * "due" is the last day for a day-granular period and the instant itself
 * for hours, as in a case's deadlines; the explanation keeps its order.
 */
json_t *
view_due(const struct period_spec *ps, const struct due *du)
{
	json_t	*why, *due;
	char	 date[CAL_DATE_LEN], period[24];
	size_t	 i;

	why = json_array();
	for (i = 0; i < du->du_nwhy; i++)
		json_array_append_new(why, view_text(du->du_why[i]));
	if (du->du_day_granular) {
		cal_date_format(&du->du_date, date);
		due = json_string(date);
	} else
		due = view_time(du->du_at);
	period_format(&ps->ps_period, period, sizeof(period));
	return json_pack("{s:o, s:o, s:s, s:s, s:o, s:b}", "due", due,
	    "overdue_from", view_time(du->du_at),
	    "rule", period_rule_name(ps->ps_rule), "period", period,
	    "explanation", why, "decree_missing", du->du_decree_missing != 0);
}

/*
 * A page of a list: its items, and the cursor to go on from when the page
 * is full (the id of its last item), else null.
 */
json_t *
view_page(const char *key, json_t *items, int64_t last, int full)
{
	char	cursor[32];

	snprintf(cursor, sizeof(cursor), "%lld", (long long)last);
	return json_pack("{s:o, s:s?}", key, items, "next_cursor",
	    full ? cursor : NULL);
}
