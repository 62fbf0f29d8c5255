#!/usr/bin/env bats
# GET /v3[/P]/clusters and /clusters/detail: views, filters, microversion
# gating, project ids, policy and bad input (SPEC 3.2, 3.3).
load helpers
load vol_fixtures

setup() {
	reset_data
	vol_fixture
}

names() {
	json '[.clusters[] | .name + "/" + .binary] | join(" ")'
}

@test "GET clusters at 3.7 lists every cluster in creation order, summary view" {
	vapi37 GET "$P/clusters"
	assert_equal "$code" 200
	assert_equal "$(names)" "c1@lvm/cinder-volume c2/cinder-volume c3@ceph/cinder-volume empty@nfs/cinder-volume c1@lvm/cinder-backup pool@be#p1/cinder-volume"
	assert_equal "$(json '.clusters[0] | keys_unsorted | join(",")')" name,binary,state,status
	assert_header OpenStack-API-Version "volume 3.7"
	assert_header Content-Type application/json
}

@test "GET clusters shows state and status as derived at request time" {
	vapi37 GET "$P/clusters"
	assert_equal "$(json '[.clusters[] | .state + ":" + .status] | join(" ")')" \
	    "up:enabled up:enabled up:disabled down:enabled up:enabled up:enabled"
}

@test "GET clusters at 3.26 adds replication_status" {
	vapi326 GET "$P/clusters"
	assert_equal "$code" 200
	assert_equal "$(json '.clusters[1] | keys_unsorted | join(",")')" name,binary,state,status,replication_status
	assert_equal "$(json '.clusters[1].replication_status')" failed-over
}

@test "GET clusters without a microversion answers the JSON 404" {
	vapi GET "$P/clusters"
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
	assert_header OpenStack-API-Version "volume 3.0"
}

@test "GET clusters at 3.6 answers the JSON 404" {
	vapi GET "$P/clusters/detail" "" -H 'OpenStack-API-Version: volume 3.6'
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "The resource could not be found."
}

@test "GET clusters at 3.71 answers 406" {
	vapi GET "$P/clusters" "" -H 'OpenStack-API-Version: volume 3.71'
	assert_equal "$code" 406
	assert_equal "$(json .computeFault.message)" "Version 3.71 is not supported by the API. Minimum is 3.0 and maximum is 3.70."
}

@test "GET clusters/detail shows host counts, heartbeat and times" {
	vapi37 GET "$P/clusters/detail"
	assert_equal "$code" 200
	assert_equal "$(json '.clusters[1] | keys_unsorted | join(",")')" \
	    name,binary,state,status,num_hosts,num_down_hosts,last_heartbeat,created_at,updated_at,disabled_reason
	assert_equal "$(json '[.clusters[] | "\(.num_hosts)/\(.num_down_hosts)"] | join(" ")')" "2/0 2/1 1/0 0/0 1/0 1/0"
	assert_equal "$(json '.clusters[1].created_at')" 2024-01-02T10:00:00.000000
	assert_equal "$(json '.clusters[1].updated_at')" 2024-03-01T08:30:00.000000
	assert_equal "$(json '.clusters[2].disabled_reason')" maint
	[[ $(json '.clusters[0].last_heartbeat') =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}$ ]]
}

@test "GET clusters/detail writes missing times as empty strings" {
	vapi37 GET "$P/clusters/detail?name=empty@nfs"
	assert_equal "$(json '.clusters[0].last_heartbeat')" ""
	assert_equal "$(json '.clusters[0].updated_at')" ""
	assert_equal "$(json '.clusters[0].state')" down
}

@test "GET clusters/detail counts only the members of the cluster's own binary" {
	vapi37 GET "$P/clusters/detail?name=c1@lvm"
	assert_equal "$(json '[.clusters[] | "\(.binary)=\(.num_hosts)"] | join(" ")')" "cinder-volume=2 cinder-backup=1"
}

@test "GET clusters/detail at 3.26 adds the replication fields" {
	vapi326 GET "$P/clusters/detail?name=c2"
	assert_equal "$(json '.clusters[0] | [.replication_status, .frozen, .active_backend_id] | map(tostring) | join(" ")')" "failed-over true b1"
	assert_equal "$(json '.clusters[0] | keys_unsorted | .[-3:] | join(",")')" replication_status,frozen,active_backend_id
}

@test "filter name: exact, host level and backend level (SPEC 3.2)" {
	vapi37 GET "$P/clusters?name=c1"
	assert_equal "$(names)" "c1@lvm/cinder-volume c1@lvm/cinder-backup"
	vapi37 GET "$P/clusters?name=pool@be"
	assert_equal "$(names)" "pool@be#p1/cinder-volume"
	vapi37 GET "$P/clusters?name=pool"
	assert_equal "$(names)" "pool@be#p1/cinder-volume"
	vapi37 GET "$P/clusters?name=pool@be%23p1"
	assert_equal "$(names)" "pool@be#p1/cinder-volume"
}

@test "filter name: a prefix that is not a host or backend level matches nothing" {
	vapi37 GET "$P/clusters?name=c"
	assert_equal "$code" 200
	assert_output '{"clusters": []}'
}

@test "filter name: % and _ are literal and matching is case-sensitive (divergence 10)" {
	vapi37 GET "$P/clusters?name=%25"
	assert_output '{"clusters": []}'
	vapi37 GET "$P/clusters?name=c_"
	assert_output '{"clusters": []}'
	vapi37 GET "$P/clusters?name=C1"
	assert_output '{"clusters": []}'
}

@test "filter name: an empty value is no filter" {
	vapi37 GET "$P/clusters?name="
	assert_equal "$(json '.clusters | length')" 6
}

@test "filter binary: exact; empty matches nothing; the last value wins" {
	vapi37 GET "$P/clusters?binary=cinder-backup"
	assert_equal "$(names)" "c1@lvm/cinder-backup"
	vapi37 GET "$P/clusters?binary="
	assert_output '{"clusters": []}'
	vapi37 GET "$P/clusters?binary=cinder-backup&binary=nope"
	assert_output '{"clusters": []}'
}

@test "filter is_up and disabled accept every oslo boolean spelling" {
	vapi37 GET "$P/clusters?is_up=No"
	assert_equal "$(names)" "empty@nfs/cinder-volume"
	vapi37 GET "$P/clusters?disabled=ON"
	assert_equal "$(names)" "c3@ceph/cinder-volume"
	vapi37 GET "$P/clusters?disabled=0&is_up=t"
	assert_equal "$(json '.clusters | length')" 4
}

@test "filter num_hosts and num_down_hosts compare numbers (divergence 11)" {
	vapi37 GET "$P/clusters?num_hosts=2"
	assert_equal "$(names)" "c1@lvm/cinder-volume c2/cinder-volume"
	vapi37 GET "$P/clusters?num_down_hosts=%201%20"
	assert_equal "$(names)" "c2/cinder-volume"
	vapi37 GET "$P/clusters?num_hosts=%2B0"
	assert_equal "$(names)" "empty@nfs/cinder-volume"
	vapi37 GET "$P/clusters?num_hosts=99999999999999999999999"
	assert_output '{"clusters": []}'
}

@test "filter frozen, replication_status and active_backend_id at 3.26" {
	vapi326 GET "$P/clusters?frozen=true"
	assert_equal "$(names)" "c2/cinder-volume"
	vapi326 GET "$P/clusters?replication_status=enabled"
	assert_equal "$(names)" "pool@be#p1/cinder-volume"
	vapi326 GET "$P/clusters?active_backend_id=b1"
	assert_equal "$(names)" "c2/cinder-volume"
	vapi326 GET "$P/clusters?active_backend_id="
	assert_output '{"clusters": []}'
}

@test "the replication filters are unknown keys below 3.26" {
	vapi37 GET "$P/clusters?frozen=true"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input received: Invalid filter keys: frozen"
}

@test "unknown filter keys answer 400 naming them once, in order" {
	vapi37 GET "$P/clusters/detail?limit=1&name=c2&sort=name&limit=2&Name=x"
	assert_equal "$code" 400
	assert_output '{"badRequest": {"code": 400, "message": "Invalid input received: Invalid filter keys: limit, sort, Name"}}'
}

@test "a bad boolean answers 400 with the raw value" {
	vapi37 GET "$P/clusters?is_up=%20true"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Value ' true' for 'is_up' is not a boolean."
	vapi37 GET "$P/clusters?is_up"
	assert_equal "$(json .badRequest.message)" "Value '' for 'is_up' is not a boolean."
}

@test "disabled is checked before is_up, keys before values" {
	vapi37 GET "$P/clusters?is_up=x&disabled=zz"
	assert_equal "$(json .badRequest.message)" "Value 'zz' for 'disabled' is not a boolean."
	vapi37 GET "$P/clusters?is_up=x&foo=1"
	assert_equal "$(json .badRequest.message)" "Invalid input received: Invalid filter keys: foo"
}

@test "a bad integer answers 400; a negative one too" {
	vapi37 GET "$P/clusters?num_hosts=1.0"
	assert_equal "$(json .badRequest.message)" "num_hosts must be an integer"
	vapi37 GET "$P/clusters?num_down_hosts="
	assert_equal "$(json .badRequest.message)" "num_down_hosts must be an integer"
	vapi37 GET "$P/clusters?num_hosts=-1"
	assert_equal "$(json .badRequest.message)" "num_hosts must be >= 0"
}

@test "query values are UTF-8 and + is a space" {
	vapi37 GET "$P/clusters?name=%C3%A9t%C3%A9"
	assert_output '{"clusters": []}'
	vapi37 GET "$P/clusters?name=%FF"
	assert_output '{"clusters": []}'
	vapi37 GET "$P/clusters?name=a+b"
	assert_output '{"clusters": []}'
}

@test "the routes also exist without a project id" {
	vapi37 GET /v3/clusters/detail
	assert_equal "$code" 200
	assert_equal "$(json '.clusters | length')" 6
	vapi37 GET /v3//clusters
	assert_equal "$code" 200
}

@test "another project's id answers 400 Malformed request url" {
	vapi37 GET /v3/fedcba9876543210fedcba9876543210/clusters
	assert_equal "$code" 400
	assert_output '{"badRequest": {"code": 400, "message": "Malformed request url"}}'
}

@test "a project id that is not lower-case hex is no route: text 404" {
	vapi37 GET /v3/0123456789ABCDEF0123456789ABCDEF/clusters "" -H 'Accept:'
	assert_equal "$code" 404
	assert_header Content-Type 'text/plain; charset=UTF-8'
}

@test ".json is stripped, .xml and a trailing slash are no route" {
	vapi37 GET "$P/clusters.json"
	assert_equal "$code" 200
	vapi37 GET "$P/clusters/detail.json"
	assert_equal "$code" 200
	assert_equal "$(json '.clusters[0].num_hosts')" 2
	vapi37 GET "$P/clusters.xml"
	assert_equal "$code" 404
	vapi37 GET "$P/clusters/"
	assert_equal "$code" 404
	vapi37 GET "$P/clusters/detail/"
	assert_equal "$code" 404
}

@test "Accept preferring the vnd type gets the vnd Content-Type" {
	vapi37 GET "$P/clusters" "" -H 'Accept: application/vnd.openstack.volume+json'
	assert_equal "$code" 200
	assert_header Content-Type application/vnd.openstack.volume+json
}

@test "a member token is refused by clusters:get_all" {
	TOKEN=$MEMBER_TOKEN vapi37 GET "$P/clusters/detail"
	assert_equal "$code" 403
	assert_output '{"forbidden": {"code": 403, "message": "Policy doesn'"'"'t allow clusters:get_all to be performed."}}'
}

@test "a policy file can grant clusters:get_all to members" {
	printf '{"clusters:get_all": ["member"]}' > "$DATA_DIR/policy.json"
	TOKEN=$MEMBER_TOKEN vapi37 GET "$P/clusters"
	assert_equal "$code" 200
}

@test "no token answers the keystone 401" {
	TOKEN= vapi37 GET "$P/clusters"
	assert_equal "$code" 401
	refute_header OpenStack-API-Version
}

@test "POST clusters is routed but unimplemented: JSON 404" {
	refused 404 itemNotFound POST "$P/clusters" '{"cluster": {"name": "x"}}'
	assert_equal "$(json .itemNotFound.message)" "The resource could not be found."
}

@test "PUT and DELETE on the collection are no route" {
	refused 404 "" PUT "$P/clusters" '{"name": "c2"}'
	refused 404 "" DELETE "$P/clusters"
}

@test "a JSON body on GET answers 400 generic and changes nothing" {
	refused 400 badRequest GET "$P/clusters" '{"name": "c2"}'
	assert_equal "$(json .badRequest.message)" "The server could not comply with the request since it is either malformed or otherwise incorrect."
}

@test "a non-JSON body on GET answers 400 Malformed request body" {
	refused 400 badRequest GET "$P/clusters/detail" 'name=c2'
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "invalid UTF-8 in a body answers 400 Malformed request body" {
	refused 400 badRequest GET "$P/clusters" "$(printf '{"name": "\xff"}')"
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "a body with an unsupported Content-Type answers 415" {
	CTYPE=text/plain refused 415 badMediaType GET "$P/clusters" '{}'
}

@test "a body over 114688 bytes answers the 413 page, even without token" {
	head -c 200000 /dev/zero | tr '\0' ' ' > "$BATS_TEST_TMPDIR/big"
	TOKEN= refused 413 "" GET "$P/clusters" "@$BATS_TEST_TMPDIR/big"
	assert_output --partial 'max_request_body_size (114688)'
}

@test "lists read nothing but the journals: a corrupt journal is a 500" {
	printf 'garbage\n' >> "$DATA_DIR/vol/clusters.log"
	vapi37 GET "$P/clusters"
	assert_equal "$code" 500
	assert_equal "$(json .computeFault.message)" "The server has either erred or is incapable of performing the requested operation."
}

@test "a torn last journal line (a crash) is ignored by readers" {
	printf '{"seq": 99, "name": "torn' >> "$DATA_DIR/vol/clusters.log"
	vapi37 GET "$P/clusters"
	assert_equal "$code" 200
	assert_equal "$(json '.clusters | length')" 6
}

@test "an empty data directory lists no clusters" {
	reset_data
	vapi37 GET "$P/clusters/detail"
	assert_equal "$code" 200
	assert_output '{"clusters": []}'
}
