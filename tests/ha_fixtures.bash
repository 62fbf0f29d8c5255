# tests/ha_fixtures.bash: Instance-HA fixtures for the hosts and
# notifications suites (`load ha_fixtures` after `load helpers`).
#
#   mkseg NAME [RECOVERY]          create a segment; sets SEG (its uuid)
#   mkhost SEGUUID NAME [EXTRA]    create a host (EXTRA: more JSON members
#                                  of "host"); sets HOST (its uuid)
#   mknotif HOSTNAME [TIME [PAYLOAD [TYPE]]]
#                                  create a notification (default: a
#                                  COMPUTE_HOST STOPPED event); sets NOTIF
#   data_snapshot                  print a digest of every file and folder
#                                  under DATA_DIR (names, modes, bytes)

mkseg() {
	api POST /v1/segments "{\"segment\": {\"name\": \"$1\", \"recovery_method\": \"${2:-auto}\", \"service_type\": \"COMPUTE\"}}"
	assert_equal "$code" 201
	SEG=$(json .segment.uuid)
}

mkhost() {
	local extra=${3-}
	api POST "/v1/segments/$1/hosts" "{\"host\": {\"name\": \"$2\", \"type\": \"COMPUTE\", \"control_attributes\": \"SSH\"${extra:+, $extra}}}"
	assert_equal "$code" 201
	HOST=$(json .host.uuid)
}

# The body of a notification; TYPE defaults to COMPUTE_HOST.
notif_body() {
	local payload=${3:-'{"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"}'}
	printf '{"notification": {"type": "%s", "hostname": "%s", "generated_time": "%s", "payload": %s}}' \
	    "${4:-COMPUTE_HOST}" "$1" "${2:-2024-01-01T00:00:00}" "$payload"
}

mknotif() {
	api POST /v1/notifications "$(notif_body "$@")"
	assert_equal "$code" 202
	NOTIF=$(json .notification.notification_uuid)
}

data_snapshot() {
	(cd "$DATA_DIR" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
	    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
