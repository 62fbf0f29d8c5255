#!/usr/bin/env bats
# The heartbeat extension PUT /v3[/P]/os-hacgi-heartbeat (SPEC 3.7) and
# hacgi-manage service heartbeat; services and clusters going up and down
# over time (SPEC 1.2).
load helpers
load vol_fixtures

HB=$P/os-hacgi-heartbeat

teardown_file() {
	server_restart
}

hb() {	# hb HOST BINARY [EXTRA JSON MEMBERS]
	vapi PUT "$HB" "{\"service\": {\"host\": \"$1\", \"binary\": \"$2\"${3:+, $3}}}" \
	    -H 'OpenStack-API-Version: volume 3.7'
}

@test "a heartbeat creates the service and answers its os-services view" {
	hb new@lvm cinder-volume '"cluster": "cx@lvm", "zone": "az9"'
	assert_equal "$code" 200
	assert_equal "$(json '.service | keys_unsorted | join(",")')" \
	    binary,host,zone,status,state,updated_at,cluster,disabled_reason,replication_status,active_backend_id,frozen
	assert_equal "$(json '.service | "\(.host) \(.zone) \(.state) \(.status) \(.cluster)"')" "new@lvm az9 up enabled cx@lvm"
	assert_header OpenStack-API-Version "volume 3.7"
	[[ $(json .service.updated_at) > $(ago 30) ]]
}

@test "a heartbeat naming a missing cluster creates it with the defaults" {
	hb new@lvm cinder-volume '"cluster": "cx@lvm"'
	vapi326 GET "$P/clusters/cx@lvm"
	assert_equal "$code" 200
	assert_equal "$(json '.cluster | "\(.state) \(.status) \(.num_hosts) \(.replication_status) \(.frozen) \(.active_backend_id) \(.updated_at)"')" \
	    "up enabled 1 not-capable false null "
	[[ $(json .cluster.created_at) > $(ago 30) ]]
}

@test "the heartbeat answer follows the microversion" {
	vapi PUT "$HB" '{"service": {"host": "a", "binary": "cinder-scheduler"}}'
	assert_equal "$code" 200
	assert_equal "$(json '.service | keys_unsorted | join(",")')" binary,host,zone,status,state,updated_at,disabled_reason
	assert_header OpenStack-API-Version "volume 3.0"
}

@test "heartbeats are idempotent: one service, its time refreshed" {
	hb same cinder-volume
	local first
	first=$(json .service.updated_at)
	sleep 0.01
	hb same cinder-volume
	assert_equal "$code" 200
	[[ $(json .service.updated_at) > $first ]]
	vapi GET "$P/os-services?host=same"
	assert_equal "$(json '.services | length')" 1
}

@test "a heartbeat moves the service to the given cluster; absent keeps it" {
	vol_fixture
	hb h2@lvm cinder-volume '"cluster": "c2"'
	assert_equal "$(json .service.cluster)" c2
	hb h2@lvm cinder-volume
	assert_equal "$(json '.service | "\(.cluster) \(.zone)"')" "c2 nova"
	vapi37 GET "$P/clusters/detail?name=c2"
	assert_equal "$(json '.clusters[0] | "\(.num_hosts) \(.num_down_hosts)"')" "3 1"
	vapi37 GET "$P/clusters/detail?name=c1@lvm&binary=cinder-volume"
	assert_equal "$(json '.clusters[0].num_hosts')" 1
}

@test "a heartbeat revives a stale service and its cluster counts" {
	vol_fixture
	hb n2@lvm cinder-volume
	assert_equal "$(json .service.state)" up
	vapi37 GET "$P/clusters/c2"
	assert_equal "$(json .cluster.num_down_hosts)" 0
}

@test "a heartbeat never touches disabled, its reason or the cluster fields" {
	vol_fixture
	hb lone@lvm cinder-volume '"cluster": "c2"'
	assert_equal "$(json '.service | "\(.status) \(.disabled_reason) \(.replication_status) \(.frozen)"')" "disabled gone failed-over true"
	vapi326 GET "$P/clusters/c2"
	assert_equal "$(json '.cluster | "\(.updated_at) \(.active_backend_id)"')" "2024-03-01T08:30:00.000000 b1"
}

@test "the heartbeat time is the server's, not the client's" {
	refused 400 badRequest PUT "$HB" '{"service": {"host": "a", "binary": "b", "heartbeat": "2020-01-01T00:00:00.000000"}}'
	assert_equal "$(json .badRequest.message)" "Additional properties are not allowed ('heartbeat' was unexpected)"
}

@test "a service token may heartbeat" {
	TOKEN=$SERVICE_TOKEN hb svc-host cinder-volume
	assert_equal "$code" 200
}

@test "a service token reports for the hosts it is bound to only" {
	TOKEN=$SERVICE_TOKEN hb svc-host cinder-volume '"cluster": "svc-c"'
	assert_equal "$code" 200
	TOKEN=$SERVICE_TOKEN refused 403 forbidden PUT "$HB" '{"service": {"host": "other-host", "binary": "cinder-volume"}}'
	assert_equal "$(json .forbidden.message)" "This token may not report for host other-host."
	TOKEN=$SERVICE_TOKEN refused 403 forbidden PUT "$HB" '{"service": {"host": "svc-host", "binary": "cinder-volume", "cluster": "elsewhere"}}'
	vapi37 GET "$P/os-services"
	assert_equal "$(json '[.services[] | "\(.host) \(.cluster)"] | join(",")')" "svc-host svc-c"
}

@test "a member token may not heartbeat" {
	TOKEN=$MEMBER_TOKEN refused 403 forbidden PUT "$HB" '{"service": {"host": "a", "binary": "b"}}'
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow hacgi:services:heartbeat to be performed."
}

@test "the policy is checked before the body schema" {
	TOKEN=$MEMBER_TOKEN refused 403 forbidden PUT "$HB" '{"bogus": 1}'
}

@test "no token answers 401" {
	TOKEN= refused 401 "" PUT "$HB" '{"service": {"host": "a", "binary": "b"}}'
}

@test "the route exists without a project id; another project's is a 400" {
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "a", "binary": "b"}}'
	assert_equal "$code" 200
	refused 400 badRequest PUT /v3/fedcba9876543210fedcba9876543210/os-hacgi-heartbeat '{"service": {"host": "a", "binary": "b"}}'
	assert_equal "$(json .badRequest.message)" "Malformed request url"
}

@test "only PUT is served: GET is no route" {
	refused 404 "" GET "$HB"
	refused 404 "" POST "$HB" '{"service": {"host": "a", "binary": "b"}}'
}

@test "a heartbeat without a body answers 400 generic" {
	refused 400 badRequest PUT "$HB"
	assert_equal "$(json .badRequest.message)" "The server could not comply with the request since it is either malformed or otherwise incorrect."
}

@test "a heartbeat body that is not JSON, or not UTF-8, is Malformed" {
	refused 400 badRequest PUT "$HB" 'host=a'
	assert_equal "$(json .badRequest.message)" "Malformed request body"
	refused 400 badRequest PUT "$HB" "$(printf '{"service": {"host": "\xe9", "binary": "b"}}')"
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "a heartbeat body of the wrong shape answers 400" {
	refused 400 badRequest PUT "$HB" '["a"]'
	assert_equal "$(json .badRequest.message)" "['a'] is not of type 'object'"
	refused 400 badRequest PUT "$HB" '{}'
	assert_equal "$(json .badRequest.message)" "'service' is a required property"
	refused 400 badRequest PUT "$HB" '{"service": "a"}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute service. Value: a. 'a' is not of type 'object'"
	refused 400 badRequest PUT "$HB" '{"service": {"host": "a", "binary": "b"}, "x": 1}'
	assert_equal "$(json .badRequest.message)" "Additional properties are not allowed ('x' was unexpected)"
}

@test "a heartbeat without host or binary answers 400" {
	refused 400 badRequest PUT "$HB" '{"service": {"binary": "b"}}'
	assert_equal "$(json .badRequest.message)" "'host' is a required property"
	refused 400 badRequest PUT "$HB" '{"service": {"host": "a"}}'
	assert_equal "$(json .badRequest.message)" "'binary' is a required property"
}

@test "heartbeat fields of the wrong type, empty, blank or too long answer 400" {
	refused 400 badRequest PUT "$HB" '{"service": {"host": 5, "binary": "b"}}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute host. Value: 5. 5 is not of type 'string'"
	refused 400 badRequest PUT "$HB" '{"service": {"host": "a", "binary": ""}}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute binary. Value: . '' is too short"
	refused 400 badRequest PUT "$HB" '{"service": {"host": "a", "binary": "b", "cluster": " \n"}}'
	assert_equal "$(json .badRequest.message)" "An invalid 'cluster' value was provided. The 'cluster' can not be empty."
	refused 400 badRequest PUT "$HB" '{"service": {"host": "a", "binary": "b", "zone": null}}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute zone. Value: None. None is not of type 'string'"
	refused 400 badRequest PUT "$HB" "{\"service\": {\"host\": \"$(printf 'h%.0s' $(seq 256))\", \"binary\": \"b\"}}"
	[[ $(json .badRequest.message) == *"is too long" ]]
}

@test "heartbeat names keep any printable text (hashed, never a file name)" {
	hb '../../FORMAT' cinder-volume '"cluster": "é\u00e9/..\\x"'
	assert_equal "$code" 200
	assert_equal "$(json .service.host)" ../../FORMAT
	assert_equal "$(json .service.cluster)" 'éé/..\x'
	vapi37 GET "$P/clusters/detail?name=%C3%A9%C3%A9/..%5Cx"
	assert_equal "$(json '.clusters[0].num_hosts')" 1
	run cat "$DATA_DIR/FORMAT"
	assert_output --partial format
}

@test "a heartbeat with a text/plain body answers 415; a huge one 413" {
	CTYPE=text/plain refused 415 badMediaType PUT "$HB" '{"service": {"host": "a", "binary": "b"}}'
	printf '{"service": {"host": "a", "binary": "b", "zone": "%s"}}' "$(head -c 120000 /dev/zero | tr '\0' z)" > "$BATS_TEST_TMPDIR/big"
	refused 413 "" PUT "$HB" "@$BATS_TEST_TMPDIR/big"
}

@test "a heartbeat of a known service writes its record file and one journal line only" {
	local i before after changed
	for i in $(seq 40); do
		manage service heartbeat --host "s$i" --binary cinder-volume --cluster "k$((i % 5))"
	done
	before=$(cd "$DATA_DIR" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
	hb s7 cinder-volume
	assert_equal "$code" 200
	after=$(cd "$DATA_DIR" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
	changed=$(diff <(echo "$before") <(echo "$after") | grep '^>' | awk '{print $3}' | sort | tr '\n' ' ')
	[[ $changed =~ ^\./vol/services\.log\ \./vol/services/[0-9a-f]{64}\.json\ $ ]] || fail "changed: $changed"
	[[ $(tail -n 1 "$DATA_DIR/vol/services.log") == *'"host": "s7"'* ]]
}

@test "many heartbeats keep the journal compact" {
	local i
	for i in $(seq 300); do
		manage service heartbeat --host one --binary cinder-volume
	done
	[[ $(wc -l < "$DATA_DIR/vol/services.log") -lt 300 ]]
	vapi GET "$P/os-services"
	assert_equal "$(json '.services | length')" 1
}

@test "hacgi-manage service heartbeat creates services like the API" {
	run manage service heartbeat --host m1 --binary cinder-volume --cluster mc --zone z1 --created-at 2024-01-01T00:00:00Z
	assert_success
	vapi37 GET "$P/os-services?host=m1"
	assert_equal "$(json '.services[0] | "\(.zone) \(.cluster) \(.state)"')" "z1 mc up"
	vapi37 GET "$P/clusters/mc"
	assert_equal "$code" 200
}

@test "hacgi-manage service heartbeat refuses bad arguments" {
	run manage service heartbeat --host m1
	assert_failure
	run manage service heartbeat --host '  ' --binary b
	assert_failure
	run manage service heartbeat --host m1 --binary b --at soon
	assert_failure
	run manage service heartbeat --host m1 --binary "$(printf '\xff')"
	assert_failure
}

@test "over time a cluster goes up then down as its services stop heartbeating" {
	server_restart --service-down-time 5
	hb a@lvm cinder-volume '"cluster": "live@lvm"'
	hb b@lvm cinder-volume '"cluster": "live@lvm"'
	vapi37 GET "$P/clusters/live@lvm"
	assert_equal "$(json '.cluster | "\(.state) \(.num_hosts) \(.num_down_hosts)"')" "up 2 0"

	sleep 3
	hb a@lvm cinder-volume
	sleep 3.5	# b: 6.5 s old, a: 3.5 s old (D = 5 s)
	vapi37 GET "$P/clusters/live@lvm"
	assert_equal "$(json '.cluster | "\(.state) \(.num_hosts) \(.num_down_hosts)"')" "up 2 1"
	vapi GET "$P/os-services"
	assert_equal "$(json '[.services[] | .host + "=" + .state] | join(" ")')" "a@lvm=up b@lvm=down"

	sleep 3	# both stale
	vapi37 GET "$P/clusters/detail?name=live@lvm"
	assert_equal "$(json '.clusters[0] | "\(.state) \(.num_hosts) \(.num_down_hosts)"')" "down 2 2"
	vapi37 GET "$P/clusters?is_up=false"
	assert_equal "$(json '.clusters[0].name')" live@lvm

	hb b@lvm cinder-volume
	vapi37 GET "$P/clusters/live@lvm"
	assert_equal "$(json '.cluster | "\(.state) \(.num_down_hosts)"')" "up 1"
}
