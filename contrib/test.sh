#!/bin/sh
# Install what is missing, build termijn with AddressSanitizer and
# UndefinedBehaviorSanitizer, build it again under gcc's static analyzer
# (a finding fails), and run every test (unit and integration).
set -eu
cd "$(dirname "$0")/.."
contrib/install-deps.sh test
cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DTERMIJN_SANITIZE=ON >/dev/null
cmake --build build -j"$(nproc)"
cmake -S . -B build-analyzer -DCMAKE_BUILD_TYPE=Debug -DTERMIJN_ANALYZER=ON \
	-DTERMIJN_TESTS=OFF >/dev/null
cmake --build build-analyzer -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
