#!/usr/bin/env bats
# /v1/segments/{segment_id}/hosts/{host_id}: show, update, delete
# (SPEC 4.5).
load helpers
load ha_fixtures

@test "GET a host answers 200 with its view" {
	mkseg s1
	mkhost "$SEG" h1
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 200
	assert_equal "$(json .host.uuid)" "$HOST"
	assert_equal "$(json .host.name)" h1
	assert_equal "$(json .host.failover_segment.name)" s1
	assert_output --partial '"deleted_at": null, "deleted": false}}'
	assert_header OpenStack-API-Version "masakari 1.0"
}

@test "GET a host with an id that is not uuid-like answers 404 No host" {
	mkseg s1
	api GET "/v1/segments/$SEG/hosts/garbage"
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "No host with id garbage."}}'
}

@test "GET a host by its upper-case uuid answers 404 under failover_segment" {
	mkseg s1
	mkhost "$SEG" h1
	local up=${HOST^^}
	api GET "/v1/segments/$SEG/hosts/$up"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "Host '$up' under failover_segment '$SEG' could not be found."
}

@test "GET a host under another segment answers 404" {
	mkseg s1
	mkhost "$SEG" h1
	mkseg s2
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "Host '$HOST' under failover_segment '$SEG' could not be found."
}

@test "GET a host under an unknown segment answers 404 without a segment check" {
	mkseg s1
	mkhost "$SEG" h1
	api GET "/v1/segments/garbage/hosts/$HOST"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "Host '$HOST' under failover_segment 'garbage' could not be found."
}

@test "GET a host with a member token answers 403" {
	mkseg s1
	mkhost "$SEG" h1
	TOKEN=$MEMBER_TOKEN api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:os-hosts:detail to be performed."
}

@test "PUT a host renames it and sets updated_at" {
	mkseg s1
	mkhost "$SEG" h1
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"name": "h1b"}}'
	assert_equal "$code" 200
	assert_equal "$(json .host.name)" h1b
	[[ $(json .host.updated_at) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000000$ ]]
}

@test "PUT a host frees its old name and takes the new one" {
	mkseg s1
	mkhost "$SEG" h1
	local first=$HOST
	api PUT "/v1/segments/$SEG/hosts/$first" '{"host": {"name": "h1b"}}'
	mkhost "$SEG" h1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "h1b", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 409
}

@test "PUT a host with the values it has leaves updated_at null" {
	mkseg s1
	mkhost "$SEG" h1
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"name": "h1", "type": "COMPUTE", "reserved": "false"}}'
	assert_equal "$code" 200
	assert_equal "$(json .host.updated_at)" null
}

@test "PUT a host stores reserved and on_maintenance spellings as booleans" {
	mkseg s1
	mkhost "$SEG" h1
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"reserved": "YES", "on_maintenance": "1"}}'
	assert_equal "$(json .host.reserved)" true
	assert_equal "$(json .host.on_maintenance)" true
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"reserved": "false"}}'
	assert_equal "$(json .host.reserved)" false
}

@test "PUT a host changes type and control_attributes" {
	mkseg s1
	mkhost "$SEG" h1
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"type": "BAREMETAL", "control_attributes": "IPMI"}}'
	assert_equal "$(json .host.type)" BAREMETAL
	assert_equal "$(json .host.control_attributes)" IPMI
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$(json .host.type)" BAREMETAL
}

@test "PUT a host with an empty host object answers 400" {
	mkseg s1
	mkhost "$SEG" h1
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute host. Value: {}. {} is not valid under any of the given schemas"
}

@test "PUT a host with a bad type answers 400" {
	mkseg s1
	mkhost "$SEG" h1
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"type": "a b"}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute type. Value: a b. 'a b' does not match '^[a-zA-Z0-9]*\$'"
}

@test "PUT a host with another host's name answers 409" {
	mkseg s1
	mkhost "$SEG" h1
	mkseg s2
	mkhost "$SEG" h2
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"name": "h1"}}'
	assert_equal "$code" 409
	assert_output '{"conflictingRequest": {"code": 409, "message": "Host with name h1 already exists."}}'
}

@test "PUT a host that is not there answers 404 even for a garbage id" {
	mkseg s1
	api PUT "/v1/segments/$SEG/hosts/garbage" '{"host": {"type": "X"}}'
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "Host 'garbage' under failover_segment '$SEG' could not be found."
}

@test "PUT a host with a member token answers 403 after the schema" {
	mkseg s1
	mkhost "$SEG" h1
	TOKEN=$MEMBER_TOKEN api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"type": "X"}}'
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:os-hosts:update to be performed."
	TOKEN=$MEMBER_TOKEN api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {}}'
	assert_equal "$code" 400
}

@test "DELETE a host answers 204 and the host is gone" {
	mkseg s1
	mkhost "$SEG" h1
	api DELETE "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 204
	assert_output ""
	assert_header Content-Type application/json
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 404
	api GET "/v1/segments/$SEG/hosts"
	assert_output '{"hosts": []}'
}

@test "DELETE a host makes its name reusable" {
	mkseg s1
	mkhost "$SEG" h1
	api DELETE "/v1/segments/$SEG/hosts/$HOST"
	mkhost "$SEG" h1
	assert_equal "$(json .host.id)" 2
}

@test "DELETE a host twice answers 404 the second time" {
	mkseg s1
	mkhost "$SEG" h1
	api DELETE "/v1/segments/$SEG/hosts/$HOST"
	api DELETE "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "Host '$HOST' under failover_segment '$SEG' could not be found."
}

@test "DELETE a host with a member token answers 403" {
	mkseg s1
	mkhost "$SEG" h1
	TOKEN=$MEMBER_TOKEN api DELETE "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:os-hosts:delete to be performed."
}

@test "PATCH a host answers 405 with Allow" {
	mkseg s1
	mkhost "$SEG" h1
	api PATCH "/v1/segments/$SEG/hosts/$HOST" '{"host": {}}'
	assert_equal "$code" 405
	assert_header Allow "GET, PUT, DELETE"
	assert_equal "$(json .badMethod.message)" "The request method: 'PATCH' with action: 'patch' is not allowed on this resource"
}

@test "GET a host path with a .json suffix shows the host" {
	mkseg s1
	mkhost "$SEG" h1
	api GET "/v1/segments/$SEG/hosts/$HOST.json"
	assert_equal "$code" 200
	assert_equal "$(json .host.uuid)" "$HOST"
}
