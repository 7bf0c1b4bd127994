"""One definition of late (issue 15): GET /v1/overdue, /v1/summary, the case
(GET /v1/cases/{id}), the CSV and the calendar feed say the same of every
case, and the case lists the deadlines that passed and what followed.

A supervisor found the overview listing a case as 16 days late while its
page said no deadline ran, and another "0 dagen te laat" in the overview
and "lopend" on its page.  A small municipality, read by its supervisor
(sup-noord: jeugd-noord and handhaving) with the clock moved, never slept
on: at T0, Monday 2026-03-16 10:00, at T1, Tuesday 03-17 10:00, and at
T2, Wednesday 03-18 10:00.  Ages counted by hand: a day counts once it
passed in full, from the local date of the moment the deadline passed.

  ESCALATED  zelfmelding from 2026-01-05: the family's 6 weeks end 02-16
             (passed 02-17 00:00: not late, the case went on), the youth
             worker's 5 working days end 02-24 (passed 02-25 00:00): in
             enforcement, a state without a deadline, late 20 days (14
             working) at T1
  TODAY      zelfmelding from 2026-02-02: the family's 6 weeks end 03-16,
             at risk at T0; passed 03-17 00:00, so at T1 late "passed
             today" (0 days), and the youth worker's 5 working days run to
             03-24; 1 day (1 working) late at T2
  WAITING    opvolging (a deadline without "then") from 2026-03-01: 10
             days end 03-11, passed 03-12 00:00; the case waits in its
             state, 5 days (3 working) late at T1
  AT-RISK    beslistermijn from 2026-01-23: 8 weeks end Friday 03-20
  RUNNING    beslistermijn from 2026-02-16: 8 weeks end 04-13
"""

import csv
import datetime
import io
import re
import sys
import unittest

try:
    import icalendar
except ImportError:
    # Debian's python3-icalendar (contrib/install-deps.sh), also when the
    # tests run under another python3 than Debian's own.
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar

from harness import FakeClock, TermijnTestCase, local, wait_until, workflows_with
from test_ctl import CtlRun, table
from test_views import OPVOLGING

T0 = local(2026, 3, 16, 10)
T1 = local(2026, 3, 17, 10)
T2 = local(2026, 3, 18, 10)
YOUTH, ENFORCEMENT = "jeugd-noord", "handhaving"


class Municipality:
    """The cases of the module's docstring on a termijnd at T0, for a
    TermijnTestCase (and the browser test, test_dashboard_late)."""

    def municipality(self):
        self.clock = FakeClock(self.tmpdir, T0)
        self.d = d = self.start_daemon(
            clock=self.clock, config={"scheduler": {"recheck_interval": 0.1}},
            workflows=workflows_with(self.tmpdir, {"opvolging.yaml": OPVOLGING}))
        self.sup = d.make_token("sup-noord", "supervisor", [YOUTH, ENFORCEMENT])
        self.jw = d.make_token("jw-noord", "youth_worker", [YOUTH])
        self.cw = d.make_token("cw-noord", "caseworker", [YOUTH])
        self.feed = d.make_token("agenda-noord", "feed", [YOUTH, ENFORCEMENT])
        self.ids = {}
        for name, workflow, started, token in (
                ("ESCALATED", "zelfmelding", "2026-01-05T09:00:00+01:00", self.jw),
                ("TODAY", "zelfmelding", "2026-02-02T09:00:00+01:00", self.jw),
                ("WAITING", "opvolging", "2026-03-01T09:00:00+01:00", self.cw),
                ("AT-RISK", "beslistermijn", "2026-01-23T09:00:00+01:00", self.cw),
                ("RUNNING", "beslistermijn", "2026-02-16T09:00:00+01:00", self.cw)):
            self.ids[name] = d.create_case(workflow, "Z-2026-%s" % name, YOUTH,
                                           started_at=started, token=token)["id"]
        self.names = {v: k for k, v in self.ids.items()}

    def move_to(self, when):
        """The clock at when, and termijnd has passed what fell due."""
        self.clock.set(when)
        wait_until(lambda: self.d.call("GET", "/v1/cases/%d" % self.ids["TODAY"],
                                       token=self.sup)["state"] ==
                   ("awaiting_self_report" if when < T1 else "youth_worker_reports"),
                   what="the family's deadline of TODAY passed")


class LateTest(Municipality, CtlRun, TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.municipality()
        self.url = "http://%s:%d" % (self.d.host, self.d.port)

    def get(self, path, accept=None):
        r = self.d.request("GET", path, token=self.sup,
                           headers={"Accept": accept} if accept else None)
        self.assertEqual(r.status, 200, (path, r.raw))
        return r.body

    def cases(self):
        return {name: self.get("/v1/cases/%d" % cid) for name, cid in self.ids.items()}

    def agree(self):
        """Every view says the same of every case: the same deadlines late,
        as late; the same at risk and running.  Returns {name: case}."""
        now = self.clock.now()
        overdue = self.get("/v1/overdue?limit=500")["overdue"]
        late = {(self.names[o["case"]], o["deadline"]): o for o in overdue}
        self.assertEqual(len(late), len(overdue), "a deadline listed twice")
        for o in overdue:
            self.assertTrue(o["overdue"], o)

        # The case: its late deadlines, among those that passed, are the
        # ones the overdue view lists, and it says how late they are as
        # the view does.
        cases = self.cases()
        on_page = {}
        for name, c in cases.items():
            for p in c["passed_deadlines"]:
                self.assertLessEqual(datetime.datetime.fromisoformat(p["overdue_from"]), now)
                if p["overdue"]:
                    on_page[(name, p["name"])] = p
                else:
                    self.assertNotIn("overdue_days", p)
            for dl in c["deadlines"]:
                if dl["overdue"]:
                    self.assertIn((name, dl["name"]), late, name)
                    self.assertEqual(dl["overdue_days"], late[(name, dl["name"])]["overdue_days"])
        self.assertEqual(sorted(on_page), sorted(late))
        for key, o in late.items():
            p = on_page[key]
            for k in ("due", "overdue_from", "kind", "period", "rule", "overdue_days",
                      "overdue_working_days", "escalated_to"):
                self.assertEqual(p[k], o[k], (key, k))
            self.assertLessEqual(abs(p["overdue_seconds"] - o["overdue_seconds"]), 5, key)

        # The counts: per team, workflow, state and kind, the overdue ones.
        summary = self.get("/v1/summary")["summary"]
        counted = {(s["team"], s["workflow"], s["state"], s["kind"]): s["overdue"]
                   for s in summary if s["overdue"]}
        listed = {}
        for o in overdue:
            k = (o["team"], o["workflow"], o["state"], o["kind"])
            listed[k] = listed.get(k, 0) + 1
        self.assertEqual(counted, listed)

        # The CSV: the same rows, as late.
        text = self.d.request("GET", "/v1/overdue?limit=500", token=self.sup,
                              headers={"Accept": "text/csv"}).raw.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        self.assertEqual([(int(r["case"]), r["deadline"], r["overdue_days"], r["escalated_to"])
                          for r in rows],
                         [(o["case"], o["deadline"], str(o["overdue_days"]),
                           o["escalated_to"] or "") for o in overdue])

        # What runs: at risk within five days, and running, as the case has it.
        running = {(name, dl["name"]): dl for name, c in cases.items()
                   for dl in c["deadlines"] if dl["running"] and not dl["passed"]}
        within = (now + datetime.timedelta(days=5)).date()
        risk = self.get("/v1/at-risk?within=P5D&limit=500")
        self.assertEqual(sorted((self.names[r["case"]], r["deadline"], r["due"])
                                for r in risk["at_risk"]),
                         sorted((k[0], k[1], dl["due"]) for k, dl in running.items()
                                if datetime.date.fromisoformat(dl["due"]) <= within))
        self.assertEqual(sum(s["at_risk"] for s in summary), len(risk["at_risk"]))
        self.assertEqual(sum(s["running"] for s in summary), len(running))

        # The calendar feed: what runs, and what is late, marked as passed.
        r = self.d.request("GET", "/v1/calendar/feed.ics?token=" + self.feed, token=None)
        self.assertEqual(r.status, 200, r.raw)
        events = icalendar.Calendar.from_ical(r.raw).walk("VEVENT")
        shown = {}
        for e in events:
            # The summary names the deadline by its title, as the case's
            # version gives it (by its name where it gives none).
            m = re.match(r"^(Passed: )?(.+): case (\d+) \(", str(e["SUMMARY"]))
            self.assertTrue(m, e["SUMMARY"])
            cats = e["CATEGORIES"].to_ical().decode().split(",")
            self.assertEqual(m.group(1) is not None, "passed" in cats, e["SUMMARY"])
            name = self.names[int(m.group(3))]
            c = cases[name]
            dl = {d["title"] or d["name"]: d["name"]
                  for d in c["deadlines"] + c["passed_deadlines"]}
            self.assertIn(m.group(2), dl, e["SUMMARY"])
            shown[(name, dl[m.group(2)])] = (m.group(1) is not None, e)
        self.assertEqual(sorted(k for k, (passed, _) in shown.items() if passed), sorted(late))
        self.assertEqual(sorted(k for k, (passed, _) in shown.items() if not passed),
                         sorted(running))
        for key, (passed, e) in shown.items():
            due = (late[key] if passed else running[key])["due"]
            self.assertEqual(e.decoded("DTSTART"), datetime.date.fromisoformat(due), key)
        return cases

    def test_every_view_says_the_same(self):
        # T0: the family of TODAY has till the end of the day: at risk.
        cases = self.agree()
        self.assertEqual([(p["name"], p["overdue"]) for p in cases["TODAY"]["passed_deadlines"]],
                         [])
        risk = self.get("/v1/at-risk?within=P5D")["at_risk"]
        self.assertEqual(sorted(self.names[r["case"]] for r in risk), ["AT-RISK", "TODAY"])

        # T1: it passed at midnight.  Late "today" in every view, and
        # running on its new deadline, both on its page.
        self.move_to(T1)
        cases = self.agree()
        overdue = {self.names[o["case"]]: o for o in self.get("/v1/overdue")["overdue"]}
        self.assertEqual(sorted(overdue), ["ESCALATED", "TODAY", "WAITING"])
        self.assertEqual([(o["deadline"], o["overdue_days"], o["overdue_working_days"],
                           o["escalated_to"]) for o in (overdue[n] for n in
                                                        ("ESCALATED", "TODAY", "WAITING"))],
                         [("youth_worker_reports", 20, 14, "enforcement"),
                          ("awaiting_self_report", 0, 0, "youth_worker_reports"),
                          ("behandeling", 5, 3, None)])
        today = cases["TODAY"]
        self.assertEqual([(p["name"], p["due"], p["overdue"], p["overdue_days"])
                          for p in today["passed_deadlines"]],
                         [("awaiting_self_report", "2026-03-16", True, 0)])
        self.assertEqual([(d["name"], d["running"], d["overdue"], d["due"])
                          for d in today["deadlines"]],
                         [("youth_worker_reports", True, False, "2026-03-24")])

        # ESCALATED runs no deadline in enforcement, yet is late: the page
        # says which deadline passed, when, and what followed.
        esc = cases["ESCALATED"]
        self.assertEqual(esc["state"], "enforcement")
        self.assertEqual(esc["deadlines"], [])
        self.assertEqual([(p["name"], p["due"], p["overdue_from"], p["then"], p["overdue"])
                          for p in esc["passed_deadlines"]],
                         [("awaiting_self_report", "2026-02-16", "2026-02-17T00:00:00+01:00",
                           "youth_worker_reports", False),
                          ("youth_worker_reports", "2026-02-24", "2026-02-25T00:00:00+01:00",
                           "enforcement", True)])
        # WAITING waits on its own deadline: current, and late.
        wait = cases["WAITING"]
        self.assertEqual([(d["name"], d["passed"], d["overdue"], d["overdue_days"])
                          for d in wait["deadlines"]], [("behandeling", True, True, 5)])

        # T2: a day later, a day late.
        self.move_to(T2)
        self.agree()
        o = [o for o in self.get("/v1/overdue")["overdue"] if o["case"] == self.ids["TODAY"]]
        self.assertEqual([(x["overdue_days"], x["overdue_working_days"]) for x in o], [(1, 1)])

        # Once the youth worker reports, TODAY is late nowhere: its page
        # keeps the deadline that passed, as history; the calendar drops it.
        self.d.call("POST", "/v1/cases/%d/events" % self.ids["TODAY"],
                    {"event": "youth_worker_reported", "basis": "consent"}, token=self.jw)
        cases = self.agree()
        self.assertEqual([(p["name"], p["overdue"]) for p in cases["TODAY"]["passed_deadlines"]],
                         [("awaiting_self_report", False)])

    def test_termijnctl_says_passed_today(self):
        self.move_to(T1)
        out, _ = self.run_ctl("overdue", token=self.sup)
        rows = {r["REFERENCE"]: r for r in table(out)[1]}
        self.assertEqual(rows["Z-2026-TODAY"]["OVERDUE"], "passed today")
        self.assertEqual(rows["Z-2026-ESCALATED"]["OVERDUE"], "20 days (14 working)")
        self.assertNotRegex(out, r"(?<![0-9])0 days")
        # case show: what passed, and how late the case is on it.
        out, _ = self.run_ctl("case", "show", str(self.ids["ESCALATED"]), token=self.sup)
        part = [p for p in out.split("\n\n") if p.startswith("passed deadlines:\n")]
        self.assertEqual(len(part), 1, out)
        got = table("\n".join(l[2:] for l in part[0].splitlines()[1:]))[1]
        # Deadlines and states by their titles.
        self.assertEqual([(r["DEADLINE"], r["THEN"], r["LATE"]) for r in got],
                         [("Termijn gezin", "Jeugdhulpverlener meldt", "-"),
                          ("Termijn jeugdhulp", "Bij handhaving", "20 days (14 working)")])
        out, _ = self.run_ctl("case", "show", str(self.ids["TODAY"]), token=self.sup)
        self.assertRegex(out, r"\n  Termijn gezin  2026-03-16  Jeugdhulpverlener meldt"
                              r"  passed today\n")
        out, _ = self.run_ctl("case", "show", str(self.ids["WAITING"]), token=self.sup)
        self.assertIn("\n  late:        5 days (3 working)\n", out)
        self.assertNotIn("overdue by", out)


if __name__ == "__main__":
    unittest.main()
