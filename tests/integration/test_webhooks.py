"""Webhooks end to end: a real termijnd delivers its notifications to a
receiver started by the test (Python's http.server in a thread), which
checks every signature with the team's secret, as a receiver should.

Delivered once while the receiver is up, with the CloudEvent's fields and
no notes or references; retried with backoff while it answers 500 or is
down (time moves with faketime, nothing sleeps for a retry); dead after the
limit, listed, and retried by the admin; kill -9 in the middle of a burst
loses nothing, and the receiver, deduplicating on the CloudEvent id, has
each exactly once.  A team that takes no part in a case hears nothing of
it."""

import datetime
import hashlib
import hmac
import http.server
import json
import os
import socket
import subprocess
import threading
import time

from harness import (FakeClock, TermijnTestCase, local, parse_time, prometheus_samples,
                     termijnctl_path, termijnd_path, wait_until)

TOLERANCE = 300         # seconds a receiver accepts between its clock and the timestamp
SOURCE = "/termijn/gemeente-test"


class Receiver:
    """A webhook receiver on a free loopback port.  Each path is one team's
    webhook with its secret; every request is recorded with whether its
    signature held.  mode: "ok" answers 200, "fail" 500, and the paths in
    failing always answer 500; stop() takes it down (connections refused)
    and start() brings it back on its port."""

    def __init__(self, secrets, clock, failing=()):
        self.secrets = secrets
        self.clock = clock
        self.mode = "ok"
        self.failing = set(failing)
        self.delay = 0.0
        self.lock = threading.Lock()
        self.requests = []
        self.port = 0
        self.server = None
        self.start()

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.record(self.path, self.headers, body)
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = (200 if receiver.mode == "ok" and self.path not in receiver.failing
                          else 500)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                # No keep-alive: a receiver taken down refuses at once.
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 128    # socketserver's 5 drops a burst's connections
            daemon_threads = True

        self.server = Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def verify(self, path, headers, body):
        """What a receiver checks: the media type, the timestamp signed with
        the body under this webhook's secret, and that it is recent."""
        if headers.get("Content-Type") != "application/cloudevents+json":
            return "content type %r" % headers.get("Content-Type")
        sig = dict(p.split("=", 1) for p in headers.get("Termijn-Signature", "").split(","))
        ts = headers.get("Termijn-Timestamp", "")
        if sig.get("t") != ts or not ts.isdigit():
            return "timestamp %r against %r" % (ts, sig.get("t"))
        want = hmac.new(self.secrets[path], ts.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig.get("v1", "")):
            return "signature"
        if abs(self.clock.now().timestamp() - int(ts)) > TOLERANCE:
            return "timestamp %s too far from %s" % (ts, self.clock.now())
        return None

    def record(self, path, headers, body):
        problem = self.verify(path, headers, body)
        with self.lock:
            self.requests.append({"path": path, "problem": problem, "body": body,
                                  "event": json.loads(body), "at": self.clock.now()})

    def got(self, path=None):
        with self.lock:
            return [r for r in self.requests if path is None or r["path"] == path]

    def ids(self, path=None):
        return [r["event"]["id"] for r in self.got(path)]


class WebhookTest(TermijnTestCase):

    def secret_file(self, name, text):
        path = os.path.join(self.tmpdir, name + ".key")
        with open(path, "w") as f:
            f.write(text + "\n")
        os.chmod(path, 0o640)
        return path

    def start(self, when, hooks, notifier=None):
        """termijnd with a webhook for each (team, role, path), each team's
        secret its own; the receiver knows them by path."""
        self.clock = FakeClock(self.tmpdir, when)
        secrets = {}
        webhooks = []
        for team, role, path in hooks:
            secret = "secret-of-%s-%s" % (team, hashlib.sha256(team.encode()).hexdigest()[:16])
            secrets[path] = secret.encode()
            webhooks.append({"team": team, "role": role, "url": None, "path": path,
                             "secret_file": self.secret_file(team + "-" + role, secret)})
        self.secrets = secrets
        self.rx = Receiver(secrets, self.clock)
        self.addCleanup(self.rx.stop)
        for w in webhooks:
            path = w.pop("path")
            w["url"] = path if path.startswith("http") else self.rx.url(path)
        config = {"scheduler": {"recheck_interval": 0.05},
                  "notifier": dict({"source": SOURCE}, **(notifier or {})),
                  "webhooks": webhooks}
        self.d = self.start_daemon(clock=self.clock, config=config,
                                   env={"NO_PROXY": "127.0.0.1"})
        return self.d

    def outbox(self, status=None, token=None):
        q = "?limit=500" + ("&status=" + status if status else "")
        return self.d.call("GET", "/v1/notifications" + q,
                           token=token or self.d.admin_token)["notifications"]

    def ctl(self, *args):
        r = subprocess.run([termijnctl_path(), "--url", "http://%s:%d" % (self.d.host, self.d.port),
                            "--token", self.d.admin_token] + list(args),
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout, r.stderr

    # -- delivered once ----------------------------------------------------

    def test_delivered_once_signed_to_the_teams_that_take_part(self):
        d = self.start(local(2026, 1, 5, 10, 0), [
            ("handhaving", "enforcement", "/handhaving"),
            ("handhaving", "supervisor", "/handhaving-sv"),
            ("jeugd-noord", "supervisor", "/jeugd-noord"),
            # Inkomen has webhooks too, but takes no part in the case.
            ("inkomen", "enforcement", "/inkomen"),
            ("inkomen", "supervisor", "/inkomen-sv"),
        ])
        ref = "Z-2026-7731"
        cid = d.create_case(workflow="zelfmelding", reference=ref, team="jeugd-noord")["id"]
        d.share(cid, "handhaving", "inquiry", purpose="VERTROUWELIJK-DOEL")

        # 6 weeks, then 5 working days pass: the case is in enforcement's
        # queue, and enforcement is told at that moment.
        self.clock.set(local(2026, 2, 25, 0, 0, 1))
        d.wait_state(cid, "enforcement")
        wait_until(lambda: self.rx.got("/handhaving"), 5, what="enforcement's webhook")
        # Two working days later the supervisors of both teams that take part.
        self.clock.set(local(2026, 2, 27, 0, 0, 1))
        wait_until(lambda: self.rx.got("/jeugd-noord") and self.rx.got("/handhaving-sv"), 5,
                   what="the supervisors' webhooks")
        wait_until(lambda: len(self.outbox("delivered")) == 3, 5, what="three delivered")
        time.sleep(0.5)         # anything sent twice would have come by now

        got = self.rx.got()
        self.assertEqual([r["problem"] for r in got], [None] * len(got))
        self.assertEqual(sorted(r["path"] for r in got),
                         ["/handhaving", "/handhaving-sv", "/jeugd-noord"])
        self.assertEqual(len(set(self.rx.ids())), 3)
        self.assertEqual(self.rx.got("/inkomen") + self.rx.got("/inkomen-sv"), [])

        ev = self.rx.got("/handhaving")[0]["event"]
        self.assertEqual({k: ev[k] for k in ("specversion", "source", "type", "subject",
                                             "datacontenttype")},
                         {"specversion": "1.0", "source": SOURCE,
                          "type": "nl.termijn.deadline.passed", "subject": "cases/%d" % cid,
                          "datacontenttype": "application/json"})
        self.assertTrue(ev["id"].startswith("termijn-"), ev)
        self.assertEqual(parse_time(ev["time"]).date(), datetime.date(2026, 2, 25))
        data = ev["data"]
        self.assertEqual((data["case"], data["workflow"], data["team"], data["role"],
                          data["owner"], data["deadline"], data["rung"], data["at"],
                          data["links"]),
                         (cid, "zelfmelding", "handhaving", "enforcement", "jeugd-noord",
                          "youth_worker_reports", "at_due", "2026-02-25T00:00:00+01:00",
                          {"case": "/v1/cases/%d" % cid}))
        sv = self.rx.got("/jeugd-noord")[0]["event"]
        self.assertEqual((sv["type"], sv["data"]["role"], sv["data"]["team"], sv["data"]["rung"]),
                         ("nl.termijn.deadline.followup", "supervisor", "jeugd-noord",
                          "after_P2D"))
        # Ids and names only: never the reference, a note or a purpose.
        for r in got:
            for secret in (ref, "VERTROUWELIJK"):
                self.assertNotIn(secret.encode(), r["body"])

        # The outbox, for the admin: delivered once each, the same ids.
        rows = self.outbox()
        self.assertEqual(sorted(r["event_id"] for r in rows), sorted(self.rx.ids()))
        for r in rows:
            self.assertEqual((r["status"], r["attempts"], r["last_error"], r["next_at"]),
                             ("delivered", 1, None, None), r)
            self.assertEqual(r["event"]["id"], r["event_id"])
            self.assertNotIn(ref, json.dumps(r))
        self.assertEqual(self.outbox("pending") + self.outbox("dead"), [])
        # Others may not see it.
        r = d.request("GET", "/v1/notifications")
        self.assertProblem(r, 403, "admin")

        # termijnctl shows the same, as a table and as JSON.
        rc, out, err = self.ctl("notifications", "--status", "delivered")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out.splitlines()[0].split(),
                         ["ID", "CASE", "TEAM", "ROLE", "TYPE", "STATUS", "ATTEMPTS", "WHEN",
                          "LAST", "ERROR"])
        self.assertEqual(sorted(l.split()[2] for l in out.splitlines()[1:]),
                         ["handhaving", "handhaving", "jeugd-noord"])
        rc, out, err = self.ctl("--json", "notifications", "--all")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(json.loads(out)["notifications"]), 3)

        # Nothing in the logs gives a secret away.
        logs = "\n".join(d.syslog.lines()) + d.stderr_text()
        for secret in self.secrets.values():
            self.assertNotIn(secret.decode(), logs)
        self.assertIn("webhook queued case=%d" % cid, logs)

    # -- retried, dead, retried by the admin ---------------------------------

    def test_retried_with_backoff_then_dead_then_retried_by_the_admin(self):
        d = self.start(local(2026, 3, 2, 9, 0), [("jeugd-noord", "supervisor", "/jn")],
                       notifier={"attempts": 4, "backoff": 3600, "backoff_max": 7200,
                                 "timeout": 2})
        self.rx.mode = "fail"
        # Registered late: its follow-up to the supervisor is due at once.
        cid = d.create_case(workflow="zelfmelding", started_at="2026-01-05")["id"]
        self.assertEqual(d.case(cid)["state"], "enforcement")

        # Full jitter may draw a wait of nothing: with waits of an hour
        # and more, the next attempt coming before this test has looked
        # at the last one is a chance of about 1 in 1,000, not 1 in 40.
        caps = [3600, 7200, 7200]
        for attempt in (1, 2, 3):
            before = self.clock.now()
            row = wait_until(lambda: (lambda o: o[0] if o and o[0]["attempts"] == attempt
                                      else None)(self.outbox("pending")), 5,
                             what="attempt %d recorded" % attempt)
            after = self.clock.now()
            next_at = parse_time(row["next_at"])
            # Full jitter: anywhere from the attempt up to the doubling cap.
            self.assertGreaterEqual(next_at, before - datetime.timedelta(seconds=1))
            self.assertLessEqual(next_at,
                                 after + datetime.timedelta(seconds=caps[attempt - 1] + 1))
            if attempt < 3:
                self.assertEqual(len(self.rx.got()), attempt)
                self.assertEqual(row["last_error"], "HTTP 500")
            else:
                self.assertRegex(row["last_error"], "(?i)connect|refused")
            # Nothing more before the clock reaches the next attempt.
            if (next_at - self.clock.now()).total_seconds() > 2:
                time.sleep(0.5)
                self.assertEqual(self.outbox("pending")[0]["attempts"], attempt)
            if attempt == 2:
                self.rx.stop()          # the third attempt finds nobody
            self.clock.set(max(next_at, self.clock.now()) + datetime.timedelta(seconds=1))
        # The fourth attempt is the last: dead, with its error.
        row = wait_until(lambda: (lambda o: o[0] if o else None)(self.outbox("dead")), 5,
                         what="dead after 4 attempts")
        self.assertEqual((row["attempts"], row["next_at"]), (4, None))
        self.assertRegex(row["last_error"], "(?i)connect|refused")
        self.assertEqual(self.outbox("pending"), [])
        wait_until(lambda: [m for m in d.syslog.messages()
                            if m.startswith("webhook dead case=%d outbox=%d " % (cid, row["id"]))
                            and "attempts=4" in m], 5, what="the dead one in syslog")
        rc, out, err = self.ctl("notifications", "--status", "dead")
        self.assertEqual(rc, 0, err)
        self.assertIn("dead", out.splitlines()[1])

        # /metrics: the attempts by outcome, and the dead one in the backlog.
        def scraped():
            s = prometheus_samples(d.request("GET", "/metrics").raw.decode())
            return s if s.get("termijn_outbox_dead") == 1 else None
        s = wait_until(scraped, 10, 0.3, what="termijn_outbox_dead 1")
        self.assertEqual(s['termijn_webhook_attempts_total{outcome="failed"}'], 3)
        self.assertEqual(s['termijn_webhook_attempts_total{outcome="dead"}'], 1)
        self.assertEqual(s['termijn_webhook_attempts_total{outcome="delivered"}'], 0)
        self.assertEqual(s["termijn_outbox_pending"], 0)
        r = subprocess.run(["promtool", "check", "metrics"], capture_output=True, text=True,
                           input=d.request("GET", "/metrics").raw.decode())
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))

        # Only the admin retries, and only a dead one.
        self.assertProblem(d.request("POST", "/v1/notifications/%d/retry" % row["id"]),
                           403, "admin")
        self.assertProblem(d.request("POST", "/v1/notifications/999/retry",
                                     token=d.admin_token), 404)
        # The receiver is back; the admin retries: delivered, same id.
        self.rx.mode = "ok"
        self.rx.start()
        rc, out, err = self.ctl("notifications", "retry", str(row["id"]))
        self.assertEqual(rc, 0, err)
        self.assertIn("pending", out)
        wait_until(lambda: self.outbox("delivered"), 5, what="delivered after the retry")
        done = self.outbox("delivered")[0]
        self.assertEqual((done["attempts"], done["event_id"]), (1, row["event_id"]))
        self.assertEqual(set(self.rx.ids()), {row["event_id"]})
        # Two answered 500, two found nobody, and one now.
        self.assertEqual(len(self.rx.got()), 3)
        self.assertEqual([r["problem"] for r in self.rx.got()], [None] * 3)
        self.assertProblem(d.request("POST", "/v1/notifications/%d/retry" % row["id"],
                                     token=d.admin_token), 409, "delivered")
        self.assertProblem(d.request("GET", "/v1/notifications?status=gone",
                                     token=d.admin_token), 400, "status")

    # -- what a case's reader sees of its notifications ---------------------------

    def test_a_case_says_what_became_of_each_notification(self):
        """GET /v1/cases/{id} and termijnctl case show say, for each
        notification, whether it went out (when, to which team), waits for
        its next attempt, was given up on (the last error), or went nowhere
        because a team that saw the case had no webhook for the role."""
        # A port nobody listens on: the youth team's supervisor's webhook.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            nobody = s.getsockname()[1]
        nowhere = "http://127.0.0.1:%d/jn-sv" % nobody
        d = self.start(local(2026, 1, 5, 10, 0), [
            ("handhaving", "enforcement", "/hh"),
            ("jeugd-noord", "supervisor", nowhere),
        ], notifier={"attempts": 2, "backoff": 86400, "backoff_max": 86400})
        a = d.create_case(workflow="zelfmelding", reference="Z-2026-7741")["id"]
        d.share(a, "handhaving", "inquiry")

        # Both deadlines pass: enforcement's webhook gets the escalation;
        # two working days later the supervisor's finds nobody, twice.
        self.clock.set(local(2026, 2, 27, 0, 0, 1))
        wait_until(lambda: self.rx.got("/hh"), 5, what="enforcement's webhook")
        row = wait_until(lambda: (lambda o: o[0] if o and o[0]["attempts"] == 1 else None)(
            self.outbox("pending")), 5, what="the supervisor's first attempt")
        self.clock.set(parse_time(row["next_at"]) + datetime.timedelta(seconds=1))
        wait_until(lambda: self.outbox("dead"), 5, what="the supervisor's dead")
        # A team let in afterwards heard of none of it, and is not said to
        # have lacked a webhook.
        d.share(a, "inkomen", "inquiry")
        # Registered late: its follow-up to the supervisor fails once and
        # waits for its next attempt (the clock stands still).
        b = d.create_case(workflow="zelfmelding", reference="Z-2026-7742",
                          started_at="2026-01-05")["id"]
        wait_until(lambda: [o for o in self.outbox("pending") if o["case"] == b
                            and o["attempts"] == 1], 5, what="case b's first attempt")

        ca = d.case(a)
        got = [(n["role"], n["rung"], [(x["team"], x["status"], x["attempts"])
                                       for x in n["deliveries"]],
                n["not_sent"] and n["not_sent"]["teams"]) for n in ca["notifications"]]
        self.assertEqual(got, [
            ("youth_worker", "before_P1W", [], ["jeugd-noord", "handhaving"]),
            ("youth_worker", "before_P2D", [], ["jeugd-noord", "handhaving"]),
            ("enforcement", "at_due", [("handhaving", "delivered", 1)], ["jeugd-noord"]),
            ("supervisor", "after_P2D", [("jeugd-noord", "dead", 2)], ["handhaving"]),
        ])
        notes = ca["notifications"]
        self.assertEqual(notes[0]["not_sent"], {
            "reason": "no_webhook", "teams": ["jeugd-noord", "handhaving"],
            "detail": "not sent: no webhook for role youth_worker of teams jeugd-noord"
                      " and handhaving"})
        self.assertEqual(notes[2]["not_sent"]["detail"],
                         "not sent: no webhook for role enforcement of team jeugd-noord")
        sent = notes[2]["deliveries"][0]
        hh = [o for o in self.outbox("delivered") if o["case"] == a][0]
        self.assertEqual((sent["outbox"], sent["delivered_at"], sent["next_at"],
                          sent["last_error"]), (hh["id"], hh["delivered_at"], None, None))
        self.assertEqual(parse_time(sent["delivered_at"]).date(), datetime.date(2026, 2, 27))
        dead = notes[3]["deliveries"][0]
        self.assertEqual((dead["next_at"], dead["delivered_at"], dead["last_error"]),
                         (None, None, "Couldn't connect to server"))

        cb = d.case(b)
        wait = cb["notifications"][-1]
        self.assertEqual((wait["role"], wait["not_sent"]), ("supervisor", None))
        [w] = wait["deliveries"]
        self.assertEqual((w["team"], w["status"], w["attempts"], w["last_error"],
                          w["delivered_at"]),
                         ("jeugd-noord", "pending", 1, "Couldn't connect to server", None))
        self.assertGreaterEqual(parse_time(w["next_at"]), self.clock.now())

        # Teams and outcomes only: not where a webhook points, nor the
        # event it carried.  The log has libcurl's own words for it.
        for c in (ca, cb):
            text = json.dumps(c)
            for secret in ["127.0.0.1", str(nobody), str(self.rx.port), "/jn-sv", "/hh",
                           "termijn-"] + [v.decode() for v in self.secrets.values()]:
                self.assertNotIn(secret, text)
        self.assertIn("127.0.0.1 port %d" % nobody, d.stderr_text())

        # termijnctl case show says the same under each notification.
        def show(cid):
            r = subprocess.run([termijnctl_path(), "--url",
                                "http://%s:%d" % (d.host, d.port), "--token", d.token,
                                "case", "show", str(cid)],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            part = [p for p in r.stdout.split("\n\n") if p.startswith("notifications:")]
            self.assertEqual(len(part), 1, r.stdout)
            for line in part[0].splitlines():
                self.assertLessEqual(len(line), 100, line)
            lines = []
            for l in part[0].splitlines():
                if l.startswith("      "):        # a long one, wrapped
                    lines[-1] += " " + l.strip()
                elif l.startswith("    "):
                    lines.append(l.strip())
            return lines
        self.assertEqual(show(a), [
            "not sent: no webhook for role youth_worker of teams jeugd-noord and handhaving",
            "not sent: no webhook for role youth_worker of teams jeugd-noord and handhaving",
            "sent to team handhaving at %s" % sent["delivered_at"],
            "not sent: no webhook for role enforcement of team jeugd-noord",
            "failed for team jeugd-noord after 2 attempts: Couldn't connect to server",
            "not sent: no webhook for role supervisor of team handhaving",
        ])
        self.assertEqual(show(b)[-1:], [
            "waiting for team jeugd-noord: next attempt at %s, 1 attempt failed (last:"
            " Couldn't connect to server)" % w["next_at"]])

    # -- kill -9 in the middle of a burst -------------------------------------

    def test_kill9_in_a_burst_loses_none(self):
        n = 300
        d = self.start(local(2026, 1, 5, 10, 0), [("handhaving", "enforcement", "/hh")],
                       notifier={"in_flight": 16})
        for i in range(n):
            d.create_case(workflow="zelfmelding", reference="B-%04d" % i, team="handhaving")
        # A slow receiver, so that termijnd dies with deliveries in flight.
        self.rx.delay = 0.03
        t0 = time.monotonic()
        self.clock.set(local(2026, 2, 25, 0, 0, 1))
        wait_until(lambda: len(self.rx.got()) >= n // 4, 30, what="a quarter of the burst")
        d.kill9()
        before = len(set(self.rx.ids()))
        marked = d.db_query("SELECT count(*) FROM outbox WHERE status = 'delivered'")[0][0]
        self.assertLess(marked, n, "the burst was over before the kill")

        self.rx.delay = 0
        d.start()
        t1 = time.monotonic()
        wait_until(lambda: not self.outbox("pending") and len(self.outbox("delivered")) == n,
                   60, 0.2, what="every notification delivered after the restart")
        t2 = time.monotonic()
        rows = d.db_query("SELECT body FROM outbox")
        want = {json.loads(b)["id"] for (b,) in rows}
        self.assertEqual(len(want), n)
        got = self.rx.ids()
        self.assertEqual(set(got), want)            # every id arrived
        self.assertGreaterEqual(len(got), n)        # at least once
        self.assertEqual([r["problem"] for r in self.rx.got()], [None] * len(got))
        print("\nburst: %d notifications; %d received before kill -9 (%d marked delivered),"
              " %d sent twice after the restart; the rest delivered in %.2f s after the"
              " restart (%.0f/s), %.2f s in all"
              % (n, before, marked, len(got) - n, t2 - t1, (n - marked) / (t2 - t1), t2 - t0))

    # -- configuration ---------------------------------------------------------

    def test_configuration_errors_name_their_place(self):
        good = self.secret_file("good", "0123456789abcdef0123")
        short = self.secret_file("short", "tooshort")
        loose = self.secret_file("loose", "0123456789abcdef0123")
        os.chmod(loose, 0o644)
        path = os.path.join(self.tmpdir, "bad.yaml")
        with open(path, "w") as f:
            f.write("webhooks:\n"
                    "  - team: handhaving\n"                                 # 2
                    "    role: enforcement\n"
                    "    url: https://user:pw@example.nl/hook\n"            # 4
                    "    secret_file: %s\n"
                    "  - team: handhaving\n"                                 # 6
                    "    role: enforcer\n"                                   # 7
                    "    url: ftp://example.nl/hook\n"                       # 8
                    "    secret_file: relative.key\n"                        # 9
                    "  - {team: a, role: supervisor, url: 'https://x.nl', secret_file: %s}\n"
                    "  - {team: a, role: supervisor, url: 'https://x.nl', secret_file: %s}\n"
                    "  - {team: b, role: supervisor, url: 'https://x.nl', secret_file: %s}\n"
                    "  - {team: c, role: supervisor, url: 'https://x.nl', secret_file: %s}\n"
                    "  - {team: e, role: supervisor, secret_file: %s, colour: red}\n"
                    "  - {team: d, role: supervisor, url: 'https://x.nl'}\n"   # 15
                    "notifier:\n"
                    "  attempts: 0\n"                                        # 17
                    "  source: has spaces\n"                                 # 18
                    % (good, good, good, short, loose, good))
        r = subprocess.run([termijnd_path(), "--check", "--config", path],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        want = [
            (4, "url must not hold a user or password"),
            (7, 'unknown role "enforcer"'),
            (8, "must start with https:// or http://"),
            (9, "must be an absolute path"),
            (11, "a second webhook for team a and role supervisor"),
            (12, "must hold 16 to 4096 bytes"),
            (13, "may be read by anyone"),
            (14, 'unknown key "colour" in webhooks'),
            (15, "a webhook needs team, role, url and secret_file"),
            (17, "attempts must be from 1 to 100"),
            (18, "source must be printable ASCII without spaces"),
        ]
        self.assertEqual(len(lines), len(want), r.stdout)
        for line, (no, text) in zip(lines, want):
            self.assertTrue(line.startswith("%s:%d:" % (path, no)), (line, no))
            self.assertIn(text, line)
        # The secrets themselves are never shown.
        self.assertNotIn("0123456789abcdef", r.stdout + r.stderr)
        self.assertNotIn("tooshort", r.stdout + r.stderr)
