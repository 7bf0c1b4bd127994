"""No secrets in the logs (issue 8): syslog lines and termijnd's stderr
say who did what to which case, never a token and never the free text of
a case (notes, a participation's purpose, a read's purpose), nor a
person's display name (issue 17), not even when a request is refused or
the database fails.  termijnd runs with -v, so that its debug lines are
held to this too."""

import json
import secrets
import unittest

from harness import TermijnTestCase, db_execute, run_termijnctl


class LogsTest(TermijnTestCase):

    def test_no_token_and_no_note_in_the_logs(self):
        d = self.start_daemon(extra_args=["-v"])
        mark = secrets.token_hex(4)
        texts = ["notitie-%s-%d" % (mark, i) for i in range(9)]
        tokens = [d.admin_token, d.token]
        # People's names, which are personal data, hold the mark too.
        tokens.append(d.make_token("cw-zuid", "caseworker", ["jeugd-zuid"],
                                   display_name="Medewerker Zuid %s" % mark))
        tokens.append(d.make_token("baas", "supervisor", ["jeugd-zuid"],
                                   display_name="Teamleider Zuid %s" % mark))
        p = run_termijnctl("token", "create", "--db", d.db, "--name", "offline",
                           "--role", "youth_worker", "--team", "jeugd-zuid",
                           "--display-name", "Jeugdhulp Zuid %s" % mark)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(mark, p.stderr)
        tokens.append(p.stdout.strip())
        p = run_termijnctl("token", "rename", "--db", d.db, "offline",
                           "--display-name", "Jeugdhulp Zuid 2 %s" % mark)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(mark, p.stderr)
        d.call("PATCH", "/v1/tokens/cw-zuid", {"display_name": "Medewerker %s" % mark},
               token=d.admin_token)
        # Refused names are not logged either.
        for bad in ("Mede\twerker %s" % mark, mark * 40):
            self.assertEqual(d.request("PATCH", "/v1/tokens/cw-zuid", {"display_name": bad},
                                       token=d.admin_token).status, 400)
        unknown = "tmj_" + secrets.token_urlsafe(32)[:43]
        cw, baas, offline = tokens[2:5]

        cid = d.create_case("stabilisatie", "LOG-0001", "jeugd-zuid")["id"]
        d.share(cid, "handhaving", "consent", purpose=texts[0])
        d.call("POST", "/v1/cases/%d/coordinator" % cid,
               {"team": "handhaving", "note": texts[1]}, token=cw)
        d.event(cid, "unsafe", texts[2], token=offline)
        # Refused: a state that does not accept it, a note too long.
        d.event(cid, "stabilised", texts[3], expect=409, token=cw)
        d.event(cid, "close", texts[4] * 2000, expect=400, token=cw)
        # Enforcement is a queue: someone picks the case up before closing.
        d.call("POST", "/v1/cases/%d/assign" % cid,
               {"assignee": "baas", "note": texts[8]}, token=cw)
        d.call("GET", "/v1/cases/%d/export" % cid, token=baas,
               headers={"Read-Purpose": texts[5]})
        # The history and the team's people name them.
        hist = d.call("GET", "/v1/cases/%d/transitions" % cid, token=baas)["transitions"]
        self.assertIn(mark, hist[-1]["assignee_name"])
        people = d.call("GET", "/v1/teams/jeugd-zuid/people", token=cw)["people"]
        self.assertIn(mark, json.dumps(people))
        # Tokens that do not work, one of them a note.
        for bad in (unknown, texts[6]):
            self.assertEqual(d.request("GET", "/v1/cases", token=bad).status, 401)
        # The calendar feed takes a feed token in its URL, which is what
        # logs keep: it must not be there, nor a person's token sent so,
        # nor a wrong one.
        feed = d.make_token("agenda", "feed", ["jeugd-zuid"])
        tokens.append(feed)
        for token, status in ((feed, 200), (baas, 403), (unknown, 401)):
            r = d.request("GET", "/v1/calendar/feed.ics?team=jeugd-zuid&token=" + token,
                          token=None)
            self.assertEqual(r.status, status, r.raw)
        self.assertEqual(d.request("GET", "/v1/overdue?token=" + feed, token=None).status, 401)
        self.assertEqual(d.request("GET", "/v1/calendar/feed.ics?token=" + feed + "&x=1",
                                   token=None).status, 400)
        d.revoke_token("cw-zuid")
        self.assertEqual(d.request("GET", "/v1/cases", token=cw).status, 401)
        # The database fails while a note and a purpose are in hand.
        db_execute(d.db, "CREATE TRIGGER refused BEFORE INSERT ON transitions"
                   " BEGIN SELECT RAISE(ABORT, 'refused'); END;"
                   "CREATE TRIGGER unread BEFORE INSERT ON reads"
                   " BEGIN SELECT RAISE(ABORT, 'unread'); END")
        d.event(cid, "close", texts[7], expect=500, token=baas)
        r = d.request("GET", "/v1/cases/%d" % cid, token=baas,
                      headers={"Read-Purpose": texts[5]})
        self.assertEqual(r.status, 503, r.raw)
        db_execute(d.db, "DROP TRIGGER refused; DROP TRIGGER unread")
        d.event(cid, "close", note=texts[7])
        d.stop()

        stderr = d.stderr_text()
        syslog = "\n".join(d.syslog.lines())
        # The logs are there, with the ids and actors of what happened.
        for log in (stderr, syslog):
            self.assertIn("transition case=%d workflow=stabilisatie" % cid, log)
            self.assertIn("actor=offline", log)
            self.assertIn("sqlite: ", log)
        # A failure names the lines, with what they must not hold blotted
        # out: the test's own output holds no secret either.
        for log, name in ((stderr, "stderr"), (syslog, "syslog")):
            self.assertEqual(leaks(log, tokens + [unknown, mark]), [],
                             "termijnd's %s holds a token or a case's text" % name)


def leaks(log, words):
    """The lines of log that hold any of words, each word blotted out."""
    out = []
    for line in log.splitlines():
        if any(w in line for w in words):
            for w in words:
                line = line.replace(w, "<%d chars>" % len(w))
            out.append(line)
    return out


if __name__ == "__main__":
    unittest.main()
