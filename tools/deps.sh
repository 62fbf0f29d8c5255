#!/bin/sh
# tools/deps.sh (make deps): install the Debian packages hacgi needs to
# build, test, run and benchmark.  Silent when nothing is missing.  Only
# root installs; anyone else gets the list and a failure.
set -eu

PACKAGES="build-essential pkg-config libcjson-dev uuid-dev libsodium-dev
lighttpd apache2 curl bats bats-assert bats-support bats-file jq wrk
hyperfine valgrind clang libclang-rt-14-dev fiu-utils time python3
python3-openstackclient python3-masakariclient python3-cinderclient
python3-openstacksdk"

# One dpkg-query for all: "name status" lines for the known packages.
# shellcheck disable=SC2086 # word splitting wanted
have=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' $PACKAGES \
    2>/dev/null || true)
missing=
for p in $PACKAGES; do
	printf '%s\n' "$have" | grep -qx "$p installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing" >&2
	echo "deps.sh: as root: apt-get install$missing" >&2
	exit 1
fi

echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive

# Installing lighttpd or apache2 would start them on port 80 (and the
# second start fails, failing its postinst).  Keep services down while we
# install, unless the machine already has a policy.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	trap 'rm -f "$policy"' EXIT
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
fi

apt-get update -q
# shellcheck disable=SC2086 # word splitting wanted
apt-get install -y -q --no-install-recommends $missing
