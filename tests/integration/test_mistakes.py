"""The everyday mistakes of busy people (issue 10), tried as a person would
make them: a registration dated so far back that deadlines already passed,
the same agreement registered twice, a mistyped workflow or event.  Each
gets an answer that says what happened and what would be right."""

import datetime
import os
import subprocess
import unittest

from harness import FakeClock, TermijnTestCase, iso, local, termijnctl_path


class MistakesTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 3, 2, 10, 0))
        self.d = self.start_daemon(clock=self.clock)

    def ctl(self, *args):
        env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (self.d.host, self.d.port),
                   TERMIJN_TOKEN=self.d.token)
        return subprocess.run([termijnctl_path()] + list(args), env=env,
                              capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    # -- a registration dated in the past -------------------------------

    def test_registration_in_the_past_says_what_fired_at_once(self):
        d = self.d
        started = local(2026, 1, 5, 10, 0)
        c = d.create_case(started_at=iso(started))
        self.assertEqual(c["state"], "enforcement")
        ws = c["warnings"]
        codes = [(w["code"], w.get("deadline"), w.get("rung")) for w in ws]
        # The reminder a week before the family's 6 weeks, the 6 weeks
        # themselves, then the youth worker's 5 working days with its
        # reminder, enforcement told the case is in its queue, and the
        # follow-up to the supervisor.
        self.assertEqual(codes, [
            ("rung_fired_late", "awaiting_self_report", "before_P1W"),
            ("deadline_passed", "awaiting_self_report", None),
            ("rung_fired_late", "youth_worker_reports", "before_P2D"),
            ("deadline_passed", "youth_worker_reports", None),
            ("rung_fired_late", "youth_worker_reports", "at_due"),
            ("rung_fired_late", "youth_worker_reports", "after_P2D"),
            # No team fills enforcement for jeugd-noord: nobody was told.
            ("unrouted", None, None),
        ])
        passed = [w for w in ws if w["code"] == "deadline_passed"]
        self.assertEqual([w["at"] for w in passed],
                         ["2026-02-17T00:00:00+01:00", "2026-02-25T00:00:00+01:00"])
        self.assertIn("moved on to youth_worker_reports", passed[0]["detail"])
        late = [w for w in ws if w["code"] == "rung_fired_late"]
        self.assertTrue(late)
        for w in late:
            self.assertLess(w["at"], iso(self.clock.now()))
            self.assertIn("before the case was registered", w["detail"])
        told = [w for w in late if w["notify"]]
        self.assertIn("with a notification for role youth_worker", told[0]["detail"])

    def test_registration_now_has_no_warnings(self):
        c = self.d.create_case()
        self.assertNotIn("warnings", c)
        c = self.d.create_case(started_at=iso(local(2026, 3, 1, 10, 0)))
        self.assertEqual(c["warnings"], [])

    def test_termijnctl_prints_the_warnings(self):
        p = self.ctl("case", "create", "--workflow", "zelfmelding",
                     "--reference", "Z-2026-7001", "--team", "jeugd-noord",
                     "--started-at", "2026-01-05")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("termijnctl: warning: deadline awaiting_self_report passed at"
                      " 2026-02-17T00:00:00+01:00, before the case was registered",
                      p.stderr)

    # -- an event dated in the past --------------------------------------

    BACKDATED = [
        "deadline begunstigingstermijn passed at 2026-02-24T00:00:00+01:00, before the"
        " event was recorded; the case moved on to reinspection",
        "rung at_due of deadline begunstigingstermijn was due at"
        " 2026-02-24T00:00:00+01:00, before the event was recorded; it fired at once,"
        " with a notification for role enforcement (the case's notifications say which"
        " teams received it)",
    ]

    def deciding(self, reference):
        """An order under penalty whose decision is to be sent."""
        cid = self.d.create_case("last_onder_dwangsom", reference=reference)["id"]
        self.d.event(cid, "view_received")
        return cid

    def test_event_dated_in_the_past_says_what_fired_at_once(self):
        d = self.d
        cid = self.deciding("H-2026-0101")
        # The decision went out on 26 January and is recorded on 2 March:
        # its four weeks of compliance ended on 23 February.
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "decision_sent", "date": "2026-01-26"})
        self.assertEqual(r.status, 200, r.raw)
        c = r.body
        # The answer shows the case where that took it, and says so.
        self.assertEqual(c["state"], "reinspection")
        ws = c["warnings"]
        self.assertEqual([(w["code"], w["deadline"], w.get("rung"), w["at"]) for w in ws], [
            ("deadline_passed", "begunstigingstermijn", None, "2026-02-24T00:00:00+01:00"),
            ("rung_fired_late", "begunstigingstermijn", "at_due", "2026-02-24T00:00:00+01:00"),
        ])
        self.assertEqual([w["detail"] for w in ws], self.BACKDATED)
        self.assertEqual((ws[1]["notify"], ws[1]["seq"], ws[1]["skipped"]),
                         ("enforcement", 1, False))
        # The notification it wrote is dated at the deadline, not now.
        self.assertEqual([(n["role"], n["rung"], n["at"]) for n in c["notifications"]],
                         [("enforcement", "at_due", "2026-02-24T00:00:00+01:00")])
        self.assertEqual(d.case(cid)["state"], "reinspection")

    def test_event_without_a_past_date_has_no_such_warnings(self):
        d = self.d
        cid = self.deciding("H-2026-0102")
        # Dated today: the date is said, and nothing fired.
        c = d.call("POST", "/v1/cases/%d/events" % cid,
                   {"event": "decision_sent", "date": "2026-03-02"})
        self.assertEqual((c["state"], c["warnings"]), ("compliance", []))
        # No date at all: no warnings.
        self.assertNotIn("warnings", d.event(cid, "complied"))

    def test_termijnctl_prints_an_events_warnings(self):
        cid = self.deciding("H-2026-0103")
        p = self.ctl("case", "event", str(cid), "decision_sent", "--date", "2026-01-26")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.splitlines(),
                         ["termijnctl: warning: " + w for w in self.BACKDATED])
        self.assertRegex(p.stdout, r"(?m)^state: +Hercontrole \(reinspection\)$")

    # -- the same agreement twice ----------------------------------------

    def test_second_open_case_for_the_same_reference_is_refused(self):
        d = self.d
        first = d.create_case(reference="Z-2026-0500")["id"]
        r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                            "reference": "Z-2026-0500",
                                            "team": "jeugd-noord"})
        self.assertProblem(r, 409, "case %d" % first, "still open",
                           '"duplicate": true')
        self.assertEqual(r.body["case"], first)
        self.assertEqual(len(d.call("GET", "/v1/cases?workflow=zelfmelding")["cases"]), 1)

        # Meant: a second one.  Another workflow or team: no question.
        r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                            "reference": "Z-2026-0500",
                                            "team": "jeugd-noord",
                                            "duplicate": True})
        self.assertEqual(r.status, 201, r.raw)
        d.create_case("beslistermijn", reference="Z-2026-0500")
        r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                            "reference": "Z-2026-0500",
                                            "team": "jeugd-noord",
                                            "duplicate": "yes"})
        self.assertProblem(r, 400, "duplicate", "true or false")

        # With the first closed, the second (meant) one is the open case a
        # new registration would repeat.
        d.event(first, "family_reported")
        d.event(first, "close")
        second = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                                     "reference": "Z-2026-0500",
                                                     "team": "jeugd-noord"})
        self.assertEqual(second.status, 409, second.raw)
        self.assertNotEqual(second.body["case"], first)

    def test_termijnctl_duplicate(self):
        args = ("case", "create", "--workflow", "zelfmelding", "--reference",
                "Z-2026-7002", "--team", "jeugd-noord")
        self.assertEqual(self.ctl(*args).returncode, 0)
        p = self.ctl(*args)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("still open", p.stderr)
        p = self.ctl(*(args + ("--duplicate",)))
        self.assertEqual(p.returncode, 0, p.stderr)

    # -- say what would be right -----------------------------------------

    def test_unknown_workflow_lists_the_workflows(self):
        r = self.d.request("POST", "/v1/cases", {"workflow": "zelfmeldng",
                                                 "reference": "Z-2026-0600",
                                                 "team": "jeugd-noord"})
        self.assertProblem(r, 400, 'unknown workflow "zelfmeldng"',
                           'did you mean "zelfmelding"', "beslistermijn",
                           "last_onder_dwangsom", "stabilisatie")
        r = self.d.request("POST", "/v1/cases", {"workflow": "paspoort",
                                                 "reference": "Z-2026-0600",
                                                 "team": "jeugd-noord"})
        self.assertProblem(r, 400, "termijnd has: aanvraag_hersteltermijn, beslistermijn, bezwaar")
        self.assertNotIn("did you mean", r.body["detail"])

    def test_unknown_event_names_what_the_state_accepts(self):
        d = self.d
        cid = d.create_case()["id"]
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "family_reportd"})
        self.assertProblem(r, 400, 'no event "family_reportd"',
                           'did you mean "family_reported"',
                           "it accepts: family_reported")
        self.assertEqual(r.body["accepts"], ["family_reported"])
        self.assertEqual(r.body["state"], "awaiting_self_report")
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "approve"})
        self.assertProblem(r, 400, 'no event "approve"', "it accepts: family_reported")
        self.assertNotIn("did you mean", r.body["detail"])
        self.assertEqual(len(d.transitions(cid)), 1)


class LocalTimesTest(TermijnTestCase):
    """Times as people type them (issue 10): without an offset a time is
    Europe/Amsterdam local time; one the clocks skip is refused with the
    reason, one they show twice is taken as the first, and the answer says
    so (termijnctl prints it)."""

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 11, 28, 15, 0))
        self.d = self.start_daemon(clock=self.clock)

    def ctl(self, *args):
        return MistakesTest.ctl(self, *args)

    def register(self, started, **kw):
        body = dict({"workflow": "zelfmelding", "team": "jeugd-noord",
                     "reference": "T-%d" % len(self.d.db_query(
                         "SELECT id FROM cases")), "started_at": started}, **kw)
        return self.d.request("POST", "/v1/cases", body)

    def test_started_at_in_local_time(self):
        for typed in ("2026-11-28T14:00", "2026-11-28T14:00:00",
                      "2026-11-28T14:00:00.000", "2026-11-28T13:00Z"):
            r = self.register(typed)
            self.assertEqual(r.status, 201, r.raw)
            self.assertEqual(r.body["started_at"], "2026-11-28T14:00:00+01:00", typed)
            self.assertEqual(r.body["warnings"], [], typed)
        # Summer time, in the zone's summer offset.
        r = self.register("2026-07-01T09:15")
        self.assertEqual(r.body["started_at"], "2026-07-01T09:15:00+02:00")

    def test_a_time_the_clocks_skip_is_refused(self):
        before = self.d.db_query("SELECT count(*) FROM cases")[0][0]
        r = self.register("2026-03-29T02:30")
        self.assertProblem(r, 400, "started_at", "no such time in Europe/Amsterdam",
                           "on 2026-03-29 the clocks go forward from 02:00 to 03:00")
        self.assertNotIn("YYYY-MM-DD", r.body["detail"])
        self.assertEqual(self.d.db_query("SELECT count(*) FROM cases")[0][0], before)
        p = self.ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                     "T-2001", "--team", "jeugd-noord", "--started-at", "2026-03-29T02:30")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("no such time", p.stderr)

    def test_a_time_the_clocks_show_twice_takes_the_first(self):
        r = self.register("2026-10-25T02:30")
        self.assertEqual(r.status, 201, r.raw)
        self.assertEqual(r.body["started_at"], "2026-10-25T02:30:00+02:00")
        w = r.body["warnings"][0]
        self.assertEqual((w["code"], w["field"], w["at"]),
                         ("ambiguous_time", "started_at", "2026-10-25T02:30:00+02:00"))
        self.assertIn("2026-10-25T02:30 happens twice in Europe/Amsterdam", w["detail"])
        self.assertIn("for the second, write 2026-10-25T02:30:00+01:00", w["detail"])
        # The registration's other warnings (what passed since) follow it.
        self.assertTrue(all(x["code"] != "ambiguous_time" for x in r.body["warnings"][1:]))
        # Written with its offset, the second is meant: nothing to say.
        r = self.register("2026-10-25T02:30:00+01:00")
        self.assertEqual(r.body["started_at"], "2026-10-25T02:30:00+01:00")
        self.assertNotIn("ambiguous_time", [x["code"] for x in r.body["warnings"]])

        p = self.ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                     "T-2002", "--team", "jeugd-noord", "--started-at", "2026-10-25T02:30")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("termijnctl: warning: 2026-10-25T02:30 happens twice", p.stderr)

    def test_an_events_date_in_local_time(self):
        d = self.d
        cid = d.create_case("last_onder_dwangsom", reference="H-2026-0001")["id"]
        path = "/v1/cases/%d/events" % cid
        d.event(cid, "view_received")
        r = d.request("POST", path, {"event": "decision_sent", "date": "2026-10-25T02:30"})
        self.assertEqual(r.status, 200, r.raw)
        # How the time was read comes first; then what the date set off:
        # four weeks from 25 October passed on 22 November.
        self.assertEqual([(w["code"], w.get("field")) for w in r.body["warnings"]],
                         [("ambiguous_time", "date"), ("deadline_passed", None),
                          ("rung_fired_late", None)])
        r = d.request("POST", "/v1/cases/%d/events" % d.create_case(
            "last_onder_dwangsom", reference="H-2026-0002")["id"],
            {"event": "decision_sent", "date": "2026-03-29T02:30"})
        self.assertProblem(r, 400, "date", "no such time")


if __name__ == "__main__":
    unittest.main()
