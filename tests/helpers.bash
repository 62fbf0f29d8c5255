# tests/helpers.bash: `load helpers` at the top of every tests/*.bats.
# The server and the exported variables come from tests/setup_suite.bash.
#
#   api  METHOD PATH [BODY [CURL-ARGS...]]   Instance-HA API ($HA_URL)
#   vapi METHOD PATH [BODY [CURL-ARGS...]]   Volume API ($VOLUME_URL)
#	Sets $code (HTTP status, 000 when no answer), $output (the body)
#	and $lines, and writes the response headers to the file $headers.
#	PATH is sent as is (no globbing, no dot-segment removal).
#	BODY: the exact bytes to send; "@FILE" sends a file (the only way
#	for bodies over ~128 KiB, or beginning with "@"); "" = no body.
#	A body goes with "Content-Type: $CTYPE" (default application/json;
#	CTYPE= sends none).  POST/PUT/PATCH without a body send
#	"Content-Length: 0", as OpenStack clients do.
#	"X-Auth-Token: $TOKEN" is sent when TOKEN is non-empty (TOKEN= api
#	... sends none).  A Content-Type or X-Auth-Token header among
#	CURL-ARGS replaces ours ("-H X-Auth-Token;" sends an empty one).
#	HEAD uses curl -I: $output is then empty.
#   header NAME          value of response header NAME (last one; any case)
#   assert_header NAME VALUE, refute_header NAME
#   json FILTER          jq -r FILTER on $output
#   manage ARGS...       bin/hacgi-manage --data-dir $DATA_DIR ARGS
#   reset_data           DATA_DIR back to tokens only (the default setup)
#   log_mark, log_dump   the default setup/teardown also print, for a
#                        failed test, what the server logged during it
#   server_restart [genconf.sh options]
#	restart the server on the same ports with other settings, e.g.
#	server_restart --service-down-time 5 --auth-uri http://ks:5000/
#	(call it with no options in teardown_file to restore the defaults).

bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

api() {
	_http "$HA_URL" "$@"
}

vapi() {
	_http "$VOLUME_URL" "$@"
}

# _http BASE METHOD PATH [BODY [CURL-ARGS...]]
_http() {
	local base=$1 method=$2 path=$3 body=${4-}
	shift $(($# < 4 ? $# : 4))
	local bodyfile=$BATS_TEST_TMPDIR/response-body
	local sendfile=$BATS_TEST_TMPDIR/request-body
	local own_ctype= own_token= a
	for a in "$@"; do
		case ${a,,} in
		content-type:* | content-type\;*) own_ctype=1 ;;
		x-auth-token:* | x-auth-token\;*) own_token=1 ;;
		esac
	done
	headers=$BATS_TEST_TMPDIR/response-headers
	local args=(-s -S -g --path-as-is -o "$bodyfile" -D "$headers"
		-w '%{http_code}' -H 'Expect:')
	if [[ $method == HEAD ]]; then
		args+=(-I)
	else
		args+=(-X "$method")
	fi
	if [[ -n ${TOKEN-} && -z $own_token ]]; then
		args+=(-H "X-Auth-Token: $TOKEN")
	fi
	if [[ -n $body ]]; then
		if [[ $body != @* ]]; then
			printf '%s' "$body" > "$sendfile"
			body=@$sendfile
		fi
		args+=(--data-binary "$body")
		if [[ -z $own_ctype ]]; then
			args+=(-H "Content-Type: ${CTYPE-application/json}")
		fi
	elif [[ $method =~ ^(POST|PUT|PATCH)$ ]]; then
		args+=(-H 'Content-Length: 0')
	fi
	rm -f "$bodyfile" "$headers"
	code=$(curl "${args[@]}" "$@" "$base$path") || true
	output=
	if [[ $method != HEAD && -f $bodyfile ]]; then
		output=$(cat "$bodyfile"; printf x)
		output=${output%x}
	fi
	lines=()
	[[ -z $output ]] || mapfile -t lines <<<"$output"
}

# header NAME: the value of the last response header NAME, without CR.
header() {
	[[ -f ${headers-} ]] || return 1
	local name=${1,,} line value= found=
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [[ ${line,,} == "$name":* ]]; then
			value=${line#*:}
			value=${value# }
			found=1
		fi
	done < "$headers"
	[[ -n $found ]] || return 1
	printf '%s\n' "$value"
}

assert_header() {
	local value
	value=$(header "$1") ||
		fail "no response header $1 (headers: $(tr -d '\r' < "$headers"))"
	assert_equal "$value" "$2"
}

refute_header() {
	local value
	if value=$(header "$1"); then
		fail "unexpected response header $1: $value"
	fi
}

json() {
	jq -r "$1" <<<"$output"
}

manage() {
	"$HACGI_MANAGE" --data-dir "$DATA_DIR" "$@"
}

reset_data() {
	find "$DATA_DIR" -mindepth 1 -delete
	cp -a "$HACGI_PRISTINE/." "$DATA_DIR/"
}

# site_conf SITE RUNNER [LINE...]: $BATS_TEST_TMPDIR/httpd.conf, the
# least server config around an Apache site, for apache2 -t: the
# modules a hacgi site needs (RUNNER: cgid, or fcgid for FastCGI), the
# LINEs, then SITE included.
site_conf() {
	local d=$BATS_TEST_TMPDIR site=$1 runner=$2 mod
	shift 2
	{
		printf 'ServerRoot "%s"\nPidFile "%s/pid"\nErrorLog "%s/log"\n' "$d" "$d" "$d"
		for mod in mpm_event authz_core alias env headers "$runner" reqtimeout setenvif; do
			printf 'LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so\n' "$mod" "$mod"
		done
		[[ $# -eq 0 ]] || printf '%s\n' "$@"
		printf 'Include "%s"\n' "$site"
	} > "$d/httpd.conf"
}

server_restart() {
	sh "$TOP/tools/serve.sh" stop "$HACGI_SERVER"
	CGI_BIN=$HACGI_CGI_BIN HA_PORT=$HA_PORT VOLUME_PORT=$VOLUME_PORT \
	    sh "$TOP/tools/serve.sh" start "$HACGI_SERVER" "$@" 3>&-
}

# log_mark: remember where the server logs end, for log_dump.
log_mark() {
	local f
	_log_marks=()
	for f in programs.log error.log; do
		_log_marks+=("$(stat -c %s "$HACGI_SERVER/$f" 2>/dev/null || echo 0)")
	done
}

# log_dump: after a failed test, what the programs and lighttpd logged
# during it (bats prints it with the failure).
log_dump() {
	[[ -z ${BATS_TEST_COMPLETED-} ]] || return 0
	local f i=0 new
	for f in programs.log error.log; do
		new=$(tail -c +"$((${_log_marks[i]:-0} + 1))" \
		    "$HACGI_SERVER/$f" 2>/dev/null | tail -n 20)
		[[ -z $new ]] || printf '# server %s:\n%s\n' "$f" "$new"
		i=$((i + 1))
	done
}

# The default per-test hooks; a file that defines its own should call
# these too.
setup() {
	reset_data
	log_mark
}

teardown() {
	log_dump
}
