"""The WAL shrinks back after a burst (issue 16).

SQLite writes the WAL from its start again once all of it is copied back
into the database, but never makes the file smaller: a burst of writes
while a reader held an old snapshot left it at tens of megabytes for good,
beside a database of a few.  termijnd cuts it back to at most 16 MiB
(README, after the umask) once the burst is over: when a second passes
without a write, or when a second's writes fill less than a quarter of it.
"""

import http.client
import json
import os
import threading

from harness import TermijnTestCase, prometheus_samples, wait_until
from test_scrub import Reader

LIMIT = 16 * 1024 * 1024


class Burst:
    """Registrations from a few clients at once until stopped."""

    def __init__(self, d, clients=4):
        self.d = d
        self.stop = threading.Event()
        self.errors = []
        self.done = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(k,), daemon=True)
                        for k in range(clients)]
        for t in self.threads:
            t.start()

    def run(self, k):
        conn = http.client.HTTPConnection(self.d.host, self.d.port, timeout=30)
        hdrs = {"Authorization": "Bearer " + self.d.token,
                "Content-Type": "application/json"}
        i = 0
        try:
            while not self.stop.is_set():
                i += 1
                conn.request("POST", "/v1/cases", json.dumps(
                    {"workflow": "zelfmelding", "reference": "W-%d-%05d" % (k, i),
                     "team": "jeugd-noord"}), hdrs)
                r = conn.getresponse()
                r.read()
                if r.status != 201:
                    self.errors.append(r.status)
                with self.lock:
                    self.done += 1
        except Exception as e:  # reported by the test
            self.errors.append(repr(e))
        finally:
            conn.close()

    def end(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)
        return self.errors


class WalTest(TermijnTestCase):

    def wal(self):
        return os.path.getsize(self.d.db + "-wal")

    def grow(self):
        """A burst while a reader holds a snapshot, so that nothing of it
        can be copied back: the WAL grows past the limit."""
        reader = Reader(self.d.db)
        self.addCleanup(reader.release)
        burst = Burst(self.d)
        self.addCleanup(burst.end)
        wait_until(lambda: self.wal() > LIMIT + (2 << 20) or burst.errors, timeout=120,
                   interval=0.05, what="the WAL past %d bytes" % LIMIT)
        self.assertEqual(burst.end(), [])
        grown = self.wal()
        self.assertGreater(grown, LIMIT)
        reader.release()
        return grown

    def metrics(self):
        r = self.d.request("GET", "/metrics")
        self.assertEqual(r.status, 200, r.raw)
        return prometheus_samples(r.raw.decode())

    def test_truncated_when_no_write_follows(self):
        self.d = self.start_daemon()
        grown = self.grow()
        # Nothing is written after the burst: termijnd's checkpointer cuts it.
        wait_until(lambda: self.wal() <= LIMIT, timeout=20, interval=0.1,
                   what="the WAL (%d bytes after the burst) back to at most %d"
                   % (grown, LIMIT))
        # Counted just after the truncation itself.
        s = wait_until(lambda: (lambda s: s if s["termijn_wal_truncations_total"] else None)(
            self.metrics()), timeout=5, what="the truncation counted")
        self.assertEqual(s["termijn_wal_truncations_total"], 1)
        self.assertLessEqual(s["termijn_wal_bytes"], LIMIT)
        # Nothing lost: every case is there, and writes go on.
        self.assertEqual(self.d.db_query("PRAGMA integrity_check")[0][0], "ok")
        self.d.create_case(reference="W-AFTER")
        self.d.stop()

    def test_cut_back_while_writes_go_on(self):
        self.d = self.start_daemon()
        grown = self.grow()
        # Writes go on, ten a second: the WAL is never idle for a second,
        # but they need only a little of it.
        stop = threading.Event()
        errors = []

        def trickle():
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    self.d.create_case(reference="T-%05d" % i)
                except Exception as e:  # reported below
                    errors.append(repr(e))
                    return
                stop.wait(0.1)
        t = threading.Thread(target=trickle, daemon=True)
        t.start()
        self.addCleanup(stop.set)
        try:
            wait_until(lambda: self.wal() <= LIMIT or errors, timeout=20, interval=0.1,
                       what="the WAL (%d bytes after the burst) back to at most %d"
                       % (grown, LIMIT))
        finally:
            stop.set()
            t.join(30)
        self.assertEqual(errors, [])
        self.assertLessEqual(self.wal(), LIMIT)
        self.d.stop()


if __name__ == "__main__":
    import unittest
    unittest.main()
