#!/usr/bin/env bats
# /v3[/P]/clusters/{name}: GET show, PUT enable/disable, DELETE; and
# hacgi-manage cluster (SPEC 3.4, 3.5, 6).
load helpers
load vol_fixtures

setup() {
	reset_data
	vol_fixture
}

GENERIC_400='The server could not comply with the request since it is either malformed or otherwise incorrect.'

@test "GET clusters/{name} shows the detail view" {
	vapi37 GET "$P/clusters/c2"
	assert_equal "$code" 200
	assert_equal "$(json '.cluster | keys_unsorted | join(",")')" \
	    name,binary,state,status,num_hosts,num_down_hosts,last_heartbeat,created_at,updated_at,disabled_reason
	assert_equal "$(json '.cluster | "\(.name) \(.state) \(.num_hosts) \(.num_down_hosts)"')" "c2 up 2 1"
}

@test "GET clusters/{name} at 3.26 adds the replication fields" {
	vapi326 GET "$P/clusters/c2"
	assert_equal "$(json '.cluster | "\(.replication_status) \(.frozen) \(.active_backend_id)"')" "failed-over true b1"
}

@test "GET clusters/{name} takes the first cluster whose host or backend matches" {
	vapi37 GET "$P/clusters/c1"
	assert_equal "$(json '.cluster | .name + " " + .binary')" "c1@lvm cinder-volume"
	vapi37 GET "$P/clusters/pool@be"
	assert_equal "$(json .cluster.name)" 'pool@be#p1'
	vapi37 GET "$P/clusters/pool@be%23p1"
	assert_equal "$(json .cluster.name)" 'pool@be#p1'
}

@test "GET clusters/{name}?binary= picks the binary (divergence 13)" {
	vapi37 GET "$P/clusters/c1@lvm?binary=cinder-backup"
	assert_equal "$(json '.cluster | .binary + " \(.num_hosts)"')" "cinder-backup 1"
}

@test "GET clusters/{name} of an unknown name answers 404 with a dict repr" {
	vapi37 GET "$P/clusters/nope?binary=x"
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "Cluster {'"'binary': 'x', 'name': 'nope'"'} could not be found."}}'
}

@test "GET clusters/{name} quotes a name holding ' like Python" {
	vapi37 GET "$P/clusters/it's"
	assert_equal "$(json .itemNotFound.message)" "Cluster {'binary': 'cinder-volume', 'name': \"it's\"} could not be found."
}

@test "GET clusters/{name} decodes the path as Latin-1" {
	vapi37 GET "$P/clusters/%C3%A9"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "Cluster {'binary': 'cinder-volume', 'name': 'Ã©'} could not be found."
}

@test "GET clusters/{name} is case-sensitive and literal (divergence 10)" {
	vapi37 GET "$P/clusters/C1"
	assert_equal "$code" 404
	vapi37 GET "$P/clusters/%25"
	assert_equal "$code" 404
}

@test "GET clusters/{name}.json strips .json, .xml stays part of the name" {
	vapi37 GET "$P/clusters/c2.json"
	assert_equal "$(json .cluster.name)" c2
	vapi37 GET "$P/clusters/c2.xml"
	assert_equal "$(json .itemNotFound.message)" "Cluster {'binary': 'cinder-volume', 'name': 'c2.xml'} could not be found."
}

@test "GET clusters/disable shows a cluster named disable" {
	vapi37 GET "$P/clusters/disable"
	assert_equal "$(json .itemNotFound.message)" "Cluster {'binary': 'cinder-volume', 'name': 'disable'} could not be found."
}

@test "GET clusters/{name} below 3.7 answers the JSON 404" {
	vapi GET "$P/clusters/c2"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "The resource could not be found."
}

@test "GET clusters/{name} needs clusters:get" {
	TOKEN=$MEMBER_TOKEN vapi37 GET "$P/clusters/c2"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow clusters:get to be performed."
}

@test "GET clusters/{name}/x and a trailing slash are no route" {
	vapi37 GET "$P/clusters/c2/services"
	assert_equal "$code" 404
	assert_header Content-Type 'text/html; charset=UTF-8'
	vapi37 GET "$P/clusters/c2/"
	assert_equal "$code" 404
}

@test "PUT clusters/disable disables with a trimmed reason and answers the summary" {
	vapi37 PUT "$P/clusters/disable" '{"name": "c1@lvm", "disabled_reason": "  planned  "}'
	assert_equal "$code" 200
	assert_output '{"cluster": {"name": "c1@lvm", "binary": "cinder-volume", "state": "up", "status": "disabled", "disabled_reason": "planned"}}'
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$(json .cluster.status)" disabled
	assert_equal "$(json .cluster.disabled_reason)" planned
	[[ $(json .cluster.updated_at) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}$ ]]
}

@test "PUT clusters/enable enables and clears the reason" {
	vapi37 PUT "$P/clusters/enable" '{"name": "c3@ceph"}'
	assert_equal "$code" 200
	assert_output '{"cluster": {"name": "c3@ceph", "binary": "cinder-volume", "state": "up", "status": "enabled", "disabled_reason": null}}'
	vapi37 GET "$P/clusters/c3@ceph"
	assert_equal "$(json .cluster.disabled_reason)" null
}

@test "PUT clusters/disable without a reason overwrites the old one with null" {
	vapi37 PUT "$P/clusters/disable" '{"name": "c3@ceph"}'
	assert_equal "$(json .cluster.disabled_reason)" null
}

@test "PUT clusters/disable keeps an empty reason as an empty string" {
	vapi37 PUT "$P/clusters/disable" '{"name": "c2", "disabled_reason": ""}'
	assert_equal "$(json .cluster.disabled_reason)" ""
}

@test "PUT clusters/disable at 3.26 adds replication_status before the reason" {
	vapi326 PUT "$P/clusters/disable" '{"name": "c2", "disabled_reason": "x"}'
	assert_output '{"cluster": {"name": "c2", "binary": "cinder-volume", "state": "up", "status": "disabled", "replication_status": "failed-over", "disabled_reason": "x"}}'
}

@test "PUT sets updated_at even when nothing changes" {
	vapi37 PUT "$P/clusters/enable" '{"name": "empty@nfs"}'
	vapi37 GET "$P/clusters/empty@nfs"
	[[ -n $(json .cluster.updated_at) ]]
}

@test "PUT leaves the services and replication fields alone" {
	vapi GET "$P/os-services"
	local before=$output
	vapi326 PUT "$P/clusters/disable" '{"name": "c2", "disabled_reason": "x"}'
	vapi GET "$P/os-services"
	assert_equal "$(json '[.services[] | .status + .host] | join(",")')" "$(jq -r '[.services[] | .status + .host] | join(",")' <<<"$before")"
	vapi326 GET "$P/clusters/c2"
	assert_equal "$(json '.cluster | "\(.replication_status) \(.frozen) \(.active_backend_id)"')" "failed-over true b1"
}

@test "PUT with binary picks that binary; null any binary" {
	vapi37 PUT "$P/clusters/disable" '{"name": "c1@lvm", "binary": "cinder-backup"}'
	assert_equal "$(json .cluster.binary)" cinder-backup
	vapi37 PUT "$P/clusters/enable" '{"name": "c1@lvm", "binary": null}'
	assert_equal "$(json .cluster.binary)" cinder-volume
}

@test "PUT with a host-level name acts on the first matching cluster" {
	vapi37 PUT "$P/clusters/disable" '{"name": "c1"}'
	assert_equal "$(json .cluster.name)" c1@lvm
}

@test "PUT works without a project id" {
	vapi37 PUT /v3/clusters/disable '{"name": "c2"}'
	assert_equal "$code" 200
}

@test "PUT of an unknown cluster answers 404 and changes nothing" {
	refused 404 itemNotFound PUT "$P/clusters/disable" '{"name": "nope", "binary": ""}'
	assert_equal "$(json .itemNotFound.message)" "Cluster {'binary': '', 'name': 'nope'} could not be found."
	refused 404 itemNotFound PUT "$P/clusters/enable" '{"name": "%"}'
}

@test "PUT with a null binary names None in the 404" {
	refused 404 itemNotFound PUT "$P/clusters/disable" '{"name": "nope", "binary": null}'
	assert_equal "$(json .itemNotFound.message)" "Cluster {'binary': None, 'name': 'nope'} could not be found."
}

@test "PUT of an unknown action answers 404 Unknown action" {
	refused 404 itemNotFound PUT "$P/clusters/frobnicate" '{"name": "c2"}'
	assert_output '{"itemNotFound": {"code": 404, "message": "Unknown action"}}'
}

@test "PUT needs clusters:update, checked before the action" {
	TOKEN=$MEMBER_TOKEN refused 403 forbidden PUT "$P/clusters/frobnicate" '{"name": "c2"}'
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow clusters:update to be performed."
}

@test "PUT below 3.7 answers the JSON 404" {
	before=$(data_snapshot)
	vapi PUT "$P/clusters/disable" '{"name": "c2"}' -H 'OpenStack-API-Version: volume 3.6'
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "The resource could not be found."
	assert_equal "$(data_snapshot)" "$before"
}

@test "PUT without a body answers 400 generic" {
	refused 400 badRequest PUT "$P/clusters/disable"
	assert_equal "$(json .badRequest.message)" "$GENERIC_400"
}

@test "PUT with a body that is not JSON answers 400 Malformed request body" {
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": "c2"'
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "PUT with invalid UTF-8 answers 400 Malformed request body" {
	refused 400 badRequest PUT "$P/clusters/disable" "$(printf '{"name": "c\xc3"}')"
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "PUT with a body that is not an object answers 400" {
	refused 400 badRequest PUT "$P/clusters/disable" '["c2"]'
	assert_equal "$(json .badRequest.message)" "['c2'] is not of type 'object'"
	refused 400 badRequest PUT "$P/clusters/disable" 'null'
	assert_equal "$(json .badRequest.message)" "None is not of type 'object'"
}

@test "PUT without a name answers 'name' is a required property" {
	refused 400 badRequest PUT "$P/clusters/disable" '{"cluster": {"name": "c2"}}'
	assert_equal "$(json .badRequest.message)" "'name' is a required property"
}

@test "PUT with a name of the wrong type answers 400" {
	refused 400 badRequest PUT "$P/clusters/enable" '{"name": ["c2"]}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute name. Value: ['c2']. ['c2'] is not of type 'string'"
}

@test "PUT with an empty, a blank or a 256-character name answers 400" {
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": ""}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute name. Value: . '' is too short"
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": " \u3000\t"}'
	assert_equal "$(json .badRequest.message)" "An invalid 'name' value was provided. The 'name' can not be empty."
	refused 400 badRequest PUT "$P/clusters/disable" "{\"name\": \"$(printf 'n%.0s' $(seq 256))\"}"
	[[ $(json .badRequest.message) == *"' is too long" ]]
}

@test "PUT counts name lengths in code points" {
	refused 404 itemNotFound PUT "$P/clusters/disable" "{\"name\": \"$(printf '\xf0\x9f\x98\x80%.0s' $(seq 255))\"}"
}

@test "PUT with a binary of the wrong type or too long answers 400" {
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": "c2", "binary": 5}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute binary. Value: 5. 5 is not of type 'string', 'null'"
	refused 400 badRequest PUT "$P/clusters/disable" "{\"name\": \"c2\", \"binary\": \"$(printf 'b%.0s' $(seq 256))\"}"
	[[ $(json .badRequest.message) == "Invalid input for field/attribute binary."*"is too long" ]]
}

@test "PUT with a bad disabled_reason answers 400" {
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": "c2", "disabled_reason": "   "}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute disabled_reason. Value:    . '   ' is not a 'disabled_reason'"
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": "c2", "disabled_reason": true}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute disabled_reason. Value: True. True is not of type 'string', 'null'"
	refused 400 badRequest PUT "$P/clusters/disable" "{\"name\": \"c2\", \"disabled_reason\": \"$(printf 'r%.0s' $(seq 256))\"}"
	[[ $(json .badRequest.message) == *"is not a 'disabled_reason'" ]]
}

@test "PUT enable takes no disabled_reason; extra keys are listed sorted" {
	refused 400 badRequest PUT "$P/clusters/enable" '{"name": "c2", "disabled_reason": "x"}'
	assert_equal "$(json .badRequest.message)" "Additional properties are not allowed ('disabled_reason' was unexpected)"
	refused 400 badRequest PUT "$P/clusters/disable" '{"name": "c2", "zz": 1, "aa": 2}'
	assert_equal "$(json .badRequest.message)" "Additional properties are not allowed ('aa', 'zz' were unexpected)"
}

@test "PUT reports the name before the other fields" {
	refused 400 badRequest PUT "$P/clusters/disable" '{"disabled_reason": 5, "binary": 5, "name": 5}'
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'"
}

@test "PUT with a text/plain body answers 415" {
	CTYPE=text/plain refused 415 badMediaType PUT "$P/clusters/disable" '{"name": "c2"}'
}

@test "PUT with a body over 114688 bytes answers 413" {
	printf '{"name": "c2", "disabled_reason": "%s"}' "$(head -c 120000 /dev/zero | tr '\0' r)" > "$BATS_TEST_TMPDIR/big"
	refused 413 "" PUT "$P/clusters/disable" "@$BATS_TEST_TMPDIR/big"
}

@test "PUT to another project's id answers 400 before the schema" {
	refused 400 badRequest PUT /v3/fedcba9876543210fedcba9876543210/clusters/disable '{"foo": 1}'
	assert_equal "$(json .badRequest.message)" "Malformed request url"
}

@test "DELETE clusters/{name} is routed but unimplemented: JSON 404" {
	refused 404 itemNotFound DELETE "$P/clusters/c2"
	assert_equal "$(json .itemNotFound.message)" "The resource could not be found."
}

@test "POST and PATCH on a cluster are no route" {
	refused 404 "" POST "$P/clusters/disable" '{"name": "c2"}'
	refused 404 "" PATCH "$P/clusters/c2" '{"name": "c2"}'
}

@test "hacgi-manage cluster list prints one detail view per line" {
	run manage cluster list
	assert_success
	assert_equal "${#lines[@]}" 6
	assert_equal "$(jq -r .name <<<"${lines[1]}")" c2
	assert_equal "$(jq -r .frozen <<<"${lines[1]}")" true
}

@test "hacgi-manage cluster set changes a cluster and stamps updated_at" {
	run manage cluster set empty@nfs --disabled --reason 'by hand' --frozen true
	assert_success
	vapi326 GET "$P/clusters/empty@nfs"
	assert_equal "$(json '.cluster | "\(.status) \(.disabled_reason) \(.frozen)"')" "disabled by hand true"
	[[ -n $(json .cluster.updated_at) ]]
}

@test "hacgi-manage cluster set creates a missing cluster" {
	run manage cluster set new@x --binary cinder-backup --created-at '2024-05-05 05:05:05.5+02:00'
	assert_success
	vapi37 GET "$P/clusters/new@x?binary=cinder-backup"
	assert_equal "$(json .cluster.created_at)" 2024-05-05T03:05:05.500000
	assert_equal "$(json .cluster.updated_at)" ""
}

@test "hacgi-manage cluster set refuses bad options" {
	run manage cluster set c2 --frozen maybe
	assert_failure
	run manage cluster set c2 --enabled --reason x
	assert_failure
	run manage cluster set c2 --created-at yesterday
	assert_failure
	run manage cluster set '   '
	assert_failure
	run manage cluster set c2 --bogus 1
	assert_failure
}

@test "hacgi-manage cluster remove deletes a cluster" {
	run manage cluster remove empty@nfs
	assert_success
	vapi37 GET "$P/clusters/empty@nfs"
	assert_equal "$code" 404
	run manage cluster remove empty@nfs
	assert_failure
}

@test "hacgi-manage cluster remove refuses a cluster that still has services" {
	before=$(data_snapshot)
	run manage cluster remove c1@lvm
	assert_failure
	assert_output --partial "cluster c1@lvm (binary cinder-volume) still has 2 service(s), the first on host h1@lvm"
	assert_output --partial "--recursive"
	assert_equal "$(data_snapshot)" "$before"
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$code" 200
}

@test "hacgi-manage cluster remove --recursive removes the cluster and its services only" {
	run manage cluster remove c1@lvm --recursive
	assert_success
	assert_output --partial "removed 2 service(s)"
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$code" 404
	vapi37 GET "$P/os-services"
	assert_equal "$(json '[.services[].host] | join(",")')" \
	    n1@lvm,n2@lvm,h3@ceph,bk1,pool@be,ctl1,lone@lvm
	# the cinder-backup cluster of the same name keeps its member
	vapi37 GET "$P/clusters/c1@lvm?binary=cinder-backup"
	assert_equal "$(json .cluster.num_hosts)" 1
	run manage fsck
	assert_success
	assert_output --partial "0 error(s)"
}

# Every show, then every disable, through the cluster index and then with
# the index set aside (the journals read as before it): the same answers.
index_gets() {
	local n b
	for n in c1 c1@lvm c2 c3 c3@ceph pool pool@be 'pool@be%23p1' empty \
	    empty@nfs nope late late@x; do
		for b in cinder-volume cinder-backup; do
			vapi326 GET "$P/clusters/$n?binary=$b"
			echo "$code $(jq -c 'del(.cluster.last_heartbeat)' <<<"$output")"
		done
	done
}

index_puts() {
	local n
	for n in c1 pool late@x late nope; do
		vapi37 PUT "$P/clusters/disable" "{\"name\": \"$n\", \"binary\": null, \"disabled_reason\": \"r\"}"
		echo "$code $output"
	done
}

@test "show, enable and disable answer through the cluster index as through the journals" {
	# clusters made out of name order, members heartbeating out of it
	manage cluster set late@x#p2 --created-at 2024-01-07T10:00:00
	manage cluster set late --binary cinder-backup
	manage cluster set late@x
	manage service heartbeat --host z9 --binary cinder-volume --cluster late@x#p2
	manage service heartbeat --host a1 --binary cinder-volume --cluster late@x#p2
	manage service heartbeat --host m5 --binary cinder-volume --cluster late@x#p2
	manage service heartbeat --host h2@lvm --binary cinder-volume --cluster c2
	[[ -d $DATA_DIR/vol/names ]] || fail "no index"
	local with without x=$DATA_DIR/vol/names
	with=$(index_gets)
	mv "$x" "$x.aside"
	without=$(index_gets)
	assert_equal "$with" "$without"
	mv "$x.aside" "$x"
	with=$(index_puts)
	mv "$x" "$x.aside"
	without=$(index_puts)
	assert_equal "$with" "$without"
	mv "$x.aside" "$x"
	vapi326 GET "$P/clusters/late@x"
	assert_equal "$(json '.cluster | "\(.name) \(.num_hosts)"')" "late@x#p2 3"
	vapi326 GET "$P/clusters/c2"
	assert_equal "$(json '.cluster | "\(.name) \(.num_hosts)"')" "c2 3"
	run manage fsck
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

@test "a service that moves or goes leaves its old cluster's count" {
	manage service heartbeat --host h1@lvm --binary cinder-volume --cluster c2
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$(json .cluster.num_hosts)" 1
	vapi37 GET "$P/clusters/c2"
	assert_equal "$(json .cluster.num_hosts)" 3
	manage service remove --host h2@lvm --binary cinder-volume
	manage cluster remove c3@ceph --recursive
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$(json .cluster.num_hosts)" 0
	vapi37 GET "$P/clusters/c3"
	assert_equal "$code" 404
	run manage fsck
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}
