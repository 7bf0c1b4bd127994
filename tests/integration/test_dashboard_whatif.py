"""Wat als on a running case's page (issue 20), in Debian's Chromium.

tests/browser/whatif.test.mjs drives the page, as dashboard.test.mjs does
(test_dashboard.py).  This file makes two cases of beslistermijn on a fake
clock: one whose decision period was suspended on 12 January (the applicant
was asked to complete the application), one that runs; the supervisor asks
what would follow.  Around the browser's run it checks what the page cannot
see: termijnd stored nothing for the questions (the same transitions,
deadlines, rungs and outbox) and logged no read beyond those of the pages
the supervisor opened."""

import collections
import os
import unittest

from harness import FakeClock, HarnessError, TermijnTestCase, local
from test_dashboard import CHROMIUM, browser_test, npm_ci

CONFIG = {"scheduler": {"recheck_interval": 0.05}}


class WhatIfPageTest(TermijnTestCase):

    def stored(self):
        return [self.d.db_query("SELECT * FROM %s ORDER BY id" % t)
                for t in ("transitions", "deadlines", "rungs", "outbox", "cases")]

    def test_wat_als(self):
        if not os.access(CHROMIUM, os.X_OK):
            raise HarnessError("no %s: contrib/install-deps.sh test installs chromium"
                               % CHROMIUM)
        npm_ci()
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 9, 0))
        self.d = d = self.start_daemon(clock=clock, config=CONFIG)
        chef = d.make_token("chef", "supervisor", ["jeugd-noord"])
        a = d.create_case("beslistermijn", "B-2026-0001", "jeugd-noord")["id"]
        b = d.create_case("beslistermijn", "B-2026-0002", "jeugd-noord")["id"]
        clock.set(local(2026, 1, 12, 10, 0))
        d.event(a, "request_completion", note="Bankafschriften ontbreken.")
        clock.set(local(2026, 1, 20, 11, 0))
        before = self.stored()
        reads = d.db_query("SELECT coalesce(max(id), 0) FROM reads")[0][0]
        world = {"tokens": {"chef": chef}, "names": {"chef": "chef"},
                 "cases": {"B-2026-0001": a, "B-2026-0002": b}}
        browser_test(self, d, "whatif.test.mjs", world, "case-whatif.png")
        # Nothing stored: no transition, no deadline or rung changed, nothing
        # to send, no case.
        self.assertEqual(self.stored(), before)
        # Each case page was opened once: its case and its history read, once
        # each; the questions added no read of their own.
        added = d.db_query("SELECT case_id, what FROM reads WHERE id > ?", (reads,))
        for cid in (a, b):
            whats = collections.Counter(w for c, w in added if c == cid)
            self.assertEqual(whats["case"], 1, added)
            self.assertEqual(whats["history"], 1, added)
            self.assertFalse([w for w in whats if "simul" in w], added)


if __name__ == "__main__":
    unittest.main()
