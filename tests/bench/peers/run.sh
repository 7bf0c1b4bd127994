#!/bin/sh
# termijn beside BullMQ and pg-boss: registrations/s at 16 and 64 clients and
# the lateness of the last of 10,000 deadlines due at one moment, medians of
# 3 interleaved rounds, and the ratios termijn/peer (README.md).
#
#	tests/bench/peers/run.sh [--rounds 3] [--seconds 10] [--only reg16,reg64,due] ...
#
# Installs what it needs first: Debian's packages through
# contrib/install-deps.sh bench (root), the npm packages as package-lock.json
# fixes them, and the release build of termijnd when build-release has none
# (TERMIJN_BUILD_DIR names another).  Needs root for bench_due.py's harness
# (unshare, mount) and runs PostgreSQL as Debian's postgres user.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
build=${TERMIJN_BUILD_DIR:-$src/build-release}
export TERMIJN_BUILD_DIR="$build"

"$src/contrib/install-deps.sh" bench

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "peers: node $(node --version) is too old: pg-boss 10 needs node 20 or later" >&2
	exit 1
fi
# npm ci when node_modules does not hold exactly what the lock file says.
sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$here/node_modules/.termijn-lock" 2>/dev/null)" != "$sum" ]; then
	(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
	echo "$sum" >"$here/node_modules/.termijn-lock"
fi

if [ ! -x "$build/termijnd" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERMIJN_TESTS=OFF >/dev/null
	cmake --build "$build" -j2 --target termijnd
fi

# run.py stops every server it started and removes its temporary directory
# however it ends (SIGINT, SIGTERM, SIGHUP, an error); exec leaves no shell
# between it and the signal.
exec python3 "$here/run.py" "$@"
