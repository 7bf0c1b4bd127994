"""Management information (issue 9): GET /v1/report against a real termijnd,
on a scenario lived through with the clock and checked by hand.

The report covers May 2026 (from=2026-05-01, to=2026-06-01) and is read on
2026-06-10 12:00.  A deadline counts in it when its last day lies in May.
Cases start at 01:00 CET (00:00 UTC) before the clock moved forward on 29
March, or at 00:00 CEST after it; events happen at 12:00 CEST (10:00 UTC).
Days below are elapsed days; a figure is rounded to two decimals.

team-r (beslistermijn, 8 weeks under the Atw, kind decision):
  R1 from 03-10: due 05-06 (05-05 is Liberation Day), passed 05-07 00:00,
     picked up and decided 05-11 12:00: missed by 4.5 days; closed after
     62 days 10 hours (62.42)
  R2 from 03-12: due 05-07, passed 05-08 00:00, still waits on 06-10
     12:00: missed by 33.5 days
  R3 from 03-19: 05-14 is Ascension Day and 05-15 a decree day, so due
     05-18; decided 05-13 12:00: met; closed after 55 days 10 hours (55.42)
  R4 from 02-10: due 04-07, extended by 6 weeks on 04-01 to 05-19;
     decided 05-15 12:00: met and extended; closed after 94.42 days
  R5 from 03-17: due 05-12; suspended on 04-14, completed on 04-21: the 7
     days 04-15 to 04-21 count as suspended, so due 05-19; decided 05-18
     12:00: met and suspended; closed after 62.42 days
  R6 from 03-20: suspended on 05-01 and still suspended: no moment, not
     counted
  X  (opvolging, 10 days, no "then", service_norm) from 05-01 00:00: due
     05-11, passed 05-12 00:00, the case stays; klaar 05-14 12:00: missed by
     2.5 days; closed after 13.5 days
  O1 (zelfmelding) from 03-01: its deadlines fell in April (last days
     04-12 and 04-20); it waits in enforcement since 04-21 00:00

team-s (zelfmelding, kind agreement):
  S1 from 03-23: six weeks to 05-04, passed 05-05 00:00, the youth worker's
     5 working days to 05-12 (Liberation Day skipped), passed 05-13 00:00:
     missed by 8 days (left youth_worker_reports 05-13 00:00); in
     enforcement, picked up and closed 05-20 12:00: missed by 7.5 days;
     closed after 58 days 10 hours (58.42)
  S2 from 04-01 00:00: reported 05-10 12:00 (met), closed 05-15 12:00
     after 44.5 days

team-z's case, missed in May, is not the supervisor's: it counts nowhere.

So, for May:
  team-r: 6 deadlines, 3 met, 3 missed by 2.5, 4.5 and 33.5 days (median
     4.5, 90th percentile by nearest rank 33.5), 1 suspended, 1 extended,
     5 closed (13.5, 55.42, 62.42, 62.42, 94.42: median 62.42), met share
     0.5, decided within the statutory period 3 of 5: 0.6
  team-s: 3 deadlines, 1 met, 2 missed by 7.5 and 8 (median 7.75, p90 8),
     2 closed (44.5, 58.42: median 51.46), met share 0.33, no statutory
"""

import re
import unittest

from harness import FakeClock, TermijnTestCase, local, wait_until, workflows_with

from test_views import OPVOLGING

R, S, Z = "team-r", "team-s", "team-z"
MAY = "/v1/report?from=2026-05-01&to=2026-06-01"
# None of these workflows has a penalty for a late decision.
NO_PENALTIES = {"penalties": 0, "penalty_cents": 0, "penalty_amount": "0.00"}


def row(key, deadlines, met, missed, median, p90, suspended, extended, closed,
        throughput, met_share, statutory):
    return {"key": key, "deadlines": deadlines, "met": met, "missed": missed,
            "delay_median_days": median, "delay_p90_days": p90,
            "suspended": suspended, "extended": extended, "closed": closed,
            "throughput_median_days": throughput, "met_share": met_share,
            "statutory_met_share": statutory, **NO_PENALTIES}


class ReportTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 4, 1, 9))
        self.d = d = self.start_daemon(
            clock=self.clock, config={"scheduler": {"recheck_interval": 0.1}},
            workflows=workflows_with(self.tmpdir, {"opvolging.yaml": OPVOLGING}))
        for team in (R, S, Z):
            d.add_team(team)
        self.boss = d.make_token("baas", "supervisor", [R, S])
        self.cw = d.make_token("medewerker", "caseworker", [R, S])
        self.cwz = d.make_token("cw-z", "caseworker", [Z])
        self.ids = {}

    def case(self, name, workflow, started, team=R, token=None):
        self.ids[name] = self.d.create_case(workflow, "REP-" + name, team,
                                            started_at=started,
                                            token=token or self.cw)["id"]

    def event(self, name, event, note=None, token=None):
        return self.d.event(self.ids[name], event, note, token=token or self.cw)

    def assign(self, name):
        self.d.call("POST", "/v1/cases/%d/assign" % self.ids[name],
                    {"assignee": "medewerker"}, token=self.cw)

    def at(self, *when):
        """Move the clock on and wait until every rung due by then fired."""
        self.clock.set(local(*when))
        now_ms = int(local(*when).timestamp() * 1000)
        wait_until(lambda: self.d.db_query(
            "SELECT count(*) FROM rungs WHERE fired_at IS NULL AND due <= ?",
            (now_ms,))[0][0] == 0, what="the rungs due by %r fired" % (when,))

    def live_through_may(self):
        cet = "T01:00:00+01:00"
        self.case("R1", "beslistermijn", "2026-03-10" + cet)
        self.case("R2", "beslistermijn", "2026-03-12" + cet)
        self.case("R3", "beslistermijn", "2026-03-19" + cet)
        self.case("R4", "beslistermijn", "2026-02-10" + cet)
        self.case("R5", "beslistermijn", "2026-03-17" + cet)
        self.case("R6", "beslistermijn", "2026-03-20" + cet)
        self.case("O1", "zelfmelding", "2026-03-01" + cet)
        self.case("S1", "zelfmelding", "2026-03-23" + cet, team=S)
        self.case("S2", "zelfmelding", "2026-04-01T00:00:00+02:00", team=S)
        self.case("Z1", "zelfmelding", "2026-03-23" + cet, team=Z, token=self.cwz)
        c = self.event("R4", "extend", note="advies nodig", token=self.boss)
        self.assertEqual(c["deadlines"][0]["due"], "2026-05-19", c)

        self.at(2026, 4, 14, 12)
        self.event("R5", "request_completion", note="loonstroken ontbreken")
        self.at(2026, 4, 21, 12)
        c = self.event("R5", "completed")
        self.assertEqual(c["deadlines"][0]["due"], "2026-05-19", c)
        self.at(2026, 5, 1, 12)
        self.case("X", "opvolging", "2026-05-01T00:00:00+02:00")
        self.event("R6", "request_completion", note="bijlage ontbreekt")
        self.at(2026, 5, 10, 12)
        self.event("S2", "family_reported")
        self.at(2026, 5, 11, 12)
        self.assign("R1")
        self.event("R1", "decided")
        self.at(2026, 5, 13, 12)
        self.event("R3", "decided")
        self.at(2026, 5, 14, 12)
        self.event("X", "klaar")
        self.at(2026, 5, 15, 12)
        self.event("R4", "decided")
        self.event("S2", "close")
        self.at(2026, 5, 18, 12)
        self.event("R5", "decided")
        self.at(2026, 5, 20, 12)
        self.assign("S1")
        self.event("S1", "close")
        self.at(2026, 6, 10, 12)

    def report(self, query, token=None):
        return self.d.call("GET", MAY + query if query.startswith("&") else query,
                           token=token or self.boss)

    def test_may_by_team_workflow_kind_and_month(self):
        self.live_through_may()
        body = self.report("&by=team")
        self.assertEqual((body["from"], body["to"], body["by"]),
                         ("2026-05-01", "2026-06-01", "team"))
        self.assertEqual(body["rows"], [
            row(R, 6, 3, 3, 4.5, 33.5, 1, 1, 5, 62.42, 0.5, 0.6),
            row(S, 3, 1, 2, 7.75, 8.0, 0, 0, 2, 51.46, 0.33, None),
        ])
        # The figures are written as they were rounded: 4.5 and 0.33, not
        # 0.33000000000000002.
        raw = self.d.request("GET", MAY + "&by=team", token=self.boss).raw.decode()
        self.assertIn('"met_share":0.33,', raw)
        self.assertIsNone(re.search(r"\d\.\d{3,}", raw), raw)
        # team is the default grouping.
        self.assertEqual(self.report(MAY, self.boss)["rows"], body["rows"])
        self.assertEqual(self.report("&by=team&team=" + S)["rows"], body["rows"][1:])

        self.assertEqual(self.report("&by=workflow")["rows"], [
            row("beslistermijn", 5, 3, 2, 19.0, 33.5, 1, 1, 4, 62.42, 0.6, 0.6),
            row("opvolging", 1, 0, 1, 2.5, 2.5, 0, 0, 1, 13.5, 0.0, None),
            row("zelfmelding", 3, 1, 2, 7.75, 8.0, 0, 0, 2, 51.46, 0.33, None),
        ])
        # A case has deadlines of several kinds: closed cases are not counted by kind.
        self.assertEqual(self.report("&by=kind")["rows"], [
            row("agreement", 3, 1, 2, 7.75, 8.0, 0, 0, None, None, 0.33, None),
            row("decision", 5, 3, 2, 19.0, 33.5, 1, 1, None, None, 0.6, 0.6),
            row("service_norm", 1, 0, 1, 2.5, 2.5, 0, 0, None, None, 0.0, None),
        ])
        # Throughputs 13.5, 44.5, 55.42, 58.42, 62.42, 62.42, 94.42: 58.42.
        self.assertEqual(self.report("&by=month")["rows"], [
            row("2026-05", 9, 4, 5, 7.5, 33.5, 1, 1, 7, 58.42, 0.44, 0.6),
        ])
        # What the report leads with, the period as a whole: the same
        # whichever way it is grouped; of one team, that team's row.
        may = {"deadlines": 9, "met": 4, "missed": 5, "met_share": 0.44,
               "statutory": 5, "statutory_met": 3, "statutory_met_share": 0.6,
               **NO_PENALTIES}
        for by in ("team", "workflow", "kind", "month"):
            self.assertEqual(self.report("&by=" + by)["totals"], may, by)
        self.assertEqual(self.report("&by=team&team=" + S)["totals"], {
            "deadlines": 3, "met": 1, "missed": 2, "met_share": 0.33,
            "statutory": 0, "statutory_met": 0, "statutory_met_share": None,
            **NO_PENALTIES})

    def test_other_periods_teams_and_refusals(self):
        self.live_through_may()
        # April: O1's two deadlines, missed by 8 days (it left
        # youth_worker_reports on 04-21) and by 50.5 (it waits in
        # enforcement since 04-21 00:00); nothing closed.
        self.assertEqual(self.report("/v1/report?from=2026-04-01&to=2026-05-01")["rows"], [
            row(R, 2, 0, 2, 29.25, 50.5, 0, 0, 0, None, 0.0, None),
        ])
        # June: nothing has fallen yet but R2's wait; nothing at all.
        self.assertEqual(self.report("/v1/report?from=2026-06-01&to=2026-07-01")["rows"], [])
        # team-z's own view of May: its one case, missed twice.
        rows = self.report(MAY + "&by=team", self.cwz)["rows"]
        self.assertEqual([(r["key"], r["deadlines"], r["missed"]) for r in rows], [(Z, 2, 2)])
        # A stranger's team filter finds nothing of it.
        self.assertEqual(self.report(MAY + "&team=" + Z)["rows"], [])
        # The report shows no case: it is not a read of one.
        before = self.d.db_query("SELECT count(*) FROM reads")[0][0]
        self.report(MAY)
        self.assertEqual(self.d.db_query("SELECT count(*) FROM reads")[0][0], before)
        for query, word in [
                ("/v1/report?to=2026-06-01", "from"),
                ("/v1/report?from=2026-05-01", "to"),
                ("/v1/report?from=2026-05-01&to=2026-05-01", "after"),
                ("/v1/report?from=2026-05-01&to=2027-06-01", "366"),
                ("/v1/report?from=2026-02-30&to=2026-06-01", "2026-02-30"),
                (MAY + "&by=reference", "reference"),
                (MAY + "&from=2026-01-01", "more than once"),
                (MAY + "&state=x", "state")]:
            self.assertProblem(self.d.request("GET", query, token=self.boss), 400, word)
        admin = self.d.request("GET", MAY, token=self.d.admin_token)
        self.assertProblem(admin, 403, "admin")


if __name__ == "__main__":
    unittest.main()
