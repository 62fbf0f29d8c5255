#!/bin/sh
# tools/serve.sh: start or stop a throwaway lighttpd on 127.0.0.1 serving
# both APIs, for the tests (tests/setup_suite.bash) and tools/bench.sh.
#
#   serve.sh start DIR [genconf.sh options...]
#	Writes DIR/lighttpd.conf, starts lighttpd in the background, waits
#	until both ports answer, and writes DIR/env (shell assignments:
#	HA_PORT VOLUME_PORT LIGHTTPD_PID).  Logs: DIR/error.log (lighttpd),
#	DIR/programs.log (the programs' stderr), DIR/access.log (through a
#	pipe, so that each line is there as soon as its answer is: lighttpd
#	buffers a log file for up to a second).
#	Environment: DATA_DIR (required), CGI_BIN (default: cgi-bin/ of
#	this tree), HA_PORT and VOLUME_PORT (default: free ports), IDLE
#	(seconds without requests before lighttpd exits by itself, a guard
#	against orphans; default 300).
#   serve.sh stop DIR
#	Stops the lighttpd recorded in DIR/env, by that PID only.
#
# HACGI_SERVER_KIND=apache serve.sh ...: Apache instead (see below).
#
# From bats, close fd 3 for the call (serve.sh start DIR 3>&-), or bats
# waits for lighttpd to exit.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "serve.sh: $*" >&2
	exit 1
}

# HACGI_SERVER_KIND=apache: the same with Apache 2.4, by
# tools/serve-apache.sh (same commands, options and DIR/env, which then
# names APACHE_PID and SERVER_KIND=apache).  `stop` follows DIR/env.
case ${HACGI_SERVER_KIND:-lighttpd} in
lighttpd)
	if [ "${1:-}" = stop ] && [ -f "${2:-}/env" ] &&
	    grep -q '^SERVER_KIND=apache$' "$2/env"; then
		exec sh "$top/tools/serve-apache.sh" "$@"
	fi
	;;
apache) exec sh "$top/tools/serve-apache.sh" "$@" ;;
*) die "unknown HACGI_SERVER_KIND '$HACGI_SERVER_KIND' (lighttpd, apache)" ;;
esac

# free_ports: two distinct free TCP ports on 127.0.0.1.
free_ports() {
	python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])'
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z*|X*|'') return 1 ;;
	esac
}

# answers PORT: something speaks HTTP there (any status).
answers() {
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"
}

# try_start DIR HA VOL [genconf options]: 0 when both ports answer.
try_start() {
	dir=$1 ha=$2 vol=$3
	shift 3
	sh "$top/tools/genconf.sh" --out "$dir/lighttpd.conf" \
	    --ha-port "$ha" --volume-port "$vol" \
	    --cgi-bin "$CGI_BIN" --data-dir "$DATA_DIR" \
	    --pid-file "$dir/lighttpd.pid" --error-log "$dir/error.log" \
	    --program-log "$dir/programs.log" \
	    --access-log "|exec /bin/cat >> '$dir/access.log'" \
	    --upload-dir "$dir" "$@" || return 2
	lighttpd -D -i "${IDLE:-300}" -f "$dir/lighttpd.conf" \
	    </dev/null >>"$dir/error.log" 2>&1 3>&- &
	pid=$!
	printf 'HA_PORT=%s\nVOLUME_PORT=%s\nLIGHTTPD_PID=%s\n' \
	    "$ha" "$vol" "$pid" > "$dir/env"
	i=0
	while [ $i -lt 100 ]; do
		alive "$pid" || return 1
		answers "$ha" && answers "$vol" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "serve.sh: lighttpd (pid $pid) not answering after 10 s" >&2
	kill "$pid" 2>/dev/null || true
	return 2
}

start() {
	[ $# -ge 1 ] || die "usage: serve.sh start DIR [genconf options]"
	dir=$1
	shift
	[ -n "${DATA_DIR:-}" ] || die "DATA_DIR is not set"
	[ -d "$DATA_DIR" ] || die "no directory $DATA_DIR"
	CGI_BIN=${CGI_BIN:-$top/cgi-bin}
	command -v lighttpd >/dev/null || die "lighttpd is not installed"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ -f "$dir/env" ]; then
		die "$dir/env exists: is a server running? (serve.sh stop $dir)"
	fi
	# Free ports can be taken between the check and lighttpd's bind:
	# try again with others, unless the caller chose the ports.
	n=0
	while :; do
		if [ -n "${HA_PORT:-}" ] && [ -n "${VOLUME_PORT:-}" ]; then
			ha=$HA_PORT vol=$VOLUME_PORT fixed=1
		else
			# shellcheck disable=SC2046 # two port numbers
			set -- $(free_ports) "$@"
			ha=$1 vol=$2 fixed=
			shift 2
		fi
		rc=0
		try_start "$dir" "$ha" "$vol" "$@" || rc=$?
		[ $rc -ne 0 ] || return 0
		rm -f "$dir/env"
		n=$((n + 1))
		if [ $rc -ne 1 ] || [ -n "$fixed" ] || [ $n -ge 3 ]; then
			echo "serve.sh: lighttpd failed to start; $dir/error.log:" >&2
			tail -n 20 "$dir/error.log" >&2 || true
			return 1
		fi
	done
}

stop() {
	[ $# -eq 1 ] || die "usage: serve.sh stop DIR"
	dir=$1
	[ -f "$dir/env" ] || return 0
	pid=$(sed -n 's/^LIGHTTPD_PID=//p' "$dir/env")
	rm -f "$dir/env"
	[ -n "$pid" ] && alive "$pid" || return 0
	# Only our own lighttpd: its command line names our config.
	tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$dir/lighttpd.conf" ||
		return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	i=0
	while alive "$pid"; do
		if [ $i -ge 50 ]; then
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

[ $# -ge 1 ] || die "usage: serve.sh start|stop DIR ..."
cmd=$1
shift
case $cmd in
start) start "$@" ;;
stop) stop "$@" ;;
*) die "unknown command: $cmd" ;;
esac
