#!/bin/sh
# Reads of cases over HTTP keep-alive with 64 concurrent clients (wrk): each
# read of a case is answered only once its row in the read log is committed,
# so reads share group commits as writes do.  Registers CASES cases first
# (wrk, register.lua), then reads random ones.  Prints reads/s of each run,
# p50/p99 and the median; asserts nothing.
#
#	tests/bench/bench_read.sh
#	TERMIJN_BUILD_DIR=/path/to/older/build WORKFLOWS=/path/to/older/workflows \
#	    tests/bench/bench_read.sh
#
# The second form measures an older termijnd (one from before the read log
# works too: its admin token reads), for a before-and-after comparison; it
# needs the workflow files of its own tree, which it can read.
# Environment: TERMIJN_BUILD_DIR (build-release), WORKFLOWS (the tree's
# workflows/), RUNS (3), DURATION (10s),
# CONNECTIONS (64), THREADS (2), CASES (5000).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${TERMIJN_BUILD_DIR:-$src/build-release}
runs=${RUNS:-3}
duration=${DURATION:-10s}
conns=${CONNECTIONS:-64}
threads=${THREADS:-2}
cases=${CASES:-5000}

work=$(mktemp -d /tmp/termijn-bench.XXXXXX)
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
. "$here/lib.sh"

echo "bench_read: $conns connections, $threads wrk threads, $duration per run, $runs runs, $cases cases"
results=
run=1
while [ "$run" -le "$runs" ]; do
	start_termijnd "run$run"
	token=$(person)
	# Register the cases: wrk for as long as it takes, one connection.
	while [ "$(sqlite3 "$work/run$run.db" 'SELECT count(*) FROM cases')" -lt "$cases" ]; do
		TERMIJN_TOKEN=$token BENCH_RUN="$run-$(date +%s%N)" wrk -t1 -c16 -d1s \
		    -s "$here/register.lua" "http://127.0.0.1:$port/" >/dev/null 2>&1
	done
	n=$(sqlite3 "$work/run$run.db" 'SELECT count(*) FROM cases')
	TERMIJN_TOKEN=$token CASES=$n wrk -t"$threads" -c"$conns" -d"$duration" \
	    -s "$here/read.lua" "http://127.0.0.1:$port/" >"$work/wrk$run" 2>&1
	stop_termijnd

	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk$run")
	stats=$(grep '^read=' "$work/wrk$run" || true)
	logged=$(sqlite3 "$work/run$run.db" "SELECT count(*) FROM sqlite_master WHERE name = 'reads'")
	if [ "$logged" = 1 ]; then
		logged="read log rows: $(sqlite3 "$work/run$run.db" 'SELECT count(*) FROM reads')"
	else
		logged="no read log"
	fi
	echo "run $run: $rps reads/s; $stats; $logged"
	results="$results $rps"
	run=$((run + 1))
done
echo "median of $runs runs: $(median $results) reads/s"
