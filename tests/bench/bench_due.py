#!/usr/bin/env python3
"""10,000 deadlines due at the same moment: how late is the last transition committed?

Registers N zelfmelding cases on 2026-01-05 (faked clock), so that all their
first deadlines pass at 2026-02-17T00:00:00+01:00.  Then it jumps termijnd's
wall clock (faketime) to LEAD seconds before that moment and polls the
database (read-only) until every deadline transition is committed.  With a
lead, termijnd's own timer fires at the due moment, as in steady state: the
figure is the lateness of the last commit, as termijnd's own clock tells it
right after COMMIT (the metric termijn_deadline_lateness_last_seconds).  With
--lead 0 the clock jumps straight to the due moment, and the figure includes
the wait for the scheduler's wall-clock re-check.

termijnd prepares the batch ahead of its moment (scheduler.prepare_ahead, 5 s
by default) and commits it at the moment; --ahead 0 measures firing at the
moment instead.

Prints figures; asserts nothing about speed.  The design promises all
transitions committed within 150 ms.  Runs the release build in
TERMIJN_BUILD_DIR (default build-release); needs root, faketime and
unshare, like the integration tests whose harness it uses.
"""

import argparse
import datetime
import http.client
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))

import harness  # noqa: E402


def register(d, n, clients, workflow="zelfmelding", started_at=None):
    """Register n cases over clients keep-alive connections."""
    ids = []
    errors = []
    lock = threading.Lock()
    per = (n + clients - 1) // clients

    def run(k):
        conn = d.connection(timeout=60)
        hdrs = {"Authorization": "Bearer " + d.token, "Content-Type": "application/json"}
        for i in range(k * per, min(n, (k + 1) * per)):
            case = {"workflow": workflow, "reference": "D-%d" % i, "team": "jeugd-noord"}
            if started_at is not None:
                case["started_at"] = started_at
            body = json.dumps(case)
            try:
                conn.request("POST", "/v1/cases", body=body, headers=hdrs)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(repr(e))
                return
            with lock:
                if resp.status == 201:
                    ids.append(json.loads(data)["id"])
                else:
                    errors.append("%d %s" % (resp.status, data[:200]))
        conn.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit("bench_due: registration failed: %s" % errors[:3])
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--lead", type=float, default=6.0,
                    help="jump to this many seconds before the due moment (default 6)")
    ap.add_argument("--cache", type=int, default=1,
                    help="seconds libfaketime keeps the offset before it re-reads "
                    "its file (default 1; 0 re-reads on every clock call, which "
                    "costs about 12 us a call)")
    ap.add_argument("--recheck", type=float, default=0.5,
                    help="scheduler.recheck_interval in seconds (default 0.5)")
    ap.add_argument("--batch", type=int, default=None,
                    help="scheduler.batch, deadlines fired per transaction "
                    "(default: termijnd's)")
    ap.add_argument("--ahead", type=float, default=None,
                    help="scheduler.prepare_ahead in seconds (default: termijnd's; "
                    "0 fires at the moment without preparing)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--no-syslog", action="store_true",
                    help="leave termijnd's syslog to the host instead of a socket "
                    "read by this script")
    args = ap.parse_args()
    if args.lead and args.lead <= args.recheck + args.cache:
        sys.exit("bench_due: --lead must exceed --recheck plus --cache, so that "
                 "the scheduler sees the jump before the due moment")

    build = os.environ.get("TERMIJN_BUILD_DIR") or os.path.join(SOURCE, "build-release")
    os.environ["TERMIJN_BUILD_DIR"] = build
    os.environ["TERMIJN_SOURCE_DIR"] = SOURCE
    cache = os.path.join(build, "CMakeCache.txt")
    if not os.path.exists(cache) or "CMAKE_BUILD_TYPE:STRING=Release" not in open(cache).read():
        print("bench_due: warning: %s is not a Release build" % build, file=sys.stderr)

    start = harness.local(2026, 1, 5, 10, 0)
    due = harness.local(2026, 2, 17)
    due_ms = int(due.timestamp() * 1000)
    tmp = harness.TempDir("bench-due")
    d = None
    try:
        clock = harness.FakeClock(tmp.path, start, cache=args.cache or None)
        sched = {"recheck_interval": args.recheck}
        if args.batch is not None:
            sched["batch"] = args.batch
        if args.ahead is not None:
            sched["prepare_ahead"] = args.ahead
        d = harness.Daemon(tmp.path, clock=clock, syslog=not args.no_syslog,
                           config={"scheduler": sched})
        t0 = time.monotonic()
        ids = register(d, args.cases, args.clients)
        took = time.monotonic() - t0
        print("registered %d cases in %.2f s (%.0f/s)" % (len(ids), took, len(ids) / took))
        c = d.case(ids[-1])
        if c["deadlines"][0]["overdue_from"] != harness.iso(due):
            sys.exit("bench_due: unexpected due moment %r" % c["deadlines"][0])

        clock.set(due - datetime.timedelta(seconds=args.lead))
        jumped = time.monotonic()
        # Poll gently: the figure comes from recorded_at, not from when this
        # loop sees it, and a busy poller would take CPU from termijnd.
        while True:
            n = d.db_query("SELECT count(*) FROM transitions WHERE cause = 'deadline'")[0][0]
            if n >= len(ids):
                break
            if time.monotonic() - jumped > args.timeout:
                sys.exit("bench_due: only %d of %d transitions after %.0f s"
                         % (n, len(ids), args.timeout))
            time.sleep(0.25)
        seen = time.monotonic() - jumped
        first, last, commits, at_min, at_max = d.db_query(
            "SELECT min(recorded_at), max(recorded_at), count(DISTINCT recorded_at), "
            "min(at), max(at) FROM transitions WHERE cause = 'deadline'")[0]
        print("clock jumped to %s (%.1f s before the due moment %s), scheduler "
              "re-check every %.3f s, faketime cache %d s"
              % (harness.iso(due - datetime.timedelta(seconds=args.lead)), args.lead,
                 harness.iso(due), args.recheck, args.cache))
        print("deadline transitions: %d, in about %d commits; all effective at the due "
              "moment: %s" % (n, commits, at_min == at_max == due_ms))
        print("recorded_at: first %+d ms, last %+d ms after the due moment (a batch "
              "prepared ahead is recorded as of the moment; never early)"
              % (first - due_ms, last - due_ms))
        metrics = d.request("GET", "/metrics", token=d.admin_token).raw.decode()
        late = prepared = None
        for line in metrics.splitlines():
            if line.startswith("termijn_deadline_lateness_last_seconds "):
                late = float(line.split()[1])
            elif line.startswith('termijn_fire_prepared_total{outcome="committed"}'):
                prepared = int(line.split()[1])
        if late is None:
            print("termijnd tells no lateness of its last batch (a version before "
                  "termijn_deadline_lateness_last_seconds): read recorded_at above")
        else:
            print("last committed %+d ms after the due moment (termijnd's own clock "
                  "right after COMMIT; target: within 150 ms); batches prepared ahead "
                  "and committed at the moment: %s" % (late * 1000, prepared))
        if d.syslog is not None:
            # The lines go out on termijnd's syslog thread, after their
            # commits: wait for them (a registration's and a deadline's for
            # each case), then count.
            t0 = time.monotonic()
            while (len(d.syslog.transitions()) < 2 * args.cases and
                   time.monotonic() - t0 < 30):
                time.sleep(0.05)
            print("syslog lines received: %d of %d (%.2f s after the count above)"
                  % (len(d.syslog.transitions()), 2 * args.cases, time.monotonic() - t0))
        print("seen complete by this poller %.2f s after the jump" % seen)
    finally:
        try:
            if d is not None:
                d.close()	# SIGTERM, exit 0
        finally:
            tmp.cleanup()	# even when termijnd did not stop cleanly


if __name__ == "__main__":
    main()
