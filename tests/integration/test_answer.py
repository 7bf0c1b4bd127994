"""The answer to a write is the case as a read of it shows it (issue 18).

A registration is answered from the rows it just wrote, rendered by the
same code that renders a case read from the database, instead of reading
them back inside the writer; a registration dated in the past, a state
that brings teams in or tells roles, and an event are still read back.
Whichever way, the answer must be what GET /v1/cases/{id} says right
after: for every shipped workflow, registered now, dated a few days and
several months back (rungs and deadlines fired at once), and after an
event.

What legitimately differs between a write's answer and a read: the
write's "warnings" (what a dated write set off, a local time read one of
two ways, a function no team fills), which a read does not repeat; and
what counts from the moment of rendering: "time_left_seconds" and
"overdue_seconds" (the read comes a moment later), compared within a few
seconds.  The unit test test_engine's test_answer_from_what_was_written
compares the two renderings at one moment, byte for byte.
"""

import copy
import datetime
import glob
import json
import os
import threading
import unittest

from harness import TermijnTestCase, source_dir

# Counted from the moment of rendering: a read comes a little later.
MOMENTARY = ("time_left_seconds", "overdue_seconds")
SLACK = 5


def shipped_workflows():
    return sorted(os.path.splitext(os.path.basename(p))[0]
                  for p in glob.glob(os.path.join(source_dir(), "workflows", "*.yaml")))


def momentary(o, path=""):
    """The momentary values in o by path, and o without them."""
    found = {}
    if isinstance(o, dict):
        out = {}
        for k, v in o.items():
            if k in MOMENTARY and isinstance(v, int):
                found[path + "/" + k] = v
                continue
            sub, out[k] = momentary(v, path + "/" + k)
            found.update(sub)
        return found, out
    if isinstance(o, list):
        out = []
        for i, v in enumerate(o):
            sub, w = momentary(v, "%s/%d" % (path, i))
            found.update(sub)
            out.append(w)
        return found, out
    return found, o


class AnswerIsTheCase(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()

    def assertAnswerIsRead(self, answer, what):
        """answer (a write's) equals a GET of its case now, but for
        its warnings and what counts from the moment of rendering."""
        self.assertIsInstance(answer, dict, what)
        read = self.d.case(answer["id"])
        self.assertNotIn("warnings", read, what)
        written = copy.deepcopy(answer)
        written.pop("warnings", None)
        wt, written = momentary(written)
        rt, read_rest = momentary(read)
        self.assertEqual(written, read_rest, what)
        self.assertEqual(sorted(wt), sorted(rt), what)
        for k in wt:
            self.assertLessEqual(abs(wt[k] - rt[k]), SLACK, "%s: %s" % (what, k))
        # Keys in the same order: the answer is the same rendering.
        self.assertEqual([k for k in answer if k != "warnings"], list(read), what)
        return read

    def event_on(self, cid, accepts, date):
        """The first event the case accepts that the worker may record:
        its answer (events that need a date get one), or None."""
        for ev in accepts:
            for body in ({"event": ev}, {"event": ev, "date": date}):
                r = self.d.request("POST", "/v1/cases/%d/events" % cid, body)
                if r.status == 200:
                    return ev, r.body
        return None, None

    def test_every_workflow_now_dated_and_after_an_event(self):
        today = datetime.date.today()
        starts = (None, (today - datetime.timedelta(days=3)).isoformat(),
                  (today - datetime.timedelta(days=200)).isoformat())
        events = 0
        names = shipped_workflows()
        self.assertTrue(names)
        n = 0
        for wf in names:
            for started in starts:
                n += 1
                what = "%s started %s" % (wf, started or "now")
                answer = self.d.create_case(wf, "A-%d" % n, "jeugd-noord",
                                            started_at=started)
                case = self.assertAnswerIsRead(answer, what)
                if case["final"]:
                    continue
                ev, answer = self.event_on(case["id"], case["accepts"],
                                           today.isoformat())
                if ev is None:
                    continue
                events += 1
                self.assertAnswerIsRead(answer, "%s, event %s" % (what, ev))
        self.assertGreaterEqual(events, len(names))

    def test_many_registrations_in_one_batch(self):
        """Registrations that share a transaction each answer their own
        case (the rows a write kept are its own)."""
        answers = []
        lock = threading.Lock()

        def register(i):
            conn = self.d.connection()
            try:
                body = json.dumps({"workflow": "zelfmelding",
                                   "reference": "B-%d" % i,
                                   "team": "jeugd-noord"})
                conn.request("POST", "/v1/cases", body=body, headers={
                    "Authorization": "Bearer " + self.d.token,
                    "Content-Type": "application/json"})
                r = conn.getresponse()
                data = json.loads(r.read())
                self.assertEqual(r.status, 201, data)
                with lock:
                    answers.append(data)
            finally:
                conn.close()

        threads = [threading.Thread(target=register, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(answers), 24)
        self.assertEqual(len({a["id"] for a in answers}), 24)
        for a in answers:
            self.assertAnswerIsRead(a, "case %d" % a["id"])


if __name__ == "__main__":
    unittest.main()
