#!/usr/bin/env bats
# What a local setting or an administrator's command could get wrong
# (issue 12): relative DATA_DIR and POLICY_FILE (item 4), control
# characters in the names hacgi-manage stores (item 12).  The programs
# are run directly with a CGI environment (RFC 3875), as a server runs
# them; the configs come from the generators.
load helpers
bats_require_minimum_version 1.5.0

DENY='{"os_masakari_api:segments:index": []}'

# list_segments DIR VAR=VALUE...: GET /v1/segments by ha-segments run in
# DIR (a server runs a program in its own folder), admin token.
list_segments() {
	local dir=$1
	shift
	run --separate-stderr env -C "$dir" -i REQUEST_METHOD=GET \
	    REQUEST_URI=/v1/segments HTTP_HOST=localhost:1 \
	    HTTP_X_AUTH_TOKEN="$ADMIN_TOKEN" "$@" \
	    "$HACGI_CGI_BIN/ha-segments" < /dev/null
}

# A working directory holding ./data (the tokens, a policy denying the
# segment list) and ./policy.json (the same policy).
setup() {
	reset_data
	log_mark
	CWD=$BATS_TEST_TMPDIR/cwd
	mkdir -p "$CWD"
	cp -a "$DATA_DIR" "$CWD/data"
	printf '%s\n' "$DENY" > "$CWD/data/policy.json"
	printf '%s\n' "$DENY" > "$CWD/policy.json"
	chmod 0600 "$CWD/data/policy.json" "$CWD/policy.json"
}

@test "a relative DATA_DIR is a JSON 500 with a log line, not a policy read from /" {
	# before: the tokens came from ./data, the policy from /data: 200
	list_segments "$CWD" DATA_DIR=data
	assert_line $'Status: 500 Internal Server Error\r'
	assert_output --partial '{"masakariFault": {"code": 500, '
	assert_equal "$stderr" \
	    "$(printf 'hacgi[%s]: DATA_DIR data: not an absolute path (set DATA_DIR in the web server config)' \
	    "$(sed -n 's/^X-Openstack-Request-Id: \(.*\)\r$/\1/p' <<<"$output")")"
	list_segments "$CWD" DATA_DIR=./data
	assert_line $'Status: 500 Internal Server Error\r'
}

@test "a relative POLICY_FILE is a JSON 500 with a log line" {
	# before: read as /policy.json (missing), so the deny was ignored: 200
	list_segments "$CWD" DATA_DIR="$DATA_DIR" POLICY_FILE=policy.json
	assert_line $'Status: 500 Internal Server Error\r'
	assert_equal "${stderr#*]: }" 'POLICY_FILE policy.json: not an absolute path'
	# absolute, it applies
	list_segments "$CWD" DATA_DIR="$DATA_DIR" POLICY_FILE="$CWD/policy.json"
	assert_line $'Status: 403 Forbidden\r'
	assert_equal "$stderr" ''
}

@test "the config generators refuse relative data, policy and program paths" {
	local rel
	for rel in "--data-dir data" "--cgi-bin cgi-bin" "--policy-file p.json"; do
		# shellcheck disable=SC2086 # the option and its value
		run sh "$TOP/tools/genconf.sh" --cgi-bin /c --data-dir /d \
		    --pid-file /p --error-log /e $rel
		assert_failure
		assert_output "genconf.sh: not an absolute path: '${rel#* }'"
		# shellcheck disable=SC2086
		run sh "$TOP/tools/genconf-apache.sh" --site --cgi-bin /c \
		    --data-dir /d $rel
		assert_failure
		assert_output "genconf-apache.sh: not an absolute path: '${rel#* }'"
	done
	run sh "$TOP/tools/genconf.sh" --cgi-bin /c --data-dir /d \
	    --pid-file /p --error-log /e --policy-file /p.json
	assert_success
}

# snapshot: every file under DATA_DIR but the lock files, with its content.
snapshot() {
	(cd "$DATA_DIR" && find . -type f ! -name '*.lock' | sort |
	    while read -r f; do printf '== %s\n' "$f"; cat "$f"; echo; done)
}

@test "hacgi-manage refuses a control character in any name, and stores nothing" {
	local snap args msg='control characters and bytes that are not UTF-8 are not accepted'
	snap=$(snapshot)
	# before: all stored, and shown as they are by cinder service-list,
	# cluster-list and hacgi-manage token list
	while IFS='|' read -r opt args; do
		eval "set -- $args"
		run "$HACGI_MANAGE" --data-dir "$DATA_DIR" "$@"
		assert_failure
		assert_output "hacgi-manage: $opt: $msg"
	done <<'EOF2'
--host|service heartbeat --host $'h\e[2J' --binary cinder-volume
--binary|service heartbeat --host h@b --binary $'cinder-volume\a'
--cluster|service heartbeat --host h@b --binary b --cluster $'c\u009b31m'
--zone|service heartbeat --host h@b --binary b --zone $'z\nforged line'
--user|token create --user $'u\x7f' --project p --roles admin
--roles|token create --user u --project p --roles $'admin,\e]0;title\a'
--user|token create --user $'caf\xe9' --project p --roles admin
argument 5|cluster set $'c\u0085' --disabled
--reason|cluster set c1 --disabled --reason $'r\r'
EOF2
	assert_equal "$(snapshot)" "$snap"
	# printable names in any script still pass
	run manage service heartbeat --host 'hôte@lvm' --binary cinder-volume \
	    --zone 'zone 中'
	assert_success
}
