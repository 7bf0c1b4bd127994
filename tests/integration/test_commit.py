"""Group commit: writes that arrive together share a transaction, and every
acknowledged write is in the database.  Observed through GET /metrics."""

import http.client
import json
import threading
import unittest

from harness import Daemon, TempDir, audit_verify, prometheus_samples

CLIENTS = 32
PER_CLIENT = 10


def metrics(d):
    r = d.request("GET", "/metrics")
    assert r.status == 200, r
    return prometheus_samples(r.raw.decode())


class GroupCommitTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir("commit")
        self.addCleanup(self.tmp.cleanup)
        self.d = Daemon(self.tmp.path)
        self.addCleanup(self.d.close)

    def test_concurrent_writes_share_transactions(self):
        before = metrics(self.d)
        barrier = threading.Barrier(CLIENTS)
        acked, failures = [], []

        def client(n):
            conn = http.client.HTTPConnection(self.d.host, self.d.port, timeout=60)
            barrier.wait()
            for i in range(PER_CLIENT):
                ref = "Z-2026-C%02d-%02d" % (n, i)
                conn.request("POST", "/v1/cases", json.dumps(
                    {"workflow": "zelfmelding", "reference": ref, "team": "jeugd-noord"}),
                    {"Authorization": "Bearer " + self.d.token,
                     "Content-Type": "application/json"})
                r = conn.getresponse()
                body = r.read()
                if r.status == 201:
                    acked.append(ref)
                else:
                    failures.append((r.status, body))
            conn.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(failures, [])
        self.assertEqual(len(acked), CLIENTS * PER_CLIENT)

        after = metrics(self.d)
        writes = after["termijn_writes_total"] - before["termijn_writes_total"]
        commits = after["termijn_commits_total"] - before["termijn_commits_total"]
        self.assertEqual(writes, CLIENTS * PER_CLIENT)
        # Without group commit every write is a transaction of its own.
        self.assertLess(commits, writes,
                        "%d writes took %d commits: no write shared one" % (writes, commits))
        self.assertGreater(after["termijn_commit_batch_max"], 1)
        # The only writer: its batches never found the database busy.
        self.assertEqual(after["termijn_store_busy_retries_total"], 0)
        # Each committed batch was flushed to disk off the event loop
        # before it was answered; a flush may cover several batches.
        flushed = (after["termijn_commit_flushed_total"] -
                   before["termijn_commit_flushed_total"])
        flushes = (after["termijn_commit_flushes_total"] -
                   before["termijn_commit_flushes_total"])
        self.assertEqual(flushed, commits)
        self.assertGreaterEqual(flushes, 1)
        self.assertLessEqual(flushes, flushed)

        refs = [r[0] for r in self.d.db_query("SELECT reference FROM cases")]
        self.assertEqual(sorted(refs), sorted(acked))
        # Many transitions in each batch, the chain's head moved once per
        # commit: the chain holds, up to the head the database keeps.
        status, out = audit_verify(self.d.db)
        self.assertEqual(status, 0, out)
        head = self.d.db_query("SELECT id FROM chain_head")[0][0]
        self.assertEqual(head, self.d.db_query("SELECT max(id) FROM transitions")[0][0])

    def test_a_refused_write_does_not_undo_its_neighbours(self):
        # A refused event and good registrations in one burst: the refusal
        # rolls back alone.
        case = self.d.create_case(reference="Z-2026-0700")
        conns = [http.client.HTTPConnection(self.d.host, self.d.port, timeout=30)
                 for _ in range(8)]
        hdrs = {"Authorization": "Bearer " + self.d.token,
                "Content-Type": "application/json"}
        for i, c in enumerate(conns):
            if i % 2:
                c.request("POST", "/v1/cases/%d/events" % case["id"],
                          json.dumps({"event": "close"}), hdrs)
            else:
                c.request("POST", "/v1/cases", json.dumps(
                    {"workflow": "stabilisatie", "reference": "Z-2026-071%d" % i,
                     "team": "jeugd-zuid"}), hdrs)
        statuses = []
        for c in conns:
            r = c.getresponse()
            r.read()
            statuses.append(r.status)
            c.close()
        self.assertEqual(statuses, [201, 409] * 4)
        self.assertEqual(len(self.d.db_query(
            "SELECT id FROM cases WHERE workflow = 'stabilisatie'")), 4)
        self.assertEqual(self.d.case(case["id"])["state"], "awaiting_self_report")
        # The batch rolled back and applied again in savepoints: the chain
        # holds, and goes on after it.
        status, out = audit_verify(self.d.db)
        self.assertEqual(status, 0, out)
        self.d.create_case(reference="Z-2026-0799")
        status, out = audit_verify(self.d.db)
        self.assertEqual(status, 0, out)

    def test_metrics_need_a_token(self):
        r = self.d.request("GET", "/metrics", token=None)
        self.assertEqual(r.status, 401)


if __name__ == "__main__":
    unittest.main()
