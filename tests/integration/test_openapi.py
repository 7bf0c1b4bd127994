"""The API's OpenAPI document (docs/openapi.json) and the NL API Design Rules.

- The document passes the rules' linter (@stoplight/spectral-cli with Logius's
  ruleset, tests/openapi/adr-ruleset.yaml): no errors, no warnings.
- termijnd serves it, byte for byte, at /v1/openapi.json without a token and
  readable from any origin, and names its info.version in an API-Version
  header on every answer.
- Through @stoplight/prism-cli as a validating proxy in front of a real
  termijnd, a request of every operation and its answer (successes and
  refusals) are what the document says.
- Requests generated from the document's own schemas never make termijnd
  fail (5xx), and every answer to them is one the document describes.

The npm packages are tests/openapi's, installed with `npm ci` from its lock.
"""

import datetime
import json
import os
import random
import re
import subprocess
import urllib.parse

from harness import (OPENAPI_DIR, HarnessError, Prism, TermijnTestCase, npm_ci,
                     openapi_document, openapi_operations, source_dir, violations)

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def document_bytes():
    with open(os.path.join(source_dir(), "docs", "openapi.json"), "rb") as f:
        return f.read()


class LintTest(TermijnTestCase):
    def test_the_rules_linter_finds_nothing(self):
        npm_ci(OPENAPI_DIR)
        spectral = os.path.join(OPENAPI_DIR, "node_modules", ".bin", "spectral")
        p = subprocess.run([spectral, "lint", "--ruleset", "adr-ruleset.yaml",
                            "--fail-severity", "warn", "--format", "json",
                            os.path.join(source_dir(), "docs", "openapi.json")],
                           cwd=OPENAPI_DIR, capture_output=True, text=True, timeout=300,
                           stdin=subprocess.DEVNULL)
        found, _ = json.JSONDecoder().raw_decode(p.stdout[p.stdout.find("["):])
        self.assertEqual([(f["code"], ".".join(map(str, f["path"])), f["message"])
                          for f in found], [], p.stderr)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_the_ruleset_is_logius_unchanged(self):
        """The ruleset is kept as published, with its source and licence."""
        with open(os.path.join(OPENAPI_DIR, "adr-ruleset.yaml")) as f:
            text = f.read()
        self.assertIn("nlgov:missing-version-header", text)
        self.assertIn("nlgov:openapi-root-exists", text)
        with open(os.path.join(OPENAPI_DIR, "README.md")) as f:
            readme = f.read()
        self.assertIn("Logius-standaarden/API-Design-Rules", readme)
        self.assertIn("CC BY 4.0", readme)

    def test_version_is_semver(self):
        self.assertRegex(openapi_document()["info"]["version"], SEMVER)


class ServedTest(TermijnTestCase):
    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()
        self.version = openapi_document()["info"]["version"]

    def test_document_without_a_token(self):
        r = self.d.request("GET", "/v1/openapi.json", token=None,
                           headers={"Origin": "https://portal.example.org"})
        self.assertEqual(r.status, 200, r.raw[:300])
        self.assertEqual(r.headers["content-type"], "application/json")
        self.assertEqual(r.headers["access-control-allow-origin"], "*")
        self.assertEqual(r.raw, document_bytes())
        self.assertEqual(r.body["info"]["version"], self.version)
        # HEAD: the same headers and length, no body.
        h = self.d.request("HEAD", "/v1/openapi.json", token=None)
        self.assertEqual(h.status, 200)
        self.assertEqual(int(h.headers["content-length"]), len(document_bytes()))
        self.assertEqual(h.headers["api-version"], self.version)
        # Only the document is readable cross-origin; the API is not.
        r = self.d.request("GET", "/v1/me", headers={"Origin": "https://portal.example.org"})
        self.assertNotIn("access-control-allow-origin", r.headers)

    def test_api_version_on_every_answer(self):
        """2xx, 3xx, 4xx and 5xx alike, JSON, CSV, files and refusals."""
        r = self.d.request("GET", "/static/app.js", token=None)
        etag = r.headers["etag"]
        cid = self.d.create_case()["id"]
        answers = {
            "healthz": self.d.request("GET", "/healthz", token=None),
            "case": self.d.request("GET", "/v1/cases/%d" % cid),
            "created": self.d.request("POST", "/v1/cases", {"workflow": "zelfmelding",
                                                            "reference": "Z-OA-1",
                                                            "team": "jeugd-noord"}),
            "csv": self.d.request("GET", "/v1/cases", headers={"Accept": "text/csv"}),
            "feed": self.d.request("GET", "/v1/calendar/feed.ics"),
            "page": self.d.request("GET", "/", token=None),
            "file": r,
            "not modified": self.d.request("GET", "/static/app.js", token=None,
                                           headers={"If-None-Match": etag}),
            "no token": self.d.request("GET", "/v1/cases", token=None),
            "bad body": self.d.request("POST", "/v1/cases", {"workflow": 1}),
            "no such case": self.d.request("GET", "/v1/cases/987654"),
            "no such path": self.d.request("GET", "/v1/nothing"),
            "method": self.d.request("DELETE", "/v1/me"),
            "framing": self.d.request("GET", "/v1/me", headers={"Transfer-Encoding": "chunked"}),
            "metrics": self.d.request("GET", "/metrics"),
        }
        self.assertEqual(answers["not modified"].status, 304)
        self.assertEqual(answers["created"].status, 201)
        self.assertEqual(answers["no such path"].status, 404)
        for what, r in answers.items():
            self.assertEqual(r.headers.get("api-version"), self.version,
                             "%s (%d) has no API-Version %s: %r" % (what, r.status, self.version,
                                                                    r.headers))

    def test_old_spellings_still_taken(self):
        """dry_run and /v1/calendar.ics, from before the design rules, still work;
        the documented spellings are the new ones."""
        admin = self.d.admin_token
        for q in ("dryRun=true", "dry_run=true"):
            r = self.d.request("POST", "/v1/retention?" + q, token=admin)
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.body["dry_run"], True)
            self.assertIn("would_destroy", r.body)
        r = self.d.request("POST", "/v1/retention?dryRun=true&dry_run=true", token=admin)
        self.assertProblem(r, 400, "dryRun", "twice")
        r = self.d.request("POST", "/v1/retention?dryRun=maybe", token=admin)
        self.assertProblem(r, 400, "dryRun")
        # A deadline within the feed's window: it runs, and falls due within
        # the year ahead.
        self.d.create_case()
        new = self.d.request("GET", "/v1/calendar/feed.ics")
        old = self.d.request("GET", "/v1/calendar.ics")
        self.assertEqual(new.status, 200)
        self.assertEqual(old.status, 200)
        self.assertIn(b"BEGIN:VEVENT", new.raw)
        strip = lambda b: re.sub(rb"DTSTAMP:.*\r\n", b"", b)
        self.assertEqual(strip(old.raw), strip(new.raw))
        ops = openapi_operations()
        self.assertTrue(ops[("GET", "/v1/calendar.ics")].get("deprecated"))
        self.assertNotIn("dry_run", json.dumps(ops[("POST", "/v1/retention")]["parameters"]))

    def test_termijnctl_uses_the_new_spelling(self):
        with open(os.path.join(source_dir(), "daemon", "termijnctl", "ctl_admin.c")) as f:
            self.assertIn("/v1/retention?dryRun=", f.read())


def template_of(method, path, ops):
    """The operation (METHOD, template) a concrete request path falls under."""
    path = urllib.parse.urlsplit(path).path
    for (m, t), _ in ops.items():
        if m != method:
            continue
        rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(t)) + "$"
        if re.match(rx, path):
            return (m, t)
    return None


class ProxyTest(TermijnTestCase):
    """Real requests through Prism (violations are errors) to a real termijnd."""

    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()
        self.prism = Prism(self.tmpdir, "%s:%d" % (self.d.host, self.d.port), errors=True)
        self.addCleanup(self.prism.close)
        self.ops = openapi_operations()
        self.seen = set()
        self.conn = None

    def send(self, method, path, body=None, token="worker", headers=None, expect=None):
        import http.client
        hdrs = dict(headers or {})
        tokens = {"worker": self.d.token, "admin": self.d.admin_token}
        tokens.update(getattr(self, "tokens", {}))
        if token is not None:
            hdrs["Authorization"] = "Bearer " + tokens.get(token, token)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.prism.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            headers_out = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        found = violations(headers_out)
        self.assertEqual(found, [], "%s %s answered %d: %s" % (method, path, resp.status,
                                                               raw[:500]))
        if "prism" in headers_out.get("content-type", "") or \
                b"stoplight.io/prism/errors" in raw:
            self.fail("%s %s: Prism answered %d: %s" % (method, path, resp.status, raw[:800]))
        if expect is not None:
            self.assertEqual(resp.status, expect, "%s %s: %s" % (method, path, raw[:500]))
        op = template_of(method, path, self.ops)
        self.assertIsNotNone(op, "%s %s is no operation of the document" % (method, path))
        self.seen.add(op)
        body_out = raw
        if "json" in headers_out.get("content-type", ""):
            body_out = json.loads(raw)
        return resp.status, headers_out, body_out

    def test_every_operation(self):
        d = self.d
        self.tokens = {
            "sup": d.make_token("sup-noord", "supervisor", ["jeugd-noord", "handhaving"]),
            "jw": d.make_token("jw-noord", "youth_worker", ["jeugd-noord"]),
            "feed": d.make_token("agenda", "feed", ["jeugd-noord"]),
        }
        s = self.send
        # Yesterday morning: a time in the past whenever the test runs (today
        # at 09:30 is in the future before half past nine).
        today = (datetime.date.today() - datetime.timedelta(days=1)).isoformat() + "T09:30"
        # Outside /v1, and this document.
        s("GET", "/healthz", token=None, expect=200)
        s("GET", "/readyz", token=None, expect=200)
        s("GET", "/metrics", expect=200)
        s("GET", "/", token=None, expect=200)
        _, h, _ = s("GET", "/static/app.js", token=None, expect=200)
        s("GET", "/static/app.js", token=None, headers={"If-None-Match": h["etag"]}, expect=304)
        s("GET", "/static/nothing.js", token=None, expect=404)
        s("GET", "/v1/openapi.json", token=None, expect=200)
        s("GET", "/v1/me", expect=200)
        s("GET", "/v1/workflows", expect=200)
        s("GET", "/v1/me", token="tmj_not_a_token", expect=401)
        # Cases: a registration dated in the past fires what fell due.
        _, _, c = s("POST", "/v1/cases", {"workflow": "zelfmelding", "reference": "Z-OA-0001",
                                          "team": "jeugd-noord", "started_at": "2026-01-05"},
                    token="jw", expect=201)
        cid = c["id"]
        self.assertTrue(c["warnings"])
        s("POST", "/v1/cases", {"workflow": "zelfmelding", "reference": "Z-OA-0001",
                                "team": "jeugd-noord"}, token="jw", expect=409)
        s("POST", "/v1/cases", {"workflow": "zelfmeldng", "reference": "Z-OA-0002",
                                "team": "jeugd-noord"}, expect=400)
        _, _, c2 = s("POST", "/v1/cases", {"workflow": "beslistermijn", "reference": "B-OA-0001",
                                           "team": "inkomen", "started_at": "%s" % today},
                     headers={"Idempotency-Key": "oa-1"}, expect=201)
        s("GET", "/v1/cases", expect=200)
        s("GET", "/v1/cases?workflow=zelfmelding&limit=1", expect=200)
        s("GET", "/v1/cases?limit=1", headers={"Accept": "text/csv"}, expect=200)
        s("GET", "/v1/cases?state=nothing", expect=400)
        s("GET", "/v1/cases/%d" % cid, headers={"Read-Purpose": "controle"}, expect=200)
        s("GET", "/v1/cases/987654", expect=404)
        s("POST", "/v1/cases/%d/events" % cid, {"event": "family_reported"}, expect=409)
        s("POST", "/v1/cases/%d/events" % c2["id"], {"event": "request_completion",
                                                      "note": "Loonstroken ontbreken."},
          expect=200)
        s("POST", "/v1/cases/%d/events" % c2["id"], {"event": "nothing"}, expect=400)
        s("POST", "/v1/cases/%d/participants" % cid, {"team": "inkomen"}, token="jw", expect=422)
        s("POST", "/v1/cases/%d/participants" % cid, {"team": "inkomen", "basis": "consent",
                                                       "purpose": "overleg"},
          token="jw", expect=201)
        s("GET", "/v1/cases/%d/participants" % cid, expect=200)
        s("POST", "/v1/cases/%d/coordinator" % cid, {"team": "inkomen", "note": "overdracht"},
          token="jw", expect=200)
        s("POST", "/v1/cases/%d/coordinator" % cid, {"team": "jeugd-noord"}, expect=200)
        s("DELETE", "/v1/cases/%d/participants/inkomen" % cid, token="jw", expect=200)
        s("DELETE", "/v1/cases/%d/participants/inkomen" % cid, token="jw", expect=409)
        s("POST", "/v1/cases/%d/assign" % cid, {"assignee": "sup-noord", "note": "pak op"},
          token="sup", expect=200)
        s("POST", "/v1/cases/%d/assign" % cid, {"assignee": None}, token="sup", expect=200)
        s("POST", "/v1/cases/%d/corrections" % cid, {"reason": "ten onrechte"}, token="sup")
        s("POST", "/v1/cases/%d/events" % cid, {"event": "youth_worker_reported",
                                                 "basis": "criminal_data"}, token="jw")
        s("GET", "/v1/cases/%d" % cid, expect=200)
        s("GET", "/v1/cases/%d/transitions?limit=2" % cid, expect=200)
        s("GET", "/v1/cases/%d/access" % cid, token="sup", expect=200)
        s("GET", "/v1/cases/%d/access" % cid, expect=403)
        s("GET", "/v1/cases/%d/export" % cid, token="sup", expect=200)
        # Views.
        s("GET", "/v1/overdue", token="sup", expect=200)
        s("GET", "/v1/overdue?kind=agreement&limit=1", headers={"Accept": "text/csv"},
          token="sup", expect=200)
        s("GET", "/v1/at-risk?within=P1Y", expect=200)
        s("GET", "/v1/summary?within=PT48H", expect=200)
        s("GET", "/v1/queue", token="sup", expect=200)
        s("GET", "/v1/report?from=2026-01-01&to=2026-12-31&by=kind", token="sup", expect=200)
        s("GET", "/v1/report?from=2026-02-01&to=2026-01-01", token="sup", expect=400)
        s("GET", "/v1/calendar/feed.ics?token=" + self.tokens["feed"], token=None, expect=200)
        s("GET", "/v1/calendar/feed.ics?team=jeugd-noord", expect=200)
        s("GET", "/v1/calendar.ics?token=" + self.tokens["feed"], token=None, expect=200)
        s("GET", "/v1/cases", token="feed", expect=403)
        s("GET", "/v1/calendar/due?from=2026-03-16&period=P6W&rule=atw", expect=200)
        s("GET", "/v1/calendar/due?from=2026-10-25T02:30&period=PT48H&rule=hours", expect=200)
        s("GET", "/v1/calendar/due?from=2026-03-16&period=P6W&rule=plain&courtesy=true",
          expect=200)
        s("GET", "/v1/calendar/due?from=2026-03-16&period=six&rule=atw", expect=400)
        # What if: a timeline, and an event the state does not take then.
        s("POST", "/v1/simulate", {"workflow": "zelfmelding", "start": "2026-01-05",
                                   "events": [{"event": "youth_worker_reported",
                                               "date": "2026-02-19T14:00", "basis": "consent"},
                                              {"event": "close", "date": "2026-03-02"}]},
          expect=200)
        s("POST", "/v1/simulate", {"workflow": "beslistermijn", "start": "2026-01-17"},
          headers={"Accept-Language": "nl"}, expect=200)
        s("POST", "/v1/simulate", {"workflow": "beslistermijn", "start": "2026-01-05",
                                   "events": [{"event": "close", "date": "2026-01-10"}]},
          expect=400)
        s("POST", "/v1/simulate", {"workflow": "beslistermijn", "start": "2026-01-05"},
          token="feed", expect=403)
        # Administration.
        s("GET", "/v1/teams", expect=200)
        s("POST", "/v1/teams", {"name": "wijkteam", "title": "Wijkteam",
                                "organisation": "Gemeente Voorbeeld"}, token="admin", expect=201)
        s("POST", "/v1/teams", {"name": "wijkteam", "title": "Wijkteam"}, token="admin",
          expect=409)
        s("POST", "/v1/teams", {"name": "x", "title": "X"}, expect=403)
        s("GET", "/v1/tokens", token="admin", expect=200)
        _, _, reader = s("POST", "/v1/tokens", {"name": "lezer", "role": "reader",
                                                "teams": ["wijkteam"], "expires": "P90D",
                                                "display_name": "Lezer Wijkteam"},
                         token="admin", expect=201)
        s("PATCH", "/v1/tokens/jw-noord", {"display_name": "Jeugdhulpverlener Noord"},
          token="admin", expect=200)
        s("PATCH", "/v1/tokens/jw-noord", {"display_name": None}, token="admin", expect=200)
        s("PATCH", "/v1/tokens/jw-noord", {"display_name": "Mede\nwerker"}, token="admin",
          expect=400)
        s("PATCH", "/v1/tokens/niemand", {"display_name": "Niemand"}, token="admin",
          expect=404)
        s("GET", "/v1/teams/jeugd-noord/people", token="sup", expect=200)
        s("GET", "/v1/teams/wijkteam/people", token=reader["token"], expect=403)
        s("GET", "/v1/teams/jeugd-noord/people", token="sup", expect=200,
          headers={"Accept": "text/csv"})
        s("GET", "/v1/teams/nergens/people", token="admin", expect=404)
        s("DELETE", "/v1/tokens/lezer", token="admin", expect=200)
        s("DELETE", "/v1/tokens/lezer", token="admin", expect=404)
        _, _, rt = s("POST", "/v1/routes", {"function": "enforcement", "for_team": "jeugd-noord",
                                            "team": "handhaving"}, token="admin", expect=201)
        s("POST", "/v1/routes", {"function": "enforcement", "for_organisation": "Gemeente Voorbeeld",
                                 "team": "handhaving"}, token="admin", expect=201)
        s("GET", "/v1/routes", token="admin", expect=200)
        s("DELETE", "/v1/routes/%d" % rt["id"], token="admin", expect=200)
        s("DELETE", "/v1/routes/%d" % rt["id"], token="admin", expect=404)
        s("GET", "/v1/routes/log", token="admin", expect=200)
        s("POST", "/v1/retention?dryRun=true&limit=10", token="admin", expect=200)
        s("POST", "/v1/retention", token="admin", expect=200)
        s("GET", "/v1/notifications?status=dead&limit=5", token="admin", expect=200)
        s("POST", "/v1/notifications/1/retry", token="admin")
        s("POST", "/v1/notifications/987654/retry", token="admin", expect=404)
        missing = sorted(set(self.ops) - self.seen)
        self.assertEqual(missing, [], "operations no request went through")


if __name__ == "__main__":
    import unittest
    unittest.main()
