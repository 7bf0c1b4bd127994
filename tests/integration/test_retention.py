"""Retention (issue 8): a closed case past its workflow's retention is
destroyed for real: the case and every row about it go, a tombstone
without personal data stays, the audit chain still verifies across the
gap, and the case's reference and notes are gone from the bytes of the
database, its WAL and its shared memory.  By POST /v1/retention (admin;
dryRun=true destroys nothing) and by the sweep termijnd runs by itself.

A workflow of the test's own keeps a closed case one day.  The clock is
faked; for the sweep, termijnd's monotonic clock too, since the sweep is a
timer of its event loop.
"""

import datetime
import unittest

from harness import (FakeClock, TermijnTestCase, audit_verify, bytes_found, db_files,
                     local, wait_until, workflows_with)

KORT = """workflow: kort
version: 1
title: A case kept one day after it closed (test)
roles: [caseworker, supervisor]
start: open
retention: 1 day
bases:
  consent:
    article: AVG art. 6(1)(a)
    description: Het gezin heeft toestemming gegeven.
states:
  open:
    deadline:
      period: 2 days
      kind: agreement
      then: late
      rungs:
        - { before: 1 day, notify: caseworker }
    events:
      done: closed
  late:
    events:
      done: closed
  closed:
    final: true
"""

GONE = "KORT-VERNIETIG-7Q"		# the destroyed case's reference
SECRETS = (GONE, "notitie-vernietig-zebra", "doel-geheim-paars")
KEPT = ("KORT-BLIJFT-OPEN", "notitie-blijft-ree")	# another case's, which stays

# Every table with rows about a case, and its column naming the case.
TRACES = (("cases", "id"), ("deadlines", "case_id"), ("rungs", "case_id"),
          ("notifications", "case_id"), ("participants", "case_id"),
          ("reads", "case_id"), ("idempotency", "case_id"), ("transitions", "case_id"))


class RetentionTest(TermijnTestCase):

    def start(self, day, **config):
        """termijnd with the kort workflow, its clock at 10:00 on day."""
        self.clock = FakeClock(self.tmpdir, local(day.year, day.month, day.day, 10),
                               monotonic=bool(config))
        config["scheduler"] = {"recheck_interval": 0.1}
        self.d = self.start_daemon(clock=self.clock, config=config,
                                   workflows=workflows_with(self.tmpdir, {"kort.yaml": KORT}))
        self.day = day

    def at(self, days, hour=10):
        """Move the clock to hour on the day `days` after the first."""
        day = self.day + datetime.timedelta(days=days)
        self.clock.set(local(day.year, day.month, day.day, hour))
        if self.clock.monotonic:
            self.d.reconnect()

    def traces(self, cid):
        return {table: self.d.db_query("SELECT count(*) FROM %s WHERE %s = ?"
                                       % (table, col), (cid,))[0][0]
                for table, col in TRACES}

    def populate(self):
        """A kort case with every kind of row about it, closed on day 3;
        one that stays open; a zelfmelding case closed the same day (kept
        ten years).  Returns their ids."""
        d = self.d
        gone = d.create_case("kort", GONE, "jeugd-noord",
                             headers={"Idempotency-Key": "kort-1"})["id"]
        d.share(gone, "handhaving", "consent", purpose=SECRETS[2])
        d.case(gone)
        kept = d.create_case("kort", KEPT[0], "jeugd-noord")["id"]
        decade = d.create_case("zelfmelding", "Z-BLIJFT-10J", "t")["id"]
        self.at(3)
        d.wait_state(gone, "late")
        d.event(gone, "done", note=SECRETS[1])
        d.event(decade, "family_reported", note=KEPT[1])
        d.event(decade, "close")
        traces = self.traces(gone)
        self.assertTrue(all(traces.values()), traces)
        self.history = traces["transitions"]
        return gone, kept, decade

    def assertDestroyed(self, gone, others, by):
        d = self.d
        self.assertEqual(self.traces(gone), {t: 0 for t, _ in TRACES})
        stone = d.db_query("SELECT workflow, version, team, destroyed_by FROM tombstones"
                           " WHERE case_id = ?", (gone,))
        self.assertEqual(stone, [("kort", 1, "jeugd-noord", by)])
        self.assertEqual(d.request("GET", "/v1/cases/%d" % gone).status, 404)
        for cid in others:
            self.assertEqual(d.request("GET", "/v1/cases/%d" % cid).status, 200)
        self.assertTrue(any(m.startswith("destroyed case=%d workflow=kort " % gone)
                            for m in d.syslog.messages()), d.syslog.messages())
        rc, out = audit_verify(d.db)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"^OK: \d+ transitions, %d of them destroyed" % self.history)

    def assertScrubbed(self):
        """The destroyed case's words are in no file of the database; the
        kept case's words are (the search sees the data)."""
        files = db_files(self.d.db)
        self.assertEqual(bytes_found(files, SECRETS), [])
        self.assertEqual({n for _, n in bytes_found(files, KEPT)}, set(KEPT))

    def test_retention_run(self):
        self.start(datetime.date(2026, 3, 2))
        gone, kept, decade = self.populate()
        admin = self.d.admin_token
        run = "/v1/retention"

        # A day after it closed the case is still kept.
        self.at(4, 23)
        r = self.d.request("POST", run + "?dryRun=true", token=admin)
        self.assertEqual((r.status, r.body["would_destroy"]), (200, []), r.raw)

        self.at(5)
        fresh = self.d.create_case("kort", "KORT-NET-DICHT", "jeugd-noord")["id"]
        self.d.event(fresh, "done")
        before = self.traces(gone)
        r = self.d.request("POST", run + "?dryRun=true", token=admin)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.body["dry_run"], True)
        self.assertEqual([c["id"] for c in r.body["would_destroy"]], [gone])
        self.assertEqual(self.traces(gone), before)
        self.assertEqual(self.d.db_query("SELECT count(*) FROM tombstones")[0][0], 0)

        r = self.d.request("POST", run, token=admin)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual([c["id"] for c in r.body["destroyed"]], [gone])
        self.assertEqual(r.body["more"], False)
        # Nobody else reads: the bytes are gone by the time it answers.
        self.assertIs(r.body["scrubbed"], True)
        self.assertDestroyed(gone, (kept, decade, fresh), "admin")
        self.assertScrubbed()
        r = self.d.request("POST", run, token=admin)
        self.assertEqual(r.body["destroyed"], [])

        self.d.stop()
        self.assertScrubbed()
        rc, out = audit_verify(self.d.db)
        self.assertEqual(rc, 0, out)

    def test_sweep(self):
        # The monotonic clock moves with the wall clock: start in the future.
        self.start(datetime.date.today() + datetime.timedelta(days=2),
                   retention={"sweep_interval": 60})
        gone, kept, decade = self.populate()
        self.at(5)
        # No request: the sweep finds the case by itself.
        wait_until(lambda: self.d.db_query("SELECT count(*) FROM tombstones")[0][0],
                   timeout=10, what="the sweep destroying case %d" % gone)
        self.assertDestroyed(gone, (kept, decade), "termijnd")
        self.assertScrubbed()
        self.d.stop()
        self.assertScrubbed()


if __name__ == "__main__":
    unittest.main()
