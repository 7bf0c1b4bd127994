"""Shared helpers for the integration tests: a real termijnd, its clock, its syslog.

Everything here drives real parts: the termijnd binary from TERMIJN_BUILD_DIR,
a real SQLite file, real HTTP over loopback, real syslog(3) datagrams.

- FakeClock moves the wall clock of the real process with libfaketime.  The
  timestamp file holds an offset in seconds from the real clock ("+123.456"
  or "-123.456"): libfaketime reads it on every call (FAKETIME_NO_CACHE=1),
  the faked clock ticks on with the real one, and the offset does not depend
  on the time zone the process parses timestamps in.  (The absolute start-at
  form "@YYYY-MM-DD hh:mm:ss" is parsed in the process's own TZ, which termijnd
  itself sets to Europe/Amsterdam at start, and restarts from that instant
  whenever the file changes.)  Only the wall clock moves:
  the monotonic clock stays real (FAKETIME_DONT_FAKE_MONOTONIC=1), which is
  what termijnd's wall-clock re-check is for; FakeClock(monotonic=True)
  moves it too, for the timers of termijnd's own chores (the retention
  sweep).
- SyslogSink is a Unix datagram socket read by a thread, which a test can
  pause (a syslog daemon that falls behind).  termijnd runs in a private
  mount namespace (syslog-ns.sh) whose /dev/log is that socket.
- Daemon starts termijnd on a free loopback port and speaks HTTP to it.
- Prism puts @stoplight/prism-cli in front of a termijnd as a validating
  proxy: every request and answer is checked against docs/openapi.json.
  With TERMIJN_OPENAPI_PROXY=1 in the environment, every Daemon's own
  requests (request(), call() and what is built on them) go through one,
  and an answer that the document does not describe, or a request it
  refuses that termijnd took, fails the test (see Daemon.request).
"""

import datetime
import fcntl
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import zoneinfo

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
HERE = os.path.dirname(os.path.abspath(__file__))
SYSLOG_NS = os.path.join(HERE, "syslog-ns.sh")

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:")

_DEFAULT = object()


class HarnessError(AssertionError):
    """Something the tests need is missing or misbehaves: a failure, not a skip."""


def build_dir():
    d = os.environ.get("TERMIJN_BUILD_DIR")
    if not d:
        raise HarnessError("TERMIJN_BUILD_DIR is not set: it must name the CMake "
                           "build directory that holds termijnd and termijnctl")
    return d


def source_dir():
    d = os.environ.get("TERMIJN_SOURCE_DIR")
    if not d:
        d = os.path.dirname(os.path.dirname(HERE))
    return d


def termijnd_path():
    p = os.path.join(build_dir(), "termijnd")
    if not os.access(p, os.X_OK):
        raise HarnessError("no executable termijnd at %s (build it first)" % p)
    return p


def termijnctl_path():
    p = os.path.join(build_dir(), "termijnctl")
    if not os.access(p, os.X_OK):
        raise HarnessError("no executable termijnctl at %s (build it first)" % p)
    return p


def require_tools():
    """Fail (never skip) with a clear message when a needed part is missing."""
    missing = []
    if not os.path.exists(FAKETIME_LIB):
        missing.append("%s (apt-get install libfaketime)" % FAKETIME_LIB)
    for tool, package in (("unshare", "util-linux"), ("mount", "mount"),
                          ("umount", "mount")):
        if not any(os.access(os.path.join(d, tool), os.X_OK)
                   for d in os.environ.get("PATH", "/usr/bin:/bin").split(":")):
            missing.append("%s (apt-get install %s)" % (tool, package))
    if os.geteuid() != 0:
        missing.append("root (the syslog namespace needs unshare -m and mount)")
    if missing:
        raise HarnessError("integration tests need: " + "; ".join(missing))
    termijnd_path()


def local(y, mo, d, h=0, mi=0, s=0):
    """An aware datetime in Europe/Amsterdam."""
    return datetime.datetime(y, mo, d, h, mi, s, tzinfo=AMS)


def iso(dt):
    """ISO 8601 with offset, seconds precision, in Europe/Amsterdam."""
    return dt.astimezone(AMS).replace(microsecond=0).isoformat()


def parse_time(text):
    return datetime.datetime.fromisoformat(text)


def midnight_after(date):
    """00:00 Europe/Amsterdam on the day after a date: when a day-granular
    deadline whose last day is `date` passes."""
    nxt = date + datetime.timedelta(days=1)
    return datetime.datetime(nxt.year, nxt.month, nxt.day, tzinfo=AMS)


def wait_until(fn, timeout=5.0, interval=0.02, what="condition"):
    """Poll fn until it returns something truthy; return that.  Fails with
    the last value seen when the timeout passes."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = fn()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.1fs waiting for %s; last: %r"
                                 % (timeout, what, last))
        time.sleep(interval)


def bsn_valid(digits):
    """The eleven-test of citizen service numbers (BSN)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(c) * w for c, w in zip(digits, weights))
    return total % 11 == 0 and digits != "000000000"


def make_bsn(prefix="12345678"):
    """A 9-digit number that passes the eleven-test."""
    for last in range(10):
        cand = prefix + str(last)
        if bsn_valid(cand):
            return cand
    return make_bsn(str(int(prefix) + 1))


def make_non_bsn(prefix="12345678"):
    """A 9-digit number that fails the eleven-test."""
    for last in range(10):
        cand = prefix + str(last)
        if not bsn_valid(cand):
            return cand
    raise AssertionError("unreachable")


def prometheus_samples(text):
    """The sample lines of a Prometheus text exposition: name{labels} -> value."""
    values = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r"^([a-z_]+(?:\{[^}]*\})?) (\S+)$", line)
        assert m, "not a Prometheus sample line: %r" % line
        values[m.group(1)] = float(m.group(2))
    return values


def workflows_with(tmpdir, extra):
    """A workflows directory in tmpdir: the shipped workflows and extra
    ones, {file name: YAML text}."""
    path = os.path.join(tmpdir, "workflows")
    shutil.copytree(os.path.join(source_dir(), "workflows"), path)
    for name, text in extra.items():
        with open(os.path.join(path, name), "w") as f:
            f.write(text)
    return path


def run_termijnctl(*args, timeout=60):
    """termijnctl's offline commands (audit verify, token create --db):
    the finished process, its output as text, its sanitizer report clean."""
    p = subprocess.run([termijnctl_path()] + list(args), capture_output=True,
                       text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    for mark in SANITIZER_MARKS:
        if mark in p.stderr:
            raise AssertionError("termijnctl %s: %r in stderr:\n%s"
                                 % (" ".join(args), mark, p.stderr))
    return p


def audit_verify(db, head=None):
    """termijnctl audit verify --db DB [--head ID:HASH]: (exit status, stdout)."""
    args = ["audit", "verify", "--db", db]
    if head is not None:
        args += ["--head", head]
    p = run_termijnctl(*args)
    return p.returncode, p.stdout + p.stderr


def db_execute(path, sql):
    """SQL on a database behind termijnd's back, running or not, as someone
    with sqlite3 on the file would: an intruder, or a test making a write
    fail."""
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        con.executescript(sql)
    finally:
        con.close()


def db_files(db):
    """The database and its WAL and shared-memory files that exist."""
    return [p for p in (db, db + "-wal", db + "-shm") if os.path.exists(p)]


def bytes_found(paths, needles):
    """Which of needles (str) occur in the bytes of which files:
    [(path, needle)], empty when none does."""
    found = []
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        found += [(path, n) for n in needles if n.encode() in data]
    return found


class FakeClock:
    """The wall clock of a termijnd started with env()."""

    def __init__(self, tmpdir, start, cache=None, monotonic=False):
        """cache: None re-reads the file on every clock call, so that a jump
        shows at once (it costs about 12 us a call); a number of seconds
        lets libfaketime keep the offset that long (benchmarks).

        monotonic: move the monotonic clock by the same offset, so that
        termijnd's own timers (the retention sweep, the audit anchor) see a
        jump too.  The offset must then stay positive: start in the future."""
        self.path = os.path.join(tmpdir, "faketime.rc")
        self.cache = cache
        self.monotonic = monotonic
        self._offset = 0.0
        self._write(start)

    def _write(self, when):
        self._offset = when.timestamp() - time.time()
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            f.write("%+.3f\n" % self._offset)
        os.replace(tmp, self.path)	# never a half-written file

    def now(self):
        """What the faked process reads now, in Europe/Amsterdam."""
        return datetime.datetime.fromtimestamp(time.time() + self._offset, AMS)

    def set(self, when, backwards=False):
        """Jump the wall clock to `when` (aware datetime); it ticks on from
        there.  Jumping back is refused unless asked for: the tests mean the
        clock to move forward."""
        if when.tzinfo is None:
            raise ValueError("FakeClock.set needs an aware datetime")
        if not backwards and when < self.now() - datetime.timedelta(milliseconds=5):
            raise ValueError("clock would go back from %s to %s"
                             % (iso(self.now()), iso(when)))
        self._write(when)

    def advance(self, delta):
        self.set(self.now() + delta)

    def env(self):
        env = {
            "LD_PRELOAD": FAKETIME_LIB,
            "FAKETIME_TIMESTAMP_FILE": self.path,
        }
        if not self.monotonic:
            env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        if self.cache is None:
            env["FAKETIME_NO_CACHE"] = "1"
        else:
            env["FAKETIME_CACHE_DURATION"] = "%d" % self.cache
        return env


class DatagramSink:
    """A Unix datagram socket whose datagrams a thread collects, each with
    the monotonic time it arrived."""

    def __init__(self, path):
        if len(path.encode()) >= 108:
            raise HarnessError("socket path too long: " + path)
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(self.path)
        os.chmod(self.path, 0o666)
        self.sock.settimeout(0.1)
        self._datagrams = []
        self._lock = threading.Lock()
        self._stop = False
        self._reading = threading.Event()
        self._reading.set()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            if not self._reading.is_set():
                self._idle.set()
                self._reading.wait(0.1)
                continue
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self._datagrams.append((time.monotonic(),
                                        data.decode("utf-8", "replace")))

    def pause(self):
        """Stop reading, as a syslog daemon that has fallen behind: what is
        sent stays in the socket's queue, and once that is full (a few
        datagrams: net.unix.max_dgram_qlen) a sender blocks.  Returns when
        the reader has stopped."""
        self._idle.clear()
        self._reading.clear()
        if not self._idle.wait(5):
            raise HarnessError("the syslog reader did not stop")

    def resume(self):
        self._reading.set()

    def datagrams(self):
        """(arrival, text) of every datagram so far."""
        with self._lock:
            return list(self._datagrams)

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class SyslogSink(DatagramSink):
    """A Unix datagram socket that collects syslog lines."""

    def __init__(self, tmpdir):
        super().__init__(os.path.join(tmpdir, "log.sock"))

    def lines(self):
        """Every datagram so far: "<PRI>Mon DD HH:MM:SS tag[pid]: message"."""
        return [text.rstrip("\n\0") for _, text in self.datagrams()]

    def messages(self, tag="termijnd"):
        """The message part of the lines that termijnd sent."""
        out = []
        for line in self.lines():
            m = re.match(r"<\d+>(?:\w{3} [ \d]\d \d\d:\d\d:\d\d )?([^\[:]+)(?:\[\d+\])?: (.*)$",
                         line, re.S)
            if m and m.group(1) == tag:
                out.append(m.group(2))
        return out

    def transitions(self):
        """The transition lines, each parsed into a dict of its key=value pairs."""
        out = []
        for msg in self.messages():
            if msg.startswith("transition "):
                out.append(dict(kv.split("=", 1) for kv in msg.split()[1:]
                                if "=" in kv))
        return out

OPENAPI_DIR = os.path.join(HERE, "..", "openapi")
PROXY_ENV = "TERMIJN_OPENAPI_PROXY"


def npm_ci(directory):
    """The npm packages of directory as its package-lock.json fixes them
    (node_modules is not in the repository); nothing is done when
    node_modules already holds exactly that lock."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise HarnessError("%s is missing (contrib/install-deps.sh test installs "
                               "nodejs and npm)" % tool)
    with open(os.path.join(directory, "package-lock.json")) as f:
        want = {k: v for k, v in json.load(f)["packages"].items() if k}
    installed = os.path.join(directory, "node_modules", ".package-lock.json")
    # Test modules run in parallel: one installs, the others wait for it.
    lock = os.path.join(tempfile.gettempdir(), "termijn-npm-%s.lock"
                        % re.sub(r"[^A-Za-z0-9]", "_", os.path.realpath(directory)))
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if os.path.exists(installed):
            with open(installed) as f:
                have = json.load(f).get("packages") or {}
            # An optional package for another platform (fsevents) is not
            # installed here; every other one is, as the lock has it.
            if all(have.get(k) == v for k, v in want.items() if not v.get("optional")) \
                    and all(want.get(k) == v for k, v in have.items()):
                return
        p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                           cwd=directory, capture_output=True, text=True, timeout=900,
                           stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise HarnessError("npm ci in %s failed:\n%s%s" % (directory, p.stdout,
                                                                p.stderr))


def openapi_document():
    """docs/openapi.json, parsed."""
    with open(os.path.join(source_dir(), "docs", "openapi.json")) as f:
        return json.load(f)


def openapi_operations(doc=None):
    """{(METHOD, full path template): operation} of the document: each path
    under its server's path (/v1, or the root for a path with servers of
    its own)."""
    doc = doc or openapi_document()
    ops = {}
    for path, item in doc["paths"].items():
        base = (item.get("servers") or doc["servers"])[0]["url"].rstrip("/")
        for method, o in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                ops[(method.upper(), base + path)] = o
    return ops


def prism_document(tmpdir):
    """The document as Prism routes it, written in tmpdir: Prism matches a
    request's path against the paths alone and leaves the servers' paths
    out, so each path is put under its server's path here."""
    doc = openapi_document()
    paths = {}
    for path, item in doc["paths"].items():
        base = (item.get("servers") or doc["servers"])[0]["url"].rstrip("/")
        item = dict(item)
        item.pop("servers", None)
        paths[base + path] = item
    doc["paths"] = paths
    doc["servers"] = [{"url": "/"}]
    out = os.path.join(tmpdir, "openapi-prism.json")
    with open(out, "w") as f:
        json.dump(doc, f)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Prism:
    """@stoplight/prism-cli in proxy mode in front of upstream ("HOST:PORT"),
    checking requests and answers against docs/openapi.json.  errors=True:
    an answer the document does not describe becomes Prism's own error (and
    a request it refuses is not forwarded); errors=False forwards both, and
    says what it found in an sl-violations header."""

    START_TIMEOUT = 60.0

    def __init__(self, tmpdir, upstream, errors=True):
        npm_ci(OPENAPI_DIR)
        self.port = free_port()
        self.log_path = os.path.join(tmpdir, "prism-%d.log" % self.port)
        self._log = open(self.log_path, "wb")
        prism = os.path.join(OPENAPI_DIR, "node_modules", ".bin", "prism")
        argv = [prism, "proxy", prism_document(tmpdir), "http://" + upstream,
                "--host", "127.0.0.1", "--port", str(self.port),
                "--errors", "true" if errors else "false", "-v", "warn"]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

        def up():
            if self.proc.poll() is not None:
                raise HarnessError("prism exited with %s:\n%s" % (self.proc.returncode,
                                                                   self.log()[-3000:]))
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return True
            except OSError:
                return False

        try:
            wait_until(up, self.START_TIMEOUT, 0.1, "prism listening on %d" % self.port)
        except BaseException:
            self.close()
            raise

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def close(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        self._log.close()


def violations(headers):
    """Prism's sl-violations header, parsed: [{"location": [...], "severity",
    "message"}]; empty when there is none."""
    v = headers.get("sl-violations")
    if not v:
        return []
    try:
        return json.loads(v)
    except ValueError:
        return [{"location": ["?"], "severity": "Error", "message": v}]


class Response(tuple):
    """(status, headers, body): headers a dict with lowercase names, body the
    parsed JSON when the answer says JSON, else the raw bytes."""

    def __new__(cls, status, headers, body, raw):
        r = tuple.__new__(cls, (status, headers, body))
        r.raw = raw
        return r

    status = property(lambda self: self[0])
    headers = property(lambda self: self[1])
    body = property(lambda self: self[2])


def _yaml(value, indent=0):
    pad = "  " * indent
    lines = []
    for k, v in value.items():
        if isinstance(v, dict):
            lines.append("%s%s:" % (pad, k))
            lines.append(_yaml(v, indent + 1))
        else:
            lines.append("%s%s: %s" % (pad, k, json.dumps(v)))
    return "\n".join(lines)


class Daemon:
    """A real termijnd on a free loopback port.

    tmpdir: where the database (unless db is given), config, logs and sockets go.
    clock: a FakeClock, or None for the real clock.
    config: a dict written as termijnd's YAML configuration.
    env: variables added to termijnd's environment.
    wrapper: a command termijnd runs under, which execs it (prlimit).
    """

    START_TIMEOUT = 30.0
    STOP_TIMEOUT = 30.0

    def __init__(self, tmpdir, clock=None, config=None, extra_args=(), db=None,
                 workflows=None, start=True, syslog=True, env=None, wrapper=()):
        require_tools()
        self.tmpdir = tmpdir
        self.wrapper = list(wrapper)
        self.clock = clock
        self.env = dict(env or {})
        self.config = config
        self.extra_args = list(extra_args)
        self.db = db or os.path.join(tmpdir, "termijn.db")
        self.workflows = workflows or os.path.join(source_dir(), "workflows")
        self.config_path = None
        if config is not None:
            self.config_path = os.path.join(tmpdir, "termijnd.yaml")
            with open(self.config_path, "w") as f:
                f.write(_yaml(config) + "\n")
        self.idle_timeout = float((config or {}).get("http", {}).get("idle_timeout", 30))
        # syslog=False (benchmarks only) runs termijnd in the host's mount
        # namespace: its syslog lines go wherever the host's /dev/log says.
        self.syslog = SyslogSink(tmpdir) if syslog else None
        self.token = None
        self.admin_token = None
        self.proc = None
        self.starts = 0
        self.stdout_lines = []
        self.stderr_paths = []
        self.host = None
        self.port = None
        self._conn = None
        self._conn_used = 0.0
        self.prism = None
        if start:
            try:
                self.start()
            except BaseException:
                if self.proc is not None:
                    self.proc.kill()
                    self.proc.wait()
                    self.proc = None
                if self.syslog is not None:
                    self.syslog.close()
                if self.prism is not None:
                    self.prism.close()
                raise

    # -- process ---------------------------------------------------------

    def command(self):
        cmd = [termijnd_path(), "--listen", "127.0.0.1:0", "--db", self.db,
               "--workflows", self.workflows, "--foreground"]
        if self.config_path:
            cmd += ["--config", self.config_path]
        return cmd + self.extra_args

    def start(self):
        assert self.proc is None, "termijnd is already running"
        first = not os.path.exists(self.db)
        self.starts += 1
        env = dict(os.environ)
        asan = env.get("ASAN_OPTIONS", "")
        if "verify_asan_link_order" not in asan:
            asan = (asan + ":" if asan else "") + "verify_asan_link_order=0"
        env["ASAN_OPTIONS"] = asan
        wrapped = list(self.wrapper) + ["env"] + ["%s=%s" % kv
                                                  for kv in sorted(self.env.items())]
        if self.clock is not None:
            wrapped += ["%s=%s" % kv for kv in sorted(self.clock.env().items())]
        argv = wrapped + self.command()
        if self.syslog is not None:
            argv = [SYSLOG_NS, self.syslog.path, "--"] + argv
        err_path = os.path.join(self.tmpdir, "termijnd-%d.stderr" % self.starts)
        self.stderr_paths.append(err_path)
        self._stderr = open(err_path, "wb")
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr)
        lines = []
        self.stdout_lines.append(lines)
        self._stdout_thread = threading.Thread(
            target=self._read_stdout, args=(self.proc, lines), daemon=True)
        self._stdout_thread.start()

        def ready():
            if self.proc.poll() is not None:
                raise HarnessError("termijnd exited with %s before it listened;\n"
                                   "stdout: %s\nstderr: %s" % (
                                       self.proc.returncode, "".join(lines),
                                       self.stderr_text()[-4000:]))
            for line in list(lines):
                m = re.match(r"termijnd: listening on (\S+):(\d+)\s*$", line)
                if m:
                    return m.group(1), int(m.group(2))
            return None

        self.host, self.port = wait_until(ready, self.START_TIMEOUT,
                                          what="termijnd: listening on ...")
        if first:
            def token():
                for line in list(lines):
                    m = re.match(r"termijnd: admin token \(shown once\): (\S+)\s*$", line)
                    if m:
                        return m.group(1)
                return None
            self.admin_token = wait_until(token, 5.0,
                                          what="the admin token on first start")
        elif self.admin_token is None:
            raise HarnessError("database %s existed before the first start: "
                               "no admin token to use" % self.db)
        self._conn = None
        if os.environ.get(PROXY_ENV) and self.prism is None:
            self.prism = Prism(self.tmpdir, "%s:%d" % (self.host, self.port),
                               errors=False)
        # The daemon must answer before a test goes on.
        st = self.request("GET", "/healthz", token=None).status
        if st != 200:
            raise HarnessError("GET /healthz answered %s after start" % st)
        if first:
            self._people()
        return self

    # The teams every test may use, and the caseworker in all of them whose
    # token requests carry unless a test says otherwise.
    TEAMS = ("jeugd-noord", "jeugd-zuid", "inkomen", "handhaving", "t")

    def _people(self):
        for team in self.TEAMS:
            self.add_team(team)
        self.token = self.make_token("worker", "caseworker", self.TEAMS)

    def add_team(self, name, title=None, organisation=None):
        """A known team, added by the admin."""
        body = {"name": name, "title": title or name}
        if organisation is not None:
            body["organisation"] = organisation
        r = self.request("POST", "/v1/teams", body, token=self.admin_token)
        if r.status != 201:
            raise HarnessError("POST /v1/teams %s answered %s: %r"
                               % (name, r.status, r.body))
        return name

    def make_token(self, name, role, teams=(), expires="never", display_name=None):
        """A token for a person, made by the admin over the API; with
        display_name, the person's name as people read it."""
        body = {"name": name, "role": role, "teams": list(teams)}
        if expires is not None:
            body["expires"] = expires
        if display_name is not None:
            body["display_name"] = display_name
        r = self.request("POST", "/v1/tokens", body, token=self.admin_token)
        if r.status != 201:
            shown = dict(r.body, token="...") if isinstance(r.body, dict) else r.body
            raise HarnessError("POST /v1/tokens %s answered %s: %r"
                               % (name, r.status, shown))
        return r.body["token"]

    def start_refused(self):
        """Start termijnd expecting it to refuse to run (a broken database,
        a bad configuration): (its exit status, its stderr)."""
        try:
            self.start()
        except HarnessError:
            if self.proc is None:
                raise
            rc = self._reap(self.STOP_TIMEOUT)
            self.check_sanitizers()
            return rc, self.stderr_text()
        raise AssertionError("termijnd started, listening on %s:%s" % (self.host, self.port))

    def revoke_token(self, name):
        """The admin revokes a token over the API."""
        r = self.request("DELETE", "/v1/tokens/" + name, token=self.admin_token)
        if r.status != 200:
            raise HarnessError("DELETE /v1/tokens/%s answered %s: %r"
                               % (name, r.status, r.body))

    def audit_heads(self):
        """The anchors termijnd wrote to syslog, oldest first: "ID:HASH", as
        termijnctl audit verify --head takes them."""
        out = []
        for msg in self.syslog.messages():
            m = re.match(r"audit head id=(\d+) hash=([0-9a-f]{64}) ", msg)
            if m:
                out.append("%s:%s" % m.groups())
        return out

    @staticmethod
    def _read_stdout(proc, lines):
        for raw in proc.stdout:
            lines.append(raw.decode("utf-8", "replace"))

    def stdout_text(self):
        return "".join("".join(ls) for ls in self.stdout_lines)

    def stderr_text(self):
        out = []
        for p in self.stderr_paths:
            try:
                with open(p, "rb") as f:
                    out.append(f.read().decode("utf-8", "replace"))
            except FileNotFoundError:
                pass
        return "".join(out)

    def check_sanitizers(self):
        text = self.stderr_text()
        for mark in SANITIZER_MARKS:
            i = text.find(mark)
            if i >= 0:
                raise AssertionError("termijnd's stderr reports %r:\n%s"
                                     % (mark, text[max(0, i - 200):i + 3000]))

    def _reap(self, timeout):
        if self.prism is not None:
            self.prism.close()
            self.prism = None
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("termijnd did not exit within %.0fs" % timeout)
        finally:
            self._close_conn()
            self._stdout_thread.join(5)
            self.proc.stdout.close()
            self._stderr.close()
            self.proc = None
        return rc

    def stop(self, sent=False):
        """SIGTERM (sent: the test sent it already); termijnd must exit 0
        with a clean sanitizer report."""
        assert self.proc is not None, "termijnd is not running"
        if not sent:
            self.proc.send_signal(signal.SIGTERM)
        rc = self._reap(self.STOP_TIMEOUT)
        self.check_sanitizers()
        if rc != 0:
            raise AssertionError("termijnd exited %s on SIGTERM (expected 0); stderr:\n%s"
                                 % (rc, self.stderr_text()[-3000:]))
        return rc

    def kill9(self):
        assert self.proc is not None, "termijnd is not running"
        self.proc.send_signal(signal.SIGKILL)
        rc = self._reap(self.STOP_TIMEOUT)
        self.check_sanitizers()
        return rc

    def restart(self):
        self.stop()
        return self.start()

    def close(self):
        """For tearDown: stop if running (asserting a clean exit), always
        release the syslog socket."""
        try:
            # A test that failed while syslog's reader stood still: termijnd
            # sends every line before it exits.
            if self.syslog is not None:
                self.syslog.resume()
            if self.proc is not None:
                self.stop()
            else:
                self.check_sanitizers()
        finally:
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait()
            if self.prism is not None:
                self.prism.close()
                self.prism = None
            if self.syslog is not None:
                self.syslog.close()

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    # -- HTTP -------------------------------------------------------------

    def _close_conn(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def reconnect(self):
        """The next request opens a new connection: after a jump of the
        monotonic clock (FakeClock(monotonic=True)) termijnd has dropped
        the idle one."""
        self._close_conn()

    def connection(self, timeout=10.0):
        """A new connection of one's own (for tests that hold several)."""
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def _proxied(self, method, path, status, headers):
        """Under TERMIJN_OPENAPI_PROXY: what Prism found wrong with a request
        and its answer, as a failure of the test.  An answer the document
        does not describe is always one; a request the document refuses is
        one when termijnd took it (both refusing it is agreement)."""
        found = violations(headers)
        answer = [v for v in found if v.get("location", [""])[0] == "response"]
        request = [v for v in found if v.get("location", [""])[0] != "response"]
        if answer or (request and status < 400):
            raise AssertionError("%s %s answered %d, which docs/openapi.json does not "
                                 "describe: %s" % (method, path, status,
                                                   json.dumps(answer or request)))

    def request(self, method, path, body=None, headers=None, token=_DEFAULT,
                content_type=_DEFAULT, conn=None):
        """One request on the keep-alive connection (or on conn).

        body: a dict or list is sent as JSON; str or bytes as they are.
        token: the caseworker's ("worker", in every team of TEAMS) by
        default; None sends no Authorization.
        """
        hdrs = {}
        if token is _DEFAULT:
            token = self.token
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
            elif isinstance(body, str):
                data = body.encode()
            else:
                data = body
            if content_type is _DEFAULT:
                content_type = "application/json"
        if content_type not in (_DEFAULT, None):
            hdrs["Content-Type"] = content_type
        hdrs.update(headers or {})
        own = conn is None
        if own:
            # Never send on a connection the server may have closed for
            # idleness: open a fresh one instead.
            if (self._conn is not None and
                    time.monotonic() - self._conn_used > self.idle_timeout / 2):
                self._close_conn()
            if self._conn is None:
                self._conn = (http.client.HTTPConnection("127.0.0.1", self.prism.port,
                                                         timeout=10.0)
                              if self.prism is not None else self.connection())
            conn = self._conn
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
        except Exception:
            if own:
                self._close_conn()
            raise
        if own:
            self._conn_used = time.monotonic()
            if resp.will_close:
                self._close_conn()
        headers_out = {k.lower(): v for k, v in resp.getheaders()}
        if own and self.prism is not None:
            self._proxied(method, path, resp.status, headers_out)
        body_out = raw
        if "json" in headers_out.get("content-type", ""):
            try:
                body_out = json.loads(raw)
            except ValueError:
                body_out = raw
        return Response(resp.status, headers_out, body_out, raw)

    # -- conveniences -----------------------------------------------------

    def call(self, method, path, body=None, expect=200, token=_DEFAULT, headers=None):
        """A request whose answer must have status expect (None: any
        status): its body."""
        r = self.request(method, path, body, headers=headers, token=token)
        if expect is not None and r.status != expect:
            raise AssertionError("%s %s%s answered %s (expected %s): %r" % (
                method, path, "" if body is None else " " + json.dumps(body),
                r.status, expect, r.body))
        return r.body

    def create_case(self, workflow="zelfmelding", reference=None, team="jeugd-noord",
                    started_at=None, headers=None, expect=201, token=_DEFAULT):
        if reference is None:
            Daemon._refs = getattr(Daemon, "_refs", 0) + 1
            reference = "Z-2026-%04d" % Daemon._refs
        body = {"workflow": workflow, "reference": reference, "team": team}
        if started_at is not None:
            body["started_at"] = started_at
        return self.call("POST", "/v1/cases", body, expect, token, headers)

    def case(self, cid):
        return self.call("GET", "/v1/cases/%d" % cid)

    def event(self, cid, event, note=None, expect=200, token=_DEFAULT):
        body = {"event": event}
        if note is not None:
            body["note"] = note
        return self.call("POST", "/v1/cases/%d/events" % cid, body, expect, token)

    def share(self, cid, team, basis, purpose=None, token=_DEFAULT, expect=201):
        """Let another team take part in a case, on a legal basis."""
        body = {"team": team, "basis": basis}
        if purpose is not None:
            body["purpose"] = purpose
        return self.call("POST", "/v1/cases/%d/participants" % cid, body, expect, token)

    def transitions(self, cid):
        return self.call("GET", "/v1/cases/%d/transitions" % cid)["transitions"]

    def wait_state(self, cid, state, timeout=5.0):
        """Poll the case until it is in state; return the case."""
        return wait_until(lambda: (lambda c: c if c["state"] == state else None)(self.case(cid)),
                          timeout, what="case %d in state %s (now %s)"
                          % (cid, state, self.case(cid)["state"]))

    def healthy(self):
        r = self.request("GET", "/healthz", token=None)
        return r.status == 200 and r.body == {"status": "ok"}

    # -- the database, read-only ----------------------------------------

    def db_connect(self):
        uri = "file:%s?mode=ro" % self.db
        return sqlite3.connect(uri, uri=True, timeout=10)

    def db_query(self, sql, args=()):
        con = self.db_connect()
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()


class TempDir:
    """A temp dir removed at the end unless TERMIJN_KEEP_TMP is set."""

    def __init__(self, name):
        self.path = tempfile.mkdtemp(prefix="termijn-it-%s." % name)

    def cleanup(self):
        if os.environ.get("TERMIJN_KEEP_TMP"):
            return
        subprocess.run(["rm", "-rf", self.path], check=False)


class TermijnTestCase(unittest.TestCase):
    """A test with its own temp dir and daemons that are stopped (and checked
    for a clean exit and a clean sanitizer report) at its end."""

    maxDiff = None

    def setUp(self):
        require_tools()
        self._tmp = TempDir(self._testMethodName)
        self.tmpdir = self._tmp.path
        self.addCleanup(self._tmp.cleanup)

    def start_daemon(self, **kw):
        d = Daemon(self.tmpdir, **kw)
        self.addCleanup(d.close)
        return d

    def assertProblem(self, r, status, *words):
        """An error answer: the status, application/problem+json, and a detail
        that names the problem: each of words, case-insensitively; a tuple in
        words is a choice ("started_at", "2026-02-30")."""
        self.assertEqual(r.status, status, "expected %d, got %d: %r" % (status, r.status, r.raw))
        ctype = r.headers.get("content-type", "")
        self.assertTrue(ctype.startswith("application/problem+json"),
                        "status %d with Content-Type %r, body %r" % (r.status, ctype, r.raw))
        self.assertIsInstance(r.body, dict, "problem body is not a JSON object: %r" % (r.raw,))
        self.assertEqual(r.body.get("status"), status, r.body)
        detail = r.body.get("detail")
        self.assertIsInstance(detail, str, r.body)
        self.assertTrue(detail.strip(), r.body)
        for w in words:
            alts = w if isinstance(w, tuple) else (w,)
            self.assertTrue(any(a.lower() in detail.lower() for a in alts),
                            "detail %r does not name %s" % (detail, " or ".join(map(repr, alts))))
        return r.body


class ClassDaemonTestCase(TermijnTestCase):
    """The tests of a class share one termijnd, cls.d (CONFIG: its
    configuration), made in setUpClass and stopped in tearDownClass."""

    CONFIG = None

    @classmethod
    def setUpClass(cls):
        require_tools()
        cls._ctmp = TempDir(cls.__name__)
        cls.d = Daemon(cls._ctmp.path, config=cls.CONFIG)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.d.close()
        finally:
            cls._ctmp.cleanup()


class SharedDaemonTestCase(ClassDaemonTestCase):
    """A shared termijnd that each test must leave serving and, unless it
    sets self.changed, with the cases, deadlines and transitions it found."""

    def counts(self):
        return tuple(self.d.db_query("SELECT count(*) FROM %s" % t)[0][0]
                     for t in ("cases", "deadlines", "transitions"))

    def setUp(self):
        super().setUp()
        self.before = self.counts()

    def tearDown(self):
        self.assertTrue(self.d.healthy(), "GET /healthz fails after the test")
        if not getattr(self, "changed", False):
            self.assertEqual(self.counts(), self.before,
                             "(cases, deadlines, transitions) changed")
        super().tearDown()
