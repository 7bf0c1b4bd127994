"""The manual pages: mandoc -T lint is silent on them, and each lists
exactly the options its program accepts, as the program's own option
tables (in its source) and its usage say."""

import os
import re
import subprocess
import unittest

from harness import source_dir, termijnctl_path, termijnd_path

MAN = os.path.join(source_dir(), "man")
PAGES = ["termijnd.8", "termijnctl.1", "termijn-workflow.5"]


def read(*parts):
    with open(os.path.join(source_dir(), *parts)) as f:
        return f.read()


def mdoc_flags(line):
    """The flags an mdoc line names: "Fl -db" is --db, "Fl v" is -v."""
    words = line.split()
    return {"-" + words[i + 1] for i, w in enumerate(words[:-1]) if w.lstrip(".") == "Fl"}


def mdoc_command(line):
    """The words after Cm on an .It line: the command it describes."""
    words = line.split()
    i = words.index("Cm")
    out = []
    for w in words[i + 1:]:
        if re.match(r"^[A-Z][a-z]$", w):
            break
        out.append(w)
    return " ".join(out)


def section(text, name):
    m = re.search(r"^\.Sh %s\n(.*?)(?=^\.Sh |\Z)" % name, text, re.S | re.M)
    assert m, "no section %s" % name
    return m.group(1)


def listed_flags(page):
    """The flags of the .It lines of a page's DESCRIPTION: its options."""
    out = set()
    for line in section(page, "DESCRIPTION").splitlines():
        if line.startswith(".It Fl"):
            out |= mdoc_flags(line)
    return out


def getopt_long_names(src, table):
    """The names of a struct option table in C source."""
    m = re.search(r"%s\[\] = \{(.*?)\n\t\};" % table, src, re.S)
    assert m, "no option table %s" % table
    return {"--" + n for n in re.findall(r'\{ "([a-z-]+)",', m.group(1))}


class ManTest(unittest.TestCase):

    def test_lint_is_silent(self):
        r = subprocess.run(["mandoc", "-T", "lint"] + PAGES, cwd=MAN,
                           capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))

    def test_termijnd_options(self):
        page = read("man", "termijnd.8")
        listed = listed_flags(page)
        synopsis = mdoc_flags(section(page, "SYNOPSIS").replace("\n", " "))
        src = read("daemon", "termijnd", "termijnd.c")
        accepted = getopt_long_names(src, "longopts")
        # Short options that have no long form.
        shorts = re.search(r'getopt_long\(argc, argv, "([^"]*)"', src).group(1)
        accepted |= {"-" + c for c in "v" if c in shorts}
        self.assertEqual(listed, accepted)
        self.assertEqual(synopsis, accepted)
        # --help is asked for: the usage on stdout, and success; a wrong
        # option gets the same usage on stderr, and status 2.
        asked = subprocess.run([termijnd_path(), "--help"], capture_output=True, text=True)
        self.assertEqual((asked.returncode, asked.stderr), (0, ""))
        usage = asked.stdout
        self.assertEqual(set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", usage)), accepted)
        wrong = subprocess.run([termijnd_path(), "--no-such-option"], capture_output=True,
                               text=True)
        self.assertEqual(wrong.returncode, 2)
        self.assertIn(usage, wrong.stderr)

    def test_termijnd_configuration_keys(self):
        """Every key of config.c's table is in CONFIGURATION, and no other."""
        src = read("daemon", "termijnd", "config.c")
        keys = set()
        for sect, key, typ in re.findall(r'\{ "([a-z_]*)", "([a-z_]+)", (C_[A-Z]+)', src):
            if typ != "C_SECTION":
                keys.add((sect + "." if sect else "") + key)
        listed = set()
        for line in section(read("man", "termijnd.8"), "CONFIGURATION").splitlines():
            m = re.match(r"^\.It Ic (?:([a-z_]+) : )?(.*)$", line)
            if m:
                for key in m.group(2).split(" , "):
                    listed.add((m.group(1) + "." if m.group(1) else "") + key.strip())
        self.assertEqual(listed, keys)

    def ctl_commands(self):
        """Each command of termijnctl's table, with the options its handler's
        table accepts, from the source."""
        src = read("daemon", "termijnctl", "termijnctl.c")
        table = re.search(r"commands\[\] = \{(.*?)\n\};", src, re.S).group(1)
        # The commands are in files of their own (ctl_case.c, ctl_admin.c,
        # ...), each named ctl_FILE_*.
        ctl_dir = os.path.join(source_dir(), "daemon", "termijnctl")
        for name in sorted(os.listdir(ctl_dir)):
            if name.startswith("ctl_") and name.endswith(".c"):
                src += read("daemon", "termijnctl", name)
        out = {}
        for name, sub, fn in re.findall(
                r'\{ "([a-z-]+)", (?:"([a-z]+)"|NULL),.*?(ctl_[a-z]+_[a-z_]+), [01] \}',
                table, re.S):
            body = re.search(r"^%s\(.*?^\}" % fn, src, re.S | re.M).group(0)
            opts = re.search(r"opts\[\] = \{(.*?)\};", body, re.S)
            names = set(re.findall(r'\{ "([a-z-]+)",', opts.group(1))) if opts else set()
            # A paged list (ctl_list_command): its filters, and the pager's.
            if "ctl_list_command(" in body:
                filters = re.search(r"filters\[\] = \{(.*?)\};", body, re.S)
                names = set(re.findall(r'"([a-z-]+)"', filters.group(1))) if filters \
                    else set()
                names |= {"limit", "cursor", "all"}
            out[(name + " " + sub).strip()] = {"--" + n for n in names}
        return out

    def test_termijnctl_options(self):
        page = read("man", "termijnctl.1")
        src = read("daemon", "termijnctl", "ctl_args.c")
        table = re.search(r"option globals\[\] = \{(.*?)\n\};", src, re.S).group(1)
        accepted = {"--" + n for n in re.findall(r'\{ "([a-z-]+)",', table)}
        self.assertEqual(listed_flags(page), accepted | {"--help", "--version"})

        listed = {}
        for line in section(page, "COMMANDS").splitlines():
            if line.startswith(".It Cm"):
                listed[mdoc_command(line)] = mdoc_flags(line)
        self.assertEqual(listed, self.ctl_commands())

        # And the usage termijnctl prints says the same.
        usage = subprocess.run([termijnctl_path(), "--help"], capture_output=True,
                               text=True).stdout
        said = {}
        for line in usage.splitlines():
            m = re.match(r"^  ([a-z-]+(?: [a-z]+)?)(?: (.*))?$", line)
            if m and m.group(1).split()[0] in {c.split()[0] for c in listed}:
                said[m.group(1)] = set(re.findall(r"--[a-z-]+", m.group(2) or ""))
        self.assertEqual(said, listed)


if __name__ == "__main__":
    unittest.main()
