"""termijnctl simulate --event NAME@DATE[,basis=ID][,note=TEXT]: an event with
what a real event carries besides (POST /v1/cases/{id}/events), through
termijnd and offline alike; and the argument's errors, each named."""

import json
import os

import test_simulate
from harness import TermijnTestCase, local, source_dir


class SimulateCtlTest(TermijnTestCase):

    ctl = test_simulate.SimulateTest.ctl

    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()

    def both(self, workflow, *args):
        """The answer through termijnd, which must be the offline one."""
        online = self.ctl("--json", "simulate", workflow, *args)
        self.assertEqual(online.returncode, 0, online.stderr)
        path = os.path.join(source_dir(), "workflows", workflow + ".yaml")
        offline = self.ctl("--json", "simulate", path, *args)
        self.assertEqual(offline.returncode, 0, offline.stderr)
        self.assertEqual(json.loads(online.stdout), json.loads(offline.stdout))
        return json.loads(online.stdout)

    def test_note_and_basis(self):
        note = "advies van de GGD nodig, volgt in april; vragen@ggd"
        sim = self.both("beslistermijn", "--start", "2026-01-05",
                        "--event", "extend@2026-03-02,note=" + note)
        # The note as given, commas and '@' included; 8 weeks from Monday 5
        # January end on Monday 2 March, 6 more on Monday 13 April.
        self.assertEqual([(t["event"], t.get("note")) for t in sim["transitions"]
                          if t["cause"] == "event"], [("extend", note)])
        self.assertEqual(sim["deadlines"][0]["due"], "2026-04-13")

        # The youth worker reports on the basis given, not on the first the
        # event allows (consent), and with both.
        sim = self.both("zelfmelding", "--start", "2026-01-05",
                        "--event", "youth_worker_reported@2026-02-19,basis=criminal_data,"
                        "note=hennep, zie dossier")
        reported = [t for t in sim["transitions"] if t["event"] == "youth_worker_reported"]
        self.assertEqual([(t["basis"], t["note"]) for t in reported],
                         [("criminal_data", "hennep, zie dossier")])
        sim = self.both("zelfmelding", "--start", "2026-01-05",
                        "--event", "youth_worker_reported@2026-02-19,basis=reporting_code")
        self.assertEqual([t["basis"] for t in sim["transitions"]
                          if t["event"] == "youth_worker_reported"], ["reporting_code"])

    def test_refused(self):
        path = os.path.join(source_dir(), "workflows", "zelfmelding.yaml")
        usage = [
            ("youth_worker_reported@2026-02-19,grondslag=consent", "unknown \"grondslag\""),
            ("youth_worker_reported@2026-02-19,note=", "note is empty"),
            ("youth_worker_reported@2026-02-19,basis=,note=x", "basis is empty"),
            ("youth_worker_reported@2026-02-19,basis=consent,basis=consent", "basis given twice"),
            ("youth_worker_reported@2026-02-19,consent", "\"consent\" is not basis=ID"),
            ("youth_worker_reported@,basis=consent", "NAME@DATE[,basis=ID][,note=TEXT]"),
        ]
        for arg, words in usage:
            for where in ("zelfmelding", path):
                with self.subTest(arg=arg, where=where):
                    p = self.ctl("simulate", where, "--start", "2026-01-05", "--event", arg)
                    self.assertEqual(p.returncode, 2, p.stderr)
                    self.assertIn(words, p.stderr)
                    self.assertEqual(p.stdout, "")
        # A basis the event does not allow, and one for an event that shares
        # nothing: the engine's refusals, naming the event.
        for arg, words in [
                ("youth_worker_reported@2026-02-19,basis=inquiry", "inquiry"),
                ("family_reported@2026-02-02,basis=consent", "does not share information")]:
            for where in ("zelfmelding", path):
                with self.subTest(arg=arg, where=where):
                    p = self.ctl("simulate", where, "--start", "2026-01-05", "--event", arg)
                    self.assertEqual(p.returncode, 1, p.stderr)
                    self.assertIn(words, p.stderr)

    def test_bounds(self):
        """100 events, 1,000 moments, 10 years: beyond each, a clear answer."""
        path = os.path.join(self.tmpdir, "rond.yaml")
        with open(path, "w") as f:
            f.write("workflow: rond\nversion: 1\nroles: [caseworker]\nstart: a\nstates:\n"
                    "  a:\n    deadline: { period: 1 day, then: b }\n"
                    "    events: { stop: { to: z } }\n"
                    "  b:\n    deadline: { period: 1 day, then: a }\n"
                    "    events: { stop: { to: z } }\n"
                    "  z:\n    final: true\n")
        # A workflow that goes round: a period of a day runs out at the end
        # of the day after the state was entered, so each state lasts two
        # days.  It stops at the 1,000th moment at which a deadline passed,
        # 2,000 days after Monday 5 January 2026: Saturday 28 June 2031.
        p = self.ctl("--json", "simulate", path, "--start", "2026-01-05")
        self.assertEqual(p.returncode, 0, p.stderr)
        sim = json.loads(p.stdout)
        self.assertEqual(sim["ended"], "steps")
        self.assertEqual(len([t for t in sim["transitions"] if t["cause"] == "deadline"]), 1000)
        self.assertEqual(sim["until"], "2031-06-28T00:00:00+02:00")
        p = self.ctl("simulate", path, "--start", "2026-01-05", "--event", "stop@2032-01-01")
        self.assertEqual(p.returncode, 1)
        self.assertIn("comes after 1000 moments at which deadlines fell due", p.stderr)
        for where in ("zelfmelding", os.path.join(source_dir(), "workflows", "zelfmelding.yaml")):
            # Eleven years on: refused; nine: looked at.
            p = self.ctl("simulate", where, "--start", "2026-01-05",
                         "--event", "family_reported@2037-01-05")
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn("more than 10 years after 2026-01-05T00:00:00+01:00", p.stderr)
            p = self.ctl("simulate", where, "--start", "2026-01-05",
                         "--event", "family_reported@2026-01-06", "--event", "close@2035-01-05")
            self.assertEqual(p.returncode, 0, p.stderr)
            p = self.ctl("simulate", where, "--start", "2026-01-05",
                         *["--event", "family_reported@2026-01-06"] * 101)
            self.assertEqual(p.returncode, 2)
            self.assertIn("too many events: 101; a simulation takes at most 100", p.stderr)

    def test_usage_names_the_syntax(self):
        p = self.ctl("simulate", "--help")
        self.assertIn("NAME@DATE[,basis=ID][,note=TEXT]", p.stdout + p.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
