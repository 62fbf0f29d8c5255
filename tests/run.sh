#!/bin/sh
# tests/run.sh (make test): run every suite, then print, last, one line
# "N passed, N failed" with the totals.  Exit 1 when a test failed or a
# suite crashed.
#
# Suites: tests/unit/run.sh when present (it prints "N passed, N failed"
# itself), then each tests/*.bats on its own (bats --tap; each file gets
# its own server from tests/setup_suite.bash).  A test that never ran (its
# suite crashed, its server did not start) counts as failed: a bats file
# is charged for every planned test without a result, or for its @test
# count when bats printed no plan.  Skipped tests count neither way.
# Then the suites listed in tests/apache.suites run a second time against
# Apache 2.4 instead of lighttpd (HACGI_NO_APACHE=1 skips that pass).
# HACGI_TEST_TIMEOUT: seconds per suite (default 900).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

limit=${HACGI_TEST_TIMEOUT:-900}
passed=0
failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# run_logged CMD...: run CMD, showing and keeping its output in $tmp/out
# and its exit status in $rc.
run_logged() {
	{
		timeout -s INT -k 30 "$limit" "$@" 2>&1
		echo $? > "$tmp/rc"
	} | tee "$tmp/out"
	rc=$(cat "$tmp/rc")
}

# count PATTERN: lines of $tmp/out matching the extended regex PATTERN.
count() {
	grep -cE "$1" "$tmp/out" || true
}

unit() {
	u=tests/unit/run.sh
	echo "# $u"
	if [ -x "$u" ]; then run_logged "./$u"; else run_logged sh "$u"; fi
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% *}
		f=${line#*, }
		f=${f%% *}
	else
		p=0 f=1
		echo "# $u: no 'N passed, N failed' line: counted as 1 failure"
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "# $u: exit status $rc: counted as 1 failure"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# bats_file FILE [LABEL]
bats_file() {
	set -- "$1" "${2:-$1}"
	echo "# $2"
	run_logged bats --tap "$1"
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$tmp/out" | head -n 1)
	skip=$(count '^ok [0-9]+ .*# skip')
	ok=$(( $(count '^ok [0-9]+') - skip ))
	nok=$(count '^not ok [0-9]+')
	if [ -z "$plan" ]; then
		plan=$(grep -c '^@test' "$1" || true)
		[ "$plan" -gt 0 ] || plan=1
		echo "# $2: bats printed no plan (status $rc)"
	fi
	lost=$((plan - ok - skip - nok))
	if [ "$lost" -gt 0 ]; then
		echo "# $2: $lost test(s) did not run: counted as failed"
		nok=$((nok + lost))
	fi
	if [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
		echo "# $2: bats exit status $rc: counted as 1 failure"
		nok=1
	fi
	echo "# $2: $ok passed, $nok failed, $skip skipped"
	passed=$((passed + ok))
	failed=$((failed + nok))
}

# apache: the suites listed in tests/apache.suites, again, against Apache
# 2.4 (HACGI_SERVER_KIND=apache, tests/setup_suite.bash).  Without apache2
# each counts as one failure.
apache() {
	HACGI_SERVER_KIND=apache
	export HACGI_SERVER_KIND
	for f in $(sed 's/#.*//' tests/apache.suites); do
		if ! command -v apache2 >/dev/null; then
			echo "# $f (apache): apache2 is not installed: counted as failed"
			failed=$((failed + 1))
			continue
		fi
		bats_file "$f" "$f (apache)"
	done
	unset HACGI_SERVER_KIND
}

if [ -f tests/unit/run.sh ]; then
	unit
fi
for f in tests/*.bats; do
	[ -f "$f" ] || continue
	bats_file "$f"
done
if [ -f tests/apache.suites ] && [ -z "${HACGI_NO_APACHE:-}" ]; then
	apache
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
