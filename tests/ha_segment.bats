#!/usr/bin/env bats
# /v1/segments/{id}: show, update, delete (SPEC 4.4).
load helpers

setup() {
	reset_data
	api POST /v1/segments '{"segment": {"name": "seg1", "recovery_method": "auto", "service_type": "COMPUTE", "description": "first"}}'
	UUID=$(json .segment.uuid)
}

@test "GET /v1/segments/{id} shows the segment" {
	api GET "/v1/segments/$UUID"
	assert_equal "$code" 200
	assert_equal "$(json .segment.name)" seg1
	assert_equal "$(json .segment.description)" first
	assert_header OpenStack-API-Version "masakari 1.0"
	assert_header Vary OpenStack-API-Version
	[[ -n $(header X-Openstack-Request-Id) ]]
}

@test "GET /v1/segments/{id}.json shows the segment" {
	api GET "/v1/segments/$UUID.json"
	assert_equal "$code" 200
	assert_equal "$(json .segment.uuid)" "$UUID"
}

@test "GET /v1/segments/{id} of an unknown uuid answers 404 itemNotFound" {
	api GET /v1/segments/11111111-2222-4333-8444-555555555555
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "No failover segment with id 11111111-2222-4333-8444-555555555555."}}'
	assert_header OpenStack-API-Version "instance-ha 1.0"
}

@test "GET /v1/segments/{id} of a garbage id answers 404 and names it" {
	api GET '/v1/segments/detail'
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "No failover segment with id detail."
}

@test "GET /v1/segments/{id} with an encoded traversal answers a JSON 404" {
	api GET '/v1/segments/..%2f..%2fFORMAT'
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
	api GET '/v1/segments/%2e%2e'
	assert_equal "$code" 404
	api GET '/v1/segments/a%00b'
	[[ $code == 404 || $code == 400 ]]
}

@test "GET /v1/segments/{id} of an upper-case uuid answers 404" {
	api GET "/v1/segments/${UUID^^}"
	assert_equal "$code" 404
}

@test "PUT /v1/segments/{id} renames the segment and sets updated_at" {
	api PUT "/v1/segments/$UUID" '{"segment": {"name": "seg2"}}'
	assert_equal "$code" 200
	assert_equal "$(json .segment.name)" seg2
	[[ $(json .segment.updated_at) =~ ^[0-9-]{10}T[0-9:]{8}\.000000$ ]]
	api GET "/v1/segments/$UUID"
	assert_equal "$(json .segment.name)" seg2
}

@test "PUT /v1/segments/{id} frees the old name for a new segment" {
	api PUT "/v1/segments/$UUID" '{"segment": {"name": "seg2"}}'
	api POST /v1/segments '{"segment": {"name": "seg1", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$code" 201
	api POST /v1/segments '{"segment": {"name": "seg2", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$code" 409
}

@test "PUT /v1/segments/{id} without a change leaves updated_at null" {
	api PUT "/v1/segments/$UUID" '{"segment": {"name": "seg1"}}'
	assert_equal "$code" 200
	assert_equal "$(json .segment.updated_at)" null
}

@test "PUT /v1/segments/{id} with description null clears it" {
	api PUT "/v1/segments/$UUID" '{"segment": {"description": null}}'
	assert_equal "$code" 200
	assert_equal "$(json .segment.description)" null
}

@test "PUT /v1/segments/{id} with enabled \"false\" at 1.2 disables (divergence 3)" {
	api PUT "/v1/segments/$UUID" '{"segment": {"enabled": "false"}}' -H 'OpenStack-API-Version: instance-ha 1.2'
	assert_equal "$code" 200
	assert_equal "$(json .segment.enabled)" false
}

@test "PUT /v1/segments/{id} to a taken name answers 409" {
	api POST /v1/segments '{"segment": {"name": "other", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	api PUT "/v1/segments/$UUID" '{"segment": {"name": "other"}}'
	assert_equal "$code" 409
	assert_equal "$(json .conflictingRequest.message)" "Failover segment with name other already exists."
}

@test "PUT /v1/segments/{id} with an empty segment answers 400" {
	api PUT "/v1/segments/$UUID" '{"segment": {}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute segment. Value: {}. {} is not valid under any of the given schemas"
}

@test "PUT /v1/segments/{id} of an unknown segment answers 404" {
	api PUT /v1/segments/11111111-2222-4333-8444-555555555555 '{"segment": {"name": "x"}}'
	assert_equal "$code" 404
}

@test "DELETE /v1/segments/{id} answers 204 and the segment is gone" {
	api DELETE "/v1/segments/$UUID"
	assert_equal "$code" 204
	assert_output ''
	api GET "/v1/segments/$UUID"
	assert_equal "$code" 404
	run ls "$DATA_DIR/ha/segments"
	assert_output ''
}

@test "DELETE /v1/segments/{id} frees the name" {
	api DELETE "/v1/segments/$UUID"
	api POST /v1/segments '{"segment": {"name": "seg1", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$code" 201
	assert_equal "$(json .segment.id)" 2
}

@test "DELETE /v1/segments/{id} twice answers 404 the second time" {
	api DELETE "/v1/segments/$UUID"
	api DELETE "/v1/segments/$UUID"
	assert_equal "$code" 404
}

@test "PATCH /v1/segments/{id} answers 405 with Allow" {
	api PATCH "/v1/segments/$UUID" '{"segment": {"name": "x"}}'
	assert_equal "$code" 405
	assert_header Allow "GET, PUT, DELETE"
	assert_equal "$(json .badMethod.message)" "The request method: 'PATCH' with action: 'patch' is not allowed on this resource"
}

@test "OPTIONS /v1/segments/{id} answers 200 with Allow" {
	api OPTIONS "/v1/segments/$UUID"
	assert_equal "$code" 200
	assert_header Allow "GET, PUT, DELETE"
}

@test "GET /v1/segments/{id}/ with a trailing slash answers a JSON 404" {
	api GET "/v1/segments/$UUID/"
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
	refute_header OpenStack-API-Version
}

@test "GET /v1/segments/{id} with version 1.3 answers 406" {
	api GET "/v1/segments/$UUID" '' -H 'OpenStack-API-Version: instance-ha 1.3'
	assert_equal "$code" 406
	assert_output '{"masakariFault": {"code": 406, "message": "Version 1.3 is not supported by the API. Minimum is 1.0 and maximum is 1.2."}}'
	assert_header OpenStack-API-Version "instance-ha 1.3"
}

@test "GET /v1/segments/{id} with a malformed version answers 400 without version headers" {
	api GET "/v1/segments/$UUID" '' -H 'OpenStack-API-Version: instance-ha 1.02'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "API Version String 1.02 is of invalid format. Must be of format MajorNum.MinorNum."
	refute_header OpenStack-API-Version
}

@test "show costs the same at 1 and 300 segments (files opened per request)" {
	local i body
	# a show opens: the tokens, the policy file, the lock, the segment
	# (the store opens them from folder descriptors: count every open)
	run strace -f -e trace=open,openat -o "$BATS_TEST_TMPDIR/trace" env \
	    REQUEST_METHOD=GET REQUEST_URI="/v1/segments/$UUID" \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    "$HACGI_CGI_BIN/ha-segment"
	local before; before=$(grep -c 'open' "$BATS_TEST_TMPDIR/trace")
	for i in $(seq 300); do
		body='{"segment": {"name": "n'$i'", "recovery_method": "auto", "service_type": "COMPUTE"}}'
		printf '%s' "$body" |
		    REQUEST_METHOD=POST REQUEST_URI=/v1/segments CONTENT_TYPE=application/json \
		    CONTENT_LENGTH=${#body} HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
		    "$HACGI_CGI_BIN/ha-segments" > /dev/null
	done
	run strace -f -e trace=open,openat -o "$BATS_TEST_TMPDIR/trace" env \
	    REQUEST_METHOD=GET REQUEST_URI="/v1/segments/$UUID" \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" \
	    "$HACGI_CGI_BIN/ha-segment"
	assert_output --partial '"name": "seg1"'
	assert_equal "$(grep -c 'open' "$BATS_TEST_TMPDIR/trace")" "$before"
	assert_equal "$(ls "$DATA_DIR/ha/segments" | wc -l)" 301
}
