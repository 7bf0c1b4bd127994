"""Bad input gets a clear 4xx, changes nothing, and leaves termijnd serving.

One termijnd for the whole class, with small limits (max_body, max_headers,
idle_timeout) so that they can be crossed cheaply.  Every test counts the
cases, deadlines and transitions before and after, and asks /healthz after.
"""

import datetime
import json
import subprocess
import socket
import time
import unittest

from harness import (AMS, SharedDaemonTestCase, make_bsn, make_non_bsn,
                     termijnctl_path, wait_until)

MAX_BODY = 2048
MAX_HEADERS = 4096
IDLE = 2

GOOD = {"workflow": "zelfmelding", "reference": "Z-2026-0500", "team": "jeugd-noord"}


class BadInputTest(SharedDaemonTestCase):
    # Whatever a test sends, termijnd still serves, and (unless the test
    # made a case on purpose) nothing changes.
    CONFIG = {"http": {"max_body": MAX_BODY, "max_headers": MAX_HEADERS,
                       "idle_timeout": IDLE}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_id = cls.d.create_case(reference="Z-2026-0499")["id"]

    def refused(self, status, words, method="POST", path="/v1/cases", body=None, **kw):
        r = self.d.request(method, path, body, **kw)
        return self.assertProblem(r, status, *words)

    def create_refused(self, body, *words):
        return self.refused(400, words, body=body)

    # -- the body ------------------------------------------------------------

    def test_malformed_json(self):
        self.create_refused('{"workflow": "zelfmelding", "reference": ', "json")

    def test_json_array_body(self):
        self.create_refused(json.dumps([GOOD]), "object")

    def test_json_scalar_body(self):
        self.create_refused('"zelfmelding"', ("object", "{"))
        self.create_refused("42", ("object", "{"))

    def test_deeply_nested_json(self):
        self.create_refused('{"workflow": %s1%s}' % ("[" * 400, "]" * 400))
        self.create_refused("[" * 1000 + "]" * 1000)

    def test_invalid_utf8(self):
        self.create_refused(b'{"workflow": "zelfmelding", "reference": "Z-\xff\xfe", '
                            b'"team": "jeugd-noord"}')

    def test_unknown_field(self):
        self.create_refused(dict(GOOD, colour="red"), "colour")

    def test_mistyped_field(self):
        self.create_refused(dict(GOOD, team=42), "team")

    def test_missing_field(self):
        body = dict(GOOD)
        del body["team"]
        self.create_refused(body, "team")

    def test_unknown_workflow(self):
        self.create_refused(dict(GOOD, workflow="zelfmeldingen"), "zelfmeldingen")

    def test_impossible_date(self):
        self.create_refused(dict(GOOD, started_at="2026-02-30"),
                            ("started_at", "2026-02-30"))

    def test_quoted_input_cut_inside_a_character(self):
        # The detail quotes at most 64 bytes of the value; the cut falls in
        # the middle of the two bytes of "é".  termijnd must still answer.
        self.create_refused(dict(GOOD, started_at="a" * 63 + "\u00e9" * 3),
                            ("started_at",))
        self.create_refused(dict(GOOD, workflow="w" * 60 + "\u20ac" * 4),
                            ("unknown workflow",))

    def test_dates_before_1970(self):
        self.create_refused(dict(GOOD, started_at="0001-01-01"), ("before 1970",))
        self.create_refused(dict(GOOD, started_at="1970-01-01T01:00:00+01:00"),
                            ("before 1970",))
        self.create_refused(dict(GOOD, started_at="1909-01-01"), ("before 1970",))
        self.refused(400, ("date", "before 1970"), "POST",
                     "/v1/cases/%d/events" % self.case_id,
                     {"event": "family_reported", "date": "1909-01-01"})

    def test_reader_token_may_not_write(self):
        r = subprocess.run([termijnctl_path(), "token", "create", "--db", self.d.db,
                            "--name", "reader-a", "--role", "reader", "--team", "jeugd-noord"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        reader = r.stdout.strip()
        self.refused(403, ("reader",), "POST", "/v1/cases",
                     dict(GOOD, reference="Z-2026-0599"), token=reader)
        self.refused(403, ("reader",), "POST", "/v1/cases/%d/events" % self.case_id,
                     {"event": "family_reported"}, token=reader)
        self.assertEqual(self.d.request("GET", "/v1/cases/%d" % self.case_id,
                                        token=reader).status, 200)

    def test_impossible_time(self):
        self.create_refused(dict(GOOD, started_at="2026-01-05T24:30:00+01:00"),
                            ("started_at", "2026-01-05T24:30"))

    def test_garbage_date(self):
        self.create_refused(dict(GOOD, started_at="yesterday"), ("started_at", "yesterday"))

    def test_started_at_in_the_future(self):
        tomorrow = datetime.datetime.now(AMS) + datetime.timedelta(days=1)
        self.create_refused(dict(GOOD, started_at=tomorrow.isoformat(timespec="seconds")),
                            ("started_at", "future"))

    def test_reference_malformed(self):
        self.create_refused(dict(GOOD, reference="Z 2026 0500"), "reference")
        self.create_refused(dict(GOOD, reference="-Z-2026"), "reference")
        self.create_refused(dict(GOOD, reference="Z" * 65), "reference")
        self.create_refused(dict(GOOD, reference=""), "reference")

    def test_team_malformed(self):
        self.create_refused(dict(GOOD, team="jeugd noord"), "team")

    def test_reference_that_looks_like_a_bsn(self):
        bsn = make_bsn("12345678")
        self.create_refused(dict(GOOD, reference=bsn), "reference")
        self.create_refused(dict(GOOD, reference="Z-%s-A" % bsn), "reference")

    def test_nine_digits_that_fail_the_eleven_test_are_accepted(self):
        ref = make_non_bsn("12345678")
        c = self.d.create_case(reference=ref)
        self.changed = True
        self.assertEqual(c["reference"], ref)
        self.assertEqual(self.counts()[0], self.before[0] + 1)

    # -- cases, paths, methods --------------------------------------------------

    def test_unknown_case(self):
        self.refused(404, ("999999",), "GET", "/v1/cases/999999")
        self.refused(404, ("999999",), "GET", "/v1/cases/999999/transitions")
        self.refused(404, ("999999",), "POST", "/v1/cases/999999/events",
                     {"event": "family_reported"})

    def test_unknown_path(self):
        for path in ("/v1/nothing", "/v2/cases", "/v1/cases/1/nothing", "/v1/cases/abc"):
            self.refused(404, (), "GET", path)

    def test_wrong_method(self):
        self.refused(405, (), "DELETE", "/v1/cases")
        self.refused(405, (), "PUT", "/v1/cases/%d" % self.case_id, GOOD)
        self.refused(405, (), "GET", "/v1/cases/%d/events" % self.case_id)
        self.refused(405, (), "POST", "/v1/workflows", {})

    def test_bad_list_limit(self):
        for limit in ("0", "501", "abc", "-1"):
            self.refused(400, ("limit",), "GET", "/v1/cases?limit=" + limit)

    # -- limits -----------------------------------------------------------------

    def test_body_over_the_limit(self):
        body = dict(GOOD, note="x" * (MAX_BODY + 100))
        conn = self.d.connection()
        try:
            r = self.d.request("POST", "/v1/cases", body, conn=conn)
        finally:
            conn.close()
        self.assertProblem(r, 413)

    def test_wrong_content_type(self):
        self.refused(415, (), body=json.dumps(dict(GOOD, reference="Z-2026-0501")),
                     content_type="text/plain")
        self.refused(415, (), body=json.dumps(dict(GOOD, reference="Z-2026-0502")),
                     content_type="application/x-www-form-urlencoded")

    def test_oversized_headers(self):
        conn = self.d.connection()
        try:
            conn.request("GET", "/v1/cases", headers={
                "Authorization": "Bearer " + self.d.token,
                "X-Padding": "p" * (MAX_HEADERS * 2)})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (ConnectionError, OSError) as e:
            self.fail("oversized headers: the connection closed without a status (%r)" % e)
        finally:
            conn.close()
        self.assertTrue(400 <= status < 500, "oversized headers answered %d" % status)
        # Everyone else is served meanwhile.
        self.assertEqual(self.d.request("GET", "/v1/cases/%d" % self.case_id).status, 200)

    def test_slow_client_is_cut_off_and_others_are_served(self):
        silent = socket.create_connection((self.d.host, self.d.port))
        partial = socket.create_connection((self.d.host, self.d.port))
        partial.sendall(b"GET /v1/cases HTTP/1.1\r\nHost: x\r\n")
        try:
            opened = time.monotonic()
            # Others are served promptly while the slow ones sit there.
            for _ in range(5):
                t0 = time.monotonic()
                self.assertTrue(self.d.healthy())
                self.assertEqual(self.d.request("GET", "/v1/cases?limit=1").status, 200)
                self.assertLess(time.monotonic() - t0, IDLE / 2,
                                "a request waited on a slow client")
            for s in (silent, partial):
                s.settimeout(IDLE + 10)
                try:
                    data = s.recv(4096)
                    while data:	# an error answer before the close is fine
                        data = s.recv(4096)
                except ConnectionResetError:
                    pass
                except socket.timeout:
                    self.fail("a connection idle for %ds was not closed" % (IDLE + 10))
            self.assertLess(time.monotonic() - opened, IDLE + 5)
        finally:
            silent.close()
            partial.close()

    # -- tokens ---------------------------------------------------------------

    def test_no_token(self):
        self.refused(401, (), "GET", "/v1/cases", token=None)
        self.refused(401, (), "POST", "/v1/cases", dict(GOOD, reference="Z-2026-0503"),
                     token=None)

    def test_unknown_token(self):
        self.refused(401, (), "GET", "/v1/cases", token="tmj_" + "0" * 40)
        self.refused(401, (), "GET", "/v1/cases/%d" % self.case_id, token=self.d.token + "x")
        self.refused(401, (), "POST", "/v1/cases", dict(GOOD, reference="Z-2026-0504"),
                     token="")
        self.refused(401, (), "GET", "/v1/cases", token=None,
                     headers={"Authorization": "Basic " + self.d.token})

    # -- events -----------------------------------------------------------------

    def test_unknown_event(self):
        # The README's table allows either reading: the state does not accept
        # it (409, with the state and what it accepts), or the workflow has
        # no such event at all (400).  Either way the detail names it.
        r = self.d.request("POST", "/v1/cases/%d/events" % self.case_id,
                           {"event": "no_such_event"})
        self.assertIn(r.status, (400, 409), r.raw)
        body = self.assertProblem(r, r.status, "no_such_event")
        if r.status == 409:
            self.assertEqual(body.get("state"), "awaiting_self_report", body)
            self.assertEqual(body.get("accepts"), ["family_reported"], body)
        self.assertEqual(self.d.case(self.case_id)["state"], "awaiting_self_report")

    def test_event_body_wrong(self):
        path = "/v1/cases/%d/events" % self.case_id
        self.refused(400, ("event",), "POST", path, {})
        self.refused(400, ("event",), "POST", path, {"event": 7})
        self.refused(400, ("colour",), "POST", path, {"event": "family_reported",
                                                       "colour": "red"})
        self.refused(400, (), "POST", path, "[1, 2")


if __name__ == "__main__":
    unittest.main()
