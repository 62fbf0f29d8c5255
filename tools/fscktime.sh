#!/bin/sh
# tools/fscktime.sh (make bench-fsck; make bench runs it last): what
# hacgi-manage fsck (a check, without --repair) and backup cost at
# 100,000 records of each kind: CPU time (user + system), wall time and
# peak RSS of each run, on data sets built by the populate commands:
#   segments   N segments
#   hosts      N hosts of one segment
#   clusters   N clusters of 3 services each
#   all        all of these and N notifications, in one data directory
# The clusters are made by one `service populate` and multiplied by
# vol_gen below, in the same format (faster than populating them all;
# the services journal of 100,000 clusters is ~79 MB), then indexed.
# Each fsck runs once unmeasured first (the page cache warm, as on a
# server that runs it nightly), then measured; the backup runs once.
# fsck must be clean on every set, else the run fails.
#
# Environment: FSCK_N (100000), FSCK_SETS ("segments hosts clusters
# all"), TMPDIR (where the data sets are built: ~3 GB and ~1 M inodes
# for all of them at 100,000).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
manage=$top/bin/hacgi-manage
n=${FSCK_N:-100000}
sets=${FSCK_SETS:-segments hosts clusters all}
command -v python3 >/dev/null || {
	echo "fscktime.sh: python3 is not installed (make deps)" >&2
	exit 1
}
[ -x "$manage" ] || { echo "fscktime.sh: build first (make)" >&2; exit 1; }
base=$(mktemp -d "${TMPDIR:-/tmp}/fscktime.XXXXXX")
trap 'rm -rf "$base"' EXIT INT TERM

# measure OUT CMD...: run CMD, its output to OUT; print "CPU WALL RSS"
# (seconds, seconds, MiB) from wait4's rusage.
measure() {
	python3 - "$@" <<'PY'
import os, sys, time
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    os.dup2(out, 1)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
wall = time.monotonic() - t0
print("%.1f %.1f %.0f %d" % (ru.ru_utime + ru.ru_stime, wall,
      ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)))
PY
}

# build SET DIR: the data set, through hacgi-manage only.
build() {
	dir=$2
	mkdir -m 0700 "$dir"
	case $1 in
	segments)
		m segment populate --prefix s- --count "$n" ;;
	hosts)
		m segment populate --prefix g- --count 1
		m host populate --segment "$(seg_of "$dir")" --prefix h- \
		    --count "$n" ;;
	clusters)
		vol_gen "$dir" ;;
	all)	# g-1 first: seg_of finds it alone
		m segment populate --prefix g- --count 1
		m host populate --segment "$(seg_of "$dir")" --prefix h- \
		    --count "$n"
		m segment populate --prefix s- --count "$n"
		m notification populate --host h-1 --prefix p- --count "$n"
		vol_gen "$dir" ;;
	esac
}

m() {
	"$manage" --data-dir "$dir" "$@" >/dev/null
}

# vol_gen DIR: n clusters v-cI@lvm of 3 services v-hI-J@lvm each, as
# service populate writes them (its one cluster is the template); then
# the name index built for them (fsck --repair), as populate would.
vol_gen() {
	m service populate --prefix v- --count 1
	python3 - "$1/vol" "$n" <<'PY'
import hashlib, json, os, sys
vol, n = sys.argv[1], int(sys.argv[2])
def first(kind):
    with open(os.path.join(vol, kind + ".log")) as f:
        return json.loads(f.readline())
def put(kind, key1, recs):
    with open(os.path.join(vol, kind + ".log"), "w") as log:
        for r in recs:
            line = json.dumps(r) + "\n"
            log.write(line)
            k = "%d:%s%s" % (len(r[key1]), r[key1], r["binary"])
            name = hashlib.sha256(k.encode()).hexdigest() + ".json"
            fd = os.open(os.path.join(vol, kind, name),
                         os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.write(fd, line.encode())
            os.close(fd)
        return log.tell()
c, s = first("clusters"), first("services")
def clusters():
    for i in range(1, n + 1):
        yield dict(c, seq=i, name="v-c%d@lvm" % i)
def services():
    for i in range(1, n + 1):
        for j in range(1, 4):
            yield dict(s, seq=3 * (i - 1) + j, host="v-h%d-%d@lvm" % (i, j),
                       cluster="v-c%d@lvm" % i)
sizes = {"clusters.log": put("clusters", "name", clusters()),
         "services.log": put("services", "host", services())}
with open(os.path.join(vol, "counters.json"), "w") as f:
    f.write(json.dumps(dict({"cluster": n, "service": 3 * n}, **sizes)))
PY
	m fsck --repair 2>/dev/null || true
}

# seg_of DIR: the uuid of segment g-1, the only one yet
seg_of() {
	grep -l '"name": *"g-1"' "$1"/ha/segments/*.json 2>/dev/null |
	    head -n 1 | sed 's|.*/||; s|\.json$||'
}

label() {
	case $1 in
	segments) echo "$n segments" ;;
	hosts) echo "$n hosts" ;;
	clusters) echo "$n clusters x 3 services" ;;
	all) echo "all of these and $n notifications" ;;
	esac
}

echo "fsck and backup at N = $n (CPU = user + system; peak RSS of fsck)"
echo
echo "| store | build wall | fsck CPU (wall) | fsck peak RSS | backup CPU (wall) |"
echo "|---|---|---|---|---|"
for s in $sets; do
	d=$base/$s
	t0=$(date +%s)
	build "$s" "$d"
	built=$(( $(date +%s) - t0 ))
	measure "$base/warm.out" "$manage" --data-dir "$d" fsck >/dev/null
	read -r cpu wall rss rc <<-END
	$(measure "$base/fsck.out" "$manage" --data-dir "$d" fsck)
	END
	if [ "$rc" != 0 ]; then
		echo "fscktime.sh: fsck of $s is not clean:" >&2
		tail -n 5 "$base/fsck.out" >&2
		exit 1
	fi
	fsck="$cpu s ($wall s) | $rss MiB"
	read -r cpu wall rss rc <<-END
	$(measure "$base/backup.out" "$manage" --data-dir "$d" backup \
	    "$base/bundle.json")
	END
	[ "$rc" = 0 ] || { echo "fscktime.sh: backup of $s failed" >&2; exit 1; }
	echo "| $(label "$s") | $built s | $fsck | $cpu s ($wall s) |"
	rm -rf "$d" "$base/bundle.json"
done
