#!/usr/bin/env bats
# The README's "Quick start" and "The real clients" commands, run as
# printed against a fresh `make run` (its ports and token substituted:
# the variables the README's lines use are the ones `make run` prints),
# each answer checked.  A command of those sections that this file does
# not know fails the suite: the README cannot drift from the code.
#
# Runs `make run` itself (as the user running the tests: root drops to
# www-data), with DATA_DIR and RUN_DIR in a folder of /tmp that RUN_USER
# can reach, and stops its lighttpd by PID.
load helpers

# mr_start [VAR=VALUE...]: start `make run` in a session of its own, on
# the suite's ports and folders, and wait until both ports answer.
mr_start() {
	: > "$RM_LOG"
	(cd "$TOP" && env -u ADMIN_TOKEN -u ADMIN_PROJECT -u RUN_USER -u POLICY_FILE \
	    "$@" HA_PORT=$RM_HA_PORT VOLUME_PORT=$RM_VOL_PORT \
	    DATA_DIR=$RM_DIR/data RUN_DIR=$RM_DIR/run \
	    setsid make -s run) > "$RM_LOG" 2>&1 3>&- &
	echo $! > "$RM_DIR/make.pid"
	local i
	for i in $(seq 150); do
		grep -q 'serving until interrupted' "$RM_LOG" &&
		    curl -s -o /dev/null "http://127.0.0.1:$RM_HA_PORT/" &&
		    curl -s -o /dev/null "http://127.0.0.1:$RM_VOL_PORT/" &&
		    return 0
		sleep 0.2
	done
	echo "make run did not start:" >&2
	cat "$RM_LOG" >&2
	return 1
}

# mr_stop: stop it: make -> sh tools/run.sh -> exec lighttpd; its pid
# file, then the session setsid made for make, by PID.
mr_stop() {
	local pid f i
	for f in "$RM_DIR"/run/log/lighttpd.pid "$RM_DIR"/run/lighttpd.pid; do
		if [[ -f $f ]]; then
			kill "$(cat "$f")" 2>/dev/null || true
		fi
	done
	pid=$(cat "$RM_DIR/make.pid" 2>/dev/null) || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -- "-$pid" 2>/dev/null || true
	rm -f "$RM_DIR/make.pid"
}

setup_file() {
	export RM_DIR
	RM_DIR=$(mktemp -d /tmp/hacgi-readme.XXXXXX)
	chmod 0755 "$RM_DIR"
	export RM_LOG=$RM_DIR/make-run.out
	# shellcheck disable=SC2046 # two port numbers
	set -- $(python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
	export RM_HA_PORT=$1 RM_VOL_PORT=$2
	mr_start
}

teardown_file() {
	mr_stop
	rm -rf "$RM_DIR"
}

# readme_commands: the shell commands of the sh blocks of the two sections,
# continuation lines joined, one a line.
readme_commands() {
	awk '
	/^## / { on = ($0 == "## Quick start" || $0 == "## The real clients") }
	on && /^```sh$/ { block = 1; next }
	block && /^```$/ { block = 0; next }
	block {
		line = line $0
		if (line ~ /\\$/) { sub(/\\$/, "", line); next }
		gsub(/[ \t]+/, " ", line)
		print line
		line = ""
	}' "$TOP/README.md"
}

# banner_vars: the assignments make run printed for the README's lines.
banner_vars() {
	sed -n 's/^  \(HA=.*\|T=.*\|M=.*\)$/\1/p' "$RM_LOG"
}

@test "make run prints its ports, token and hacgi-manage, as the README says" {
	run cat "$RM_LOG"
	assert_line "  HA=http://127.0.0.1:$RM_HA_PORT VOL=http://127.0.0.1:$RM_VOL_PORT"
	assert_line --regexp '^  T=[0-9a-f]{40} P=[0-9a-f]{32}$'
	assert_line --regexp '^  M=".*hacgi-manage --data-dir '"$RM_DIR"'/data"$'
	assert_line --partial "hacgi: admin token "
	# the README shows the same three lines, with the default ports
	run readme_commands
	assert_line 'HA=http://127.0.0.1:15868 VOL=http://127.0.0.1:8776'
	assert_line 'T=<the admin token> P=<its project>'
	assert_line --regexp '^M=".*hacgi-manage --data-dir .*"$'
}

@test "every Quick start and client command of the README works as printed" {
	local cmds c n=0
	cmds=$(readme_commands)
	[[ -n $cmds ]]
	set -a
	eval "$(banner_vars)"
	set +a
	cd "$TOP"
	while IFS= read -r c; do
		case $c in
		'apt-get install -y git make' | 'make run '* | 'make test '*)
			continue ;;	# this test runs inside them
		HA=* | T=* | M=*)
			continue ;;	# the banner's lines, checked above
		esac
		n=$((n + 1))
		echo "# $c" >&3
		run bash -c "set -e; $c" </dev/null
		assert_success
		case $c in
		*"-d '{\"segment\": {\"name\": \"seg1\""*)
			assert_equal "$(jq -r .segment.name <<<"$output")" seg1 ;;
		"curl -s -w '\\n' -H \"X-Auth-Token: \$T\" \$HA/v1/segments")
			assert_equal "$(jq -r '.segments[].name' <<<"$output")" seg1
			# the final newline is there
			run bash -c "$c | tail -c 1 | od -An -c"
			assert_output --partial '\n' ;;
		'$M service heartbeat '*)
			assert_output '' ;;	# silent; the next line shows it
		*"/v3/\$P/clusters")
			assert_equal "$(jq -r '.clusters[] | "\(.name) \(.state) \(.status)"' <<<"$output")" \
			    'cluster1@lvm up enabled' ;;
		*'segment create seg2 auto COMPUTE')
			assert_output --regexp '\| name +\| seg2 +\|' ;;
		*'segment list')
			assert_output --regexp '\| seg1 +\|'
			assert_output --regexp '\| seg2 +\|' ;;
		*'segment host create compute-1 COMPUTE SSH seg2')
			assert_output --regexp '\| name +\| compute-1 +\|' ;;
		*'cluster-list --detailed')
			assert_output --regexp '\| cluster1@lvm +\| cinder-volume +\| up +\| enabled +\|' ;;
		*'cluster-disable --reason maintenance cluster1@lvm')
			assert_output --regexp '\| disabled_reason +\| maintenance +\|'
			assert_output --regexp '\| name +\| cluster1@lvm +\|'
			assert_output --regexp '\| status +\| disabled +\|' ;;
		*'block storage cluster list')
			assert_output --regexp '\| cluster1@lvm +\| cinder-volume +\| up +\| disabled +\|' ;;
		'/usr/bin/python3 tests/clients/sdk_segments.py $HA $T 25')
			assert_line 'created 25, listed 27 (2 before), distinct 27'
			assert_line 'after delete 26' ;;
		*)
			fail "a README command this test does not check: $c" ;;
		esac
	done <<<"$cmds"
	# 4 quick start, 7 clients
	assert_equal "$n" 11
	# what the commands made is there, through the API
	run curl -s -H "X-Auth-Token: $T" "$HA/v1/segments"
	assert_equal "$(jq -r '[.segments[].name] | sort | join(" ")' <<<"$output")" \
	    'seg1 seg2'
}

@test "straight after make run, fsck of its data directory is clean" {
	eval "$(banner_vars)"
	# shellcheck disable=SC2086 # M is a command line
	run $M fsck
	assert_success
}

@test "a fresh clone's data/ is what fsck wants once built" {
	local c=$RM_DIR/clone
	git clone -q "$TOP" "$c"
	run stat -c %a "$c/data"
	assert_output 755	# what git makes of it
	run make -s -C "$c" all
	assert_success
	run "$c/bin/hacgi-manage" --data-dir "$c/data" fsck
	assert_success
	refute_output --partial mode
	rm -rf "$c"
}

@test "a second make run keeps the admin token; NEW_ADMIN_TOKEN=1 replaces it" {
	local t1 t2 t3
	t1=$(sed -n 's/^hacgi: admin token \([0-9a-f]*\) .*/\1/p' "$RM_LOG")
	[[ -n $t1 ]]
	assert grep -q "admin token $t1 (new, kept in $RM_DIR/run/admin-token" "$RM_LOG"
	run stat -c %a "$RM_DIR/run/admin-token"
	assert_output 600
	mr_stop
	mr_start
	t2=$(sed -n 's/^hacgi: admin token \([0-9a-f]*\) .*/\1/p' "$RM_LOG")
	assert_equal "$t2" "$t1"
	assert grep -q "admin token $t1 (kept in $RM_DIR/run/admin-token, the same every run" "$RM_LOG"
	run curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $t1" \
	    "http://127.0.0.1:$RM_HA_PORT/v1/segments"
	assert_output 200
	mr_stop
	mr_start NEW_ADMIN_TOKEN=1
	t3=$(sed -n 's/^hacgi: admin token \([0-9a-f]*\) .*/\1/p' "$RM_LOG")
	[[ -n $t3 && $t3 != "$t1" ]]
	assert grep -q 'revoked the admin token kept in' "$RM_LOG"
	run curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $t1" \
	    "http://127.0.0.1:$RM_HA_PORT/v1/segments"
	assert_output 401
	run curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $t3" \
	    "http://127.0.0.1:$RM_HA_PORT/v1/segments"
	assert_output 200
}

@test "make run as root serves as www-data, its data owned by www-data" {
	[[ $(id -u) == 0 ]] || skip "only root drops privileges"
	local pid
	pid=$(cat "$RM_DIR/run/log/lighttpd.pid")
	run ps -o user= -p "$pid"
	assert_output www-data
	run stat -c '%U %a' "$RM_DIR/data" "$RM_DIR/data/tokens.json"
	assert_line 'www-data 700'
	assert_line 'www-data 600'
}
