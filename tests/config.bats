#!/usr/bin/env bats
# The web server configuration: tools/routes.tsv, tools/genconf.sh and the
# committed lighttpd.conf.example (SPEC 6).
load helpers

@test "lighttpd.conf.example is what tools/genconf.sh --example writes" {
	run sh "$TOP/tools/genconf.sh" --example
	assert_success
	assert_equal "$output" "$(cat "$TOP/lighttpd.conf.example")"
}

@test "lighttpd.conf.example with its placeholders filled is a valid lighttpd config" {
	local conf=$BATS_TEST_TMPDIR/example.conf
	sed -e "s|@HA_PORT@|15868|; s|@VOLUME_PORT@|8776|" \
	    -e "s|@CGI_BIN@|$TOP/cgi-bin|g; s|@DATA_DIR@|$DATA_DIR|" \
	    -e "s|@SERVICE_DOWN_TIME@|60|" \
	    -e "s|@PID_FILE@|$BATS_TEST_TMPDIR/pid|" \
	    -e "s|@ERROR_LOG@|$BATS_TEST_TMPDIR/error.log|" \
	    -e "s|@PROGRAM_LOG@|$BATS_TEST_TMPDIR/programs.log|" \
	    "$TOP/lighttpd.conf.example" > "$conf"
	refute grep -q @ "$conf"
	run lighttpd -tt -f "$conf"
	assert_success
}

@test "every program named in tools/routes.tsv has a source in cgi-bin/" {
	local bin missing=
	for bin in $(grep -v '^#' "$TOP/tools/routes.tsv" | cut -f3 | sort -u); do
		[[ -f $TOP/cgi-bin/$bin.c ]] || missing+=" $bin"
	done
	assert_equal "${missing:-none}" none
}

@test "the test server listens on 127.0.0.1 only, on both ports" {
	run ss -Hltn "( sport = :$HA_PORT or sport = :$VOLUME_PORT )"
	assert_success
	assert_equal "$(awk '{ print $4 }' <<<"$output" | sort)" \
	    "$(printf '127.0.0.1:%s\n' "$HA_PORT" "$VOLUME_PORT" | sort)"
}

@test "the generated config never serves a file, whatever the path" {
	# Requests reach a program (JSON or a webob page), never lighttpd's
	# static file handler, even for the binaries or the data directory.
	api GET /cgi-bin/ha-root
	refute_header Last-Modified
	refute_header ETag
	api GET "/$DATA_DIR/tokens.json"
	refute_header ETag
	refute_output --partial admin-token
}
