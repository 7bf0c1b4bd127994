"""A filter with a typo (issue 10): a list of cases or a view narrowed by a
state no workflow has, a workflow that is not loaded, a team that is not
known or a kind that is no deadline kind answers 400, naming the value and
the one most likely meant, instead of an empty list that looks like "nothing
to do".  A known team the token is not in answers as before: what the token
may see of it, which may be nothing."""

import os
import subprocess
import unittest
import urllib.parse

from harness import SharedDaemonTestCase, termijnctl_path

MAY = "from=2026-05-01&to=2026-06-01"
# Every list and view, with the filters it takes.
LISTS = {
    "/v1/cases": ("team", "workflow", "state"),
    "/v1/overdue": ("team", "workflow", "state", "kind"),
    "/v1/at-risk": ("team", "workflow", "state", "kind"),
    "/v1/summary": ("team", "workflow", "state", "kind"),
    "/v1/queue": ("team", "workflow", "state"),
    "/v1/report?" + MAY: ("team",),
    "/v1/calendar/feed.ics": ("team",),
}
TYPOS = {
    "team": ("jeugd-nord", 'no team "jeugd-nord"', 'did you mean "jeugd-noord"'),
    "workflow": ("zelfmeldng", 'unknown workflow "zelfmeldng"',
                 'did you mean "zelfmelding"'),
    "state": ("enforcment", 'a state "enforcment"', 'did you mean "enforcement"'),
    "kind": ("statutary", '"statutary" is not a deadline kind',
             'did you mean "statutory"'),
}


def url(path, **params):
    q = urllib.parse.urlencode(params)
    return path + ("&" if "?" in path else "?") + q if q else path


class FilterTest(SharedDaemonTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        d = cls.d
        cls.noord = d.make_token("sup-noord", "supervisor", ["jeugd-noord"])
        cls.feed = d.make_token("feed-noord", "feed", ["jeugd-noord"])
        d.create_case(reference="F-0001", token=cls.noord)
        d.create_case(reference="F-0002", team="inkomen")

    def reads(self):
        return self.d.db_query("SELECT count(*) FROM reads")[0][0]

    def test_every_typo_on_every_list_is_a_400(self):
        before = self.reads()
        for path, names in LISTS.items():
            for name in names:
                value, *words = TYPOS[name]
                r = self.d.request("GET", url(path, **{name: value}), token=self.noord)
                with self.subTest(path=path, filter=name):
                    self.assertProblem(r, 400, name, *words)
        # Nothing was read, so nothing was logged as read.
        self.assertEqual(self.reads(), before)

    def test_right_values_still_answer(self):
        right = {"team": "jeugd-noord", "workflow": "zelfmelding",
                 "state": "awaiting_self_report", "kind": "agreement"}
        for path, names in LISTS.items():
            r = self.d.request("GET", url(path, **{n: right[n] for n in names}),
                               token=self.noord)
            self.assertEqual(r.status, 200, (path, r.raw))
        cases = self.d.call("GET", "/v1/cases?state=awaiting_self_report",
                            token=self.noord)["cases"]
        self.assertEqual([c["reference"] for c in cases], ["F-0001"])

    def test_a_state_of_the_workflow_filtered_by(self):
        # A state another workflow has is no state of this one: its states
        # are listed.
        r = self.d.request("GET", "/v1/cases?workflow=beslistermijn&state=enforcement",
                           token=self.noord)
        self.assertProblem(r, 400, 'workflow beslistermijn has no state "enforcement"',
                           "its states: deciding, overdue, in_default, decided")
        r = self.d.request("GET", "/v1/overdue?workflow=beslistermijn&state=decidd",
                           token=self.noord)
        self.assertProblem(r, 400, 'did you mean "decided"')
        # Far from every state: no guess, a way to see them.
        r = self.d.request("GET", "/v1/cases?state=paspoort", token=self.noord)
        self.assertProblem(r, 400, 'no workflow termijnd has a state "paspoort"',
                           "workflow=")
        self.assertNotIn("did you mean", r.body["detail"])
        # A workflow with a typo is named first, whatever the state.
        r = self.d.request("GET", "/v1/queue?workflow=beslis&state=x", token=self.noord)
        self.assertProblem(r, 400, 'unknown workflow "beslis"', "termijnd has:")

    def test_another_teams_name_answers_as_before(self):
        # inkomen is a known team; this token is not in it and sees none of
        # its cases: an empty list, as before, not a refusal.
        for path, names in LISTS.items():
            if "team" not in names:
                continue
            r = self.d.request("GET", url(path, team="inkomen"), token=self.noord)
            self.assertEqual(r.status, 200, (path, r.raw))
        self.assertEqual(self.d.call("GET", "/v1/cases?team=inkomen",
                                     token=self.noord)["cases"], [])

    def test_a_feed_token_is_told_no_other_teams_name(self):
        r = self.d.request("GET", "/v1/calendar/feed.ics?team=jeugd-nord&token=" + self.feed,
                           token=None)
        self.assertProblem(r, 400, 'no team "jeugd-nord"')
        self.assertNotIn("did you mean", r.body["detail"])
        r = self.d.request("GET", "/v1/calendar/feed.ics?team=inkomen&token=" + self.feed,
                           token=None)
        self.assertEqual(r.status, 200, r.raw)

    def test_termijnctl_says_so(self):
        env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (self.d.host, self.d.port),
                   TERMIJN_TOKEN=self.noord)
        for args, words in [
                (("case", "list", "--state", "enforcment"), 'did you mean "enforcement"'),
                (("overdue", "--kind", "statutary"), 'did you mean "statutory"'),
                (("queue", "--team", "jeugd-nord"), 'did you mean "jeugd-noord"')]:
            p = subprocess.run([termijnctl_path()] + list(args), env=env,
                               capture_output=True, text=True, timeout=60,
                               stdin=subprocess.DEVNULL)
            self.assertEqual(p.returncode, 1, (args, p.stdout, p.stderr))
            self.assertIn("400", p.stderr)
            self.assertIn(words, p.stderr)
            self.assertEqual(p.stdout, "")


if __name__ == "__main__":
    unittest.main()
