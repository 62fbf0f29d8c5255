#!/usr/bin/env bats
# The real clients from Debian against the hosts and notifications API:
# the openstack CLI with the masakari plugin, and openstacksdk.
load helpers
load ha_fixtures

os() {
	run openstack --os-auth-type admin_token --os-token "$TOKEN" \
	    --os-endpoint "$HA_URL/v1" "$@"
}

PAYLOAD='{"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"}'

@test "openstack segment host create prints the new host" {
	mkseg seg1
	os segment host create compute-1 COMPUTE SSH "$SEG" --reserved True -f json
	assert_success
	assert_equal "$(jq -r .name <<<"$output")" compute-1
	assert_equal "$(jq -r .failover_segment_id <<<"$output")" "$SEG"
	assert_equal "$(jq -r .reserved <<<"$output")" true
	assert_equal "$(jq -r .on_maintenance <<<"$output")" false
}

@test "openstack segment host create finds the segment by name" {
	mkseg seg1
	os segment host create compute-1 COMPUTE SSH seg1 -f value -c failover_segment_id
	assert_success
	assert_output "$SEG"
}

@test "openstack segment host create of a taken name fails with the server's message" {
	mkseg seg1
	mkhost "$SEG" compute-1
	os segment host create compute-1 COMPUTE SSH "$SEG"
	assert_failure
	assert_output --partial 'Host with name compute-1 already exists.'
}

@test "openstack segment host list shows the segment's hosts" {
	mkseg seg1
	mkhost "$SEG" compute-1
	mkhost "$SEG" compute-2 '"on_maintenance": true'
	os segment host list "$SEG" -f value -c name -c on_maintenance
	assert_success
	assert_line 'compute-1 False'
	assert_line 'compute-2 True'
}

@test "openstack segment host list --filters keeps the hosts on maintenance" {
	mkseg seg1
	mkhost "$SEG" compute-1
	mkhost "$SEG" compute-2 '"on_maintenance": true'
	os segment host list "$SEG" --filters on_maintenance=True -f value -c name
	assert_success
	assert_output compute-2
}

@test "openstack segment host show by name prints its fields" {
	mkseg seg1
	mkhost "$SEG" compute-1
	os segment host show seg1 compute-1 -f json
	assert_success
	assert_equal "$(jq -r .uuid <<<"$output")" "$HOST"
	assert_equal "$(jq -r .control_attributes <<<"$output")" SSH
}

@test "openstack segment host update changes name and maintenance" {
	mkseg seg1
	mkhost "$SEG" compute-1
	os segment host update "$SEG" "$HOST" --name compute-1b --on_maintenance True
	assert_success
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$(json .host.name)" compute-1b
	assert_equal "$(json .host.on_maintenance)" true
}

@test "openstack segment host delete removes a host" {
	mkseg seg1
	mkhost "$SEG" compute-1
	os segment host delete "$SEG" "$HOST"
	assert_success
	api GET "/v1/segments/$SEG/hosts/$HOST"
	assert_equal "$code" 404
}

@test "openstack segment host delete of an in-use host fails with the server's message" {
	mkseg seg1
	mkhost "$SEG" compute-1
	mknotif compute-1
	os segment host delete "$SEG" "$HOST"
	assert_failure
	assert_output --partial "Host $HOST can't be deleted as it is in-use to process notifications."
}

@test "openstack notification create prints the new notification" {
	mkseg seg1
	mkhost "$SEG" compute-1
	os notification create COMPUTE_HOST compute-1 2024-01-01T00:00:00 "$PAYLOAD" -f json
	assert_success
	assert_equal "$(jq -r .status <<<"$output")" new
	assert_equal "$(jq -r .source_host_uuid <<<"$output")" "$HOST"
	assert_equal "$(jq -r .payload.cluster_status <<<"$output")" OFFLINE
}

@test "openstack notification create from an unknown host fails with the server's message" {
	os notification create COMPUTE_HOST nobody 2024-01-01T00:00:00 "$PAYLOAD"
	assert_failure
	assert_output --partial 'Host with name nobody could not be found.'
}

@test "openstack notification list shows the notifications" {
	mkseg seg1
	mkhost "$SEG" compute-1
	mknotif compute-1
	local first=$NOTIF
	mknotif compute-1 2024-02-01T00:00:00
	manage notification set-status "$first" finished
	os notification list -f value -c notification_uuid -c status
	assert_success
	assert_line "$first finished"
	assert_line "$NOTIF new"
	os notification list --filters status=new -f value -c notification_uuid
	assert_output "$NOTIF"
}

@test "openstack notification show prints the notification" {
	mkseg seg1
	mkhost "$SEG" compute-1
	mknotif compute-1
	os notification show "$NOTIF" -f json
	assert_success
	assert_equal "$(jq -r .notification_uuid <<<"$output")" "$NOTIF"
	assert_equal "$(jq -r .generated_time <<<"$output")" 2024-01-01T00:00:00.000000
}

@test "openstack segment host list with a non-admin token is refused" {
	mkseg seg1
	TOKEN=$MEMBER_TOKEN os segment host list "$SEG"
	assert_failure
	assert_output --partial "Policy doesn't allow os_masakari_api:os-hosts:index to be performed."
}

@test "openstacksdk drives hosts and notifications through conn.instance_ha" {
	run /usr/bin/python3 "$TOP/tests/clients/sdk_hosts.py" "$HA_URL" "$TOKEN" 25 "$HACGI_MANAGE" "$DATA_DIR"
	assert_success
	assert_line 'created 25, listed 25, distinct 25'
	assert_line 'ok host delete refused while in use'
	assert_line 'ok hosts gone with their segment'
	# three pages: 10 + 10 + 5, then an empty one (lighttpd writes its
	# access log within a second or so)
	local i n=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		n=$(grep -c 'GET /v1/segments/[^/]*/hosts?.*limit=10' \
		    "$HACGI_SERVER/access.log" || true)
		[[ $n -ge 3 ]] && break
		sleep 0.5
	done
	assert [ "$n" -ge 3 ]
}
