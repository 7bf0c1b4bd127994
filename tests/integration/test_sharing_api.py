"""The API that sharing and its administration rely on: names with a slash
in a path, refusals that name what they are about (a sharing step's
conflict, the legal bases a step allows), and answers that show what was
stored.  One termijnd for the class, shipped workflows, real clock."""

import datetime
import secrets
import unittest

from harness import ClassDaemonTestCase


class SharingApiTest(ClassDaemonTestCase):
    """What termijnctl's sharing and administration rely on, asked of the API."""

    def shared_case(self, team):
        """A stabilisatie case of the worker's team t, shared with team."""
        cid = self.d.create_case(workflow="stabilisatie", team="t")["id"]
        r = self.d.request("POST", "/v1/cases/%d/participants" % cid,
                           {"team": team, "basis": "consent"})
        self.assertEqual(r.status, 201, r.body)
        return cid

    def test_names_with_a_slash(self):
        """Team and token names may hold '/' (name_valid): in a path they
        are the path's last segment, as they are or escaped."""
        adm = self.d.admin_token
        teams = [self.d.add_team("wijk/" + secrets.token_hex(3)) for _ in range(2)]
        cid = self.shared_case(teams[0])
        r = self.d.request("POST", "/v1/cases/%d/participants" % cid,
                           {"team": teams[1], "basis": "consent"})
        self.assertEqual(r.status, 201, r.body)
        for path in ("/v1/cases/%d/participants/%s" % (cid, teams[0]),
                     "/v1/cases/%d/participants/%s" % (cid, teams[1].replace("/", "%2f"))):
            r = self.d.request("DELETE", path)
            self.assertEqual(r.status, 200, (path, r.body))
        self.assertEqual(self.d.case(cid)["participants"], [])
        for name in ("ops/" + secrets.token_hex(3), "ops/" + secrets.token_hex(3)):
            self.d.make_token(name, "reader", ["t"])
        names = [t["name"] for t in self.d.request("GET", "/v1/tokens",
                                                   token=adm).body["tokens"]
                 if t["name"].startswith("ops/")]
        self.assertEqual(self.d.request("DELETE", "/v1/tokens/" + names[0],
                                        token=adm).status, 200)
        self.assertEqual(self.d.request("DELETE", "/v1/tokens/" +
                                        names[1].replace("/", "%2F"), token=adm).status, 200)
        # An escape that is none makes the request target malformed (400,
        # before any route is tried); one that would cut the name short, or
        # a name that is not one, is no token (404).
        for bad in ("ops%2", "ops%zz", "ops%2Fx%"):
            r = self.d.request("DELETE", "/v1/tokens/" + bad, token=adm)
            self.assertProblem(r, 400, "'%' not followed by two hex digits")
        for bad in ("ops%00x", "%2Fops"):
            r = self.d.request("DELETE", "/v1/tokens/" + bad, token=adm)
            self.assertEqual(r.status, 404, (bad, r.body))

    def test_sharing_conflict_names_no_events(self):
        """A refused unshare or coordinate is about teams: its answer does
        not list the events the case accepts, as a refused event's does."""
        cid = self.shared_case("handhaving")
        r = self.d.request("POST", "/v1/cases/%d/coordinator" % cid,
                           {"team": "handhaving"})
        self.assertEqual(r.status, 200, r.body)
        r = self.d.request("DELETE", "/v1/cases/%d/participants/handhaving" % cid)
        body = self.assertProblem(r, 409, "coordinates", "hand that over")
        self.assertNotIn("accepts", body)
        self.assertNotIn("accepts", body["detail"])
        r = self.d.request("POST", "/v1/cases/%d/coordinator" % cid, {"team": "handhaving"})
        self.assertNotIn("accepts", self.assertProblem(r, 409, "already"))
        r = self.d.request("POST", "/v1/cases/%d/events" % cid, {"event": "close"})
        self.assertEqual(self.assertProblem(r, 409, "stabilising")["accepts"],
                         ["unsafe", "stabilised"])

    def test_basis_refusal_names_bases(self):
        """422 names the ids in its detail and gives each allowed basis
        with its article in "bases", however many there are."""
        wfs = {w["name"]: w for w in self.d.request("GET", "/v1/workflows").body[
            "workflows"]}
        cid = self.d.create_case(workflow="stabilisatie", team="t")["id"]
        for extra in ({}, {"basis": "nope"}):
            r = self.d.request("POST", "/v1/cases/%d/participants" % cid,
                               dict({"team": "handhaving"}, **extra))
            body = self.assertProblem(r, 422, *wfs["stabilisatie"]["share_bases"])
            self.assertEqual([b["id"] for b in body["bases"]],
                             wfs["stabilisatie"]["share_bases"])
            self.assertEqual(body["bases"], [b for b in wfs["stabilisatie"]["bases"]
                                             if b["id"] in wfs["stabilisatie"]["share_bases"]])
        start = (datetime.date.today() - datetime.timedelta(days=43)).isoformat()
        cid = self.d.create_case(workflow="zelfmelding", team="t", started_at=start)["id"]
        r = self.d.request("POST", "/v1/cases/%d/events" % cid,
                           {"event": "youth_worker_reported"})
        body = self.assertProblem(r, 422, "youth_worker_reported")
        self.assertEqual([b["id"] for b in body["bases"]], ["consent", "reporting_code",
                                                            "conflict_of_duties",
                                                            "criminal_data"])
        self.assertEqual(body["bases"][-1]["article"], "UAVG art. 31-33")

    def test_team_answer_is_what_was_stored(self):
        """A new team's answer shows the moment stored, not a later one."""
        answered = {}
        for _ in range(10):
            r = self.d.request("POST", "/v1/teams", {"name": "q-" + secrets.token_hex(3),
                                                      "title": "Q"},
                               token=self.d.admin_token)
            self.assertEqual(r.status, 201, r.body)
            answered[r.body["name"]] = r.body["created_at"]
        stored = {t["name"]: t["created_at"] for t in self.d.request(
            "GET", "/v1/teams", token=self.d.admin_token).body["teams"]}
        self.assertEqual({n: stored[n] for n in answered}, answered)


if __name__ == "__main__":
    unittest.main()
