# tests/fastcgi.bats: the programs as FastCGI responders (README
# "FastCGI"): the same programs, started with a listening socket as fd
# 0, answer request after request in one process, each exactly as a CGI
# process would; the web server (lighttpd's mod_fastcgi, or Apache's
# mod_fcgid under HACGI_SERVER_KIND=apache) starts them, and starts one
# again when it dies.  This file serves in FastCGI mode whatever
# HACGI_FASTCGI says.

load helpers

setup_file() {
	export HACGI_FASTCGI=1
	server_restart
}

teardown_file() {
	HACGI_FASTCGI= server_restart
}

# fcgi PROGRAM: python3 code on stdin runs with r = a responder of
# PROGRAM started directly (tests/rel/fcgi.py) and req(method, uri,
# body) answering (status, body, pid).
fcgi() {
	python3 - "$HACGI_CGI_BIN/$1" <<EOF
import json, os, sys
sys.path.insert(0, os.path.join("$TOP", "tests", "rel"))
import fcgi
r = fcgi.Responder(sys.argv[1])
def req(method, uri, body=None, data_dir="$DATA_DIR"):
    b = json.dumps(body).encode() if body is not None else b""
    env = {"REQUEST_METHOD": method, "REQUEST_URI": uri,
           "DATA_DIR": data_dir, "HTTP_X_AUTH_TOKEN": "$ADMIN_TOKEN",
           "HTTP_HOST": "localhost", "CONTENT_LENGTH": str(len(b))}
    if b:
        env["CONTENT_TYPE"] = "application/json"
    out, err = r.request(env, b)
    head, _, rest = out.partition(b"\r\n\r\n")
    return int(head.split()[1]), rest.decode(), r.proc.pid
try:
$(sed 's/^/    /')
finally:
    r.close()
EOF
}

seg() {
	printf '{"segment": {"name": "%s", "recovery_method": "auto", "service_type": "C"}}' "$1"
}

# responders NAME: the PIDs of the server's responders running NAME
# (descendants of our server only: other suites run the same programs).
responders() {
	local server p pp
	# shellcheck source=/dev/null
	server=$(sed -n 's/^\(LIGHTTPD\|APACHE\)_PID=//p' "$HACGI_SERVER/env")
	for p in $(pgrep -x "$1"); do
		pp=$p
		while [[ $pp -gt 1 ]]; do
			pp=$(awk '{ print $4 }' "/proc/$pp/stat" 2>/dev/null) ||
			    break
			if [[ $pp == "$server" ]]; then
				echo "$p"
				break
			fi
		done
	done
}

@test "a program started on a listening socket answers request after request in one process" {
	run fcgi ha-segments <<'EOF'
pids = set()
for i in range(20):
    st, body, pid = req("POST", "/v1/segments", {"segment": {
        "name": "f%d" % i, "recovery_method": "auto", "service_type": "C"}})
    assert st == 201, (st, body)
    pids.add(pid)
st, body, pid = req("GET", "/v1/segments?limit=5&sort_key=name&sort_dir=asc")
assert st == 200, body
assert [s["name"] for s in json.loads(body)["segments"]] == \
    ["f0", "f1", "f10", "f11", "f12"], body
st, body, pid = req("POST", "/v1/segments", {"segment": {"name": "f1",
    "recovery_method": "auto", "service_type": "C"}})
assert st == 409, (st, body)
pids.add(pid)
assert r.alive() and len(pids) == 1, pids
print("ok")
EOF
	assert_success
	assert_output ok
}

@test "each request reads its own environment: DATA_DIR, token and body do not leak into the next" {
	local other=$BATS_TEST_TMPDIR/other
	cp -a "$HACGI_PRISTINE" "$other"
	run fcgi ha-segments <<EOF
st, body, _ = req("POST", "/v1/segments", {"segment": {"name": "here",
    "recovery_method": "auto", "service_type": "C"}})
assert st == 201, body
st, body, _ = req("GET", "/v1/segments", data_dir="$other")
assert st == 200 and json.loads(body)["segments"] == [], body
env = {"REQUEST_METHOD": "GET", "REQUEST_URI": "/v1/segments",
       "DATA_DIR": "$DATA_DIR"}
out, _ = r.request(env)
assert out.startswith(b"Status: 401"), out
st, body, _ = req("POST", "/v1/segments")
assert st == 400, body
print("ok")
EOF
	assert_success
	assert_output ok
}

@test "a request for another program's path is answered by that program, and the responder lives on" {
	api POST /v1/segments "$(seg n)"
	api POST "/v1/segments/$(json .segment.uuid)/hosts" \
	    '{"host": {"name": "compute-1", "type": "COMPUTE", "control_attributes": "SSH"}}'
	api POST /v1/notifications '{"notification": {"type": "COMPUTE_HOST", "hostname": "compute-1", "generated_time": "2024-01-01T00:00:00", "payload": {"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"}}}'
	assert_equal "$code" 202
	run fcgi ha-segments <<'EOF'
st, body, pid = req("GET", "/v1/notifications")
assert st == 200 and len(json.loads(body)["notifications"]) == 1, body
st, body, pid2 = req("GET", "/v1/segments")
assert st == 200 and pid == pid2 and r.alive(), body
print("ok")
EOF
	assert_success
	assert_output ok
}

@test "the server runs the programs as responders: one process answers many requests" {
	local before after i
	api GET /v1/segments
	assert_equal "$code" 200
	before=$(responders ha-segments | sort | tr '\n' ' ')
	[[ -n $before ]] || fail "no ha-segments responder under the server"
	for i in $(seq 1 20); do
		api POST /v1/segments "$(seg "s$i")"
		assert_equal "$code" 201
	done
	after=$(responders ha-segments | sort | tr '\n' ' ')
	assert_equal "$after" "$before"
}

@test "a responder killed with SIGKILL under load loses no acknowledged write, and the server starts it again" {
	local w i n p c acked=$BATS_TEST_TMPDIR/acked old
	: > "$acked"
	api GET /v1/segments
	old=$(responders ha-segments | sort | tr '\n' ' ')
	for w in 1 2 3 4; do
		(
		for i in $(seq 1 30); do
			c=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
			    -H "X-Auth-Token: $ADMIN_TOKEN" \
			    -H 'Content-Type: application/json' \
			    -d "$(seg "k$w-$i")" "$HA_URL/v1/segments")
			[[ $c != 201 ]] || echo "k$w-$i" >> "$acked"
		done
		) 3>&- &
	done
	for n in 1 2 3; do
		sleep 0.3
		for p in $(responders ha-segments); do
			kill -KILL "$p" 2>/dev/null || true
		done
	done
	wait
	[[ $(wc -l < "$acked") -gt 0 ]] || fail "no write was acknowledged"
	# started again (lighttpd: within a second or two): new responders
	for i in $(seq 1 100); do
		api GET "/v1/segments?limit=1000"
		[[ $code != 200 ]] || break
		sleep 0.1
	done
	assert_equal "$code" 200
	while read -r n; do
		json ".segments[] | select(.name == \"$n\") | .name" |
		    grep -qx "$n" || fail "acknowledged $n is missing"
	done < "$acked"
	run manage fsck
	assert_success
	[[ -n $(responders ha-segments) ]] || fail "no responder after the kills"
	[[ "$(responders ha-segments | sort | tr '\n' ' ')" != "$old" ]] ||
	    fail "the same responders: none was killed?"
	echo "# $(wc -l < "$acked") of 120 writes acknowledged" >&3
}

@test "httpd-fastcgi.conf.example is what tools/genconf-apache.sh --fastcgi --example writes" {
	run sh "$TOP/tools/genconf-apache.sh" --fastcgi --example
	assert_success
	assert_equal "$output" "$(cat "$TOP/httpd-fastcgi.conf.example")"
}

@test "both FastCGI configs route every table line to its program" {
	local want d=$BATS_TEST_TMPDIR
	want=$(grep -v '^#' "$TOP/tools/routes.tsv" | grep . | cut -f3)
	assert_equal "$(grep -o '@CGI_BIN@/[a-z-]*"$' \
	    "$TOP/httpd-fastcgi.conf.example" | sed 's|@CGI_BIN@/||; s|"||')" \
	    "$want"
	sh "$TOP/tools/genconf.sh" --fastcgi --socket-dir "$d/s" \
	    --cgi-bin "$TOP/cgi-bin" --data-dir "$DATA_DIR" --pid-file "$d/p" \
	    --error-log "$d/e" --out "$d/l.conf"
	# every program has its backend, started from its own binary
	assert_equal "$(grep -o '"bin-path" => "[^"]*"' "$d/l.conf" |
	    sed 's|.*/||; s|"||' | sort)" "$(sort -u <<<"$want")"
	run lighttpd -tt -f "$d/l.conf"
	assert_success
}

@test "httpd-fastcgi.conf.example filled in passes apache2 -t" {
	local d=$BATS_TEST_TMPDIR
	[[ -r /usr/lib/apache2/modules/mod_fcgid.so ]] ||
	    skip "mod_fcgid (libapache2-mod-fcgid) missing"
	run sh "$TOP/tools/genconf-apache.sh" \
	    --from "$TOP/httpd-fastcgi.conf.example" --cgi-bin "$TOP/cgi-bin" \
	    --data-dir "$DATA_DIR" --run-dir "$d" --log-dir "$d" \
	    --out "$d/httpd.conf"
	assert_success
	run apache2 -t -f "$d/httpd.conf"
	assert_success
	assert_output --partial 'Syntax OK'
}

@test "the --site --fastcgi config passes apache2 -t after Debian's Mutex line" {
	local d=$BATS_TEST_TMPDIR
	[[ -r /usr/lib/apache2/modules/mod_fcgid.so ]] ||
	    skip "mod_fcgid (libapache2-mod-fcgid) missing"
	sh "$TOP/tools/genconf-apache.sh" --site --fastcgi \
	    --cgi-bin "$TOP/cgi-bin" --data-dir "$DATA_DIR" --out "$d/site.conf"
	# mod_fcgid's locks are pthread mutexes, whatever the default: fcntl
	# ones (the "file" default) fail under load (genconf-apache.sh)
	run grep -x 'Mutex pthread fcgid-pipe fcgid-proctbl' "$d/site.conf"
	assert_success
	site_conf "$d/site.conf" fcgid "Mutex file:$d default" \
	    "FcgidIPCDir \"$d/fcgid\"" "FcgidProcessTableFile \"$d/shm\""
	run apache2 -t -f "$d/httpd.conf"
	assert_success
	assert_output --partial 'Syntax OK'
}

@test "10,000 mixed requests through one set of responders: memory flat, answers as in CGI mode" {
	run python3 "$TOP/tools/soak.py" --requests 10000 --compare 50 \
	    --cgi-bin "$HACGI_CGI_BIN" --manage "$HACGI_MANAGE" \
	    --data-dir "$BATS_TEST_TMPDIR/soak"
	echo "$output" | sed 's/^/# /' >&3
	assert_success
	assert_line 'soak: ok'
}
