"""The API speaks the reader's language (issue 17): what termijnd writes for
people (a problem's title and detail, the explanation of a due date, the
calendar feed's text) follows Accept-Language, Dutch or English, else the
configured language; Content-Language names it and Vary says it depends on
it.  Identifiers and codes stay as they are, a replay keeps its first
language, every write of a group commit is answered in its own, and the log
stays English whatever a request asked for."""

import http.client
import json
import re
import socket

from harness import (FakeClock, TermijnTestCase, db_execute, local,
                     prometheus_samples)

NL = {"Accept-Language": "nl"}
EN = {"Accept-Language": "en"}

# The decision period (beslistermijn, 8 weeks, Algemene termijnenwet) of an
# application received on Saturday 17 October 2026: the raw end is Saturday
# 12 December, so the period runs to Monday 14 December.
STARTED = "2026-10-17"
EXPLANATION_NL = [
    "8 weken vanaf 17 oktober 2026: de termijn loopt af op zaterdag 12 december 2026",
    "12 december 2026 is een zaterdag; volgens de Algemene termijnenwet de eerstvolgende"
    " werkdag: maandag 14 december 2026",
    "toegepast: Algemene termijnenwet, artikel 1",
    "laatste dag: maandag 14 december 2026; te laat vanaf dinsdag 15 december 2026"
    " om 00.00 uur",
]
EXPLANATION_EN = [
    "8 weeks from 2026-10-17: raw end 2026-12-12",
    "2026-12-12 is a Saturday, so 2026-12-14",
    "rule atw (Algemene termijnenwet art. 1)",
    "last day 2026-12-14; overdue from 2026-12-15T00:00:00+01:00",
]

# Words of the Dutch messages that no English log line holds.
DUTCH = ("faalde", "niets gewijzigd", "inzagelog", "ongeldig", "niet gevonden",
         "er is geen", "zaak ", "gebeurtenis", "onbekend", "de kop van")


def problem(r):
    """(title, detail) of a problem answer."""
    assert r.headers.get("content-type", "").startswith("application/problem+json"), r.raw
    return r.body["title"], r.body["detail"]


class LanguageTest(TermijnTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock(self.tmpdir, local(2026, 10, 20, 10, 0))

    def daemon(self, language=None, **kw):
        config = {"language": language} if language else None
        return self.start_daemon(clock=self.clock, config=config, **kw)

    def assertLanguage(self, r, lang):
        self.assertEqual(r.headers.get("content-language"), lang, r.raw)
        self.assertEqual(r.headers.get("vary"), "Accept-Language", r.raw)

    def test_problems_in_dutch_when_asked(self):
        d = self.daemon()
        r = d.request("GET", "/v1/cases/999999", headers=NL)
        self.assertEqual(r.status, 404)
        self.assertLanguage(r, "nl")
        self.assertEqual(problem(r), ("Niet gevonden", "er is geen zaak 999999"))
        # What a program matches on stays as it is.
        self.assertEqual(r.body["type"], "about:blank")
        self.assertEqual(r.body["status"], 404)

        r = d.request("POST", "/v1/cases", '{"workflow": ', headers=NL)
        self.assertLanguage(r, "nl")
        title, detail = problem(r)
        self.assertEqual(title, "Ongeldig verzoek")
        self.assertRegex(detail, r"^ongeldige JSON op regel 1, kolom \d+: ")

        r = d.request("POST", "/v1/cases", {"workflow": "beslistermijn", "reference": "A-1",
                                            "team": "inkomen", "bogus": 1}, headers=NL)
        self.assertEqual(problem(r), ("Ongeldig verzoek", 'onbekend veld "bogus"'))

        # A refusal of the engine, with the name most likely meant.
        r = d.request("POST", "/v1/cases", {"workflow": "beslistermjn", "reference": "A-1",
                                            "team": "inkomen"}, headers=NL)
        title, detail = problem(r)
        self.assertEqual(title, "Ongeldig verzoek")
        self.assertTrue(detail.startswith('onbekend werkproces "beslistermjn" (bedoelt u'
                                          ' "beslistermijn"?); termijnd kent: '), detail)

        # Without Accept-Language: English, as it always was.
        r = d.request("GET", "/v1/cases/999999")
        self.assertLanguage(r, "en")
        self.assertEqual(problem(r), ("Not Found", "no case 999999"))
        r = d.request("POST", "/v1/cases", {"workflow": "beslistermijn", "reference": "A-1",
                                            "team": "inkomen", "bogus": 1})
        self.assertEqual(problem(r), ("Bad Request", 'unknown field "bogus"'))
        # Nothing was registered by any of it.
        self.assertEqual(d.db_query("SELECT count(*) FROM cases"), [(0,)])

    def test_due_date_explained_in_dutch(self):
        d = self.daemon()
        c = d.create_case("beslistermijn", "B-2026-0001", "inkomen", started_at=STARTED,
                          headers=NL)
        dl = c["deadlines"][0]
        self.assertEqual(dl["due"], "2026-12-14")
        self.assertEqual(dl["explanation"], EXPLANATION_NL)
        # Names and codes are the workflow's, in every language.
        self.assertEqual((c["state"], dl["name"], dl["rule"]), ("deciding", "decision", "atw"))
        r = d.request("GET", "/v1/cases/%d" % c["id"], headers=NL)
        self.assertLanguage(r, "nl")
        self.assertEqual(r.body["deadlines"][0]["explanation"], EXPLANATION_NL)
        r = d.request("GET", "/v1/cases/%d" % c["id"])
        self.assertLanguage(r, "en")
        self.assertEqual(r.body["deadlines"][0]["explanation"], EXPLANATION_EN)
        # The same arithmetic without a case.
        r = d.request("GET", "/v1/calendar/due?from=%s&period=P8W&rule=atw" % STARTED,
                      headers=NL)
        self.assertLanguage(r, "nl")
        self.assertEqual(r.body["explanation"], EXPLANATION_NL)
        # A suspended deadline says so, with the moment written out.
        self.clock.set(local(2026, 10, 21, 9, 30))
        c = d.call("POST", "/v1/cases/%d/events" % c["id"],
                   {"event": "request_completion", "note": "loonstroken ontbreken"},
                   headers=NL)
        self.assertEqual(c["deadlines"][0]["explanation"][-1],
                         "opgeschort sinds woensdag 21 oktober 2026 om 09.30 uur: de datum"
                         " hierboven schuift op met de dagen dat de termijn opgeschort blijft")
        c = d.case(c["id"])
        self.assertRegex(c["deadlines"][0]["explanation"][-1],
                         r"^suspended since 2026-10-21T09:30:\d\d(\.\d+)?\+02:00: the date"
                         r" above moves by the days it stays suspended$")

    def test_which_language_a_header_asks_for(self):
        d = self.daemon()
        table = [
            ({"Accept-Language": "nl-NL;q=0.9, en;q=0.8"}, "nl"),
            ({"Accept-Language": "en-GB"}, "en"),
            ({"Accept-Language": "en;q=0.5, nl-BE;q=0.9"}, "nl"),
            ({"Accept-Language": "nl;q=0, en"}, "en"),
            ({"Accept-Language": "fr"}, "en"),
            ({"Accept-Language": "fr, nl;q=0.1"}, "nl"),
            ({"Accept-Language": "*"}, "en"),
            ({}, "en"),
        ]
        for headers, lang in table:
            r = d.request("GET", "/v1/cases/424242", headers=headers)
            self.assertLanguage(r, lang)
            self.assertEqual(r.body["detail"], {"nl": "er is geen zaak 424242",
                                                "en": "no case 424242"}[lang], headers)

    def test_configured_language_is_the_default(self):
        d = self.daemon(language="nl")
        table = [
            ({}, "nl"),
            ({"Accept-Language": "fr"}, "nl"),
            ({"Accept-Language": "*"}, "nl"),
            ({"Accept-Language": "en-GB"}, "en"),
            ({"Accept-Language": "nl-NL;q=0.9, en;q=0.8"}, "nl"),
        ]
        for headers, lang in table:
            r = d.request("GET", "/v1/cases/424242", headers=headers)
            self.assertLanguage(r, lang)
            self.assertEqual(problem(r), {"nl": ("Niet gevonden", "er is geen zaak 424242"),
                                          "en": ("Not Found", "no case 424242")}[lang])
        # An answer without a token says the same, in the same language.
        r = d.request("GET", "/v1/cases", token=None)
        self.assertLanguage(r, "nl")
        self.assertEqual(problem(r), ("Niet aangemeld", 'dit verzoek heeft een header'
                                      ' "Authorization: Bearer TOKEN" nodig'))
        # The calendar feed's text: Dutch by default here, with dates written out.
        c = d.create_case("beslistermijn", "B-2026-0002", "inkomen", started_at=STARTED)
        feed = d.make_token("agenda", "feed", ["inkomen"])
        r = d.request("GET", "/v1/calendar/feed.ics?team=inkomen&token=" + feed, token=None)
        self.assertEqual(r.status, 200, r.raw)
        self.assertLanguage(r, "nl")
        text = unfold(r.raw.decode())
        self.assertIn("SUMMARY:Beslistermijn: zaak %d (" % c["id"], text)
        self.assertIn("DESCRIPTION:Termijn decision van zaak %d: werkproces beslistermijn"
                      " versie " % c["id"], text)
        self.assertIn("te laat vanaf dinsdag 15 december 2026 om 00.00 uur", text)
        self.assertIn("CATEGORIES:decision", text)
        r = d.request("GET", "/v1/calendar/feed.ics?team=inkomen&token=" + feed, token=None,
                      headers=EN)
        self.assertLanguage(r, "en")
        text = unfold(r.raw.decode())
        self.assertIn("SUMMARY:Beslistermijn: case %d (" % c["id"], text)
        self.assertIn("overdue from 2026-12-15T00:00:00+01:00", text)

    def test_a_replay_keeps_its_first_language(self):
        d = self.daemon()
        body = {"workflow": "beslistermijn", "reference": "B-2026-0003", "team": "inkomen",
                "started_at": STARTED}
        first = d.request("POST", "/v1/cases", body,
                          headers=dict(NL, **{"Idempotency-Key": "aanvraag-3"}))
        self.assertEqual(first.status, 201, first.raw)
        self.assertLanguage(first, "nl")
        self.assertEqual(first.body["deadlines"][0]["explanation"], EXPLANATION_NL)
        # The retry asks for English, and gets the first answer, byte for byte,
        # said to be Dutch; nothing is registered twice.
        again = d.request("POST", "/v1/cases", body,
                          headers=dict(EN, **{"Idempotency-Key": "aanvraag-3"}))
        self.assertEqual(again.status, 201, again.raw)
        self.assertEqual(again.raw, first.raw)
        self.assertLanguage(again, "nl")
        self.assertEqual(again.headers.get("location"), "/v1/cases/%d" % first.body["id"])
        self.assertEqual(d.db_query("SELECT count(*) FROM cases"), [(1,)])
        # The key used for another request is refused in the asker's language.
        r = d.request("POST", "/v1/cases", dict(body, reference="B-2026-0004"),
                      headers=dict(NL, **{"Idempotency-Key": "aanvraag-3"}))
        self.assertEqual(problem(r), ("Verzoek niet te verwerken", "deze Idempotency-Key is"
                                      " al eerder gebruikt voor een ander verzoek"))
        r = d.request("POST", "/v1/cases", dict(body, reference="B-2026-0004"),
                      headers={"Idempotency-Key": "aanvraag-3"})
        self.assertEqual(problem(r)[1], "this Idempotency-Key was used before for a"
                         " different request")

    def test_one_batch_answers_each_in_its_own_language(self):
        """Writes that share a group commit: each answer in its request's
        language, the refusals and the registrations alike."""
        d = self.daemon()
        case = d.create_case("beslistermijn", "B-2026-0100", "inkomen")
        hdrs = {"Authorization": "Bearer " + d.token, "Content-Type": "application/json"}
        for attempt in range(20):
            before = prometheus_samples(d.request("GET", "/metrics").raw.decode())
            conns = [http.client.HTTPConnection(d.host, d.port, timeout=30) for _ in range(8)]
            for c in conns:
                c.connect()
            sent = []
            for i, c in enumerate(conns):
                lang = "nl" if i % 2 == 0 else "en"
                h = dict(hdrs, **{"Accept-Language": lang})
                if i % 4 < 2:
                    c.request("POST", "/v1/cases", json.dumps(
                        {"workflow": "beslistermijn", "reference": "B-%02d-%d" % (attempt, i),
                         "team": "inkomen", "started_at": STARTED}), h)
                    sent.append(("create", lang))
                else:
                    # Not accepted in its state: refused, in the same batch.
                    c.request("POST", "/v1/cases/%d/events" % case["id"],
                              json.dumps({"event": "no_such_event"}), h)
                    sent.append(("refused", lang))
            answers = []
            for c in conns:
                r = c.getresponse()
                answers.append((r.status, r.getheader("Content-Language"),
                                json.loads(r.read())))
                c.close()
            for (kind, lang), (status, clang, body) in zip(sent, answers):
                self.assertEqual(clang, lang, body)
                if kind == "create":
                    self.assertEqual(status, 201, body)
                    self.assertEqual(body["deadlines"][0]["explanation"],
                                     EXPLANATION_NL if lang == "nl" else EXPLANATION_EN)
                else:
                    self.assertEqual(status, 400, body)
                    self.assertEqual(body["title"], {"nl": "Ongeldig verzoek",
                                                     "en": "Bad Request"}[lang])
                    self.assertTrue(body["detail"].startswith(
                        {"nl": 'werkproces beslistermijn heeft geen gebeurtenis "no_such_event"',
                         "en": 'workflow beslistermijn has no event "no_such_event"'}[lang]),
                        body)
            after = prometheus_samples(d.request("GET", "/metrics").raw.decode())
            writes = after["termijn_writes_total"] - before["termijn_writes_total"]
            commits = after["termijn_commits_total"] - before["termijn_commits_total"]
            if commits < writes:
                break
        else:
            self.fail("no two of the writes shared a commit in 20 bursts")

    def test_the_log_stays_english(self):
        d = self.daemon(language="nl", extra_args=["-v"])
        c = d.create_case("beslistermijn", "B-2026-0200", "inkomen", started_at=STARTED)
        d.request("GET", "/v1/cases/999999")
        d.request("POST", "/v1/cases", "{", headers=NL)
        # A head termijnd refuses before it is read whole: in the configured
        # language to the client, in English to the debug log.
        status, headers, body = raw_request(d, b"GET /healthz HTTP/1.1\r\nHost: t\r\n"
                                            b"Accept-Language: en\r\nX-Bad header: 1\r\n\r\n")
        self.assertEqual(status, 400)
        self.assertEqual(headers.get("content-language"), "nl")
        self.assertEqual(json.loads(body)["detail"],
                         'witruimte tussen de headernaam "X-Bad" en de dubbele punt')
        # The database fails while a Dutch request is answered: a 500 and a
        # 503, both said in Dutch and logged in English.
        db_execute(d.db, "CREATE TRIGGER refused BEFORE INSERT ON transitions"
                   " BEGIN SELECT RAISE(ABORT, 'refused'); END;"
                   "CREATE TRIGGER unread BEFORE INSERT ON reads"
                   " BEGIN SELECT RAISE(ABORT, 'unread'); END")
        r = d.request("POST", "/v1/cases/%d/events" % c["id"], {"event": "decided"},
                      headers=NL)
        self.assertEqual(problem(r), ("Interne serverfout", "de database faalde bij het"
                                      " vastleggen van een overgang; er is niets gewijzigd"))
        r = d.request("GET", "/v1/cases/%d" % c["id"], headers=NL)
        self.assertEqual(r.status, 503, r.raw)
        self.assertLanguage(r, "nl")
        self.assertTrue(problem(r)[1].startswith("het inzagelog kan niet worden bijgewerkt"))
        db_execute(d.db, "DROP TRIGGER refused; DROP TRIGGER unread")
        d.stop()

        logs = {"stderr": d.stderr_text(), "syslog": "\n".join(d.syslog.lines())}
        for name, log in logs.items():
            self.assertIn("500: the database failed while recording a transition; nothing"
                          " was changed", log, name)
            self.assertIn("503: the read log cannot be written (the database failed; see"
                          " termijnd's log)", log, name)
            dutch = [line for line in log.splitlines()
                     if any(w in line.lower() for w in DUTCH)]
            self.assertEqual(dutch, [], "termijnd's %s holds Dutch" % name)
        self.assertIn("conn_refused: 400 whitespace between the header name \"X-Bad\" and its"
                      " colon", logs["stderr"])


class ConfigurationTest(TermijnTestCase):

    def test_an_unknown_language_is_refused(self):
        d = self.start_daemon(config={"language": "fr"}, start=False)
        rc, err = d.start_refused()
        self.assertNotEqual(rc, 0)
        self.assertRegex(err, r'termijnd\.yaml:1:\d+: language must be nl or en, not "fr"')
        self.assertIsNone(d.proc)


def raw_request(d, data):
    """Bytes sent as they are, on a connection of their own: (status,
    headers with lowercase names, body)."""
    with socket.create_connection((d.host, d.port), timeout=10) as s:
        s.sendall(data)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in
               (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def unfold(text):
    """An iCalendar text with its folded lines joined (RFC 5545 3.1)."""
    return re.sub(r"\r\n[ \t]", "", text)


if __name__ == "__main__":
    import unittest
    unittest.main()
