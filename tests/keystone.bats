#!/usr/bin/env bats
# Keystone mode (issue 14, SPEC 2.2.1) with a real Keystone: the real
# clients with their normal login and the catalog (no token, no endpoint
# given), and the policy table over every route with Keystone tokens.
# The cache, the failures and the secrets: tests/keystone_cache.bats.
load helpers
load route_table
load keystone_fixtures

setup_file() {
	ks_setup_file
}

teardown_file() {
	ks_teardown_file
}

# login USER: the clients' usual password login (no endpoint override)
login() {
	LOGIN=(--os-auth-url "$KS_URL" --os-username "$1"
	    --os-password "$KS_PASSWORD" --os-project-name hacgi-demo
	    --os-user-domain-name Default --os-project-domain-name Default)
}

os() {
	login "${KS_USER:-ks-admin}"
	run openstack --os-identity-api-version 3 "${LOGIN[@]}" "$@"
}

cin() {
	login "${KS_USER:-ks-admin}"
	run cinder "${LOGIN[@]}" --os-volume-api-version "${MV:-3.7}" "$@"
}

PAYLOAD='{"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"}'

@test "openstack segment create, list, show, update and delete through the catalog" {
	os segment create seg-ks auto COMPUTE -f value -c uuid
	assert_success
	local uuid=$output
	os segment list -f value -c name
	assert_success
	assert_output seg-ks
	os segment update "$uuid" --description 'via keystone'
	assert_success
	os segment show "$uuid" -f json
	assert_equal "$(jq -r .description <<<"$output")" 'via keystone'
	os segment delete "$uuid"
	assert_success
	os segment list -f value -c name
	assert_output ''
}

@test "openstack segment host and notification commands through the catalog" {
	os segment create seg-h auto COMPUTE -f value -c uuid
	local seg=$output
	os segment host create compute-1 COMPUTE SSH "$seg" -f value -c name
	assert_success
	assert_output compute-1
	os segment host list "$seg" -f value -c name
	assert_output compute-1
	os notification create COMPUTE_HOST compute-1 2024-01-01T00:00:00 \
	    "$PAYLOAD" -f value -c status
	assert_success
	assert_output new
	os notification list -f value -c source_host_uuid
	assert_success
	assert_equal "${#lines[@]}" 1
}

@test "a member's openstack segment list is refused by the policy" {
	KS_USER=ks-member os segment list
	assert_failure
	assert_output --partial "Policy doesn't allow os_masakari_api:segments:index to be performed."
}

@test "openstack block storage cluster commands through the catalog (project-id template)" {
	manage cluster set c2
	manage service heartbeat --host n1@lvm --binary cinder-volume --cluster c2
	os --os-volume-api-version 3.7 block storage cluster list -f value
	assert_success
	assert_line 'c2 cinder-volume up enabled'
	os --os-volume-api-version 3.7 block storage cluster show c2 -f value -c Name
	assert_output c2
	os --os-volume-api-version 3.7 block storage cluster set --disable \
	    --disable-reason maint c2
	# python-openstackclient 6.0.0 prints the cluster as a tuple (see
	# tests/vol_clients.bats); the API has it disabled
	assert_output --partial "('c2', 'cinder-volume', 'up', 'disabled', 'maint'"
	os --os-volume-api-version 3.7 block storage cluster set --enable c2
	os --os-volume-api-version 3.7 block storage cluster list -f value
	assert_line 'c2 cinder-volume up enabled'
}

@test "cinder cluster-list, cluster-show, cluster-disable and cluster-enable with a password login" {
	manage cluster set c1@lvm
	manage service heartbeat --host h1@lvm --binary cinder-volume --cluster c1@lvm
	cin cluster-list
	assert_success
	assert_line --regexp '^\| c1@lvm +\| cinder-volume +\| up +\| enabled +\|$'
	cin cluster-show c1@lvm
	assert_success
	assert_line --regexp '^\| name +\| c1@lvm +\|$'
	cin cluster-disable c1@lvm --reason 'cinder maint'
	assert_success
	cin cluster-list
	assert_line --regexp '^\| c1@lvm +\| cinder-volume +\| up +\| disabled +\|$'
	cin cluster-enable c1@lvm
	assert_success
	cin cluster-list
	assert_line --regexp '^\| c1@lvm +\| cinder-volume +\| up +\| enabled +\|$'
}

@test "openstacksdk from clouds.yaml pages through 25 segments with markers" {
	local cfg=$BATS_TEST_TMPDIR/clouds.yaml
	cat > "$cfg" <<EOF
clouds:
  hacgi:
    auth:
      auth_url: $KS_URL
      username: ks-admin
      password: $KS_PASSWORD
      project_name: hacgi-demo
      user_domain_name: Default
      project_domain_name: Default
    identity_api_version: 3
    region_name: RegionOne
EOF
	OS_CLIENT_CONFIG_FILE=$cfg run /usr/bin/python3 \
	    "$TOP/tests/clients/sdk_segments.py" --cloud hacgi 25
	assert_success
	assert_line 'created 25, listed 25 (0 before), distinct 25'
	# marker paging: three pages of limit=10
	run grep -cE '"GET /v1/segments\?[^ ]*marker=' "$HACGI_SERVER/access.log"
	[[ $output -ge 2 ]]
}

# ---- the policy table over every route, with Keystone tokens ----

# ks_route TOKEN WANT API METHOD PATH BODY MEMBER: WANT is admin (any
# status but 401 and 403), member (MEMBER, a 403 a JSON one) or a status.
ks_status() {
	local want=$1
	shift
	TOKEN=$KS_TOK call "$1" "$2" "$3" "$4"
	case $want in
	admin) [[ $code != 401 && $code != 403 && $code != 5* ]] ;;
	member)
		[[ $code == "$5" ]] || return 1
		[[ $code != 403 ]] || [[ $(json .forbidden.code) == 403 ]] ;;
	esac
}

as_admin() { ks_status admin "$@"; }
as_member() { ks_status member "$@"; }

@test "every route: a Keystone admin passes every rule" {
	KS_TOK=$(ks_token ks-admin)
	each_route as_admin
}

@test "every route: Keystone member, reader and service tokens get the local member answers" {
	local u
	for u in ks-member ks-reader ks-service; do
		KS_TOK=$(ks_token "$u")
		each_route as_member
	done
}

@test "a Keystone service token reports heartbeats for no host: bound to none" {
	TOKEN=$(ks_token ks-service) vapi PUT /v3/os-hacgi-heartbeat \
	    '{"service": {"host": "h@b", "binary": "cinder-volume"}}' \
	    -H 'OpenStack-API-Version: volume 3.70'
	assert_equal "$code" 403
	# with the policy file's help it may (README "Keystone")
	printf '%s\n' '{"hacgi:services:heartbeat:any_host": ["admin", "service"]}' \
	    > "$DATA_DIR/policy.json"
	chmod 0600 "$DATA_DIR/policy.json"
	TOKEN=$(ks_token ks-service) vapi PUT /v3/os-hacgi-heartbeat \
	    '{"service": {"host": "h@b", "binary": "cinder-volume"}}' \
	    -H 'OpenStack-API-Version: volume 3.70'
	assert_equal "$code" 200
}

@test "a token of another project: 400 on URLs naming this project, both APIs" {
	TOKEN=$(ks_token ks-other hacgi-other)
	vapi GET "/v3/$KS_PROJECT/clusters" '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" 'Malformed request url'
	api GET "/v1/$KS_PROJECT/segments"
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Malformed request URL: URL's project_id '$KS_PROJECT' doesn't match Context's project_id '$KS_OTHER_PROJECT'"
	api GET "/v1/$KS_OTHER_PROJECT/segments"
	assert_equal "$code" 200
}

@test "domain- and system-scoped tokens get the 401 of an invalid token" {
	local t
	for t in "$(ks_token ks-domain --domain)" \
	    "$(KS_PW=$KS_ADMIN_PASSWORD ks_token admin --system)"; do
		[[ -n $t ]]
		TOKEN=$t api GET /v1/segments
		assert_equal "$code" 401
		assert_header WWW-Authenticate "Keystone uri=\"$KS_URL\""
		TOKEN=$t vapi GET /v3/os-services
		assert_equal "$code" 401
	done
}
