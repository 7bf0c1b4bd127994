"""Deadlines prepared ahead of their moment and committed at it.

termijnd fires what falls due at one moment before the moment, on a second
connection, and commits it when its wall clock reaches the moment
(scheduler.prepare_ahead).  What a user would notice, and what these tests
assert with a real termijnd and its clock moved (never slept past):
- nothing of the batch is seen before the moment: every case still in its
  state, no transition in the database, and the batch waits (a gauge says
  how many rungs);
- at the moment every deadline has passed, each transition dated at the
  moment, in one commit, and the audit chain verifies;
- a write that arrives before the moment comes first: the family that
  reports a few seconds before the deadline is not escalated, and the
  other cases still escalate at the moment (a read over the API is a write
  too, for the read log: the states are read from the database here);
- a termijnd killed while a batch waits loses the batch and nothing else:
  after a restart nothing has fired before the moment, and everything at it.
"""

import datetime
import unittest

from harness import FakeClock, TermijnTestCase, audit_verify, local, wait_until

START = local(2026, 1, 5, 10)
DUE = local(2026, 2, 17)		# 6 weeks after 5 January, Atw
DUE_MS = int(DUE.timestamp() * 1000)
TEAM = "jeugd-noord"
CASES = 5


class PreparedTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, START)
        self.d = self.start_daemon(clock=self.clock, config={
            "scheduler": {"recheck_interval": 0.1, "prepare_ahead": 30}})
        self.ids = [self.d.create_case("zelfmelding", "P-%d" % i, TEAM)["id"]
                    for i in range(CASES)]

    def metrics(self):
        text = self.d.request("GET", "/metrics", token=self.d.admin_token).raw.decode()
        out = {}
        for line in text.splitlines():
            for name in ('termijn_fire_prepared_total{outcome="committed"}',
                         'termijn_fire_prepared_total{outcome="abandoned"}',
                         "termijn_fire_prepared_rungs"):
                if line.startswith(name + " "):
                    out[name.split('"')[1] if '"' in name else "waiting"] = \
                        int(line.split()[1])
        return out

    def passed(self):
        """Deadline transitions committed, as (case, at)."""
        return self.d.db_query("SELECT case_id, at FROM transitions"
                               " WHERE cause = 'deadline' ORDER BY case_id")

    def states(self):
        """From the database: a read over the API is a write (the read log),
        which would come first and give the batch up."""
        return [self.d.db_query("SELECT state FROM cases WHERE id = ?", (cid,))[0][0]
                for cid in self.ids]

    def prepare(self):
        """The clock 20 s before the moment; the batch waits for it."""
        self.clock.set(DUE - datetime.timedelta(seconds=20))
        wait_until(lambda: self.metrics()["waiting"] == CASES, timeout=10,
                   what="%d rungs prepared ahead of their moment" % CASES)
        self.assertEqual(self.passed(), [], "a deadline passed before its moment")
        self.assertEqual(self.states(), ["awaiting_self_report"] * CASES)

    def verify(self):
        rc, out = audit_verify(self.d.db)
        self.assertEqual(rc, 0, out)

    def test_committed_at_the_moment_never_before(self):
        self.prepare()
        self.clock.set(DUE)
        wait_until(lambda: len(self.passed()) == CASES, timeout=10,
                   what="every deadline passed at its moment")
        self.assertEqual(self.passed(), [(cid, DUE_MS) for cid in self.ids])
        self.assertEqual(self.states(), ["youth_worker_reports"] * CASES)
        m = self.metrics()
        self.assertEqual((m["committed"], m["abandoned"], m["waiting"]), (1, 0, 0))
        self.verify()

    def test_a_write_before_the_moment_comes_first(self):
        self.prepare()
        self.assertEqual(self.metrics()["abandoned"], 0)
        first = self.ids[0]
        self.assertEqual(self.d.event(first, "family_reported")["state"], "self_reported")
        m = self.metrics()
        self.assertEqual((m["abandoned"], m["waiting"]), (1, 0))
        self.clock.set(DUE)
        wait_until(lambda: len(self.passed()) == CASES - 1, timeout=10,
                   what="the other deadlines passed at their moment")
        self.assertEqual(self.passed(), [(cid, DUE_MS) for cid in self.ids[1:]])
        self.assertEqual(self.states(),
                         ["self_reported"] + ["youth_worker_reports"] * (CASES - 1))
        self.assertEqual(self.metrics()["committed"], 0)
        self.verify()

    def test_killed_while_a_batch_waits(self):
        self.prepare()
        self.d.kill9()
        self.d.start()
        self.assertEqual(self.passed(), [], "a prepared batch survived its process")
        self.assertEqual(self.states(), ["awaiting_self_report"] * CASES)
        self.clock.set(DUE)
        wait_until(lambda: len(self.passed()) == CASES, timeout=10,
                   what="every deadline passed at its moment after the restart")
        self.assertEqual(self.passed(), [(cid, DUE_MS) for cid in self.ids])
        self.verify()


if __name__ == "__main__":
    unittest.main()
