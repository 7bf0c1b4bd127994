"""termijnctl, the real binary, against a real termijnd.

CtlTest: one termijnd for the class (fresh database, shipped workflows, real
clock); each test makes its own cases, under a team of its own where it
lists them.  CtlClockTest: a termijnd of its own whose clock faketime moves,
for what only shows as time passes: suspension, ladders, notifications.
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

from harness import (SANITIZER_MARKS, ClassDaemonTestCase, FakeClock, TermijnTestCase,
                     build_dir, local, source_dir, termijnctl_path, wait_until)

TOKEN_RE = re.compile(r"^tmj_[A-Za-z0-9_-]{43}$")
FAST = {"scheduler": {"recheck_interval": 0.1}}


def table(text):
    """An aligned table as a list of rows, each a dict from header to cell.
    Columns are found from the header: each starts where its name does.
    Lines indented further than the header (a transition's note under its
    row) are no rows."""
    lines = [l for l in text.splitlines() if l.strip()]
    indent = len(lines[0]) - len(lines[0].lstrip())
    lines = [l for l in lines if len(l) - len(l.lstrip()) <= indent]
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


def ident(cell):
    """The name in a cell that shows a title and its name, "Gezin meldt
    zelf (awaiting_self_report)", or the cell itself, a name without a
    title."""
    m = re.match(r"^.* \(([a-z][a-z0-9_]*)\)$", cell)
    return m.group(1) if m else cell


def shown(obj, key=None):
    """How termijnctl shows a name of the API's obj in a table: by its
    title ("state_title", or with key None "title"), else by the name."""
    if key is None:
        return obj.get("title") or obj["name"]
    return obj.get(key + "_title") or obj[key] or "-"


def accepts(text):
    """The events case show says the case accepts: [(name, title)], a
    title None when the workflow gives none."""
    part = text.split("\n\n")[-1]
    lines = part.splitlines()
    assert lines and lines[0] == "accepts:", part
    return [tuple(l.strip().split("  ", 1)) if "  " in l.strip() else (l.strip(), None)
            for l in lines[1:]]


def deadlines(text):
    """The deadline blocks of case show, each a dict: name, title (None when
    it has none), state (as shown: its title; None for a case deadline),
    fields ({"state": "running", "due": ...}), explanation (its lines, a
    wrapped one joined again), and ladder (the table's rows, or the line
    that says there are none)."""
    out = []
    for part in text.split("\n\n"):
        lines = part.splitlines()
        m = re.match(r"^deadline (?:(.+) \(([a-z][a-z0-9_]*)\)|([a-z][a-z0-9_]*)), of "
                     r"(?:state (.+)|the case)$", lines[0] if lines else "")
        if not m:
            continue
        d = {"name": m.group(2) or m.group(3), "title": m.group(1), "state": m.group(4),
             "fields": {}, "explanation": [], "ladder": None}
        rest = lines[1:]
        while rest:
            line = rest.pop(0)
            if line == "  explanation:":
                while rest and rest[0].startswith("    "):
                    l = rest.pop(0)
                    if l.startswith("      "):
                        d["explanation"][-1] += " " + l.strip()
                    else:
                        d["explanation"].append(l[4:])
            elif line == "  ladder:":
                assert all(l.startswith("    ") for l in rest), part
                d["ladder"] = table("\n".join(l[4:] for l in rest))[1]
                break
            elif line.startswith("  ladder: "):
                d["ladder"] = line[len("  ladder: "):]
            else:
                m = re.match(r"^  ([a-z ]+):\s+(.*)$", line)
                assert m, "unexpected line %r in\n%s" % (line, part)
                d["fields"][m.group(1)] = m.group(2)
        out.append(d)
    return out


def notifications(text):
    """The notifications table of case show as rows; [] when it says none."""
    for part in text.split("\n\n"):
        if part.strip("\n") == "no notifications":
            return []
        if part.startswith("notifications:\n"):
            lines = part.splitlines()[1:]
            assert all(l.startswith("  ") for l in lines), part
            names, rows = table("\n".join(l[2:] for l in lines))
            assert names == ["AT", "ROLE", "DEADLINE", "RUNG", "SEQ", "MISSED"], part
            return rows
    raise AssertionError("case show printed no notifications part:\n" + text)


def steady(body):
    """A case, or a body that holds cases, without what changes from one
    request to the next: the seconds a running deadline has left."""
    if isinstance(body, dict):
        return {k: steady(v) for k, v in body.items() if k != "time_left_seconds"}
    if isinstance(body, list):
        return [steady(v) for v in body]
    return body


class CtlRun:
    """Running termijnctl against self.d at self.url."""

    ctl = None

    def run_ctl(self, *args, token=None, url=None, env=None, expect=0):
        """Runs termijnctl; returns (stdout, stderr).  The admin token and
        the class's URL come from the environment unless overridden."""
        ctl = self.ctl or termijnctl_path()
        e = dict(os.environ)
        e.pop("TERMIJN_TOKEN", None)
        e["TERMIJN_URL"] = url or self.url
        e["TERMIJN_TOKEN"] = token if token is not None else self.d.token
        e.update(env or {})
        p = subprocess.run([ctl] + list(args), env=e, capture_output=True,
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
        """A team of the test's own, known to termijnd; the test's token is
        in it (and in jeugd-noord) from now on."""
        team = self.d.add_team("team-" + secrets.token_hex(4))
        self.d.token = self.d.make_token("worker-" + team, "caseworker",
                                         (team, "jeugd-noord"))
        return team

    def create(self, team="jeugd-noord", workflow="zelfmelding", *extra):
        ref = "Z-2026-" + secrets.token_hex(3)
        out, _ = self.run_ctl("case", "create", "--workflow", workflow,
                              "--reference", ref, "--team", team, *extra)
        b = block(out)
        self.assertEqual(b.get("reference"), ref, out)
        return int(b["id"]), ref, out

    def assertFits(self, out, width=100):
        for line in out.splitlines():
            self.assertLessEqual(len(line), width, "wider than %d: %r" % (width, line))


class CtlTest(CtlRun, ClassDaemonTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ctl = termijnctl_path()
        cls.url = "http://%s:%d" % (cls.d.host, cls.d.port)

    # -- the API commands ---------------------------------------------------

    def test_create_and_show(self):
        cid, ref, out = self.create()
        b = block(out)
        # The workflow and the state as people read them, and as typed.
        self.assertEqual(b["workflow"], "Zelfmelding van inkomsten (zelfmelding)", out)
        self.assertEqual(b["version"], "6", out)
        self.assertEqual(b["team"], "jeugd-noord", out)
        self.assertEqual(b["state"], "Gezin meldt zelf (awaiting_self_report)", out)
        self.assertEqual(b["final"], "no", out)
        self.assertEqual(accepts(out), [("family_reported", "Gezin heeft zelf gemeld")], out)

        api = self.d.case(cid)
        out, err = self.run_ctl("case", "show", str(cid))
        self.assertEqual(err, "")
        self.assertEqual(ident(block(out)["state"]), "awaiting_self_report", out)
        self.assertEqual(block(out)["started at"], api["started_at"], out)
        # The deadline, its explanation and ladder; no notifications yet;
        # then what the case accepts.
        dl = api["deadlines"][0]
        shown = deadlines(out)
        self.assertEqual(len(shown), 1, out)
        self.assertEqual((shown[0]["name"], shown[0]["title"], shown[0]["state"]),
                         (dl["name"], "Termijn gezin", "Gezin meldt zelf"), out)
        f = shown[0]["fields"]
        self.assertEqual(f["state"], "running", out)
        self.assertEqual(f["due"], "%s, overdue from %s" % (dl["due"], dl["overdue_from"]),
                         out)
        self.assertRegex(f["time left"], r"^4[12] days( \d+ hours?)?$", out)
        self.assertEqual((f["kind"], f["rule"], f["period"], f["then"], f["extensions"]),
                         ("agreement", "plain", "P6W", "Jeugdhulpverlener meldt", "none"), out)
        self.assertEqual(shown[0]["explanation"], dl["explanation"], out)
        self.assertEqual(shown[0]["ladder"],
                         [{"RUNG": r["title"], "SEQ": str(r["seq"]), "AT": r["at"],
                           "STATUS": "pending"} for r in dl["rungs"]], out)
        self.assertEqual([r["RUNG"] for r in shown[0]["ladder"]],
                         ["1 week vooraf", "de termijn verstrijkt"], out)
        self.assertEqual(notifications(out), [], out)
        self.assertEqual(out.split("\n\n")[-1],
                         "accepts:\n  family_reported  Gezin heeft zelf gemeld\n", out)
        self.assertFits(out)

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
            self.assertEqual(r["STATE"], "Gezin meldt zelf", out)
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
        self.assertEqual(steady(body["cases"][0]), steady(self.d.case(ids[0])))

        out, _ = self.run_ctl("case", "list", "--team", team, "--state", "closed")
        self.assertEqual(table(out)[1], [], out)

    def test_event_and_refused_event(self):
        cid, _, _ = self.create()
        out, _ = self.run_ctl("case", "event", str(cid), "family_reported",
                              "--note", "income reported at the desk")
        self.assertEqual(ident(block(out)["state"]), "self_reported", out)
        self.assertEqual(accepts(out), [("close", "Zaak afsluiten")], out)
        self.assertEqual(self.d.case(cid)["state"], "self_reported")

        out, err = self.run_ctl("case", "event", str(cid), "family_reported", expect=1)
        self.assertEqual(out, "")
        first = err.splitlines()[0]
        self.assertTrue(first.startswith("termijnctl: 409 Conflict: "), err)
        self.assertIn("self_reported", first)
        self.assertIn("accepts: close", err)
        # Said once, and never the refused event as accepted.
        self.assertEqual(err.count("accepts:"), 1, err)
        self.assertNotIn("family_reported", err.split("accepts:")[1])
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
        self.assertEqual(names, ["ID", "AT", "FROM", "TO", "CAUSE", "EVENT", "ACTOR"],
                         out)
        api = self.d.transitions(cid)
        self.assertEqual(len(rows), 3, out)
        for r, t in zip(rows, api):
            # States and events by their titles.
            self.assertEqual(r, {"ID": str(t["id"]), "AT": t["at"],
                                 "FROM": shown(t, "from"), "TO": shown(t, "to"),
                                 "CAUSE": t["cause"], "EVENT": shown(t, "event"),
                                 "ACTOR": t["actor"]}, out)
        self.assertEqual([(r["TO"], r["EVENT"]) for r in rows[1:]],
                         [("Inkomen handelt af", "Gezin heeft zelf gemeld"),
                          ("Afgesloten", "Zaak afsluiten")], out)
        self.assertEqual([r["CAUSE"] for r in rows], ["create", "event", "event"], out)
        out, _ = self.run_ctl("case", "show", str(cid))
        self.assertEqual(block(out)["final"], "yes", out)
        self.assertIn("accepts no events (final state)", out)

    def test_transitions_say_to_whom_a_case_went(self):
        cid, _, _ = self.create()
        self.d.make_token("behandelaar-noord-1", "caseworker", ["jeugd-noord"])
        self.run_ctl("case", "assign", str(cid), "behandelaar-noord-1")
        self.run_ctl("case", "assign", str(cid), "--none")
        out, _ = self.run_ctl("case", "transitions", str(cid))
        names, rows = table(out)
        self.assertEqual(names, ["ID", "AT", "FROM", "TO", "CAUSE", "EVENT", "ACTOR",
                                 "ASSIGNEE"], out)
        api = self.d.transitions(cid)
        self.assertEqual([t.get("assignee") for t in api], [None, "behandelaar-noord-1", None])
        self.assertEqual([(r["CAUSE"], r["ASSIGNEE"]) for r in rows],
                         [("create", "-"), ("assign", "behandelaar-noord-1"),
                          ("assign", "nobody")], out)

    def test_notes_where_people_look(self):
        """case transitions and case show show each transition's note under
        its row, wrapped, and made safe: a note cannot drive the terminal.
        A correction shows its reason and which transition it corrects."""
        cid, _, _ = self.create()
        note = os.path.join(self.d.tmpdir, "note-%d.txt" % cid)
        with open(note, "w", newline="") as f:
            f.write("Gezin belde op dinsdag:\r\n\x1b[2J\x1b]0;pwned\x07inkomsten uit"
                    " de kwekerij gemeld aan de balie, het formulier volgt per post en"
                    " \u202eniet per mail\n")
        self.run_ctl("case", "event", str(cid), "family_reported", "--note-file", note)
        sup = self.d.make_token("sup-" + secrets.token_hex(4), "supervisor", ["jeugd-noord"])
        self.run_ctl("case", "correct", str(cid), "--reason", "verkeerde zaak", token=sup)
        api = self.d.transitions(cid)
        event, correction = api[1]["id"], api[2]["id"]

        out, err = self.run_ctl("case", "transitions", str(cid))
        self.assertEqual(err, "")
        names, rows = table(out)
        self.assertEqual(names, ["ID", "AT", "FROM", "TO", "CAUSE", "EVENT", "ACTOR",
                                 "CORRECTS"], out)
        self.assertEqual([(r["ID"], r["CAUSE"], r["CORRECTS"]) for r in rows],
                         [(str(api[0]["id"]), "create", "-"), (str(event), "event", "-"),
                          (str(correction), "correction", str(event))], out)
        lines = out.splitlines()
        at = [i for i, l in enumerate(lines) if l.startswith(str(event) + " ")][0]
        self.assertEqual(lines[at + 1], "    note: Gezin belde op dinsdag:", out)
        body = lines[at + 2:lines.index([l for l in lines
                                          if l.startswith(str(correction) + " ")][0])]
        self.assertTrue(all(l.startswith("          ") for l in body), out)
        self.assertEqual(" ".join(l.strip() for l in body),
                         "\\x1b[2J\\x1b]0;pwned\\x07inkomsten uit de kwekerij gemeld"
                         " aan de balie, het formulier volgt per post en \\u202eniet"
                         " per mail", out)
        self.assertGreater(len(body), 1, "not wrapped: %r" % out)
        self.assertEqual(lines[-1], "    reason: verkeerde zaak", out)
        for bad in ("\x1b", "\x07", "\r", "\u202e"):
            self.assertNotIn(bad, out)
        self.assertFits("\n".join(l for l in lines if l.startswith(" ")), 72)

        # case show: the same history, between the notifications and what
        # the case accepts.
        out, err = self.run_ctl("case", "show", str(cid))
        self.assertEqual(err, "")
        parts = out.split("\n\n")
        hist = [p for p in parts if p.startswith("history:\n")]
        self.assertEqual(len(hist), 1, out)
        self.assertIn("\n      note: Gezin belde op dinsdag:\n", hist[0])
        self.assertIn("\n      reason: verkeerde zaak", hist[0])
        self.assertTrue(parts[-1].startswith("accepts:\n  family_reported"), out)
        self.assertNotIn("\x1b", out)
        # With --json, the case as the API gives it, and nothing else.
        out, _ = self.run_ctl("--json", "case", "show", str(cid))
        self.assertNotIn("transitions", json.loads(out))

    def test_transitions_past_one_page(self):
        # 501 transitions: the API gives 500 a page; termijnctl follows on.
        cid = self.d.create_case(workflow="beslistermijn",
                                 reference="A-2026-%04d" % (os.getpid() % 10000))["id"]
        conn = self.d.connection()
        hdrs = {"Authorization": "Bearer " + self.d.token,
                "Content-Type": "application/json"}
        for i in range(250):
            for body in ({"event": "request_completion", "note": "round %d" % i},
                         {"event": "completed"}):
                conn.request("POST", "/v1/cases/%d/events" % cid, json.dumps(body), hdrs)
                r = conn.getresponse()
                r.read()
                self.assertEqual(r.status, 200)
        out, _ = self.run_ctl("--json", "case", "transitions", str(cid))
        got = json.loads(out)
        self.assertEqual(len(got["transitions"]), 501)
        self.assertEqual(got["transitions"][-1]["event"], "completed")
        self.assertIsNone(got["next_cursor"])

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
            self.assertEqual(steady(json.loads(out)),
                             steady(self.d.request("GET", path).body), args)
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
                     ("case", "list", "--timeout", "0"), ("case", "list", "--json", "--csv"),
                     ("case", "show", "1", "--csv")):
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
        out, err = self.run_ctl("case", "show", "1", "--tokens=" + self.d.token,
                                expect=2)
        self.assertIn("unknown option --tokens", err)
        self.assertNotIn(self.d.token, err)

    def test_refusals_name_the_flags(self):
        """What termijnd refuses is said in the command line's words: the flag
        that was typed, not the JSON member it became; a team typed wrong
        gets the token's own team it most likely meant."""
        ref = "Z-2026-%s" % secrets.token_hex(3)
        self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference", ref,
                     "--team", "jeugd-noord")
        _, err = self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                              ref, "--team", "jeugd-noord", expect=1)
        self.assertIn("to register another on purpose, give --duplicate", err)
        self.assertNotIn('"duplicate"', err)
        _, err = self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                              ref + "b", "--team", "jeugd-noord", "--started-at",
                              "2026-13-01", expect=1)
        self.assertIn("400 Bad Request: --started-at: ", err)
        _, err = self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                              ref + "c", "--team", "jeugd-nord", expect=1)
        self.assertIn('no team "jeugd-nord" (did you mean "jeugd-noord"?)', err)
        # The API itself keeps its own words.
        r = self.d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                                 "reference": ref, "team": "jeugd-noord"})
        self.assertEqual(r.status, 409)
        self.assertIn('give "duplicate": true', r.body["detail"])

    def test_global_options_after_the_command(self):
        """termijnctl overdue --json is termijnctl --json overdue."""
        self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                     "Z-2026-%s" % secrets.token_hex(3), "--team", "jeugd-noord")
        before, _ = self.run_ctl("--json", "case", "list")
        after, _ = self.run_ctl("case", "list", "--json")
        same = lambda out: [(c["id"], c["state"]) for c in json.loads(out)["cases"]]
        self.assertEqual(same(after), same(before))
        self.assertGreater(len(same(after)), 0)
        # --url after the command is where the command goes.
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        dead = "http://127.0.0.1:%d" % s.getsockname()[1]
        s.close()
        out, err = self.run_ctl("case", "list", "--url", dead, expect=1)
        self.assertIn(dead, err)

    def test_csv(self):
        """--csv prints the API's own CSV; with --all, one table of every page."""
        for i in range(3):
            self.run_ctl("case", "create", "--workflow", "zelfmelding", "--reference",
                         "Z-2026-%s" % secrets.token_hex(3), "--team", "jeugd-noord")
        raw = self.d.request("GET", "/v1/cases?limit=500",
                             headers={"Accept": "text/csv"}).raw.decode()
        self.assertTrue(raw.startswith("\ufeffid,workflow,"), raw[:40])
        self.assertGreaterEqual(raw.count("\r\n"), 4)
        out, _ = self.run_ctl("--csv", "case", "list", "--limit", "500")
        self.assertEqual(out, raw)
        paged, _ = self.run_ctl("case", "list", "--csv", "--limit", "1", "--all")
        self.assertEqual(paged, raw)
        for view in (("overdue",), ("at-risk",), ("summary",), ("queue",),
                     ("report", "--from", "2026-01-01", "--to", "2027-01-01")):
            out, _ = self.run_ctl(*view, "--csv")
            self.assertTrue(out.startswith("\ufeff"), view)
            self.assertTrue(out.endswith("\r\n"), view)

    # -- offline --------------------------------------------------------------

    def test_token_create(self):
        name = "worker-" + secrets.token_hex(3)
        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", name,
                                "--role", "caseworker", "--team", "jeugd-noord", token="")
        self.assertTrue(out.endswith("\n") and out.count("\n") == 1, repr(out))
        token = out.strip()
        self.assertRegex(token, TOKEN_RE)
        self.assertNotIn(token, err)
        # It works against the API, through termijnctl and directly.
        out, _ = self.run_ctl("workflows", token=token)
        self.assertIn("zelfmelding", out)
        self.assertEqual(self.d.request("GET", "/v1/workflows", token=token).status, 200)

        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", name,
                                "--role", "caseworker", "--team", "jeugd-noord", token="",
                                expect=1)
        self.assertEqual(out, "")
        self.assertIn("exists", err)
        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", "w2",
                                "--role", "king", "--team", "t", token="", expect=2)
        self.assertIn("role", err)
        out, err = self.run_ctl("token", "create", "--db", self.d.db, "--name", "bad name",
                                "--role", "reader", "--team", "t", token="", expect=2)
        self.assertIn("--name", err)
        missing = os.path.join(self.tmpdir, "missing.db")
        out, err = self.run_ctl("token", "create", "--db", missing, "--name", "w3",
                                "--role", "reader", "--team", "t", token="", expect=1)
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


class CtlClockTest(CtlRun, TermijnTestCase):
    """A termijnd of the test's own, its clock moved by faketime."""

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        self.url = "http://%s:%d" % (self.d.host, self.d.port)

    def token(self, name, role, *teams):
        """A token made offline by an administrator, as the README says, in
        jeugd-noord and the teams given."""
        args = []
        for team in ("jeugd-noord",) + teams:
            args += ["--team", team]
        out, _ = self.run_ctl("token", "create", "--db", self.d.db, "--name", name,
                              "--role", role, *args, token="")
        return out.strip()

    def wait_case(self, cid, what, fn):
        """Poll the API until fn(case) holds: the faked clock has passed a
        moment, and the scheduler must notice without anybody sleeping."""
        return wait_until(lambda: (lambda c: c if fn(c) else None)(self.d.case(cid)),
                          10.0, what="case %d: %s" % (cid, what))

    def test_beslistermijn(self):
        """A decision period as a caseworker sees it: King's Day in its
        explanation, its ladder, suspended and resumed, an extension the
        caseworker may not give, and the reminder a week before it ends."""
        self.start(local(2026, 3, 2, 10, 0))
        team = self.team()
        worker = self.token("worker-a", "caseworker", team)
        a, _, out = self.create(team, "beslistermijn")
        b, _, _ = self.create(team, "beslistermijn")

        # 8 weeks from Monday 2 March end on Monday 27 April, King's Day.
        api = self.d.case(a)["deadlines"][0]
        dl = deadlines(out)
        self.assertEqual(len(dl), 1, out)
        dl = dl[0]
        self.assertEqual((dl["name"], dl["title"], dl["state"]),
                         ("decision", "Beslistermijn", "In behandeling"), out)
        self.assertEqual(dl["fields"], {
            "state": "running",
            "due": "2026-04-28, overdue from 2026-04-29T00:00:00+02:00",
            # 57 days and 14 hours to the end of the 28th, less the hour
            # summer time takes, less the moments since 10:00.
            "time left": "57 days 12 hours",
            "kind": "decision", "rule": "atw", "period": "P8W",
            "then": "Beslistermijn verstreken", "extensions": "none"}, out)
        self.assertEqual(dl["explanation"], api["explanation"], out)
        self.assertIn("    2026-04-27 is King's Day, so 2026-04-28\n", out)
        self.assertEqual(dl["ladder"], [
            {"RUNG": "1 week vooraf", "SEQ": "1",
             "AT": "2026-04-22T00:00:00+02:00", "STATUS": "pending"},
            {"RUNG": "1 dag vooraf", "SEQ": "1",
             "AT": "2026-04-28T00:00:00+02:00", "STATUS": "pending"},
            {"RUNG": "de termijn verstrijkt", "SEQ": "1", "AT": "2026-04-29T00:00:00+02:00",
             "STATUS": "pending"},
            {"RUNG": "2 werkdagen erna", "SEQ": "1",
             "AT": api["rungs"][3]["at"], "STATUS": "pending"}], out)
        self.assertEqual(notifications(out), [], out)
        self.assertFits(out)

        # The application is incomplete: the caseworker asks for the rest,
        # which needs a reason, on 10 March; the period stops counting.
        self.clock.set(local(2026, 3, 10, 9, 0))
        out, err = self.run_ctl("case", "event", str(b), "request_completion",
                                token=worker, expect=1)
        self.assertEqual(out, "")
        self.assertTrue(err.startswith("termijnctl: 400 Bad Request: "), err)
        self.assertIn("reason", err)
        out, err = self.run_ctl("case", "event", str(b), "request_completion",
                                "--note", "form B is missing", token=worker)
        self.assertEqual(err, "")
        self.assertEqual(ident(block(out)["state"]), "deciding", out)
        dl = deadlines(out)[0]
        self.assertRegex(dl["fields"]["state"],
                         r"^suspended since 2026-03-10T09:0\d:\d\d(\.\d+)?\+01:00$", out)
        self.assertEqual(dl["fields"]["due"], "suspended, 49 days left", out)
        self.assertNotIn("time left", dl["fields"], out)
        self.assertEqual(dl["ladder"],
                         "none pending; its rungs wait while it is suspended", out)
        self.assertFalse(self.d.case(b)["deadlines"][0]["running"])
        # The list passes over what is suspended.
        out, _ = self.run_ctl("case", "list", "--team", team)
        self.assertEqual({r["ID"]: r["NEXT DUE"] for r in table(out)[1]},
                         {str(a): "2026-04-28", str(b): "suspended"}, out)

        # Completed on 16 March: 11 to 16 March do not count, 6 days, and
        # the period ends on Sunday 3 May, so on Monday 4 May.
        self.clock.set(local(2026, 3, 16, 9, 0))
        out, err = self.run_ctl("case", "event", str(b), "completed", token=worker)
        self.assertEqual(err, "")
        api = self.d.case(b)["deadlines"][0]
        dl = deadlines(out)[0]
        self.assertEqual(dl["fields"]["state"], "running", out)
        self.assertEqual(dl["fields"]["due"],
                         "2026-05-04, overdue from 2026-05-05T00:00:00+02:00", out)
        self.assertEqual(dl["explanation"], api["explanation"], out)
        self.assertTrue(any(l.startswith("suspended 6 days") for l in dl["explanation"]),
                        out)
        self.assertEqual(dl["ladder"][0], {"RUNG": "1 week vooraf", "SEQ": "1",
                                           "AT": "2026-04-28T00:00:00+02:00",
                                           "STATUS": "pending"}, out)

        # Only a supervisor may defer the decision: the caseworker is told
        # so, and which roles may, and nothing changes.
        out, err = self.run_ctl("case", "event", str(b), "extend", "--note",
                                "an expert opinion is needed", token=worker, expect=1)
        self.assertEqual(out, "")
        self.assertEqual(err.splitlines(), [
            "termijnctl: 403 Forbidden: role caseworker may not record event extend;"
            " it is for: supervisor"], err)
        self.assertEqual(self.d.case(b)["deadlines"][0]["extensions"], [])
        self.assertEqual(self.d.case(b)["deadlines"][0]["due"], "2026-05-04")

        # A week before case a's period ends, the caseworker hears of it;
        # case b's reminder moved with its period and waits.
        self.clock.set(local(2026, 4, 22, 0, 0, 1))
        self.wait_case(a, "the reminder a week before", lambda c: c["notifications"])
        out, _ = self.run_ctl("case", "show", str(a))
        self.assertEqual(notifications(out), [
            {"AT": "2026-04-22T00:00:00+02:00", "ROLE": "consulent",
             "DEADLINE": "Beslistermijn", "RUNG": "1 week vooraf", "SEQ": "1",
             "MISSED": "-"}], out)
        dl = deadlines(out)[0]
        self.assertRegex(dl["ladder"][0]["STATUS"],
                         r"^fired 2026-04-22T00:0\d:\d\d(\.\d+)?\+02:00$", out)
        self.assertEqual([r["STATUS"] for r in dl["ladder"][1:]], ["pending"] * 3, out)
        self.assertEqual(dl["fields"]["time left"], "6 days 23 hours", out)
        self.assertFits(out)
        out, _ = self.run_ctl("case", "show", str(b))
        self.assertEqual(notifications(out), [], out)

        # --json stays the API's body.
        out, _ = self.run_ctl("--json", "case", "show", str(a))
        self.assertEqual(steady(json.loads(out)), steady(self.d.case(a)))
        self.assertIn("time_left_seconds", json.loads(out)["deadlines"][0], out)

    def test_event_date(self):
        """--date carries the date an event happened: a compliance period
        counts from the decision's date, not from when it was recorded."""
        self.start(local(2026, 3, 2, 10, 0))
        cid, _, _ = self.create(self.team(), "last_onder_dwangsom")
        self.run_ctl("case", "event", str(cid), "view_received")
        out, err = self.run_ctl("case", "event", str(cid), "decision_sent", expect=1)
        self.assertTrue(err.startswith("termijnctl: 400 "), err)
        self.assertIn("date", err)
        out, err = self.run_ctl("case", "event", str(cid), "decision_sent",
                                "--date", "2026-02-30", expect=1)
        self.assertTrue(err.startswith("termijnctl: 400 "), err)
        self.assertIn("2026-02-30", err)
        out, err = self.run_ctl("case", "event", str(cid), "decision_sent",
                                "--date", "2026-02-27")
        self.assertEqual(ident(block(out)["state"]), "compliance", out)
        dl = deadlines(out)[0]
        self.assertEqual(dl["name"], "begunstigingstermijn", out)
        self.assertEqual(dl["fields"]["due"],
                         "2026-03-27, overdue from 2026-03-28T00:00:00+01:00", out)
        self.assertEqual(dl["explanation"][0], "4 weeks from 2026-02-27: raw end 2026-03-27",
                         out)
        self.assertEqual(self.d.case(cid)["deadlines"][0]["due"], "2026-03-27")


if __name__ == "__main__":
    unittest.main()
