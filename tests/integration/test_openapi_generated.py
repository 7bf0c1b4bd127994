"""Requests generated from docs/openapi.json against a real termijnd.

A property-based run: for every operation of the document, requests whose
parameters and bodies are drawn from the document's own schemas (enums,
patterns, formats, bounds, nullable and optional members, the names
termijnd knows and names it does not), sent with tokens of every kind
through Prism (tests/openapi) in front of a real termijnd.  The properties:
termijnd never fails (no 5xx), and every answer is one the document
describes (Prism finds no violation in it); a request the document allows
and termijnd takes is never one Prism calls invalid.

The draw is seeded (TERMIJN_OPENAPI_SEED, 17 by default) so that a failure
can be repeated; the failing request is in the message.
"""

import datetime
import http.client
import json
import os
import random
import re
import urllib.parse

from harness import Prism, TermijnTestCase, openapi_document, openapi_operations, violations

PER_OPERATION = int(os.environ.get("TERMIJN_OPENAPI_DRAWS", "8"))
SEED = int(os.environ.get("TERMIJN_OPENAPI_SEED", "17"))

# Names termijnd knows in this world, and some it does not.
NAMES = ["jeugd-noord", "jeugd-zuid", "inkomen", "handhaving", "t", "zelfmelding",
         "beslistermijn", "stabilisatie", "last_onder_dwangsom", "awaiting_self_report",
         "deciding", "enforcement", "family_reported", "request_completion", "close",
         "consent", "criminal_data", "inquiry", "Gemeente Voorbeeld", "nobody",
         "a/b", "x" * 64, "x" * 65, "Z-2026-0001", "P5D", "PT48H", "2 weeks", "never",
         "caseworker", "supervisor", "reader", "feed", "admin"]
ODD = ["", " ", "é", "\u00e9\u00e9n", "a b", "0", "-1", "\u2028", "{}", "%00", "' OR 1=1 --",
       "<script>", "\U0001F600", "z" * 300]


class Draw:
    """Values from the document's schemas."""

    def __init__(self, doc, rng, ids):
        self.doc = doc
        self.rng = rng
        self.ids = ids

    def resolve(self, s):
        while "$ref" in s:
            node = self.doc
            for part in s["$ref"][2:].split("/"):
                node = node[part]
            s = node
        return s

    def string(self, s, name):
        r = self.rng
        fmt = s.get("format")
        if fmt == "date":
            return r.choice(["1970-01-02", "9999-12-31", "2026-02-28", "2026-03-29",
                             "2026-10-25", "2024-02-29",
                             (datetime.date(2026, 1, 1) + datetime.timedelta(
                                 days=r.randrange(-400, 400))).isoformat()])
        if fmt == "date-time":
            return r.choice(["2026-03-29T02:30:00+01:00", "2026-10-25T02:30:00+02:00",
                             "1970-01-02T00:00:00Z", "2026-05-01T12:00:00.123+02:00"])
        pool = list(NAMES) + list(ODD)
        if name in ("from", "started_at", "date") or "pattern" in s and "T" in s["pattern"]:
            pool += ["2026-01-05", "2026-11-28T14:00", "2026-03-29T02:30", "2026-10-25T02:30",
                     "2026-01-05T10:00:00+01:00", "2026-02-30", "1970-01-01", "9999-12-31",
                     "2099-01-01", "2026-01-05T10:00Z"]
        if name in ("period", "within", "expires"):
            pool += ["P6W", "P42D", "P3M", "P1Y", "PT48H", "6 weeks", "P0D", "P9999Y", "P1W2D"]
        pat = s.get("pattern")
        if pat:
            pool = [v for v in pool if re.search(pat, v)] or [s.get("example", "x")]
        lo, hi = s.get("minLength", 0), s.get("maxLength", 10 ** 6)
        pool = [v for v in pool if lo <= len(v) <= hi] or ["x" * max(lo, 1)]
        return r.choice(pool)

    def value(self, schema, name=None, depth=0):
        r = self.rng
        s = self.resolve(schema)
        for key in ("anyOf", "oneOf"):
            if key in s:
                return self.value(r.choice(s[key]), name, depth)
        if s.get("nullable") and r.random() < 0.15:
            return None
        if "enum" in s:
            return r.choice(s["enum"])
        t = s.get("type")
        if t == "string":
            return self.string(s, name)
        if t in ("integer", "number"):
            lo, hi = s.get("minimum", -2 ** 31), s.get("maximum", 2 ** 53)
            pool = [lo, hi, lo + 1, 0, 1, 2, 17, 500, 987654, 2 ** 31, 2 ** 53 - 1] + self.ids
            v = r.choice([v for v in pool if lo <= v <= hi] or [lo])
            return v if t == "integer" or r.random() < 0.5 else v + 0.5 if v + 0.5 <= hi else v
        if t == "boolean":
            return r.random() < 0.5
        if t == "array":
            return [self.value(s["items"], name, depth + 1) for _ in range(r.randrange(0, 3))]
        if t == "object" or "properties" in s:
            out = {}
            for k, sub in s.get("properties", {}).items():
                if k in s.get("required", ()) or r.random() < 0.5:
                    out[k] = self.value(sub, k, depth + 1)
            return out
        return r.choice(NAMES)

    def param(self, p, name=None):
        v = self.value(p["schema"], p["name"])
        if isinstance(v, bool):
            return "true" if v else "false"
        if v is None:
            return ""
        return str(v)


class GeneratedTest(TermijnTestCase):
    def test_generated_requests(self):
        d = self.start_daemon()
        tokens = {
            "worker": d.token, "admin": d.admin_token,
            "sup": d.make_token("sup", "supervisor", ["jeugd-noord", "inkomen"]),
            "reader": d.make_token("reader", "reader", ["jeugd-noord"]),
            "feed": d.make_token("feed", "feed", ["jeugd-noord"]),
        }
        ids = [d.create_case(started_at="2026-01-05")["id"],
               d.create_case(workflow="beslistermijn", team="inkomen")["id"],
               d.create_case(workflow="stabilisatie")["id"]]
        prism = Prism(self.tmpdir, "%s:%d" % (d.host, d.port), errors=False)
        self.addCleanup(prism.close)
        doc = openapi_document()
        rng = random.Random(SEED)
        draw = Draw(doc, rng, ids)
        conn = http.client.HTTPConnection("127.0.0.1", prism.port, timeout=60)
        self.addCleanup(conn.close)
        failures = []
        sent = 0
        operations = [(m.upper(), (item.get("servers") or doc["servers"])[0]["url"].rstrip("/")
                       + key, item, op)
                      for key, item in doc["paths"].items() for m, op in item.items()
                      if m in ("get", "post", "put", "patch", "delete")]
        self.assertEqual(len(operations), len(openapi_operations(doc)))
        for method, template, item, op in operations:
            params = [draw.resolve(p) for p in item.get("parameters", []) + op.get("parameters", [])]
            for _ in range(PER_OPERATION):
                path = template
                query, headers = [], {}
                for p in params:
                    if p["in"] == "path":
                        v = draw.param(p)
                        if p["schema"].get("type") == "integer" and rng.random() < 0.7:
                            v = str(rng.choice(ids))
                        path = path.replace("{%s}" % p["name"], urllib.parse.quote(v, safe=""))
                    elif p.get("required") or rng.random() < 0.5:
                        v = draw.param(p)
                        if p["in"] == "query":
                            query.append((p["name"], v))
                        elif p["in"] == "header" and v.isprintable() and v.isascii() \
                                and v.strip() == v and v:
                            headers[p["name"]] = v
                if query:
                    path += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
                who = rng.choice(list(tokens) + [None])
                if who is not None and not (who == "feed" and "token=" in path):
                    headers["Authorization"] = "Bearer " + tokens[who]
                body = None
                if "requestBody" in op:
                    schema = op["requestBody"]["content"]["application/json"]["schema"]
                    body = json.dumps(draw.value(schema)).encode()
                    headers["Content-Type"] = "application/json"
                try:
                    conn.request(method, path, body=body, headers=headers)
                    resp = conn.getresponse()
                    raw = resp.read()
                except (http.client.HTTPException, OSError) as e:
                    conn.close()
                    failures.append("%s %s %r: %s" % (method, path, body, e))
                    continue
                sent += 1
                hdrs = {k.lower(): v for k, v in resp.getheaders()}
                found = violations(hdrs)
                answer = [v for v in found if v.get("location", [""])[0] == "response"]
                asked = [v for v in found if v.get("location", [""])[0] != "response"]
                if resp.status >= 500 or answer or (asked and resp.status < 400):
                    failures.append("%s %s (token %s) body %s -> %d %s; violations %s" % (
                        method, path, who, body, resp.status, raw[:300], json.dumps(found)))
        self.assertGreater(sent, 0)
        self.assertEqual(failures, [], "seed %d: %d of %d requests" % (SEED, len(failures), sent))
        self.assertTrue(d.healthy())


if __name__ == "__main__":
    import unittest
    unittest.main()
