"""Disk full: writes answer 503 and change nothing, reads of cases answer
503 too (a read is answered only when its row in the read log is kept: no
log, no read), termijnd stays alive, nothing acknowledged is lost, and
writes and reads resume when space returns, without a restart.  The
database lives on a small tmpfs of the test's own."""

import os
import subprocess
import time
import unittest

from harness import TermijnTestCase, run_termijnctl, wait_until

SIZE = "4m"


class DiskFullTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.mnt = os.path.join(self.tmpdir, "small")
        os.mkdir(self.mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", self.mnt],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, "cannot mount a tmpfs (root needed): " + r.stderr)
        # Cleanups run last in, first out: the daemon stops before this.
        self.addCleanup(subprocess.run, ["umount", "-l", self.mnt])

    def fill(self):
        """Take every byte left on the tmpfs."""
        path = os.path.join(self.mnt, "filler")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for size in (65536, 512, 1):
                try:
                    while os.write(fd, b"\0" * size) > 0:
                        pass
                except OSError:
                    pass
        finally:
            os.close(fd)
        return path

    def test_writes_answer_503_and_resume_when_space_returns(self):
        d = self.start_daemon(db=os.path.join(self.mnt, "termijn.db"))
        acked = []
        for i in range(20):
            c = d.create_case(reference="F-2026-%04d" % i)
            acked.append(c["reference"])
        filler = self.fill()

        refused = None
        for i in range(20, 2000):
            ref = "F-2026-%04d" % i
            r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                                "reference": ref, "team": "t"})
            if r.status == 201:
                acked.append(ref)
                continue
            refused = r
            break
        self.assertIsNotNone(refused, "2000 registrations on a full disk were all accepted")
        self.assertProblem(refused, 503, "disk")
        self.assertTrue(d.healthy())
        # Alive, but not ready: it cannot write.
        self.assertProblem(d.request("GET", "/readyz", token=None), 503, "cannot write",
                           "disk full")
        # A read that cannot be logged is not answered, and shows nothing.
        # What a refused write got of the WAL file before the disk was full
        # may still take a few rows of the read log: those reads are logged
        # and answered, until the log cannot be written.
        for _ in range(100):
            r = d.request("GET", "/v1/cases?limit=5")
            if r.status != 200:
                break
        self.assertProblem(r, 503, "disk")
        self.assertNotIn(b"F-2026-", r.raw)
        reads = d.db_query("SELECT count(*) FROM reads")[0][0]

        os.unlink(filler)
        # Ready again once a probe finds room, before any write shows it.
        wait_until(lambda: d.request("GET", "/readyz", token=None).status == 200,
                   timeout=5, what="/readyz 200 after space returned")
        c = d.create_case(reference="F-2026-9999")
        acked.append(c["reference"])
        r = d.request("GET", "/v1/cases?limit=5")
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(d.db_query("SELECT count(*) FROM reads")[0][0], reads + 5)

        refs = {row[0] for row in d.db_query("SELECT reference FROM cases")}
        self.assertEqual(refs, set(acked))
        self.assertEqual(d.db_query("PRAGMA integrity_check")[0][0], "ok")
        d.stop()

    def test_not_ready_while_writes_are_refused(self):
        """A little room back (less than a registration needs) let the
        one-page write probe succeed: /readyz said 200 while every
        registration was refused with 503.  Ready means a write would
        succeed: it says 503 until there is room for one."""
        d = self.start_daemon(db=os.path.join(self.mnt, "termijn.db"))
        for i in range(20):
            d.create_case(reference="R-2026-%04d" % i)
        filler = self.fill()
        for i in range(20, 2000):
            r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                                "reference": "R-2026-%04d" % i, "team": "t"})
            if r.status != 201:
                break
        self.assertProblem(r, 503, "disk")
        # Room for a page or ten, not for a registration.
        os.truncate(filler, os.path.getsize(filler) - 40960)
        for i in range(3):
            r = d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                                "reference": "S-2026-%04d" % i, "team": "t"})
            self.assertProblem(r, 503, "disk")
            # The probe runs at most once a second: give it its chance.
            time.sleep(1.1)
            self.assertProblem(d.request("GET", "/readyz", token=None), 503, "disk")
        os.unlink(filler)
        wait_until(lambda: d.request("GET", "/readyz", token=None).status == 200,
                   timeout=5, what="/readyz 200 after space returned")
        d.create_case(reference="S-2026-9999")
        d.stop()

    def test_offline_token_create_prints_only_a_stored_token(self):
        """termijnctl token create --db on a full disk printed a token and
        then said it was not valid: now it prints a token only once it is
        stored, and on a full disk nothing but the reason."""
        d = self.start_daemon(db=os.path.join(self.mnt, "termijn.db"))
        for i in range(20):
            d.create_case(reference="T-2026-%04d" % i)
        filler = self.fill()
        p = run_termijnctl("token", "create", "--db", d.db, "--name", "ops-2",
                           "--role", "admin")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertNotIn("tmj_", p.stderr)
        self.assertIn("disk full", p.stderr)
        self.assertEqual(d.db_query("SELECT count(*) FROM tokens WHERE name = 'ops-2'"),
                         [(0,)])
        os.unlink(filler)
        p = run_termijnctl("token", "create", "--db", d.db, "--name", "ops-2",
                           "--role", "admin")
        self.assertEqual(p.returncode, 0, p.stderr)
        token = p.stdout.strip()
        self.assertTrue(token.startswith("tmj_"), p.stdout)
        self.assertEqual(d.request("GET", "/v1/tokens", token=token).status, 200)
        d.stop()


if __name__ == "__main__":
    unittest.main()
