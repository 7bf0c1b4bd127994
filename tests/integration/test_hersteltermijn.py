"""An application that may be incomplete (workflows/aanvraag_hersteltermijn.yaml)
against a real termijnd.

Each scenario is written from the Awb by hand: the decision period of 8 weeks
from the day after receipt (4:13) under the Algemene termijnenwet; suspended
from the day after the invitation to complete up to and excluding the day it
was completed, or for exactly the hersteltermijn when it expired unused
(4:15, domain.md); the decision not to process within 4 weeks after that
(4:5 lid 4), also under the Atw.  The clock moves with faketime; nothing
sleeps for a deadline."""

from harness import FakeClock, TermijnTestCase, local, wait_until

FAST = {"scheduler": {"recheck_interval": 0.1}}


class HersteltermijnTest(TermijnTestCase):

    def start(self, when):
        self.clock = FakeClock(self.tmpdir, when)
        self.d = self.start_daemon(clock=self.clock, config=FAST)
        self.worker = self.d.token
        self.chef = self.d.make_token("chef", "supervisor", ["jeugd-noord"])
        return self.d

    def application(self, received, reference):
        """A case registered on the day the application was received."""
        return self.d.create_case(workflow="aanvraag_hersteltermijn",
                                  reference=reference, started_at=received)

    def event(self, cid, name, token=None, expect=200, **extra):
        body = dict({"event": name}, **extra)
        r = self.d.request("POST", "/v1/cases/%d/events" % cid, body,
                           token=token or self.worker)
        self.assertEqual(r.status, expect, r.raw)
        return r.body

    @staticmethod
    def due(case, name):
        found = [dl for dl in case["deadlines"] if dl["name"] == name]
        assert found, (name, case["deadlines"])
        return found[-1]["due"]

    def test_completed_suspension_ends_on_liberation_day(self):
        """Received on Tuesday 4 March 2025: 8 weeks end on Tuesday 29 April.
        Invited to complete on Thursday 13 March, completed on Tuesday 18
        March: 14 to 17 March are suspended (4 days), the day completed runs
        again.  29 April + 4 days = Saturday 3 May; Sunday; Monday 5 May is
        Liberation Day (Atw art. 3, every year): Tuesday 6 May 2025."""
        d = self.start(local(2025, 3, 4, 9, 0))
        c = self.application("2025-03-04", "A-2025-0101")
        cid = c["id"]
        self.assertEqual(self.due(c, "decision"), "2025-04-29")
        self.clock.set(local(2025, 3, 13, 10, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "request_completion", "note": "x"}, token=self.chef)
        self.assertProblem(r, 403, "caseworker")
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "request_completion"}, token=self.worker)
        self.assertProblem(r, 400, "reason")
        c = self.event(cid, "request_completion",
                       note="loonstroken ontbreken; hersteltermijn twee weken")
        self.assertIsNone(c["deadlines"][0]["due"])
        self.clock.set(local(2025, 3, 18, 14, 0))
        c = self.event(cid, "completed")
        self.assertEqual(self.due(c, "decision"), "2025-05-06")
        self.assertIn("Liberation", " ".join(c["deadlines"][0]["explanation"]))
        self.clock.set(local(2025, 5, 6, 16, 0))
        c = self.event(cid, "decided")
        self.assertEqual((c["state"], c["final"]), ("decided", True))

    def test_hersteltermijn_expired_unused_suspends_exactly_its_length(self):
        """Received on Monday 5 January 2026: 8 weeks end on Monday 2 March.
        Invited on Monday 12 January with a hersteltermijn of two weeks, to
        Monday 26 January, which passes unused; recorded the day after:
        suspended 13 to 26 January, exactly 14 days: Monday 16 March 2026."""
        d = self.start(local(2026, 1, 5, 9, 0))
        cid = self.application("2026-01-05", "A-2026-0102")["id"]
        self.clock.set(local(2026, 1, 12, 10, 0))
        self.event(cid, "request_completion", note="hersteltermijn tot en met 26 januari")
        self.clock.set(local(2026, 1, 27, 9, 0))
        c = self.event(cid, "completion_period_expired")
        self.assertEqual(self.due(c, "decision"), "2026-03-16")
        # A resume while the period runs is refused and changes nothing.
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "completed"},
                      token=self.worker)
        self.assertProblem(r, 409, "not suspended")
        self.assertEqual(self.due(d.case(cid), "decision"), "2026-03-16")

    def test_not_processed_within_four_weeks_past_ascension(self):
        """Received on Monday 2 March 2026.  Invited on Thursday 2 April with a
        hersteltermijn to Thursday 16 April, which passes unused.  The four
        weeks to decide not to process it (4:5 lid 4) count from 16 April:
        Thursday 14 May, Ascension Day; Friday 15 May is equated by decree;
        the weekend: Monday 18 May 2026.  The caseworker hears a week before
        (00:00 on 12 May); when they pass, the supervisor, and the case waits
        for a decision on the application as it is."""
        d = self.start(local(2026, 3, 2, 9, 0))
        cid = self.application("2026-03-02", "A-2026-0103")["id"]
        self.clock.set(local(2026, 4, 2, 10, 0))
        self.event(cid, "request_completion", note="bouwtekening ontbreekt")
        self.clock.set(local(2026, 4, 17, 9, 0))
        r = d.request("POST", "/v1/cases/%d/events" % cid, {"event": "not_completed"},
                      token=self.worker)
        self.assertProblem(r, 400, "date")
        r = d.request("POST", "/v1/cases/%d/events" % cid,
                      {"event": "not_completed", "date": "2026-04-18"}, token=self.worker)
        self.assertProblem(r, 400, "future")
        self.assertEqual(d.case(cid)["state"], "deciding")
        c = self.event(cid, "not_completed", date="2026-04-16")
        self.assertEqual(c["state"], "not_processing")
        self.assertEqual(self.due(c, "not_processing"), "2026-05-18")
        text = " ".join(c["deadlines"][-1]["explanation"])
        self.assertIn("Ascension", text)
        self.assertIn("2026-05-15", text)
        self.clock.set(local(2026, 5, 19, 0, 0, 1))
        c = d.wait_state(cid, "must_decide")
        c = wait_until(lambda: (lambda c: c if len(c["notifications"]) >= 2 else None)(
            d.case(cid)), what="the reminder and the supervisor")
        self.assertEqual([(n["role"], n["rung"], n["at"]) for n in c["notifications"]], [
            ("caseworker", "before_P1W", "2026-05-12T00:00:00+02:00"),
            ("supervisor", "at_due", "2026-05-19T00:00:00+02:00")])

    def test_decided_not_to_process(self):
        """Completed insufficiently on Wednesday 23 December 2026: four weeks
        end on Wednesday 20 January 2027, across Christmas and New Year."""
        d = self.start(local(2026, 12, 1, 9, 0))
        cid = self.application("2026-12-01", "A-2026-0104")["id"]
        self.clock.set(local(2026, 12, 9, 10, 0))
        self.event(cid, "request_completion", note="uittreksel ontbreekt")
        self.clock.set(local(2026, 12, 23, 10, 0))
        c = self.event(cid, "not_completed", date="2026-12-23")
        self.assertEqual(self.due(c, "not_processing"), "2027-01-20")
        self.clock.set(local(2027, 1, 11, 10, 0))
        c = self.event(cid, "not_processed")
        self.assertEqual((c["state"], c["final"]), ("not_processed", True))
        self.assertEqual(d.case(cid)["deadlines"], [])

    def test_leap_day_and_whit_monday(self):
        """Received on Tuesday 4 January 2028: 8 weeks end on Tuesday 29
        February 2028, a leap day and a working day; overdue from 1 March.
        Received on Monday 30 March 2026: 8 weeks end on Whit Monday, 25 May:
        Tuesday 26 May 2026."""
        d = self.start(local(2026, 3, 30, 9, 0))
        c = self.application("2026-03-30", "A-2026-0106")
        self.assertEqual(c["deadlines"][0]["due"], "2026-05-26")
        self.assertIn("Whit Monday", " ".join(c["deadlines"][0]["explanation"]))
        self.clock.set(local(2028, 1, 4, 9, 0))
        c = self.application("2028-01-04", "A-2028-0105")
        self.assertEqual((c["deadlines"][0]["due"], c["deadlines"][0]["overdue_from"]),
                         ("2028-02-29", "2028-03-01T00:00:00+01:00"))
        self.clock.set(local(2028, 3, 1, 0, 0, 1))
        d.wait_state(c["id"], "overdue")
