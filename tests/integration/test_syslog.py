"""A syslog daemon that falls behind (issue 18): termijnd keeps answering
while nobody reads its syslog lines, and when the reader reads again every
committed transition's line arrives, once, in the order of the commits.

The syslog socket is the test's own (harness.SyslogSink), whose reader the
test stops: what termijnd sends then stays in the socket's queue, which
holds a few datagrams (net.unix.max_dgram_qlen) before a sender blocks.
Before the lines went through a thread of their own, termijnd's event loop
blocked in that send and no request was answered until the reader went on.
"""

import datetime
import signal

from harness import (FakeClock, TermijnTestCase, local, midnight_after,
                     prometheus_samples, wait_until)

# Far more transitions than a stalled socket's queue and the sender's
# buffer hold (10 datagrams by default; about 200 lines of buffer).
CASES = 150


class SyslogStallTest(TermijnTestCase):

    def scrape(self, d):
        return prometheus_samples(d.call("GET", "/metrics", token=d.admin_token).decode())

    def transitions_of(self, d, ids):
        """The syslog transition lines of these cases: (case, cause)."""
        wanted = set(ids)
        return [(int(t["case"]), t["cause"]) for t in d.syslog.transitions()
                if int(t["case"]) in wanted]

    def test_a_stalled_reader_holds_nothing_up_and_loses_nothing(self):
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config={"scheduler": {"recheck_interval": 0.05}})
        first = d.create_case("zelfmelding", "STIL-0000", "jeugd-noord")["id"]
        wait_until(lambda: self.transitions_of(d, [first]) == [(first, "create")],
                   what="the first case's line in syslog")

        d.syslog.pause()
        seen = len(d.syslog.lines())
        # Registrations are answered, one after the other, while nobody
        # reads syslog: each is committed, so each has a line waiting.
        ids = [d.create_case("zelfmelding", "STIL-%04d" % i, "jeugd-noord")["id"]
               for i in range(1, CASES + 1)]
        # Reads are answered too.
        self.assertEqual(d.case(ids[0])["state"], "awaiting_self_report")
        # The family's six weeks from Monday 5 January end on Monday
        # 16 February: from 00:00 on the 17th every deadline has passed,
        # and each case's deadline is a transition with a line of its own.
        clock.set(midnight_after(datetime.date(2026, 2, 16)))
        for cid in ids:
            self.assertEqual(d.wait_state(cid, "youth_worker_reports")["state"],
                             "youth_worker_reports")
        s = self.scrape(d)
        self.assertGreater(s["termijn_syslog_queue_bytes"], 0)
        self.assertEqual(s["termijn_syslog_waits_total"], 0)
        # All of it while the reader read nothing.
        self.assertEqual(len(d.syslog.lines()), seen)

        d.syslog.resume()
        expect = 2 * CASES
        wait_until(lambda: len(self.transitions_of(d, ids)) >= expect, 30,
                   what="%d transition lines after the reader went on" % expect)
        got = self.transitions_of(d, ids)
        # Each line once: a registration and a deadline for every case.
        self.assertEqual(sorted(got), sorted([(cid, c) for cid in ids
                                              for c in ("create", "deadline")]))
        # The registrations in the order they were made, each case's
        # registration before its deadline.
        self.assertEqual([cid for cid, c in got if c == "create"], ids)
        for cid in ids:
            self.assertLess(got.index((cid, "create")), got.index((cid, "deadline")))
        # And the deadlines in the order they were committed: the order of
        # the audit chain.
        chain = [row[0] for row in d.db_query(
            "SELECT case_id FROM transitions WHERE cause = 'deadline' ORDER BY id")
                 if row[0] in ids]
        self.assertEqual([cid for cid, c in got if c == "deadline"], chain)
        wait_until(lambda: self.scrape(d)["termijn_syslog_queue_bytes"] == 0,
                   what="an empty syslog queue")
        d.stop()

    def test_lines_waiting_at_a_stop_are_sent_before_termijnd_exits(self):
        d = self.start_daemon()
        first = d.create_case("zelfmelding", "STOP-0000", "jeugd-noord")["id"]
        wait_until(lambda: self.transitions_of(d, [first]) == [(first, "create")],
                   what="the first case's line in syslog")
        d.syslog.pause()
        ids = [d.create_case("zelfmelding", "STOP-%04d" % i, "jeugd-noord")["id"]
               for i in range(1, CASES + 1)]
        # SIGTERM while the lines wait.  termijnd closes down and says
        # "stopped" on stderr (which nobody holds up); only then does the
        # reader go on.
        d.proc.send_signal(signal.SIGTERM)
        wait_until(lambda: "stopped\n" in d.stderr_text(), 30,
                   what="termijnd's last line on stderr")
        d.syslog.resume()
        d.stop(sent=True)
        # What termijnd sent is in the socket; the test's reader takes it.
        wait_until(lambda: "stopped" in d.syslog.messages(), what="the last syslog line")
        self.assertEqual(self.transitions_of(d, ids), [(cid, "create") for cid in ids])
        self.assertEqual(d.syslog.messages()[-1], "stopped")

    def test_a_syslog_daemon_gone_holds_nothing_up(self):
        d = self.start_daemon()
        first = d.create_case("zelfmelding", "WEG-0000", "jeugd-noord")["id"]
        wait_until(lambda: self.transitions_of(d, [first]) == [(first, "create")],
                   what="the first case's line in syslog")
        # The syslog daemon goes away: its socket refuses what is sent.
        d.syslog.close()
        ids = [d.create_case("zelfmelding", "WEG-%04d" % i, "jeugd-noord")["id"]
               for i in range(1, 21)]
        self.assertEqual(d.case(ids[-1])["state"], "awaiting_self_report")
        d.stop()
        # The lines are lost to syslog, but stderr has each of them.
        stderr = d.stderr_text()
        for cid in ids:
            self.assertIn("transition case=%d workflow=zelfmelding" % cid, stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
