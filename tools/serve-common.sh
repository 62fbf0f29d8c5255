# shellcheck shell=sh
# tools/serve-common.sh: what tools/serve.sh (lighttpd) and
# tools/serve-apache.sh (Apache) share: free ports, waiting for the server,
# retrying on taken ports, stopping it by its PID.  Sourced
# (". tools/serve-common.sh"), never run.  POSIX sh.  Messages start with
# the name of the script that sourced this one.
#
# The sourcing script sets $top (the source tree) and defines:
#   try_start DIR HA VOL [options]
#	Start the server on ports HA and VOL, write DIR/env; return 0 when
#	both ports answer, 1 when the server died (a port was taken?), 2
#	otherwise.
#   start_failed DIR
#	Say on stderr that the server did not start, with its logs.
# and the commands it names to serve_main (start, stop, ...).

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# serve_free_ports: two distinct free TCP ports on 127.0.0.1.
serve_free_ports() {
	python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])'
}

# serve_alive PID: the process exists and is not a zombie.
serve_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z*|X*|'') return 1 ;;
	esac
}

# serve_answers PORT: something speaks HTTP there (any status).
serve_answers() {
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"
}

# serve_env: check DATA_DIR, default CGI_BIN (before the server's own
# checks, so that a missing DATA_DIR is what is reported first).
serve_env() {
	[ -n "${DATA_DIR:-}" ] || die "DATA_DIR is not set"
	[ -d "$DATA_DIR" ] || die "no directory $DATA_DIR"
	CGI_BIN=${CGI_BIN:-$top/cgi-bin}
}

# serve_dir DIR: create DIR, set $dir to its absolute path; refuse a DIR
# whose env says a server may be running.
serve_dir() {
	mkdir -p "$1"
	dir=$(cd "$1" && pwd)
	[ ! -f "$dir/env" ] ||
		die "$dir/env exists: is a server running? (serve.sh stop $dir)"
}

# serve_wait PID HA VOL NAME: 0 once both ports answer, 1 when PID died
# first, 2 (PID killed) when they still do not answer after 10 s.
serve_wait() {
	i=0
	while [ $i -lt 100 ]; do
		serve_alive "$1" || return 1
		serve_answers "$2" && serve_answers "$3" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "${0##*/}: $4 (pid $1) not answering after 10 s" >&2
	kill "$1" 2>/dev/null || true
	return 2
}

# serve_start DIR [options]: try_start DIR HA VOL [options] on HA_PORT and
# VOLUME_PORT, or on free ports.  Free ports can be taken between the check
# and the server's bind: try again with others (three times at most) when
# the server died, unless the caller chose the ports.
serve_start() {
	dir=$1
	shift
	n=0
	while :; do
		if [ -n "${HA_PORT:-}" ] && [ -n "${VOLUME_PORT:-}" ]; then
			ha=$HA_PORT vol=$VOLUME_PORT fixed=1
		else
			# shellcheck disable=SC2046 # two port numbers
			set -- $(serve_free_ports) "$@"
			ha=$1 vol=$2 fixed=
			shift 2
		fi
		rc=0
		try_start "$dir" "$ha" "$vol" "$@" || rc=$?
		[ $rc -ne 0 ] || return 0
		rm -f "$dir/env"
		n=$((n + 1))
		if [ $rc -ne 1 ] || [ -n "$fixed" ] || [ $n -ge 3 ]; then
			start_failed "$dir"
			return 1
		fi
	done
}

# serve_stop DIR KEY CONF TICKS: stop the server that DIR/env records as
# KEY=PID, and only if its command line names CONF (our own server, not
# whatever got the PID since): SIGTERM, then SIGKILL after TICKS tenths of
# a second.  A WATCHDOG_PID recorded there is killed first.  DIR/env is
# removed.
serve_stop() {
	[ -f "$1/env" ] || return 0
	pid=$(sed -n "s/^$2=//p" "$1/env")
	wd=$(sed -n 's/^WATCHDOG_PID=//p' "$1/env")
	rm -f "$1/env"
	[ -z "$wd" ] || kill "$wd" 2>/dev/null || true
	[ -n "$pid" ] && serve_alive "$pid" || return 0
	tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$3" || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	i=0
	while serve_alive "$pid"; do
		if [ $i -ge "$4" ]; then
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

# serve_main COMMANDS ARGS...: run the command ARGS names (its first word),
# one of COMMANDS (space-separated), with the rest of ARGS.
serve_main() {
	[ $# -ge 2 ] || die "usage: ${0##*/} start|stop DIR ..."
	case " $1 " in
	*" $2 "*) ;;
	*) die "unknown command: $2" ;;
	esac
	cmd=$2
	shift 2
	"$cmd" "$@"
}
