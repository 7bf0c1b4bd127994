"""termijnctl, the real binary, against a real termijnd.

One termijnd for the class (fresh database, shipped workflows, real clock);
each test makes its own cases, under a team of its own where it lists them.
Every run of termijnctl is checked for a clean sanitizer report, and no
output but token create's may hold a token.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import unittest

from harness import (SANITIZER_MARKS, Daemon, TempDir, TermijnTestCase,
                     build_dir, require_tools, source_dir, termijnctl_path)

TOKEN_RE = re.compile(r"^tmj_[A-Za-z0-9_-]{43}$")


def table(text):
    """An aligned table as a list of rows, each a dict from header to cell.
    Columns are found from the header: each starts where its name does."""
    lines = [l for l in text.splitlines() if l.strip()]
    head = lines[0]
    names = re.findall(r"\S+(?: \S+)*", head)
    starts = [head.index(n) for n in names]
    rows = []
    for line in lines[1:]:
        row = {}
        for i, n in enumerate(names):
            end = starts[i + 1] if i + 1 < len(names) else len(line)
            row[n] = line[starts[i]:end].strip()
        rows.append(row)
    return names, rows


def block(text):
    """The key/value block at the top of case show: {"id": "1", ...}."""
    out = {}
    for line in text.split("\n\n")[0].splitlines():
        m = re.match(r"^([a-z ]+):\s+(.*)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


class CtlTest(TermijnTestCase):

    @classmethod
    def setUpClass(cls):
        require_tools()
        cls.ctl = termijnctl_path()
        cls._ctmp = TempDir("ctl")
        cls.d = Daemon(cls._ctmp.path)
        cls.url = "http://%s:%d" % (cls.d.host, cls.d.port)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.d.close()
        finally:
            cls._ctmp.cleanup()

    def run_ctl(self, *args, token=None, url=None, env=None, expect=0):
        """Runs termijnctl; returns (stdout, stderr).  The admin token and
        the class's URL come from the environment unless overridden."""
        e = dict(os.environ)
        e.pop("TERMIJN_TOKEN", None)
        e["TERMIJN_URL"] = url or self.url
        e["TERMIJN_TOKEN"] = token if token is not None else self.d.token
        e.update(env or {})
        p = subprocess.run([self.ctl] + list(args), env=e, capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        what = "termijnctl %s\nexit %d\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(args), p.returncode, out, err)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, err, what)
        if expect is not None:
            self.assertEqual(p.returncode, expect, what)
        if e["TERMIJN_TOKEN"]:
            self.assertNotIn(e["TERMIJN_TOKEN"], out + err,
                             "termijnctl printed the token:\n" + what)
        return out, err

    def team(self):
        return "team-" + secrets.token_hex(4)

    def create(self, team="jeugd-noord", workflow="zelfmelding", *extra):
        ref = "Z-2026-" + secrets.token_hex(3)
        out, _ = self.run_ctl("case", "create", "--workflow", workflow,
                              "--reference", ref, "--team", team, *extra)
        b = block(out)
        self.assertEqual(b.get("reference"), ref, out)
        return int(b["id"]), ref, out

    # -- the API commands ---------------------------------------------------

    def test_create_and_show(self):
        cid, ref, out = self.create()
        b = block(out)
        self.assertEqual(b["workflow"], "zelfmelding", out)
        self.assertEqual(b["version"], "2", out)
        self.assertEqual(b["team"], "jeugd-noord", out)
        self.assertEqual(b["state"], "awaiting_self_report", out)
        self.assertEqual(b["final"], "no", out)
        self.assertIn("\naccepts: family_reported\n", out)

        api = self.d.case(cid)
        out, err = self.run_ctl("case", "show", str(cid))
        self.assertEqual(err, "")
        self.assertEqual(block(out)["state"], "awaiting_self_report", out)
        self.assertEqual(block(out)["started at"], api["started_at"], out)
        # The deadlines table, then what the case accepts.
        dl_text = out.split("\n\n")[1]
        names, rows = table(dl_text)
        self.assertEqual(names, ["NAME", "DUE", "OVERDUE FROM", "THEN"], out)
        dl = api["deadlines"][0]
        self.assertEqual(rows, [{"NAME": dl["name"], "DUE": dl["due"],
                                 "OVERDUE FROM": dl["overdue_from"],
                                 "THEN": "youth_worker_reports"}], out)
        self.assertEqual(out.split("\n\n")[2], "accepts: family_reported\n", out)

    def test_list(self):
        team = self.team()
        ids = [self.create(team)[0] for _ in range(3)]
        self.create("jeugd-noord")	# another team's: not listed
        out, _ = self.run_ctl("case", "list", "--team", team)
        names, rows = table(out)
        self.assertEqual(names, ["ID", "WORKFLOW", "VERSION", "REFERENCE", "TEAM",
                                 "STATE", "NEXT DUE"], out)
        self.assertEqual([int(r["ID"]) for r in rows], ids, out)
        for r in rows:
            self.assertEqual(r["TEAM"], team, out)
            self.assertEqual(r["STATE"], "awaiting_self_report", out)
            self.assertEqual(r["NEXT DUE"], self.d.case(int(r["ID"]))["deadlines"][0]["due"],
                             out)

        # One page says that more follow, on stderr; --all follows the cursor.
        out, err = self.run_ctl("case", "list", "--team", team, "--limit", "2")
        self.assertEqual([int(r["ID"]) for r in table(out)[1]], ids[:2], out)
        self.assertIn("more cases follow", err)
        out, err = self.run_ctl("case", "list", "--team", team, "--limit", "1", "--all")
        self.assertEqual([int(r["ID"]) for r in table(out)[1]], ids, out)
        self.assertEqual(err, "")
        out, _ = self.run_ctl("--json", "case", "list", "--team", team, "--limit", "1",
                              "--all")
        body = json.loads(out)
        self.assertEqual([c["id"] for c in body["cases"]], ids, out)
        self.assertIsNone(body["next_cursor"])
        self.assertEqual(body["cases"][0], self.d.case(ids[0]))

        out, _ = self.run_ctl("case", "list", "--team", team, "--state", "closed")
        self.assertEqual(table(out)[1], [], out)

    def test_event_and_refused_event(self):
        cid, _, _ = self.create()
        out, _ = self.run_ctl("case", "event", str(cid), "family_reported",
                              "--note", "income reported at the desk")
        self.assertEqual(block(out)["state"], "self_reported", out)
        self.assertIn("\naccepts: close\n", out)
        self.assertEqual(self.d.case(cid)["state"], "self_reported")

        out, err = self.run_ctl("case", "event", str(cid), "family_reported", expect=1)
        self.assertEqual(out, "")
        first = err.splitlines()[0]
        self.assertTrue(first.startswith("termijnctl: 409 Conflict: "), err)
        self.assertIn("self_reported", first)
        self.assertIn("accepts: close", err)
        self.assertEqual(self.d.case(cid)["state"], "self_reported")

        # An unknown case is the server's 404, with its detail.
        out, err = self.run_ctl("case", "show", "999999", expect=1)
        self.assertTrue(err.startswith("termijnctl: 404 "), err)

    def test_idempotency_key(self):
        key = "ctl-" + secrets.token_hex(8)
        ref = "Z-2026-" + secrets.token_hex(3)
        args = ("--json", "case", "create", "--workflow", "zelfmelding", "--reference",
                ref, "--team", "jeugd-noord", "--idempotency-key", key)
        first = json.loads(self.run_ctl(*args)[0])
        again = json.loads(self.run_ctl(*args)[0])
        self.assertEqual(first, again)

    def test_transitions(self):
        cid, _, _ = self.create()
        self.run_ctl("case", "event", str(cid), "family_reported")
        self.run_ctl("case", "event", str(cid), "close")
        out, _ = self.run_ctl("case", "transitions", str(cid))
        names, rows = table(out)
        self.assertEqual(names, ["AT", "FROM", "TO", "CAUSE", "EVENT", "ACTOR"], out)
        api = self.d.transitions(cid)
        self.assertEqual(len(rows), 3, out)
        for r, t in zip(rows, api):
            self.assertEqual(r, {"AT": t["at"], "FROM": t["from"] or "-", "TO": t["to"],
                                 "CAUSE": t["cause"], "EVENT": t["event"] or "-",
                                 "ACTOR": t["actor"]}, out)
        self.assertEqual([r["CAUSE"] for r in rows], ["create", "event", "event"], out)
        out, _ = self.run_ctl("case", "show", str(cid))
        self.assertEqual(block(out)["final"], "yes", out)
        self.assertIn("accepts no events (final state)", out)

    def test_workflows_and_health(self):
        out, _ = self.run_ctl("workflows")
        names, rows = table(out)
        self.assertEqual(names[:3], ["NAME", "VERSION", "START"], out)
        byname = {r["NAME"]: r for r in rows}
        self.assertEqual(byname["zelfmelding"]["START"], "awaiting_self_report", out)
        self.assertEqual(byname["stabilisatie"]["START"], "stabilising", out)
        self.assertIn("youth_worker_reports", byname["zelfmelding"]["STATES"], out)

        # healthz needs no token.
        out, _ = self.run_ctl("health", token="")
        self.assertEqual(out, "ok\n")

    def test_json_is_the_api_body(self):
        cid, _, _ = self.create()
        for args, path in ((("case", "show", str(cid)), "/v1/cases/%d" % cid),
                           (("case", "transitions", str(cid)),
                            "/v1/cases/%d/transitions" % cid),
                           (("workflows",), "/v1/workflows")):
            out, _ = self.run_ctl("--json", *args)
            self.assertEqual(json.loads(out), self.d.request("GET", path).body, args)
            self.assertIn('\n  "', out, "not pretty-printed: %r" % out[:200])
        out, _ = self.run_ctl("--json", "health", token="")
        self.assertEqual(json.loads(out), {"status": "ok"})

    # -- errors ---------------------------------------------------------------

    def test_errors(self):
        # No token: said before anything is sent.
        out, err = self.run_ctl("case", "list", token="", expect=2)
        self.assertIn("no token", err)
        self.assertIn("TERMIJN_TOKEN", err)
        # A wrong token is the server's 401.
        out, err = self.run_ctl("case", "list", token="tmj_" + "A" * 43, expect=1)
        self.assertTrue(err.startswith("termijnctl: 401 "), err)
        # Nobody listening: the message names the URL.
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        dead = "http://127.0.0.1:%d" % s.getsockname()[1]
        s.close()
        out, err = self.run_ctl("case", "show", "1", url=dead, expect=1)
        self.assertIn(dead, err)
        self.assertIn("refused", err.lower())
        out, err = self.run_ctl("--url", dead, "health", expect=1)
        self.assertIn(dead, err)
        # Usage errors: exit 2 with the usage, nothing sent.
        for args in (("case", "show", "abc"), ("case", "show"), ("case", "frob"),
                     ("case",), ("--bogus", "health"), (),
                     ("case", "create", "--workflow", "zelfmelding"),
                     ("case", "list", "--limit", "x"), ("--timeout", "0", "health"),
                     ("case", "list", "--json")):
            out, err = self.run_ctl(*args, expect=2)
            self.assertIn("usage: termijnctl", err, args)
            self.assertEqual(out, "", args)
        # A reference that looks like a citizen service number never leaves.
        out, err = self.run_ctl("case", "create", "--workflow", "zelfmelding",
                                "--reference", "123456782", "--team", "t", expect=2)
        self.assertIn("citizen service number", err)
        self.assertNotIn("123456782", err)
        # Help and version go to stdout.
        out, _ = self.run_ctl("--help")
        self.assertIn("case create", out)
        out, _ = self.run_ctl("help", "case", "event")
        self.assertIn("case event ID EVENT", out)
        out, _ = self.run_ctl("--version")
        self.assertTrue(out.startswith("termijnctl "), out)

    def test_token_never_echoed(self):
        out, err = self.run_ctl("case", "show", "1", "--token=" + self.d.token,
                                expect=2)
        self.assertIn("--token", err)

    # -- offline --------------------------------------------------------------

    def test_token_create(self):
        name = "worker-" + secrets.token_hex(3)
        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", name,
                                "--role", "caseworker", token="")
        self.assertTrue(out.endswith("\n") and out.count("\n") == 1, repr(out))
        token = out.strip()
        self.assertRegex(token, TOKEN_RE)
        self.assertNotIn(token, err)
        # It works against the API, through termijnctl and directly.
        out, _ = self.run_ctl("workflows", token=token)
        self.assertIn("zelfmelding", out)
        self.assertEqual(self.d.request("GET", "/v1/workflows", token=token).status, 200)

        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", name,
                                "--role", "caseworker", token="", expect=1)
        self.assertEqual(out, "")
        self.assertIn("exists", err)
        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", "w2",
                                "--role", "king", token="", expect=2)
        self.assertIn("role", err)
        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", "bad name",
                                "--role", "reader", token="", expect=2)
        self.assertIn("--name", err)
        missing = os.path.join(self.tmpdir, "missing.db")
        out, err = self.run_ctl("token", "create", "--db", missing, "--name", "w3",
                                "--role", "reader", token="", expect=1)
        self.assertIn(missing, err)
        self.assertFalse(os.path.exists(missing))

    def test_check(self):
        out, _ = self.run_ctl("check", "--workflows",
                              os.path.join(source_dir(), "workflows"))
        self.assertEqual(out, "OK\n")

        bad = os.path.join(self.tmpdir, "workflows")
        os.mkdir(bad)
        shutil.copy(os.path.join(source_dir(), "workflows", "zelfmelding.yaml"), bad)
        with open(os.path.join(bad, "broken.yaml"), "w") as f:
            f.write("workflow: broken\nversion: 1\nstart: a\nstates:\n"
                    "  a:\n    bogus: 1\n    events:\n      go: nowhere\n"
                    "  b:\n    final: true\n")
        out, err = self.run_ctl("check", "--workflows", bad, expect=1)
        lines = out.splitlines()
        self.assertTrue(lines, "no errors printed; stderr: " + err)
        self.assertNotIn("OK", lines)
        for line in lines:
            self.assertRegex(line, r"broken\.yaml:\d+:\d+: \S")
        self.assertTrue(any("bogus" in l for l in lines), out)
        self.assertTrue(any("nowhere" in l for l in lines), out)


if __name__ == "__main__":
    unittest.main()
