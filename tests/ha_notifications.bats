#!/usr/bin/env bats
# /v1/notifications: list and create (SPEC 4.2, 4.6).
load helpers
load ha_fixtures

NOTIF_KEYS=id,notification_uuid,generated_time,source_host_uuid,type,payload,status,created_at,updated_at,deleted_at,deleted

# one segment with hosts compute-1 (sets HOST1) and compute-2
two_hosts() {
	mkseg s1
	mkhost "$SEG" compute-1
	HOST1=$HOST
	mkhost "$SEG" compute-2
}

@test "POST notifications answers 202 with status new" {
	two_hosts
	api POST /v1/notifications "$(notif_body compute-1)"
	assert_equal "$code" 202
	assert_equal "$(json '.notification | keys_unsorted | join(",")')" "$NOTIF_KEYS"
	assert_equal "$(json .notification.id)" 1
	assert_equal "$(json .notification.status)" new
	assert_equal "$(json .notification.source_host_uuid)" "$HOST1"
	assert_equal "$(json .notification.generated_time)" 2024-01-01T00:00:00.000000
	assert_equal "$(json .notification.updated_at)" null
	[[ $(json .notification.created_at) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000000$ ]]
	assert_header OpenStack-API-Version "masakari 1.0"
}

@test "POST notifications keeps the payload as sent" {
	two_hosts
	api POST /v1/notifications "$(notif_body compute-1 '' '{"host_status": "UNKNOWN", "event": "STARTED"}')"
	assert_equal "$code" 202
	assert_output --partial '"payload": {"host_status": "UNKNOWN", "event": "STARTED"}, "status": "new"'
}

@test "POST notifications converts generated_time to UTC microseconds" {
	two_hosts
	mknotif compute-1 '2024-01-01T01:30:00.1234567+01:30'
	assert_equal "$(json .notification.generated_time)" 2024-01-01T00:00:00.123456
}

@test "POST notifications accepts PROCESS and VM payloads" {
	two_hosts
	mknotif compute-1 '' '{"process_name": "nova-compute", "event": "STOPPED"}' PROCESS
	assert_equal "$(json .notification.type)" PROCESS
	mknotif compute-1 '' '{"instance_uuid": "11111111-2222-3333-4444-555555555555", "vir_domain_event": "STOPPED_FAILED", "event": "LIFECYCLE"}' VM
	assert_equal "$(json .notification.type)" VM
}

@test "POST notifications from an unknown host answers 400" {
	two_hosts
	api POST /v1/notifications "$(notif_body compute-unknown)"
	assert_equal "$code" 400
	assert_output '{"badRequest": {"code": 400, "message": "Host with name compute-unknown could not be found."}}'
}

@test "POST notifications from a host on maintenance answers 409" {
	mkseg s1
	mkhost "$SEG" compute-2 '"on_maintenance": true'
	api POST /v1/notifications "$(notif_body compute-2)"
	assert_equal "$code" 409
	assert_output "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Notification received from host compute-2 of type 'COMPUTE_HOST' is ignored as the host is already under maintenance.\"}}"
}

@test "POST notifications of a duplicate answers 409" {
	two_hosts
	mknotif compute-1
	api POST /v1/notifications "$(notif_body compute-1)"
	assert_equal "$code" 409
	assert_output '{"conflictingRequest": {"code": 409, "message": "Notification received from host compute-1 of type COMPUTE_HOST is duplicate."}}'
}

@test "POST notifications counts as duplicate up to 180 seconds later" {
	two_hosts
	mknotif compute-1 2024-01-01T00:00:00
	api POST /v1/notifications "$(notif_body compute-1 2024-01-01T00:03:00)"
	assert_equal "$code" 409
	api POST /v1/notifications "$(notif_body compute-1 2024-01-01T00:03:01)"
	assert_equal "$code" 202
}

@test "POST notifications counts an older generated_time as duplicate" {
	two_hosts
	mknotif compute-1 2024-06-01T00:00:00
	api POST /v1/notifications "$(notif_body compute-1 2024-01-01T00:00:00)"
	assert_equal "$code" 409
}

@test "POST notifications counts as duplicate whatever the stored status" {
	two_hosts
	mknotif compute-1
	manage notification set-status "$NOTIF" finished
	api POST /v1/notifications "$(notif_body compute-1)"
	assert_equal "$code" 409
}

@test "POST notifications with another payload, type or host is no duplicate" {
	two_hosts
	mknotif compute-1
	mknotif compute-1 '' '{"event": "STOPPED"}'
	mknotif compute-2
	mknotif compute-1 '' '{"process_name": "p", "event": "STOPPED"}' PROCESS
}

@test "POST notifications compares payloads regardless of key order" {
	two_hosts
	mknotif compute-1 '' '{"event": "STOPPED", "host_status": "NORMAL"}'
	api POST /v1/notifications "$(notif_body compute-1 '' '{"host_status": "NORMAL", "event": "STOPPED"}')"
	assert_equal "$code" 409
}

@test "POST notifications with an unknown type answers 400" {
	two_hosts
	api POST /v1/notifications "$(notif_body compute-1 '' '' HOST)"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute type. Value: HOST. 'HOST' is not one of ('COMPUTE_HOST', 'VM', 'PROCESS')"
}

@test "POST notifications with a bad event answers 400 naming the payload key" {
	two_hosts
	api POST /v1/notifications "$(notif_body compute-1 '' '{"event": "BOOM"}')"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute event. Value: BOOM. 'BOOM' is not one of ('STARTED', 'STOPPED')"
}

@test "POST notifications checks the payload before the host" {
	api POST /v1/notifications "$(notif_body nobody '' '{"event": "BOOM"}')"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute event. Value: BOOM. 'BOOM' is not one of ('STARTED', 'STOPPED')"
}

@test "POST notifications with a bad generated_time answers 400" {
	two_hosts
	api POST /v1/notifications "$(notif_body compute-1 yesterday)"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute generated_time. Value: yesterday. 'yesterday' is not a 'date-time'"
}

@test "POST notifications without payload answers 400" {
	api POST /v1/notifications '{"notification": {"type": "VM", "hostname": "h", "generated_time": "2024-01-01T00:00:00"}}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Invalid input for field/attribute notification. Value: {'type': 'VM', 'hostname': 'h', 'generated_time': '2024-01-01T00:00:00'}. 'payload' is a required property"
}

@test "POST notifications with a member token answers 403 before the payload checks" {
	two_hosts
	TOKEN=$MEMBER_TOKEN api POST /v1/notifications "$(notif_body compute-1 '' '{"event": "BOOM"}')"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:notifications:create to be performed."
}

@test "POST notifications without a body answers 400" {
	api POST /v1/notifications
	assert_equal "$code" 400
	assert_output "{\"badRequest\": {\"code\": 400, \"message\": \"None is not of type 'object'\"}}"
}

@test "GET notifications lists newest first" {
	two_hosts
	mknotif compute-1; mknotif compute-2
	api GET /v1/notifications
	assert_equal "$code" 200
	assert_equal "$(json '[.notifications[].id] | join(",")')" "2,1"
	assert_equal "$(json '.notifications[0] | keys_unsorted | join(",")')" "$NOTIF_KEYS"
}

@test "GET notifications with nothing stored answers an empty list" {
	api GET /v1/notifications
	assert_equal "$code" 200
	assert_output '{"notifications": []}'
}

@test "GET notifications filters by status, type and source_host_uuid" {
	two_hosts
	mknotif compute-1; local first=$NOTIF
	mknotif compute-2
	mknotif compute-2 '' '{"process_name": "p", "event": "STOPPED"}' PROCESS
	manage notification set-status "$first" running
	api GET /v1/notifications?status=running
	assert_equal "$(json '[.notifications[].id] | join(",")')" "1"
	api GET /v1/notifications?type=PROCESS
	assert_equal "$(json '[.notifications[].id] | join(",")')" "3"
	api GET "/v1/notifications?source_host_uuid=$HOST&type=COMPUTE_HOST"
	assert_equal "$(json '[.notifications[].id] | join(",")')" "2"
}

@test "GET notifications filters by generated-since" {
	two_hosts
	mknotif compute-1 2024-01-01T00:00:00
	mknotif compute-1 2024-06-01T00:00:00
	api GET '/v1/notifications?generated-since=2024-03-01'
	assert_equal "$(json '[.notifications[].id] | join(",")')" "2"
	api GET '/v1/notifications?generated-since=2024-06-01T01:00:00%2B02:00'
	assert_equal "$(json '[.notifications[].id] | join(",")')" "2"
	api GET '/v1/notifications?generated-since=2024-06-01T00:00:01'
	assert_output '{"notifications": []}'
}

@test "GET notifications with a bad generated-since answers 400" {
	api GET '/v1/notifications?generated-since=garbage'
	assert_equal "$code" 400
	assert_output '{"badRequest": {"code": 400, "message": "Invalid generated-since value"}}'
}

@test "GET notifications sorts by generated_time ascending" {
	two_hosts
	mknotif compute-1 2024-06-01T00:00:00
	mknotif compute-2 2024-01-01T00:00:00
	mknotif compute-1 2024-03-01T00:00:00 '{"event": "STARTED"}'
	api GET '/v1/notifications?sort_key=generated_time&sort_dir=asc'
	assert_equal "$(json '[.notifications[].id] | join(",")')" "2,3,1"
}

@test "GET notifications honours limit and a uuid marker" {
	two_hosts
	mknotif compute-1; local first=$NOTIF
	mknotif compute-2
	mknotif compute-1 2024-02-01T00:00:00
	api GET "/v1/notifications?marker=$first&sort_key=id&sort_dir=asc&limit=1"
	assert_equal "$(json '[.notifications[].id] | join(",")')" "2"
}

@test "GET notifications with an unknown sort key answers 400" {
	api GET '/v1/notifications?sort_key=hostname'
	assert_equal "$code" 400
	assert_output "{\"badRequest\": {\"code\": 400, \"message\": \"InvalidSortKey('Sort key supplied is invalid: hostname')\"}}"
}

@test "GET notifications at 1.1 has no recovery_workflow_details" {
	two_hosts
	mknotif compute-1
	api GET /v1/notifications '' -H 'OpenStack-API-Version: instance-ha 1.1'
	assert_equal "$code" 200
	assert_equal "$(json '.notifications[0] | keys_unsorted | join(",")')" "$NOTIF_KEYS"
	assert_header OpenStack-API-Version "masakari 1.1"
}

@test "GET notifications with a member token answers 403" {
	TOKEN=$MEMBER_TOKEN api GET /v1/notifications
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:notifications:index to be performed."
}

@test "PUT on the notifications collection answers 405 with Allow" {
	api PUT /v1/notifications '{}'
	assert_equal "$code" 405
	assert_header Allow "GET, POST"
}
