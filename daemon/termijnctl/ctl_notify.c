/* termijn: what a case's notifications told whom, and what became of each. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static char	*deliveries(const json_t *);
static void	 delivery_line(FILE *, const json_t *);
static const char *member(const json_t *, const char *);

/*
 * The notifications of a case, in the order they were written: a row each
 * (its moment, the role, the deadline and the rung, by their titles), and
 * under it what
 * became of it, a line per team: sent to it and when, waiting for the next
 * attempt, failed with the last error, or not sent because the team had
 * no webhook for the role.  A server from before deliveries were shown
 * sends none, and then only the rows are printed.
 */
void
ctl_notify_print(FILE *fp, const json_t *notes)
{
	static const char *const head[] = {
		N_("AT"), N_("ROLE"), N_("DEADLINE"), N_("RUNG"), N_("SEQ"),
		N_("MISSED"),
	};
	static const char *const keys[] = {
		"at", "role", "deadline", "rung", "seq", "missed",
	};
	struct ctl_table	*t;
	const json_t		*n;
	const char		*row[nitems(keys)];
	char			 bufs[nitems(keys)][32], *lines;
	size_t			 i, j;

	if (json_array_size(notes) == 0) {
		fprintf(fp, "%s\n", _("no notifications"));
		return;
	}
	fprintf(fp, "%s\n", _("notifications:"));
	t = ctl_table_new(nitems(head), head);
	json_array_foreach(notes, i, n) {
		for (j = 0; j < nitems(keys); j++)
			row[j] = j >= 1 && j <= 3 ? ctl_title(n, keys[j]) :
			    ctl_print_value(json_object_get(n, keys[j]),
			    bufs[j], sizeof(bufs[j]));
		ctl_table_add(t, row);
		if ((lines = deliveries(n)) != NULL) {
			ctl_table_trailer(t, lines);
			free(lines);
		}
	}
	ctl_table_print_indented(t, fp, 2);
	ctl_table_free(t);
}

/*
 * The lines under a notification's row, two blanks in (the table adds its
 * own two), wrapped to CTL_PRINT_WIDTH; NULL when the server sent none.
 * Allocated.
 */
static char *
deliveries(const json_t *n)
{
	const json_t	*list, *d, *ns;
	FILE		*fp;
	char		*out = NULL;
	size_t		 len, i;

	list = json_object_get(n, "deliveries");
	ns = json_object_get(n, "not_sent");
	if (!json_is_array(list) && !json_is_object(ns))
		return NULL;
	if ((fp = open_memstream(&out, &len)) == NULL)
		fatal("open_memstream");
	json_array_foreach(list, i, d)
		delivery_line(fp, d);
	if (json_is_string(json_object_get(ns, "detail")))
		ctl_print_wrapped(fp, member(ns, "detail"), 2,
		    CTL_PRINT_WIDTH - 2);
	if (fclose(fp) != 0)
		fatal("open_memstream");
	if (len == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* One outbox row of the notification, as a line. */
static void
delivery_line(FILE *fp, const json_t *d)
{
	const char	*status = member(d, "status");
	const char	*team = member(d, "team");
	char		*line, *tmp, errbuf[256];
	json_int_t	 tries;

	tries = json_integer_value(json_object_get(d, "attempts"));
	snprintf(errbuf, sizeof(errbuf), "%s",
	    json_is_string(json_object_get(d, "last_error")) ?
	    member(d, "last_error") : "");
	if (strcmp(status, "delivered") == 0)
		xasprintf(&line, _("sent to team %s at %s"), team,
		    member(d, "delivered_at"));
	else if (strcmp(status, "pending") == 0 && tries == 0)
		xasprintf(&line, _("waiting for team %s: first attempt at %s"),
		    team, member(d, "next_at"));
	else if (strcmp(status, "pending") == 0) {
		xasprintf(&line, P_("waiting for team %s: next attempt at %s,"
		    " %lld attempt failed", "waiting for team %s: next attempt"
		    " at %s, %lld attempts failed", tries), team,
		    member(d, "next_at"), (long long)tries);
		if (*errbuf != '\0') {
			tmp = line;
			/* TRANSLATORS: the line, then the last error. */
			xasprintf(&line, _("%s (last: %s)"), tmp, errbuf);
			free(tmp);
		}
	} else if (strcmp(status, "dead") == 0)
		xasprintf(&line, P_("failed for team %s after %lld attempt: %s",
		    "failed for team %s after %lld attempts: %s", tries), team,
		    (long long)tries, *errbuf != '\0' ? errbuf :
		    _("no reason given"));
	else
		xasprintf(&line, _("%s for team %s"), status, team);
	ctl_print_wrapped(fp, line, 2, CTL_PRINT_WIDTH - 2);
	free(line);
}

/* A string member, or "-". */
static const char *
member(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "-";
}
