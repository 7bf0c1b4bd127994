"""termijnctl backup: a consistent, verified copy of the database while
termijnd works, and a restore from it that holds every case acknowledged
before the backup began."""

import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading

from harness import Daemon, TermijnTestCase, termijnctl_path, wait_until


def ctl(*args):
    return subprocess.run([termijnctl_path()] + list(args), capture_output=True,
                          text=True, timeout=300)


class Writer(threading.Thread):
    """Registers cases over HTTP, one after another, as fast as they are
    answered; keeps the reference of every one acknowledged (201)."""

    def __init__(self, d):
        super().__init__(daemon=True)
        self.d = d
        self.acked = []
        self.errors = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self):
        conn = http.client.HTTPConnection(self.d.host, self.d.port, timeout=30)
        hdrs = {"Authorization": "Bearer " + self.d.token,
                "Content-Type": "application/json"}
        i = 0
        try:
            while not self.stop.is_set():
                i += 1
                ref = "B-2026-%06d" % i
                conn.request("POST", "/v1/cases", json.dumps(
                    {"workflow": "zelfmelding", "reference": ref, "team": "jeugd-noord"}),
                    hdrs)
                r = conn.getresponse()
                r.read()
                if r.status != 201:
                    self.errors.append((ref, r.status))
                    continue
                with self.lock:
                    self.acked.append(ref)
        except Exception as e:  # reported by the test
            self.errors.append(repr(e))
        finally:
            conn.close()

    def snapshot(self):
        with self.lock:
            return list(self.acked)


class BackupTest(TermijnTestCase):

    def test_backup_under_write_load_restores_every_acknowledged_case(self):
        d = self.start_daemon()
        w = Writer(d)
        w.start()
        self.addCleanup(w.stop.set)
        # A load that means something, however busy the machine is.
        wait_until(lambda: len(w.snapshot()) >= 100 or w.errors, timeout=60,
                   what="100 registrations acknowledged")
        before = w.snapshot()            # acknowledged before the backup began
        out = os.path.join(self.tmpdir, "backup", "termijn.db")
        os.mkdir(os.path.dirname(out))
        r = ctl("backup", "--db", d.db, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "check integrity: ok\ncheck audit chain: ok\n"
                         "backup of %s written to %s\n" % (d.db, out))
        # Writes went on meanwhile, and go on after it.
        wait_until(lambda: len(w.snapshot()) >= len(before) + 20 or w.errors, timeout=60,
                   what="registrations after the backup")
        w.stop.set()
        w.join(30)
        self.assertEqual(w.errors, [])
        self.assertGreater(len(w.acked), len(before), "no write went on during the backup")
        # Only the backup itself is left: no temporary copy beside it.
        self.assertEqual(os.listdir(os.path.dirname(out)), ["termijn.db"])
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        d.stop()

        # The restore procedure of the README: stop, put the copy in place
        # (without the old -wal and -shm), start.
        restored = os.path.join(self.tmpdir, "restored")
        os.mkdir(restored)
        shutil.copy(out, os.path.join(restored, "termijn.db"))
        d2 = Daemon(restored, start=False)
        self.addCleanup(d2.close)
        d2.token, d2.admin_token = d.token, d.admin_token
        d2.start()
        found = set()
        cursor = None
        while True:
            q = "/v1/cases?limit=500" + ("&cursor=" + cursor if cursor else "")
            r = d2.request("GET", q)
            self.assertEqual(r.status, 200, r.raw)
            found.update(c["reference"] for c in r.body["cases"])
            cursor = r.body.get("next_cursor")
            if not cursor:
                break
        missing = [ref for ref in before if ref not in found]
        self.assertEqual(missing, [], "%d acknowledged cases are not in the backup"
                         % len(missing))
        # Nothing that was never acknowledged either.
        self.assertLessEqual(found, set(w.acked))
        self.assertEqual(d2.db_query("PRAGMA integrity_check")[0][0], "ok")
        d2.create_case(reference="B-2026-AFTER")
        d2.stop()

    def test_refusals_leave_nothing_behind(self):
        d = self.start_daemon()
        d.create_case()
        out = os.path.join(self.tmpdir, "out.db")
        with open(out, "w") as f:
            f.write("keep me")
        r = ctl("backup", "--db", d.db, out)
        self.assertEqual(r.returncode, 2)
        self.assertIn("exists already (--force replaces it)", r.stderr)
        with open(out) as f:
            self.assertEqual(f.read(), "keep me")
        r = ctl("backup", "--db", d.db, "--force", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(out)
        self.assertEqual(con.execute("SELECT count(*) FROM cases").fetchone()[0], 1)
        con.close()

        r = ctl("backup", "--db", os.path.join(self.tmpdir, "nothere.db"),
                os.path.join(self.tmpdir, "x.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("nothere.db", r.stderr)
        r = ctl("backup", os.path.join(self.tmpdir, "x.db"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--db is required", r.stderr)

        # A copy whose audit chain is broken is no backup.
        tampered = os.path.join(self.tmpdir, "tampered.db")
        r = ctl("backup", "--db", d.db, tampered)
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(tampered)
        con.execute("DROP TRIGGER transitions_no_update")
        con.execute("UPDATE transitions SET actor = 'someone else' WHERE id = 1")
        con.commit()
        con.close()
        r = ctl("backup", "--db", tampered, os.path.join(self.tmpdir, "x.db"))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("the copy failed the audit chain check: transition 1", r.stderr)
        self.assertIn("check integrity: ok", r.stdout)
        self.assertFalse(any(n.startswith("x.db") for n in os.listdir(self.tmpdir)))

        # A database of another schema version is refused, and left alone.
        newer = os.path.join(self.tmpdir, "newer.db")
        con = sqlite3.connect(newer)
        con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
        r = ctl("backup", "--db", newer, os.path.join(self.tmpdir, "x.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("has schema version 99", r.stderr)
        self.assertIn("no backup was made", r.stderr)
        self.assertFalse(any(n.startswith("x.db") for n in os.listdir(self.tmpdir)),
                         os.listdir(self.tmpdir))
        d.stop()


LOCKER = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA locking_mode = EXCLUSIVE")
con.execute("BEGIN EXCLUSIVE")
con.execute("SELECT count(*) FROM cases").fetchone()
print("locked", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
con.close()
"""


class Locker:
    """The database locked by another process, so that a backup's first
    read of it waits (5 s, its busy timeout) with its copy already made."""

    def __init__(self, db):
        self.proc = subprocess.Popen([sys.executable, "-c", LOCKER, db], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait(30)
            self.proc.stdout.close()
            self.proc = None


class InterruptedBackupTest(TermijnTestCase):
    """A backup that does not finish leaves no copy of every case behind:
    a signal removes it at once; after kill -9 the next backup removes it,
    and says so."""

    def setUp(self):
        super().setUp()
        d = self.start_daemon()
        for i in range(3):
            d.create_case(reference="K-2026-%04d" % i)
        d.stop()
        self.d = d
        self.db = d.db
        self.out = os.path.join(self.tmpdir, "backups")
        os.mkdir(self.out)

    def files(self):
        return sorted(os.listdir(self.out))

    def start_backup(self, name):
        p = subprocess.Popen([termijnctl_path(), "backup", "--db", self.db,
                              os.path.join(self.out, name)], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        return p

    def stalled_backup(self, name):
        """A backup of the locked database, its copy made: (process,
        the copy's name)."""
        p = self.start_backup(name)
        tmp = wait_until(lambda: [n for n in self.files() if n.startswith(name + ".tmp-")],
                         timeout=10, interval=0.005, what="the backup's copy")
        self.assertIsNone(p.poll())
        return p, tmp[0]

    def test_a_signal_removes_the_copy(self):
        locker = Locker(self.db)
        self.addCleanup(locker.release)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            p, tmp = self.stalled_backup("termijn-%d.db" % sig)
            p.send_signal(sig)
            out, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, -sig, out + err)
            self.assertEqual(self.files(), [], "left after %s" % signal.Signals(sig).name)

    def test_the_next_backup_removes_what_kill_9_left(self):
        # Another database to back up while this one is locked.
        other = os.path.join(self.tmpdir, "other.db")
        shutil.copy(self.db, other)
        locker = Locker(self.db)
        self.addCleanup(locker.release)
        killed, tmp = self.stalled_backup("termijn-2026-11-27.db")
        running, running_tmp = self.stalled_backup("termijn-running.db")
        killed.kill()
        killed.communicate(timeout=30)
        self.assertEqual(self.files(), sorted([tmp, running_tmp]),
                         "kill -9 left no copy: the test proves nothing")

        # The next backup into that directory removes the copy kill -9
        # left, and leaves alone the one a running backup is making.
        r = ctl("backup", "--db", other, os.path.join(self.out, "termijn-2026-11-28.db"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "removed %s, the copy of a backup that was interrupted\n"
                         "check integrity: ok\ncheck audit chain: ok\n"
                         "backup of %s written to %s\n" % (
                             os.path.join(self.out, tmp), other,
                             os.path.join(self.out, "termijn-2026-11-28.db")))
        self.assertEqual(self.files(), sorted(["termijn-2026-11-28.db", running_tmp]))
        locker.release()
        out, err = running.communicate(timeout=60)
        self.assertEqual(running.returncode, 0, out + err)
        self.assertNotIn("removed", out)
        self.assertEqual(self.files(), ["termijn-2026-11-28.db", "termijn-running.db"])

    def test_the_next_backup_removes_the_side_files_too(self):
        # kill -9 while the copy is checked, when SQLite has its -wal and
        # -shm beside it: a database with enough in it to take a while.
        self.d.start()
        w = Writer(self.d)
        w.start()
        self.addCleanup(w.stop.set)
        wait_until(lambda: len(w.snapshot()) >= 300 or w.errors, timeout=120,
                   what="300 registrations")
        w.stop.set()
        w.join(30)
        self.assertEqual(w.errors, [])
        self.d.stop()
        p = self.start_backup("termijn.db")
        shm = wait_until(lambda: [n for n in self.files() if n.endswith("-shm")] or
                         p.poll() is not None, timeout=60, interval=0.001,
                         what="the copy's -wal and -shm")
        p.kill()
        p.communicate(timeout=30)
        self.assertIsInstance(shm, list, "the backup finished before its check was seen")
        tmp = shm[0][:-len("-shm")]
        self.assertEqual(self.files(), sorted([tmp, tmp + "-shm", tmp + "-wal"]))
        r = ctl("backup", "--db", self.db, os.path.join(self.out, "termijn-next.db"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("removed %s (and its -wal, -shm), the copy of a backup that was"
                      " interrupted\n" % os.path.join(self.out, tmp), r.stdout)
        self.assertEqual(self.files(), ["termijn-next.db"])


if __name__ == "__main__":
    import unittest
    unittest.main()
