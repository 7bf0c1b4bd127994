"""termijnctl due and GET /v1/calendar/due: the same answers, checked by hand.

Every expected date below was worked out by hand from ../shared/domain.md
(Algemene termijnenwet art. 1 to 4, the holidays of art. 3 and the days
equated by decree); the comment beside it says how.  Each row is computed
three ways, by termijnctl due as text, by termijnctl due --json, and by a
real termijnd over HTTP, and the three must agree.

Holidays used, for reference (weekdays checked against a calendar):
  2025  Good Friday 18 Apr, Easter Monday 21 Apr, King's Day Sat 26 Apr
        (the 27th is a Sunday), Ascension Thu 29 May + decree Fri 30 May,
        Christmas Thu 25 / Fri 26 Dec
  2026  decree Fri 2 Jan, King's Day Mon 27 Apr, Liberation Day Tue 5 May,
        Ascension Thu 14 May + decree Fri 15 May
  2027  Good Friday 26 Mar, Easter Monday 29 Mar, Ascension Thu 6 May +
        decree Fri 7 May, Christmas Sat 25 / Sun 26 Dec
  2028  King's Day Thu 27 Apr + decree Fri 28 Apr, Whit Monday 5 Jun,
        Christmas Mon 25 / Tue 26 Dec
  2029  no decree data yet
"""

import datetime
import json
import os
import subprocess
import unittest
import urllib.parse

from harness import (SANITIZER_MARKS, Daemon, TempDir, TermijnTestCase,
                     build_dir, midnight_after, require_tools, source_dir,
                     termijnctl_path, termijnd_path)

# (from, period, rule, courtesy, expected due, decree missing, a phrase the
# explanation must hold or None).  Dates are the last day of the period.
CASES = [
    # -- 2025 --------------------------------------------------------------
    # Objection period (Awb 6:7), 6 weeks from Fri 7 Mar: raw end Fri 18 Apr
    # is Good Friday (art. 3 lid 2); Sat, Easter Sunday, Easter Monday 21
    # Apr follow, so Tue 22 Apr.
    ("2025-03-07", "P6W", "atw", False, "2025-04-22", False,
     "2025-04-18 is Good Friday"),
    # 6 weeks from Sat 15 Mar: raw end Sat 26 Apr, King's Day itself in
    # 2025 because the 27th is a Sunday; then Sun 27 Apr, so Mon 28 Apr.
    ("2025-03-15", "P6W", "atw", False, "2025-04-28", False,
     "2025-04-26 is King's Day"),
    # 2 weeks from Thu 15 May: raw end Thu 29 May is Ascension Day, Fri 30
    # May is equated by decree, then the weekend: Mon 2 Jun.
    ("2025-05-15", "P2W", "atw", False, "2025-06-02", False,
     "2025-05-30 is Friday after Ascension Day"),
    # 2 weeks from Thu 11 Dec: raw end Christmas Day (Thu), Boxing Day
    # (Fri), the weekend: Mon 29 Dec.
    ("2025-12-11", "P2W", "atw", False, "2025-12-29", False,
     "2025-12-25 is Christmas Day"),
    # 2 weeks from Fri 19 Dec: raw end Fri 2 Jan 2026, equated by decree;
    # then the weekend: Mon 5 Jan.
    ("2025-12-19", "P2W", "atw", False, "2026-01-05", False,
     "2026-01-02 is Friday after New Year's Day"),
    # Art. 4 boundary: exactly 12 weeks is covered.  From Sat 4 Jan the raw
    # end is Sat 29 Mar, rolled past Sunday to Mon 31 Mar.
    ("2025-01-04", "P12W", "atw", False, "2025-03-31", False, "art. 1"),
    # ... 13 weeks is not: the raw end Sat 5 Apr stands.
    ("2025-01-04", "P13W", "atw", False, "2025-04-05", False,
     "more than 12 weeks (art. 4)"),
    # A year is never covered (art. 4): Sun 26 Apr 2026 stands.
    ("2025-04-26", "P1Y", "atw", False, "2026-04-26", False,
     "one year or more (art. 4)"),
    # -- 2026 --------------------------------------------------------------
    # King's Day 2026 is a Monday.  6 weeks from Mon 16 Mar: raw end Mon 27
    # Apr, King's Day, so Tue 28 Apr.
    ("2026-03-16", "P6W", "atw", False, "2026-04-28", False,
     "2026-04-27 is King's Day"),
    # The same anchor as a timestamp late in the evening, and as the same
    # instant in UTC (00:30 local on the 16th): only the local date counts.
    ("2026-03-16T23:30:00+01:00", "P6W", "atw", False, "2026-04-28", False,
     None),
    ("2026-03-15T23:30:00Z", "P6W", "atw", False, "2026-04-28", False, None),
    # A municipality's own period (plain) is not moved past King's Day...
    ("2026-03-16", "P6W", "plain", False, "2026-04-27", False, "not extended"),
    # ... unless it chooses to roll it forward as a courtesy.
    ("2026-03-16", "P6W", "plain", True, "2026-04-28", False, "courtesy"),
    # Decision period (Awb 4:13), 8 weeks from Tue 10 Mar: raw end Tue 5
    # May, Liberation Day, a holiday every year under the Atw: Wed 6 May.
    ("2026-03-10", "P8W", "atw", False, "2026-05-06", False,
     "2026-05-05 is Liberation Day"),
    # Ascension and its decree day: 2 weeks from Thu 30 Apr end on Thu 14
    # May (Ascension), Fri 15 May is equated by decree, then the weekend:
    # Mon 18 May.
    ("2026-04-30", "P2W", "atw", False, "2026-05-18", False,
     "2026-05-15 is Friday after Ascension Day"),
    # Art. 2: 3 days from Wed 13 May end on Sat 16 May, rolled by art. 1 to
    # Mon 18 May; but 14..18 May holds only one working day (Thu Ascension,
    # Fri decree day, the weekend), so it runs to Tue 19 May.
    ("2026-05-13", "P3D", "atw", False, "2026-05-19", False,
     "Algemene termijnenwet art. 1 and 2"),
    # Art. 4 boundary: exactly 90 days is covered.  From Sun 11 Jan, 90
    # days end on Sat 11 Apr, rolled past Sunday to Mon 13 Apr.
    ("2026-01-11", "P90D", "atw", False, "2026-04-13", False, "art. 1"),
    # ... 91 days is not: Sun 12 Apr stands.
    ("2026-01-11", "P91D", "atw", False, "2026-04-12", False,
     "more than 90 days (art. 4)"),
    # Art. 4 boundary in months: 3 months from Sat 31 Oct end on Sun 31 Jan
    # 2027, rolled to Mon 1 Feb.
    ("2026-10-31", "P3M", "atw", False, "2027-02-01", False, "art. 1"),
    # ... 4 months end on the last day of the shorter February, Sun 28 Feb
    # 2027, and that stands.
    ("2026-10-31", "P4M", "atw", False, "2027-02-28", False,
     "more than 3 months (art. 4)"),
    # 5 working days from Thu 23 Apr: Fri 24, (weekend, King's Day Mon 27),
    # Tue 28, Wed 29, Thu 30, Fri 1 May.
    ("2026-04-23", "P5D", "working_days", False, "2026-05-01", False,
     "2026-04-27 is King's Day, not a working day"),
    # Counted back 10 days from a hearing on Fri 15 May: Tue 5 May, which is
    # Liberation Day, yet a backward period is never moved.
    ("2026-05-15", "P10D", "backward", False, "2026-05-05", False,
     "not moved"),
    # Hours are elapsed time (art. 4: no Atw).  48 hours from Fri 27 Mar
    # 12:00 CET end on Sun 29 Mar 13:00 CEST: the clocks went forward that
    # night (domain.md's own example).
    ("2026-03-27T12:00:00+01:00", "PT48H", "hours", False,
     "2026-03-29T13:00:00+02:00", False, "the clocks change"),
    ("2026-03-27T12:00:00+01:00", "PT48H", "atw", False,
     "2026-03-29T13:00:00+02:00", False, "periods in hours (art. 4)"),
    # A date anchor is 00:00 local: Sat 28 Mar 00:00 CET, 23:00 UTC on the
    # 27th.  24 hours later is 23:00 UTC on the 28th, still CET: Sun 29 Mar
    # 00:00+01:00, as the clocks go forward only at 02:00 that night.
    ("2026-03-28", "PT24H", "hours", False, "2026-03-29T00:00:00+01:00",
     False, None),
    # 48 hours later is 23:00 UTC on the 29th, now CEST: Mon 30 Mar 01:00.
    ("2026-03-28", "PT48H", "hours", False, "2026-03-30T01:00:00+02:00",
     False, "the clocks change"),
    # And back in October: 24 hours from Sat 24 Oct 12:00 CEST end at 11:00
    # CET on Sunday 25 Oct.
    ("2026-10-24T12:00:00+02:00", "PT24H", "hours", False,
     "2026-10-25T11:00:00+01:00", False, "the clocks change"),
    # -- 2027 --------------------------------------------------------------
    # Easter 2027 (Sunday 28 Mar): 6 weeks from Fri 12 Feb end on Good
    # Friday 26 Mar; Sat, Easter Sunday, Easter Monday 29 Mar: Tue 30 Mar.
    ("2027-02-12", "P6W", "atw", False, "2027-03-30", False,
     "2027-03-29 is Easter Monday"),
    # Art. 2 at Easter: 3 days from Thu 25 Mar end on Sun 28 Mar, rolled
    # past Easter Monday to Tue 30 Mar; 26..30 Mar holds one working day
    # (Good Friday, weekend, Easter Monday), so Wed 31 Mar.
    ("2027-03-25", "P3D", "atw", False, "2027-03-31", False,
     "(Algemene termijnenwet art. 2)"),
    # Ascension 2027 is Thu 6 May, Fri 7 May equated by decree: 2 weeks
    # from Thu 22 Apr run to Mon 10 May.
    ("2027-04-22", "P2W", "atw", False, "2027-05-10", False,
     "2027-05-07 is Friday after Ascension Day"),
    # Christmas 2027 falls on the weekend and the Atw knows no substitute
    # day: 6 weeks from Sat 13 Nov end on Sat 25 Dec (Christmas Day), Sun 26
    # (Boxing Day), so Mon 27 Dec, a working day.
    ("2027-11-13", "P6W", "atw", False, "2027-12-27", False,
     "2027-12-26 is Boxing Day"),
    # 3 working days from Thu 23 Dec: Fri 24, (weekend with both Christmas
    # days), Mon 27, Tue 28.
    ("2027-12-23", "P3D", "working_days", False, "2027-12-28", False, None),
    # -- 2028 --------------------------------------------------------------
    # Month end in a leap year: 1 month from Mon 31 Jan is Tue 29 Feb.
    ("2028-01-31", "P1M", "atw", False, "2028-02-29", False, "no extension"),
    # King's Day Thu 27 Apr and the decree day Fri 28 Apr: 2 weeks from Thu
    # 13 Apr run to Mon 1 May.
    ("2028-04-13", "P2W", "atw", False, "2028-05-01", False,
     "2028-04-28 is Friday after King's Day"),
    # 1 month from Fri 5 May ends on Mon 5 Jun, Whit Monday: Tue 6 Jun.
    ("2028-05-05", "P1M", "atw", False, "2028-06-06", False,
     "2028-06-05 is Whit Monday"),
    # Christmas 2028 on Mon and Tue: 6 weeks from Sat 11 Nov end on Sat 23
    # Dec; Sun 24, Christmas Day, Boxing Day, so Wed 27 Dec.
    ("2028-11-11", "P6W", "atw", False, "2028-12-27", False,
     "2028-12-25 is Christmas Day"),
    # Art. 2 at Christmas 2028: 3 days from Fri 22 Dec end on Mon 25 Dec,
    # rolled to Wed 27 Dec; 23..27 Dec holds one working day, so Thu 28 Dec.
    ("2028-12-22", "P3D", "atw", False, "2028-12-28", False,
     "Algemene termijnenwet art. 1 and 2"),
    # -- 2029: no decree data yet ----------------------------------------
    # 6 weeks from Fri 5 Jan end on Fri 16 Feb, a working day as far as the
    # act goes; but no decree for 2029 is known, so the answer says so.
    ("2029-01-05", "P6W", "atw", False, "2029-02-16", True,
     "no decree data for 2029"),
    # 5 working days from Wed 27 Dec 2028: Thu 28, Fri 29, (weekend, New
    # Year's Day Mon 1 Jan), Tue 2, Wed 3, Thu 4 Jan 2029, in a year
    # without decree data.
    ("2028-12-27", "P5D", "working_days", False, "2029-01-04", True,
     "no decree data for 2029"),
]

DECREE_WARNING = "has no decree data yet"


def overdue_from(due):
    """00:00 local after a last day, written as termijn writes it."""
    return midnight_after(datetime.date.fromisoformat(due)).isoformat()


class DueTest(TermijnTestCase):

    @classmethod
    def setUpClass(cls):
        require_tools()
        cls.ctl = termijnctl_path()
        cls._dtmp = TempDir("due")
        cls.d = Daemon(cls._dtmp.path)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.d.close()
        finally:
            cls._dtmp.cleanup()

    # -- helpers ------------------------------------------------------------

    def run_ctl(self, *args, expect=0):
        """termijnctl offline: no URL, no token.  Returns (stdout, stderr)."""
        env = dict(os.environ)
        env.pop("TERMIJN_TOKEN", None)
        env.pop("TERMIJN_URL", None)
        p = subprocess.run([self.ctl] + list(args), env=env, capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        what = "termijnctl %s\nexit %d\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(args), p.returncode, out, err)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, err, what)
        if expect is not None:
            self.assertEqual(p.returncode, expect, what)
        return out, err

    @staticmethod
    def ctl_args(frm, period, rule, courtesy):
        args = ["due", "--from", frm, "--period", period, "--rule", rule]
        if courtesy:
            args.append("--courtesy")
        return args

    def http(self, params, daemon=None, token=None):
        """GET /v1/calendar/due with params (a dict or a list of pairs),
        encoded as a browser would: '+' as %2B, spaces as '+'."""
        d = daemon or self.d
        path = "/v1/calendar/due?" + urllib.parse.urlencode(params)
        if token is None:
            return d.request("GET", path)
        return d.request("GET", path, token=token)

    @staticmethod
    def http_params(frm, period, rule, courtesy):
        p = {"from": frm, "period": period, "rule": rule}
        if courtesy:
            p["courtesy"] = "true"
        return p

    def check_answer(self, row, daemon=None, extra_args=()):
        frm, period, rule, courtesy, due, missing, phrase = row
        args = self.ctl_args(frm, period, rule, courtesy) + list(extra_args)

        out, _ = self.run_ctl(*args)
        lines = out.splitlines()
        self.assertEqual(lines[0], due, out)
        explanation = [l[2:] for l in lines[1:] if l.startswith("  ")]
        self.assertTrue(explanation, out)
        warning = [l for l in lines[1:] if not l.startswith("  ")]
        if missing:
            self.assertEqual(len(warning), 1, out)
            self.assertIn(DECREE_WARNING, warning[0])
            self.assertIn("may", warning[0])
        else:
            self.assertEqual(warning, [], out)

        jout, _ = self.run_ctl(*(args + ["--json"]))
        j = json.loads(jout)
        self.assertEqual(j["due"], due, jout)
        self.assertEqual(j["decree_missing"], missing, jout)
        self.assertEqual(j["rule"], rule, jout)
        self.assertEqual(j["explanation"], explanation, jout)
        self.assertEqual(set(j), {"due", "overdue_from", "rule", "period",
                                  "explanation", "decree_missing"}, jout)
        if "T" in due:
            self.assertEqual(j["overdue_from"], due, jout)
        else:
            self.assertEqual(j["overdue_from"], overdue_from(due), jout)
        if phrase is not None:
            self.assertTrue(any(phrase in l for l in explanation),
                            "no %r in the explanation:\n%s" % (phrase, out))
        # The global --json, before the command, is the same.
        self.assertEqual(json.loads(self.run_ctl("--json", *args)[0]), j)

        r = self.http(self.http_params(frm, period, rule, courtesy), daemon)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.body, j, "HTTP and termijnctl disagree")
        return j

    # -- the table ------------------------------------------------------------

    def test_statutory_periods_2025_to_2029(self):
        for row in CASES:
            with self.subTest(frm=row[0], period=row[1], rule=row[2],
                              courtesy=row[3]):
                self.check_answer(row)

    def test_period_spellings_agree(self):
        # Words and ISO 8601 are the same period; the answer names it in ISO.
        a = self.check_answer(("2026-03-16", "6 weeks", "atw", False,
                               "2026-04-28", False, None))
        self.assertEqual(a["period"], "P6W")
        b = self.check_answer(("2026-03-16", "P42D", "atw", False,
                               "2026-04-28", False, None))
        self.assertEqual(b["period"], "P42D")

    # -- bad input ------------------------------------------------------------

    def assertCtlRefuses(self, args, *words):
        out, err = self.run_ctl(*args, expect=2)
        self.assertEqual(out, "")
        first = err.splitlines()[0] if err else ""
        for w in words:
            self.assertIn(w.lower(), first.lower(),
                          "termijnctl %s: %r does not name %r" % (" ".join(args), err, w))

    def test_bad_input(self):
        good = {"from": "2026-03-16", "period": "P6W", "rule": "atw"}
        cases = [
            # (what to change, its value, words the message must hold)
            ("from", "2026-02-30", ["2026-02-30", "no such date"]),
            ("from", "16-03-2026", ["16-03-2026", "YYYY-MM-DD"]),
            # Local time the clocks skip in spring does not exist.
            ("from", "2026-03-29T02:30", ["no such time", "Europe/Amsterdam",
                                          "from 02:00 to 03:00"]),
            ("from", "2026-03-16T12", ["expected a time HH:MM"]),
            ("from", "2026-13-01", ["2026-13-01"]),
            # The calendar covers 1970-01-01 to 9999-12-31; before, the
            # zone's offsets had seconds and year 1 read back as year 0.
            ("from", "1909-01-01", ["1909-01-01", "before 1970-01-01"]),
            ("from", "0001-01-01", ["0001-01-01", "before 1970-01-01"]),
            ("from", "1969-12-31T23:59:59+01:00", ["before 1970-01-01"]),
            ("from", "9999-12-01", ["9999-12-01", "out of range"]),
            ("period", "P1M2D", ["P1M2D", "combined"]),
            ("period", "6 weken", ["weken", "unknown unit"]),
            ("period", "P0D", ["P0D", "count"]),
            ("period", "-6 weeks", ["sign"]),
            ("rule", "statutory", ["statutory", "unknown rule"]),
            ("rule", "", ["unknown rule"]),
        ]
        for key, value, words in cases:
            with self.subTest(key=key, value=value):
                p = dict(good, **{key: value})
                r = self.http(p)
                self.assertProblem(r, 400, *words)
                self.assertCtlRefuses(self.ctl_args(p["from"], p["period"],
                                                    p["rule"], False), *words)

        # A rule that needs another unit.
        p = dict(good, rule="working_days")
        self.assertProblem(self.http(p), 400, "working_days", "days")
        self.assertCtlRefuses(self.ctl_args(p["from"], "P6W", "working_days",
                                            False), "working_days", "days")
        p = dict(good, rule="hours")
        self.assertProblem(self.http(p), 400, "hours")
        self.assertCtlRefuses(self.ctl_args(p["from"], "P6W", "hours", False),
                              "hours")

        # Courtesy: true or false, and only for plain periods in days.
        for value in ("yes", "1", "TRUE", ""):
            with self.subTest(courtesy=value):
                self.assertProblem(self.http(dict(good, courtesy=value)), 400,
                                   "courtesy", "true or false")
        self.assertProblem(self.http(dict(good, courtesy="true")), 400,
                           "courtesy", "plain")
        self.assertCtlRefuses(self.ctl_args("2026-03-16", "P6W", "atw", True),
                              "courtesy", "plain")
        self.assertProblem(self.http({"from": "2026-03-16", "period": "PT48H",
                                      "rule": "plain", "courtesy": "true"}),
                           400, "courtesy", "hours")
        self.assertCtlRefuses(self.ctl_args("2026-03-16", "PT48H", "plain",
                                            True), "courtesy", "hours")
        r = self.http(dict(good, rule="plain", courtesy="false"))
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.body["due"], "2026-04-27")

        # Missing, unknown and repeated parameters.
        for key in ("from", "period", "rule"):
            with self.subTest(missing=key):
                p = {k: v for k, v in good.items() if k != key}
                self.assertProblem(self.http(p), 400, "missing", key)
                args = ["due"]
                for k, v in p.items():
                    args += ["--" + k, v]
                self.assertCtlRefuses(args, "--" + key, "required")
        self.assertProblem(self.http(dict(good, anchor="2026-03-16")), 400,
                           "unknown", "anchor")
        self.assertCtlRefuses(self.ctl_args("2026-03-16", "P6W", "atw", False)
                              + ["--anchor", "2026-03-16"],
                              "unknown option", "--anchor")
        self.assertProblem(self.http(list(good.items()) + [("rule", "plain")]),
                           400, "rule", "more than once")

        # An offset's '+' sent unencoded arrives as a space: say so.
        r = self.d.request("GET", "/v1/calendar/due?from=2026-03-27T12:00:00"
                           "+01:00&period=PT48H&rule=hours")
        self.assertProblem(r, 400, "from", "%2B")
        # Bytes that are not text are refused by the parameter's name,
        # never echoed into the answer.
        r = self.d.request("GET", "/v1/calendar/due?from=2026-03-16&period=P6W"
                           "&rule=%FF%FEatw")
        self.assertProblem(r, 400, '"rule"', "not UTF-8")

        # The offline command's own inputs.
        self.assertCtlRefuses(self.ctl_args("2026-03-16", "P6W", "atw", False)
                              + ["--closure", "2026-02-29"], "--closure",
                              "2026-02-29")
        missing = os.path.join(self.tmpdir, "no-such-decrees.txt")
        self.assertCtlRefuses(self.ctl_args("2026-03-16", "P6W", "atw", False)
                              + ["--decree-file", missing], missing)

    def test_local_times(self):
        """A time typed without an offset is Europe/Amsterdam local time,
        with or without its seconds; one the clocks show twice is taken as
        the first, and the answer says so, on both sides."""
        hours = ("PT48H", "hours", False)
        local = self.check_answer(("2026-11-28T14:00",) + hours + (
            "2026-11-30T14:00:00+01:00", False, None))
        self.assertEqual(self.check_answer(("2026-11-28T14:00:00",) + hours + (
            "2026-11-30T14:00:00+01:00", False, None)), local)
        self.assertEqual(self.check_answer(("2026-11-28T14:00+01:00",) + hours + (
            "2026-11-30T14:00:00+01:00", False, None)), local)
        # The night the clocks go forward: 48 hours from Friday noon.
        self.check_answer(("2026-03-27T12:00",) + hours + (
            "2026-03-29T13:00:00+02:00", False, "the clocks change"))

        # 02:30 on 2026-10-25 happens twice: the first, summer time.
        twice = {"from": "2026-10-25T02:30", "period": "PT48H", "rule": "hours"}
        r = self.http(twice)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.body["due"], "2026-10-27T01:30:00+01:00")
        self.assertEqual([(w["code"], w["field"], w["at"]) for w in r.body["warnings"]],
                         [("ambiguous_time", "from", "2026-10-25T02:30:00+02:00")])
        for words in ("happens twice", "taken as the first",
                      "2026-10-25T02:30:00+01:00"):
            self.assertIn(words, r.body["warnings"][0]["detail"])
        args = self.ctl_args(twice["from"], "PT48H", "hours", False)
        out, err = self.run_ctl(*args)
        self.assertEqual(out.splitlines()[0], "2026-10-27T01:30:00+01:00")
        self.assertIn("termijnctl: warning: --from " + r.body["warnings"][0]["detail"], err)
        self.assertEqual(json.loads(self.run_ctl(*(args + ["--json"]))[0]), r.body)
        # The second, with its offset: no warning.
        r = self.http(dict(twice, **{"from": "2026-10-25T02:30+01:00"}))
        self.assertEqual(r.body["due"], "2026-10-27T02:30:00+01:00")
        self.assertNotIn("warnings", r.body)

    def test_token_and_method(self):
        path = "/v1/calendar/due?from=2026-03-16&period=P6W&rule=atw"
        self.assertProblem(self.d.request("GET", path, token=None), 401)
        self.assertProblem(self.d.request("GET", path, token="tmj_" + "x" * 43),
                           401)
        self.assertProblem(self.d.request("POST", path, body={}), 405)

    def test_help_lists_due(self):
        out, _ = self.run_ctl("help")
        self.assertIn("\n  due --from", out)
        out, _ = self.run_ctl("help", "due")
        self.assertIn("--period PERIOD --rule RULE", out)
        self.assertIn("offline", out)

    # -- the calendar from the configuration --------------------------------

    def decree_file(self):
        """The shipped decree data plus a day in 2029 made up for the test:
        not a real decree, only a way to see that the file is read."""
        with open(os.path.join(source_dir(), "data", "atw-decree-days.txt")) as f:
            text = f.read()
        path = os.path.join(self.tmpdir, "decrees.txt")
        with open(path, "w") as f:
            f.write(text + "\nyear 2029\n2029-02-16  test day, not a real decree\n")
        return path

    def test_closure_days_and_decree_file_from_config(self):
        decrees = self.decree_file()
        d = self.start_daemon(config={"calendar": {
            "decree_file": decrees,
            "closure_days": ["2027-12-24", "2027-12-27"],
        }})
        # 3 working days from Thu 23 Dec 2027 end on Tue 28 Dec without
        # closure days (the table above); with the municipality closed on
        # Fri 24 and Mon 27 Dec they are Tue 28, Wed 29, Thu 30 Dec.
        row = ("2027-12-23", "P3D", "working_days", False, "2027-12-30", False,
               "2027-12-27 is a municipal closure day, not a working day")
        args = ["--closure", "2027-12-24", "--closure", "2027-12-27"]
        self.check_answer(row, daemon=d, extra_args=args)
        # The class's daemon, without them, still says Tue 28 Dec.
        self.assertEqual(self.http(self.http_params(*row[:4])).body["due"],
                         "2027-12-28")
        # Closure days are not holidays: a statutory period ending on Fri 24
        # Dec (2 weeks from Fri 10 Dec) is not moved by them.
        self.check_answer(("2027-12-10", "P2W", "atw", False, "2027-12-24",
                           False, "is a working day"), daemon=d,
                          extra_args=args)

        # The decree file knows 2029 now, with 16 Feb as a holiday: 6 weeks
        # from Fri 5 Jan end on it and roll past the weekend to Mon 19 Feb,
        # and nothing is missing.
        self.check_answer(("2029-01-05", "P6W", "atw", False, "2029-02-19",
                           False, "2029-02-16 is test day, not a real decree"),
                          daemon=d, extra_args=["--decree-file", decrees])

    def test_config_errors(self):
        path = os.path.join(self.tmpdir, "bad.yaml")
        with open(path, "w") as f:
            f.write("calendar:\n"
                    "  closure_days:\n"
                    "    - 2027-12-24\n"
                    "    - 2027-02-30\n"
                    "    - [2027-12-27]\n"
                    "  decree_files: x\n")
        p = subprocess.run([termijnd_path(), "--check", "--config", path,
                            "--workflows", os.path.join(source_dir(), "workflows")],
                           capture_output=True, timeout=60)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 1, out + p.stderr.decode())
        self.assertIn('%s:4:7: closure_days: date "2027-02-30": no such date' % path,
                      out)
        self.assertIn("%s:5:7: closure_days: each item must be a date" % path, out)
        self.assertIn('%s:6:3: unknown key "decree_files" in calendar' % path, out)

        with open(path, "w") as f:
            f.write("calendar:\n  closure_days: 2027-12-24\n")
        p = subprocess.run([termijnd_path(), "--check", "--config", path,
                            "--workflows", os.path.join(source_dir(), "workflows")],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("%s:2:17: closure_days must be a list of dates" % path,
                      p.stdout.decode())


if __name__ == "__main__":
    unittest.main()
