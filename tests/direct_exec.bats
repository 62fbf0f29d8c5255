#!/usr/bin/env bats
# The programs run directly with a CGI environment (RFC 3875), no server.
load helpers

# cgi PROGRAM METHOD URI [BODY]: run a program with a minimal environment;
# $output is its whole answer (headers and body).
cgi() {
	local prog=$1 method=$2 uri=$3 body=${4-}
	if [[ -n $body ]]; then
		run env -i REQUEST_METHOD="$method" REQUEST_URI="$uri" \
		    HTTP_HOST=localhost:1 HTTP_X_AUTH_TOKEN="$TOKEN" \
		    DATA_DIR="$DATA_DIR" CONTENT_TYPE=application/json \
		    CONTENT_LENGTH=${#body} "$HACGI_CGI_BIN/$prog" <<<"$body"
	else
		run env -i REQUEST_METHOD="$method" REQUEST_URI="$uri" \
		    HTTP_HOST=localhost:1 HTTP_X_AUTH_TOKEN="$TOKEN" \
		    DATA_DIR="$DATA_DIR" "$HACGI_CGI_BIN/$prog" < /dev/null
	fi
}

SEG='{"segment": {"name": "d1", "recovery_method": "auto", "service_type": "COMPUTE"}}'

@test "the answer starts with a Status line and CRLF-terminated headers" {
	cgi ha-segments POST /v1/segments "$SEG"
	assert_equal "${lines[0]}" $'Status: 201 Created\r'
	assert_line $'Content-Type: application/json\r'
	assert_line --regexp $'^X-Openstack-Request-Id: req-[0-9a-f-]{36}\r$'
}

@test "Content-Length counts exactly the body bytes" {
	cgi ha-segments POST /v1/segments "$SEG"
	local len body
	len=$(printf '%s\n' "$output" | sed -n 's/^Content-Length: \([0-9]*\)\r$/\1/p')
	body=${output#*$'\r\n\r\n'}
	assert_equal "$len" "${#body}"
}

@test "only CONTENT_LENGTH bytes of stdin are read" {
	run env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#SEG} \
	    "$HACGI_CGI_BIN/ha-segments" <<<"${SEG}GARBAGE AFTER THE BODY"
	assert_line --partial 'Status: 201'
}

@test "a body shorter than CONTENT_LENGTH is malformed" {
	run env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=500 \
	    "$HACGI_CGI_BIN/ha-segments" <<<"$SEG"
	assert_line --partial 'Status: 400'
	assert_output --partial '"message": "Malformed request body"'
}

@test "a body that cannot be read (stdin not readable) is a JSON 500, not a 400" {
	run env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#SEG} \
	    "$HACGI_CGI_BIN/ha-segments" 0>/dev/null
	assert_line --partial 'Status: 500'
	assert_output --partial '{"masakariFault": {"code": 500, "message": "The server has either erred'
	assert_output --partial 'stdin: read: Bad file descriptor'
	assert_file_not_exists "$DATA_DIR/ha/segments"
}

@test "a Volume body that cannot be read (stdin a folder) is a JSON 500" {
	local body='{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	run env -i REQUEST_METHOD=PUT REQUEST_URI=/v3/os-hacgi-heartbeat \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    HTTP_OPENSTACK_API_VERSION='volume 3.70' \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} \
	    "$HACGI_CGI_BIN/vol-heartbeat" <"$BATS_TEST_TMPDIR"
	assert_line --partial 'Status: 500'
	assert_output --partial '{"computeFault": {"code": 500,'
	assert_output --partial 'stdin: read: Is a directory'
	assert_file_not_exists "$DATA_DIR/vol"
}

@test "a CONTENT_LENGTH that is not digits is a 400" {
	run env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=-5 \
	    "$HACGI_CGI_BIN/ha-segments" <<<"$SEG"
	assert_line --partial 'Status: 400'
}

@test "without REQUEST_URI the path comes from SCRIPT_NAME and PATH_INFO" {
	cgi ha-segments POST /v1/segments "$SEG"
	run env -i REQUEST_METHOD=GET SCRIPT_NAME=/v1 PATH_INFO=/segments \
	    QUERY_STRING='limit=1' HTTP_X_AUTH_TOKEN="$TOKEN" \
	    DATA_DIR="$DATA_DIR" "$HACGI_CGI_BIN/ha-segments"
	assert_line --partial 'Status: 200'
	assert_output --partial '"name": "d1"'
}

@test "HEAD gets headers and no body" {
	run env -i REQUEST_METHOD=HEAD REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    "$HACGI_CGI_BIN/ha-segments"
	assert_line --partial 'Status: 405'
	[[ $output == *$'\r\n\r\n' || $output == *$'\r' ]]
	refute_output --partial 'badMethod'
}

@test "an unwritable DATA_DIR is a JSON 500 and a line on stderr" {
	local ro=$BATS_TEST_TMPDIR/missing/deeper
	run env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$ro" \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#SEG} \
	    "$HACGI_CGI_BIN/ha-segments" <<<"$SEG"
	# no token store there: 401, nothing created
	assert_line --partial 'Status: 401'
	[ ! -e "$ro" ]
}

@test "a storage failure answers 500 masakariFault and leaves no temp file" {
	cgi ha-segments POST /v1/segments "$SEG"
	chmod 0500 "$DATA_DIR/ha/segments"
	SEG='{"segment": {"name": "d2", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	if [[ $(id -u) == 0 ]]; then
		skip "root ignores directory modes"
	fi
	cgi ha-segments POST /v1/segments "$SEG"
	chmod 0700 "$DATA_DIR/ha/segments"
	assert_line --partial 'Status: 500'
}

# a list reads the journals: what it costs follows the lines in them, never
# the size of a seq (found by fuzz_volj: one line of seq 31111111 made a
# reader allocate 2.7 GB)
@test "a Volume record with a large seq costs a list no more memory than a small one" {
	local hb='{"service": {"host": "big@b", "binary": "cinder-volume", "cluster": "c"}}'
	cgi vol-heartbeat PUT /v3/os-hacgi-heartbeat "$hb"
	assert_line --partial 'Status: 200'
	sed -i 's/^{"seq": 1,/{"seq": 99999998,/' "$DATA_DIR/vol/services.log" \
	    "$DATA_DIR"/vol/services/*.json
	# and its entries in the name index (under big@b and big)
	sed -i 's/\[1, "big@b", /[99999998, "big@b", /' "$DATA_DIR"/vol/names/*.json
	printf '{"cluster": 1, "service": 99999998}' > "$DATA_DIR/vol/counters.json"
	run "$HACGI_MANAGE" --data-dir "$DATA_DIR" fsck
	assert_success
	run python3 - "$HACGI_CGI_BIN/vol-root" "/v3/$PROJECT/os-services" <<-'PY'
	import os, resource, subprocess, sys
	env = {"REQUEST_METHOD": "GET", "REQUEST_URI": sys.argv[2],
	       "HTTP_X_AUTH_TOKEN": os.environ["TOKEN"],
	       "DATA_DIR": os.environ["DATA_DIR"]}
	out = subprocess.run([sys.argv[1]], env=env, capture_output=True).stdout
	print(out.decode())
	print("maxrss_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
	PY
	assert_line --partial 'Status: 200'
	assert_output --partial '"host": "big@b"'
	local kb
	kb=$(sed -n 's/^maxrss_kb //p' <<<"$output")
	echo "# vol-root list with a seq of 99999998: peak RSS $kb kB" >&3
	((kb < 100000))
	# and the next write of it starts from that record
	cgi vol-heartbeat PUT /v3/os-hacgi-heartbeat "$hb"
	assert_line --partial 'Status: 200'
	run "$HACGI_MANAGE" --data-dir "$DATA_DIR" fsck
	assert_success
}

@test "the Proxy request header (httpoxy) changes nothing" {
	run env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments \
	    HTTP_PROXY=http://127.0.0.1:9/ HTTP_X_AUTH_TOKEN="$TOKEN" \
	    DATA_DIR="$DATA_DIR" "$HACGI_CGI_BIN/ha-segments"
	assert_line --partial 'Status: 200'
}

@test "DATA_DIR defaults to the install's data directory, not ./data" {
	local datadir
	# ./data knows a token no other data directory does
	mkdir -p "$BATS_TEST_TMPDIR/cwd"
	"$HACGI_MANAGE" --data-dir "$BATS_TEST_TMPDIR/cwd/data" token create \
	    --user cwd --project "$PROJECT" --roles admin \
	    --token cwd-only-token >/dev/null
	cd "$BATS_TEST_TMPDIR/cwd"
	run env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN=cwd-only-token "$HACGI_CGI_BIN/ha-segments"
	assert_line --partial 'Status: '
	refute_line --partial 'Status: 200'
	# the default compiled in is the Makefile's DATADIR
	datadir=$(sed -n 's/^DATADIR *?= *//p' "$TOP/Makefile")
	[[ -n $datadir ]]
	grep -q -a -F "$datadir" "$HACGI_CGI_BIN/ha-segments"
}

@test "a relative DATA_DIR is refused with a 500, never used" {
	mkdir -p "$BATS_TEST_TMPDIR/cwd"
	cp -a "$DATA_DIR" "$BATS_TEST_TMPDIR/cwd/data"
	cd "$BATS_TEST_TMPDIR/cwd"
	run env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments DATA_DIR=data \
	    HTTP_X_AUTH_TOKEN="$TOKEN" "$HACGI_CGI_BIN/ha-segments"
	assert_line --partial 'Status: 500'
	assert_output --partial 'DATA_DIR data: not an absolute path'
}

@test "every program answers a JSON 404 for a path none serves" {
	local p
	for p in ha-root ha-segments ha-segment ha-hosts ha-host ha-notifications ha-notification; do
		cgi "$p" GET /v1/nowhere
		assert_line --partial 'Status: 404'
		assert_output --partial '"itemNotFound"'
	done
}

@test "OPTIONS lists the methods of the endpoint's handler table" {
	local s=/v1/segments/00000000-0000-0000-0000-000000000000
	local -A want=(
		[/v1/segments]='GET, POST'
		[$s]='GET, PUT, DELETE'
		[$s/hosts]='GET, POST'
		[$s/hosts/h]='GET, PUT, DELETE'
		[/v1/notifications]='GET, POST'
		[/v1/notifications/n]='GET'
		[/v1/extensions]='GET'
		[$s/action]=''
		[/v1/versions]=''
	)
	local p
	for p in "${!want[@]}"; do
		cgi ha-root OPTIONS "$p"
		assert_line $'Status: 200 OK\r'
		assert_line "Allow: ${want[$p]}"$'\r'
	done
}
