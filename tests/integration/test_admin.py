"""What an administrator does: check workflows and configuration, reload
workflows with SIGHUP, change a workflow by raising its version."""

import os
import re
import shutil
import signal
import subprocess
import unittest

import harness
from harness import Daemon, TempDir, wait_until

BROKEN = """workflow: zelfmelding
version: 1
start: awaiting_self_report
states:
  awaiting_self_report:
    deadline: { period: 6 weeeks, then: nowhere }
    events: { family_reported: closed }
  closed:
    final: true
"""


def run_check(*args):
    return subprocess.run([harness.termijnd_path(), "--check"] + list(args),
                          capture_output=True, text=True, timeout=60)


class CheckTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir("check")
        self.addCleanup(self.tmp.cleanup)

    def test_shipped_workflows_are_ok(self):
        r = run_check("--workflows", os.path.join(harness.source_dir(), "workflows"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.strip(), "OK")

    def test_every_error_is_reported_with_its_place(self):
        wf = os.path.join(self.tmp.path, "wf")
        os.mkdir(wf)
        path = os.path.join(wf, "zelfmelding.yaml")
        with open(path, "w") as f:
            f.write(BROKEN)
        r = run_check("--workflows", wf)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        out = r.stdout + r.stderr
        self.assertNotIn("OK", out.split())
        lines = [l for l in out.splitlines() if l.strip()]
        # The malformed period and the undefined state, each at its place.
        self.assertTrue(any(l.startswith(path + ":6:") and "weeeks" in l for l in lines), out)
        self.assertTrue(any(l.startswith(path + ":6:") and "nowhere" in l for l in lines), out)

    def test_configuration_errors_are_reported(self):
        conf = os.path.join(self.tmp.path, "termijnd.yaml")
        with open(conf, "w") as f:
            f.write("listen: 127.0.0.1:8470\ncolour: red\nhttp:\n  max_body: lots\n"
                    "scheduler:\n  batch: 0\n  batch_time: 0\n  prepare_ahead: -1\n")
        r = run_check("--config", conf, "--workflows",
                      os.path.join(harness.source_dir(), "workflows"))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        out = r.stdout + r.stderr
        self.assertIn(conf + ":2:1: unknown key \"colour\"", out)
        self.assertIn(conf + ":4:13: max_body must be a whole number", out)
        self.assertIn(conf + ":6:10: batch must be from 1", out)
        self.assertIn(conf + ":7:15: batch_time must be from 0.001 to 10", out)
        self.assertIn(conf + ":8:18: prepare_ahead must be from 0 to 60", out)

    def test_missing_workflow_directory(self):
        r = run_check("--workflows", os.path.join(self.tmp.path, "nope"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope", r.stdout + r.stderr)


def shipped_version():
    src = os.path.join(harness.source_dir(), "workflows", "zelfmelding.yaml")
    with open(src) as f:
        return int(re.search(r"^version: (\d+)$", f.read(), re.M).group(1))


def zelfmelding_version(version, weeks):
    """The shipped zelfmelding as version `version`, with a first deadline of
    `weeks` weeks."""
    src = os.path.join(harness.source_dir(), "workflows", "zelfmelding.yaml")
    with open(src) as f:
        text = f.read()
    assert "period: 6 weeks" in text, \
        "the shipped zelfmelding.yaml changed shape; adapt this test"
    return re.sub(r"^version: \d+$", "version: %d" % version, text, count=1,
                  flags=re.M).replace("period: 6 weeks", "period: %d weeks" % weeks)


class ReloadTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir("reload")
        self.addCleanup(self.tmp.cleanup)
        self.wf = os.path.join(self.tmp.path, "workflows")
        shutil.copytree(os.path.join(harness.source_dir(), "workflows"), self.wf)
        self.d = Daemon(self.tmp.path, workflows=self.wf)
        self.addCleanup(self.d.close)

    def write(self, text):
        with open(os.path.join(self.wf, "zelfmelding.yaml"), "w") as f:
            f.write(text)

    def hup(self):
        os.kill(self.d.pid, signal.SIGHUP)

    def versions(self):
        r = self.d.request("GET", "/v1/workflows")
        self.assertEqual(r.status, 200)
        return {w["name"]: w["version"] for w in r.body["workflows"]}

    def test_new_version_for_new_cases_running_cases_stay(self):
        v = shipped_version()
        old = self.d.create_case(reference="Z-2026-0901")
        self.assertEqual(old["version"], v)
        old_due = old["deadlines"][0]["due"]

        self.write(zelfmelding_version(v + 1, 8))
        self.hup()
        wait_until(lambda: self.versions().get("zelfmelding") == v + 1,
                   what="the next version loaded")
        new = self.d.create_case(reference="Z-2026-0902")
        self.assertEqual(new["version"], v + 1)
        self.assertEqual(new["deadlines"][0]["period"], "P8W")

        again = self.d.case(old["id"])
        self.assertEqual(again["version"], v)
        self.assertEqual(again["deadlines"][0]["period"], "P6W")
        self.assertEqual(again["deadlines"][0]["due"], old_due)

        # Version 1 is gone from the files; after a restart the case still
        # runs on it, from the copy the database keeps.
        self.d.restart()
        self.assertEqual(self.d.case(old["id"])["version"], v)
        self.d.event(old["id"], "family_reported")
        self.assertEqual(self.d.case(old["id"])["state"], "self_reported")

    def test_broken_file_keeps_the_stored_version(self):
        self.write(BROKEN)
        self.hup()
        wait_until(lambda: "zelfmelding.yaml refused" in self.d.stderr_text(),
                   what="the file refused")
        self.assertIn("weeeks", self.d.stderr_text())
        v = shipped_version()
        self.assertEqual(self.versions().get("zelfmelding"), v)
        self.assertEqual(self.d.create_case(reference="Z-2026-0903")["version"], v)

    def test_changed_text_under_the_same_version_is_refused(self):
        self.d.create_case(reference="Z-2026-0904")
        self.write(zelfmelding_version(shipped_version(), 9))
        self.hup()
        wait_until(lambda: "zelfmelding.yaml refused" in self.d.stderr_text(),
                   what="the file refused")
        self.assertIn("raise version to %d" % (shipped_version() + 1),
                      self.d.stderr_text())
        c = self.d.create_case(reference="Z-2026-0905")
        self.assertEqual(c["deadlines"][0]["period"], "P6W")


if __name__ == "__main__":
    unittest.main()
