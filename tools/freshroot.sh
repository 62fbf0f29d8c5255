#!/bin/sh
# tools/freshroot.sh (make fresh-check): run the README's first commands
# on a fresh Debian root, so that a missing install step cannot hide behind
# the packages of the development machine.
#
#   sh tools/freshroot.sh [--release R] [--rebuild] [--keep] [--target T]
#
# 1. A pristine root of Debian R (bookworm) made by debootstrap (variant
#    minbase, plus git and ca-certificates: stricter than a default
#    install), cached in $HACGI_FRESHROOT_CACHE/R (default
#    /var/cache/hacgi-freshroot); --rebuild makes it anew.
# 2. A copy of it for this run, with /proc, /sys, /dev mounted.
# 3. The current commit (HEAD; uncommitted changes are not part of a
#    clone) cloned into /root/hacgi there.
# 4. In a chroot, as root, the README's prerequisites line and then
#    `make T` (test): its output goes to a log, the terminal shows the
#    per-suite lines and the summary, then the time.
# The copy is removed afterwards (--keep keeps it and says where).
# Exit status: that of `make T`.  Needs root and Debian's mirrors.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
release=bookworm
rebuild=
keep=
target="test"
mirror=${HACGI_MIRROR:-http://deb.debian.org/debian}
cache=${HACGI_FRESHROOT_CACHE:-/var/cache/hacgi-freshroot}

die() {
	echo "freshroot.sh: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--release) release=${2:?}; shift ;;
	--rebuild) rebuild=1 ;;
	--keep) keep=1 ;;
	--target) target=${2:?}; shift ;;
	-h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown option $1 (--help)" ;;
	esac
	shift
done
case $release in
*[!a-z]*|'') die "bad release name: $release" ;;
esac
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mounts)"

if ! command -v debootstrap >/dev/null; then
	echo "freshroot.sh: installing debootstrap"
	apt-get install -y -q debootstrap >/dev/null || die "no debootstrap"
fi

pristine=$cache/$release
if [ -n "$rebuild" ] || [ ! -f "$pristine/.complete" ]; then
	echo "freshroot.sh: debootstrap $release into $pristine (a few minutes)"
	rm -rf "$pristine" "$pristine.partial"
	mkdir -p "$cache"
	debootstrap --variant=minbase --include=git,ca-certificates \
	    "$release" "$pristine.partial" "$mirror" \
	    > "$cache/$release.debootstrap.log" 2>&1 ||
	    die "debootstrap failed: $cache/$release.debootstrap.log"
	touch "$pristine.partial/.complete"
	mv "$pristine.partial" "$pristine"
else
	echo "freshroot.sh: cached $release root: $pristine (--rebuild: anew)"
fi

work=$(mktemp -d /var/tmp/hacgi-freshroot.XXXXXX)
root=$work/root
log=$work/make-$target.log
mounted=

cleanup() {
	for m in $mounted; do
		umount -l "$m" 2>/dev/null || true
	done
	mounted=
	if [ -n "$keep" ]; then
		echo "freshroot.sh: kept $root (log $log)"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -a "$pristine" "$root"
rm -f "$root/.complete"
for m in proc sys dev dev/pts; do
	mkdir -p "$root/$m"
done
mount -t proc proc "$root/proc" && mounted="$root/proc $mounted"
mount -t sysfs sys "$root/sys" && mounted="$root/sys $mounted"
mount --bind /dev "$root/dev" && mounted="$root/dev $mounted"
mount -t devpts devpts "$root/dev/pts" && mounted="$root/dev/pts $mounted"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm" 2>/dev/null &&
    mounted="$root/dev/shm $mounted"
# What an installed system has and debootstrap leaves out.
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost\n' \
    > "$root/etc/hosts"
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror $release main
deb $mirror $release-updates main
deb http://deb.debian.org/debian-security $release-security main
EOF

commit=$(git -C "$top" rev-parse HEAD)
git clone -q --no-hardlinks "$top" "$root/root/hacgi"
git -C "$root/root/hacgi" checkout -q "$commit"
echo "freshroot.sh: $release root at $root, clone of $(git -C "$top" log \
    -1 --format='%h %s' "$commit" | cut -c1-60)"

# The README's lines, as root in the new system: the prerequisites, then
# the command.  Its stdout is the log; the lines a reader wants are shown.
t0=$(date +%s)
set +e
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/sh -c "apt-get update -q >/dev/null && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q git make \
    >/dev/null && cd /root/hacgi && make $target" > "$log" 2>&1
rc=$?
set -e
t1=$(date +%s)
grep -E '^(deps\.sh:|suite |# [0-9]+ suites in|[0-9]+ passed, [0-9]+ failed)' \
    "$log" || true
echo "freshroot.sh: make $target exited $rc after $(( (t1 - t0) / 60 )) min \
$(( (t1 - t0) % 60 )) s on a fresh $release root"
if [ "$rc" != 0 ]; then
	echo "freshroot.sh: the last lines of $log:"
	tail -n 30 "$log"
	keep=1
fi
exit "$rc"
