#!/bin/sh
# Install what is missing, build termijn, and start termijnd in the
# foreground with the shipped workflows and a database under ./var.
# Extra arguments go to termijnd (for example --listen 0.0.0.0:8470).
set -eu
cd "$(dirname "$0")/.."
contrib/install-deps.sh run
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DTERMIJN_TESTS=OFF >/dev/null
cmake --build build-release -j"$(nproc)"
mkdir -p var
exec build-release/termijnd --foreground --workflows workflows --db var/termijn.db "$@"
