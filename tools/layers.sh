#!/bin/sh
# tools/layers.sh [TOP]: check the include layers of lib/ (HACKING.md,
# "Layers") in the tree TOP (default: this one).  make all runs it.
#
#   lib/base/   includes base only
#   lib/http/   base, http
#   lib/ha/     base, http, ha
#   lib/vol/    base, http, vol (ha and vol never include each other)
#   lib/admin/  anything; nothing outside lib/admin/ and bin/ includes it
#   cgi-bin/, tests/{unit,fuzz,bench}/   base, http, ha, vol
#   bin/        anything
#
# A local include names its folder ("ha/segment.h") and an existing
# header; the tests' own headers ("unit.h") are the one exception.  And
# no include circle: a module (lib/ha/host.c and lib/ha/host.h are the
# module lib/ha/host) depends on the modules whose headers it includes,
# and tsort(1) finds the loops of that graph.
#
# And the handlers (cgi-bin/*.c) set a response and use a store only
# through their functions (resp_*(), store_init()): no "rs->" (a handler's
# struct resp is rs) and no lockfd.  They call no storage primitive
# (store_*(), segment_*(), host_load() ..., vol_load() ...): a domain
# operation does the storage steps (lib/ha/ops.h, lib/vol/volops.h,
# lib/vol/volsvc.h).
#
# Prints one line per offence and exits 1; exits 0 when the tree is
# clean, 2 when it cannot run.
set -eu

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2
[ -d lib ] || { echo "layers.sh: no lib/ in $top" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

for d in lib cgi-bin bin tests/unit tests/fuzz tests/bench; do
	if [ -d "$d" ]; then
		find "$d" -name '*.[ch]' -type f
	fi
done | LC_ALL=C sort > "$tmp/files"

# One line per offence; the graph ("MODULE DEP" lines) to the file edges.
cat > "$tmp/check.awk" <<'AWK'
function layer(path,	p) {
	split(path, p, "/")
	if (p[1] == "lib")
		return p[3] == "" ? "lib" : p[2]
	if (p[1] == "cgi-bin" || p[1] == "bin")
		return p[1]
	return "tests"
}
function bad(why) {
	printf "%s:%d: #include \"%s\": %s\n", FILENAME, FNR, inc, why
}
BEGIN {
	may["base"] = "base"
	may["http"] = "base http"
	may["ha"] = "base http ha"
	may["vol"] = "base http vol"
	may["cgi-bin"] = may["tests"] = "base http ha vol"
	may["admin"] = may["bin"] = "base http ha vol admin"
	for (l in may) {
		n = split(may[l], a, " ")
		for (i = 1; i <= n; i++)
			ok[l, a[i]] = 1
	}
	n = split("base http ha vol admin", a, " ")
	for (i = 1; i <= n; i++)
		folder[a[i]] = 1
}
FNR == 1 {
	src = layer(FILENAME)
	mod = FILENAME
	sub(/\.[ch]$/, "", mod)
	if (!(src in may))
		printf "%s: not in a layer of lib/ (base http ha vol admin)\n",
		    FILENAME
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	inc = $0
	sub(/^[^"]*"/, "", inc)
	sub(/".*/, "", inc)
	if (inc !~ /\//) {
		if (src != "tests")
			bad("name the folder (\"base/util.h\")")
		next
	}
	dst = inc
	sub(/\/.*/, "", dst)
	if (inc !~ /^[a-z]+\/[A-Za-z0-9_]+\.h$/ || !(dst in folder)) {
		bad("not LAYER/NAME.h, LAYER one of base http ha vol admin")
		next
	}
	if ((getline line < ("lib/" inc)) < 0) {
		bad("no such header lib/" inc)
		next
	}
	close("lib/" inc)
	if (!((src, dst) in ok)) {
		if (dst == "admin")
			bad("only lib/admin/ and bin/ include lib/admin/")
		else if (src in may)
			bad(src "/ may include only " may[src])
		next
	}
	dep = "lib/" inc
	sub(/\.h$/, "", dep)
	if (dep != mod)
		print mod, dep >> edges
}
AWK
: > "$tmp/edges"
xargs awk -v edges="$tmp/edges" -f "$tmp/check.awk" < "$tmp/files" \
    > "$tmp/bad" || exit 2

status=0
if [ -s "$tmp/bad" ]; then
	sed 's/^/layers: /' "$tmp/bad"
	status=1
fi

# The handlers' own use of the response and store structs.
find cgi-bin -name '*.c' -type f 2>/dev/null | LC_ALL=C sort |
    xargs awk '/(^|[^A-Za-z0-9_])rs->|lockfd/ {
	printf "layers: %s:%d: a struct resp or struct store field ", \
	    FILENAME, FNR
	print "(use resp_*(), store_init())"
    }' /dev/null > "$tmp/fields" || exit 2
if [ -s "$tmp/fields" ]; then
	cat "$tmp/fields"
	status=1
fi

# The storage primitives, as handlers would call them.
PRIMITIVES='store_[a-z_]+|segment_[a-z_]+|'\
'host_(load|by_name|list|all|create|save|remove)|'\
'notification_(load|all|duplicate|create|set_status)|ha_dirs|ha_name_[a-z]+|'\
'vol_(load|dirs|svc_get|cluster_get|svc_put|cluster_put|svc_remove|'\
'cluster_remove|cluster_new|rebuild|heartbeat)'
find cgi-bin -name '*.c' -type f 2>/dev/null | LC_ALL=C sort |
    xargs awk -v re="(^|[^A-Za-z0-9_])($PRIMITIVES)[(]" '$0 ~ re {
	printf "layers: %s:%d: a storage primitive in a handler ", \
	    FILENAME, FNR
	print "(call a domain operation: lib/ha/ops.h, lib/vol/volops.h)"
    }' /dev/null > "$tmp/prims" || exit 2
if [ -s "$tmp/prims" ]; then
	cat "$tmp/prims"
	status=1
fi

# tsort reports each loop as "tsort: FILE: input contains a loop:" and
# then its members, one "tsort: MODULE" line each.
if ! tsort "$tmp/edges" > /dev/null 2> "$tmp/loops"; then
	awk '
	/input contains a loop/ { if (n) print line; line = ""; n = 0; next }
	{ sub(/^tsort: /, ""); line = line (n++ ? " -> " : "") $0 }
	END { if (n) print line }
	' "$tmp/loops" | sed 's/^/layers: include circle: /'
	status=1
fi
exit $status
