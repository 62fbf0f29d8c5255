#!/usr/bin/env bats
# Bad input on every segment endpoint gets the SPEC's JSON fault and leaves
# the data directory byte-for-byte as it was.
load helpers

setup() {
	reset_data
	api POST /v1/segments '{"segment": {"name": "keep", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	UUID=$(json .segment.uuid)
}

# snapshot: names, modes and contents of everything under DATA_DIR.
snapshot() {
	(cd "$DATA_DIR" && find . -printf '%p %m %s\n' | sort &&
	    find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# bad STATUS FAULT METHOD PATH [BODY [CURL-ARGS...]]: the request is
# refused with STATUS and FAULT, and nothing on disk changed.
bad() {
	local status=$1 fault=$2 before after
	shift 2
	before=$(snapshot)
	api "$@"
	assert_equal "$code" "$status"
	if [[ -n $fault ]]; then
		assert_equal "$(json "keys[0]")" "$fault"
		assert_equal "$(json ".$fault.code")" "$status"
	fi
	after=$(snapshot)
	assert_equal "$after" "$before"
}

S=/v1/segments
ok_seg() { printf '{"segment": {"name": "%s", "recovery_method": "auto", "service_type": "COMPUTE"}}' "$1"; }

@test "create: name of the wrong type is a 400" {
	bad 400 badRequest POST $S '{"segment": {"name": 5, "recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'"
}

@test "create: enabled of the wrong type at 1.2 is a 400" {
	bad 400 badRequest POST $S '{"segment": {"name": "x", "recovery_method": "auto", "service_type": "COMPUTE", "enabled": []}}' -H 'OpenStack-API-Version: instance-ha 1.2'
}

@test "create: a missing service_type is a 400" {
	bad 400 badRequest POST $S '{"segment": {"name": "x", "recovery_method": "auto"}}'
}

@test "create: an empty name is a 400" {
	bad 400 badRequest POST $S "$(ok_seg '')"
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute name. Value: . '' is too short"
}

@test "create: a 256-character name is a 400" {
	bad 400 badRequest POST $S "$(ok_seg "$(printf 'a%.0s' $(seq 256))")"
	[[ $(json .badRequest.message) == *"is too long" ]]
}

@test "create: a 255-character name of 2-byte characters is accepted (code points)" {
	api POST $S "$(ok_seg "$(printf '\xc3\xa9%.0s' $(seq 255))")"
	assert_equal "$code" 201
}

@test "create: a name with a control character is a 400" {
	bad 400 badRequest POST $S "$(ok_seg 'a\u0001b')"
	assert_equal "$(json .badRequest.message)" "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."
}

@test "create: a name with leading whitespace is a 400" {
	bad 400 badRequest POST $S "$(ok_seg ' x')"
}

@test "create: a name with trailing whitespace is a 400" {
	bad 400 badRequest POST $S "$(ok_seg 'x ')"
}

@test "create: invalid UTF-8 is a 400 Malformed request body (divergence 2)" {
	bad 400 badRequest POST $S "$(printf '{"segment": {"name": "\xff", "recovery_method": "auto", "service_type": "COMPUTE"}}')"
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "create: a body that is not JSON is a 400" {
	bad 400 badRequest POST $S 'segment=x'
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "create: a truncated JSON body is a 400" {
	bad 400 badRequest POST $S '{"segment": {"name": "x", "recov'
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "create: a JSON array is a 400" {
	bad 400 badRequest POST $S '[1, 2]'
	assert_equal "$(json .badRequest.message)" "[1, 2] is not of type 'object'"
}

@test "create: an empty body is a 400" {
	bad 400 badRequest POST $S ''
	assert_equal "$(json .badRequest.message)" "None is not of type 'object'"
}

@test "create: an extra key is a 400" {
	bad 400 badRequest POST $S '{"segment": {"name": "x", "recovery_method": "auto", "service_type": "COMPUTE", "id": 7}}'
}

@test "create: an extra top-level key is a 400" {
	bad 400 badRequest POST $S '{"segment": {"name": "x", "recovery_method": "auto", "service_type": "COMPUTE"}, "x": 1}'
	assert_equal "$(json .badRequest.message)" "Additional properties are not allowed ('x' was unexpected)"
}

@test "create: a body over 114688 bytes is a 413 even without a token" {
	head -c 114689 /dev/zero | tr '\0' ' ' > "$BATS_TEST_TMPDIR/big"
	TOKEN= bad 413 "" POST $S "@$BATS_TEST_TMPDIR/big"
	assert_output --partial 'Request is too large.'
}

@test "create: a body of exactly 114688 bytes is read (and then judged)" {
	{ ok_seg big; head -c $((114688 - $(ok_seg big | wc -c))) /dev/zero | tr '\0' ' '; } > "$BATS_TEST_TMPDIR/edge"
	assert_equal "$(wc -c < "$BATS_TEST_TMPDIR/edge")" 114688
	api POST $S "@$BATS_TEST_TMPDIR/edge"
	assert_equal "$code" 201
}

@test "create: a wrong Content-Type is a 415" {
	CTYPE=application/xml bad 415 badMediaType POST $S "$(ok_seg x)"
	assert_equal "$(json .badMediaType.message)" "Unsupported Content-Type"
}

@test "create: duplicate keys take the last value" {
	api POST $S '{"segment": {"name": "first", "name": "last", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$code" 201
	assert_equal "$(json .segment.name)" last
}

@test "update: a name of the wrong type is a 400" {
	bad 400 badRequest PUT "$S/$UUID" '{"segment": {"name": ["x"]}}'
}

@test "update: a non-printable description is a 400" {
	bad 400 badRequest PUT "$S/$UUID" '{"segment": {"description": "a\u0007"}}'
	[[ $(json .badRequest.message) == "Invalid input for field/attribute description. Value: a"* ]]
}

@test "update: invalid UTF-8 is a 400" {
	bad 400 badRequest PUT "$S/$UUID" "$(printf '{"segment": {"name": "\xc3\x28"}}')"
}

@test "update: a body that is not JSON is a 400" {
	bad 400 badRequest PUT "$S/$UUID" '{segment}'
}

@test "update: a string body is a 400" {
	bad 400 badRequest PUT "$S/$UUID" '"segment"'
}

@test "update: an unknown key is a 400" {
	bad 400 badRequest PUT "$S/$UUID" '{"segment": {"color": "red"}}'
}

@test "update: a body over 114688 bytes is a 413" {
	head -c 200000 /dev/zero | tr '\0' ' ' > "$BATS_TEST_TMPDIR/big"
	bad 413 "" PUT "$S/$UUID" "@$BATS_TEST_TMPDIR/big"
}

@test "update: a wrong Content-Type is a 415" {
	CTYPE=text/html bad 415 badMediaType PUT "$S/$UUID" '{"segment": {"name": "y"}}'
}

@test "update: an unknown id is a 404" {
	bad 404 itemNotFound PUT "$S/00000000-0000-4000-8000-000000000000" '{"segment": {"name": "y"}}'
}

@test "update: a garbage id is a 404" {
	bad 404 itemNotFound PUT "$S/..%5c..%5cx" '{"segment": {"name": "y"}}'
}

@test "delete: an unknown id is a 404" {
	bad 404 itemNotFound DELETE "$S/00000000-0000-4000-8000-000000000000"
}

@test "delete: a path trick is a 404" {
	bad 404 itemNotFound DELETE "$S/$UUID/../$UUID"
	bad 404 itemNotFound DELETE "$S/%2e%2e%2fFORMAT"
}

@test "delete: a member token is a 403" {
	TOKEN=$MEMBER_TOKEN bad 403 forbidden DELETE "$S/$UUID"
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:segments:delete to be performed."
}

@test "delete: no token is a 401" {
	TOKEN= bad 401 "" DELETE "$S/$UUID"
}

@test "list: a 30-digit limit is clamped, not an error" {
	bad 200 "" GET "$S?limit=123456789012345678901234567890"
	assert_equal "$(json '.segments | length')" 1
}

@test "list: limit=5x is a 400" {
	bad 400 badRequest GET "$S?limit=5x"
}

@test "list: a token in the query string is ignored" {
	TOKEN= bad 401 "" GET "$S?X-Auth-Token=$ADMIN_TOKEN&token=$ADMIN_TOKEN"
}

@test "show: an overlong id is a 404" {
	bad 404 itemNotFound GET "$S/$(printf 'a%.0s' $(seq 3000))"
}
