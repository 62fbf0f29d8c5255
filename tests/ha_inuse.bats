#!/usr/bin/env bats
# Segments and hosts in use (SPEC 1.3), the cascade of a segment delete,
# a delete racing host creates, and bad input leaving DATA_DIR as it was.
load helpers
load ha_fixtures

# A segment s1 with hosts compute-1 (HOST1) and compute-2 (HOST2), and a
# notification in status new from compute-1 (NOTIF).
in_use_segment() {
	mkseg s1
	mkhost "$SEG" compute-1
	HOST1=$HOST
	mkhost "$SEG" compute-2
	HOST2=$HOST
	mknotif compute-1
}

@test "a new notification blocks the segment update until it is finished" {
	in_use_segment
	api PUT "/v1/segments/$SEG" '{"segment": {"description": "x"}}'
	assert_equal "$code" 409
	assert_output "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Failover segment $SEG can't be updated as it is in-use to process notifications.\"}}"
	run manage notification set-status "$NOTIF" finished
	assert_success
	api PUT "/v1/segments/$SEG" '{"segment": {"description": "x"}}'
	assert_equal "$code" 200
	assert_equal "$(json .segment.description)" x
}

@test "running and error block a segment update, failed and ignored do not" {
	in_use_segment
	local s
	for s in running error; do
		manage notification set-status "$NOTIF" "$s"
		api PUT "/v1/segments/$SEG" '{"segment": {"description": "x"}}'
		assert_equal "$code" 409
	done
	for s in failed ignored; do
		manage notification set-status "$NOTIF" "$s"
		api PUT "/v1/segments/$SEG" '{"segment": {"description": "$s"}}'
		assert_equal "$code" 200
	done
}

@test "an in-use segment cannot be deleted" {
	in_use_segment
	api DELETE "/v1/segments/$SEG"
	assert_equal "$code" 409
	assert_output "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Failover segment ($SEG) can't be deleted as it is in-use to process notifications.\"}}"
	api GET "/v1/segments/$SEG/hosts"
	assert_equal "$(json '.hosts | length')" 2
}

@test "no host of an in-use segment can be updated or deleted" {
	in_use_segment
	api PUT "/v1/segments/$SEG/hosts/$HOST2" '{"host": {"type": "X"}}'
	assert_equal "$code" 409
	assert_output "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Host $HOST2 can't be updated as it is in-use to process notifications.\"}}"
	api DELETE "/v1/segments/$SEG/hosts/$HOST1"
	assert_equal "$code" 409
	assert_output "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Host $HOST1 can't be deleted as it is in-use to process notifications.\"}}"
}

@test "the in-use check of a host update comes before the name check" {
	in_use_segment
	api PUT "/v1/segments/$SEG/hosts/$HOST2" '{"host": {"name": "compute-1"}}'
	assert_equal "$code" 409
	assert_equal "$(json .conflictingRequest.message)" "Host $HOST2 can't be updated as it is in-use to process notifications."
}

@test "hosts of a segment are free again once the notification is ignored" {
	in_use_segment
	manage notification set-status "$NOTIF" ignored
	api PUT "/v1/segments/$SEG/hosts/$HOST2" '{"host": {"on_maintenance": true}}'
	assert_equal "$code" 200
	api DELETE "/v1/segments/$SEG/hosts/$HOST2"
	assert_equal "$code" 204
}

@test "hosts can be created in an in-use segment" {
	in_use_segment
	mkhost "$SEG" compute-3
	assert_equal "$(json .host.id)" 3
}

@test "an in-use segment does not block another segment" {
	in_use_segment
	local busy=$SEG
	mkseg s2
	mkhost "$SEG" other
	api PUT "/v1/segments/$SEG/hosts/$HOST" '{"host": {"type": "X"}}'
	assert_equal "$code" 200
	api DELETE "/v1/segments/$SEG"
	assert_equal "$code" 204
	api DELETE "/v1/segments/$busy"
	assert_equal "$code" 409
}

@test "hacgi-manage notification set-status keeps the active entries in step" {
	in_use_segment
	local act=$DATA_DIR/ha/index/active/$SEG
	assert_equal "$(ls "$act")" "$NOTIF.json"
	assert_equal "$(jq -c . "$act/$NOTIF.json")" "{\"host\":\"$HOST1\"}"
	manage notification set-status "$NOTIF" finished
	assert_equal "$(ls "$act")" ''
	manage notification set-status "$NOTIF" error
	assert_equal "$(jq -c . "$act/$NOTIF.json")" "{\"host\":\"$HOST1\"}"
	[[ ! -e $DATA_DIR/ha/active.json ]]
}

@test "deleting a segment deletes its hosts and frees their names" {
	mkseg s1
	mkhost "$SEG" compute-1
	local h1=$HOST gone=$SEG
	mkhost "$SEG" compute-2
	api DELETE "/v1/segments/$gone"
	assert_equal "$code" 204
	api GET "/v1/segments/$gone/hosts"
	assert_equal "$code" 404
	api GET "/v1/segments/$gone/hosts/$h1"
	assert_equal "$code" 404
	assert_not_exist "$DATA_DIR/ha/hosts/$gone"
	[[ -z $(ls "$DATA_DIR/ha/names" | grep '^h-') ]]
	mkseg s2
	mkhost "$SEG" compute-1
	mkhost "$SEG" compute-2
}

@test "deleting a segment keeps the notifications of its hosts" {
	mkseg s1
	mkhost "$SEG" compute-1
	mknotif compute-1
	manage notification set-status "$NOTIF" finished
	api DELETE "/v1/segments/$SEG"
	assert_equal "$code" 204
	api GET "/v1/notifications/$NOTIF"
	assert_equal "$code" 200
	assert_equal "$(json .notification.source_host_uuid)" "$HOST"
}

@test "a notification from a host of a deleted segment cannot be sent" {
	mkseg s1
	mkhost "$SEG" compute-1
	api DELETE "/v1/segments/$SEG"
	api POST /v1/notifications "$(notif_body compute-1)"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Host with name compute-1 could not be found."
}

# orphans: host folders or records whose segment does not exist, and
# name-index entries of hosts whose record names another host.
orphans() {
	local d s
	for d in "$DATA_DIR"/ha/hosts/*/; do
		[[ -d $d ]] || continue
		s=$(basename "$d")
		[[ -f $DATA_DIR/ha/segments/$s.json ]] && continue
		echo "orphan folder $s: $(ls "$d")"
	done
}

@test "a segment delete racing host creates never leaves an orphan host" {
	local round i pids dir=$BATS_TEST_TMPDIR
	for round in 1 2 3 4 5; do
		mkseg "race-$round"
		pids=()
		for i in $(seq 1 12); do
			curl -s -o /dev/null -w '%{http_code}\n' -X POST \
			    -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
			    -d "{\"host\": {\"name\": \"r$round-$i\", \"type\": \"COMPUTE\", \"control_attributes\": \"SSH\"}}" \
			    "$HA_URL/v1/segments/$SEG/hosts" > "$dir/create-$round-$i" &
			pids+=($!)
			if [[ $i == 6 ]]; then
				curl -s -o /dev/null -w '%{http_code}\n' -X DELETE \
				    -H "X-Auth-Token: $TOKEN" "$HA_URL/v1/segments/$SEG" \
				    > "$dir/delete-$round" &
				pids+=($!)
			fi
		done
		wait "${pids[@]}"
		assert_equal "$(cat "$dir/delete-$round")" 204
		for i in $(seq 1 12); do
			[[ $(cat "$dir/create-$round-$i") =~ ^(201|404)$ ]]
		done
		api GET "/v1/segments/$SEG/hosts"
		assert_equal "$code" 404
	done
	# both sides won some of the races
	grep -qx 201 "$dir"/create-*
	grep -qx 404 "$dir"/create-*
	assert_equal "$(orphans)" ""
	[[ -z $(ls "$DATA_DIR/ha/names" | grep '^h-') ]]
	run manage fsck		# 2: no fsck command in this build
	[[ $status == 2 ]] || assert_success
	# every name is free again
	mkseg after
	for round in 1 2 3 4 5; do
		mkhost "$SEG" "r$round-1"
	done
}

@test "bad input on every hosts and notifications endpoint changes nothing on disk" {
	in_use_segment
	local busy=$SEG free before after
	mkhost "$busy" compute-m '"on_maintenance": true'
	mkseg s2
	free=$SEG
	mkhost "$free" compute-f
	before=$(data_snapshot)
	local -a cases=(
	    "POST|/v1/segments/$busy/hosts|{\"host\": {\"name\": \"compute-1\", \"type\": \"COMPUTE\", \"control_attributes\": \"SSH\"}}|409|conflictingRequest"
	    "POST|/v1/segments/$busy/hosts|{\"host\": {\"name\": \"x\", \"type\": \"COMPUTE\"}}|400|badRequest"
	    "POST|/v1/segments/$busy/hosts|{\"host\": {\"name\": \" x\", \"type\": \"COMPUTE\", \"control_attributes\": \"SSH\"}}|400|badRequest"
	    "POST|/v1/segments/$busy/hosts|{\"host\": |400|badRequest"
	    "POST|/v1/segments/$busy/hosts||400|badRequest"
	    "POST|/v1/segments/11111111-2222-3333-4444-555555555555/hosts|{\"host\": {\"name\": \"x\", \"type\": \"COMPUTE\", \"control_attributes\": \"SSH\"}}|404|itemNotFound"
	    "GET|/v1/segments/$busy/hosts?limit=-1||400|badRequest"
	    "GET|/v1/segments/$busy/hosts?reserved=maybe||400|badRequest"
	    "GET|/v1/segments/$busy/hosts?marker=nope||400|badRequest"
	    "GET|/v1/segments/$busy/hosts?sort_dir=up||400|badRequest"
	    "GET|/v1/segments/nope/hosts||404|itemNotFound"
	    "DELETE|/v1/segments/$busy/hosts||405|badMethod"
	    "GET|/v1/segments/$busy/hosts/nope||404|itemNotFound"
	    "PUT|/v1/segments/$busy/hosts/$HOST1|{\"host\": {\"type\": \"X\"}}|409|conflictingRequest"
	    "PUT|/v1/segments/$free/hosts/$HOST1|{\"host\": {\"type\": \"X\"}}|404|itemNotFound"
	    "PUT|/v1/segments/$free/hosts/nope|{\"host\": {\"type\": \"X\"}}|404|itemNotFound"
	    "PUT|/v1/segments/$busy/hosts/$HOST1|{\"host\": {}}|400|badRequest"
	    "PUT|/v1/segments/$busy/hosts/$HOST1|{\"host\": {\"reserved\": 2}}|400|badRequest"
	    "DELETE|/v1/segments/$busy/hosts/$HOST2||409|conflictingRequest"
	    "DELETE|/v1/segments/$free/hosts/$HOST2||404|itemNotFound"
	    "PATCH|/v1/segments/$busy/hosts/$HOST2|{}|405|badMethod"
	    "PUT|/v1/segments/$busy|{\"segment\": {\"description\": \"x\"}}|409|conflictingRequest"
	    "PUT|/v1/segments/$busy||400|badRequest"
	    "PUT|/v1/segments/$busy|{\"segment\": {\"name\": \"s2\"}}|409|conflictingRequest"
	    "DELETE|/v1/segments/$busy||409|conflictingRequest"
	    "POST|/v1/notifications|$(notif_body compute-1)|409|conflictingRequest"
	    "POST|/v1/notifications|$(notif_body compute-m)|409|conflictingRequest"
	    "POST|/v1/notifications|$(notif_body nobody)|400|badRequest"
	    "POST|/v1/notifications|$(notif_body compute-1 '' '{"event": "BOOM"}')|400|badRequest"
	    "POST|/v1/notifications|$(notif_body compute-1 '' '{"event": "STOPPED", "extra": "1"}')|400|badRequest"
	    "POST|/v1/notifications|$(notif_body compute-1 never)|400|badRequest"
	    "POST|/v1/notifications|$(notif_body compute-1 '' '' DISK)|400|badRequest"
	    "POST|/v1/notifications|[]|400|badRequest"
	    "GET|/v1/notifications?generated-since=soon||400|badRequest"
	    "GET|/v1/notifications?sort_key=payloads||400|badRequest"
	    "GET|/v1/notifications?limit=x||400|badRequest"
	    "GET|/v1/notifications/nope||404|itemNotFound"
	    "GET|/v1/notifications/11111111-2222-3333-4444-555555555555||404|itemNotFound"
	    "PUT|/v1/notifications/$NOTIF|{}|405|badMethod"
	    "POST|/v1/notifications/$NOTIF/action|{}|405|badMethod"
	)
	local c m p b s f
	for c in "${cases[@]}"; do
		IFS='|' read -r m p b s f <<<"$c"
		api "$m" "$p" "$b"
		[[ $code == "$s" ]] || fail "$m $p: expected $s, got $code: $output"
		[[ $(json 'keys[0]') == "$f" ]] || fail "$m $p: expected $f: $output"
	done
	# the same with a member token (403 after the schema) and a bad
	# Content-Type (415)
	TOKEN=$MEMBER_TOKEN api POST /v1/notifications "$(notif_body compute-2)"
	assert_equal "$code" 403
	TOKEN=$MEMBER_TOKEN api DELETE "/v1/segments/$free/hosts/$HOST"
	assert_equal "$code" 403
	CTYPE=application/xml api POST "/v1/segments/$free/hosts" '{"host": {"name": "y", "type": "C", "control_attributes": "S"}}'
	assert_equal "$code" 415
	after=$(data_snapshot)
	assert_equal "$after" "$before"
}
