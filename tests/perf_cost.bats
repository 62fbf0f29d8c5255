#!/usr/bin/env bats
# Issue 16: a bounded request costs the same (within 10% in instructions,
# system calls and peak RSS) with 100 and with 10,000 records of every
# kind: tools/cost.py, the programs run directly with a CGI environment
# (make bench runs the same at 100,000).  The table goes to the terminal.
load helpers

# The requests whose cost still grows with N: printed, not checked.  A
# change that bounds one takes it off this list (and off UNBOUNDED in
# tools/cost.py, which make bench uses), and from then on it is checked.
UNBOUNDED=(
	# whole lists by definition (the Volume API has no limit)
	'clusters list'
	'clusters detail'
	'os-services list'
)

@test "this suite and tools/cost.py list the same requests as not bounded" {
	run python3 "$TOP/tools/cost.py" --list-unbounded
	assert_success
	assert_equal "$output" "$(printf '%s\n' "${UNBOUNDED[@]}")"
}

@test "bounded requests cost the same with 100 and 10,000 records" {
	local args=() u
	for u in "${UNBOUNDED[@]}"; do
		args+=(--unbounded "$u")
	done
	run python3 "$TOP/tools/cost.py" --sizes 100,10000 --check 1.1 \
	    --tmp "$BATS_FILE_TMPDIR" "${args[@]}"
	printf '%s\n' "$output" | grep -v '^cost.py: N=' >&3
	assert_success
	assert_output --partial 'Cost of one request'
}
