"""A catch-up of many overdue deadlines, in batches cut by time.

After downtime (or a clock moved far ahead) many rungs are overdue at
once.  termijnd fires them in transactions of at most scheduler.batch
rungs, and commits one as soon as it has taken scheduler.batch_time, so
that a request that arrives meanwhile waits for the rest of one short
batch, not for the whole catch-up.  With a real termijnd and its clock
moved: every deadline passes, in many more commits than the count limit
alone would make, and the API answers during the catch-up.
"""

import datetime
import unittest

from harness import FakeClock, TermijnTestCase, local, prometheus_samples, wait_until

START = local(2026, 1, 5, 10)
DUE = local(2026, 2, 17)
CASES = 300


class CatchUpTest(TermijnTestCase):

    def metrics(self):
        r = self.d.request("GET", "/metrics", token=self.d.admin_token)
        self.assertEqual(r.status, 200)
        return prometheus_samples(r.raw.decode())

    def passed(self):
        return self.d.db_query("SELECT count(*) FROM transitions WHERE cause = 'deadline'")[0][0]

    def test_batches_are_cut_by_time(self):
        clock = FakeClock(self.tmpdir, START)
        self.d = self.start_daemon(clock=clock, config={"scheduler": {
            "recheck_interval": 0.1, "batch": 512, "batch_time": 0.001,
            "prepare_ahead": 0}})
        ids = [self.d.create_case("zelfmelding", "C-%d" % i, "jeugd-noord")["id"]
               for i in range(CASES)]
        before = self.metrics()
        clock.set(DUE + datetime.timedelta(hours=1))
        # The API answers while the rungs fire.
        self.assertEqual(self.d.case(ids[-1])["reference"], "C-%d" % (CASES - 1))
        wait_until(lambda: self.passed() == CASES, timeout=60,
                   what="every overdue deadline passed")
        after = self.metrics()
        fired = after["termijn_deadlines_fired_total"] - before["termijn_deadlines_fired_total"]
        batches = (after["termijn_fire_batch_rungs_count"] -
                   before["termijn_fire_batch_rungs_count"])
        # The reminder a week before and the deadline itself, of each case.
        self.assertEqual(fired, 2 * CASES)
        # By count alone 512 a batch: two.  Each batch may take a millisecond.
        self.assertGreaterEqual(batches, 10, "%d rungs in %d batches" % (fired, batches))
        self.assertEqual({self.d.case(i)["state"] for i in ids[:: CASES // 10]},
                         {"youth_worker_reports"})


if __name__ == "__main__":
    unittest.main()
