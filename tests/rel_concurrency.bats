# tests/rel_concurrency.bats: mixed requests sent all at once through the
# web server (issue 6): segment and host creates (some racing for one
# name), renames and updates of different fields of one record (a lost
# update would drop one), deletes racing updates, heartbeats, cluster
# enable/disable, and reads.  Then every acknowledged write must be there,
# every acknowledged delete gone, and fsck clean.  tests/rel/rel.py
# stress does the work; each test is one round with its own seed.

load helpers

stress() {
	run python3 "$TOP/tests/rel/rel.py" stress --url "$HA_URL" \
	    --volume-url "$VOLUME_URL" --data-dir "$DATA_DIR" \
	    --token "$ADMIN_TOKEN" --requests "${REL_REQUESTS:-200}" \
	    --rounds 1 --seed "$1"
	echo "$output" | sed 's/^/# /' >&3
	assert_success
}

@test "200 concurrent mixed requests, round 1: acknowledged writes present, deletes absent, fsck clean" {
	stress 1
}

@test "200 concurrent mixed requests, round 2: acknowledged writes present, deletes absent, fsck clean" {
	stress 2
}

@test "200 concurrent mixed requests, round 3: acknowledged writes present, deletes absent, fsck clean" {
	stress 3
}
