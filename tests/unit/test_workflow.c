/* termijn: tests of the workflow loader: good files, bad files, every key. */

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


/* What a good file must load into. */
static const struct {
	const char	*gf_file;
	const char	*gf_name;
	int		 gf_version;
	size_t		 gf_nstates;
	const char	*gf_start;
	size_t		 gf_nroles;
} good_files[] = {
	{ "courtesy.yaml", "courtesy", 1, 5, "awaiting_view", 0 },
	{ "documents.yaml", "documents", 3, 2, "waiting", 0 },
	{ "every_key.yaml", "every_key", 1000000, 4, "objection_received", 3 },
	{ "flow_style.yaml", "flow_style", 2, 3, "a", 0 },
	{ "hours_rungs.yaml", "hours_rungs", 1, 2, "waiting", 0 },
	{ "minimal.yaml", "minimal", 1, 2, "open", 0 },
	{ "sharing.yaml", "sharing", 1, 3, "caring", 0 },
	{ "titles.yaml", "titles", 1, 4, "waiting", 3 },
};

static void
test_good_files(void **state)
{
	struct errlist	 errs;
	struct workflow	*wf;
	char		**files, path[512];
	size_t		 n, i, j;

	files = list_dir(GOOD_DIR, ".yaml", &n);
	assert_int_equal(n, nitems(good_files));
	for (i = 0; i < n; i++) {
		errlist_init(&errs);
		snprintf(path, sizeof(path), "%s/%s", GOOD_DIR, files[i]);
		wf = workflow_load_file(path, &errs);
		for (j = 0; j < errs.el_count; j++)
			print_error("%s\n", errs.el_msgs[j]);
		assert_non_null(wf);
		assert_int_equal(errs.el_count, 0);

		assert_string_equal(files[i], good_files[i].gf_file);
		assert_string_equal(wf->wf_name, good_files[i].gf_name);
		assert_int_equal(wf->wf_version, good_files[i].gf_version);
		assert_int_equal(wf->wf_nstates, good_files[i].gf_nstates);
		assert_string_equal(wf->wf_start, good_files[i].gf_start);
		assert_int_equal(wf->wf_nroles, good_files[i].gf_nroles);
		assert_non_null(workflow_state(wf, wf->wf_start));
		assert_string_equal(wf->wf_path, path);
		workflow_free(wf);
		errlist_clear(&errs);
	}
	free_list(files, n);
}

/* The file that sets every key: each lands where it should. */
static void
test_every_key(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_deadline *wd;
	const struct wf_event	*we;
	const struct wf_rung	*wr;
	const struct wf_basis	*wb;
	size_t			 i;

	errlist_init(&errs);
	wf = workflow_load_file(GOOD_DIR "/every_key.yaml", &errs);
	assert_non_null(wf);
	assert_string_equal(wf->wf_title,
	    "Besluit op bezwaar: zes weken, \xc3\xa9\xc3\xa9n keer te "
	    "verlengen");
	assert_string_equal(wf->wf_roles[0], "caseworker");
	assert_string_equal(wf->wf_roles[2], "enforcement");
	/* The long form of a role, between two in the short one. */
	assert_string_equal(wf->wf_roles[1], "supervisor");
	assert_null(wf->wf_role_titles[0]);
	assert_string_equal(wf->wf_role_titles[1], "leidinggevende");

	ws = workflow_state(wf, "objection_received");
	assert_non_null(ws);
	assert_false(ws->ws_final);
	assert_string_equal(ws->ws_title, "The objection is being decided");
	wd = ws->ws_deadline;
	assert_non_null(wd);
	assert_string_equal(wd->wd_name, "decision_on_objection");
	assert_string_equal(wd->wd_title, "Beslissing op het bezwaar");
	assert_int_equal(wd->wd_spec.ps_period.p_count, 6);
	assert_int_equal(wd->wd_spec.ps_period.p_unit, PU_WEEKS);
	assert_int_equal(wd->wd_spec.ps_rule, PR_ATW);
	assert_false(wd->wd_spec.ps_courtesy);
	assert_int_equal(wd->wd_kind, DK_STATUTORY);
	assert_string_equal(wd->wd_then, "decision_overdue");
	assert_int_equal(wd->wd_line, 11);
	assert_int_equal(wd->wd_anchor, DA_STATE);
	assert_true(wd->wd_resume_day_suspended);
	assert_int_equal(wd->wd_nrungs, 0);
	assert_null(wd->wd_rungs);
	assert_int_equal(ws->ws_nevents, 5);
	we = wf_state_event(ws, "decided");
	assert_non_null(we);
	assert_string_equal(we->we_to, "decided");
	assert_string_equal(we->we_title, "Besluit genomen");
	assert_int_equal(we->we_action, WA_MOVE);
	we = wf_state_event(ws, "withdrawn");
	assert_non_null(we);
	assert_string_equal(we->we_to, "closed");
	assert_null(we->we_title);
	assert_int_equal(we->we_action, WA_MOVE);
	assert_int_equal(we->we_line, 21);
	assert_int_equal(we->we_nroles, 2);
	assert_string_equal(we->we_roles[0], "caseworker");
	assert_string_equal(we->we_roles[1], "supervisor");
	assert_true(we->we_reason);
	assert_true(we->we_date);
	assert_null(we->we_deadline);
	we = wf_state_event(ws, "advice_requested");
	assert_int_equal(we->we_action, WA_SUSPEND);
	assert_string_equal(we->we_deadline, "decision_on_objection");
	assert_null(we->we_to);
	assert_true(we->we_reason);
	assert_false(we->we_date);
	assert_int_equal(we->we_nroles, 0);
	we = wf_state_event(ws, "advice_received");
	assert_int_equal(we->we_action, WA_RESUME);
	assert_string_equal(we->we_deadline, "decision_on_objection");
	assert_false(we->we_reason);
	we = wf_state_event(ws, "defer");
	assert_int_equal(we->we_action, WA_EXTEND);
	assert_string_equal(we->we_deadline, "decision_on_objection");
	assert_int_equal(we->we_by.p_count, 6);
	assert_int_equal(we->we_by.p_unit, PU_WEEKS);
	assert_int_equal(we->we_max, 2);
	assert_int_equal(we->we_nroles, 1);
	assert_string_equal(we->we_roles[0], "supervisor");
	assert_null(wf_state_event(ws, "close"));
	assert_null(wf_state_event(ws, NULL));
	assert_null(ws->ws_guidance);
	assert_false(ws->ws_queue);
	for (i = 0; i < ws->ws_nevents; i++) {
		assert_int_equal(ws->ws_events[i].we_nshares, 0);
		assert_null(ws->ws_events[i].we_shares);
	}

	ws = workflow_state(wf, "decision_overdue");
	assert_non_null(ws);
	wd = ws->ws_deadline;
	assert_string_equal(wd->wd_name, "decision_overdue");
	assert_int_equal(wd->wd_spec.ps_rule, PR_WORKING_DAYS);
	assert_int_equal(wd->wd_kind, DK_SERVICE_NORM);
	assert_int_equal(wd->wd_anchor, DA_STARTED);
	assert_false(wd->wd_resume_day_suspended);
	assert_int_equal(wd->wd_nrungs, 3);
	wr = &wd->wd_rungs[0];
	assert_string_equal(wr->wr_name, "ask_advice");
	assert_string_equal(wr->wr_title, "Vraag de commissie om advies");
	assert_int_equal(wr->wr_when, RW_BEFORE);
	assert_int_equal(wr->wr_offset.ps_period.p_count, 1);
	assert_int_equal(wr->wr_offset.ps_period.p_unit, PU_DAYS);
	assert_int_equal(wr->wr_offset.ps_rule, PR_WORKING_DAYS);
	assert_string_equal(wr->wr_notify, "caseworker");
	assert_int_equal(wr->wr_nstart, 1);
	assert_string_equal(wr->wr_start[0], "advice");
	assert_int_equal(wr->wr_line, 47);
	wr = &wd->wd_rungs[1];
	assert_string_equal(wr->wr_name, "after_P1W");
	assert_string_equal(wr->wr_title, "1 week erna, daarna "
	    "elke week, ten hoogste 3 keer");
	assert_int_equal(wr->wr_when, RW_AFTER);
	assert_int_equal(wr->wr_offset.ps_rule, PR_PLAIN);
	assert_int_equal(wr->wr_every.p_count, 1);
	assert_int_equal(wr->wr_every.p_unit, PU_WEEKS);
	assert_int_equal(wr->wr_max, 3);
	assert_int_equal(wr->wr_catch_up, CU_LATEST);
	assert_int_equal(wr->wr_nstart, 0);
	assert_null(wr->wr_start);
	wr = &wd->wd_rungs[2];
	assert_string_equal(wr->wr_name, "at_due");
	assert_int_equal(wr->wr_when, RW_AT);
	assert_string_equal(wr->wr_notify, "enforcement");
	assert_int_equal(wr->wr_every.p_count, 0);
	assert_int_equal(wr->wr_max, 1);
	assert_int_equal(wr->wr_catch_up, CU_REPLAY);

	/* The case deadline, listed after the states. */
	assert_int_equal(wf->wf_ncase_deadlines, 1);
	wd = workflow_case_deadline(wf, "advice");
	assert_ptr_equal(wd, &wf->wf_case_deadlines[0]);
	assert_string_equal(wd->wd_name, "advice");
	assert_string_equal(wd->wd_title, "Adviestermijn");
	assert_int_equal(wd->wd_spec.ps_period.p_count, 3);
	assert_int_equal(wd->wd_spec.ps_rule, PR_PLAIN);
	assert_true(wd->wd_spec.ps_courtesy);
	assert_int_equal(wd->wd_kind, DK_AGREEMENT);
	assert_null(wd->wd_then);
	assert_int_equal(wd->wd_line, 68);
	assert_int_equal(wd->wd_nrungs, 1);
	assert_string_equal(wd->wd_rungs[0].wr_name, "before_P2D");
	assert_null(workflow_case_deadline(wf, "decision_overdue"));
	assert_null(workflow_case_deadline(wf, NULL));

	/* Guidance, a queue, a sharing step and the bases it names. */
	ws = workflow_state(wf, "decided");
	assert_string_equal(ws->ws_guidance, "Het besluit is genomen: verzend "
	    "het en sluit de zaak. Bij twijfel beslist de teamleider.");
	assert_true(ws->ws_queue);
	we = wf_state_event(ws, "close");
	assert_string_equal(we->we_to, "closed");
	assert_int_equal(we->we_nshares, 2);
	assert_string_equal(we->we_shares[0], "advice_committee");
	assert_string_equal(we->we_shares[1], "legal_obligation");
	assert_int_equal(wf->wf_nbases, 2);
	wb = workflow_basis(wf, "advice_committee");
	assert_ptr_equal(wb, &wf->wf_bases[0]);
	assert_string_equal(wb->wb_id, "advice_committee");
	assert_string_equal(wb->wb_title, "Advies van de bezwaarcommissie");
	assert_string_equal(wb->wb_article, "Awb art. 7:13");
	assert_string_equal(wb->wb_description,
	    "Advies van de bezwaarcommissie over het bezwaar");
	assert_int_equal(wb->wb_line, 77);
	wb = workflow_basis(wf, "legal_obligation");
	assert_ptr_equal(wb, &wf->wf_bases[1]);
	assert_string_equal(wb->wb_article, "AVG art. 6 lid 1 sub c");
	assert_string_equal(wb->wb_description, "Een wettelijke plicht van de "
	    "gemeente, \xc3\xa9\xc3\xa9n regel");
	assert_null(workflow_basis(wf, "consent"));
	assert_null(workflow_basis(wf, NULL));
	assert_int_equal(wf->wf_nshare_bases, 1);
	assert_string_equal(wf->wf_share_bases[0], "legal_obligation");
	assert_int_equal(wf->wf_retention.p_count, 7);
	assert_int_equal(wf->wf_retention.p_unit, PU_YEARS);

	ws = workflow_state(wf, "closed");
	assert_true(ws->ws_final);
	assert_null(ws->ws_deadline);
	assert_int_equal(ws->ws_nevents, 0);
	assert_null(ws->ws_guidance);
	assert_false(ws->ws_queue);
	assert_null(workflow_state(wf, "nonexistent"));
	assert_null(workflow_state(wf, NULL));
	workflow_free(wf);
	errlist_clear(&errs);
}

/* Defaults, hours, courtesy, flow style and quoted values. */
static void
test_defaults_and_forms(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_deadline *wd;

	errlist_init(&errs);
	wf = workflow_load_file(GOOD_DIR "/flow_style.yaml", &errs);
	assert_non_null(wf);
	wd = workflow_state(wf, "a")->ws_deadline;
	assert_string_equal(wd->wd_name, "a");
	assert_int_equal(wd->wd_spec.ps_period.p_count, 48);
	assert_true(period_is_hours(&wd->wd_spec.ps_period));
	assert_int_equal(wd->wd_spec.ps_rule, PR_PLAIN);
	assert_int_equal(wd->wd_kind, DK_AGREEMENT);
	assert_null(wf->wf_title);
	workflow_free(wf);

	wf = workflow_load_file(GOOD_DIR "/documents.yaml", &errs);
	assert_non_null(wf);
	wd = workflow_state(wf, "waiting")->ws_deadline;
	assert_int_equal(wd->wd_spec.ps_rule, PR_HOURS);
	assert_int_equal(wd->wd_kind, DK_DECISION);
	assert_true(workflow_state(wf, "done")->ws_final);
	workflow_free(wf);

	wf = workflow_load_file(GOOD_DIR "/courtesy.yaml", &errs);
	assert_non_null(wf);
	wd = workflow_state(wf, "awaiting_view")->ws_deadline;
	assert_true(wd->wd_spec.ps_courtesy);
	assert_int_equal(wd->wd_spec.ps_period.p_unit, PU_WEEKS);
	assert_string_equal(wf_state_event(workflow_state(wf, "deciding"),
	    "reminder")->we_to, "deciding");
	workflow_free(wf);
	assert_int_equal(errs.el_count, 0);
	errlist_clear(&errs);
}

/* What a rung, an event and a deadline are when nothing is said. */
static void
test_new_defaults(void **state)
{
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_deadline *wd;
	const struct wf_event	*we;
	const struct wf_rung	*wr;

	wf = parse_text("inline", "workflow: x\nversion: 1\nstart: a\n"
	    "states:\n"
	    "  a:\n"
	    "    deadline:\n"
	    "      period: 2 weeks\n"
	    "      rungs: [{ before: 1 week }]\n"
	    "    events: { go: b, leave: { to: b } }\n"
	    "  b: { final: true }\n");
	assert_non_null(wf);
	assert_int_equal(wf->wf_ncase_deadlines, 0);
	assert_null(wf->wf_case_deadlines);
	ws = workflow_state(wf, "a");
	wd = ws->ws_deadline;
	assert_null(wd->wd_then);
	assert_int_equal(wd->wd_anchor, DA_STATE);
	assert_true(wd->wd_resume_day_suspended);
	assert_int_equal(wd->wd_nrungs, 1);
	wr = &wd->wd_rungs[0];
	assert_string_equal(wr->wr_name, "before_P1W");
	assert_int_equal(wr->wr_when, RW_BEFORE);
	assert_int_equal(wr->wr_offset.ps_rule, PR_PLAIN);
	assert_null(wr->wr_notify);
	assert_int_equal(wr->wr_every.p_count, 0);
	assert_int_equal(wr->wr_max, 1);
	assert_int_equal(wr->wr_catch_up, CU_REPLAY);
	assert_int_equal(wr->wr_nstart, 0);
	assert_int_equal(wr->wr_line, 8);
	we = wf_state_event(ws, "go");
	assert_int_equal(we->we_action, WA_MOVE);
	assert_string_equal(we->we_to, "b");
	assert_int_equal(we->we_max, 1);
	assert_false(we->we_reason);
	assert_false(we->we_date);
	assert_int_equal(we->we_nroles, 0);
	assert_null(we->we_roles);
	assert_null(we->we_deadline);
	assert_int_equal(we->we_by.p_count, 0);
	assert_int_equal(we->we_nshares, 0);
	assert_null(we->we_shares);
	we = wf_state_event(ws, "leave");
	assert_int_equal(we->we_action, WA_MOVE);
	assert_string_equal(we->we_to, "b");
	assert_null(ws->ws_guidance);
	assert_false(ws->ws_queue);
	/* No bases: nothing to share on, no participant; kept forever. */
	assert_int_equal(wf->wf_nbases, 0);
	assert_null(wf->wf_bases);
	assert_int_equal(wf->wf_nshare_bases, 0);
	assert_null(wf->wf_share_bases);
	assert_int_equal(wf->wf_retention.p_count, 0);
	workflow_free(wf);
}

/*
 * Without 'share_bases' every declared basis adds a participant, in the
 * order 'bases' declares them; 'share_bases: []' lets none.
 */
static void
test_share_bases(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_event	*we;

	errlist_init(&errs);
	wf = workflow_load_file(GOOD_DIR "/sharing.yaml", &errs);
	assert_non_null(wf);
	assert_int_equal(wf->wf_nbases, 2);
	assert_string_equal(wf->wf_bases[0].wb_id, "consent");
	assert_string_equal(wf->wf_bases[1].wb_id, "reporting_code");
	assert_int_equal(wf->wf_bases[1].wb_line, 10);
	assert_int_equal(wf->wf_nshare_bases, 2);
	assert_string_equal(wf->wf_share_bases[0], "consent");
	assert_string_equal(wf->wf_share_bases[1], "reporting_code");
	assert_int_equal(wf->wf_retention.p_count, 20);
	assert_int_equal(wf->wf_retention.p_unit, PU_YEARS);
	ws = workflow_state(wf, "caring");
	assert_string_equal(ws->ws_guidance, "Eerst hulp, dan handhaving.\n"
	    "Bij onveiligheid wacht niemand.\n");
	assert_false(ws->ws_queue);
	we = wf_state_event(ws, "reported");
	assert_int_equal(we->we_nshares, 2);
	assert_string_equal(we->we_shares[0], "reporting_code");
	assert_string_equal(we->we_shares[1], "consent");
	assert_int_equal(we->we_nroles, 1);
	assert_true(we->we_reason);
	assert_int_equal(wf_state_event(ws, "closed")->we_nshares, 0);
	assert_true(workflow_state(wf, "enforcement")->ws_queue);
	ws = workflow_state(wf, "done");
	assert_true(ws->ws_final);
	assert_false(ws->ws_queue);
	assert_string_equal(ws->ws_guidance, "Niets meer te doen.");
	workflow_free(wf);
	assert_int_equal(errs.el_count, 0);
	errlist_clear(&errs);

	wf = parse_text("inline", "workflow: x\nversion: 1\nstart: a\n"
	    "bases: { consent: { article: a, description: d } }\n"
	    "share_bases: []\n"
	    "retention: 3 months\n"
	    "states:\n"
	    "  a: { events: { go: { to: b, shares: [consent] } } }\n"
	    "  b: { final: true }\n");
	assert_non_null(wf);
	assert_int_equal(wf->wf_nbases, 1);
	assert_non_null(workflow_basis(wf, "consent"));
	assert_int_equal(wf->wf_nshare_bases, 0);
	assert_int_equal(wf->wf_retention.p_count, 3);
	assert_int_equal(wf->wf_retention.p_unit, PU_MONTHS);
	we = wf_state_event(workflow_state(wf, "a"), "go");
	assert_int_equal(we->we_nshares, 1);
	assert_string_equal(we->we_shares[0], "consent");
	workflow_free(wf);
}

/* GET /v1/workflows: the new keys beside the fields clients had. */
static void
test_view_workflow(void **state)
{
	struct errlist	 errs;
	struct workflow	*wf;
	json_t		*o, *st, *ev, *b;
	size_t		 i;

	errlist_init(&errs);
	wf = workflow_load_file(GOOD_DIR "/every_key.yaml", &errs);
	assert_non_null(wf);
	o = view_workflow(wf);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
	    "every_key");
	assert_int_equal(json_integer_value(json_object_get(o, "version")),
	    1000000);
	assert_string_equal(json_string_value(json_object_get(o, "start")),
	    "objection_received");
	assert_non_null(json_string_value(json_object_get(o, "title")));
	assert_string_equal(json_string_value(json_object_get(o, "retention")),
	    "P7Y");
	b = json_object_get(o, "bases");
	assert_int_equal(json_array_size(b), 2);
	assert_int_equal(json_object_size(json_array_get(b, 0)), 4);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "id")), "advice_committee");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "title")), "Advies van de bezwaarcommissie");
	assert_true(json_is_null(json_object_get(json_array_get(b, 1),
	    "title")));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "article")), "Awb art. 7:13");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 1), "description")), "Een wettelijke plicht van "
	    "de gemeente, \xc3\xa9\xc3\xa9n regel");
	b = json_object_get(o, "share_bases");
	assert_int_equal(json_array_size(b), 1);
	assert_string_equal(json_string_value(json_array_get(b, 0)),
	    "legal_obligation");

	/* The roles with their titles, null where there is none. */
	b = json_object_get(o, "roles");
	assert_int_equal(json_array_size(b), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 1), "name")), "supervisor");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 1), "title")), "leidinggevende");
	assert_true(json_is_null(json_object_get(json_array_get(b, 0),
	    "title")));
	/* The case deadlines, with the titles of their rungs. */
	b = json_object_get(o, "deadlines");
	assert_int_equal(json_array_size(b), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "name")), "advice");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "title")), "Adviestermijn");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(b, 0), "rungs"), 0), "title")),
	    "2 dagen vooraf");

	st = json_object_get(o, "states");
	assert_int_equal(json_array_size(st), 4);
	for (i = 0; i < json_array_size(st); i++) {
		/* Every state has these keys; only "decided" sets two. */
		json_t *s = json_array_get(st, i);

		assert_non_null(json_object_get(s, "title"));
		assert_true(json_is_boolean(json_object_get(s, "queue")));
		assert_non_null(json_object_get(s, "guidance"));
		assert_non_null(json_object_get(s, "events"));
		assert_non_null(json_object_get(s, "final"));
	}
	st = json_array_get(json_object_get(o, "states"), 0);
	assert_string_equal(json_string_value(json_object_get(st, "name")),
	    "objection_received");
	assert_true(json_is_null(json_object_get(st, "guidance")));
	assert_true(json_is_false(json_object_get(st, "queue")));
	assert_string_equal(json_string_value(json_object_get(st, "title")),
	    "The objection is being decided");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(st, "deadline"), "period")), "P6W");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(st, "deadline"), "title")),
	    "Beslissing op het bezwaar");
	assert_int_equal(json_array_size(json_object_get(json_object_get(st,
	    "deadline"), "rungs")), 0);
	ev = json_array_get(json_object_get(st, "events"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "name")),
	    "decided");
	assert_string_equal(json_string_value(json_object_get(ev, "title")),
	    "Besluit genomen");
	assert_null(json_object_get(ev, "shares"));
	/* What a client asks before it records an event: any role here. */
	assert_int_equal(json_array_size(json_object_get(ev, "roles")), 0);
	assert_true(json_is_false(json_object_get(ev, "reason")));
	assert_true(json_is_false(json_object_get(ev, "date")));
	assert_int_equal(json_object_size(ev), 8);
	ev = json_array_get(json_object_get(st, "events"), 1);
	assert_string_equal(json_string_value(json_object_get(ev, "name")),
	    "withdrawn");
	assert_true(json_is_null(json_object_get(ev, "title")));
	assert_int_equal(json_array_size(json_object_get(ev, "roles")), 2);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(ev, "roles"), 1)), "supervisor");
	assert_true(json_is_true(json_object_get(ev, "reason")));
	assert_true(json_is_true(json_object_get(ev, "date")));
	assert_null(json_object_get(ev, "by"));
	ev = json_array_get(json_object_get(st, "events"), 4);
	assert_string_equal(json_string_value(json_object_get(ev, "name")),
	    "defer");
	assert_string_equal(json_string_value(json_object_get(ev, "by")),
	    "P6W");
	assert_int_equal(json_integer_value(json_object_get(ev, "max")), 2);
	/* The generated titles of rungs, and a given one. */
	st = json_array_get(json_object_get(o, "states"), 1);
	b = json_object_get(json_object_get(st, "deadline"), "rungs");
	assert_int_equal(json_array_size(b), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "title")), "Vraag de commissie om advies");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 0), "notify")), "caseworker");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 2), "name")), "at_due");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(b, 2), "title")), "bij het verstrijken");
	assert_true(json_is_null(json_object_get(st, "title")));
	st = json_array_get(json_object_get(o, "states"), 2);
	assert_string_equal(json_string_value(json_object_get(st, "name")),
	    "decided");
	assert_string_equal(json_string_value(json_object_get(st, "guidance")),
	    wf->wf_states[2].ws_guidance);
	assert_true(json_is_true(json_object_get(st, "queue")));
	ev = json_array_get(json_object_get(st, "events"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "to")),
	    "closed");
	b = json_object_get(ev, "shares");
	assert_int_equal(json_array_size(b), 2);
	assert_string_equal(json_string_value(json_array_get(b, 1)),
	    "legal_obligation");
	json_decref(o);
	workflow_free(wf);

	/* Nothing declared: empty lists, and null for kept forever. */
	wf = parse_text("inline", minimal);
	o = view_workflow(wf);
	assert_int_equal(json_array_size(json_object_get(o, "bases")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "share_bases")),
	    0);
	assert_true(json_is_null(json_object_get(o, "retention")));
	assert_true(json_is_null(json_object_get(o, "title")));
	assert_int_equal(json_array_size(json_object_get(o, "roles")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "deadlines")), 0);
	json_decref(o);
	workflow_free(wf);
	errlist_clear(&errs);
}

/*
 * Titles on every name: given, both forms of 'roles', a deadline named
 * after its state called as the state is, and a rung's title made in
 * Dutch from when it fires when none is given.  A hundred characters are
 * counted as characters, not bytes.
 */
static void
test_titles(void **state)
{
	static const struct {
		const char	*rt_state;	/* NULL: a case deadline */
		const char	*rt_deadline;
		size_t		 rt_rung;
		const char	*rt_title;
	} rungs[] = {
		{ "waiting", NULL, 0, "1 week vooraf" },
		{ "waiting", NULL, 1, "1 dag vooraf" },
		{ "waiting", NULL, 2, "bij het verstrijken" },
		{ "waiting", NULL, 3, "2 werkdagen erna" },
		{ "waiting", NULL, 4, "1 maand erna" },
		{ "reporting", NULL, 0, "bij het verstrijken, daarna elke "
		    "week, ten hoogste 20 keer" },
		{ "reporting", NULL, 1, "1 werkdag erna, daarna "
		    "elke 2 weken, ten hoogste 3 keer" },
		{ "urgent", NULL, 0, "4 uur vooraf" },
		{ "urgent", NULL, 1, "1 uur erna, daarna elk "
		    "uur, ten hoogste 2 keer" },
		{ NULL, "payment", 0, "1 dag erna" },
		{ NULL, "lapse", 0, "Invorderen voor het verjaart" },
	};
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_deadline *wd;
	const struct wf_event	*we;
	size_t			 i;

	errlist_init(&errs);
	wf = workflow_load_file(GOOD_DIR "/titles.yaml", &errs);
	assert_non_null(wf);
	assert_string_equal(wf->wf_title, "Melding van inkomsten");

	/* Roles, short and long: the titles where given. */
	assert_int_equal(wf->wf_nroles, 3);
	assert_string_equal(wf->wf_roles[1], "youth_worker");
	assert_null(workflow_role_title(wf, "caseworker"));
	assert_string_equal(workflow_role_title(wf, "youth_worker"),
	    "jeugdhulpverlener");
	assert_string_equal(workflow_role_title(wf, "supervisor"),
	    "leidinggevende");
	assert_null(workflow_role_title(wf, "enforcement"));
	assert_null(workflow_role_title(wf, NULL));
	assert_string_equal(workflow_basis(wf, "consent")->wb_title,
	    "Toestemming van het gezin");
	assert_null(workflow_basis(wf, "inquiry")->wb_title);

	/* 100 characters, of which 5 take two bytes. */
	ws = workflow_state(wf, "waiting");
	assert_int_equal(strlen(ws->ws_title), 105);
	/* Named after its state, its deadline is called as the state is. */
	assert_string_equal(ws->ws_deadline->wd_name, "waiting");
	assert_string_equal(ws->ws_deadline->wd_title, ws->ws_title);
	assert_string_equal(wf_state_event(ws, "reported")->we_title,
	    "Gezin heeft zelf gemeld");
	assert_null(wf_state_event(ws, "close")->we_title);
	/* Named otherwise, it has a title only when it is given one. */
	ws = workflow_state(wf, "reporting");
	assert_string_equal(ws->ws_deadline->wd_name, "report");
	assert_null(ws->ws_deadline->wd_title);
	we = wf_state_event(ws, "reported");
	assert_string_equal(we->we_title, "Jeugdhulpverlener heeft gemeld");
	assert_string_equal(we->we_joins[0].wj_title, "handhaving");
	assert_string_equal(workflow_state(wf, "urgent")->ws_deadline->wd_title,
	    "Spoedtermijn");
	assert_string_equal(workflow_case_deadline(wf, "payment")->wd_title,
	    "Betaaltermijn");
	assert_null(workflow_case_deadline(wf, "lapse")->wd_title);

	for (i = 0; i < nitems(rungs); i++) {
		wd = rungs[i].rt_state != NULL ?
		    workflow_state(wf, rungs[i].rt_state)->ws_deadline :
		    workflow_case_deadline(wf, rungs[i].rt_deadline);
		assert_true(rungs[i].rt_rung < wd->wd_nrungs);
		assert_string_equal(wd->wd_rungs[rungs[i].rt_rung].wr_title,
		    rungs[i].rt_title);
		/* By the name the ledger keeps, the same. */
		assert_string_equal(wf_rung_title(wd,
		    wd->wd_rungs[rungs[i].rt_rung].wr_name), rungs[i].rt_title);
	}
	/* The deadline's own passing, which the ledger calls "due". */
	wd = workflow_state(wf, "waiting")->ws_deadline;
	assert_string_equal(wf_rung_title(wd, "due"), "de termijn verstrijkt");
	assert_string_equal(wf_rung_title(NULL, "due"),
	    "de termijn verstrijkt");
	assert_null(wf_rung_title(wd, "before_P2W"));
	assert_ptr_equal(wf_deadline_rung(wd, "at_due"), &wd->wd_rungs[2]);
	assert_ptr_equal(workflow_deadline(wf, "report"),
	    workflow_state(wf, "reporting")->ws_deadline);
	assert_ptr_equal(workflow_deadline(wf, "payment"),
	    workflow_case_deadline(wf, "payment"));
	assert_null(workflow_deadline(wf, "nothing"));
	workflow_free(wf);
	errlist_clear(&errs);
}

/*
 * A version the database keeps loaded when it was stored: a title the
 * language came to refuse since is kept there as written, so that its
 * cases run on; in a file it is refused.
 */
static void
test_titles_stored(void **state)
{
	static const char text[] =
	    "workflow: old\n"
	    "version: 1\n"
	    "title: \"\"\n"
	    "start: open\n"
	    "states:\n"
	    "  open:\n"
	    "    title: |\n"
	    "      Open,\n"
	    "      over twee regels\n"
	    "    events:\n"
	    "      close: closed\n"
	    "  closed:\n"
	    "    final: true\n";
	struct errlist	 errs;
	struct workflow	*wf;

	errlist_init(&errs);
	assert_null(workflow_parse("old.yaml", text, strlen(text), &errs));
	assert_int_equal(errs.el_count, 2);
	assert_string_equal(errs.el_msgs[0], "old.yaml:3:8: 'title' of the "
	    "workflow must not be empty");
	assert_string_equal(errs.el_msgs[1], "old.yaml:7:12: 'title' of state "
	    "'open' must be one line (a folded '>-' block is one line; '|' is "
	    "not)");
	errlist_clear(&errs);

	wf = workflow_parse_stored("database:old@1", text, strlen(text),
	    &errs);
	assert_non_null(wf);
	assert_int_equal(errs.el_count, 0);
	assert_string_equal(wf->wf_title, "");
	assert_string_equal(workflow_state(wf, "open")->ws_title,
	    "Open,\nover twee regels\n");
	workflow_free(wf);

	/* Anything else stays an error there too. */
	assert_null(workflow_parse_stored("database:old@1", "workflow: old\n",
	    14, &errs));
	assert_true(errs.el_count > 0);
	errlist_clear(&errs);
}

static void
test_hours_rungs(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_deadline *wd;

	errlist_init(&errs);
	wf = workflow_load_file(GOOD_DIR "/hours_rungs.yaml", &errs);
	assert_non_null(wf);
	wd = workflow_state(wf, "waiting")->ws_deadline;
	assert_int_equal(wd->wd_nrungs, 3);
	assert_string_equal(wd->wd_rungs[0].wr_name, "before_PT4H");
	assert_int_equal(wd->wd_rungs[0].wr_offset.ps_rule, PR_HOURS);
	assert_true(period_is_hours(&wd->wd_rungs[0].wr_offset.ps_period));
	assert_string_equal(wd->wd_rungs[1].wr_name, "before_PT1H");
	assert_int_equal(wd->wd_rungs[1].wr_offset.ps_rule, PR_PLAIN);
	assert_string_equal(wd->wd_rungs[2].wr_name, "after_P1D");
	assert_int_equal(wd->wd_rungs[2].wr_every.p_count, 12);
	assert_true(period_is_hours(&wd->wd_rungs[2].wr_every));
	assert_int_equal(wd->wd_rungs[2].wr_max, 4);
	workflow_free(wf);
	assert_int_equal(errs.el_count, 0);
	errlist_clear(&errs);
}

/* No roles: everyone; roles: those, and admin always; no role: nobody. */
static void
test_event_allows(void **state)
{
	struct errlist		 errs;
	struct workflow		*wf;
	const struct wf_state	*ws;
	const struct wf_event	*we;

	errlist_init(&errs);
	wf = workflow_load_file(SHIPPED_DIR "/beslistermijn.yaml", &errs);
	assert_non_null(wf);
	ws = workflow_state(wf, "deciding");

	we = wf_state_event(ws, "request_completion");
	assert_true(wf_event_allows(we, "caseworker"));
	assert_true(wf_event_allows(we, "admin"));
	assert_false(wf_event_allows(we, "supervisor"));
	assert_false(wf_event_allows(we, "reader"));
	assert_false(wf_event_allows(we, "caseworke"));
	assert_false(wf_event_allows(we, ""));
	assert_false(wf_event_allows(we, NULL));

	we = wf_state_event(ws, "extend");
	assert_true(wf_event_allows(we, "supervisor"));
	assert_true(wf_event_allows(we, "admin"));
	assert_false(wf_event_allows(we, "caseworker"));

	we = wf_state_event(ws, "completed");
	assert_true(wf_event_allows(we, "caseworker"));
	assert_true(wf_event_allows(we, "reader"));
	assert_true(wf_event_allows(we, "admin"));
	assert_true(wf_event_allows(we, NULL));
	workflow_free(wf);
	errlist_clear(&errs);
}

static void
test_action_and_anchor_names(void **state)
{
	assert_string_equal(wf_action_name(WA_MOVE), "move");
	assert_string_equal(wf_action_name(WA_SUSPEND), "suspend");
	assert_string_equal(wf_action_name(WA_RESUME), "resume");
	assert_string_equal(wf_action_name(WA_EXTEND), "extend");
	assert_string_equal(wf_action_name((enum wf_action)42), "unknown");
	assert_string_equal(deadline_anchor_name(DA_STATE), "state");
	assert_string_equal(deadline_anchor_name(DA_EVENT_DATE),
	    "event_date");
	assert_string_equal(deadline_anchor_name(DA_STARTED), "started");
	assert_string_equal(deadline_anchor_name((enum deadline_anchor)42),
	    "unknown");
}

/*
 * Every bad file against its .expected, line by line: the messages are the
 * contract.  All mismatches are printed before the test fails.
 */
static void
test_bad_files(void **state)
{
	struct errlist	 errs;
	struct workflow	*wf;
	char		**files, **want, *text, path[512];
	size_t		 n, nwant, len, i, j, failed = 0;

	files = list_dir(BAD_DIR, ".yaml", &n);
	assert_true(n >= 25);
	for (i = 0; i < n; i++) {
		errlist_init(&errs);
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, files[i]);
		wf = workflow_load_file(path, &errs);
		if (wf != NULL) {
			print_error("%s: loaded, but should not\n", path);
			workflow_free(wf);
			failed++;
		}
		snprintf(path + strlen(path) - strlen(".yaml"),
		    sizeof(path) - strlen(path) + strlen(".yaml"), ".expected");
		text = read_text(path, &len);
		want = split_lines(text, &nwant);
		if (nwant == 0)
			print_error("%s: empty\n", path);
		for (j = 0; j < nwant || j < errs.el_count; j++) {
			if (j < nwant && j < errs.el_count &&
			    strcmp(want[j], errs.el_msgs[j]) == 0)
				continue;
			print_error("%s, line %zu:\n  want %s\n  got  %s\n",
			    path, j + 1, j < nwant ? want[j] : "(nothing)",
			    j < errs.el_count ? errs.el_msgs[j] : "(nothing)");
			failed++;
		}
		if (nwant == 0)
			failed++;
		free(want);
		free(text);
		errlist_clear(&errs);
	}
	free_list(files, n);
	assert_int_equal(failed, 0);
}

/* Every .expected has its .yaml, so that none is silently skipped. */
static void
test_bad_files_paired(void **state)
{
	char	**files, path[512];
	size_t	  n, i;

	files = list_dir(BAD_DIR, ".expected", &n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%.*s.yaml", BAD_DIR,
		    (int)(strlen(files[i]) - strlen(".expected")), files[i]);
		if (access(path, R_OK) != 0)
			fail_msg("%s has no .yaml beside it", files[i]);
	}
	free_list(files, n);
}

/* The size limit holds before parsing, through both entry points. */
static void
test_too_large(void **state)
{
	struct errlist	 errs;
	struct workflow	*wf;
	char		*buf, *dir, path[512], want[1024];
	size_t		 len = WF_MAX_FILE_SIZE + 1, n;

	errlist_init(&errs);
	buf = xmalloc(len);
	memset(buf, '#', len);
	assert_null(workflow_parse("big", buf, len, &errs));
	assert_int_equal(errs.el_count, 1);
	assert_string_equal(errs.el_msgs[0],
	    "big: file is too large (262145 bytes; the limit is 262144)");
	errlist_clear(&errs);

	dir = make_tmpdir();
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	write_file(path, buf, len);
	assert_null(workflow_load_file(path, &errs));
	assert_int_equal(errs.el_count, 1);
	snprintf(want, sizeof(want), "%s: file is too large (262145 bytes; "
	    "the limit is 262144)", path);
	assert_string_equal(errs.el_msgs[0], want);
	errlist_clear(&errs);

	/* Exactly at the limit is fine: a workflow padded with a comment. */
	n = strlen(minimal);
	memcpy(buf, minimal, n);
	buf[WF_MAX_FILE_SIZE - 1] = '\n';
	write_file(path, buf, WF_MAX_FILE_SIZE);
	wf = workflow_load_file(path, &errs);
	assert_non_null(wf);
	assert_int_equal(wf->wf_sourcelen, WF_MAX_FILE_SIZE);
	workflow_free(wf);

	snprintf(want, sizeof(want), "%s: cannot open: No such file or "
	    "directory", path);
	unlink(path);
	assert_null(workflow_load_file(path, &errs));
	assert_string_equal(errs.el_msgs[0], want);
	errlist_clear(&errs);
	assert_null(workflow_load_file(dir, &errs));
	assert_int_equal(errs.el_count, 1);
	errlist_clear(&errs);
	remove_tmpdir(dir);
	free(buf);
}

/* workflow_parse names messages after its caller and keeps the text. */
static void
test_parse_buffer(void **state)
{
	struct errlist	 errs;
	struct workflow	*wf;
	const char	*text;
	char		 digest[HASH_SHA256_HEX_LEN];

	wf = parse_text("inline", minimal);
	assert_non_null(wf);
	assert_null(wf->wf_path);
	assert_int_equal(wf->wf_sourcelen, strlen(minimal));
	assert_memory_equal(wf->wf_source, minimal, strlen(minimal));
	assert_int_equal(wf->wf_source[wf->wf_sourcelen], '\0');
	hash_sha256_hex(minimal, strlen(minimal), digest);
	assert_string_equal(wf->wf_digest, digest);
	workflow_free(wf);

	/* No file name to match: any valid name will do. */
	errlist_init(&errs);
	wf = parse_text("inline", "workflow: x\nversion: 1\nstart: a\n"
	    "states: {a: {final: true}}\n");
	assert_non_null(wf);
	workflow_free(wf);
	assert_null(workflow_parse("inline", "workflow: x\n", 12, &errs));
	assert_int_equal(errs.el_count, 3);
	assert_string_equal(errs.el_msgs[0],
	    "inline:1:1: missing required key 'version' at the top level");
	errlist_clear(&errs);

	/* Control characters are a reader error with a position. */
	assert_null(workflow_parse("cc", "workflow: x\ntitle: \"a\001b\"\n",
	    25, &errs));
	assert_int_equal(errs.el_count, 1);
	assert_string_equal(errs.el_msgs[0], "cc:2:10: syntax error: control "
	    "characters are not allowed; a workflow file must be UTF-8 text");
	errlist_clear(&errs);

	/* A NUL in the middle of the text is refused, not cut short at. */
	assert_null(workflow_parse("nul", "workflow: x\0", 12, &errs));
	assert_true(errs.el_count >= 1);
	errlist_clear(&errs);

	/* And a NUL written as an escape cannot hide in a name. */
	text = "workflow: \"x\\0y\"\nversion: 1\nstart: a\n"
	    "states: {a: {final: true}}\n";
	assert_null(workflow_parse("esc", text, strlen(text), &errs));
	assert_int_equal(errs.el_count, 1);
	assert_string_equal(errs.el_msgs[0],
	    "esc:1:11: 'workflow' must not hold a NUL character");
	errlist_clear(&errs);
}

static void
test_deadline_kinds(void **state)
{
	enum deadline_kind	k;

	assert_string_equal(deadline_kind_name(DK_AGREEMENT), "agreement");
	assert_string_equal(deadline_kind_name(DK_STATUTORY), "statutory");
	assert_string_equal(deadline_kind_name(DK_DECISION), "decision");
	assert_string_equal(deadline_kind_name(DK_SERVICE_NORM),
	    "service_norm");
	assert_string_equal(deadline_kind_name((enum deadline_kind)42),
	    "unknown");
	assert_int_equal(deadline_kind_parse("service_norm", &k), 0);
	assert_int_equal(k, DK_SERVICE_NORM);
	assert_int_equal(deadline_kind_parse("legal", &k), -1);
	assert_int_equal(deadline_kind_parse(NULL, &k), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults_and_forms),
		cmocka_unit_test(test_new_defaults),
		cmocka_unit_test(test_share_bases),
		cmocka_unit_test(test_view_workflow),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_titles_stored),
		cmocka_unit_test(test_hours_rungs),
		cmocka_unit_test(test_event_allows),
		cmocka_unit_test(test_action_and_anchor_names),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_files_paired),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_parse_buffer),
		cmocka_unit_test(test_deadline_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
