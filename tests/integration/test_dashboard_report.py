"""The dashboard's report page (#/rapportage) in Debian's Chromium: its chart
and table against GET /v1/report, and the CSV it downloads.

tests/browser/report.test.mjs drives the page, as dashboard.test.mjs does
the other pages (test_dashboard.py); this file lives through a first
quarter with the clock, so that deadlines fell in it met and missed:

  on 2026-01-05 (a Monday) the supervisor's team registers
    met-besluit    beslistermijn: 8 weeks (Atw) to 2026-03-02; decided on
                   02-10: met (March), and the case closed (February)
    met-melding    zelfmelding: 6 weeks to 02-16; the family reports on
                   02-10: met (February)
    laat-melding   zelfmelding from 01-05: the family's 6 weeks and the youth
                   worker's 5 working days pass: two missed (February),
                   waiting in enforcement
    laat-besluit   beslistermijn from 2025-12-22: due 02-16, missed
                   (February), waiting in the overdue queue
  and the report is read on 2026-03-17.
"""

import os
import unittest

from harness import FakeClock, HarnessError, TermijnTestCase, local
from test_dashboard import CHROMIUM, FAST, browser_test, npm_ci

TEAM = "jeugd-noord"


class ReportPageTest(TermijnTestCase):

    def test_report_page(self):
        if not os.access(CHROMIUM, os.X_OK):
            raise HarnessError("no %s: contrib/install-deps.sh test installs chromium"
                               % CHROMIUM)
        npm_ci()
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config=FAST)
        sup = d.make_token("sup-noord", "supervisor", [TEAM])
        cw = d.make_token("cw-noord", "caseworker", [TEAM])
        jw = d.make_token("jw-noord", "youth_worker", [TEAM])

        def case(ref, workflow, started=None, token=cw):
            return d.create_case(workflow=workflow, reference=ref, team=TEAM,
                                 started_at=started, token=token)["id"]

        met_decision = case("met-besluit", "beslistermijn")
        met_report = case("met-melding", "zelfmelding", token=jw)
        late_report = case("laat-melding", "zelfmelding", token=jw)
        late_decision = case("laat-besluit", "beslistermijn", "2025-12-22T09:00:00+01:00")
        clock.set(local(2026, 2, 10, 12, 0))
        d.event(met_decision, "decided", token=cw)
        d.event(met_report, "family_reported", token=jw)
        clock.set(local(2026, 3, 17, 10, 0))
        d.wait_state(late_report, "enforcement")
        d.wait_state(late_decision, "overdue")

        world = {"tokens": {"sup-noord": sup}, "from": "2026-01-01", "to": "2026-04-01"}
        browser_test(self, d, "report.test.mjs", world, "report.png")

        # What the page read, by hand: February's four deadlines, one met;
        # March's one, met; one case closed in February.
        rows = d.call("GET", "/v1/report?from=2026-01-01&to=2026-04-01&by=month",
                      token=sup)["rows"]
        self.assertEqual([(r["key"], r["deadlines"], r["met"], r["missed"], r["closed"])
                          for r in rows],
                         [("2026-02", 4, 1, 3, 1), ("2026-03", 1, 1, 0, 0)])
        logs = d.stderr_text() + "\n".join(d.syslog.lines())
        for secret in (sup, cw, jw):
            self.assertNotIn(secret, logs)


if __name__ == "__main__":
    unittest.main()
