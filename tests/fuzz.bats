# tests/fuzz.bats: the libFuzzer harnesses of tests/fuzz/ (issue 6) run
# their stored seed corpus, then fuzz a few seconds each, under ASan and
# UBSan (sh tools/fuzz.sh --quick; `make fuzz` runs them longer).

load helpers

@test "every fuzzing harness runs its corpus and a few seconds of fuzzing clean" {
	command -v clang >/dev/null || skip "clang missing"
	run sh "$TOP/tools/fuzz.sh" --quick
	echo "$output" | sed 's/^/# /' >&3
	assert_success
}
