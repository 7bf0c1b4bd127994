"""People by name on the dashboard (issue 17), in Debian's Chromium: a
case given to a colleague chosen by name, and that name on the case page,
in its history, the queue and the overview; the function a case waits for
a team for, by its title; a case page that cannot list colleagues says so.

tests/browser/people.test.mjs drives the pages, as dashboard.test.mjs does
(test_dashboard.py); this file makes the world on a fake clock (on
2026-03-17 a youth team's case escalated twice to enforcement, which no
team fills, and two decisions run) and checks afterwards what termijnd
holds and that no display name reached its logs.
"""

import os
import unittest

from harness import FakeClock, HarnessError, TermijnTestCase
from test_dashboard import CHROMIUM, FAST, NOW, browser_test, npm_ci

TEAM = "jeugd-noord"
NAMES = {
    "sup-noord": "Teamleider Jeugd Noord",
    "jw-noord": "Jeugdhulpverlener Noord 1",
    "cw-noord": "Medewerker Jeugd 1",
}


class PeoplePagesTest(TermijnTestCase):

    def test_assigning_by_name(self):
        if not os.access(CHROMIUM, os.X_OK):
            raise HarnessError("no %s: contrib/install-deps.sh test installs chromium"
                               % CHROMIUM)
        npm_ci()
        d = self.start_daemon(clock=FakeClock(self.tmpdir, NOW), config=FAST)
        roles = {"sup-noord": "supervisor", "jw-noord": "youth_worker",
                 "cw-noord": "caseworker"}
        tokens = {n: d.make_token(n, roles[n], [TEAM], display_name=NAMES[n]) for n in roles}
        # Named by the token's name, having no display name; a reader, who
        # works on no case; and another team's caseworker, none of them.
        d.make_token("cw-noord-2", "caseworker", [TEAM])
        d.make_token("lezer-noord", "reader", [TEAM], display_name="Meelezer Noord")
        d.make_token("cw-zuid", "caseworker", ["jeugd-zuid"], display_name="Medewerker Zuid")
        cases = {}
        z = d.create_case("zelfmelding", "Z-2026-0101", TEAM, started_at="2026-01-05",
                          token=tokens["jw-noord"])["id"]
        cases["Z-2026-0101"] = z
        d.wait_state(z, "enforcement")
        for ref, started in (("B-2026-0201", "2026-02-02"), ("B-2026-0202", "2026-02-09")):
            cases[ref] = d.create_case("beslistermijn", ref, TEAM, started_at=started,
                                       token=tokens["cw-noord"])["id"]

        world = {"tokens": tokens, "names": dict(NAMES), "cases": cases}
        browser_test(self, d, "people.test.mjs", world, "case-assigned-by-name.png")

        # What the pages did, as termijnd holds it: the tokens' names.
        sup = tokens["sup-noord"]
        self.assertEqual([d.call("GET", "/v1/cases/%d" % cases[r], token=sup)["assignee"]
                          for r in ("B-2026-0201", "Z-2026-0101", "B-2026-0202")],
                         ["cw-noord", "jw-noord", "jw-noord"])
        d.stop()
        logs = d.stderr_text() + "\n".join(d.syslog.lines())
        for name in list(NAMES.values()) + ["Meelezer Noord", "Medewerker Zuid"]:
            self.assertNotIn(name, logs)
        for secret in tokens.values():
            self.assertNotIn(secret, logs)


if __name__ == "__main__":
    unittest.main()
