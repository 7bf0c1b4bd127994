# Shared by the shell benchmarks: start a release termijnd on a fresh
# database and give the load a token of a person to act with.
# Expects: build, src, work (a temporary directory) set by the caller.

command -v wrk >/dev/null || {
	echo "bench: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null || {
	echo "bench: sqlite3 is missing (apt-get install -y sqlite3)" >&2; exit 1; }
command -v curl >/dev/null || {
	echo "bench: curl is missing (apt-get install -y curl)" >&2; exit 1; }
if [ ! -x "$build/termijnd" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERMIJN_TESTS=OFF
	cmake --build "$build" -j2 --target termijnd
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null ||
	echo "bench: warning: $build is not a Release build" >&2

pid=

# start_termijnd NAME: a termijnd on a new database $work/NAME.db; sets pid,
# port and admin (its first admin token).
start_termijnd() {
	out="$work/$1.out"
	"$build/termijnd" --listen 127.0.0.1:0 --db "$work/$1.db" \
	    --workflows "${WORKFLOWS:-$src/workflows}" >"$out" 2>"$work/$1.err" &
	pid=$!
	i=0
	until grep -q '^termijnd: admin token' "$out" &&
	    grep -q '^termijnd: listening on' "$out"; do
		i=$((i + 1))
		if [ "$i" -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "bench: termijnd did not start:" >&2
			cat "$out" "$work/$1.err" >&2
			exit 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/^termijnd: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out")
	admin=$(sed -n 's/^termijnd: admin token (shown once): //p' "$out")
}

# person: prints a caseworker's token in team jeugd-noord, made by the
# admin.  A termijnd from before teams and roles (404 on /v1/teams) lets the
# admin token act on cases itself: then that is printed.
person() {
	st=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
	    -d '{"name":"jeugd-noord","title":"Jeugd Noord"}' \
	    "http://127.0.0.1:$port/v1/teams")
	if [ "$st" = 404 ]; then
		echo "$admin"
		return
	fi
	curl -s -X POST -H "Authorization: Bearer $admin" \
	    -H 'Content-Type: application/json' \
	    -d '{"name":"bench","role":"caseworker","teams":["jeugd-noord"]}' \
	    "http://127.0.0.1:$port/v1/tokens" |
	    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

stop_termijnd() {
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	pid=
	[ "$rc" -eq 0 ] || echo "bench: termijnd exited $rc on SIGTERM" >&2
}

median() {
	printf '%s\n' "$@" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
