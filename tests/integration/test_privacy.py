"""Personal data is readable only by termijn's own user, and stays out of ps.

- The files termijnd creates (its database, WAL and SHM, and their
  directory) are its user's alone even when it starts under umask 022; an
  existing database that others may read is warned about at start, and
  a directory for it that cannot be made stops the start, saying why.
- termijnctl case event --note-file FILE (or --note - for stdin) sends the
  note without it ever showing in the process list: ps is read while
  termijnctl waits on a server that does not answer.
"""

import os
import socket
import stat
import subprocess
import threading
import time

from harness import Daemon, SANITIZER_MARKS, TermijnTestCase, termijnctl_path, wait_until

SECRET = "income reported at the desk by the mother, 3 children"


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class FileModeTest(TermijnTestCase):

    def start_under_umask(self, **kw):
        old = os.umask(0o022)
        try:
            return self.start_daemon(**kw)
        finally:
            os.umask(old)

    def test_files_termijnd_creates_are_its_users_alone(self):
        var = os.path.join(self.tmpdir, "var")
        db = os.path.join(var, "termijn.db")
        d = self.start_under_umask(db=db)
        cid = d.create_case()["id"]
        d.event(cid, "family_reported", note=SECRET)
        self.assertEqual(d.case(cid)["state"], "self_reported")

        created = sorted(os.listdir(var))
        self.assertIn("termijn.db", created)
        self.assertIn("termijn.db-wal", created)
        self.assertIn("termijn.db-shm", created)
        modes = {name: "%04o" % mode(os.path.join(var, name)) for name in created}
        modes["(directory)"] = "%04o" % mode(var)
        print("\n  under umask 022: %s" % ", ".join("%s %s" % kv for kv in sorted(modes.items())))
        for name in created:
            self.assertEqual(mode(os.path.join(var, name)), 0o600, modes)
        self.assertEqual(mode(var), 0o700, modes)
        # Every regular file termijnd holds open under var is too.
        for fd in os.listdir("/proc/%d/fd" % d.pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (d.pid, fd))
            except FileNotFoundError:
                continue
            if target.startswith(var + "/") and os.path.isfile(target):
                self.assertEqual(mode(target), 0o600, target)
        self.assertNotIn("readable or writable by others", d.stderr_text())

    def test_a_database_others_may_read_is_warned_about(self):
        d = self.start_under_umask()
        d.stop()
        os.chmod(d.db, 0o644)
        d.start()
        text = d.stderr_text()
        self.assertIn("%s is readable or writable by others than its owner (mode 0644)"
                      % d.db, text)
        self.assertIn("chmod 600 %s" % d.db, text)
        self.assertTrue(any("readable or writable by others" in m
                            for m in d.syslog.messages()), "not in syslog")

    def test_a_directory_that_cannot_be_made_stops_the_start(self):
        # Below a regular file no directory can be made: termijnd names
        # the database and the reason, and exits without serving.
        blocker = os.path.join(self.tmpdir, "not-a-directory")
        with open(blocker, "w"):
            pass
        db = os.path.join(blocker, "var", "termijn.db")
        d = Daemon(self.tmpdir, db=db, start=False)
        self.addCleanup(d.close)
        rc, err = d.start_refused()
        self.assertEqual(rc, 1, err)
        self.assertIn("creating the directory of %s: Not a directory" % db, err)
        self.assertTrue(any("creating the directory of %s" % db in m
                            for m in d.syslog.messages()), "not in syslog")
        self.assertFalse(os.path.exists(os.path.join(blocker, "var")))

class NoteOutOfPsTest(TermijnTestCase):
    """termijnctl waits on a server that reads its request and says nothing;
    meanwhile its command line is read as ps and /proc show it."""

    def setUp(self):
        super().setUp()
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(8)
        self.url = "http://127.0.0.1:%d" % self.srv.getsockname()[1]
        self.received = []
        self.conns = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.addCleanup(self._close)

    def _serve(self):
        self.srv.settimeout(0.2)
        while not self._stop:
            try:
                c, _ = self.srv.accept()
            except (socket.timeout, OSError):
                continue
            self.conns.append(c)
            c.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    data += c.recv(4096)
                head, body = data.split(b"\r\n\r\n", 1)
                n = int([l.split(b":")[1] for l in head.split(b"\r\n")
                         if l.lower().startswith(b"content-length:")][0])
                while len(body) < n:
                    body += c.recv(4096)
            except (OSError, IndexError, ValueError):
                body = data
            self.received.append(body.decode("utf-8", "replace"))

    def _close(self):
        self._stop = True
        self._thread.join(2)
        for c in self.conns:
            c.close()
        self.srv.close()

    def run_waiting(self, args, stdin=None):
        """Start termijnctl, read ps and /proc while it waits for the
        answer, then stop it.  Returns (ps output, /proc cmdline)."""
        env = dict(os.environ, TERMIJN_URL=self.url, TERMIJN_TOKEN="tmj_" + "x" * 43)
        p = subprocess.Popen([termijnctl_path(), "--timeout", "30"] + args, env=env,
                             stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            if stdin is not None:
                p.stdin.write(stdin.encode())
                p.stdin.close()
                p.stdin = None
            n = len(self.received)
            wait_until(lambda: len(self.received) > n, 10, what="termijnctl's request")
            ps = subprocess.run(["ps", "-eww", "-o", "pid=,args="], capture_output=True,
                                text=True, check=True).stdout
            with open("/proc/%d/cmdline" % p.pid, "rb") as f:
                cmdline = f.read().decode("utf-8", "replace").replace("\0", " ")
            self.assertIn("case event", cmdline)
            return ps, cmdline, self.received[-1]
        finally:
            p.kill()
            _, err = p.communicate(timeout=10)
            for mark in SANITIZER_MARKS:
                self.assertNotIn(mark, err.decode("utf-8", "replace"))

    def test_note_file_and_stdin_stay_out_of_ps(self):
        path = os.path.join(self.tmpdir, "note.txt")
        with open(path, "w") as f:
            f.write(SECRET + "\n")
        for how, args, stdin in (
                ("--note-file", ["--note-file", path], None),
                ("--note -", ["--note", "-"], SECRET + "\n")):
            with self.subTest(how=how):
                ps, cmdline, body = self.run_waiting(
                    ["case", "event", "7", "family_reported"] + args, stdin)
                self.assertNotIn(SECRET, ps)
                self.assertNotIn(SECRET, cmdline)
                # ... and the note went out, without its line end.
                self.assertIn('"note": "%s"' % SECRET, body.replace('":"', '": "'))
                self.assertNotIn(SECRET + "\\n", body)

        # What it guards against: --note TEXT is there for every user to see.
        ps, cmdline, _ = self.run_waiting(["case", "event", "7", "family_reported",
                                           "--note", SECRET])
        self.assertIn(SECRET, ps)

    def test_note_file_refusals(self):
        env = dict(os.environ, TERMIJN_URL=self.url, TERMIJN_TOKEN="tmj_" + "x" * 43)
        big = os.path.join(self.tmpdir, "big.txt")
        with open(big, "w") as f:
            f.write("n" * 1025)
        nul = os.path.join(self.tmpdir, "nul.txt")
        with open(nul, "wb") as f:
            f.write(b"a\0b")
        cases = [
            (["--note-file", big], "more than 1024 bytes"),
            (["--note-file", nul], "NUL"),
            (["--note-file", os.path.join(self.tmpdir, "missing")], "No such file"),
            (["--note-file", big, "--note", "x"], "not both"),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                p = subprocess.run([termijnctl_path(), "case", "event", "7",
                                    "family_reported"] + args, env=env,
                                   capture_output=True, text=True, timeout=30,
                                   stdin=subprocess.DEVNULL)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(words, p.stderr)
        time.sleep(0.2)
        self.assertEqual(self.received, [], "a refused note was sent")


class NoteRecordedTest(TermijnTestCase):

    def test_note_file_is_recorded(self):
        d = self.start_daemon()
        cid = d.create_case()["id"]
        path = os.path.join(self.tmpdir, "note.txt")
        with open(path, "w") as f:
            f.write(SECRET + "\r\n")
        env = dict(os.environ, TERMIJN_URL="http://%s:%d" % (d.host, d.port),
                   TERMIJN_TOKEN=d.token)
        p = subprocess.run([termijnctl_path(), "case", "event", str(cid), "family_reported",
                            "--note-file", path], env=env, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        notes = [r[0] for r in d.db_query("SELECT note FROM transitions WHERE case_id = ?"
                                          " AND note IS NOT NULL", (cid,))]
        self.assertEqual(notes, [SECRET])
