"""termijnctl follows the locale (issue 17): a person whose locale is Dutch
reads termijnctl in Dutch (its usage and help, its errors, the headings and
labels of what it shows, its confirmations), and asks termijnd for Dutch;
under LC_ALL=C, or with no locale at all, it speaks English as before.
--json is the API's answer as it is, whoever runs it.

One real termijnd for the class, with the shipped workflows; nl_NL.UTF-8
need not be installed on the machine (termijnctl names the language to
gettext itself), so the tests hold on a minimal system too.
"""

import json
import os
import re
import secrets
import subprocess
import unittest

from harness import SANITIZER_MARKS, ClassDaemonTestCase, termijnctl_path
from test_ctl import block, table

LOCALE_VARS = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")

DUTCH = {"LANG": "nl_NL.UTF-8"}
ENGLISH = {}                                    # no locale at all
C_OVER_DUTCH = {"LANG": "nl_NL.UTF-8", "LC_ALL": "C"}
LANGUAGE_NL = {"LANG": "C.UTF-8", "LANGUAGE": "nl"}
MESSAGES_NL = {"LANG": "C.UTF-8", "LC_MESSAGES": "nl_NL.UTF-8"}


def steady(body):
    """An answer without what changes from one request to the next: the
    seconds a deadline has left, or has been late."""
    if isinstance(body, dict):
        return {k: steady(v) for k, v in body.items()
                if k not in ("time_left_seconds", "overdue_seconds")}
    if isinstance(body, list):
        return [steady(v) for v in body]
    return body


class CtlDutchTest(ClassDaemonTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.url = "http://%s:%d" % (cls.d.host, cls.d.port)
        cls.team = cls.d.add_team("jeugd-dutch", "Jeugd Coördinatie Noord",
                                  "Gemeente Voorbeeld")
        cls.worker = cls.d.make_token("medewerker-jeugd-1", "supervisor", (cls.team,))

    def ctl(self, *args, locale, token=None, expect=0):
        """termijnctl with exactly the locale variables given, no others:
        (stdout, stderr)."""
        env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
        env.update(locale)
        env["TERMIJN_URL"] = self.url
        env["TERMIJN_TOKEN"] = token if token is not None else self.worker
        p = subprocess.run([termijnctl_path()] + list(args), env=env,
                           capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        out = p.stdout.decode("utf-8")
        err = p.stderr.decode("utf-8")
        what = "%s termijnctl %s\nexit %d\nstdout:\n%s\nstderr:\n%s" % (
            locale, " ".join(args), p.returncode, out, err)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, err, what)
        self.assertEqual(p.returncode, expect, what)
        return out, err

    def create(self, locale):
        """A case registered by termijnctl: (stdout, stderr, reference)."""
        ref = "Z-2026-" + secrets.token_hex(3)
        out, err = self.ctl("case", "create", "--workflow", "zelfmelding", "--reference", ref,
                            "--team", self.team, locale=locale)
        return out, err, ref

    # -- the command line ---------------------------------------------------

    def test_mistyped_flag(self):
        # The flag as typed, the usage with the words to fill in Dutch, the
        # flags themselves as they are typed; nothing sent, exit status 2.
        _, err = self.ctl("case", "event", "7", "family_reported", "--notee", "x",
                          locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0], "termijnctl: case event: onbekende optie --notee")
        self.assertEqual(err.splitlines()[1],
                         "gebruik: termijnctl [algemene opties] case event ID GEBEURTENIS "
                         "[--note-file BESTAND | --note - | --note TEKST] "
                         "[--date DATUM|TIJDSTIP] [--basis B] [--idempotency-key K]")
        _, err = self.ctl("case", "event", "7", "family_reported", "--notee", "x",
                          locale=ENGLISH, expect=2)
        self.assertEqual(err.splitlines()[:2], [
            "termijnctl: case event: unknown option --notee",
            "usage: termijnctl [global options] case event ID EVENT "
            "[--note-file FILE | --note - | --note TEXT] [--date DATE|TIMESTAMP] "
            "[--basis B] [--idempotency-key K]"])
        # A value that is missing, and a number that is not one.
        _, err = self.ctl("case", "list", "--limit", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0],
                         "termijnctl: case list: --limit heeft een waarde nodig")
        _, err = self.ctl("overdue", "--limit", "veel", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0], "termijnctl: overdue: --limit: veel: "
                         "geen geheel getal van 1 tot en met 500")

    def test_missing_argument(self):
        _, err = self.ctl("case", "show", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines(), ["termijnctl: case show: argument ontbreekt",
                                            "gebruik: termijnctl [algemene opties] case show ID"])
        _, err = self.ctl("case", "event", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0], "termijnctl: case event: argumenten ontbreken")
        _, err = self.ctl("case", "show", locale=ENGLISH, expect=2)
        self.assertEqual(err.splitlines(), ["termijnctl: case show: missing argument",
                                            "usage: termijnctl [global options] case show ID"])
        # A required option, and a reference that looks like a BSN: said
        # in Dutch, the reference not echoed.
        _, err = self.ctl("case", "create", "--workflow", "zelfmelding", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0], "termijnctl: case create: --workflow, "
                         "--reference en --team zijn verplicht")
        _, err = self.ctl("case", "create", "--workflow", "zelfmelding", "--team", self.team,
                          "--reference", "111222333", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0], "termijnctl: case create: --reference lijkt op "
                         "een burgerservicenummer (BSN); gebruik het eigen zaaknummer van de "
                         "gemeente")
        self.assertNotIn("111222333", err)

    def test_did_you_mean(self):
        _, err = self.ctl("case", "shwo", "1", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0],
                         'termijnctl: onbekende opdracht: case shwo (bedoelt u "case show"?)')
        _, err = self.ctl("overdeu", locale=DUTCH, expect=2)
        self.assertEqual(err.splitlines()[0],
                         'termijnctl: onbekende opdracht: overdeu (bedoelt u "overdue"?)')
        self.assertEqual(err.splitlines()[1].split(" [")[0], "gebruik: termijnctl")
        _, err = self.ctl("case", "shwo", "1", locale=ENGLISH, expect=2)
        self.assertEqual(err.splitlines()[0],
                         'termijnctl: unknown command: case shwo (did you mean "case show"?)')

    def test_help(self):
        out, _ = self.ctl("--help", locale=DUTCH)
        lines = out.splitlines()
        self.assertEqual(lines[0], "gebruik: termijnctl [--url URL] [--token TOKEN] "
                         "[--json | --csv] [--timeout SECONDEN] [--purpose TEKST] opdracht ...")
        self.assertIn("opdrachten:", lines)
        self.assertIn("  case assign ID NAAM|--none [--note TEKST]", lines)
        self.assertEqual(lines[-1], "omgeving: TERMIJN_URL (standaard http://127.0.0.1:8470), "
                         "TERMIJN_TOKEN")
        # The same commands and the same flags, as they are typed.
        english, _ = self.ctl("--help", locale=ENGLISH)
        self.assertEqual(english.splitlines()[0][:18], "usage: termijnctl ")
        flags = lambda text: sorted(re.findall(r"--[a-z][a-z-]*", text))
        commands = lambda text: [l.split()[:2] for l in text.splitlines() if l.startswith("  ")]
        self.assertEqual(flags(out), flags(english))
        self.assertEqual(commands(out), commands(english))
        # What one command does, and a group.
        out, _ = self.ctl("help", "case", "event", locale=DUTCH)
        self.assertEqual(out.splitlines()[1], "  een gebeurtenis bij een zaak vastleggen; "
                         "--date is de datum waarop die plaatsvond,")
        out, _ = self.ctl("token", "--help", locale=DUTCH)
        self.assertIn("  een token intrekken, vanaf het eerstvolgende verzoek (offline met --db)",
                      out.splitlines())
        self.assertEqual(out.splitlines()[-1],
                         "de algemene opties en alle opdrachten: termijnctl help")

    # -- what a person reads --------------------------------------------------

    def test_case_create(self):
        out, err, ref = self.create(DUTCH)
        self.assertEqual(err, "")
        b = block(out)
        self.assertEqual(b["werkproces"], "Zelfmelding van inkomsten (zelfmelding)", out)
        self.assertEqual(b["status"], "Gezin meldt zelf (awaiting_self_report)", out)
        self.assertEqual((b["team"], b["regie"], b["eindstatus"], b["behandelaar"]),
                         (self.team, self.team, "nee", "-"), out)
        self.assertEqual(b["kenmerk"], ref, out)
        # The deadline's block, its explanation as termijnd gave it in
        # Dutch, its ladder's headings, what the case accepts.
        self.assertIn("\ntermijn Termijn gezin (awaiting_self_report), van status Gezin meldt zelf\n"
                      "  status:           lopend\n", out)
        self.assertRegex(out, r"\n  resterende tijd:  4[12] dagen( \d+ uur)?\n")
        self.assertIn("\n  verlengingen:     geen\n  uitleg:\n    6 weken vanaf ", out)
        ladder = out.split("  escalatieladder:\n")[1].split("\n\n")[0]
        names, rows = table("\n".join(l[4:] for l in ladder.splitlines()))
        self.assertEqual(names, ["STAP", "NR", "TIJDSTIP", "STATUS"], out)
        self.assertEqual([r["STATUS"] for r in rows], ["gepland", "gepland"], out)
        self.assertIn("\n\ngeen meldingen\n", out)
        self.assertTrue(out.endswith("\n\naccepteert:\n  family_reported  Gezin heeft zelf gemeld\n"),
                        out)
        # In English, as it always was.
        out, _, _ = self.create(C_OVER_DUTCH)
        self.assertEqual(block(out)["workflow"], "Zelfmelding van inkomsten (zelfmelding)", out)
        self.assertIn("\n  state:       running\n", out)
        self.assertTrue(out.endswith("\n\naccepts:\n  family_reported  Gezin heeft zelf gemeld\n"),
                        out)

    def test_case_list_and_views(self):
        # A case registered long ago: its decision deadline passed at once
        # (a warning, in Dutch), so it is late and waits in a queue.
        out, err = self.ctl("case", "create", "--workflow", "beslistermijn", "--reference",
                            "Z-2026-LATE", "--team", self.team, "--started-at", "2026-01-05",
                            locale=DUTCH)
        cid = block(out)["id"]
        self.assertTrue(err.startswith("termijnctl: waarschuwing: "), err)
        self.assertIn("\n\nverstreken termijnen:\n  TERMIJN        UITERSTE DATUM  DAARNA", out)

        out, _ = self.ctl("case", "list", "--team", self.team, locale=DUTCH)
        names, rows = table(out)
        self.assertEqual(names, ["ID", "WERKPROCES", "VERSIE", "KENMERK", "TEAM", "STATUS",
                                 "VOLGENDE UITERSTE DATUM"], out)
        late = [r for r in rows if r["ID"] == cid]
        self.assertEqual([(r["KENMERK"], r["STATUS"]) for r in late],
                         [("Z-2026-LATE", "Beslistermijn verstreken")], out)

        out, _ = self.ctl("overdue", "--team", self.team, locale=DUTCH)
        names, rows = table(out)
        self.assertEqual(names, ["ZAAK", "KENMERK", "TEAM", "WERKPROCES", "STATUS", "TERMIJN",
                                 "UITERSTE DATUM", "TE LAAT", "BEHANDELAAR"], out)
        row = [r for r in rows if r["ZAAK"] == cid][0]
        self.assertEqual((row["UITERSTE DATUM"], row["TERMIJN"], row["BEHANDELAAR"]),
                         ("2026-03-02", "Beslistermijn", "-"), out)
        self.assertRegex(row["TE LAAT"], r"^\d+ dagen \(\d+ werkdagen\)$", out)

        out, _ = self.ctl("queue", "--team", self.team, locale=DUTCH)
        names, rows = table(out)
        self.assertEqual(names, ["ZAAK", "KENMERK", "TEAM", "WERKPROCES", "STATUS",
                                 "WACHT SINDS", "BEHANDELAAR"], out)
        self.assertIn(cid, [r["ZAAK"] for r in rows], out)

        out, _ = self.ctl("summary", "--team", self.team, locale=DUTCH)
        names, _ = table(out.rsplit("\n", 2)[0])
        self.assertEqual(names, ["TEAM", "WERKPROCES", "STATUS", "SOORT", "TE LAAT",
                                 "BIJNA VERLOPEN", "OPGESCHORT", "LOPEND"], out)
        self.assertEqual(out.splitlines()[-1], "bijna verlopen: uiterste datum binnen P5D")

        out, err = self.ctl("case", "transitions", cid, locale=DUTCH)
        names, rows = table(out)
        self.assertEqual(names, ["ID", "TIJDSTIP", "VAN", "NAAR", "OORZAAK", "GEBEURTENIS",
                                 "DOOR"], out)
        self.assertEqual([r["NAAR"] for r in rows],
                         ["In behandeling", "Beslistermijn verstreken"], out)

        # One page of more: said on stderr in Dutch, with the cursor.
        self.create(DUTCH)
        _, err = self.ctl("case", "list", "--team", self.team, "--limit", "1", locale=DUTCH)
        self.assertRegex(err, r"^termijnctl: er volgen meer zaken: --all, of --cursor \d+\n$")

    def test_team_table_widths(self):
        # A title with a diaeresis: the columns after it stay aligned, so
        # that the organisation is read whole under its Dutch heading.
        out, _ = self.ctl("team", "list", locale=DUTCH, token=self.d.admin_token)
        names, rows = table(out)
        self.assertEqual(names, ["NAAM", "TITEL", "ORGANISATIE", "AANGEMAAKT"], out)
        row = [r for r in rows if r["NAAM"] == self.team][0]
        self.assertEqual((row["TITEL"], row["ORGANISATIE"]),
                         ("Jeugd Coördinatie Noord", "Gemeente Voorbeeld"), out)
        self.assertRegex(row["AANGEMAAKT"], r"^\d{4}-\d\d-\d\dT", out)

    def test_refusals_and_confirmations(self):
        # termijnd is asked for Dutch: the title of its refusal is Dutch.
        cid = block(self.create(DUTCH)[0])["id"]
        _, err = self.ctl("case", "event", cid, "no_such_event", locale=DUTCH, expect=1)
        self.assertTrue(err.startswith("termijnctl: 400 Ongeldig verzoek: "), err)
        _, err = self.ctl("case", "event", cid, "no_such_event", locale=ENGLISH, expect=1)
        self.assertTrue(err.startswith("termijnctl: 400 Bad Request: "), err)
        # A token revoked: the confirmation, then the refusal of the token.
        name = "medewerker-jeugd-2"
        token = self.d.make_token(name, "caseworker", (self.team,))
        out, _ = self.ctl("token", "revoke", name, locale=DUTCH, token=self.d.admin_token)
        self.assertRegex(out, r"^token medewerker-jeugd-2 ingetrokken op \d{4}-\d\d-\d\dT\S+\n$")
        _, err = self.ctl("case", "show", cid, locale=DUTCH, token=token, expect=1)
        self.assertTrue(err.startswith("termijnctl: 401 Niet aangemeld: "), err)
        self.assertNotIn(token, err)
        # No token at all: said before anything is sent.
        _, err = self.ctl("case", "show", cid, locale=DUTCH, token="", expect=2)
        self.assertEqual(err, "termijnctl: geen token: geef --token op of zet TERMIJN_TOKEN "
                         "(een beheerder maakt er een met termijnctl token create)\n")

    # -- the locale variables ---------------------------------------------------

    def test_language_variables(self):
        # LANGUAGE picks the language under any locale but C; LC_MESSAGES
        # alone does too; LC_ALL=C overrides LANG.
        for locale in (LANGUAGE_NL, MESSAGES_NL):
            _, err = self.ctl("case", "show", locale=locale, expect=2)
            self.assertEqual(err.splitlines()[0], "termijnctl: case show: argument ontbreekt",
                             locale)
        for locale in (C_OVER_DUTCH, ENGLISH, {"LANG": "C.UTF-8"}):
            _, err = self.ctl("case", "show", locale=locale, expect=2)
            self.assertEqual(err.splitlines()[0], "termijnctl: case show: missing argument",
                             locale)
        out, _ = self.ctl("case", "list", "--team", self.team, locale=LANGUAGE_NL)
        self.assertEqual(table(out)[0][1], "WERKPROCES", out)

    def test_json_is_the_same(self):
        # --json prints the API's answer as it is, whoever runs it: the
        # same in every locale, termijnd's own text (the explanation of a
        # due date) included.
        cid = block(self.create(DUTCH)[0])["id"]
        shown = {}
        for name, locale in (("nl", DUTCH), ("en", ENGLISH), ("LANGUAGE", LANGUAGE_NL)):
            out, err = self.ctl("case", "show", cid, "--json", locale=locale)
            self.assertEqual(err, "")
            shown[name] = steady(json.loads(out))
        self.assertEqual(shown["nl"], shown["en"])
        self.assertEqual(shown["LANGUAGE"], shown["en"])
        self.assertTrue(shown["nl"]["deadlines"][0]["explanation"][0].startswith("6 weeks from "),
                        shown["nl"])
        for args in (("workflows",), ("case", "list", "--team", self.team),
                     ("overdue", "--team", self.team)):
            nl, _ = self.ctl(*args, "--json", locale=DUTCH)
            en, _ = self.ctl(*args, "--json", locale=ENGLISH)
            self.assertEqual(steady(json.loads(nl)), steady(json.loads(en)), args)
        # The CSV is termijnd's, byte for byte, in both.
        nl, _ = self.ctl("case", "list", "--team", self.team, "--csv", locale=DUTCH)
        en, _ = self.ctl("case", "list", "--team", self.team, "--csv", locale=ENGLISH)
        self.assertEqual(nl, en)


if __name__ == "__main__":
    unittest.main()
