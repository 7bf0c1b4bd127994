"""What if: POST /v1/simulate and termijnctl simulate against a real termijnd.

A simulation must say what a real case will do.  So each scenario here is
simulated first, then played on a real case of the same workflow: the case is
registered and driven through the same events, with termijnd's wall clock
moved (libfaketime) to each event and past the last deadline, and the two
are compared: the states entered and when, the due dates of every
deadline, and every notification the rungs sent, to whom and when.  A few
dates are written from the law (Awb 4:13, the Algemene termijnenwet) rather
than from termijn's answer.  Bad input is refused with a message that names
it, and a simulation, good or bad, stores no case and logs no read."""

import datetime
import json
import os
import sqlite3
import subprocess

from harness import (FakeClock, TermijnTestCase, local, source_dir,
                     termijnctl_path, wait_until)

CONFIG = {"scheduler": {"recheck_interval": 0.05}}

# Events as (name, local time, body extra, who records it).  The second
# scenario's youth worker reports on a basis, as the workflow demands.
BESLIS = {
    "workflow": "beslistermijn",
    "start": local(2026, 1, 5, 9, 0),
    "events": [
        ("request_completion", local(2026, 1, 12, 10, 0),
         {"note": "loonstrook ontbreekt"}, "worker"),
        ("completed", local(2026, 1, 26, 9, 0), {}, "worker"),
        ("extend", local(2026, 3, 2, 11, 0),
         {"note": "advies van de GGD nodig"}, "chef"),
        ("decided", local(2026, 5, 4, 11, 0), {}, "worker"),
    ],
}
ZELF = {
    "workflow": "zelfmelding",
    "start": local(2026, 1, 5, 10, 0),
    "events": [
        ("youth_worker_reported", local(2026, 2, 19, 14, 0),
         {"basis": "consent"}, "jw"),
        ("close", local(2026, 3, 2, 9, 30), {}, "worker"),
    ],
}

# The objection procedure: posted on time and received on the last day of
# the week after the bezwaartermijn, an omission repaired, deferred once.
BEZWAAR = {
    "workflow": "bezwaar",
    "start": local(2026, 11, 13, 9, 0),
    "events": [
        ("objection_received_by_post", local(2027, 1, 4, 15, 0),
         {"note": "poststempel 2026-12-28", "date": "2027-01-04"}, "worker"),
        ("repair_requested", local(2027, 1, 12, 10, 0),
         {"note": "gronden ontbreken"}, "worker"),
        ("repaired", local(2027, 1, 20, 10, 0), {}, "worker"),
        ("postponed", local(2027, 2, 10, 11, 0), {"note": "hoorzitting"}, "chef"),
        ("decided", local(2027, 3, 15, 11, 0), {}, "worker"),
    ],
}
# An application completed insufficiently, and not processed (Awb 4:5 lid 4).
AANVRAAG = {
    "workflow": "aanvraag_hersteltermijn",
    "start": local(2026, 3, 2, 9, 0),
    "events": [
        ("request_completion", local(2026, 4, 2, 10, 0),
         {"note": "bouwtekening ontbreekt"}, "worker"),
        ("completed", local(2026, 4, 14, 10, 0), {}, "worker"),
        ("not_completed", local(2026, 4, 14, 16, 0), {"date": "2026-04-14"}, "worker"),
        ("not_processed", local(2026, 5, 11, 10, 0), {}, "worker"),
    ],
}


def stamp(dt):
    """A local time as a client types it."""
    return dt.strftime("%Y-%m-%dT%H:%M")


def minute(ts):
    """A timestamp to the minute: an event takes effect when it is recorded,
    which on the real case is some milliseconds after the clock was set."""
    return ts[:16] + ts[-6:] if ts else ts


class SimulateTest(TermijnTestCase):

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=CONFIG)
        self.tokens = {
            "worker": self.d.token,
            "chef": self.d.make_token("chef", "supervisor", ["jeugd-noord"]),
            "jw": self.d.make_token("jw", "youth_worker", ["jeugd-noord"]),
        }
        return self.d

    def simulate(self, body, token=None, expect=200, headers=None):
        r = self.d.request("POST", "/v1/simulate", body, headers=headers,
                           token=token if token is not None else self.d.token)
        self.assertEqual(r.status, expect, r.raw)
        return r

    def body_of(self, sc):
        return {"workflow": sc["workflow"], "start": stamp(sc["start"]),
                "events": [dict({"event": n, "date": stamp(t)},
                                **({"note": x["note"]} if "note" in x else {}),
                                **({"basis": x["basis"]} if "basis" in x else {}))
                           for n, t, x, _ in sc["events"]]}

    def counts(self):
        con = sqlite3.connect(self.d.db)
        try:
            return tuple(con.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                         for t in ("cases", "transitions", "reads", "deadlines",
                                   "rungs", "notifications"))
        finally:
            con.close()

    def settle(self):
        """Wait until termijnd fired every rung due by the faked now."""
        now = int(self.clock.now().timestamp() * 1000)

        def done():
            con = sqlite3.connect(self.d.db)
            try:
                return con.execute("SELECT count(*) FROM rungs WHERE fired_at IS NULL"
                                   " AND due <= ?", (now,)).fetchone()[0] == 0
            finally:
                con.close()
        wait_until(done, 10, what="the rungs due by %s fired" % now)

    # -- comparing a simulation with a real case ---------------------------

    @staticmethod
    def steps(transitions):
        return [(t["from"], t["to"], t["cause"], t["event"], minute(t["at"]))
                for t in transitions if t["cause"] in ("create", "event", "deadline")]

    @staticmethod
    def notes(notifications):
        return [(n["role"], n["deadline"], n["rung"], n["seq"],
                 minute(n["at"]) if n.get("entered") else n["at"])
                for n in notifications]

    def drive(self, sc, until):
        """The scenario on a real case; returns its transitions, every due date
        a snapshot showed per (state, deadline), and its notifications."""
        dues = {}

        def snapshot(case):
            for dl in case["deadlines"]:
                if dl["running"]:
                    dues[(dl["state"], dl["name"])] = dl["due"]

        self.clock.set(sc["start"] + datetime.timedelta(seconds=1))
        case = self.d.call("POST", "/v1/cases", {
            "workflow": sc["workflow"], "reference": "W-2026-%s" % sc["workflow"][:4],
            "team": "jeugd-noord", "started_at": stamp(sc["start"])}, expect=201)
        cid = case["id"]
        snapshot(case)
        for name, when, extra, who in sc["events"]:
            self.clock.set(when)
            self.settle()
            snapshot(self.d.call("GET", "/v1/cases/%d" % cid))
            case = self.d.call("GET", "/v1/cases/%d" % cid)
            if case["queue"] and case["assignee"] is None:
                self.d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "worker"})
            body = dict({"event": name}, **extra)
            case = self.d.call("POST", "/v1/cases/%d/events" % cid, body,
                               token=self.tokens[who])
            snapshot(case)
        self.clock.set(until)
        self.settle()
        case = self.d.call("GET", "/v1/cases/%d" % cid)
        snapshot(case)
        trs = self.d.call("GET", "/v1/cases/%d/transitions" % cid)["transitions"]
        return case, trs, dues

    def check_same(self, sc):
        sim = self.simulate(self.body_of(sc)).body
        until = datetime.datetime.fromisoformat(sim["until"]) + datetime.timedelta(seconds=1)
        case, trs, dues = self.drive(sc, until)
        self.assertEqual(self.steps(sim["transitions"]), self.steps(trs))
        self.assertEqual(sim["state"], case["state"])
        self.assertEqual(sim["final"], case["final"])
        self.assertEqual({(dl["state"], dl["name"]): dl["due"] for dl in sim["deadlines"]},
                         dues)
        self.assertEqual(self.notes(sim["notifications"]), self.notes(case["notifications"]))
        return sim

    def test_beslistermijn_as_a_real_case(self):
        self.start(BESLIS["start"] - datetime.timedelta(minutes=5))
        sim = self.check_same(BESLIS)
        # From the law: 8 weeks from Monday 5 January 2026 end on Monday 2
        # March; suspended from the day after the request (13 January) until
        # it was completed on 26 January, which the workflow counts as
        # suspended too (resume_day_suspended): 14 days, so 16 March;
        # extended once by 6 weeks: Monday 27 April, King's Day (Atw art. 3),
        # so Tuesday 28 April; overdue from Wednesday 29 April.
        dl = sim["deadlines"][0]
        self.assertEqual(dl["due"], "2026-04-28")
        self.assertEqual(dl["overdue_from"], "2026-04-29T00:00:00+02:00")
        self.assertEqual([t["to"] for t in sim["transitions"]],
                         ["deciding", "deciding", "deciding", "deciding", "overdue",
                          "overdue", "decided"])
        self.assertEqual(sim["ended"], "final")

    def test_zelfmelding_as_a_real_case(self):
        self.start(ZELF["start"] - datetime.timedelta(minutes=5))
        sim = self.check_same(ZELF)
        # 6 weeks (an agreement: plain) from Monday 5 January end on Monday
        # 16 February; the youth worker's 5 working days from Tuesday 17
        # February end on Tuesday 24 February, but the report came first.
        self.assertEqual([dl["due"] for dl in sim["deadlines"]],
                         ["2026-02-16", "2026-02-24"])
        self.assertTrue(sim["deadlines"][1]["stopped"])
        self.assertEqual(sim["transitions"][1]["at"], "2026-02-17T00:00:00+01:00")
        self.assertEqual(sim["state"], "closed")

    def ctl_same(self, sc, sim):
        """termijnctl simulate, offline on the shipped file, gives the dates
        and states the API gave (and the real case had)."""
        path = os.path.join(source_dir(), "workflows", sc["workflow"] + ".yaml")
        args = ["--start", stamp(sc["start"])]
        for name, when, _, _ in sc["events"]:
            args += ["--event", "%s@%s" % (name, stamp(when))]
        r = self.ctl("--json", "simulate", path, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        off = json.loads(r.stdout)
        self.assertEqual([(dl["name"], dl["due"]) for dl in off["deadlines"]],
                         [(dl["name"], dl["due"]) for dl in sim["deadlines"]])
        self.assertEqual(self.steps(off["transitions"]), self.steps(sim["transitions"]))
        self.assertEqual(self.notes(off["notifications"]), self.notes(sim["notifications"]))

    def test_bezwaar_as_a_real_case(self):
        self.start(BEZWAAR["start"] - datetime.timedelta(minutes=5))
        sim = self.check_same(BEZWAAR)
        self.ctl_same(BEZWAAR, sim)
        # From the law: made known on Friday 13 November 2026, the
        # bezwaartermijn ends on Friday 25 December, moved past Christmas,
        # Boxing Day and the weekend to Monday 28 December (Atw); the week
        # for the post ends on Monday 4 January 2027.  Received that day: the
        # decision counts from it, 6 weeks to Monday 15 February; 13 to 19
        # January are suspended (7 days) and the verdaging adds 6 weeks:
        # Monday 29 March (Easter Monday) + 7 days = Monday 5 April 2027.
        dues = {dl["name"]: dl["due"] for dl in sim["deadlines"]}
        self.assertEqual(dues, {"objection": "2026-12-28", "posting_week": "2027-01-04",
                                "decision": "2027-04-05"})
        self.assertEqual([t["to"] for t in sim["transitions"]],
                         ["objection_period", "posting_week", "deciding", "deciding",
                          "deciding", "deciding", "decided"])
        self.assertEqual(sim["transitions"][1]["at"], "2026-12-29T00:00:00+01:00")

    def test_aanvraag_hersteltermijn_as_a_real_case(self):
        self.start(AANVRAAG["start"] - datetime.timedelta(minutes=5))
        sim = self.check_same(AANVRAAG)
        self.ctl_same(AANVRAAG, sim)
        # From the law: received Monday 2 March 2026, 8 weeks to Monday 27
        # April, King's Day; suspended 3 to 13 April (11 days) until it was
        # completed on the 14th: Friday 8 May.  Still incomplete: 4 weeks
        # from 14 April to Tuesday 12 May (4:5 lid 4); the caseworker hears a
        # week before the moment it passes, 00:00 on 6 May.
        dues = {dl["name"]: dl["due"] for dl in sim["deadlines"]}
        self.assertEqual(dues, {"decision": "2026-05-08", "not_processing": "2026-05-12"})
        self.assertEqual(self.notes(sim["notifications"]),
                         [("caseworker", "not_processing", "before_P1W", 1,
                           "2026-05-06T00:00:00+02:00")])
        self.assertEqual(sim["state"], "not_processed")

    def test_atw_saturday_to_monday(self):
        """8 weeks from Saturday 17 January 2026 end on Saturday 14 March:
        Monday 16 March (Atw art. 1); the case is overdue from Tuesday 17
        March 00:00, and the supervisor hears 2 working days after it."""
        self.start(local(2026, 1, 1, 12, 0))
        before = self.counts()
        sim = self.simulate({"workflow": "beslistermijn", "start": "2026-01-17"}).body
        self.assertEqual(sim["deadlines"][0]["due"], "2026-03-16")
        self.assertEqual(sim["transitions"][1]["at"], "2026-03-17T00:00:00+01:00")
        self.assertEqual(sim["transitions"][1]["to_title"], "Beslistermijn verstreken")
        self.assertEqual(sim["ended"], "waiting")
        self.assertEqual(sim["accepts"], ["decided", "notice_of_default"])
        self.assertEqual(self.notes(sim["notifications"])[-1],
                         ("supervisor", "decision", "after_P2D", 1,
                          "2026-03-19T00:00:00+01:00"))
        self.assertIn("explanation", sim["deadlines"][0])
        # Dutch for a Dutch reader, as a case's explanation is.
        nl = self.simulate({"workflow": "beslistermijn", "start": "2026-01-17"},
                           headers={"Accept-Language": "nl"}).body
        self.assertIn("maandag 16 maart 2026", " ".join(nl["deadlines"][0]["explanation"]))
        self.assertEqual(self.counts(), before)

    # -- refusals -----------------------------------------------------------

    def test_bad_input(self):
        self.start(local(2026, 1, 1, 12, 0))
        self.d.call("GET", "/v1/cases")     # its read log would show
        before = self.counts()
        ok = {"workflow": "beslistermijn", "start": "2026-01-05"}
        cases = [
            (dict(ok, workflow="beslis"), 400, ("unknown workflow", "beslistermijn")),
            (dict(ok, start="2026-02-30"), 400, ("start",)),
            (dict(ok, events=[{"event": "decided", "date": "2026-02-30"}]), 400,
             ("events[0].date",)),
            (dict(ok, events=[{"event": "family_reported", "date": "2026-01-10"}]), 400,
             ("event 1", "family_reported", "state deciding", "2026-01-10")),
            (dict(ok, events=[{"event": "extend", "date": "2026-02-01", "note": "x"},
                              {"event": "completed", "date": "2026-01-20"}]), 400,
             ("event 2", "date order")),
            (dict(ok, events=[{"event": "decided", "date": "2026-01-04"}]), 400,
             ("before the start",)),
            (dict(ok, events=[{"event": "decided", "date": "2026-02-01"},
                              {"event": "decided", "date": "2026-02-02"}]), 400,
             ("event 2", "closed", "decided")),
            (dict(ok, events=[{"event": "completed", "date": "2026-02-01"}]), 400,
             ("event 1", "completed")),
            (dict(ok, team="x"), 400, ("unknown field", "team")),
            (dict(ok, events=[{"event": "decided", "date": "2026-02-01", "when": "x"}]),
             400, ("unknown field", "events[0].when")),
            (dict(ok, events=[{"event": "decided"}]), 400, ("events[0].date",)),
            (dict(ok, events="decided"), 400, ("events",)),
            (dict(ok, events=[{"event": "extend", "date": "2026-01-06"}] * 101), 400,
             ("too many events", "100")),
            ({"start": "2026-01-05"}, 400, ("workflow",)),
        ]
        for body, status, words in cases:
            with self.subTest(body=json.dumps(body)[:120]):
                r = self.d.request("POST", "/v1/simulate", body)
                self.assertProblem(r, status, *words)
        # Only the roles that register cases simulate.
        reader = self.d.make_token("lezer", "reader", ["jeugd-noord"])
        self.assertProblem(self.d.request("POST", "/v1/simulate", ok, token=reader),
                           403, "simulate")
        self.assertProblem(self.d.request("POST", "/v1/simulate", ok,
                                          token=self.d.admin_token), 403, "simulate")
        self.assertEqual(self.d.request("POST", "/v1/simulate", ok, token=None).status, 401)
        self.assertEqual(self.counts(), before)

    # -- termijnctl ----------------------------------------------------------

    def ctl(self, *args, env=None):
        e = {k: v for k, v in os.environ.items()
             if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
        e.update(env or {"LC_ALL": "C"})
        e["TERMIJN_URL"] = "http://%s:%d" % (self.d.host, self.d.port)
        e["TERMIJN_TOKEN"] = self.d.token
        return subprocess.run([termijnctl_path()] + list(args), env=e,
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    def test_termijnctl_online_and_offline_agree(self):
        """A loaded workflow through termijnd and the same file offline give
        the same answer, byte for byte: one engine, one view."""
        self.start(local(2026, 1, 1, 12, 0))
        before = self.counts()
        args = ["--start", "2026-01-17", "--event", "extend@2026-03-01",
                "--event", "decided@2026-04-20T15:00"]
        online = self.ctl("--json", "simulate", "beslistermijn", *args)
        self.assertEqual(online.returncode, 0, online.stderr)
        path = os.path.join(source_dir(), "workflows", "beslistermijn.yaml")
        offline = self.ctl("--json", "simulate", path, *args)
        self.assertEqual(offline.returncode, 0, offline.stderr)
        self.assertEqual(json.loads(online.stdout), json.loads(offline.stdout))
        sim = json.loads(online.stdout)
        # 8 + 6 weeks from Saturday 17 January: Saturday 25 April; Sunday,
        # then King's Day: Tuesday 28 April.
        self.assertEqual(sim["deadlines"][0]["due"], "2026-04-28")
        self.assertEqual(sim["state"], "decided")

        human = self.ctl("simulate", "beslistermijn", *args)
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn("ends in:   Besloten (decided)", human.stdout)
        self.assertIn("2026-04-27 is King's Day, so 2026-04-28", human.stdout)
        dutch = self.ctl("simulate", path, *args, env={"LANG": "nl_NL.UTF-8"})
        self.assertEqual(dutch.returncode, 0, dutch.stderr)
        self.assertIn("eindigt in:", dutch.stdout)
        self.assertIn("de zaak is afgesloten", dutch.stdout)

        bad = self.ctl("simulate", "beslistermijn", "--start", "2026-01-05",
                       "--event", "close@2026-01-10")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("state deciding", bad.stderr)
        bad = self.ctl("simulate", path, "--start", "2026-01-05",
                       "--event", "close@2026-01-10")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("state deciding", bad.stderr)
        usage = self.ctl("simulate", "beslistermijn", "--start", "2026-01-05",
                         "--event", "close")
        self.assertEqual(usage.returncode, 2)
        self.assertIn("NAME@DATE", usage.stderr)
        self.assertEqual(self.counts(), before)

    def test_termijnctl_offline_checks_a_new_file(self):
        """A workflow nobody loaded: its errors as termijnd --check gives
        them, or its timeline, without a daemon."""
        path = os.path.join(self.tmpdir, "nieuw.yaml")
        with open(path, "w") as f:
            f.write("workflow: nieuw\nversion: 1\nstart: a\nstates:\n"
                    "  a:\n    deadline: { period: 2 weeks, rule: atw, then: b }\n"
                    "  b:\n    final: true\n")
        p = subprocess.run([termijnctl_path(), "--json", "simulate", path, "--start",
                            "2026-04-13"], capture_output=True, text=True,
                           timeout=60, env=dict(os.environ, LC_ALL="C"))
        self.assertEqual(p.returncode, 0, p.stderr)
        sim = json.loads(p.stdout)
        # 2 weeks from Monday 13 April 2026 end on Monday 27 April, King's
        # Day: Tuesday 28 April; the case is final from 29 April, 00:00.
        self.assertEqual(sim["deadlines"][0]["due"], "2026-04-28")
        self.assertEqual(sim["transitions"][-1]["at"], "2026-04-29T00:00:00+02:00")
        self.assertEqual(sim["ended"], "final")
        with open(path, "w") as f:
            f.write("workflow: nieuw\nversion: 1\nstart: a\nstates:\n"
                    "  a:\n    deadline: { period: 2 weken, then: b }\n"
                    "  b:\n    final: true\n")
        p = subprocess.run([termijnctl_path(), "simulate", path, "--start",
                            "2026-04-13"], capture_output=True, text=True,
                           timeout=60, env=dict(os.environ, LC_ALL="C"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("nieuw.yaml:6:", p.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
