#!/usr/bin/env python3
"""100,000 rungs overdue after downtime: how fast do they fire, and how
slowly does the API answer meanwhile?

Registers N cases of a one-hour workflow (as bench_burst.py's) over HTTP
keep-alive, all started at the same second, so that all their deadlines pass
at one moment an hour later, and stops termijnd before that moment.  Then it
starts termijnd again on a copy of that database with its wall clock faked
(faketime) DOWNTIME seconds past the due moment: all N rungs are overdue at
start.  From the moment termijnd prints that it listens it measures

- how long until all N deadline transitions are committed: a poller looks
  at the database read-only every POLL seconds (GET /metrics would wait
  for termijnd's loop, which is what is measured), and transitions.
  recorded_at tells when each batch began;
- the latency of GET /v1/cases/{id} (random ids, one keep-alive
  connection) sent by a client process of its own while the rungs fire
  (sent before the last batch began), and for a second after the catch-up
  as a baseline.

The registered database is kept and copied for every run, so that several
runs and batch sizes (--batch 512,128) cost one registration.

Prints figures; asserts nothing about speed.  The design promises all
fired within 2 s of start and an API p99 under 20 ms meanwhile.  Runs the
release build in TERMIJN_BUILD_DIR (default build-release); needs root,
faketime and unshare, like the integration tests whose harness it uses.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from bench_burst import BURST  # noqa: E402
from bench_due import register  # noqa: E402



# -- the reading client, in a process of its own ---------------------------

def hammer(lo, hi, token):
    """Say "ready", wait for "HOST PORT" on stdin, then GET /v1/cases/{random
    id} on one keep-alive connection until "stop" arrives on stdin; print
    every request as [monotonic send time, seconds, status] in JSON."""
    print("ready", flush=True)
    host, port = sys.stdin.readline().split()
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()),
                     daemon=True).start()
    hdrs = {"Authorization": "Bearer " + token}
    rnd = random.Random(1)
    out = []
    conn = None
    while not stop.is_set():
        if conn is None:
            conn = http.client.HTTPConnection(host, int(port), timeout=120)
        path = "/v1/cases/%d" % rnd.randint(lo, hi)
        t0 = time.monotonic()
        try:
            conn.request("GET", path, headers=hdrs)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = None
        out.append([t0, time.monotonic() - t0, status])
    json.dump(out, sys.stdout)
    sys.stdout.flush()


# -- the benchmark ----------------------------------------------------------

class Daemon(harness.Daemon):
    """harness.Daemon that tells on_line about each line of stdout as it
    is read, so that the measurement starts when termijnd listens rather
    than when it first answers."""

    on_line = None

    def connection(self, timeout=10.0):
        # start()'s own GET /healthz may wait for the whole catch-up.
        return super().connection(timeout=max(timeout, 300.0))

    def _read_stdout(self, proc, lines):
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            if self.on_line is not None:
                self.on_line(line)
            lines.append(line)


def pct(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def fired_total(d):
    for line in d.request("GET", "/metrics").raw.decode().splitlines():
        if line.startswith("termijn_deadlines_fired_total "):
            return int(line.split()[1])
    raise RuntimeError("no termijn_deadlines_fired_total in /metrics")


def register_base(args, tmp, wf):
    """A database with N burst cases whose deadlines all pass at one moment."""
    base = os.path.join(tmp, "base")
    os.makedirs(base)
    d = harness.Daemon(base, workflows=wf, syslog=False)
    try:
        started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        t0 = time.monotonic()
        ids = register(d, args.cases, args.clients, workflow="burst",
                       started_at=started.isoformat())
        took = time.monotonic() - t0
        early = d.db_query("SELECT count(*) FROM transitions WHERE cause = 'deadline'")[0][0]
        rungs = d.db_query("SELECT count(*) FROM rungs WHERE fired_at IS NULL")[0][0]
        last_id = d.db_query("SELECT max(id) FROM transitions")[0][0]
        # The caseworker reads; the admin's token, shown only on the first
        # start, is what the harness needs to start termijnd on a copy.
        token = (d.token, d.admin_token)
    finally:
        d.close()
    if early:
        sys.exit("bench_catchup: %d deadlines fired during registration" % early)
    print("registered %d cases in %.1f s (%.0f/s), %d rungs pending, all due at %s"
          % (len(ids), took, len(ids) / took, rungs,
             harness.iso(started + datetime.timedelta(hours=1))), flush=True)
    return os.path.join(base, "termijn.db"), token, min(ids), max(ids), \
        started + datetime.timedelta(hours=1), rungs, last_id


def run_once(args, tmp, wf, base_db, token, lo, hi, due, rungs, last_id, batch, label):
    os.makedirs(tmp)
    db = os.path.join(tmp, "termijn.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(base_db + suffix):
            shutil.copyfile(base_db + suffix, db + suffix)
    sched = {}
    if batch:
        sched["batch"] = batch
    if args.batch_time is not None:
        sched["batch_time"] = args.batch_time
    config = {"scheduler": sched} if sched else None
    clock = harness.FakeClock(tmp, due + datetime.timedelta(seconds=args.downtime),
                              cache=args.cache or None)
    d = Daemon(tmp, clock=clock, config=config, db=db, workflows=wf,
               start=False, syslog=not args.no_syslog)
    d.token, d.admin_token = token
    ham = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--hammer",
                            str(lo), str(hi), d.token],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if ham.stdout.readline().strip() != "ready":
        sys.exit("bench_catchup: the reading client did not start")
    state = {"listen": None, "done": None, "seen": [], "error": None}
    prof = []
    poller = []

    def poll():
        # The database, read-only, rather than GET /metrics: termijnd's
        # answer would wait for its loop, which is what is measured.  Only
        # deadline transitions are written meanwhile, after the last one
        # registration wrote.
        con = d.db_connect()
        end = state["listen"] + args.timeout
        try:
            while time.monotonic() < end:
                n = con.execute("SELECT max(id) FROM transitions").fetchone()[0] - last_id
                now = time.monotonic()
                state["seen"].append((now, n))
                if n >= rungs:
                    state["done"] = now
                    return
                time.sleep(args.poll)
        except Exception as e:	# noqa: BLE001 -- reported below
            state["error"] = repr(e)
        finally:
            con.close()

    def on_line(line):
        m = re.match(r"termijnd: listening on (\S+):(\d+)\s*$", line)
        if m is None or state["listen"] is not None:
            return
        state["listen"] = time.monotonic()
        state["listen_wall"] = time.time()
        ham.stdin.write("%s %s\n" % (m.group(1), m.group(2)))
        ham.stdin.flush()
        if args.profile:
            prof.append(subprocess.Popen(
                args.profile.format(pid=d.pid, label=label), shell=True,
                start_new_session=True, stdout=subprocess.DEVNULL))
        t = threading.Thread(target=poll)
        t.start()
        poller.append(t)

    d.on_line = on_line
    try:
        d.start()	# returns after its own GET /healthz is answered
        while not poller:
            time.sleep(0.01)
        poller[0].join()
        if prof:
            os.killpg(prof[0].pid, signal.SIGINT)
            prof[0].wait()
        time.sleep(args.after)	# the baseline: reads once nothing fires
        ham.stdin.write("stop\n")
        ham.stdin.flush()
        reads = json.loads(ham.stdout.read())
        ham.wait()
        if state["done"] is None:
            sys.exit("bench_catchup: not all %d rungs fired within %.0f s: %s (%s)"
                     % (rungs, args.timeout, state["seen"][-1:] or "no answer",
                        state["error"]))
        n, first, last, commits = d.db_query(
            "SELECT count(*), min(recorded_at), max(recorded_at), "
            "count(DISTINCT recorded_at) FROM transitions WHERE cause = 'deadline'")[0]
        metric = fired_total(d)
        lines = len(d.syslog.transitions()) if d.syslog is not None else None
    finally:
        if ham.poll() is None:
            ham.kill()
            ham.wait()
        if prof and prof[0].poll() is None:
            os.killpg(prof[0].pid, signal.SIGINT)
            prof[0].wait()
        d.close()

    listen = state["listen"]
    # termijnd's wall clock at the moment it listened, in ms since the epoch
    listen_ms = (state["listen_wall"] + clock.now().timestamp() - time.time()) * 1000
    done = state["done"] - listen
    # Reads sent before the last batch began overlapped the catch-up; the
    # one or two sent during that batch are left out rather than guessing
    # when it committed, since the reads that follow it come thousands a
    # second and would swamp the figure.
    last_began = listen + (last - listen_ms) / 1000
    during = sorted(r[1] for r in reads if listen <= r[0] < last_began)
    after = sorted(r[1] for r in reads if r[0] >= state["done"])
    bad = sum(1 for r in reads if r[2] != 200)
    first_answer = min((r[0] + r[1] for r in reads if r[2] == 200), default=float("nan"))
    load = os.getloadavg()
    return {
        "label": label, "batch": batch or "default", "n": n, "done": done,
        "metric": metric, "batch_ms": (last - first) / max(1, commits - 1),
        "first_batch": (first - listen_ms) / 1000, "last_batch": (last - listen_ms) / 1000,
        "commits": commits, "during": during, "after": after, "bad": bad,
        "first_answer": first_answer - listen, "syslog": lines, "load": load,
    }


def report(r):
    d, a = r["during"], r["after"]
    print("%s: batch %s; load average %.2f %.2f %.2f"
          % (r["label"], r["batch"], *r["load"]))
    print("  %d deadline transitions (termijn_deadlines_fired_total %d) in about %d"
          " commits, %.0f ms apart; all committed %.2f s after termijnd listened (seen"
          " in the database; the first batch began at %.2f s, the last at %.2f s)"
          % (r["n"], r["metric"], r["commits"], r["batch_ms"], r["done"],
             r["first_batch"], r["last_batch"]))
    print("  GET /v1/cases/{id} sent before the last batch began: %d reads, p50 %.1f ms, p99 %.1f ms,"
          " max %.1f ms; first answer %.2f s after listening%s"
          % (len(d), pct(d, .5) * 1000, pct(d, .99) * 1000, (d[-1] if d else
             float("nan")) * 1000, r["first_answer"],
             "; %d failed" % r["bad"] if r["bad"] else ""))
    print("  after it: %d reads, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (len(a), pct(a, .5) * 1000, pct(a, .99) * 1000,
             (a[-1] if a else float("nan")) * 1000))
    if r["syslog"] is not None:
        print("  syslog transition lines received: %d" % r["syslog"])
    sys.stdout.flush()


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--hammer":
        hammer(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=2, help="runs per batch size (default 2)")
    ap.add_argument("--batch", default="",
                    help="scheduler.batch values to try, comma-separated "
                    "(default: termijnd's own)")
    ap.add_argument("--batch-time", type=float, default=None,
                    help="scheduler.batch_time in seconds (default: termijnd's)")
    ap.add_argument("--downtime", type=float, default=3600.0,
                    help="seconds past the due moment at which termijnd starts "
                    "again (default 3600)")
    ap.add_argument("--cache", type=int, default=1,
                    help="seconds libfaketime keeps the clock offset (default 1)")
    ap.add_argument("--poll", type=float, default=0.02,
                    help="seconds between looks at the database (default 0.02)")
    ap.add_argument("--after", type=float, default=1.0,
                    help="seconds of reads after the catch-up, as a baseline")
    ap.add_argument("--clients", type=int, default=8, help="registering clients")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--no-syslog", action="store_true",
                    help="leave termijnd's syslog to the host instead of a socket "
                    "read by this script")
    ap.add_argument("--profile", metavar="CMD",
                    help="a shell command started when termijnd listens and "
                    "stopped with SIGINT when the catch-up is done; {pid} is "
                    "termijnd's, {label} the run's, e.g. 'perf record -g -o "
                    "/tmp/catchup-{label}.data -p {pid}'")
    args = ap.parse_args()
    batches = [int(b) for b in args.batch.split(",") if b] or [None]

    build = os.environ.get("TERMIJN_BUILD_DIR") or os.path.join(SOURCE, "build-release")
    os.environ["TERMIJN_BUILD_DIR"] = build
    os.environ["TERMIJN_SOURCE_DIR"] = SOURCE
    cache = os.path.join(build, "CMakeCache.txt")
    if not os.path.exists(cache) or "CMAKE_BUILD_TYPE:STRING=Release" not in open(cache).read():
        print("bench_catchup: warning: %s is not a Release build" % build, file=sys.stderr)

    tmp = harness.TempDir("catchup")
    try:
        wf = os.path.join(tmp.path, "workflows")
        os.makedirs(wf)
        with open(os.path.join(wf, "burst.yaml"), "w") as f:
            f.write(BURST)
        print("bench_catchup: %d cases, batch %s, %d runs each, restart %.0f s past the"
              " due moment; load average %.2f %.2f %.2f"
              % (args.cases, ",".join(str(b or "default") for b in batches), args.runs,
                 args.downtime, *os.getloadavg()), flush=True)
        base_db, token, lo, hi, due, rungs, last_id = register_base(args, tmp.path, wf)
        results = {}
        for b in batches:
            for i in range(args.runs):
                label = "b%s-run%d" % (b or "default", i + 1)
                r = run_once(args, os.path.join(tmp.path, label), wf, base_db, token,
                             lo, hi, due, rungs, last_id, b, label)
                report(r)
                results.setdefault(b, []).append(r)
        print("summary (design promise: all fired within 2 s of start; API p99 under"
              " 20 ms meanwhile):")
        for b, rs in results.items():
            done = [r["done"] for r in rs]
            p99 = [pct(r["during"], .99) * 1000 for r in rs]
            print("  batch %s: all %d fired in %s s (median %.2f s); read p99 %s ms"
                  " (median %.0f ms: %.1fx the promise)"
                  % (b or "default", rungs, " ".join("%.2f" % x for x in done),
                     statistics.median(done), " ".join("%.0f" % x for x in p99),
                     statistics.median(p99), statistics.median(p99) / 20))
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    main()
