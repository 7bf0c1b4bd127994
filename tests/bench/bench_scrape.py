#!/usr/bin/env python3
"""GET /metrics on a database of 1,000,000 cases: how long a scrape takes,
how long the counting thread takes to count cases by workflow and state and
the pending rungs, and what reads of cases take meanwhile.

    build-release/bench_scale -k -s 1                # builds /tmp/termijn-bench-scale.db
    tests/bench/bench_scrape.py [--db PATH] [--seconds N] [--reads N]

Starts the release termijnd on the database that bench_scale -k keeps (a
caseworker's token is in DB.token), then for N seconds scrapes /metrics and
reads --reads random cases (10) after each scrape, on one keep-alive
connection; each read commits its row in the read log.  Every
scrape finds counts older than the counting interval, so the thread counts
again and again throughout.  Prints figures; asserts nothing.
"""

import argparse
import http.client
import os
import random
import re
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/termijn-bench-scale.db")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--port", type=int, default=18481)
    ap.add_argument("--reads", type=int, default=10,
                    help="reads of random cases after each scrape")
    args = ap.parse_args()
    build = os.environ.get("TERMIJN_BUILD_DIR", os.path.join(SOURCE, "build-release"))
    with open(args.db + ".token") as f:
        token = f.read().strip()
    d = subprocess.Popen([os.path.join(build, "termijnd"), "--listen",
                          "127.0.0.1:%d" % args.port, "--db", args.db, "--workflows",
                          os.path.join(SOURCE, "workflows")],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        d.stdout.readline()         # termijnd: listening on ...
        c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        hdrs = {"Authorization": "Bearer " + token}

        def get(path):
            t = time.perf_counter()
            c.request("GET", path, headers=hdrs)
            r = c.getresponse()
            body = r.read()
            assert r.status == 200, (path, r.status, body[:200])
            return time.perf_counter() - t, body.decode()

        scrapes, reads, text = [], [], ""
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            t, text = get("/metrics")
            scrapes.append(t)
            for _ in range(args.reads):
                reads.append(get("/v1/cases/%d" % random.randint(1, 1000000))[0])
        took = re.search(r"(?m)^termijn_count_duration_seconds (\S+)$", text).group(1)
        cases = sum(float(v) for v in re.findall(r"(?m)^termijn_cases\{[^}]*\} (\S+)$", text))
        print("%d scrapes in %.0f s: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
              % (len(scrapes), args.seconds, pct(scrapes, .5), pct(scrapes, .99),
                 max(scrapes) * 1000))
        print("counting %d cases and the pending rungs took %s s, on the counting thread"
              % (cases, took))
        if reads:
            print("%d reads of random cases meanwhile: p50 %.2f ms, p99 %.2f ms"
                  % (len(reads), pct(reads, .5), pct(reads, .99)))
        with open("/proc/%d/status" % d.pid) as f:
            print(" ".join(l.split(None, 1)[0] + " " + l.split(None, 1)[1].strip()
                           for l in f if l.startswith(("VmRSS", "VmHWM"))))
    finally:
        d.terminate()
        d.wait()


if __name__ == "__main__":
    main()
