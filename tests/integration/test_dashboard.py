"""The dashboard: its files as termijnd serves them (GET / and /static/NAME,
the shipped files of share/termijn/web and nothing else), what it asks
termijnd (GET /v1/me; what an event needs, in GET /v1/workflows), and the
page itself in Debian's Chromium against a real termijnd with cases in
every situation.

The browser part is tests/browser/dashboard.test.mjs (Playwright's protocol
client, playwright-core, driving /usr/bin/chromium headless, with axe-core
for accessibility), run here with node after `npm ci`.  This file makes the
world it looks at: a termijnd on a fake clock, the people (tokens), the
cases, and a webhook receiver for the youth team (the case pages say which
notifications were sent, wait, or went nowhere), and hands the browser test
where to find them, through the environment, never on a command line.
Screenshots go to the build directory (dashboard-screenshots/).
"""

import json
import os
import shutil
import stat
import urllib.parse
import subprocess
import unittest

from harness import (Daemon, FakeClock, HarnessError, TermijnTestCase,
                     build_dir, local, source_dir, wait_until)
from test_webhooks import Receiver

FAST = {"scheduler": {"recheck_interval": 0.1}}
NOW = local(2026, 3, 17, 10, 0)		# a Tuesday
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
       " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
# The dashboard's files, as the source tree has them: every one is installed and served.
WEB_FILES = sorted(os.listdir(os.path.join(source_dir(), "web")))
BROWSER_DIR = os.path.join(source_dir(), "tests", "browser")
CHROMIUM = "/usr/bin/chromium"


def world(d):
    """People and cases in every situation the dashboard shows, on termijnd
    d whose clock stands at NOW.  Returns {"tokens": {name: secret},
    "admin": the admin's secret, "cases": {reference: id}}."""
    tokens = {
        # The supervisor of the youth team and of enforcement.
        "sup-noord": d.make_token("sup-noord", "supervisor", ["jeugd-noord", "handhaving"]),
        "handhaver-1": d.make_token("handhaver-1", "enforcement", ["handhaving"]),
        "handhaver-2": d.make_token("handhaver-2", "enforcement", ["handhaving"]),
        "jw-noord": d.make_token("jw-noord", "youth_worker", ["jeugd-noord"]),
        "cw-noord": d.make_token("cw-noord", "caseworker", ["jeugd-noord"]),
        "reader-noord": d.make_token("reader-noord", "reader", ["jeugd-noord"]),
        "sup-zuid": d.make_token("sup-zuid", "supervisor", ["jeugd-zuid"]),
        # Signs in, then is revoked.
        "cw-noord-2": d.make_token("cw-noord-2", "caseworker", ["jeugd-noord"]),
    }
    jw, cw, sup_zuid = tokens["jw-noord"], tokens["cw-noord"], tokens["sup-zuid"]
    cases = {}

    def case(ref, workflow, started, team="jeugd-noord", token=jw):
        cases[ref] = d.create_case(workflow=workflow, reference=ref, team=team,
                                   started_at=started, token=token)["id"]
        return cases[ref]

    # Escalated twice, to enforcement, shared with it, waiting in its queue
    # with nobody on it: overdue (the youth worker's 5 working days).
    c = case("Z-2026-0101", "zelfmelding", "2026-01-05")
    d.share(c, "handhaving", "criminal_data", purpose="hennepteelt", token=jw)
    # The same, older, and picked up by the second enforcement officer.
    c = case("Z-2026-0105", "zelfmelding", "2025-12-15")
    d.share(c, "handhaving", "criminal_data", token=jw)
    d.call("POST", "/v1/cases/%d/assign" % c, {"assignee": "handhaver-2"},
           token=tokens["handhaver-2"])
    # The family's 6 weeks passed on 2026-03-09: overdue, escalated to the
    # youth worker, whose own 5 working days end today: at risk.
    case("Z-2026-0102", "zelfmelding", "2026-01-26")
    # A decision due in 13 days: running.
    case("B-2026-0201", "beslistermijn", "2026-02-02", token=cw)
    # A decision period that passed on 2026-03-09: in the overdue queue,
    # assigned to the caseworker.
    c = case("B-2026-0202", "beslistermijn", "2026-01-12", token=cw)
    d.call("POST", "/v1/cases/%d/assign" % c, {"assignee": "cw-noord"}, token=cw)
    # Suspended while the application is completed.
    c = case("B-2026-0203", "beslistermijn", "2026-02-16", token=cw)
    d.event(c, "request_completion", note="Loonstroken over januari ontbreken.", token=cw)
    # Due on Friday: at risk; the supervisor may extend it.
    case("B-2026-0204", "beslistermijn", "2026-01-23", token=cw)
    # Closed: shown nowhere but on its own page.
    c = case("Z-2026-0103", "zelfmelding", "2026-02-09")
    d.event(c, "family_reported", note="Inkomsten gemeld aan de balie.", token=jw)
    d.event(c, "close", token=cw)
    # Enforcement's own order under penalty: the offender's two weeks for
    # a view passed on 2026-03-02; the decision, sent on a date, is due.
    case("L-2026-0301", "last_onder_dwangsom", "2026-02-16", team="handhaving",
         token=tokens["handhaver-1"])
    # Another team's case, overdue: the supervisor of jeugd-noord must never
    # see it.
    case("Z-2026-0901", "zelfmelding", "2026-01-05", team="jeugd-zuid", token=sup_zuid)
    # A team with more at risk than the overview's first page (200) shows,
    # and one suspended deadline behind them.
    tokens["sup-inkomen"] = d.make_token("sup-inkomen", "supervisor", ["inkomen"])
    tokens["cw-inkomen"] = d.make_token("cw-inkomen", "caseworker", ["inkomen"])
    for i in range(201):
        d.create_case(workflow="zelfmelding", reference="I-2026-%04d" % i, team="inkomen",
                      started_at="2026-02-05", token=tokens["cw-inkomen"])
    c = case("I-2026-0900", "beslistermijn", "2026-02-16", team="inkomen",
             token=tokens["cw-inkomen"])
    d.event(c, "request_completion", note="Bankafschriften ontbreken.", token=tokens["cw-inkomen"])
    # A late decision put in default, in a team of its own: 8 weeks from
    # 2025-12-22 end on Monday 16 February; the notice of default came on
    # the 17th, so the penalty runs from 4 March (17 + 15): on the 17th of
    # March 13 days have passed, 13 x 23 = 299 euro, of at most 1,442.
    tokens["sup-t"] = d.make_token("sup-t", "supervisor", ["t"])
    case("D-2026-0401", "dwangsom_niet_tijdig", "2025-12-22", team="t", token=d.token)
    d.call("POST", "/v1/cases/%d/events" % cases["D-2026-0401"],
           {"event": "notice_of_default", "date": "2026-02-17"})
    return {"tokens": tokens, "admin": d.admin_token, "cases": cases}


def browser_test(testcase, d, script, world, *screenshots, what=""):
    """Run tests/browser/SCRIPT in Chromium against d, with WORLD (the
    tokens, cases and the like it needs) in TERMIJN_WORLD; it must pass and
    leave each of SCREENSHOTS (file names) in build/dashboard-screenshots/.
    What it printed."""
    shots = os.path.join(build_dir(), "dashboard-screenshots")
    os.makedirs(shots, exist_ok=True)
    env = dict(os.environ,
               TERMIJN_URL="http://%s:%d" % (d.host, d.port),
               TERMIJN_WORLD=json.dumps(world),
               TERMIJN_SCREENSHOTS=shots,
               TERMIJN_CHROMIUM=CHROMIUM)
    p = run(["node", "--test", "--test-reporter=spec", "--test-concurrency=1",
             script], BROWSER_DIR, env=env)
    out = p.stdout + p.stderr
    print(out)
    testcase.assertEqual(p.returncode, 0, "the browser test failed%s:\n%s"
                         % (what, out[-20000:]))
    for name in screenshots:
        testcase.assertTrue(os.path.getsize(os.path.join(shots, name)) > 10000, name)
    return out


def run(argv, cwd, env=None, timeout=600):
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return p


def npm_ci():
    """tests/browser's packages as package-lock.json fixes them (node_modules
    is not in the repository).  Skipped when node_modules already holds
    exactly that lock."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise HarnessError("the dashboard test needs %s (contrib/install-deps.sh "
                               "test installs nodejs and npm)" % tool)
    lock = os.path.join(BROWSER_DIR, "package-lock.json")
    # What npm last installed there, without the project's own entry.
    installed = os.path.join(BROWSER_DIR, "node_modules", ".package-lock.json")
    if os.path.exists(installed):
        with open(lock) as a, open(installed) as b:
            want = {k: v for k, v in json.load(a)["packages"].items() if k}
            if json.load(b).get("packages") == want:
                return
    p = run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], BROWSER_DIR)
    if p.returncode != 0:
        raise HarnessError("npm ci in tests/browser failed:\n%s%s" % (p.stdout, p.stderr))


class StaticTest(TermijnTestCase):
    """GET / and /static/NAME: the shipped files, and nothing else."""

    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()

    def another(self, datadir):
        """A termijnd of its own (in a directory of its own) whose shipped
        data are in datadir."""
        tmp = os.path.join(self.tmpdir, "other")
        os.makedirs(tmp, exist_ok=True)
        d = Daemon(tmp, env={"TERMIJN_DATADIR": datadir})
        self.addCleanup(d.close)
        return d

    def get(self, path, headers=None):
        return self.d.request("GET", path, token=None, headers=headers)

    def test_index_and_files(self):
        r = self.get("/")
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.headers["content-type"], "text/html; charset=utf-8")
        with open(os.path.join(source_dir(), "web", "index.html"), "rb") as f:
            self.assertEqual(r.raw, f.read())
        types = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
                 "css": "text/css; charset=utf-8", "svg": "image/svg+xml"}
        for name in WEB_FILES:
            r = self.get("/static/" + name)
            self.assertEqual(r.status, 200, name)
            self.assertEqual(r.headers["content-type"], types[name.rsplit(".", 1)[1]], name)
            with open(os.path.join(source_dir(), "web", name), "rb") as f:
                self.assertEqual(r.raw, f.read(), name)

    def test_headers(self):
        r = self.get("/")
        self.assertEqual(r.headers["content-security-policy"], CSP)
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        self.assertEqual(r.headers["x-frame-options"], "DENY")
        self.assertEqual(r.headers["referrer-policy"], "no-referrer")
        self.assertEqual(r.headers["cache-control"], "no-cache")
        self.assertRegex(r.headers["etag"], r'^"[0-9a-f]+-[0-9a-f]+\.[0-9a-f]+"$')
        self.assertRegex(r.headers["last-modified"],
                         r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul"
                         r"|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$")
        # No script or style inside the page: the policy would refuse it.
        text = r.raw.decode()
        self.assertNotIn("<script>", text)
        self.assertNotIn("<style", text)
        self.assertNotIn("style=", text)

    def test_revalidation(self):
        r = self.get("/static/app.js")
        etag, modified = r.headers["etag"], r.headers["last-modified"]
        for headers in ({"If-None-Match": etag}, {"If-None-Match": '"x", ' + etag},
                        {"If-None-Match": "*"}, {"If-Modified-Since": modified}):
            r = self.get("/static/app.js", headers)
            self.assertEqual(r.status, 304, headers)
            self.assertEqual(r.raw, b"", headers)
            self.assertEqual(r.headers["etag"], etag)
        for headers in ({"If-None-Match": '"other"'},
                        {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"},
                        # If-None-Match wins over If-Modified-Since.
                        {"If-None-Match": '"other"', "If-Modified-Since": modified}):
            self.assertEqual(self.get("/static/app.js", headers).status, 200, headers)

    def test_nothing_else(self):
        for path in ("/static/", "/static", "/static/.", "/static/..", "/static/../README.md",
                     "/static/%2e%2e/README.md", "/static/..%2fREADME.md",
                     "/static/%2e%2e%2fREADME.md", "/static/web/index.html",
                     "/static/nothing.js", "/static/README", "/static/.hidden.js",
                     "/static//etc/passwd", "/index.html", "/web/index.html",
                     "/static/index.html/", "/workflows/zelfmelding.yaml",
                     "/static/zelfmelding.yaml", "/static/x/../../README.md",
                     "/static/web%2Findex.html", "/static/a%2f..%2f..%2fREADME.md",
                     "/static/app.js%00.css", "/static/app.js?x=../../"):
            r = self.get(path)
            if path.startswith("/static/app.js?"):
                self.assertEqual(r.status, 200, path)
                continue
            # A "." or ".." segment, percent-encoded or not, is refused
            # before any route (400); anything else is not there (404).
            segments = [urllib.parse.unquote(x) for x in path.split("?")[0].split("/")]
            if "." in segments or ".." in segments:
                self.assertProblem(r, 400)
            else:
                self.assertProblem(r, 404)
        self.assertProblem(self.d.request("POST", "/", "", token=None), 405)
        self.assertProblem(self.d.request("POST", "/static/app.js", "", token=None), 405)

    def test_only_regular_files_of_the_directory(self):
        """A link, a directory or a FIFO in share/termijn/web is not served,
        nor a file over the size limit; a missing directory is a 404."""
        data = os.path.join(self.tmpdir, "share")
        os.makedirs(os.path.join(data, "web", "sub.js"))
        shutil.copy(os.path.join(source_dir(), "data", "atw-decree-days.txt"), data)
        shutil.copy(os.path.join(source_dir(), "web", "index.html"), os.path.join(data, "web"))
        with open(os.path.join(self.tmpdir, "secret.txt"), "w") as f:
            f.write("secret\n")
        os.symlink(os.path.join(self.tmpdir, "secret.txt"), os.path.join(data, "web", "link.js"))
        os.mkfifo(os.path.join(data, "web", "fifo.js"))
        with open(os.path.join(data, "web", "big.js"), "wb") as f:
            f.truncate(4 * 1024 * 1024 + 1)
        d = self.another(data)
        self.assertEqual(d.request("GET", "/", token=None).status, 200)
        for name in ("link.js", "sub.js", "fifo.js", "big.js"):
            self.assertProblem(d.request("GET", "/static/" + name, token=None), 404)
        self.assertTrue(d.healthy())
        d.stop()
        shutil.rmtree(os.path.join(data, "web"))
        d.start()
        self.assertProblem(d.request("GET", "/", token=None), 404, "not installed")

    def test_installed(self):
        """cmake --install puts the files in share/termijn/web, and the
        installed termijnd serves them from there."""
        stage = os.path.join(self.tmpdir, "stage")
        p = run(["cmake", "--install", build_dir(), "--prefix", "/opt/termijn"], None,
                env=dict(os.environ, DESTDIR=stage))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        web = os.path.join(stage, "opt/termijn/share/termijn/web")
        self.assertEqual(sorted(os.listdir(web)), sorted(WEB_FILES))
        for name in WEB_FILES:
            st = os.lstat(os.path.join(web, name))
            self.assertTrue(stat.S_ISREG(st.st_mode), name)
            self.assertEqual(st.st_mode & 0o777, 0o644, name)
        d = self.another(os.path.dirname(web))
        for path, name in [("/", "index.html")] + [("/static/" + n, n) for n in WEB_FILES]:
            r = d.request("GET", path, token=None)
            self.assertEqual(r.status, 200, path)
            with open(os.path.join(web, name), "rb") as f:
                self.assertEqual(r.raw, f.read(), path)


class MeTest(TermijnTestCase):
    """GET /v1/me and what /v1/workflows tells a client about events."""

    def test_me(self):
        d = self.start_daemon()
        t = d.make_token("sup-noord", "supervisor", ["jeugd-noord", "handhaving"])
        me = d.call("GET", "/v1/me", token=t)
        self.assertEqual((me["name"], me["role"], sorted(me["teams"])),
                         ("sup-noord", "supervisor", ["handhaving", "jeugd-noord"]))
        self.assertNotIn("token", me)
        self.assertEqual(d.call("GET", "/v1/me", token=d.admin_token)["role"], "admin")
        self.assertProblem(d.request("GET", "/v1/me", token=None), 401)
        self.assertProblem(d.request("GET", "/v1/me", token="tmj_nonsense"), 401)
        self.assertProblem(d.request("POST", "/v1/me", {}, token=t), 405)
        d.revoke_token("sup-noord")
        self.assertProblem(d.request("GET", "/v1/me", token=t), 401)

    def test_workflow_events_say_what_they_need(self):
        d = self.start_daemon()
        wfs = {w["name"]: w for w in d.call("GET", "/v1/workflows")["workflows"]}

        def event(wf, state, name):
            st = next(s for s in wfs[wf]["states"] if s["name"] == state)
            return next(e for e in st["events"] if e["name"] == name)

        e = event("beslistermijn", "deciding", "extend")
        self.assertEqual((e["roles"], e["reason"], e["date"], e["by"], e["max"]),
                         (["supervisor"], True, False, "P6W", 1))
        e = event("beslistermijn", "deciding", "request_completion")
        self.assertEqual((e["roles"], e["reason"], e["date"]), (["caseworker"], True, False))
        self.assertNotIn("by", e)
        e = event("beslistermijn", "deciding", "decided")
        self.assertEqual((e["roles"], e["reason"], e["date"]), ([], False, False))
        self.assertTrue(event("last_onder_dwangsom", "deciding", "decision_sent")["date"])
        e = event("zelfmelding", "youth_worker_reports", "youth_worker_reported")
        self.assertIn("consent", e["shares"])
        self.assertFalse(e["reason"])


class BrowserTest(TermijnTestCase):
    """The dashboard in Debian's Chromium, headless."""

    # The youth team's webhooks: its supervisor's takes what comes, its
    # youth workers' answers 500, so that theirs wait for a next attempt (a
    # day off at most, with the clock that ticks on from NOW); nobody's for
    # enforcement.  The case pages say which went where.
    HOOKS = [("jeugd-noord", "supervisor", "/jeugd-noord/supervisor"),
             ("jeugd-noord", "youth_worker", "/jeugd-noord/youth_worker")]

    def receiver(self, clock):
        """A webhook receiver, and termijnd's configuration with its hooks."""
        secrets, hooks = {}, []
        for team, role, path in self.HOOKS:
            secret = "secret-of-%s-%s-0123456789" % (team, role)
            key = os.path.join(self.tmpdir, "%s-%s.key" % (team, role))
            with open(key, "w") as f:
                f.write(secret + "\n")
            os.chmod(key, 0o640)
            secrets[path] = secret.encode()
            hooks.append({"team": team, "role": role, "url": path, "secret_file": key})
        rx = Receiver(secrets, clock, failing=["/jeugd-noord/youth_worker"])
        self.addCleanup(rx.stop)
        for h in hooks:
            h["url"] = rx.url(h["url"])
        return rx, dict(FAST, webhooks=hooks,
                        notifier={"attempts": 100, "backoff": 86400, "backoff_max": 86400})

    def test_dashboard(self):
        if not os.access(CHROMIUM, os.X_OK):
            raise HarnessError("no %s: contrib/install-deps.sh test installs chromium"
                               % CHROMIUM)
        npm_ci()
        clock = FakeClock(self.tmpdir, NOW)
        rx, config = self.receiver(clock)
        d = self.start_daemon(clock=clock, config=config, env={"NO_PROXY": "127.0.0.1"})
        w = world(d)
        # Every webhook tried once before the pages are read: sent, or
        # waiting for its next attempt.
        wait_until(lambda: (lambda o: o and all(r["attempts"] >= 1 for r in o))(
            d.call("GET", "/v1/notifications?limit=500", token=d.admin_token)["notifications"]),
            30, 0.1, what="every webhook tried once")
        self.assertTrue(rx.got("/jeugd-noord/supervisor"))
        self.assertTrue(rx.got("/jeugd-noord/youth_worker"))
        self.assertEqual([r["problem"] for r in rx.got()], [None] * len(rx.got()))
        out = browser_test(self, d, "dashboard.test.mjs", w, "overview.png", "queue.png",
                           "case.png", "overview-phone.png")
        # No token reached termijnd's logs (the browser test checks every
        # URL the browser asked for).  stdout is left out: termijnd shows
        # the admin token there once, on purpose.  The messages never
        # repeat a token.
        logs = d.stderr_text() + "\n".join(d.syslog.lines())
        for name, secret in dict(w["tokens"], admin=w["admin"]).items():
            self.assertFalse(secret in logs, "%s's token is in termijnd's logs" % name)
            self.assertFalse(secret in out, "%s's token is in the browser test's output" % name)


if __name__ == "__main__":
    unittest.main()
