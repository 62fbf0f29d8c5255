# tests/route_table.bash: every route of both APIs, for the suites that
# check who gets in (`load route_table`): tests/rel_security.bats with
# local tokens, tests/keystone.bats with Keystone's.  $PROJECT is the
# project of the tokens the suite uses.

ZERO=00000000-0000-4000-8000-000000000000

# routes: "API|METHOD|PATH|MEMBER|BODY" lines.  MEMBER: the status for a
# token without the admin role; BODY: a valid body (so that the
# Instance-HA schema, checked before the policy, passes) or nothing.
routes() {
	local seg='{"segment": {"name": "s", "recovery_method": "auto", "service_type": "C"}}'
	local host='{"host": {"name": "h", "type": "C", "control_attributes": "a"}}'
	local notif='{"notification": {"type": "VM", "hostname": "h", "generated_time": "2024-01-01T00:00:00", "payload": {"instance_uuid": "'$ZERO'", "vir_domain_event": "x", "event": "y"}}}'
	local hb='{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	local p
	cat <<EOF
ha|GET|/v1|200|
ha|GET|/v1/|200|
ha|GET|/v1/versions/v1.0|200|
ha|GET|/v1/extensions|403|
ha|GET|/v1/extensions/segments|403|
EOF
	for p in "" "/$PROJECT"; do
		cat <<EOF
ha|GET|/v1$p/segments|403|
ha|POST|/v1$p/segments|403|$seg
ha|GET|/v1$p/segments/$ZERO|403|
ha|PUT|/v1$p/segments/$ZERO|403|$seg
ha|DELETE|/v1$p/segments/$ZERO|403|
ha|GET|/v1$p/segments/$ZERO/hosts|403|
ha|POST|/v1$p/segments/$ZERO/hosts|403|$host
ha|GET|/v1$p/segments/$ZERO/hosts/$ZERO|403|
ha|PUT|/v1$p/segments/$ZERO/hosts/$ZERO|403|$host
ha|DELETE|/v1$p/segments/$ZERO/hosts/$ZERO|403|
ha|GET|/v1$p/notifications|403|
ha|POST|/v1$p/notifications|403|$notif
ha|GET|/v1$p/notifications/$ZERO|403|
vol|GET|/v3$p/clusters|403|
vol|GET|/v3$p/clusters/detail|403|
vol|GET|/v3$p/clusters/c1|403|
vol|PUT|/v3$p/clusters/enable|403|{"name":"c1"}
vol|PUT|/v3$p/clusters/disable|403|{"name":"c1"}
vol|GET|/v3$p/os-services|403|
vol|PUT|/v3$p/os-services/enable|403|{"host":"h@b","binary":"cinder-volume"}
vol|PUT|/v3$p/os-services/freeze|403|{"host":"h@b"}
vol|PUT|/v3$p/os-services/failover_host|403|{"host":"h@b"}
vol|PUT|/v3$p/os-services/get-log|403|{}
vol|PUT|/v3$p/os-hacgi-heartbeat|403|$hb
EOF
	done
	cat <<EOF
ha|GET|/v1/no/such/thing|404|
vol|GET|/v3/|200|
vol|GET|/v3|302|
EOF
}

# each_route FN [EVERY]: FN API METHOD PATH BODY MEMBER for every route
# (or every EVERY-th one); fails with the list of routes where FN failed.
each_route() {
	local api method path body member bad=() n=0 i=0
	while IFS='|' read -r api method path member body; do
		i=$((i + 1))
		[[ $(( (i - 1) % ${2:-1} )) == 0 ]] || continue
		n=$((n + 1))
		"$1" "$api" "$method" "$path" "$body" "$member" ||
			bad+=("$method $path -> $code")
	done < <(routes)
	echo "# $n routes" >&3
	[[ ${#bad[@]} -eq 0 ]] || fail "$(printf '%s\n' "${bad[@]}")"
}

call() {
	local api=$1
	shift
	if [[ $api == vol ]]; then
		vapi "$@" -H 'OpenStack-API-Version: volume 3.70'
	else
		api "$@"
	fi
}
