# tests/rel_fsck.bats: hacgi-manage fsck finds what breaks the data
# directory and --repair fixes what can be fixed without guessing; backup
# and restore round-trip (issue 6, SPEC 6).  The data is made through the
# API, then damaged by hand.

load helpers
load ha_fixtures

setup() {
	umask 077	# files made by hand are the programs' mode
	reset_data
	log_mark
	mkseg alpha
	SEG_A=$SEG
	mkhost "$SEG_A" a1
	HOST_A1=$HOST
	mkhost "$SEG_A" a2
	mkseg beta
	SEG_B=$SEG
	mknotif a1
	NOTIF=$NOTIF
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h1@lvm", "binary": "cinder-volume", "cluster": "c1"}}'
	assert_equal "$code" 200
}

# fsck_is STATUS: run fsck, expect that exit status.
fsck_is() {
	run manage fsck
	echo "$output"
	assert_equal "$status" "$1"
}

repair() {
	run manage fsck --repair
	echo "$output"
	assert_success
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

@test "fsck is clean on data made through the API" {
	fsck_is 0
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "fsck on a missing data directory fails without creating it" {
	run "$HACGI_MANAGE" --data-dir "$BATS_TEST_TMPDIR/none" fsck
	assert_equal "$status" 2
	assert_file_not_exists "$BATS_TEST_TMPDIR/none"
}

@test "fsck alone changes nothing" {
	echo garbage > "$DATA_DIR/ha/segments/$SEG_B.json"
	before=$(data_snapshot)
	fsck_is 1
	assert_equal "$(data_snapshot)" "$before"
}

@test "fsck reports an unparseable segment and quarantines it with its hosts" {
	echo '{"id": 1, "uu' > "$DATA_DIR/ha/segments/$SEG_A.json"
	fsck_is 1
	assert_output --partial "ha/segments/$SEG_A.json: unparseable document"
	repair
	run ls "$DATA_DIR/lost+found"
	assert_output --partial "ha%segments%$SEG_A.json"
	assert_output --partial "ha%hosts%$SEG_A"
	api GET /v1/segments
	assert_equal "$(json '.segments | length')" 1
	# the quarantined names are free again
	mkseg alpha
	mkhost "$SEG" a1
}

@test "fsck reports orphan hosts (no tombstone), which the programs ignore, and quarantines them" {
	rm "$DATA_DIR/ha/segments/$SEG_A.json"
	fsck_is 1
	assert_output --partial "ha/hosts/$SEG_A: 2 orphan host(s)"
	# a host counts only while its segment exists: the name is free
	mkhost "$SEG_B" a1
	repair
	run ls "$DATA_DIR/lost+found"
	assert_output --partial "ha%hosts%$SEG_A"
	api GET "/v1/segments/$SEG_B/hosts/$HOST"
	assert_equal "$code" 200
}

# cut_delete: a segment gamma with hosts g1 and g2 (sets G, G1), then the
# state of its delete killed right after the commit point (lib/ha/segment.h)
cut_delete() {
	mkseg gamma
	G=$SEG
	mkhost "$G" g1
	G1=$HOST
	mkhost "$G" g2
	mv "$DATA_DIR/ha/segments/$G.json" "$DATA_DIR/ha/tombstones/"
}

@test "a segment delete cut short after its commit point is whole: all gone, names free" {
	cut_delete
	api GET "/v1/segments/$G"
	assert_equal "$code" 404
	api GET "/v1/segments/$G/hosts"
	assert_equal "$code" 404
	api GET "/v1/segments/$G/hosts/$G1"
	assert_equal "$code" 404
	api PUT "/v1/segments/$G/hosts/$G1" '{"host": {"reserved": true}}'
	assert_equal "$code" 404
	api GET /v1/segments
	assert_equal "$(json '.segments | length')" 2
	api POST /v1/notifications "$(notif_body g1)"
	assert_equal "$code" 400
	# the host name is taken again before the purge: the purge must
	# leave the new owner's index entry alone
	mkhost "$SEG_B" g1
	NEW_G1=$HOST
	mkseg gamma	# a segment create purges first
	assert_file_not_exists "$DATA_DIR/ha/hosts/$G"
	assert_file_not_exists "$DATA_DIR/ha/tombstones/$G.json"
	api POST "/v1/segments/$SEG_B/hosts" '{"host": {"name": "g1", "type": "C", "control_attributes": "x"}}'
	assert_equal "$code" 409
	api GET "/v1/segments/$SEG_B/hosts/$NEW_G1"
	assert_equal "$code" 200
	fsck_is 0
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "the next segment delete finishes an unfinished one" {
	cut_delete
	api DELETE "/v1/segments/$SEG_B"
	assert_equal "$code" 204
	assert_file_not_exists "$DATA_DIR/ha/hosts/$G"
	run ls -A "$DATA_DIR/ha/tombstones"
	assert_output ''
	fsck_is 0
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "fsck reports an unfinished segment delete as a leftover and --repair finishes it" {
	cut_delete
	fsck_is 0
	assert_output --partial "leftover: ha/tombstones/$G.json: unfinished delete of segment $G"
	refute_output --partial "orphan"
	repair
	assert_file_not_exists "$DATA_DIR/ha/hosts/$G"
	assert_file_not_exists "$DATA_DIR/ha/tombstones/$G.json"
	mkhost "$SEG_B" g1
}

@test "a tombstone of a segment that exists is an error and never purged" {
	cp "$DATA_DIR/ha/segments/$SEG_A.json" "$DATA_DIR/ha/tombstones/"
	fsck_is 1
	assert_output --partial "tombstone of a segment that exists"
	mkseg other	# the purge refuses
	api GET "/v1/segments/$SEG_A/hosts"
	assert_equal "$(json '.hosts | length')" 2
	repair
	run ls "$DATA_DIR/lost+found"
	assert_output --partial "ha%tombstones%$SEG_A.json"
}

@test "fsck reports duplicate segment and host names and does not guess" {
	cp "$DATA_DIR/ha/segments/$SEG_B.json" "$BATS_TEST_TMPDIR/b"
	jq -c '.name = "alpha"' "$BATS_TEST_TMPDIR/b" > "$DATA_DIR/ha/segments/$SEG_B.json"
	h=$DATA_DIR/ha/hosts/$SEG_A/$HOST_A1.json
	jq -c '.name = "a2"' "$h" > "$BATS_TEST_TMPDIR/h" && cp "$BATS_TEST_TMPDIR/h" "$h"
	fsck_is 1
	assert_output --partial "share the name 'alpha'"
	assert_output --partial "share the name 'a2'"
	run manage fsck --repair
	assert_failure
	assert_output --partial "share the name 'alpha'"
}

@test "fsck reports duplicate ids and a counter behind them" {
	jq -c '.id = 1' "$DATA_DIR/ha/segments/$SEG_B.json" > "$BATS_TEST_TMPDIR/b"
	cp "$BATS_TEST_TMPDIR/b" "$DATA_DIR/ha/segments/$SEG_B.json"
	echo '{"segment": 1, "host": 0, "notification": 1}' > "$DATA_DIR/ha/counters.json"
	fsck_is 1
	assert_output --partial "share the id '1'"
	assert_output --partial "ha/counters.json: behind the largest id in use"
	run manage fsck --repair
	assert_output --partial "repaired: ha/counters.json"
	run jq -cS . "$DATA_DIR/ha/counters.json"
	assert_output '{"host":2,"notification":1,"segment":1}'
}

@test "fsck reports stale temp files as leftovers and removes them" {
	echo partial > "$DATA_DIR/ha/segments/$SEG_A.json.tmp.12345"
	echo partial > "$DATA_DIR/tokens.json.tmp.99"
	fsck_is 0
	assert_output --partial "leftover: ha/segments/$SEG_A.json.tmp.12345: stale temp file"
	assert_output --partial "fsck: 0 error(s), 2 leftover(s)"
	repair
	assert_file_not_exists "$DATA_DIR/tokens.json.tmp.99"
}

@test "fsck reports a missing name index entry (a name could be taken twice)" {
	rm "$DATA_DIR"/ha/names/s-*.json
	api POST /v1/segments '{"segment": {"name": "alpha", "recovery_method": "auto", "service_type": "C"}}'
	api DELETE "/v1/segments/$(json .segment.uuid)"
	fsck_is 1
	assert_output --partial "name index entry of $SEG_A missing"
	repair
	api POST /v1/segments '{"segment": {"name": "alpha", "recovery_method": "auto", "service_type": "C"}}'
	assert_equal "$code" 409
}

@test "fsck reports index entries that disagree with the records" {
	f=$(ls "$DATA_DIR"/ha/names/s-*.json | head -n 1)
	echo '{"name": "zzz", "uuid": "x"}' > "$f"
	echo 'not json' > "$DATA_DIR/ha/names/h-$(printf %064d 0).json"
	fsck_is 1
	assert_output --partial "entry does not match its file name"
	assert_output --partial "unparseable entry"
	repair
}

@test "fsck keeps stale index entries apart: leftovers the programs ignore" {
	echo "{\"name\": \"gone\", \"uuid\": \"$SEG_B\"}" > \
	    "$DATA_DIR/ha/names/s-$(printf %s gone | sha256sum | cut -c1-64).json"
	fsck_is 0
	assert_output --partial "leftover: ha/names/s-"
	repair
}

@test "fsck reports active notifications missing from their segment's entries" {
	rm "$DATA_DIR"/ha/index/active/*/*.json
	fsck_is 1
	assert_output --partial "1 active notification(s) missing"
	repair
	api PUT "/v1/segments/$SEG_A" '{"segment": {"description": "x"}}'
	assert_equal "$code" 409
}

@test "fsck reports a record missing from its id index, and rebuilds it" {
	echo '{"prev": null, "newest": "", "rows": []}' > \
	    "$DATA_DIR/ha/index/segments/0.json"
	fsck_is 1
	assert_output --partial "error: ha/index/segments: 2 record(s) missing"
	repair
	api GET "/v1/segments?limit=1"
	assert_equal "$(json '.segments[0].uuid')" "$SEG_B"
}

@test "fsck keeps index rows of cut-short writes apart: leftovers" {
	jq -c '.rows += [[999, "00000000-0000-4000-8000-000000000999", "x"]]' \
	    "$DATA_DIR/ha/index/segments/0.json" > "$BATS_TEST_TMPDIR/p"
	cat "$BATS_TEST_TMPDIR/p" > "$DATA_DIR/ha/index/segments/0.json"
	fsck_is 0
	assert_output --partial "leftover: ha/index/segments: 1 row(s)"
	repair
}

@test "data from before the indexes: read in full, built by --repair" {
	rm -r "$DATA_DIR/ha/index"
	echo '{}' > "$DATA_DIR/ha/active.json"
	api PUT "/v1/segments/$SEG_A" '{"segment": {"description": "x"}}'
	assert_equal "$code" 409
	api GET "/v1/segments?limit=1"
	assert_equal "$(json '.segments[0].uuid')" "$SEG_B"
	fsck_is 0
	assert_output --partial "leftover: ha/index/index.json: the indexes were never built"
	assert_output --partial "leftover: ha/active.json"
	repair
	[[ -f $DATA_DIR/ha/index/index.json ]]
	api PUT "/v1/segments/$SEG_A" '{"segment": {"description": "x"}}'
	assert_equal "$code" 409
	api GET "/v1/segments?limit=1&marker=$SEG_B"
	assert_equal "$(json '.segments[0].uuid')" "$SEG_A"
}

@test "fsck reports a wrong or unreadable FORMAT and checks nothing else" {
	echo '{"format": 2}' > "$DATA_DIR/FORMAT"
	echo garbage > "$DATA_DIR/ha/segments/$SEG_B.json"
	fsck_is 1
	assert_output --partial "FORMAT: format 2 is not supported"
	refute_output --partial "unparseable"
	run manage fsck --repair
	assert_failure
	assert_equal "$(cat "$DATA_DIR/FORMAT")" '{"format": 2}'
	echo '{' > "$DATA_DIR/FORMAT"
	fsck_is 1
	assert_output --partial "FORMAT: unreadable"
}

@test "fsck and restore refuse a folder without FORMAT unless it holds only lock files" {
	local d=$BATS_TEST_TMPDIR/notours before
	mkdir -m 0755 "$d" "$d/sub"
	echo hello > "$d/notes.txt"
	chmod 0644 "$d/notes.txt"
	before=$(cd "$d" && find . -printf '%p %m %s\n' | sort)
	for args in fsck "fsck --repair"; do
		run "$HACGI_MANAGE" --data-dir "$d" $args
		assert_equal "$status" 2
		assert_output --partial "no FORMAT file and not empty: not a hacgi data directory"
	done
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	run "$HACGI_MANAGE" --data-dir "$d" restore "$BATS_TEST_TMPDIR/b.json"
	assert_failure
	assert_output --partial "no FORMAT file and not empty"
	assert_equal "$(cd "$d" && find . -printf '%p %m %s\n' | sort)" "$before"
	# empty, or lock files only: a data directory nothing was written to
	# (and the source tree's data/ holds an empty .gitkeep)
	rm -r "$d/sub" "$d/notes.txt"
	chmod 0700 "$d"
	: > "$d/ha.lock"
	: > "$d/.gitkeep"
	run "$HACGI_MANAGE" --data-dir "$d" fsck --repair
	assert_success
	run "$HACGI_MANAGE" --data-dir "$d" restore "$BATS_TEST_TMPDIR/b.json"
	assert_success
	rm "$DATA_DIR/FORMAT"
	fsck_is 2
}

@test "as root, fsck and restore refuse a data directory that is a link" {
	[[ $(id -u) == 0 ]] || skip "root only"
	local d=$BATS_TEST_TMPDIR/real
	mkdir -m 0755 "$d"
	echo '{"format": 1}' > "$d/FORMAT"
	chmod 0644 "$d/FORMAT"
	ln -s "$d" "$BATS_TEST_TMPDIR/link"
	run "$HACGI_MANAGE" --data-dir "$BATS_TEST_TMPDIR/link" fsck --repair
	assert_equal "$status" 2
	assert_output --partial "a link, refused"
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	run "$HACGI_MANAGE" --data-dir "$BATS_TEST_TMPDIR/link" restore "$BATS_TEST_TMPDIR/b.json"
	assert_failure
	assert_equal "$(stat -c %a "$d" "$d/FORMAT" | tr '\n' ' ')" "755 644 "
	run ls -A "$d"
	assert_output FORMAT
}

@test "fsck --repair never chmods through a link, even one swapped in before its chmod" {
	local away=$BATS_TEST_TMPDIR/away pid
	mkdir -m 0755 "$away"
	echo secret > "$away/f"
	chmod 0644 "$away/f"
	ln -s "$away" "$DATA_DIR/ha/elsewhere"
	ln -s "$away/f" "$DATA_DIR/ha/segments/$(cat /proc/sys/kernel/random/uuid).json"
	fsck_is 1
	run manage fsck --repair
	assert_equal "$(stat -c %a "$away" "$away/f" | tr '\n' ' ')" "755 644 "
	rm "$DATA_DIR/ha/elsewhere" "$DATA_DIR"/ha/segments/*-*-*-*-*.json
	command -v strace >/dev/null || skip "strace is not installed"
	# the walk sees vol/services open to others; every chmod then
	# waits 3 s, long enough to swap the folder for a link to $away
	# (LeakSanitizer cannot run under ptrace: tools/sanitize.sh)
	chmod 0755 "$DATA_DIR/vol/services"
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null \
	    -e trace=chmod,fchmod,fchmodat \
	    -e inject=chmod,fchmod,fchmodat:delay_enter=3000000 \
	    "$HACGI_MANAGE" --data-dir "$DATA_DIR" fsck --repair \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	sleep 1
	mv "$DATA_DIR/vol/services" "$DATA_DIR/vol/services.real"
	ln -s "$away" "$DATA_DIR/vol/services"
	wait "$pid" || true
	rm "$DATA_DIR/vol/services"
	mv "$DATA_DIR/vol/services.real" "$DATA_DIR/vol/services"
	cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(stat -c %a "$away" "$away/f" | tr '\n' ' ')" "755 644 "
	assert_equal "$(stat -c %a "$DATA_DIR/vol/services")" 700
}

@test "fsck reports files open to other users and tightens them" {
	chmod 644 "$DATA_DIR/tokens.json"
	chmod 755 "$DATA_DIR/ha/segments" "$DATA_DIR"
	chmod 666 "$DATA_DIR/ha.lock"
	fsck_is 1
	assert_output --partial "tokens.json: mode 0644 lets other users in"
	assert_output --partial "error: .: mode 0755"
	repair
	run find "$DATA_DIR" -perm /077
	assert_output ''
}

@test "fsck reports links and foreign files where the programs look" {
	ln -s /etc/passwd "$DATA_DIR/ha/segments/$(cat /proc/sys/kernel/random/uuid).json"
	echo '{}' > "$DATA_DIR/ha/segments/notes.json"
	fsck_is 1
	assert_output --partial "not a regular file or folder"
	assert_output --partial "ha/segments/notes.json: file name is not UUID.json"
}

@test "fsck reports a broken token store and policy file" {
	echo '{"tokens": [{"sha256": "abc", "token": "x"}]}' > "$DATA_DIR/tokens.json"
	echo '[' > "$DATA_DIR/policy.json"
	fsck_is 1
	assert_output --partial "tokens.json: an entry has no SHA-256 hash"
	assert_output --partial "policy.json: unparseable"
}

@test "fsck reports token entries sharing a hash and keeps the one in effect" {
	local t=$DATA_DIR/tokens.json hash
	manage token create --user d --project "$PROJECT" --roles admin \
	    --token dup-token
	jq -c '.tokens += [.tokens[-1] | .roles = ["member"]]' "$t" > "$t.new"
	cp "$t.new" "$t"
	rm "$t.new"
	TOKEN=dup-token api GET /v1/segments
	assert_equal "$code" 403
	fsck_is 1
	assert_output --partial "error: tokens.json: 1 entry repeats the hash of a later one"
	repair
	hash=$(printf %s dup-token | sha256sum | cut -d' ' -f1)
	run jq -c --arg h "$hash" '[.tokens[] | select(.sha256 == $h) | .roles]' "$t"
	assert_output '[["member"]]'
	TOKEN=dup-token api GET /v1/segments
	assert_equal "$code" 403
	api GET /v1/segments
	assert_equal "$code" 200
}

@test "fsck reports duplicate keys and U+0000 in the token store and policy file, and warns of unknown rules" {
	local t=$DATA_DIR/tokens.json p=$DATA_DIR/policy.json
	cp "$t" "$BATS_TEST_TMPDIR/tokens.json"
	printf '{"tokens": [{"sha256": "%s", "user": "a", "project": "p", "roles": ["member"], "roles": ["admin"]}]}\n' \
	    "$(jq -r '.tokens[0].sha256' "$BATS_TEST_TMPDIR/tokens.json")" > "$t"
	printf '{"clusters:get": ["admin\\u0000x"], "clusters:get": []}\n' > "$p"
	fsck_is 1
	assert_output --partial 'error: tokens.json: unparseable (the key "roles" twice'
	assert_output --partial 'error: policy.json: unparseable (U+0000 in a string'
	printf '{"clusters:get": ["admin"], "clusters:get": []}\n' > "$p"
	fsck_is 1
	assert_output --partial 'error: policy.json: unparseable (the key "clusters:get" twice'
	cp "$BATS_TEST_TMPDIR/tokens.json" "$t"
	printf '{"clusters:get": ["admin"], "cluster:get_all": ["member"]}\n' > "$p"
	fsck_is 0
	assert_output --partial 'warning: policy.json: unknown rule "cluster:get_all": no check uses it'
}

@test "fsck checks the policy file POLICY_FILE names, and its mode" {
	local p=$BATS_TEST_TMPDIR/policy.json
	printf '{"clusters:get": ["admin"], "segments:index": ["member"]}\n' > "$p"
	chmod 0666 "$p"
	POLICY_FILE=$p run manage fsck
	assert_equal "$status" 1
	assert_output --partial "error: $p: mode 0666 lets other users write it: the programs refuse it"
	chmod 0644 "$p"
	POLICY_FILE=$p run manage fsck
	assert_success
	assert_output --partial "warning: $p: unknown rule \"segments:index\""
}

@test "fsck reports a relative POLICY_FILE, which the programs refuse" {
	POLICY_FILE=policy.json run manage fsck
	assert_equal "$status" 1
	assert_output --partial "error: policy.json: POLICY_FILE is not an absolute path"
}

@test "fsck reports a malformed record field" {
	jq -c '.enabled = "yes" | del(.created_at)' "$DATA_DIR/ha/segments/$SEG_B.json" > "$BATS_TEST_TMPDIR/b"
	cp "$BATS_TEST_TMPDIR/b" "$DATA_DIR/ha/segments/$SEG_B.json"
	fsck_is 1
	assert_output --partial "field \"enabled\" missing or of the wrong type"
}

@test "fsck waits for writers: it holds every lock" {
	exec 9>"$DATA_DIR/ha.lock"
	flock -x 9
	(sleep 1; flock -u 9) &
	start=$(date +%s%N)
	fsck_is 0
	elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
	exec 9>&-
	[[ $elapsed -ge 800 ]] || fail "fsck did not wait for the lock ($elapsed ms)"
}

@test "backup and restore round-trip every document" {
	before=$(data_snapshot)
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	assert_success
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/b.json")" 600
	run grep -F "$ADMIN_TOKEN" "$BATS_TEST_TMPDIR/b.json"
	assert_failure
	api DELETE "/v1/segments/$SEG_B"
	mkseg gamma
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	run manage restore "$BATS_TEST_TMPDIR/b.json"
	assert_success
	fsck_is 0
	api GET /v1/segments
	assert_equal "$(json '[.segments[].name] | sort | join(",")')" alpha,beta
	vapi GET /v3/os-services
	assert_equal "$(json '.services | length')" 1
	mkseg delta
}

@test "backup writes through no name planted beforehand: its file is new, ours and 0600" {
	local d=$BATS_TEST_TMPDIR/shared last
	mkdir -m 1777 "$d"
	# another user's files under every name the next processes' pids
	# would give a predictable temp file
	last=$(cat /proc/sys/kernel/ns_last_pid)
	(cd "$d" && eval "touch b.json.tmp.{$((last + 1))..$((last + 20000))}" &&
	    chmod 0666 b.json.tmp.*)
	if [[ $(id -u) == 0 ]]; then
		chown 65534 "$d"/b.json.tmp.*
	fi
	run manage backup "$d/b.json"
	assert_success
	assert_equal "$(stat -c '%a %u' "$d/b.json")" "600 $(id -u)"
	run find "$d" -name 'b.json.tmp.*' -size +0
	assert_output ''
	assert_equal "$(find "$d" -name 'b.json.tmp.*' | wc -l)" 20000
}

@test "restore refuses a bundle that others may write or that is not ours" {
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	mkseg gamma
	before=$(data_snapshot)
	chmod 0664 "$BATS_TEST_TMPDIR/b.json"
	run manage restore "$BATS_TEST_TMPDIR/b.json"
	assert_failure
	assert_output --partial "b.json: writable by group or others: refused"
	chmod 0600 "$BATS_TEST_TMPDIR/b.json"
	ln -s "$BATS_TEST_TMPDIR/b.json" "$BATS_TEST_TMPDIR/link.json"
	run manage restore "$BATS_TEST_TMPDIR/link.json"
	assert_failure
	assert_output --partial "link.json: a link"
	if [[ $(id -u) == 0 ]]; then
		chown 65534 "$BATS_TEST_TMPDIR/b.json"
		run manage restore "$BATS_TEST_TMPDIR/b.json"
		assert_failure
		assert_output --partial "b.json: not yours: refused"
		chown 0 "$BATS_TEST_TMPDIR/b.json"
	fi
	assert_equal "$(data_snapshot)" "$before"
	run manage restore "$BATS_TEST_TMPDIR/b.json"
	assert_success
}

@test "restore refuses a bundle with paths outside the data directory" {
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	for p in ../evil /etc/evil ha/../../evil .hidden 'ha//x' ha.lock lost+found/x ; do
		jq -c --arg p "$p" '.files += [{"path": $p, "text": "x"}]' \
		    "$BATS_TEST_TMPDIR/b.json" > "$BATS_TEST_TMPDIR/evil.json"
		run manage restore "$BATS_TEST_TMPDIR/evil.json"
		assert_failure
		assert_output --partial "not a plain relative path"
	done
	assert_file_not_exists "$DATA_DIR/../evil"
	echo '{"hacgi-backup": 1, "format": 9, "files": []}' > "$BATS_TEST_TMPDIR/f9.json"
	run manage restore "$BATS_TEST_TMPDIR/f9.json"
	assert_failure
	fsck_is 0
}

@test "an interrupted restore is reported and finished by fsck --repair" {
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	mkseg gamma
	# what restore leaves when it dies after its commit point
	mkdir -m 700 "$DATA_DIR/.restore" "$DATA_DIR/.restore/new"
	jq -r '.files[] | select(.dir) | .path' "$BATS_TEST_TMPDIR/b.json" |
	    while read -r d; do mkdir -p -m 700 "$DATA_DIR/.restore/new/$d"; done
	jq -r '.files[] | select(.text) | .path' "$BATS_TEST_TMPDIR/b.json" |
	    while read -r f; do
		jq -j --arg f "$f" '.files[] | select(.path == $f) | .text' \
		    "$BATS_TEST_TMPDIR/b.json" > "$DATA_DIR/.restore/new/$f"
	    done
	echo '{"replace": ["FORMAT", "ha", "tokens.json", "vol"], "remove": []}' > "$DATA_DIR/.restore/COMMIT"
	fsck_is 1
	assert_output --partial "error: .restore: a restore was cut short"
	repair
	api GET /v1/segments
	assert_equal "$(json '[.segments[].name] | sort | join(",")')" alpha,beta
	assert_file_not_exists "$DATA_DIR/.restore"
}

@test "an abandoned restore staging is a leftover" {
	mkdir -m 700 "$DATA_DIR/.restore"
	fsck_is 0
	assert_output --partial "leftover: .restore: an abandoned restore"
	repair
}

# ---- Volume: record files and journals ----

@test "fsck reports a Volume record file that disagrees with the journal and rewrites it" {
	f=$(ls "$DATA_DIR"/vol/clusters/*.json)
	jq -c '.disabled = true' "$f" > "$BATS_TEST_TMPDIR/c" && cp "$BATS_TEST_TMPDIR/c" "$f"
	fsck_is 1
	assert_output --partial "vol/clusters: 1 record file(s) disagree with the journal"
	repair
	run jq -c .disabled "$f"
	assert_output false
	vapi GET /v3/clusters/c1 '' -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$(json .cluster.status)" enabled
}

# what a write killed after its journal line (the commit) leaves
vol_commit_only() {
	printf '%s\n' "$1" >> "$DATA_DIR/vol/$2.log"
}

@test "a Volume write cut short after its journal line is a leftover the next write settles" {
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	f=$(grep -l '"h1@lvm"' "$DATA_DIR"/vol/services/*.json)
	old=$(cat "$f")
	vol_commit_only "$(jq -c '.zone = "z9"' "$f" | sed 's/,"/, "/g; s/":/": /g')" services
	fsck_is 0
	assert_output --partial "leftover: vol/services: the record file of the last journal line is behind it"
	assert_equal "$(cat "$f")" "$old"
	# readers already see it; the next write of any service settles it
	vapi GET /v3/os-services
	assert_equal "$(json '.services[0].zone')" z9
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	assert_equal "$code" 200
	run jq -r .zone "$f"
	assert_output z9
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

@test "a Volume removal cut short after its journal line is settled by the next write" {
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	f=$(grep -l '"h1@lvm"' "$DATA_DIR"/vol/services/*.json)
	vol_commit_only '{"seq": 1, "host": "h1@lvm", "binary": "cinder-volume", "removed": true}' services
	fsck_is 0
	assert_output --partial "the record file of the last journal line is behind it"
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	assert_equal "$code" 200
	[[ ! -e $f ]] || fail "$f is still there"
	vapi GET /v3/os-services
	assert_equal "$(json '[.services[].host] | join(",")')" h2@lvm
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

@test "a record file behind a line that is not the last one is an error" {
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	f=$(grep -l '"h1@lvm"' "$DATA_DIR"/vol/services/*.json)
	vol_commit_only "$(jq -c '.zone = "z9"' "$f" | sed 's/,"/, "/g; s/":/": /g')" services
	tail -n 2 "$DATA_DIR/vol/services.log" | head -n 1 >> "$DATA_DIR/vol/services.log"
	fsck_is 1
	assert_output --partial "vol/services: 1 record file(s) disagree with the journal"
	repair
	run jq -r .zone "$f"
	assert_output z9
}

@test "fsck reports a corrupt journal line and rebuilds the journal" {
	echo '{"seq": 1, "host": ' >> "$DATA_DIR/vol/services.log"
	echo '{"seq": 1}' >> "$DATA_DIR/vol/services.log"
	fsck_is 1
	assert_output --partial "vol/services.log: a line is not a record"
	repair
	vapi GET /v3/os-services
	assert_equal "$code" 200
	assert_equal "$(json '.services[0].host')" h1@lvm
}

@test "fsck leaves a torn last journal line to the next writer" {
	printf '{"seq": 9, "host": "h' >> "$DATA_DIR/vol/services.log"
	fsck_is 0
	assert_output --partial "leftover: vol/services.log: a torn last line"
	vapi GET /v3/os-services
	assert_equal "$code" 200
	assert_equal "$(json '.services | length')" 1
}

@test "fsck reports a key live twice in a journal and keeps one" {
	sed -n 1p "$DATA_DIR/vol/services.log" | jq -c '.seq = 7' >> "$DATA_DIR/vol/services.log"
	fsck_is 1
	assert_output --partial "1 key(s) live twice"
	repair
	vapi GET /v3/os-services
	assert_equal "$(json '.services | length')" 1
}

@test "cluster remove refuses a cluster with services, so fsck never finds them orphaned" {
	run manage cluster remove c1
	assert_failure
	assert_output --partial "still has 1 service(s)"
	fsck_is 0
	run manage cluster remove c1 --recursive
	assert_success
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
	vapi GET /v3/os-services
	assert_equal "$(json '.services | length')" 0
}

@test "fsck reports services of a missing cluster" {
	# only damage makes them: the cluster's record and line gone
	vol_commit_only '{"seq": 1, "name": "c1", "binary": "cinder-volume", "removed": true}' clusters
	rm "$DATA_DIR"/vol/clusters/*.json
	fsck_is 1
	assert_output --partial "service (h1@lvm, cinder-volume) of a missing cluster c1"
	manage cluster set c1
	fsck_is 0
}

@test "fsck reports a Volume counter behind the sequence numbers" {
	echo '{"service": 0, "cluster": 0}' > "$DATA_DIR/vol/counters.json"
	fsck_is 1
	assert_output --partial "vol/counters.json: behind the largest sequence number"
	repair
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume"}}'
	assert_equal "$code" 200
	vapi GET /v3/os-services
	assert_equal "$(json '.services | length')" 2
}

# the os-services actions' writes: a cluster that lists a member a
# failover left behind (h2@lvm, down), a service in no cluster with its
# own values (lone@lvm), and both log-level files
vol_actions() {
	manage service heartbeat --host h2@lvm --binary cinder-volume \
	    --cluster c1 --at 2000-01-01T00:00:00.000000
	manage cluster set c1 --replication-status enabled
	vapi PUT /v3/os-services/failover_host '{"host": "h1@lvm"}'
	assert_equal "$code" 202
	manage service heartbeat --host lone@lvm --binary cinder-volume
	vapi PUT /v3/os-services/freeze '{"host": "lone@lvm"}'
	assert_equal "$code" 200
	vapi PUT /v3/os-services/set-log '{"prefix": "cinder", "level": "WARNING"}' \
	    -H 'OpenStack-API-Version: volume 3.32'
	assert_equal "$code" 202
}

# vol_rewrite KIND KEY FILTER: the record of KEY (a host or a cluster
# name) changed by the jq FILTER, as a committed write leaves it (a
# journal line, then the record file)
vol_rewrite() {
	local f
	f=$(grep -l "\"$2\"" "$DATA_DIR"/vol/"$1"/*.json)
	vol_commit_only "$(jq -c "$3" "$f" | sed 's/,"/, "/g; s/":/": /g')" "$1"
	jq -c "$3" "$f" > "$BATS_TEST_TMPDIR/rec"
	cp "$BATS_TEST_TMPDIR/rec" "$f"
}

@test "fsck is clean after the os-services actions wrote their optional fields" {
	vol_actions
	run jq -c '.members | keys' "$(grep -l '"c1"' "$DATA_DIR"/vol/clusters/*.json)"
	assert_output '["h2@lvm"]'
	run jq -r .frozen "$(grep -l '"lone@lvm"' "$DATA_DIR"/vol/services/*.json)"
	assert_output true
	assert_file_exists "$DATA_DIR/vol/log-levels.json"
	assert_file_exists "$DATA_DIR/vol/log-levels-services.json"
	fsck_is 0
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "fsck reports a service's own replication values or a cluster's members of the wrong shape" {
	vol_actions
	vol_rewrite services lone@lvm '.frozen = "yes"'
	vol_rewrite clusters c1 '.members["h2@lvm"] |= del(.frozen)'
	fsck_is 1
	assert_output --partial 'optional field "frozen" of the wrong shape'
	assert_output --partial 'optional field "members" of the wrong shape'
	vol_rewrite services lone@lvm 'del(.replication_status, .frozen, .active_backend_id)'
	vol_rewrite clusters c1 '.members = []'
	fsck_is 1
	refute_output --partial 'optional field "frozen"'
	assert_output --partial 'optional field "members" of the wrong shape'
	vol_rewrite clusters c1 'del(.members)'
	fsck_is 0
	assert_output --partial "fsck: 0 error(s)"
}

@test "fsck reports damaged log-level files and --repair sets them aside" {
	vol_actions
	echo '[' > "$DATA_DIR/vol/log-levels.json"
	jq -c '.services[0].levels.cinder = "LOUD"' \
	    "$DATA_DIR/vol/log-levels-services.json" > "$BATS_TEST_TMPDIR/lv"
	cp "$BATS_TEST_TMPDIR/lv" "$DATA_DIR/vol/log-levels-services.json"
	fsck_is 1
	assert_output --partial "error: vol/log-levels.json: unparseable"
	assert_output --partial "error: vol/log-levels-services.json: not the shape vol/vollog.h gives it"
	vapi PUT /v3/os-services/get-log '{}' -H 'OpenStack-API-Version: volume 3.32'
	assert_equal "$code" 500
	repair
	vapi PUT /v3/os-services/get-log '{"binary": "cinder-api", "prefix": "cinder.api.versions"}' \
	    -H 'OpenStack-API-Version: volume 3.32'
	assert_equal "$code" 200
	assert_equal "$(json '.log_levels[0].levels | tostring')" '{"cinder.api.versions":"INFO"}'
}

@test "an unparseable host of an unfinished delete: one --repair quarantines it and finishes the delete" {
	cut_delete
	echo '{"name": "g1", "uu' > "$DATA_DIR/ha/hosts/$G/$G1.json"
	fsck_is 1
	assert_output --partial "error: ha/hosts/$G/$G1.json: unparseable document: the delete of its segment cannot finish"
	repair
	assert_file_not_exists "$DATA_DIR/ha/hosts/$G"
	assert_file_not_exists "$DATA_DIR/ha/tombstones/$G.json"
	mkhost "$SEG_B" g1
	mkhost "$SEG_B" g2
}

@test "an unparseable tombstone: one --repair sets it aside with its hosts and frees their names" {
	cut_delete
	echo '{"name": "gam' > "$DATA_DIR/ha/tombstones/$G.json"
	fsck_is 1
	assert_output --partial "error: ha/tombstones/$G.json: unparseable tombstone"
	repair
	assert_file_not_exists "$DATA_DIR/ha/hosts/$G"
	assert_file_not_exists "$DATA_DIR/ha/tombstones/$G.json"
	run ls "$DATA_DIR/lost+found"
	assert_output --partial "ha%tombstones%$G.json"
	assert_output --partial "ha%hosts%$G."
	mkhost "$SEG_B" g1
	mkhost "$SEG_B" g2
	mkseg gamma
}

# ---- Volume: the name index (vol/volume.h) ----

vshow() {
	vapi GET "/v3/clusters/$1" '' -H 'OpenStack-API-Version: volume 3.7'
}

# the bucket of name in the name index (lib/vol/volindex.c): the low 32
# bits of the FNV-1a (64) of name up to its first '@' or '#', h, and the count of
# entries in vol/names/head.json, n: of m = ceil(n / 8) buckets (at least
# one) and 2^L the largest power of two up to m, h mod 2^L, or h mod
# 2^(L+1) when that is below m - 2^L; vol/names/BUCKET.json (hex)
vol_index_doc() {
	python3 - "$DATA_DIR/vol/names" "${1%%[@#]*}" <<-'PY'
	import json, os, sys
	d, name = sys.argv[1], sys.argv[2]
	try:
	    n = json.load(open(os.path.join(d, "head.json")))["entries"]
	except FileNotFoundError:
	    n = 0
	m = max(1, -(-n // 8))
	lo = 1
	while lo <= m // 2:
	    lo *= 2
	h = 14695981039346656037
	for c in name.encode():
	    h = ((h ^ c) * 1099511628211) % 2**64
	h &= 0xffffffff
	b = h % lo
	if b < m - lo:
	    b = h % (2 * lo)
	print("%s/%x.json" % (d, b))
	PY
}

# the fixture's one bucket (the index is small): a line per name, in name
# order (c1; h1, of h1@lvm)
VOL_BUCKET0='{"name":"c1","clusters":[[1,"c1","cinder-volume"]],"services":[],"members":{"c1":{"cinder-volume":["h1@lvm"]}}}
{"name":"h1","clusters":[],"services":[[1,"h1@lvm","cinder-volume"]],"members":{}}'

@test "fsck reports an index document missing entries and rebuilds it" {
	f=$(vol_index_doc c1)
	assert_equal "$(jq -c . "$f")" "$VOL_BUCKET0"
	printf '%s\n' '{"name": "c1", "clusters": [], "services": [], "members": {"c1": {"cinder-volume": ["h1@lvm"]}}}' \
	    '{"name": "h1", "clusters": [], "services": [[1, "h1@lvm", "cinder-volume"]], "members": {}}' > "$f"
	vshow c1
	assert_equal "$code" 404
	fsck_is 1
	assert_output --partial "error: vol/names: 1 document(s) miss entries"
	repair
	vshow c1
	assert_equal "$(json .cluster.num_hosts)" 1
}

@test "stale index entries are leftovers the programs ignore" {
	f=$(vol_index_doc c1)
	[[ $(vol_index_doc c1@old) == "$f" ]] || fail "another bucket"
	printf '%s\n' '{"name": "c1", "clusters": [[1, "c1", "cinder-volume"], [7, "c1", "x"], [9, "c1@old", "cinder-volume"]], "services": [[8, "c1", "cinder-volume"]], "members": {"c1": {"cinder-volume": ["gone", "h1@lvm"]}, "c1@old": {"cinder-volume": ["h1@lvm"]}}}' \
	    '{"name": "h1", "clusters": [], "services": [[1, "h1@lvm", "cinder-volume"]], "members": {}}' > "$f"
	# and a bucket the table has not grown to
	echo '{"name": "c9", "clusters": [[3, "c9", "cinder-volume"]], "services": [], "members": {}}' > "$DATA_DIR/vol/names/ff.json"
	vshow c1
	assert_equal "$(json '.cluster | "\(.name) \(.num_hosts)"')" "c1 1"
	vshow c1@old
	assert_equal "$code" 404
	vshow c9
	assert_equal "$code" 404
	fsck_is 0
	assert_output --partial "leftover: vol/names: 2 document(s) list clusters or services that are gone"
	repair
	[[ ! -e $DATA_DIR/vol/names/ff.json ]] || fail "still there"
	assert_equal "$(jq -c . "$f")" "$VOL_BUCKET0"
}

@test "data without the index (written before it) is read as before; --repair builds it" {
	rm -r "$DATA_DIR/vol/names"
	vapi PUT /v3/os-hacgi-heartbeat '{"service": {"host": "h2@lvm", "binary": "cinder-volume", "cluster": "c1"}}'
	[[ ! -e $DATA_DIR/vol/names ]] || fail "an index of part of the data"
	vshow c1
	assert_equal "$(json .cluster.num_hosts)" 2
	fsck_is 0
	assert_output --partial "leftover: vol/names: no name index"
	repair
	assert_equal "$(jq -c 'select(.name == "c1") | .members' "$(vol_index_doc c1)")" '{"c1":{"cinder-volume":["h1@lvm","h2@lvm"]}}'
	mkdir "$DATA_DIR/vol/names.new"
	fsck_is 0
	assert_output --partial "leftover: vol/names.new: an index build cut short"
	repair
}

@test "fsck reports a service missing from the name index and rebuilds it" {
	f=$(vol_index_doc h1@lvm)
	assert_equal "$(jq -c . "$f")" "$VOL_BUCKET0"
	printf '%s\n' '{"name": "c1", "clusters": [[1, "c1", "cinder-volume"]], "services": [], "members": {"c1": {"cinder-volume": ["h1@lvm"]}}}' \
	    '{"name": "h1", "clusters": [], "services": [], "members": {}}' > "$f"
	vapi PUT /v3/os-services/disable '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 404
	fsck_is 1
	assert_output --partial "error: vol/names: 1 document(s) miss entries"
	repair
	vapi PUT /v3/os-services/disable '{"host": "h1@lvm", "binary": "cinder-volume"}'
	assert_equal "$code" 200
	assert_equal "$(json .status)" disabled
}

@test "the name index splits a bucket at a time as it grows, as fsck lays it out" {
	local i
	for i in $(seq 1 30); do
		manage service heartbeat --host "g$i@b#p" --binary cinder-volume \
		    --cluster "gc$((i % 7))"
	done
	(($(ls "$DATA_DIR/vol/names" | wc -l) > 6)) || fail "no split"
	assert_equal "$(jq .entries "$DATA_DIR/vol/names/head.json")" 70
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
	for i in 3 17 30; do
		vapi PUT /v3/os-services/disable "{\"host\": \"g$i\", \"binary\": \"cinder-volume\"}"
		assert_equal "$code" 200
	done
	vshow gc3
	assert_equal "$(json .cluster.num_hosts)" 4
	vshow 'g17@b'
	assert_equal "$code" 404
	# a count the bulk loader or --repair makes from what is there
	manage service remove --host g1@b#p --binary cinder-volume
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

@test "the cluster index of an older version is a leftover, removed" {
	mkdir "$DATA_DIR/vol/index" "$DATA_DIR/vol/index.new"
	echo '{"clusters": [[1, "c1", "cinder-volume"]], "members": {}}' \
	    > "$(vol_index_doc c1 | sed 's|/vol/names/|/vol/index/|')"
	vshow c1
	assert_equal "$(json .cluster.num_hosts)" 1
	fsck_is 0
	assert_output --partial "leftover: vol/index: the cluster index of an older version, no longer read (removed)"
	assert_output --partial "leftover: vol/index.new: a build of the older cluster index (removed)"
	repair
	[[ ! -e $DATA_DIR/vol/index && ! -e $DATA_DIR/vol/index.new ]] ||
	    fail "still there"
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

@test "service populate builds the index" {
	manage service populate --prefix p- --count 5
	vshow 'p-c3?binary=cinder-volume'
	assert_equal "$(json '.cluster | "\(.name) \(.num_hosts)"')" "p-c3@lvm 3"
	fsck_is 0
	assert_output --partial "fsck: 0 error(s), 0 leftover(s)"
}

# ---- keystone mode's files (SPEC 2.2.1), made by hand: no Keystone ----

# ks_files: a credentials file, a kept service token and two cache
# entries as the programs write them.
ks_files() {
	local c=$DATA_DIR/keystone/cache now
	now=$(date +%s)
	mkdir -p "$c"
	printf '%s\n' 'auth_url = http://127.0.0.1:5000/v3' 'username = hacgi' \
	    'password = ks-Secret-pw' 'project_name = service' \
	    > "$DATA_DIR/keystone.conf"
	printf '{"token": "gAAAAks-Service-Token", "issued_at": %s, "expires_at": %s, "for": "%064d"}\n' \
	    "$now" $((now + 3600)) 0 > "$DATA_DIR/keystone/service.json"
	printf '{"valid": true, "cached_at": %s, "expires_at": %s, "user_id": "u1", "user_name": "ks-Cached-User", "project_id": "p1", "project_name": "demo", "roles": ["admin"]}\n' \
	    "$now" $((now + 3600)) > "$c/$(printf '%064d' 1).json"
	printf '{"valid": false, "cached_at": %s}\n' "$now" \
	    > "$c/$(printf '%064d' 2).json"
}

@test "fsck is clean on keystone mode's files as the programs write them" {
	ks_files
	fsck_is 0
	assert_output "fsck: 0 error(s), 0 leftover(s), 0 repaired"
}

@test "fsck: a bad cache entry or service token is a leftover --repair removes; an unparseable entry an error" {
	local c=$DATA_DIR/keystone/cache
	ks_files
	echo '{"valid": true, "cached_at": 1}' > "$c/$(printf '%064d' 3).json"
	echo '{"valid": tr' > "$c/$(printf '%064d' 4).json"
	echo '{}' > "$c/notes.json"
	echo '{"token": "gAAAAks-Service-Token"}' > "$DATA_DIR/keystone/service.json"
	fsck_is 1
	assert_line "leftover: keystone/cache/$(printf '%064d' 3).json: not an identity cache entry: the programs ask Keystone again"
	assert_line "error: keystone/cache/$(printf '%064d' 4).json: unreadable or unparseable cache entry: its token gets a 500 (--repair removes it)"
	assert_line 'leftover: keystone/cache/notes.json: not a cache entry (HASH.json): nothing reads it'
	assert_line 'leftover: keystone/service.json: malformed kept service token: the programs get a new one'
	refute_output --partial ks-Service-Token
	refute_output --partial ks-Cached-User
	repair
	assert_file_not_exists "$c/$(printf '%064d' 3).json"
	assert_file_not_exists "$c/$(printf '%064d' 4).json"
	assert_file_not_exists "$c/notes.json"
	assert_file_not_exists "$DATA_DIR/keystone/service.json"
	assert_file_exists "$c/$(printf '%064d' 1).json"
	assert_file_exists "$c/$(printf '%064d' 2).json"
}

@test "fsck: keystone.conf open to others, or one the programs refuse; never a value from it" {
	ks_files
	chmod 0640 "$DATA_DIR/keystone.conf"
	fsck_is 1
	assert_line 'error: keystone.conf: mode 0640 lets other users in'
	refute_output --partial 'no auth_url'
	chmod 0600 "$DATA_DIR/keystone.conf"
	printf '%s\n' 'password = ks-Secret-pw' 'pasword = ks-Secret-pw' \
	    > "$DATA_DIR/keystone.conf"
	fsck_is 1
	assert_line "error: keystone.conf: line 2: unknown key 'pasword': in keystone mode, every token not cached gets a 503"
	refute_output --partial ks-Secret-pw
	printf '%s\n' 'password = ks-Secret-pw' > "$DATA_DIR/keystone.conf"
	fsck_is 1
	assert_line 'error: keystone.conf: no auth_url: in keystone mode, every token not cached gets a 503'
	refute_output --partial ks-Secret-pw
	# the mode is what --repair can fix: the text is the administrator's
	chmod 0644 "$DATA_DIR/keystone.conf"
	run manage fsck --repair
	assert_line 'repaired: keystone.conf: mode 0644 lets other users in'
	assert_line 'error: keystone.conf: no auth_url: in keystone mode, every token not cached gets a 503'
	assert_equal "$(stat -c %a "$DATA_DIR/keystone.conf")" 600
}

@test "a backup carries neither the Keystone cache, the service token nor keystone.conf; a restore keeps keystone.conf and drops the rest" {
	ks_files
	run manage backup "$BATS_TEST_TMPDIR/b.json"
	assert_success
	run jq -r '.files[].path' "$BATS_TEST_TMPDIR/b.json"
	assert_success
	refute_output --partial keystone
	run grep -cE 'ks-Secret-pw|ks-Service-Token|ks-Cached-User' \
	    "$BATS_TEST_TMPDIR/b.json"
	assert_output 0
	run manage restore "$BATS_TEST_TMPDIR/b.json"
	assert_success
	assert_file_exists "$DATA_DIR/keystone.conf"
	assert_equal "$(stat -c %a "$DATA_DIR/keystone.conf")" 600
	assert_file_not_exists "$DATA_DIR/keystone/service.json"
	assert_file_not_exists "$DATA_DIR/keystone"
	fsck_is 0
	api GET /v1/segments
	assert_equal "$(json '[.segments[].name] | sort | join(",")')" alpha,beta
}
