"""The penalty for not deciding in time (dwangsom bij niet tijdig beslissen,
Awb 4:17-4:18) end to end against a real termijnd, with the clock moved by
faketime; nothing sleeps to wait for a deadline.

Every expected date and amount below is worked out by hand from the
articles and domain.md's readings, not taken from termijn:
- a notice of default received on day D (after the last day of the
  decision period) leaves the organ the two weeks D+1..D+14; the first
  penalty day is D+15, a calendar day: the Atw does not apply (4:17 lid 1);
- EUR 23 a day for penalty days 1-14, 35 for 15-28, 45 for 29-42; at most
  42 days: 14 x 23 = 322, + 14 x 35 = 812, + 14 x 45 = 1,442;
- a day counts once it has passed; the day of the decision is not one;
- the amount is fixed within two weeks after the last day it was due
  (4:18), a statutory period: the Atw applies to its end."""

import os
import subprocess
import unittest

from harness import (SANITIZER_MARKS, FakeClock, TermijnTestCase, local,
                     termijnctl_path, wait_until)

FAST = {"scheduler": {"recheck_interval": 0.1}}
WF = "dwangsom_niet_tijdig"


class DwangsomTest(TermijnTestCase):

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        return self.d

    def notice(self, cid, date, workflow_state=None):
        return self.d.call("POST", "/v1/cases/%d/events" % cid,
                           {"event": "notice_of_default", "date": date})

    def decide(self, cid):
        if not getattr(self, "worker", None):
            self.worker = self.d.make_token("consulent-a", "caseworker",
                                            teams=["jeugd-noord"])
        self.d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "consulent-a"})
        return self.d.event(cid, "decided")

    def penalty(self, cid):
        return self.d.case(cid)["penalty"]

    def at(self, y, mo, day, h=12):
        self.clock.set(local(y, mo, day, h, 0))

    # An application received on Monday 5 January 2026: 8 weeks end on
    # Monday 2 March (no holiday), overdue from Tuesday 3 March.
    def overdue_case(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        cid = d.create_case(workflow=WF, reference="A-2026-0101")["id"]
        self.assertEqual(d.case(cid)["deadlines"][0]["due"], "2026-03-02")
        self.at(2026, 3, 3, 9)
        d.wait_state(cid, "overdue")
        return cid

    def test_amounts_after_days_and_the_cap(self):
        cid = self.overdue_case()
        # Notice received Tuesday 3 March (D): the first penalty day is
        # D+15, Wednesday 18 March; the last possible one 18 March + 41
        # days, Tuesday 28 April.
        c = self.notice(cid, "2026-03-03")
        self.assertEqual(c["state"], "in_default")
        self.assertNotIn("explanation", c)
        p = c["penalty"]
        self.assertEqual((p["first_day"], p["last_possible_day"], p["days"],
                          p["amount"], p["max_amount"], p["running"]),
                         ("2026-03-18", "2026-04-28", 0, "0.00", "1442.00", True))
        self.assertEqual(c["deadlines"][0]["due"], "2026-03-17")

        # The supervisor hears of it before the first penalty day: two days
        # before 00:00 on 18 March, so at 00:00 on 16 March.
        self.at(2026, 3, 16, 8)
        c = wait_until(lambda: (lambda c: c if any(
            n["role"] == "supervisor" for n in c["notifications"]) else None)(
            self.d.case(cid)), what="supervisor told")
        told = [n for n in c["notifications"] if n["role"] == "supervisor"]
        self.assertEqual(len(told), 1)
        self.assertTrue(told[0]["at"].startswith("2026-03-16T00:00:00"), told)

        # On the first penalty day itself nothing is due yet: a decision
        # given that day would make it no penalty day.
        self.at(2026, 3, 18, 15)
        self.assertEqual(self.penalty(cid)["days"], 0)
        # After K penalty days, on day 18 March + K.
        for day, k, euros in [((2026, 3, 19), 1, "23.00"),
                              ((2026, 4, 1), 14, "322.00"),
                              ((2026, 4, 2), 15, "357.00"),
                              ((2026, 4, 15), 28, "812.00"),
                              ((2026, 4, 16), 29, "857.00"),
                              ((2026, 4, 29), 42, "1442.00"),
                              ((2026, 5, 17), 60, "1442.00")]:
            self.at(*day)
            p = self.penalty(cid)
            self.assertEqual((p["days"], p["amount"]), (min(k, 42), euros), day)
            self.assertEqual(p["amount_cents"], int(euros.replace(".", "")))
        # At the cap it runs no more; the last day due is 28 April, and the
        # amount is fixed within two weeks: by Tuesday 12 May (a working day).
        self.assertEqual((p["running"], p["last_day"], p["fix_by"]),
                         (False, "2026-04-28", "2026-05-12"))

    def test_the_decision_stops_it_and_the_fixing_date(self):
        cid = self.overdue_case()
        self.notice(cid, "2026-03-03")
        # Decided on Tuesday 24 March: penalty days 18-23 March, 6 x 23 =
        # 138.  The fixing: two weeks after Monday 23 March is Monday 6
        # April, Easter Monday, a holiday (Atw art. 3): Tuesday 7 April.
        self.at(2026, 3, 24, 11)
        c = self.decide(cid)
        self.assertEqual(c["state"], "decided")
        p = c["penalty"]
        self.assertEqual((p["days"], p["amount"], p["running"], p["last_day"],
                          p["fix_by"]),
                         (6, "138.00", False, "2026-03-23", "2026-04-07"))
        # Time moving on changes nothing.
        self.at(2026, 6, 1)
        p = self.penalty(cid)
        self.assertEqual((p["days"], p["amount"], p["fix_by"]),
                         (6, "138.00", "2026-04-07"))

    def test_corrections(self):
        """A decision corrected away makes the penalty run again; a notice
        corrected away (recorded by mistake) leaves none."""
        d = self.start(local(2026, 1, 5, 10, 0))
        cid, other = (d.create_case(workflow=WF, reference=r)["id"]
                      for r in ("A-2026-0301", "A-2026-0302"))
        self.at(2026, 3, 3, 9)
        for c in (cid, other):
            d.wait_state(c, "overdue")
            self.notice(c, "2026-03-03")
        boss = d.make_token("chef-a", "supervisor", teams=["jeugd-noord"])
        fix = lambda c: d.call("POST", "/v1/cases/%d/corrections" % c,
                               {"reason": "verkeerde zaak"}, token=boss)
        self.at(2026, 3, 24, 11)
        self.assertEqual(self.decide(cid)["penalty"]["amount"], "138.00")
        self.assertEqual(fix(cid)["state"], "in_default")
        self.at(2026, 3, 26, 11)        # 18-25 March: 8 x 23
        p = self.penalty(cid)
        self.assertEqual((p["days"], p["amount"], p["running"]), (8, "184.00", True))
        c = fix(other)
        self.assertEqual((c["state"], c["penalty"]), ("overdue", None))

    def test_a_decision_within_the_two_weeks_costs_nothing(self):
        cid = self.overdue_case()
        self.notice(cid, "2026-03-03")
        self.at(2026, 3, 17, 16)        # D+14, the last day of the two weeks
        p = self.decide(cid)["penalty"]
        self.assertEqual((p["days"], p["amount"], p["last_day"], p["fix_by"]),
                         (0, "0.00", None, None))

    def test_two_weeks_ending_on_a_saturday_are_not_moved(self):
        cid = self.overdue_case()
        # Received Saturday 7 March: the two weeks end on Saturday 21 March
        # and the first penalty day is Sunday 22 March, not moved to a
        # working day (4:17 lid 1 rules the Atw out).
        self.at(2026, 3, 9, 9)
        p = self.notice(cid, "2026-03-07")["penalty"]
        self.assertEqual((p["first_day"], p["last_possible_day"]),
                         ("2026-03-22", "2026-05-02"))
        self.at(2026, 3, 23, 8)         # Sunday 22 March has passed
        self.assertEqual(self.penalty(cid)["amount"], "23.00")

    def test_a_notice_before_the_period_ended_starts_nothing(self):
        # Received Saturday 10 January 2026: 8 weeks end on Saturday 7
        # March, which the Atw moves to Monday 9 March.
        d = self.start(local(2026, 1, 10, 10, 0))
        cid = d.create_case(workflow=WF, reference="A-2026-0102")["id"]
        self.assertEqual(d.case(cid)["deadlines"][0]["due"], "2026-03-09")
        # While the period runs: explained, nothing recorded.
        self.at(2026, 2, 20, 10)
        c = self.notice(cid, "2026-02-20")
        self.assertEqual((c["state"], c["recorded"], c["penalty"]),
                         ("deciding", False, None))
        self.assertIn("2026-02-20", c["explanation"])
        self.assertIn("4:17", c["explanation"])
        self.assertEqual(len(d.transitions(cid)), 1)
        # Received on the last day, Monday 9 March, recorded a day later:
        # still too early.
        self.at(2026, 3, 10, 10)
        d.wait_state(cid, "overdue")
        c = self.notice(cid, "2026-03-09")
        self.assertEqual((c["state"], c["recorded"]), ("overdue", False))
        self.assertIn("2026-03-09", c["explanation"])
        self.ctl("case", "event", str(cid), "notice_of_default", "--date", "2026-03-09")
        self.assertIn("nothing recorded: received on 2026-03-09, on or before 2026-03-09",
                      self.stderr)
        self.assertEqual(len(d.transitions(cid)), 2)
        # Received the day after: the penalty runs from 10 + 15 = 25 March.
        c = self.notice(cid, "2026-03-10")
        self.assertEqual(c["state"], "in_default")
        self.assertEqual(c["penalty"]["first_day"], "2026-03-25")

    def test_the_chain_from_beslistermijn(self):
        # beslistermijn: 2 March + 8 weeks is Monday 27 April, King's Day:
        # the last day is Tuesday 28 April.
        d = self.start(local(2026, 3, 2, 10, 0))
        cid = d.create_case(workflow="beslistermijn", reference="A-2026-0103")["id"]
        self.at(2026, 4, 29, 9)
        d.wait_state(cid, "overdue")
        c = self.notice(cid, "2026-04-28")
        self.assertEqual((c["state"], c["recorded"]), ("overdue", False))
        # Received Wednesday 29 April: first penalty day 14 May (Ascension
        # Day, and still a penalty day), after one day: 23 euro.
        c = self.notice(cid, "2026-04-29")
        self.assertEqual(c["penalty"]["first_day"], "2026-05-14")
        # The workflow says so too, as declared.
        wfs = {w["name"]: w for w in d.call("GET", "/v1/workflows")["workflows"]}
        p = {s["name"]: s for s in wfs["beslistermijn"]["states"]}["in_default"]["penalty"]
        self.assertEqual((p["after"], [(t["days"], t["per_day"]) for t in p["tiers"]],
                          p["max_days"], p["max_amount"], p["fix_within"], p["fix_rule"]),
                         ("decision", [(14, "23.00"), (14, "35.00"), (14, "45.00")],
                          42, "1442.00", "P2W", "atw"))
        self.at(2026, 5, 15)
        self.assertEqual(self.penalty(cid)["amount"], "23.00")

    def ctl(self, *args):
        env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (self.d.host, self.d.port),
                   TERMIJN_TOKEN=self.d.token, LANGUAGE="", LC_ALL="C.UTF-8")
        p = subprocess.run([termijnctl_path()] + list(args), env=env, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, p.stderr)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.stderr = p.stderr
        return p.stdout

    def test_views_case_show_and_the_report(self):
        """What late decisions cost this year: one decided on 24 March
        (138 euro, above), one left running to the cap (1,442 euro), and
        one decided within the two weeks (nothing): 2 penalties, 1,580."""
        d = self.start(local(2026, 1, 5, 10, 0))
        ids = [d.create_case(workflow=WF, reference="A-2026-02%02d" % i)["id"]
               for i in range(3)]
        self.at(2026, 3, 3, 9)
        for cid in ids:
            d.wait_state(cid, "overdue")
            self.notice(cid, "2026-03-03")
        self.at(2026, 3, 17, 16)
        self.decide(ids[2])
        # On Friday 20 March, two penalty days have passed for the others:
        # the overdue list and the queue say what they cost so far.
        self.at(2026, 3, 20, 9)
        overdue = wait_until(lambda: (lambda l: {o["case"]: o for o in l} if len(l) == 2
                                      else None)(d.call("GET", "/v1/overdue?limit=100")["overdue"]),
                             what="both cases overdue")
        self.assertEqual(overdue[ids[0]]["penalty"]["amount"], "46.00")
        queue = {o["case"]: o for o in d.call("GET", "/v1/queue?limit=100")["queue"]}
        self.assertEqual(queue[ids[1]]["penalty"]["amount"], "46.00")
        # And as CSV, in the last two columns: 2 days, 4600 cents.
        for path, cid in (("/v1/overdue?limit=100", ids[0]), ("/v1/queue?limit=100", ids[1])):
            r = d.request("GET", path, headers={"Accept": "text/csv"})
            self.assertEqual(r.status, 200, r.raw)
            rows = r.raw.decode("utf-8-sig").split("\r\n")
            head = rows[0].split(",")
            self.assertEqual(head[-2:], ["penalty_days", "penalty_cents"], path)
            mine = [row.split(",") for row in rows[1:] if row.startswith("%d," % cid)]
            self.assertEqual(len(mine), 1, path)
            self.assertEqual(mine[0][-2:], ["2", "4600"], path)
        out = self.ctl("case", "show", str(ids[0]))
        self.assertIn("EUR 46.00 of at most EUR 1442.00", out)
        self.assertIn("2 of at most 42", out)
        self.assertIn("2026-04-28", out)

        self.at(2026, 3, 24, 11)
        self.decide(ids[0])
        self.at(2026, 6, 1)
        year = d.call("GET", "/v1/report?from=2026-01-01&to=2027-01-01&by=workflow")
        self.assertEqual((year["totals"]["penalties"], year["totals"]["penalty_cents"],
                          year["totals"]["penalty_amount"]), (2, 158000, "1580.00"))
        self.assertEqual([(r["key"], r["penalty_amount"]) for r in year["rows"]],
                         [(WF, "1580.00")])
        out = self.ctl("report", "--from", "2026-01-01", "--to", "2027-01-01")
        self.assertIn("penalties for late decisions: 2, EUR 1580.00 so far", out)

    def test_simulate_shows_the_amounts(self):
        """The same dates as the cases above, asked of POST /v1/simulate
        and termijnctl simulate: nothing is stored."""
        d = self.start(local(2026, 1, 1, 9, 0))
        body = {"workflow": WF, "start": "2026-01-05",
                "events": [{"event": "notice_of_default", "date": "2026-02-20"},
                           {"event": "notice_of_default", "date": "2026-03-03"}]}
        sim = d.call("POST", "/v1/simulate", body)
        self.assertEqual(d.db_query("SELECT count(*) FROM cases"), [(0,)])
        # The first notice came while the period ran: it started nothing.
        self.assertEqual([(n["event"], n["name"]) for n in sim["not_recorded"]],
                         [(1, "notice_of_default")])
        self.assertIn("4:17", sim["not_recorded"][0]["explanation"])
        # The case waits in default: the penalty as it would stand at its
        # cap, 42 days from 18 March, with each tier's end and amount.
        p = sim["penalty"]
        self.assertEqual((sim["state"], p["first_day"], p["days"], p["amount"],
                          p["last_day"], p["fix_by"]),
                         ("in_default", "2026-03-18", 42, "1442.00",
                          "2026-04-28", "2026-05-12"))
        self.assertEqual([(t["through"], t["amount_through"]) for t in p["tiers"]],
                         [("2026-03-31", "322.00"), ("2026-04-14", "812.00"),
                          ("2026-04-28", "1442.00")])
        # Decided on 24 March: 6 days, 138 euro, fixed by 7 April.
        body["events"].append({"event": "decided", "date": "2026-03-24"})
        p = d.call("POST", "/v1/simulate", body)["penalty"]
        self.assertEqual((p["days"], p["amount"], p["fix_by"]),
                         (6, "138.00", "2026-04-07"))
        out = subprocess.run(
            [termijnctl_path(), "simulate", os.path.join(
                os.path.dirname(__file__), "..", "..", "workflows", WF + ".yaml"),
             "--start", "2026-01-05", "--event", "notice_of_default@2026-02-20",
             "--event", "notice_of_default@2026-03-03"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
            env=dict(os.environ, LANGUAGE="", LC_ALL="C.UTF-8"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("EUR 1442.00 of at most EUR 1442.00", out.stdout)
        self.assertIn("fix the amount by:  2026-05-12", out.stdout)
        self.assertIn("event 1 (notice_of_default at 2026-02-20", out.stdout)


if __name__ == "__main__":
    unittest.main()
