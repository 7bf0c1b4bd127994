/* termijn: tests of the shipped workflows, and of the registry of versions. */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "termijn/hash.h"
#include "termijn/period.h"
#include "termijn/registry.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"


#include "workflow_fixture.h"

static void	  check_escalation(const struct workflow *);
static void	  check_titles(const struct workflow *);
static void	  check_in_default(const struct workflow *);

/*
 * A notice of default received (dated) in the decision period or after
 * it leads to in_default, where the penalty of Awb 4:17 runs two weeks
 * after the day it was received: 14 days at EUR 23, 14 at 35, 14 at 45,
 * fixed within two weeks after the last day due, by the Atw (4:18); the
 * supervisor hears of it two days before the first penalty day.
 */
static void
check_in_default(const struct workflow *wf)
{
	static const int	 days[] = { 14, 14, 14 };
	static const int64_t	 cents[] = { 2300, 3500, 4500 };
	const struct wf_state	*ws;
	const struct wf_penalty	*wn;
	const struct wf_deadline *wd;
	const struct wf_event	*we;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		ws = workflow_state(wf, i == 0 ? "deciding" : "overdue");
		we = wf_state_event(ws, "notice_of_default");
		assert_non_null(we);
		assert_string_equal(we->we_to, "in_default");
		assert_true(we->we_date);
	}
	ws = workflow_state(wf, "in_default");
	wd = ws->ws_deadline;
	assert_int_equal(wd->wd_spec.ps_period.p_count, 2);
	assert_int_equal(wd->wd_spec.ps_period.p_unit, PU_WEEKS);
	assert_int_equal(wd->wd_spec.ps_rule, PR_PLAIN);
	assert_int_equal(wd->wd_anchor, DA_EVENT_DATE);
	assert_null(wd->wd_then);
	assert_int_equal(wd->wd_nrungs, 1);
	assert_int_equal(wd->wd_rungs[0].wr_when, RW_BEFORE);
	assert_string_equal(wd->wd_rungs[0].wr_notify, "supervisor");
	wn = ws->ws_penalty;
	assert_non_null(wn);
	assert_string_equal(wn->wn_after, "decision");
	assert_int_equal(wn->wn_ntiers, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(wn->wn_tiers[i].wt_days, days[i]);
		assert_int_equal(wn->wn_tiers[i].wt_cents, cents[i]);
	}
	assert_int_equal(wn->wn_max_days, 42);
	assert_int_equal(wn->wn_fix.ps_period.p_count, 2);
	assert_int_equal(wn->wn_fix.ps_period.p_unit, PU_WEEKS);
	assert_int_equal(wn->wn_fix.ps_rule, PR_ATW);
	assert_string_equal(wf_state_event(ws, "decided")->we_to, "decided");
}

/* The decision period: rungs, suspension, extension and their roles. */
static void
test_beslistermijn(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_deadline *wd;
	const struct wf_event	*we;
	const struct wf_rung	*wr;

	errlist_init(&errs);
	wf = workflow_load_file(SHIPPED_DIR "/beslistermijn.yaml", &errs);
	assert_non_null(wf);
	assert_string_equal(wf->wf_roles[0], "caseworker");
	assert_string_equal(wf->wf_roles[1], "supervisor");
	assert_int_equal(wf->wf_ncase_deadlines, 0);

	ws = workflow_state(wf, "deciding");
	wd = ws->ws_deadline;
	assert_string_equal(wd->wd_name, "decision");
	assert_int_equal(wd->wd_spec.ps_period.p_count, 8);
	assert_int_equal(wd->wd_spec.ps_period.p_unit, PU_WEEKS);
	assert_int_equal(wd->wd_spec.ps_rule, PR_ATW);
	assert_int_equal(wd->wd_kind, DK_DECISION);
	assert_int_equal(wd->wd_anchor, DA_STATE);
	assert_true(wd->wd_resume_day_suspended);
	assert_string_equal(wd->wd_then, "overdue");
	assert_int_equal(wd->wd_nrungs, 3);
	wr = &wd->wd_rungs[0];
	assert_string_equal(wr->wr_name, "before_P1W");
	assert_int_equal(wr->wr_when, RW_BEFORE);
	assert_int_equal(wr->wr_offset.ps_period.p_count, 1);
	assert_int_equal(wr->wr_offset.ps_period.p_unit, PU_WEEKS);
	assert_string_equal(wr->wr_notify, "caseworker");
	wr = &wd->wd_rungs[1];
	assert_string_equal(wr->wr_name, "before_P1D");
	assert_int_equal(wr->wr_offset.ps_period.p_unit, PU_DAYS);
	assert_string_equal(wr->wr_notify, "caseworker");
	wr = &wd->wd_rungs[2];
	assert_string_equal(wr->wr_name, "after_P2D");
	assert_int_equal(wr->wr_when, RW_AFTER);
	assert_int_equal(wr->wr_offset.ps_period.p_count, 2);
	assert_int_equal(wr->wr_offset.ps_rule, PR_WORKING_DAYS);
	assert_string_equal(wr->wr_notify, "supervisor");
	assert_int_equal(wr->wr_max, 1);

	assert_int_equal(ws->ws_nevents, 5);
	we = wf_state_event(ws, "request_completion");
	assert_int_equal(we->we_action, WA_SUSPEND);
	assert_string_equal(we->we_deadline, "decision");
	assert_true(we->we_reason);
	assert_int_equal(we->we_nroles, 1);
	assert_string_equal(we->we_roles[0], "caseworker");
	we = wf_state_event(ws, "completed");
	assert_int_equal(we->we_action, WA_RESUME);
	assert_string_equal(we->we_deadline, "decision");
	assert_false(we->we_reason);
	assert_int_equal(we->we_nroles, 0);
	we = wf_state_event(ws, "extend");
	assert_int_equal(we->we_action, WA_EXTEND);
	assert_int_equal(we->we_by.p_count, 6);
	assert_int_equal(we->we_by.p_unit, PU_WEEKS);
	assert_int_equal(we->we_max, 1);
	assert_true(we->we_reason);
	assert_string_equal(we->we_roles[0], "supervisor");
	we = wf_state_event(ws, "decided");
	assert_int_equal(we->we_action, WA_MOVE);
	assert_string_equal(we->we_to, "decided");

	ws = workflow_state(wf, "overdue");
	assert_null(ws->ws_deadline);
	assert_string_equal(wf_state_event(ws, "decided")->we_to, "decided");
	assert_true(workflow_state(wf, "decided")->ws_final);
	/* Version 4: a late decision can be put in default (Awb 4:17). */
	check_in_default(wf);
	workflow_free(wf);
	assert_int_equal(errs.el_count, 0);
	errlist_clear(&errs);
}

/* The order under penalty: anchors, a deadline without 'then', case deadlines. */
static void
test_last_onder_dwangsom(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_deadline *wd;
	const struct wf_rung	*wr;

	errlist_init(&errs);
	wf = workflow_load_file(SHIPPED_DIR "/last_onder_dwangsom.yaml", &errs);
	assert_non_null(wf);

	wd = workflow_state(wf, "intention")->ws_deadline;
	assert_string_equal(wd->wd_name, "zienswijze");
	assert_int_equal(wd->wd_spec.ps_period.p_count, 2);
	assert_int_equal(wd->wd_spec.ps_rule, PR_PLAIN);
	assert_int_equal(wd->wd_kind, DK_DECISION);
	assert_string_equal(wd->wd_then, "deciding");

	ws = workflow_state(wf, "deciding");
	assert_null(ws->ws_deadline);
	assert_true(wf_state_event(ws, "decision_sent")->we_date);
	assert_string_equal(wf_state_event(ws, "decision_sent")->we_to,
	    "compliance");
	assert_false(wf_state_event(ws, "dropped")->we_date);

	wd = workflow_state(wf, "compliance")->ws_deadline;
	assert_string_equal(wd->wd_name, "begunstigingstermijn");
	assert_int_equal(wd->wd_anchor, DA_EVENT_DATE);
	assert_int_equal(wd->wd_spec.ps_period.p_count, 4);
	assert_string_equal(wd->wd_then, "reinspection");
	/* Enforcement hears when the case enters its queue. */
	assert_int_equal(wd->wd_nrungs, 1);
	assert_string_equal(wd->wd_rungs[0].wr_name, "at_due");
	assert_int_equal(wd->wd_rungs[0].wr_when, RW_AT);
	assert_string_equal(wd->wd_rungs[0].wr_notify, "enforcement");

	wd = workflow_state(wf, "reinspection")->ws_deadline;
	assert_string_equal(wd->wd_name, "reinspection");
	assert_int_equal(wd->wd_spec.ps_rule, PR_WORKING_DAYS);
	assert_int_equal(wd->wd_spec.ps_period.p_count, 5);
	assert_int_equal(wd->wd_kind, DK_SERVICE_NORM);
	assert_null(wd->wd_then);
	assert_int_equal(wd->wd_nrungs, 2);
	assert_string_equal(wd->wd_rungs[0].wr_name, "at_due");
	assert_int_equal(wd->wd_rungs[0].wr_when, RW_AT);
	assert_string_equal(wd->wd_rungs[0].wr_notify, "enforcement");
	/* The supervisor, when the re-inspection is still not done. */
	assert_string_equal(wd->wd_rungs[1].wr_name, "after_P2D");
	assert_int_equal(wd->wd_rungs[1].wr_when, RW_AFTER);
	assert_string_equal(wd->wd_rungs[1].wr_notify, "supervisor");

	wd = workflow_state(wf, "penalty_running")->ws_deadline;
	assert_string_equal(wd->wd_name, "forfeiture");
	assert_null(wd->wd_then);
	assert_int_equal(wd->wd_nrungs, 1);
	wr = &wd->wd_rungs[0];
	assert_string_equal(wr->wr_name, "forfeit");
	assert_int_equal(wr->wr_when, RW_AT);
	assert_int_equal(wr->wr_every.p_count, 1);
	assert_int_equal(wr->wr_every.p_unit, PU_WEEKS);
	assert_int_equal(wr->wr_max, 20);
	assert_int_equal(wr->wr_catch_up, CU_REPLAY);
	assert_string_equal(wr->wr_notify, "enforcement");
	assert_int_equal(wr->wr_nstart, 2);
	assert_string_equal(wr->wr_start[0], "payment");
	assert_string_equal(wr->wr_start[1], "lapse");

	assert_int_equal(wf->wf_ncase_deadlines, 2);
	wd = workflow_case_deadline(wf, "payment");
	assert_non_null(wd);
	assert_int_equal(wd->wd_spec.ps_period.p_count, 6);
	assert_int_equal(wd->wd_spec.ps_period.p_unit, PU_WEEKS);
	assert_int_equal(wd->wd_spec.ps_rule, PR_ATW);
	assert_int_equal(wd->wd_kind, DK_STATUTORY);
	assert_null(wd->wd_then);
	assert_int_equal(wd->wd_nrungs, 1);
	assert_string_equal(wd->wd_rungs[0].wr_name, "after_P1D");
	assert_int_equal(wd->wd_rungs[0].wr_when, RW_AFTER);
	assert_string_equal(wd->wd_rungs[0].wr_notify, "enforcement");
	wd = workflow_case_deadline(wf, "lapse");
	assert_non_null(wd);
	assert_int_equal(wd->wd_spec.ps_period.p_count, 1);
	assert_int_equal(wd->wd_spec.ps_period.p_unit, PU_YEARS);
	assert_int_equal(wd->wd_spec.ps_rule, PR_PLAIN);
	assert_string_equal(wd->wd_rungs[0].wr_name, "before_P4W");
	assert_int_equal(wd->wd_rungs[0].wr_when, RW_BEFORE);
	/* A state's deadline is not a case deadline. */
	assert_null(workflow_case_deadline(wf, "forfeiture"));
	workflow_free(wf);
	assert_int_equal(errs.el_count, 0);
	errlist_clear(&errs);
}

/* Offsets and intervals in hours go with a deadline in hours. */

/* The exact shape of the shipped workflows, on which clients depend. */
struct want_state {
	const char	*ws_name;
	int		 ws_final;
	const char	*ws_period;	/* ISO 8601, NULL: no deadline */
	enum period_rule ws_rule;
	const char	*ws_then;
	size_t		 ws_nrungs;
	const char	*ws_events[3];	/* "event>target" */
};

static void
check_shape(const struct workflow *wf, const char *start, int version,
    const struct want_state *want, size_t nwant)
{
	const struct wf_state	*ws;
	const struct wf_event	*we;
	char			 ev[128], period[24];
	size_t			 i, j, nev;

	assert_string_equal(wf->wf_start, start);
	assert_int_equal(wf->wf_version, version);
	assert_int_equal(wf->wf_nstates, nwant);
	for (i = 0; i < nwant; i++) {
		ws = workflow_state(wf, want[i].ws_name);
		if (ws == NULL)
			fail_msg("%s: no state %s", wf->wf_name,
			    want[i].ws_name);
		assert_int_equal(ws->ws_final, want[i].ws_final);
		if (want[i].ws_period == NULL)
			assert_null(ws->ws_deadline);
		else {
			assert_non_null(ws->ws_deadline);
			assert_string_equal(ws->ws_deadline->wd_name,
			    ws->ws_name);
			period_format(&ws->ws_deadline->wd_spec.ps_period,
			    period, sizeof(period));
			assert_string_equal(period, want[i].ws_period);
			assert_int_equal(ws->ws_deadline->wd_spec.ps_rule,
			    want[i].ws_rule);
			assert_false(ws->ws_deadline->wd_spec.ps_courtesy);
			assert_int_equal(ws->ws_deadline->wd_kind,
			    DK_AGREEMENT);
			assert_string_equal(ws->ws_deadline->wd_then,
			    want[i].ws_then);
			assert_int_equal(ws->ws_deadline->wd_nrungs,
			    want[i].ws_nrungs);
		}
		for (nev = 0; nev < nitems(want[i].ws_events) &&
		    want[i].ws_events[nev] != NULL; nev++) {
			snprintf(ev, sizeof(ev), "%s", want[i].ws_events[nev]);
			*strchr(ev, '>') = '\0';
			we = wf_state_event(ws, ev);
			if (we == NULL)
				fail_msg("%s: state %s has no event %s",
				    wf->wf_name, ws->ws_name, ev);
			assert_string_equal(we->we_to, ev + strlen(ev) + 1);
		}
		assert_int_equal(ws->ws_nevents, nev);
		for (j = 0; j < ws->ws_nevents; j++)
			assert_non_null(ws->ws_events[j].we_to);
	}
}

/*
 * What the shipped workflows say about sharing, retention and their
 * casebook.  Lists are written joined by commas.
 */
static const struct {
	const char	*wc_name;
	const char	*wc_retention;	/* ISO 8601 */
	const char	*wc_bases;
	const char	*wc_share_bases;
	const char	*wc_shares;	/* "state.event:bases" of each sharing
					   step, joined by ';' */
	const char	*wc_queues;
} want_casebook[] = {
	{ "aanvraag_hersteltermijn", "P10Y", "", "", "",
	    "must_decide,overdue" },
	{ "beslistermijn", "P10Y", "", "", "", "overdue,in_default" },
	/* The advisory committee (Awb 7:13) takes part as a participant. */
	{ "bezwaar", "P10Y", "advisory_committee", "advisory_committee", "",
	    "overdue,in_default" },
	{ "dwangsom_niet_tijdig", "P10Y", "", "", "", "overdue,in_default" },
	{ "last_onder_dwangsom", "P10Y", "", "", "",
	    "reinspection,collection" },
	{ "stabilisatie", "P20Y",
	    "consent,reporting_code,conflict_of_duties,criminal_data,"
	    "enforcement_task",
	    "consent,reporting_code,conflict_of_duties,criminal_data,"
	    "enforcement_task", "",
	    "enforcement" },
	{ "zelfmelding", "P10Y",
	    "duty_to_report,inquiry,duty_to_inform,consent,reporting_code,"
	    "conflict_of_duties,criminal_data",
	    "duty_to_report,inquiry,duty_to_inform,consent,reporting_code,"
	    "conflict_of_duties,criminal_data",
	    "youth_worker_reports.youth_worker_reported:consent,"
	    "reporting_code,conflict_of_duties,criminal_data",
	    "enforcement" },
};

/* Appends s to a list in buf, after sep unless the list is empty. */
static void
join(char *buf, size_t len, const char *sep, const char *s)
{
	size_t	n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n > 0 ? sep : "", s);
}

/*
 * Every basis says what it rests on; every state that is not final has its
 * guidance; the bases, participants' bases, sharing steps, queues and
 * retention are those of want_casebook.
 */
static void
check_casebook(const struct workflow *wf)
{
	const struct wf_state	*ws;
	const struct wf_event	*we;
	char			 bases[512], share[512], shares[512];
	char			 queues[512], step[128], period[24];
	size_t			 i, j, k, w;

	assert_non_null(wf);
	for (w = 0; w < nitems(want_casebook); w++)
		if (strcmp(want_casebook[w].wc_name, wf->wf_name) == 0)
			break;
	if (w == nitems(want_casebook))
		fail_msg("%s: not in want_casebook", wf->wf_name);
	bases[0] = share[0] = shares[0] = queues[0] = '\0';
	for (i = 0; i < wf->wf_nbases; i++) {
		assert_non_null(wf->wf_bases[i].wb_article);
		assert_non_null(wf->wf_bases[i].wb_description);
		join(bases, sizeof(bases), ",", wf->wf_bases[i].wb_id);
	}
	for (i = 0; i < wf->wf_nshare_bases; i++)
		join(share, sizeof(share), ",", wf->wf_share_bases[i]);
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		if (!ws->ws_final && ws->ws_guidance == NULL)
			fail_msg("%s: state %s has no guidance", wf->wf_name,
			    ws->ws_name);
		if (ws->ws_queue)
			join(queues, sizeof(queues), ",", ws->ws_name);
		for (j = 0; j < ws->ws_nevents; j++) {
			we = &ws->ws_events[j];
			if (we->we_nshares == 0)
				continue;
			snprintf(step, sizeof(step), "%s.%s:", ws->ws_name,
			    we->we_name);
			for (k = 0; k < we->we_nshares; k++)
				join(step, sizeof(step), k == 0 ? "" : ",",
				    we->we_shares[k]);
			join(shares, sizeof(shares), ";", step);
		}
	}
	period_format(&wf->wf_retention, period, sizeof(period));
	assert_string_equal(period, want_casebook[w].wc_retention);
	assert_string_equal(bases, want_casebook[w].wc_bases);
	assert_string_equal(share, want_casebook[w].wc_share_bases);
	assert_string_equal(shares, want_casebook[w].wc_shares);
	assert_string_equal(queues, want_casebook[w].wc_queues);
}

static void
test_shipped_workflows(void **state)
{
	static const struct want_state zelfmelding[] = {
		{ "awaiting_self_report", 0, "P6W", PR_PLAIN,
		    "youth_worker_reports", 1,
		    { "family_reported>self_reported" } },
		{ "youth_worker_reports", 0, "P5D", PR_WORKING_DAYS,
		    "enforcement", 3,
		    { "youth_worker_reported>enforcement" } },
		{ "self_reported", 0, NULL, 0, NULL, 0, { "close>closed" } },
		{ "enforcement", 0, NULL, 0, NULL, 0, { "close>closed" } },
		{ "closed", 1, NULL, 0, NULL, 0, { NULL } },
	};
	static const struct want_state stabilisatie[] = {
		{ "stabilising", 0, "P6W", PR_PLAIN, "enforcement", 3,
		    { "unsafe>enforcement", "stabilised>enforcement" } },
		{ "enforcement", 0, NULL, 0, NULL, 0, { "close>closed" } },
		{ "closed", 1, NULL, 0, NULL, 0, { NULL } },
	};
	static const char *names[] = {
		"aanvraag_hersteltermijn", "beslistermijn", "bezwaar",
		"dwangsom_niet_tijdig", "last_onder_dwangsom", "stabilisatie",
		"zelfmelding",
	};
	struct errlist		 errs;
	struct registry		*rg;
	const struct workflow	*wf;
	size_t			 i;

	errlist_init(&errs);
	rg = registry_new();
	assert_int_equal(registry_load_dir(rg, SHIPPED_DIR, &errs), 0);
	assert_int_equal(errs.el_count, 0);
	assert_int_equal(registry_count(rg), nitems(names));
	for (i = 0; i < nitems(names); i++)
		assert_string_equal(registry_at(rg, i)->wf_name, names[i]);
	assert_null(registry_at(rg, nitems(names)));

	wf = registry_current(rg, "zelfmelding");
	assert_non_null(wf);
	assert_string_equal(wf->wf_path, SHIPPED_DIR "/zelfmelding.yaml");
	check_shape(wf, "awaiting_self_report", 6, zelfmelding,
	    nitems(zelfmelding));
	wf = registry_current(rg, "stabilisatie");
	assert_non_null(wf);
	check_shape(wf, "stabilising", 6, stabilisatie, nitems(stabilisatie));
	for (i = 0; i < nitems(names); i++) {
		check_casebook(registry_current(rg, names[i]));
		check_titles(registry_current(rg, names[i]));
	}
	check_in_default(registry_current(rg, "dwangsom_niet_tijdig"));
	check_in_default(registry_current(rg, "bezwaar"));
	check_escalation(registry_current(rg, "zelfmelding"));
	check_escalation(registry_current(rg, "stabilisatie"));

	/* Loading the same files again changes nothing. */
	assert_int_equal(registry_load_dir(rg, SHIPPED_DIR, &errs), 0);
	assert_int_equal(registry_count(rg), nitems(names));
	registry_free(rg);
	errlist_clear(&errs);
}

/*
 * A shipped workflow gives every name people read a title: a Dutch team
 * leader reads no identifier on the dashboard.  Checked for presence; the
 * words are the casebook's.
 */
static void
check_titles(const struct workflow *wf)
{
	const struct wf_state	*ws;
	const struct wf_deadline *wd;
	size_t			 i, j, n;

	assert_non_null(wf->wf_title);
	assert_true(wf->wf_nroles > 0);
	for (i = 0; i < wf->wf_nroles; i++)
		if (wf->wf_role_titles[i] == NULL)
			fail_msg("%s: role %s has no title", wf->wf_name,
			    wf->wf_roles[i]);
	for (i = 0; i < wf->wf_nbases; i++)
		if (wf->wf_bases[i].wb_title == NULL)
			fail_msg("%s: basis %s has no title", wf->wf_name,
			    wf->wf_bases[i].wb_id);
	n = wf->wf_nstates + wf->wf_ncase_deadlines;
	for (i = 0; i < n; i++) {
		ws = i < wf->wf_nstates ? &wf->wf_states[i] : NULL;
		wd = ws != NULL ? ws->ws_deadline :
		    &wf->wf_case_deadlines[i - wf->wf_nstates];
		if (ws != NULL && ws->ws_title == NULL)
			fail_msg("%s: state %s has no title", wf->wf_name,
			    ws->ws_name);
		for (j = 0; ws != NULL && j < ws->ws_nevents; j++)
			if (ws->ws_events[j].we_title == NULL)
				fail_msg("%s: event %s of state %s has no "
				    "title", wf->wf_name,
				    ws->ws_events[j].we_name, ws->ws_name);
		if (wd == NULL)
			continue;
		if (wd->wd_title == NULL)
			fail_msg("%s: deadline %s has no title", wf->wf_name,
			    wd->wd_name);
		for (j = 0; j < wd->wd_nrungs; j++)
			assert_non_null(wd->wd_rungs[j].wr_title);
	}
}

/*
 * A shipped workflow that escalates to enforcement brings the enforcement
 * team in on entering 'enforcement', on a basis it declares, and tells
 * that role; every event that moves there brings it in too, on the basis
 * the event is given or on one of its own.
 */
static void
check_escalation(const struct workflow *wf)
{
	const struct wf_state	*ws, *from;
	const struct wf_event	*we;
	const struct wf_join	*wj;
	size_t			 i, j;

	ws = workflow_state(wf, "enforcement");
	assert_non_null(ws);
	assert_int_equal(ws->ws_njoins, 1);
	wj = &ws->ws_joins[0];
	assert_string_equal(wj->wj_function, "enforcement");
	assert_string_equal(wj->wj_title, "handhaving");
	assert_non_null(wj->wj_basis);
	assert_non_null(workflow_basis(wf, wj->wj_basis));
	assert_non_null(wj->wj_purpose);
	assert_false(wj->wj_coordinator);
	assert_int_equal(ws->ws_nnotify, 1);
	assert_string_equal(ws->ws_notify[0], "enforcement");
	for (i = 0; i < wf->wf_nstates; i++) {
		from = &wf->wf_states[i];
		for (j = 0; j < from->ws_nevents; j++) {
			we = &from->ws_events[j];
			if (we->we_to == NULL || strcmp(we->we_to,
			    "enforcement") != 0 || (we->we_njoins == 0 &&
			    we->we_nshares == 0))
				continue;
			/* A sharing event brings enforcement in itself. */
			assert_int_equal(we->we_njoins, 1);
			assert_string_equal(we->we_joins[0].wj_function,
			    "enforcement");
			assert_true(we->we_joins[0].wj_basis != NULL ||
			    we->we_nshares > 0);
		}
	}
}

static void
test_registry(void **state)
{
	struct errlist		 errs;
	struct registry		*rg;
	struct workflow		*wf;
	const struct workflow	*cur;
	static const struct {
		const char	*name;
		int		 version;
	} order[] = {
		{ "a", 1 }, { "a", 2 }, { "a", 10 }, { "b", 1 }, { "x", 1 },
		{ "x", 2 },
	};
	char			 text[512];
	size_t			 i;

	errlist_init(&errs);
	rg = registry_new();
	assert_int_equal(registry_count(rg), 0);
	assert_null(registry_current(rg, "x"));
	assert_null(registry_at(rg, 0));

	/* Out of order on purpose: the registry sorts. */
	for (i = nitems(order); i-- > 0;) {
		snprintf(text, sizeof(text), "workflow: %s\nversion: %d\n"
		    "start: a\nstates: {a: {final: true}}\n", order[i].name,
		    order[i].version);
		wf = parse_text("inline", text);
		assert_non_null(wf);
		assert_int_equal(registry_add(rg, wf, &errs), 0);
	}
	assert_int_equal(registry_count(rg), nitems(order));
	for (i = 0; i < nitems(order); i++) {
		assert_string_equal(registry_at(rg, i)->wf_name,
		    order[i].name);
		assert_int_equal(registry_at(rg, i)->wf_version,
		    order[i].version);
	}

	cur = registry_current(rg, "a");
	assert_non_null(cur);
	assert_int_equal(cur->wf_version, 10);
	assert_int_equal(registry_current(rg, "x")->wf_version, 2);
	assert_int_equal(registry_current(rg, "b")->wf_version, 1);
	assert_null(registry_current(rg, "c"));
	assert_null(registry_current(rg, ""));
	assert_null(registry_current(rg, NULL));
	assert_int_equal(registry_get(rg, "a", 2)->wf_version, 2);
	assert_null(registry_get(rg, "a", 3));
	assert_null(registry_get(rg, "z", 1));

	/* The same text again is accepted, and not kept twice. */
	wf = parse_text("inline", "workflow: a\nversion: 2\nstart: a\n"
	    "states: {a: {final: true}}\n");
	assert_int_equal(registry_add(rg, wf, &errs), 0);
	assert_int_equal(registry_count(rg), nitems(order));
	assert_int_equal(errs.el_count, 0);

	/* Other text under a known name and version is refused. */
	wf = parse_text("inline", "workflow: a\nversion: 2\ntitle: Changed\n"
	    "start: a\nstates: {a: {final: true}}\n");
	assert_int_equal(registry_add(rg, wf, &errs), -1);
	assert_int_equal(errs.el_count, 1);
	/* The fix names the next free number: a has 10. */
	assert_string_equal(errs.el_msgs[0], "a: workflow a version 2 is "
	    "already known with different content; to change a workflow, "
	    "raise version to 11");
	assert_int_equal(registry_count(rg), nitems(order));
	assert_null(registry_get(rg, "a", 2)->wf_title);

	registry_free(rg);
	registry_free(NULL);
	errlist_clear(&errs);
}

/* A directory is loaded whole or not at all. */
static void
test_registry_load_dir(void **state)
{
	struct errlist	 errs, want;
	struct registry	*rg;
	struct workflow	*wf;
	char		**files, *dir, path[512], *text, **lines;
	char		 msg[1024];
	size_t		 n, i, j, len, nlines;

	errlist_init(&errs);
	errlist_init(&want);
	rg = registry_new();

	/* Every error of every file, in file order. */
	assert_int_equal(registry_load_dir(rg, BAD_DIR, &errs), -1);
	assert_int_equal(registry_count(rg), 0);
	files = list_dir(BAD_DIR, ".expected", &n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, files[i]);
		text = read_text(path, &len);
		lines = split_lines(text, &nlines);
		for (j = 0; j < nlines; j++)
			errlist_add(&want, "%s", lines[j]);
		free(lines);
		free(text);
	}
	free_list(files, n);
	assert_int_equal(errs.el_count, want.el_count);
	for (i = 0; i < want.el_count; i++)
		assert_string_equal(errs.el_msgs[i], want.el_msgs[i]);
	errlist_clear(&errs);
	errlist_clear(&want);

	assert_int_equal(registry_load_dir(rg, "nonexistent", &errs), -1);
	assert_int_equal(errs.el_count, 1);
	assert_string_equal(errs.el_msgs[0], "nonexistent: cannot open the "
	    "workflow directory: No such file or directory");
	errlist_clear(&errs);

	/* A directory without workflows is a mistake, not an empty set. */
	dir = make_tmpdir();
	snprintf(path, sizeof(path), "%s/README.md", dir);
	write_file(path, "# no workflows\n", 15);
	snprintf(path, sizeof(path), "%s/x.yml", dir);
	write_file(path, minimal, strlen(minimal));
	assert_int_equal(registry_load_dir(rg, dir, &errs), -1);
	assert_int_equal(errs.el_count, 1);
	snprintf(msg, sizeof(msg), "%s: no workflows (*.yaml files) in this "
	    "directory", dir);
	assert_string_equal(errs.el_msgs[0], msg);
	errlist_clear(&errs);

	/* One good and one bad file: neither is added. */
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	write_file(path, minimal, strlen(minimal));
	snprintf(path, sizeof(path), "%s/y.yaml", dir);
	write_file(path, "workflow: y\n", 12);
	assert_int_equal(registry_load_dir(rg, dir, &errs), -1);
	assert_int_equal(errs.el_count, 3);
	assert_int_equal(registry_count(rg), 0);
	errlist_clear(&errs);
	unlink(path);
	assert_int_equal(registry_load_dir(rg, dir, &errs), 0);
	assert_int_equal(registry_count(rg), 1);
	assert_int_equal(registry_current(rg, "x")->wf_version, 1);

	/*
	 * A changed text under the same version is refused, and the
	 * registry keeps what it had, also for the files that were fine.
	 */
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	write_file(path, "workflow: x\nversion: 1\nstart: a\n"
	    "states: {a: {final: true}}\n", 59);
	snprintf(path, sizeof(path), "%s/z.yaml", dir);
	write_file(path, "workflow: z\nversion: 1\nstart: a\n"
	    "states: {a: {final: true}}\n", 59);
	assert_int_equal(registry_load_dir(rg, dir, &errs), -1);
	assert_int_equal(errs.el_count, 1);
	snprintf(msg, sizeof(msg), "%s/x.yaml: workflow x version 1 is "
	    "already known with different content from %s/x.yaml; to change "
	    "a workflow, raise version to 2", dir, dir);
	assert_string_equal(errs.el_msgs[0], msg);
	assert_int_equal(registry_count(rg), 1);
	assert_null(registry_current(rg, "z"));
	errlist_clear(&errs);

	/* Raising the version keeps the old one beside the new. */
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	write_file(path, "workflow: x\nversion: 2\nstart: a\n"
	    "states: {a: {final: true}}\n", 59);
	assert_int_equal(registry_load_dir(rg, dir, &errs), 0);
	assert_int_equal(registry_count(rg), 3);
	assert_int_equal(registry_current(rg, "x")->wf_version, 2);
	assert_non_null(registry_get(rg, "x", 1));
	assert_non_null(registry_current(rg, "z"));

	/* A workflow parsed from stored text joins the same registry. */
	wf = parse_text("stored", minimal);
	assert_int_equal(registry_add(rg, wf, &errs), 0);
	assert_int_equal(registry_count(rg), 3);
	assert_int_equal(errs.el_count, 0);

	registry_free(rg);
	remove_tmpdir(dir);
}

/*
 * File by file, on top of the versions the database keeps: a file with
 * errors, and one that changes a stored version, are refused on their own,
 * each with its reason; the stored text stays, and the other files load.
 */
static void
test_registry_load_files(void **state)
{
	static const char stored[] = "workflow: x\nversion: 1\nstart: a\n"
	    "states: {a: {final: true}}\n";
	static const char broken[] = "workflow: y\nversion: 1\nstart: a\n";
	static const char other[] = "workflow: z\nversion: 1\nstart: a\n"
	    "states: {a: {final: true}}\n";
	struct wf_files	 files;
	struct errlist	 errs;
	struct registry	*rg;
	struct workflow	*wf;
	char		*dir, path[512], msg[1024];
	int		 v;

	errlist_init(&errs);
	rg = registry_new();
	/* The database keeps x 1 with other text than the file, and x 3. */
	for (v = 1; v <= 3; v += 2) {
		snprintf(msg, sizeof(msg), "workflow: x\nversion: %d\n"
		    "start: a\nstates: {a: {final: true}}\n", v);
		wf = parse_text("database:x", msg);
		assert_non_null(wf);
		wf->wf_stored = 1;
		assert_int_equal(registry_add(rg, wf, &errs), 0);
	}
	assert_string_equal(registry_get(rg, "x", 1)->wf_source, stored);

	dir = make_tmpdir();
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	write_file(path, minimal, strlen(minimal));
	snprintf(path, sizeof(path), "%s/y.yaml", dir);
	write_file(path, broken, strlen(broken));
	snprintf(path, sizeof(path), "%s/z.yaml", dir);
	write_file(path, other, strlen(other));
	assert_int_equal(registry_load_files(rg, dir, &files), 0);
	assert_int_equal(files.wfs_count, 3);
	assert_int_equal(files.wfs_refused, 2);

	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	assert_string_equal(files.wfs_files[0].wff_path, path);
	assert_string_equal(files.wfs_files[0].wff_name, "x");
	assert_int_equal(files.wfs_files[0].wff_version, 1);
	assert_string_equal(files.wfs_files[0].wff_reason, "workflow x "
	    "version 1 differs from the text the database keeps for that "
	    "version, which cases may run on; raise version to 4");
	/* A file with errors says neither name nor version, but where. */
	assert_null(files.wfs_files[1].wff_name);
	assert_int_equal(files.wfs_files[1].wff_version, 0);
	assert_non_null(files.wfs_files[1].wff_reason);
	assert_non_null(strstr(files.wfs_files[1].wff_reason, "states"));
	assert_null(strstr(files.wfs_files[1].wff_reason, dir));
	assert_string_equal(files.wfs_files[2].wff_name, "z");
	assert_null(files.wfs_files[2].wff_reason);

	assert_int_equal(registry_count(rg), 3);
	assert_string_equal(registry_get(rg, "x", 1)->wf_source, stored);
	assert_int_equal(registry_current(rg, "x")->wf_version, 3);
	assert_null(registry_current(rg, "y"));
	assert_non_null(registry_current(rg, "z"));
	registry_files_clear(&files);
	assert_int_equal(files.wfs_count, 0);

	/* No directory: one entry for it, and the registry as it was. */
	snprintf(path, sizeof(path), "%s/nonexistent", dir);
	assert_int_equal(registry_load_files(rg, path, &files), -1);
	assert_int_equal(files.wfs_count, 1);
	assert_int_equal(files.wfs_refused, 1);
	assert_string_equal(files.wfs_files[0].wff_path, path);
	assert_string_equal(files.wfs_files[0].wff_reason, "cannot open the "
	    "workflow directory: No such file or directory");
	assert_int_equal(registry_count(rg), 3);
	registry_files_clear(&files);

	registry_free(rg);
	errlist_clear(&errs);
	remove_tmpdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beslistermijn),
		cmocka_unit_test(test_last_onder_dwangsom),
		cmocka_unit_test(test_shipped_workflows),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_registry_load_dir),
		cmocka_unit_test(test_registry_load_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
