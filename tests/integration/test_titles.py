"""Dutch titles (issue 17): the names of a workflow stay identifiers in every
answer, and beside each name where a person reads it stands the title the
workflow's YAML gives it: GET /v1/workflows, a case (its state, the events it
accepts, its deadlines and their ladders, what passed, its notifications and
participants), its history, the views, their CSV and the calendar feed.  A
case keeps the titles of the version it started on.

A workflow of the test's own, titels, on a termijnd whose clock starts on
Monday 2026-01-05 10:00: version 1 without Dutch titles, then version 2 with
them.  Six weeks from then end on 2026-02-16 and pass at 02-17 00:00; the
youth worker's 5 working days end 02-24 and pass at 02-25 00:00."""

import csv
import io
import os
import signal
import sys
import unittest

import yaml

try:
    import icalendar
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar

from harness import FakeClock, TermijnTestCase, local, wait_until

V1 = """workflow: titels
version: 1
title: Self-report (test)
roles: [youth_worker, caseworker, supervisor]
start: waiting
bases:
  consent:
    article: Jeugdwet hoofdstuk 7.3
    description: Het gezin gaf toestemming.
states:
  waiting:
    title: The family reports
    deadline:
      period: 6 weeks
      then: reporting
      rungs:
        - { before: 1 week, notify: youth_worker }
    events:
      family_reported: closed
  reporting:
    queue: true
    deadline:
      name: report
      period: 5 days
      rule: working_days
    events:
      reported: { to: closed, shares: [consent] }
  closed:
    final: true
"""

V2 = """workflow: titels
version: 2
title: Melding van inkomsten
roles:
  - { name: youth_worker, title: jeugdhulpverlener }
  - name: caseworker
    title: consulent
  - supervisor
start: waiting
bases:
  consent:
    title: Toestemming van het gezin
    article: Jeugdwet hoofdstuk 7.3
    description: Het gezin gaf toestemming.
deadlines:
  check_back:
    title: Navraag
    period: 2 weeks
    rungs:
      - { at: due, notify: caseworker }
states:
  waiting:
    title: Gezin meldt zelf
    deadline:
      period: 6 weeks
      then: reporting
      rungs:
        - { before: 1 week, notify: youth_worker }
        - { at: due, notify: caseworker, title: Consulent kijkt mee, start: [check_back] }
    events:
      family_reported: { to: closed, title: Gezin heeft zelf gemeld }
  reporting:
    title: Jeugdhulpverlener meldt
    queue: true
    deadline:
      name: report
      title: Termijn van de jeugdhulpverlener
      period: 5 days
      rule: working_days
      rungs:
        - { after: 2 days, rule: working_days, notify: supervisor }
    events:
      reported: { to: closed, title: Jeugdhulpverlener heeft gemeld, shares: [consent] }
      close: closed
  closed:
    title: Afgesloten
    final: true
"""

# The titles termijnd makes for the rungs V2 gives none, and for the
# ledger's own "due".
MADE = {"before_P1W": "1 week vooraf",
        "after_P2D": "2 werkdagen erna",
        "at_due": "bij het verstrijken",
        "due": "de termijn verstrijkt"}


def rung_name(r):
    """A rung's name as the loader gives it: its own, or from its offset."""
    if "name" in r:
        return r["name"]
    if "at" in r:
        return "at_due"
    when = "before" if "before" in r else "after"
    n, unit = r[when].split()
    return "%s_P%d%s" % (when, int(n), unit[0].upper())


class TitlesTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.wf = os.path.join(self.tmpdir, "workflows")
        os.makedirs(self.wf)
        self.write(V1)
        self.clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        self.d = self.start_daemon(clock=self.clock, workflows=self.wf,
                                   config={"scheduler": {"recheck_interval": 0.1}})
        self.sup = self.d.make_token("sup", "supervisor", ["jeugd-noord"])
        self.old = self.d.create_case("titels", "T-OLD", token=self.sup)["id"]
        self.write(V2)
        loads = self.loads()
        os.kill(self.d.pid, signal.SIGHUP)
        wait_until(lambda: self.loads() > loads, what="the reload's summary")
        self.new = self.d.create_case("titels", "T-NEW", token=self.sup)
        self.assertEqual(self.new["version"], 2)
        self.yaml = yaml.safe_load(V2)

    def write(self, text):
        with open(os.path.join(self.wf, "titels.yaml"), "w") as f:
            f.write(text)

    def loads(self):
        return sum(m.startswith("workflows from ") for m in self.d.syslog.messages())

    def get(self, path):
        return self.d.call("GET", path, token=self.sup)

    def test_workflows_carry_the_titles_of_the_yaml(self):
        w = [w for w in self.get("/v1/workflows")["workflows"] if w["name"] == "titels"][0]
        y = self.yaml
        self.assertEqual(w["title"], y["title"])
        self.assertEqual([(r["name"], r["title"]) for r in w["roles"]],
                         [(r["name"], r["title"]) if isinstance(r, dict) else (r, None)
                          for r in y["roles"]])
        self.assertEqual([(b["id"], b["title"]) for b in w["bases"]],
                         [(k, v.get("title")) for k, v in y["bases"].items()])
        self.assertEqual([(d["name"], d["title"]) for d in w["deadlines"]],
                         [(k, v.get("title")) for k, v in y["deadlines"].items()])
        self.assertEqual(w["deadlines"][0]["rungs"],
                         [{"name": "at_due", "title": "bij het verstrijken",
                           "notify": "caseworker"}])
        self.assertEqual([s["name"] for s in w["states"]], list(y["states"]))
        for s in w["states"]:
            ys = y["states"][s["name"]]
            self.assertEqual(s["title"], ys.get("title"), s["name"])
            self.assertEqual({e["name"]: e["title"] for e in s["events"]},
                             {k: v.get("title") if isinstance(v, dict) else None
                              for k, v in ys.get("events", {}).items()}, s["name"])
            if "deadline" not in ys:
                self.assertNotIn("deadline", s)
                continue
            yd, d = ys["deadline"], s["deadline"]
            # A deadline named after its state is called as the state is.
            self.assertEqual(d["title"], yd.get("title", ys["title"] if "name" not in yd
                                                 else None), s["name"])
            self.assertEqual([(r["name"], r["title"], r["notify"]) for r in d["rungs"]],
                             [(rung_name(r), r.get("title", MADE.get(rung_name(r))),
                               r.get("notify")) for r in yd.get("rungs", [])])

    def test_a_case_reads_its_titles_and_keeps_its_version(self):
        c = self.new
        self.assertEqual((c["workflow"], c["workflow_title"]), ("titels", "Melding van inkomsten"))
        self.assertEqual((c["state"], c["state_title"]), ("waiting", "Gezin meldt zelf"))
        self.assertEqual(c["accepts"], ["family_reported"])
        self.assertEqual(c["event_titles"], {"family_reported": "Gezin heeft zelf gemeld"})
        dl = c["deadlines"][0]
        self.assertEqual((dl["name"], dl["title"], dl["state"], dl["state_title"], dl["then"],
                          dl["then_title"]),
                         ("waiting", "Gezin meldt zelf", "waiting", "Gezin meldt zelf",
                          "reporting", "Jeugdhulpverlener meldt"))
        self.assertEqual([(r["name"], r["title"]) for r in dl["rungs"]],
                         [("before_P1W", "1 week vooraf"),
                          ("due", "de termijn verstrijkt"),
                          ("at_due", "Consulent kijkt mee")])

        # The case started on version 1 keeps its words: its English
        # state title, no title where it gave none; rungs always have one.
        old = self.d.case(self.old)
        self.assertEqual((old["version"], old["workflow_title"], old["state_title"]),
                         (1, "Self-report (test)", "The family reports"))
        self.assertEqual(old["event_titles"], {"family_reported": None})
        self.assertEqual((old["deadlines"][0]["title"], old["deadlines"][0]["then_title"]),
                         ("The family reports", None))
        self.assertEqual([r["title"] for r in old["deadlines"][0]["rungs"]],
                         ["1 week vooraf", "de termijn verstrijkt"])

        # The six weeks pass: what passed, the case deadline a rung
        # started, and who was told, all by their titles.
        self.clock.set(local(2026, 2, 17, 0, 0, 5))
        c = self.d.wait_state(c["id"], "reporting")
        self.d.wait_state(self.old, "reporting")
        self.assertEqual((c["state_title"], c["event_titles"]),
                         ("Jeugdhulpverlener meldt",
                          {"reported": "Jeugdhulpverlener heeft gemeld", "close": None}))
        p = c["passed_deadlines"][0]
        self.assertEqual((p["title"], p["state_title"], p["then_title"]),
                         ("Gezin meldt zelf", "Gezin meldt zelf", "Jeugdhulpverlener meldt"))
        self.assertEqual({d["name"]: (d["title"], d["state_title"]) for d in c["deadlines"]},
                         {"report": ("Termijn van de jeugdhulpverlener",
                                     "Jeugdhulpverlener meldt"),
                          "check_back": ("Navraag", None)})
        self.assertEqual([(n["role"], n["role_title"], n["deadline_title"], n["rung_title"])
                          for n in c["notifications"]],
                         [("youth_worker", "jeugdhulpverlener", "Gezin meldt zelf",
                           "1 week vooraf"),
                          ("caseworker", "consulent", "Gezin meldt zelf", "Consulent kijkt mee")])
        t = self.d.transitions(c["id"])[-1]
        self.assertEqual((t["cause"], t["event"], t["event_title"], t["from_title"],
                          t["to_title"]),
                         ("deadline", "waiting", "Gezin meldt zelf", "Gezin meldt zelf",
                          "Jeugdhulpverlener meldt"))

        # A team taking part, on a basis named by its title; the youth
        # worker's report, an event by its title.
        c = self.d.share(c["id"], "handhaving", "consent", token=self.sup)
        self.assertEqual([(p["basis"], p["basis_title"]) for p in c["participants"]],
                         [("consent", "Toestemming van het gezin")])
        self.d.call("POST", "/v1/cases/%d/assign" % c["id"], {"assignee": "sup"},
                    token=self.sup)
        self.d.call("POST", "/v1/cases/%d/events" % c["id"],
                    {"event": "reported", "basis": "consent"}, token=self.sup)
        hist = self.d.call("GET", "/v1/cases/%d/transitions" % c["id"],
                           token=self.sup)["transitions"]
        share = [t for t in hist if t["cause"] == "share"][0]
        self.assertEqual((share["basis"], share["basis_title"]),
                         ("consent", "Toestemming van het gezin"))
        last = hist[-1]
        self.assertEqual((last["event"], last["event_title"], last["from_title"],
                          last["to_title"], last["basis_title"]),
                         ("reported", "Jeugdhulpverlener heeft gemeld",
                          "Jeugdhulpverlener meldt", "Afgesloten", "Toestemming van het gezin"))
        first = hist[0]
        self.assertEqual((first["cause"], first["from_title"], first["to_title"]),
                         ("create", None, "Gezin meldt zelf"))

    def test_views_csv_and_feed_read_the_titles(self):
        self.clock.set(local(2026, 2, 17, 0, 0, 5))
        self.d.wait_state(self.new["id"], "reporting")
        self.d.wait_state(self.old, "reporting")
        self.clock.set(local(2026, 2, 19, 10, 0))

        # Waiting in the queue, and due within the week.
        q = {i["reference"]: i for i in self.get("/v1/queue")["queue"]}
        self.assertEqual((q["T-NEW"]["state_title"], q["T-NEW"]["workflow_title"]),
                         ("Jeugdhulpverlener meldt", "Melding van inkomsten"))
        self.assertEqual(q["T-OLD"]["state_title"], None)
        risk = {i["reference"]: i for i in self.get("/v1/at-risk?within=P10D")["at_risk"]}
        self.assertEqual((risk["T-NEW"]["deadline"], risk["T-NEW"]["deadline_title"],
                          risk["T-NEW"]["state_title"]),
                         ("report", "Termijn van de jeugdhulpverlener", "Jeugdhulpverlener meldt"))
        self.assertEqual(risk["T-OLD"]["deadline_title"], None)
        # The summary counts every version, and names states as the newest.
        rows = self.get("/v1/summary")["summary"]
        self.assertEqual({(r["state"], r["state_title"], r["workflow_title"]) for r in rows},
                         {("reporting", "Jeugdhulpverlener meldt", "Melding van inkomsten")})

        # Late: the overdue view, its CSV and the feed.
        self.clock.set(local(2026, 3, 2, 10, 0))
        # The youth worker's days, and the family's weeks that brought
        # the case where it still waits.
        over = wait_until(lambda: (lambda o: o if len(o) == 4 else None)(
            {(i["reference"], i["deadline"]): i for i in self.get("/v1/overdue")["overdue"]}),
            what="the youth worker's days passed in both cases")
        self.assertEqual(over[("T-NEW", "waiting")]["deadline_title"], "Gezin meldt zelf")
        o = over[("T-NEW", "report")]
        self.assertEqual((o["deadline_title"], o["state_title"]),
                         ("Termijn van de jeugdhulpverlener", "Jeugdhulpverlener meldt"))
        self.assertEqual([(r["name"], r["title"]) for r in o["rungs"]],
                         [("due", "de termijn verstrijkt"),
                          ("after_P2D", "2 werkdagen erna")])
        r = self.d.request("GET", "/v1/overdue", token=self.sup, headers={"Accept": "text/csv"})
        self.assertEqual(r.status, 200, r.raw)
        rows = list(csv.DictReader(io.StringIO(r.raw.decode("utf-8-sig"), newline="")))
        by = {(row["reference"], row["deadline"]): row for row in rows}
        # The identifiers stay in their columns; the titles come last.
        self.assertEqual(by[("T-NEW", "report")]["state"], "reporting")
        self.assertEqual((by[("T-NEW", "report")]["state_title"],
                          by[("T-NEW", "report")]["deadline_title"]),
                         ("Jeugdhulpverlener meldt", "Termijn van de jeugdhulpverlener"))
        # After them the names of people (issue 17), then the penalty a
        # late decision runs up (issue 20).
        self.assertEqual(list(rows[0])[-5:], ["state_title", "deadline_title", "assignee_name",
                                              "penalty_days", "penalty_cents"])
        self.assertEqual((by[("T-OLD", "report")]["state_title"],
                          by[("T-OLD", "report")]["deadline_title"]), ("", ""))

        feed = self.d.make_token("agenda", "feed", ["jeugd-noord"])
        r = self.d.request("GET", "/v1/calendar.ics?token=" + feed, token=None)
        self.assertEqual(r.status, 200, r.raw)
        summaries = sorted(str(e["SUMMARY"])
                           for e in icalendar.Calendar.from_ical(r.raw).walk("VEVENT"))
        new = "case %d (Melding van inkomsten, Jeugdhulpverlener meldt)" % self.new["id"]
        old = "case %d (Self-report (test), reporting)" % self.old
        self.assertEqual(summaries, [
            "Navraag: " + new,
            "Passed: Gezin meldt zelf: " + new,
            "Passed: Termijn van de jeugdhulpverlener: " + new,
            "Passed: The family reports: " + old,
            "Passed: report: " + old,
        ])


if __name__ == "__main__":
    unittest.main()
