#!/bin/sh
# Install what is missing, build termijn quietly, and start termijnd in the
# foreground with the shipped workflows and a database under ./var; once it
# listens, say what to do next (with the admin token again, on the first
# start).  Extra arguments go to termijnd (for example --listen
# 0.0.0.0:8470).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
contrib/install-deps.sh run
mkdir -p var

# The build's own output is for when it fails: a first look at termijn
# should show the admin token, not thirty lines of compiler progress.
log=var/build.log
echo "termijn: building in build-release/ (output in $log) ..."
if ! { cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release \
    -DTERMIJN_TESTS=OFF && cmake --build build-release -j"$(nproc)"; } \
    >"$log" 2>&1; then
	cat "$log" >&2
	echo "termijn: the build failed (above, and in $log)" >&2
	exit 1
fi

# What to do next, once termijnd listens: $1 where, $2 the admin token it
# made on this start, or nothing.
next_steps() {
	url=http://$(printf '%s' "$1" | sed -e 's/^0\.0\.0\.0:/127.0.0.1:/' \
	    -e 's/^\[::\]:/[::1]:/')
	echo
	echo "termijn is running; Ctrl-C stops it. Next, in another terminal:"
	echo
	echo "  cd $top"
	echo "  export PATH=\"$top/build-release:\$PATH\""
	echo "  export TERMIJN_URL=$url"
	if [ -n "$2" ]; then
		echo "  export TERMIJN_TOKEN=$2"
		echo
		echo "  That is the admin token. termijn keeps only its hash and shows it"
		echo "  on this first start only: keep it where only you can read it. It"
		echo "  manages teams and tokens, and sees no case."
	else
		echo "  export TERMIJN_TOKEN=tmj_...   # the admin token of the first start"
		echo
		echo "  Lost it? Make another on the database itself:"
		echo "  termijnctl token create --db var/termijn.db --name admin-2 --role admin"
	fi
	echo
	echo "Then the teams, and a token for each person, in their teams:"
	echo
	echo "  termijnctl team add jeugd-noord --title \"Jeugdteam Noord\""
	echo "  termijnctl token create --name cw-noord --role caseworker --team jeugd-noord > cw-noord.token"
	echo "  TERMIJN_TOKEN=\$(cat cw-noord.token) termijnctl case create --workflow zelfmelding \\"
	echo "      --reference Z-2026-0001 --team jeugd-noord"
	echo
	echo "Give each person their own token; see README.md, \"A ten-minute tour\"."
	echo
}

# termijnd's standard output (its address, and the admin token on the
# first start) is read through a FIFO, so that termijnd itself takes this
# script's place and gets its signals.  A reader started in the
# background of a script ignores Ctrl-C and ends when termijnd does.
fifo=var/.run.$$
rm -f "$fifo"
mkfifo -m 600 "$fifo"
# shellcheck disable=SC2094	# the FIFO's name is removed, not written
{
	rm -f "$fifo"	# both ends are open: the name is needed no more
	token=
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"termijnd: admin token (shown once): "*)
			token=${line##* } ;;
		"termijnd: listening on "*)
			# One write, so that termijnd's log does not cut it up.
			steps=$(next_steps "${line##* }" "$token")
			printf '%s\n\n' "$steps" ;;
		esac
	done
} <"$fifo" &
exec build-release/termijnd --foreground --workflows workflows \
    --db var/termijn.db "$@" >"$fifo"
