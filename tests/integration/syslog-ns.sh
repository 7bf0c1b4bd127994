#!/bin/sh
# Runs a command in a private mount namespace whose /dev/log is SOCKET, so
# that what it sends with syslog(3) reaches the test's own datagram socket
# and nothing reaches (or leaks to) the host's /dev.  Needs root.
#
#	syslog-ns.sh SOCKET -- CMD [ARGS...]
#
# The command is exec'd, so it keeps this script's process id: a signal sent
# to that id reaches the command itself.
set -eu

usage() {
	echo "usage: syslog-ns.sh SOCKET -- CMD [ARGS...]" >&2
	exit 2
}

[ $# -ge 3 ] || usage
sock=$1
[ "$2" = "--" ] || usage
[ -S "$sock" ] || { echo "syslog-ns.sh: $sock is not a socket" >&2; exit 2; }

if [ "${TERMIJN_SYSLOG_NS:-}" != "inside" ]; then
	# unshare(1) without --fork execs in place: the process id stays.
	TERMIJN_SYSLOG_NS=inside exec unshare --mount --propagation private \
	    "$0" "$@"
fi
unset TERMIJN_SYSLOG_NS
shift 2

# Nothing mounted below may propagate back to the host.
mount --make-rprivate /

# Keep the real /dev reachable while a private one is laid over it.
real=$(mktemp -d /tmp/termijn-realdev.XXXXXX)
mount --rbind /dev "$real"
mount -t tmpfs -o mode=0755,nosuid,size=1m termijn-dev /dev
for n in null zero full random urandom tty; do
	: >"/dev/$n"
	mount --bind "$real/$n" "/dev/$n"
done
mkdir /dev/shm /dev/pts
mount --rbind "$real/shm" /dev/shm
mount --rbind "$real/pts" /dev/pts
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
: >/dev/log
mount --bind "$sock" /dev/log
umount -l "$real"
rmdir "$real"

exec "$@"
