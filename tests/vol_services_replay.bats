#!/usr/bin/env bats
# Every record of the os-services actions recording (tests/reference/
# cinder/corpus-services.jsonl: cinder-api 21.3.1 on the fixture), replayed
# in order against the running server by tests/replay/cinder_services.py,
# with the decided differences of issue 13 (and SPEC 5) answered as
# decided.  The server runs with API_HOST=api-ref, the recording's
# CONF.host, which get-log reports.
load helpers

setup_file() {
	server_restart --api-host api-ref
	REPLAY=$BATS_FILE_TMPDIR/replay.out
	export REPLAY
}

teardown_file() {
	server_restart
}

# decided NAME GROUP: the record was answered as the decision says.
decided() {
	run grep -Fx "ok $1 [$2]" "$REPLAY"
	assert_success
}

@test "the os-services actions corpus replays with all 116 records matching" {
	run /usr/bin/python3 "$TOP/tests/replay/cinder_services.py" \
	    --url "$VOLUME_URL" --manage "$HACGI_MANAGE" --data-dir "$DATA_DIR"
	printf '%s\n' "$output" > "$REPLAY"
	echo "$output" | grep -v '^ok ' >&3 || true
	assert_success
	assert_line 'replay cinder-services: 116 passed, 0 failed'
	run manage fsck
	assert_success
	assert_output --partial '0 error(s)'
}

@test "20 records differ from the recording, each as decided" {
	run grep -c '^ok .* \[' "$REPLAY"
	assert_output 20
}

@test "no token: 401 keystone-style (divergence 9)" {
	decided enable_no_token 'div9 401'
}

@test "cluster1@lvm counts its hosts per binary in every detail list (divergence 12)" {
	local n
	for n in clusters_detail_initial clusters_detail_after_disable_batch \
	    clusters_detail_after_freeze_host1 clusters_detail_after_thaw_cluster1 \
	    clusters_detail_after_freeze_cluster1 clusters_detail_after_thaw_host2 \
	    clusters_detail_after_failover_host5 \
	    clusters_detail_after_failover_cluster2; do
		decided "$n" div12
	done
}

@test "names match literally: host_ and HOST1 find nothing, host1@lvm stays enabled" {
	decided disable_underscore_wildcard 'literal names'
	decided services_after_disable_batch2 'literal names'
	decided enable_uppercase_hostlevel 'literal names'
}

@test "freeze and thaw answer 200 at once and change what the recording shows" {
	local n
	for n in freeze_host1 thaw_cluster1_3.26 freeze_cluster1_hostlevel_3.26 \
	    thaw_host2; do
		decided "$n" 'at once'
	done
	# the lists after them match the recording
	for n in services_after_freeze_host1 services_after_thaw_cluster1 \
	    services_after_thaw_host2; do
		run grep -Fx "ok $n" "$REPLAY"
		assert_success
	done
}

@test "get-log answers at once with the levels hacgi keeps" {
	decided get_log_all 'at once'
	decided get_log_volume_cluster 'at once'
}

@test "a reason with control characters is refused and changes nothing" {
	decided disable_log_reason_nonprintable_padded controls
	decided services_after_reason_nonprintable controls
}
