#!/usr/bin/env python3
"""10,000 deadlines due at the same moment, on the real clock.

bench_due.py moves termijnd's clock with faketime, whose interception of
every clock call is part of what it measures.  This one leaves the clock
alone: it registers N cases of a one-hour workflow with started_at set so
that all their deadlines pass at one moment a few seconds ahead, waits for
that moment, and reads termijnd's own figure from GET /metrics:
termijn_deadline_lateness_max_seconds, the time from the due moment to the
commit of the last batch that fired (the worst lateness of a deadline that
fell due while termijnd ran).  It also checks in the database that every
transition took effect at the due moment, none early.

Prints figures; asserts nothing about speed.  The design promises all
transitions committed within 150 ms.  Uses the release build in
TERMIJN_BUILD_DIR (default build-release) and the integration harness
(root and unshare, for its private syslog socket).
"""

import argparse
import datetime
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from bench_due import register  # noqa: E402

BURST = """workflow: burst
version: 1
title: One deadline an hour after the start, for benchmarks
start: waiting
states:
  waiting:
    deadline: { period: 1 hour, then: passed }
    events: { done: closed }
  passed:
    events: { done: closed }
  closed:
    final: true
"""


def register_due(d, args, workflow):
    """Register args.cases cases of a one-hour workflow over args.clients
    connections, all due at one moment args.ahead seconds from the start
    (the real clock): their ids, the due moment, and how long it took."""
    due = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + \
        datetime.timedelta(seconds=args.ahead)
    started = (due - datetime.timedelta(hours=1)).isoformat()
    t0 = time.monotonic()
    ids = register(d, args.cases, args.clients, workflow=workflow, started_at=started)
    took = time.monotonic() - t0
    if (due - datetime.datetime.now(datetime.timezone.utc)).total_seconds() < 1:
        raise SystemExit("registration took %.1f s; raise --ahead" % took)
    return ids, due, took


def run_once(args, tmp):
    wf = os.path.join(tmp, "workflows")
    os.makedirs(wf)
    with open(os.path.join(wf, "burst.yaml"), "w") as f:
        f.write(BURST)
    config = {"scheduler": {"recheck_interval": 0.5}}
    if args.batch:
        config["scheduler"]["batch"] = args.batch
    d = harness.Daemon(tmp, workflows=wf, config=config)
    try:
        ids, due, took = register_due(d, args, "burst")
        time.sleep((due - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 1.5)
        deadline = time.monotonic() + args.timeout
        while True:
            n = d.db_query("SELECT count(*) FROM transitions WHERE cause = 'deadline'")[0][0]
            if n >= args.cases or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        m = d.request("GET", "/metrics").raw.decode()
        late = [float(l.split()[1]) for l in m.splitlines()
                if l.startswith("termijn_deadline_lateness_max_seconds")][0]
        due_ms = int(due.timestamp() * 1000)
        early = d.db_query("SELECT count(*) FROM transitions WHERE cause = 'deadline'"
                           " AND (at != ? OR recorded_at < ?)", (due_ms, due_ms))[0][0]
        return n, late, early, len(ids) / took
    finally:
        d.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ahead", type=float, default=15.0,
                    help="seconds from the start of registration to the due moment")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()
    os.environ.setdefault("TERMIJN_BUILD_DIR", os.path.join(SOURCE, "build-release"))
    figures = []
    for i in range(args.runs):
        tmp = harness.TempDir("burst")
        try:
            n, late, early, rate = run_once(args, tmp.path)
        finally:
            tmp.cleanup()
        print("run %d: %d deadline transitions, last batch committed %.0f ms after the"
              " due moment, %d early or off the moment (registered at %.0f/s)"
              % (i + 1, n, late * 1000, early, rate))
        figures.append(late * 1000)
    print("median: all %d transitions committed within %.0f ms of the due moment"
          " (design promise: 150 ms)" % (args.cases, statistics.median(figures)))


if __name__ == "__main__":
    main()
