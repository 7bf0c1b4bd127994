/* termijn: tests of the workflow loader, the registry and the shipped workflows. */

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

/* Tests run in tests/, as CTest runs them. */
#define GOOD_DIR	"workflows/good"
#define BAD_DIR		"workflows/bad"
#define SHIPPED_DIR	"../workflows"

static char	**list_dir(const char *, const char *, size_t *);
static void	  free_list(char **, size_t);
static char	 *read_text(const char *, size_t *);
static char	**split_lines(char *, size_t *);
static void	  write_file(const char *, const char *, size_t);
static char	 *make_tmpdir(void);
static void	  remove_tmpdir(char *);
static struct workflow *parse_text(const char *, const char *);
static void	  check_escalation(const struct workflow *);
static void	  check_titles(const struct workflow *);

static const char minimal[] =
    "workflow: x\n"
    "version: 1\n"
    "start: open\n"
    "states:\n"
    "  open:\n"
    "    events:\n"
    "      close: closed\n"
    "  closed:\n"
    "    final: true\n";

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

	assert_int_equal(ws->ws_nevents, 4);
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
	{ "beslistermijn", "P10Y", "", "", "", "overdue" },
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
		"beslistermijn", "last_onder_dwangsom", "stabilisatie",
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
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults_and_forms),
		cmocka_unit_test(test_new_defaults),
		cmocka_unit_test(test_share_bases),
		cmocka_unit_test(test_view_workflow),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_titles_stored),
		cmocka_unit_test(test_beslistermijn),
		cmocka_unit_test(test_last_onder_dwangsom),
		cmocka_unit_test(test_hours_rungs),
		cmocka_unit_test(test_event_allows),
		cmocka_unit_test(test_action_and_anchor_names),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_files_paired),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_parse_buffer),
		cmocka_unit_test(test_deadline_kinds),
		cmocka_unit_test(test_shipped_workflows),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_registry_load_dir),
		cmocka_unit_test(test_registry_load_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir ending in suffix, sorted. */
static char **
list_dir(const char *dir, const char *suffix, size_t *np)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL;
	size_t		  n = 0, len, slen = strlen(suffix);

	if ((d = opendir(dir)) == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= slen ||
		    strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*np = n;
	return names;
}

static void
free_list(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static char *
read_text(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = xmalloc(len + 1);
	if (len > 0 && fread(buf, 1, len, f) != (size_t)len)
		fail_msg("%s: short read", path);
	buf[len] = '\0';
	fclose(f);
	*lenp = len;
	return buf;
}

/* Splits text in place at newlines; the array points into it. */
static char **
split_lines(char *text, size_t *np)
{
	char	**lines = NULL, *nl;
	size_t	  n = 0;

	while (*text != '\0') {
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		lines[n++] = text;
		if (nl == NULL)
			break;
		text = nl + 1;
	}
	*np = n;
	return lines;
}

static void
write_file(const char *path, const char *buf, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		fail_msg("%s: write failed", path);
}

static char *
make_tmpdir(void)
{
	const char	*tmp;
	char		*dir;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	xasprintf(&dir, "%s/test_workflow.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	return dir;
}

static void
remove_tmpdir(char *dir)
{
	char	**files, path[512];
	size_t	  n, i;

	files = list_dir(dir, "", &n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	free_list(files, n);
	rmdir(dir);
	free(dir);
}

static struct workflow *
parse_text(const char *name, const char *text)
{
	struct errlist	 errs;
	struct workflow	*wf;
	size_t		 i;

	errlist_init(&errs);
	wf = workflow_parse(name, text, strlen(text), &errs);
	for (i = 0; i < errs.el_count; i++)
		print_error("%s\n", errs.el_msgs[i]);
	errlist_clear(&errs);
	return wf;
}
