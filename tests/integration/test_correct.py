"""Corrections (issue 10): a supervisor undoes the last transition of a case
that an event or a deadline passing caused.  The correction is a transition
of its own; the deadlines afterwards are as they were before the mistake,
which each test checks against a twin case that never had the mistake.
The clock moves with faketime; nothing sleeps for a deadline."""

import os
import subprocess
import unittest

from harness import (FakeClock, TermijnTestCase, audit_verify, local,
                     termijnctl_path, wait_until, workflows_with)

FAST = {"scheduler": {"recheck_interval": 0.1}}

# A workflow that lets caseworkers correct their own mistakes as well.
SELF_CORRECTING = """\
workflow: herstel
version: 1
roles: [caseworker, supervisor]
start: open
corrections: [caseworker]
states:
  open:
    deadline:
      period: 2 weeks
      then: late
      rungs:
        - { before: 2 days, notify: caseworker }
    events:
      done: closed
  late:
    events:
      done: closed
  closed:
    final: true
"""

# A deadline without "then": it passes without a transition of its own.
ANSWER = """\
workflow: antwoord
version: 1
roles: [caseworker, supervisor]
start: open
states:
  open:
    deadline:
      period: 2 weeks
      rungs:
        - { after: 1 day, notify: supervisor }
    events:
      extend: { action: extend, deadline: open, by: 2 weeks, max: 1 }
      pause: { action: suspend, deadline: open }
      go_on: { action: resume, deadline: open }
      done: closed
  closed:
    final: true
"""

# A state deadline whose reminder starts a case deadline, and whose passing
# hands its follow-up over to the next state, which has a deadline of its
# own ("late"), or closes the case ("closed").
HANDED = """\
workflow: %s
version: 1
roles: [caseworker, supervisor]
start: open
deadlines:
  check_back:
    period: 4 weeks
    rungs:
      - { before: 1 day, notify: caseworker }
states:
  open:
    deadline:
      period: 2 weeks
      then: %s
      rungs:
        - { before: 2 days, notify: caseworker, start: [check_back] }
        - { after: 3 days, notify: supervisor }
    events:
      done: closed
      wait: late
  late:
    deadline:
      period: 1 week
      rungs:
        - { before: 1 day, notify: supervisor }
    events:
      done: closed
  closed:
    final: true
"""


def deadlines(d, cid):
    """What a person sees of a case's deadlines, without ids, and the
    rungs still to fire, from the database."""
    case = d.case(cid)
    seen = sorted((x["name"], x["state"], x["due"], x["running"], x["passed"])
                  for x in case["deadlines"])
    pending = sorted(d.db_query(
        "SELECT d.name, r.name, r.seq, r.due, r.holder FROM rungs r"
        " JOIN deadlines d ON d.id = r.deadline_id"
        " WHERE r.case_id = ? AND r.fired_at IS NULL", (cid,)))
    return case["state"], case["state_since"], seen, pending


class CorrectionTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 3, 2, 9, 0))
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        self.sup = self.d.make_token("lead", "supervisor", ("jeugd-noord",))
        self.cw = self.d.make_token("clerk", "caseworker", ("jeugd-noord",))

    def correct(self, cid, reason="recorded on the wrong case", expect=200,
                token=None):
        return self.d.call("POST", "/v1/cases/%d/corrections" % cid,
                           {"reason": reason}, expect,
                           self.sup if token is None else token)

    def test_wrong_move_event_restores_deadline_and_reminder(self):
        d = self.d
        a = d.create_case()["id"]
        twin = d.create_case()["id"]
        before = deadlines(d, a)
        self.clock.set(local(2026, 3, 4, 11, 0))
        d.event(a, "family_reported")
        self.assertEqual(d.case(a)["state"], "self_reported")
        self.assertEqual(d.case(a)["deadlines"], [])

        self.clock.set(local(2026, 3, 5, 9, 30))
        case = self.correct(a, "the family reported for another case")
        self.assertEqual(case["state"], "awaiting_self_report")
        self.assertEqual(deadlines(d, a), before)
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])

        ts = d.transitions(a)
        self.assertEqual([t["cause"] for t in ts],
                         ["create", "event", "correction"])
        self.assertEqual(ts[2]["corrects"], ts[1]["id"])
        self.assertEqual(ts[2]["note"], "the family reported for another case")
        self.assertEqual((ts[2]["from"], ts[2]["to"]),
                         ("self_reported", "awaiting_self_report"))
        self.assertEqual(ts[2]["actor"], "lead")
        self.assertEqual(ts[1]["event"], "family_reported")

        # The deadline passes for both at the same moment.
        self.clock.set(local(2026, 4, 14, 0, 0, 5))
        for cid in (a, twin):
            d.wait_state(cid, "youth_worker_reports")
        self.assertEqual(d.transitions(a)[-1]["at"],
                         d.transitions(twin)[-1]["at"])
        self.assertEqual(audit_verify(d.db)[0], 0)

    def test_wrong_suspension_gives_the_budget_back(self):
        d = self.d
        a = d.create_case("beslistermijn")["id"]
        twin = d.create_case("beslistermijn")["id"]
        self.clock.set(local(2026, 3, 10, 10, 0))
        d.event(a, "request_completion", note="missing pay slips",
                token=self.cw)
        self.clock.set(local(2026, 3, 20, 10, 0))
        self.assertFalse(d.case(a)["deadlines"][0]["running"])

        self.correct(a, "the application was complete")
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])
        self.assertTrue(d.case(a)["deadlines"][0]["running"])
        # The suspension never happened: no days are added later either.
        self.clock.set(local(2026, 3, 25, 10, 0))
        d.event(a, "extend", note="complex", token=self.sup)
        d.event(twin, "extend", note="complex", token=self.sup)
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])

    def test_wrong_extension_is_taken_back(self):
        d = self.d
        a = d.create_case("beslistermijn")["id"]
        twin = d.create_case("beslistermijn")["id"]
        self.clock.set(local(2026, 3, 10, 10, 0))
        d.event(a, "extend", note="on the wrong case", token=self.sup)
        self.assertNotEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])
        self.correct(a)
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])
        # The extension it allows once is available again.
        d.event(a, "extend", note="now for real", token=self.sup)

    def test_reminder_due_while_the_mistake_stood_is_sent_at_correction(self):
        d = self.d
        a = d.create_case()["id"]
        twin = d.create_case()["id"]
        d.event(a, "family_reported")
        # The reminder a week before the end (2026-04-06) passes; the twin
        # sends it, the case that wrongly moved on does not.
        self.clock.set(local(2026, 4, 7, 9, 0))
        wait_until(lambda: d.case(twin)["notifications"],
                   what="the twin's reminder")
        self.assertEqual(d.case(a)["notifications"], [])
        self.correct(a)
        wait_until(lambda: d.case(a)["notifications"],
                   what="the reminder after the correction")
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])

    def test_deadline_passing_corrected_waits_in_overdue(self):
        d = self.d
        a = d.create_case()["id"]
        self.clock.set(local(2026, 4, 14, 0, 0, 5))
        d.wait_state(a, "youth_worker_reports")
        self.assertEqual(len(d.case(a)["deadlines"]), 1)

        self.clock.set(local(2026, 4, 14, 9, 0))
        case = self.correct(a, "the family reported on time, by letter")
        self.assertEqual(case["state"], "awaiting_self_report")
        self.assertEqual(case["state_since"], d.transitions(a)[0]["at"])
        (dl,) = case["deadlines"]
        self.assertEqual((dl["name"], dl["passed"]), ("awaiting_self_report", True))
        # No deadline of the state it wrongly moved to runs, and nothing
        # of it fires: the case waits for a person, in the overdue view.
        self.assertEqual(d.db_query(
            "SELECT count(*) FROM rungs WHERE case_id = ? AND fired_at IS"
            " NULL", (a,)), [(0,)])
        over = d.call("GET", "/v1/overdue", token=self.sup)
        (item,) = [x for x in over["overdue"] if x["case"] == a]
        # It did not escalate: it waits where it is.
        self.assertEqual((item["deadline"], item["state"], item["escalated_to"]),
                         ("awaiting_self_report", "awaiting_self_report", None))
        self.clock.set(local(2026, 5, 1, 9, 0))
        d.event(a, "family_reported")
        self.assertEqual(d.case(a)["state"], "self_reported")
        self.assertEqual(audit_verify(d.db)[0], 0)

    def test_wrong_close_reopens_the_case(self):
        d = self.d
        a = d.create_case("beslistermijn")["id"]
        twin = d.create_case("beslistermijn")["id"]
        d.event(a, "decided")
        self.assertTrue(d.case(a)["final"])
        case = self.correct(a, "decided on the wrong application")
        self.assertFalse(case["final"])
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])

    def test_refusals_say_why_and_change_nothing(self):
        d = self.d
        a = d.create_case()["id"]
        r = d.request("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "x"}, token=self.sup)
        self.assertEqual(r.status, 409, r.raw)
        self.assertIn("nothing to correct", r.body["detail"])

        d.event(a, "family_reported")
        snapshot = deadlines(d, a), d.transitions(a)
        r = d.request("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "x"}, token=self.cw)
        self.assertEqual(r.status, 403, r.raw)
        self.assertIn("corrections are for: supervisor", r.body["detail"])
        for body, what in (({}, "reason"), ({"reason": ""}, "reason"),
                           ({"reason": "x", "undo": True}, "undo"),
                           ({"reason": 7}, "reason")):
            r = d.request("POST", "/v1/cases/%d/corrections" % a, body,
                          token=self.sup)
            self.assertEqual(r.status, 400, (body, r.raw))
            self.assertIn(what, r.body["detail"])
        r = d.request("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "x" * 5000}, token=self.sup)
        self.assertEqual(r.status, 400, r.raw)
        other = d.make_token("other-lead", "supervisor", ("jeugd-zuid",))
        r = d.request("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "x"}, token=other)
        self.assertEqual(r.status, 404, r.raw)
        self.assertEqual((deadlines(d, a), d.transitions(a)), snapshot)

        self.correct(a)
        r = d.request("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "again"}, token=self.sup)
        self.assertEqual(r.status, 409, r.raw)
        self.assertIn("a correction already", r.body["detail"])

        # Something else happened after the event: it is no longer last.
        d.event(a, "family_reported")
        d.call("POST", "/v1/cases/%d/assign" % a, {"assignee": "worker"},
               token=self.sup)
        r = d.request("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "x"}, token=self.sup)
        self.assertEqual(r.status, 409, r.raw)
        self.assertIn("assign", r.body["detail"])

    def test_a_participating_team_corrects_only_its_own_steps(self):
        """A supervisor of a team that takes part in a case undid the
        owning team's 'unsafe' with a correction.  Now the owning team's
        supervisor corrects any step; a participating team's supervisor
        only the steps its own team's people took (403 otherwise, saying
        why), and never a deadline passing."""
        d = self.d
        jw = d.make_token("jw-noord", "youth_worker", ("jeugd-noord",))
        hh = d.make_token("handhaver", "enforcement", ("handhaving",))
        hh_lead = d.make_token("hh-lead", "supervisor", ("handhaving",))
        a = d.create_case("stabilisatie", token=jw)["id"]
        d.share(a, "handhaving", "consent", token=jw)

        d.event(a, "unsafe", token=jw)
        before = d.transitions(a)
        r = d.request("POST", "/v1/cases/%d/corrections" % a, {"reason": "x"},
                      token=hh_lead)
        self.assertProblem(r, 403, "jeugd-noord", "handhaving", "jw-noord")
        self.assertEqual(d.transitions(a), before)
        self.assertEqual(d.case(a)["state"], "enforcement")
        self.assertEqual(self.correct(a, "niet onveilig")["state"], "stabilising")

        # Its own enforcement officer's step, the participating team corrects.
        d.event(a, "unsafe", token=hh)
        case = self.correct(a, "verkeerde zaak", token=hh_lead)
        self.assertEqual(case["state"], "stabilising")
        self.assertEqual(d.transitions(a)[-1]["actor"], "hh-lead")

        # A deadline passing is the owning team's to correct.
        self.clock.set(local(2026, 4, 14, 0, 0, 5))
        d.wait_state(a, "enforcement")
        r = d.request("POST", "/v1/cases/%d/corrections" % a, {"reason": "x"},
                      token=hh_lead)
        self.assertProblem(r, 403, "deadline", "jeugd-noord")
        self.assertEqual(self.correct(a, "gezin was stabiel")["state"], "stabilising")
        self.assertEqual(audit_verify(d.db)[0], 0)

    def test_termijnctl_case_correct(self):
        d = self.d
        a = d.create_case()["id"]
        d.event(a, "family_reported")

        def ctl(*args):
            env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (d.host, d.port),
                       TERMIJN_TOKEN=self.sup)
            return subprocess.run([termijnctl_path()] + list(args), env=env,
                                  capture_output=True, text=True, timeout=60,
                                  stdin=subprocess.DEVNULL)

        p = ctl("case", "correct", str(a))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--reason is required", p.stderr)
        p = ctl("case", "correct", str(a), "--reason", "wrong family")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("awaiting_self_report", p.stdout)
        self.assertEqual(d.case(a)["state"], "awaiting_self_report")
        p = ctl("case", "correct", str(a), "--reason", "again")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("a correction already", p.stderr)

    def restart_with(self, files):
        d = self.d
        d.stop()
        d.workflows = workflows_with(self.tmpdir, files)
        d.start()
        return d

    def test_wrong_extension_after_the_deadline_passed_on_its_own(self):
        d = self.restart_with({"antwoord.yaml": ANSWER})
        a = d.create_case("antwoord")["id"]
        twin = d.create_case("antwoord")["id"]
        self.clock.set(local(2026, 3, 3, 9, 0))
        d.event(a, "extend")
        # Both pass, each at its own moment, without a transition.
        self.clock.set(local(2026, 4, 2, 9, 0))
        for cid in (a, twin):
            wait_until(lambda: d.case(cid)["deadlines"][0]["passed"],
                       what="case %d's deadline to pass" % cid)
        self.assertNotEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])
        self.correct(a, "the extension was for another application")
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])
        self.assertEqual(d.case(a)["deadlines"][0]["due"], "2026-03-16")

    def test_wrong_resumption_after_which_the_deadline_passed(self):
        d = self.restart_with({"antwoord.yaml": ANSWER})
        a = d.create_case("antwoord")["id"]
        twin = d.create_case("antwoord")["id"]
        self.clock.set(local(2026, 3, 3, 9, 0))
        d.event(a, "pause")
        d.event(twin, "pause")
        self.clock.set(local(2026, 3, 4, 9, 0))
        d.event(a, "go_on")
        self.clock.set(local(2026, 3, 20, 9, 0))
        wait_until(lambda: d.case(a)["deadlines"][0]["passed"],
                   what="the wrongly resumed deadline to pass")
        self.correct(a, "the applicant had not sent the papers yet")
        self.assertEqual(deadlines(d, a)[2:], deadlines(d, twin)[2:])
        self.assertFalse(d.case(a)["deadlines"][0]["running"])
        # Resumed for real: both run on, and pass at the same moment.  The
        # follow-up told the supervisor when the mistake let the deadline
        # pass; what was sent stays sent, and is not sent twice.
        told = d.case(a)["notifications"]
        self.assertEqual([n["rung"] for n in told], ["after_P1D"])
        self.clock.set(local(2026, 3, 25, 9, 0))
        d.event(a, "go_on")
        d.event(twin, "go_on")
        self.assertEqual(deadlines(d, a)[2], deadlines(d, twin)[2])
        self.assertEqual(deadlines(d, a)[3],
                         [r for r in deadlines(d, twin)[3] if r[1] == "due"])
        self.clock.set(local(2026, 4, 20, 9, 0))
        for cid in (a, twin):
            wait_until(lambda: d.case(cid)["deadlines"][0]["passed"],
                       what="case %d's deadline to pass" % cid)
        self.assertEqual(deadlines(d, a)[2], deadlines(d, twin)[2])
        self.assertEqual(d.case(a)["notifications"], told)

    def test_fired_passing_corrected_with_a_case_deadline_running(self):
        # What a correction of a fired deadline passing puts back: the
        # deadline waits, passed, in its state; the case deadline its
        # reminder started runs on as before; what the passing started
        # (the next state's deadline, the follow-up handed over) stops.
        # A passing into a final state stops the case deadline too: the
        # correction starts it again.
        d = self.restart_with({"doorgeven.yaml": HANDED % ("doorgeven", "late"),
                               "sluiten.yaml": HANDED % ("sluiten", "closed")})
        cases = [(d.create_case(w)["id"], then) for w, then in
                 (("doorgeven", "late"), ("sluiten", "closed"))]
        # Two days before: the reminder starts the case deadline.
        self.clock.set(local(2026, 3, 15, 9, 0))
        for cid, _ in cases:
            wait_until(lambda: len(d.case(cid)["deadlines"]) == 2,
                       what="case %d's case deadline to start" % cid)
        before = {cid: deadlines(d, cid) for cid, _ in cases}
        self.clock.set(local(2026, 3, 17, 0, 0, 5))
        for cid, then in cases:
            d.wait_state(cid, then)
            self.assertEqual(d.transitions(cid)[-1]["cause"], "deadline")
        self.assertEqual(sorted(x["name"] for x in d.case(cases[0][0])["deadlines"]),
                         ["check_back", "late", "open"])
        self.clock.set(local(2026, 3, 17, 9, 0))
        for cid, _ in cases:
            self.correct(cid, "the report came in on time")
            state, since, seen, pending = before[cid]
            self.assertEqual(deadlines(d, cid), (
                state, since,
                sorted(x[:4] + (x[0] == "open",) for x in seen),
                [r for r in pending if r[0] != "open"]))
            self.assertEqual(d.transitions(cid)[-1]["cause"], "correction")
        self.assertEqual(audit_verify(d.db)[0], 0)

    def test_workflow_names_who_else_corrects(self):
        d = self.restart_with({"herstel.yaml": SELF_CORRECTING})
        wf = [w for w in d.call("GET", "/v1/workflows")["workflows"]
              if w["name"] == "herstel"][0]
        self.assertEqual(wf["corrections"], ["caseworker"])
        a = d.create_case("herstel")["id"]
        d.event(a, "done", token=self.cw)
        case = d.call("POST", "/v1/cases/%d/corrections" % a,
                      {"reason": "closed too soon"}, 200, self.cw)
        self.assertEqual(case["state"], "open")


if __name__ == "__main__":
    unittest.main()
