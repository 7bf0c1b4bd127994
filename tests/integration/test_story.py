"""The zelfmelding story both ways, and stabilisatie, against a real termijnd.

Time moves with faketime; nothing sleeps to wait for a deadline.  To show that
something did NOT happen after a clock jump, each test keeps a witness case
whose deadline passed in the same jump: once the witness has moved on, the
scheduler has seen the new time, and the case under test must be as it was.
"""

import datetime
import secrets
import unittest

from harness import (FakeClock, TermijnTestCase, iso, local, midnight_after,
                     parse_time)

FAST = {"scheduler": {"recheck_interval": 0.1}}


def brief(transitions):
    """What a user reads in a transition list, without the timestamps."""
    return [(t["from"], t["to"], t["cause"], t["event"], t["actor"]) for t in transitions]


class StoryTest(TermijnTestCase):

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        return self.d

    def witness(self):
        """A zelfmelding case started on 2026-01-04: its first deadline
        passes at 2026-02-16T00:00, its second at 2026-02-24T00:00."""
        c = self.d.create_case(reference="W-%s" % secrets.token_hex(4),
                               started_at="2026-01-04")
        self.assertEqual(c["state"], "awaiting_self_report", c)
        self.assertEqual(c["deadlines"][0]["overdue_from"], "2026-02-16T00:00:00+01:00", c)
        return c["id"]

    def assert_syslog(self, cid, transitions, workflow="zelfmelding"):
        """One syslog line per transition, in order, with the fields the
        README names."""
        def lines():
            got = [t for t in self.d.syslog.transitions() if t.get("case") == str(cid)]
            return got if len(got) >= len(transitions) else None
        got = self._wait(lines, "%d syslog transition lines for case %d; all lines: %r"
                         % (len(transitions), cid, self.d.syslog.lines()))
        self.assertEqual(len(got), len(transitions),
                         "syslog lines for case %d: %r" % (cid, got))
        for line, t in zip(got, transitions):
            for key in ("case", "workflow", "from", "to", "cause", "actor"):
                self.assertIn(key, line, "syslog line lacks %s=: %r" % (key, line))
            self.assertEqual(line["workflow"], workflow, line)
            self.assertEqual(line["to"], t["to"], line)
            self.assertEqual(line["cause"], t["cause"], line)
            self.assertEqual(line["actor"], t["actor"], line)
            if t["from"] is not None:
                self.assertEqual(line["from"], t["from"], line)
            if "event" in line and t["event"] is not None:
                self.assertEqual(line["event"], t["event"], line)

    def _wait(self, fn, what, timeout=5.0):
        from harness import wait_until
        return wait_until(fn, timeout, what=what)

    def assert_note_kept_private(self, marker):
        for line in self.d.syslog.lines():
            self.assertNotIn(marker, line, "a note reached syslog: %r" % line)
        self.assertNotIn(marker, self.d.stderr_text(), "a note reached termijnd's stderr")
        self.assertNotIn(marker, self.d.stdout_text(), "a note reached termijnd's stdout")

    # -- zelfmelding: the family reports in time ---------------------------

    def test_family_reports_in_time(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        w = self.witness()
        r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                            "reference": "Z-2026-0042",
                                            "team": "jeugd-noord"})
        self.assertEqual(r.status, 201, r.raw)
        c = r.body
        cid = c["id"]
        self.assertEqual(r.headers.get("location"), "/v1/cases/%d" % cid, r.headers)
        self.assertEqual((c["workflow"], c["version"], c["reference"], c["team"]),
                         ("zelfmelding", 6, "Z-2026-0042", "jeugd-noord"))
        self.assertEqual(c["state"], "awaiting_self_report")
        self.assertIs(c["final"], False)
        self.assertEqual(c["accepts"], ["family_reported"])
        started = parse_time(c["started_at"])
        self.assertTrue(local(2026, 1, 5, 10, 0) <= started < local(2026, 1, 5, 10, 5),
                        "started_at %s is not the faked now" % c["started_at"])
        self.assertTrue(c["started_at"].endswith("+01:00"), c["started_at"])
        self.assertEqual(len(c["deadlines"]), 1, c)
        dl = c["deadlines"][0]
        self.assertEqual(dl["due"], "2026-02-16")
        self.assertEqual(dl["overdue_from"], "2026-02-17T00:00:00+01:00")
        self.assertEqual(dl["then"], "youth_worker_reports")
        self.assertEqual((dl["name"], dl["state"], dl["period"], dl["rule"], dl["kind"]),
                         ("awaiting_self_report", "awaiting_self_report", "P6W",
                          "plain", "agreement"))
        self.assertIs(dl["overdue"], False)
        self.assertEqual(d.case(cid), c, "GET answers what POST answered")

        marker = "NOTE-%s" % secrets.token_hex(8)
        c = d.event(cid, "family_reported", note="payslips brought to the desk " + marker)
        self.assertEqual(c["state"], "self_reported")
        self.assertEqual(c["accepts"], ["close"])
        self.assertEqual(c["deadlines"], [], "the deadline stops when the state is left")
        before = d.transitions(cid)

        # Past the deadline: the witness moves on, the reported case does not.
        self.clock.set(local(2026, 2, 17, 0, 0, 1))
        d.wait_state(w, "youth_worker_reports")
        self.clock.set(local(2026, 3, 2, 9, 0))
        d.wait_state(w, "enforcement")
        c = d.case(cid)
        self.assertEqual(c["state"], "self_reported")
        self.assertEqual(d.transitions(cid), before, "no deadline transition after reporting")

        c = d.event(cid, "close")
        self.assertEqual(c["state"], "closed")
        self.assertIs(c["final"], True)
        self.assertEqual(c["accepts"], [])
        self.assertEqual(c["deadlines"], [])
        ts = d.transitions(cid)
        actor = ts[0]["actor"]
        self.assertTrue(actor and actor != "termijnd", ts[0])
        self.assertEqual(brief(ts), [
            (None, "awaiting_self_report", "create", None, actor),
            ("awaiting_self_report", "self_reported", "event", "family_reported", actor),
            ("self_reported", "closed", "event", "close", actor),
        ])
        self.assert_syslog(cid, ts)
        self.assert_note_kept_private(marker)

    # -- zelfmelding: the family does not report ---------------------------

    def test_family_does_not_report(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        w = self.witness()
        c = d.create_case(reference="Z-2026-0043")
        cid = c["id"]
        self.assertEqual(c["deadlines"][0]["due"], "2026-02-16")

        # The last minute of the last day: nothing yet.
        self.clock.set(local(2026, 2, 16, 23, 59, 0))
        d.wait_state(w, "youth_worker_reports")
        c = d.case(cid)
        self.assertEqual(c["state"], "awaiting_self_report")
        self.assertIs(c["deadlines"][0]["overdue"], False)
        self.assertEqual(len(d.transitions(cid)), 1)

        # One second into the next day: the youth worker is to report.
        self.clock.set(local(2026, 2, 17, 0, 0, 1))
        c = d.wait_state(cid, "youth_worker_reports")
        self.assertEqual(c["accepts"], ["youth_worker_reported"])
        self.assertEqual(c["state_since"], "2026-02-17T00:00:00+01:00")
        self.assertEqual(len(c["deadlines"]), 1, c)
        dl = c["deadlines"][0]
        self.assertEqual((dl["name"], dl["period"], dl["rule"], dl["then"]),
                         ("youth_worker_reports", "P5D", "working_days", "enforcement"))
        self.assertEqual(dl["due"], "2026-02-24")
        self.assertEqual(dl["overdue_from"], "2026-02-25T00:00:00+01:00")
        ts = d.transitions(cid)
        self.assertEqual(len(ts), 2, ts)
        t = ts[1]
        self.assertEqual((t["from"], t["to"], t["cause"], t["event"], t["actor"]),
                         ("awaiting_self_report", "youth_worker_reports", "deadline",
                          "awaiting_self_report", "termijnd"))
        self.assertEqual(t["at"], "2026-02-17T00:00:00+01:00")
        self.assertGreaterEqual(parse_time(t["recorded_at"]), parse_time(t["at"]))

        # The youth worker does nothing either.
        self.clock.set(local(2026, 2, 24, 23, 59, 30))
        d.wait_state(w, "enforcement")
        self.assertEqual(d.case(cid)["state"], "youth_worker_reports")
        self.clock.set(local(2026, 2, 25, 0, 0, 1))
        c = d.wait_state(cid, "enforcement")
        # Only the passed deadline stays in view, for its pending follow-up:
        # the supervisor hears 2 working days later (Friday 27 February).
        self.assertEqual([(dl["name"], dl["passed"]) for dl in c["deadlines"]],
                         [("youth_worker_reports", True)])
        self.assertEqual([(r["name"], r["at"], r["fired"])
                          for r in c["deadlines"][0]["rungs"] if not r["fired"]],
                         [("after_P2D", "2026-02-27T00:00:00+01:00", False)])
        self.assertEqual(c["accepts"], ["close"])
        ts = d.transitions(cid)
        self.assertEqual(brief(ts), [
            (None, "awaiting_self_report", "create", None, ts[0]["actor"]),
            ("awaiting_self_report", "youth_worker_reports", "deadline",
             "awaiting_self_report", "termijnd"),
            ("youth_worker_reports", "enforcement", "deadline",
             "youth_worker_reports", "termijnd"),
        ])
        self.assertEqual([t["at"] for t in ts[1:]],
                         ["2026-02-17T00:00:00+01:00", "2026-02-25T00:00:00+01:00"])

        # Enforcement is a queue: the case waits there, unassigned, and
        # cannot be closed until someone picks it up.
        self.assertTrue(c["queue"], c)
        self.assertIsNone(c["assignee"], c)
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "close"})
        self.assertProblem(r, 409, "picks it up")
        c = d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "worker"})
        self.assertEqual(c["assignee"], "worker")
        marker = "NOTE-%s" % secrets.token_hex(8)
        c = d.event(cid, "close", note="enforcement visited; " + marker)
        self.assertEqual(c["state"], "closed")
        ts = d.transitions(cid)
        self.assertEqual(len(ts), 5)
        self.assertEqual((ts[3]["cause"], ts[3]["assignee"]), ("assign", "worker"))
        self.assert_syslog(cid, ts)
        self.assert_note_kept_private(marker)

        # The transitions are rows in the SQLite file, as the API shows them.
        rows = d.db_query("SELECT from_state, to_state, cause, event, actor, at "
                          "FROM transitions WHERE case_id = ? ORDER BY id", (cid,))
        self.assertEqual([r[:5] for r in rows], [
            (t["from"], t["to"], t["cause"], t["event"], t["actor"]) for t in ts])
        self.assertEqual(rows[1][5], int(local(2026, 2, 17).timestamp() * 1000))
        self.assertEqual(rows[2][5], int(local(2026, 2, 25).timestamp() * 1000))
        notes = d.db_query("SELECT note FROM transitions WHERE case_id = ? AND note LIKE ?",
                           (cid, "%" + marker + "%"))
        self.assertEqual(len(notes), 1, "the note is kept in the database")

    # -- stabilisatie --------------------------------------------------------

    def test_stabilisatie_unsafe_goes_to_enforcement_at_once(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        w = self.witness()
        c = d.create_case(workflow="stabilisatie", reference="S-2026-0007")
        cid = c["id"]
        self.assertEqual(c["state"], "stabilising")
        self.assertEqual(sorted(c["accepts"]), ["stabilised", "unsafe"])
        self.assertEqual(c["deadlines"][0]["due"], "2026-02-16")
        self.assertEqual(c["deadlines"][0]["then"], "enforcement")

        c = d.event(cid, "unsafe")
        self.assertEqual(c["state"], "enforcement", "unsafe does not wait for the deadline")
        self.assertEqual(c["deadlines"], [])
        ts = d.transitions(cid)
        self.assertEqual(brief(ts)[1],
                         ("stabilising", "enforcement", "event", "unsafe", ts[0]["actor"]))

        # The stabilisation deadline no longer runs.
        self.clock.set(local(2026, 2, 17, 0, 0, 1))
        d.wait_state(w, "youth_worker_reports")
        self.assertEqual(d.transitions(cid), ts)
        self.assertEqual(d.case(cid)["state"], "enforcement")
        self.assert_syslog(cid, ts, workflow="stabilisatie")

    def test_stabilisatie_deadline_passes(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        c = d.create_case(workflow="stabilisatie", reference="S-2026-0008")
        self.clock.set(local(2026, 2, 17, 0, 0, 1))
        c = d.wait_state(c["id"], "enforcement")
        t = d.transitions(c["id"])[-1]
        self.assertEqual((t["from"], t["cause"], t["event"], t["actor"], t["at"]),
                         ("stabilising", "deadline", "stabilising", "termijnd",
                          "2026-02-17T00:00:00+01:00"))

    # -- an agreement made earlier ---------------------------------------------

    def test_started_eight_weeks_ago(self):
        d = self.start(local(2026, 3, 2, 10, 0))
        now = self.clock.now().replace(microsecond=0)
        started = now - datetime.timedelta(weeks=8)
        # First deadline: 6 weeks from the day after the start; second: 5
        # working days from the day the first one passed (no holidays in
        # between, so a week).
        first = midnight_after(started.date() + datetime.timedelta(weeks=6))
        second = midnight_after(first.date() + datetime.timedelta(weeks=1))
        self.assertEqual((iso(first), iso(second)),
                         ("2026-02-17T00:00:00+01:00", "2026-02-25T00:00:00+01:00"))
        self.assertLess(second, now)

        r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                            "reference": "Z-2026-0100",
                                            "team": "jeugd-noord",
                                            "started_at": iso(started)})
        self.assertEqual(r.status, 201, r.raw)
        c = r.body
        self.assertEqual(c["state"], "enforcement", "the answer already shows where it is")
        self.assertEqual(parse_time(c["started_at"]), started)
        self.assertEqual(parse_time(c["state_since"]), second)
        self.assertEqual(c["deadlines"], [])
        ts = d.transitions(c["id"])
        self.assertEqual(brief(ts)[1:], [
            ("awaiting_self_report", "youth_worker_reports", "deadline",
             "awaiting_self_report", "termijnd"),
            ("youth_worker_reports", "enforcement", "deadline",
             "youth_worker_reports", "termijnd"),
        ])
        self.assertEqual([t["at"] for t in ts[1:]], [iso(first), iso(second)])
        for t in ts[1:]:
            self.assertGreaterEqual(parse_time(t["recorded_at"]), now)
        self.assert_syslog(c["id"], ts)

    # -- an event the state does not accept ----------------------------------

    def test_event_not_accepted(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        cid = d.create_case(reference="Z-2026-0200")["id"]
        d.event(cid, "family_reported")
        case_before = d.case(cid)
        ts_before = d.transitions(cid)

        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "family_reported"})
        body = self.assertProblem(r, 409, "self_reported", "family_reported")
        self.assertEqual(body.get("state"), "self_reported", body)
        self.assertEqual(body.get("accepts"), ["close"], body)
        self.assertEqual(d.case(cid), case_before)
        self.assertEqual(d.transitions(cid), ts_before)


if __name__ == "__main__":
    unittest.main()
