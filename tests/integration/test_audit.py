"""The audit chain (issue 8): every transition carries a SHA-256 over its
content and the hash of the one before it, and termijnctl audit verify
names the first row that was changed, removed, inserted or moved.

A real termijnd makes a database with a few cases, events, notes and a
share, and stops.  Each test works on copies of it: a copy is tampered
with the way someone with sqlite3 on the file could (the append-only
triggers dropped first), and audit verify must exit 1 and name the row,
while the untouched original verifies.  A chain rewritten from the start,
every hash recomputed, passes verify alone but not against the head
termijnd wrote to syslog; audit.verify_on_start refuses to start on a
tampered database.
"""

import hashlib
import os
import re
import shutil
import sqlite3
import struct
import unittest

from harness import (Daemon, TempDir, TermijnTestCase, audit_verify,
                     db_execute, db_files)

NOTE = "het gezin meldde zich aan de balie"

COLUMNS = ("id", "case_id", "at", "recorded_at", "from_state", "to_state", "cause",
           "event", "actor", "note", "basis", "detail", "workflow", "version", "final")
CONTENT = COLUMNS[1:]

DROP_TRIGGERS = ("DROP TRIGGER transitions_no_update;"
                 "DROP TRIGGER transitions_no_delete;")


def encode(value):
    """One column as include/termijn/audit.h's encoding 2 writes it: a type
    byte, then an 8-byte big-endian integer, or a length and the bytes."""
    if value is None:
        return b"N"
    if isinstance(value, int):
        return b"I" + struct.pack(">q", value)
    if isinstance(value, float):
        return b"R" + struct.pack(">d", value)
    if isinstance(value, str):
        value = value.encode()
        return b"T" + struct.pack(">Q", len(value)) + value
    return b"B" + struct.pack(">Q", len(value)) + value


def link_hash(prev, row, domain=b"termijn transition 2\0"):
    """A link's hash as include/termijn/audit.h describes it: SHA-256 over
    the domain, the hash before it and each column of COLUMNS as stored."""
    h = hashlib.sha256(domain + prev)
    for value in row:
        h.update(encode(value))
    return h.digest()


def rows(con):
    return con.execute("SELECT %s, prev_hash, hash FROM transitions ORDER BY id"
                       % ", ".join(COLUMNS)).fetchall()


def rechain(con, start=1):
    """Recompute every link from transition start on, and the head, as a
    forger who knows the encoding would."""
    prev = bytes(32)
    for r in rows(con):
        if r[0] >= start:
            h = link_hash(prev, r[:len(COLUMNS)])
            con.execute("UPDATE transitions SET prev_hash = ?, hash = ? WHERE id = ?",
                        (prev, h, r[0]))
        prev = con.execute("SELECT hash FROM transitions WHERE id = ?", (r[0],)).fetchone()[0]
        last = r[0]
    con.execute("UPDATE chain_head SET id = ?, hash = ?", (last, prev))


def forge(con, tid):
    """A transition tid that follows tid - 1, its hash computed right."""
    prev = con.execute("SELECT hash FROM transitions WHERE id = ?", (tid - 1,)).fetchone()[0]
    row = (tid, 1, 1, 1, "self_reported", "closed", "event", "close", "worker", "vals",
           None, None, None, None, 1)
    con.execute("INSERT INTO transitions (%s, prev_hash, hash) VALUES (%s)"
                % (", ".join(COLUMNS), ", ".join("?" * (len(COLUMNS) + 2))),
                row + (prev, link_hash(prev, row)))


class AuditTest(TermijnTestCase):

    @classmethod
    def setUpClass(cls):
        cls._ctmp = TempDir("audit")
        d = Daemon(cls._ctmp.path)
        try:
            boss = d.make_token("boss", "supervisor", ["jeugd-zuid"])
            a = d.create_case("zelfmelding", "AU-0001", "jeugd-noord")["id"]
            b = d.create_case("stabilisatie", "AU-0002", "jeugd-zuid")["id"]
            d.event(a, "family_reported", note=NOTE)
            c = d.create_case("beslistermijn", "AU-0003", "inkomen")["id"]
            d.share(b, "handhaving", "consent", purpose="handhaving start")
            d.event(c, "request_completion", note="loonstroken ontbreken")
            d.call("POST", "/v1/cases/%d/coordinator" % b,
                   {"team": "handhaving", "note": "handhaving belt"}, token=boss)
            d.event(c, "completed")
            d.event(b, "unsafe", note="onveilige situatie")
            d.event(a, "close")
            d.event(c, "decided")
            d.stop()
            cls.anchor = d.audit_heads()[-1]
            cls.admin_token = d.admin_token
        finally:
            d.close()
        cls.db = d.db
        con = sqlite3.connect(cls.db)
        cls.count = con.execute("SELECT count(*) FROM transitions").fetchone()[0]
        con.close()

    @classmethod
    def tearDownClass(cls):
        cls._ctmp.cleanup()

    def copy(self, name, tamper=None):
        """A copy of the database, its append-only triggers dropped, and
        tamper(connection) done to it."""
        path = os.path.join(self.tmpdir, name + ".db")
        for src, suffix in zip(db_files(self.db), ("", "-wal", "-shm")):
            shutil.copy(src, path + suffix)
        db_execute(path, DROP_TRIGGERS)
        if tamper is not None:
            con = sqlite3.connect(path, isolation_level=None)
            try:
                tamper(con)
            finally:
                con.close()
        return path

    def assertBroken(self, path, row, head=None):
        rc, out = audit_verify(path, head)
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, r"^BROKEN at transition %d\b" % row)
        return out

    def assertIntact(self, path, head=None):
        rc, out = audit_verify(path, head)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"^OK: %d transitions, 0 of them destroyed" % self.count)

    def test_untouched_original_verifies(self):
        self.assertGreaterEqual(self.count, 10)
        self.assertIntact(self.db)
        self.assertIntact(self.db, self.anchor)
        self.assertEqual(self.anchor.split(":")[0], str(self.count))

    def test_python_encoding_matches(self):
        """The forger's encoding below is the real one (else the rewrite
        test would prove nothing)."""
        con = sqlite3.connect(self.db)
        prev = bytes(32)
        for r in rows(con):
            self.assertEqual(r[-2], prev, r[0])
            self.assertEqual(link_hash(prev, r[:len(COLUMNS)]), r[-1], r[0])
            prev = r[-1]
        con.close()

    def test_triggers_keep_transitions_append_only(self):
        path = os.path.join(self.tmpdir, "plain.db")
        shutil.copy(self.db, path)
        for sql in ("UPDATE transitions SET note = 'x' WHERE id = 3",
                    "DELETE FROM transitions WHERE id = 3"):
            with self.assertRaisesRegex(sqlite3.DatabaseError, "append-only"):
                db_execute(path, sql)
        self.assertIntact(path)

    def test_changed_field(self):
        for column, value in (("note", "iets anders"), ("actor", "someone"),
                              ("to_state", "closed"), ("at", 0), ("basis", "consent"),
                              ("case_id", 1)):
            self.assertBroken(self.copy("changed-" + column, lambda con: con.execute(
                "UPDATE transitions SET %s = ? WHERE id = 4" % column, (value,))), 4)

    def test_deleted_row(self):
        out = self.assertBroken(self.copy("deleted", lambda con: con.execute(
            "DELETE FROM transitions WHERE id = 5")), 5)
        self.assertIn("missing", out)

    def test_inserted_row(self):
        # In the middle: the rows from 6 on move up one, and the new row 6
        # carries a hash computed right over its content and row 5.
        def insert(con):
            con.execute("UPDATE transitions SET id = -id - 1 WHERE id >= 6")
            con.execute("UPDATE transitions SET id = -id WHERE id < 0")
            forge(con, 6)
        self.assertBroken(self.copy("inserted", insert), 7)
        # At the end, chained right, the head left as it was.
        n = self.count
        self.assertBroken(self.copy("appended", lambda con: forge(con, n + 1)), n + 1)

    def test_swapped_rows(self):
        def swap(con):
            a, b = (con.execute("SELECT %s, prev_hash, hash FROM transitions WHERE id = ?"
                                % ", ".join(CONTENT), (i,)).fetchone() for i in (3, 8))
            sets = ", ".join("%s = ?" % c for c in CONTENT + ("prev_hash", "hash"))
            con.execute("UPDATE transitions SET %s WHERE id = 3" % sets, b)
            con.execute("UPDATE transitions SET %s WHERE id = 8" % sets, a)
        self.assertBroken(self.copy("swapped", swap), 3)

    def test_cut_tail(self):
        out = self.assertBroken(self.copy("cut", lambda con: con.execute(
            "DELETE FROM transitions WHERE id > ?", (self.count - 2,))), self.count - 1)
        self.assertIn("removed", out)

    def test_rewritten_chain_fails_against_the_anchor(self):
        def rewrite(con):
            con.execute("UPDATE transitions SET note = 'herschreven' WHERE id = 2")
            rechain(con)
        path = self.copy("rewritten", rewrite)
        # Consistent in itself: only the head kept outside the database
        # tells.
        rc, out = audit_verify(path)
        self.assertEqual(rc, 0, out)
        self.assertBroken(path, self.count, self.anchor)

        # The tail cut and the head moved back with it: the chain is
        # consistent in itself, but the cases whose last transitions went
        # no longer stand where the chain says.
        def cut(con):
            con.execute("DELETE FROM transitions WHERE id > ?", (self.count - 3,))
            rechain(con, self.count)
        path = self.copy("cut-and-headed", cut)
        rc, out = audit_verify(path)
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, r"(?m)^BROKEN: case 3: its state \(cases.state\) is"
                         r" 'decided', but its last transition \(\d+\) leads to 'deciding'$")
        self.assertBroken(path, self.count - 2, self.anchor)

    def daemon_on(self, path, config):
        """A termijnd, not started yet, on a copy of the database."""
        tmp = os.path.join(self.tmpdir, os.path.basename(path) + ".d")
        os.mkdir(tmp)
        d = Daemon(tmp, db=path, config=config, start=False)
        self.addCleanup(d.close)
        d.admin_token = self.admin_token
        return d

    def test_verify_on_start(self):
        conf = {"audit": {"verify_on_start": True}}
        d = self.daemon_on(self.copy("bad-start", lambda con: con.execute(
            "UPDATE transitions SET note = 'x' WHERE id = 6")), conf)
        rc, err = d.start_refused()
        self.assertNotEqual(rc, 0)
        self.assertRegex(err, r"audit chain is broken: transition 6\b")

        d = self.daemon_on(self.copy("good-start"), conf)
        d.start()
        self.assertTrue(any(re.match(r"audit chain verified: %d transitions, 0 gaps"
                                     % self.count, m) for m in d.syslog.messages()),
                        d.syslog.messages())
        d.stop()


if __name__ == "__main__":
    unittest.main()
