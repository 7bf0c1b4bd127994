"""People by name (issue 17): a token carries the display name of the
person who holds it, a team's people are listed by name for whoever
assigns its cases, and cases, views and histories name people by it,
beside the token's name, which stays the identifier.  Over the API and
with termijnctl (over the API and offline on the database), against a
real termijnd.

Bad input is refused with the field named and changes nothing; who may
list a team's people is the team's own people (a role that works on
cases) and an admin (docs/access.md).  The names here are role-like,
never a real-looking person's.
"""

import csv
import io
import json
import unittest

from harness import TermijnTestCase, run_termijnctl, termijnctl_path
from test_ctl import CtlRun, block, table
from test_ctl_access import problem_lines

TEAM = "jeugd-noord"
OTHER = "jeugd-zuid"


class PeopleTest(CtlRun, TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()
        self.url = "http://%s:%d" % (self.d.host, self.d.port)
        self.ctl = termijnctl_path()
        self.admin = self.d.admin_token

    def tokens(self):
        return {t["name"]: t for t in
                self.d.call("GET", "/v1/tokens", token=self.admin)["tokens"]}

    def people(self, team, token, expect=200):
        return self.d.call("GET", "/v1/teams/%s/people" % team, token=token,
                           expect=expect)

    # -- the API ------------------------------------------------------------

    def test_display_name_made_changed_and_taken_away(self):
        r = self.d.request("POST", "/v1/tokens", {
            "name": "mw-1", "role": "caseworker", "teams": [TEAM],
            "display_name": "Medewerker Jeugd 1"}, token=self.admin)
        self.assertEqual(r.status, 201, r.raw)
        self.assertEqual(r.body["display_name"], "Medewerker Jeugd 1")
        self.assertEqual(self.tokens()["mw-1"]["display_name"], "Medewerker Jeugd 1")
        # Without one: null, as for every token before.
        self.d.make_token("mw-2", "caseworker", [TEAM])
        self.assertIsNone(self.tokens()["mw-2"]["display_name"])

        # Changed, by the admin; the token's name stays.
        t = self.d.call("PATCH", "/v1/tokens/mw-2",
                        {"display_name": "Medewerker Jeugd 2 \u00e9\u00e9n"}, token=self.admin)
        self.assertEqual((t["name"], t["display_name"], t["role"], t["teams"]),
                         ("mw-2", "Medewerker Jeugd 2 \u00e9\u00e9n", "caseworker", [TEAM]))
        self.assertEqual(self.tokens()["mw-2"]["display_name"], "Medewerker Jeugd 2 \u00e9\u00e9n")
        # Taken away with null.
        t = self.d.call("PATCH", "/v1/tokens/mw-1", {"display_name": None}, token=self.admin)
        self.assertIsNone(t["display_name"])
        self.assertIsNone(self.tokens()["mw-1"]["display_name"])
        # Exactly the limit is kept whole.
        full = "\u00e9" * 64
        t = self.d.call("PATCH", "/v1/tokens/mw-1", {"display_name": full}, token=self.admin)
        self.assertEqual(t["display_name"], full)

    def test_bad_display_names_change_nothing(self):
        self.d.make_token("mw-1", "caseworker", [TEAM], display_name="Medewerker Jeugd 1")
        before = self.tokens()
        bad = [
            ("x" * 129, ("display_name", "129 bytes", "at most 128")),
            ("\u00e9" * 64 + "x", ("display_name", "129 bytes")),
            ("Mede\nwerker", ("display_name", "one line", "U+000A")),
            ("Mede\u0007werker", ("display_name", "control characters", "U+0007")),
            ("Mede\u202ewerker", ("display_name", "U+202E")),
            ("", ("display_name", "empty")),
            ("  ", ("display_name", "empty")),
            (" Medewerker", ("display_name", "space")),
            (42, ("display_name", "string")),
            (["Medewerker"], ("display_name", "string")),
        ]
        for value, words in bad:
            with self.subTest(value=value):
                r = self.d.request("POST", "/v1/tokens", {
                    "name": "nieuw", "role": "caseworker", "teams": [TEAM],
                    "display_name": value}, token=self.admin)
                body = self.assertProblem(r, 400, *words)
                self.assertNotIn("werker", body["detail"])
                r = self.d.request("PATCH", "/v1/tokens/mw-1",
                                   {"display_name": value}, token=self.admin)
                self.assertProblem(r, 400, *words)
        # Neither a body without the field nor one with another.
        self.assertProblem(self.d.request("PATCH", "/v1/tokens/mw-1", {}, token=self.admin),
                           400, "display_name")
        self.assertProblem(self.d.request("PATCH", "/v1/tokens/mw-1",
                                          {"display_name": "X", "role": "admin"},
                                          token=self.admin), 400, "role")
        # Nobody else names people; no such token is a 404.
        sup = self.d.make_token("sup-noord", "supervisor", [TEAM])
        self.assertProblem(self.d.request("PATCH", "/v1/tokens/mw-1",
                                          {"display_name": "Baas"}, token=sup), 403, "admin")
        self.assertProblem(self.d.request("PATCH", "/v1/tokens/niemand",
                                          {"display_name": "Niemand"}, token=self.admin),
                           404, "niemand")
        after = self.tokens()
        self.assertNotIn("nieuw", after)
        self.assertEqual(after["mw-1"], before["mw-1"])

    def test_a_teams_people(self):
        sup = self.d.make_token("sup-noord", "supervisor", [TEAM, OTHER],
                                display_name="Teamleider Jeugd")
        cw = self.d.make_token("mw-1", "caseworker", [TEAM], display_name="Medewerker Jeugd 1")
        self.d.make_token("jw-noord", "youth_worker", [TEAM])
        reader = self.d.make_token("lezer", "reader", [TEAM], display_name="Lezer Jeugd")
        self.d.make_token("weg", "caseworker", [TEAM], display_name="Vertrokken Medewerker")
        self.d.revoke_token("weg")
        stranger = self.d.make_token("mw-zuid", "caseworker", [OTHER],
                                     display_name="Medewerker Zuid")
        self.d.make_token("agenda", "feed", [TEAM])
        # "worker", the harness's caseworker in every team, is one of them.
        want = [("jw-noord", None, "youth_worker"),
                ("mw-1", "Medewerker Jeugd 1", "caseworker"),
                ("sup-noord", "Teamleider Jeugd", "supervisor"),
                ("worker", None, "caseworker")]
        for token in (sup, cw, self.admin):
            got = self.people(TEAM, token)
            self.assertEqual(got["team"], TEAM)
            self.assertEqual([(p["name"], p["display_name"], p["role"])
                              for p in got["people"]], want)
        # A reader is none of them, and may not list them; nor may
        # another team's caseworker.
        self.assertProblem(self.d.request("GET", "/v1/teams/%s/people" % TEAM, token=reader),
                           403, "only the people of team %s" % TEAM)
        self.assertProblem(self.d.request("GET", "/v1/teams/%s/people" % TEAM,
                                          token=stranger), 403, TEAM)
        # A team that does not exist, for anyone.
        for token in (self.admin, cw):
            self.assertProblem(self.d.request("GET", "/v1/teams/nergens/people", token=token),
                               404, "nergens")
        self.assertProblem(self.d.request("GET", "/v1/teams/%s/people?x=1" % TEAM, token=cw),
                           400, "x")
        # As CSV, the same rows.
        r = self.d.request("GET", "/v1/teams/%s/people" % TEAM, token=sup,
                           headers={"Accept": "text/csv"})
        self.assertEqual(r.status, 200, r.raw)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["name", "display_name", "role"])
        self.assertEqual([tuple(x) for x in rows[1:]],
                         [(n, d or "", role) for n, d, role in want])

    def test_cases_views_and_history_name_people(self):
        sup = self.d.make_token("sup-noord", "supervisor", [TEAM],
                                display_name="Teamleider Jeugd")
        jw = self.d.make_token("jw-noord", "youth_worker", [TEAM],
                               display_name="Jeugdhulpverlener Noord 1")
        self.d.make_token("handhaver-1", "enforcement", [TEAM],
                          display_name="Handhaver 1")
        self.d.make_token("mw-2", "caseworker", [TEAM])
        cid = self.d.create_case("stabilisatie", "S-2026-0001", TEAM, token=jw)["id"]
        # Unsafe: into enforcement's queue at once; no team is routed, so
        # the case waits for one, named by its title.
        c = self.d.event(cid, "unsafe", token=jw)
        self.assertEqual(c["unrouted"], ["enforcement"])
        c = self.d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "handhaver-1"},
                        token=sup)
        self.assertEqual((c["assignee"], c["assignee_name"]), ("handhaver-1", "Handhaver 1"))
        c = self.d.call("GET", "/v1/cases/%d" % cid, token=jw)
        self.assertEqual((c["assignee"], c["assignee_name"]), ("handhaver-1", "Handhaver 1"))
        q = self.d.call("GET", "/v1/queue?team=%s" % TEAM, token=sup)["queue"]
        item = [i for i in q if i["case"] == cid][0]
        self.assertEqual((item["assignee"], item["assignee_name"]),
                         ("handhaver-1", "Handhaver 1"))
        self.assertEqual(item["function_titles"], {"enforcement": "handhaving"})
        # Renamed, everything shows the new name at once.
        self.d.call("PATCH", "/v1/tokens/handhaver-1", {"display_name": "Handhaver Noord"},
                    token=self.admin)
        self.assertEqual(self.d.call("GET", "/v1/cases/%d" % cid, token=jw)["assignee_name"],
                         "Handhaver Noord")
        # To someone without a display name: the token's name.
        c = self.d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "mw-2"}, token=sup)
        self.assertEqual((c["assignee"], c["assignee_name"]), ("mw-2", "mw-2"))
        c = self.d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": None}, token=sup)
        self.assertEqual((c["assignee"], c["assignee_name"]), (None, None))

        hist = self.d.call("GET", "/v1/cases/%d/transitions" % cid, token=sup)["transitions"]
        self.assertEqual([(t["cause"], t["actor"], t["actor_name"]) for t in hist][:2],
                         [("create", "jw-noord", "Jeugdhulpverlener Noord 1"),
                          ("event", "jw-noord", "Jeugdhulpverlener Noord 1")])
        assigns = [(t["actor_name"], t.get("assignee"), t.get("assignee_name"))
                   for t in hist if t["cause"] == "assign"]
        self.assertEqual(assigns, [("Teamleider Jeugd", "handhaver-1", "Handhaver Noord"),
                                   ("Teamleider Jeugd", "mw-2", "mw-2"),
                                   ("Teamleider Jeugd", None, None)])
        # The overdue and at-risk items carry it too (a case due soon).
        c2 = self.d.create_case("beslistermijn", "B-2026-0002", TEAM, token=sup)["id"]
        self.d.call("POST", "/v1/cases/%d/assign" % c2, {"assignee": "jw-noord"}, token=sup)
        risk = self.d.call("GET", "/v1/at-risk?team=%s&within=P1Y" % TEAM, token=sup)
        item = [i for i in risk["at_risk"] if i["case"] == c2][0]
        self.assertEqual(item["assignee_name"], "Jeugdhulpverlener Noord 1")

    # -- termijnctl ---------------------------------------------------------

    def test_termijnctl(self):
        sup = self.d.make_token("sup-noord", "supervisor", [TEAM])
        reader = self.d.make_token("lezer", "reader", [TEAM])
        # Over the API and offline, made with a display name.
        out, _ = self.run_ctl("token", "create", "--name", "mw-1", "--role", "caseworker",
                              "--team", TEAM, "--display-name", "Medewerker Jeugd 1",
                              token=self.admin)
        self.assertTrue(out.startswith("tmj_"), out)
        p = run_termijnctl("token", "create", "--db", self.d.db, "--name", "mw-2",
                           "--role", "caseworker", "--team", TEAM,
                           "--display-name", "Medewerker Jeugd 2")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("Medewerker", p.stderr)
        out, _ = self.run_ctl("token", "list", token=self.admin)
        names, rows = table(out)
        self.assertEqual(names[:3], ["NAME", "DISPLAY NAME", "ROLE"], out)
        shown = {r["NAME"]: r["DISPLAY NAME"] for r in rows}
        self.assertEqual((shown["mw-1"], shown["mw-2"], shown["sup-noord"]),
                         ("Medewerker Jeugd 1", "Medewerker Jeugd 2", "-"), out)

        # Renamed over the API, offline, and taken away.
        out, _ = self.run_ctl("token", "rename", "sup-noord", "--display-name",
                              "Teamleider Jeugd", token=self.admin)
        self.assertEqual(table(out)[1][0]["DISPLAY NAME"], "Teamleider Jeugd", out)
        p = run_termijnctl("token", "rename", "--db", self.d.db, "mw-2",
                           "--display-name", "Medewerker Noord 2")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("token display name set name=mw-2", p.stderr)
        self.assertNotIn("Medewerker", p.stderr)
        self.assertEqual(self.tokens()["mw-2"]["display_name"], "Medewerker Noord 2")
        out, _ = self.run_ctl("--json", "token", "rename", "mw-2", "--none", token=self.admin)
        self.assertIsNone(json.loads(out)["display_name"])
        out, _ = self.run_ctl("token", "rename", "mw-2", "--display-name",
                              "Medewerker Noord 2", token=self.admin)

        # Refused before anything is sent or written, naming the option.
        before = self.tokens()
        for args in (["token", "rename", "mw-1", "--display-name", "x" * 129],
                     ["token", "rename", "mw-1", "--display-name", "Mede\twerker"],
                     ["token", "rename", "--db", self.d.db, "mw-1", "--display-name", ""],
                     ["token", "rename", "mw-1"],
                     ["token", "rename", "mw-1", "--none", "--display-name", "X"],
                     ["token", "create", "--name", "nieuw", "--role", "caseworker",
                      "--team", TEAM, "--display-name", " Nieuw"]):
            _, err = self.run_ctl(*args, token=self.admin, expect=2)
            self.assertIn("display", err, args)
            self.assertNotIn("werker", err.replace("mw-1", ""), args)
        _, err = self.run_ctl("token", "rename", "niemand", "--display-name", "Niemand",
                              token=self.admin, expect=1)
        self.assertIn("404", err)
        self.assertEqual(self.tokens(), before)

        # The team's people, as a table, JSON and CSV.
        out, _ = self.run_ctl("team", "people", TEAM, token=sup)
        names, rows = table(out)
        self.assertEqual(names, ["NAME", "TOKEN", "ROLE"], out)
        self.assertEqual([(r["NAME"], r["TOKEN"]) for r in rows],
                         [("Medewerker Jeugd 1", "mw-1"), ("Medewerker Noord 2", "mw-2"),
                          ("Teamleider Jeugd", "sup-noord"), ("worker", "worker")], out)
        self.assertEqual(rows[0]["ROLE"], "caseworker", out)
        out, _ = self.run_ctl("--json", "team", "people", TEAM, token=sup)
        self.assertEqual(json.loads(out), self.people(TEAM, sup))
        out, _ = self.run_ctl("--csv", "team", "people", TEAM, token=sup)
        self.assertEqual(out.lstrip("\ufeff").splitlines()[0], "name,display_name,role")
        _, err = self.run_ctl("team", "people", TEAM, token=reader, expect=1)
        self.assertTrue(problem_lines(err)[0].startswith("403 "), err)
        _, err = self.run_ctl("team", "people", "nergens", token=sup, expect=1)
        self.assertTrue(problem_lines(err)[0].startswith("404 "), err)

        # A case assigned by name: case show names the person and the
        # token to type; the queue and the history the person.
        jw = self.d.make_token("jw-noord", "youth_worker", [TEAM])
        cid = self.d.create_case("stabilisatie", "S-2026-0003", TEAM, token=jw)["id"]
        self.d.event(cid, "unsafe", token=jw)
        out, _ = self.run_ctl("case", "assign", str(cid), "mw-1", token=sup)
        self.assertEqual(block(out)["assignee"], "Medewerker Jeugd 1 (mw-1)", out)
        out, _ = self.run_ctl("queue", "--team", TEAM, token=sup)
        rows = [r for r in table(out)[1] if r["CASE"] == str(cid)]
        self.assertEqual(rows[0]["ASSIGNEE"], "Medewerker Jeugd 1", out)
        out, _ = self.run_ctl("case", "transitions", str(cid), token=sup)
        rows = table(out)[1]
        self.assertEqual([(r["ACTOR"], r["ASSIGNEE"]) for r in rows if r["CAUSE"] == "assign"],
                         [("Teamleider Jeugd", "Medewerker Jeugd 1")], out)


if __name__ == "__main__":
    unittest.main()
