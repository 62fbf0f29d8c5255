# tests/rel_crash.bats: writers killed with SIGKILL (issue 6).  The
# programs run directly (no server) on copies of a small data directory;
# tests/rel/rel.py crash does the work and prints its counts.

load helpers

setup_file() {
	export HACGI_REL_TMP=$BATS_FILE_TMPDIR
	# libfiu interposes on the storage calls through the dynamic linker:
	# the dynamically linked build of the same programs
	export HACGI_CGI_BIN=$HACGI_DYN_CGI_BIN
	command -v fiu-run >/dev/null || skip "fiu-run (fiu-utils) missing"
}

@test "a writer killed right before any of its storage calls leaves the old or the new state" {
	# every REL_CRASH_STRIDE-th call of each write, from a random offset
	run python3 "$TOP/tests/rel/rel.py" crash --stride "${REL_CRASH_STRIDE:-4}"
	echo "$output" | sed 's/^/# /' >&3
	assert_success
}

@test "a long sequence of writes killed at random times keeps every acknowledged write" {
	run python3 "$TOP/tests/rel/rel.py" crash --ops none \
	    --random "${REL_CRASH_RANDOM:-150}"
	echo "$output" | sed 's/^/# /' >&3
	assert_success
}

@test "after kills, no temp file or lock left behind breaks a request" {
	umask 077
	D=$BATS_TEST_TMPDIR/data
	cp -a "$HACGI_PRISTINE" "$D"
	body='{"segment": {"name": "k", "recovery_method": "auto", "service_type": "C"}}'
	# debris of a killed writer: a temp file of a live-looking pid, a
	# lock file left locked by nobody
	mkdir -p "$D/ha/segments"
	echo partial > "$D/ha/segments/x.json.tmp.1"
	echo '{"seg' > "$D/ha/counters.json.tmp.$$"
	: > "$D/ha.lock"
	raw=$(printf %s "$body" | env -i REQUEST_METHOD=POST \
	    REQUEST_URI=/v1/segments CONTENT_TYPE=application/json \
	    CONTENT_LENGTH=${#body} HTTP_X_AUTH_TOKEN="$ADMIN_TOKEN" \
	    DATA_DIR="$D" "$HACGI_CGI_BIN/ha-segments")
	[[ $raw == "Status: 201"* ]] || fail "$raw"
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	assert_success
	assert_output --partial "leftover: ha/segments/x.json.tmp.1"
	run "$HACGI_MANAGE" --data-dir "$D" fsck --repair
	run find "$D" -name '*.tmp.*'
	assert_output ''
}
