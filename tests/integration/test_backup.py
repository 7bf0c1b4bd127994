"""termijnctl backup: a consistent, verified copy of the database while
termijnd works, and a restore from it that holds every case acknowledged
before the backup began."""

import http.client
import json
import os
import shutil
import sqlite3
import subprocess
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


if __name__ == "__main__":
    import unittest
    unittest.main()
