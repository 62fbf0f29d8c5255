#!/usr/bin/env bats
# PUT /v3[/P]/os-services/{action} (issue 13): enable, disable,
# disable-log-reason, freeze, thaw, failover_host, failover, set-log,
# get-log; hacgi-manage service failover-complete.  The whole recording is
# tests/vol_services_replay.bats; these check each behaviour on the small
# world of vol_fixture, and that refused requests leave DATA_DIR as it was.
load helpers
load vol_fixtures

setup() {
	reset_data
	vol_fixture
	log_mark
}

S=$P/os-services

# vmv MV METHOD PATH [BODY [ARGS]]: vapi at microversion MV.
vmv() {
	local mv=$1 m=$2 p=$3 b=${4-}
	shift $(($# < 4 ? $# : 4))
	vapi "$m" "$p" "$b" -H "OpenStack-API-Version: volume $mv" "$@"
}

# bad MV STATUS MESSAGE ACTION BODY: the action answers the JSON fault
# STATUS with MESSAGE and DATA_DIR is byte-for-byte as it was.
bad() {
	local mv=$1 status=$2 msg=$3 before after
	before=$(data_snapshot)
	vmv "$mv" PUT "$S/$4" "$5"
	assert_equal "$code" "$status"
	assert_equal "$(json '.[].message')" "$msg"
	after=$(data_snapshot)
	assert_equal "$after" "$before"
}

svc() {	# svc HOST FILTER: jq FILTER on the os-services view of HOST (3.7)
	vapi37 GET "$S?host=$1"
	json ".services[] | select(.host == \"$1\") | $2"
}

cl() {	# cl NAME FILTER: jq FILTER on the detail view of cluster NAME (3.26)
	vapi326 GET "$P/clusters/$1"
	json ".cluster | $2"
}

# ---- enable, disable, disable-log-reason ----

@test "disable answers as cinder-api and disables the service" {
	vapi PUT "$S/disable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	assert_output '{"disabled": true, "host": "h1@lvm", "service": "", "binary": "cinder-volume", "status": "disabled"}'
	assert_header X-Compute-Request-Id "$(header X-Openstack-Request-Id)"
	assert_equal "$(svc h1@lvm '"\(.status) \(.disabled_reason)"')" "disabled null"
}

@test "a change shows in the service's updated_at (modified_at, newer than the heartbeat)" {
	local before
	before=$(svc h1@lvm .updated_at)
	sleep 0.01
	vapi PUT "$S/disable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	[[ $(svc h1@lvm .updated_at) > $before ]]
}

@test "enable enables the service and keeps its disabled reason" {
	vapi PUT "$S/enable" '{"host": "lone@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	assert_output '{"disabled": false, "host": "lone@lvm", "service": "", "binary": "cinder-volume", "status": "enabled"}'
	assert_equal "$(svc lone@lvm '"\(.status) \(.disabled_reason)"')" "enabled gone"
}

@test "disable-log-reason stores the reason as sent and answers it first" {
	vapi PUT "$S/disable-log-reason" '{"host": "ctl1", "binary": "cinder-scheduler", "disabled_reason": "  planned work  "}'
	assert_equal "$code" 200
	assert_output '{"disabled_reason": "  planned work  ", "disabled": true, "host": "ctl1", "service": "", "binary": "cinder-scheduler", "status": "disabled"}'
	assert_equal "$(svc ctl1 .disabled_reason)" "  planned work  "
}

@test "disable-log-reason without a reason stores null" {
	vapi PUT "$S/disable-log-reason" '{"host": "lone@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	assert_equal "$(json .disabled_reason)" null
	assert_equal "$(svc lone@lvm '"\(.status) \(.disabled_reason)"')" "disabled null"
}

@test "plain disable leaves the reason as it was" {
	vapi PUT "$S/disable" '{"host": "lone@lvm", "binary": "cinder-volume"}'
	assert_equal "$(svc lone@lvm .disabled_reason)" gone
}

@test "a host-level name finds the backend's service; the answer echoes it" {
	vapi PUT "$S/disable" '{"host": "h3", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	assert_equal "$(json .host)" h3
	assert_equal "$(svc h3@ceph .status)" disabled
}

@test "the deprecated service key names the binary; binary wins over it" {
	vapi PUT "$S/disable" '{"host": "ctl1", "service": "cinder-scheduler"}'
	assert_equal "$(json '"\(.service) \(.binary)"')" "cinder-scheduler "
	assert_equal "$(svc ctl1 .status)" disabled
	vapi PUT "$S/enable" '{"host": "bk1", "binary": "cinder-backup", "service": "cinder-volume"}'
	assert_equal "$code" 200
	assert_equal "$(json '"\(.service) \(.binary)"')" "cinder-volume cinder-backup"
}

@test "names are literal: a wildcard or another case finds nothing" {
	bad 3.0 404 "Service cinder-volume could not be found on host h_@lvm." \
	    disable '{"host": "h_@lvm", "binary": "cinder-volume"}'
	bad 3.0 404 "Service cinder-volume could not be found on host H1." \
	    disable '{"host": "H1", "binary": "cinder-volume"}'
	bad 3.0 404 "Service cinder-volume could not be found on host pool@be#p1." \
	    disable '{"host": "pool@be#p1", "binary": "cinder-volume"}'
}

@test "an unknown service answers 404 and changes nothing" {
	bad 3.0 404 "Service cinder-api could not be found on host ctl1." \
	    disable '{"host": "ctl1", "binary": "cinder-api"}'
}

@test "a disabled service's cluster keeps its counts, state and status" {
	vapi PUT "$S/disable-log-reason" '{"host": "h1@lvm", "binary": "cinder-volume", "disabled_reason": "x"}'
	assert_equal "$(cl c1@lvm '"\(.num_hosts) \(.num_down_hosts) \(.state) \(.status) \(.disabled_reason) \(.updated_at)"')" \
	    "2 0 up enabled null "
	vapi37 GET "$P/clusters?binary=cinder-volume&name=c1@lvm"
	assert_output '{"clusters": [{"name": "c1@lvm", "binary": "cinder-volume", "state": "up", "status": "enabled"}]}'
}

# ---- bodies refused: the recorded faults, DATA_DIR unchanged ----

@test "enable and disable refuse what the schema refuses" {
	bad 3.0 400 "{'host': 'h1@lvm'} is not valid under any of the given schemas" \
	    enable '{"host": "h1@lvm"}'
	bad 3.0 400 "Invalid input for field/attribute binary. Value: . '' is too short" \
	    disable '{"host": "h1@lvm", "binary": ""}'
	bad 3.0 400 "Invalid input for field/attribute binary. Value: 5. 5 is not of type 'string'" \
	    disable '{"host": "h1@lvm", "binary": 5}'
	bad 3.0 400 "Invalid input for field/attribute host. Value: . '' is too short" \
	    disable '{"host": "", "binary": "cinder-volume"}'
	bad 3.0 400 "Additional properties are not allowed ('disabled_reason' was unexpected)" \
	    disable '{"host": "h1@lvm", "binary": "cinder-volume", "disabled_reason": "x"}'
	bad 3.0 400 "Invalid input for field/attribute binary. Value: 5. 5 is not of type 'string'" \
	    disable '{"binary": 5, "foo": 1}'
	bad 3.0 400 "Invalid input received: Host field is missing." \
	    enable '{"binary": "cinder-volume"}'
	bad 3.26 400 "Invalid input received: Host field is missing." \
	    enable '{"cluster": "c1@lvm", "binary": "cinder-volume"}'
	bad 3.0 400 "None is not of type 'object'" enable 'null'
	bad 3.0 400 "[] is not of type 'object'" enable '[]'
}

@test "wrong types of every field are refused" {
	bad 3.0 400 "Invalid input for field/attribute host. Value: ['h1']. ['h1'] is not of type 'string', 'null'" \
	    disable '{"host": ["h1"], "binary": "cinder-volume"}'
	bad 3.0 400 "Invalid input for field/attribute cluster. Value: {}. {} is not of type 'string', 'null'" \
	    disable '{"host": "h1@lvm", "binary": "cinder-volume", "cluster": {}}'
	bad 3.0 400 "Invalid input for field/attribute service. Value: True. True is not of type 'string'" \
	    disable '{"host": "h1@lvm", "service": true}'
	bad 3.0 400 "Invalid input for field/attribute disabled_reason. Value: None. None is not of type 'string'" \
	    disable-log-reason '{"host": "h1@lvm", "binary": "cinder-volume", "disabled_reason": null}'
	bad 3.0 400 "Invalid input for field/attribute backend_id. Value: 5. 5 is not of type 'string', 'null'" \
	    failover_host '{"host": "pool@be", "backend_id": 5}'
	bad 3.32 400 "Invalid input for field/attribute level. Value: 5. 5 is not of type 'string', 'null'" \
	    set-log '{"binary": "cinder-api", "level": 5}'
	bad 3.32 400 "Invalid input for field/attribute prefix. Value: 1.5. 1.5 is not of type 'string', 'null'" \
	    get-log '{"prefix": 1.5}'
}

@test "overlong values are refused" {
	local x256
	x256=$(printf 'x%.0s' {1..256})
	bad 3.0 400 "Invalid input for field/attribute host. Value: $x256. '$x256' is too long" \
	    disable "{\"host\": \"$x256\", \"binary\": \"cinder-volume\"}"
	bad 3.0 400 "Invalid input for field/attribute binary. Value: $x256. '$x256' is too long" \
	    disable "{\"host\": \"h1@lvm\", \"binary\": \"$x256\"}"
	bad 3.0 400 "Invalid input for field/attribute disabled_reason. Value: $x256. '$x256' is too long" \
	    disable-log-reason "{\"host\": \"h1@lvm\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"$x256\"}"
	bad 3.26 400 "Invalid input for field/attribute cluster. Value: $x256. '$x256' is too long" \
	    freeze "{\"cluster\": \"$x256\"}"
	bad 3.32 400 "Invalid input for field/attribute server. Value: $x256. '$x256' is too long" \
	    set-log "{\"server\": \"$x256\", \"level\": \"INFO\"}"
}

@test "a blank reason is refused; 255 characters and padding are fine" {
	local r255
	r255=$(printf 'r%.0s' {1..255})
	bad 3.0 400 "Invalid input for field/attribute disabled_reason. Value:    . '   ' is not a 'disabled_reason'" \
	    disable-log-reason '{"host": "h1@lvm", "binary": "cinder-volume", "disabled_reason": "   "}'
	bad 3.0 400 "Invalid input for field/attribute disabled_reason. Value: . '' is too short" \
	    disable-log-reason '{"host": "h1@lvm", "binary": "cinder-volume", "disabled_reason": ""}'
	vapi PUT "$S/disable-log-reason" "{\"host\": \"h1@lvm\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"$r255\"}"
	assert_equal "$code" 200
}

@test "control characters in a reason are refused (issue 13, decision 5)" {
	local r
	for r in 'a\tb' 'a\nb' '\u001b[31mred' 'x\u0085y' 'x\u007f'; do
		before=$(data_snapshot)
		vapi PUT "$S/disable-log-reason" "{\"host\": \"h1@lvm\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"$r\"}"
		assert_equal "$code" 400
		[[ $(json .badRequest.message) == *" is not a 'disabled_reason'" ]] ||
			fail "$r: $output"
		assert_equal "$(data_snapshot)" "$before"
	done
}

@test "a reason with \\u0000 is no JSON hacgi reads: Malformed request body" {
	bad 3.0 400 "Malformed request body" disable-log-reason \
	    '{"host": "h1@lvm", "binary": "cinder-volume", "disabled_reason": "a\u0000b"}'
}

@test "control characters in names are refused with the field's message" {
	bad 3.0 400 "Invalid input for field/attribute binary. Value: cinder-volume"$'\x01'". 'cinder-volume\\x01' is not a 'binary'" \
	    disable '{"host": "h1@lvm", "binary": "cinder-volume\u0001"}'
	bad 3.0 400 "Invalid input for field/attribute host. Value: h1@lvm"$'\n'". 'h1@lvm\\n' does not match '^[a-zA-Z0-9-._#@:/+\\\\[\\\\]]*\$'" \
	    disable '{"host": "h1@lvm\n", "binary": "cinder-volume"}'
	bad 3.26 400 "Invalid input for field/attribute cluster. Value: c1"$'\e'"[0m. 'c1\\x1b[0m' is not a 'cluster'" \
	    freeze '{"cluster": "c1\u001b[0m"}'
	bad 3.0 400 "Invalid input for field/attribute backend_id. Value: b"$'\u009b'". 'b\\x9b' is not a 'backend_id'" \
	    failover_host '{"host": "pool@be", "backend_id": "b\u009b"}'
	bad 3.32 400 "Invalid input for field/attribute prefix. Value: cinder"$'\t'". 'cinder\\t' is not a 'prefix'" \
	    set-log '{"prefix": "cinder\t", "level": "INFO"}'
}

@test "invalid UTF-8, a missing body and a huge body are refused" {
	local before
	before=$(data_snapshot)
	vapi PUT "$S/enable" $'{"host": "h1@lvm", "binary": "\xff"}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Malformed request body"
	vapi PUT "$S/enable"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "The server could not comply with the request since it is either malformed or otherwise incorrect."
	head -c 114689 /dev/zero | tr '\0' a > "$BATS_TEST_TMPDIR/big"
	vapi PUT "$S/disable-log-reason" "@$BATS_TEST_TMPDIR/big"
	assert_equal "$code" 413
	CTYPE=text/plain vapi PUT "$S/enable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 415
	vapi PUT "$S/enable" '{"host": "h1@lvm", "binary"'
	assert_equal "$(json .badRequest.message)" "Malformed request body"
	assert_equal "$(data_snapshot)" "$before"
}

# ---- actions, versions, routes, policy ----

@test "an unknown action, another case or a too early one answer Unknown action" {
	bad 3.0 400 "Invalid input received: Unknown action" frobnicate '{}'
	bad 3.0 400 "Invalid input received: Unknown action" Enable '{"host": "h1@lvm", "binary": "cinder-volume"}'
	bad 3.25 400 "Invalid input received: Unknown action" failover '{"cluster": "c2"}'
	bad 3.31 400 "Invalid input received: Unknown action" set-log '{"binary": "cinder-api", "level": "INFO"}'
	bad 3.31 400 "Invalid input received: Unknown action" get-log '{}'
}

@test "GET and DELETE on an action are routed but unimplemented: JSON 404" {
	vapi GET "$S/enable"
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
	assert_header OpenStack-API-Version "volume 3.0"
	vapi DELETE "$S/enable"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.code)" 404
}

@test "an action with .json, without project, or at latest works" {
	vapi PUT "$S/disable.json" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	vapi PUT /v3/os-services/enable '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	vmv latest PUT "$S/enable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_header OpenStack-API-Version "volume 3.70"
	assert_equal "$(svc h1@lvm .status)" enabled
}

@test "another project's id answers 400 and a member 403" {
	vapi PUT /v3/fedcba9876543210/os-services/enable '{}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Malformed request url"
	TOKEN=$MEMBER_TOKEN vapi PUT "$S/enable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow volume_extension:services:update to be performed."
}

@test "volume_extension:services:update denies every action, even an unknown one" {
	echo '{"volume_extension:services:update": []}' > "$DATA_DIR/policy.json"
	vapi PUT "$S/frobnicate" '{}'
	assert_equal "$code" 403
	vmv 3.32 PUT "$S/get-log" '{}'
	assert_equal "$code" 403
}

@test "freeze, thaw and failover also need their volume rule, after the body checks" {
	echo '{"volume:freeze_host": ["member"], "volume:failover_host": []}' > "$DATA_DIR/policy.json"
	vapi PUT "$S/freeze" '{"host": "h1@lvm"}'
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow volume:freeze_host to be performed."
	vapi PUT "$S/freeze" '{"host": "h1@lvm", "binary": "x"}'
	assert_equal "$code" 400
	vapi PUT "$S/failover_host" '{"host": "pool@be"}'
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow volume:failover_host to be performed."
	vapi PUT "$S/thaw" '{"host": "n1@lvm"}'
	assert_equal "$code" 200
	vapi PUT "$S/enable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
}

# ---- freeze, thaw ----

@test "freeze of a host freezes its whole cluster and answers an empty 200" {
	vapi PUT "$S/freeze" '{"host": "h1@lvm"}'
	assert_equal "$code" 200
	assert_output ''
	assert_header Content-Type application/json
	assert_header X-Compute-Request-Id "$(header X-Openstack-Request-Id)"
	assert_equal "$(svc h1@lvm .frozen) $(svc h2@lvm .frozen)" "true true"
	assert_equal "$(cl c1@lvm '"\(.frozen) \(.num_hosts) \(.state) \(.status)"')" "true 2 up enabled"
	[[ $(cl c1@lvm .updated_at) == 20[0-9][0-9]-* ]]
	assert_equal "$(cl 'c1@lvm?binary=cinder-backup' .frozen)" false
}

@test "freeze of a frozen cluster is refused with cinder's message" {
	bad 3.0 400 "Invalid input received: frozen in c2 must be False to failover." \
	    freeze '{"host": "n1@lvm"}'
}

@test "freeze of an unknown host or cluster names it" {
	bad 3.0 400 "No service found with host=nope" freeze '{"host": "nope"}'
	bad 3.26 400 "No service found with cluster=nope" freeze '{"cluster": "nope"}'
	bad 3.0 400 "No service found with host=bk1" freeze '{"host": "bk1"}'
}

@test "freeze reads cluster from 3.26: one and only one of them" {
	bad 3.25 400 "Invalid input received: Host field is missing." freeze '{"cluster": "c1@lvm"}'
	bad 3.26 400 "Invalid input received: One and only one of cluster and host must be set." \
	    freeze '{"host": "h1@lvm", "cluster": "c1@lvm"}'
	bad 3.26 400 "Invalid input received: One and only one of cluster and host must be set." \
	    thaw '{"cluster": ""}'
	bad 3.0 400 "Additional properties are not allowed ('binary' was unexpected)" \
	    freeze '{"host": "h1@lvm", "binary": "cinder-volume"}'
}

@test "thaw by cluster name (host level) thaws the cluster and its members" {
	vmv 3.26 PUT "$S/thaw" '{"cluster": "c2"}'
	assert_equal "$code" 200
	assert_equal "$(svc n1@lvm .frozen) $(svc n2@lvm .frozen)" "false false"
	assert_equal "$(cl c2 .frozen)" false
	bad 3.26 400 "Invalid input received: frozen in c2 must be True to failover." \
	    thaw '{"cluster": "c2"}'
}

@test "freeze of a service in no cluster sets its own values" {
	vapi PUT "$S/freeze" '{"host": "lone@lvm"}'
	assert_equal "$code" 200
	assert_equal "$(svc lone@lvm '"\(.frozen) \(.replication_status) \(.active_backend_id)"')" "true not-capable null"
	vapi PUT "$S/thaw" '{"host": "lone"}'
	assert_equal "$code" 200
	assert_equal "$(svc lone@lvm .frozen)" false
	run manage fsck
	assert_success
}

@test "two names matching different hosts are refused" {
	manage service heartbeat --host lone@b2 --binary cinder-volume
	bad 3.0 400 "Services from different clusters found." freeze '{"host": "lone"}'
}

# ---- failover_host, failover, failover-complete ----

@test "failover of a cluster: the cluster and its up members fail over, the down one keeps its values" {
	vmv 3.26 PUT "$S/failover" '{"cluster": "c2", "backend_id": "b2"}'
	assert_equal "$code" 202
	assert_output ''
	assert_header Content-Type 'text/html; charset=UTF-8'
	assert_header OpenStack-API-Version "volume 3.26"
	refute_header X-Compute-Request-Id
	assert_equal "$(cl c2 '"\(.replication_status) \(.active_backend_id) \(.num_hosts) \(.num_down_hosts)"')" \
	    "failing-over b1 2 1"
	assert_equal "$(svc n1@lvm .replication_status)" failing-over
	assert_equal "$(svc n2@lvm '"\(.replication_status) \(.active_backend_id) \(.frozen)"')" "failed-over b1 true"
	run manage fsck
	assert_success
}

@test "a failover cannot be repeated" {
	vapi PUT "$S/failover_host" '{"host": "pool@be", "backend_id": "s"}'
	assert_equal "$code" 202
	assert_equal "$(svc pool@be .replication_status)" failing-over
	bad 3.0 400 "Invalid input received: replication_status in pool@be#p1 must be ['enabled', 'failed-over'] and must be up to failover." \
	    failover_host '{"host": "pool@be"}'
}

@test "a cluster that cannot, or a lone service that is down, is refused" {
	bad 3.0 400 "Invalid input received: replication_status in c1@lvm must be ['enabled', 'failed-over'] and must be up to failover." \
	    failover_host '{"host": "h1@lvm"}'
	bad 3.0 400 "Invalid input received: No service could be changed: replication_status in ['lone@lvm'] must be ['enabled', 'failed-over'] and must be up to failover." \
	    failover_host '{"host": "lone@lvm"}'
}

@test "failover_host never reads cluster; failover needs one and only one" {
	bad 3.26 400 "Invalid input received: Host field is missing." failover_host '{"cluster": "c2"}'
	bad 3.26 400 "Invalid input received: One and only one of cluster and host must be set." \
	    failover '{"host": "n1@lvm", "cluster": "c2"}'
	bad 3.26 400 "Invalid input received: One and only one of cluster and host must be set." \
	    failover '{"backend_id": "x"}'
}

@test "hacgi-manage service failover-complete moves a failover on" {
	vmv 3.26 PUT "$S/failover" '{"cluster": "c2"}'
	run manage service failover-complete --cluster c2 --backend-id b2
	assert_success
	assert_output ''
	assert_equal "$(cl c2 '"\(.replication_status) \(.active_backend_id) \(.frozen)"')" "failed-over b2 true"
	assert_equal "$(svc n1@lvm '"\(.replication_status) \(.active_backend_id)"')" "failed-over b2"
	assert_equal "$(svc n2@lvm '"\(.replication_status) \(.active_backend_id)"')" "failed-over b1"
	vmv 3.26 PUT "$S/failover" '{"cluster": "c2"}'
	assert_equal "$code" 202
}

@test "failover-complete --backend-id default fails back" {
	vapi PUT "$S/failover_host" '{"host": "pool@be"}'
	run manage service failover-complete --host pool@be --backend-id default
	assert_success
	assert_equal "$(svc pool@be '"\(.replication_status) \(.active_backend_id)"')" "enabled null"
	assert_equal "$(cl 'pool@be%23p1' .replication_status)" enabled
}

@test "failover-complete refuses what is not failing over, and bad options" {
	local before
	before=$(data_snapshot)
	run manage service failover-complete --cluster c2 --backend-id b2
	assert_failure
	assert_output --partial 'nothing is failing over'
	run manage service failover-complete --host nope --backend-id b2
	assert_failure
	assert_output --partial 'No service found with host=nope'
	run manage service failover-complete --host n1@lvm --cluster c2 --backend-id b
	assert_failure
	run manage service failover-complete --host n1@lvm
	assert_failure
	assert_equal "$(data_snapshot)" "$before"
}

# ---- set-log, get-log ----

@test "get-log reports cinder-api's loggers at INFO, API_HOST as its host" {
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-api", "prefix": "cinder.api.contrib.services"}'
	assert_equal "$code" 200
	assert_equal "$(json '.log_levels | length')" 1
	assert_equal "$(json '.log_levels[0] | "\(.binary) \(.levels)"')" \
	    'cinder-api {"cinder.api.contrib.services":"INFO"}'
	[[ -n $(json .log_levels[0].host) ]]
}

@test "set-log for cinder-api answers 202 and changes the levels under the prefix" {
	vmv 3.32 PUT "$S/set-log" '{"binary": "cinder-api", "prefix": "cinder.api.contrib.services", "level": "debug"}'
	assert_equal "$code" 202
	assert_header Content-Type 'text/html; charset=UTF-8'
	refute_header X-Compute-Request-Id
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-api", "prefix": "cinder.api"}'
	assert_equal "$(json '.log_levels[0].levels | to_entries | map(select(.value != "INFO")) | from_entries')" \
	    '{
  "cinder.api.contrib.services": "DEBUG"
}'
}

@test "set-log refuses a level that is not one, and a missing one when cinder-api is named" {
	bad 3.32 400 "Invalid input received: verbose is not a valid log level." \
	    set-log '{"binary": "cinder-api", "level": "verbose"}'
	bad 3.32 400 "Invalid input received:  is not a valid log level." set-log '{}'
	bad 3.32 400 "Invalid input received:  is not a valid log level." \
	    set-log '{"binary": "cinder-volume", "level": null}'
	bad 3.32 400 "Invalid input for field/attribute binary. Value: cinder-foo. 'cinder-foo' is not one of ['cinder-scheduler', 'cinder-volume', 'cinder-backup', 'cinder-api', '', '*']" \
	    get-log '{"binary": "cinder-foo"}'
	bad 3.32 400 "Additional properties are not allowed ('level' was unexpected)" \
	    get-log '{"level": "INFO"}'
}

@test "set-log DEBUG makes that logger's programs log each request; INFO stops it" {
	vmv 3.32 PUT "$S/set-log" '{"prefix": "cinder.api.contrib.services", "level": "DEBUG"}'
	vapi GET "$S?host=x-debug-1"
	vapi37 GET "$P/clusters/x-debug-2"
	vmv 3.32 PUT "$S/set-log" '{"prefix": "cinder.api.contrib.services", "level": "INFO"}'
	vapi GET "$S?host=x-debug-3"
	sleep 0.2
	# what the programs logged during this test (log_mark: setup)
	tail -c +"$((${_log_marks[0]} + 1))" "$HACGI_SERVER/programs.log" \
	    > "$BATS_TEST_TMPDIR/log"
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --partial "GET $P/os-services: 200"
	assert_output --partial "PUT $P/os-services/set-log: 202"
	refute_output --partial "clusters/x-debug-2"
	run grep -c "GET $P/os-services: 200" "$BATS_TEST_TMPDIR/log"
	assert_output 1
}

@test "set-log without a level changes no service and answers 202" {
	local before
	vmv 3.32 PUT "$S/set-log" '{"binary": "cinder-volume"}'
	assert_equal "$code" 202
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-volume"}'
	assert_equal "$(json '[.log_levels[].levels | length] | add')" 0
}

@test "get-log of services reports the levels set-log gave them" {
	vmv 3.32 PUT "$S/set-log" '{"binary": "cinder-volume", "server": "c2", "prefix": "cinder.volume", "level": "WARNING"}'
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-volume", "server": "c2"}'
	assert_equal "$(json '.log_levels | map("\(.host)=\(.levels)") | join(" ")')" \
	    'n1@lvm={"cinder.volume":"WARNING"} n2@lvm={"cinder.volume":"WARNING"}'
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-volume", "server": "n1@lvm", "prefix": "cinder.volume.drivers"}'
	assert_equal "$(json '.log_levels[0].levels')" '{}'
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-volume", "server": "h1@lvm"}'
	assert_equal "$(json '.log_levels[0] | "\(.host) \(.levels)"')" 'h1@lvm {}'
}

@test "set-log and get-log reach only services that are up (created or heartbeat recent)" {
	vmv 3.32 PUT "$S/set-log" '{"binary": "cinder-volume", "server": "lone@lvm", "level": "ERROR"}'
	assert_equal "$code" 202
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-volume", "server": "lone@lvm"}'
	assert_output '{"log_levels": []}'
	manage service heartbeat --host lone@lvm --binary cinder-volume
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-volume", "server": "lone@lvm"}'
	assert_output '{"log_levels": [{"host": "lone@lvm", "binary": "cinder-volume", "levels": {}}]}'
}

@test "get-log with a server other than the API's host leaves cinder-api out" {
	vmv 3.32 PUT "$S/get-log" '{"binary": "cinder-api", "server": "h1@lvm"}'
	assert_output '{"log_levels": []}'
	vmv 3.32 PUT "$S/get-log" '{"binary": "*", "server": "ctl1"}'
	assert_equal "$(json '[.log_levels[] | "\(.host)/\(.binary)"] | join(" ")')" ctl1/cinder-scheduler
}

@test "at INFO a change is logged; set-log WARNING silences it" {
	vapi PUT "$S/disable" '{"host": "h1@lvm", "binary": "cinder-volume"}'
	vmv 3.32 PUT "$S/set-log" '{"binary": "cinder-api", "level": "warning"}'
	vapi PUT "$S/enable" '{"host": "h2@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	sleep 0.2
	tail -c +"$((${_log_marks[0]} + 1))" "$HACGI_SERVER/programs.log" \
	    > "$BATS_TEST_TMPDIR/log"
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --partial "service h1@lvm (cinder-volume): disabled"
	refute_output --partial "h2@lvm"
}

# ---- the name index (lib/vol/volume.h) ----

# Every action, with host-level, backend and pool names, through the
# name index; then, from the same data, with the index set aside (the
# journals read, as before it): the same answers and the same services.
index_actions() {
	local mv a body
	while IFS='|' read -r mv a body; do
		vmv "$mv" PUT "$S/$a" "$body"
		echo "$a $body: $code $output"
	done <<-'EOF'
	3.0|disable|{"host": "h1", "binary": "cinder-volume"}
	3.0|disable-log-reason|{"host": "pool@be#p1", "binary": "cinder-volume", "disabled_reason": "r"}
	3.0|enable|{"host": "lone", "binary": "cinder-volume"}
	3.0|disable|{"host": "bk1", "binary": "cinder-backup"}
	3.0|disable|{"host": "nope", "binary": "cinder-volume"}
	3.0|freeze|{"host": "h2@lvm"}
	3.0|freeze|{"host": "lone"}
	3.0|freeze|{"host": "twin"}
	3.0|thaw|{"host": "n1"}
	3.26|thaw|{"cluster": "c1"}
	3.26|freeze|{"cluster": "pool@be"}
	3.26|freeze|{"cluster": "empty@nfs"}
	3.0|failover_host|{"host": "pool@be", "backend_id": "s"}
	3.26|failover|{"cluster": "c2", "backend_id": "b2"}
	3.26|failover|{"cluster": "c3"}
	3.32|set-log|{"server": "h1@lvm", "level": "DEBUG", "prefix": "cinder"}
	3.32|set-log|{"server": "c2", "binary": "cinder-volume", "level": "ERROR"}
	3.32|set-log|{"server": "twin", "binary": "*", "level": "WARNING"}
	3.32|get-log|{"server": "c1@lvm", "binary": "*"}
	3.32|get-log|{"server": "h1", "binary": "*"}
	3.32|get-log|{"server": "twin@a", "binary": "*"}
	3.32|get-log|{"server": "nope", "binary": "*"}
	EOF
	vapi37 GET "$S"
	jq -cS '.services[] | del(.updated_at)' <<<"$output"
}

@test "every action answers through the name index as through the journals" {
	manage service heartbeat --host twin@a --binary cinder-volume
	manage service heartbeat --host 'twin@b#p' --binary cinder-volume --cluster c2
	manage service heartbeat --host twin@a --binary cinder-backup
	manage service remove --host h3@ceph --binary cinder-volume
	[[ -d $DATA_DIR/vol/names ]] || fail "no index"
	local with without copy=$BATS_TEST_TMPDIR/data
	cp -a "$DATA_DIR" "$copy"
	with=$(index_actions)
	rm -rf "$DATA_DIR"
	cp -a "$copy" "$DATA_DIR"
	rm -r "$DATA_DIR/vol/names"
	without=$(index_actions)
	assert_equal "$with" "$without"
	# and the answers are the actions' own
	[[ $with == *'freeze {"host": "twin"}: 400 '*'Services from different clusters found.'* ]] ||
	    fail "twin: $with"
	[[ $with == *'disable {"host": "h1", "binary": "cinder-volume"}: 200 '* ]] ||
	    fail "h1: $with"
}
