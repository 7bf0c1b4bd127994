"""What the dashboard asks termijnd: who a token is (GET /v1/me) and what
an event needs before it is recorded (GET /v1/workflows)."""

import unittest

from harness import TermijnTestCase


class MeTest(TermijnTestCase):
    """GET /v1/me and what /v1/workflows tells a client about events."""

    def test_me(self):
        d = self.start_daemon()
        t = d.make_token("sanne", "supervisor", ["jeugd-noord", "handhaving"])
        me = d.call("GET", "/v1/me", token=t)
        self.assertEqual((me["name"], me["role"], sorted(me["teams"])),
                         ("sanne", "supervisor", ["handhaving", "jeugd-noord"]))
        self.assertNotIn("token", me)
        self.assertEqual(d.call("GET", "/v1/me", token=d.admin_token)["role"], "admin")
        self.assertProblem(d.request("GET", "/v1/me", token=None), 401)
        self.assertProblem(d.request("GET", "/v1/me", token="tmj_nonsense"), 401)
        self.assertProblem(d.request("POST", "/v1/me", {}, token=t), 405)
        d.revoke_token("sanne")
        self.assertProblem(d.request("GET", "/v1/me", token=t), 401)

    def test_workflow_events_say_what_they_need(self):
        d = self.start_daemon()
        wfs = {w["name"]: w for w in d.call("GET", "/v1/workflows")["workflows"]}

        def event(wf, state, name):
            st = next(s for s in wfs[wf]["states"] if s["name"] == state)
            return next(e for e in st["events"] if e["name"] == name)

        e = event("beslistermijn", "deciding", "extend")
        self.assertEqual((e["roles"], e["reason"], e["date"], e["by"], e["max"]),
                         (["supervisor"], True, False, "P6W", 1))
        e = event("beslistermijn", "deciding", "request_completion")
        self.assertEqual((e["roles"], e["reason"], e["date"]), (["caseworker"], True, False))
        self.assertNotIn("by", e)
        e = event("beslistermijn", "deciding", "decided")
        self.assertEqual((e["roles"], e["reason"], e["date"]), ([], False, False))
        self.assertTrue(event("last_onder_dwangsom", "deciding", "decision_sent")["date"])
        e = event("zelfmelding", "youth_worker_reports", "youth_worker_reported")
        self.assertIn("consent", e["shares"])
        self.assertFalse(e["reason"])


if __name__ == "__main__":
    unittest.main()
