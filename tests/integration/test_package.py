"""The Debian package, end to end on this machine: build it from a copy of
the source tree with contrib/debian, lint it, install it, check its files,
user, modes and service unit, run the installed termijnd as its user with
the packaged configuration, upgrade to a higher version, purge it, and put
the machine back as it was.  Needs root (CI is root) and the packaging
tools (contrib/install-deps.sh test)."""

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import HarnessError, source_dir

PKG = "termijn"


def run(*argv, check=True, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 900)
    r = subprocess.run(list(argv), **kw)
    if check and r.returncode != 0:
        raise AssertionError("%s exited %d:\n%s\n%s" % (" ".join(argv), r.returncode,
                                                         r.stdout[-3000:], r.stderr[-3000:]))
    return r


def installed():
    r = run("dpkg-query", "-W", "-f=${Status}", PKG, check=False)
    return r.returncode == 0 and "installed" in r.stdout and "not-installed" not in r.stdout


def user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class PackageTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise HarnessError("the package test installs a package: it needs root")
        for tool in ("dpkg-buildpackage", "dh", "lintian", "systemd-analyze", "setpriv"):
            if shutil.which(tool) is None:
                raise HarnessError("the package test needs %s (contrib/install-deps.sh test)"
                                   % tool)
        if installed():
            raise HarnessError("package %s is installed on this machine already: the test "
                               "will not touch a real installation" % PKG)
        cls.tmp = tempfile.mkdtemp(prefix="termijn-pkg.")
        cls.user_before = user_exists(PKG)
        cls.addClassCleanup(cls.restore)
        cls.deb = cls.build()

    @classmethod
    def restore(cls):
        """Whatever happened: no package, no user the test made, no files."""
        if installed() or run("dpkg-query", "-W", PKG, check=False).returncode == 0:
            run("dpkg", "--purge", PKG, check=False)
        if not cls.user_before and user_exists(PKG):
            run("userdel", PKG, check=False)
            try:
                grp.getgrnam(PKG)
                run("groupdel", PKG, check=False)
            except KeyError:
                pass
        if not os.environ.get("TERMIJN_KEEP_TMP"):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def build(cls):
        src = os.path.join(cls.tmp, "termijn")
        os.mkdir(src)
        top = source_dir()
        # The files a clone has (tracked, or new and not ignored); without
        # git, or outside a clone, the tree less what a build leaves.
        try:
            files = run("git", "-C", top, "ls-files", "-co", "--exclude-standard",
                        check=False)
        except FileNotFoundError:
            files = None
        if files is not None and files.returncode == 0:
            names = [n for n in files.stdout.splitlines()
                     if os.path.lexists(os.path.join(top, n))]
            for n in names:
                dst = os.path.join(src, n)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(os.path.join(top, n), dst, follow_symlinks=False)
        else:
            shutil.copytree(top, src, dirs_exist_ok=True, symlinks=True,
                            ignore=shutil.ignore_patterns("build*", ".git", "var",
                                                          "node_modules"))
        shutil.copytree(os.path.join(src, "contrib", "debian"), os.path.join(src, "debian"))
        env = dict(os.environ, DEB_BUILD_OPTIONS="parallel=%d" % (os.cpu_count() or 1))
        for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "TERMIJN_DATADIR"):
            env.pop(var, None)
        run("dpkg-buildpackage", "-b", "-uc", "-us", cwd=src, env=env)
        debs = [n for n in os.listdir(cls.tmp) if re.match(r"termijn_.*_.*\.deb$", n)]
        if len(debs) != 1:
            raise AssertionError("expected one termijn_*.deb, found %r" % debs)
        return os.path.join(cls.tmp, debs[0])

    # -- the steps, in order, in one test: each needs the one before --------

    def test_package_lifecycle(self):
        self.check_lintian()
        self.check_version()
        run("dpkg", "-i", self.deb)
        self.check_installed()
        self.check_unit()
        self.check_running_as_its_user()
        self.check_upgrade()
        self.check_purge()

    def check_lintian(self):
        r = run("lintian", "--fail-on", "error", "--no-tag-display-limit", self.deb,
                check=False)
        self.assertEqual(r.returncode, 0, "lintian found errors:\n" + r.stdout + r.stderr)
        self.assertNotRegex(r.stdout, r"(?m)^E: ")

    def check_version(self):
        with open(os.path.join(source_dir(), "CMakeLists.txt")) as f:
            cmake = re.search(r"project\(termijn VERSION (\S+)", f.read()).group(1)
        ver = run("dpkg-deb", "-f", self.deb, "Version").stdout.strip()
        self.assertEqual(ver, cmake, "contrib/debian/changelog and CMakeLists.txt disagree")

    def check_installed(self):
        u = pwd.getpwnam(PKG)
        self.assertLess(u.pw_uid, 1000, "not a system user")
        self.assertEqual(u.pw_dir, "/var/lib/termijn")
        self.assertIn(u.pw_shell, ("/usr/sbin/nologin", "/bin/false"))
        self.assertEqual(grp.getgrgid(u.pw_gid).gr_name, PKG)
        for path, mode, owner in (
                ("/usr/sbin/termijnd", 0o755, "root"),
                ("/usr/bin/termijnctl", 0o755, "root"),
                ("/etc/termijn/termijnd.yaml", 0o644, "root"),
                ("/var/lib/termijn", 0o750, PKG),
                ("/lib/systemd/system/termijnd.service", 0o644, "root"),
                ("/usr/share/termijn/atw-decree-days.txt", 0o644, "root"),
                ("/usr/share/termijn/workflows/zelfmelding.yaml", 0o644, "root"),
                ("/usr/share/man/man8/termijnd.8.gz", 0o644, "root"),
                ("/usr/share/man/man1/termijnctl.1.gz", 0o644, "root"),
                ("/usr/share/man/man5/termijn-workflow.5.gz", 0o644, "root")):
            st = os.stat(path)
            self.assertEqual((st.st_mode & 0o7777, pwd.getpwuid(st.st_uid).pw_name),
                             (mode, owner), path)
        conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", PKG).stdout
        self.assertIn("/etc/termijn/termijnd.yaml", conffiles)
        with open("/etc/termijn/termijnd.yaml") as f:
            conf = f.read()
        self.assertIn("db: /var/lib/termijn/termijn.db", conf)
        self.assertIn("workflows: /usr/share/termijn/workflows", conf)
        # The installed programs find the installed data, from anywhere.
        r = run("/usr/bin/termijnctl", "due", "--from", "2026-03-16", "--period", "P6W",
                "--rule", "atw", cwd="/")
        self.assertEqual(r.stdout.splitlines()[0], "2026-04-28")
        r = run("/usr/sbin/termijnd", "--check", "--config", "/etc/termijn/termijnd.yaml",
                cwd="/")
        self.assertEqual(r.stdout, "OK\n")
        # Enabled for boot (the service itself is not started: no systemd runs here).
        self.assertTrue(os.path.exists(
            "/etc/systemd/system/multi-user.target.wants/termijnd.service"))

    def check_unit(self):
        unit = "/lib/systemd/system/termijnd.service"
        r = run("systemd-analyze", "verify", unit, check=False)
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))
        r = run("systemd-analyze", "security", "--offline=yes", unit)
        m = re.search(r"Overall exposure level for termijnd\.service: (\d+\.\d+)", r.stdout)
        self.assertIsNotNone(m, r.stdout[-2000:])
        self.assertLessEqual(float(m.group(1)), 2.0, r.stdout)
        with open(unit) as f:
            text = f.read()
        for line in ("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "User=termijn",
                     "StateDirectory=termijn", "UMask=0077",
                     "ExecStart=/usr/sbin/termijnd --config /etc/termijn/termijnd.yaml"):
            self.assertIn(line + "\n", text)

    def check_running_as_its_user(self):
        """As the service would: its user, its configuration, sd_notify, and
        only system calls the unit's SystemCallFilter allows."""
        notify = os.path.join(self.tmp, "notify.sock")
        ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        ns.bind(notify)
        os.chmod(notify, 0o777)
        os.chmod(self.tmp, 0o755)
        ns.settimeout(0.5)
        u = pwd.getpwnam(PKG)
        trace = os.path.join(self.tmp, "trace")
        os.close(os.open(trace, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chown(trace, u.pw_uid, u.pw_gid)   # strace writes it as the user
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NOTIFY_SOCKET": notify,
               "WATCHDOG_USEC": "2000000"}
        proc = subprocess.Popen(
            ["setpriv", "--reuid", PKG, "--regid", PKG, "--init-groups",
             "strace", "-f", "-qq", "-o", trace,
             "/usr/sbin/termijnd", "--config", "/etc/termijn/termijnd.yaml",
             "--listen", "127.0.0.1:0"],
            env=env, cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            got = []
            deadline = time.monotonic() + 60
            while not any("READY=1" in m.split("\n") for m in got):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("no READY=1 from the installed termijnd: %r" % got)
                try:
                    got.append(ns.recv(4096).decode())
                except socket.timeout:
                    pass
            port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", "".join(got)).group(1))
            import http.client
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/readyz")
            r = c.getresponse()
            self.assertEqual(r.status, 200, r.read())
            r.read()
            c.close()
            st = os.stat("/var/lib/termijn/termijn.db")
            self.assertEqual(pwd.getpwuid(st.st_uid).pw_name, PKG)
            # A backup while it runs, by root, as an administrator would.
            out = os.path.join(self.tmp, "backup.db")
            r = run("/usr/bin/termijnctl", "backup", "--db", "/var/lib/termijn/termijn.db",
                    out)
            self.assertIn("check integrity: ok", r.stdout)
        finally:
            # SIGTERM to termijnd itself, strace's child.
            kids = run("pgrep", "-P", str(proc.pid), check=False).stdout.split()
            for k in kids:
                os.kill(int(k), signal.SIGTERM)
            try:
                out, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                for k in kids:
                    os.kill(int(k), signal.SIGKILL)
                proc.kill()
                out, err = proc.communicate()
            ns.close()
        self.assertEqual(proc.returncode, 0, err)
        self.assertNotIn("admin token", err)
        self.check_syscalls(trace)

    def check_syscalls(self, trace):
        used = set()
        with open(trace) as f:
            for line in f:
                m = re.match(r"^\d+\s+([a-z_0-9]+)\(", line)
                if m:
                    used.add(m.group(1))
        allowed = self.filter_set("@system-service") - self.filter_set("@privileged") \
            - self.filter_set("@resources")
        self.assertGreater(len(used), 20, "strace saw too little")
        self.assertEqual(used - allowed, set(),
                         "termijnd made system calls its unit's SystemCallFilter refuses")

    def filter_set(self, group):
        text = run("systemd-analyze", "syscall-filter").stdout
        groups, cur = {}, None
        for line in text.splitlines():
            if line.startswith("@"):
                cur = line.split()[0]
                groups[cur] = []
            elif cur and line.strip() and not line.strip().startswith("#"):
                groups[cur].append(line.strip())

        def expand(g):
            out = set()
            for x in groups.get(g, []):
                out |= expand(x) if x.startswith("@") else {x}
            return out
        return expand(group)

    def check_upgrade(self):
        """A second build with a higher version replaces the first: the
        administrator's configuration, the database and the user stay."""
        with open("/etc/termijn/termijnd.yaml", "a") as f:
            f.write("# changed by the administrator\n")
        with open("/var/lib/termijn/termijn.db", "rb") as f:
            db = f.read(100)
        unpacked = os.path.join(self.tmp, "unpacked")
        run("dpkg-deb", "-R", self.deb, unpacked)
        control = os.path.join(unpacked, "DEBIAN", "control")
        with open(control) as f:
            text = f.read()
        old = re.search(r"(?m)^Version: (\S+)$", text).group(1)
        new = old + "+1"
        with open(control, "w") as f:
            f.write(re.sub(r"(?m)^Version: .*$", "Version: " + new, text))
        deb2 = os.path.join(self.tmp, "termijn_%s_upgrade.deb" % new)
        run("dpkg-deb", "--root-owner-group", "-b", unpacked, deb2)
        self.assertEqual(run("dpkg", "--compare-versions", new, "gt", old,
                             check=False).returncode, 0)
        run("dpkg", "-i", deb2, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        self.assertEqual(run("dpkg-query", "-W", "-f=${Version}", PKG).stdout, new)
        with open("/etc/termijn/termijnd.yaml") as f:
            self.assertTrue(f.read().endswith("# changed by the administrator\n"))
        with open("/var/lib/termijn/termijn.db", "rb") as f:
            self.assertEqual(f.read(100), db)
        self.assertTrue(user_exists(PKG))

    def check_purge(self):
        run("dpkg", "--purge", PKG)
        self.assertFalse(installed())
        for path in ("/usr/sbin/termijnd", "/usr/bin/termijnctl", "/etc/termijn",
                     "/var/lib/termijn", "/usr/share/termijn",
                     "/lib/systemd/system/termijnd.service",
                     "/etc/systemd/system/multi-user.target.wants/termijnd.service"):
            self.assertFalse(os.path.lexists(path), path + " is left after purge")


if __name__ == "__main__":
    unittest.main()
