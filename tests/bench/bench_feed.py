#!/usr/bin/env python3
"""The calendar feed of one team with many cases: what one request costs
the event loop, and what four at once do to GET /healthz.

    tests/bench/bench_feed.py [--cases 43000] [--runs 5] [--clients 8] [--also DIR]

Registers --cases cases of a workflow with one deadline of two years, for
one team, with started_at spread over the two years and two months before
now: about a tenth of the deadlines passed before they were registered
(the cases wait late in their `then` state, most of them for more than 30
days), the others run, due over the next two years.  Then, with a feed
token of that team:

- fetches GET /v1/calendar.ics --runs times, one at a time, and prints the
  median and the worst time and the number of events (termijnd answers a
  feed on its one event loop, in the group commit that logs its reads, so
  the time of a lone request is the time it held the loop);
- fetches it on 4 connections at once, --runs times each, while another
  connection asks GET /healthz every 10 ms, and prints how long /healthz
  waited (p50, p99, worst).

With --also DIR (repeatable) it stops termijnd and does the same with the
termijnd of that build on the same database: a before and an after from
one registration, in the same window of the machine's load.

Prints figures; asserts nothing about speed.  Uses the release build in
TERMIJN_BUILD_DIR (default build-release) and the integration harness
(root and unshare, for its private syslog socket).
"""

import argparse
import datetime
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))

import harness  # noqa: E402

LONG = """workflow: lang
version: 1
title: One deadline of two years, for benchmarks
start: waiting
states:
  waiting:
    deadline: { period: 104 weeks, then: passed }
    events: { done: closed }
  passed:
    events: { done: closed }
  closed:
    final: true
"""


def register(d, n, clients):
    """Register n cases of team jeugd-noord over clients keep-alive
    connections, started_at spread evenly from 2 years and 9 weeks ago to
    now."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    span = datetime.timedelta(weeks=104 + 9)
    errors = []

    def run(k):
        conn = d.connection(timeout=60)
        hdrs = {"Authorization": "Bearer " + d.token, "Content-Type": "application/json"}
        for i in range(k, n, clients):
            started = now - span + span * i / n
            body = json.dumps({"workflow": "lang", "reference": "F-%d" % i,
                               "team": "jeugd-noord", "started_at": started.isoformat()})
            try:
                conn.request("POST", "/v1/cases", body=body, headers=hdrs)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException) as e:
                errors.append(repr(e))
                return
            if resp.status != 201:
                errors.append("%d %s" % (resp.status, data[:200]))
                return
        conn.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit("bench_feed: registration failed: %s" % errors[:3])


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def fetch(d, token, conn=None):
    """One GET of the feed: (seconds, events, bytes, capped header)."""
    own = conn is None
    if own:
        conn = d.connection(timeout=120)
    t = time.perf_counter()
    conn.request("GET", "/v1/calendar.ics", headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    body = r.read()
    took = time.perf_counter() - t
    if own:
        conn.close()
    if r.status != 200:
        sys.exit("bench_feed: the feed answered %d: %r" % (r.status, body[:200]))
    return took, body.count(b"BEGIN:VEVENT"), len(body), r.getheader("Termijn-Feed-Capped")


def measure(d, feed, runs):
    """Print what one feed at a time takes, and /healthz beside four."""
    fetch(d, feed)          # warm the page cache
    alone = [fetch(d, feed) for _ in range(runs)]
    times = [a[0] for a in alone]
    print("  one feed at a time: %d events, %d KiB, capped: %s; median %.0f ms,"
          " worst %.0f ms" % (alone[0][1], alone[0][2] // 1024, alone[0][3] or "no",
                              statistics.median(times) * 1000, max(times) * 1000))

    health, stop = [], threading.Event()

    def poll():
        c = d.connection(timeout=60)
        while not stop.is_set():
            t = time.perf_counter()
            c.request("GET", "/healthz")
            c.getresponse().read()
            health.append(time.perf_counter() - t)
            time.sleep(0.01)
        c.close()

    def feeds():
        c = d.connection(timeout=120)
        for _ in range(runs):
            fetch(d, feed, c)
        c.close()

    p = threading.Thread(target=poll)
    p.start()
    ts = [threading.Thread(target=feeds) for _ in range(4)]
    t = time.perf_counter()
    for x in ts:
        x.start()
    for x in ts:
        x.join()
    took = time.perf_counter() - t
    stop.set()
    p.join()
    print("  four feeds at once, %d each, in %.1f s: /healthz p50 %.1f ms, p99 %.1f ms,"
          " worst %.1f ms (%d asked)" % (runs, took, pct(health, .5), pct(health, .99),
                                         max(health) * 1000, len(health)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=43000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--clients", type=int, default=8, help="connections registering")
    ap.add_argument("--also", action="append", default=[], metavar="BUILD_DIR",
                    help="measure the termijnd of this build too, on the same database"
                    " (another commit, for a before and after)")
    args = ap.parse_args()
    os.environ.setdefault("TERMIJN_BUILD_DIR", os.path.join(SOURCE, "build-release"))

    tmp = tempfile.mkdtemp(prefix="termijn-bench-feed.")
    wf = harness.workflows_with(tmp, {"lang.yaml": LONG})
    d = harness.Daemon(tmp, workflows=wf)
    try:
        t0 = time.monotonic()
        register(d, args.cases, args.clients)
        print("registered %d cases in %.1f s" % (args.cases, time.monotonic() - t0))
        feed = d.make_token("agenda", "feed", ["jeugd-noord"])
        for build in [os.environ["TERMIJN_BUILD_DIR"]] + args.also:
            if build != os.environ["TERMIJN_BUILD_DIR"]:
                d.stop()
                os.environ["TERMIJN_BUILD_DIR"] = build
                d.start()
            print("termijnd of %s:" % build)
            measure(d, feed, args.runs)
    finally:
        d.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
