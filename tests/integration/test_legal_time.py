"""The legal-time workflows end to end against a real termijnd: decision
periods suspended and extended, escalation ladders, a penalty that forfeits
each week, across restarts.  Time moves with faketime; nothing sleeps to
wait for a deadline: the tests poll for the effect they expect, and count
exactly, so that a rung firing twice or early shows."""

import subprocess
import unittest

from harness import (FakeClock, TermijnTestCase, local, termijnctl_path,
                     wait_until)

FAST = {"scheduler": {"recheck_interval": 0.1}}


class LegalTimeTest(TermijnTestCase):

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        return self.d

    def token(self, name, role):
        """A token made offline by an administrator, as the README says."""
        r = subprocess.run([termijnctl_path(), "token", "create", "--db", self.d.db,
                            "--name", name, "--role", role,
                            "--team", "jeugd-noord", "--team", "t"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def event(self, cid, event, token, note=None, date=None, expect=200):
        body = {"event": event}
        if note is not None:
            body["note"] = note
        if date is not None:
            body["date"] = date
        r = self.d.request("POST", "/v1/cases/%d/events" % cid, body, token=token)
        self.assertEqual(r.status, expect, r.raw)
        return r.body

    def wait(self, cid, what, fn, timeout=5.0):
        """Poll the case until fn(case) holds; the case."""
        def check():
            c = self.d.case(cid)
            return c if fn(c) else None
        return wait_until(check, timeout, what="case %d: %s" % (cid, what))

    def notes(self, c):
        return [(n["role"], n["rung"], n["at"]) for n in c["notifications"]]

    def ledger(self):
        """Every rung occurrence that fired, with how often: never twice."""
        return self.d.db_query(
            "SELECT deadline_id, name, seq, count(*) FROM rungs WHERE fired_at IS NOT NULL"
            " GROUP BY deadline_id, name, seq")

    # -- beslistermijn -----------------------------------------------------

    def test_decision_period_suspended_extended_and_escalated(self):
        d = self.start(local(2026, 3, 2, 10, 0))
        worker = self.token("worker-a", "caseworker")
        boss = self.token("supervisor-a", "supervisor")
        c = d.create_case(workflow="beslistermijn", reference="A-2026-0001")
        cid = c["id"]
        dl = c["deadlines"][0]
        # 8 weeks from 2 March end on Monday 27 April, King's Day: the 28th.
        self.assertEqual((dl["name"], dl["rule"], dl["kind"], dl["due"]),
                         ("decision", "atw", "decision", "2026-04-28"))
        self.assertTrue(any("King's Day" in line for line in dl["explanation"]),
                        dl["explanation"])

        # The application is incomplete: suspended from 10 to 20 March.
        self.clock.set(local(2026, 3, 10, 9, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "request_completion"}, token=worker)
        self.assertProblem(r, 400, "reason")
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "request_completion", "note": "form B"}, token=boss)
        self.assertProblem(r, 403, "supervisor", "caseworker")
        c = self.event(cid, "request_completion", worker, note="form B missing")
        dl = c["deadlines"][0]
        self.assertIs(dl["running"], False)
        self.assertIsNone(dl["due"])
        self.assertEqual(c["state"], "deciding")
        self.clock.set(local(2026, 3, 20, 14, 0))
        c = self.event(cid, "completed", worker)
        # 10 days kept (11 to 20 March): 27 April + 10 days = Thursday 7 May.
        self.assertEqual(c["deadlines"][0]["due"], "2026-05-07")
        self.assertIs(c["deadlines"][0]["running"], True)

        # Extended once, by a supervisor, with a reason; not twice.
        self.clock.set(local(2026, 4, 1, 9, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "extend", "note": "advice"}, token=worker)
        self.assertProblem(r, 403, "extend")
        c = self.event(cid, "extend", boss, note="advice of the committee")
        # 7 May + 6 weeks = Thursday 18 June.
        self.assertEqual(c["deadlines"][0]["due"], "2026-06-18")
        self.assertEqual(c["deadlines"][0]["extensions"], ["P6W"])
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "extend", "note": "again"}, token=boss)
        self.assertProblem(r, 409, "extended")

        # The ladder counts from the moment the deadline is overdue, 00:00 on
        # 19 June: a week before (12 June), a day before (18 June), the
        # deadline itself, 2 working days after (Tuesday 23 June).
        self.clock.set(local(2026, 6, 12, 0, 0, 1))
        c = self.wait(cid, "first reminder", lambda c: len(c["notifications"]) >= 1)
        self.assertEqual(self.notes(c), [("caseworker", "before_P1W", "2026-06-12T00:00:00+02:00")])
        d.restart()
        self.clock.set(local(2026, 6, 18, 0, 0, 1))
        c = self.wait(cid, "second reminder", lambda c: len(c["notifications"]) >= 2)
        self.assertEqual(len(c["notifications"]), 2, c["notifications"])
        self.assertEqual(c["state"], "deciding")
        self.clock.set(local(2026, 6, 19, 0, 0, 1))
        c = self.wait(cid, "overdue", lambda c: c["state"] == "overdue")
        # The passed deadline stays in view while its follow-up is pending.
        dl = c["deadlines"][0]
        self.assertEqual((dl["name"], dl["passed"]), ("decision", True))
        self.assertEqual([(r["name"], r["fired"]) for r in dl["rungs"]],
                         [("before_P1W", True), ("before_P1D", True), ("due", True),
                          ("after_P2D", False)])
        self.clock.set(local(2026, 6, 23, 0, 0, 1))
        c = self.wait(cid, "follow-up", lambda c: len(c["notifications"]) >= 3)
        self.assertEqual(self.notes(c)[2], ("supervisor", "after_P2D", "2026-06-23T00:00:00+02:00"))
        d.restart()
        self.clock.set(local(2026, 12, 1, 12, 0))
        d.restart()
        c = d.case(cid)
        self.assertEqual(len(c["notifications"]), 3, c["notifications"])
        self.assertTrue(all(n == 1 for *_, n in self.ledger()), self.ledger())

        ts = d.transitions(cid)
        self.assertEqual([(t["from"], t["to"], t["cause"], t["event"]) for t in ts], [
            (None, "deciding", "create", None),
            ("deciding", "deciding", "event", "request_completion"),
            ("deciding", "deciding", "event", "completed"),
            ("deciding", "deciding", "event", "extend"),
            ("deciding", "overdue", "deadline", "decision"),
        ])
        self.assertEqual(ts[3]["note"], "advice of the committee")
        self.assertEqual(ts[4]["at"], "2026-06-19T00:00:00+02:00")

    def test_missed_ladder_replays_in_order_after_downtime(self):
        d = self.start(local(2026, 3, 2, 10, 0))
        cid = d.create_case(workflow="beslistermijn", reference="A-2026-0002")["id"]
        d.stop()
        self.clock.set(local(2026, 7, 1, 9, 0))
        d.start()
        c = self.wait(cid, "all rungs", lambda c: len(c["notifications"]) >= 3)
        self.assertEqual(c["state"], "overdue")
        self.assertEqual([n["at"] for n in c["notifications"]], [
            "2026-04-22T00:00:00+02:00", "2026-04-28T00:00:00+02:00",
            "2026-05-01T00:00:00+02:00"])
        d.restart()
        self.assertEqual(len(d.case(cid)["notifications"]), 3)
        self.assertEqual(len(d.transitions(cid)), 2)

    # -- last onder dwangsom -------------------------------------------------

    def test_order_under_penalty(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        enf = self.token("enforcer-a", "enforcement")
        cid = d.create_case(workflow="last_onder_dwangsom", reference="H-2026-0001")["id"]
        # Two weeks for a view: 19 January ends, overdue from the 20th.
        self.clock.set(local(2026, 1, 20, 0, 0, 1))
        self.wait(cid, "deciding", lambda c: c["state"] == "deciding")
        # The decision was sent (dated) on 26 January; the compliance period
        # of 4 weeks counts from that date: ends 23 February.
        self.clock.set(local(2026, 1, 28, 9, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "decision_sent"},
                      token=enf)
        self.assertProblem(r, 400, "date")
        c = self.event(cid, "decision_sent", enf, date="2026-01-26")
        self.assertEqual(c["state"], "compliance")
        self.assertEqual(c["deadlines"][0]["due"], "2026-02-23")
        self.clock.set(local(2026, 2, 24, 0, 0, 1))
        self.wait(cid, "reinspection", lambda c: c["state"] == "reinspection")
        self.clock.set(local(2026, 2, 25, 10, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "not_compliant", "date": "2026-02-25"}, token=enf)
        self.assertProblem(r, 400, "date")
        c = self.event(cid, "not_compliant", enf)
        self.assertEqual(c["state"], "penalty_running")
        # The penalty runs from 25 February: a week ends on 4 March, so
        # it forfeits from 5 March 00:00, each week; each forfeiture starts
        # its payment period (6 weeks, Atw) and its lapse period (a year).
        self.clock.set(local(2026, 3, 5, 0, 0, 1))
        c = self.wait(cid, "first forfeiture",
                      lambda c: any(n["rung"] == "forfeit" for n in c["notifications"]))
        names = sorted(dl["name"] for dl in c["deadlines"])
        self.assertEqual(names, ["forfeiture", "lapse", "payment"], c["deadlines"])
        pay = [dl for dl in c["deadlines"] if dl["name"] == "payment"][0]
        self.assertEqual((pay["due"], pay["rule"], pay["kind"]), ("2026-04-16", "atw", "statutory"))
        lapse = [dl for dl in c["deadlines"] if dl["name"] == "lapse"][0]
        self.assertEqual((lapse["due"], lapse["rule"]), ("2027-03-05", "plain"))
        d.restart()
        self.clock.set(local(2026, 3, 26, 0, 0, 1))
        c = self.wait(cid, "four forfeitures",
                      lambda c: sum(n["rung"] == "forfeit" for n in c["notifications"]) >= 4)
        forfeits = [n for n in c["notifications"] if n["rung"] == "forfeit"]
        self.assertEqual([(n["seq"], n["at"]) for n in forfeits], [
            (1, "2026-03-05T00:00:00+01:00"), (2, "2026-03-12T00:00:00+01:00"),
            (3, "2026-03-19T00:00:00+01:00"), (4, "2026-03-26T00:00:00+01:00")])
        self.assertEqual(sum(dl["name"] == "payment" for dl in c["deadlines"]), 4)
        # Complied: the case closes and nothing more forfeits; the payment
        # periods already running stop with the closed case.
        c = self.event(cid, "complied", enf)
        self.assertIs(c["final"], True)
        self.clock.set(local(2026, 6, 1, 0, 0, 1))
        d.restart()
        c = d.case(cid)
        self.assertEqual(sum(n["rung"] == "forfeit" for n in c["notifications"]), 4)
        self.assertEqual(c["deadlines"], [])
        self.assertTrue(all(n == 1 for *_, n in self.ledger()), self.ledger())

    def test_workflows_show_every_event_and_deadline(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        r = d.request("GET", "/v1/workflows")
        self.assertEqual(r.status, 200, r.raw)
        wfs = {w["name"]: w for w in r.body["workflows"]}
        self.assertEqual(sorted(wfs), ["aanvraag_hersteltermijn", "beslistermijn",
                                       "bezwaar", "dwangsom_niet_tijdig",
                                       "last_onder_dwangsom", "stabilisatie",
                                       "zelfmelding"])
        states = {s["name"]: s for s in wfs["beslistermijn"]["states"]}
        events = {e["name"]: e for e in states["deciding"]["events"]}
        self.assertEqual(sorted(events), ["completed", "decided", "extend",
                                          "notice_of_default", "request_completion"])
        self.assertEqual((events["request_completion"]["action"],
                          events["request_completion"]["deadline"]), ("suspend", "decision"))
        self.assertEqual((events["decided"]["action"], events["decided"]["to"]),
                         ("move", "decided"))
        states = {s["name"]: s for s in wfs["last_onder_dwangsom"]["states"]}
        self.assertIsNone(states["penalty_running"]["deadline"]["then"])
        self.assertEqual(states["penalty_running"]["deadline"]["name"], "forfeiture")

    def test_transitions_come_in_pages(self):
        d = self.start(local(2026, 3, 2, 10, 0))
        cid = d.create_case(workflow="beslistermijn", reference="A-2026-0009")["id"]
        for i in range(3):
            self.event(cid, "request_completion", d.token, note="round %d" % i)
            self.event(cid, "completed", d.token)
        seen, cursor = [], None
        for _ in range(5):
            path = "/v1/cases/%d/transitions?limit=3" % cid
            if cursor:
                path += "&cursor=" + cursor
            r = d.request("GET", path)
            self.assertEqual(r.status, 200, r.raw)
            seen += r.body["transitions"]
            cursor = r.body["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(len(seen), 7)
        self.assertEqual([t["event"] for t in seen],
                         [None] + ["request_completion", "completed"] * 3)
        r = d.request("GET", "/v1/cases/%d/transitions" % cid)
        self.assertEqual((len(r.body["transitions"]), r.body["next_cursor"]), (7, None))
        self.assertProblem(d.request("GET", "/v1/cases/%d/transitions?limit=0" % cid),
                           400, "limit")

    # -- years without decree data ------------------------------------------

    def test_dates_needing_unknown_decree_days(self):
        # 8 weeks from 1 December 2028 end in January 2029, a year whose
        # days equated to holidays by royal decree are not known yet.
        self.clock = FakeClock(self.tmpdir, local(2028, 12, 1, 10, 0))
        d = self.start_daemon(clock=self.clock, config={
            "scheduler": {"recheck_interval": 0.1},
            "calendar": {"decree_missing": "refuse"}})
        r = d.request("POST", "/v1/cases", {"workflow": "beslistermijn",
                                            "reference": "A-2028-0001", "team": "t"})
        self.assertProblem(r, 400, "decree")
        r = d.request("GET", "/v1/calendar/due?from=2028-12-01&period=P8W&rule=atw")
        self.assertProblem(r, 422, "decree")
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0], 0)
        # A plain period never looks at holidays: accepted.
        self.assertEqual(d.create_case(reference="Z-2028-0001")["state"],
                         "awaiting_self_report")
        d.stop()

        # By default the date is given, and its explanation warns.
        d.config_path = None
        d.start()
        c = d.create_case(workflow="beslistermijn", reference="A-2028-0002")
        why = c["deadlines"][0]["explanation"]
        self.assertTrue(any("no decree data for 2029" in line for line in why), why)
        r = d.request("GET", "/v1/calendar/due?from=2028-12-01&period=P8W&rule=atw")
        self.assertEqual(r.status, 200, r.raw)
        self.assertIs(r.body["decree_missing"], True)

    # -- the shipped agreements gained their ladders --------------------------

    def test_stabilisatie_reminds_and_follows_up(self):
        d = self.start(local(2026, 1, 5, 10, 0))
        cid = d.create_case(workflow="stabilisatie", reference="S-2026-0001")["id"]
        self.clock.set(local(2026, 2, 10, 0, 0, 1))
        c = self.wait(cid, "reminder", lambda c: len(c["notifications"]) >= 1)
        self.assertEqual(self.notes(c), [("youth_worker", "before_P1W", "2026-02-10T00:00:00+01:00")])
        self.clock.set(local(2026, 2, 19, 0, 0, 1))
        c = self.wait(cid, "follow-up", lambda c: len(c["notifications"]) >= 3)
        self.assertEqual(c["state"], "enforcement")
        # Enforcement as the case entered its queue, the supervisor later.
        self.assertEqual(self.notes(c)[1:], [
            ("enforcement", "at_due", "2026-02-17T00:00:00+01:00"),
            ("supervisor", "after_P2D", "2026-02-19T00:00:00+01:00")])
        # The lines reach the test's syslog socket a moment after the commit.
        def rungs():
            got = [l for l in d.syslog.lines() if "rung case=%d " % cid in l]
            return got if len(got) >= 3 else None
        self.assertEqual(len(wait_until(rungs, 5.0, what="three rung lines in syslog")), 3)


if __name__ == "__main__":
    unittest.main()
