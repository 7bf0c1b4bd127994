"""The audit chain vouches for who sees a case and where it stands (issue
16): audit verify checks the tables the engine reads (cases, participants,
tombstones) against the chained transitions, a gap in the chain only for a
case that is really gone, with its tombstone and the mark of its
destruction, the routes only as the route log's lines (each a link) leave
them, and hashes each column as stored, so that NULL and '', text and
blob, and bytes after a NUL differ.

A real termijnd makes a database: a case shared with enforcement, which
coordinates it, assigned to a person, with notes; an open case; a case
closed and destroyed by retention (a workflow of the test's own keeps it a
day); a route, and one set and removed; and stops.  Each test tampers with a copy the way someone with
sqlite3 on the file could, while no termijnd runs on it; then termijnctl
audit verify must exit 1 naming the case and what disagrees, and termijnd
with audit.verify_on_start must refuse to start on it.  The untouched
database, destroyed case and all, verifies.
"""

import datetime
import os
import re
import shutil
import sqlite3
import unittest

from harness import (Daemon, FakeClock, TempDir, TermijnTestCase, audit_verify,
                     db_files, local, run_termijnctl, source_dir, workflows_with)

KORT = """workflow: kort
version: 1
title: A case kept one day after it closed (test)
roles: [caseworker, supervisor]
start: open
retention: 1 day
states:
  open:
    events:
      done: closed
  closed:
    final: true
"""

NOTE = "het gezin belde over de afspraak"


class AuditFactsTest(TermijnTestCase):

    @classmethod
    def setUpClass(cls):
        cls._ctmp = TempDir("audit-facts")
        tmp = cls._ctmp.path
        clock = FakeClock(tmp, local(2026, 3, 2, 10))
        d = Daemon(tmp, clock=clock,
                   workflows=workflows_with(tmp, {"kort.yaml": KORT}))
        try:
            gone = d.create_case("kort", "KORT-WEG", "jeugd-noord")["id"]
            d.event(gone, "done", note="weg ermee")
            shared = d.create_case("stabilisatie", "AF-0001", "jeugd-noord")["id"]
            d.share(shared, "handhaving", "consent", purpose="handhaving kijkt mee")
            d.event(shared, "unsafe", note=NOTE)
            d.call("POST", "/v1/cases/%d/coordinator" % shared, {"team": "handhaving"})
            d.call("POST", "/v1/cases/%d/assign" % shared, {"assignee": "worker"})
            d.share(shared, "inkomen", "consent")
            d.call("DELETE", "/v1/cases/%d/participants/inkomen" % shared)
            open_ = d.create_case("zelfmelding", "AF-0002", "jeugd-zuid")["id"]
            d.event(open_, "family_reported", note="aan de balie")
            clock.set(local(2026, 3, 5, 10))
            r = d.request("POST", "/v1/retention", token=d.admin_token)
            assert [c["id"] for c in r.body["destroyed"]] == [gone], r.raw
            # Which team enforcement is for inkomen; one set and removed.
            for body in ({"function": "enforcement", "for_team": "inkomen",
                          "team": "handhaving"},
                         {"function": "enforcement", "for_team": "t", "team": "inkomen"}):
                route = d.call("POST", "/v1/routes", body, 201, token=d.admin_token)
            d.call("DELETE", "/v1/routes/%d" % route["id"], token=d.admin_token)
            d.stop()
            cls.admin_token = d.admin_token
        finally:
            d.close()
        cls.db, cls.workflows = d.db, d.workflows
        cls.gone, cls.shared, cls.open = gone, shared, open_
        con = sqlite3.connect(cls.db)
        cls.transitions = dict(con.execute(
            "SELECT CASE cause WHEN 'create' THEN cause ELSE cause || ':' ||"
            " coalesce(event, detail, '') END, id FROM transitions WHERE case_id = ?",
            (shared,)).fetchall())
        con.close()

    @classmethod
    def tearDownClass(cls):
        cls._ctmp.cleanup()

    def copy(self, name, tamper):
        """A copy of the database with tamper(connection) done to it, as
        sqlite3 on the file would (its foreign keys off, as the CLI has them)."""
        path = os.path.join(self.tmpdir, name + ".db")
        for src, suffix in zip(db_files(self.db), ("", "-wal", "-shm")):
            shutil.copy(src, path + suffix)
        con = sqlite3.connect(path, isolation_level=None)
        try:
            tamper(con)
        finally:
            con.close()
        return path

    def assertFinding(self, path, *patterns):
        """audit verify fails, each pattern matching a line it prints."""
        rc, out = audit_verify(path)
        self.assertEqual(rc, 1, out)
        for p in patterns:
            self.assertRegex(out, "(?m)^BROKEN" + p, out)
        return out

    def assertRefused(self, path, pattern):
        """termijnd with audit.verify_on_start does not start on it."""
        tmp = os.path.join(self.tmpdir, os.path.basename(path) + ".d")
        os.mkdir(tmp)
        d = Daemon(tmp, db=path, workflows=self.workflows,
                   config={"audit": {"verify_on_start": True}}, start=False)
        self.addCleanup(d.close)
        d.admin_token = self.admin_token
        rc, err = d.start_refused()
        self.assertNotEqual(rc, 0)
        self.assertRegex(err, pattern)
        return d

    def test_untouched_verifies(self):
        """Every case agrees with the chain; the destroyed one left gaps,
        its tombstone and the mark of its destruction; termijnd starts."""
        rc, out = audit_verify(self.db)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"^OK: \d+ transitions, 2 of them destroyed with their"
                              r" case; 4 marks; 3 cases agree with the chain; head ")
        tmp = os.path.join(self.tmpdir, "good.d")
        os.mkdir(tmp)
        d = Daemon(tmp, db=self.db, workflows=self.workflows,
                   config={"audit": {"verify_on_start": True}}, start=False)
        self.addCleanup(d.close)
        d.admin_token = self.admin_token
        d.start()
        self.assertTrue(any(re.match(r"audit chain verified: \d+ transitions, 2 gaps,"
                                     r" 4 marks, 3 cases agree with it", m)
                            for m in d.syslog.messages()), d.syslog.messages())
        d.stop()

    def test_live_transition_passed_off_as_destroyed(self):
        """The issue's case: a tombstone lets a transition of a live case
        go, a gap row stands in for it, the tombstone goes again."""
        tid = self.transitions["event:unsafe"]

        def tamper(con):
            con.execute("INSERT INTO tombstones VALUES (?, 'stabilisatie', 1,"
                        " 'jeugd-noord', 0, 0, 0, 'admin')", (self.shared,))
            con.execute("INSERT INTO chain_gaps (id, case_id, prev_hash, hash)"
                        " SELECT id, case_id, prev_hash, hash FROM transitions"
                        " WHERE id = ?", (tid,))
            con.execute("DELETE FROM transitions WHERE id = ?", (tid,))
            con.execute("DELETE FROM tombstones WHERE case_id = ?", (self.shared,))
        path = self.copy("gap", tamper)
        c = self.shared
        self.assertFinding(
            path,
            r": case %d is not destroyed \(its row is in cases\), but its transition"
            r" %d is in the chain's gaps" % (c, tid),
            r": case %d: its transitions from %d are in the chain's gaps, but no"
            r" tombstone stands for it" % (c, tid),
            r": case %d: its transitions from %d are in the chain's gaps, but the"
            r" chain has no mark of its destruction" % (c, tid))
        self.assertRefused(path, r"the tables disagree with the audit chain: case %d"
                                 r" is not destroyed" % c)

        # With the tombstone left standing, it stands for a live case.
        def keep_stone(con):
            tamper(con)
            con.execute("INSERT INTO tombstones VALUES (?, 'stabilisatie', 1,"
                        " 'jeugd-noord', 0, 0, 0, 'admin')", (self.shared,))
        self.assertFinding(self.copy("gap-stone", keep_stone),
                           r": case %d is not destroyed" % c)

    def test_participant_inserted(self):
        """A participants row of its own gives a team access; the chain
        has no share for it."""
        path = self.copy("participant", lambda con: con.execute(
            "INSERT INTO participants (case_id, team, basis, since, added_by)"
            " VALUES (?, 't', 'consent', 1, 'worker')", (self.open,)))
        self.assertFinding(path, r": case %d: participants row \d+ lets team 't' take"
                                 r" part on basis 'consent', but no transition of the"
                                 r" chain lets it" % self.open)
        # It does give access: a token of team t sees the case.
        tmp = os.path.join(self.tmpdir, "participant.d")
        os.mkdir(tmp)
        d = Daemon(tmp, db=path, workflows=self.workflows, start=False)
        self.addCleanup(d.close)
        d.admin_token = self.admin_token
        d.start()
        t = d.make_token("alleen-t", "caseworker", ["t"])
        self.assertEqual(d.request("GET", "/v1/cases/%d" % self.open, token=t).status, 200)
        d.stop()
        self.assertRefused(path, r"the tables disagree with the audit chain: case %d:"
                                 r" participants row \d+ lets team 't'" % self.open)

    def test_participant_changed(self):
        c = self.shared
        for name, sql, pattern in (
                ("basis", "UPDATE participants SET basis = 'criminal_data' WHERE"
                 " team = 'handhaving'",
                 r"participants row \d+ \(team 'handhaving'\) has basis 'criminal_data',"
                 r" but the chain says 'consent' \(transition %d\)"
                 % self.transitions["share:handhaving"]),
                ("ended", "UPDATE participants SET until = 5 WHERE team = 'handhaving'",
                 r"participants row \d+ \(team 'handhaving'\) has until 5, but the chain"
                 r" says NULL: it still takes part"),
                ("revived", "UPDATE participants SET until = NULL WHERE team = 'inkomen'",
                 r"participants row \d+ \(team 'inkomen'\) has until NULL, but the chain"
                 r" says \d+ \(transition %d\)" % self.transitions["unshare:inkomen"]),
                ("deleted", "DELETE FROM participants WHERE team = 'handhaving'",
                 r"the chain lets team 'handhaving' take part on basis 'consent'"
                 r" \(transition %d\), but the participants table has no row for it"
                 % self.transitions["share:handhaving"])):
            with self.subTest(name):
                self.assertFinding(self.copy("participant-" + name,
                                             lambda con: con.execute(sql)),
                                   r": case %d: %s" % (c, pattern))

    def test_case_row_changed(self):
        """Owner, state, closed, coordinator, assignee, workflow: each
        changed in cases is named."""
        for name, case, sql, pattern in (
                ("team", self.open, "team = 'inkomen'",
                 r"its owning team \(cases.team\) is 'inkomen', but the chain says"
                 r" 'jeugd-zuid' \(link \d+\)"),
                ("state", self.open, "state = 'closed'",
                 r"its state \(cases.state\) is 'closed', but its last transition"
                 r" \(\d+\) leads to 'self_reported'"),
                ("final", self.open, "final = 1",
                 r"cases.final is 1, but the chain has it open"),
                ("coordinator", self.shared, "coordinator = NULL",
                 r"its coordinator \(cases.coordinator\) is NULL, but in the chain"
                 r" team 'handhaving' coordinates it \(link %d\)"
                 % self.transitions["coordinate:handhaving"]),
                ("coordinator-taken", self.open, "coordinator = 'handhaving'",
                 r"its coordinator \(cases.coordinator\) is 'handhaving', but in the"
                 r" chain its owner 'jeugd-zuid' coordinates it"),
                ("assignee", self.shared, "assignee = NULL",
                 r"it is assigned \(cases.assignee\) to NULL, but in the chain to"
                 r" 'worker' \(link %d\)" % self.transitions["assign:worker"]),
                ("workflow", self.open, "workflow = 'beslistermijn'",
                 r"its workflow \(cases.workflow\) is 'beslistermijn', but the chain"
                 r" says 'zelfmelding'"),
                ("version", self.open, "version = 99",
                 r"its workflow version \(cases.version\) is 99, but the chain says \d+"),
                ("blob-team", self.open, "team = CAST('jeugd-zuid' AS BLOB)",
                 r"its owning team \(cases.team\) is a blob of 10 bytes")):
            with self.subTest(name):
                path = self.copy("case-" + name, lambda con: con.execute(
                    "UPDATE cases SET %s WHERE id = ?" % sql, (case,)))
                self.assertFinding(path, r": case %d: %s" % (case, pattern))
                if name in ("team", "state"):
                    self.assertRefused(path, r"the tables disagree with the audit"
                                             r" chain: case %d: %s" % (case, pattern))

    def test_case_deleted(self):
        """A case taken out of cases, its history left; a whole case taken
        out, passed off as destroyed without the mark of it."""
        c = self.open
        self.assertFinding(self.copy("deleted-row", lambda con: con.execute(
            "DELETE FROM cases WHERE id = ?", (c,))),
            r": case %d has transitions in the chain, but no row in cases, no"
            r" tombstone and no mark of its destruction" % c)

        def destroy(con):
            con.execute("INSERT INTO tombstones VALUES (?, 'zelfmelding', 1,"
                        " 'jeugd-zuid', 0, 0, 0, 'admin')", (c,))
            con.execute("INSERT INTO chain_gaps (id, case_id, prev_hash, hash)"
                        " SELECT id, case_id, prev_hash, hash FROM transitions"
                        " WHERE case_id = ?", (c,))
            for table, col in (("transitions", "case_id"), ("deadlines", "case_id"),
                               ("rungs", "case_id"), ("undo", "case_id"),
                               ("cases", "id")):
                con.execute("DELETE FROM %s WHERE %s = ?" % (table, col), (c,))
        self.assertFinding(self.copy("forged-destruction", destroy),
                           r": case %d: its transitions from \d+ are in the chain's gaps,"
                           r" but the chain has no mark of its destruction" % c)

    def test_destroyed_case_tombstone(self):
        g = self.gone
        self.assertFinding(self.copy("stone-gone", lambda con: con.execute(
            "DELETE FROM tombstones WHERE case_id = ?", (g,))),
            r": case %d: the chain marks it destroyed \(link \d+\), but its"
            r" tombstone is gone" % g)
        self.assertFinding(self.copy("stone-team", lambda con: con.execute(
            "UPDATE tombstones SET team = 'inkomen' WHERE case_id = ?", (g,))),
            r": case %d: its tombstone says team 'inkomen'.*; the mark of its"
            r" destruction \(link \d+\) says team 'jeugd-noord'" % g)
        self.assertFinding(self.copy("stone-participant", lambda con: con.execute(
            "INSERT INTO participants (case_id, team, basis, since, added_by)"
            " VALUES (?, 't', 'consent', 1, 'worker')", (g,))),
            r": case %d: the chain marks it destroyed \(link \d+\), but its"
            r" participants are still there" % g)

    def test_routes(self):
        """The routes table holds what the route log's links leave; a line
        of the log is a link, changed or slipped in, it is found."""
        route = r"route enforcement for team 'inkomen': "
        for name, sql, pattern in (
                ("team", "UPDATE routes SET team = 'inkomen' WHERE for_team = 'inkomen'",
                 route + r"the routes table has team 'inkomen' fill it, but the route"
                 r" log \(link \d+\) has team 'handhaving'"),
                ("inserted", "INSERT INTO routes (function, for_team, team, at, actor)"
                 " VALUES ('enforcement', 'jeugd-noord', 't', 1, 'admin')",
                 r"route enforcement for team 'jeugd-noord': the routes table has team"
                 r" 't' fill it, but the route log never set it"),
                ("revived", "INSERT INTO routes (function, for_team, team, at, actor)"
                 " VALUES ('enforcement', 't', 'inkomen', 1, 'admin')",
                 r"route enforcement for team 't': the routes table has team 'inkomen'"
                 r" fill it, but the route log removed it"),
                ("deleted", "DELETE FROM routes WHERE for_team = 'inkomen'",
                 route + r"the route log \(link \d+\) has team 'handhaving' fill it,"
                 r" but the routes table has no such route"),
                ("logged", "INSERT INTO route_log (action, function, for_team, team, at,"
                 " actor) VALUES ('set', 'enforcement', 'jeugd-noord', 't', 1, 'admin')",
                 r"line \d+ of the route log \(setting enforcement\) is not in the"
                 r" chain: it was inserted")):
            with self.subTest(name):
                path = self.copy("routes-" + name, lambda con: con.execute(sql))
                self.assertFinding(path, ": " + pattern)
                if name == "team":
                    self.assertRefused(path, r"the tables disagree with the audit chain: "
                                       + pattern)

        def changed(con):
            con.execute("DROP TRIGGER route_log_no_update")
            con.execute("UPDATE route_log SET team = 't' WHERE for_team = 'inkomen'")
        self.assertFinding(self.copy("routes-changed", changed),
                           r" at transition \d+: line \d+ of the route log \(link \d+\)"
                           r" was changed: its content does not match its hash")

    def test_canonical_encoding(self):
        """NULL and '', text and blob, bytes after a NUL: each a changed
        transition, named with its column; a note's words never shown."""
        c = self.shared
        create = self.transitions["create"]
        unsafe = self.transitions["event:unsafe"]
        for name, sql, tid, pattern in (
                ("empty", "note = ''", create,
                 r"its note holds a text of 0 bytes where termijn writes NULL"),
                ("blob", "note = CAST(note AS BLOB)", unsafe,
                 r"its note holds a blob of %d bytes where termijn writes a text of"
                 r" %d bytes" % (len(NOTE), len(NOTE))),
                ("nul", "note = note || char(0) || 'meer'", unsafe,
                 r"its note holds a text of %d bytes with a NUL at byte %d where"
                 r" termijn writes a text of %d bytes"
                 % (len(NOTE) + 5, len(NOTE), len(NOTE))),
                ("actor-blob", "actor = CAST(actor AS BLOB)", unsafe,
                 r"its actor holds a blob of 6 bytes where termijn writes 'worker'"),
                ("event-empty", "event = ''", create,
                 r"its event holds '' where termijn writes NULL")):
            with self.subTest(name):
                def tamper(con):
                    con.execute("DROP TRIGGER transitions_no_update")
                    con.execute("UPDATE transitions SET %s WHERE id = ?" % sql, (tid,))
                out = self.assertFinding(
                    self.copy("encoding-" + name, tamper),
                    r" at transition %d \(case %d\): transition %d of case %d was"
                    r" changed: %s" % (tid, c, tid, c, pattern))
                self.assertNotIn(NOTE, out)
                self.assertNotIn("meer", out)


class LegacyChainTest(TermijnTestCase):
    """A database the previous release wrote (tests/fixtures/schema-8.db: its
    chain in encoding 1, a share, a coordination, an assignment, a
    correction, a case destroyed by retention, its tombstone and gaps)
    verifies after termijnd of this release migrated it; what the
    migration marked (each case's owner, the destroyed case) is held to,
    and so are the old transitions' columns, NULLs and all."""

    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.tmpdir, "old.db")
        shutil.copy(os.path.join(source_dir(), "tests", "fixtures", "schema-8.db"),
                    self.db)
        self.clock = FakeClock(self.tmpdir, local(2036, 3, 4, 10))

    def daemon(self, name, **kw):
        tmp = os.path.join(self.tmpdir, name)
        os.mkdir(tmp)
        d = Daemon(tmp, db=self.db, clock=self.clock, start=False,
                   config={"audit": {"verify_on_start": True}}, **kw)
        self.addCleanup(d.close)
        d.admin_token = "none: the fixture's admin token is not known"
        return d

    def test_migrated_chain_verifies(self):
        d = self.daemon("first")
        d.start()
        messages = d.syslog.messages()
        self.assertIn("database migrated to schema version 11", messages)
        self.assertTrue(any(re.match(r"audit chain verified: 30 transitions, 3 gaps,"
                                     r" 9 marks, 9 cases agree with it", m)
                            for m in messages), messages)
        d.stop()
        rc, out = audit_verify(self.db)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"^OK: 30 transitions, 3 of them destroyed with their"
                              r" case; 9 marks; 9 cases agree with the chain; ")
        marks = sqlite3.connect(self.db).execute(
            "SELECT kind, case_id, team FROM chain_marks ORDER BY id").fetchall()
        self.assertEqual(marks[0], ("destroyed", 3, "jeugd-zuid"))
        self.assertEqual(marks[1:3], [("owner", 1, "jeugd-noord"), ("owner", 2, "jeugd-noord")])

        # New steps on the old cases join the chain in encoding 2.
        p = run_termijnctl("token", "create", "--name", "nieuw", "--role", "caseworker",
                           "--team", "jeugd-noord", "--expires", "never", "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        d = self.daemon("again")
        d.start()
        d.token = p.stdout.strip()
        d.share(1, "inkomen", "duty_to_report")
        d.call("POST", "/v1/cases/2/assign", {"assignee": "nieuw"})
        d.stop()
        rc, out = audit_verify(self.db)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"^OK: 32 transitions, 3 of them destroyed")

    def test_tampered_after_migration(self):
        d = self.daemon("first")
        d.start()
        d.stop()
        for name, sql, pattern in (
                ("empty-note", "UPDATE transitions SET note = '' WHERE id = 1",
                 r" at transition 1 \(case 1\): transition 1 of case 1 was changed:"
                 r" its note holds a text of 0 bytes where termijn writes NULL"),
                ("nul-note", "UPDATE transitions SET note = note || char(0) || 'x'"
                 " WHERE id = 11",
                 r" at transition 11 \(case 5\): transition 11 of case 5 was changed:"
                 r" its note holds a text of 18 bytes with a NUL at byte 16"),
                ("blob-actor", "UPDATE transitions SET actor = CAST(actor AS BLOB)"
                 " WHERE id = 14",
                 r" at transition 14 \(case 2\): transition 14 of case 2 was changed:"
                 r" its actor holds a blob of 9 bytes where termijn writes 'jeugdhulp'"),
                ("team", "UPDATE cases SET team = 'inkomen' WHERE id = 1",
                 r": case 1: its owning team \(cases.team\) is 'inkomen', but the chain"
                 r" says 'jeugd-noord' \(link 32\)"),
                ("coordinator", "UPDATE cases SET coordinator = NULL WHERE id = 2",
                 r": case 2: its coordinator \(cases.coordinator\) is NULL, but in the"
                 r" chain team 'handhaving' coordinates it \(link 23\)"),
                ("basis", "UPDATE participants SET basis = 'consent' WHERE case_id = 2",
                 r": case 2: participants row 1 \(team 'handhaving'\) has basis"
                 r" 'consent', but the chain says 'criminal_data' \(transition 14\)"),
                ("tombstone", "DELETE FROM tombstones WHERE case_id = 3",
                 r": case 3: the chain marks it destroyed \(link 31\), but its tombstone"
                 r" is gone")):
            with self.subTest(name):
                path = os.path.join(self.tmpdir, name + ".db")
                shutil.copy(self.db, path)
                con = sqlite3.connect(path, isolation_level=None)
                con.execute("DROP TRIGGER transitions_no_update")
                con.execute(sql)
                con.close()
                rc, out = audit_verify(path)
                self.assertEqual(rc, 1, out)
                self.assertRegex(out, "(?m)^BROKEN" + pattern, out)


if __name__ == "__main__":
    unittest.main()
