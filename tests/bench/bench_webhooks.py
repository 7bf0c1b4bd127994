#!/usr/bin/env python3
"""Webhook deliveries per second, and the API's latency meanwhile.

Registers N cases of a one-hour workflow whose deadline tells enforcement
(a rung at its due moment), all due at one moment a few seconds ahead, on
the real clock, with a webhook for the team's enforcement role pointing at a
receiver in this process (asyncio, HTTP/1.1 keep-alive, every signature
checked).  When the moment comes, the scheduler fires the N rungs, each
writing an outbox row, and the notifier delivers them.  Prints how long
from the due moment until the receiver had every CloudEvent id and until
termijnd had marked every row delivered, the rate, how many arrived twice,
and the latency of GET /v1/cases/ID requests made meanwhile on one
keep-alive connection.

Prints figures; asserts nothing about speed.  Uses the release build in
TERMIJN_BUILD_DIR (default build-release) and the integration harness
(root and unshare, for its private syslog socket).
"""

import argparse
import asyncio
import datetime
import hashlib
import hmac
import json
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from bench_burst import register_due  # noqa: E402

HOOK = """workflow: hook
version: 1
title: One deadline an hour after the start that tells enforcement
roles: [enforcement]
start: waiting
states:
  waiting:
    deadline:
      period: 1 hour
      then: passed
      rungs: [{ at: due, notify: enforcement }]
    events: { done: closed }
  passed:
    events: { done: closed }
  closed:
    final: true
"""

SECRET = b"bench-secret-0123456789abcdef"


class Receiver:
    """HTTP/1.1 with keep-alive on asyncio, in a thread of its own."""

    def __init__(self):
        self.ids = {}
        self.bad = 0
        self.first = self.last = None
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._conn, "127.0.0.1", 0, backlog=256))
        self.port = self.server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _conn(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {}
                for line in head.split(b"\r\n")[1:]:
                    if b":" in line:
                        k, v = line.split(b":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
                self._record(headers, body)
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def _record(self, headers, body):
        ts = headers.get(b"termijn-timestamp", b"")
        sig = dict(p.split(b"=", 1) for p in headers.get(b"termijn-signature", b"").split(b","))
        want = hmac.new(SECRET, ts + b"." + body, hashlib.sha256).hexdigest().encode()
        now = time.monotonic()
        with self.lock:
            if sig.get(b"t") != ts or not hmac.compare_digest(want, sig.get(b"v1", b"")):
                self.bad += 1
            eid = json.loads(body)["id"]
            self.ids[eid] = self.ids.get(eid, 0) + 1
            self.first = self.first or now
            self.last = now

    def distinct(self):
        with self.lock:
            return len(self.ids)


def probe(d, cid, stop, out):
    """GET one case again and again on one keep-alive connection."""
    conn = d.connection(timeout=30)
    hdrs = {"Authorization": "Bearer " + d.token}
    while not stop.is_set():
        t = time.monotonic()
        conn.request("GET", "/v1/cases/%d" % cid, headers=hdrs)
        conn.getresponse().read()
        out.append(time.monotonic() - t)
        time.sleep(0.005)
    conn.close()


def run_once(args, tmp):
    wf = os.path.join(tmp, "workflows")
    os.makedirs(wf)
    with open(os.path.join(wf, "hook.yaml"), "w") as f:
        f.write(HOOK)
    key = os.path.join(tmp, "hook.key")
    with open(key, "wb") as f:
        f.write(SECRET + b"\n")
    os.chmod(key, 0o600)
    rx = Receiver()
    config = {"scheduler": {"recheck_interval": 0.5},
              "notifier": {"in_flight": args.in_flight},
              "webhooks": [{"team": "jeugd-noord", "role": "enforcement",
                            "url": "http://127.0.0.1:%d/hook" % rx.port, "secret_file": key}]}
    if args.no_hooks:
        del config["webhooks"]
    d = harness.Daemon(tmp, workflows=wf, config=config, env={"NO_PROXY": "127.0.0.1"},
                       syslog=not args.no_syslog)
    try:
        ids, due, _ = register_due(d, args, "hook")
        lat, stop = [], threading.Event()
        time.sleep((due - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
        t0 = time.monotonic()
        th = threading.Thread(target=probe, args=(d, ids[0], stop, lat))
        th.start()
        deadline = t0 + args.timeout
        while rx.distinct() < (0 if args.no_hooks else args.cases) and \
                time.monotonic() < deadline:
            time.sleep(0.01)
        if args.no_hooks:
            time.sleep(6)
        t1 = time.monotonic()
        while time.monotonic() < deadline:
            n = d.db_query("SELECT count(*) FROM outbox WHERE status = 'delivered'")[0][0]
            if n >= args.cases or args.no_hooks:
                break
            time.sleep(0.05)
        t2 = time.monotonic()
        stop.set()
        th.join()
        twice = sum(c - 1 for c in rx.ids.values())
        lat.sort()
        return {"received": rx.distinct(), "all_in": t1 - t0, "marked": t2 - t0,
                "rate": rx.distinct() / (rx.last - rx.first) if rx.last and rx.last != rx.first
                else 0,
                "twice": twice, "bad": rx.bad,
                "p50": lat[len(lat) // 2] * 1000 if lat else 0,
                "p99": lat[int(len(lat) * 0.99)] * 1000 if lat else 0, "probes": len(lat)}
    finally:
        d.close()
        rx.loop.call_soon_threadsafe(rx.loop.stop)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ahead", type=float, default=15.0,
                    help="seconds from the start of registration to the due moment")
    ap.add_argument("--in-flight", type=int, default=16)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--no-syslog", action="store_true",
                    help="termijnd's syslog lines to the host's /dev/log, not to this script")
    ap.add_argument("--no-hooks", action="store_true",
                    help="no webhook: the API's latency while only the rungs fire")
    args = ap.parse_args()
    os.environ.setdefault("TERMIJN_BUILD_DIR", os.path.join(SOURCE, "build-release"))
    rates = []
    for i in range(args.runs):
        tmp = harness.TempDir("webhooks")
        try:
            f = run_once(args, tmp.path)
        finally:
            tmp.cleanup()
        print("run %d: %d of %d received %.2f s after the due moment, all marked delivered"
              " after %.2f s; %.0f deliveries/s; %d twice, %d bad signatures; GET /v1/cases/ID"
              " meanwhile p50 %.1f ms, p99 %.1f ms (%d requests)"
              % (i + 1, f["received"], args.cases, f["all_in"], f["marked"], f["rate"],
                 f["twice"], f["bad"], f["p50"], f["p99"], f["probes"]))
        rates.append(f["rate"])
    print("median: %.0f deliveries/s (in_flight %d)" % (statistics.median(rates), args.in_flight))


if __name__ == "__main__":
    main()
