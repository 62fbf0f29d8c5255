# tests/keystone_fixtures.bash: a real Keystone for a suite (`load
# keystone_fixtures`, then ks_setup_file in setup_file and
# ks_teardown_file in teardown_file): tests/keystone.sh starts it on a
# free loopback port (users, projects, the catalog: ks_setup.py), hacgi's
# credentials file goes into the pristine data directory, and the suite's
# server is restarted in keystone mode.
#
# Exported: KS_DIR (tests/keystone.sh's folder), KS_URL, KS_PORT,
# KS_PROJECT (hacgi-demo's id), KS_OTHER_PROJECT, KS_PASSWORD (every
# ks-* user's), KS_SERVICE_PASSWORD (hacgi's), KS_ADMIN_PASSWORD; PROJECT
# becomes KS_PROJECT (tests/route_table.bash).
#
#   ks_token USER [PROJECT|--domain|--system]   a token of USER (printed;
#                KS_PW: a password other than KS_PASSWORD)
#   ks_calls     how many token validations Keystone has answered
#   ks_creds [PASSWORD [URL]]   write DATA_DIR/keystone.conf (and forget
#                the kept service token)
#   ks_server [genconf options]   restart the suite's server in keystone
#                mode with these options

ks_setup_file() {
	export KS_DIR=$HACGI_TMP/keystone
	sh "$TOP/tests/keystone.sh" start "$KS_DIR" "$HA_URL" "$VOLUME_URL" \
	    3>&- || return 1	# (it stops what it started)
	set -a
	# shellcheck source=/dev/null
	. "$KS_DIR/state"
	set +a
	export PROJECT=$KS_PROJECT
	DATA_DIR=$HACGI_PRISTINE ks_creds
	ks_server
}

ks_teardown_file() {
	sh "$TOP/tests/keystone.sh" stop "$KS_DIR"
	server_restart
}

ks_server() {
	server_restart --auth keystone --manage "$HACGI_MANAGE" "$@"
}

ks_creds() {
	local f=$DATA_DIR/keystone.conf
	printf '%s\n' "# hacgi's service user" "auth_url = ${2:-$KS_URL}" \
	    'username = hacgi' "password = ${1:-$KS_SERVICE_PASSWORD}" \
	    'project_name = service' 'user_domain_name = Default' \
	    'project_domain_name = Default' > "$f"
	chmod 0600 "$f"
	rm -f "$DATA_DIR/keystone/service.json"
}

ks_token() {
	local scope=(--os-project-name "${2:-hacgi-demo}"
	    --os-project-domain-name Default)
	case ${2-} in
	--domain) scope=(--os-domain-name Default) ;;
	--system) scope=(--os-system-scope all) ;;
	esac
	OS_PASSWORD=${KS_PW:-$KS_PASSWORD} openstack --os-auth-url "$KS_URL" \
	    --os-identity-api-version 3 --os-username "$1" \
	    --os-user-domain-name Default "${scope[@]}" \
	    token issue -f value -c id
}

ks_calls() {
	grep -c 'GET /v3/auth/tokens' "$KS_DIR/keystone.log" || true
}
