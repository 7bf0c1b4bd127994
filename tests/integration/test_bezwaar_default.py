"""A late decision on an objection put in default (workflows/bezwaar.yaml,
version 2) against a real termijnd, with the clock moved by faketime;
nothing sleeps to wait for a deadline.

Awb 4:17 applies to a decision on an objection too.  Every expected date
and amount below is worked out by hand from the articles and domain.md's
readings, not taken from termijn:
- only a notice of default received after the last day of the decision
  period on the objection (7:10, with its verdaging) counts; one received
  on that day or before starts nothing, and nothing is recorded;
- received on day D, the organ has the two weeks D+1..D+14; the first
  penalty day is D+15, a calendar day (the Atw does not apply, 4:17 lid 1);
- EUR 23 a day for penalty days 1-14, 35 for 15-28, 45 for 29-42, at most
  42 days; a day counts once it has passed, the day of the decision is none;
- the amount is fixed within two weeks after the last day it was due
  (4:18), a statutory period: the Atw applies to its end.

The case of every scenario: made known on Friday 13 November 2026, the
objection received on Wednesday 23 December; the decision period counts
from the unextended end of the bezwaartermijn, Friday 25 December, and
ends on Friday 5 February 2027; overdue from Saturday 6 February."""

import unittest

from harness import FakeClock, TermijnTestCase, local, wait_until

FAST = {"scheduler": {"recheck_interval": 0.1}}


class BezwaarDefaultTest(TermijnTestCase):

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        self.chef = self.d.make_token("chef", "supervisor", ["jeugd-noord"])
        return self.d

    def at(self, y, mo, day, h=12, mi=0, s=0):
        self.clock.set(local(y, mo, day, h, mi, s))

    def objection(self, reference):
        """The case as above, waiting in 'deciding' from 26 December."""
        d = self.start(local(2026, 11, 13, 9, 0))
        cid = d.create_case(workflow="bezwaar", reference=reference,
                            started_at="2026-11-13")["id"]
        self.at(2026, 12, 23, 10)
        d.event(cid, "objection_received")
        self.at(2026, 12, 26, 0, 0, 1)
        c = d.wait_state(cid, "deciding")
        self.assertEqual(self.deadline(c, "decision")["due"], "2027-02-05")
        return cid

    def overdue(self, reference):
        cid = self.objection(reference)
        self.at(2027, 2, 6, 0, 0, 1)
        self.d.wait_state(cid, "overdue")
        return cid

    @staticmethod
    def deadline(case, name):
        found = [dl for dl in case["deadlines"] if dl["name"] == name]
        assert found, (name, case["deadlines"])
        return found[-1]

    def notice(self, cid, date):
        return self.d.call("POST", "/v1/cases/%d/events" % cid,
                           {"event": "notice_of_default", "date": date})

    def pick_up(self, cid):
        """A case in a work queue is picked up before it is closed."""
        self.d.make_token("behandelaar-b", "caseworker", teams=["jeugd-noord"])
        self.d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "behandelaar-b"})

    def penalty(self, cid):
        return self.d.case(cid)["penalty"]

    def test_penalty_from_two_weeks_after_the_notice_to_the_decision(self):
        """Notice received on Monday 8 February 2027 (D): the organ has until
        Monday 22 February; the first penalty day is D+15, Tuesday 23
        February; the last possible one 23 February + 41 days, Monday 5
        April.  Decided on Tuesday 16 March: penalty days 23 February to 15
        March, 6 + 15 = 21 days: 14 x 23 + 7 x 35 = 322 + 245 = 567 euro.
        Two weeks after Monday 15 March is Monday 29 March, Easter Monday
        2027 (Atw art. 3): fixed by Tuesday 30 March."""
        cid = self.overdue("B-2026-0101")
        self.at(2027, 2, 8, 10)
        c = self.notice(cid, "2027-02-08")
        self.assertEqual(c["state"], "in_default")
        self.assertNotIn("explanation", c)
        self.assertEqual(self.deadline(c, "notice_period")["due"], "2027-02-22")
        p = c["penalty"]
        self.assertEqual((p["state"], p["first_day"], p["last_possible_day"], p["days"],
                          p["amount"], p["max_amount"], p["running"]),
                         ("in_default", "2027-02-23", "2027-04-05", 0, "0.00", "1442.00",
                          True))

        # The supervisor hears of it two days before 00:00 on the first
        # penalty day: at 00:00 on Sunday 21 February (plain days).
        self.at(2027, 2, 21, 8)
        c = wait_until(lambda: (lambda c: c if any(
            n["deadline"] == "notice_period" for n in c["notifications"]) else None)(
            self.d.case(cid)), what="supervisor warned")
        told = [(n["role"], n["at"]) for n in c["notifications"]
                if n["deadline"] == "notice_period"]
        self.assertEqual(told, [("supervisor", "2027-02-21T00:00:00+01:00")])

        # The first penalty day itself: nothing due yet.
        self.at(2027, 2, 23, 15)
        self.assertEqual(self.penalty(cid)["days"], 0)
        # After K penalty days, on 23 February + K.
        for day, k, euros in [((2027, 2, 24), 1, "23.00"),
                              ((2027, 3, 9), 14, "322.00"),
                              ((2027, 3, 10), 15, "357.00")]:
            self.at(*day)
            p = self.penalty(cid)
            self.assertEqual((p["days"], p["amount"], p["running"]), (k, euros, True), day)

        self.at(2027, 3, 16, 11)
        self.pick_up(cid)
        c = self.d.event(cid, "decided")
        self.assertEqual((c["state"], c["final"]), ("decided", True))
        p = c["penalty"]
        self.assertEqual((p["days"], p["amount"], p["running"], p["last_day"], p["fix_by"]),
                         (21, "567.00", False, "2027-03-15", "2027-03-30"))
        # Time moving on changes nothing.
        self.at(2027, 6, 1)
        p = self.penalty(cid)
        self.assertEqual((p["days"], p["amount"], p["fix_by"]), (21, "567.00", "2027-03-30"))
        # Picking the case up is a transition of its own.
        self.assertEqual([(t["from"], t["to"], t["event"]) for t in self.d.transitions(cid)][-4:], [
            ("deciding", "overdue", "decision"),
            ("overdue", "in_default", "notice_of_default"),
            ("in_default", "in_default", None),
            ("in_default", "decided", "decided")])

    def test_a_notice_on_or_before_the_last_day_starts_nothing(self):
        """Received on Monday 1 February 2027, while the decision period
        runs, and on Friday 5 February, its last day (recorded on the 6th):
        premature, explained, nothing recorded.  Received on Saturday 6
        February: the first penalty day is Sunday 21 February, not moved
        (4:17 lid 1)."""
        cid = self.objection("B-2026-0102")
        self.at(2027, 2, 1, 10)
        c = self.notice(cid, "2027-02-01")
        self.assertEqual((c["state"], c["recorded"], c["penalty"]), ("deciding", False, None))
        self.assertIn("2027-02-01", c["explanation"])
        self.assertIn("4:17", c["explanation"])
        self.assertEqual(len(self.d.transitions(cid)), 3)

        self.at(2027, 2, 6, 10)
        self.d.wait_state(cid, "overdue")
        c = self.notice(cid, "2027-02-05")
        self.assertEqual((c["state"], c["recorded"], c["penalty"]), ("overdue", False, None))
        self.assertIn("2027-02-05", c["explanation"])
        self.assertEqual(len(self.d.transitions(cid)), 4)

        c = self.notice(cid, "2027-02-06")
        self.assertEqual(c["state"], "in_default")
        self.assertEqual(c["penalty"]["first_day"], "2027-02-21")

    def test_verdaging_moves_the_day_a_notice_may_come(self):
        """Deferred once by 6 weeks (7:10 lid 3): 5 February + 6 weeks =
        Friday 19 March 2027.  A notice received on Monday 8 February comes
        while the deferred period runs: nothing.  Received on Monday 22
        March, after it: the first penalty day is Tuesday 6 April.  Withdrawn
        on Thursday 8 April: penalty days 6 and 7 April, 46 euro; fixed
        within two weeks after 7 April: Wednesday 21 April."""
        cid = self.objection("B-2026-0103")
        self.at(2027, 1, 25, 9)
        c = self.d.call("POST", "/v1/cases/%d/events" % cid,
                        {"event": "postponed", "note": "hoorzitting nodig"}, token=self.chef)
        self.assertEqual(self.deadline(c, "decision")["due"], "2027-03-19")
        self.at(2027, 2, 8, 10)
        c = self.notice(cid, "2027-02-08")
        self.assertEqual((c["state"], c["recorded"]), ("deciding", False))
        self.assertIn("2027-02-08", c["explanation"])

        self.at(2027, 3, 22, 10)
        self.d.wait_state(cid, "overdue")
        c = self.notice(cid, "2027-03-22")
        self.assertEqual((c["state"], c["penalty"]["first_day"]), ("in_default", "2027-04-06"))
        self.at(2027, 4, 8, 10)
        self.pick_up(cid)
        c = self.d.event(cid, "withdrawn")
        self.assertEqual(c["state"], "withdrawn")
        p = c["penalty"]
        self.assertEqual((p["days"], p["amount"], p["running"], p["last_day"], p["fix_by"]),
                         (2, "46.00", False, "2027-04-07", "2027-04-21"))

    def test_the_workflow_declares_the_penalty(self):
        d = self.start(local(2026, 11, 13, 9, 0))
        wfs = {w["name"]: w for w in d.call("GET", "/v1/workflows")["workflows"]}
        states = {s["name"]: s for s in wfs["bezwaar"]["states"]}
        p = states["in_default"]["penalty"]
        self.assertEqual((p["after"], [(t["days"], t["per_day"]) for t in p["tiers"]],
                          p["max_days"], p["max_amount"], p["fix_within"], p["fix_rule"]),
                         ("decision", [(14, "23.00"), (14, "35.00"), (14, "45.00")],
                          42, "1442.00", "P2W", "atw"))
        for s in ("deciding", "overdue"):
            events = {e["name"]: e for e in states[s]["events"]}
            self.assertEqual(events["notice_of_default"]["to"], "in_default")

    def test_simulate_gives_the_same_dates(self):
        """The first scenario asked of POST /v1/simulate: the notice of 1
        February started nothing; the one of 8 February ran up 21 days, 567
        euro, fixed by Tuesday 30 March 2027.  Nothing is stored."""
        d = self.start(local(2026, 11, 13, 9, 0))
        sim = d.call("POST", "/v1/simulate", {
            "workflow": "bezwaar", "start": "2026-11-13",
            "events": [{"event": "objection_received", "date": "2026-12-23"},
                       {"event": "notice_of_default", "date": "2027-02-01"},
                       {"event": "notice_of_default", "date": "2027-02-08"},
                       {"event": "decided", "date": "2027-03-16"}]})
        self.assertEqual(d.db_query("SELECT count(*) FROM cases"), [(0,)])
        self.assertEqual([(n["event"], n["name"]) for n in sim["not_recorded"]],
                         [(2, "notice_of_default")])
        p = sim["penalty"]
        self.assertEqual((sim["state"], p["first_day"], p["days"], p["amount"],
                          p["last_day"], p["fix_by"]),
                         ("decided", "2027-02-23", 21, "567.00", "2027-03-15", "2027-03-30"))


if __name__ == "__main__":
    unittest.main()
