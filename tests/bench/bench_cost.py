#!/usr/bin/env python3
"""What one operation costs termijnd, in instructions: a figure that noise does not move.

The throughput benchmarks (bench_register.sh, bench_read.sh, bench_catchup.py)
say what a user gets, but on a shared 2-core machine one run differs from the
next by a third, and a change of 5% drowns.  This one runs termijnd under
callgrind and counts the instructions termijnd's own threads execute (in user
space: the kernel's share, the syscalls, is not counted) for:

  - a registration (POST /v1/cases), one at a time over one keep-alive
    connection, each in a transaction of its own;
  - a logged read of a case (GET /v1/cases/{id}), likewise;
  - a fired deadline: the clock moved past the first deadline of every case
    registered, so that the scheduler fires them all in batches of
    scheduler.batch (nothing prepared ahead, no time slice);

and prints instructions per operation.  Two builds compare exactly: run it
once with each (TERMIJN_BUILD_DIR); the same build gives the same figure to
within about 1%.  A release build with symbols (RelWithDebInfo) lets
callgrind_annotate say where the instructions go (--keep keeps the files).

    tests/bench/bench_cost.py [--cases 500] [--keep DIR]

Needs valgrind and faketime.  Asserts nothing.
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))

import harness  # noqa: E402


def dump(pid, outdir, label):
    """Dump callgrind's counters (they start again from 0) and return the
    instructions counted since the last dump, summed over the threads."""
    before = set(os.listdir(outdir))
    subprocess.run(["callgrind_control", "--dump=" + label, str(pid)],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    # The dump is written by the process itself, when it next runs.
    deadline = time.monotonic() + 60
    while True:
        new = [f for f in set(os.listdir(outdir)) - before if not f.endswith(".tmp")]
        if new:
            break
        if time.monotonic() > deadline:
            sys.exit("bench_cost: callgrind wrote no dump for %s" % label)
        time.sleep(0.1)
    time.sleep(0.5)	# one file per thread: let them all be written
    total = 0
    for f in set(os.listdir(outdir)) - before:
        with open(os.path.join(outdir, f)) as fh:
            for line in fh:
                m = re.match(r"(?:summary|totals): (\d+)", line)
                if m:
                    total += int(m.group(1))
                    break
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--batch", type=int, default=256,
                    help="scheduler.batch for the firing (default 256)")
    ap.add_argument("--keep", help="keep callgrind's files in this directory")
    args = ap.parse_args()
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            sys.exit("bench_cost: %s is missing (apt-get install -y valgrind)" % tool)

    build = os.environ.get("TERMIJN_BUILD_DIR") or os.path.join(SOURCE, "build-release")
    os.environ["TERMIJN_BUILD_DIR"] = build
    os.environ["TERMIJN_SOURCE_DIR"] = SOURCE
    cache = os.path.join(build, "CMakeCache.txt")
    if not os.path.exists(cache) or not re.search(
            r"CMAKE_BUILD_TYPE:STRING=(Release|RelWithDebInfo)", open(cache).read()):
        print("bench_cost: warning: %s is not a release build" % build, file=sys.stderr)

    tmp = harness.TempDir("bench-cost")
    outdir = args.keep or os.path.join(tmp.path, "callgrind")
    os.makedirs(outdir, exist_ok=True)
    start = harness.local(2026, 1, 5, 10, 0)
    due = harness.local(2026, 2, 17)
    d = None
    try:
        clock = harness.FakeClock(tmp.path, start, cache=1)
        wrapper = ["valgrind", "--tool=callgrind", "--separate-threads=yes",
                   "--trace-children=yes",
                   "--callgrind-out-file=" + os.path.join(outdir, "callgrind.out.%p")]
        harness.Daemon.START_TIMEOUT = 300.0
        harness.Daemon.STOP_TIMEOUT = 300.0
        d = harness.Daemon(tmp.path, clock=clock, syslog=False, wrapper=wrapper,
                           config={"scheduler": {"batch": args.batch,
                                                 "batch_time": 10,
                                                 "prepare_ahead": 0,
                                                 "recheck_interval": 1}})
        pid = d.proc.pid
        dump(pid, outdir, "start")
        conn = d.connection(timeout=300)
        hdrs = {"Authorization": "Bearer " + d.token, "Content-Type": "application/json"}
        ids = []
        for i in range(args.cases):
            body = '{"workflow":"zelfmelding","reference":"C-%d","team":"jeugd-noord"}' % i
            conn.request("POST", "/v1/cases", body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            if r.status != 201:
                sys.exit("bench_cost: registration answered %d: %s" % (r.status, data[:200]))
            ids.append(int(re.search(rb'"id":(\d+)', data).group(1)))
        reg = dump(pid, outdir, "registrations")
        for cid in ids:
            conn.request("GET", "/v1/cases/%d" % cid, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            if r.status != 200:
                sys.exit("bench_cost: read answered %d: %s" % (r.status, data[:200]))
        conn.close()
        reads = dump(pid, outdir, "reads")
        clock.set(due + datetime.timedelta(seconds=1))
        deadline = time.monotonic() + 600
        while True:
            n = d.db_query("SELECT count(*) FROM transitions WHERE cause = 'deadline'")[0][0]
            if n >= len(ids):
                break
            if time.monotonic() > deadline:
                sys.exit("bench_cost: only %d of %d fired" % (n, len(ids)))
            time.sleep(1)
        fired = dump(pid, outdir, "fired")
        print("bench_cost: %s, %d cases, user-space instructions of termijnd's threads"
              % (build, len(ids)))
        print("registration: %.0f instructions each" % (reg / len(ids)))
        print("logged read:  %.0f instructions each" % (reads / len(ids)))
        print("fired rung:   %.0f instructions each (batches of %d; includes the"
              " scheduler's idle wake-ups while the clock was moved)"
              % (fired / len(ids), args.batch))
    finally:
        try:
            if d is not None:
                d.close()
        finally:
            tmp.cleanup()


if __name__ == "__main__":
    main()
