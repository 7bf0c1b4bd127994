"""The objection procedure (workflows/bezwaar.yaml) against a real termijnd.

Each scenario is written from the Awb by hand: the bezwaartermijn of 6 weeks
from the day after bekendmaking (6:7, 6:8) under the Algemene termijnenwet;
an objection on time when received by its last day, or posted by then and
received within the week after it (6:9), that week itself under the Atw
(domain.md); the decision within 6 weeks (7:10), or 12 with an advisory
committee (7:13), counted from the day after the unextended end of the
bezwaartermijn or the later receipt, suspended while an omission is repaired,
deferred once by 6 weeks, further only with consent; the Atw once, on the
final date.  The clock moves with faketime; nothing sleeps for a deadline."""

import os
import re

from harness import (FakeClock, TermijnTestCase, local, source_dir, wait_until,
                     workflows_with)

FAST = {"scheduler": {"recheck_interval": 0.1}}


class BezwaarTest(TermijnTestCase):

    def start(self, when, workflows=None):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST, workflows=workflows)
        self.worker = self.d.token
        self.chef = self.d.make_token("chef", "supervisor", ["jeugd-noord"])
        return self.d

    def objection(self, bekendmaking, reference):
        """A case registered on the day the decision was made known."""
        return self.d.create_case(workflow="bezwaar", reference=reference,
                                  started_at=bekendmaking)

    def event(self, cid, name, token=None, expect=200, **extra):
        body = dict({"event": name}, **extra)
        r = self.d.request("POST", "/v1/cases/%d/events" % cid, body,
                           token=token or self.worker)
        self.assertEqual(r.status, expect, r.raw)
        return r.body

    def at(self, when):
        self.clock.set(when)

    def wait(self, cid, state):
        return self.d.wait_state(cid, state)

    @staticmethod
    def deadline(case, name):
        found = [dl for dl in case["deadlines"] if dl["name"] == name]
        assert found, (name, case["deadlines"])
        return found[-1]

    def notes(self, case):
        return [(n["role"], n["rung"], n["at"]) for n in case["notifications"]]

    # -- received within the bezwaartermijn ----------------------------------

    def test_kings_day_whit_monday_repair_verdaging_and_consent(self):
        """Made known on Saturday 15 March 2025.  6 weeks end on Saturday 26
        April 2025, King's Day that year (the 27th is a Sunday); the Atw moves
        the end to Monday 28 April, not the 29th.  Received on that Monday:
        on time.  The decision counts from the unextended end, 26 April: 6
        weeks end Saturday 7 June; Whit Sunday and Monday (8, 9 June) follow,
        so Tuesday 10 June.  An omission is repaired: asked Tuesday 6 May,
        repaired Friday 16 May; 7 to 15 May are suspended (9 days).  Deferred
        once by 6 weeks: 7 June + 6 weeks = Saturday 19 July, + 9 days =
        Monday 28 July.  Then a week with the objector's consent: Monday 4
        August, overdue from Tuesday 5 August; the caseworker hears a week
        and a day before, the supervisor 2 working days after."""
        d = self.start(local(2025, 3, 15, 9, 0))
        c = self.objection("2025-03-15", "B-2025-0001")
        cid = c["id"]
        self.assertEqual(c["state"], "objection_period")
        dl = self.deadline(c, "objection")
        self.assertEqual((dl["due"], dl["rule"], dl["kind"]), ("2025-04-28", "atw", "statutory"))
        self.assertTrue(any("King's Day" in line and "2025-04-26" in line
                            for line in dl["explanation"]), dl["explanation"])

        self.at(local(2025, 4, 28, 16, 0))
        self.event(cid, "objection_received")
        c = self.wait(cid, "deciding")
        dl = self.deadline(c, "decision")
        self.assertEqual(dl["due"], "2025-06-10")

        # An omission (Awb 6:6): the period stops, with what is missing.
        self.at(local(2025, 5, 6, 10, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "repair_requested"},
                      token=self.worker)
        self.assertProblem(r, 400, "reason")
        c = self.event(cid, "repair_requested", note="handtekening ontbreekt")
        self.assertIs(self.deadline(c, "decision")["running"], False)
        self.at(local(2025, 5, 16, 11, 0))
        c = self.event(cid, "repaired")
        # 7 June + 9 days = Monday 16 June.
        self.assertEqual(self.deadline(c, "decision")["due"], "2025-06-16")

        # Verdaging once, by a supervisor, with a reason; not twice.
        self.at(local(2025, 6, 2, 9, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "postponed", "note": "hoorzitting"}, token=self.worker)
        self.assertProblem(r, 403, "supervisor")
        c = self.event(cid, "postponed", token=self.chef, note="hoorzitting nodig")
        self.assertEqual(self.deadline(c, "decision")["due"], "2025-07-28")
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "postponed", "note": "nog eens"}, token=self.chef)
        self.assertProblem(r, 409, "extended")
        # Further only with consent, which the reason records.
        self.at(local(2025, 7, 21, 9, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "postponed_with_consent"}, token=self.chef)
        self.assertProblem(r, 400, "reason")
        c = self.event(cid, "postponed_with_consent", token=self.chef,
                       note="indiener stemt in met een week uitstel")
        dl = self.deadline(c, "decision")
        self.assertEqual((dl["due"], dl["extensions"]), ("2025-08-04", ["P6W", "P1W"]))

        self.at(local(2025, 8, 5, 0, 0, 1))
        c = self.wait(cid, "overdue")
        self.at(local(2025, 8, 7, 0, 0, 1))
        c = wait_until(lambda: (lambda c: c if len(c["notifications"]) >= 3 else None)(
            d.case(cid)), what="the supervisor's follow-up")
        self.assertEqual(self.notes(c), [
            ("caseworker", "before_P1W", "2025-07-29T00:00:00+02:00"),
            ("caseworker", "before_P1D", "2025-08-04T00:00:00+02:00"),
            ("supervisor", "after_P2D", "2025-08-07T00:00:00+02:00")])
        self.assertEqual([(t["from"], t["to"], t["event"]) for t in d.transitions(cid)], [
            (None, "objection_period", None),
            ("objection_period", "objection_filed", "objection_received"),
            ("objection_filed", "deciding", "objection_end"),
            ("deciding", "deciding", "repair_requested"),
            ("deciding", "deciding", "repaired"),
            ("deciding", "deciding", "postponed"),
            ("deciding", "deciding", "postponed_with_consent"),
            ("deciding", "overdue", "decision")])

    def test_years_end_counts_from_the_unextended_end(self):
        """Made known on Friday 13 November 2026: 6 weeks end on Friday 25
        December, Christmas; Boxing Day, the weekend: Monday 28 December.
        Received on Wednesday 23 December.  The decision counts from the
        unextended end, 25 December: Friday 5 February 2027 (not Monday 8
        February, as counting from the Atw's 28 December would).  The
        decision period starts at 00:00 on 26 December."""
        d = self.start(local(2026, 11, 13, 9, 0))
        cid = self.objection("2026-11-13", "B-2026-0002")["id"]
        self.assertEqual(self.deadline(d.case(cid), "objection")["due"], "2026-12-28")
        self.at(local(2026, 12, 23, 10, 0))
        c = self.event(cid, "objection_received")
        self.assertEqual(c["state"], "objection_filed")
        self.assertEqual(self.deadline(c, "objection_end")["due"], "2026-12-25")
        self.at(local(2026, 12, 26, 0, 0, 1))
        c = self.wait(cid, "deciding")
        self.assertEqual(self.deadline(c, "decision")["due"], "2027-02-05")
        self.assertEqual(d.transitions(cid)[-1]["at"], "2026-12-26T00:00:00+01:00")
        # A decision on time ends the case, and nothing more fires.
        self.at(local(2027, 2, 1, 10, 0))
        c = self.event(cid, "decided")
        self.assertEqual((c["state"], c["final"]), ("decided", True))

    # -- posted on time, received after the bezwaartermijn -----------------

    def posted_case(self, reference):
        """Made known on Friday 13 November 2026: the bezwaartermijn's last
        day is Monday 28 December; the week for the post ends on Monday 4
        January 2027 (New Year's Day is the Friday before)."""
        cid = self.objection("2026-11-13", reference)["id"]
        self.at(local(2026, 12, 29, 0, 0, 1))
        c = self.wait(cid, "posting_week")
        self.assertEqual(self.deadline(c, "posting_week")["due"], "2027-01-04")
        return cid

    def test_posted_on_time_received_within_the_week(self):
        """Posted on 28 December, received on Monday 4 January 2027, the last
        day of the week: on time; the decision counts from the receipt,
        later than the end: Monday 15 February 2027."""
        d = self.start(local(2026, 11, 13, 9, 0))
        cid = self.posted_case("B-2026-0003")
        self.at(local(2027, 1, 4, 15, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "objection_received_by_post", "date": "2027-01-04"},
                      token=self.worker)
        self.assertProblem(r, 400, "reason")
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "objection_received_by_post", "note": "poststempel 28-12"},
                      token=self.worker)
        self.assertProblem(r, 400, "date")
        c = self.event(cid, "objection_received_by_post", date="2027-01-04",
                       note="poststempel 2026-12-28")
        self.assertEqual(c["state"], "deciding")
        self.assertEqual(self.deadline(c, "decision")["due"], "2027-02-15")

    def test_received_on_time_registered_in_the_week_after(self):
        """Received on Thursday 24 December 2026, within the bezwaartermijn,
        but registered on Tuesday 29 December, in the week for the post: the
        decision counts from the unextended end of the bezwaartermijn, 25
        December, as for one registered on time: Friday 5 February 2027."""
        d = self.start(local(2026, 11, 13, 9, 0))
        cid = self.posted_case("B-2026-0007")
        self.clock.set(local(2026, 12, 29, 10, 0))
        c = self.event(cid, "objection_received", note="ontvangen 2026-12-24")
        c = self.wait(cid, "deciding")
        self.assertEqual(self.deadline(c, "decision")["due"], "2027-02-05")
        self.assertEqual([t["to"] for t in d.transitions(cid)],
                         ["objection_period", "posting_week", "objection_filed", "deciding"])

    def test_received_after_the_week_is_late(self):
        """The week passes at 00:00 on Tuesday 5 January 2027 and the case
        says no objection came.  One received that day is late (Awb 6:9,
        6:11): the objection that came in the week is refused now, the late
        one accepted, and its decision counts from the receipt: Tuesday 16
        February 2027."""
        d = self.start(local(2026, 11, 13, 9, 0))
        cid = self.posted_case("B-2026-0004")
        self.at(local(2027, 1, 5, 0, 0, 1))
        self.wait(cid, "no_objection")
        self.at(local(2027, 1, 5, 11, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "objection_received_by_post", "date": "2027-01-05",
                       "note": "poststempel 2026-12-28"}, token=self.worker)
        self.assertProblem(r, 409, "no_objection")
        c = self.event(cid, "late_objection_received", date="2027-01-05",
                       note="poststempel 2026-12-30")
        self.assertEqual(c["state"], "deciding")
        self.assertEqual(self.deadline(c, "decision")["due"], "2027-02-16")
        self.assertEqual([t["event"] for t in d.transitions(cid)][-1], "late_objection_received")

    def test_posting_week_ends_after_ascension_and_the_decree_day(self):
        """Made known on Thursday 26 March 2026: the bezwaartermijn ends on
        Thursday 7 May.  The week for the post would end on Thursday 14 May,
        Ascension Day; Friday 15 May is equated by decree, then the weekend:
        Monday 18 May (a plain 7 days would have made it late).  Received on
        18 May: the decision ends on Monday 29 June 2026."""
        d = self.start(local(2026, 3, 26, 9, 0))
        cid = self.objection("2026-03-26", "B-2026-0005")["id"]
        self.at(local(2026, 5, 8, 0, 0, 1))
        c = self.wait(cid, "posting_week")
        dl = self.deadline(c, "posting_week")
        self.assertEqual(dl["due"], "2026-05-18")
        text = " ".join(dl["explanation"])
        self.assertIn("Ascension", text)
        self.assertIn("2026-05-15", text)
        self.at(local(2026, 5, 18, 9, 0))
        c = self.event(cid, "objection_received_by_post", date="2026-05-18",
                       note="poststempel 2026-05-07")
        self.assertEqual(self.deadline(c, "decision")["due"], "2026-06-29")

    # -- with an advisory committee: 12 weeks ------------------------------

    def test_advisory_committee_ends_on_a_leap_day(self):
        """A municipality with an advisory committee sets the decision period
        to 12 weeks (7:13).  Made known on Tuesday 26 October 2027, the
        bezwaartermijn ends on Tuesday 7 December; 12 weeks after it end on
        Tuesday 29 February 2028, a leap day and a working day.  12 weeks
        are still within the Atw (art. 4)."""
        with open(os.path.join(source_dir(), "workflows", "bezwaar.yaml")) as f:
            text = f.read()
        text, n = re.subn(r"period: 6 weeks( +# Awb 7:10 lid 1)", r"period: 12 weeks\1", text)
        self.assertEqual(n, 1)
        path = workflows_with(self.tmpdir, {"bezwaar.yaml": text})
        d = self.start(local(2027, 10, 26, 9, 0), workflows=path)
        cid = self.objection("2027-10-26", "B-2027-0006")["id"]
        self.at(local(2027, 12, 1, 10, 0))
        self.event(cid, "objection_received")
        self.at(local(2027, 12, 8, 0, 0, 1))
        c = self.wait(cid, "deciding")
        dl = self.deadline(c, "decision")
        self.assertEqual((dl["due"], dl["overdue_from"]),
                         ("2028-02-29", "2028-03-01T00:00:00+01:00"))
