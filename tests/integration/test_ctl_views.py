"""termijnctl's views (issue 9): overdue, at-risk, summary, queue, report and
case assign, as tables and as the API's JSON (--json), against a real
termijnd holding test_views' scenario at Tuesday 2026-05-19 10:00."""

import json
import re
import unittest

from harness import TermijnTestCase
from test_ctl import CtlRun, block, table
from test_views import A, B, OVERDUE_T0, Scenario


def guidance(text, state):
    """The guidance paragraph of case show for state, its lines joined."""
    for part in text.split("\n\n"):
        lines = part.splitlines()
        if lines and lines[0] == "guidance for state %s:" % state:
            assert all(l.startswith("  ") for l in lines[1:]), part
            return " ".join(l.strip() for l in lines[1:])
    raise AssertionError("case show printed no guidance for %s:\n%s" % (state, text))


class CtlViewsTest(Scenario, CtlRun, TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.url = "http://%s:%d" % (self.d.host, self.d.port)
        self.scenario()

    def cli(self, *args, expect=0, token=None):
        return self.run_ctl(*args, token=token or self.sup, expect=expect)

    def test_overdue(self):
        out, err = self.cli("overdue", "--limit", "500")
        self.assertEqual(err, "")
        self.assertFits(out, 140)
        head, rows = table(out)
        self.assertEqual(head, ["CASE", "REFERENCE", "TEAM", "WORKFLOW", "STATE", "DEADLINE",
                                "DUE", "OVERDUE", "ASSIGNEE"])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-" + e[0] for e in OVERDUE_T0])
        by = {r["REFERENCE"]: r for r in rows}
        self.assertEqual({k: by["REF-A2"][k] for k in ("DUE", "OVERDUE", "STATE", "ASSIGNEE")},
                         {"DUE": "2026-05-06", "OVERDUE": "12 days (6 working)",
                          "STATE": "Beslistermijn verstreken", "ASSIGNEE": "sup-a"})
        # States and deadlines by the titles the workflows give them, and
        # by their names where they give none (opvolging, the test's own).
        api = self.d.call("GET", "/v1/overdue?limit=500", token=self.sup)["overdue"]
        self.assertEqual([(r["STATE"], r["DEADLINE"]) for r in rows],
                         [(o["state_title"] or o["state"], o["deadline_title"] or o["deadline"])
                          for o in api])
        self.assertEqual((by["REF-A2"]["DEADLINE"], by["REF-A8"]["DEADLINE"],
                          by["REF-A8"]["STATE"], by["REF-X1"]["STATE"]),
                         ("Beslistermijn", "Termijn jeugdhulp",
                          "Bij handhaving", "behandeling"))
        # The day it passed, not "0 days".
        self.assertEqual(by["REF-A3"]["OVERDUE"], "passed today")
        # A deadline in hours: its moment to the minute, its age in days
        # and hours, no working days.
        self.assertRegex(by["REF-X2"]["DUE"], r"^2026-05-18 09:00$")
        self.assertEqual(by["REF-X2"]["OVERDUE"], "1 day")
        # The filters are the API's query parameters.
        _, rows = table(self.cli("overdue", "--team", B)[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-B2"])
        _, rows = table(self.cli("overdue", "--kind", "decision", "--assignee", "sup-a")[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-A2"])
        _, rows = table(self.cli("overdue", "--workflow", "opvolging", "--state",
                                 "behandeling")[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-X1", "REF-X3"])
        # One page says where to go on from; --all follows to the end.
        out, err = self.cli("overdue", "--limit", "2")
        self.assertEqual(len(table(out)[1]), 2)
        self.assertRegex(err, r"more overdue follow: --all, or --cursor \S+")
        cursor = err.split("--cursor ")[1].strip()
        _, rows = table(self.cli("overdue", "--limit", "2", "--cursor", cursor)[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-" + e[0] for e in OVERDUE_T0[2:4]])
        out, err = self.cli("overdue", "--limit", "2", "--all")
        self.assertEqual(err, "")
        self.assertEqual([r["REFERENCE"] for r in table(out)[1]],
                         ["REF-" + e[0] for e in OVERDUE_T0])
        # --json is the API's answer (but for the seconds overdue, which
        # grow with the clock between the two requests).
        def without_seconds(answer):
            for o in answer["overdue"]:
                self.assertIsInstance(o.pop("overdue_seconds"), int)
            return answer
        out, _ = self.cli("--json", "overdue", "--team", A, "--limit", "3")
        self.assertEqual(without_seconds(json.loads(out)),
                         without_seconds(self.d.call("GET", "/v1/overdue?team=%s&limit=3" % A,
                                                     token=self.sup)))
        out, _ = self.cli("--json", "overdue", "--all", "--limit", "4")
        self.assertEqual([o["reference"] for o in json.loads(out)["overdue"]],
                         ["REF-" + e[0] for e in OVERDUE_T0])
        # Another team's token: its own, and none of team-a's.
        _, rows = table(self.cli("overdue", token=self.cwb)[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-B1", "REF-B2"])

    def test_at_risk_and_summary(self):
        out, _ = self.cli("at-risk", "--within", "P10D")
        self.assertFits(out, 140)
        risk, suspended = out.split("\nsuspended:\n")
        self.assertTrue(risk.startswith("due within P10D:\n"), out)
        _, rows = table(risk.split("\n", 1)[1])
        self.assertEqual([(r["REFERENCE"], r["DUE"]) for r in rows],
                         [("REF-A4", "2026-05-21"), ("REF-A3", "2026-05-27")])
        # 2 days 14 hours to 05-22 00:00, less the seconds gone since T0.
        self.assertEqual(rows[0]["TIME LEFT"], "2 days 13 hours")
        _, rows = table(suspended)
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-A6"])
        self.assertRegex(rows[0]["TIME LEFT"], r"^11 days 1[45] hours kept, since 2026-05-16$")
        out, _ = self.cli("at-risk", "--team", B)
        self.assertEqual(out, "due within P5D:\n  none\n\nsuspended:\n  none\n")
        out, _ = self.cli("--json", "at-risk", "--within", "P10D")
        self.assertEqual(json.loads(out)["within"], "P10D")
        _, err = self.cli("at-risk", "--within", "soon", expect=1)
        self.assertIn("400", err)
        # Paged as the API pages it: one page, and where to go on.
        out, err = self.cli("at-risk", "--within", "P10D", "--limit", "2")
        risk, suspended = out.split("\nsuspended:\n")
        self.assertEqual([r["REFERENCE"] for r in table(risk.split("\n", 1)[1])[1]],
                         ["REF-A4", "REF-A3"])
        self.assertEqual(suspended, "  none on this page\n")
        cursor = re.fullmatch(r"termijnctl: more deadlines follow: --all, or --cursor (\S+)\n",
                              err)
        self.assertIsNotNone(cursor, err)
        out, err = self.cli("at-risk", "--within", "P10D", "--cursor", cursor.group(1))
        self.assertEqual(err, "")
        risk, suspended = out.split("\nsuspended:\n")
        self.assertEqual(risk, "due within P10D:\n  none\n")
        self.assertEqual([r["REFERENCE"] for r in table(suspended)[1]], ["REF-A6"])
        # --all follows the cursor: the tables of one page as large.
        whole, _ = self.cli("at-risk", "--within", "P10D", "--limit", "500")
        out, err = self.cli("at-risk", "--within", "P10D", "--limit", "1", "--all")
        self.assertEqual((out, err), (whole, ""))
        out, _ = self.cli("--json", "at-risk", "--within", "P10D", "--limit", "1", "--all")
        api = self.d.call("GET", "/v1/at-risk?within=P10D&limit=500", token=self.sup)
        got = json.loads(out)
        self.assertEqual(list(got), ["at_risk", "suspended", "within", "next_cursor"])
        self.assertEqual((got["within"], got["next_cursor"]), ("P10D", None))
        for key in ("at_risk", "suspended"):
            self.assertEqual([o["case"] for o in got[key]], [o["case"] for o in api[key]])

        out, _ = self.cli("summary")
        head, rows = table(out.rsplit("at risk:", 1)[0])
        self.assertEqual(head, ["TEAM", "WORKFLOW", "STATE", "KIND", "OVERDUE", "AT RISK",
                                "SUSPENDED", "RUNNING"])
        api = self.d.call("GET", "/v1/summary", token=self.sup)["summary"]
        self.assertEqual([[r[h] for h in head] for r in rows],
                         [[s["team"], s["workflow"], s["state_title"] or s["state"], s["kind"],
                           str(s["overdue"]),
                           str(s["at_risk"]), str(s["suspended"]), str(s["running"])]
                          for s in api])
        self.assertTrue(out.endswith("at risk: due within P5D\n"), out)
        _, rows = table(self.cli("summary", "--team", B)[0].rsplit("at risk:", 1)[0])
        self.assertEqual({r["TEAM"] for r in rows}, {B})

    def test_closing_an_unassigned_queue_case_says_to_pick_it_up(self):
        """A1 waits in the queue state overdue, unassigned: its state does
        accept decided, but only once someone has the case.  The answer says
        so and where to pick it up, rather than listing what the state
        accepts (decided among them), and termijnctl says what to type."""
        a1 = self.ids["A1"]
        r = self.d.request("POST", "/v1/cases/%d/events" % a1, {"event": "decided"},
                           token=self.cwa)
        self.assertProblem(r, 409, "picks it up first", "/v1/cases/%d/assign" % a1,
                           "then decided can be recorded")
        self.assertNotIn("accepts", r.body["detail"])
        self.assertEqual((r.body["state"], r.body["case"], r.body["assign"]),
                         ("overdue", a1, "/v1/cases/%d/assign" % a1))
        self.assertNotIn("accepts", r.body)
        _, err = self.cli("case", "event", str(a1), "decided", token=self.cwa, expect=1)
        lines = err.splitlines()
        self.assertEqual(len(lines), 2, err)
        self.assertTrue(lines[0].startswith("termijnctl: 409 Conflict: case %d waits" % a1), err)
        self.assertEqual(lines[1], "termijnctl: pick the case up first: termijnctl case"
                         " assign %d NAME (a token's name), then try again" % a1)
        # Picked up, it is decided.
        self.cli("case", "assign", str(a1), "cw-a", token=self.cwa)
        out, _ = self.cli("--json", "case", "event", str(a1), "decided", token=self.cwa)
        self.assertEqual(json.loads(out)["state"], "decided")
        # Another refusal still lists what the state accepts.
        _, err = self.cli("case", "event", str(a1), "decided", token=self.cwa, expect=1)
        self.assertIn("accepts", err)

    def test_queue_and_assign(self):
        out, _ = self.cli("queue")
        head, rows = table(out)
        self.assertEqual(head, ["CASE", "REFERENCE", "TEAM", "WORKFLOW", "STATE",
                                "WAITING SINCE", "ASSIGNEE"])
        self.assertEqual([(r["REFERENCE"], r["ASSIGNEE"]) for r in rows], [
            ("REF-A8", "-"), ("REF-B2", "-"), ("REF-A1", "-"), ("REF-A9", "-"),
            ("REF-A10", "cw-a"), ("REF-A2", "sup-a")])
        # Each waits in a state shown by its title.
        api = self.d.call("GET", "/v1/queue", token=self.sup)["queue"]
        self.assertEqual([r["STATE"].split(" (no team for ")[0] for r in rows],
                         [q["state_title"] for q in api])
        self.assertEqual({q["state_title"] for q in api},
                         {"Bij handhaving", "Beslistermijn verstreken"})
        self.assertEqual(rows[0]["WAITING SINCE"], "2026-04-22T00:00:00+02:00")
        _, rows = table(self.cli("queue", "--workflow", "beslistermijn")[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-A1", "REF-A2"])

        # Picked up from the queue: the case, with its assignee.
        a8 = str(self.ids["A8"])
        out, _ = self.cli("case", "assign", a8, "cw-a", "--note", "ik pak hem op",
                          token=self.cwa)
        self.assertEqual((block(out)["id"], block(out)["assignee"]), (a8, "cw-a"))
        _, rows = table(self.cli("queue", "--state", "enforcement")[0])
        self.assertEqual([r["REFERENCE"] for r in rows], ["REF-B2", "REF-A9", "REF-A10",
                                                          "REF-A8"])
        # The case as termijnctl shows it says who picked it up, and the
        # way of working agreed for its state, as the API has it.
        self.assertIn("\n\nqueue Bij handhaving: picked up by cw-a\n", out)
        api = self.d.call("GET", "/v1/cases/" + a8, token=self.cwa)
        self.assertTrue(api["guidance"].startswith("Dilemma: "), api)
        self.assertEqual(guidance(out, "Bij handhaving"), api["guidance"])
        self.assertFits(out)
        out, _ = self.cli("--json", "case", "assign", a8, "--none", token=self.cwa)
        self.assertIsNone(json.loads(out)["assignee"])
        out, _ = self.cli("case", "show", a8, token=self.cwa)
        self.assertIn("\n\nqueue Bij handhaving: waiting for someone to pick"
                      " it up (case assign)\n", out)
        self.assertEqual(guidance(out, "Bij handhaving"), api["guidance"])
        # A state that is no queue shows its guidance alone.
        out, _ = self.cli("case", "show", str(self.ids["A4"]), token=self.cwa)
        self.assertNotIn("\nqueue ", out)
        self.assertTrue(guidance(out, "Gezin meldt zelf").startswith("Dilemma: "), out)
        # Refused: a name nobody has; one already the assignee; a case of
        # another team; the wrong number of words.
        _, err = self.cli("case", "assign", a8, "niemand", token=self.cwa, expect=1)
        self.assertIn("409 Conflict: nobody named \"niemand\" can work on case", err)
        self.cli("case", "assign", a8, "cw-a", token=self.cwa)
        _, err = self.cli("case", "assign", a8, "cw-a", token=self.cwa, expect=1)
        self.assertIn("409", err)
        _, err = self.cli("case", "assign", str(self.ids["B1"]), "cw-a", token=self.cwa,
                          expect=1)
        self.assertIn("404", err)
        self.cli("case", "assign", a8, token=self.cwa, expect=2)
        self.cli("case", "assign", a8, "cw-a", "--none", token=self.cwa, expect=2)

    def test_report(self):
        out, _ = self.cli("report", "--from", "2026-04-01", "--to", "2026-06-01",
                          "--by", "workflow")
        self.assertFits(out, 160)
        first, rest = out.split("\n", 1)
        self.assertEqual(first, "deadlines due from 2026-04-01 up to 2026-06-01, by workflow")
        head, rows = table(rest)
        self.assertEqual(head[:4], ["WORKFLOW", "DEADLINES", "MET", "MISSED"])
        api = self.d.call("GET", "/v1/report?from=2026-04-01&to=2026-06-01&by=workflow",
                          token=self.sup)["rows"]
        self.assertEqual([(r["WORKFLOW"], r["DEADLINES"], r["MISSED"]) for r in rows],
                         [(x["key"], str(x["deadlines"]), str(x["missed"])) for x in api])
        for r, x in zip(rows, api):
            self.assertEqual(r["DELAY MEDIAN"], "%.2f days" % x["delay_median_days"]
                             if x["delay_median_days"] is not None else "-")
            self.assertEqual(r["MET SHARE"], "%.0f%%" % (x["met_share"] * 100)
                             if x["met_share"] is not None else "-")
        out, _ = self.cli("--json", "report", "--from", "2026-04-01", "--to", "2026-06-01")
        self.assertEqual(json.loads(out)["by"], "team")
        # --json writes the figures as the server rounded them.
        self.assertIsNone(re.search(r"\d\.\d{3,}", out), out)
        out, _ = self.cli("report", "--from", "2027-01-01", "--to", "2027-02-01")
        self.assertTrue(out.endswith("none\n"), out)
        for args in (("--from", "2026-04-01"), ("--to", "2026-06-01"),
                     ("--from", "2026-04-31", "--to", "2026-06-01"),
                     ("--from", "2026-04-01", "--to", "2026-06-01", "--by", "reference")):
            _, err = self.cli("report", *args, expect=2)
            self.assertIn("usage: termijnctl", err)
        _, err = self.cli("report", "--from", "2026-06-01", "--to", "2026-04-01", expect=1)
        self.assertIn("400", err)


if __name__ == "__main__":
    unittest.main()
