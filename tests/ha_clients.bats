#!/usr/bin/env bats
# The real clients from Debian against the Instance-HA API: the openstack
# CLI with the masakari plugin, and openstacksdk.
load helpers

os() {
	run openstack --os-auth-type admin_token --os-token "$TOKEN" \
	    --os-endpoint "$HA_URL/v1" "$@"
}

@test "openstack segment create prints the new segment" {
	os segment create seg-cli auto COMPUTE --description 'made by cli' -f json
	assert_success
	assert_equal "$(jq -r .name <<<"$output")" seg-cli
	assert_equal "$(jq -r .description <<<"$output")" 'made by cli'
	assert_equal "$(jq -r .recovery_method <<<"$output")" auto
}

@test "openstack segment list shows the segments" {
	os segment create seg-a auto COMPUTE
	os segment create seg-b reserved_host COMPUTE
	os segment list -f value -c name -c recovery_method
	assert_success
	assert_line 'seg-b reserved_host'
	assert_line 'seg-a auto'
}

@test "openstack segment show by uuid prints its fields" {
	os segment create seg-s auto COMPUTE -f value -c uuid
	local uuid=$output
	os segment show "$uuid" -f json
	assert_success
	assert_equal "$(jq -r .name <<<"$output")" seg-s
	assert_equal "$(jq -r .uuid <<<"$output")" "$uuid"
}

@test "openstack segment update renames a segment" {
	os segment create seg-u auto COMPUTE -f value -c uuid
	local uuid=$output
	os segment update "$uuid" --name seg-renamed --recovery_method reserved_host
	assert_success
	api GET "/v1/segments/$uuid"
	assert_equal "$(json .segment.name)" seg-renamed
	assert_equal "$(json .segment.recovery_method)" reserved_host
}

@test "openstack segment update --is_enabled False at 1.2 disables" {
	os segment create seg-e auto COMPUTE -f value -c uuid
	local uuid=$output
	os --os-ha-api-version 1.2 segment update "$uuid" --is_enabled False
	assert_success
	api GET "/v1/segments/$uuid"
	assert_equal "$(json .segment.enabled)" false
}

@test "openstack segment delete removes a segment" {
	os segment create seg-d auto COMPUTE -f value -c uuid
	local uuid=$output
	os segment delete "$uuid"
	assert_success
	api GET "/v1/segments/$uuid"
	assert_equal "$code" 404
}

@test "openstack segment create of a taken name fails with the server's message" {
	os segment create dup auto COMPUTE
	os segment create dup auto COMPUTE
	assert_failure
	assert_output --partial 'Failover segment with name dup already exists.'
}

@test "openstack segment list with a non-admin token is refused" {
	TOKEN=$MEMBER_TOKEN os segment list
	assert_failure
	assert_output --partial "Policy doesn't allow os_masakari_api:segments:index to be performed."
}

@test "openstacksdk pages through 25 segments with limit=10 and sees all" {
	run /usr/bin/python3 "$TOP/tests/clients/sdk_segments.py" "$HA_URL" "$TOKEN" 25
	assert_success
	assert_line 'created 25, listed 25 (0 before), distinct 25'
	assert_line 'after delete 24'
	# three pages: 10 + 10 + 5, then an empty one
	run grep -c 'GET /v1/segments?.*limit=10' "$HACGI_SERVER/access.log"
	assert [ "$output" -ge 3 ]
	# it deletes what it made
	api GET /v1/segments
	assert_equal "$(json '.segments | length')" 0
}

@test "openstacksdk example works on a store that holds segments, twice" {
	os segment create seg-keep1 auto COMPUTE
	os segment create seg-keep2 auto COMPUTE
	for _ in 1 2; do
		run /usr/bin/python3 "$TOP/tests/clients/sdk_segments.py" \
		    "$HA_URL" "$TOKEN" 12
		assert_success
		assert_line 'created 12, listed 14 (2 before), distinct 14'
		assert_line 'after delete 13'
	done
	os segment list -f value -c name
	assert_success
	assert_equal "$(sort <<<"$output" | tr '\n' ' ')" 'seg-keep1 seg-keep2 '
}
