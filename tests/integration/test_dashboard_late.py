"""The supervisor's overview and the page of each case agree on every case
of a small municipality (issue 15), in Debian's Chromium: late and how
late, at risk, running.

tests/browser/late.test.mjs drives the pages, as dashboard.test.mjs does
(test_dashboard.py); this file makes test_late's municipality on a fake
clock and runs it at T1, the morning a deadline passed at midnight
("vandaag verstreken", never "0 dagen te laat"), and again at T2, a day
later, the clock moved in between, never slept on.
"""

import json
import os
import unittest

from harness import HarnessError, TermijnTestCase, build_dir
from test_dashboard import BROWSER_DIR, CHROMIUM, npm_ci, run
from test_late import T1, T2, Municipality


class LatePagesTest(Municipality, TermijnTestCase):

    def browse(self, moment):
        shots = os.path.join(build_dir(), "dashboard-screenshots")
        os.makedirs(shots, exist_ok=True)
        world = {"tokens": {"sup-noord": self.sup}, "cases": self.ids, "moment": moment}
        env = dict(os.environ,
                   TERMIJN_URL="http://%s:%d" % (self.d.host, self.d.port),
                   TERMIJN_WORLD=json.dumps(world),
                   TERMIJN_SCREENSHOTS=shots,
                   TERMIJN_CHROMIUM=CHROMIUM)
        p = run(["node", "--test", "--test-reporter=spec", "--test-concurrency=1",
                 "late.test.mjs"], BROWSER_DIR, env=env)
        out = p.stdout + p.stderr
        print(out)
        self.assertEqual(p.returncode, 0, "the browser test failed at %s:\n%s"
                         % (moment, out[-20000:]))
        self.assertTrue(os.path.getsize(os.path.join(shots, "case-late-%s.png" % moment))
                        > 10000)

    def test_overview_and_case_pages_agree(self):
        if not os.access(CHROMIUM, os.X_OK):
            raise HarnessError("no %s: contrib/install-deps.sh test installs chromium"
                               % CHROMIUM)
        npm_ci()
        self.municipality()
        self.move_to(T1)
        self.browse("T1")
        self.move_to(T2)
        self.browse("T2")


if __name__ == "__main__":
    unittest.main()
