"""What a hostile client can do to a real termijnd, over raw sockets.

- FramingTest: one termijnd for the class.  Every framing ambiguity in a
  request's head (two Content-Lengths, one too large to parse, chunked
  bodies, two Authorization headers or a NUL in one, HTTP/1.1 without Host,
  folded lines, ...) gets its own status as problem+json and closes the
  connection; nothing is created; HEAD is answered as GET without a body,
  and what is pipelined after it is answered; repeated, unknown and
  NUL-bearing query parameters are a 400 that names them.
- SlowClientsTest: a termijnd each.  A request trickled in byte by byte is
  cut at http.request_timeout however steadily its bytes come; 1,100 slow
  connections at an open files limit of 1,024 leave /healthz answering
  (its latency measured meanwhile); 400 clients sending a megabyte each
  leave termijnd's resident memory nearly where it was (measured from
  /proc).  Bounds are generous (the machine is shared and noisy); the
  figures are printed.
"""

import json
import os
import resource
import select
import socket
import statistics
import threading
import time
import unittest

from harness import SharedDaemonTestCase, TermijnTestCase

MAX_BODY = 4096
MAX_HEADERS = 4096
GOOD = {"workflow": "zelfmelding", "reference": "Z-2026-0700", "team": "jeugd-noord"}


def read_answers(sock, heads, timeout=10.0):
    """Read len(heads) answers from sock (heads[i]: the i-th request was
    HEAD, so its answer has no body).  Returns (answers, closed): each answer
    (status, headers with lowercase names, body bytes); closed, whether the
    server closed the connection after the last one."""
    sock.settimeout(timeout)
    buf = b""
    answers = []

    def more():
        nonlocal buf
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            data = b""
        buf += data
        return data

    for head in heads:
        while b"\r\n\r\n" not in buf:
            if not more():
                return answers, True
        top, buf = buf.split(b"\r\n\r\n", 1)
        lines = top.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        hdrs = {}
        for line in lines[1:]:
            k, v = line.split(":", 1)
            hdrs.setdefault(k.strip().lower(), v.strip())
        n = 0 if head else int(hdrs.get("content-length", "0"))
        while len(buf) < n:
            if not more():
                break
        answers.append((status, hdrs, buf[:n]))
        buf = buf[n:]
    sock.settimeout(0.5)
    try:
        closed = sock.recv(1) == b""
    except socket.timeout:
        closed = False
    except ConnectionResetError:
        closed = True
    return answers, closed


def rss_mib(pid, key="VmRSS"):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    raise AssertionError("no %s in /proc/%d/status" % (key, pid))


class FramingTest(SharedDaemonTestCase):
    CONFIG = {"http": {"max_body": MAX_BODY, "max_headers": MAX_HEADERS,
                       "idle_timeout": 10, "request_timeout": 5}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_id = cls.d.create_case(reference="Z-2026-0699")["id"]

    def send(self, data, heads=(False,)):
        """Send raw bytes on a new connection; read the answers."""
        s = socket.create_connection((self.d.host, self.d.port))
        try:
            s.sendall(data)
            return read_answers(s, heads)
        finally:
            s.close()

    def assertRefused(self, data, status, *words):
        """One answer: status, problem+json naming words, and a closed
        connection (what follows a refused head cannot be trusted)."""
        answers, closed = self.send(data)
        self.assertEqual(len(answers), 1, "no answer to %r" % data[:200])
        st, hdrs, body = answers[0]
        self.assertEqual(st, status, "%r answered %d: %r" % (data[:200], st, body))
        self.assertTrue(hdrs.get("content-type", "").startswith(
            "application/problem+json"), hdrs)
        doc = json.loads(body)
        self.assertEqual(doc["status"], status)
        for w in words:
            self.assertIn(w.lower(), doc["detail"].lower(), doc)
        self.assertEqual(hdrs.get("connection"), "close", hdrs)
        self.assertTrue(closed, "the connection stayed open after a refusal")
        return doc

    def post(self, extra, body=None, path="/v1/cases"):
        body = json.dumps(GOOD).encode() if body is None else body
        return (b"POST %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                b"Content-Type: application/json\r\n%s\r\n%s"
                % (path.encode(), self.d.token.encode(), extra, body))

    # -- framing ---------------------------------------------------------

    def test_duplicate_content_length(self):
        n = len(json.dumps(GOOD))
        # The first one used to be taken, and the case created.
        self.assertRefused(self.post(b"Content-Length: %d\r\nContent-Length: %d\r\n"
                                     % (n, n + 40)), 400, "Content-Length",
                           "more than once")
        self.assertRefused(self.post(b"Content-Length: %d\r\nContent-Length: %d\r\n"
                                     % (n, n)), 400, "more than once")

    def test_content_length_that_is_not_a_number(self):
        # Too large to parse: the connection used to close with no answer.
        for value in (b"99999999999999999999999", b"abc", b"-1", b"1, 1", b"+5",
                      b"0x10"):
            with self.subTest(value=value):
                self.assertRefused(self.post(b"Content-Length: %s\r\n" % value,
                                             b""), 400, "Content-Length",
                                   "not a number of bytes")

    def test_body_over_the_limit_is_refused_from_the_head(self):
        # Only the head is sent: the 413 must come without the body.
        t0 = time.monotonic()
        doc = self.assertRefused(self.post(b"Content-Length: %d\r\n" % (MAX_BODY + 1),
                                           b""), 413, str(MAX_BODY))
        self.assertLess(time.monotonic() - t0, 3, doc)
        # With the body sent after all, the client still reads the 413.
        self.assertRefused(self.post(b"Content-Length: %d\r\n" % (200 * 1024),
                                     b"x" * (200 * 1024)), 413)

    def test_transfer_encoding(self):
        self.assertRefused(self.post(b"Transfer-Encoding: chunked\r\n",
                                     b"2\r\n{}\r\n0\r\n\r\n"), 411, "Content-Length")
        self.assertRefused(self.post(b"Transfer-Encoding: chunked\r\n"
                                     b"Content-Length: 2\r\n", b"{}"), 400,
                           "together")

    def test_authorization(self):
        get = (b"GET /v1/cases/%d HTTP/1.1\r\nHost: t\r\n%sConnection: close\r\n\r\n")
        auth = b"Authorization: Bearer %s\r\n" % self.d.token.encode()
        answers, _ = self.send(get % (self.case_id, auth))
        self.assertEqual(answers[0][0], 200, answers)
        doc = self.assertRefused(get % (self.case_id, auth + b"Authorization: Bearer x\r\n"),
                                 401, "more than one Authorization")
        # The valid token, a NUL and more: libevent kept the part before it.
        nul = b"Authorization: Bearer %s\x00junk\r\n" % self.d.token.encode()
        self.assertRefused(get % (self.case_id, nul), 401, "control character")
        self.assertNotIn(self.d.token, json.dumps(doc))

    def test_host(self):
        self.assertRefused(b"GET /healthz HTTP/1.1\r\n\r\n", 400, "Host")
        self.assertRefused(b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
                           "more than one Host")
        answers, closed = self.send(b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(answers[0][0], 200)
        self.assertTrue(closed)

    def test_malformed_heads(self):
        cases = [
            (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n", 400, "folding"),
            (b"GET /healthz HTTP/1.1\r\nHost : t\r\n\r\n", 400, "colon"),
            (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\x01b\r\n\r\n", 400,
             "control character"),
            (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\x00b\r\n\r\n", 400,
             "control character"),
            (b"GET /healthz HTTP/2.0\r\nHost: t\r\n\r\n", 505, "HTTP/2.0"),
            (b"BREW /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 501, "BREW"),
            (b"GET http://t/healthz HTTP/1.1\r\nHost: t\r\n\r\n", 400, "path"),
            (b"GET /v1/../healthz HTTP/1.1\r\nHost: t\r\n\r\n", 400, "segment"),
            (b"GET /heal thz HTTP/1.1\r\nHost: t\r\n\r\n", 400, "request line"),
            (b"GET /healthz HTTP/1.1\r\nHost: t\r\nExpect: 200-ok\r\n\r\n", 417, "Expect"),
            (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: %s\r\n\r\n"
             % (b"p" * MAX_HEADERS), 431, "http.max_headers"),
        ]
        for data, status, word in cases:
            with self.subTest(data=data[:60]):
                self.assertRefused(data, status, word)

    def test_refused_head_runs_nothing_pipelined_after_it(self):
        n = len(json.dumps(GOOD))
        bad = self.post(b"Content-Length: %d\r\nContent-Length: %d\r\n" % (n, n))
        good = self.post(b"Content-Length: %d\r\n" % n)
        answers, closed = self.send(bad + good, heads=(False, False))
        self.assertEqual([a[0] for a in answers], [400], answers)
        self.assertTrue(closed)

    # -- HEAD and pipelining ---------------------------------------------

    def test_head_then_pipelined_get(self):
        auth = b"Authorization: Bearer %s\r\n" % self.d.token.encode()
        get = b"GET /v1/cases/%d HTTP/1.1\r\nHost: t\r\n%s\r\n" % (self.case_id, auth)
        answers, _ = self.send(get)
        full = answers[0][2]
        reqs = (b"HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
                + b"HEAD /v1/cases/%d HTTP/1.1\r\nHost: t\r\n%s\r\n" % (self.case_id, auth)
                + b"HEAD /v1/cases/%d/events HTTP/1.1\r\nHost: t\r\n%s\r\n"
                % (self.case_id, auth)
                + b"HEAD /v1/cases HTTP/1.1\r\nHost: t\r\n\r\n"
                + b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        answers, closed = self.send(reqs, heads=(True, True, True, True, False))
        self.assertEqual([a[0] for a in answers], [200, 200, 405, 401, 200], answers)
        (s1, h1, b1), (s2, h2, b2), (s3, h3, b3), (s4, h4, b4), (s5, h5, b5) = answers
        self.assertEqual(h1["content-length"], "16")
        self.assertEqual(h2["content-length"], str(len(full)))
        self.assertEqual(h2["content-type"], "application/json")
        self.assertEqual(h3.get("allow"), "POST")
        self.assertTrue(h3["content-type"].startswith("application/problem+json"))
        self.assertIn("www-authenticate", h4)
        # Had any HEAD answer carried a body, it would stand here instead.
        self.assertEqual(json.loads(b5), {"status": "ok"})
        self.assertTrue(closed)

    def test_pipelined_requests_are_answered_in_order(self):
        auth = b"Authorization: Bearer %s\r\n" % self.d.token.encode()
        one = b"GET /v1/cases/%d HTTP/1.1\r\nHost: t\r\n%s\r\n" % (self.case_id, auth)
        reqs = (b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" + one
                + b"GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n" + one)
        answers, closed = self.send(reqs, heads=(False,) * 4)
        self.assertEqual([a[0] for a in answers], [200, 200, 404, 200])
        self.assertEqual(json.loads(answers[3][2])["id"], self.case_id)
        self.assertFalse(closed)

    def test_405_names_the_allowed_methods(self):
        r = self.d.request("DELETE", "/v1/cases")
        self.assertProblem(r, 405, "GET, HEAD", "POST")
        self.assertEqual(r.headers.get("allow"), "POST, GET, HEAD")

    # -- query parameters --------------------------------------------------

    def test_query_parameters(self):
        cid = self.case_id
        cases = [
            ("/v1/cases?state=a&state=b", "state", "more than once"),
            ("/v1/cases?limit=1&limit=2", "limit", "more than once"),
            ("/v1/cases?limit=1&lim%69t=1", "limit", "more than once"),
            ("/v1/cases?state=awaiting_self_report%00x", "state", "control character"),
            ("/v1/cases?team=jeugd-noord%0a", "team", "control character"),
            ("/v1/cases?state=%20awaiting_self_report", "state", "spaces"),
            ("/v1/cases?state=awaiting_self_report+", "state", "spaces"),
            ("/v1/cases?state=", "state", "empty"),
            ("/v1/cases?colour=red", "colour", "unknown"),
            ("/v1/cases?state=%zz", "state", "hex digits"),
            ("/v1/cases/%d/transitions?limit=1&limit=1" % cid, "limit", "more than once"),
            ("/v1/cases/%d/transitions?cursor=0%%00" % cid, "cursor", "control character"),
            ("/v1/calendar/due?from=2026-03-16&from=2026-03-17&period=P6W&rule=atw",
             "from", "more than once"),
            ("/v1/calendar/due?from=2026-03-16%00&period=P6W&rule=atw",
             "from", "control character"),
        ]
        for path, name, words in cases:
            with self.subTest(path=path):
                self.assertProblem(self.d.request("GET", path), 400, name, words)
        # The same, answered as before when given once.
        r = self.d.request("GET", "/v1/cases?state=awaiting_self_report&limit=1")
        self.assertEqual(r.status, 200, r.raw)


class SlowClientsTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 4096 <= hard or hard == resource.RLIM_INFINITY:
            resource.setrlimit(resource.RLIMIT_NOFILE, (4096, hard))
        self.assertGreaterEqual(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 2400,
                                "the test itself needs 2,400 open files")

    def healthz_latency(self, d, timeout=10.0):
        """Seconds to answer GET /healthz on a new connection, or None."""
        t0 = time.monotonic()
        try:
            s = socket.create_connection((d.host, d.port), timeout=timeout)
            try:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                answers, _ = read_answers(s, (False,), timeout)
            finally:
                s.close()
        except OSError:
            return None
        if not answers or answers[0][0] != 200:
            return None
        return time.monotonic() - t0

    def test_trickled_request_is_cut_at_the_deadline(self):
        timeout = 2
        d = self.start_daemon(config={"http": {"request_timeout": timeout,
                                               "idle_timeout": 30}})
        head = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"s" * 200
        body_head = (b"POST /v1/cases HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                     % d.token.encode())
        results = {}

        def trickle(name, first, step):
            s = socket.create_connection((d.host, d.port))
            s.setblocking(False)
            t0 = time.monotonic()
            out = b""
            s.send(first)
            i = 0
            # A byte every 0.2 s: the idle timeout (30 s) never fires.
            while time.monotonic() - t0 < timeout + 15:
                r, _, _ = select.select([s], [], [], 0.2)
                if r:
                    try:
                        data = s.recv(4096)
                    except ConnectionResetError:
                        data = b""
                    out += data
                    if not data:
                        break
                try:
                    s.send(step[i % len(step):i % len(step) + 1])
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    pass
                i += 1
            s.close()
            results[name] = (time.monotonic() - t0, out)

        ts = [threading.Thread(target=trickle, args=("head", head[:20], head[20:])),
              threading.Thread(target=trickle, args=("body", body_head, b"x"))]
        for t in ts:
            t.start()
        lat = []
        while any(t.is_alive() for t in ts):
            lat.append(self.healthz_latency(d))
            time.sleep(0.2)
        for t in ts:
            t.join()
        took, out = results["head"]
        print("\n  trickled head: answered after %.1fs: %r" % (took, out[:60]))
        self.assertLess(took, timeout + 5, "a trickled head held its connection")
        self.assertTrue(out.startswith(b"HTTP/1.1 408 "), out[:200])
        self.assertIn(b"http.request_timeout", out)
        took, out = results["body"]
        print("  trickled body: closed after %.1fs" % took)
        self.assertLess(took, timeout + 5, "a trickled body held its connection")
        self.assertNotIn(None, lat, "GET /healthz failed meanwhile")
        self.assertLess(max(lat), 1.0, lat)
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0], 0)

    def test_slow_connections_at_the_open_files_limit(self):
        limit, nslow = 1024, 1100
        d = self.start_daemon(config={"http": {"request_timeout": 60,
                                               "idle_timeout": 60}},
                              wrapper=["prlimit", "--nofile=%d:%d" % (limit, limit), "--"])
        with open("/proc/%d/limits" % d.pid) as f:
            self.assertIn("Max open files            %d" % limit, f.read())
        self.assertIn("accepting up to", d.stderr_text())

        # 1,100 clients, each sending its head a byte a second and
        # reconnecting when it is closed to make room.
        head = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"s" * 100
        slow, stop, closed = [], threading.Event(), [0]

        def attack():
            while not stop.is_set():
                while len(slow) < nslow:
                    s = socket.socket()
                    s.setblocking(False)
                    s.connect_ex((d.host, d.port))
                    slow.append([s, 0])
                for ent in list(slow):
                    s, i = ent
                    try:
                        s.send(head[i:i + 1] if i < len(head) else b"s")
                        ent[1] += 1
                    except BlockingIOError:
                        pass
                    except OSError:
                        slow.remove(ent)
                        s.close()
                        closed[0] += 1
                stop.wait(1.0)

        t = threading.Thread(target=attack, daemon=True)
        t.start()
        try:
            time.sleep(4)	# all of them connected and sending
            lat, fds = [], []
            t0 = time.monotonic()
            while time.monotonic() - t0 < 12:
                lat.append(self.healthz_latency(d))
                fds.append(len(os.listdir("/proc/%d/fd" % d.pid)))
                time.sleep(0.25)
        finally:
            stop.set()
            t.join(10)
            for s, _ in slow:
                s.close()
        ok = sorted(x for x in lat if x is not None)
        print("\n  %d slow connections at an open files limit of %d: /healthz %d/%d"
              " answered, median %.3fs, max %.3fs; termijnd's open files at most %d;"
              " %d slow connections closed to make room"
              % (nslow, limit, len(ok), len(lat), statistics.median(ok) if ok else -1,
                 max(ok) if ok else -1, max(fds), closed[0]))
        self.assertEqual(len(ok), len(lat), "GET /healthz went unanswered")
        self.assertLess(max(ok), 2.0, "GET /healthz took too long")
        self.assertLessEqual(max(fds), limit)
        self.assertGreater(closed[0], 0, "no slow connection was closed for room")

    def test_large_bodies_do_not_grow_memory(self):
        nclients, size = 400, 1 << 20
        d = self.start_daemon()
        before = rss_mib(d.pid)
        peak_before = rss_mib(d.pid, "VmHWM")
        barrier = threading.Barrier(nclients)
        results = []

        def client():
            s = socket.create_connection((d.host, d.port), timeout=30)
            barrier.wait()
            try:
                s.sendall(b"POST /v1/cases HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s"
                          b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                          % (d.token.encode(), size))
                s.sendall(b"x" * size)
            except OSError:
                pass
            try:
                answers, _ = read_answers(s, (False,), 30)
                results.append(answers[0][0] if answers else None)
            except OSError:
                results.append(None)
            s.close()

        ts = [threading.Thread(target=client) for _ in range(nclients)]
        t0 = time.monotonic()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        took = time.monotonic() - t0
        peak = rss_mib(d.pid, "VmHWM")
        print("\n  %d clients x %d KiB bodies in %.1fs: termijnd resident %.0f MiB before,"
              " peak %.0f MiB after (peak before %.0f MiB), +%.0f MiB; answers %s"
              % (nclients, size // 1024, took, before, peak, peak_before,
                 peak - peak_before, {s: results.count(s) for s in set(results)}))
        self.assertLess(peak - peak_before, 64, "memory grew with the bodies")
        self.assertGreaterEqual(results.count(413), nclients * 0.9, results)
        self.assertTrue(d.healthy())


if __name__ == "__main__":
    unittest.main()
