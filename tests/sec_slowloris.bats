#!/usr/bin/env bats
# Slow clients (issue 12, item 3): hundreds of connections that send a
# header line a second and never finish their request must not stop a
# server from answering.  lighttpd handles them in its event loop;
# Apache gives each a worker until mod_reqtimeout (RequestReadTimeout in
# the generated configs) closes it.
#
# Under lighttpd (the default) the suite also starts an Apache from
# httpd.conf.example (as tests/deploy_apache.bats does), so one run
# covers both servers; with HACGI_SERVER_KIND=apache the suite server is
# that Apache.
load helpers

setup_file() {
	URLS="$HA_URL/v1 $VOLUME_URL/"
	PORTS="$HA_PORT $VOLUME_PORT"
	if [[ $HACGI_SERVER_KIND == lighttpd ]]; then
		export APACHE_DIR=$HACGI_TMP/apache
		env -u HA_PORT -u VOLUME_PORT CGI_BIN="$HACGI_CGI_BIN" \
		    sh "$TOP/tools/serve-apache.sh" start "$APACHE_DIR" 3>&-
		local a v
		a=$(sed -n 's/^HA_PORT=//p' "$APACHE_DIR/env")
		v=$(sed -n 's/^VOLUME_PORT=//p' "$APACHE_DIR/env")
		URLS+=" http://127.0.0.1:$a/v1 http://127.0.0.1:$v/"
		PORTS+=" $a $v"
	fi
	export URLS PORTS
}

teardown_file() {
	[[ -z ${APACHE_DIR-} ]] || sh "$TOP/tools/serve-apache.sh" stop "$APACHE_DIR"
}

# probe URL: "URL STATUS" once the server answers, within 25 s.
probe() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 25 \
	    -H "X-Auth-Token: $ADMIN_TOKEN" "$1") || true
	printf '%s %s\n' "$1" "$code"
}

@test "300 slow connections on each port leave every server answering" {
	local ready=$BATS_TEST_TMPDIR/ready holder u want= got i probes=()
	# More than Apache's 400 workers (mpm_event's default), on both
	# ports of each server.
	python3 "$TOP/tests/clients/slow_conns.py" 300 40 "$ready" $PORTS \
	    > "$BATS_TEST_TMPDIR/slow.out" 3>&- &
	holder=$!
	for i in $(seq 1 150); do
		[[ -s $ready ]] && break
		sleep 0.1
	done
	echo "# $(cat "$ready" 2>/dev/null || echo 0) slow connections" >&3
	for u in $URLS; do
		probe "$u" > "$BATS_TEST_TMPDIR/probe.${u//[^0-9]/}" &
		probes+=($!)
	done
	wait "${probes[@]}"
	kill "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	for u in $URLS; do
		if [[ $u == */v1 ]]; then
			want+="$u 200"$'\n'
		else
			want+="$u 300"$'\n'
		fi
	done
	got=$(cat "$BATS_TEST_TMPDIR"/probe.* | sort)
	assert_equal "$got" "$(sort <<<"${want%$'\n'}")"
}

@test "every Apache config hacgi writes bounds request reads and waits" {
	local d=$BATS_TEST_TMPDIR f
	sh "$TOP/tools/genconf-apache.sh" --site --cgi-bin /c --data-dir /d \
	    --out "$d/site.conf"
	sh "$TOP/tools/genconf-apache.sh" --from "$TOP/httpd.conf.example" \
	    --cgi-bin /c --data-dir /d --run-dir /r --log-dir /l \
	    --out "$d/httpd.conf"
	for f in "$TOP/httpd.conf.example" "$d/site.conf" "$d/httpd.conf"; do
		# one of each per VirtualHost
		assert_equal "$(grep -c '^[[:space:]]*<VirtualHost ' "$f")" 2
		assert_equal "$(grep -c '^[[:space:]]*Timeout 30$' "$f")" 2
		assert_equal "$(grep -c '^[[:space:]]*RequestReadTimeout header=10-20,MinRate=500 body=20,MinRate=500$' "$f")" 2
	done
	assert grep -q '^LoadModule reqtimeout_module ' "$TOP/httpd.conf.example"
}
