# tests/rel_fiu.bats: I/O faults (issue 6).  libfiu's POSIX preload (and
# tests/rel/fiu_extra.c for flock, mkdir, rmdir and the *at calls and
# fstat the store walks DATA_DIR with) makes storage calls fail,
# with EIO (failinfo=5: an ENOENT would only say "no such file"):
# every request must answer a JSON 500-class fault and leave the data as
# it was, or succeed when the failure did not matter.  Then a full disk
# (a small tmpfs) and a read-only data directory.

load helpers

setup_file() {
	export HACGI_REL_TMP=$BATS_FILE_TMPDIR
	# libfiu interposes on the storage calls through the dynamic linker:
	# the dynamically linked build of the same programs
	export HACGI_CGI_BIN=$HACGI_DYN_CGI_BIN
	command -v fiu-run >/dev/null || skip "fiu-run (fiu-utils) missing"
	EXTRA=$BATS_FILE_TMPDIR/fiu_extra.so
	cc -O1 -shared -fPIC -o "$EXTRA" "$TOP/tests/rel/fiu_extra.c" \
	    -lfiu -ldl
	cc -O1 -o "$BATS_FILE_TMPDIR/fiu_exec" "$TOP/tests/rel/fiu_exec.c"
	export HACGI_FIU_EXTRA=$EXTRA FIU_EXEC=$BATS_FILE_TMPDIR/fiu_exec
}

# cgi METHOD URI [BODY] [PREFIX-COMMAND...]: run the program for URI
# directly; sets $status_line and $output (the body).
cgi() {
	local method=$1 uri=$2 body=${3-} prog
	shift $(($# < 3 ? $# : 3))
	case $uri in
	/v3/os-hacgi-heartbeat) prog=vol-heartbeat ;;
	/v3/*) prog=vol-root ;;
	/v1/segments) prog=ha-segments ;;
	*) prog=ha-root ;;
	esac
	local raw
	raw=$(printf %s "$body" | env -i PATH=/usr/bin:/bin \
	    REQUEST_METHOD="$method" REQUEST_URI="$uri" \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} \
	    HTTP_X_AUTH_TOKEN="$ADMIN_TOKEN" DATA_DIR="$D" \
	    HACGI_FIU_EXTRA="$HACGI_FIU_EXTRA" \
	    "$@" "$HACGI_CGI_BIN/$prog" 2>/dev/null | tr -d '\r')
	status_line=$(printf '%s\n' "$raw" | sed -n '1s/^Status: //p')
	output=$(printf '%s\n' "$raw" | sed '1,/^$/d')
}


seg_body() {
	printf '{"segment": {"name": "%s", "recovery_method": "auto", "service_type": "C"}}' "$1"
}

# a JSON 500 fault of either API
assert_fault_500() {
	[[ $status_line == "500 "* ]] || fail "status $status_line: $output"
	run jq -e '(.masakariFault // .computeFault).code == 500' <<<"$output"
	assert_success
}

# the documents (the id counters may move: a failed create can use up an
# id, never hand one out twice)
snap() {
	(cd "$D" && find . -path ./lost+found -prune -o -type f \
	    ! -name '*.lock' ! -name counters.json -print0 | sort -z |
	    xargs -0 sha256sum)
}

setup() {
	D=$BATS_TEST_TMPDIR/data
	cp -a "$HACGI_PRISTINE" "$D"
	cgi POST /v1/segments "$(seg_body base)"
	cgi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume", "cluster": "c"}}'
}

@test "fiu-run: each failing storage call answers a JSON 500 and changes nothing" {
	local point run="fiu-run -x -f ''"
	for point in posix/io/sync/fsync posix/io/dir/renameat posix/io/rw/write \
	    posix/io/oc/open posix/io/oc/openat posix/io/stat/fstat \
	    posix/io/lock/flock posix/io/sync/fdatasync; do
		before=$(snap)
		if [[ $point != */fdatasync ]]; then
			cgi POST /v1/segments "$(seg_body "x-$point")" fiu-run \
			    -x -f '' -c "enable name=$point,failinfo=5" \
			    "$FIU_EXEC"
			assert_fault_500
			assert_equal "$(snap)" "$before"
		fi
		cgi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "n@b", "binary": "cinder-volume", "cluster": "c2"}}' \
		    fiu-run -x -f '' -c "enable name=$point,failinfo=5" \
		    "$FIU_EXEC"
		assert_fault_500
		assert_equal "$(snap)" "$before"
	done
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	assert_success
}

@test "fiu-run: a failing mkdir on a fresh data directory answers a JSON 500" {
	D=$BATS_TEST_TMPDIR/fresh
	mkdir -m 700 "$D"
	cp "$HACGI_PRISTINE/tokens.json" "$D/"
	cgi POST /v1/segments "$(seg_body m)" \
	    fiu-run -x -f '' -c 'enable name=posix/io/dir/mkdir,failinfo=5' "$FIU_EXEC"
	assert_fault_500
	cgi POST /v1/segments "$(seg_body m)"
	assert_equal "${status_line%% *}" 201
}

@test "fiu-run: random faults over a mixed sequence leave a consistent store" {
	local i
	for i in $(seq 1 30); do
		cgi POST /v1/segments "$(seg_body "r$i")" fiu-run -x -f '' \
		    -c 'enable_random name=posix/io/*,probability=0.05,failinfo=5' \
		    "$FIU_EXEC"
		[[ $status_line == 201* ]] || assert_fault_500
		cgi PUT /v3/os-hacgi-heartbeat "{\"service\": {\"host\": \"r$i@b\", \"binary\": \"cinder-volume\", \"cluster\": \"c\"}}" \
		    fiu-run -x -f '' -c 'enable_random name=posix/io/*,probability=0.05,failinfo=5' \
		    "$FIU_EXEC"
		[[ $status_line == 200* ]] || assert_fault_500
	done
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	echo "$output"
	assert_success
}

# every read and write shortened (libfiu's reduce points): a short read
# is not an end of file or a torn line, a short write is continued
@test "fiu-run: short reads and writes everywhere: every request succeeds, nothing lost" {
	local i f reduce=()
	for f in read pread write pwrite; do
		reduce+=(-c "enable name=posix/io/rw/$f/reduce")
	done
	for i in 1 2 3 4 5 6; do
		cgi PUT /v3/os-hacgi-heartbeat "{\"service\": {\"host\": \"s$i@b\", \"binary\": \"cinder-volume\", \"cluster\": \"c\"}}" \
		    fiu-run -x -f '' "${reduce[@]}" "$FIU_EXEC"
		assert_equal "${status_line%% *}" 200
		cgi POST /v1/segments "$(seg_body "s$i")" \
		    fiu-run -x -f '' "${reduce[@]}" "$FIU_EXEC"
		assert_equal "${status_line%% *}" 201
	done
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	assert_success
	# the services and segments written before and during: all there
	cgi GET "/v3/$PROJECT/os-services"
	assert_equal "$(jq -r '[.services[].host] | sort | join(" ")' <<<"$output")" \
	    "h@b s1@b s2@b s3@b s4@b s5@b s6@b"
	cgi GET /v1/segments
	assert_equal "$(jq '.segments | length' <<<"$output")" 7
}

@test "every storage call of every write, failing in turn: a JSON 500 and the data as before" {
	run python3 "$TOP/tests/rel/rel.py" fiu --stride "${REL_FIU_STRIDE:-4}"
	echo "$output" | sed 's/^/# /' >&3
	assert_success
}

# a small tmpfs: root only
mount_tmpfs() {
	[[ $(id -u) == 0 ]] || skip "needs root (mount)"
	M=$BATS_TEST_TMPDIR/mnt
	mkdir -p "$M"
	mount -t tmpfs -o "size=$1,mode=0700" tmpfs "$M" 2>/dev/null ||
		skip "cannot mount a tmpfs here"
}

teardown() {
	if [[ -n ${M-} ]] && mountpoint -q "$M"; then
		umount "$M"
	fi
	log_dump
}

@test "a full disk: writes answer JSON 500s, nothing is half-written, space back means writes back" {
	mount_tmpfs 256k
	D=$M/data
	cp -a "$HACGI_PRISTINE" "$D"
	cgi POST /v1/segments "$(seg_body first)"
	assert_equal "${status_line%% *}" 201
	# fill the disk to the last block
	dd if=/dev/zero of="$M/filler" bs=4k 2>/dev/null || true
	local i ok=0 failed=0
	for i in $(seq 1 8); do
		before=$(snap)
		cgi POST /v1/segments "$(seg_body "full-$i")"
		if [[ $status_line == 201* ]]; then
			ok=$((ok + 1))
		else
			assert_fault_500
			assert_equal "$(snap)" "$before"
			failed=$((failed + 1))
		fi
		cgi PUT /v3/os-hacgi-heartbeat "{\"service\": {\"host\": \"f$i@b\", \"binary\": \"cinder-volume\", \"cluster\": \"cf\"}}"
		[[ $status_line == 200* ]] || assert_fault_500
	done
	echo "# full disk: $ok writes fitted, $failed refused" >&3
	[[ $failed -gt 0 ]] || fail "the disk never filled up"
	run find "$D" -name '*.tmp.*'
	assert_output ''
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	echo "$output"
	assert_success
	cgi GET /v1/segments
	assert_equal "${status_line%% *}" 200
	rm "$M/filler"
	cgi POST /v1/segments "$(seg_body after)"
	assert_equal "${status_line%% *}" 201
	cgi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "after@b", "binary": "cinder-volume"}}'
	assert_equal "${status_line%% *}" 200
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	assert_success
}

@test "a read-only data directory: reads work, writes answer JSON 500s, fsck still checks" {
	mount_tmpfs 4m
	D=$M/data
	cp -a "$HACGI_PRISTINE" "$D"
	cgi POST /v1/segments "$(seg_body ro)"
	cgi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume", "cluster": "c"}}'
	mount -o remount,ro "$M"
	before=$(snap)
	cgi GET /v1/segments
	assert_equal "${status_line%% *}" 200
	assert_equal "$(jq -r '.segments[0].name' <<<"$output")" ro
	cgi POST /v1/segments "$(seg_body ro2)"
	assert_fault_500
	cgi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h@b", "binary": "cinder-volume"}}'
	assert_fault_500
	run "$HACGI_MANAGE" --data-dir "$D" token create --user u --project p --roles admin
	assert_failure
	run "$HACGI_MANAGE" --data-dir "$D" fsck
	assert_success
	run "$HACGI_MANAGE" --data-dir "$D" backup "$BATS_TEST_TMPDIR/b.json"
	assert_success
	assert_equal "$(snap)" "$before"
}
