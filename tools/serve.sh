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
# HACGI_FASTCGI=1 serve.sh ...: the programs as FastCGI responders
# (genconf.sh --fastcgi; sockets in DIR/fcgi; HACGI_FASTCGI_PROCS per
# program, default 2); DIR/env then says SERVER_MODE=fastcgi.
#
# From bats, close fd 3 for the call (serve.sh start DIR 3>&-), or bats
# waits for lighttpd to exit.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

. "$top/tools/serve-common.sh"

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

# try_start DIR HA VOL [genconf options]: 0 when both ports answer, 1 when
# lighttpd died (a port was taken?), 2 otherwise.
try_start() {
	dir=$1 ha=$2 vol=$3
	shift 3
	mode=cgi
	if [ -n "${HACGI_FASTCGI:-}" ]; then
		mode=fastcgi
		mkdir -p "$dir/fcgi"
		set -- --fastcgi --socket-dir "$dir/fcgi" \
		    --fastcgi-procs "${HACGI_FASTCGI_PROCS:-2}" "$@"
	fi
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
	printf 'HA_PORT=%s\nVOLUME_PORT=%s\nLIGHTTPD_PID=%s\nSERVER_MODE=%s\n' \
	    "$ha" "$vol" "$pid" "$mode" > "$dir/env"
	serve_wait "$pid" "$ha" "$vol" lighttpd
}

start() {
	[ $# -ge 1 ] || die "usage: serve.sh start DIR [genconf options]"
	serve_env
	command -v lighttpd >/dev/null || die "lighttpd is not installed"
	serve_dir "$1"
	shift
	serve_start "$dir" "$@"
}

start_failed() {
	echo "serve.sh: lighttpd failed to start; $1/error.log:" >&2
	tail -n 20 "$1/error.log" >&2 || true
}

stop() {
	[ $# -eq 1 ] || die "usage: serve.sh stop DIR"
	# Only our own lighttpd: its command line names our config.
	serve_stop "$1" LIGHTTPD_PID "$1/lighttpd.conf" 50
}

serve_main "start stop" "$@"
