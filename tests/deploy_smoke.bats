#!/usr/bin/env bats
# Deployment smoke test: every program once on its happy path, the faults
# a web server could spoil (401, 405 + Allow, 404, 413, a %2F or %40 in a
# name), the headers it must pass (X-Auth-Token, OpenStack-API-Version),
# the .json suffixes, and the real clients' commands from README.md.
#
# Server-neutral: tests/run.sh runs it against lighttpd, again against
# Apache (HACGI_SERVER_KIND=apache), and tests/deploy_install.bats runs it
# against a `make install` tree (HACGI_CGI_BIN, HACGI_MANAGE).
load helpers

P=0123456789abcdef0123456789abcdef

# os ARGS: the openstack CLI on the Instance-HA API, as README.md shows.
os() {
	run openstack --os-auth-type admin_token --os-token "$TOKEN" \
	    --os-endpoint "$HA_URL/v1" "$@"
}

# cinder_cli ARGS: the cinder CLI on the Volume API, as README.md shows.
cinder_cli() {
	run cinder --os-auth-type admin_token --os-token "$TOKEN" \
	    --os-endpoint "$VOLUME_URL/v3/$PROJECT" --os-project-id "$PROJECT" \
	    --os-volume-api-version 3.7 "$@"
}

seg_body() {
	printf '{"segment": {"name": "%s", "recovery_method": "auto", "service_type": "COMPUTE"}}' "$1"
}

@test "the Instance-HA version document at / needs no token" {
	TOKEN= api GET /
	assert_equal "$code" 200
	assert_equal "$(json '.versions[0].links[0].href')" "$HA_URL/v1/"
}

@test "the Volume version list at / is a 300 naming this server" {
	TOKEN= vapi GET /
	assert_equal "$code" 300
	assert_equal "$(json '.versions[0].links[1].href')" "$VOLUME_URL/v3/"
}

@test "/healthcheck answers OK and /v3 redirects to /v3/" {
	TOKEN= vapi GET /healthcheck
	assert_equal "$code" 200
	assert_output OK
	vapi GET /v3
	assert_equal "$code" 302
	assert_header Location "$VOLUME_URL/v3/"
}

@test "X-Auth-Token reaches the programs: none is a 401, a member's a 403" {
	TOKEN= api GET /v1/segments
	assert_equal "$code" 401
	assert_header WWW-Authenticate "Keystone uri=\"$HA_URL/\""
	TOKEN=$MEMBER_TOKEN api GET /v1/segments
	assert_equal "$code" 403
	TOKEN= vapi GET /v3/clusters
	assert_equal "$code" 401
}

@test "OpenStack-API-Version reaches the programs and is echoed" {
	api GET /v1/segments '' -H 'OpenStack-API-Version: instance-ha 1.2'
	assert_equal "$code" 200
	assert_header OpenStack-API-Version 'masakari 1.2'	# SPEC 2.4 quirk
	vapi GET /v3/clusters '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_header OpenStack-API-Version 'volume 3.7'
	vapi GET /v3/clusters '' -H 'OpenStack-API-Version: volume 9.9'
	assert_equal "$code" 406
}

@test "a segment is created, listed, shown, updated and deleted" {
	api POST /v1/segments "$(seg_body seg1)"
	assert_equal "$code" 201
	local id
	id=$(json .segment.uuid)
	api GET /v1/segments
	assert_equal "$(json '.segments[0].uuid')" "$id"
	api GET "/v1/segments/$id"
	assert_equal "$code" 200
	api PUT "/v1/segments/$id" '{"segment": {"description": "d"}}'
	assert_equal "$code" 200
	assert_equal "$(json .segment.description)" d
	api DELETE "/v1/segments/$id"
	assert_equal "$code" 204
	api GET "/v1/segments/$id"
	assert_equal "$code" 404
}

@test "a host is created, listed, shown, updated and deleted" {
	api POST /v1/segments "$(seg_body seg1)"
	local seg host
	seg=$(json .segment.uuid)
	api POST "/v1/segments/$seg/hosts" \
	    '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	assert_equal "$code" 201
	host=$(json .host.uuid)
	api GET "/v1/segments/$seg/hosts"
	assert_equal "$(json '.hosts[0].name')" compute-1
	api GET "/v1/segments/$seg/hosts/$host"
	assert_equal "$code" 200
	api PUT "/v1/segments/$seg/hosts/$host" '{"host": {"reserved": true}}'
	assert_equal "$(json .host.reserved)" true
	api DELETE "/v1/segments/$seg/hosts/$host"
	assert_equal "$code" 204
}

@test "a notification is created, listed and shown" {
	api POST /v1/segments "$(seg_body seg1)"
	api POST "/v1/segments/$(json .segment.uuid)/hosts" \
	    '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	api POST /v1/notifications '{"notification": {"type": "COMPUTE_HOST", "hostname": "compute-1", "generated_time": "2024-01-01T00:00:00", "payload": {"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"}}}'
	assert_equal "$code" 202
	local id
	id=$(json .notification.notification_uuid)
	api GET /v1/notifications
	assert_equal "$(json '.notifications[0].notification_uuid')" "$id"
	api GET "/v1/notifications/$id"
	assert_equal "$code" 200
	assert_equal "$(json .notification.status)" new
}

@test "the .json suffix and the project id in the path list the same" {
	api POST /v1/segments "$(seg_body seg1)"
	api GET /v1/segments
	local plain=$output
	api GET /v1/segments.json
	assert_equal "$output" "$plain"
	api GET "/v1/$P/segments"
	assert_equal "$output" "$plain"
	vapi GET /v3/clusters.json '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	vapi GET "/v3/$P/os-services.json"
	assert_equal "$code" 200
}

@test "an unserved method on a known path is a JSON 405 with Allow" {
	api DELETE /v1/segments
	assert_equal "$code" 405
	assert_header Allow 'GET, POST'
	assert_equal "$(json .badMethod.code)" 405
}

@test "OPTIONS reaches the programs: 200 with Allow" {
	api OPTIONS /v1/segments
	assert_equal "$code" 200
	assert_header Allow 'GET, POST'
}

@test "HEAD under /v1 is a 405 without a body" {
	api HEAD /v1/segments
	assert_equal "$code" 405
	assert_output ''
}

@test "an unknown path is a JSON 404 (Instance-HA) or a text 404 (Volume)" {
	api GET /v1/nothing-here
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.code)" 404
	vapi GET /v3/nothing-here '' -H 'Accept: application/json'
	assert_equal "$code" 404
	assert_equal "$(json .code)" '404 Not Found'
}

@test "a %2F in a name reaches the programs, not the web server's 404 page" {
	api GET /v1/segments/a%2Fb
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.code)" 404
	vapi GET "/v3/$P/clusters/a%2fb" '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 404
	assert_header Content-Type 'text/html; charset=UTF-8'
	assert_output --partial 'The resource could not be found.'
}

@test "a cluster named cluster1@lvm is shown, disabled and enabled through %40" {
	manage service heartbeat --host host1@lvm --binary cinder-volume \
	    --cluster cluster1@lvm
	vapi GET "/v3/$P/clusters/cluster1%40lvm" '' \
	    -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_equal "$(json .cluster.name)" cluster1@lvm
	assert_equal "$(json .cluster.num_hosts)" 1
	vapi PUT "/v3/$P/clusters/disable" \
	    '{"name": "cluster1@lvm", "disabled_reason": "maintenance"}' \
	    -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_equal "$(json .cluster.status)" disabled
	vapi PUT "/v3/$P/clusters/enable.json" '{"name": "cluster1@lvm"}' \
	    -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_equal "$(json .cluster.status)" enabled
}

@test "clusters list and detail at 3.7; below 3.7 they do not exist" {
	manage service heartbeat --host host1@lvm --binary cinder-volume \
	    --cluster cluster1@lvm
	vapi GET "/v3/$P/clusters" '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$output" '{"clusters": [{"name": "cluster1@lvm", "binary": "cinder-volume", "state": "up", "status": "enabled"}]}'
	vapi GET "/v3/$P/clusters/detail" '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$(json '.clusters[0].num_hosts')" 1
	vapi GET "/v3/$P/clusters" '' -H 'OpenStack-API-Version: volume 3.6'
	assert_equal "$code" 404
}

@test "a heartbeat creates a service that os-services lists as up" {
	TOKEN=$SERVICE_TOKEN vapi PUT "/v3/$P/os-hacgi-heartbeat" \
	    '{"service": {"host": "host2@lvm", "binary": "cinder-volume", "cluster": "cluster2"}}'
	assert_equal "$code" 200
	vapi GET "/v3/$P/os-services" '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_equal "$(json '.services[0].host')" host2@lvm
	assert_equal "$(json '.services[0].state')" up
	assert_equal "$(json '.services[0].cluster')" cluster2
}

@test "os-services actions disable a service and freeze its cluster through %40 and .json" {
	TOKEN=$SERVICE_TOKEN vapi PUT "/v3/$P/os-hacgi-heartbeat" \
	    '{"service": {"host": "host3@lvm", "binary": "cinder-volume", "cluster": "cluster3"}}'
	vapi PUT "/v3/$P/os-services/disable-log-reason" \
	    '{"host": "host3@lvm", "binary": "cinder-volume", "disabled_reason": "r"}'
	assert_equal "$code" 200
	vapi GET "/v3/$P/os-services?host=host3%40lvm"
	assert_equal "$(json '.services[0] | .status + " " + .disabled_reason')" "disabled r"
	vapi PUT "/v3/$P/os-services/freeze.json" '{"host": "host3@lvm"}'
	assert_equal "$code" 200
	vapi GET "/v3/$P/clusters/cluster3" '' -H 'OpenStack-API-Version: volume 3.26'
	assert_equal "$(json .cluster.frozen)" true
	vapi PUT "/v3/$P/os-services/failover_host" '{"host": "host3@lvm"}'
	assert_equal "$code" 400
}

@test "a body over 114688 bytes gets the programs' own 413 on both APIs" {
	head -c 200000 /dev/zero | tr '\0' x > "$BATS_TEST_TMPDIR/big"
	api POST /v1/segments "@$BATS_TEST_TMPDIR/big"
	assert_equal "$code" 413
	assert_output --partial 'Request Entity Too Large'
	vapi PUT "/v3/$P/clusters/enable" "@$BATS_TEST_TMPDIR/big"
	assert_equal "$code" 413
	assert_output --partial 'Request Entity Too Large'
}

@test "neither the binaries nor the data directory are ever served" {
	api GET /cgi-bin/ha-root
	assert_equal "$code" 300
	api GET "$DATA_DIR/tokens.json"
	refute_output --partial admin
	vapi GET "$DATA_DIR/tokens.json"
	assert_equal "$code" 404
	vapi GET /vol-root
	assert_equal "$code" 404
}

@test "openstack segment create and segment list, as in README.md" {
	os segment create seg-readme auto COMPUTE
	assert_success
	os segment list -f value -c name
	assert_success
	assert_output seg-readme
}

@test "cinder cluster-list and service-list, as in README.md" {
	manage service heartbeat --host host1@lvm --binary cinder-volume \
	    --cluster cluster1@lvm
	cinder_cli cluster-list --detailed
	assert_success
	assert_output --partial cluster1@lvm
	cinder_cli service-list
	assert_success
	assert_output --partial host1@lvm
}
