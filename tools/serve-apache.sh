#!/bin/sh
# tools/serve-apache.sh: tools/serve.sh with Apache 2.4 instead of
# lighttpd (HACGI_SERVER_KIND=apache tools/serve.sh ... runs this): a
# throwaway apache2 on 127.0.0.1 serving both APIs from the committed
# httpd.conf.example, its placeholders filled in.
#
#   serve-apache.sh start DIR [genconf-apache.sh value options...]
#	Writes DIR/httpd.conf (httpd.conf.example filled in by
#	tools/genconf-apache.sh --from), starts `apache2 -DFOREGROUND` in
#	the background, waits until both ports answer, and writes DIR/env
#	(HA_PORT VOLUME_PORT APACHE_PID SERVER_KIND=apache).  Logs:
#	DIR/apache/error.log (Apache and the programs' stderr: Apache has
#	one log for both), with DIR/programs.log a link to it;
#	DIR/access.log a link to DIR/apache/access.log; DIR/error.log
#	holds what apache2 itself printed.
#	Options: --service-down-time, --policy-file, --auth-uri, --api-host
#	and the Keystone ones (--auth, --manage, --keystone-conf,
#	--token-cache-time, --invalid-token-cache-time, --keystone-timeout,
#	--keystone-connect-timeout), as for genconf.sh; the others are the
#	test server's own.  With --routes the config is generated from that
#	table instead.
#	Environment: as serve.sh (DATA_DIR, CGI_BIN, HA_PORT, VOLUME_PORT,
#	IDLE: a watchdog stops Apache after IDLE seconds without a
#	request), APACHE2 (the binary, default apache2), APACHE_MODULES
#	(/usr/lib/apache2/modules).
#	HACGI_FASTCGI=1: the programs as FastCGI responders under mod_fcgid
#	(httpd-fastcgi.conf.example); DIR/env then says SERVER_MODE=fastcgi.
#   serve-apache.sh stop DIR
#	Stops the apache2 recorded in DIR/env, by that PID only.
#
# Who the programs run as: Apache started by root switches to User
# (www-data), which could not read a test's DATA_DIR.  So, as root, Apache
# runs in a user namespace where we are an ordinary user (unshare
# --map-user): no switch, and the files stay ours.  Where user namespaces
# are not allowed, the User line is dropped and the programs run as root
# (Apache logs an alert, AH02155, and serves).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
apache2=${APACHE2:-apache2}
modules=${APACHE_MODULES:-/usr/lib/apache2/modules}

. "$top/tools/serve-common.sh"

# runner: the command prefix that starts Apache (see the top comment);
# sets $user, the User to fill in ("" = none).
runner() {
	user=www-data
	if [ "$(id -u)" != 0 ]; then
		runner=
	elif unshare --user --map-user=1 --map-group=1 true 2>/dev/null; then
		runner="unshare --user --map-user=1 --map-group=1"
	else
		runner='' user=
	fi
}

# watchdog PID DIR: stop Apache once nothing was logged in DIR/apache/
# access.log for IDLE seconds, like lighttpd -i (a guard against orphans).
watchdog() {
	idle=${IDLE:-300}
	while serve_alive "$1"; do
		sleep 2
		last=$(stat -c %Y "$2/apache/access.log" 2>/dev/null ||
		    stat -c %Y "$2/env")
		if [ $(($(date +%s) - last)) -ge "$idle" ]; then
			echo "serve-apache.sh: idle ${idle}s: stopping $1" \
			    >> "$2/error.log"
			kill -TERM "$1" 2>/dev/null || true
			return 0
		fi
	done
}

# try_start DIR HA VOL [options]: 0 when both ports answer, 1 when Apache
# died (a port was taken?), 2 otherwise.
try_start() {
	dir=$1 ha=$2 vol=$3
	shift 3
	example=$top/httpd.conf.example mode=cgi
	if [ -n "${HACGI_FASTCGI:-}" ]; then
		example=$top/httpd-fastcgi.conf.example mode=fastcgi
		mkdir -p "$dir/apache/fcgid"
	fi
	# --routes (tools/bench.sh's table): generate, not fill the example
	case " $* " in
	*" --routes "*) set -- ${HACGI_FASTCGI:+--fastcgi} "$@" ;;
	*) set -- --from "$example" "$@" ;;
	esac
	sh "$top/tools/genconf-apache.sh" \
	    --out "$dir/httpd.conf" --ha-port "$ha" --volume-port "$vol" \
	    --cgi-bin "$CGI_BIN" --data-dir "$DATA_DIR" \
	    --run-dir "$dir/apache" --log-dir "$dir/apache" \
	    --modules "$modules" --user "$user" "$@" || return 2
	rm -f "$dir/apache/httpd.pid" "$dir/apache/cgid.sock"*
	# shellcheck disable=SC2086 # word splitting wanted
	$runner "$apache2" -DFOREGROUND -f "$dir/httpd.conf" \
	    </dev/null >>"$dir/error.log" 2>&1 3>&- &
	pid=$!
	printf 'HA_PORT=%s\nVOLUME_PORT=%s\nAPACHE_PID=%s\nSERVER_KIND=apache\n' \
	    "$ha" "$vol" "$pid" > "$dir/env"
	echo "SERVER_MODE=$mode" >> "$dir/env"
	serve_wait "$pid" "$ha" "$vol" apache2 || return $?
	# A new sh, not a subshell: a subshell would keep the caller's
	# stdout open (dash's saved descriptors), and `$(serve.sh ...)` or
	# a pipe would wait for the watchdog.
	sh "$top/tools/serve-apache.sh" watchdog "$pid" "$dir" \
	    </dev/null >/dev/null 2>&1 3>&- &
	echo "WATCHDOG_PID=$!" >> "$dir/env"
}

start() {
	[ $# -ge 1 ] || die "usage: serve-apache.sh start DIR [options]"
	serve_env
	command -v "$apache2" >/dev/null || die "$apache2 is not installed"
	[ -r "$modules/mod_cgid.so" ] || die "no $modules/mod_cgid.so"
	[ -z "${HACGI_FASTCGI:-}" ] || [ -r "$modules/mod_fcgid.so" ] ||
	    die "no $modules/mod_fcgid.so (libapache2-mod-fcgid)"
	mkdir -p "$1/apache"
	serve_dir "$1"
	shift
	: >> "$dir/apache/error.log"
	: >> "$dir/apache/access.log"
	ln -sfn apache/error.log "$dir/programs.log"
	ln -sfn apache/access.log "$dir/access.log"
	runner
	serve_start "$dir" "$@"
}

start_failed() {
	echo "serve-apache.sh: apache2 failed to start:" >&2
	tail -n 20 "$1/error.log" "$1/apache/error.log" >&2 || true
}

stop() {
	[ $# -eq 1 ] || die "usage: serve-apache.sh stop DIR"
	# Only our own Apache: its command line names our config.  SIGTERM:
	# Apache stops its children and the cgid daemon, then exits.
	serve_stop "$1" APACHE_PID "$1/httpd.conf" 100
}

serve_main "start stop watchdog" "$@"
