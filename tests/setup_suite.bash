# tests/setup_suite.bash: one throwaway lighttpd on 127.0.0.1 for a bats
# run (tests/run.sh runs each tests/*.bats on its own, so: per file).
# Builds nothing: it serves what is in cgi-bin/ now.
# HACGI_SERVER_KIND=apache: an Apache 2.4 instead, from httpd.conf.example
# (tools/serve-apache.sh); tests/run.sh runs the suites listed in
# tests/apache.suites a second time so.
#
# Exported to the tests:
#   TOP            the source tree
#   HA_URL         http://127.0.0.1:PORT  (Instance-HA API, no trailing /)
#   VOLUME_URL     http://127.0.0.1:PORT  (Volume API)
#   HA_PORT VOLUME_PORT
#   DATA_DIR       the server's data directory (temporary, mode 0700)
#   PROJECT        0123456789abcdef0123456789abcdef, project of the tokens
#   TOKEN          token sent by api/vapi: ADMIN_TOKEN unless a test sets it
#   ADMIN_TOKEN    "admin-token",   roles admin
#   MEMBER_TOKEN   "member-token",  roles member,reader
#   SERVICE_TOKEN  "service-token", roles service, bound to the hosts the
#                  suites heartbeat for with it: h@b, svc-host, host2@*,
#                  host3@lvm, "hôte 1@lvm"
#   HACGI_MANAGE   bin/hacgi-manage (override: set it before running bats)
#   HACGI_CGI_BIN  cgi-bin/ (override likewise, e.g. an installed tree)
#   HACGI_DYN_CGI_BIN  the same programs linked dynamically, for what
#                  works through the dynamic linker (libfiu's LD_PRELOAD):
#                  $HACGI_CGI_BIN/dynamic when it exists, else
#                  $HACGI_CGI_BIN (override likewise)
#   HACGI_SERVER   state directory of the server: lighttpd.conf, env,
#                  error.log, programs.log (the programs' stderr), access.log
#                  (Apache: httpd.conf; programs.log is Apache's error log)
#   HACGI_SERVER_KIND  lighttpd (default) or apache
#   HACGI_PRISTINE copy of DATA_DIR holding only the tokens (reset_data)
# HACGI_KEEP_TMP=1 keeps the temporary directory (under tests/tmp/).
# HACGI_TEST_TMP: where the temporary directory goes (tests/run.sh).

setup_suite() {
	TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	export TOP
	export HACGI_MANAGE=${HACGI_MANAGE:-$TOP/bin/hacgi-manage}
	export HACGI_CGI_BIN=${HACGI_CGI_BIN:-$TOP/cgi-bin}
	if [[ -z ${HACGI_DYN_CGI_BIN-} ]]; then
		HACGI_DYN_CGI_BIN=$HACGI_CGI_BIN
		[[ ! -d $HACGI_CGI_BIN/dynamic ]] ||
		    HACGI_DYN_CGI_BIN=$HACGI_CGI_BIN/dynamic
	fi
	export HACGI_DYN_CGI_BIN
	export HACGI_SERVER_KIND=${HACGI_SERVER_KIND:-lighttpd}

	# bats removes its own temporary directory: keep elsewhere.
	# HACGI_TEST_TMP (tests/run.sh): a folder of the suite's own, where
	# run.sh finds every server started under it and stops it by PID
	# however the suite ends.
	local base=${HACGI_TEST_TMP:-${BATS_SUITE_TMPDIR:-$TOP/tests/tmp}}
	[[ -z ${HACGI_KEEP_TMP-} ]] || base=$TOP/tests/tmp
	mkdir -p "$base"
	HACGI_TMP=$(mktemp -d "$base/hacgi.XXXXXX")
	export HACGI_TMP
	export DATA_DIR=$HACGI_TMP/data
	export HACGI_PRISTINE=$HACGI_TMP/data.pristine
	export HACGI_SERVER=$HACGI_TMP/server
	mkdir -m 0700 "$DATA_DIR"

	export PROJECT=0123456789abcdef0123456789abcdef
	export ADMIN_TOKEN=admin-token
	export MEMBER_TOKEN=member-token
	export SERVICE_TOKEN=service-token
	export TOKEN=$ADMIN_TOKEN

	if [[ ! -x $HACGI_MANAGE ]]; then
		echo "setup_suite: $HACGI_MANAGE is not built (make all)" >&2
		return 1
	fi
	_suite_token admin "$ADMIN_TOKEN" admin || return 1
	_suite_token member "$MEMBER_TOKEN" member,reader || return 1
	_suite_token service "$SERVICE_TOKEN" service --host h@b \
	    --host svc-host --host 'host2@*' --host host3@lvm \
	    --host 'hôte 1@lvm' || return 1
	cp -a "$DATA_DIR" "$HACGI_PRISTINE"

	if ! CGI_BIN=$HACGI_CGI_BIN sh "$TOP/tools/serve.sh" start \
	    "$HACGI_SERVER" 3>&-; then
		echo "setup_suite: the test server did not start" >&2
		return 1
	fi
	# shellcheck source=/dev/null
	. "$HACGI_SERVER/env"
	export HA_PORT VOLUME_PORT
	export HA_URL=http://127.0.0.1:$HA_PORT
	export VOLUME_URL=http://127.0.0.1:$VOLUME_PORT
}

# _suite_token USER TOKEN ROLES [OPTION...]
_suite_token() {
	"$HACGI_MANAGE" --data-dir "$DATA_DIR" token create --user "$1" \
	    --project "$PROJECT" --roles "$3" --token "$2" "${@:4}" \
	    >/dev/null || {
		echo "setup_suite: hacgi-manage token create $1 failed" >&2
		return 1
	}
}

teardown_suite() {
	[[ -n ${HACGI_TMP-} ]] || return 0
	sh "$TOP/tools/serve.sh" stop "$HACGI_SERVER"
	if [[ -n ${HACGI_KEEP_TMP-} ]]; then
		echo "# kept $HACGI_TMP" >&3
	else
		rm -rf "$HACGI_TMP"
	fi
}
