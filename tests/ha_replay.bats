#!/usr/bin/env bats
# Every record of the masakari-api recording, replayed in order against
# the running server (tests/reference/masakari/README.md), with the
# decided divergences of SPEC 5 checked as decided.
load helpers

@test "the Instance-HA corpus replays with every record matching" {
	local extra=()
	# lighttpd drops header lines with an empty value (an empty Allow:);
	# ha_root.bats checks that the programs send them.
	[[ ${HACGI_SERVER_KIND:-lighttpd} == lighttpd ]] && extra+=(--empty-header-dropped)
	run /usr/bin/python3 "$TOP/tests/replay/masakari.py" --url "$HA_URL" \
	    --manage "$HACGI_MANAGE" --data-dir "$DATA_DIR" "${extra[@]}"
	echo "$output" | grep -v '^ok ' >&3 || true
	assert_success
	assert_line --regexp '^replay masakari: 41[0-9] passed, 0 failed$'
}
