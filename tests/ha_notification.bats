#!/usr/bin/env bats
# /v1/notifications/{id}: show (SPEC 4.6); the status is changed by
# hacgi-manage notification set-status (SPEC 6, divergence 8).
load helpers
load ha_fixtures

setup() {
	reset_data
	mkseg s1
	mkhost "$SEG" compute-1
	mknotif compute-1
}

@test "GET a notification answers 200 with its view" {
	api GET "/v1/notifications/$NOTIF"
	assert_equal "$code" 200
	assert_equal "$(json '.notification | keys_unsorted | join(",")')" \
	    id,notification_uuid,generated_time,source_host_uuid,type,payload,status,created_at,updated_at,deleted_at,deleted
	assert_equal "$(json .notification.notification_uuid)" "$NOTIF"
	assert_equal "$(json .notification.source_host_uuid)" "$HOST"
	assert_equal "$(json .notification.status)" new
	assert_header OpenStack-API-Version "masakari 1.0"
}

@test "GET a notification at 1.1 adds recovery_workflow_details after status (divergence 8)" {
	api GET "/v1/notifications/$NOTIF" '' -H 'OpenStack-API-Version: instance-ha 1.1'
	assert_equal "$code" 200
	assert_output --partial '"status": "new", "recovery_workflow_details": [], "created_at": '
	assert_header OpenStack-API-Version "masakari 1.1"
}

@test "GET a notification at latest has recovery_workflow_details too" {
	api GET "/v1/notifications/$NOTIF" '' -H 'OpenStack-API-Version: instance-ha latest'
	assert_equal "$code" 200
	assert_equal "$(json '.notification.recovery_workflow_details | length')" 0
	assert_header OpenStack-API-Version "masakari 1.2"
}

@test "GET an unknown notification answers 404" {
	api GET /v1/notifications/11111111-2222-3333-4444-555555555555
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "No notification with id 11111111-2222-3333-4444-555555555555."}}'
	assert_header OpenStack-API-Version "instance-ha 1.0"
}

@test "GET a notification with a garbage id answers 404" {
	api GET /v1/notifications/garbage
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "No notification with id garbage."}}'
}

@test "GET a notification by its upper-case uuid answers 404" {
	api GET "/v1/notifications/${NOTIF^^}"
	assert_equal "$code" 404
	assert_equal "$(json .itemNotFound.message)" "No notification with id ${NOTIF^^}."
}

@test "GET a notification by its integer id answers 404" {
	api GET /v1/notifications/1
	assert_equal "$code" 404
}

@test "GET a notification with a member token answers 403" {
	TOKEN=$MEMBER_TOKEN api GET "/v1/notifications/$NOTIF"
	assert_equal "$code" 403
	assert_equal "$(json .forbidden.message)" "Policy doesn't allow os_masakari_api:notifications:detail to be performed."
}

@test "GET a notification shows the status set by hacgi-manage, updated_at untouched" {
	run manage notification set-status "$NOTIF" running
	assert_success
	api GET "/v1/notifications/$NOTIF"
	assert_equal "$(json .notification.status)" running
	assert_equal "$(json .notification.updated_at)" null
}

@test "hacgi-manage notification set-status accepts each of the six statuses" {
	local s
	for s in new running error failed ignored finished; do
		run manage notification set-status "$NOTIF" "$s"
		assert_success
		api GET "/v1/notifications/$NOTIF"
		assert_equal "$(json .notification.status)" "$s"
	done
}

@test "hacgi-manage notification set-status rejects an unknown status" {
	run manage notification set-status "$NOTIF" done
	assert_failure
	assert_output --partial "bad status 'done'"
	api GET "/v1/notifications/$NOTIF"
	assert_equal "$(json .notification.status)" new
}

@test "hacgi-manage notification set-status rejects an unknown notification" {
	run manage notification set-status 11111111-2222-4333-8444-555555555555 finished
	assert_failure
	assert_output --partial "no notification"
	run manage notification set-status ../../tokens finished
	assert_failure
	assert_output --partial "bad uuid"
}

@test "PUT a notification answers 405 with Allow GET" {
	api PUT "/v1/notifications/$NOTIF" '{}'
	assert_equal "$code" 405
	assert_header Allow GET
	assert_equal "$(json .badMethod.message)" "The request method: 'PUT' with action: 'update' is not allowed on this resource"
}

@test "POST a notification action answers 405 action" {
	api POST "/v1/notifications/$NOTIF/action" '{}'
	assert_equal "$code" 405
	assert_equal "$(json .badMethod.message)" "The request method: 'POST' with action: 'action' is not allowed on this resource"
}
