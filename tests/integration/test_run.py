"""contrib/run.sh, a new user's first contact (issue 10): it builds quietly
(the build's output goes to var/build.log and is shown only when the build
fails), starts termijnd, and once termijnd listens says what to do next, with
the admin token again on the first start.  The next steps are followed as
printed, so they must work.

The script runs on a copy of the source tree, as a user's clone would be, with
the real cmake and the real dpkg-query: CI has installed every package the
script would ask for, so nothing is installed, and the release build of the
copy takes a quarter of a minute.  A failed build is a real one too: a
header of the copy broken on purpose."""

import os
import re
import shutil
import signal
import subprocess
import threading

from harness import (SANITIZER_MARKS, SYSLOG_NS, SyslogSink, TermijnTestCase,
                     require_tools, source_dir, termijnctl_path, wait_until)

# What a clone has that the copy leaves out: builds, databases, packages.
LEFT_OUT = shutil.ignore_patterns(".git", "build*", "var", "node_modules")


class RunShTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        require_tools()
        self.top = os.path.join(self.tmpdir, "termijn")
        shutil.copytree(source_dir(), self.top, ignore=LEFT_OUT, symlinks=True)
        self.sink = SyslogSink(self.tmpdir)
        self.addCleanup(self.sink.close)

    def env(self):
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
        return env

    def start(self):
        """run.sh with termijnd on a free port, its output read as it comes."""
        err = open(os.path.join(self.tmpdir, "run-%d.stderr" % len(os.listdir(self.tmpdir))),
                   "w+")
        self.addCleanup(err.close)
        proc = subprocess.Popen(
            [SYSLOG_NS, self.sink.path, "--", "sh", os.path.join(self.top, "contrib", "run.sh"),
             "--listen", "127.0.0.1:0"], env=self.env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=err, text=True)
        lines = []

        def read():
            for line in proc.stdout:
                lines.append(line)
        t = threading.Thread(target=read, daemon=True)
        t.start()

        def stop():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            t.join(10)
            proc.stdout.close()
        self.addCleanup(stop)
        return proc, lines, t, err

    def next_steps(self, lines):
        return wait_until(lambda: "".join(lines) if any(
            "Give each person their own token" in l for l in lines) else None,
            timeout=300, what="the next steps")

    def stop(self, proc, thread, err):
        """SIGTERM reaches termijnd itself, which took run.sh's place."""
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(30), 0)
        thread.join(10)
        self.assertFalse(thread.is_alive(), "the reader of termijnd's output lives on")
        err.seek(0)
        text = err.read()
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, text)
        return text

    def test_first_start_says_what_next(self):
        proc, lines, thread, err = self.start()
        out = self.next_steps(lines)

        # Quiet: one line about the build, its output in the log only.
        self.assertTrue(out.startswith("termijn: building in build-release/ (output in"
                                       " var/build.log) ...\n"), out)
        self.assertNotIn("Building C object", out)
        with open(os.path.join(self.top, "var", "build.log")) as f:
            self.assertRegex(f.read(), r"\[100%\] Built target termijnd")

        token = re.search(r"^termijnd: admin token \(shown once\): (tmj_\S+)$", out, re.M)
        port = re.search(r"^termijnd: listening on 127\.0\.0\.1:(\d+)$", out, re.M)
        self.assertTrue(token and port, out)
        token, port = token.group(1), port.group(1)
        # Said again at the end, with the rest of what to do.
        steps = out[out.index("termijn is running"):]
        for line in ("  cd %s" % self.top,
                     '  export PATH="%s/build-release:$PATH"' % self.top,
                     "  export TERMIJN_URL=http://127.0.0.1:%s" % port,
                     "  export TERMIJN_TOKEN=" + token,
                     "  termijnctl token create --name cw-noord --role caseworker"
                     " --team jeugd-noord > cw-noord.token"):
            self.assertIn(line + "\n", steps)
        self.assertIn("another terminal", steps)

        # The steps work as printed.
        env = dict(os.environ, TERMIJN_URL="http://127.0.0.1:%s" % port,
                   TERMIJN_TOKEN=token)
        for args in (["team", "add", "jeugd-noord", "--title", "Jeugdteam Noord"],
                     ["token", "create", "--name", "cw-noord", "--role", "caseworker",
                      "--team", "jeugd-noord"]):
            p = subprocess.run([termijnctl_path()] + args, env=env, capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(p.returncode, 0, (args, p.stderr))

        text = self.stop(proc, thread, err)
        self.assertNotIn("Building C object", text)
        self.assertEqual([f for f in os.listdir(os.path.join(self.top, "var"))
                          if f.startswith(".run")], [], "the FIFO is left behind")

        # A second start: no token to repeat; how to make one instead.
        proc, lines, thread, err = self.start()
        out = self.next_steps(lines)
        self.assertNotIn("admin token (shown once)", out)
        self.assertNotIn("tmj_" + token[4:], out)
        self.assertIn("  export TERMIJN_TOKEN=tmj_...   # the admin token of the first start",
                      out)
        self.assertIn("  termijnctl token create --db var/termijn.db --name admin-2"
                      " --role admin\n", out)
        self.stop(proc, thread, err)

    def test_a_failed_build_is_shown(self):
        with open(os.path.join(self.top, "include", "termijn", "util.h"), "a") as f:
            f.write("\nint broken_on_purpose(void)\n")
        p = subprocess.run(["sh", os.path.join(self.top, "contrib", "run.sh")],
                           env=self.env(), capture_output=True, text=True, timeout=300,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "termijn: building in build-release/ (output in"
                                   " var/build.log) ...\n")
        self.assertIn("Building C object", p.stderr)
        self.assertRegex(p.stderr, r"util\.h:\d+:\d+: error: ")
        self.assertTrue(p.stderr.endswith("termijn: the build failed (above, and in"
                                          " var/build.log)\n"), p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.top, "var", "termijn.db")))

if __name__ == "__main__":
    import unittest
    unittest.main()
