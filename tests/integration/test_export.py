"""Exports (issue 9): every view as CSV (Accept: text/csv) read back with
Python's csv module, and the calendar feed read back with a real iCalendar
parser (icalendar, Debian's python3-icalendar), on the cases of test_views'
scenario at Tuesday 2026-05-19 10:00."""

import csv
import datetime
import io
import os
import re
import socket
import sys
import unittest

try:
    import icalendar
except ImportError:
    # Debian's python3-icalendar (contrib/install-deps.sh), also when the
    # tests run under another python3 than Debian's own.
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar

from harness import (Daemon, FakeClock, TermijnTestCase, local, parse_time, run_termijnctl,
                     workflows_with)
from test_views import A, B, C, OVERDUE_T0, Scenario

# The late deadlines the calendar feed keeps at T0: those that passed from
# the start of the day 30 days before (2026-04-19); A10 passed before.
FEED_LATE_T0 = [e for e in OVERDUE_T0
                if e[6] is None or parse_time(e[6]) >= local(2026, 4, 19)]

CSV = {"Accept": "text/csv"}
BOM = b"\xef\xbb\xbf"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
UTC = datetime.timezone.utc


def excel(value):
    """What a JSON value becomes in a spreadsheet cell: local time without
    its offset, dates as they are, null empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "%.2f" % value
    if isinstance(value, list):
        return " ".join(v["name"] if isinstance(v, dict) else v for v in value)
    if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\dT", value):
        return value[:10] + " " + value[11:19]
    return str(value)


class CsvTest(Scenario, TermijnTestCase):

    def csv(self, path, token=None):
        """A CSV answer: its rows as dicts, after checking that a
        spreadsheet opens it as it is."""
        r = self.d.request("GET", path, token=token or self.sup, headers=CSV)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.headers["content-type"], "text/csv; charset=utf-8")
        self.assertRegex(r.headers["content-disposition"],
                         r'^attachment; filename="[a-z-]+\.csv"$')
        self.assertTrue(r.raw.startswith(BOM), r.raw[:20])
        self.assertTrue(r.raw.endswith(b"\r\n"), r.raw[-20:])
        # Every line break between rows is CRLF (one inside a quoted
        # field is the field's own).
        text = r.raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        self.assertGreater(len(rows), 0)
        self.assertEqual(len(set(map(len, rows))), 1, rows)
        return r, [dict(zip(rows[0], row)) for row in rows[1:]], rows[0]

    def assertRowsMatch(self, rows, items, columns):
        """Each CSV row says what the JSON item says, cell by cell."""
        self.assertEqual(len(rows), len(items))
        for row, item in zip(rows, items):
            for col, key in columns:
                self.assertEqual(row[col], excel(item.get(key)), (col, row, item))
                if key in ("overdue_from", "suspended_since", "since") and row[col]:
                    self.assertRegex(row[col], STAMP)
                if key == "due" and row[col]:	# a timestamp for hours
                    self.assertTrue(DATE.match(row[col]) or STAMP.match(row[col]), row)

    def test_every_view_as_csv(self):
        self.scenario()
        same = lambda *keys: [(k, k) for k in keys]

        json_ = self.get("/v1/overdue?limit=500")["overdue"]
        _, rows, head = self.csv("/v1/overdue?limit=500")
        self.assertEqual(head[:3], ["case", "reference", "team"])
        self.assertRowsMatch(rows, json_, same(
            "case", "reference", "team", "workflow", "version", "state", "assignee",
            "deadline", "kind", "rule", "period", "due", "overdue_from", "overdue_days",
            "overdue_working_days", "escalated_to", "state_title", "deadline_title",
            "assignee_name") +
            [("rungs_fired", "rungs")])
        # As Excel reads them: the last day, and the moment in local time.
        a2 = rows[2]
        self.assertEqual((a2["reference"], a2["due"], a2["overdue_from"],
                          a2["overdue_working_days"]),
                         ("REF-A2", "2026-05-06", "2026-05-07 00:00:00", "6"))
        self.assertEqual([r["overdue_working_days"] for r in rows if r["reference"] == "REF-X2"],
                         [""])

        risk = self.get("/v1/at-risk?within=P10D")
        _, rows, _ = self.csv("/v1/at-risk?within=P10D")
        items = [dict(o, list="at_risk") for o in risk["at_risk"]] + \
            [dict(o, list="suspended") for o in risk["suspended"]]
        self.assertRowsMatch(rows, items, same(
            "list", "case", "reference", "state", "deadline", "due", "overdue_from",
            "time_left_seconds", "suspended_since", "state_title", "deadline_title",
            "assignee_name"))
        self.assertEqual([(r["list"], r["reference"]) for r in rows],
                         [("at_risk", "REF-A4"), ("at_risk", "REF-A3"),
                          ("suspended", "REF-A6")])

        _, rows, _ = self.csv("/v1/summary")
        self.assertRowsMatch(rows, self.get("/v1/summary")["summary"], same(
            "team", "workflow", "state", "kind", "overdue", "at_risk", "suspended",
            "running", "state_title"))

        # The queue's guidance is Dutch prose, with commas and line breaks
        # of its own: quoted, and read back the same.
        _, rows, _ = self.csv("/v1/queue")
        queue = self.get("/v1/queue")["queue"]
        self.assertRowsMatch(rows, queue, same(
            "case", "reference", "team", "workflow", "state", "since", "assignee",
            "guidance", "state_title", "assignee_name"))
        self.assertTrue(any("," in r["guidance"] for r in rows))

        report = "/v1/report?from=2026-04-01&to=2026-06-01&by=workflow"
        _, rows, head = self.csv(report)
        self.assertEqual(head[0], "workflow")
        self.assertRowsMatch(rows, self.get(report)["rows"], [("workflow", "key")] + same(
            "deadlines", "met", "missed", "delay_median_days", "delay_p90_days",
            "closed", "throughput_median_days", "met_share", "statutory_met_share"))

        cases = self.get("/v1/cases?team=%s&limit=500" % A)["cases"]
        _, rows, _ = self.csv("/v1/cases?team=%s&limit=500" % A)
        self.assertRowsMatch(rows, cases, same(
            "id", "workflow", "version", "reference", "team", "state", "final", "assignee",
            "started_at", "state_since", "state_title", "assignee_name"))
        # The running deadline that passes first: A4's on 05-21; none for A1.
        by_ref = {r["reference"]: r for r in rows}
        self.assertEqual((by_ref["REF-A4"]["next_due"], by_ref["REF-A4"]["next_overdue_from"]),
                         ("2026-05-21", "2026-05-22 00:00:00"))
        self.assertEqual(by_ref["REF-A1"]["next_due"], "")

    def test_pages_negotiation_and_errors(self):
        self.scenario()
        everything = [o["case"] for o in self.get("/v1/overdue?limit=500")["overdue"]]
        # Pages of CSV: the next one is in a Link header, rel="next".
        path, got, pages = "/v1/overdue?limit=4", [], 0
        while path:
            r, rows, _ = self.csv(path)
            got += [int(row["case"]) for row in rows]
            link = r.headers.get("link")
            path = None
            if link:
                m = re.match(r'^<(/v1/overdue\?[^>]*cursor=[^>]+)>; rel="next"$', link)
                self.assertTrue(m, link)
                path = m.group(1)
            pages += 1
            self.assertLess(pages, 10)
        self.assertEqual(got, everything)
        self.assertEqual(pages, 3)
        r, _, _ = self.csv("/v1/queue?limit=2&team=" + A)
        self.assertRegex(r.headers["link"], r'^</v1/queue\?limit=2&team=team-a&cursor=[^>]+>')

        for accept, ctype in [("application/json, text/csv", "application/json"),
                              ("text/csv, application/json", "text/csv"),
                              ("text/csv;q=0, application/json", "application/json"),
                              ("text/csv; q=0.5", "text/csv"),
                              ("*/*", "application/json"),
                              ("TEXT/CSV", "text/csv")]:
            r = self.d.request("GET", "/v1/summary", token=self.sup, headers={"Accept": accept})
            self.assertEqual(r.status, 200)
            self.assertTrue(r.headers["content-type"].startswith(ctype), (accept, r.headers))
        # Refusals stay problems in JSON, whatever was asked for.
        r = self.d.request("GET", "/v1/overdue?limit=0", token=self.sup, headers=CSV)
        self.assertProblem(r, 400, "limit")
        r = self.d.request("GET", "/v1/overdue", token=self.d.admin_token, headers=CSV)
        self.assertProblem(r, 403, "admin")
        # Another team's CSV holds none of team-a's cases.
        _, rows, _ = self.csv("/v1/overdue", token=self.other)
        self.assertEqual(rows, [])


class FeedTest(Scenario, TermijnTestCase):

    def feed(self, query="", token=None, status=200, header=None):
        """GET /v1/calendar/feed.ics, the token in the query (or a header)."""
        q = []
        if token:
            q.append("token=" + token)
        if query:
            q.append(query)
        r = self.d.request("GET", "/v1/calendar/feed.ics" + ("?" + "&".join(q) if q else ""),
                           token=header, headers={"Accept": "text/calendar"})
        self.assertEqual(r.status, status, r.raw)
        if status != 200:
            return r
        self.assertEqual(r.headers["content-type"], "text/calendar; charset=utf-8")
        lines = r.raw.split(b"\r\n")
        self.assertEqual(lines[-1], b"")
        for line in lines:
            self.assertNotIn(b"\n", line)
            self.assertLessEqual(len(line), 75, line)
        cal = icalendar.Calendar.from_ical(r.raw)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertTrue(str(cal["PRODID"]).startswith("-//termijn//"))
        return r, cal, {str(e["UID"]): e for e in cal.walk("VEVENT")}

    def feed_token(self, name, teams):
        return self.d.make_token(name, "feed", teams)

    def deadline_label(self, cid, name):
        """How the feed names a deadline of a case: by its title, as the
        case's workflow version gives it, or by its name."""
        c = self.d.call("GET", "/v1/cases/%d" % cid, token=self.sup)
        for d in c["deadlines"] + c["passed_deadlines"]:
            if d["name"] == name:
                return d["title"] or name
        raise AssertionError("case %d has no deadline %s" % (cid, name))

    def title(self, team):
        """A team's title, as termijnd knows it."""
        teams = self.d.request("GET", "/v1/teams").body["teams"]
        return {t["name"]: t["title"] for t in teams}[team]

    def test_named_after_the_teams_title(self):
        self.d.add_team("jeugd-t", title="Jeugdteam Noord")
        self.d.add_team("handhaving-t", title="Handhaving inkomen")
        tok = self.feed_token("agenda-t", ["jeugd-t"])
        _, cal, _ = self.feed(token=tok)
        self.assertEqual(str(cal["X-WR-CALNAME"]), "Jeugdteam Noord")
        _, cal, _ = self.feed("assignee=sup-t", token=tok)
        self.assertEqual(str(cal["X-WR-CALNAME"]), "Jeugdteam Noord, sup-t")
        both = self.feed_token("agenda-t2", ["jeugd-t", "handhaving-t"])
        _, cal, _ = self.feed(token=both)
        self.assertEqual(str(cal["X-WR-CALNAME"]), "Handhaving inkomen, Jeugdteam Noord")

    def marked(self, events):
        """The events of a feed as [(passed, deadline, case name)], sorted:
        passed when the event is marked as a deadline that passed.  The
        summary names the deadline by its title, the case by its id."""
        out = []
        for e in events.values():
            m = re.match(r"^(Passed: )?(.+): case (\d+) \(", str(e["SUMMARY"]))
            self.assertTrue(m, e["SUMMARY"])
            passed = m.group(1) is not None
            cats = e["CATEGORIES"].to_ical().decode().split(",")
            self.assertEqual("passed" in cats, passed, e["SUMMARY"])
            cid = int(m.group(3))
            c = self.d.call("GET", "/v1/cases/%d" % cid, token=self.sup)
            names = [d["name"] for d in c["deadlines"] + c["passed_deadlines"]
                     if (d["title"] or d["name"]) == m.group(2)]
            self.assertEqual(len(set(names)), 1, (e["SUMMARY"], c))
            out.append((passed, names[0], self.names[cid]))
        return sorted(out)

    def test_running_deadlines_as_events(self):
        self.scenario()
        tok = self.feed_token("agenda-a", [A])
        r, cal, events = self.feed(token=tok)
        dl = {}
        for name in ("A3", "A4", "A5", "A6"):
            c = self.d.call("GET", "/v1/cases/%d" % self.ids[name], token=self.cwa)
            dl[name] = c
        # The running deadlines of team-a's cases and those it takes part
        # in: A3, A4, A5 (A6 is suspended: no date until it resumes); and
        # every deadline overdue that passed in the last 30 days, marked as
        # passed (A10, 36 days late, is in the overdue view only).
        want = {}
        for name, due in (("A3", datetime.date(2026, 5, 27)), ("A4", datetime.date(2026, 5, 21)),
                          ("A5", datetime.date(2026, 6, 22))):
            running = [d for d in dl[name]["deadlines"] if d["running"] and not d["passed"]]
            self.assertEqual(len(running), 1, dl[name])
            want[name] = due
        self.assertEqual(self.marked(events),
                         sorted([(False, "awaiting_self_report", "A4"),
                                 (False, "awaiting_self_report", "A5"),
                                 (False, "youth_worker_reports", "A3")] +
                                [(True, e[1], e[0]) for e in FEED_LATE_T0]))
        for name, due in want.items():
            cid = self.ids[name]
            evs = [e for e in events.values() if "case %d " % cid in str(e["SUMMARY"])
                   and not str(e["SUMMARY"]).startswith("Passed: ")]
            self.assertEqual(len(evs), 1, (name, list(events)))
            e = evs[0]
            # The installation is named by its CloudEvents source, by
            # default /termijn/ and the host's name.
            self.assertRegex(str(e["UID"]), r"^deadline-\d+@termijn/%s$"
                             % re.escape(socket.gethostname()))
            self.assertEqual(e.decoded("DTSTART"), due)
            self.assertEqual(e.decoded("DTEND"), due + datetime.timedelta(days=1))
            self.assertIsInstance(e.decoded("DTSTAMP"), datetime.datetime)
            self.assertIn(dl[name]["workflow_title"] or dl[name]["workflow"],
                          str(e["SUMMARY"]))
            self.assertIn("/v1/cases/%d" % cid, str(e["DESCRIPTION"]))
        # The municipality's case number does not leave the building.
        self.assertNotIn(b"REF-", r.raw)
        # Named after the team's title, as a calendar program lists it.
        self.assertEqual(str(cal["X-WR-CALNAME"]), self.title(A))

        # A late one stays on its day, and says what followed.
        a8 = [e for e in events.values()
              if str(e["SUMMARY"]).startswith("Passed: %s: case %d " % (
                  self.deadline_label(self.ids["A8"], "youth_worker_reports"),
                  self.ids["A8"]))]
        self.assertEqual(len(a8), 1)
        self.assertEqual(a8[0].decoded("DTSTART"), datetime.date(2026, 4, 21))
        self.assertIn("passed at 2026-04-22T00:00:00+02:00: the case moved to state"
                      " enforcement and is still there", str(a8[0]["DESCRIPTION"]))

        # A deadline in hours is an instant, in UTC.
        cid = self.d.create_case("opvolging", "REF-X4", A, token=self.cwa)["id"]
        c = self.d.event(cid, "spoed", token=self.cwa)
        due = parse_time(c["deadlines"][0]["due"])
        _, _, events = self.feed(token=tok)
        e = [e for e in events.values() if "case %d " % cid in str(e["SUMMARY"])][0]
        self.assertEqual(e.decoded("DTSTART"), due.astimezone(UTC).replace(microsecond=0))

        # Every case shown is a read, logged as the feed's.
        rows = self.d.db_query("SELECT DISTINCT case_id FROM reads WHERE what = 'feed'"
                               " AND token = 'agenda-a'")
        self.assertEqual(sorted(r[0] for r in rows),
                         sorted({self.ids[n] for n in want} | {cid} |
                                {self.ids[e[0]] for e in FEED_LATE_T0}))

    def test_uids_name_the_installation_and_outlive_a_restart(self):
        """Deadline ids start at 1 in every database: a person subscribed to
        the feeds of two installations must not see their events merged, so a
        UID names the installation (notifier.source), and stays the same
        after a restart, or the calendar would show every event twice."""
        tmp = os.path.join(self.tmpdir, "gemeente-x")
        os.makedirs(tmp)
        self.d = Daemon(tmp, config={
            "notifier": {"source": "https://gemeente-x.example/termijn"}})
        self.addCleanup(self.d.close)
        self.d.add_team(A)
        self.cwa = self.d.make_token("cw-a", "caseworker", [A])
        cid = self.d.create_case("zelfmelding", "REF-U1", A, token=self.cwa)["id"]
        tok = self.feed_token("agenda-a", [A])
        _, _, events = self.feed(token=tok)
        did, = self.d.db_query("SELECT id FROM deadlines WHERE case_id = ? AND running = 1"
                               " AND active = 1", (cid,))[0]
        self.assertEqual(list(events), ["deadline-%d@https://gemeente-x.example/termijn" % did])
        self.d.restart()
        _, _, again = self.feed(token=tok)
        self.assertEqual(list(again), list(events))

    def test_events_follow_the_deadline(self):
        self.scenario()
        tok = self.feed_token("agenda-a", [A])
        # A6 resumes: its deadline runs again, with the time it kept.
        c = self.d.event(self.ids["A6"], "completed", token=self.cwa)
        first = c["deadlines"][0]
        _, _, events = self.feed(token=tok)
        uid = [u for u, e in events.items() if "case %d " % self.ids["A6"] in str(e["SUMMARY"])]
        self.assertEqual(len(uid), 1)
        uid = uid[0]
        before = events[uid]
        self.assertEqual(before.decoded("DTSTART"), datetime.date.fromisoformat(first["due"]))
        # Extended by six weeks: the same UID, moved, revised later.
        self.clock.advance(datetime.timedelta(minutes=5))
        c = self.d.event(self.ids["A6"], "extend", note="advies van de commissie",
                         token=self.sup)
        _, _, events = self.feed(token=tok)
        after = events[uid]
        self.assertEqual(after.decoded("DTSTART"),
                         datetime.date.fromisoformat(first["due"]) + datetime.timedelta(weeks=6))
        self.assertEqual(after.decoded("DTSTART"), datetime.date.fromisoformat(
            c["deadlines"][0]["due"]))
        self.assertGreater(after.decoded("LAST-MODIFIED"), before.decoded("LAST-MODIFIED"))
        self.assertGreater(after.decoded("DTSTAMP"), before.decoded("DTSTAMP"))
        # Decided: gone from the feed.
        self.d.event(self.ids["A6"], "decided", token=self.cwa)
        _, _, events = self.feed(token=tok)
        self.assertNotIn(uid, events)

    def test_filters_and_who_may_read_it(self):
        self.scenario()
        tok = self.feed_token("agenda-a", [A])
        self.assign("A4", "sup-a")
        _, cal, events = self.feed("assignee=sup-a", token=tok)
        self.assertEqual(self.marked(events), [(False, "awaiting_self_report", "A4"),
                                               (True, "decision", "A2")])
        self.assertEqual(str(cal["X-WR-CALNAME"]), self.title(A) + ", sup-a")
        # Of team-b, the case team-a takes part in: late, nothing running.
        _, cal, events = self.feed("team=" + B, token=tok)
        self.assertEqual(self.marked(events), [(True, "youth_worker_reports", "B2")])
        self.assertEqual(str(cal["X-WR-CALNAME"]), self.title(B))
        # Another team's feed token sees none of team-a's deadlines.
        _, _, events = self.feed(token=self.feed_token("agenda-c", [C]))
        self.assertEqual(events, {})
        # Made offline by an administrator, as any token.
        p = run_termijnctl("token", "create", "--db", self.d.db, "--name", "agenda-offline",
                           "--role", "feed", "--team", A)
        self.assertEqual(p.returncode, 0, p.stderr)
        offline = p.stdout.strip()
        _, _, events = self.feed(token=offline)
        self.assertEqual(len(events), 3 + len(FEED_LATE_T0))
        # In a header as well as in the query.
        _, _, events = self.feed(header=tok)
        self.assertEqual(len(events), 3 + len(FEED_LATE_T0))
        # A person's token reads it with its header, never in the query.
        _, _, events = self.feed(header=self.sup)
        self.assertEqual(len(events), 3 + len(FEED_LATE_T0))
        r = self.feed(token=self.sup, status=403)
        self.assertProblem(r, 403, "feed token")
        # Nothing else takes a feed token, in a header or in the query.
        for path in ("/v1/overdue", "/v1/cases", "/v1/cases/%d" % self.ids["A4"],
                     "/v1/workflows", "/v1/teams", "/metrics", "/v1/summary"):
            self.assertProblem(self.d.request("GET", path, token=tok), 403, "feed")
            r = self.d.request("GET", path + "?token=" + tok, token=None)
            self.assertEqual(r.status, 401, path)
        r = self.d.request("POST", "/v1/cases", {"workflow": "zelfmelding", "reference": "F-1",
                                                 "team": A}, token=tok)
        self.assertProblem(r, 403, "feed")
        # Revoked: the very next fetch fails.
        self.d.revoke_token("agenda-a")
        self.assertProblem(self.feed(token=tok, status=401), 401, "token")
        self.assertProblem(self.feed(status=401), 401, "token")
        self.assertProblem(self.feed(token="tmj_" + "x" * 43, status=401), 401, "token")
        self.assertProblem(self.feed("teams=x", token=offline, status=400), 400, "teams")
        # An admin sees no case content; nor does its feed.
        self.assertProblem(self.feed(header=self.d.admin_token, status=403), 403, "admin")


# A deadline of two years that escalates, for the feed's window.
TWEE_JAAR = """workflow: tweejaar
version: 1
title: Two years, then late (test)
roles: [caseworker, supervisor]
start: loopt
states:
  loopt:
    deadline: { period: 2 years, then: te_laat }
    events: { klaar: klaar }
  te_laat:
    events: { klaar: klaar }
  klaar:
    final: true
"""


class FeedBoundsTest(TermijnTestCase):
    """The feed of a team with tens of thousands of cases held the event
    loop for most of a second.  It now covers a window, the late
    deadlines that passed from the start of the day 30 days back and the
    running ones whose last day is at most a year ahead, and at most 500
    events; a feed that reaches the cap says so in a header and in the
    calendar's description.  (What a feed costs: tests/bench/bench_feed.py.)"""

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 5, 19, 10))
        self.d = self.start_daemon(clock=self.clock, workflows=workflows_with(
            self.tmpdir, {"tweejaar.yaml": TWEE_JAAR}))
        self.d.add_team(A)
        self.cw = self.d.make_token("cw-a", "caseworker", [A])
        self.tok = self.d.make_token("agenda-a", "feed", [A])

    def get(self, query=""):
        r = self.d.request("GET", "/v1/calendar.ics" + query, token=self.tok)
        self.assertEqual(r.status, 200, r.raw)
        cal = icalendar.Calendar.from_ical(r.raw)
        cases = sorted(int(re.search(r"case (\d+) ", str(e["SUMMARY"])).group(1))
                       for e in cal.walk("VEVENT"))
        return r, cal, cases

    def test_a_window_of_dates(self):
        ids = {}
        # Last days 2026-04-17 and -18 (passed 04-18 and 04-19 00:00, around
        # the start of the window), 2027-05-19 and -20 (around its end).
        for name, started in (("old", "2024-04-17"), ("recent", "2024-04-18"),
                              ("year", "2025-05-19"), ("beyond", "2025-05-20")):
            ids[name] = self.d.create_case("tweejaar", "W-" + name, A, started_at=started,
                                           token=self.cw)["id"]
        overdue = [o["case"] for o in self.d.call("GET", "/v1/overdue", token=self.cw)["overdue"]]
        self.assertEqual(overdue, [ids["old"], ids["recent"]])
        r, cal, cases = self.get()
        self.assertEqual(cases, [ids["recent"], ids["year"]])
        self.assertNotIn("termijn-feed-capped", r.headers)
        self.assertNotIn("X-WR-CALDESC", cal)
        # Only what the feed showed was read.
        rows = self.d.db_query("SELECT DISTINCT case_id FROM reads WHERE what = 'feed'")
        self.assertEqual(sorted(x[0] for x in rows), [ids["recent"], ids["year"]])
        # A day later the window has moved on: the late one is older than
        # 30 days, the one beyond a year is within it.
        self.clock.set(local(2026, 5, 20, 10))
        _, _, cases = self.get()
        self.assertEqual(cases, [ids["year"], ids["beyond"]])

    def test_at_most_500_events_and_it_says_so(self):
        ids = [self.d.create_case("zelfmelding", "C-%03d" % i, A, token=self.cw)["id"]
               for i in range(501)]
        r, cal, cases = self.get()
        self.assertEqual(r.headers.get("termijn-feed-capped"), "500")
        self.assertEqual(cases, ids[:500])
        note = str(cal["X-WR-CALDESC"])
        self.assertIn("first 500 deadlines", note)
        self.assertIn("assignee=", note)
        rows = self.d.db_query("SELECT count(DISTINCT case_id) FROM reads WHERE what = 'feed'")
        self.assertEqual(rows, [(500,)])
        # Narrowed below the cap, it is whole, and says nothing.
        self.d.call("POST", "/v1/cases/%d/assign" % ids[-1], {"assignee": "cw-a"},
                    token=self.cw)
        r, cal, cases = self.get("?assignee=cw-a")
        self.assertEqual(cases, [ids[-1]])
        self.assertNotIn("termijn-feed-capped", r.headers)
        self.assertNotIn("X-WR-CALDESC", cal)


if __name__ == "__main__":
    unittest.main()
