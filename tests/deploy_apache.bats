#!/usr/bin/env bats
# Apache 2.4 next to lighttpd: the committed httpd.conf.example, an Apache
# started from it (tools/serve-apache.sh) on the suite's DATA_DIR, the same
# requests sent to both servers, and what Apache does differently.
#
# Runs in the lighttpd pass only (the suite server is the lighttpd one);
# tests/apache.suites reruns the server-neutral suites under Apache.
load helpers

P=0123456789abcdef0123456789abcdef

setup_file() {
	[[ $HACGI_SERVER_KIND == lighttpd ]] ||
		skip "compares the lighttpd suite server with an Apache"
	export APACHE_DIR=$HACGI_TMP/apache
	# Free ports of its own: HA_PORT and VOLUME_PORT are lighttpd's.
	env -u HA_PORT -u VOLUME_PORT CGI_BIN="$HACGI_CGI_BIN" \
	    sh "$TOP/tools/serve-apache.sh" start "$APACHE_DIR" 3>&-
	APACHE_HA_URL=http://127.0.0.1:$(sed -n 's/^HA_PORT=//p' "$APACHE_DIR/env")
	APACHE_VOLUME_URL=http://127.0.0.1:$(sed -n 's/^VOLUME_PORT=//p' "$APACHE_DIR/env")
	export APACHE_HA_URL APACHE_VOLUME_URL
	fixtures
}

teardown_file() {
	[[ -z ${APACHE_DIR-} ]] || sh "$TOP/tools/serve-apache.sh" stop "$APACHE_DIR"
}

# The data stay for the whole file (the comparisons only read, or fail
# before writing): no reset_data.
setup() {
	log_mark
}

# fixtures: a segment with a host and a notification, a cluster
# cluster1@lvm with one service.
fixtures() {
	local BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR
	reset_data
	api POST /v1/segments '{"segment": {"name": "seg-a", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	SEG=$(json .segment.uuid)
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	HOST=$(json .host.uuid)
	api POST /v1/notifications '{"notification": {"type": "COMPUTE_HOST", "hostname": "compute-1", "generated_time": "2024-01-01T00:00:00", "payload": {"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"}}}'
	NOTIF=$(json .notification.notification_uuid)
	export SEG HOST NOTIF
	manage service heartbeat --host host1@lvm --binary cinder-volume \
	    --cluster cluster1@lvm --at 2024-01-01T00:00:00
}

# answer BASE: what a comparison looks at in the last answer: status,
# Content-Type, version headers, a non-empty Allow, Location,
# WWW-Authenticate, body; BASE (the server's own URL) becomes "URL".
answer() {
	local h
	printf '%s\n' "$code"
	for h in Content-Type OpenStack-API-Version Vary Allow Location \
	    WWW-Authenticate; do
		header "$h" | grep . | sed "s|^|$h: |" || true
	done
	printf '%s\n' "$output"
}

# both API METHOD PATH [BODY [CURL-ARGS...]]: the request to lighttpd
# (the suite server) and to Apache; fails unless answer() agrees.
both() {
	local api=$1 l a lans
	shift
	if [[ $api == ha ]]; then
		l=$HA_URL a=$APACHE_HA_URL
	else
		l=$VOLUME_URL a=$APACHE_VOLUME_URL
	fi
	_http "$l" "$@"
	lans=$(answer | sed "s|$l|URL|g")
	_http "$a" "$@"
	assert_equal "$(answer | sed "s|$a|URL|g")" "$lans"
}

# raw PORT TEXT: send TEXT (\r and \n escapes) as is, print the status
# line of the answer.
raw() {
	python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
s.sendall(sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1"))
print(s.recv(65536).decode("latin-1").split("\r\n")[0])' "$1" "$2"
}

port() {
	local u=$1
	printf '%s\n' "${u##*:}"
}

@test "httpd.conf.example is what tools/genconf-apache.sh --example writes" {
	run sh "$TOP/tools/genconf-apache.sh" --example
	assert_success
	assert_equal "$output" "$(cat "$TOP/httpd.conf.example")"
}

@test "lighttpd.conf.example is what tools/genconf.sh --example writes" {
	run sh "$TOP/tools/genconf.sh" --example
	assert_success
	assert_equal "$output" "$(cat "$TOP/lighttpd.conf.example")"
}

@test "both configs route every table line, in table order" {
	local want
	want=$(grep -v '^#' "$TOP/tools/routes.tsv" | grep . | cut -f3)
	assert_equal "$(grep -o '@CGI_BIN@/[a-z-]*"$' "$TOP/httpd.conf.example" |
	    sed 's|@CGI_BIN@/||; s|"||')" "$want"
	assert_equal "$(grep -o '/cgi-bin/[a-z-]*\${qsa}' "$TOP/lighttpd.conf.example" |
	    sed 's|/cgi-bin/||; s|\${qsa}||')" "$want"
}

@test "httpd.conf.example filled in passes apache2 -t" {
	local d=$BATS_TEST_TMPDIR
	run sh "$TOP/tools/genconf-apache.sh" --from "$TOP/httpd.conf.example" \
	    --cgi-bin "$TOP/cgi-bin" --data-dir "$DATA_DIR" --run-dir "$d" \
	    --log-dir "$d" --out "$d/httpd.conf"
	assert_success
	assert_equal "$(grep -v '^[[:space:]]*#' "$d/httpd.conf" | grep -c @)" 0
	run apache2 -t -f "$d/httpd.conf"
	assert_success
	assert_output --partial 'Syntax OK'
}

@test "genconf-apache.sh sets the Keystone settings as genconf.sh does" {
	local d=$BATS_TEST_TMPDIR a
	run sh "$TOP/tools/genconf-apache.sh" --from "$TOP/httpd.conf.example" \
	    --cgi-bin "$TOP/cgi-bin" --data-dir "$DATA_DIR" --run-dir "$d" \
	    --log-dir "$d" --out "$d/httpd.conf" --auth keystone \
	    --manage /opt/hacgi-manage --keystone-conf /etc/hacgi/ks.conf \
	    --token-cache-time 60 --invalid-token-cache-time 5 \
	    --keystone-timeout 7 --keystone-connect-timeout 2
	assert_success
	run grep -E '^[[:space:]]*SetEnv HACGI_' "$d/httpd.conf"
	assert_equal "$(sed 's/^[[:space:]]*//' <<<"$output")" "$(printf '%s\n' \
	    'SetEnv HACGI_AUTH "keystone"' \
	    'SetEnv HACGI_MANAGE "/opt/hacgi-manage"' \
	    'SetEnv HACGI_KEYSTONE_CONF "/etc/hacgi/ks.conf"' \
	    'SetEnv HACGI_TOKEN_CACHE_TIME "60"' \
	    'SetEnv HACGI_INVALID_TOKEN_CACHE_TIME "5"' \
	    'SetEnv HACGI_KEYSTONE_TIMEOUT "7"' \
	    'SetEnv HACGI_KEYSTONE_CONNECT_TIMEOUT "2"')"
	run apache2 -t -f "$d/httpd.conf"
	assert_success
	# without them: every Keystone line stays a comment
	sh "$TOP/tools/genconf-apache.sh" --from "$TOP/httpd.conf.example" \
	    --cgi-bin "$TOP/cgi-bin" --data-dir "$DATA_DIR" --run-dir "$d" \
	    --log-dir "$d" --out "$d/plain.conf"
	refute grep -qE '^[[:space:]]*SetEnv HACGI_' "$d/plain.conf"
	for a in --auth=ldap --token-cache-time=5m --manage=rel/hacgi-manage; do
		run sh "$TOP/tools/genconf-apache.sh" --site --cgi-bin /c \
		    --data-dir /d "${a%%=*}" "${a#*=}"
		assert_failure
	done
}

@test "the --site config passes apache2 -t inside a minimal server config" {
	local d=$BATS_TEST_TMPDIR
	sh "$TOP/tools/genconf-apache.sh" --site --cgi-bin "$TOP/cgi-bin" \
	    --data-dir "$DATA_DIR" --out "$d/site.conf"
	site_conf "$d/site.conf" cgid
	run apache2 -t -f "$d/httpd.conf"
	assert_success
	assert_output --partial 'Syntax OK'
}

@test "genconf-apache.sh refuses a value it would have to escape" {
	run sh "$TOP/tools/genconf-apache.sh" --site --cgi-bin '/a"b' \
	    --data-dir /d
	assert_failure
	assert_output --partial 'unsupported character'
	run sh "$TOP/tools/genconf-apache.sh" --site --cgi-bin /c \
	    --data-dir '/d/${X}'
	assert_failure
}

@test "genconf-apache.sh stops on a bad routing table" {
	printf 'ha\t^/x$\n' > "$BATS_TEST_TMPDIR/routes.tsv"
	run sh "$TOP/tools/genconf-apache.sh" --example \
	    --routes "$BATS_TEST_TMPDIR/routes.tsv"
	assert_failure
	assert_output --partial 'want 3 TAB-separated columns'
}

@test "lighttpd and Apache answer the version documents alike" {
	TOKEN= both ha GET /
	TOKEN= both ha GET /v2
	both ha GET /v1/
	TOKEN= both volume GET /
	both volume GET /v3/
	both volume GET /v3
	TOKEN= both volume GET /healthcheck
}

@test "lighttpd and Apache answer the Instance-HA reads alike" {
	both ha GET /v1/segments
	both ha GET "/v1/segments/$SEG"
	both ha GET "/v1/$P/segments/$SEG/hosts"
	both ha GET "/v1/segments/$SEG/hosts/$HOST"
	both ha GET /v1/notifications.json
	both ha GET "/v1/notifications/$NOTIF" '' -H 'OpenStack-API-Version: instance-ha 1.1'
	both ha GET '/v1/segments?limit=1&sort_key=name&sort_dir=asc'
	both ha GET /v1/extensions
}

@test "lighttpd and Apache answer the Volume reads alike, %40 and .json too" {
	both volume GET "/v3/$P/clusters" '' -H 'OpenStack-API-Version: volume 3.7'
	both volume GET "/v3/$P/clusters/detail.json" '' -H 'OpenStack-API-Version: volume 3.26'
	both volume GET "/v3/$P/clusters/cluster1%40lvm" '' -H 'OpenStack-API-Version: volume 3.7'
	both volume GET "/v3/clusters/cluster1@lvm.json" '' -H 'OpenStack-API-Version: volume 3.7'
	both volume GET "/v3/$P/os-services?host=host1%40lvm" '' -H 'OpenStack-API-Version: volume 3.49'
}

@test "lighttpd and Apache answer the faults alike" {
	TOKEN= both ha GET /v1/segments
	TOKEN=$MEMBER_TOKEN both ha GET /v1/segments
	TOKEN= both volume GET /v3/clusters
	both ha DELETE /v1/segments
	both ha PATCH "/v1/segments/$SEG"
	both ha GET /v1/nothing
	both ha GET /v1/segments/a%2Fb
	both ha GET /v1/segments/ '' -H 'Accept: application/json'
	both ha POST /v1/segments '{"segment": 5}'
	both ha POST /v1/segments '{' -H 'Content-Type: application/json'
	both ha POST /v1/segments '{}' -H 'Content-Type: application/xml'
	both ha GET /v1/segments '' -H 'OpenStack-API-Version: instance-ha 1.9'
	both ha GET /v1/segments '' -H 'OpenStack-API-Version: instance-ha x'
	both ha GET "/v1/ffff/segments"
	both volume GET /v3/nothing '' -H 'Accept: application/json'
	both volume GET "/v3/$P/clusters/a%2fb" '' -H 'OpenStack-API-Version: volume 3.7'
	both volume GET "/v3/$P/clusters" '' -H 'OpenStack-API-Version: volume 3.6'
	both volume GET "/v3/$P/clusters" '' -H 'OpenStack-API-Version: volume 3.71'
	both volume PUT "/v3/$P/clusters/disable" '{"name": ""}' -H 'OpenStack-API-Version: volume 3.7'
	both volume PUT "/v3/$P/clusters/nope" '{"name": "x"}' -H 'OpenStack-API-Version: volume 3.7'
	both volume GET "/v3/ffff/clusters" '' -H 'OpenStack-API-Version: volume 3.7'
}

@test "lighttpd and Apache let OPTIONS and HEAD reach the programs alike" {
	both ha OPTIONS /v1/segments
	both ha OPTIONS /v1/nothing
	both ha HEAD /v1/segments
	both volume OPTIONS /v3/clusters
	both volume HEAD /v3/nothing
}

@test "lighttpd and Apache pass a 200 KB body for the programs' 413 alike" {
	head -c 200000 /dev/zero | tr '\0' x > "$BATS_TEST_TMPDIR/big"
	TOKEN= both ha POST /v1/segments "@$BATS_TEST_TMPDIR/big"
	assert_equal "$code" 413
	both volume PUT "/v3/$P/clusters/enable" "@$BATS_TEST_TMPDIR/big"
	assert_equal "$code" 413
	# Over 2 MiB, either server answers 413 itself.
	head -c 2200000 /dev/zero | tr '\0' x > "$BATS_TEST_TMPDIR/huge"
	_http "$APACHE_HA_URL" POST /v1/segments "@$BATS_TEST_TMPDIR/huge"
	assert_equal "$code" 413
}

@test "Apache keeps an empty Allow header, which lighttpd drops" {
	api OPTIONS "/v1/segments/$SEG/action"
	assert_equal "$code" 200
	refute_header Allow
	_http "$APACHE_HA_URL" OPTIONS "/v1/segments/$SEG/action"
	assert_equal "$code" 200
	assert_header Allow ''
}

@test "Apache answers a raw #, %00, a bad escape and /../ itself, in HTML" {
	local a v
	a=$(port "$APACHE_HA_URL") v=$(port "$APACHE_VOLUME_URL")
	run raw "$v" "GET /v3/$P/clusters/host5@be#pool1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
	assert_output 'HTTP/1.1 400 Bad Request'
	run raw "$(port "$VOLUME_URL")" "GET /v3/$P/clusters/host5@be#pool1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
	assert_output 'HTTP/1.1 401 Unauthorized'
	_http "$APACHE_HA_URL" GET /v1/segments/a%00b
	assert_equal "$code" 404
	assert_header Content-Type 'text/html; charset=iso-8859-1'
	_http "$APACHE_HA_URL" GET /v1/segments/%zz
	assert_equal "$code" 400
	_http "$APACHE_VOLUME_URL" GET /%2e%2e/v3/
	assert_equal "$code" 400
	# lighttpd passes all of them to the programs (which refuse a %00)
	api GET /v1/segments/a%00b
	assert_equal "$(json .badRequest.code)" 400
	vapi GET /%2e%2e/v3/ '' -H 'Accept:'
	assert_equal "$code" 404
}

@test "TRACE: Apache refuses it itself, lighttpd passes it to the programs" {
	_http "$APACHE_HA_URL" TRACE /v1/segments
	assert_equal "$code" 405
	assert_header Content-Type 'text/html; charset=iso-8859-1'
	api TRACE /v1/segments
	assert_equal "$code" 405
	assert_equal "$(json .badMethod.code)" 405
}

@test "an unknown method: Apache passes it to the programs, lighttpd answers 501" {
	_http "$APACHE_HA_URL" FOO /v1/segments
	assert_equal "$code" 405
	assert_header Allow 'GET, POST'
	api FOO /v1/segments
	assert_equal "$code" 501
}

@test "Apache recomputes Content-Length, or sends chunked; HEAD gets none" {
	# Apache drops the programs' Content-Length; it sets its own only when
	# the whole output came in one read.
	local te cl
	_http "$APACHE_HA_URL" GET /v1/segments
	assert_equal "$code" 200
	te=$(header Transfer-Encoding) || te=
	cl=$(header Content-Length) || cl=
	[[ $te == chunked || $cl == "${#output}" ]] ||
		fail "Content-Length '$cl', Transfer-Encoding '$te'"
	_http "$APACHE_VOLUME_URL" HEAD /
	assert_equal "$code" 300
	refute_header Content-Length
	vapi HEAD /
	assert_equal "$code" 300
	header Content-Length
}

@test "Apache shows REQUEST_URI as sent: dot-segments and // reach the programs" {
	# Apache routes on its normalised path (/v1/segments), the program on
	# REQUEST_URI, which still has the "..": a JSON 404, as from lighttpd.
	both ha GET /v1/x/../segments
	assert_equal "$code" 404
	both volume GET "/v3//$P//clusters" '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
}
