#!/usr/bin/env bats
# GET /v3[/P]/os-services (SPEC 1.2, 3.6) and hacgi-manage service set,
# remove (SPEC 6).
load helpers
load vol_fixtures

setup() {
	reset_data
	vol_fixture
}

hosts() {
	json '[.services[].host] | join(" ")'
}

svc() {	# svc HOST FILTER: jq FILTER on the service HOST
	json ".services[] | select(.host == \"$1\") | $2"
}

@test "GET os-services lists every service in creation order" {
	vapi GET "$P/os-services"
	assert_equal "$code" 200
	assert_equal "$(hosts)" "h1@lvm h2@lvm n1@lvm n2@lvm h3@ceph bk1 pool@be ctl1 lone@lvm"
	assert_header OpenStack-API-Version "volume 3.0"
}

@test "at 3.0 a cinder-volume service has the replication fields, no cluster" {
	vapi GET "$P/os-services"
	assert_equal "$(svc h1@lvm 'keys_unsorted | join(",")')" \
	    binary,host,zone,status,state,updated_at,disabled_reason,replication_status,active_backend_id,frozen
}

@test "other binaries have no replication fields" {
	vapi GET "$P/os-services"
	assert_equal "$(svc ctl1 'keys_unsorted | join(",")')" binary,host,zone,status,state,updated_at,disabled_reason
	assert_equal "$(svc bk1 'keys_unsorted | join(",")')" binary,host,zone,status,state,updated_at,disabled_reason
}

@test "from 3.7 the cluster follows updated_at" {
	vapi37 GET "$P/os-services"
	assert_equal "$(svc h1@lvm 'keys_unsorted | join(",")')" \
	    binary,host,zone,status,state,updated_at,cluster,disabled_reason,replication_status,active_backend_id,frozen
	assert_equal "$(svc n1@lvm .cluster)" c2
	assert_equal "$(svc ctl1 .cluster)" null
}

@test "from 3.49 cinder-volume services have backend_state (divergence 15)" {
	vapi GET "$P/os-services" "" -H 'OpenStack-API-Version: volume 3.49'
	assert_equal "$(svc h1@lvm 'keys_unsorted | join(",")')" \
	    binary,host,zone,status,state,updated_at,backend_state,cluster,disabled_reason,replication_status,active_backend_id,frozen
	assert_equal "$(svc h1@lvm .backend_state)" up
	assert_equal "$(svc n2@lvm .backend_state)" null
	assert_equal "$(svc ctl1 'has("backend_state")')" false
}

@test "a cinder-volume service shows its cluster's replication fields" {
	vapi GET "$P/os-services"
	assert_equal "$(svc n1@lvm '"\(.replication_status) \(.active_backend_id) \(.frozen)"')" "failed-over b1 true"
	assert_equal "$(svc pool@be .replication_status)" enabled
	assert_equal "$(svc lone@lvm '"\(.replication_status) \(.active_backend_id) \(.frozen)"')" "not-capable null false"
}

@test "state is up within SERVICE_DOWN_TIME of the last heartbeat" {
	vapi GET "$P/os-services"
	assert_equal "$(svc h1@lvm .state)" up
	assert_equal "$(svc n2@lvm .state)" down
	assert_equal "$(svc h3@ceph .zone)" az2
}

@test "a heartbeat far in the future is down here (|now - heartbeat|)" {
	manage service heartbeat --host fut --binary cinder-volume --cluster c2 \
	    --at "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%S)"
	vapi GET "$P/os-services?host=fut"
	assert_equal "$(svc fut .state)" down
	vapi37 GET "$P/clusters/detail?name=c2"
	assert_equal "$(json '.clusters[0] | "\(.state) \(.num_hosts) \(.num_down_hosts)"')" "up 3 1"
}

@test "a service that never heartbeated is judged by created_at; updated_at null" {
	manage service heartbeat --host never1 --binary cinder-volume --at none
	manage service heartbeat --host never2 --binary cinder-volume --at none --created-at 2024-01-01T00:00:00
	vapi GET "$P/os-services?binary=cinder-volume"
	assert_equal "$(svc never1 '"\(.state) \(.updated_at)"')" "up null"
	assert_equal "$(svc never2 '"\(.state) \(.updated_at)"')" "down null"
}

@test "updated_at is the newer of the admin change and the heartbeat" {
	vapi GET "$P/os-services"
	local hb
	hb=$(svc lone@lvm .updated_at)
	[[ $hb > $(ago 60) ]]	# the set of the fixture, not the old heartbeat
	assert_equal "$(svc lone@lvm '"\(.status) \(.disabled_reason) \(.state)"')" "disabled gone down"
	[[ $(svc h1@lvm .updated_at) > $(ago 120) ]]
}

@test "filter host: exact, host level and backend level (SPEC 3.2)" {
	vapi GET "$P/os-services?host=h1"
	assert_equal "$(hosts)" h1@lvm
	vapi GET "$P/os-services?host=pool"
	assert_equal "$(hosts)" pool@be
	vapi GET "$P/os-services?host=h"
	assert_output '{"services": []}'
	vapi GET "$P/os-services?host="
	assert_equal "$(json '.services | length')" 9
}

@test "filter binary: exact; empty matches nothing" {
	vapi GET "$P/os-services?binary=cinder-backup"
	assert_equal "$(hosts)" bk1
	vapi GET "$P/os-services?binary="
	assert_output '{"services": []}'
	vapi GET "$P/os-services?host=h1@lvm&binary=cinder-volume"
	assert_equal "$(hosts)" h1@lvm
}

@test "other query keys are ignored" {
	vapi GET "$P/os-services?cluster=c2&foo=bar&limit=1"
	assert_equal "$code" 200
	assert_equal "$(json '.services | length')" 9
}

@test "os-services works without a project id and with .json" {
	vapi GET /v3/os-services
	assert_equal "$code" 200
	vapi GET "$P/os-services.json"
	assert_equal "$code" 200
	vapi GET "$P/os-services.xml"
	assert_equal "$code" 404
}

@test "os-services needs volume_extension:services:index" {
	TOKEN=$MEMBER_TOKEN vapi GET "$P/os-services"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow volume_extension:services:index to be performed."
	TOKEN=$SERVICE_TOKEN vapi GET "$P/os-services"
	assert_equal "$code" 403
}

@test "os-services for another project's id answers 400" {
	refused 400 badRequest GET /v3/fedcba9876543210fedcba9876543210/os-services
	assert_equal "$(json .badRequest.message)" "Malformed request url"
}

@test "os-services with a JSON body answers 400 generic and changes nothing" {
	refused 400 badRequest GET "$P/os-services" '{"host": "h1"}'
}

@test "os-services with a body over 114688 bytes answers 413" {
	head -c 114689 /dev/zero | tr '\0' a > "$BATS_TEST_TMPDIR/big"
	refused 413 "" GET "$P/os-services" "@$BATS_TEST_TMPDIR/big"
}

@test "other methods on os-services are no route" {
	refused 404 "" POST "$P/os-services" '{}'
	refused 404 "" PUT "$P/os-services" '{"host": "h1@lvm"}'
}

@test "an empty data directory lists no services" {
	reset_data
	vapi GET "$P/os-services"
	assert_output '{"services": []}'
}

@test "hacgi-manage service set --enabled clears the reason and stamps the change" {
	run manage service set --host lone@lvm --binary cinder-volume --enabled
	assert_success
	vapi GET "$P/os-services?host=lone@lvm"
	assert_equal "$(svc lone@lvm '"\(.status) \(.disabled_reason)"')" "enabled null"
}

@test "hacgi-manage service set refuses an unknown service and bad options" {
	run manage service set --host nope --binary cinder-volume --disabled
	assert_failure
	assert_output --partial 'no such service'
	run manage service set --host h1@lvm --binary cinder-volume
	assert_failure
	run manage service set --host h1@lvm --binary cinder-volume --enabled --reason x
	assert_failure
}

@test "hacgi-manage service remove drops the service from lists and counts" {
	run manage service remove --host h2@lvm --binary cinder-volume
	assert_success
	vapi GET "$P/os-services"
	refute_output --partial '"h2@lvm"'
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$(json .cluster.num_hosts)" 1
	run manage service remove --host h2@lvm --binary cinder-volume
	assert_failure
}
