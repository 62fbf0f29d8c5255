# tests/sanitize.bats: the direct-exec suites under AddressSanitizer and
# UndefinedBehaviorSanitizer, and every program once under valgrind
# (issue 6; tools/sanitize.sh, which builds its own sanitized tree and
# leaves the normal build alone).  --quick: fewer fault and crash points
# and suites than `sh tools/sanitize.sh` run by hand.

load helpers

# san WHAT: run tools/sanitize.sh --quick WHAT, its output shown as TAP
# comments; it must end with "sanitize: ok".  It runs bats suites of its
# own: in a clean environment, without this bats run's variables (BATS_*,
# the ports and paths of this file's server, bats' own libexec directory
# that it puts first in PATH).
san() {
	local path
	path=$(printf '%s\n' "$PATH" | tr : '\n' | grep -v bats-core | paste -sd:)
	# WERROR as the build's (make test): its valgrind part runs make all
	# on this tree, which must not relink a program other suites run.
	run env -i PATH="$path" HOME="${HOME:-/root}" LANG=C.UTF-8 \
	    ${TMPDIR:+TMPDIR="$TMPDIR"} ${WERROR:+WERROR="$WERROR"} \
	    sh "$TOP/tools/sanitize.sh" --quick "$1"
	echo "$output" | sed 's/^/# /' >&3
	assert_success
	assert_equal "${lines[${#lines[@]}-1]}" "sanitize: ok"
}

@test "the direct-exec, fault, crash and fsck suites run clean under ASan+UBSan" {
	san asan
}

@test "every program runs once clean under valgrind (memory errors, leaks)" {
	san valgrind
}
