#!/bin/sh
# Builds the libFuzzer targets with clang and runs each for a bounded time.
# Usage: tests/fuzz/run.sh [seconds]   (default 60 per target)
set -eu
secs=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${TERMIJN_FUZZ_BUILD:-$src/build-fuzz}
corpus=$build/corpus

CC=clang cmake -S "$src" -B "$build" -DTERMIJN_FUZZ=ON -DTERMIJN_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" --target fuzz_period -j"$(nproc)"

# A few seeds, so the fuzzer starts from inputs that get somewhere.
mkdir -p "$corpus/period"
printf 'P6W' >"$corpus/period/iso"
printf '6 weeks' >"$corpus/period/words"
printf 'PT48H\n2026-03-27T12:00:00+01:00' >"$corpus/period/hours"
printf '3 days\n2026-04-02' >"$corpus/period/easter"
printf '2026-10-25T02:30:00.125+02:00' >"$corpus/period/time"

# Crashes are written to the build directory as crash-<sha1>.
"$build/tests/fuzz/fuzz_period" -max_total_time="$secs" -max_len=256 \
	-timeout=10 -artifact_prefix="$build/" "$corpus/period"
