/* termijn: the /v1/calendar handlers. */

#include <stdio.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "termijn/calendar.h"
#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/view.h"

#include "termijnd.h"

/*
 * GET /v1/calendar/due?from=&period=&rule=&courtesy=: what termijnctl due
 * prints with --json, from the daemon's calendar, so with the closure days
 * and decree file of its configuration.  Nothing is stored or read from
 * the database: the answer depends only on the query and the calendar.
 */
void
http_calendar_due(struct req *rq)
{
	static const char *const params[] = {
		"from", "period", "rule", "courtesy", NULL
	};
	struct evkeyvalq	 q;
	struct period_spec	 ps;
	struct due		 du;
	const char		*from, *period, *rule, *courtesy;
	char			 err[512], buf[QUOTE_LEN], note[CAL_NOTE_LEN];
	int64_t			 anchor;
	json_t			*o;

	memset(&ps, 0, sizeof(ps));
	memset(&du, 0, sizeof(du));
	if (req_query(rq, params, &q) == -1)
		return;
	if (req_param(rq, &q, "from", 1, &from) == -1 ||
	    req_param(rq, &q, "period", 1, &period) == -1 ||
	    req_param(rq, &q, "rule", 1, &rule) == -1 ||
	    req_param(rq, &q, "courtesy", 0, &courtesy) == -1)
		goto done;

	if (cal_parse_time_note(from, &anchor, note, sizeof(note), err,
	    sizeof(err)) == -1) {
		/* An unencoded '+' of an offset arrives as a space. */
		if (strchr(from, ' ') != NULL)
			http_problemf(rq, 400, _("from: %s (write the '+' of an"
			    " offset as %%2B in a query string)"), err);
		else
			http_problemf(rq, 400, "from: %s", err);
		goto done;
	}
	if (period_parse(period, &ps.ps_period, err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		goto done;
	}
	if (period_rule_parse(rule, &ps.ps_rule) == -1) {
		quote_input(rule, strlen(rule), buf, sizeof(buf));
		http_problemf(rq, 400, _("unknown rule \"%s\" (plain, atw,"
		    " working_days, hours, backward)"), buf);
		goto done;
	}
	if (courtesy != NULL) {
		if (strcmp(courtesy, "true") == 0)
			ps.ps_courtesy = 1;
		else if (strcmp(courtesy, "false") != 0) {
			quote_input(courtesy, strlen(courtesy), buf,
			    sizeof(buf));
			http_problemf(rq, 400, _("courtesy must be true or"
			    " false, not \"%s\""), buf);
			goto done;
		}
	}
	/* As the workflow loader says of a deadline's courtesy. */
	if (ps.ps_courtesy && ps.ps_rule != PR_PLAIN) {
		http_problemf(rq, 400, _("courtesy only applies to the plain"
		    " rule, not to %s"), period_rule_name(ps.ps_rule));
		goto done;
	}
	if (ps.ps_courtesy && period_is_hours(&ps.ps_period)) {
		http_problemf(rq, 400, _("courtesy does not apply to a period"
		    " in hours, which is elapsed time"));
		goto done;
	}
	if (period_due(anchor, &ps, &du, err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		goto done;
	}
	if (du.du_decree_missing && rq->rq_d->d_conf.cf_decree_refuse) {
		http_problemf(rq, 422, _("this date needs days a royal decree"
		    " may still equate to holidays, for a year the decree file"
		    " does not cover yet; termijnd is configured to refuse such"
		    " dates (calendar.decree_missing: refuse)"));
		goto done;
	}
	o = view_due(&ps, &du);
	/* A local time the clocks show twice: which was taken. */
	if (note[0] != '\0')
		json_object_set_new(o, "warnings", json_pack("[{s:s, s:s, s:o,"
		    " s:s}]", "code", "ambiguous_time", "field", "from", "at",
		    view_time(anchor), "detail", note));
	http_json(rq, 200, o);

done:
	due_free(&du);
	evhttp_clear_headers(&q);
}
