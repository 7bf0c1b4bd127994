"""Exports (issue 9): every view as CSV (Accept: text/csv) read back with
Python's csv module, on the cases of test_views' scenario at Tuesday
2026-05-19 10:00."""

import csv
import io
import re
import unittest

from harness import TermijnTestCase
from test_views import A, Scenario

CSV = {"Accept": "text/csv"}
BOM = b"\xef\xbb\xbf"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


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
            "overdue_working_days", "escalated_to") + [("rungs_fired", "rungs")])
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
            "time_left_seconds", "suspended_since"))
        self.assertEqual([(r["list"], r["reference"]) for r in rows],
                         [("at_risk", "REF-A4"), ("at_risk", "REF-A3"),
                          ("suspended", "REF-A6")])

        _, rows, _ = self.csv("/v1/summary")
        self.assertRowsMatch(rows, self.get("/v1/summary")["summary"], same(
            "team", "workflow", "state", "kind", "overdue", "at_risk", "suspended",
            "running"))

        # The queue's guidance is Dutch prose, with commas and line breaks
        # of its own: quoted, and read back the same.
        _, rows, _ = self.csv("/v1/queue")
        queue = self.get("/v1/queue")["queue"]
        self.assertRowsMatch(rows, queue, same(
            "case", "reference", "team", "workflow", "state", "since", "assignee",
            "guidance"))
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
            "started_at", "state_since"))
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


if __name__ == "__main__":
    unittest.main()
