#!/usr/bin/env python3
"""termijn beside its peers, BullMQ and pg-boss, under the same load shapes in one run.

Called by run.sh, which installs what it needs first.  For each round
(--rounds, 3) and each measure, the three are measured one after the other,
in an order that turns round by round:

- durable registrations/s from 16 and from 64 concurrent clients for
  --seconds (10): termijn through bench_register.sh (wrk over HTTP
  keep-alive, a fresh database); BullMQ: Queue.add of a job delayed by an
  hour, awaited, from N async clients on a fresh Redis (appendonly yes,
  appendfsync always); pg-boss: send with startAfter an hour ahead, awaited,
  from N async clients (a pool of N connections) into a fresh database of a
  throw-away PostgreSQL 15 cluster (fsync and synchronous_commit on);
- the lateness of the last of 10,000 deadlines due at one moment: termijn
  through bench_due.py (when the last deadline transition's COMMIT
  returned, by termijnd's own clock, minus the due moment); BullMQ and pg-boss: 10,000 delayed jobs due at one
  moment, and how long after it the last was handed to a worker process.

Prints every figure as it comes, then a table of the medians and the ratios
termijn/peer.  Asserts nothing.  Every server it starts runs in a temporary
directory on a free loopback port and is stopped, and the directory
removed, when it ends, however it ends.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
SOURCE = os.path.dirname(os.path.dirname(BENCH))
PG_BIN = "/usr/lib/postgresql/15/bin"
PEERS = ("termijn", "bullmq", "pgboss")
NAMES = {"termijn": "termijn", "bullmq": "BullMQ", "pgboss": "pg-boss"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, fn, timeout=30.0):
    end = time.monotonic() + timeout
    while True:
        if fn():
            return
        if time.monotonic() > end:
            raise SystemExit("peers: %s did not come up within %.0f s" % (what, timeout))
        time.sleep(0.05)


def stop(proc, timeout=30.0):
    """SIGTERM to a process this script started, by its id; SIGKILL if it
    lingers."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Redis:
    """A redis-server of its own: a fresh directory and free port, the
    append-only file fsynced before every answer (appendfsync always), no
    RDB snapshots (their forks would only add load)."""

    def __init__(self, tmp):
        self.dir = tempfile.mkdtemp(prefix="redis.", dir=tmp)
        self.port = free_port()
        conf = os.path.join(self.dir, "redis.conf")
        with open(conf, "w") as f:
            f.write("bind 127.0.0.1\nport %d\ndir %s\nappendonly yes\n"
                    "appendfsync always\nsave \"\"\ndaemonize no\n"
                    "logfile %s/redis.log\n" % (self.port, self.dir, self.dir))
        self.proc = subprocess.Popen(["redis-server", conf], stdin=subprocess.DEVNULL)
        wait_for("redis-server", self.pong)
        self.url = "redis://127.0.0.1:%d" % self.port

    def command(self, *words):
        with socket.create_connection(("127.0.0.1", self.port), 2) as s:
            s.sendall(("*%d\r\n" % len(words) + "".join(
                "$%d\r\n%s\r\n" % (len(w), w) for w in words)).encode())
            return s.recv(4096).decode()

    def pong(self):
        if self.proc.poll() is not None:
            raise SystemExit("peers: redis-server exited with %s" % self.proc.returncode)
        try:
            return "PONG" in self.command("PING")
        except OSError:
            return False

    def settings(self):
        r = self.command("CONFIG", "GET", "appendfsync")
        return "appendfsync " + r.split("\r\n")[-2]

    def close(self):
        stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class Postgres:
    """A throw-away PostgreSQL 15 cluster: initdb in a temporary directory,
    started with pg_ctl on a free port with its socket in that directory,
    durable (fsync, synchronous_commit and full_page_writes on, as by
    default) and with room for the pools of 64 clients and the workers.
    Each measurement gets a database of its own."""

    SETTINGS = {
        "listen_addresses": "'127.0.0.1'",
        "max_connections": 200,
        "shared_buffers": "'256MB'",
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
        "logging_collector": "off",
    }

    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "pg")
        os.makedirs(self.dir)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        # initdb and postgres refuse to run as root: then they run as the
        # postgres user that Debian's package made.
        self.as_user = []
        self.user = "postgres"
        if os.geteuid() == 0:
            os.chmod(tmp, 0o711)
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.run([PG_BIN + "/initdb", "-D", self.data, "-U", self.user, "--auth=trust",
                  "--no-sync", "-E", "UTF8", "--locale=C"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            for k, v in self.SETTINGS.items():
                f.write("%s = %s\n" % (k, v))
            f.write("port = %d\nunix_socket_directories = '%s'\n" % (self.port, self.dir))
        self.run([PG_BIN + "/pg_ctl", "-D", self.data, "-l",
                  os.path.join(self.dir, "postgres.log"), "-w", "-t", "60", "start"])
        self.started = True

    def run(self, argv):
        p = subprocess.run(self.as_user + argv, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit("peers: %s failed:\n%s%s" % (" ".join(argv), p.stdout, p.stderr))
        return p.stdout

    def sql(self, statement, db="postgres"):
        return self.run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.dir,
                         "-p", str(self.port), "-U", self.user, "-d", db, "-c", statement])

    def database(self, name):
        self.sql("DROP DATABASE IF EXISTS %s" % name)
        self.sql("CREATE DATABASE %s" % name)
        return "postgres://%s@127.0.0.1:%d/%s" % (self.user, self.port, name)

    def settings(self):
        return " ".join("%s %s" % (k, self.sql("SHOW %s" % k).strip())
                        for k in ("fsync", "synchronous_commit", "full_page_writes"))

    def close(self):
        if getattr(self, "started", False):
            subprocess.run(self.as_user + [PG_BIN + "/pg_ctl", "-D", self.data, "-m", "fast",
                                           "-w", "stop"], stdin=subprocess.DEVNULL,
                           capture_output=True)
            self.started = False


# -- one measurement each ---------------------------------------------------

def run_text(argv, env=None, timeout=900):
    """Run a benchmark script or peers.mjs in a session of its own; its
    output.  Interrupted, it is stopped as Ctrl-C would stop it, and then
    whatever is left of its session."""
    e = dict(os.environ)
    e.update(env or {})
    # SIGINT as by default in the child even when this script runs where it
    # is ignored (in the background of a shell without job control).
    p = subprocess.Popen(argv, env=e, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        out, err = p.communicate(timeout=timeout)
    except BaseException:
        # SIGINT to its whole session, as a terminal's Ctrl-C: the scripts
        # clean up after themselves (bench_due.py's finally, bench_register.sh's
        # trap; termijnd, wrk and node stop on it, the node workers when their
        # parent's channel closes).  Then SIGTERM, and SIGKILL, to what lingers.
        for sig, grace in ((signal.SIGINT, 30), (signal.SIGTERM, 10), (signal.SIGKILL, 0)):
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                break
            end = time.monotonic() + grace
            while time.monotonic() < end:
                try:
                    os.killpg(p.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
        p.wait()
        raise
    if p.returncode != 0:
        raise SystemExit("peers: %s exited %d:\n%s%s" % (" ".join(argv), p.returncode,
                                                       out[-3000:], err[-3000:]))
    return out


def node(args):
    out = run_text(["node", os.path.join(HERE, "peers.mjs")] + args)
    return json.loads(out.strip().splitlines()[-1])


def termijn_register(args, clients):
    out = run_text([os.path.join(BENCH, "bench_register.sh")],
                   env={"RUNS": "1", "CONNECTIONS": str(clients),
                        "DURATION": "%ds" % args.seconds, "THREADS": "2"})
    m = re.search(r"^run 1: ([\d.]+) requests/s; created=(\d+) failed=(\d+) "
                  r"p50_ms=([\d.]+) p99_ms=([\d.]+)", out, re.M)
    if not m:
        raise SystemExit("peers: no figure from bench_register.sh:\n" + out)
    if int(m.group(3)):
        raise SystemExit("peers: termijnd refused %s registrations:\n%s" % (m.group(3), out))
    return float(m.group(1)), "p50 %s ms, p99 %s ms" % (m.group(4), m.group(5))


def termijn_due(args):
    out = run_text([sys.executable, os.path.join(BENCH, "bench_due.py"),
                    "--cases", str(args.jobs)])
    m = re.search(r"^last committed ([+-]\d+) ms after", out, re.M)
    n = re.search(r"deadline transitions: (\d+), in about (\d+) commits", out)
    if not m or not n or int(n.group(1)) != args.jobs:
        raise SystemExit("peers: no figure from bench_due.py:\n" + out)
    return float(m.group(1)), "%s commits" % n.group(2)


def measure(args, tmp, pg, what, peer, seq):
    """One figure: registrations/s or the last one's lateness in ms."""
    if peer == "termijn":
        if what == "due":
            return termijn_due(args)
        return termijn_register(args, int(what[3:]))
    if peer == "bullmq":
        r = Redis(tmp)
        try:
            if what == "due":
                j = node(["due", "bullmq", r.url, str(args.jobs),
                          "workers=%d" % args.bullmq_workers,
                          "concurrency=%d" % args.bullmq_concurrency])
            else:
                j = node(["register", "bullmq", r.url, what[3:], str(args.seconds)])
            note = r.settings()
        finally:
            r.close()
    else:
        url = pg.database("m%d" % seq)
        if what == "due":
            j = node(["due", "pgboss", url, str(args.jobs),
                      "workers=%d" % args.pgboss_workers, "loops=%d" % args.pgboss_loops,
                      "batch=%d" % args.pgboss_batch, "interval=0.5"])
        else:
            j = node(["register", "pgboss", url, what[3:], str(args.seconds)])
        pg.sql("DROP DATABASE m%d" % seq)
        note = ""
    if what == "due":
        if j["jobs"] < args.jobs:
            raise SystemExit("peers: %s handed %d of %d jobs" % (peer, j["jobs"], args.jobs))
        return j["last_ms"], "first %.0f ms; %s" % (j["first_ms"], note)
    if j["failed"]:
        raise SystemExit("peers: %s failed %d adds" % (peer, j["failed"]))
    return j["rate"], "p50 %.2f ms, p99 %.2f ms; %s" % (j["p50_ms"], j["p99_ms"], note)


MEASURES = {
    "reg16": "registrations/s, 16 clients",
    "reg64": "registrations/s, 64 clients",
    "due": "last of 10,000 due at one moment, ms late",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10, help="per registration run (10)")
    ap.add_argument("--jobs", type=int, default=10000, help="deadlines due at one moment")
    ap.add_argument("--only", default="reg16,reg64,due",
                    help="measures, comma-separated: reg16, reg64, due")
    ap.add_argument("--peers", default="termijn,bullmq,pgboss")
    ap.add_argument("--bullmq-workers", type=int, default=2,
                    help="BullMQ worker processes (2)")
    ap.add_argument("--bullmq-concurrency", type=int, default=200,
                    help="concurrency of each BullMQ worker (200)")
    ap.add_argument("--pgboss-workers", type=int, default=2,
                    help="pg-boss worker processes (2)")
    ap.add_argument("--pgboss-loops", type=int, default=2,
                    help="work() loops in each pg-boss worker process (2)")
    ap.add_argument("--pgboss-batch", type=int, default=1000,
                    help="batchSize of each pg-boss work() loop (1000)")
    args = ap.parse_args()
    whats = [w for w in args.only.split(",") if w]
    peers = [p for p in args.peers.split(",") if p]
    for w in whats:
        if w not in MEASURES:
            raise SystemExit("peers: unknown measure %s" % w)
    for p in peers:
        if p not in PEERS:
            raise SystemExit("peers: unknown peer %s" % p)

    def terminate(signum, frame):
        raise SystemExit("peers: stopped by signal %d" % signum)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)

    commit = subprocess.run(["git", "-C", SOURCE, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    nodev = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print("peers: %s, commit %s, %d rounds, %d s per registration run, %d jobs due at once;"
          " node %s; load average %.2f %.2f %.2f"
          % (datetime.date.today(), commit, args.rounds, args.seconds, args.jobs, nodev,
             *os.getloadavg()), flush=True)
    tmp = tempfile.mkdtemp(prefix="termijn-peers.")
    pg = None
    results = {(w, p): [] for w in whats for p in peers}
    seq = 0
    try:
        if "pgboss" in peers:
            pg = Postgres(tmp)
            print("PostgreSQL 15 on port %d: %s" % (pg.port, pg.settings()), flush=True)
        for rnd in range(args.rounds):
            order = peers[rnd % len(peers):] + peers[:rnd % len(peers)]
            for w in whats:
                for p in order:
                    seq += 1
                    v, note = measure(args, tmp, pg, w, p, seq)
                    results[(w, p)].append(v)
                    print("round %d %-6s %-8s %10.0f   (%s; load %.1f)"
                          % (rnd + 1, w, NAMES[p], v, note.strip("; "), os.getloadavg()[0]),
                          flush=True)
    finally:
        if pg is not None:
            pg.close()
        shutil.rmtree(tmp, ignore_errors=True)

    def med(w, p):
        v = results.get((w, p))
        return statistics.median(v) if v else None

    def cell(v):
        return "" if v is None else "{:,.0f}".format(v)

    print()
    print("medians of %d rounds; load average at the end %.2f %.2f %.2f"
          % (args.rounds, *os.getloadavg()))
    head = ["measure"] + [NAMES[p] for p in peers]
    others = [p for p in peers if p != "termijn"]
    if "termijn" in peers:
        head += ["termijn/%s" % NAMES[p] for p in others]
    rows = []
    for w in whats:
        row = [MEASURES[w]] + [cell(med(w, p)) for p in peers]
        if "termijn" in peers:
            for p in others:
                a, b = med(w, "termijn"), med(w, p)
                row.append("%.2f" % (a / b) if a is not None and b else "")
        rows.append(row)
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("(registrations: a ratio above 1 means termijn registers faster; lateness: a ratio"
          " below 1 means termijn is less late)")


if __name__ == "__main__":
    main()
