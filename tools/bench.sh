#!/bin/sh
# tools/bench.sh (make bench): requests/s of the endpoints under wrk,
# against the floor of a trivial C CGI (tests/bench/hello.c) served the
# same way, plus the peak RSS of one segment show.
#
# Every case is a function case_NAME; add one and list it in CASES.  A
# case prepares its data (reset_data, seed_segments, hacgi-manage ...),
# checks that its endpoint answers as expected (expect), then calls
# measure.  Requests go to $base: the Instance-HA port, unless the case
# sets base=$vol.  A case that cannot run says why in the table, and
# bench.sh exits 1.
#
# Environment: BENCH_DURATION (5s), BENCH_THREADS (2), BENCH_CONNECTIONS
# (8), BENCH_BIG (10000: segments for the "big" cases), BENCH_SEED_PARALLEL
# (4: concurrent POSTs while seeding), BENCH_KEEP=1 keeps the temporary
# directory (server logs, data), CASES (the case list, in order),
# BENCH_NO_AUTH=1 skips the auth cost (local vs cached Keystone token,
# in instructions under callgrind).
# BENCH_SERVER=apache serves with Apache (HACGI_SERVER_KIND), BENCH_FASTCGI=1
# with the programs as FastCGI responders (HACGI_FASTCGI; the hello cases,
# CGI programs, are then left out), BENCH_RESULTS=FILE appends each
# result there as "label|req/s" (tools/bench-modes.sh).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${BENCH_DURATION:-5s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
BIG=${BENCH_BIG:-10000}
SEED_PARALLEL=${BENCH_SEED_PARALLEL:-4}
CASES=${CASES:-hello seg_show seg_list100 seg_create seg_show_big host_show host_list100 host_show_big notif_create vol_list_fixture vol_detail_fixture vol_detail_big}

TOKEN=bench-admin-token
PROJECT=0123456789abcdef0123456789abcdef
manage=$top/bin/hacgi-manage

die() {
	echo "bench.sh: $*" >&2
	exit 1
}

export HACGI_SERVER_KIND=${BENCH_SERVER:-lighttpd}
export HACGI_FASTCGI=${BENCH_FASTCGI:-}
for t in wrk curl lighttpd cc python3; do
	command -v "$t" >/dev/null || die "$t is not installed (make deps)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hacgi-bench.XXXXXX")
cleanup() {
	sh "$top/tools/serve.sh" stop "$tmp/server" || true
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench.sh: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=$tmp/results	# lines: label|req/s|non-2xx|note
failures=0
hello_rps=

# ---------------------------------------------------------------- setup

# The server runs a copy of the tree's programs (a rebuild during the run
# changes nothing; they re-exec siblings from their own directory) plus
# hello, with /hello routed first.
# hello is linked both ways: statically (like the programs, hello-static)
# and dynamically (hello).  FastCGI mode serves no CGI program: no hello.
mkdir -p "$tmp/cgi"
for f in "$top"/cgi-bin/*; do
	[ -f "$f" ] && [ -x "$f" ] && cp "$f" "$tmp/cgi/"
done
: > "$tmp/routes.tsv"
if [ -z "$HACGI_FASTCGI" ]; then
	cc -O2 -o "$tmp/cgi/hello" "$top/tests/bench/hello.c"
	cc -O2 -Wall -Wextra -Werror -static -o "$tmp/runstat" \
	    "$top/tests/bench/runstat.c"
	cc -O2 -static-pie -o "$tmp/cgi/hello-static" \
	    "$top/tests/bench/hello.c"
	printf 'ha\t^/hello$\thello\n' >> "$tmp/routes.tsv"
	printf 'ha\t^/hello-static$\thello-static\n' >> "$tmp/routes.tsv"
fi
cat "$top/tools/routes.tsv" >> "$tmp/routes.tsv"

export DATA_DIR="$tmp/data"
mkdir -m 0700 "$DATA_DIR" "$tmp/pristine"
have_token=
if [ -x "$manage" ] && "$manage" --data-dir "$DATA_DIR" token create \
    --user admin --project "$PROJECT" --roles admin --token "$TOKEN" \
    >/dev/null; then
	have_token=1
fi
cp -a "$DATA_DIR/." "$tmp/pristine/"

CGI_BIN=$tmp/cgi sh "$top/tools/serve.sh" start "$tmp/server" \
    --routes "$tmp/routes.tsv" 3>&- || die "the server did not start"
. "$tmp/server/env"
ha=http://127.0.0.1:$HA_PORT
vol=http://127.0.0.1:$VOLUME_PORT

# ---------------------------------------------------------------- helpers

# reset_data: DATA_DIR back to the admin token only.  Requests cut short
# by the end of a wrk run may still be writing: try again until it is
# empty.
reset_data() {
	i=0
	until find "$DATA_DIR" -mindepth 1 -delete 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || die "cannot empty $DATA_DIR"
		sleep 0.1
	done
	cp -a "$tmp/pristine/." "$DATA_DIR/"
}

# skip LABEL WHY: the case cannot run.
skip() {
	echo "$1|-|-|FAILED: $2" >> "$results"
	echo "bench.sh: $1: $2" >&2
	failures=$((failures + 1))
}

# need LABEL BINARY...: the programs the case uses are built, and there
# is a token.
need() {
	label=$1
	shift
	for b in "$@"; do
		[ -x "$tmp/cgi/$b" ] || {
			skip "$label" "cgi-bin/$b is not built"
			return 1
		}
	done
	[ -n "$have_token" ] || {
		skip "$label" "bin/hacgi-manage could not register a token"
		return 1
	}
}

# request METHOD PATH [BODY]: one request; sets $status and $body.
request() {
	set -- -s -o "$tmp/body" -w '%{http_code}' -X "$1" \
	    -H "X-Auth-Token: $TOKEN" "$base$2" ${3:+-H} \
	    ${3:+"Content-Type: application/json"} ${3:+--data-binary} \
	    ${3:+"$3"}
	status=$(curl "$@") || status=000
	body=$(cat "$tmp/body" 2>/dev/null || true)
}

# expect LABEL STATUS METHOD PATH [BODY]: the endpoint answers STATUS.
expect() {
	label=$1 want=$2
	shift 2
	request "$@"
	[ "$status" = "$want" ] && return 0
	skip "$label" "$1 $2 answered $status, not $want: $(printf '%.200s' "$body")"
	return 1
}

segment_body() {
	printf '{"segment": {"name": "%s", "recovery_method": "auto", "service_type": "COMPUTE"}}' "$1"
}

# create_segment NAME: prints the new segment's uuid.
create_segment() {
	request POST /v1/segments "$(segment_body "$1")"
	[ "$status" = 201 ] || return 1
	printf '%s\n' "$body" | python3 -c \
	    'import json,sys; print(json.load(sys.stdin)["segment"]["uuid"])'
}

# seed_segments N PREFIX: create N segments through the API, SEED_PARALLEL
# at a time (one curl process); fails unless all answer 201.  The one
# place to switch to a bulk hacgi-manage command should there be one.
seed_segments() {
	awk -v n="$1" -v p="$2" -v url="$base/v1/segments" -v tok="$TOKEN" '
	BEGIN {
		for (i = 1; i <= n; i++) {
			printf "url = \"%s\"\nrequest = \"POST\"\n", url
			printf "header = \"X-Auth-Token: %s\"\n", tok
			printf "header = \"Content-Type: application/json\"\n"
			printf "data-binary = \"{\\\"segment\\\": {\\\"name\\\": "
			printf "\\\"%s-%d\\\", \\\"recovery_method\\\": ", p, i
			printf "\\\"auto\\\", \\\"service_type\\\": "
			printf "\\\"COMPUTE\\\"}}\"\n"
			printf "output = \"/dev/null\"\n"
			printf "write-out = \"%%{http_code}\\n\"\n"
			if (i < n) print "next"
		}
	}' > "$tmp/seed.curl"
	curl --no-progress-meter --parallel --parallel-max "$SEED_PARALLEL" \
	    -K "$tmp/seed.curl" > "$tmp/seed.codes" 2> "$tmp/seed.err" || true
	ok=$(grep -c '^201$' "$tmp/seed.codes" || true)
	[ "$ok" -eq "$1" ] && return 0
	echo "bench.sh: seeding: $ok of $1 created; answers:" \
	    "$(sort "$tmp/seed.codes" | uniq -c | tr '\n' ' ')" >&2
	return 1
}

# populate N PREFIX: N more segments through hacgi-manage's bulk loader
# (the same documents as POST, one sync at the end instead of 6 fsyncs
# per segment).
populate() {
	DATA_DIR=$DATA_DIR "$manage" segment populate --prefix "$2-" \
	    --count "$1" > /dev/null
}

now() {
	date +%s.%N
}

# measure LABEL PATH [wrk options]: wrk on PATH, one result line.
measure() {
	label=$1 path=$2 rps=
	shift 2
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
	    -H "X-Auth-Token: $TOKEN" "$@" "$base$path" > "$tmp/wrk.out" 2>&1 ||
		{ skip "$label" "wrk failed: $(tail -n 1 "$tmp/wrk.out")"; return; }
	rps=$(sed -n 's/^Requests\/sec: *//p' "$tmp/wrk.out")
	bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$tmp/wrk.out")
	sock=$(sed -n 's/^ *Socket errors: *//p' "$tmp/wrk.out")
	note=
	[ -z "$sock" ] || note="socket errors: $sock"
	if [ -n "$bad" ] && [ "$bad" != 0 ]; then
		note="FAILED: ${bad} non-2xx answers${note:+; $note}"
		failures=$((failures + 1))
	fi
	echo "$label|${rps:-?}|${bad:-0}|$note" >> "$results"
	[ -z "${BENCH_RESULTS:-}" ] || echo "$label|${rps:-?}|$note" \
	    >> "$BENCH_RESULTS"
}

# peak_rss LABEL BINARY PATH: the peak RSS of one GET run directly with a
# CGI environment like lighttpd's, as /proc gives it at the exit
# (tests/bench/runstat.c -m says why not wait4's figure).
peak_rss() {
	label=$1 bin=$2 path=$3 port=${base##*:}
	env -i PATH=/usr/bin:/bin DATA_DIR="$DATA_DIR" \
	    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
	    SERVER_SOFTWARE=lighttpd REQUEST_SCHEME=http \
	    SERVER_NAME=127.0.0.1 SERVER_ADDR=127.0.0.1 \
	    SERVER_PORT="$port" REMOTE_ADDR=127.0.0.1 REMOTE_PORT=40000 \
	    REQUEST_METHOD=GET REQUEST_URI="$path" QUERY_STRING= \
	    SCRIPT_NAME="/cgi-bin/${bin##*/}" SCRIPT_FILENAME="$bin" \
	    DOCUMENT_ROOT="$tmp/cgi" REDIRECT_STATUS=200 CONTENT_LENGTH=0 \
	    HTTP_HOST="127.0.0.1:$port" HTTP_X_AUTH_TOKEN="$TOKEN" \
	    "$tmp/runstat" -m "$bin" < /dev/null > "$tmp/rss.out" \
	    2> "$tmp/time.out" || true
	kb=$(sed -n 's/^runstat .* peak_kib=//p' "$tmp/time.out")
	first=$(head -n 1 "$tmp/rss.out" | tr -d '\r')
	echo "$label|${kb:-?} KiB|$first" >> "$tmp/rss"
}

# ---------------------------------------------------------------- cases

case_hello() {
	[ -z "$HACGI_FASTCGI" ] || return 0
	expect "hello CGI (floor)" 200 GET /hello || return 0
	measure "hello CGI (floor)" /hello
	hello_rps=${rps:-}
	peak_rss "hello CGI" "$tmp/cgi/hello" /hello
}

case_hello_static() {
	[ -z "$HACGI_FASTCGI" ] || return 0
	expect "hello CGI, static-pie" 200 GET /hello-static || return 0
	measure "hello CGI, static-pie" /hello-static
}

case_seg_show() {
	label="GET /v1/segments/{uuid}, 100 segments"
	need "$label" ha-segments ha-segment || return 0
	reset_data
	uuid=$(create_segment show-1) ||
		{ skip "$label" "POST /v1/segments answered $status: $(printf '%.200s' "$body")"; return 0; }
	populate 99 fill ||
		{ skip "$label" "could not create 99 more segments"; return 0; }
	expect "$label" 200 GET "/v1/segments/$uuid" || return 0
	measure "$label" "/v1/segments/$uuid"
}

case_seg_list100() {
	label="GET /v1/segments?limit=100, 100 segments"
	need "$label" ha-segments || return 0
	reset_data
	seed_segments 100 list ||
		{ skip "$label" "could not create 100 segments"; return 0; }
	expect "$label" 200 GET "/v1/segments?limit=100" || return 0
	measure "$label" "/v1/segments?limit=100"
}

case_seg_create() {
	label="POST /v1/segments (unique names)"
	need "$label" ha-segments || return 0
	reset_data
	expect "$label" 201 POST /v1/segments "$(segment_body probe)" ||
		return 0
	cat > "$tmp/create.lua" <<'EOF'
-- POST /v1/segments with a name unique per thread and request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
local threads = 0
function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end
function request()
	n = n + 1
	local body = string.format('{"segment": {"name": "bench-%d-%d", ' ..
	    '"recovery_method": "auto", "service_type": "COMPUTE"}}', tid, n)
	return wrk.format(nil, "/v1/segments", nil, body)
end
EOF
	measure "$label" /v1/segments -s "$tmp/create.lua"
}

case_seg_show_big() {
	label="GET /v1/segments/{uuid}, $BIG segments"
	need "$label" ha-segments ha-segment || return 0
	reset_data
	uuid=$(create_segment big-first) ||
		{ skip "$label" "POST /v1/segments answered $status"; return 0; }
	t0=$(now)
	populate $((BIG - 1)) big ||
		{ skip "$label" "could not create $BIG segments"; return 0; }
	t1=$(now)
	awk -v a="$t0" -v b="$t1" -v n="$((BIG - 1))" 'BEGIN {
		printf "seeding: %d segments by hacgi-manage segment populate in %.1f s (%.0f/s)\n",
		    n, b - a, n / (b - a) }' >> "$tmp/notes"
	expect "$label" 200 GET "/v1/segments/$uuid" || return 0
	measure "$label" "/v1/segments/$uuid"
	peak_rss "ha-segment show, $BIG segments" "$tmp/cgi/ha-segment" \
	    "/v1/segments/$uuid"
}

# host_seg N: a new segment holding N hosts (h-1 .. h-N); sets $seg and
# $host (the uuid of h-1).
host_seg() {
	reset_data
	seg=$(create_segment hosts) || return 1
	DATA_DIR=$DATA_DIR "$manage" host populate --segment "$seg" \
	    --prefix h- --count "$1" > /dev/null || return 1
	request GET "/v1/segments/$seg/hosts?sort_key=name&sort_dir=asc&limit=1"
	host=$(printf '%s\n' "$body" | python3 -c \
	    'import json,sys; print(json.load(sys.stdin)["hosts"][0]["uuid"])') ||
		return 1
}

case_host_show() {
	label="GET .../hosts/{uuid}, 100 hosts"
	need "$label" ha-host || return 0
	host_seg 100 || { skip "$label" "could not create 100 hosts"; return 0; }
	expect "$label" 200 GET "/v1/segments/$seg/hosts/$host" || return 0
	measure "$label" "/v1/segments/$seg/hosts/$host"
}

case_host_list100() {
	label="GET .../hosts?limit=100, 100 hosts"
	need "$label" ha-hosts || return 0
	host_seg 100 || { skip "$label" "could not create 100 hosts"; return 0; }
	expect "$label" 200 GET "/v1/segments/$seg/hosts?limit=100" || return 0
	measure "$label" "/v1/segments/$seg/hosts?limit=100"
}

case_host_show_big() {
	label="GET .../hosts/{uuid}, $BIG hosts"
	need "$label" ha-host || return 0
	host_seg "$BIG" ||
		{ skip "$label" "could not create $BIG hosts"; return 0; }
	expect "$label" 200 GET "/v1/segments/$seg/hosts/$host" || return 0
	measure "$label" "/v1/segments/$seg/hosts/$host"
	peak_rss "ha-host show, $BIG hosts" "$tmp/cgi/ha-host" \
	    "/v1/segments/$seg/hosts/$host"
}

case_notif_create() {
	label="POST /v1/notifications (PROCESS, unique)"
	need "$label" ha-notifications || return 0
	host_seg 1 || { skip "$label" "could not create a host"; return 0; }
	cat > "$tmp/notif.lua" <<'EOF'
-- POST /v1/notifications from host h-1, a process name unique per request
-- (the same payload within 180 s would be a duplicate, 409).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
local threads = 0
function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end
function request()
	n = n + 1
	local body = string.format('{"notification": {"type": "PROCESS", ' ..
	    '"hostname": "h-1", "generated_time": "2026-01-01T00:00:00", ' ..
	    '"payload": {"process_name": "p-%d-%d", "event": "STOPPED"}}}',
	    tid, n)
	return wrk.format(nil, "/v1/notifications", nil, body)
end
EOF
	measure "$label" /v1/notifications -s "$tmp/notif.lua"
}

# load_cinder_fixture: the recorded Cinder fixture, by the very commands
# of tests/reference/cinder/README.md ("ago N" = N seconds before now).
load_cinder_fixture() {
	ago() { date -u -d "-$1 sec" +%Y-%m-%dT%H:%M:%S.%6N; }
	hacgi_manage() { DATA_DIR=$DATA_DIR "$manage" --no-sync "$@"; }
	grep '^   hacgi-manage ' "$top/tests/reference/cinder/README.md" |
	    sed 's/^   hacgi-manage /hacgi_manage /' > "$tmp/fixture.sh"
	. "$tmp/fixture.sh" > /dev/null && sync
}

# seed_clusters N: N clusters of 3 cinder-volume services each, all up.
seed_clusters() {
	i=1
	while [ "$i" -le "$1" ]; do
		for h in a b c; do
			echo "--no-sync service heartbeat --host $h$i@lvm" \
			    "--binary cinder-volume --cluster c$i@lvm"
		done
		i=$((i + 1))
	done | DATA_DIR=$DATA_DIR xargs -P 2 -L 1 "$manage" > /dev/null &&
	    sync
}

# vol_fixture_case LABEL PATH: PATH at 3.7 against the Cinder fixture.
vol_fixture_case() {
	need "$1" vol-clusters || return 0
	base=$vol
	reset_data
	load_cinder_fixture || { skip "$1" "fixture load failed"; return 0; }
	measure "$1" "$2" -H "OpenStack-API-Version: volume 3.7"
}

case_vol_list_fixture() {
	vol_fixture_case "GET /v3/P/clusters, the Cinder fixture" \
	    "/v3/$PROJECT/clusters"
}

case_vol_detail_fixture() {
	vol_fixture_case "GET /v3/P/clusters/detail, the Cinder fixture" \
	    "/v3/$PROJECT/clusters/detail"
}

case_vol_cluster_show() {
	label="GET /v3/P/clusters/cluster2, the Cinder fixture"
	need "$label" vol-cluster || return 0
	base=$vol
	reset_data
	load_cinder_fixture || { skip "$label" "fixture load failed"; return 0; }
	measure "$label" "/v3/$PROJECT/clusters/cluster2?binary=cinder-volume" \
	    -H "OpenStack-API-Version: volume 3.7"
}

case_vol_detail_big() {
	label="GET /v3/P/clusters/detail, 1000 x 3 services"
	need "$label" vol-clusters || return 0
	base=$vol
	reset_data
	t0=$(now)
	seed_clusters 1000 || { skip "$label" "seeding failed"; return 0; }
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN {
		printf "seeding: 1000 clusters x 3 services by hacgi-manage service heartbeat --no-sync in %.1f s\n", b - a }' >> "$tmp/notes"
	measure "$label" "/v3/$PROJECT/clusters/detail" \
	    -H "OpenStack-API-Version: volume 3.7"
}

# ---------------------------------------------------------------- auth

# ir ENV...: instructions callgrind counts for one GET /v1/segments run
# directly by ha-segments with the CGI variables ENV; "FAILED" when that
# request does not answer 200.
ir() {
	env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments HTTP_HOST=127.0.0.1 \
	    DATA_DIR="$DATA_DIR" "$@" "$tmp/cgi/ha-segments" < /dev/null \
	    2>/dev/null | head -n 1 | grep -q '^Status: 200' ||
		{ echo FAILED; return; }
	env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments HTTP_HOST=127.0.0.1 \
	    DATA_DIR="$DATA_DIR" "$@" valgrind --tool=callgrind \
	    --callgrind-out-file="$tmp/cg.out" "$tmp/cgi/ha-segments" \
	    < /dev/null > /dev/null 2>&1 || true
	sed -n 's/^summary: *//p' "$tmp/cg.out"
}

# auth_cost: the cost of a Keystone token found in the cache (SPEC
# 2.2.1) next to a local token's, in instructions (callgrind): the
# cache entry is written here, as hacgi-manage keystone validate would.
auth_cost() {
	command -v valgrind >/dev/null || { echo "auth cost: no valgrind"; return; }
	reset_data
	kt=bench-keystone-token
	hash=$(printf '%s' "$kt" | sha256sum | cut -c1-64)
	mkdir -m 0700 "$DATA_DIR/keystone" "$DATA_DIR/keystone/cache"
	t=$(date +%s)
	printf '{"valid": true, "cached_at": %s, "expires_at": %s, "user_id": "u", "user_name": "admin", "project_id": "%s", "project_name": "p", "roles": ["admin", "member", "reader"]}\n' \
	    "$t" $((t + 3600)) "$PROJECT" > "$DATA_DIR/keystone/cache/$hash.json"
	chmod 0600 "$DATA_DIR/keystone/cache/$hash.json"
	loc=$(ir HTTP_X_AUTH_TOKEN="$TOKEN")
	ks=$(ir HTTP_X_AUTH_TOKEN="$kt" HACGI_AUTH=keystone)
	echo
	echo "auth cost, instructions (callgrind) of one GET /v1/segments run directly:"
	awk -v l="$loc" -v k="$ks" 'BEGIN {
		printf "  %-32s %12s\n", "local token", l
		printf "  %-32s %12s  (%.2f x local)\n", "keystone token, cached", k,
		    (l > 0 ? k / l : 0) }'
}

# ---------------------------------------------------------------- main

: > "$results"
: > "$tmp/rss"
: > "$tmp/notes"
echo "bench.sh: wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1;" \
    "cases: $CASES"
for c in $CASES; do
	base=$ha	# request/measure/seed target; a Volume case sets $vol
	"case_$c"
done

echo
awk -F'|' -v floor="$hello_rps" '
BEGIN {
	printf "%-46s %10s %9s %8s  %s\n", "case", "req/s", "vs hello",
	    "non-2xx", "note"
}
{
	ratio = ($2 != "-" && $2 != "?" && floor > 0) ? \
	    sprintf("%.2f", $2 / floor) : "-"
	printf "%-46s %10s %9s %8s  %s\n", $1, $2, ratio, $3, $4
}' "$results"
if [ -s "$tmp/rss" ]; then
	echo
	awk -F'|' '{ printf "peak RSS %-38s %12s  (%s)\n", $1, $2, $3 }' \
	    "$tmp/rss"
fi
[ ! -s "$tmp/notes" ] || { echo; cat "$tmp/notes"; }
[ -n "${BENCH_NO_AUTH:-}" ] || auth_cost
if [ "$failures" -gt 0 ]; then
	echo
	echo "bench.sh: $failures case(s) failed; see above"
	exit 1
fi
