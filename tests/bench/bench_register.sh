#!/bin/sh
# Durable case registrations over HTTP keep-alive with 64 concurrent clients
# (wrk), against a release build of termijnd with a fresh database per run.
# Prints requests/s of each run and their median.  Asserts nothing: the
# design promises at least 10,000/s on the 2-core development machine.
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

command -v wrk >/dev/null || {
	echo "bench_register: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null || {
	echo "bench_register: sqlite3 is missing (apt-get install -y sqlite3)" >&2; exit 1; }
if [ ! -x "$build/termijnd" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERMIJN_TESTS=OFF
	cmake --build "$build" -j2 --target termijnd
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null ||
	echo "bench_register: warning: $build is not a Release build" >&2

work=$(mktemp -d /tmp/termijn-bench.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "bench_register: $conns connections, $threads wrk threads, $duration per run, $runs runs"
results=
run=1
while [ "$run" -le "$runs" ]; do
	db="$work/run$run.db"
	out="$work/out$run"
	"$build/termijnd" --listen 127.0.0.1:0 --db "$db" --workflows "$src/workflows" \
	    >"$out" 2>"$work/err$run" &
	pid=$!
	i=0
	until grep -q '^termijnd: admin token' "$out" && grep -q '^termijnd: listening on' "$out"; do
		i=$((i + 1))
		if [ "$i" -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "bench_register: termijnd did not start:" >&2
			cat "$out" "$work/err$run" >&2
			exit 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/^termijnd: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out")
	token=$(sed -n 's/^termijnd: admin token (shown once): //p' "$out")

	TERMIJN_TOKEN=$token BENCH_RUN=$run wrk -t"$threads" -c"$conns" -d"$duration" \
	    -s "$here/register.lua" "http://127.0.0.1:$port/" >"$work/wrk$run" 2>&1
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	pid=
	[ "$rc" -eq 0 ] || echo "bench_register: termijnd exited $rc on SIGTERM" >&2

	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk$run")
	stats=$(grep '^created=' "$work/wrk$run" || true)
	errs=$(grep -E 'Non-2xx|Socket errors' "$work/wrk$run" | tr -s ' ' | tr '\n' ' ' || true)
	cases=$(sqlite3 "$db" 'SELECT count(*) FROM cases')
	echo "run $run: $rps requests/s; $stats; cases in the database: $cases${errs:+; $errs}"
	results="$results $rps"
	run=$((run + 1))
done

median=$(printf '%s\n' $results | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "median of $runs runs: $median durable registrations/s (design promise: at least 10000/s)"
