"""A careless edit of a workflow never stops the deadlines of running cases.

A workflow file changed without raising its version, or one with errors, is
refused on its own, at start and on SIGHUP: termijnd starts and goes on, the
cases run on the text the database keeps, and the refusal is in the log, in
/metrics and in GET /v1/workflows.  termijnctl check --db and termijnd
--check --db find such a file before it is loaded, with the fix."""

import os
import re
import signal
import subprocess
import unittest

import harness
from harness import (FakeClock, TermijnTestCase, local, prometheus_samples,
                     run_termijnctl, wait_until, workflows_with)

FAST = {"scheduler": {"recheck_interval": 0.1}}


def shipped_text():
    with open(os.path.join(harness.source_dir(), "workflows", "zelfmelding.yaml")) as f:
        return f.read()


def shipped_version():
    return int(re.search(r"^version: (\d+)$", shipped_text(), re.M).group(1))


def zelfmelding(version, weeks):
    """The shipped zelfmelding as `version`, its first deadline `weeks` weeks."""
    text = shipped_text()
    assert "period: 6 weeks" in text, \
        "the shipped zelfmelding.yaml changed shape; adapt this test"
    return re.sub(r"^version: \d+$", "version: %d" % version, text, count=1,
                  flags=re.M).replace("period: 6 weeks", "period: %d weeks" % weeks)


class PinnedTest(TermijnTestCase):
    """A termijnd on a copy of the shipped workflows, its clock on Monday
    5 January 2026: a zelfmelding case registered then has 6 weeks, its
    deadline passing at 2026-02-17T00:00."""

    def setUp(self):
        super().setUp()
        self.v = shipped_version()
        self.wf = workflows_with(self.tmpdir, {})
        self.path = os.path.join(self.wf, "zelfmelding.yaml")
        self.clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        self.d = self.start_daemon(clock=self.clock, config=FAST, workflows=self.wf)

    def edit(self, text):
        with open(self.path, "w") as f:
            f.write(text)

    def hup(self):
        """SIGHUP, and wait for the reload's summary in the log."""
        before = self.loads()
        os.kill(self.d.pid, signal.SIGHUP)
        wait_until(lambda: self.loads() > before, what="the reload's summary")

    def loads(self):
        return sum(m.startswith("workflows from ") for m in self.d.syslog.messages())

    def metrics(self):
        return prometheus_samples(self.d.request("GET", "/metrics").body.decode())

    def workflows(self):
        return self.d.call("GET", "/v1/workflows")

    def file_entry(self, body, name="zelfmelding.yaml"):
        entries = [f for f in body["files"] if f["path"] == os.path.join(self.wf, name)]
        self.assertEqual(len(entries), 1, body["files"])
        return entries[0]

    def current(self, body, name="zelfmelding"):
        return [w for w in body["workflows"] if w["name"] == name][0]

    def assert_fires(self, cid):
        """The case's first deadline passes when the clock says so."""
        self.clock.set(local(2026, 2, 17, 0, 0, 5))
        self.d.wait_state(cid, "youth_worker_reports")
        t = self.d.transitions(cid)[-1]
        self.assertEqual((t["cause"], t["at"]), ("deadline", "2026-02-17T00:00:00+01:00"))

    def assert_refused(self, body):
        fix = "raise version to %d" % (self.v + 1)
        f = self.file_entry(body)
        self.assertEqual((f["workflow"], f["version"], f["status"]),
                         ("zelfmelding", self.v, "refused"), f)
        self.assertIn("differs from the text the database keeps", f["reason"])
        self.assertIn(fix, f["reason"])
        self.assertEqual([g["status"] for g in body["files"] if g is not f],
                         ["loaded"] * (len(body["files"]) - 1), body["files"])
        self.assertTrue(any(m.startswith("workflow file %s refused: " % self.path)
                            and fix in m for m in self.d.syslog.messages()),
                        self.d.syslog.messages())
        self.assertEqual(self.metrics()["termijn_workflow_files_refused"], 1)
        # New cases, too, get the text the database keeps: 6 weeks.
        cur = self.current(body)
        self.assertEqual(cur["version"], self.v)
        self.assertEqual(cur["states"][0]["deadline"]["period"], "P6W")

    def test_restart_with_an_edited_file_keeps_firing(self):
        cid = self.d.create_case()["id"]
        body = self.workflows()
        self.assertEqual(self.file_entry(body),
                         {"path": self.path, "workflow": "zelfmelding",
                          "version": self.v, "status": "loaded", "reason": None})
        self.assertEqual(body["reloaded_at"][:16], "2026-01-05T10:00", body)
        self.assertEqual(self.metrics()["termijn_workflow_files_refused"], 0)

        self.d.stop()
        self.edit(zelfmelding(self.v, 9))
        self.d.start()
        self.assert_refused(self.workflows())
        c = self.d.create_case()
        self.assertEqual((c["version"], c["deadlines"][0]["period"]), (self.v, "P6W"))
        self.assert_fires(cid)

    def test_sighup_refuses_the_edit_then_loads_the_fix(self):
        old = self.d.create_case()["id"]

        self.edit(zelfmelding(self.v, 9))
        self.hup()
        self.assert_refused(self.workflows())
        m = self.metrics()
        self.assertEqual(m['termijn_workflow_reloads_total{outcome="partial"}'], 1)
        self.assertEqual(m['termijn_workflow_reloads_total{outcome="ok"}'], 0)
        # termijnctl workflows says so too, beside its table.
        ctl = run_termijnctl("--url", "http://%s:%d" % (self.d.host, self.d.port),
                             "--token", self.d.token, "workflows")
        self.assertEqual(ctl.returncode, 0, ctl.stderr)
        self.assertRegex(ctl.stdout, r"(?m)^zelfmelding +%d " % self.v)
        self.assertIn("termijnctl: termijnd refused %s: workflow zelfmelding "
                      "version %d differs" % (self.path, self.v), ctl.stderr)
        self.assert_fires(old)

        # The fix: the version raised.  New cases get it, the old one stays.
        self.edit(zelfmelding(self.v + 1, 9))
        self.hup()
        body = self.workflows()
        self.assertEqual([f["status"] for f in body["files"]],
                         ["loaded"] * len(body["files"]), body["files"])
        self.assertEqual(self.file_entry(body)["version"], self.v + 1)
        self.assertEqual(self.current(body)["version"], self.v + 1)
        m = self.metrics()
        self.assertEqual(m["termijn_workflow_files_refused"], 0)
        self.assertEqual(m['termijn_workflow_reloads_total{outcome="ok"}'], 1)
        new = self.d.create_case()
        self.assertEqual((new["version"], new["deadlines"][0]["period"]),
                         (self.v + 1, "P9W"))
        self.assertEqual(self.d.case(old)["version"], self.v)

        # Both stay on their versions across a restart.
        self.d.restart()
        self.assertEqual(self.d.case(old)["version"], self.v)
        self.assertEqual(self.d.case(new["id"])["version"], self.v + 1)
        self.assertEqual(self.d.case(new["id"])["deadlines"][0]["period"], "P9W")

    def test_broken_file_at_start_keeps_firing(self):
        cid = self.d.create_case()["id"]
        self.d.stop()
        self.edit("workflow: zelfmelding\nversion: [\n")
        self.d.start()
        f = self.file_entry(self.workflows())
        self.assertEqual((f["workflow"], f["version"], f["status"]),
                         (None, None, "refused"), f)
        # Where in the file, without the path the entry names already.
        self.assertRegex(f["reason"], r"^\d+:\d+: ")
        self.assertEqual(self.current(self.workflows())["version"], self.v)
        self.assertEqual(self.metrics()["termijn_workflow_files_refused"], 1)
        self.assert_fires(cid)



class NothingToRunOnTest(TermijnTestCase):

    def test_no_workflow_at_all_refuses_to_start(self):
        """A new database and no file that loads: nothing could ever fire."""
        wf = os.path.join(self.tmpdir, "workflows")
        os.mkdir(wf)
        with open(os.path.join(wf, "zelfmelding.yaml"), "w") as f:
            f.write("workflow: zelfmelding\n")
        d = self.start_daemon(workflows=wf, start=False)
        rc, err = d.start_refused()
        self.assertNotEqual(rc, 0)
        self.assertIn("no workflow to run on", err)
        self.assertIn("zelfmelding.yaml refused", err)


def termijnd_check(*args):
    return subprocess.run([harness.termijnd_path(), "--check"] + list(args),
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


class CheckDatabaseTest(TermijnTestCase):
    """termijnctl check --db and termijnd --check compare the files with the
    versions the database keeps, reading it only."""

    def setUp(self):
        super().setUp()
        self.v = shipped_version()
        self.wf = workflows_with(self.tmpdir, {})
        self.path = os.path.join(self.wf, "zelfmelding.yaml")
        self.d = self.start_daemon(workflows=self.wf)
        self.d.create_case()
        self.db = self.d.db

    def edit(self, text):
        with open(self.path, "w") as f:
            f.write(text)

    def checks(self, *extra):
        """(exit status, stdout) of termijnctl check and termijnd --check."""
        ctl = run_termijnctl("check", "--workflows", self.wf, *extra)
        d = termijnd_check("--workflows", self.wf, *extra)
        return (ctl.returncode, ctl.stdout), (d.returncode, d.stdout)

    def test_a_changed_version_is_an_error_with_the_fix(self):
        ok = ((0, "OK\n"), (0, "OK\n"))
        self.assertEqual(self.checks("--db", self.db), ok)

        self.edit(zelfmelding(self.v, 9))
        want = ("%s: workflow zelfmelding version %d differs from the text the "
                "database keeps for that version, which cases may run on; raise "
                "version to %d\n" % (self.path, self.v, self.v + 1))
        self.assertEqual(self.checks("--db", self.db), ((1, want), (1, want)))
        # Without a database, the files alone are fine.
        self.assertEqual(self.checks(), ok)

        self.assertTrue(self.d.healthy())

        self.edit(zelfmelding(self.v + 1, 9))
        self.assertEqual(self.checks("--db", self.db), ok)

        # Never written: with termijnd stopped, the database stays byte
        # for byte as it was, a changed file or not.
        self.d.stop()
        with open(self.db, "rb") as f:
            before = f.read()
        self.edit(zelfmelding(self.v, 9))
        self.assertEqual([c[0] for c in self.checks("--db", self.db)], [1, 1])
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_termijnd_check_compares_with_the_configured_database(self):
        conf = os.path.join(self.tmpdir, "check.yaml")
        with open(conf, "w") as f:
            f.write("db: %s\nworkflows: %s\n" % (self.db, self.wf))
        self.edit(zelfmelding(self.v, 9))
        r = termijnd_check("--config", conf)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("raise version to %d" % (self.v + 1), r.stdout)

        # A database that is not there yet: nothing to compare with, said so.
        with open(conf, "w") as f:
            f.write("db: %s/none.db\nworkflows: %s\n" % (self.tmpdir, self.wf))
        r = termijnd_check("--config", conf)
        self.assertEqual((r.returncode, r.stdout), (0, "OK\n"), r.stderr)
        self.assertIn("not compared", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmpdir, "none.db")))

    def test_a_named_database_must_be_there(self):
        missing = os.path.join(self.tmpdir, "missing.db")
        ctl = run_termijnctl("check", "--workflows", self.wf, "--db", missing)
        self.assertEqual(ctl.returncode, 1)
        self.assertIn(missing, ctl.stderr)
        d = termijnd_check("--workflows", self.wf, "--db", missing)
        self.assertEqual(d.returncode, 1)
        self.assertIn(missing, d.stdout)
        self.assertFalse(os.path.exists(missing))


if __name__ == "__main__":
    unittest.main()
