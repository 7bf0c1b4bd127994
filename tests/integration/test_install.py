"""cmake --install: a staged install (DESTDIR), moved to another place,
finds its data through where it lies and never through the source tree;
and a program run from its build directory finds the build's data."""

import os
import shutil
import subprocess

from harness import (Daemon, TermijnTestCase, build_dir, source_dir)

PREFIX = "/opt/termijn-install-test"


def clean_env():
    env = dict(os.environ)
    env.pop("TERMIJN_DATADIR", None)
    return env


def configured_prefix():
    with open(os.path.join(build_dir(), "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith("CMAKE_INSTALL_PREFIX:"):
                return line.split("=", 1)[1].strip()
    raise AssertionError("no CMAKE_INSTALL_PREFIX in CMakeCache.txt")


class InstalledDaemon(Daemon):
    """termijnd from an installed tree, on its default workflows."""

    def __init__(self, tmpdir, prefix, **kw):
        self.prefix = prefix
        super().__init__(tmpdir, **kw)

    def command(self):
        return [os.path.join(self.prefix, "sbin", "termijnd"), "--listen",
                "127.0.0.1:0", "--db", self.db, "--foreground"]


class InstallTest(TermijnTestCase):

    def install(self):
        stage = os.path.join(self.tmpdir, "stage")
        r = subprocess.run(["cmake", "--install", build_dir(), "--prefix", PREFIX],
                           env=dict(clean_env(), DESTDIR=stage),
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # Relocated: the tree is moved away from the prefix it was made for.
        moved = os.path.join(self.tmpdir, "moved")
        shutil.move(stage + PREFIX, moved)
        return moved

    def test_layout(self):
        root = self.install()
        for path, mode in (("sbin/termijnd", 0o755), ("bin/termijnctl", 0o755),
                           ("share/termijn/atw-decree-days.txt", 0o644),
                           ("share/termijn/workflows/zelfmelding.yaml", 0o644),
                           ("share/doc/termijn/examples/termijnd.yaml", 0o644),
                           ("lib/systemd/system/termijnd.service", 0o644),
                           ("share/man/man8/termijnd.8", 0o644),
                           ("share/man/man1/termijnctl.1", 0o644),
                           ("share/man/man5/termijn-workflow.5", 0o644)):
            st = os.stat(os.path.join(root, path))
            self.assertEqual(st.st_mode & 0o777, mode, path)
        # The example and the unit name the prefix the build was configured
        # for (a moved tree's service is the administrator's to adapt).
        prefix = configured_prefix()
        with open(os.path.join(root, "share/doc/termijn/examples/termijnd.yaml")) as f:
            text = f.read()
        self.assertIn("workflows: %s/share/termijn/workflows" % prefix, text)
        with open(os.path.join(root, "lib/systemd/system/termijnd.service")) as f:
            self.assertIn("ExecStart=%s/sbin/termijnd --config" % prefix, f.read())

    def test_moved_install_reads_its_own_data_only(self):
        root = self.install()
        src = os.path.realpath(source_dir())
        bld = os.path.realpath(build_dir())
        trace = os.path.join(self.tmpdir, "trace")
        for argv in ([os.path.join(root, "bin/termijnctl"), "due", "--from",
                      "2026-03-16", "--period", "P6W", "--rule", "atw"],
                     [os.path.join(root, "sbin/termijnd"), "--check"]):
            r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat,stat,"
                                "newfstatat,access", "-o", trace] + argv, cwd="/",
                               # LeakSanitizer cannot run under ptrace.
                               env=dict(clean_env(), ASAN_OPTIONS="detect_leaks=0"),
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(trace) as f:
                opened = f.read()
            self.assertIn(root + "/share/termijn/", opened)
            self.assertNotIn(src + "/", opened.replace(root, "<root>"),
                             "%s looked into the source tree" % argv[0])
            self.assertNotIn(bld + "/", opened.replace(root, "<root>"))
            if "due" in argv:
                self.assertEqual(r.stdout.splitlines()[0], "2026-04-28")
            else:
                self.assertEqual(r.stdout, "OK\n")

        # The installed daemon runs on its default workflows.
        d = InstalledDaemon(self.tmpdir, root)
        self.addCleanup(d.close)
        c = d.create_case(workflow="beslistermijn")
        self.assertEqual(c["workflow"], "beslistermijn")
        d.stop()

    def test_build_tree_finds_the_build_data(self):
        r = subprocess.run([os.path.join(build_dir(), "termijnctl"), "due", "--from",
                            "2026-03-16", "--period", "P6W", "--rule", "atw"],
                           cwd="/", env=clean_env(), capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("King's Day", r.stdout)
        r = subprocess.run([os.path.join(build_dir(), "termijnd"), "--check"],
                           cwd="/", env=clean_env(), capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout), (0, "OK\n"), r.stderr)

    def test_environment_names_another_data_dir(self):
        data = os.path.join(self.tmpdir, "data")
        os.mkdir(data)
        r = subprocess.run([os.path.join(build_dir(), "termijnctl"), "due", "--from",
                            "2026-03-16", "--period", "P6W", "--rule", "atw"],
                           env=dict(clean_env(), TERMIJN_DATADIR=data),
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn(data + "/atw-decree-days.txt", r.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
