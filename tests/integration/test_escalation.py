"""The escalation arrives: a municipality with a youth team, an income team,
an enforcement team and a housing partner, acted out against a real
termijnd, its real database and a real webhook receiver.

When a case escalates to enforcement (a deadline passing, the youth
worker's report, 'unsafe'), the team the administrator routed the function
to takes part on the basis the workflow declares, finds the case in its
queue, and its receiver gets one signed CloudEvent.  Where no team fills
the function the case moves all the same, and says so: the answer's
warning, the case's mark, the metric.  The team leaves with unshare and
the case is a 404 to it again.  Every step is in the audit chain."""

import json
import os
import sqlite3
import subprocess
import time

from harness import (FakeClock, TermijnTestCase, audit_verify, local,
                     prometheus_samples, run_termijnctl, termijnctl_path,
                     wait_until)
from test_webhooks import SOURCE, Receiver


class EscalationTest(TermijnTestCase):

    def start(self, when=None):
        self.clock = FakeClock(self.tmpdir, when or local(2026, 1, 5, 10, 0))
        path = os.path.join(self.tmpdir, "handhaving.key")
        with open(path, "w") as f:
            f.write("secret-of-handhaving\n")
        os.chmod(path, 0o640)
        self.rx = Receiver({"/handhaving": b"secret-of-handhaving"}, self.clock)
        self.addCleanup(self.rx.stop)
        config = {"scheduler": {"recheck_interval": 0.05},
                  "notifier": {"source": SOURCE},
                  "webhooks": [{"team": "handhaving", "role": "enforcement",
                                "url": self.rx.url("/handhaving"),
                                "secret_file": path}]}
        self.d = self.start_daemon(clock=self.clock, config=config,
                                   env={"NO_PROXY": "127.0.0.1"})
        self.handhaver = self.d.make_token("handhaver", "enforcement", ["handhaving"])
        self.jw = self.d.make_token("jw", "youth_worker", ["jeugd-noord"])
        return self.d

    def ctl(self, *args, token=None):
        r = subprocess.run([termijnctl_path(), "--url", "http://%s:%d" % (self.d.host, self.d.port),
                            "--token", token or self.d.admin_token] + list(args),
                           capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        return r.returncode, r.stdout, r.stderr

    def route(self, function, team, owner=None, org=None):
        args = ["team", "route", function, "--team", team]
        args += ["--for", owner] if owner else ["--for-organisation", org]
        rc, out, err = self.ctl(*args)
        self.assertEqual(rc, 0, err)
        return out

    def queue(self, token):
        return [i["case"] for i in self.d.call("GET", "/v1/queue", token=token)["queue"]]

    def participants(self, cid):
        return {p["team"]: p for p in
                self.d.call("GET", "/v1/cases/%d/participants" % cid)["participants"]}

    def one_webhook(self, cid):
        """Exactly one signed CloudEvent for the case at enforcement's receiver."""
        wait_until(lambda: self.rx.got("/handhaving"), 5, what="enforcement's webhook")
        time.sleep(0.5)         # a second one would have come by now
        got = [r for r in self.rx.got("/handhaving") if r["event"]["data"]["case"] == cid]
        self.assertEqual(len(got), 1, [r["event"] for r in got])
        self.assertIsNone(got[0]["problem"])
        return got[0]["event"]

    def assert_audited(self):
        rc, out = audit_verify(self.d.db)
        self.assertEqual(rc, 0, out)

    # -- a deadline passes -------------------------------------------------

    def test_both_deadlines_pass_and_enforcement_has_the_case(self):
        d = self.start()
        out = self.route("enforcement", "handhaving", owner="jeugd-noord")
        self.assertIn("handhaving", out)
        cid = d.create_case(workflow="zelfmelding", reference="Z-2026-0101")["id"]
        self.assertEqual(d.request("GET", "/v1/cases/%d" % cid, token=self.handhaver).status, 404)

        # The family's 6 weeks, then the youth worker's 5 working days.
        self.clock.set(local(2026, 2, 25, 0, 0, 1))
        d.wait_state(cid, "enforcement")
        c = d.call("GET", "/v1/cases/%d" % cid, token=self.handhaver)
        self.assertEqual(c["state"], "enforcement")
        self.assertEqual(c["unrouted"], [])
        self.assertIn(cid, self.queue(self.handhaver))
        p = self.participants(cid)["handhaving"]
        self.assertEqual((p["basis"], p["added_by"]), ("inquiry", "termijnd"))
        self.assertIn("handhaving onderzoekt", p["purpose"])

        # One webhook, the rung at the due moment; entering the state does
        # not tell enforcement a second time.
        ev = self.one_webhook(cid)
        self.assertEqual((ev["type"], ev["data"]["team"], ev["data"]["role"]),
                         ("nl.termijn.deadline.passed", "handhaving", "enforcement"))

        # The sharing step is a transition with its basis and team.
        ts = d.transitions(cid)
        share = [t for t in ts if t["cause"] == "share"]
        self.assertEqual(len(share), 1, ts)
        self.assertEqual((share[0]["team"], share[0]["basis"], share[0]["actor"]),
                         ("handhaving", "inquiry", "termijnd"))

        # Enforcement leaves: the case is theirs no more.
        d.call("DELETE", "/v1/cases/%d/participants/handhaving" % cid,
               {"note": "afgehandeld"}, token=self.handhaver)
        self.assertEqual(d.request("GET", "/v1/cases/%d" % cid, token=self.handhaver).status, 404)
        self.assertNotIn(cid, self.queue(self.handhaver))
        self.assert_audited()

    def test_a_correction_of_the_escalation_takes_the_team_out_again(self):
        d = self.start()
        self.route("enforcement", "handhaving", owner="jeugd-noord")
        sup = d.make_token("sup", "supervisor", ["jeugd-noord"])
        cid = d.create_case(workflow="zelfmelding", reference="Z-2026-0110")["id"]
        self.clock.set(local(2026, 2, 25, 0, 0, 1))
        d.wait_state(cid, "enforcement")
        self.assertIn(cid, self.queue(self.handhaver))
        # The youth worker did report on time; nobody recorded it.
        c = d.call("POST", "/v1/cases/%d/corrections" % cid,
                   {"reason": "melding was op tijd, niet vastgelegd"}, token=sup)
        self.assertEqual(c["state"], "youth_worker_reports")
        self.assertEqual([p["team"] for p in c["participants"]], [])
        self.assertEqual(d.request("GET", "/v1/cases/%d" % cid, token=self.handhaver).status, 404)
        ts = d.transitions(cid)
        self.assertEqual([(t["cause"], t.get("team"), t["actor"]) for t in ts[-2:]],
                         [("correction", None, "sup"), ("unshare", "handhaving", "sup")])
        self.assert_audited()

    # -- events bring enforcement in at once -------------------------------

    def test_the_youth_workers_report_brings_enforcement_in_on_its_basis(self):
        d = self.start()
        self.route("enforcement", "handhaving", owner="jeugd-noord")
        cid = d.create_case(workflow="zelfmelding", reference="Z-2026-0192")["id"]
        self.clock.set(local(2026, 2, 17, 0, 0, 1))
        d.wait_state(cid, "youth_worker_reports")
        c = d.call("POST", "/v1/cases/%d/events" % cid,
                   {"event": "youth_worker_reported", "basis": "criminal_data"},
                   token=self.jw)
        self.assertEqual(c["state"], "enforcement")
        self.assertNotIn("warnings", c)
        self.assertIn(cid, self.queue(self.handhaver))
        self.assertEqual(self.participants(cid)["handhaving"]["added_by"], "jw")
        ts = [t for t in d.transitions(cid) if t["cause"] == "share"]
        self.assertEqual([(t["team"], t["basis"]) for t in ts],
                         [("handhaving", "criminal_data")])
        # What the workflow declares, for the clients that show it.
        wf = [w for w in d.call("GET", "/v1/workflows")["workflows"]
              if w["name"] == "zelfmelding"][0]
        st = {s["name"]: s for s in wf["states"]}
        self.assertEqual([(j["function"], j["basis"]) for j in st["enforcement"]["joins"]],
                         [("enforcement", "inquiry")])
        self.assertEqual(st["enforcement"]["notify"], ["enforcement"])
        ev_joins = [e for e in st["youth_worker_reports"]["events"]
                    if e["name"] == "youth_worker_reported"][0]["joins"]
        self.assertEqual([(j["function"], j["basis"]) for j in ev_joins], [("enforcement", None)])
        ev = self.one_webhook(cid)
        self.assertEqual((ev["type"], ev["data"]["entered"], ev["data"]["role"]),
                         ("nl.termijn.case.entered", "enforcement", "enforcement"))
        self.assertNotIn("deadline", ev["data"])
        self.assert_audited()

    def test_unsafe_brings_enforcement_in_at_once(self):
        d = self.start()
        self.route("enforcement", "handhaving", owner="jeugd-noord")
        cid = d.create_case(workflow="stabilisatie", reference="S-2026-0007")["id"]
        c = d.call("POST", "/v1/cases/%d/events" % cid, {"event": "unsafe"}, token=self.jw)
        self.assertEqual(c["state"], "enforcement")
        self.assertEqual(c["participants"][0]["team"] if c["participants"] else None,
                         "handhaving")
        self.assertEqual(self.participants(cid)["handhaving"]["basis"], "reporting_code")
        self.assertIn(cid, self.queue(self.handhaver))
        ev = self.one_webhook(cid)
        self.assertEqual(ev["type"], "nl.termijn.case.entered")
        self.assert_audited()

    # -- nobody fills the function -----------------------------------------

    def test_unrouted_moves_the_case_and_says_so(self):
        d = self.start()
        cid = d.create_case(workflow="stabilisatie", reference="S-2026-0008")["id"]
        c = d.call("POST", "/v1/cases/%d/events" % cid, {"event": "unsafe"}, token=self.jw)
        self.assertEqual(c["state"], "enforcement")
        warn = [w for w in c.get("warnings", []) if w["code"] == "unrouted"]
        self.assertEqual(len(warn), 1, c)
        self.assertEqual(warn[0]["functions"], ["enforcement"])
        self.assertIn("team route enforcement --for jeugd-noord", warn[0]["detail"])
        self.assertEqual(c["unrouted"], ["enforcement"])
        self.assertEqual(c["function_titles"], {"enforcement": "handhaving"})
        self.assertEqual(self.participants(cid), {})
        self.assertEqual(self.rx.got(), [])
        # The owner's queue shows the mark.
        q = d.call("GET", "/v1/queue", token=self.jw)["queue"]
        self.assertEqual([i["unrouted"] for i in q if i["case"] == cid], [["enforcement"]])

        def metric():
            s = prometheus_samples(d.request("GET", "/metrics",
                                                   token=d.admin_token).raw.decode())
            return s if s.get("termijn_cases_unrouted") == 1 else None
        rc, out, err = self.ctl("case", "show", str(cid), token=self.jw)
        self.assertEqual(rc, 0, err)
        self.assertIn("unrouted: no team fills enforcement for team jeugd-noord", out)
        rc, out, err = self.ctl("queue", token=self.jw)
        self.assertEqual(rc, 0, err)
        # The state by its title; the function, which a route names, by name.
        self.assertIn("Bij handhaving (no team for enforcement)", out)
        s = wait_until(metric, 10, what="termijn_cases_unrouted 1")
        self.assertEqual(s["termijn_joins_unrouted_total"], 1)

        # Routed now: the team joins the case that waited, on the state's
        # basis, and hears of it; the mark goes.
        out = self.route("enforcement", "handhaving", owner="jeugd-noord")
        self.assertIn("handhaving now takes part in 1 case(s)", out)
        c = d.call("GET", "/v1/cases/%d" % cid, token=self.handhaver)
        self.assertEqual(c["unrouted"], [])
        self.assertEqual(self.participants(cid)["handhaving"]["basis"], "enforcement_task")
        self.assertEqual([t["actor"] for t in d.transitions(cid) if t["cause"] == "share"],
                         ["admin"])
        self.assertIn(cid, self.queue(self.handhaver))
        self.assertEqual(self.one_webhook(cid)["type"], "nl.termijn.case.entered")
        wait_until(lambda: prometheus_samples(d.request("GET", "/metrics",
                                                   token=d.admin_token).raw.decode())
                   .get("termijn_cases_unrouted") == 0, 10, what="termijn_cases_unrouted 0")
        self.assert_audited()

    # -- a regional team, routes by organisation ---------------------------

    def test_a_regional_team_serves_several_municipalities(self):
        d = self.start()
        d.add_team("west-jeugd", "Jeugdteam West", organisation="Gemeente West")
        d.add_team("oost-jeugd", "Jeugdteam Oost", organisation="Gemeente Oost")
        d.add_team("oost-wijk", "Wijkteam Oost", organisation="Gemeente Oost")
        d.add_team("regio-handhaving", "Handhaving regio")
        d.add_team("wonen-fraude", "Woonfraude corporatie")
        self.route("enforcement", "regio-handhaving", org="Gemeente West")
        self.route("enforcement", "regio-handhaving", org="Gemeente Oost")
        # One team of Oost has its own: the team's route wins.
        self.route("enforcement", "handhaving", owner="oost-wijk")
        w = d.make_token("w", "youth_worker", ["west-jeugd", "oost-jeugd", "oost-wijk"])
        regio = d.make_token("regio", "enforcement", ["regio-handhaving"])
        cases = {}
        for team in ("west-jeugd", "oost-jeugd", "oost-wijk"):
            cases[team] = d.create_case(workflow="stabilisatie", team=team, token=w,
                                        reference="S-%s" % team)["id"]
            d.call("POST", "/v1/cases/%d/events" % cases[team], {"event": "unsafe"},
                   token=w)
        self.assertEqual(sorted(self.queue(regio)),
                         sorted([cases["west-jeugd"], cases["oost-jeugd"]]))
        self.assertEqual(self.queue(self.handhaver), [cases["oost-wijk"]])

        rc, out, err = self.ctl("team", "routes")
        self.assertEqual(rc, 0, err)
        self.assertIn("organisation Gemeente West", out)
        self.assertIn("team oost-wijk", out)
        self.assert_audited()

    # -- the administrator's routes ----------------------------------------

    def test_routes_are_the_administrators_and_logged(self):
        d = self.start()
        # Not for others; typos named; one route per function and owner.
        r = d.request("POST", "/v1/routes", {"function": "enforcement", "for_team": "jeugd-noord",
                                             "team": "handhaving"}, token=self.jw)
        self.assertProblem(r, 403, "admin")
        for body, words in (
                ({"function": "enforcement", "for_team": "jeugd-noord", "team": "handhavng"},
                 ("handhavng",)),
                ({"function": "enforcement", "for_organisation": "Gemeente Nergens",
                  "team": "handhaving"}, ("Gemeente Nergens",)),
                ({"function": "Enforcement!", "for_team": "jeugd-noord", "team": "handhaving"},
                 ("function",)),
                ({"function": "enforcement", "team": "handhaving"}, ("for_team",)),
                ({"function": "enforcement", "for_team": "handhaving", "team": "handhaving"},
                 ("handhaving",)),
                ({"function": "enforcement", "for_team": "jeugd-noord", "team": "handhaving",
                  "extra": 1}, ("extra",))):
            self.assertProblem(d.request("POST", "/v1/routes", body, token=d.admin_token),
                               400, *words)
        self.assertEqual(d.call("GET", "/v1/routes", token=d.admin_token)["routes"], [])
        self.route("enforcement", "handhaving", owner="jeugd-noord")
        r = d.request("POST", "/v1/routes", {"function": "enforcement", "for_team": "jeugd-noord",
                                             "team": "inkomen"}, token=d.admin_token)
        self.assertProblem(r, 409, "remove that route first")

        rc, out, err = self.ctl("team", "unroute", "enforcement", "--for", "jeugd-noord")
        self.assertEqual(rc, 0, err)
        self.assertIn("no longer goes to handhaving", out)
        self.assertEqual(d.call("GET", "/v1/routes", token=d.admin_token)["routes"], [])
        log = d.call("GET", "/v1/routes/log", token=d.admin_token)["log"]
        self.assertEqual([(l["change"], l["function"], l["team"], l["by"]) for l in log],
                         [("set", "enforcement", "handhaving", "admin"),
                          ("removed", "enforcement", "handhaving", "admin")])
        rc, out, err = self.ctl("team", "routes", "--log")
        self.assertEqual(rc, 0, err)
        self.assertIn("removed", out)
        d.close()
        # The log cannot be rewritten behind termijn's back.
        con = sqlite3.connect(d.db)
        try:
            with self.assertRaisesRegex(sqlite3.DatabaseError, "append-only"):
                con.execute("DELETE FROM route_log")
        finally:
            con.close()

        # Offline, on the database itself.
        p = run_termijnctl("team", "route", "enforcement", "--team", "handhaving",
                           "--for", "jeugd-zuid", "--db", d.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run_termijnctl("--json", "team", "routes", "--db", d.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([(r["function"], r["for_team"], r["team"])
                          for r in json.loads(p.stdout)["routes"]],
                         [("enforcement", "jeugd-zuid", "handhaving")])
