"""Wat als for a running case: POST /v1/cases/{id}/simulate against a real
termijnd.

A case of `beslistermijn` is registered on Monday 5 January 2026 and its
decision period suspended on Monday 12 January (the applicant is asked to
complete the application).  Then, with the clock on 20 January, termijn is
asked what would follow if the application were completed on 26 January and
the decision deferred once on 2 March.  The dates expected are written from
the law; the case must be exactly as it was afterwards (no transition, no
deadline changed, no read logged), and bad questions are refused with a
message that names the problem."""

import json

import test_simulate
from harness import FakeClock, TermijnTestCase, local, wait_until

CONFIG = {"scheduler": {"recheck_interval": 0.05}}


class SimulateCaseTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 1, 5, 9, 0))
        self.d = d = self.start_daemon(clock=self.clock, config=CONFIG)
        self.chef = d.make_token("chef", "supervisor", ["jeugd-noord"])
        self.other = d.make_token("zuid", "caseworker", ["jeugd-zuid"])
        self.cid = d.create_case("beslistermijn", "W-2026-0042", "jeugd-noord")["id"]
        self.clock.set(local(2026, 1, 12, 10, 0))
        d.event(self.cid, "request_completion", note="loonstrook ontbreekt")
        self.clock.set(local(2026, 1, 20, 11, 0))

    def path(self, cid=None):
        return "/v1/cases/%d/simulate" % (self.cid if cid is None else cid)

    def snapshot(self):
        """What a person would notice of the case, and what termijnd keeps of
        it: its history, its deadlines, its reads and its rungs."""
        return (self.d.db_query("SELECT * FROM transitions ORDER BY id"),
                self.d.db_query("SELECT * FROM deadlines ORDER BY id"),
                self.d.db_query("SELECT * FROM rungs ORDER BY id"),
                self.d.db_query("SELECT count(*) FROM reads"),
                self.d.db_query("SELECT count(*) FROM cases"),
                self.d.db_query("SELECT count(*) FROM outbox"))

    def ask(self, body, status=200, token=None, raw=None):
        before = self.snapshot()
        kw = {} if token is None else {"token": token}
        if raw is not None:
            r = self.d.request("POST", self.path(), raw, content_type="application/json",
                               **kw)
        else:
            r = self.d.request("POST", self.path(), body, **kw)
        self.assertEqual(r.status, status, r.raw)
        self.assertEqual(self.snapshot(), before, "the simulation changed the case")
        return r

    def test_completed_and_deferred(self):
        r = self.ask({"events": [
            {"event": "completed", "date": "2026-01-26T09:00"},
            {"event": "extend", "date": "2026-03-02T11:00",
             "note": "advies van de GGD nodig"}]})
        sim = r.body
        # 8 weeks from Monday 5 January end on Monday 2 March (Awb 4:13).
        # Suspended from the day after the request, Tuesday 13 January, to
        # Monday 26 January, the day of completion, which the workflow counts
        # as suspended too: 14 days, so Monday 16 March.  Deferred by 6
        # weeks: Monday 27 April, King's Day, not a day a statutory period
        # ends on (Atw art. 1, 3): Tuesday 28 April, overdue from Wednesday
        # 29 April 00:00 (CEST).
        dl = [d for d in sim["deadlines"] if d["name"] == "decision"]
        self.assertEqual(len(dl), 1)
        self.assertEqual(dl[0]["due"], "2026-04-28")
        self.assertEqual(dl[0]["overdue_from"], "2026-04-29T00:00:00+02:00")
        self.assertIn("2026-04-27 is King's Day, so 2026-04-28", dl[0]["explanation"])
        self.assertEqual(sim["case"], self.cid)
        # What follows the last transition (12 January), not what preceded it.
        self.assertEqual(sim["start"][:19], "2026-01-12T10:00:00")
        self.assertEqual([(t["to"], t["cause"], t["event"]) for t in sim["transitions"]],
                         [("deciding", "event", "completed"),
                          ("deciding", "event", "extend"),
                          ("overdue", "deadline", "decision")])
        self.assertEqual(sim["transitions"][2]["at"], "2026-04-29T00:00:00+02:00")
        # The period ends at the end of 28 April (29 April 00:00): the
        # reminders a week and a day before that moment reach the caseworker;
        # two working days after it (Wednesday 29, Thursday 30 April), the
        # supervisor.
        self.assertEqual([(n["role"], n["at"]) for n in sim["notifications"]],
                         [("caseworker", "2026-04-22T00:00:00+02:00"),
                          ("caseworker", "2026-04-28T00:00:00+02:00"),
                          ("supervisor", "2026-05-01T00:00:00+02:00")])
        self.assertEqual(sim["state"], "overdue")
        # Nothing of the case's identity: neither its reference nor its team.
        self.assertNotIn(b"W-2026-0042", r.raw)
        self.assertNotIn(b"jeugd-noord", r.raw)

    def test_nothing_happens(self):
        """No event: the period still suspended, nothing falls due."""
        sim = self.ask({"events": []}).body
        self.assertEqual(sim["transitions"], [])
        self.assertEqual(sim["ended"], "waiting")
        self.assertEqual(sim["state"], "deciding")

    def test_supervisor_may_ask(self):
        """Whoever may read the case may ask: the supervisor of its team."""
        self.ask({"events": [{"event": "completed", "date": "2026-01-26"}]},
                 token=self.chef)

    def test_refused(self):
        cases = [
            # Another team's case: the answer a read of it gets.
            ({"events": []}, None, self.other, 404, "no case %d" % self.cid),
            ({"events": [{"event": "decided", "date": "2026-01-30"},
                          {"event": "completed", "date": "2026-02-02"}]}, None, None, 400,
             "closed then"),
            ({"events": [{"event": "completed", "date": "2026-01-26"},
                          {"event": "request_completion", "date": "2026-01-20"}]}, None, None,
             400, "date order"),
            ({"events": [{"event": "no_such", "date": "2026-01-30"}]}, None, None, 400,
             "no_such"),
            ({"events": [{"event": "completed", "date": "2026-01-11"}]}, None, None, 400,
             "before the case's last transition"),
            (None, '{"events": [', None, 400, "JSON"),
            ({"events": [], "case": 1}, None, None, 400, '"case"'),
            ({"events": [{"event": "completed", "date": "2026-02-02", "when": "x"}]},
             None, None, 400, "events[0].when"),
            ({"events": [{"event": "completed", "date": "2026-02-30"}]}, None, None, 400,
             "events[0].date"),
            ({"events": [{"event": "completed", "date": "2026-02-02"}] * 101}, None, None,
             400, "at most 100"),
            # Ten years on from the last transition, 12 January 2026, at most.
            ({"events": [{"event": "completed", "date": "2036-02-02"}]}, None, None, 400,
             "more than 10 years after 2026-01-12"),
        ]
        for body, raw, token, status, needle in cases:
            with self.subTest(body=body if raw is None else raw):
                r = self.ask(body, status, token=token, raw=raw)
                self.assertProblem(r, status, needle)

    def test_unknown_case(self):
        r = self.d.request("POST", self.path(self.cid + 100), {"events": []})
        self.assertEqual(r.status, 404, r.raw)

    def test_closed_case(self):
        self.d.event(self.cid, "decided")
        r = self.d.request("POST", self.path(), {"events": []})
        self.assertEqual(r.status, 409, r.raw)
        self.assertIn("closed", r.body["detail"])

    def test_from_passed_deadline(self):
        """A case whose period passed: the supervisor's follow-up, still
        pending, is part of what follows."""
        self.clock.set(local(2026, 1, 26, 9, 0))
        self.d.event(self.cid, "completed")
        # Suspended 13-26 January: due Monday 16 March; overdue from 17 March.
        self.clock.set(local(2026, 3, 17, 8, 0))
        wait_until(lambda: self.d.call("GET", "/v1/cases/%d" % self.cid)["state"]
                   == "overdue", 10, what="the decision period passed")
        sim = self.ask({"events": [{"event": "decided", "date": "2026-03-20T10:00"}]}).body
        # Someone picks the case up from the queue first, as on a real case.
        self.assertEqual([(t["from"], t["to"], t["cause"]) for t in sim["transitions"]],
                         [("overdue", "overdue", "assign"), ("overdue", "decided", "event")])
        # The follow-up two working days after the period ended (17 March
        # 00:00: Tuesday 17 and Wednesday 18 March).
        self.assertEqual([(n["role"], n["at"]) for n in sim["notifications"]],
                         [("supervisor", "2026-03-19T00:00:00+01:00")])

    def test_termijnctl_case_simulate(self):
        """termijnctl case simulate ID --event ...: the same question from
        the command line, printed as a timeline or with --json as the API
        answers it; the case stays as it was."""
        ctl = lambda *a: test_simulate.SimulateTest.ctl(self, *a)
        args = ("case", "simulate", str(self.cid),
                "--event", "completed@2026-01-26T09:00",
                "--event", "extend@2026-03-02T11:00,note=advies van de GGD nodig")
        before = self.snapshot()
        r = ctl(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The dates test_completed_and_deferred works out from the law.
        self.assertIn("2026-04-28", r.stdout)
        self.assertIn("overdue", r.stdout)
        r = ctl("--json", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        sim = json.loads(r.stdout)
        self.assertEqual(sim["case"], self.cid)
        self.assertEqual([d["due"] for d in sim["deadlines"] if d["name"] == "decision"],
                         ["2026-04-28"])
        self.assertEqual(self.snapshot(), before, "termijnctl's simulation changed the case")
        # Refusals name the problem: a date before the last transition, a
        # case that is not there, an argument that is not NAME@DATE.
        r = ctl("case", "simulate", str(self.cid), "--event", "completed@2026-01-10")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("before the case's last transition", r.stderr)
        r = ctl("case", "simulate", str(self.cid + 100))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no case", r.stderr)
        r = ctl("case", "simulate", str(self.cid), "--event", "completed")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("NAME@DATE", r.stderr)
        self.assertEqual(self.snapshot(), before)


if __name__ == "__main__":
    import unittest
    unittest.main()
