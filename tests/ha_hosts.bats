#!/usr/bin/env bats
# /v1/segments/{segment_id}/hosts: list and create (SPEC 4.2, 4.5).
load helpers
load ha_fixtures

HOST_KEYS=id,uuid,name,failover_segment_id,failover_segment,type,reserved,control_attributes,on_maintenance,created_at,updated_at,deleted_at,deleted

@test "POST hosts creates a host and answers 201 with its view" {
	mkseg s1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 201
	assert_equal "$(json '.host | keys_unsorted | join(",")')" "$HOST_KEYS"
	assert_equal "$(json .host.id)" 1
	assert_equal "$(json .host.name)" compute-1
	assert_equal "$(json .host.failover_segment_id)" "$SEG"
	assert_equal "$(json .host.reserved)" false
	assert_equal "$(json .host.on_maintenance)" false
	assert_equal "$(json .host.updated_at)" null
	[[ $(json .host.created_at) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000000$ ]]
	assert_header OpenStack-API-Version "masakari 1.0"
	assert_header Content-Type application/json
}

@test "POST hosts embeds the segment's view in the host view" {
	mkseg s1
	mkhost "$SEG" h1
	assert_equal "$(json '.host.failover_segment | keys_unsorted | join(",")')" \
	    "id,uuid,name,service_type,enabled,description,recovery_method,created_at,updated_at,deleted_at,deleted"
	assert_equal "$(json .host.failover_segment.uuid)" "$SEG"
	assert_equal "$(json .host.failover_segment.name)" s1
}

@test "POST hosts stores boolean spellings as booleans" {
	mkseg s1
	mkhost "$SEG" h1 '"reserved": "yes", "on_maintenance": "Off"'
	assert_equal "$(json .host.reserved)" true
	assert_equal "$(json .host.on_maintenance)" false
}

@test "POST hosts accepts an empty type" {
	mkseg s1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "h2", "type": "", "control_attributes": "SSH"}}'
	assert_equal "$code" 201
	assert_equal "$(json .host.type)" ""
}

@test "POST hosts with a name used in another segment answers 409" {
	mkseg s1; local s1=$SEG
	mkseg s2
	mkhost "$s1" compute-1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 409
	assert_output '{"conflictingRequest": {"code": 409, "message": "Host with name compute-1 already exists."}}'
	assert_header Content-Type "application/json; charset=UTF-8"
	assert_header OpenStack-API-Version "instance-ha 1.0"
}

@test "POST hosts into an unknown segment answers 404" {
	api POST /v1/segments/11111111-2222-3333-4444-555555555555/hosts '{"host": {"name": "h", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "No failover segment with id 11111111-2222-3333-4444-555555555555."}}'
}

@test "POST hosts without type answers 400 with the schema message" {
	mkseg s1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "h", "control_attributes": "SSH"}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute host. Value: {'name': 'h', 'control_attributes': 'SSH'}. 'type' is a required property"
}

@test "POST hosts with a null type answers 400 (divergence 6)" {
	mkseg s1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "h", "type": null, "control_attributes": "SSH"}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute type. Value: None. None is not of type 'string'"
}

@test "POST hosts with an unknown property answers 400" {
	mkseg s1
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "h", "type": "COMPUTE", "control_attributes": "SSH", "foo": 1}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute host. Value: {'name': 'h', 'type': 'COMPUTE', 'control_attributes': 'SSH', 'foo': 1}. Additional properties are not allowed ('foo' was unexpected)"
}

@test "POST hosts checks the body before the policy" {
	mkseg s1
	TOKEN=$MEMBER_TOKEN api POST "/v1/segments/$SEG/hosts" '{"host": {}}'
	assert_equal "$code" 400
}

@test "POST hosts with a member token answers 403" {
	mkseg s1
	TOKEN=$MEMBER_TOKEN api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "h", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 403
	assert_output "{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow os_masakari_api:os-hosts:create to be performed.\"}}"
}

@test "POST hosts gives increasing ids that are not reused after a delete" {
	mkseg s1
	mkhost "$SEG" h1
	mkhost "$SEG" h2
	api DELETE "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 204
	mkhost "$SEG" h3
	assert_equal "$(json .host.id)" 3
}

@test "GET hosts lists the segment's hosts only, newest first" {
	mkseg s1; local s1=$SEG
	mkseg s2
	mkhost "$s1" a; mkhost "$SEG" other; mkhost "$s1" b
	api GET "/v1/segments/$s1/hosts"
	assert_equal "$code" 200
	assert_equal "$(json '[.hosts[].name] | join(",")')" "b,a"
}

@test "GET hosts of an empty segment answers an empty list" {
	mkseg s1
	api GET "/v1/segments/$SEG/hosts"
	assert_equal "$code" 200
	assert_output '{"hosts": []}'
}

@test "GET hosts of an unknown segment answers 404" {
	api GET /v1/segments/garbage/hosts
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "No failover segment with id garbage."}}'
}

@test "GET hosts filters by type" {
	mkseg s1
	mkhost "$SEG" a
	api POST "/v1/segments/$SEG/hosts" '{"host": {"name": "b", "type": "BAREMETAL", "control_attributes": "SSH"}}'
	api GET "/v1/segments/$SEG/hosts?type=BAREMETAL"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "b"
}

@test "GET hosts filters by on_maintenance and reserved" {
	mkseg s1
	mkhost "$SEG" a '"on_maintenance": true'
	mkhost "$SEG" b '"reserved": true'
	mkhost "$SEG" c
	api GET "/v1/segments/$SEG/hosts?on_maintenance=yes"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "a"
	api GET "/v1/segments/$SEG/hosts?reserved=%20T%20"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "b"
	api GET "/v1/segments/$SEG/hosts?reserved=0&on_maintenance=off"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "c"
}

@test "GET hosts with on_maintenance=garbage answers 400" {
	mkseg s1
	api GET "/v1/segments/$SEG/hosts?on_maintenance=garbage"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid value for on_maintenance: Unrecognized value 'garbage', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"
}

@test "GET hosts checks the segment before the boolean filters" {
	api GET "/v1/segments/garbage/hosts?reserved=garbage"
	assert_equal "$code" 404
}

@test "GET hosts checks the limit before the segment" {
	api GET "/v1/segments/garbage/hosts?limit=abc"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input received: limit must be an integer"
}

@test "GET hosts ignores the name and control_attributes filters" {
	mkseg s1
	mkhost "$SEG" a; mkhost "$SEG" b
	api GET "/v1/segments/$SEG/hosts?name=a&control_attributes=nothing"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "b,a"
}

@test "GET hosts honours limit and an id marker" {
	mkseg s1
	mkhost "$SEG" a; mkhost "$SEG" b; mkhost "$SEG" c
	api GET "/v1/segments/$SEG/hosts?limit=1&marker=3"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "b"
}

@test "GET hosts accepts a uuid as marker (divergence 5)" {
	mkseg s1
	mkhost "$SEG" a; mkhost "$SEG" b; local b=$HOST; mkhost "$SEG" c
	api GET "/v1/segments/$SEG/hosts?marker=$b"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "a"
}

@test "GET hosts finds a marker among the hosts of other segments" {
	mkseg s1; local s1=$SEG
	mkhost "$s1" a; mkhost "$s1" b
	mkseg s2
	mkhost "$SEG" x
	api GET "/v1/segments/$s1/hosts?marker=3&sort_key=id&sort_dir=asc"
	assert_equal "$code" 200
	assert_output '{"hosts": []}'
	api GET "/v1/segments/$s1/hosts?marker=$HOST"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "b,a"
}

@test "GET hosts with an unknown marker answers 400" {
	mkseg s1
	api GET "/v1/segments/$SEG/hosts?marker=99"
	assert_equal "$code" 400
	assert_output '{"badRequest": {"code": 400, "message": "Marker 99 could not be found."}}'
}

@test "GET hosts sorts by name ascending" {
	mkseg s1
	mkhost "$SEG" b; mkhost "$SEG" c; mkhost "$SEG" a
	api GET "/v1/segments/$SEG/hosts?sort_key=name&sort_dir=asc"
	assert_equal "$(json '[.hosts[].name] | join(",")')" "a,b,c"
}

@test "GET hosts with sort_key=failover_segment answers 400 (divergence 6)" {
	mkseg s1
	api GET "/v1/segments/$SEG/hosts?sort_key=failover_segment"
	assert_equal "$code" 400
	assert_output "{\"badRequest\": {\"code\": 400, \"message\": \"InvalidSortKey('Sort key supplied is invalid: failover_segment')\"}}"
}

@test "GET hosts with limit=0 answers an empty list before the sort checks" {
	mkseg s1
	mkhost "$SEG" a
	api GET "/v1/segments/$SEG/hosts?limit=0&sort_key=foo"
	assert_equal "$code" 200
	assert_output '{"hosts": []}'
}

@test "GET hosts shows the current segment in every host" {
	mkseg s1
	mkhost "$SEG" a
	api PUT "/v1/segments/$SEG" '{"segment": {"name": "renamed"}}'
	assert_equal "$code" 200
	api GET "/v1/segments/$SEG/hosts"
	assert_equal "$(json '.hosts[0].failover_segment.name')" renamed
}

@test "GET hosts with a member token answers 403" {
	mkseg s1
	TOKEN=$MEMBER_TOKEN api GET "/v1/segments/$SEG/hosts"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:os-hosts:index to be performed."
}

@test "GET /v1/P/segments/S/hosts with the token's project lists hosts" {
	mkseg s1
	mkhost "$SEG" a
	api GET "/v1/$PROJECT/segments/$SEG/hosts"
	assert_equal "$code" 200
	assert_equal "$(json '.hosts | length')" 1
}

@test "DELETE on the hosts collection answers 405 with Allow" {
	mkseg s1
	api DELETE "/v1/segments/$SEG/hosts"
	assert_equal "$code" 405
	assert_header Allow "GET, POST"
	assert_equal "$(json .badMethod.message)" "The request method: 'DELETE' with action: 'delete' is not allowed on this resource"
}
