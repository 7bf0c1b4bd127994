/*
 * termijn: how termijnctl shows the penalty a case runs up (the dwangsom
 * bij niet tijdig beslissen): the amount so far, its cap and its dates.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static const char	*day_or(const json_t *, const char *, const char *);

/* The "penalty" of a case, as a block after its deadlines; nothing if none. */
void
ctl_penalty_print(FILE *fp, const json_t *c)
{
	const json_t		*p = json_object_get(c, "penalty"), *line;
	struct ctl_table	*t;
	const char		*row[2];
	char			 amount[96], days[64], *title;
	size_t			 i;

	if (!json_is_object(p))
		return;
	fputc('\n', fp);
	title = ctl_table_clean(ctl_title_of(p));
	fprintf(fp, _("penalty %s, of state %s\n"), title,
	    json_string_value(json_object_get(p, "state")));
	free(title);
	/* A simulation shows it at a moment of its own. */
	if (json_is_string(json_object_get(p, "at")))
		fprintf(fp, _("  as it stands at %s\n"), json_string_value(
		    json_object_get(p, "at")));
	t = ctl_table_new(2, NULL);
	snprintf(amount, sizeof(amount), _("EUR %s of at most EUR %s"),
	    json_string_value(json_object_get(p, "amount")),
	    json_string_value(json_object_get(p, "max_amount")));
	row[0] = _("so far:");
	row[1] = amount;
	ctl_table_add(t, row);
	snprintf(days, sizeof(days), _("%lld of at most %lld"),
	    (long long)json_integer_value(json_object_get(p, "days")),
	    (long long)json_integer_value(json_object_get(p, "max_days")));
	row[0] = _("penalty days:");
	row[1] = days;
	ctl_table_add(t, row);
	row[0] = _("running:");
	row[1] = json_is_true(json_object_get(p, "running")) ? _("yes") :
	    _("no");
	ctl_table_add(t, row);
	row[0] = _("first day:");
	row[1] = day_or(p, "first_day", "-");
	ctl_table_add(t, row);
	row[0] = _("last possible day:");
	row[1] = day_or(p, "last_possible_day", "-");
	ctl_table_add(t, row);
	row[0] = _("last day due:");
	row[1] = day_or(p, "last_day", _("not yet"));
	ctl_table_add(t, row);
	row[0] = _("fix the amount by:");
	row[1] = day_or(p, "fix_by", _("not yet"));
	ctl_table_add(t, row);
	ctl_table_print_indented(t, fp, 2);
	ctl_table_free(t);
	json_array_foreach(json_object_get(p, "explanation"), i, line)
		fprintf(fp, "  %s\n", json_string_value(line));
}

static const char *
day_or(const json_t *p, const char *key, const char *none)
{
	const char	*s = json_string_value(json_object_get(p, key));

	return s != NULL ? s : none;
}
