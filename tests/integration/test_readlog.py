"""The read log (issue 8): every successful read of a case is one row in
`reads` (who, with which role and teams, what, the request's id and the
purpose the client gave); a refused read writes none; and when the row
cannot be written, the read fails with 503 and shows nothing of the case
("no log, no read")."""

import datetime
import unittest

from harness import TermijnTestCase, db_execute

A, B = "team-a", "team-b"
READS = "SELECT case_id, token, role, teams, what, request, purpose FROM reads"


class ReadLogTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.d = d = self.start_daemon()
        for team in (A, B):
            d.add_team(team)
        self.worker = d.make_token("cw-ab", "caseworker", [B, A])
        self.boss = d.make_token("sup-a", "supervisor", [A])
        self.stranger = d.make_token("cw-b", "caseworker", [B])
        d.token = self.worker
        self.x = d.create_case("zelfmelding", "RL-0001", A)["id"]
        self.y = d.create_case("zelfmelding", "RL-0002", A)["id"]
        d.create_case("zelfmelding", "RL-0003", B)
        d.event(self.x, "family_reported", note="ingevuld formulier")

    def reads(self):
        return self.d.db_query(READS + " ORDER BY id")

    def read(self, path, token, status=200, request_id=None, purpose=None):
        """One GET; returns (answer, the reads rows it added)."""
        before = len(self.reads())
        headers = {}
        if request_id:
            headers["X-Request-Id"] = request_id
        if purpose:
            headers["Read-Purpose"] = purpose
        r = self.d.request("GET", path, headers=headers, token=token)
        self.assertEqual(r.status, status, r.raw)
        return r, self.reads()[before:]

    def test_one_row_per_read(self):
        cases = [
            ("/v1/cases/%d" % self.x, self.worker, "cw-ab", "caseworker", "team-a,team-b", "case"),
            ("/v1/cases/%d/transitions" % self.x, self.worker, "cw-ab", "caseworker",
             "team-a,team-b", "history"),
            ("/v1/cases/%d/participants" % self.x, self.worker, "cw-ab", "caseworker",
             "team-a,team-b", "participants"),
            ("/v1/cases/%d/access" % self.x, self.boss, "sup-a", "supervisor", "team-a",
             "access"),
            ("/v1/cases/%d/export" % self.x, self.boss, "sup-a", "supervisor", "team-a",
             "export"),
        ]
        for i, (path, token, name, role, teams, what) in enumerate(cases):
            rid, purpose = "req-%d-abc" % i, "bezwaar 2026-%d" % i
            r, added = self.read(path, token, request_id=rid, purpose=purpose)
            self.assertEqual(r.headers.get("x-request-id"), rid)
            self.assertEqual(added, [(self.x, name, role, teams, what, rid, purpose)], path)

        # Without the headers: termijnd's own request id, echoed; no purpose.
        r, added = self.read("/v1/cases/%d" % self.y, self.worker)
        self.assertEqual(len(added), 1, added)
        self.assertTrue(added[0][5], added)
        self.assertEqual(r.headers.get("x-request-id"), added[0][5])
        self.assertIn(added[0][6], (None, ""))

        # A list: one row per case listed, and only those.
        r, added = self.read("/v1/cases?limit=1", self.worker, request_id="list-1")
        self.assertEqual(sorted(a[0] for a in added), [c["id"] for c in r.body["cases"]])
        for a in added:
            self.assertEqual(a[1:6], ("cw-ab", "caseworker", "team-a,team-b", "list", "list-1"))
            self.assertIn(a[6], (None, ""))
        r, added = self.read("/v1/cases?team=%s" % A, self.worker)
        self.assertEqual(sorted(a[0] for a in added), [self.x, self.y])
        self.assertEqual({a[4] for a in added}, {"list"})

        # The supervisor sees these reads in the case's access log.
        r, _ = self.read("/v1/cases/%d/access" % self.x, self.boss)
        self.assertIn("cw-ab", r.raw.decode())
        self.assertIn("bezwaar 2026-0", r.raw.decode())

    def test_every_team_of_the_reader(self):
        """A token in teams whose names fill more than 255 bytes is in the
        read log with all of them, not the first 255 bytes of the list."""
        d = self.d
        teams = sorted(d.add_team("%02d-%s" % (i, "w" * 58)) for i in range(5))
        token = d.make_token("cw-many", "caseworker", teams)
        cid = d.create_case(team=teams[0], token=token)["id"]
        boss = d.make_token("sup-many", "supervisor", [teams[0]])
        r, added = self.read("/v1/cases/%d" % cid, token)
        self.assertEqual(added[0][3], ",".join(teams))
        r, _ = self.read("/v1/cases/%d/access" % cid, boss)
        self.assertEqual(r.body["reads"][0]["teams"], ",".join(teams))

    def test_no_row_for_a_refused_read(self):
        refused = [
            ("/v1/cases/%d" % self.x, self.stranger, 404),
            ("/v1/cases/%d/transitions" % self.x, self.stranger, 404),
            ("/v1/cases/%d/participants" % self.x, self.stranger, 404),
            ("/v1/cases/%d/access" % self.x, self.stranger, 404),
            ("/v1/cases/%d/export" % self.x, self.stranger, 404),
            ("/v1/cases/%d/access" % self.x, self.worker, 403),
            ("/v1/cases/%d/export" % self.x, self.worker, 403),
            ("/v1/cases/%d" % self.x, self.d.admin_token, 403),
            ("/v1/cases", self.d.admin_token, 403),
            ("/v1/cases/999", self.worker, 404),
        ]
        for path, token, status in refused:
            _, added = self.read(path, token, status)
            self.assertEqual(added, [], path)
        # A list that shows nothing logs nothing.
        _, added = self.read("/v1/cases?workflow=beslistermijn", self.worker)
        self.assertEqual(added, [])

    def test_no_log_no_read(self):
        paths = ["/v1/cases/%d" % self.x, "/v1/cases/%d/transitions" % self.x,
                 "/v1/cases/%d/participants" % self.x, "/v1/cases?team=" + A]
        db_execute(self.d.db, "CREATE TRIGGER reads_refused BEFORE INSERT ON reads"
                   " BEGIN SELECT RAISE(ABORT, 'x'); END")
        before = self.reads()
        for path, token in [(p, self.worker) for p in paths] + [
                ("/v1/cases/%d/access" % self.x, self.boss),
                ("/v1/cases/%d/export" % self.x, self.boss)]:
            r, _ = self.read(path, token, 503)
            self.assertProblem(r, 503)
            for word in ("RL-0001", "RL-0002", "awaiting_self_report", "self_reported",
                         "ingevuld formulier", "zelfmelding", A):
                self.assertNotIn(word.encode(), r.raw, path)
        self.assertEqual(self.reads(), before)
        # termijnd goes on: writes work, and reads once the log does.
        self.d.event(self.y, "family_reported")
        db_execute(self.d.db, "DROP TRIGGER reads_refused")
        for path in paths:
            _, added = self.read(path, self.worker)
            self.assertTrue(added, path)

    def test_views_and_feed_refuse_as_case_reads_do(self):
        """With the read log failing, the views and the calendar feed
        answer what a case read answers: 503, Retry-After, problem+json
        that names the read log, and nothing of a case."""
        now = datetime.datetime.now(datetime.timezone.utc)
        # Late (overdue, and in the enforcement queue), and at risk.
        self.d.create_case("zelfmelding", "RL-0004", A,
                           started_at=(now - datetime.timedelta(weeks=10)).isoformat())
        self.d.create_case("zelfmelding", "RL-0005", A,
                           started_at=(now - datetime.timedelta(days=40)).isoformat())
        views = ["/v1/overdue", "/v1/at-risk", "/v1/queue", "/v1/calendar.ics"]
        for path in views:
            r, added = self.read(path, self.worker)
            self.assertTrue(added, path)
        db_execute(self.d.db, "CREATE TRIGGER reads_refused BEFORE INSERT ON reads"
                   " BEGIN SELECT RAISE(ABORT, 'x'); END")
        before = self.reads()
        case_read, _ = self.read("/v1/cases/%d" % self.x, self.worker, 503)
        self.assertProblem(case_read, 503, "read log")
        self.assertTrue(case_read.headers.get("retry-after", "").isdigit(), case_read.headers)
        for path in views:
            r, _ = self.read(path, self.worker, 503)
            self.assertProblem(r, 503, "read log")
            self.assertEqual(r.body["detail"], case_read.body["detail"], path)
            self.assertEqual(r.headers.get("retry-after"), case_read.headers["retry-after"],
                             path)
            for word in ("RL-000", "awaiting_self_report", "enforcement", "VEVENT"):
                self.assertNotIn(word.encode(), r.raw, path)
        self.assertEqual(self.reads(), before)
        db_execute(self.d.db, "DROP TRIGGER reads_refused")
        for path in views:
            _, added = self.read(path, self.worker)
            self.assertTrue(added, path)


if __name__ == "__main__":
    unittest.main()
