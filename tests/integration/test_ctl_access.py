"""termijnctl's access commands, the real binary against a real termijnd:
teams and tokens (over the API and offline on the database while termijnd
runs), sharing a case on a legal basis, its coordinator, who read it, its
export, and retention.

CtlAccessTest: one termijnd for the class, shipped workflows, real clock;
each test makes teams and tokens of its own.  CtlAccessClockTest: a termijnd
of the test's own whose clock faketime moves (expiry, retention).  Every run
of termijnctl is checked for a clean sanitizer report, and no output but
token create's may hold a token.
"""

import datetime
import json
import os
import re
import secrets
import shutil
import unittest

from harness import (ClassDaemonTestCase, FakeClock, TermijnTestCase, local,
                     source_dir, termijnctl_path)
from test_ctl import CtlRun, block, ident, table

TOKEN_RE = re.compile(r"^tmj_[A-Za-z0-9_-]{43}$")


def section(text, heading):
    """The rows of a table that case show prints under "heading:", or None
    when it says "no heading" instead."""
    for part in text.split("\n\n"):
        if part.strip("\n") == "no " + heading:
            return []
        if part.startswith(heading + ":\n"):
            lines = part.splitlines()[1:]
            return table("\n".join(l[2:] for l in lines))[1]
    return None


def problem_lines(err):
    """termijnctl's error lines, without the prefix."""
    return [l[len("termijnctl: "):] for l in err.splitlines()
            if l.startswith("termijnctl: ")]


class AccessRun(CtlRun):
    """Teams and tokens made by the test through termijnctl itself."""

    def admin(self, *args, **kw):
        return self.run_ctl(*args, token=self.d.admin_token, **kw)

    def new_team(self, prefix="team"):
        name = "%s-%s" % (prefix, secrets.token_hex(3))
        self.admin("team", "add", name, "--title", "Team " + name)
        return name

    def new_token(self, role, *teams, expires=None):
        """A token made over the API with token create; (name, token)."""
        name = "%s-%s" % (role, secrets.token_hex(3))
        args = ["token", "create", "--name", name, "--role", role]
        for t in teams:
            args += ["--team", t]
        if expires is not None:
            args += ["--expires", expires]
        out, err = self.admin(*args)
        self.assertEqual(out.count("\n"), 1, out)
        token = out.strip()
        self.assertRegex(token, TOKEN_RE)
        self.assertNotIn(token, err)
        return name, token


class CtlAccessTest(AccessRun, ClassDaemonTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ctl = termijnctl_path()
        cls.url = "http://%s:%d" % (cls.d.host, cls.d.port)

    # -- teams --------------------------------------------------------------

    def test_team_add_and_list(self):
        name = "wijk-" + secrets.token_hex(3)
        out, _ = self.admin("team", "add", name, "--title", "Wijkteam Oost",
                            "--organisation", "Gemeente Utrecht")
        names, rows = table(out)
        self.assertEqual(names, ["NAME", "TITLE", "ORGANISATION", "CREATED"], out)
        self.assertEqual([r["NAME"] for r in rows], [name], out)
        self.assertEqual((rows[0]["TITLE"], rows[0]["ORGANISATION"]),
                         ("Wijkteam Oost", "Gemeente Utrecht"), out)
        # What the answer showed is what was stored.
        api = {t["name"]: t for t in
               self.d.request("GET", "/v1/teams", token=self.d.admin_token).body["teams"]}
        self.assertEqual(rows[0]["CREATED"], api[name]["created_at"], out)

        # Offline, on the database termijnd runs on; the API knows it at once.
        offline = "corp-" + secrets.token_hex(3)
        out, err = self.admin("team", "add", offline, "--title", "Fraudeteam",
                              "--organisation", "Woningcorporatie", "--db", self.d.db)
        self.assertEqual(table(out)[1][0]["NAME"], offline, out)
        self.assertIn("team added team=%s" % offline, err)

        out, _ = self.admin("team", "list")
        rows = {r["NAME"]: r for r in table(out)[1]}
        self.assertEqual(rows[name]["TITLE"], "Wijkteam Oost", out)
        self.assertEqual(rows[offline]["ORGANISATION"], "Woningcorporatie", out)
        self.assertEqual(rows["jeugd-noord"]["ORGANISATION"], "-", out)
        # Offline and over the API, the same list; --json is the API's body.
        api = self.d.request("GET", "/v1/teams", token=self.d.admin_token).body
        self.assertEqual(json.loads(self.admin("--json", "team", "list")[0]), api)
        self.assertEqual(json.loads(self.admin("--json", "team", "list", "--db",
                                               self.d.db)[0]), api)
        self.assertEqual(self.admin("team", "list", "--db", self.d.db)[0], out)
        # Any token may list the teams.
        self.assertEqual(self.run_ctl("team", "list")[0], out)

        # Refusals: a team that exists, a name of the wrong form, no title,
        # a token that is not the admin's.
        out, err = self.admin("team", "add", name, "--title", "again", expect=1)
        self.assertTrue(err.startswith("termijnctl: 409 Conflict: "), err)
        out, err = self.admin("team", "add", name, "--title", "again", "--db",
                              self.d.db, expect=1)
        self.assertIn("exists", err)
        self.admin("team", "add", "bad name", "--title", "x", expect=2)
        self.admin("team", "add", "x" + secrets.token_hex(3), expect=2)
        out, err = self.run_ctl("team", "add", "x" + secrets.token_hex(3), "--title",
                                "x", expect=1)
        self.assertTrue(err.startswith("termijnctl: 403 "), err)
        missing = os.path.join(self.tmpdir, "missing.db")
        self.admin("team", "add", "y", "--title", "y", "--db", missing, expect=1)
        self.admin("team", "list", "--db", missing, expect=1)
        self.assertFalse(os.path.exists(missing))

    # -- tokens -------------------------------------------------------------

    def test_token_create_and_list(self):
        team = self.new_team()
        name, token = self.new_token("caseworker", team, "t", expires="P90D")
        # It works, in its teams.
        self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                     "Z-2026-" + secrets.token_hex(3), "--team", team, token=token)
        # --json gives the whole answer, the token in it.
        out, _ = self.admin("--json", "token", "create", "--name", "j-" + name,
                            "--role", "reader", "--team", team)
        body = json.loads(out)
        self.assertRegex(body["token"], TOKEN_RE)
        self.assertEqual((body["role"], body["teams"]), ("reader", [team]))
        # Offline as well, printed alone.
        out, _ = self.admin("token", "create", "--name", "o-" + name, "--role",
                            "supervisor", "--team", team, "--db", self.d.db)
        offline = out.strip()
        self.assertRegex(offline, TOKEN_RE)
        # A date is the last day it works, in Amsterdam, offline too.
        self.admin("token", "create", "--name", "d-" + name, "--role", "reader",
                   "--team", team, "--expires", "2030-01-31", "--db", self.d.db)

        listings = [self.admin("token", "list")[0],
                    self.admin("token", "list", "--db", self.d.db)[0],
                    self.admin("--json", "token", "list")[0],
                    self.admin("--json", "token", "list", "--db", self.d.db)[0]]
        for out in listings:
            for secret in (token, body["token"], offline, self.d.token,
                           self.d.admin_token):
                self.assertNotIn(secret, out)
            self.assertNotIn("tmj_", out)
        names, rows = table(listings[0])
        self.assertEqual(names, ["NAME", "DISPLAY NAME", "ROLE", "TEAMS", "CREATED",
                                 "EXPIRES", "LAST USED", "REVOKED"], listings[0])
        rows = {r["NAME"]: r for r in rows}
        api = {t["name"]: t for t in self.d.request(
            "GET", "/v1/tokens", token=self.d.admin_token).body["tokens"]}
        mine = rows[name]
        self.assertEqual(mine["DISPLAY NAME"], "-")
        self.assertEqual(mine["ROLE"], "caseworker")
        self.assertEqual(mine["TEAMS"], ",".join(sorted([team, "t"])))
        self.assertEqual(mine["CREATED"], api[name]["created_at"])
        self.assertEqual(mine["EXPIRES"], api[name]["expires_at"])
        self.assertEqual(mine["REVOKED"], "-")
        created = datetime.datetime.fromisoformat(api[name]["created_at"])
        expires = datetime.datetime.fromisoformat(api[name]["expires_at"])
        self.assertEqual((expires - created).days, 90)
        self.assertEqual(rows["admin"]["TEAMS"], "-")
        self.assertEqual(rows["worker"]["EXPIRES"], "never")
        self.assertEqual(rows["o-" + name]["ROLE"], "supervisor")
        self.assertEqual(rows["d-" + name]["EXPIRES"], "2030-02-01T00:00:00+01:00")
        # Offline, the same tokens as termijnd lists them.
        self.assertEqual(json.loads(listings[3]), json.loads(listings[2]))

        # Refusals, before anything is sent or by termijnd.
        self.admin("token", "create", "--name", "x", "--role", "king", "--team", team,
                   expect=2)
        self.admin("token", "create", "--name", "x", "--role", "reader", expect=2)
        out, err = self.admin("token", "create", "--name", name, "--role", "reader",
                              "--team", team, expect=1)
        self.assertEqual(out, "")
        self.assertTrue(err.startswith("termijnctl: 409 "), err)
        out, err = self.admin("token", "create", "--name", "n-" + name, "--role",
                              "reader", "--team", "no-such-team", expect=1)
        self.assertIn("no-such-team", err)
        out, err = self.admin("token", "create", "--name", "e-" + name, "--role",
                              "reader", "--team", team, "--expires", "2001-01-01",
                              expect=1)
        self.assertIn("future", err)
        out, err = self.run_ctl("token", "create", "--name", "w-" + name, "--role",
                                "reader", "--team", team, expect=1)
        self.assertTrue(err.startswith("termijnctl: 403 "), err)
        self.run_ctl("token", "list", expect=1)

    def test_revoke_takes_effect_at_once(self):
        team = self.new_team()
        name, token = self.new_token("caseworker", team)
        self.run_ctl("case", "list", "--team", team, token=token)
        # Offline, while termijnd runs: the very next request is refused.
        out, err = self.admin("token", "revoke", name, "--db", self.d.db)
        self.assertRegex(out, r"^token %s revoked at \S+\n$" % re.escape(name))
        self.assertIn("token revoked name=%s actor=termijnctl" % name, err)
        out, err = self.run_ctl("case", "list", "--team", team, token=token, expect=1)
        self.assertTrue(err.startswith("termijnctl: 401 Unauthorized: this token was "
                                       "revoked on 20"), err)
        self.assertIn("ask an administrator for a new one", err)
        self.assertNotIn(name, err)
        out, err = self.run_ctl("case", "list", token="tmj_" + "x" * 43, expect=1)
        self.assertIn("401 Unauthorized: unknown token", err)
        out, _ = self.admin("token", "list")
        row = {r["NAME"]: r for r in table(out)[1]}[name]
        self.assertNotEqual(row["REVOKED"], "-", out)
        # Once only.
        out, err = self.admin("token", "revoke", name, "--db", self.d.db, expect=1)
        self.assertIn(name, err)
        out, err = self.admin("token", "revoke", name, expect=1)
        self.assertTrue(err.startswith("termijnctl: 404 "), err)

        # Over the API, a name with a slash in it.
        name2 = "ops/" + secrets.token_hex(3)
        out, _ = self.admin("token", "create", "--name", name2, "--role", "reader",
                            "--team", team)
        token2 = out.strip()
        self.run_ctl("case", "list", token=token2)
        out, _ = self.admin("--json", "token", "revoke", name2)
        self.assertEqual(json.loads(out)["name"], name2)
        self.run_ctl("case", "list", token=token2, expect=1)
        # Only the admin revokes.
        _, token3 = self.new_token("supervisor", team)
        out, err = self.run_ctl("token", "revoke", "worker", token=token3, expect=1)
        self.assertTrue(err.startswith("termijnctl: 403 "), err)
        self.run_ctl("case", "list")	# the worker still works

    # -- sharing --------------------------------------------------------------

    def test_share_coordinate_unshare(self):
        youth = self.new_team("jeugd")
        enforcement = self.new_team("handhaving")
        wijk = "wijk/" + secrets.token_hex(3)	# a slash, in a path too
        self.admin("team", "add", wijk, "--title", "Wijkteam")
        _, yw = self.new_token("youth_worker", youth)
        _, hh = self.new_token("enforcement", enforcement)
        cid = int(block(self.run_ctl("case", "create", "--workflow", "stabilisatie",
                                     "--reference", "S-" + secrets.token_hex(3),
                                     "--team", youth, token=yw)[0])["id"])
        out, _ = self.run_ctl("case", "show", str(cid), token=yw)
        self.assertEqual(block(out)["coordinator"], youth, out)
        self.assertEqual(section(out, "participants"), [], out)
        # Enforcement does not see it yet.
        out, err = self.run_ctl("case", "show", str(cid), token=hh, expect=1)
        self.assertTrue(err.startswith("termijnctl: 404 "), err)

        # Without a basis, or with one the workflow does not declare: 422,
        # naming each basis the workflow allows with its article.
        wf = {w["name"]: w for w in self.d.request("GET", "/v1/workflows").body[
            "workflows"]}["stabilisatie"]
        articles = {b["id"]: b["article"] for b in wf["bases"]}
        allowed = ["basis %s: %s" % (b, articles[b]) for b in wf["share_bases"]]
        for extra in ((), ("--basis", "gut_feeling")):
            out, err = self.run_ctl("case", "share", str(cid), "--team", enforcement,
                                    *extra, token=yw, expect=1)
            self.assertEqual(out, "")
            lines = problem_lines(err)
            self.assertTrue(lines[0].startswith("422 Unprocessable Content: "), err)
            for b in wf["share_bases"]:
                self.assertIn(b, lines[0])
            self.assertEqual(lines[1:], allowed, err)
        self.run_ctl("case", "show", str(cid), token=hh, expect=1)

        # On a basis: enforcement takes part and sees the case.
        out, _ = self.run_ctl("case", "share", str(cid), "--team", enforcement,
                              "--basis", "consent", "--purpose", "handhaving onderzoekt",
                              token=yw)
        parts = section(out, "participants")
        self.assertEqual([(p["TEAM"], p["BASIS"]) for p in parts],
                         [(enforcement, "consent")], out)
        api = self.d.request("GET", "/v1/cases/%d" % cid, token=yw).body
        self.assertEqual(parts[0]["SINCE"], api["participants"][0]["since"])
        out, _ = self.run_ctl("case", "show", str(cid), token=hh)
        self.assertEqual((block(out)["team"], block(out)["coordinator"]),
                         (youth, youth), out)
        self.assertEqual([p["TEAM"] for p in section(out, "participants")],
                         [enforcement], out)
        # The history says on which basis, and with whom.
        out, _ = self.run_ctl("case", "transitions", str(cid), token=hh)
        names, rows = table(out)
        self.assertEqual(names, ["ID", "AT", "FROM", "TO", "CAUSE", "EVENT", "ACTOR",
                                 "BASIS", "TEAM"], out)
        self.assertEqual([(r["CAUSE"], r["BASIS"], r["TEAM"]) for r in rows],
                         [("create", "-", "-"), ("share", "consent", enforcement)], out)
        # Twice is a conflict.
        out, err = self.run_ctl("case", "share", str(cid), "--team", enforcement,
                                "--basis", "consent", token=yw, expect=1)
        self.assertTrue(err.startswith("termijnctl: 409 "), err)

        # Enforcement coordinates: the contact point towards the family.
        out, _ = self.run_ctl("case", "coordinate", str(cid), "--team", enforcement,
                              "--note", "handhaving neemt het contact over", token=yw)
        self.assertEqual(block(out)["coordinator"], enforcement, out)
        # A team that coordinates cannot leave: said without the events the
        # case accepts, which have nothing to do with it.
        out, err = self.run_ctl("case", "unshare", str(cid), "--team", enforcement,
                                token=yw, expect=1)
        self.assertEqual(problem_lines(err), [
            "409 Conflict: team %s coordinates case %d; hand that over first"
            % (enforcement, cid)], err)
        # Enforcement hands it back; a team that does not take part cannot
        # coordinate.
        out, err = self.run_ctl("case", "coordinate", str(cid), "--team", wijk,
                                token=hh, expect=1)
        self.assertEqual(len(problem_lines(err)), 1, err)
        self.assertIn("does not take part", err)
        out, _ = self.run_ctl("case", "coordinate", str(cid), "--team", youth, token=hh)
        self.assertEqual(block(out)["coordinator"], youth, out)

        # A team with a slash in its name comes and goes.
        self.run_ctl("case", "share", str(cid), "--team", wijk, "--basis",
                     "reporting_code", token=yw)
        out, _ = self.run_ctl("case", "unshare", str(cid), "--team", wijk, token=yw)
        self.assertEqual(out, "team %s takes part in case %d no more\n" % (wijk, cid))

        # Unshared: enforcement sees the case no more.
        out, _ = self.run_ctl("--json", "case", "unshare", str(cid), "--team",
                              enforcement, token=yw)
        self.assertEqual(json.loads(out), {"case": cid, "team": enforcement,
                                           "takes_part": False})
        self.run_ctl("case", "show", str(cid), token=hh, expect=1)
        out, _ = self.run_ctl("case", "show", str(cid), token=yw)
        self.assertEqual(section(out, "participants"), [], out)
        out, _ = self.run_ctl("case", "transitions", str(cid), token=yw)
        self.assertEqual([(r["CAUSE"], r["TEAM"]) for r in table(out)[1]][2:], [
            ("coordinate", enforcement), ("coordinate", youth),
            ("share", wijk), ("unshare", wijk), ("unshare", enforcement)], out)

        # Usage errors: nothing sent.
        for args in (("case", "share", str(cid)), ("case", "share", "--team", "x"),
                     ("case", "unshare", str(cid)), ("case", "coordinate", "x",
                                                     "--team", "y"),
                     ("case", "share", str(cid), "--team", "bad team")):
            out, err = self.run_ctl(*args, token=yw, expect=2)
            self.assertIn("usage: termijnctl", err, args)

    def test_event_with_basis(self):
        """An event that shares needs a basis: youth_worker_reported in
        zelfmelding passes the income facts to enforcement."""
        team = self.new_team()
        _, yw = self.new_token("youth_worker", team)
        # Started 43 days ago: the 6 weeks passed, the youth worker reports.
        start = (datetime.date.today() - datetime.timedelta(days=43)).isoformat()
        cid = int(block(self.run_ctl(
            "case", "create", "--workflow", "zelfmelding", "--reference",
            "Z-2026-" + secrets.token_hex(3), "--team", team, "--started-at", start,
            token=yw)[0])["id"])
        self.assertEqual(self.d.request("GET", "/v1/cases/%d" % cid, token=yw).body[
            "state"], "youth_worker_reports")
        out, err = self.run_ctl("case", "event", str(cid), "youth_worker_reported",
                                token=yw, expect=1)
        lines = problem_lines(err)
        self.assertTrue(lines[0].startswith("422 "), err)
        self.assertIn("basis criminal_data: UAVG art. 31-33", lines[1:], err)
        out, _ = self.run_ctl("case", "event", str(cid), "youth_worker_reported",
                              "--basis", "reporting_code", token=yw)
        self.assertEqual(ident(block(out)["state"]), "enforcement", out)
        rows = table(self.run_ctl("case", "transitions", str(cid), token=yw)[0])[1]
        self.assertEqual((rows[-1]["EVENT"], rows[-1]["BASIS"]),
                         ("Jeugdhulp heeft gemeld", "reporting_code"), rows)

    # -- who read it, and the export ------------------------------------------

    def test_access_and_export(self):
        team = self.new_team()
        _, cw = self.new_token("caseworker", team)
        sup_name, sup = self.new_token("supervisor", team)
        cid = int(block(self.run_ctl("case", "create", "--workflow", "zelfmelding",
                                     "--reference", "Z-2026-" + secrets.token_hex(3),
                                     "--team", team, token=cw)[0])["id"])
        self.run_ctl("case", "event", str(cid), "family_reported", "--note",
                     "inkomen gemeld aan de balie", token=cw)
        # Reads, one with a purpose, which travels as Read-Purpose.
        self.run_ctl("case", "show", str(cid), token=cw)
        self.run_ctl("--purpose", "bezwaar 2026-17", "case", "transitions", str(cid),
                     token=cw)

        out, err = self.run_ctl("case", "access", str(cid), token=sup)
        names, rows = table(out)
        self.assertEqual(names, ["AT", "TOKEN", "ROLE", "TEAMS", "WHAT", "REQUEST",
                                 "PURPOSE"], out)
        # case show read the case and its history, for the notes in it.
        self.assertEqual([(r["ROLE"], r["WHAT"], r["PURPOSE"]) for r in rows], [
            ("caseworker", "case", "-"),
            ("caseworker", "history", "-"),
            ("caseworker", "history", "bezwaar 2026-17"),
            ("supervisor", "access", "-")], out)
        for r in rows:
            self.assertEqual(r["TEAMS"], team, out)
            # termijnctl's own request ids, one a run and request.
            self.assertRegex(r["REQUEST"], r"^termijnctl-[0-9a-f]{16}-\d+$", out)
        self.assertEqual(rows[3]["TOKEN"], sup_name, out)
        self.assertEqual(len({r["REQUEST"] for r in rows}), 4, out)
        self.assertEqual(err, "")

        # Pages: one says more follow; --all goes to the end; --json is the
        # API's body.
        out, err = self.run_ctl("case", "access", str(cid), "--limit", "2", token=sup)
        self.assertEqual(len(table(out)[1]), 2, out)
        self.assertRegex(err, r"more reads follow: --all, or --cursor \d+")
        cursor = err.split()[-1]
        out, _ = self.run_ctl("case", "access", str(cid), "--limit", "2", "--cursor",
                              cursor, token=sup)
        self.assertEqual([r["WHAT"] for r in table(out)[1]], ["history", "access"], out)
        out, err = self.run_ctl("case", "access", str(cid), "--limit", "1", "--all",
                                token=sup)
        self.assertEqual(err, "")
        self.assertEqual(len(table(out)[1]), 7, out)
        body = json.loads(self.run_ctl("--json", "case", "access", str(cid), "--all",
                                       "--limit", "3", token=sup)[0])
        self.assertIsNone(body["next_cursor"])
        self.assertEqual([r["what"] for r in body["reads"]][:4],
                         ["case", "history", "history", "access"])
        self.assertEqual(body["reads"][2]["purpose"], "bezwaar 2026-17")

        # Only a supervisor of the owning team.
        out, err = self.run_ctl("case", "access", str(cid), token=cw, expect=1)
        self.assertTrue(err.startswith("termijnctl: 403 Forbidden: "), err)
        self.run_ctl("case", "export", str(cid), token=cw, expect=1)

        # The export: JSON, pretty, with or without --json, notes and all.
        out, _ = self.run_ctl("case", "export", str(cid), token=sup)
        self.assertIn('\n  "', out)
        doc = json.loads(out)
        self.assertEqual(set(doc), {"exported_at", "case", "participants", "history",
                                    "reads"})
        self.assertEqual(doc["case"]["id"], cid)
        self.assertEqual([t["cause"] for t in doc["history"]], ["create", "event"])
        self.assertEqual(doc["history"][1]["note"], "inkomen gemeld aan de balie")
        self.assertEqual(doc["reads"][-1]["what"], "export")
        self.assertEqual(doc["reads"][2]["purpose"], "bezwaar 2026-17")
        again = json.loads(self.run_ctl("--json", "case", "export", str(cid),
                                        token=sup)[0])
        self.assertEqual(again["history"], doc["history"])

        # A purpose that cannot travel in a header is refused here.
        for bad in ("", "a\tb", "é", "x" * 256):
            out, err = self.run_ctl("--purpose", bad, "case", "show", str(cid),
                                    token=cw, expect=2)
            self.assertIn("--purpose", err)
        # After the command as well, and refused there the same way.
        out, err = self.run_ctl("case", "show", str(cid), "--purpose", "é", token=cw,
                                expect=2)
        self.assertIn("--purpose: 1 to 255 printable ASCII characters", err)
        self.assertEqual(out, "")
        self.run_ctl("case", "show", str(cid), "--purpose", "Bezwaar 7", token=cw)
        reads = json.loads(self.run_ctl("--json", "case", "access", str(cid),
                                        token=sup)[0])["reads"]
        self.assertIn("Bezwaar 7", [r.get("purpose") for r in reads])

    def test_help(self):
        for words, usage in ((("token", "create"), "--name NAME --role ROLE"),
                             (("token", "list"), "[--db PATH]"),
                             (("token", "revoke"), "NAME [--db PATH]"),
                             (("team", "add"), "NAME --title TITLE"),
                             (("team", "list"), "[--db PATH]"),
                             (("case", "share"), "ID --team T --basis B"),
                             (("case", "unshare"), "ID --team T"),
                             (("case", "coordinate"), "ID --team T [--note TEXT]"),
                             (("case", "access"), "ID [--limit N]"),
                             (("case", "export"), "ID"),
                             (("retention", "run"), "[--dry-run] [--limit N]")):
            out, _ = self.run_ctl("help", *words)
            self.assertIn("termijnctl [global options] %s %s" % (" ".join(words), usage),
                          out)
            out, _ = self.run_ctl(*words, "--help")
            self.assertIn(" ".join(words), out)
        out, _ = self.run_ctl("--help")
        for cmd in ("token list", "team add", "case share", "retention run"):
            self.assertIn("\n  " + cmd, out)
        self.assertIn("[--purpose TEXT]", out)

    def test_help_of_a_group(self):
        """help token (or token --help) shows the token commands' usage,
        not the general help; a word that names no command is an error that
        names it, with the command most likely meant."""
        for group, has, hasnt in (("token", ["token create --name NAME", "token list",
                                             "token revoke NAME", "make an API token"],
                                   ["case create", "commands:"]),
                                  ("case", ["case event ID EVENT", "case correct ID",
                                            "case transitions ID", "\n  record an event"],
                                   ["token create", "commands:"]),
                                  ("team", ["team add NAME", "team list"], ["token"])):
            for args in (("help", group), (group, "--help"), (group, "-h")):
                out, err = self.run_ctl(*args)
                self.assertEqual(err, "", args)
                for w in has:
                    self.assertIn(w, out, args)
                for w in hasnt:
                    self.assertNotIn(w, out, args)
        # One command of a group, and a one-word command.
        out, _ = self.run_ctl("help", "token", "revoke")
        self.assertTrue(out.startswith("usage: termijnctl [global options] token revoke NAME"),
                        out)
        self.assertNotIn("token create", out)
        out, _ = self.run_ctl("help", "due")
        self.assertIn("due --from", out)
        self.assertNotIn("commands:", out)

        for args, words in ((("help", "tokn"), 'unknown command: tokn (did you mean "token"?)'),
                            (("help", "case", "evnt"),
                             'unknown command: case evnt (did you mean "case event"?)'),
                            (("tokn", "list"), 'unknown command: tokn (did you mean "token"?)'),
                            (("token", "lst"),
                             'unknown command: token lst (did you mean "token list"?)'),
                            (("help", "paspoort"), "unknown command: paspoort\n"),
                            (("token",), "token: missing subcommand"),
                            (("help", "due", "x"), "help: unexpected argument x")):
            out, err = self.run_ctl(*args, expect=2)
            self.assertEqual(out, "", args)
            self.assertTrue(err.startswith("termijnctl: " + words), (args, err))
        # A group's mistake shows the group's usage, not all of it.
        _, err = self.run_ctl("token", "lst", expect=2)
        self.assertIn("token revoke NAME", err)
        self.assertNotIn("case create", err)


WORKFLOW_SHORT = """# Closed cases are kept a day: retention, tried out.
workflow: kort
version: 1
start: open
retention: 1 day
states:
  open:
    events:
      close: closed
  closed:
    final: true
"""


class CtlAccessClockTest(AccessRun, TermijnTestCase):
    """A termijnd of the test's own, its clock moved by faketime."""

    def start(self, when, workflows=None):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, workflows=workflows,
                                   config={"scheduler": {"recheck_interval": 0.1}})
        self.url = "http://%s:%d" % (self.d.host, self.d.port)

    def test_expired_token(self):
        self.start(local(2026, 3, 2, 10, 0))
        team = self.new_team()
        name, token = self.new_token("caseworker", team, expires="P1D")
        name2, token2 = self.new_token("caseworker", team, expires="2026-03-03")
        self.run_ctl("case", "list", token=token)
        self.run_ctl("case", "list", token=token2)
        body = json.loads(self.admin("--json", "token", "list")[0])
        expiry = {t["name"]: t["expires_at"] for t in body["tokens"]}
        self.assertTrue(expiry[name].startswith("2026-03-03T10:00:"), expiry)
        # A date is the last day the token works.
        self.assertEqual(expiry[name2], "2026-03-04T00:00:00+01:00", expiry)

        self.clock.set(local(2026, 3, 3, 23, 0))
        out, err = self.run_ctl("case", "list", token=token, expect=1)
        # Its holder is told that it expired, when, and what to do.
        self.assertEqual(err, "termijnctl: 401 Unauthorized: this token expired on "
                         "2026-03-03; ask an administrator for a new one (termijnctl "
                         "token create)\n")
        self.run_ctl("case", "list", token=token2)
        self.clock.set(local(2026, 3, 4, 0, 0, 1))
        out, err = self.run_ctl("case", "list", token=token2, expect=1)
        self.assertIn("this token expired on 2026-03-04", err)
        # The admin sees them, not revoked; the admin's own still works.
        out, _ = self.admin("token", "list")
        rows = {r["NAME"]: r for r in table(out)[1]}
        self.assertEqual((rows[name]["REVOKED"], rows[name2]["REVOKED"]), ("-", "-"))

    def test_retention(self):
        wf = os.path.join(self.tmpdir, "workflows")
        os.mkdir(wf)
        shutil.copy(os.path.join(source_dir(), "workflows", "zelfmelding.yaml"), wf)
        with open(os.path.join(wf, "kort.yaml"), "w") as f:
            f.write(WORKFLOW_SHORT)
        self.start(local(2026, 3, 2, 10, 0), workflows=wf)
        kept = self.d.create_case(workflow="kort", team="t")["id"]
        gone = self.d.create_case(workflow="kort", team="t")["id"]
        self.d.event(gone, "close", note="afgehandeld, geen inkomen")
        self.d.create_case(workflow="zelfmelding", team="t")

        # Closed today: kept a day.
        out, err = self.admin("retention", "run", "--dry-run")
        self.assertEqual(out, "dry run: 0 cases past their retention would be "
                              "destroyed; nothing was changed\n")
        self.clock.set(local(2026, 3, 4, 9, 0))
        out, err = self.admin("retention", "run", "--dry-run")
        lines = out.splitlines()
        self.assertEqual(lines[0], "dry run: 1 case past its retention would be "
                                   "destroyed; nothing was changed", out)
        names, rows = table("\n".join(lines[1:]))
        self.assertEqual(names, ["ID", "WORKFLOW", "VERSION", "TEAM", "CLOSED AT"], out)
        self.assertEqual([(r["ID"], r["WORKFLOW"], r["TEAM"]) for r in rows],
                         [(str(gone), "kort", "t")], out)
        self.assertTrue(rows[0]["CLOSED AT"].startswith("2026-03-02T10:"), out)
        self.assertEqual(err, "")
        self.run_ctl("case", "show", str(gone))	# a dry run changes nothing
        body = json.loads(self.admin("--json", "retention", "run", "--dry-run")[0])
        self.assertEqual((body["dry_run"], [c["id"] for c in body["would_destroy"]],
                          body["more"]), (True, [gone], False))

        # Only the admin, and a limit termijnd takes.
        out, err = self.run_ctl("retention", "run", expect=1)
        self.assertTrue(err.startswith("termijnctl: 403 "), err)
        self.admin("retention", "run", "--limit", "1001", expect=2)
        self.admin("retention", "run", "--limit", "x", expect=2)

        out, err = self.admin("retention", "run", "--limit", "10")
        lines = out.splitlines()
        self.assertEqual(lines[0], "destroyed 1 case past its retention", out)
        self.assertEqual([r["ID"] for r in table("\n".join(lines[1:-1]))[1]], [str(gone)])
        self.assertEqual(lines[-1], "the bytes of destroyed cases are gone from the"
                                    " database's files")
        out, err = self.run_ctl("case", "show", str(gone), expect=1)
        self.assertTrue(err.startswith("termijnctl: 404 "), err)
        self.run_ctl("case", "show", str(kept))
        out, _ = self.admin("retention", "run")
        self.assertEqual(out, "destroyed 0 cases past their retention\n")
        # The chain holds across the gap the case left, and marks the
        # destruction.
        out, _ = self.admin("audit", "verify", "--db", self.d.db)
        self.assertRegex(out, r"^OK: \d+ transitions, 2 of them destroyed with their "
                              r"case; 1 mark; \d+ cases agree with the chain;"
                              r" head \d+:[0-9a-f]{64}\n$")


if __name__ == "__main__":
    unittest.main()
