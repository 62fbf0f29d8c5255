#!/usr/bin/env bats
# Requests that the web server and the programs could read differently
# (issue 12): %00 in the path or the query, other spellings of the
# headers the programs read, chunked bodies; and the limits on what one
# request may cost or store.  Each refused request is checked to change
# nothing.  Runs under lighttpd and, from tests/apache.suites, under
# Apache; where the servers differ, the test says which does what.
load helpers

P=0123456789abcdef0123456789abcdef

# fixtures: a segment $SEG with a host $HOST, a cluster c1@lvm with one
# service; $SNAP: the data directory as it is then.
fixtures() {
	api POST /v1/segments '{"segment": {"name": "seg-a", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$code" 201
	SEG=$(json .segment.uuid)
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 201
	HOST=$(json .host.uuid)
	manage service heartbeat --host host1@lvm --binary cinder-volume \
	    --cluster c1@lvm --at 2024-01-01T00:00:00
	SNAP=$(snapshot)
}

# snapshot: every file under DATA_DIR but the lock files, with its
# content, in one text.
snapshot() {
	(cd "$DATA_DIR" && find . -type f ! -name '*.lock' | sort |
	    while read -r f; do printf '== %s\n' "$f"; cat "$f"; echo; done)
}

assert_unchanged() {
	assert_equal "$(snapshot)" "$SNAP"
}

assert_fault() {
	assert_equal "$code" "$1"
	assert_equal "$(json ".badRequest.message")" "$2"
}

@test "%00 in a path is refused, never cut short (Apache: its own 404)" {
	fixtures
	api DELETE "/v1/segments/$SEG%00/hosts/$HOST"
	if [[ $HACGI_SERVER_KIND == apache ]]; then
		assert_equal "$code" 404
		assert_header Content-Type 'text/html; charset=iso-8859-1'
	else
		assert_fault 400 'Malformed request URL: the path holds a NUL character (%00).'
	fi
	assert_unchanged
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 200
	vapi PUT "/v3/$P/clusters/disable%00x" '{"name": "c1@lvm"}' \
	    -H 'OpenStack-API-Version: volume 3.7'
	[[ $HACGI_SERVER_KIND == apache ]] || assert_equal "$code" 400
	assert_unchanged
}

@test "%00 in a query key or value is a 400 under both servers" {
	fixtures
	vapi GET "/v3/$P/clusters/c1@lvm?binary=cinder-volume%00x" '' \
	    -H 'OpenStack-API-Version: volume 3.7'
	assert_fault 400 'Malformed request URL: the query string holds a NUL character (%00).'
	header X-Openstack-Request-Id
	api GET "/v1/segments?sort_key=name%00&sort_dir=asc"
	assert_fault 400 'Malformed request URL: the query string holds a NUL character (%00).'
	assert_equal "$(header Content-Type)" 'application/json; charset=UTF-8'
	api DELETE "/v1/segments/$SEG?x%00=1"
	assert_equal "$code" 400
	assert_unchanged
}

SPELLING="(with '_' or another character for '-') is not accepted."

@test "another spelling of X-Auth-Token is a 400 under both servers, alone or not" {
	fixtures
	local msg="Another spelling of the header X-Auth-Token $SPELLING"
	# lighttpd passed it as X-Auth-Token, Apache dropped it (401)
	TOKEN= api GET /v1/segments '' -H "X_Auth_Token: $ADMIN_TOKEN"
	assert_fault 400 "$msg"
	TOKEN= api GET /v1/segments '' -H "x.auth~token: $ADMIN_TOKEN"
	assert_fault 400 "$msg"
	# next to the real one: lighttpd took the first
	TOKEN= api DELETE "/v1/segments/$SEG" '' -H "X_Auth-Token: $ADMIN_TOKEN" \
	    -H "X-Auth-Token: $MEMBER_TOKEN"
	assert_fault 400 "$msg"
	TOKEN= vapi PUT "/v3/$P/clusters/disable" '{"name": "c1@lvm"}' \
	    -H 'OpenStack-API-Version: volume 3.7' \
	    -H "X-Auth-Token: $ADMIN_TOKEN" -H "X-Auth_Token: $ADMIN_TOKEN"
	assert_fault 400 "$msg"
	assert_unchanged
}

@test "another spelling of OpenStack-API-Version is a 400 under both servers" {
	fixtures
	local msg="Another spelling of the header OpenStack-API-Version $SPELLING"
	api GET "/v1/segments/$SEG" '' -H 'OpenStack_API_Version: instance-ha 1.2'
	assert_fault 400 "$msg"
	vapi GET "/v3/$P/clusters" '' -H 'OpenStack-API-Version: volume 3.0' \
	    -H 'openstack-api.version: volume 3.7'
	assert_fault 400 "$msg"
	# the one spelling, any case, is fine; other headers' spellings too
	vapi GET "/v3/$P/clusters" '' -H 'openstack-api-version: volume 3.7' \
	    -H 'Content_Type: text/plain' -H 'X_Other: 1'
	assert_equal "$code" 200
}

@test "a chunked body is read to its end, under both servers" {
	local seg='{"segment": {"name": "seg-c", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	# Apache passes no CONTENT_LENGTH: the body was read as empty (400)
	api POST /v1/segments "$seg" -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 201
	assert_equal "$(json .segment.name)" seg-c
	manage service heartbeat --host host1@lvm --binary cinder-volume \
	    --cluster c1@lvm
	vapi PUT "/v3/$P/clusters/disable" '{"name": "c1@lvm", "disabled_reason": "r"}' \
	    -H 'OpenStack-API-Version: volume 3.7' -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 200
	assert_equal "$(json .cluster.disabled_reason)" r
	# exactly the limit is accepted, as with a Content-Length
	local head='{"segment": {"name": "seg-d", "recovery_method": "auto", "service_type": "COMPUTE", "description": "'
	{
		printf '%s' "$head"
		head -c $((114688 - ${#head} - 3)) /dev/zero | tr '\0' d
		printf '"}}'
	} > "$BATS_TEST_TMPDIR/limit"
	assert_equal "$(wc -c < "$BATS_TEST_TMPDIR/limit")" 114688
	api POST /v1/segments "@$BATS_TEST_TMPDIR/limit" -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 201
}

@test "a chunked body over the limit is a 413 under both servers, nothing stored" {
	fixtures
	head -c 200000 /dev/zero | tr '\0' x > "$BATS_TEST_TMPDIR/big"
	# Apache dropped the connection (the program never read the body)
	api POST /v1/segments "@$BATS_TEST_TMPDIR/big" -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 413
	TOKEN= api POST /v1/segments "@$BATS_TEST_TMPDIR/big" -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 413
	vapi PUT "/v3/$P/clusters/disable" "@$BATS_TEST_TMPDIR/big" \
	    -H 'OpenStack-API-Version: volume 3.7' -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 413
	# a body where none is read (the version app) is drained too
	TOKEN= api POST /v2 "@$BATS_TEST_TMPDIR/big" -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 300
	TOKEN= vapi POST / "@$BATS_TEST_TMPDIR/big" -H 'Transfer-Encoding: chunked'
	assert_equal "$code" 400
	assert_unchanged
}

@test "heartbeat names with control characters are 400s under both servers" {
	fixtures
	TOKEN=$SERVICE_TOKEN vapi PUT "/v3/$P/os-hacgi-heartbeat" \
	    '{"service": {"host": "h\u001b[2J", "binary": "cinder-volume"}}'
	assert_equal "$code" 400
	assert_output '{"badRequest": {"code": 400, "message": "Invalid input for field/attribute host. Value: h\u001b[2J. '"'"'h\\x1b[2J'"'"' holds a control character"}}'
	local f v
	for f in host binary cluster zone; do
		for v in 'a\u0007' 'a\u0085b' 'a\u009b31m' '\u007f' 'a\nb' 'a\tb'; do
			TOKEN=$SERVICE_TOKEN vapi PUT "/v3/$P/os-hacgi-heartbeat" \
			    "{\"service\": {\"host\": \"h@b\", \"binary\": \"cinder-volume\", \"$f\": \"$v\"}}"
			assert_equal "$f $v $code" "$f $v 400"
			assert_output --regexp "^\{\"badRequest\": \{\"code\": 400, \"message\": \"Invalid input for field/attribute $f\. Value: .* holds a control character\"\}\}$"
		done
	done
	assert_unchanged
	# what is printable still passes: Latin-1, other scripts, spaces
	TOKEN=$SERVICE_TOKEN vapi PUT "/v3/$P/os-hacgi-heartbeat" \
	    '{"service": {"host": "hôte 1@lvm", "binary": "cinder-volume", "zone": "\u00a0z\u4e2d"}}'
	assert_equal "$code" 200
}

# keys N KEY: "sort_key=KEY" N times, joined with "&".
keys() {
	local i q=
	for ((i = 0; i < $1; i++)); do
		q+="&sort_key=$2"
	done
	printf '%s\n' "${q#&}"
}

@test "more sort keys than a list has columns is a 400" {
	fixtures
	api GET "/v1/segments?$(keys 11 name)"
	assert_equal "$code" 200
	api GET "/v1/segments?$(keys 12 name)&sort_dir=asc"
	assert_fault 400 'Invalid input received: Sort key size exceeds the 11 sortable columns'
	# before: 300 repeated keys were sorted by, row pair by row pair
	api GET "/v1/segments?$(keys 300 name)"
	assert_fault 400 'Invalid input received: Sort key size exceeds the 11 sortable columns'
	api GET "/v1/segments/$SEG/hosts?$(keys 12 type)"
	assert_equal "$code" 200
	api GET "/v1/segments/$SEG/hosts?$(keys 13 type)"
	assert_fault 400 'Invalid input received: Sort key size exceeds the 12 sortable columns'
	api GET "/v1/notifications?$(keys 12 status)"
	assert_fault 400 'Invalid input received: Sort key size exceeds the 11 sortable columns'
	# limit=0 still answers [] first (SPEC 4.2 step 3)
	api GET "/v1/notifications?limit=0&$(keys 12 status)"
	assert_output '{"notifications": []}'
}
