#!/bin/sh
# Durable case registrations over HTTP keep-alive with 64 concurrent clients
# (wrk), against a release build of termijnd with a fresh database per run.
# Prints requests/s of each run and their median.  Asserts nothing: the
# design promises at least BullMQ's rate in the same run, at 16 and at 64
# clients (tests/bench/peers measures both side by side).
#
#	tests/bench/bench_register.sh
#
# Environment: TERMIJN_BUILD_DIR (default build-release, built when termijnd
# is missing there), RUNS (3), DURATION (10s), CONNECTIONS (64), THREADS (2).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${TERMIJN_BUILD_DIR:-$src/build-release}
runs=${RUNS:-3}
duration=${DURATION:-10s}
conns=${CONNECTIONS:-64}
threads=${THREADS:-2}

work=$(mktemp -d /tmp/termijn-bench.XXXXXX)
cleanup() {
	# set -e holds in a trap too: a wait that reports termijnd's signal
	# must not end the shell before the directory is gone.
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
	fi
	rm -rf "$work"
}
# Interrupted, stop there: clean up and exit (a trap that returned would
# let the loop go on).
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
. "$here/lib.sh"

echo "bench_register: $conns connections, $threads wrk threads, $duration per run, $runs runs"
results=
run=1
while [ "$run" -le "$runs" ]; do
	db="$work/run$run.db"
	start_termijnd "run$run"
	token=$(person)

	TERMIJN_TOKEN=$token BENCH_RUN=$run wrk -t"$threads" -c"$conns" -d"$duration" \
	    -s "$here/register.lua" "http://127.0.0.1:$port/" >"$work/wrk$run" 2>&1
	stop_termijnd

	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk$run")
	stats=$(grep '^created=' "$work/wrk$run" || true)
	errs=$(grep -E 'Non-2xx|Socket errors' "$work/wrk$run" | tr -s ' ' | tr '\n' ' ' || true)
	cases=$(sqlite3 "$db" 'SELECT count(*) FROM cases')
	echo "run $run: $rps requests/s; $stats; cases in the database: $cases${errs:+; $errs}"
	results="$results $rps"
	run=$((run + 1))
done

median=$(median $results)
echo "median of $runs runs: $median durable registrations/s (design promise: at least BullMQ's rate in the same run: tests/bench/peers)"
