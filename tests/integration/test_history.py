"""A case's history runs forward, whatever the clock does: a transition is
never dated before the one before it.  The clock moves with faketime."""

import unittest

from harness import FakeClock, TermijnTestCase, local, parse_time, wait_until

FAST = {"scheduler": {"recheck_interval": 0.1}}


class HistoryTest(TermijnTestCase):

    def test_clock_moved_back_keeps_history_in_order(self):
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config=FAST)
        yw = d.make_token("youth-worker", "youth_worker", ("jeugd-noord",))
        cid = d.create_case()["id"]

        # The family's 6 weeks pass at 2026-02-17T00:00: the case moves on.
        clock.set(local(2026, 2, 17, 0, 0, 5))
        wait_until(lambda: d.case(cid)["state"] == "youth_worker_reports",
                   what="the first deadline to pass")
        # The host's clock is set back a week, and the youth worker reports.
        clock.set(local(2026, 2, 10, 12, 0), backwards=True)
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "youth_worker_reported", "basis": "consent"},
                      token=yw)
        self.assertEqual(r.status, 200, r.raw)

        ts = d.transitions(cid)
        ats = [parse_time(t["at"]) for t in ts]
        self.assertEqual([t["cause"] for t in ts], ["create", "deadline", "event"])
        self.assertEqual(ats, sorted(ats), ts)
        # It took the moment of the deadline before it, not the clock's.
        self.assertEqual(ts[2]["at"], ts[1]["at"], ts)
        self.assertEqual(ts[2]["at"], "2026-02-17T00:00:00+01:00", ts)
        self.assertEqual(ts[2]["basis"], "consent", ts)
        self.assertEqual(d.case(cid)["state_since"], ts[2]["at"])
        m = d.request("GET", "/metrics").body.decode()
        self.assertIn("termijn_history_clock_corrections_total 1\n", m)

        # With the clock right again, a transition has its own moment.
        clock.set(local(2026, 3, 2, 9, 0))
        d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "worker"})
        ts = d.transitions(cid)
        self.assertEqual(ts[3]["at"][:16], "2026-03-02T09:00", ts)
        m = d.request("GET", "/metrics").body.decode()
        self.assertIn("termijn_history_clock_corrections_total 1\n", m)


if __name__ == "__main__":
    unittest.main()
