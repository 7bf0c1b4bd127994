"""Running termijnd as a service: sd_notify without systemd (a datagram
socket of the test's own stands in for NOTIFY_SOCKET), the watchdog's
pings, the pid file, one termijnd per database, and a database newer than
the binary."""

import hashlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time

from harness import (Daemon, DatagramSink, TermijnTestCase, source_dir,
                     termijnctl_path, termijnd_path, wait_until)


class NotifySocket(DatagramSink):
    """What termijnd sends to $NOTIFY_SOCKET, one datagram a message."""

    def texts(self):
        return [text for _, text in self.datagrams()]

    def lines(self):
        return [line for text in self.texts() for line in text.split("\n")]

    def times_of(self, line):
        return [t for t, text in self.datagrams() if line in text.split("\n")]


class ServiceTest(TermijnTestCase):

    def notify_socket(self):
        ns = NotifySocket(os.path.join(self.tmpdir, "notify.sock"))
        self.addCleanup(ns.close)
        return ns

    def test_sd_notify_ready_status_watchdog_reload_stop(self):
        ns = self.notify_socket()
        d = self.start_daemon(env={"NOTIFY_SOCKET": ns.path, "WATCHDOG_USEC": "200000"})
        wait_until(lambda: "READY=1" in ns.lines(), what="READY=1")
        ready = [t for t in ns.texts() if "READY=1" in t.split("\n")][0]
        self.assertRegex(ready, r"STATUS=ready: listening on 127\.0\.0\.1:%d, \d+ workflow"
                         % d.port)
        # The first STATUS says what it is doing before it is ready.
        self.assertTrue(ns.lines()[0].startswith("STATUS=opening the database "),
                        ns.texts())
        # Pings every 100 ms, half of WATCHDOG_USEC.
        time.sleep(1.0)
        pings = ns.times_of("WATCHDOG=1")
        self.assertGreaterEqual(len(pings), 6, ns.texts())
        gaps = [b - a for a, b in zip(pings[1:], pings[2:])]
        self.assertLess(max(gaps), 0.5, gaps)

        # A stopped loop stops pinging; the pings come back with it.
        d.proc.send_signal(signal.SIGSTOP)
        n = len(ns.times_of("WATCHDOG=1"))
        time.sleep(0.6)
        self.assertEqual(len(ns.times_of("WATCHDOG=1")), n)
        d.proc.send_signal(signal.SIGCONT)
        wait_until(lambda: len(ns.times_of("WATCHDOG=1")) > n + 2, what="pings again")

        # systemctl reload: SIGHUP, RELOADING=1, then READY=1 again.
        before = len(ns.texts())
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: sum("READY=1" in t.split("\n") for t in ns.texts()[before:]),
                   what="READY=1 after the reload")
        after = [t for t in ns.texts()[before:] if "WATCHDOG=1" != t]
        self.assertIn("RELOADING=1", after[0].split("\n"), after)
        self.assertTrue(d.healthy())

        d.stop()
        self.assertIn("STOPPING=1", ns.lines())

    def test_no_watchdog_without_watchdog_usec(self):
        ns = self.notify_socket()
        self.start_daemon(env={"NOTIFY_SOCKET": ns.path})
        wait_until(lambda: "READY=1" in ns.lines(), what="READY=1")
        time.sleep(0.3)
        self.assertNotIn("WATCHDOG=1", ns.lines())

    def test_pidfile(self):
        pidfile = os.path.join(self.tmpdir, "run", "termijnd.pid")
        os.mkdir(os.path.dirname(pidfile))
        d = self.start_daemon(extra_args=["--pidfile", pidfile])
        with open(pidfile) as f:
            self.assertEqual(f.read(), "%d\n" % d.pid)
        self.assertEqual(os.stat(pidfile).st_mode & 0o777, 0o644)
        # Nothing half-written is left beside it.
        self.assertEqual(os.listdir(os.path.dirname(pidfile)), ["termijnd.pid"])

        # A second termijnd on the same pid file refuses to start.
        r = subprocess.run([termijnd_path(), "--listen", "127.0.0.1:0", "--db",
                            os.path.join(self.tmpdir, "other.db"), "--pidfile", pidfile,
                            "--foreground"], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("termijnd already runs as process %d" % d.pid, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmpdir, "other.db")))
        with open(pidfile) as f:
            self.assertEqual(f.read(), "%d\n" % d.pid)

        d.stop()
        self.assertFalse(os.path.exists(pidfile))

        # A stale file (its process is another program, or gone) is replaced;
        # the configuration file names it as well.
        with open(pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
        second = os.path.join(self.tmpdir, "second")
        os.mkdir(second)
        d2 = Daemon(second, config={"pidfile": pidfile})
        self.addCleanup(d2.close)
        with open(pidfile) as f:
            self.assertEqual(f.read(), "%d\n" % d2.pid)
        d2.stop()
        self.assertFalse(os.path.exists(pidfile))

    def test_unit_verifies_and_is_hardened(self):
        """contrib/systemd/termijnd.service, with this build's termijnd (the
        package test checks the installed one the same way)."""
        with open(os.path.join(source_dir(), "contrib", "systemd", "termijnd.service")) as f:
            text = f.read()
        unit = os.path.join(self.tmpdir, "termijnd.service")
        with open(unit, "w") as f:
            f.write(text.replace("/usr/sbin/termijnd", termijnd_path()))
        r = subprocess.run(["systemd-analyze", "verify", "--man=no", unit],
                           capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))
        r = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit],
                           capture_output=True, text=True)
        m = re.search(r"Overall exposure level for termijnd\.service: (\d+\.\d+)", r.stdout)
        self.assertIsNotNone(m, r.stdout + r.stderr)
        self.assertLessEqual(float(m.group(1)), 2.0, r.stdout)
        self.assertIn("\nExecReload=/bin/kill -HUP $MAINPID\n", text)
        self.assertIn("\nType=notify\n", text)

    def newer_db(self):
        path = os.path.join(self.tmpdir, "newer.db")
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE from_the_future (x)")
        con.execute("INSERT INTO from_the_future VALUES (1)")
        con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        return path, digest

    def assertUnchanged(self, path, digest):
        with open(path, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest)
        self.assertEqual(sorted(os.listdir(os.path.dirname(path))), ["newer.db"])

    def test_newer_database_refused_and_unchanged(self):
        path, digest = self.newer_db()
        r = subprocess.run([termijnd_path(), "--listen", "127.0.0.1:0", "--db", path,
                            "--foreground"], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("%s: made by a newer termijn (schema version 99; this one knows "
                      "versions up to" % path, r.stderr)
        self.assertIn("the file was not changed", r.stderr)
        self.assertNotIn("listening", r.stdout)
        self.assertUnchanged(path, digest)

        r = subprocess.run([termijnctl_path(), "token", "create", "--db", path, "--name",
                            "x", "--role", "admin"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("made by a newer termijn (schema version 99", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertUnchanged(path, digest)


class FirstStartTest(TermijnTestCase):

    def test_the_admin_token_waits_for_a_start_that_succeeds(self):
        """A first start that cannot listen (the port is taken) makes no
        admin token: the next start, which listens, shows one."""
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        self.addCleanup(s.close)
        db = os.path.join(self.tmpdir, "first.db")
        r = subprocess.run([termijnd_path(), "--listen", "127.0.0.1:%d" % s.getsockname()[1],
                            "--db", db, "--workflows", os.path.join(source_dir(), "workflows"),
                            "--foreground"],
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Address already in use", r.stderr)
        self.assertNotIn("admin token", r.stdout + r.stderr)
        r = subprocess.run([termijnctl_path(), "token", "list", "--db", db, "--json"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["tokens"], [])
        p = subprocess.Popen([termijnd_path(), "--listen", "127.0.0.1:0", "--db", db,
                              "--workflows", os.path.join(source_dir(), "workflows"),
                              "--foreground"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
        try:
            shown = []
            for line in p.stdout:
                shown.append(line)
                if "listening on" in line:
                    break
            self.assertRegex("".join(shown), r"admin token \(shown once\): tmj_")
        finally:
            p.terminate()
            p.communicate(timeout=60)


class OneDaemonPerDatabaseTest(TermijnTestCase):
    """Two termijnd on one SQLite file would both run its deadlines, each
    blind to what the other queued: the second refuses to start and names
    the first, which serves on.  Offline tools still open the database, and
    a termijnd killed with kill -9 leaves nothing that blocks a restart."""

    def second(self, name, db):
        """A termijnd of its own (stderr, syslog) on db, not started.  It gets
        the first one's admin token: were it to start, it would run."""
        tmp = os.path.join(self.tmpdir, name)
        os.mkdir(tmp)
        d2 = Daemon(tmp, db=db, start=False)
        self.addCleanup(d2.close)
        return d2

    def test_a_second_termijnd_on_the_same_database_refuses(self):
        d = self.start_daemon()
        cid = d.create_case()["id"]
        lock = d.db + ".lock"

        d2 = self.second("second", d.db)
        d2.admin_token = d.admin_token
        rc, err = d2.start_refused()
        self.assertEqual(rc, 1, err)
        self.assertIn("database %s is in use by termijnd (pid %d); one termijnd per"
                      " SQLite database" % (d.db, d.pid), err)
        # The same file through a symbolic link is the same database.
        link = os.path.join(self.tmpdir, "link.db")
        os.symlink(d.db, link)
        d3 = self.second("third", link)
        d3.admin_token = d.admin_token
        rc, err = d3.start_refused()
        self.assertEqual(rc, 1, err)
        self.assertIn("database %s is in use by termijnd (pid %d)" % (link, d.pid), err)

        # The first serves on, reads and writes.
        self.assertEqual(d.case(cid)["state"], "awaiting_self_report")
        d.event(cid, "family_reported")
        self.assertEqual(d.case(cid)["state"], "self_reported")
        with open(lock) as f:
            self.assertEqual(f.read(), "%d\n" % d.pid)

        # Offline tools open the database while it runs, as before.
        r = subprocess.run([termijnctl_path(), "token", "create", "--db", d.db, "--name",
                            "ops", "--role", "admin"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("tmj_"), r.stdout)
        r = subprocess.run([termijnd_path(), "--check", "--db", d.db, "--workflows",
                            d.workflows], capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (0, "OK\n"), r.stderr)

        # kill -9 leaves the lock file naming the dead one; it blocks nothing.
        dead = d.pid
        d.kill9()
        with open(lock) as f:
            self.assertEqual(f.read(), "%d\n" % dead)
        d.start()
        self.assertEqual(d.case(cid)["state"], "self_reported")
        with open(lock) as f:
            self.assertEqual(f.read(), "%d\n" % d.pid)
        # A clean stop leaves it naming nobody.
        d.stop()
        with open(lock) as f:
            self.assertEqual(f.read(), "")


if __name__ == "__main__":
    import unittest
    unittest.main()
