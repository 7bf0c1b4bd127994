"""The supervisor's views (issue 9) against a real termijnd: GET /v1/overdue,
/v1/at-risk, /v1/summary and /v1/queue over a database with cases in every
situation, time moved with faketime.

The scenario starts on Saturday 2026-05-16 09:00 and is read on Tuesday
2026-05-19 10:00, then on Tuesday 2026-05-26 10:00.  Between them lie
Ascension Day (Thursday 14 May), the day equated to a holiday by decree
(Friday 15 May 2026), Whit Monday (25 May) and the weekends; earlier ones
King's Day (Monday 27 April) and Liberation Day (5 May, every year).  Every
age below was counted by hand against that calendar: a day is counted once
it has passed in full, from the local date of the moment the deadline
passed, and a working day is one that is none of Saturday, Sunday or
holiday.

Cases of team-a (sup-a is its supervisor, cw-a a caseworker):

  A1  beslistermijn from 2026-03-17: decision due 2026-05-12 (a Tuesday),
      passed 05-13 00:00, waits in the queue state overdue, unassigned
  A2  beslistermijn from 2026-03-10: due 2026-05-05 is Liberation Day, so
      (Atw) 05-06; passed 05-07 00:00; in overdue, assigned to sup-a
  A3  zelfmelding from 2026-04-06: six weeks end 05-18, it passes on
      05-19 00:00 after the clock moved: youth_worker_reports, 5 working
      days to 05-27 (Whit Monday skipped)
  A4  zelfmelding from 2026-04-09: due 05-21, at risk within P5D
  A5  zelfmelding from 2026-05-11: due 06-22, running
  A6  beslistermijn from 2026-04-01, suspended on 05-16 09:00
  A7  zelfmelding, reported and closed: in no view
  A8  zelfmelding from 2026-03-02: escalated twice, the youth worker's
      deadline due 04-21, passed 04-22 00:00; waits in enforcement
  A9  stabilisatie, unsafe at once: in enforcement, not overdue
  A10 stabilisatie from 2026-03-01: due 04-12 (a Sunday; an agreement is
      not moved), passed 04-13 00:00; in enforcement, assigned to cw-a
  X1  opvolging (a deadline without "then") from 2026-05-01: due 05-11,
      passed 05-12 00:00, the case still waits in its state
  X3  the same, registered after it: the same moment, a later deadline
  X2  opvolging moved to spoed on 05-16 09:00: 48 hours, passed 05-18
      09:00 (no working days for hours)

Of team-b (cw-b): B1 zelfmelding from 2026-03-02 in enforcement (the same
moments as A8), not shared; B2 zelfmelding from 2026-03-16, shared with
team-a: six weeks end on King's Day 04-27 (an agreement: not moved), the
youth worker's 5 working days end 05-06 (Liberation Day skipped), passed
05-07 00:00 as A2's did.
"""

import datetime
import os
import re
import subprocess
import time
import unittest

from harness import FakeClock, TermijnTestCase, local, parse_time, wait_until, workflows_with

A, B, C = "team-a", "team-b", "team-c"
T0 = local(2026, 5, 19, 10)
T1 = local(2026, 5, 26, 10)

# A workflow of the test's own: a deadline without "then" (the case stays
# where it is when it passes) and one in hours, of other kinds.
OPVOLGING = """workflow: opvolging
version: 1
title: A follow-up without an escalation (test)
roles: [caseworker, supervisor]
start: behandeling
states:
  behandeling:
    deadline:
      period: 10 days
      kind: service_norm
      rungs:
        - { after: 1 day, notify: supervisor }
    events:
      spoed: spoed
      klaar: klaar
  spoed:
    deadline:
      period: 48 hours
      rule: hours
      kind: statutory
    events:
      klaar: klaar
  klaar:
    final: true
"""

# What each overdue item must say at T0: (case, deadline, kind, rule,
# period, due, overdue_from, days, working days, escalated_to, state,
# assignee, fired rungs).  In the view's order: most overdue first, then
# by deadline.
OVERDUE_T0 = [
    ("A10", "stabilising", "agreement", "plain", "P6W", "2026-04-12",
     "2026-04-13T00:00:00+02:00", 36, 22, "enforcement", "enforcement", "cw-a",
     ["before_P1W", "due", "at_due", "after_P2D"]),
    ("A8", "youth_worker_reports", "agreement", "working_days", "P5D", "2026-04-21",
     "2026-04-22T00:00:00+02:00", 27, 15, "enforcement", "enforcement", None,
     ["before_P2D", "due", "at_due", "after_P2D"]),
    ("A2", "decision", "decision", "atw", "P8W", "2026-05-06",
     "2026-05-07T00:00:00+02:00", 12, 6, "overdue", "overdue", "sup-a",
     ["before_P1W", "before_P1D", "due", "after_P2D"]),
    ("B2", "youth_worker_reports", "agreement", "working_days", "P5D", "2026-05-06",
     "2026-05-07T00:00:00+02:00", 12, 6, "enforcement", "enforcement", None,
     ["before_P2D", "due", "at_due", "after_P2D"]),
    ("X1", "behandeling", "service_norm", "plain", "P10D", "2026-05-11",
     "2026-05-12T00:00:00+02:00", 7, 3, None, "behandeling", None,
     ["due", "after_P1D"]),
    ("X3", "behandeling", "service_norm", "plain", "P10D", "2026-05-11",
     "2026-05-12T00:00:00+02:00", 7, 3, None, "behandeling", None,
     ["due", "after_P1D"]),
    ("A1", "decision", "decision", "atw", "P8W", "2026-05-12",
     "2026-05-13T00:00:00+02:00", 6, 2, "overdue", "overdue", None,
     ["before_P1W", "before_P1D", "due", "after_P2D"]),
    ("X2", "spoed", "statutory", "hours", "PT48H", None,
     None, 1, None, None, "spoed", None, ["due"]),
    ("A3", "awaiting_self_report", "agreement", "plain", "P6W", "2026-05-18",
     "2026-05-19T00:00:00+02:00", 0, 0, "youth_worker_reports", "youth_worker_reports",
     None, ["before_P1W", "due"]),
]


class Scenario:
    """The cases of the module's docstring, for a TermijnTestCase: setUp
    starts termijnd on the Saturday; scenario() registers them and moves the
    clock to T0."""

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 5, 16, 9))
        self.d = d = self.start_daemon(
            clock=self.clock, config={"scheduler": {"recheck_interval": 0.1}},
            workflows=workflows_with(self.tmpdir, {"opvolging.yaml": OPVOLGING}))
        for team in (A, B, C):
            d.add_team(team)
        self.sup = d.make_token("sup-a", "supervisor", [A])
        self.cwa = d.make_token("cw-a", "caseworker", [A])
        self.cwb = d.make_token("cw-b", "caseworker", [B])
        self.other = d.make_token("sup-c", "supervisor", [C])
        self.ids = {}
        self.names = {}

    # -- the scenario --------------------------------------------------------

    def case(self, name, workflow, started=None, team=A, token=None):
        c = self.d.create_case(workflow, "REF-" + name, team, started_at=started,
                               token=token or (self.cwb if team == B else self.cwa))
        self.ids[name] = c["id"]
        self.names[c["id"]] = name
        return c

    def event(self, name, event, note=None, token=None):
        return self.d.event(self.ids[name], event, note, token=token or self.cwa)

    def assign(self, name, who, token=None):
        return self.d.call("POST", "/v1/cases/%d/assign" % self.ids[name],
                           {"assignee": who}, token=token or self.cwa)

    def scenario(self):
        """Every case of the module's docstring, then the clock at T0."""
        d = self.d
        self.case("A1", "beslistermijn", "2026-03-17T09:00:00+01:00")
        self.case("A2", "beslistermijn", "2026-03-10T09:00:00+01:00")
        self.case("A3", "zelfmelding", "2026-04-06T09:00:00+02:00")
        self.case("A4", "zelfmelding", "2026-04-09T09:00:00+02:00")
        self.case("A5", "zelfmelding", "2026-05-11T09:00:00+02:00")
        self.case("A6", "beslistermijn", "2026-04-01T09:00:00+02:00")
        self.event("A6", "request_completion", note="formulier B ontbreekt")
        self.case("A7", "zelfmelding", "2026-05-11T09:00:00+02:00")
        self.event("A7", "family_reported")
        self.event("A7", "close")
        self.case("A8", "zelfmelding", "2026-03-02T09:00:00+01:00")
        self.case("A9", "stabilisatie")
        self.event("A9", "unsafe")
        self.case("A10", "stabilisatie", "2026-03-01T09:00:00+01:00")
        self.case("X1", "opvolging", "2026-05-01T09:00:00+02:00")
        self.case("X2", "opvolging")
        self.event("X2", "spoed")
        self.case("X3", "opvolging", "2026-05-01T09:00:00+02:00")
        self.case("B1", "zelfmelding", "2026-03-02T09:00:00+01:00", team=B)
        self.case("B2", "zelfmelding", "2026-03-16T09:00:00+01:00", team=B)
        d.share(self.ids["B2"], A, "inquiry", token=self.cwb)
        self.assign("A2", "sup-a")
        self.assign("A10", "cw-a")
        self.x2_since = parse_time(d.call("GET", "/v1/cases/%d" % self.ids["X2"],
                                          token=self.cwa)["state_since"])
        self.clock.set(T0)
        # The scheduler has seen the new time once A3 escalated and X2's
        # 48 hours passed.
        wait_until(lambda: {"A3", "X2"} <= set(self.overdue_names()),
                   what="A3 and X2 overdue after the clock moved")

    def get(self, path, token=None, expect=200):
        return self.d.call("GET", path, token=token or self.sup, expect=expect)

    def overdue_names(self, query="", token=None):
        return [self.names.get(o["case"], o["case"])
                for o in self.get("/v1/overdue?limit=500" + query, token)["overdue"]]

    def pages(self, path, key, limit, token=None):
        """Every page of a view from its start: [[names], ...]; every page
        but the last is full."""
        out, cursor = [], None
        sep = "&" if "?" in path else "?"
        while True:
            q = "%s%slimit=%d%s" % (path, sep, limit, "&cursor=" + cursor if cursor else "")
            body = self.get(q, token)
            out.append([self.names.get(o["case"], o["case"]) for o in body[key]])
            cursor = body["next_cursor"]
            if cursor is None:
                break
            self.assertEqual(len(out[-1]), limit, out)
            self.assertLess(len(out), 50, "the cursors do not end")
        return out


class ViewsTest(Scenario, TermijnTestCase):

    # -- overdue -------------------------------------------------------------

    def test_overdue_order_ages_and_rungs(self):
        self.scenario()
        body = self.get("/v1/overdue?limit=500")
        self.assertEqual(set(body), {"overdue", "next_cursor"})
        self.assertIsNone(body["next_cursor"])
        got = body["overdue"]
        self.assertEqual([self.names[o["case"]] for o in got], [e[0] for e in OVERDUE_T0])
        now = self.clock.now()
        for o, e in zip(got, OVERDUE_T0):
            (name, deadline, kind, rule, period, due, since, days, working,
             escalated, state, assignee, rungs) = e
            what = "%s: %r" % (name, o)
            self.assertEqual(o["reference"], "REF-" + name, what)
            self.assertEqual(o["team"], B if name.startswith("B") else A, what)
            self.assertEqual((o["deadline"], o["kind"], o["rule"], o["period"]),
                             (deadline, kind, rule, period), what)
            self.assertEqual((o["state"], o["assignee"], o["escalated_to"]),
                             (state, assignee, escalated), what)
            self.assertEqual((o["overdue_days"], o["overdue_working_days"]),
                             (days, working), what)
            self.assertEqual([r["name"] for r in o["rungs"]], rungs, what)
            for r in o["rungs"]:
                self.assertLessEqual(parse_time(r["at"]), parse_time(r["fired_at"]), what)
            if due is None:		# hours: the instant itself
                due_at = self.x2_since + datetime.timedelta(hours=48)
                self.assertEqual(parse_time(o["due"]), due_at, what)
                self.assertEqual(parse_time(o["overdue_from"]), due_at, what)
                since = o["overdue_from"]
            else:
                self.assertEqual((o["due"], o["overdue_from"]), (due, since), what)
            age = (now - parse_time(since)).total_seconds()
            self.assertLessEqual(abs(o["overdue_seconds"] - age), 5, what)
        # The workflow of each is its own; the version, the one it started on.
        self.assertEqual({o["workflow"] for o in got},
                         {"zelfmelding", "beslistermijn", "stabilisatie", "opvolging"})

    def test_overdue_pages_and_filters(self):
        self.scenario()
        order = [e[0] for e in OVERDUE_T0]
        # Every page size gives the same order; ties (A2 and B2, X1 and X3)
        # are kept apart by the cursor, never skipped or repeated.
        for limit in (1, 2, 3, 4, 500):
            pages = self.pages("/v1/overdue", "overdue", limit)
            self.assertEqual([n for p in pages for n in p], order, "limit %d" % limit)
        for query, want in [
                ("&team=" + B, ["B2"]),
                ("&team=" + C, []),
                ("&workflow=beslistermijn", ["A2", "A1"]),
                ("&state=enforcement", ["A10", "A8", "B2"]),
                ("&kind=decision", ["A2", "A1"]),
                ("&kind=statutory", ["X2"]),
                ("&kind=service_norm", ["X1", "X3"]),
                ("&assignee=sup-a", ["A2"]),
                ("&assignee=cw-a&state=enforcement", ["A10"]),
                ("&team=%s&workflow=zelfmelding" % A, ["A8", "A3"])]:
            self.assertEqual(self.overdue_names(query), want, query)
        for limit in (1, 2):
            pages = self.pages("/v1/overdue?workflow=opvolging", "overdue", limit)
            self.assertEqual([n for p in pages for n in p], ["X1", "X3", "X2"])
        # Bad queries are refused and name what is wrong.
        for path, word in [("/v1/overdue?limit=0", "limit"),
                           ("/v1/overdue?limit=501", "limit"),
                           ("/v1/overdue?teams=x", "teams"),
                           ("/v1/overdue?within=P5D", "within"),
                           ("/v1/overdue?team=%s&team=%s" % (A, B), "more than once"),
                           ("/v1/at-risk?within=P5D&within=P1D", "more than once"),
                           ("/v1/queue?kind=decision", "kind"),
                           # A kind no deadline has; kinds are not states.
                           ("/v1/overdue?kind=besluit", "service_norm"),
                           ("/v1/summary?kind=Decision", "service_norm"),
                           ("/v1/at-risk?kind=x", "service_norm"),
                           # A cursor this API did not give would start
                           # over at the first page: a client following
                           # cursors would never stop.
                           ("/v1/overdue?cursor=garbage", "cursor"),
                           ("/v1/overdue?cursor=0.1779228000000", "cursor"),
                           ("/v1/overdue?cursor=0.1779228000000.5x", "cursor"),
                           ("/v1/overdue?cursor=2.1779228000000.5", "cursor"),
                           ("/v1/overdue?cursor=%200.1.5", "cursor"),
                           ("/v1/queue?cursor=1.2.-3", "cursor"),
                           ("/v1/queue?cursor=", "cursor")]:
            r = self.d.request("GET", path, token=self.sup)
            self.assertProblem(r, 400, word)

    def test_another_teams_cases_never_show(self):
        self.scenario()
        # team-b sees its own two, and not one of team-a's.
        self.assertEqual(self.overdue_names(token=self.cwb), ["B1", "B2"])
        self.assertEqual(self.overdue_names("&team=" + A, self.cwb), [])
        self.assertEqual(self.overdue_names(token=self.other), [])
        self.assertEqual(self.get("/v1/queue", self.other)["queue"], [])
        self.assertEqual(self.get("/v1/summary", self.other)["summary"], [])
        risk = self.get("/v1/at-risk?within=P1Y", self.other)
        self.assertEqual((risk["at_risk"], risk["suspended"]), ([], []))
        # B1 (not shared) shows to team-a nowhere.
        for path, key in (("/v1/overdue", "overdue"), ("/v1/queue", "queue"),
                          ("/v1/at-risk?within=P1Y", "at_risk")):
            shown = [o["case"] for o in self.get(path + ("&" if "?" in path else "?") +
                                                 "limit=500")[key]]
            self.assertNotIn(self.ids["B1"], shown, path)
        # Once team-a no longer takes part in B2, it is gone from its views.
        self.d.call("DELETE", "/v1/cases/%d/participants/%s" % (self.ids["B2"], A),
                    token=self.cwb)
        self.assertNotIn("B2", self.overdue_names())
        self.assertNotIn(B, {s["team"] for s in self.get("/v1/summary")["summary"]})

    def test_each_case_shown_is_a_read(self):
        self.scenario()
        before = self.d.db_query("SELECT max(id) FROM reads")[0][0] or 0
        r = self.d.request("GET", "/v1/overdue?limit=3", token=self.sup,
                           headers={"X-Request-Id": "view-1"})
        self.assertEqual(r.status, 200, r.raw)
        rows = self.d.db_query("SELECT case_id, token, what, request FROM reads"
                               " WHERE id > ? ORDER BY id", (before,))
        self.assertEqual(rows, [(o["case"], "sup-a", "overdue", "view-1")
                                for o in r.body["overdue"]])
        # Counts show no case, and are not a read of one.
        self.get("/v1/summary")
        self.assertEqual(self.d.db_query("SELECT count(*) FROM reads WHERE id > ?",
                                         (before,))[0][0], 3)
        for path, what in (("/v1/at-risk", "at-risk"), ("/v1/queue?limit=2", "queue")):
            last = self.d.db_query("SELECT max(id) FROM reads")[0][0]
            self.get(path)
            self.assertEqual({w for w, in self.d.db_query(
                "SELECT what FROM reads WHERE id > ?", (last,))}, {what}, path)

    # -- at risk, suspended, summary ----------------------------------------

    def test_at_risk_suspended_and_summary(self):
        self.scenario()
        risk = self.get("/v1/at-risk")
        self.assertEqual(risk["within"], "P5D")
        self.assertEqual([self.names[o["case"]] for o in risk["at_risk"]], ["A4"])
        a4 = risk["at_risk"][0]
        self.assertEqual((a4["deadline"], a4["due"], a4["overdue_from"]),
                         ("awaiting_self_report", "2026-05-21", "2026-05-22T00:00:00+02:00"))
        left = (local(2026, 5, 22) - self.clock.now()).total_seconds()
        self.assertLessEqual(abs(a4["time_left_seconds"] - left), 5, a4)
        # Wider: A3's youth worker has until 05-27 (Whit Monday skipped).
        risk = self.get("/v1/at-risk?within=P10D")
        self.assertEqual([(self.names[o["case"]], o["due"]) for o in risk["at_risk"]],
                         [("A4", "2026-05-21"), ("A3", "2026-05-27")])
        self.assertEqual([self.names[o["case"]] for o in
                          self.get("/v1/at-risk?within=P6W")["at_risk"]], ["A4", "A3", "A5"])
        self.assertEqual([self.names[o["case"]] for o in
                          self.get("/v1/at-risk?within=PT24H")["at_risk"]], [])
        # A6 was suspended on Saturday 05-16 at 09:00 with about 11 days 15
        # hours left (to 05-28 00:00): it keeps them, and has no due date.
        sus = risk["suspended"]
        self.assertEqual([self.names[o["case"]] for o in sus], ["A6"])
        since = parse_time(sus[0]["suspended_since"])
        self.assertLess(abs(since - local(2026, 5, 16, 9)), datetime.timedelta(seconds=30))
        self.assertEqual((sus[0]["deadline"], sus[0]["due"], sus[0]["overdue_from"]),
                         ("decision", None, None), sus[0])
        self.assertLessEqual(abs(sus[0]["time_left_seconds"] -
                                 (local(2026, 5, 28) - since).total_seconds()), 1, sus[0])
        for query, want in (("&team=" + B, []), ("&workflow=zelfmelding", ["A4", "A3"]),
                            ("&kind=decision", []), ("&state=youth_worker_reports", ["A3"])):
            self.assertEqual([self.names[o["case"]] for o in
                              self.get("/v1/at-risk?within=P10D" + query)["at_risk"]],
                             want, query)
        r = self.d.request("GET", "/v1/at-risk?within=soon", token=self.sup)
        self.assertProblem(r, 400, "within")

        summary = self.get("/v1/summary")
        self.assertEqual(summary["within"], "P5D")
        rows = {(s["team"], s["workflow"], s["state"], s["kind"]):
                (s["overdue"], s["at_risk"], s["suspended"], s["running"])
                for s in summary["summary"]}
        self.assertEqual(rows, {
            (A, "beslistermijn", "deciding", "decision"): (0, 0, 1, 0),
            (A, "beslistermijn", "overdue", "decision"): (2, 0, 0, 0),
            (A, "opvolging", "behandeling", "service_norm"): (2, 0, 0, 0),
            (A, "opvolging", "spoed", "statutory"): (1, 0, 0, 0),
            (A, "stabilisatie", "enforcement", "agreement"): (1, 0, 0, 0),
            (A, "zelfmelding", "awaiting_self_report", "agreement"): (0, 1, 0, 2),
            (A, "zelfmelding", "enforcement", "agreement"): (1, 0, 0, 0),
            (A, "zelfmelding", "youth_worker_reports", "agreement"): (1, 0, 0, 1),
            (B, "zelfmelding", "enforcement", "agreement"): (1, 0, 0, 0),
        })
        # The overdue counts are the overdue view's, row for row.
        self.assertEqual(sum(v[0] for v in rows.values()), len(OVERDUE_T0))
        wider = {(s["workflow"], s["state"]): s["at_risk"] for s in
                 self.get("/v1/summary?within=P10D&team=" + A)["summary"]}
        self.assertEqual(wider[("zelfmelding", "youth_worker_reports")], 1)
        self.assertEqual({s["team"] for s in self.get("/v1/summary?team=" + B)["summary"]},
                         {B})

    def test_at_risk_pages(self):
        """At risk and suspended are paged as one list: the deadlines at
        risk, then the suspended ones, limit items a page in all, each page
        with both members and within."""
        self.scenario()
        want = (["A4", "A3"], ["A6"])
        for limit in (1, 2, 3, 500):
            got, cursor, n = ([], []), None, 0
            while True:
                body = self.get("/v1/at-risk?within=P10D&limit=%d%s" % (
                    limit, "&cursor=" + cursor if cursor else ""))
                self.assertEqual(set(body), {"within", "at_risk", "suspended",
                                             "next_cursor"}, body)
                self.assertEqual(body["within"], "P10D")
                page = len(body["at_risk"]) + len(body["suspended"])
                self.assertLessEqual(page, limit)
                for k, key in enumerate(("at_risk", "suspended")):
                    got[k].extend(self.names[o["case"]] for o in body[key])
                cursor, n = body["next_cursor"], n + 1
                if cursor is None:
                    break
                self.assertEqual(page, limit, body)
                self.assertLess(n, 10, "the cursors do not end")
            self.assertEqual(got, want, "limit %d" % limit)
        # The first page of two: A4, A3 and no room for A6; the next holds it.
        body = self.get("/v1/at-risk?within=P10D&limit=2")
        self.assertEqual(([self.names[o["case"]] for o in body["at_risk"]],
                          body["suspended"]), (["A4", "A3"], []))
        self.assertIsNotNone(body["next_cursor"])
        # As CSV, the next page is in a Link header.
        r = self.d.request("GET", "/v1/at-risk?within=P10D&limit=2", token=self.sup,
                           headers={"Accept": "text/csv"})
        self.assertEqual(r.status, 200, r.raw)
        self.assertIn("cursor=" + body["next_cursor"], r.headers.get("link", ""))
        for cursor in ("garbage", "2.1.1", "1.-5"):
            self.assertProblem(self.d.request("GET", "/v1/at-risk?cursor=" + cursor,
                                              token=self.sup), 400, "cursor")

    def test_at_risk_is_by_last_day(self):
        """within=P5D holds a day deadline whose last day is at most five days
        after today, the fifth included, and one in hours whose moment is at
        most five days after now; the counts of the summary agree."""
        # Six weeks: last days Thursday 05-21 and Friday 05-22.
        self.case("D5", "zelfmelding", "2026-04-09T09:00:00+02:00")
        self.case("D6", "zelfmelding", "2026-04-10T09:00:00+02:00")
        # 48 hours from now: due on Monday 05-18 a little after 09:00.
        self.case("H", "opvolging")
        self.event("H", "spoed")
        self.clock.set(local(2026, 5, 16, 9, 30))	# Saturday: +5 is 05-21

        def at_risk(within):
            return [self.names[o["case"]] for o in
                    self.get("/v1/at-risk?within=" + within)["at_risk"]]

        def counted(within):
            return sum(s["at_risk"] for s in
                       self.get("/v1/summary?within=" + within)["summary"])

        for within, want in (("P4D", ["H"]), ("P5D", ["H", "D5"]),
                             ("P6D", ["H", "D5", "D6"]), ("P1W", ["H", "D5", "D6"]),
                             # Hours: the moment, not its day (05-18 ends
                             # after now + 47 hours); a day deadline by the
                             # day the hours end on (05-20 23:30, 05-21 00:30).
                             ("PT47H", []), ("PT48H", ["H"]),
                             ("PT110H", ["H"]), ("PT111H", ["H", "D5"])):
            self.assertEqual(at_risk(within), want, within)
            self.assertEqual(counted(within), len(want), within)
        # The default is P5D, and the CLI asks the same.
        self.assertEqual(at_risk("P5D"), [self.names[o["case"]] for o in
                                          self.get("/v1/at-risk")["at_risk"]])
        # A day later the sixth day is the fifth.
        self.clock.set(local(2026, 5, 17, 0, 30))
        self.assertEqual(at_risk("P5D"), ["H", "D5", "D6"])
        self.assertEqual(at_risk("P4D"), ["H", "D5"])

    # -- queues ---------------------------------------------------------------

    def test_queue_unassigned_first_then_oldest(self):
        self.scenario()
        order = ["A8", "B2", "A1", "A9", "A10", "A2"]
        q = self.get("/v1/queue")
        self.assertEqual([self.names[o["case"]] for o in q["queue"]], order)
        first = q["queue"][0]
        self.assertEqual((first["state"], first["since"] if "since" in first else
                          first["state_since"], first["assignee"]),
                         ("enforcement", "2026-04-22T00:00:00+02:00", None), first)
        self.assertTrue(first["guidance"].startswith("Dilemma"), first)
        for limit in (1, 2, 4, 500):
            pages = self.pages("/v1/queue", "queue", limit)
            self.assertEqual([n for p in pages for n in p], order, "limit %d" % limit)
        for query, want in (("?team=" + A, ["A8", "A1", "A9", "A10", "A2"]),
                            ("?workflow=beslistermijn", ["A1", "A2"]),
                            ("?state=enforcement", ["A8", "B2", "A9", "A10"])):
            self.assertEqual([self.names[o["case"]] for o in
                              self.get("/v1/queue" + query)["queue"]], want, query)
        self.assertEqual([self.names[o["case"]] for o in
                          self.get("/v1/queue", self.cwb)["queue"]], ["B1", "B2"])
        # Picked up, a case goes behind the ones nobody has; let go, it
        # comes back in its place.
        self.assign("A8", "sup-a")
        self.assertEqual([self.names[o["case"]] for o in self.get("/v1/queue")["queue"]],
                         ["B2", "A1", "A9", "A10", "A8", "A2"])
        self.d.call("POST", "/v1/cases/%d/assign" % self.ids["A8"], {"assignee": None},
                    token=self.cwa)
        self.assertEqual([self.names[o["case"]] for o in self.get("/v1/queue")["queue"]],
                         order)

    def test_a_correction_puts_back_what_the_case_waited_on(self):
        self.scenario()
        # X3 moves on by mistake: it no longer waits on its first deadline.
        self.event("X3", "spoed")
        self.assertNotIn("X3", self.overdue_names())
        c = self.d.call("POST", "/v1/cases/%d/corrections" % self.ids["X3"],
                        {"reason": "verkeerde zaak"}, token=self.sup)
        self.assertEqual(c["state"], "behandeling")
        got = [o for o in self.get("/v1/overdue?limit=500")["overdue"]
               if o["case"] == self.ids["X3"]]
        self.assertEqual([(o["deadline"], o["overdue_from"], o["escalated_to"]) for o in got],
                         [("behandeling", "2026-05-12T00:00:00+02:00", None)])
        # A1 is decided by mistake, and corrected: escalated as before.
        self.assign("A1", "cw-a")
        self.event("A1", "decided")
        self.assertNotIn("A1", self.overdue_names())
        self.d.call("POST", "/v1/cases/%d/corrections" % self.ids["A1"],
                    {"reason": "nog niet besloten"}, token=self.sup)
        self.assertEqual(self.overdue_names(), [e[0] for e in OVERDUE_T0])

    # -- answered at once ------------------------------------------------------

    def test_answers_go_out_without_waiting_for_acknowledgements(self):
        """A page over 16 KiB went out in pieces, each after the client's
        acknowledgement of the one before, which a client on a keep-alive
        connection delays by up to 40 ms: every such page took 40 ms more
        than it cost to make.  termijnd now sets TCP_NODELAY on every
        connection; how long a page takes is the benchmarks' to measure
        (tests/bench/bench_scale.c), so this looks at the connection as the
        kernel is told, through strace attached to termijnd."""
        listen = subprocess.run(["ss", "-ltnpH", "sport = :%d" % self.d.port],
                                capture_output=True, text=True, check=True).stdout
        pid = re.search(r"pid=(\d+)", listen).group(1)
        trace = os.path.join(self.d.tmpdir, "nodelay.trace")
        strace = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=setsockopt",
                                   "-o", trace, "-p", pid])
        self.addCleanup(strace.wait)
        self.addCleanup(strace.terminate)
        seen = ""
        give_up = time.monotonic() + 20
        # New connections until one is seen: strace takes a moment to attach.
        while "TCP_NODELAY" not in seen and time.monotonic() < give_up:
            conn = self.d.connection()
            r = self.d.request("GET", "/v1/overdue?limit=50", token=self.sup, conn=conn)
            conn.close()
            self.assertEqual(r.status, 200, r.body)
            if os.path.exists(trace):
                with open(trace) as f:
                    seen = f.read()
        self.assertRegex(seen, r"setsockopt\(\d+, SOL_TCP, TCP_NODELAY, \[1\], 4\) = 0")

    # -- time moves on ---------------------------------------------------------

    def test_time_moves_the_ages_on(self):
        self.scenario()
        self.clock.set(T1)
        # A4's six weeks ended on Thursday 05-21: it escalated on 05-22.
        wait_until(lambda: "A4" in self.overdue_names(), what="A4 overdue at T1")
        got = {self.names[o["case"]]: o for o in self.get("/v1/overdue?limit=500")["overdue"]}
        # A1: 13 days since 05-13; working days 05-13, 18..22 (Whit Monday
        # 05-25 is not one): 6.
        self.assertEqual((got["A1"]["overdue_days"], got["A1"]["overdue_working_days"]),
                         (13, 6))
        # A4: Friday 05-22, the weekend, Whit Monday: 4 days, 1 working day.
        self.assertEqual((got["A4"]["overdue_from"], got["A4"]["overdue_days"],
                          got["A4"]["overdue_working_days"], got["A4"]["escalated_to"]),
                         ("2026-05-22T00:00:00+02:00", 4, 1, "youth_worker_reports"))
        # X2, in hours: 8 calendar days on.
        self.assertEqual((got["X2"]["overdue_days"], got["X2"]["overdue_working_days"]),
                         (8, None))
        # A3 is at risk now: its youth worker's last day is 05-27.
        self.assertEqual([self.names[o["case"]] for o in self.get("/v1/at-risk")["at_risk"]],
                         ["A3"])
        # Closing what waits takes it out of every view.
        self.event("X1", "klaar")
        self.assign("A1", "cw-a")
        self.event("A1", "decided")
        names = self.overdue_names()
        self.assertNotIn("X1", names)
        self.assertNotIn("A1", names)
        self.assertIn("X3", names)


if __name__ == "__main__":
    unittest.main()
