#!/bin/sh
# tools/deps.sh (make deps): install the Debian packages hacgi needs to
# build, test, run and benchmark, and keep Debian's keystone service
# (installed for the tests) stopped and disabled: keystone_off below.
# Silent when there is nothing to do.  Only root installs; anyone else
# gets the list and a failure.
#
# apt's own output goes to a log file (HACGI_DEPS_LOG, default
# /var/log/hacgi-deps.log, else a file under /tmp); the terminal gets one
# line per step, and the log's tail when a step fails.
set -eu

# Every package a suite, a make target or a script of the tree uses: a
# package missing here is a test that fails on a fresh machine only
# (libfiu-dev and strace were, once).  tests/fresh_root.sh proves the list
# on a fresh Debian 12 root.
PACKAGES="build-essential make pkg-config uuid-dev libsodium-dev libfcgi-dev
lighttpd apache2 libapache2-mod-fcgid curl bats bats-assert bats-support bats-file jq wrk
hyperfine valgrind clang libclang-rt-14-dev fiu-utils libfiu-dev strace
python3 procps iproute2 cppcheck shellcheck
python3-openstackclient python3-masakariclient python3-cinderclient
python3-openstacksdk libcurl4-openssl-dev keystone"

# One dpkg-query for all: "name status" lines for the known packages.
# shellcheck disable=SC2086 # word splitting wanted
have=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' $PACKAGES \
    2>/dev/null || true)
missing=
for p in $PACKAGES; do
	printf '%s\n' "$have" | grep -qx "$p installed" || missing="$missing $p"
done
# step LABEL CMD...: run CMD with its output in the log, print one line.
step() {
	label=$1
	shift
	[ -n "${log:-}" ] || open_log
	t0=$(date +%s)
	printf 'deps.sh: %s ... ' "$label"
	if "$@" >> "$log" 2>&1; then
		echo "ok ($(( $(date +%s) - t0 )) s)"
	else
		echo "FAILED; the end of $log:"
		tail -n 20 "$log" >&2
		exit 1
	fi
}

open_log() {
	log=${HACGI_DEPS_LOG:-/var/log/hacgi-deps.log}
	if ! : >> "$log" 2>/dev/null; then
		log=$(mktemp /tmp/hacgi-deps.XXXXXX.log)
	fi
}

# keystone_off: Debian's keystone package is here for the tests, which
# start their own Keystone (tests/keystone.sh); its service would start
# at boot and hold port 5000.  Stop it if it runs (a machine's own
# policy-rc.d may have let the install start it), and disable it: the
# systemd unit (systemctl works without a running systemd: it edits the
# links, and the SysV rc links with them), else the rc links alone.
# Silent when it is neither running nor enabled, so a second run of
# deps.sh does nothing.
keystone_off() {
	[ -e /lib/systemd/system/keystone.service ] ||
	    [ -e /etc/init.d/keystone ] || return 0
	if [ -d /run/systemd/system ]; then
		if systemctl -q is-active keystone.service; then
			step "stop keystone" systemctl stop keystone.service
		fi
	elif [ -x /etc/init.d/keystone ] &&
	    /etc/init.d/keystone status >/dev/null 2>&1; then
		step "stop keystone" /etc/init.d/keystone stop
	fi
	if command -v systemctl >/dev/null 2>&1 &&
	    [ -e /lib/systemd/system/keystone.service ]; then
		if [ "$(systemctl is-enabled keystone.service 2>/dev/null)" = \
		    enabled ]; then
			step "disable keystone" systemctl disable keystone.service
		fi
	elif ls /etc/rc[2345].d/S*keystone >/dev/null 2>&1; then
		step "disable keystone" update-rc.d keystone disable
	fi
}

if [ -z "$missing" ]; then
	[ "$(id -u)" != 0 ] || keystone_off
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing" >&2
	echo "deps.sh: as root: apt-get install$missing" >&2
	exit 1
fi

open_log
n=$(echo $missing | wc -w)
echo "deps.sh: installing $n Debian packages (log: $log)"
export DEBIAN_FRONTEND=noninteractive

# Installing lighttpd or apache2 would start them on port 80 (and the
# second start fails, failing its postinst), keystone its uWSGI on port
# 5000 (the tests start their own, tests/keystone.sh).  Keep services
# down while we install, unless the machine already has a policy;
# keystone's debconf questions (dbconfig-common) take their defaults
# (noninteractive): the package configures no database.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	trap 'rm -f "$policy"' EXIT
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
fi

step "apt-get update" apt-get update -q
# shellcheck disable=SC2086 # word splitting wanted
step "download$missing" apt-get install -y -q -d --no-install-recommends \
    $missing
# shellcheck disable=SC2086 # word splitting wanted
step "install" apt-get install -y -q --no-install-recommends $missing
keystone_off
