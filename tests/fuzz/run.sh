#!/bin/sh
# Builds the libFuzzer targets with clang and runs them, one after the other,
# each for a bounded time.
# Usage: tests/fuzz/run.sh [TARGET|all] [SECONDS]
#        tests/fuzz/run.sh SECONDS
#   TARGET: period, workflow, config, head or request (fuzz_ prefix optional);
#   default all of them, 60 seconds each.
# Each target starts from its seeds in tests/fuzz/corpus/TARGET (read only),
# with the words in tests/fuzz/TARGET.dict when there is one, and keeps what
# it finds in $build/corpus/TARGET, so a later run goes on from there.
# A crash, leak or sanitizer report is written to
# $build/artifacts/TARGET-crash-<sha1> (or leak-, timeout-, oom-), and the
# script exits 1 when any target failed.
set -eu
targets="period workflow config head request"
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${TERMIJN_FUZZ_BUILD:-$src/build-fuzz}

which=all
case ${1:-} in
'')	;;
*[!0-9]*) which=${1#fuzz_}; shift ;;
esac
secs=${1:-60}
case $secs in
''|*[!0-9]*) echo "usage: $0 [TARGET|all] [SECONDS]" >&2; exit 2 ;;
esac
if [ "$which" != all ]; then
	case " $targets " in
	*" $which "*) targets=$which ;;
	*)	echo "$0: unknown target \"$which\" (one of: $targets)" >&2
		exit 2 ;;
	esac
fi

"$src/contrib/install-deps.sh" fuzz
CC=clang cmake -S "$src" -B "$build" -DTERMIJN_FUZZ=ON -DTERMIJN_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=Debug >/dev/null
set --
for t in $targets; do
	set -- "$@" --target "fuzz_$t"
done
cmake --build "$build" -j"$(nproc)" "$@"

failed=
for t in $targets; do
	case $t in
	period)	maxlen=256 ;;
	workflow) maxlen=8192 ;;
	*)	maxlen=4096 ;;
	esac
	dict=$src/tests/fuzz/$t.dict
	[ -f "$dict" ] || dict=
	mkdir -p "$build/corpus/$t" "$build/artifacts"
	echo "== fuzz_$t for ${secs}s"
	if ! "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" \
	    -max_len="$maxlen" -timeout=10 -print_final_stats=1 \
	    ${dict:+-dict="$dict"} \
	    -artifact_prefix="$build/artifacts/$t-" \
	    "$build/corpus/$t" "$src/tests/fuzz/corpus/$t"; then
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed (see $build/artifacts)" >&2
	exit 1
fi
