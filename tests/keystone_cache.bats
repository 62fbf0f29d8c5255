#!/usr/bin/env bats
# Keystone mode (issue 14, SPEC 2.2.1): the token cache (one Keystone
# call per token and cache period, invalid tokens too), expiry,
# revocation, Keystone stopped or slow, a bad service password, the
# validator's inputs, and secrets kept out of logs, file names and
# answers.  The clients and the route table: tests/keystone.bats.
load helpers
load keystone_fixtures

setup_file() {
	ks_setup_file
}

teardown_file() {
	ks_teardown_file
}

# restored after a test that changed them
teardown() {
	if [[ -n ${STUB_PID-} ]]; then
		kill "$STUB_PID" 2>/dev/null || true
	fi
	if [[ -n ${KS_RESTART-} ]]; then
		sh "$TOP/tests/keystone.sh" stop "$KS_DIR"
		sh "$TOP/tests/keystone.sh" run "$KS_DIR" 3>&-
	fi
	[[ -z ${SERVER_CHANGED-} ]] || ks_server
	log_dump
}

# what the programs logged since the test began
logged() {
	tail -c +"$((${_log_marks[0]:-0} + 1))" "$HACGI_SERVER/programs.log"
}

# ks_admin ARGS...: openstack as Keystone's admin
ks_admin() {
	OS_PASSWORD=$KS_ADMIN_PASSWORD openstack --os-auth-url "$KS_URL" \
	    --os-identity-api-version 3 --os-username admin \
	    --os-project-name admin --os-user-domain-name Default \
	    --os-project-domain-name Default "$@"
}

# get TOKEN: GET /v1/segments with it
get() {
	TOKEN=$1 api GET /v1/segments "" -H 'Accept: application/json'
}

@test "ten requests with one token cost one Keystone call per cache period" {
	SERVER_CHANGED=1
	ks_server --token-cache-time 3
	local t n0 i
	t=$(ks_token ks-admin)
	n0=$(ks_calls)
	for i in $(seq 10); do
		get "$t"
		assert_equal "$code" 200
	done
	assert_equal "$(ks_calls)" $((n0 + 1))
	sleep 3
	for i in $(seq 10); do
		get "$t"
		assert_equal "$code" 200
	done
	assert_equal "$(ks_calls)" $((n0 + 2))
	echo "# 20 requests, $(( $(ks_calls) - n0 )) Keystone calls" >&3
}

@test "an unknown token is cached as invalid: ten 401s, one Keystone call" {
	local n0 i
	n0=$(ks_calls)
	for i in $(seq 10); do
		get gAAAAABnotatokenatall
		assert_equal "$code" 401
		assert_header WWW-Authenticate "Keystone uri=\"$KS_URL\""
	done
	assert_equal "$(ks_calls)" $((n0 + 1))
	# a token that cannot be sent on is refused without a call
	get 'bad token'
	assert_equal "$code" 401
	assert_equal "$(ks_calls)" $((n0 + 1))
}

@test "a revoked token is refused once its cache time is over, at once after cache-clear" {
	SERVER_CHANGED=1
	ks_server --token-cache-time 10
	local t u t0
	t=$(ks_token ks-admin)
	u=$(ks_token ks-admin)
	get "$t"
	assert_equal "$code" 200
	t0=$(date +%s)
	get "$u"
	assert_equal "$code" 200
	ks_admin token revoke "$t"
	get "$t"
	if [[ $(( $(date +%s) - t0 )) -lt 9 ]]; then
		assert_equal "$code" 200	# cached: as keystonemiddleware
	fi
	sleep $(( 11 - ($(date +%s) - t0) ))
	get "$t"
	assert_equal "$code" 401
	# cache-clear: no wait
	ks_admin token revoke "$u"
	run manage keystone cache-clear
	assert_success
	assert_output --regexp '^[0-9]+ cached tokens removed$'
	get "$u"
	assert_equal "$code" 401
}

@test "an expired token is refused even within its cache time" {
	KS_RESTART=1
	sh "$TOP/tests/keystone.sh" stop "$KS_DIR"
	sh "$TOP/tests/keystone.sh" run "$KS_DIR" 8 3>&-
	local t
	t=$(ks_token ks-admin)
	get "$t"
	assert_equal "$code" 200
	sleep 9
	get "$t"
	assert_equal "$code" 401
}

@test "Keystone stopped: a cached token is still served, an uncached one is a 503" {
	KS_RESTART=1
	local a b
	a=$(ks_token ks-admin)
	b=$(ks_token ks-admin)
	get "$a"
	assert_equal "$code" 200
	sh "$TOP/tests/keystone.sh" stop "$KS_DIR"
	get "$a"
	assert_equal "$code" 200
	get "$b"
	assert_equal "$code" 503
	assert_equal "$(json .title)" 'Service Unavailable'
	jq -e --arg m $'The server is currently unavailable. Please try again at a later time.<br /><br />\nThe Keystone service is temporarily unavailable.\n\n' \
	    '.message == $m and .code == "503 Service Unavailable"' <<<"$output"
	refute_header WWW-Authenticate
	TOKEN=$b vapi GET /v3/os-services
	assert_equal "$code" 503
	run logged
	assert_output --partial "Couldn't connect to server"
}

@test "Keystone slow: a 503 after HACGI_KEYSTONE_TIMEOUT, not a hung request" {
	local port t t0 ms
	port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	# a listener that accepts connections and never answers: only to
	# stand for a Keystone that hangs
	python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
time.sleep(120)' "$port" 3>&- &
	STUB_PID=$!
	ks_creds "" "http://127.0.0.1:$port/v3"
	SERVER_CHANGED=1
	ks_server --keystone-timeout 2 \
	    --keystone-connect-timeout 1
	t=$(ks_token ks-admin)
	t0=$(date +%s%N)
	get "$t"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "# 503 after $ms ms" >&3
	assert_equal "$code" 503
	[[ $ms -ge 1900 && $ms -lt 5000 ]]
	run logged
	assert_output --partial 'Timeout was reached'
}

@test "a bad service password: 503 and a log line naming the cause, never the password" {
	local t
	ks_creds 'wrong-Pass-93xq'
	t=$(ks_token ks-admin)
	get "$t"
	assert_equal "$code" 503
	run logged
	assert_output --partial 'the service credentials were refused'
	refute_output --partial 'wrong-Pass-93xq'
	run manage keystone check
	assert_failure
	assert_output --partial 'the service credentials were refused'
	refute_output --partial 'wrong-Pass-93xq'
}

@test "keystone check reaches Keystone, authenticates hacgi and prints a token's identity" {
	local t
	t=$(ks_token ks-member)
	run manage keystone check --token-stdin <<<"$t"
	assert_success
	assert_line "keystone: $KS_URL (API v3.14)"
	assert_line 'service user: hacgi: authenticated'
	assert_output --regexp '"user_name": "ks-member", "project_id": "'"$KS_PROJECT"'", "project_name": "hacgi-demo", "roles": \["(member", "reader|reader", "member)"\]'
	refute_output --partial "$t"
}

@test "the credentials file must be the web server user's alone" {
	chmod 0640 "$DATA_DIR/keystone.conf"
	get "$(ks_token ks-admin)"
	assert_equal "$code" 503
	run logged
	assert_output --partial 'mode 0640 lets other users read the service credentials'
}

@test "the validator gets the token on its standard input, never in its arguments or environment" {
	if ! command -v strace >/dev/null; then
		skip "strace is not installed"
	fi
	local t log=$BATS_TEST_TMPDIR/strace
	t=$(ks_token ks-admin)
	env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments \
	    HTTP_HOST=localhost HTTP_X_AUTH_TOKEN="$t" DATA_DIR="$DATA_DIR" \
	    HACGI_AUTH=keystone HACGI_MANAGE="$HACGI_MANAGE" \
	    strace -f -qq -v -s 8192 -e trace=execve -o "$log" \
	    "$HACGI_CGI_BIN/ha-segments" </dev/null >/dev/null
	run grep -c execve "$log"
	assert_output 2
	run grep -F "execve(\"$HACGI_MANAGE\", [\"hacgi-manage\", \"keystone\", \"validate\"], [" "$log"
	assert_success
	refute_output --partial "$t"
	refute_output --partial HTTP_
	# and the cache holds its hash, never the token
	run grep -rlF "$t" "$DATA_DIR"
	assert_output ''
	run find "$DATA_DIR/keystone/cache" -name "$(printf '%s' "$t" |
	    sha256sum | cut -c1-64).json"
	assert [ -n "$output" ]
}

@test "the service password and user tokens are in no log, file name or answer" {
	local t u w out=$BATS_TEST_TMPDIR/answers secret
	t=$(ks_token ks-admin)
	u=$(ks_token ks-reader)
	w=$(ks_token ks-member)
	{
		get "$t"; echo "$code $output"; cat "$headers"
		get "x$t"; echo "$code $output"; cat "$headers"
		TOKEN=$u vapi GET /v3/os-services; echo "$code $output"
		manage keystone check --token-stdin <<<"$t" 2>&1
		ks_creds 'wrong-Pass-93xq'
		get "$w"; echo "$code $output"; cat "$headers"
		manage keystone check --token-stdin <<<"$w" 2>&1 || true
	} > "$out"
	grep -q '^503 ' "$out"
	for secret in "$t" "$u" "$w" "$KS_SERVICE_PASSWORD" wrong-Pass-93xq; do
		run grep -rlF -- "$secret" "$out" "$HACGI_SERVER/programs.log" \
		    "$HACGI_SERVER/error.log" "$HACGI_SERVER/access.log"
		assert_output ''
		run bash -c "find '$DATA_DIR' -printf '%P\n' | grep -F -- '$secret'"
		assert_output ''
	done
	# only the credentials file and the kept service token hold secrets
	run grep -rlF -- "$t" "$DATA_DIR"
	assert_output ''
}
