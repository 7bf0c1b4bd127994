"""The supervisor's overview and the page of each case agree on every case
of a small municipality (issue 15), in Debian's Chromium: late and how
late, at risk, running.

tests/browser/late.test.mjs drives the pages, as dashboard.test.mjs does
(test_dashboard.py); this file makes test_late's municipality on a fake
clock and runs it at T1, the morning a deadline passed at midnight
("vandaag verstreken", never "0 dagen te laat"), and again at T2, a day
later, the clock moved in between, never slept on.
"""

import os
import unittest

from harness import HarnessError, TermijnTestCase
from test_dashboard import CHROMIUM, browser_test, npm_ci
from test_late import T1, T2, Municipality


class LatePagesTest(Municipality, TermijnTestCase):

    def browse(self, moment):
        world = {"tokens": {"sup-noord": self.sup}, "cases": self.ids, "moment": moment}
        browser_test(self, self.d, "late.test.mjs", world, "case-late-%s.png" % moment,
                     what=" at %s" % moment)

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
