"""Who may see and do what (issue 8), against a real termijnd.

MatrixTest: every endpoint and verb x every role x the token's team's
relation to the case (it owns the case, takes part in it, or neither) and
tokens that are missing, expired, revoked or malformed, each cell with the
status the rules give, written down here as data: a token sees and acts on
the cases its teams own or take part in; any other case is a 404 that says
nothing of the case, exactly as a case that does not exist; the workflow
says which roles may record an event; admin manages teams and tokens and
sees no case content; reader only reads; a supervisor of the owning team
sees who read a case and exports it; the views over many cases (overdue,
at risk, summary, queue, report) answer every token that sees cases; a
feed token reads the calendar feed and nothing else.  The matrix is printed with its
mismatches, and there must be none.

ListingTest, ReplayTest: listings, cursors and idempotent replays across
teams.  RevocationTest: a revoked or expired token fails on the very next
request.
"""

import datetime
import json
import re
import unittest

from harness import (FakeClock, TermijnTestCase, db_execute, local, run_termijnctl,
                     wait_until, workflows_with)

OWN, PART, OTHER, EXTRA = "team-eigen", "team-deel", "team-ander", "team-extra"

# A workflow of the test's own: an event for every role, one for the
# supervisor only, and a sharing step for the youth worker on a basis.
TOEGANG = """workflow: toegang
version: 1
title: Who may do what (test)
roles: [caseworker, youth_worker, enforcement, supervisor]
start: wacht
bases:
  consent:
    article: AVG art. 6(1)(a)
    description: Het gezin heeft toestemming gegeven.
states:
  wacht:
    events:
      forward: verder
      approve: { to: verder, roles: [supervisor] }
      report: { to: verder, roles: [youth_worker], shares: [consent] }
  verder:
    events:
      close: dicht
  dicht:
    final: true
"""
# What of a case must never reach a token that does not see it.
CASE_WORDS = (OWN, PART, "toegang", "wacht", "verder", "dicht")

ROLES = ("caseworker", "youth_worker", "enforcement", "supervisor", "reader", "admin",
         "feed", "metrics")
ACTING = ROLES[:4]		# the roles that act on cases
RELATIONS = ("own", "participant", "other")
BAD_TOKENS = ("none", "expired", "revoked", "malformed")
ABSENT = 987654			# a case id that does not exist


def expect(acting, reader, admin, bad=401, feed=(403, 403, 403), metrics=(403, 403, 403),
           **roles):
    """A row's expectations: for each role, the status when the token's team
    owns the case, takes part in it, or neither (for endpoints that are not
    a case's, the relation changes nothing); and for a missing, expired,
    revoked or malformed token.  A role named in roles overrides acting.  A
    feed token reads the calendar feed and nothing else; a metrics token
    /metrics and nothing else."""
    out = {r: roles.get(r, acting) for r in ACTING}
    out.update(reader=reader, admin=admin, bad=bad, feed=feed, metrics=metrics)
    return out


def every(status):
    return (status, status, status)


ANYONE = expect(every(200), every(200), every(200))
NOT_ROUTED = expect(every(405), every(405), every(405), bad=405, feed=every(405),
                    metrics=every(405))
# The views over many cases: every relation reads its own (what it reads:
# test_views), admin sees no case content.
VIEW = expect(every(200), every(200), every(403))
ADMIN = expect(every(403), every(403), every(200))
ADMIN_MAKES = expect(every(403), every(403), every(201))
SEE = expect((200, 200, 404), (200, 200, 404), every(403))
OVERSEE = expect((403, 403, 404), (403, 403, 404), every(403), supervisor=(200, 403, 404))
# A reader may not write, but another team's case is not found, as for all.
READER_WRITES = (403, 403, 404)
ACT = expect((200, 200, 404), READER_WRITES, every(403))

C = "/v1/cases/{id}"
MATRIX = [
    # method, path, body, expectations
    ("GET", "/healthz", None, expect(every(200), every(200), every(200), bad=200,
                                     feed=every(200), metrics=every(200))),
    ("POST", "/healthz", None, NOT_ROUTED),
    ("DELETE", "/healthz", None, NOT_ROUTED),
    ("GET", "/readyz", None, expect(every(200), every(200), every(200), bad=200,
                                    feed=every(200), metrics=every(200))),
    ("POST", "/readyz", None, NOT_ROUTED),
    ("DELETE", "/readyz", None, NOT_ROUTED),
    ("GET", "/v1/openapi.json", None, expect(every(200), every(200), every(200), bad=200,
                                             feed=every(200), metrics=every(200))),
    ("POST", "/v1/openapi.json", None, NOT_ROUTED),
    ("DELETE", "/v1/openapi.json", None, NOT_ROUTED),
    ("GET", "/metrics", None, expect(every(200), every(200), every(200),
                                     metrics=every(200))),
    ("POST", "/metrics", None, NOT_ROUTED),
    ("DELETE", "/metrics", None, NOT_ROUTED),
    ("GET", "/v1/workflows", None, ANYONE),
    ("POST", "/v1/workflows", None, NOT_ROUTED),
    ("DELETE", "/v1/workflows", None, NOT_ROUTED),
    ("GET", "/v1/calendar/due?from=2026-03-16&period=P6W&rule=atw", None, ANYONE),
    ("POST", "/v1/calendar/due", None, NOT_ROUTED),
    ("DELETE", "/v1/calendar/due", None, NOT_ROUTED),
    ("GET", "/v1/teams", None, ANYONE),
    ("POST", "/v1/teams", "team", ADMIN_MAKES),
    ("DELETE", "/v1/teams", None, NOT_ROUTED),
    ("GET", "/v1/tokens", None, ADMIN),
    ("POST", "/v1/tokens", "token", ADMIN_MAKES),
    ("DELETE", "/v1/tokens", None, NOT_ROUTED),
    ("GET", "/v1/tokens/nobody", None, NOT_ROUTED),
    ("POST", "/v1/tokens/nobody", None, NOT_ROUTED),
    ("DELETE", "/v1/tokens/{victim}", None, ADMIN),
    # Routes are the administrator's: every other role is refused, and
    # answered (a refusal here once went unanswered, and the request hung).
    ("GET", "/v1/routes", None, ADMIN),
    ("GET", "/v1/routes/log", None, ADMIN),
    ("GET", "/v1/retention", None, NOT_ROUTED),
    ("POST", "/v1/retention?dryRun=true", None, ADMIN),
    # The old spelling, which scripts may still send.
    ("POST", "/v1/retention?dry_run=true", None, ADMIN),
    ("DELETE", "/v1/retention", None, NOT_ROUTED),
    # Listing: every relation lists (what it lists: ListingTest).
    ("GET", "/v1/cases", None, expect(every(200), every(200), every(403))),
    # Registering a case for the case's team: only a token in that team.
    ("POST", "/v1/cases", "create", expect((201, 403, 403), every(403), every(403))),
    ("DELETE", "/v1/cases", None, NOT_ROUTED),
    ("GET", C, None, SEE),
    ("POST", C, None, NOT_ROUTED),
    ("DELETE", C, None, NOT_ROUTED),
    ("GET", C + "/events", None, NOT_ROUTED),
    ("POST", C + "/events", "forward", ACT),
    ("POST", C + "/events", "approve",
     expect((403, 403, 404), READER_WRITES, every(403), supervisor=(200, 200, 404))),
    ("POST", C + "/events", "report",
     expect((403, 403, 404), READER_WRITES, every(403), youth_worker=(200, 200, 404))),
    ("DELETE", C + "/events", None, NOT_ROUTED),
    ("GET", C + "/transitions", None, SEE),
    ("POST", C + "/transitions", None, NOT_ROUTED),
    ("DELETE", C + "/transitions", None, NOT_ROUTED),
    ("GET", C + "/participants", None, SEE),
    # Only the owning team lets another team take part.
    ("POST", C + "/participants", "share", expect((201, 403, 404), READER_WRITES,
                                                   every(403))),
    ("DELETE", C + "/participants", None, NOT_ROUTED),
    ("GET", C + "/participants/" + PART, None, NOT_ROUTED),
    ("POST", C + "/participants/" + PART, None, NOT_ROUTED),
    # The owning team ends a participation, or the participant leaves.
    ("DELETE", C + "/participants/" + PART, None, ACT),
    ("GET", C + "/coordinator", None, NOT_ROUTED),
    # The owner or the coordinating team (the owner, at first) hands over.
    ("POST", C + "/coordinator", "coordinate",
     expect((200, 403, 404), READER_WRITES, every(403))),
    ("DELETE", C + "/coordinator", None, NOT_ROUTED),
    ("GET", C + "/access", None, OVERSEE),
    ("POST", C + "/access", None, NOT_ROUTED),
    ("DELETE", C + "/access", None, NOT_ROUTED),
    ("GET", C + "/export", None, OVERSEE),
    ("POST", C + "/export", None, NOT_ROUTED),
    ("DELETE", C + "/export", None, NOT_ROUTED),
    ("GET", C + "/assign", None, NOT_ROUTED),
    ("POST", C + "/assign", "assign", ACT),
    ("DELETE", C + "/assign", None, NOT_ROUTED),
    ("GET", "/v1/overdue", None, VIEW),
    ("POST", "/v1/overdue", None, NOT_ROUTED),
    ("DELETE", "/v1/overdue", None, NOT_ROUTED),
    ("GET", "/v1/at-risk?within=P1Y", None, VIEW),
    ("POST", "/v1/at-risk", None, NOT_ROUTED),
    ("DELETE", "/v1/at-risk", None, NOT_ROUTED),
    ("GET", "/v1/summary", None, VIEW),
    ("POST", "/v1/summary", None, NOT_ROUTED),
    ("DELETE", "/v1/summary", None, NOT_ROUTED),
    ("GET", "/v1/queue", None, VIEW),
    ("POST", "/v1/queue", None, NOT_ROUTED),
    ("DELETE", "/v1/queue", None, NOT_ROUTED),
    ("GET", "/v1/report?from=2026-03-01&to=2026-04-01", None, VIEW),
    ("POST", "/v1/report", None, NOT_ROUTED),
    ("DELETE", "/v1/report", None, NOT_ROUTED),
    # The calendar feed: a feed token, or a token that sees cases.
    ("GET", "/v1/calendar/feed.ics", None, expect(every(200), every(200), every(403),
                                                  feed=every(200))),
    ("POST", "/v1/calendar/feed.ics", None, NOT_ROUTED),
    ("DELETE", "/v1/calendar/feed.ics", None, NOT_ROUTED),
    # Its old path, kept for existing subscriptions.
    ("GET", "/v1/calendar.ics", None, expect(every(200), every(200), every(403),
                                             feed=every(200))),
    ("POST", "/v1/calendar.ics", None, NOT_ROUTED),
    ("DELETE", "/v1/calendar.ics", None, NOT_ROUTED),
]

SHORT = {"caseworker": "cw", "youth_worker": "yw", "enforcement": "en",
         "supervisor": "su", "reader": "rd", "admin": "ad", "feed": "fd", "metrics": "mt"}


def body_for(kind, n):
    """The body a row sends; n makes names and references unique."""
    return {
        None: None,
        "team": {"name": "team-new-%d" % n, "title": "Nieuw team"},
        "token": {"name": "made-%d" % n, "role": "reader", "teams": [OTHER],
                  "expires": "never"},
        "create": {"workflow": "toegang", "reference": "TG-NEW-%d" % n, "team": OWN},
        "forward": {"event": "forward"},
        "approve": {"event": "approve"},
        "report": {"event": "report", "basis": "consent"},
        "share": {"team": EXTRA, "basis": "consent"},
        "coordinate": {"team": PART},
        "assign": {"assignee": "setup"},
    }[kind]


def shown(raw, n=200):
    """An answer for a failure message: its start, without a new token's
    secret (the test output holds no token)."""
    return re.sub(rb"tmj_[A-Za-z0-9_-]+", b"tmj_...", raw)[:n]


def without_id(raw, cid):
    """An answer's body with the case id it names made neutral."""
    return re.sub(rb"\b%d\b" % cid, b"ID", raw)


class MatrixTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 3, 2, 10))
        self.d = self.start_daemon(clock=self.clock, workflows=workflows_with(
            self.tmpdir, {"toegang.yaml": TOEGANG}))
        for team in (OWN, PART, OTHER, EXTRA):
            self.d.add_team(team)
        self.setup = self.d.make_token("setup", "caseworker", [OWN])
        team_of = {"own": OWN, "participant": PART, "other": OTHER}
        self.tokens = {(role, rel): self.d.make_token("%s-%s" % (role, rel), role, [team_of[rel]])
                       for role in ROLES for rel in RELATIONS}
        self.n = 0

    def fresh_case(self):
        """A case of OWN in which PART takes part."""
        self.n += 1
        ref = "TG-%04d" % self.n
        cid = self.d.create_case("toegang", ref, OWN, token=self.setup)["id"]
        self.d.share(cid, PART, "consent", token=self.setup)
        return cid, ref

    def bad_tokens(self):
        """Tokens that must not work: none, one expired (the clock moves
        past it), one revoked, one malformed.  Each worked before."""
        expired = self.d.make_token("expired", "supervisor", [OWN], expires="2026-03-02")
        revoked = self.d.make_token("revoked", "supervisor", [OWN])
        for t in (expired, revoked):
            self.assertEqual(self.d.request("GET", "/v1/workflows", token=t).status, 200)
        self.d.revoke_token("revoked")
        self.clock.set(local(2026, 3, 4, 10))
        return {"none": None, "expired": expired, "revoked": revoked,
                "malformed": "tmj_" + "!" * 43}

    def cell(self, method, path, kind, token, shared, fresh):
        """One request of a row.  Returns (status, answer, what the answer
        must not hold, the same request on a case that does not exist)."""
        self.n += 1
        body = body_for(kind, self.n)
        words, cid = (), None
        if "{id}" in path:
            cid, ref = fresh() if fresh else shared
            sent = path + json.dumps(body)
            words = [w for w in (ref,) + CASE_WORDS if w not in sent]
        if "{victim}" in path:
            victim = "victim-%d" % self.n
            self.d.make_token(victim, "reader", [OTHER])
            path = path.replace("{victim}", victim)
        r = self.d.request(method, path.replace("{id}", str(cid)), body, token=token)
        twin = None
        if cid is not None:
            twin = self.d.request(method, path.replace("{id}", str(ABSENT)), body, token=token)
        return r, words, cid, twin

    def test_permission_matrix(self):
        shared = self.fresh_case()
        bad = self.bad_tokens()
        columns = [(role, rel) for role in ROLES for rel in RELATIONS] + \
            [("bad", b) for b in BAD_TOKENS]
        grid, mismatches = [], []
        for method, path, kind, exp in MATRIX:
            label = "%s %s%s" % (method, path.split("?")[0], " " + kind if kind in
                                 ("forward", "approve", "report") else "")
            fresh = self.fresh_case if "{id}" in path and method != "GET" and \
                exp is not NOT_ROUTED else None
            line = []
            for role, rel in columns:
                if role == "bad":
                    token, want, other = bad[rel], exp["bad"], False
                else:
                    token = self.tokens[(role, rel)]
                    want = exp[role][RELATIONS.index(rel)]
                    other = rel == "other"
                r, words, cid, twin = self.cell(method, path, kind, token, shared, fresh)
                wrong = []
                if r.status != want:
                    wrong.append("expected %d, got %d: %s" % (want, r.status, shown(r.raw)))
                if other or role == "bad":
                    leaked = [w for w in words if w.encode() in r.raw]
                    if leaked:
                        wrong.append("the answer holds %s: %s" % (leaked, shown(r.raw, 300)))
                if other and twin is not None and (
                        twin.status != r.status or
                        without_id(twin.raw, ABSENT) != without_id(r.raw, cid)):
                    wrong.append("answers otherwise than for a case that does not exist "
                                 "(%d %s): %d %s" % (twin.status, shown(twin.raw),
                                                     r.status, shown(r.raw)))
                line.append("%d%s" % (r.status, "*" if wrong else ""))
                for w in wrong:
                    mismatches.append("%s as %s/%s: %s" % (label, role, rel, w))
            grid.append((label, line))

        head = ["%s.%s" % (SHORT[role], "opx"[RELATIONS.index(rel)]) if role != "bad"
                else rel[:4] for role, rel in columns]
        width = max(len(label) for label, _ in grid)
        print("\npermission matrix (o: the token's team owns the case, p: takes part "
              "in it, x: neither; * a mismatch)")
        print("%-*s  %s" % (width, "", " ".join("%-5s" % h for h in head)))
        for label, line in grid:
            print("%-*s  %s" % (width, label, " ".join("%-5s" % c for c in line)))
        print("%d rows x %d columns = %d cells, %d mismatches"
              % (len(grid), len(columns), len(grid) * len(columns), len(mismatches)))
        for m in mismatches:
            print("  " + m)
        self.assertEqual(mismatches, [])


class ListingTest(TermijnTestCase):
    """GET /v1/cases shows a token the cases its teams own or take part in,
    nothing else, and its pages and cursors hold nothing of other cases."""

    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()
        for team in (OWN, PART, OTHER):
            self.d.add_team(team)
        self.own = self.d.make_token("lister", "caseworker", [OWN])
        self.other = self.d.make_token("stranger", "caseworker", [OTHER])

    def pages(self, token, limit, query=""):
        """Every page from the start: [(ids, next_cursor)]."""
        out, cursor = [], None
        while True:
            q = "limit=%d%s%s" % (limit, query, "&cursor=" + cursor if cursor else "")
            r = self.d.request("GET", "/v1/cases?" + q, token=token)
            self.assertEqual(r.status, 200, r.raw)
            self.assertEqual(set(r.body), {"cases", "next_cursor"}, r.body)
            out.append(([c["id"] for c in r.body["cases"]], r.body["next_cursor"]))
            cursor = r.body["next_cursor"]
            if cursor is None:
                return out
            self.assertLess(len(out), 100, "the cursors do not end")

    def assertPages(self, token, visible, query=""):
        """Pages of every size list exactly the visible cases, in order; every
        page but the last is full, and its cursor is its own last case."""
        for limit in (1, 2, 3, 500):
            pages = self.pages(token, limit, query)
            ids = [i for page, _ in pages for i in page]
            self.assertEqual(ids, sorted(visible), "limit %d: %r" % (limit, pages))
            for page, cursor in pages[:-1]:
                self.assertEqual(len(page), limit, pages)
                self.assertEqual(cursor, str(page[-1]), pages)
            self.assertLessEqual(len(pages[-1][0]), limit)

    def test_listing_cursors_and_filters(self):
        maker = self.d.make_token("maker", "caseworker", [OWN, PART, OTHER])
        teams = [OWN, OTHER, OTHER, OWN, OTHER, PART, OTHER, OTHER, OWN, OTHER]
        ids = {}
        for i, team in enumerate(teams):
            c = self.d.create_case("zelfmelding", "L-%02d" % i, team, token=maker)
            ids.setdefault(team, []).append(c["id"])
        # One of OTHER's cases is shared with OWN.
        shared = ids[OTHER][2]
        self.d.share(shared, OWN, "inquiry", token=maker)
        mine = ids[OWN] + [shared]

        self.assertPages(self.own, mine)
        self.assertPages(self.own, [shared], "&team=" + OTHER)
        self.assertPages(self.own, [], "&team=" + PART)
        self.assertPages(self.own, mine, "&state=awaiting_self_report")
        self.assertPages(self.own, [], "&workflow=beslistermijn")
        self.assertPages(self.other, ids[OTHER])
        # A cursor past another team's cases goes on with one's own only.
        r = self.d.request("GET", "/v1/cases?limit=500&cursor=%d" % ids[OTHER][0],
                           token=self.own)
        self.assertEqual([c["id"] for c in r.body["cases"]],
                         [i for i in sorted(mine) if i > ids[OTHER][0]])
        for c in self.d.request("GET", "/v1/cases?limit=500", token=self.own).body["cases"]:
            self.assertIn(c["team"], (OWN, OTHER))
            if c["team"] == OTHER:
                self.assertEqual(c["id"], shared)

        # The participation ends: the case leaves OWN's list.
        self.d.call("DELETE", "/v1/cases/%d/participants/%s" % (shared, OWN), token=maker)
        self.assertPages(self.own, ids[OWN])
        self.assertPages(self.own, [], "&team=" + OTHER)


class ReplayTest(TermijnTestCase):
    """An Idempotency-Key's stored answer goes only to a token that still
    sees the case."""

    def test_no_replay_once_the_case_is_out_of_sight(self):
        d = self.start_daemon(workflows=workflows_with(self.tmpdir, {"toegang.yaml": TOEGANG}))
        for team in (OWN, PART):
            d.add_team(team)
        owner = d.make_token("owner", "caseworker", [OWN])
        partner = d.make_token("partner", "caseworker", [PART])
        cid = d.create_case("toegang", "RP-0001", OWN, token=owner)["id"]
        d.share(cid, PART, "consent", token=owner)

        path = "/v1/cases/%d/events" % cid
        key = {"Idempotency-Key": "replay-1"}
        first = d.request("POST", path, {"event": "forward"}, headers=key, token=partner)
        self.assertEqual(first.status, 200, first.raw)
        again = d.request("POST", path, {"event": "forward"}, headers=key, token=partner)
        self.assertEqual((again.status, again.body), (200, first.body))

        # The key is the partner's: the owner's same key is its own request.
        own = d.request("POST", path, {"event": "forward"}, headers=key, token=owner)
        self.assertEqual(own.status, 409, own.raw)

        d.call("DELETE", "/v1/cases/%d/participants/%s" % (cid, PART), token=owner)
        # The key is used: its answer is not given again, and no other
        # request may take it over.
        late = d.request("POST", path, {"event": "forward"}, headers=key, token=partner)
        self.assertProblem(late, 422, "Idempotency-Key", "replay-1", "used")
        for word in ("RP-0001",) + CASE_WORDS:
            self.assertNotIn(word.encode(), late.raw)
        # Nothing happened to the case after the participation ended.
        self.assertEqual([row[0] for row in d.db_query(
            "SELECT cause FROM transitions WHERE case_id = ? ORDER BY id", (cid,))],
            ["create", "share", "event", "unshare"])

    def test_key_of_a_case_out_of_sight_stays_used(self):
        """A key whose answer was about a case the token no longer sees is
        refused for any other request too (it answered 500 before, with
        nothing in the log to say why), and the log says why, without the
        key or anything of the case."""
        d = self.start_daemon(workflows=workflows_with(self.tmpdir, {"toegang.yaml": TOEGANG}))
        for team in (OWN, PART):
            d.add_team(team)
        owner = d.make_token("owner", "caseworker", [OWN])
        partner = d.make_token("partner", "caseworker", [PART])
        cid = d.create_case("toegang", "RP-0002", OWN, token=owner)["id"]
        d.share(cid, PART, "consent", token=owner)
        key = {"Idempotency-Key": "geheim-sleutel-7"}
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "forward"},
                      headers=key, token=partner)
        self.assertEqual(r.status, 200, r.raw)
        d.call("DELETE", "/v1/cases/%d/participants/%s" % (cid, PART), token=owner)

        cases = d.db_query("SELECT count(*) FROM cases")[0][0]
        r = d.request("POST", "/v1/cases", {"workflow": "toegang", "reference": "RP-0003",
                                            "team": PART}, headers=key, token=partner)
        self.assertProblem(r, 422, "Idempotency-Key", "geheim-sleutel-7", "used")
        self.assertNotIn(b"RP-0002", r.raw)
        self.assertEqual(d.db_query("SELECT count(*) FROM cases")[0][0], cases)
        logged = wait_until(lambda: [l for l in d.stderr_text().splitlines()
                                     if "Idempotency-Key" in l], what="the refusal logged")
        self.assertTrue(any("partner" in l and "no longer sees" in l for l in logged), logged)
        for l in logged:
            for word in ("geheim-sleutel-7", "RP-0002", "RP-0003"):
                self.assertNotIn(word, l)
        # With a new key the registration goes through.
        r = d.request("POST", "/v1/cases", {"workflow": "toegang", "reference": "RP-0003",
                                            "team": PART},
                      headers={"Idempotency-Key": "nieuw-1"}, token=partner)
        self.assertEqual(r.status, 201, r.raw)


class AssigneeNamesTest(TermijnTestCase):
    """Whoever may assign a case cannot tell from the answer whether a
    token name exists: a name nobody has, a revoked token's, and a token
    that cannot work on the case are refused alike."""

    def test_the_same_refusal_for_known_and_unknown_names(self):
        d = self.start_daemon(workflows=workflows_with(self.tmpdir, {"toegang.yaml": TOEGANG}))
        for team in (OWN, OTHER):
            d.add_team(team)
        owner = d.make_token("owner", "caseworker", [OWN])
        d.make_token("elsewhere", "caseworker", [OTHER])
        d.make_token("onlooker", "reader", [OWN])
        d.make_token("gone", "caseworker", [OWN])
        d.revoke_token("gone")
        cid = d.create_case("toegang", "AS-0001", OWN, token=owner)["id"]
        answers = {}
        for name in ("nobody-such", "elsewhere", "onlooker", "gone"):
            r = d.request("POST", "/v1/cases/%d/assign" % cid, {"assignee": name},
                          token=owner)
            self.assertProblem(r, 409, name)
            answers[name] = (r.status, r.raw.replace(name.encode(), b"NAME"))
        self.assertEqual(len(set(answers.values())), 1, answers)
        self.assertEqual([row[0] for row in d.db_query(
            "SELECT cause FROM transitions WHERE case_id = ?", (cid,))], ["create"])
        # A name that may work on it is taken.
        d.make_token("colleague", "caseworker", [OWN])
        c = d.call("POST", "/v1/cases/%d/assign" % cid, {"assignee": "colleague"},
                   token=owner)
        self.assertEqual(c["assignee"], "colleague")


class RevocationTest(TermijnTestCase):
    """A revoked token fails on the very next request, however it was
    revoked; an expired one fails from the moment it expires."""

    def assertRefused(self, r):
        self.assertProblem(r, 401, "token")
        self.assertIn("invalid_token", r.headers.get("www-authenticate", ""))

    def test_revoked_over_the_api(self):
        d = self.start_daemon()
        token = d.make_token("cw-t", "caseworker", ["t"])
        conn = d.connection()
        self.assertEqual(d.request("GET", "/v1/cases", token=token, conn=conn).status, 200)
        d.revoke_token("cw-t")
        # The very next request, on the same keep-alive connection.
        self.assertRefused(d.request("GET", "/v1/cases", token=token, conn=conn))
        self.assertRefused(d.request("POST", "/v1/cases", {
            "workflow": "zelfmelding", "reference": "RV-1", "team": "t"}, token=token))
        r = d.request("DELETE", "/v1/tokens/cw-t", token=d.admin_token)
        self.assertProblem(r, 404, "cw-t")
        listed = {t["name"]: t for t in d.request("GET", "/v1/tokens",
                                                   token=d.admin_token).body["tokens"]}
        self.assertIsNotNone(listed["cw-t"].get("revoked_at"), listed["cw-t"])
        conn.close()

    def test_malformed_authorization(self):
        d = self.start_daemon()
        for i, value in enumerate(("Bearer", "Bearer ", "Basic d29ya2VyOnNlY3JldA==",
                                   d.token, "Bearer " + d.token[:-1],
                                   "Bearer " + d.token + "x", "Bearer  " + d.token)):
            r = d.request("GET", "/v1/workflows", token=None,
                          headers={"Authorization": value})
            self.assertEqual(r.status, 401, "malformed header %d" % i)
        # The scheme's name is not case-sensitive (RFC 9110).
        r = d.request("GET", "/v1/workflows", token=None,
                      headers={"Authorization": "bearer " + d.token})
        self.assertEqual(r.status, 200, r.raw)

    def test_revoked_on_the_database_while_termijnd_runs(self):
        d = self.start_daemon()
        # Made offline, on the database of the running termijnd: it works at once.
        p = run_termijnctl("token", "create", "--db", d.db, "--name", "offline",
                           "--role", "supervisor", "--team", "t")
        self.assertEqual(p.returncode, 0, p.stderr)
        token = p.stdout.strip()
        conn = d.connection()
        self.assertEqual(d.request("GET", "/v1/cases", token=token, conn=conn).status, 200)
        db_execute(d.db, "UPDATE tokens SET revoked_at = created_at WHERE name = 'offline'")
        self.assertRefused(d.request("GET", "/v1/cases", token=token, conn=conn))
        conn.close()

    def test_revoked_after_many_uses(self):
        # termijnd keeps tokens in memory once used: a revocation still
        # counts at the very next request, whoever made it.
        d = self.start_daemon()
        conn = d.connection()
        offline = d.make_token("cw-off", "caseworker", ["t"])
        api = d.make_token("cw-api", "caseworker", ["t"])
        for i in range(5):
            for token in (offline, api):
                self.assertEqual(d.request("GET", "/v1/cases", token=token,
                                           conn=conn).status, 200)
        self.assertEqual(d.request("POST", "/v1/cases", {
            "workflow": "zelfmelding", "reference": "RV-MANY-1", "team": "t"},
            token=offline, conn=conn).status, 201)
        # By termijnctl, a second process writing the database file.
        p = run_termijnctl("token", "revoke", "cw-off", "--db", d.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRefused(d.request("POST", "/v1/cases", {
            "workflow": "zelfmelding", "reference": "RV-MANY-2", "team": "t"},
            token=offline, conn=conn))
        self.assertRefused(d.request("GET", "/v1/cases", token=offline, conn=conn))
        # The other token, kept as well, is untouched; then revoked over the API.
        self.assertEqual(d.request("GET", "/v1/cases", token=api, conn=conn).status, 200)
        d.revoke_token("cw-api")
        self.assertRefused(d.request("GET", "/v1/cases", token=api, conn=conn))
        self.assertEqual([r[0] for r in d.db_query(
            "SELECT reference FROM cases WHERE reference LIKE 'RV-MANY-%'")], ["RV-MANY-1"])
        conn.close()

    def test_teams_made_while_running(self):
        # A team made over the API or offline serves at once: for a token
        # and for a registration.
        d = self.start_daemon()
        r = d.request("POST", "/v1/teams", {"name": "t-api", "title": "Team API"},
                      token=d.admin_token)
        self.assertEqual(r.status, 201, r.body)
        p = run_termijnctl("team", "add", "t-off", "--title", "Team offline", "--db", d.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        token = d.make_token("cw-both", "caseworker", ["t-api", "t-off"])
        for team in ("t-api", "t-off"):
            r = d.request("POST", "/v1/cases", {
                "workflow": "zelfmelding", "reference": "TM-" + team, "team": team},
                token=token)
            self.assertEqual(r.status, 201, r.body)
        r = d.request("POST", "/v1/cases", {
            "workflow": "zelfmelding", "reference": "TM-none", "team": "t-none"},
            token=token)
        self.assertEqual(r.status // 100, 4, r.body)

    def test_expired(self):
        # termijnctl reads the real clock: the faked one starts after it.
        day = datetime.date.today() + datetime.timedelta(days=2)
        clock = FakeClock(self.tmpdir, local(day.year, day.month, day.day, 10))
        d = self.start_daemon(clock=clock)
        over_api = d.make_token("api", "caseworker", ["t"], expires=day.isoformat())
        p = run_termijnctl("token", "create", "--db", d.db, "--name", "offline",
                           "--role", "caseworker", "--team", "t", "--expires", day.isoformat())
        self.assertEqual(p.returncode, 0, p.stderr)
        offline = p.stdout.strip()
        # A date is the last day a token works: to its end, local time.
        clock.set(local(day.year, day.month, day.day, 23, 59, 50))
        for token in (over_api, offline):
            self.assertEqual(d.request("GET", "/v1/cases", token=token).status, 200)
        after = day + datetime.timedelta(days=1)
        clock.set(local(after.year, after.month, after.day, 0, 0, 1))
        for token in (over_api, offline):
            self.assertRefused(d.request("GET", "/v1/cases", token=token))
        # Tokens that never expire go on working.
        self.assertEqual(d.request("GET", "/v1/cases").status, 200)


if __name__ == "__main__":
    unittest.main()
