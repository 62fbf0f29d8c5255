# tests/rel_security.bats: who gets in, and what hostile input can reach
# (issue 6).  Table-driven over every route of both APIs: 401 without a
# token, with an unknown or a revoked one, or with the token only in the
# query string; 403 for a token without the rule's role.  Then: tokens are
# stored hashed and never logged, the Proxy header (httpoxy) changes
# nothing, ids and names never become paths, files deny other users, and
# no program runs anything but its siblings.

load helpers
load route_table

is_401() {
	[[ $code == 401 ]] && [[ $(json .error.code) == 401 ]] &&
	    header WWW-Authenticate | grep -q '^Keystone uri=' &&
	    ! header OpenStack-API-Version >/dev/null
}

no_token() {
	TOKEN= call "$1" "$2" "$3" "$4"
	is_401
}

bad_token() {
	TOKEN=not-a-token call "$1" "$2" "$3" "$4"
	is_401
}

empty_token() {
	TOKEN= call "$1" "$2" "$3" "$4" -H 'X-Auth-Token;'
	is_401
}

query_token() {
	local sep='?'
	[[ $3 == *\?* ]] && sep='&'
	TOKEN= call "$1" "$2" "$3${sep}X-Auth-Token=$ADMIN_TOKEN&token=$ADMIN_TOKEN&auth_token=$ADMIN_TOKEN" "$4"
	is_401
}

revoked_token() {
	TOKEN=revoked-token call "$1" "$2" "$3" "$4"
	is_401
}

member_token() {
	TOKEN=$MEMBER_TOKEN call "$1" "$2" "$3" "$4"
	[[ $code == "$5" ]] || return 1
	[[ $code != 403 ]] || [[ $(json .forbidden.code) == 403 ]]
}

@test "every route answers 401 without a token" {
	each_route no_token
}

@test "every route answers 401 with an unknown token" {
	each_route bad_token
}

@test "routes answer 401 with an empty X-Auth-Token header" {
	each_route empty_token 3
}

@test "routes answer 401 when the token is only in the query string" {
	each_route query_token 3
}

@test "routes answer 401 with a revoked token" {
	manage token create --user r --project "$PROJECT" --roles admin \
	    --token revoked-token
	manage token revoke revoked-token
	each_route revoked_token 3
}

@test "token revoke removes every entry of the token's hash: the token stops working" {
	local t=$DATA_DIR/tokens.json
	manage token create --user r --project "$PROJECT" --roles admin \
	    --token twice-token
	# the same hash twice (a merged or hand-edited token store)
	jq -c '.tokens += [.tokens[-1] | .user = "r2"]' "$t" > "$t.new"
	cp "$t.new" "$t"
	rm "$t.new"
	TOKEN=twice-token api GET /v1/segments
	assert_equal "$code" 200
	run manage token revoke twice-token
	assert_success
	TOKEN=twice-token api GET /v1/segments
	assert_equal "$code" 401
	hash=$(printf %s twice-token | sha256sum | cut -d' ' -f1)
	run grep -c "$hash" "$t"
	assert_output 0
}

@test "every route answers 403 (or its public status) to a token without the admin role" {
	each_route member_token
}

# a service token: the heartbeat for a host it is bound to (h@b), and
# otherwise what a member token gets
service_token() {
	local want=$5
	[[ $3 == */os-hacgi-heartbeat ]] && want=200
	TOKEN=$SERVICE_TOKEN call "$1" "$2" "$3" "$4"
	[[ $code == "$want" ]]
}

@test "every route answers 403 (or its public status) to a service token, but its own heartbeats" {
	each_route service_token
}

# ---- heartbeats: which token may report for which host ----

# hb_as TOKEN HOST [MEMBERS [CURL-ARGS...]]: a heartbeat of HOST (binary
# cinder-volume)
hb_as() {
	local tok=$1 host=$2 more=${3-}
	shift $(($# < 3 ? $# : 3))
	TOKEN=$tok vapi PUT /v3/os-hacgi-heartbeat \
	    "{\"service\": {\"host\": \"$host\", \"binary\": \"cinder-volume\"${more:+, $more}}}" "$@"
}

vol_state() {
	(cd "$DATA_DIR" && find . -path './vol*' -type f -print0 | sort -z |
	    xargs -0r sha256sum)
}

# "TOKEN|HOST|STATUS": SERVICE_TOKEN is bound to h@b, svc-host and
# host2@* (tests/setup_suite.bash), rack-token to rack1-*, unbound-token
# to nothing
hb_cases() {
	cat <<EOF
$SERVICE_TOKEN|h@b|200
$SERVICE_TOKEN|svc-host|200
$SERVICE_TOKEN|h@c|403
$SERVICE_TOKEN|h@b2|403
$SERVICE_TOKEN|H@b|403
$SERVICE_TOKEN|host2@lvm|200
$SERVICE_TOKEN|host2@|200
$SERVICE_TOKEN|host2|403
$SERVICE_TOKEN|xhost2@lvm|403
rack-token|rack1-n1@lvm|200
rack-token|rack1-|200
rack-token|rack2-n1@lvm|403
rack-token|rack1|403
unbound-token|h@b|403
$ADMIN_TOKEN|anything@x|200
$MEMBER_TOKEN|h@b|403
EOF
}

@test "a heartbeat token reports only for the hosts it is bound to: 403 and nothing changed otherwise" {
	local tok host want before bad=()
	manage token create --user r --project "$PROJECT" --roles service \
	    --host 'rack1-*' --token rack-token
	manage token create --user u --project "$PROJECT" --roles service \
	    --token unbound-token
	while IFS='|' read -r tok host want; do
		before=$(vol_state)
		hb_as "$tok" "$host"
		if [[ $code != "$want" ]]; then
			bad+=("$tok $host: $code $output")
		elif [[ $want == 403 && $(vol_state) != "$before" ]]; then
			bad+=("$tok $host: 403 but the data changed")
		elif [[ $want == 403 && $(json .forbidden.code) != 403 ]]; then
			bad+=("$tok $host: $output")
		fi
	done < <(hb_cases)
	[[ ${#bad[@]} -eq 0 ]] || fail "$(printf '%s\n' "${bad[@]}")"
	hb_as unbound-token h@b
	assert_equal "$(json .forbidden.message)" "This token is bound to no host: a service token may only report for the hosts it was made for (hacgi-manage token create ... --roles service --host HOST)."
	hb_as rack-token rack2@x
	assert_equal "$(json .forbidden.message)" "This token may not report for host rack2@x."
}

@test "token create --host takes host names and prefixes ending in *; token list shows them" {
	run manage token create --user s --project p --roles service --host 'a*b'
	assert_failure
	assert_output --partial 'bad --host a*b'
	run manage token create --user s --project p --roles service --host ''
	assert_failure
	run manage token create --user s --project p --roles service \
	    --host h1@lvm --host 'rack1-*' --token bound-token
	assert_success
	run manage token list
	assert_line --regexp '^[0-9a-f]{12} +s +p +service +h1@lvm,rack1-\*$'
	run jq -c '.tokens[-1].hosts' "$DATA_DIR/tokens.json"
	assert_output '["h1@lvm","rack1-*"]'
}

@test "only an admin may move a service to another cluster or zone" {
	local before
	hb_as "$SERVICE_TOKEN" h@b '"cluster": "c1", "zone": "z1"'
	assert_equal "$code" 200
	hb_as "$SERVICE_TOKEN" h@b '"cluster": "c1", "zone": "z1"'
	assert_equal "$code" 200
	hb_as "$SERVICE_TOKEN" h@b
	assert_equal "$code" 200
	before=$(vol_state)
	hb_as "$SERVICE_TOKEN" h@b '"cluster": "c2"'
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow hacgi:services:heartbeat:move to be performed: only an admin may move a service to another cluster or zone."
	hb_as "$SERVICE_TOKEN" h@b '"zone": "z2"'
	assert_equal "$code" 403
	assert_equal "$(vol_state)" "$before"
	hb_as "$ADMIN_TOKEN" h@b '"cluster": "c2", "zone": "z2"' \
	    -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_equal "$(json '.service | "\(.cluster) \(.zone)"')" "c2 z2"
}

@test "heartbeats create no service beyond MAX_SERVICES: 403, nothing changed" {
	local h raw before
	# hb_direct HOST: the program run directly, MAX_SERVICES=2
	hb_direct() {
		local body="{\"service\": {\"host\": \"$1\", \"binary\": \"cinder-volume\", \"cluster\": \"k-$1\"}}"
		raw=$(printf %s "$body" | env -i REQUEST_METHOD=PUT \
		    REQUEST_URI=/v3/os-hacgi-heartbeat \
		    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} \
		    HTTP_X_AUTH_TOKEN="$ADMIN_TOKEN" DATA_DIR="$DATA_DIR" \
		    MAX_SERVICES=2 "$HACGI_CGI_BIN/vol-heartbeat" 2>/dev/null |
		    tr -d '\r')
	}
	for h in a b; do
		hb_direct "$h"
		[[ $raw == "Status: 200"* ]] || fail "$h: $raw"
	done
	before=$(vol_state)
	hb_direct c
	[[ $raw == "Status: 403"* ]] || fail "a third service: $raw"
	assert_equal "$(vol_state)" "$before"
	[[ $raw == *'"message": "There are 2 services, the most MAX_SERVICES allows: no new one'* ]] ||
		fail "$raw"
	hb_direct a
	[[ $raw == "Status: 200"* ]] || fail "a known service: $raw"
	# the default limit is 10000
	hb_as "$ADMIN_TOKEN" c
	assert_equal "$code" 200
}

@test "the service role may heartbeat and nothing else" {
	TOKEN=$SERVICE_TOKEN vapi PUT /v3/os-hacgi-heartbeat \
	    '{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	assert_equal "$code" 200
	TOKEN=$SERVICE_TOKEN vapi GET /v3/os-services
	assert_equal "$code" 403
	TOKEN=$SERVICE_TOKEN api GET /v1/segments
	assert_equal "$code" 403
}

@test "tokens are stored as SHA-256 hashes only" {
	manage token create --user u --project p --roles admin \
	    --token 'clear-text-token-42'
	run grep -rF 'clear-text-token-42' "$DATA_DIR"
	assert_failure
	run grep -F "$ADMIN_TOKEN" "$DATA_DIR/tokens.json"
	assert_failure
	hash=$(printf %s clear-text-token-42 | sha256sum | cut -d' ' -f1)
	run grep -F "$hash" "$DATA_DIR/tokens.json"
	assert_success
	run manage token list
	assert_success
	refute_output --partial clear-text-token-42
	refute_output --partial "$hash"
}

@test "tokens never reach the logs, even on failures" {
	TOKEN=secret-bad-token-77 api GET /v1/segments
	assert_equal "$code" 401
	api GET "/v1/segments?X-Auth-Token=secret-query-token-78"
	api POST /v1/segments '{"segment": 5}' -H 'X-Auth-Token: secret-bad-token-79'
	cp "$DATA_DIR/tokens.json" "$BATS_TEST_TMPDIR/tokens.json"
	echo '{"tokens": [' > "$DATA_DIR/tokens.json"
	TOKEN=secret-bad-token-80 api GET /v1/segments
	assert_equal "$code" 500
	cp "$BATS_TEST_TMPDIR/tokens.json" "$DATA_DIR/tokens.json"
	for f in programs.log error.log; do
		run grep -E "secret-bad-token|$ADMIN_TOKEN" "$HACGI_SERVER/$f"
		assert_failure
	done
}

@test "the Proxy request header (httpoxy) changes nothing" {
	api GET /v1/segments
	want=$output
	for p in http://127.0.0.1:9/ 'http://evil.example:3128' '() { :; }; echo x'; do
		api GET /v1/segments "" -H "Proxy: $p"
		assert_equal "$code" 200
		assert_equal "$output" "$want"
		vapi GET /v3/os-services "" -H "Proxy: $p"
		assert_equal "$code" 200
	done
}

# hostile ids: each must be a plain 404 (or 400), and touch no file
hostile_ids() {
	printf '%s\n' '..' '..%2f..%2ftokens' '%2e%2e%2f%2e%2e%2fcanary' \
	    '..%2F..%2Fcanary' 'a%00b' '%00' '..%5c..%5ccanary' \
	    "$ZERO%2f..%2f..%2fcanary" '....%2f%2f' '%252e%252e' \
	    "${ZERO^^}" "$ZERO.json%00" '%c0%ae%c0%ae' '*' '%0a'
}

@test "hostile segment, host and notification ids are 404s that touch no file" {
	api POST /v1/segments '{"segment": {"name": "s", "recovery_method": "auto", "service_type": "C"}}'
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	echo '{"canary": true}' > "$DATA_DIR/canary.json"
	echo '{"canary": true}' > "$DATA_DIR/../canary.json"
	before=$(cd "$DATA_DIR" && find . -printf '%p %s %T@\n' | sort)
	while read -r id; do
		for m in GET PUT DELETE; do
			body=
			[[ $m == PUT ]] && body='{"segment": {"description": "x"}}'
			api "$m" "/v1/segments/$id" "$body"
			[[ $code == 404 || $code == 400 ]] ||
				fail "$m segments/$id: $code $output"
			[[ $m == PUT ]] && body='{"host": {"type": "x"}}'
			api "$m" "/v1/segments/$id/hosts/$id" "$body"
			[[ $code == 404 || $code == 400 ]] ||
				fail "$m hosts/$id: $code $output"
		done
		api GET "/v1/notifications/$id"
		[[ $code == 404 || $code == 400 ]] || fail "notifications/$id: $code"
		vapi GET "/v3/clusters/$id" '' -H 'OpenStack-API-Version: volume 3.7'
		[[ $code == 404 || $code == 400 ]] || fail "clusters/$id: $code"
	done < <(hostile_ids)
	after=$(cd "$DATA_DIR" && find . -printf '%p %s %T@\n' | sort)
	assert_equal "$after" "$before"
	assert_file_exists "$DATA_DIR/../canary.json"
	rm -f "$DATA_DIR/../canary.json"
}

@test "hostile names never become file names" {
	for name in '../../canary' '/etc/passwd' 'a/b' '..' '.' 'tokens.json' \
	    'x\u0000y' '%2e%2e'; do
		api POST /v1/segments "{\"segment\": {\"name\": \"$name\", \"recovery_method\": \"auto\", \"service_type\": \"C\"}}"
		[[ $code == 201 || $code == 400 ]] || fail "segment $name: $code"
		vapi PUT /v3/os-hacgi-heartbeat "{\"service\": {\"host\": \"$name\", \"binary\": \"$name\", \"cluster\": \"$name\"}}"
		[[ $code == 200 || $code == 400 ]] || fail "heartbeat $name: $code"
	done
	# every file is a fixed word, a uuid or a hash
	run bash -c "cd '$DATA_DIR' && find . -mindepth 1 | grep -vE '^\./(FORMAT|tokens\.json|[a-z]+\.lock|ha|vol|(ha|vol)/[a-z]+(\.json|\.log)?|ha/(segments|notifications)/[0-9a-f-]{36}\.json|ha/hosts/[0-9a-f-]{36}(/[0-9a-f-]{36}\.json)?|ha/names/[sh]-[0-9a-f]{64}\.json|ha/index(/(segments|notifications|hosts|active|dup|index\.json))?|ha/index/(segments|notifications)/([0-9]+|head)\.json|ha/index/hosts/[0-9a-f-]{36}(/([0-9]+|head)\.json)?|ha/index/active/[0-9a-f-]{36}(/[0-9a-f-]{36}\.json)?|ha/index/dup/[0-9a-f]{64}\.json|vol/(services|clusters)/[0-9a-f]{64}\.json|vol/names/([0-9a-f]+|head)\.json)$'"
	assert_output ''
	[[ ! -e $DATA_DIR/../canary ]]
}

@test "the data directory, its files and lock files deny other users" {
	api POST /v1/segments '{"segment": {"name": "m", "recovery_method": "auto", "service_type": "C"}}'
	assert_equal "$code" 201
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume", "cluster": "c"}}'
	assert_equal "$code" 200
	run find "$DATA_DIR" -perm /077
	assert_output ''
	run find "$DATA_DIR" -name '*.lock'
	assert [ ${#lines[@]} -ge 2 ]
	if [[ $(id -u) == 0 ]]; then
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    cat "$DATA_DIR/tokens.json"
		assert_failure
	fi
}

@test "a fresh data directory is created 0700 with 0600 files" {
	d=$BATS_TEST_TMPDIR/fresh
	body='{"segment": {"name": "x", "recovery_method": "auto", "service_type": "C"}}'
	(umask 000 && "$HACGI_MANAGE" --data-dir "$d" token create --user u \
	    --project p --roles admin --token t >/dev/null)
	printf %s "$body" |
	    (umask 000 && env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} \
	    HTTP_X_AUTH_TOKEN=t DATA_DIR="$d" "$HACGI_CGI_BIN/ha-segments" \
	    >/dev/null)
	assert_equal "$(stat -c %a "$d")" 700
	run find "$d" -perm /077
	assert_output ''
	run find "$d/ha/segments" -name '*.json'
	assert [ ${#lines[@]} -eq 1 ]
}

@test "no program spawns a shell or anything but its siblings" {
	# What our code imports: the objects of lib/ (the programs are a
	# few lines of cgi-bin/*.c over them) and hacgi-manage's imports.
	# Not the programs' own symbols: static libc brings a dlopen of its
	# own (gconv), and libfcgi an execl and a fork for a process manager
	# the programs never start.  fork: keystone mode runs hacgi-manage
	# with fork and execve (what it runs, and with what, is checked in
	# tests/keystone_cache.bats).
	local bad='system|popen|execl|execle|execlp|execvp|execvpe|posix_spawn|posix_spawnp|vfork|dlopen'
	run bash -c "nm --undefined-only '$TOP'/lib/{base,http,ha,vol}/*.a | grep -wE '$bad'"
	assert_output ''
	run bash -c "nm -D --undefined-only '$HACGI_MANAGE' | grep -wE '$bad'"
	assert_output ''
	run grep -wE "($bad)\\(" "$TOP"/cgi-bin/*.c
	assert_output ''
	if ! command -v strace >/dev/null; then
		skip "strace is not installed"
	fi
	log=$BATS_TEST_TMPDIR/strace
	# a request sent to the wrong program is handed over with execv
	printf '{}' | env -i REQUEST_METHOD=POST REQUEST_URI=/v1/segments \
	    CONTENT_LENGTH=2 HTTP_X_AUTH_TOKEN="$ADMIN_TOKEN" DATA_DIR="$DATA_DIR" \
	    HTTP_PROXY='() { :; }; /bin/sh' ASAN_OPTIONS=detect_leaks=0 \
	    strace -f -qq -e trace=execve \
	    -o "$log" "$HACGI_CGI_BIN/ha-root" >/dev/null
	run grep -c execve "$log"
	assert_output 2
	run grep -vE "execve\(\"$HACGI_CGI_BIN/ha-(root|segments)\"" "$log"
	assert_output ''
}

# ---- the data directory: what a mistake or another user plants there ----

# logged: what the programs logged since the test began (log_mark).
logged() {
	tail -c +"$((${_log_marks[0]:-0} + 1))" "$HACGI_SERVER/programs.log"
}

is_500() {
	[[ $code == 500 ]] &&
	    [[ $(json '(.masakariFault // .computeFault).code') == 500 ]]
}

SEG='{"segment": {"name": "s", "recovery_method": "auto", "service_type": "C"}}'

@test "a FIFO planted in the data directory answers a JSON 500 at once, never a hang" {
	api POST /v1/segments "$SEG"
	assert_equal "$code" 201
	# the segment's own record, which the list reads (through the index)
	seg=$(jq -r .segment.uuid <<<"$output")
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	assert_equal "$code" 200
	mv "$DATA_DIR/ha/segments/$seg.json" "$BATS_TEST_TMPDIR/seg.json"
	mkfifo "$DATA_DIR/ha/segments/$seg.json"
	api GET /v1/segments "" --max-time 5
	is_500 || fail "a FIFO document: $code $output"
	rm "$DATA_DIR/ha/segments/$seg.json"
	mv "$BATS_TEST_TMPDIR/seg.json" "$DATA_DIR/ha/segments/$seg.json"
	mv "$DATA_DIR/vol/services.log" "$BATS_TEST_TMPDIR/services.log"
	mkfifo "$DATA_DIR/vol/services.log"
	vapi GET /v3/os-services "" --max-time 5
	is_500 || fail "a FIFO journal: $code $output"
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume"}}' --max-time 5
	is_500 || fail "a FIFO journal, written: $code $output"
	rm "$DATA_DIR/vol/services.log"
	mv "$BATS_TEST_TMPDIR/services.log" "$DATA_DIR/vol/services.log"
	rm "$DATA_DIR/ha.lock"
	mkfifo "$DATA_DIR/ha.lock"
	api POST /v1/segments "$SEG" --max-time 5
	is_500 || fail "a FIFO lock file: $code $output"
	mv "$DATA_DIR/tokens.json" "$BATS_TEST_TMPDIR/tokens.json"
	mkfifo "$DATA_DIR/tokens.json"
	api GET /v1/segments "" --max-time 5
	is_500 || fail "a FIFO token store: $code $output"
	rm "$DATA_DIR/tokens.json"
	mv "$BATS_TEST_TMPDIR/tokens.json" "$DATA_DIR/tokens.json"
	run logged
	assert_output --partial "ha/segments/$seg.json: not a regular file"
	assert_output --partial "vol/services.log: not a regular file"
	assert_output --partial "ha.lock: not a regular file"
	assert_output --partial "tokens.json: not a regular file"
}

@test "a sub-folder swapped for a link is never followed: a JSON 500, nothing written through it" {
	local away=$BATS_TEST_TMPDIR/away before
	api POST /v1/segments "$SEG"
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	mkdir -m 0700 "$away"
	mv "$DATA_DIR/ha/segments" "$away/segments"
	ln -s "$away/segments" "$DATA_DIR/ha/segments"
	mv "$DATA_DIR/vol" "$away/vol"
	ln -s "$away/vol" "$DATA_DIR/vol"
	before=$(cd "$away" && find . -printf '%p %s %T@\n' | sort)
	api GET /v1/segments
	is_500 || fail "list through a link: $code $output"
	api POST /v1/segments "${SEG/\"s\"/\"s2\"}"
	is_500 || fail "create through a link: $code $output"
	vapi GET /v3/os-services
	is_500 || fail "services through a link: $code $output"
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@b", "binary": "cinder-volume"}}'
	is_500 || fail "heartbeat through a link: $code $output"
	assert_equal "$(cd "$away" && find . -printf '%p %s %T@\n' | sort)" "$before"
	run logged
	assert_output --partial "ha/segments: open: a link, refused"
	assert_output --partial "/vol: open: a link, refused"
}

@test "a data directory or folder others can write, or another user owns, answers a JSON 500 and logs why" {
	api POST /v1/segments "$SEG"
	chmod 0777 "$DATA_DIR"
	api GET /v1/segments
	chmod 0700 "$DATA_DIR"
	is_500 || fail "DATA_DIR 0777: $code $output"
	chmod 0770 "$DATA_DIR/ha/segments"
	api GET /v1/segments
	chmod 0700 "$DATA_DIR/ha/segments"
	is_500 || fail "a folder 0770: $code $output"
	run logged
	assert_output --partial "$DATA_DIR: mode 0777 lets other users write: refused"
	assert_output --partial "$DATA_DIR/ha/segments: mode 0770 lets other users write: refused"
	if [[ $(id -u) == 0 ]]; then
		chown 65534 "$DATA_DIR/ha"
		api GET /v1/segments
		chown "$(id -u)" "$DATA_DIR/ha"
		is_500 || fail "a folder of another user: $code $output"
		run logged
		assert_output --partial "$DATA_DIR/ha: owned by uid"
	fi
	api GET /v1/segments
	assert_equal "$code" 200
}

@test "a document over 16 MiB answers a JSON 500 and logs why, rather than being read" {
	cp "$DATA_DIR/tokens.json" "$BATS_TEST_TMPDIR/tokens.json"
	head -c $((17 << 20)) /dev/zero | tr '\0' ' ' >> "$DATA_DIR/tokens.json"
	api GET /v1/segments
	cp "$BATS_TEST_TMPDIR/tokens.json" "$DATA_DIR/tokens.json"
	is_500 || fail "a 17 MiB token store: $code $output"
	run logged
	assert_output --partial "tokens.json: over 16777216 bytes: refused"
}

# ---- tokens.json and policy.json: one meaning or none ----

@test "a token store with a duplicate key or \\u0000 answers a JSON 500, not a guess" {
	local t=$DATA_DIR/tokens.json h
	cp "$t" "$BATS_TEST_TMPDIR/tokens.json"
	h=$(printf %s "$MEMBER_TOKEN" | sha256sum | cut -d' ' -f1)
	# cJSON takes the first "roles", Python and jq the last
	printf '{"tokens": [{"sha256": "%s", "user": "m", "project": "%s", "roles": ["member"], "roles": ["admin"]}]}\n' "$h" "$PROJECT" > "$t"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	is_500 || fail "duplicate key: $code $output"
	# \u0000 would cut "admin\u0000-not" to "admin"
	printf '{"tokens": [{"sha256": "%s", "user": "m", "project": "%s", "roles": ["admin\\u0000-not"]}]}\n' "$h" "$PROJECT" > "$t"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	is_500 || fail "\\u0000: $code $output"
	cp "$BATS_TEST_TMPDIR/tokens.json" "$t"
	chmod 0666 "$t"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	chmod 0600 "$t"
	is_500 || fail "a token store others can write: $code $output"
	run logged
	assert_output --partial 'tokens.json: the key "roles" twice'
	assert_output --partial 'tokens.json: U+0000 in a string'
	assert_output --partial 'tokens.json: mode 0666 lets other users write: refused'
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	assert_equal "$code" 403
}

@test "a policy file with a duplicate key or \\u0000, or that others can write, answers a JSON 500" {
	local p=$DATA_DIR/policy.json
	printf '{"os_masakari_api:segments:index": ["member"], "os_masakari_api:segments:index": []}\n' > "$p"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	is_500 || fail "duplicate key: $code $output"
	printf '{"os_masakari_api:segments:index\\u0000": ["member"]}\n' > "$p"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	is_500 || fail "\\u0000: $code $output"
	printf '{"os_masakari_api:segments:index": ["member"]}\n' > "$p"
	chmod 0666 "$p"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	is_500 || fail "a policy file others can write: $code $output"
	run logged
	assert_output --partial 'policy.json: the key "os_masakari_api:segments:index" twice'
	assert_output --partial 'policy.json: U+0000 in a string'
	assert_output --partial 'policy.json: mode 0666 lets other users write: refused'
	chmod 0600 "$p"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	assert_equal "$code" 200
}
