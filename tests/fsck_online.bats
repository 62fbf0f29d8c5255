#!/usr/bin/env bats
# Issue 16: hacgi-manage fsck (without --repair) and backup on a store of
# 10,000 records of each kind keep no request waiting a second (they read
# without the locks and take them twice, briefly: lib/admin/fsck_check.c,
# fsck_bundle.c), and what they see is the store, not the writes in
# flight: fsck is clean while heartbeats and segment writes go on through
# the server, and still finds what is wrong; a backup taken meanwhile
# restores a clean store.
load helpers

setup_file() {
	reset_data
	manage segment populate --prefix s- --count 10000 >/dev/null
	api GET '/v1/segments?limit=1&sort_key=name&sort_dir=asc'
	SEG=$(json '.segments[0].uuid')
	manage host populate --segment "$SEG" --prefix h- --count 10000 \
	    >/dev/null
	manage notification populate --host h-1 --prefix p- --count 10000 \
	    >/dev/null
	# 10,000 clusters, and 9,000 services in 3,000 more: MAX_SERVICES
	# (10,000) leaves room for the new services the heartbeats make
	manage service populate --prefix c- --count 10000 --per-cluster 0 \
	    >/dev/null
	manage service populate --prefix v- --count 3000 >/dev/null
	export SEG
}

setup() {
	log_mark
}

# hb HOST [CLUSTER]: one heartbeat through the server; prints its time in
# ms and fails unless it answered 200.
hb() {
	local out body="\"host\": \"$1\", \"binary\": \"cinder-volume\""
	[[ -z ${2-} ]] || body+=", \"cluster\": \"$2\""
	out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X PUT \
	    -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
	    -H 'OpenStack-API-Version: volume 3.70' \
	    --data-binary "{\"service\": {$body}}" \
	    "$VOLUME_URL/v3/os-hacgi-heartbeat") || return 1
	[[ ${out%% *} == 200 ]] || { echo "heartbeat $1: ${out%% *}"; return 1; }
	awk -v t="${out#* }" 'BEGIN { printf "%d\n", t * 1000 }'
}

# during WHAT CMD...: hacgi-manage WHAT (fsck, or backup FILE) in the
# background; CMD runs again and again until it is done.  Sets $out,
# $ms (its wall time), $rounds, $rc (its exit status).
during() {
	local what=$1 t0 pid
	shift
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	"$HACGI_MANAGE" --data-dir "$DATA_DIR" $what \
	    > "$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	rounds=0
	while kill -0 "$pid" 2>/dev/null; do
		"$@" || { wait "$pid"; return 1; }
		rounds=$((rounds + 1))
	done
	rc=0
	wait "$pid" || rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	out=$(cat "$BATS_TEST_TMPDIR/out")
}

# heartbeats: one for an existing service, one for a new one; each
# within 1 s (the server's own time, from curl).
heartbeats() {
	local a b
	a=$(hb "v-h$((RANDOM % 3000 + 1))-1@lvm") || return 1
	b=$(hb "new-$RANDOM-$rounds@lvm" v-c1@lvm) || return 1
	echo "$a $b" >> "$BATS_TEST_TMPDIR/times"
	[[ $a -lt 1000 && $b -lt 1000 ]] ||
	    { echo "a heartbeat took $a / $b ms"; return 1; }
}

slowest() {
	tr ' ' '\n' < "$BATS_TEST_TMPDIR/times" | sort -n | tail -n 1
}

@test "fsck of 10,000 records of each kind keeps no heartbeat waiting a second" {
	: > "$BATS_TEST_TMPDIR/times"
	during fsck heartbeats
	echo "# fsck: $ms ms; $rounds rounds of 2 heartbeats, slowest" \
	    "$(slowest) ms" >&3
	assert_equal "$(tail -n 1 <<<"$out")" \
	    "fsck: 0 error(s), 0 leftover(s), 0 repaired"
	assert_equal "$rc" 0
	[[ $rounds -ge 1 ]] || fail "fsck ended before the first heartbeat"
}

# writes: heartbeats, a segment created, renamed and deleted
writes() {
	heartbeats || return 1
	api POST /v1/segments "{\"segment\": {\"name\": \"w-$rounds\", \"recovery_method\": \"auto\", \"service_type\": \"C\"}}"
	[[ $code == 201 ]] || { echo "create: $code $output"; return 1; }
	local u
	u=$(json .segment.uuid)
	api PUT "/v1/segments/$u" "{\"segment\": {\"name\": \"w2-$rounds\"}}"
	[[ $code == 200 ]] || { echo "update: $code $output"; return 1; }
	api DELETE "/v1/segments/$u"
	[[ $code == 204 ]] || { echo "delete: $code $output"; return 1; }
}

@test "fsck reports the store, not the writes in flight: clean while they go on" {
	: > "$BATS_TEST_TMPDIR/times"
	during fsck writes
	echo "# fsck: $ms ms during $rounds rounds of writes, slowest" \
	    "heartbeat $(slowest) ms" >&3
	assert_equal "$(tail -n 1 <<<"$out")" \
	    "fsck: 0 error(s), 0 leftover(s), 0 repaired"
	run manage fsck
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "fsck still finds what is wrong while writes go on" {
	local h=v-h7-2@lvm f	# heartbeats() touches only the -1 hosts
	f=$(printf '%d:%s%s' ${#h} "$h" cinder-volume | sha256sum |
	    cut -d' ' -f1).json
	cp "$DATA_DIR/vol/services/$f" "$BATS_TEST_TMPDIR/orig"
	jq -c '.zone = "elsewhere"' "$BATS_TEST_TMPDIR/orig" \
	    > "$BATS_TEST_TMPDIR/rec"
	cp "$BATS_TEST_TMPDIR/rec" "$DATA_DIR/vol/services/$f"
	echo '{"seg' > "$DATA_DIR/ha/segments/x.json.tmp.1"
	: > "$BATS_TEST_TMPDIR/times"
	during fsck writes
	[[ $out == *"error: vol/services: 1 record file(s) disagree"* ]] ||
	    fail "$out"
	[[ $out == *"leftover: ha/segments/x.json.tmp.1: stale temp"* ]] ||
	    fail "$out"
	assert_equal "$(tail -n 1 <<<"$out")" \
	    "fsck: 1 error(s), 1 leftover(s), 0 repaired"
	assert_equal "$rc" 1
	# undone by hand: --repair would rewrite every service record
	# (fsck_vol.c: fix_vol), which rel_fsck.bats tests
	cp "$BATS_TEST_TMPDIR/orig" "$DATA_DIR/vol/services/$f"
	rm "$DATA_DIR/ha/segments/x.json.tmp.1"
	run manage fsck
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

# unpack BUNDLE DIR: the bundle's files into DIR, as restore would lay
# them out but without its fsync per file (minutes at this size; restore
# itself is rel_fsck.bats's).
unpack() {
	python3 - "$1" "$2" <<'PY'
import base64, json, os, sys
doc = json.load(open(sys.argv[1]))
os.mkdir(sys.argv[2], 0o700)
for e in doc["files"]:
    p = os.path.join(sys.argv[2], e["path"])
    if e.get("dir"):
        os.mkdir(p, 0o700)
        continue
    data = (e["text"].encode() if "text" in e
            else base64.b64decode(e["base64"]))
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data)
    os.close(fd)
PY
}

@test "a backup keeps no heartbeat waiting a second and is of one moment" {
	local r=$BATS_TEST_TMPDIR/unpacked
	: > "$BATS_TEST_TMPDIR/times"
	during "backup $BATS_TEST_TMPDIR/bundle.json" writes
	echo "# backup: $ms ms; $rounds rounds of writes, slowest" \
	    "heartbeat $(slowest) ms" >&3
	assert_equal "$rc" 0
	unpack "$BATS_TEST_TMPDIR/bundle.json" "$r"
	run "$HACGI_MANAGE" --data-dir "$r" fsck
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
	# every record there was before is there (and maybe one segment of
	# the writes, caught between its create and its delete)
	[[ $(find "$r/ha/segments" -name '*.json' | grep -c .) -ge 10000 ]]
	[[ $(find "$r/ha/hosts/$SEG" -name '*.json' | grep -c .) -eq 10000 ]]
	[[ $(find "$r/ha/notifications" -name '*.json' | grep -c .) -eq 10000 ]]
	[[ $(wc -l < "$r/vol/services.log") -ge 9000 ]]
	[[ $(wc -l < "$r/vol/clusters.log") -ge 13000 ]]
}
