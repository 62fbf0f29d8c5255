#!/usr/bin/env bats
# /v1/segments: list and create (SPEC 4.2, 4.4).
load helpers

seg() {	# seg NAME [RECOVERY [EXTRA-JSON [CURL-ARGS...]]]
	local n=$1 r=${2:-auto} x=${3-}
	shift $(($# < 3 ? $# : 3))
	api POST /v1/segments "{\"segment\": {\"name\": \"$n\", \"recovery_method\": \"$r\", \"service_type\": \"COMPUTE\"${x:+, $x}}}" "$@"
}

@test "POST /v1/segments creates a segment and answers 201 with its view" {
	seg seg1
	assert_equal "$code" 201
	assert_equal "$(json '.segment.name')" seg1
	assert_equal "$(json '.segment.id')" 1
	assert_equal "$(json '.segment.enabled')" true
	assert_equal "$(json '.segment.description')" null
	assert_equal "$(json '.segment.updated_at')" null
	assert_equal "$(json '.segment | keys_unsorted | join(",")')" \
	    "id,uuid,name,service_type,enabled,description,recovery_method,created_at,updated_at,deleted_at,deleted"
	[[ $(json '.segment.uuid') =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
	[[ $(json '.segment.created_at') =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000000$ ]]
	assert_header OpenStack-API-Version "masakari 1.0"
	assert_header Content-Type application/json
}

@test "POST /v1/segments writes JSON the way Python json.dumps does" {
	seg seg1
	assert_output --partial '{"segment": {"id": 1, "uuid": "'
	assert_output --partial '"deleted_at": null, "deleted": false}}'
}

@test "POST /v1/segments with a name already used answers 409 conflictingRequest" {
	seg dup
	seg dup
	assert_equal "$code" 409
	assert_output '{"conflictingRequest": {"code": 409, "message": "Failover segment with name dup already exists."}}'
	assert_header Content-Type "application/json; charset=UTF-8"
	assert_header OpenStack-API-Version "instance-ha 1.0"
}

@test "POST /v1/segments takes enabled only at microversion 1.2" {
	seg s12 auto '"enabled": false' -H 'OpenStack-API-Version: instance-ha 1.2'
	assert_equal "$code" 201
	assert_equal "$(json '.segment.enabled')" false
	assert_header OpenStack-API-Version "masakari 1.2"
	seg s10 auto '"enabled": false'
	assert_equal "$code" 400
	assert_equal "$(json '.badRequest.message')" "Invalid input for field/attribute segment. Value: {'name': 's10', 'recovery_method': 'auto', 'service_type': 'COMPUTE', 'enabled': False}. Additional properties are not allowed ('enabled' was unexpected)"
}

@test "POST /v1/segments without a name answers 400 with the schema message" {
	api POST /v1/segments '{"segment": {"recovery_method": "auto", "service_type": "COMPUTE"}}'
	assert_equal "$code" 400
	assert_output "{\"badRequest\": {\"code\": 400, \"message\": \"Invalid input for field/attribute segment. Value: {'recovery_method': 'auto', 'service_type': 'COMPUTE'}. 'name' is a required property\"}}"
}

@test "POST /v1/segments with an unknown recovery_method answers 400" {
	seg s1 magic
	assert_equal "$code" 400
	assert_equal "$(json '.badRequest.message')" "Invalid input for field/attribute recovery_method. Value: magic. 'magic' is not one of ['auto', 'reserved_host', 'auto_priority', 'rh_priority']"
}

@test "GET /v1/segments lists newest first" {
	seg a; seg b; seg c
	api GET /v1/segments
	assert_equal "$code" 200
	assert_equal "$(json '[.segments[].name] | join(",")')" "c,b,a"
}

@test "GET /v1/segments honours limit and marker" {
	seg a; seg b; seg c
	api GET '/v1/segments?limit=1&marker=3'
	assert_equal "$(json '[.segments[].name] | join(",")')" "b"
}

@test "GET /v1/segments accepts a uuid as marker (divergence 5)" {
	seg a; seg b; local u; u=$(json .segment.uuid); seg c
	api GET "/v1/segments?marker=$u"
	assert_equal "$(json '[.segments[].name] | join(",")')" "a"
}

@test "GET /v1/segments sorts by name ascending" {
	seg b; seg c; seg a
	api GET '/v1/segments?sort_key=name&sort_dir=asc'
	assert_equal "$(json '[.segments[].name] | join(",")')" "a,b,c"
}

@test "GET /v1/segments filters by recovery_method" {
	seg a auto; seg b reserved_host
	api GET '/v1/segments?recovery_method=reserved_host'
	assert_equal "$(json '[.segments[].name] | join(",")')" "b"
}

@test "GET /v1/segments filters by enabled with boolean spellings (divergence 4)" {
	seg a auto '"enabled": false' -H 'OpenStack-API-Version: instance-ha 1.2'
	seg b auto '' -H 'OpenStack-API-Version: instance-ha 1.2'
	api GET '/v1/segments?enabled=false'
	assert_equal "$(json '[.segments[].name] | join(",")')" "a"
	api GET '/v1/segments?enabled=1'
	assert_equal "$(json '[.segments[].name] | join(",")')" "b"
	api GET '/v1/segments?enabled=maybe'
	assert_equal "$(json '.segments | length')" 0
}

@test "GET /v1/segments with limit=abc answers 400" {
	api GET '/v1/segments?limit=abc'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input received: limit must be an integer"
}

@test "GET /v1/segments with limit=-1 answers 400" {
	api GET '/v1/segments?limit=-1'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input received: limit must be >= 0"
}

@test "GET /v1/segments with an unknown marker answers 400" {
	api GET '/v1/segments?marker=99'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Marker 99 could not be found."
}

@test "GET /v1/segments with a bad sort key answers 400 InvalidSortKey" {
	seg a
	api GET '/v1/segments?sort_key=bogus'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "InvalidSortKey('Sort key supplied is invalid: bogus')"
}

@test "GET /v1/segments with a bad sort direction answers 400" {
	api GET '/v1/segments?sort_key=name&sort_dir=up'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input received: Unknown sort direction, must be 'asc' or 'desc'"
}

@test "GET /v1/segments with limit=0 answers an empty list before other checks" {
	api GET '/v1/segments?limit=0&sort_key=bogus'
	assert_equal "$code" 200
	assert_output '{"segments": []}'
}

@test "GET /v1/segments prefers the vnd media type when Accept asks for it" {
	api GET /v1/segments '' -H 'Accept: application/vnd.openstack.masakari+json'
	assert_header Content-Type application/vnd.openstack.masakari+json
}

@test "PUT /v1/segments answers 405 with Allow" {
	api PUT /v1/segments '{"segment": {"name": "x"}}'
	assert_equal "$code" 405
	assert_header Allow "GET, POST"
	assert_equal "$(json .badMethod.message)" "The request method: 'PUT' with action: 'update' is not allowed on this resource"
}

@test "GET /v1/segments without a token answers 401" {
	TOKEN= api GET /v1/segments
	assert_equal "$code" 401
	assert_output '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}'
	[[ $(header WWW-Authenticate) == 'Keystone uri="http://127.0.0.1:'* ]]
	refute_header OpenStack-API-Version
}

@test "GET /v1/segments with a member token answers 403" {
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	assert_equal "$code" 403
	assert_output '{"forbidden": {"code": 403, "message": "Policy doesn'"'"'t allow os_masakari_api:segments:index to be performed."}}'
}

@test "a policy file can open segment listing to members" {
	echo '{"os_masakari_api:segments:index": ["member"]}' > "$DATA_DIR/policy.json"
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	assert_equal "$code" 200
}

@test "GET /v1/P/segments with another project answers 400" {
	api GET /v1/abcdef/segments
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Malformed request URL: URL's project_id 'abcdef' doesn't match Context's project_id '$PROJECT'"
}

@test "GET /v1/P/segments with the token's project lists segments" {
	seg a
	api GET "/v1/$PROJECT/segments"
	assert_equal "$code" 200
	assert_equal "$(json '.segments[0].name')" a
}

@test "GET /v1/segments.json lists segments" {
	seg a
	api GET /v1/segments.json
	assert_equal "$code" 200
	assert_equal "$(json '.segments[0].name')" a
}

@test "sixteen concurrent creates of one name give one 201 and fifteen 409" {
	local i
	for i in $(seq 16); do
		curl -s -o /dev/null -w '%{http_code}\n' -X POST \
		    -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
		    -d '{"segment": {"name": "race", "recovery_method": "auto", "service_type": "COMPUTE"}}' \
		    "$HA_URL/v1/segments" > "$BATS_TEST_TMPDIR/code.$i" &
	done
	wait
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/code.* | grep -c 201)" 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/code.* | grep -c 409)" 15
	api GET /v1/segments
	assert_equal "$(json '.segments | length')" 1
	assert_equal "$(ls "$DATA_DIR/ha/segments" | wc -l)" 1
}

# ids: the ids of the last answer's segments, one line
ids() {
	json '[.segments[].id] | map(tostring) | join(" ")'
}

@test "deleted segments' index pages go: a list walks none of them, in either order" {
	local d=$DATA_DIR/ha/index/segments id
	declare -A uuid
	manage segment populate --prefix p- --count 400 >/dev/null
	api GET '/v1/segments?limit=1000'
	while read -r id u; do uuid[$id]=$u; done < <(json '.segments[] | "\(.id) \(.uuid)"')
	# ids 1-400 fill pages 0-6 (64 ids each); pages 1-2 empty highest id
	# first, pages 4-5 lowest first
	for id in $(seq 191 -1 64) $(seq 256 383); do
		api DELETE "/v1/segments/${uuid[$id]}"
		assert_equal "$code" 204
	done
	assert_file_not_exists "$d/1.json"
	assert_file_not_exists "$d/2.json"
	assert_file_not_exists "$d/4.json"
	assert_file_not_exists "$d/5.json"
	assert_equal "$(jq -c '[.prev, .next]' "$d/6.json")" '[3,null]'
	assert_equal "$(jq -c '[.prev, .next]' "$d/3.json")" '[0,6]'
	assert_equal "$(jq -c '[.prev, .next]' "$d/0.json")" '[null,3]'
	api GET '/v1/segments?limit=1000'
	assert_equal "$(ids)" "$(seq -s ' ' 400 -1 384) $(seq -s ' ' 255 -1 192) $(seq -s ' ' 63 -1 1)"
	# pages of 50 across the gaps, by marker
	api GET "/v1/segments?limit=50&marker=${uuid[384]}"
	assert_equal "$(ids)" "$(seq -s ' ' 255 -1 206)"
	api GET "/v1/segments?limit=50&marker=${uuid[192]}"
	assert_equal "$(ids)" "$(seq -s ' ' 63 -1 14)"
	run manage fsck
	assert_success
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "an emptied index page from before the next links stays a link of the chain" {
	local d=$DATA_DIR/ha/index/segments id p
	declare -A uuid
	manage segment populate --prefix p- --count 200 >/dev/null
	for p in "$d"/[0-9]*.json; do
		jq -c 'del(.next)' "$p" > "$BATS_TEST_TMPDIR/p"
		cat "$BATS_TEST_TMPDIR/p" > "$p"
	done
	api GET '/v1/segments?limit=1000'
	while read -r id u; do uuid[$id]=$u; done < <(json '.segments[] | "\(.id) \(.uuid)"')
	for id in $(seq 64 127); do
		api DELETE "/v1/segments/${uuid[$id]}"
		assert_equal "$code" 204
	done
	assert_equal "$(jq -c '[.prev, .rows]' "$d/1.json")" '[0,[]]'
	api GET '/v1/segments?limit=1000'
	assert_equal "$(ids)" "$(seq -s ' ' 200 -1 128) $(seq -s ' ' 63 -1 1)"
	run manage fsck
	assert_success
}
