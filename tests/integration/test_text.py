"""Free text is kept whole or refused, never cut.

A note, a correction's reason, a share's purpose, a team's title: each has
one limit, in bytes of UTF-8 (README, "Limits on text").  What exceeds it,
and what is not UTF-8, is refused (400) naming the field and the limit, and
changes nothing; what fits, up to the last byte and in characters of two,
three and four bytes, comes back exactly as it was written, from the
history, the participants and the export a citizen's request for access is
answered with.  termijnctl refuses the same before it sends or writes
anything, and says so.  One termijnd for the class, shipped workflows, real
clock.
"""

import os
import secrets
import subprocess
import unittest

from harness import ClassDaemonTestCase, db_execute, run_termijnctl, termijnctl_path

NOTE_MAX = 1024
PURPOSE_MAX = 255
TITLE_MAX = 255


def utf8_text(n, chars="é€😀a"):
    """Exactly n bytes of UTF-8: characters of 2, 3, 4 and 1 bytes (or
    those given) in turn, as many as fit, then ASCII up to byte n."""
    out, size, i = [], 0, 0
    while True:
        c = chars[i % len(chars)]
        if size + len(c.encode()) > n:
            break
        out.append(c)
        size += len(c.encode())
        i += 1
    out.append("x" * (n - size))
    text = "".join(out)
    assert len(text.encode()) == n
    return text


class TextTest(ClassDaemonTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        d = cls.d
        cls.boss = d.make_token("baas-t", "supervisor", ["t"])

    def stabilisatie(self):
        """A case of team t in which handhaving takes part."""
        cid = self.d.create_case(workflow="stabilisatie", team="t")["id"]
        self.d.share(cid, "handhaving", "consent", purpose="afstemming")
        return cid

    def snapshot(self, cid):
        """What a refused write must leave as it was: the case's history, its
        participants, its state and who has it."""
        return (self.d.db_query("SELECT id, cause, note, hash FROM transitions"
                                " WHERE case_id = ? ORDER BY id", (cid,)),
                self.d.db_query("SELECT team, purpose, until FROM participants"
                                " WHERE case_id = ? ORDER BY id", (cid,)),
                self.d.db_query("SELECT state, coordinator, assignee FROM cases"
                                " WHERE id = ?", (cid,)))

    def refused(self, cid, method, path, body, *words, token=None, headers=None):
        """A write refused with 400 naming words, the case unchanged."""
        before = self.snapshot(cid)
        r = self.d.request(method, path, body, headers=headers,
                           token=token or self.d.token)
        problem = self.assertProblem(r, 400, *words)
        self.assertEqual(self.snapshot(cid), before, (path, problem))
        return problem

    def test_too_long_is_refused_whole(self):
        """One byte over the limit, in ASCII or inside a character, is a 400
        naming the field and its limit; the case keeps its history."""
        d = self.d
        cid = self.stabilisatie()
        case = "/v1/cases/%d" % cid
        for over in (utf8_text(NOTE_MAX + 1), "a" + "é" * (NOTE_MAX // 2), "x" * 5000):
            self.refused(cid, "POST", case + "/events",
                         {"event": "stabilised", "note": over}, "note", "1024")
            self.refused(cid, "POST", case + "/coordinator",
                         {"team": "handhaving", "note": over}, "note", "1024")
            self.refused(cid, "POST", case + "/assign",
                         {"assignee": "worker", "note": over}, "note", "1024")
        # A purpose of 256 bytes: the cut that kept 255 fell inside the "é".
        for over in (utf8_text(PURPOSE_MAX + 1), "a" * 254 + "é", "p" * 5000):
            self.refused(cid, "POST", case + "/participants",
                         {"team": "inkomen", "basis": "consent", "purpose": over},
                         "purpose", "255")
        d.event(cid, "stabilised")
        self.refused(cid, "POST", case + "/corrections",
                     {"reason": utf8_text(NOTE_MAX + 1)}, "reason", "1024",
                     token=self.boss)
        # What a reader says of why it reads, and an administrator of teams.
        before = self.snapshot(cid)
        reads = d.db_query("SELECT count(*) FROM reads")
        r = d.request("GET", case, headers={"Read-Purpose": "b" * (PURPOSE_MAX + 1)})
        self.assertProblem(r, 400, "Read-Purpose", "255")
        self.assertEqual(d.db_query("SELECT count(*) FROM reads"), reads)
        teams = d.request("GET", "/v1/teams").body
        for body, field, limit in (
                ({"name": "tt", "title": utf8_text(TITLE_MAX + 1)}, "title", "255"),
                ({"name": "tt", "title": "T", "organisation": "o" * 256},
                 "organisation", "255")):
            r = d.request("POST", "/v1/teams", body, token=d.admin_token)
            self.assertProblem(r, 400, field, limit)
        r = d.request("POST", "/v1/routes", {"function": "enforcement",
                                             "for_organisation": "o" * 256,
                                             "team": "handhaving"},
                      token=d.admin_token)
        self.assertProblem(r, 400, "for_organisation", "255")
        self.assertEqual(d.request("GET", "/v1/teams").body, teams)
        self.assertEqual(self.snapshot(cid), before)

    def test_at_the_limit_comes_back_whole(self):
        """Text of exactly the limit, of characters of 1 to 4 bytes, is what
        /transitions, /participants and /export give back, byte for byte."""
        d = self.d
        cid = d.create_case(workflow="stabilisatie", team="t")["id"]
        case = "/v1/cases/%d" % cid
        purpose = utf8_text(PURPOSE_MAX, "€é")
        notes = {"coordinate": utf8_text(NOTE_MAX, "é"),
                 "assign": utf8_text(NOTE_MAX, "😀"),
                 "event": utf8_text(NOTE_MAX),
                 "correction": utf8_text(NOTE_MAX, "€")}
        d.share(cid, "handhaving", "consent", purpose=purpose)
        d.call("POST", case + "/coordinator",
               {"team": "handhaving", "note": notes["coordinate"]})
        d.call("POST", case + "/assign", {"assignee": "worker", "note": notes["assign"]})
        d.event(cid, "stabilised", note=notes["event"])
        d.call("POST", case + "/corrections", {"reason": notes["correction"]},
               token=self.boss)

        def kept(history):
            got = {t["cause"]: t.get("note") for t in history}
            self.assertEqual(got["share"], purpose)
            for cause, note in notes.items():
                self.assertEqual(got[cause], note, cause)

        kept(d.transitions(cid))
        parts = d.call("GET", case + "/participants")["participants"]
        self.assertEqual([p.get("purpose") for p in parts], [purpose])
        export = d.call("GET", case + "/export", token=self.boss)
        kept(export["history"])
        self.assertEqual([p.get("purpose") for p in export["participants"]], [purpose])
        self.assertEqual([p.get("purpose") for p in export["case"]["participants"]],
                         [purpose])
        # A reason for reading of its limit, and a team's title of its own.
        why = "r" * PURPOSE_MAX
        d.call("GET", case, headers={"Read-Purpose": why})
        reads = d.call("GET", case + "/access", token=self.boss)["reads"]
        self.assertIn(why, [r.get("purpose") for r in reads])
        title = utf8_text(TITLE_MAX, "ë€")
        r = d.request("POST", "/v1/teams", {"name": "t-" + secrets.token_hex(3),
                                            "title": title, "organisation": title},
                      token=d.admin_token)
        self.assertEqual(r.status, 201, r.body)
        self.assertEqual((r.body["title"], r.body["organisation"]), (title, title))

    def test_not_utf8_is_refused_by_name(self):
        """A byte that is no part of a UTF-8 character, or an escape that is
        no character, is a 400 that names the field; so is a query
        parameter, and a Read-Purpose that is not printable ASCII."""
        d = self.d
        cid = self.stabilisatie()
        case = "/v1/cases/%d" % cid
        self.refused(cid, "POST", case + "/events",
                     b'{"event": "stabilised", "note": "caf\xc3"}', '"note"', "UTF-8")
        self.refused(cid, "POST", case + "/events",
                     b'{"note": "\xff\xfe", "event": "stabilised"}', '"note"', "UTF-8")
        self.refused(cid, "POST", case + "/participants",
                     '{"team": "inkomen", "basis": "consent", "purpose": "x\\ud800"}',
                     '"purpose"', "UTF-8")
        self.refused(cid, "POST", case + "/assign",
                     b'{"assignee": "worker", "note": "ok", "n\xe9": 1}', "UTF-8")
        self.refused(cid, "GET", case + "/transitions?cursor=%ff", None,
                     '"cursor"', "UTF-8")
        self.refused(cid, "GET", "/v1/cases?team=t%C3", None, '"team"', "UTF-8")
        self.refused(cid, "GET", case, None, "Read-Purpose", "ASCII",
                     headers={"Read-Purpose": "inzage M\u00fcller".encode().decode("latin-1")})

    def test_text_stored_cut_before_is_shown(self):
        """A purpose stored cut inside a character, before termijn refused
        to cut, is shown with U+FFFD where it broke, not left out."""
        d = self.d
        cid = self.stabilisatie()
        db_execute(d.db, "UPDATE participants SET purpose = CAST(X'61666772C3'"
                   " AS TEXT) WHERE case_id = %d" % cid)
        self.assertEqual([p.get("purpose") for p in d.call(
            "GET", "/v1/cases/%d/participants" % cid)["participants"]], ["afgr\ufffd"])
        export = d.call("GET", "/v1/cases/%d/export" % cid, token=self.boss)
        self.assertEqual([p.get("purpose") for p in export["participants"]],
                         ["afgr\ufffd"])


class TextCtlTest(ClassDaemonTestCase):
    """termijnctl refuses what termijnd would, before anything is sent or
    written, naming the option and the limit."""

    def ctl(self, *args, token=None):
        env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (self.d.host, self.d.port),
                   TERMIJN_TOKEN=token or self.d.token)
        return subprocess.run([termijnctl_path()] + list(args), env=env,
                              capture_output=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    def refused(self, cid, args, *words, token=None):
        before = self.d.db_query("SELECT id, note FROM transitions WHERE case_id = ?"
                                 " ORDER BY id", (cid,))
        p = self.ctl(*args, token=token)
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 2, err)
        for w in words:
            self.assertIn(w, err)
        self.assertNotIn("AddressSanitizer", err)
        self.assertEqual(self.d.db_query("SELECT id, note FROM transitions WHERE"
                                         " case_id = ? ORDER BY id", (cid,)), before)
        return err

    def test_ctl_refuses_and_says_why(self):
        d = self.d
        cid = d.create_case(workflow="stabilisatie", team="t")["id"]
        d.share(cid, "handhaving", "consent")
        c = str(cid)
        long_note = utf8_text(NOTE_MAX + 1).encode()
        self.refused(cid, ["case", "event", c, "stabilised", "--note", long_note],
                     "--note", "1024")
        self.refused(cid, ["case", "event", c, "stabilised", "--note", b"caf\xc3"],
                     "--note", "UTF-8")
        self.refused(cid, ["case", "share", c, "--team", "inkomen", "--basis", "consent",
                           "--purpose", utf8_text(PURPOSE_MAX + 1).encode()],
                     "--purpose", "255")
        self.refused(cid, ["case", "coordinate", c, "--team", "handhaving", "--note",
                           long_note], "--note", "1024")
        self.refused(cid, ["case", "assign", c, "worker", "--note", long_note],
                     "--note", "1024")
        self.refused(cid, ["case", "correct", c, "--reason", long_note],
                     "--reason", "1024")
        path = os.path.join(self.d.tmpdir, "note.txt")
        with open(path, "wb") as f:
            f.write(b"ingevuld \xe9 formulier\n")
        self.refused(cid, ["case", "event", c, "stabilised", "--note-file", path],
                     "note", "UTF-8")
        # At its limit it goes through, and comes back whole.
        note = utf8_text(NOTE_MAX)
        p = self.ctl("case", "event", c, "stabilised", "--note", note)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(d.transitions(cid)[-1]["note"], note)

    def test_ctl_offline_refuses_and_says_why(self):
        """On the database itself (--db), where no termijnd checks."""
        d = self.d
        teams = d.request("GET", "/v1/teams").body
        for args, words in (
                (["team", "add", "nieuw", "--title", b"Team \xff"], ("--title", "UTF-8")),
                (["team", "add", "nieuw", "--title", "T" * 256], ("--title", "255")),
                (["team", "add", "nieuw", "--title", "T", "--organisation",
                  "o" * 256], ("--organisation", "255")),
                (["team", "route", "enforcement", "--team", "handhaving",
                  "--for-organisation", b"Gemeente \xc3"], ("--for-organisation", "UTF-8"))):
            p = run_termijnctl(*[a if isinstance(a, str) else os.fsdecode(a)
                                 for a in args + ["--db", d.db]])
            self.assertEqual(p.returncode, 2, p.stderr)
            for w in words:
                self.assertIn(w, p.stderr)
        self.assertEqual(d.request("GET", "/v1/teams").body, teams)


if __name__ == "__main__":
    unittest.main()
