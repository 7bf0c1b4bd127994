/* termijn: termijnctl on deadlines that passed, and how late a case is. */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

/*
 * Whether a case is late, and how late, is termijnd's word: the members
 * "overdue", "overdue_days", "overdue_working_days" and "overdue_seconds"
 * that GET /v1/overdue and the case give alike.  They are written here
 * once, for termijnctl overdue and case show, as the dashboard writes them.
 */

const char *
ctl_late_age(const json_t *o, char *buf, size_t len)
{
	const json_t	*wd = json_object_get(o, "overdue_working_days");
	json_int_t	 d = json_integer_value(json_object_get(o,
			    "overdue_days"));
	json_int_t	 w;
	char		 span[64], days[32], working[32];

	if (d == 0)
		snprintf(buf, len, "%s", _("passed today"));
	else if (json_is_integer(wd)) {
		w = json_integer_value(wd);
		snprintf(days, sizeof(days), P_("%lld day", "%lld days", d),
		    (long long)d);
		/* TRANSLATORS: working days, in "12 days (6 working)". */
		snprintf(working, sizeof(working), P_("%lld working",
		    "%lld working", w), (long long)w);
		snprintf(buf, len, "%s (%s)", days, working);
	} else
		snprintf(buf, len, "%s", ctl_print_span(json_integer_value(
		    json_object_get(o, "overdue_seconds")), span,
		    sizeof(span)));
	return buf;
}

void
ctl_late_passed(FILE *fp, const json_t *c)
{
	static const char *const head[] = {
		N_("DEADLINE"), N_("DUE"), N_("THEN"), N_("LATE"),
	};
	struct ctl_table	*t;
	const json_t		*list, *d, *v;
	const char		*row[4];
	char			 age[96];
	size_t			 i;

	list = json_object_get(c, "passed_deadlines");
	if (json_array_size(list) == 0)
		return;
	fprintf(fp, "\n%s\n", _("passed deadlines:"));
	t = ctl_table_new(nitems(head), head);
	json_array_foreach(list, i, d) {
		row[0] = ctl_title_of(d);
		row[1] = json_string_value(json_object_get(d, "due"));
		v = json_object_get(d, "then");
		row[2] = json_is_string(v) ? ctl_title(d, "then") : NULL;
		row[3] = json_is_true(json_object_get(d, "overdue")) ?
		    ctl_late_age(d, age, sizeof(age)) : NULL;
		ctl_table_add(t, row);
	}
	ctl_table_print_indented(t, fp, 2);
	ctl_table_free(t);
}
