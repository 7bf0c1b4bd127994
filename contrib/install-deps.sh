#!/bin/sh
# Installs what termijn needs to build, run and test on Debian 12.
# Usage: contrib/install-deps.sh [run|test|fuzz|bench]
#   run: build and run termijnd; test (default): also the test suite;
#   fuzz: also clang and its runtime for the libFuzzer targets;
#   bench: also the load tools of tests/bench and the peers' servers
#   (tests/bench/peers/run.sh installs their npm packages itself).
set -eu
what=${1:-test}
# gettext: msgfmt compiles the message catalogues (po/) at build time.
run_pkgs="build-essential cmake pkg-config libevent-dev libsqlite3-dev libyaml-dev
	libjansson-dev libssl-dev libcurl4-openssl-dev libsystemd-dev tzdata gettext"
# The tools the tests run: util-linux and mount (unshare, mount, umount,
# prlimit, setpriv), iproute2 (ss), procps (ps, pgrep), strace, prometheus
# (promtool), mandoc, systemd (systemd-analyze), and for the package test
# debhelper, dpkg-dev, fakeroot, lintian and adduser, and git (the package
# test builds from exactly the files git tracks; a fresh machine that got
# the source some other way may not have it).
# python3-yaml: tests that read the shipped workflows.
# chromium, nodejs and npm: the dashboard's test drives Debian's Chromium
# with npm packages (tests/browser); fonts-dejavu-core keeps its
# screenshots the same on every machine.
test_pkgs="libcmocka-dev faketime python3 python3-icalendar python3-yaml sqlite3 util-linux mount
	iproute2 curl strace prometheus mandoc debhelper dpkg-dev fakeroot lintian adduser
	systemd init-system-helpers procps git chromium fonts-dejavu-core nodejs"
fuzz_pkgs="clang libclang-rt-14-dev"
# The benchmarks (tests/bench): wrk drives the HTTP ones, faketime,
# unshare and mount the integration harness that the Python ones use;
# redis-server, postgresql-15 and nodejs are the peers that tests/bench/peers
# measures beside termijn (BullMQ on Redis, pg-boss on PostgreSQL), each
# server started by the benchmark in a temporary directory, never as the
# host's service.  valgrind counts instructions for bench_cost.py.
bench_pkgs="wrk faketime python3 sqlite3 curl util-linux mount procps valgrind
	redis-server postgresql-15 postgresql-client-15 nodejs"
case $what in
run)	pkgs=$run_pkgs ;;
test)	pkgs="$run_pkgs $test_pkgs" ;;
fuzz)	pkgs="$run_pkgs $test_pkgs $fuzz_pkgs" ;;
bench)	pkgs="$run_pkgs $bench_pkgs" ;;
*)	echo "usage: $0 [run|test|fuzz|bench]" >&2; exit 2 ;;
esac
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
# Debian's npm, unless the nodejs installed brings an npm of its own (a
# NodeSource build provides npm and conflicts with Debian's).
if [ "$what" != run ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "termijn: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
