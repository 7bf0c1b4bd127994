"""Destroyed data leaves the files even while someone reads (issue 16).

Retention deletes with SQLite's secure_delete, which zeroes the rows in the
database file, but the pages as they were stay in the WAL, and a reader
that holds an older snapshot (a backup, an offline termijnctl, the thread
that counts cases for /metrics) keeps both the WAL and the old pages in
the database file from being overwritten.  termijnd keeps trying to
truncate the WAL until it can, for retention.scrub_timeout seconds, and
the retention run's answer says whether the bytes are gone.

Each test holds a read snapshot from another connection (Python's sqlite3,
BEGIN and a SELECT), destroys cases with recognisable notes, and looks for
those notes in the bytes of every file beside the database.
"""

import datetime
import os
import subprocess
import sys

from harness import (FakeClock, TermijnTestCase, bytes_found, local, prometheus_samples,
                     source_dir, termijnctl_path, termijnd_path, wait_until,
                     workflows_with)
from test_retention import KORT

NCASES = 30
KEPT_NOTE = "notitie-blijft-bewaard-ree"


def note(i):
    return "notitie-vernietig-%02d-zebra" % i


def long_note(i):
    """The note, in a text long enough that the notes of the destroyed
    cases fill whole pages, which destruction frees."""
    return note(i) + " " + "bla " * 200


def reference(i):
    return "KORT-WEG-%02d" % i


def dir_files(db):
    """Every file in the database's directory: the database, its WAL and
    shared memory, and anything else left there."""
    d = os.path.dirname(db)
    return [os.path.join(d, n) for n in sorted(os.listdir(d))
            if os.path.isfile(os.path.join(d, n))]


READER = r"""
import sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10,
                      isolation_level=None)
con.execute("BEGIN")
print(con.execute("SELECT count(*) FROM cases").fetchone()[0], flush=True)
sys.stdin.readline()
con.execute("COMMIT")
con.close()
"""


class Reader:
    """A read snapshot held open on the database by another process, as a
    backup or an offline termijnctl holds one: Python's sqlite3, BEGIN and
    a SELECT, until released.  Another process, because a process that
    closes any descriptor of a file loses its locks on it (POSIX), and the
    test reads the database's files."""

    def __init__(self, db):
        self.proc = subprocess.Popen([sys.executable, "-c", READER, db], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.seen = int(self.proc.stdout.readline())

    def release(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.assert_exit(self.proc.wait(30))
            self.proc.stdout.close()
            self.proc = None

    @staticmethod
    def assert_exit(rc):
        assert rc == 0, "the reader exited %d" % rc


class ScrubTest(TermijnTestCase):

    def start(self, **config):
        day = datetime.date(2026, 3, 2)
        self.clock = FakeClock(self.tmpdir, local(day.year, day.month, day.day, 10))
        self.day = day
        self.db = os.path.join(self.tmpdir, "var", "termijn.db")
        self.d = self.start_daemon(clock=self.clock, config=config or None, db=self.db,
                                   workflows=workflows_with(self.tmpdir, {"kort.yaml": KORT}))
        return self.d

    def populate(self):
        """NCASES kort cases, each closed with a recognisable note; then the
        clock past their retention, and one more closed then, with a note
        of its own, which is kept.  Returns the words that must go."""
        d = self.d
        for i in range(NCASES):
            cid = d.create_case("kort", reference(i), "jeugd-noord")["id"]
            d.event(cid, "done", note=long_note(i))
        # Closed cases kept one day: three days later they are past it.
        later = self.day + datetime.timedelta(days=3)
        self.clock.set(local(later.year, later.month, later.day, 10))
        # One closed now is kept: its note must stay.
        self.kept = d.create_case("kort", "KORT-BLIJFT", "jeugd-noord")["id"]
        d.event(self.kept, "done", note=KEPT_NOTE)
        return [note(i) for i in range(NCASES)] + [reference(i) for i in range(NCASES)]

    def secrets_left(self, secrets):
        return bytes_found(dir_files(self.db), secrets)

    def metrics(self):
        r = self.d.request("GET", "/metrics")
        self.assertEqual(r.status, 200, r.raw)
        return prometheus_samples(r.raw.decode())

    def retention(self, limit=None):
        q = "/v1/retention" + ("?limit=%d" % limit if limit else "")
        r = self.d.request("POST", q, token=self.d.admin_token)
        self.assertEqual(r.status, 200, r.raw)
        return r.body

    def ctl(self, *args):
        env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (self.d.host, self.d.port),
                   TERMIJN_TOKEN=self.d.admin_token)
        p = subprocess.run([termijnctl_path()] + list(args), env=env, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p.stdout, p.stderr

    def test_bytes_leave_every_file_once_the_reader_ends(self):
        d = self.start()
        secrets = self.populate()
        self.assertEqual({n for _, n in self.secrets_left(secrets)}, set(secrets),
                         "the search does not see the notes before retention")
        reader = Reader(self.db)
        self.addCleanup(reader.release)
        self.assertEqual(reader.seen, NCASES + 1)

        # Over the API: the run destroys, and says the bytes are not gone yet.
        r = self.retention(limit=10)
        self.assertEqual(len(r["destroyed"]), 10)
        self.assertEqual(r["more"], True)
        self.assertIs(r["scrubbed"], False, r)
        # Over the CLI: the same, in words.
        out, err = self.ctl("retention", "run")
        self.assertIn("destroyed %d cases past their retention" % (NCASES - 10), out)
        self.assertIn("still in the database's files", out)
        self.assertIn("a reader holds an older snapshot", out)
        out, _ = self.ctl("--json", "retention", "run", "--dry-run")
        self.assertIn('"scrubbed": false', out)
        self.assertTrue(self.secrets_left(secrets), "gone while the reader still reads")
        s = self.metrics()
        self.assertEqual(s["termijn_scrub_pending"], 1)
        self.assertEqual(s["termijn_scrub_given_up_total"], 0)

        # No write comes after: the bytes go once the reader is done.
        reader.release()
        wait_until(lambda: not self.secrets_left(secrets), timeout=20, interval=0.1,
                   what="the destroyed notes gone from %s" % dir_files(self.db))
        # What was kept is still there (the search sees the data), and
        # the pages destruction freed are free, zeroed (secure_delete).
        self.assertTrue(bytes_found(dir_files(self.db), [KEPT_NOTE]))
        self.assertGreater(d.db_query("PRAGMA freelist_count")[0][0], 0)
        self.assertEqual(d.case(self.kept)["state"], "closed")
        r = self.retention()
        self.assertEqual((r["destroyed"], r["scrubbed"]), ([], True), r)
        out, _ = self.ctl("retention", "run")
        self.assertEqual(out, "destroyed 0 cases past their retention\n")
        s = self.metrics()
        self.assertEqual(s["termijn_scrub_pending"], 0)
        self.assertGreaterEqual(s["termijn_scrub_retries_total"], 1)
        self.assertEqual(s["termijn_scrub_given_up_total"], 0)
        logged = d.syslog.messages()
        self.assertTrue(any("scrub: a reader holds a snapshot older than the destruction"
                            in m for m in logged), logged)
        self.assertTrue(any("scrub: the bytes of destroyed cases are gone from the"
                            " database's files" in m for m in logged), logged)
        for m in logged:
            for s in secrets:
                self.assertNotIn(s, m)
        d.stop()
        self.assertEqual(self.secrets_left(secrets), [])

    def test_gives_up_after_the_bound_and_the_next_run_finishes(self):
        d = self.start(retention={"scrub_timeout": 1})
        secrets = self.populate()
        reader = Reader(self.db)
        self.addCleanup(reader.release)
        r = self.retention()
        self.assertEqual(len(r["destroyed"]), NCASES)
        self.assertIs(r["scrubbed"], False, r)

        # No scrape of /metrics meanwhile: its count is a reader too.
        wait_until(lambda: any("scrub: gave up removing the bytes of destroyed cases" in m
                               for m in d.syslog.messages()),
                   timeout=15, interval=0.1, what="termijnd giving up")
        self.assertTrue(self.secrets_left(secrets))
        # Given up, it stays so until a run asks again: no reader holds
        # it back any more, and the answer is at once that the bytes are gone.
        reader.release()
        r = self.retention()
        self.assertEqual((r["destroyed"], r["scrubbed"]), ([], True), r)
        self.assertEqual(self.secrets_left(secrets), [])
        s = self.metrics()
        self.assertEqual(s["termijn_scrub_given_up_total"], 1)
        self.assertEqual(s["termijn_scrub_pending"], 0)
        self.assertGreaterEqual(s["termijn_scrub_retries_total"], 2)
        d.stop()

    def test_scrub_timeout_is_checked(self):
        cfg = os.path.join(self.tmpdir, "bad.yaml")
        with open(cfg, "w") as f:
            f.write("retention:\n  scrub_timeout: 0\n")
        p = subprocess.run([termijnd_path(), "--check", "--config", cfg, "--workflows",
                            os.path.join(source_dir(), "workflows")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(cfg + ":2:18: scrub_timeout must be from 1", p.stdout + p.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
