#!/bin/bash
# tests/run.sh (make test, make check): run the suites, print one line per
# suite with its result and wall time, and last the line
# "N passed, N failed" with the totals.  Exit 1 when a test failed or a
# suite crashed.
#
#   tests/run.sh [SUITE...]    default: every suite, as below
#
# Suites: tests/unit/run.sh (it prints "N passed, N failed" itself), each
# tests/*.bats on its own (bats --tap; each file gets its own server from
# tests/setup_suite.bash), then the suites listed in tests/apache.suites a
# second time against Apache 2.4 ("FILE@apache"; HACGI_NO_APACHE=1 skips
# them), and those listed in tests/fastcgi.suites with the programs as
# FastCGI responders (HACGI_FASTCGI=1), under lighttpd ("FILE@fastcgi")
# and under Apache ("FILE@apache-fastcgi"; HACGI_NO_FASTCGI=1 skips
# them).  Independent suites run HACGI_TEST_JOBS at a time (default 3:
# most suites wait on servers and clients more than they compute), the
# longest first.
#
# A test that never ran (its suite crashed, its server did not start)
# counts as failed: a bats file is charged for every planned test without
# a result, or for its @test count when bats printed no plan.  Skipped
# tests count neither way.  Each suite's output is kept in
# tests/logs/NAME.log (HACGI_TEST_LOGS); a failed suite's "not ok" lines
# are printed with its line.
#
# Every server a suite starts lives under the suite's own directory
# (HACGI_TEST_TMP): whatever way the suite ends (passes, fails, times out,
# its setup fails, this script gets INT or TERM) the servers recorded
# there are stopped by PID.
# HACGI_TEST_TIMEOUT: seconds per suite (default 900).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

limit=${HACGI_TEST_TIMEOUT:-900}
jobs_max=${HACGI_TEST_JOBS:-3}
logs=${HACGI_TEST_LOGS:-$top/tests/logs}
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hacgi-run.XXXXXX") || exit 1
mkdir -p "$logs" || exit 1
rm -f "$logs"/*.log

# The longest suites start first (measured on a 2-core machine): a long
# suite started last is the run's tail.
first="tests/sanitize.bats tests/rel_crash.bats tests/rel_fiu.bats
tests/fuzz.bats tests/rel_concurrency.bats tests/vol_replay.bats
tests/ha_replay.bats tests/vol_replay.bats@apache tests/ha_replay.bats@apache
tests/rel_crash.bats@fastcgi tests/rel_fiu.bats@fastcgi
tests/ha_clients_hosts.bats tests/vol_clients.bats tests/ha_clients.bats
tests/deploy_install.bats tests/rel_security.bats"

# suite_list: the suites to run, one a line, longest first.
suite_list() {
	local all=() s
	[ -f tests/unit/run.sh ] && all+=(unit)
	for s in tests/*.bats; do
		[ -f "$s" ] && all+=("$s")
	done
	if [ -f tests/apache.suites ] && [ -z "${HACGI_NO_APACHE:-}" ]; then
		for s in $(sed 's/#.*//' tests/apache.suites); do
			all+=("$s@apache")
		done
	fi
	if [ -f tests/fastcgi.suites ] && [ -z "${HACGI_NO_FASTCGI:-}" ]; then
		while read -r s only; do
			[ -n "$s" ] || continue
			all+=("$s@fastcgi")
			[ -n "${HACGI_NO_APACHE:-}" ] || [ -n "$only" ] ||
			    all+=("$s@apache-fastcgi")
		done <<-EOF
		$(sed 's/#.*//' tests/fastcgi.suites)
		EOF
	fi
	for s in $first; do
		printf '%s\n' "${all[@]}" | grep -qxF "$s" && echo "$s"
	done
	for s in "${all[@]}"; do
		printf '%s\n' $first | grep -qxF "$s" || echo "$s"
	done
}

# stop_servers DIR: stop every server recorded under DIR (a DIR/**/env
# naming its PID), by that PID: web servers, and the Keystones of
# tests/keystone.sh.
stop_servers() {
	local env
	[ -d "$1" ] || return 0
	find "$1" -name env -type f 2>/dev/null | while read -r env; do
		if grep -q '^KEYSTONE_PID=' "$env" 2>/dev/null; then
			sh "$top/tests/keystone.sh" stop "$(dirname "$env")" \
			    >/dev/null 2>&1 || true
			continue
		fi
		grep -qE '^(LIGHTTPD|APACHE)_PID=' "$env" 2>/dev/null ||
			continue
		sh "$top/tools/serve.sh" stop "$(dirname "$env")" \
		    >/dev/null 2>&1 || true
	done
}

# run_suite NAME ID: run one suite in a session of its own (its id in
# $tmp/ID.sid, so that an interrupt stops all of it, whatever process
# groups timeout or bats make), with its output in $logs/ID.log and its
# exit status in $tmp/ID.rc; its servers are stopped when it ends.
run_suite() {
	local name=$1 id=$2 file=${1%@*} work=$tmp/$2 rc cmd kind='' fcgi=''
	mkdir -p "$work"
	case $name in *@apache*) kind=apache ;; esac
	case $name in *fastcgi) fcgi=1 ;; esac
	if [ "$name" = unit ]; then
		cmd="sh tests/unit/run.sh"
	elif [ -n "$kind" ] && ! command -v apache2 >/dev/null; then
		cmd="echo '# apache2 is not installed'; false"
	else
		cmd="bats --tap '$file'"
	fi
	HACGI_TEST_TMP=$work HACGI_SERVER_KIND=${kind:-lighttpd} \
	    HACGI_FASTCGI=$fcgi \
	    setsid -w sh -c "echo \$\$ > '$tmp/$id.sid';
	    exec timeout -s INT -k 30 $limit sh -c \"$cmd\"" \
	    > "$logs/$id.log" 2>&1 < /dev/null
	rc=$?
	stop_servers "$work"
	echo "$rc" > "$tmp/$id.rc"
}

# count ID PATTERN: lines of the suite's log matching the regex PATTERN.
count() {
	grep -cE "$2" "$logs/$1.log" || true
}

# report NAME ID SECONDS: the suite's line; add to the totals.
report() {
	local name=$1 id=$2 secs=$3 rc p f s=0 plan ok nok lost line note=
	local file=${1%@*} label=$1
	case $name in
	*@apache) label="$file (apache)" ;;
	*@fastcgi) label="$file (fastcgi)" ;;
	*@apache-fastcgi) label="$file (apache, fastcgi)" ;;
	esac
	rc=$(cat "$tmp/$id.rc" 2>/dev/null || echo 1)
	if [ "$name" = unit ]; then
		label=tests/unit
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/$id.log" |
		    tail -n 1)
		if [ -n "$line" ]; then
			p=${line%% *}
			f=${line#*, }
			f=${f%% *}
		else
			p=0 f=1 note="no 'N passed, N failed' line"
		fi
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1 note="exit status $rc"
		fi
	else
		plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$logs/$id.log" |
		    head -n 1)
		s=$(count "$id" '^ok [0-9]+ .*# skip')
		ok=$(( $(count "$id" '^ok [0-9]+') - s ))
		nok=$(count "$id" '^not ok [0-9]+')
		if [ -z "$plan" ]; then
			plan=$(grep -c '^@test' "$file" || true)
			[ "$plan" -gt 0 ] || plan=1
			note="bats printed no plan (status $rc)"
		fi
		lost=$((plan - ok - s - nok))
		if [ "$lost" -gt 0 ]; then
			note="$lost test(s) did not run"
			nok=$((nok + lost))
		fi
		if [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
			note="bats exit status $rc"
			nok=1
		fi
		[ "$rc" != 124 ] || note="timed out after $limit s; $note"
		p=$ok f=$nok
	fi
	printf 'suite %-40s %4d passed, %d failed, %d skipped  %4d s%s\n' \
	    "$label:" "$p" "$f" "$s" "$secs" "${note:+  ($note)}"
	if [ "$f" != 0 ]; then
		grep -E '^not ok' "$logs/$id.log" | sed 's/^/    /'
		echo "    log: $logs/$id.log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

declare -A pid_of start_of
running=()

# reap: wait for one running suite to end, report it.
reap() {
	local id i
	wait -n 2>/dev/null
	for i in "${!running[@]}"; do
		id=${running[$i]}
		if [ -f "$tmp/$id.rc" ]; then
			wait "${pid_of[$id]}" 2>/dev/null
			report "$(cat "$tmp/$id.name")" "$id" \
			    $(( $(date +%s) - ${start_of[$id]} ))
			unset "running[$i]"
		fi
	done
	running=("${running[@]}")
}

# interrupted: stop every suite and every server, then exit 130.
interrupted() {
	local id
	trap - INT TERM
	echo "# interrupted: stopping the suites and their servers"
	for id in "${running[@]}"; do
		[ -f "$tmp/$id.sid" ] &&
			pkill -TERM -s "$(cat "$tmp/$id.sid")" 2>/dev/null
	done
	sleep 2
	for id in "${running[@]}"; do
		[ -f "$tmp/$id.sid" ] &&
			pkill -KILL -s "$(cat "$tmp/$id.sid")" 2>/dev/null
	done
	stop_servers "$tmp"
	rm -rf "$tmp"
	exit 130
}
trap interrupted INT TERM
trap 'stop_servers "$tmp"; rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then
	suites=$(printf '%s\n' "$@")
else
	suites=$(suite_list)
fi
# Suites run make themselves (make install, make run): build here first,
# with this environment's flags, so that they find the tree up to date
# and never rebuild a program while another suite runs it.
if ! make -s -C "$top" all > "$logs/00-build.log" 2>&1; then
	echo "# make all failed: $logs/00-build.log"
	tail -n 20 "$logs/00-build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
t0=$(date +%s)
n=0
for name in $suites; do
	while [ "${#running[@]}" -ge "$jobs_max" ]; do
		reap
	done
	n=$((n + 1))
	id=$(printf '%02d-%s' "$n" "$(basename "${name%@*}" .bats)")
	case $name in *@*) id=$id-${name##*@} ;; esac
	echo "$name" > "$tmp/$id.name"
	run_suite "$name" "$id" &
	pid_of[$id]=$!
	start_of[$id]=$(date +%s)
	running+=("$id")
done
while [ "${#running[@]}" -gt 0 ]; do
	reap
done
t=$(( $(date +%s) - t0 ))
echo "# $n suites in $((t / 60)) min $((t % 60)) s ($jobs_max at a time);" \
    "logs in $logs"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
