#!/bin/sh
# tools/bench-modes.sh (make bench): the throughput of the programs as
# CGI programs and as FastCGI responders, under lighttpd and Apache, in
# one run: tools/bench.sh four times (BENCH_SERVER, BENCH_FASTCGI), each
# case next to the hello CGI floors (tests/bench/hello.c, linked
# dynamically and as a static PIE) measured by the CGI runs.  Prints one
# table; exit 1 when a run failed.
#
# Environment: MODES_CASES (the cases), MODES_SERVERS ("lighttpd
# apache"), and tools/bench.sh's (BENCH_DURATION, ...).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cases=${MODES_CASES:-hello hello_static seg_show seg_list100 host_show notif_create vol_detail_fixture vol_cluster_show}
servers=${MODES_SERVERS:-lighttpd apache}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hacgi-modes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rc=0

for s in $servers; do
	for mode in cgi fastcgi; do
		fcgi=
		[ "$mode" = cgi ] || fcgi=1
		echo "bench-modes.sh: $s, $mode"
		BENCH_SERVER=$s BENCH_FASTCGI=$fcgi CASES=$cases \
		    BENCH_NO_AUTH=1 BENCH_RESULTS=$tmp/$s-$mode sh "$top/tools/bench.sh" \
		    > "$tmp/$s-$mode.out" 2>&1 || {
			rc=1
			tail -n 5 "$tmp/$s-$mode.out"
		}
	done
done

# the table: per server, each case's CGI and FastCGI req/s, each as a
# ratio to the dynamic hello floor (x dyn) and FastCGI to the static
# one too (x st)
echo
for s in $servers; do
	touch "$tmp/$s-cgi" "$tmp/$s-fastcgi"
	awk -F'|' -v server="$s" '
	function r(a, b) {
		if (a + 0 > 0 && b + 0 > 0)
			return sprintf("%.2f", a / b)
		return "-"
	}
	FNR == 1 { file++ }
	file == 1 { cgi[$1] = $2; if (!($1 in seen)) { order[n++] = $1;
	    seen[$1] = 1 } }
	file == 2 { fcgi[$1] = $2; if (!($1 in seen)) { order[n++] = $1;
	    seen[$1] = 1 } }
	END {
		dyn = cgi["hello CGI (floor)"]
		st = cgi["hello CGI, static-pie"]
		printf "%s: wrk on 127.0.0.1; x dyn = ratio to the dynamic hello CGI (%s req/s), x st = to the static one (%s req/s)\n",
		    server, dyn, st
		printf "%-48s %9s %6s %10s %6s %6s\n", "case", "CGI", "x dyn",
		    "FastCGI", "x dyn", "x st"
		for (i = 0; i < n; i++) {
			c = order[i]
			printf "%-48s %9s %6s %10s %6s %6s\n", c,
			    (c in cgi) ? cgi[c] : "-", r(cgi[c], dyn),
			    (c in fcgi) ? fcgi[c] : "-", r(fcgi[c], dyn),
			    r(fcgi[c], st)
		}
		print ""
	}' "$tmp/$s-cgi" "$tmp/$s-fastcgi"
done
exit $rc
