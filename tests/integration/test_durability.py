"""Durability: restarts, kill -9, SIGTERM, Idempotency-Key, against a real termijnd."""

import http.client
import json
import threading
import time
import unittest

from harness import FakeClock, TermijnTestCase, local, wait_until

FAST = {"scheduler": {"recheck_interval": 0.1}}


class RegistrationStream:
    """Client threads that register cases with unique references as fast as
    they can, each on its own keep-alive connection, until stopped, until the
    daemon goes away, or until their bounds (count and time) are reached."""

    def __init__(self, daemon, clients=8, per_client=20000, seconds=30.0, tag="K"):
        self.d = daemon
        self.clients = clients
        self.per_client = per_client
        self.seconds = seconds
        self.tag = tag
        self.acked = {}		# reference -> id, for every 201 seen
        self.unanswered = set()	# sent, connection lost before an answer
        self.other = []		# any other status: (reference, status, body)
        self.finished = 0	# threads that reached a bound
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True)
                        for n in range(clients)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def _run(self, n):
        conn = self.d.connection(timeout=30)
        end = time.monotonic() + self.seconds
        hdrs = {"Authorization": "Bearer " + self.d.token,
                "Content-Type": "application/json"}
        for i in range(self.per_client):
            if self.stop.is_set():
                return
            if time.monotonic() > end:
                break
            ref = "%s-%d-%d" % (self.tag, n, i)
            body = json.dumps({"workflow": "zelfmelding", "reference": ref,
                               "team": "jeugd-noord"})
            try:
                conn.request("POST", "/v1/cases", body=body, headers=hdrs)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.unanswered.add(ref)
                return
            with self.lock:
                if resp.status == 201:
                    self.acked[ref] = json.loads(data)["id"]
                else:
                    self.other.append((ref, resp.status, data[:300]))
        with self.lock:
            self.finished += 1

    def count(self):
        with self.lock:
            return len(self.acked)

    def join(self):
        for t in self.threads:
            t.join(60)
            assert not t.is_alive(), "a client thread hangs"


class DurabilityTest(TermijnTestCase):

    def deadline_transitions(self, d, cid):
        return [t for t in d.transitions(cid) if t["cause"] == "deadline"]

    def assert_integrity(self, d):
        self.assertEqual(d.db_query("PRAGMA integrity_check"), [("ok",)])

    def all_references(self, d):
        """Every case's reference, through the API's cursor pagination."""
        refs = []
        cursor = None
        for _ in range(10000):
            path = "/v1/cases?limit=500" + ("&cursor=" + cursor if cursor else "")
            r = d.request("GET", path)
            self.assertEqual(r.status, 200, r.raw)
            refs += [c["reference"] for c in r.body["cases"]]
            cursor = r.body.get("next_cursor")
            if not cursor:
                return refs
        self.fail("pagination does not end")

    # -- a deadline passes while termijnd is down ------------------------------

    def test_deadline_passes_during_downtime_fires_once_at_start(self):
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config=FAST)
        cid = d.create_case(reference="Z-2026-0300")["id"]
        d.stop()

        clock.set(local(2026, 2, 18, 12, 0))
        d.start()
        self.assertNotIn("admin token", "".join(d.stdout_lines[-1]),
                         "the admin token is shown on the first start only")
        c = d.wait_state(cid, "youth_worker_reports")
        self.assertEqual(c["deadlines"][0]["overdue_from"], "2026-02-25T00:00:00+01:00")
        fired = self.deadline_transitions(d, cid)
        self.assertEqual(len(fired), 1, fired)
        self.assertEqual(fired[0]["at"], "2026-02-17T00:00:00+01:00",
                         "a deadline takes effect when it passed, even when termijnd was down")

        d.restart()
        self.assertEqual(d.case(cid)["state"], "youth_worker_reports")
        self.assertEqual(self.deadline_transitions(d, cid), fired, "fired exactly once")
        lines = [t for t in d.syslog.transitions()
                 if t.get("case") == str(cid) and t.get("cause") == "deadline"]
        self.assertEqual(len(lines), 1, lines)

    def test_missed_deadlines_fire_in_order_after_downtime(self):
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config=FAST)
        cid = d.create_case(reference="Z-2026-0301")["id"]
        d.stop()
        clock.set(local(2026, 3, 2, 9, 0))
        d.start()
        d.wait_state(cid, "enforcement")
        fired = self.deadline_transitions(d, cid)
        self.assertEqual([(t["from"], t["to"], t["at"]) for t in fired], [
            ("awaiting_self_report", "youth_worker_reports", "2026-02-17T00:00:00+01:00"),
            ("youth_worker_reports", "enforcement", "2026-02-25T00:00:00+01:00"),
        ])

    def test_clock_jumping_back_fires_nothing_twice(self):
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config=FAST)
        cid = d.create_case(reference="Z-2026-0302")["id"]
        clock.set(local(2026, 2, 17, 0, 0, 1))
        d.wait_state(cid, "youth_worker_reports")
        fired = self.deadline_transitions(d, cid)

        # The clock is set back half a day, then runs past the same moment.
        clock.set(local(2026, 2, 16, 12, 0), backwards=True)
        w = d.create_case(reference="W-2026-0302", started_at="2026-01-05T12:00:00+01:00")
        self.assertEqual(w["state"], "awaiting_self_report", "nothing passed yet")
        self.assertEqual(w["deadlines"][0]["overdue_from"], "2026-02-17T00:00:00+01:00")
        clock.set(local(2026, 2, 17, 0, 0, 5))
        d.wait_state(w["id"], "youth_worker_reports")
        self.assertEqual(self.deadline_transitions(d, cid), fired)
        self.assertEqual(d.case(cid)["state"], "youth_worker_reports")

    # -- kill -9 in the middle of a stream of registrations --------------------

    def test_kill9_during_registrations_loses_no_acknowledged_case(self):
        d = self.start_daemon()
        stream = RegistrationStream(d, clients=8).start()
        wait_until(lambda: stream.count() >= 300, 30, what="300 acknowledged registrations")
        self.assertEqual(stream.finished, 0, "the stream ended before the kill")
        d.kill9()
        stream.join()
        self.assertEqual(stream.other, [], "only 201 answers before the kill")
        acked = dict(stream.acked)

        d.start()
        rows = d.db_query("SELECT reference, id FROM cases")
        seen = {}
        for ref, cid in rows:
            seen.setdefault(ref, []).append(cid)
        lost = [r for r in acked if r not in seen]
        twice = {r: ids for r, ids in seen.items() if len(ids) > 1}
        self.assertEqual(lost, [], "%d acknowledged registrations lost of %d"
                         % (len(lost), len(acked)))
        self.assertEqual(twice, {}, "registered more than once")
        self.assertEqual({r: seen[r][0] for r in acked}, acked,
                         "each acknowledged case kept the id it was given")
        unknown = set(seen) - set(acked) - stream.unanswered
        self.assertEqual(unknown, set(), "cases nobody asked for")
        self.assertEqual(sorted(self.all_references(d)), sorted(seen),
                         "the API lists what the database holds")
        creates = d.db_query("SELECT case_id, count(*) FROM transitions "
                             "WHERE cause = 'create' GROUP BY case_id")
        self.assertEqual(len(creates), len(rows))
        self.assertTrue(all(n == 1 for _, n in creates), "one create transition per case")
        self.assert_integrity(d)
        some = list(acked.items())[:: max(1, len(acked) // 20)]
        for ref, cid in some:
            self.assertEqual(d.case(cid)["reference"], ref)

    # -- Idempotency-Key ------------------------------------------------------

    def test_idempotency_key_retry_returns_first_answer(self):
        d = self.start_daemon()
        body = {"workflow": "zelfmelding", "reference": "Z-2026-0400", "team": "jeugd-noord"}
        key = {"Idempotency-Key": "retry-0400"}
        first = d.request("POST", "/v1/cases", body, headers=key)
        self.assertEqual(first.status, 201, first.raw)
        n = d.db_query("SELECT count(*) FROM cases")[0][0]

        again = d.request("POST", "/v1/cases", body, headers=key)
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(again.headers.get("location"), first.headers.get("location"))
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0], n)

        d.restart()
        again = d.request("POST", "/v1/cases", body, headers=key)
        self.assertEqual((again.status, again.body), (first.status, first.body),
                         "the first answer survives a restart")
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0], n)

        other = dict(body, reference="Z-2026-0401")
        r = d.request("POST", "/v1/cases", other, headers=key)
        self.assertProblem(r, 422, "idempotency")
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0], n)

        # An event: the retry does not apply it twice (that would be a 409).
        cid = first.body["id"]
        key = {"Idempotency-Key": "event-0400"}
        ev = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "family_reported"},
                       headers=key)
        self.assertEqual(ev.status, 200, ev.raw)
        again = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "family_reported"},
                          headers=key)
        self.assertEqual((again.status, again.body), (ev.status, ev.body))
        self.assertEqual(len(d.transitions(cid)), 2)

    # -- SIGTERM ----------------------------------------------------------------

    def test_sigterm_exits_zero_and_keeps_everything(self):
        d = self.start_daemon()
        stream = RegistrationStream(d, clients=4, tag="T").start()
        wait_until(lambda: stream.count() >= 100, 30, what="100 acknowledged registrations")
        d.stop()	# asserts exit status 0 and a clean sanitizer report
        stream.join()
        # While it stops, termijnd may refuse new work; it never fails it.
        self.assertEqual([o for o in stream.other if o[1] != 503], [])
        acked = dict(stream.acked)
        self.assert_integrity(d)
        rows = dict(d.db_query("SELECT reference, id FROM cases"))
        self.assertEqual({r: rows.get(r) for r in acked}, acked)
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0],
                         d.db_query("SELECT count(DISTINCT reference) FROM cases")[0][0])

        d.start()
        self.assertEqual(sorted(self.all_references(d)), sorted(rows))


if __name__ == "__main__":
    unittest.main()
